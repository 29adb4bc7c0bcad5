// Simulation time against the number of PCI functions (issue 3: linear up to 100k).
#include "model/topology.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"
#include "synthetic_host.hpp"

#include <benchmark/benchmark.h>

static void BM_Simulate(benchmark::State& state) {
    const auto host = il::bench::synthetic_host(static_cast<std::size_t>(state.range(0)));
    const auto policy = il::sim::policy_as_booted(host);
    for (auto _ : state) {
        il::model::Topology topo(host);
        auto r = il::sim::simulate(host, topo, policy);
        benchmark::DoNotOptimize(r.grouping.groups.data());
    }
    state.SetComplexityN(static_cast<std::int64_t>(host.devices.size()));
    state.counters["functions"] = static_cast<double>(host.devices.size());
    state.counters["functions_per_s"] = benchmark::Counter(
        static_cast<double>(host.devices.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Simulate)
    ->RangeMultiplier(10)
    ->Range(100, 100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

BENCHMARK_MAIN();
