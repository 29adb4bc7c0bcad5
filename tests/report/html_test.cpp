// report/html: escaping of untrusted input, the page's parts, and a real browser (Debian's
// chromium, headless) rendering it without network access.
#include "report/dot.hpp"
#include "report/html.hpp"
#include "sim/policy.hpp"
#include "support/host_builder.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;
using namespace il;
using model::PortType;

namespace {

// A host whose input text is hostile: names with markup, quotes and broken UTF-8.
model::Host hostile_host() {
    test::HostBuilder b;
    b.host.name = "evil<host>";
    b.host.files = {"", "lspci \"<x>\".txt"};
    auto& rp = b.pcie("00:01.0", 0x8086, 0x1901, PortType::root_port, 0x5f, 0x1d);
    rp.description = "Root <script>alert(1)</script>";
    test::HostBuilder::bridge(rp, 1, 1);
    auto& gpu = b.pcie("01:00.0", 0x10de, 0x1b80, PortType::endpoint);
    gpu.class_code.set(0x0300, {1, 2});
    gpu.class_name = "VGA compatible controller";
    gpu.description = "GPU <img src=x onerror=alert(2)> & 'quoted' \xff\xfe";
    auto& plain = b.pcie("00:1d.0", 0x8086, 0x1234, PortType::root_port);
    test::HostBuilder::bridge(plain, 2, 2);
    b.pcie("02:00.0", 0x8086, 0x10d3, PortType::endpoint);
    b.pcie("02:00.1", 0x8086, 0x10d3, PortType::endpoint);
    model::VmConfig vm; // passes one function of the two-function NIC through
    vm.name = "100<vm>.conf";
    model::HostPci hp;
    hp.bdfs = {*model::Bdf::parse("02:00.0")};
    hp.bdf = hp.bdfs[0];
    hp.host = "02:00.0";
    vm.hostpci.push_back(hp);
    b.host.vms.push_back(vm);
    b.host.diagnostics.push_back(
        {model::Diagnostic::Level::warning, {1, 7}, "conflict: <b>bold</b> claim"});
    b.host.cmdline.set("quiet intel_iommu=on \"<c>\"", {1, 3});
    return b.build();
}

std::string page_for(const model::Host& h, bool svg) {
    report::HtmlInput in;
    in.hosts.push_back({&h, sim::policy_as_booted(h)});
    in.tool_version = "iommu-lint test";
    in.render_svg = svg;
    return report::html_report(in);
}

std::optional<std::string> find_chromium() {
    if (const char* e = std::getenv("IOMMU_LINT_CHROMIUM"); e && *e) return std::string(e);
    for (const char* n : {"chromium", "chromium-browser", "google-chrome"}) {
        const char* path = std::getenv("PATH");
        std::string pv = path ? path : "/usr/bin:/bin";
        std::size_t i = 0;
        while (i <= pv.size()) {
            auto j = pv.find(':', i);
            if (j == std::string::npos) j = pv.size();
            const fs::path cand = fs::path(pv.substr(i, j - i)) / n;
            if (fs::exists(cand)) return cand.string();
            i = j + 1;
        }
    }
    return std::nullopt;
}

struct TempDir {
    fs::path dir;
    TempDir() {
        char tpl[] = "/tmp/il_html_XXXXXX";
        dir = mkdtemp(tpl);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

} // namespace

TEST(Html, Escape) {
    EXPECT_EQ(report::html_escape("<a href=\"x\">&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    EXPECT_EQ(report::html_escape("ok\x01\x1b[31m"), "ok[31m");
    EXPECT_EQ(report::html_escape("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(report::html_escape("bad\xff"), "bad\xef\xbf\xbd");
    EXPECT_EQ(report::html_escape("cut\xe2\x82"), "cut\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(Html, UntrustedTextIsEscapedEverywhere) {
    const auto h = hostile_host();
    for (bool svg : {false, true}) {
        if (svg && !report::find_graphviz_dot()) continue;
        const auto page = page_for(h, svg);
        SCOPED_TRACE(svg ? "with svg" : "without svg");
        EXPECT_EQ(page.find("<script"), std::string::npos);
        EXPECT_EQ(page.find("<img"), std::string::npos);
        EXPECT_EQ(page.find("<b>bold"), std::string::npos);
        EXPECT_EQ(page.find("<host>"), std::string::npos);
        EXPECT_EQ(page.find("\xff"), std::string::npos);
        EXPECT_NE(page.find("Root &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
        EXPECT_NE(page.find("GPU &lt;img src=x onerror=alert(2)&gt; &amp; &#39;quoted&#39;"),
                  std::string::npos);
        EXPECT_NE(page.find("evil&lt;host&gt;"), std::string::npos);
        EXPECT_NE(page.find("conflict: &lt;b&gt;bold&lt;/b&gt; claim"), std::string::npos);
        // nothing refers outside the page
        EXPECT_EQ(page.find("http://"), std::string::npos);
        EXPECT_EQ(page.find("https://"), std::string::npos);
        EXPECT_FALSE(std::regex_search(
            page, std::regex("(src|href)\\s*=\\s*\"?[a-z]+:", std::regex::icase)));
        EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
    }
}

TEST(Html, SectionsOfThePage) {
    const auto h = hostile_host();
    const auto page = page_for(h, report::find_graphviz_dot().has_value());
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("<h2>Host evil&lt;host&gt;</h2>"), std::string::npos);
    EXPECT_NE(page.find("Groups as booted"), std::string::npos);
    for (const char* mode : {"downstream", "multifunction", "downstream,multifunction"})
        EXPECT_NE(page.find(std::string("data-mode=\"") + mode + "\""), std::string::npos) << mode;
    // the NICs behind the ACS-less root port: split only logically by the override
    EXPECT_NE(page.find("logical only"), std::string::npos);
    EXPECT_NE(page.find("What the inputs leave open"), std::string::npos);
    // findings: linked to their rule pages (relative), with the rule's one-line summary
    EXPECT_NE(page.find("<h3 id=\"h-evil-host--findings\">Findings</h3>"), std::string::npos);
    EXPECT_NE(page.find("<tr class=\"finding sev-"), std::string::npos);
    EXPECT_TRUE(std::regex_search(
        page, std::regex("<a href=\"docs/rules/IL[0-9]{3}\\.md\">IL[0-9]{3}</a>")));
    // one function of the two-function NIC is passed: the group is not viable, the card split
    {
        std::string codes;
        const std::regex code_re("data-code=\"(IL[0-9]+)\"");
        for (auto it = std::sregex_iterator(page.begin(), page.end(), code_re);
             it != std::sregex_iterator(); ++it)
            codes += (*it)[1].str() + " ";
        EXPECT_NE(codes.find("IL103"), std::string::npos) << "group not viable; found: " << codes;
    }
    EXPECT_NE(page.find("100&lt;vm&gt;.conf"), std::string::npos);
    EXPECT_NE(page.find("Ingest diagnostics"), std::string::npos);
    if (report::find_graphviz_dot()) {
        EXPECT_NE(page.find("<div class=\"picture\"><svg"), std::string::npos);
        EXPECT_EQ(page.find("<!DOCTYPE svg"), std::string::npos);
    } else {
        EXPECT_NE(page.find("No drawing"), std::string::npos);
    }
    // one table row per group
    std::size_t rows = 0;
    for (auto p = page.find("<tr class=\"group"); p != std::string::npos;
         p = page.find("<tr class=\"group", p + 1))
        ++rows;
    EXPECT_EQ(rows, 3u); // {00:01.0} {01:00.0} {00:1d.0 02:00.0 02:00.1}
}

TEST(Html, RendersInHeadlessChromiumWithoutNetwork) {
    const auto chromium = find_chromium();
    if (!chromium)
        GTEST_SKIP() << "chromium is not installed (Debian: apt-get install chromium); the browser "
                        "check is skipped";
    TempDir tmp;
    const auto report = tmp.dir / "report.html";
    const auto capture = test::source_dir() / "corpus/boards/qemu-workstation";
    auto r = test::run_cli("report " + capture.string() + " --passthrough 02:00.0 -o " +
                           report.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto page = test::read_file(report);
    ASSERT_NE(page.find("<svg"), std::string::npos) << "Graphviz is needed for the picture";

    // no network at all: every host name resolves to nothing; the page must still be complete
    const std::string common =
        "timeout 180 " + *chromium +
        " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
        " --disable-component-update --disable-sync --disable-extensions"
        " --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir=" +
        (tmp.dir / "profile").string();
    const auto dom = tmp.dir / "dom.html";
    const auto netlog = tmp.dir / "net.json";
    std::string cmd = common + " --log-net-log=" + netlog.string() + " --dump-dom file://" +
                      report.string() + " >" + dom.string() + " 2>" +
                      (tmp.dir / "err1.txt").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << test::read_file(tmp.dir / "err1.txt");
    const auto d = test::read_file(dom);
    EXPECT_NE(d.find("<h2>Host qemu-workstation</h2>"), std::string::npos) << d.substr(0, 500);
    EXPECT_NE(d.find("<svg"), std::string::npos);
    for (const char* g : {"data-group=\"0\"", "data-group=\"1\"", "data-group=\"8\""})
        EXPECT_NE(d.find(g), std::string::npos) << g;
    EXPECT_NE(d.find("data-mode=\"downstream,multifunction\""), std::string::npos);
    EXPECT_NE(d.find("passthrough"), std::string::npos);
    EXPECT_NE(d.find(">Findings</h3>"), std::string::npos);
    EXPECT_NE(d.find("Self-contained page"), std::string::npos); // rendered to the end

    // the browser's net log: nothing but the file itself (Chromium's own background calls to
    // Google services are not the page's and are ignored)
    const auto log = test::read_file(netlog);
    std::regex url("\"url\":\"((https?|wss?|ftp)://[^\"/]+)");
    for (auto it = std::sregex_iterator(log.begin(), log.end(), url); it != std::sregex_iterator();
         ++it) {
        const std::string origin = (*it)[1];
        const bool chromium_own = std::regex_search(
            origin, std::regex("(google\\.com|googleapis\\.com|gstatic\\.com|gvt1\\.com)$"));
        EXPECT_TRUE(chromium_own) << "the page made a request to " << origin;
    }

    // a screenshot (looked at by hand when the page changes; here: it exists and is a PNG)
    const auto png = tmp.dir / "report.png";
    cmd = common + " --window-size=1400,2600 --screenshot=" + png.string() + " file://" +
          report.string() + " >" + (tmp.dir / "out2.txt").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << test::read_file(tmp.dir / "out2.txt");
    const auto bytes = test::read_file(png);
    ASSERT_GT(bytes.size(), 20000u);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    // IOMMU_LINT_KEEP_SCREENSHOT=FILE keeps it for a look
    if (const char* keep = std::getenv("IOMMU_LINT_KEEP_SCREENSHOT"); keep && *keep)
        fs::copy_file(png, keep, fs::copy_options::overwrite_existing);
}
