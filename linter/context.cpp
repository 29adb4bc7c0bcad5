#include "linter/context.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace il::linter {

using model::LinkInfo;

std::optional<PassthroughRequest> PassthroughRequest::parse(std::string_view s) {
    PassthroughRequest r;
    r.text = std::string(s);
    if (auto b = model::Bdf::parse(s)) {
        r.bdf = *b;
        return r;
    }
    // a slot without a function: every function of it (as Proxmox reads "01:00")
    if (s.find('.') != std::string_view::npos) return std::nullopt;
    if (auto b = model::Bdf::parse(std::string(s) + ".0")) {
        r.bdf = *b;
        r.all_functions = true;
        return r;
    }
    return std::nullopt;
}

LintContext::LintContext(const model::Host& h, const LintOptions& opts) : host(h), options(opts) {
    topo_ = std::make_unique<model::Topology>(host);
    auto p = sim::policy_as_booted(host, options.kernel);
    if (options.acs_override) {
        p = sim::with_override(
            p, options.acs_override->any() ? *options.acs_override : sim::OverrideConfig{},
            options.acs_override_origin);
        for (const auto& w : options.acs_override->warnings)
            p.notes.push_back("--acs-override: " + w);
    }
    booted_ = std::make_unique<sim::SimResult>(sim::simulate(host, *topo_, p));
    if (p.override_cfg.any()) {
        plain_ = std::make_unique<sim::SimResult>(
            sim::simulate(host, *topo_, sim::with_override(p, {}, "no override")));
    } else {
        plain_ = std::make_unique<sim::SimResult>(*booted_);
    }
    auto usual = sim::parse_acs_override("downstream,multifunction");
    acso_ = std::make_unique<sim::SimResult>(
        sim::simulate(host, *topo_, sim::with_override(p, usual, "downstream,multifunction")));
    resolve_targets();
}

LintContext::~LintContext() = default;

void LintContext::resolve_targets() {
    target_of_.assign(size(), -1);
    auto add = [&](std::size_t i, const std::string& origin, model::Source src) {
        if (target_of_[i] >= 0) return;
        target_of_[i] = static_cast<int>(targets_.size());
        targets_.push_back({i, origin, src});
    };
    auto slot_members = [&](const model::Bdf& b) {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < size(); ++i) {
            const auto& x = dev(i).bdf;
            if (x.domain == b.domain && x.bus == b.bus && x.dev == b.dev) out.push_back(i);
        }
        return out;
    };
    for (const auto& vm : host.vms) {
        for (const auto& hp : vm.hostpci) {
            const std::string origin = "VM " + vm.name + " hostpci" + std::to_string(hp.index);
            for (const auto& b : hp.bdfs) {
                if (hp.all_functions && b.fn == 0) {
                    auto m = slot_members(b);
                    if (m.empty()) {
                        char buf[24];
                        std::snprintf(buf, sizeof buf, "%04x:%02x:%02x", b.domain, b.bus, b.dev);
                        missing_.push_back({buf, origin, hp.src, true});
                    }
                    for (auto i : m) add(i, origin, hp.src);
                    continue;
                }
                if (auto i = index_of(b))
                    add(*i, origin, hp.src);
                else
                    missing_.push_back({b.str(), origin, hp.src, true});
            }
        }
    }
    for (const auto& r : options.passthrough) {
        const std::string origin = "--passthrough " + r.text;
        if (r.all_functions) {
            auto m = slot_members(r.bdf);
            if (m.empty()) missing_.push_back({r.text, origin, {}, false});
            for (auto i : m) add(i, origin, {});
            continue;
        }
        if (auto i = index_of(r.bdf))
            add(*i, origin, {});
        else
            missing_.push_back({r.text, origin, {}, false});
    }
}

bool LintContext::is_target(std::size_t i) const {
    return i < target_of_.size() && target_of_[i] >= 0;
}

const PassthroughTarget* LintContext::target(std::size_t i) const {
    if (!is_target(i)) return nullptr;
    return &targets_[static_cast<std::size_t>(target_of_[i])];
}

std::optional<std::size_t> LintContext::index_of(const model::Bdf& b) const {
    const auto* d = host.find(b);
    if (!d) return std::nullopt;
    return static_cast<std::size_t>(d - host.devices.data());
}

std::string LintContext::short_name(std::size_t i) const {
    const auto& b = dev(i).bdf;
    char buf[32];
    if (b.domain == 0)
        std::snprintf(buf, sizeof buf, "%02x:%02x.%x", b.bus, b.dev, b.fn);
    else
        std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", b.domain, b.bus, b.dev, b.fn);
    return buf;
}

std::string LintContext::label(std::size_t i) const {
    const auto& d = dev(i);
    std::string s = d.bdf.str();
    if (!d.description.empty())
        s += " " + d.description;
    else if (!d.class_name.empty())
        s += " " + d.class_name;
    if (d.vendor_id.known() && d.device_id.known()) {
        char b[24];
        std::snprintf(b, sizeof b, " [%04x:%04x]", *d.vendor_id, *d.device_id);
        s += b;
    }
    return s;
}

std::optional<std::uint16_t> LintContext::class_of(std::size_t i) const {
    return dev(i).effective_class();
}

bool LintContext::class_is(std::size_t i, std::uint16_t cls) const {
    auto c = class_of(i);
    return c && *c == cls;
}
bool LintContext::base_class_is(std::size_t i, std::uint8_t base) const {
    auto c = class_of(i);
    return c && (*c >> 8) == base;
}
bool LintContext::is_gpu(std::size_t i) const {
    return base_class_is(i, 0x03);
}
bool LintContext::is_nvme(std::size_t i) const {
    return class_is(i, 0x0108);
}
bool LintContext::is_storage(std::size_t i) const {
    return base_class_is(i, 0x01);
}
bool LintContext::is_hba(std::size_t i) const {
    return class_is(i, 0x0104) || class_is(i, 0x0107);
}
bool LintContext::is_nic(std::size_t i) const {
    return base_class_is(i, 0x02);
}
bool LintContext::is_wired_nic(std::size_t i) const {
    return class_is(i, 0x0200) || class_is(i, 0x0207) || class_is(i, 0x0208);
}
bool LintContext::is_usb(std::size_t i) const {
    return class_is(i, 0x0c03);
}
bool LintContext::is_host_bridge(std::size_t i) const {
    return class_is(i, 0x0600);
}
bool LintContext::is_isa_lpc(std::size_t i) const {
    return class_is(i, 0x0601);
}
bool LintContext::is_smbus(std::size_t i) const {
    return class_is(i, 0x0c05);
}
bool LintContext::is_bridge(std::size_t i) const {
    return dev(i).is_bridge() || class_is(i, 0x0604) || class_is(i, 0x0607);
}

bool LintContext::is_gpu_audio(std::size_t i) const {
    if (!class_is(i, 0x0403) && !class_is(i, 0x0401)) return false;
    for (auto s : siblings(i))
        if (is_gpu(s)) return true;
    return false;
}

bool LintContext::is_heavy(std::size_t i) const {
    const auto& d = dev(i);
    if (d.is_virtual_function.is(true)) return false;
    if (is_nvme(i) || is_hba(i)) return true;
    const LinkInfo* l = d.link.known() ? &*d.link.value : nullptr;
    if (is_gpu(i)) {
        // BMC and server display adapters are GPUs by class but move little data
        if (d.vendor_id.is(0x1a03) || d.vendor_id.is(0x102b)) return false; // ASPEED, Matrox
        return !l || l->cap_width <= 0 || l->cap_width >= 4;
    }
    if (is_wired_nic(i)) {
        // a 1/2.5 GbE chip is an x1 Gen1-3 device; faster NICs need at least x2 Gen3 or x4 Gen2
        return l && l->cap_width > 0 && l->cap_speed_gts > 0 &&
               l->cap_width * l->cap_speed_gts >= 15.9;
    }
    return false;
}

bool LintContext::is_candidate(std::size_t i) const {
    return is_target(i) || is_gpu(i) || is_nvme(i) || is_nic(i) || is_usb(i) || is_hba(i);
}

bool LintContext::is_host_essential(std::size_t i) const {
    return is_storage(i) || is_nic(i) || is_usb(i) || is_host_bridge(i) || is_isa_lpc(i) ||
           is_smbus(i);
}

std::string LintContext::kind(std::size_t i) const {
    if (is_gpu(i)) return "GPU";
    if (is_nvme(i)) return "NVMe SSD";
    if (is_hba(i)) return "storage HBA";
    if (is_storage(i)) return "storage controller";
    if (is_wired_nic(i)) return "network controller";
    if (is_nic(i)) return "wireless/network controller";
    if (is_usb(i)) return "USB controller";
    if (is_host_bridge(i)) return "host bridge";
    if (is_isa_lpc(i)) return "ISA/LPC bridge";
    if (is_smbus(i)) return "SMBus controller";
    if (is_gpu_audio(i)) return "GPU audio function";
    if (is_bridge(i)) return "PCI bridge";
    const auto& d = dev(i);
    if (!d.class_name.empty()) return d.class_name;
    return "device";
}

std::vector<std::size_t> LintContext::siblings(std::size_t i) const {
    std::vector<std::size_t> out;
    const auto& b = dev(i).bdf;
    for (std::size_t j = 0; j < size(); ++j) {
        if (j == i) continue;
        const auto& x = dev(j).bdf;
        if (x.domain == b.domain && x.bus == b.bus && x.dev == b.dev) out.push_back(j);
    }
    return out;
}

std::vector<std::size_t> LintContext::subtree(std::size_t bridge) const {
    std::vector<std::size_t> out;
    std::set<std::size_t> seen_bus;
    std::vector<std::size_t> todo;
    if (auto cb = topo().child_bus(bridge)) todo.push_back(*cb);
    const auto& buses = topo().buses();
    while (!todo.empty()) {
        const auto b = todo.back();
        todo.pop_back();
        if (!seen_bus.insert(b).second) continue;
        for (auto d : buses[b].devices) {
            out.push_back(d);
            if (auto cb = topo().child_bus(d)) todo.push_back(*cb);
        }
        // virtual buses (SR-IOV) whose parent is this bus
        for (std::size_t k = 0; k < buses.size(); ++k)
            if (buses[k].parent == b && !buses[k].self) todo.push_back(k);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

const sim::Group* LintContext::group_of(const sim::SimResult& r, std::size_t i) const {
    if (i >= r.grouping.group_of.size()) return nullptr;
    const int g = r.grouping.group_of[i];
    if (g < 0) return nullptr;
    for (const auto& grp : r.grouping.groups)
        if (grp.id == g) return &grp;
    return nullptr;
}

const sim::Group* LintContext::group_of(std::size_t i) const {
    return group_of(booted(), i);
}

bool LintContext::has_verbose_lspci() const {
    for (const auto& f : host.formats_seen)
        if (f == "lspci-vv" || f == "lspci-v" || f == "lspci-x") return true;
    return false;
}

bool LintContext::has_kernel_log() const {
    for (const auto& f : host.formats_seen)
        if (f == "dmesg" || f == "journal" || f == "syslog" || f == "kmsg") return true;
    return false;
}

Evidence LintContext::ev(std::string text, model::Source src) const {
    Evidence e;
    e.text = std::move(text);
    e.src = src;
    e.where = src.file ? host.where(src) : std::string();
    return e;
}

std::string time_span(const std::vector<const model::LogEvent*>& events) {
    std::optional<double> lo, hi;
    for (const auto* e : events) {
        if (!e->time) continue;
        if (!lo || *e->time < *lo) lo = *e->time;
        if (!hi || *e->time > *hi) hi = *e->time;
    }
    std::set<std::uint32_t> files;
    for (const auto* e : events) files.insert(e->src.file);
    if (files.size() > 1)
        return "in " + std::to_string(files.size()) + " log files" +
               (lo ? " (times count from each boot)" : std::string());
    if (!lo) return "no timestamps in the log";
    char b[96];
    if (*hi - *lo < 0.05)
        std::snprintf(b, sizeof b, "at %.1f s after boot", *lo);
    else
        std::snprintf(b, sizeof b,
                      *hi - *lo < 10 ? "between %.1f s and %.1f s after boot (%.1f s)"
                                     : "between %.1f s and %.1f s after boot (%.0f s)",
                      *lo, *hi, *hi - *lo);
    return b;
}

} // namespace il::linter
