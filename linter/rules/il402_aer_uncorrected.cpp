// IL402: AER uncorrected (non-fatal or fatal) errors and DPC events in the log.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class AerUncorrected final : public Rule {
public:
    AerUncorrected()
        : Rule("IL402", "aer-uncorrected-errors", Severity::error,
               "uncorrected PCIe errors or DPC containment in the kernel log") {}

    void check(const LintContext& cx, Findings& out) const override {
        using K = model::LogEvent::Kind;
        struct Kind {
            K kind;
            Severity sev;
            const char* what;
            const char* effect;
            const char* key;
        };
        const Kind kinds[] = {
            {K::aer_uncorrected_fatal, Severity::error, "fatal uncorrected PCIe error",
             "the link had to be reset; the device's state is lost and a guest using it crashes or "
             "hangs",
             "fatal"},
            {K::dpc, Severity::error, "DPC (downstream port containment) event",
             "the port cut the link to contain an error: the device dropped off the bus until "
             "recovery",
             "dpc"},
            {K::aer_uncorrected_nonfatal, Severity::warning, "non-fatal uncorrected PCIe error",
             "a transaction was lost; drivers may time out or see corrupted data", "nonfatal"},
        };
        for (const auto& k : kinds) {
            for (const auto& g : events_by_device(cx.host, {k.kind})) {
                std::string msg =
                    "The kernel log shows " +
                    count(g.events.size(), k.what, (std::string(k.what) + "s").c_str()) + " for " +
                    name_of(cx, g.bdf) + " (" + time_span(g.events) + "): " + k.effect + ".";
                auto& f = out.add(k.sev, msg,
                                  std::string(k.key) + "|" + (g.bdf ? g.bdf->str() : "unknown"));
                add_event_evidence(cx, f, g, 3);
                if (g.bdf) f.devices = {*g.bdf};
                f.fix =
                    "Reseat the card, check power and risers, update device and board firmware; "
                    "do not pass an erroring device to a guest until the errors stop.";
            }
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL402() {
    return std::make_unique<AerUncorrected>();
}

} // namespace il::linter::rules
