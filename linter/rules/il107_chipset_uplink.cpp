// IL107: heavy devices behind the chipset share its single link to the CPU (AMD Promontory
// uplink, Intel DMI).
#include "linter/chipset.hpp"
#include "linter/data.hpp"
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class ChipsetUplink final : public Rule {
public:
    ChipsetUplink()
        : Rule("IL107", "chipset-uplink-shared", Severity::warning,
               "heavy devices behind the chipset share its one link to the CPU") {}

    void check(const LintContext& cx, Findings& out) const override {
        for (const auto& r : chipset_regions(cx)) {
            const auto heavy = heavy_devices(cx, r.members);
            if (heavy.size() < 2) continue;
            bool gpu = false;
            for (auto h : heavy)
                if (cx.is_gpu(h)) gpu = true;
            std::string uplink;
            if (r.uplink) {
                uplink = "the CPU root port " + cx.label(*r.uplink);
                const auto& d = cx.dev(*r.uplink);
                if (d.link.known())
                    uplink +=
                        " (link " +
                        link_text(d.link.value->sta_width > 0 ? d.link.value->sta_width
                                                              : d.link.value->cap_width,
                                  d.link.value->sta_speed_gts > 0 ? d.link.value->sta_speed_gts
                                                                  : d.link.value->cap_speed_gts) +
                        ")";
            } else if (r.what == "Intel PCH") {
                uplink = "its " + chipset_table().intel_uplink;
            } else {
                uplink = "its link to the CPU";
            }
            std::string msg = join_and(labels(cx, heavy)) + " sit behind the " + r.what +
                              " and share " + uplink +
                              " with everything else on the chipset (SATA, USB, onboard network)." +
                              (gpu ? " A GPU there gets a fraction of the bandwidth of a CPU slot, "
                                     "and contends with the storage and network traffic."
                                   : " Under load they slow each other down.");
            auto& f = out.add(gpu ? Severity::warning : Severity::note, msg,
                              r.uplink ? cx.dev(*r.uplink).bdf.str() : r.what);
            for (std::size_t k = 0; k < r.bridges.size() && k < 4; ++k)
                f.evidence.push_back(
                    cx.ev(cx.label(r.bridges[k]) + ": chipset bridge", cx.dev(r.bridges[k]).src));
            for (auto h : heavy) f.evidence.push_back(cx.ev(cx.label(h), cx.dev(h).src));
            f.devices = bdfs(cx, heavy);
            f.fix = "Put the GPU (or the busiest device) in a slot wired to the CPU; keep the "
                    "chipset slots for light devices.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL107() {
    return std::make_unique<ChipsetUplink>();
}

} // namespace il::linter::rules
