// Issue 2's bar: every recorded host (a directory) and every paste in ../shared/corpus parses.
#include "model/ingest.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace il;

TEST(CorpusIngest, EveryHostDirectoryParses) {
    IL_REQUIRE_SHARED();
    std::size_t hosts = 0;
    for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "hosts")) {
        if (!e.is_directory()) continue;
        SCOPED_TRACE(e.path().string());
        model::Snapshot snap;
        ASSERT_NO_THROW(snap = model::ingest_paths({e.path().string()}));
        ASSERT_EQ(snap.hosts.size(), 1u);
        const auto& h = snap.hosts[0];
        EXPECT_FALSE(h.formats_seen.empty());
        // every host folder holds at least one capture naming PCI functions
        EXPECT_GT(h.devices.size(), 0u);
        ++hosts;
    }
    EXPECT_GE(hosts, 30u);
}

TEST(CorpusIngest, EveryPasteAndLinuxhwReportParsesAsOneHost) {
    IL_REQUIRE_SHARED();
    std::size_t files = 0;
    for (const char* sub : {"pastes", "linuxhw"}) {
        for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / sub)) {
            const auto name = e.path().filename().string();
            if (!e.is_regular_file() || name == "SOURCE.md" || name == "INDEX.tsv") continue;
            SCOPED_TRACE(e.path().string());
            model::Snapshot snap;
            ASSERT_NO_THROW(snap = model::ingest_paths({e.path().string()}));
            ASSERT_EQ(snap.hosts.size(), 1u);
            EXPECT_GT(snap.hosts[0].devices.size(), 0u);
            ++files;
        }
    }
    EXPECT_GE(files, 10u);
}
