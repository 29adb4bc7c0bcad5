#include "report/tree.hpp"

#include "report/dot.hpp"
#include "report/groups.hpp"
#include "sim/quirks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace il::report {

std::string_view to_string(Lanes l) {
    switch (l) {
    case Lanes::cpu:
        return "CPU lanes";
    case Lanes::chipset:
        return "chipset lanes";
    case Lanes::integrated:
        return "integrated";
    case Lanes::unknown:
        break;
    }
    return "lanes unknown";
}

std::string_view to_string(Role r) {
    switch (r) {
    case Role::host_bridge:
        return "host bridge";
    case Role::root_port:
        return "root port";
    case Role::switch_upstream:
        return "switch upstream port";
    case Role::switch_downstream:
        return "switch downstream port";
    case Role::pcie_to_pci_bridge:
        return "PCIe-to-PCI bridge";
    case Role::pci_bridge:
        return "bridge";
    case Role::rc_endpoint:
        return "integrated endpoint";
    case Role::endpoint:
        return "endpoint";
    case Role::other:
        break;
    }
    return "device";
}

namespace {

std::string fmt_speed(double gts) {
    char b[32];
    if (std::fabs(gts - std::round(gts)) < 0.01)
        std::snprintf(b, sizeof b, "%.0fGT/s", gts);
    else
        std::snprintf(b, sizeof b, "%.1fGT/s", gts);
    return b;
}

std::string link_part(int width, double speed) {
    std::string s;
    if (width > 0) s += "x" + std::to_string(width);
    if (speed > 0) s += (s.empty() ? "" : " ") + fmt_speed(speed);
    return s.empty() ? std::string("?") : s;
}

std::string short_bdf(const model::Bdf& b) {
    if (b.domain != 0) return b.str();
    return b.str().substr(5);
}

std::string hex4(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%04x", v & 0xffff);
    return b;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        bool ok = true;
        for (std::size_t k = 0; k < needle.size() && ok; ++k)
            ok = std::tolower(static_cast<unsigned char>(hay[i + k])) ==
                 std::tolower(static_cast<unsigned char>(needle[k]));
        if (ok) return true;
    }
    return false;
}

bool is_port_like(const model::Device& d) {
    return d.is_bridge() || d.port_type.is(model::PortType::root_port) ||
           d.port_type.is(model::PortType::downstream_port) ||
           d.port_type.is(model::PortType::upstream_port);
}

std::string truncate(std::string s, std::size_t n) {
    if (s.size() <= n) return s;
    s.resize(n - 3);
    // do not cut a UTF-8 sequence in half
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xc0) == 0x80) s.pop_back();
    if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
    return s + "...";
}

} // namespace

std::string LinkView::trained() const {
    return link_part(width, speed);
}

std::string LinkView::capable() const {
    // a capability of x0 is no capability (QEMU's xio3130 ports report it): ignored
    int w = cap_width > 0 ? cap_width : -1;
    if (port_cap_width > 0) w = w > 0 ? std::min(w, port_cap_width) : port_cap_width;
    double s = cap_speed;
    if (port_cap_speed > 0) s = s > 0 ? std::min(s, port_cap_speed) : port_cap_speed;
    return link_part(w, s);
}

std::string device_label(const model::Device& d) {
    std::string s = d.description.empty() ? d.class_name : d.description;
    if (d.vendor_id.known() && d.device_id.known())
        s += (s.empty() ? "[" : " [") + hex4(*d.vendor_id) + ":" + hex4(*d.device_id) + "]";
    if (s.empty()) s = "unknown device";
    return s;
}

std::optional<std::uint16_t> class_of(const model::Device& d) {
    return d.effective_class();
}

bool is_chipset_bridge(const model::Device& d, std::string* why) {
    if (!is_port_like(d)) return false;
    auto say = [&](std::string w) {
        if (why) *why = std::move(w);
        return true;
    };
    const std::string& name = d.description;
    if (name.find("PCH") != std::string::npos) return say("its name says PCH");
    if (contains_ci(name, "chipset")) return say("its name says chipset");
    if (contains_ci(name, "promontory")) return say("its name says Promontory");
    if (d.vendor_id.is(0x8086) && d.device_id.known()) {
        const auto& qt = sim::acs_quirk_table();
        if (qt.intel_pch_root_ports.count(*d.device_id) ||
            sim::in_ranges(qt.intel_spt_ranges, *d.device_id))
            return say("Intel PCH root port id 8086:" + hex4(*d.device_id));
    }
    // Intel places PCH root ports at devices 1b-1d of bus 0 (CPU ports sit at 01, 06, 07, ...)
    if (d.vendor_id.is(0x8086) && d.port_type.is(model::PortType::root_port) && d.bdf.domain == 0 &&
        d.bdf.bus == 0 && d.bdf.dev >= 0x1b && d.bdf.dev <= 0x1d)
        return say("Intel PCH root-port position (device 1b-1d of bus 0)");
    if (d.vendor_id.is(0x1022) && d.port_type.is(model::PortType::upstream_port))
        return say("AMD switch upstream port (the chipset's uplink)");
    return false;
}

Role role_of(const model::Host& h, const model::Topology& t, std::size_t dev) {
    const auto& d = h.devices[dev];
    if (d.port_type.known()) switch (*d.port_type) {
        case model::PortType::root_port:
            return Role::root_port;
        case model::PortType::upstream_port:
            return Role::switch_upstream;
        case model::PortType::downstream_port:
            return Role::switch_downstream;
        case model::PortType::pcie_to_pci_bridge:
            return Role::pcie_to_pci_bridge;
        case model::PortType::rc_integrated_endpoint:
            return Role::rc_endpoint;
        case model::PortType::endpoint:
        case model::PortType::legacy_endpoint:
            return Role::endpoint;
        default:
            break;
        }
    if (class_of(d) == std::optional<std::uint16_t>(0x0600)) return Role::host_bridge;
    if (d.is_bridge()) return Role::pci_bridge;
    (void)t;
    return d.class_code.known() || !d.description.empty() ? Role::endpoint : Role::other;
}

Lanes lanes_of(const model::Host& h, const model::Topology& t, std::size_t dev) {
    const auto chain = t.bridges_above(dev);
    if (chain.empty()) {
        if (is_chipset_bridge(h.devices[dev])) return Lanes::chipset;
        return t.bus(t.bus_of(dev)).root_assumed ? Lanes::unknown : Lanes::integrated;
    }
    for (auto b : chain)
        if (is_chipset_bridge(h.devices[b])) {
            // an AMD chipset's upstream port itself hangs on CPU lanes; below it is chipset
            return Lanes::chipset;
        }
    const auto top = chain.back();
    if (t.bus(t.bus_of(top)).root_assumed) return Lanes::unknown;
    return h.devices[top].port_type.is(model::PortType::root_port) ? Lanes::cpu : Lanes::unknown;
}

Lanes lanes_below(const model::Host& h, const model::Topology& t, std::size_t port) {
    if (is_chipset_bridge(h.devices[port])) return Lanes::chipset;
    const auto l = lanes_of(h, t, port);
    if (l != Lanes::integrated) return l;
    return h.devices[port].port_type.is(model::PortType::root_port) ? Lanes::cpu : Lanes::unknown;
}

std::optional<LinkView> link_above(const model::Host& h, const model::Topology& t,
                                   std::size_t dev) {
    const auto& d = h.devices[dev];
    if (d.port_type.is(model::PortType::downstream_port) ||
        d.port_type.is(model::PortType::root_port) ||
        d.port_type.is(model::PortType::rc_integrated_endpoint))
        return std::nullopt; // internal: their own link registers describe the link below them
    auto up = t.upstream_bridge(dev);
    // only the device's own link registers tell (a second function without them shares
    // function 0's link; the port's registers alone would be attributed to the wrong device)
    if (!d.link.known()) return std::nullopt;
    // the functions of one device share a link: shown once, on function 0
    if (d.bdf.fn != 0) {
        auto f0 = d.bdf;
        f0.fn = 0;
        if (const auto* z = h.find(f0); z && z->link.known()) return std::nullopt;
    }
    const model::LinkInfo* mine = &*d.link;
    const model::LinkInfo* port = nullptr;
    if (up) {
        const auto& p = h.devices[*up];
        if (p.link.known() && (p.port_type.is(model::PortType::root_port) ||
                               p.port_type.is(model::PortType::downstream_port)))
            port = &*p.link;
    }
    LinkView v;
    const model::LinkInfo* sta =
        mine && (mine->sta_width >= 0 || mine->sta_speed_gts > 0) ? mine : port;
    if (sta) {
        v.width = sta->sta_width;
        v.speed = sta->sta_speed_gts;
    }
    if (mine) {
        v.cap_width = mine->cap_width;
        v.cap_speed = mine->cap_speed_gts;
    }
    if (port) {
        v.port_cap_width = port->cap_width;
        v.port_cap_speed = port->cap_speed_gts;
    }
    int cw = v.cap_width > 0 ? v.cap_width : -1;
    if (v.port_cap_width > 0) cw = cw > 0 ? std::min(cw, v.port_cap_width) : v.port_cap_width;
    double cs = v.cap_speed;
    if (v.port_cap_speed > 0) cs = cs > 0 ? std::min(cs, v.port_cap_speed) : v.port_cap_speed;
    v.degraded = (mine && mine->marked_downgraded) || (port && port->marked_downgraded) ||
                 (v.width > 0 && cw > 0 && v.width < cw) ||
                 (v.speed > 0 && cs > 0 && v.speed + 0.01 < cs);
    if (!v.known() && cw < 0 && cs <= 0) return std::nullopt;
    return v;
}

std::vector<model::Bdf> expand_passthrough(const model::Host& h,
                                           const std::vector<linter::PassthroughRequest>& req) {
    std::vector<model::Bdf> out;
    for (const auto& r : req) {
        if (!r.all_functions) {
            out.push_back(r.bdf);
            continue;
        }
        bool any = false;
        for (const auto& d : h.devices)
            if (d.bdf.domain == r.bdf.domain && d.bdf.bus == r.bdf.bus && d.bdf.dev == r.bdf.dev) {
                out.push_back(d.bdf);
                any = true;
            }
        if (!any) out.push_back(r.bdf); // reported as not in the input
    }
    return out;
}

Tree build_tree(const model::Host& h, const model::Topology& t, const sim::SimResult& shown,
                const sim::SimResult* baseline, const std::vector<model::Bdf>& passthrough) {
    Tree tree;
    const std::size_t n = h.devices.size();
    tree.nodes.resize(n);
    tree.policy = shown.policy.describe();
    std::set<int> override_only;
    if (baseline) {
        tree.baseline = baseline->policy.describe();
        for (const auto& s : override_splits(*baseline, shown))
            if (!s.hardware_enforced)
                for (const auto* g : s.after) override_only.insert(g->id);
    }
    std::set<std::size_t> targets;
    auto mark = [&](const model::Bdf& b, const std::string& from) {
        if (const auto* d = h.find(b))
            targets.insert(static_cast<std::size_t>(d - h.devices.data()));
        else
            tree.notes.push_back("passthrough target " + b.str() + " (" + from +
                                 ") is not in the input");
    };
    for (const auto& vm : h.vms)
        for (const auto& hp : vm.hostpci) {
            std::vector<model::Bdf> bdfs = hp.bdfs;
            if (bdfs.empty() && hp.bdf) bdfs.push_back(*hp.bdf);
            for (const auto& b : bdfs)
                mark(b, "VM " + vm.name + " hostpci" + std::to_string(hp.index));
        }
    for (const auto& b : passthrough) mark(b, "--passthrough");

    std::map<std::size_t, std::size_t> root_index; // bus index -> roots index
    auto root_of_bus = [&](std::size_t bi) {
        std::size_t steps = 0;
        while (!t.bus(bi).is_root && t.bus(bi).parent && steps++ <= t.buses().size())
            bi = *t.bus(bi).parent;
        return bi;
    };
    sim::AcsQuery acs(h, t, shown.policy);
    for (std::size_t i = 0; i < n; ++i) {
        auto& nd = tree.nodes[i];
        const auto& d = h.devices[i];
        nd.device = i;
        nd.role = role_of(h, t, i);
        nd.chipset_uplink = is_chipset_bridge(d, &nd.chipset_why);
        nd.lanes = nd.role == Role::root_port ? lanes_below(h, t, i) : lanes_of(h, t, i);
        nd.group = i < shown.grouping.group_of.size() ? shown.grouping.group_of[i] : -1;
        nd.override_only = nd.group >= 0 && override_only.count(nd.group);
        nd.passthrough = targets.count(i) > 0;
        if (is_port_like(d)) nd.acs = acs(i).isolated;
        nd.link = link_above(h, t, i);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (auto up = t.upstream_bridge(i)) {
            tree.nodes[*up].children.push_back(i);
            continue;
        }
        const auto rb = root_of_bus(t.bus_of(i));
        auto it = root_index.find(rb);
        if (it == root_index.end()) {
            RootComplexNode r;
            r.bus = rb;
            char b[24];
            std::snprintf(b, sizeof b, "%04x:%02x", t.bus(rb).key.domain, t.bus(rb).key.bus);
            r.label = b;
            r.assumed = t.bus(rb).root_assumed;
            tree.roots.push_back(r);
            it = root_index.emplace(rb, tree.roots.size() - 1).first;
        }
        tree.roots[it->second].children.push_back(i);
    }
    std::sort(tree.roots.begin(), tree.roots.end(),
              [&](const RootComplexNode& a, const RootComplexNode& b) {
                  return t.bus(a.bus).key < t.bus(b.bus).key;
              });
    for (std::size_t i = 0; i < n; ++i) {
        auto& nd = tree.nodes[i];
        if ((nd.role == Role::root_port || nd.role == Role::switch_downstream) &&
            nd.children.empty() && t.child_bus(i))
            nd.empty_port = true;
    }
    for (const auto& g : shown.grouping.groups)
        tree.groups.push_back(
            {g.id, g.members, override_only.count(g.id) > 0, g.certain, g.reason});
    for (const auto& note : t.notes()) tree.notes.push_back(note);
    return tree;
}

namespace {

std::string node_line(const model::Host& h, const Tree& tree, std::size_t i) {
    const auto& nd = tree.nodes[i];
    const auto& d = h.devices[i];
    std::string s = short_bdf(d.bdf) + " " + std::string(to_string(nd.role));
    if (nd.chipset_uplink) s += ", chipset uplink (" + nd.chipset_why + ")";
    if (nd.role != Role::host_bridge && nd.lanes != Lanes::integrated)
        s += ", " + std::string(to_string(nd.lanes));
    if (is_port_like(d))
        s += std::string(", ACS ") + (nd.acs == sim::Tri::yes  ? "isolates"
                                      : nd.acs == sim::Tri::no ? "no"
                                                               : "unknown");
    if (const auto& ps = d.physical_slot; ps.known()) s += ", slot " + *ps;
    s += ": " + device_label(d);
    s += nd.group >= 0 ? "  [group " + std::to_string(nd.group) +
                             (nd.override_only ? " ~override only" : "") + "]"
                       : std::string("  [no group]");
    if (nd.link) {
        s += "  link " + nd.link->trained() + " of " + nd.link->capable();
        if (nd.link->degraded) s += " (degraded)";
    }
    if (nd.empty_port) {
        s += "  (empty";
        if (d.link.known() && (d.link.value->cap_width > 0 || d.link.value->cap_speed_gts > 0))
            s += ", capable " + link_part(d.link.value->cap_width, d.link.value->cap_speed_gts);
        s += ")";
    }
    if (nd.passthrough) s += "  <== PASSTHROUGH";
    return s;
}

} // namespace

void tree_text(std::ostream& os, const model::Host& h, const Tree& tree) {
    os << "host " << h.name << "\n";
    os << "groups: " << tree.policy << "\n";
    if (!tree.baseline.empty()) os << "compared with: " << tree.baseline << "\n";
    // iterative depth-first walk with the lspci -t style prefixes
    struct Item {
        std::size_t dev;
        std::string prefix;
        bool last;
    };
    std::vector<char> seen(h.devices.size(), 0);
    for (const auto& r : tree.roots) {
        os << "root complex " << r.label
           << (r.assumed ? " (assumed: some bridges' bus numbers are unknown)" : "") << "\n";
        std::vector<Item> stack;
        for (std::size_t k = r.children.size(); k-- > 0;)
            stack.push_back({r.children[k], "", k + 1 == r.children.size()});
        while (!stack.empty()) {
            Item it = stack.back();
            stack.pop_back();
            if (seen[it.dev]) continue;
            seen[it.dev] = 1;
            os << it.prefix << (it.last ? "\\- " : "+- ") << node_line(h, tree, it.dev) << "\n";
            const auto& kids = tree.nodes[it.dev].children;
            const std::string next = it.prefix + (it.last ? "   " : "|  ");
            for (std::size_t k = kids.size(); k-- > 0;)
                stack.push_back({kids[k], next, k + 1 == kids.size()});
        }
    }
    os << "groups:\n";
    for (const auto& g : tree.groups) {
        os << "  group " << g.id << (g.certain ? "" : " ?")
           << (g.override_only ? " (exists only with the ACS override)" : "") << ":";
        for (auto m : g.members) os << " " << short_bdf(h.devices[m].bdf);
        os << "\n";
    }
    for (const auto& n : tree.notes) os << "note: " << n << "\n";
}

std::string tree_dot(const model::Host& h, const Tree& tree) {
    static const char* fills[] = {"#e3f2fd", "#fce4ec", "#e8f5e9", "#fff3e0", "#f3e5f5", "#e0f7fa",
                                  "#fffde7", "#efebe9", "#ede7f6", "#f1f8e9", "#fbe9e7", "#e0f2f1"};
    static const char* borders[] = {"#1e88e5", "#d81b60", "#43a047", "#fb8c00",
                                    "#8e24aa", "#00acc1", "#c0a000", "#6d4c41",
                                    "#5e35b1", "#7cb342", "#f4511e", "#00897b"};
    constexpr std::size_t k_colours = sizeof fills / sizeof fills[0];
    std::ostringstream o;
    std::string title = "host " + h.name + "\n" + tree.policy;
    if (!tree.baseline.empty()) title += "\ndashed groups exist only with the ACS override";
    title += "\nblue links: CPU lanes, orange: chipset lanes; red border: passthrough target";
    o << "digraph iommu_topology {\n";
    o << "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10, labelloc=t, labeljust=l, "
         "nodesep=0.12, "
         "ranksep=0.35, label="
      << dot_quote(title) << "];\n";
    o << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
         "fontname=\"Helvetica\", fontsize=9, "
         "margin=\"0.08,0.03\"];\n";
    o << "  edge [arrowhead=none, color=\"#888888\", fontname=\"Helvetica\", fontsize=8];\n";
    for (std::size_t r = 0; r < tree.roots.size(); ++r)
        o << "  rc" << r << " [shape=box3d, style=filled, fillcolor=\"#dddddd\", label="
          << dot_quote("root complex " + tree.roots[r].label +
                       (tree.roots[r].assumed ? "\n(assumed)" : ""))
          << "];\n";
    auto node_decl = [&](std::size_t i) {
        const auto& nd = tree.nodes[i];
        const auto& d = h.devices[i];
        std::string label = short_bdf(d.bdf) + "  " + std::string(to_string(nd.role));
        {
            std::string text = d.description.empty() ? d.class_name : d.description;
            text = truncate(text, 52);
            if (d.vendor_id.known() && d.device_id.known())
                text += (text.empty() ? "[" : " [") + hex4(*d.vendor_id) + ":" +
                        hex4(*d.device_id) + "]";
            label += "\n" + (text.empty() ? std::string("unknown device") : text);
        }
        std::string line3;
        if (nd.chipset_uplink) line3 += "chipset uplink";
        if (nd.role != Role::host_bridge && nd.lanes != Lanes::integrated)
            line3 += (line3.empty() ? "" : ", ") + std::string(to_string(nd.lanes));
        if (is_port_like(d))
            line3 += std::string(line3.empty() ? "" : ", ") + "ACS " +
                     (nd.acs == sim::Tri::yes  ? "isolates"
                      : nd.acs == sim::Tri::no ? "no"
                                               : "?");
        if (!line3.empty()) label += "\n" + line3;
        if (nd.empty_port) {
            label += "\nempty";
            if (d.link.known() && (d.link.value->cap_width > 0 || d.link.value->cap_speed_gts > 0))
                label +=
                    ", capable " + link_part(d.link.value->cap_width, d.link.value->cap_speed_gts);
        }
        if (d.physical_slot.known()) label += "\nslot " + *d.physical_slot;
        if (nd.passthrough) label += "\nPASSTHROUGH";
        o << "    d" << i << " [label=" << dot_quote(label);
        if (nd.chipset_uplink) o << ", fillcolor=\"#ffe0b2\"";
        if (nd.role == Role::host_bridge) o << ", fillcolor=\"#eeeeee\"";
        if (nd.passthrough) o << ", color=\"#d62728\", penwidth=3";
        o << "];\n";
    };
    std::vector<char> declared(h.devices.size(), 0);
    for (const auto& g : tree.groups) {
        const auto c = static_cast<std::size_t>(g.id < 0 ? 0 : g.id) % k_colours;
        o << "  subgraph cluster_g" << g.id << " {\n";
        o << "    label="
          << dot_quote("group " + std::to_string(g.id) +
                       (g.override_only ? " (override only)" : "") + (g.certain ? "" : " ?"))
          << "; style=\"" << (g.override_only ? "rounded,dashed,filled" : "rounded,filled")
          << "\"; fillcolor=\"" << fills[c] << "\"; color=\"" << borders[c]
          << "\"; penwidth=" << (g.override_only ? 2 : 1) << "; fontsize=9;\n";
        for (auto m : g.members)
            if (m < declared.size() && !declared[m]) {
                declared[m] = 1;
                node_decl(m);
            }
        o << "  }\n";
    }
    for (std::size_t i = 0; i < h.devices.size(); ++i)
        if (!declared[i]) node_decl(i);
    auto edge_colour = [](Lanes l) {
        return l == Lanes::cpu ? "#1f77b4" : l == Lanes::chipset ? "#ff7f0e" : "#888888";
    };
    for (std::size_t r = 0; r < tree.roots.size(); ++r)
        for (auto c : tree.roots[r].children) o << "  rc" << r << " -> d" << c << ";\n";
    for (std::size_t i = 0; i < tree.nodes.size(); ++i)
        for (auto c : tree.nodes[i].children) {
            const auto& cn = tree.nodes[c];
            o << "  d" << i << " -> d" << c << " [color=\"" << edge_colour(cn.lanes) << "\"";
            if (cn.link) {
                std::string l = cn.link->trained() + "\nof " + cn.link->capable();
                o << ", label=" << dot_quote(l);
                if (cn.link->degraded) o << ", fontcolor=\"#d62728\", penwidth=2";
            }
            o << "];\n";
        }
    o << "}\n";
    return o.str();
}

} // namespace il::report
