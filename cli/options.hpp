// Command-line options shared by the subcommands.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace il::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parsed argv of one subcommand: positional inputs and --key value / --flag options.
struct Args {
    std::vector<std::string> inputs;
    std::multimap<std::string, std::string> opts; // repeated options keep every value
    std::optional<std::string> get(const std::string& k) const;
    std::vector<std::string> all(const std::string& k) const;
    bool has(const std::string& k) const { return opts.count(k) > 0; }
};

// value_opts: options that take a value; flag_opts: options without one.
Args parse_args(const std::vector<std::string>& argv, const std::vector<std::string>& value_opts,
                const std::vector<std::string>& flag_opts);

// Edit distance for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b);

} // namespace il::cli
