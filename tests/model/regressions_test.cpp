// Inputs that once crashed, hung or exhausted memory (found by the fuzz targets in
// tests/fuzz/, or by the hardness tests): tests/regressions/<name-of-the-defect>/. Every file
// of such a folder is one input file of one host (README.md describes the defect and is not
// read). Each must end in a clean result, simulated and linted, or a clean IngestError.
// A folder may hold expect.txt: "error: <text>" (the IngestError must contain it) or
// "devices: N" (the host has N devices).
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "report/lint_output.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace il::model;

namespace {

std::vector<fs::path> regression_dirs() {
    std::vector<fs::path> out;
    const auto root = il::test::source_dir() / "tests" / "regressions";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec))
        if (e.is_directory()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

} // namespace

TEST(Regressions, EveryRecordedInputEndsCleanly) {
    const auto dirs = regression_dirs();
    if (dirs.empty()) GTEST_SKIP() << "no regression inputs under tests/regressions";
    for (const auto& dir : dirs) {
        SCOPED_TRACE(dir.filename().string());
        std::vector<FileInput> files;
        std::string expect;
        std::vector<fs::path> paths;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file()) paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& p : paths) {
            const auto name = p.filename().string();
            if (name == "README.md") continue;
            if (name == "expect.txt") {
                expect = trim(il::test::read_file(p));
                continue;
            }
            files.push_back({name, il::test::read_file(p), false});
        }
        ASSERT_FALSE(files.empty());
        std::string error;
        Host host;
        try {
            host = ingest_host(dir.filename().string(), files);
        } catch (const IngestError& e) {
            error = e.what();
        }
        if (expect.rfind("error: ", 0) == 0) {
            EXPECT_NE(error.find(expect.substr(7)), std::string::npos) << error;
            continue;
        }
        if (!error.empty()) {
            EXPECT_TRUE(expect.empty()) << "unexpected error: " << error;
            continue;
        }
        const auto r = il::sim::simulate(host, il::sim::policy_as_booted(host));
        EXPECT_EQ(r.grouping.group_of.size(), host.devices.size());
        const auto report = il::linter::lint_host(host, {}, {});
        EXPECT_EQ(report.host, host.name);
        // every JSON document the tool writes of it, and the snapshot reads back
        EXPECT_FALSE(dump_json(il::report::lint_json({report}, {})).empty());
        EXPECT_FALSE(dump_json(il::report::lint_sarif({report}, {})).empty());
        Snapshot snap;
        snap.hosts.push_back(host);
        const auto back = snapshot_from_json_text(dump_json(to_json(snap)), "back.json");
        ASSERT_EQ(back.hosts.size(), 1u);
        EXPECT_EQ(back.hosts[0].devices.size(), host.devices.size());
        if (expect.rfind("devices: ", 0) == 0) {
            EXPECT_EQ(std::to_string(host.devices.size()), expect.substr(9));
        }
    }
}
