#include "grammars/kernel_log/kernel_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

using namespace il::grammars::kernel_log;
namespace ast = il::grammars::kernel_log::ast;

namespace {

template <class T> const T& body_as(const Message& m) {
    static const T none{};
    const T* p = std::get_if<T>(&m.body);
    EXPECT_NE(p, nullptr) << "body has variant index " << m.body.index();
    return p ? *p : none;
}

template <class T> bool body_is(std::string_view msg) {
    return std::holds_alternative<T>(parse_message(msg).body);
}

void expect_addr(const ast::PciAddr& a, unsigned dom, unsigned bus, unsigned dev, unsigned fn) {
    EXPECT_EQ(a.domain, dom);
    EXPECT_EQ(a.bus, bus);
    EXPECT_EQ(a.dev, dev);
    EXPECT_EQ(a.fn, fn);
}

} // namespace

// ---------------------------------------------------------------- line prefixes

TEST(KernelLogPrefix, PlainDmesgWithPadding) {
    auto l = parse_line("[    1.234567] pci 0000:00:1c.0: PME# supported from D0 D3hot D3cold");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::dmesg);
    ASSERT_TRUE(l->seconds);
    EXPECT_DOUBLE_EQ(*l->seconds, 1.234567);
    EXPECT_FALSE(l->level);
    EXPECT_TRUE(l->kernel);
    EXPECT_EQ(l->message, "pci 0000:00:1c.0: PME# supported from D0 D3hot D3cold");
}

TEST(KernelLogPrefix, CollapsedAndWidePadding) {
    auto a = parse_line("[ 15.049948] pcieport 0000:00:01.0: Data Link Layer Link Active not set");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->style, Style::dmesg);
    EXPECT_DOUBLE_EQ(*a->seconds, 15.049948);
    auto b = parse_line("[15.049948] x");
    ASSERT_TRUE(b);
    EXPECT_DOUBLE_EQ(*b->seconds, 15.049948);
    auto c = parse_line("[12345678.000001] late message");
    ASSERT_TRUE(c);
    EXPECT_DOUBLE_EQ(*c->seconds, 12345678.000001);
    EXPECT_EQ(c->message, "late message");
    // indentation from a mail or a paste
    auto d = parse_line("    [    4.194306] nvme 0000:01:00.0: hello");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->message, "nvme 0000:01:00.0: hello");
}

TEST(KernelLogPrefix, EmptyMessage) {
    auto l = parse_line("[    0.000000] ");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->message, "");
}

TEST(KernelLogPrefix, PrintkLevelAndCallerId) {
    auto l = parse_line("<4>[    0.123456] DMAR: [Firmware Bug]: broken");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::dmesg);
    EXPECT_EQ(*l->level, 4);
    EXPECT_DOUBLE_EQ(*l->seconds, 0.123456);
    EXPECT_EQ(l->message, "DMAR: [Firmware Bug]: broken");

    auto c = parse_line("[    0.000000][    T0] Linux version 6.1.0 (a@b) (gcc) #1");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->message, "Linux version 6.1.0 (a@b) (gcc) #1");

    auto r = parse_line("<6>Linux version 6.1.0 (a@b) (gcc) #1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->style, Style::printk);
    EXPECT_EQ(*r->level, 6);
    EXPECT_FALSE(r->seconds);
}

TEST(KernelLogPrefix, DecodedFacilityLevel) {
    auto l = parse_line("kern  :info  : [    0.000000] Command line: ro quiet");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::dmesg);
    EXPECT_EQ(*l->level, 6);
    EXPECT_EQ(l->message, "Command line: ro quiet");
    auto t = parse_line("kern  :err   : nvme nvme0: controller is down; will reset");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->style, Style::printk);
    EXPECT_EQ(*t->level, 3);
}

TEST(KernelLogPrefix, DeltaStamps) {
    auto l = parse_line("[    1.500000 <    0.000123>] pci 0000:00:00.0: x");
    ASSERT_TRUE(l);
    EXPECT_DOUBLE_EQ(*l->seconds, 1.5);
    EXPECT_EQ(l->message, "pci 0000:00:00.0: x");
    auto d = parse_line("[<    0.000123>] pci 0000:00:00.0: x");
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->seconds);
}

TEST(KernelLogPrefix, CtimeDashT) {
    auto l = parse_line("[Sat Nov 21 12:00:00 2026] pci 0000:00:00.0: Adding to iommu group 0");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::dmesg_ctime);
    EXPECT_FALSE(l->seconds); // wall clock, not seconds since boot
    EXPECT_EQ(l->message, "pci 0000:00:00.0: Adding to iommu group 0");
    auto p = parse_line("[Mon Nov  2 09:05:07 2026] DMAR: IOMMU enabled");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->style, Style::dmesg_ctime);
}

TEST(KernelLogPrefix, HumanDashH) {
    auto a = parse_line("[Nov21 12:00] pci 0000:01:00.0: vgaarb: VGA device added");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->style, Style::dmesg_human);
    EXPECT_FALSE(a->seconds);
    EXPECT_EQ(a->message, "pci 0000:01:00.0: vgaarb: VGA device added");
    auto b = parse_line("[  +0.000123] DMAR: Intel-IOMMU force enabled due to platform opt in");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->style, Style::dmesg_human);
    EXPECT_FALSE(b->seconds); // relative to the previous line
    EXPECT_EQ(b->message, "DMAR: Intel-IOMMU force enabled due to platform opt in");
}

TEST(KernelLogPrefix, IsoTime) {
    auto l =
        parse_line("2026-11-21T12:00:00,123456+01:00 pci 0000:00:00.0: Adding to iommu group 0");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::dmesg_iso);
    EXPECT_EQ(l->message, "pci 0000:00:00.0: Adding to iommu group 0");
}

TEST(KernelLogPrefix, JournalctlKernel) {
    auto l = parse_line("Nov 21 12:00:00 pve kernel: vfio-pci 0000:01:00.0: enabling device");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::journal);
    EXPECT_TRUE(l->kernel);
    EXPECT_FALSE(l->seconds);
    EXPECT_EQ(l->message, "vfio-pci 0000:01:00.0: enabling device");

    auto iso = parse_line("2026-11-21T12:00:00+0100 pve kernel: DMAR: IOMMU enabled");
    ASSERT_TRUE(iso);
    EXPECT_EQ(iso->style, Style::journal);
    EXPECT_EQ(iso->message, "DMAR: IOMMU enabled");

    auto precise = parse_line("Nov 21 12:00:00.123456 pve kernel: DMAR: IOMMU enabled");
    ASSERT_TRUE(precise);
    EXPECT_EQ(precise->style, Style::journal);

    // dmesg --time-format=iso message that looks a bit like "host tag:"
    auto cs = parse_line("2026-11-21T12:00:00,123456+01:00 clocksource: tsc: mask: 0xff");
    ASSERT_TRUE(cs);
    EXPECT_EQ(cs->style, Style::dmesg_iso);
    EXPECT_TRUE(cs->kernel);

    auto other = parse_line("Nov 21 12:00:01 pve systemd[1]: Started Journal Service.");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->style, Style::journal);
    EXPECT_FALSE(other->kernel);

    auto mono = parse_line("[   46.675818] pve kernel: DMAR: IOMMU enabled");
    ASSERT_TRUE(mono);
    EXPECT_EQ(mono->style, Style::journal);
    EXPECT_DOUBLE_EQ(*mono->seconds, 46.675818);
    EXPECT_EQ(mono->message, "DMAR: IOMMU enabled");

    auto marker = parse_line("-- Boot 3c1f6a0e9b0d4c6e8b1f7a2c4d5e6f70 --");
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker->style, Style::journal_marker);
}

TEST(KernelLogPrefix, SyslogKernLog) {
    auto l = parse_line("Jan  1 23:30:53 begin kernel: [   46.675818] pcieport 0000:00:1d.0: AER: "
                        "Corrected error received: 0000:02:00.0");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::syslog);
    EXPECT_DOUBLE_EQ(*l->seconds, 46.675818);
    EXPECT_EQ(l->message, "pcieport 0000:00:1d.0: AER: Corrected error received: 0000:02:00.0");
}

TEST(KernelLogPrefix, Kmsg) {
    auto l = parse_line("6,339,5140900,-;pci 0000:00:00.0: Adding to iommu group 0");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::kmsg);
    EXPECT_EQ(*l->level, 6);
    EXPECT_TRUE(l->kernel);
    EXPECT_DOUBLE_EQ(*l->seconds, 5.1409);
    EXPECT_EQ(l->message, "pci 0000:00:00.0: Adding to iommu group 0");

    auto cont = parse_line("4,1594,363524300,c; intel_gtt");
    ASSERT_TRUE(cont);
    EXPECT_EQ(cont->style, Style::kmsg);
    EXPECT_EQ(cont->message, "intel_gtt");

    auto journald = parse_line("47,1595,363524364,-;systemd-journald[301]: Compressed data");
    ASSERT_TRUE(journald);
    EXPECT_FALSE(journald->kernel); // facility 5 (syslog)
    EXPECT_EQ(*journald->level, 7);

    auto caller = parse_line("6,2,0,-,caller=T0;Linux version 6.1.0 (a@b) (gcc) #1");
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->message, "Linux version 6.1.0 (a@b) (gcc) #1");

    auto field = parse_line(" DEVICE=+pci:0000:0a:00.0");
    ASSERT_TRUE(field);
    EXPECT_EQ(field->style, Style::kmsg_field);
    EXPECT_EQ(field->message, "DEVICE=+pci:0000:0a:00.0");
    EXPECT_FALSE(parse_line("DEVICE=+pci:0000:0a:00.0")); // needs the leading space
    auto dev = parse_message(field->message);
    ASSERT_TRUE(std::holds_alternative<ast::KmsgDevice>(dev.body));
    expect_addr(std::get<ast::KmsgDevice>(dev.body).addr, 0, 0xa, 0, 0);
}

TEST(KernelLogPrefix, BareDashT) {
    auto l = parse_line(" pci 0000:00:05.0: Adding to iommu group 0");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->style, Style::bare);
    EXPECT_FALSE(l->seconds);
    EXPECT_EQ(l->message, "pci 0000:00:05.0: Adding to iommu group 0");
    for (const char* s :
         {"DMAR: Host address width 39", "AMD-Vi: Interrupt remapping enabled",
          "iommu: Default domain type: Translated", "Linux version 6.17.0 (k@x) (clang) #3",
          "Command line: BOOT_IMAGE=/boot/vmlinuz ro", "Kernel command line: ro quiet",
          "pcieport 0000:41:01.0: pciehp: Slot(1): Link Down",
          "nvme nvme0: I/O 12 QID 3 timeout, "
          "aborting",
          "vfio_pci: add [10de:1b80[ffffffff:ffffffff]] class 0x000000/00000000",
          "PCI-DMA: Using software bounce buffering for IO (SWIOTLB)"}) {
        auto b = parse_line(s);
        ASSERT_TRUE(b) << s;
        EXPECT_EQ(b->style, Style::bare) << s;
    }
}

TEST(KernelLogPrefix, NotLogLines) {
    for (const char* s :
         {"", "   ", "[  OK  ] Reached target Swap.", "[1] https://lore.kernel.org/x",
          "[s2idle] deep", "00:1c.0 PCI bridge: Intel Corporation Device a338 (rev f0)",
          "0000:00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a338]",
          "\tKernel driver in use: vfio-pci", "IOMMU Group 1 00:01.0 PCI bridge [0604]: x",
          "Linux version 6.1 works fine for me", "core-arch% sudo dmesg",
          // serial console garbage
          "[   20000:20:00.0: Adding to iommu group 26", " 0000:24:00.0: Adding to iommu group 39",
          "[   25.416b.0: Adding to iommu group 57",
          "[  00:00:02.2: [8086:3c06] type 01 class 0x0604",
          "   17.206353] pci 0000:3f:13.4: [8086:3ce6] type 00 class 0x1101000", "[    0.149abled",
          "REMOVE AMC", "hostpci0: 0000:01:00.0,pcie=1",
          // kernel commit subjects quoted in mails, generic subsystem lines without a fact
          "     PCI: Cache ACS capability offset in device", "PCI: Using configuration type 1",
          "    DMAR: Host address width 39", "\tpci 0000:00:05.0: Adding to iommu group 0"}) {
        EXPECT_FALSE(parse_line(s)) << s;
    }
}

TEST(KernelLogPrefix, NonAsciiBytesAreSafe) {
    // serial consoles and mail decoding leave bytes outside ASCII in logs
    auto l = parse_line("[    0.008374] ACPI: DMAR 0x00000000BDDAD200 000720 (v01 HP     ProLiant "
                        "00000001 \xef\xbf\xbd?   0000162E)");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->message.substr(0, 10), "ACPI: DMAR");
    EXPECT_FALSE(parse_line("\xc3\xa9\xff\x80 garbage \xe2\x80\xa6"));
    auto c = parse_message("Command line: root=/dev/sda1 acpi_osi=\"Windows \xe2\x80\x93 x\"");
    EXPECT_EQ(body_as<ast::CommandLine>(c).text,
              "root=/dev/sda1 acpi_osi=\"Windows \xe2\x80\x93 x\"");
    auto u = parse_line("\xe2\x80\xa6[    1.000000] pci 0000:00:00.0: x");
    EXPECT_FALSE(u);
}

// ---------------------------------------------------------------- device prefix

TEST(KernelLogMessage, DevicePrefixes) {
    auto a = parse_message("pcieport 0000:00:1c.0: AER: enabled with IRQ 122");
    EXPECT_EQ(a.driver, "pcieport");
    ASSERT_TRUE(a.device);
    expect_addr(*a.device, 0, 0, 0x1c, 0);
    EXPECT_EQ(a.text, "AER: enabled with IRQ 122");

    auto vmd = parse_message("pcieport 10000:e0:06.0: PME: Signaling with IRQ 142");
    ASSERT_TRUE(vmd.device);
    expect_addr(*vmd.device, 0x10000, 0xe0, 6, 0);

    auto old = parse_message("pciehp 0000:00:1c.0:pcie004: Slot(0): Link Down");
    EXPECT_EQ(old.driver, "pciehp");
    ASSERT_TRUE(old.device);
    expect_addr(*old.device, 0, 0, 0x1c, 0);
    EXPECT_TRUE(std::holds_alternative<ast::LinkDown>(old.body));

    auto net = parse_message("r8169 0000:0a:00.0 enp10s0: rtl_chipcmd_cond == 1");
    ASSERT_TRUE(net.device);
    EXPECT_EQ(net.device_name, "enp10s0");
    EXPECT_EQ(net.text, "rtl_chipcmd_cond == 1");

    auto nvme = parse_message("nvme nvme0: I/O 123 QID 4 timeout, aborting");
    EXPECT_EQ(nvme.driver, "nvme");
    EXPECT_FALSE(nvme.device);
    EXPECT_EQ(nvme.device_name, "nvme0");

    auto none = parse_message("pci_bus 0000:00: root bus resource [bus 00-ff]");
    EXPECT_FALSE(none.device);
    EXPECT_EQ(none.text, "pci_bus 0000:00: root bus resource [bus 00-ff]");

    // dev 0x1f is the highest; the grammar reads two hex digits, the adapter checks ranges
    auto odd = parse_message("pci 0000:00:1f.7: x");
    ASSERT_TRUE(odd.device);
    expect_addr(*odd.device, 0, 0, 0x1f, 7);
}

// ---------------------------------------------------------------- bodies

TEST(KernelLogMessage, LinuxVersionAndCommandLine) {
    auto v = parse_message("Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 "
                           "(Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1");
    EXPECT_EQ(body_as<ast::LinuxVersion>(v).version, "6.1.0-18-amd64");
    EXPECT_TRUE(body_is<ast::Unknown>("Linux version 6.1 works fine for me"));

    auto c = parse_message("Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro intel_iommu=on");
    EXPECT_EQ(body_as<ast::CommandLine>(c).text,
              "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro intel_iommu=on");
    auto k = parse_message("Kernel command line: quiet  iommu=pt");
    EXPECT_EQ(body_as<ast::CommandLine>(k).text, "quiet  iommu=pt");
    EXPECT_EQ(body_as<ast::CommandLine>(parse_message("Command line:")).text, "");
}

TEST(KernelLogMessage, IommuGroups) {
    auto a = parse_message("pci 0000:00:1c.0: Adding to iommu group 12");
    EXPECT_EQ(body_as<ast::GroupAdd>(a).group, 12u);
    EXPECT_FALSE(body_as<ast::GroupAdd>(a).device);
    auto old = parse_message("iommu: Adding device 0000:00:02.0 to group 1");
    ASSERT_TRUE(body_as<ast::GroupAdd>(old).device);
    expect_addr(*body_as<ast::GroupAdd>(old).device, 0, 0, 2, 0);
    EXPECT_EQ(body_as<ast::GroupAdd>(old).group, 1u);
    auto rm = parse_message("pci 0000:05:00.0: Removing from iommu group 7");
    EXPECT_EQ(body_as<ast::GroupRemove>(rm).group, 7u);
}

TEST(KernelLogMessage, Enumeration) {
    auto a = parse_message("pci 0000:00:1c.0: [8086:a338] type 01 class 0x060400 PCIe Root Port");
    const auto& e = body_as<ast::PciEnum>(a);
    EXPECT_EQ(e.vendor, 0x8086u);
    EXPECT_EQ(e.device, 0xa338u);
    EXPECT_EQ(e.type, 1u);
    EXPECT_EQ(e.cls, 0x060400u);
    EXPECT_EQ(e.kind, "PCIe Root Port");

    auto old = parse_message("pci 0000:01:00.0: [10de:1b80] type 00 class 0x030000");
    EXPECT_EQ(body_as<ast::PciEnum>(old).kind, "");
    EXPECT_EQ(body_as<ast::PciEnum>(old).cls, 0x030000u);

    auto mf = parse_message("pci 0000:00:1f.0: [8086:a305] type 80 class 0x060100");
    EXPECT_EQ(body_as<ast::PciEnum>(mf).type, 0x80u);

    // a garbled class with seven digits is not an enumeration line
    EXPECT_TRUE(body_is<ast::Unknown>("[8086:3ce6] type 00 class 0x1101000"));

    auto br = parse_message("pci 0000:00:1c.0: PCI bridge to [bus 01-02]");
    EXPECT_EQ(body_as<ast::BridgeBuses>(br).secondary, 1u);
    EXPECT_EQ(body_as<ast::BridgeBuses>(br).subordinate, 2u);
    auto one = parse_message("pci 0000:20:01.1: PCI bridge to [bus 2b]");
    EXPECT_EQ(body_as<ast::BridgeBuses>(one).secondary, 0x2bu);
    EXPECT_EQ(body_as<ast::BridgeBuses>(one).subordinate, 0x2bu);
}

TEST(KernelLogMessage, IommuNotes) {
    using N = ast::IommuNote;
    auto note = [](std::string_view s) { return body_as<ast::IommuLine>(parse_message(s)).note; };
    EXPECT_EQ(note("DMAR: IOMMU enabled"), N::intel_requested);
    EXPECT_EQ(note("DMAR: Host address width 46"), N::intel_table);
    EXPECT_EQ(note("DMAR-IR: Enabled IRQ remapping in x2apic mode"), N::intel_ir_on);
    EXPECT_EQ(note("DMAR-IR: Enabled IRQ remapping in xapic mode"), N::intel_ir_on);
    EXPECT_EQ(note("DMAR-IR: IRQ remapping was enabled on dmar6 but we are not in kdump mode"),
              N::intel_ir_left_on);
    EXPECT_EQ(note("x2apic: IRQ remapping doesn't support X2APIC mode"), N::x2apic_without_ir);
    EXPECT_EQ(note("DMAR: Intel(R) Virtualization Technology for Directed I/O"), N::intel_active);
    EXPECT_EQ(note("DMAR: IOMMU disabled"), N::intel_off);
    EXPECT_EQ(note("DMAR: Disable GFX device mapping"), N::intel_gfx_off);
    EXPECT_EQ(note("DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR"),
              N::intel_firmware_bug);
    EXPECT_EQ(note("DMAR: Parse DMAR table failure."), N::intel_table_failure);
    EXPECT_EQ(note("AMD-Vi: Found IOMMU at 0000:00:00.2 cap 0x40"), N::amd_found);
    EXPECT_EQ(note("pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40"), N::amd_found);
    EXPECT_EQ(note("AMD-Vi: Interrupt remapping enabled"), N::amd_ir_on);
    EXPECT_EQ(note("AMD-Vi: AMD IOMMUv2 loaded and initialized"), N::amd_v2_loaded);
    EXPECT_EQ(note("perf/amd_iommu: Detected AMD IOMMU #0 (2 banks, 4 counters/bank)."),
              N::amd_perf);
    EXPECT_EQ(note("pci 0000:00:00.2: AMD-Vi: IOMMU performance counters supported"), N::amd_perf);
    EXPECT_EQ(note("PCI-DMA: Using software bounce buffering for IO (SWIOTLB)"), N::swiotlb);
    EXPECT_EQ(note("Warning: PCIe ACS overrides enabled; This may allow non-IOMMU protected "
                   "peer-to-peer DMA"),
              N::acs_override);
    EXPECT_EQ(note("pci 0000:00:1c.0: Intel PCH root port ACS workaround enabled"), N::pch_acs_ok);
    EXPECT_EQ(note("pci 0000:00:1c.0: Intel SPT PCH root port ACS workaround enabled"),
              N::pch_acs_ok);
    EXPECT_EQ(note("pci 0000:00:1c.0: Failed to enable Intel PCH ACS quirk"), N::pch_acs_failed);
    EXPECT_EQ(note("ACPI: DMAR 0x000000005D755000 0000A0 (v02 INTEL  Dell Inc 00000002)"),
              N::intel_table);
    EXPECT_EQ(note("ACPI: IVRS 0x00000000BF742000 0001A4 (v02 LENOVO TP-R1B   00001270)"),
              N::amd_table);

    auto dd =
        parse_message("iommu: Default domain type: Passthrough (set via kernel command line)");
    EXPECT_EQ(body_as<ast::DefaultDomain>(dd).type, "Passthrough");
    EXPECT_TRUE(body_is<ast::SubsystemLine>("DMAR: DRHD: something new"));
}

TEST(KernelLogMessage, Aer) {
    using S = ast::AerSeverity;
    auto a = parse_message("pcieport 0000:00:1c.0: AER: Corrected error received: 0000:02:00.0");
    const auto& r = body_as<ast::AerReceived>(a);
    EXPECT_EQ(r.severity, S::corrected);
    EXPECT_FALSE(r.multiple);
    ASSERT_TRUE(r.source);
    expect_addr(*r.source, 0, 2, 0, 0);

    auto n = parse_message("pcieport 0000:00:1c.4: AER: Correctable error message received from "
                           "0000:07:00.0");
    ASSERT_TRUE(body_as<ast::AerReceived>(n).source);
    expect_addr(*body_as<ast::AerReceived>(n).source, 0, 7, 0, 0);

    auto m = parse_message("pcieport 0000:00:01.0: AER: Multiple Uncorrected (Fatal) error "
                           "received: 0000:01:00.0");
    EXPECT_EQ(body_as<ast::AerReceived>(m).severity, S::fatal);
    EXPECT_TRUE(body_as<ast::AerReceived>(m).multiple);

    auto nf = parse_message("pcieport 0000:00:01.0: AER: Uncorrected (Non-Fatal) error received: "
                            "0000:01:00.0");
    EXPECT_EQ(body_as<ast::AerReceived>(nf).severity, S::nonfatal);

    auto id = parse_message("pcieport 0000:00:1c.0: AER: Corrected error received: id=00e0");
    ASSERT_TRUE(body_as<ast::AerReceived>(id).requester_id);
    EXPECT_EQ(*body_as<ast::AerReceived>(id).requester_id, 0xe0u);

    auto st = parse_message("nvme 0000:02:00.0: PCIe Bus Error: severity=Corrected, type=Physical "
                            "Layer, (Receiver ID)");
    EXPECT_EQ(body_as<ast::AerStatus>(st).severity, S::corrected);
    EXPECT_EQ(body_as<ast::AerStatus>(st).type, "Physical Layer");
    auto st2 = parse_message("pcieport 0000:00:01.0: PCIe Bus Error: severity=Uncorrectable "
                             "(Non-Fatal), type=Transaction Layer, (Requester ID)");
    EXPECT_EQ(body_as<ast::AerStatus>(st2).severity, S::nonfatal);

    EXPECT_TRUE(body_is<ast::AerDetail>(
        "nvme 0000:02:00.0:   device [15b7:5006] error status/mask=00000001/0000e000"));
    EXPECT_TRUE(body_is<ast::AerDetail>("nvme 0000:02:00.0:    [ 0] RxErr"));
    EXPECT_TRUE(body_is<ast::AerDetail>("pcieport 0000:07:00.0:    [ 7] BadDLLP"));
    EXPECT_TRUE(body_is<ast::AerDetail>("pcieport 0000:00:01.0: AER:   TLP Header: 4a000001"));
}

TEST(KernelLogMessage, EventsOfOtherKinds) {
    EXPECT_TRUE(body_is<ast::DpcEvent>(
        "pcieport 0000:00:1c.0: DPC: containment event, status:0x1f01 source:0x0000"));
    EXPECT_TRUE(body_is<ast::SubsystemLine>(
        "pcieport 0000:00:1c.0: DPC: error containment capabilities: Int Msg #0"));

    auto t = parse_message("nvme nvme0: I/O 123 QID 4 timeout, aborting");
    EXPECT_FALSE(body_as<ast::NvmeTimeout>(t).reset);
    auto tr = parse_message("nvme nvme0: I/O 123 QID 4 timeout, reset controller");
    EXPECT_TRUE(body_as<ast::NvmeTimeout>(tr).reset);
    EXPECT_TRUE(body_is<ast::NvmeTimeout>("nvme nvme0: I/O tag 967 (b3c7) QID 1 timeout, "
                                          "completion polled"));
    EXPECT_TRUE(body_is<ast::NvmeReset>("nvme nvme0: controller is down; will reset: "
                                        "CSTS=0xffffffff, PCI_STATUS=0x10"));
    EXPECT_TRUE(body_is<ast::NvmeReset>("nvme nvme0: Removing after probe failure status: -19"));
    auto fn = parse_message("nvme nvme0: pci function 0000:01:00.0");
    expect_addr(body_as<ast::NvmePciFunction>(fn).addr, 0, 1, 0, 0);

    EXPECT_TRUE(body_is<ast::DmarFaultStatus>("DMAR: DRHD: handling fault status reg 2"));
    EXPECT_TRUE(body_is<ast::DmarFaultStatus>("DMAR: DRHD: handling fault s[tatus reg 602"));
    auto f = parse_message("DMAR: [DMA Read NO_PASID] Request device [02:00.0] fault addr "
                           "0xbdf83000 [fault reason 0x06] PTE Read access is not set");
    EXPECT_EQ(body_as<ast::DmarFault>(f).type, "DMA Read NO_PASID");
    expect_addr(body_as<ast::DmarFault>(f).device, 0, 2, 0, 0);
    auto f_old = parse_message("DMAR:[DMA Write] Request device [01:00.2] fault addr f4000");
    expect_addr(body_as<ast::DmarFault>(f_old).device, 0, 1, 0, 2);

    auto amd = parse_message("nvme 0000:01:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT "
                             "domain=0x000c address=0xffffc080 flags=0x0050]");
    EXPECT_EQ(body_as<ast::AmdEvent>(amd).type, "IO_PAGE_FAULT");
    EXPECT_FALSE(body_as<ast::AmdEvent>(amd).device);
    auto amd_old = parse_message("AMD-Vi: Event logged [IO_PAGE_FAULT device=0a:00.0 "
                                 "domain=0x0000 address=0x0 flags=0x0000]");
    ASSERT_TRUE(body_as<ast::AmdEvent>(amd_old).device);
    expect_addr(*body_as<ast::AmdEvent>(amd_old).device, 0, 0xa, 0, 0);

    EXPECT_TRUE(body_is<ast::VfioLine>(
        "vfio_pci: add [10de:1b80[ffffffff:ffffffff]] class 0x000000/00000000"));
    auto probe = parse_message("vfio-pci: probe of 0000:19:00.0 failed with error -22");
    ASSERT_TRUE(body_as<ast::VfioLine>(probe).device);
    expect_addr(*body_as<ast::VfioLine>(probe).device, 0, 0x19, 0, 0);

    auto nr = parse_message("vfio-pci 0000:01:00.0: not ready 65535ms after FLR; giving up");
    EXPECT_EQ(body_as<ast::NotReady>(nr).ms, 65535u);
    EXPECT_EQ(body_as<ast::NotReady>(nr).after, "FLR");
    EXPECT_TRUE(body_as<ast::NotReady>(nr).giving_up);
    auto wait = parse_message("sdhci-pci 0000:2f:00.0: not ready 1023ms after resume; waiting");
    EXPECT_FALSE(body_as<ast::NotReady>(wait).giving_up);
    EXPECT_TRUE(body_is<ast::PowerStateFail>("pcieport 0000:01:00.0: Unable to change power "
                                             "state from D3cold to D0, device inaccessible"));
    EXPECT_TRUE(body_is<ast::PendingTransaction>(
        "vfio-pci 0000:01:00.0: timed out waiting for pending transaction; performing function "
        "level reset anyway"));
    EXPECT_TRUE(body_is<ast::LinkDown>("pcieport 0000:41:01.0: pciehp: Slot(1): Link Down"));
    EXPECT_FALSE(body_is<ast::LinkDown>("pcieport 0000:41:01.0: pciehp: Slot(1): Link Up"));
}
