#include "report/lint_output.hpp"

#include "linter/registry.hpp"

#include <map>

namespace il::report {

std::string rule_doc(const LintOutputOptions& o, std::string_view code) {
    return o.docs_base + std::string(code) + ".md";
}

namespace {

const char* colour_of(linter::Severity s) {
    switch (s) {
    case linter::Severity::error:
        return "\033[1;31m";
    case linter::Severity::warning:
        return "\033[1;33m";
    case linter::Severity::note:
        return "\033[1;36m";
    }
    return "";
}

std::string counts_text(std::size_t e, std::size_t w, std::size_t n) {
    auto c = [](std::size_t k, const char* one, const char* many) {
        return std::to_string(k) + " " + (k == 1 ? one : many);
    };
    return c(e, "error", "errors") + ", " + c(w, "warning", "warnings") + ", " +
           c(n, "note", "notes");
}

} // namespace

void lint_text(std::ostream& os, const std::vector<linter::HostReport>& reports,
               const LintOutputOptions& o) {
    const char* bold = o.colour ? "\033[1m" : "";
    const char* dim = o.colour ? "\033[2m" : "";
    const char* reset = o.colour ? "\033[0m" : "";
    std::size_t te = 0, tw = 0, tn = 0, supp = 0;
    for (const auto& r : reports) {
        std::size_t e = 0, w = 0, n = 0;
        for (const auto& f : r.findings)
            (f.severity == linter::Severity::error     ? e
             : f.severity == linter::Severity::warning ? w
                                                       : n)++;
        te += e;
        tw += w;
        tn += n;
        supp += r.suppressed;
        os << bold << "host " << r.host << reset << ": " << counts_text(e, w, n);
        if (r.suppressed) os << " (" << r.suppressed << " baselined)";
        os << "\n" << dim << "  " << r.policy << reset << "\n";
        for (auto sev :
             {linter::Severity::error, linter::Severity::warning, linter::Severity::note}) {
            for (const auto& f : r.findings) {
                if (f.severity != sev) continue;
                os << "\n"
                   << (o.colour ? colour_of(sev) : "") << linter::to_string(sev) << "[" << f.code
                   << "]" << reset << " " << bold << f.rule_name << reset << "\n";
                os << "  " << f.message << "\n";
                if (!f.evidence.empty()) {
                    os << "  evidence:\n";
                    for (const auto& ev : f.evidence) {
                        os << "    - " << ev.text;
                        if (!ev.where.empty()) os << dim << "  (" << ev.where << ")" << reset;
                        os << "\n";
                    }
                }
                if (!f.fix.empty()) os << "  fix: " << f.fix << "\n";
                os << dim << "  see " << rule_doc(o, f.code) << reset << "\n";
            }
        }
        os << "\n";
    }
    if (reports.size() > 1) {
        os << bold << reports.size() << " hosts" << reset << ": " << counts_text(te, tw, tn);
        if (supp) os << " (" << supp << " baselined)";
        os << "\n";
    }
}

} // namespace il::report
