// lspci text records: the record scanner over all lines, and the line-level parsers.
#include "fuzz_util.hpp"
#include "grammars/lspci/lspci.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace l = il::grammars::lspci;
    const auto lines = il::fuzz::lines_of(il::fuzz::as_text(data, size));
    std::vector<bool> usable(lines.size(), true);
    for (std::size_t i = 0; i < usable.size(); i += 7) usable[i] = (i / 7) % 3 != 0;
    const auto all = l::scan(lines, std::vector<bool>(lines.size(), true));
    const auto some = l::scan(lines, usable);
    for (const auto& r : all.records)
        if (r.header_line >= r.end_line || r.end_line > lines.size())
            __builtin_trap(); // records are non-empty ranges of real lines
    for (auto line : lines) {
        (void)l::parse_header(line);
        (void)l::parse_names(line);
        const auto flags = l::parse_flags(line);
        // the single-flag lookup (which tokenizes only where the name stands) agrees with
        // the whole token list, for names of this line's tokens and fixed ones
        const auto same = [&](std::string_view name) {
            if (l::find_flag_in(line, name) != l::find_flag(flags, name)) __builtin_trap();
        };
        same("ReqRedir");
        same("Cap");
        for (std::size_t k = 0; k < flags.size() && k < 4; ++k) same(flags[k].name);
        if (line.size() > 3) same(line.substr(1, 3));
        (void)l::capability_base_name(line);
    }
    (void)some;
    return 0;
}
