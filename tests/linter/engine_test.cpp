// The lint engine: selection by code and prefix, fingerprints, baselines, and the outputs.
#include "linter/lint.hpp"
#include "linter/registry.hpp"
#include "report/lint_output.hpp"
#include "support/host_builder.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace il::linter {
namespace {

using model::PortType;
using test::HostBuilder;

// root port without ACS, a GPU and a SATA controller behind it; the GPU is passed
model::Host shared_group_host() {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port);
    HostBuilder::bridge(rp, 1, 1);
    hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint).class_code.set(0x0300, {1, 2});
    hb.pcie("01:01.0", 0x1b21, 0x0612, PortType::endpoint).class_code.set(0x0106, {1, 3});
    return hb.build();
}

LintOptions pass_gpu() {
    LintOptions o;
    o.passthrough.push_back(*PassthroughRequest::parse("01:00.0"));
    return o;
}

TEST(LintSelection, PrefixesAndCodes) {
    auto s = Selection::parse({"IL1"}, {"IL105"});
    EXPECT_TRUE(s.selected("IL102"));
    EXPECT_FALSE(s.selected("IL105"));
    EXPECT_FALSE(s.selected("IL201"));
    auto all = Selection::parse({}, {});
    for (const auto* r : all_rules()) EXPECT_TRUE(all.selected(r->code()));
    auto two = Selection::parse({"il201, IL3"}, {}); // case and spaces do not matter
    EXPECT_TRUE(two.selected("IL201"));
    EXPECT_TRUE(two.selected("IL304"));
    EXPECT_FALSE(two.selected("IL202"));
}

TEST(LintSelection, UnknownCodeIsRejected) {
    EXPECT_THROW(Selection::parse({"IL9"}, {}), std::invalid_argument);
    EXPECT_THROW(Selection::parse({}, {"XY1"}), std::invalid_argument);
}

TEST(LintEngine, SelectionLimitsRules) {
    const auto h = shared_group_host();
    auto only = lint_host(h, pass_gpu(), Selection::parse({"IL102"}, {}));
    ASSERT_FALSE(only.findings.empty());
    for (const auto& f : only.findings) EXPECT_EQ(f.code, "IL102");
    auto without = lint_host(h, pass_gpu(), Selection::parse({}, {"IL1"}));
    for (const auto& f : without.findings) EXPECT_NE(f.code.substr(0, 3), "IL1");
}

TEST(LintEngine, FingerprintsAreStableAndDistinct) {
    const auto h = shared_group_host();
    auto a = lint_host(h, pass_gpu(), {});
    auto b = lint_host(h, pass_gpu(), {});
    ASSERT_EQ(a.findings.size(), b.findings.size());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        EXPECT_EQ(a.findings[i].fingerprint, b.findings[i].fingerprint);
        EXPECT_EQ(a.findings[i].fingerprint.size(), 16u);
        EXPECT_TRUE(seen.insert(a.findings[i].fingerprint).second) << a.findings[i].code;
    }
    EXPECT_NE(fingerprint("IL102", "a", "k"), fingerprint("IL102", "b", "k"));
    EXPECT_NE(fingerprint("IL102", "a", "k"), fingerprint("IL103", "a", "k"));
}

TEST(LintEngine, EvidenceCarriesFileAndLine) {
    auto r = lint_host(shared_group_host(), pass_gpu(), Selection::parse({"IL105"}, {}));
    ASSERT_EQ(r.findings.size(), 1u);
    const auto& e = r.findings[0].evidence.at(0);
    EXPECT_EQ(e.file, "test.txt");
    EXPECT_GT(e.line, 0u);
    EXPECT_EQ(e.where, "test.txt:" + std::to_string(e.line));
}

TEST(LintBaseline, WriteThenSuppress) {
    std::vector<HostReport> reps{lint_host(shared_group_host(), pass_gpu(), {})};
    ASSERT_FALSE(reps[0].findings.empty());
    const auto n = reps[0].findings.size();
    const auto text = Baseline::write(reps);
    auto b = Baseline::parse(text);
    EXPECT_EQ(b.fingerprints.size(), n);
    auto again = lint_host(shared_group_host(), pass_gpu(), {});
    b.apply(again);
    EXPECT_TRUE(again.findings.empty());
    EXPECT_EQ(again.suppressed, n);
    EXPECT_THROW(Baseline::parse("{\"x\": 1}"), std::runtime_error);
    EXPECT_THROW(Baseline::parse("not json"), std::runtime_error);
}

TEST(LintBaseline, NewFindingSurvives) {
    std::vector<HostReport> reps{lint_host(shared_group_host(), {}, {})};
    auto b = Baseline::parse(Baseline::write(reps));
    auto with_target = lint_host(shared_group_host(), pass_gpu(), {});
    b.apply(with_target);
    bool il102 = false;
    for (const auto& f : with_target.findings) il102 |= f.code == "IL102";
    EXPECT_TRUE(il102); // passing the GPU is new: not in the baseline
}

TEST(LintOutput, SarifHasRulesResultsAndLocations) {
    std::vector<HostReport> reps{lint_host(shared_group_host(), pass_gpu(), {})};
    auto j = report::lint_sarif(reps, {});
    EXPECT_EQ(j["version"], "2.1.0");
    const auto& run = j["runs"][0];
    EXPECT_EQ(run["tool"]["driver"]["name"], "iommu-lint");
    const auto& rules = run["tool"]["driver"]["rules"];
    EXPECT_EQ(rules.size(), all_rules().size());
    for (const auto& r : rules) {
        EXPECT_TRUE(r["id"].is_string());
        EXPECT_TRUE(r["shortDescription"]["text"].is_string());
        EXPECT_EQ(r["helpUri"], "docs/rules/" + r["id"].get<std::string>() + ".md");
    }
    ASSERT_FALSE(run["results"].empty());
    for (const auto& res : run["results"]) {
        const auto idx = res["ruleIndex"].get<std::size_t>();
        EXPECT_EQ(rules[idx]["id"], res["ruleId"]);
        EXPECT_TRUE(res["level"] == "error" || res["level"] == "warning" || res["level"] == "note");
        EXPECT_TRUE(res["message"]["text"].is_string());
        ASSERT_TRUE(res.contains("locations"));
        const auto& pl = res["locations"][0]["physicalLocation"];
        EXPECT_EQ(pl["artifactLocation"]["uri"], "test.txt");
    }
}

TEST(LintOutput, PathsBecomeUris) {
    EXPECT_EQ(report::path_to_uri("/srv/hosts/a b/lspci.txt"), "file:///srv/hosts/a%20b/lspci.txt");
    EXPECT_EQ(report::path_to_uri("hosts/x:y.txt"), "hosts/x%3Ay.txt");
}

TEST(LintOutput, GithubAnnotationsEscape) {
    std::vector<HostReport> reps{
        lint_host(shared_group_host(), pass_gpu(), Selection::parse({"IL102"}, {}))};
    std::ostringstream os;
    report::lint_github(os, reps, {});
    const auto s = os.str();
    EXPECT_EQ(s.rfind("::error file=test.txt,line=", 0), 0u) << s;
    EXPECT_NE(s.find(",title=IL102::"), std::string::npos);
    EXPECT_NE(s.find("%0AFix: "), std::string::npos); // newlines escaped
    EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
}

TEST(LintOutput, TextGroupsBySeverityWithoutColour) {
    std::vector<HostReport> reps{lint_host(shared_group_host(), pass_gpu(), {})};
    std::ostringstream os;
    report::lint_text(os, reps, {});
    const auto s = os.str();
    EXPECT_EQ(s.find("\033["), std::string::npos);
    const auto err = s.find("error[IL10");
    const auto warn = s.find("warning[");
    ASSERT_NE(err, std::string::npos);
    if (warn != std::string::npos) {
        EXPECT_LT(err, warn);
    }
    EXPECT_NE(s.find("see docs/rules/IL102.md"), std::string::npos);
}

} // namespace
} // namespace il::linter
