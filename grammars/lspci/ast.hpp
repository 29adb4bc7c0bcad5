// Attribute structs of the lspci line grammar (plain data, filled by X3).
// The public, std::-typed result of a whole document is in grammars/lspci/lspci.hpp.
#pragma once

#include <boost/optional.hpp>
#include <boost/range/iterator_range.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::lspci::ast {

// "[DDDD:]BB:DD.F" — one component of a slot or of a -P/-PP bridge path.
struct SlotAddr {
    boost::optional<std::uint32_t> domain;
    std::uint8_t bus = 0;
    std::uint8_t dev = 0;
    std::uint8_t fn = 0;
};

// "vvvv:dddd"
struct IdPair {
    std::uint16_t vendor = 0;
    std::uint16_t device = 0;
};

// "(prog-if 01 [AHCI 1.0])"
struct ProgIf {
    std::uint8_t value = 0;
    boost::optional<std::string> name;
};

// What may follow the vendor/device names: " [vvvv:dddd]", " (rev RR)", " (prog-if ...)".
struct Tail {
    boost::optional<IdPair> ids;
    boost::optional<std::uint8_t> rev;
    boost::optional<ProgIf> prog_if;
};

// "Intel Corporation Device [8086:a348]" (subsystem lines, header name part)
struct NamesTail {
    std::string names;
    Tail tail;
};

// "00:1f.3 Audio device [0403]: Intel Corporation Cannon Lake PCH cAVS [8086:a348] (rev 10)"
struct NamedHeader {
    std::vector<SlotAddr> path;
    std::string class_name;
    boost::optional<std::uint16_t> class_code;
    NamesTail rest;
};

// lspci -n: "00:1f.3 0403: 8086:a348 (rev 10)"
struct NumericHeader {
    std::vector<SlotAddr> path;
    std::uint16_t class_code = 0;
    IdPair ids;
    boost::optional<std::uint8_t> rev;
    boost::optional<ProgIf> prog_if;
};

// "Capabilities: [148 v1] Access Control Services"
struct CapHeader {
    std::uint16_t offset = 0;
    boost::optional<unsigned> version;
    boost::iterator_range<std::string_view::const_iterator> name; // a view into the line
};

// "Express (v2) Root Port (Slot+), MSI 00"
struct ExpressCap {
    boost::optional<unsigned> version;
    int type = 0; // PCI_EXP_TYPE_* value, 15 for "Unknown type N"
    boost::optional<char> slot;
};

// "Port #1, Speed 8GT/s, Width x4, ASPM L1, ..."
struct LinkCapLine {
    unsigned port = 0;
    std::string speed;
    unsigned width = 0;
};

// "Speed 2.5GT/s (downgraded), Width x0 (downgraded)"
struct LinkStaLine {
    std::string speed;
    boost::optional<std::string> speed_marker;
    unsigned width = 0;
    boost::optional<std::string> width_marker;
};

// "Bus: primary=00, secondary=01, subordinate=01, sec-latency=0"
struct BusLine {
    std::uint8_t primary = 0;
    std::uint8_t secondary = 0;
    std::uint8_t subordinate = 0;
};

// "Initial VFs: 8, Total VFs: 8, Number of VFs: 0, ..."
struct VfLine {
    unsigned initial = 0;
    unsigned total = 0;
    unsigned num = 0;
};

// "!!! Invalid class 0604 for header type 00"
struct InvalidClass {
    std::uint16_t class_code = 0;
    std::uint8_t header_type = 0;
};

// "FLReset+" -> {"FLReset", '+'}
// A flag token as a view of the parsed text (no copy: lines carry dozens of flags).
struct FlagToken {
    boost::iterator_range<std::string_view::const_iterator> name;
    char sign = '-';
};

} // namespace il::grammars::lspci::ast
