#include "grammars/cmdline/cmdline.hpp"

#include <gtest/gtest.h>

using namespace il::grammars::cmdline;

TEST(CmdlineGrammar, ProcCmdline) {
    auto c = parse_cmdline("BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve root=/dev/mapper/pve-root ro "
                           "quiet intel_iommu=on");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->tokens.size(), 5u);
    EXPECT_EQ(c->tokens[0].key, "BOOT_IMAGE");
    EXPECT_EQ(c->tokens[0].value, "/boot/vmlinuz-6.5.11-8-pve");
    EXPECT_EQ(c->tokens[2].key, "ro");
    EXPECT_FALSE(c->tokens[2].value);
    EXPECT_EQ(c->tokens[4].value, "on");
    EXPECT_TRUE(is_kernel_cmdline(*c));
}

TEST(CmdlineGrammar, ValuesWithEqualsColonsAndQuotes) {
    auto c = parse_cmdline(
        "root=ZFS=rpool/ROOT/pve-1 boot=zfs video=vesafb:off,efifb:off "
        "dyndbg=\"file drivers/pci/* +p\" pcie_acs_override=downstream,multifunction");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->tokens.size(), 5u);
    EXPECT_EQ(c->tokens[0].value, "ZFS=rpool/ROOT/pve-1");
    EXPECT_EQ(c->tokens[2].value, "vesafb:off,efifb:off");
    EXPECT_EQ(c->tokens[3].value, "\"file drivers/pci/* +p\"");
    EXPECT_TRUE(is_kernel_cmdline(*c));
}

TEST(CmdlineGrammar, ParseKernelCmdlineFilters) {
    EXPECT_TRUE(parse_kernel_cmdline("BOOT_IMAGE=/vmlinuz-6.1 ro quiet"));
    EXPECT_TRUE(parse_kernel_cmdline("quiet amd_iommu=on iommu=pt pcie_acs_override=downstream"));
    EXPECT_FALSE(parse_kernel_cmdline("\tStatus: Cap+ 66MHz- UDF- DEVSEL=fast >TAbort-"));
    EXPECT_FALSE(parse_kernel_cmdline("quiet splash"));
    EXPECT_FALSE(parse_kernel_cmdline("I set intel_iommu=on and iommu=pt in grub"));
}

// parse_kernel_cmdline reads a line only when it holds one of the words is_kernel_cmdline
// needs; each word alone must still let a command line through.
TEST(CmdlineGrammar, EachAnchorWordOpensTheParse) {
    // one word per line: "console=" is a plain parameter, the other word the only anchor
    for (const char* s :
         {"BOOT_IMAGE=/vmlinuz ro quiet", "root=/dev/sda1 ro quiet", "initrd=/initrd.img ro quiet",
          "quiet iommu=pt console=tty0", "quiet vfio-pci.ids=10de:1b80 console=tty0",
          "quiet kvm.ignore_msrs=1 console=tty0", "quiet pci=noaer console=tty0",
          "quiet pcie_aspm=off console=tty0", "quiet intremap=no_x2apic_optout console=tty0",
          "quiet pcie_acs_override=id:8086:1901 console=tty0"}) {
        auto c = parse_kernel_cmdline(s);
        ASSERT_TRUE(c) << s;
        EXPECT_EQ(c->text, s);
    }
    // a key is what stands before a token's first '=' (values may hold '=' and quotes)
    EXPECT_TRUE(parse_kernel_cmdline("root=ZFS=rpool/ROOT/pve-1 boot=zfs quiet"));
    EXPECT_TRUE(parse_kernel_cmdline("quiet dyndbg=\"file pci.c +p\" iommu=pt console=tty0"));
    EXPECT_TRUE(parse_kernel_cmdline("quiet\tintel_iommu=on\tconsole=tty0"));
    // the same shapes without any of the words are not read
    EXPECT_FALSE(parse_kernel_cmdline("quiet console=ttyS0 loglevel=3 ro"));
    EXPECT_FALSE(parse_kernel_cmdline("\t\tDevCap2: Completion Timeout: Range ABCD, TimeoutDis+ "
                                      "NROPrPrP- LTR+ AuxCurrent=0mA"));
}

TEST(CmdlineGrammar, DistributionFlags) {
    auto f = parse_cmdline("BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.5.6-300.fc39.x86_64 "
                           "root=UUID=1234 ro rootflags=subvol=root rhgb quiet intel_iommu=on");
    ASSERT_TRUE(f);
    EXPECT_TRUE(is_kernel_cmdline(*f));
    auto g = parse_cmdline("root=/dev/mmcblk0p2 rootwait console=ttyS0,115200 -- single");
    ASSERT_TRUE(g);
    EXPECT_TRUE(is_kernel_cmdline(*g));
    auto h = parse_cmdline("BOOT_IMAGE=/vmlinuz-6.1 root=/dev/sda1 ro frobnicate");
    ASSERT_TRUE(h);
    EXPECT_TRUE(is_kernel_cmdline(*h)); // one unknown flag among two parameters
}

TEST(CmdlineGrammar, ProseIsNotACommandLine) {
    for (const char* s :
         {"I set intel_iommu=on and iommu=pt in grub", "set root=/dev/sda1 in the config file",
          "Kernel command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1", "# cat /proc/cmdline",
          "intel_iommu=on", "intel_iommu=on iommu=pt", "00:00.0 Host bridge: Intel", "quiet splash",
          "Hello world"}) {
        auto c = parse_cmdline(s);
        EXPECT_TRUE(!c || !is_kernel_cmdline(*c)) << s;
    }
    // the systemd-boot / Proxmox file has no BOOT_IMAGE but root=
    auto k = parse_cmdline("root=ZFS=rpool/ROOT/pve-1 boot=zfs quiet intel_iommu=on iommu=pt");
    ASSERT_TRUE(k);
    EXPECT_TRUE(is_kernel_cmdline(*k));
    // a bare parameter list with IOMMU parameters
    auto p = parse_cmdline("quiet amd_iommu=on iommu=pt pcie_acs_override=downstream");
    ASSERT_TRUE(p);
    EXPECT_TRUE(is_kernel_cmdline(*p));
}

TEST(CmdlineGrammar, GrubLines) {
    auto a = parse_grub_line("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on iommu=pt\"");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->is_default);
    EXPECT_EQ(a->value, "quiet intel_iommu=on iommu=pt");
    EXPECT_FALSE(a->commented_out);
    EXPECT_FALSE(a->behind_hashes);

    auto b = parse_grub_line("GRUB_CMDLINE_LINUX=\"\"");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->is_default);
    EXPECT_EQ(b->value, "");

    auto c = parse_grub_line("GRUB_CMDLINE_LINUX='rd.lvm=0'  # comment");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->value, "rd.lvm=0");

    auto d =
        parse_grub_line("[ecb6ba8 etc/default/grub] 7:GRUB_CMDLINE_LINUX_DEFAULT=\"amd_iommu=on "
                        "iommu=pt\"");
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->is_default);
    EXPECT_EQ(d->value, "amd_iommu=on iommu=pt");
    EXPECT_FALSE(d->commented_out);

    auto e = parse_grub_line("etc/default/grub:8:GRUB_CMDLINE_LINUX=quiet");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->value, "quiet");

    auto f = parse_grub_line("#GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"");
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->commented_out);

    auto g = parse_grub_line("## GRUB_CMDLINE_LINUX_DEFAULT=\"intel_iommu=on\"");
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->commented_out);
    EXPECT_TRUE(g->behind_hashes);

    EXPECT_FALSE(parse_grub_line("GRUB_TIMEOUT=5"));
    EXPECT_FALSE(parse_grub_line("GRUB_CMDLINE_LINUX_DEFAULT=\"unterminated"));
    EXPECT_FALSE(parse_grub_line("set GRUB_CMDLINE_LINUX in the file"));
    EXPECT_TRUE(starts_like_grub_line("GRUB_CMDLINE_LINUX_DEFAULT=\"unterminated"));
    EXPECT_TRUE(starts_like_grub_line("7:GRUB_CMDLINE_LINUX=x"));
    EXPECT_FALSE(starts_like_grub_line("set GRUB_CMDLINE_LINUX in the file"));
    EXPECT_FALSE(starts_like_grub_line("GRUB_TIMEOUT=5"));
}

TEST(CmdlineGrammar, KernelVersionFromImage) {
    EXPECT_EQ(kernel_version_from_image("/boot/vmlinuz-6.5.11-8-pve"), "6.5.11-8-pve");
    EXPECT_EQ(kernel_version_from_image("/vmlinuz-5.4.17-gentoo-x86_64"), "5.4.17-gentoo-x86_64");
    EXPECT_EQ(kernel_version_from_image("/ROOT/23.10.2@/boot/vmlinuz-6.1.74-production+truenas"),
              "6.1.74-production+truenas");
    EXPECT_EQ(kernel_version_from_image("(hd0,gpt2)/vmlinuz-6.1.0-13-amd64"), "6.1.0-13-amd64");
    EXPECT_FALSE(kernel_version_from_image("/boot/vmlinuz-linux"));
    EXPECT_FALSE(kernel_version_from_image("/boot/vmlinuz"));
    EXPECT_FALSE(kernel_version_from_image(""));
}

TEST(CmdlineGrammar, NonAsciiBytes) {
    auto c = parse_cmdline("root=/dev/sda1 quiet label=\xc3\xa9t\xc3\xa9");
    ASSERT_TRUE(c);
    EXPECT_TRUE(is_kernel_cmdline(*c));
    auto p = parse_cmdline("\xe2\x86\x92 root=/dev/sda1");
    EXPECT_TRUE(!p || !is_kernel_cmdline(*p));
    EXPECT_FALSE(parse_grub_line("GRUB_CMDLINE_LINUX=\xff\xfe x"));
    EXPECT_FALSE(kernel_version_from_image("/boot/vmlinuz-\xc3\xa9"));
}
