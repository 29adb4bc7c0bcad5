// AST of the IOMMU group listing grammar (one line at a time). Plain structs only.
#pragma once

#include <boost/optional.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace il::grammars::groups::ast {

// PCI address as printed: [domain:]bus:dev.fn (numbers unchecked: dev may exceed 0x1f).
struct Slot {
    boost::optional<std::uint32_t> domain;
    unsigned bus = 0;
    unsigned dev = 0;
    unsigned fn = 0;
};

// "[vvvv:dddd]"
struct Ids {
    std::uint16_t vendor = 0;
    std::uint16_t device = 0;
};

// "PCI bridge [0604]:" (the code only with -nn)
struct ClassPart {
    std::string name;
    boost::optional<std::uint16_t> code;
};

// The lspci text after the address: "<Class> [cccc]: <names> [vvvv:dddd] (rev rr)".
struct Info {
    boost::optional<ClassPart> cls;
    std::string description;
    boost::optional<Ids> ids;
    boost::optional<unsigned> revision;
};

// A device line: optional "[RESET]" marker, an address or a -PP bridge path, lspci text.
struct Member {
    bool reset = false;
    std::vector<Slot> path; // last component = the device
    boost::optional<Info> info;
};

// A line that carries its group number and a device.
struct GroupMember {
    unsigned group = 0;
    Member member;
};

// A line that carries its group number and a bare address.
struct GroupSlot {
    unsigned group = 0;
    Slot slot;
};

// r15ch13 script columns: "[vvvv:dddd] [R] BB:DD.F  <class>  <name>".
struct R15Body {
    Ids ids;
    bool reset = false;
    Slot slot;
    std::string class_name;
    std::string name;
};

struct R15First {
    unsigned group = 0;
    R15Body body;
};

} // namespace il::grammars::groups::ast
