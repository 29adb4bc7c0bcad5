// IL501: a passthrough target is bound to a host driver instead of vfio-pci.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace il::linter::rules {

namespace {

class TargetHostDriver final : public Rule {
public:
    TargetHostDriver()
        : Rule("IL501", "target-bound-to-host-driver", Severity::warning,
               "a passthrough target is bound to a host driver instead of vfio-pci") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (const auto& t : cx.targets()) {
            const auto i = t.device;
            const auto& d = cx.dev(i);
            if (cx.is_bridge(i) || !d.driver.known()) continue;
            const auto& drv = *d.driver;
            if (drv == "vfio-pci" || drv == "pci-stub") continue;
            std::string msg = cx.label(i) + " is passed through (" + t.origin +
                              ") but the host bound it to " + drv + " (Kernel driver in use). ";
            msg += cx.is_gpu(i) ? "Unbinding a GPU from its host driver at VM start often fails or "
                                  "leaves it in a state the guest cannot initialise."
                                : "The VM start has to unbind it first; a host that still uses it "
                                  "(console, mounted disk, network) loses it.";
            auto& f = out.add(Severity::warning, msg, d.bdf.str());
            f.evidence.push_back(
                cx.ev(cx.short_name(i) + ": Kernel driver in use: " + drv, d.driver.src));
            f.evidence.push_back(cx.ev(t.origin + " passes " + cx.short_name(i), t.src));
            f.devices = {d.bdf};
            std::string ids = "VVVV:DDDD";
            if (d.vendor_id.known() && d.device_id.known()) {
                char b[16];
                std::snprintf(b, sizeof b, "%04x:%04x", *d.vendor_id, *d.device_id);
                ids = b;
            }
            // the module to load after vfio-pci: the driver's own when it is one of the
            // device's modules (names use '_' where drivers use '-'), else the first module
            std::string module = d.modules.empty() ? drv : d.modules.front();
            for (const auto& m : d.modules) {
                std::string a = m, b = drv;
                std::replace(a.begin(), a.end(), '-', '_');
                std::replace(b.begin(), b.end(), '-', '_');
                if (a == b) module = m;
            }
            f.fix = "Bind it to vfio-pci at boot: echo \"options vfio-pci ids=" + ids +
                    "\" > /etc/modprobe.d/vfio.conf; echo \"softdep " + module +
                    " pre: vfio-pci\" >> /etc/modprobe.d/vfio.conf; update-initramfs -u; reboot.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL501() {
    return std::make_unique<TargetHostDriver>();
}

} // namespace il::linter::rules
