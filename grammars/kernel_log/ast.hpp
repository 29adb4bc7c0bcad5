// AST of kernel log lines (dmesg in its many timestamp styles, journalctl -k, syslog
// kern.log, raw /dev/kmsg records) and of the kernel messages iommu-lint understands.
// Plain structs only: the grammar fills them, model/ingest_kernel_log.cpp reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace il::grammars::kernel_log::ast {

// How a line was recognised as a kernel log line.
enum class Style : std::uint8_t {
    dmesg,          // "[    1.234567] msg" (padding may be collapsed; -d deltas; caller ids)
    dmesg_ctime,    // dmesg -T: "[Sat Nov 21 12:00:00 2026] msg"
    dmesg_human,    // dmesg -H: "[Nov21 12:00] msg", "[  +0.000123] msg"
    dmesg_iso,      // dmesg --time-format=iso: "2026-11-21T12:00:00,123456+01:00 msg"
    printk,         // level only, no time: "<4>msg", dmesg -x -t "kern  :warn  : msg"
    bare,           // dmesg -t: no prefix at all, recognised by the message shape
    journal,        // journalctl -k: "Nov 21 12:00:00 host kernel: msg" (also other tags)
    syslog,         // kern.log: "Jan  1 23:30:53 host kernel: [   46.675818] msg"
    journal_marker, // "-- Boot 0123abcd... --", "-- Logs begin at ... --"
    kmsg,           // /dev/kmsg record: "6,339,5140900,-;msg"
    kmsg_field,     // " SUBSYSTEM=pci" dictionary line that follows a kmsg record
};

// What the line prefix said. Filled by the grammar through attribute propagation, so
// "not printed" is a sentinel here; the public API turns these into std::optional.
struct Prefix {
    int level = -1; // printk level 0..7 (kmsg: the whole priority), -1 = not printed
    Style style = Style::bare;
    double seconds = -1; // since boot (kmsg: microseconds), < 0 = not printed
    bool kernel = true;  // false for journal/syslog lines of other programs
};

// "0000:00:1c.0" or "00:1c.0" (domain 0 when not printed)
struct PciAddr {
    unsigned domain = 0;
    unsigned bus = 0;
    unsigned dev = 0;
    unsigned fn = 0;
};

// dev_printk prefix of a message: "pcieport 0000:00:1c.0: ", "nvme nvme0: ".
struct DevicePrefix {
    std::string driver; // "pcieport", "nvme", "vfio-pci"
    bool has_addr = false;
    PciAddr addr;     // valid when has_addr
    std::string name; // "nvme0", "ivhd0", or a network interface after the address
};

// ---- message bodies (the text after the device prefix) ----

struct Unknown {};
struct LinuxVersion {
    std::string version; // "6.1.0-18-amd64"
};
struct CommandLine {
    std::string text; // everything after "Command line:" / "Kernel command line:"
};
struct GroupAdd { // "Adding to iommu group N", old "iommu: Adding device X to group N"
    unsigned group = 0;
    std::optional<PciAddr> device; // old form names the device in the message
};
struct GroupRemove {
    unsigned group = 0;
    std::optional<PciAddr> device;
};
struct PciEnum { // "[8086:a338] type 01 class 0x060400 PCIe Root Port"
    unsigned vendor = 0;
    unsigned device = 0;
    unsigned type = 0; // header type byte as printed (bit 7 = multi-function)
    unsigned cls = 0;  // class << 8 | prog-if (24 bits)
    std::string kind;  // "PCIe Root Port", "conventional PCI endpoint", "" (older kernels)
};
struct BridgeBuses { // "PCI bridge to [bus 01-02]" / "[bus 2b]"
    unsigned secondary = 0;
    unsigned subordinate = 0;
};

// Fixed IOMMU / ACS messages.
enum class IommuNote : std::uint8_t {
    intel_requested,     // "DMAR: IOMMU enabled" (intel_iommu=on parsed; init may still fail)
    intel_forced,        // "DMAR: Intel-IOMMU force enabled due to platform opt in"
    intel_off,           // "DMAR: IOMMU disabled" (intel_iommu=off)
    intel_gfx_off,       // "DMAR: Disable GFX device mapping" (intel_iommu=igfx_off)
    intel_table,         // "DMAR: Host address width", "DMAR: DRHD base:", "ACPI: DMAR ..."
    intel_table_failure, // "DMAR: Parse DMAR table failure."
    intel_ir_on,         // "DMAR-IR: Enabled IRQ remapping in x2apic/xapic mode"
    intel_ir_left_on,  // "DMAR-IR: IRQ remapping was enabled on dmarN but we are not in kdump mode"
    x2apic_without_ir, // "x2apic: IRQ remapping doesn't support X2APIC mode"
    intel_active,      // "DMAR: Intel(R) Virtualization Technology for Directed I/O"
    intel_firmware_bug, // "DMAR: [Firmware Bug]: ..."
    amd_table,          // "ACPI: IVRS ..."
    amd_found,          // "AMD-Vi: Found IOMMU at/cap ..."
    amd_ir_on,          // "AMD-Vi: Interrupt remapping enabled"
    amd_v2_loaded,      // "AMD-Vi: AMD IOMMUv2 loaded and initialized"
    amd_perf,           // "perf/amd_iommu: Detected AMD IOMMU", "AMD-Vi: IOMMU performance counters
                        // supported"
    amd_active,     // "AMD-Vi: Lazy IO/TLB flushing enabled", "AMD-Vi: Initialized for Passthrough
                    // Mode"
    swiotlb,        // "PCI-DMA: Using software bounce buffering for IO (SWIOTLB)"
    acs_override,   // "Warning: PCIe ACS overrides enabled; ..."
    pch_acs_ok,     // "Intel [SPT ]PCH root port ACS workaround enabled"
    pch_acs_failed, // "Failed to enable Intel PCH ACS quirk"
};
struct IommuLine {
    IommuNote note = IommuNote::intel_table;
};
struct DefaultDomain { // "iommu: Default domain type: Translated"
    std::string type;
};

enum class AerSeverity : std::uint8_t { corrected, nonfatal, fatal };
struct AerReceived { // "AER: Corrected error received: 0000:00:1c.0"
    AerSeverity severity = AerSeverity::corrected;
    bool multiple = false;
    std::optional<PciAddr> source;        // the device that reported the error
    std::optional<unsigned> requester_id; // old kernels: "received: id=00e0"
};
struct AerStatus { // "PCIe Bus Error: severity=Corrected, type=Physical Layer, (Receiver ID)"
    AerSeverity severity = AerSeverity::corrected;
    std::string type;
};
struct AerDetail {}; // "device [8086:a110] error status/mask=...", "[ 0] RxErr", "TLP Header: ..."
struct DpcEvent {};  // "DPC: containment event, status:... source:..."
struct NvmeTimeout { // "I/O 123 QID 4 timeout, aborting" / "..., reset controller"
    bool reset = false;
};
struct NvmeReset {};     // "controller is down; will reset", "Removing after probe failure", ...
struct NvmePciFunction { // "nvme nvme0: pci function 0000:01:00.0"
    PciAddr addr;
};
struct DmarFaultStatus {}; // "DMAR: DRHD: handling fault status reg 2"
struct DmarFault {         // "DMAR: [DMA Read NO_PASID] Request device [02:00.0] fault addr ..."
    std::string type;      // "DMA Read NO_PASID", "INTR-REMAP"
    PciAddr device;        // printed without a domain
};
struct AmdEvent { // "AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000c address=... flags=...]"
    std::string type;
    std::optional<PciAddr> device; // "device=01:00.0" on older kernels
};
struct VfioLine { // "vfio_pci: add [10de:1b80[ffffffff:ffffffff]] ...", "vfio-pci: probe of X
                  // failed"
    std::optional<PciAddr> device;
};
struct NotReady { // "not ready 65535ms after FLR; giving up"
    unsigned ms = 0;
    std::string after; // "FLR", "resume", "bus reset"
    bool giving_up = false;
};
struct PowerStateFail {}; // "Unable to change power state from D3cold to D0, device inaccessible"
struct PendingTransaction {
}; // "timed out waiting for pending transaction; performing function level reset anyway"
struct LinkDown {}; // "pciehp: Slot(1): Link Down"
struct KmsgDevice { // kmsg dictionary line "DEVICE=+pci:0000:0a:00.0"
    PciAddr addr;
};
struct SubsystemLine {}; // a known subsystem tag ("DMAR:", "AMD-Vi:", "PCI:") without a fact

using Body =
    std::variant<Unknown, LinuxVersion, CommandLine, GroupAdd, GroupRemove, PciEnum, BridgeBuses,
                 IommuLine, DefaultDomain, AerReceived, AerStatus, AerDetail, DpcEvent, NvmeTimeout,
                 NvmeReset, NvmePciFunction, DmarFaultStatus, DmarFault, AmdEvent, VfioLine,
                 NotReady, PowerStateFail, PendingTransaction, LinkDown, KmsgDevice, SubsystemLine>;

} // namespace il::grammars::kernel_log::ast
