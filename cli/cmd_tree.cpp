// iommu-lint tree INPUT... --format text|dot|svg [-o FILE] [--acs-override MODES|none]
//                          [--passthrough BDF]...
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/sim_options.hpp"
#include "model/ingest.hpp"
#include "model/topology.hpp"
#include "report/dot.hpp"
#include "report/tree.hpp"
#include "sim/grouping.hpp"

#include <sstream>

namespace il::cli {

int cmd_tree(const std::vector<std::string>& argv) {
    auto opts = sim_option_names();
    for (const char* o : {"format", "o", "output", "passthrough"}) opts.push_back(o);
    auto a = parse_args(argv, opts, {});
    const auto fmt = a.get("format").value_or("text");
    if (fmt != "text" && fmt != "dot" && fmt != "svg")
        throw UsageError("--format must be text, dot or svg");
    if (a.inputs.empty())
        throw UsageError("tree needs at least one INPUT (file, directory, archive or -)");
    const auto passthrough = passthrough_from_args(a);
    auto snap = model::ingest_paths(a.inputs);
    if (fmt == "svg" && snap.hosts.size() != 1)
        throw UsageError("--format svg draws one host, the inputs hold " +
                         std::to_string(snap.hosts.size()) +
                         " (use --format dot, or one INPUT host)");
    std::ostringstream out;
    for (const auto& h : snap.hosts) {
        model::Topology topo(h);
        const auto shown = sim::simulate(h, topo, policy_from_args(h, a));
        std::optional<sim::SimResult> baseline;
        if (shown.policy.override_cfg.any())
            baseline = sim::simulate(h, topo, sim::with_override(shown.policy, {}, "no override"));
        const auto tree = report::build_tree(h, topo, shown, baseline ? &*baseline : nullptr,
                                             report::expand_passthrough(h, passthrough));
        if (fmt == "text") {
            report::tree_text(out, h, tree);
            continue;
        }
        const auto dot = report::tree_dot(h, tree);
        if (fmt == "dot") {
            out << dot;
            continue;
        }
        auto svg = report::dot_to_svg(dot);
        if (!svg.ok) throw UsageError(svg.error);
        out << svg.svg;
    }
    write_output(a, out.str());
    return 0;
}

} // namespace il::cli
