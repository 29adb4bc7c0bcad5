#include "cli/sim_options.hpp"

#include <fstream>
#include <iostream>

namespace il::cli {

const std::vector<std::string>& sim_option_names() {
    static const std::vector<std::string> names = {"acs-override", "kernel", "override-placement"};
    return names;
}

namespace {

// --kernel VERSION
std::optional<sim::KernelVersion> kernel_from_args(const Args& a) {
    auto k = a.get("kernel");
    if (!k) return std::nullopt;
    auto kv = sim::KernelVersion::parse(*k);
    if (!kv)
        throw UsageError("--kernel: \"" + *k +
                         "\" is not a kernel version (e.g. 6.8 or 6.8.12-4-pve)");
    return kv;
}

// --acs-override MODES|none: nothing when absent; an empty configuration for "none"
std::optional<sim::OverrideConfig> override_from_args(const Args& a) {
    auto ov = a.get("acs-override");
    if (!ov) return std::nullopt;
    if (*ov == "none") return sim::OverrideConfig{};
    auto cfg = sim::parse_acs_override(*ov);
    if (!cfg.any())
        throw UsageError(
            "--acs-override: \"" + *ov +
            "\" enables nothing (modes: downstream, multifunction, id:vvvv:dddd; or none)");
    return cfg;
}

} // namespace

sim::Policy policy_from_args(const model::Host& h, const Args& a) {
    auto p = sim::policy_as_booted(h, kernel_from_args(a));
    if (auto pl = a.get("override-placement")) {
        if (*pl == "proxmox")
            p.placement = sim::OverridePlacement::proxmox;
        else if (*pl == "end")
            p.placement = sim::OverridePlacement::end_of_table;
        else
            throw UsageError("--override-placement must be proxmox or end");
    }
    if (auto cfg = override_from_args(a)) {
        if (!cfg->any()) return sim::with_override(p, {}, "--acs-override none");
        for (const auto& w : cfg->warnings) p.notes.push_back("--acs-override: " + w);
        p = sim::with_override(p, *cfg, "--acs-override");
    }
    return p;
}

std::vector<linter::PassthroughRequest> passthrough_from_args(const Args& a) {
    std::vector<linter::PassthroughRequest> out;
    for (const auto& s : a.all("passthrough")) {
        auto r = linter::PassthroughRequest::parse(s);
        if (!r)
            throw UsageError(
                "--passthrough: \"" + s +
                "\" is not a PCI address (bb:dd.f, dddd:bb:dd.f, or bb:dd for a whole slot)");
        out.push_back(*r);
    }
    return out;
}

linter::LintOptions lint_options_from_args(const Args& a) {
    linter::LintOptions o;
    o.passthrough = passthrough_from_args(a);
    o.kernel = kernel_from_args(a);
    if (auto cfg = override_from_args(a)) {
        o.acs_override = *cfg;
        if (!cfg->any()) o.acs_override_origin = "--acs-override none";
    }
    return o;
}

void write_output(const Args& a, const std::string& text) {
    auto file = a.get("o");
    if (!file) file = a.get("output");
    if (!file || *file == "-") {
        std::cout << text;
        return;
    }
    std::ofstream out(*file, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw UsageError("cannot write " + *file);
}

} // namespace il::cli
