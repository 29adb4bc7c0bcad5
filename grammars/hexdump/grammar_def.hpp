#pragma once

#include "grammars/hexdump/ast.hpp"
#include "grammars/hexdump/ast_adapted.hpp"
#include "grammars/hexdump/grammar.hpp"

namespace il::grammars::hexdump {
namespace parser {

// lspci prints the offset with "%02x" (so 3 digits from 0x100); lib/dump.c accepts 2-8.
x3::uint_parser<std::uint32_t, 16, 2, 8> const offset_digits = {};
// Exactly two hex digits per byte.
x3::uint_parser<std::uint8_t, 16, 2, 2> const byte_digits = {};

x3::rule<struct offset_class, std::uint32_t> const offset = "row offset";
x3::rule<struct byte_class, std::uint8_t> const byte = "two-digit hex byte";
row_type const row = "hex dump row";

auto const offset_def = offset_digits >> ':';
auto const byte_def = x3::lit(' ') >> byte_digits;
// Blanks as a character set: x3's blank classifier asserts on bytes >= 0x80 (UTF-8 text).
auto const row_def = x3::omit[*x3::char_(" \t")] >> offset >> x3::repeat(1, 16)[byte] >> x3::eoi;

BOOST_SPIRIT_DEFINE(offset, byte, row)

} // namespace parser

parser::row_type const& row() {
    return parser::row;
}

} // namespace il::grammars::hexdump
