// lspci -t: the X3 grammar is instantiated here (once); the Builder turns parsed lines into
// devices by following the columns of the branch connectors (ls-tree.c prints every line
// after a prefix in which '+' and '|' of the line above became '|' and all else ' ').
#include "grammars/lspci_tree/lspci_tree.hpp"

#include "grammars/lspci_tree/grammar_def.hpp"

#include <algorithm>

namespace il::grammars::lspci_tree {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(line_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(ids_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(bases_type, iterator_type, plain_context_type)
} // namespace parser

ast::Line parse_line(std::string_view text, std::size_t& consumed) {
    ast::Line l;
    auto first = text.begin();
    if (!x3::parse(first, text.end(), line(), l)) {
        consumed = 0;
        return {};
    }
    consumed = static_cast<std::size_t>(first - text.begin());
    return l;
}

std::optional<ast::Ids> parse_ids(std::string_view tail) {
    ast::Ids ids_out;
    auto first = tail.begin();
    if (x3::parse(first, tail.end(), ids(), ids_out) && first == tail.end()) return ids_out;
    return std::nullopt;
}

bool is_bases_line(std::string_view text) {
    auto first = text.begin();
    return x3::parse(first, text.end(), bases()) && first == text.end();
}

namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::size_t leading_blanks(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i;
}

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

// "[hh]-" or "[hhhh:hh]-" at the start of s: a root bus (or, after a bridge, a bus range
// "[hh-hh]-", which is not accepted here).
bool starts_with_root(std::string_view s) {
    if (s.empty() || s[0] != '[') return false;
    std::size_t i = 1;
    while (i < s.size() && is_hex(s[i])) ++i;
    if (i == 1) return false;
    if (i < s.size() && s[i] == ':') {
        const std::size_t bus = ++i;
        while (i < s.size() && is_hex(s[i])) ++i;
        if (i == bus) return false;
    }
    return s.substr(i, 2) == "]-";
}

// "-[dddd:bb]-" or "-+-[dddd:bb]-" : the first line of a domain's tree.
bool looks_like_head(std::string_view rest) {
    if (starts_with(rest, "-+-")) return starts_with_root(rest.substr(3));
    return starts_with(rest, "-") && starts_with_root(rest.substr(1));
}

// Prefix characters, then "+-" or "\-" followed by a device "dd." or a root "[".
bool looks_like_branch(std::string_view rel) {
    std::size_t i = 0;
    while (i < rel.size() && (rel[i] == ' ' || rel[i] == '|')) ++i;
    rel.remove_prefix(i);
    if (!(starts_with(rel, "+-") || starts_with(rel, "\\-"))) return false;
    if (rel.size() < 3) return false;
    if (rel[2] == '[') return starts_with_root(rel.substr(2));
    return rel.size() >= 5 && is_hex(rel[2]) && is_hex(rel[3]) && rel[4] == '.';
}

std::string hex(unsigned v, int width) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    do {
        s.insert(s.begin(), digits[v & 0xf]);
        v >>= 4;
    } while (v);
    while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
    return s;
}

std::string show(std::string_view s) {
    if (s.size() > 40) return std::string(s.substr(0, 37)) + "...";
    return std::string(s);
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return std::string(s);
}

} // namespace

Builder::Result Builder::feed(std::size_t index, std::string_view text) {
    const std::size_t lead = leading_blanks(text);
    if (lead == text.size()) { // a blank line ends a tree
        in_block_ = false;
        prev_tree_ = false;
        open_.clear();
        return {};
    }
    const std::string_view rest = text.substr(lead);
    if (looks_like_head(rest)) {
        std::size_t consumed = 0;
        ast::Line l = parse_line(rest, consumed);
        if (consumed != rest.size())
            return {Kind::head, "malformed lspci -t line: cannot read \"" +
                                    show(rest.substr(consumed)) + "\" at column " +
                                    std::to_string(lead + consumed + 1)};
        in_block_ = true;
        indent_ = lead;
        open_.clear();
        return process(index, l, lead, Kind::head);
    }
    if (!in_block_ || lead < indent_) {
        prev_tree_ = false;
        return {};
    }
    const std::string_view rel = text.substr(indent_);
    if (prev_tree_ && is_bases_line(rel)) return {Kind::bases, {}};
    if (!looks_like_branch(rel)) {
        prev_tree_ = false;
        return {};
    }
    std::size_t consumed = 0;
    ast::Line l = parse_line(rel, consumed);
    if (consumed != rel.size())
        return {Kind::branch, "malformed lspci -t line: cannot read \"" +
                                  show(rel.substr(consumed)) + "\" at column " +
                                  std::to_string(indent_ + consumed + 1)};
    return process(index, l, indent_, Kind::branch);
}

Builder::Result Builder::process(std::size_t index, const ast::Line& l, std::size_t base_col,
                                 Kind kind) {
    auto where = [&](std::size_t col) {
        return " at column " + std::to_string(base_col + col + 1);
    };
    std::size_t col = l.prefix.size();
    Ctx ctx;
    if (kind == Kind::head) {
        col += 1; // the domain's '-'
        ctx.host = true;
        if (l.root) {
            ctx = Ctx{false, l.root->domain.value_or(0), l.root->bus, true, std::nullopt};
            add_root(ctx.domain, ctx.bus, index);
            col += l.root->width;
        }
    } else {
        if (l.lead || l.root || l.steps.empty())
            return {kind,
                    "malformed lspci -t line: expected a branch \"+-\" or \"\\-\"" + where(col)};
        auto it = open_.find(col);
        if (it == open_.end()) {
            if (!prev_tree_) return {}; // a stray fragment after other text: not ours
            return {kind, "broken lspci -t tree: this branch" + where(col) +
                              " continues no open branch of the lines above"};
        }
        ctx = it->second;
        // lists further right were finished (their "\-" line may be missing in a paste)
        open_.erase(open_.upper_bound(col), open_.end());
    }

    bool ended = false;         // a non-bridge device ends the line
    TreeDevice* last = nullptr; // last device of the line
    for (std::size_t i = 0; i < l.steps.size(); ++i) {
        const ast::Step& s = l.steps[i];
        if (ended)
            return {kind, "malformed lspci -t line: a branch follows a device that is not a "
                          "bridge" +
                              where(col)};
        const bool continues = (kind == Kind::branch && i == 0);
        if (s.connector == '+' || s.connector == '\\') {
            if (!continues) open_[col] = ctx;
            if (s.connector == '\\') open_.erase(col);
        } else if (continues) {
            return {kind, "malformed lspci -t line: expected \"+-\" or \"\\-\"" + where(col)};
        }
        if (const auto* r = boost::get<ast::Root>(&s.node.get())) {
            if (!ctx.host)
                return {kind, "broken lspci -t tree: root bus [" + hex(r->bus, 2) +
                                  "] inside a bus" + where(col)};
            ctx = Ctx{false, r->domain.value_or(0), r->bus, true, std::nullopt};
            add_root(ctx.domain, ctx.bus, index);
            last = nullptr;
        } else {
            if (ctx.host)
                return {kind, "broken lspci -t tree: device without a root bus" + where(col)};
            TreeDevice d;
            d.addr.domain = ctx.domain;
            d.addr.bus = ctx.bus;
            d.bus_known = ctx.bus_known;
            d.parent = ctx.parent;
            d.line = index;
            if (const auto* b = boost::get<ast::Bridge>(&s.node.get())) {
                d.addr.dev = b->dev;
                d.addr.fn = b->fn;
                d.is_bridge = true;
                if (b->range) {
                    d.secondary = b->range->secondary;
                    d.subordinate = b->range->subordinate.value_or(b->range->secondary);
                }
            } else {
                const auto& lf = boost::get<ast::Leaf>(s.node.get());
                d.addr.dev = lf.dev;
                d.addr.fn = lf.fn;
                ended = true;
            }
            if (d.addr.dev > 31 || d.addr.fn > 7)
                return {kind, "malformed lspci -t line: device " + hex(d.addr.dev, 2) + "." +
                                  hex(d.addr.fn, 1) + " out of range" + where(col)};
            ctx =
                Ctx{false, d.addr.domain, d.secondary.value_or(0), d.secondary.has_value(), d.addr};
            devices.push_back(std::move(d));
            last = &devices.back();
        }
        col += s.width;
    }
    if (!l.tail.empty()) {
        if (!last || last->is_bridge)
            return {kind, "malformed lspci -t line: unexpected text \"" + show(trim(l.tail)) +
                              "\"" + where(col)};
        const std::string tail = trim(l.tail);
        if (auto ids = parse_ids(tail)) {
            last->vendor_id = ids->vendor;
            last->device_id = ids->device;
            const auto br = tail.rfind('[');
            last->name = (br == std::string::npos || tail.back() != ']') ? std::string()
                                                                         : trim(tail.substr(0, br));
        } else {
            last->name = tail;
        }
    }
    prev_tree_ = true;
    return {kind, {}};
}

void Builder::add_root(std::uint32_t domain, std::uint8_t bus, std::size_t index) {
    if (std::none_of(roots.begin(), roots.end(),
                     [&](const TreeRoot& x) { return x.domain == domain && x.bus == bus; }))
        roots.push_back({domain, bus, index});
}

Tree parse_tree(std::string_view text) {
    Tree t;
    Builder b;
    std::size_t index = 0, pos = 0;
    while (pos <= text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        auto line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto r = b.feed(index, line);
        if (!r.error.empty()) {
            t.error_line = index;
            t.error = r.error;
            break;
        }
        if (r.kind != Builder::Kind::not_tree) ++t.lines_used;
        ++index;
        pos = nl + 1;
        if (nl == text.size()) break;
    }
    t.devices = std::move(b.devices);
    t.roots = std::move(b.roots);
    return t;
}

} // namespace il::grammars::lspci_tree
