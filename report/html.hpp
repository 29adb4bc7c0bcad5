// `iommu-lint report`: one self-contained HTML page (inline CSS, the topology SVG inline, no
// scripts, no external URLs) per set of hosts: summary, picture, groups as booted and with each
// override mode, and what the inputs leave unknown. Every input-derived text is escaped.
#pragma once

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
    std::vector<model::Bdf> passthrough; // besides the hosts' VM configs
    std::string tool_version;            // "iommu-lint 0.1.0"
    bool render_svg = true;              // run Graphviz for the picture (else the text tree only)
};

std::string html_report(const HtmlInput& in);

} // namespace il::report
