// Kernel log lines and the messages in them.
#include "fuzz_util.hpp"
#include "grammars/kernel_log/kernel_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace k = il::grammars::kernel_log;
    for (auto line : il::fuzz::lines_of(il::fuzz::as_text(data, size))) {
        const auto l = k::parse_line(line);
        // a message is also parsed on its own (dmesg -t lines have no prefix)
        const auto bare = k::parse_message(line);
        (void)k::looks_like_bare_kernel_message(bare);
        if (!l) continue;
        if (l->message.data() < line.data() ||
            l->message.data() + l->message.size() > line.data() + line.size())
            __builtin_trap(); // the message is a view into the line
        const auto m = k::parse_message(l->message);
        (void)k::looks_like_bare_kernel_message(m);
    }
    return 0;
}
