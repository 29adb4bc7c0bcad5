// PLACEHOLDER until the hex dump grammar lands.
#include "grammars/hexdump/hexdump.hpp"

namespace il::grammars::hexdump {
bool looks_like_row(std::string_view) { return false; }
std::optional<Row> parse_row(std::string_view) { return std::nullopt; }
} // namespace il::grammars::hexdump
