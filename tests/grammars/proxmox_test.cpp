#include "grammars/proxmox/proxmox.hpp"

#include <gtest/gtest.h>

using namespace il::grammars::proxmox;

TEST(ProxmoxGrammar, ConfigLines) {
    auto a = parse_config_line("hostpci0: 0000:01:00,pcie=1,x-vga=1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->key, "hostpci0");
    EXPECT_EQ(a->value, "0000:01:00,pcie=1,x-vga=1");
    auto b = parse_config_line("machine: pc-q35-8.1");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->value, "pc-q35-8.1");
    auto c = parse_config_line("description:");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->value, "");
    auto d = parse_config_line("scsi0: local-lvm:vm-100-disk-0,iothread=1,size=32G");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->value, "local-lvm:vm-100-disk-0,iothread=1,size=32G");
    // not config lines
    for (const char* s : {"Subject: hello", "\tSubsystem: Intel", "00:1f.3 Audio device: Intel",
                          "http://example.org", "key:value", "", "[snap]"})
        EXPECT_FALSE(parse_config_line(s)) << s;
    EXPECT_EQ(hostpci_index("hostpci12"), 12);
    EXPECT_FALSE(hostpci_index("hostpci"));
    EXPECT_FALSE(hostpci_index("hostpcix"));
    EXPECT_FALSE(hostpci_index("net0"));
}

TEST(ProxmoxGrammar, SectionsAndComments) {
    EXPECT_EQ(parse_section("[before-upgrade]"), "before-upgrade");
    EXPECT_EQ(parse_section("[special:cloudinit]"), "special:cloudinit");
    EXPECT_FALSE(parse_section("[ 12.3] dmesg"));
    EXPECT_TRUE(is_comment("#GPU passthrough VM"));
    EXPECT_FALSE(is_comment("name: x"));
}

TEST(ProxmoxGrammar, HostPciSlotWithoutFunction) {
    std::string err;
    auto v = parse_hostpci("0000:01:00,pcie=1,x-vga=1", &err);
    ASSERT_TRUE(v) << err;
    EXPECT_EQ(v->host, "0000:01:00");
    ASSERT_EQ(v->ids.size(), 1u);
    EXPECT_EQ(v->ids[0].domain, 0u);
    EXPECT_EQ(v->ids[0].bus, 1u);
    EXPECT_EQ(v->ids[0].dev, 0u);
    EXPECT_FALSE(v->ids[0].fn);
    EXPECT_EQ(v->pcie, true);
    EXPECT_EQ(v->x_vga, true);
    EXPECT_FALSE(v->rombar);
    EXPECT_FALSE(v->mapping);
}

TEST(ProxmoxGrammar, HostPciVariants) {
    std::string err;
    auto a = parse_hostpci("02:00.0,rombar=0", &err);
    ASSERT_TRUE(a) << err;
    ASSERT_EQ(a->ids.size(), 1u);
    EXPECT_FALSE(a->ids[0].domain);
    EXPECT_EQ(a->ids[0].fn, 0u);
    EXPECT_EQ(a->rombar, false);

    auto b = parse_hostpci("mapping=gpu0,pcie=1", &err);
    ASSERT_TRUE(b) << err;
    EXPECT_EQ(b->mapping, "gpu0");
    EXPECT_TRUE(b->ids.empty());
    EXPECT_EQ(b->pcie, true);

    auto c = parse_hostpci("host=0000:01:00.0;0000:01:00.1,pcie=on,romfile=vbios.bin", &err);
    ASSERT_TRUE(c) << err;
    EXPECT_EQ(c->host, "0000:01:00.0;0000:01:00.1");
    ASSERT_EQ(c->ids.size(), 2u);
    EXPECT_EQ(c->ids[1].fn, 1u);
    EXPECT_EQ(c->pcie, true);

    auto d = parse_hostpci("0a:00.0", &err);
    ASSERT_TRUE(d) << err;
    EXPECT_EQ(d->ids[0].bus, 0x0au);
}

TEST(ProxmoxGrammar, HostPciErrors) {
    std::string err;
    EXPECT_FALSE(parse_hostpci("pcie=1", &err));
    EXPECT_NE(err.find("neither"), std::string::npos) << err;
    EXPECT_FALSE(parse_hostpci("gpu,pcie=1", &err));
    EXPECT_NE(err.find("not a PCI id"), std::string::npos) << err;
    EXPECT_FALSE(parse_hostpci("01:00.0,pcie=maybe", &err));
    EXPECT_NE(err.find("boolean"), std::string::npos) << err;
    EXPECT_FALSE(parse_hostpci("01:20.0", &err));
    EXPECT_NE(err.find("out of range"), std::string::npos) << err;
    EXPECT_FALSE(parse_hostpci("01:00.0,02:00.0", &err));
    EXPECT_FALSE(parse_hostpci("", &err));
}

TEST(ProxmoxGrammar, NonAsciiBytes) {
    auto a = parse_config_line("name: caf\xc3\xa9");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value, "caf\xc3\xa9");
    EXPECT_FALSE(parse_config_line("\xc3\xa9: x"));
    std::string err;
    EXPECT_FALSE(parse_hostpci("\xff\xfe,pcie=1", &err));
    EXPECT_FALSE(parse_hostpci("01:00.0,\xc3\xa9=1,pcie=\xc3\xa9", &err));
}
