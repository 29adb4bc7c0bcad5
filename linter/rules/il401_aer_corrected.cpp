// IL401: AER corrected errors in the log, counted per device.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

constexpr std::size_t k_many = 10;

class AerCorrected final : public Rule {
public:
    AerCorrected()
        : Rule("IL401", "aer-corrected-errors", Severity::warning,
               "PCIe AER corrected errors in the kernel log (a marginal link)") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (const auto& g : events_by_device(cx.host, {model::LogEvent::Kind::aer_corrected})) {
            const auto n = g.events.size();
            std::string msg = "The kernel log shows " +
                              count(n, "corrected PCIe error", "corrected PCIe errors") +
                              " reported for " + name_of(cx, g.bdf) + " (" + time_span(g.events) +
                              "). The link layer repaired them, but they mean a marginal link "
                              "(signal integrity, risers, power saving) and can flood the log.";
            auto& f = out.add(n >= k_many ? Severity::warning : Severity::note, msg,
                              g.bdf ? g.bdf->str() : "unknown");
            add_event_evidence(cx, f, g, 3);
            if (g.bdf) f.devices = {*g.bdf};
            f.fix = "Reseat the card and check risers/cables; try a lower link speed for that slot "
                    "in the firmware; if the errors follow ASPM transitions, test pcie_aspm=off. "
                    "(pci=noaer only hides them.)";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL401() {
    return std::make_unique<AerCorrected>();
}

} // namespace il::linter::rules
