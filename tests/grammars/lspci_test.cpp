#include "grammars/lspci/lspci.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ls = il::grammars::lspci;

namespace {

// Splits a test text into lines (no normalisation: tests write clean text).
struct Lines {
    std::vector<std::string> store;
    std::vector<std::string_view> views;
    explicit Lines(const std::string& text) {
        std::size_t pos = 0;
        while (pos <= text.size()) {
            auto nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            store.push_back(text.substr(pos, nl - pos));
            pos = nl + 1;
        }
        for (const auto& s : store) views.push_back(s);
    }
};

// A scan with the lines it read: record names and capability texts are views into them.
struct ScannedText : ls::Scan {
    std::unique_ptr<Lines> lines; // on the heap: the views stay valid when this moves
};

ScannedText scan_text(const std::string& text) {
    auto l = std::make_unique<Lines>(text);
    ScannedText out{ls::scan(l->views, {}), nullptr};
    out.lines = std::move(l);
    return out;
}

} // namespace

// ---- header lines ---------------------------------------------------------------------------

TEST(LspciHeader, PlainNames) {
    auto h = ls::parse_header("00:1c.4 PCI bridge: Intel Corporation C610/X99 series chipset PCI "
                              "Express Root Port #5 (rev d5) (prog-if 00 [Normal decode])");
    ASSERT_TRUE(h);
    ASSERT_EQ(h->path.size(), 1u);
    EXPECT_EQ(h->domain(), 0u);
    EXPECT_EQ(h->device().bus, 0x00);
    EXPECT_EQ(h->device().dev, 0x1c);
    EXPECT_EQ(h->device().fn, 4);
    EXPECT_EQ(h->class_name, "PCI bridge");
    EXPECT_FALSE(h->class_code);
    EXPECT_EQ(h->names, "Intel Corporation C610/X99 series chipset PCI Express Root Port #5");
    EXPECT_FALSE(h->vendor_id);
    EXPECT_EQ(h->revision, 0xd5);
    EXPECT_EQ(h->prog_if, 0x00);
    EXPECT_EQ(h->prog_if_name, "Normal decode");
}

TEST(LspciHeader, NumbersAndNames) {
    auto h = ls::parse_header("0000:45:00.0 Non-Volatile memory controller [0108]: MAXIO "
                              "Technology (Hangzhou) Ltd. NVMe SSD Controller MAP1602 (DRAM-less) "
                              "[1e4b:1602] (rev 01) (prog-if 02 [NVM Express])");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->path.front().domain, 0u);
    EXPECT_EQ(h->device().bus, 0x45);
    EXPECT_EQ(h->class_name, "Non-Volatile memory controller");
    EXPECT_EQ(h->class_code, 0x0108);
    EXPECT_EQ(h->names, "MAXIO Technology (Hangzhou) Ltd. NVMe SSD Controller MAP1602 (DRAM-less)");
    EXPECT_EQ(h->vendor_id, 0x1e4b);
    EXPECT_EQ(h->device_id, 0x1602);
    EXPECT_EQ(h->revision, 0x01);
    EXPECT_EQ(h->prog_if, 0x02);
    EXPECT_EQ(h->prog_if_name, "NVM Express");
}

TEST(LspciHeader, BracketsInsideNamesAreNotIds) {
    auto h = ls::parse_header("00:02.0 VGA compatible controller [0300]: Intel Corporation Alder "
                              "Lake-P GT2 [Iris Xe Graphics] [8086:46a6] (rev 0c)");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->names, "Intel Corporation Alder Lake-P GT2 [Iris Xe Graphics]");
    EXPECT_EQ(h->vendor_id, 0x8086);
    EXPECT_EQ(h->device_id, 0x46a6);
}

TEST(LspciHeader, NumericForm) {
    auto h = ls::parse_header("00:1f.3 0403: 8086:a348 (rev 10)");
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->numeric);
    EXPECT_EQ(h->class_code, 0x0403);
    EXPECT_EQ(h->vendor_id, 0x8086);
    EXPECT_EQ(h->device_id, 0xa348);
    EXPECT_EQ(h->revision, 0x10);
    EXPECT_TRUE(h->class_name.empty());
}

TEST(LspciHeader, DomainsIncludingVmd) {
    auto d = ls::parse_header("0001:02:00.1 Audio device: NVIDIA Corporation Device 228b");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->domain(), 1u);
    auto vmd = ls::parse_header("10000:e1:00.0 Non-Volatile memory controller [0108]: SK hynix "
                                "Platinum P41/PC801 NVMe Solid State Drive [1c5c:1959] (prog-if 02 "
                                "[NVM Express])");
    ASSERT_TRUE(vmd);
    EXPECT_EQ(vmd->domain(), 0x10000u);
    EXPECT_EQ(vmd->device().bus, 0xe1);
}

TEST(LspciHeader, BridgePathDeviceIsLast) {
    auto h = ls::parse_header("00:1c.4/07:00.0/08:02.0/0a:00.0 USB controller [0c03]: Intel "
                              "Corporation JHL7540 Thunderbolt 3 USB Controller [Titan Ridge 4C "
                              "2018] [8086:15ec] (rev 06) (prog-if 30 [XHCI])");
    ASSERT_TRUE(h);
    ASSERT_EQ(h->path.size(), 4u);
    EXPECT_EQ(h->device().bus, 0x0a);
    EXPECT_EQ(h->device().dev, 0);
    EXPECT_EQ(h->domain(), 0u);
    auto dd = ls::parse_header("0000:00:1c.3/08:00.0/09:01.0 PCI bridge [0604]: Pericom "
                               "Semiconductor PI7C9X2G404 EL/SL PCIe2 4-Port/4-Lane Packet Switch "
                               "[12d8:2404] (rev 05)");
    ASSERT_TRUE(dd);
    EXPECT_EQ(dd->device().bus, 0x09);
    EXPECT_EQ(dd->device().dev, 0x01);
}

TEST(LspciHeader, UnknownNames) {
    auto a = ls::parse_header("00:1f.5 Non-VGA unclassified device [0000]: Intel Corporation "
                              "Device [8086:9d24] (rev 21)");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->names, "Intel Corporation Device");
    EXPECT_EQ(a->device_id, 0x9d24);
    auto b = ls::parse_header("e2:00.4 USB controller: Advanced Micro Devices, Inc. [AMD] Device "
                              "14c9 (rev da)");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->vendor_id); // the vendor is only named
    EXPECT_EQ(b->device_id, 0x14c9);
    EXPECT_EQ(b->revision, 0xda);
    auto c = ls::parse_header("00:02.0 VGA compatible controller: Device 1234:1111 (rev 02)");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->vendor_id, 0x1234);
    EXPECT_EQ(c->device_id, 0x1111);
    auto d = ls::parse_header("00:1f.5 Class 0c80: Device 8086:51a4");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->class_code, 0x0c80);
    auto e = ls::parse_header("01:00.0 Unassigned class [ff00]: Realtek Semiconductor Co., Ltd. "
                              "RTS525A PCI Express Card Reader (rev 01)");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->class_name, "Unassigned class");
    EXPECT_EQ(e->class_code, 0xff00);
    EXPECT_FALSE(e->vendor_id);
}

TEST(LspciHeader, RejectsOtherLines) {
    for (const char* s : {"00: 86 80 41 46 06 00 90 20 02 00 00 06 00 00 00 00",
                          "lspci -vvvv -s 00:01.0", "00:1f.3", "00:1f.8 Audio device: X",
                          "00:20.0 Audio device: X", "[    4.1] nvme 0000:01:00.0: AMD-Vi",
                          "0000:00:1c.0/0001:01:00.0 PCI bridge: X", "-[0000:00]-+-00.0"})
        EXPECT_FALSE(ls::parse_header(s)) << s;
}

TEST(LspciNames, SubsystemForms) {
    auto a = ls::parse_names("ASUSTeK Computer Inc. Device [1043:8694]");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->vendor_id, 0x1043);
    EXPECT_EQ(a->device_id, 0x8694);
    auto b = ls::parse_names("1043:8694");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->vendor_id, 0x1043);
    auto c = ls::parse_names("ASUSTeK Computer Inc. Device 8694");
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->vendor_id);
    EXPECT_EQ(c->device_id, 0x8694);
    auto d = ls::parse_names("Intel Corporation Sunrise Point-LP PCI Express Root Port");
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->vendor_id);
    EXPECT_FALSE(d->device_id);
}

// find_flag_in tokenizes only where "Name+"/"Name-" stands; it must answer as the whole
// token list does, on lines with odd tokens and odd bytes.
TEST(LspciFlags, SingleLookupAgreesWithTheTokenList) {
    const char* lines[] = {
        "Flags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0+,D1-,D2-,D3hot+,D3cold+)",
        "ExtTag+ XFLReset+ FLReset- FLReset+",
        "MaxPayload 256 bytes, FLReset+, RBE-",
        "Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR-",
        "+, -Cap+ Cap++ Cap-- Cap",
        "FLReset+ \x01",
        "FLReset+ caf\xc3\xa9",
        "FLReset+\x7f",
        "\tRlxdOrd+\tFLReset-",
        "",
        "FLReset",
        "a+b+ c-,d- e+,"};
    const char* names[] = {"Cap",     "FLReset", "XFLReset", "D0",  "PME(D0", ",D1", "D3cold",
                           ">TAbort", "RBE",     "b",        "a+b", "c",      "d",   "e"};
    for (const char* l : lines) {
        const auto all = ls::parse_flags(l);
        for (const char* n : names)
            EXPECT_EQ(ls::find_flag_in(l, n), ls::find_flag(all, n)) << l << " / " << n;
    }
    EXPECT_EQ(ls::find_flag_in("ExtTag+ XFLReset+ FLReset- FLReset+", "FLReset"), false);
    EXPECT_EQ(ls::find_flag_in("PME(D0+,D1-,D2-)", "PME(D0"), true);
    EXPECT_EQ(ls::find_flag_in("PME(D0+,D1-,D2-)", ",D1"), false);
    // the flag grammar steps over any byte (control characters, UTF-8)
    EXPECT_EQ(ls::find_flag_in("FLReset+ \x01", "FLReset"), true);
}

TEST(LspciFlags, TokensEndingInPlusOrMinus) {
    auto f = ls::parse_flags("ExtTag- AttnBtn- RBE+ FLReset+ SlotPowerLimit 10W TEE-IO-");
    EXPECT_EQ(ls::find_flag(f, "FLReset"), true);
    EXPECT_EQ(ls::find_flag(f, "RBE"), true);
    EXPECT_EQ(ls::find_flag(f, "TEE-IO"), false);
    EXPECT_FALSE(ls::find_flag(f, "SlotPowerLimit"));
    auto g = ls::parse_flags("10BitTagComp- OBFF Via WAKE#, ExtFmt+ EETLPPrefix+, "
                             "MaxEETLPPrefixes 2 (Slot+), -6dB");
    EXPECT_EQ(ls::find_flag(g, "EETLPPrefix"), true);
    EXPECT_EQ(ls::find_flag(g, "ExtFmt"), true);
    EXPECT_FALSE(ls::find_flag(g, "Slot"));
    EXPECT_FALSE(ls::find_flag(g, ""));
}

TEST(LspciCaps, BaseNames) {
    EXPECT_EQ(ls::capability_base_name("Express (v2) Root Port (Slot+), MSI 00"), "Express");
    EXPECT_EQ(ls::capability_base_name("Express Endpoint, IntMsgNum 0"), "Express");
    EXPECT_EQ(ls::capability_base_name("Power Management version 3"), "Power Management");
    EXPECT_EQ(ls::capability_base_name("MSI: Enable+ Count=1/1 Maskable- 64bit+"), "MSI");
    EXPECT_EQ(ls::capability_base_name("MSI-X: Enable+ Count=32 Masked-"), "MSI-X");
    EXPECT_EQ(ls::capability_base_name("Vendor Specific Information: ID=0002 Rev=0 Len=00c <?>"),
              "Vendor Specific Information");
    EXPECT_EQ(ls::capability_base_name("Data Link Feature <?>"), "Data Link Feature");
    EXPECT_EQ(ls::capability_base_name("Device Serial Number 01-00-00-00-68-4c-e0-00"),
              "Device Serial Number");
    EXPECT_EQ(ls::capability_base_name("Access Control Services"), "Access Control Services");
    EXPECT_EQ(ls::capability_base_name("Physical Layer 16.0 GT/s <?>"), "Physical Layer 16.0 GT/s");
}

// ---- whole records ------------------------------------------------------------------------

// A root port at -vv with ACS (pciutils 3.9 style).
const char* const kRootPort =
    R"(00:1c.0 PCI bridge [0604]: Intel Corporation Device [8086:a110] (rev f1) (prog-if 00 [Normal decode])
	Subsystem: Intel Corporation Device [8086:7270]
	Control: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	Status: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
	Latency: 0, Cache Line Size: 64 bytes
	Interrupt: pin A routed to IRQ 122
	IOMMU group: 8
	Bus: primary=00, secondary=02, subordinate=02, sec-latency=0
	BridgeCtl: Parity- SERR+ NoISA- VGA- VGA16+ MAbort- >Reset- FastB2B-
		PriDiscTmr- SecDiscTmr- DiscTmrStat- DiscTmrSERREn-
	Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00
		DevCap:	MaxPayload 256 bytes, PhantFunc 0
			ExtTag- RBE+
		LnkCap:	Port #1, Speed 8GT/s, Width x1, ASPM L0s L1, Exit Latency L0s <1us, L1 <16us
			ClockPM- Surprise- LLActRep+ BwNot+ ASPMOptComp+
		LnkSta:	Speed 2.5GT/s, Width x1
			TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-
		SltCap:	AttnBtn- PwrCtrl- MRL- AttnInd- PwrInd- HotPlug- Surprise-
			Slot #0, PowerLimit 0W; Interlock- NoCompl+
		DevCap2: Completion Timeout: Range ABC, TimeoutDis+ NROPrPrP- LTR+
			 10BitTagComp- 10BitTagReq- OBFF Not Supported, ExtFmt- EETLPPrefix-
			 FRS- LN System CLS Not Supported, TPHComp- ExtTPHComp- ARIFwd+
		DevCtl2: Completion Timeout: 50us to 50ms, TimeoutDis- ARIFwd-
			 AtomicOpsCtl: ReqEn- EgressBlck-
	Capabilities: [80] MSI: Enable+ Count=1/1 Maskable- 64bit-
		Address: fee00258  Data: 0000
	Capabilities: [a0] Power Management version 3
		Flags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0+,D1-,D2-,D3hot+,D3cold+)
		Status: D0 NoSoftRst- PME-Enable- DSel=0 DScale=0 PME-
	Capabilities: [100 v1] Advanced Error Reporting
		UESta:	DLP- SDES- TLP- FCP- CmpltTO+ CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- UnsupReq- ACSViol-
		UEMsk:	DLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- UnsupReq- ACSViol-
		UESvrt:	DLP+ SDES+ TLP- FCP+ CmpltTO+ CmpltAbrt- UnxCmplt- RxOF+ MalfTLP+ ECRC- UnsupReq- ACSViol-
		CESta:	RxErr+ BadTLP- BadDLLP- Rollover- Timeout- AdvNonFatalErr-
	Capabilities: [140 v1] Access Control Services
		ACSCap:	SrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd- EgressCtrl- DirectTrans-
		ACSCtl:	SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd- EgressCtrl- DirectTrans-
	Kernel driver in use: pcieport
)";

TEST(LspciScan, RootPortWithAcs) {
    auto s = scan_text(kRootPort);
    ASSERT_TRUE(s.problems.empty());
    ASSERT_EQ(s.records.size(), 1u);
    const auto& r = s.records[0];
    EXPECT_EQ(r.header_line, 0u);
    EXPECT_EQ(r.line_count(), 38u); // every line up to the driver line
    EXPECT_TRUE(r.control_line);
    EXPECT_TRUE(r.verbose());
    ASSERT_TRUE(r.subsystem);
    EXPECT_EQ(r.subsystem->value.vendor_id, 0x8086);
    EXPECT_EQ(r.subsystem->value.device_id, 0x7270);
    ASSERT_TRUE(r.status_cap);
    EXPECT_TRUE(r.status_cap->value);
    ASSERT_TRUE(r.iommu_group);
    EXPECT_EQ(r.iommu_group->value, 8);
    EXPECT_EQ(r.iommu_group->line, 6u);
    ASSERT_TRUE(r.bus);
    EXPECT_EQ(r.bus->value.secondary, 2);
    ASSERT_EQ(r.caps.size(), 5u);
    EXPECT_EQ(r.caps[0].name, "Express");
    EXPECT_EQ(r.caps[0].offset, 0x40);
    EXPECT_FALSE(r.caps[0].extended());
    EXPECT_EQ(r.caps[4].name, "Access Control Services");
    EXPECT_EQ(r.caps[4].offset, 0x140);
    EXPECT_EQ(r.caps[4].version, 1);
    EXPECT_TRUE(r.caps[4].extended());
    ASSERT_TRUE(r.express);
    EXPECT_EQ(r.express->value.type, 4);
    EXPECT_EQ(r.express->value.version, 2);
    EXPECT_EQ(r.express->value.slot, true);
    EXPECT_FALSE(r.flr); // no FLReset on a root port's DevCap
    ASSERT_TRUE(r.ari_forwarding);
    EXPECT_FALSE(r.ari_forwarding->value); // DevCtl2 ARIFwd-, not DevCap2's ARIFwd+
    ASSERT_TRUE(r.link_cap);
    EXPECT_DOUBLE_EQ(r.link_cap->value.speed_gts, 8.0);
    ASSERT_TRUE(r.link_sta);
    EXPECT_DOUBLE_EQ(r.link_sta->value.speed_gts, 2.5);
    EXPECT_EQ(r.link_sta->value.width, 1);
    EXPECT_EQ(r.link_sta->value.speed_marker, ls::LinkMarker::none);
    ASSERT_TRUE(r.dl_active);
    EXPECT_TRUE(r.dl_active->value);
    EXPECT_TRUE(r.slot_cap_line);
    ASSERT_TRUE(r.no_soft_reset);
    EXPECT_FALSE(r.no_soft_reset->value);
    ASSERT_TRUE(r.acs_cap && r.acs_ctl);
    EXPECT_EQ(r.acs_cap->value, 0x0f);
    EXPECT_EQ(r.acs_ctl->value, 0x0d);
    EXPECT_EQ(r.acs_cap->line, 35u);
    ASSERT_TRUE(r.ue_sta && r.ue_svrt && r.ce_sta);
    EXPECT_EQ(ls::find_flag(r.ue_sta->value, "CmpltTO"), true);
    EXPECT_EQ(ls::find_flag(r.ce_sta->value, "RxErr"), true);
    ASSERT_TRUE(r.driver);
    EXPECT_EQ(r.driver->value, "pcieport");
}

// An endpoint at -vv with FLR, SR-IOV and Advanced Features.
const char* const kEndpoint =
    R"(03:00.0 Ethernet controller: Intel Corporation Ethernet Controller X710 for 10GbE SFP+ (rev 02)
	Control: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	Status: Cap+ 66MHz- UDF- FastB2B- ParErr- DEVSEL=fast >TAbort- <TAbort- <MAbort- >SERR- <PERR- INTx-
	Capabilities: [40] Power Management version 3
		Status: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=1 PME-
	Capabilities: [a0] Express (v2) Endpoint, MSI 00
		DevCap:	MaxPayload 2048 bytes, PhantFunc 0, Latency L0s <512ns, L1 <64us
			ExtTag+ AttnBtn- AttnInd- PwrInd- RBE+ FLReset+ SlotPowerLimit 0W
		LnkSta:	Speed 8GT/s (ok), Width x8 (downgraded)
			TrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-
	Capabilities: [c0] PCI Advanced Features
		AFCap: TP+ FLR+
	Capabilities: [180 v1] Single Root I/O Virtualization (SR-IOV)
		IOVCap:	Migration- 10BitTagReq- Interrupt Message Number: 000
		IOVCtl:	Enable+ Migration- Interrupt- MSE+ ARIHierarchy+ 10BitTagReq-
		IOVSta:	Migration-
		Initial VFs: 64, Total VFs: 64, Number of VFs: 4, Function Dependency Link: 00
	Kernel driver in use: i40e
	Kernel modules: i40e, other_mod
)";

TEST(LspciScan, EndpointWithFlrAndSriov) {
    auto s = scan_text(kEndpoint);
    ASSERT_TRUE(s.problems.empty());
    ASSERT_EQ(s.records.size(), 1u);
    const auto& r = s.records[0];
    ASSERT_TRUE(r.express);
    EXPECT_EQ(r.express->value.type, 0);
    EXPECT_FALSE(r.express->value.slot);
    ASSERT_TRUE(r.flr);
    EXPECT_TRUE(r.flr->value);
    EXPECT_EQ(r.flr->line, 6u);
    ASSERT_TRUE(r.no_soft_reset);
    EXPECT_TRUE(r.no_soft_reset->value); // PM "Status:", not the top-level "Status:"
    ASSERT_TRUE(r.af_flr);
    EXPECT_TRUE(r.af_flr->value);
    ASSERT_TRUE(r.link_sta);
    EXPECT_EQ(r.link_sta->value.speed_marker, ls::LinkMarker::ok);
    EXPECT_EQ(r.link_sta->value.width_marker, ls::LinkMarker::downgraded);
    ASSERT_TRUE(r.dl_active);
    EXPECT_FALSE(r.dl_active->value);
    ASSERT_TRUE(r.sriov);
    EXPECT_EQ(r.sriov->value.total, 64);
    EXPECT_EQ(r.sriov->value.num, 4);
    ASSERT_TRUE(r.iov_enable);
    EXPECT_TRUE(r.iov_enable->value);
    ASSERT_TRUE(r.modules);
    EXPECT_EQ(r.modules->value, (std::vector<std::string>{"i40e", "other_mod"}));
    EXPECT_FALSE(r.iommu_group);
}

TEST(LspciScan, NonRootAccessDenied) {
    auto s = scan_text("00:01.0 PCI bridge: Intel Corporation Haswell-E PCI Express Root Port 1 "
                       "(rev 02) (prog-if 00 [Normal decode])\n"
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
    ASSERT_EQ(s.records.size(), 2u);
    const auto& r = s.records[0];
    EXPECT_EQ(r.caps_denied_line, 5u);
    EXPECT_TRUE(r.caps.empty());
    EXPECT_FALSE(r.express);
    EXPECT_EQ(r.iommu_group->value, 31);
    const auto& v = s.records[1];
    EXPECT_EQ(v.header_line, 8u);
    ASSERT_TRUE(v.status_cap);
    EXPECT_FALSE(v.status_cap->value);
    EXPECT_FALSE(v.caps_denied_line);
}

TEST(LspciScan, TerseAndKernelRecords) {
    auto s = scan_text(
        "$ lspci -nnk\n"
        "00:00.0 Host bridge [0600]: Intel Corporation Device [8086:4660] (rev 02)\n"
        "\tDeviceName: Onboard - Other\n"
        "\tSubsystem: ASUSTeK Computer Inc. Device [1043:8694]\n"
        "00:01.0 PCI bridge [0604]: Intel Corporation 12th Gen Core Processor PCI Express x16 "
        "Controller #1 [8086:460d] (rev 02)\n"
        "\tKernel driver in use: pcieport\n"
        "00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] "
        "(rev 0c)\n"
        "\tSubsystem: ASUSTeK Computer Inc. AlderLake-S GT1 [1043:8694]\n"
        "\tKernel driver in use: i915\n"
        "\tKernel modules: i915\n"
        "user@host:~$ echo done\n");
    ASSERT_TRUE(s.problems.empty());
    ASSERT_EQ(s.records.size(), 3u);
    EXPECT_EQ(s.records[0].header_line, 1u);
    EXPECT_EQ(s.records[0].line_count(), 3u);
    EXPECT_FALSE(s.records[0].verbose());
    EXPECT_EQ(s.records[0].subsystem->value.device_id, 0x8694);
    EXPECT_EQ(s.records[1].driver->value, "pcieport");
    EXPECT_TRUE(s.records[1].kernel_lines);
    EXPECT_EQ(s.records[2].line_count(), 4u); // the prompt after it is not part of it
    EXPECT_EQ(s.records[2].modules->value, (std::vector<std::string>{"i915"}));
}

TEST(LspciScan, VerboseOneFlagsGroupAndAcsHeaderOnly) {
    auto s = scan_text(
        "00:1c.1 PCI bridge [0604]: Intel Corporation Device [8086:7a39] (rev 11) (prog-if 00 "
        "[Normal decode])\n"
        "\tSubsystem: Gigabyte Technology Co., Ltd Device [1458:5001]\n"
        "\tFlags: bus master, fast devsel, latency 0, IRQ 126, IOMMU group 12\n"
        "\tBus: primary=00, secondary=06, subordinate=06, sec-latency=0\n"
        "\tCapabilities: [40] Express Root Port (Slot+), IntMsgNum 0\n"
        "\tCapabilities: [100] Advanced Error Reporting\n"
        "\tCapabilities: [220] Access Control Services\n"
        "\tKernel driver in use: pcieport\n");
    ASSERT_EQ(s.records.size(), 1u);
    const auto& r = s.records[0];
    EXPECT_TRUE(r.flags_line);
    EXPECT_FALSE(r.control_line);
    EXPECT_EQ(r.iommu_group->value, 12);
    EXPECT_EQ(r.iommu_group->line, 2u);
    ASSERT_TRUE(r.express);
    EXPECT_EQ(r.express->value.version, 0);
    EXPECT_EQ(r.express->value.type, 4);
    EXPECT_EQ(r.caps.back().name, "Access Control Services");
    EXPECT_FALSE(r.acs_cap); // -v prints the header only
    EXPECT_FALSE(r.acs_ctl);
    EXPECT_FALSE(r.ue_sta);
}

TEST(LspciScan, OldPciutilsForms) {
    // pciutils 3.6-3.7 markers, pre-3.x one-line LnkSta, one-line AER, "NonFatalErr" name
    auto s = scan_text(
        "02:00.0 Ethernet controller: Realtek Semiconductor Co., Ltd. RTL8111/8168/8411 PCI "
        "Express Gigabit Ethernet Controller (rev 06)\n"
        "\tCapabilities: [70] Express (v1) Endpoint, MSI 01\n"
        "\t\tDevCap:\tMaxPayload 128 bytes, PhantFunc 0, Latency L0s <512ns, L1 <64us\n"
        "\t\t\tExtTag- AttnBtn- AttnInd- PwrInd- RBE+ FLReset-\n"
        "\t\tLnkCap:\tPort #0, Speed 2.5GT/s, Width x1, ASPM L0s L1, Latency L0 unlimited, L1 "
        "<64us\n"
        "\t\tLnkSta:\tSpeed 2.5GT/s, Width x1, TrErr- Train- SlotClk+ DLActive+ BWMgmt- "
        "ABWMgmt-\n"
        "\tCapabilities: [100 v1] Advanced Error Reporting\n"
        "\t\tUESta:\tDLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP- ECRC- "
        "UnsupReq+ ACSViol-\n"
        "\t\tCESta:\tRxErr- BadTLP- BadDLLP- Rollover- Timeout- NonFatalErr+\n"
        "\n"
        "03:00.0 USB controller: ASMedia Technology Inc. ASM1042A USB 3.0 Host Controller\n"
        "\tCapabilities: [80] Express (v2) Legacy Endpoint, MSI 00\n"
        "\t\tLnkSta:\tSpeed 5GT/s (strange), Width x0 (downgraded)\n"
        "\t\t\tTrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-\n"
        "\tCapabilities: [100 v2] Advanced Error Reporting\n"
        "\t\tUESta:\tDLP- SDES- TLP- FCP- CmpltTO- CmpltAbrt- UnxCmplt- RxOF- MalfTLP-\n"
        "\t\t\tECRC- UnsupReq- ACSViol+ UncorrIntErr- BlockedTLP- AtomicOpBlocked- "
        "TLPBlockedErr-\n"
        "\t\t\tPoisonTLPBlocked- DMWrReqBlocked- IDECheck- MisIDETLP- PCRC_CHECK- "
        "TLPXlatBlocked-\n");
    ASSERT_TRUE(s.problems.empty());
    ASSERT_EQ(s.records.size(), 2u);
    const auto& a = s.records[0];
    EXPECT_EQ(a.flr->value, false);
    EXPECT_EQ(a.link_sta->value.width, 1);
    EXPECT_EQ(a.dl_active->value, true);
    EXPECT_EQ(ls::find_flag(a.ue_sta->value, "UnsupReq"), true);
    EXPECT_EQ(ls::find_flag(a.ce_sta->value, "NonFatalErr"), true);
    const auto& b = s.records[1];
    EXPECT_EQ(b.express->value.type, 1);
    EXPECT_EQ(b.link_sta->value.speed_marker, ls::LinkMarker::strange);
    EXPECT_EQ(b.link_sta->value.width_marker, ls::LinkMarker::downgraded);
    EXPECT_EQ(b.link_sta->value.width, 0);
    EXPECT_EQ(ls::find_flag(b.ue_sta->value, "ACSViol"), true); // on a continuation line
    EXPECT_EQ(ls::find_flag(b.ue_sta->value, "TLPXlatBlocked"), false);
}

TEST(LspciScan, IndentedPasteWithSpaceIndentedBody) {
    // a mailed dump: header indented by 4, tabs turned into 8 spaces
    auto s = scan_text("    $ lspci -vv -s 00:1c.4\n"
                       "    00:1c.4 PCI bridge: Intel Corporation C610/X99 series chipset PCI "
                       "Express Root Port #5 (rev d5) (prog-if 00 [Normal decode])\n"
                       "            IOMMU group: 31\n"
                       "            Capabilities: [40] Express (v2) Root Port (Slot-), MSI 00\n"
                       "                    DevCap: MaxPayload 256 bytes, PhantFunc 0\n"
                       "                            ExtTag- RBE+\n"
                       "                    DevCtl2: Completion Timeout: 50us to 50ms, "
                       "TimeoutDis- ARIFwd+\n"
                       "            Capabilities: [a0] Power Management version 3\n"
                       "                    Status: D0 NoSoftRst+ PME-Enable- DSel=0\n"
                       "            Kernel driver in use: pcieport\n"
                       "    $ lspci -nn -s 01:00.0\n"
                       "    01:00.0 Non-Volatile memory controller [0108]: Intel Corporation SSD "
                       "Pro 7600p/760p/E 6100p Series [8086:f1a6] (rev 03)\n");
    ASSERT_EQ(s.records.size(), 2u);
    const auto& r = s.records[0];
    EXPECT_EQ(r.indent, 4);
    EXPECT_EQ(r.iommu_group->value, 31);
    EXPECT_EQ(r.express->value.slot, false);
    EXPECT_EQ(r.ari_forwarding->value, true);
    EXPECT_EQ(r.no_soft_reset->value, true);
    EXPECT_EQ(r.driver->value, "pcieport");
    EXPECT_EQ(r.line_count(), 9u);
    EXPECT_EQ(s.records[1].header.device_id, 0xf1a6);
}

TEST(LspciScan, GroupListingLinesAreNotRecords) {
    auto s = scan_text("IOMMU Group 12:\n"
                       "\t0000:00:1c.0 PCI bridge [0604]: Intel Corporation Raptor Lake PCI "
                       "Express Root Port #1 [8086:7a38] (rev 11)\n"
                       "\t\tExpress Root Port (Slot+)\n"
                       "\t0000:00:1c.1 PCI bridge [0604]: Intel Corporation Device [8086:7a39] "
                       "(rev 11)\n"
                       "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ "
                       "EgressCtrl- DirectTrans-\n"
                       "### Group 7 ###\n"
                       "    00:14.2 RAM memory: Intel Corporation Device 7aa7 (rev 11)\n"
                       "\n"
                       "         08:01.0 PCI bridge [0604]: ASMedia Technology Inc. Device\n"
                       "[1b21:118f]\n");
    EXPECT_TRUE(s.records.empty());
    EXPECT_TRUE(s.problems.empty());
}

TEST(LspciScan, MarkdownHeadingAboveAnIndentedPasteIsNotAGroupHeading) {
    auto s = scan_text("## lspci output of the NAS\n"
                       "    00:17.0 SATA controller [0106]: Intel Corporation 200 Series PCH SATA "
                       "controller [AHCI mode] [8086:a282]\n"
                       "    \tKernel driver in use: ahci\n");
    ASSERT_EQ(s.records.size(), 1u);
    EXPECT_EQ(s.records[0].driver->value, "ahci");
}

TEST(LspciScan, OddLinesAreNotedNotFatal) {
    auto s = scan_text(
        "lspci: Unable to load libkmod resources: error -2\n"
        "03:00.0 VGA compatible controller [0300]: Intel Corporation DG2 [Arc A770] [8086:56a0] "
        "(rev 08) (prog-if 00 [VGA controller])\n"
        "\tSubsystem: Intel Corporation Device [8086:1020]\n"
        "\t!!! Unknown header type 7f\n"
        "\tMemory at 93000000 (64-bit, non-prefetchable) [size=16M]\n"
        "\tKernel driver in use: vfio-pci\n"
        "\n"
        "2e:00.0 Ethernet controller: Realtek Semiconductor Co., Ltd. RTL8125 2.5GbE Controller "
        "(rev 05)\n"
        "\tCapabilities: [d0] Vital Product Data\n"
        "pcilib: sysfs_read_vpd: read failed: No such device\n"
        "\t\tNot readable\n"
        "\tKernel driver in use: r8169\n");
    ASSERT_TRUE(s.problems.empty());
    ASSERT_EQ(s.stray.size(), 1u);
    EXPECT_EQ(s.stray[0].line, 0u);
    ASSERT_EQ(s.records.size(), 2u);
    ASSERT_TRUE(s.records[0].unknown_header_type);
    EXPECT_EQ(s.records[0].unknown_header_type->value, 0x7f);
    EXPECT_TRUE(s.records[0].verbose());
    EXPECT_FALSE(s.records[0].notes.empty());
    const auto& b = s.records[1];
    EXPECT_EQ(b.line_count(), 5u); // the pcilib warning does not end the record
    EXPECT_EQ(b.driver->value, "r8169");
    EXPECT_EQ(b.notes.size(), 1u);
}

TEST(LspciScan, MalformedLinesAreProblems) {
    auto cut = scan_text("00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                         "\tCapabilities: [140 v1] Access Control Services\n"
                         "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRed\n");
    ASSERT_EQ(cut.problems.size(), 1u);
    EXPECT_EQ(cut.problems[0].line, 2u);
    EXPECT_NE(cut.problems[0].message.find("ACSCap"), std::string::npos);
    auto garbage = scan_text("00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                             "\tCapabilities: [140 v1] Access Control Services\n"
                             "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ "
                             "EgressCtrl- DirectTrans-\n"
                             "\t\tACSCtl:\tSrcValid? TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ "
                             "EgressCtrl- DirectTrans-\n");
    ASSERT_EQ(garbage.problems.size(), 1u);
    EXPECT_EQ(garbage.problems[0].line, 3u);
    auto lnk = scan_text("00:1c.0 PCI bridge: Intel Corporation Device a110\n"
                         "\tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00\n"
                         "\t\tLnkSta:\tSpeed 8GT/s, Wid\n");
    ASSERT_EQ(lnk.problems.size(), 1u);
    EXPECT_NE(lnk.problems[0].message.find("LnkSta"), std::string::npos);
}

TEST(LspciScan, UsableMaskKeepsOtherFormatsOut) {
    Lines l("00:00.0 Host bridge: Intel Corporation Device 4660 (rev 02)\n"
            "00:01.0 PCI bridge: Intel Corporation Device 460d (rev 02)\n"
            "\tKernel driver in use: pcieport\n");
    auto s = ls::scan(l.views, {true, false, false});
    ASSERT_EQ(s.records.size(), 1u);
    EXPECT_EQ(s.records[0].header.device().dev, 0);
    EXPECT_EQ(s.records[0].line_count(), 1u);
}

TEST(LspciScan, HexRowsBelongToTheRecord) {
    auto s = scan_text("00:01.0 PCI bridge: Intel Corporation Xeon E7 v3/Xeon E5 v3/Core i7 PCI "
                       "Express Root Port 1 (rev 02)\n"
                       "00: 86 80 02 2f 07 04 10 00 02 00 04 06 10 00 81 00\n"
                       "10: 00 00 00 00 00 00 00 00 00 04 04 00 f0 00 00 00\n"
                       "\n"
                       "00:01.1 PCI bridge: Intel Corporation Xeon E7 v3/Xeon E5 v3/Core i7 PCI "
                       "Express Root Port 1 (rev 02)\n");
    ASSERT_EQ(s.records.size(), 2u);
    EXPECT_EQ(s.records[0].hex_rows, (std::vector<std::size_t>{1, 2}));
    EXPECT_EQ(s.records[0].line_count(), 3u);
    EXPECT_FALSE(s.records[0].verbose());
}
