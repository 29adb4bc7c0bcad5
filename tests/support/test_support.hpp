// Small helpers for tests: the shared corpus location, running the CLI, reading files.
#pragma once

#include <filesystem>
#include <string>

namespace il::test {

// ../shared next to the checkout (CI has it). Empty path when absent.
std::filesystem::path shared_dir();
// Skip the current test with a clear message when ../shared is missing.
#define IL_REQUIRE_SHARED()                                                                        \
    do {                                                                                           \
        if (::il::test::shared_dir().empty())                                                      \
            GTEST_SKIP() << "../shared (corpus/spec) is not present next to the checkout";         \
    } while (0)

std::filesystem::path source_dir();
std::string read_file(const std::filesystem::path& p);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs build/iommu-lint with the given shell-quoted argument string and optional stdin.
RunResult run_cli(const std::string& args, const std::string& stdin_text = {});

} // namespace il::test
