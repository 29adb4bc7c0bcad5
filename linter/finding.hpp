// What a lint rule reports: one finding per problem, with the facts it rests on.
#pragma once

#include "model/snapshot.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::linter {

enum class Severity : std::uint8_t { note = 0, warning = 1, error = 2 };
std::string_view to_string(Severity s);
std::optional<Severity> severity_from_string(std::string_view s);

// One fact a finding rests on, with the input line it came from (src.file 0 = no file).
struct Evidence {
    std::string text;
    model::Source src;
    // filled by the engine from the host: "file:line", the file's path and the line (0 = none)
    std::string where;
    std::string file;
    std::uint32_t line = 0;
};

struct Finding {
    std::string code;      // "IL102"
    std::string rule_name; // "passthrough-shares-group"
    Severity severity = Severity::warning;
    std::string host;                // host name
    std::string message;             // one paragraph naming the devices
    std::vector<Evidence> evidence;  // the facts used
    std::string fix;                 // what to do about it
    std::vector<model::Bdf> devices; // devices involved
    std::string key;                 // the rule's stable identity of this finding
    std::string fingerprint;         // hash of code, host and key (for baselines)
};

} // namespace il::linter
