// X3 grammar of `lspci -t` / `-tv` / `-tvn` / `-tvnn` lines (pciutils ls-tree.c).
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/lspci_tree/ast.hpp"

namespace il::grammars::lspci_tree {
namespace parser {

struct line_class;
struct ids_class;
struct bases_class;
using line_type = x3::rule<line_class, ast::Line>;
using ids_type = x3::rule<ids_class, ast::Ids>;
using bases_type = x3::rule<bases_class>;
BOOST_SPIRIT_DECLARE(line_type, ids_type, bases_type)

} // namespace parser

// One tree line, without the end-of-input check: the caller sees how far it got.
parser::line_type const& line();
// The ids at the end of a tail: "8086:1234" (-tvn) or "... [8086:1234]" (-tvnn).
parser::ids_type const& ids();
// An address line of `lspci -tvv` ("|   Memory at ... (64-bit, prefetchable)").
parser::bases_type const& bases();

} // namespace il::grammars::lspci_tree
