#include "report/lint_output.hpp"

#include <map>

namespace il::report {

using nlohmann::json;

nlohmann::json lint_json(const std::vector<linter::HostReport>& reports,
                         const LintOutputOptions& o) {
    json j;
    j["tool"] = "iommu-lint";
    j["version"] = "0.1.0";
    j["hosts"] = json::array();
    std::map<std::string, std::size_t> total{{"error", 0}, {"warning", 0}, {"note", 0}};
    std::size_t suppressed = 0;
    for (const auto& r : reports) {
        json h;
        h["name"] = r.host;
        h["policy"] = r.policy;
        h["files"] = r.files;
        h["findings"] = json::array();
        std::map<std::string, std::size_t> counts{{"error", 0}, {"warning", 0}, {"note", 0}};
        for (const auto& f : r.findings) {
            json fj;
            fj["code"] = f.code;
            fj["rule"] = f.rule_name;
            fj["severity"] = std::string(linter::to_string(f.severity));
            fj["message"] = f.message;
            fj["evidence"] = json::array();
            for (const auto& e : f.evidence) {
                json ej{{"text", e.text}};
                if (!e.file.empty()) {
                    ej["file"] = e.file;
                    ej["line"] = e.line;
                    ej["where"] = e.where;
                }
                fj["evidence"].push_back(ej);
            }
            fj["fix"] = f.fix;
            fj["devices"] = json::array();
            for (const auto& b : f.devices) fj["devices"].push_back(b.str());
            fj["fingerprint"] = f.fingerprint;
            fj["help"] = rule_doc(o, f.code);
            h["findings"].push_back(fj);
            ++counts[std::string(linter::to_string(f.severity))];
            ++total[std::string(linter::to_string(f.severity))];
        }
        h["counts"] = counts;
        h["suppressed"] = r.suppressed;
        suppressed += r.suppressed;
        j["hosts"].push_back(h);
    }
    j["summary"] = {{"hosts", reports.size()}, {"counts", total}, {"suppressed", suppressed}};
    return j;
}

} // namespace il::report
