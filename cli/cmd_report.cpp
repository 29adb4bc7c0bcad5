// iommu-lint report INPUT... -o report.html [--acs-override MODES|none] [--passthrough BDF]...
//                            [--docs-base PREFIX] [--no-svg]
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/sim_options.hpp"
#include "model/ingest.hpp"
#include "report/html.hpp"

namespace il::cli {

int cmd_report(const std::vector<std::string>& argv) {
    auto opts = sim_option_names();
    for (const char* o : {"o", "output", "passthrough", "docs-base"}) opts.push_back(o);
    auto a = parse_args(argv, opts, {"no-svg"});
    if (a.inputs.empty())
        throw UsageError("report needs at least one INPUT (file, directory, archive or -)");
    if (!a.get("o") && !a.get("output"))
        throw UsageError("report needs -o FILE.html (or -o - for standard output)");
    report::HtmlInput in;
    in.lint = lint_options_from_args(a);
    if (auto d = a.get("docs-base")) in.docs_base = *d;
    in.tool_version = "iommu-lint 0.1.0";
    in.render_svg = !a.has("no-svg");
    auto snap = model::ingest_paths(a.inputs);
    for (const auto& h : snap.hosts) in.hosts.push_back({&h, policy_from_args(h, a)});
    write_output(a, report::html_report(in));
    return 0;
}

} // namespace il::cli
