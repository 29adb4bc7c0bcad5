// Capture archives (gzip + tar) read in memory.
#include "fuzz_util.hpp"
#include "model/archive.hpp"
#include "model/ingest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = il::fuzz::as_text(data, size);
    (void)il::model::looks_like_archive(bytes);
    il::model::ArchiveLimits small;
    small.max_member_bytes = 1u << 20;
    small.max_total_bytes = 4u << 20;
    small.max_members = 64;
    small.max_headers = 256;
    try {
        const auto members = il::model::read_archive(bytes, "fuzz.tar.gz", small);
        std::size_t total = 0;
        for (const auto& m : members) total += m.content.size();
        if (total > small.max_total_bytes || members.size() > small.max_members) __builtin_trap();
    } catch (const il::model::IngestError&) {
    }
    return 0;
}
