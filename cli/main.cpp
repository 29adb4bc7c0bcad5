// iommu-lint: which IOMMU groups will this host really have, and what is going to bite me?
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "model/ingest.hpp"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

// The one list of subcommands.
const il::cli::CommandInfo k_commands[] = {
    {"parse", il::cli::cmd_parse, "read captures and print the host snapshot (text or JSON)",
     "INPUT... [--format text|json]"},
    {"groups", il::cli::cmd_groups, "simulate the kernel's IOMMU groups, with the reason for each",
     "INPUT... [--format text|json] [--acs-override MODES|none] [--kernel VERSION]\n"
     "       [--override-placement proxmox|end]\n"
     "  MODES: downstream, multifunction, id:vvvv:dddd (comma-separated), as on the kernel line"},
    {"explain", il::cli::cmd_explain, "show the grouping walk for one device (--device BDF)",
     "INPUT... --device BDF [--acs-override MODES|none] [--kernel VERSION]"},
    {"diff", il::cli::cmd_diff,
     "groups without and with --acs-override, and what each split rests on",
     "INPUT... --acs-override MODES [--format text|json] [--kernel VERSION]"},
    {"lint", il::cli::cmd_lint,
     "check hosts for passthrough risks (--format text|json|sarif|github)",
     "INPUT... [--format text|json|sarif|github] [--fail-on error|warning|note|never]\n"
     "       [--select CODES] [--ignore CODES] [--passthrough BDF|bb:dd]... [--baseline FILE]\n"
     "       [--write-baseline FILE] [--jobs N] [--kernel VERSION] [--acs-override MODES|none]\n"
     "       [--docs-base PREFIX]\n"
     "  each directory is a host of its own; exit 1 when a finding at or above --fail-on\n"
     "  (default: error) remains"},
    {"tree", il::cli::cmd_tree, "draw the topology: groups, lanes, links (text, dot, svg)",
     "INPUT... [--format text|dot|svg] [-o FILE] [--passthrough BDF|bb:dd]...\n"
     "       [--acs-override MODES|none] [--kernel VERSION]"},
    {"report", il::cli::cmd_report, "one self-contained HTML page of a host (-o FILE)",
     "INPUT... -o FILE.html|- [--passthrough BDF|bb:dd]... [--acs-override MODES|none]\n"
     "       [--kernel VERSION] [--docs-base PREFIX] [--no-svg]"},
    {"board", il::cli::cmd_board, "the board corpus: list, show, compare, import",
     "list [--chipset X] [--vendor Y] [--format text|json] [--boards DIR]\n"
     "       board show NAME [--format text|json]\n"
     "       board compare NAME NAME\n"
     "       board import INPUT... --name NAME [--board B --vendor V --chipset C --socket S\n"
     "                    --bios B --kernel K --source-corpus PATH --citation TEXT --url URL\n"
     "                    --note TEXT] [--force]"},
};

void usage(std::ostream& os) {
    os << "usage: iommu-lint COMMAND INPUT... [options]\n\n"
          "INPUT is a capture file, a directory (one host), or - for standard "
          "input.\n\ncommands:\n";
    for (const auto& c : k_commands)
        os << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
    os << "\n`iommu-lint COMMAND --help` lists a command's options.\n";
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "iommu-lint 0.1.0\n";
        return 0;
    }
    const std::string cmd = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& c : k_commands) {
        if (cmd != c.name) continue;
        if (std::find_if(rest.begin(), rest.end(), [](const std::string& s) {
                return s == "--help" || s == "-h";
            }) != rest.end()) {
            std::cout << "usage: iommu-lint " << c.name << " " << c.usage << "\n";
            return 0;
        }
        try {
            return c.run(rest);
        } catch (const il::cli::UsageError& e) {
            std::cerr << "iommu-lint " << cmd << ": " << e.what() << "\n";
            return 2;
        } catch (const il::model::IngestError& e) {
            std::cerr << "iommu-lint: " << e.what() << "\n";
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "iommu-lint: internal error: " << e.what() << "\n";
            return 3;
        }
    }
    std::string best;
    std::size_t bd = 99;
    for (const auto& c : k_commands)
        if (auto d = il::cli::edit_distance(cmd, c.name); d < bd) bd = d, best = c.name;
    std::cerr << "iommu-lint: unknown command '" << cmd << "'";
    if (bd <= 2) std::cerr << " (did you mean '" << best << "'?)";
    std::cerr << "\n";
    usage(std::cerr);
    return 2;
}
