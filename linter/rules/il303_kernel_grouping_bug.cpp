// IL303: the host's kernel is one of the versions known to form IOMMU groups wrongly
// (../shared/spec/kernel-grouping.md §13; sim::rules_for).
#include "linter/chipset.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"
#include "sim/quirks.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class KernelGroupingBug final : public Rule {
public:
    KernelGroupingBug()
        : Rule("IL303", "kernel-grouping-bug", Severity::warning,
               "the kernel version is known to form IOMMU groups wrongly") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& pol = cx.booted().policy;
        const auto& h = cx.host;
        if (h.iommu.pch_acs_workaround_failed.is(true)) {
            auto& f = out.add(Severity::warning,
                              "The kernel log says the Intel PCH root-port ACS workaround failed "
                              "(\"Failed to enable Intel PCH ACS quirk\"): the PCH root ports do "
                              "not isolate their devices, so their groups merge.",
                              "pch-quirk-failed");
            f.evidence.push_back(cx.ev("Failed to enable Intel PCH ACS quirk",
                                       h.iommu.pch_acs_workaround_failed.src));
            f.fix = "Check the firmware for an option that hides the RCBA/chipset configuration "
                    "space (the quirk needs it); a firmware update may help.";
        }
        if (pol.kernel_origin.rfind("default", 0) == 0) return; // the input names no kernel
        const auto& k = pol.kernel;
        const auto& r = pol.rules;
        const model::Source src =
            pol.kernel_origin == "--kernel" ? model::Source{} : h.kernel_version.src;
        const std::string ktext = "kernel " + k.str() + " (" + pol.kernel_origin + ")";
        const std::string kev =
            pol.kernel_origin == "--kernel" ? "--kernel " + k.text : "kernel version " + k.text;
        if (r.pch_quirk_enable_broken) {
            std::vector<std::size_t> pch;
            const auto& q = sim::acs_quirk_table();
            for (std::size_t i = 0; i < cx.size(); ++i) {
                const auto& d = cx.dev(i);
                if (d.device_id.known() && q.intel_pch_root_ports.count(*d.device_id) &&
                    is_intel_pch_root_port(cx, i))
                    pch.push_back(i);
            }
            std::string msg = ktext +
                              " is in 6.11.0-6.11.6, where the Intel PCH root-port ACS "
                              "workaround is never enabled: groups behind those ports merge.";
            if (!pch.empty())
                msg += " This host has such ports: " + join_and(labels(cx, pch, false, 6)) + ".";
            auto& f = out.add(pch.empty() ? Severity::note : Severity::warning, msg, "6.11-pch");
            f.evidence.push_back(cx.ev(kev, src));
            f.devices = bdfs(cx, pch);
            f.fix = "Use 6.11.7 or later (or 6.12+); Proxmox fixed its 6.11 kernel as well.";
        }
        if (r.acs_enabled_after_grouping) {
            auto& f = out.add(Severity::warning,
                              ktext + " enables ACS only after the devices are grouped (a stable "
                                      "backport): groups follow the firmware's ACS settings and "
                                      "often collapse into large ones.",
                              "acs-after-grouping");
            f.evidence.push_back(cx.ev(kev, src));
            f.fix = "Use a kernel outside 6.12.75-6.12.77 (6.12.78 or later, or 6.15+).";
        }
        if (k.major == 6 && k.minor == 8 && k.is_proxmox() &&
            r.notes.find("Proxmox 6.8.12") != std::string::npos) {
            auto& f = out.add(Severity::note,
                              ktext + ": late Proxmox 6.8.12 builds before 6.8.12-29 carried a "
                                      "backport that groups devices before ACS is enabled; groups "
                                      "may collapse on this kernel.",
                              "pve-6.8");
            f.evidence.push_back(cx.ev(kev, src));
            f.fix = "Update to proxmox-kernel 6.8.12-29 or later (or a newer series).";
        }
        if (r.config_acs_bit_bug && !pol.acs_config.empty()) {
            const auto* p = h.param("pci");
            auto& f = out.add(Severity::warning,
                              ktext + " has the pci=config_acs/disable_acs_redir bit-merging bug "
                                      "(6.11 to 6.13): the ACS bits the command line asks for are "
                                      "not the ones the kernel sets.",
                              "config-acs-bug");
            f.evidence.push_back(cx.ev(kev, src));
            if (p) f.evidence.push_back(cx.ev("pci=" + p->value.value_or(""), p->src));
            f.fix = "Use 6.14 or later (or a stable kernel with the config_acs fix).";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL303() {
    return std::make_unique<KernelGroupingBug>();
}

} // namespace il::linter::rules
