// The kernel's ACS and DMA-alias quirk tables, loaded from the embedded data files.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

namespace il::sim {

namespace data {
extern const char* const acs_quirks_json;
extern const char* const dma_alias_quirks_json;
extern const char* const device_families_json;
} // namespace data

using IdRange = std::pair<std::uint16_t, std::uint16_t>; // inclusive

struct AcsQuirkEntry {
    std::uint16_t vendor = 0;
    int device = -1;   // -1 = any
    std::string quirk; // "amd_sb", "mf_endpoint", "rciep", "intel_pch", ... or "override"
    std::string since; // kernel version that added it ("" = in the base table)
};

struct AcsQuirkTable {
    std::string kernel; // the kernel the table was read from
    std::vector<AcsQuirkEntry> table;
    std::size_t proxmox_override_after = 0; // index of the entry the Proxmox patch follows
    std::set<std::uint16_t> intel_pch_root_ports;
    std::vector<IdRange> intel_spt_ranges, cavium_rp_ranges, zhaoxin_ok_ranges, wangxun_ok_ranges;
};

struct DmaAliasIds {
    std::uint16_t vendor = 0;
    int device = -1;
    int subsys_vendor = -1, subsys_device = -1; // -1 = not matched
};
struct DmaAliasQuirk {
    std::string quirk; // dma_func0_alias, dma_func1_alias, fixed_dma_alias, ...
    std::vector<DmaAliasIds> ids;
};
struct DmaAliasTable {
    std::string kernel;
    std::vector<DmaAliasQuirk> quirks;
};

struct DeviceFamilies {
    std::set<std::pair<std::uint16_t, std::uint16_t>> vmd_controllers;
    std::vector<std::pair<std::string, std::uint16_t>> vendor_names; // longest first
};

// Vendor id from the start of an lspci description ("Intel Corporation Device 1234"), for
// dumps taken without -nn. nullopt when the name is not known.
std::optional<std::uint16_t> vendor_from_name(std::string_view description);

const AcsQuirkTable& acs_quirk_table();
const DmaAliasTable& dma_alias_table();
const DeviceFamilies& device_families();

// True for the quirk names the grouping engine implements.
bool known_acs_quirk(std::string_view quirk);

bool in_ranges(const std::vector<IdRange>& r, std::uint16_t id);

} // namespace il::sim
