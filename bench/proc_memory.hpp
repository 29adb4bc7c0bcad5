// The memory of this process as Linux reports it, for the benchmarks and the hardness tests.
#pragma once

#include <cstddef>

namespace il::bench {

// A "Key:" line of /proc/self/status in KiB (e.g. "VmRSS:", "VmHWM:"); 0 when unreadable.
std::size_t proc_status_kib(const char* key);

} // namespace il::bench
