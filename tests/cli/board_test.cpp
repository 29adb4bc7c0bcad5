// iommu-lint board import/list/show/compare on a synthetic recording, and the committed
// board corpus (corpus/boards/*/board.json + snapshot.json).
#include "model/json.hpp"
#include "model/topology.hpp"
#include "report/board.hpp"
#include "sim/compare.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A small desktop in lspci -vv -nn form: a GPU on an ACS root port, an empty ACS root port,
// an NVMe drive behind a root port without ACS, a SAS HBA behind a PCH root port.
constexpr const char* k_lspci =
    R"(00:00.0 Host bridge [0600]: Intel Corporation 8th Gen Core Host Bridge [8086:3e0f] (rev 07)
	Control: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx-

00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16) [8086:1901] (rev 07) (prog-if 00 [Normal decode])
	Bus: primary=00, secondary=01, subordinate=01, sec-latency=0
	Capabilities: [a0] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #2, Speed 8GT/s, Width x16, ASPM L0s L1, Exit Latency L0s <256ns, L1 <8us
		LnkSta:	Speed 8GT/s, Width x16
			TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-
		SltCap:	AttnBtn- PwrCtrl- MRL- AttnInd- PwrInd- HotPlug- Surprise-
			Slot #1, PowerLimit 75W; Interlock- NoCompl+
	Capabilities: [140 v1] Access Control Services
		ACSCap:	SrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-
		ACSCtl:	SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-

00:01.1 PCI bridge [0604]: Intel Corporation Xeon E3-1200 v5/E3-1500 v5/6th Gen Core Processor PCIe Controller (x8) [8086:1905] (rev 07) (prog-if 00 [Normal decode])
	Bus: primary=00, secondary=02, subordinate=02, sec-latency=0
	Capabilities: [a0] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #3, Speed 8GT/s, Width x8, ASPM L0s L1, Exit Latency L0s <256ns, L1 <8us
		LnkSta:	Speed 2.5GT/s, Width x0
			TrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-
	Capabilities: [140 v1] Access Control Services
		ACSCap:	SrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-
		ACSCtl:	SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-

00:1c.0 PCI bridge [0604]: Intel Corporation 6 Series/C200 Series Chipset Family PCI Express Root Port 1 [8086:1c10] (rev b5) (prog-if 00 [Normal decode])
	Bus: primary=00, secondary=04, subordinate=04, sec-latency=0
	Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #1, Speed 5GT/s, Width x4, ASPM L0s L1, Exit Latency L0s <1us, L1 <4us
		LnkSta:	Speed 5GT/s, Width x4
			TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-

00:1d.0 PCI bridge [0604]: Example Corp. Plain Root Port [1234:5678] (prog-if 00 [Normal decode])
	Bus: primary=00, secondary=03, subordinate=03, sec-latency=0
	Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #9, Speed 8GT/s, Width x4, ASPM L1, Exit Latency L1 <16us
		LnkSta:	Speed 8GT/s, Width x4
			TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-

01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80] (rev a1) (prog-if 00 [VGA controller])
	Physical Slot: 1
	Capabilities: [68] Express (v2) Legacy Endpoint, MSI 00
		LnkCap:	Port #0, Speed 8GT/s, Width x16, ASPM L0s L1, Exit Latency L0s <512ns, L1 <4us
		LnkSta:	Speed 8GT/s, Width x16

01:00.1 Audio device [0403]: NVIDIA Corporation GP104 High Definition Audio Controller [10de:10f0] (rev a1)
	Capabilities: [68] Express (v2) Endpoint, MSI 00

03:00.0 Non-Volatile memory controller [0108]: Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983 [144d:a808] (prog-if 02 [NVM Express])
	Capabilities: [70] Express (v2) Endpoint, MSI 00
		LnkCap:	Port #0, Speed 8GT/s, Width x4, ASPM L1, Exit Latency L1 <64us
		LnkSta:	Speed 8GT/s, Width x4

04:00.0 Serial Attached SCSI controller [0107]: Broadcom / LSI SAS3008 PCI-Express Fusion-MPT SAS-3 [1000:0097] (rev 02)
	Capabilities: [68] Express (v2) Endpoint, MSI 00
		LnkCap:	Port #0, Speed 8GT/s, Width x8, ASPM not supported
		LnkSta:	Speed 5GT/s, Width x4

)";

struct TempDir {
    fs::path dir;
    TempDir() {
        char tpl[] = "/tmp/il_boards_XXXXXX";
        dir = mkdtemp(tpl);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

void write(const fs::path& p, const std::string& s) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << s;
}

// A recording folder and a boards folder with one imported record "example-z390".
struct Corpus {
    TempDir tmp;
    fs::path rec, boards;
    il::test::RunResult imported;
    Corpus() {
        rec = tmp.dir / "recording";
        boards = tmp.dir / "boards";
        write(rec / "lspci-vv.txt", k_lspci);
        write(rec / "cmdline.txt",
              "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/sda1 ro intel_iommu=on\n");
        write(rec / "SOURCE.md", "# not a capture\n");
        imported = il::test::run_cli(
            "board import " + rec.string() + " --boards " + boards.string() +
            " --name example-z390 --vendor Example --board \"Z390 <Test>\" --chipset "
            "\"Intel Z390\" --socket LGA1151 --source-corpus hosts/example --url "
            "https://example.org/x --note \"synthetic\"");
    }
    std::string cli(const std::string& args) const {
        auto r = il::test::run_cli("board " + args + " --boards " + boards.string());
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        return r.out;
    }
};

std::string read(const fs::path& p) {
    return il::test::read_file(p);
}

} // namespace

TEST(BoardImport, WritesMetadataAndASnapshotWithRelativeFileNames) {
    Corpus c;
    ASSERT_EQ(c.imported.exit_code, 0) << c.imported.err;
    const auto meta = json::parse(read(c.boards / "example-z390/board.json"));
    EXPECT_EQ(meta["iommu_lint_board"], 1);
    EXPECT_EQ(meta["name"], "example-z390");
    EXPECT_EQ(meta["vendor"], "Example");
    EXPECT_EQ(meta["board"], "Z390 <Test>");
    EXPECT_EQ(meta["chipset"], "Intel Z390");
    EXPECT_EQ(meta["socket"], "LGA1151");
    EXPECT_TRUE(meta["bios"].is_null());       // unknown stays unknown
    EXPECT_EQ(meta["kernel"], "6.8.12-4-pve"); // from the recording's command line
    EXPECT_EQ(meta["source"]["corpus"], "hosts/example");
    EXPECT_EQ(meta["source"]["urls"], json::array({"https://example.org/x"}));
    EXPECT_EQ(meta["files"],
              json::array({"cmdline.txt", "lspci-vv.txt"})); // SOURCE.md is not a capture

    const auto snap_text = read(c.boards / "example-z390/snapshot.json");
    EXPECT_EQ(snap_text.find(c.tmp.dir.string()), std::string::npos)
        << "no absolute paths in the record";
    EXPECT_EQ(snap_text.find("LnkCap:"), std::string::npos) << "facts, not dump text";
    auto snap = il::model::snapshot_from_json_text(snap_text, "snapshot.json");
    ASSERT_EQ(snap.hosts.size(), 1u);
    const auto& h = snap.hosts[0];
    EXPECT_EQ(h.name, "example-z390");
    EXPECT_EQ(h.devices.size(), 9u);
    EXPECT_EQ(h.where(h.devices[0].src), "lspci-vv.txt:1");
}

TEST(BoardImport, RefusalsAreClear) {
    Corpus c;
    ASSERT_EQ(c.imported.exit_code, 0) << c.imported.err;
    auto r = il::test::run_cli("board import " + c.rec.string() + " --boards " + c.boards.string() +
                               " --name example-z390");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("use --force"), std::string::npos) << r.err;
    r = il::test::run_cli("board import " + c.rec.string() + " --boards " + c.boards.string() +
                          " --name example-z390 --force");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = il::test::run_cli("board import " + c.rec.string() + " --boards " + c.boards.string() +
                          " --name 'Bad Name'");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("must be lower case"), std::string::npos) << r.err;
    write(c.tmp.dir / "only-cmdline/cmdline.txt", "quiet intel_iommu=on\n");
    r = il::test::run_cli("board import " + (c.tmp.dir / "only-cmdline").string() + " --boards " +
                          c.boards.string() + " --name nothing");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no PCI devices"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(c.boards / "nothing"));
}

TEST(BoardList, FiltersAndFormats) {
    Corpus c;
    ASSERT_EQ(c.imported.exit_code, 0) << c.imported.err;
    write(c.rec / "cmdline.txt", "quiet\n");
    ASSERT_EQ(il::test::run_cli("board import " + c.rec.string() + " --boards " +
                                c.boards.string() +
                                " --name other-b450 --vendor Other --chipset \"AMD B450\"")
                  .exit_code,
              0);
    auto out = c.cli("list");
    EXPECT_NE(out.find("example-z390"), std::string::npos) << out;
    EXPECT_NE(out.find("other-b450"), std::string::npos);
    EXPECT_NE(out.find("2 board(s)"), std::string::npos);
    out = c.cli("list --chipset z390");
    EXPECT_NE(out.find("example-z390"), std::string::npos);
    EXPECT_EQ(out.find("other-b450"), std::string::npos);
    out = c.cli("list --vendor OTHER --format json");
    auto j = json::parse(out);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["name"], "other-b450");
    EXPECT_EQ(j[0]["functions"], 9);
    auto r = il::test::run_cli("board show exampel-z390 --boards " + c.boards.string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("did you mean 'example-z390'"), std::string::npos) << r.err;
}

TEST(BoardShow, GroupsOverridesAndIsolatedSlots) {
    Corpus c;
    ASSERT_EQ(c.imported.exit_code, 0) << c.imported.err;
    const auto text = c.cli("show example-z390");
    EXPECT_NE(text.find("board example-z390: Example Z390 <Test>"), std::string::npos) << text;
    EXPECT_NE(text.find("groups as shipped"), std::string::npos);
    EXPECT_NE(text.find("  downstream: "), std::string::npos);
    EXPECT_NE(text.find("  multifunction: "), std::string::npos);
    EXPECT_NE(text.find("  downstream,multifunction: "), std::string::npos);
    EXPECT_NE(
        text.find(
            "00:01.0 root port, slot 1, CPU lanes, capable x16 8GT/s: holds 01:00.0 VGA compatible "
            "controller: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80] -- isolated"),
        std::string::npos)
        << text;

    const auto j = json::parse(c.cli("show example-z390 --format json"));
    auto find = [&](const char* use, const char* port) -> json {
        for (const auto& s : j["slots"][use])
            if (s["port"] == port) return s;
        return nullptr;
    };
    // the GPU slot: ACS on the CPU root port
    ASSERT_FALSE(find("GPU", "0000:00:01.0").is_null()) << j["slots"].dump(1);
    EXPECT_EQ(find("GPU", "0000:00:01.0")["isolated"], "yes");
    EXPECT_EQ(find("GPU", "0000:00:01.0")["lanes"], "CPU lanes");
    // the empty ACS root port serves every kind
    for (const char* use : {"GPU", "NVMe", "HBA"}) {
        auto s = find(use, "0000:00:01.1");
        ASSERT_FALSE(s.is_null()) << use;
        EXPECT_TRUE(s["empty"].get<bool>());
        EXPECT_EQ(s["isolated"], "yes");
    }
    // the NVMe drive behind a root port without ACS is not isolated, and the reason names the port
    auto nvme = find("NVMe", "0000:00:1d.0");
    ASSERT_FALSE(nvme.is_null());
    EXPECT_EQ(nvme["isolated"], "no");
    EXPECT_NE(nvme["why"].get<std::string>().find("00:1d.0"), std::string::npos);
    // the HBA sits on chipset lanes
    auto hba = find("HBA", "0000:00:1c.0");
    ASSERT_FALSE(hba.is_null());
    EXPECT_EQ(hba["lanes"], "chipset lanes");
    // ports holding another kind are not offered for a GPU
    EXPECT_TRUE(find("GPU", "0000:00:1d.0").is_null());
    ASSERT_TRUE(j["lint"].is_array());
    EXPECT_NE(text.find("lint (the recording as booted): "), std::string::npos);
    ASSERT_EQ(j["overrides"].size(), 3u);
    EXPECT_EQ(j["overrides"][0]["mode"], "downstream");
    EXPECT_GE(j["overrides"][0]["splits"].get<int>(), 1); // the ACS-less root port's group splits
}

TEST(BoardCompare, SideBySide) {
    Corpus c;
    ASSERT_EQ(c.imported.exit_code, 0) << c.imported.err;
    ASSERT_EQ(il::test::run_cli("board import " + c.rec.string() + " --boards " +
                                c.boards.string() + " --name twin")
                  .exit_code,
              0);
    const auto out = c.cli("compare example-z390 twin");
    EXPECT_NE(out.find("example-z390"), std::string::npos) << out;
    EXPECT_NE(out.find("twin"), std::string::npos);
    EXPECT_NE(out.find("isolated GPU slots"), std::string::npos);
    EXPECT_NE(out.find("override downstream"), std::string::npos);
    EXPECT_NE(out.find("Intel Z390"), std::string::npos);
    EXPECT_NE(out.find("lint findings"), std::string::npos);
    auto r = il::test::run_cli("board compare example-z390 --boards " + c.boards.string());
    EXPECT_EQ(r.exit_code, 2);
}

// ---- the committed corpus ------------------------------------------------------------------

TEST(BoardCorpus, EveryRecordLoadsAndNamesItsSource) {
    const auto dir = il::test::source_dir() / "corpus" / "boards";
    const auto names = il::report::board_names(dir);
    ASSERT_GE(names.size(), 40u) << "QEMU captures and the shared corpus hosts with an lspci dump";
    std::size_t qemu = 0, shared = 0;
    for (const auto& n : names) {
        SCOPED_TRACE(n);
        auto b = il::report::load_board(dir, n);
        EXPECT_EQ(b.meta.name, n);
        EXPECT_FALSE(b.host.devices.empty());
        ASSERT_TRUE(b.meta.source_corpus.has_value());
        ASSERT_TRUE(b.meta.citation.has_value());
        EXPECT_FALSE(b.meta.files.empty());
        for (const auto& f : b.host.files) {
            EXPECT_TRUE(f.empty() || (f[0] != '/' && f.find("..") == std::string::npos &&
                                      f.find("shared") == std::string::npos))
                << f;
        }
        if (n.rfind("qemu-", 0) == 0) {
            ++qemu;
            EXPECT_EQ(b.meta.vendor, "QEMU");
            // the record is the oracle's capture: the simulation still matches the kernel's groups
            il::model::Topology t(b.host);
            auto a = il::report::analyse_board(b, t);
            auto cmp = il::sim::compare_observed(b.host, a.shipped.grouping);
            if (cmp.has_observed) {
                EXPECT_TRUE(cmp.match);
            }
        } else {
            ++shared;
            EXPECT_FALSE(b.meta.urls.empty());
        }
    }
    EXPECT_GE(qemu, 20u);
    EXPECT_GE(shared, 17u);
}

TEST(BoardCorpus, CliFindsTheCorpusNextToTheBinary) {
    auto r = il::test::run_cli("board list");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("qemu-switch"), std::string::npos);
    EXPECT_NE(r.out.find("asus-pn51-e1"), std::string::npos);
    r = il::test::run_cli("board show qemu-switch");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("groups as shipped"), std::string::npos);
    // the linter's summary: the B550 chipset switch without ACS puts 8 functions in one group
    r = il::test::run_cli("board show gigabyte-b550m-aorus-pro-p");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("IL105 bridge-without-acs: IOMMU group 15"), std::string::npos) << r.out;
    r = il::test::run_cli("board compare qemu-switch qemu-workstation");
    ASSERT_EQ(r.exit_code, 0) << r.err;
}
