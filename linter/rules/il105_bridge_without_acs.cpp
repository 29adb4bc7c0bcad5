// IL105: a root port or switch port without working ACS merges many devices into one group;
// names the bridge, the reason, and the root ports on this host that do isolate.
#include "linter/chipset.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace il::linter::rules {

namespace {

// a bridge that could isolate with ACS (not a PCIe-to-PCI bridge: those never can)
bool acs_bridge(const model::Device& d) {
    return d.port_type.is(model::PortType::root_port) ||
           d.port_type.is(model::PortType::downstream_port) ||
           d.port_type.is(model::PortType::upstream_port);
}

class BridgeWithoutAcs final : public Rule {
public:
    BridgeWithoutAcs()
        : Rule("IL105", "bridge-without-acs", Severity::warning,
               "a root port or switch port without working ACS merges many devices into one "
               "IOMMU group") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& res = cx.booted();
        sim::AcsQuery verdict(cx.host, cx.topo(), res.policy);
        // root ports whose devices are isolated (the ports to move a card to)
        std::vector<std::size_t> good_ports;
        for (std::size_t i = 0; i < cx.size(); ++i) {
            const auto& d = cx.dev(i);
            if (!d.port_type.is(model::PortType::root_port)) continue;
            if (!cx.topo().bus(cx.topo().bus_of(i)).is_root) continue;
            if (verdict(i).isolated == sim::Tri::yes) good_ports.push_back(i);
        }
        // the ports that carry a chipset link are no place for a card
        std::set<std::size_t> chipset_uplinks;
        for (const auto& r : chipset_regions(cx))
            if (r.uplink) chipset_uplinks.insert(*r.uplink);
        // prefer ports with a physical slot when the capture says which ones have one
        std::vector<std::size_t> slotted;
        for (auto p : good_ports)
            if (cx.dev(p).slot_implemented.is(true)) slotted.push_back(p);
        if (!slotted.empty()) good_ports = slotted;
        for (const auto& g : res.grouping.groups) {
            // endpoints, and the physical devices (slots) they belong to: a card's own
            // functions and its internal switch (GPUs) do not make a group "large"
            std::size_t endpoints = 0;
            std::set<std::tuple<std::uint32_t, int, int>> cards;
            bool upstream = false;
            for (auto m : g.members) {
                const auto& b = cx.dev(m).bdf;
                if (!cx.is_bridge(m)) {
                    ++endpoints;
                    // root-complex host bridge functions are never passed or driven
                    if (!cx.is_host_bridge(m)) cards.insert({b.domain, b.bus, b.dev});
                }
                if (cx.dev(m).port_type.is(model::PortType::upstream_port)) upstream = true;
            }
            if (cards.size() < 2) continue;
            std::set<std::size_t> culprits;
            for (auto m : g.members)
                for (auto b : cx.topo().bridges_above(m))
                    if (acs_bridge(cx.dev(b)) && verdict(b).isolated == sim::Tri::no)
                        culprits.insert(b);
            if (culprits.empty()) continue; // merged for another reason (multifunction, PCI bridge)
            // keep the topmost ones: a culprit below another culprit adds nothing
            std::vector<std::size_t> top;
            for (auto c : culprits) {
                bool below = false;
                for (auto b : cx.topo().bridges_above(c))
                    if (culprits.count(b)) below = true;
                if (!below) top.push_back(c);
            }
            bool important = false;
            for (auto m : g.members)
                if (cx.is_target(m) || cx.is_gpu(m)) important = true;
            std::vector<std::string> why;
            for (auto c : top) why.push_back(cx.label(c) + " (" + verdict(c).why + ")");
            std::vector<std::size_t> eps;
            for (auto m : g.members)
                if (!cx.is_bridge(m)) eps.push_back(m);
            std::string msg = "IOMMU group " + std::to_string(g.id) + " holds " +
                              count(g.members.size(), "device", "devices") + " (" +
                              count(endpoints, "endpoint", "endpoints") + " of " +
                              count(cards.size(), "physical device", "physical devices") +
                              (upstream ? ", a whole switch" : "") +
                              "): " + join_and(labels(cx, eps)) + ". They share it because " +
                              join_and(why) + (top.size() > 1 ? " do" : " does") +
                              " not isolate what is behind " + (top.size() > 1 ? "them." : "it.");
            std::vector<std::string> ports;
            for (auto p : good_ports) {
                if (culprits.count(p) || chipset_uplinks.count(p)) continue;
                bool above_culprit = false;
                for (auto c : culprits)
                    for (auto b : cx.topo().bridges_above(c))
                        if (b == p) above_culprit = true;
                if (above_culprit) continue;
                const auto& d = cx.dev(p);
                std::string s = cx.short_name(p);
                std::vector<std::string> extra;
                if (d.physical_slot.known()) extra.push_back("slot " + *d.physical_slot);
                if (d.link.known() &&
                    (d.link.value->cap_width > 0 || d.link.value->cap_speed_gts > 0))
                    extra.push_back(
                        link_text(d.link.value->cap_width, d.link.value->cap_speed_gts));
                if (!extra.empty()) s += " (" + join_and(extra) + ")";
                ports.push_back(s);
            }
            if (!ports.empty())
                msg +=
                    " Root ports on this host that do isolate their devices: " + join_and(ports) +
                    ".";
            auto& f =
                out.add(important ? Severity::warning : Severity::note, msg, bdf_key(cx, top));
            for (auto c : top)
                f.evidence.push_back(
                    cx.ev(cx.short_name(c) + ": " + verdict(c).why, acs_source(cx.dev(c))));
            f.devices = bdfs(cx, g.members);
            f.fix = ports.empty()
                        ? "Look for a firmware option that enables ACS on this port (or a firmware "
                          "update); otherwise pass the whole group to one guest. The ACS override "
                          "only splits it logically (IL101)."
                        : "Put the card you want to pass through in a slot wired to one of the "
                          "isolating root ports listed above; or look for a firmware option that "
                          "enables ACS. The ACS override only splits the group logically (IL101).";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL105() {
    return std::make_unique<BridgeWithoutAcs>();
}

} // namespace il::linter::rules
