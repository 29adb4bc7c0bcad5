#include "grammars/common/text.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "grammars/common/mail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <stdexcept>

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

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

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
    if (starts_with_any(s, {"IOMMU",   "Group", "###",  "USB:", "$ ",         "# ",    "-[",
                            "-+-",     "+-",    "\\-",  "|",    "BOOT_IMAGE", "GRUB_", "hostpci",
                            "Kernel ", "Jan ",  "Feb ", "Mar ", "Apr ",       "May ",  "Jun ",
                            "Jul ",    "Aug ",  "Sep ", "Oct ", "Nov ",       "Dec ",  "/sys/"}))
        return true;
    if (s[0] == '[' && s.size() > 1 &&
        (s[1] == ' ' || std::isdigit(static_cast<unsigned char>(s[1]))))
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

void measure_leads(Document& doc);

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

// Builds the document's one text buffer and its lines. Every line is cleaned (CR removed,
// U+00A0 NO-BREAK SPACE as a space), unquoted ("> ") and stripped of trailing blanks, then
// written at the buffer's write head followed by a '\n'; a hard-wrapped mail line (40..80
// characters that ended in exactly one space, followed by a line at column 0 that does not
// begin a record) is re-joined with the next line by turning that '\n' into a space, so every
// line stays one view into the buffer.
// The input lines may lie in the same buffer at or after the write head (loading in place):
// a line's output is never longer than the line, so writing never overtakes reading.
class Builder {
public:
    // plain: the input is known to hold no '\r' and no 0xc2 byte (nothing to clean)
    Builder(Document& doc, std::string& buf, bool plain = false)
        : doc_(doc), buf_(buf), plain_(plain) {}

    void add(std::string_view raw_line, std::uint32_t no) {
        char* const base = buf_.data();
        const std::size_t start = w_;
        if (start + raw_line.size() > buf_.size()) // never: the buffer is sized for it
            throw std::length_error("text::load: buffer too small");
        std::size_t w = start;
        const char* p = raw_line.data();
        const char* const end = p + raw_line.size();
        if (plain_ ||
            (!std::memchr(p, '\r', raw_line.size()) && !std::memchr(p, '\xc2', raw_line.size()))) {
            // most lines: as they are (loading in place, often where they already stand)
            if (p != base + w) std::memmove(base + w, p, raw_line.size());
            w += raw_line.size();
        } else {
            for (; p < end; ++p) {
                const auto c = static_cast<unsigned char>(*p);
                if (c == '\r') continue;
                if (c == 0xc2 && p + 1 < end && static_cast<unsigned char>(p[1]) == 0xa0) {
                    base[w++] = ' ';
                    ++p;
                    continue;
                }
                base[w++] = static_cast<char>(c);
            }
        }
        // mail quoting: drop the "> " prefix by moving the rest down (rare)
        const std::string_view cleaned(base + start, w - start);
        const std::string_view unq = strip_quote(cleaned);
        if (unq.size() != cleaned.size()) {
            std::memmove(base + start, unq.data(), unq.size());
            w = start + unq.size();
        }
        std::size_t spaces = 0;
        while (w - spaces > start && base[w - 1 - spaces] == ' ') ++spaces;
        while (w > start && (base[w - 1] == ' ' || base[w - 1] == '\t')) --w;
        const std::string_view body(base + start, w - start);
        const bool soft = spaces == 1;
        // (a last line that fills the buffer has no '\n' after it: no line follows it)
        if (w < buf_.size()) base[w] = '\n';
        w_ = w + 1;
        if (last_soft_ && !doc_.lines.empty()) {
            Line& prev = doc_.lines.back();
            const std::size_t n = prev.text.size();
            if (n >= 40 && n <= 80 && !body.empty() && body[0] != ' ' && body[0] != '\t' &&
                !looks_like_record_start(body)) {
                base[start - 1] = ' '; // the previous line's '\n'
                prev.text = std::string_view(prev.text.data(), n + 1 + body.size());
                last_soft_ = soft;
                return;
            }
        }
        doc_.lines.push_back({body, no});
        last_soft_ = soft;
    }

    // Cuts the buffer to what was written (a shrink: the lines' views stay valid).
    void finish() {
        buf_.resize(std::min(w_, buf_.size()));
        measure_leads(doc_);
    }

private:
    Document& doc_;
    std::string& buf_;
    bool plain_ = false;
    std::size_t w_ = 0;
    bool last_soft_ = false;
};

// Measures the lead of every line (the lines are final: hard-wrapped mail lines are joined).
void measure_leads(Document& doc) {
    for (auto& l : doc.lines) {
        std::size_t n = 0;
        int w = 0;
        while (n < l.text.size() && (l.text[n] == ' ' || l.text[n] == '\t')) {
            w = l.text[n] == ' ' ? w + 1 : (w / 8 + 1) * 8;
            ++n;
        }
        if (n < Line::no_lead && w < 0xffff) {
            l.lead = static_cast<std::uint16_t>(n);
            l.width = static_cast<std::uint16_t>(w);
        }
    }
}

} // namespace

void prefer_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    if (bytes < 2 * huge) return;
    // the whole 2 MiB pages inside [data, data + bytes), as offsets from data
    const auto addr = reinterpret_cast<std::uintptr_t>(data);
    const std::size_t skip = static_cast<std::size_t>((huge - addr % huge) % huge);
    const std::size_t span = (bytes - skip) / huge * huge;
    if (span > 0) // advice only: where the kernel declines, pages stay small
        (void)madvise(static_cast<char*>(data) + skip, span, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

Document load(std::string name, std::string_view raw) {
    return load_owned(std::move(name), std::string(raw));
}

Document load_owned(std::string name, std::string raw) {
    if (looks_binary(raw))
        throw InputError(name, 0,
                         "binary data, not a text capture (expected lspci/dmesg/... text)");

    Document doc;
    doc.name = std::move(name);
    if (auto mail = decode_mail(raw)) {
        doc.decoded_mail = true;
        std::string().swap(raw);
        std::size_t total = 0;
        for (const auto& dl : *mail) total += dl.text.size() + 1;
        doc.lines.reserve(mail->size());
        doc.storage.emplace_back(total, '\0');
        Builder b(doc, doc.storage.back());
        for (const auto& dl : *mail) b.add(dl.text, dl.no);
        b.finish();
        return doc;
    }
    // lines at '\n'; a final newline does not start another line, but an empty input is one
    // empty line
    std::size_t count = 1;
    for (const char *p = raw.data(), *end = raw.data() + raw.size();
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
         ++p)
        ++count;
    if (!raw.empty() && raw.back() == '\n') --count;
    doc.lines.reserve(count);
    prefer_huge_pages(doc.lines.data(), count * sizeof(Line));
    // the text is cleaned in its own buffer, owned by the document before any view into it
    // is made
    const std::size_t size = raw.size();
    doc.storage.push_back(std::move(raw));
    std::string& buf = doc.storage.back();
    const std::string_view all(buf.data(), size);
    // two passes over the whole text (fast) spare two per line in most captures
    const bool plain =
        all.find('\r') == std::string_view::npos && all.find('\xc2') == std::string_view::npos;
    Builder b(doc, buf, plain);
    std::uint32_t no = 0;
    std::size_t pos = 0;
    while (pos <= size) {
        auto nl = all.find('\n', pos);
        if (nl == std::string_view::npos) nl = size;
        ++no;
        if (nl == size && pos == nl && size > 0 && all.back() == '\n') break;
        b.add(all.substr(pos, nl - pos), no);
        pos = nl + 1;
        if (nl == size) break;
    }
    b.finish();
    return doc;
}

} // namespace il::text
