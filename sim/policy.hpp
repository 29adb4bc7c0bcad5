// What the simulated kernel does: version, IOMMU, ACS parameters and the pcie_acs_override.
#pragma once

#include "model/snapshot.hpp"
#include "sim/kernel_version.hpp"
#include "sim/tri.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace il::sim {

// The pcie_acs_override= value, parsed exactly as the patched kernel parses it.
struct OverrideConfig {
    bool downstream = false;
    bool multifunction = false;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> ids; // at most 15 (kernel limit)
    std::vector<std::string> warnings; // what the kernel would log while parsing
    std::string text;                  // the value as given
    bool any() const { return downstream || multifunction || !ids.empty(); }
    std::string describe() const; // "downstream,multifunction,id:10de:1b80" or "none"
};
OverrideConfig parse_acs_override(std::string_view value);

// Where the override entry sits in the ACS quirk table.
enum class OverridePlacement { proxmox, end_of_table };

// pci=config_acs= / pci=disable_acs_redir= entries.
struct AcsConfigEntry {
    std::string selector; // device selector (pci_dev_str_match grammar)
    std::uint16_t mask = 0;  // bits being set/cleared
    std::uint16_t flags = 0; // their new values
    bool disable_redir = false;
};

struct Policy {
    KernelVersion kernel;
    std::string kernel_origin;  // "--kernel", "host logs", "default (newest known)"
    bool iommu_on = true;       // the kernel requested ACS (an IOMMU driver is active)
    Tri amd_ivrs = Tri::unknown; // an AMD IOMMU (IVRS table) is present
    Tri intel_dmar = Tri::unknown;
    OverrideConfig override_cfg;
    OverridePlacement placement = OverridePlacement::end_of_table;
    std::string override_origin; // why the override is (not) applied
    std::vector<AcsConfigEntry> acs_config; // disable_acs_redir first, then config_acs
    bool pch_workaround_failed = false; // the log said "Failed to enable Intel PCH ACS quirk"
    bool noats = false;                 // pci=noats: TB also enabled (not grouping relevant)
    VersionRules rules;
    std::vector<std::string> notes;     // assumptions made, for the report
    std::string describe() const;       // one-line summary
};

// The host as it booted: its kernel (from the logs/cmdline unless `kernel` is given), its
// own command line (pcie_acs_override, pci=...), the IOMMU vendor.
Policy policy_as_booted(const model::Host& host, std::optional<KernelVersion> kernel = {});
// The same policy with a different override (none when cfg.any() is false).
Policy with_override(Policy p, const OverrideConfig& cfg, std::string origin);

} // namespace il::sim
