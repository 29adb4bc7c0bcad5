// X3 rules of the kernel command line grammar (definitions in grammar_def.hpp, instantiated
// once in cmdline.cpp). Each rule parses one whole normalised line.
#pragma once

#include "grammars/cmdline/ast.hpp"
#include "grammars/common/x3_config.hpp"

namespace il::grammars::cmdline::parser {

namespace x3 = boost::spirit::x3;

// "BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve root=/dev/mapper/pve-root ro quiet"
using cmdline_type = x3::rule<class cmdline_class, std::vector<ast::Token>>;
// GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on"
using grub_assign_type = x3::rule<class grub_assign_class, ast::GrubAssign>;
// the beginning of such a line, up to '=' (to tell malformed values from other lines)
using grub_start_type = x3::rule<class grub_start_class, std::string>;
// "vmlinuz-6.5.11-8-pve" -> "6.5.11-8-pve"
using image_version_type = x3::rule<class image_version_class, std::string>;

BOOST_SPIRIT_DECLARE(cmdline_type, grub_assign_type, grub_start_type, image_version_type)

} // namespace il::grammars::cmdline::parser

namespace il::grammars::cmdline {
const parser::cmdline_type& cmdline();
const parser::grub_assign_type& grub_assign();
const parser::grub_start_type& grub_start();
const parser::image_version_type& image_version();
} // namespace il::grammars::cmdline
