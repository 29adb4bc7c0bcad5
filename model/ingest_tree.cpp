// PLACEHOLDER until the tree grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_tree(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
