// IL502: Proxmox VM configuration problems with passthrough entries.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <map>
#include <memory>

namespace il::linter::rules {

namespace {

class VmConfig final : public Rule {
public:
    VmConfig()
        : Rule("IL502", "vm-config", Severity::error,
               "a VM's hostpci entries cannot work as written (pcie=1 without q35, x-vga on a "
               "non-GPU, a device the host does not have)") {}

    void check(const LintContext& cx, Findings& out) const override {
        const auto& h = cx.host;
        // does the input list the host's devices at all?
        bool listed = false;
        for (const auto& f : h.formats_seen)
            if (f.rfind("lspci", 0) == 0 || f == "iommu-groups") listed = true;
        std::map<std::size_t, std::vector<std::string>> users; // device -> VMs passing it
        for (const auto& vm : h.vms) {
            for (const auto& hp : vm.hostpci) {
                const std::string where = "VM " + vm.name + " hostpci" + std::to_string(hp.index);
                if (hp.pcie) {
                    const bool q35 =
                        vm.machine.known() && vm.machine.value->find("q35") != std::string::npos;
                    if (!q35) {
                        const bool known = vm.machine.known();
                        auto& f = out.add(
                            known ? Severity::error : Severity::warning,
                            where + " sets pcie=1, which needs the q35 machine type, but " +
                                (known ? "the VM uses machine: " + *vm.machine.value
                                       : std::string("the config sets no machine (Proxmox then "
                                                     "uses i440fx, which has no PCIe bus)")) +
                                ": the VM fails to start.",
                            vm.name + "|hostpci" + std::to_string(hp.index) + "|pcie");
                        f.evidence.push_back(
                            cx.ev("hostpci" + std::to_string(hp.index) + ": " + hp.raw, hp.src));
                        if (known)
                            f.evidence.push_back(
                                cx.ev("machine: " + *vm.machine.value, vm.machine.src));
                        f.fix = "Set machine: q35 (Hardware > Machine in the GUI), or drop pcie=1.";
                    }
                }
                for (const auto& b : hp.bdfs) {
                    auto idx = cx.index_of(b);
                    if (!idx) continue;
                    users[*idx].push_back(where);
                    if (hp.x_vga && b.fn == 0 && cx.class_of(*idx) && !cx.is_gpu(*idx)) {
                        auto& f =
                            out.add(Severity::error,
                                    where + " sets x-vga=1 on " + cx.label(*idx) + ", which is a " +
                                        cx.kind(*idx) +
                                        ", not a GPU: QEMU expects VGA resources it does not have.",
                                    vm.name + "|hostpci" + std::to_string(hp.index) + "|x-vga");
                        f.evidence.push_back(
                            cx.ev("hostpci" + std::to_string(hp.index) + ": " + hp.raw, hp.src));
                        f.devices = {b};
                        f.fix = "Remove x-vga=1 from this entry (it is only for the guest's "
                                "primary GPU).";
                    }
                }
            }
        }
        if (listed)
            for (const auto& m : cx.missing_targets()) {
                if (!m.from_vm_config) continue;
                auto& f =
                    out.add(Severity::error,
                            m.origin + " names " + m.what +
                                ", but the host has no such device "
                                "(it lists " +
                                count(cx.size(), "device", "devices") +
                                "): the VM fails to start. Addresses move when cards are added or "
                                "removed, or when firmware settings change.",
                            m.origin + "|" + m.what);
                f.evidence.push_back(cx.ev(m.origin, m.src));
                f.fix =
                    "Point the entry at the device's current address (lspci -nn), or use a "
                    "resource mapping (Datacenter > Resource Mappings) so it follows the device.";
            }
        for (const auto& [i, vms] : users) {
            std::vector<std::string> distinct;
            for (const auto& v : vms) {
                const auto vm = v.substr(0, v.find(" hostpci"));
                bool seen = false;
                for (const auto& d : distinct)
                    if (d.substr(0, d.find(" hostpci")) == vm) seen = true;
                if (!seen) distinct.push_back(v);
            }
            if (distinct.size() < 2) continue;
            auto& f = out.add(Severity::note,
                              cx.label(i) + " is passed by " + join_and(distinct) +
                                  ": only one of these VMs can run at a time.",
                              cx.dev(i).bdf.str() + "|shared");
            f.devices = {cx.dev(i).bdf};
            f.fix = "Intended for alternating VMs? Then nothing to do; otherwise give each VM its "
                    "own device.";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL502() {
    return std::make_unique<VmConfig>();
}

} // namespace il::linter::rules
