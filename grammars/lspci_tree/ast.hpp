// AST of one `lspci -t` line (ls-tree.c). A line is a chain read left to right:
//   <prefix of ' ' and '|'> ['-' [root]] {connector node} [  name-or-ids]
// e.g. "-[0000:00]-+-01.0-[01]----00.0  NVIDIA ..." or "|            \-00.1".
#pragma once

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace il::grammars::lspci_tree::ast {

namespace x3 = boost::spirit::x3;

// "[dddd:bb]-" (domain %04x, so 4 or more digits) or "[bb]-" (pciutils 2.x: no domain).
struct Root {
    boost::optional<std::uint32_t> domain;
    std::uint8_t bus = 0;
    std::size_t width = 0; // characters matched (set by the grammar, not an attribute)
};

// "[ss]" or "[ss-ee]" after a bridge.
struct Range {
    std::uint8_t secondary = 0;
    boost::optional<std::uint8_t> subordinate; // absent: same as secondary
};

// "dd.f-[ss-ee]--", "dd.f-[ss]--" or "dd.f--" (pciutils 3.8+: secondary bus 0, no range).
struct Bridge {
    std::uint8_t dev = 0;
    std::uint8_t fn = 0;
    boost::optional<Range> range;
};

// "dd.f": a device that is not a bridge (its name or ids may follow at the end of the line).
struct Leaf {
    std::uint8_t dev = 0;
    std::uint8_t fn = 0;
};

struct Node : x3::variant<Root, Bridge, Leaf> {
    using base_type::base_type;
    using base_type::operator=;
};

// A connector ("--" one child, "+-" list item, "\-" last list item) and what follows it.
struct Step {
    char connector = '-'; // '-', '+' or '\\'
    Node node;
    std::size_t width = 0; // characters matched (set by the grammar, not an attribute)
};

struct Line {
    std::string prefix;         // the leading run of ' ' and '|'
    bool lead = false;          // the domain's leading '-' (first line of a tree)
    boost::optional<Root> root; // a root bus printed right after the lead
    std::vector<Step> steps;
    std::string tail; // "-tv" name, "-tvn" ids, "-tvnn" name [ids]; "" if none
};

// Vendor and device ids found at the end of a tail.
struct Ids {
    std::uint16_t vendor = 0;
    std::uint16_t device = 0;
};

} // namespace il::grammars::lspci_tree::ast
