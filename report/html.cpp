#include "report/html.hpp"

#include "linter/lint.hpp"
#include "linter/registry.hpp"
#include "model/topology.hpp"
#include "report/board.hpp"
#include "report/dot.hpp"
#include "report/groups.hpp"
#include "report/tree.hpp"
#include "sim/compare.hpp"
#include "sim/grouping.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace il::report {

std::string html_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size() + 16);
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            case '\'':
                o += "&#39;";
                break;
            default:
                if (c >= 0x20 || c == '\n' || c == '\t') o += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // a UTF-8 sequence: copied when well formed, else U+FFFD
        std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
        if (ok) {
            o.append(s.substr(i, len));
            i += len;
        } else {
            o += "\xef\xbf\xbd";
            ++i;
        }
    }
    return o;
}

namespace {

const char* k_css = R"css(
:root { --fg:#1d2329; --muted:#5b6670; --line:#d5dbe1; --bg:#ffffff; --soft:#f4f6f8; --warn:#b3261e; --ok:#1b7f3b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; padding: 24px 32px 48px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.sub, .muted { color: var(--muted); }
code, pre, .bdf { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 10px; overflow: auto; white-space: pre; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: var(--soft); font-weight: 600; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
.picture { border: 1px solid var(--line); overflow: auto; max-height: 900px; background: #fff; padding: 4px; }
.picture svg { max-width: none; height: auto; }
.group-id { display: inline-block; min-width: 2.2em; padding: 0 6px; border-radius: 10px; font-weight: 600;
            text-align: center; border: 1px solid rgba(0,0,0,.25); }
tr.override-only td { border-style: dashed; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; margin-left: 4px; }
.tag.pt { background: #fde2e1; color: var(--warn); border: 1px solid var(--warn); }
.tag.lo { background: #fff4d6; color: #7a5600; border: 1px dashed #7a5600; }
.tag.hw { background: #e3f4e8; color: var(--ok); border: 1px solid var(--ok); }
.tag.unc { background: #eceff1; color: var(--muted); border: 1px solid var(--muted); }
.verdict-ok { color: var(--ok); font-weight: 600; }
.verdict-bad { color: var(--warn); font-weight: 600; }
ul.gaps li { margin: 2px 0; }
td.sev-error { color: var(--warn); font-weight: 700; }
td.sev-warning { color: #8a5a00; font-weight: 700; }
td.sev-note { color: var(--muted); font-weight: 600; }
ul.evidence { margin: 4px 0; padding-left: 18px; color: var(--muted); }
p.fix { margin: 4px 0 0; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
)css";

const char* k_group_fills[] = {"#e3f2fd", "#fce4ec", "#e8f5e9", "#fff3e0", "#f3e5f5", "#e0f7fa",
                               "#fffde7", "#efebe9", "#ede7f6", "#f1f8e9", "#fbe9e7", "#e0f2f1"};

std::string e(std::string_view s) {
    return html_escape(s);
}

std::string short_bdf(const model::Bdf& b) {
    return b.domain ? b.str() : b.str().substr(5);
}

std::string group_badge(int id) {
    if (id < 0) return "<span class=\"group-id\">&ndash;</span>";
    const auto fill = k_group_fills[static_cast<std::size_t>(id) %
                                    (sizeof k_group_fills / sizeof k_group_fills[0])];
    return std::string("<span class=\"group-id\" style=\"background:") + fill + "\">" +
           std::to_string(id) + "</span>";
}

std::string anchor(const std::string& host, const std::string& part) {
    std::string a = "h-";
    for (char c : host + "-" + part) a += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    return a;
}

void groups_table(std::ostringstream& o, const model::Host& h, const sim::SimResult& r,
                  const Tree* tree) {
    o << "<table "
         "class=\"groups\"><thead><tr><th>group</th><th>devices</th><th>why</th></tr></"
         "thead><tbody>\n";
    for (const auto& g : r.grouping.groups) {
        const bool lo =
            tree && std::any_of(tree->groups.begin(), tree->groups.end(), [&](const GroupNode& n) {
                return n.id == g.id && n.override_only;
            });
        o << "<tr class=\"group" << (lo ? " override-only" : "") << "\" data-group=\"" << g.id
          << "\"><td>" << group_badge(g.id);
        if (!g.certain)
            o << "<span class=\"tag unc\" title=\"the input leaves facts unknown\">?</span>";
        if (lo) o << "<span class=\"tag lo\">override only</span>";
        o << "</td><td>";
        for (std::size_t k = 0; k < g.members.size(); ++k) {
            const auto& d = h.devices[g.members[k]];
            o << (k ? "<br>" : "") << "<span class=\"bdf\">" << e(short_bdf(d.bdf)) << "</span> "
              << e(d.class_name.empty() ? std::string() : d.class_name + ": ")
              << e(device_label(d));
            if (tree && tree->nodes[g.members[k]].passthrough)
                o << "<span class=\"tag pt\">passthrough</span>";
        }
        o << "</td><td>" << e(g.reason) << "</td></tr>\n";
    }
    o << "</tbody></table>\n";
    std::size_t ung = 0;
    for (std::size_t i = 0; i < h.devices.size(); ++i)
        if (r.grouping.group_of[i] < 0) ++ung;
    if (ung) {
        o << "<p>In no group:</p><ul>\n";
        for (std::size_t i = 0; i < h.devices.size(); ++i)
            if (r.grouping.group_of[i] < 0)
                o << "<li><span class=\"bdf\">" << e(short_bdf(h.devices[i].bdf)) << "</span> "
                  << e(r.grouping.ungrouped_reasons[i]) << "</li>\n";
        o << "</ul>\n";
    }
}

void host_section(std::ostringstream& o, const HtmlInput& in, const HtmlHost& hh) {
    const auto& h = *hh.host;
    model::Topology topo(h);
    const auto shown = sim::simulate(h, topo, hh.policy);
    const auto baseline = sim::simulate(h, topo, sim::with_override(hh.policy, {}, "no override"));
    const bool has_override = hh.policy.override_cfg.any();
    const auto tree = build_tree(h, topo, shown, has_override ? &baseline : nullptr,
                                 expand_passthrough(h, in.lint.passthrough));
    const auto lint = linter::lint_host(h, in.lint, linter::Selection{});
    // observed groups come from the boot that was recorded: compared with that boot's policy,
    // not with a hypothetical --acs-override
    const auto as_booted = sim::policy_as_booted(h, hh.policy.kernel);
    const bool hypothetical =
        as_booted.override_cfg.describe() != hh.policy.override_cfg.describe();
    const auto cmp = sim::compare_observed(
        h, hypothetical ? sim::simulate(h, topo, as_booted).grouping : shown.grouping);

    o << "<section class=\"host\" id=\"" << anchor(h.name, "host") << "\">\n";
    o << "<h2>Host " << e(h.name) << "</h2>\n";
    // summary
    o << "<dl class=\"summary\">\n";
    auto row = [&](const char* k, const std::string& v) {
        o << "<dt>" << k << "</dt><dd>" << v << "</dd>\n";
    };
    row("PCI functions", std::to_string(h.devices.size()));
    row("kernel",
        h.kernel_version.known() ? e(*h.kernel_version) : "<span class=\"muted\">unknown</span>");
    row("command line", h.cmdline.known() ? "<code>" + e(*h.cmdline) + "</code>"
                                          : "<span class=\"muted\">unknown</span>");
    auto fact = [&](const model::Fact<bool>& f, const char* yes, const char* no) {
        return f.known() ? std::string(*f ? yes : no)
                         : std::string("<span class=\"muted\">unknown</span>");
    };
    row("IOMMU", (h.iommu.vendor.known() ? e(*h.iommu.vendor) + ", " : std::string()) +
                     fact(h.iommu.enabled, "translation on", "translation off"));
    row("interrupt remapping", fact(h.iommu.interrupt_remapping, "on", "off"));
    row("simulated with", e(hh.policy.describe()));
    row("groups",
        std::to_string(shown.grouping.groups.size()) + (shown.certain ? "" : " (some uncertain)"));
    {
        std::size_t ne = 0, nw = 0, nn = 0;
        for (const auto& f : lint.findings)
            (f.severity == linter::Severity::error     ? ne
             : f.severity == linter::Severity::warning ? nw
                                                       : nn)++;
        row("findings", "<a href=\"#" + anchor(h.name, "findings") + "\">" + std::to_string(ne) +
                            " error(s), " + std::to_string(nw) + " warning(s), " +
                            std::to_string(nn) + " note(s)</a>");
    }
    if (cmp.has_observed)
        row(hypothetical ? "observed groups (vs. as booted)" : "observed groups",
            cmp.match ? "<span class=\"verdict-ok\">match the simulation</span> (" +
                            std::to_string(cmp.devices_compared) + " devices)"
                      : "<span class=\"verdict-bad\">differ from the simulation</span>");
    else
        row("observed groups", "<span class=\"muted\">none in the input</span>");
    if (!h.vms.empty()) {
        std::string vms;
        for (const auto& vm : h.vms) {
            vms += (vms.empty() ? "" : "; ") + e(vm.name) + ":";
            for (const auto& hp : vm.hostpci)
                vms += " hostpci" + std::to_string(hp.index) + "=" + e(hp.host);
        }
        row("VM passthrough", vms);
    }
    std::string files;
    for (std::size_t i = 1; i < h.files.size(); ++i)
        files += (i > 1 ? "<br>" : "") + ("<code>" + e(h.files[i]) + "</code>");
    row("inputs", files.empty() ? "<span class=\"muted\">none</span>" : files);
    std::string fm;
    for (const auto& f : h.formats_seen) fm += (fm.empty() ? "" : ", ") + e(f);
    row("formats read", fm.empty() ? "<span class=\"muted\">none</span>" : fm);
    o << "</dl>\n";

    // picture
    o << "<h3 id=\"" << anchor(h.name, "topology") << "\">Topology</h3>\n";
    o << "<p class=\"sub\">Coloured boxes are IOMMU groups (dashed: the group exists only because "
         "of the ACS "
         "override); blue links are CPU lanes, orange links chipset lanes; link labels read "
         "trained of capable; "
         "a red border marks a passthrough target.</p>\n";
    bool drawn = false;
    if (in.render_svg) {
        const auto svg = dot_to_svg(tree_dot(h, tree));
        if (svg.ok) {
            const auto inl = svg_for_inline(svg.svg);
            if (!inl.empty()) {
                o << "<div class=\"picture\">" << inl << "</div>\n";
                drawn = true;
            } else {
                o << "<p class=\"muted\">The drawing was left out: Graphviz produced SVG this page "
                     "does not inline.</p>\n";
            }
        } else {
            o << "<p class=\"muted\">No drawing: " << e(svg.error) << ". The tree as text:</p>\n";
        }
    }
    std::ostringstream text;
    tree_text(text, h, tree);
    if (drawn)
        o << "<details><summary>the same tree as text</summary><pre>" << e(text.str())
          << "</pre></details>\n";
    else
        o << "<pre class=\"tree\">" << e(text.str()) << "</pre>\n";

    // groups
    o << "<h3 id=\"" << anchor(h.name, "groups") << "\">Groups as booted</h3>\n";
    o << "<p class=\"sub\">" << e(hh.policy.describe()) << "</p>\n";
    groups_table(o, h, shown, &tree);
    const sim::SimResult& base = has_override ? baseline : shown;
    if (has_override) {
        o << "<h3>Groups without the ACS override</h3>\n";
        groups_table(o, h, baseline, nullptr);
    }
    o << "<h3 id=\"" << anchor(h.name, "overrides") << "\">With each pcie_acs_override mode</h3>\n";
    o << "<p class=\"sub\">Compared with the groups without an override. A logical-only split is "
         "not enforced "
         "by the hardware: devices on either side can still reach each other.</p>\n";
    o << "<table "
         "class=\"modes\"><thead><tr><th>mode</th><th>groups</th><th>splits</th></tr></"
         "thead><tbody>\n";
    for (const auto& mode : override_modes()) {
        const auto r = sim::simulate(h, topo,
                                     sim::with_override(hh.policy, sim::parse_acs_override(mode),
                                                        "pcie_acs_override=" + mode));
        const auto splits = override_splits(base, r);
        o << "<tr class=\"mode\" data-mode=\"" << e(mode)
          << "\"><td><code>pcie_acs_override=" << e(mode) << "</code></td><td>"
          << r.grouping.groups.size() << "</td><td>";
        if (splits.empty()) o << "<span class=\"muted\">splits nothing</span>";
        for (const auto& s : splits) {
            o << "<div>group " << group_badge(s.before->id) << " &rarr; ";
            for (const auto* g : s.after) {
                o << "{";
                for (std::size_t k = 0; k < g->members.size(); ++k)
                    o << (k ? " " : "") << "<span class=\"bdf\">"
                      << e(short_bdf(h.devices[g->members[k]].bdf)) << "</span>";
                o << "} ";
            }
            o << (s.hardware_enforced ? "<span class=\"tag hw\">hardware ACS</span>"
                                      : "<span class=\"tag lo\">logical only</span>");
            for (const auto& v : s.override_decisions)
                o << "<br><span class=\"muted\">" << e(short_bdf(h.devices[v.device].bdf)) << ": "
                  << e(v.why) << "</span>";
            o << "</div>";
        }
        o << "</td></tr>\n";
    }
    o << "</tbody></table>\n";

    // findings
    o << "<h3 id=\"" << anchor(h.name, "findings") << "\">Findings</h3>\n";
    o << "<p class=\"sub\">" << e(lint.policy) << "</p>\n";
    if (lint.findings.empty()) {
        o << "<p class=\"muted\">No rule found anything.</p>\n";
    } else {
        o << "<table class=\"findings\"><thead><tr><th>severity</th><th>rule</th><th>finding</th>"
             "</tr></thead><tbody>\n";
        for (auto sev :
             {linter::Severity::error, linter::Severity::warning, linter::Severity::note})
            for (const auto& f : lint.findings) {
                if (f.severity != sev) continue;
                const std::string sv(linter::to_string(sev));
                o << "<tr class=\"finding sev-" << sv << "\" data-code=\"" << e(f.code)
                  << "\"><td class=\"sev-" << sv << "\">" << sv << "</td><td><a href=\""
                  << e(in.docs_base + f.code + ".md") << "\">" << e(f.code) << "</a> "
                  << e(f.rule_name);
                if (const auto* rule = linter::find_rule(f.code))
                    o << "<br><span class=\"muted\">" << e(rule->summary()) << "</span>";
                o << "</td><td>" << e(f.message);
                if (!f.evidence.empty()) {
                    o << "<ul class=\"evidence\">";
                    for (const auto& ev : f.evidence) {
                        o << "<li>" << e(ev.text);
                        if (!ev.where.empty()) o << " <code>" << e(ev.where) << "</code>";
                        o << "</li>";
                    }
                    o << "</ul>";
                }
                if (!f.fix.empty()) o << "<p class=\"fix\"><b>Fix:</b> " << e(f.fix) << "</p>";
                o << "</td></tr>\n";
            }
        o << "</tbody></table>\n";
    }

    // gaps
    o << "<h3 id=\"" << anchor(h.name, "gaps") << "\">What the inputs leave open</h3>\n";
    bool any = false;
    auto list = [&](const char* title, const std::vector<std::string>& items) {
        if (items.empty()) return;
        any = true;
        o << "<p>" << title << "</p><ul class=\"gaps\">\n";
        for (const auto& s : items) o << "<li>" << e(s) << "</li>\n";
        o << "</ul>\n";
    };
    list("Unknown facts the grouping consulted:", shown.unknowns);
    list("Assumptions:", shown.notes);
    list("Differences from the observed groups:", cmp.differences);
    list("Drawing notes:", tree.notes);
    if (!h.diagnostics.empty()) {
        any = true;
        o << "<p>Ingest diagnostics:</p><table "
             "class=\"diagnostics\"><thead><tr><th>level</th><th>where</th>"
             "<th>message</th></tr></thead><tbody>\n";
        for (const auto& d : h.diagnostics)
            o << "<tr><td>"
              << (d.level == model::Diagnostic::Level::error     ? "error"
                  : d.level == model::Diagnostic::Level::warning ? "warning"
                                                                 : "note")
              << "</td><td><code>" << e(h.where(d.src)) << "</code></td><td>" << e(d.message)
              << "</td></tr>\n";
        o << "</tbody></table>\n";
    }
    if (!any)
        o << "<p class=\"muted\">Nothing: every fact the grouping needed was in the input.</p>\n";
    o << "</section>\n";
}

} // namespace

std::string html_report(const HtmlInput& in) {
    std::ostringstream o;
    std::string title = "iommu-lint report";
    if (in.hosts.size() == 1) title += ": " + in.hosts[0].host->name;
    o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
         "'unsafe-inline'; "
         "img-src data:\">\n"
      << "<title>" << e(title) << "</title>\n<style>" << k_css << "</style>\n</head>\n<body>\n";
    o << "<h1>" << e(title) << "</h1>\n";
    o << "<p class=\"sub\">IOMMU groups simulated from recorded text";
    if (!in.tool_version.empty()) o << " by " << e(in.tool_version);
    o << ". " << in.hosts.size() << " host(s).</p>\n";
    if (in.hosts.size() > 1) {
        o << "<nav><ul>\n";
        for (const auto& hh : in.hosts)
            o << "<li><a href=\"#" << anchor(hh.host->name, "host") << "\">" << e(hh.host->name)
              << "</a></li>\n";
        o << "</ul></nav>\n";
    }
    for (const auto& hh : in.hosts) host_section(o, in, hh);
    o << "<footer>Self-contained page: no scripts, no external "
         "resources.</footer>\n</body>\n</html>\n";
    return o.str();
}

} // namespace il::report
