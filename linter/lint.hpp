// Running the rules over hosts: selection by code, fingerprints, baselines.
#pragma once

#include "linter/context.hpp"
#include "linter/finding.hpp"
#include "model/snapshot.hpp"

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace il::linter {

// --select / --ignore: codes or prefixes ("IL1", "IL10", "IL102"), comma separated.
struct Selection {
    std::vector<std::string> select; // empty: every rule
    std::vector<std::string> ignore;
    bool selected(std::string_view code) const;
    // Throws std::invalid_argument naming the entry when a code or prefix matches no rule.
    static Selection parse(const std::vector<std::string>& select_args,
                           const std::vector<std::string>& ignore_args);
};

struct HostReport {
    std::string host;
    std::string policy;             // the as-booted policy, one line
    std::vector<std::string> files; // the host's input files
    std::vector<Finding> findings;  // in rule order
    std::size_t suppressed = 0;     // findings hidden by the baseline
};

// Runs every selected rule on one host.
HostReport lint_host(const model::Host& host, const LintOptions& opts, const Selection& sel);

// Stable identity of a finding: FNV-1a 64 of code, host and key, as 16 hex digits.
std::string fingerprint(std::string_view code, std::string_view host, std::string_view key);

// Accepted findings (--baseline FILE / --write-baseline FILE).
struct Baseline {
    std::set<std::string> fingerprints;
    // Throws std::runtime_error when the text is not a baseline file.
    static Baseline parse(const std::string& json_text);
    static std::string write(const std::vector<HostReport>& reports);
    // Removes baselined findings from the report (counted in `suppressed`).
    void apply(HostReport& r) const;
};

// The highest severity among the findings, if any.
std::optional<Severity> worst(const std::vector<HostReport>& reports);

} // namespace il::linter
