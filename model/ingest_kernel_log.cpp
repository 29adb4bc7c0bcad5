// Kernel log adapter: dmesg (every timestamp style, dmesg -t by message shape), journalctl -k,
// syslog kern.log and raw /dev/kmsg records -> kernel version, command line, IOMMU state,
// observed IOMMU groups, devices from enumeration lines, and events worth linting.
//
// Only lines with a kernel log prefix, or prefix-less lines shaped like kernel messages, are
// claimed. Serial-console garbage that fits neither is left alone (never an error): a log is
// routinely interleaved and cut, and unusable lines carry no facts.
#include "grammars/kernel_log/kernel_log.hpp"
#include "model/ingest_detail.hpp"

#include <climits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

namespace il::model::detail {
namespace {

namespace kl = il::grammars::kernel_log;
namespace ast = il::grammars::kernel_log::ast;
using Kind = LogEvent::Kind;

std::optional<Bdf> to_bdf(const ast::PciAddr& a) {
    if (a.bus > 0xff || a.dev > 31 || a.fn > 7) return std::nullopt;
    Bdf b;
    b.domain = a.domain;
    b.bus = static_cast<std::uint8_t>(a.bus);
    b.dev = static_cast<std::uint8_t>(a.dev);
    b.fn = static_cast<std::uint8_t>(a.fn);
    return b;
}

const char* format_name(kl::Style s) {
    switch (s) {
    case kl::Style::journal:
    case kl::Style::journal_marker:
        return "journal";
    case kl::Style::syslog:
        return "syslog";
    case kl::Style::kmsg:
    case kl::Style::kmsg_field:
        return "kmsg";
    default:
        return "dmesg";
    }
}

Kind aer_kind(ast::AerSeverity s) {
    switch (s) {
    case ast::AerSeverity::corrected:
        return Kind::aer_corrected;
    case ast::AerSeverity::nonfatal:
        return Kind::aer_uncorrected_nonfatal;
    case ast::AerSeverity::fatal:
        return Kind::aer_uncorrected_fatal;
    }
    return Kind::other;
}

// "PCIe Root Port" etc. as printed after the class by kernels since 6.x (pci_type_str()).
void apply_port_kind(IngestContext& cx, Device& d, const std::string& kind, Source src) {
    if (kind.empty()) return;
    static const std::pair<const char*, PortType> table[] = {
        {"PCIe Endpoint", PortType::endpoint},
        {"PCIe Legacy Endpoint", PortType::legacy_endpoint},
        {"PCIe Root Port", PortType::root_port},
        {"PCIe Switch Upstream Port", PortType::upstream_port},
        {"PCIe Switch Downstream Port", PortType::downstream_port},
        {"PCIe to PCI/PCI-X bridge", PortType::pcie_to_pci_bridge},
        {"PCI/PCI-X to PCIe bridge", PortType::pci_to_pcie_bridge},
        {"PCIe Root Complex Integrated Endpoint", PortType::rc_integrated_endpoint},
        {"PCIe Root Complex Event Collector", PortType::rc_event_collector},
    };
    const Bdf b = d.bdf;
    for (const auto& [name, type] : table) {
        if (kind == name) {
            merge_fact(cx, d.is_pcie, true, src, &b, "PCIe capability");
            merge_fact(cx, d.port_type, type, src, &b, "PCIe port type");
            return;
        }
    }
    if (kind.rfind("PCIe", 0) == 0) { // "PCIe unknown"
        merge_fact(cx, d.is_pcie, true, src, &b, "PCIe capability");
    } else if (kind.rfind("conventional PCI", 0) == 0 || kind == "CardBus bridge") {
        merge_fact(cx, d.is_pcie, false, src, &b, "PCIe capability");
    }
}

class LogReader {
public:
    explicit LogReader(IngestContext& cx) : cx_(cx), host_(cx.host) {}

    void run() {
        const auto& lines = cx_.doc.lines;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!cx_.claims.free(i)) {
                kmsg_context_ = false;
                continue;
            }
            // a config-space row ("40: 10 00 ...") is never a log line: not parsed (a -xxxx
            // dump is mostly such rows)
            const auto ln =
                cx_.has(i, shape_hex_row) ? std::nullopt : kl::parse_line(lines[i].text);
            if (!ln) {
                kmsg_context_ = false;
                continue;
            }
            if (ln->style == kl::Style::kmsg_field) {
                // only as the dictionary of the kmsg record just above
                if (!kmsg_context_) continue;
                cx_.claims.claim(i, claim_log);
                kmsg_field(*ln);
                continue;
            }
            cx_.claims.claim(i, claim_log);
            cx_.seen_format(format_name(ln->style));
            kmsg_context_ = ln->style == kl::Style::kmsg;
            record_event_.reset();
            if (!ln->kernel || ln->style == kl::Style::journal_marker) continue;
            message(i, *ln);
        }
        finish();
    }

private:
    IngestContext& cx_;
    Host& host_;
    bool kmsg_context_ = false;
    std::optional<std::size_t> record_event_; // event made by the current kmsg record
    std::map<std::string, Bdf> nvme_names_;   // "nvme0" -> its PCI function
    struct OpenAer {
        std::size_t event;
        Bdf bdf;
        std::size_t line;
        bool has_status;
    };
    std::optional<OpenAer> aer_;
    bool groups_in_file_ = false;
    bool iommu_evidence_ = false;
    bool boot_header_ = false; // "Linux version" seen: the log starts at boot
    std::optional<std::size_t> swiotlb_line_;
    std::optional<std::size_t> intel_off_line_;

    Source at(std::size_t i) const { return cx_.at(i); }

    std::optional<Bdf> checked(const ast::PciAddr& a, std::size_t i) {
        auto b = to_bdf(a);
        if (!b)
            cx_.note(Diagnostic::Level::warning, i,
                     "kernel log line names an impossible PCI address; line ignored");
        return b;
    }

    LogEvent& event(Kind k, std::optional<Bdf> bdf, const kl::Line& ln, std::size_t i) {
        LogEvent e;
        e.kind = k;
        e.bdf = bdf;
        e.time = ln.seconds;
        e.text = std::string(ln.message);
        e.src = at(i);
        host_.events.push_back(std::move(e));
        record_event_ = host_.events.size() - 1;
        return host_.events.back();
    }

    void vendor(const char* v, std::size_t i) {
        merge_fact(cx_, host_.iommu.vendor, std::string(v), at(i), nullptr, "IOMMU vendor");
        iommu_evidence_ = true;
    }
    void present(std::size_t i) {
        merge_fact(cx_, host_.iommu.hardware_present, true, at(i), nullptr, "IOMMU hardware");
        iommu_evidence_ = true;
    }
    void enabled(bool on, std::size_t i) {
        merge_fact(cx_, host_.iommu.enabled, on, at(i), nullptr, "IOMMU enabled");
        iommu_evidence_ = true;
    }
    void remapping(bool on, std::size_t i) {
        merge_fact(cx_, host_.iommu.interrupt_remapping, on, at(i), nullptr, "interrupt remapping");
    }

    void message(std::size_t i, const kl::Line& ln) {
        const auto m = kl::parse_message(ln.message);
        std::optional<Bdf> dev;
        if (m.device) dev = to_bdf(*m.device);
        std::visit([&](const auto& b) { body(i, ln, m, dev, b); }, m.body);
    }

    // ---- facts about the host

    void body(std::size_t i, const kl::Line&, const kl::Message&, const std::optional<Bdf>&,
              const ast::LinuxVersion& b) {
        boot_header_ = true;
        merge_fact(cx_, host_.kernel_version, b.version, at(i), nullptr, "kernel version");
    }

    void body(std::size_t i, const kl::Line&, const kl::Message&, const std::optional<Bdf>&,
              const ast::CommandLine& b) {
        if (b.text.empty()) return;
        merge_fact(cx_, host_.cmdline, b.text, at(i), nullptr, "kernel command line");
        if (host_.params.empty()) host_.params = split_cmdline(b.text, at(i));
    }

    void body(std::size_t i, const kl::Line&, const kl::Message&, const std::optional<Bdf>&,
              const ast::DefaultDomain& b) {
        merge_fact(cx_, host_.iommu.default_domain, b.type, at(i), nullptr,
                   "IOMMU default domain type");
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const ast::IommuLine& b) {
        using N = ast::IommuNote;
        auto& st = host_.iommu;
        switch (b.note) {
        case N::intel_requested:
            break; // intel_iommu=on was parsed; says nothing of the CPU
        case N::intel_gfx_off:
            break; // likewise intel_iommu=igfx_off
        case N::intel_off:
            intel_off_line_ = i;
            break; // decided in finish()
        case N::intel_forced:
            vendor("intel", i);
            present(i);
            break;
        case N::intel_table:
            vendor("intel", i);
            present(i);
            break;
        case N::intel_table_failure:
            vendor("intel", i);
            present(i);
            enabled(false, i);
            break;
        case N::intel_ir_on:
            vendor("intel", i);
            present(i);
            remapping(true, i);
            break;
        case N::intel_ir_left_on:
            vendor("intel", i);
            present(i);
            event(Kind::other, dev, ln, i);
            break;
        case N::x2apic_without_ir:
            break; // printed both with IR in xapic mode and without IR
        case N::intel_active:
            vendor("intel", i);
            present(i);
            enabled(true, i);
            break;
        case N::intel_firmware_bug:
            vendor("intel", i);
            present(i);
            event(Kind::other, dev, ln, i);
            break;
        case N::amd_table:
        case N::amd_found:
        case N::amd_v2_loaded:
        case N::amd_perf:
            vendor("amd", i);
            present(i);
            break;
        case N::amd_ir_on:
            vendor("amd", i);
            present(i);
            remapping(true, i);
            break;
        case N::amd_active:
            vendor("amd", i);
            present(i);
            enabled(true, i);
            break;
        case N::swiotlb:
            if (!swiotlb_line_) swiotlb_line_ = i;
            break;
        case N::acs_override:
            merge_fact(cx_, st.acs_override_active, true, at(i), nullptr, "ACS override");
            break;
        case N::pch_acs_ok:
        case N::pch_acs_failed: {
            const bool ok = b.note == N::pch_acs_ok;
            if (ok)
                merge_fact(cx_, st.pch_acs_workaround, true, at(i), nullptr,
                           "Intel PCH ACS workaround");
            else
                merge_fact(cx_, st.pch_acs_workaround_failed, true, at(i), nullptr,
                           "Intel PCH ACS workaround failure");
            if (m.device && !dev) checked(*m.device, i);
            if (dev) {
                auto& d = host_.get_or_add(*dev, at(i));
                d.origins |= origin_log;
                merge_fact(cx_, d.pch_acs_quirk, ok, at(i), &*dev, "Intel PCH ACS quirk");
            }
            break;
        }
        }
    }

    // ---- devices

    void body(std::size_t i, const kl::Line&, const kl::Message& m, const std::optional<Bdf>& dev,
              const ast::GroupAdd& b) {
        std::optional<Bdf> target = dev;
        if (b.device)
            target = checked(*b.device, i);
        else if (m.device && !dev)
            checked(*m.device, i);
        if (!target) return;
        auto& d = host_.get_or_add(*target, at(i));
        d.origins |= origin_log;
        const int group =
            b.group > static_cast<unsigned>(INT_MAX) ? INT_MAX : static_cast<int>(b.group);
        merge_fact(cx_, d.observed_group, group, at(i), &*target, "IOMMU group");
        merge_fact(cx_, host_.iommu.groups_seen, true, at(i), nullptr, "IOMMU groups");
        if (!groups_in_file_) {
            // groups exist only while an IOMMU driver is active
            groups_in_file_ = true;
            enabled(true, i);
        }
    }

    void body(std::size_t, const kl::Line&, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::GroupRemove& b) {
        std::optional<Bdf> target = dev;
        if (b.device) target = to_bdf(*b.device);
        if (!target) return;
        // hot removal: a later "Adding" in this log gives the device its new group
        if (auto* d = host_.find(*target); d && d->observed_group.src.file == cx_.file)
            d->observed_group.value.reset();
    }

    void body(std::size_t i, const kl::Line&, const kl::Message& m, const std::optional<Bdf>& dev,
              const ast::PciEnum& b) {
        if (!dev) {
            if (m.device) checked(*m.device, i);
            return;
        }
        const Source s = at(i);
        const Bdf bdf = *dev;
        auto& d = host_.get_or_add(bdf, s);
        d.origins |= origin_log;
        merge_fact(cx_, d.vendor_id, static_cast<std::uint16_t>(b.vendor), s, &bdf, "vendor id");
        merge_fact(cx_, d.device_id, static_cast<std::uint16_t>(b.device), s, &bdf, "device id");
        merge_fact(cx_, d.class_code, static_cast<std::uint16_t>(b.cls >> 8), s, &bdf,
                   "class code");
        merge_fact(cx_, d.prog_if, static_cast<std::uint8_t>(b.cls & 0xff), s, &bdf,
                   "programming interface");
        merge_fact(cx_, d.header_type, static_cast<std::uint8_t>(b.type & 0x7f), s, &bdf,
                   "header type");
        // the kernel prints the header type without bit 7; a raw "type 80" still tells
        if (b.type & 0x80)
            merge_fact(cx_, d.multifunction_bit, true, s, &bdf, "multi-function bit");
        apply_port_kind(cx_, d, b.kind, s);
    }

    void body(std::size_t i, const kl::Line&, const kl::Message& m, const std::optional<Bdf>& dev,
              const ast::BridgeBuses& b) {
        if (!dev) {
            if (m.device) checked(*m.device, i);
            return;
        }
        const Source s = at(i);
        const Bdf bdf = *dev;
        auto& d = host_.get_or_add(bdf, s);
        d.origins |= origin_log;
        BusRange r;
        r.primary = bdf.bus;
        r.secondary = static_cast<std::uint8_t>(b.secondary);
        r.subordinate = static_cast<std::uint8_t>(b.subordinate);
        // The kernel may renumber a bridge later in the same boot (hotplug, pci=realloc,
        // assign-busses); its last word in one log is the current state.
        if (d.buses.known() && d.buses.src.file == cx_.file && !(*d.buses == r)) {
            d.buses.set(r, s);
            return;
        }
        merge_fact(cx_, d.buses, r, s, &bdf, "bridge bus numbers");
    }

    // ---- events

    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const ast::AerReceived& b) {
        std::optional<Bdf> src;
        if (b.source) {
            src = checked(*b.source, i);
        } else if (b.requester_id && m.device) {
            // old kernels: "id=00e0" is bus << 8 | devfn in the reporting port's domain
            ast::PciAddr a;
            a.domain = m.device->domain;
            a.bus = *b.requester_id >> 8;
            a.dev = (*b.requester_id >> 3) & 31;
            a.fn = *b.requester_id & 7;
            src = to_bdf(a);
        } else {
            src = dev;
        }
        event(aer_kind(b.severity), src, ln, i);
        aer_.reset();
        if (src) aer_ = OpenAer{host_.events.size() - 1, *src, i, false};
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const ast::AerStatus& b) {
        if (aer_ && dev && aer_->bdf == *dev && !aer_->has_status && i - aer_->line <= 10) {
            auto& e = host_.events[aer_->event];
            e.kind = aer_kind(b.severity); // the device's own report decides
            e.text += "; " + std::string(m.text);
            aer_->has_status = true;
            aer_->line = i;
            return;
        }
        event(aer_kind(b.severity), dev, ln, i);
        aer_.reset();
        if (dev) aer_ = OpenAer{host_.events.size() - 1, *dev, i, true};
    }

    void body(std::size_t i, const kl::Line&, const kl::Message& m, const std::optional<Bdf>& dev,
              const ast::AerDetail&) {
        // status/mask, decoded error bits, TLP header: part of the report just above
        if (aer_ && dev && aer_->bdf == *dev && i - aer_->line <= 20) {
            host_.events[aer_->event].text += "; " + std::string(m.text);
            aer_->line = i;
        }
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::DpcEvent&) {
        event(Kind::dpc, dev, ln, i);
    }

    std::optional<Bdf> nvme_device(const kl::Message& m, const std::optional<Bdf>& dev) const {
        if (dev) return dev;
        if (auto it = nvme_names_.find(m.device_name); it != nvme_names_.end()) return it->second;
        return std::nullopt;
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const ast::NvmeTimeout& b) {
        event(b.reset ? Kind::nvme_reset : Kind::nvme_timeout, nvme_device(m, dev), ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const ast::NvmeReset&) {
        event(Kind::nvme_reset, nvme_device(m, dev), ln, i);
    }

    void body(std::size_t, const kl::Line&, const kl::Message& m, const std::optional<Bdf>&,
              const ast::NvmePciFunction& b) {
        if (m.device_name.empty()) return;
        if (auto bdf = to_bdf(b.addr)) nvme_names_[m.device_name] = *bdf;
    }

    void body(std::size_t, const kl::Line&, const kl::Message&, const std::optional<Bdf>&,
              const ast::DmarFaultStatus&) {}

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>&,
              const ast::DmarFault& b) {
        // VT-d prints "[bb:dd.f]" without a segment; segment 0 is what it means on the
        // single-segment hosts that print this form
        event(Kind::dmar_fault, to_bdf(b.device), ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::AmdEvent& b) {
        std::optional<Bdf> target = dev;
        if (b.device) target = to_bdf(*b.device);
        event(b.type == "IO_PAGE_FAULT" ? Kind::io_page_fault : Kind::other, target, ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::VfioLine& b) {
        std::optional<Bdf> target = dev;
        if (b.device) target = to_bdf(*b.device);
        event(Kind::vfio, target, ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::NotReady& b) {
        if (b.giving_up) event(Kind::reset_failure, dev, ln, i); // "waiting" lines: progress
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::PowerStateFail&) {
        event(Kind::reset_failure, dev, ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::PendingTransaction&) {
        event(Kind::reset_failure, dev, ln, i);
    }

    void body(std::size_t i, const kl::Line& ln, const kl::Message&, const std::optional<Bdf>& dev,
              const ast::LinkDown&) {
        event(Kind::link_down, dev, ln, i);
    }

    void body(std::size_t, const kl::Line&, const kl::Message&, const std::optional<Bdf>&,
              const ast::KmsgDevice&) {}

    // messages without a fact of their own; vfio-pci's lines are still events
    template <class T>
    void body(std::size_t i, const kl::Line& ln, const kl::Message& m,
              const std::optional<Bdf>& dev, const T&) {
        static_assert(std::is_same_v<T, ast::Unknown> || std::is_same_v<T, ast::SubsystemLine>);
        if (m.driver == "vfio-pci" && dev) event(Kind::vfio, dev, ln, i);
    }

    // " DEVICE=+pci:0000:0a:00.0" under a kmsg record names the device of that record
    void kmsg_field(const kl::Line& ln) {
        const auto m = kl::parse_message(ln.message);
        const auto* d = std::get_if<ast::KmsgDevice>(&m.body);
        if (!d || !record_event_) return;
        auto& e = host_.events[*record_event_];
        if (!e.bdf) e.bdf = to_bdf(d->addr);
    }

    void finish() {
        if (intel_off_line_ && host_.iommu.vendor.is("intel")) enabled(false, *intel_off_line_);
        if (swiotlb_line_ && boot_header_ && !iommu_evidence_ && !host_.iommu.vendor.known())
            cx_.note(Diagnostic::Level::note, *swiotlb_line_,
                     "kernel log from boot shows no IOMMU (no DMAR/AMD-Vi messages, DMA goes "
                     "through SWIOTLB bounce buffers): the IOMMU is probably absent or off");
    }
};

} // namespace

void ingest_kernel_log(IngestContext& cx) {
    LogReader(cx).run();
}

} // namespace il::model::detail
