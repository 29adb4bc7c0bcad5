// AST of the kernel command line grammar. Plain structs only.
#pragma once

#include <boost/optional.hpp>

#include <string>
#include <vector>

namespace il::grammars::cmdline::ast {

// "key", "key=value" (value as written, quotes kept)
struct Token {
    std::string key;
    boost::optional<std::string> value;
};

// GRUB_CMDLINE_LINUX[_DEFAULT]="..." in /etc/default/grub (possibly behind a grep -n prefix
// or markdown/comment hashes)
struct GrubAssign {
    std::string lead;     // what stood before the variable name (prefixes, '#'s)
    std::string variable; // GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT
    std::string value;    // unquoted
};

} // namespace il::grammars::cmdline::ast
