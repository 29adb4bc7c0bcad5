// Every registered rule has its page docs/rules/<CODE>.md, in the common shape, and the index
// lists it.
#include "linter/registry.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace il::linter {
namespace {

TEST(LintDocs, EveryRuleHasItsPage) {
    const auto dir = test::source_dir() / "docs" / "rules";
    const auto index = test::read_file(dir / "README.md");
    ASSERT_FALSE(index.empty()) << "docs/rules/README.md is missing";
    for (const auto* r : all_rules()) {
        const std::string code(r->code());
        const auto page = dir / (code + ".md");
        ASSERT_TRUE(std::filesystem::exists(page)) << "no page for " << code;
        const auto text = test::read_file(page);
        EXPECT_EQ(text.rfind("# " + code + " " + std::string(r->name()), 0), 0u)
            << code << ": the page must start with \"# " << code << " " << r->name() << "\"";
        for (const char* h : {"## What it checks", "## Why it matters", "## Example input",
                              "## Example output", "## Fix", "## Known limits"})
            EXPECT_NE(text.find(h), std::string::npos) << code << " lacks \"" << h << "\"";
        EXPECT_NE(index.find("[" + code + "](" + code + ".md)"), std::string::npos)
            << "docs/rules/README.md does not link " << code;
    }
}

TEST(LintDocs, NoPageWithoutRule) {
    const auto dir = test::source_dir() / "docs" / "rules";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const auto stem = e.path().stem().string();
        if (e.path().extension() != ".md" || stem == "README") continue;
        EXPECT_NE(find_rule(stem), nullptr) << e.path() << " documents no registered rule";
    }
}

} // namespace
} // namespace il::linter
