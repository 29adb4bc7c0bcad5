// Raw RFC-822 / MIME mail decoding (mails saved from list archives).
//
// decode_mail() recognises a message by its header block, walks the MIME tree and returns
// the decoded text of every part that holds text: the message body, text/* attachments and
// attachments of other types whose decoded bytes are text (list archives label log files
// as application/octet-stream or worse). HTML alternatives are dropped. Every decoded line
// keeps the raw line number where it starts, so facts still point into the saved file.
//
// Header fields and Content-Type parameters are parsed with small X3 rules; the transfer
// decodings (quoted-printable, base64) and format=flowed unwrapping are plain loops.
#include "grammars/common/mail.hpp"

#include "grammars/common/text.hpp"

#include <boost/fusion/include/std_pair.hpp>
#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace il::text {
namespace {

namespace x3 = boost::spirit::x3;

// ---- X3 rules -------------------------------------------------------------------------------

// RFC 5322 field name: printable US-ASCII except ':' (and no blanks).
const auto field_name_def = +(x3::char_('!', '9') | x3::char_(';', '~'));
const x3::rule<class field_name_r, std::string> field_name = "mail header field name";
// RFC 2045 token: any CHAR except SPACE, CTLs and tspecials.
const auto token_def = x3::lexeme[+(x3::char_('!', '~') - x3::char_("()<>@,;:\\\"/[]?="))];
const x3::rule<class token_r, std::string> token = "MIME token";
const auto quoted_def = x3::lexeme['"' >> *(('\\' >> x3::char_) | (x3::char_ - '"')) >> '"'];
const x3::rule<class quoted_r, std::string> quoted = "quoted string";
const auto param_def = token >> '=' >> (quoted | token);
const x3::rule<class param_r, std::pair<std::string, std::string>> param = "MIME parameter";
const auto mime_type_def = token >> '/' >> token;
const x3::rule<class mime_type_r, std::pair<std::string, std::string>> mime_type =
    "MIME type/subtype";

BOOST_SPIRIT_DEFINE(field_name, token, quoted, param, mime_type)

// ---- small helpers --------------------------------------------------------------------------

struct RawLine {
    std::string_view text; // without the line break and CR
    std::uint32_t no;      // 1-based
};

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::string_view strip_cr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

// Parses "Name:" at the start of a header line; returns the name and the value.
std::optional<std::pair<std::string, std::string_view>> header_field(std::string_view line) {
    auto it = line.begin();
    std::string name;
    if (!x3::parse(it, line.end(), field_name >> ':', name)) return std::nullopt;
    std::string_view value(it, static_cast<std::size_t>(line.end() - it));
    return std::make_pair(std::move(name), trim(value));
}

// Header names that only mails carry; three of them make a message.
bool is_mail_header(std::string_view name) {
    static constexpr std::array<std::string_view, 34> names = {"received",
                                                               "from",
                                                               "to",
                                                               "cc",
                                                               "subject",
                                                               "date",
                                                               "message-id",
                                                               "mime-version",
                                                               "content-type",
                                                               "return-path",
                                                               "delivered-to",
                                                               "in-reply-to",
                                                               "references",
                                                               "reply-to",
                                                               "sender",
                                                               "user-agent",
                                                               "list-id",
                                                               "precedence",
                                                               "dkim-signature",
                                                               "content-transfer-encoding",
                                                               "content-disposition",
                                                               "content-language",
                                                               "thread-topic",
                                                               "thread-index",
                                                               "accept-language",
                                                               "x-mailer",
                                                               "x-mailing-list",
                                                               "x-original-to",
                                                               "errors-to",
                                                               "list-unsubscribe",
                                                               "list-subscribe",
                                                               "authentication-results",
                                                               "received-spf",
                                                               "arc-seal"};
    return std::any_of(names.begin(), names.end(),
                       [&](std::string_view n) { return iequals(n, name); });
}

struct Headers {
    std::vector<std::pair<std::string, std::string>> fields; // name (lower case), unfolded value

    const std::string* get(std::string_view name) const {
        for (const auto& f : fields)
            if (f.first == name) return &f.second;
        return nullptr;
    }
};

// Reads a header block starting at lines[i]; returns the index of the first body line
// (after the empty separator line).
std::size_t read_headers(const std::vector<RawLine>& lines, std::size_t i, std::size_t end,
                         Headers& h) {
    for (; i < end; ++i) {
        const auto t = lines[i].text;
        if (t.empty()) return i + 1;
        if (is_blank(t[0])) {
            if (!h.fields.empty()) {
                h.fields.back().second += ' ';
                h.fields.back().second += trim(t);
            }
            continue;
        }
        if (auto f = header_field(t)) {
            h.fields.emplace_back(lower(f->first), std::string(f->second));
        } else {
            return i; // not a header: the body starts here (malformed part)
        }
    }
    return end;
}

struct ContentType {
    std::string type = "text";
    std::string subtype = "plain";
    std::vector<std::pair<std::string, std::string>> params; // names lower case

    const std::string* param_of(std::string_view name) const {
        for (const auto& p : params)
            if (p.first == name) return &p.second;
        return nullptr;
    }
};

ContentType parse_content_type(const std::string* value) {
    ContentType ct;
    if (!value) return ct;
    auto it = value->cbegin();
    const auto end = value->cend();
    std::pair<std::string, std::string> tt;
    if (!x3::phrase_parse(it, end, mime_type, x3::ascii::space, tt)) return ct;
    ct.type = lower(tt.first);
    ct.subtype = lower(tt.second);
    // parameters: "; name=value" repeated; tolerate stray separators and stop at garbage
    for (int guard = 0; guard < 64 && it != end; ++guard) {
        while (it != end && (*it == ';' || std::isspace(static_cast<unsigned char>(*it)))) ++it;
        if (it == end) break;
        std::pair<std::string, std::string> p;
        if (!x3::phrase_parse(it, end, param, x3::ascii::space, p)) break;
        ct.params.emplace_back(lower(p.first), std::move(p.second));
    }
    return ct;
}

std::string first_word_lower(const std::string* value) {
    if (!value) return {};
    std::string_view v = trim(*value);
    std::size_t n = 0;
    while (n < v.size() && !is_blank(v[n]) && v[n] != ';') ++n;
    return lower(v.substr(0, n));
}

// Decoded bytes, each tagged with the raw line it came from.
struct Tagged {
    std::string bytes;
    std::vector<std::uint32_t> tag;
    void put(char c, std::uint32_t no) {
        bytes.push_back(c);
        tag.push_back(no);
    }
};

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void decode_qp(const std::vector<RawLine>& lines, std::size_t b, std::size_t e, Tagged& out) {
    for (std::size_t i = b; i < e; ++i) {
        std::string_view t = lines[i].text;
        while (!t.empty() && is_blank(t.back())) t.remove_suffix(1); // transport padding
        bool soft = false;
        if (!t.empty() && t.back() == '=') {
            soft = true;
            t.remove_suffix(1);
        }
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (t[k] == '=' && k + 2 < t.size() && hexval(t[k + 1]) >= 0 && hexval(t[k + 2]) >= 0) {
                out.put(static_cast<char>(hexval(t[k + 1]) * 16 + hexval(t[k + 2])), lines[i].no);
                k += 2;
            } else {
                out.put(t[k], lines[i].no);
            }
        }
        if (!soft) out.put('\n', lines[i].no);
    }
}

void decode_base64(const std::vector<RawLine>& lines, std::size_t b, std::size_t e, Tagged& out) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::uint32_t acc = 0;
    int bits = 0;
    std::uint32_t start = 0;
    for (std::size_t i = b; i < e; ++i) {
        for (char c : lines[i].text) {
            if (c == '=') { // padding: drop partial bits
                bits = 0;
                acc = 0;
                continue;
            }
            const int v = val(c);
            if (v < 0) continue;
            if (bits == 0) start = lines[i].no;
            acc = (acc << 6) | static_cast<std::uint32_t>(v);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.put(static_cast<char>((acc >> bits) & 0xff), start);
                acc &= (1u << bits) - 1;
                start = lines[i].no;
            }
        }
    }
}

void copy_plain(const std::vector<RawLine>& lines, std::size_t b, std::size_t e, Tagged& out) {
    for (std::size_t i = b; i < e; ++i) {
        for (char c : lines[i].text) out.put(c, lines[i].no);
        out.put('\n', lines[i].no);
    }
}

// Single-byte charsets -> UTF-8 (0x80..0xff map to U+0080..U+00FF; close enough for
// windows-1252 text, and it turns 0xA0 into the NBSP the text layer knows).
void latin1_to_utf8(Tagged& t) {
    if (std::none_of(t.bytes.begin(), t.bytes.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        return;
    Tagged r;
    r.bytes.reserve(t.bytes.size() + t.bytes.size() / 8);
    for (std::size_t i = 0; i < t.bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(t.bytes[i]);
        if (c < 0x80) {
            r.put(static_cast<char>(c), t.tag[i]);
        } else {
            r.put(static_cast<char>(0xc0 | (c >> 6)), t.tag[i]);
            r.put(static_cast<char>(0x80 | (c & 0x3f)), t.tag[i]);
        }
    }
    t = std::move(r);
}

std::vector<DecodedLine> split_tagged(const Tagged& t, std::uint32_t fallback_no) {
    std::vector<DecodedLine> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= t.bytes.size(); ++i) {
        if (i < t.bytes.size() && t.bytes[i] != '\n') continue;
        if (i == t.bytes.size() && start == i) break; // no text after the last newline
        std::string_view s(t.bytes.data() + start, i - start);
        if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
        const std::uint32_t no =
            start < t.tag.size() ? t.tag[start] : (t.tag.empty() ? fallback_no : t.tag.back());
        out.push_back({std::string(s), no});
        start = i + 1;
    }
    return out;
}

// RFC 3676: join soft-broken lines (ending in a space) with the next line of the same quote
// depth, and undo space-stuffing.
std::vector<DecodedLine> unflow(std::vector<DecodedLine> in, bool delsp) {
    std::vector<DecodedLine> out;
    out.reserve(in.size());
    bool open = false; // out.back() continues on the next line
    int open_depth = 0;
    for (auto& l : in) {
        std::string_view s = l.text;
        int depth = 0;
        while (depth < static_cast<int>(s.size()) && s[static_cast<std::size_t>(depth)] == '>')
            ++depth;
        s.remove_prefix(static_cast<std::size_t>(depth));
        if (!s.empty() && s[0] == ' ') s.remove_prefix(1); // stuffing (or the "> " separator)
        const bool flowed = !s.empty() && s.back() == ' ' && s != "-- ";
        std::string_view body = s;
        if (flowed && delsp) body.remove_suffix(1);
        if (open && depth == open_depth) {
            out.back().text += body;
        } else {
            std::string t(static_cast<std::size_t>(depth), '>');
            if (depth > 0) t += ' ';
            t += body;
            out.push_back({std::move(t), l.no});
        }
        open = flowed;
        open_depth = depth;
    }
    return out;
}

struct Walker {
    const std::vector<RawLine>& lines;
    std::vector<DecodedLine> out;

    void append(std::vector<DecodedLine> part, std::uint32_t first_no) {
        if (part.empty()) return;
        if (!out.empty()) out.push_back({std::string(), first_no}); // parts are separate blocks
        for (auto& l : part) out.push_back(std::move(l));
    }

    // An entity whose header block starts at lines[b]; its content ends at e.
    void entity(std::size_t b, std::size_t e, int depth, bool in_digest) {
        if (b >= e || depth > 12) return;
        Headers h;
        const std::size_t body = read_headers(lines, b, e, h);
        ContentType ct = parse_content_type(h.get("content-type"));
        if (!h.get("content-type") && in_digest) {
            ct.type = "message";
            ct.subtype = "rfc822";
        }
        if (ct.type == "multipart") {
            const std::string* boundary = ct.param_of("boundary");
            if (boundary && !boundary->empty()) {
                multipart(body, e, *boundary, depth, ct.subtype == "digest");
                return;
            }
        }
        if (ct.type == "message" && (ct.subtype == "rfc822" || ct.subtype == "global")) {
            entity(body, e, depth + 1, false);
            return;
        }
        leaf(h, ct, body, e);
    }

    void multipart(std::size_t b, std::size_t e, const std::string& boundary, int depth,
                   bool digest) {
        const std::string delim = "--" + boundary;
        auto is_delim = [&](std::string_view t, bool& close) {
            if (t.substr(0, delim.size()) != delim) return false;
            std::string_view rest = t.substr(delim.size());
            close = rest.substr(0, 2) == "--";
            if (close) rest.remove_prefix(2);
            return trim(rest).empty();
        };
        std::size_t part_start = e; // e = not inside a part yet (preamble)
        for (std::size_t i = b; i < e; ++i) {
            bool close = false;
            if (!is_delim(lines[i].text, close)) continue;
            if (part_start < i) entity(part_start, i, depth + 1, digest);
            if (close) return; // epilogue ignored
            part_start = i + 1;
        }
        if (part_start < e) entity(part_start, e, depth + 1, digest); // unterminated
    }

    void leaf(const Headers& h, const ContentType& ct, std::size_t b, std::size_t e) {
        if (b >= e) return;
        if (ct.type == "text" && (ct.subtype == "html" || ct.subtype == "enriched")) return;
        if (ct.type == "image" || ct.type == "audio" || ct.type == "video" ||
            ct.type == "multipart" || ct.type == "message")
            return;
        if (ct.type == "application" &&
            (ct.subtype == "pgp-signature" || ct.subtype == "pkcs7-signature" ||
             ct.subtype == "x-pkcs7-signature"))
            return;
        const std::string cte = first_word_lower(h.get("content-transfer-encoding"));
        Tagged t;
        if (cte == "quoted-printable")
            decode_qp(lines, b, e, t);
        else if (cte == "base64")
            decode_base64(lines, b, e, t);
        else
            copy_plain(lines, b, e, t);
        if (t.bytes.empty()) return;
        // Attachments that are not labelled text must decode to text.
        if (ct.type != "text" && looks_binary(t.bytes)) return;
        if (const std::string* cs = ct.param_of("charset")) {
            const std::string c = lower(*cs);
            if (c == "iso-8859-1" || c == "iso-8859-15" || c == "latin1" || c == "windows-1252" ||
                c == "cp1252")
                latin1_to_utf8(t);
        }
        auto part = split_tagged(t, lines[b].no);
        const std::string* fmt = ct.param_of("format");
        if (ct.type == "text" && fmt && lower(*fmt) == "flowed") {
            const std::string* ds = ct.param_of("delsp");
            part = unflow(std::move(part), ds && lower(*ds) == "yes");
        }
        append(std::move(part), lines[b].no);
    }
};

// Is there a mail header block at the start of raw? Cheap: stops at the first line that is
// neither a header field nor a continuation line.
bool looks_like_mail(std::string_view raw) {
    std::size_t pos = 0;
    int known = 0;
    bool any = false;
    for (int n = 0; n < 5000 && pos <= raw.size(); ++n) {
        auto nl = raw.find('\n', pos);
        if (nl == std::string_view::npos) nl = raw.size();
        const std::string_view t = strip_cr(raw.substr(pos, nl - pos));
        if (nl == raw.size()) return false; // no body: not a message we can use
        pos = nl + 1;
        if (n == 0 && t.substr(0, 5) == "From ") continue; // mbox separator line
        if (t.empty()) return any && known >= 3;
        if (is_blank(t[0])) {
            if (!any) return false;
            continue;
        }
        auto f = header_field(t);
        if (!f) return false;
        any = true;
        if (is_mail_header(f->first)) ++known;
    }
    return false;
}

} // namespace

std::optional<std::vector<DecodedLine>> decode_mail(std::string_view raw) {
    if (!looks_like_mail(raw)) return std::nullopt;
    std::vector<RawLine> lines;
    std::size_t pos = 0;
    std::uint32_t no = 0;
    while (pos < raw.size()) {
        auto nl = raw.find('\n', pos);
        if (nl == std::string_view::npos) nl = raw.size();
        lines.push_back({strip_cr(raw.substr(pos, nl - pos)), ++no});
        pos = nl + 1;
    }
    std::size_t start = 0;
    if (!lines.empty() && lines[0].text.substr(0, 5) == "From ") start = 1;
    Walker w{lines, {}};
    w.entity(start, lines.size(), 0, false);
    return std::move(w.out);
}

} // namespace il::text
