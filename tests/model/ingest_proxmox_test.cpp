#include "model/ingest.hpp"
#include "model/snapshot.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace il::model;

namespace {

Host ingest1(const std::string& text, const std::string& name = "/etc/pve/qemu-server/100.conf") {
    return ingest_host("h", {FileInput{name, text, false}});
}

const char* const kConfig = "#Windows gaming VM\n"
                            "#GPU%3A RTX 3080\n"
                            "agent: 1\n"
                            "balloon: 0\n"
                            "bios: ovmf\n"
                            "boot: order=scsi0;net0\n"
                            "cores: 8\n"
                            "cpu: host,hidden=1\n"
                            "efidisk0: local-lvm:vm-100-disk-1,efitype=4m,size=4M\n"
                            "hostpci0: 0000:01:00,pcie=1,x-vga=1\n"
                            "hostpci1: 02:00.0,rombar=0\n"
                            "hostpci2: mapping=nvme0,pcie=1\n"
                            "hostpci3: host=0000:05:00.0;0000:05:00.1,pcie=1\n"
                            "machine: pc-q35-8.1\n"
                            "memory: 16384\n"
                            "name: win11\n"
                            "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
                            "ostype: win11\n"
                            "scsi0: local-lvm:vm-100-disk-0,iothread=1,size=128G\n"
                            "scsihw: virtio-scsi-single\n"
                            "smbios1: uuid=0b4c4b6a-0000-4000-8000-000000000000\n"
                            "sockets: 1\n"
                            "vmgenid: 7d1e8f3c-0000-4000-8000-000000000000\n"
                            "\n"
                            "[before-gpu]\n"
                            "bios: seabios\n"
                            "hostpci0: 0000:09:00.0\n"
                            "machine: pc-i440fx-8.1\n"
                            "snaptime: 1700000000\n";

} // namespace

TEST(IngestProxmox, FullConfig) {
    Host h = ingest1(kConfig);
    ASSERT_EQ(h.vms.size(), 1u);
    const VmConfig& vm = h.vms[0];
    EXPECT_EQ(vm.name, "100");
    EXPECT_EQ(*vm.machine, "pc-q35-8.1"); // the snapshot's machine/bios are not the VM's
    EXPECT_EQ(*vm.bios, "ovmf");
    EXPECT_EQ(h.where(vm.machine.src), "/etc/pve/qemu-server/100.conf:14");
    ASSERT_EQ(vm.hostpci.size(), 4u); // the snapshot's hostpci0 is ignored

    const HostPci& a = vm.hostpci[0];
    EXPECT_EQ(a.index, 0);
    EXPECT_EQ(a.raw, "0000:01:00,pcie=1,x-vga=1");
    EXPECT_EQ(a.host, "0000:01:00");
    EXPECT_FALSE(a.bdf); // a whole slot, not one function
    EXPECT_TRUE(a.all_functions);
    ASSERT_EQ(a.bdfs.size(), 1u);
    EXPECT_EQ(a.bdfs[0].str(), "0000:01:00.0");
    EXPECT_TRUE(a.pcie);
    EXPECT_TRUE(a.x_vga);
    EXPECT_FALSE(a.rombar);
    EXPECT_EQ(h.where(a.src), "/etc/pve/qemu-server/100.conf:10");

    const HostPci& b = vm.hostpci[1];
    ASSERT_TRUE(b.bdf);
    EXPECT_EQ(b.bdf->str(), "0000:02:00.0");
    EXPECT_FALSE(b.all_functions);
    EXPECT_EQ(b.rombar, false);
    EXPECT_FALSE(b.pcie);

    const HostPci& c = vm.hostpci[2];
    EXPECT_EQ(c.mapping, "nvme0");
    EXPECT_TRUE(c.host.empty());
    EXPECT_TRUE(c.bdfs.empty());
    EXPECT_FALSE(c.bdf);

    const HostPci& d = vm.hostpci[3];
    EXPECT_EQ(d.index, 3);
    ASSERT_EQ(d.bdfs.size(), 2u);
    EXPECT_EQ(d.bdfs[1].str(), "0000:05:00.1");
    EXPECT_EQ(d.bdf->str(), "0000:05:00.0");

    EXPECT_TRUE(std::find(h.formats_seen.begin(), h.formats_seen.end(), "proxmox") !=
                h.formats_seen.end());
    EXPECT_TRUE(h.devices.empty()); // a VM config names host devices but does not describe them
}

TEST(IngestProxmox, PastedConfigsAfterPrompts) {
    const std::string paste = "root@pve:~# cat /etc/pve/qemu-server/101.conf\n"
                              "boot: order=scsi0\n"
                              "cores: 4\n"
                              "hostpci0: 0000:03:00.0,pcie=1\n"
                              "machine: q35\n"
                              "memory: 8192\n"
                              "root@pve:~# qm config 102\n"
                              "bios: ovmf\n"
                              "hostpci0: 04:00,x-vga=on\n"
                              "memory: 4096\n";
    Host h = ingest1(paste, "paste.txt");
    ASSERT_EQ(h.vms.size(), 2u);
    EXPECT_EQ(h.vms[0].name, "101");
    EXPECT_EQ(*h.vms[0].machine, "q35");
    EXPECT_EQ(h.vms[1].name, "102");
    EXPECT_FALSE(h.vms[1].machine.known()); // not given: unknown (Proxmox's default is i440fx)
    EXPECT_TRUE(h.vms[1].hostpci[0].x_vga);
    EXPECT_TRUE(h.vms[1].hostpci[0].all_functions);
}

TEST(IngestProxmox, ConfigsWithoutPromptsGetNumberedNames) {
    Host h =
        ingest1("hostpci0: 01:00.0\nmemory: 1024\n\nsome text\n\nhostpci0: 02:00.0\n", "vms.txt");
    ASSERT_EQ(h.vms.size(), 2u);
    EXPECT_EQ(h.vms[0].name, "vms.txt");
    EXPECT_EQ(h.vms[1].name, "vms.txt#2");
}

TEST(IngestProxmox, BadHostPciFails) {
    try {
        ingest1("cores: 2\nhostpci0: gpu,pcie=1\nmemory: 2048\n", "101.conf");
        FAIL() << "expected IngestError";
    } catch (const IngestError& e) {
        EXPECT_NE(std::string(e.what()).find("101.conf:2: hostpci0:"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(ingest1("hostpci1: 01:00.0,pcie=2\n", "101.conf"), IngestError);
}

TEST(IngestProxmox, OtherKeyValueTextIsNotAVm) {
    // "key: value" prose-like lines without VM keys are not claimed (nothing recognised)
    EXPECT_THROW(ingest1("color: red\nshape: round\nsize: big\n", "notes.txt"), IngestError);
    // a lone machine line is not enough either
    EXPECT_THROW(ingest1("machine: the one under my desk\n", "notes.txt"), IngestError);
}
