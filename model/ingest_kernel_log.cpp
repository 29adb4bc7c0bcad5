// PLACEHOLDER until the kernel_log grammar lands: recognises nothing.
#include "model/ingest_detail.hpp"

namespace il::model::detail {
void ingest_kernel_log(IngestContext& cx) { (void)cx; }
} // namespace il::model::detail
