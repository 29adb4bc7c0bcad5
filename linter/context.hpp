// Everything a lint rule may look at for one host: the snapshot, its topology, the simulated
// groups (as booted, without any ACS override, with the usual override), the passthrough
// targets, and small helpers that name devices and classify them.
#pragma once

#include "linter/finding.hpp"
#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace il::linter {

// `--passthrough BDF` as given: one function, or every function of a slot ("01:00").
struct PassthroughRequest {
    std::string text;
    model::Bdf bdf;
    bool all_functions = false;
    static std::optional<PassthroughRequest> parse(std::string_view s);
};

struct LintOptions {
    std::vector<PassthroughRequest> passthrough;
    std::optional<sim::KernelVersion> kernel;        // --kernel
    std::optional<sim::OverrideConfig> acs_override; // --acs-override (any() false = none)
    std::string acs_override_origin = "--acs-override";
};

// A device some VM config or --passthrough hands to a guest.
struct PassthroughTarget {
    std::size_t device = 0;
    std::string origin; // "VM 100.conf hostpci0", "--passthrough 01:00.0"
    model::Source src;  // the hostpci line (file 0 for --passthrough)
};

// A passthrough request naming a device the host does not have.
struct MissingTarget {
    std::string what;   // the BDF as written
    std::string origin; // as in PassthroughTarget
    model::Source src;
    bool from_vm_config = false;
};

class LintContext {
public:
    LintContext(const model::Host& host, const LintOptions& opts);
    ~LintContext();
    LintContext(const LintContext&) = delete;
    LintContext& operator=(const LintContext&) = delete;

    const model::Host& host;
    const LintOptions& options;

    const model::Topology& topo() const { return *topo_; }
    const sim::SimResult& booted() const { return *booted_; }      // the policy as booted
    const sim::SimResult& no_override() const { return *plain_; }  // same, ACS override off
    const sim::SimResult& with_override() const { return *acso_; } // downstream,multifunction

    const std::vector<PassthroughTarget>& targets() const { return targets_; }
    const std::vector<MissingTarget>& missing_targets() const { return missing_; }
    bool is_target(std::size_t i) const;
    const PassthroughTarget* target(std::size_t i) const;

    // ---- devices
    std::size_t size() const { return host.devices.size(); }
    const model::Device& dev(std::size_t i) const { return host.devices[i]; }
    std::optional<std::size_t> index_of(const model::Bdf& b) const;
    // "0000:01:00.0 NVIDIA Corporation GP104 [GeForce GTX 1080]"
    std::string label(std::size_t i) const;
    // "01:00.0" (domain 0) or "10000:e1:00.0"
    std::string short_name(std::size_t i) const;
    // base class << 8 | subclass; from the numbers when printed, else from the class name
    std::optional<std::uint16_t> class_of(std::size_t i) const;
    bool class_is(std::size_t i, std::uint16_t cls) const;
    bool base_class_is(std::size_t i, std::uint8_t base) const;
    bool is_gpu(std::size_t i) const;         // 03xx
    bool is_nvme(std::size_t i) const;        // 0108
    bool is_storage(std::size_t i) const;     // 01xx
    bool is_hba(std::size_t i) const;         // 0104 RAID, 0107 SAS
    bool is_nic(std::size_t i) const;         // 02xx
    bool is_wired_nic(std::size_t i) const;   // 0200, 0207, 0208 (not Wi-Fi 0280)
    bool is_usb(std::size_t i) const;         // 0c03
    bool is_host_bridge(std::size_t i) const; // 0600
    bool is_isa_lpc(std::size_t i) const;     // 0601
    bool is_smbus(std::size_t i) const;       // 0c05
    bool is_bridge(std::size_t i) const;      // PCI-to-PCI bridge (header type 1 / class 0604)
    bool is_gpu_audio(std::size_t i) const;   // audio function of a GPU (same slot)
    // devices that move a lot of data: NVMe, HBA, GPUs (not BMC/server display chips, not
    // narrower than x4), wired NICs of 10G class (link of at least x2 Gen3 / x4 Gen2)
    bool is_heavy(std::size_t i) const;
    // what a person may want to pass to a guest: GPU, NVMe, NIC, USB controller, HBA, or a target
    bool is_candidate(std::size_t i) const;
    // what the host needs to keep: storage, NIC, USB, host bridge, LPC/ISA, SMBus
    bool is_host_essential(std::size_t i) const;
    std::string kind(std::size_t i) const; // "GPU", "NVMe SSD", "USB controller", ...

    // other functions of the same slot (bus:device)
    std::vector<std::size_t> siblings(std::size_t i) const;
    // every device below a bridge (its whole subtree), ascending index
    std::vector<std::size_t> subtree(std::size_t bridge) const;
    // the group (as booted, loose reading) of a device, or nullptr
    const sim::Group* group_of(std::size_t i) const;
    const sim::Group* group_of(const sim::SimResult& r, std::size_t i) const;

    // ---- input
    bool has_verbose_lspci() const; // some lspci -v/-vv record or hex dump was read
    bool has_kernel_log() const;    // some dmesg/journal/syslog/kmsg was read
    Evidence ev(std::string text, model::Source src) const;
    std::string where(model::Source s) const { return host.where(s); }

private:
    std::unique_ptr<model::Topology> topo_;
    std::unique_ptr<sim::SimResult> booted_, plain_, acso_;
    std::vector<PassthroughTarget> targets_;
    std::vector<MissingTarget> missing_;
    std::vector<int> target_of_; // per device: index into targets_ or -1
    void resolve_targets();
};

// "1 s", "12.3 s" ; "between 3.1 s and 40.2 s after boot"
std::string time_span(const std::vector<const model::LogEvent*>& events);

} // namespace il::linter
