// Kernel versions and the grouping-relevant behaviour that changed between them
// (../shared/spec/kernel-grouping.md §13).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace il::sim {

struct KernelVersion {
    int major = 0, minor = 0, patch = 0;
    std::string flavour; // what followed the numbers, e.g. "-8-pve", "-56-amd64", "-acso"
    std::string text;    // as written

    auto operator<=>(const KernelVersion& o) const {
        return std::tie(major, minor, patch) <=> std::tie(o.major, o.minor, o.patch);
    }
    bool operator==(const KernelVersion& o) const {
        return major == o.major && minor == o.minor && patch == o.patch;
    }
    // "6.8.12-4-pve", "6.1.0-18-amd64", "5.4.17-gentoo", "6.8". nullopt if no X.Y.
    static std::optional<KernelVersion> parse(std::string_view s);
    std::string str() const;

    bool is_proxmox() const;
    // Kernels known to carry the pcie_acs_override patch (Proxmox, "acso", zen, xanmod, liquorix).
    bool carries_acs_override_patch() const;
    // Distribution kernels known NOT to carry it (Debian, Ubuntu generic, Fedora, RHEL, Arch stock).
    bool known_without_acs_override_patch() const;
};

// The newest kernel whose rules the simulator knows (the default when nothing says otherwise).
KernelVersion newest_known_kernel();

struct VersionRules {
    bool pch_quirk_enable_broken = false; // 6.11.0 - 6.11.6: Intel PCH quirk never enabled
    bool acs_enabled_after_grouping = false; // stable backport window: firmware ACS at grouping
    bool has_config_acs = false;          // pci=config_acs= exists (6.11+)
    bool config_acs_bit_bug = false;      // 6.11 .. 6.13: bit-merging bug
    bool idt_sv_cache_fix = false;        // 7.0+: IDT 0x80b5/0x8090 lose SV
    std::string notes;                    // human summary of what applies
};
VersionRules rules_for(const KernelVersion& v);

} // namespace il::sim
