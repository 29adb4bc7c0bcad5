// Adapter for lspci device records (`lspci`, -nn, -k, -v, -vv/-vvv, -D, -PP, with or without
// -x/-xxx/-xxxx hex rows): the grammar (grammars/lspci) finds and reads the records, this file
// turns them into device facts of the host snapshot, each with the line it came from.
#include "grammars/hexdump/hexdump.hpp"
#include "grammars/lspci/lspci.hpp"
#include "model/configspace.hpp"
#include "model/ingest_detail.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace il::model::detail {

namespace lspci = il::grammars::lspci;

namespace {

std::string hex(unsigned v, int width) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*x", width, v);
    return buf;
}

std::vector<std::string> names_on(const std::vector<lspci::Flag>& flags) {
    std::vector<std::string> out;
    for (const auto& f : flags)
        if (f.on) out.push_back(f.name);
    return out;
}

class RecordMerger {
public:
    RecordMerger(IngestContext& cx, const lspci::Record& rec, bool ext_caps_shown)
        : cx_(cx), rec_(rec), ext_caps_shown_(ext_caps_shown) {
        const auto& d = rec.header.device();
        bdf_ = Bdf{rec.header.domain(), d.bus, d.dev, d.fn};
    }

    void run() {
        for (auto l = rec_.header_line; l < rec_.end_line; ++l) cx_.claims.claim(l, claim_lspci);
        Device& dev = cx_.host.get_or_add(bdf_, at(rec_.header_line));
        const bool verbose = rec_.verbose();
        if (verbose) dev.origins |= origin_lspci_verbose;
        if (!verbose && rec_.hex_rows.empty()) dev.origins |= origin_lspci_terse;
        if (rec_.control_line)
            cx_.seen_format("lspci-vv");
        else if (verbose)
            cx_.seen_format("lspci-v");
        else if (rec_.hex_rows.empty() || rec_.kernel_lines || rec_.subsystem)
            cx_.seen_format("lspci");

        header(dev);
        body(dev);
        capabilities(dev);
        kernel(dev);
        for (const auto& n : rec_.notes) cx_.note(Diagnostic::Level::note, n.line, n.value);
        // Hex rows last: the text facts are set, the dump cross-checks and adds to them.
        config_space(dev);
    }

private:
    Source at(std::size_t line) const { return cx_.at(line); }

    template <class T> void merge(Fact<T>& f, T v, std::size_t line, const char* what) {
        merge_fact(cx_, f, std::move(v), at(line), &bdf_, what);
    }

    void header(Device& dev) {
        const auto& h = rec_.header;
        const auto l = rec_.header_line;
        if (h.class_code) merge(dev.class_code, *h.class_code, l, "class");
        if (h.vendor_id) merge(dev.vendor_id, *h.vendor_id, l, "vendor id");
        if (h.device_id) merge(dev.device_id, *h.device_id, l, "device id");
        // lspci prints "(rev RR)" only for a non-zero revision, and "(prog-if PP)" only at -v
        // and only for a non-zero (or named) prog-if. When the tail of the line was mangled
        // (the names swallowed a "(rev"), an absent value tells nothing.
        const bool clean_tail = h.names.find("(rev ") == std::string::npos &&
                                h.names.find("(prog-if") == std::string::npos;
        if (h.revision)
            merge(dev.revision, *h.revision, l, "revision");
        else if (clean_tail)
            merge(dev.revision, std::uint8_t{0}, l, "revision");
        if (h.prog_if)
            merge(dev.prog_if, *h.prog_if, l, "prog-if");
        else if (clean_tail && rec_.verbose())
            merge(dev.prog_if, std::uint8_t{0}, l, "prog-if");
        if (dev.class_name.empty() && !h.class_name.empty()) dev.class_name = h.class_name;
        if (dev.description.empty() && !h.names.empty() && !h.numeric) dev.description = h.names;
    }

    void body(Device& dev) {
        if (rec_.subsystem) {
            const auto& s = rec_.subsystem->value;
            if (s.vendor_id)
                merge(dev.subsys_vendor_id, *s.vendor_id, rec_.subsystem->line,
                      "subsystem vendor id");
            if (s.device_id)
                merge(dev.subsys_device_id, *s.device_id, rec_.subsystem->line,
                      "subsystem device id");
        }
        if (rec_.physical_slot)
            merge(dev.physical_slot, rec_.physical_slot->value, rec_.physical_slot->line,
                  "physical slot");
        if (rec_.iommu_group)
            merge(dev.observed_group, rec_.iommu_group->value, rec_.iommu_group->line,
                  "IOMMU group");

        // Header type: lspci shows the layout only indirectly.
        const auto cls = rec_.header.class_code;
        const bool cardbus = cls ? *cls == 0x0607 : rec_.header.class_name == "CardBus bridge";
        if (rec_.unknown_header_type) {
            // config space read as all ones: nothing about the layout is known
        } else if (rec_.invalid_class_header_type) {
            merge(dev.header_type, rec_.invalid_class_header_type->value,
                  rec_.invalid_class_header_type->line, "header type");
        } else if (rec_.bus) {
            merge(dev.header_type, std::uint8_t(cardbus ? 2 : 1), rec_.bus->line, "header type");
        } else if (rec_.verbose() && !bridge_class()) {
            // verbose output prints "Bus:" for every bridge layout; without it the layout is
            // the normal one (a bridge class without it is a cut paste: left unknown)
            merge(dev.header_type, std::uint8_t{0}, rec_.header_line, "header type");
        }
        if (rec_.bus) {
            const auto& b = rec_.bus->value;
            merge(dev.buses, BusRange{b.primary, b.secondary, b.subordinate}, rec_.bus->line,
                  "bridge bus numbers (primary/secondary/subordinate)");
        }
    }

    bool bridge_class() const {
        const auto& h = rec_.header;
        if (h.class_code) return *h.class_code == 0x0604 || *h.class_code == 0x0607;
        return h.class_name == "PCI bridge" || h.class_name == "CardBus bridge";
    }

    // caps_readable only ever improves: a root dump that lists capabilities beats an earlier
    // non-root "<access denied>", and "<access denied>" never contradicts a known list.
    void set_caps_readable(Device& dev, bool v, std::size_t line) {
        if (!dev.caps_readable.known() || (v && !*dev.caps_readable))
            dev.caps_readable.set(v, at(line));
    }

    void capabilities(Device& dev) {
        const auto& r = rec_;
        if (r.caps_denied_line) {
            set_caps_readable(dev, false, *r.caps_denied_line);
            return; // nothing about capabilities is known
        }
        bool listed = !r.caps.empty();
        // -vv "Status: Cap-": the device has no capability list at all
        const bool no_list =
            r.caps.empty() && r.status_cap && !r.status_cap->value && !r.unknown_header_type;
        if (!listed && !no_list) return;
        const std::size_t list_line = listed ? r.caps.front().line : r.status_cap->line;
        set_caps_readable(dev, true, list_line);
        if (dev.capabilities.empty())
            for (const auto& c : r.caps) dev.capabilities.emplace_back(c.name);

        const auto express_cap = std::find_if(r.caps.begin(), r.caps.end(),
                                              [](const auto& c) { return c.name == "Express"; });
        const bool pcie = express_cap != r.caps.end();
        merge(dev.is_pcie, pcie, pcie ? express_cap->line : list_line, "PCI Express");
        if (r.express) {
            const auto& e = r.express->value;
            merge(dev.port_type, port_type_from_code(static_cast<unsigned>(e.type)),
                  r.express->line, "port type");
            if (e.slot) merge(dev.slot_implemented, *e.slot, r.express->line, "slot implemented");
        }

        // ACS
        const lspci::Capability* acs_cap = nullptr;
        const lspci::Capability* af_cap = nullptr;
        for (const auto& c : r.caps) {
            if (c.name == "Access Control Services" && !acs_cap) acs_cap = &c;
            if (c.name == "PCI Advanced Features" && !af_cap) af_cap = &c;
        }
        if (acs_cap) {
            merge(dev.has_acs, true, acs_cap->line, "ACS capability present");
            if (r.acs_cap) acs(dev, *acs_cap);
        } else if (pcie && ext_caps_shown_) {
            // the dump shows extended capabilities, and this PCIe function lists no ACS
            merge(dev.has_acs, false, list_line, "ACS capability present");
        }

        if (r.flr) merge(dev.flr, r.flr->value, r.flr->line, "FLR (DevCap FLReset)");
        if (r.af_flr)
            merge(dev.af_flr, r.af_flr->value, r.af_flr->line, "AF FLR");
        else if (!af_cap)
            merge(dev.af_flr, false, list_line, "AF FLR"); // no Advanced Features capability
        if (r.no_soft_reset)
            merge(dev.no_soft_reset, r.no_soft_reset->value, r.no_soft_reset->line, "PM NoSoftRst");
        if (r.ari_forwarding)
            merge(dev.ari_forwarding, r.ari_forwarding->value, r.ari_forwarding->line,
                  "ARI forwarding (DevCtl2 ARIFwd)");
        link(dev);
        aer(dev);
        if (r.sriov) {
            SriovInfo s;
            s.total_vfs = r.sriov->value.total;
            s.num_vfs = r.sriov->value.num;
            s.enabled = r.iov_enable ? r.iov_enable->value : s.num_vfs > 0;
            s.src = at(r.sriov->line);
            merge(dev.sriov, s, r.sriov->line, "SR-IOV");
        }
    }

    void acs(Device& dev, const lspci::Capability& cap) {
        AcsInfo a;
        a.cap = rec_.acs_cap->value;
        a.ctl_known = rec_.acs_ctl.has_value();
        a.ctl = a.ctl_known ? rec_.acs_ctl->value : 0;
        a.offset = cap.offset;
        a.src = at(rec_.acs_cap->line);
        if (!dev.acs.known()) {
            dev.acs.set(a, a.src);
            return;
        }
        AcsInfo& old = *dev.acs.value;
        auto conflict = [&](const char* what, unsigned was, unsigned now, std::size_t line) {
            cx_.host.diagnostics.push_back({Diagnostic::Level::warning, at(line),
                                            std::string("conflict: ") + what + " of " + bdf_.str() +
                                                " is 0x" + hex(was, 4) + " at " +
                                                cx_.host.where(old.src) + " but 0x" + hex(now, 4) +
                                                " here; keeping the first"});
        };
        if (old.cap != a.cap)
            conflict("ACS capability (ACSCap)", old.cap, a.cap, rec_.acs_cap->line);
        if (old.ctl_known && a.ctl_known && old.ctl != a.ctl)
            conflict("ACS control (ACSCtl)", old.ctl, a.ctl, rec_.acs_ctl->line);
        if (!old.ctl_known && a.ctl_known) { // a -vv dump completes an earlier one
            old.ctl = a.ctl;
            old.ctl_known = true;
        }
        if (!old.offset) old.offset = a.offset;
    }

    void link(Device& dev) {
        const auto& r = rec_;
        if (!r.link_cap && !r.link_sta) return;
        LinkInfo li;
        if (r.link_cap) {
            li.cap_speed_gts = r.link_cap->value.speed_gts;
            li.cap_width = r.link_cap->value.width;
        }
        if (r.link_sta) {
            const auto& s = r.link_sta->value;
            li.sta_speed_gts = s.speed_gts;
            li.sta_width = s.width;
            li.marked_downgraded = s.speed_marker == lspci::LinkMarker::downgraded ||
                                   s.width_marker == lspci::LinkMarker::downgraded;
        }
        if (r.dl_active) li.dl_active = r.dl_active->value;
        const auto line = r.link_sta ? r.link_sta->line : r.link_cap->line;
        li.src = at(line);
        merge(dev.link, li, line, "link");
    }

    void aer(Device& dev) {
        const auto& r = rec_;
        if (!r.ue_sta && !r.ce_sta) return;
        AerInfo a;
        if (r.ue_sta) a.uncorrectable = names_on(r.ue_sta->value);
        if (r.ce_sta) a.correctable = names_on(r.ce_sta->value);
        if (r.ue_sta && r.ue_svrt) {
            for (const auto& n : a.uncorrectable)
                if (lspci::find_flag(r.ue_svrt->value, n).value_or(false))
                    a.uncorrectable_fatal.push_back(n);
        }
        const auto line = r.ue_sta ? r.ue_sta->line : r.ce_sta->line;
        a.src = at(line);
        merge(dev.aer, a, line, "AER status");
    }

    void kernel(Device& dev) {
        if (rec_.driver)
            merge(dev.driver, rec_.driver->value, rec_.driver->line, "kernel driver in use");
        if (rec_.modules && dev.modules.empty()) dev.modules = rec_.modules->value;
    }

    void config_space(Device& dev) {
        if (rec_.hex_rows.empty()) return;
        cx_.seen_format("lspci-x");
        ConfigSpace cs;
        cs.bytes.reserve(rec_.hex_rows.size() * 16);
        for (auto l : rec_.hex_rows) {
            const auto row = il::grammars::hexdump::parse_row(cx_.doc.lines[l].body());
            if (!row) cx_.fail(l, "malformed hex dump row (expected \"OO: xx xx ...\")");
            if (row->offset != cs.bytes.size())
                cx_.fail(l, "malformed hex dump: row at offset 0x" + hex(row->offset, 2) +
                                " out of sequence (expected 0x" +
                                hex(static_cast<unsigned>(cs.bytes.size()), 2) + ")");
            cs.bytes.insert(cs.bytes.end(), row->bytes.begin(), row->bytes.end());
        }
        apply_config_space(cx_, dev, cs, at(rec_.hex_rows.front()));
    }

    IngestContext& cx_;
    const lspci::Record& rec_;
    bool ext_caps_shown_;
    Bdf bdf_;
};

} // namespace

namespace {

bool lists_extended_capability(const lspci::Record& r) {
    return std::any_of(r.caps.begin(), r.caps.end(),
                       [](const lspci::Capability& c) { return c.extended(); });
}

// Merges records as the scan reads them. One fact depends on the whole dump: a PCIe function
// that lists no ACS capability has none only when the dump shows extended capabilities at all
// (some record lists one). Records are therefore held back only until the first record that
// lists one (in a root -vv dump: the first few), or to the end when none does; then they are
// merged in line order, as if every record had been read first.
class StreamMerger final : public lspci::Sink {
public:
    explicit StreamMerger(IngestContext& cx) : cx_(cx) {}

    void record(lspci::Record&& rec, std::vector<lspci::Problem>&& problems) override {
        // a malformed line inside a record makes the dump unusable: stop at the first one
        if (!problems.empty()) cx_.fail(problems.front().line, problems.front().message);
        if (!ext_caps_shown_) {
            if (!lists_extended_capability(rec)) {
                held_.push_back(std::move(rec));
                return;
            }
            ext_caps_shown_ = true;
            for (const auto& h : held_) RecordMerger(cx_, h, true).run();
            held_.clear();
            held_.shrink_to_fit();
        }
        RecordMerger(cx_, rec, true).run();
    }

    void stray(lspci::At<std::string>&& s) override {
        cx_.claims.claim(s.line, claim_lspci);
        cx_.note(Diagnostic::Level::note, s.line, "lspci warning in the paste: " + s.value);
    }

    // After the scan: no record showed an extended capability.
    void finish() {
        for (const auto& h : held_) RecordMerger(cx_, h, false).run();
        held_.clear();
    }

private:
    IngestContext& cx_;
    bool ext_caps_shown_ = false;
    std::vector<lspci::Record> held_;
};

} // namespace

void ingest_lspci(IngestContext& cx) {
    std::vector<bool> usable;
    usable.reserve(cx.doc.lines.size());
    for (std::size_t i = 0; i < cx.doc.lines.size(); ++i) usable.push_back(cx.claims.free(i));
    // Room for the devices at once: a record header is a digit-led line (not a hex row). The
    // guess is bounded by the text's size (a -vv record is kilobytes), so a file of digit-led
    // garbage cannot make it reserve much; growth by doubling covers a short guess.
    std::size_t headers = 0;
    for (std::size_t i = 0; i < cx.doc.lines.size(); ++i)
        if (usable[i] && cx.has(i, shape_digit_led) && !cx.has(i, shape_hex_row)) ++headers;
    std::size_t bytes = 0;
    for (const auto& s : cx.doc.storage) bytes += s.size();
    cx.host.reserve_more(std::min(headers, bytes / 2048));

    StreamMerger merger(cx);
    lspci::scan(cx.doc.lines, usable, merger);
    merger.finish();
}

} // namespace il::model::detail
