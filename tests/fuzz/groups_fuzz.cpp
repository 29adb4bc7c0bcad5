// IOMMU group listings, one line at a time.
#include "fuzz_util.hpp"
#include "grammars/groups/groups.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (auto line : il::fuzz::lines_of(il::fuzz::as_text(data, size))) {
        (void)il::grammars::groups::parse_line(line);
        (void)il::grammars::groups::parse_two_column(line);
        (void)il::grammars::groups::is_ids_tail(line);
    }
    return 0;
}
