// Small text helpers shared by the rule files.
#pragma once

#include "linter/context.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace il::linter::rules {

// where the ACS answer for a device comes from
inline model::Source acs_source(const model::Device& d) {
    if (d.acs.known()) return d.acs.src;
    if (d.has_acs.known()) return d.has_acs.src;
    if (d.port_type.known()) return d.port_type.src;
    return d.src;
}

// heavy devices among `ds`, one per physical device (the first heavy function of each slot)
inline std::vector<std::size_t> heavy_devices(const LintContext& cx,
                                              const std::vector<std::size_t>& ds) {
    std::vector<std::size_t> out;
    for (auto d : ds) {
        if (!cx.is_heavy(d)) continue;
        bool seen = false;
        for (auto o : out) {
            const auto &a = cx.dev(o).bdf, &b = cx.dev(d).bdf;
            if (a.domain == b.domain && a.bus == b.bus && a.dev == b.dev) seen = true;
        }
        if (!seen) out.push_back(d);
    }
    return out;
}

// Evidence of a finding about passthrough targets and other devices of their group: each target
// "(passed)", each other device with its kind, each VM config line that passes a target, and
// each other device's observed group.
inline void target_and_group_evidence(const LintContext& cx, Finding& f,
                                      const std::vector<std::size_t>& targets,
                                      const std::vector<std::size_t>& others) {
    for (auto m : targets) f.evidence.push_back(cx.ev(cx.label(m) + " (passed)", cx.dev(m).src));
    for (auto m : others)
        f.evidence.push_back(cx.ev(cx.label(m) + " (" + cx.kind(m) + ")", cx.dev(m).src));
    for (auto m : targets)
        if (const auto* pt = cx.target(m))
            f.evidence.push_back(cx.ev(pt->origin + " passes " + cx.short_name(m), pt->src));
}

inline void observed_group_evidence(const LintContext& cx, Finding& f, std::size_t m) {
    const auto& d = cx.dev(m);
    if (d.observed_group.known())
        f.evidence.push_back(cx.ev(cx.short_name(m) + " observed in IOMMU group " +
                                       std::to_string(*d.observed_group),
                                   d.observed_group.src));
}

// An error for a group that is certain; a warning, said so in the message, when unknown facts
// may make it smaller.
inline Severity group_severity(bool certain, std::string& msg) {
    if (certain) return Severity::error;
    msg += " (The group may be smaller: the input leaves facts unknown, see IL001.)";
    return Severity::warning;
}

// log events of some kinds, grouped by device (events without a device last)
struct EventGroup {
    std::optional<model::Bdf> bdf;
    std::vector<const model::LogEvent*> events;
};
inline std::vector<EventGroup>
events_by_device(const model::Host& h, std::initializer_list<model::LogEvent::Kind> kinds) {
    std::vector<EventGroup> out;
    for (const auto& e : h.events) {
        bool want = false;
        for (auto k : kinds)
            if (e.kind == k) want = true;
        if (!want) continue;
        EventGroup* g = nullptr;
        for (auto& x : out)
            if (x.bdf == e.bdf) g = &x;
        // the same boot captured in two files (dmesg and a mail of it): count a timestamped
        // line once
        bool dup = false;
        if (g && e.time)
            for (const auto* o : g->events)
                if (o->time == e.time && o->text == e.text && o->src.file != e.src.file) dup = true;
        if (dup) continue;
        g = nullptr;
        for (auto& x : out)
            if (x.bdf == e.bdf) g = &x;
        if (!g) {
            out.push_back({e.bdf, {}});
            g = &out.back();
        }
        g->events.push_back(&e);
    }
    std::stable_sort(out.begin(), out.end(), [](const EventGroup& a, const EventGroup& b) {
        if (a.bdf.has_value() != b.bdf.has_value()) return a.bdf.has_value();
        return a.bdf && b.bdf && *a.bdf < *b.bdf;
    });
    return out;
}

// a device named by address, with its name when the host lists it
inline std::string name_of(const LintContext& cx, const std::optional<model::Bdf>& b) {
    if (!b) return "an unnamed device";
    if (auto i = cx.index_of(*b)) return cx.label(*i);
    return b->str();
}

// up to `n` events as evidence
template <class F>
void add_event_evidence(const LintContext& cx, F& f, const EventGroup& g, std::size_t n = 4) {
    for (std::size_t k = 0; k < g.events.size() && k < n; ++k)
        f.evidence.push_back(cx.ev(g.events[k]->text, g.events[k]->src));
    if (g.events.size() > n) {
        const auto* last = g.events.back();
        f.evidence.push_back(cx.ev("(last) " + last->text, last->src));
    }
}

// a function of the same physical device (slot) as some passthrough target
inline bool same_card_as_target(const LintContext& cx, std::size_t m) {
    for (auto s : cx.siblings(m))
        if (cx.is_target(s)) return true;
    return false;
}

// "a, b and c"
inline std::string join_and(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) s += i + 1 == v.size() ? " and " : ", ";
        s += v[i];
    }
    return s;
}

// "3 devices" / "1 device"
inline std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// labels of devices with their kind: "0000:00:17.0 Intel ... (storage controller)"
inline std::vector<std::string> labels(const LintContext& cx, const std::vector<std::size_t>& ds,
                                       bool with_kind = true, std::size_t limit = 12) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < ds.size(); ++k) {
        if (k == limit) {
            out.push_back(std::to_string(ds.size() - limit) + " more");
            break;
        }
        out.push_back(cx.label(ds[k]) + (with_kind ? " (" + cx.kind(ds[k]) + ")" : ""));
    }
    return out;
}

// key from device addresses
inline std::string bdf_key(const LintContext& cx, const std::vector<std::size_t>& ds) {
    std::string k;
    for (auto d : ds) {
        if (!k.empty()) k += ",";
        k += cx.dev(d).bdf.str();
    }
    return k;
}

inline std::vector<model::Bdf> bdfs(const LintContext& cx, const std::vector<std::size_t>& ds) {
    std::vector<model::Bdf> out;
    out.reserve(ds.size());
    for (auto d : ds) out.push_back(cx.dev(d).bdf);
    return out;
}

// "x16 at 8 GT/s"
inline std::string link_text(int width, double speed) {
    std::string s;
    if (width > 0) s += "x" + std::to_string(width);
    if (speed > 0) {
        char b[32];
        std::snprintf(b, sizeof b, "%g GT/s", speed);
        s += (s.empty() ? "" : " at ") + std::string(b);
    }
    return s.empty() ? std::string("unknown") : s;
}

} // namespace il::linter::rules
