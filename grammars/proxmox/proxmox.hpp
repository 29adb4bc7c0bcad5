// Proxmox VE VM configs (/etc/pve/qemu-server/<vmid>.conf): "key: value" lines, '#' comment
// lines (the description), "[name]" sections (snapshots, pending changes) and the hostpciN
// property string:
//   hostpci0: 0000:01:00,pcie=1,x-vga=1          (no function: every function of the slot)
//   hostpci1: host=0000:02:00.0;0000:02:00.1,rombar=0
//   hostpci2: mapping=gpu0,pcie=1                (a cluster resource mapping, no address)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::proxmox {

struct ConfigLine {
    std::string key;
    std::string value;
};

// "key: value" with a lower-case key; nullopt otherwise.
std::optional<ConfigLine> parse_config_line(std::string_view line);
// "[snapshot]" -> "snapshot"
std::optional<std::string> parse_section(std::string_view line);
// A '#' line (Proxmox keeps the VM description as comment lines).
bool is_comment(std::string_view line);
// hostpci0 -> 0; nullopt for other keys
std::optional<int> hostpci_index(std::string_view key);

struct HostId {
    std::optional<std::uint32_t> domain;
    unsigned bus = 0;
    unsigned dev = 0;
    std::optional<unsigned> fn; // absent: every function of the slot
};

struct HostPciValue {
    std::string host; // the host part as written (empty with mapping=)
    std::vector<HostId> ids;
    std::optional<std::string> mapping;
    std::optional<bool> pcie, x_vga, rombar;
};

// Parses a hostpciN value. On failure returns nullopt and says why in *error.
std::optional<HostPciValue> parse_hostpci(std::string_view value, std::string* error);

} // namespace il::grammars::proxmox
