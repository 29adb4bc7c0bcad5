// IOMMU group listings: the formats the usual scripts print, one line at a time.
//
//   IOMMU Group 1:                         "IOMMU Group N:" / "IOMMU group N" / "IOMMU GROUP N"
//   \t00:01.0 PCI bridge [0604]: ...       header, then indented lspci -nn lines ([RESET] prefix,
//   [RESET]\t01:00.0 ...                   NBSP indentation, -PP paths 0000:00:1c.3/08:00.0)
//    (1) 00:01.1 PCI bridge [0604]: ...    "(N) BDF" members under "IOMMU GROUP N"
//   IOMMU Group 6 00:04.0 System ...       one line per device
//   ### Group 17 ###                       lsgroup.sh (random group order, no ids)
//   Group 10:\t[1022:790b]     00:14.0  SMBus   FCH SMBus Controller     r15ch13 columns,
//   \t\t[1022:790e]     00:14.3  ISA bridge  FCH LPC Bridge                continuation lines,
//   USB:\t\t[1d6b:0002] ...                "USB:" lines (not PCI devices)
//   IOMMU: dmar0 / "  IOMMU Group: 50" / "    Group Device: 0000:97:00.4 - ..."  (per DMAR unit)
//   /sys/kernel/iommu_groups/7/devices/0000:00:1f.2        (find / ls output)
//   7 0000:00:1f.2                         two columns (only as a whole run of such lines)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::groups {

// A device as the listing prints it. Every field but bdf may be absent.
struct Device {
    std::string bdf;               // "0000:00:1c.3" or "00:1c.3" (the device; last -PP component)
    std::vector<std::string> path; // every component of a -PP bridge path (empty without one)
    bool reset_marker = false;     // "[RESET]" / "[R]"
    std::string class_name;        // "PCI bridge"
    std::optional<std::uint16_t> class_code; // 0x0604
    std::string description;                 // vendor and device names as printed
    std::optional<std::uint16_t> vendor_id, device_id;
    std::optional<std::uint8_t> revision;
    bool has_text = false; // anything after the address was printed
};

enum class Kind : std::uint8_t {
    group_header, // starts a block of members: "IOMMU Group N:", "### Group N ###", ls dir header
    dmar_unit,    // "IOMMU: dmar0" (starts a unit block)
    dmar_group,   // "  IOMMU Group: N" inside a unit block
    member,       // a device of the current block ("(N) ..." carries its own group too)
    device_line,  // a device with its group on the same line (one-line formats, sysfs paths)
    r15_first,    // "Group N:\t[v:d] ..." (device + group; later r15_more lines continue it)
    r15_more,     // "\t\t[v:d] ..." continuation of an r15 group
    usb,          // "USB: ..." line of the r15 format: not a PCI device
};

enum class Style : std::uint8_t {
    iommu_header, // "IOMMU Group N:" family
    lsgroup,      // "### Group N ###"
    sysfs_dir,    // "/sys/kernel/iommu_groups/N/devices:" + entries
    dmar,         // per-unit tree
    plain,        // indented lspci line / [RESET] line
    numbered,     // " (N) BDF ..."
    one_line,     // "IOMMU Group N BDF ..."
    sysfs_path,   // "/sys/kernel/iommu_groups/N/devices/BDF"
    ls_entry,     // "lrwxrwxrwx ... BDF -> ..."
    r15,          // r15ch13 columns
};

struct Line {
    Kind kind = Kind::member;
    Style style = Style::plain;
    std::optional<int> group; // printed on this line
    std::optional<Device> device;
};

// Classifies one normalised line (no trailing blanks). nullopt: not a listing line.
// A "member" line is any line that starts (after blanks / "[RESET]") with a PCI address
// followed by lspci text or nothing: only the caller's context (an open group block) makes
// it a listing line.
std::optional<Line> parse_line(std::string_view text);

// The first non-blank characters of the lines parse_line accepts, in two sets: lines that
// may open a listing or stand alone (headings, sysfs paths, ls -l entries, "USB:", "(N) ...")
// and lines that only an open block makes listing lines (an address or "[RESET]").
// (Inline: the ingest dispatcher asks this of every line of every document.)
inline bool may_open_listing(char first) {
    // "IOMMU Group", "iommu group", "Group N", "group N", "### Group", sysfs paths, ls -l
    // entries ("lrwx...", "-rw..."), "USB:", "(N) ..."
    switch (first) {
    case 'I':
    case 'i':
    case 'G':
    case 'g':
    case 'l':
    case '-':
    case '/':
    case '#':
    case 'U':
    case '(':
        return true;
    default:
        return false;
    }
}
inline bool needs_open_block(char first) {
    return first == '[' || (first >= '0' && first <= '9') || (first >= 'a' && first <= 'f') ||
           (first >= 'A' && first <= 'F');
}

// "<group> <address>" (e.g. "7 0000:00:1f.2"); nullopt for anything else.
std::optional<std::pair<int, std::string>> parse_two_column(std::string_view text);

// "0000:00:14.0  0000:00:14.2": addresses separated by blanks (ls output in columns);
// empty for anything else.
std::vector<std::string> parse_address_list(std::string_view text);

// True when the text is only the end of a wrapped lspci line: "[vvvv:dddd]" and/or
// "(rev xx)" (mail clients wrap long listing lines before the ids).
bool is_ids_tail(std::string_view text);

} // namespace il::grammars::groups
