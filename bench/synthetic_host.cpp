#include "synthetic_host.hpp"

namespace il::bench {

namespace {

struct Gen {
    model::Host h;
    std::uint32_t line = 0;
    std::size_t count = 0;

    model::Device& add(std::uint32_t dom, int bus, int dev, int fn, std::uint16_t vendor,
                       std::uint16_t device, model::PortType type, std::uint16_t cls, bool acs) {
        model::Source s{1, ++line};
        auto& d = h.get_or_add({dom, static_cast<std::uint8_t>(bus), static_cast<std::uint8_t>(dev),
                                static_cast<std::uint8_t>(fn)},
                               s);
        d.vendor_id.set(vendor, s);
        d.device_id.set(device, s);
        d.class_code.set(cls, s);
        d.caps_readable.set(true, s);
        d.is_pcie.set(true, s);
        d.port_type.set(type, s);
        d.has_acs.set(acs, s);
        if (acs) d.acs.set(model::AcsInfo{0x1f, 0x1d, true, {}, {}, s}, s);
        d.header_type.set(cls == 0x0604 ? 1 : 0, s);
        ++count;
        return d;
    }
    void bridge(model::Device& d, int sec, int sub) {
        d.buses.set({d.bdf.bus, static_cast<std::uint8_t>(sec), static_cast<std::uint8_t>(sub)},
                    d.src);
    }
};

} // namespace

model::Host synthetic_host(std::size_t functions) {
    using PT = model::PortType;
    Gen g;
    g.h.name = "synthetic";
    g.h.files = {"", "synthetic.txt"};
    for (std::uint32_t dom = 0; g.count < functions; ++dom) {
        int next_bus = 1;
        g.add(dom, 0, 0, 0, 0x8086, 0x09a2, PT::rc_integrated_endpoint, 0x0600, false);
        // root ports 00:01.0 .. 00:1f.x, each with a switch of 4 downstream ports
        for (int rp = 1; rp < 32 && next_bus + 8 < 250 && g.count < functions; ++rp) {
            const int rp_bus = next_bus;
            auto& port = g.add(dom, 0, rp, 0, 0x8086, 0x347a, PT::root_port, 0x0604, rp % 3 != 0);
            const int usp_bus = next_bus++;
            (void)usp_bus;
            g.bridge(port, rp_bus, rp_bus + 5);
            auto& usp = g.add(dom, rp_bus, 0, 0, 0x10b5, 0x8747, PT::upstream_port, 0x0604, false);
            g.bridge(usp, rp_bus + 1, rp_bus + 5);
            const int dsp_bus = next_bus++;
            for (int k = 0; k < 4; ++k) {
                auto& dsp = g.add(dom, dsp_bus, k, 0, 0x10b5, 0x8747, PT::downstream_port, 0x0604,
                                  k % 2 == 0);
                const int ep_bus = next_bus++;
                g.bridge(dsp, ep_bus, ep_bus);
                switch (k) {
                case 0: // GPU + audio
                    g.add(dom, ep_bus, 0, 0, 0x10de, 0x2204, PT::endpoint, 0x0300, false);
                    g.add(dom, ep_bus, 0, 1, 0x10de, 0x1aef, PT::endpoint, 0x0403, false);
                    break;
                case 1: // NVMe
                    g.add(dom, ep_bus, 0, 0, 0x144d, 0xa80a, PT::endpoint, 0x0108, false);
                    break;
                default: // NIC with 2 PFs and 14 VFs
                    for (int f = 0; f < 2; ++f)
                        g.add(dom, ep_bus, 0, f, 0x15b3, 0x101b, PT::endpoint, 0x0200, true);
                    for (int v = 0; v < 14; ++v)
                        g.add(dom, ep_bus, 1 + v / 8, v % 8, 0x15b3, 0x101c, PT::endpoint, 0x0200,
                              true)
                            .is_virtual_function.set(true, {1, g.line});
                }
            }
        }
    }
    g.h.sort_devices();
    return std::move(g.h);
}

} // namespace il::bench
