// Realistic large inputs for benchmarks and hardness tests: a server-like PCI topology
// (Skylake-SP style IIO stacks: root ports, PEX 8747 switches, multifunction GPUs, A100s,
// NVMe drives, ConnectX-5 NICs with SR-IOV virtual functions, root-complex integrated
// devices; further PCI domains when a domain's 256 bus numbers run out), written as
//   - `lspci -vvv -nn -D` text, the way pciutils 3.9 prints it from sysfs (IOMMU groups,
//     NUMA nodes, physical slots, kernel drivers), and
//   - the matching `lspci -D -xxxx` hex dump: every function's 4096 config-space bytes, from
//     which the text's capability lines are printed (so both describe the same host).
// Companion files of the same host: `lspci -tvnn`, an IOMMU group listing, a kernel log,
// a kernel command line and a Proxmox VM config.
//
// Deterministic: the same options always give the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace il::bench {

struct LspciGenOptions {
    std::size_t functions = 1000; // exact number of PCI functions (>= 1)
    bool iommu_groups = true;     // print "IOMMU group: N" (the IOMMU was on)
    bool kernel_lines = true;     // print "Kernel driver in use:" / "Kernel modules:"
};

// One PCI function of the generated host (the plan the files are printed from).
struct GenFunction {
    enum class Kind : std::uint8_t {
        host_bridge, // 00:00.0 DMI3 registers (RCiEP)
        cbdma,       // 00:08.x CBDMA, 8 functions (RCiEP, no ACS; isolated by the Intel quirk)
        rciep_misc,  // R:05.0/.2/.4 VT-d, RAS, IOxAPIC (RCiEP, no ACS, as above)
        root_port,   // R:0d.0 Root Port A..D (ACS)
        switch_up,   // PEX 8747 upstream port
        switch_down, // PEX 8747 downstream port (ACS, or none in a "cheap switch" stack)
        gpu_vga,     // TU102 function 0 (VGA), multifunction without ACS
        gpu_audio,   // TU102 function 1
        gpu_usb,     // TU102 function 2 (xHCI)
        gpu_ucsi,    // TU102 function 3 (UCSI)
        gpu_3d,      // A100 (3D controller, single function)
        nvme,        // PM9A3 NVMe
        nic_pf,      // ConnectX-5 physical function (ACS, ARI, SR-IOV)
        nic_vf,      // ConnectX-5 virtual function
    };
    std::uint32_t domain = 0;
    std::uint8_t bus = 0, dev = 0, fn = 0;
    Kind kind = Kind::nvme;
    bool multifunction = false; // header type bit 7 (function 0 of a multifunction device)
    bool acs = false;           // ACS extended capability present (and enabled)
    std::uint8_t secondary = 0, subordinate = 0; // bridges
    bool slot = false;                           // port implements a slot (Slot+)
    std::uint16_t slot_no = 0; // the slot number (ports) / physical slot (devices in it)
    bool link_up = true;       // something is attached below the port
    std::uint8_t port_no = 0;  // LnkCap Port #
    std::uint8_t numa = 0;
    int group = -1;             // IOMMU group (kernel probe order)
    std::uint16_t num_vfs = 0;  // PFs: enabled VFs
    std::uint16_t first_vf = 0; // PFs: First VF Offset (routing-id offset)
    std::uint32_t mmio = 0;     // the function's 32-bit memory BAR (0: none)
    std::uint32_t mmio_size = 0;
    std::uint32_t window = 0; // bridges: 32-bit memory window (size 0: closed)
    std::uint32_t window_size = 0;
};

struct GenHost {
    std::vector<GenFunction> functions; // sorted by address, VFs included
    std::size_t domains = 0;
    std::size_t groups = 0;
};

// Plans the host: exactly `functions` PCI functions.
GenHost plan_host(const LspciGenOptions& opt);

// Streaming writers (for 100k-function hosts the hex dump is over a gigabyte): `out` is
// called with consecutive pieces of the file.
using Sink = std::function<void(std::string_view)>;
void write_lspci_text(const GenHost& h, const LspciGenOptions& opt, const Sink& out);
void write_lspci_hex(const GenHost& h, const Sink& out);

// Whole files in memory.
std::string lspci_text(const GenHost& h, const LspciGenOptions& opt);
std::string lspci_hex(const GenHost& h);
std::string lspci_tree(const GenHost& h);    // lspci -tvnn
std::string iommu_listing(const GenHost& h); // "IOMMU Group N:" + "\t" lspci -nn lines
std::string kernel_log(const GenHost& h);    // dmesg: enumeration, DMAR, group adds
std::string kernel_cmdline();                // /proc/cmdline
// A Proxmox VM config passing through GPUs and VFs, with `snapshots` [snapN] sections.
std::string proxmox_config(const GenHost& h, int vmid, int snapshots = 0);

// The pci.ids entries (vendors, devices, subsystems, classes) every generated name comes
// from: `lspci -i <this file> -F <hex>` prints the generated names on any machine.
std::string pci_ids();

// The 4096 config-space bytes of one function (what the hex dump shows).
std::vector<std::uint8_t> config_space(const GenHost& h, std::size_t index);

} // namespace il::bench
