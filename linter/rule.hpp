// A lint rule: one class per rule (linter/rules/ilNNN_*.cpp), registered once in
// linter/registry.cpp. Codes are stable and never reused; docs/rules/<CODE>.md documents each.
#pragma once

#include "linter/context.hpp"
#include "linter/finding.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace il::linter {

class Rule;

// Collects what one rule reports for one host.
class Findings {
public:
    Findings(const Rule& rule, const LintContext& cx) : rule_(rule), cx_(cx) {}
    // A new finding; `key` identifies it among this rule's findings on this host (stable across
    // runs: device addresses and the like, never counts or line numbers).
    Finding& add(Severity s, std::string message, std::string key);
    std::vector<Finding>& all() { return out_; }

private:
    const Rule& rule_;
    const LintContext& cx_;
    std::vector<Finding> out_;
};

class Rule {
public:
    Rule(std::string_view code, std::string_view name, Severity severity, std::string_view summary)
        : code_(code), name_(name), severity_(severity), summary_(summary) {}
    virtual ~Rule() = default;
    Rule(const Rule&) = delete;
    Rule& operator=(const Rule&) = delete;

    std::string_view code() const { return code_; }       // "IL102"
    std::string_view name() const { return name_; }       // "passthrough-shares-group"
    Severity severity() const { return severity_; }       // the highest severity it reports
    std::string_view summary() const { return summary_; } // one line

    virtual void check(const LintContext& cx, Findings& out) const = 0;

private:
    std::string_view code_, name_;
    Severity severity_;
    std::string_view summary_;
};

} // namespace il::linter
