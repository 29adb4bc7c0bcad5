// Replays the kernel's IOMMU grouping (drivers/iommu/iommu.c pci_device_group and what it
// calls) over a host snapshot, device by device in kernel probe order.
#pragma once

#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "sim/policy.hpp"
#include "sim/tri.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace il::sim {

// One ACS question and its answer, as used for an explanation.
struct AcsVerdict {
    std::size_t device = 0;
    Tri isolated = Tri::unknown;
    std::string why; // "ACS capability, SV RR CR UF enabled", "quirk intel_pch: ...", ...
};

// How one device came to its group.
struct DeviceTrace {
    std::size_t device = 0;
    std::vector<std::string> steps; // the walk, in words
    std::size_t alias_root = 0;     // after the DMA-alias walk (Step A)
    std::size_t group_root = 0;     // after the ACS walk up (Step B)
    enum class Join { new_group, alias_walk, bridge_group, dma_alias, function_alias, no_group };
    Join join = Join::new_group;
    std::optional<std::size_t> via;    // the device whose group it joined
    std::vector<AcsVerdict> verdicts;  // every ACS answer consulted for this device
    std::vector<std::string> unknowns; // facts the input did not give that were consulted
};

struct Group {
    int id = 0;                       // creation order (like /sys/kernel/iommu_groups/N)
    std::vector<std::size_t> members; // device indices, ascending bdf
    std::string reason;               // why these devices are together (or alone)
    bool certain = true;              // same in the tightest and loosest reading of unknowns
};

struct Grouping {
    std::vector<Group> groups;
    std::vector<int> group_of;                  // per device index; -1 = no group
    std::vector<DeviceTrace> traces;            // per device index
    std::vector<std::string> ungrouped_reasons; // per device index ("" when grouped)
};

struct SimResult {
    Policy policy;
    Grouping grouping;                 // main answer: unknowns read as "not isolated" (loosest)
    Grouping tight;                    // unknowns read as "isolated" (tightest)
    bool certain = true;               // tight and loose partitions are equal
    std::vector<std::string> unknowns; // every unknown fact that was consulted (deduplicated)
    std::vector<std::string> notes;    // assumptions (policy notes, topology notes, inference)
};

enum class Reading { loose, tight };

// Runs the grouping under one policy.
SimResult simulate(const model::Host& host, const Policy& policy);
// The same with a prebuilt topology (reuse it across policies).
SimResult simulate(const model::Host& host, const model::Topology& topo, const Policy& policy);

// Is the device ACS-isolated (pci_acs_enabled with SV|RR|CR|UF) under the policy?
// (One question: the set-up costs a pass over the host. For many devices use AcsQuery.)
AcsVerdict acs_enabled(const model::Host& host, const model::Topology& topo, const Policy& policy,
                       std::size_t device, Reading reading = Reading::loose);

// The same question for many devices of one host under one policy: set up once, each answer
// computed once (the engine remembers its answers; a returned reference stays valid as long as
// the query). Host and topology must outlive it.
class AcsQuery {
public:
    AcsQuery(const model::Host& host, const model::Topology& topo, Policy policy,
             Reading reading = Reading::loose);
    ~AcsQuery();
    AcsQuery(const AcsQuery&) = delete;
    AcsQuery& operator=(const AcsQuery&) = delete;
    const AcsVerdict& operator()(std::size_t device);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace il::sim
