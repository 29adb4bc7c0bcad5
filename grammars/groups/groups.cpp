// The one translation unit that compiles the group listing grammar, and its public API.
#include "grammars/groups/groups.hpp"

#include "grammars/groups/grammar_def.hpp"

#include <cctype>
#include <cstdio>

namespace il::grammars::groups {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(iommu_header_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(lsgroup_header_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(dmar_unit_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(dmar_group_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(dmar_member_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(sysfs_dir_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(sysfs_path_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(ls_entry_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(one_line_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(numbered_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(member_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(r15_first_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(r15_more_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(usb_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(two_column_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(address_list_type, iterator_type, plain_context_type)
} // namespace parser

namespace {

template <class Rule, class Attr> bool whole(std::string_view text, const Rule& r, Attr& attr) {
    iterator_type first = text.begin();
    const iterator_type last = text.end();
    return x3::parse(first, last, r, attr) && first == last;
}

std::string slot_text(const ast::Slot& s, std::optional<std::uint32_t> domain) {
    char buf[32];
    if (s.domain) domain = *s.domain;
    if (domain)
        std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%u", *domain, s.bus, s.dev, s.fn);
    else
        std::snprintf(buf, sizeof buf, "%02x:%02x.%u", s.bus, s.dev, s.fn);
    return buf;
}

Device device_of(const ast::Member& m) {
    Device d;
    d.reset_marker = m.reset;
    std::optional<std::uint32_t> domain;
    if (!m.path.empty() && m.path.front().domain) domain = *m.path.front().domain;
    for (const auto& s : m.path) d.path.push_back(slot_text(s, domain));
    if (!d.path.empty()) d.bdf = d.path.back();
    if (d.path.size() < 2) d.path.clear();
    if (m.info) {
        const auto& i = *m.info;
        d.has_text = true;
        if (i.cls) {
            d.class_name = i.cls->name;
            if (i.cls->code) d.class_code = *i.cls->code;
        }
        d.description = i.description;
        if (i.ids) {
            d.vendor_id = i.ids->vendor;
            d.device_id = i.ids->device;
        }
        if (i.revision) d.revision = static_cast<std::uint8_t>(*i.revision);
    }
    return d;
}

Device device_of(const ast::R15Body& b) {
    Device d;
    d.bdf = slot_text(b.slot, std::nullopt);
    d.reset_marker = b.reset;
    d.class_name = b.class_name;
    d.description = b.name;
    d.vendor_id = b.ids.vendor;
    d.device_id = b.ids.device;
    d.has_text = true;
    return d;
}

Line make(Kind k, Style s, std::optional<int> g = std::nullopt,
          std::optional<Device> d = std::nullopt) {
    Line l;
    l.kind = k;
    l.style = s;
    l.group = g;
    l.device = std::move(d);
    return l;
}

} // namespace

std::optional<Line> parse_line(std::string_view text) {
    // Cheap dispatch on the first non-blank character: most lines of a capture (lspci -vv
    // bodies, kernel logs) are rejected without running any rule.
    std::size_t k = 0;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    if (k == text.size()) return std::nullopt;
    const char c0 = text[k];
    if (!(may_open_listing(c0) || needs_open_block(c0))) return std::nullopt;
    // the rules that begin with the word "iommu" or "group" (any case): a line that does not
    // ("Interrupt: ...", "I/O behind bridge: ...") tries none of them
    const auto word_at_start = [&](std::string_view w) {
        if (text.size() - k < w.size()) return false;
        for (std::size_t i = 0; i < w.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(text[k + i])) != w[i]) return false;
        return true;
    };
    const bool may_be_iommu = (c0 == 'I' || c0 == 'i') && word_at_start("iommu");
    const bool may_be_group = (c0 == 'G' || c0 == 'g') && word_at_start("group");
    const bool may_be_ls = c0 == 'l' || c0 == '-' || c0 == '/';
    {
        unsigned g = 0;
        if (may_be_iommu && whole(text, iommu_header(), g))
            return make(Kind::group_header, Style::iommu_header, static_cast<int>(g));
    }
    {
        ast::GroupMember gm;
        if (may_be_iommu && whole(text, one_line(), gm))
            return make(Kind::device_line, Style::one_line, static_cast<int>(gm.group),
                        device_of(gm.member));
    }
    {
        unsigned g = 0;
        if (c0 == '#' && whole(text, lsgroup_header(), g))
            return make(Kind::group_header, Style::lsgroup, static_cast<int>(g));
    }
    {
        std::string unit;
        if (may_be_iommu && whole(text, dmar_unit(), unit))
            return make(Kind::dmar_unit, Style::dmar);
    }
    {
        unsigned g = 0;
        if (may_be_iommu && whole(text, dmar_group(), g))
            return make(Kind::dmar_group, Style::dmar, static_cast<int>(g));
    }
    {
        ast::Member m;
        if (may_be_group && whole(text, dmar_member(), m))
            return make(Kind::member, Style::dmar, std::nullopt, device_of(m));
    }
    {
        unsigned g = 0;
        if (c0 == '/' && whole(text, sysfs_dir(), g))
            return make(Kind::group_header, Style::sysfs_dir, static_cast<int>(g));
    }
    {
        ast::GroupSlot gs;
        if (may_be_ls && whole(text, sysfs_path(), gs)) {
            ast::Member m;
            m.path.push_back(gs.slot);
            return make(Kind::device_line, Style::sysfs_path, static_cast<int>(gs.group),
                        device_of(m));
        }
    }
    {
        ast::R15First r;
        if (may_be_group && whole(text, r15_first(), r))
            return make(Kind::r15_first, Style::r15, static_cast<int>(r.group), device_of(r.body));
    }
    {
        ast::Ids ids;
        if (c0 == 'U' && whole(text, usb(), ids)) return make(Kind::usb, Style::r15);
    }
    {
        ast::R15Body b;
        if (c0 == '[' && whole(text, r15_more(), b))
            return make(Kind::r15_more, Style::r15, std::nullopt, device_of(b));
    }
    {
        ast::GroupMember gm;
        if (c0 == '(' && whole(text, numbered(), gm))
            return make(Kind::member, Style::numbered, static_cast<int>(gm.group),
                        device_of(gm.member));
    }
    {
        ast::Slot s;
        if ((c0 == 'l' || c0 == '-') && whole(text, ls_entry(), s)) {
            ast::Member m;
            m.path.push_back(s);
            return make(Kind::member, Style::ls_entry, std::nullopt, device_of(m));
        }
    }
    {
        ast::Member m;
        if (needs_open_block(c0) && whole(text, member(), m))
            return make(Kind::member, Style::plain, std::nullopt, device_of(m));
    }
    return std::nullopt;
}

std::optional<std::pair<int, std::string>> parse_two_column(std::string_view text) {
    ast::GroupSlot gs;
    if (!whole(text, two_column(), gs)) return std::nullopt;
    return std::make_pair(static_cast<int>(gs.group), slot_text(gs.slot, std::nullopt));
}

std::vector<std::string> parse_address_list(std::string_view text) {
    std::vector<ast::Slot> slots;
    std::vector<std::string> out;
    if (!whole(text, address_list(), slots)) return out;
    for (const auto& s : slots) out.push_back(slot_text(s, std::nullopt));
    return out;
}

bool is_ids_tail(std::string_view text) {
    // behind a one-word name, the text must be nothing but the ids / revision tail
    ast::Member m;
    const std::string probe = "00:00.0 x " + std::string(text);
    if (!whole(std::string_view(probe), member(), m) || !m.info) return false;
    return !m.info->cls && (m.info->ids || m.info->revision) && m.info->description == "x";
}

} // namespace il::grammars::groups
