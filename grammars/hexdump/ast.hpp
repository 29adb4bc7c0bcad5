// AST of one lspci hex dump row ("OO: xx xx ...").
#pragma once

#include <cstdint>
#include <vector>

namespace il::grammars::hexdump::ast {

struct Row {
    std::uint32_t offset = 0;
    std::vector<std::uint8_t> bytes;
};

} // namespace il::grammars::hexdump::ast
