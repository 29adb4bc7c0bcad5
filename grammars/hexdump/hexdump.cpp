// Hex dump rows: the X3 grammar is instantiated here (once) and wrapped by the public API.
#include "grammars/hexdump/hexdump.hpp"

#include "grammars/hexdump/grammar_def.hpp"

namespace il::grammars::hexdump {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(row_type, iterator_type, plain_context_type)
} // namespace parser

namespace {
bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
} // namespace

bool looks_like_row(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && is_hex(line[i]) && i - start < 9) ++i;
    const std::size_t digits = i - start;
    if (digits < 2 || digits > 8) return false;
    // "xx: yy" - a colon, one space and a first byte of two hex digits, then the end of
    // the line or a space (so chatter like "Added: deadbeef" is not taken for a row)
    if (line.size() < i + 4) return false;
    if (line[i] != ':' || line[i + 1] != ' ' || !is_hex(line[i + 2]) || !is_hex(line[i + 3]))
        return false;
    return line.size() == i + 4 || line[i + 4] == ' ';
}

std::optional<Row> parse_row(std::string_view line) {
    ast::Row r;
    auto first = line.begin();
    const auto last = line.end();
    if (!x3::parse(first, last, row(), r) || first != last) return std::nullopt;
    return Row{r.offset, std::move(r.bytes)};
}

} // namespace il::grammars::hexdump
