// The one translation unit that compiles the Proxmox VM config grammar, and its public API.
#include "grammars/proxmox/proxmox.hpp"

#include "grammars/proxmox/grammar_def.hpp"

namespace il::grammars::proxmox {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(config_line_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(section_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(property_string_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(host_ids_type, iterator_type, plain_context_type)
} // namespace parser

namespace {

template <class Rule, class Attr> bool whole(std::string_view text, const Rule& r, Attr& attr) {
    iterator_type first = text.begin();
    const iterator_type last = text.end();
    return x3::parse(first, last, r, attr) && first == last;
}

// Proxmox booleans: 1|0, on|off, yes|no, true|false
std::optional<bool> boolean(std::string_view v) {
    if (v == "1" || v == "on" || v == "yes" || v == "true") return true;
    if (v == "0" || v == "off" || v == "no" || v == "false") return false;
    return std::nullopt;
}

} // namespace

std::optional<ConfigLine> parse_config_line(std::string_view line) {
    ast::ConfigLine c;
    if (!whole(line, config_line(), c)) return std::nullopt;
    return ConfigLine{std::move(c.key), std::move(c.value)};
}

std::optional<std::string> parse_section(std::string_view line) {
    std::string name;
    if (!whole(line, section(), name)) return std::nullopt;
    return name;
}

bool is_comment(std::string_view line) {
    return !line.empty() && line.front() == '#';
}

std::optional<int> hostpci_index(std::string_view key) {
    constexpr std::string_view prefix = "hostpci";
    if (key.substr(0, prefix.size()) != prefix || key.size() == prefix.size() ||
        key.size() > prefix.size() + 3)
        return std::nullopt;
    int n = 0;
    for (char c : key.substr(prefix.size())) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::optional<HostPciValue> parse_hostpci(std::string_view value, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<HostPciValue> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    std::vector<ast::Option> opts;
    if (!whole(value, property_string(), opts)) return fail("not a property string");
    HostPciValue v;
    bool have_host = false;
    for (std::size_t i = 0; i < opts.size(); ++i) {
        auto& o = opts[i];
        if (!o.value) {
            if (i != 0 || have_host)
                return fail("unexpected value '" + o.key +
                            "' (only the host id may be positional)");
            v.host = o.key;
            have_host = true;
            continue;
        }
        const std::string& val = *o.value;
        if (o.key == "host") {
            if (have_host) return fail("host given twice");
            v.host = val;
            have_host = true;
        } else if (o.key == "mapping") {
            if (val.empty()) return fail("empty mapping=");
            v.mapping = val;
        } else if (o.key == "pcie" || o.key == "x-vga" || o.key == "rombar") {
            auto b = boolean(val);
            if (!b) return fail(o.key + "=" + val + " is not a boolean (1|0)");
            (o.key == "pcie" ? v.pcie : o.key == "x-vga" ? v.x_vga : v.rombar) = *b;
        }
        // other options (romfile, device-id, vendor-id, legacy-igd, mdev, ...) do not matter
    }
    if (have_host) {
        std::vector<ast::HostId> ids;
        if (!whole(v.host, host_ids(), ids))
            return fail("host '" + v.host + "' is not a PCI id list ([domain:]bus:dev[.fn];...)");
        for (const auto& id : ids) {
            if (id.dev > 0x1f || (id.fn && *id.fn > 7))
                return fail("host '" + v.host + "' names a device or function out of range");
            HostId h;
            if (id.domain) h.domain = *id.domain;
            h.bus = id.bus;
            h.dev = id.dev;
            if (id.fn) h.fn = *id.fn;
            v.ids.push_back(h);
        }
    } else if (!v.mapping) {
        return fail("neither a host PCI id nor mapping= given");
    }
    return v;
}

} // namespace il::grammars::proxmox
