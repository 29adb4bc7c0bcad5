#include "grammars/groups/groups.hpp"

#include <gtest/gtest.h>

using namespace il::grammars::groups;

TEST(GroupsGrammar, IommuGroupHeaders) {
    for (const char* s : {"IOMMU Group 3:", "IOMMU group 19", "IOMMU GROUP 0",
                          "  IOMMU Group 12 :", "iommu group 7:"}) {
        auto l = parse_line(s);
        ASSERT_TRUE(l) << s;
        EXPECT_EQ(l->kind, Kind::group_header) << s;
        EXPECT_EQ(l->style, Style::iommu_header) << s;
        EXPECT_FALSE(l->device) << s;
    }
    EXPECT_EQ(*parse_line("IOMMU Group 3:")->group, 3);
    EXPECT_EQ(*parse_line("IOMMU group 19")->group, 19);
    // lspci -vv's own line and prose are not headers
    EXPECT_FALSE(parse_line("\tIOMMU group: 13"));
    EXPECT_FALSE(parse_line("For ex. with kernel 5.8 this are IOMMU groups:"));
    EXPECT_FALSE(parse_line("IOMMU Group 3: is odd"));
    EXPECT_FALSE(parse_line("IOMMU Group 99999999999:"));
}

TEST(GroupsGrammar, IndentedLspciMember) {
    auto l = parse_line("\t00:14.3 ISA bridge [0601]: Advanced Micro Devices, Inc. [AMD] FCH LPC "
                        "Bridge [1022:790e] (rev 51)");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->kind, Kind::member);
    EXPECT_EQ(l->style, Style::plain);
    EXPECT_FALSE(l->group);
    ASSERT_TRUE(l->device);
    const auto& d = *l->device;
    EXPECT_EQ(d.bdf, "00:14.3");
    EXPECT_EQ(d.class_name, "ISA bridge");
    EXPECT_EQ(d.class_code, 0x0601);
    EXPECT_EQ(d.description, "Advanced Micro Devices, Inc. [AMD] FCH LPC Bridge");
    EXPECT_EQ(d.vendor_id, 0x1022);
    EXPECT_EQ(d.device_id, 0x790e);
    EXPECT_EQ(d.revision, 0x51);
    EXPECT_FALSE(d.reset_marker);
    EXPECT_TRUE(d.path.empty());
}

TEST(GroupsGrammar, MemberVariants) {
    // domain, no rev, spaces (NBSP already turned into spaces by the text layer)
    auto a = parse_line("        0000:00:01.0 Host bridge [0600]: Advanced Micro Devices, Inc. "
                        "[AMD] Renoir PCIe Dummy Host Bridge [1022:1632]");
    ASSERT_TRUE(a && a->device);
    EXPECT_EQ(a->device->bdf, "0000:00:01.0");
    EXPECT_EQ(a->device->description,
              "Advanced Micro Devices, Inc. [AMD] Renoir PCIe Dummy Host Bridge");
    EXPECT_FALSE(a->device->revision);
    // names with brackets right before the ids
    auto b = parse_line("\t03:00.0 VGA compatible controller [0300]: Advanced Micro Devices, Inc. "
                        "[AMD/ATI] Navi 22 [Radeon RX 6700/6700 XT / 6800M] [1002:73df] (rev c1)");
    ASSERT_TRUE(b && b->device);
    EXPECT_EQ(b->device->description,
              "Advanced Micro Devices, Inc. [AMD/ATI] Navi 22 [Radeon RX 6700/6700 XT / 6800M]");
    EXPECT_EQ(b->device->device_id, 0x73df);
    EXPECT_EQ(b->device->revision, 0xc1);
    // [RESET] prefix at column 0
    auto c = parse_line("[RESET]\t01:00.0 PCI bridge [0604]: AMD Navi 10 XL Upstream Port of PCI "
                        "Express Switch [1002:1478] (rev c1)");
    ASSERT_TRUE(c && c->device);
    EXPECT_TRUE(c->device->reset_marker);
    EXPECT_EQ(c->device->bdf, "01:00.0");
    // lsgroup.sh: no class code, no ids
    auto d = parse_line("    00:1d.0 PCI bridge: Intel Corporation Device 7ab0 (rev 11)");
    ASSERT_TRUE(d && d->device);
    EXPECT_EQ(d->device->class_name, "PCI bridge");
    EXPECT_FALSE(d->device->class_code);
    EXPECT_EQ(d->device->description, "Intel Corporation Device 7ab0");
    EXPECT_FALSE(d->device->vendor_id);
    EXPECT_EQ(d->device->revision, 0x11);
    // truncated ids (as in a real paste) leave the ids unknown
    auto e = parse_line("\tff:0f.6 System peripheral [0880]: Intel Xeon Thermal & RAS Registers "
                        "[8086... (rev 02)");
    ASSERT_TRUE(e && e->device);
    EXPECT_FALSE(e->device->vendor_id);
    EXPECT_EQ(e->device->revision, 2);
    // bare address
    auto f = parse_line("0000:00:1f.2");
    ASSERT_TRUE(f && f->device);
    EXPECT_FALSE(f->device->has_text);
    // unknown class
    auto g = parse_line("\t00:1f.4 Class [ff00]: Vendor Device [abcd:1234]");
    ASSERT_TRUE(g && g->device);
    EXPECT_EQ(g->device->class_name, "Class");
    EXPECT_EQ(g->device->class_code, 0xff00);
}

TEST(GroupsGrammar, BridgePathMember) {
    auto l = parse_line("\t0000:00:1c.3/08:00.0/09:01.0 PCI bridge [0604]: Pericom Semiconductor "
                        "PI7C9X2G404 EL/SL PCIe2 4-Port/4-Lane Packet Switch [12d8:2404] (rev 05)");
    ASSERT_TRUE(l && l->device);
    EXPECT_EQ(l->device->bdf, "0000:09:01.0");
    ASSERT_EQ(l->device->path.size(), 3u);
    EXPECT_EQ(l->device->path[0], "0000:00:1c.3");
    EXPECT_EQ(l->device->path[1], "0000:08:00.0");
    EXPECT_EQ(l->device->vendor_id, 0x12d8);
}

TEST(GroupsGrammar, OneLinePerDevice) {
    for (const char* s :
         {"IOMMU Group 6 00:04.1 System peripheral [0880]: Intel Corporation Xeon E5/Core i7 DMA "
          "Channel 1 [8086:3c21] (rev 07)",
          "IOMMU group 6 00:04.1 System peripheral [0880]: Intel Corporation Xeon E5/Core i7 DMA "
          "Channel 1 [8086:3c21] (rev 07)         ",
          "IOMMU GROUP 6: 00:04.1 System peripheral [0880]: Intel Corporation Xeon E5/Core i7 DMA "
          "Channel 1 [8086:3c21] (rev 07)"}) {
        auto l = parse_line(s);
        ASSERT_TRUE(l) << s;
        EXPECT_EQ(l->kind, Kind::device_line);
        EXPECT_EQ(l->style, Style::one_line);
        EXPECT_EQ(l->group, 6);
        ASSERT_TRUE(l->device);
        EXPECT_EQ(l->device->bdf, "00:04.1");
        EXPECT_EQ(l->device->device_id, 0x3c21);
        EXPECT_EQ(l->device->revision, 7);
    }
    // the shell loop that prints such lines is not one
    EXPECT_FALSE(parse_line("    n=${d#*/iommu_groups/*}; n=${n%%/*}; printf 'IOMMU group %s ' "
                            "\"$n\"; lspci -nns \"${d##*/}\"; done"));
    EXPECT_FALSE(parse_line("for d in /sys/kernel/iommu_groups/*/devices/*; do \\"));
}

TEST(GroupsGrammar, NumberedMembers) {
    auto l = parse_line(" (15) 03:00.0 PCI bridge [0604]: Advanced Micro Devices, Inc. [AMD] "
                        "Device [1022:43f4] (rev 01)");
    ASSERT_TRUE(l && l->device);
    EXPECT_EQ(l->kind, Kind::member);
    EXPECT_EQ(l->style, Style::numbered);
    EXPECT_EQ(l->group, 15);
    EXPECT_EQ(l->device->bdf, "03:00.0");
}

TEST(GroupsGrammar, LsgroupHeader) {
    auto l = parse_line("### Group 17 ###");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->kind, Kind::group_header);
    EXPECT_EQ(l->style, Style::lsgroup);
    EXPECT_EQ(l->group, 17);
    EXPECT_FALSE(parse_line("### Notes ###"));
}

TEST(GroupsGrammar, R15Columns) {
    auto a =
        parse_line("Group 10:\t[1022:790b]     00:14.0  SMBus                                  "
                   "  FCH SMBus Controller");
    ASSERT_TRUE(a && a->device);
    EXPECT_EQ(a->kind, Kind::r15_first);
    EXPECT_EQ(a->group, 10);
    EXPECT_EQ(a->device->bdf, "00:14.0");
    EXPECT_EQ(a->device->class_name, "SMBus");
    EXPECT_EQ(a->device->description, "FCH SMBus Controller");
    EXPECT_EQ(a->device->vendor_id, 0x1022);
    EXPECT_EQ(a->device->device_id, 0x790b);
    EXPECT_FALSE(a->device->reset_marker);

    auto b = parse_line("Group 1:        [1022:14db] [R] 00:01.1  PCI bridge                       "
                        "        Device 14db");
    ASSERT_TRUE(b && b->device);
    EXPECT_EQ(b->kind, Kind::r15_first);
    EXPECT_TRUE(b->device->reset_marker);
    EXPECT_EQ(b->device->class_name, "PCI bridge");
    EXPECT_EQ(b->device->description, "Device 14db");

    auto c = parse_line("\t\t[8086:43ef]     00:14.2  RAM memory                               "
                        "Tiger Lake-H Shared SRAM");
    ASSERT_TRUE(c && c->device);
    EXPECT_EQ(c->kind, Kind::r15_more);
    EXPECT_FALSE(c->group);
    EXPECT_EQ(c->device->bdf, "00:14.2");
    EXPECT_EQ(c->device->class_name, "RAM memory");

    auto u = parse_line("USB:\t\t[1d6b:0002]\t\t Bus 001 Device 001                       Linux "
                        "Foundation 2.0 root hub");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->kind, Kind::usb);
    EXPECT_FALSE(u->device);
    auto u2 = parse_line("USB:            [1d6b:0003]              Bus 002 Device 001            "
                         "           Linux Foundation 3.0 root hub");
    ASSERT_TRUE(u2);
    EXPECT_EQ(u2->kind, Kind::usb);
}

TEST(GroupsGrammar, DmarTree) {
    auto u = parse_line("IOMMU: dmar10");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->kind, Kind::dmar_unit);
    auto g = parse_line("  IOMMU Group: 24");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->kind, Kind::dmar_group);
    EXPECT_EQ(g->group, 24);
    auto m = parse_line("    Group Device: 0000:15:00.4 - Generic system peripheral [0807]: Intel "
                        "Corporation Device [8086:0b23]");
    ASSERT_TRUE(m && m->device);
    EXPECT_EQ(m->kind, Kind::member);
    EXPECT_EQ(m->style, Style::dmar);
    EXPECT_EQ(m->device->bdf, "0000:15:00.4");
    EXPECT_EQ(m->device->class_code, 0x0807);
    EXPECT_EQ(m->device->device_id, 0x0b23);
}

TEST(GroupsGrammar, SysfsPaths) {
    auto a = parse_line("/sys/kernel/iommu_groups/7/devices/0000:00:1f.2");
    ASSERT_TRUE(a && a->device);
    EXPECT_EQ(a->kind, Kind::device_line);
    EXPECT_EQ(a->style, Style::sysfs_path);
    EXPECT_EQ(a->group, 7);
    EXPECT_EQ(a->device->bdf, "0000:00:1f.2");
    auto b = parse_line("lrwxrwxrwx 1 root root 0 Mar  1 10:00 "
                        "/sys/kernel/iommu_groups/12/devices/0000:01:00.1 -> "
                        "../../../../devices/pci0000:00/0000:00:01.0/0000:01:00.1");
    ASSERT_TRUE(b && b->device);
    EXPECT_EQ(b->group, 12);
    EXPECT_EQ(b->device->bdf, "0000:01:00.1");
    auto dir = parse_line("/sys/kernel/iommu_groups/3/devices:");
    ASSERT_TRUE(dir);
    EXPECT_EQ(dir->kind, Kind::group_header);
    EXPECT_EQ(dir->style, Style::sysfs_dir);
    EXPECT_EQ(dir->group, 3);
    auto e = parse_line("lrwxrwxrwx 1 root root 0 Mar  1 10:00 0000:00:14.0 -> "
                        "../../../../devices/pci0000:00/0000:00:14.0");
    ASSERT_TRUE(e && e->device);
    EXPECT_EQ(e->style, Style::ls_entry);
    EXPECT_EQ(e->device->bdf, "0000:00:14.0");
    EXPECT_FALSE(parse_line("/sys/kernel/iommu_groups/*/devices/*"));
}

TEST(GroupsGrammar, TwoColumns) {
    auto a = parse_two_column("7 0000:00:1f.2");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->first, 7);
    EXPECT_EQ(a->second, "0000:00:1f.2");
    EXPECT_TRUE(parse_two_column("12\t01:00.0"));
    EXPECT_FALSE(parse_two_column("7 0000:00:1f.2 extra"));
    EXPECT_FALSE(parse_two_column("x 0000:00:1f.2"));
}

TEST(GroupsGrammar, AddressLists) {
    auto l = parse_address_list("0000:00:14.0  0000:00:14.2\t00:1f.3");
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0], "0000:00:14.0");
    EXPECT_EQ(l[2], "00:1f.3");
    EXPECT_TRUE(parse_address_list("0000:00:14.0 Host bridge").empty());
    EXPECT_TRUE(parse_address_list("").empty());
}

TEST(GroupsGrammar, IdsTail) {
    EXPECT_TRUE(is_ids_tail("[1b21:118f]"));
    EXPECT_TRUE(is_ids_tail("[8086:2f28] (rev 02)"));
    EXPECT_TRUE(is_ids_tail("(rev 02)"));
    EXPECT_FALSE(is_ids_tail("Serial ATA Controller [1b21:0612] (rev 02)"));
    EXPECT_FALSE(is_ids_tail("hello"));
}

TEST(GroupsGrammar, NotListingLines) {
    for (const char* s : {"", "Hello", "[    0.000000] Linux version 6.1", "BOOT_IMAGE=/vmlinuz",
                          "Group Device", "Group 3: hello", "USB: nothing"})
        EXPECT_FALSE(parse_line(s)) << s;
}

TEST(GroupsGrammar, NonAsciiBytesAreJustText) {
    // UTF-8 (and stray 8-bit bytes) must neither crash the character classes nor match
    auto l =
        parse_line("\t00:1f.3 Audio device [0403]: Caf\xc3\xa9 \xe2\x86\x92 Device [8086:a348]");
    ASSERT_TRUE(l && l->device);
    EXPECT_EQ(l->device->description, "Caf\xc3\xa9 \xe2\x86\x92 Device");
    for (const char* s : {"\xc3\xa9", "IOMMU Group \xff:", "\xa0\xa0 00:00.0", "USB: \xff",
                          "Group 1:\t\xff", "IOMMU: \xe2\x86\x92"})
        EXPECT_FALSE(parse_line(s)) << s;
    EXPECT_FALSE(parse_two_column("1 \xff"));
}
