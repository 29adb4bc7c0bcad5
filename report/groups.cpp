#include "report/groups.hpp"

#include <map>
#include <set>

namespace il::report {

using nlohmann::json;

namespace {

std::string dev_line(const model::Device& d) {
    std::string s = d.bdf.str();
    if (!d.class_name.empty()) s += "  " + d.class_name;
    if (!d.description.empty()) s += ": " + d.description;
    if (d.vendor_id.known() && d.device_id.known()) {
        char b[24];
        std::snprintf(b, sizeof b, " [%04x:%04x]", *d.vendor_id, *d.device_id);
        s += b;
    }
    return s;
}

json group_json(const model::Host& h, const sim::Group& g) {
    json devs = json::array();
    for (auto m : g.members) devs.push_back(h.devices[m].bdf.str());
    return {{"id", g.id}, {"devices", devs}, {"reason", g.reason}, {"certain", g.certain}};
}

json policy_json(const sim::Policy& p) {
    return {
        {"kernel", p.kernel.str()},
        {"kernel_origin", p.kernel_origin},
        {"acs_override", p.override_cfg.describe()},
        {"acs_override_origin", p.override_origin},
        {"override_placement", p.placement == sim::OverridePlacement::proxmox ? "proxmox" : "end"},
        {"summary", p.describe()}};
}

} // namespace

json groups_json(const model::Host& h, const sim::SimResult& r, const sim::Comparison& c) {
    json j;
    j["name"] = h.name;
    j["policy"] = policy_json(r.policy);
    j["certain"] = r.certain;
    json gs = json::array();
    for (const auto& g : r.grouping.groups) gs.push_back(group_json(h, g));
    j["groups"] = gs;
    if (!r.certain) {
        json tg = json::array();
        for (const auto& g : r.tight.groups) tg.push_back(group_json(h, g));
        j["tightest_groups"] = tg;
    }
    json ung = json::array();
    for (std::size_t i = 0; i < h.devices.size(); ++i)
        if (r.grouping.group_of[i] < 0)
            ung.push_back(
                {{"bdf", h.devices[i].bdf.str()}, {"reason", r.grouping.ungrouped_reasons[i]}});
    j["ungrouped"] = ung;
    j["unknowns"] = r.unknowns;
    j["notes"] = r.notes;
    json obs;
    obs["match"] = c.has_observed ? json(c.match) : json(nullptr);
    obs["differences"] = c.differences;
    obs["devices_compared"] = c.devices_compared;
    j["observed"] = obs;
    return j;
}

void groups_text(std::ostream& os, const model::Host& h, const sim::SimResult& r,
                 const sim::Comparison& c) {
    os << "host " << h.name << ": " << r.policy.describe() << "\n";
    if (!r.certain)
        os << "  NOTE: the input leaves " << r.unknowns.size()
           << " fact(s) unknown; groups marked '?' may be split finer (see --format json "
              "tightest_groups)\n";
    for (const auto& g : r.grouping.groups) {
        os << "group " << g.id << (g.certain ? "" : " ?") << "\n";
        for (auto m : g.members) os << "    " << dev_line(h.devices[m]) << "\n";
        os << "  why: " << g.reason << "\n";
    }
    for (std::size_t i = 0; i < h.devices.size(); ++i)
        if (r.grouping.group_of[i] < 0)
            os << "no group: " << h.devices[i].bdf.str() << " (" << r.grouping.ungrouped_reasons[i]
               << ")\n";
    if (!r.unknowns.empty()) {
        os << "unknown in the input:\n";
        for (const auto& u : r.unknowns) os << "  - " << u << "\n";
    }
    if (!r.notes.empty()) {
        os << "assumptions:\n";
        for (const auto& n : r.notes) os << "  - " << n << "\n";
    }
    if (c.has_observed) {
        os << "observed groups: " << (c.match ? "match" : "DIFFER") << " (" << c.devices_compared
           << " devices compared)\n";
        for (const auto& d : c.differences) os << "  - " << d << "\n";
    }
}

json explain_json(const model::Host& h, const model::Topology& t, const sim::SimResult& r,
                  std::size_t device) {
    const auto& tr = r.grouping.traces[device];
    json j;
    j["device"] = h.devices[device].bdf.str();
    j["alias_root"] = h.devices[tr.alias_root].bdf.str();
    j["group_root"] = h.devices[tr.group_root].bdf.str();
    j["group"] = r.grouping.group_of[device];
    j["steps"] = tr.steps;
    json path = json::array();
    sim::AcsQuery acs(h, t, r.policy);
    for (auto b : t.bridges_above(device)) {
        const auto& v = acs(b);
        path.push_back({{"bridge", h.devices[b].bdf.str()},
                        {"isolated", std::string(sim::to_string(v.isolated))},
                        {"why", v.why}});
    }
    j["bridges"] = path;
    const auto& self = acs(device);
    j["self"] = {{"isolated", std::string(sim::to_string(self.isolated))}, {"why", self.why}};
    json members = json::array();
    const int g = r.grouping.group_of[device];
    if (g >= 0)
        for (const auto& grp : r.grouping.groups)
            if (grp.id == g) {
                for (auto m : grp.members)
                    members.push_back({{"bdf", h.devices[m].bdf.str()},
                                       {"how", r.grouping.traces[m].steps.empty()
                                                   ? std::string()
                                                   : r.grouping.traces[m].steps.back()}});
                j["reason"] = grp.reason;
            }
    j["members"] = members;
    j["unknowns"] = tr.unknowns;
    return j;
}

void explain_text(std::ostream& os, const model::Host& h, const model::Topology& t,
                  const sim::SimResult& r, std::size_t device) {
    const auto& d = h.devices[device];
    const auto& tr = r.grouping.traces[device];
    os << dev_line(d) << "\n";
    os << "policy: " << r.policy.describe() << "\n";
    sim::AcsQuery acs(h, t, r.policy);
    const auto& self = acs(device);
    os << "itself: "
       << (self.isolated == sim::Tri::yes  ? "ACS-isolated"
           : self.isolated == sim::Tri::no ? "not ACS-isolated"
                                           : "unknown")
       << " - " << self.why << "\n";
    os << "bridges above it (nearest first):\n";
    for (auto b : t.bridges_above(device)) {
        const auto& v = acs(b);
        os << "  " << h.devices[b].bdf.str() << ": "
           << (v.isolated == sim::Tri::yes  ? "isolates"
               : v.isolated == sim::Tri::no ? "does NOT isolate"
                                            : "unknown")
           << " - " << v.why << "\n";
    }
    os << "walk:\n";
    for (const auto& s : tr.steps) os << "  - " << s << "\n";
    os << "DMA alias root: " << h.devices[tr.alias_root].bdf.str() << "\n";
    os << "group root: " << h.devices[tr.group_root].bdf.str() << "\n";
    const int g = r.grouping.group_of[device];
    if (g < 0) {
        os << "no group: " << r.grouping.ungrouped_reasons[device] << "\n";
        return;
    }
    for (const auto& grp : r.grouping.groups)
        if (grp.id == g) {
            os << "group " << g << " (" << grp.members.size() << " device(s)):\n";
            for (auto m : grp.members) os << "  " << dev_line(h.devices[m]) << "\n";
            os << "why: " << grp.reason << "\n";
        }
    if (!tr.unknowns.empty()) {
        os << "unknown in the input:\n";
        for (const auto& u : tr.unknowns) os << "  - " << u << "\n";
    }
}

json diff_json(const model::Host& h, const sim::SimResult& before, const sim::SimResult& after) {
    json j;
    j["name"] = h.name;
    j["before"] = {{"policy", policy_json(before.policy)}, {"groups", json::array()}};
    for (const auto& g : before.grouping.groups) j["before"]["groups"].push_back(group_json(h, g));
    j["after"] = {{"policy", policy_json(after.policy)}, {"groups", json::array()}};
    for (const auto& g : after.grouping.groups) j["after"]["groups"].push_back(group_json(h, g));
    json splits = json::array();
    for (const auto& s : override_splits(before, after)) {
        json sj;
        sj["before"] = group_json(h, *s.before);
        sj["after"] = json::array();
        for (const auto* a : s.after) sj["after"].push_back(group_json(h, *a));
        sj["hardware_enforced"] = s.hardware_enforced;
        sj["isolation"] = s.hardware_enforced ? "hardware" : "logical only";
        sj["depends_on"] = json::array();
        for (const auto& v : s.override_decisions)
            sj["depends_on"].push_back({{"bdf", h.devices[v.device].bdf.str()}, {"why", v.why}});
        splits.push_back(sj);
    }
    j["splits"] = splits;
    return j;
}

void diff_text(std::ostream& os, const model::Host& h, const sim::SimResult& before,
               const sim::SimResult& after) {
    os << "host " << h.name << "\n";
    os << "before: " << before.policy.describe() << " -> " << before.grouping.groups.size()
       << " groups\n";
    os << "after:  " << after.policy.describe() << " -> " << after.grouping.groups.size()
       << " groups\n";
    auto splits = override_splits(before, after);
    if (splits.empty()) os << "the override splits no group\n";
    for (const auto& s : splits) {
        os << "split: group " << s.before->id << " (" << s.before->members.size()
           << " devices) becomes " << s.after.size() << " groups: "
           << (s.hardware_enforced ? "enforced by hardware ACS"
                                   : "LOGICAL ONLY, not enforced by hardware")
           << "\n";
        for (const auto* a : s.after) {
            os << "  ->";
            for (auto m : a->members) os << " " << h.devices[m].bdf.str();
            os << "\n";
        }
        for (const auto& v : s.override_decisions)
            os << "  because " << h.devices[v.device].bdf.str() << ": " << v.why << "\n";
    }
}

} // namespace il::report
