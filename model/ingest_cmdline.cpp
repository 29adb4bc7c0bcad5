// PLACEHOLDER until the cmdline grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_cmdline(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
