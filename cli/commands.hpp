// The subcommands, registered in one table (cli/main.cpp).
#pragma once

#include <string>
#include <vector>

namespace il::cli {

using Command = int (*)(const std::vector<std::string>& args);

struct CommandInfo {
    const char* name;
    Command run;
    const char* summary;
    const char* usage; // arguments and options (`iommu-lint COMMAND --help`)
};

int cmd_parse(const std::vector<std::string>& args);
int cmd_groups(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_diff(const std::vector<std::string>& args);
int cmd_lint(const std::vector<std::string>& args);
int cmd_tree(const std::vector<std::string>& args);
int cmd_board(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);

} // namespace il::cli
