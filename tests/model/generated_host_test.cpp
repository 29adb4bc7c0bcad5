// The generated server host (bench/gen_lspci): the text and the hex dump of the same host
// must give the same facts, the companion files must agree with them, and pciutils itself
// must read the generated hex dump and print the generated text from it.
#include "bench/gen_lspci.hpp"

#include "model/ingest.hpp"
#include "model/topology.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace il::model;
namespace gen = il::bench;
namespace fs = std::filesystem;

namespace {

Host ingest(const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<FileInput> in;
    for (const auto& [name, text] : files) in.push_back({name, text, false});
    return ingest_host("generated", in);
}

const gen::GenHost& host_of(std::size_t n) {
    static std::map<std::size_t, gen::GenHost> cache;
    auto it = cache.find(n);
    if (it == cache.end()) {
        gen::LspciGenOptions opt;
        opt.functions = n;
        it = cache.emplace(n, gen::plan_host(opt)).first;
    }
    return it->second;
}

std::string text_of(std::size_t n) {
    return gen::lspci_text(host_of(n), gen::LspciGenOptions{n});
}

// The facts both a text record and a hex dump carry, one line per device. A virtual
// function's config space reads ffff for its ids (lspci names it after its PF): with
// `ids` false they are left out.
std::string facts(const Device& d, bool ids = true) {
    std::ostringstream o;
    auto opt = [&](const char* name, const auto& f) {
        o << ' ' << name << '=';
        if (f.known())
            o << +*f;
        else
            o << '?';
    };
    o << d.bdf.str();
    if (ids) {
        opt("vendor", d.vendor_id);
        opt("device", d.device_id);
    }
    opt("svendor", d.subsys_vendor_id);
    opt("sdevice", d.subsys_device_id);
    opt("class", d.class_code);
    opt("progif", d.prog_if);
    opt("rev", d.revision);
    opt("htype", d.header_type);
    if (d.buses.known())
        o << " buses=" << +d.buses->primary << '/' << +d.buses->secondary << '/'
          << +d.buses->subordinate;
    opt("caps_readable", d.caps_readable);
    opt("pcie", d.is_pcie);
    if (d.port_type.known()) o << " type=" << to_string(*d.port_type);
    opt("slot", d.slot_implemented);
    opt("acs", d.has_acs);
    if (d.acs.known()) o << " acs=" << d.acs->cap << '/' << d.acs->ctl;
    opt("flr", d.flr);
    opt("nosoftrst", d.no_soft_reset);
    opt("arifwd", d.ari_forwarding);
    if (d.link.known())
        o << " link=" << d.link->cap_speed_gts << 'x' << d.link->cap_width << '/'
          << d.link->sta_speed_gts << 'x' << d.link->sta_width << ' '
          << (d.link->dl_active ? (*d.link->dl_active ? "up" : "down") : "?");
    if (d.sriov.known())
        o << " sriov=" << d.sriov->num_vfs << '/' << d.sriov->total_vfs << '/' << d.sriov->enabled;
    o << " caps=";
    for (const auto& c : d.capabilities) o << c << ';';
    return o.str();
}

std::map<std::string, std::string> fact_map(const Host& h,
                                            const std::set<std::string>& no_ids = {}) {
    std::map<std::string, std::string> m;
    for (const auto& d : h.devices) m[d.bdf.str()] = facts(d, !no_ids.count(d.bdf.str()));
    return m;
}

// Groups as sets of addresses (the partition), ignoring numbering.
std::set<std::set<std::string>> partition(const Host& h, const il::sim::Grouping& g) {
    std::set<std::set<std::string>> out;
    for (const auto& grp : g.groups) {
        std::set<std::string> s;
        for (auto i : grp.members) s.insert(h.devices[i].bdf.str());
        out.insert(s);
    }
    return out;
}

std::set<std::set<std::string>> generated_partition(const gen::GenHost& h) {
    std::map<int, std::set<std::string>> by;
    char buf[32];
    for (const auto& f : h.functions) {
        std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%d", f.domain, f.bus, f.dev, f.fn);
        by[f.group].insert(buf);
    }
    std::set<std::set<std::string>> out;
    for (auto& [g, s] : by) out.insert(s);
    return out;
}

std::size_t count_level(const Host& h, Diagnostic::Level lvl) {
    std::size_t n = 0;
    for (const auto& d : h.diagnostics) n += d.level == lvl;
    return n;
}

std::string diagnostics(const Host& h) {
    std::string s;
    for (const auto& d : h.diagnostics)
        if (d.level != Diagnostic::Level::note) s += h.where(d.src) + ": " + d.message + "\n";
    return s;
}

} // namespace

TEST(GeneratedHost, PlanHasExactlyTheRequestedFunctionsInAddressOrder) {
    for (std::size_t n : {1u, 7u, 41u, 100u, 1000u, 2600u}) {
        const auto& h = host_of(n);
        ASSERT_EQ(h.functions.size(), n);
        for (std::size_t i = 1; i < h.functions.size(); ++i) {
            const auto& a = h.functions[i - 1];
            const auto& b = h.functions[i];
            EXPECT_LT(std::tie(a.domain, a.bus, a.dev, a.fn),
                      std::tie(b.domain, b.bus, b.dev, b.fn));
        }
        for (const auto& f : h.functions) EXPECT_GE(f.group, 0);
    }
    EXPECT_EQ(host_of(2600).domains, 3u); // bus numbers run out: more PCI domains
}

TEST(GeneratedHost, TextAndHexDumpGiveTheSameFacts) {
    const std::size_t n = 700; // every kind of stack (cheap switches in every 4th)
    const auto text = text_of(n);
    const auto hex = gen::lspci_hex(host_of(n));
    const Host from_text = ingest({{"lspci-vvv.txt", text}});
    const Host from_hex = ingest({{"lspci-xxxx.txt", hex}});
    EXPECT_EQ(from_text.devices.size(), n);
    EXPECT_EQ(from_hex.devices.size(), n);
    // the dump tells the virtual functions (ids ffff), and exactly the generated ones
    std::set<std::string> vfs, want_vfs;
    for (const auto& d : from_hex.devices)
        if (d.is_virtual_function.is(true)) {
            vfs.insert(d.bdf.str());
            EXPECT_FALSE(d.vendor_id.known()) << d.bdf.str();
        }
    char buf[32];
    for (const auto& f : host_of(n).functions)
        if (f.kind == gen::GenFunction::Kind::nic_vf) {
            std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%d", f.domain, f.bus, f.dev, f.fn);
            want_vfs.insert(buf);
        }
    EXPECT_FALSE(want_vfs.empty());
    EXPECT_EQ(vfs, want_vfs);
    const auto a = fact_map(from_text, vfs);
    const auto b = fact_map(from_hex, vfs);
    std::size_t differ = 0;
    for (const auto& [bdf, f] : a) {
        auto it = b.find(bdf);
        ASSERT_NE(it, b.end()) << bdf;
        if (f != it->second && ++differ <= 5)
            ADD_FAILURE() << "text: " << f << "\nhex:  " << it->second;
    }
    EXPECT_EQ(differ, 0u);
    EXPECT_EQ(count_level(from_text, Diagnostic::Level::warning), 0u) << diagnostics(from_text);
    EXPECT_EQ(count_level(from_hex, Diagnostic::Level::warning), 0u) << diagnostics(from_hex);

    // both read as the same host: the same groups, and those the generator printed
    for (const Host* h : {&from_text, &from_hex}) {
        const auto r = il::sim::simulate(*h, il::sim::policy_as_booted(*h));
        EXPECT_EQ(partition(*h, r.grouping), generated_partition(host_of(n)));
    }
}

TEST(GeneratedHost, TextAndHexTogetherAgree) {
    const std::size_t n = 300;
    const Host h =
        ingest({{"lspci-vvv.txt", text_of(n)}, {"lspci-xxxx.txt", gen::lspci_hex(host_of(n))}});
    EXPECT_EQ(h.devices.size(), n);
    EXPECT_EQ(count_level(h, Diagnostic::Level::warning), 0u) << diagnostics(h);
    EXPECT_EQ(count_level(h, Diagnostic::Level::error), 0u) << diagnostics(h);
    // the multifunction bit only the dump tells
    std::size_t mf = 0;
    for (const auto& d : h.devices) mf += d.multifunction_bit.is(true);
    std::size_t want = 0;
    for (const auto& f : host_of(n).functions) want += f.multifunction;
    EXPECT_EQ(mf, want);
}

TEST(GeneratedHost, CompanionFilesDescribeTheSameHost) {
    const std::size_t n = 1100; // two PCI domains
    const auto& g = host_of(n);
    ASSERT_EQ(g.domains, 2u);
    const Host h = ingest({{"lspci-vvv.txt", text_of(n)},
                           {"lspci-tvnn.txt", gen::lspci_tree(g)},
                           {"iommu-groups.txt", gen::iommu_listing(g)},
                           {"dmesg.txt", gen::kernel_log(g)},
                           {"cmdline.txt", gen::kernel_cmdline()},
                           {"101.conf", gen::proxmox_config(g, 101, 3)}});
    EXPECT_EQ(h.devices.size(), n);
    EXPECT_EQ(count_level(h, Diagnostic::Level::warning), 0u) << diagnostics(h);
    for (const char* f : {"lspci-vv", "lspci-t", "dmesg"}) {
        EXPECT_NE(std::find(h.formats_seen.begin(), h.formats_seen.end(), f), h.formats_seen.end())
            << f;
    }
    ASSERT_EQ(h.vms.size(), 1u);
    EXPECT_EQ(h.vms[0].hostpci.size(), 16u);
    EXPECT_TRUE(h.iommu.enabled.is(true));
    EXPECT_TRUE(h.iommu.interrupt_remapping.is(true));
    ASSERT_TRUE(h.kernel_version.known());
    EXPECT_EQ(*h.kernel_version, "6.1.0-18-amd64");
    // every device has its observed group, and they are the generator's
    for (const auto& f : g.functions) {
        const Device* d = h.find(Bdf{f.domain, f.bus, f.dev, f.fn});
        ASSERT_NE(d, nullptr);
        ASSERT_TRUE(d->observed_group.known()) << d->bdf.str();
        EXPECT_EQ(*d->observed_group, f.group) << d->bdf.str();
    }
}

// ---- pciutils reads what the generator writes

namespace {

struct Proc {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Proc run(const std::string& cmd, const fs::path& dir) {
    const auto out = dir / "out.txt", err = dir / "err.txt";
    const std::string full = cmd + " >" + out.string() + " 2>" + err.string();
    const int rc = std::system(full.c_str());
    Proc r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

std::string find_lspci() {
    for (const char* p : {"/usr/bin/lspci", "/usr/sbin/lspci", "/bin/lspci", "/sbin/lspci"})
        if (::access(p, X_OK) == 0) return p;
    return {};
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

bool starts(const std::string& s, const char* p) {
    return s.rfind(p, 0) == 0;
}

// Records by address ("0000:00:01.0" -> lines).
std::map<std::string, std::vector<std::string>> records(const std::string& text) {
    std::map<std::string, std::vector<std::string>> out;
    std::vector<std::string>* cur = nullptr;
    for (auto& l : lines_of(text)) {
        if (l.empty()) {
            cur = nullptr;
        } else if (l[0] != '\t' && l.find(' ') != std::string::npos) {
            cur = &out[l.substr(0, l.find(' '))];
            cur->push_back(l);
        } else if (cur) {
            cur->push_back(l);
        }
    }
    return out;
}

// What lspci prints from sysfs but cannot know from a dump: drop it from the generated text.
// (Region sizes come from sysfs; 3.9 prints above-4G prefetchable windows from sysfs as
// "[32-bit]" and from a dump with 16 digits and "[64-bit]"; closed windows from sysfs as
// "[disabled]" alone.)
std::vector<std::string> text_side(const std::vector<std::string>& rec) {
    std::vector<std::string> out;
    for (auto l : rec) {
        if (starts(l, "\tIOMMU group:") || starts(l, "\tNUMA node:") ||
            starts(l, "\tPhysical Slot:") || starts(l, "\tKernel driver in use:") ||
            starts(l, "\tKernel modules:") || l.find("[virtual]") != std::string::npos)
            continue;
        if (starts(l, "\tRegion ")) {
            if (auto p = l.find(" [size="); p != std::string::npos) l.erase(p);
        }
        const std::string pref = "\tPrefetchable memory behind bridge: ";
        if (starts(l, pref.c_str()) && l.find("[32-bit]") != std::string::npos) {
            unsigned long long lo = 0, hi = 0;
            char size[32] = {};
            if (std::sscanf(l.c_str() + pref.size(), "%llx-%llx [size=%31[^]]]", &lo, &hi, size) ==
                3) {
                char buf[128];
                std::snprintf(buf, sizeof buf, "%016llx-%016llx [size=%s] [64-bit]", lo, hi, size);
                l = pref + buf;
            }
        }
        out.push_back(l);
    }
    return out;
}

std::vector<std::string> dump_side(const std::vector<std::string>& rec) {
    std::vector<std::string> out;
    for (auto l : rec) {
        // the upper half of a 64-bit BAR, read as a BAR of its own from a dump
        if (starts(l, "\tRegion ") && l.find("<unassigned>") != std::string::npos) continue;
        if (l == "\tI/O behind bridge: f000-0fff [disabled] [16-bit]")
            l = "\tI/O behind bridge: [disabled] [16-bit]";
        if (l == "\tMemory behind bridge: fff00000-000fffff [disabled] [32-bit]")
            l = "\tMemory behind bridge: [disabled] [32-bit]";
        if (l == "\tPrefetchable memory behind bridge: 00000000fff00000-00000000000fffff "
                 "[disabled] [64-bit]")
            l = "\tPrefetchable memory behind bridge: [disabled] [64-bit]";
        out.push_back(l);
    }
    return out;
}

} // namespace

TEST(GeneratedHost, LspciReadsTheHexDumpAndPrintsTheGeneratedText) {
    const auto lspci = find_lspci();
    if (lspci.empty()) GTEST_SKIP() << "pciutils (lspci) is not installed";
    const std::size_t n = 1100;
    const auto& g = host_of(n);
    const auto dir = fs::temp_directory_path() / ("il-gen-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream(dir / "hex.txt", std::ios::binary) << gen::lspci_hex(g);
        std::ofstream(dir / "pci.ids", std::ios::binary) << gen::pci_ids();
    }
    // the generated names (not the machine's pci.ids or udev hwdb)
    const std::string base = lspci + " -O hwdb.disable=1 -i " + (dir / "pci.ids").string() +
                             " -F " + (dir / "hex.txt").string();
    const Proc r = run(base + " -vvv -nn -D", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const auto& l : lines_of(r.err)) // only the harmless libkmod note is allowed
        EXPECT_NE(l.find("libkmod"), std::string::npos) << "lspci: " << l;

    const auto want = records(text_of(n));
    const auto got = records(r.out);
    ASSERT_EQ(got.size(), want.size());
    std::size_t differ = 0;
    for (const auto& [bdf, rec] : want) {
        auto it = got.find(bdf);
        ASSERT_NE(it, got.end()) << bdf;
        auto a = text_side(rec);
        auto b = dump_side(it->second);
        if (rec[0].find("Virtual Function") != std::string::npos) {
            // a VF's ID registers read ffff (lspci names it from sysfs); and from sysfs it has
            // BARs, so lspci prints AtomicOps completer bits a dump does not show
            EXPECT_NE(b[0].find("[ffff:ffff]"), std::string::npos) << b[0];
            a.erase(a.begin());
            b.erase(b.begin());
            std::erase_if(a, [](const std::string& l) {
                return l.find("AtomicOpsCap") != std::string::npos;
            });
        }
        if (a != b && ++differ <= 3) {
            std::string msg;
            for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
                const auto& x = i < a.size() ? a[i] : std::string("<none>");
                const auto& y = i < b.size() ? b[i] : std::string("<none>");
                if (x != y) {
                    msg = "line " + std::to_string(i) + "\n generated: " + x + "\n lspci -F:  " + y;
                    break;
                }
            }
            ADD_FAILURE() << bdf << ": " << msg;
        }
    }
    EXPECT_EQ(differ, 0u);

    // the tree lspci builds from the dump's bridge registers is the generated one (VFs: names)
    const Proc t = run(base + " -tvnn", dir);
    ASSERT_EQ(t.status, 0) << t.err;
    auto tree_want = lines_of(gen::lspci_tree(g));
    auto tree_got = lines_of(t.out);
    ASSERT_EQ(tree_got.size(), tree_want.size());
    for (std::size_t i = 0; i < tree_want.size(); ++i) {
        if (tree_want[i].find("Virtual Function") != std::string::npos) continue;
        EXPECT_EQ(tree_got[i], tree_want[i]) << "tree line " << i + 1;
    }
    fs::remove_all(dir);
}
