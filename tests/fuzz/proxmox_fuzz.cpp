// Proxmox VM configs: key/value lines, sections, hostpci property strings.
#include "fuzz_util.hpp"
#include "grammars/proxmox/proxmox.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace p = il::grammars::proxmox;
    for (auto line : il::fuzz::lines_of(il::fuzz::as_text(data, size))) {
        (void)p::parse_section(line);
        (void)p::is_comment(line);
        (void)p::hostpci_index(line);
        std::string err;
        const auto v = p::parse_hostpci(line, &err);
        if (!v && err.empty()) __builtin_trap(); // a failure says why
        if (const auto cl = p::parse_config_line(line)) {
            (void)p::hostpci_index(cl->key);
            (void)p::parse_hostpci(cl->value, nullptr);
        }
    }
    return 0;
}
