// IL403: NVMe command timeouts and controller resets in the log.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class NvmeTimeouts final : public Rule {
public:
    NvmeTimeouts()
        : Rule("IL403", "nvme-timeouts", Severity::warning,
               "NVMe command timeouts or controller resets in the kernel log") {}

    void check(const LintContext& cx, Findings& out) const override {
        using K = model::LogEvent::Kind;
        for (const auto& g : events_by_device(cx.host, {K::nvme_timeout, K::nvme_reset})) {
            std::size_t timeouts = 0, resets = 0;
            for (const auto* e : g.events) (e->kind == K::nvme_timeout ? timeouts : resets)++;
            std::vector<std::string> parts;
            if (timeouts) parts.push_back(count(timeouts, "command timeout", "command timeouts"));
            if (resets) parts.push_back(count(resets, "controller reset", "controller resets"));
            std::string msg = "The kernel log shows " + join_and(parts) + " for " +
                              name_of(cx, g.bdf) + " (" + time_span(g.events) +
                              "): the SSD stopped answering; I/O stalls and, if it persists, the "
                              "controller is removed.";
            auto& f = out.add(Severity::warning, msg, g.bdf ? g.bdf->str() : "unknown");
            add_event_evidence(cx, f, g, 3);
            if (g.bdf) f.devices = {*g.bdf};
            f.fix = "Update the SSD firmware; test nvme_core.default_ps_max_latency_us=0 (disables "
                    "APST power states) and pcie_aspm=off; check the slot and cooling.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL403() {
    return std::make_unique<NvmeTimeouts>();
}

} // namespace il::linter::rules
