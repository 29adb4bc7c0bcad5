#include "model/ingest.hpp"
#include "model/snapshot.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

using namespace il::model;

namespace {

Host ingest(const std::string& text, const std::string& name = "groups.txt") {
    return ingest_host("h", {FileInput{name, text, false}});
}

const Device& dev(const Host& h, const char* bdf) {
    const Device* d = h.find(*Bdf::parse(bdf));
    if (!d) throw std::runtime_error(std::string("no device ") + bdf);
    return *d;
}

int group_of(const Host& h, const char* bdf) {
    const Device& d = dev(h, bdf);
    return d.observed_group.known() ? *d.observed_group : -1;
}

int conflicts(const Host& h, const std::string& what = "IOMMU group") {
    int n = 0;
    for (const auto& d : h.diagnostics)
        if (d.level == Diagnostic::Level::warning &&
            d.message.find("conflict: " + what) != std::string::npos)
            ++n;
    return n;
}

bool has_format(const Host& h, const std::string& f) {
    return std::find(h.formats_seen.begin(), h.formats_seen.end(), f) != h.formats_seen.end();
}

} // namespace

TEST(IngestListing, HeaderBlocksWithTabs) {
    const std::string in =
        "IOMMU Group 0:\n"
        "\t00:00.0 Host bridge [0600]: Intel Corporation Device [8086:4660] (rev 02)\n"
        "IOMMU Group 7:\n"
        "\t00:14.0 USB controller [0c03]: Intel Corporation Device [8086:7ae0] (rev 11)\n"
        "\t00:14.2 RAM memory [0500]: Intel Corporation Device [8086:7aa7] (rev 11)\n"
        "IOMMU Group 22:\n"
        "\t03:00.1 Audio device [0403]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 21 HDMI "
        "Audio [Radeon RX 6800/6800 XT / 6900 XT] [1002:ab28]\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 4u);
    EXPECT_EQ(group_of(h, "00:00.0"), 0);
    EXPECT_EQ(group_of(h, "00:14.0"), 7);
    EXPECT_EQ(group_of(h, "00:14.2"), 7);
    EXPECT_EQ(group_of(h, "03:00.1"), 22);
    const Device& a = dev(h, "03:00.1");
    EXPECT_EQ(*a.vendor_id, 0x1002);
    EXPECT_EQ(*a.device_id, 0xab28);
    EXPECT_EQ(*a.class_code, 0x0403);
    EXPECT_FALSE(a.revision.known()); // not printed: unknown
    EXPECT_EQ(a.class_name, "Audio device");
    EXPECT_EQ(a.description,
              "Advanced Micro Devices, Inc. [AMD/ATI] Navi 21 HDMI Audio [Radeon RX 6800/6800 XT "
              "/ 6900 XT]");
    EXPECT_TRUE(a.origins & origin_listing);
    EXPECT_EQ(h.where(a.observed_group.src), "groups.txt:7");
    EXPECT_EQ(*dev(h, "00:14.2").revision, 0x11);
    EXPECT_TRUE(has_format(h, "iommu-groups"));
    EXPECT_EQ(conflicts(h), 0);
}

TEST(IngestListing, NbspIndentationAndDomainsAndReset) {
    const std::string in =
        "IOMMU Group 40:\n"
        "\xc2\xa0 \xc2\xa0 \xc2\xa0 08:01.0 PCI bridge [0604]: ASMedia Technology Inc. Device "
        "[1b21:118f]\n"
        "IOMMU group 19\n"
        "[RESET]\t01:00.0 PCI bridge [0604]: AMD Navi 10 XL Upstream Port [1002:1478] (rev c1)\n"
        "IOMMU Group 1:\n"
        "        0000:00:01.1 PCI bridge [0604]: AMD Renoir PCIe GPP Bridge [1022:1633]\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 3u);
    EXPECT_EQ(group_of(h, "08:01.0"), 40);
    EXPECT_EQ(group_of(h, "01:00.0"), 19);
    EXPECT_EQ(group_of(h, "0000:00:01.1"), 1);
}

TEST(IngestListing, OneLinePerDeviceWithShellLoopAndCmdline) {
    const std::string in =
        "root@pve:~# cat /proc/cmdline; for d in /sys/kernel/iommu_groups/*/devices/*; do "
        "n=${d#*/iommu_groups/*}; n=${n%%/*}; printf 'IOMMU group %s ' \"$n\"; lspci -nns "
        "\"${d##*/}\"; done\n"
        "BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on\n"
        "IOMMU group 0 00:00.0 Host bridge [0600]: Intel Corporation Xeon E3-1200 v6 [8086:5918] "
        "(rev 05)\n"
        "IOMMU group 10 02:00.0 VGA compatible controller [0300]: Matrox G200e [102b:0522] (rev "
        "05)      \n"
        "IOMMU Group 10 02:00.1 Co-processor [0b40]: Emulex Corporation ServerView iRMC HTI "
        "[19a2:0800]\n"
        "IOMMU group 1 00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor "
        "PCIe Controller (x16) [8086:1901] (rev 05)\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 4u);
    EXPECT_EQ(group_of(h, "02:00.0"), 10);
    EXPECT_EQ(group_of(h, "02:00.1"), 10);
    EXPECT_EQ(group_of(h, "00:01.0"), 1);
    EXPECT_EQ(dev(h, "00:01.0").description,
              "Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16)");
    // the cmdline line of the same paste goes to the cmdline adapter
    ASSERT_TRUE(h.cmdline.known());
    EXPECT_EQ(*h.kernel_version, "6.5.11-8-pve");
}

TEST(IngestListing, UpperCaseGroupWithNumberedMembers) {
    const std::string in = "IOMMU GROUP 0\n"
                           " (0) 00:01.0 Host bridge [0600]: AMD Device [1022:14da]\n"
                           "IOMMU GROUP 32\n"
                           " (32) 0e:00.0 Ethernet controller [0200]: Realtek RTL8125 2.5GbE "
                           "Controller [10ec:8125] (rev 05)\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 2u);
    EXPECT_EQ(group_of(h, "0e:00.0"), 32);
    EXPECT_EQ(*dev(h, "0e:00.0").vendor_id, 0x10ec);
}

TEST(IngestListing, SysfsPathsAndLsDirectories) {
    const std::string in = "$ find /sys/kernel/iommu_groups/ -type l\n"
                           "/sys/kernel/iommu_groups/7/devices/0000:00:1f.2\n"
                           "/sys/kernel/iommu_groups/7/devices/0000:00:1f.0\n"
                           "/sys/kernel/iommu_groups/12/devices/0000:01:00.1\n"
                           "\n"
                           "/sys/kernel/iommu_groups/3/devices:\n"
                           "0000:00:14.0\n"
                           "lrwxrwxrwx 1 root root 0 Mar  1 10:00 0000:00:14.2 -> "
                           "../../../../devices/pci0000:00/0000:00:14.2\n"
                           "\n"
                           "/sys/kernel/iommu_groups/9/devices:\n"
                           "0000:00:1d.0  0000:00:1d.1\t0000:00:1d.2\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 8u);
    EXPECT_EQ(group_of(h, "00:1d.1"), 9);
    EXPECT_EQ(group_of(h, "00:1d.2"), 9);
    EXPECT_EQ(group_of(h, "00:1f.2"), 7);
    EXPECT_EQ(group_of(h, "00:1f.0"), 7);
    EXPECT_EQ(group_of(h, "01:00.1"), 12);
    EXPECT_EQ(group_of(h, "00:14.0"), 3);
    EXPECT_EQ(group_of(h, "00:14.2"), 3);
    EXPECT_FALSE(dev(h, "00:1f.2").vendor_id.known());
}

TEST(IngestListing, LsgroupRandomOrder) {
    const std::string in = "### Group 17 ###\n"
                           "    00:1d.0 PCI bridge: Intel Corporation Device 7ab0 (rev 11)\n"
                           "### Group 7 ###\n"
                           "    00:14.2 RAM memory: Intel Corporation Device 7aa7 (rev 11)\n"
                           "    00:14.0 USB controller: Intel Corporation Device 7ae0 (rev 11)\n"
                           "### Group 3 ###\n"
                           "    00:02.0 VGA compatible controller: Intel Corporation AlderLake-S "
                           "GT1 (rev 0c)\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 4u);
    EXPECT_EQ(group_of(h, "00:1d.0"), 17);
    EXPECT_EQ(group_of(h, "00:14.0"), 7);
    EXPECT_EQ(group_of(h, "00:02.0"), 3);
    EXPECT_FALSE(dev(h, "00:14.0").class_code.known());
    EXPECT_EQ(dev(h, "00:14.0").class_name, "USB controller");
}

TEST(IngestListing, R15ColumnsWithUsbLines) {
    const std::string in =
        "root@anaconda:~# bash iommu.sh\n"
        "Group 0:\t[8086:4c53]     00:00.0  Host bridge                              Device 4c53\n"
        "Group 3:\t[8086:43ed]     00:14.0  USB controller                           Tiger "
        "Lake-H USB 3.2 Gen 2x1 xHCI Host Controller\n"
        "USB:\t\t[1d6b:0002]\t\t Bus 001 Device 001                       Linux Foundation 2.0 "
        "root hub\n"
        "USB:\t\t[05e3:0608]\t\t Bus 001 Device 003                       Genesys Logic, Inc. Hub\n"
        "\t\t[8086:43ef]     00:14.2  RAM memory                               Tiger Lake-H Shared "
        "SRAM\n"
        "Group 12:       [10de:2206] [R] 01:00.0  VGA compatible controller                GA102 "
        "[GeForce RTX 3080]\n"
        "                [10de:1aef]     01:00.1  Audio device                             GA102 "
        "High Definition Audio Controller\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 5u); // USB devices are not PCI functions
    EXPECT_EQ(group_of(h, "00:14.0"), 3);
    EXPECT_EQ(group_of(h, "00:14.2"), 3);
    EXPECT_EQ(group_of(h, "01:00.1"), 12);
    EXPECT_EQ(*dev(h, "00:14.2").device_id, 0x43ef);
    EXPECT_EQ(dev(h, "01:00.0").class_name, "VGA compatible controller");
    EXPECT_EQ(dev(h, "01:00.0").description, "GA102 [GeForce RTX 3080]");
}

TEST(IngestListing, DmarTreeWithRepeatedMembers) {
    const std::string in = "IOMMU: dmar0\n"
                           "  IOMMU Group: 50\n"
                           "    Group Device: 0000:97:00.4 - Generic system peripheral [0807]: "
                           "Intel Corporation Device [8086:0b23]\n"
                           "\n"
                           "IOMMU: dmar7\n"
                           "  IOMMU Group: 3\n"
                           "    Group Device: 0000:00:1f.0 - ISA bridge [0601]: Intel "
                           "Corporation Device [8086:1b81]\n"
                           "    Group Device: 0000:00:1f.4 - SMBus [0c05]: Intel Corporation "
                           "Device [8086:1bc9]\n"
                           "  IOMMU Group: 3\n"
                           "    Group Device: 0000:00:1f.0 - ISA bridge [0601]: Intel "
                           "Corporation Device [8086:1b81]\n"
                           "    Group Device: 0000:00:1f.4 - SMBus [0c05]: Intel Corporation "
                           "Device [8086:1bc9]\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 3u);
    EXPECT_EQ(group_of(h, "0000:97:00.4"), 50);
    EXPECT_EQ(group_of(h, "00:1f.4"), 3);
    EXPECT_EQ(conflicts(h), 0); // the same facts printed twice are no conflict
}

TEST(IngestListing, TwoColumnRunsOnlyAsAWhole) {
    Host h = ingest("0 0000:00:00.0\n7 0000:00:1f.2\n7 0000:00:1f.3\n");
    ASSERT_EQ(h.devices.size(), 3u);
    EXPECT_EQ(group_of(h, "00:1f.3"), 7);

    // a run mixed with prose is not a listing: nothing recognised at all
    EXPECT_THROW(ingest("we saw\n7 0000:00:1f.2\nin the output\n"), IngestError);
}

TEST(IngestListing, BridgePathsAndAnnotations) {
    const std::string in =
        "mega-group:\n"
        "\n"
        "IOMMU Group 12:\n"
        "\t0000:00:1c.0 PCI bridge [0604]: Intel Corporation Raptor Lake PCI Express Root Port "
        "#1 [8086:7a38] (rev 11)\n"
        "\t\tExpress Root Port (Slot+)\n"
        "\t0000:00:1c.3/08:00.0/09:01.0 PCI bridge [0604]: Pericom Semiconductor PI7C9X2G404 "
        "[12d8:2404] (rev 05)\n"
        "\t\tExpress Downstream Port (Slot-)\n"
        "\t\tACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl+ "
        "DirectTrans+\n"
        "\t\tACSCtl:\tSrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- "
        "DirectTrans-\n"
        "\t0000:00:1c.3/08:00.0/09:01.0/0a:00.0 Ethernet controller [0200]: Realtek "
        "RTL8111/8168/8211/8411 PCI Express Gigabit Ethernet Controller [10ec:8168] (rev 15)\n"
        "\t\tExpress Endpoint\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 3u);
    EXPECT_EQ(group_of(h, "0000:09:01.0"), 12);
    EXPECT_EQ(group_of(h, "0000:0a:00.0"), 12);
    EXPECT_EQ(*dev(h, "0000:0a:00.0").vendor_id, 0x10ec);
    EXPECT_FALSE(h.find(*Bdf::parse("08:00.0"))); // a path component is not a member
}

TEST(IngestListing, WrappedMailLinesGetTheirIds) {
    const std::string in = "IOMMU Group 40:\n"
                           "        08:01.0 PCI bridge [0604]: ASMedia Technology Inc. Device \n"
                           "[1b21:118f]\n"
                           "        09:00.0 Ethernet controller [0200]: Intel Corporation I211 \n"
                           "Gigabit Network Connection [8086:1539] (rev 03)\n";
    Host h = ingest(in);
    ASSERT_EQ(h.devices.size(), 2u);
    EXPECT_EQ(*dev(h, "08:01.0").vendor_id, 0x1b21);
    EXPECT_EQ(*dev(h, "08:01.0").device_id, 0x118f);
    EXPECT_EQ(*dev(h, "09:00.0").device_id, 0x1539);
    EXPECT_EQ(*dev(h, "09:00.0").revision, 3);
}

TEST(IngestListing, SecondListingWithOtherNumbersIsAConflict) {
    const std::string in = "With kernel 5.8:\n"
                           "IOMMU Group 40:\n"
                           "\t08:01.0 PCI bridge [0604]: ASMedia Device [1b21:118f]\n"
                           "IOMMU Group 43:\n"
                           "\t0c:00.0 SATA controller [0106]: ASMedia ASM1062 [1b21:0612] (rev "
                           "02)\n"
                           "\n"
                           "And with 5.9:\n"
                           "IOMMU Group 29:\n"
                           "\t08:01.0 PCI bridge [0604]: ASMedia Device [1b21:118f]\n"
                           "\t0c:00.0 SATA controller [0106]: ASMedia ASM1062 [1b21:0612] (rev "
                           "02)\n";
    Host h = ingest(in);
    EXPECT_EQ(group_of(h, "08:01.0"), 40); // first wins
    EXPECT_EQ(group_of(h, "0c:00.0"), 43);
    EXPECT_EQ(conflicts(h), 2);
}

TEST(IngestListing, BadAddressInAListingFails) {
    try {
        ingest("IOMMU Group 1:\n\t00:20.0 PCI bridge [0604]: Intel Device [8086:1234]\n", "g.txt");
        FAIL() << "expected IngestError";
    } catch (const IngestError& e) {
        EXPECT_NE(std::string(e.what()).find("g.txt:2:"), std::string::npos) << e.what();
    }
}

TEST(IngestListing, DeviceLinesOutsideAListingAreNotOurs) {
    const std::string in = "IOMMU Group 1:\n"
                           "\t00:01.0 PCI bridge [0604]: Intel Device [8086:1901]\n"
                           "\n"
                           "00:02.0 VGA compatible controller [0300]: Intel Device [8086:3e92]\n";
    Host h = ingest(in);
    EXPECT_EQ(group_of(h, "00:01.0"), 1);
    const Device* d = h.find(*Bdf::parse("00:02.0"));
    EXPECT_TRUE(!d || !(d->origins & origin_listing));
    EXPECT_TRUE(!d || !d->observed_group.known());
}

// ---- corpus ---------------------------------------------------------------------------------
//
// Every listing in the corpus is ingested on its own and compared with an independent, much
// simpler reading: a line that names a group number sets the current group (blank lines and
// shell prompts end it); a line whose first address stands behind only a listing prefix is a
// device of the current group; the first group seen for an address wins.

namespace {

struct Expected {
    std::map<std::string, int> group; // normalised bdf -> first group
};

Expected independent_reading(const std::string& text) {
    static const std::regex prompt_re(R"(^#\s|@\S*\s?[#$>]\s)");
    static const std::regex group_re(R"([Gg][Rr][Oo][Uu][Pp]:?\s+(\d+)(?::|\s|$))");
    static const std::regex dev_re(
        R"(^(\s*|\s*\[RESET\]\s*|\s*\(\d+\)\s+|\s*Group Device:\s+|.*[Gg][Rr][Oo][Uu][Pp]\s+\d+:?\s+|.*\[[0-9a-f]{4}:[0-9a-f]{4}\]\s+(\[R\]\s+)?)((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])((?:/[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])*)(\s|$))");
    Expected e;
    std::istringstream in(text);
    std::string line;
    int current = -1;
    while (std::getline(in, line)) {
        // NBSP -> space, CR away
        for (std::size_t p; (p = line.find("\xc2\xa0")) != std::string::npos;)
            line.replace(p, 2, " ");
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos ||
            std::regex_search(line, prompt_re)) {
            current = -1;
            continue;
        }
        if (line.rfind("USB:", 0) == 0) continue;
        std::smatch m;
        if (std::regex_search(line, m, group_re)) current = std::stoi(m[1]);
        if (current < 0 || !std::regex_search(line, m, dev_re)) continue;
        std::string first = m[3];
        std::string rest = m[4];
        std::string bdf = first;
        if (!rest.empty()) { // -PP path: the device is the last component, in the first's domain
            bdf = rest.substr(rest.rfind('/') + 1);
            if (first.size() > 7) bdf = first.substr(0, first.size() - 7) + bdf;
        }
        auto parsed = Bdf::parse(bdf);
        if (!parsed) continue;
        e.group.emplace(parsed->str(), current);
    }
    return e;
}

struct CorpusCase {
    std::string path;
    std::size_t min_devices;
};

} // namespace

TEST(IngestListingCorpus, EveryListingMatchesAnIndependentReading) {
    IL_REQUIRE_SHARED();
    namespace fs = std::filesystem;
    const fs::path corpus = il::test::shared_dir() / "corpus";
    std::vector<CorpusCase> cases;
    for (const auto& host : fs::directory_iterator(corpus / "hosts"))
        for (const auto& f : fs::directory_iterator(host.path())) {
            const auto n = f.path().filename().string();
            if (n.rfind("iommu-groups", 0) == 0 || n.rfind("other-iommu-groups", 0) == 0)
                cases.push_back({f.path().string(), 1});
        }
    for (const char* p :
         {"ashtonian-kvm-aio-output.sh.txt", "j4nsen-ep2c602-iommu-groups-trailing-spaces.txt",
          "linux-pci-borisv-x99-groups-mail-linewrapped-nbsp.txt",
          "linux-pci-awilliamson-raptorlake-annotated-groups-quoted-mail.txt"})
        cases.push_back({(corpus / "pastes" / p).string(), 1});
    ASSERT_GE(cases.size(), 24u);

    std::size_t total = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.path);
        const std::string text = il::test::read_file(c.path);
        const Expected e = independent_reading(text);
        ASSERT_GE(e.group.size(), c.min_devices);
        Host h = ingest_host("h", {FileInput{c.path, text, false}});
        std::size_t listed = 0;
        for (const auto& d : h.devices)
            if (d.origins & origin_listing) ++listed;
        EXPECT_EQ(listed, e.group.size());
        for (const auto& [bdf, g] : e.group) {
            const Device* d = h.find(*Bdf::parse(bdf));
            ASSERT_TRUE(d) << bdf;
            EXPECT_TRUE(d->origins & origin_listing) << bdf;
            ASSERT_TRUE(d->observed_group.known()) << bdf;
            EXPECT_EQ(*d->observed_group, g) << bdf;
        }
        total += e.group.size();
    }
    EXPECT_GT(total, 1000u);
}

TEST(IngestListingCorpus, SpotChecks) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus/hosts";
    auto one = [](const std::filesystem::path& p) {
        return ingest_host("h", {FileInput{p.string(), il::test::read_file(p), false}});
    };
    {
        // kernel 5.9 without the PCH ACS quirk: PCH root ports and everything behind in group 29
        Host h = one(hosts / "asus-x99-i7-5930k-borisv" /
                     "other-iommu-groups-kernel-5.9-acs-quirk-regression.txt");
        EXPECT_EQ(group_of(h, "00:1c.0"), 29);
        EXPECT_EQ(group_of(h, "0d:00.0"), 29);
        Host h58 = one(hosts / "asus-x99-i7-5930k-borisv" / "iommu-groups.txt");
        EXPECT_EQ(group_of(h58, "0d:00.0"), 44);
        EXPECT_EQ(h58.devices.size(), 94u);
    }
    {
        Host h = one(hosts / "asus-rog-strix-x670e-i-gaming-wifi" / "iommu-groups.txt");
        EXPECT_EQ(group_of(h, "00:14.3"), 10);
        EXPECT_EQ(group_of(h, "67:00.0"), 18); // after two USB: lines
        EXPECT_EQ(h.devices.size(), 62u);
    }
    {
        Host h = one(hosts / "unknown-intel-sapphire-rapids-ethanzhf" /
                     "other-iommu-groups-by-dmar-unit.txt");
        EXPECT_EQ(group_of(h, "0000:97:00.4"), 50);
        EXPECT_EQ(conflicts(h), 0);
    }
    {
        // both listings of the borisv mail, and the two kernels disagree: reported
        Host h = one(il::test::shared_dir() / "corpus/pastes" /
                     "linux-pci-borisv-x99-groups-mail-linewrapped-nbsp.txt");
        EXPECT_EQ(group_of(h, "0d:00.0"), 44);
        EXPECT_EQ(*dev(h, "08:01.0").device_id, 0x118f); // wrapped before its ids
        EXPECT_GT(conflicts(h), 5);
    }
    {
        // the x299 mail's base64 attachment (labelled chemical/x-gulp) is a listing
        Host h = one(hosts / "asrock-x299-taichi-xe" / "other-raw-email.eml.txt");
        std::size_t listed = 0;
        for (const auto& d : h.devices)
            if (d.origins & origin_listing) ++listed;
        EXPECT_GE(listed, 100u);
        Host plain = one(hosts / "asrock-x299-taichi-xe" / "iommu-groups.txt");
        EXPECT_EQ(listed, plain.devices.size());
    }
}

// Raw mails decode (quoted-printable, base64 attachments, format=flowed) into the same
// capture as the decoded text files next to them.
TEST(IngestMailCorpus, RawMailsGiveTheSameDevicesAsTheirDecodedFiles) {
    IL_REQUIRE_SHARED();
    const auto hosts = il::test::shared_dir() / "corpus/hosts";
    auto one = [](const std::filesystem::path& p) {
        return ingest_host("h", {FileInput{p.string(), il::test::read_file(p), false}});
    };
    struct Pair {
        const char* mail;
        const char* plain;
        bool same_groups; // the borisv mail shows the 5.9 mega-group before the 5.8 listing
    };
    const Pair pairs[] = {
        {"asus-pn51-e1/other-raw-email.eml.txt", "asus-pn51-e1/lspci-vv.txt", true},
        {"dell-latitude-5410/other-raw-email-2-lspci-5.10.eml.txt",
         "dell-latitude-5410/lspci-vv.txt", true},
        {"asus-q87m-e-asm1812-4x-rtl8125/other-raw-email-lspci.eml.txt",
         "asus-q87m-e-asm1812-4x-rtl8125/lspci-vv.txt", true},
        {"apple-imac-2020-t2-titan-ridge/other-raw-email-lspci-root.eml.txt",
         "apple-imac-2020-t2-titan-ridge/lspci-vv.txt", true},
        {"asus-x99-i7-5930k-borisv/other-raw-email-1-original-report.eml.txt",
         "asus-x99-i7-5930k-borisv/iommu-groups.txt", false},
        {"asrock-x299-taichi-xe/other-raw-email.eml.txt", "asrock-x299-taichi-xe/iommu-groups.txt",
         true},
    };
    for (const auto& [mail, plain, same_groups] : pairs) {
        SCOPED_TRACE(mail);
        Host m = one(hosts / mail);
        Host p = one(hosts / plain);
        ASSERT_FALSE(p.devices.empty());
        ASSERT_EQ(m.devices.size(), p.devices.size());
        for (const auto& d : p.devices) {
            const Device* md = m.find(d.bdf);
            ASSERT_TRUE(md) << d.bdf.str();
            if (same_groups)
                EXPECT_EQ(md->observed_group.value, d.observed_group.value) << d.bdf.str();
            else
                EXPECT_EQ(md->observed_group.known(), d.observed_group.known()) << d.bdf.str();
            EXPECT_EQ(md->vendor_id.value, d.vendor_id.value) << d.bdf.str();
            EXPECT_EQ(md->capabilities.size(), d.capabilities.size()) << d.bdf.str();
        }
    }
}
