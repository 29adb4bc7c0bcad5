// IL101: pcie_acs_override is active and some groups exist only because of it: the hardware
// does not isolate their devices from each other.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"
#include "sim/compare.hpp"

#include <memory>
#include <set>

namespace il::linter::rules {

namespace {

class OverrideOnlySplit final : public Rule {
public:
    OverrideOnlySplit()
        : Rule("IL101", "acs-override-split", Severity::error,
               "groups that exist only because of pcie_acs_override: the hardware does not "
               "isolate their devices") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& pol = cx.booted().policy;
        if (!pol.override_cfg.any()) return;
        const auto* param = cx.host.param("pcie_acs_override");
        const std::string ov = "pcie_acs_override=" + pol.override_cfg.describe();
        auto splits = sim::override_splits(cx.no_override(), cx.booted());
        sim::AcsQuery hardware(cx.host, cx.topo(), cx.no_override().policy);
        bool any = false;
        for (const auto& s : splits) {
            if (s.override_decisions.empty()) continue; // hardware ACS does this split
            any = true;
            bool serious = false;
            std::vector<std::string> parts;
            std::vector<std::size_t> why_devices;
            for (const auto* g : s.after) {
                std::vector<std::string> names;
                std::vector<std::string> flags;
                for (auto m : g->members) {
                    names.push_back(cx.short_name(m));
                    if (cx.is_target(m))
                        flags.push_back(cx.short_name(m) + ": passed to a guest");
                    else if (cx.is_storage(m) || cx.is_nic(m))
                        flags.push_back(cx.short_name(m) + ": " + cx.kind(m));
                }
                if (!flags.empty()) serious = true;
                parts.push_back("{" + join_and(names) + "}" +
                                (flags.empty() ? "" : " (" + join_and(flags) + ")"));
            }
            std::vector<std::size_t> members(s.before->members.begin(), s.before->members.end());
            std::string msg = ov + " splits one hardware group of " +
                              count(members.size(), "device", "devices") + " into " +
                              std::to_string(s.after.size()) +
                              " groups that the hardware does not "
                              "enforce: " +
                              join_and(parts) +
                              ". Devices in these groups can still reach each other with "
                              "peer-to-peer DMA, so a guest that owns one of them can read or "
                              "overwrite memory used by the others";
            msg += serious ? ", and some of them hold passthrough targets or storage/network "
                             "controllers the host relies on."
                           : ".";
            auto& f =
                out.add(serious ? Severity::error : Severity::warning, msg, bdf_key(cx, members));
            if (param) f.evidence.push_back(cx.ev("kernel command line: " + ov, param->src));
            for (const auto& v : s.override_decisions) {
                const auto d = v.device;
                const auto& hw = hardware(d);
                f.evidence.push_back(
                    cx.ev(cx.short_name(d) + ": " + v.why + "; without the override: " + hw.why,
                          acs_source(cx.dev(d))));
            }
            f.devices = bdfs(cx, members);
            f.fix =
                "Treat the original group as one unit: pass all of its devices to the same "
                "guest, or move the device to a slot whose root port has ACS (IL105 lists them). "
                "Keep the override only if every guest sharing the hardware group is trusted.";
        }
        // "no effect" only when both simulations are sure (unknown ACS facts hide splits)
        if (!any && cx.booted().certain && cx.no_override().certain) {
            auto& f =
                out.add(Severity::note,
                        ov + " is active but splits no group: the hardware already gives the "
                             "same groups, so the override only adds risk if the hardware changes.",
                        "no-effect");
            if (param) f.evidence.push_back(cx.ev("kernel command line: " + ov, param->src));
            f.fix = "Remove pcie_acs_override from the kernel command line.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL101() {
    return std::make_unique<OverrideOnlySplit>();
}

} // namespace il::linter::rules
