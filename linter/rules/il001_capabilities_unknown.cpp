// IL001: the capture does not show PCI capabilities (non-root lspci, or no lspci -vv at all), so
// ACS, reset and link conclusions rest on unknowns.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

constexpr const char* k_command = "sudo lspci -vvv -nn -D -xxxx > lspci-vv.txt";

class CapabilitiesUnknown final : public Rule {
public:
    CapabilitiesUnknown()
        : Rule("IL001", "capabilities-unknown", Severity::warning,
               "PCI capabilities are not in the input (non-root lspci or no lspci -vv): ACS, reset "
               "and link checks cannot conclude") {}

    void check(const LintContext& cx, Findings& out) const override {
        std::vector<std::size_t> denied;
        for (std::size_t i = 0; i < cx.size(); ++i)
            if (cx.dev(i).caps_readable.is(false)) denied.push_back(i);
        const auto& unknowns = cx.booted().unknowns;
        const std::string blocked =
            "This blocks: whether bridges isolate their devices (ACS), so the simulated groups " +
            std::string(cx.booted().certain
                            ? "rest on assumptions"
                            : "are uncertain (" +
                                  count(unknowns.size(), "unknown fact", "unknown facts") +
                                  " consulted)") +
            "; which reset a passthrough device supports (FLR, PM reset: IL201); link width and "
            "speed (IL404); AER status.";
        if (!denied.empty()) {
            auto& f = out.add(
                Severity::warning,
                "Capabilities of " + count(denied.size(), "device", "devices") +
                    " were not readable (lspci printed \"<access denied>\": it ran without root), "
                    "e.g. " +
                    join_and(labels(
                        cx,
                        {denied.begin(), denied.begin() + std::min<std::size_t>(3, denied.size())},
                        false)) +
                    ". " + blocked,
                "access-denied");
            for (std::size_t k = 0; k < denied.size() && k < 5; ++k)
                f.evidence.push_back(
                    cx.ev(cx.short_name(denied[k]) + ": Capabilities: <access denied>",
                          cx.dev(denied[k]).caps_readable.src));
            f.devices = bdfs(cx, denied);
            f.fix =
                std::string("Capture again as root, with the numeric ids and the config space: ") +
                k_command + " (also `sudo lspci -t -nn -D > lspci-t.txt` for the tree).";
            return;
        }
        if (cx.size() == 0 || cx.has_verbose_lspci()) return;
        if (cx.booted().certain && unknowns.empty()) return;
        auto& f = out.add(Severity::note,
                          "The input has no verbose lspci (only " +
                              (cx.host.formats_seen.empty() ? std::string("device lists")
                                                            : join_and(cx.host.formats_seen)) +
                              "), so PCI capabilities of the " +
                              count(cx.size(), "device", "devices") + " are unknown. " + blocked,
                          "no-verbose-lspci");
        for (std::size_t k = 0; k < unknowns.size() && k < 3; ++k)
            f.evidence.push_back(cx.ev("unknown: " + unknowns[k], {}));
        f.fix = std::string("Add a root capture of the capabilities: ") + k_command + ".";
    }
};

} // namespace

std::unique_ptr<Rule> make_IL001() {
    return std::make_unique<CapabilitiesUnknown>();
}

} // namespace il::linter::rules
