// Raw RFC-822 / MIME mail decoding (mails saved from list archives).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace il::text {

struct DecodedLine {
    std::string text;
    std::uint32_t no; // line in the raw file where this decoded line starts
};

// If raw looks like an RFC-822 message, returns the decoded bodies of its text parts
// (quoted-printable and base64 decoded, headers dropped), else nullopt.
std::optional<std::vector<DecodedLine>> decode_mail(std::string_view raw);

} // namespace il::text
