#include "model/ingest.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace il::model;

namespace {

Host ingest(const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<FileInput> in;
    for (const auto& [name, text] : files) in.push_back({name, text, false});
    return ingest_host("test", in);
}

Host ingest_one(const std::string& text, const std::string& name = "lspci-vv.txt") {
    return ingest({{name, text}});
}

const Device& dev(const Host& h, const char* bdf) {
    const Device* d = h.find(*Bdf::parse(bdf));
    if (!d) throw std::runtime_error(std::string("no device ") + bdf);
    return *d;
}

std::size_t count_diag(const Host& h, Diagnostic::Level lvl, const std::string& needle) {
    return static_cast<std::size_t>(
        std::count_if(h.diagnostics.begin(), h.diagnostics.end(), [&](const Diagnostic& d) {
            return d.level == lvl && d.message.find(needle) != std::string::npos;
        }));
}

bool seen(const Host& h, const std::string& f) {
    return std::find(h.formats_seen.begin(), h.formats_seen.end(), f) != h.formats_seen.end();
}

// root port (ACS) and an endpoint below it, lspci -vvnn (line numbers matter below)
const char* const kRootDump =
    R"(00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a110] (rev f1) (prog-if 00 [Normal decode])
	Control: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	Status: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
	IOMMU group: 8
	Bus: primary=00, secondary=02, subordinate=02, sec-latency=0
	Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #1, Speed 8GT/s, Width x4, ASPM L1, Exit Latency L1 <16us
		LnkSta:	Speed 2.5GT/s (downgraded), Width x1 (downgraded)
			TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-
		DevCtl2: Completion Timeout: 50us to 50ms, TimeoutDis- ARIFwd+
	Capabilities: [100 v1] Advanced Error Reporting
		UESta:	DLP- SDES- TLP- FCP- CmpltTO+ CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- UnsupReq+ ACSViol-
		UESvrt:	DLP+ SDES+ TLP- FCP+ CmpltTO+ CmpltAbrt- UnxCmplt- RxOF+ MalfTLP+ ECRC- UnsupReq- ACSViol-
		CESta:	RxErr+ BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr-
	Capabilities: [140 v1] Access Control Services
		ACSCap:	SrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd- EgressCtrl- DirectTrans-
		ACSCtl:	SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd- EgressCtrl- DirectTrans-
	Kernel driver in use: pcieport

02:00.0 Ethernet controller [0200]: Intel Corporation I211 Gigabit Network Connection [8086:1539] (rev 03)
	Subsystem: ASRock Incorporation Device [1849:1539]
	Control: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	Status: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
	IOMMU group: 9
	Capabilities: [40] Power Management version 3
		Status: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=1 PME-
	Capabilities: [70] Express (v2) Endpoint, MSI 00
		DevCap:	MaxPayload 512 bytes, PhantFunc 0, Latency L0s <512ns, L1 <64us
			ExtTag- AttnBtn- AttnInd- PwrInd- RBE+ FLReset+ SlotPowerLimit 0W
	Capabilities: [100 v2] Advanced Error Reporting
	Kernel driver in use: igb
	Kernel modules: igb
)";

} // namespace

TEST(IngestLspci, RootPortFactsWithSources) {
    Host h = ingest_one(kRootDump);
    ASSERT_EQ(h.devices.size(), 2u);
    const Device& rp = dev(h, "00:1c.0");
    EXPECT_EQ(rp.origins, std::uint32_t{origin_lspci_verbose});
    EXPECT_EQ(h.files[rp.src.file], "lspci-vv.txt");
    EXPECT_EQ(rp.src.line, 1u);
    EXPECT_TRUE(rp.vendor_id.is(0x8086));
    EXPECT_TRUE(rp.device_id.is(0xa110));
    EXPECT_TRUE(rp.class_code.is(0x0604));
    EXPECT_TRUE(rp.revision.is(0xf1));
    EXPECT_TRUE(rp.prog_if.is(0x00));
    EXPECT_EQ(rp.class_name, "PCI bridge");
    EXPECT_EQ(rp.description, "Intel Corporation Device");
    EXPECT_TRUE(rp.header_type.is(1));
    EXPECT_FALSE(rp.multifunction_bit.known());
    ASSERT_TRUE(rp.buses.known());
    EXPECT_EQ(rp.buses.value->secondary, 2);
    EXPECT_EQ(rp.buses.src.line, 5u);
    EXPECT_TRUE(rp.observed_group.is(8));
    EXPECT_EQ(rp.observed_group.src.line, 4u);
    EXPECT_TRUE(rp.caps_readable.is(true));
    EXPECT_EQ(rp.capabilities, (std::vector<std::string>{"Express", "Advanced Error Reporting",
                                                         "Access Control Services"}));
    EXPECT_TRUE(rp.is_pcie.is(true));
    EXPECT_TRUE(rp.port_type.is(PortType::root_port));
    EXPECT_EQ(rp.port_type.src.line, 6u);
    EXPECT_TRUE(rp.slot_implemented.is(true));
    EXPECT_TRUE(rp.has_acs.is(true));
    ASSERT_TRUE(rp.acs.known());
    EXPECT_EQ(rp.acs.value->cap, acs::SV | acs::TB | acs::RR | acs::CR);
    EXPECT_EQ(rp.acs.value->ctl, acs::SV | acs::RR | acs::CR);
    EXPECT_TRUE(rp.acs.value->ctl_known);
    EXPECT_EQ(rp.acs.value->offset, 0x140);
    EXPECT_EQ(rp.acs.src.line, 16u);
    EXPECT_FALSE(rp.flr.known()); // root ports print no FLReset
    EXPECT_TRUE(rp.af_flr.is(false));
    EXPECT_TRUE(rp.ari_forwarding.is(true));
    ASSERT_TRUE(rp.link.known());
    EXPECT_DOUBLE_EQ(rp.link.value->cap_speed_gts, 8.0);
    EXPECT_EQ(rp.link.value->cap_width, 4);
    EXPECT_DOUBLE_EQ(rp.link.value->sta_speed_gts, 2.5);
    EXPECT_EQ(rp.link.value->sta_width, 1);
    EXPECT_TRUE(rp.link.value->marked_downgraded);
    EXPECT_EQ(rp.link.value->dl_active, true);
    EXPECT_EQ(rp.link.src.line, 8u);
    ASSERT_TRUE(rp.aer.known());
    EXPECT_EQ(rp.aer.value->uncorrectable, (std::vector<std::string>{"CmpltTO", "UnsupReq"}));
    EXPECT_EQ(rp.aer.value->uncorrectable_fatal, (std::vector<std::string>{"CmpltTO"}));
    EXPECT_EQ(rp.aer.value->correctable, (std::vector<std::string>{"RxErr"}));
    EXPECT_TRUE(rp.driver.is("pcieport"));
    EXPECT_EQ(rp.driver.src.line, 18u);
    EXPECT_TRUE(seen(h, "lspci-vv"));
}

TEST(IngestLspci, EndpointFlrAndAcsAbsentWhenExtendedCapsShown) {
    Host h = ingest_one(kRootDump);
    const Device& ep = dev(h, "02:00.0");
    EXPECT_TRUE(ep.header_type.is(0));
    EXPECT_TRUE(ep.subsys_vendor_id.is(0x1849));
    EXPECT_TRUE(ep.subsys_device_id.is(0x1539));
    EXPECT_TRUE(ep.port_type.is(PortType::endpoint));
    EXPECT_FALSE(ep.slot_implemented.known());
    EXPECT_TRUE(ep.flr.is(true));
    EXPECT_EQ(ep.flr.src.line, 28u);
    EXPECT_TRUE(ep.no_soft_reset.is(true));
    EXPECT_TRUE(ep.prog_if.is(0)); // -v shows "(prog-if ...)" whenever it is not 0
    // extended capabilities are visible in this dump and no ACS header is listed
    EXPECT_TRUE(ep.has_acs.is(false));
    EXPECT_FALSE(ep.acs.known());
    EXPECT_FALSE(ep.aer.known()); // header without the status lines
    EXPECT_TRUE(ep.observed_group.is(9));
    EXPECT_EQ(ep.modules, (std::vector<std::string>{"igb"}));
}

TEST(IngestLspci, NonRootDumpLeavesCapabilitiesUnknown) {
    Host h = ingest_one("00:01.0 PCI bridge: Intel Corporation Haswell-E PCI Express Root Port "
                        "1 (rev 02) (prog-if 00 [Normal decode])\n"
                        "\tControl: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr+\n"
                        "\tStatus: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort-\n"
                        "\tIOMMU group: 31\n"
                        "\tBus: primary=00, secondary=02, subordinate=02, sec-latency=0\n"
                        "\tCapabilities: <access denied>\n"
                        "\tKernel driver in use: pcieport\n"
                        "\n"
                        "ff:1f.2 System peripheral: Intel Corporation Haswell-E VCU (rev 02)\n"
                        "\tControl: I/O- Mem- BusMaster- SpecCycle- MemWINV- VGASnoop- ParErr-\n"
                        "\tStatus: Cap- 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort-\n");
    const Device& rp = dev(h, "00:01.0");
    EXPECT_TRUE(rp.caps_readable.is(false));
    EXPECT_EQ(rp.caps_readable.src.line, 6u);
    EXPECT_FALSE(rp.is_pcie.known());
    EXPECT_FALSE(rp.has_acs.known());
    EXPECT_FALSE(rp.flr.known());
    EXPECT_FALSE(rp.af_flr.known());
    EXPECT_TRUE(rp.capabilities.empty());
    EXPECT_TRUE(rp.observed_group.is(31));
    EXPECT_TRUE(rp.header_type.is(1));
    EXPECT_FALSE(rp.vendor_id.known()); // plain names carry no ids
    // "Status: Cap-": no capability list at all, which is readable without root
    const Device& vcu = dev(h, "ff:1f.2");
    EXPECT_TRUE(vcu.caps_readable.is(true));
    EXPECT_TRUE(vcu.is_pcie.is(false));
    EXPECT_TRUE(vcu.header_type.is(0));
    EXPECT_FALSE(vcu.has_acs.known());
}

TEST(IngestLspci, VerboseOneAndNoExtendedCapsAnywhere) {
    Host h = ingest_one(
        "0000:00:1c.1 PCI bridge [0604]: Intel Corporation Device [8086:7a39] (rev 11) (prog-if "
        "00 [Normal decode])\n"
        "\tFlags: bus master, fast devsel, latency 0, IRQ 126, IOMMU group 12\n"
        "\tBus: primary=00, secondary=06, subordinate=06, sec-latency=0\n"
        "\tCapabilities: [40] Express Root Port (Slot+), IntMsgNum 0\n"
        "\tCapabilities: [220] Access Control Services\n"
        "\n"
        "10000:e1:00.0 Non-Volatile memory controller [0108]: SK hynix Platinum P41/PC801 NVMe "
        "Solid State Drive [1c5c:1959] (prog-if 02 [NVM Express])\n"
        "\tFlags: bus master, fast devsel, latency 0, IOMMU group 9\n"
        "\tCapabilities: [80] Express Endpoint, MSI 00\n",
        "other-lspci-vnn.txt");
    const Device& rp = dev(h, "0000:00:1c.1");
    EXPECT_TRUE(rp.observed_group.is(12));
    EXPECT_EQ(rp.observed_group.src.line, 2u);
    EXPECT_TRUE(rp.has_acs.is(true));
    EXPECT_FALSE(rp.acs.known()); // -v shows only the capability header
    const Device& nvme = dev(h, "10000:e1:00.0");
    EXPECT_EQ(nvme.bdf.domain, 0x10000u);
    EXPECT_TRUE(nvme.observed_group.is(9));
    EXPECT_TRUE(nvme.is_pcie.is(true));
    EXPECT_FALSE(nvme.flr.known());      // -v prints no DevCap
    EXPECT_TRUE(nvme.has_acs.is(false)); // [220] shows extended capabilities in this dump
    EXPECT_TRUE(seen(h, "lspci-v"));
    EXPECT_FALSE(seen(h, "lspci-vv"));
}

// Records are merged as the scan reads them; those before the first record that lists an
// extended capability wait for it, and still learn that their missing ACS header means "none".
TEST(IngestLspci, EarlierRecordsLearnOfExtendedCapsFromALaterOne) {
    Host h = ingest_one("00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e30]\n"
                        "\tFlags: bus master, fast devsel, latency 0, IOMMU group 0\n"
                        "\tCapabilities: [e0] Vendor Specific Information: Len=10 <?>\n"
                        "\n"
                        "01:00.0 Ethernet controller [0200]: Intel Corporation I210 [8086:1533]\n"
                        "\tFlags: bus master, fast devsel, latency 0, IOMMU group 4\n"
                        "\tCapabilities: [70] Express Endpoint, MSI 00\n"
                        "\n"
                        "00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a338]\n"
                        "\tFlags: bus master, fast devsel, latency 0, IOMMU group 3\n"
                        "\tBus: primary=00, secondary=01, subordinate=01, sec-latency=0\n"
                        "\tCapabilities: [40] Express Root Port (Slot+), MSI 00\n"
                        "\tCapabilities: [220] Access Control Services\n",
                        "other-lspci-vnn.txt");
    const Device& nic = dev(h, "01:00.0");
    EXPECT_TRUE(nic.is_pcie.is(true));
    EXPECT_TRUE(nic.has_acs.is(false)); // [220] below shows extended capabilities
    EXPECT_EQ(nic.has_acs.src.line, 7u);
    EXPECT_TRUE(nic.observed_group.is(4));
    const Device& host_bridge = dev(h, "00:00.0");
    EXPECT_TRUE(host_bridge.is_pcie.is(false)); // conventional: ACS does not apply
    EXPECT_TRUE(dev(h, "00:1c.0").has_acs.is(true));
    // the three records are one each, in address order
    ASSERT_EQ(h.devices.size(), 3u);
    EXPECT_EQ(h.devices[1].bdf.str(), "0000:00:1c.0");
    EXPECT_EQ(h.devices[2].bdf.str(), "0000:01:00.0");

    // without the third record nothing shows extended capabilities: unknown
    Host g = ingest_one("01:00.0 Ethernet controller [0200]: Intel Corporation I210 [8086:1533]\n"
                        "\tFlags: bus master, fast devsel, latency 0, IOMMU group 4\n"
                        "\tCapabilities: [70] Express Endpoint, MSI 00\n",
                        "other-lspci-vnn.txt");
    EXPECT_TRUE(dev(g, "01:00.0").is_pcie.is(true));
    EXPECT_FALSE(dev(g, "01:00.0").has_acs.known());
}

TEST(IngestLspci, PcieWithoutExtendedCapsInTheWholeDumpKeepsAcsUnknown) {
    Host h = ingest_one("00:1c.4 PCI bridge: Intel Corporation C610/X99 series chipset PCI "
                        "Express Root Port #5 (rev d5) (prog-if 00 [Normal decode])\n"
                        "\tControl: I/O+ Mem+ BusMaster+\n"
                        "\tBus: primary=00, secondary=0b, subordinate=0b, sec-latency=0\n"
                        "\tCapabilities: [40] Express (v2) Root Port (Slot-), MSI 00\n"
                        "\tCapabilities: [80] MSI: Enable+ Count=1/1 Maskable- 64bit-\n");
    const Device& rp = dev(h, "00:1c.4");
    EXPECT_TRUE(rp.is_pcie.is(true));
    EXPECT_TRUE(rp.slot_implemented.is(false));
    EXPECT_FALSE(rp.has_acs.known());
}

TEST(IngestLspci, UnreadableExpressDetailsStillMeanPcie) {
    Host h = ingest_one("01:00.0 Non-Volatile memory controller: Vendor X Device 1234\n"
                        "\tControl: I/O- Mem+ BusMaster+\n"
                        "\tCapabilities: [70] Express (v2) Future Port Kind, IntMsgNum 0\n"
                        "\tCapabilities: [90] Express (v2) Unknown type 3, IntMsgNum 0\n");
    const Device& d = dev(h, "01:00.0");
    EXPECT_TRUE(d.is_pcie.is(true));
    EXPECT_EQ(d.is_pcie.src.line, 3u);
    EXPECT_TRUE(d.port_type.is(PortType::other)); // from the second, readable one
    EXPECT_EQ(d.port_type.src.line, 4u);
}

TEST(IngestLspci, TerseKernelRecordsAndPathForm) {
    Host h = ingest_one(
        "root@suprox:~# lspci -nnk\n"
        "00:1c.0 PCI bridge [0604]: Intel Corporation Cannon Lake PCH PCI Express Root Port #1 "
        "[8086:a338] (rev f0)\n"
        "\tKernel driver in use: pcieport\n"
        "02:00.0 Ethernet controller [0200]: Intel Corporation I210 Gigabit Network Connection "
        "[8086:1533] (rev 03)\n"
        "\tSubsystem: Super Micro Computer Inc Device [15d9:1533]\n"
        "\tKernel driver in use: igb\n"
        "\tKernel modules: igb\n"
        "00:1c.0/03:00.0 Non-Volatile memory controller [0108]: Sandisk Corp WD Blue SN550 NVMe "
        "SSD [15b7:5009] (rev 01)\n",
        "other-lspci-nnk.txt");
    ASSERT_EQ(h.devices.size(), 3u);
    const Device& nic = dev(h, "02:00.0");
    EXPECT_EQ(nic.origins, std::uint32_t{origin_lspci_terse});
    EXPECT_TRUE(nic.driver.is("igb"));
    EXPECT_EQ(nic.driver.src.line, 6u);
    EXPECT_TRUE(nic.subsys_vendor_id.is(0x15d9));
    EXPECT_FALSE(nic.header_type.known()); // terse output tells nothing about the layout
    EXPECT_FALSE(nic.caps_readable.known());
    EXPECT_FALSE(nic.prog_if.known());
    EXPECT_TRUE(nic.revision.is(3));
    const Device& nvme = dev(h, "03:00.0");
    EXPECT_TRUE(nvme.device_id.is(0x5009));
    EXPECT_EQ(nvme.src.line, 8u);
    EXPECT_TRUE(seen(h, "lspci"));
}

TEST(IngestLspci, SecondFileConflictsAreReportedFirstValueKept) {
    const std::string a = "00:02.0 VGA compatible controller: Intel Corporation Device 3e92\n"
                          "\tControl: I/O+ Mem+ BusMaster+\n"
                          "\tIOMMU group: 1\n"
                          "\tKernel driver in use: i915\n";
    const std::string b = "00:02.0 VGA compatible controller: Intel Corporation Device 3e92\n"
                          "\tControl: I/O+ Mem+ BusMaster+\n"
                          "\tIOMMU group: 4\n"
                          "\tKernel driver in use: i915\n";
    Host h = ingest({{"lspci-vv.txt", a}, {"other-lspci-vv.txt", b}});
    const Device& gpu = dev(h, "00:02.0");
    EXPECT_TRUE(gpu.observed_group.is(1));
    EXPECT_EQ(h.files[gpu.observed_group.src.file], "lspci-vv.txt");
    EXPECT_EQ(count_diag(h, Diagnostic::Level::warning, "conflict: IOMMU group of 0000:00:02.0"),
              1u);
    EXPECT_EQ(count_diag(h, Diagnostic::Level::warning, "conflict"), 1u); // same driver: fine
}

TEST(IngestLspci, RootDumpImprovesOnNonRootDumpWithoutConflict) {
    const std::string nonroot = "00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                                "\tControl: I/O+ Mem+ BusMaster+\n"
                                "\tCapabilities: <access denied>\n";
    const std::string root = "00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                             "\tControl: I/O+ Mem+ BusMaster+\n"
                             "\tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00\n"
                             "\tCapabilities: [140 v1] Access Control Services\n"
                             "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ "
                             "UpstreamFwd+ EgressCtrl- DirectTrans-\n";
    Host h = ingest({{"a-nonroot.txt", nonroot}, {"b-root.txt", root}});
    const Device& rp = dev(h, "00:1c.0");
    EXPECT_TRUE(rp.caps_readable.is(true));
    EXPECT_EQ(h.files[rp.caps_readable.src.file], "b-root.txt");
    EXPECT_TRUE(rp.has_acs.is(true));
    ASSERT_TRUE(rp.acs.known());
    EXPECT_FALSE(rp.acs.value->ctl_known); // ACSCap without ACSCtl
    EXPECT_EQ(count_diag(h, Diagnostic::Level::warning, "conflict"), 0u);
}

TEST(IngestLspci, OddLinesAreClaimedAndNoted) {
    Host h = ingest_one(
        "lspci: Unable to load libkmod resources: error -2\n"
        "03:00.0 VGA compatible controller [0300]: Intel Corporation DG2 [Arc A770] [8086:56a0] "
        "(rev 08) (prog-if 00 [VGA controller])\n"
        "\tSubsystem: Intel Corporation Device [8086:1020]\n"
        "\t!!! Unknown header type 7f\n"
        "\tKernel driver in use: vfio-pci\n");
    const Device& gpu = dev(h, "03:00.0");
    EXPECT_FALSE(gpu.header_type.known());
    EXPECT_FALSE(gpu.caps_readable.known());
    EXPECT_TRUE(gpu.driver.is("vfio-pci"));
    EXPECT_EQ(count_diag(h, Diagnostic::Level::note, "libkmod"), 1u);
    EXPECT_EQ(count_diag(h, Diagnostic::Level::note, "Unknown header type 7f"), 1u);
}

TEST(IngestLspci, MalformedAcsLineFailsWithFileAndLine) {
    const std::string text = "00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                             "\tCapabilities: [140 v1] Access Control Services\n"
                             "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRed\n";
    try {
        ingest_one(text, "cut.txt");
        FAIL() << "expected IngestError";
    } catch (const IngestError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("cut.txt:3: ", 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("ACSCap"), std::string::npos);
    }
    EXPECT_THROW(ingest_one("00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                            "\tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00\n"
                            "\t\tLnkSta:\tSpeed 8GT/s, Wid\n"),
                 IngestError);
}

TEST(IngestLspci, HexRowsGoThroughTheConfigSpaceDecoder) {
    // 64 bytes of a multi-function bridge (header type 0x81)
    const std::string dump = "00:01.0 PCI bridge: Intel Corporation Xeon E7 v3/Xeon E5 v3/Core i7 "
                             "PCI Express Root Port 1 (rev 02)\n"
                             "00: 86 80 02 2f 07 04 10 00 02 00 04 06 10 00 81 00\n"
                             "10: 00 00 00 00 00 00 00 00 00 04 04 00 f0 00 00 00\n"
                             "20: f0 ff 00 00 f1 ff 01 00 00 00 00 00 00 00 00 00\n"
                             "30: 00 00 00 00 40 00 00 00 00 00 00 00 ff 01 13 00\n";
    Host h = ingest_one(dump, "lspci-x.txt");
    const Device& d = dev(h, "00:01.0");
    EXPECT_TRUE(d.origins & origin_hex);
    EXPECT_FALSE(d.origins & origin_lspci_terse);
    EXPECT_EQ(d.config_bytes, 64);
    EXPECT_TRUE(seen(h, "lspci-x"));
    if (!d.multifunction_bit.known()) GTEST_SKIP() << "config space decoder not in this build";
    EXPECT_TRUE(d.multifunction_bit.is(true));
    EXPECT_TRUE(d.header_type.is(1));
    EXPECT_TRUE(d.vendor_id.is(0x8086));
}

TEST(IngestLspci, HexRowOutOfSequenceFails) {
    const std::string dump = "00:01.0 PCI bridge: Intel Corporation Device 2f02 (rev 02)\n"
                             "00: 86 80 02 2f 07 04 10 00 02 00 04 06 10 00 81 00\n"
                             "20: f0 ff 00 00 f1 ff 01 00 00 00 00 00 00 00 00 00\n";
    try {
        ingest_one(dump, "x.txt");
        FAIL() << "expected IngestError";
    } catch (const IngestError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("x.txt:3: ", 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("out of sequence"), std::string::npos);
    }
    EXPECT_THROW(ingest_one("00:01.0 PCI bridge: Intel Corporation Device 2f02 (rev 02)\n"
                            "00: 86 80 02 2f 07 04 10 00 02 00 04 06 10 00 81\n"
                            "10: 00 00 00 00 00 00 00 00 00 04 04 00 f0 00 00 00\n"),
                 IngestError); // short row: the next offset is out of sequence
}

// ---- corpus ---------------------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

struct Expected {
    std::set<Bdf> devices;
    std::vector<std::pair<Bdf, int>> groups; // every "IOMMU group" line, in file order
};

// An independent reading of a file: record headers at column 0 and the group lines below
// them (a blank line or other text at column 0 ends a record; hex rows and pcilib warnings
// at column 0 do not).
Expected read_expected(const std::string& text) {
    static const std::regex header(
        R"(^(([0-9a-f]{4,6}):)?([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])((/[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])*) .*: .*)");
    static const std::regex hex_row(R"(^[0-9a-f]{2,3}: )");
    // indentation may be tabs, spaces or (mail) no-break spaces
    static const std::regex group_line("^(?:\\s|\xc2\xa0)+IOMMU group: (\\d+)\\s*$");
    static const std::regex flags_line("^(?:\\s|\xc2\xa0)+Flags: .*IOMMU group (\\d+)");
    Expected e;
    std::optional<Bdf> cur;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::smatch m;
        if (std::regex_match(line, m, header)) {
            std::string addr = m[3].str();
            if (m[4].length() > 0) addr = m[4].str().substr(m[4].str().rfind('/') + 1);
            auto b = Bdf::parse(addr);
            if (!b) continue;
            if (m[2].matched) b->domain = static_cast<std::uint32_t>(std::stoul(m[2], nullptr, 16));
            e.devices.insert(*b);
            cur = *b;
            continue;
        }
        const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t' ||
                                                static_cast<unsigned char>(line[0]) == 0xc2);
        if (!indented) {
            if (line.empty() ||
                (!std::regex_search(line, hex_row) && line.rfind("pcilib:", 0) != 0))
                cur.reset();
            continue;
        }
        if (!cur) continue;
        if (std::regex_search(line, m, group_line) || std::regex_search(line, m, flags_line))
            e.groups.push_back({*cur, std::stoi(m[1])});
    }
    return e;
}

std::vector<fs::path> lspci_corpus_files() {
    std::vector<fs::path> out;
    const fs::path corpus = il::test::shared_dir() / "corpus";
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
        if (!entry.is_regular_file()) continue;
        const auto name = entry.path().filename().string();
        if (name.size() < 4 || name.substr(name.size() - 4) != ".txt") continue;
        if (name.find(".eml.") != std::string::npos) continue; // raw mails: not decoded here
        const auto text = il::test::read_file(entry.path());
        if (!read_expected(text).devices.empty()) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST(IngestLspciCorpus, EveryRecordBecomesADeviceWithItsGroup) {
    IL_REQUIRE_SHARED();
    const auto files = lspci_corpus_files();
    ASSERT_GE(files.size(), 30u);
    std::size_t total = 0;
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        const auto text = il::test::read_file(f);
        const Expected e = read_expected(text);
        Host h;
        ASSERT_NO_THROW(h = ingest_host("corpus", {{f.string(), text, false}}));
        std::set<Bdf> got;
        for (const auto& d : h.devices)
            if (d.origins & (origin_lspci_verbose | origin_lspci_terse | origin_hex))
                got.insert(d.bdf);
        EXPECT_EQ(got, e.devices) << f.filename() << ": " << got.size() << " devices, "
                                  << e.devices.size() << " records";
        for (const auto& [bdf, group] : e.groups) {
            const Device* d = h.find(bdf);
            ASSERT_NE(d, nullptr) << bdf.str();
            EXPECT_TRUE(d->observed_group.is(group)) << bdf.str() << " group " << group;
        }
        total += e.devices.size();
        std::printf("[ corpus   ] %-80s %3zu devices, %3zu group lines\n",
                    f.lexically_relative(il::test::shared_dir() / "corpus").c_str(),
                    e.devices.size(), e.groups.size());
    }
    EXPECT_GT(total, 800u);
}

TEST(IngestLspciCorpus, IndentedPasteAndSpotChecks) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus/hosts";
    auto one = [](const fs::path& p) {
        return ingest_host("spot", {{p.string(), il::test::read_file(p), false}});
    };
    // "$ lspci -nn -s 01:00.0" pasted with 4 blanks in front of every line
    Host opt = one(hosts / "dell-optiplex-5055/other-dmesg-level-err-and-lspci-nn-s.txt");
    const Device* nvme = opt.find(*Bdf::parse("01:00.0"));
    ASSERT_NE(nvme, nullptr);
    EXPECT_TRUE(nvme->device_id.is(0xf1a6));
    EXPECT_TRUE(nvme->origins & origin_lspci_terse);

    // X99 PCH root port without ACS capability (ACS only through the kernel quirk)
    Host x99 = one(hosts / "asus-x99-i7-5930k-borisv/lspci-vv.txt");
    const Device* pch = x99.find(*Bdf::parse("00:1c.4"));
    ASSERT_NE(pch, nullptr);
    EXPECT_TRUE(pch->is_pcie.is(true));
    EXPECT_TRUE(pch->has_acs.is(false));
    EXPECT_TRUE(pch->observed_group.is(31));
    const Device* cpu = x99.find(*Bdf::parse("00:01.0"));
    ASSERT_NE(cpu, nullptr);
    EXPECT_TRUE(cpu->has_acs.is(true));
    ASSERT_TRUE(cpu->link.known());
    EXPECT_TRUE(cpu->link.value->marked_downgraded);

    // non-root dump: every record "<access denied>"
    Host nr = one(il::test::shared_dir() /
                  "corpus/pastes/rockspring-sand-mark-lspci-vvvvv-nonroot-haswell-e.md.txt");
    const Device* rp = nr.find(*Bdf::parse("00:01.0"));
    ASSERT_NE(rp, nullptr);
    EXPECT_TRUE(rp->caps_readable.is(false));
    EXPECT_FALSE(rp->has_acs.known());

    // -PP paths in a root dump
    Host mac = one(hosts / "apple-imac-2020-t2-titan-ridge/lspci-vv.txt");
    const Device* xhci = mac.find(*Bdf::parse("0a:00.0"));
    ASSERT_NE(xhci, nullptr);
    EXPECT_TRUE(xhci->device_id.is(0x15ec));
}
