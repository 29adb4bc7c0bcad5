// X3 definitions of the kernel command line grammar. Included by cmdline.cpp only.
#pragma once

#include "grammars/cmdline/ast.hpp"
#include "grammars/cmdline/ast_adapted.hpp"
#include "grammars/cmdline/grammar.hpp"

namespace il::grammars::cmdline::parser {

using x3::lit;

const auto sp = x3::omit[+x3::ascii::blank];
const auto osp = x3::omit[*x3::ascii::blank];
const auto end_of_line = osp >> x3::eoi;

// ---- /proc/cmdline --------------------------------------------------------------------------
const x3::rule<class key_class, std::string> key = "parameter name";
const auto key_def = +(x3::char_ - '=' - x3::ascii::blank - '"');

const x3::rule<class value_class, std::string> value = "parameter value";
const auto value_def =
    x3::raw[*(('"' >> *(x3::char_ - '"') >> '"') | (x3::char_ - x3::ascii::blank - '"'))];

const x3::rule<class token_class, ast::Token> token = "kernel parameter";
const auto token_def = key >> -('=' >> value);

const cmdline_type cmdline = "kernel command line";
const auto cmdline_def = osp >> (token % sp) >> end_of_line;

// ---- /etc/default/grub ----------------------------------------------------------------------
// "[ecb6ba8 etc/default/grub] 7:", "etc/default/grub:7:", "## ", "#"
const auto bracket_tag = '[' >> *(x3::char_ - ']') >> ']' >> osp;
const auto file_prefix = +(x3::char_ - ':' - x3::ascii::blank - '#' - '"' - '=') >> ':';
const auto hashes = +(lit('#') >> osp);
const x3::rule<class lead_class, std::string> lead = "line prefix";
const auto lead_def =
    x3::raw[osp >> -bracket_tag >> *file_prefix >> -hashes >> -(lit("export") >> sp)];

const x3::rule<class variable_class, std::string> variable = "GRUB_CMDLINE_LINUX variable";
const auto variable_def =
    x3::string("GRUB_CMDLINE_LINUX_DEFAULT") | x3::string("GRUB_CMDLINE_LINUX");

const x3::rule<class shell_value_class, std::string> shell_value = "quoted value";
const auto shell_value_def = ('"' >> *(x3::char_ - '"') >> '"') |
                             ('\'' >> *(x3::char_ - '\'') >> '\'') |
                             *(x3::char_ - x3::ascii::blank - '#' - '"' - '\'');

const grub_assign_type grub_assign = "GRUB_CMDLINE_LINUX assignment";
const auto grub_assign_def =
    lead >> variable >> '=' >> shell_value >> x3::omit[-(sp >> '#' >> *x3::char_)] >> end_of_line;

const grub_start_type grub_start = "GRUB_CMDLINE_LINUX= start";
const auto grub_start_def = x3::omit[lead] >> variable >> '=';

// ---- BOOT_IMAGE -----------------------------------------------------------------------------
// the file name of a kernel image, "vmlinuz-<version>" (a version starts with a digit)
const auto image_prefix = lit("vmlinuz-") | lit("vmlinux-") | lit("bzImage-") | lit("kernel-") |
                          lit("linux-") | lit("Image-");
const image_version_type image_version = "kernel image name";
const auto image_version_def = image_prefix >> &x3::ascii::digit >>
                               +(x3::char_ - x3::ascii::blank - '/') >> end_of_line;

BOOST_SPIRIT_DEFINE(key, value, token, cmdline, lead, variable, shell_value, grub_assign,
                    grub_start, image_version)

} // namespace il::grammars::cmdline::parser

namespace il::grammars::cmdline {
const parser::cmdline_type& cmdline() {
    return parser::cmdline;
}
const parser::grub_assign_type& grub_assign() {
    return parser::grub_assign;
}
const parser::grub_start_type& grub_start() {
    return parser::grub_start;
}
const parser::image_version_type& image_version() {
    return parser::image_version;
}
} // namespace il::grammars::cmdline
