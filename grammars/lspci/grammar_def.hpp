// Definitions of the lspci line rules. Included by grammars/lspci/lspci.cpp only.
#pragma once

#include "grammars/lspci/ast.hpp"
#include "grammars/lspci/ast_adapted.hpp"
#include "grammars/lspci/grammar.hpp"

#include <boost/spirit/home/x3.hpp>

namespace il::grammars::lspci::parser {
namespace x3 = boost::spirit::x3;

using x3::attr;
using x3::char_;
using x3::eoi;
using x3::lit;
using x3::omit;
using x3::raw;
using x3::uint_;

// ---- terminals --------------------------------------------------------------------------

const x3::uint_parser<std::uint8_t, 16, 2, 2> hex2{};
const x3::uint_parser<std::uint16_t, 16, 4, 4> hex4{};
const x3::uint_parser<std::uint32_t, 16, 4, 6> hex_domain{};   // "%04x" of a 32-bit domain
const x3::uint_parser<std::uint8_t, 8, 1, 1> function_digit{}; // 0..7
const x3::uint_parser<std::uint16_t, 16, 1, 3> cap_offset{};

// Character classes by explicit sets: the text holds UTF-8 names, and x3's classifying
// parsers (blank, graph, alpha) assert on bytes above 0x7f.
auto const blank = char_(" \t");
auto const graph = char_ - blank;
auto const letter = char_("a-zA-Z");

auto const sp = omit[*blank];
auto const gap = omit[+blank];
auto const pm = char_("+-");

struct port_types_ : x3::symbols<int> {
    port_types_() {
        add("Endpoint", 0)("Legacy Endpoint", 1)("Root Port", 4)("Upstream Port", 5)(
            "Downstream Port", 6)("PCI-Express to PCI/PCI-X Bridge", 7)(
            "PCI/PCI-X to PCI-Express Bridge", 8)("Root Complex Integrated Endpoint",
                                                  9)("Root Complex Event Collector", 10);
    }
} const port_types;

// ---- internal rules -----------------------------------------------------------------------

x3::rule<class slot_addr_class, ast::SlotAddr> const slot_addr = "PCI address";
x3::rule<class slot_path_class, std::vector<ast::SlotAddr>> const slot_path = "PCI slot or path";
x3::rule<class id_pair_class, ast::IdPair> const id_pair = "vendor:device ids";
x3::rule<class rev_class, std::uint8_t> const rev = "(rev RR)";
x3::rule<class prog_if_name_class, std::string> const prog_if_name = "prog-if name";
x3::rule<class prog_if_class, ast::ProgIf> const prog_if = "(prog-if PP [name])";
x3::rule<class tail_class, ast::Tail> const tail = "ids, revision and prog-if";
x3::rule<class names_class, std::string> const names = "vendor and device names";
x3::rule<class class_name_class, std::string> const class_name = "class name";
x3::rule<class port_type_class, int> const port_type = "PCIe port type";
x3::rule<class speed_token_class, std::string> const speed_token = "link speed";
x3::rule<class link_marker_class, std::string> const link_marker = "link marker";
x3::rule<class flag_name_class, boost::iterator_range<iterator_type>> const flag_name = "flag name";
x3::rule<class flag_token_class, ast::FlagToken> const flag_token = "flag";

auto const slot_addr_def = -(hex_domain >> ':') >> hex2 >> ':' >> hex2 >> '.' >> function_digit;
auto const slot_path_def = slot_addr % '/';
auto const id_pair_def = hex4 >> ':' >> hex4;
auto const rev_def = lit("(rev ") >> hex2 >> ')';
auto const prog_if_name_def = raw[+(char_ - ']')];
auto const prog_if_def = lit("(prog-if ") >> hex2 >> -(lit(" [") >> prog_if_name >> ']') >> ')';
auto const tail_def = -(lit(" [") >> id_pair >> ']') >> -(' ' >> rev) >> -(' ' >> prog_if);
// Names run up to the point where only the tail is left.
auto const names_def = raw[*(char_ - (tail >> sp >> eoi))];
auto const class_name_def = raw[+(char_ - ':' - (lit(" [") >> hex4 >> lit("]:")))];
auto const port_type_def = port_types | (lit("Unknown type ") >> omit[uint_] >> attr(15));
auto const speed_token_def = raw[+(char_ - ',' - blank - '(')];
auto const link_marker_def = lit(" (") >> raw[+letter] >> ')';
auto const flag_end = blank | lit(',') | eoi;
auto const flag_name_def = raw[+(graph - (pm >> flag_end))];
auto const flag_token_def = flag_name >> pm >> &flag_end;

BOOST_SPIRIT_DEFINE(slot_addr, slot_path, id_pair, rev, prog_if_name, prog_if, tail, names,
                    class_name, port_type, speed_token, link_marker, flag_name, flag_token)

// ---- exported rules -----------------------------------------------------------------------

named_header_type const named_header = "lspci device header";
numeric_header_type const numeric_header = "lspci -n device header";
names_tail_type const names_tail = "names with optional [vvvv:dddd]";
numeric_ids_type const numeric_ids = "vvvv:dddd";
unknown_pair_type const unknown_pair = "Device vvvv:dddd";
unknown_device_type const unknown_device = "Vendor Device dddd";
unknown_class_type const unknown_class = "Class cccc";
cap_header_type const cap_header = "capability header";
caps_denied_type const caps_denied = "<access denied>";
cap_base_type const cap_base = "capability name";
express_cap_type const express_cap = "Express capability";
link_cap_type const link_cap = "LnkCap value";
link_sta_type const link_sta = "LnkSta value";
link_speed_type const link_speed = "link speed value";
acs_bits_type const acs_bits = "ACS flags";
flag_list_type const flag_list = "flag list";
bus_line_type const bus_line = "Bus: value";
vf_line_type const vf_line = "SR-IOV VF counts";
group_value_type const group_value = "IOMMU group number";
flags_group_type const flags_group = "Flags: IOMMU group";
unknown_htype_type const unknown_htype = "unknown header type line";
invalid_class_type const invalid_class = "invalid class line";
modules_type const modules = "kernel module list";

auto const named_header_def = slot_path >> ' ' >> class_name >> -(lit(" [") >> hex4 >> ']') >>
                              lit(": ") >> names_tail;
auto const numeric_header_def = slot_path >> ' ' >> hex4 >> lit(": ") >> id_pair >> -(' ' >> rev) >>
                                -(' ' >> prog_if) >> sp >> eoi;
auto const names_tail_def = names >> tail >> sp >> eoi;
auto const numeric_ids_def = id_pair >> sp >> eoi;
auto const unknown_pair_def = lit("Device ") >> id_pair >> eoi;
auto const unknown_device_def = omit[*(char_ - (lit(" Device ") >> hex4 >> eoi))] >>
                                lit(" Device ") >> hex4 >> eoi;
auto const unknown_class_def = lit("Class ") >> hex4 >> eoi;
auto const cap_header_def = '[' >> cap_offset >> -(lit(" v") >> uint_) >> ']' >> sp >> raw[*char_];
auto const caps_denied_def = lit("<access denied>") >> sp >> eoi >> attr(true);
auto const cap_base_def = raw[*(char_ - ':' - lit(" <"))] >> omit[*char_];
auto const express_cap_def = lit("Express") >> -(lit(" (v") >> uint_ >> ')') >> ' ' >> port_type >>
                             -(lit(" (Slot") >> pm >> ')') >> omit[*char_];
auto const link_cap_def = lit("Port #") >> uint_ >> lit(", Speed ") >> speed_token >>
                          lit(", Width x") >> uint_ >> omit[*char_];
auto const link_sta_def = lit("Speed ") >> speed_token >> -link_marker >> lit(", Width x") >> uint_
                          >> -link_marker >> omit[*char_];
auto const link_speed_def = x3::double_ >> (lit("GT/s") | lit("Gb/s")) >> eoi;
auto const acs_bits_def = lit("SrcValid") >> pm >> gap >> lit("TransBlk") >> pm >> gap >>
                          lit("ReqRedir") >> pm >> gap >> lit("CmpltRedir") >> pm >> gap >>
                          lit("UpstreamFwd") >> pm >> gap >> lit("EgressCtrl") >> pm >> gap >>
                          lit("DirectTrans") >> pm >> sp >> eoi;
auto const push_flag = [](auto& ctx) { x3::_val(ctx).push_back(x3::_attr(ctx)); };
auto const flag_list_def = *(flag_token[push_flag] | omit[+graph] | omit[+blank]);
auto const bus_line_def = lit("primary=") >> hex2 >> lit(", secondary=") >> hex2 >>
                          lit(", subordinate=") >> hex2 >> omit[*char_];
auto const vf_line_def = lit("Initial VFs:") >> sp >> uint_ >> lit(", Total VFs:") >> sp >> uint_ >>
                         lit(", Number of VFs:") >> sp >> uint_ >> omit[*char_];
auto const group_value_def = sp >> uint_ >> sp >> eoi;
auto const flags_group_def = omit[*(char_ - lit("IOMMU group "))] >> lit("IOMMU group ") >> uint_
                             >> omit[*char_];
auto const unknown_htype_def = lit("!!! Unknown header type ") >> hex2 >> sp >> eoi;
auto const invalid_class_def = lit("!!! Invalid class ") >> hex4 >> lit(" for header type ") >> hex2
                               >> sp >> eoi;
auto const modules_def = raw[+(char_ - ',')] % (lit(',') >> sp);

BOOST_SPIRIT_DEFINE(named_header, numeric_header, names_tail, numeric_ids, unknown_pair,
                    unknown_device, unknown_class, cap_header, caps_denied, cap_base, express_cap,
                    link_cap, link_sta, link_speed, acs_bits, flag_list, bus_line, vf_line,
                    group_value, flags_group, unknown_htype, invalid_class, modules)

} // namespace il::grammars::lspci::parser

namespace il::grammars::lspci {
parser::named_header_type const& named_header() {
    return parser::named_header;
}
parser::numeric_header_type const& numeric_header() {
    return parser::numeric_header;
}
parser::names_tail_type const& names_tail() {
    return parser::names_tail;
}
parser::numeric_ids_type const& numeric_ids() {
    return parser::numeric_ids;
}
parser::unknown_pair_type const& unknown_pair() {
    return parser::unknown_pair;
}
parser::unknown_device_type const& unknown_device() {
    return parser::unknown_device;
}
parser::unknown_class_type const& unknown_class() {
    return parser::unknown_class;
}
parser::cap_header_type const& cap_header() {
    return parser::cap_header;
}
parser::caps_denied_type const& caps_denied() {
    return parser::caps_denied;
}
parser::cap_base_type const& cap_base() {
    return parser::cap_base;
}
parser::express_cap_type const& express_cap() {
    return parser::express_cap;
}
parser::link_cap_type const& link_cap() {
    return parser::link_cap;
}
parser::link_sta_type const& link_sta() {
    return parser::link_sta;
}
parser::link_speed_type const& link_speed() {
    return parser::link_speed;
}
parser::acs_bits_type const& acs_bits() {
    return parser::acs_bits;
}
parser::flag_list_type const& flag_list() {
    return parser::flag_list;
}
parser::bus_line_type const& bus_line() {
    return parser::bus_line;
}
parser::vf_line_type const& vf_line() {
    return parser::vf_line;
}
parser::group_value_type const& group_value() {
    return parser::group_value;
}
parser::flags_group_type const& flags_group() {
    return parser::flags_group;
}
parser::unknown_htype_type const& unknown_htype() {
    return parser::unknown_htype;
}
parser::invalid_class_type const& invalid_class() {
    return parser::invalid_class;
}
parser::modules_type const& modules() {
    return parser::modules;
}
} // namespace il::grammars::lspci
