// iommu-lint lint, run as a program: exit codes, formats, baselines, selection, many hosts.
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using il::test::run_cli;

// A scratch directory removed at the end of the test.
struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() /
              ("il_lint_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        const auto p = dir / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

// /proc/cmdline of a host that turned its IOMMU off (IL301: error)
const char* k_iommu_off =
    "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet "
    "intel_iommu=off\n";
// only a warning (IL302)
const char* k_unsafe = "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet "
                       "intel_iommu=on vfio_iommu_type1.allow_unsafe_interrupts=1\n";

TEST(LintCli, ExitOneOnErrorByDefault) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_iommu_off);
    auto r = run_cli("lint " + f);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("error[IL301]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cmdline.txt:1"), std::string::npos);
}

TEST(LintCli, FailOnThresholds) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_unsafe);
    EXPECT_EQ(run_cli("lint " + f).exit_code, 0); // warning < error
    EXPECT_EQ(run_cli("lint " + f + " --fail-on warning").exit_code, 1);
    EXPECT_EQ(run_cli("lint " + f + " --fail-on note").exit_code, 1);
    const auto g = s.write("off.txt", k_iommu_off);
    EXPECT_EQ(run_cli("lint " + g + " --fail-on never").exit_code, 0);
}

TEST(LintCli, SelectAndIgnore) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_iommu_off);
    EXPECT_EQ(run_cli("lint " + f + " --ignore IL301").exit_code, 0);
    EXPECT_EQ(run_cli("lint " + f + " --ignore IL3").exit_code, 0);
    EXPECT_EQ(run_cli("lint " + f + " --select IL3").exit_code, 1);
    EXPECT_EQ(run_cli("lint " + f + " --select IL1,IL2").exit_code, 0);
    auto bad = run_cli("lint " + f + " --select IL9");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("IL9"), std::string::npos);
}

TEST(LintCli, UsageErrorsExitTwo) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_unsafe);
    EXPECT_EQ(run_cli("lint").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --format xml").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --fail-on sometimes").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --jobs 0").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --passthrough zz:00.0").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --kernel banana").exit_code, 2);
    EXPECT_EQ(run_cli("lint " + (s.dir / "missing.txt").string()).exit_code, 2);
    EXPECT_EQ(run_cli("lint " + f + " --baseline " + s.write("b.json", "[]")).exit_code, 2);
    auto typo = run_cli("lint " + f + " --fail-onn error");
    EXPECT_EQ(typo.exit_code, 2);
    EXPECT_NE(typo.err.find("did you mean --fail-on"), std::string::npos);
}

TEST(LintCli, ReadsStandardInput) {
    auto r = run_cli("lint - --format json", k_iommu_off);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["hosts"].size(), 1u);
    EXPECT_EQ(j["hosts"][0]["findings"][0]["code"], "IL301");
    EXPECT_EQ(j["summary"]["counts"]["error"], 1);
}

TEST(LintCli, BaselineSuppressesKnownFindings) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_iommu_off);
    const auto base = (s.dir / "baseline.json").string();
    auto w = run_cli("lint " + f + " --write-baseline " + base);
    EXPECT_EQ(w.exit_code, 0) << w.err;
    auto j = nlohmann::json::parse(il::test::read_file(base));
    ASSERT_EQ(j["findings"].size(), 1u);
    EXPECT_EQ(j["findings"][0]["code"], "IL301");
    auto r = run_cli("lint " + f + " --baseline " + base);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("1 baselined"), std::string::npos) << r.out;
    // a new problem is not covered by the old baseline
    const auto g =
        s.write("cmdline.txt", std::string(k_iommu_off).substr(0, std::strlen(k_iommu_off) - 1) +
                                   " vfio_iommu_type1.allow_unsafe_interrupts=1\n");
    auto r2 = run_cli("lint " + g + " --baseline " + base + " --fail-on warning");
    EXPECT_EQ(r2.exit_code, 1);
    EXPECT_NE(r2.out.find("IL302"), std::string::npos);
}

TEST(LintCli, GithubAnnotations) {
    Scratch s;
    const auto f = s.write("cmdline.txt", k_iommu_off);
    auto r = run_cli("lint " + f + " --format github");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out.rfind("::error file=" + f + ",line=1,title=IL301::", 0), 0u) << r.out;
}

TEST(LintCli, SarifOnCorpusHostsIsValid) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus" / "hosts";
    auto r = run_cli("lint " + (hosts / "apple-imac-2020-t2-titan-ridge").string() + " " +
                     (hosts / "ams-am-g6x-msd-microtca-pex8748").string() + " --format sarif");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["version"], "2.1.0");
    EXPECT_TRUE(j["$schema"].get<std::string>().find("sarif") != std::string::npos);
    ASSERT_EQ(j["runs"].size(), 1u);
    const auto& run = j["runs"][0];
    const auto& rules = run["tool"]["driver"]["rules"];
    ASSERT_GE(rules.size(), 24u);
    for (const auto& rule : rules) {
        ASSERT_TRUE(rule["id"].is_string());
        ASSERT_TRUE(rule["name"].is_string());
        ASSERT_TRUE(rule["shortDescription"]["text"].is_string());
        EXPECT_NE(rule["helpUri"].get<std::string>().find("docs/rules/" +
                                                          rule["id"].get<std::string>() + ".md"),
                  std::string::npos);
    }
    ASSERT_FALSE(run["results"].empty());
    for (const auto& res : run["results"]) {
        ASSERT_TRUE(res["ruleId"].is_string());
        ASSERT_TRUE(res["message"]["text"].is_string());
        const auto level = res["level"].get<std::string>();
        EXPECT_TRUE(level == "error" || level == "warning" || level == "note");
        ASSERT_TRUE(res["locations"].is_array());
        for (const auto& loc : res["locations"]) {
            const auto& pl = loc["physicalLocation"];
            const auto uri = pl["artifactLocation"]["uri"].get<std::string>();
            EXPECT_EQ(uri.rfind("file:///", 0), 0u) << uri;
            if (pl.contains("region")) {
                EXPECT_GE(pl["region"]["startLine"].get<int>(), 1);
            }
        }
    }
}

TEST(LintCli, ManyHostsInParallelKeepTheirOrder) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus" / "hosts";
    const std::vector<std::string> names = {"dell-latitude-5410", "apple-imac-2020-t2-titan-ridge",
                                            "asus-pn51-e1", "ams-am-g6x-msd-microtca-pex8748"};
    std::string args = "lint --format json --fail-on never";
    for (const auto& n : names) args += " " + (hosts / n).string();
    auto a = run_cli(args + " --jobs 4");
    auto b = run_cli(args + " --jobs 1");
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    auto j = nlohmann::json::parse(a.out);
    ASSERT_EQ(j["hosts"].size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(j["hosts"][i]["name"], names[i]);
}

} // namespace
