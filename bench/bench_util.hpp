// Shared pieces of the benchmarks: generated inputs (cached, one size at a time) and peak
// memory measurement.
#pragma once

#include "gen_lspci.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

namespace il::bench {

// The generated host of `functions` functions and its files. Only the most recently used
// size is kept (a 100k-function hex dump is over a gigabyte).
const GenHost& generated_host(std::size_t functions);
const std::string& generated_text(std::size_t functions); // lspci -vvv -nn -D
const std::string& generated_hex(std::size_t functions);  // lspci -D -xxxx

// Largest size to run (env IL_BENCH_MAX_FUNCTIONS, default 100000): the 100k hex dump needs
// several gigabytes of memory.
std::size_t max_functions();
// Registers `fn` at 100, 1k, 10k, 100k functions (up to max_functions()).
void sizes(benchmark::internal::Benchmark* b);

// Memory of this process in KiB, from /proc/self/status (0 when unreadable).
std::size_t rss_kib();
std::size_t peak_rss_kib();
// Resets the peak (VmHWM) to the current RSS (Linux /proc/self/clear_refs "5").
bool reset_peak_rss();

// Measures the peak memory a benchmark's loop adds on top of what was resident before:
// construct before the loop, call report() after it.
class PeakMemory {
public:
    PeakMemory();
    // Counters: peak_MiB (added peak), input_MiB, peak_per_input (ratio; goal <= 3).
    void report(benchmark::State& state, std::size_t input_bytes) const;

private:
    std::size_t base_kib_ = 0;
    bool reset_ = false;
};

} // namespace il::bench
