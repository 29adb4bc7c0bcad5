#!/usr/bin/env python3
"""Regenerates sim/data/*.json (the simulator's quirk tables) from the kernel facts collected in
../shared/spec/{acs-quirks,dma-alias-quirks}.json. The output is the project's own compact format;
run it again when the spec is updated. Usage: tools/gen-quirk-data.py [SPEC_DIR] [OUT_DIR]"""
import json, sys, os

spec = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../shared/spec")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../sim/data")

import re

def dump(doc, path):
    """indent=1, but keep each short list of strings on one line"""
    text = json.dumps(doc, indent=1)
    text = re.sub(r'\[\s*((?:"[^"]*",?\s*)+)\]', lambda m: "[" + ", ".join(re.findall(r'"[^"]*"', m.group(1))) + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")

def h(x):
    return "any" if x == "ANY" else "%04x" % int(x, 16)

acs = json.load(open(os.path.join(spec, "acs-quirks.json")))
short = lambda f: f.replace("pci_quirk_", "").replace("_acs", "")
table = [[h(e["vendor"]), h(e["device"]), short(e["function"])] for e in acs["table"]]
anchor = next(i for i, e in enumerate(acs["table"]) if e["function"] == "pci_quirk_xgene_acs" and e["vendor"] == "0x10e8")
pch = sorted({h(d) for fam in acs["intel_pch_acs_ids"]["families"] for d in fam["device_ids"]})
spt = [[h(r["first"]), h(r["last"])] for r in acs["intel_spt_pch_ranges"]]
later = []
for add in acs["later_additions_not_in_this_table"]:
    if "entries" in add:
        later.append({"since": "7.0", "after": ["17cb", "0115"],
                      "entries": [[h(e["vendor"]), h(e["device"]), short(e["function"])] for e in add["entries"]]})
doc = {
    "what": "Linux pci_dev_acs_enabled[] ACS quirk table, in table order: [vendor, device, quirk]",
    "kernel": acs["source"]["kernel"],
    "from": "facts read from drivers/pci/quirks.c (see ../shared/spec/acs-quirks.json)",
    "table": table,
    "proxmox_override_after_index": anchor,
    "intel_pch_root_ports": pch,
    "intel_spt_root_port_ranges": spt,
    "cavium_root_port_ranges": [["a000", "a7ff"], ["af84", "af84"], ["b884", "b884"]],
    "zhaoxin_isolated_ranges": [["0710", "071e"], ["0721", "0721"], ["0723", "0752"]],
    "wangxun_isolated_ranges": [["0100", "010f"], ["1001", "1001"], ["2001", "2001"], ["5010", "5010"],
                                ["5025", "5025"], ["5040", "5040"], ["5110", "5110"], ["5125", "5125"],
                                ["5140", "5140"]],
    "later_additions": later,
}
dump(doc, os.path.join(out, "acs-quirks.json"))

dma = json.load(open(os.path.join(spec, "dma-alias-quirks.json")))
quirks = []
for q in dma["quirks"]:
    ids = []
    for e in q["ids"]:
        row = [h(e["vendor"]), h(e.get("device", "ANY"))]
        if "subsystem_vendor" in e:
            row += [h(e["subsystem_vendor"]), h(e["subsystem_device"])]
        ids.append(row)
    quirks.append({"quirk": q["function"].replace("quirk_", ""), "ids": ids})
doc = {
    "what": "PCI DMA-alias quirks that affect IOMMU grouping: [vendor, device(, subvendor, subdevice)]",
    "kernel": dma["source"]["kernel"],
    "from": "facts read from drivers/pci/quirks.c (see ../shared/spec/dma-alias-quirks.json)",
    "quirks": quirks,
}
dump(doc, os.path.join(out, "dma-alias-quirks.json"))
print("wrote", out)
