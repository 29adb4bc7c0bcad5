// The whole pipeline on arbitrary input: ingest (every adapter, every grammar), the grouping
// simulation and every lint rule. An input may hold several files, separated by a line with a
// single form feed ("\f"), so that facts from different files meet (merges, conflicts).
// Unusable input must end in model::IngestError; any other exception is a bug.
#include "fuzz_util.hpp"
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = il::fuzz::as_text(data, size);
    std::vector<il::model::FileInput> files;
    std::size_t start = 0;
    for (std::size_t pos = 0; pos <= text.size();) {
        const auto sep = text.find("\n\f\n", pos);
        const auto end = sep == std::string_view::npos ? text.size() : sep + 1;
        files.push_back({"file" + std::to_string(files.size()) + ".txt",
                         std::string(text.substr(start, end - start)), files.size() % 2 == 1});
        if (sep == std::string_view::npos) break;
        start = pos = sep + 3;
    }
    il::model::Host host;
    try {
        host = il::model::ingest_host("fuzz", files);
    } catch (const il::model::IngestError&) {
        return 0;
    }
    const auto r = il::sim::simulate(host, il::sim::policy_as_booted(host));
    if (r.grouping.group_of.size() != host.devices.size()) __builtin_trap();
    const auto report = il::linter::lint_host(host, {}, {});
    (void)report;
    // the snapshot survives its JSON form
    il::model::Snapshot snap;
    snap.hosts.push_back(std::move(host));
    const auto back =
        il::model::snapshot_from_json_text(il::model::dump_json(il::model::to_json(snap)), "fuzz");
    if (back.hosts.size() != 1 || back.hosts[0].devices.size() != snap.hosts[0].devices.size())
        __builtin_trap();
    return 0;
}
