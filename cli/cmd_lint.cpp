// iommu-lint lint INPUT...: run the lint rules over one or more hosts.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/sim_options.hpp"
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "report/lint_output.hpp"

#include <atomic>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace il::cli {

namespace {

const std::vector<std::string> k_lint_opts = {
    "format",      "fail-on", "baseline", "write-baseline", "select",   "ignore",
    "passthrough", "jobs",    "kernel",   "acs-override",   "docs-base"};

// Inputs that become hosts independently: each directory alone; files and "-" together.
std::vector<std::vector<std::string>> units_of(const std::vector<std::string>& inputs) {
    std::vector<std::vector<std::string>> units;
    std::vector<std::string> loose;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (in != "-" && std::filesystem::is_directory(in, ec))
            units.push_back({in});
        else
            loose.push_back(in);
    }
    if (!loose.empty()) units.push_back(loose);
    return units;
}

} // namespace

int cmd_lint(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, k_lint_opts, {});
    if (a.inputs.empty()) throw UsageError("needs at least one INPUT (file, directory or -)");
    const auto fmt = a.get("format").value_or("text");
    if (fmt != "text" && fmt != "json" && fmt != "sarif" && fmt != "github")
        throw UsageError("--format must be text, json, sarif or github");
    const auto fail_on = a.get("fail-on").value_or("error");
    std::optional<linter::Severity> threshold;
    if (fail_on != "never") {
        threshold = linter::severity_from_string(fail_on);
        if (!threshold) throw UsageError("--fail-on must be error, warning, note or never");
    }
    linter::Selection sel;
    try {
        sel = linter::Selection::parse(a.all("select"), a.all("ignore"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    if (auto j = a.get("jobs")) {
        char* end = nullptr;
        const long v = std::strtol(j->c_str(), &end, 10);
        if (j->empty() || *end != '\0' || v < 1 || v > 1024)
            throw UsageError("--jobs must be a whole number from 1 to 1024");
        jobs = static_cast<unsigned>(v);
    }
    std::optional<linter::Baseline> baseline;
    if (auto b = a.get("baseline")) {
        try {
            const auto text = model::read_file(*b);
            if (!text) throw UsageError("--baseline: cannot read " + *b);
            baseline = linter::Baseline::parse(*text);
        } catch (const std::runtime_error& e) {
            if (dynamic_cast<const UsageError*>(&e)) throw;
            throw UsageError("--baseline " + *b + ": " + e.what());
        }
    }
    const auto opts = lint_options_from_args(a);

    // ingest and lint each unit on its own thread; results land in input order
    const auto units = units_of(a.inputs);
    std::vector<std::vector<linter::HostReport>> results(units.size());
    std::vector<std::exception_ptr> errors(units.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (;;) {
            const std::size_t u = next.fetch_add(1);
            if (u >= units.size()) return;
            try {
                auto snap = model::ingest_paths(units[u]);
                for (const auto& h : snap.hosts)
                    results[u].push_back(linter::lint_host(h, opts, sel));
            } catch (...) {
                errors[u] = std::current_exception();
            }
        }
    };
    const unsigned n = std::min<unsigned>(jobs, static_cast<unsigned>(units.size()));
    if (n <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < n; ++t) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    std::vector<linter::HostReport> reports;
    for (auto& r : results)
        for (auto& h : r) reports.push_back(std::move(h));
    if (baseline)
        for (auto& r : reports) baseline->apply(r);

    report::LintOutputOptions oo;
    if (auto d = a.get("docs-base")) oo.docs_base = *d;
    oo.colour = fmt == "text" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    if (fmt == "text")
        report::lint_text(std::cout, reports, oo);
    else if (fmt == "json")
        std::cout << model::dump_json(report::lint_json(reports, oo)) << "\n";
    else if (fmt == "sarif")
        std::cout << model::dump_json(report::lint_sarif(reports, oo)) << "\n";
    else
        report::lint_github(std::cout, reports, oo);
    std::cout.flush();

    if (auto w = a.get("write-baseline")) {
        std::ofstream out(*w, std::ios::binary);
        if (!out) throw UsageError("--write-baseline: cannot write " + *w);
        out << linter::Baseline::write(reports);
        return 0;
    }
    const auto worst = linter::worst(reports);
    if (threshold && worst && *worst >= *threshold) return 1;
    return 0;
}

} // namespace il::cli
