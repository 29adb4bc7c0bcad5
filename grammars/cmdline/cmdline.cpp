// The one translation unit that compiles the kernel command line grammar, and its public API.
#include "grammars/cmdline/cmdline.hpp"

#include "grammars/cmdline/grammar_def.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>

namespace il::grammars::cmdline {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(cmdline_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(grub_assign_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(grub_start_type, iterator_type, plain_context_type)
BOOST_SPIRIT_INSTANTIATE(image_version_type, iterator_type, plain_context_type)
} // namespace parser

namespace {

template <class Rule, class Attr> bool whole(std::string_view text, const Rule& r, Attr& attr) {
    iterator_type first = text.begin();
    const iterator_type last = text.end();
    return x3::parse(first, last, r, attr) && first == last;
}

bool any_of_names(std::string_view k, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), k) != names.end();
}

// Parameter names: letters, digits, '_', '-', '.' (module.param), nothing else.
bool name_shaped(std::string_view k) {
    if (k.empty()) return false;
    return std::all_of(k.begin(), k.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// A flag without '=': a known one, or shaped like one (no*, has '_' or '.'), lower case.
bool flag_shaped(std::string_view k) {
    if (!name_shaped(k)) return false;
    if (std::any_of(k.begin(), k.end(),
                    [](char c) { return std::isupper(static_cast<unsigned char>(c)); }))
        return false;
    if (any_of_names(k, {"ro",       "rw",         "quiet",       "splash",
                         "nosplash", "single",     "emergency",   "rescue",
                         "debug",    "nomodeset",  "noapic",      "nolapic",
                         "text",     "nosmt",      "nokaslr",     "nopti",
                         "noefi",    "nousb",      "earlyprintk", "ignore_loglevel",
                         "verbose",  "silent",     "s",           "1",
                         "3",        "5",          "rhgb",        "rootwait",
                         "fastboot", "threadirqs", "showopts",    "initcall_debug",
                         "acpi",     "apm",        "edd"}))
        return true;
    return k.substr(0, 2) == "no" || k.find('_') != std::string_view::npos ||
           k.find('.') != std::string_view::npos;
}

bool iommu_anchor(std::string_view k) {
    return any_of_names(k, {"intel_iommu", "amd_iommu", "iommu", "iommu.passthrough",
                            "iommu.strict", "pcie_acs_override", "vfio-pci.ids", "vfio_pci.ids",
                            "vfio-pci.disable_vga", "vfio_iommu_type1.allow_unsafe_interrupts",
                            "pcie_aspm", "pci", "intremap", "kvm.ignore_msrs"});
}

} // namespace

std::optional<CmdLine> parse_cmdline(std::string_view line) {
    std::vector<ast::Token> toks;
    if (!whole(line, cmdline(), toks)) return std::nullopt;
    CmdLine c;
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    c.text = std::string(t);
    for (auto& k : toks) {
        Token tk;
        tk.key = std::move(k.key);
        if (k.value) tk.value = std::move(*k.value);
        c.tokens.push_back(std::move(tk));
    }
    return c;
}

namespace {

// Does the line hold a parameter with a value without which is_kernel_cmdline never accepts
// it (BOOT_IMAGE=, root=, initrd= or an IOMMU anchor)? A key stands between a blank (or the
// line's start) and its '=' and holds no '=', blank or '"' (the grammar's key): the text
// before each '=' back to such a character is tested, so each byte is looked at about once.
bool holds_anchor_parameter(std::string_view line) {
    for (auto eq = line.find('='); eq != std::string_view::npos; eq = line.find('=', eq + 1)) {
        std::size_t b = eq;
        while (b > 0 && line[b - 1] != ' ' && line[b - 1] != '\t' && line[b - 1] != '=' &&
               line[b - 1] != '"')
            --b;
        const auto k = line.substr(b, eq - b);
        if (k == "BOOT_IMAGE" || k == "root" || k == "initrd" || iommu_anchor(k)) return true;
    }
    return false;
}

} // namespace

std::optional<CmdLine> parse_kernel_cmdline(std::string_view line) {
    // most lines that reach here (lspci bodies with "DEVSEL=fast", "AuxCurrent=0mA") hold a
    // '=' but none of the parameters that make a command line: those are not parsed
    if (!holds_anchor_parameter(line)) return std::nullopt;
    auto c = parse_cmdline(line);
    if (!c || !is_kernel_cmdline(*c)) return std::nullopt;
    return c;
}

bool is_kernel_cmdline(const CmdLine& c) {
    if (c.tokens.empty()) return false;
    int kv = 0, odd = 0; // odd: bare words that do not look like kernel flags
    bool anchor = false, root = false;
    for (const auto& t : c.tokens) {
        if (t.value) {
            if (!name_shaped(t.key)) return false;
            ++kv;
            if (iommu_anchor(t.key)) anchor = true;
            if (t.key == "root" || t.key == "initrd") root = true;
        } else if (t.key == "--") {
            continue; // the rest goes to init
        } else if (!name_shaped(t.key)) {
            return false;
        } else if (!flag_shaped(t.key)) {
            ++odd;
        }
    }
    // BOOT_IMAGE= first, root= or initrd=: a command line unless bare words outweigh the
    // parameters (distributions add flags like "rhgb"; prose has many words and one "x=y")
    if ((c.tokens.front().key == "BOOT_IMAGE" && c.tokens.front().value) || root)
        return odd * 2 <= kv;
    return odd == 0 && c.tokens.size() >= 3 && kv >= 2 && anchor;
}

std::optional<GrubLine> parse_grub_line(std::string_view line) {
    ast::GrubAssign a;
    if (!whole(line, grub_assign(), a)) return std::nullopt;
    GrubLine g;
    g.is_default = a.variable == "GRUB_CMDLINE_LINUX_DEFAULT";
    g.value = std::move(a.value);
    const auto hash = a.lead.rfind('#');
    if (hash != std::string::npos) {
        // "#GRUB_..." disables the setting; "## GRUB_..." is a heading or a quoted setting
        if (hash + 1 == a.lead.size())
            g.commented_out = true;
        else
            g.behind_hashes = true;
    }
    return g;
}

bool starts_like_grub_line(std::string_view line) {
    iterator_type first = line.begin();
    std::string var;
    return x3::parse(first, line.end(), grub_start(), var);
}

std::optional<std::string> kernel_version_from_image(std::string_view image) {
    const auto slash = image.rfind('/');
    if (slash != std::string_view::npos) image.remove_prefix(slash + 1);
    std::string v;
    if (!whole(image, image_version(), v)) return std::nullopt;
    return v;
}

} // namespace il::grammars::cmdline
