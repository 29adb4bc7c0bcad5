#include "report/lint_output.hpp"

#include "linter/registry.hpp"

#include <map>
#include <set>

namespace il::report {

using nlohmann::json;

std::string path_to_uri(const std::string& path) {
    auto enc = [](const std::string& s) {
        std::string out;
        static const char* hex = "0123456789ABCDEF";
        for (unsigned char c : s) {
            const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                              c == '~' || c == '/';
            if (keep) {
                out.push_back(static_cast<char>(c));
            } else {
                out.push_back('%');
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
            }
        }
        return out;
    };
    if (!path.empty() && path[0] == '/') return "file://" + enc(path);
    return enc(path);
}

namespace {

// SARIF's levels are the linter's own words: error, warning, note
std::string sarif_level(linter::Severity s) {
    return std::string(linter::to_string(s));
}

json location(const std::string& file, std::uint32_t line) {
    json pl;
    pl["artifactLocation"] = {{"uri", path_to_uri(file)}};
    if (line > 0) pl["region"] = {{"startLine", line}};
    return {{"physicalLocation", pl}};
}

} // namespace

nlohmann::json lint_sarif(const std::vector<linter::HostReport>& reports,
                          const LintOutputOptions& o) {
    json rules = json::array();
    std::map<std::string, std::size_t> index;
    for (const auto* r : linter::all_rules()) {
        index[std::string(r->code())] = rules.size();
        rules.push_back({{"id", std::string(r->code())},
                         {"name", std::string(r->name())},
                         {"shortDescription", {{"text", std::string(r->summary())}}},
                         {"helpUri", rule_doc(o, r->code())},
                         {"defaultConfiguration", {{"level", sarif_level(r->severity())}}}});
    }
    json results = json::array();
    for (const auto& rep : reports) {
        for (const auto& f : rep.findings) {
            json res;
            res["ruleId"] = f.code;
            if (auto it = index.find(f.code); it != index.end()) res["ruleIndex"] = it->second;
            res["level"] = sarif_level(f.severity);
            std::string text = f.message;
            if (!f.fix.empty()) text += " Fix: " + f.fix;
            res["message"] = {{"text", text}};
            json locs = json::array();
            std::set<std::pair<std::string, std::uint32_t>> seen;
            for (const auto& e : f.evidence) {
                if (e.file.empty() || !seen.insert({e.file, e.line}).second) continue;
                locs.push_back(location(e.file, e.line));
                if (locs.size() == 10) break;
            }
            if (locs.empty() && !rep.files.empty()) locs.push_back(location(rep.files.front(), 0));
            if (!locs.empty()) res["locations"] = locs;
            res["partialFingerprints"] = {{"iommuLintFinding/v1", f.fingerprint}};
            json props;
            props["host"] = f.host;
            props["rule"] = f.rule_name;
            if (!f.fix.empty()) props["fix"] = f.fix;
            json devs = json::array();
            for (const auto& b : f.devices) devs.push_back(b.str());
            props["devices"] = devs;
            res["properties"] = props;
            results.push_back(res);
        }
    }
    json driver{{"name", "iommu-lint"},
                {"version", "0.1.0"},
                {"semanticVersion", "0.1.0"},
                {"rules", rules}};
    json run{{"tool", {{"driver", driver}}}, {"results", results}};
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({run})}};
}

} // namespace il::report
