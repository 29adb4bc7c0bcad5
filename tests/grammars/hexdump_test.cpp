#include "grammars/hexdump/hexdump.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hd = il::grammars::hexdump;

TEST(Hexdump, ParsesAFullRow) {
    auto r = hd::parse_row("00: 86 80 48 a3 06 04 90 02 10 00 03 04 00 00 80 00");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->offset, 0u);
    ASSERT_EQ(r->bytes.size(), 16u);
    EXPECT_EQ(r->bytes[0], 0x86);
    EXPECT_EQ(r->bytes[3], 0xa3);
    EXPECT_EQ(r->bytes[14], 0x80); // header type byte 0x0e: multi-function
}

TEST(Hexdump, ThreeAndEightDigitOffsetsAndShortRows) {
    auto r = hd::parse_row("1f0: 0b 00 01 25");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->offset, 0x1f0u);
    EXPECT_EQ(std::vector<std::uint8_t>(r->bytes.begin(), r->bytes.end()),
              (std::vector<std::uint8_t>{0x0b, 0x00, 0x01, 0x25}));
    auto e = hd::parse_row("00000ff0: FF");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->offset, 0xff0u);
    EXPECT_EQ(std::vector<std::uint8_t>(e->bytes.begin(), e->bytes.end()),
              (std::vector<std::uint8_t>{0xff}));
    auto indented = hd::parse_row("     40: 10 80");
    ASSERT_TRUE(indented);
    EXPECT_EQ(indented->offset, 0x40u);
}

TEST(Hexdump, RejectsMalformedRows) {
    for (const char* s : {
             "00: 86 80  48",                                          // two spaces
             "00: 86 8",                                               // one digit
             "00: 86 80 4g",                                           // not hex
             "00: 86 80 486",                                          // three digits
             "00: 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00", // 17 bytes
             "0: 86 80",                                               // 1-digit offset
             "123456789: 00",                                          // 9-digit offset
             "00:",                                                    // no bytes
             "00 86 80",                                               // no colon
             "00: 86 80 (garbage)",
         })
        EXPECT_FALSE(hd::parse_row(s)) << s;
}

TEST(Hexdump, LooksLikeRowIsACheapPrefixTest) {
    EXPECT_TRUE(hd::looks_like_row("00: 86 80 48 a3"));
    EXPECT_TRUE(hd::looks_like_row("100: 0b"));
    EXPECT_TRUE(hd::looks_like_row("  f0: 00 00"));
    // starts like a row but is broken: looks_like_row && !parse_row = malformed row
    EXPECT_TRUE(hd::looks_like_row("30: 00 00 4"));
    EXPECT_FALSE(hd::parse_row("30: 00 00 4"));

    for (const char* s : {
             "00:1f.3 Audio device: Intel Corporation Cannon Lake PCH cAVS (rev 10)",
             "0000:00:01.0 PCI bridge: Intel Corporation Device",
             "\tCapabilities: [40] Express (v2) Root Port (Slot+), IntMsgNum 0",
             "Added: deadbeef",
             "Bad: 3 lanes",
             "",
             "ab",
             "10:23:45 host kernel: foo",
         })
        EXPECT_FALSE(hd::looks_like_row(s)) << s;
}

// UTF-8 bytes (>= 0x80) must not reach x3's character classifiers (they assert).
TEST(Hexdump, NonAsciiInputIsRejectedQuietly) {
    EXPECT_FALSE(hd::parse_row("\xe2\x80\x83"
                               "00: 11"));
    EXPECT_FALSE(hd::parse_row("00: 11 \xc3\xa9"));
    EXPECT_FALSE(hd::looks_like_row("\xe2\x80\x83"
                                    "00: 11"));
}
