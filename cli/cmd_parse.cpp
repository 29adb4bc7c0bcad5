#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "model/ingest.hpp"
#include "model/json.hpp"

#include <iostream>

namespace il::cli {

namespace {
void print_text(const model::Snapshot& s) {
    for (const auto& h : s.hosts) {
        std::cout << "host " << h.name << ": " << h.devices.size() << " PCI functions from "
                  << (h.files.size() > 0 ? h.files.size() - 1 : 0) << " file(s)";
        if (!h.formats_seen.empty()) {
            std::cout << " [";
            for (std::size_t i = 0; i < h.formats_seen.size(); ++i)
                std::cout << (i ? ", " : "") << h.formats_seen[i];
            std::cout << "]";
        }
        std::cout << "\n";
        if (h.kernel_version.known()) std::cout << "  kernel: " << *h.kernel_version << "\n";
        if (h.cmdline.known()) std::cout << "  cmdline: " << *h.cmdline << "\n";
        for (const auto& d : h.devices) {
            std::cout << "  " << d.bdf.str();
            if (d.vendor_id.known() && d.device_id.known()) {
                char b[24];
                std::snprintf(b, sizeof b, " [%04x:%04x]", *d.vendor_id, *d.device_id);
                std::cout << b;
            }
            if (!d.class_name.empty()) std::cout << " " << d.class_name;
            if (d.port_type.known()) std::cout << " <" << model::to_string(*d.port_type) << ">";
            if (d.has_acs.is(true)) std::cout << " ACS";
            if (d.caps_readable.is(false)) std::cout << " caps:unknown";
            if (d.observed_group.known()) std::cout << " group=" << *d.observed_group;
            std::cout << "  (" << h.where(d.src) << ")\n";
        }
        if (!h.events.empty()) std::cout << "  " << h.events.size() << " kernel log event(s)\n";
        for (const auto& dg : h.diagnostics)
            std::cout << "  "
                      << (dg.level == model::Diagnostic::Level::error     ? "error"
                          : dg.level == model::Diagnostic::Level::warning ? "warning"
                                                                          : "note")
                      << ": " << h.where(dg.src) << ": " << dg.message << "\n";
    }
}
} // namespace

int cmd_parse(const std::vector<std::string>& argv) {
    auto a = parse_args(argv, {"format"}, {});
    if (a.inputs.empty()) throw UsageError("parse needs at least one INPUT (file, directory or -)");
    const auto fmt = a.get("format").value_or("text");
    if (fmt != "text" && fmt != "json") throw UsageError("--format must be text or json");
    auto snap = model::ingest_paths(a.inputs);
    if (fmt == "json")
        std::cout << model::dump_json(model::to_json(snap)) << "\n";
    else
        print_text(snap);
    return 0;
}

} // namespace il::cli
