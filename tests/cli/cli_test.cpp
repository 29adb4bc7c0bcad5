// The command line end to end: exit codes, error messages, round trips.
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

using namespace il;

namespace {
std::string example() {
    return (test::source_dir() / "examples" / "workstation").string();
}
std::string tmp_file(const std::string& name, const std::string& content) {
    auto p = std::filesystem::temp_directory_path() / ("il_cli_" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
}
} // namespace

TEST(Cli, ParsePrintsSnapshotJsonThatReadsBack) {
    auto r = test::run_cli("parse --format json " + example());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["hosts"].size(), 1u);
    EXPECT_GT(j["hosts"][0]["devices"].size(), 20u);
    const auto file = tmp_file("snap.json", r.out);
    auto r2 = test::run_cli("parse --format json " + file);
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    EXPECT_EQ(nlohmann::json::parse(r2.out)["hosts"][0]["devices"], j["hosts"][0]["devices"]);
}

TEST(Cli, GroupsMatchTheKernelOnTheExample) {
    auto r = test::run_cli("groups --format json " + example());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["hosts"][0]["observed"]["match"], true);
    for (const auto& g : j["hosts"][0]["groups"]) {
        EXPECT_FALSE(g["reason"].get<std::string>().empty());
        for (const auto& d : g["devices"]) EXPECT_EQ(d.get<std::string>().size(), 12u);
    }
}

TEST(Cli, StdinIsOneHost) {
    const auto text =
        test::read_file(test::source_dir() / "examples" / "workstation" / "lspci-vvv.txt");
    auto r = test::run_cli("groups --format json -", text);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["hosts"][0]["observed"]["match"], true);
}

TEST(Cli, ExplainNamesTheDecidingBridge) {
    auto r = test::run_cli("explain " + example() + " --device 06:00.0");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("0000:00:1c.1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("group root"), std::string::npos);
}

TEST(Cli, DiffCallsOverrideSplitsLogicalOnly) {
    auto r = test::run_cli("diff --format json " + example() +
                           " --acs-override downstream,multifunction");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_FALSE(j["hosts"][0]["splits"].empty());
    for (const auto& s : j["hosts"][0]["splits"]) {
        EXPECT_EQ(s["hardware_enforced"], false);
        EXPECT_FALSE(s["depends_on"].empty());
    }
}

TEST(Cli, BadInputExitsTwoNamingFileAndLine) {
    auto empty = tmp_file("empty.txt", "");
    auto r = test::run_cli("parse " + empty);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(empty + ":"), std::string::npos) << r.err;

    auto garbage = tmp_file("garbage.txt", "hello world\nthis is not a capture\n");
    r = test::run_cli("parse " + garbage);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(garbage + ":1:"), std::string::npos) << r.err;

    auto binary = tmp_file("binary.bin", std::string("\x7f"
                                                     "ELF\0\0\1\2",
                                                     8));
    r = test::run_cli("parse " + binary);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("binary"), std::string::npos) << r.err;

    r = test::run_cli("parse /nonexistent/file.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("/nonexistent/file.txt"), std::string::npos);
}

TEST(Cli, TruncatedHexDumpIsRejectedWithItsLine) {
    auto t = tmp_file("trunc.txt",
                      "00:02.0 PCI bridge: Intel Corporation Device 1234\n00: 86 80 34 12 07 0\n");
    auto r = test::run_cli("parse " + t);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find(t + ":2:"), std::string::npos) << r.err;
}

TEST(Cli, UsageErrorsSuggestTheRightSpelling) {
    auto r = test::run_cli("grups x");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("did you mean 'groups'"), std::string::npos) << r.err;
    r = test::run_cli("groups " + example() + " --acs-overide downstream");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--acs-override"), std::string::npos) << r.err;
    r = test::run_cli("explain " + example() + " --device 99:00.0");
    EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, EveryCommandDescribesItsOptions) {
    const std::pair<const char*, const char*> want[] = {
        {"parse", "--format"},      {"groups", "--acs-override"}, {"explain", "--device"},
        {"diff", "--acs-override"}, {"lint", "--fail-on"},        {"tree", "--format text|dot|svg"},
        {"report", "-o FILE.html"}, {"board", "board compare"}};
    for (const auto& [cmd, opt] : want) {
        SCOPED_TRACE(cmd);
        const auto r = test::run_cli(std::string(cmd) + " --help");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out.rfind(std::string("usage: iommu-lint ") + cmd + " ", 0), 0u) << r.out;
        EXPECT_NE(r.out.find(opt), std::string::npos) << r.out;
    }
    const auto r = test::run_cli("--help");
    EXPECT_EQ(r.exit_code, 0);
    for (const auto& [cmd, opt] : want)
        EXPECT_NE(r.out.find(std::string("  ") + cmd), std::string::npos);
}
