// Kernel command lines and GRUB lines.
#include "fuzz_util.hpp"
#include "grammars/cmdline/cmdline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace c = il::grammars::cmdline;
    for (auto line : il::fuzz::lines_of(il::fuzz::as_text(data, size))) {
        // parse_kernel_cmdline skips lines by a quick test first; it must accept exactly what
        // the grammar and is_kernel_cmdline accept
        const auto cl = c::parse_cmdline(line);
        const bool accepted = cl && c::is_kernel_cmdline(*cl);
        if (c::parse_kernel_cmdline(line).has_value() != accepted) __builtin_trap();
        (void)c::parse_grub_line(line);
        (void)c::starts_like_grub_line(line);
        (void)c::kernel_version_from_image(line);
    }
    return 0;
}
