// lspci -x rows.
#include "fuzz_util.hpp"
#include "grammars/hexdump/hexdump.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (auto line : il::fuzz::lines_of(il::fuzz::as_text(data, size))) {
        const bool looks = il::grammars::hexdump::looks_like_row(line);
        const auto row = il::grammars::hexdump::parse_row(line);
        if (row && (row->bytes.empty() || row->bytes.size() > 16)) __builtin_trap();
        (void)looks;
    }
    return 0;
}
