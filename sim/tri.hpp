#pragma once

#include <cstdint>
#include <string_view>

namespace il::sim {

// A three-valued answer: the input may not tell.
enum class Tri : std::uint8_t { no, yes, unknown };

inline Tri tri(bool b) { return b ? Tri::yes : Tri::no; }
inline std::string_view to_string(Tri t) {
    return t == Tri::yes ? "yes" : t == Tri::no ? "no" : "unknown";
}

} // namespace il::sim
