// tools/iommu-capture.sh against a fake root (a directory tree standing in for /sys and /proc,
// stub lspci/dmesg/uname commands), then iommu-lint reading the archive it writes.
#include "model/archive.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace {

// A small synthetic host: a root port with ACS and a GPU (two functions) below it.
constexpr const char* k_vvv =
    R"(0000:00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f] (rev 08)
	Subsystem: Example [1234:0001]
	Control: I/O- Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx-
	IOMMU group: 0

0000:00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16) [8086:1901] (rev 08) (prog-if 00 [Normal decode])
	Control: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	IOMMU group: 1
	Bus: primary=00, secondary=01, subordinate=01, sec-latency=0
	Capabilities: [a0] Express (v2) Root Port (Slot+), MSI 00
		LnkCap:	Port #2, Speed 8GT/s, Width x16, ASPM L0s L1, Exit Latency L0s <256ns, L1 <8us
		LnkSta:	Speed 8GT/s, Width x16
			TrErr- Train- SlotClk+ DLActive- BWMgmt+ ABWMgmt-
	Kernel driver in use: pcieport

0000:01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80] (rev a1) (prog-if 00 [VGA controller])
	Control: I/O+ Mem+ BusMaster+ SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx+
	IOMMU group: 1
	Capabilities: [78] Express (v2) Legacy Endpoint, MSI 00
		LnkCap:	Port #0, Speed 8GT/s, Width x16, ASPM L0s L1, Exit Latency L0s <512ns, L1 <4us
		LnkSta:	Speed 8GT/s, Width x16
	Kernel driver in use: vfio-pci

0000:01:00.1 Audio device [0403]: NVIDIA Corporation GP104 High Definition Audio Controller [10de:10f0] (rev a1)
	Control: I/O- Mem+ BusMaster- SpecCycle- MemWINV- VGASnoop- ParErr- Stepping- SERR- FastB2B- DisINTx-
	IOMMU group: 1
	Kernel driver in use: vfio-pci

)";

constexpr const char* k_tree = R"(-[0000:00]-+-00.0  Intel Corporation Device [8086:3e0f]
           \-01.0-[01]--+-00.0  NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80]
                        \-00.1  NVIDIA Corporation GP104 High Definition Audio Controller [10de:10f0]
)";

constexpr const char* k_dmesg =
    R"([    0.000000] Linux version 6.8.12-4-pve (build@proxmox) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z) ()
[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on
[    0.112233] DMAR: IOMMU enabled
[    0.512345] pci 0000:01:00.0: Adding to iommu group 1
)";

constexpr const char* k_vm = R"(boot: order=scsi0
cores: 4
machine: q35
memory: 8192
hostpci0: 0000:01:00,pcie=1,x-vga=1
cipassword: $5$secret$hash
)";

void write(const fs::path& p, const std::string& s) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << s;
}

struct FakeRoot {
    fs::path dir;
    FakeRoot() {
        char tpl[] = "/tmp/il_capture_XXXXXX";
        dir = mkdtemp(tpl);
        const fs::path sys = dir / "sys", proc = dir / "proc", stub = dir / "stub";
        for (auto [g, d] :
             std::map<std::string, std::string>{{"0", "0000:00:00.0"}, {"1", "0000:00:01.0"}})
            write(sys / "kernel/iommu_groups" / g / "devices" / d / "vendor", "0x8086\n");
        write(sys / "kernel/iommu_groups/1/devices/0000:01:00.0/vendor", "0x10de\n");
        write(sys / "kernel/iommu_groups/1/devices/0000:01:00.1/vendor", "0x10de\n");
        write(sys / "class/dmi/id/board_vendor", "Example \"Boards\" Inc.\n");
        write(sys / "class/dmi/id/board_name", "Z390 TEST\\PRO\n");
        write(sys / "class/dmi/id/bios_version", "F12\n");
        write(proc / "cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root "
                                "ro quiet intel_iommu=on\n");
        write(dir / "pve/100.conf", k_vm);
        write(stub / "vvv.txt", k_vvv);
        write(stub / "tree.txt", k_tree);
        write(stub / "dmesg.txt", k_dmesg);
        write(stub / "lspci",
              "#!/bin/sh\ncase \"$*\" in\n"
              "  *-vvv*) cat " +
                  (stub / "vvv.txt").string() +
                  " ;;\n"
                  "  *-xxxx*) echo 'lspci: hex dump not available in this stub' >&2; exit 1 ;;\n"
                  "  *-tv*) cat " +
                  (stub / "tree.txt").string() +
                  " ;;\n"
                  "  --version) echo 'lspci version 3.9.0' ;;\n"
                  "esac\n");
        write(stub / "dmesg", "#!/bin/sh\ncat " + (stub / "dmesg.txt").string() + "\n");
        write(stub / "dmesg-denied", "#!/bin/sh\necho 'dmesg: read kernel buffer failed: Operation "
                                     "not permitted' >&2\nexit 1\n");
        write(stub / "journalctl",
              "#!/bin/sh\necho \"$*\" > " + (stub / "journal-args").string() +
                  "\necho 'Nov 21 12:00:00 pve kernel: DMAR: IOMMU enabled'\n");
        write(stub / "uname", "#!/bin/sh\necho 6.8.12-4-pve\n");
        for (auto s : {"lspci", "dmesg", "dmesg-denied", "journalctl", "uname"})
            fs::permissions(stub / s,
                            fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
    }
    ~FakeRoot() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    // runs the capture script; returns its exit code
    int capture(const fs::path& out, const std::string& dmesg = "dmesg") const {
        const fs::path stub = dir / "stub";
        std::string cmd =
            "SYSROOT=" + (dir / "sys").string() + " PROCROOT=" + (dir / "proc").string() +
            " PVE_CONF_DIR=" + (dir / "pve").string() + " LSPCI=" + (stub / "lspci").string() +
            " DMESG=" + (stub / dmesg).string() + " JOURNALCTL=" + (stub / "journalctl").string() +
            " UNAME=" + (stub / "uname").string() + " sh " +
            (il::test::source_dir() / "tools/iommu-capture.sh").string() + " -o " + out.string() +
            " >" + (dir / "capture.log").string() + " 2>&1";
        const int st = std::system(cmd.c_str());
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
};

std::map<std::string, std::string> members(const fs::path& archive) {
    std::map<std::string, std::string> m;
    for (auto& a : il::model::read_archive(il::test::read_file(archive), archive.string()))
        m[a.name] = a.content;
    return m;
}

} // namespace

TEST(CaptureScript, RecordsEverythingIntoOneArchive) {
    FakeRoot root;
    const fs::path out = root.dir / "host.tar.gz";
    ASSERT_EQ(root.capture(out), 0) << il::test::read_file(root.dir / "capture.log");
    auto m = members(out);
    ASSERT_TRUE(m.count("iommu-capture/lspci-vvv.txt"));
    EXPECT_EQ(m["iommu-capture/lspci-vvv.txt"], k_vvv);
    EXPECT_EQ(m["iommu-capture/lspci-tv.txt"], k_tree);
    EXPECT_EQ(m["iommu-capture/dmesg.txt"], k_dmesg);
    EXPECT_FALSE(m.count("iommu-capture/journal.txt"));
    EXPECT_EQ(m["iommu-capture/iommu-groups.txt"],
              "0 0000:00:00.0\n1 0000:00:01.0\n1 0000:01:00.0\n1 0000:01:00.1\n");
    EXPECT_NE(m["iommu-capture/cmdline.txt"].find("intel_iommu=on"), std::string::npos);
    const auto& vm = m["iommu-capture/qemu-server/100.conf"];
    EXPECT_NE(vm.find("hostpci0: 0000:01:00,pcie=1,x-vga=1"), std::string::npos);
    EXPECT_EQ(vm.find("secret"), std::string::npos) << "cipassword must be redacted";

    auto info = nlohmann::json::parse(m["iommu-capture/capture-info.json"]);
    EXPECT_EQ(info["iommu_capture"], 1);
    EXPECT_EQ(info["kernel"], "6.8.12-4-pve");
    EXPECT_EQ(info["dmi"]["board_vendor"], "Example \"Boards\" Inc.");
    EXPECT_EQ(info["dmi"]["board_name"], "Z390 TEST\\PRO");
    EXPECT_EQ(info["dmi"]["bios_version"], "F12");
    EXPECT_EQ(info["exit_codes"]["lspci-vvv"], 0);
    EXPECT_EQ(info["exit_codes"]["lspci-xxxx"], 1); // the stub fails: recorded, capture goes on
    EXPECT_NE(info["stderr"].get<std::string>().find("hex dump not available"), std::string::npos);
}

TEST(CaptureScript, FallsBackToTheJournalWhenDmesgIsDenied) {
    FakeRoot root;
    const fs::path out = root.dir / "j.tgz";
    ASSERT_EQ(root.capture(out, "dmesg-denied"), 0)
        << il::test::read_file(root.dir / "capture.log");
    auto m = members(out);
    EXPECT_FALSE(m.count("iommu-capture/dmesg.txt"));
    ASSERT_TRUE(m.count("iommu-capture/journal.txt"));
    EXPECT_NE(m["iommu-capture/journal.txt"].find("kernel: DMAR: IOMMU enabled"),
              std::string::npos);
    EXPECT_EQ(il::test::read_file(root.dir / "stub/journal-args"), "-k -b 0 --no-pager\n");
}

TEST(CaptureScript, IommuLintReadsTheArchiveAsOneHost) {
    FakeRoot root;
    const fs::path out = root.dir / "myhost.tar.gz";
    ASSERT_EQ(root.capture(out), 0) << il::test::read_file(root.dir / "capture.log");
    auto r = il::test::run_cli("parse --format json " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["hosts"].size(), 1u);
    const auto& h = j["hosts"][0];
    EXPECT_EQ(h["name"], "myhost");
    ASSERT_EQ(h["devices"].size(), 4u);
    std::map<std::string, nlohmann::json> by_bdf;
    for (const auto& d : h["devices"]) by_bdf[d["bdf"]] = d;
    EXPECT_EQ(by_bdf["0000:01:00.0"]["observed_group"], 1);
    EXPECT_EQ(by_bdf["0000:01:00.0"]["vendor_id"], "10de");
    EXPECT_EQ(h["kernel_version"], "6.8.12-4-pve");
    EXPECT_NE(h["cmdline"].get<std::string>().find("intel_iommu=on"), std::string::npos);
    ASSERT_EQ(h["vms"].size(), 1u);
    // files are named inside the archive
    bool named = false;
    for (const auto& f : h["files"])
        if (f.get<std::string>() == out.string() + "/iommu-capture/lspci-vvv.txt") named = true;
    EXPECT_TRUE(named) << h["files"].dump();

    auto g = il::test::run_cli("groups " + out.string());
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_NE(g.out.find("observed groups: match"), std::string::npos) << g.out;
}

TEST(CaptureScript, CorruptArchivesAreClearErrors) {
    FakeRoot root;
    const fs::path out = root.dir / "c.tar.gz";
    ASSERT_EQ(root.capture(out), 0);
    std::string bytes = il::test::read_file(out);
    write(root.dir / "cut.tar.gz", bytes.substr(0, bytes.size() / 2));
    auto r = il::test::run_cli("parse " + (root.dir / "cut.tar.gz").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    std::string flipped = bytes;
    flipped[flipped.size() / 2] ^= 0x55;
    write(root.dir / "flip.tar.gz", flipped);
    r = il::test::run_cli("parse " + (root.dir / "flip.tar.gz").string());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("flip.tar.gz: "), std::string::npos) << r.err;
}
