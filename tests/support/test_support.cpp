#include "support/test_support.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace il::test {

std::filesystem::path shared_dir() {
    std::filesystem::path p = IL_SHARED_DIR;
    if (std::filesystem::is_directory(p / "corpus")) return p;
    return {};
}

std::filesystem::path source_dir() { return IL_SOURCE_DIR; }

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult run_cli(const std::string& args, const std::string& stdin_text) {
    char in_tpl[] = "/tmp/il_test_inXXXXXX";
    char out_tpl[] = "/tmp/il_test_outXXXXXX";
    char err_tpl[] = "/tmp/il_test_errXXXXXX";
    int fi = mkstemp(in_tpl), fo = mkstemp(out_tpl), fe = mkstemp(err_tpl);
    if (fi < 0 || fo < 0 || fe < 0) return {};
    if (!stdin_text.empty()) {
        auto n = write(fi, stdin_text.data(), stdin_text.size());
        (void)n;
    }
    close(fi);
    close(fo);
    close(fe);
    std::string cmd = std::string(IL_BINARY) + " " + args + " <" + in_tpl + " >" + out_tpl +
                      " 2>" + err_tpl;
    int st = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = read_file(out_tpl);
    r.err = read_file(err_tpl);
    std::remove(in_tpl);
    std::remove(out_tpl);
    std::remove(err_tpl);
    return r;
}

} // namespace il::test
