// `iommu-lint report`: one self-contained HTML page (inline CSS, the topology SVG inline, no
// scripts, no external URLs) per set of hosts: summary, picture, groups as booted and with each
// override mode, the lint findings (linked to their rule pages, with the rule's one-line
// summary), and what the inputs leave unknown. Every input-derived text is escaped.
#pragma once

#include "linter/context.hpp"
#include "model/snapshot.hpp"
#include "sim/policy.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace il::report {

// &, <, >, " and ' as entities; control characters other than tab/newline dropped; invalid
// UTF-8 bytes replaced by U+FFFD.
std::string html_escape(std::string_view s);

struct HtmlHost {
    const model::Host* host = nullptr;
    sim::Policy policy; // the policy to show "as booted" (may carry --acs-override)
};

struct HtmlInput {
    std::vector<HtmlHost> hosts;
    linter::LintOptions lint; // passthrough targets (besides VM configs), kernel, override
    std::string docs_base = "docs/rules/"; // rule pages: docs_base + CODE + ".md" (relative link)
    std::string tool_version;              // "iommu-lint 0.1.0"
    bool render_svg = true;                // run Graphviz for the picture (else the text tree only)
};

std::string html_report(const HtmlInput& in);

} // namespace il::report
