#include "model/ingest.hpp"

#include "model/ingest_detail.hpp"
#include "model/json.hpp"

#include <algorithm>
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

std::string read_all(std::istream& in) {
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void ingest_document(Host& host, const FileInput& in) {
    const auto file = host.add_file(in.name);
    text::Document doc;
    try {
        doc = text::load(in.name, in.content);
    } catch (const text::InputError& e) {
        if (in.from_directory) {
            host.diagnostics.push_back({Diagnostic::Level::note, {file, 0},
                                        std::string("skipped: ") + e.what()});
            return;
        }
        throw IngestError(in.name + ": " + e.what());
    }
    text::Claims claims(doc.lines.size());
    detail::IngestContext cx{host, file, doc, claims};
    detail::ingest_listing(cx);
    detail::ingest_kernel_log(cx);
    detail::ingest_cmdline(cx);
    detail::ingest_proxmox(cx);
    detail::ingest_tree(cx);
    detail::ingest_lspci(cx);
    if (claims.claimed() == 0) {
        const bool empty = std::all_of(doc.lines.begin(), doc.lines.end(),
                                       [](const text::Line& l) { return l.text.empty(); });
        std::string why = empty ? "empty input" : "no recognisable content (expected lspci, "
                                                  "lspci -t/-x, IOMMU group listing, kernel log, "
                                                  "kernel command line or Proxmox VM config)";
        if (in.from_directory) {
            host.diagnostics.push_back({Diagnostic::Level::note, {file, 0}, "skipped: " + why});
            return;
        }
        throw IngestError(in.name + ":" + (empty ? "1" : "1") + ": " + why);
    }
}

} // namespace

Host ingest_host(std::string host_name, const std::vector<FileInput>& files) {
    Host host;
    host.name = std::move(host_name);
    host.files.emplace_back(); // index 0: no file
    for (const auto& f : files) ingest_document(host, f);
    host.sort_devices();
    return host;
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
            std::vector<fs::path> entries;
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file()) entries.push_back(e.path());
            std::sort(entries.begin(), entries.end(), file_order);
            std::vector<FileInput> files;
            for (const auto& e : entries) {
                std::ifstream in(e, std::ios::binary);
                std::string content = read_all(in);
                if (is_snapshot_json(content)) {
                    for (auto& h : snapshot_from_json_text(content, e.string()).hosts)
                        snap.hosts.push_back(std::move(h));
                    continue;
                }
                files.push_back({e.string(), std::move(content), true});
            }
            if (files.empty() && snap.hosts.empty())
                throw IngestError(a + ": directory holds no files");
            if (!files.empty()) {
                auto name = p.filename().string();
                if (name.empty() || name == ".") name = fs::absolute(p).parent_path().filename();
                Host h = ingest_host(name, files);
                if (h.devices.empty() && h.formats_seen.empty())
                    throw IngestError(a + ": no file in this directory holds a recognisable capture");
                snap.hosts.push_back(std::move(h));
            }
            continue;
        }
        std::ifstream in(p, std::ios::binary);
        if (!in) throw IngestError(a + ": cannot open: " + (ec ? ec.message() : "no such file"));
        std::string content = read_all(in);
        if (is_snapshot_json(content)) {
            for (auto& h : snapshot_from_json_text(content, a).hosts)
                snap.hosts.push_back(std::move(h));
            continue;
        }
        loose.push_back({a, std::move(content), false});
        if (loose_name.empty()) loose_name = p.stem().string();
    }
    if (!loose.empty()) snap.hosts.push_back(ingest_host(loose_name, loose));
    return snap;
}

} // namespace il::model
