#include "report/board.hpp"

#include "model/ingest.hpp"
#include "model/json.hpp"
#include "report/groups.hpp"
#include "sim/policy.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace fs = std::filesystem;
using nlohmann::json;

namespace il::report {

namespace {

json opt(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

std::optional<std::string> get_opt(const json& j, const char* key, const std::string& what) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    if (!j.at(key).is_string())
        throw std::runtime_error(what + ": \"" + key + "\" must be a string or null");
    return j.at(key).get<std::string>();
}

std::vector<std::string> get_list(const json& j, const char* key, const std::string& what) {
    std::vector<std::string> out;
    if (!j.contains(key) || j.at(key).is_null()) return out;
    if (!j.at(key).is_array())
        throw std::runtime_error(what + ": \"" + key + "\" must be a list of strings");
    for (const auto& e : j.at(key)) {
        if (!e.is_string())
            throw std::runtime_error(what + ": \"" + key + "\" must be a list of strings");
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::string read_text(const fs::path& p) {
    auto text = model::read_file(p);
    if (!text) throw std::runtime_error(p.string() + ": cannot open");
    return std::move(*text);
}

std::string short_bdf(const model::Bdf& b) {
    return b.domain ? b.str() : b.str().substr(5);
}

std::string dev_text(const model::Device& d) {
    std::string s = short_bdf(d.bdf);
    if (!d.class_name.empty()) s += " " + d.class_name;
    s += ": " + device_label(d);
    return s;
}

std::string or_unknown(const std::optional<std::string>& s) {
    return s ? *s : std::string("unknown");
}

std::optional<SlotUse> use_of(const model::Device& d) {
    const auto cls = class_of(d);
    if (!cls) return std::nullopt;
    const auto c = *cls;
    if ((c >> 8) == 0x03) return SlotUse::gpu;
    if (c == 0x0108) return SlotUse::nvme;
    if (c == 0x0104 || c == 0x0107 || c == 0x0c04 || c == 0x0106 || c == 0x0100)
        return SlotUse::hba;
    return std::nullopt;
}

std::string link_cap(const model::Device& d) {
    if (!d.link.known()) return {};
    const auto& l = *d.link;
    std::string s;
    if (l.cap_width > 0) s += "x" + std::to_string(l.cap_width);
    if (l.cap_speed_gts > 0) {
        char b[24];
        std::snprintf(b, sizeof b,
                      l.cap_speed_gts == static_cast<int>(l.cap_speed_gts) ? "%.0fGT/s"
                                                                           : "%.1fGT/s",
                      l.cap_speed_gts);
        s += (s.empty() ? "" : " ") + std::string(b);
    }
    return s;
}

std::string lint_counts(const linter::HostReport& r) {
    std::size_t e = 0, w = 0, n = 0;
    for (const auto& f : r.findings)
        (f.severity == linter::Severity::error     ? e
         : f.severity == linter::Severity::warning ? w
                                                   : n)++;
    return std::to_string(e) + " error(s), " + std::to_string(w) + " warning(s), " +
           std::to_string(n) + " note(s)";
}

// A finding's message, cut at a word before 200 characters.
std::string first_sentence(const std::string& m) {
    if (m.size() <= 200) return m;
    auto cut = m.rfind(' ', 196);
    if (cut == std::string::npos || cut < 100) cut = 196;
    return m.substr(0, cut) + " ...";
}

std::string tri_word(sim::Tri t) {
    return t == sim::Tri::yes ? "isolated" : t == sim::Tri::no ? "NOT isolated" : "unknown";
}

} // namespace

json to_json(const BoardMeta& m) {
    json j;
    j["iommu_lint_board"] = BoardMeta::format_version;
    j["name"] = m.name;
    j["vendor"] = opt(m.vendor);
    j["board"] = opt(m.board);
    j["chipset"] = opt(m.chipset);
    j["socket"] = opt(m.socket);
    j["bios"] = opt(m.bios);
    j["kernel"] = opt(m.kernel);
    j["source"] = {
        {"corpus", opt(m.source_corpus)}, {"citation", opt(m.citation)}, {"urls", m.urls}};
    j["files"] = m.files;
    j["notes"] = m.notes;
    return j;
}

BoardMeta board_meta_from_json(const json& j, const std::string& what) {
    if (!j.is_object() || !j.contains("iommu_lint_board"))
        throw std::runtime_error(what + ": not a board record (no \"iommu_lint_board\")");
    if (!j.at("iommu_lint_board").is_number_integer() ||
        j.at("iommu_lint_board").get<int>() != BoardMeta::format_version)
        throw std::runtime_error(what + ": unsupported board record version");
    BoardMeta m;
    if (!j.contains("name") || !j.at("name").is_string())
        throw std::runtime_error(what + ": \"name\" missing");
    m.name = j.at("name").get<std::string>();
    m.vendor = get_opt(j, "vendor", what);
    m.board = get_opt(j, "board", what);
    m.chipset = get_opt(j, "chipset", what);
    m.socket = get_opt(j, "socket", what);
    m.bios = get_opt(j, "bios", what);
    m.kernel = get_opt(j, "kernel", what);
    if (j.contains("source") && j.at("source").is_object()) {
        const auto& s = j.at("source");
        m.source_corpus = get_opt(s, "corpus", what);
        m.citation = get_opt(s, "citation", what);
        m.urls = get_list(s, "urls", what);
    }
    m.files = get_list(j, "files", what);
    m.notes = get_list(j, "notes", what);
    return m;
}

std::vector<std::string> board_names(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory() && fs::exists(e.path() / "board.json"))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

Board load_board(const fs::path& dir, const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
        throw std::runtime_error("\"" + name + "\" is not a board name");
    Board b;
    b.dir = dir / name;
    const auto meta_path = b.dir / "board.json";
    if (!fs::exists(meta_path))
        throw std::runtime_error("no board \"" + name + "\" in " + dir.string());
    json mj;
    try {
        mj = json::parse(read_text(meta_path));
    } catch (const json::exception& e) {
        throw std::runtime_error(meta_path.string() + ": " + e.what());
    }
    b.meta = board_meta_from_json(mj, meta_path.string());
    const auto snap_path = b.dir / "snapshot.json";
    auto snap = model::snapshot_from_json_text(read_text(snap_path), snap_path.string());
    if (snap.hosts.size() != 1)
        throw std::runtime_error(snap_path.string() + ": a board snapshot holds exactly one host");
    b.host = std::move(snap.hosts[0]);
    return b;
}

const std::vector<std::string>& override_modes() {
    static const std::vector<std::string> m = {"downstream", "multifunction",
                                               "downstream,multifunction"};
    return m;
}

std::string_view to_string(SlotUse u) {
    switch (u) {
    case SlotUse::gpu:
        return "GPU";
    case SlotUse::nvme:
        return "NVMe";
    case SlotUse::hba:
        return "HBA";
    }
    return "?";
}

sim::Policy shipped_policy(const Board& b) {
    std::optional<sim::KernelVersion> kv;
    if (!b.host.kernel_version.known() && b.meta.kernel)
        kv = sim::KernelVersion::parse(*b.meta.kernel);
    auto p = sim::policy_as_booted(b.host, kv);
    if (kv) p.kernel_origin = "board.json";
    return sim::with_override(p, {}, "as shipped (no override)");
}

BoardAnalysis analyse_board(const Board& b, const model::Topology& t) {
    const auto& h = b.host;
    BoardAnalysis a;
    a.shipped = sim::simulate(h, t, shipped_policy(b));
    {
        linter::LintOptions lo;
        if (!h.kernel_version.known() && b.meta.kernel)
            lo.kernel = sim::KernelVersion::parse(*b.meta.kernel);
        a.lint = linter::lint_host(h, lo, linter::Selection{});
    }
    for (const auto& mode : override_modes()) {
        ModeResult m;
        m.mode = mode;
        m.result = sim::simulate(h, t,
                                 sim::with_override(a.shipped.policy, sim::parse_acs_override(mode),
                                                    "pcie_acs_override=" + mode));
        for (const auto& s : override_splits(a.shipped, m.result)) {
            ++m.splits;
            if (!s.hardware_enforced) ++m.logical_only;
        }
        a.modes.push_back(std::move(m));
    }
    bool any_bridge_range = false;
    for (const auto& d : h.devices)
        if (d.buses.known()) any_bridge_range = true;
    a.topology_known = any_bridge_range && t.complete();
    if (!any_bridge_range)
        a.notes.push_back("the recording gives no bridge bus numbers (no lspci -vv, -x or -t): "
                          "slots cannot be judged");
    else if (!t.complete())
        a.notes.push_back("some bridges' bus numbers are unknown: slots below them are not judged");
    std::size_t untyped = 0;
    for (const auto& d : h.devices)
        if (d.is_bridge() && !d.port_type.known()) ++untyped;
    if (untyped)
        a.notes.push_back(
            std::to_string(untyped) +
            " bridge(s) without a known PCIe port type (no lspci -vv): not judged as slots");

    sim::AcsQuery acs(h, t, a.shipped.policy);
    for (std::size_t i = 0; i < h.devices.size(); ++i) {
        const auto role = role_of(h, t, i);
        if (role != Role::root_port && role != Role::switch_downstream) continue;
        const auto cb = t.child_bus(i);
        if (!cb) continue;
        const auto& d = h.devices[i];
        SlotCandidate c;
        c.port = i;
        c.lanes = lanes_below(h, t, i);
        c.capable = link_cap(d);
        const auto& below = t.bus(*cb).devices;
        if (d.physical_slot.known())
            c.slot = *d.physical_slot;
        else if (!below.empty() && h.devices[below.front()].physical_slot.known())
            c.slot = *h.devices[below.front()].physical_slot; // lspci names the slot on its device
        std::optional<SlotUse> use;
        if (below.empty()) {
            if (d.link.known() && d.link.value->dl_active.value_or(false))
                continue; // link up, device not recorded
            c.empty = true;
            c.contents = "empty";
        } else {
            const auto& first = h.devices[below.front()];
            if (first.is_bridge()) continue; // a switch or bridge: its own ports are judged
            use = use_of(first);
            if (!use) continue; // holds something else
            c.contents = "holds " + dev_text(first);
        }
        // every bridge from the port up must isolate (pci_acs_path_enabled up to the root)
        std::vector<std::size_t> path{i};
        for (auto b : t.bridges_above(i)) path.push_back(b);
        c.isolated = sim::Tri::yes;
        for (auto b : path) {
            const auto& v = acs(b);
            if (v.isolated == sim::Tri::yes) continue;
            if (c.isolated == sim::Tri::yes || v.isolated == sim::Tri::no) {
                c.why = short_bdf(h.devices[b].bdf) + ": " + v.why;
                if (v.isolated == sim::Tri::no) {
                    c.isolated = sim::Tri::no;
                    break;
                }
                c.isolated = sim::Tri::unknown;
            }
        }
        if (c.isolated == sim::Tri::yes) c.why = "ACS on the whole path to the root";
        if (c.empty) {
            a.gpu.push_back(c);
            a.nvme.push_back(c);
            a.hba.push_back(c);
        } else if (*use == SlotUse::gpu) {
            a.gpu.push_back(c);
        } else if (*use == SlotUse::nvme) {
            a.nvme.push_back(c);
        } else {
            a.hba.push_back(c);
        }
    }
    auto rank = [](sim::Tri t) { return t == sim::Tri::yes ? 0 : t == sim::Tri::unknown ? 1 : 2; };
    for (auto* v : {&a.gpu, &a.nvme, &a.hba})
        std::stable_sort(v->begin(), v->end(), [&](const SlotCandidate& x, const SlotCandidate& y) {
            if (rank(x.isolated) != rank(y.isolated)) return rank(x.isolated) < rank(y.isolated);
            if (x.empty != y.empty) return !x.empty; // occupied by that kind first: proven
            return x.port < y.port;
        });
    return a;
}

namespace {

std::string title(const BoardMeta& m) {
    std::string s;
    if (m.vendor) s += *m.vendor;
    if (m.board) s += (s.empty() ? "" : " ") + *m.board;
    return s.empty() ? m.name : s;
}

std::size_t isolated_count(const std::vector<SlotCandidate>& v) {
    return static_cast<std::size_t>(std::count_if(
        v.begin(), v.end(), [](const SlotCandidate& c) { return c.isolated == sim::Tri::yes; }));
}

std::string candidate_line(const model::Host& h, const SlotCandidate& c) {
    const auto& d = h.devices[c.port];
    std::string s =
        short_bdf(d.bdf) + " " +
        (d.port_type.is(model::PortType::root_port) ? "root port" : "switch downstream port");
    if (c.slot) s += ", slot " + *c.slot;
    if (c.lanes != Lanes::unknown && c.lanes != Lanes::integrated)
        s += ", " + std::string(to_string(c.lanes));
    if (!c.capable.empty()) s += ", capable " + c.capable;
    s += ": " + c.contents + " -- " + tri_word(c.isolated);
    if (c.isolated != sim::Tri::yes && !c.why.empty()) s += " (" + c.why + ")";
    return s;
}

json candidate_json(const model::Host& h, const SlotCandidate& c) {
    const auto& d = h.devices[c.port];
    return {{"port", d.bdf.str()},
            {"slot", opt(c.slot)},
            {"lanes", std::string(to_string(c.lanes))},
            {"capable", c.capable.empty() ? json(nullptr) : json(c.capable)},
            {"empty", c.empty},
            {"contents", c.contents},
            {"isolated", std::string(sim::to_string(c.isolated))},
            {"why", c.why}};
}

void groups_block(std::ostream& os, const model::Host& h, const sim::SimResult& r) {
    for (const auto& g : r.grouping.groups) {
        os << "    group " << g.id << (g.certain ? "" : " ?") << ":";
        if (g.members.size() == 1) {
            os << " " << dev_text(h.devices[g.members[0]]) << "\n";
            continue;
        }
        os << "\n";
        for (auto m : g.members) os << "      " << dev_text(h.devices[m]) << "\n";
    }
}

} // namespace

void board_list_text(std::ostream& os, const std::vector<Board>& boards) {
    std::size_t w = 4;
    for (const auto& b : boards) w = std::max(w, b.meta.name.size());
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-34s  %-30s  %-10s  %5s  %6s\n", static_cast<int>(w),
                  "NAME", "BOARD", "CHIPSET", "SOCKET", "FUNCS", "GROUPS");
    os << line;
    for (const auto& b : boards) {
        std::string bt = title(b.meta), ch = or_unknown(b.meta.chipset),
                    so = or_unknown(b.meta.socket);
        if (bt.size() > 34) bt = bt.substr(0, 31) + "...";
        if (ch.size() > 30) ch = ch.substr(0, 27) + "...";
        if (so.size() > 10) so = so.substr(0, 10);
        model::Topology t(b.host);
        const auto groups = sim::simulate(b.host, t, shipped_policy(b)).grouping.groups.size();
        std::snprintf(line, sizeof line, "%-*s  %-34s  %-30s  %-10s  %5zu  %6zu\n",
                      static_cast<int>(w), b.meta.name.c_str(), bt.c_str(), ch.c_str(), so.c_str(),
                      b.host.devices.size(), groups);
        os << line;
    }
    os << boards.size() << " board(s)\n";
}

json board_list_json(const std::vector<Board>& boards) {
    json out = json::array();
    for (const auto& b : boards) {
        json j = to_json(b.meta);
        j["functions"] = b.host.devices.size();
        model::Topology t(b.host);
        j["groups_as_shipped"] = sim::simulate(b.host, t, shipped_policy(b)).grouping.groups.size();
        out.push_back(j);
    }
    return out;
}

void board_show_text(std::ostream& os, const Board& b, const model::Topology& t,
                     const BoardAnalysis& a) {
    const auto& m = b.meta;
    const auto& h = b.host;
    os << "board " << m.name << ": " << title(m) << "\n";
    os << "  chipset: " << or_unknown(m.chipset) << "; socket: " << or_unknown(m.socket)
       << "; BIOS: " << or_unknown(m.bios) << "; kernel: " << or_unknown(m.kernel) << "\n";
    if (m.source_corpus) os << "  source: " << *m.source_corpus << "\n";
    if (m.citation) os << "  cited: " << *m.citation << "\n";
    for (const auto& u : m.urls) os << "  url: " << u << "\n";
    os << "  recorded: " << h.devices.size() << " PCI functions from";
    for (const auto& f : m.files) os << " " << f;
    os << "\n";
    for (const auto& n : m.notes) os << "  note: " << n << "\n";
    os << "\ngroups as shipped (" << a.shipped.policy.describe()
       << "): " << a.shipped.grouping.groups.size() << " groups\n";
    groups_block(os, h, a.shipped);
    os << "\nwith pcie_acs_override:\n";
    for (const auto& mr : a.modes) {
        os << "  " << mr.mode << ": " << mr.result.grouping.groups.size() << " groups";
        if (mr.splits == 0)
            os << " (splits nothing)\n";
        else
            os << " (" << mr.splits << " group(s) split, " << mr.logical_only
               << " of them only logically: the hardware does not enforce it)\n";
        for (const auto& s : override_splits(a.shipped, mr.result)) {
            os << "    group " << s.before->id << " ->";
            for (const auto* g : s.after) {
                os << " {";
                for (std::size_t k = 0; k < g->members.size(); ++k)
                    os << (k ? " " : "") << short_bdf(h.devices[g->members[k]].bdf);
                os << "}";
            }
            os << (s.hardware_enforced ? "  hardware ACS" : "  logical only") << "\n";
        }
    }
    os << "\nisolated slots as shipped (a root or downstream port whose path up has ACS; empty, or "
          "holding that "
          "kind):\n";
    for (const auto& n : a.notes) os << "  " << n << "\n";
    for (auto [use, list] :
         {std::pair{SlotUse::gpu, &a.gpu}, {SlotUse::nvme, &a.nvme}, {SlotUse::hba, &a.hba}}) {
        os << "  " << to_string(use) << ": " << isolated_count(*list) << " isolated of "
           << list->size() << " candidate port(s)\n";
        for (const auto& c : *list) os << "    " << candidate_line(h, c) << "\n";
    }
    os << "\nlint (the recording as booted): " << lint_counts(a.lint) << "\n";
    for (auto sev : {linter::Severity::error, linter::Severity::warning, linter::Severity::note})
        for (const auto& f : a.lint.findings)
            if (f.severity == sev)
                os << "  " << linter::to_string(sev) << " " << f.code << " " << f.rule_name << ": "
                   << first_sentence(f.message) << "\n";
    if (!a.lint.findings.empty())
        os << "  (in full: iommu-lint lint " << (b.dir / "snapshot.json").string() << ")\n";
    (void)t;
}

json board_show_json(const Board& b, const model::Topology& t, const BoardAnalysis& a) {
    (void)t;
    const auto& h = b.host;
    json j = to_json(b.meta);
    j["functions"] = h.devices.size();
    auto groups = [&](const sim::SimResult& r) {
        json gs = json::array();
        for (const auto& g : r.grouping.groups) {
            json devs = json::array();
            for (auto m : g.members) devs.push_back(h.devices[m].bdf.str());
            gs.push_back(
                {{"id", g.id}, {"devices", devs}, {"certain", g.certain}, {"reason", g.reason}});
        }
        return gs;
    };
    j["shipped"] = {{"policy", a.shipped.policy.describe()}, {"groups", groups(a.shipped)}};
    j["overrides"] = json::array();
    for (const auto& mr : a.modes)
        j["overrides"].push_back({{"mode", mr.mode},
                                  {"groups", groups(mr.result)},
                                  {"splits", mr.splits},
                                  {"logical_only", mr.logical_only}});
    json slots;
    for (auto [use, list] :
         {std::pair{SlotUse::gpu, &a.gpu}, {SlotUse::nvme, &a.nvme}, {SlotUse::hba, &a.hba}}) {
        json l = json::array();
        for (const auto& c : *list) l.push_back(candidate_json(h, c));
        slots[std::string(to_string(use))] = l;
    }
    j["slots"] = slots;
    j["topology_known"] = a.topology_known;
    j["notes"] = a.notes;
    json lint = json::array();
    for (const auto& f : a.lint.findings) {
        json devs = json::array();
        for (const auto& d : f.devices) devs.push_back(d.str());
        lint.push_back({{"code", f.code},
                        {"rule", f.rule_name},
                        {"severity", std::string(linter::to_string(f.severity))},
                        {"message", f.message},
                        {"devices", devs}});
    }
    j["lint"] = lint;
    return j;
}

void board_compare_text(std::ostream& os, const Board& a, const model::Topology& ta,
                        const BoardAnalysis& aa, const Board& b, const model::Topology& tb,
                        const BoardAnalysis& ab) {
    (void)ta;
    (void)tb;
    constexpr int k_label = 26, k_col = 44;
    auto cut = [](std::string s) {
        if (s.size() > static_cast<std::size_t>(k_col)) s = s.substr(0, k_col - 3) + "...";
        return s;
    };
    auto row = [&](const std::string& label, const std::string& l, const std::string& r) {
        char line[512];
        std::snprintf(line, sizeof line, "%-*s %-*s %s\n", k_label, label.c_str(), k_col,
                      cut(l).c_str(), cut(r).c_str());
        os << line;
    };
    row("", a.meta.name, b.meta.name);
    row("board", title(a.meta), title(b.meta));
    row("chipset", or_unknown(a.meta.chipset), or_unknown(b.meta.chipset));
    row("socket", or_unknown(a.meta.socket), or_unknown(b.meta.socket));
    row("BIOS", or_unknown(a.meta.bios), or_unknown(b.meta.bios));
    row("kernel", or_unknown(a.meta.kernel), or_unknown(b.meta.kernel));
    row("PCI functions", std::to_string(a.host.devices.size()),
        std::to_string(b.host.devices.size()));
    row("groups as shipped", std::to_string(aa.shipped.grouping.groups.size()),
        std::to_string(ab.shipped.grouping.groups.size()));
    for (std::size_t i = 0; i < aa.modes.size() && i < ab.modes.size(); ++i) {
        auto cell = [](const ModeResult& m) {
            return std::to_string(m.result.grouping.groups.size()) + " (" +
                   std::to_string(m.logical_only) + " logical-only split(s))";
        };
        row("override " + aa.modes[i].mode, cell(aa.modes[i]), cell(ab.modes[i]));
    }
    row("lint findings", lint_counts(aa.lint), lint_counts(ab.lint));
    for (auto use : {SlotUse::gpu, SlotUse::nvme, SlotUse::hba}) {
        auto& la = use == SlotUse::gpu ? aa.gpu : use == SlotUse::nvme ? aa.nvme : aa.hba;
        auto& lb = use == SlotUse::gpu ? ab.gpu : use == SlotUse::nvme ? ab.nvme : ab.hba;
        auto cell = [](const std::vector<SlotCandidate>& l, const BoardAnalysis& an) {
            if (!an.topology_known && l.empty()) return std::string("unknown (no topology)");
            return std::to_string(isolated_count(l)) + " of " + std::to_string(l.size()) +
                   " port(s)";
        };
        row(std::string("isolated ") + std::string(to_string(use)) + " slots", cell(la, aa),
            cell(lb, ab));
        const std::size_t n = std::max(la.size(), lb.size());
        for (std::size_t k = 0; k < n; ++k) {
            auto brief = [](const Board& bd, const std::vector<SlotCandidate>& l, std::size_t k) {
                if (k >= l.size()) return std::string();
                const auto& c = l[k];
                std::string s = short_bdf(bd.host.devices[c.port].bdf) + " " +
                                (c.isolated == sim::Tri::yes  ? "isolated"
                                 : c.isolated == sim::Tri::no ? "shared"
                                                              : "?");
                if (c.lanes == Lanes::chipset) s += ", chipset";
                if (c.lanes == Lanes::cpu) s += ", CPU";
                if (!c.capable.empty()) s += ", " + c.capable;
                s += c.empty ? ", empty" : ", in use";
                return s;
            };
            row("", brief(a, la, k), brief(b, lb, k));
        }
    }
}

} // namespace il::report
