#include "linter/data.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace il::linter {

namespace {

std::uint16_t hex16(const std::string& s) {
    return static_cast<std::uint16_t>(std::stoul(s, nullptr, 16));
}

ChipsetTable load_chipset() {
    const auto j = nlohmann::json::parse(data::chipset_uplinks_json);
    ChipsetTable t;
    for (const auto& e : j.at("amd")) {
        ChipsetBridge b;
        const auto id = e.at("id").get<std::string>();
        const auto colon = id.find(':');
        if (colon == std::string::npos)
            throw std::runtime_error("chipset-uplinks.json: bad id " + id);
        b.vendor = hex16(id.substr(0, colon));
        b.device = hex16(id.substr(colon + 1));
        const auto role = e.at("role").get<std::string>();
        if (role == "chipset_bridge")
            b.role = ChipsetBridge::Role::chipset_bridge;
        else if (role == "chipset_port")
            b.role = ChipsetBridge::Role::chipset_port;
        else
            throw std::runtime_error("chipset-uplinks.json: unknown role " + role);
        b.name = e.at("name").get<std::string>();
        t.amd.push_back(std::move(b));
    }
    const auto& in = j.at("intel");
    for (const auto& w : in.at("name_words_any")) t.intel_name_any.push_back(w.get<std::string>());
    for (const auto& all : in.at("name_words_all")) {
        std::vector<std::string> v;
        for (const auto& w : all) v.push_back(w.get<std::string>());
        t.intel_name_all.push_back(std::move(v));
    }
    t.intel_uplink = in.at("uplink").get<std::string>();
    return t;
}

ResetProblem problem_from(const std::string& s) {
    if (s == "reset_bug") return ResetProblem::reset_bug;
    if (s == "no_flr") return ResetProblem::no_flr;
    if (s == "no_bus_reset") return ResetProblem::no_bus_reset;
    if (s == "no_pm_reset") return ResetProblem::no_pm_reset;
    throw std::runtime_error("reset-quirks.json: unknown problem " + s);
}

ResetTable load_reset() {
    const auto j = nlohmann::json::parse(data::reset_quirks_json);
    ResetTable t;
    for (const auto& [k, v] : j.at("problems").items())
        t.explain[problem_from(k)] = v.get<std::string>();
    for (const auto& e : j.at("families")) {
        ResetFamily f;
        f.name = e.at("name").get<std::string>();
        f.vendor = hex16(e.at("vendor").get<std::string>());
        for (const auto& d : e.at("devices")) f.devices.push_back(hex16(d.get<std::string>()));
        f.problem = problem_from(e.at("problem").get<std::string>());
        f.source = e.at("source").get<std::string>();
        t.families.push_back(std::move(f));
    }
    for (const auto& e : j.at("class_rules")) {
        ResetFamily f;
        f.name = e.at("name").get<std::string>();
        f.vendor = hex16(e.at("vendor").get<std::string>());
        f.class_code = hex16(e.at("class").get<std::string>());
        f.problem = problem_from(e.at("problem").get<std::string>());
        f.source = e.at("source").get<std::string>();
        t.families.push_back(std::move(f));
    }
    return t;
}

} // namespace

std::string_view to_string(ResetProblem p) {
    switch (p) {
    case ResetProblem::reset_bug:
        return "reset_bug";
    case ResetProblem::no_flr:
        return "no_flr";
    case ResetProblem::no_bus_reset:
        return "no_bus_reset";
    case ResetProblem::no_pm_reset:
        return "no_pm_reset";
    }
    return "reset_bug";
}

const ChipsetBridge* ChipsetTable::find(std::uint16_t vendor, std::uint16_t device) const {
    for (const auto& b : amd)
        if (b.vendor == vendor && b.device == device) return &b;
    return nullptr;
}

std::vector<const ResetFamily*> ResetTable::match(std::uint16_t vendor, std::uint16_t device,
                                                  std::optional<std::uint16_t> class_code) const {
    std::vector<const ResetFamily*> out;
    for (const auto& f : families) {
        if (f.vendor != vendor) continue;
        if (f.class_code) {
            if (class_code && *class_code == *f.class_code) out.push_back(&f);
            continue;
        }
        for (auto d : f.devices)
            if (d == device) {
                out.push_back(&f);
                break;
            }
    }
    return out;
}

const ChipsetTable& chipset_table() {
    static const ChipsetTable t = load_chipset();
    return t;
}

const ResetTable& reset_table() {
    static const ResetTable t = load_reset();
    return t;
}

} // namespace il::linter
