// PLACEHOLDER until the listing grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_listing(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
