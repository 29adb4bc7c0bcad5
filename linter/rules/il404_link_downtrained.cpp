// IL404: a PCIe link trained below what both of its ends support.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <algorithm>
#include <memory>

namespace il::linter::rules {

namespace {

class LinkDowntrained final : public Rule {
public:
    LinkDowntrained()
        : Rule("IL404", "link-downtrained", Severity::warning,
               "a PCIe link runs narrower or slower than both of its ends support") {}

    void check(const LintContext& cx, Findings& out) const override {
        bool drivers_shown = false;
        for (const auto& d : cx.host.devices)
            if (d.driver.known()) drivers_shown = true;
        for (std::size_t i = 0; i < cx.size(); ++i) {
            const auto& port = cx.dev(i);
            if (!port.port_type.is(model::PortType::root_port) &&
                !port.port_type.is(model::PortType::downstream_port))
                continue;
            if (!port.link.known()) continue;
            const auto& pl = *port.link.value;
            if (pl.dl_active.has_value() && !*pl.dl_active) continue; // empty slot
            const auto child = cx.topo().child_bus(i);
            if (!child) continue;
            const auto& devs = cx.topo().bus(*child).devices;
            if (devs.empty()) continue; // nothing behind it
            const std::size_t peer = devs.front();
            const auto& pd = cx.dev(peer);
            if (!pd.link.known()) continue; // the other end's capability is unknown
            const auto& el = *pd.link.value;
            // the link's state: the port's view, else the device's
            const int sta_w = pl.sta_width > 0 ? pl.sta_width : el.sta_width;
            const double sta_s = pl.sta_speed_gts > 0 ? pl.sta_speed_gts : el.sta_speed_gts;
            if (pl.cap_width <= 0 || el.cap_width <= 0 || pl.cap_speed_gts <= 0 ||
                el.cap_speed_gts <= 0)
                continue;
            if (sta_w <= 0 || sta_s <= 0) continue;
            const int cap_w = std::min(pl.cap_width, el.cap_width);
            const double cap_s = std::min(pl.cap_speed_gts, el.cap_speed_gts);
            const bool width_loss = sta_w < cap_w;
            const bool speed_loss = sta_s + 1e-6 < cap_s;
            if (!width_loss && !speed_loss) continue;
            // below the port: a GPU (directly or behind its own switch)?
            bool gpu = cx.is_gpu(peer);
            for (auto s : cx.subtree(i))
                if (cx.is_gpu(s)) gpu = true;
            const bool idle = drivers_shown && !pd.driver.known() && !cx.is_bridge(peer);
            Severity sev = Severity::warning;
            std::string why;
            if (width_loss && speed_loss && gpu) {
                sev = Severity::note;
                why = "Both width and speed are down on a GPU link: GPUs (AMD ones in particular) "
                      "narrow and slow their link when idle, so this is normal unless it stays "
                      "so under load.";
            } else if (width_loss) {
                why = "It lost lanes: a dirty or partly seated card, a damaged slot or riser, or "
                      "a slot that shares lanes with another (check the board manual); bandwidth "
                      "drops in proportion.";
            } else if (gpu || idle) {
                sev = Severity::note;
                why = gpu ? "Speed only: GPUs lower their link speed when idle, so this is normal "
                            "unless it stays low under load."
                          : "Speed only, on a device without a driver: idle devices may run their "
                            "link slower.";
            } else {
                why = "Speed only, on an active device: a signal-quality problem (riser, slot, "
                      "retimer) or a firmware speed limit.";
            }
            std::string msg = "The link from " + cx.label(i) + " to " + cx.label(peer) +
                              " runs at " + link_text(sta_w, sta_s) + ", but both ends support " +
                              link_text(cap_w, cap_s) + ". " + why;
            auto& f = out.add(sev, msg, port.bdf.str());
            f.evidence.push_back(cx.ev(cx.short_name(i) + ": LnkCap " +
                                           link_text(pl.cap_width, pl.cap_speed_gts) + ", LnkSta " +
                                           link_text(pl.sta_width, pl.sta_speed_gts),
                                       port.link.src));
            f.evidence.push_back(cx.ev(cx.short_name(peer) + ": LnkCap " +
                                           link_text(el.cap_width, el.cap_speed_gts) + ", LnkSta " +
                                           link_text(el.sta_width, el.sta_speed_gts),
                                       pd.link.src));
            f.devices = {port.bdf, pd.bdf};
            f.fix = width_loss && sev == Severity::warning
                        ? "Reseat the card (clean the contacts), try another slot, check the "
                          "manual for lane sharing (M.2 slots often steal lanes)."
                        : "Re-check under load (lspci -vv while the device is busy); if it "
                          "stays slow, force the slot speed in the firmware or replace the "
                          "riser/cable.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL404() {
    return std::make_unique<LinkDowntrained>();
}

} // namespace il::linter::rules
