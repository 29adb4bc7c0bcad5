#include "report/lint_output.hpp"

namespace il::report {

namespace {

// workflow command escaping: data escapes %, CR, LF; property values also : and ,
std::string esc_data(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '%')
            o += "%25";
        else if (c == '\r')
            o += "%0D";
        else if (c == '\n')
            o += "%0A";
        else
            o.push_back(c);
    }
    return o;
}

std::string esc_prop(const std::string& s) {
    std::string o;
    for (char c : esc_data(s)) {
        if (c == ':')
            o += "%3A";
        else if (c == ',')
            o += "%2C";
        else
            o.push_back(c);
    }
    return o;
}

const char* gh_level(linter::Severity s) {
    switch (s) {
    case linter::Severity::error:
        return "error";
    case linter::Severity::warning:
        return "warning";
    case linter::Severity::note:
        return "notice";
    }
    return "notice";
}

} // namespace

void lint_github(std::ostream& os, const std::vector<linter::HostReport>& reports,
                 const LintOutputOptions& o) {
    for (const auto& r : reports) {
        for (const auto& f : r.findings) {
            std::string file;
            std::uint32_t line = 0;
            for (const auto& e : f.evidence)
                if (!e.file.empty()) {
                    file = e.file;
                    line = e.line;
                    break;
                }
            if (file.empty() && !r.files.empty()) file = r.files.front();
            os << "::" << gh_level(f.severity) << " ";
            bool first = true;
            auto prop = [&](const std::string& k, const std::string& v) {
                os << (first ? "" : ",") << k << "=" << esc_prop(v);
                first = false;
            };
            if (!file.empty()) prop("file", file);
            if (line > 0) prop("line", std::to_string(line));
            prop("title", f.code);
            std::string msg = f.rule_name + " (host " + f.host + "): " + f.message;
            if (!f.fix.empty()) msg += "\nFix: " + f.fix;
            msg += "\nSee " + rule_doc(o, f.code);
            os << "::" << esc_data(msg) << "\n";
        }
    }
}

} // namespace il::report
