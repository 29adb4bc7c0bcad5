// X3 grammar of a hex dump row (lspci -x/-xxx/-xxxx; read back by lib/dump.c).
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/hexdump/ast.hpp"

namespace il::grammars::hexdump {
namespace parser {

struct row_class;
using row_type = x3::rule<row_class, ast::Row>;
BOOST_SPIRIT_DECLARE(row_type)

} // namespace parser

// The whole row: offset (2-8 hex digits), ':' and 1..16 bytes of exactly two hex digits,
// each preceded by one space. Leading blanks (pasted indentation) are allowed; the line
// must end after the last byte (trailing blanks are removed by the text layer).
parser::row_type const& row();

} // namespace il::grammars::hexdump
