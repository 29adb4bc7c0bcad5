// Adapter for `lspci -t` trees (-t, -tv, -tvn, -tvnn): devices with their bus addresses,
// the bus numbers printed for bridges and, when printed, vendor/device ids. The tree is the
// only input that names the root buses (host.tree_root_buses).
#include "grammars/lspci_tree/lspci_tree.hpp"
#include "model/ingest_detail.hpp"

#include <algorithm>

namespace il::model::detail {

namespace tree = il::grammars::lspci_tree;

void ingest_tree(IngestContext& cx) {
    tree::Builder b;
    bool any = false;
    for (std::size_t i = 0; i < cx.doc.lines.size(); ++i) {
        if (!cx.claims.free(i)) {
            b.interrupt();
            continue;
        }
        if (!b.in_block() && !cx.has(i, shape_tree_head)) continue; // not a tree's first line
        const auto r = b.feed(i, cx.doc.lines[i].text);
        if (!r.error.empty()) cx.fail(i, r.error);
        if (r.kind == tree::Builder::Kind::not_tree) continue;
        cx.claims.claim(i, claim_tree);
        any = true;
    }
    if (!any) return;
    cx.seen_format("lspci-t");

    for (const auto& r : b.roots) {
        const RootBus rb{r.domain, r.bus};
        auto& v = cx.host.tree_root_buses;
        if (std::find(v.begin(), v.end(), rb) == v.end()) v.push_back(rb);
    }
    std::sort(cx.host.tree_root_buses.begin(), cx.host.tree_root_buses.end());

    std::size_t unplaced = 0;
    std::size_t first_unplaced = 0;
    for (const auto& td : b.devices) {
        if (!td.bus_known) {
            if (unplaced++ == 0) first_unplaced = td.line;
            continue;
        }
        const Bdf bdf{td.addr.domain, td.addr.bus, td.addr.dev, td.addr.fn};
        const Source src = cx.at(td.line);
        Device& d = cx.host.get_or_add(bdf, src);
        d.origins |= origin_tree;
        if (td.secondary && td.subordinate)
            merge_fact(cx, d.buses, BusRange{td.addr.bus, *td.secondary, *td.subordinate}, src,
                       &bdf, "bridge bus numbers (primary/secondary/subordinate)");
        if (td.vendor_id) merge_fact(cx, d.vendor_id, *td.vendor_id, src, &bdf, "vendor id");
        if (td.device_id) merge_fact(cx, d.device_id, *td.device_id, src, &bdf, "device id");
        if (d.description.empty() && !td.name.empty()) d.description = td.name;
    }
    if (unplaced)
        cx.note(Diagnostic::Level::note, first_unplaced,
                std::to_string(unplaced) +
                    " device(s) of the lspci -t tree sit below a bridge printed without bus "
                    "numbers; their bus is unknown and they were left out");
}

} // namespace il::model::detail
