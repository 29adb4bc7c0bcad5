// The snapshot interchange format (docs/snapshot-format.md): JSON out and back in.
#pragma once

#include "model/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace il::model {

nlohmann::json to_json(const Host& h);
nlohmann::json to_json(const Snapshot& s);
// JSON text of any of the tool's documents; strings that are not valid UTF-8 (they come from
// the inputs) are written with U+FFFD in place of the bad bytes, never refused.
std::string dump_json(const nlohmann::json& j, int indent = 2);
// Throws IngestError ("name: ...") on malformed or unsupported documents.
Snapshot snapshot_from_json_text(std::string_view text, const std::string& name);

} // namespace il::model
