#include "model/snapshot.hpp"

#include <gtest/gtest.h>

using il::model::Bdf;

TEST(Bdf, ParsesShortAndDomainForms) {
    auto a = Bdf::parse("01:00.1");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->str(), "0000:01:00.1");
    auto b = Bdf::parse("10000:e1:1F.7");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->domain, 0x10000u);
    EXPECT_EQ(b->str(), "10000:e1:1f.7");
    EXPECT_EQ(b->devfn(), (0x1f << 3) | 7);
}

TEST(Bdf, RejectsMalformed) {
    for (const char* s : {"", "1:00.0", "00:20.0", "00:1f.8", "zz:00.0", "000:00:00.0", "00:00"})
        EXPECT_FALSE(Bdf::parse(s)) << s;
}
