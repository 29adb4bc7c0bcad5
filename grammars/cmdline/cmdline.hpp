// Kernel command lines as saved: /proc/cmdline, /etc/kernel/cmdline (systemd-boot, Proxmox)
// and the GRUB_CMDLINE_LINUX[_DEFAULT] lines of /etc/default/grub.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::grammars::cmdline {

struct Token {
    std::string key;
    std::optional<std::string> value; // as written (quotes kept)
};

struct CmdLine {
    std::string text; // the line without surrounding blanks
    std::vector<Token> tokens;
};

// Parses a line of blank-separated key[=value] tokens. No judgement: see is_kernel_cmdline.
std::optional<CmdLine> parse_cmdline(std::string_view line);

// True when the tokens are clearly a kernel command line and not prose: every token is
// parameter-shaped, and either the line starts with BOOT_IMAGE= or has root= / initrd= (then a
// few bare words that do not look like kernel flags, e.g. "rhgb", are tolerated), or it has at
// least three parameters, two of them key=value and one an IOMMU/VFIO/ACS parameter, and no
// such odd bare words.
bool is_kernel_cmdline(const CmdLine& c);

// parse_cmdline + is_kernel_cmdline, after a cheap check that the line names one of the
// parameters is_kernel_cmdline looks for.
std::optional<CmdLine> parse_kernel_cmdline(std::string_view line);

struct GrubLine {
    bool is_default = false;    // GRUB_CMDLINE_LINUX_DEFAULT (else GRUB_CMDLINE_LINUX)
    std::string value;          // unquoted
    bool commented_out = false; // "#GRUB_CMDLINE_..." (a disabled setting)
    bool behind_hashes = false; // "## GRUB_CMDLINE_..." (markdown heading / comment)
};

// GRUB_CMDLINE_LINUX[_DEFAULT]=... lines, also behind "file:N:" / "[tag] N:" grep prefixes.
std::optional<GrubLine> parse_grub_line(std::string_view line);

// True when the line begins like such a line ("...GRUB_CMDLINE_LINUX=") even if the value
// cannot be parsed (an unterminated quote): such a line is malformed, not prose.
bool starts_like_grub_line(std::string_view line);

// "BOOT_IMAGE=/boot/vmlinuz-6.5.11-8-pve" value -> "6.5.11-8-pve" (nullopt when the image
// name carries no version, e.g. "/boot/vmlinuz-linux").
std::optional<std::string> kernel_version_from_image(std::string_view image);

} // namespace il::grammars::cmdline
