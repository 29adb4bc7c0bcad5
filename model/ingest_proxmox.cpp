// PLACEHOLDER until the proxmox grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_proxmox(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
