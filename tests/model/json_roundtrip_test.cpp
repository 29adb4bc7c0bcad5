// The snapshot JSON is the project's interchange format: it must read back to the same snapshot.
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

using namespace il;

TEST(SnapshotJson, RoundTripsAnOracleCaptureExactly) {
    const auto dir = test::source_dir() / "corpus" / "boards" / "qemu-workstation";
    auto snap = model::ingest_paths({dir.string()});
    ASSERT_EQ(snap.hosts.size(), 1u);
    ASSERT_GT(snap.hosts[0].devices.size(), 10u);
    const auto first = model::to_json(snap);
    auto back = model::snapshot_from_json_text(first.dump(), "mem.json");
    const auto second = model::to_json(back);
    EXPECT_EQ(first, second) << first.dump(1).substr(0, 2000);
    // the issue's minimum: hosts[].devices[].bdf and observed_group
    const auto& d0 = second["hosts"][0]["devices"][0];
    EXPECT_EQ(d0["bdf"], "0000:00:00.0");
    EXPECT_TRUE(d0.contains("observed_group"));
}

TEST(SnapshotJson, RejectsOtherVersionsAndMalformedDocuments) {
    EXPECT_THROW(
        model::snapshot_from_json_text(R"({"iommu_lint_snapshot": 99, "hosts": []})", "x.json"),
        model::IngestError);
    EXPECT_THROW(
        model::snapshot_from_json_text(
            R"({"iommu_lint_snapshot": 1, "hosts": [{"devices": [{"bdf": "zz"}]}]})", "x.json"),
        model::IngestError);
    EXPECT_THROW(model::snapshot_from_json_text("{not json", "x.json"), model::IngestError);
    // found by fuzz_snapshot_json: a number too large for a double threw out_of_range, which
    // was not caught (the tool terminated)
    EXPECT_THROW(model::snapshot_from_json_text("2004.29e002022", "x.json"), model::IngestError);
    EXPECT_THROW(model::snapshot_from_json_text(R"({"iommu_lint_snapshot": 1e999})", "x.json"),
                 model::IngestError);
    EXPECT_THROW(model::snapshot_from_json_text(R"({"iommu_lint_snapshot": "1"})", "x.json"),
                 model::IngestError);
}

TEST(SnapshotJson, InvalidUtf8FromTheInputsIsWrittenNotRefused) {
    // found by fuzz_pipeline: a command line with a byte that is not UTF-8 made every JSON
    // output throw
    model::Snapshot snap;
    model::Host h;
    h.name = "h";
    h.files = {"", "cmdline.txt"};
    h.cmdline.set("BOOT_IMAGE=/vmlin\xf5z", {1, 1});
    snap.hosts.push_back(h);
    const auto text = model::dump_json(model::to_json(snap));
    EXPECT_NE(text.find("vmlin\xef\xbf\xbdz"), std::string::npos); // U+FFFD in its place
    const auto back = model::snapshot_from_json_text(text, "back.json");
    ASSERT_EQ(back.hosts.size(), 1u);
    EXPECT_EQ(*back.hosts[0].cmdline, "BOOT_IMAGE=/vmlin\xef\xbf\xbdz");
}

TEST(SnapshotJson, UnknownStaysNull) {
    model::Snapshot s;
    model::Host h;
    h.name = "h";
    h.files = {"", "a.txt"};
    auto& d = h.get_or_add(*model::Bdf::parse("00:1c.0"), {1, 7});
    d.caps_readable.set(false, {1, 8});
    s.hosts.push_back(h);
    auto j = model::to_json(s);
    const auto& dj = j["hosts"][0]["devices"][0];
    EXPECT_TRUE(dj["has_acs"].is_null());
    EXPECT_TRUE(dj["is_pcie"].is_null());
    EXPECT_EQ(dj["caps_readable"], false);
    EXPECT_EQ(dj["sources"]["caps_readable"], "a.txt:8");
    EXPECT_EQ(dj["src"], "a.txt:7");
}
