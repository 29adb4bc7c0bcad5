// lspci text output: device records of `lspci`, `-nn`, `-k`, `-v`, `-vv`/`-vvv`, `-D`, `-PP`,
// with or without `-x`/`-xxx`/`-xxxx` hex rows, as found in saved files and pastes.
//
// scan() finds the records among the lines of a document and reads what the tool needs from
// them. It knows nothing of the host model: every value carries the index of the line it came
// from, and the adapter (model/ingest_lspci.cpp) turns records into snapshot facts.
#pragma once

#include "grammars/common/text.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::lspci {

// A value and the index (into the lines given to scan()) of the line that showed it.
template <class T> struct At {
    T value{};
    std::size_t line = 0;
};

// One "[DDDD:]BB:DD.F" component.
struct Slot {
    std::optional<std::uint32_t> domain;
    std::uint8_t bus = 0;
    std::uint8_t dev = 0;
    std::uint8_t fn = 0;
};

struct Header {
    std::vector<Slot> path; // one slot, or a -P/-PP bridge path (the device is the last one)
    bool numeric = false;   // lspci -n form "cccc: vvvv:dddd"
    std::string class_name; // "PCI bridge" (empty in -n form)
    std::optional<std::uint16_t> class_code;
    std::string names; // vendor and device names as printed, without " [vvvv:dddd]"
    std::optional<std::uint16_t> vendor_id, device_id;
    std::optional<std::uint8_t> revision, prog_if;
    std::string prog_if_name;

    // The device's address: domain of the first component, bus/dev/fn of the last.
    std::uint32_t domain() const { return path.empty() ? 0 : path.front().domain.value_or(0); }
    const Slot& device() const { return path.back(); }
};

// Parses a record header line (leading blanks allowed). nullopt when it is not one.
std::optional<Header> parse_header(std::string_view line);

// "Vendor Device [vvvv:dddd]", "Device [vvvv:dddd]", "Vendor Device dddd", "Device vvvv:dddd",
// "vvvv:dddd" (-n) or just names: the ids that the text shows.
struct Names {
    std::string names;
    std::optional<std::uint16_t> vendor_id, device_id;
};
std::optional<Names> parse_names(std::string_view text);

struct Flag {
    std::string name;
    bool on = false;
};
// Every "Name+"/"Name-" token of a line (lspci's FLAG() output).
std::vector<Flag> parse_flags(std::string_view text);
// Value of a flag in a list, if present.
std::optional<bool> find_flag(const std::vector<Flag>& flags, std::string_view name);
// Value of the first flag `name` among the tokens of text (no list built).
std::optional<bool> find_flag_in(std::string_view text, std::string_view name);

struct Capability {
    std::optional<std::uint16_t> offset; // [40], [148 v1]
    std::optional<int> version;          // v1 (extended capabilities at -vv)
    std::string_view name; // base name: "Express", "MSI", "Power Management" (a view, as text)
    std::string_view text; // as printed after the bracket (a view into the scanned line)
    std::size_t line = 0;
    bool extended() const { return offset && *offset >= 0x100; }
};

// "Express (v2) Root Port (Slot+), MSI 00"
// "Power Management version 3" -> "Power Management", "MSI: Enable+ ..." -> "MSI",
// "Express (v2) Root Port (Slot+), MSI 00" -> "Express", "Data Link Feature <?>" -> ...
std::string capability_base_name(std::string_view printed);

struct Express {
    int version = 0;          // 0: not shown (-v)
    int type = 15;            // PCI_EXP_TYPE_* (15: unknown type)
    std::optional<bool> slot; // Slot± (root/downstream ports, PCI-to-PCIe bridges)
};

// Marker lspci prints after LnkSta speed/width (3.6.0-3.7.0 always, 3.8.0+ when different).
enum class LinkMarker : std::uint8_t { none, ok, downgraded, strange, overdriven, other };

struct LinkSide {
    std::string speed_text; // "8GT/s", "unknown"
    double speed_gts = 0;   // 0: unknown
    int width = -1;
    LinkMarker speed_marker = LinkMarker::none;
    LinkMarker width_marker = LinkMarker::none;
};

struct Sriov {
    int initial = 0;
    int total = 0;
    int num = 0;
};

struct BusNumbers {
    std::uint8_t primary = 0;
    std::uint8_t secondary = 0;
    std::uint8_t subordinate = 0;
};

struct Record {
    std::size_t header_line = 0;
    int indent = 0; // leading blanks of the header (a pasted, indented dump)
    Header header;
    std::size_t end_line = 0; // one past the last line: the record is [header_line, end_line)
    std::size_t line_count() const { return end_line - header_line; }

    // What kind of output this is.
    bool flags_line = false;   // -v "Flags:" line
    bool control_line = false; // -vv "Control:" line
    bool kernel_lines = false; // "Kernel driver in use:" / "Kernel modules:" (-k or -v)
    bool verbose() const {
        return flags_line || control_line || unknown_header_type.has_value() || !caps.empty() ||
               caps_denied_line.has_value();
    }

    std::optional<At<bool>> status_cap; // -vv "Status: Cap±"
    std::optional<At<Names>> subsystem;
    std::optional<At<std::string>> physical_slot;
    std::optional<At<int>> iommu_group; // "IOMMU group: N" or "Flags: ..., IOMMU group N"
    std::optional<At<BusNumbers>> bus;
    std::optional<At<std::uint8_t>> unknown_header_type;       // "!!! Unknown header type 7f"
    std::optional<At<std::uint8_t>> invalid_class_header_type; // "!!! Invalid class ..."

    std::optional<std::size_t> caps_denied_line; // "Capabilities: <access denied>"
    std::vector<Capability> caps;
    std::optional<At<Express>> express;
    std::optional<At<bool>> flr;            // DevCap ... FLReset±
    std::optional<At<bool>> ari_forwarding; // DevCtl2 ... ARIFwd±
    std::optional<At<LinkSide>> link_cap;
    std::optional<At<LinkSide>> link_sta;
    std::optional<At<bool>> dl_active; // LnkSta DLActive±
    std::optional<std::size_t> slot_cap_line;
    std::optional<At<std::uint16_t>> acs_cap, acs_ctl; // PCI_ACS_* bits
    std::optional<At<std::vector<Flag>>> ue_sta, ue_svrt, ce_sta;
    std::optional<At<bool>> no_soft_reset; // PM Status NoSoftRst±
    std::optional<At<bool>> af_flr;        // AFCap FLR±
    std::optional<At<Sriov>> sriov;
    std::optional<At<bool>> iov_enable; // IOVCtl Enable±

    std::optional<At<std::string>> driver;
    std::optional<At<std::vector<std::string>>> modules;

    std::vector<std::size_t> hex_rows;  // lines that look like "OO: xx xx ..." rows
    std::vector<At<std::string>> notes; // odd lines worth telling the user about
};

struct Problem {
    std::size_t line = 0;
    std::string message;
};

struct Scan {
    std::vector<Record> records;
    std::vector<At<std::string>> stray; // "pcilib: ..."/"lspci: ..." lines outside records
    std::vector<Problem> problems;      // malformed lines inside records (unusable data)
};

// Finds lspci records in `lines`. usable[i] == false: line i belongs to another format and
// is neither read nor part of any record.
Scan scan(const std::vector<std::string_view>& lines, const std::vector<bool>& usable);
// The same over a document's lines (no copy of the views).
Scan scan(const std::vector<text::Line>& lines, const std::vector<bool>& usable);

// The streaming form: what scan() collects is handed over as soon as it is read, in line
// order, so a big dump's records are never all held at once.
class Sink {
public:
    virtual ~Sink() = default;
    // One record, with the problems found in its lines (sorted by line; usually none).
    virtual void record(Record&& rec, std::vector<Problem>&& problems) = 0;
    // A "pcilib: ..."/"lspci: ..." line outside any record.
    virtual void stray(At<std::string>&& line) = 0;
};
void scan(const std::vector<text::Line>& lines, const std::vector<bool>& usable, Sink& sink);

} // namespace il::grammars::lspci
