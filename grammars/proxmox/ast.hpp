// AST of the Proxmox VM config grammar (/etc/pve/qemu-server/<vmid>.conf). Plain structs only.
#pragma once

#include <boost/optional.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace il::grammars::proxmox::ast {

// "key: value"
struct ConfigLine {
    std::string key;
    std::string value;
};

// one comma-separated item of a property string: "pcie=1", or a positional "0000:01:00"
struct Option {
    std::string key; // the item itself when positional
    boost::optional<std::string> value;
};

// "[domain:]bus:dev[.fn]"
struct HostId {
    boost::optional<std::uint32_t> domain;
    unsigned bus = 0;
    unsigned dev = 0;
    boost::optional<unsigned> fn;
};

} // namespace il::grammars::proxmox::ast
