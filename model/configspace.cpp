// Decoding PCI configuration space dumps the way pciutils (ls-caps.c, ls-ecaps.c) and the
// kernel read them. Offsets and bits are the PCI/PCIe register layout (pci_regs.h).
#include "model/configspace.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdio>
#include <optional>
#include <string>

namespace il::model {
namespace {

// Little-endian reads that know where the dump ends: a read past the end is "unknown".
struct Reader {
    const std::vector<std::uint8_t>& b;
    bool has(std::size_t off, std::size_t n) const { return off + n <= b.size(); }
    std::optional<std::uint8_t> u8(std::size_t off) const {
        if (!has(off, 1)) return std::nullopt;
        return b[off];
    }
    std::optional<std::uint16_t> u16(std::size_t off) const {
        if (!has(off, 2)) return std::nullopt;
        return static_cast<std::uint16_t>(b[off] | (b[off + 1] << 8));
    }
    std::optional<std::uint32_t> u32(std::size_t off) const {
        if (!has(off, 4)) return std::nullopt;
        return static_cast<std::uint32_t>(b[off]) | (static_cast<std::uint32_t>(b[off + 1]) << 8) |
               (static_cast<std::uint32_t>(b[off + 2]) << 16) |
               (static_cast<std::uint32_t>(b[off + 3]) << 24);
    }
};

// Header registers
constexpr std::size_t kVendor = 0x00, kDevice = 0x02, kStatus = 0x06, kRevision = 0x08,
                      kProgIf = 0x09, kSubclass = 0x0a, kBaseClass = 0x0b, kHeaderType = 0x0e,
                      kPrimaryBus = 0x18, kSecondaryBus = 0x19, kSubordinateBus = 0x1a,
                      kSubsysVendor = 0x2c, kSubsysDevice = 0x2e, kCapPtr = 0x34,
                      kCardbusCapPtr = 0x14, kCardbusSubsysVendor = 0x40,
                      kCardbusSubsysDevice = 0x42;
constexpr std::uint16_t kStatusCapList = 0x0010;
constexpr std::size_t kStdSpace = 0x100;
constexpr std::size_t kExtSpace = 0x1000;

// Standard capability ids
constexpr std::uint8_t kCapPm = 0x01, kCapSsvid = 0x0d, kCapExp = 0x10, kCapAf = 0x13;
// Extended capability ids
constexpr std::uint16_t kExtAer = 0x0001, kExtAcs = 0x000d, kExtAri = 0x000e, kExtSriov = 0x0010;

std::string hex(unsigned v, int width = 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*x", width, v);
    return buf;
}

// Capability names as lspci prints them in "Capabilities: [xx] <name>".
std::string std_cap_name(std::uint8_t id) {
    switch (id) {
    case 0x01:
        return "Power Management";
    case 0x02:
        return "AGP";
    case 0x03:
        return "Vital Product Data";
    case 0x04:
        return "Slot ID";
    case 0x05:
        return "MSI";
    case 0x06:
        return "CompactPCI hot-swap";
    case 0x07:
        return "PCI-X";
    case 0x08:
        return "HyperTransport";
    case 0x09:
        return "Vendor Specific Information";
    case 0x0a:
        return "Debug port";
    case 0x0b:
        return "CompactPCI central resource control";
    case 0x0c:
        return "Hot-plug capable";
    case 0x0d:
        return "Subsystem";
    case 0x0e:
        return "AGP3";
    case 0x0f:
        return "Secure device";
    case 0x10:
        return "Express";
    case 0x11:
        return "MSI-X";
    case 0x12:
        return "SATA HBA";
    case 0x13:
        return "PCI Advanced Features";
    case 0x14:
        return "Enhanced Allocation (EA)";
    case 0x15:
        return "Flattening Portal Bridge (FPB)";
    default:
        return "#" + hex(id, 2);
    }
}

std::string ext_cap_name(std::uint16_t id) {
    switch (id) {
    case 0x0000:
        return "Null";
    case 0x0001:
        return "Advanced Error Reporting";
    case 0x0002:
    case 0x0009:
        return "Virtual Channel";
    case 0x0003:
        return "Device Serial Number";
    case 0x0004:
        return "Power Budgeting";
    case 0x0005:
        return "Root Complex Link";
    case 0x0006:
        return "Root Complex Internal Link";
    case 0x0007:
        return "Root Complex Event Collector";
    case 0x0008:
        return "Multi-Function Virtual Channel";
    case 0x000a:
        return "Root Complex Register Block";
    case 0x000b:
        return "Vendor Specific Information";
    case 0x000d:
        return "Access Control Services";
    case 0x000e:
        return "Alternative Routing-ID Interpretation (ARI)";
    case 0x000f:
        return "Address Translation Service (ATS)";
    case 0x0010:
        return "Single Root I/O Virtualization (SR-IOV)";
    case 0x0011:
        return "Multi-Root I/O Virtualization";
    case 0x0012:
        return "Multicast";
    case 0x0013:
        return "Page Request Interface (PRI)";
    case 0x0015:
        return "Resizable BAR";
    case 0x0016:
        return "Dynamic Power Allocation";
    case 0x0017:
        return "Transaction Processing Hints";
    case 0x0018:
        return "Latency Tolerance Reporting";
    case 0x0019:
        return "Secondary PCI Express";
    case 0x001a:
        return "Protocol Multiplexing";
    case 0x001b:
        return "Process Address Space ID (PASID)";
    case 0x001c:
        return "LN Requester";
    case 0x001d:
        return "Downstream Port Containment";
    case 0x001e:
        return "L1 PM Substates";
    case 0x001f:
        return "Precision Time Measurement";
    case 0x0020:
        return "PCI Express over M_PHY";
    case 0x0021:
        return "FRS Queueing";
    case 0x0022:
        return "Readiness Time Reporting";
    case 0x0023:
        return "Designated Vendor-Specific";
    case 0x0024:
        return "VF Resizable BAR";
    case 0x0025:
        return "Data Link Feature";
    case 0x0026:
        return "Physical Layer 16.0 GT/s";
    case 0x0027:
        return "Lane Margining at the Receiver";
    case 0x0028:
        return "Hierarchy ID";
    case 0x0029:
        return "Native PCIe Enclosure Management";
    default:
        return "Extended Capability ID 0x" + hex(id);
    }
}

double link_speed(unsigned code) {
    switch (code) {
    case 1:
        return 2.5;
    case 2:
        return 5;
    case 3:
        return 8;
    case 4:
        return 16;
    case 5:
        return 32;
    case 6:
        return 64;
    case 7:
        return 128;
    default:
        return 0; // unknown
    }
}

// AER bit names as lspci-format.md section 7 lists them (pciutils 3.13+ spelling).
struct BitName {
    int bit;
    const char* name;
};
constexpr std::array<BitName, 22> kUncorrectable{{
    {4, "DLP"},
    {5, "SDES"},
    {12, "TLP"},
    {13, "FCP"},
    {14, "CmpltTO"},
    {15, "CmpltAbrt"},
    {16, "UnxCmplt"},
    {17, "RxOF"},
    {18, "MalfTLP"},
    {19, "ECRC"},
    {20, "UnsupReq"},
    {21, "ACSViol"},
    {22, "UncorrIntErr"},
    {23, "BlockedTLP"},
    {24, "AtomicOpBlocked"},
    {25, "TLPBlockedErr"},
    {26, "PoisonTLPBlocked"},
    {27, "DMWrReqBlocked"},
    {28, "IDECheck"},
    {29, "MisIDETLP"},
    {30, "PCRC_CHECK"},
    {31, "TLPXlatBlocked"},
}};
constexpr std::array<BitName, 8> kCorrectable{{
    {0, "RxErr"},
    {6, "BadTLP"},
    {7, "BadDLLP"},
    {8, "Rollover"},
    {12, "Timeout"},
    {13, "AdvNonFatalErr"},
    {14, "CorrIntErr"},
    {15, "HeaderOF"},
}};

template <std::size_t N>
std::vector<std::string> bit_names(std::uint32_t v, const std::array<BitName, N>& table) {
    std::vector<std::string> out;
    for (const auto& b : table)
        if (v & (1u << b.bit)) out.emplace_back(b.name);
    return out;
}

void report_conflict(detail::IngestContext& cx, const Device& dev, const std::string& what,
                     const std::string& old_text, Source old_src, const std::string& new_text,
                     Source src) {
    cx.host.diagnostics.push_back({Diagnostic::Level::warning, src,
                                   "conflict: " + what + " of " + dev.bdf.str() + " is " +
                                       old_text + " at " + cx.host.where(old_src) + " but " +
                                       new_text + " here; keeping the first"});
}

void note(detail::IngestContext& cx, Source src, std::string msg) {
    cx.host.diagnostics.push_back({Diagnostic::Level::note, src, std::move(msg)});
}

// Offsets of the capabilities the decoder reads (first occurrence of each).
struct StdCaps {
    bool complete = false; // the whole list was inside the dump
    std::optional<std::size_t> express, pm, af, ssvid;
    std::vector<std::string> names;
};

StdCaps walk_std_caps(detail::IngestContext& cx, const Device& dev, const Reader& r,
                      std::uint8_t layout, Source src) {
    StdCaps c;
    const auto status = r.u16(kStatus);
    if (!status) return c;
    if (!(*status & kStatusCapList)) {
        c.complete = true; // no capability list at all
        return c;
    }
    const auto ptr = r.u8(layout == 2 ? kCardbusCapPtr : kCapPtr);
    if (!ptr) return c;
    std::size_t where = *ptr & ~3u;
    std::bitset<kStdSpace> been_there;
    // at most 48 capabilities fit between 0x40 and 0xff; the set stops loops earlier
    for (int ttl = 0; ttl < 64 && where != 0; ++ttl) {
        if (where < 0x40) { // points into the header: the kernel stops here
            note(cx, src,
                 "capability list of " + dev.bdf.str() + " points into the header at 0x" +
                     hex(static_cast<unsigned>(where), 2) + "; list ends there");
            break;
        }
        if (!r.has(where, 4)) return c; // beyond the dump: the rest is unknown
        if (been_there[where]) {
            note(cx, src,
                 "capability list of " + dev.bdf.str() + " loops at [" +
                     hex(static_cast<unsigned>(where), 2) + "]");
            break;
        }
        been_there.set(where);
        const std::uint8_t id = *r.u8(where);
        const std::size_t next = *r.u8(where + 1) & ~3u;
        if (id == 0xff) { // lspci: <chain broken>
            note(cx, src,
                 "capability list of " + dev.bdf.str() + " is broken at [" +
                     hex(static_cast<unsigned>(where), 2) + "] (id ff)");
            break;
        }
        c.names.push_back(std_cap_name(id));
        auto first = [&](std::optional<std::size_t>& slot) {
            if (!slot) slot = where;
        };
        switch (id) {
        case kCapExp:
            first(c.express);
            break;
        case kCapPm:
            first(c.pm);
            break;
        case kCapAf:
            first(c.af);
            break;
        case kCapSsvid:
            first(c.ssvid);
            break;
        default:
            break;
        }
        where = next;
    }
    c.complete = true;
    return c;
}

void decode_express(detail::IngestContext& cx, Device& dev, const Reader& r, std::size_t e,
                    Source src) {
    const Bdf* bdf = &dev.bdf;
    const auto flags = r.u16(e + 2);
    if (!flags) return;
    const unsigned version = *flags & 0xf;
    const unsigned type = (*flags >> 4) & 0xf;
    const bool slot = (*flags & 0x0100) != 0;
    detail::merge_fact(cx, dev.port_type, port_type_from_code(type), src, bdf, "PCIe port type");
    // lspci prints Slot+/- only for these port types
    if (type == 4 || type == 6 || type == 8)
        detail::merge_fact(cx, dev.slot_implemented, slot, src, bdf, "slot implemented");
    // DevCap FLReset: only meaningful (and only printed) for endpoints and RCiEPs
    if (type == 0 || type == 1 || type == 9) {
        if (const auto devcap = r.u32(e + 0x04))
            detail::merge_fact(cx, dev.flr, (*devcap & 0x10000000u) != 0, src, bdf,
                               "function level reset (DevCap FLReset)");
    }
    // Link registers exist for all but RC integrated endpoints and event collectors
    if (type != 9 && type != 10) {
        const auto lnkcap = r.u32(e + 0x0c);
        const auto lnksta = r.u16(e + 0x12);
        if (lnkcap && lnksta) {
            LinkInfo li;
            li.cap_speed_gts = link_speed(*lnkcap & 0xf);
            li.cap_width = static_cast<int>((*lnkcap >> 4) & 0x3f);
            li.sta_speed_gts = link_speed(*lnksta & 0xf);
            li.sta_width = static_cast<int>((*lnksta >> 4) & 0x3f);
            li.dl_active = (*lnksta & 0x2000) != 0;
            li.src = src;
            detail::merge_fact(cx, dev.link, li, src, bdf, "link");
        }
    }
    // DevCtl2 ARI forwarding: capability version 2+, shown for root and downstream ports
    if (version >= 2 && (type == 4 || type == 6)) {
        if (const auto devctl2 = r.u16(e + 0x28))
            detail::merge_fact(cx, dev.ari_forwarding, (*devctl2 & 0x0020) != 0, src, bdf,
                               "ARI forwarding (DevCtl2 ARIFwd)");
    }
}

void apply_acs(detail::IngestContext& cx, Device& dev, const Reader& r, std::size_t at,
               Source src) {
    const auto cap = r.u16(at + 4);
    const auto ctl = r.u16(at + 6);
    if (!cap || !ctl) return;
    AcsInfo a;
    a.cap = *cap;
    a.ctl = *ctl;
    a.ctl_known = true;
    if (const auto spt = r.u32(at + 8)) a.spt_ctl = *spt;
    a.offset = static_cast<std::uint16_t>(at);
    a.src = src;
    if (!dev.acs.known()) {
        dev.acs.set(a, src);
        return;
    }
    // The text told ACSCap/ACSCtl already: cross-check, then add what only a dump has.
    AcsInfo& old = *dev.acs.value;
    if (old.cap != a.cap)
        report_conflict(cx, dev, "ACS capability (ACSCap)", "0x" + hex(old.cap, 4), old.src,
                        "0x" + hex(a.cap, 4), src);
    if (old.ctl_known && old.ctl != a.ctl)
        report_conflict(cx, dev, "ACS control (ACSCtl)", "0x" + hex(old.ctl, 4), old.src,
                        "0x" + hex(a.ctl, 4), src);
    if (!old.ctl_known) {
        old.ctl = a.ctl;
        old.ctl_known = true;
    }
    if (old.offset && *old.offset != at)
        report_conflict(cx, dev, "ACS capability offset", "0x" + hex(*old.offset, 3), old.src,
                        "0x" + hex(static_cast<unsigned>(at), 3), src);
    if (!old.offset) old.offset = a.offset;
    if (!old.spt_ctl) old.spt_ctl = a.spt_ctl;
}

void apply_aer(detail::IngestContext& cx, Device& dev, const Reader& r, std::size_t at,
               Source src) {
    const auto ue = r.u32(at + 0x04);
    const auto sev = r.u32(at + 0x0c);
    const auto ce = r.u32(at + 0x10);
    if (!ue || !sev || !ce) return;
    AerInfo a;
    a.uncorrectable = bit_names(*ue, kUncorrectable);
    a.uncorrectable_fatal = bit_names(*ue & *sev, kUncorrectable);
    a.correctable = bit_names(*ce, kCorrectable);
    a.src = src;
    detail::merge_fact(cx, dev.aer, a, src, &dev.bdf, "AER status");
}

void apply_sriov(detail::IngestContext& cx, Device& dev, const Reader& r, std::size_t at,
                 Source src) {
    const auto ctl = r.u16(at + 0x08);
    const auto total = r.u16(at + 0x0e);
    const auto num = r.u16(at + 0x10);
    if (!ctl || !total || !num) return;
    SriovInfo s;
    s.enabled = (*ctl & 0x0001) != 0;
    s.total_vfs = *total;
    s.num_vfs = *num;
    s.src = src;
    detail::merge_fact(cx, dev.sriov, s, src, &dev.bdf, "SR-IOV");
}

struct ExtCaps {
    bool complete = false;
    bool acs = false;
    std::vector<std::string> names;
};

ExtCaps walk_ext_caps(detail::IngestContext& cx, Device& dev, const Reader& r, Source src) {
    ExtCaps c;
    std::size_t where = kStdSpace;
    std::bitset<kExtSpace> been_there;
    // (4096 - 256) / 8 headers at most, as the kernel bounds it; been_there stops loops
    for (int ttl = 0; ttl < 480; ++ttl) {
        const auto header = r.u32(where);
        if (!header) {
            note(cx, src,
                 "extended capability list of " + dev.bdf.str() + " continues at 0x" +
                     hex(static_cast<unsigned>(where), 3) +
                     ", past the end of the dump: ACS/AER there unknown");
            return c;
        }
        // 0: no (more) capabilities; all ones: no extended config space
        if (*header == 0 || *header == 0xffffffffu) break;
        if (been_there[where]) {
            note(cx, src,
                 "extended capability list of " + dev.bdf.str() + " loops at [" +
                     hex(static_cast<unsigned>(where), 3) + "]");
            break;
        }
        been_there.set(where);
        const auto id = static_cast<std::uint16_t>(*header & 0xffff);
        const std::size_t next = (*header >> 20) & 0xffc;
        c.names.push_back(ext_cap_name(id));
        switch (id) {
        case kExtAcs:
            if (!c.acs) apply_acs(cx, dev, r, where, src);
            c.acs = true;
            break;
        case kExtAer:
            apply_aer(cx, dev, r, where, src);
            break;
        case kExtSriov:
            apply_sriov(cx, dev, r, where, src);
            break;
        case kExtAri: // the name is all the snapshot keeps
        default:
            break;
        }
        if (next == 0) break;
        if (next < kStdSpace) { // the kernel stops at a pointer into standard space
            note(cx, src,
                 "extended capability list of " + dev.bdf.str() + " points back to 0x" +
                     hex(static_cast<unsigned>(next), 2) + "; list ends there");
            break;
        }
        where = next;
    }
    c.complete = true;
    return c;
}

} // namespace

void apply_config_space(detail::IngestContext& cx, Device& dev, const ConfigSpace& cs, Source src) {
    const Reader r{cs.bytes};
    const Bdf* bdf = &dev.bdf;
    dev.origins |= origin_hex;
    cx.seen_format("lspci-x");
    dev.config_bytes = std::max(dev.config_bytes, static_cast<int>(cs.size()));

    // An SR-IOV virtual function's Vendor and Device ID registers read ffff (the kernel and
    // lspci name it after its PF, so the header line has the real names): the bytes do not
    // tell the ids, but they tell a VF. (All-ones config space has header type ff.)
    const auto vid = r.u16(kVendor), did = r.u16(kDevice);
    const auto htype = r.u8(kHeaderType);
    const bool vf_ids = vid && did && htype && *vid == 0xffff && *did == 0xffff && *htype != 0xff;
    if (vf_ids) {
        detail::merge_fact(cx, dev.is_virtual_function, true, src, bdf, "virtual function");
    } else {
        if (vid) detail::merge_fact(cx, dev.vendor_id, *vid, src, bdf, "vendor id");
        if (did) detail::merge_fact(cx, dev.device_id, *did, src, bdf, "device id");
    }
    if (const auto v = r.u8(kRevision))
        detail::merge_fact(cx, dev.revision, *v, src, bdf, "revision");
    if (const auto v = r.u8(kProgIf)) detail::merge_fact(cx, dev.prog_if, *v, src, bdf, "prog-if");
    if (const auto base = r.u8(kBaseClass), sub = r.u8(kSubclass); base && sub)
        detail::merge_fact(cx, dev.class_code, static_cast<std::uint16_t>((*base << 8) | *sub), src,
                           bdf, "class");

    const auto ht = r.u8(kHeaderType);
    if (!ht) return;
    const std::uint8_t layout = *ht & 0x7f;
    detail::merge_fact(cx, dev.header_type, layout, src, bdf, "header type");
    detail::merge_fact(cx, dev.multifunction_bit, (*ht & 0x80) != 0, src, bdf,
                       "multi-function bit");

    // Bridges (type 1) and CardBus bridges (type 2) keep their bus numbers at 0x18-0x1a.
    if (layout == 1 || layout == 2) {
        const auto p = r.u8(kPrimaryBus), s = r.u8(kSecondaryBus), o = r.u8(kSubordinateBus);
        if (p && s && o)
            detail::merge_fact(cx, dev.buses, BusRange{*p, *s, *o}, src, bdf,
                               "bridge bus numbers (primary/secondary/subordinate)");
    }
    // Subsystem ids (lspci shows them only when the vendor is not 0 or ffff)
    auto subsystem = [&](std::size_t vo, std::size_t dev_off) {
        const auto sv = r.u16(vo), sd = r.u16(dev_off);
        if (!sv || !sd || *sv == 0 || *sv == 0xffff) return;
        detail::merge_fact(cx, dev.subsys_vendor_id, *sv, src, bdf, "subsystem vendor id");
        detail::merge_fact(cx, dev.subsys_device_id, *sd, src, bdf, "subsystem device id");
    };
    if (layout == 0) subsystem(kSubsysVendor, kSubsysDevice);
    if (layout == 2) subsystem(kCardbusSubsysVendor, kCardbusSubsysDevice);

    const StdCaps caps = walk_std_caps(cx, dev, r, layout, src);
    if (!caps.complete) {
        // The list goes on past the end of the dump (a 64-byte non-root dump): unknown, not
        // absent. A text record of the same device may know better; keep what it said.
        if (!dev.caps_readable.known()) dev.caps_readable.set(false, src);
        return;
    }
    // A full list beats an earlier "<access denied>": that only said "could not read".
    if (!dev.caps_readable.is(true)) dev.caps_readable.set(true, src);
    const bool fill_names = dev.capabilities.empty();
    if (fill_names) dev.capabilities = caps.names;
    detail::merge_fact(cx, dev.is_pcie, caps.express.has_value(), src, bdf, "PCI Express");

    if (caps.express) decode_express(cx, dev, r, *caps.express, src);
    if (caps.pm) {
        if (const auto pmcsr = r.u16(*caps.pm + 4))
            detail::merge_fact(cx, dev.no_soft_reset, (*pmcsr & 0x0008) != 0, src, bdf,
                               "PM NoSoftRst");
    }
    if (caps.af) {
        if (const auto afcap = r.u8(*caps.af + 3))
            detail::merge_fact(cx, dev.af_flr, (*afcap & 0x02) != 0, src, bdf, "AF FLR");
    }
    if (caps.ssvid && layout == 1) subsystem(*caps.ssvid + 4, *caps.ssvid + 6);

    if (!caps.express) return; // extended capabilities only exist on PCI Express functions
    if (cs.size() <= kStdSpace) {
        if (!dev.has_acs.known())
            note(cx, src,
                 dev.bdf.str() +
                     ": dump ends at 0x100: extended capabilities (ACS, AER) unknown; capture "
                     "with lspci -xxxx");
        return;
    }
    const ExtCaps ext = walk_ext_caps(cx, dev, r, src);
    if (ext.acs)
        detail::merge_fact(cx, dev.has_acs, true, src, bdf, "ACS capability present");
    else if (ext.complete)
        detail::merge_fact(cx, dev.has_acs, false, src, bdf, "ACS capability present");
    // names of the extended capabilities follow the standard ones
    if (fill_names)
        dev.capabilities.insert(dev.capabilities.end(), ext.names.begin(), ext.names.end());
}

} // namespace il::model
