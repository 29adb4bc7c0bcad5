// Rendering lint results: text (grouped by severity), JSON, SARIF 2.1.0 and GitHub workflow
// annotations.
#pragma once

#include "linter/lint.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace il::report {

struct LintOutputOptions {
    bool colour = false;                   // ANSI colours (text only)
    std::string docs_base = "docs/rules/"; // prefix of the rule pages (helpUri, "see ...")
};

// docs_base + CODE + ".md"
std::string rule_doc(const LintOutputOptions& o, std::string_view code);

void lint_text(std::ostream& os, const std::vector<linter::HostReport>& reports,
               const LintOutputOptions& o);
nlohmann::json lint_json(const std::vector<linter::HostReport>& reports,
                         const LintOutputOptions& o);
nlohmann::json lint_sarif(const std::vector<linter::HostReport>& reports,
                          const LintOutputOptions& o);
void lint_github(std::ostream& os, const std::vector<linter::HostReport>& reports,
                 const LintOutputOptions& o);

// A path as a SARIF/URI reference: absolute paths become file:// URIs; characters outside the
// URI's unreserved set are percent-encoded.
std::string path_to_uri(const std::string& path);

} // namespace il::report
