// Kernel log lines: the X3 grammar is instantiated here (once) and wrapped by the public API.
#include "grammars/kernel_log/kernel_log.hpp"

#include "grammars/common/text.hpp"
#include "grammars/kernel_log/grammar_def.hpp"

#include <algorithm>
#include <cctype>

namespace il::grammars::kernel_log {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(line_prefix_type, iterator_type, phrase_context_type)
BOOST_SPIRIT_INSTANTIATE(device_prefix_type, iterator_type, phrase_context_type)
BOOST_SPIRIT_INSTANTIATE(message_body_type, iterator_type, phrase_context_type)
} // namespace parser

namespace {

// The X3 character classes assert on bytes outside ASCII (UTF-8 text, console garbage).
// Grammars therefore read a copy of the same length with such bytes replaced; positions
// found in the copy are positions in the original.
// (Most lines are ASCII: they are read in place, without a copy.)
std::string_view ascii_view(std::string_view s, std::string& copy) {
    if (std::none_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        return s;
    copy.assign(s);
    for (auto& c : copy)
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    return copy;
}

// Can line_prefix match this line at all? Its alternatives begin (after blanks) with a
// digit or sign (kmsg, ISO time), '-' ("-- Boot"), '<' (printk level), '[' (dmesg stamps), a
// month name (syslog time) or a facility word (dmesg -x), or, for a kmsg dictionary line,
// with exactly one space. Any other line fails the grammar's first step: it is not tried
// (most lines of an lspci capture; saves the grammar's dozen alternatives).
bool may_have_prefix(std::string_view line) {
    if (!line.empty() && line.front() == ' ') return true;
    const auto t = text::trim_left(line);
    if (t.empty()) return false;
    // the first letter is known equal: the rest of the word is compared in place
    const auto is = [t](std::string_view w) {
        return t.size() >= w.size() && std::equal(w.begin() + 1, w.end(), t.begin() + 1);
    };
    switch (t.front()) { // the words by their first letter: one or two compares a line
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
        // digits open only a kmsg record ("6,339,...;") or an ISO time ("2026-11-21T..."):
        // "0000:00:1f.3 ..." (an lspci header) stops at ':'
        const auto d = t.find_first_not_of("0123456789");
        return d != std::string_view::npos && (t[d] == ',' || t[d] == '-');
    }
    case '+':
    case '-':
    case '<':
    case '[':
        return true;
    case 'J':
        return is("Jan") || is("Jun") || is("Jul");
    case 'F':
        return is("Feb");
    case 'M':
        return is("Mar") || is("May");
    case 'A':
        return is("Apr") || is("Aug");
    case 'S':
        return is("Sep");
    case 'O':
        return is("Oct");
    case 'N':
        return is("Nov");
    case 'D':
        return is("Dec");
    case 'k':
        return is("kern");
    case 'u':
        return is("user") || is("uucp");
    case 'm':
        return is("mail");
    case 'd':
        return is("daemon");
    case 'a':
        return is("auth");
    case 's':
        return is("syslog");
    case 'l':
        return is("lpr") || is("local");
    case 'n':
        return is("news");
    case 'c':
        return is("cron");
    case 'f':
        return is("ftp");
    default:
        return false;
    }
}

std::string_view trimmed_tail(std::string_view original, std::size_t offset) {
    return text::trim(original.substr(std::min(offset, original.size())));
}

} // namespace

std::optional<Line> parse_line(std::string_view line) {
    // (the prefix test reads only the first bytes: it runs before the line is made ASCII)
    const bool prefixed = may_have_prefix(line);
    std::string copy;
    const std::string_view sv = prefixed ? ascii_view(line, copy) : line;
    ast::Prefix p;
    auto first = sv.begin();
    const auto last = sv.end();
    if (prefixed && x3::phrase_parse(first, last, line_prefix(), x3::ascii::blank, p)) {
        Line out;
        out.style = p.style;
        out.kernel = p.kernel;
        if (p.style == Style::kmsg) {
            // priority = facility * 8 + level; facility 0 is the kernel
            out.level = p.level & 7;
            out.kernel = (p.level >> 3) == 0;
            out.seconds = p.seconds / 1e6; // microseconds since boot
        } else {
            if (p.level >= 0 && p.level <= 7) out.level = p.level;
            if (p.seconds >= 0) out.seconds = p.seconds;
        }
        out.message = p.style == Style::kmsg_field
                          ? text::trim(line)
                          : trimmed_tail(line, static_cast<std::size_t>(first - sv.begin()));
        return out;
    }
    // dmesg -t prints the message at the start of the line (some captures keep one space);
    // deeper indentation is prose or quoted text (git log subjects read "    PCI: ...")
    if (line.empty() || line.front() == '\t') return std::nullopt;
    const auto t = text::trim(line);
    if (t.empty() || line.size() - text::trim_left(line).size() > 2) return std::nullopt;
    // every shape looks_like_bare_kernel_message accepts opens with a letter (a driver name,
    // "nvme", "iommu", a subsystem tag or a fixed message): anything else is not parsed
    if (!std::isalpha(static_cast<unsigned char>(t.front()))) return std::nullopt;
    if (!looks_like_bare_kernel_message(parse_message(t))) return std::nullopt;
    Line out;
    out.style = Style::bare;
    out.message = t;
    return out;
}

Message parse_message(std::string_view message) {
    std::string copy;
    const std::string_view sv = ascii_view(message, copy);
    Message m;
    auto first = sv.begin();
    const auto last = sv.end();
    {
        ast::DevicePrefix dp;
        auto it = first;
        if (x3::phrase_parse(it, last, device_prefix(), x3::ascii::blank, dp)) {
            m.driver = std::move(dp.driver);
            if (dp.has_addr) m.device = dp.addr;
            m.device_name = std::move(dp.name);
            first = it;
        }
    }
    m.text = trimmed_tail(message, static_cast<std::size_t>(first - sv.begin()));
    ast::Body body;
    auto it = first;
    if (x3::phrase_parse(it, last, message_body(), x3::ascii::blank, body))
        m.body = std::move(body);
    // the command line is kept byte for byte (it may hold UTF-8)
    if (auto* c = std::get_if<ast::CommandLine>(&m.body)) {
        const auto colon = m.text.find("line:");
        if (colon != std::string_view::npos) c->text = std::string(trimmed_tail(m.text, colon + 5));
    }
    return m;
}

bool looks_like_bare_kernel_message(const Message& m) {
    // a bare subsystem tag ("PCI: ...", "iommu: ...") is not enough: kernel commit subjects
    // in mails look the same
    if (m.device) return true;
    if (!m.device_name.empty() && !m.driver.empty()) return true; // "nvme nvme0:"
    return std::visit(
        [](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, ast::GroupAdd> || std::is_same_v<T, ast::GroupRemove>)
                return b.device.has_value(); // old "iommu: Adding device X to group N"
            else
                return std::is_same_v<T, ast::LinuxVersion> ||
                       std::is_same_v<T, ast::CommandLine> || std::is_same_v<T, ast::IommuLine> ||
                       std::is_same_v<T, ast::DefaultDomain> ||
                       std::is_same_v<T, ast::DmarFaultStatus> ||
                       std::is_same_v<T, ast::DmarFault> || std::is_same_v<T, ast::AmdEvent> ||
                       std::is_same_v<T, ast::VfioLine>;
        },
        m.body);
}

} // namespace il::grammars::kernel_log
