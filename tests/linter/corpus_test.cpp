// The whole shared corpus lints without a crash, and gold hosts give the findings a careful
// reader of their dumps agrees with.
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace il::linter {
namespace {

namespace fs = std::filesystem;

std::vector<HostReport> lint_path(const fs::path& p) {
    auto snap = model::ingest_paths({p.string()});
    std::vector<HostReport> out;
    for (const auto& h : snap.hosts) out.push_back(lint_host(h, {}, {}));
    return out;
}

std::map<std::string, int> codes(const HostReport& r) {
    std::map<std::string, int> m;
    for (const auto& f : r.findings) ++m[f.code];
    return m;
}

TEST(LintCorpus, EveryHostLints) {
    IL_REQUIRE_SHARED();
    const auto dir = test::shared_dir() / "corpus";
    std::size_t hosts = 0;
    for (const auto& e : fs::directory_iterator(dir / "hosts")) {
        if (!e.is_directory()) continue;
        auto reps = lint_path(e.path());
        ASSERT_EQ(reps.size(), 1u) << e.path();
        for (const auto& f : reps[0].findings) {
            EXPECT_FALSE(f.message.empty());
            EXPECT_FALSE(f.fix.empty()) << f.code;
            EXPECT_EQ(f.fingerprint.size(), 16u);
        }
        ++hosts;
    }
    for (const auto& e : fs::directory_iterator(dir / "linuxhw"))
        if (e.path().extension() == ".txt") {
            lint_path(e.path());
            ++hosts;
        }
    EXPECT_GE(hosts, 30u);
}

// Gold hosts (root lspci -vv with observed groups): the simulation agrees with the observed
// groups and nothing is an error.
TEST(LintCorpus, GoldHostsHaveNoErrorsAndAgreeWithObservedGroups) {
    IL_REQUIRE_SHARED();
    const auto hosts = test::shared_dir() / "corpus" / "hosts";
    for (const char* name : {"ams-am-g6x-msd-microtca-pex8748", "apple-imac-2020-t2-titan-ridge",
                             "asus-pn51-e1", "dell-latitude-5410", "asus-12th-gen-laptop-gl9755",
                             "asus-q87m-e-asm1812-4x-rtl8125", "asus-x99-i7-5930k-borisv"}) {
        auto reps = lint_path(hosts / name);
        ASSERT_EQ(reps.size(), 1u);
        for (const auto& f : reps[0].findings) {
            EXPECT_NE(f.severity, Severity::error) << name << ": " << f.code << " " << f.message;
            EXPECT_NE(f.code, "IL003") << name << ": " << f.message;
        }
    }
}

TEST(LintCorpus, AsusPn51IsClean) {
    IL_REQUIRE_SHARED();
    auto reps = lint_path(test::shared_dir() / "corpus" / "hosts" / "asus-pn51-e1");
    EXPECT_TRUE(reps.at(0).findings.empty());
}

TEST(LintCorpus, PexSwitchBehindCpuPortWithoutAcs) {
    IL_REQUIRE_SHARED();
    auto reps =
        lint_path(test::shared_dir() / "corpus" / "hosts" / "ams-am-g6x-msd-microtca-pex8748");
    const auto c = codes(reps.at(0));
    ASSERT_EQ(c.count("IL105"), 1u);
    for (const auto& f : reps[0].findings)
        if (f.code == "IL105") {
            EXPECT_NE(f.message.find("0000:00:01.0"), std::string::npos);
            EXPECT_NE(f.message.find("00:1c.0"), std::string::npos); // PCH ports isolate
        }
    EXPECT_EQ(c.count("IL107"), 0u); // 1 GbE NICs behind the PCH are not heavy
}

TEST(LintCorpus, B550ChipsetBridgeIsNamed) {
    IL_REQUIRE_SHARED();
    auto reps = lint_path(test::shared_dir() / "corpus" / "linuxhw" /
                          "desktop-gigabyte-technology-b550m-aorus-pro-p-dab731fd45.txt");
    ASSERT_EQ(reps.at(0).findings.size(), 1u);
    const auto& f = reps[0].findings[0];
    EXPECT_EQ(f.code, "IL105");
    EXPECT_NE(f.message.find("0000:02:00.2"), std::string::npos);
    EXPECT_EQ(f.message.find("00:01.2 ("),
              std::string::npos); // the chipset's own uplink is no advice
}

TEST(LintCorpus, IdleLaptopGpuLinkIsOnlyANote) {
    IL_REQUIRE_SHARED();
    auto reps = lint_path(test::shared_dir() / "corpus" / "linuxhw" /
                          "notebook-acer-aspire-a315-23g-852b569ef5.txt");
    ASSERT_EQ(reps.at(0).findings.size(), 1u);
    EXPECT_EQ(reps[0].findings[0].code, "IL404");
    EXPECT_EQ(reps[0].findings[0].severity, Severity::note);
}

TEST(LintCorpus, OverrideListingsAreNotCalledUseless) {
    IL_REQUIRE_SHARED();
    // capabilities unknown: the linter cannot claim the override has no effect
    auto reps =
        lint_path(test::shared_dir() / "corpus" / "hosts" / "unknown-renoir-apu-benbaker76");
    EXPECT_EQ(codes(reps.at(0)).count("IL101"), 0u);
    EXPECT_EQ(codes(reps.at(0)).count("IL001"), 1u);
}

TEST(LintCorpus, UnsafeInterruptsOnTheCommandLine) {
    IL_REQUIRE_SHARED();
    auto reps = lint_path(test::shared_dir() / "corpus" / "hosts" / "msi-x470-gaming-plus-max");
    EXPECT_EQ(codes(reps.at(0)).count("IL302"), 1u);
}

} // namespace
} // namespace il::linter
