#include "model/archive.hpp"

#include "model/ingest.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>

namespace il::model {

namespace {

constexpr std::size_t k_block = 512;

[[noreturn]] void fail(const std::string& what, const std::string& msg) {
    throw IngestError(what + ": " + msg);
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i])
            return false;
    return true;
}

bool all_zero(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
}

// A numeric tar header field: octal digits (leading spaces, ending at NUL or space), or GNU
// base-256 (high bit of the first byte set). nullopt when malformed.
std::optional<std::uint64_t> header_number(const unsigned char* f, std::size_t len) {
    if (f[0] & 0x80) {
        std::uint64_t v = f[0] & 0x3f;
        if (f[0] & 0x40) return std::nullopt; // negative
        for (std::size_t i = 1; i < len; ++i) {
            if (v >> 55) return std::nullopt; // would overflow
            v = (v << 8) | f[i];
        }
        return v;
    }
    std::size_t i = 0;
    while (i < len && f[i] == ' ') ++i;
    std::uint64_t v = 0;
    bool any = false;
    for (; i < len; ++i) {
        const unsigned char c = f[i];
        if (c == 0 || c == ' ') break;
        if (c < '0' || c > '7') return std::nullopt;
        if (v >> 60) return std::nullopt;
        v = v * 8 + (c - '0');
        any = true;
    }
    for (; i < len; ++i)
        if (f[i] != 0 && f[i] != ' ') return std::nullopt;
    if (!any) return std::uint64_t{0};
    return v;
}

std::string field_string(const unsigned char* f, std::size_t len) {
    std::size_t n = 0;
    while (n < len && f[n] != 0) ++n;
    return std::string(reinterpret_cast<const char*>(f), n);
}

// "./a//b/c" -> "a/b/c"; throws on absolute paths and "..". Empty result: nothing left.
std::string normalise_member(const std::string& raw, const std::string& what) {
    if (!raw.empty() && raw[0] == '/')
        fail(what, "member \"" + raw + "\" has an absolute path (refused)");
    std::string out;
    std::size_t i = 0;
    while (i <= raw.size()) {
        auto j = raw.find('/', i);
        if (j == std::string::npos) j = raw.size();
        const std::string part = raw.substr(i, j - i);
        if (part == "..")
            fail(what, "member \"" + raw + "\" leaves the archive (\"..\" in its path; refused)");
        if (!part.empty() && part != ".") {
            if (!out.empty()) out += '/';
            out += part;
        }
        i = j + 1;
    }
    return out;
}

// pax extended header records: "<len> key=value\n"...; returns the path= value if any.
std::string pax_path(std::string_view body, const std::string& what) {
    std::string path;
    std::size_t i = 0;
    std::size_t guard = 0;
    while (i < body.size() && guard++ < 100000) {
        if (body[i] == 0) break;
        std::size_t sp = body.find(' ', i);
        if (sp == std::string_view::npos) fail(what, "corrupt pax header (record without length)");
        std::size_t len = 0;
        for (std::size_t k = i; k < sp; ++k) {
            if (body[k] < '0' || body[k] > '9' || len > body.size())
                fail(what, "corrupt pax header (bad record length)");
            len = len * 10 + static_cast<std::size_t>(body[k] - '0');
        }
        if (len <= sp - i || i + len > body.size())
            fail(what, "corrupt pax header (record length out of range)");
        std::string_view rec = body.substr(sp + 1, i + len - sp - 1);
        if (!rec.empty() && rec.back() == '\n') rec.remove_suffix(1);
        if (rec.rfind("path=", 0) == 0) path = std::string(rec.substr(5));
        i += len;
    }
    return path;
}

} // namespace

bool is_archive_name(std::string_view path) {
    return ends_with_ci(path, ".tar.gz") || ends_with_ci(path, ".tgz") ||
           ends_with_ci(path, ".tar");
}

bool looks_like_archive(std::string_view bytes) {
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
        static_cast<unsigned char>(bytes[1]) == 0x8b)
        return true;
    return bytes.size() >= k_block && bytes.substr(257, 5) == "ustar";
}

std::string gunzip(std::string_view data, std::size_t max_out, const std::string& what) {
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(what, "cannot initialise zlib");
    struct Guard {
        z_stream* z;
        ~Guard() { inflateEnd(z); }
    } guard{&zs};

    std::string out;
    std::size_t in_pos = 0;
    constexpr std::size_t k_chunk = 1u << 16;
    char buf[k_chunk];
    bool ended = false;
    // bounded: every round consumes input or produces output, and both are bounded
    for (std::size_t rounds = 0;; ++rounds) {
        if (zs.avail_in == 0 && in_pos < data.size()) {
            const std::size_t n = std::min<std::size_t>(data.size() - in_pos, 1u << 30);
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
            zs.avail_in = static_cast<uInt>(n);
            in_pos += n;
        }
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = k_chunk;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = k_chunk - zs.avail_out;
        if (out.size() + produced > max_out)
            fail(what,
                 "decompresses to more than " + std::to_string(max_out >> 20) + " MiB (refused)");
        out.append(buf, produced);
        if (rc == Z_STREAM_END) {
            // another gzip member may follow; trailing zero padding is tolerated
            std::string_view rest(reinterpret_cast<const char*>(zs.next_in), zs.avail_in);
            std::string_view unread = data.substr(in_pos);
            if (all_zero(rest) && all_zero(unread)) {
                ended = true;
                break;
            }
            if (rest.size() >= 2 || (rest.size() == 1 && !unread.empty())) {
                const unsigned char b0 = static_cast<unsigned char>(rest[0]);
                const unsigned char b1 =
                    static_cast<unsigned char>(rest.size() > 1 ? rest[1] : unread[0]);
                if (b0 == 0x1f && b1 == 0x8b) {
                    inflateReset(&zs);
                    continue;
                }
            }
            fail(what, "unexpected bytes after the end of the gzip stream");
        }
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR)
            fail(what, std::string("corrupt gzip data") +
                           (zs.msg ? std::string(" (") + zs.msg + ")" : ""));
        if (rc == Z_MEM_ERROR) fail(what, "out of memory while decompressing");
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_pos >= data.size()) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) fail(what, "gzip error " + std::to_string(rc));
        if (produced == 0 && zs.avail_in == 0 && in_pos >= data.size()) break;
        if (rounds > (data.size() + max_out) / 16 + 1000)
            fail(what, "gzip stream does not progress");
    }
    if (!ended) fail(what, "truncated gzip stream (the archive is incomplete)");
    return out;
}

std::vector<ArchiveMember> read_tar(std::string_view data, const std::string& what,
                                    const ArchiveLimits& limits) {
    std::vector<ArchiveMember> out;
    std::size_t off = 0, headers = 0, total = 0;
    std::string long_name, pax_name;
    bool have_long = false, have_pax = false;
    while (off < data.size()) {
        if (++headers > limits.max_headers)
            fail(what,
                 "more than " + std::to_string(limits.max_headers) + " tar headers (refused)");
        if (data.size() - off < k_block) {
            if (all_zero(data.substr(off))) break;
            fail(what, "truncated tar header at byte " + std::to_string(off));
        }
        const std::string_view block = data.substr(off, k_block);
        if (all_zero(block)) break; // end-of-archive marker
        const auto* h = reinterpret_cast<const unsigned char*>(block.data());
        const std::string where = "tar header at byte " + std::to_string(off);

        auto stored = header_number(h + 148, 8);
        if (!stored) fail(what, where + ": corrupt checksum field (not a tar archive?)");
        std::uint64_t usum = 0;
        std::int64_t ssum = 0;
        for (std::size_t i = 0; i < k_block; ++i) {
            const unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
            usum += c;
            ssum += static_cast<signed char>(c);
        }
        if (*stored != usum && static_cast<std::int64_t>(*stored) != ssum)
            fail(what, where + ": checksum mismatch (corrupt or not a tar archive)");

        auto size = header_number(h + 124, 12);
        if (!size) fail(what, where + ": corrupt size field");
        const char type = static_cast<char>(h[156]);
        const std::size_t body_off = off + k_block;
        if (*size > data.size() - body_off)
            fail(what, where + ": member data truncated (archive incomplete)");
        const std::string_view body = data.substr(body_off, static_cast<std::size_t>(*size));
        const std::size_t padded =
            (static_cast<std::size_t>(*size) + k_block - 1) / k_block * k_block;
        off = body_off + std::min(padded, data.size() - body_off);

        if (type == 'L') { // GNU long name for the next header
            if (body.size() > 65536) fail(what, where + ": long name over 64 KiB (refused)");
            long_name =
                field_string(reinterpret_cast<const unsigned char*>(body.data()), body.size());
            have_long = true;
            continue;
        }
        if (type == 'x') {
            if (body.size() > (1u << 20)) fail(what, where + ": pax header over 1 MiB (refused)");
            pax_name = pax_path(body, what);
            have_pax = !pax_name.empty();
            continue;
        }
        if (type == 'g' || type == 'K') continue;

        std::string raw;
        if (have_pax)
            raw = pax_name;
        else if (have_long)
            raw = long_name;
        else {
            raw = field_string(h, 100);
            const bool ustar = block.substr(257, 5) == "ustar";
            const std::string prefix = ustar ? field_string(h + 345, 155) : std::string();
            if (!prefix.empty()) raw = prefix + "/" + raw;
        }
        have_long = have_pax = false;
        long_name.clear();
        pax_name.clear();

        const bool regular = type == '0' || type == '\0' || type == '7';
        if (!regular) continue; // directories, links, devices, fifos
        std::string name = normalise_member(raw, what);
        if (name.empty() || raw.back() == '/') continue;
        if (body.size() > limits.max_member_bytes)
            fail(what, "member \"" + name + "\" is larger than " +
                           std::to_string(limits.max_member_bytes >> 20) + " MiB (refused)");
        total += body.size();
        if (total > limits.max_total_bytes)
            fail(what, "members add up to more than " +
                           std::to_string(limits.max_total_bytes >> 20) + " MiB (refused)");
        if (out.size() >= limits.max_members)
            fail(what, "more than " + std::to_string(limits.max_members) + " files (refused)");
        out.push_back({std::move(name), std::string(body)});
    }
    return out;
}

std::vector<ArchiveMember> read_archive(std::string_view bytes, const std::string& what,
                                        const ArchiveLimits& limits) {
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
        static_cast<unsigned char>(bytes[1]) == 0x8b) {
        const std::string tar =
            gunzip(bytes, limits.max_total_bytes + (limits.max_total_bytes / 8), what);
        return read_tar(tar, what, limits);
    }
    if (bytes.empty()) fail(what, "empty archive");
    return read_tar(bytes, what, limits);
}

} // namespace il::model
