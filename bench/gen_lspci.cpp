// Generator of server-like lspci text and hex dumps (see gen_lspci.hpp).
//
// Every function's config space is built first (bytes, as a real device would hold them);
// the -vvv text is then printed FROM those bytes, field by field, in the words and order of
// pciutils 3.9 (plus what lspci reads from sysfs: region sizes, IOMMU group, NUMA node,
// physical slot, kernel driver). So the text and the hex dump cannot disagree, and the
// text can be checked against `lspci -F <hex> -vvv` itself (tests/model/gen_lspci_test.cpp).
#include "gen_lspci.hpp"

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <tuple>

namespace il::bench {

namespace {

using Kind = GenFunction::Kind;

// ---------------------------------------------------------------------------------------
// The devices (ids and names as in pci.ids 2023.04.10, Debian 12's pci.ids)

struct Model {
    std::uint16_t vendor, device;
    std::uint8_t rev;
    std::uint32_t class_code; // class << 16 | subclass << 8 | prog-if
    std::uint16_t sub_vendor, sub_device;
    const char* vendor_name;
    const char* device_name;
    const char* driver;  // Kernel driver in use ("" none)
    const char* modules; // Kernel modules ("" none)
};

constexpr const char* kIntel = "Intel Corporation";
constexpr const char* kPlx = "PLX Technology, Inc.";
constexpr const char* kNvidia = "NVIDIA Corporation";
constexpr const char* kSamsung = "Samsung Electronics Co Ltd";
constexpr const char* kMellanox = "Mellanox Technologies";
constexpr const char* kSupermicro = "Super Micro Computer Inc";

const Model& model_of(Kind k, int variant) {
    static const Model host{0x8086, 0x2020, 0x04,   0x060000,
                            0x15d9, 0x095d, kIntel, "Sky Lake-E DMI3 Registers",
                            "",     ""};
    static const Model cbdma{0x8086,    0x2021,   0x04,   0x088000,
                             0x15d9,    0x095d,   kIntel, "Sky Lake-E CBDMA Registers",
                             "ioatdma", "ioatdma"};
    static const Model vtd{
        0x8086, 0x2034, 0x04, 0x088000, 0x15d9, 0x095d, kIntel, "Sky Lake-E VT-d", "", ""};
    static const Model ras{0x8086, 0x2035, 0x04,   0x088000,
                           0x15d9, 0x095d, kIntel, "Sky Lake-E RAS Configuration Registers",
                           "",     ""};
    static const Model ioapic{0x8086, 0x2036, 0x04,   0x080020,
                              0x15d9, 0x095d, kIntel, "Sky Lake-E IOxAPIC Configuration Registers",
                              "",     ""};
    static const Model rp[4] = {
        {0x8086, 0x2030, 0x04, 0x060400, 0x15d9, 0x095d, kIntel,
         "Sky Lake-E PCI Express Root Port A", "pcieport", ""},
        {0x8086, 0x2031, 0x04, 0x060400, 0x15d9, 0x095d, kIntel,
         "Sky Lake-E PCI Express Root Port B", "pcieport", ""},
        {0x8086, 0x2032, 0x04, 0x060400, 0x15d9, 0x095d, kIntel,
         "Sky Lake-E PCI Express Root Port C", "pcieport", ""},
        {0x8086, 0x2033, 0x04, 0x060400, 0x15d9, 0x095d, kIntel,
         "Sky Lake-E PCI Express Root Port D", "pcieport", ""},
    };
    static const Model sw{
        0x10b5,     0x8747, 0xca, 0x060400,
        0x10b5,     0x8747, kPlx, "PEX 8747 48-Lane, 5-Port PCI Express Gen 3 (8.0 GT/s) Switch",
        "pcieport", ""};
    static const Model vga{0x10de,     0x1e30,
                           0xa1,       0x030000,
                           0x10de,     0x12ba,
                           kNvidia,    "TU102GL [Quadro RTX 6000/8000]",
                           "vfio-pci", "nvidiafb, nouveau"};
    static const Model audio{
        0x10de,     0x10f7,         0xa1,    0x040300,
        0x10de,     0x12ba,         kNvidia, "TU102 High Definition Audio Controller",
        "vfio-pci", "snd_hda_intel"};
    static const Model usb{0x10de,     0x1ad6,    0xa1,    0x0c0330,
                           0x10de,     0x12ba,    kNvidia, "TU102 USB 3.1 Host Controller",
                           "vfio-pci", "xhci_pci"};
    static const Model ucsi{0x10de,     0x1ad7, 0xa1,    0x0c8000,
                            0x10de,     0x12ba, kNvidia, "TU102 USB Type-C UCSI Controller",
                            "vfio-pci", ""};
    static const Model a100{0x10de,   0x20b0,
                            0xa1,     0x030200,
                            0x10de,   0x134f,
                            kNvidia,  "GA100 [A100 SXM4 40GB]",
                            "nvidia", "nvidiafb, nouveau, nvidia"};
    static const Model nvme{0x144d, 0xa80a, 0x00,     0x010802,
                            0x144d, 0xa813, kSamsung, "NVMe SSD Controller PM9A1/PM9A3/980PRO",
                            "nvme", "nvme"};
    static const Model pf{0x15b3,      0x1017,     0x00,      0x020000,
                          0x15b3,      0x0008,     kMellanox, "MT27800 Family [ConnectX-5]",
                          "mlx5_core", "mlx5_core"};
    static const Model vf{
        0x15b3,     0x1018,     0x00,      0x020000,
        0x15b3,     0x0008,     kMellanox, "MT27800 Family [ConnectX-5 Virtual Function]",
        "vfio-pci", "mlx5_core"};
    switch (k) {
    case Kind::host_bridge:
        return host;
    case Kind::cbdma:
        return cbdma;
    case Kind::rciep_misc:
        return variant == 0 ? vtd : variant == 2 ? ras : ioapic;
    case Kind::root_port:
        return rp[variant & 3];
    case Kind::switch_up:
    case Kind::switch_down:
        return sw;
    case Kind::gpu_vga:
        return vga;
    case Kind::gpu_audio:
        return audio;
    case Kind::gpu_usb:
        return usb;
    case Kind::gpu_ucsi:
        return ucsi;
    case Kind::gpu_3d:
        return a100;
    case Kind::nvme:
        return nvme;
    case Kind::nic_pf:
        return pf;
    case Kind::nic_vf:
        return vf;
    }
    return nvme;
}

const char* class_name(std::uint32_t cls) {
    switch (cls >> 8) {
    case 0x0600:
        return "Host bridge";
    case 0x0604:
        return "PCI bridge";
    case 0x0880:
        return "System peripheral";
    case 0x0800:
        return "PIC";
    case 0x0300:
        return "VGA compatible controller";
    case 0x0302:
        return "3D controller";
    case 0x0403:
        return "Audio device";
    case 0x0c03:
        return "USB controller";
    case 0x0c80:
        return "Serial bus controller";
    case 0x0108:
        return "Non-Volatile memory controller";
    case 0x0200:
        return "Ethernet controller";
    }
    return "Unclassified device";
}

const char* prog_if_name(std::uint32_t cls) {
    switch (cls) {
    case 0x060400:
        return "Normal decode";
    case 0x080020:
        return "IO(X)-APIC";
    case 0x030000:
        return "VGA controller";
    case 0x0c0330:
        return "XHCI";
    case 0x010802:
        return "NVM Express";
    }
    return nullptr;
}

int variant_of(const GenFunction& f) {
    if (f.kind == Kind::root_port) return f.port_no;
    return f.fn;
}

// ---------------------------------------------------------------------------------------
// Planning

struct Planner {
    GenHost h;
    std::size_t want = 0;
    std::uint32_t domain = 0;
    int next_bus = 0;
    std::uint16_t next_slot = 1;
    std::uint32_t stack = 0;  // stacks so far (all domains)
    std::uint32_t mmio32 = 0; // next 32-bit MMIO address in this domain

    std::size_t left() const { return want - h.functions.size(); }

    GenFunction& add(Kind k, int bus, int dev, int fn) {
        GenFunction f;
        f.domain = domain;
        f.bus = static_cast<std::uint8_t>(bus);
        f.dev = static_cast<std::uint8_t>(dev);
        f.fn = static_cast<std::uint8_t>(fn);
        f.kind = k;
        f.numa = static_cast<std::uint8_t>(stack % 2);
        h.functions.push_back(f);
        return h.functions.back();
    }
    std::uint16_t slot() {
        const auto s = next_slot;
        next_slot = static_cast<std::uint16_t>(next_slot % 8000 + 1);
        return s;
    }
    std::uint32_t take_mmio(std::uint32_t size) {
        const std::uint32_t base = (mmio32 + size - 1) / size * size;
        mmio32 = base + size;
        if (mmio32 >= 0xfb000000u) mmio32 = 0x90000000u; // a huge domain reuses addresses
        return base;
    }

    // A multifunction TU102 (VGA, audio, USB, UCSI) on `bus`.
    std::size_t gpu(int bus, std::uint16_t slot_no) {
        if (left() < 4) return 0;
        const Kind kinds[4] = {Kind::gpu_vga, Kind::gpu_audio, Kind::gpu_usb, Kind::gpu_ucsi};
        for (int fn = 0; fn < 4; ++fn) {
            auto& f = add(kinds[fn], bus, 0, fn);
            f.multifunction = fn == 0;
            f.slot_no = slot_no;
        }
        return 4;
    }
    std::size_t single(Kind k, int bus, std::uint16_t slot_no) {
        if (left() < 1) return 0;
        add(k, bus, 0, 0).slot_no = slot_no;
        return 1;
    }
    // A dual-port ConnectX-5, each PF with up to 8 VFs (routing ids after both PFs: with ARI
    // the VFs of PF0 are 00.2-01.1, those of PF1 01.2-02.1).
    std::size_t nic(int bus, std::uint16_t slot_no) {
        if (left() < 1) return 0;
        const std::size_t pfs = std::min<std::size_t>(2, left());
        const std::size_t vfs_each = std::min<std::size_t>(8, (left() - pfs) / pfs);
        for (std::size_t p = 0; p < pfs; ++p) {
            auto& f = add(Kind::nic_pf, bus, 0, static_cast<int>(p));
            f.multifunction = p == 0 && pfs > 1;
            f.acs = true;
            f.slot_no = slot_no;
            f.num_vfs = static_cast<std::uint16_t>(vfs_each);
            // first VF routing id: after the PFs, the VFs of earlier PFs
            f.first_vf = static_cast<std::uint16_t>(pfs + p * vfs_each - p);
        }
        for (std::size_t p = 0; p < pfs; ++p)
            for (std::size_t v = 0; v < vfs_each; ++v) {
                const auto rid = pfs + p * vfs_each + v;
                add(Kind::nic_vf, bus, static_cast<int>(rid >> 3), static_cast<int>(rid & 7))
                    .slot_no = slot_no;
            }
        return pfs + pfs * vfs_each;
    }

    GenFunction& port(Kind k, int bus, int dev, int variant, int sec, int sub, bool slot_impl) {
        auto& f = add(k, bus, dev, 0);
        f.secondary = static_cast<std::uint8_t>(sec);
        f.subordinate = static_cast<std::uint8_t>(sub);
        f.port_no = static_cast<std::uint8_t>(variant);
        f.slot = slot_impl;
        if (slot_impl) f.slot_no = slot();
        return f;
    }

    // One IIO stack: root bus R and 9 more bus numbers below it.
    void add_stack(bool first_in_domain) {
        const int R = next_bus;
        next_bus += 10;
        const bool cheap_switch = stack % 4 == 3; // downstream ports without ACS
        const bool nic_on_a = stack % 2 == 1;     // port A: NIC instead of the switch
        if (first_in_domain && left() > 0) {
            add(Kind::host_bridge, R, 0, 0);
            for (int fn = 0; fn < 8 && left() > 0; ++fn) {
                auto& f = add(Kind::cbdma, R, 8, fn);
                f.multifunction = fn == 0;
            }
        }
        const int dev0 = first_in_domain ? 1 : 0; // 00:00.0 is the host bridge on bus 0
        // Root ports first on the root bus (they sort before 05.x).
        std::size_t rp_index[4] = {};
        const int secs[4] = {R + 1, R + 7, R + 8, R + 9};
        const int subs[4] = {nic_on_a ? R + 1 : R + 6, R + 7, R + 8, R + 9};
        int nports = 0;
        for (int p = 0; p < 4 && left() > 0; ++p) {
            auto& f = port(Kind::root_port, R, dev0 + p, p, secs[p], subs[p], p != 0 || nic_on_a);
            f.acs = true;
            rp_index[p] = h.functions.size() - 1;
            ++nports;
        }
        for (int fn : {0, 2, 4}) {
            if (left() == 0) break;
            auto& f = add(Kind::rciep_misc, R, 5, fn);
            f.multifunction = fn == 0;
        }
        // Below the ports, in bus order.
        if (nports > 0) {
            std::size_t below = 0;
            if (nic_on_a) {
                below = nic(R + 1, h.functions[rp_index[0]].slot_no);
            } else if (left() >= 1) {
                auto& up = port(Kind::switch_up, R + 1, 0, 0, R + 2, R + 6, false);
                up.acs = false;
                below = 1;
                const int devs[4] = {0x08, 0x09, 0x10, 0x11};
                std::size_t dsp_index[4] = {};
                int ndsp = 0;
                for (int k = 0; k < 4 && left() > 0; ++k) {
                    auto& d = port(Kind::switch_down, R + 2, devs[k], devs[k], R + 3 + k, R + 3 + k,
                                   true);
                    d.acs = !cheap_switch;
                    dsp_index[k] = h.functions.size() - 1;
                    ++ndsp;
                    ++below;
                }
                for (int k = 0; k < ndsp; ++k) {
                    auto& d = h.functions[dsp_index[k]];
                    const auto slot_no = d.slot_no;
                    std::size_t n = 0;
                    if (k < 2)
                        n = gpu(R + 3 + k, slot_no);
                    else if (k == 2)
                        n = single(Kind::gpu_3d, R + 3 + k, slot_no);
                    else
                        n = single(Kind::nvme, R + 3 + k, slot_no);
                    h.functions[dsp_index[k]].link_up = n > 0;
                    below += n;
                }
            }
            h.functions[rp_index[0]].link_up = below > 0;
        }
        if (nports > 1)
            h.functions[rp_index[1]].link_up =
                single(Kind::nvme, R + 7, h.functions[rp_index[1]].slot_no) > 0;
        if (nports > 2)
            h.functions[rp_index[2]].link_up = nic(R + 8, h.functions[rp_index[2]].slot_no) > 0;
        if (nports > 3) h.functions[rp_index[3]].link_up = false; // an empty hot-plug slot
        ++stack;
    }
};

// Size of a function's 32-bit memory BAR (0: none).
std::uint32_t mmio32_size(Kind k) {
    switch (k) {
    case Kind::gpu_vga:
    case Kind::gpu_3d:
        return 0x01000000u; // 16M
    case Kind::gpu_audio:
        return 0x4000u; // 16K
    case Kind::gpu_ucsi:
        return 0x1000u; // 4K
    case Kind::switch_up:
        return 0x40000u; // 256K
    case Kind::nvme:
    case Kind::cbdma:
        return 0x4000u; // 16K
    default:
        return 0;
    }
}

bool is_bridge(Kind k) {
    return k == Kind::root_port || k == Kind::switch_up || k == Kind::switch_down;
}

// 32-bit MMIO: each function's BAR in address order (aligned to its size, at least 1M
// apart as firmware tends to do); a bridge's window spans everything below it.
void assign_mmio(std::vector<GenFunction>& fs) {
    std::uint32_t dom = ~0u;
    std::uint32_t next = 0;
    for (auto& f : fs) {
        if (f.domain != dom) {
            dom = f.domain;
            next = 0x90000000u;
        }
        const auto size = mmio32_size(f.kind);
        if (size == 0) continue;
        const std::uint32_t step = std::max<std::uint32_t>(size, 0x100000u);
        std::uint32_t base = (next + step - 1) / step * step;
        if (base + step > 0xfb000000u) base = 0x90000000u; // a huge domain reuses addresses
        f.mmio = base;
        f.mmio_size = size;
        next = base + step;
    }
    for (std::size_t i = 0; i < fs.size(); ++i) {
        auto& f = fs[i];
        if (!is_bridge(f.kind)) continue;
        std::uint32_t lo = 0, hi = 0;
        for (std::size_t j = i + 1; j < fs.size(); ++j) {
            const auto& g = fs[j];
            if (g.domain != f.domain || g.bus > f.subordinate) break;
            if (g.bus < f.secondary || g.mmio_size == 0) continue;
            const std::uint32_t end = g.mmio + std::max<std::uint32_t>(g.mmio_size, 0x100000u);
            if (lo == 0 || g.mmio < lo) lo = g.mmio;
            hi = std::max(hi, end);
        }
        if (lo != 0 && hi > lo) {
            f.window = lo & 0xfff00000u;
            f.window_size = ((hi + 0xfffffu) & 0xfff00000u) - f.window;
        }
    }
}

// Base of the 64-bit prefetchable MMIO of a bus (1G per bus, like a socket's MMIOH).
std::uint64_t high_base(std::uint32_t domain, unsigned bus) {
    return 0x380000000000ull + (std::uint64_t{domain} << 38) + (std::uint64_t{bus} << 30);
}

// Kernel probe order: every bus's devices before the buses below them, buses in bus-number
// order (= address order, as bus numbers were handed out depth first); VFs come later, when
// SR-IOV is enabled. Functions of a multifunction slot without ACS share a group (but Intel
// root-complex integrated endpoints count as isolated: the kernel's pci_quirk_rciep_acs), and
// so does everything below a downstream port without ACS (with the port).
void assign_groups(GenHost& h) {
    auto& fs = h.functions;
    std::vector<std::size_t> order;
    order.reserve(fs.size());
    for (std::size_t i = 0; i < fs.size(); ++i)
        if (fs[i].kind != Kind::nic_vf) order.push_back(i);
    for (std::size_t i = 0; i < fs.size(); ++i)
        if (fs[i].kind == Kind::nic_vf) order.push_back(i);
    // bridge by (domain, secondary bus): functions are few per bus, a map is enough
    std::vector<int> bridge_of_bus; // index (domain*256+bus) -> function index or -1
    std::uint32_t max_dom = fs.empty() ? 0 : fs.back().domain;
    bridge_of_bus.assign((std::size_t{max_dom} + 1) * 256, -1);
    for (std::size_t i = 0; i < fs.size(); ++i)
        if (fs[i].kind == Kind::root_port || fs[i].kind == Kind::switch_up ||
            fs[i].kind == Kind::switch_down)
            bridge_of_bus[fs[i].domain * 256 + fs[i].secondary] = static_cast<int>(i);
    int next = 0;
    for (auto i : order) {
        auto& f = fs[i];
        const int up = bridge_of_bus[f.domain * 256 + f.bus];
        if (up >= 0 && fs[up].kind == Kind::switch_down && !fs[up].acs) {
            f.group = fs[up].group;
            continue;
        }
        // Intel RCiEPs count as isolated (the kernel's pci_quirk_rciep_acs)
        const bool intel_rciep =
            f.kind == Kind::host_bridge || f.kind == Kind::cbdma || f.kind == Kind::rciep_misc;
        if (f.kind != Kind::nic_vf && !intel_rciep && !f.acs && f.fn > 0) {
            // a function of a multifunction device without ACS: with function 0's group
            // (function 0 of these devices has no ACS either)
            bool joined = false;
            for (std::size_t j = i; j-- > 0;) {
                const auto& g = fs[j];
                if (g.domain != f.domain || g.bus != f.bus || g.dev != f.dev) break;
                if (g.fn < f.fn && !g.acs && g.group >= 0) {
                    f.group = g.group;
                    joined = true;
                    break;
                }
            }
            if (joined) continue;
        }
        f.group = next++;
    }
    h.groups = static_cast<std::size_t>(next);
}

// ---------------------------------------------------------------------------------------
// Config space

struct Cfg {
    std::array<std::uint8_t, 4096> b{};
    std::uint8_t last_cap = 0; // offset of the last standard capability (0: none yet)
    std::uint16_t last_ecap = 0;

    void w8(unsigned o, unsigned v) { b[o] = static_cast<std::uint8_t>(v); }
    void w16(unsigned o, unsigned v) {
        w8(o, v & 0xff);
        w8(o + 1, (v >> 8) & 0xff);
    }
    void w32(unsigned o, std::uint32_t v) {
        w16(o, v & 0xffff);
        w16(o + 2, v >> 16);
    }
    unsigned r8(unsigned o) const { return b[o]; }
    unsigned r16(unsigned o) const { return b[o] | (b[o + 1] << 8); }
    std::uint32_t r32(unsigned o) const { return r16(o) | (std::uint32_t{r16(o + 2)} << 16); }

    void cap(unsigned off, unsigned id) {
        if (last_cap == 0)
            w8(0x34, off);
        else
            w8(last_cap + 1, off);
        w8(off, id);
        w8(off + 1, 0);
        last_cap = static_cast<std::uint8_t>(off);
        w16(0x06, r16(0x06) | 0x0010); // Status: Cap+
    }
    void ecap(unsigned off, unsigned id, unsigned ver) {
        if (last_ecap != 0) w32(last_ecap, r32(last_ecap) | (off << 20));
        w32(off, id | (ver << 16));
        last_ecap = static_cast<std::uint16_t>(off);
    }
};

constexpr unsigned kSpeed8 = 3, kSpeed16 = 4, kSpeed2_5 = 1;

struct Links {
    unsigned cap_speed, cap_width, sta_speed, sta_width;
};

Links links_of(const GenFunction& f) {
    switch (f.kind) {
    case Kind::root_port:
        if (!f.link_up) return {kSpeed8, 16, kSpeed2_5, 0};
        return {kSpeed8, 16, kSpeed8, f.port_no == 1 ? 4u : 16u};
    case Kind::switch_up:
        return {kSpeed8, 16, kSpeed8, 16};
    case Kind::switch_down:
        if (!f.link_up) return {kSpeed8, 16, kSpeed2_5, 0};
        return {kSpeed8, 16, kSpeed8, f.dev == 0x11 ? 4u : 16u};
    case Kind::nvme:
        return {kSpeed16, 4, kSpeed8, 4}; // a Gen4 drive on a Gen3 port: "(downgraded)"
    case Kind::nic_pf:
    case Kind::nic_vf:
        return {kSpeed8, 16, kSpeed8, 16};
    case Kind::gpu_3d:
        return {kSpeed16, 16, kSpeed8, 16};
    default:
        return {kSpeed8, 16, kSpeed8, 16};
    }
}

// PCI Express capability (v2, 0x3c bytes).
void express(Cfg& c, unsigned off, const GenFunction& f, unsigned type) {
    c.cap(off, 0x10);
    const bool slot = f.slot;
    c.w16(off + 2, 0x0002 | (type << 4) | (slot ? 0x0100 : 0)); // version 2
    const bool ep = type == 0 || type == 9;
    // DevCap: MaxPayload 256 (1), L0s/L1 latency for endpoints, RBE, FLR for endpoints
    std::uint32_t devcap = 0x01 | 0x8000 /* RBE */ | 0x20 /* ExtTag */;
    if (type == 0) devcap |= (6u << 6) | (6u << 9) | (1u << 28); // L0s <4us? L1 <32us, FLR
    if (type == 9) devcap |= (1u << 28);
    c.w32(off + 4, devcap);
    // DevCtl: CorrErr+ NonFatalErr+ FatalErr+ UnsupReq+ (ports) / -; RlxdOrd+ ExtTag+
    // NoSnoop+; MaxPayload 256, MaxReadReq 512 (endpoints) / 128
    std::uint16_t devctl = 0x0010 | 0x0100 | 0x0800 | (1u << 5);
    if (!ep) devctl |= 0x000f;
    devctl |= ep ? (2u << 12) : 0;
    c.w16(off + 8, devctl);
    c.w16(off + 10, 0x0000); // DevSta
    if (type != 9) {
        const auto l = links_of(f);
        std::uint32_t lnkcap = l.cap_speed | (l.cap_width << 4) | (2u << 10) /* ASPM L1 */ |
                               (4u << 12) | (6u << 15); // exit latencies L0s <1us? L1 <32us
        if (type == 4 || type == 6) lnkcap |= (1u << 20) | (1u << 21);     // LLActRep+ BwNot+
        if (type == 6 || type == 4) lnkcap |= (1u << 19) * (slot ? 1 : 0); // Surprise
        lnkcap |= (1u << 22);                                              // ASPMOptComp+
        lnkcap |= std::uint32_t{f.port_no} << 24;
        c.w32(off + 12, lnkcap);
        c.w16(off + 16, 0x0040); // LnkCtl: CommClk+
        std::uint16_t lnksta = static_cast<std::uint16_t>(l.sta_speed | (l.sta_width << 4));
        if ((type == 4 || type == 6) && f.link_up) lnksta |= 0x2000; // DLActive+
        lnksta |= 0x1000;                                            // SlotClk+
        c.w16(off + 18, lnksta);
    }
    if (slot) {
        // SltCap: AttnBtn- PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+ Surprise-, Slot #, 25W
        std::uint32_t sltcap = 0x02 | 0x08 | 0x10 | 0x20;
        sltcap |= (25u << 7);                     // power limit value
        sltcap |= std::uint32_t{f.slot_no} << 19; // physical slot number
        c.w32(off + 20, sltcap);
        c.w16(off + 24, 0x01c0 | 0x0008 | 0x0020);    // SltCtl: PresDet+ HPIrq+, PwrInd On...
        c.w16(off + 26, f.link_up ? 0x0040 : 0x0000); // SltSta: PresDet
    }
    if (type == 4) {
        c.w16(off + 28, 0x0000);     // RootCtl
        c.w16(off + 30, 0x0000);     // RootCap
        c.w32(off + 32, 0x00000000); // RootSta
    }
    // DevCap2: completion timeout ranges ABCD, TimeoutDis+, LTR+, 10BitTagComp+, OBFF
    // via WAKE#, ARIFwd+ on ports
    std::uint32_t devcap2 = 0x0f | 0x10 | (1u << 11);
    if (type == 4 || type == 6) devcap2 |= 0x20; // ARIFwd+ (ARI forwarding supported)
    c.w32(off + 36, devcap2);
    std::uint16_t devctl2 = 0x0005; // completion timeout 16ms to 55ms
    if ((type == 4 || type == 6) && f.kind != Kind::switch_down) devctl2 |= 0x20; // ARIFwd+
    c.w16(off + 40, devctl2);
    if (type != 9) {
        // LnkCap2: supported speeds 2.5-8 / 2.5-16 GT/s
        const auto l = links_of(f);
        c.w32(off + 44, l.cap_speed >= kSpeed16 ? 0x1e : 0x0e);
        c.w16(off + 48, static_cast<std::uint16_t>(l.cap_speed)); // LnkCtl2: target speed
        c.w16(off + 50, 0x0000);                                  // LnkSta2
    }
}

void pm(Cfg& c, unsigned off, bool nosoftrst) {
    c.cap(off, 0x01);
    c.w16(off + 2, 0x0003 | (0u << 6)); // version 3
    c.w16(off + 4, nosoftrst ? 0x0008 : 0x0000);
}

void msi(Cfg& c, unsigned off, bool enabled, unsigned vectors_log2, bool maskable) {
    c.cap(off, 0x05);
    std::uint16_t ctl = 0x0080 | static_cast<std::uint16_t>(vectors_log2 << 1); // 64bit+
    if (maskable) ctl |= 0x0100;
    if (enabled) ctl |= 0x0001 | static_cast<std::uint16_t>(vectors_log2 << 4);
    c.w16(off + 2, ctl);
    if (enabled) {
        c.w32(off + 4, 0xfee00000u | 0x238);
        c.w32(off + 8, 0);
        c.w16(off + 12, 0x0021);
    }
}

void msix(Cfg& c, unsigned off, unsigned table_size, unsigned bar, bool enabled) {
    c.cap(off, 0x11);
    c.w16(off + 2, static_cast<std::uint16_t>((table_size - 1) | (enabled ? 0x8000 : 0)));
    c.w32(off + 4, 0x00002000u | bar);
    c.w32(off + 8, 0x00003000u | bar);
}

void ssvid(Cfg& c, unsigned off, std::uint16_t sv, std::uint16_t sd) {
    c.cap(off, 0x0d);
    c.w16(off + 4, sv);
    c.w16(off + 6, sd);
}

void aer(Cfg& c, unsigned off, bool root) {
    c.ecap(off, 0x0001, 2);
    c.w32(off + 4, 0);                     // UESta
    c.w32(off + 8, 0x00400000);            // UEMsk: (UncorrIntErr? ) -> shows as set in mask
    c.w32(off + 12, 0x00462030);           // UESvrt: DLP SDES FCP RxOF MalfTLP + ...
    c.w32(off + 16, 0);                    // CESta
    c.w32(off + 20, 0x00002000);           // CEMsk: AdvNonFatalErr+
    c.w32(off + 24, 0x000000a0);           // AERCap: ECRCGenCap+ ECRCChkCap+
    if (root) c.w32(off + 44, 0x00000007); // RootCmd
}

void acs(Cfg& c, unsigned off, std::uint16_t cap, std::uint16_t ctl) {
    c.ecap(off, 0x000d, 1);
    c.w16(off + 4, cap);
    c.w16(off + 6, ctl);
}

void ari(Cfg& c, unsigned off, unsigned next_fn) {
    c.ecap(off, 0x000e, 1);
    c.w16(off + 4, static_cast<std::uint16_t>(next_fn << 8));
    c.w16(off + 6, 0);
}

void sriov(Cfg& c, unsigned off, const GenFunction& f, std::uint16_t vf_device) {
    c.ecap(off, 0x0010, 1);
    c.w32(off + 4, 0x00000000);                  // IOVCap
    c.w16(off + 8, f.num_vfs ? 0x0019 : 0x0010); // IOVCtl: Enable, MSE, ARIHierarchy
    c.w16(off + 10, 0);                          // IOVSta
    c.w16(off + 12, 8);                          // InitialVFs
    c.w16(off + 14, 8);                          // TotalVFs
    c.w16(off + 16, f.num_vfs);                  // NumVFs
    c.w8(off + 18, 0);                           // function dependency link
    c.w16(off + 20, f.first_vf);                 // First VF Offset
    c.w16(off + 22, 1);                          // VF Stride
    c.w16(off + 26, vf_device);                  // VF Device ID
    c.w32(off + 28, 0x00000553);                 // supported page sizes
    c.w32(off + 32, 0x00000001);                 // system page size
    const std::uint64_t vf_bar = high_base(f.domain, f.bus) + f.fn * 0x08000000ull + 0x02000000ull;
    c.w32(off + 36, 0x0000000c | static_cast<std::uint32_t>(vf_bar)); // VF BAR0 64-bit pref
    c.w32(off + 40, static_cast<std::uint32_t>(vf_bar >> 32));
}

void bar32(Cfg& c, unsigned idx, std::uint32_t addr, bool pref = false) {
    c.w32(0x10 + 4 * idx, addr | (pref ? 0x8 : 0));
}
void bar64(Cfg& c, unsigned idx, std::uint64_t addr, bool pref) {
    c.w32(0x10 + 4 * idx, static_cast<std::uint32_t>(addr) | 0x4 | (pref ? 0x8 : 0));
    c.w32(0x14 + 4 * idx, static_cast<std::uint32_t>(addr >> 32));
}

// Bridge windows: 32-bit memory from the plan, 64-bit prefetchable over the bus range,
// I/O closed.
void windows(Cfg& c, const GenFunction& f) {
    c.w8(0x18, f.bus);
    c.w8(0x19, f.secondary);
    c.w8(0x1a, f.subordinate);
    c.w8(0x1c, 0xf0); // I/O base above limit: closed
    c.w8(0x1d, 0x00);
    if (f.window_size) {
        c.w16(0x20, (f.window >> 16) & 0xfff0);
        c.w16(0x22, ((f.window + f.window_size - 1) >> 16) & 0xfff0);
    } else {
        c.w16(0x20, 0xfff0);
        c.w16(0x22, 0x0000);
    }
    if (f.link_up) {
        const std::uint64_t lo = high_base(f.domain, f.secondary);
        const std::uint64_t hi = high_base(f.domain, f.subordinate + 1u) - 1;
        c.w16(0x24, 0x0001 | ((lo >> 16) & 0xfff0));
        c.w16(0x26, 0x0001 | ((hi >> 16) & 0xfff0));
        c.w32(0x28, static_cast<std::uint32_t>(lo >> 32));
        c.w32(0x2c, static_cast<std::uint32_t>(hi >> 32));
    } else {
        c.w16(0x24, 0xfff1);
        c.w16(0x26, 0x0001);
    }
    c.w16(0x3e, 0x0002); // BridgeCtl: SERR+
}

Cfg build(const GenFunction& f) {
    Cfg c;
    const Model& m = model_of(f.kind, variant_of(f));
    const bool vf = f.kind == Kind::nic_vf;
    c.w16(0x00, vf ? 0xffff : m.vendor); // a VF's Vendor/Device ID registers read ffff
    c.w16(0x02, vf ? 0xffff : m.device);
    c.w8(0x08, m.rev);
    c.w8(0x09, m.class_code & 0xff);
    c.w8(0x0a, (m.class_code >> 8) & 0xff);
    c.w8(0x0b, (m.class_code >> 16) & 0xff);
    const bool bridge =
        f.kind == Kind::root_port || f.kind == Kind::switch_up || f.kind == Kind::switch_down;
    c.w8(0x0e, (bridge ? 1 : 0) | (f.multifunction ? 0x80 : 0));
    switch (f.kind) {
    case Kind::host_bridge:
    case Kind::rciep_misc:
        c.w16(0x04, 0x0140);
        break;
    case Kind::nic_vf:
        c.w16(0x04, 0x0404);
        break;
    default:
        c.w16(0x04, bridge ? 0x0547 : 0x0546);
        c.w8(0x0c, 0x10); // cache line 64 bytes
    }
    if (!bridge) {
        c.w16(0x2c, m.sub_vendor);
        c.w16(0x2e, m.sub_device);
    }
    // interrupt pin A and a legacy IRQ for functions that have INTx
    if (!vf && f.kind != Kind::host_bridge && f.kind != Kind::rciep_misc) {
        c.w8(0x3d, 1);
        c.w8(0x3c, 0x20 + (f.bus + f.dev) % 0x60);
    }

    const std::uint32_t m32 = f.mmio;
    const std::uint64_t mh = high_base(f.domain, f.bus);
    switch (f.kind) {
    case Kind::host_bridge:
        express(c, 0x90, f, 9);
        pm(c, 0xe0, true);
        break;
    case Kind::cbdma:
        bar64(c, 0, m32, false);
        msix(c, 0x80, 1, 0, true);
        express(c, 0x90, f, 9);
        pm(c, 0xe0, true);
        break;
    case Kind::rciep_misc:
        express(c, 0x40, f, 9);
        pm(c, 0xe0, true);
        break;
    case Kind::root_port: {
        windows(c, f);
        ssvid(c, 0x40, m.sub_vendor, m.sub_device);
        msi(c, 0x60, false, 0, false);
        express(c, 0x90, f, 4);
        pm(c, 0xe0, false);
        aer(c, 0x100, true);
        acs(c, 0x148, 0x001f, 0x001d);
        break;
    }
    case Kind::switch_up:
    case Kind::switch_down: {
        if (f.kind == Kind::switch_up) bar32(c, 0, m32);
        windows(c, f);
        pm(c, 0x40, false);
        msi(c, 0x48, true, 0, true);
        express(c, 0x68, f, f.kind == Kind::switch_up ? 5 : 6);
        ssvid(c, 0xa4, m.sub_vendor, m.sub_device);
        aer(c, 0x100, false);
        if (f.acs) acs(c, 0x148, 0x007f, 0x001d);
        break;
    }
    case Kind::gpu_vga:
    case Kind::gpu_3d:
        bar32(c, 0, m32);
        bar64(c, 1, mh, true);
        bar64(c, 3, mh + 0x10000000ull, true);
        pm(c, 0x60, false);
        msi(c, 0x68, true, 0, false);
        express(c, 0x78, f, 0);
        aer(c, 0x100, false);
        break;
    case Kind::gpu_audio:
    case Kind::gpu_ucsi:
        bar32(c, 0, m32);
        pm(c, 0x60, false);
        msi(c, 0x68, true, 0, false);
        express(c, 0x78, f, 0);
        aer(c, 0x100, false);
        break;
    case Kind::gpu_usb:
        bar64(c, 0, mh + 0x14000000ull, true);
        bar64(c, 3, mh + 0x14040000ull, true);
        pm(c, 0x60, false);
        msi(c, 0x68, true, 3, false);
        express(c, 0x78, f, 0);
        msix(c, 0xb4, 8, 0, false);
        aer(c, 0x100, false);
        break;
    case Kind::nvme:
        bar64(c, 0, m32, false);
        pm(c, 0x40, true);
        msi(c, 0x50, false, 5, true);
        express(c, 0x70, f, 0);
        msix(c, 0xb0, 64, 0, true);
        aer(c, 0x100, false);
        break;
    case Kind::nic_pf:
        bar64(c, 0, mh + f.fn * 0x08000000ull, true);
        pm(c, 0x60, false);
        express(c, 0x70, f, 0);
        msix(c, 0xb0, 64, 0, true);
        aer(c, 0x100, false);
        acs(c, 0x148, 0x000c, 0x000c);
        ari(c, 0x150, f.fn == 0 && f.multifunction ? 1 : 0);
        sriov(c, 0x180, f, 0x1018);
        break;
    case Kind::nic_vf:
        express(c, 0x60, f, 0);
        msix(c, 0x9c, 16, 0, true);
        ari(c, 0x100, 0);
        break;
    }
    return c;
}

// ---------------------------------------------------------------------------------------
// Output helpers

struct Out {
    const Sink& sink;
    std::string buf;
    explicit Out(const Sink& s) : sink(s) { buf.reserve(1 << 16); }
    ~Out() { flush(); }
    void flush() {
        if (!buf.empty()) sink(buf);
        buf.clear();
    }
    void maybe_flush() {
        if (buf.size() > (1u << 20)) flush();
    }
    Out& operator<<(std::string_view s) {
        buf.append(s);
        return *this;
    }
    Out& operator<<(char c) {
        buf.push_back(c);
        return *this;
    }
    void f(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
};

void Out::f(const char* fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    const int n = std::vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) buf.append(tmp, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof tmp - 1));
}

char flag(bool on) {
    return on ? '+' : '-';
}

void slot_name(Out& o, const GenFunction& f) {
    o.f("%04x:%02x:%02x.%d", f.domain, f.bus, f.dev, f.fn);
}

// "Class [cccc]: Vendor Device [vvvv:dddd] (rev rr)" (-nn) or without numbers.
void names(Out& o, const GenFunction& f, bool numeric) {
    const Model& m = model_of(f.kind, variant_of(f));
    o << ' ' << class_name(m.class_code);
    if (numeric) o.f(" [%04x]", m.class_code >> 8);
    o << ": " << m.vendor_name << ' ' << m.device_name;
    if (numeric) o.f(" [%04x:%04x]", m.vendor, m.device);
    if (m.rev) o.f(" (rev %02x)", m.rev);
}

// ---------------------------------------------------------------------------------------
// The -vvv text, printed from the config bytes (pciutils 3.9 wording; sysfs extras)

const char* speed_text(unsigned s) {
    switch (s) {
    case 1:
        return "2.5GT/s";
    case 2:
        return "5GT/s";
    case 3:
        return "8GT/s";
    case 4:
        return "16GT/s";
    case 5:
        return "32GT/s";
    }
    return "unknown";
}

// lspci's show_size: " [size=16K]"
void size_text(Out& o, std::uint64_t x) {
    static const char* suffix[] = {"", "K", "M", "G", "T"};
    if (!x) return;
    unsigned i = 0;
    while (i < 4 && x >= 1024) {
        x /= 1024;
        ++i;
    }
    o.f(" [size=%u%s]", static_cast<unsigned>(x), suffix[i]);
}

std::uint64_t bar_size(const GenFunction& f, unsigned idx) {
    switch (f.kind) {
    case Kind::gpu_vga:
    case Kind::gpu_3d:
        return idx == 0 ? 0x01000000ull : idx == 1 ? 0x10000000ull : 0x02000000ull;
    case Kind::gpu_usb:
        return idx == 0 ? 0x40000ull : 0x10000ull;
    case Kind::nic_pf:
        return 0x02000000ull;
    default:
        return f.mmio_size;
    }
}

bool has_memory_bar(const GenFunction& f) {
    switch (f.kind) {
    case Kind::host_bridge:
    case Kind::rciep_misc:
    case Kind::root_port:
    case Kind::switch_down:
        return false;
    default:
        return true; // VFs too: lspci sees their BARs in sysfs
    }
}

void regions(Out& o, const GenFunction& f, const Cfg& c) {
    const unsigned count = is_bridge(f.kind) ? 2 : 6;
    for (unsigned i = 0; i < count; ++i) {
        const std::uint32_t lo = c.r32(0x10 + 4 * i);
        if (lo == 0) continue;
        std::uint64_t addr = lo & ~0xfu;
        const bool is64 = (lo & 0x6) == 0x4;
        const bool pref = (lo & 0x8) != 0;
        const unsigned idx = i;
        if (is64) addr |= std::uint64_t{c.r32(0x10 + 4 * (i + 1))} << 32;
        o.f("\tRegion %u: Memory at %08llx (%s, %sprefetchable)", idx,
            static_cast<unsigned long long>(addr), is64 ? "64-bit" : "32-bit", pref ? "" : "non-");
        size_text(o, bar_size(f, idx));
        o << '\n';
        if (is64) ++i;
    }
}

void vf_regions(Out& o, const GenFunction& f, const GenHost& h) {
    // the PF's VF BAR0, one 1M slice per VF (routing-id order)
    for (const auto& pf : h.functions) {
        if (pf.kind != Kind::nic_pf || pf.domain != f.domain || pf.bus != f.bus) continue;
        const unsigned rid = f.dev * 8u + f.fn;
        const unsigned first = pf.fn + pf.first_vf;
        if (rid < first || rid >= first + pf.num_vfs) continue;
        const std::uint64_t base =
            high_base(pf.domain, pf.bus) + pf.fn * 0x08000000ull + 0x02000000ull;
        const unsigned index = rid - first;
        o.f("\tRegion 0: Memory at %08llx (64-bit, prefetchable) [virtual] [size=1M]\n",
            static_cast<unsigned long long>(base + index * 0x100000ull));
    }
}

void bridge_lines(Out& o, const GenFunction& f, const Cfg& c) {
    o.f("\tBus: primary=%02x, secondary=%02x, subordinate=%02x, sec-latency=0\n", c.r8(0x18),
        c.r8(0x19), c.r8(0x1a));
    o << "\tI/O behind bridge: [disabled] [16-bit]\n";
    if (f.window_size) {
        o.f("\tMemory behind bridge: %08x-%08x", f.window, f.window + f.window_size - 1);
        size_text(o, f.window_size);
        o << " [32-bit]\n";
    } else {
        o << "\tMemory behind bridge: [disabled] [32-bit]\n";
    }
    if (f.link_up) {
        const std::uint64_t lo = high_base(f.domain, f.secondary);
        const std::uint64_t hi = high_base(f.domain, f.subordinate + 1u) - 1;
        // pciutils 3.9 reading sysfs prints these windows with "[32-bit]"
        o.f("\tPrefetchable memory behind bridge: %08llx-%08llx",
            static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi));
        size_text(o, hi - lo + 1);
        o << " [32-bit]\n";
    } else {
        o << "\tPrefetchable memory behind bridge: [disabled] [64-bit]\n";
    }
    o << "\tSecondary status: 66MHz- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- "
         "<SERR- <PERR-\n"
         "\tBridgeCtl: Parity- SERR+ NoISA- VGA- VGA16- MAbort- >Reset- FastB2B-\n"
         "\t\tPriDiscTmr- SecDiscTmr- DiscTmrStat- DiscTmrSERREn-\n";
}

void subsystem_name(Out& o, std::uint16_t v, std::uint16_t d, std::uint16_t sv, std::uint16_t sd,
                    const GenFunction& f);

void cap_pm(Out& o, const Cfg& c, unsigned off) {
    o.f("\tCapabilities: [%02x] Power Management version %u\n", off, c.r16(off + 2) & 7);
    o << "\t\tFlags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0-,D1-,D2-,D3hot-,D3cold-)\n";
    o.f("\t\tStatus: D0 NoSoftRst%c PME-Enable- DSel=0 DScale=0 PME-\n",
        flag(c.r16(off + 4) & 0x0008));
}

void cap_msi(Out& o, const Cfg& c, unsigned off) {
    const unsigned ctl = c.r16(off + 2);
    o.f("\tCapabilities: [%02x] MSI: Enable%c Count=%u/%u Maskable%c 64bit+\n", off, flag(ctl & 1),
        1u << ((ctl >> 4) & 7), 1u << ((ctl >> 1) & 7), flag(ctl & 0x100));
    o.f("\t\tAddress: %08x%08x  Data: %04x\n", c.r32(off + 8), c.r32(off + 4), c.r16(off + 12));
    if (ctl & 0x100) o << "\t\tMasking: 00000000  Pending: 00000000\n";
}

void cap_msix(Out& o, const Cfg& c, unsigned off) {
    const unsigned ctl = c.r16(off + 2);
    o.f("\tCapabilities: [%02x] MSI-X: Enable%c Count=%u Masked-\n", off, flag(ctl & 0x8000),
        (ctl & 0x7ff) + 1);
    o.f("\t\tVector table: BAR=%u offset=%08x\n", c.r32(off + 4) & 7, c.r32(off + 4) & ~7u);
    o.f("\t\tPBA: BAR=%u offset=%08x\n", c.r32(off + 8) & 7, c.r32(off + 8) & ~7u);
}

void cap_express(Out& o, const Cfg& c, unsigned off, const GenFunction& f) {
    const unsigned flags = c.r16(off + 2);
    const unsigned type = (flags >> 4) & 0xf;
    const bool slot = flags & 0x0100;
    const bool port = type == 4 || type == 6;
    const bool ep = type == 0;
    const bool rc = type == 9;
    const char* tname = type == 0   ? "Endpoint"
                        : type == 4 ? "Root Port"
                        : type == 5 ? "Upstream Port"
                        : type == 6 ? "Downstream Port"
                                    : "Root Complex Integrated Endpoint";
    o.f("\tCapabilities: [%02x] Express (v2) %s", off, tname);
    if (port) o.f(" (Slot%c)", flag(slot));
    o << ", MSI 00\n";
    if (ep)
        o << "\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0, Latency L0s <4us, L1 <64us\n"
             "\t\t\tExtTag+ AttnBtn- AttnInd- PwrInd- RBE+ FLReset+ SlotPowerLimit 0W\n";
    else if (type == 5)
        o << "\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0\n"
             "\t\t\tExtTag+ AttnBtn- AttnInd- PwrInd- RBE+ SlotPowerLimit 0W\n";
    else if (rc)
        o << "\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0\n"
             "\t\t\tExtTag+ RBE+ FLReset+\n";
    else
        o << "\t\tDevCap:\tMaxPayload 256 bytes, PhantFunc 0\n"
             "\t\t\tExtTag+ RBE+\n";
    if (ep || rc)
        o << "\t\tDevCtl:\tCorrErr- NonFatalErr- FatalErr- UnsupReq-\n"
             "\t\t\tRlxdOrd+ ExtTag+ PhantFunc- AuxPwr- NoSnoop+ FLReset-\n"
             "\t\t\tMaxPayload 256 bytes, MaxReadReq 512 bytes\n";
    else
        o << "\t\tDevCtl:\tCorrErr+ NonFatalErr+ FatalErr+ UnsupReq+\n"
             "\t\t\tRlxdOrd+ ExtTag+ PhantFunc- AuxPwr- NoSnoop+\n"
             "\t\t\tMaxPayload 256 bytes, MaxReadReq 128 bytes\n";
    o << "\t\tDevSta:\tCorrErr- NonFatalErr- FatalErr- UnsupReq- AuxPwr- TransPend-\n";
    if (!rc) {
        const std::uint32_t lnkcap = c.r32(off + 12);
        const unsigned lnksta = c.r16(off + 18);
        o.f("\t\tLnkCap:\tPort #%u, Speed %s, Width x%u, ASPM L1, Exit Latency L1 <64us\n",
            lnkcap >> 24, speed_text(lnkcap & 0xf), (lnkcap >> 4) & 0x3f);
        o.f("\t\t\tClockPM- Surprise%c LLActRep%c BwNot%c ASPMOptComp+\n",
            flag(lnkcap & (1u << 19)), flag(lnkcap & (1u << 20)), flag(lnkcap & (1u << 21)));
        o << ((ep || type == 4) ? "\t\tLnkCtl:\tASPM Disabled; RCB 64 bytes, Disabled- CommClk+\n"
                                : "\t\tLnkCtl:\tASPM Disabled; Disabled- CommClk+\n");
        o << "\t\t\tExtSynch- ClockPM- AutWidDis- BWInt- AutBWInt-\n";
        const unsigned cs = lnkcap & 0xf, cw = (lnkcap >> 4) & 0x3f;
        const unsigned ss = lnksta & 0xf, sw = (lnksta >> 4) & 0x3f;
        // 3.8+: "(downgraded)"/"(overdriven)" against LnkCap, never for ports
        auto mark = [&](unsigned sta, unsigned cap) -> const char* {
            if (port) return "";
            return sta < cap ? " (downgraded)" : sta > cap ? " (overdriven)" : "";
        };
        o.f("\t\tLnkSta:\tSpeed %s%s, Width x%u%s\n", speed_text(ss), mark(ss, cs), sw,
            mark(sw, cw));
        o.f("\t\t\tTrErr- Train- SlotClk%c DLActive%c BWMgmt- ABWMgmt-\n", flag(lnksta & 0x1000),
            flag(lnksta & 0x2000));
    }
    if (slot) {
        const std::uint32_t sltcap = c.r32(off + 20);
        const unsigned sltsta = c.r16(off + 26);
        o << "\t\tSltCap:\tAttnBtn- PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug- Surprise+\n";
        o.f("\t\t\tSlot #%u, PowerLimit %uW; Interlock- NoCompl-\n", sltcap >> 19,
            (sltcap >> 7) & 0xff);
        o << "\t\tSltCtl:\tEnable: AttnBtn- PwrFlt- MRL- PresDet+ CmdCplt- HPIrq+ LinkChg-\n"
             "\t\t\tControl: AttnInd Off, PwrInd On, Power- Interlock-\n";
        o.f("\t\tSltSta:\tStatus: AttnBtn- PowerFlt- MRL- CmdCplt- PresDet%c Interlock-\n",
            flag(sltsta & 0x0040));
        o << "\t\t\tChanged: MRL- PresDet- LinkState-\n";
    }
    if (type == 4)
        o << "\t\tRootCap: CRSVisible-\n"
             "\t\tRootCtl: ErrCorrectable- ErrNon-Fatal- ErrFatal- PMEIntEna- CRSVisible-\n"
             "\t\tRootSta: PME ReqID 0000, PMEStatus- PMEPending-\n";
    o << "\t\tDevCap2: Completion Timeout: Range ABCD, TimeoutDis+ NROPrPrP- LTR+\n"
         "\t\t\t 10BitTagComp- 10BitTagReq- OBFF Not Supported, ExtFmt- EETLPPrefix-\n"
         "\t\t\t EmergencyPowerReduction Not Supported, EmergencyPowerReductionInit-\n";
    // the words pciutils prints depend on the port type (and on a memory BAR for the
    // AtomicOp completer bits)
    if (type == 4)
        o.f("\t\t\t FRS- LN System CLS Not Supported, TPHComp- ExtTPHComp- ARIFwd%c\n",
            flag(c.r32(off + 36) & 0x20));
    else if (type == 6)
        o.f("\t\t\t FRS- ARIFwd%c\n", flag(c.r32(off + 36) & 0x20));
    else if (ep)
        o << "\t\t\t FRS- TPHComp- ExtTPHComp-\n";
    else
        o << "\t\t\t FRS-\n";
    const bool completer = type == 4 || has_memory_bar(f);
    if (port || type == 5)
        o << (completer ? "\t\t\t AtomicOpsCap: Routing- 32bit- 64bit- 128bitCAS-\n"
                        : "\t\t\t AtomicOpsCap: Routing-\n");
    else if (completer)
        o << "\t\t\t AtomicOpsCap: 32bit- 64bit- 128bitCAS-\n";
    o << "\t\tDevCtl2: Completion Timeout: 16ms to 55ms, TimeoutDis- LTR- 10BitTagReq- OBFF "
         "Disabled,";
    if (port) o.f(" ARIFwd%c", flag(c.r16(off + 40) & 0x20));
    o << '\n';
    if (type == 4)
        o << "\t\t\t AtomicOpsCtl: ReqEn- EgressBlck-\n";
    else if (port || type == 5)
        o << "\t\t\t AtomicOpsCtl: EgressBlck-\n";
    else
        o << "\t\t\t AtomicOpsCtl: ReqEn-\n";
    if (rc) return; // no link
    if (!(ep && (f.dev != 0 || f.fn != 0))) {
        // LnkCap2/LnkCtl2: for an endpoint only at device 0 function 0
        const std::uint32_t lnkcap2 = c.r32(off + 44);
        o.f("\t\tLnkCap2: Supported Link Speeds: %s, Crosslink- Retimer- 2Retimers- DRS-\n",
            (lnkcap2 & 0x10) ? "2.5-16GT/s" : "2.5-8GT/s");
        o.f("\t\tLnkCtl2: Target Link Speed: %s, EnterCompliance- SpeedDis-%s\n",
            speed_text(c.r16(off + 48) & 0xf), type == 6 ? ", Selectable De-emphasis: -6dB" : "");
        o << "\t\t\t Transmit Margin: Normal Operating Range, EnterModifiedCompliance- "
             "ComplianceSOS-\n"
             "\t\t\t Compliance Preset/De-emphasis: -6dB de-emphasis, 0dB preshoot\n";
    }
    o << "\t\tLnkSta2: Current De-emphasis Level: -6dB, EqualizationComplete- "
         "EqualizationPhase1-\n"
         "\t\t\t EqualizationPhase2- EqualizationPhase3- LinkEqualizationRequest-\n"
         "\t\t\t Retimer- 2Retimers- CrosslinkRes: unsupported\n";
}

void cap_aer(Out& o, unsigned off, bool root) {
    o.f("\tCapabilities: [%03x v2] Advanced Error Reporting\n", off);
    o << "\t\tUESta:\tDLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- "
         "UnsupReq- ACSViol-\n"
         "\t\tUEMsk:\tDLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- "
         "UnsupReq- ACSViol-\n"
         "\t\tUESvrt:\tDLP+ SDES+ TLP- FCP+ CmpltTO- CmpltAbrt- UnxCmplt- RxOF+ MalfTLP+ ECRC- "
         "UnsupReq- ACSViol-\n"
         "\t\tCESta:\tRxErr- BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr-\n"
         "\t\tCEMsk:\tRxErr- BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr+\n"
         "\t\tAERCap:\tFirst Error Pointer: 00, ECRCGenCap+ ECRCGenEn- ECRCChkCap+ ECRCChkEn-\n"
         "\t\t\tMultHdrRecCap- MultHdrRecEn- TLPPfxPres- HdrLogCap-\n"
         "\t\tHeaderLog: 00000000 00000000 00000000 00000000\n";
    if (root)
        o << "\t\tRootCmd: CERptEn+ NFERptEn+ FERptEn+\n"
             "\t\tRootSta: CERcvd- MultCERcvd- UERcvd- MultUERcvd-\n"
             "\t\t\t FirstFatal- NonFatalMsg- FatalMsg- IntMsg 0\n"
             "\t\tErrorSrc: ERR_COR: 0000 ERR_FATAL/NONFATAL: 0000\n";
}

void acs_bits(Out& o, unsigned v) {
    o.f("SrcValid%c TransBlk%c ReqRedir%c CmpltRedir%c UpstreamFwd%c EgressCtrl%c "
        "DirectTrans%c\n",
        flag(v & 1), flag(v & 2), flag(v & 4), flag(v & 8), flag(v & 16), flag(v & 32),
        flag(v & 64));
}

void cap_acs(Out& o, const Cfg& c, unsigned off) {
    o.f("\tCapabilities: [%03x v1] Access Control Services\n", off);
    o << "\t\tACSCap:\t";
    acs_bits(o, c.r16(off + 4));
    o << "\t\tACSCtl:\t";
    acs_bits(o, c.r16(off + 6));
}

void cap_ari(Out& o, const Cfg& c, unsigned off) {
    o.f("\tCapabilities: [%03x v1] Alternative Routing-ID Interpretation (ARI)\n", off);
    o.f("\t\tARICap:\tMFVC- ACS-, Next Function: %u\n", c.r16(off + 4) >> 8);
    o << "\t\tARICtl:\tMFVC- ACS-, Function Group: 0\n";
}

void cap_sriov(Out& o, const Cfg& c, unsigned off) {
    const unsigned ctl = c.r16(off + 8);
    o.f("\tCapabilities: [%03x v1] Single Root I/O Virtualization (SR-IOV)\n", off);
    o << "\t\tIOVCap:\tMigration- 10BitTagReq- Interrupt Message Number: 000\n";
    o.f("\t\tIOVCtl:\tEnable%c Migration- Interrupt- MSE%c ARIHierarchy%c 10BitTagReq-\n",
        flag(ctl & 1), flag(ctl & 8), flag(ctl & 0x10));
    o << "\t\tIOVSta:\tMigration-\n";
    o.f("\t\tInitial VFs: %u, Total VFs: %u, Number of VFs: %u, Function Dependency Link: %02x\n",
        c.r16(off + 12), c.r16(off + 14), c.r16(off + 16), c.r8(off + 18));
    o.f("\t\tVF offset: %u, stride: %u, Device ID: %04x\n", c.r16(off + 20), c.r16(off + 22),
        c.r16(off + 26));
    o.f("\t\tSupported Page Size: %08x, System Page Size: %08x\n", c.r32(off + 28),
        c.r32(off + 32));
    const std::uint64_t bar = (c.r32(off + 36) & ~0xfu) | (std::uint64_t{c.r32(off + 40)} << 32);
    o.f("\t\tRegion 0: Memory at %016llx (64-bit, prefetchable)\n",
        static_cast<unsigned long long>(bar));
    o << "\t\tVF Migration: offset: 00000000, BIR: 0\n";
}

void capabilities(Out& o, const GenFunction& f, const Cfg& c) {
    unsigned where = c.r8(0x34);
    for (int guard = 0; where && guard < 48; ++guard) {
        const unsigned id = c.r8(where);
        switch (id) {
        case 0x01:
            cap_pm(o, c, where);
            break;
        case 0x05:
            cap_msi(o, c, where);
            break;
        case 0x10:
            cap_express(o, c, where, f);
            break;
        case 0x11:
            cap_msix(o, c, where);
            break;
        case 0x0d: {
            const Model& m = model_of(f.kind, variant_of(f));
            o.f("\tCapabilities: [%02x] Subsystem: ", where);
            subsystem_name(o, m.vendor, m.device, static_cast<std::uint16_t>(c.r16(where + 4)),
                           static_cast<std::uint16_t>(c.r16(where + 6)), f);
            o << '\n';
            break;
        }
        }
        where = c.r8(where + 1);
    }
    unsigned ext = 0x100;
    for (int guard = 0; ext && guard < 48; ++guard) {
        const std::uint32_t hdr = c.r32(ext);
        if (hdr == 0) break;
        switch (hdr & 0xffff) {
        case 0x0001:
            cap_aer(o, ext, f.kind == Kind::root_port);
            break;
        case 0x000d:
            cap_acs(o, c, ext);
            break;
        case 0x000e:
            cap_ari(o, c, ext);
            break;
        case 0x0010:
            cap_sriov(o, c, ext);
            break;
        }
        ext = hdr >> 20;
    }
}

// A name of the generated vendors ("" for an unknown vendor).
const char* vendor_name(std::uint16_t v) {
    switch (v) {
    case 0x8086:
        return kIntel;
    case 0x10b5:
        return kPlx;
    case 0x10de:
        return kNvidia;
    case 0x144d:
        return kSamsung;
    case 0x15b3:
        return kMellanox;
    case 0x15d9:
        return kSupermicro;
    }
    return "";
}

// Subsystem names pci.ids (as written by pci_ids()) knows.
const char* known_subsystem(std::uint16_t v, std::uint16_t d, std::uint16_t sv, std::uint16_t sd) {
    if (v == 0x10de && d == 0x1e30 && sv == 0x10de && sd == 0x12ba) return "Quadro RTX 6000";
    if (v == 0x144d && d == 0xa80a && sv == 0x144d && sd == 0xa813) return "General DC NVMe PM9A3";
    return nullptr;
}

// "Vendor Name [sv:sd]" as lspci -nn looks the subsystem up (without the udev hwdb): the
// per-device entry, else the device's own name when the ids are the same, else "Device".
void subsystem_name(Out& o, std::uint16_t v, std::uint16_t d, std::uint16_t sv, std::uint16_t sd,
                    const GenFunction& f) {
    (void)f;
    o << vendor_name(sv) << ' ';
    if (const char* n = known_subsystem(v, d, sv, sd))
        o << n;
    else if (v == sv && d == sd)
        o << model_of(f.kind, variant_of(f)).device_name;
    else
        o << "Device";
    o.f(" [%04x:%04x]", sv, sd);
}

void print_function(Out& o, const GenHost& h, const GenFunction& f, const LspciGenOptions& opt) {
    const Cfg c = build(f);
    const Model& m = model_of(f.kind, variant_of(f));
    slot_name(o, f);
    names(o, f, true);
    if (const char* pi = prog_if_name(m.class_code))
        o.f(" (prog-if %02x [%s])", m.class_code & 0xff, pi);
    o << '\n';
    // Subsystem: type 0 from 0x2c, bridges from the subsystem capability (printed alike)
    o << "\tSubsystem: ";
    subsystem_name(o, m.vendor, m.device, m.sub_vendor, m.sub_device, f);
    o << '\n';
    if (!is_bridge(f.kind) && f.slot_no) o.f("\tPhysical Slot: %u\n", f.slot_no);
    const unsigned cmd = c.r16(0x04);
    o.f("\tControl: I/O%c Mem%c BusMaster%c SpecCycle- MemWINV- VGASnoop- ParErr%c Stepping- "
        "SERR%c FastB2B- DisINTx%c\n",
        flag(cmd & 1), flag(cmd & 2), flag(cmd & 4), flag(cmd & 0x40), flag(cmd & 0x100),
        flag(cmd & 0x400));
    o << "\tStatus: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- "
         ">SERR- <PERR- INTx-\n";
    if (cmd & 4) {
        o << "\tLatency: 0";
        if (c.r8(0x0c)) o.f(", Cache Line Size: %u bytes", c.r8(0x0c) * 4);
        o << '\n';
    }
    if (c.r8(0x3d)) o.f("\tInterrupt: pin A routed to IRQ %u\n", c.r8(0x3c));
    o.f("\tNUMA node: %u\n", f.numa);
    if (opt.iommu_groups && f.group >= 0) o.f("\tIOMMU group: %d\n", f.group);
    if (f.kind == Kind::nic_vf)
        vf_regions(o, f, h);
    else
        regions(o, f, c);
    if (is_bridge(f.kind)) bridge_lines(o, f, c);
    capabilities(o, f, c);
    if (opt.kernel_lines) {
        if (*m.driver) o << "\tKernel driver in use: " << m.driver << '\n';
        if (*m.modules) o << "\tKernel modules: " << m.modules << '\n';
    }
    o << '\n';
}

} // namespace

// ---------------------------------------------------------------------------------------

GenHost plan_host(const LspciGenOptions& opt) {
    Planner p;
    p.want = std::max<std::size_t>(1, opt.functions);
    p.h.functions.reserve(p.want);
    bool first = true;
    while (p.left() > 0) {
        if (p.next_bus + 10 > 256) {
            ++p.domain;
            p.next_bus = 0;
            first = true;
        }
        p.add_stack(first);
        first = false;
    }
    auto& fs = p.h.functions;
    std::sort(fs.begin(), fs.end(), [](const GenFunction& a, const GenFunction& b) {
        return std::tie(a.domain, a.bus, a.dev, a.fn) < std::tie(b.domain, b.bus, b.dev, b.fn);
    });
    assign_mmio(fs);
    p.h.domains = fs.empty() ? 0 : fs.back().domain + 1;
    assign_groups(p.h);
    return std::move(p.h);
}

std::vector<std::uint8_t> config_space(const GenHost& h, std::size_t index) {
    const Cfg c = build(h.functions.at(index));
    return {c.b.begin(), c.b.end()};
}

void write_lspci_hex(const GenHost& h, const Sink& sink) {
    Out o(sink);
    static const char* digits = "0123456789abcdef";
    for (const auto& f : h.functions) {
        slot_name(o, f);
        names(o, f, false);
        o << '\n';
        const Cfg c = build(f);
        char row[64];
        for (unsigned off = 0; off < 4096; off += 16) {
            char* p = row;
            if (off < 0x100) {
                *p++ = digits[(off >> 4) & 15];
                *p++ = digits[off & 15];
            } else {
                *p++ = digits[(off >> 8) & 15];
                *p++ = digits[(off >> 4) & 15];
                *p++ = digits[off & 15];
            }
            *p++ = ':';
            for (unsigned k = 0; k < 16; ++k) {
                *p++ = ' ';
                *p++ = digits[c.b[off + k] >> 4];
                *p++ = digits[c.b[off + k] & 15];
            }
            *p++ = '\n';
            o.buf.append(row, static_cast<std::size_t>(p - row));
        }
        o << '\n';
        o.maybe_flush();
    }
}

std::string lspci_hex(const GenHost& h) {
    std::string s;
    s.reserve(h.functions.size() * 13700);
    write_lspci_hex(h, [&](std::string_view p) { s.append(p); });
    return s;
}

void write_lspci_text(const GenHost& h, const LspciGenOptions& opt, const Sink& sink) {
    Out o(sink);
    for (const auto& f : h.functions) {
        print_function(o, h, f, opt);
        o.maybe_flush();
    }
}

std::string lspci_text(const GenHost& h, const LspciGenOptions& opt) {
    std::string s;
    s.reserve(h.functions.size() * 3500);
    write_lspci_text(h, opt, [&](std::string_view p) { s.append(p); });
    return s;
}

std::string pci_ids() {
    std::string s = "# pci.ids entries of the devices bench/gen_lspci.cpp generates\n";
    const Kind kinds[] = {Kind::host_bridge, Kind::cbdma,   Kind::rciep_misc, Kind::root_port,
                          Kind::switch_up,   Kind::gpu_vga, Kind::gpu_audio,  Kind::gpu_usb,
                          Kind::gpu_ucsi,    Kind::gpu_3d,  Kind::nvme,       Kind::nic_pf,
                          Kind::nic_vf};
    std::vector<const Model*> models;
    for (auto k : kinds) {
        const int variants = k == Kind::root_port ? 4 : k == Kind::rciep_misc ? 5 : 1;
        for (int v = 0; v < variants; ++v) {
            if (k == Kind::rciep_misc && (v == 1 || v == 3)) continue;
            const Model* m = &model_of(k, v);
            if (std::find(models.begin(), models.end(), m) == models.end()) models.push_back(m);
        }
    }
    std::sort(models.begin(), models.end(), [](const Model* a, const Model* b) {
        return std::tie(a->vendor, a->device) < std::tie(b->vendor, b->device);
    });
    char line[256];
    int vendor = -1;
    for (const Model* m : models) {
        if (m->vendor != vendor) {
            vendor = m->vendor;
            std::snprintf(line, sizeof line, "%04x  %s\n", m->vendor, m->vendor_name);
            s += line;
        }
        std::snprintf(line, sizeof line, "\t%04x  %s\n", m->device, m->device_name);
        s += line;
        if (const char* n = known_subsystem(m->vendor, m->device, m->sub_vendor, m->sub_device)) {
            std::snprintf(line, sizeof line, "\t\t%04x %04x  %s\n", m->sub_vendor, m->sub_device,
                          n);
            s += line;
        }
    }
    s += "15d9  Super Micro Computer Inc\n";
    s += "C 01  Mass storage controller\n\t08  Non-Volatile memory controller\n"
         "\t\t02  NVM Express\n";
    s += "C 02  Network controller\n\t00  Ethernet controller\n";
    s += "C 03  Display controller\n\t00  VGA compatible controller\n\t\t00  VGA controller\n"
         "\t02  3D controller\n";
    s += "C 04  Multimedia controller\n\t03  Audio device\n";
    s += "C 06  Bridge\n\t00  Host bridge\n\t04  PCI bridge\n\t\t00  Normal decode\n";
    s += "C 08  Generic system peripheral\n\t00  PIC\n\t\t20  IO(X)-APIC\n"
         "\t80  System peripheral\n";
    s += "C 0c  Serial bus controller\n\t03  USB controller\n\t\t30  XHCI\n"
         "\t80  Serial bus controller\n";
    return s;
}

// ---------------------------------------------------------------------------------------
// Companion files of the same host

namespace {

// "Vendor Device [vvvv:dddd]" as lspci -nn prints the names (sysfs ids, so VFs have theirs)
void ids_names(Out& o, const GenFunction& f) {
    const Model& m = model_of(f.kind, variant_of(f));
    o << m.vendor_name << ' ' << m.device_name;
    o.f(" [%04x:%04x]", m.vendor, m.device);
}

struct TreeWriter {
    const GenHost& h;
    Out& o;
    std::string line;
    // devices by (domain, bus): index range into h.functions (functions are sorted)
    std::vector<std::pair<std::size_t, std::size_t>> range; // per domain*256+bus

    TreeWriter(const GenHost& host, Out& out) : h(host), o(out) {
        range.assign((h.domains ? h.domains : 1) * 256, {0, 0});
        for (std::size_t i = 0; i < h.functions.size(); ++i) {
            const auto& f = h.functions[i];
            auto& r = range[f.domain * 256 + f.bus];
            if (r.first == r.second) r.first = i;
            r.second = i + 1;
        }
    }
    // pciutils' print_it: print the line, then keep only its "|" columns for the next
    void print_it() {
        o << line << '\n';
        for (auto& ch : line) ch = (ch == '+' || ch == '|') ? '|' : ' ';
    }
    void bus(std::uint32_t domain, unsigned b, std::size_t pos) {
        const auto [first, last] = range[domain * 256 + b];
        line.resize(pos);
        if (first == last) {
            print_it();
            return;
        }
        for (std::size_t i = first; i < last; ++i) {
            line.resize(pos);
            line += (last - first == 1) ? "--" : (i + 1 == last ? "\\-" : "+-");
            device(h.functions[i]);
        }
    }
    void device(const GenFunction& f) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%02x.%x", f.dev, f.fn);
        line += buf;
        if (is_bridge(f.kind)) {
            if (f.secondary == f.subordinate)
                std::snprintf(buf, sizeof buf, "-[%02x]-", f.secondary);
            else
                std::snprintf(buf, sizeof buf, "-[%02x-%02x]-", f.secondary, f.subordinate);
            line += buf;
            line += '-';
            bus(f.domain, f.secondary, line.size());
            return;
        }
        const Model& m = model_of(f.kind, variant_of(f));
        line += "  ";
        line += m.vendor_name;
        line += ' ';
        line += m.device_name;
        std::snprintf(buf, sizeof buf, " [%04x:%04x]", m.vendor, m.device);
        line += buf;
        print_it();
    }
};

} // namespace

std::string lspci_tree(const GenHost& h) {
    std::string s;
    Sink sink = [&](std::string_view p) { s.append(p); };
    {
        Out o(sink);
        TreeWriter t(h, o);
        // root buses: buses with functions but no bridge above them
        std::vector<std::pair<std::uint32_t, unsigned>> roots;
        std::vector<bool> below(t.range.size(), false);
        for (const auto& f : h.functions)
            if (is_bridge(f.kind))
                for (unsigned b = f.secondary; b <= f.subordinate; ++b)
                    below[f.domain * 256 + b] = true;
        for (std::size_t k = 0; k < t.range.size(); ++k)
            if (t.range[k].first != t.range[k].second && !below[k])
                roots.emplace_back(static_cast<std::uint32_t>(k / 256),
                                   static_cast<unsigned>(k % 256));
        char buf[32];
        for (std::size_t r = 0; r < roots.size(); ++r) {
            t.line.resize(roots.size() == 1 ? 0 : 1);
            if (roots.size() == 1)
                t.line = "-";
            else if (r == 0)
                t.line = "-+-";
            else
                t.line += r + 1 == roots.size() ? "\\-" : "+-";
            std::snprintf(buf, sizeof buf, "[%04x:%02x]-", roots[r].first, roots[r].second);
            t.line += buf;
            t.bus(roots[r].first, roots[r].second, t.line.size());
        }
    }
    return s;
}

std::string iommu_listing(const GenHost& h) {
    // the usual script: every group in version order, its devices as `lspci -nns`
    std::vector<std::vector<std::size_t>> groups(h.groups);
    for (std::size_t i = 0; i < h.functions.size(); ++i)
        if (h.functions[i].group >= 0)
            groups[static_cast<std::size_t>(h.functions[i].group)].push_back(i);
    std::string s;
    Sink sink = [&](std::string_view p) { s.append(p); };
    Out o(sink);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        o.f("IOMMU Group %zu:\n", g);
        for (auto i : groups[g]) {
            const auto& f = h.functions[i];
            const Model& m = model_of(f.kind, variant_of(f));
            o << '\t';
            if (h.domains > 1) o.f("%04x:", f.domain);
            o.f("%02x:%02x.%d %s [%04x]: ", f.bus, f.dev, f.fn, class_name(m.class_code),
                m.class_code >> 8);
            ids_names(o, f);
            if (m.rev) o.f(" (rev %02x)", m.rev);
            o << '\n';
        }
    }
    o.flush();
    return s;
}

std::string kernel_cmdline() {
    return "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/mapper/vg0-root ro quiet "
           "intel_iommu=on iommu=pt vfio-pci.ids=10de:1e30,10de:10f7,10de:1ad6,10de:1ad7 "
           "default_hugepagesz=1G hugepagesz=1G hugepages=64\n";
}

std::string kernel_log(const GenHost& h) {
    std::string s;
    Sink sink = [&](std::string_view p) { s.append(p); };
    Out o(sink);
    double t = 0;
    auto stamp = [&](double dt) {
        t += dt;
        o.f("[%5u.%06u] ", static_cast<unsigned>(t),
            static_cast<unsigned>((t - static_cast<unsigned>(t)) * 1e6));
    };
    stamp(0);
    o << "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
         "12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC "
         "Debian 6.1.76-1 (2024-02-01)\n";
    stamp(0);
    o << "Command line: " << kernel_cmdline();
    stamp(0.0123);
    o << "ACPI: DMAR 0x000000006F9D6000 0000F8 (v01 SUPERM SMCI--MB 00000001 INTL 20091013)\n";
    stamp(0.2);
    o << "Kernel command line: " << kernel_cmdline();
    stamp(0.0001);
    o << "DMAR: IOMMU enabled\n";
    stamp(0.31);
    o << "DMAR: Host address width 46\n";
    for (std::size_t d = 0; d < std::max<std::size_t>(h.domains, 1); ++d) {
        stamp(0.00001);
        o.f("DMAR: DRHD base: 0x000000%08zx flags: 0x1\n", 0xfbffc000u - d * 0x2000u);
    }
    stamp(0.001);
    o << "DMAR-IR: Enabled IRQ remapping in x2apic mode\n";
    stamp(0.5);
    o << "iommu: Default domain type: Passthrough (set via kernel command line)\n";
    std::uint32_t dom = ~0u;
    for (const auto& f : h.functions) {
        if (f.kind == Kind::nic_vf) continue;
        if (f.domain != dom) {
            dom = f.domain;
            stamp(0.01);
            o.f("ACPI: PCI Root Bridge [PC%02x] (domain %04x [bus 00-ff])\n", dom, dom);
        }
        const Model& m = model_of(f.kind, variant_of(f));
        stamp(0.000031);
        o.f("pci %04x:%02x:%02x.%d: [%04x:%04x] type %02x class 0x%06x\n", f.domain, f.bus, f.dev,
            f.fn, m.vendor, m.device, (is_bridge(f.kind) ? 1 : 0) | (f.multifunction ? 0x80 : 0),
            m.class_code);
        if (is_bridge(f.kind)) {
            stamp(0.000012);
            if (f.secondary == f.subordinate)
                o.f("pci %04x:%02x:%02x.%d: PCI bridge to [bus %02x]\n", f.domain, f.bus, f.dev,
                    f.fn, f.secondary);
            else
                o.f("pci %04x:%02x:%02x.%d: PCI bridge to [bus %02x-%02x]\n", f.domain, f.bus,
                    f.dev, f.fn, f.secondary, f.subordinate);
        }
        if (f.kind == Kind::nvme) {
            stamp(0.000002);
            o.f("pci %04x:%02x:%02x.%d: 31.504 Gb/s available PCIe bandwidth, limited by 8.0 GT/s "
                "PCIe x4 link at %04x:%02x:%02x.0 (capable of 63.012 Gb/s with 16.0 GT/s PCIe x4 "
                "link)\n",
                f.domain, f.bus, f.dev, f.fn, f.domain, f.bus, f.dev);
        }
    }
    stamp(1.2);
    o << "DMAR: Intel(R) Virtualization Technology for Directed I/O\n";
    for (const auto& f : h.functions) {
        if (f.kind == Kind::nic_vf || f.group < 0) continue;
        stamp(0.000004);
        o.f("pci %04x:%02x:%02x.%d: Adding to iommu group %d\n", f.domain, f.bus, f.dev, f.fn,
            f.group);
    }
    int nvme = 0;
    for (const auto& f : h.functions) {
        if (f.kind != Kind::nvme) continue;
        stamp(0.0002);
        o.f("nvme nvme%d: pci function %04x:%02x:%02x.%d\n", nvme++, f.domain, f.bus, f.dev, f.fn);
    }
    // SR-IOV enabled later: VFs appear and join groups
    for (const auto& f : h.functions) {
        if (f.kind != Kind::nic_vf) continue;
        const Model& m = model_of(f.kind, 0);
        stamp(0.000210);
        o.f("pci %04x:%02x:%02x.%d: [%04x:%04x] type 00 class 0x%06x\n", f.domain, f.bus, f.dev,
            f.fn, m.vendor, m.device, m.class_code);
        if (f.group >= 0) {
            stamp(0.000011);
            o.f("pci %04x:%02x:%02x.%d: Adding to iommu group %d\n", f.domain, f.bus, f.dev, f.fn,
                f.group);
        }
    }
    // a few events of a long-running host
    int n = 0;
    for (const auto& f : h.functions) {
        if (f.kind != Kind::nvme || n >= 8) continue;
        const GenFunction* port = nullptr;
        for (const auto& g : h.functions)
            if (is_bridge(g.kind) && g.domain == f.domain && g.secondary == f.bus) port = &g;
        if (!port) continue;
        stamp(3600.5);
        o.f("pcieport %04x:%02x:%02x.%d: AER: Corrected error received: %04x:%02x:%02x.%d\n",
            port->domain, port->bus, port->dev, port->fn, f.domain, f.bus, f.dev, f.fn);
        stamp(0.000007);
        o.f("nvme %04x:%02x:%02x.%d: PCIe Bus Error: severity=Corrected, type=Physical Layer, "
            "(Receiver ID)\n",
            f.domain, f.bus, f.dev, f.fn);
        ++n;
    }
    o.flush();
    return s;
}

std::string proxmox_config(const GenHost& h, int vmid, int snapshots) {
    std::string body;
    char buf[160];
    // pass through the first GPUs (whole slot) and some VFs; at most 16 hostpci entries
    int idx = 0;
    for (const auto& f : h.functions) {
        if (idx >= 16) break;
        if (f.kind == Kind::gpu_vga) {
            std::snprintf(buf, sizeof buf, "hostpci%d: %04x:%02x:%02x,pcie=1%s\n", idx, f.domain,
                          f.bus, f.dev, idx == 0 ? ",x-vga=1" : "");
            body += buf;
            ++idx;
        } else if (f.kind == Kind::nic_vf && f.fn == 2) {
            std::snprintf(buf, sizeof buf, "hostpci%d: %04x:%02x:%02x.%d,pcie=1\n", idx, f.domain,
                          f.bus, f.dev, f.fn);
            body += buf;
            ++idx;
        }
    }
    std::string common = "agent: 1\nballoon: 0\nbios: ovmf\nboot: order=scsi0;net0\ncores: 32\n"
                         "cpu: host\n";
    std::snprintf(buf, sizeof buf,
                  "efidisk0: local-lvm:vm-%d-disk-0,efitype=4m,pre-enrolled-keys=1,size=4M\n",
                  vmid);
    common += buf;
    std::string tail = "machine: q35\nmemory: 262144\nname: gpu-worker\n"
                       "net0: virtio=BC:24:11:5E:7A:01,bridge=vmbr0,firewall=1\nnuma: 1\n"
                       "ostype: l26\n";
    std::snprintf(buf, sizeof buf, "scsi0: local-lvm:vm-%d-disk-1,iothread=1,size=200G\n", vmid);
    tail += buf;
    tail += "scsihw: virtio-scsi-single\n"
            "smbios1: uuid=6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\nsockets: 2\n";
    std::string s = "#GPU worker%0A#passthrough of the whole slot and some VFs\n";
    s += common + body + tail;
    s += "vmgenid: 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d\n";
    for (int k = 0; k < snapshots; ++k) {
        std::snprintf(buf, sizeof buf, "\n[snap%d]\n", k);
        s += buf;
        s += common + body + tail;
        std::snprintf(buf, sizeof buf, "snaptime: %d\n", 1700000000 + k * 3600);
        s += buf;
    }
    return s;
}

} // namespace il::bench
