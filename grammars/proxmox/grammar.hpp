// X3 rules of the Proxmox VM config grammar (definitions in grammar_def.hpp, instantiated once
// in proxmox.cpp).
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/proxmox/ast.hpp"

namespace il::grammars::proxmox::parser {

namespace x3 = boost::spirit::x3;

// "hostpci0: 0000:01:00,pcie=1" / "machine: q35" (key: lower-case word)
using config_line_type = x3::rule<class config_line_class, ast::ConfigLine>;
// "[snapshot-name]" / "[PENDING]" / "[special:cloudinit]"
using section_type = x3::rule<class section_class, std::string>;
// "0000:01:00,pcie=1,x-vga=1" -> items
using property_string_type = x3::rule<class property_string_class, std::vector<ast::Option>>;
// "0000:01:00.0;0000:01:00.1"
using host_ids_type = x3::rule<class host_ids_class, std::vector<ast::HostId>>;

BOOST_SPIRIT_DECLARE(config_line_type, section_type, property_string_type, host_ids_type)

} // namespace il::grammars::proxmox::parser

namespace il::grammars::proxmox {
const parser::config_line_type& config_line();
const parser::section_type& section();
const parser::property_string_type& property_string();
const parser::host_ids_type& host_ids();
} // namespace il::grammars::proxmox
