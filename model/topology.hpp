// The host's PCI topology as a graph (Boost.Graph): one vertex per device and per root bus,
// an edge from each bridge (or root bus) to every device on the bus below it. Derived from
// bridge bus numbers (lspci -vv Bus: lines, hex dumps, lspci -t ranges).
#pragma once

#include "model/snapshot.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace il::model {

struct BusKey {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    auto operator<=>(const BusKey&) const = default; // NOLINT(modernize-use-nullptr): tidy 14 bug
};

// A PCI bus as the kernel sees it.
struct BusNode {
    BusKey key;
    bool is_root = false;              // root bus (no parent bus)
    bool root_assumed = false;         // no bridge leads here, but some bridge ranges were unknown
    bool is_virtual = false;           // bus without a bridge inside a bridge's range (SR-IOV VFs)
    std::optional<std::size_t> self;   // device index of the bridge above (bus->self)
    std::optional<std::size_t> parent; // index into Topology::buses of the parent bus
    std::vector<std::size_t> devices;  // device indices on this bus, ascending devfn
};

class Topology {
public:
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

    explicit Topology(const Host& host);

    const Host& host() const { return host_; }
    const std::vector<BusNode>& buses() const { return buses_; }
    // bus index of a device
    std::size_t bus_of(std::size_t dev) const { return dev_bus_[dev]; }
    const BusNode& bus(std::size_t i) const { return buses_[i]; }
    // the bus below a bridge (its secondary bus), if known and populated or known empty
    std::optional<std::size_t> child_bus(std::size_t dev) const { return child_bus_[dev]; }
    // upstream bridge (pci_upstream_bridge): bus->self of the device's bus, skipping virtual buses
    std::optional<std::size_t> upstream_bridge(std::size_t dev) const;
    // the kernel's device add order (pci_bus_add_devices from each root bus)
    const std::vector<std::size_t>& probe_order() const { return probe_order_; }
    // true when every bridge's bus numbers were known, so root buses are certain
    bool complete() const { return complete_; }
    const std::vector<std::string>& notes() const { return notes_; }
    const Graph& graph() const { return graph_; }
    // graph vertex of a device (devices come first; then one vertex per bus)
    std::size_t vertex_of_device(std::size_t dev) const { return dev; }
    // chain of bridges from the device up to its root bus (nearest first)
    std::vector<std::size_t> bridges_above(std::size_t dev) const;
    // the root port (or root-bus device) above a device, itself if it sits on a root bus
    std::size_t root_device_of(std::size_t dev) const;

private:
    const Host& host_;
    std::vector<BusNode> buses_;
    std::vector<std::size_t> dev_bus_;
    std::vector<std::optional<std::size_t>> child_bus_;
    std::vector<std::size_t> probe_order_;
    std::vector<std::string> notes_;
    bool complete_ = true;
    Graph graph_;
};

} // namespace il::model
