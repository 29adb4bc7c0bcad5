// IL202: a device from a family with known reset problems (data table
// linter/data/reset-quirks.json).
#include "linter/data.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class ResetQuirkFamily final : public Rule {
public:
    ResetQuirkFamily()
        : Rule("IL202", "reset-quirk-family", Severity::error,
               "a device from a family with known reset problems (AMD reset bug, broken FLR or "
               "bus reset)") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& t = reset_table();
        for (std::size_t i = 0; i < cx.size(); ++i) {
            const auto& d = cx.dev(i);
            if (!d.vendor_id.known() || !d.device_id.known()) continue;
            const bool target = cx.is_target(i);
            for (const auto* fam : t.match(*d.vendor_id, *d.device_id, cx.class_of(i))) {
                if (fam->class_code) continue; // class rules only shape IL201
                Severity sev;
                std::string fix;
                if (fam->problem == ResetProblem::reset_bug) {
                    sev = target ? Severity::error : Severity::note;
                    fix =
                        "Install the vendor-reset module (gnif/vendor-reset) and set the device's "
                        "reset_method to device_specific, or expect to reboot the host between "
                        "guest starts.";
                } else {
                    if (!target) continue; // the kernel already works around it
                    sev = Severity::note;
                    fix = "Nothing to change on a current kernel: it avoids this reset; if resets "
                          "still fail (IL203), reboot the host between guest starts.";
                }
                auto& f =
                    out.add(sev,
                            cx.label(i) + " belongs to " + fam->name + ": " +
                                t.explain.at(fam->problem) + ". (Source: " + fam->source + ".)",
                            d.bdf.str() + "|" + std::string(to_string(fam->problem)));
                f.evidence.push_back(cx.ev(cx.label(i), d.device_id.src));
                if (const auto* pt = cx.target(i))
                    f.evidence.push_back(
                        cx.ev(pt->origin + " passes " + cx.short_name(i), pt->src));
                f.devices = {d.bdf};
                f.fix = fix;
            }
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL202() {
    return std::make_unique<ResetQuirkFamily>();
}

} // namespace il::linter::rules
