#include "sim/kernel_version.hpp"

#include <cctype>
#include <tuple>

namespace il::sim {

std::optional<KernelVersion> KernelVersion::parse(std::string_view s) {
    // skip a leading "vmlinuz-" or "linux-" style prefix
    std::size_t i = 0;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    int parts[3] = {0, 0, 0};
    int got = 0;
    while (got < 3 && i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        int v = 0;
        int digits = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 6) {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++digits;
        }
        parts[got++] = v;
        if (got < 3 && i + 1 < s.size() && s[i] == '.' &&
            std::isdigit(static_cast<unsigned char>(s[i + 1])))
            ++i;
        else
            break;
    }
    if (got < 2) return std::nullopt;
    KernelVersion k;
    k.major = parts[0];
    k.minor = parts[1];
    k.patch = parts[2];
    k.flavour = std::string(s.substr(i));
    k.text = std::string(s);
    return k;
}

std::string KernelVersion::str() const {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch) + flavour;
}

namespace {
bool contains(const std::string& s, std::string_view w) { return s.find(w) != std::string::npos; }
} // namespace

bool KernelVersion::is_proxmox() const { return contains(flavour, "pve"); }

bool KernelVersion::carries_acs_override_patch() const {
    return is_proxmox() || contains(flavour, "acso") || contains(flavour, "acs") ||
           contains(flavour, "zen") || contains(flavour, "xanmod") || contains(flavour, "liquorix") ||
           contains(flavour, "vfio");
}

bool KernelVersion::known_without_acs_override_patch() const {
    return contains(flavour, "amd64") || contains(flavour, "generic") || contains(flavour, "fc") ||
           contains(flavour, "el") || contains(flavour, "arch") || contains(flavour, "cloud");
}

KernelVersion newest_known_kernel() {
    KernelVersion k;
    k.major = 6;
    k.minor = 18;
    k.patch = 15;
    k.text = "6.18.15";
    return k;
}

VersionRules rules_for(const KernelVersion& v) {
    VersionRules r;
    auto at_least = [&](int a, int b, int c) {
        return std::tie(v.major, v.minor, v.patch) >= std::tie(a, b, c);
    };
    if (v.major == 6 && v.minor == 11 && v.patch <= 6) {
        r.pch_quirk_enable_broken = true;
        r.notes += "6.11.0-6.11.6: the Intel PCH root-port ACS quirk is never enabled; ";
    }
    if (v.major == 6 && v.minor == 12 && v.patch >= 75 && v.patch <= 77) {
        r.acs_enabled_after_grouping = true;
        r.notes += "6.12.75-6.12.77: ACS is enabled only after grouping (firmware ACS decides); ";
    }
    if (v.major == 6 && v.minor == 8 && v.is_proxmox()) {
        // Proxmox 6.8 kernels before 6.8.12-29 carried the backport (fixed by a revert).
        int pve_rel = -1;
        if (v.flavour.size() > 1 && v.flavour[0] == '-') pve_rel = std::atoi(v.flavour.c_str() + 1);
        if (v.patch == 12 && pve_rel >= 0 && pve_rel < 29 && pve_rel >= 20) {
            // The exact first affected release is not known; only late 6.8.12 builds had it.
            r.notes += "Proxmox 6.8.12 builds before -29 may form groups before ACS is enabled; ";
        }
    }
    r.has_config_acs = at_least(6, 11, 0);
    r.config_acs_bit_bug = at_least(6, 11, 0) && !at_least(6, 14, 0);
    r.idt_sv_cache_fix = at_least(7, 0, 0);
    return r;
}

} // namespace il::sim
