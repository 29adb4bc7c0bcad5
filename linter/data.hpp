// The linter's data tables: chipset bridges (IL107) and reset quirks (IL201, IL202).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace il::linter {

namespace data {
extern const char* const chipset_uplinks_json;
extern const char* const reset_quirks_json;
} // namespace data

struct ChipsetBridge {
    std::uint16_t vendor = 0, device = 0;
    enum class Role { chipset_bridge, chipset_port } role = Role::chipset_bridge;
    std::string name;
};

struct ChipsetTable {
    std::vector<ChipsetBridge> amd;
    std::vector<std::string> intel_name_any;              // any of these words in the name
    std::vector<std::vector<std::string>> intel_name_all; // all words of one entry
    std::string intel_uplink;
    const ChipsetBridge* find(std::uint16_t vendor, std::uint16_t device) const;
};

enum class ResetProblem { reset_bug, no_flr, no_bus_reset, no_pm_reset };
std::string_view to_string(ResetProblem p);

struct ResetFamily {
    std::string name;
    std::uint16_t vendor = 0;
    std::vector<std::uint16_t> devices; // empty with a class rule
    std::optional<std::uint16_t> class_code;
    ResetProblem problem = ResetProblem::reset_bug;
    std::string source;
};

struct ResetTable {
    std::map<ResetProblem, std::string> explain;
    std::vector<ResetFamily> families;
    // every family entry matching the ids (class rules too)
    std::vector<const ResetFamily*> match(std::uint16_t vendor, std::uint16_t device,
                                          std::optional<std::uint16_t> class_code) const;
};

const ChipsetTable& chipset_table();
const ResetTable& reset_table();

} // namespace il::linter
