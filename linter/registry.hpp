// The registered lint rules (the one list lives in linter/registry.cpp).
#pragma once

#include "linter/rule.hpp"

#include <string_view>
#include <vector>

namespace il::linter {

// Every rule, in code order.
const std::vector<const Rule*>& all_rules();
// nullptr when no rule has this code.
const Rule* find_rule(std::string_view code);

} // namespace il::linter
