#include "linter/chipset.hpp"

#include "linter/data.hpp"
#include "sim/quirks.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace il::linter {

namespace {

bool is_root_port(const LintContext& cx, std::size_t i) {
    const auto& d = cx.dev(i);
    if (d.port_type.known()) return d.port_type.is(model::PortType::root_port);
    return cx.is_bridge(i) && cx.topo().bus(cx.topo().bus_of(i)).is_root;
}

std::optional<std::uint16_t> vendor_of(const model::Device& d) {
    if (d.vendor_id.known()) return *d.vendor_id;
    return sim::vendor_from_name(d.description);
}

bool contains(const std::string& s, const std::string& w) {
    return s.find(w) != std::string::npos;
}

} // namespace

bool is_intel_pch_root_port(const LintContext& cx, std::size_t i) {
    const auto& d = cx.dev(i);
    if (vendor_of(d) != std::optional<std::uint16_t>(0x8086)) return false;
    if (!is_root_port(cx, i)) return false;
    if (d.device_id.known()) {
        const auto& q = sim::acs_quirk_table();
        if (q.intel_pch_root_ports.count(*d.device_id) ||
            sim::in_ranges(q.intel_spt_ranges, *d.device_id))
            return true;
    }
    const auto& t = chipset_table();
    for (const auto& w : t.intel_name_any)
        if (contains(d.description, w)) return true;
    for (const auto& all : t.intel_name_all) {
        bool ok = !all.empty();
        for (const auto& w : all)
            if (!contains(d.description, w)) ok = false;
        if (ok) return true;
    }
    return false;
}

std::vector<ChipsetRegion> chipset_regions(const LintContext& cx) {
    std::vector<ChipsetRegion> out;
    const auto& t = chipset_table();
    // AMD: key = the CPU root port above the chipset (or the chipset bridge itself)
    std::map<std::size_t, ChipsetRegion> amd;
    for (std::size_t i = 0; i < cx.size(); ++i) {
        const auto& d = cx.dev(i);
        const auto v = vendor_of(d);
        if (!v || !d.device_id.known()) continue;
        const auto* cb = t.find(*v, *d.device_id);
        if (!cb) continue;
        const auto root = cx.topo().root_device_of(i);
        const bool has_root_port = root != i && cx.is_bridge(root);
        const std::size_t key = has_root_port ? root : i;
        auto& r = amd[key];
        if (r.what.empty()) r.what = "AMD chipset (" + cb->name + ")";
        if (cb->role == ChipsetBridge::Role::chipset_bridge)
            r.what = "AMD chipset (" + cb->name + ")";
        if (has_root_port) r.uplink = root;
        r.bridges.push_back(i);
    }
    for (auto& [key, r] : amd) {
        std::set<std::size_t> m;
        if (r.uplink) {
            for (auto x : cx.subtree(*r.uplink)) m.insert(x);
        } else {
            for (auto b : r.bridges) {
                m.insert(b);
                for (auto x : cx.subtree(b)) m.insert(x);
            }
        }
        r.members.assign(m.begin(), m.end());
        out.push_back(std::move(r));
    }
    // Intel: every PCH root port shares DMI
    ChipsetRegion pch;
    std::set<std::size_t> m;
    for (std::size_t i = 0; i < cx.size(); ++i) {
        if (!is_intel_pch_root_port(cx, i)) continue;
        pch.bridges.push_back(i);
        for (auto x : cx.subtree(i)) m.insert(x);
    }
    if (!pch.bridges.empty()) {
        pch.what = "Intel PCH";
        pch.members.assign(m.begin(), m.end());
        out.push_back(std::move(pch));
    }
    return out;
}

} // namespace il::linter
