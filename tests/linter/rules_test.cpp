// Each lint rule: one small host on which it fires and one on which it stays silent.
#include "linter/lint.hpp"
#include "linter/registry.hpp"
#include "support/host_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace il::linter {
namespace {

using model::PortType;
using test::HostBuilder;
using K = model::LogEvent::Kind;

constexpr int ACS_ALL = 0x1f; // SV TB RR CR UF

std::vector<Finding> run(const model::Host& h, const std::string& code, LintOptions o = {}) {
    auto sel = Selection::parse({code}, {});
    auto r = lint_host(h, o, sel);
    for (const auto& f : r.findings) EXPECT_EQ(f.code, code);
    return r.findings;
}

LintOptions passing(std::initializer_list<const char*> bdfs) {
    LintOptions o;
    for (auto* b : bdfs) o.passthrough.push_back(*PassthroughRequest::parse(b));
    return o;
}

void set_class(model::Device& d, std::uint16_t cls) {
    d.class_code.set(cls, {1, 1});
}
void set_link(model::Device& d, int cw, double cs, int sw, double ss) {
    model::LinkInfo l;
    l.cap_width = cw;
    l.cap_speed_gts = cs;
    l.sta_width = sw;
    l.sta_speed_gts = ss;
    d.link.set(l, {1, 1});
}
void reset_caps(model::Device& d, bool flr, bool no_soft_reset) {
    d.flr.set(flr, {1, 1});
    d.af_flr.set(false, {1, 1}); // no Advanced Features capability
    d.no_soft_reset.set(no_soft_reset, {1, 1});
}

// Root port 00:01.0 (ACS as given) with two single-function endpoints on bus 01:
// 01:00.0 (class a) and 01:01.0 (class b).
model::Host port_with_two(int rp_acs, std::uint16_t class_a, std::uint16_t class_b) {
    HostBuilder hb;
    auto& hbr = hb.pcie("00:00.0", 0x8086, 0x1234, PortType::rc_integrated_endpoint);
    set_class(hbr, 0x0600);
    auto& rp =
        hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, rp_acs, rp_acs < 0 ? 0 : rp_acs);
    HostBuilder::bridge(rp, 1, 1);
    auto& a = hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    set_class(a, class_a);
    auto& b = hb.pcie("01:01.0", 0x144d, 0xa808, PortType::endpoint);
    set_class(b, class_b);
    return hb.build();
}

// ---------------------------------------------------------------- IL0xx input

TEST(LintRules, IL001FiresOnAccessDenied) {
    HostBuilder hb;
    hb.hidden("00:01.0", 0x8086, 0x1901);
    hb.hidden("01:00.0", 0x10de, 0x1b80);
    auto f = run(hb.build(), "IL001");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].fix.find("sudo lspci -vvv -nn -D -xxxx"), std::string::npos);
    EXPECT_NE(f[0].message.find("2 devices"), std::string::npos);
}

TEST(LintRules, IL001SilentWithCapabilities) {
    EXPECT_TRUE(run(port_with_two(ACS_ALL, 0x0300, 0x0108), "IL001").empty());
}

TEST(LintRules, IL002FiresOnConflict) {
    auto h = port_with_two(ACS_ALL, 0x0300, 0x0108);
    h.diagnostics.push_back(
        {model::Diagnostic::Level::warning, {1, 7}, "conflict: kernel version"});
    h.diagnostics.push_back({model::Diagnostic::Level::warning, {1, 9}, "conflict: IOMMU group"});
    auto f = run(h, "IL002");
    ASSERT_EQ(f.size(), 1u); // one finding per file
    EXPECT_NE(f[0].message.find("2 facts"), std::string::npos);
    ASSERT_EQ(f[0].evidence.size(), 2u);
    EXPECT_EQ(f[0].evidence[0].where, "test.txt:7");
}

TEST(LintRules, IL002SilentOnNotes) {
    auto h = port_with_two(ACS_ALL, 0x0300, 0x0108);
    h.diagnostics.push_back({model::Diagnostic::Level::note, {1, 7}, "skipped: empty"});
    EXPECT_TRUE(run(h, "IL002").empty());
}

TEST(LintRules, IL003FiresWhenObservedGroupsDiffer) {
    auto h = port_with_two(ACS_ALL, 0x0300, 0x0108);
    // the simulation isolates both endpoints; say the host put them together
    h.find(*model::Bdf::parse("01:00.0"))->observed_group.set(5, {1, 20});
    h.find(*model::Bdf::parse("01:01.0"))->observed_group.set(5, {1, 21});
    auto f = run(h, "IL003");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].message.find("observed group 5"), std::string::npos);
}

TEST(LintRules, IL003SilentWhenObservedGroupsMatch) {
    auto h = port_with_two(ACS_ALL, 0x0300, 0x0108);
    h.find(*model::Bdf::parse("01:00.0"))->observed_group.set(5, {1, 20});
    h.find(*model::Bdf::parse("01:01.0"))->observed_group.set(6, {1, 21});
    EXPECT_TRUE(run(h, "IL003").empty());
}

TEST(LintRules, IL004FiresOnUnknownPassthroughAddress) {
    auto f = run(port_with_two(ACS_ALL, 0x0300, 0x0108), "IL004", passing({"05:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("05:00.0"), std::string::npos);
}

TEST(LintRules, IL004SilentWhenAddressExists) {
    EXPECT_TRUE(run(port_with_two(ACS_ALL, 0x0300, 0x0108), "IL004", passing({"01:00.0"})).empty());
}

// ---------------------------------------------------------------- IL1xx isolation

TEST(LintRules, IL101FiresOnOverrideOnlySplit) {
    auto h = port_with_two(-1, 0x0300, 0x0108); // NVMe: storage -> error
    LintOptions o;
    o.acs_override = sim::parse_acs_override("downstream");
    auto f = run(h, "IL101", o);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].message.find("does not"), std::string::npos);
    EXPECT_FALSE(f[0].evidence.empty());
}

TEST(LintRules, IL101WarnsWithoutStorageOrTargets) {
    auto h = port_with_two(-1, 0x0300, 0x0480);
    LintOptions o;
    o.acs_override = sim::parse_acs_override("downstream");
    auto f = run(h, "IL101", o);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
}

TEST(LintRules, IL101SilentWithoutOverride) {
    EXPECT_TRUE(run(port_with_two(-1, 0x0300, 0x0108), "IL101").empty());
}

TEST(LintRules, IL102FiresWhenTargetSharesWithStorage) {
    auto f = run(port_with_two(-1, 0x0300, 0x0106), "IL102", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].message.find("0000:01:01.0"), std::string::npos);
    EXPECT_EQ(f[0].devices.size(), 2u);
}

TEST(LintRules, IL102SilentWhenPortIsolates) {
    EXPECT_TRUE(run(port_with_two(ACS_ALL, 0x0300, 0x0106), "IL102", passing({"01:00.0"})).empty());
}

TEST(LintRules, IL103FiresWhenGroupIsPartlyPassed) {
    auto f = run(port_with_two(-1, 0x0300, 0x0302), "IL103", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].message.find("not viable"), std::string::npos);
    EXPECT_NE(f[0].message.find("0000:01:01.0"), std::string::npos);
}

TEST(LintRules, IL103SilentWhenWholeGroupIsPassed) {
    // the root port stays with the host: bridges are exempt
    EXPECT_TRUE(
        run(port_with_two(-1, 0x0300, 0x0302), "IL103", passing({"01:00.0", "01:01.0"})).empty());
}

model::Host gpu_with_audio(bool flr) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 1, 1);
    // functions with ACS enabled: each its own group
    auto& g = hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint, ACS_ALL, ACS_ALL);
    set_class(g, 0x0300);
    reset_caps(g, flr, true);
    auto& a = hb.pcie("01:00.1", 0x10de, 0x10f0, PortType::endpoint, ACS_ALL, ACS_ALL);
    set_class(a, 0x0403);
    return hb.build();
}

TEST(LintRules, IL104FiresOnFunctionPassedAlone) {
    auto f = run(gpu_with_audio(false), "IL104", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].message.find("0000:01:00.1"), std::string::npos);
}

TEST(LintRules, IL104SilentWhenWholeSlotIsPassed) {
    EXPECT_TRUE(run(gpu_with_audio(false), "IL104", passing({"01:00"})).empty());
}

TEST(LintRules, IL105FiresOnPortWithoutAcs) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port);
    HostBuilder::bridge(rp, 1, 1);
    auto& a = hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    set_class(a, 0x0300);
    auto& b = hb.pcie("01:01.0", 0x144d, 0xa808, PortType::endpoint);
    set_class(b, 0x0108);
    auto& good = hb.pcie("00:1c.0", 0x8086, 0xa110, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(good, 2, 2);
    auto f = run(hb.build(), "IL105");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning); // a GPU is in the group
    EXPECT_NE(f[0].message.find("0000:00:01.0"), std::string::npos);
    EXPECT_NE(f[0].message.find("no ACS capability"), std::string::npos);
    EXPECT_NE(f[0].message.find("00:1c.0"), std::string::npos); // the port that isolates
}

TEST(LintRules, IL105SilentWhenOneCardOnly) {
    // GPU + its audio function behind a port without ACS: one card, nothing merged
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port);
    HostBuilder::bridge(rp, 1, 1);
    set_class(hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint), 0x0300);
    set_class(hb.pcie("01:00.1", 0x10de, 0x10f0, PortType::endpoint), 0x0403);
    EXPECT_TRUE(run(hb.build(), "IL105").empty());
}

// root port 00:01.0 -> switch 01:00.0 -> ports 02:00.0 / 02:01.0 -> NVMe 03:00.0 / 04:00.0
model::Host switch_with_nvme(int count) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 1, 4);
    auto& us = hb.pcie("01:00.0", 0x10b5, 0x8747, PortType::upstream_port);
    HostBuilder::bridge(us, 2, 4);
    auto& d1 = hb.pcie("02:00.0", 0x10b5, 0x8747, PortType::downstream_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(d1, 3, 3);
    auto& d2 = hb.pcie("02:01.0", 0x10b5, 0x8747, PortType::downstream_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(d2, 4, 4);
    set_class(hb.pcie("03:00.0", 0x144d, 0xa808, PortType::endpoint), 0x0108);
    if (count > 1) set_class(hb.pcie("04:00.0", 0x144d, 0xa808, PortType::endpoint), 0x0108);
    return hb.build();
}

TEST(LintRules, IL106FiresOnHeavyDevicesBehindOnePort) {
    auto f = run(switch_with_nvme(2), "IL106");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::note);
    EXPECT_NE(f[0].message.find("0000:03:00.0"), std::string::npos);
    EXPECT_NE(f[0].message.find("0000:04:00.0"), std::string::npos);
}

TEST(LintRules, IL106SilentWithOneHeavyDevice) {
    EXPECT_TRUE(run(switch_with_nvme(1), "IL106").empty());
}

// AMD CPU root port 00:01.2 -> 500-series chipset (02:00.2, 1022:43e9) -> ports -> devices
model::Host amd_chipset(bool gpu) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.2", 0x1022, 0x1483, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 2, 5);
    auto& cb = hb.pcie("02:00.2", 0x1022, 0x43e9, PortType::upstream_port);
    HostBuilder::bridge(cb, 3, 5);
    auto& p1 = hb.pcie("03:00.0", 0x1022, 0x43ea, PortType::downstream_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(p1, 4, 4);
    auto& p2 = hb.pcie("03:04.0", 0x1022, 0x43ea, PortType::downstream_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(p2, 5, 5);
    auto& a = hb.pcie("04:00.0", 0x10de, 0x2487, PortType::endpoint);
    set_class(a, gpu ? 0x0300 : 0x0c03);
    set_link(a, 16, 16, 4, 16);
    set_class(hb.pcie("05:00.0", 0x144d, 0xa808, PortType::endpoint), 0x0108);
    return hb.build();
}

TEST(LintRules, IL107FiresOnGpuAndNvmeBehindChipset) {
    auto f = run(amd_chipset(true), "IL107");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].message.find("500 Series"), std::string::npos);
    EXPECT_NE(f[0].message.find("0000:00:01.2"), std::string::npos);
}

TEST(LintRules, IL107SilentWithOneHeavyDevice) {
    EXPECT_TRUE(run(amd_chipset(false), "IL107").empty());
}

// ---------------------------------------------------------------- IL2xx reset

model::Host gpu_on_shared_bus(bool flr) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 1, 1);
    auto& g = hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    set_class(g, 0x0300);
    reset_caps(g, flr, true);
    set_class(hb.pcie("01:01.0", 0x144d, 0xa808, PortType::endpoint), 0x0108);
    return hb.build();
}

TEST(LintRules, IL201FiresWithoutAnyReset) {
    auto f = run(gpu_on_shared_bus(false), "IL201", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].message.find("FLReset-"), std::string::npos);
    EXPECT_NE(f[0].message.find("NoSoftRst+"), std::string::npos);
    EXPECT_NE(f[0].message.find("0000:01:01.0"), std::string::npos); // the bus mate
}

TEST(LintRules, IL201SilentWithFlr) {
    EXPECT_TRUE(run(gpu_on_shared_bus(true), "IL201", passing({"01:00.0"})).empty());
}

TEST(LintRules, IL201SilentWhenAloneOnItsBus) {
    auto h = gpu_with_audio(false); // GPU + audio alone on bus 01: a bus reset works
    EXPECT_TRUE(run(h, "IL201", passing({"01:00"})).empty());
}

model::Host one_gpu(std::uint16_t vendor, std::uint16_t device) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 1, 1);
    auto& g = hb.pcie("01:00.0", vendor, device, PortType::legacy_endpoint);
    set_class(g, 0x0300);
    return hb.build();
}

TEST(LintRules, IL202FiresOnPolarisTarget) {
    auto f = run(one_gpu(0x1002, 0x67df), "IL202", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].message.find("Polaris"), std::string::npos);
    EXPECT_NE(f[0].fix.find("vendor-reset"), std::string::npos);
}

TEST(LintRules, IL202NoteWhenNotPassed) {
    auto f = run(one_gpu(0x1002, 0x67df), "IL202");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::note);
}

TEST(LintRules, IL202SilentOnOtherGpu) {
    EXPECT_TRUE(run(one_gpu(0x10de, 0x1b80), "IL202", passing({"01:00.0"})).empty());
}

void add_event(model::Host& h, K kind, const char* bdf, double t, const char* text) {
    model::LogEvent e;
    e.kind = kind;
    if (bdf) e.bdf = model::Bdf::parse(bdf);
    e.time = t;
    e.text = text;
    e.src = {1, static_cast<std::uint32_t>(100 + h.events.size())};
    h.events.push_back(e);
}

TEST(LintRules, IL203FiresOnResetFailure) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_event(h, K::reset_failure, "01:00.0", 12.5,
              "vfio-pci 0000:01:00.0: not ready 65535ms after FLR; giving up");
    auto f = run(h, "IL203");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("once"), std::string::npos);
    EXPECT_EQ(f[0].evidence[0].where, "test.txt:100");
}

TEST(LintRules, IL203SilentWithoutEvents) {
    EXPECT_TRUE(run(one_gpu(0x10de, 0x1b80), "IL203").empty());
}

// ---------------------------------------------------------------- IL3xx IOMMU and interrupts

void add_param(model::Host& h, const char* key, const char* value) {
    model::KernelParam p;
    p.key = key;
    if (value) p.value = value;
    p.src = {1, 1};
    h.params.push_back(p);
}

TEST(LintRules, IL301FiresWhenCommandLineTurnsIommuOff) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_param(h, "intel_iommu", "off");
    auto f = run(h, "IL301");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].fix.find("intel_iommu=off"), std::string::npos);
}

TEST(LintRules, IL301SilentWhenOnOrUnsaid) {
    auto h = one_gpu(0x10de, 0x1b80);
    EXPECT_TRUE(run(h, "IL301").empty()); // no intel_iommu=on is not a finding
    add_param(h, "intel_iommu", "on");
    add_param(h, "iommu", "pt");
    EXPECT_TRUE(run(h, "IL301").empty());
}

TEST(LintRules, IL302FiresOnUnsafeInterrupts) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_param(h, "vfio_iommu_type1.allow_unsafe_interrupts", "1");
    auto f = run(h, "IL302");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
}

TEST(LintRules, IL302NotesBootLogWithoutRemapping) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.kernel_version.set("6.8.12-4-pve", {1, 1});
    h.iommu.enabled.set(true, {1, 40});
    auto f = run(h, "IL302");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::note);
    h.iommu.interrupt_remapping.set(true, {1, 41});
    EXPECT_TRUE(run(h, "IL302").empty());
}

TEST(LintRules, IL302SilentWithRemapping) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.iommu.interrupt_remapping.set(true, {1, 3});
    EXPECT_TRUE(run(h, "IL302").empty());
}

TEST(LintRules, IL303FiresOnBrokenStableKernel) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.kernel_version.set("6.12.76", {1, 2});
    auto f = run(h, "IL303");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("after the devices are grouped"), std::string::npos);
}

TEST(LintRules, IL303SilentOnFixedKernel) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.kernel_version.set("6.12.80", {1, 2});
    EXPECT_TRUE(run(h, "IL303").empty());
    auto h2 = one_gpu(0x10de, 0x1b80); // no kernel named: nothing to say
    EXPECT_TRUE(run(h2, "IL303").empty());
}

TEST(LintRules, IL304FiresOnDmaFaults) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_event(h, K::dmar_fault, "01:00.0", 3.0,
              "DMAR: [DMA Read] Request device [01:00.0] fault addr 0x1000");
    add_event(h, K::dmar_fault, "01:00.0", 9.0,
              "DMAR: [DMA Read] Request device [01:00.0] fault addr 0x2000");
    auto f = run(h, "IL304");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("2 DMA accesses"), std::string::npos);
    EXPECT_NE(f[0].message.find("between 3.0 s and 9.0 s"), std::string::npos);
}

TEST(LintRules, IL304SilentWithoutFaults) {
    EXPECT_TRUE(run(one_gpu(0x10de, 0x1b80), "IL304").empty());
}

// ---------------------------------------------------------------- IL4xx link, AER, bus health

TEST(LintRules, IL401CountsCorrectedErrors) {
    auto h = one_gpu(0x10de, 0x1b80);
    for (int k = 0; k < 12; ++k)
        add_event(h, K::aer_corrected, "01:00.0", 1.0 + k, "AER: Corrected error");
    add_event(h, K::aer_corrected, "00:01.0", 2.0, "AER: Corrected error");
    auto f = run(h, "IL401");
    ASSERT_EQ(f.size(), 2u);
    // by device address: 00:01.0 (1 error, note) then 01:00.0 (12, warning)
    EXPECT_EQ(f[0].severity, Severity::note);
    EXPECT_EQ(f[1].severity, Severity::warning);
    EXPECT_NE(f[1].message.find("12 corrected"), std::string::npos);
}

TEST(LintRules, IL401SilentWithoutErrors) {
    EXPECT_TRUE(run(one_gpu(0x10de, 0x1b80), "IL401").empty());
}

TEST(LintRules, IL402FiresOnFatalAndDpc) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_event(h, K::aer_uncorrected_fatal, "01:00.0", 5.0, "AER: Uncorrected (Fatal) error");
    add_event(h, K::dpc, "00:01.0", 5.0, "DPC: containment event");
    auto f = run(h, "IL402");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_EQ(f[1].severity, Severity::error);
}

TEST(LintRules, IL402SilentOnCorrectedOnly) {
    auto h = one_gpu(0x10de, 0x1b80);
    add_event(h, K::aer_corrected, "01:00.0", 1.0, "AER: Corrected error");
    EXPECT_TRUE(run(h, "IL402").empty());
}

TEST(LintRules, IL403FiresOnNvmeTimeouts) {
    auto h = switch_with_nvme(1);
    add_event(h, K::nvme_timeout, "03:00.0", 215.3, "nvme nvme0: I/O tag 1 QID 1 timeout");
    add_event(h, K::nvme_reset, "03:00.0", 215.4, "nvme nvme0: resetting controller");
    auto f = run(h, "IL403");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("1 command timeout and 1 controller reset"), std::string::npos);
}

TEST(LintRules, IL403SilentWithoutTimeouts) {
    EXPECT_TRUE(run(switch_with_nvme(1), "IL403").empty());
}

model::Host link(int cap_port, int sta, int cap_dev, double speed_sta, std::uint16_t cls,
                 std::optional<bool> dl_active = {}) {
    HostBuilder hb;
    auto& rp = hb.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, ACS_ALL, ACS_ALL);
    HostBuilder::bridge(rp, 1, 1);
    set_link(rp, cap_port, 8, sta, speed_sta);
    if (dl_active) {
        auto l = *rp.link.value;
        l.dl_active = dl_active;
        rp.link.set(l, {1, 1});
    }
    auto& d = hb.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    set_class(d, cls);
    set_link(d, cap_dev, 8, sta, speed_sta);
    return hb.build();
}

TEST(LintRules, IL404WidthLossIsWarning) {
    auto f = run(link(16, 8, 16, 8, 0x0108), "IL404");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::warning);
    EXPECT_NE(f[0].message.find("x8 at 8 GT/s"), std::string::npos);
    EXPECT_NE(f[0].message.find("x16 at 8 GT/s"), std::string::npos);
}

TEST(LintRules, IL404SpeedOnlyOnGpuIsNote) {
    auto f = run(link(16, 16, 16, 2.5, 0x0300), "IL404");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::note);
}

TEST(LintRules, IL404SilentWhenTheOtherEndIsNarrower) {
    // x16 slot, x4 card trained at x4: nothing lost
    EXPECT_TRUE(run(link(16, 4, 4, 8, 0x0108), "IL404").empty());
}

TEST(LintRules, IL404SilentOnEmptyPort) {
    EXPECT_TRUE(run(link(16, 1, 16, 2.5, 0x0108, false), "IL404").empty());
}

// ---------------------------------------------------------------- IL5xx VM configuration

TEST(LintRules, IL501FiresOnHostDriver) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.find(*model::Bdf::parse("01:00.0"))->driver.set("nvidia", {1, 30});
    auto f = run(h, "IL501", passing({"01:00.0"}));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("nvidia"), std::string::npos);
    EXPECT_NE(f[0].fix.find("ids=10de:1b80"), std::string::npos);
}

TEST(LintRules, IL501SilentOnVfio) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.find(*model::Bdf::parse("01:00.0"))->driver.set("vfio-pci", {1, 30});
    EXPECT_TRUE(run(h, "IL501", passing({"01:00.0"})).empty());
}

model::Host with_vm(const char* machine, bool pcie, bool x_vga, const char* bdf) {
    auto h = one_gpu(0x10de, 0x1b80);
    h.formats_seen.push_back("lspci-vv");
    model::VmConfig vm;
    vm.name = "100";
    if (machine) vm.machine.set(machine, {1, 50});
    model::HostPci hp;
    hp.index = 0;
    hp.raw = std::string(bdf) + (pcie ? ",pcie=1" : "") + (x_vga ? ",x-vga=1" : "");
    hp.bdf = model::Bdf::parse(bdf);
    hp.bdfs = {*hp.bdf};
    hp.pcie = pcie;
    hp.x_vga = x_vga;
    hp.src = {1, 51};
    vm.hostpci.push_back(hp);
    h.vms.push_back(vm);
    return h;
}

TEST(LintRules, IL502FiresOnPcieWithoutQ35) {
    auto f = run(with_vm("pc-i440fx-8.1", true, false, "01:00.0"), "IL502");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::error);
    EXPECT_NE(f[0].message.find("q35"), std::string::npos);
    auto g = run(with_vm(nullptr, true, false, "01:00.0"), "IL502");
    ASSERT_EQ(g.size(), 1u);
    EXPECT_EQ(g[0].severity, Severity::warning);
}

TEST(LintRules, IL502FiresOnMissingDevice) {
    auto f = run(with_vm("q35", true, false, "02:00.0"), "IL502");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("0000:02:00.0"), std::string::npos);
}

TEST(LintRules, IL502SilentOnGoodConfig) {
    EXPECT_TRUE(run(with_vm("q35", true, true, "01:00.0"), "IL502").empty());
}

TEST(LintRules, VmConfigMakesTargets) {
    // the hostpci entry alone (no --passthrough) makes 01:00.0 a target
    auto h = with_vm("q35", true, false, "01:00.0");
    h.find(*model::Bdf::parse("01:00.0"))->driver.set("nouveau", {1, 30});
    auto f = run(h, "IL501");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("VM 100 hostpci0"), std::string::npos);
}

// ---------------------------------------------------------------- the registry

TEST(LintRegistry, CodesAreUniqueSortedAndWellFormed) {
    const auto& rules = all_rules();
    ASSERT_GE(rules.size(), 24u);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto code = rules[i]->code();
        ASSERT_EQ(code.size(), 5u);
        EXPECT_EQ(code.substr(0, 2), "IL");
        EXPECT_TRUE(
            std::all_of(code.begin() + 2, code.end(), [](char c) { return c >= '0' && c <= '9'; }));
        if (i > 0) {
            EXPECT_LT(rules[i - 1]->code(), code);
        }
        const auto name = rules[i]->name();
        EXPECT_TRUE(std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        })) << name;
        EXPECT_FALSE(rules[i]->summary().empty());
        EXPECT_EQ(find_rule(code), rules[i]);
    }
}

} // namespace
} // namespace il::linter
