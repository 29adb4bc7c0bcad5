// Observed groups (IOMMU group: lines, listings, dmesg) against a simulated partition.
#pragma once

#include "model/snapshot.hpp"
#include "sim/grouping.hpp"

#include <string>
#include <vector>

namespace il::sim {

struct Comparison {
    bool has_observed = false;
    bool match = false;               // partitions equal (group numbers do not matter)
    std::vector<std::string> differences;
    std::size_t devices_compared = 0;
};

Comparison compare_observed(const model::Host& host, const Grouping& g);

} // namespace il::sim
