// The whole pipeline on the generated server host (100 / 1k / 10k / 100k functions):
//
//   BM_Simulate_Generated  topology + grouping simulation of the host read from the text
//   BM_Lint                every lint rule (lint_host builds its own topology and runs the
//                          simulations it needs: as booted, without and with ACS override)
//   BM_EndToEnd_Text       ingest of `lspci -vvv -nn -D` + lint (which simulates)
//   BM_EndToEnd_Hex        ingest of `lspci -D -xxxx` + lint
//
// Each reports its peak memory on top of what was resident before (peak_MiB), the input
// size and their ratio (goal: <= 3).
#include "bench_util.hpp"
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "model/topology.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"

#include <benchmark/benchmark.h>

namespace {

using il::bench::PeakMemory;

std::size_t n_of(const benchmark::State& state) {
    return static_cast<std::size_t>(state.range(0));
}

il::model::Host ingest_text(std::size_t n) {
    return il::model::ingest_host("bench",
                                  {{"lspci-vvv.txt", il::bench::generated_text(n), false}});
}

void BM_Simulate_Generated(benchmark::State& state) {
    const auto host = ingest_text(n_of(state));
    const auto policy = il::sim::policy_as_booted(host);
    std::size_t groups = 0;
    for (auto _ : state) {
        il::model::Topology topo(host);
        auto r = il::sim::simulate(host, topo, policy);
        groups = r.grouping.groups.size();
        benchmark::DoNotOptimize(r.grouping.groups.data());
    }
    state.SetComplexityN(static_cast<std::int64_t>(host.devices.size()));
    state.counters["functions"] = static_cast<double>(host.devices.size());
    state.counters["groups"] = static_cast<double>(groups);
    state.counters["functions_per_s"] = benchmark::Counter(
        static_cast<double>(host.devices.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Simulate_Generated)
    ->Apply(il::bench::sizes)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void BM_Lint(benchmark::State& state) {
    const auto host = ingest_text(n_of(state));
    const il::linter::LintOptions opts;
    const il::linter::Selection sel;
    std::size_t findings = 0;
    for (auto _ : state) {
        auto r = il::linter::lint_host(host, opts, sel);
        findings = r.findings.size();
        benchmark::DoNotOptimize(r.findings.data());
    }
    state.SetComplexityN(static_cast<std::int64_t>(host.devices.size()));
    state.counters["functions"] = static_cast<double>(host.devices.size());
    state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_Lint)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond)->Complexity();

void end_to_end(benchmark::State& state, const char* name, const std::string& content) {
    const std::vector<il::model::FileInput> files{{name, content, false}};
    const il::linter::LintOptions opts;
    const il::linter::Selection sel;
    const PeakMemory mem;
    std::size_t findings = 0, devices = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto input = files; // handed over and cleaned in place, as by the command line
        state.ResumeTiming();
        auto host = il::model::ingest_host("bench", std::move(input));
        auto r = il::linter::lint_host(host, opts, sel);
        devices = host.devices.size();
        findings = r.findings.size();
        benchmark::DoNotOptimize(r.findings.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * content.size()));
    state.counters["functions"] = static_cast<double>(devices);
    state.counters["findings"] = static_cast<double>(findings);
    mem.report(state, content.size());
}

void BM_EndToEnd_Text(benchmark::State& state) {
    end_to_end(state, "lspci-vvv.txt", il::bench::generated_text(n_of(state)));
}
BENCHMARK(BM_EndToEnd_Text)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_EndToEnd_Hex(benchmark::State& state) {
    end_to_end(state, "lspci-xxxx.txt", il::bench::generated_hex(n_of(state)));
}
BENCHMARK(BM_EndToEnd_Hex)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
