// Server-like synthetic hosts for benchmarks: PCI segments (domains) each with root ports,
// PCIe switches, multifunction GPUs, NVMe drives and SR-IOV NICs, built directly as a snapshot.
#pragma once

#include "model/snapshot.hpp"

#include <cstddef>

namespace il::bench {

// About `functions` PCI functions (bridges included).
model::Host synthetic_host(std::size_t functions);

} // namespace il::bench
