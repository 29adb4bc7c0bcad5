// Partition helpers for comparing simulated and observed groups in tests.
#pragma once

#include "model/snapshot.hpp"
#include "sim/grouping.hpp"

#include <map>
#include <set>
#include <string>

namespace il::test {

using Partition = std::set<std::set<std::string>>;

// Simulated partition restricted to the devices that have an observed group.
inline Partition simulated(const model::Host& h, const sim::Grouping& g) {
    std::map<int, std::set<std::string>> m;
    for (std::size_t i = 0; i < h.devices.size(); ++i)
        if (h.devices[i].observed_group.known() && g.group_of[i] >= 0) m[g.group_of[i]].insert(h.devices[i].bdf.str());
    Partition p;
    for (auto& [k, v] : m) p.insert(v);
    return p;
}

inline Partition observed(const model::Host& h) {
    std::map<int, std::set<std::string>> m;
    for (const auto& d : h.devices)
        if (d.observed_group.known()) m[*d.observed_group].insert(d.bdf.str());
    Partition p;
    for (auto& [k, v] : m) p.insert(v);
    return p;
}

// every block of `fine` lies inside one block of `coarse`
inline bool refines(const Partition& fine, const Partition& coarse) {
    for (const auto& f : fine) {
        bool inside = false;
        for (const auto& c : coarse) {
            bool all = true;
            for (const auto& x : f) all &= c.count(x) > 0;
            if (all) {
                inside = true;
                break;
            }
        }
        if (!inside) return false;
    }
    return true;
}

} // namespace il::test
