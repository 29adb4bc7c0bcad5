#include "sim/compare.hpp"

#include <map>
#include <set>

namespace il::sim {

namespace {
std::string list(const model::Host& h, const std::set<std::size_t>& s) {
    std::string r = "{";
    for (auto i : s) {
        if (r.size() > 1) r += ", ";
        r += h.devices[i].bdf.str();
    }
    return r + "}";
}
} // namespace

Comparison compare_observed(const model::Host& host, const Grouping& g) {
    Comparison c;
    const auto n = host.devices.size();
    // Which devices can be compared: those with an observed group, plus devices that a
    // group-printing lspci listed without one (pciutils prints "IOMMU group" for every
    // grouped device, so its absence there means "no group").
    bool lspci_prints_groups = false;
    for (const auto& d : host.devices)
        if (d.observed_group.known() && (d.origins & model::origin_lspci_verbose))
            lspci_prints_groups = true;
    std::map<int, std::set<std::size_t>> obs, sim;
    std::set<std::size_t> obs_none;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& d = host.devices[i];
        if (d.observed_group.known()) {
            obs[*d.observed_group].insert(i);
        } else if (lspci_prints_groups && (d.origins & model::origin_lspci_verbose)) {
            obs_none.insert(i);
        } else {
            continue;
        }
        ++c.devices_compared;
        sim[g.group_of[i]].insert(i);
    }
    if (obs.empty()) return c;
    c.has_observed = true;
    for (auto i : obs_none)
        if (g.group_of[i] >= 0)
            c.differences.push_back(
                host.devices[i].bdf.str() +
                " has no IOMMU group on the host, but the simulation gives it one");
    for (const auto& [id, members] : sim) {
        if (id < 0) {
            for (auto i : members)
                if (!obs_none.count(i))
                    c.differences.push_back(host.devices[i].bdf.str() + " is in observed group " +
                                            std::to_string(*host.devices[i].observed_group.value) +
                                            ", but the simulation gives it no group");
            continue;
        }
        std::map<int, std::set<std::size_t>> parts;
        for (auto i : members) {
            const int o =
                host.devices[i].observed_group.known() ? *host.devices[i].observed_group : -1;
            parts[o].insert(i);
        }
        if (parts.size() > 1) {
            std::string s = "simulated group " + list(host, members) + " is observed as";
            for (const auto& [o, m] : parts)
                s += " " + (o < 0 ? std::string("no group ") : "group " + std::to_string(o) + " ") +
                     list(host, m);
            c.differences.push_back(s);
        }
    }
    for (const auto& [id, members] : obs) {
        std::map<int, std::set<std::size_t>> parts;
        for (auto i : members) parts[g.group_of[i]].insert(i);
        if (parts.size() > 1) {
            std::string s = "observed group " + std::to_string(id) + " " + list(host, members) +
                            " is split by the simulation into";
            for (const auto& [sg, m] : parts) s += " " + list(host, m);
            c.differences.push_back(s);
        }
    }
    c.match = c.differences.empty();
    return c;
}

std::vector<Split> override_splits(const SimResult& before, const SimResult& after) {
    std::vector<Split> out;
    for (const auto& bg : before.grouping.groups) {
        std::set<int> ids;
        for (auto m : bg.members) ids.insert(after.grouping.group_of[m]);
        if (ids.size() < 2) continue;
        Split s;
        s.before = &bg;
        for (const auto& ag : after.grouping.groups)
            if (ids.count(ag.id)) s.after.push_back(&ag);
        std::set<std::size_t> seen;
        for (auto m : bg.members)
            for (const auto& v : after.grouping.traces[m].verdicts)
                if (v.why.rfind("pcie_acs_override", 0) == 0 && seen.insert(v.device).second)
                    s.override_decisions.push_back(v);
        s.hardware_enforced = s.override_decisions.empty();
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace il::sim
