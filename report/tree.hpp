// The PCI topology as a picture: root complexes, root ports, switches, chipset uplinks, CPU vs
// chipset lanes, trained vs capable links, IOMMU groups (coloured clusters), passthrough targets,
// and the groups that exist only because of pcie_acs_override (dashed). Text, DOT and SVG.
#pragma once

#include "linter/context.hpp"
#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "sim/grouping.hpp"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace il::report {

// Where a device's PCIe lanes come from.
enum class Lanes { cpu, chipset, integrated, unknown };
std::string_view to_string(Lanes l);

enum class Role {
    host_bridge,
    root_port,
    switch_upstream,
    switch_downstream,
    pcie_to_pci_bridge,
    pci_bridge,
    rc_endpoint,
    endpoint,
    other,
};
std::string_view to_string(Role r);

// The link between a port and the device below it, seen from the device.
struct LinkView {
    int width = -1, cap_width = -1;  // trained (LnkSta) and capable (LnkCap) width
    double speed = 0, cap_speed = 0; // GT/s
    int port_cap_width = -1;         // the port's LnkCap (the slot), when known
    double port_cap_speed = 0;
    bool degraded = false; // trained below what both ends can do (or lspci said so)
    bool known() const { return width >= 0 || speed > 0; }
    std::string trained() const; // "x4 8GT/s"
    std::string capable() const; // "x16 16GT/s" (the lesser of device and port)
};

struct TreeNode {
    std::size_t device = 0;
    Role role = Role::other;
    Lanes lanes = Lanes::unknown;
    bool chipset_uplink = false;       // this bridge leads to chipset lanes (PCH, Promontory, ...)
    std::string chipset_why;           // why it counts as one
    int group = -1;                    // -1: no group
    bool override_only = false;        // its group exists only because of the ACS override
    bool passthrough = false;          // a passthrough target (VM config or --passthrough)
    sim::Tri acs = sim::Tri::unknown;  // bridges: ACS-isolating under the shown policy
    std::optional<LinkView> link;      // the link above the device
    bool empty_port = false;           // a root/downstream port with nothing below it
    std::vector<std::size_t> children; // device indices
};

struct RootComplexNode {
    std::size_t bus = 0;               // index into Topology::buses
    std::string label;                 // "0000:00"
    bool assumed = false;              // root only because some bridge ranges were unknown
    std::vector<std::size_t> children; // device indices
};

struct GroupNode {
    int id = 0;
    std::vector<std::size_t> members;
    bool override_only = false;
    bool certain = true;
    std::string reason;
};

struct Tree {
    std::vector<TreeNode> nodes; // one per device index
    std::vector<RootComplexNode> roots;
    std::vector<GroupNode> groups;
    std::string policy;             // the shown policy, described
    std::string baseline;           // the policy without the override, if compared
    std::vector<std::string> notes; // topology notes, passthrough names not found, ...
};

// Is this bridge a chipset uplink? Names saying PCH/chipset/Promontory, the Intel PCH root-port
// ids of the kernel's ACS quirk table, AMD switch upstream ports below a root port. `why` is set.
bool is_chipset_bridge(const model::Device& d, std::string* why = nullptr);
Role role_of(const model::Host& h, const model::Topology& t, std::size_t dev);
Lanes lanes_of(const model::Host& h, const model::Topology& t, std::size_t dev);
// The lanes a device plugged below this port would use (a root port's own lanes_of is
// "integrated": it sits in the root complex).
Lanes lanes_below(const model::Host& h, const model::Topology& t, std::size_t port);
std::optional<LinkView> link_above(const model::Host& h, const model::Topology& t, std::size_t dev);

// --passthrough requests as addresses of this host: a whole-slot request ("01:00") names every
// function of that slot present in the host; a single function is kept even when absent (the
// tree notes it as missing).
std::vector<model::Bdf> expand_passthrough(const model::Host& h,
                                           const std::vector<linter::PassthroughRequest>& req);

// shown: the groups to draw (as booted, or with --acs-override). baseline: the same policy
// without the override; groups of `shown` that only the override split off are marked.
// passthrough: extra targets besides the host's VM configs.
Tree build_tree(const model::Host& h, const model::Topology& t, const sim::SimResult& shown,
                const sim::SimResult* baseline, const std::vector<model::Bdf>& passthrough);

void tree_text(std::ostream& os, const model::Host& h, const Tree& tree);
std::string tree_dot(const model::Host& h, const Tree& tree);

// Short device text for labels: description (or class name) and [vvvv:dddd] when known.
std::string device_label(const model::Device& d);
// base class << 8 | subclass: the number when printed (-nn), else from lspci's class name.
std::optional<std::uint16_t> class_of(const model::Device& d);

} // namespace il::report
