// Kernel log lines: the X3 grammar is instantiated here (once) and wrapped by the public API.
#include "grammars/kernel_log/kernel_log.hpp"

#include "grammars/common/text.hpp"
#include "grammars/kernel_log/grammar_def.hpp"

namespace il::grammars::kernel_log {
namespace parser {
BOOST_SPIRIT_INSTANTIATE(line_prefix_type, iterator_type, phrase_context_type)
BOOST_SPIRIT_INSTANTIATE(device_prefix_type, iterator_type, phrase_context_type)
BOOST_SPIRIT_INSTANTIATE(message_body_type, iterator_type, phrase_context_type)
} // namespace parser

std::optional<Line> parse_line(std::string_view line) {
    ast::Prefix p;
    auto first = line.begin();
    const auto last = line.end();
    if (x3::phrase_parse(first, last, line_prefix(), x3::ascii::blank, p)) {
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
        out.message = p.style == Style::kmsg_field ? text::trim(line)
                                                   : text::trim(std::string_view(first, last));
        return out;
    }
    const auto t = text::trim(line);
    if (t.empty()) return std::nullopt;
    if (!looks_like_bare_kernel_message(parse_message(t))) return std::nullopt;
    Line out;
    out.style = Style::bare;
    out.message = t;
    return out;
}

Message parse_message(std::string_view message) {
    Message m;
    auto first = message.begin();
    const auto last = message.end();
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
    m.text = text::trim(std::string_view(first, last));
    ast::Body body;
    auto it = first;
    if (x3::phrase_parse(it, last, message_body(), x3::ascii::blank, body))
        m.body = std::move(body);
    return m;
}

bool looks_like_bare_kernel_message(const Message& m) {
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
                       std::is_same_v<T, ast::VfioLine> || std::is_same_v<T, ast::SubsystemLine>;
        },
        m.body);
}

} // namespace il::grammars::kernel_log
