#include "grammars/hexdump/hexdump.hpp"
#include "model/configspace.hpp"
#include "model/ingest_detail.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>

using namespace il::model;

namespace {

// Config space bytes written register by register (little-endian).
struct Cfg {
    std::vector<std::uint8_t> b;
    explicit Cfg(std::size_t n) : b(n, 0) {}
    Cfg& w8(std::size_t o, std::uint8_t v) {
        b.at(o) = v;
        return *this;
    }
    Cfg& w16(std::size_t o, std::uint16_t v) { return w8(o, v & 0xff).w8(o + 1, v >> 8); }
    Cfg& w32(std::size_t o, std::uint32_t v) {
        return w16(o, v & 0xffff).w16(o + 2, static_cast<std::uint16_t>(v >> 16));
    }
    // vendor/device, class, header type byte, status with the capability-list bit
    Cfg& header(std::uint16_t ven, std::uint16_t dev, std::uint16_t cls, std::uint8_t ht,
                std::uint8_t cap_ptr) {
        w16(0x00, ven).w16(0x02, dev).w8(0x0a, cls & 0xff).w8(0x0b, cls >> 8).w8(0x0e, ht);
        if (cap_ptr) w16(0x06, 0x0010).w8(0x34, cap_ptr);
        return *this;
    }
    // standard capability header
    Cfg& cap(std::size_t at, std::uint8_t id, std::uint8_t next) {
        return w8(at, id).w8(at + 1, next);
    }
    // extended capability header
    Cfg& ecap(std::size_t at, std::uint16_t id, std::uint8_t ver, std::size_t next) {
        return w32(at, static_cast<std::uint32_t>(next << 20) | (ver << 16) | id);
    }
    ConfigSpace cs() const { return ConfigSpace{b}; }
};

struct Ctx {
    Host host;
    il::text::Document doc;
    std::unique_ptr<il::text::Claims> claims;
    std::vector<std::uint8_t> shapes;
    std::unique_ptr<detail::IngestContext> cx;
    std::uint32_t file = 0;
    Ctx() {
        host.files.emplace_back();
        file = host.add_file("dump.txt");
        doc = il::text::load("dump.txt", "00:00.0 Host bridge: x\n00: 00\n");
        claims = std::make_unique<il::text::Claims>(doc.lines.size());
        shapes = detail::line_shapes(doc);
        cx = std::make_unique<detail::IngestContext>(
            detail::IngestContext{host, file, doc, *claims, shapes});
    }
    Device& dev(const char* bdf) { return host.get_or_add(*Bdf::parse(bdf), {file, 1}); }
    void apply(Device& d, const Cfg& c) { apply_config_space(*cx, d, c.cs(), {file, 2}); }
    bool has_diag(const std::string& needle, Diagnostic::Level lvl) const {
        return std::any_of(host.diagnostics.begin(), host.diagnostics.end(), [&](const auto& d) {
            return d.level == lvl && d.message.find(needle) != std::string::npos;
        });
    }
    std::string diags() const {
        std::string s;
        for (const auto& d : host.diagnostics) s += d.message + "\n";
        return s;
    }
};

} // namespace

TEST(ConfigSpace, BridgeHeaderAndMultifunctionBit) {
    Ctx t;
    Cfg c(256);
    c.header(0x8086, 0x244e, 0x0604, 0x81, 0).w8(0x08, 0xd5).w8(0x09, 0x01);
    c.w8(0x18, 0x00).w8(0x19, 0x02).w8(0x1a, 0x05);
    Device& d = t.dev("00:1e.0");
    t.apply(d, c);
    EXPECT_TRUE(d.vendor_id.is(0x8086));
    EXPECT_TRUE(d.device_id.is(0x244e));
    EXPECT_TRUE(d.revision.is(0xd5));
    EXPECT_TRUE(d.prog_if.is(0x01));
    EXPECT_TRUE(d.class_code.is(0x0604));
    EXPECT_TRUE(d.header_type.is(1));
    EXPECT_TRUE(d.multifunction_bit.is(true));
    EXPECT_TRUE(d.buses.is(BusRange{0, 2, 5}));
    EXPECT_EQ(d.buses.src.line, 2u);
    EXPECT_EQ(d.config_bytes, 256);
    EXPECT_TRUE(d.origins & origin_hex);
    // no capability list at all: readable, not PCIe, extended caps never walked
    EXPECT_TRUE(d.caps_readable.is(true));
    EXPECT_TRUE(d.is_pcie.is(false));
    EXPECT_TRUE(d.capabilities.empty());
    EXPECT_FALSE(d.has_acs.known());
    EXPECT_NE(std::find(t.host.formats_seen.begin(), t.host.formats_seen.end(), "lspci-x"),
              t.host.formats_seen.end());

    Cfg single(64);
    single.header(0x10ec, 0x8125, 0x0200, 0x00, 0);
    Device& nic = t.dev("03:00.0");
    t.apply(nic, single);
    EXPECT_TRUE(nic.multifunction_bit.is(false));
    EXPECT_TRUE(nic.header_type.is(0));
    EXPECT_FALSE(nic.buses.known());
}

TEST(ConfigSpace, RootPortWithAcsAerAndLink) {
    Ctx t;
    Cfg c(4096);
    c.header(0x8086, 0x2f02, 0x0604, 0x01, 0x40).w8(0x19, 1).w8(0x1a, 1);
    c.cap(0x40, 0x10, 0x80).w16(0x42, 0x0142); // Express v2, Root Port, Slot+
    c.w32(0x44, 0x10000000);                   // FLR bit: not meaningful for a root port
    c.w32(0x4c, (16 << 4) | 3);                // LnkCap 8GT/s x16
    c.w16(0x52, 0x0001);                       // LnkSta 2.5GT/s x0, DLActive-
    c.w16(0x68, 0x0020);                       // DevCtl2 ARIFwd+
    c.cap(0x80, 0x01, 0x00).w16(0x84, 0x0008); // PM, NoSoftRst+
    c.ecap(0x100, 0x0001, 2, 0x148);           // AER
    c.w32(0x104, (1u << 20) | (1u << 14)).w32(0x10c, (1u << 20) | (1u << 4));
    c.w32(0x110, 1u | (1u << 13));
    c.ecap(0x148, 0x000d, 1, 0); // ACS
    c.w16(0x14c, 0x001f).w16(0x14e, 0x001d).w32(0x150, 0x12345678);
    Device& d = t.dev("00:01.0");
    t.apply(d, c);

    EXPECT_TRUE(d.caps_readable.is(true));
    EXPECT_TRUE(d.is_pcie.is(true));
    EXPECT_TRUE(d.port_type.is(PortType::root_port));
    EXPECT_TRUE(d.slot_implemented.is(true));
    EXPECT_FALSE(d.flr.known());
    EXPECT_TRUE(d.ari_forwarding.is(true));
    EXPECT_TRUE(d.no_soft_reset.is(true));
    ASSERT_TRUE(d.link.known());
    EXPECT_EQ(d.link.value->cap_speed_gts, 8);
    EXPECT_EQ(d.link.value->cap_width, 16);
    EXPECT_EQ(d.link.value->sta_speed_gts, 2.5);
    EXPECT_EQ(d.link.value->sta_width, 0);
    EXPECT_EQ(d.link.value->dl_active, false);

    EXPECT_TRUE(d.has_acs.is(true));
    ASSERT_TRUE(d.acs.known());
    EXPECT_EQ(d.acs.value->cap, 0x1f);
    EXPECT_EQ(d.acs.value->ctl, 0x1d);
    EXPECT_TRUE(d.acs.value->ctl_known);
    EXPECT_EQ(d.acs.value->spt_ctl, 0x12345678u);
    EXPECT_EQ(d.acs.value->offset, 0x148);

    ASSERT_TRUE(d.aer.known());
    EXPECT_EQ(d.aer.value->uncorrectable, (std::vector<std::string>{"CmpltTO", "UnsupReq"}));
    EXPECT_EQ(d.aer.value->uncorrectable_fatal, (std::vector<std::string>{"UnsupReq"}));
    EXPECT_EQ(d.aer.value->correctable, (std::vector<std::string>{"RxErr", "AdvNonFatalErr"}));

    EXPECT_EQ(d.capabilities,
              (std::vector<std::string>{"Express", "Power Management", "Advanced Error Reporting",
                                        "Access Control Services"}));
    EXPECT_TRUE(t.host.diagnostics.empty()) << t.diags();
}

TEST(ConfigSpace, EndpointWithFlrSriovAndNoAcs) {
    Ctx t;
    Cfg c(4096);
    c.header(0x144d, 0xa808, 0x0108, 0x00, 0x40).w16(0x2c, 0x144d).w16(0x2e, 0xa801);
    c.cap(0x40, 0x01, 0x50);                                         // PM, NoSoftRst-
    c.cap(0x50, 0x13, 0x70).w8(0x53, 0x03);                          // AF: TP+ FLR+
    c.cap(0x70, 0x10, 0x00).w16(0x72, 0x0002).w32(0x74, 0x10008000); // Endpoint, FLReset+
    c.ecap(0x100, 0x0010, 1, 0);                                     // SR-IOV
    c.w16(0x108, 0x0001).w16(0x10e, 8).w16(0x110, 4);
    Device& d = t.dev("01:00.0");
    t.apply(d, c);

    EXPECT_TRUE(d.subsys_vendor_id.is(0x144d));
    EXPECT_TRUE(d.subsys_device_id.is(0xa801));
    EXPECT_TRUE(d.port_type.is(PortType::endpoint));
    EXPECT_TRUE(d.flr.is(true));
    EXPECT_TRUE(d.af_flr.is(true));
    EXPECT_TRUE(d.no_soft_reset.is(false));
    EXPECT_FALSE(d.slot_implemented.known()); // not a port
    EXPECT_FALSE(d.ari_forwarding.known());
    ASSERT_TRUE(d.sriov.known());
    EXPECT_EQ(d.sriov.value->total_vfs, 8);
    EXPECT_EQ(d.sriov.value->num_vfs, 4);
    EXPECT_TRUE(d.sriov.value->enabled);
    // the whole extended list was in the dump and had no ACS
    EXPECT_TRUE(d.has_acs.is(false));
    EXPECT_FALSE(d.acs.known());
    EXPECT_EQ(d.capabilities.back(), "Single Root I/O Virtualization (SR-IOV)");

    Cfg no_flr = c;
    no_flr.w32(0x74, 0x00008000);
    Device& e = t.dev("01:00.1");
    t.apply(e, no_flr);
    EXPECT_TRUE(e.flr.is(false));
}

TEST(ConfigSpace, LoopingChainsTerminate) {
    Ctx t;
    Cfg c(4096);
    c.header(0x1b21, 0x118f, 0x0604, 0x01, 0x40);
    c.cap(0x40, 0x10, 0x50).w16(0x42, 0x0062); // Express v2, Downstream Port
    c.cap(0x50, 0x05, 0x40);                   // MSI, back to 0x40
    c.ecap(0x100, 0x000b, 1, 0x110);
    c.ecap(0x110, 0x0018, 1, 0x100); // back to 0x100
    Device& d = t.dev("02:03.0");
    t.apply(d, c);
    EXPECT_EQ(d.capabilities,
              (std::vector<std::string>{"Express", "MSI", "Vendor Specific Information",
                                        "Latency Tolerance Reporting"}));
    EXPECT_TRUE(
        t.has_diag("capability list of 0000:02:03.0 loops at [40]", Diagnostic::Level::note))
        << t.diags();
    EXPECT_TRUE(t.has_diag("extended capability list of 0000:02:03.0 loops at [100]",
                           Diagnostic::Level::note))
        << t.diags();
    EXPECT_TRUE(d.has_acs.is(false));

    // a capability pointing at itself, and a broken chain (id ff)
    Ctx u;
    Cfg self(4096);
    self.header(0x8086, 0x1234, 0x0c03, 0x00, 0x40);
    self.cap(0x40, 0x10, 0x40).w16(0x42, 0x0002);
    self.ecap(0x100, 0x0001, 1, 0x100);
    Device& s = u.dev("00:14.0");
    u.apply(s, self);
    EXPECT_EQ(s.capabilities.size(), 2u);
    Cfg broken(256);
    broken.header(0x8086, 0x1235, 0x0c03, 0x00, 0x40).cap(0x40, 0xff, 0x48);
    Device& b = u.dev("00:14.2");
    u.apply(b, broken);
    EXPECT_TRUE(b.capabilities.empty());
    EXPECT_TRUE(b.is_pcie.is(false));
}

TEST(ConfigSpace, PointerBeyondTheDumpIsUnknown) {
    Ctx t;
    Cfg c(64); // non-root -x: the capability list starts after the dump
    c.header(0x10de, 0x2204, 0x0300, 0x80, 0x60);
    Device& d = t.dev("01:00.0");
    t.apply(d, c);
    EXPECT_TRUE(d.vendor_id.is(0x10de));
    EXPECT_TRUE(d.multifunction_bit.is(true));
    EXPECT_TRUE(d.caps_readable.is(false));
    EXPECT_FALSE(d.is_pcie.known());
    EXPECT_FALSE(d.has_acs.known());
    EXPECT_FALSE(d.port_type.known());
    EXPECT_TRUE(d.capabilities.empty());

    // the text record was taken as root: a short dump does not contradict it
    Ctx u;
    Device& e = u.dev("01:00.0");
    e.caps_readable.set(true, {u.file, 1});
    u.apply(e, c);
    EXPECT_TRUE(e.caps_readable.is(true));
    EXPECT_TRUE(u.host.diagnostics.empty()) << u.diags();

    // extended list continuing past a 512-byte dump
    Ctx w;
    Cfg part(512);
    part.header(0x8086, 0x2f02, 0x0604, 0x01, 0x40).cap(0x40, 0x10, 0).w16(0x42, 0x0042);
    part.ecap(0x100, 0x0001, 1, 0x300);
    Device& p = w.dev("00:02.0");
    w.apply(p, part);
    EXPECT_FALSE(p.has_acs.known());
    EXPECT_TRUE(w.has_diag("past the end of the dump", Diagnostic::Level::note)) << w.diags();
}

TEST(ConfigSpace, DumpSizes64And256And4096) {
    for (std::size_t size : {64u, 256u, 4096u}) {
        Ctx t;
        Cfg c(size);
        c.header(0x1022, 0x1483, 0x0604, 0x01, 0x40).w8(0x19, 3).w8(0x1a, 3);
        if (size > 64) c.cap(0x40, 0x10, 0).w16(0x42, 0x0142);
        Device& d = t.dev("00:01.1");
        t.apply(d, c);
        SCOPED_TRACE(size);
        EXPECT_EQ(d.config_bytes, static_cast<int>(size));
        EXPECT_TRUE(d.buses.is(BusRange{0, 3, 3}));
        const bool note_given =
            t.has_diag("dump ends at 0x100: extended capabilities (ACS, AER) unknown; capture "
                       "with lspci -xxxx",
                       Diagnostic::Level::note);
        if (size == 64) {
            EXPECT_TRUE(d.caps_readable.is(false));
            EXPECT_FALSE(d.is_pcie.known());
            EXPECT_FALSE(d.has_acs.known());
            EXPECT_FALSE(note_given);
        } else if (size == 256) {
            EXPECT_TRUE(d.is_pcie.is(true));
            EXPECT_FALSE(d.has_acs.known());
            EXPECT_TRUE(note_given) << t.diags();
        } else {
            EXPECT_TRUE(d.is_pcie.is(true));
            EXPECT_TRUE(d.has_acs.is(false)); // 0x100 holds 0: no extended capabilities
            EXPECT_FALSE(note_given);
        }
    }
}

TEST(ConfigSpace, CrossCheckWithTextFacts) {
    Ctx t;
    Device& d = t.dev("00:1c.0");
    d.vendor_id.set(0x1022, {t.file, 1}); // the text said AMD
    AcsInfo text_acs;
    text_acs.cap = 0x1f;
    text_acs.ctl = 0x00;
    text_acs.src = {t.file, 1};
    d.acs.set(text_acs, {t.file, 1});
    d.caps_readable.set(false, {t.file, 1}); // an earlier non-root capture

    Cfg c(4096);
    c.header(0x8086, 0xa110, 0x0604, 0x81, 0x40).cap(0x40, 0x10, 0).w16(0x42, 0x0142);
    c.ecap(0x100, 0x000d, 1, 0).w16(0x104, 0x001f).w16(0x106, 0x0001).w32(0x108, 0x0000001d);
    t.apply(d, c);

    EXPECT_TRUE(d.vendor_id.is(0x1022)); // the first value is kept
    EXPECT_TRUE(t.has_diag("conflict: vendor id of 0000:00:1c.0", Diagnostic::Level::warning))
        << t.diags();
    EXPECT_TRUE(t.has_diag("conflict: ACS control (ACSCtl) of 0000:00:1c.0 is 0x0000",
                           Diagnostic::Level::warning))
        << t.diags();
    EXPECT_FALSE(t.has_diag("ACS capability (ACSCap)", Diagnostic::Level::warning));
    // what only a dump shows is added: the SPT-style dword at ACS+8 and the offset
    EXPECT_EQ(d.acs.value->spt_ctl, 0x1du);
    EXPECT_EQ(d.acs.value->offset, 0x100);
    EXPECT_EQ(d.acs.value->ctl, 0x0000);
    // a full list beats "<access denied>" of another capture
    EXPECT_TRUE(d.caps_readable.is(true));
    EXPECT_TRUE(d.has_acs.is(true));
}

namespace {
struct DumpedDevice {
    Bdf bdf;
    ConfigSpace cs;
};
// A small reader of `lspci -xxxx` output for the test (the real one is ingest_lspci).
std::vector<DumpedDevice> read_dumps(const std::string& text) {
    std::vector<DumpedDevice> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (auto b = Bdf::parse(line.substr(0, line.find(' ')))) {
            out.push_back({*b, {}});
            continue;
        }
        if (out.empty() || !il::grammars::hexdump::looks_like_row(line)) continue;
        auto row = il::grammars::hexdump::parse_row(line);
        EXPECT_TRUE(row) << line;
        if (!row) continue;
        auto& bytes = out.back().cs.bytes;
        bytes.resize(std::max<std::size_t>(bytes.size(), row->offset + row->bytes.size()), 0xff);
        std::copy(row->bytes.begin(), row->bytes.end(), bytes.begin() + row->offset);
    }
    return out;
}
// "Capabilities: [xx] Name..." headers of one device in lspci -vv text.
std::vector<std::string> cap_headers(const std::string& text, const std::string& bdf) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    bool in_dev = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != ' ' && line[0] != '\t') in_dev = line.rfind(bdf, 0) == 0;
        const auto p = line.find("Capabilities: [");
        if (in_dev && p != std::string::npos) out.push_back(line.substr(line.find("] ", p) + 2));
    }
    return out;
}
} // namespace

// Real 4096-byte dumps (X99 root ports) decoded and compared with the same ports' -vvvv text.
TEST(ConfigSpace, CorpusX99RootPortDumps) {
    IL_REQUIRE_SHARED();
    const auto dir = il::test::shared_dir() / "corpus/hosts/asus-x99-i7-5930k-borisv";
    const auto dumps = read_dumps(il::test::read_file(dir / "lspci-x.txt"));
    // the -vv text is indented with non-breaking spaces: read it through the text layer
    const auto vv_doc = il::text::load("lspci-vv.txt", il::test::read_file(dir / "lspci-vv.txt"));
    std::string vv;
    for (const auto& l : vv_doc.lines) vv.append(l.text).append("\n");
    ASSERT_EQ(dumps.size(), 3u);
    Ctx t;
    for (const auto& dd : dumps) {
        EXPECT_EQ(dd.cs.size(), 4096u);
        Device& d = t.host.get_or_add(dd.bdf, {t.file, 1});
        apply_config_space(*t.cx, d, dd.cs, {t.file, 2});
        EXPECT_TRUE(d.is_pcie.is(true));
        EXPECT_TRUE(d.port_type.is(PortType::root_port));
        // every capability lspci printed, in the same order, under the same name
        const auto headers = cap_headers(vv, dd.bdf.str().substr(5));
        ASSERT_EQ(headers.size(), d.capabilities.size()) << dd.bdf.str();
        for (std::size_t i = 0; i < headers.size(); ++i)
            EXPECT_EQ(headers[i].rfind(d.capabilities[i], 0), 0u)
                << dd.bdf.str() << ": " << headers[i] << " vs " << d.capabilities[i];
    }
    const Device* p1 = t.host.find(*Bdf::parse("00:01.0"));
    ASSERT_TRUE(p1);
    EXPECT_TRUE(p1->multifunction_bit.is(true)); // header type byte 81
    EXPECT_TRUE(p1->buses.is(BusRange{0, 4, 4}));
    EXPECT_TRUE(p1->slot_implemented.is(true));
    EXPECT_TRUE(p1->has_acs.is(true));
    ASSERT_TRUE(p1->acs.known());
    EXPECT_EQ(p1->acs.value->offset, 0x110); // "Capabilities: [110 v1] Access Control Services"
    EXPECT_EQ(p1->acs.value->cap, 0x1f); // SrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+
    EXPECT_EQ(p1->acs.value->ctl, 0x1d); // SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+
    const Device* pch = t.host.find(*Bdf::parse("00:1c.4"));
    ASSERT_TRUE(pch);
    EXPECT_TRUE(pch->has_acs.is(false)); // the PCH port has no ACS capability (quirk only)
    EXPECT_TRUE(pch->slot_implemented.is(false));
}
