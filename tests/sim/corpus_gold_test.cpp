// The simulator against real hosts' observed groups (../shared/corpus gold cases).
#include "model/ingest.hpp"
#include "model/topology.hpp"
#include "sim/compare.hpp"
#include "sim/grouping.hpp"
#include "sim/partition_util.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace il;

namespace {

struct Gold {
    const char* path;      // below ../shared/corpus
    std::size_t min_compared;
};

// Root lspci -vv dumps that carry "IOMMU group: N" lines of the same boot.
const Gold k_gold[] = {
    {"hosts/ams-am-g6x-msd-microtca-pex8748/lspci-vv.txt", 42},
    {"hosts/apple-imac-2020-t2-titan-ridge/lspci-vv.txt", 30},
    {"hosts/asus-pn51-e1/lspci-vv.txt", 30},
    {"hosts/dell-latitude-5410/lspci-vv.txt", 20},
    {"hosts/asus-12th-gen-laptop-gl9755/lspci-vv.txt", 25},
    {"hosts/asus-q87m-e-asm1812-4x-rtl8125/lspci-vv.txt", 10},
    {"hosts/asus-x99-i7-5930k-borisv/lspci-vv.txt", 3},
    {"linuxhw/desktop-gigabyte-technology-b550m-aorus-pro-p-dab731fd45.txt", 30},
    {"linuxhw/notebook-acer-aspire-a315-23g-852b569ef5.txt", 30},
    {"linuxhw/notebook-hewlett-packard-laptop-15-db1xxx-03394e745c.txt", 25},
};

class GoldHost : public ::testing::TestWithParam<Gold> {};

} // namespace

TEST_P(GoldHost, SimulatedPartitionEqualsObserved) {
    IL_REQUIRE_SHARED();
    const auto p = test::shared_dir() / "corpus" / GetParam().path;
    auto snap = model::ingest_paths({p.string()});
    ASSERT_EQ(snap.hosts.size(), 1u);
    const auto& h = snap.hosts[0];
    model::Topology topo(h);
    auto r = sim::simulate(h, topo, sim::policy_as_booted(h));
    auto c = sim::compare_observed(h, r.grouping);
    ASSERT_TRUE(c.has_observed);
    EXPECT_GE(c.devices_compared, GetParam().min_compared);
    std::string diffs;
    for (const auto& d : c.differences) diffs += "\n  " + d;
    EXPECT_TRUE(c.match) << GetParam().path << diffs;
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldHost, ::testing::ValuesIn(k_gold),
                         [](const ::testing::TestParamInfo<Gold>& i) {
                             std::string n = fs::path(i.param.path).parent_path().filename().string();
                             if (n == "linuxhw") n += "_" + fs::path(i.param.path).stem().string().substr(0, 20);
                             for (auto& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return n;
                         });

// Every dump in the corpus with observed groups: when the input leaves facts unknown
// (non-root dumps), the observed partition must lie between the tightest and the loosest
// reading; when it does not, the simulation must be certain and equal.
TEST(CorpusObserved, ObservedLiesBetweenTightAndLooseEverywhere) {
    IL_REQUIRE_SHARED();
    std::size_t checked = 0;
    for (const auto& e : fs::recursive_directory_iterator(test::shared_dir() / "corpus")) {
        if (!e.is_regular_file()) continue;
        const auto name = e.path().filename().string();
        if (name.find("lspci") == std::string::npos && e.path().parent_path().filename() != "linuxhw") continue;
        if (name.find(".eml") != std::string::npos) continue;
        const auto text = test::read_file(e.path());
        if (text.find("IOMMU group:") == std::string::npos) continue;
        model::Snapshot snap;
        try {
            snap = model::ingest_paths({e.path().string()});
        } catch (const std::exception& ex) {
            ADD_FAILURE() << e.path() << ": " << ex.what();
            continue;
        }
        for (const auto& h : snap.hosts) {
            model::Topology topo(h);
            auto r = sim::simulate(h, topo, sim::policy_as_booted(h));
            const auto obs = test::observed(h);
            if (obs.empty()) continue;
            const auto loose = test::simulated(h, r.grouping);
            const auto tight = test::simulated(h, r.tight);
            EXPECT_TRUE(test::refines(obs, loose)) << e.path() << ": an observed group is split by the loosest reading";
            EXPECT_TRUE(test::refines(tight, obs)) << e.path() << ": the tightest reading merges observed groups";
            ++checked;
        }
    }
    EXPECT_GE(checked, 10u);
}
