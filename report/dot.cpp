#include "report/dot.hpp"

#include "model/ingest.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace il::report {

std::string dot_quote(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\\')
            out += "\\\\";
        else if (c == '&')
            out += "&amp;";
        else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            continue;
        else
            out += c;
    }
    out += '"';
    return out;
}

std::optional<std::string> find_graphviz_dot() {
    auto executable = [](const fs::path& p) {
        std::error_code ec;
        return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
    };
    if (const char* e = std::getenv("IOMMU_LINT_DOT"); e && *e) {
        if (executable(e)) return std::string(e);
        return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    std::string_view pv = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t i = 0;
    while (i <= pv.size()) {
        auto j = pv.find(':', i);
        if (j == std::string_view::npos) j = pv.size();
        std::string dir(pv.substr(i, j - i));
        if (dir.empty()) dir = ".";
        const fs::path cand = fs::path(dir) / "dot";
        if (executable(cand)) return cand.string();
        i = j + 1;
    }
    return std::nullopt;
}

namespace {

struct TempFile {
    std::string path;
    explicit TempFile(const char* tag) {
        std::string tpl =
            (fs::temp_directory_path() / (std::string("iommu-lint-") + tag + "-XXXXXX")).string();
        std::vector<char> buf(tpl.begin(), tpl.end());
        buf.push_back('\0');
        const int fd = ::mkstemp(buf.data());
        if (fd >= 0) {
            ::close(fd);
            path = buf.data();
        }
    }
    ~TempFile() {
        if (!path.empty()) std::remove(path.c_str());
    }
};

} // namespace

SvgResult dot_to_svg(const std::string& dot_text) {
    SvgResult r;
    auto exe = find_graphviz_dot();
    if (!exe) {
        r.error =
            std::getenv("IOMMU_LINT_DOT")
                ? std::string("IOMMU_LINT_DOT does not name an executable file")
                : std::string(
                      "Graphviz `dot` not found on PATH (install the Debian package graphviz, "
                      "or set IOMMU_LINT_DOT)");
        return r;
    }
    TempFile in("dot"), out("svg"), err("err");
    if (in.path.empty() || out.path.empty() || err.path.empty()) {
        r.error = "cannot create temporary files for Graphviz";
        return r;
    }
    {
        std::ofstream f(in.path, std::ios::binary);
        f << dot_text;
        if (!f) {
            r.error = "cannot write " + in.path;
            return r;
        }
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err.path.c_str(), O_WRONLY | O_TRUNC, 0600);
    std::string a_t = "-Tsvg", a_o = "-o" + out.path;
    std::vector<char*> argv = {const_cast<char*>(exe->c_str()), a_t.data(), a_o.data(),
                               const_cast<char*>(in.path.c_str()), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, exe->c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        r.error = "cannot run " + *exe + ": " + std::strerror(rc);
        return r;
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) {
            r.error = "waiting for Graphviz failed";
            return r;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            r.error = "Graphviz `dot` took longer than 60 s; stopped";
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string e = model::read_file(err.path).value_or(std::string());
        if (e.size() > 2000) e.resize(2000);
        r.error = *exe + " failed" + (e.empty() ? std::string() : ": " + e);
        return r;
    }
    r.svg = model::read_file(out.path).value_or(std::string());
    r.ok = !r.svg.empty();
    if (!r.ok) r.error = *exe + " wrote no SVG";
    return r;
}

namespace {

std::string lower(std::string_view s) {
    std::string o(s);
    for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return o;
}

// Checks one tag's text (between '<' and '>'). False when it is active or refers outside.
bool tag_is_safe(std::string_view tag) {
    std::size_t i = 0;
    if (i < tag.size() && tag[i] == '/') ++i;
    std::size_t n = i;
    while (n < tag.size() && !std::isspace(static_cast<unsigned char>(tag[n])) && tag[n] != '/')
        ++n;
    const std::string name = lower(tag.substr(i, n - i));
    static const char* banned[] = {"script", "foreignobject", "iframe",  "object",
                                   "embed",  "image",         "use",     "a",
                                   "style",  "link",          "animate", "set"};
    for (auto b : banned)
        if (name == b) return false;
    // attributes
    i = n;
    while (i < tag.size()) {
        while (i < tag.size() &&
               (std::isspace(static_cast<unsigned char>(tag[i])) || tag[i] == '/'))
            ++i;
        std::size_t a = i;
        while (i < tag.size() && tag[i] != '=' && !std::isspace(static_cast<unsigned char>(tag[i])))
            ++i;
        const std::string attr = lower(tag.substr(a, i - a));
        std::string value;
        if (i < tag.size() && tag[i] == '=') {
            ++i;
            if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
                const char q = tag[i++];
                const auto e = tag.find(q, i);
                value = lower(
                    tag.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i));
                i = e == std::string_view::npos ? tag.size() : e + 1;
            } else {
                a = i;
                while (i < tag.size() && !std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
                value = lower(tag.substr(a, i - a));
            }
        }
        if (attr.rfind("on", 0) == 0 || attr.find("href") != std::string::npos) return false;
        if (value.find("url(") != std::string::npos ||
            value.find("javascript:") != std::string::npos)
            return false;
        if (attr.empty()) ++i;
    }
    return true;
}

void erase_attr(std::string& s, std::string_view attr) {
    for (std::size_t guard = 0; guard < 16; ++guard) {
        const auto p = s.find(attr);
        if (p == std::string::npos) return;
        const auto q1 = s.find('"', p + attr.size());
        const auto q2 = q1 == std::string::npos ? q1 : s.find('"', q1 + 1);
        if (q2 == std::string::npos) return;
        s.erase(p, q2 + 1 - p);
    }
}

} // namespace

std::string svg_for_inline(std::string_view svg) {
    const auto start = svg.find("<svg");
    const auto end = svg.rfind("</svg>");
    if (start == std::string_view::npos || end == std::string_view::npos || end < start) return {};
    std::string s(svg.substr(start, end + 6 - start));
    // comments
    for (std::size_t guard = 0; guard < 100000; ++guard) {
        const auto c = s.find("<!--");
        if (c == std::string::npos) break;
        const auto e = s.find("-->", c + 4);
        s.erase(c, e == std::string::npos ? std::string::npos : e + 3 - c);
    }
    // namespace declarations are implied for <svg> inside HTML
    const auto open_end = s.find('>');
    if (open_end == std::string::npos) return {};
    std::string head = s.substr(0, open_end);
    erase_attr(head, " xmlns:xlink=");
    erase_attr(head, " xmlns=");
    s = head + s.substr(open_end);
    // every tag must be inert and self-contained
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lt = s.find('<', i);
        if (lt == std::string::npos) break;
        if (s.compare(lt, 2, "<!") == 0 || s.compare(lt, 2, "<?") == 0) return {};
        std::size_t j = lt + 1;
        char quote = 0;
        while (j < s.size() && (quote || s[j] != '>')) {
            if (quote && s[j] == quote)
                quote = 0;
            else if (!quote && (s[j] == '"' || s[j] == '\''))
                quote = s[j];
            ++j;
        }
        if (j >= s.size()) return {};
        if (!tag_is_safe(std::string_view(s).substr(lt + 1, j - lt - 1))) return {};
        i = j + 1;
    }
    return s;
}

} // namespace il::report
