#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, taken from the test suite's inline inputs.

Every string literal of the listed test files (raw strings R"(...)" and ordinary literals,
adjacent literals joined, C escapes decoded) that is at least 8 bytes long becomes one seed
file tests/fuzz/seeds/<target>/<test>-<hash>.txt. The configspace target gets the config-space
bytes of the QEMU captures' hex dumps (corpus/boards/qemu-*/lspci-xxxx.txt), one binary file
per distinct device, written at run time: extract_seeds.py --configspace DIR.
Re-run (without arguments) when the tests change.
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEEDS = os.path.join(ROOT, "tests", "fuzz", "seeds")

TARGETS = {
    "lspci": ["grammars/lspci_test.cpp", "model/ingest_lspci_test.cpp"],
    "hexdump": ["grammars/hexdump_test.cpp", "model/configspace_test.cpp"],
    "lspci_tree": ["grammars/lspci_tree_test.cpp", "model/ingest_tree_test.cpp"],
    "groups": ["grammars/groups_test.cpp", "model/ingest_listing_test.cpp"],
    "kernel_log": ["grammars/kernel_log_test.cpp", "model/ingest_kernel_log_test.cpp"],
    "cmdline": ["grammars/cmdline_test.cpp", "model/ingest_cmdline_test.cpp"],
    "proxmox": ["grammars/proxmox_test.cpp", "model/ingest_proxmox_test.cpp"],
    "text": ["grammars/mail_test.cpp"],
    "snapshot_json": ["model/json_roundtrip_test.cpp"],
}
# (the pipeline target is run with every directory above; tests/fuzz/run.sh)

ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "a": "\a",
       "b": "\b", "f": "\f", "v": "\v", "?": "?"}


def literals(src):
    """String literals in C++ source, adjacent ones joined."""
    out, i, n = [], 0, len(src)
    pending = None
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            i = src.find("\n", i)
            i = n if i < 0 else i
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c == "'":  # character literal
            j = i + 1
            while j < n and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        m = re.match(r'(?:u8|u|U|L)?R"([^(\s]{0,16})\(', src[i:i + 24])
        if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            delim = ")" + m.group(1) + '"'
            start = i + m.end()
            end = src.find(delim, start)
            if end < 0:
                break
            s = src[start:end].encode("utf-8")
            pending = s if pending is None else pending + s
            i = end + len(delim)
            continue
        if c == '"':
            j, s = i + 1, bytearray()
            while j < n and src[j] != '"':
                if src[j] == "\\" and j + 1 < n:
                    e = src[j + 1]
                    if e == "x":
                        k = j + 2
                        while k < n and src[k] in "0123456789abcdefABCDEF":
                            k += 1
                        s.append(int(src[j + 2:k], 16) & 0xff)
                        j = k
                        continue
                    if e in "01234567" and src[j + 2:j + 3] in list("01234567"):
                        k = j + 1
                        while k < n and k < j + 4 and src[k] in "01234567":
                            k += 1
                        s.append(int(src[j + 1:k], 8) & 0xff)
                        j = k
                        continue
                    s += ESC.get(e, e).encode("utf-8")
                    j += 2
                else:
                    s += src[j].encode("utf-8")
                    j += 1
            lit = bytes(s)
            pending = lit if pending is None else pending + lit
            i = j + 1
            continue
        if not c.isspace() and pending is not None:
            out.append(pending)
            pending = None
        i += 1
    if pending is not None:
        out.append(pending)
    return out


def write(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:12]
    with open(os.path.join(d, f"{name}-{h}.txt"), "wb") as f:
        f.write(data)


def configspace_seeds(out_dir):
    boards = os.path.join(ROOT, "corpus", "boards")
    seen = set()
    for b in sorted(os.listdir(boards)):
        p = os.path.join(boards, b, "lspci-xxxx.txt")
        if not b.startswith("qemu-") or not os.path.exists(p):
            continue
        cur = None
        devices = []
        for line in open(p, encoding="utf-8", errors="replace"):
            m = re.match(r"^([0-9a-f]{2,3}): ((?:[0-9a-f]{2} ?){1,16})$", line.strip())
            if m:
                if cur is not None:
                    cur += bytes(int(x, 16) for x in m.group(2).split())
            elif line.strip():
                cur = bytearray()
                devices.append(cur)
        for dev in devices:
            data = bytes(dev)
            if len(data) >= 64 and data not in seen:
                seen.add(data)
                os.makedirs(out_dir, exist_ok=True)
                with open(os.path.join(out_dir, f"{b}-{hashlib.sha1(data).hexdigest()[:12]}.bin"), "wb") as f:
                    f.write(data)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--configspace":
        configspace_seeds(sys.argv[2])  # binary seeds, written at run time (not committed)
        return
    total = 0
    for target, files in TARGETS.items():
        for rel in files:
            path = os.path.join(ROOT, "tests", rel)
            if not os.path.exists(path):
                continue
            name = os.path.splitext(os.path.basename(rel))[0].replace("_test", "")
            src = open(path, encoding="utf-8").read()
            for lit in literals(src):
                data = lit
                if len(data) >= 8:
                    write(target, name, data)
                    total += 1
    print(f"wrote {total} seeds under {os.path.relpath(SEEDS, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
