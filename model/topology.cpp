#include "model/topology.hpp"

#include <algorithm>
#include <map>

namespace il::model {

Topology::Topology(const Host& host) : host_(host) {
    const auto& devs = host.devices;
    const std::size_t n = devs.size();
    dev_bus_.assign(n, 0);
    child_bus_.assign(n, std::nullopt);

    std::map<BusKey, std::size_t> bus_index;
    auto bus_for = [&](BusKey k) {
        auto it = bus_index.find(k);
        if (it != bus_index.end()) return it->second;
        BusNode b;
        b.key = k;
        buses_.push_back(b);
        bus_index.emplace(k, buses_.size() - 1);
        return buses_.size() - 1;
    };

    // 1. every device sits on its bus (host.devices is sorted by bdf, so devfn order holds)
    for (std::size_t i = 0; i < n; ++i) {
        const auto bi = bus_for({devs[i].bdf.domain, devs[i].bdf.bus});
        dev_bus_[i] = bi;
        buses_[bi].devices.push_back(i);
    }
    // 2. bridges own their secondary bus
    struct Range {
        std::size_t dev;
        std::uint8_t sec, sub;
    };
    std::map<std::uint32_t, std::vector<Range>> ranges; // by domain
    for (std::size_t i = 0; i < n; ++i) {
        const auto& d = devs[i];
        if (!d.buses.known()) {
            if (d.is_bridge()) {
                complete_ = false;
                notes_.push_back("bridge " + d.bdf.str() +
                                 ": bus numbers unknown (no Bus: line, hex dump or tree)");
            }
            continue;
        }
        const auto& r = *d.buses;
        if (r.secondary == 0) continue; // unconfigured bridge
        if (r.secondary <= d.bdf.bus) {
            notes_.push_back("bridge " + d.bdf.str() + ": secondary bus " +
                             std::to_string(r.secondary) +
                             " is not below its own bus; ignored (bus-number loop)");
            continue;
        }
        const auto bi = bus_for({d.bdf.domain, r.secondary});
        if (buses_[bi].self) {
            notes_.push_back("conflict: bridges " + devs[*buses_[bi].self].bdf.str() + " and " +
                             d.bdf.str() + " both claim bus " + std::to_string(r.secondary) +
                             "; keeping the first");
            continue;
        }
        buses_[bi].self = i;
        child_bus_[i] = bi;
        ranges[d.bdf.domain].push_back({i, r.secondary, std::max(r.secondary, r.subordinate)});
    }
    // 3. parents: a bus with a bridge hangs below the bridge's bus; a bus without one is a
    //    root bus unless it falls inside some bridge's range (virtual bus, e.g. SR-IOV VFs).
    for (std::size_t bi = 0; bi < buses_.size(); ++bi) {
        auto& b = buses_[bi];
        if (b.self) {
            b.parent = dev_bus_[*b.self];
            continue;
        }
        std::optional<Range> best;
        for (const auto& r : ranges[b.key.domain])
            if (r.sec < b.key.bus && b.key.bus <= r.sub &&
                (!best || r.sub - r.sec < best->sub - best->sec))
                best = r;
        if (best) {
            b.is_virtual = true;
            b.parent = bus_index.at({b.key.domain, best->sec});
        } else {
            b.is_root = true;
            b.root_assumed = !complete_ && b.key.bus != 0;
        }
    }
    // guard against parent cycles (bus-number loops): walk up with a step bound
    for (auto& b : buses_) {
        std::size_t steps = 0;
        std::optional<std::size_t> p = b.parent;
        while (p && steps <= buses_.size()) {
            p = buses_[*p].parent;
            ++steps;
        }
        if (steps > buses_.size()) {
            notes_.push_back("bus-number cycle at bus " + std::to_string(b.key.bus) +
                             "; treating it as a root bus");
            b.parent.reset();
            b.self.reset();
            b.is_root = true;
        }
    }

    // 4. graph: device vertices 0..n-1, then bus vertices
    graph_ = Graph(n + buses_.size());
    for (std::size_t bi = 0; bi < buses_.size(); ++bi) {
        const auto from = buses_[bi].self ? *buses_[bi].self : n + bi;
        for (auto d : buses_[bi].devices) boost::add_edge(from, d, graph_);
    }

    // 5. probe order: root buses by (domain, bus); each bus: its devices, then each child bus
    std::vector<std::size_t> roots;
    for (std::size_t bi = 0; bi < buses_.size(); ++bi)
        if (buses_[bi].is_root) roots.push_back(bi);
    std::sort(roots.begin(), roots.end(),
              [&](std::size_t a, std::size_t b) { return buses_[a].key < buses_[b].key; });
    std::vector<std::vector<std::size_t>> children(buses_.size());
    for (std::size_t bi = 0; bi < buses_.size(); ++bi)
        if (buses_[bi].is_virtual && buses_[bi].parent) children[*buses_[bi].parent].push_back(bi);
    std::vector<char> visited(buses_.size(), 0);
    // iterative to bound stack depth on hostile input
    std::vector<std::size_t> virtual_later;
    auto add_bus = [&](std::size_t root) {
        std::vector<std::size_t> stack{root};
        while (!stack.empty()) {
            const auto bi = stack.back();
            stack.pop_back();
            if (visited[bi]) continue;
            visited[bi] = 1;
            for (auto d : buses_[bi].devices) probe_order_.push_back(d);
            std::vector<std::size_t> kids;
            for (auto d : buses_[bi].devices)
                if (child_bus_[d]) kids.push_back(*child_bus_[d]);
            for (auto v : children[bi]) virtual_later.push_back(v);
            for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
        }
    };
    for (auto r : roots) add_bus(r);
    // VFs on virtual buses appear when SR-IOV is enabled, after boot enumeration
    for (auto v : virtual_later) add_bus(v);
    for (std::size_t bi = 0; bi < buses_.size(); ++bi)
        if (!visited[bi]) add_bus(bi); // unreachable leftovers (cycles)
}

std::optional<std::size_t> Topology::upstream_bridge(std::size_t dev) const {
    std::optional<std::size_t> b = dev_bus_[dev];
    std::size_t steps = 0;
    while (b && steps++ <= buses_.size()) {
        if (buses_[*b].self) return buses_[*b].self;
        if (buses_[*b].is_root) return std::nullopt;
        b = buses_[*b].parent;
    }
    return std::nullopt;
}

std::vector<std::size_t> Topology::bridges_above(std::size_t dev) const {
    std::vector<std::size_t> out;
    auto cur = upstream_bridge(dev);
    while (cur && out.size() <= host_.devices.size()) {
        out.push_back(*cur);
        cur = upstream_bridge(*cur);
    }
    return out;
}

std::size_t Topology::root_device_of(std::size_t dev) const {
    auto chain = bridges_above(dev);
    return chain.empty() ? dev : chain.back();
}

} // namespace il::model
