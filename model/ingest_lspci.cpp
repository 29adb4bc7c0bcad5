// PLACEHOLDER until the lspci grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_lspci(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
