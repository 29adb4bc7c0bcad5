// `lspci -t` trees (-t, -tv, -tvn, -tvnn; pciutils 2.x to 3.14): the line grammar and the
// reading of the tree structure (which line continues which branch) into devices with
// their bus addresses, parent bridges and the bus ranges printed for bridges.
#pragma once

#include "grammars/lspci_tree/ast.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::lspci_tree {

struct Address {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    std::uint8_t dev = 0;
    std::uint8_t fn = 0;
    bool operator==(const Address&) const = default;
};

struct TreeDevice {
    Address addr;
    // false below a bridge printed without bus numbers ("dd.f--", secondary bus 0): the
    // tree then does not tell on which bus the device sits (addr.bus is meaningless).
    bool bus_known = true;
    std::optional<Address> parent; // the bridge above; none on a root bus
    bool is_bridge = false;
    std::optional<std::uint8_t> secondary; // printed range of a bridge
    std::optional<std::uint8_t> subordinate;
    std::optional<std::uint16_t> vendor_id, device_id; // -tvn / -tvnn
    std::string name;     // -tv / -tvnn name (without the [ids]); "" if none
    std::size_t line = 0; // index given to Builder::feed
};

struct TreeRoot {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    std::size_t line = 0;
};

// Parses one line with the X3 grammar. `consumed` tells how far the grammar got; the line
// is well formed when consumed == line.size().
ast::Line parse_line(std::string_view line, std::size_t& consumed);
// The ids at the end of a -tvn ("8086:1234") or -tvnn ("Name [8086:1234]") tail.
std::optional<ast::Ids> parse_ids(std::string_view tail);
// An address line printed by `lspci -tvv` below a device.
bool is_bases_line(std::string_view line);

// Reads tree lines one at a time (lines of a document in order) and keeps the branches
// that are still open. Text between trees is left alone; a blank line ends a tree.
class Builder {
public:
    enum class Kind {
        not_tree, // not part of a tree: leave it to others
        head,     // first line of a domain ("-[0000:00]-..." / "-+-[0000:00]-...")
        branch,   // a line continuing a tree
        bases,    // an -tvv address line
    };
    struct Result {
        Kind kind = Kind::not_tree;
        std::string error; // non-empty: the line belongs to a tree but is broken
    };

    Result feed(std::size_t index, std::string_view line);
    // The next line is not available (another reader took it): ends a run of tree lines.
    void interrupt() { prev_tree_ = false; }
    // Inside a tree: every line counts. Outside, only a head line (first non-blank '-') does.
    bool in_block() const { return in_block_; }

    std::vector<TreeDevice> devices;
    std::vector<TreeRoot> roots;

private:
    struct Ctx {
        bool host = true; // a domain's top level: roots come next
        std::uint32_t domain = 0;
        std::uint8_t bus = 0;
        bool bus_known = true;
        std::optional<Address> parent;
    };
    Result process(std::size_t index, const ast::Line& l, std::size_t base_col, Kind kind);
    void add_root(std::uint32_t domain, std::uint8_t bus, std::size_t index);

    bool in_block_ = false;
    bool prev_tree_ = false; // the previous line was a line of the current tree
    std::size_t indent_ = 0;
    std::map<std::size_t, Ctx> open_; // column of a "+-" list -> where its items attach
};

// Convenience for whole texts (lines split at '\n'): every tree in it.
struct Tree {
    std::vector<TreeDevice> devices;
    std::vector<TreeRoot> roots;
    std::size_t lines_used = 0;
    std::optional<std::size_t> error_line; // 0-based index of a broken line
    std::string error;
};
Tree parse_tree(std::string_view text);

} // namespace il::grammars::lspci_tree
