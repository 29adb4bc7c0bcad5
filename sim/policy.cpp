#include "sim/policy.hpp"

#include "sim/quirks.hpp"

#include <cctype>
#include <cstring>

namespace il::sim {

namespace {

// kstrtol(opt, 16, &val) on at most 4 characters: optional sign, optional 0x, hex digits,
// optional trailing newline, nothing else.
std::optional<long> kstrtol16(std::string_view opt) {
    std::size_t i = 0;
    bool neg = false;
    if (i < opt.size() && (opt[i] == '+' || opt[i] == '-')) {
        neg = opt[i] == '-';
        ++i;
    }
    if (i + 1 < opt.size() && opt[i] == '0' && (opt[i + 1] == 'x' || opt[i + 1] == 'X') &&
        i + 2 < opt.size() && std::isxdigit(static_cast<unsigned char>(opt[i + 2])))
        i += 2;
    long v = 0;
    std::size_t digits = 0;
    while (i < opt.size() && std::isxdigit(static_cast<unsigned char>(opt[i]))) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(opt[i])));
        v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
        ++i;
        ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (i < opt.size() && opt[i] == '\n') ++i;
    if (i != opt.size()) return std::nullopt;
    return neg ? -v : v;
}

std::string hex4(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%04x", v & 0xffff);
    return b;
}

} // namespace

OverrideConfig parse_acs_override(std::string_view value) {
    OverrideConfig c;
    c.text = std::string(value);
    constexpr int num_acs_ids = 16;
    // Walk the value exactly like the patch's early_param handler, position by position.
    std::size_t p = 0;
    const std::size_t n = value.size();
    auto starts = [&](std::size_t at, std::string_view w) { return value.substr(at, w.size()) == w; };
    while (p < n) {
        if (starts(p, "downstream")) c.downstream = true;
        if (starts(p, "multifunction")) c.multifunction = true;
        if (starts(p, "id:")) {
            if (static_cast<int>(c.ids.size()) >= num_acs_ids - 1) {
                c.warnings.push_back("Out of PCIe ACS override slots (16)");
            } else {
                p += 3;
                auto vendor = kstrtol16(value.substr(p, 4));
                if (!vendor) {
                    c.warnings.push_back("PCIe ACS ID parse error (vendor at \"" +
                                         std::string(value.substr(p, 4)) + "\")");
                } else {
                    const auto colon = value.find(':', p);
                    if (colon == std::string_view::npos) {
                        c.warnings.push_back("PCIe ACS invalid ID");
                        break; // strchr returned NULL: the kernel's p is NULL, the loop ends
                    }
                    p = colon + 1;
                    auto device = kstrtol16(value.substr(p, 4));
                    if (!device)
                        c.warnings.push_back("PCIe ACS ID parse error (device at \"" +
                                             std::string(value.substr(p, 4)) + "\")");
                    else
                        c.ids.emplace_back(static_cast<std::uint16_t>(*vendor),
                                           static_cast<std::uint16_t>(*device));
                }
            }
        }
        const auto comma = value.find(',', p);
        if (comma == std::string_view::npos) break;
        p = comma + 1;
    }
    return c;
}

std::string OverrideConfig::describe() const {
    std::string s;
    auto add = [&](const std::string& t) {
        if (!s.empty()) s += ",";
        s += t;
    };
    if (downstream) add("downstream");
    if (multifunction) add("multifunction");
    for (auto [v, d] : ids) add("id:" + hex4(v) + ":" + hex4(d));
    return s.empty() ? "none" : s;
}

std::string Policy::describe() const {
    std::string s = "kernel " + kernel.str() + " (" + kernel_origin + ")";
    s += ", pcie_acs_override=" + override_cfg.describe();
    if (override_cfg.any())
        s += placement == OverridePlacement::proxmox ? " (Proxmox table position)"
                                                     : " (end of quirk table)";
    if (!acs_config.empty()) s += ", " + std::to_string(acs_config.size()) + " pci= ACS setting(s)";
    return s;
}

namespace {

// "<flags>@<sel>;<flags>@<sel>" for config_acs; "<sel>;<sel>" for disable_acs_redir.
void parse_pci_param(Policy& p, const std::string& value) {
    std::vector<std::string> opts;
    std::string cur;
    for (char ch : value) {
        if (ch == ',') {
            opts.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(ch);
        }
    }
    opts.push_back(cur);
    auto split_semi = [](const std::string& s) {
        std::vector<std::string> out;
        std::string c;
        for (char ch : s) {
            if (ch == ';') {
                out.push_back(c);
                c.clear();
            } else {
                c.push_back(ch);
            }
        }
        if (!c.empty()) out.push_back(c);
        return out;
    };
    std::vector<AcsConfigEntry> redir, config;
    for (const auto& o : opts) {
        if (o == "noats") p.noats = true;
        if (o.rfind("disable_acs_redir=", 0) == 0) {
            for (const auto& sel : split_semi(o.substr(18))) {
                AcsConfigEntry e;
                e.selector = sel;
                e.mask = model::acs::RR | model::acs::CR | model::acs::EC;
                e.flags = 0;
                e.disable_redir = true;
                redir.push_back(e);
            }
        }
        if (o.rfind("config_acs=", 0) == 0) {
            if (!p.rules.has_config_acs) {
                p.notes.push_back("pci=config_acs= is ignored by kernel " + p.kernel.str() +
                                  " (added in 6.11)");
                continue;
            }
            for (const auto& item : split_semi(o.substr(11))) {
                const auto at = item.find('@');
                if (at == std::string::npos) {
                    p.notes.push_back("pci=config_acs: \"" + item + "\": ACS flags missing; ignored");
                    break;
                }
                AcsConfigEntry e;
                e.selector = item.substr(at + 1);
                const std::string flags = item.substr(0, at);
                bool ok = flags.size() <= 7;
                for (std::size_t i = 0; ok && i < flags.size(); ++i) {
                    const char ch = flags[flags.size() - 1 - i]; // rightmost = bit 0
                    const auto bit = static_cast<std::uint16_t>(1u << i);
                    if (ch == '0') {
                        e.mask |= bit;
                    } else if (ch == '1') {
                        e.mask |= bit;
                        e.flags |= bit;
                    } else if (ch != 'x' && ch != 'X') {
                        ok = false;
                    }
                }
                if (!ok) {
                    p.notes.push_back("pci=config_acs: invalid ACS flags \"" + flags +
                                      "\"; the kernel ignores the rest");
                    break;
                }
                config.push_back(e);
            }
        }
    }
    for (auto& e : redir) p.acs_config.push_back(e);
    for (auto& e : config) p.acs_config.push_back(e);
}

} // namespace

Policy policy_as_booted(const model::Host& host, std::optional<KernelVersion> kernel) {
    Policy p;
    if (kernel) {
        p.kernel = *kernel;
        p.kernel_origin = "--kernel";
    } else if (host.kernel_version.known() && KernelVersion::parse(*host.kernel_version)) {
        p.kernel = *KernelVersion::parse(*host.kernel_version);
        p.kernel_origin = "from " + host.where(host.kernel_version.src);
    } else {
        p.kernel = newest_known_kernel();
        p.kernel_origin = "default: newest known; the input names no kernel";
    }
    p.rules = rules_for(p.kernel);
    if (!p.rules.notes.empty()) p.notes.push_back(p.rules.notes);

    // IOMMU vendor
    if (host.iommu.vendor.is("amd")) {
        p.amd_ivrs = Tri::yes;
        p.intel_dmar = Tri::no;
    } else if (host.iommu.vendor.is("intel")) {
        p.amd_ivrs = Tri::no;
        p.intel_dmar = Tri::yes;
    } else {
        model::Bdf root{};
        const auto* hb = host.find(root);
        std::optional<std::uint16_t> hv;
        if (hb) hv = hb->vendor_id.known() ? hb->vendor_id.value : vendor_from_name(hb->description);
        if (hv == std::optional<std::uint16_t>(0x1022)) {
            p.amd_ivrs = Tri::yes;
            p.intel_dmar = Tri::no;
            p.notes.push_back("IOMMU vendor assumed AMD (AMD host bridge at 00:00.0)");
        } else if (hv == std::optional<std::uint16_t>(0x8086)) {
            p.amd_ivrs = Tri::no;
            p.intel_dmar = Tri::yes;
            p.notes.push_back("IOMMU vendor assumed Intel (Intel host bridge at 00:00.0)");
        }
    }
    // The simulation always answers "the groups this kernel forms with its IOMMU on"; whether
    // the IOMMU actually was on is the linter's business.
    p.iommu_on = true;
    p.pch_workaround_failed = host.iommu.pch_acs_workaround_failed.is(true);

    if (const auto* pci = host.param("pci"); pci && pci->value) parse_pci_param(p, *pci->value);

    p.placement = p.kernel.is_proxmox() ? OverridePlacement::proxmox : OverridePlacement::end_of_table;
    if (const auto* ov = host.param("pcie_acs_override")) {
        OverrideConfig cfg = parse_acs_override(ov->value.value_or(""));
        if (!ov->value) cfg.warnings.push_back("pcie_acs_override without a value is rejected");
        std::string origin;
        bool apply = true;
        if (host.iommu.acs_override_active.is(true)) {
            origin = "command line; the log confirms \"PCIe ACS overrides enabled\"";
        } else if (host.iommu.acs_override_active.is(false)) {
            origin = "command line, but the log shows the kernel did not enable it";
            apply = false;
        } else if (p.kernel.carries_acs_override_patch()) {
            origin = "command line; kernel " + p.kernel.str() + " carries the override patch";
        } else if (p.kernel.known_without_acs_override_patch()) {
            origin = "command line, but kernel " + p.kernel.str() +
                     " does not carry the override patch (the parameter is ignored)";
            apply = false;
        } else {
            origin = "command line; assuming kernel " + p.kernel.str() + " carries the override patch";
        }
        p.override_origin = origin;
        if (apply) p.override_cfg = cfg;
        for (const auto& w : cfg.warnings) p.notes.push_back("pcie_acs_override: " + w);
    } else {
        p.override_origin = "not on the command line";
    }
    return p;
}

Policy with_override(Policy p, const OverrideConfig& cfg, std::string origin) {
    p.override_cfg = cfg;
    p.override_origin = std::move(origin);
    return p;
}

} // namespace il::sim
