// IL201: a passthrough candidate has no reset the kernel can use: no FLR, no PM reset, and no
// secondary bus reset (not alone on its bus).
#include "linter/data.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

bool quirked(const LintContext& cx, std::size_t i, ResetProblem p) {
    const auto& d = cx.dev(i);
    if (!d.vendor_id.known() || !d.device_id.known()) return false;
    auto cls = cx.class_of(i);
    for (const auto* f : reset_table().match(*d.vendor_id, *d.device_id, cls)) {
        if (f->problem != p) continue;
        // the ATI VGA class rule only applies off the root bus (quirk_no_pm_reset)
        if (f->class_code && cx.topo().bus(cx.topo().bus_of(i)).is_root) continue;
        return true;
    }
    return false;
}

class NoResetMethod final : public Rule {
public:
    NoResetMethod()
        : Rule("IL201", "no-reset-method", Severity::warning,
               "a passthrough candidate has no FLR, no PM reset and no usable bus reset") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (std::size_t i = 0; i < cx.size(); ++i) {
            if (!cx.is_candidate(i) || cx.is_bridge(i)) continue;
            const auto& d = cx.dev(i);
            if (d.is_virtual_function.is(true)) continue; // VFs must implement FLR
            const bool target = cx.is_target(i);
            const bool no_flr_quirk = quirked(cx, i, ResetProblem::no_flr);
            if ((d.flr.is(true) || d.af_flr.is(true)) && !no_flr_quirk) continue;
            // PCIe FLR: DevCap; a conventional PCI device has none
            const bool pcie_flr_known = d.flr.known() || d.is_pcie.is(false);
            const bool pm = d.no_soft_reset.is(false) && !quirked(cx, i, ResetProblem::no_pm_reset);
            // secondary bus reset: not on a root bus, a bridge above, only this slot on the bus
            const auto& bus = cx.topo().bus(cx.topo().bus_of(i));
            bool bus_reset = !bus.is_root && bus.self.has_value();
            std::vector<std::size_t> bus_mates;
            for (auto o : bus.devices) {
                if (o == i) continue;
                const auto& b = cx.dev(o).bdf;
                if (b.dev != d.bdf.dev) bus_mates.push_back(o);
                if (quirked(cx, o, ResetProblem::no_bus_reset)) bus_reset = false;
            }
            if (!bus_mates.empty()) bus_reset = false;
            if (quirked(cx, i, ResetProblem::no_bus_reset)) bus_reset = false;
            if (pm || bus_reset) continue;
            const bool flr_unknown = !no_flr_quirk && (!pcie_flr_known || !d.af_flr.known());
            const bool pm_unknown = !d.no_soft_reset.known();
            if (flr_unknown || pm_unknown) {
                if (!target) continue; // IL001 covers unknown capabilities
                auto& f =
                    out.add(Severity::note,
                            "Which reset passthrough target " + cx.label(i) + " (" + cx.kind(i) +
                                ") supports is unknown: the input does not show its " +
                                (flr_unknown ? "FLR capability" : "power-management status") + ".",
                            d.bdf.str());
                if (const auto* pt = cx.target(i))
                    f.evidence.push_back(
                        cx.ev(pt->origin + " passes " + cx.short_name(i), pt->src));
                f.devices = {d.bdf};
                f.fix =
                    "Capture as root (sudo lspci -vvv -nn -D -xxxx) to see FLReset and NoSoftRst.";
                continue;
            }
            std::string why_bus;
            if (bus.is_root)
                why_bus = "it sits on a root bus, where no bridge can reset it";
            else if (!bus.self)
                why_bus = "no bridge above it is known";
            else if (!bus_mates.empty())
                why_bus = "its bus is shared with " + join_and(labels(cx, bus_mates, false, 4)) +
                          ", which a bus reset would reset too";
            else
                why_bus = "a kernel quirk forbids bus resets for it";
            std::string msg =
                cx.label(i) + " (" + cx.kind(i) +
                ") has no reset the kernel can use between guests: " +
                (no_flr_quirk      ? "its FLR is known to hang it (ignored by the kernel)"
                 : d.flr.is(false) ? std::string("no function-level reset (FLReset-)")
                                   : std::string("no function-level reset (no PCIe or Advanced "
                                                 "Features FLR capability)")) +
                ", no PM reset (" +
                (d.no_soft_reset.is(true) ? "NoSoftRst+" : "disabled by a kernel quirk") +
                "), and no bus reset (" + why_bus +
                "). Its state leaks from one guest (or the host) to the next, and it "
                "may not reinitialise after a guest reboot.";
            auto& f = out.add(target ? Severity::warning : Severity::note, msg, d.bdf.str());
            if (d.flr.known())
                f.evidence.push_back(
                    cx.ev(cx.short_name(i) + std::string(": DevCap FLReset") + (*d.flr ? "+" : "-"),
                          d.flr.src));
            if (d.no_soft_reset.known())
                f.evidence.push_back(cx.ev(cx.short_name(i) + std::string(": PM Status NoSoftRst") +
                                               (*d.no_soft_reset ? "+" : "-"),
                                           d.no_soft_reset.src));
            if (const auto* pt = cx.target(i))
                f.evidence.push_back(cx.ev(pt->origin + " passes " + cx.short_name(i), pt->src));
            f.devices = {d.bdf};
            f.fix = target
                        ? "Expect to reboot the host after the guest stops, or pick a device with "
                          "FLR (or put it alone behind its own root port so a bus reset works)."
                        : "If you plan to pass it through, prefer a device with FLR or one that "
                          "sits alone on its bus.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL201() {
    return std::make_unique<NoResetMethod>();
}

} // namespace il::linter::rules
