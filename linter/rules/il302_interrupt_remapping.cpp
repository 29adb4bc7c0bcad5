// IL302: interrupt remapping is off, or vfio was told to accept unsafe interrupts.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

bool truthy(const std::optional<std::string>& v) {
    if (!v) return true;
    return *v == "1" || *v == "Y" || *v == "y" || *v == "on" || *v == "true";
}

class InterruptRemapping final : public Rule {
public:
    InterruptRemapping()
        : Rule("IL302", "interrupt-remapping", Severity::warning,
               "interrupt remapping is off or vfio accepts unsafe interrupts: a guest can inject "
               "interrupts into the host") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& h = cx.host;
        if (const auto* p = h.param("vfio_iommu_type1.allow_unsafe_interrupts");
            p && truthy(p->value)) {
            auto& f =
                out.add(Severity::warning,
                        "vfio_iommu_type1.allow_unsafe_interrupts is set: vfio assigns devices "
                        "even without interrupt remapping, so a guest can forge MSI writes "
                        "and raise arbitrary interrupts on the host.",
                        "allow-unsafe-interrupts");
            f.evidence.push_back(
                cx.ev("vfio_iommu_type1.allow_unsafe_interrupts=" + p->value.value_or(""), p->src));
            f.fix = "Remove the parameter (kernel command line or /etc/modprobe.d) once interrupt "
                    "remapping works; enable x2APIC and interrupt remapping in the firmware.";
        }
        const model::KernelParam* off = nullptr;
        if (const auto* p = h.param("intremap"); p && p->value && *p->value == "off") off = p;
        if (const auto* p = h.param("nointremap")) off = p;
        if (off) {
            auto& f = out.add(Severity::warning,
                              "The kernel command line disables interrupt remapping (" + off->key +
                                  (off->value ? "=" + *off->value : std::string()) +
                                  "): vfio then refuses to assign devices unless unsafe interrupts "
                                  "are allowed.",
                              "cmdline-intremap");
            f.evidence.push_back(
                cx.ev(off->key + (off->value ? "=" + *off->value : std::string()), off->src));
            f.fix = "Remove it from the kernel command line.";
        } else if (h.iommu.interrupt_remapping.is(false)) {
            auto& f =
                out.add(Severity::warning,
                        "The kernel log says interrupt remapping is not enabled: vfio refuses "
                        "to assign devices unless unsafe interrupts are allowed.",
                        "log-ir-off");
            f.evidence.push_back(cx.ev("interrupt remapping off", h.iommu.interrupt_remapping.src));
            f.fix = "Enable interrupt remapping / x2APIC in the firmware, or update it.";
        } else if (h.iommu.enabled.is(true) && !h.iommu.interrupt_remapping.known() &&
                   h.kernel_version.known() &&
                   h.kernel_version.src.file == h.iommu.enabled.src.file &&
                   h.kernel_version.src.line < h.iommu.enabled.src.line) {
            // a log that starts at boot ("Linux version" first) and shows the IOMMU coming up,
            // but never interrupt remapping
            auto& f =
                out.add(Severity::note,
                        "The boot log shows the IOMMU enabled but no interrupt-remapping line "
                        "(\"DMAR-IR: Enabled IRQ remapping\" / \"AMD-Vi: Interrupt remapping "
                        "enabled\"): remapping is probably off, and vfio will refuse to "
                        "assign devices unless unsafe interrupts are allowed.",
                        "log-ir-missing");
            f.evidence.push_back(
                cx.ev("kernel version " + *h.kernel_version, h.kernel_version.src));
            f.evidence.push_back(cx.ev("IOMMU enabled", h.iommu.enabled.src));
            f.fix = "Check `dmesg | grep -i remapping`; enable interrupt remapping / x2APIC in the "
                    "firmware.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL302() {
    return std::make_unique<InterruptRemapping>();
}

} // namespace il::linter::rules
