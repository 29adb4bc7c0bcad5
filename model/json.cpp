#include "model/json.hpp"

#include "model/ingest.hpp"

namespace il::model {
nlohmann::json to_json(const Host& h) { return {{"name", h.name}}; }
nlohmann::json to_json(const Snapshot& s) {
    nlohmann::json j;
    j["iommu_lint_snapshot"] = Snapshot::format_version;
    j["hosts"] = nlohmann::json::array();
    for (const auto& h : s.hosts) j["hosts"].push_back(to_json(h));
    return j;
}
Snapshot snapshot_from_json_text(std::string_view, const std::string& name) {
    throw IngestError(name + ": snapshot JSON input is not implemented yet");
}
} // namespace il::model
