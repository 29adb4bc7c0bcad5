// IL003: the simulated groups differ from the groups the host reported (IOMMU group lines,
// listings, dmesg).
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"
#include "sim/compare.hpp"

#include <map>
#include <memory>
#include <set>

namespace il::linter::rules {

namespace {

// every bridge's bus numbers are known (bridges named only by class name count too)
bool tree_known(const LintContext& cx) {
    for (std::size_t i = 0; i < cx.size(); ++i)
        if (cx.is_bridge(i) && !cx.dev(i).buses.known()) return false;
    return true;
}

// Could some reading of the unknown facts give the observed groups? The tight reading splits
// the most and the loose one merges the most: the observed partition must lie between them.
bool consistent(const LintContext& cx) {
    const auto& r = cx.booted();
    std::map<int, std::set<std::size_t>> obs;
    for (std::size_t i = 0; i < cx.size(); ++i)
        if (cx.dev(i).observed_group.known()) obs[*cx.dev(i).observed_group].insert(i);
    auto observed_of = [&](std::size_t i) { return *cx.dev(i).observed_group; };
    // every tight group (restricted to observed devices) within one observed group
    for (const auto& g : r.tight.groups) {
        std::set<int> ids;
        for (auto m : g.members)
            if (cx.dev(m).observed_group.known()) ids.insert(observed_of(m));
        if (ids.size() > 1) return false;
    }
    // every observed group within one loose group, except devices whose place in the tree is
    // unknown (their bus has no known bridge above it: they may sit below any bridge)
    auto placed = [&](std::size_t m) {
        const auto& bus = cx.topo().bus(cx.topo().bus_of(m));
        return bus.self.has_value() || bus.is_virtual || bus.key.bus == 0 || tree_known(cx);
    };
    for (const auto& [id, members] : obs) {
        std::map<int, std::size_t> placed_in; // loose group -> placed members in it
        for (auto m : members) {
            const int g = r.grouping.group_of[m];
            if (g < 0) return false;
            if (placed(m)) ++placed_in[g];
        }
        if (placed_in.size() > 1) return false;
    }
    return true;
}

class GroupsDiffer final : public Rule {
public:
    GroupsDiffer()
        : Rule("IL003", "groups-differ-from-observed", Severity::warning,
               "the simulated IOMMU groups differ from the groups observed on the host") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto c = sim::compare_observed(cx.host, cx.booted().grouping);
        if (!c.has_observed || c.match) return;
        // with unknown facts, a difference that some reading of them explains is no finding
        // (IL001 reports the unknowns)
        if ((!cx.booted().certain || !tree_known(cx)) && consistent(cx)) return;
        const auto tight = sim::compare_observed(cx.host, cx.booted().tight);
        std::string msg;
        Severity sev = Severity::warning;
        std::string hint;
        if (tight.match) {
            sev = Severity::note;
            msg = "The observed groups match the simulation only if the facts the input leaves "
                  "unknown all resolve to \"isolated\"; the loose reading differs: ";
        } else {
            msg = "The simulated groups differ from the groups observed on the host (" +
                  count(c.devices_compared, "device", "devices") + " compared): ";
            const bool booted_override = cx.booted().policy.override_cfg.any();
            if (!booted_override &&
                sim::compare_observed(cx.host, cx.with_override().grouping).match)
                hint = " The observed groups match the simulation with "
                       "pcie_acs_override=downstream,multifunction: the host most likely booted "
                       "with the ACS override, and the input does not include that command line.";
            else if (booted_override &&
                     sim::compare_observed(cx.host, cx.no_override().grouping).match)
                hint = " The observed groups match the simulation without the ACS override: they "
                       "were probably recorded on a boot without it.";
        }
        std::vector<std::string> diffs(c.differences.begin(),
                                       c.differences.begin() +
                                           std::min<std::size_t>(8, c.differences.size()));
        msg += join_and(diffs);
        if (c.differences.size() > 8)
            msg += " (and " + std::to_string(c.differences.size() - 8) + " more)";
        msg += "." + hint;
        auto& f = out.add(sev, msg, "observed-groups");
        // evidence: the observed group lines of devices whose group mates differ
        std::map<int, std::set<std::size_t>> obs;
        for (std::size_t i = 0; i < cx.size(); ++i)
            if (cx.dev(i).observed_group.known()) obs[*cx.dev(i).observed_group].insert(i);
        std::size_t shown = 0;
        for (std::size_t i = 0; i < cx.size() && shown < 6; ++i) {
            const auto& d = cx.dev(i);
            if (!d.observed_group.known()) continue;
            std::set<std::size_t> sim_mates;
            if (const auto* g = cx.group_of(i))
                for (auto m : g->members)
                    if (cx.dev(m).observed_group.known()) sim_mates.insert(m);
            if (sim_mates == obs[*d.observed_group]) continue;
            f.evidence.push_back(cx.ev(cx.short_name(i) + " observed in IOMMU group " +
                                           std::to_string(*d.observed_group),
                                       d.observed_group.src));
            f.devices.push_back(d.bdf);
            ++shown;
        }
        if (!hint.empty())
            f.fix = "Add the host's /proc/cmdline (cat /proc/cmdline > cmdline.txt) from the boot "
                    "the groups were recorded on, or pass --acs-override to lint that boot.";
        else if (tight.match)
            f.fix = "Capture the missing facts as root (sudo lspci -vvv -nn -D -xxxx) so the "
                    "simulation does not have to guess.";
        else
            f.fix = "Check that the group listing and the lspci capture come from the same boot "
                    "and kernel (--kernel VERSION lints another kernel); if they do, run "
                    "`iommu-lint explain --device BDF` on a differing device and report the case.";
    }
};

} // namespace

std::unique_ptr<Rule> make_IL003() {
    return std::make_unique<GroupsDiffer>();
}

} // namespace il::linter::rules
