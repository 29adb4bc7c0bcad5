#include "grammars/common/text.hpp"
#include "model/ingest.hpp"
#include "model/ingest_detail.hpp"
#include "model/snapshot.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace il::model;
namespace fs = std::filesystem;

namespace {

Host ingest(const std::string& text, const std::string& name = "dmesg.txt") {
    return ingest_host("h", {FileInput{name, text, false}});
}

const Device& dev(const Host& h, const char* bdf) {
    const Device* d = h.find(*Bdf::parse(bdf));
    if (!d) throw std::runtime_error(std::string("no device ") + bdf);
    return *d;
}

int group_of(const Host& h, const char* bdf) {
    const Device* d = h.find(*Bdf::parse(bdf));
    return d && d->observed_group.known() ? *d->observed_group : -1;
}

bool has_format(const Host& h, const std::string& f) {
    return std::find(h.formats_seen.begin(), h.formats_seen.end(), f) != h.formats_seen.end();
}

int warnings_about(const Host& h, const std::string& what) {
    int n = 0;
    for (const auto& d : h.diagnostics)
        if (d.level == Diagnostic::Level::warning && d.message.find(what) != std::string::npos) ++n;
    return n;
}

std::vector<const LogEvent*> events_of(const Host& h, LogEvent::Kind k) {
    std::vector<const LogEvent*> v;
    for (const auto& e : h.events)
        if (e.kind == k) v.push_back(&e);
    return v;
}

} // namespace

// ---------------------------------------------------------------- prefix styles

TEST(IngestKernelLog, EveryPrefixStyleGivesTheGroup) {
    struct Case {
        const char* line;
        const char* format;
    };
    const Case cases[] = {
        {"[    1.234567] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"[ 1.234567] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"<6>[    1.234567] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"[    1.234567][    T1] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"kern  :info  : [    1.234567] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"[Sat Nov 21 12:00:00 2026] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"[Nov21 12:00] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"[  +0.000123] pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {" pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"2026-11-21T12:00:00,123456+01:00 pci 0000:00:1c.0: Adding to iommu group 7", "dmesg"},
        {"Nov 21 12:00:00 pve kernel: pci 0000:00:1c.0: Adding to iommu group 7", "journal"},
        {"Jan  1 23:30:53 begin kernel: [    1.234567] pci 0000:00:1c.0: Adding to iommu group 7",
         "syslog"},
        {"6,339,1234567,-;pci 0000:00:1c.0: Adding to iommu group 7", "kmsg"},
    };
    for (const auto& c : cases) {
        Host h = ingest(std::string(c.line) + "\n");
        EXPECT_EQ(group_of(h, "0000:00:1c.0"), 7) << c.line;
        EXPECT_TRUE(has_format(h, c.format)) << c.line;
        EXPECT_TRUE(dev(h, "00:1c.0").origins & origin_log) << c.line;
        EXPECT_TRUE(h.iommu.groups_seen.is(true)) << c.line;
        EXPECT_TRUE(h.iommu.enabled.is(true)) << c.line;
        EXPECT_EQ(dev(h, "00:1c.0").observed_group.src.line, 1u) << c.line;
    }
}

TEST(IngestKernelLog, OldIommuGroupForm) {
    Host h = ingest("[    1.0] iommu: Adding device 0000:00:02.0 to group 1\n");
    EXPECT_EQ(group_of(h, "00:02.0"), 1);
}

TEST(IngestKernelLog, TimestampsOnlyWhenSinceBoot) {
    Host h = ingest("[   46.675818] pcieport 0000:41:01.0: pciehp: Slot(1): Link Down\n"
                    "[Sat Nov 21 12:00:00 2026] pcieport 0000:41:01.0: pciehp: Slot(1): Link Down\n"
                    "6,40,5140900,-;pcieport 0000:41:01.0: pciehp: Slot(1): Link Down\n");
    auto v = events_of(h, LogEvent::Kind::link_down);
    ASSERT_EQ(v.size(), 3u);
    ASSERT_TRUE(v[0]->time);
    EXPECT_DOUBLE_EQ(*v[0]->time, 46.675818);
    EXPECT_FALSE(v[1]->time); // wall clock
    ASSERT_TRUE(v[2]->time);
    EXPECT_DOUBLE_EQ(*v[2]->time, 5.1409);
    EXPECT_EQ(v[0]->text, "pcieport 0000:41:01.0: pciehp: Slot(1): Link Down");
    EXPECT_EQ(*v[0]->bdf, *Bdf::parse("0000:41:01.0"));
    EXPECT_EQ(v[1]->src.line, 2u);
}

// ---------------------------------------------------------------- kernel version, command line

TEST(IngestKernelLog, VersionAndCommandLine) {
    Host h = ingest(
        "[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 "
        "(Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC\n"
        "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro intel_iommu=on "
        "iommu=pt \"acpi_osi=Windows 2020\"\n"
        "[    0.031548] Kernel command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro intel_iommu=on "
        "iommu=pt \"acpi_osi=Windows 2020\"\n");
    ASSERT_TRUE(h.kernel_version.known());
    EXPECT_EQ(*h.kernel_version, "6.1.0-18-amd64");
    EXPECT_EQ(h.kernel_version.src.line, 1u);
    ASSERT_TRUE(h.cmdline.known());
    EXPECT_EQ(h.cmdline.src.line, 2u);
    ASSERT_NE(h.param("intel_iommu"), nullptr);
    EXPECT_EQ(*h.param("intel_iommu")->value, "on");
    EXPECT_EQ(*h.param("acpi_osi")->value, "Windows 2020");
    EXPECT_EQ(h.param("iommu")->src.line, 2u);
    EXPECT_EQ(warnings_about(h, "conflict"), 0);
}

TEST(IngestKernelLog, FirstVersionAndCommandLineWinConflictsReported) {
    Host h = ingest_host("h", {FileInput{"dmesg.txt",
                                         "[    0.000000] Linux version 5.4.17 (a@b) (gcc) #1\n"
                                         "[    0.000000] Command line: ro quiet intel_iommu=on\n",
                                         false},
                               FileInput{"other-dmesg-5.5.txt",
                                         "[    0.000000] Linux version 5.5.1 (a@b) (gcc) #1\n"
                                         "[    0.000000] Command line: ro quiet\n",
                                         false}});
    EXPECT_EQ(*h.kernel_version, "5.4.17");
    EXPECT_EQ(*h.cmdline, "ro quiet intel_iommu=on");
    EXPECT_NE(h.param("intel_iommu"), nullptr); // params from the first command line only
    EXPECT_EQ(h.params.size(), 3u);
    EXPECT_EQ(warnings_about(h, "conflict: kernel version"), 1);
    EXPECT_EQ(warnings_about(h, "conflict: kernel command line"), 1);
}

// ---------------------------------------------------------------- IOMMU state

TEST(IngestKernelLog, IntelIommuState) {
    Host h = ingest("[    0.008374] ACPI: DMAR 0x00000000BDDAD200 000720 (v01 HP     ProLiant)\n"
                    "[    0.142962] DMAR: IOMMU enabled\n"
                    "[    4.466461] DMAR: Host address width 46\n"
                    "[    5.010766] DMAR-IR: Enabled IRQ remapping in xapic mode\n"
                    "[    5.012566] x2apic: IRQ remapping doesn't support X2APIC mode\n"
                    "[   14.144618] iommu: Default domain type: Passthrough\n"
                    "[   26.477875] DMAR: Intel(R) Virtualization Technology for Directed I/O\n");
    const auto& s = h.iommu;
    EXPECT_TRUE(s.vendor.is("intel"));
    EXPECT_EQ(s.vendor.src.line, 1u);
    EXPECT_TRUE(s.hardware_present.is(true));
    EXPECT_TRUE(s.enabled.is(true));
    EXPECT_EQ(s.enabled.src.line, 7u);
    EXPECT_TRUE(s.interrupt_remapping.is(true));
    EXPECT_EQ(s.interrupt_remapping.src.line, 4u);
    EXPECT_TRUE(s.default_domain.is("Passthrough"));
    EXPECT_FALSE(s.groups_seen.known());
    EXPECT_FALSE(s.acs_override_active.known());
    EXPECT_TRUE(h.devices.empty());
}

TEST(IngestKernelLog, UnknownStaysUnknown) {
    Host h = ingest("[    0.000000] x86/fpu: Supporting XSAVE feature 0x001\n"
                    "[    0.000000] DMAR: IOMMU enabled\n" // intel_iommu=on parsed, nothing else
                    "[    0.100000] x2apic: IRQ remapping doesn't support X2APIC mode\n"
                    "[    0.200000] DMAR: Disable GFX device mapping\n");
    EXPECT_FALSE(h.iommu.vendor.known());
    EXPECT_FALSE(h.iommu.hardware_present.known());
    EXPECT_FALSE(h.iommu.enabled.known());
    EXPECT_FALSE(h.iommu.interrupt_remapping.known());
    EXPECT_FALSE(h.kernel_version.known());
    EXPECT_TRUE(has_format(h, "dmesg"));
}

TEST(IngestKernelLog, IntelIommuOnOnAnAmdHostIsNoConflict) {
    Host h = ingest("[    0.000000] DMAR: IOMMU enabled\n"
                    "[    0.018822] ACPI: IVRS 0x00000000BF742000 0001A4 (v02 LENOVO TP-R1B)\n"
                    "[    0.638397] pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40\n"
                    "[    0.638413] AMD-Vi: Interrupt remapping enabled\n"
                    "[    0.703103] AMD-Vi: AMD IOMMUv2 loaded and initialized\n"
                    "[    0.900000] pci 0000:00:01.0: Adding to iommu group 0\n");
    EXPECT_TRUE(h.iommu.vendor.is("amd"));
    EXPECT_EQ(h.iommu.vendor.src.line, 2u);
    EXPECT_TRUE(h.iommu.hardware_present.is(true));
    EXPECT_TRUE(h.iommu.interrupt_remapping.is(true));
    EXPECT_TRUE(h.iommu.enabled.is(true));
    EXPECT_EQ(warnings_about(h, "conflict"), 0);
}

TEST(IngestKernelLog, IntelIommuOffOrFailed) {
    Host off = ingest("[    0.000000] DMAR: IOMMU disabled\n"
                      "[    0.100000] DMAR: Host address width 39\n");
    EXPECT_TRUE(off.iommu.enabled.is(false));
    EXPECT_EQ(off.iommu.enabled.src.line, 1u);

    // "intel_iommu=off" on a host with no Intel evidence says nothing
    Host amd = ingest("[    0.000000] DMAR: IOMMU disabled\n");
    EXPECT_FALSE(amd.iommu.enabled.known());

    Host fw = ingest("[    0.145914] DMAR: IOMMU enabled\n"
                     "[    0.246253] DMAR: Host address width 46\n"
                     "[    0.246260] DMAR: [Firmware Bug]: No firmware reserved region can cover "
                     "this RMRR [0x0000000041d92000-0x0000000041d94fff]\n"
                     "[    0.246271] DMAR: Parse DMAR table failure.\n");
    EXPECT_TRUE(fw.iommu.enabled.is(false));
    EXPECT_EQ(fw.iommu.enabled.src.line, 4u);
    auto other = events_of(fw, LogEvent::Kind::other);
    ASSERT_EQ(other.size(), 1u);
    EXPECT_NE(other[0]->text.find("Firmware Bug"), std::string::npos);
}

TEST(IngestKernelLog, IrLeftOnByKexecIsAnEvent) {
    Host h = ingest("[    2.1] DMAR-IR: IRQ remapping was enabled on dmar6 but we are not in "
                    "kdump mode\n");
    EXPECT_TRUE(h.iommu.vendor.is("intel"));
    EXPECT_FALSE(h.iommu.interrupt_remapping.known());
    EXPECT_EQ(events_of(h, LogEvent::Kind::other).size(), 1u);
}

TEST(IngestKernelLog, AcsOverrideAndPchQuirk) {
    Host h = ingest("[    0.000000] Warning: PCIe ACS overrides enabled; This may allow non-IOMMU "
                    "protected peer-to-peer DMA\n"
                    "[    0.312734] pci 0000:00:1c.0: Intel SPT PCH root port ACS workaround "
                    "enabled\n"
                    "[    0.313705] pci 0000:00:1c.4: Failed to enable Intel PCH ACS quirk\n");
    EXPECT_TRUE(h.iommu.acs_override_active.is(true));
    EXPECT_TRUE(h.iommu.pch_acs_workaround.is(true));
    EXPECT_EQ(h.iommu.pch_acs_workaround.src.line, 2u);
    EXPECT_TRUE(h.iommu.pch_acs_workaround_failed.is(true));
    EXPECT_TRUE(dev(h, "00:1c.0").pch_acs_quirk.is(true));
    EXPECT_TRUE(dev(h, "00:1c.4").pch_acs_quirk.is(false));
}

TEST(IngestKernelLog, SwiotlbHintOnlyForWholeBootLogsWithoutIommu) {
    Host none =
        ingest("[    0.000000] Linux version 5.3.8 (root@debian) (gcc) #3\n"
               "[    1.848543] PCI-DMA: Using software bounce buffering for IO (SWIOTLB)\n");
    EXPECT_FALSE(none.iommu.enabled.known()); // a hint, not a fact
    int notes = 0;
    for (const auto& d : none.diagnostics)
        if (d.message.find("SWIOTLB") != std::string::npos) ++notes;
    EXPECT_EQ(notes, 1);

    Host with = ingest("[    0.000000] Linux version 5.3.8 (root@debian) (gcc) #3\n"
                       "[    1.0] DMAR: Intel(R) Virtualization Technology for Directed I/O\n"
                       "[    1.1] PCI-DMA: Using software bounce buffering for IO (SWIOTLB)\n");
    for (const auto& d : with.diagnostics) EXPECT_EQ(d.message.find("SWIOTLB"), std::string::npos);
}

// ---------------------------------------------------------------- enumeration

TEST(IngestKernelLog, EnumerationCreatesDevices) {
    Host h = ingest(
        "[    0.3] pci 0000:00:1c.0: [8086:a338] type 01 class 0x060400 PCIe Root Port\n"
        "[    0.3] pci 0000:00:1f.0: [8086:a305] type 00 class 0x060100 conventional PCI endpoint\n"
        "[    0.3] pci 0000:00:1f.3: [8086:a348] type 80 class 0x040300\n"
        "[    0.4] pci 0000:01:00.0: [10de:1b80] type 00 class 0x030000 PCIe Legacy Endpoint\n"
        "[    0.5] pci 0000:00:1c.0: PCI bridge to [bus 01-02]\n"
        "[    0.5] pci 0000:02:01.1: PCI bridge to [bus 2b]\n");
    ASSERT_EQ(h.devices.size(), 5u);
    const auto& rp = dev(h, "00:1c.0");
    EXPECT_TRUE(rp.vendor_id.is(0x8086));
    EXPECT_TRUE(rp.device_id.is(0xa338));
    EXPECT_TRUE(rp.class_code.is(0x0604));
    EXPECT_TRUE(rp.prog_if.is(0x00));
    EXPECT_TRUE(rp.header_type.is(1));
    EXPECT_FALSE(rp.multifunction_bit.known()); // the kernel prints the type without bit 7
    EXPECT_TRUE(rp.is_pcie.is(true));
    EXPECT_TRUE(rp.port_type.is(PortType::root_port));
    EXPECT_TRUE(rp.is_bridge());
    ASSERT_TRUE(rp.buses.known());
    EXPECT_EQ(*rp.buses, (BusRange{0, 1, 2}));
    EXPECT_EQ(rp.buses.src.line, 5u);
    EXPECT_EQ(rp.src.line, 1u);
    EXPECT_TRUE(rp.origins & origin_log);

    EXPECT_TRUE(dev(h, "00:1f.0").is_pcie.is(false));
    EXPECT_FALSE(dev(h, "00:1f.0").port_type.known());
    EXPECT_TRUE(dev(h, "00:1f.3").header_type.is(0));
    EXPECT_TRUE(dev(h, "00:1f.3").multifunction_bit.is(true));
    EXPECT_FALSE(dev(h, "00:1f.3").is_pcie.known()); // older kernels print no kind
    EXPECT_TRUE(dev(h, "00:1f.3").prog_if.is(0));
    EXPECT_TRUE(dev(h, "00:1f.3").class_code.is(0x0403));
    EXPECT_TRUE(dev(h, "01:00.0").port_type.is(PortType::legacy_endpoint));
    EXPECT_EQ(*dev(h, "02:01.1").buses, (BusRange{2, 0x2b, 0x2b}));
    EXPECT_FALSE(dev(h, "01:00.0").observed_group.known());
}

TEST(IngestKernelLog, BridgeRenumberingInOneLogKeepsTheLast) {
    Host h = ingest("[    0.5] pci 0000:00:1c.0: PCI bridge to [bus 01-02]\n"
                    "[  900.0] pci 0000:00:1c.0: PCI bridge to [bus 01-05]\n");
    EXPECT_EQ(*dev(h, "00:1c.0").buses, (BusRange{0, 1, 5}));
    EXPECT_EQ(warnings_about(h, "conflict"), 0);

    Host two = ingest_host("h", {FileInput{"dmesg.txt",
                                           "[ 0.5] pci 0000:00:1c.0: PCI bridge to "
                                           "[bus 01-02]\n",
                                           false},
                                 FileInput{"other-dmesg.txt",
                                           "[ 0.5] pci 0000:00:1c.0: PCI bridge "
                                           "to [bus 01-05]\n",
                                           false}});
    EXPECT_EQ(*dev(two, "00:1c.0").buses, (BusRange{0, 1, 2}));
    EXPECT_EQ(warnings_about(two, "conflict: bridge bus numbers of 0000:00:1c.0"), 1);
}

TEST(IngestKernelLog, GroupConflictsAndHotRemoval) {
    Host h = ingest("[    1.0] pci 0000:05:00.0: Adding to iommu group 12\n"
                    "[    2.0] pci 0000:05:00.0: Adding to iommu group 13\n");
    EXPECT_EQ(group_of(h, "05:00.0"), 12);
    EXPECT_EQ(warnings_about(h, "conflict: IOMMU group of 0000:05:00.0"), 1);

    Host hot = ingest("[    1.0] pci 0000:05:00.0: Adding to iommu group 12\n"
                      "[  500.0] pci 0000:05:00.0: Removing from iommu group 12\n"
                      "[  600.0] pci 0000:05:00.0: Adding to iommu group 31\n");
    EXPECT_EQ(group_of(hot, "05:00.0"), 31);
    EXPECT_EQ(warnings_about(hot, "conflict"), 0);
}

TEST(IngestKernelLog, ImpossibleAddressIsAWarningNotADevice) {
    Host h = ingest("[    1.0] pci 0000:05:3f.0: Adding to iommu group 12\n");
    EXPECT_TRUE(h.devices.empty());
    EXPECT_EQ(warnings_about(h, "impossible PCI address"), 1);
}

// ---------------------------------------------------------------- events

TEST(IngestKernelLog, AerReportIsOneEvent) {
    Host h = ingest("Jan  1 23:30:53 begin kernel: [   46.675818] pcieport 0000:00:1d.0: AER: "
                    "Corrected error received: 0000:02:00.0\n"
                    "Jan  1 23:30:53 begin kernel: [   46.675933] nvme 0000:02:00.0: PCIe Bus "
                    "Error: severity=Corrected, type=Physical Layer, (Receiver ID)\n"
                    "Jan  1 23:30:53 begin kernel: [   46.676048] nvme 0000:02:00.0:   device "
                    "[15b7:5006] error status/mask=00000001/0000e000\n"
                    "Jan  1 23:30:53 begin kernel: [   46.676140] nvme 0000:02:00.0:    [ 0] "
                    "RxErr\n");
    ASSERT_EQ(h.events.size(), 1u);
    const auto& e = h.events[0];
    EXPECT_EQ(e.kind, LogEvent::Kind::aer_corrected);
    EXPECT_EQ(*e.bdf, *Bdf::parse("0000:02:00.0"));
    EXPECT_DOUBLE_EQ(*e.time, 46.675818);
    EXPECT_EQ(e.src.line, 1u);
    EXPECT_NE(e.text.find("Corrected error received"), std::string::npos);
    EXPECT_NE(e.text.find("RxErr"), std::string::npos);
    EXPECT_NE(e.text.find("Physical Layer"), std::string::npos);
    EXPECT_TRUE(has_format(h, "syslog"));
}

TEST(IngestKernelLog, AerSeveritiesAndReportsWithoutReceivedLine) {
    Host h = ingest("[ 1.0] pcieport 0000:00:01.0: AER: Uncorrected (Fatal) error received: "
                    "0000:01:00.0\n"
                    "[ 1.0] nvidia 0000:01:00.0: PCIe Bus Error: severity=Uncorrected (Fatal), "
                    "type=Inaccessible, (Unregistered Agent ID)\n"
                    "[ 2.0] pcieport 0000:00:01.0: AER: Uncorrected (Non-Fatal) error received: "
                    "0000:00:01.0\n"
                    "[ 3.0] pcieport 0000:07:00.0: PCIe Bus Error: severity=Correctable, "
                    "type=Data Link Layer, (Receiver ID)\n"
                    "[ 3.0] pcieport 0000:07:00.0:    [ 7] BadDLLP\n"
                    "[ 4.0] pcieport 0000:00:1c.0: AER: Corrected error received: id=00e0\n");
    ASSERT_EQ(h.events.size(), 4u);
    EXPECT_EQ(h.events[0].kind, LogEvent::Kind::aer_uncorrected_fatal);
    EXPECT_EQ(*h.events[0].bdf, *Bdf::parse("01:00.0"));
    EXPECT_EQ(h.events[1].kind, LogEvent::Kind::aer_uncorrected_nonfatal);
    EXPECT_EQ(h.events[2].kind, LogEvent::Kind::aer_corrected);
    EXPECT_EQ(*h.events[2].bdf, *Bdf::parse("07:00.0"));
    EXPECT_NE(h.events[2].text.find("BadDLLP"), std::string::npos);
    EXPECT_EQ(*h.events[3].bdf, *Bdf::parse("00:1c.0")); // id=00e0: bus 0, devfn 0xe0
}

TEST(IngestKernelLog, OtherEvents) {
    Host h = ingest(
        "[ 1.0] pcieport 0000:00:1c.0: DPC: containment event, status:0x1f01 source:0x0000\n"
        "[ 1.1] pcieport 0000:00:1c.0: DPC: error containment capabilities: Int Msg #0\n"
        "[ 2.0] nvme nvme0: pci function 0000:02:00.0\n"
        "[ 3.0] nvme nvme0: I/O 123 QID 4 timeout, aborting\n"
        "[ 3.1] nvme nvme0: I/O 124 QID 4 timeout, reset controller\n"
        "[ 3.2] nvme nvme1: controller is down; will reset: CSTS=0xffffffff, PCI_STATUS=0x10\n"
        "[ 3.3] nvme 0000:03:00.0: Removing after probe failure status: -19\n"
        "[ 4.0] DMAR: DRHD: handling fault status reg 2\n"
        "[ 4.0] DMAR: [DMA Read NO_PASID] Request device [02:00.0] fault addr 0xbdf83000 "
        "[fault reason 0x06] PTE Read access is not set\n"
        "[ 5.0] nvme 0000:01:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000c "
        "address=0xffffc080 flags=0x0050]\n"
        "[ 5.1] AMD-Vi: Event logged [IO_PAGE_FAULT device=0a:00.0 domain=0x0000 address=0x0 "
        "flags=0x0000]\n"
        "[ 6.0] vfio_pci: add [10de:1b80[ffffffff:ffffffff]] class 0x000000/00000000\n"
        "[ 6.1] vfio-pci 0000:0b:00.0: vfio_ecap_init: hiding ecap 0x19@0x270\n"
        "[ 6.2] vfio-pci: probe of 0000:19:00.0 failed with error -22\n"
        "[ 7.0] vfio-pci 0000:01:00.0: not ready 1023ms after FLR; waiting\n"
        "[ 7.1] vfio-pci 0000:01:00.0: not ready 65535ms after FLR; giving up\n"
        "[ 7.2] pcieport 0000:01:00.0: Unable to change power state from D3cold to D0, device "
        "inaccessible\n"
        "[ 7.3] vfio-pci 0000:01:00.0: timed out waiting for pending transaction; performing "
        "function level reset anyway\n"
        "[ 8.0] pcieport 0000:41:01.0: pciehp: Slot(1): Link Down\n");
    using K = LogEvent::Kind;
    auto dpc = events_of(h, K::dpc);
    ASSERT_EQ(dpc.size(), 1u);
    EXPECT_EQ(*dpc[0]->bdf, *Bdf::parse("00:1c.0"));

    auto to = events_of(h, K::nvme_timeout);
    ASSERT_EQ(to.size(), 1u);
    EXPECT_EQ(*to[0]->bdf, *Bdf::parse("02:00.0")); // nvme0 -> its PCI function
    auto rs = events_of(h, K::nvme_reset);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_EQ(*rs[0]->bdf, *Bdf::parse("02:00.0"));
    EXPECT_FALSE(rs[1]->bdf); // nvme1: function unknown
    EXPECT_EQ(*rs[2]->bdf, *Bdf::parse("03:00.0"));

    auto dmar = events_of(h, K::dmar_fault);
    ASSERT_EQ(dmar.size(), 1u);
    EXPECT_EQ(*dmar[0]->bdf, *Bdf::parse("0000:02:00.0"));
    EXPECT_NE(dmar[0]->text.find("PTE Read access"), std::string::npos);

    auto pf = events_of(h, K::io_page_fault);
    ASSERT_EQ(pf.size(), 2u);
    EXPECT_EQ(*pf[0]->bdf, *Bdf::parse("01:00.0"));
    EXPECT_EQ(*pf[1]->bdf, *Bdf::parse("0a:00.0"));

    auto vfio = events_of(h, K::vfio);
    ASSERT_EQ(vfio.size(), 3u);
    EXPECT_FALSE(vfio[0]->bdf);
    EXPECT_EQ(*vfio[1]->bdf, *Bdf::parse("0b:00.0"));
    EXPECT_EQ(*vfio[2]->bdf, *Bdf::parse("19:00.0"));

    auto rf = events_of(h, K::reset_failure);
    ASSERT_EQ(rf.size(), 3u); // the "waiting" line is progress, not a failure
    for (const auto* e : rf) EXPECT_EQ(*e->bdf, *Bdf::parse("01:00.0"));

    auto ld = events_of(h, K::link_down);
    ASSERT_EQ(ld.size(), 1u);
    EXPECT_EQ(*ld[0]->bdf, *Bdf::parse("41:01.0"));
    EXPECT_TRUE(h.devices.empty()); // events do not invent devices
}

TEST(IngestKernelLog, KmsgDictionaryNamesTheDevice) {
    Host h = ingest("4,1590,363523897,-;------------[ cut here ]------------\n"
                    "3,1638,368861144,-;nvme nvme0: I/O 12 QID 2 timeout, aborting\n"
                    " SUBSYSTEM=pci\n"
                    " DEVICE=+pci:0000:0a:00.0\n"
                    "47,1639,370063740,-;systemd-journald[301]: Sent WATCHDOG=1 notification.\n");
    ASSERT_EQ(h.events.size(), 1u);
    EXPECT_EQ(*h.events[0].bdf, *Bdf::parse("0a:00.0"));
    EXPECT_DOUBLE_EQ(*h.events[0].time, 368.861144);
    EXPECT_TRUE(has_format(h, "kmsg"));
    // a dictionary line without its record is nobody's
    EXPECT_THROW(ingest(" SUBSYSTEM=pci\n DEVICE=+pci:0000:0a:00.0\n"), IngestError);
}

TEST(IngestKernelLog, GarbageAndOtherFormatsAreNotClaimed) {
    // serial console garbage only: nothing recognisable
    EXPECT_THROW(ingest("[   20000:20:00.0: Adding to iommu group 26\n"
                        " 0000:24:00.0: Adding to iommu group 39\n"
                        "[   25.416b.0: Adding to iommu group 57\n"
                        "[  OK  ] Reached target Swap.\n"),
                 IngestError);
    // mixed with good lines: the good ones count, the garbled ones are skipped quietly
    Host h = ingest("[   20.0] pci 0000:20:00.0: Adding to iommu group 25\n"
                    "[   20000:20:00.0: Adding to iommu group 26\n"
                    "\n"
                    "[   25.416b.0: Adding to iommu group 57\n"
                    "[   26.0] pci 0000:21:00.0: Adding to iommu group 27\n");
    EXPECT_EQ(h.devices.size(), 2u);
    EXPECT_EQ(group_of(h, "20:00.0"), 25);
    EXPECT_EQ(group_of(h, "21:00.0"), 27);
    EXPECT_TRUE(h.diagnostics.empty());
}

// ---------------------------------------------------------------- corpus

namespace {

bool dmesg_like_name(const std::string& n) {
    return n == "dmesg.txt" || n.rfind("other-dmesg-", 0) == 0 ||
           n.rfind("other-kernlog-", 0) == 0 || n.rfind("other-kmsg-", 0) == 0 ||
           n.find("journal") != std::string::npos;
}

// a line starting (after blanks) with a "[ digits.digits]" dmesg stamp
bool has_stamped_line(const std::string& text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::size_t i = pos;
        while (i < end && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i < end && text[i] == '[') {
            ++i;
            while (i < end && text[i] == ' ') ++i;
            const std::size_t d = i;
            while (i < end && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
            if (i > d && i < end && text[i] == '.') {
                const std::size_t f = ++i;
                while (i < end && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
                if (i > f && i < end && text[i] == ']') return true;
            }
        }
        pos = end + 1;
    }
    return false;
}

// Distinct devices and group numbers named by well-formed "pci BDF: Adding to iommu group N"
// lines, counted with a regex independent of the grammar. Garbled console lines do not match.
struct GroupCount {
    std::set<std::string> devices;
    std::set<int> groups;
};
GroupCount count_groups(const std::string& text) {
    static const std::regex add(
        R"(^\s*(?:\[\s*\d+\.\d+\]\s+)?pci ([0-9a-f]{4,6}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): )"
        R"(Adding to iommu group (\d+)\s*$)");
    GroupCount c;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (std::regex_match(line, m, add)) {
            c.devices.insert(m[1]);
            c.groups.insert(std::stoi(m[2]));
        }
    }
    return c;
}

// The kernel log adapter alone on one file (other formats in the same file, e.g. an lspci
// dump with "IOMMU group:" lines, do not mix into the counts).
Host log_only(const fs::path& p) {
    Host h;
    h.files.emplace_back();
    const auto text = il::test::read_file(p);
    const auto file = h.add_file(p.string());
    auto doc = il::text::load(p.string(), text);
    il::text::Claims claims(doc.lines.size());
    const auto shapes = il::model::detail::line_shapes(doc);
    il::model::detail::IngestContext cx{h, file, doc, claims, shapes};
    il::model::detail::ingest_kernel_log(cx);
    h.sort_devices();
    return h;
}

std::vector<fs::path> dmesg_like_files() {
    std::vector<fs::path> out;
    const auto corpus = il::test::shared_dir() / "corpus";
    for (const auto* sub : {"hosts", "pastes"})
        for (const auto& e : fs::recursive_directory_iterator(corpus / sub)) {
            if (!e.is_regular_file()) continue;
            const auto name = e.path().filename().string();
            if (name == "SOURCE.md") continue;
            if (dmesg_like_name(name) || has_stamped_line(il::test::read_file(e.path())))
                out.push_back(e.path());
        }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST(IngestKernelLogCorpus, EveryDmesgLikeFileIngests) {
    IL_REQUIRE_SHARED();
    const auto files = dmesg_like_files();
    ASSERT_GE(files.size(), 25u);
    for (const auto& p : files) {
        SCOPED_TRACE(p.string());
        Host h;
        ASSERT_NO_THROW(
            h = ingest_host("h", {FileInput{p.string(), il::test::read_file(p), false}}));
        const bool log = has_format(h, "dmesg") || has_format(h, "journal") ||
                         has_format(h, "syslog") || has_format(h, "kmsg");
        EXPECT_TRUE(log);
    }
}

TEST(IngestKernelLogCorpus, ObservedGroupsMatchAnIndependentCount) {
    IL_REQUIRE_SHARED();
    int with_groups = 0;
    for (const auto& p : dmesg_like_files()) {
        SCOPED_TRACE(p.string());
        const auto text = il::test::read_file(p);
        if (text.find("Adding to iommu group") == std::string::npos) continue;
        if (p.string().find(".eml") != std::string::npos) continue; // wrapped mail text
        ++with_groups;
        const Host h = log_only(p);
        const auto expected = count_groups(text);
        std::set<std::string> devices;
        std::set<int> groups;
        for (const auto& d : h.devices)
            if (d.observed_group.known()) {
                devices.insert(d.bdf.str());
                groups.insert(*d.observed_group);
            }
        EXPECT_FALSE(expected.devices.empty());
        std::vector<std::string> only_here, only_there;
        std::set_difference(devices.begin(), devices.end(), expected.devices.begin(),
                            expected.devices.end(), std::back_inserter(only_here));
        std::set_difference(expected.devices.begin(), expected.devices.end(), devices.begin(),
                            devices.end(), std::back_inserter(only_there));
        EXPECT_TRUE(only_here.empty() && only_there.empty())
            << "adapter only: " << ::testing::PrintToString(only_here)
            << " count only: " << ::testing::PrintToString(only_there);
        EXPECT_EQ(groups, expected.groups);
        EXPECT_TRUE(h.iommu.groups_seen.is(true));
        EXPECT_TRUE(h.iommu.enabled.is(true));
    }
    EXPECT_GE(with_groups, 12);
}

TEST(IngestKernelLogCorpus, KnownHosts) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus" / "hosts";
    auto one = [&](const char* rel) { return log_only(hosts / rel); };

    // serial console log with garbled lines: 157 "Adding" lines, some unreadable
    Host hp = one("hp-proliant-dl388p-gen8/dmesg.txt");
    EXPECT_TRUE(hp.iommu.vendor.is("intel"));
    EXPECT_TRUE(hp.iommu.enabled.is(true));
    EXPECT_TRUE(hp.iommu.interrupt_remapping.is(true));
    EXPECT_TRUE(hp.iommu.default_domain.is("Passthrough"));
    EXPECT_TRUE(hp.iommu.pch_acs_workaround.is(true));
    EXPECT_TRUE(dev(hp, "00:1c.7").pch_acs_quirk.is(true));
    EXPECT_EQ(*hp.kernel_version, "5.4.0-1.elrdy.x86_64");
    EXPECT_NE(hp.param("intel_iommu"), nullptr);
    int from_ilo = 0;
    for (const auto* e : events_of(hp, LogEvent::Kind::dmar_fault))
        if (e->bdf && *e->bdf == *Bdf::parse("01:00.2")) ++from_ilo;
    EXPECT_GE(from_ilo, 5);
    std::size_t with_group = 0;
    for (const auto& d : hp.devices) with_group += d.observed_group.known() ? 1 : 0;
    EXPECT_GT(with_group, 140u);
    EXPECT_LT(with_group, 157u);

    // dmesg --follow with blank lines inserted by the author
    Host gb = one("gigabyte-x570-aorus-pro-wifi/dmesg.txt");
    EXPECT_TRUE(gb.iommu.vendor.is("amd"));
    EXPECT_TRUE(gb.iommu.interrupt_remapping.is(true));
    EXPECT_TRUE(gb.iommu.default_domain.is("Passthrough"));
    EXPECT_FALSE(gb.kernel_version.known()); // ring buffer head lost
    EXPECT_FALSE(events_of(gb, LogEvent::Kind::vfio).empty());
    EXPECT_EQ(group_of(gb, "0000:00:01.0"), 0);

    // dmesg -t (no timestamps, leading space)
    Host xps = one("dell-xps-13-9320-tb-dock/dmesg.txt");
    EXPECT_TRUE(has_format(xps, "dmesg"));
    EXPECT_EQ(*xps.kernel_version, "6.17.0-kenny+");
    EXPECT_TRUE(xps.iommu.interrupt_remapping.is(true));
    EXPECT_TRUE(dev(xps, "00:07.0").port_type.is(PortType::root_port));
    EXPECT_EQ(events_of(xps, LogEvent::Kind::link_down).size(), 3u);

    // dmesg -H head then plain stamps; kernel log of a kexec boot; RMRR firmware bug kernel
    Host asus = one("asus-12th-gen-laptop-gl9755/dmesg.txt");
    EXPECT_TRUE(asus.iommu.vendor.is("intel"));
    EXPECT_FALSE(events_of(asus, LogEvent::Kind::reset_failure).empty());
    Host t440 = one("dell-poweredge-t440/dmesg.txt");
    EXPECT_EQ(events_of(t440, LogEvent::Kind::other).size() >= 8u, true); // IR left on + RMRR
    Host rmrr = one("asrock-x299-taichi-xe/other-dmesg-kernel-5.5.1-rmrr-firmware-bug.txt");
    EXPECT_TRUE(rmrr.iommu.enabled.is(false));
    EXPECT_FALSE(rmrr.iommu.groups_seen.known());

    // raw /dev/kmsg records
    Host kmsg = one("asus-q87m-e-asm1812-4x-rtl8125/other-kmsg-raw-format-netdev-watchdog.txt");
    EXPECT_TRUE(has_format(kmsg, "kmsg"));
    // syslog AER lines
    Host aer = one("dell-latitude-5410/other-kernlog-aer-2021-01-01.txt");
    ASSERT_EQ(aer.events.size(), 1u);
    EXPECT_EQ(aer.events[0].kind, LogEvent::Kind::aer_corrected);
}
