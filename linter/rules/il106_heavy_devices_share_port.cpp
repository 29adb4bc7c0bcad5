// IL106: several bandwidth-heavy devices (GPU, NVMe, HBA, wired NIC) sit behind one CPU root
// port (through a switch or bifurcation-less riser) and share its link.
#include "linter/chipset.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>
#include <set>

namespace il::linter::rules {

namespace {

class HeavyDevicesSharePort final : public Rule {
public:
    HeavyDevicesSharePort()
        : Rule("IL106", "heavy-devices-share-port", Severity::warning,
               "several GPUs, NVMe SSDs, HBAs or NICs share one root port or switch uplink") {}

    void check(const LintContext& cx, Findings& out) const override {
        std::set<std::size_t> chipset_ports;
        for (const auto& r : chipset_regions(cx)) {
            if (r.uplink) chipset_ports.insert(*r.uplink);
            for (auto b : r.bridges) chipset_ports.insert(b);
        }
        for (std::size_t i = 0; i < cx.size(); ++i) {
            const auto& d = cx.dev(i);
            if (!d.port_type.is(model::PortType::root_port)) continue;
            if (!cx.topo().bus(cx.topo().bus_of(i)).is_root) continue;
            if (chipset_ports.count(i)) continue; // IL107
            const auto sub = cx.subtree(i);
            const auto heavy = heavy_devices(cx, sub);
            if (heavy.size() < 2) continue;
            std::vector<std::size_t> switches;
            for (auto s : sub)
                if (cx.dev(s).port_type.is(model::PortType::upstream_port)) switches.push_back(s);
            bool target = false;
            for (auto h : heavy)
                if (cx.is_target(h)) target = true;
            std::string link;
            if (d.link.known()) {
                const auto& l = *d.link.value;
                link = " (link " +
                       link_text(l.sta_width > 0 ? l.sta_width : l.cap_width,
                                 l.sta_speed_gts > 0 ? l.sta_speed_gts : l.cap_speed_gts) +
                       ")";
            }
            std::string msg =
                "Root port " + cx.label(i) + link + " carries " +
                count(heavy.size(), "bandwidth-heavy device", "bandwidth-heavy devices") + ": " +
                join_and(labels(cx, heavy)) +
                (switches.empty()
                     ? ""
                     : ", through the switch " + join_and(labels(cx, switches, false))) +
                ". They share one link to the CPU: under load they slow each other "
                "down, and a passthrough guest competes with whatever else uses it.";
            auto& f =
                out.add(target ? Severity::warning : Severity::note, msg, cx.dev(i).bdf.str());
            if (d.link.known())
                f.evidence.push_back(
                    cx.ev(cx.short_name(i) + ": LnkSta " +
                              link_text(d.link.value->sta_width, d.link.value->sta_speed_gts),
                          d.link.src));
            for (auto h : heavy) f.evidence.push_back(cx.ev(cx.label(h), cx.dev(h).src));
            std::vector<std::size_t> all{i};
            all.insert(all.end(), heavy.begin(), heavy.end());
            f.devices = bdfs(cx, all);
            f.fix = "Spread the heavy devices over separate CPU root ports (other slots, or a "
                    "bifurcation setting in firmware), or accept the shared bandwidth.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL106() {
    return std::make_unique<HeavyDevicesSharePort>();
}

} // namespace il::linter::rules
