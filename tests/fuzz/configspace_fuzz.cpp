// Config-space decoding (capability walks, extended capabilities) on arbitrary bytes: the
// bytes become the hex dump of one or two functions (`lspci -xxxx` rows) and go through
// ingest, the simulation and the lint rules. Loops, pointers past the end, odd lengths.
#include "fuzz_util.hpp"
#include "linter/lint.hpp"
#include "model/ingest.hpp"
#include "sim/grouping.hpp"
#include "sim/policy.hpp"

#include <cstdio>
#include <string>

namespace {

void rows(std::string& out, const std::uint8_t* b, std::size_t n) {
    char buf[8];
    for (std::size_t off = 0; off < n; off += 16) {
        std::snprintf(buf, sizeof buf, off < 0x100 ? "%02zx:" : "%03zx:", off);
        out += buf;
        for (std::size_t k = off; k < off + 16 && k < n; ++k) {
            std::snprintf(buf, sizeof buf, " %02x", b[k]);
            out += buf;
        }
        out += '\n';
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 8192) return 0;
    // first function: up to 4096 bytes; the rest (if any) a device on the bridge's bus
    const std::size_t first = size > 4096 ? 4096 : size;
    std::string dump = "00:1c.0 PCI bridge: Fuzz Corporation Device 1234\n";
    rows(dump, data, first);
    if (size > first) {
        dump += "\n01:00.0 Ethernet controller: Fuzz Corporation Device 5678\n";
        rows(dump, data + first, size - first);
    }
    il::model::Host host;
    try {
        host = il::model::ingest_host("fuzz", {{"lspci-x.txt", dump, false}});
    } catch (const il::model::IngestError&) {
        return 0;
    }
    (void)il::sim::simulate(host, il::sim::policy_as_booted(host));
    (void)il::linter::lint_host(host, {}, {});
    return 0;
}
