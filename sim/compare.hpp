// Observed groups (IOMMU group: lines, listings, dmesg) against a simulated partition.
#pragma once

#include "model/snapshot.hpp"
#include "sim/grouping.hpp"

#include <string>
#include <vector>

namespace il::sim {

struct Comparison {
    bool has_observed = false;
    bool match = false; // partitions equal (group numbers do not matter)
    std::vector<std::string> differences;
    std::size_t devices_compared = 0;
};

Comparison compare_observed(const model::Host& host, const Grouping& g);

// A group of `before` that `after` (the same host under another policy, e.g. with
// pcie_acs_override) splits into several groups.
struct Split {
    const Group* before = nullptr;
    std::vector<const Group*> after;
    std::vector<AcsVerdict> override_decisions; // verdicts that only the override made "isolated"
    bool hardware_enforced = false;             // no such verdict: the hardware's ACS does it
};
std::vector<Split> override_splits(const SimResult& before, const SimResult& after);

} // namespace il::sim
