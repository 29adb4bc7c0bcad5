#include "grammars/common/text.hpp"

#include "grammars/common/mail.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace il::text {

std::size_t Claims::claimed() const {
    return static_cast<std::size_t>(
        std::count_if(owner_.begin(), owner_.end(), [](std::uint8_t o) { return o != 0; }));
}

std::string_view trim_left(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

std::string_view trim(std::string_view s) {
    s = trim_left(s);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int indent_of(std::string_view s) {
    int w = 0;
    for (char c : s) {
        if (c == ' ')
            ++w;
        else if (c == '\t')
            w = (w / 8 + 1) * 8;
        else
            break;
    }
    return w;
}

bool looks_binary(std::string_view raw) {
    const std::size_t n = std::min<std::size_t>(raw.size(), 1u << 16);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c == 0) return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++bad;
    }
    return n > 0 && bad * 20 > n; // more than 5% control bytes
}

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// "bb:dd.f" or "dddd:bb:dd.f" at the start of s
bool starts_with_bdf(std::string_view s) {
    auto hexrun = [&](std::size_t pos) {
        std::size_t n = 0;
        while (pos + n < s.size() && is_hex(s[pos + n])) ++n;
        return n;
    };
    std::size_t p = 0;
    std::size_t n = hexrun(p);
    if (n >= 4 && n <= 6 && p + n < s.size() && s[p + n] == ':') {
        p += n + 1;
        n = hexrun(p);
    }
    if (n != 2 || p + 2 >= s.size() || s[p + 2] != ':') return false;
    p += 3;
    if (hexrun(p) != 2 || p + 2 >= s.size() || s[p + 2] != '.') return false;
    return p + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[p + 3]));
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view p) { return s.substr(0, p.size()) == p; });
}

} // namespace

bool looks_like_record_start(std::string_view s) {
    if (s.empty()) return true;
    if (starts_with_bdf(s)) return true;
    if (starts_with_any(s, {"IOMMU", "Group", "###", "USB:", "$ ", "# ", "-[", "-+-", "+-", "\\-",
                            "|", "BOOT_IMAGE", "GRUB_", "hostpci", "Kernel ", "Jan ", "Feb ",
                            "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ",
                            "Dec ", "/sys/"}))
        return true;
    if (s[0] == '[' && s.size() > 1 && (s[1] == ' ' || std::isdigit(static_cast<unsigned char>(s[1]))))
        return true; // dmesg timestamp
    if (s[0] == '<' && s.size() > 2 && std::isdigit(static_cast<unsigned char>(s[1])))
        return true; // printk level
    // hex dump row "xx: "
    if (s.size() > 3 && is_hex(s[0]) && is_hex(s[1]) && s[2] == ':' && s[3] == ' ') return true;
    // shell prompt user@host:~$ / user@host:~#
    const auto at = s.find('@');
    if (at != std::string_view::npos && at < 40) {
        const auto sp = s.find(' ');
        if (sp != std::string_view::npos && sp > at && (s[sp - 1] == '$' || s[sp - 1] == '#'))
            return true;
    }
    return false;
}

namespace {

// Strip mail quoting: one or more '>' each optionally followed by one space.
std::string_view strip_quote(std::string_view s) {
    std::size_t i = 0;
    bool any = false;
    while (i < s.size() && s[i] == '>') {
        // "> " or ">>" or ">" at end; ">TAbort" style text never starts a line
        if (i + 1 < s.size() && s[i + 1] != ' ' && s[i + 1] != '>' && s[i + 1] != '\t') break;
        any = true;
        ++i;
        if (i < s.size() && s[i] == ' ') ++i;
    }
    return any ? s.substr(i) : s;
}

void clean_into(std::string& out, std::string_view in) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '\r') continue;
        if (c == 0xc2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xa0) {
            out.push_back(' '); // U+00A0 NO-BREAK SPACE
            ++i;
            continue;
        }
        out.push_back(static_cast<char>(c));
    }
}

struct Pending {
    std::string text;
    std::uint32_t no;
    bool soft_break; // ended with a single trailing space before stripping
};

} // namespace

Document load(std::string name, std::string_view raw) {
    if (looks_binary(raw))
        throw InputError(name, 0, "binary data, not a text capture (expected lspci/dmesg/... text)");

    std::vector<Pending> pend;
    bool was_mail = false;
    if (auto mail = decode_mail(raw)) {
        was_mail = true;
        for (auto& dl : *mail) pend.push_back({std::move(dl.text), dl.no, false});
    } else {
        std::uint32_t no = 0;
        std::size_t pos = 0;
        while (pos <= raw.size()) {
            auto nl = raw.find('\n', pos);
            if (nl == std::string_view::npos) nl = raw.size();
            ++no;
            pend.push_back({std::string(raw.substr(pos, nl - pos)), no, false});
            pos = nl + 1;
            if (nl == raw.size()) break;
        }
        // a final newline does not start another line
        if (!pend.empty() && pend.back().text.empty() && !raw.empty() && raw.back() == '\n')
            pend.pop_back();
    }

    Document doc;
    doc.name = std::move(name);
    doc.decoded_mail = was_mail;
    std::string tmp;
    std::vector<Pending> cleaned;
    cleaned.reserve(pend.size());
    for (auto& p : pend) {
        clean_into(tmp, p.text);
        std::string_view v = strip_quote(tmp);
        // count trailing blanks before stripping
        std::size_t blanks = 0;
        while (blanks < v.size() && (v[v.size() - 1 - blanks] == ' ')) ++blanks;
        std::string_view body = v;
        while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
        cleaned.push_back({std::string(body), p.no, blanks == 1});
    }
    // Re-join hard-wrapped mail lines: a line of typical mail width that ended in one
    // space, followed by a line at column 0 that does not begin a record.
    std::vector<Pending> joined;
    joined.reserve(cleaned.size());
    for (std::size_t i = 0; i < cleaned.size(); ++i) {
        Pending cur = std::move(cleaned[i]);
        while (cur.soft_break && cur.text.size() >= 40 && cur.text.size() <= 80 &&
               i + 1 < cleaned.size()) {
            const std::string& nx = cleaned[i + 1].text;
            if (nx.empty() || nx[0] == ' ' || nx[0] == '\t' || looks_like_record_start(nx)) break;
            cur.text += ' ';
            cur.text += nx;
            cur.soft_break = cleaned[i + 1].soft_break;
            ++i;
        }
        joined.push_back(std::move(cur));
    }
    doc.storage.reserve(joined.size());
    doc.lines.reserve(joined.size());
    for (auto& p : joined) {
        doc.storage.push_back(std::move(p.text));
    }
    for (std::size_t i = 0; i < joined.size(); ++i)
        doc.lines.push_back({std::string_view(doc.storage[i]), joined[i].no});
    return doc;
}

} // namespace il::text
