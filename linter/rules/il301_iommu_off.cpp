// IL301: the IOMMU is off or not enabled (command line, kernel log, no groups anywhere).
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

bool has_token(const std::string& value, const char* tok) {
    std::size_t b = 0;
    while (b <= value.size()) {
        auto e = value.find(',', b);
        if (e == std::string::npos) e = value.size();
        if (value.compare(b, e - b, tok) == 0) return true;
        b = e + 1;
    }
    return false;
}

class IommuOff final : public Rule {
public:
    IommuOff()
        : Rule("IL301", "iommu-off", Severity::error,
               "the IOMMU is disabled or was never enabled: no device can be passed through "
               "safely") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& h = cx.host;
        const auto& io = h.iommu;
        bool groups = io.groups_seen.is(true);
        for (const auto& d : h.devices)
            if (d.observed_group.known()) groups = true;
        const std::string vendor = io.vendor.known() ? *io.vendor : "";
        const std::string mixed =
            groups ? " The input also shows IOMMU groups, which exist only "
                     "with the IOMMU on: the files may come from different boots."
                   : "";
        // command line
        struct Off {
            const char* key;
            const char* vendor; // "" = any
        };
        for (const Off o :
             {Off{"intel_iommu", "intel"}, Off{"amd_iommu", "amd"}, Off{"iommu", ""}}) {
            const auto* p = h.param(o.key);
            if (!p || !p->value || !has_token(*p->value, "off")) continue;
            if (*o.vendor && !vendor.empty() && vendor != o.vendor)
                continue; // other vendor's switch
            auto& f = out.add(groups ? Severity::warning : Severity::error,
                              std::string("The kernel command line turns the IOMMU off (") + o.key +
                                  "=" + *p->value +
                                  "): there are no IOMMU groups and vfio-pci "
                                  "refuses to assign devices." +
                                  mixed,
                              std::string("cmdline-") + o.key);
            f.evidence.push_back(cx.ev(std::string(o.key) + "=" + *p->value, p->src));
            f.fix = std::string("Remove ") + o.key +
                    "=off from the kernel command line "
                    "(GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub; or "
                    "/etc/kernel/cmdline and proxmox-boot-tool refresh) and reboot.";
            return;
        }
        if (io.enabled.is(false)) {
            auto& f = out.add(groups ? Severity::warning : Severity::error,
                              "The kernel log says the " +
                                  std::string(vendor == "amd"     ? "AMD-Vi"
                                              : vendor == "intel" ? "VT-d (DMAR)"
                                                                  : "") +
                                  " IOMMU was not enabled on this boot." + mixed,
                              "log-disabled");
            f.evidence.push_back(cx.ev("IOMMU not enabled", io.enabled.src));
            f.fix =
                "Enable VT-d / AMD-Vi (IOMMU, SVM/VT-x alone is not enough) in the firmware "
                "setup, and on kernels without CONFIG_INTEL_IOMMU_DEFAULT_ON add intel_iommu=on.";
            return;
        }
        if (groups || io.enabled.is(true)) return;
        for (const auto& d : h.diagnostics) {
            if (d.message.find("shows no IOMMU") == std::string::npos) continue;
            auto& f = out.add(Severity::error,
                              "The boot log has no DMAR/AMD-Vi lines and no IOMMU groups, and DMA "
                              "goes through software bounce buffers (\"PCI-DMA: Using software "
                              "bounce buffering\"): the IOMMU is absent or switched off in the "
                              "firmware.",
                              "no-iommu-in-log");
            f.evidence.push_back(cx.ev(d.message, d.src));
            f.fix = "Enable VT-d / AMD-Vi (often called IOMMU) in the firmware setup; on Intel "
                    "kernels without CONFIG_INTEL_IOMMU_DEFAULT_ON also add intel_iommu=on.";
            return;
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL301() {
    return std::make_unique<IommuOff>();
}

} // namespace il::linter::rules
