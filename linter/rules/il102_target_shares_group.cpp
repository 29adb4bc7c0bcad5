// IL102: a passthrough target shares its IOMMU group with devices the host needs.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>
#include <set>

namespace il::linter::rules {

namespace {

class TargetSharesGroup final : public Rule {
public:
    TargetSharesGroup()
        : Rule("IL102", "passthrough-shares-group", Severity::error,
               "a passthrough target shares its IOMMU group with devices the host needs "
               "(storage, network, USB, host bridge, SMBus, LPC/ISA)") {}

    void check(const LintContext& cx, Findings& out) const override {
        std::set<int> done;
        for (const auto& t : cx.targets()) {
            const auto* g = cx.group_of(t.device);
            if (!g || !done.insert(g->id).second) continue;
            std::vector<std::size_t> targets, needed;
            for (auto m : g->members) {
                if (cx.is_target(m))
                    targets.push_back(m);
                else if (!cx.is_bridge(m) && cx.is_host_essential(m) && !same_card_as_target(cx, m))
                    needed.push_back(m); // functions of the target's own card: IL103
            }
            if (needed.empty()) continue;
            std::string msg = "Passthrough target" + std::string(targets.size() > 1 ? "s " : " ") +
                              join_and(labels(cx, targets)) + " share" +
                              (targets.size() > 1 ? "" : "s") + " IOMMU group " +
                              std::to_string(g->id) + " with " + join_and(labels(cx, needed)) +
                              ". vfio can only give a whole group to one guest: the VM does not "
                              "start until these are bound to vfio-pci too, and then the host "
                              "loses them.";
            const Severity sev = group_severity(g->certain, msg);
            auto& f = out.add(sev, msg, bdf_key(cx, targets));
            target_and_group_evidence(cx, f, targets, needed);
            for (auto m : g->members) observed_group_evidence(cx, f, m);
            f.evidence.push_back(cx.ev("why they share a group: " + g->reason, {}));
            std::vector<std::size_t> all = targets;
            all.insert(all.end(), needed.begin(), needed.end());
            f.devices = bdfs(cx, all);
            f.fix = "Move the target to a slot whose root port isolates it (IL105 lists such "
                    "ports), or give the guest another device; splitting the group with "
                    "pcie_acs_override is logical only (IL101).";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL102() {
    return std::make_unique<TargetSharesGroup>();
}

} // namespace il::linter::rules
