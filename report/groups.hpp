// Rendering simulated groups: text and JSON for `groups`, `explain` and `diff`.
#pragma once

#include "model/snapshot.hpp"
#include "sim/compare.hpp"
#include "sim/grouping.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace il::report {

nlohmann::json groups_json(const model::Host& h, const sim::SimResult& r, const sim::Comparison& c);
void groups_text(std::ostream& os, const model::Host& h, const sim::SimResult& r,
                 const sim::Comparison& c);

nlohmann::json explain_json(const model::Host& h, const model::Topology& t, const sim::SimResult& r,
                            std::size_t device);
void explain_text(std::ostream& os, const model::Host& h, const model::Topology& t,
                  const sim::SimResult& r, std::size_t device);

// A group of `before` that the override splits, and what the split rests on.
using sim::override_splits; // (sim/compare.hpp)
using sim::Split;

nlohmann::json diff_json(const model::Host& h, const sim::SimResult& before,
                         const sim::SimResult& after);
void diff_text(std::ostream& os, const model::Host& h, const sim::SimResult& before,
               const sim::SimResult& after);

} // namespace il::report
