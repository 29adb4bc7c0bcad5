// report/tree and report/dot: roles, lanes, links, groups, passthrough and override marks on
// constructed hosts; DOT escaping; SVG through Graphviz when it is installed.
#include "report/dot.hpp"
#include "report/tree.hpp"
#include "sim/policy.hpp"
#include "support/host_builder.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

using namespace il;
using model::PortType;

namespace {

constexpr int k_acs_cap = 0x5f; // SV TB RR CR UF DT
constexpr int k_acs_on = 0x1d;  // SV RR CR UF

model::LinkInfo link(int cap_w, double cap_s, int sta_w, double sta_s) {
    model::LinkInfo l;
    l.cap_width = cap_w;
    l.cap_speed_gts = cap_s;
    l.sta_width = sta_w;
    l.sta_speed_gts = sta_s;
    return l;
}

// An Intel desktop: CPU root port with a GPU (trained x8 of x16), a PCH root port with a NIC, an
// empty PCH root port, a root port without ACS holding two NICs (split only by the override),
// and a VM passing the GPU through.
model::Host intel_host() {
    test::HostBuilder b;
    auto& hb = b.pci("00:00.0", 0x8086, 0x3e0f);
    hb.class_code.set(0x0600, {1, 1});
    hb.description = "Intel Corporation 8th Gen Core Host Bridge";
    auto& rp = b.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, k_acs_cap, k_acs_on);
    rp.description = "Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16)";
    rp.link.set(link(16, 8, 8, 8), {1, 2});
    test::HostBuilder::bridge(rp, 1, 1);
    auto& gpu = b.pcie("01:00.0", 0x10de, 0x1b80, PortType::legacy_endpoint);
    gpu.class_code.set(0x0300, {1, 3});
    gpu.description = "NVIDIA Corporation GP104 [GeForce GTX 1080]";
    gpu.link.set(link(16, 8, 8, 8), {1, 3});
    auto& audio = b.pcie("01:00.1", 0x10de, 0x10f0, PortType::endpoint);
    audio.class_code.set(0x0403, {1, 4});
    audio.description = "Evil \"quoted\" \\ name & <b>";
    auto& pch = b.pcie("00:1c.0", 0x8086, 0x1c10, PortType::root_port);
    pch.description = "Intel Corporation 6 Series/C200 Series Root Port 1";
    test::HostBuilder::bridge(pch, 2, 2);
    auto& nic = b.pcie("02:00.0", 0x8086, 0x1533, PortType::endpoint);
    nic.class_code.set(0x0200, {1, 5});
    nic.link.set(link(1, 2.5, 1, 2.5), {1, 5});
    auto& empty = b.pcie("00:1c.4", 0x8086, 0x1c18, PortType::root_port);
    empty.link.set(link(4, 5, 0, 2.5), {1, 6});
    empty.physical_slot.set("4", {1, 6});
    test::HostBuilder::bridge(empty, 3, 3);
    auto& plain = b.pcie("00:1d.0", 0x8086, 0x1234, PortType::root_port);
    test::HostBuilder::bridge(plain, 4, 4);
    b.pcie("04:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("04:00.1", 0x8086, 0x10d3, PortType::endpoint);
    model::VmConfig vm;
    vm.name = "100.conf";
    model::HostPci hp;
    hp.index = 0;
    hp.bdfs = {*model::Bdf::parse("01:00.0"), *model::Bdf::parse("01:00.1")};
    vm.hostpci.push_back(hp);
    b.host.vms.push_back(vm);
    return b.build();
}

std::size_t idx(const model::Host& h, const char* bdf) {
    return static_cast<std::size_t>(h.find(*model::Bdf::parse(bdf)) - h.devices.data());
}

struct Drawn {
    model::Host host;
    model::Topology topo;
    sim::SimResult shown, baseline;
    report::Tree tree;
    explicit Drawn(model::Host h, const char* override_modes = "downstream,multifunction")
        : host(std::move(h)), topo(host) {
        auto p = sim::policy_as_booted(host);
        baseline = sim::simulate(host, topo, sim::with_override(p, {}, "none"));
        shown = sim::simulate(
            host, topo, sim::with_override(p, sim::parse_acs_override(override_modes), "test"));
        tree = report::build_tree(host, topo, shown, &baseline, {*model::Bdf::parse("02:00.0")});
    }
};

} // namespace

TEST(Tree, RolesLanesAndChipsetUplinks) {
    Drawn d(intel_host());
    const auto& h = d.host;
    const auto& n = d.tree.nodes;
    EXPECT_EQ(n[idx(h, "00:00.0")].role, report::Role::host_bridge);
    EXPECT_EQ(n[idx(h, "00:01.0")].role, report::Role::root_port);
    EXPECT_FALSE(n[idx(h, "00:01.0")].chipset_uplink);
    EXPECT_EQ(n[idx(h, "01:00.0")].lanes, report::Lanes::cpu);
    EXPECT_TRUE(n[idx(h, "00:1c.0")].chipset_uplink);
    EXPECT_NE(n[idx(h, "00:1c.0")].chipset_why.find("8086:1c10"), std::string::npos);
    EXPECT_EQ(n[idx(h, "02:00.0")].lanes, report::Lanes::chipset);
    EXPECT_EQ(n[idx(h, "00:1c.0")].lanes, report::Lanes::chipset);
    EXPECT_EQ(n[idx(h, "00:01.0")].lanes, report::Lanes::cpu); // a CPU root port: its slot's lanes
    EXPECT_EQ(n[idx(h, "00:00.0")].lanes, report::Lanes::integrated);
    EXPECT_TRUE(n[idx(h, "00:1c.4")].empty_port);
    EXPECT_FALSE(n[idx(h, "00:1c.0")].empty_port);
    ASSERT_EQ(d.tree.roots.size(), 1u);
    EXPECT_EQ(d.tree.roots[0].label, "0000:00");
    EXPECT_EQ(d.tree.roots[0].children.size(), 5u);
    EXPECT_EQ(n[idx(h, "00:01.0")].children.size(), 2u);
}

TEST(Tree, AmdChipsetBehindASwitchUpstreamPort) {
    test::HostBuilder b;
    auto& rp = b.pcie("00:01.2", 0x1022, 0x1483, PortType::root_port, k_acs_cap, k_acs_on);
    rp.description = "Advanced Micro Devices, Inc. [AMD] Starship/Matisse GPP Bridge";
    test::HostBuilder::bridge(rp, 1, 3);
    auto& up = b.pcie("01:00.0", 0x1022, 0x57ad, PortType::upstream_port);
    up.description = "Advanced Micro Devices, Inc. [AMD] Matisse Switch Upstream";
    test::HostBuilder::bridge(up, 2, 3);
    auto& dp = b.pcie("02:08.0", 0x1022, 0x57a4, PortType::downstream_port, k_acs_cap, k_acs_on);
    test::HostBuilder::bridge(dp, 3, 3);
    b.pcie("03:00.0", 0x1022, 0x1485, PortType::endpoint);
    auto h = b.build();
    model::Topology t(h);
    EXPECT_TRUE(report::is_chipset_bridge(h.devices[idx(h, "01:00.0")]));
    EXPECT_EQ(report::lanes_of(h, t, idx(h, "01:00.0")), report::Lanes::cpu); // the uplink itself
    EXPECT_EQ(report::lanes_of(h, t, idx(h, "03:00.0")), report::Lanes::chipset);
    EXPECT_EQ(report::role_of(h, t, idx(h, "02:08.0")), report::Role::switch_downstream);
}

TEST(Tree, LinksTrainedVersusCapable) {
    Drawn d(intel_host());
    const auto& gpu = d.tree.nodes[idx(d.host, "01:00.0")];
    ASSERT_TRUE(gpu.link);
    EXPECT_EQ(gpu.link->trained(), "x8 8GT/s");
    EXPECT_EQ(gpu.link->capable(), "x16 8GT/s");
    EXPECT_TRUE(gpu.link->degraded);
    const auto& nic = d.tree.nodes[idx(d.host, "02:00.0")];
    ASSERT_TRUE(nic.link);
    EXPECT_FALSE(nic.link->degraded);
    // a function without its own link registers shows no link (it shares function 0's)
    EXPECT_FALSE(d.tree.nodes[idx(d.host, "01:00.1")].link);
    // root ports: their registers describe the link below, not one above
    EXPECT_FALSE(d.tree.nodes[idx(d.host, "00:01.0")].link);
}

TEST(Tree, PassthroughAndOverrideOnlyGroups) {
    Drawn d(intel_host());
    const auto& h = d.host;
    EXPECT_TRUE(d.tree.nodes[idx(h, "01:00.0")].passthrough); // VM config
    EXPECT_TRUE(d.tree.nodes[idx(h, "01:00.1")].passthrough);
    EXPECT_TRUE(d.tree.nodes[idx(h, "02:00.0")].passthrough); // --passthrough
    EXPECT_FALSE(d.tree.nodes[idx(h, "00:01.0")].passthrough);
    // the NICs below the ACS-less root port are split only by the override
    const auto& a = d.tree.nodes[idx(h, "04:00.0")];
    const auto& b = d.tree.nodes[idx(h, "04:00.1")];
    EXPECT_NE(a.group, b.group);
    EXPECT_TRUE(a.override_only);
    EXPECT_TRUE(b.override_only);
    // the GPU sits behind an ACS root port: its group does not rest on the override
    EXPECT_FALSE(d.tree.nodes[idx(h, "00:01.0")].override_only);
    EXPECT_EQ(d.baseline.grouping.group_of[idx(h, "04:00.0")],
              d.baseline.grouping.group_of[idx(h, "04:00.1")]);

    std::ostringstream os;
    report::tree_text(os, h, d.tree);
    const auto text = os.str();
    EXPECT_NE(
        text.find(
            "01:00.0 endpoint, CPU lanes: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80]"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("link x8 8GT/s of x16 8GT/s (degraded)"), std::string::npos) << text;
    EXPECT_NE(text.find("<== PASSTHROUGH"), std::string::npos);
    EXPECT_NE(text.find("chipset uplink (Intel PCH root port id 8086:1c10)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("(empty, capable x4 5GT/s)"), std::string::npos) << text;
    EXPECT_NE(text.find("exists only with the ACS override"), std::string::npos);
    EXPECT_NE(text.find("|  \\- 01:00.1"), std::string::npos) << text;

    const auto dot = report::tree_dot(h, d.tree);
    const auto g = std::to_string(a.group);
    const auto cl = dot.find("subgraph cluster_g" + g + " {");
    ASSERT_NE(cl, std::string::npos) << dot;
    EXPECT_NE(dot.find("rounded,dashed,filled", cl), std::string::npos);
    EXPECT_LT(dot.find("rounded,dashed,filled", cl), dot.find("}", cl));
    EXPECT_NE(dot.find("color=\"#d62728\", penwidth=3"), std::string::npos);
    EXPECT_NE(dot.find("x8 8GT/s\\nof x16 8GT/s"), std::string::npos);
    EXPECT_NE(dot.find("Evil \\\"quoted\\\" \\\\ name &amp; <b>"), std::string::npos) << dot;
}

TEST(Dot, QuoteEscapes) {
    EXPECT_EQ(report::dot_quote("a\"b\\c\nd&e\x01"), "\"a\\\"b\\\\c\\nd&amp;e\"");
}

TEST(Dot, SvgThroughGraphviz) {
    if (!report::find_graphviz_dot())
        GTEST_SKIP() << "Graphviz `dot` is not installed (Debian package graphviz)";
    Drawn d(intel_host());
    auto r = report::dot_to_svg(report::tree_dot(d.host, d.tree));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_NE(r.svg.find("<svg"), std::string::npos);
    EXPECT_NE(r.svg.find("GeForce GTX 1080"), std::string::npos);
    EXPECT_NE(r.svg.find("Evil &quot;quoted&quot; \\ name &amp; &lt;b&gt;"), std::string::npos);
    EXPECT_NE(r.svg.find("stroke-dasharray"),
              std::string::npos); // the dashed override-only cluster
    const auto inl = report::svg_for_inline(r.svg);
    ASSERT_FALSE(inl.empty());
    EXPECT_EQ(inl.rfind("<svg", 0), 0u);
    EXPECT_EQ(inl.find("DOCTYPE"), std::string::npos);
    EXPECT_EQ(inl.find("http"), std::string::npos);
    EXPECT_EQ(inl.find("<!--"), std::string::npos);
}

TEST(Dot, MissingGraphvizIsAClearError) {
    ::setenv("IOMMU_LINT_DOT", "/nonexistent/dot", 1);
    auto r = report::dot_to_svg("digraph { a }");
    ::unsetenv("IOMMU_LINT_DOT");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("IOMMU_LINT_DOT"), std::string::npos) << r.error;
}

TEST(Dot, InlineSvgRefusesActiveContent) {
    EXPECT_EQ(report::svg_for_inline("<svg><script>alert(1)</script></svg>"), "");
    EXPECT_EQ(report::svg_for_inline("<svg onload=\"x()\"><g/></svg>"), "");
    EXPECT_EQ(report::svg_for_inline("<svg><a xlink:href=\"http://x\">t</a></svg>"), "");
    EXPECT_EQ(report::svg_for_inline("<svg><g style=\"fill:url(http://x)\"/></svg>"), "");
    EXPECT_EQ(report::svg_for_inline("<svg><text>a onclick=b &lt;c&gt;</text></svg>"),
              "<svg><text>a onclick=b &lt;c&gt;</text></svg>");
}

TEST(TreeCli, FormatsAndErrors) {
    const auto dir = (test::source_dir() / "corpus/boards/qemu-switch").string();
    auto r = test::run_cli("tree " + dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("root complex 0000:00"), std::string::npos);
    EXPECT_NE(r.out.find("switch upstream port"), std::string::npos);
    EXPECT_NE(r.out.find("02:03.0 switch downstream port"), std::string::npos);
    r = test::run_cli("tree " + dir + " --format dot --passthrough 03:00.0");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("digraph iommu_topology {", 0), 0u);
    EXPECT_NE(r.out.find("PASSTHROUGH"), std::string::npos);
    r = test::run_cli("tree " + dir + " --passthrough 02:01");
    ASSERT_EQ(r.exit_code, 0) << r.err; // a whole slot: its one function
    EXPECT_NE(r.out.find("02:01.0 switch downstream port"), std::string::npos);
    EXPECT_NE(r.out.find("<== PASSTHROUGH"), std::string::npos);
    r = test::run_cli("tree " + dir + " --format png");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--format must be text, dot or svg"), std::string::npos);
    r = test::run_cli("tree " + dir + " --passthrough nonsense");
    EXPECT_EQ(r.exit_code, 2);
    if (report::find_graphviz_dot()) {
        r = test::run_cli("tree " + dir + " --format svg");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("<svg"), std::string::npos);
    }
    ::setenv("IOMMU_LINT_DOT", "/nonexistent/dot", 1);
    r = test::run_cli("tree " + dir + " --format svg");
    ::unsetenv("IOMMU_LINT_DOT");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("IOMMU_LINT_DOT does not name an executable"), std::string::npos) << r.err;
}
