#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/sim_options.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "model/topology.hpp"
#include "report/groups.hpp"
#include "sim/compare.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"

#include <iostream>

namespace il::cli {

namespace {

const std::vector<std::string> k_sim_opts = {"format", "acs-override", "kernel",
                                             "override-placement"};

std::string check_format(const Args& a) {
    const auto fmt = a.get("format").value_or("text");
    if (fmt != "text" && fmt != "json") throw UsageError("--format must be text or json");
    return fmt;
}

model::Snapshot load(const Args& a) {
    if (a.inputs.empty()) throw UsageError("needs at least one INPUT (file, directory or -)");
    return model::ingest_paths(a.inputs);
}

} // namespace

int cmd_groups(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, k_sim_opts, {});
    const auto fmt = check_format(a);
    auto snap = load(a);
    nlohmann::json out;
    out["hosts"] = nlohmann::json::array();
    for (const auto& h : snap.hosts) {
        model::Topology topo(h);
        auto r = sim::simulate(h, topo, policy_from_args(h, a));
        auto c = sim::compare_observed(h, r.grouping);
        if (fmt == "json")
            out["hosts"].push_back(report::groups_json(h, r, c));
        else
            report::groups_text(std::cout, h, r, c);
    }
    if (fmt == "json") std::cout << model::dump_json(out) << "\n";
    return 0;
}

int cmd_explain(const std::vector<std::string>& argv) {
    auto opts = k_sim_opts;
    opts.push_back("device");
    auto a = parse_args(argv, opts, {});
    const auto fmt = check_format(a);
    auto want = a.get("device");
    if (!want) throw UsageError("explain needs --device BDF");
    auto bdf = model::Bdf::parse(*want);
    if (!bdf)
        throw UsageError("--device: \"" + *want +
                         "\" is not a PCI address (bb:dd.f or dddd:bb:dd.f)");
    auto snap = load(a);
    nlohmann::json out;
    out["hosts"] = nlohmann::json::array();
    bool found = false;
    for (const auto& h : snap.hosts) {
        const model::Device* d = h.find(*bdf);
        if (!d) continue;
        found = true;
        const auto idx = static_cast<std::size_t>(d - h.devices.data());
        model::Topology topo(h);
        auto r = sim::simulate(h, topo, policy_from_args(h, a));
        if (fmt == "json")
            out["hosts"].push_back(report::explain_json(h, topo, r, idx));
        else
            report::explain_text(std::cout, h, topo, r, idx);
    }
    if (!found) throw UsageError("no input host has device " + bdf->str());
    if (fmt == "json") std::cout << model::dump_json(out) << "\n";
    return 0;
}

int cmd_diff(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, k_sim_opts, {});
    const auto fmt = check_format(a);
    if (!a.get("acs-override")) throw UsageError("diff needs --acs-override MODES");
    auto snap = load(a);
    nlohmann::json out;
    out["hosts"] = nlohmann::json::array();
    for (const auto& h : snap.hosts) {
        model::Topology topo(h);
        auto after_p = policy_from_args(h, a);
        auto before_p = sim::with_override(after_p, {}, "no override");
        auto before = sim::simulate(h, topo, before_p);
        auto after = sim::simulate(h, topo, after_p);
        if (fmt == "json")
            out["hosts"].push_back(report::diff_json(h, before, after));
        else
            report::diff_text(std::cout, h, before, after);
    }
    if (fmt == "json") std::cout << model::dump_json(out) << "\n";
    return 0;
}

} // namespace il::cli
