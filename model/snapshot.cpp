#include "model/snapshot.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace il::model {

std::string Bdf::str() const {
    static const char hx[] = "0123456789abcdef";
    std::string s;
    s.reserve(14);
    // domain: at least 4 hex digits (VMD domains have 5)
    int digits = 4;
    while (digits < 8 && (domain >> (4 * digits)) != 0) ++digits;
    for (int i = digits - 1; i >= 0; --i) s.push_back(hx[(domain >> (4 * i)) & 15]);
    const char rest[] = {':',          hx[bus >> 4], hx[bus & 15], ':',
                         hx[dev >> 4], hx[dev & 15], '.',          static_cast<char>('0' + fn)};
    s.append(rest, sizeof rest);
    return s;
}

namespace {
std::optional<std::uint32_t> hex_field(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}
} // namespace

std::optional<Bdf> Bdf::parse(std::string_view s) {
    // [domain:]bus:dev.fn
    const auto dot = s.rfind('.');
    if (dot == std::string_view::npos || dot + 2 != s.size()) return std::nullopt;
    const char f = s[dot + 1];
    if (f < '0' || f > '7') return std::nullopt;
    auto head = s.substr(0, dot);
    const auto c2 = head.rfind(':');
    if (c2 == std::string_view::npos) return std::nullopt;
    auto devs = head.substr(c2 + 1);
    head = head.substr(0, c2);
    std::string_view doms;
    std::string_view buss = head;
    if (const auto c1 = head.rfind(':'); c1 != std::string_view::npos) {
        doms = head.substr(0, c1);
        buss = head.substr(c1 + 1);
        if (doms.size() < 4 || doms.size() > 6) return std::nullopt;
    }
    if (buss.size() != 2 || devs.size() != 2) return std::nullopt;
    auto d = hex_field(devs);
    auto b = hex_field(buss);
    if (!d || !b || *d > 31) return std::nullopt;
    Bdf r;
    if (!doms.empty()) {
        auto dm = hex_field(doms);
        if (!dm) return std::nullopt;
        r.domain = *dm;
    }
    r.bus = static_cast<std::uint8_t>(*b);
    r.dev = static_cast<std::uint8_t>(*d);
    r.fn = static_cast<std::uint8_t>(f - '0');
    return r;
}

std::string_view to_string(PortType t) {
    switch (t) {
    case PortType::endpoint:
        return "Endpoint";
    case PortType::legacy_endpoint:
        return "Legacy Endpoint";
    case PortType::root_port:
        return "Root Port";
    case PortType::upstream_port:
        return "Upstream Port";
    case PortType::downstream_port:
        return "Downstream Port";
    case PortType::pcie_to_pci_bridge:
        return "PCI-Express to PCI/PCI-X Bridge";
    case PortType::pci_to_pcie_bridge:
        return "PCI/PCI-X to PCI-Express Bridge";
    case PortType::rc_integrated_endpoint:
        return "Root Complex Integrated Endpoint";
    case PortType::rc_event_collector:
        return "Root Complex Event Collector";
    case PortType::other:
        return "Unknown type";
    }
    return "Unknown type";
}

std::optional<std::uint16_t> Device::effective_class() const {
    if (class_code.known()) return *class_code;
    if (class_name.empty()) return std::nullopt;
    // lspci's names of the classes the simulator and the rules ask about
    static const std::pair<std::string_view, std::uint16_t> names[] = {
        {"SCSI storage controller", 0x0100},
        {"IDE interface", 0x0101},
        {"RAID bus controller", 0x0104},
        {"SATA controller", 0x0106},
        {"Serial Attached SCSI controller", 0x0107},
        {"Non-Volatile memory controller", 0x0108},
        {"Mass storage controller", 0x0180},
        {"Ethernet controller", 0x0200},
        {"Infiniband controller", 0x0207},
        {"Fabric controller", 0x0208},
        {"Network controller", 0x0280},
        {"VGA compatible controller", 0x0300},
        {"XGA compatible controller", 0x0301},
        {"3D controller", 0x0302},
        {"Display controller", 0x0380},
        {"Multimedia audio controller", 0x0401},
        {"Audio device", 0x0403},
        {"Host bridge", 0x0600},
        {"ISA bridge", 0x0601},
        {"PCI bridge", 0x0604},
        {"CardBus bridge", 0x0607},
        {"Fibre Channel", 0x0c04},
        {"USB controller", 0x0c03},
        {"SMBus", 0x0c05},
    };
    for (const auto& [n, c] : names)
        if (class_name == n) return c;
    return std::nullopt;
}

PortType port_type_from_code(unsigned code) {
    switch (code) {
    case 0:
    case 1:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
        return static_cast<PortType>(code);
    default:
        return PortType::other;
    }
}

std::optional<PortType> port_type_from_string(std::string_view s) {
    for (auto t : {PortType::endpoint, PortType::legacy_endpoint, PortType::root_port,
                   PortType::upstream_port, PortType::downstream_port, PortType::pcie_to_pci_bridge,
                   PortType::pci_to_pcie_bridge, PortType::rc_integrated_endpoint,
                   PortType::rc_event_collector, PortType::other})
        if (to_string(t) == s) return t;
    return std::nullopt;
}

std::string_view to_string(LogEvent::Kind k) {
    using K = LogEvent::Kind;
    switch (k) {
    case K::aer_corrected:
        return "aer_corrected";
    case K::aer_uncorrected_nonfatal:
        return "aer_uncorrected_nonfatal";
    case K::aer_uncorrected_fatal:
        return "aer_uncorrected_fatal";
    case K::dpc:
        return "dpc";
    case K::nvme_timeout:
        return "nvme_timeout";
    case K::nvme_reset:
        return "nvme_reset";
    case K::dmar_fault:
        return "dmar_fault";
    case K::io_page_fault:
        return "io_page_fault";
    case K::vfio:
        return "vfio";
    case K::reset_failure:
        return "reset_failure";
    case K::link_down:
        return "link_down";
    case K::other:
        return "other";
    }
    return "other";
}

std::string Host::where(Source s) const {
    std::string f = s.file < files.size() ? files[s.file] : std::string();
    if (f.empty()) f = "<unknown>";
    if (s.line == 0) return f;
    return f + ":" + std::to_string(s.line);
}

Device* Host::find(const Bdf& b) {
    if (index_.size() != devices.size()) reindex();
    auto it = index_.find(key(b));
    return it == index_.end() ? nullptr : &devices[it->second];
}

const Device* Host::find(const Bdf& b) const {
    if (index_.size() == devices.size()) {
        auto it = index_.find(key(b));
        return it == index_.end() ? nullptr : &devices[it->second];
    }
    for (const auto& d : devices)
        if (d.bdf == b) return &d;
    return nullptr;
}

Device& Host::get_or_add(const Bdf& b, Source s) {
    if (auto* d = find(b)) return *d;
    Device d;
    d.bdf = b;
    d.src = s;
    devices.push_back(std::move(d));
    index_.emplace(key(b), devices.size() - 1);
    return devices.back();
}

void Host::reserve_more(std::size_t more) {
    devices.reserve(devices.size() + more);
    index_.reserve(devices.size() + more);
}

void Host::reindex() {
    index_.clear();
    index_.reserve(devices.size());
    for (std::size_t i = 0; i < devices.size(); ++i) index_.emplace(key(devices[i].bdf), i);
}

void Host::sort_devices() {
    const auto by_address = [](const Device& a, const Device& b) { return a.bdf < b.bdf; };
    // lspci prints in address order: then there is nothing to move (a Device is large)
    if (!std::is_sorted(devices.begin(), devices.end(), by_address))
        std::stable_sort(devices.begin(), devices.end(), by_address);
    reindex();
}

std::uint32_t Host::add_file(std::string path) {
    if (files.empty()) files.emplace_back();
    files.push_back(std::move(path));
    return static_cast<std::uint32_t>(files.size() - 1);
}

const KernelParam* Host::param(std::string_view key) const {
    const KernelParam* found = nullptr;
    for (const auto& p : params)
        if (p.key == key) found = &p;
    return found;
}

} // namespace il::model
