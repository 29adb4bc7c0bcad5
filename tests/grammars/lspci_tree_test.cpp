#include "grammars/lspci_tree/lspci_tree.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lt = il::grammars::lspci_tree;

namespace {

lt::Address A(std::uint32_t dom, unsigned bus, unsigned dev, unsigned fn) {
    return {dom, static_cast<std::uint8_t>(bus), static_cast<std::uint8_t>(dev),
            static_cast<std::uint8_t>(fn)};
}

const lt::TreeDevice* find(const lt::Tree& t, lt::Address a) {
    for (const auto& d : t.devices)
        if (d.addr == a) return &d;
    return nullptr;
}

std::string dump(const lt::Tree& t) {
    std::string s;
    for (const auto& d : t.devices) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x%s\n", d.addr.domain, d.addr.bus,
                      d.addr.dev, d.addr.fn, d.is_bridge ? " bridge" : "");
        s += buf;
    }
    return s;
}

} // namespace

// The example of lspci-format.md section 9 (root port to a switch with an empty port).
TEST(LspciTree, SpecExampleWithSwitch) {
    const char* text = R"(-[0000:00]-+-00.0
           +-01.0-[01]--+-00.0
           |            \-00.1
           +-1c.0-[02-05]----00.0-[03-05]--+-00.0-[04]----00.0
           |                               \-01.0-[05]--
           \-1f.3
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    EXPECT_EQ(t.lines_used, 6u);
    ASSERT_EQ(t.devices.size(), 10u) << dump(t);
    ASSERT_EQ(t.roots.size(), 1u);
    EXPECT_EQ(t.roots[0].domain, 0u);
    EXPECT_EQ(t.roots[0].bus, 0u);

    auto* rp = find(t, A(0, 0, 0x01, 0));
    ASSERT_TRUE(rp);
    EXPECT_TRUE(rp->is_bridge);
    EXPECT_EQ(rp->secondary, 1);
    EXPECT_EQ(rp->subordinate, 1);
    EXPECT_FALSE(rp->parent);

    auto* gpu_audio = find(t, A(0, 1, 0, 1));
    ASSERT_TRUE(gpu_audio);
    EXPECT_EQ(gpu_audio->parent, A(0, 0, 1, 0));
    EXPECT_EQ(gpu_audio->line, 2u);

    auto* up = find(t, A(0, 2, 0, 0));
    ASSERT_TRUE(up);
    EXPECT_EQ(up->parent, A(0, 0, 0x1c, 0));
    EXPECT_EQ(up->secondary, 3);
    EXPECT_EQ(up->subordinate, 5);

    auto* dp_empty = find(t, A(0, 3, 1, 0));
    ASSERT_TRUE(dp_empty);
    EXPECT_EQ(dp_empty->parent, A(0, 2, 0, 0));
    EXPECT_EQ(dp_empty->secondary, 5);
    auto* behind = find(t, A(0, 4, 0, 0));
    ASSERT_TRUE(behind);
    EXPECT_EQ(behind->parent, A(0, 3, 0, 0));
    EXPECT_FALSE(behind->is_bridge);

    auto* last = find(t, A(0, 0, 0x1f, 3));
    ASSERT_TRUE(last);
    EXPECT_FALSE(last->parent);
}

// pciutils 3.8+: several root buses of one domain, ascending; -tv names.
TEST(LspciTree, MultiRootWithNames) {
    const char* text =
        R"(-+-[0000:00]-+-00.0  Advanced Micro Devices, Inc. [AMD] Starship/Matisse Root Complex
 |           +-01.1-[01]----00.0  Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983
 |           \-08.1-[02]--+-00.0  Advanced Micro Devices, Inc. [AMD] Starship/Matisse Reserved SPP
 |                        \-00.3  Advanced Micro Devices, Inc. [AMD] Matisse USB 3.0 Host Controller
 +-[0000:40]---00.0  Advanced Micro Devices, Inc. [AMD] Starship/Matisse Root Complex
 \-[0000:80]-+-00.0  Advanced Micro Devices, Inc. [AMD] Starship/Matisse Root Complex
             \-03.1-[81-82]----00.0-[82]----00.0  Intel Corporation I350 Gigabit Network Connection
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    ASSERT_EQ(t.devices.size(), 11u) << dump(t);
    ASSERT_EQ(t.roots.size(), 3u);
    EXPECT_EQ(t.roots[1].bus, 0x40);
    EXPECT_EQ(t.roots[2].bus, 0x80);

    auto* nvme = find(t, A(0, 1, 0, 0));
    ASSERT_TRUE(nvme);
    EXPECT_EQ(nvme->name, "Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983");
    EXPECT_FALSE(nvme->vendor_id); // -tv prints no ids
    auto* usb = find(t, A(0, 2, 0, 3));
    ASSERT_TRUE(usb);
    EXPECT_EQ(usb->parent, A(0, 0, 8, 1));
    auto* lone = find(t, A(0, 0x40, 0, 0));
    ASSERT_TRUE(lone);
    EXPECT_FALSE(lone->parent);
    auto* nic = find(t, A(0, 0x82, 0, 0));
    ASSERT_TRUE(nic);
    EXPECT_EQ(nic->parent, A(0, 0x81, 0, 0));
    auto* sw = find(t, A(0, 0x81, 0, 0));
    ASSERT_TRUE(sw);
    EXPECT_EQ(sw->parent, A(0, 0x80, 3, 1));
    EXPECT_EQ(sw->secondary, 0x82);
}

// pciutils 3.10+: one tree per domain, each starting at column 0; VMD domain 10000; -tvnn.
TEST(LspciTree, MultiDomainWithBracketIds) {
    const char* text =
        R"(-[0000:00]-+-00.0  Intel Corporation 11th Gen Core Processor Host Bridge/DRAM Registers [8086:9a14]
           +-0e.0  Intel Corporation Volume Management Device NVMe RAID Controller [8086:9a0b]
           \-1f.0  Intel Corporation Tiger Lake-LP LPC Controller [8086:a082]
-[10000:e0]-+-06.0-[e1]----00.0  Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO [144d:a80a]
            \-17.0  Intel Corporation Tiger Lake-LP SATA Controller [8086:a0d3]
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    ASSERT_EQ(t.devices.size(), 6u) << dump(t);
    ASSERT_EQ(t.roots.size(), 2u);
    EXPECT_EQ(t.roots[1].domain, 0x10000u);
    EXPECT_EQ(t.roots[1].bus, 0xe0);
    auto* vmd = find(t, A(0, 0, 0x0e, 0));
    ASSERT_TRUE(vmd);
    EXPECT_EQ(vmd->vendor_id, 0x8086);
    EXPECT_EQ(vmd->device_id, 0x9a0b);
    EXPECT_EQ(vmd->name, "Intel Corporation Volume Management Device NVMe RAID Controller");
    auto* nvme = find(t, A(0x10000, 0xe1, 0, 0));
    ASSERT_TRUE(nvme);
    EXPECT_EQ(nvme->vendor_id, 0x144d);
    EXPECT_EQ(nvme->device_id, 0xa80a);
    EXPECT_EQ(nvme->parent, A(0x10000, 0xe0, 6, 0));
    EXPECT_TRUE(find(t, A(0x10000, 0xe0, 0x17, 0)));
}

// -tvn with the command line and a constant indentation (as pasted into a mail).
TEST(LspciTree, NumericIdsPromptAndIndentation) {
    const char* text = R"(    $ lspci -tvn
    -[0000:00]-+-00.0  1022:1450
               +-01.3-[02-05]--+-00.0  1022:43bb
               |               \-00.2-[03-05]--+-00.0-[04]----00.0 14e4:1687
               |                               \-01.0-[05]--
               \-18.7  1022:1467
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    EXPECT_EQ(t.lines_used, 5u); // not the prompt
    ASSERT_EQ(t.devices.size(), 8u) << dump(t);
    auto* nic = find(t, A(0, 4, 0, 0));
    ASSERT_TRUE(nic);
    EXPECT_EQ(nic->vendor_id, 0x14e4);
    EXPECT_EQ(nic->device_id, 0x1687);
    EXPECT_EQ(nic->name, "");
    EXPECT_EQ(nic->parent, A(0, 3, 0, 0));
    auto* last = find(t, A(0, 0, 0x18, 7));
    ASSERT_TRUE(last);
    EXPECT_EQ(last->device_id, 0x1467);
    EXPECT_TRUE(find(t, A(0, 3, 1, 0)));
}

// pciutils < 3.8: root buses in descending order, unconfigured bridges print "-[00]-";
// pciutils 2.x: "[bb]" roots without a domain.
TEST(LspciTree, OldPciutilsForms) {
    const char* text = R"(-+-[0000:80]-+-00.0
 |           \-02.0-[81]----00.0
 \-[0000:00]-+-00.0
             +-01.0-[00]--
             \-1f.0
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    ASSERT_EQ(t.devices.size(), 6u) << dump(t);
    ASSERT_EQ(t.roots.size(), 2u);
    EXPECT_EQ(t.roots[0].bus, 0x80);
    EXPECT_EQ(t.roots[1].bus, 0x00);
    auto* unconf = find(t, A(0, 0, 1, 0));
    ASSERT_TRUE(unconf);
    EXPECT_EQ(unconf->secondary, 0);
    EXPECT_EQ(unconf->subordinate, 0);
    EXPECT_TRUE(find(t, A(0, 0x81, 0, 0)));

    auto old = lt::parse_tree("-[00]-+-00.0\n      \\-1e.0-[01]--+-00.0\n"
                              "                   \\-01.0\n");
    ASSERT_FALSE(old.error_line) << old.error;
    ASSERT_EQ(old.devices.size(), 4u) << dump(old);
    auto* d = find(old, A(0, 1, 1, 0));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->parent, A(0, 0, 0x1e, 0));
}

// pciutils 3.8+: a bridge whose secondary bus is 0 prints no range ("dd.f--").
TEST(LspciTree, BridgeWithoutBusNumbers) {
    const char* text = R"(-[0000:00]-+-00.0
           +-1c.0--
           \-1c.4----00.0
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    ASSERT_EQ(t.devices.size(), 4u) << dump(t);
    auto* br = find(t, A(0, 0, 0x1c, 0));
    ASSERT_TRUE(br);
    EXPECT_TRUE(br->is_bridge);
    EXPECT_FALSE(br->secondary);
    const auto& child = t.devices.back();
    EXPECT_FALSE(child.bus_known);
    EXPECT_EQ(child.parent, A(0, 0, 0x1c, 4));
}

// -tvv prints address lines below devices; they belong to the tree.
TEST(LspciTree, TvvAddressLines) {
    const char* text = R"(-[0000:00]-+-00.0  Intel Corporation Host Bridge
           +-02.0  Intel Corporation UHD Graphics 630
           |         Memory at a0000000 (64-bit, non-prefetchable) [size=16M]
           |         I/O ports at 3000 [size=64]
           \-1f.3  Intel Corporation Cannon Lake PCH cAVS
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    EXPECT_EQ(t.lines_used, 5u);
    EXPECT_EQ(t.devices.size(), 3u);
}

TEST(LspciTree, BlankLineEndsATreeAndChatterIsLeftAlone) {
    const char* text = R"(here is my tree:
-[0000:00]-+-00.0
           \-01.0-[01]----00.0

and later a fragment without its first line:
           +-02.0
           \-03.0
)";
    auto t = lt::parse_tree(text);
    ASSERT_FALSE(t.error_line) << t.error;
    EXPECT_EQ(t.lines_used, 2u);
    EXPECT_EQ(t.devices.size(), 3u);
}

TEST(LspciTree, BrokenStructureIsAnError) {
    // truncated bus range
    auto a = lt::parse_tree("-[0000:00]-+-00.0\n           +-01.3-[02-\n           \\-1f.0\n");
    ASSERT_TRUE(a.error_line);
    EXPECT_EQ(*a.error_line, 1u);
    EXPECT_NE(a.error.find("-[02-"), std::string::npos) << a.error;
    EXPECT_NE(a.error.find("column 18"), std::string::npos) << a.error;

    // truncated first line
    auto b = lt::parse_tree("-[0000:00]-+-00.0-[01");
    ASSERT_TRUE(b.error_line);
    EXPECT_EQ(*b.error_line, 0u);

    // a branch that continues nothing (shifted by one column) right after tree lines
    auto c = lt::parse_tree("-[0000:00]-+-00.0\n            \\-1f.0\n");
    ASSERT_TRUE(c.error_line);
    EXPECT_EQ(*c.error_line, 1u);
    EXPECT_NE(c.error.find("continues no open branch"), std::string::npos) << c.error;

    // a branch after a device that is not a bridge
    auto d = lt::parse_tree("-[0000:00]-+-00.0+-01.0\n");
    ASSERT_TRUE(d.error_line);

    // device number out of range
    auto e = lt::parse_tree("-[0000:00]---20.0\n");
    ASSERT_TRUE(e.error_line);
}

TEST(LspciTree, IdsInTails) {
    auto a = lt::parse_ids("8086:1234");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->vendor, 0x8086);
    EXPECT_EQ(a->device, 0x1234);
    auto b = lt::parse_ids(
        "Advanced Micro Devices, Inc. [AMD/ATI] Navi 21 [Radeon RX 6800] [1002:73bf]");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->vendor, 0x1002);
    EXPECT_EQ(b->device, 0x73bf);
    EXPECT_FALSE(lt::parse_ids("Advanced Micro Devices, Inc. [AMD/ATI] Navi 21"));
    EXPECT_FALSE(lt::parse_ids("Intel Corporation Device a348"));
    EXPECT_FALSE(lt::parse_ids("[8086:1234] trailing"));
}

// UTF-8 bytes (>= 0x80) must not reach x3's character classifiers (they assert).
TEST(LspciTree, NonAsciiText) {
    auto t = lt::parse_tree("-[0000:00]-+-00.0  NVIDIA \xe2\x80\x94 GPU\n"
                            "           \\-01.0\xe2\x86\x92\n");
    ASSERT_TRUE(t.error_line);
    EXPECT_EQ(*t.error_line, 1u);
    ASSERT_EQ(t.devices.size(), 1u);
    EXPECT_EQ(t.devices[0].name, "NVIDIA \xe2\x80\x94 GPU");
}

// Lines that only resemble a tree are not trees (and so never an error).
TEST(LspciTree, LookalikesAreNotTrees) {
    auto t = lt::parse_tree("-[x] a markdown checkbox\n-[ ] another\n-+-[note] text\n"
                            "systemd-+-agetty\n        |-sshd\n        `-{foo}\n");
    EXPECT_FALSE(t.error_line) << t.error;
    EXPECT_EQ(t.lines_used, 0u);
    EXPECT_TRUE(t.devices.empty());
}
