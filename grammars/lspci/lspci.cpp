// The lspci grammar (compiled once, here) and the record scanner built on it.
#include "grammars/lspci/lspci.hpp"

#include "grammars/common/text.hpp"
#include "grammars/common/x3_config.hpp"
#include "grammars/hexdump/hexdump.hpp"
#include "grammars/lspci/grammar_def.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <iterator>

namespace il::grammars::lspci::parser {
using context_type = plain_context_type;
BOOST_SPIRIT_INSTANTIATE(named_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(numeric_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(names_tail_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(numeric_ids_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(unknown_pair_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(unknown_device_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(unknown_class_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(cap_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(caps_denied_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(cap_base_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(express_cap_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(link_cap_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(link_sta_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(link_speed_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(acs_bits_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(flag_list_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(bus_line_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(vf_line_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(group_value_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(flags_group_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(unknown_htype_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(invalid_class_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(modules_type, iterator_type, context_type)
} // namespace il::grammars::lspci::parser

namespace il::grammars::lspci {

namespace {

// Runs a rule over the whole of s.
template <class Rule, class Attr> bool parse_all(std::string_view s, const Rule& rule, Attr& attr) {
    iterator_type first = s.begin();
    const iterator_type last = s.end();
    return x3::parse(first, last, rule, attr) && first == last;
}

template <class T> std::optional<T> opt(const boost::optional<T>& v) {
    return v ? std::optional<T>(*v) : std::nullopt;
}

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::vector<Slot> to_path(const std::vector<ast::SlotAddr>& p) {
    std::vector<Slot> out;
    out.reserve(p.size());
    for (const auto& a : p) out.push_back({opt(a.domain), a.bus, a.dev, a.fn});
    return out;
}

bool path_ok(const std::vector<Slot>& p) {
    if (p.empty()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i].dev > 0x1f) return false;
        if (i > 0 && p[i].domain) return false; // only the first component carries a domain
    }
    return true;
}

// Fills vendor/device ids from the unknown-name forms when the text shows no [ids].
void ids_from_names(Names& n) {
    if (n.vendor_id || n.device_id) return;
    ast::IdPair pair;
    if (parse_all(n.names, numeric_ids(), pair) || parse_all(n.names, unknown_pair(), pair)) {
        n.vendor_id = pair.vendor;
        n.device_id = pair.device;
        return;
    }
    std::uint16_t dev = 0;
    if (parse_all(n.names, unknown_device(), dev)) n.device_id = dev;
}

LinkMarker marker_of(const boost::optional<std::string>& m) {
    if (!m) return LinkMarker::none;
    if (*m == "ok") return LinkMarker::ok;
    if (*m == "downgraded") return LinkMarker::downgraded;
    if (*m == "strange") return LinkMarker::strange;
    if (*m == "overdriven") return LinkMarker::overdriven;
    return LinkMarker::other;
}

double speed_of(const std::string& s) {
    double v = 0;
    if (parse_all(s, link_speed(), v)) return v;
    return 0;
}

// "pcilib: ..." / "lspci: ..." warnings that lspci writes to stderr, mixed into pastes.
bool is_tool_warning(std::string_view c) {
    if (c.empty() || (c.front() != 'p' && c.front() != 'l')) return false; // most lines
    return starts_with(c, "pcilib: ") || starts_with(c, "lspci: ");
}

// "IOMMU Group 3:", "### Group 17 ###", "Group 5": an IOMMU group listing owns the indented
// device lines below it (the listing adapter reads those).
bool is_group_heading(std::string_view c) {
    const auto l = lower(c);
    return starts_with(l, "iommu group") || starts_with(l, "group ") ||
           (starts_with(l, "#") && l.find("group") != std::string::npos);
}

// An indented header line inside an IOMMU group listing is not an lspci record: some line
// further left in the same paragraph is a group heading.
// A line of the input: plain text, or a document line.
std::string_view text_of(std::string_view s) {
    return s;
}
std::string_view text_of(const text::Line& l) {
    return l.text;
}
// Without blanks, and the indentation width (measured once by text::load for a document).
std::string_view body_of(std::string_view s) {
    return text::trim(s);
}
std::string_view body_of(const text::Line& l) {
    return l.body();
}
int indent_width(std::string_view s) {
    return text::indent_of(s);
}
int indent_width(const text::Line& l) {
    return l.indent();
}

template <class Lines> bool inside_group_listing(const Lines& lines, std::size_t i, int indent) {
    const std::size_t stop = i > 400 ? i - 400 : 0;
    for (std::size_t k = i; k-- > stop;) {
        const auto c = body_of(lines[k]);
        if (c.empty()) return false;
        if (indent_width(lines[k]) < indent && is_group_heading(c)) return true;
    }
    return false;
}

// An indented header whose next line sits further left is a hard-wrapped line of something
// else (a mailed group listing): in an indented paste of lspci every line is indented.
template <class Lines> bool continues_less_indented(const Lines& lines, std::size_t i, int indent) {
    if (i + 1 >= lines.size() || body_of(lines[i + 1]).empty()) return false;
    return indent_width(lines[i + 1]) < indent;
}

// "Key: value" -> {key, value}; key empty when the line has no colon.
std::pair<std::string_view, std::string_view> split_key(std::string_view c) {
    const auto colon = c.find(':');
    if (colon == std::string_view::npos) return {{}, c};
    return {c.substr(0, colon), text::trim(c.substr(colon + 1))};
}

// The flag tokens of text into toks (cleared first; views into text). flag_list steps over
// any byte (a blank, or a run of other characters that is no flag), so every text is read to
// its end.
void flag_tokens(std::string_view text, std::vector<ast::FlagToken>& toks) {
    toks.clear();
    [[maybe_unused]] const bool whole = parse_all(text, flag_list(), toks);
    assert(whole);
}

// Appends the flags of text to out, as Flag values (names copied).
void append_flags(std::string_view text, std::vector<ast::FlagToken>& toks,
                  std::vector<Flag>& out) {
    flag_tokens(text, toks);
    for (const auto& t : toks)
        out.push_back({std::string(t.name.begin(), t.name.end()), t.sign == '+'});
}

std::optional<bool> find_token(const std::vector<ast::FlagToken>& toks, std::string_view name) {
    for (const auto& t : toks)
        if (std::string_view(t.name.begin(), t.name.end()) == name) return t.sign == '+';
    return std::nullopt;
}

// Could a flag token `name` stand in text? Only where "name+" or "name-" does.
bool may_hold_flag(std::string_view text, std::string_view name) {
    for (auto at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        const auto sign = at + name.size();
        if (sign < text.size() && (text[sign] == '+' || text[sign] == '-')) return true;
    }
    return false;
}

// The first flag `name` among the tokens of a line and its continuation lines (tokens never
// span two of them), as flag_tokens reads them. Only a part that may hold the flag is
// tokenized: the other parts cannot change the answer.
std::optional<bool> first_flag(std::string_view first, const std::vector<std::string_view>& more,
                               std::string_view name, std::vector<ast::FlagToken>& toks) {
    const auto in = [&](std::string_view text) -> std::optional<bool> {
        if (!may_hold_flag(text, name)) return std::nullopt;
        flag_tokens(text, toks);
        return find_token(toks, name);
    };
    if (auto f = in(first)) return f;
    for (const auto m : more)
        if (auto f = in(m)) return f;
    return std::nullopt;
}

// The capability body lines BodyReader::flush reads ("DevCap:", "LnkSta:", ...): a quick
// test by length and first letter before the comparisons (a -vvv record has dozens of
// lines it does not read: DevCtl, LnkCtl2, UEMsk, Vector table ...).
bool wanted_body_key(std::string_view key) {
    static constexpr std::string_view wanted[] = {
        "DevCap", "DevCtl2", "LnkCap", "LnkSta", "SltCap", "ACSCap", "ACSCtl",
        "UESta",  "UESvrt",  "CESta",  "Status", "AFCap",  "IOVCtl", "Initial VFs"};
    if (key.size() < 5 || key.size() > 11) return false;
    for (const auto w : wanted)
        if (w.size() == key.size() && w.front() == key.front() && w == key) return true;
    return false;
}

// capability_base_name as a view into `printed` (the base name is always a part of it).
std::string_view base_name_of(std::string_view printed) {
    const auto t = text::trim(printed);
    boost::iterator_range<iterator_type> base;
    const auto b =
        parse_all(t, cap_base(), base) ? text::trim(std::string_view(base.begin(), base.end())) : t;
    // names that carry a value after a blank instead of a colon
    for (std::string_view p : {"Express", "Power Management", "Device Serial Number", "SATA HBA"})
        if (b.size() > p.size() && starts_with(b, p) && b[p.size()] == ' ')
            return b.substr(0, p.size());
    return b;
}

// Buffers a scan reuses from record to record (no allocation per record).
struct Scratch {
    std::vector<std::string_view> more; // continuation lines of one capability line
    std::vector<ast::FlagToken> toks;   // flag tokens of one line
};

// Reads the body of one record.
class BodyReader {
public:
    BodyReader(Record& rec, std::vector<Problem>& problems, Scratch& scratch)
        : rec_(rec), problems_(problems), head_more_(scratch.more), toks_(scratch.toks) {
        head_more_.clear();
    }

    // A line deeper than the header.
    // c: the line without its indentation `ind`.
    void body_line(std::string_view c, int ind, std::size_t idx) {
        if (is_tool_warning(c)) {
            rec_.notes.push_back({"lspci warning in the dump: " + std::string(c), idx});
            return;
        }
        if (level1_ < 0) level1_ = ind;
        if (ind <= level1_) {
            flush();
            top_line(c, idx);
            return;
        }
        if (head_ && ind > head_indent_) {
            head_more_.push_back(c);
            return;
        }
        flush();
        head_ = true;
        head_indent_ = ind;
        head_line_ = idx;
        head_first_ = c;
        head_more_.clear();
    }

    void finish() { flush(); }

private:
    void problem(std::size_t idx, std::string msg) { problems_.push_back({idx, std::move(msg)}); }

    const std::string_view* cap_name() const {
        return cap_ >= 0 ? &rec_.caps[static_cast<std::size_t>(cap_)].name : nullptr;
    }

    void top_line(std::string_view c, std::size_t idx) {
        if (starts_with(c, "!!!")) {
            cap_ = -1;
            std::uint8_t ht = 0;
            ast::InvalidClass ic;
            if (parse_all(c, unknown_htype(), ht)) {
                rec_.unknown_header_type = At<std::uint8_t>{ht, idx};
            } else if (parse_all(c, invalid_class(), ic)) {
                rec_.invalid_class_header_type = At<std::uint8_t>{ic.header_type, idx};
            }
            rec_.notes.push_back({"lspci reported: " + std::string(c), idx});
            return;
        }
        const auto [key, value] = split_key(c);
        if (key != "Capabilities") cap_ = -1;
        if (key == "Subsystem") {
            if (auto n = parse_names(value)) rec_.subsystem = At<Names>{*n, idx};
        } else if (key == "Physical Slot") {
            rec_.physical_slot = At<std::string>{std::string(value), idx};
        } else if (key == "Flags") {
            rec_.flags_line = true;
            unsigned g = 0;
            if (parse_all(value, flags_group(), g)) rec_.iommu_group = At<int>{int(g), idx};
        } else if (key == "Control") {
            rec_.control_line = true;
        } else if (key == "Status") {
            if (auto cap = first_flag(value, {}, "Cap", toks_))
                rec_.status_cap = At<bool>{*cap, idx};
        } else if (key == "IOMMU group") {
            unsigned g = 0;
            if (parse_all(value, group_value(), g))
                rec_.iommu_group = At<int>{int(g), idx};
            else
                problem(idx, "malformed \"IOMMU group:\" line (expected a group number)");
        } else if (key == "Bus") {
            ast::BusLine b;
            if (parse_all(value, bus_line(), b))
                rec_.bus = At<BusNumbers>{{b.primary, b.secondary, b.subordinate}, idx};
        } else if (key == "Capabilities") {
            capability(value, idx);
        } else if (key == "Kernel driver in use") {
            rec_.kernel_lines = true;
            if (!value.empty()) rec_.driver = At<std::string>{std::string(value), idx};
        } else if (key == "Kernel modules") {
            rec_.kernel_lines = true;
            std::vector<std::string> mods;
            if (parse_all(value, modules(), mods)) {
                for (auto& m : mods) m = std::string(text::trim(m));
                rec_.modules = At<std::vector<std::string>>{std::move(mods), idx};
            }
        }
    }

    void capability(std::string_view value, std::size_t idx) {
        cap_ = -1;
        bool denied = false;
        if (parse_all(value, caps_denied(), denied)) {
            rec_.caps_denied_line = idx;
            return;
        }
        ast::CapHeader h;
        if (!parse_all(value, cap_header(), h)) return; // "<chain looped>" and such
        Capability cap;
        cap.offset = h.offset;
        if (h.version) cap.version = static_cast<int>(*h.version);
        cap.text = text::trim(std::string_view(h.name.begin(), h.name.end()));
        cap.name = base_name_of(cap.text);
        cap.line = idx;
        ast::ExpressCap e;
        if (cap.name == "Express" && parse_all(cap.text, express_cap(), e)) {
            Express x;
            x.version = e.version ? static_cast<int>(*e.version) : 0;
            x.type = e.type;
            if (e.slot) x.slot = *e.slot == '+';
            rec_.express = At<Express>{x, idx};
        }
        rec_.caps.push_back(cap); // all views: trivially copyable
        cap_ = static_cast<int>(rec_.caps.size()) - 1;
    }

    // One capability body line with its continuation lines joined.
    void flush() {
        if (!head_) return;
        head_ = false;
        const std::size_t idx = head_line_;
        const auto [key, first_value] = split_key(head_first_);
        if (!wanted_body_key(key)) return; // most capability lines say nothing the tool reads
        // a flag of the line: in its first part or in a continuation line (never across)
        auto flag = [&, value = first_value](std::string_view name) {
            return first_flag(value, head_more_, name, toks_);
        };
        const std::string_view* cap = cap_name();
        if (key == "DevCap") {
            if (auto f = flag("FLReset")) rec_.flr = At<bool>{*f, idx};
        } else if (key == "DevCtl2") {
            if (auto f = flag("ARIFwd")) rec_.ari_forwarding = At<bool>{*f, idx};
        } else if (key == "LnkCap") {
            ast::LinkCapLine l;
            if (!parse_all(first_value, link_cap(), l)) {
                problem(idx, "malformed LnkCap line (cut off? expected \"Port #N, Speed S, "
                             "Width xN\")");
                return;
            }
            LinkSide s;
            s.speed_text = l.speed;
            s.speed_gts = speed_of(l.speed);
            s.width = static_cast<int>(l.width);
            rec_.link_cap = At<LinkSide>{s, idx};
        } else if (key == "LnkSta") {
            ast::LinkStaLine l;
            if (!parse_all(first_value, link_sta(), l)) {
                problem(idx, "malformed LnkSta line (cut off? expected \"Speed S, Width xN\")");
                return;
            }
            LinkSide s;
            s.speed_text = l.speed;
            s.speed_gts = speed_of(l.speed);
            s.width = static_cast<int>(l.width);
            s.speed_marker = marker_of(l.speed_marker);
            s.width_marker = marker_of(l.width_marker);
            rec_.link_sta = At<LinkSide>{s, idx};
            if (auto f = flag("DLActive")) rec_.dl_active = At<bool>{*f, idx};
        } else if (key == "SltCap") {
            rec_.slot_cap_line = idx;
        } else if (key == "ACSCap" || key == "ACSCtl") {
            std::string bits;
            if (!parse_all(first_value, acs_bits(), bits) || bits.size() != 7) {
                problem(idx, std::string("malformed ") + std::string(key) +
                                 " line (cut off or garbage flags; expected SrcValid± TransBlk± "
                                 "ReqRedir± CmpltRedir± UpstreamFwd± EgressCtrl± DirectTrans±)");
                return;
            }
            std::uint16_t v = 0;
            for (std::size_t b = 0; b < 7; ++b)
                if (bits[b] == '+') v = static_cast<std::uint16_t>(v | (1u << b));
            (key == "ACSCap" ? rec_.acs_cap : rec_.acs_ctl) = At<std::uint16_t>{v, idx};
        } else if (key == "UESta" || key == "UESvrt" || key == "CESta") {
            std::vector<Flag> flags;
            append_flags(first_value, toks_, flags);
            for (const auto part : head_more_) append_flags(part, toks_, flags);
            auto& slot = key == "UESta"    ? rec_.ue_sta
                         : key == "UESvrt" ? rec_.ue_svrt
                                           : rec_.ce_sta;
            slot = At<std::vector<Flag>>{std::move(flags), idx};
        } else if (key == "Status" && cap && starts_with(*cap, "Power Management")) {
            if (auto f = flag("NoSoftRst")) rec_.no_soft_reset = At<bool>{*f, idx};
        } else if (key == "AFCap") {
            if (auto f = flag("FLR")) rec_.af_flr = At<bool>{*f, idx};
        } else if (key == "IOVCtl") {
            if (auto f = flag("Enable")) rec_.iov_enable = At<bool>{*f, idx};
        } else if (key == "Initial VFs") {
            ast::VfLine v;
            if (parse_all(head_first_, vf_line(), v))
                rec_.sriov = At<Sriov>{{int(v.initial), int(v.total), int(v.num)}, idx};
        }
    }

    Record& rec_;
    std::vector<Problem>& problems_;
    int level1_ = -1; // indentation of the record's first-level lines
    int cap_ = -1;    // current capability (index into rec_.caps)
    bool head_ = false;
    int head_indent_ = 0;
    std::size_t head_line_ = 0;
    std::string_view head_first_;             // first line of the current capability body line
    std::vector<std::string_view> head_more_; // ... and its continuation lines
    std::vector<ast::FlagToken> toks_;        // scratch: flag tokens of one line
};

} // namespace

std::optional<Header> parse_header(std::string_view line) {
    const auto t = text::trim(line);
    if (t.size() < 9 || !std::isxdigit(static_cast<unsigned char>(t[0]))) return std::nullopt;
    Header h;
    ast::NumericHeader nh;
    if (parse_all(t, numeric_header(), nh)) {
        h.path = to_path(nh.path);
        h.numeric = true;
        h.class_code = nh.class_code;
        h.vendor_id = nh.ids.vendor;
        h.device_id = nh.ids.device;
        h.revision = opt(nh.rev);
        if (nh.prog_if) {
            h.prog_if = nh.prog_if->value;
            h.prog_if_name = nh.prog_if->name.value_or("");
        }
    } else {
        ast::NamedHeader a;
        if (!parse_all(t, named_header(), a)) return std::nullopt;
        h.path = to_path(a.path);
        h.class_name = std::string(text::trim(a.class_name));
        if (h.class_name.empty()) return std::nullopt;
        h.class_code = opt(a.class_code);
        std::uint16_t cls = 0;
        if (!h.class_code && parse_all(h.class_name, unknown_class(), cls)) h.class_code = cls;
        Names n;
        n.names = std::string(text::trim(a.rest.names));
        if (a.rest.tail.ids) {
            n.vendor_id = a.rest.tail.ids->vendor;
            n.device_id = a.rest.tail.ids->device;
        }
        ids_from_names(n);
        h.names = n.names;
        h.vendor_id = n.vendor_id;
        h.device_id = n.device_id;
        h.revision = opt(a.rest.tail.rev);
        if (a.rest.tail.prog_if) {
            h.prog_if = a.rest.tail.prog_if->value;
            h.prog_if_name = a.rest.tail.prog_if->name.value_or("");
        }
    }
    if (!path_ok(h.path)) return std::nullopt;
    return h;
}

std::optional<Names> parse_names(std::string_view text) {
    const auto t = text::trim(text);
    if (t.empty()) return std::nullopt;
    ast::NamesTail a;
    if (!parse_all(t, names_tail(), a)) return std::nullopt;
    Names n;
    n.names = std::string(text::trim(a.names));
    if (a.tail.ids) {
        n.vendor_id = a.tail.ids->vendor;
        n.device_id = a.tail.ids->device;
    }
    ids_from_names(n);
    return n;
}

std::string capability_base_name(std::string_view printed) {
    return std::string(base_name_of(printed));
}

std::vector<Flag> parse_flags(std::string_view text) {
    std::vector<ast::FlagToken> toks;
    std::vector<Flag> out;
    append_flags(text, toks, out);
    return out;
}

std::optional<bool> find_flag(const std::vector<Flag>& flags, std::string_view name) {
    for (const auto& f : flags)
        if (f.name == name) return f.on;
    return std::nullopt;
}

std::optional<bool> find_flag_in(std::string_view text, std::string_view name) {
    std::vector<ast::FlagToken> toks;
    return first_flag(text, {}, name, toks);
}

namespace {

template <class Lines>
void scan_lines(const Lines& lines, const std::vector<bool>& usable, Sink& sink) {
    Scratch scratch;
    const std::size_t n = lines.size();
    auto ok = [&](std::size_t i) { return i >= usable.size() || usable[i]; };
    std::size_t i = 0;
    while (i < n) {
        if (!ok(i)) {
            ++i;
            continue;
        }
        const auto c = body_of(lines[i]);
        if (c.empty()) {
            ++i;
            continue;
        }
        if (is_tool_warning(c)) {
            sink.stray({std::string(c), i});
            ++i;
            continue;
        }
        auto header = parse_header(text_of(lines[i]));
        const int indent = indent_width(lines[i]);
        if (!header || (indent > 0 && (inside_group_listing(lines, i, indent) ||
                                       continues_less_indented(lines, i, indent)))) {
            ++i;
            continue;
        }
        Record rec;
        rec.header_line = i;
        rec.indent = indent;
        rec.header = std::move(*header);
        std::vector<Problem> problems;
        BodyReader body(rec, problems, scratch);
        std::size_t j = i + 1;
        for (; j < n && ok(j); ++j) {
            const auto bc = body_of(lines[j]);
            if (bc.empty()) break;
            const int ind = indent_width(lines[j]);
            if (ind > indent) {
                body.body_line(bc, ind, j);
                continue;
            }
            if (ind == indent && hexdump::looks_like_row(bc)) {
                rec.hex_rows.push_back(j);
                continue;
            }
            if (is_tool_warning(bc)) {
                rec.notes.push_back({"lspci warning in the dump: " + std::string(bc), j});
                continue;
            }
            break; // the next header, or text that is not part of the record
        }
        rec.end_line = j;
        body.finish();
        std::stable_sort(problems.begin(), problems.end(),
                         [](const Problem& a, const Problem& b) { return a.line < b.line; });
        sink.record(std::move(rec), std::move(problems));
        i = j;
    }
}

// scan()'s collected form.
class Collect final : public Sink {
public:
    Scan out;
    void record(Record&& rec, std::vector<Problem>&& problems) override {
        out.records.push_back(std::move(rec));
        out.problems.insert(out.problems.end(), std::make_move_iterator(problems.begin()),
                            std::make_move_iterator(problems.end()));
    }
    void stray(At<std::string>&& line) override { out.stray.push_back(std::move(line)); }
};

template <class Lines> Scan scan_lines(const Lines& lines, const std::vector<bool>& usable) {
    Collect c;
    scan_lines(lines, usable, c);
    return std::move(c.out);
}

} // namespace

Scan scan(const std::vector<std::string_view>& lines, const std::vector<bool>& usable) {
    return scan_lines(lines, usable);
}

Scan scan(const std::vector<text::Line>& lines, const std::vector<bool>& usable) {
    return scan_lines(lines, usable);
}

void scan(const std::vector<text::Line>& lines, const std::vector<bool>& usable, Sink& sink) {
    scan_lines(lines, usable, sink);
}

} // namespace il::grammars::lspci
