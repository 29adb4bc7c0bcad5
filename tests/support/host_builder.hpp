// Builds small host snapshots in code for simulator and linter tests.
#pragma once

#include "model/snapshot.hpp"

#include <stdexcept>
#include <string>

namespace il::test {

class HostBuilder {
public:
    HostBuilder() {
        host.name = "test";
        host.files = {"", "test.txt"};
    }

    // A PCIe device. type: port type; acs_cap/acs_ctl: -1 = no ACS capability.
    model::Device& pcie(const std::string& bdf, std::uint16_t vendor, std::uint16_t device,
                        model::PortType type, int acs_cap = -1, int acs_ctl = 0) {
        auto& d = base(bdf, vendor, device);
        d.caps_readable.set(true, src());
        d.is_pcie.set(true, src());
        d.port_type.set(type, src());
        d.has_acs.set(acs_cap >= 0, src());
        if (acs_cap >= 0) {
            model::AcsInfo a;
            a.cap = static_cast<std::uint16_t>(acs_cap);
            a.ctl = static_cast<std::uint16_t>(acs_ctl);
            d.acs.set(a, src());
        }
        return d;
    }
    // A conventional PCI device (no PCIe capability).
    model::Device& pci(const std::string& bdf, std::uint16_t vendor, std::uint16_t device) {
        auto& d = base(bdf, vendor, device);
        d.caps_readable.set(true, src());
        d.is_pcie.set(false, src());
        d.has_acs.set(false, src());
        return d;
    }
    // A device whose capabilities were not readable (non-root lspci).
    model::Device& hidden(const std::string& bdf, std::uint16_t vendor, std::uint16_t device) {
        auto& d = base(bdf, vendor, device);
        d.caps_readable.set(false, src());
        return d;
    }
    // Make a device a bridge to [sec, sub].
    static void bridge(model::Device& d, int sec, int sub) {
        d.header_type.set(1, {1, 1});
        d.class_code.set(0x0604, {1, 1});
        d.buses.set({d.bdf.bus, static_cast<std::uint8_t>(sec), static_cast<std::uint8_t>(sub)}, {1, 1});
    }
    model::Host build() {
        host.sort_devices();
        return host;
    }
    model::Host host;

private:
    std::uint32_t line_ = 0;
    model::Source src() { return {1, line_}; }
    model::Device& base(const std::string& bdf, std::uint16_t vendor, std::uint16_t device) {
        auto b = model::Bdf::parse(bdf);
        if (!b) throw std::invalid_argument("bad bdf " + bdf);
        ++line_;
        auto& d = host.get_or_add(*b, src());
        d.vendor_id.set(vendor, src());
        d.device_id.set(device, src());
        d.header_type.set(0, src());
        return d;
    }
};

} // namespace il::test
