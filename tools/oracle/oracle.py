#!/usr/bin/env python3
"""Real-kernel IOMMU-group oracle.

Boots Debian's own kernel under QEMU (TCG, q35, virtual IOMMU) with an emulated PCI/PCIe
topology described in a small JSON file, lets a busybox initramfs dump lspci and
/sys/kernel/iommu_groups over the serial console, and splits that log into a capture folder
that iommu-lint ingests like any recorded host. See docs/oracle.md.

Subcommands:
  build-initramfs [--force]          build /tmp/iommu-oracle/initramfs.cpio.gz
  check TOPO.json...                 validate topologies (no boot)
  cmd TOPO.json                      print the QEMU command line
  run TOPO.json --out DIR            boot one topology, write its capture to DIR
  run-all [--only NAME...]           boot every tools/oracle/topologies/*.json into
                                     corpus/boards/qemu-<name>/
  random --seed N [--out FILE]       write a random (always bootable) topology
  soak --seeds A-B [--keep DIR]      generate and boot random seeds, print their groups
  summary DIR...                     print the groups of captures in short form
  split LOG OUTDIR                   split a raw serial log (debugging)
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOPO_DIR = os.path.join(HERE, "topologies")
BOARDS_DIR = os.path.join(REPO, "corpus", "boards")
WORK = os.environ.get("ORACLE_WORK", "/tmp/iommu-oracle")
INITRAMFS = os.path.join(WORK, "initramfs.cpio.gz")
QEMU = os.environ.get("ORACLE_QEMU", "qemu-system-x86_64")

# Capture layout (stable: other tools read these names).
CAPTURE_FILES = {
    "lspci-vvv": "lspci-vvv.txt",
    "lspci-xxxx": "lspci-xxxx.txt",
    "lspci-tv": "lspci-tv.txt",
    "iommu-groups": "iommu-groups.txt",
    "dmesg": "dmesg.txt",
    "cmdline": "cmdline.txt",
}
META_FILE = "meta.json"
TOPOLOGY_FILE = "topology.json"
OWNED_FILES = set(CAPTURE_FILES.values()) | {META_FILE, TOPOLOGY_FILE}

MARK_BEGIN = re.compile(r"^@@@ORACLE-BEGIN (\S+)@@@$")
MARK_END = re.compile(r"^@@@ORACLE-END (\S+)@@@$")
MARK_DONE = "@@@ORACLE-DONE@@@"

# --------------------------------------------------------------------------------------------
# Driver knowledge
# --------------------------------------------------------------------------------------------

ROOT_PORTS = {"pcie-root-port", "ioh3420"}
DOWNSTREAM_PORTS = {"xio3130-downstream"}
PCIE_PORTS = ROOT_PORTS | DOWNSTREAM_PORTS  # secondary bus: device 0 only (functions 0-7)
UPSTREAM_PORTS = {"x3130-upstream"}  # secondary bus: downstream ports only
PCI_BRIDGES = {"pcie-pci-bridge", "pci-bridge"}  # secondary bus: conventional PCI
PXB = {"pxb-pcie"}  # an extra PCIe root bus; only root ports may sit on it
BUS_OWNERS = PCIE_PORTS | UPSTREAM_PORTS | PCI_BRIDGES | PXB
BRIDGES = PCIE_PORTS | UPSTREAM_PORTS | PCI_BRIDGES  # each makes one bus number
NEEDS_CHASSIS_SLOT = PCIE_PORTS

# Endpoints the generator uses (any other -device driver may be written in a topology file).
PCIE_ENDPOINTS = ["e1000e", "nvme", "virtio-net-pci", "virtio-rng-pci", "qemu-xhci"]
RC_ENDPOINTS = ["e1000e", "nvme", "virtio-net-pci", "virtio-rng-pci", "e1000", "qemu-xhci"]
CONVENTIONAL_ENDPOINTS = ["e1000", "rtl8139", "virtio-net-pci", "virtio-rng-pci"]

ROOT_BUS = "pcie.0"
ICH9_SLOT = 0x1F  # q35 always has ICH9 LPC/SATA/SMBus at 00:1f.0/.2/.3
AMD_IOMMU_SLOT = 0x01  # amd-iommu's own PCI function takes the first free slot on pcie.0


class TopologyError(Exception):
    pass


def parse_addr(text):
    """'1c.3' / '02.0' / '2' -> (slot, fn)."""
    m = re.fullmatch(r"([0-9a-fA-F]{1,2})(?:\.([0-7]))?", str(text))
    if not m:
        raise TopologyError(f"bad addr {text!r} (want slot.fn in hex, e.g. 1c.3)")
    slot = int(m.group(1), 16)
    fn = int(m.group(2) or "0")
    if slot > 0x1F:
        raise TopologyError(f"bad addr {text!r}: slot above 1f")
    return slot, fn


def fmt_addr(slot, fn):
    return f"{slot:02x}.{fn}"


def opt_value(v):
    if isinstance(v, bool):
        return "on" if v else "off"
    return str(v)


# --------------------------------------------------------------------------------------------
# Topology: load, validate, resolve automatic values
# --------------------------------------------------------------------------------------------

MACHINE_DEFAULTS = {
    "iommu": "intel",  # intel | amd | none
    "iommu_options": None,  # dict; default per iommu below
    "kernel_iommu_arg": None,  # default per iommu below; "" to leave the IOMMU to the kernel
    "append": "",  # extra kernel command line
    "memory_mb": 1024,
    "smp": 1,
    "cpu": None,  # default per iommu below
}
IOMMU_DEFAULTS = {
    "intel": {"options": {"intremap": "on", "caching-mode": "on"}, "arg": "intel_iommu=on",
              "cpu": None},
    "amd": {"options": {"intremap": "on"}, "arg": "", "cpu": "EPYC"},
    "none": {"options": {}, "arg": "", "cpu": None},
}
DEVICE_KEYS = {"driver", "id", "bus", "addr", "multifunction", "options", "comment"}
TOP_KEYS = {"name", "description", "machine", "devices", "seed", "generator"}


def load_topology(path):
    with open(path) as f:
        try:
            topo = json.load(f)
        except json.JSONDecodeError as e:
            raise TopologyError(f"{path}: {e}")
    if "name" not in topo:
        topo["name"] = os.path.splitext(os.path.basename(path))[0]
    return topo


def resolve(topo):
    """Validate a topology and return a new dict with every automatic value filled in."""
    unknown = set(topo) - TOP_KEYS
    if unknown:
        raise TopologyError(f"unknown top-level keys: {sorted(unknown)}")
    name = topo.get("name", "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise TopologyError(f"bad name {name!r} (lower-case letters, digits, '-')")
    machine = dict(MACHINE_DEFAULTS)
    for k, v in (topo.get("machine") or {}).items():
        if k not in MACHINE_DEFAULTS:
            raise TopologyError(f"unknown machine key {k!r}")
        machine[k] = v
    if machine["iommu"] not in IOMMU_DEFAULTS:
        raise TopologyError(f"machine.iommu must be intel, amd or none, not {machine['iommu']!r}")
    d = IOMMU_DEFAULTS[machine["iommu"]]
    if machine["iommu_options"] is None:
        machine["iommu_options"] = dict(d["options"])
    if machine["kernel_iommu_arg"] is None:
        machine["kernel_iommu_arg"] = d["arg"]
    if machine["cpu"] is None:
        machine["cpu"] = d["cpu"]

    raw = topo.get("devices") or []
    devs = []
    by_id = {}
    for i, r in enumerate(raw):
        unknown = set(r) - DEVICE_KEYS
        if unknown:
            raise TopologyError(f"device #{i}: unknown keys {sorted(unknown)}")
        if "driver" not in r or "id" not in r:
            raise TopologyError(f"device #{i}: driver and id are required")
        dev = {
            "driver": r["driver"],
            "id": r["id"],
            "bus": r.get("bus", ROOT_BUS),
        }
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", dev["id"]):
            raise TopologyError(f"device #{i}: bad id {dev['id']!r}")
        if dev["id"] in by_id or dev["id"] == ROOT_BUS:
            raise TopologyError(f"duplicate id {dev['id']!r}")
        if "addr" in r:
            dev["addr"] = fmt_addr(*parse_addr(r["addr"]))
        if "multifunction" in r:
            dev["multifunction"] = bool(r["multifunction"])
        dev["options"] = dict(r.get("options") or {})
        if "comment" in r:
            dev["comment"] = r["comment"]
        for k in ("id", "bus", "addr", "multifunction"):
            if k in dev["options"]:
                raise TopologyError(f"{dev['id']}: give {k!r} as a field, not in options")
        devs.append(dev)
        by_id[dev["id"]] = dev

    # Bus checks, in file order (QEMU needs a bus to exist before a device is plugged into it).
    seen = {ROOT_BUS}
    for dev in devs:
        bus = dev["bus"]
        if bus not in seen:
            if bus in by_id:
                raise TopologyError(f"{dev['id']}: bus {bus!r} is defined after the device")
            raise TopologyError(f"{dev['id']}: unknown bus {bus!r}")
        drv = dev["driver"]
        owner = by_id.get(bus)
        odrv = owner["driver"] if owner else None
        if owner is not None and odrv not in BUS_OWNERS:
            raise TopologyError(f"{dev['id']}: {bus!r} ({odrv}) provides no bus")
        if odrv in PXB and drv not in ROOT_PORTS:
            raise TopologyError(f"{dev['id']}: only root ports may sit on a pxb-pcie bus")
        if odrv in UPSTREAM_PORTS and drv not in DOWNSTREAM_PORTS:
            raise TopologyError(f"{dev['id']}: only downstream ports may sit below an upstream port")
        if drv in DOWNSTREAM_PORTS and odrv not in UPSTREAM_PORTS:
            raise TopologyError(f"{dev['id']}: a downstream port must sit below an upstream port")
        if drv in UPSTREAM_PORTS and odrv not in PCIE_PORTS:
            raise TopologyError(f"{dev['id']}: an upstream port must sit below a root/downstream port")
        if drv in ROOT_PORTS and not (owner is None or odrv in PXB):
            raise TopologyError(f"{dev['id']}: root ports sit on pcie.0 or a pxb-pcie bus")
        if drv in PXB and owner is not None:
            raise TopologyError(f"{dev['id']}: pxb-pcie sits on pcie.0")
        if drv == "pcie-pci-bridge" and odrv in PCI_BRIDGES:
            raise TopologyError(f"{dev['id']}: pcie-pci-bridge needs a PCIe bus")
        if drv in BUS_OWNERS:
            seen.add(dev["id"])

    # Addresses: defaults, uniqueness, function 0 present, port buses hold device 0 only.
    used = {}
    next_slot = {}
    amd = machine["iommu"] == "amd"
    for dev in devs:
        owner = by_id.get(dev["bus"])
        odrv = owner["driver"] if owner else None
        bus_used = used.setdefault(dev["bus"], {})
        if "addr" not in dev:
            if odrv in PCIE_PORTS:
                dev["addr"] = "00.0"
            else:
                first = 2 if owner is None else (1 if odrv in PCI_BRIDGES else 0)
                s = next_slot.get(dev["bus"], first)
                while any(k[0] == s for k in bus_used) or (owner is None and s in (ICH9_SLOT,)):
                    s += 1
                if s > 0x1F:
                    raise TopologyError(f"{dev['id']}: no free slot left on {dev['bus']}")
                dev["addr"] = fmt_addr(s, 0)
                next_slot[dev["bus"]] = s + 1
        slot, fn = parse_addr(dev["addr"])
        if (slot, fn) in bus_used:
            raise TopologyError(
                f"{dev['id']}: {dev['bus']} {dev['addr']} already taken by {bus_used[(slot, fn)]}")
        if owner is None and slot == 0:
            raise TopologyError(f"{dev['id']}: 00:00.0 is the q35 host bridge")
        if owner is None and slot == ICH9_SLOT:
            raise TopologyError(f"{dev['id']}: slot 1f of pcie.0 is q35's ICH9")
        if owner is None and amd and slot == AMD_IOMMU_SLOT:
            raise TopologyError(f"{dev['id']}: slot 01 of pcie.0 is taken by amd-iommu")
        if odrv in PCIE_PORTS and slot != 0:
            raise TopologyError(f"{dev['id']}: below a PCIe port only device 00 exists")
        bus_used[(slot, fn)] = dev["id"]
    for bus, slots in used.items():
        for (slot, fn), did in slots.items():
            if fn != 0 and (slot, 0) not in slots:
                raise TopologyError(f"{did}: function {fn} on {bus} slot {slot:02x} has no function 0")
    for dev in devs:
        slot, fn = parse_addr(dev["addr"])
        others = [k for k in used[dev["bus"]] if k[0] == slot and k[1] != 0]
        if fn == 0 and others and "multifunction" not in dev:
            dev["multifunction"] = True
        if fn == 0 and others and dev.get("multifunction") is False:
            raise TopologyError(f"{dev['id']}: slot has more functions but multifunction is false")

    # Automatic per-driver properties.
    port_slot = 0
    bridge_chassis = 0
    root_port_no = 0
    down_port_no = {}
    for dev in devs:
        o = dev["options"]
        drv = dev["driver"]
        if drv in NEEDS_CHASSIS_SLOT:
            port_slot += 1
            o.setdefault("chassis", 1)
            o.setdefault("slot", port_slot)
            if drv in ROOT_PORTS:
                root_port_no += 1
                o.setdefault("port", root_port_no)
            else:
                n = down_port_no.get(dev["bus"], 0)
                down_port_no[dev["bus"]] = n + 1
                o.setdefault("port", n)
        if drv == "pci-bridge":
            bridge_chassis += 1
            o.setdefault("chassis_nr", bridge_chassis)
        if drv == "nvme":
            o.setdefault("serial", dev["id"])
    if port_slot > 8191:
        raise TopologyError("too many PCIe ports (slot numbers are 13 bits)")
    if bridge_chassis > 255:
        raise TopologyError("too many pci-bridges (chassis_nr is 8 bits)")
    chassis = [(d["options"]["chassis"], d["options"]["slot"]) for d in devs
               if d["driver"] in NEEDS_CHASSIS_SLOT]
    if len(set(chassis)) != len(chassis):
        raise TopologyError("two PCIe ports share one chassis/slot pair")
    nrs = [d["options"]["chassis_nr"] for d in devs if d["driver"] == "pci-bridge"]
    if len(set(nrs)) != len(nrs) or 0 in nrs:
        raise TopologyError("pci-bridge chassis_nr values must be unique and non-zero")

    # Bus numbers: every bridge takes one; a pxb-pcie takes bus_nr and its subtree follows it.
    children = {}
    for dev in devs:
        children.setdefault(dev["bus"], []).append(dev)

    def subtree_buses(bus_id):
        n = 0
        for c in children.get(bus_id, []):
            if c["driver"] in BRIDGES:
                n += 1 + subtree_buses(c["id"])
        return n

    ranges = [(0, subtree_buses(ROOT_BUS), ROOT_BUS)]
    for dev in devs:
        if dev["driver"] in PXB:
            nr = dev["options"].get("bus_nr")
            if nr is None:
                raise TopologyError(f"{dev['id']}: pxb-pcie needs options.bus_nr")
            nr = int(str(nr), 0)
            ranges.append((nr, nr + subtree_buses(dev["id"]), dev["id"]))
    ranges.sort()
    for (a0, a1, an), (b0, b1, bn) in zip(ranges, ranges[1:]):
        if a1 >= b0:
            raise TopologyError(f"bus numbers of {an} (up to {a1}) run into {bn} (bus_nr {b0})")
    if ranges[-1][1] > 255:
        raise TopologyError(f"bus numbers of {ranges[-1][2]} run past 255")

    out = {"name": name}
    for k in ("description", "seed", "generator"):
        if k in topo:
            out[k] = topo[k]
    out["machine"] = machine
    out["devices"] = devs
    return out


# --------------------------------------------------------------------------------------------
# QEMU command line
# --------------------------------------------------------------------------------------------


def find_kernel():
    k = os.environ.get("ORACLE_KERNEL")
    if k:
        return k
    cands = glob.glob("/boot/vmlinuz-*")
    if not cands:
        raise SystemExit("oracle: no /boot/vmlinuz-*; run scripts/oracle-deps.sh")

    def key(p):
        return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", p)]

    return sorted(cands, key=key)[-1]


def kernel_release(kernel):
    return os.path.basename(kernel)[len("vmlinuz-"):]


def device_arg(dev):
    parts = [dev["driver"], "id=" + dev["id"], "bus=" + dev["bus"], "addr=" + dev["addr"]]
    if dev.get("multifunction"):
        parts.append("multifunction=on")
    for k, v in dev["options"].items():
        parts.append(f"{k}={opt_value(v)}")
    return ",".join(parts)


def qemu_argv(rt, serial_log, kernel=None, initrd=INITRAMFS):
    kernel = kernel or find_kernel()
    m = rt["machine"]
    argv = [QEMU, "-machine", "q35,kernel-irqchip=split", "-accel", "tcg",
            "-m", str(m["memory_mb"]), "-smp", str(m["smp"])]
    if m["cpu"]:
        argv += ["-cpu", m["cpu"]]
    argv += ["-nodefaults", "-display", "none", "-no-reboot", "-monitor", "none",
             "-serial", "file:" + serial_log]
    if m["iommu"] != "none":
        opts = "".join(f",{k}={opt_value(v)}" for k, v in m["iommu_options"].items())
        argv += ["-device", f"{m['iommu']}-iommu{opts}"]
    for dev in rt["devices"]:
        argv += ["-device", device_arg(dev)]
    # BOOT_IMAGE= first, as GRUB passes it: /proc/cmdline then looks like a GRUB-booted host
    # and names the kernel image (the kernel hands the unknown parameter to init's environment).
    base = f"BOOT_IMAGE={kernel} console=ttyS0 panic=-1"
    append = " ".join(x for x in [base, m["kernel_iommu_arg"], m["append"]] if x)
    argv += ["-kernel", kernel, "-initrd", initrd, "-append", append]
    return argv


# --------------------------------------------------------------------------------------------
# Initramfs
# --------------------------------------------------------------------------------------------


def run_text(argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def initramfs_stamp(kver):
    h = hashlib.sha256()
    with open(os.path.join(HERE, "init.sh"), "rb") as f:
        h.update(f.read())
    h.update(kver.encode())
    for p in ("/bin/busybox", "/usr/bin/lspci", "/usr/share/misc/pci.ids"):
        st = os.stat(p)
        h.update(f"{p}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()


def build_initramfs(force=False, quiet=False):
    kver = kernel_release(find_kernel())
    os.makedirs(WORK, exist_ok=True)
    stamp_file = INITRAMFS + ".stamp"
    stamp = initramfs_stamp(kver)
    if not force and os.path.exists(INITRAMFS) and os.path.exists(stamp_file):
        with open(stamp_file) as f:
            if f.read().strip() == stamp:
                return INITRAMFS
    root = tempfile.mkdtemp(prefix="initramfs-", dir=WORK)
    try:
        def put(src, dst=None, mode=None):
            dst = os.path.join(root, (dst or src).lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.realpath(src), dst)
            shutil.copymode(os.path.realpath(src), dst)
            if mode is not None:
                os.chmod(dst, mode)

        for d in ("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "etc"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        put("/bin/busybox", "/bin/busybox")
        put(os.path.join(HERE, "init.sh"), "/init", 0o755)
        lspci = shutil.which("lspci") or "/usr/bin/lspci"
        put(lspci, "/usr/bin/lspci")
        for line in run_text(["ldd", lspci]).splitlines():
            m = re.search(r"(/\S+)\s+\(0x", line)
            if m:
                put(m.group(1))
        put("/usr/share/misc/pci.ids")
        # kmod's binary index lets `lspci -k` print "Kernel modules:" lines like real dumps.
        moddir = f"/lib/modules/{kver}"
        for p in sorted(glob.glob(os.path.join(moddir, "modules.*.bin"))):
            put(p)
        for p in ("modules.dep", "modules.alias", "modules.builtin", "modules.order",
                  "modules.softdep", "modules.devname"):
            if os.path.exists(os.path.join(moddir, p)):
                put(os.path.join(moddir, p))
        files = []
        for dirpath, dirnames, filenames in os.walk(root):
            rel = os.path.relpath(dirpath, root)
            for n in sorted(dirnames) + sorted(filenames):
                files.append(os.path.normpath(os.path.join(rel, n)))
        tmp = INITRAMFS + ".tmp"
        with open(tmp, "wb") as out:
            cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=root,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            gz = subprocess.Popen(["gzip", "-9n"], stdin=cpio.stdout, stdout=out)
            cpio.stdout.close()
            cpio.stdin.write(("\n".join(files) + "\n").encode())
            cpio.stdin.close()
            if cpio.wait() != 0 or gz.wait() != 0:
                raise SystemExit("oracle: cpio/gzip failed")
        os.replace(tmp, INITRAMFS)
        with open(stamp_file, "w") as f:
            f.write(stamp + "\n")
        if not quiet:
            print(f"oracle: built {INITRAMFS} ({os.path.getsize(INITRAMFS) // 1024} KiB, kernel {kver})")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return INITRAMFS


# --------------------------------------------------------------------------------------------
# Boot, split, write a capture
# --------------------------------------------------------------------------------------------


def split_log(text):
    """Serial log -> ({section: [lines]}, done_flag). CRs are dropped."""
    sections = {}
    cur = None
    done = False
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip("\n")
        m = MARK_BEGIN.match(line)
        if m:
            cur = m.group(1)
            sections[cur] = []
            continue
        m = MARK_END.match(line)
        if m and cur == m.group(1):
            cur = None
            continue
        if line == MARK_DONE:
            done = True
            continue
        if cur is not None:
            sections[cur].append(line)
    return sections, done


def write_text(path, lines):
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))


def qemu_version():
    try:
        out = run_text([QEMU, "--version"]).splitlines()[0]
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.strip()


def write_capture(outdir, rt, sections, meta):
    os.makedirs(outdir, exist_ok=True)
    # Only files of the capture layout are replaced; anything else in the folder is kept.
    for name in OWNED_FILES:
        p = os.path.join(outdir, name)
        if os.path.exists(p):
            os.remove(p)
    for sec, fname in CAPTURE_FILES.items():
        write_text(os.path.join(outdir, fname), sections.get(sec, []))
    with open(os.path.join(outdir, META_FILE), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    with open(os.path.join(outdir, TOPOLOGY_FILE), "w") as f:
        json.dump(rt, f, indent=2)
        f.write("\n")


def parse_groups(lines):
    groups = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            groups.setdefault(int(parts[0]), []).append(parts[1])
    return groups


def boot(rt, outdir, timeout=180, verbose=True):
    initrd = build_initramfs(quiet=not verbose)
    kernel = find_kernel()
    os.makedirs(WORK, exist_ok=True)
    log = os.path.join(WORK, f"serial-{rt['name']}.log")
    if os.path.exists(log):
        os.remove(log)
    argv = qemu_argv(rt, log, kernel=kernel, initrd=initrd)
    t0 = time.monotonic()
    timed_out = False
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        rc = proc.returncode
        stderr = proc.stderr
    except subprocess.TimeoutExpired as e:
        timed_out = True
        rc = None
        stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    wall = time.monotonic() - t0
    text = ""
    if os.path.exists(log):
        with open(log, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    sections, done = split_log(text)
    if timed_out or not done:
        why = f"timed out after {timeout} s" if timed_out else f"qemu exit {rc}, no DONE marker"
        raise SystemExit(f"oracle: {rt['name']}: boot failed ({why}); serial log {log}\n"
                         f"qemu stderr:\n{stderr.strip()}")
    uname = (sections.get("uname") or ["unknown"])[0].strip()
    groups = parse_groups(sections.get("iommu-groups", []))
    ndev = sum(1 for line in sections.get("lspci-vvv", []) if re.match(r"^[0-9a-f]{4}:", line))
    meta = {
        "topology": rt["name"],
        "seed": rt.get("seed"),
        "kernel": uname,
        "kernel_image": kernel,
        "qemu": qemu_version(),
        "pciutils": " ".join(sections.get("lspci-version", [])).strip(),
        "busybox": " ".join(sections.get("busybox-version", [])).strip(),
        "accel": "tcg",
        "qemu_command": shlex.join(argv),
        "wall_seconds": round(wall, 2),
        "qemu_exit": rc,
        "qemu_stderr": [s for s in stderr.splitlines() if s.strip()],
        "guest_stderr": [s for s in sections.get("stderr", []) if s.strip()],
        "devices": ndev,
        "iommu_groups": len(groups),
        "captured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    write_capture(outdir, rt, sections, meta)
    return meta, groups


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------


def device_names(lspci_lines):
    """BDF -> short label 'vvvv:dddd' from lspci -nn headers."""
    names = {}
    for line in lspci_lines:
        m = re.match(r"^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) .*\[([0-9a-f]{4}:[0-9a-f]{4})\]",
                     line)
        if m:
            names[m.group(1)] = m.group(2)
    return names


# Devices every q35 boot has: their groups are left out of summaries.
FIXED = {"0000:00:00.0", "0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"}


def short_bdf(b):
    return b[5:] if b.startswith("0000:") else b


def summarize_groups(groups, names=None, all_groups=False):
    out = []
    for g in sorted(groups):
        devs = groups[g]
        if not all_groups and set(devs) <= FIXED:
            continue
        out.append("{" + " ".join(short_bdf(d) for d in devs) + "}")
    return " ".join(out) if out else "(none)"


def summary_of_dir(d, all_groups=False):
    def lines(name):
        p = os.path.join(d, name)
        if not os.path.exists(p):
            return []
        with open(p) as f:
            return f.read().splitlines()

    groups = parse_groups(lines(CAPTURE_FILES["iommu-groups"]))
    meta = {}
    if os.path.exists(os.path.join(d, META_FILE)):
        with open(os.path.join(d, META_FILE)) as f:
            meta = json.load(f)
    return meta, groups


# --------------------------------------------------------------------------------------------
# Random topologies
# --------------------------------------------------------------------------------------------


class Gen:
    """Builds a random topology that QEMU 7.2 accepts and SeaBIOS + Linux boot."""

    MAX_DEPTH = 3  # switches nested below a root port

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.devices = []
        self.counts = {}
        self.funcs = 0
        # Functions we add (q35's own four come on top); keeps a boot and its lspci -xxxx short.
        self.max_funcs = self.rng.randint(8, 26)

    def new_id(self, prefix):
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}{n}"

    def add(self, driver, prefix, bus, addr, options=None):
        dev = {"driver": driver, "id": self.new_id(prefix), "bus": bus, "addr": addr}
        if options:
            dev["options"] = options
        self.devices.append(dev)
        self.funcs += 1
        return dev["id"]

    def room(self, n=1):
        return self.funcs + n <= self.max_funcs

    def endpoint_slot(self, bus, slot, pool, max_fn=3):
        r = self.rng
        nfn = 1 if r.random() < 0.7 else r.randint(2, max_fn)
        for fn in range(nfn):
            if not self.room():
                break
            drv = r.choice(pool)
            self.add(drv, "ep", bus, fmt_addr(slot, fn))

    def root_port_options(self):
        r = self.rng
        if r.random() < 0.2:
            return "ioh3420", {}
        return "pcie-root-port", ({"disable-acs": True} if r.random() < 0.4 else {})

    def below_port(self, port_id, depth):
        """What hangs below a root or downstream port."""
        r = self.rng
        choices = [("empty", 1), ("endpoint", 5)]
        if self.room(2):
            choices.append(("bridge", 1))
        if depth < self.MAX_DEPTH and self.room(3):
            choices.append(("switch", [2, 1, 0.5][depth]))
        kind = r.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
        if kind == "empty" or not self.room():
            return
        if kind == "endpoint":
            self.endpoint_slot(port_id, 0, PCIE_ENDPOINTS)
        elif kind == "bridge":
            self.pci_bridge_subtree(port_id, "00.0", "pcie-pci-bridge", 0)
        else:
            up = self.add("x3130-upstream", "up", port_id, "00.0")
            for i in range(r.randint(1, 4)):
                if i > 0 and not self.room(2):
                    break
                dp = self.add("xio3130-downstream", "dp", up, fmt_addr(i, 0))
                self.below_port(dp, depth + 1)

    def pci_bridge_subtree(self, bus, addr, driver, depth):
        r = self.rng
        br = self.add(driver, "br", bus, addr)
        for s in range(1, r.randint(2, 4)):
            if not self.room():
                break
            if depth < 1 and r.random() < 0.2 and self.room(2):
                self.pci_bridge_subtree(br, fmt_addr(s, 0), "pci-bridge", depth + 1)
            else:
                self.endpoint_slot(br, s, CONVENTIONAL_ENDPOINTS, max_fn=2)

    def build(self, seed):
        r = self.rng
        iommu = "amd" if r.random() < 0.2 else "intel"
        slots = [s for s in range(2, 0x1F)]
        r.shuffle(slots)
        slots = sorted(slots[: r.randint(2, 6)])
        # Slot roles on the root complex: endpoints, root ports (one or several functions),
        # a conventional bridge, at most one pxb-pcie.
        pxb_done = False
        for s in slots:
            if not self.room(2):
                break
            role = r.choices(["rciep", "ports", "bridge", "pxb"], weights=[3, 5, 1, 1])[0]
            if role == "pxb" and pxb_done:
                role = "ports"
            if role == "rciep":
                self.endpoint_slot(ROOT_BUS, s, RC_ENDPOINTS, max_fn=4)
            elif role == "bridge":
                self.pci_bridge_subtree(ROOT_BUS, fmt_addr(s, 0),
                                        r.choice(["pci-bridge", "pcie-pci-bridge"]), 0)
            elif role == "ports":
                nfn = 1 if r.random() < 0.6 else r.randint(2, 4)
                same_acs = r.random() < 0.6
                drv0, opt0 = self.root_port_options()
                ports = []
                for fn in range(nfn):
                    if not self.room(2):
                        break
                    drv, opt = (drv0, dict(opt0)) if same_acs else self.root_port_options()
                    ports.append(self.add(drv, "rp", ROOT_BUS, fmt_addr(s, fn), opt))
                for p in ports:
                    self.below_port(p, 0)
            else:
                pxb_done = True
                pxb = self.add("pxb-pcie", "pxb", ROOT_BUS, fmt_addr(s, 0), {"bus_nr": 0x80})
                for i in range(r.randint(1, 2)):
                    if not self.room(2):
                        break
                    drv, opt = self.root_port_options()
                    if drv == "ioh3420":
                        drv = "pcie-root-port"
                    p = self.add(drv, "rp", pxb, fmt_addr(i, 0), opt)
                    self.below_port(p, 0)
        topo = {
            "name": f"random-{seed}",
            "description": f"Random topology from `oracle.py random --seed {seed}`.",
            "seed": seed,
            "generator": "oracle.py random v1",
            "machine": {"iommu": iommu},
            "devices": self.devices,
        }
        return topo


def random_topology(seed):
    topo = Gen(seed).build(seed)
    resolve(topo)  # must always be valid
    return topo


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def named_topologies():
    return sorted(glob.glob(os.path.join(TOPO_DIR, "*.json")))


def cmd_check(args):
    bad = 0
    for p in args.topologies or named_topologies():
        try:
            rt = resolve(load_topology(p))
            print(f"ok   {rt['name']}: {len(rt['devices'])} devices, iommu {rt['machine']['iommu']}")
        except TopologyError as e:
            bad += 1
            print(f"FAIL {p}: {e}")
    return 1 if bad else 0


def cmd_cmd(args):
    rt = resolve(load_topology(args.topology))
    print(shlex.join(qemu_argv(rt, os.path.join(WORK, f"serial-{rt['name']}.log"))))
    return 0


def report_line(rt, meta, groups):
    return (f"{rt['name']:<34} {meta['wall_seconds']:6.1f} s  {meta['devices']:3d} fn  "
            f"{len(groups):3d} groups  {summarize_groups(groups)}")


def cmd_run(args):
    rt = resolve(load_topology(args.topology))
    meta, groups = boot(rt, args.out, timeout=args.timeout)
    print(report_line(rt, meta, groups))
    return 0


def cmd_run_all(args):
    paths = named_topologies()
    if args.only:
        wanted = set(args.only)
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in wanted]
    rts = [resolve(load_topology(p)) for p in paths]  # validate all before booting any
    build_initramfs()
    failed = []
    total = time.monotonic()
    for rt in rts:
        out = os.path.join(args.out_root, f"qemu-{rt['name']}")
        try:
            meta, groups = boot(rt, out, timeout=args.timeout, verbose=False)
            print(report_line(rt, meta, groups), flush=True)
        except SystemExit as e:
            failed.append(rt["name"])
            print(str(e), file=sys.stderr, flush=True)
    print(f"oracle: {len(rts) - len(failed)} booted, {len(failed)} failed, "
          f"{time.monotonic() - total:.0f} s in total")
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


def cmd_random(args):
    topo = random_topology(args.seed)
    text = json.dumps(topo, indent=2) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            seeds.extend(range(int(a), int(b) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def cmd_soak(args):
    build_initramfs()
    failed = []
    for seed in parse_seeds(args.seeds):
        topo = random_topology(seed)
        rt = resolve(topo)
        out = os.path.join(args.keep, f"qemu-random-{seed}")
        try:
            meta, groups = boot(rt, out, timeout=args.timeout, verbose=False)
            print(report_line(rt, meta, groups), flush=True)
        except SystemExit as e:
            failed.append(seed)
            print(str(e), file=sys.stderr, flush=True)
    if failed:
        print("failed seeds: " + " ".join(map(str, failed)))
    return 1 if failed else 0


def cmd_summary(args):
    for d in args.dirs:
        meta, groups = summary_of_dir(d)
        name = meta.get("topology", os.path.basename(d.rstrip("/")))
        wall = meta.get("wall_seconds", 0.0)
        print(f"{name:<34} {wall:6.1f} s  {len(groups):3d} groups  "
              f"{summarize_groups(groups, all_groups=args.all)}")
    return 0


def cmd_split(args):
    with open(args.log, "rb") as f:
        sections, done = split_log(f.read().decode("utf-8", errors="replace"))
    os.makedirs(args.outdir, exist_ok=True)
    for sec, lines in sections.items():
        write_text(os.path.join(args.outdir, CAPTURE_FILES.get(sec, sec + ".txt")), lines)
    print(f"{len(sections)} sections, done marker {'seen' if done else 'MISSING'}")
    return 0 if done else 1


def main(argv=None):
    ap = argparse.ArgumentParser(prog="oracle.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("build-initramfs")
    p.add_argument("--force", action="store_true")
    p = sub.add_parser("check")
    p.add_argument("topologies", nargs="*")
    p = sub.add_parser("cmd")
    p.add_argument("topology")
    p = sub.add_parser("run")
    p.add_argument("topology")
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=int, default=180)
    p = sub.add_parser("run-all")
    p.add_argument("--only", nargs="*")
    p.add_argument("--out-root", default=BOARDS_DIR)
    p.add_argument("--timeout", type=int, default=180)
    p = sub.add_parser("random")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out")
    p = sub.add_parser("soak")
    p.add_argument("--seeds", required=True, help="e.g. 1-10 or 3,7,12")
    p.add_argument("--keep", default=os.path.join(WORK, "random"))
    p.add_argument("--timeout", type=int, default=180)
    p = sub.add_parser("summary")
    p.add_argument("dirs", nargs="+")
    p.add_argument("--all", action="store_true", help="also show the fixed q35 groups")
    p = sub.add_parser("split")
    p.add_argument("log")
    p.add_argument("outdir")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "build-initramfs":
            build_initramfs(force=args.force)
            return 0
        return {
            "check": cmd_check, "cmd": cmd_cmd, "run": cmd_run, "run-all": cmd_run_all,
            "random": cmd_random, "soak": cmd_soak, "summary": cmd_summary, "split": cmd_split,
        }[args.cmd](args)
    except TopologyError as e:
        print(f"oracle: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
