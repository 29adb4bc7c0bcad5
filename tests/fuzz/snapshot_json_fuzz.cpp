// Snapshot JSON (the tool's own format, also accepted as input).
#include "fuzz_util.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto snap =
            il::model::snapshot_from_json_text(il::fuzz::as_text(data, size), "fuzz.json");
        (void)il::model::dump_json(il::model::to_json(snap));
    } catch (const il::model::IngestError&) {
    }
    return 0;
}
