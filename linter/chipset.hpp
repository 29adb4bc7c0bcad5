// Where the chipset is: the devices behind an AMD chipset (Promontory) or the Intel PCH root
// ports, which all share one link to the CPU (linter/data/chipset-uplinks.json).
#pragma once

#include "linter/context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace il::linter {

struct ChipsetRegion {
    std::string what;                  // "AMD 500 Series chipset", "Intel PCH"
    std::optional<std::size_t> uplink; // the CPU root port carrying the chipset link (AMD)
    std::vector<std::size_t> bridges;  // the chipset bridges/ports found
    std::vector<std::size_t> members;  // every device behind the chipset link, ascending
};

std::vector<ChipsetRegion> chipset_regions(const LintContext& cx);

// An Intel PCH root port (id in the kernel's PCH quirk lists, or a name saying so).
bool is_intel_pch_root_port(const LintContext& cx, std::size_t i);

} // namespace il::linter
