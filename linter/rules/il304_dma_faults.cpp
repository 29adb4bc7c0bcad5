// IL304: DMA remapping faults in the log (Intel DMAR faults, AMD-Vi IO_PAGE_FAULT).
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <memory>

namespace il::linter::rules {

namespace {

class DmaFaults final : public Rule {
public:
    DmaFaults()
        : Rule("IL304", "dma-faults", Severity::warning,
               "the IOMMU blocked DMA (DMAR fault / IO_PAGE_FAULT) in the kernel log") {}

    void check(const LintContext& cx, Findings& out) const override {
        using K = model::LogEvent::Kind;
        for (const auto& g : events_by_device(cx.host, {K::dmar_fault, K::io_page_fault})) {
            const bool amd = g.events.front()->kind == K::io_page_fault;
            std::string msg =
                "The IOMMU blocked " + count(g.events.size(), "DMA access", "DMA accesses") +
                " of " + name_of(cx, g.bdf) + " (" + (amd ? "AMD-Vi IO_PAGE_FAULT" : "DMAR fault") +
                ", " + time_span(g.events) +
                "): the device reads or writes memory "
                "its IOMMU domain does not map.";
            auto& f = out.add(Severity::warning, msg, g.bdf ? g.bdf->str() : "unknown");
            add_event_evidence(cx, f, g);
            if (g.bdf) f.devices = {*g.bdf};
            f.fix = "For a host device: update firmware/driver, or try iommu=pt; an RMRR-bound "
                    "device (Intel iGPU, USB) faults when passed. For a passed device: the guest "
                    "driver or a missing reset (IL201) is the usual cause.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL304() {
    return std::make_unique<DmaFaults>();
}

} // namespace il::linter::rules
