// iommu-lint board list|show|compare|import: the board corpus (corpus/boards/<name>/).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "model/archive.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"
#include "model/topology.hpp"
#include "report/board.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;
using nlohmann::json;

namespace il::cli {

namespace {

constexpr const char* k_usage =
    "board list [--chipset X] [--vendor Y] [--format text|json]\n"
    "       board show NAME [--format text|json]\n"
    "       board compare A B\n"
    "       board import INPUT... --name NAME [--vendor V] [--board B] [--chipset C] [--socket S]\n"
    "                    [--bios X] [--kernel K] [--source-corpus P] [--citation TEXT] [--url "
    "U]...\n"
    "                    [--note TEXT]... [--force]\n"
    "all take --boards DIR (default: $IOMMU_LINT_BOARDS, else ../corpus/boards next to the binary)";

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

fs::path exe_dir() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
}

// --boards, $IOMMU_LINT_BOARDS, build/iommu-lint -> ../corpus/boards, or an installed share dir.
fs::path boards_dir(const Args& a, bool must_exist = true) {
    if (auto d = a.get("boards")) {
        if (must_exist && !fs::is_directory(*d))
            throw UsageError("--boards: " + *d + " is not a directory");
        return *d;
    }
    if (const char* e = std::getenv("IOMMU_LINT_BOARDS"); e && *e) {
        if (must_exist && !fs::is_directory(e))
            throw UsageError(std::string("IOMMU_LINT_BOARDS: ") + e + " is not a directory");
        return e;
    }
    const auto base = exe_dir();
    for (const auto& cand :
         {base / ".." / "corpus" / "boards", base / ".." / "share" / "iommu-lint" / "boards"}) {
        std::error_code ec;
        if (fs::is_directory(cand, ec)) return fs::weakly_canonical(cand, ec);
    }
    throw UsageError(
        "no board corpus found next to the binary; give --boards DIR or set IOMMU_LINT_BOARDS");
}

report::Board load(const fs::path& dir, const std::string& name) {
    try {
        return report::load_board(dir, name);
    } catch (const model::IngestError&) {
        throw;
    } catch (const std::runtime_error& e) {
        std::string msg = e.what();
        if (msg.rfind("no board", 0) == 0) {
            // suggest a close name
            std::string best;
            std::size_t bd = 99;
            for (const auto& n : report::board_names(dir))
                if (auto d = edit_distance(name, n); d < bd) bd = d, best = n;
            if (bd <= 3) msg += " (did you mean '" + best + "'?)";
        }
        throw UsageError(msg);
    }
}

std::string check_format(const Args& a) {
    auto f = a.get("format").value_or("text");
    if (f != "text" && f != "json") throw UsageError("--format must be text or json");
    return f;
}

int board_list(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, {"boards", "chipset", "vendor", "format"}, {});
    if (!a.inputs.empty())
        throw UsageError("board list takes no NAME (filters: --chipset X, --vendor Y)");
    const auto fmt = check_format(a);
    const auto dir = boards_dir(a);
    const auto chip = a.get("chipset"), vend = a.get("vendor");
    std::vector<report::Board> boards;
    for (const auto& n : report::board_names(dir)) {
        auto b = load(dir, n);
        auto match = [](const std::optional<std::string>& field,
                        const std::optional<std::string>& want) {
            return !want || (field && lower(*field).find(lower(*want)) != std::string::npos);
        };
        if (!match(b.meta.chipset, chip) || !match(b.meta.vendor, vend)) continue;
        boards.push_back(std::move(b));
    }
    if (fmt == "json")
        std::cout << model::dump_json(report::board_list_json(boards)) << "\n";
    else
        report::board_list_text(std::cout, boards);
    return 0;
}

int board_show(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, {"boards", "format"}, {});
    if (a.inputs.size() != 1)
        throw UsageError("board show needs one NAME (see: iommu-lint board list)");
    const auto fmt = check_format(a);
    auto b = load(boards_dir(a), a.inputs[0]);
    model::Topology t(b.host);
    auto an = report::analyse_board(b, t);
    if (fmt == "json")
        std::cout << model::dump_json(report::board_show_json(b, t, an)) << "\n";
    else
        report::board_show_text(std::cout, b, t, an);
    return 0;
}

int board_compare(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, {"boards"}, {});
    if (a.inputs.size() != 2) throw UsageError("board compare needs two NAMEs");
    const auto dir = boards_dir(a);
    auto x = load(dir, a.inputs[0]);
    auto y = load(dir, a.inputs[1]);
    model::Topology tx(x.host), ty(y.host);
    auto ax = report::analyse_board(x, tx);
    auto ay = report::analyse_board(y, ty);
    report::board_compare_text(std::cout, x, tx, ax, y, ty, ay);
    return 0;
}

// ---- import ------------------------------------------------------------------------------

bool valid_name(const std::string& n) {
    if (n.empty() || n.size() > 80 || !std::isalnum(static_cast<unsigned char>(n[0]))) return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// Files that describe a recording but are not captures.
bool metadata_file(const std::string& base) {
    return base == "SOURCE.md" || base == "board.json" || base == "snapshot.json" ||
           base == "meta.json" || base == "topology.json";
}

std::string read_bytes(const fs::path& p) {
    auto bytes = model::read_file(p);
    if (!bytes) throw model::IngestError(p.string() + ": cannot open");
    return std::move(*bytes);
}

struct Gathered {
    std::vector<model::FileInput> files;
    json capture_info; // from an iommu-capture archive
};

void add_file(Gathered& g, std::string name, std::string content, bool lenient) {
    for (const auto& f : g.files)
        if (f.name == name)
            throw UsageError("two inputs are both named \"" + name + "\" in the record");
    g.files.push_back({std::move(name), std::move(content), lenient});
}

Gathered gather(const std::vector<std::string>& inputs) {
    Gathered g;
    for (const auto& in : inputs) {
        const fs::path p(in);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
                if (!e.is_regular_file() || metadata_file(e.path().filename().string())) continue;
                add_file(g, fs::relative(e.path(), p).generic_string(), read_bytes(e.path()), true);
            }
            continue;
        }
        std::string bytes = read_bytes(p);
        if (model::is_archive_name(in) || model::looks_like_archive(bytes)) {
            auto members = model::read_archive(bytes, in);
            // strip one common top-level folder (iommu-capture/)
            std::string top;
            bool common = !members.empty();
            for (const auto& m : members) {
                const auto slash = m.name.find('/');
                const std::string t =
                    slash == std::string::npos ? std::string() : m.name.substr(0, slash + 1);
                if (t.empty() || (!top.empty() && t != top)) common = false;
                if (top.empty()) top = t;
            }
            for (auto& m : members) {
                std::string name = common ? m.name.substr(top.size()) : m.name;
                const std::string base = fs::path(name).filename().string();
                if (base == "capture-info.json") {
                    try {
                        g.capture_info = json::parse(m.content);
                    } catch (const json::exception&) {
                        // a damaged info file only loses the DMI names
                    }
                    continue;
                }
                if (metadata_file(base)) continue;
                add_file(g, name, std::move(m.content), true);
            }
            continue;
        }
        add_file(g, p.filename().string(), std::move(bytes), false);
    }
    std::stable_sort(g.files.begin(), g.files.end(),
                     [](const model::FileInput& a, const model::FileInput& b) {
                         auto rank = [](const std::string& n) {
                             return fs::path(n).filename().string().rfind("other-", 0) == 0;
                         };
                         if (rank(a.name) != rank(b.name)) return rank(a.name) < rank(b.name);
                         return a.name < b.name;
                     });
    return g;
}

std::optional<std::string> info_string(const json& j, std::initializer_list<const char*> path) {
    const json* cur = &j;
    for (const char* k : path) {
        if (!cur->is_object() || !cur->contains(k)) return std::nullopt;
        cur = &cur->at(k);
    }
    if (!cur->is_string()) return std::nullopt;
    std::string s = cur->get<std::string>();
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    if (s.empty() || s == "Default string" || s == "To be filled by O.E.M.") return std::nullopt;
    return s;
}

int board_import(const std::vector<std::string>& argv) {
    auto a = parse_args(argv,
                        {"boards", "name", "vendor", "board", "chipset", "socket", "bios", "kernel",
                         "source-corpus", "citation", "url", "note"},
                        {"force"});
    if (a.inputs.empty())
        throw UsageError("board import needs INPUT (a directory, files or a capture archive)");
    const auto name = a.get("name");
    if (!name) throw UsageError("board import needs --name NAME (<vendor>-<board>, lower case)");
    if (!valid_name(*name))
        throw UsageError("--name: \"" + *name +
                         "\" must be lower case letters, digits, '-', '_' or '.'");
    const auto dir = boards_dir(a, false);
    const auto out = dir / *name;
    if (fs::exists(out / "board.json") && !a.has("force"))
        throw UsageError((out / "board.json").string() +
                         " exists (use --force to replace the record)");

    auto g = gather(a.inputs);
    if (g.files.empty()) throw UsageError("the inputs hold no capture files");
    model::Host host = model::ingest_host(*name, g.files);
    if (host.devices.empty())
        throw UsageError("the inputs hold no PCI devices: a board record needs an lspci dump (or a "
                         "kernel log that "
                         "lists the devices)");

    report::BoardMeta m;
    m.name = *name;
    const auto& ci = g.capture_info;
    m.vendor = a.get("vendor") ? a.get("vendor") : info_string(ci, {"dmi", "board_vendor"});
    m.board = a.get("board") ? a.get("board") : info_string(ci, {"dmi", "board_name"});
    m.chipset = a.get("chipset");
    m.socket = a.get("socket");
    if (a.get("bios")) {
        m.bios = a.get("bios");
    } else if (auto v = info_string(ci, {"dmi", "bios_version"})) {
        m.bios = *v;
        if (auto d = info_string(ci, {"dmi", "bios_date"})) *m.bios += " " + *d;
    }
    if (a.get("kernel"))
        m.kernel = a.get("kernel");
    else if (host.kernel_version.known())
        m.kernel = *host.kernel_version;
    else
        m.kernel = info_string(ci, {"kernel"});
    m.source_corpus = a.get("source-corpus");
    m.citation = a.get("citation");
    m.urls = a.all("url");
    m.notes = a.all("note");
    for (const auto& f : g.files) m.files.push_back(f.name);

    model::Snapshot snap;
    snap.hosts.push_back(std::move(host));
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw UsageError("cannot create " + out.string() + ": " + ec.message());
    auto write = [](const fs::path& p, const std::string& text) {
        std::ofstream f(p, std::ios::binary);
        f << text;
        f.close();
        if (!f) throw UsageError("cannot write " + p.string());
    };
    write(out / "snapshot.json", model::dump_json(model::to_json(snap), 1) + "\n");
    write(out / "board.json", model::dump_json(report::to_json(m)) + "\n");
    std::cout << "wrote " << (out / "board.json").string() << " and snapshot.json ("
              << snap.hosts[0].devices.size() << " PCI functions from " << g.files.size()
              << " file(s))\n";
    return 0;
}

} // namespace

int cmd_board(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << "usage: iommu-lint " << k_usage << "\n";
        return args.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const auto& sub = args[0];
    if (sub == "list") return board_list(rest);
    if (sub == "show") return board_show(rest);
    if (sub == "compare") return board_compare(rest);
    if (sub == "import") return board_import(rest);
    throw UsageError("unknown subcommand '" + sub + "'; usage: " + k_usage);
}

} // namespace il::cli
