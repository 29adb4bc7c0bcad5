// lspci -t trees: whole texts, and the line grammar.
#include "fuzz_util.hpp"
#include "grammars/lspci_tree/lspci_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace t = il::grammars::lspci_tree;
    const auto text = il::fuzz::as_text(data, size);
    const auto tree = t::parse_tree(text);
    if (tree.error_line && tree.error.empty()) __builtin_trap();
    t::Builder b;
    std::size_t i = 0;
    for (auto line : il::fuzz::lines_of(text)) {
        std::size_t consumed = 0;
        (void)t::parse_line(line, consumed);
        if (consumed > line.size()) __builtin_trap();
        (void)t::parse_ids(line);
        (void)t::is_bases_line(line);
        if (i % 11 == 5) b.interrupt();
        (void)b.feed(i++, line);
    }
    return 0;
}
