// AST of one lspci hex dump row ("OO: xx xx ...").
#pragma once

#include <boost/container/static_vector.hpp>

#include <cstdint>
#include <vector>

namespace il::grammars::hexdump::ast {

struct Row {
    std::uint32_t offset = 0;
    boost::container::static_vector<std::uint8_t, 16> bytes;
};

} // namespace il::grammars::hexdump::ast
