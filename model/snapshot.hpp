// The host snapshot: everything iommu-lint knows about one host, each fact with the
// input file and line it came from. Produced by model/ingest, consumed by sim/, linter/
// and report/. A fact whose value is empty is *unknown* (never the same as "no").
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace il::model {

// Where a fact came from: index into Host::files and a 1-based line (0 = no line).
struct Source {
    std::uint32_t file = 0;
    std::uint32_t line = 0;
    bool operator==(const Source&) const = default;
};

// A value that may be unknown, with its source.
template <class T> struct Fact {
    std::optional<T> value;
    Source src;

    bool known() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; } // only when known()
    // true only when known and equal to v
    bool is(const T& v) const { return value && *value == v; }
    void set(T v, Source s) {
        value = std::move(v);
        src = s;
    }
};

// PCI address. Domain is 32-bit because VMD domains (10000) exceed 16 bits.
struct Bdf {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    std::uint8_t dev = 0;                         // 0..31
    std::uint8_t fn = 0;                          // 0..7
    auto operator<=>(const Bdf&) const = default; // NOLINT(modernize-use-nullptr): tidy 14 bug
    std::uint8_t devfn() const { return static_cast<std::uint8_t>((dev << 3) | fn); }
    // "dddd:bb:dd.f", lower-case hex
    std::string str() const;
    // Accepts "bb:dd.f", "dddd:bb:dd.f" (domain 4-6 hex digits), case-insensitive.
    static std::optional<Bdf> parse(std::string_view s);
};

// PCIe capability "Device/Port Type" (PCI_EXP_TYPE_*), raw as the hardware reports it.
enum class PortType : std::uint8_t {
    endpoint = 0,
    legacy_endpoint = 1,
    root_port = 4,
    upstream_port = 5,
    downstream_port = 6,
    pcie_to_pci_bridge = 7,
    pci_to_pcie_bridge = 8,
    rc_integrated_endpoint = 9,
    rc_event_collector = 10,
    other = 15,
};
std::string_view to_string(PortType t);
std::optional<PortType> port_type_from_string(std::string_view s);
// The Device/Port Type field of the PCIe capability (a code without a name: other).
PortType port_type_from_code(unsigned code);

// ACS bits (ACSCap/ACSCtl), PCI_ACS_*.
namespace acs {
inline constexpr std::uint16_t SV = 0x01, TB = 0x02, RR = 0x04, CR = 0x08, UF = 0x10, EC = 0x20,
                               DT = 0x40;
} // namespace acs

struct AcsInfo {
    std::uint16_t cap = 0;
    std::uint16_t ctl = 0;
    bool ctl_known = true;                // false: capability header seen but -v (no ACSCtl line)
    std::optional<std::uint32_t> spt_ctl; // Intel SPT-style dword at ACS+8 (hex dumps only)
    std::optional<std::uint16_t> offset;  // extended capability offset
    Source src;
};

struct LinkInfo {
    double cap_speed_gts = 0; // 0 = unknown
    double sta_speed_gts = 0;
    int cap_width = -1; // -1 = unknown
    int sta_width = -1;
    std::optional<bool> dl_active;  // LnkSta DLActive±
    bool marked_downgraded = false; // lspci printed "(downgraded)"
    Source src;
};

struct AerInfo {
    std::vector<std::string> uncorrectable;       // names with '+' in UESta
    std::vector<std::string> correctable;         // names with '+' in CESta
    std::vector<std::string> uncorrectable_fatal; // those of UESta+ also marked in UESvrt
    Source src;
};

struct SriovInfo {
    int total_vfs = 0;
    int num_vfs = 0;
    bool enabled = false;
    Source src;
};

struct BusRange {
    std::uint8_t primary = 0;
    std::uint8_t secondary = 0;
    std::uint8_t subordinate = 0;
    bool operator==(const BusRange&) const = default;
};

// Which kinds of input mentioned a device (bit set).
enum Origin : std::uint32_t {
    origin_lspci_verbose = 1u << 0, // lspci -v/-vv/-vvv record
    origin_lspci_terse = 1u << 1,   // lspci / -nn / -k one-line record
    origin_hex = 1u << 2,           // lspci -x... hex dump
    origin_tree = 1u << 3,          // lspci -t
    origin_listing = 1u << 4,       // IOMMU group listing
    origin_log = 1u << 5,           // kernel log line
    origin_snapshot = 1u << 6,      // iommu-lint snapshot JSON
};

struct Device {
    Bdf bdf;
    Source src; // first line that introduced the device
    std::uint32_t origins = 0;

    Fact<std::uint16_t> vendor_id, device_id, subsys_vendor_id, subsys_device_id;
    Fact<std::uint16_t> class_code; // base class << 8 | subclass, e.g. 0x0604
    Fact<std::uint8_t> prog_if, revision;
    std::string class_name;  // "PCI bridge"
    std::string description; // vendor + device names as printed
    Fact<std::string> physical_slot;

    Fact<std::uint8_t> header_type; // bits 6:0 of config byte 0x0e
    Fact<bool> multifunction_bit;   // bit 7 of byte 0x0e: only a hex dump tells
    Fact<BusRange> buses;           // bridges only
    int config_bytes = 0;           // bytes of config space in a hex dump (0 = none)

    // Capabilities. caps_readable: false when lspci printed "<access denied>".
    Fact<bool> caps_readable;
    std::vector<std::string> capabilities; // capability names in list order
    Fact<bool> is_pcie;
    Fact<PortType> port_type;
    Fact<bool> slot_implemented;
    Fact<bool> has_acs; // ACS extended capability present
    Fact<AcsInfo> acs;
    Fact<bool> flr;            // DevCap FLReset+
    Fact<bool> af_flr;         // PCI Advanced Features FLR+
    Fact<bool> no_soft_reset;  // PM Status NoSoftRst+
    Fact<bool> ari_forwarding; // DevCtl2 ARIFwd+
    Fact<LinkInfo> link;
    Fact<AerInfo> aer;
    Fact<SriovInfo> sriov;
    Fact<bool> is_virtual_function;

    Fact<int> observed_group; // "IOMMU group: N", listings, dmesg
    // kernel log: Intel PCH root-port ACS quirk applied (true, "... ACS workaround enabled")
    // or failed (false, "Failed to enable Intel PCH ACS quirk")
    Fact<bool> pch_acs_quirk;
    Fact<std::string> driver; // Kernel driver in use
    std::vector<std::string> modules;

    // The class code, or the one the printed class name stands for (lspci without -n
    // prints only the name, e.g. "Non-Volatile memory controller" for 0x0108).
    std::optional<std::uint16_t> effective_class() const;
    bool is_bridge() const { return header_type.is(1) || effective_class() == 0x0604; }
};

// One kernel-log event worth linting.
struct LogEvent {
    enum class Kind : std::uint8_t {
        aer_corrected,
        aer_uncorrected_nonfatal,
        aer_uncorrected_fatal,
        dpc,
        nvme_timeout,
        nvme_reset,
        dmar_fault,
        io_page_fault,
        vfio,
        reset_failure,
        link_down,
        other,
    };
    Kind kind = Kind::other;
    std::optional<Bdf> bdf;
    std::optional<double> time; // seconds since boot, when printed
    std::string text;           // the message part of the line
    Source src;
};
std::string_view to_string(LogEvent::Kind k);

// What the logs and the command line say about the IOMMU.
struct IommuState {
    Fact<std::string> vendor;             // "intel" (DMAR/VT-d) or "amd" (AMD-Vi)
    Fact<bool> hardware_present;          // DMAR/IVRS table found
    Fact<bool> enabled;                   // translation on
    Fact<bool> interrupt_remapping;       // IR enabled
    Fact<bool> acs_override_active;       // "PCIe ACS overrides enabled"
    Fact<bool> pch_acs_workaround;        // "Intel PCH root port ACS workaround enabled"
    Fact<bool> pch_acs_workaround_failed; // "Failed to enable Intel PCH ACS quirk"
    Fact<bool> groups_seen;               // any "Adding to iommu group"
    Fact<std::string> default_domain;     // "Translated"/"Passthrough" (iommu: Default domain type)
};

struct KernelParam {
    std::string key;
    std::optional<std::string> value;
    Source src;
};

// Proxmox VM configuration (/etc/pve/qemu-server/N.conf).
struct HostPci {
    int index = 0;              // N in hostpciN
    std::string raw;            // whole value as written
    std::string host;           // host= part (first positional or host=)
    std::optional<Bdf> bdf;     // when the host part names one function (the first one)
    std::vector<Bdf> bdfs;      // every function named ("a;b" lists, or the slot's functions)
    bool all_functions = false; // "01:00" (no function): every function of the slot
    std::optional<std::string> mapping; // mapping=NAME
    bool pcie = false;
    bool x_vga = false;
    std::optional<bool> rombar;
    Source src;
};
struct VmConfig {
    std::string name; // file name or vmid
    std::vector<HostPci> hostpci;
    Fact<std::string> machine;
    Fact<std::string> bios;
    Source src;
};

struct Diagnostic {
    enum class Level : std::uint8_t { note, warning, error };
    Level level = Level::note;
    Source src;
    std::string message;
};

struct RootBus {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    auto operator<=>(const RootBus&) const = default;
};

struct Host {
    std::string name;
    std::vector<std::string> files; // index = Source::file; files[0] is "" (no file)

    std::vector<Device> devices;          // sorted by bdf after ingest
    std::vector<RootBus> tree_root_buses; // roots printed by lspci -t
    Fact<std::string> cmdline;
    std::vector<KernelParam> params; // parsed from cmdline (or grub line)
    Fact<std::string> kernel_version;
    IommuState iommu;
    std::vector<LogEvent> events;
    std::vector<VmConfig> vms;
    std::vector<Diagnostic> diagnostics;   // conflicts, gaps, notes from ingest
    std::vector<std::string> formats_seen; // e.g. "lspci-vv", "dmesg"

    // helpers
    std::string where(Source s) const; // "file:line"
    Device* find(const Bdf& b);
    const Device* find(const Bdf& b) const;
    // Adds the device if absent. The reference is valid until the next get_or_add.
    Device& get_or_add(const Bdf& b, Source s);
    void sort_devices(); // by bdf; also rebuilds the index
    void reindex();      // after editing `devices` directly
    // Room for `more` devices beyond those present (the list and its index grow once).
    void reserve_more(std::size_t more);
    std::uint32_t add_file(std::string path);
    // the last value of a kernel parameter, if present
    const KernelParam* param(std::string_view key) const;

private:
    static std::uint64_t key(const Bdf& b) {
        return (std::uint64_t{b.domain} << 16) | (std::uint64_t{b.bus} << 8) | b.devfn();
    }
    std::unordered_map<std::uint64_t, std::size_t> index_;
};

struct Snapshot {
    static constexpr int format_version = 1;
    std::vector<Host> hosts;
};

} // namespace il::model
