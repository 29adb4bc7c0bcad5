// Differential test against the real kernel: every QEMU capture committed under
// corpus/boards/qemu-*/ (booted with Debian's kernel by tools/oracle) must be grouped by the
// simulator exactly as the kernel grouped it, from the dumps alone.
#include "model/ingest.hpp"
#include "model/topology.hpp"
#include "sim/compare.hpp"
#include "sim/grouping.hpp"
#include "sim/partition_util.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace il;

namespace {

std::vector<std::string> captures() {
    std::vector<std::string> out;
    const auto dir = test::source_dir() / "corpus" / "boards";
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && e.path().filename().string().rfind("qemu-", 0) == 0 &&
            fs::exists(e.path() / "iommu-groups.txt"))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t count_group_lines(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line))
        if (!line.empty()) ++n;
    return n;
}

class OracleCapture : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST(OracleCaptures, AtLeastTwentyAreCommitted) { EXPECT_GE(captures().size(), 20u); }

TEST_P(OracleCapture, SimulatedPartitionEqualsTheKernels) {
    const auto dir = test::source_dir() / "corpus" / "boards" / GetParam();
    auto snap = model::ingest_paths({dir.string()});
    ASSERT_EQ(snap.hosts.size(), 1u);
    const auto& h = snap.hosts[0];
    const auto kernel_groups = count_group_lines(dir / "iommu-groups.txt");
    model::Topology topo(h);
    auto r = sim::simulate(h, topo, sim::policy_as_booted(h));
    if (kernel_groups == 0) {
        // booted without an IOMMU: no device may claim a group, and the log must say so
        for (const auto& d : h.devices) EXPECT_FALSE(d.observed_group.known()) << d.bdf.str();
        EXPECT_FALSE(h.iommu.groups_seen.is(true));
        return;
    }
    auto c = sim::compare_observed(h, r.grouping);
    ASSERT_TRUE(c.has_observed);
    EXPECT_EQ(c.devices_compared, h.devices.size());
    std::string diffs;
    for (const auto& d : c.differences) diffs += "\n  " + d;
    EXPECT_TRUE(c.match) << GetParam() << ":" << diffs;
    EXPECT_EQ(test::simulated(h, r.grouping), test::observed(h));
    EXPECT_TRUE(r.certain) << "a root lspci -vvv + -xxxx capture leaves nothing unknown";
    // every grouped device of the kernel's listing is known to the snapshot
    std::size_t grouped = 0;
    for (const auto& d : h.devices) grouped += d.observed_group.known();
    EXPECT_EQ(grouped, kernel_groups);
}

INSTANTIATE_TEST_SUITE_P(Captures, OracleCapture, ::testing::ValuesIn(captures()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                             std::string n = i.param;
                             for (auto& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return n;
                         });
