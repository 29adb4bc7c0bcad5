// X3 grammar of kernel log lines: the line prefix (timestamp / syslog header / kmsg record
// header), the dev_printk device prefix of a message, and the message bodies iommu-lint
// understands. All three rules run with blanks skipped (phrase_context_type).
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/kernel_log/ast.hpp"

namespace il::grammars::kernel_log {
namespace parser {

struct line_prefix_class;
using line_prefix_type = x3::rule<line_prefix_class, ast::Prefix>;
BOOST_SPIRIT_DECLARE(line_prefix_type)

struct device_prefix_class;
using device_prefix_type = x3::rule<device_prefix_class, ast::DevicePrefix>;
BOOST_SPIRIT_DECLARE(device_prefix_type)

struct message_body_class;
using message_body_type = x3::rule<message_body_class, ast::Body>;
BOOST_SPIRIT_DECLARE(message_body_type)

} // namespace parser

// Everything before the message: "[    1.234567] ", "<4>[ 1.2] ", "[Nov21 12:00] ",
// "Jan  1 23:30:53 host kernel: [ 46.675818] ", "6,339,5140900,-;", ...
// Fails on lines without such a prefix (dmesg -t lines are recognised by the API).
parser::line_prefix_type const& line_prefix();
// "pcieport 0000:00:1c.0: ", "pciehp 0000:00:1c.0:pcie004: ", "r8169 0000:0a:00.0 eth0: ",
// "nvme nvme0: ", "iommu ivhd0: ".
parser::device_prefix_type const& device_prefix();
// The message after the device prefix; fails when the message is not one iommu-lint knows.
parser::message_body_type const& message_body();

} // namespace il::grammars::kernel_log
