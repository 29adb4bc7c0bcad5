#include "model/configspace.hpp"
#include "model/ingest.hpp"
#include "model/ingest_detail.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>

using namespace il::model;

namespace {

struct Ctx {
    Host host;
    il::text::Document doc;
    std::unique_ptr<il::text::Claims> claims;
    std::vector<std::uint8_t> shapes;
    std::unique_ptr<detail::IngestContext> cx;
    std::uint32_t file = 0;
    explicit Ctx(const std::string& text, const std::string& name = "lspci-t.txt") {
        host.files.emplace_back();
        load(text, name);
    }
    void load(const std::string& text, const std::string& name) {
        file = host.add_file(name);
        doc = il::text::load(name, text);
        claims = std::make_unique<il::text::Claims>(doc.lines.size());
        shapes = detail::line_shapes(doc);
        cx = std::make_unique<detail::IngestContext>(
            detail::IngestContext{host, file, doc, *claims, shapes});
    }
    const Device* dev(const char* bdf) const { return host.find(*Bdf::parse(bdf)); }
    std::size_t count(Diagnostic::Level lvl, const std::string& needle) const {
        return static_cast<std::size_t>(
            std::count_if(host.diagnostics.begin(), host.diagnostics.end(), [&](const auto& d) {
                return d.level == lvl && d.message.find(needle) != std::string::npos;
            }));
    }
    std::string diags() const {
        std::string s;
        for (const auto& d : host.diagnostics) s += host.where(d.src) + ": " + d.message + "\n";
        return s;
    }
};

const char* kTree = R"($ lspci -tvnn
-[0000:00]-+-00.0  Intel Corporation Device [8086:3e30]
           +-01.0-[01]--+-00.0  NVIDIA Corporation TU104 [GeForce RTX 2080] [10de:1e82]
           |            \-00.1  NVIDIA Corporation TU104 HD Audio Controller [10de:10f8]
           +-1c.0-[02-05]----00.0-[03-05]--+-00.0-[04]----00.0  Intel Corporation I211 [8086:1539]
           |                               \-01.0-[05]--
           \-1f.3  Intel Corporation Cannon Lake PCH cAVS [8086:a348]
)";

} // namespace

TEST(IngestTree, DevicesBusesAndIds) {
    Ctx t(kTree);
    detail::ingest_tree(*t.cx);
    EXPECT_EQ(t.host.devices.size(), 10u);
    ASSERT_EQ(t.host.tree_root_buses.size(), 1u);
    EXPECT_EQ(t.host.tree_root_buses[0], (RootBus{0, 0}));
    EXPECT_NE(std::find(t.host.formats_seen.begin(), t.host.formats_seen.end(), "lspci-t"),
              t.host.formats_seen.end());

    const Device* rp = t.dev("00:1c.0");
    ASSERT_TRUE(rp);
    EXPECT_TRUE(rp->buses.is(BusRange{0x00, 0x02, 0x05}));
    EXPECT_EQ(rp->buses.src.line, 5u);
    EXPECT_TRUE(rp->origins & origin_tree);
    const Device* up = t.dev("02:00.0");
    ASSERT_TRUE(up);
    EXPECT_TRUE(up->buses.is(BusRange{0x02, 0x03, 0x05}));
    const Device* dp = t.dev("03:01.0");
    ASSERT_TRUE(dp);
    EXPECT_TRUE(dp->buses.is(BusRange{0x03, 0x05, 0x05}));
    const Device* nic = t.dev("04:00.0");
    ASSERT_TRUE(nic);
    EXPECT_TRUE(nic->vendor_id.is(0x8086));
    EXPECT_TRUE(nic->device_id.is(0x1539));
    EXPECT_EQ(nic->description, "Intel Corporation I211");
    EXPECT_FALSE(nic->buses.known());
    const Device* audio = t.dev("01:00.1");
    ASSERT_TRUE(audio);
    EXPECT_TRUE(audio->device_id.is(0x10f8));
    EXPECT_EQ(audio->src.line, 4u);

    // the tree lines are claimed; the command line is left for others
    EXPECT_TRUE(t.claims->free(0));
    for (std::size_t i = 1; i < t.doc.lines.size(); ++i)
        EXPECT_EQ(t.claims->owner(i), detail::claim_tree) << i;
    EXPECT_TRUE(t.host.diagnostics.empty()) << t.diags();
}

TEST(IngestTree, MultiRootAndMultiDomainRootBuses) {
    Ctx t(R"(-+-[0000:00]-+-00.0  1022:1480
 |           \-01.1-[01]----00.0  144d:a808
 \-[0000:80]---00.0  1022:1480
-[10000:e0]-+-06.0-[e1]----00.0  144d:a80a
            \-17.0  8086:a0d3
)");
    detail::ingest_tree(*t.cx);
    EXPECT_EQ(t.host.tree_root_buses,
              (std::vector<RootBus>{{0, 0x00}, {0, 0x80}, {0x10000, 0xe0}}));
    EXPECT_EQ(t.host.devices.size(), 7u);
    const Device* vmd_nvme = t.dev("10000:e1:00.0");
    ASSERT_TRUE(vmd_nvme);
    EXPECT_TRUE(vmd_nvme->vendor_id.is(0x144d));
    const Device* port = t.dev("10000:e0:06.0");
    ASSERT_TRUE(port);
    EXPECT_TRUE(port->buses.is(BusRange{0xe0, 0xe1, 0xe1}));
}

// Required: a tree that disagrees with the bridge registers is reported as a conflict.
TEST(IngestTree, ConflictWithBridgeRegisters) {
    Ctx t(kTree);
    detail::ingest_tree(*t.cx);
    Device& rp = t.host.get_or_add(*Bdf::parse("00:1c.0"), {t.file, 1});
    ConfigSpace cs;
    cs.bytes.assign(64, 0);
    cs.bytes[0] = 0x86, cs.bytes[1] = 0x80, cs.bytes[0x0b] = 0x06, cs.bytes[0x0a] = 0x04;
    cs.bytes[0x0e] = 0x01;
    cs.bytes[0x18] = 0x00, cs.bytes[0x19] = 0x02, cs.bytes[0x1a] = 0x04; // tree says 02-05
    apply_config_space(*t.cx, rp, cs, {t.file, 9});
    EXPECT_EQ(t.count(Diagnostic::Level::warning, "conflict: bridge bus numbers"), 1u) << t.diags();
    EXPECT_TRUE(rp.buses.is(BusRange{0, 2, 5})); // the first value is kept

    // the other order: registers first (an earlier file), then the tree
    Ctx u(kTree);
    Device& early = u.host.get_or_add(*Bdf::parse("02:00.0"), {u.file, 1});
    early.buses.set(BusRange{0x02, 0x03, 0x06}, {u.file, 1});
    detail::ingest_tree(*u.cx);
    EXPECT_EQ(u.count(Diagnostic::Level::warning, "conflict: bridge bus numbers"), 1u) << u.diags();
    EXPECT_EQ(u.count(Diagnostic::Level::warning, "0000:02:00.0"), 1u) << u.diags();
}

TEST(IngestTree, TwoTreesThatDisagree) {
    Ctx t("-[0000:00]-+-00.0\n           \\-01.0-[01-02]----00.0-[02]--\n");
    detail::ingest_tree(*t.cx);
    t.load("-[0000:00]-+-00.0  8086:1234\n           \\-01.0-[01]----00.0  1002:67df\n",
           "other-lspci-t.txt");
    detail::ingest_tree(*t.cx);
    EXPECT_EQ(
        t.count(Diagnostic::Level::warning,
                "conflict: bridge bus numbers (primary/secondary/subordinate) of 0000:00:01.0"),
        1u)
        << t.diags();
    EXPECT_TRUE(t.dev("00:01.0")->buses.is(BusRange{0, 1, 2}));
    // a bridge in one tree, an endpoint with ids in the other: ids are added
    EXPECT_TRUE(t.dev("01:00.0")->vendor_id.is(0x1002));
}

TEST(IngestTree, DevicesBelowABridgeWithoutBusNumbersAreNoted) {
    Ctx t("-[0000:00]-+-00.0\n           \\-1c.4----00.0\n");
    detail::ingest_tree(*t.cx);
    EXPECT_EQ(t.host.devices.size(), 2u);
    EXPECT_FALSE(t.dev("00:1c.4")->buses.known());
    EXPECT_EQ(t.count(Diagnostic::Level::note, "their bus is unknown"), 1u) << t.diags();
}

TEST(IngestTree, BrokenTreeFailsWithFileAndLine) {
    const std::string text = "-[0000:00]-+-00.0\n           +-01.3-[02-\n           \\-1f.0\n";
    try {
        ingest_host("h", {FileInput{"t.txt", text, false}});
        FAIL() << "expected an IngestError";
    } catch (const IngestError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("t.txt:2: ", 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("-[02-"), std::string::npos) << e.what();
    }
}

TEST(IngestTree, NotATreeIsLeftAlone) {
    Ctx t("00:1f.3 Audio device: Intel Corporation Device a348\n\tSubsystem: Foo\n"
          "systemd-+-agetty\n        |-sshd\n");
    detail::ingest_tree(*t.cx);
    EXPECT_TRUE(t.host.devices.empty());
    EXPECT_EQ(t.claims->claimed(), 0u);
    EXPECT_TRUE(t.host.formats_seen.empty());
}

// Every recorded tree in the corpus (found by content) is ingested; the device count is
// checked against a count of "-dd.f" device tokens made here with a regular expression.
TEST(IngestTree, CorpusTrees) {
    IL_REQUIRE_SHARED();
    const std::regex head(R"(^\s*-(\+-)?\[[0-9a-f]{4,}:[0-9a-f]{2}\]-)");
    const std::regex branch(R"(^\s*[ |]*[+\\]-([0-9a-f]{2}\.[0-7]|\[))");
    const std::regex device(R"(-([0-9a-f]{2})\.([0-7]))");
    std::size_t files = 0;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(il::test::shared_dir() / "corpus")) {
        if (!e.is_regular_file()) continue;
        const std::string raw = il::test::read_file(e.path());
        if (il::text::looks_binary(raw)) continue;
        Ctx t(raw, e.path().string()); // decoded: trees inside raw mails count too
        // independent count over the decoded lines (raw mails are decoded by the text layer)
        std::size_t expected = 0;
        bool in_tree = false;
        for (const auto& l : t.doc.lines) {
            const std::string s(l.text);
            // (std::regex is slow: look only at lines that can be tree lines)
            if (!in_tree && s.find("-[") == std::string::npos) continue;
            if (std::regex_search(s, head))
                in_tree = true;
            else if (!std::regex_search(s, branch))
                in_tree = false;
            if (!in_tree) continue;
            // the structure ends at the first blank after the tree characters (names follow)
            auto start = s.find_first_not_of(" |");
            auto part = s.substr(start, s.find(' ', start) - start);
            expected += static_cast<std::size_t>(std::distance(
                std::sregex_iterator(part.begin(), part.end(), device), std::sregex_iterator()));
        }
        if (expected == 0) continue;
        ++files;
        SCOPED_TRACE(e.path().string());
        ASSERT_NO_THROW(detail::ingest_tree(*t.cx));
        EXPECT_EQ(t.host.devices.size(), expected);
        EXPECT_FALSE(t.host.tree_root_buses.empty());
        for (const auto& d : t.host.devices) EXPECT_TRUE(d.origins & origin_tree);
        EXPECT_EQ(t.count(Diagnostic::Level::warning, "conflict"), 0u) << t.diags();
        std::printf("  %s: %zu devices, %zu root bus(es)\n", e.path().filename().c_str(),
                    t.host.devices.size(), t.host.tree_root_buses.size());
    }
    EXPECT_GE(files, 5u); // 2 hosts: lspci-t.txt, full report, raw mails
}
