// X3 definitions of the Proxmox VM config grammar. Included by proxmox.cpp only.
#pragma once

#include "grammars/proxmox/ast.hpp"
#include "grammars/proxmox/ast_adapted.hpp"
#include "grammars/proxmox/grammar.hpp"

namespace il::grammars::proxmox::parser {

using x3::lit;

const auto osp = x3::omit[*x3::ascii::blank];
const auto end_of_line = osp >> x3::eoi;

const x3::rule<class key_class, std::string> key = "config key";
const auto key_def = x3::char_('a', 'z') >>
                     *(x3::char_('a', 'z') | x3::ascii::digit | x3::char_("_-"));

const x3::rule<class rest_class, std::string> rest = "config value";
const auto rest_def = *(x3::char_ - end_of_line);

const config_line_type config_line = "VM config line";
const auto config_line_def = key >> ':' >> &(x3::ascii::blank | x3::eoi) >> osp >> rest
                             >> end_of_line;

const section_type section = "[section] line";
const auto section_def = '[' >> +(x3::char_ - ']' - x3::ascii::blank) >> ']' >> end_of_line;

const x3::rule<class option_key_class, std::string> option_key = "option name";
const auto option_key_def = +(x3::ascii::alnum | x3::char_("_-"));

const x3::rule<class option_value_class, std::string> option_value = "option value";
const auto option_value_def = *(x3::char_ - ',');

const x3::rule<class positional_class, std::string> positional = "positional value";
const auto positional_def = +(x3::char_ - ',' - '=');

const x3::rule<class option_class, ast::Option> option = "option";
// the lookahead keeps a failed "name=" attempt from leaving text in the attribute
const auto option_def = (&(option_key >> '=') >> option_key >> '=' >> option_value) |
                        (positional >> x3::attr(boost::optional<std::string>()));

const property_string_type property_string = "property string";
const auto property_string_def = (option % ',') >> x3::eoi;

const x3::uint_parser<std::uint32_t, 16, 4, 6> hex_domain{};
const x3::uint_parser<unsigned, 16, 2, 2> hex2{};
const x3::uint_parser<unsigned, 10, 1, 1> digit1{};

const x3::rule<class host_id_class, ast::HostId> host_id = "host PCI id [domain:]bus:dev[.fn]";
const auto host_id_def = -(hex_domain >> ':') >> hex2 >> ':' >> hex2 >> -('.' >> digit1);

const host_ids_type host_ids = "host PCI ids";
const auto host_ids_def = osp >> (host_id % (osp >> ';' >> osp)) >> end_of_line;

BOOST_SPIRIT_DEFINE(key, rest, config_line, section, option_key, option_value, positional, option,
                    property_string, host_id, host_ids)

} // namespace il::grammars::proxmox::parser

namespace il::grammars::proxmox {
const parser::config_line_type& config_line() {
    return parser::config_line;
}
const parser::section_type& section() {
    return parser::section;
}
const parser::property_string_type& property_string() {
    return parser::property_string;
}
const parser::host_ids_type& host_ids() {
    return parser::host_ids;
}
} // namespace il::grammars::proxmox
