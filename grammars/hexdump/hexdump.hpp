// lspci -x / -xxx / -xxxx hex dump rows: "OO: xx xx xx ..." (OO = offset, 2-8 hex digits).
#pragma once

#include <boost/container/static_vector.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace il::grammars::hexdump {

struct Row {
    std::uint32_t offset = 0;
    boost::container::static_vector<std::uint8_t, 16> bytes; // 1..16 bytes
};

// Cheap test: does the line start like a hex row ("xx: " or "xxx: ")?
bool looks_like_row(std::string_view line);

// Parses a whole row with the X3 grammar. nullopt when the line is not a well-formed row
// (a line for which looks_like_row() is true but parse_row() fails is a malformed row).
std::optional<Row> parse_row(std::string_view line);

} // namespace il::grammars::hexdump
