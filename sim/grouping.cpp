#include "sim/grouping.hpp"

#include "sim/quirks.hpp"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace il::sim {

namespace {

using model::Bdf;
using model::Device;
using model::PortType;
namespace ab = model::acs;

constexpr std::uint16_t REQ = ab::SV | ab::RR | ab::CR | ab::UF; // REQ_ACS_FLAGS

std::string hex4(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%04x", v & 0xffff);
    return b;
}

std::string bits_text(std::uint16_t bits) {
    static const char* names[] = {"SV", "TB", "RR", "CR", "UF", "EC", "DT"};
    std::string s;
    for (int i = 0; i < 7; ++i)
        if (bits & (1u << i)) {
            if (!s.empty()) s += " ";
            s += names[i];
        }
    return s.empty() ? "none" : s;
}

std::string short_bdf(const Bdf& b) {
    if (b.domain) return b.str();
    static const char hx[] = "0123456789abcdef";
    const char buf[7] = {hx[b.bus >> 4],
                         hx[b.bus & 15],
                         ':',
                         hx[b.dev >> 4],
                         hx[b.dev & 15],
                         '.',
                         static_cast<char>('0' + b.fn)};
    return std::string(buf, 7);
}

// Possible outcomes of an ACS question when some inputs are unknown.
struct Outcome {
    bool can_yes = false, can_no = false;
    std::string why_yes, why_no, unknown_what;
    void add(Tri t, const std::string& why) {
        if (t == Tri::yes && !can_yes) {
            can_yes = true;
            why_yes = why;
        }
        if (t == Tri::no && !can_no) {
            can_no = true;
            why_no = why;
        }
    }
};

struct DevInfo {
    Tri pcie = Tri::unknown;
    std::optional<PortType> type; // after the kernel's port-type correction
    bool type_corrected = false;
    Tri mf = Tri::unknown;
    bool mf_inferred = false;
    bool is_vf = false;
    Tri has_acs = Tri::unknown;
    std::uint16_t cap = 0;
    std::uint16_t ctl_val = 0, ctl_known = 0; // effective ACS control: value and known bits
    bool spt = false;                         // Intel SPT-layout ACS (dword at +8)
    std::uint32_t spt_val = 0, spt_known = 0;
    std::bitset<256> alias;
    bool alias_unknown = false; // Switchtec NTB: aliases come from device memory
    bool xlate_root = false;
    std::optional<std::size_t> real_dma; // VMD endpoint
    std::string no_group;                // non-empty: the IOMMU driver gives it no group
    Tri vendor_known = Tri::no;
    std::optional<std::uint16_t> vendor, device, svendor, sdevice;
};

bool same_slot(const Bdf& a, const Bdf& b) {
    return a.domain == b.domain && a.bus == b.bus && a.dev == b.dev;
}

class Engine {
public:
    Engine(const model::Host& h, const model::Topology& t, const Policy& p, Reading r)
        : h_(h), t_(t), p_(p), rd_(r), n_(h.devices.size()) {
        prepare();
    }

    Grouping run();
    const AcsVerdict& acs(std::size_t i); // memoized: one verdict per device
    const std::set<std::string>& unknowns() const { return unknowns_; }
    const std::vector<std::string>& notes() const { return notes_; }

private:
    const model::Host& h_;
    const model::Topology& t_;
    const Policy& p_;
    Reading rd_;
    std::size_t n_;
    std::vector<DevInfo> info_;
    std::vector<int> group_;
    std::vector<std::optional<AcsVerdict>> memo_;
    std::vector<AcsQuirkEntry> table_;
    std::set<std::string> unknowns_;
    std::vector<std::string> notes_;
    DeviceTrace* cur_ = nullptr;
    std::vector<DeviceTrace> traces_;
    int next_group_ = 0; // iommu_group_alloc: the next id

    const Device& dev(std::size_t i) const { return h_.devices[i]; }
    std::string name(std::size_t i) const { return short_bdf(dev(i).bdf); }
    void unknown(std::size_t i, const std::string& what) {
        std::string u = name(i) + ": " + what;
        unknowns_.insert(u);
        if (cur_ &&
            std::find(cur_->unknowns.begin(), cur_->unknowns.end(), u) == cur_->unknowns.end())
            cur_->unknowns.push_back(u);
    }
    // resolve an unknown yes/no by the reading: tight reads "isolated"/"no alias"
    bool resolve_isolated() const { return rd_ == Reading::tight; }

    void prepare();
    void prepare_acs_control(std::size_t i);
    bool selector_matches(const std::string& sel, std::size_t i) const;
    std::optional<Outcome> quirk(const AcsQuirkEntry& e, std::size_t i, Tri match);
    Outcome standard(std::size_t i);
    Outcome flags_enabled(std::size_t i);

    // pci_device_group steps
    std::optional<int> alias_walk(std::size_t i, std::size_t& last);
    std::optional<int> alias_group(std::size_t i, std::bitset<256>& devfns, int depth);
    std::optional<int> function_alias_group(std::size_t i, std::bitset<256>& devfns, int depth);
    bool devs_are_aliases(std::size_t a, std::size_t b) const;
    bool is_isolated(std::size_t i); // pci_acs_enabled resolved by the reading
    bool path_isolated(std::size_t bridge);
    int device_group(std::size_t i);
};

void Engine::prepare() {
    info_.assign(n_, {});
    group_.assign(n_, -1);
    memo_.assign(n_, std::nullopt);
    traces_.assign(n_, {});

    // quirk table for this kernel and override placement
    const auto& qt = acs_quirk_table();
    for (std::size_t k = 0; k < qt.table.size(); ++k) {
        const auto& e = qt.table[k];
        if (!e.since.empty()) {
            auto v = KernelVersion::parse(e.since);
            if (v && p_.kernel < *v) continue;
        }
        table_.push_back(e);
        if (p_.override_cfg.any() && p_.placement == OverridePlacement::proxmox &&
            k == qt.proxmox_override_after)
            table_.push_back({0, -1, "override", ""});
    }
    if (p_.override_cfg.any() && p_.placement == OverridePlacement::end_of_table)
        table_.push_back({0, -1, "override", ""});

    const auto& fam = device_families();
    // functions per slot (domain, bus, device), for the multifunction inference below
    std::unordered_map<std::uint64_t, std::uint32_t> per_slot;
    per_slot.reserve(n_);
    auto slot_key = [](const model::Bdf& b) {
        return (std::uint64_t{b.domain} << 16) | (std::uint64_t{b.bus} << 8) | b.dev;
    };
    for (std::size_t i = 0; i < n_; ++i) ++per_slot[slot_key(dev(i).bdf)];
    std::vector<std::size_t> vmds;
    std::size_t lone_fn0 = 0;
    std::size_t vendor_by_name = 0;
    for (std::size_t i = 0; i < n_; ++i) {
        const auto& d = dev(i);
        auto& in = info_[i];
        in.vendor = d.vendor_id.value;
        if (!in.vendor) {
            in.vendor = vendor_from_name(d.description);
            if (in.vendor) ++vendor_by_name;
        }
        in.device = d.device_id.value;
        in.svendor = d.subsys_vendor_id.value;
        in.sdevice = d.subsys_device_id.value;
        if (d.is_pcie.known()) in.pcie = tri(*d.is_pcie);
        if (d.port_type.known()) in.type = *d.port_type;
        in.is_vf = d.is_virtual_function.is(true) ||
                   d.description.find("Virtual Function") != std::string::npos;
        // multifunction (kernel-grouping.md §4)
        const bool siblings = per_slot[slot_key(d.bdf)] > 1;
        if (in.is_vf) {
            in.mf = Tri::no;
        } else if (d.bdf.fn > 0) {
            in.mf = Tri::yes;
        } else if (d.multifunction_bit.known()) {
            in.mf = tri(*d.multifunction_bit);
        } else if (siblings) {
            in.mf = Tri::yes;
            in.mf_inferred = true;
        } else {
            in.mf = Tri::no;
            in.mf_inferred = true;
            ++lone_fn0;
        }
        if (d.has_acs.known()) in.has_acs = tri(*d.has_acs);
        if (in.vendor && in.device && fam.vmd_controllers.count({*in.vendor, *in.device}))
            vmds.push_back(i);
    }
    if (vendor_by_name)
        notes_.push_back(std::to_string(vendor_by_name) +
                         " vendor id(s) taken from the vendor name (the dump has no -nn numbers)");
    if (lone_fn0)
        notes_.push_back(std::to_string(lone_fn0) +
                         " single functions: multifunction bit not in the input (no hex dump); "
                         "assumed single-function");

    // kernel port-type correction, in probe order so parents are corrected first
    for (auto i : t_.probe_order()) {
        auto& in = info_[i];
        if (!in.type) continue;
        auto up = t_.upstream_bridge(i);
        if (!up || !info_[*up].type) continue;
        const auto pt = *info_[*up].type;
        if (*in.type == PortType::downstream_port &&
            (pt == PortType::root_port || pt == PortType::downstream_port ||
             pt == PortType::pci_to_pcie_bridge)) {
            in.type = PortType::upstream_port;
            in.type_corrected = true;
            notes_.push_back(name(i) + " claims to be a Downstream Port below a downstream-type "
                                       "port: the kernel treats it as an Upstream Port");
        } else if (*in.type == PortType::upstream_port && pt == PortType::upstream_port) {
            in.type = PortType::downstream_port;
            in.type_corrected = true;
            notes_.push_back(name(i) + " claims to be an Upstream Port below an Upstream Port: the "
                                       "kernel treats it as a Downstream Port");
        }
    }

    for (std::size_t i = 0; i < n_; ++i) prepare_acs_control(i);

    // DMA alias quirks
    for (std::size_t i = 0; i < n_; ++i) {
        const auto& d = dev(i);
        auto& in = info_[i];
        if (!in.vendor || !in.device) continue;
        for (const auto& q : dma_alias_table().quirks) {
            bool hit = false;
            for (const auto& id : q.ids) {
                if (id.vendor != *in.vendor || (id.device >= 0 && id.device != *in.device))
                    continue;
                if (id.subsys_vendor >= 0 &&
                    (!in.svendor || !in.sdevice || id.subsys_vendor != *in.svendor ||
                     id.subsys_device != *in.sdevice))
                    continue;
                hit = true;
            }
            if (!hit) continue;
            const auto slot = d.bdf.dev;
            if (q.quirk == "dma_func0_alias" && d.bdf.fn != 0) in.alias.set(slot << 3);
            if (q.quirk == "dma_func1_alias" && d.bdf.fn != 1) in.alias.set((slot << 3) | 1);
            if (q.quirk == "fixed_dma_alias") in.alias.set(1 << 3);
            if (q.quirk == "mic_x200_dma_alias") {
                in.alias.set(0x10 << 3);
                in.alias.set(0x11 << 3);
                in.alias.set((0x12 << 3) | 3);
            }
            if (q.quirk == "pex_vca_alias")
                for (int s = 0; s < 32; ++s)
                    for (int f = 0; f < 5; ++f) in.alias.set((s << 3) | f);
            if (q.quirk == "plx_ntb_dma_alias") in.alias.set();
            if (q.quirk == "switchtec_ntb_dma_alias") in.alias_unknown = true;
            if (q.quirk == "bridge_cavm_thrx2_pcie_root") in.xlate_root = true;
        }
    }

    // VMD: devices in domains >= 10000 DMA as their VMD endpoint (in BDF order of the endpoints)
    for (std::size_t i = 0; i < n_; ++i) {
        const auto dom = dev(i).bdf.domain;
        if (dom < 0x10000) continue;
        const auto k = dom - 0x10000;
        if (k < vmds.size()) {
            info_[i].real_dma = vmds[k];
        } else {
            notes_.push_back(name(i) + ": PCI domain " + hex4(dom >> 16) + hex4(dom) +
                             " looks like a VMD domain but no VMD endpoint is known; treated as "
                             "an ordinary domain");
        }
    }

    // devices the IOMMU driver gives no group
    for (std::size_t i = 0; i < n_; ++i) {
        const auto& d = dev(i);
        if (p_.amd_ivrs != Tri::yes || info_[i].vendor != std::optional<std::uint16_t>(0x1022))
            continue;
        // class from the number, or from the class name of a dump without -nn
        const bool is_iommu =
            d.class_code.known() ? *d.class_code == 0x0806 : d.class_name == "IOMMU";
        const bool is_host_bridge =
            d.class_code.known() ? *d.class_code == 0x0600 : d.class_name == "Host bridge";
        if (is_iommu)
            info_[i].no_group = "the AMD IOMMU itself is not an IOMMU client";
        else if (d.bdf.bus == 0 && d.bdf.dev == 0 && d.bdf.fn == 0 && is_host_bridge)
            info_[i].no_group = "AMD root complex 00:00.0: outside the IVRS device scope on AMD "
                                "platforms (no group in recorded AMD hosts)";
    }
}

bool Engine::selector_matches(const std::string& sel, std::size_t i) const {
    const auto& d = dev(i);
    if (sel.rfind("pci:", 0) == 0) {
        unsigned v = 0, dv = 0, sv = 0, sd = 0;
        const int got = std::sscanf(sel.c_str() + 4, "%x:%x:%x:%x", &v, &dv, &sv, &sd);
        if (got < 2) return false;
        auto eq = [](unsigned want, const model::Fact<std::uint16_t>& f) {
            return want == 0 || f.is(static_cast<std::uint16_t>(want));
        };
        return eq(v, d.vendor_id) && eq(dv, d.device_id) &&
               (got < 3 || eq(sv, d.subsys_vendor_id)) && (got < 4 || eq(sd, d.subsys_device_id));
    }
    // [domain:]bus:dev.fn[/dev.fn]*
    std::vector<std::string> parts;
    std::string cur;
    for (char c : sel) {
        if (c == '/') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    parts.push_back(cur);
    std::size_t node = i;
    for (std::size_t k = parts.size(); k-- > 1;) {
        unsigned sdv = 0, sfn = 0;
        if (std::sscanf(parts[k].c_str(), "%x.%x", &sdv, &sfn) != 2) return false;
        if (dev(node).bdf.dev != sdv || dev(node).bdf.fn != sfn) return false;
        auto up = t_.upstream_bridge(node);
        if (!up) return false;
        node = *up;
    }
    auto b = Bdf::parse(parts[0]);
    return b && *b == dev(node).bdf;
}

void Engine::prepare_acs_control(std::size_t i) {
    auto& in = info_[i];
    const auto& d = dev(i);
    if (in.has_acs != Tri::yes || !d.acs.known()) return;
    const auto& a = *d.acs;
    in.cap = a.cap;
    if (p_.rules.idt_sv_cache_fix && in.vendor.value_or(0) == 0x111d &&
        (in.device.value_or(0) == 0x80b5 || in.device.value_or(0) == 0x8090))
        in.cap &= static_cast<std::uint16_t>(~ab::SV);
    const std::uint16_t fw_val = a.ctl_known ? a.ctl : 0;
    const std::uint16_t fw_known = a.ctl_known ? 0x7f : 0;
    in.ctl_val = fw_val;
    in.ctl_known = fw_known;
    const auto& qt = acs_quirk_table();
    in.spt = in.vendor.value_or(0) == 0x8086 && in.device && in.type == PortType::root_port &&
             in_ranges(qt.intel_spt_ranges, *in.device);
    if (in.spt) {
        if (a.spt_ctl) {
            in.spt_val = *a.spt_ctl;
            in.spt_known = 0xffffffffu;
        }
    }
    const bool enable = p_.iommu_on && !p_.rules.acs_enabled_after_grouping;
    if (enable) {
        std::uint16_t en = in.cap & REQ;
        if (p_.noats) en |= in.cap & ab::TB;
        if (in.spt) {
            in.spt_val |= en;
            in.spt_known |= en;
        } else {
            in.ctl_val |= en;
            in.ctl_known |= en;
        }
    }
    // pci=disable_acs_redir= then pci=config_acs=; first matching selector of each list
    bool redir_done = false, config_done = false;
    for (const auto& e : p_.acs_config) {
        if (e.disable_redir ? redir_done : config_done) continue;
        if (!selector_matches(e.selector, i)) continue;
        (e.disable_redir ? redir_done : config_done) = true;
        if (in.spt) { // the SPT redirect handler runs instead
            in.spt_val &= ~static_cast<std::uint32_t>(ab::RR | ab::CR | ab::EC);
            in.spt_known |= ab::RR | ab::CR | ab::EC;
            continue;
        }
        const auto m = e.mask;
        if (!p_.rules.has_config_acs) { // <= 6.10: plain clear of RR|CR|EC
            in.ctl_val &= static_cast<std::uint16_t>(~m);
            in.ctl_known |= m;
        } else if (p_.rules.config_acs_bit_bug) {
            in.ctl_val = static_cast<std::uint16_t>((in.ctl_val & ~m) | (fw_val & m) | e.flags);
            in.ctl_known =
                static_cast<std::uint16_t>((in.ctl_known & ~m) | (fw_known & m) | e.flags);
        } else {
            in.ctl_val = static_cast<std::uint16_t>((fw_val & ~m) | (e.flags & m));
            in.ctl_known = static_cast<std::uint16_t>((fw_known & ~m) | m);
            if (fw_known != 0x7f)
                notes_.push_back(name(i) + ": pci= ACS setting starts from the firmware ACS "
                                           "control, which the input does not show");
        }
    }
}

Outcome Engine::flags_enabled(std::size_t i) {
    Outcome o;
    const auto& in = info_[i];
    if (in.has_acs == Tri::unknown) {
        o.add(Tri::yes, "ACS capability (if present)");
        o.add(Tri::no, "no ACS capability (if absent)");
        o.unknown_what = "whether it has an ACS capability (capabilities not in the input)";
        return o;
    }
    if (in.has_acs == Tri::no) {
        o.add(Tri::no, "no ACS capability");
        return o;
    }
    const std::uint16_t required = REQ & (in.cap | ab::EC);
    const std::uint16_t set = in.ctl_val & in.ctl_known & required;
    const std::uint16_t clear = static_cast<std::uint16_t>(~in.ctl_val) & in.ctl_known & required;
    if (set == required) {
        o.add(Tri::yes, "ACS capability; " + (required ? bits_text(required) : std::string("no")) +
                            " control bits required and enabled");
    } else if (clear) {
        o.add(Tri::no, "ACS capability, but " + bits_text(clear) + " not enabled in ACSCtl");
    } else {
        o.add(Tri::yes, "ACS capability (control bits shown enabled)");
        o.add(Tri::no, "ACS capability (control bits shown disabled)");
        o.unknown_what =
            "ACS control bits " + bits_text(required & ~set) + " (ACSCtl not in the input)";
    }
    return o;
}

Outcome Engine::standard(std::size_t i) {
    Outcome o;
    const auto& in = info_[i];
    if (in.pcie == Tri::unknown) {
        o.add(Tri::no, "conventional PCI (if it has no PCIe capability)");
        Outcome f = flags_enabled(i);
        if (f.can_yes) o.add(Tri::yes, f.why_yes);
        if (f.can_no) o.add(Tri::no, f.why_no);
        o.add(Tri::yes, "single-function PCIe device (if PCIe)");
        o.unknown_what = "whether it is PCIe and has ACS (capabilities not in the input)";
        return o;
    }
    if (in.pcie == Tri::no) {
        o.add(Tri::no, "conventional PCI device (no PCIe capability, so no ACS)");
        return o;
    }
    if (!in.type) {
        o.add(Tri::yes, "PCIe (port type unknown)");
        o.add(Tri::no, "PCIe (port type unknown)");
        o.unknown_what = "PCIe port type";
        return o;
    }
    switch (*in.type) {
    case PortType::pcie_to_pci_bridge:
    case PortType::pci_to_pcie_bridge:
    case PortType::rc_event_collector:
        o.add(Tri::no, std::string(model::to_string(*in.type)) + ": never ACS-isolated");
        return o;
    case PortType::root_port:
    case PortType::downstream_port: {
        Outcome f = flags_enabled(i);
        f.why_yes = std::string(model::to_string(*in.type)) + ": " + f.why_yes;
        f.why_no = std::string(model::to_string(*in.type)) + ": " + f.why_no;
        return f;
    }
    case PortType::endpoint:
    case PortType::upstream_port:
    case PortType::legacy_endpoint:
    case PortType::rc_integrated_endpoint: {
        if (in.mf == Tri::no) {
            o.add(Tri::yes, std::string("single-function ") +
                                std::string(model::to_string(*in.type)) +
                                (in.mf_inferred ? " (no sibling functions)" : ""));
            return o;
        }
        Outcome f = flags_enabled(i);
        f.why_yes = "multifunction " + std::string(model::to_string(*in.type)) + ": " + f.why_yes;
        f.why_no = "multifunction " + std::string(model::to_string(*in.type)) + ": " + f.why_no;
        return f;
    }
    default:
        o.add(Tri::yes, "other PCIe type: treated as isolated");
        return o;
    }
}

// One quirk table entry. match: whether the entry's ids match (unknown when ids are missing).
// nullopt = no opinion (-ENOTTY/-ENODEV).
std::optional<Outcome> Engine::quirk(const AcsQuirkEntry& e, std::size_t i, Tri match) {
    const auto& in = info_[i];
    const auto& qt = acs_quirk_table();
    Outcome o;
    auto decide = [&](Tri t, const std::string& why) {
        o.add(t, why);
        return std::optional<Outcome>(o);
    };
    const std::string q = "quirk " + e.quirk;
    auto type_is = [&](std::initializer_list<PortType> ts, bool need_pcie) -> Tri {
        if (need_pcie && in.pcie == Tri::no) return Tri::no;
        if (in.pcie == Tri::unknown) return Tri::unknown;
        if (!in.type) return in.pcie == Tri::no ? Tri::no : Tri::unknown;
        for (auto t : ts)
            if (*in.type == t) return Tri::yes;
        return Tri::no;
    };
    // combine a condition that may be unknown with a decision
    auto cond = [&](Tri c, Tri verdict, const std::string& why,
                    const std::string& what) -> std::optional<Outcome> {
        if (c == Tri::no) return std::nullopt;
        o.add(verdict, why);
        if (c == Tri::unknown) {
            o.unknown_what = what;
            o.add(Tri::unknown, ""); // marker: may also have no opinion
        }
        return o;
    };
    (void)match;
    if (e.quirk == "mf_endpoint")
        return decide(Tri::yes, q + ": vendor confirms no peer-to-peer between functions");
    if (e.quirk == "qcom_rp" || e.quirk == "xgene" || e.quirk == "brcm" || e.quirk == "loongson" ||
        e.quirk == "nxp_rp")
        return decide(Tri::yes, q + ": root port isolates although it lacks standard ACS");
    if (e.quirk == "amd_sb") {
        Tri c = in.mf;
        const bool on_root = t_.bus(t_.bus_of(i)).is_root;
        if (!on_root) c = Tri::no;
        if (p_.amd_ivrs == Tri::no) c = Tri::no;
        if (c == Tri::yes && p_.amd_ivrs == Tri::unknown) c = Tri::unknown;
        return cond(c, Tri::yes, q + ": AMD southbridge function on the root bus with an AMD IOMMU",
                    "whether an AMD IOMMU (IVRS) is present");
    }
    if (e.quirk == "rciep") {
        // pci_pcie_type() without pci_is_pcie(): a conventional device reads as Endpoint
        Tri c = in.pcie == Tri::no ? Tri::no : type_is({PortType::rc_integrated_endpoint}, false);
        return cond(c, Tri::yes, q + ": Intel root-complex integrated endpoint",
                    "whether it is a Root Complex Integrated Endpoint");
    }
    if (e.quirk == "intel_pch") {
        if (!in.device) {
            Tri c = type_is({PortType::root_port}, true);
            if (c == Tri::no) return std::nullopt;
            o.add(Tri::unknown, "");
            o.unknown_what = "device id (is it an Intel PCH root port with the ACS workaround?)";
            return o;
        }
        if (!qt.intel_pch_root_ports.count(*in.device)) return std::nullopt;
        Tri c = type_is({PortType::root_port}, true);
        // the log may say per port whether the workaround was enabled or failed
        const auto& logged = dev(i).pch_acs_quirk;
        const bool failed = logged.known() ? !*logged : p_.pch_workaround_failed;
        bool flag = p_.iommu_on && !p_.rules.pch_quirk_enable_broken &&
                    !p_.rules.acs_enabled_after_grouping && !failed;
        std::string why = flag ? q + ": Intel PCH root port, ACS workaround enabled (assumes RCBA "
                                     "is enabled, as on almost every board)"
                               : q + ": Intel PCH root port whose ACS workaround is not enabled (" +
                                     (failed ? std::string("the log says it failed")
                                      : p_.rules.pch_quirk_enable_broken
                                          ? "kernel 6.11.0-6.11.6 never enables it"
                                          : "ACS is enabled only after grouping on this kernel") +
                                     ")";
        return cond(c, flag ? Tri::yes : Tri::no, why, "PCIe port type");
    }
    if (e.quirk == "intel_spt_pch") {
        if (!in.spt) {
            if (in.device && in_ranges(qt.intel_spt_ranges, *in.device) && !in.type &&
                in.pcie != Tri::no)
                return cond(Tri::unknown, Tri::yes, q, "PCIe port type");
            return std::nullopt;
        }
        if (in.has_acs == Tri::no) return std::nullopt;
        const std::uint32_t required = REQ & (in.cap | ab::EC);
        const std::uint32_t set = in.spt_val & in.spt_known & required;
        const std::uint32_t clear = ~in.spt_val & in.spt_known & required;
        Tri v = set == required ? Tri::yes : clear ? Tri::no : Tri::unknown;
        if (in.has_acs == Tri::unknown) return cond(Tri::unknown, v, q, "ACS capability");
        if (v == Tri::unknown) {
            o.add(Tri::yes, q);
            o.add(Tri::no, q);
            o.unknown_what = "the Sunrise Point ACS control dword at ACS+8 (needs lspci -xxxx)";
            return o;
        }
        return decide(v, q + ": Intel Sunrise/Union Point root port, ACS control dword at ACS+8 " +
                             (v == Tri::yes ? "enables " : "lacks ") + bits_text(required));
    }
    if (e.quirk == "cavium") {
        if (!in.device) return cond(Tri::unknown, Tri::yes, q, "device id");
        if (!in_ranges(qt.cavium_rp_ranges, *in.device)) return std::nullopt;
        return cond(type_is({PortType::root_port}, true), Tri::yes, q + ": Cavium root port",
                    "PCIe port type");
    }
    if (e.quirk == "al") {
        Tri c = in.pcie == Tri::no ? Tri::no : type_is({PortType::root_port}, false);
        return cond(c, Tri::yes, q + ": Annapurna Labs root port", "PCIe port type");
    }
    if (e.quirk == "zhaoxin_pcie_ports") {
        Tri c = type_is({PortType::root_port, PortType::downstream_port}, true);
        if (c == Tri::no) return std::nullopt;
        if (!in.device) {
            o.add(Tri::unknown, "");
            o.unknown_what = "device id";
            return o;
        }
        const bool ok = in_ranges(qt.zhaoxin_ok_ranges, *in.device);
        return cond(c, tri(ok),
                    ok ? q + ": Zhaoxin port known to isolate"
                       : q + ": Zhaoxin port outside the known-good id range: not isolated",
                    "PCIe port type");
    }
    if (e.quirk == "wangxun_nic") {
        if (!in.device) {
            o.add(Tri::unknown, "");
            o.unknown_what = "device id";
            return o;
        }
        const bool ok = in_ranges(qt.wangxun_ok_ranges, *in.device);
        return decide(tri(ok), ok ? q + ": Wangxun NIC known to isolate"
                                  : q + ": Wangxun device outside the known list: not isolated");
    }
    if (e.quirk == "override") {
        const auto& ov = p_.override_cfg;
        if (in.pcie == Tri::no || in.has_acs == Tri::yes) return std::nullopt;
        Tri pre = (in.pcie == Tri::unknown || in.has_acs == Tri::unknown) ? Tri::unknown : Tri::yes;
        std::string what = "whether it is PCIe without an ACS capability";
        const std::string oq = "pcie_acs_override";
        for (auto [v, d] : ov.ids)
            if (in.vendor && in.device && *in.vendor == v && *in.device == d)
                return cond(pre, Tri::yes, oq + "=id:" + hex4(v) + ":" + hex4(d), what);
        if (!in.type) {
            if (ov.downstream || ov.multifunction) return cond(Tri::unknown, Tri::yes, oq, what);
            return std::nullopt;
        }
        switch (*in.type) {
        case PortType::root_port:
        case PortType::downstream_port:
            if (ov.downstream)
                return cond(pre, Tri::yes, oq + "=downstream: port without ACS counted as isolated",
                            what);
            return std::nullopt;
        case PortType::endpoint:
        case PortType::upstream_port:
        case PortType::legacy_endpoint:
        case PortType::rc_integrated_endpoint:
            if (ov.multifunction && in.mf == Tri::yes)
                return cond(
                    pre, Tri::yes,
                    oq + "=multifunction: multifunction device without ACS counted as isolated",
                    what);
            return std::nullopt;
        default:
            return std::nullopt;
        }
    }
    return std::nullopt;
}

const AcsVerdict& Engine::acs(std::size_t i) {
    if (memo_[i]) return *memo_[i];
    const auto& in = info_[i];
    Outcome all;
    std::string unknown_what;
    bool decided = false;
    // the answer on the path where entries with unknown ids do not match (the likely path)
    Tri default_v = Tri::unknown;
    std::string default_why;
    for (const auto& e : table_) {
        Tri match = Tri::yes;
        if (e.quirk != "override") {
            if (!in.vendor) {
                match = Tri::unknown;
            } else if (*in.vendor != e.vendor) {
                continue;
            }
            if (e.device >= 0) {
                if (!in.device)
                    match = Tri::unknown;
                else if (*in.device != e.device)
                    continue;
            }
        }
        if (match == Tri::unknown) {
            // the entry may or may not apply: its answer is one possibility; keep scanning
            auto r = quirk(e, i, match);
            if (r) {
                if (r->can_yes) all.add(Tri::yes, r->why_yes);
                if (r->can_no) all.add(Tri::no, r->why_no);
                if (unknown_what.empty())
                    unknown_what = in.vendor ? "device id (lspci without -nn): it may be in the " +
                                                   e.quirk + " quirk list"
                                             : "vendor/device ids (lspci without -nn)";
            }
            continue;
        }
        auto r = quirk(e, i, match);
        if (!r) continue;
        if (r->can_yes) all.add(Tri::yes, r->why_yes);
        if (r->can_no) all.add(Tri::no, r->why_no);
        if (!r->unknown_what.empty()) {
            if (unknown_what.empty()) unknown_what = r->unknown_what;
            continue; // may also have had no opinion: the rest of the table is possible too
        }
        default_v = r->can_yes ? Tri::yes : Tri::no;
        default_why = r->can_yes ? r->why_yes : r->why_no;
        decided = true;
        break;
    }
    if (!decided) {
        Outcome s = standard(i);
        if (s.can_yes) all.add(Tri::yes, s.why_yes);
        if (s.can_no) all.add(Tri::no, s.why_no);
        if (!s.unknown_what.empty() && unknown_what.empty()) unknown_what = s.unknown_what;
        if (s.can_yes != s.can_no) {
            default_v = s.can_yes ? Tri::yes : Tri::no;
            default_why = s.can_yes ? s.why_yes : s.why_no;
        }
    }
    AcsVerdict v;
    v.device = i;
    if (all.can_yes && !all.can_no) {
        v.isolated = Tri::yes;
        v.why = default_v == Tri::yes ? default_why : all.why_yes;
    } else if (all.can_no && !all.can_yes) {
        v.isolated = Tri::no;
        v.why = default_v == Tri::no ? default_why : all.why_no;
    } else {
        v.isolated = Tri::unknown;
        v.why =
            "unknown: " + (unknown_what.empty() ? std::string("input incomplete") : unknown_what) +
            " (isolated if: " + all.why_yes + "; not isolated if: " + all.why_no + ")";
    }
    memo_[i] = std::move(v);
    return *memo_[i];
}

bool Engine::is_isolated(std::size_t i) {
    const auto& v = acs(i);
    if (cur_) cur_->verdicts.push_back(v);
    if (v.isolated == Tri::unknown) {
        unknown(i, v.why.substr(9));
        return resolve_isolated();
    }
    return v.isolated == Tri::yes;
}

bool Engine::path_isolated(std::size_t bridge) {
    // pci_acs_path_enabled(bridge, NULL, REQ): the bridge and every bridge above it
    std::size_t d = bridge;
    for (std::size_t steps = 0; steps <= n_; ++steps) {
        if (!is_isolated(d)) return false;
        if (t_.bus(t_.bus_of(d)).is_root) return true;
        auto up = t_.upstream_bridge(d);
        if (!up) return true;
        d = *up;
    }
    return true;
}

bool Engine::devs_are_aliases(std::size_t a, std::size_t b) const {
    const auto& ia = info_[a];
    const auto& ib = info_[b];
    if (ia.alias.test(dev(b).bdf.devfn()) || ib.alias.test(dev(a).bdf.devfn())) return true;
    if (ia.real_dma == b || ib.real_dma == a) return true;
    return false;
}

// Step A: pci_for_each_dma_alias with the "remember the last device; stop at a grouped one"
// callback. Returns the group found, and the alias root in `last`.
std::optional<int> Engine::alias_walk(std::size_t i, std::size_t& last) {
    std::size_t p = info_[i].real_dma.value_or(i);
    if (p != i && cur_)
        cur_->steps.push_back(name(i) + " sits in a VMD domain: DMA comes from the VMD endpoint " +
                              name(p));
    auto cb = [&](std::size_t x) -> std::optional<int> {
        last = x;
        if (group_[x] >= 0) return group_[x];
        return std::nullopt;
    };
    if (auto g = cb(p)) return g;
    std::optional<std::size_t> b = t_.bus_of(p);
    for (std::size_t steps = 0; b && steps <= t_.buses().size(); ++steps) {
        const auto& bus = t_.bus(*b);
        if (bus.is_root) break;
        if (!bus.self) {
            b = bus.parent;
            continue;
        }
        const auto self = *bus.self;
        const auto& si = info_[self];
        if (si.xlate_root) {
            if (cur_)
                cur_->steps.push_back("bridge " + name(self) +
                                      " is a translation root: alias walk ends");
            break;
        }
        Tri pcie = si.pcie;
        if (pcie == Tri::unknown) {
            unknown(
                self,
                "whether this bridge is PCIe (a conventional bridge would become the DMA alias)");
            pcie = resolve_isolated() ? Tri::yes : Tri::no;
        }
        if (pcie == Tri::yes) {
            if (si.type && (*si.type == PortType::pcie_to_pci_bridge ||
                            *si.type == PortType::pci_to_pcie_bridge)) {
                if (cur_)
                    cur_->steps.push_back(
                        name(self) + " (" + std::string(model::to_string(*si.type)) +
                        ") takes ownership of DMA from below: it becomes the alias");
                if (auto g = cb(self)) return g;
            } else if (!si.type) {
                unknown(
                    self,
                    "PCIe port type of a bridge (a PCIe-to-PCI bridge would become the DMA alias)");
                if (!resolve_isolated())
                    if (auto g = cb(self)) return g;
            }
        } else {
            if (cur_)
                cur_->steps.push_back(
                    name(self) +
                    " is a conventional PCI bridge: devices below it DMA with its requester ID");
            if (auto g = cb(self)) return g;
        }
        b = bus.parent;
    }
    return std::nullopt;
}

std::optional<int> Engine::alias_group(std::size_t i, std::bitset<256>& devfns, int depth) {
    const auto df = dev(i).bdf.devfn();
    if (devfns.test(df)) return std::nullopt;
    devfns.set(df);
    if (group_[i] >= 0) return group_[i];
    if (depth > 512) return std::nullopt;
    for (auto j : t_.bus(t_.bus_of(i)).devices) {
        if (j == i) continue;
        bool alias = devs_are_aliases(i, j);
        if (!alias && (info_[i].alias_unknown || info_[j].alias_unknown)) {
            unknown(info_[i].alias_unknown ? i : j,
                    "DMA aliases of a Switchtec NTB (read from device memory at boot)");
            alias = !resolve_isolated();
        }
        if (!alias) continue;
        if (auto g = alias_group(j, devfns, depth + 1)) {
            if (cur_) cur_->steps.push_back(name(i) + " and " + name(j) + " are DMA aliases");
            return g;
        }
        if (auto g = function_alias_group(j, devfns, depth + 1)) return g;
    }
    return std::nullopt;
}

std::optional<int> Engine::function_alias_group(std::size_t i, std::bitset<256>& devfns,
                                                int depth) {
    const auto& in = info_[i];
    if (in.mf == Tri::no) return std::nullopt;
    if (is_isolated(i)) return std::nullopt;
    for (auto j : t_.bus(t_.bus_of(i)).devices) {
        if (j == i || !same_slot(dev(j).bdf, dev(i).bdf)) continue;
        if (is_isolated(j)) continue;
        if (auto g = alias_group(j, devfns, depth + 1)) {
            if (cur_)
                cur_->steps.push_back(name(i) + " and " + name(j) +
                                      " are functions of one slot and neither is ACS-isolated");
            if (cur_ && !cur_->via) cur_->via = j;
            return g;
        }
    }
    return std::nullopt;
}

int Engine::device_group(std::size_t i) {
    auto& tr = traces_[i];
    tr.device = i;
    cur_ = &tr;
    const int next_id = next_group_;

    // Step A
    std::size_t last = i;
    if (auto g = alias_walk(i, last)) {
        tr.alias_root = last;
        tr.join = DeviceTrace::Join::alias_walk;
        tr.via = last;
        tr.steps.push_back("DMA alias " + name(last) + " already has group " + std::to_string(*g));
        return *g;
    }
    tr.alias_root = last;
    std::size_t pdev = last;
    // Step B
    std::optional<std::size_t> b = t_.bus_of(pdev);
    for (std::size_t steps = 0; b && steps <= t_.buses().size(); ++steps) {
        const auto& bus = t_.bus(*b);
        if (bus.is_root) break;
        if (!bus.self) {
            b = bus.parent;
            continue;
        }
        const auto self = *bus.self;
        if (path_isolated(self)) {
            tr.steps.push_back("every bridge from " + name(self) +
                               " up to the root bus is ACS-isolated: the walk stops");
            break;
        }
        tr.steps.push_back("bridge " + name(self) +
                           " (or one above it) does not isolate: the group root moves up to " +
                           name(self));
        pdev = self;
        if (group_[pdev] >= 0) {
            tr.group_root = pdev;
            tr.join = DeviceTrace::Join::bridge_group;
            tr.via = pdev;
            return group_[pdev];
        }
        b = t_.bus(*b).parent;
    }
    tr.group_root = pdev;
    std::bitset<256> devfns;
    // Step C
    if (auto g = alias_group(pdev, devfns, 0)) {
        tr.join = DeviceTrace::Join::dma_alias;
        return *g;
    }
    // Step D
    if (auto g = function_alias_group(pdev, devfns, 0)) {
        tr.join = DeviceTrace::Join::function_alias;
        return *g;
    }
    tr.join = DeviceTrace::Join::new_group;
    return next_id;
}

Grouping Engine::run() {
    Grouping out;
    out.group_of.assign(n_, -1);
    out.ungrouped_reasons.assign(n_, "");
    // probe order; SR-IOV VFs appear later, when VFs are enabled
    std::vector<std::size_t> order;
    for (auto i : t_.probe_order())
        if (!info_[i].is_vf) order.push_back(i);
    for (auto i : t_.probe_order())
        if (info_[i].is_vf) order.push_back(i);
    for (auto i : order) {
        if (!info_[i].no_group.empty()) {
            out.ungrouped_reasons[i] = info_[i].no_group;
            traces_[i].device = i;
            traces_[i].join = DeviceTrace::Join::no_group;
            traces_[i].steps.push_back("no group: " + info_[i].no_group);
            continue;
        }
        group_[i] = device_group(i);
        if (group_[i] == next_group_) ++next_group_;
        cur_ = nullptr;
    }
    out.group_of = group_;
    std::map<int, Group> gs;
    for (std::size_t i = 0; i < n_; ++i) {
        if (group_[i] < 0) continue;
        auto& g = gs[group_[i]];
        g.id = group_[i];
        g.members.push_back(i);
    }
    for (auto& [id, g] : gs) out.groups.push_back(std::move(g));
    out.traces = std::move(traces_);
    return out;
}

// Appends how device i joined its group to `out` (built in place: a big host has a reason
// for every function).
void append_join_text(std::string& out, const Grouping& gr, const model::Host& h, std::size_t i) {
    const auto& tr = gr.traces[i];
    const auto nm = [&](std::size_t k) { out += short_bdf(h.devices[k].bdf); };
    const auto because = [&](const AcsVerdict& v, bool with_device) {
        out += " (";
        if (with_device) {
            nm(v.device);
            out += ": ";
        }
        out += v.why;
        out += ')';
    };
    switch (tr.join) {
    case DeviceTrace::Join::new_group: {
        nm(i);
        out += " starts the group";
        if (tr.group_root != i) {
            out += " as the group root for ";
            nm(tr.group_root);
        }
        for (auto it = tr.verdicts.rbegin(); it != tr.verdicts.rend(); ++it)
            if (it->isolated != Tri::no) {
                because(*it, true);
                break;
            }
        return;
    }
    case DeviceTrace::Join::bridge_group:
        nm(i);
        out += " joins through bridge ";
        nm(*tr.via);
        out += ", which does not isolate it";
        for (const auto& v : tr.verdicts)
            if (v.isolated != Tri::yes) {
                because(v, true);
                break;
            }
        return;
    case DeviceTrace::Join::alias_walk:
        nm(i);
        out += " uses the DMA requester ID of ";
        nm(*tr.via);
        return;
    case DeviceTrace::Join::dma_alias:
        nm(i);
        out += " is a DMA alias of a grouped device (quirk)";
        return;
    case DeviceTrace::Join::function_alias:
        nm(i);
        out += " shares a multifunction slot";
        if (tr.group_root != i) {
            out += " (via its group root ";
            nm(tr.group_root);
            out += ')';
        }
        out += " with non-isolated functions";
        for (const auto& v : tr.verdicts)
            if (v.isolated != Tri::yes && v.device == tr.group_root) {
                if (!v.why.empty()) because(v, false);
                break;
            }
        return;
    case DeviceTrace::Join::no_group:
        nm(i);
        out += ": no group";
        return;
    }
}

void fill_reasons(Grouping& gr, const model::Host& h) {
    for (auto& g : gr.groups) {
        std::string r;
        for (auto m : g.members) {
            if (!r.empty()) r += "; ";
            append_join_text(r, gr, h, m);
        }
        g.reason = std::move(r);
    }
}

// partition as a canonical set of member lists
std::set<std::vector<std::size_t>> partition(const Grouping& g) {
    std::set<std::vector<std::size_t>> s;
    for (const auto& x : g.groups) s.insert(x.members);
    return s;
}

} // namespace

SimResult simulate(const model::Host& host, const model::Topology& topo, const Policy& policy) {
    SimResult r;
    r.policy = policy;
    Engine loose(host, topo, policy, Reading::loose);
    r.grouping = loose.run();
    Engine tight(host, topo, policy, Reading::tight);
    r.tight = tight.run();
    fill_reasons(r.grouping, host);
    fill_reasons(r.tight, host);
    const auto tight_parts = partition(r.tight);
    for (auto& g : r.grouping.groups) g.certain = tight_parts.count(g.members) > 0;
    const auto loose_parts = partition(r.grouping);
    for (auto& g : r.tight.groups) g.certain = loose_parts.count(g.members) > 0;
    r.certain = tight_parts == loose_parts;
    std::set<std::string> u = loose.unknowns();
    u.insert(tight.unknowns().begin(), tight.unknowns().end());
    r.unknowns.assign(u.begin(), u.end());
    r.notes = policy.notes;
    for (const auto& n : topo.notes()) r.notes.push_back(n);
    for (const auto& n : loose.notes()) r.notes.push_back(n);
    return r;
}

SimResult simulate(const model::Host& host, const Policy& policy) {
    model::Topology topo(host);
    return simulate(host, topo, policy);
}

AcsVerdict acs_enabled(const model::Host& host, const model::Topology& topo, const Policy& policy,
                       std::size_t device, Reading reading) {
    Engine e(host, topo, policy, reading);
    return e.acs(device);
}

struct AcsQuery::Impl {
    Impl(const model::Host& h, const model::Topology& t, Policy p, Reading r)
        : size(h.devices.size()), policy(std::move(p)), engine(h, t, policy, r) {}
    std::size_t size;
    Policy policy; // the engine keeps a reference to it
    Engine engine;
};

AcsQuery::AcsQuery(const model::Host& host, const model::Topology& topo, Policy policy,
                   Reading reading)
    : impl_(std::make_unique<Impl>(host, topo, std::move(policy), reading)) {}

AcsQuery::~AcsQuery() = default;

const AcsVerdict& AcsQuery::operator()(std::size_t device) {
    if (device >= impl_->size) throw std::out_of_range("AcsQuery: no such device");
    return impl_->engine.acs(device);
}

} // namespace il::sim
