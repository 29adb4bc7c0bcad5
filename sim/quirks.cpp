#include "sim/quirks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace il::sim {

bool known_acs_quirk(std::string_view q) {
    static const char* const names[] = {"amd_sb",  "mf_endpoint",   "rciep",     "qcom_rp",
                                        "intel_pch", "intel_spt_pch", "cavium",    "xgene",
                                        "brcm",    "loongson",      "al",        "nxp_rp",
                                        "zhaoxin_pcie_ports", "wangxun_nic", "override"};
    for (const char* n : names)
        if (q == n) return true;
    return false;
}

namespace {

std::uint16_t h16(const nlohmann::json& j) {
    return static_cast<std::uint16_t>(std::stoul(j.get<std::string>(), nullptr, 16));
}
int h_any(const nlohmann::json& j) {
    const auto s = j.get<std::string>();
    return s == "any" ? -1 : static_cast<int>(std::stoul(s, nullptr, 16));
}
std::vector<IdRange> ranges(const nlohmann::json& j) {
    std::vector<IdRange> r;
    for (const auto& e : j) r.emplace_back(h16(e[0]), h16(e[1]));
    return r;
}

AcsQuirkTable load_acs() {
    const auto j = nlohmann::json::parse(data::acs_quirks_json);
    AcsQuirkTable t;
    t.kernel = j.at("kernel").get<std::string>();
    for (const auto& e : j.at("table")) {
        t.table.push_back({h16(e[0]), h_any(e[1]), e[2].get<std::string>(), ""});
        if (!known_acs_quirk(t.table.back().quirk))
            throw std::runtime_error("acs-quirks.json: quirk \"" + t.table.back().quirk +
                                     "\" has no implementation in the simulator");
    }
    t.proxmox_override_after = j.at("proxmox_override_after_index").get<std::size_t>();
    for (const auto& id : j.at("intel_pch_root_ports")) t.intel_pch_root_ports.insert(h16(id));
    t.intel_spt_ranges = ranges(j.at("intel_spt_root_port_ranges"));
    t.cavium_rp_ranges = ranges(j.at("cavium_root_port_ranges"));
    t.zhaoxin_ok_ranges = ranges(j.at("zhaoxin_isolated_ranges"));
    t.wangxun_ok_ranges = ranges(j.at("wangxun_isolated_ranges"));
    // later additions go right after their anchor entry, tagged with their version
    for (const auto& add : j.at("later_additions")) {
        const auto av = h16(add.at("after")[0]);
        const auto ad = static_cast<int>(h16(add.at("after")[1]));
        for (std::size_t i = 0; i < t.table.size(); ++i) {
            if (t.table[i].vendor == av && t.table[i].device == ad) {
                std::size_t at = i + 1;
                for (const auto& e : add.at("entries")) {
                    t.table.insert(t.table.begin() + static_cast<std::ptrdiff_t>(at),
                                   {h16(e[0]), h_any(e[1]), e[2].get<std::string>(),
                                    add.at("since").get<std::string>()});
                    if (at <= t.proxmox_override_after) ++t.proxmox_override_after;
                    ++at;
                }
                break;
            }
        }
    }
    return t;
}

DmaAliasTable load_dma() {
    const auto j = nlohmann::json::parse(data::dma_alias_quirks_json);
    DmaAliasTable t;
    t.kernel = j.at("kernel").get<std::string>();
    for (const auto& q : j.at("quirks")) {
        DmaAliasQuirk dq;
        dq.quirk = q.at("quirk").get<std::string>();
        for (const auto& id : q.at("ids")) {
            DmaAliasIds d;
            d.vendor = h16(id[0]);
            d.device = h_any(id[1]);
            if (id.size() >= 4) {
                d.subsys_vendor = h_any(id[2]);
                d.subsys_device = h_any(id[3]);
            }
            dq.ids.push_back(d);
        }
        t.quirks.push_back(std::move(dq));
    }
    return t;
}

DeviceFamilies load_families() {
    const auto j = nlohmann::json::parse(data::device_families_json);
    DeviceFamilies f;
    for (const auto& e : j.at("vmd_controllers")) f.vmd_controllers.emplace(h16(e[0]), h16(e[1]));
    for (const auto& e : j.at("vendor_names")) f.vendor_names.emplace_back(e[0].get<std::string>(), h16(e[1]));
    std::stable_sort(f.vendor_names.begin(), f.vendor_names.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return f;
}

} // namespace

const AcsQuirkTable& acs_quirk_table() {
    static const AcsQuirkTable t = load_acs();
    return t;
}
const DmaAliasTable& dma_alias_table() {
    static const DmaAliasTable t = load_dma();
    return t;
}
const DeviceFamilies& device_families() {
    static const DeviceFamilies f = load_families();
    return f;
}

std::optional<std::uint16_t> vendor_from_name(std::string_view description) {
    for (const auto& [name, id] : device_families().vendor_names)
        if (description.substr(0, name.size()) == name &&
            (description.size() == name.size() || description[name.size()] == ' '))
            return id;
    return std::nullopt;
}

bool in_ranges(const std::vector<IdRange>& r, std::uint16_t id) {
    for (auto [a, b] : r)
        if (id >= a && id <= b) return true;
    return false;
}

} // namespace il::sim
