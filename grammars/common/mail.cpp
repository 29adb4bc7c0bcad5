// PLACEHOLDER until mail decoding lands: never treats input as a mail.
#include "grammars/common/mail.hpp"

namespace il::text {
std::optional<std::vector<DecodedLine>> decode_mail(std::string_view) { return std::nullopt; }
} // namespace il::text
