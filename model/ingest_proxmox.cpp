// Proxmox VE VM configs (/etc/pve/qemu-server/<vmid>.conf) -> host.vms.
//
// A config is a run of "key: value" lines (with '#' description lines and "[section]" parts
// for snapshots / pending changes, whose content is ignored). A run counts as a VM config when
// it has a hostpciN line, or enough well-known VM keys (machine, bios, cores, memory, ...):
// "key: value" alone is too common a shape to claim on sight.
#include "grammars/proxmox/proxmox.hpp"
#include "model/ingest_detail.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace il::model::detail {
namespace {

namespace px = il::grammars::proxmox;

// Keys of qemu-server configs (trailing digits stripped: net0 -> net).
bool known_vm_key(std::string_view key) {
    while (!key.empty() && std::isdigit(static_cast<unsigned char>(key.back())))
        key.remove_suffix(1);
    static constexpr std::string_view keys[] = {"acpi",          "affinity",
                                                "agent",         "args",
                                                "audio",         "autostart",
                                                "balloon",       "bios",
                                                "boot",          "bootdisk",
                                                "cdrom",         "cicustom",
                                                "cipassword",    "citype",
                                                "ciuser",        "cores",
                                                "cpu",           "cpulimit",
                                                "cpuunits",      "description",
                                                "efidisk",       "freeze",
                                                "hookscript",    "hostpci",
                                                "hotplug",       "hugepages",
                                                "ide",           "ipconfig",
                                                "ivshmem",       "keephugepages",
                                                "keyboard",      "kvm",
                                                "localtime",     "lock",
                                                "machine",       "memory",
                                                "meta",          "migrate_downtime",
                                                "migrate_speed", "name",
                                                "nameserver",    "net",
                                                "numa",          "onboot",
                                                "ostype",        "parallel",
                                                "parent",        "protection",
                                                "rng",           "sata",
                                                "scsi",          "scsihw",
                                                "searchdomain",  "serial",
                                                "shares",        "smbios",
                                                "sockets",       "sshkeys",
                                                "startup",       "tablet",
                                                "tags",          "vmgenid"};
    static constexpr std::string_view more[] = {
        "tpmstate", "unused", "usb", "vcpus", "vga", "virtio", "watchdog", "template", "snaptime"};
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys) ||
           std::find(std::begin(more), std::end(more), key) != std::end(more);
}

bool vm_marker_key(std::string_view key) {
    return key == "machine" || key == "bios" || key == "vmgenid" || key == "smbios1" ||
           key == "scsihw" || key == "ostype" || key == "sockets" || key == "cores" ||
           key == "memory" || key == "boot";
}

// "cat /etc/pve/qemu-server/101.conf" or "qm config 101" on the line before a config
std::string vmid_from_prompt(std::string_view t) {
    auto digits_at = [&](std::size_t pos) {
        std::size_t e = pos;
        while (e < t.size() && std::isdigit(static_cast<unsigned char>(t[e]))) ++e;
        return std::string(t.substr(pos, e - pos));
    };
    if (auto p = t.find("qemu-server/"); p != std::string_view::npos) {
        std::string id = digits_at(p + 12);
        if (!id.empty() && t.substr(p + 12 + id.size(), 5) == ".conf") return id;
    }
    if (auto p = t.find("qm config "); p != std::string_view::npos) return digits_at(p + 10);
    return {};
}

std::string vm_name_from_file(const std::string& path) {
    std::string base = path;
    if (auto s = base.find_last_of('/'); s != std::string::npos) base = base.substr(s + 1);
    if (base.size() > 5 && base.substr(base.size() - 5) == ".conf") {
        const std::string stem = base.substr(0, base.size() - 5);
        if (!stem.empty() &&
            std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return stem;
    }
    return base;
}

class Proxmox {
public:
    explicit Proxmox(IngestContext& cx) : cx_(cx), lines_(cx.doc.lines) {}

    void run() {
        std::size_t i = 0;
        int vms = 0;
        while (i < lines_.size()) {
            if (!starts_run(i)) {
                ++i;
                continue;
            }
            const std::size_t end = run_end(i);
            if (accept(i, end)) {
                build(i, end, vms);
                ++vms;
            }
            i = end > i ? end : i + 1; // a run of only comments ends where it starts
        }
        if (vms > 0) cx_.seen_format("proxmox");
    }

private:
    IngestContext& cx_;
    const std::vector<text::Line>& lines_;

    std::string_view text(std::size_t i) const { return lines_[i].text; }
    bool free(std::size_t i) const { return cx_.claims.free(i); }

    bool starts_run(std::size_t i) const {
        // a config-space row "a0: 00 ..." has the shape of "key: value": never a VM config
        return free(i) && cx_.has(i, shape_vm_config) && !cx_.has(i, shape_hex_row) &&
               (px::parse_config_line(text(i)) || px::is_comment(text(i)));
    }

    // Lines of a config: config lines, comments, sections and the blank lines before sections.
    std::size_t run_end(std::size_t i) const {
        std::size_t j = i;
        while (j < lines_.size() && free(j)) {
            const auto t = text(j);
            if (px::parse_config_line(t) || px::is_comment(t) || px::parse_section(t)) {
                ++j;
                continue;
            }
            if (text::trim(t).empty()) {
                std::size_t k = j;
                while (k < lines_.size() && free(k) && text::trim(text(k)).empty()) ++k;
                if (k < lines_.size() && free(k) && px::parse_section(text(k))) {
                    j = k;
                    continue;
                }
            }
            break;
        }
        // trailing comment lines belong to whatever follows, not to this config
        while (j > i && px::is_comment(text(j - 1)) && !px::parse_config_line(text(j - 1))) --j;
        return j;
    }

    bool accept(std::size_t b, std::size_t e) const {
        int config = 0, known = 0, hostpci = 0;
        bool marker = false, machine_or_bios = false;
        for (std::size_t i = b; i < e; ++i) {
            if (px::parse_section(text(i))) break; // only the current config counts
            auto cl = px::parse_config_line(text(i));
            if (!cl) continue;
            ++config;
            if (px::hostpci_index(cl->key)) ++hostpci;
            if (known_vm_key(cl->key)) ++known;
            if (vm_marker_key(cl->key)) marker = true;
            if (cl->key == "machine" || cl->key == "bios") machine_or_bios = true;
        }
        if (config == 0 || known * 2 < config) return false;
        return hostpci > 0 || (known >= 3 && marker) || (known >= 2 && machine_or_bios);
    }

    void build(std::size_t b, std::size_t e, int nth) {
        VmConfig vm;
        std::string id;
        for (std::size_t k = b; k > 0 && k + 3 > b; --k) { // the line (or two) before the run
            if (text::trim(text(k - 1)).empty()) continue;
            id = vmid_from_prompt(text(k - 1));
            break;
        }
        vm.name = !id.empty() ? id : vm_name_from_file(cx_.doc.name);
        if (id.empty() && nth > 0) vm.name += "#" + std::to_string(nth + 1);
        bool in_section = false;
        bool have_src = false;
        for (std::size_t i = b; i < e; ++i) {
            cx_.claims.claim(i, claim_proxmox);
            const auto t = text(i);
            if (px::parse_section(t)) in_section = true; // snapshot / pending: not the VM
            if (in_section) continue;
            auto cl = px::parse_config_line(t);
            if (!cl) continue;
            const Source s = cx_.at(i);
            if (!have_src) {
                vm.src = s;
                have_src = true;
            }
            if (auto idx = px::hostpci_index(cl->key)) {
                vm.hostpci.push_back(hostpci(i, *idx, cl->value));
            } else if (cl->key == "machine") {
                merge_fact(cx_, vm.machine, cl->value, s, nullptr, "VM machine type");
            } else if (cl->key == "bios") {
                merge_fact(cx_, vm.bios, cl->value, s, nullptr, "VM bios");
            }
        }
        cx_.host.vms.push_back(std::move(vm));
    }

    HostPci hostpci(std::size_t i, int index, const std::string& value) {
        std::string err;
        auto v = px::parse_hostpci(value, &err);
        if (!v) cx_.fail(i, "hostpci" + std::to_string(index) + ": " + err);
        HostPci p;
        p.index = index;
        p.raw = value;
        p.host = v->host;
        p.mapping = v->mapping;
        p.pcie = v->pcie.value_or(false);
        p.x_vga = v->x_vga.value_or(false);
        p.rombar = v->rombar;
        p.src = cx_.at(i);
        for (std::size_t k = 0; k < v->ids.size(); ++k) {
            const auto& id = v->ids[k];
            Bdf b;
            b.domain = id.domain.value_or(0);
            b.bus = static_cast<std::uint8_t>(id.bus);
            b.dev = static_cast<std::uint8_t>(id.dev);
            b.fn = static_cast<std::uint8_t>(id.fn.value_or(0));
            p.bdfs.push_back(b);
            if (!id.fn) p.all_functions = true;
            if (k == 0 && id.fn) p.bdf = b;
        }
        return p;
    }
};

} // namespace

void ingest_proxmox(IngestContext& cx) {
    Proxmox(cx).run();
}

} // namespace il::model::detail
