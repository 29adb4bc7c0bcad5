// The simulation options shared by the drawing, report and board commands: --kernel,
// --override-placement and --acs-override MODES|none applied to a host's as-booted policy.
#pragma once

#include "cli/options.hpp"
#include "linter/context.hpp"
#include "model/snapshot.hpp"
#include "sim/policy.hpp"

#include <string>
#include <vector>

namespace il::cli {

// The option names policy_from_args reads.
const std::vector<std::string>& sim_option_names();
// The host's policy as booted, changed by the options. Throws UsageError on bad values.
sim::Policy policy_from_args(const model::Host& h, const Args& a);
// --passthrough BDF or bb:dd for a whole slot (repeatable). Throws UsageError.
std::vector<linter::PassthroughRequest> passthrough_from_args(const Args& a);
// The linter's options from --passthrough, --kernel and --acs-override. Throws UsageError.
linter::LintOptions lint_options_from_args(const Args& a);
// Writes `text` to --o FILE (or -o FILE), else to standard output. Throws UsageError when the
// file cannot be written.
void write_output(const Args& a, const std::string& text);

} // namespace il::cli
