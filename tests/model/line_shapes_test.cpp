// The one pass over a document's lines (model::detail::line_shapes) and the leads that
// text::load measures: adapters skip lines by these bits, so a wrong bit would hide a format.
#include "grammars/common/text.hpp"
#include "model/ingest.hpp"
#include "model/ingest_detail.hpp"

#include <gtest/gtest.h>

namespace detail = il::model::detail;

namespace {

std::uint8_t shape_of(const std::string& line) {
    const auto doc = il::text::load("x.txt", line + "\n");
    return detail::line_shapes(doc).at(0);
}

TEST(LineShapes, BitsFollowTheFirstBytes) {
    using namespace detail;
    EXPECT_EQ(shape_of("   \t "), shape_blank);
    EXPECT_TRUE(shape_of("a0: ff ff 00 00") & shape_hex_row);
    EXPECT_TRUE(shape_of("a0: ff ff 00 00") & shape_vm_config); // the shape alone says both
    EXPECT_FALSE(shape_of("\tLnkSta:\tSpeed 8GT/s") & shape_hex_row);
    EXPECT_TRUE(shape_of("BOOT_IMAGE=/vmlinuz root=/dev/sda1") & shape_has_eq);
    EXPECT_FALSE(shape_of("0000:00:01.0 PCI bridge: Intel") & shape_has_eq);
    EXPECT_TRUE(shape_of("-[0000:00]-+-00.0") & shape_tree_head);
    EXPECT_TRUE(shape_of("           -[0000:00]-") & shape_tree_head);
    EXPECT_TRUE(shape_of("hostpci0: 0000:01:00,pcie=1") & shape_vm_config);
    EXPECT_TRUE(shape_of("# a comment") & shape_vm_config);
    EXPECT_FALSE(shape_of("  hostpci0: 01:00") & shape_vm_config); // keys start at column 0
    EXPECT_FALSE(shape_of("Hostpci0: 01:00") & shape_vm_config);
    for (const char* s : {"IOMMU Group 1:", "iommu group 1", "Group 3: [8086:1234]",
                          "### Group 2 ###", "/sys/kernel/iommu_groups/1/devices/0000:00:01.0",
                          "lrwxrwxrwx 1 root root 0 0000:00:01.0 -> x", "USB: [1d6b:0002]",
                          "(4) 00:01.0 PCI bridge", "\tIOMMU Group 7:"})
        EXPECT_TRUE(shape_of(s) & shape_listing) << s;
    EXPECT_FALSE(shape_of("00:01.0 PCI bridge") & shape_listing); // needs an open block
    EXPECT_TRUE(shape_of("12 0000:00:01.0") & shape_digit_led);
    EXPECT_FALSE(shape_of("x12 0000:00:01.0") & shape_digit_led);
}

TEST(LineShapes, LoadMeasuresLeadsAndHandMadeLinesMeasureThemselves) {
    const auto doc = il::text::load("x.txt", "\t\tDevCap:\tMaxPayload\n  x\nnone\n");
    ASSERT_EQ(doc.lines.size(), 3u);
    EXPECT_EQ(doc.lines[0].body(), "DevCap:\tMaxPayload");
    EXPECT_EQ(doc.lines[0].indent(), 16);
    EXPECT_EQ(doc.lines[1].indent(), 2);
    EXPECT_EQ(doc.lines[2].indent(), 0);
    EXPECT_EQ(doc.lines[2].body(), "none");
    const il::text::Line by_hand{" \tx  ", 1}; // not measured: body() and indent() measure
    EXPECT_EQ(by_hand.lead, il::text::Line::no_lead);
    EXPECT_EQ(by_hand.body(), "x");
    EXPECT_EQ(by_hand.indent(), 8);
}

// Formats still found when they sit among hundreds of lspci body and hex-row lines.
TEST(LineShapes, FormatsAmongLspciLinesAreStillFound) {
    std::string text = "0000:00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:1901]\n"
                       "\tControl: I/O+ Mem+ BusMaster+\n"
                       "\tBus: primary=00, secondary=01, subordinate=01, sec-latency=0\n";
    for (int r = 0; r < 16; ++r) {
        char row[64];
        std::snprintf(row, sizeof row, "%02x: ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff\n",
                      r * 16);
        text += row;
    }
    text += "\nBOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 intel_iommu=on iommu=pt\n"
            "\n-[0000:00]-+-00.0\n           \\-01.0-[01]--\n"
            "\nIOMMU Group 4:\n\t00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:1901]\n";
    std::vector<il::model::FileInput> in;
    in.push_back({"mixed.txt", text, false});
    const auto h = il::model::ingest_host("h", std::move(in));
    ASSERT_TRUE(h.cmdline.known());
    EXPECT_NE(h.cmdline.value->find("intel_iommu=on"), std::string::npos);
    EXPECT_EQ(h.tree_root_buses.size(), 1u);
    const auto* d = h.find(*il::model::Bdf::parse("0000:00:01.0"));
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->observed_group.known());
    for (const char* f : {"cmdline", "lspci-t"})
        EXPECT_NE(std::find(h.formats_seen.begin(), h.formats_seen.end(), f), h.formats_seen.end())
            << f;
}

} // namespace
