#include "model/ingest.hpp"

#include "grammars/groups/groups.hpp"
#include "grammars/hexdump/hexdump.hpp"
#include "model/archive.hpp"
#include "model/ingest_detail.hpp"
#include "model/json.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace fs = std::filesystem;

namespace il::model {
namespace detail {

void IngestContext::seen_format(const std::string& f) const {
    auto& v = host.formats_seen;
    if (std::find(v.begin(), v.end(), f) == v.end()) v.push_back(f);
}

std::vector<KernelParam> split_cmdline(std::string_view line, Source src) {
    std::vector<KernelParam> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        std::string tok;
        bool quoted = false;
        while (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
            if (line[i] == '"')
                quoted = !quoted;
            else
                tok.push_back(line[i]);
            ++i;
        }
        KernelParam p;
        p.src = src;
        if (auto eq = tok.find('='); eq != std::string::npos) {
            p.key = tok.substr(0, eq);
            p.value = tok.substr(eq + 1);
        } else {
            p.key = tok;
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::uint8_t> line_shapes(const text::Document& doc) {
    std::vector<std::uint8_t> out(doc.lines.size(), 0);
    for (std::size_t i = 0; i < doc.lines.size(); ++i) {
        const auto& l = doc.lines[i];
        const auto body = l.body();
        if (body.empty()) {
            out[i] = shape_blank;
            continue;
        }
        std::uint8_t s = 0;
        const char c0 = body.front();
        if (c0 >= '0' && c0 <= '9') s |= shape_digit_led;
        if (c0 == '-') s |= shape_tree_head;
        if (grammars::groups::may_open_listing(c0)) s |= shape_listing;
        const char first = l.text.front();
        if ((first >= 'a' && first <= 'z') || first == '#') s |= shape_vm_config;
        if (std::memchr(body.data(), '=', body.size())) s |= shape_has_eq;
        if (grammars::hexdump::looks_like_row(body)) s |= shape_hex_row;
        out[i] = s;
    }
    return out;
}

} // namespace detail

namespace {

bool is_snapshot_json(std::string_view content) {
    auto first = content.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || content[first] != '{') return false;
    return content.find("\"iommu_lint_snapshot\"") != std::string_view::npos;
}

// Conventional capture files first, "other-*" files last, each group by name: the first
// value of a fact wins, so the main capture of a host decides over later extras.
bool file_order(const fs::path& a, const fs::path& b) {
    auto rank = [](const fs::path& p) {
        return p.filename().string().rfind("other-", 0) == 0 ? 1 : 0;
    };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return a.filename().string() < b.filename().string();
}

std::string read_all(std::istream& in, std::size_t expected = 0) {
    // in blocks (a character at a time costs more than parsing the text), into a buffer of
    // the file's size when it is known (no growth: a big capture is held once)
    std::string s;
    s.reserve(expected);
    text::prefer_huge_pages(s.data(), s.capacity());
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        s.append(buf, static_cast<std::size_t>(in.gcount()));
    return s;
}

// `content` is consumed: the document is cleaned in its buffer.
void ingest_document(Host& host, const FileInput& in, std::string content) {
    const auto file = host.add_file(in.name);
    text::Document doc;
    try {
        doc = text::load_owned(in.name, std::move(content));
    } catch (const text::InputError& e) {
        if (in.from_directory) {
            host.diagnostics.push_back(
                {Diagnostic::Level::note, {file, 0}, std::string("skipped: ") + e.what()});
            return;
        }
        throw IngestError(in.name + ": " + e.what());
    }
    text::Claims claims(doc.lines.size());
    const auto shapes = detail::line_shapes(doc);
    detail::IngestContext cx{host, file, doc, claims, shapes};
    detail::ingest_listing(cx);
    detail::ingest_kernel_log(cx);
    detail::ingest_cmdline(cx);
    detail::ingest_proxmox(cx);
    detail::ingest_tree(cx);
    detail::ingest_lspci(cx);
    if (claims.claimed() == 0) {
        const bool empty = std::all_of(doc.lines.begin(), doc.lines.end(),
                                       [](const text::Line& l) { return l.text.empty(); });
        std::string why = empty ? "empty input"
                                : "no recognisable content (expected lspci, "
                                  "lspci -t/-x, IOMMU group listing, kernel log, "
                                  "kernel command line or Proxmox VM config)";
        if (in.from_directory) {
            host.diagnostics.push_back({Diagnostic::Level::note, {file, 0}, "skipped: " + why});
            return;
        }
        throw IngestError(in.name + ":1: " + why);
    }
}

} // namespace

Host ingest_host(std::string host_name, const std::vector<FileInput>& files) {
    auto copy = files;
    return ingest_host(std::move(host_name), std::move(copy));
}

Host ingest_host(std::string host_name, std::vector<FileInput>&& files) {
    Host host;
    host.name = std::move(host_name);
    host.files.emplace_back(); // index 0: no file
    for (auto& f : files) {
        std::string content = std::move(f.content);
        f.content.clear();
        ingest_document(host, f, std::move(content));
    }
    host.sort_devices();
    return host;
}

namespace {

// The files of one host (a directory's or an archive's), in file_order. Snapshot JSON files
// among them are hosts of their own unless raw captures sit next to them: then the captures
// are read and the (derived) snapshot is skipped with a note, so a folder stays one host.
void add_host_files(Snapshot& snap, const std::string& arg, std::string name,
                    std::vector<std::pair<std::string, std::string>> entries) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return file_order(fs::path(a.first), fs::path(b.first));
    });
    std::vector<FileInput> files;
    std::vector<Host> snapshots;
    std::vector<std::string> snapshot_files;
    for (auto& [path, content] : entries) {
        if (is_snapshot_json(content)) {
            for (auto& h : snapshot_from_json_text(content, path).hosts)
                snapshots.push_back(std::move(h));
            snapshot_files.push_back(path);
            continue;
        }
        files.push_back({path, std::move(content), true});
    }
    if (files.empty() && snapshots.empty()) throw IngestError(arg + ": holds no files");
    if (!files.empty()) {
        Host h = ingest_host(std::move(name), std::move(files));
        if (!(h.devices.empty() && h.formats_seen.empty())) {
            for (const auto& f : snapshot_files)
                h.diagnostics.push_back(
                    {Diagnostic::Level::note,
                     {h.add_file(f), 0},
                     "skipped: snapshot JSON next to raw captures (the captures are read)"});
            snap.hosts.push_back(std::move(h));
            return;
        }
        if (snapshots.empty())
            throw IngestError(arg + ": no file in it holds a recognisable capture");
    }
    for (auto& h : snapshots) snap.hosts.push_back(std::move(h));
}

std::string archive_host_name(const fs::path& p) {
    std::string n = p.filename().string();
    for (std::string_view suf : {".tar.gz", ".tgz", ".tar", ".TAR.GZ", ".TGZ", ".TAR"})
        if (n.size() > suf.size() && n.compare(n.size() - suf.size(), suf.size(), suf) == 0) {
            n.resize(n.size() - suf.size());
            break;
        }
    return n.empty() ? std::string("archive") : n;
}

} // namespace

std::optional<std::string> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    return read_all(in, ec ? 0 : static_cast<std::size_t>(size));
}

Snapshot ingest_paths(const std::vector<std::string>& args) {
    Snapshot snap;
    std::vector<FileInput> loose;
    std::string loose_name;
    for (const auto& a : args) {
        if (a == "-") {
            loose.push_back({"<stdin>", read_all(std::cin), false});
            if (loose_name.empty()) loose_name = "stdin";
            continue;
        }
        fs::path p(a);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::pair<std::string, std::string>> entries;
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file())
                    entries.emplace_back(e.path().string(),
                                         read_file(e.path()).value_or(std::string()));
            if (entries.empty()) throw IngestError(a + ": directory holds no files");
            auto name = p.filename().string();
            if (name.empty() || name == ".") name = fs::absolute(p).parent_path().filename();
            add_host_files(snap, a, name, std::move(entries));
            continue;
        }
        auto read = read_file(p);
        if (!read) throw IngestError(a + ": cannot open: " + (ec ? ec.message() : "no such file"));
        std::string content = std::move(*read);
        if (is_snapshot_json(content)) {
            for (auto& h : snapshot_from_json_text(content, a).hosts)
                snap.hosts.push_back(std::move(h));
            continue;
        }
        // a capture archive (tools/iommu-capture.sh) is one host, its members like a folder's
        if (is_archive_name(a) || looks_like_archive(content)) {
            std::vector<std::pair<std::string, std::string>> entries;
            for (auto& m : read_archive(content, a))
                entries.emplace_back(a + "/" + m.name, std::move(m.content));
            if (entries.empty()) throw IngestError(a + ": archive holds no files");
            add_host_files(snap, a, archive_host_name(p), std::move(entries));
            continue;
        }
        loose.push_back({a, std::move(content), false});
        if (loose_name.empty()) loose_name = p.stem().string();
    }
    if (!loose.empty()) snap.hosts.push_back(ingest_host(loose_name, std::move(loose)));
    return snap;
}

} // namespace il::model
