// The kernel's grouping rules on small constructed topologies (kernel-grouping.md §5-§11).
#include "sim/compare.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"
#include "support/host_builder.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace il;
using model::PortType;
using il::test::HostBuilder;

namespace {

constexpr int FULL = 0x1f;          // SV TB RR CR UF
constexpr int STD_CAP = 0x5f;       // QEMU pcie-root-port: SV TB RR CR UF DT

using Partition = std::set<std::set<std::string>>;

Partition parts(const model::Host& h, const sim::Grouping& g) {
    Partition p;
    for (const auto& grp : g.groups) {
        std::set<std::string> s;
        for (auto m : grp.members) s.insert(h.devices[m].bdf.str().substr(5));
        p.insert(s);
    }
    return p;
}

sim::Policy policy(const model::Host& h, const std::string& kernel = "6.18.15") {
    return sim::policy_as_booted(h, sim::KernelVersion::parse(kernel));
}

Partition run(const model::Host& h, const sim::Policy& p) { return parts(h, sim::simulate(h, p).grouping); }
Partition run(const model::Host& h) { return run(h, policy(h)); }

sim::Policy with_ov(const model::Host& h, const std::string& modes,
                    sim::OverridePlacement pl = sim::OverridePlacement::end_of_table) {
    auto p = sim::with_override(policy(h), sim::parse_acs_override(modes), "test");
    p.placement = pl;
    return p;
}

} // namespace

TEST(Grouping, RootPortWithAcsIsolatesItsEndpoint) {
    HostBuilder b;
    b.pci("00:00.0", 0x8086, 0x29c0);
    HostBuilder::bridge(b.pcie("00:02.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP, 0), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    // ACSCtl is all '-' (dump taken with the IOMMU off): the kernel enables SV RR CR UF at boot
    EXPECT_EQ(run(h), (Partition{{"00:00.0"}, {"00:02.0"}, {"01:00.0"}}));
}

TEST(Grouping, RootPortWithoutAcsTakesItsEndpoint) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:02.0", 0x1b36, 0x000c, PortType::root_port), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:02.0", "01:00.0"}}));
    auto r = sim::simulate(h, policy(h));
    EXPECT_NE(r.grouping.groups[0].reason.find("does not isolate"), std::string::npos)
        << r.grouping.groups[0].reason;
}

TEST(Grouping, MultifunctionRootPortsWithoutAcsShareOneGroupWithEverythingBelow) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:1c.0", 0x1b36, 0x000c, PortType::root_port), 1, 1);
    HostBuilder::bridge(b.pcie("00:1c.1", 0x1b36, 0x000c, PortType::root_port), 2, 2);
    HostBuilder::bridge(b.pcie("00:1d.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 3, 3);
    HostBuilder::bridge(b.pcie("00:1d.1", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 4, 4);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("02:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("03:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("04:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:1c.0", "00:1c.1", "01:00.0", "02:00.0"},
                                 {"00:1d.0"}, {"00:1d.1"}, {"03:00.0"}, {"04:00.0"}}));
}

TEST(Grouping, SwitchDownstreamPortsWithoutAcsKeepSiblingSubtreesApart) {
    // kernel-grouping.md §14 example 3
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 4);
    HostBuilder::bridge(b.pcie("01:00.0", 0x104c, 0x8232, PortType::upstream_port), 2, 4);
    HostBuilder::bridge(b.pcie("02:00.0", 0x104c, 0x8233, PortType::downstream_port), 3, 3);
    HostBuilder::bridge(b.pcie("02:01.0", 0x104c, 0x8233, PortType::downstream_port), 4, 4);
    b.pcie("03:00.0", 0x144d, 0xa808, PortType::endpoint);
    b.pcie("04:00.0", 0x144d, 0xa808, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:01.0"}, {"01:00.0"}, {"02:00.0", "03:00.0"}, {"02:01.0", "04:00.0"}}));
}

TEST(Grouping, SwitchUnderRootPortWithoutAcsFallsIntoThePortsGroup) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:06.0", 0x1b36, 0x000c, PortType::root_port), 1, 3);
    HostBuilder::bridge(b.pcie("01:00.0", 0x104c, 0x8232, PortType::upstream_port), 2, 3);
    HostBuilder::bridge(b.pcie("02:00.0", 0x104c, 0x8233, PortType::downstream_port), 3, 3);
    b.pcie("03:00.0", 0x144d, 0xa808, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:06.0", "01:00.0", "02:00.0", "03:00.0"}}));
}

TEST(Grouping, PcieToPciBridgeAliasesEverythingBelowIt) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:02.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 3);
    HostBuilder::bridge(b.pcie("01:00.0", 0x1b36, 0x000e, PortType::pcie_to_pci_bridge), 2, 3);
    b.pci("02:01.0", 0x1af4, 0x1000);
    HostBuilder::bridge(b.pci("02:04.0", 0x1b36, 0x0001), 3, 3);
    b.pci("03:01.0", 0x1af4, 0x1005);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:02.0"}, {"01:00.0", "02:01.0", "02:04.0", "03:01.0"}}));
}

TEST(Grouping, ConventionalBridgeOnRootBusAliasesItsDevices) {
    HostBuilder b;
    HostBuilder::bridge(b.pci("00:03.0", 0x1b36, 0x0001), 1, 1);
    b.pci("01:01.0", 0x1af4, 0x1000);
    b.pci("01:02.0", 0x1af4, 0x1005);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:03.0", "01:01.0", "01:02.0"}}));
}

TEST(Grouping, MultifunctionEndpointsWithoutAcsShareAGroup) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    b.pcie("01:00.1", 0x10de, 0x10f0, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:01.0"}, {"01:00.0", "01:00.1"}}));
}

TEST(Grouping, MultifunctionEndpointWithAcsIsSplit) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x15b3, 0x1017, PortType::endpoint, 0x0c, 0x0c);
    b.pcie("01:00.1", 0x15b3, 0x1017, PortType::endpoint, 0x0c, 0x00);
    auto h = b.build();
    // ACSCap RR CR: the kernel enables them, so each function is isolated
    EXPECT_EQ(run(h), (Partition{{"00:01.0"}, {"01:00.0"}, {"01:00.1"}}));
}

TEST(Grouping, MultifunctionEndpointQuirkIsolatesListedNics) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x1521, PortType::endpoint); // I350: pci_quirk_mf_endpoint_acs
    b.pcie("01:00.1", 0x8086, 0x1521, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:01.0"}, {"01:00.0"}, {"01:00.1"}}));
}

TEST(Grouping, IntelRcieQuirkSplitsIntelRootComplexFunctionsOnly) {
    // the oracle's observation: e1000e RCiEP functions split, virtio (conventional) ones merge
    HostBuilder b;
    b.pcie("00:06.0", 0x8086, 0x10d3, PortType::rc_integrated_endpoint);
    b.pci("00:06.1", 0x1af4, 0x1000);
    b.pci("00:06.2", 0x1af4, 0x1005);
    b.pcie("00:08.0", 0x1b36, 0x0010, PortType::rc_integrated_endpoint);
    b.pcie("00:08.1", 0x1b36, 0x0010, PortType::rc_integrated_endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:06.0"}, {"00:06.1", "00:06.2"}, {"00:08.0", "00:08.1"}}));
}

TEST(Grouping, IntelPchRootPortQuirkDependsOnTheWorkaroundAndTheKernel) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:1c.0", 0x8086, 0x8d10, PortType::root_port), 1, 1); // X99 PCH
    b.pcie("01:00.0", 0x8086, 0x1539, PortType::endpoint);
    auto h = b.build();
    const Partition split{{"00:1c.0"}, {"01:00.0"}};
    const Partition merged{{"00:1c.0", "01:00.0"}};
    EXPECT_EQ(run(h), split);
    EXPECT_EQ(run(h, policy(h, "6.11.3")), merged); // 6.11.0-6.11.6 never enable the quirk
    EXPECT_EQ(run(h, policy(h, "6.11.7")), split);
    h.iommu.pch_acs_workaround_failed.set(true, {1, 1});
    EXPECT_EQ(run(h), merged);
    // the quirk decides before the override: downstream cannot rescue it
    EXPECT_EQ(run(h, with_ov(h, "downstream")), merged);
}

TEST(Grouping, SunrisePointRootPortUsesTheQuirkNotTheAcsCtlWord) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:1c.0", 0x8086, 0xa110, PortType::root_port, 0x0f, 0x00), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x1533, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:1c.0"}, {"01:00.0"}}));
    // in the stable backport window ACS is enabled after grouping: the +8 dword is unknown
    auto r = sim::simulate(h, policy(h, "6.12.76"));
    EXPECT_FALSE(r.certain);
    EXPECT_EQ(parts(h, r.grouping), (Partition{{"00:1c.0", "01:00.0"}}));
    EXPECT_EQ(parts(h, r.tight), (Partition{{"00:1c.0"}, {"01:00.0"}}));
}

TEST(Grouping, RegressionWindowUsesFirmwareAcsControl) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.1", 0x1022, 0x1633, PortType::root_port, FULL, 0x00), 1, 1);
    b.pcie("01:00.0", 0x10de, 0x2204, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h, policy(h, "6.12.74")), (Partition{{"00:01.1"}, {"01:00.0"}}));
    EXPECT_EQ(run(h, policy(h, "6.12.76")), (Partition{{"00:01.1", "01:00.0"}}));
}

TEST(Grouping, DisableAcsRedirAndConfigAcsMergeTheMatchedPort) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP, 0x1d), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    h.params.push_back({"pci", std::string("disable_acs_redir=0000:00:01.0"), {1, 1}});
    EXPECT_EQ(run(h), (Partition{{"00:01.0", "01:00.0"}}));
    h.params.back().value = std::string("config_acs=0011101@pci:1b36:000c");
    EXPECT_EQ(run(h), (Partition{{"00:01.0"}, {"01:00.0"}}));
    h.params.back().value = std::string("config_acs=xx0xxxx@00:01.0"); // UF off
    EXPECT_EQ(run(h), (Partition{{"00:01.0", "01:00.0"}}));
    EXPECT_EQ(run(h, policy(h, "6.8.0")), (Partition{{"00:01.0"}, {"01:00.0"}})); // no config_acs before 6.11
}

TEST(Grouping, PortTypeCorrectionTurnsAMislabelledDownstreamPortIntoAnUpstreamPort) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 3);
    // claims Downstream Port under a root port, multifunction, no ACS: as a (corrected)
    // Upstream Port it is an "endpoint-like" type whose sibling function drags it along
    HostBuilder::bridge(b.pcie("01:00.0", 0x1234, 0x0001, PortType::downstream_port), 2, 3);
    b.pcie("01:00.1", 0x1234, 0x0002, PortType::endpoint);
    HostBuilder::bridge(b.pcie("02:00.0", 0x1234, 0x0003, PortType::downstream_port, FULL, FULL), 3, 3);
    b.pcie("03:00.0", 0x1234, 0x0004, PortType::endpoint);
    auto h = b.build();
    auto r = sim::simulate(h, policy(h));
    EXPECT_EQ(parts(h, r.grouping), (Partition{{"00:01.0"}, {"01:00.0", "01:00.1", "02:00.0", "03:00.0"}}));
    bool noted = false;
    for (const auto& n : r.notes) noted |= n.find("treats it as an Upstream Port") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Grouping, DmaAliasQuirkJoinsGhostFunctionPartner) {
    // Marvell 88SE9123 function 0 DMAs as function 1: with a real function 1 they share a group
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:1c.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x1b4b, 0x9123, PortType::endpoint, 0x0c, 0x0c);
    b.pcie("01:00.1", 0x1b4b, 0x91a4, PortType::endpoint, 0x0c, 0x0c);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:1c.0"}, {"01:00.0", "01:00.1"}}));
}

TEST(Grouping, AmdIommuFunctionAndRootComplexGetNoGroup) {
    HostBuilder b;
    b.pci("00:00.0", 0x1022, 0x1630).class_code.set(0x0600, {1, 1});
    b.pci("00:00.2", 0x1022, 0x1631).class_code.set(0x0806, {1, 1});
    b.pci("00:01.0", 0x1022, 0x1632).class_code.set(0x0600, {1, 1});
    auto h = b.build();
    auto r = sim::simulate(h, policy(h));
    EXPECT_EQ(parts(h, r.grouping), (Partition{{"00:01.0"}}));
    EXPECT_LT(r.grouping.group_of[0], 0);
    EXPECT_FALSE(r.grouping.ungrouped_reasons[1].empty());
}

TEST(Grouping, UnknownCapabilitiesGiveTightAndLooseReadings) {
    HostBuilder b;
    HostBuilder::bridge(b.hidden("00:01.0", 0x1b36, 0x000c), 1, 1);
    b.hidden("01:00.0", 0x8086, 0x10d3);
    auto h = b.build();
    auto r = sim::simulate(h, policy(h));
    EXPECT_FALSE(r.certain);
    EXPECT_EQ(parts(h, r.grouping), (Partition{{"00:01.0", "01:00.0"}}));
    EXPECT_EQ(parts(h, r.tight), (Partition{{"00:01.0"}, {"01:00.0"}}));
    EXPECT_FALSE(r.unknowns.empty());
    for (const auto& g : r.grouping.groups) EXPECT_FALSE(g.certain);
}

TEST(Grouping, BridgesAreProbedBeforeTheirChildrenAndGroupIdsFollowProbeOrder) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 2, 2);
    HostBuilder::bridge(b.pcie("00:02.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("02:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    auto r = sim::simulate(h, policy(h));
    // all of bus 0 first, then 00:01.0's child bus (02), then 00:02.0's (01)
    auto id = [&](const char* s) { return r.grouping.group_of[static_cast<std::size_t>(h.find(*model::Bdf::parse(s)) - h.devices.data())]; };
    EXPECT_EQ(id("00:01.0"), 0);
    EXPECT_EQ(id("00:02.0"), 1);
    EXPECT_EQ(id("02:00.0"), 2);
    EXPECT_EQ(id("01:00.0"), 3);
}

// ---- pcie_acs_override -------------------------------------------------------------------

TEST(Override, DownstreamSplitsPortsWithoutAcsOnly) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port), 1, 1);
    HostBuilder::bridge(b.pcie("00:02.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP, 0), 2, 2);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("02:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pci("00:1f.0", 0x8086, 0x2918);
    b.pci("00:1f.3", 0x8086, 0x2930);
    auto h = b.build();
    EXPECT_EQ(run(h), (Partition{{"00:01.0", "01:00.0"}, {"00:02.0"}, {"02:00.0"}, {"00:1f.0", "00:1f.3"}}));
    // conventional PCI functions (PCH 00:1f.x) are never helped by the override
    EXPECT_EQ(run(h, with_ov(h, "downstream,multifunction")),
              (Partition{{"00:01.0"}, {"01:00.0"}, {"00:02.0"}, {"02:00.0"}, {"00:1f.0", "00:1f.3"}}));
}

TEST(Override, MultifunctionModeSplitsMultifunctionEndpointsWithoutAcs) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port, STD_CAP), 1, 1);
    b.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    b.pcie("01:00.1", 0x10de, 0x10f0, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h, with_ov(h, "downstream")), (Partition{{"00:01.0"}, {"01:00.0", "01:00.1"}}));
    EXPECT_EQ(run(h, with_ov(h, "multifunction")), (Partition{{"00:01.0"}, {"01:00.0"}, {"01:00.1"}}));
    // id: only the named function counts as isolated; the other still drags... itself alone
    EXPECT_EQ(run(h, with_ov(h, "id:10de:1b80")), (Partition{{"00:01.0"}, {"01:00.0"}, {"01:00.1"}}));
}

TEST(Override, PlacementDecidesAgainstTheZhaoxinQuirk) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1d17, 0x0999, PortType::root_port), 1, 1); // outside the good range
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    EXPECT_EQ(run(h, with_ov(h, "downstream", sim::OverridePlacement::end_of_table)),
              (Partition{{"00:01.0", "01:00.0"}}));
    EXPECT_EQ(run(h, with_ov(h, "downstream", sim::OverridePlacement::proxmox)),
              (Partition{{"00:01.0"}, {"01:00.0"}}));
}

TEST(Override, ParsingFollowsThePatchExactly) {
    auto c = sim::parse_acs_override("downstream,multifunction");
    EXPECT_TRUE(c.downstream);
    EXPECT_TRUE(c.multifunction);
    EXPECT_TRUE(sim::parse_acs_override("downstreamX").downstream); // prefix test
    EXPECT_FALSE(sim::parse_acs_override("Downstream").downstream); // case-sensitive
    c = sim::parse_acs_override("id:10de:1b80,id:8086:0x15");
    ASSERT_EQ(c.ids.size(), 2u);
    EXPECT_EQ(c.ids[0], std::make_pair(std::uint16_t{0x10de}, std::uint16_t{0x1b80}));
    EXPECT_EQ(c.ids[1].second, 0x15); // short device id works at the very end
    c = sim::parse_acs_override("id:10e:1b80");       // vendor must be 4 characters before ':'
    EXPECT_TRUE(c.ids.empty());
    EXPECT_FALSE(c.warnings.empty());
    c = sim::parse_acs_override("id:10de:15,downstream"); // short device followed by ',' fails
    EXPECT_TRUE(c.ids.empty());
    EXPECT_TRUE(c.downstream);
    std::string many;
    for (int i = 0; i < 17; ++i) many += (i ? "," : "") + std::string("id:10de:") + (i < 10 ? "000" : "00") + std::to_string(i);
    c = sim::parse_acs_override(many);
    EXPECT_EQ(c.ids.size(), 15u); // 16 slots, 15 usable
    EXPECT_NE(c.warnings.front().find("Out of PCIe ACS override slots"), std::string::npos);
    EXPECT_FALSE(sim::parse_acs_override("").any());
}

TEST(Override, AsBootedPolicyReadsTheCommandLineAndTheKernel) {
    HostBuilder b;
    b.pci("00:00.0", 0x8086, 0x3e92);
    auto h = b.build();
    h.params.push_back({"pcie_acs_override", std::string("downstream,multifunction"), {1, 1}});
    auto p = sim::policy_as_booted(h, sim::KernelVersion::parse("6.8.12-4-pve"));
    EXPECT_TRUE(p.override_cfg.downstream);
    EXPECT_EQ(p.placement, sim::OverridePlacement::proxmox);
    p = sim::policy_as_booted(h, sim::KernelVersion::parse("6.1.0-18-amd64"));
    EXPECT_FALSE(p.override_cfg.any()); // Debian's kernel ignores the parameter
    h.iommu.acs_override_active.set(true, {1, 1});
    p = sim::policy_as_booted(h, sim::KernelVersion::parse("6.1.0-18-amd64"));
    EXPECT_TRUE(p.override_cfg.any()); // the log says it was enabled
}

TEST(Compare, ReportsSplitAndMergedObservedGroups) {
    HostBuilder b;
    HostBuilder::bridge(b.pcie("00:01.0", 0x1b36, 0x000c, PortType::root_port), 1, 1);
    b.pcie("01:00.0", 0x8086, 0x10d3, PortType::endpoint);
    auto h = b.build();
    h.devices[0].observed_group.set(3, {1, 1});
    h.devices[1].observed_group.set(3, {1, 2});
    auto r = sim::simulate(h, policy(h));
    auto c = sim::compare_observed(h, r.grouping);
    EXPECT_TRUE(c.has_observed);
    EXPECT_TRUE(c.match);
    h.devices[1].observed_group.set(4, {1, 2});
    c = sim::compare_observed(h, r.grouping);
    EXPECT_FALSE(c.match);
    ASSERT_FALSE(c.differences.empty());
}
