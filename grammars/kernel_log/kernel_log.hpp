// Kernel log lines: dmesg (plain, -T, -H, -d, -x, -r, -t, collapsed padding, printk caller
// ids), journalctl -k, syslog kern.log, raw /dev/kmsg records. The X3 grammar recognises
// the line prefix and the messages iommu-lint uses; the adapter turns them into facts.
#pragma once

#include "grammars/kernel_log/ast.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace il::grammars::kernel_log {

using ast::Style;

struct Line {
    Style style = Style::bare;
    std::optional<double> seconds; // since boot, when the line prints it
    std::optional<int> level;      // printk level 0..7, when printed
    bool kernel = true;            // false: journal/syslog/kmsg line of another program
    std::string_view message;      // the message (view into the line), trimmed
};

// Recognises one (normalised) line. nullopt when it is not a kernel log line: no known
// prefix, and (for prefix-less dmesg -t lines) no message shape that only the kernel prints.
std::optional<Line> parse_line(std::string_view line);

struct Message {
    std::string driver;                 // dev_printk driver ("pcieport"), "" when none
    std::optional<ast::PciAddr> device; // PCI device named by the prefix
    std::string device_name;            // "nvme0", "ivhd0", network interface name
    ast::Body body;                     // ast::Unknown when not a message iommu-lint knows
    std::string_view text;              // the message after the device prefix (view)
};

// Splits a message into its device prefix and body.
Message parse_message(std::string_view message);

// True when a prefix-less line may be taken for a kernel message (dmesg -t): it names a
// PCI device the way dev_printk does, or it is one of the messages iommu-lint reads.
bool looks_like_bare_kernel_message(const Message& m);

} // namespace il::grammars::kernel_log
