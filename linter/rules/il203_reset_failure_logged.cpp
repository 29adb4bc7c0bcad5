// IL203: the kernel log shows failed resets (device not ready after reset, stuck in D3,
// transactions pending).
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class ResetFailureLogged final : public Rule {
public:
    ResetFailureLogged()
        : Rule("IL203", "reset-failure-logged", Severity::warning,
               "the kernel log shows a device failing to reset or to leave a low-power state") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (const auto& g : events_by_device(cx.host, {model::LogEvent::Kind::reset_failure})) {
            std::string msg = "The kernel log shows " + name_of(cx, g.bdf) +
                              " failing to come back " + "after a reset or power-state change " +
                              (g.events.size() == 1 ? std::string("once")
                                                    : std::to_string(g.events.size()) + " times") +
                              " (" + time_span(g.events) + "), e.g. \"" + g.events.front()->text +
                              "\". A device that does not come back from a reset cannot be handed "
                              "from one guest to the next without a host reboot.";
            auto& f = out.add(Severity::warning, msg, g.bdf ? g.bdf->str() : "unknown");
            add_event_evidence(cx, f, g);
            if (g.bdf) f.devices = {*g.bdf};
            f.fix = "Check IL201/IL202 for this device (reset methods, known reset bugs); for AMD "
                    "GPUs install vendor-reset; otherwise reboot the host between guest runs, and "
                    "update the device firmware.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL203() {
    return std::make_unique<ResetFailureLogged>();
}

} // namespace il::linter::rules
