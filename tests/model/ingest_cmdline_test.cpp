#include "model/ingest.hpp"
#include "model/snapshot.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace il::model;

namespace {

Host ingest(std::vector<FileInput> files) {
    return ingest_host("h", files);
}
Host ingest1(const std::string& text, const std::string& name = "cmdline.txt") {
    return ingest({FileInput{name, text, false}});
}

bool has_format(const Host& h, const std::string& f) {
    return std::find(h.formats_seen.begin(), h.formats_seen.end(), f) != h.formats_seen.end();
}

int diags(const Host& h, Diagnostic::Level lvl, const std::string& part) {
    return static_cast<int>(std::count_if(h.diagnostics.begin(), h.diagnostics.end(), [&](auto& d) {
        return d.level == lvl && d.message.find(part) != std::string::npos;
    }));
}

} // namespace

TEST(IngestCmdline, ProcCmdline) {
    Host h = ingest1("BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve root=/dev/mapper/pve-root ro quiet "
                     "intel_iommu=on iommu=pt\n");
    ASSERT_TRUE(h.cmdline.known());
    EXPECT_EQ(*h.cmdline, "BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve root=/dev/mapper/pve-root ro "
                          "quiet intel_iommu=on iommu=pt");
    EXPECT_EQ(h.where(h.cmdline.src), "cmdline.txt:1");
    ASSERT_EQ(h.params.size(), 6u);
    ASSERT_TRUE(h.param("intel_iommu"));
    EXPECT_EQ(*h.param("intel_iommu")->value, "on");
    EXPECT_FALSE(h.param("ro")->value);
    EXPECT_EQ(*h.kernel_version, "6.5.11-8-pve");
    EXPECT_EQ(h.where(h.kernel_version.src), "cmdline.txt:1");
    EXPECT_TRUE(has_format(h, "cmdline"));
}

TEST(IngestCmdline, PromptThenCmdline) {
    Host h = ingest1("# cat /proc/cmdline\nBOOT_IMAGE=/boot/vmlinuz-6.3.0-acso root=UUID=0706 ro "
                     "quiet splash pcie_acs_override=downstream,multifunction vt.handoff=7\n");
    ASSERT_TRUE(h.param("pcie_acs_override"));
    EXPECT_EQ(*h.param("pcie_acs_override")->value, "downstream,multifunction");
    EXPECT_EQ(h.where(h.param("pcie_acs_override")->src), "cmdline.txt:2");
    EXPECT_EQ(*h.kernel_version, "6.3.0-acso");
}

TEST(IngestCmdline, KernelCmdlineFile) {
    Host h = ingest1("root=ZFS=rpool/ROOT/pve-1 boot=zfs quiet intel_iommu=on iommu=pt\n",
                     "etc-kernel-cmdline");
    ASSERT_TRUE(h.cmdline.known());
    EXPECT_EQ(*h.param("root")->value, "ZFS=rpool/ROOT/pve-1");
    EXPECT_FALSE(h.kernel_version.known()); // no BOOT_IMAGE: not told
}

TEST(IngestCmdline, GrubDefaultFile) {
    const std::string grub = "# If you change this file, run 'update-grub' afterwards\n"
                             "GRUB_DEFAULT=0\n"
                             "GRUB_TIMEOUT=5\n"
                             "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
                             "#GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
                             "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet amd_iommu=on iommu=pt\"\n"
                             "GRUB_CMDLINE_LINUX=\"rd.luks.uuid=abc\"\n"
                             "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT "
                             "vfio-pci.ids=10de:1b80,10de:10f0\"\n";
    Host h = ingest1(grub, "grub");
    ASSERT_TRUE(h.cmdline.known());
    // grub joins LINUX then DEFAULT; the last DEFAULT assignment wins, with its $ reference
    EXPECT_EQ(*h.cmdline,
              "rd.luks.uuid=abc quiet amd_iommu=on iommu=pt vfio-pci.ids=10de:1b80,10de:10f0");
    ASSERT_EQ(h.params.size(), 5u);
    EXPECT_EQ(h.params[0].key, "rd.luks.uuid");
    EXPECT_EQ(h.where(h.params[0].src), "grub:7");
    EXPECT_EQ(h.where(h.param("vfio-pci.ids")->src), "grub:8");
    EXPECT_TRUE(has_format(h, "grub"));
    EXPECT_FALSE(has_format(h, "cmdline"));
    EXPECT_FALSE(h.kernel_version.known());
}

TEST(IngestCmdline, GrepPrefixedAndHashedGrubLines) {
    Host h = ingest1("[ecb6ba8 etc/default/grub] 7:GRUB_CMDLINE_LINUX_DEFAULT=\"amd_iommu=on "
                     "iommu=pt pcie_acs_override=downstream,multifunction\"\n"
                     "[ecb6ba8 etc/default/grub] 8:GRUB_CMDLINE_LINUX=\"\"\n");
    EXPECT_EQ(*h.cmdline, "amd_iommu=on iommu=pt pcie_acs_override=downstream,multifunction");
    EXPECT_EQ(h.where(h.cmdline.src), "cmdline.txt:1");
    EXPECT_EQ(diags(h, Diagnostic::Level::note, "behind '#'"), 0);

    Host m = ingest1("## GRUB_CMDLINE_LINUX_DEFAULT=\"intel_iommu=on iommu=pt\"\n");
    EXPECT_EQ(*m.cmdline, "intel_iommu=on iommu=pt");
    EXPECT_EQ(diags(m, Diagnostic::Level::note, "behind '#'"), 1);
}

TEST(IngestCmdline, DifferentCommandLinesConflict) {
    Host h = ingest({{"a/cmdline.txt", "BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/sda1 ro\n", false},
                     {"b/cmdline.txt", "BOOT_IMAGE=/vmlinuz-6.2.0 root=/dev/sda1 ro\n", false}});
    EXPECT_EQ(*h.cmdline, "BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/sda1 ro");
    EXPECT_EQ(*h.kernel_version, "6.1.0");
    EXPECT_EQ(diags(h, Diagnostic::Level::warning, "conflict: kernel command line"), 1);
    EXPECT_EQ(diags(h, Diagnostic::Level::warning, "conflict: kernel version"), 1);
}

TEST(IngestCmdline, RunningKernelLineBeatsGrubConfig) {
    const FileInput grub{"grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n", false};
    const FileInput proc{"cmdline.txt", "BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/sda1 ro quiet\n",
                         false};
    for (const auto& order :
         {std::vector<FileInput>{grub, proc}, std::vector<FileInput>{proc, grub}}) {
        Host h = ingest(order);
        EXPECT_EQ(*h.cmdline, "BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/sda1 ro quiet");
        EXPECT_EQ(h.where(h.cmdline.src), "cmdline.txt:1");
        ASSERT_TRUE(h.param("root"));
        EXPECT_EQ(diags(h, Diagnostic::Level::warning, "conflict"), 0);
        EXPECT_EQ(diags(h, Diagnostic::Level::note, "GRUB"), 1);
    }
}

TEST(IngestCmdline, ProseIsNotClaimed) {
    EXPECT_THROW(ingest1("I added intel_iommu=on iommu=pt to the kernel command line.\n"),
                 IngestError);
    EXPECT_THROW(ingest1("intel_iommu=on iommu=pt\n"), IngestError);
}

TEST(IngestCmdline, UnterminatedGrubQuoteFails) {
    try {
        ingest1("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on\n", "grub");
        FAIL() << "expected IngestError";
    } catch (const IngestError& e) {
        EXPECT_NE(std::string(e.what()).find("grub:2:"), std::string::npos) << e.what();
    }
}

TEST(IngestCmdlineCorpus, EveryCmdlineFile) {
    IL_REQUIRE_SHARED();
    namespace fs = std::filesystem;
    int n = 0;
    for (const auto& host : fs::directory_iterator(il::test::shared_dir() / "corpus/hosts")) {
        for (const char* name : {"cmdline.txt", "other-grub-cmdline.txt"}) {
            const fs::path p = host.path() / name;
            if (!fs::exists(p)) continue;
            SCOPED_TRACE(p.string());
            ++n;
            const std::string text = il::test::read_file(p);
            Host h = ingest1(text, p.string());
            ASSERT_TRUE(h.cmdline.known());
            EXPECT_FALSE(h.params.empty());
            // every parameter of the line made it into params
            std::size_t words = 0;
            for (std::size_t i = 0; i < h.cmdline.value->size(); ++i)
                if ((*h.cmdline)[i] != ' ' && (i == 0 || (*h.cmdline)[i - 1] == ' ')) ++words;
            EXPECT_EQ(h.params.size(), words);
            if (std::string(name) == "cmdline.txt") {
                EXPECT_TRUE(has_format(h, "cmdline"));
                EXPECT_TRUE(h.kernel_version.known());
            } else {
                EXPECT_TRUE(has_format(h, "grub"));
            }
        }
    }
    EXPECT_GE(n, 9);
    const auto hosts = il::test::shared_dir() / "corpus/hosts";
    Host f = ingest1(il::test::read_file(hosts / "fujitsu-primergy-tx1320-m3/cmdline.txt"));
    EXPECT_EQ(*f.kernel_version, "6.5.11-8-pve");
    Host t = ingest1(il::test::read_file(hosts / "supermicro-a2sdi-4c-hln4f/cmdline.txt"));
    EXPECT_EQ(*t.kernel_version, "6.1.74-production+truenas");
    Host m =
        ingest1(il::test::read_file(hosts / "msi-x470-gaming-plus-max/other-grub-cmdline.txt"));
    ASSERT_TRUE(m.param("pcie_acs_override"));
    EXPECT_EQ(*m.param("pcie_acs_override")->value, "downstream,multifunction");
    // the listing files that start with the cmdline give the same line as cmdline.txt
    Host l = ingest1(il::test::read_file(hosts / "supermicro-x11scl-if/iommu-groups.txt"));
    Host c = ingest1(il::test::read_file(hosts / "supermicro-x11scl-if/cmdline.txt"));
    EXPECT_EQ(*l.cmdline, *c.cmdline);
}
