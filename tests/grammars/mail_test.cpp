#include "grammars/common/mail.hpp"
#include "grammars/common/text.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

using il::text::decode_mail;
using il::text::DecodedLine;

namespace {

std::string joined(const std::vector<DecodedLine>& v) {
    std::string s;
    for (const auto& l : v) s += l.text + "\n";
    return s;
}

const DecodedLine* find_line(const std::vector<DecodedLine>& v, const std::string& text) {
    for (const auto& l : v)
        if (l.text == text) return &l;
    return nullptr;
}

} // namespace

TEST(Mail, PlainTextIsNotAMail) {
    EXPECT_FALSE(decode_mail("00:00.0 Host bridge: Intel Corporation Device 1234\n"));
    EXPECT_FALSE(decode_mail(""));
    // a Proxmox VM config is "key: value" lines too, but not mail headers
    EXPECT_FALSE(decode_mail("boot: order=scsi0\ncores: 4\nmemory: 8192\nname: vm\n\nx\n"));
    // two mail-like headers are not enough
    EXPECT_FALSE(decode_mail("Subject: hi\nDate: today\n\nbody\n"));
    // header lines without a body separator
    EXPECT_FALSE(decode_mail("From: a\nTo: b\nSubject: c\n"));
}

TEST(Mail, SevenBitBodyKeepsRawLineNumbers) {
    const char* m = "From: a@b\n"
                    "To: c@d\n"
                    "Subject: lspci\n"
                    "Message-ID: <1@x>\n"
                    "\n"
                    "Hello\n"
                    "00:00.0 Host bridge: Intel\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].text, "Hello");
    EXPECT_EQ((*r)[0].no, 6u);
    EXPECT_EQ((*r)[1].text, "00:00.0 Host bridge: Intel");
    EXPECT_EQ((*r)[1].no, 7u);
}

TEST(Mail, MboxFromLineAndFoldedHeaders) {
    const char* m = "From someone@example.org Mon Jan  1 00:00:00 2024\n"
                    "Received: from x\n"
                    "\tby y with SMTP\n"
                    "From: a@b\n"
                    "Subject: long\n"
                    " subject\n"
                    "Content-Type: text/plain;\n"
                    "\tcharset=us-ascii\n"
                    "\n"
                    "body\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].text, "body");
    EXPECT_EQ((*r)[0].no, 10u);
}

TEST(Mail, QuotedPrintableSoftBreaksAndBytes) {
    const char* m = "From: a@b\n"
                    "Subject: qp\n"
                    "Date: Sun, 25 Oct 2020 20:45:51 +0100\n"
                    "Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: quoted-printable\n"
                    "\n"
                    "IOMMU Group 40:\n"
                    " =C2=A0=C2=A0 08:01.0 PCI bridge [0604]: AS=\n"
                    "Media Technology Inc. Device [1b21:118f]\n"
                    "a=3Db=\n"
                    "\n"
                    "bad =ZZ stays\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 4u) << joined(*r);
    EXPECT_EQ((*r)[0].text, "IOMMU Group 40:");
    EXPECT_EQ((*r)[1].text,
              " \xc2\xa0\xc2\xa0 08:01.0 PCI bridge [0604]: ASMedia Technology Inc. Device "
              "[1b21:118f]");
    EXPECT_EQ((*r)[1].no, 8u); // where the joined line starts
    EXPECT_EQ((*r)[2].text, "a=b");
    EXPECT_EQ((*r)[2].no, 10u);
    EXPECT_EQ((*r)[3].text, "bad =ZZ stays");
    EXPECT_EQ((*r)[3].no, 12u);
}

TEST(Mail, QuotedPrintableEncodedLineFeeds) {
    const char* m = "From: a@b\n"
                    "Subject: qp\n"
                    "Date: x\n"
                    "Content-Transfer-Encoding: quoted-printable\n"
                    "\n"
                    "Hello,=0A=\n"
                    "=0A=\n"
                    "Li=\n"
                    "nux=0A=\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 3u) << joined(*r);
    EXPECT_EQ((*r)[0].text, "Hello,");
    EXPECT_EQ((*r)[1].text, "");
    EXPECT_EQ((*r)[2].text, "Linux");
    EXPECT_EQ((*r)[2].no, 8u);
}

TEST(Mail, FormatFlowedJoinsSoftBreaksPerQuoteDepth) {
    const char* m = "From: a@b\n"
                    "Subject: flowed\n"
                    "Date: x\n"
                    "Content-Type: text/plain; charset=utf-8; format=flowed\n"
                    "\n"
                    "This is one \n"
                    "sentence.\n"
                    " From stuffed\n"
                    "> quoted and \n"
                    "> flowed\n"
                    "> depth one \n"
                    ">> depth two\n"
                    "-- \n"
                    "sig\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    EXPECT_TRUE(find_line(*r, "This is one sentence.")) << joined(*r);
    EXPECT_EQ(find_line(*r, "This is one sentence.")->no, 6u);
    EXPECT_TRUE(find_line(*r, "From stuffed")) << joined(*r);
    EXPECT_TRUE(find_line(*r, "> quoted and flowed")) << joined(*r);
    // a soft break does not cross into another quote depth
    EXPECT_TRUE(find_line(*r, "> depth one ")) << joined(*r);
    EXPECT_TRUE(find_line(*r, ">> depth two")) << joined(*r);
    EXPECT_TRUE(find_line(*r, "-- ")) << joined(*r);
    EXPECT_TRUE(find_line(*r, "sig")) << joined(*r);
}

TEST(Mail, FlowedDelSpRemovesTheSoftSpace) {
    const char* m = "From: a@b\nSubject: s\nDate: d\n"
                    "Content-Type: text/plain; format=flowed; delsp=yes\n\n"
                    "abc \ndef\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].text, "abcdef");
}

TEST(Mail, MultipartTextAndBase64Attachments) {
    // "IOMMU Group 1:\n\t00:01.0 PCI bridge [0604]: X [8086:1901]\n" in base64, wrapped
    const char* m = "Received: by x\n"
                    "From: a@b\n"
                    "Subject: groups\n"
                    "MIME-Version: 1.0\n"
                    "Content-Type: multipart/mixed; boundary=\"=_abc=\"\n"
                    "\n"
                    "This is a multi-part message in MIME format.\n"
                    "--=_abc=\n"
                    "Content-Type: multipart/alternative; boundary=alt\n"
                    "\n"
                    "--alt\n"
                    "Content-Type: text/plain; charset=us-ascii\n"
                    "\n"
                    "see attached\n"
                    "--alt\n"
                    "Content-Type: text/html; charset=us-ascii\n"
                    "\n"
                    "<div>see attached</div>\n"
                    "--alt--\n"
                    "--=_abc=\n"
                    "Content-Type: chemical/x-gulp; name=\"iommu-groups.out\"\n"
                    "Content-Disposition: attachment; filename=\"iommu-groups.out\"\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "SU9NTVUgR3JvdXAgMToKCTAwOjAxLjAgUENJIGJyaWRnZSBbMDYwNF06IFggWzgwODY6MTkw\n"
                    "MV0K\n"
                    "--=_abc=\n"
                    "Content-Type: image/png\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "iVBORw0KGgo=\n"
                    "--=_abc=\n"
                    "Content-Type: application/octet-stream\n"
                    "Content-Transfer-Encoding: base64\n"
                    "\n"
                    "AAECAwQF\n" // binary bytes 00..05: not text
                    "--=_abc=--\n"
                    "epilogue\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    const std::string all = joined(*r);
    EXPECT_NE(all.find("see attached"), std::string::npos) << all;
    EXPECT_EQ(all.find("<div>"), std::string::npos) << all;
    EXPECT_EQ(all.find("multi-part message"), std::string::npos) << all;
    EXPECT_EQ(all.find("epilogue"), std::string::npos) << all;
    const auto* g = find_line(*r, "IOMMU Group 1:");
    ASSERT_TRUE(g) << all;
    EXPECT_EQ(g->no, 25u);
    const auto* d = find_line(*r, "\t00:01.0 PCI bridge [0604]: X [8086:1901]");
    ASSERT_TRUE(d) << all;
    // the second decoded line starts inside the first base64 line
    EXPECT_EQ(d->no, 25u);
    EXPECT_EQ(all.find('\x01'), std::string::npos);
}

TEST(Mail, Latin1CharsetBecomesUtf8) {
    std::string m = "From: a@b\nSubject: s\nDate: d\n"
                    "Content-Type: text/plain; charset=iso-8859-1\n"
                    "Content-Transfer-Encoding: quoted-printable\n\n"
                    "=A0=A000:00.0 Host bridge\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].text, "\xc2\xa0\xc2\xa0"
                            "00:00.0 Host bridge");
}

TEST(Mail, EightBitHeaderValues) {
    const char* m = "From: J\xc3\xbcrgen <j@x>\n"
                    "Subject: \xe2\x86\x92 lspci\n"
                    "Date: x\n"
                    "Content-Type: text/plain; charset=\"\xc3\xa9\"; name=\xff\n"
                    "\n"
                    "body \xc3\xa9\n";
    auto r = decode_mail(m);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].text, "body \xc3\xa9");
}

TEST(Mail, TextLayerUsesDecodedMail) {
    const char* m = "From: a@b\n"
                    "Subject: qp\n"
                    "Date: x\n"
                    "Content-Transfer-Encoding: quoted-printable\n"
                    "\n"
                    "> IOMMU Group 40:\n"
                    "> =C2=A0 08:01.0 PCI bridge [0604]: X\n";
    auto doc = il::text::load("m.eml", m);
    EXPECT_TRUE(doc.decoded_mail);
    ASSERT_EQ(doc.lines.size(), 2u);
    EXPECT_EQ(doc.lines[0].text, "IOMMU Group 40:");
    EXPECT_EQ(doc.lines[0].no, 6u);
    EXPECT_EQ(doc.lines[1].text, "  08:01.0 PCI bridge [0604]: X");
}

// ---- corpus ---------------------------------------------------------------------------------

TEST(MailCorpus, EveryRawMailDecodes) {
    IL_REQUIRE_SHARED();
    namespace fs = std::filesystem;
    int mails = 0;
    for (const auto& e : fs::recursive_directory_iterator(il::test::shared_dir() / "corpus")) {
        const auto name = e.path().filename().string();
        if (!e.is_regular_file() || name.size() < 8 || name.substr(name.size() - 8) != ".eml.txt")
            continue;
        ++mails;
        const std::string raw = il::test::read_file(e.path());
        auto r = decode_mail(raw);
        ASSERT_TRUE(r) << e.path();
        EXPECT_GT(r->size(), 3u) << e.path();
        // decoded bodies have no transfer encoding left and line numbers never go backwards
        std::uint32_t prev = 0;
        std::size_t headers = 0;
        for (const auto& l : *r) {
            EXPECT_GE(l.no, prev) << e.path() << ": " << l.text;
            prev = l.no;
            if (l.text.rfind("Content-Transfer-Encoding:", 0) == 0) ++headers;
        }
        EXPECT_EQ(headers, 0u) << e.path();
    }
    EXPECT_GE(mails, 20);
}

TEST(MailCorpus, Pn51AttachmentHoldsLspciWithCapabilities) {
    IL_REQUIRE_SHARED();
    const auto p = il::test::shared_dir() / "corpus/hosts/asus-pn51-e1/other-raw-email.eml.txt";
    auto r = decode_mail(il::test::read_file(p));
    ASSERT_TRUE(r);
    const std::regex header(R"(^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [^:]+: .+)");
    int headers = 0, caps = 0;
    for (const auto& l : *r) {
        if (std::regex_match(l.text, header)) ++headers;
        if (l.text.rfind("\tCapabilities: [", 0) == 0) ++caps;
    }
    EXPECT_GE(headers, 10);
    EXPECT_GE(caps, 50);
    // the base64 attachment starts well after the mail headers (line numbers are raw lines)
    bool found = false;
    for (const auto& l : *r)
        if (std::regex_match(l.text, header)) {
            EXPECT_GT(l.no, 4700u);
            found = true;
            break;
        }
    EXPECT_TRUE(found);
}

TEST(MailCorpus, BorisvFlowedQpMailUnwrapsTheGroupListing) {
    IL_REQUIRE_SHARED();
    const auto p =
        il::test::shared_dir() /
        "corpus/hosts/asus-x99-i7-5930k-borisv/other-raw-email-1-original-report.eml.txt";
    auto r = decode_mail(il::test::read_file(p));
    ASSERT_TRUE(r);
    bool joined_line = false;
    for (const auto& l : *r)
        if (l.text.find("08:01.0 PCI bridge [0604]: ASMedia Technology Inc. Device [1b21:118f]") !=
            std::string::npos)
            joined_line = true;
    EXPECT_TRUE(joined_line) << joined(*r).substr(0, 2000);
}

TEST(MailCorpus, X299AttachmentWithOddTypeDecodes) {
    IL_REQUIRE_SHARED();
    const auto p =
        il::test::shared_dir() / "corpus/hosts/asrock-x299-taichi-xe/other-raw-email.eml.txt";
    auto r = decode_mail(il::test::read_file(p));
    ASSERT_TRUE(r);
    int groups = 0;
    bool html = false;
    for (const auto& l : *r) {
        if (l.text.rfind("IOMMU Group ", 0) == 0) ++groups;
        if (l.text.find("<div") != std::string::npos) html = true;
    }
    EXPECT_GE(groups, 50); // the chemical/x-gulp "iommu-groups.out" attachment
    EXPECT_FALSE(html);
}
