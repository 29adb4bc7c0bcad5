#include "linter/lint.hpp"

#include "linter/registry.hpp"
#include "linter/rule.hpp"
#include "model/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace il::linter {

std::string_view to_string(Severity s) {
    switch (s) {
    case Severity::note:
        return "note";
    case Severity::warning:
        return "warning";
    case Severity::error:
        return "error";
    }
    return "note";
}

std::optional<Severity> severity_from_string(std::string_view s) {
    if (s == "note") return Severity::note;
    if (s == "warning") return Severity::warning;
    if (s == "error") return Severity::error;
    return std::nullopt;
}

Finding& Findings::add(Severity s, std::string message, std::string key) {
    Finding f;
    f.code = std::string(rule_.code());
    f.rule_name = std::string(rule_.name());
    f.severity = s;
    f.host = cx_.host.name;
    f.message = std::move(message);
    f.key = std::move(key);
    out_.push_back(std::move(f));
    return out_.back();
}

namespace {

bool starts_with_ci(std::string_view code, std::string_view prefix) {
    if (prefix.size() > code.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(code[i])) !=
            std::toupper(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

std::vector<std::string> split_codes(const std::vector<std::string>& args, const char* what) {
    std::vector<std::string> out;
    for (const auto& a : args) {
        std::string cur;
        auto flush = [&] {
            std::string t;
            for (char c : cur)
                if (c != ' ' && c != '\t')
                    t.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            cur.clear();
            if (t.empty()) return;
            bool any = false;
            for (const auto* r : all_rules())
                if (starts_with_ci(r->code(), t)) any = true;
            if (!any)
                throw std::invalid_argument(std::string(what) + ": \"" + t +
                                            "\" matches no rule code (codes look like IL102; a "
                                            "prefix such as IL1 selects a family)");
            out.push_back(t);
        };
        for (char c : a) {
            if (c == ',')
                flush();
            else
                cur.push_back(c);
        }
        flush();
    }
    return out;
}

} // namespace

bool Selection::selected(std::string_view code) const {
    bool in = select.empty();
    for (const auto& s : select)
        if (starts_with_ci(code, s)) in = true;
    if (!in) return false;
    for (const auto& s : ignore)
        if (starts_with_ci(code, s)) return false;
    return true;
}

Selection Selection::parse(const std::vector<std::string>& select_args,
                           const std::vector<std::string>& ignore_args) {
    Selection s;
    s.select = split_codes(select_args, "--select");
    s.ignore = split_codes(ignore_args, "--ignore");
    return s;
}

std::string fingerprint(std::string_view code, std::string_view host, std::string_view key) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 0x100000001b3ull;
        }
        h ^= 0xff; // separator
        h *= 0x100000001b3ull;
    };
    mix(code);
    mix(host);
    mix(key);
    char b[20];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
    return b;
}

HostReport lint_host(const model::Host& host, const LintOptions& opts, const Selection& sel) {
    LintContext cx(host, opts);
    HostReport rep;
    rep.host = host.name;
    rep.policy = cx.booted().policy.describe();
    for (std::size_t i = 1; i < host.files.size(); ++i) rep.files.push_back(host.files[i]);
    for (const auto* r : all_rules()) {
        if (!sel.selected(r->code())) continue;
        Findings f(*r, cx);
        r->check(cx, f);
        for (auto& x : f.all()) {
            x.fingerprint = fingerprint(x.code, x.host, x.key);
            for (auto& e : x.evidence) {
                if (!e.src.file || e.src.file >= host.files.size()) continue;
                e.where = host.where(e.src);
                e.file = host.files[e.src.file];
                e.line = e.src.line;
            }
            rep.findings.push_back(std::move(x));
        }
    }
    return rep;
}

Baseline Baseline::parse(const std::string& text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("not JSON: ") + e.what());
    }
    if (!j.is_object() || !j.contains("iommu_lint_baseline") || !j.contains("findings") ||
        !j["findings"].is_array())
        throw std::runtime_error(
            "not an iommu-lint baseline (expected {\"iommu_lint_baseline\": 1, "
            "\"findings\": [...]}, as --write-baseline writes)");
    Baseline b;
    for (const auto& f : j["findings"]) {
        if (f.is_string()) {
            b.fingerprints.insert(f.get<std::string>());
        } else if (f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string()) {
            b.fingerprints.insert(f["fingerprint"].get<std::string>());
        } else {
            throw std::runtime_error("baseline entry without a \"fingerprint\" string");
        }
    }
    return b;
}

std::string Baseline::write(const std::vector<HostReport>& reports) {
    nlohmann::json j;
    j["iommu_lint_baseline"] = 1;
    j["findings"] = nlohmann::json::array();
    for (const auto& r : reports)
        for (const auto& f : r.findings)
            j["findings"].push_back({{"fingerprint", f.fingerprint},
                                     {"code", f.code},
                                     {"host", f.host},
                                     {"message", f.message}});
    return model::dump_json(j) + "\n";
}

void Baseline::apply(HostReport& r) const {
    const auto before = r.findings.size();
    r.findings.erase(
        std::remove_if(r.findings.begin(), r.findings.end(),
                       [&](const Finding& f) { return fingerprints.count(f.fingerprint) > 0; }),
        r.findings.end());
    r.suppressed += before - r.findings.size();
}

std::optional<Severity> worst(const std::vector<HostReport>& reports) {
    std::optional<Severity> w;
    for (const auto& r : reports)
        for (const auto& f : r.findings)
            if (!w || f.severity > *w) w = f.severity;
    return w;
}

} // namespace il::linter
