// model/archive: tar (ustar, GNU long names, pax paths) and gzip, with the limits and the
// refusals (path traversal, corrupt headers, truncation, size bombs).
#include "model/archive.hpp"
#include "model/ingest.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>

using il::model::ArchiveLimits;
using il::model::gunzip;
using il::model::IngestError;
using il::model::read_archive;
using il::model::read_tar;

namespace {

std::string octal(std::size_t v, std::size_t width) {
    char b[32];
    std::snprintf(b, sizeof b, "%0*zo", static_cast<int>(width - 1), v);
    return std::string(b, width - 1) + '\0';
}

// One tar header + data block(s), like GNU tar writes them.
std::string entry(const std::string& name, const std::string& data, char type = '0',
                  const std::string& prefix = {}) {
    std::string h(512, '\0');
    std::memcpy(&h[0], name.data(), std::min<std::size_t>(name.size(), 100));
    std::memcpy(&h[100], "0000644", 8);
    std::memcpy(&h[108], "0000000", 8);
    std::memcpy(&h[116], "0000000", 8);
    auto sz = octal(data.size(), 12);
    std::memcpy(&h[124], sz.data(), 12);
    std::memcpy(&h[136], "00000000000", 12);
    h[156] = type;
    std::memcpy(&h[257],
                "ustar\0"
                "00",
                8);
    std::memcpy(&h[345], prefix.data(), std::min<std::size_t>(prefix.size(), 155));
    std::memset(&h[148], ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    auto cs = octal(sum, 7);
    std::memcpy(&h[148], cs.data(), 7);
    h[155] = ' ';
    std::string body = data;
    body.resize((data.size() + 511) / 512 * 512, '\0');
    return h + body;
}
std::string end_marker() {
    return std::string(1024, '\0');
}

std::string gzip(const std::string& in) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&zs, in.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::string error_of(const std::string& bytes, const ArchiveLimits& lim = {}) {
    try {
        read_archive(bytes, "t.tar", lim);
    } catch (const IngestError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(Archive, ReadsRegularFilesAndSkipsDirectories) {
    const std::string tar = entry("cap/", "", '5') +
                            entry("cap/lspci.txt", "00:00.0 Host bridge\n") +
                            entry("./cap//cmdline.txt", "quiet\n") + end_marker();
    auto m = read_tar(tar, "t.tar");
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].name, "cap/lspci.txt");
    EXPECT_EQ(m[0].content, "00:00.0 Host bridge\n");
    EXPECT_EQ(m[1].name, "cap/cmdline.txt");
}

TEST(Archive, UstarPrefixGnuLongNamesAndPaxPaths) {
    const std::string long_name(150, 'a');
    std::string pax_rec = "path=pax/name.txt\n";
    pax_rec = std::to_string(pax_rec.size() + 3) + " " + pax_rec; // "21 path=...\n"
    const std::string tar = entry("file.txt", "x", '0', "some/prefix") +
                            entry("././@LongLink", long_name + '\0', 'L') + entry("trunc", "y") +
                            entry("PaxHeaders/1", pax_rec, 'x') + entry("short", "z") +
                            end_marker();
    auto m = read_tar(tar, "t.tar");
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].name, "some/prefix/file.txt");
    EXPECT_EQ(m[1].name, long_name);
    EXPECT_EQ(m[1].content, "y");
    EXPECT_EQ(m[2].name, "pax/name.txt");
}

TEST(Archive, RefusesPathTraversalAndAbsolutePaths) {
    EXPECT_NE(error_of(entry("../etc/passwd", "x") + end_marker()).find("leaves the archive"),
              std::string::npos);
    EXPECT_NE(error_of(entry("a/../../b", "x") + end_marker()).find("leaves the archive"),
              std::string::npos);
    EXPECT_NE(error_of(entry("/etc/passwd", "x") + end_marker()).find("absolute path"),
              std::string::npos);
    // symlinks are skipped, not followed
    auto m = read_tar(entry("link", "", '2') + end_marker(), "t.tar");
    EXPECT_TRUE(m.empty());
}

TEST(Archive, CorruptAndTruncatedArchives) {
    std::string tar = entry("a.txt", std::string(1000, 'q')) + end_marker();
    std::string bad = tar;
    bad[10] ^= 1; // name byte: checksum no longer matches
    EXPECT_NE(error_of(bad).find("checksum mismatch"), std::string::npos);
    EXPECT_NE(error_of(tar.substr(0, 700)).find("truncated"), std::string::npos);
    EXPECT_NE(error_of(tar.substr(0, 300)).find("truncated tar header"), std::string::npos);
    EXPECT_NE(error_of(std::string(600, 'z')).find("not a tar archive"), std::string::npos);
    EXPECT_NE(error_of("").find("empty archive"), std::string::npos);
    // no end marker: still fine (some writers stop after the last member)
    EXPECT_EQ(read_tar(entry("a.txt", "1"), "t.tar").size(), 1u);
}

TEST(Archive, Limits) {
    ArchiveLimits lim;
    lim.max_member_bytes = 100;
    EXPECT_NE(error_of(entry("big", std::string(200, 'b')) + end_marker(), lim).find("larger than"),
              std::string::npos);
    ArchiveLimits two;
    two.max_members = 2;
    EXPECT_NE(error_of(entry("1", "a") + entry("2", "b") + entry("3", "c") + end_marker(), two)
                  .find("more than 2 files"),
              std::string::npos);
    ArchiveLimits tot;
    tot.max_total_bytes = 150;
    EXPECT_NE(error_of(entry("1", std::string(100, 'a')) + entry("2", std::string(100, 'b')), tot)
                  .find("add up"),
              std::string::npos);
}

TEST(Archive, Gzip) {
    const std::string tar = entry("cap/x.txt", "hello\n") + end_marker();
    auto m = read_archive(gzip(tar), "t.tar.gz");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].content, "hello\n");
    // concatenated gzip members and trailing zero padding
    EXPECT_EQ(gunzip(gzip("ab") + gzip("cd") + std::string(10, '\0'), 100, "t"), "abcd");
    const std::string gz = gzip(tar);
    auto err = [&](const std::string& bytes, std::size_t max = 1u << 20) {
        try {
            gunzip(bytes, max, "t.gz");
        } catch (const IngestError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    EXPECT_NE(err(gz.substr(0, gz.size() - 12)).find("truncated gzip"), std::string::npos);
    std::string bad = gz;
    bad[12] ^= 0xff;
    EXPECT_NE(err(bad).find("t.gz: "), std::string::npos);
    EXPECT_NE(err(gz + "junk").find("unexpected bytes"), std::string::npos);
    // a small stream that inflates beyond the bound (a "zip bomb")
    EXPECT_NE(err(gzip(std::string(1u << 20, '\0')), 4096).find("decompresses to more than"),
              std::string::npos);
}

TEST(Archive, NamesAndMagic) {
    EXPECT_TRUE(il::model::is_archive_name("x.tar.gz"));
    EXPECT_TRUE(il::model::is_archive_name("X.TGZ"));
    EXPECT_TRUE(il::model::is_archive_name("a/b.tar"));
    EXPECT_FALSE(il::model::is_archive_name("lspci.txt"));
    EXPECT_TRUE(il::model::looks_like_archive(gzip("x")));
    EXPECT_TRUE(il::model::looks_like_archive(entry("a", "b")));
    EXPECT_FALSE(il::model::looks_like_archive("00:00.0 Host bridge: Intel\n"));
}
