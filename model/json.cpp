#include "model/json.hpp"

#include "model/ingest.hpp"

#include <cstdio>

namespace il::model {

using nlohmann::json;

namespace {

std::string hex4(unsigned v) {
    char b[16];
    std::snprintf(b, sizeof b, "%04x", v);
    return b;
}
std::string hex2(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02x", v);
    return b;
}
unsigned parse_hex(const json& j) {
    if (j.is_number_unsigned() || j.is_number_integer()) return j.get<unsigned>();
    return static_cast<unsigned>(std::stoul(j.get<std::string>(), nullptr, 16));
}

// ---- value codecs -------------------------------------------------------------------------

struct Writer {
    const Host& h;
    json& obj;
    json& srcs;

    template <class T, class F> void fact(const char* key, const Fact<T>& f, F enc) {
        if (!f.known()) {
            obj[key] = nullptr;
            return;
        }
        obj[key] = enc(*f.value);
        if (f.src.file != 0) srcs[key] = h.where(f.src);
    }
    template <class T> void fact(const char* key, const Fact<T>& f) {
        fact(key, f, [](const T& v) { return json(v); });
    }
};

json enc_acs(const AcsInfo& a) {
    json j{{"cap", hex4(a.cap)}, {"ctl", a.ctl_known ? json(hex4(a.ctl)) : json(nullptr)}};
    if (a.spt_ctl) j["spt_ctl"] = hex4(*a.spt_ctl >> 16) + hex4(*a.spt_ctl & 0xffff);
    if (a.offset) j["offset"] = hex4(*a.offset);
    return j;
}
json enc_link(const LinkInfo& l) {
    json j;
    j["cap_speed_gts"] = l.cap_speed_gts > 0 ? json(l.cap_speed_gts) : json(nullptr);
    j["sta_speed_gts"] = l.sta_speed_gts > 0 ? json(l.sta_speed_gts) : json(nullptr);
    j["cap_width"] = l.cap_width >= 0 ? json(l.cap_width) : json(nullptr);
    j["sta_width"] = l.sta_width >= 0 ? json(l.sta_width) : json(nullptr);
    j["dl_active"] = l.dl_active ? json(*l.dl_active) : json(nullptr);
    j["marked_downgraded"] = l.marked_downgraded;
    return j;
}
json enc_aer(const AerInfo& a) {
    return {{"uncorrectable", a.uncorrectable},
            {"uncorrectable_fatal", a.uncorrectable_fatal},
            {"correctable", a.correctable}};
}
json enc_sriov(const SriovInfo& s) {
    return {{"total_vfs", s.total_vfs}, {"num_vfs", s.num_vfs}, {"enabled", s.enabled}};
}
json enc_buses(const BusRange& b) {
    return {{"primary", hex2(b.primary)},
            {"secondary", hex2(b.secondary)},
            {"subordinate", hex2(b.subordinate)}};
}

const std::pair<std::uint32_t, const char*> k_origins[] = {
    {origin_lspci_verbose, "lspci-verbose"},
    {origin_lspci_terse, "lspci-terse"},
    {origin_hex, "hexdump"},
    {origin_tree, "tree"},
    {origin_listing, "group-listing"},
    {origin_log, "kernel-log"},
    {origin_snapshot, "snapshot"},
};

json device_json(const Host& h, const Device& d) {
    json j;
    json srcs = json::object();
    j["bdf"] = d.bdf.str();
    j["src"] = h.where(d.src);
    json origins = json::array();
    for (auto [bit, name] : k_origins)
        if (d.origins & bit) origins.push_back(name);
    j["origins"] = origins;
    Writer w{h, j, srcs};
    w.fact("observed_group", d.observed_group);
    auto h4 = [](std::uint16_t v) { return json(hex4(v)); };
    w.fact("vendor_id", d.vendor_id, h4);
    w.fact("device_id", d.device_id, h4);
    w.fact("subsys_vendor_id", d.subsys_vendor_id, h4);
    w.fact("subsys_device_id", d.subsys_device_id, h4);
    w.fact("class_code", d.class_code, h4);
    w.fact("prog_if", d.prog_if, [](std::uint8_t v) { return json(hex2(v)); });
    w.fact("revision", d.revision, [](std::uint8_t v) { return json(hex2(v)); });
    j["class_name"] = d.class_name;
    j["description"] = d.description;
    w.fact("physical_slot", d.physical_slot);
    w.fact("header_type", d.header_type, [](std::uint8_t v) { return json(int(v)); });
    w.fact("multifunction_bit", d.multifunction_bit);
    w.fact("buses", d.buses, enc_buses);
    j["config_bytes"] = d.config_bytes;
    w.fact("caps_readable", d.caps_readable);
    j["capabilities"] = d.capabilities;
    w.fact("is_pcie", d.is_pcie);
    w.fact("port_type", d.port_type, [](PortType t) { return json(std::string(to_string(t))); });
    w.fact("slot_implemented", d.slot_implemented);
    w.fact("has_acs", d.has_acs);
    w.fact("acs", d.acs, enc_acs);
    w.fact("flr", d.flr);
    w.fact("af_flr", d.af_flr);
    w.fact("no_soft_reset", d.no_soft_reset);
    w.fact("ari_forwarding", d.ari_forwarding);
    w.fact("link", d.link, enc_link);
    w.fact("aer", d.aer, enc_aer);
    w.fact("sriov", d.sriov, enc_sriov);
    w.fact("is_virtual_function", d.is_virtual_function);
    w.fact("pch_acs_quirk", d.pch_acs_quirk);
    w.fact("driver", d.driver);
    j["modules"] = d.modules;
    j["sources"] = srcs;
    return j;
}

json level_json(Diagnostic::Level l) {
    switch (l) {
    case Diagnostic::Level::note:
        return "note";
    case Diagnostic::Level::warning:
        return "warning";
    case Diagnostic::Level::error:
        return "error";
    }
    return "note";
}

} // namespace

json to_json(const Host& h) {
    json j;
    j["name"] = h.name;
    json files = json::array();
    for (std::size_t i = 1; i < h.files.size(); ++i) files.push_back(h.files[i]);
    j["files"] = files;
    j["formats"] = h.formats_seen;
    json srcs = json::object();
    Writer w{h, j, srcs};
    w.fact("kernel_version", h.kernel_version);
    w.fact("cmdline", h.cmdline);
    json params = json::array();
    for (const auto& p : h.params)
        params.push_back({{"key", p.key},
                          {"value", p.value ? json(*p.value) : json(nullptr)},
                          {"src", h.where(p.src)}});
    j["params"] = params;
    {
        json io;
        json iosrc = json::object();
        Writer wi{h, io, iosrc};
        wi.fact("vendor", h.iommu.vendor);
        wi.fact("hardware_present", h.iommu.hardware_present);
        wi.fact("enabled", h.iommu.enabled);
        wi.fact("interrupt_remapping", h.iommu.interrupt_remapping);
        wi.fact("acs_override_active", h.iommu.acs_override_active);
        wi.fact("pch_acs_workaround", h.iommu.pch_acs_workaround);
        wi.fact("pch_acs_workaround_failed", h.iommu.pch_acs_workaround_failed);
        wi.fact("groups_seen", h.iommu.groups_seen);
        wi.fact("default_domain", h.iommu.default_domain);
        io["sources"] = iosrc;
        j["iommu"] = io;
    }
    json roots = json::array();
    for (const auto& r : h.tree_root_buses) roots.push_back(hex4(r.domain) + ":" + hex2(r.bus));
    j["tree_root_buses"] = roots;
    json devs = json::array();
    for (const auto& d : h.devices) devs.push_back(device_json(h, d));
    j["devices"] = devs;
    json evs = json::array();
    for (const auto& e : h.events) {
        json ev{{"kind", std::string(to_string(e.kind))},
                {"bdf", e.bdf ? json(e.bdf->str()) : json(nullptr)},
                {"time", e.time ? json(*e.time) : json(nullptr)},
                {"text", e.text},
                {"src", h.where(e.src)}};
        evs.push_back(ev);
    }
    j["events"] = evs;
    json vms = json::array();
    for (const auto& vm : h.vms) {
        json v{{"name", vm.name}, {"src", h.where(vm.src)}};
        json vsrc = json::object();
        Writer wv{h, v, vsrc};
        wv.fact("machine", vm.machine);
        wv.fact("bios", vm.bios);
        json hp = json::array();
        for (const auto& p : vm.hostpci) {
            json bdfs = json::array();
            for (const auto& b : p.bdfs) bdfs.push_back(b.str());
            hp.push_back({{"index", p.index},
                          {"raw", p.raw},
                          {"host", p.host},
                          {"bdf", p.bdf ? json(p.bdf->str()) : json(nullptr)},
                          {"bdfs", bdfs},
                          {"all_functions", p.all_functions},
                          {"mapping", p.mapping ? json(*p.mapping) : json(nullptr)},
                          {"pcie", p.pcie},
                          {"x_vga", p.x_vga},
                          {"rombar", p.rombar ? json(*p.rombar) : json(nullptr)},
                          {"src", h.where(p.src)}});
        }
        v["hostpci"] = hp;
        v["sources"] = vsrc;
        vms.push_back(v);
    }
    j["vms"] = vms;
    json diags = json::array();
    for (const auto& d : h.diagnostics)
        diags.push_back(
            {{"level", level_json(d.level)}, {"src", h.where(d.src)}, {"message", d.message}});
    j["diagnostics"] = diags;
    j["sources"] = srcs;
    return j;
}

json to_json(const Snapshot& s) {
    json j;
    j["iommu_lint_snapshot"] = Snapshot::format_version;
    j["hosts"] = json::array();
    for (const auto& h : s.hosts) j["hosts"].push_back(to_json(h));
    return j;
}

// ---- reading back ------------------------------------------------------------------------

namespace {

struct Reader {
    Host& h;
    const json& obj;
    const json* srcs;

    Source src_of(const std::string& where) {
        // "file:line" or "file"
        std::string file = where;
        std::uint32_t line = 0;
        if (auto c = where.rfind(':'); c != std::string::npos) {
            const std::string tail = where.substr(c + 1);
            if (!tail.empty() && tail.find_first_not_of("0123456789") == std::string::npos) {
                file = where.substr(0, c);
                line = static_cast<std::uint32_t>(std::stoul(tail));
            }
        }
        if (file == "<unknown>") return {0, line};
        for (std::uint32_t i = 1; i < h.files.size(); ++i)
            if (h.files[i] == file) return {i, line};
        return {h.add_file(file), line};
    }
    Source key_src(const char* key) {
        if (srcs && srcs->contains(key)) return src_of(srcs->at(key).get<std::string>());
        return {};
    }
    template <class T, class F> void fact(const char* key, Fact<T>& f, F dec) {
        if (!obj.contains(key) || obj.at(key).is_null()) return;
        f.set(dec(obj.at(key)), key_src(key));
    }
    template <class T> void fact(const char* key, Fact<T>& f) {
        fact(key, f, [](const json& v) { return v.get<T>(); });
    }
};

Bdf bdf_of(const json& j, const std::string& name) {
    auto b = Bdf::parse(j.get<std::string>());
    if (!b) throw IngestError(name + ": bad bdf \"" + j.get<std::string>() + "\" in snapshot");
    return *b;
}

Diagnostic::Level level_of(const std::string& s) {
    if (s == "error") return Diagnostic::Level::error;
    if (s == "warning") return Diagnostic::Level::warning;
    return Diagnostic::Level::note;
}

LogEvent::Kind kind_of(const std::string& s) {
    for (int k = 0; k <= static_cast<int>(LogEvent::Kind::other); ++k)
        if (to_string(static_cast<LogEvent::Kind>(k)) == s) return static_cast<LogEvent::Kind>(k);
    return LogEvent::Kind::other;
}

Host host_from_json(const json& j, const std::string& name) {
    Host h;
    h.name = j.value("name", std::string("snapshot"));
    h.files.emplace_back();
    for (const auto& f : j.value("files", json::array())) h.files.push_back(f.get<std::string>());
    for (const auto& f : j.value("formats", json::array()))
        h.formats_seen.push_back(f.get<std::string>());
    const json empty = json::object();
    const json& hsrc = j.contains("sources") ? j.at("sources") : empty;
    Reader r{h, j, &hsrc};
    r.fact("kernel_version", h.kernel_version);
    r.fact("cmdline", h.cmdline);
    for (const auto& p : j.value("params", json::array())) {
        KernelParam kp;
        kp.key = p.at("key").get<std::string>();
        if (!p.at("value").is_null()) kp.value = p.at("value").get<std::string>();
        kp.src = r.src_of(p.value("src", std::string()));
        h.params.push_back(std::move(kp));
    }
    if (j.contains("iommu")) {
        const json& io = j.at("iommu");
        const json& iosrc = io.contains("sources") ? io.at("sources") : empty;
        Reader ri{h, io, &iosrc};
        ri.fact("vendor", h.iommu.vendor);
        ri.fact("hardware_present", h.iommu.hardware_present);
        ri.fact("enabled", h.iommu.enabled);
        ri.fact("interrupt_remapping", h.iommu.interrupt_remapping);
        ri.fact("acs_override_active", h.iommu.acs_override_active);
        ri.fact("pch_acs_workaround", h.iommu.pch_acs_workaround);
        ri.fact("pch_acs_workaround_failed", h.iommu.pch_acs_workaround_failed);
        ri.fact("groups_seen", h.iommu.groups_seen);
        ri.fact("default_domain", h.iommu.default_domain);
    }
    for (const auto& rb : j.value("tree_root_buses", json::array())) {
        auto s = rb.get<std::string>();
        auto c = s.find(':');
        if (c == std::string::npos) continue;
        h.tree_root_buses.push_back(
            {static_cast<std::uint32_t>(std::stoul(s.substr(0, c), nullptr, 16)),
             static_cast<std::uint8_t>(std::stoul(s.substr(c + 1), nullptr, 16))});
    }
    auto u16 = [](const json& v) { return static_cast<std::uint16_t>(parse_hex(v)); };
    auto u8 = [](const json& v) { return static_cast<std::uint8_t>(parse_hex(v)); };
    for (const auto& dj : j.value("devices", json::array())) {
        Device d;
        d.bdf = bdf_of(dj.at("bdf"), name);
        const json& dsrc = dj.contains("sources") ? dj.at("sources") : empty;
        Reader rd{h, dj, &dsrc};
        d.src = rd.src_of(dj.value("src", std::string()));
        for (const auto& o : dj.value("origins", json::array()))
            for (auto [bit, oname] : k_origins)
                if (o.get<std::string>() == oname) d.origins |= bit;
        rd.fact("observed_group", d.observed_group);
        rd.fact("vendor_id", d.vendor_id, u16);
        rd.fact("device_id", d.device_id, u16);
        rd.fact("subsys_vendor_id", d.subsys_vendor_id, u16);
        rd.fact("subsys_device_id", d.subsys_device_id, u16);
        rd.fact("class_code", d.class_code, u16);
        rd.fact("prog_if", d.prog_if, u8);
        rd.fact("revision", d.revision, u8);
        d.class_name = dj.value("class_name", std::string());
        d.description = dj.value("description", std::string());
        rd.fact("physical_slot", d.physical_slot);
        rd.fact("header_type", d.header_type,
                [](const json& v) { return static_cast<std::uint8_t>(v.get<int>()); });
        rd.fact("multifunction_bit", d.multifunction_bit);
        rd.fact("buses", d.buses, [&](const json& v) {
            return BusRange{u8(v.at("primary")), u8(v.at("secondary")), u8(v.at("subordinate"))};
        });
        d.config_bytes = dj.value("config_bytes", 0);
        rd.fact("caps_readable", d.caps_readable);
        for (const auto& c : dj.value("capabilities", json::array()))
            d.capabilities.push_back(c.get<std::string>());
        rd.fact("is_pcie", d.is_pcie);
        rd.fact("port_type", d.port_type, [&](const json& v) {
            auto t = port_type_from_string(v.get<std::string>());
            if (!t)
                throw IngestError(name + ": unknown port_type \"" + v.get<std::string>() + "\"");
            return *t;
        });
        rd.fact("slot_implemented", d.slot_implemented);
        rd.fact("has_acs", d.has_acs);
        rd.fact("acs", d.acs, [&](const json& v) {
            AcsInfo a;
            a.cap = u16(v.at("cap"));
            a.ctl_known = !v.at("ctl").is_null();
            if (a.ctl_known) a.ctl = u16(v.at("ctl"));
            if (v.contains("spt_ctl"))
                a.spt_ctl = static_cast<std::uint32_t>(
                    std::stoul(v.at("spt_ctl").get<std::string>(), nullptr, 16));
            if (v.contains("offset")) a.offset = u16(v.at("offset"));
            return a;
        });
        rd.fact("flr", d.flr);
        rd.fact("af_flr", d.af_flr);
        rd.fact("no_soft_reset", d.no_soft_reset);
        rd.fact("ari_forwarding", d.ari_forwarding);
        rd.fact("link", d.link, [](const json& v) {
            LinkInfo l;
            if (!v.at("cap_speed_gts").is_null())
                l.cap_speed_gts = v.at("cap_speed_gts").get<double>();
            if (!v.at("sta_speed_gts").is_null())
                l.sta_speed_gts = v.at("sta_speed_gts").get<double>();
            if (!v.at("cap_width").is_null()) l.cap_width = v.at("cap_width").get<int>();
            if (!v.at("sta_width").is_null()) l.sta_width = v.at("sta_width").get<int>();
            if (!v.at("dl_active").is_null()) l.dl_active = v.at("dl_active").get<bool>();
            l.marked_downgraded = v.value("marked_downgraded", false);
            return l;
        });
        rd.fact("aer", d.aer, [](const json& v) {
            AerInfo a;
            a.uncorrectable = v.value("uncorrectable", std::vector<std::string>{});
            a.uncorrectable_fatal = v.value("uncorrectable_fatal", std::vector<std::string>{});
            a.correctable = v.value("correctable", std::vector<std::string>{});
            return a;
        });
        rd.fact("sriov", d.sriov, [](const json& v) {
            SriovInfo s;
            s.total_vfs = v.value("total_vfs", 0);
            s.num_vfs = v.value("num_vfs", 0);
            s.enabled = v.value("enabled", false);
            return s;
        });
        rd.fact("is_virtual_function", d.is_virtual_function);
        rd.fact("pch_acs_quirk", d.pch_acs_quirk);
        rd.fact("driver", d.driver);
        for (const auto& m : dj.value("modules", json::array()))
            d.modules.push_back(m.get<std::string>());
        if (h.find(d.bdf)) throw IngestError(name + ": device " + d.bdf.str() + " listed twice");
        h.devices.push_back(std::move(d));
        h.reindex();
    }
    for (const auto& ej : j.value("events", json::array())) {
        LogEvent e;
        e.kind = kind_of(ej.value("kind", std::string("other")));
        if (ej.contains("bdf") && !ej.at("bdf").is_null()) e.bdf = bdf_of(ej.at("bdf"), name);
        if (ej.contains("time") && !ej.at("time").is_null()) e.time = ej.at("time").get<double>();
        e.text = ej.value("text", std::string());
        e.src = r.src_of(ej.value("src", std::string()));
        h.events.push_back(std::move(e));
    }
    for (const auto& vj : j.value("vms", json::array())) {
        VmConfig vm;
        vm.name = vj.value("name", std::string());
        vm.src = r.src_of(vj.value("src", std::string()));
        const json& vsrc = vj.contains("sources") ? vj.at("sources") : empty;
        Reader rv{h, vj, &vsrc};
        rv.fact("machine", vm.machine);
        rv.fact("bios", vm.bios);
        for (const auto& pj : vj.value("hostpci", json::array())) {
            HostPci p;
            p.index = pj.value("index", 0);
            p.raw = pj.value("raw", std::string());
            p.host = pj.value("host", std::string());
            if (pj.contains("bdf") && !pj.at("bdf").is_null()) p.bdf = bdf_of(pj.at("bdf"), name);
            for (const auto& b : pj.value("bdfs", json::array())) p.bdfs.push_back(bdf_of(b, name));
            p.all_functions = pj.value("all_functions", false);
            if (pj.contains("mapping") && !pj.at("mapping").is_null())
                p.mapping = pj.at("mapping").get<std::string>();
            p.pcie = pj.value("pcie", false);
            p.x_vga = pj.value("x_vga", false);
            if (pj.contains("rombar") && !pj.at("rombar").is_null())
                p.rombar = pj.at("rombar").get<bool>();
            p.src = r.src_of(pj.value("src", std::string()));
            vm.hostpci.push_back(std::move(p));
        }
        h.vms.push_back(std::move(vm));
    }
    for (const auto& dj : j.value("diagnostics", json::array()))
        h.diagnostics.push_back({level_of(dj.value("level", std::string("note"))),
                                 r.src_of(dj.value("src", std::string())),
                                 dj.value("message", std::string())});
    h.sort_devices();
    return h;
}

} // namespace

std::string dump_json(const nlohmann::json& j, int indent) {
    // text from the inputs may be any bytes: invalid UTF-8 is written as U+FFFD
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

Snapshot snapshot_from_json_text(std::string_view text, const std::string& name) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) { // syntax, and numbers out of range
        throw IngestError(name + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("iommu_lint_snapshot") ||
        !j.at("iommu_lint_snapshot").is_number_integer())
        throw IngestError(name + ": JSON but not an iommu-lint snapshot");
    const auto v = j.at("iommu_lint_snapshot").get<long long>();
    if (v != Snapshot::format_version)
        throw IngestError(name + ": snapshot format version " + std::to_string(v) +
                          " is not supported (this build reads version " +
                          std::to_string(Snapshot::format_version) + ")");
    Snapshot s;
    try {
        for (const auto& hj : j.value("hosts", json::array()))
            s.hosts.push_back(host_from_json(hj, name));
    } catch (const json::exception& e) {
        throw IngestError(name + ": malformed snapshot (" + e.what() + ")");
    }
    return s;
}

} // namespace il::model
