// IL004: a --passthrough address names no device of the host.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class PassthroughNotFound final : public Rule {
public:
    PassthroughNotFound()
        : Rule("IL004", "passthrough-target-not-found", Severity::warning,
               "a --passthrough address names no device of this host") {}

    void check(const LintContext& cx, Findings& out) const override {
        if (cx.size() == 0) return;
        for (const auto& m : cx.missing_targets()) {
            if (m.from_vm_config) continue; // IL502 reports VM configs
            auto& f = out.add(Severity::warning,
                              m.origin + ": the host has no device " + m.what + " (it lists " +
                                  count(cx.size(), "device", "devices") +
                                  "), so no passthrough check ran for it.",
                              m.what);
            f.fix = "Use an address from this host's lspci (bb:dd.f or dddd:bb:dd.f, or bb:dd for "
                    "every function of a slot).";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL004() {
    return std::make_unique<PassthroughNotFound>();
}

} // namespace il::linter::rules
