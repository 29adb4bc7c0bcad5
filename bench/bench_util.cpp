#include "bench_util.hpp"
#include "proc_memory.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

namespace il::bench {

namespace {

struct Cache {
    std::size_t functions = 0;
    std::unique_ptr<GenHost> host;
    std::string text, hex;
    bool has_text = false, has_hex = false;
};

Cache& cache() {
    static Cache c;
    return c;
}

Cache& at(std::size_t functions) {
    auto& c = cache();
    if (!c.host || c.functions != functions) {
        c.text.clear();
        c.text.shrink_to_fit();
        c.hex.clear();
        c.hex.shrink_to_fit();
        c.has_text = c.has_hex = false;
        LspciGenOptions opt;
        opt.functions = functions;
        c.host = std::make_unique<GenHost>(plan_host(opt));
        c.functions = functions;
    }
    return c;
}

} // namespace

const GenHost& generated_host(std::size_t functions) {
    return *at(functions).host;
}

const std::string& generated_text(std::size_t functions) {
    auto& c = at(functions);
    if (!c.has_text) {
        LspciGenOptions opt;
        opt.functions = functions;
        c.text = lspci_text(*c.host, opt);
        c.has_text = true;
    }
    return c.text;
}

const std::string& generated_hex(std::size_t functions) {
    auto& c = at(functions);
    if (!c.has_hex) {
        c.hex = lspci_hex(*c.host);
        c.has_hex = true;
    }
    return c.hex;
}

std::size_t max_functions() {
    if (const char* e = std::getenv("IL_BENCH_MAX_FUNCTIONS")) {
        const auto v = std::strtoull(e, nullptr, 10);
        if (v > 0) return v;
    }
    return 100000;
}

void sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n : {100, 1000, 10000, 100000})
        if (static_cast<std::size_t>(n) <= max_functions()) b->Arg(n);
}

std::size_t rss_kib() {
    return proc_status_kib("VmRSS:");
}
std::size_t peak_rss_kib() {
    return proc_status_kib("VmHWM:");
}

bool reset_peak_rss() {
    std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (!f) return false;
    const bool ok = std::fputs("5", f) >= 0;
    return std::fclose(f) == 0 && ok;
}

PeakMemory::PeakMemory() {
    reset_ = reset_peak_rss();
    base_kib_ = rss_kib();
}

void PeakMemory::report(benchmark::State& state, std::size_t input_bytes) const {
    const std::size_t peak = peak_rss_kib();
    const double added_mib = peak > base_kib_ ? static_cast<double>(peak - base_kib_) / 1024.0 : 0;
    const double input_mib = static_cast<double>(input_bytes) / (1024.0 * 1024.0);
    // without a peak reset the process peak so far is all we know (an upper bound)
    state.counters["peak_MiB"] = reset_ ? added_mib : static_cast<double>(peak) / 1024.0;
    state.counters["input_MiB"] = input_mib;
    if (input_mib > 0) state.counters["peak_per_input"] = state.counters["peak_MiB"] / input_mib;
}

} // namespace il::bench
