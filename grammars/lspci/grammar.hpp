// X3 rules for the lines of lspci output (pciutils lspci.c / ls-caps.c / ls-ecaps.c formats).
// Each rule parses one whole line (or the value after a "Key:" of a line) without a skipper.
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/lspci/ast.hpp"

#include <boost/spirit/home/x3.hpp>

#include <string>
#include <vector>

namespace il::grammars::lspci::parser {
namespace x3 = boost::spirit::x3;

// "00:1f.3 Audio device [0403]: Intel Corporation ... [8086:a348] (rev 10)" (plain, -nn, -PP)
using named_header_type = x3::rule<class named_header_class, ast::NamedHeader>;
// "00:1f.3 0403: 8086:a348 (rev 10)" (lspci -n)
using numeric_header_type = x3::rule<class numeric_header_class, ast::NumericHeader>;
// "Vendor Device [vvvv:dddd]" or "vvvv:dddd" (Subsystem: value)
using names_tail_type = x3::rule<class names_tail_class, ast::NamesTail>;
// "vvvv:dddd" (lspci -n)
using numeric_ids_type = x3::rule<class numeric_ids_class, ast::IdPair>;
// "Device vvvv:dddd" (plain output, vendor and device unknown)
using unknown_pair_type = x3::rule<class unknown_pair_class, ast::IdPair>;
// "<Vendor> Device dddd" (plain output, device unknown): the device id
using unknown_device_type = x3::rule<class unknown_device_class, std::uint16_t>;
// "Class cccc" (plain output, class unknown)
using unknown_class_type = x3::rule<class unknown_class_class, std::uint16_t>;
// value of "Capabilities:": "[40] Name" / "[148 v1] Name"
using cap_header_type = x3::rule<class cap_header_class, ast::CapHeader>;
// value of "Capabilities:": "<access denied>"
using caps_denied_type = x3::rule<class caps_denied_class, bool>;
// capability text up to its details: "MSI: Enable+ ..." -> "MSI", "Data Link Feature <?>" -> ...
using cap_base_type = x3::rule<class cap_base_class, boost::iterator_range<iterator_type>>;
// capability name "Express (v2) Root Port (Slot+), MSI 00"
using express_cap_type = x3::rule<class express_cap_class, ast::ExpressCap>;
// value of "LnkCap:"
using link_cap_type = x3::rule<class link_cap_class, ast::LinkCapLine>;
// value of "LnkSta:"
using link_sta_type = x3::rule<class link_sta_class, ast::LinkStaLine>;
// a link speed "8GT/s" -> 8.0
using link_speed_type = x3::rule<class link_speed_class, double>;
// value of "ACSCap:" / "ACSCtl:": the seven '+'/'-' in register bit order
using acs_bits_type = x3::rule<class acs_bits_class, std::string>;
// every "Name+" / "Name-" token of a line
using flag_list_type = x3::rule<class flag_list_class, std::vector<ast::FlagToken>>;
// value of "Bus:"
using bus_line_type = x3::rule<class bus_line_class, ast::BusLine>;
// value of "Initial VFs:" line (whole line)
using vf_line_type = x3::rule<class vf_line_class, ast::VfLine>;
// value of "IOMMU group:"
using group_value_type = x3::rule<class group_value_class, unsigned>;
// value of -v "Flags:" that mentions ", IOMMU group N"
using flags_group_type = x3::rule<class flags_group_class, unsigned>;
// "!!! Unknown header type 7f"
using unknown_htype_type = x3::rule<class unknown_htype_class, std::uint8_t>;
// "!!! Invalid class 0604 for header type 00"
using invalid_class_type = x3::rule<class invalid_class_class, ast::InvalidClass>;
// value of "Kernel modules:"
using modules_type = x3::rule<class modules_class, std::vector<std::string>>;

BOOST_SPIRIT_DECLARE(named_header_type, numeric_header_type, names_tail_type, numeric_ids_type,
                     unknown_pair_type, unknown_device_type, unknown_class_type, cap_header_type,
                     caps_denied_type, cap_base_type, express_cap_type, link_cap_type,
                     link_sta_type, link_speed_type, acs_bits_type, flag_list_type, bus_line_type,
                     vf_line_type, group_value_type, flags_group_type, unknown_htype_type,
                     invalid_class_type, modules_type)

} // namespace il::grammars::lspci::parser

// Accessors to the rule objects (defined with the rules in grammar_def.hpp).
namespace il::grammars::lspci {
parser::named_header_type const& named_header();
parser::numeric_header_type const& numeric_header();
parser::names_tail_type const& names_tail();
parser::numeric_ids_type const& numeric_ids();
parser::unknown_pair_type const& unknown_pair();
parser::unknown_device_type const& unknown_device();
parser::unknown_class_type const& unknown_class();
parser::cap_header_type const& cap_header();
parser::caps_denied_type const& caps_denied();
parser::cap_base_type const& cap_base();
parser::express_cap_type const& express_cap();
parser::link_cap_type const& link_cap();
parser::link_sta_type const& link_sta();
parser::link_speed_type const& link_speed();
parser::acs_bits_type const& acs_bits();
parser::flag_list_type const& flag_list();
parser::bus_line_type const& bus_line();
parser::vf_line_type const& vf_line();
parser::group_value_type const& group_value();
parser::flags_group_type const& flags_group();
parser::unknown_htype_type const& unknown_htype();
parser::invalid_class_type const& invalid_class();
parser::modules_type const& modules();
} // namespace il::grammars::lspci
