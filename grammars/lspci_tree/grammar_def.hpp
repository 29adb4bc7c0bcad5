#pragma once

#include "grammars/lspci_tree/ast.hpp"
#include "grammars/lspci_tree/ast_adapted.hpp"
#include "grammars/lspci_tree/grammar.hpp"

namespace il::grammars::lspci_tree {
namespace parser {

// Every number in a tree is printed with a fixed width: bus/device "%02x", function "%x",
// domain "%04x" (5 digits for VMD domains like 10000), ids "%04x".
x3::uint_parser<std::uint8_t, 16, 2, 2> const hex2 = {};
x3::uint_parser<std::uint8_t, 16, 1, 1> const hex1 = {};
x3::uint_parser<std::uint32_t, 16, 4, 8> const domain_digits = {};
x3::uint_parser<std::uint16_t, 16, 4, 4> const hex4 = {};

// Rules that remember how many characters they matched: the adapter needs the column of
// every connector to find which earlier line a "+-" / "\-" continues.
struct root_class {
    template <class It, class Attr, class Ctx>
    void on_success(It const& first, It const& last, Attr& attr, Ctx const&) const {
        attr.width = static_cast<std::size_t>(last - first);
    }
};
struct step_class {
    template <class It, class Attr, class Ctx>
    void on_success(It const& first, It const& last, Attr& attr, Ctx const&) const {
        attr.width = static_cast<std::size_t>(last - first);
    }
};

x3::rule<root_class, ast::Root> const root = "root bus [dddd:bb]";
x3::rule<struct range_class, ast::Range> const range = "bus range [ss-ee]";
x3::rule<struct bridge_class, ast::Bridge> const bridge = "bridge dd.f-[ss-ee]-";
x3::rule<struct leaf_class, ast::Leaf> const leaf = "device dd.f";
x3::rule<struct node_class, ast::Node> const node = "device or root bus";
x3::rule<struct connector_class, char> const connector = "branch (--, +- or \\-)";
x3::rule<step_class, ast::Step> const step = "tree branch";
x3::rule<struct prefix_class, std::string> const prefix = "branch prefix";
x3::rule<struct tail_class, std::string> const tail = "device name";
x3::rule<struct bare_ids_class, ast::Ids> const bare_ids = "vvvv:dddd";
x3::rule<struct bracket_ids_class, ast::Ids> const bracket_ids = "[vvvv:dddd]";
line_type const line = "lspci -t line";
ids_type const ids = "vendor and device ids";
bases_type const bases = "lspci -tvv address line";

auto const root_def = '[' >> -(domain_digits >> ':') >> hex2 >> ']' >> '-';
auto const range_def = '[' >> hex2 >> -('-' >> hex2) >> ']';
// After the range (or after just "-" when the secondary bus is 0) comes the '-' that
// ls-tree.c prints before the bridge's own bus.
auto const bridge_def = hex2 >> '.' >> hex1 >> '-' >> -(range >> '-') >> '-';
auto const leaf_def = hex2 >> '.' >> hex1;
auto const node_def = root | bridge | leaf;
auto const connector_def = x3::char_("-+\\") >> '-';
auto const step_def = connector >> node;
auto const prefix_def = *x3::char_(" |");
// Blanks as a character set: x3's blank classifier asserts on bytes >= 0x80 (UTF-8 text).
auto const tail_def = x3::omit[+x3::char_(" \t")] >> +x3::char_;
auto const line_def = prefix >> x3::matches['-'] >> -root >> *step >> -tail;

auto const bare_ids_def = hex4 >> ':' >> hex4 >> x3::eoi;
auto const bracket_ids_def =
    x3::omit[*(x3::char_ - ('[' >> hex4 >> ':' >> hex4 >> ']' >> x3::eoi))] >> '[' >> hex4 >> ':' >>
    hex4 >> ']' >> x3::eoi;
auto const ids_def = bare_ids | bracket_ids;

auto const bases_def = *x3::char_(" |") >> (x3::lit("Region ") | "Memory at " | "I/O ports at " |
                                            "[virtual] " | "[enhanced] ") >>
                       *x3::char_;

BOOST_SPIRIT_DEFINE(root, range, bridge, leaf, node, connector, step, prefix, tail, bare_ids,
                    bracket_ids, line, ids, bases)

} // namespace parser

parser::line_type const& line() {
    return parser::line;
}
parser::ids_type const& ids() {
    return parser::ids;
}
parser::bases_type const& bases() {
    return parser::bases;
}

} // namespace il::grammars::lspci_tree
