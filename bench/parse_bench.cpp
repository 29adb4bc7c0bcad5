// Parse throughput per input format, in bytes per second (Google Benchmark's bytes_per_second
// counter, shown as MB/s), on the generated server host at 100 / 1k / 10k / 100k functions.
//
//   BM_Ingest_<format>   model::ingest_host on one file of that format: the text layer
//                        (normalisation, line split), every adapter's grammar run over the
//                        lines, and the adapter that turns records into snapshot facts.
//   BM_Grammar_<format>  the format's public parse API alone, over lines split beforehand.
//
// Goal (issue 6): lspci -vv text >= 200 MB/s on one core.
#include "bench_util.hpp"
#include "grammars/cmdline/cmdline.hpp"
#include "grammars/common/text.hpp"
#include "grammars/groups/groups.hpp"
#include "grammars/hexdump/hexdump.hpp"
#include "grammars/kernel_log/kernel_log.hpp"
#include "grammars/lspci/lspci.hpp"
#include "grammars/lspci_tree/lspci_tree.hpp"
#include "grammars/proxmox/proxmox.hpp"
#include "model/ingest.hpp"

#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using il::bench::generated_hex;
using il::bench::generated_host;
using il::bench::generated_text;
using il::bench::PeakMemory;

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        auto nl = s.find('\n', pos);
        if (nl == std::string_view::npos) nl = s.size();
        out.push_back(s.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

void ingest_one(benchmark::State& state, const std::string& name, const std::string& content) {
    const std::vector<il::model::FileInput> files{{name, content, false}};
    const PeakMemory mem;
    std::size_t devices = 0;
    for (auto _ : state) {
        // as the command line does: the file's bytes are handed over and cleaned in place
        state.PauseTiming();
        auto input = files;
        state.ResumeTiming();
        auto host = il::model::ingest_host("bench", std::move(input));
        devices = host.devices.size();
        benchmark::DoNotOptimize(host.devices.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * content.size()));
    state.counters["devices"] = static_cast<double>(devices);
    mem.report(state, content.size());
}

std::size_t n_of(const benchmark::State& state) {
    return static_cast<std::size_t>(state.range(0));
}

// ---- whole ingest, per format

void BM_Ingest_LspciText(benchmark::State& state) {
    ingest_one(state, "lspci-vvv.txt", generated_text(n_of(state)));
}
BENCHMARK(BM_Ingest_LspciText)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Ingest_Hexdump(benchmark::State& state) {
    ingest_one(state, "lspci-xxxx.txt", generated_hex(n_of(state)));
}
BENCHMARK(BM_Ingest_Hexdump)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Ingest_Tree(benchmark::State& state) {
    ingest_one(state, "lspci-tvnn.txt", il::bench::lspci_tree(generated_host(n_of(state))));
}
BENCHMARK(BM_Ingest_Tree)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Ingest_Listing(benchmark::State& state) {
    ingest_one(state, "iommu-groups.txt", il::bench::iommu_listing(generated_host(n_of(state))));
}
BENCHMARK(BM_Ingest_Listing)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Ingest_KernelLog(benchmark::State& state) {
    ingest_one(state, "dmesg.txt", il::bench::kernel_log(generated_host(n_of(state))));
}
BENCHMARK(BM_Ingest_KernelLog)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

// A VM config with many snapshot sections (each repeats the config): arg = sections.
void BM_Ingest_Proxmox(benchmark::State& state) {
    ingest_one(
        state, "101.conf",
        il::bench::proxmox_config(generated_host(1000), 101, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Ingest_Proxmox)->Arg(0)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_Ingest_Cmdline(benchmark::State& state) {
    ingest_one(state, "cmdline.txt", il::bench::kernel_cmdline());
}
BENCHMARK(BM_Ingest_Cmdline)->Unit(benchmark::kMicrosecond);

// ---- the grammars alone

void per_line(benchmark::State& state, const std::string& text,
              const std::function<bool(std::string_view)>& parse) {
    const auto lines = split_lines(text);
    std::size_t hits = 0;
    for (auto _ : state) {
        hits = 0;
        for (auto l : lines) hits += parse(l) ? 1 : 0;
        benchmark::DoNotOptimize(hits);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["lines"] = static_cast<double>(lines.size());
    state.counters["recognised"] = static_cast<double>(hits);
}

void BM_TextLoad_Lspci(benchmark::State& state) {
    const auto& text = generated_text(n_of(state));
    for (auto _ : state) {
        auto doc = il::text::load("lspci-vvv.txt", text);
        benchmark::DoNotOptimize(doc.lines.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_TextLoad_Lspci)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Grammar_LspciScan(benchmark::State& state) {
    const auto& text = generated_text(n_of(state));
    const auto lines = split_lines(text);
    const std::vector<bool> usable(lines.size(), true);
    std::size_t records = 0;
    for (auto _ : state) {
        auto scan = il::grammars::lspci::scan(lines, usable);
        records = scan.records.size();
        benchmark::DoNotOptimize(scan.records.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_Grammar_LspciScan)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Grammar_HexRow(benchmark::State& state) {
    per_line(state, generated_hex(n_of(state)),
             [](std::string_view l) { return il::grammars::hexdump::parse_row(l).has_value(); });
}
BENCHMARK(BM_Grammar_HexRow)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Grammar_Tree(benchmark::State& state) {
    const auto text = il::bench::lspci_tree(generated_host(n_of(state)));
    std::size_t devices = 0;
    for (auto _ : state) {
        auto t = il::grammars::lspci_tree::parse_tree(text);
        devices = t.devices.size();
        benchmark::DoNotOptimize(t.devices.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["devices"] = static_cast<double>(devices);
}
BENCHMARK(BM_Grammar_Tree)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Grammar_Listing(benchmark::State& state) {
    per_line(state, il::bench::iommu_listing(generated_host(n_of(state))),
             [](std::string_view l) { return il::grammars::groups::parse_line(l).has_value(); });
}
BENCHMARK(BM_Grammar_Listing)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

void BM_Grammar_KernelLog(benchmark::State& state) {
    per_line(state, il::bench::kernel_log(generated_host(n_of(state))), [](std::string_view l) {
        auto line = il::grammars::kernel_log::parse_line(l);
        if (!line) return false;
        auto m = il::grammars::kernel_log::parse_message(line->message);
        benchmark::DoNotOptimize(m.text.data());
        return true;
    });
}
BENCHMARK(BM_Grammar_KernelLog)->Apply(il::bench::sizes)->Unit(benchmark::kMillisecond);

// 10,000 command lines (the generated one with a varying hugepage count)
void BM_Grammar_Cmdline(benchmark::State& state) {
    std::string text;
    auto base = il::bench::kernel_cmdline();
    base.pop_back();
    for (int i = 0; i < 10000; ++i) text += base + " hugepages=" + std::to_string(i) + "\n";
    per_line(state, text, [](std::string_view l) {
        auto c = il::grammars::cmdline::parse_cmdline(l);
        return c && il::grammars::cmdline::is_kernel_cmdline(*c);
    });
}
BENCHMARK(BM_Grammar_Cmdline)->Unit(benchmark::kMillisecond);

void BM_Grammar_Proxmox(benchmark::State& state) {
    per_line(state, il::bench::proxmox_config(generated_host(1000), 101, 1000),
             [](std::string_view l) {
                 auto c = il::grammars::proxmox::parse_config_line(l);
                 if (!c) return il::grammars::proxmox::parse_section(l).has_value();
                 if (il::grammars::proxmox::hostpci_index(c->key)) {
                     std::string err;
                     return il::grammars::proxmox::parse_hostpci(c->value, &err).has_value();
                 }
                 return true;
             });
}
BENCHMARK(BM_Grammar_Proxmox)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
