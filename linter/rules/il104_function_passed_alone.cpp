// IL104: one function of a multifunction device is passed while its other functions (in other
// groups) stay with the host.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class FunctionPassedAlone final : public Rule {
public:
    FunctionPassedAlone()
        : Rule("IL104", "function-passed-alone", Severity::warning,
               "one function of a multifunction device is passed while the other functions stay "
               "on the host") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (const auto& t : cx.targets()) {
            const auto i = t.device;
            if (cx.is_bridge(i)) continue;
            const auto* g = cx.group_of(i);
            std::vector<std::size_t> left;
            for (auto s : cx.siblings(i)) {
                if (cx.is_target(s) || cx.is_bridge(s)) continue;
                const auto* gs = cx.group_of(s);
                if (g && gs && gs->id == g->id) continue; // same group: IL103 reports it
                left.push_back(s);
            }
            if (left.empty()) continue;
            const auto& d = cx.dev(i);
            const bool flr = d.flr.is(true) || d.af_flr.is(true);
            std::string msg = cx.label(i) + " is passed, but " + join_and(labels(cx, left)) +
                              " of the same device stay" + (left.size() > 1 ? "" : "s") +
                              " with the host. ";
            msg += flr ? "It has FLR, so its own reset does not disturb them; still, guest drivers "
                         "often expect every function of the card (GPU audio, USB-C controller)."
                       : "Without FLR, resetting it means a bus reset, which resets the other "
                         "functions too, under the host's feet; guest drivers also often expect "
                         "every function of the card.";
            auto& f = out.add(flr ? Severity::note : Severity::warning, msg, d.bdf.str());
            f.evidence.push_back(cx.ev(t.origin + " passes " + cx.short_name(i), t.src));
            if (d.flr.known())
                f.evidence.push_back(cx.ev(
                    cx.short_name(i) + std::string(": FLReset") + (*d.flr ? "+" : "-"), d.flr.src));
            for (auto s : left) f.evidence.push_back(cx.ev(cx.label(s), cx.dev(s).src));
            std::vector<std::size_t> all{i};
            all.insert(all.end(), left.begin(), left.end());
            f.devices = bdfs(cx, all);
            const auto sn = cx.short_name(i);
            f.fix = "Pass the whole device (Proxmox: hostpciN: " + sn.substr(0, sn.size() - 2) +
                    ",... without a function number passes all functions), unless you keep the "
                    "other functions on the host on purpose.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL104() {
    return std::make_unique<FunctionPassedAlone>();
}

} // namespace il::linter::rules
