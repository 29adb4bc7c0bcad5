// IL103: only some devices of a group are passed, so vfio refuses the group ("group is not
// viable"). Bridges are exempt: vfio lets PCIe bridges and ports stay with the host.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>
#include <set>

namespace il::linter::rules {

namespace {

class GroupNotViable final : public Rule {
public:
    GroupNotViable()
        : Rule("IL103", "group-not-viable", Severity::error,
               "only some devices of an IOMMU group are passed: vfio refuses a group whose other "
               "devices stay with host drivers") {}

    void check(const LintContext& cx, Findings& out) const override {
        std::set<int> done;
        for (const auto& t : cx.targets()) {
            const auto* g = cx.group_of(t.device);
            if (!g || !done.insert(g->id).second) continue;
            std::vector<std::size_t> targets, left;
            for (auto m : g->members) {
                if (cx.is_target(m)) {
                    targets.push_back(m);
                    continue;
                }
                if (cx.is_bridge(m)) continue; // vfio lets bridges stay with the host
                if (cx.is_host_essential(m) && !same_card_as_target(cx, m)) continue; // IL102
                const auto& drv = cx.dev(m).driver;
                if (drv.is("vfio-pci") || drv.is("pci-stub")) continue; // viable as it is
                left.push_back(m);
            }
            if (left.empty()) continue;
            std::string msg = "IOMMU group " + std::to_string(g->id) + " is not viable for " +
                              join_and(labels(cx, targets, false)) + ": " +
                              join_and(labels(cx, left)) + (left.size() > 1 ? " are" : " is") +
                              " in the same group but not passed. vfio-pci takes a group only "
                              "when every non-bridge device in it is bound to vfio-pci (or has no "
                              "driver), so the VM fails to start (\"group is not viable\").";
            const Severity sev = group_severity(g->certain, msg);
            auto& f = out.add(sev, msg, bdf_key(cx, targets));
            target_and_group_evidence(cx, f, targets, left);
            for (auto m : left) {
                const auto& d = cx.dev(m);
                observed_group_evidence(cx, f, m);
                if (d.driver.known())
                    f.evidence.push_back(cx.ev(
                        cx.short_name(m) + ": Kernel driver in use: " + *d.driver, d.driver.src));
            }
            std::vector<std::size_t> all = targets;
            all.insert(all.end(), left.begin(), left.end());
            f.devices = bdfs(cx, all);
            f.fix =
                "Pass the rest of the group as well (one hostpci entry per device, or the whole "
                "slot as hostpciN: " +
                cx.short_name(targets.front())
                    .substr(0, cx.short_name(targets.front()).size() - 2) +
                " for all functions), or bind the left-over devices to vfio-pci at boot "
                "(options vfio-pci ids=VVVV:DDDD) so the host does not use them.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL103() {
    return std::make_unique<GroupNotViable>();
}

} // namespace il::linter::rules
