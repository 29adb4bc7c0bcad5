#!/bin/sh
# iommu-capture.sh: record what iommu-lint reads about this host into one .tar.gz.
#
#   sudo sh iommu-capture.sh [-o FILE.tar.gz]
#   iommu-lint groups FILE.tar.gz        (or: parse, tree, report, board import ...)
#
# Run it as root: without root, lspci cannot read capabilities (ACS, link, ...) and prints
# "<access denied>", which leaves most isolation questions unknown.
#
# What goes into the archive (directory iommu-capture/ inside it):
#   lspci-vvv.txt      lspci -vvv -nn -D
#   lspci-xxxx.txt     lspci -xxxx -D     (config space; ACS/bridge registers as the kernel sees them)
#   lspci-tv.txt       lspci -tv -nn
#   iommu-groups.txt   "<group> <domain:bus:dev.fn>" per device, from /sys/kernel/iommu_groups
#   dmesg.txt          dmesg, or journal.txt from journalctl -k -b 0 when dmesg is not readable
#   cmdline.txt        /proc/cmdline
#   qemu-server/*.conf Proxmox VM configs (/etc/pve/qemu-server), cipassword/sshkeys redacted
#   capture-info.json  script version, date, uname -r, DMI board/BIOS names, exit codes, stderr
# Nothing else: no serial numbers, no host name, no network configuration. Look inside before
# sharing it (tar -tzvf FILE; the kernel log and the command line may name disks or UUIDs).
#
# For tests and unusual systems every source can be redirected:
#   SYSROOT=/sys PROCROOT=/proc PVE_CONF_DIR=/etc/pve/qemu-server
#   LSPCI=lspci DMESG=dmesg JOURNALCTL=journalctl UNAME=uname   (commands, may carry arguments)
# No `set -e`: a failing command is recorded (exit code, stderr) and the capture goes on.
set -u

VERSION=1
SYSROOT=${SYSROOT:-/sys}
PROCROOT=${PROCROOT:-/proc}
PVE_CONF_DIR=${PVE_CONF_DIR:-/etc/pve/qemu-server}
LSPCI=${LSPCI:-lspci}
DMESG=${DMESG:-dmesg}
JOURNALCTL=${JOURNALCTL:-journalctl}
UNAME=${UNAME:-uname}

out=""
usage() {
    echo "usage: $0 [-o FILE.tar.gz]" >&2
    echo "records lspci, IOMMU groups, kernel log, /proc/cmdline, Proxmox VM configs and DMI names" >&2
}
while [ $# -gt 0 ]; do
    case "$1" in
    -o | --output)
        [ $# -ge 2 ] || { usage; exit 2; }
        out=$2
        shift 2
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        echo "$0: unknown argument: $1" >&2
        usage
        exit 2
        ;;
    esac
done
[ -n "$out" ] || out="iommu-capture-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
case "$out" in
/*) ;;
*) out="$(pwd)/$out" ;;
esac

if [ "$(id -u 2>/dev/null || echo 0)" != 0 ]; then
    echo "warning: not running as root: lspci will not show capabilities (ACS, links);" >&2
    echo "         the capture will leave most isolation questions unknown" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iommu-capture.XXXXXX") || { echo "$0: cannot create a temporary directory" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT INT TERM
dir="$tmp/iommu-capture"
mkdir -p "$dir"
errlog="$tmp/stderr.txt"
: >"$errlog"
status=""

# run NAME FILE CMD...: stdout to FILE, stderr to the log, exit code remembered
run() {
    name=$1
    file=$2
    shift 2
    echo "### $name: $*" >>"$errlog"
    "$@" >"$dir/$file" 2>>"$errlog"
    rc=$?
    status="$status${status:+,}\"$name\": $rc"
    return $rc
}

# JSON string body: backslash and quote escaped, control characters dropped
json_str() {
    printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

# 1. lspci in the three forms iommu-lint reads best
run lspci-vvv lspci-vvv.txt $LSPCI -vvv -nn -D
run lspci-xxxx lspci-xxxx.txt $LSPCI -xxxx -D
run lspci-tv lspci-tv.txt $LSPCI -tv -nn

# 2. the kernel's IOMMU groups
groups() {
    gdir="$SYSROOT/kernel/iommu_groups"
    [ -d "$gdir" ] || return 0
    for g in $(ls "$gdir" | sort -n); do
        [ -d "$gdir/$g/devices" ] || continue
        for d in $(ls "$gdir/$g/devices" | sort); do
            echo "$g $d"
        done
    done
}
run iommu-groups iommu-groups.txt groups
[ -d "$SYSROOT/kernel/iommu_groups" ] || echo "note: $SYSROOT/kernel/iommu_groups does not exist (IOMMU off or not supported)" >>"$errlog"

# 3. the kernel log: dmesg, else the journal's kernel messages of this boot
if run dmesg dmesg.txt $DMESG && [ -s "$dir/dmesg.txt" ]; then
    :
else
    rm -f "$dir/dmesg.txt"
    run journal journal.txt $JOURNALCTL -k -b 0 --no-pager || rm -f "$dir/journal.txt"
fi

# 4. the kernel command line
run cmdline cmdline.txt cat "$PROCROOT/cmdline"

# 5. Proxmox VM configs
if [ -d "$PVE_CONF_DIR" ]; then
    for f in "$PVE_CONF_DIR"/*.conf; do
        [ -f "$f" ] || continue
        mkdir -p "$dir/qemu-server"
        sed -e 's/^cipassword:.*/cipassword: <redacted>/' -e 's/^sshkeys:.*/sshkeys: <redacted>/' \
            "$f" >"$dir/qemu-server/$(basename "$f")" 2>>"$errlog"
    done
fi

# 6. kernel release, DMI names, versions, exit codes, stderr
kernel=$($UNAME -r 2>>"$errlog")
lspci_version=$($LSPCI --version 2>/dev/null | head -n 1)
{
    echo "{"
    echo "  \"iommu_capture\": $VERSION,"
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"kernel\": \"$(json_str "$kernel")\","
    echo "  \"lspci_version\": \"$(json_str "$lspci_version")\","
    echo "  \"root\": $([ "$(id -u 2>/dev/null || echo 0)" = 0 ] && echo true || echo false),"
    echo "  \"dmi\": {"
    first=1
    for k in sys_vendor product_name product_version board_vendor board_name board_version bios_vendor bios_version bios_date; do
        f="$SYSROOT/class/dmi/id/$k"
        [ -r "$f" ] || continue
        v=$(head -c 256 "$f" 2>/dev/null | head -n 1)
        [ $first = 1 ] || echo ","
        printf '    "%s": "%s"' "$k" "$(json_str "$v")"
        first=0
    done
    [ $first = 1 ] || echo
    echo "  },"
    echo "  \"exit_codes\": {$status},"
    printf '  "stderr": "'
    head -c 65536 "$errlog" | tr -d '\000-\011\013-\037' |
        sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/$/\\n/' | tr -d '\n'
    echo '"'
    echo "}"
} >"$dir/capture-info.json"

if ! tar -C "$tmp" -czf "$out" iommu-capture; then
    echo "$0: could not write $out" >&2
    exit 1
fi
echo "wrote $out"
echo "check it with: iommu-lint parse $out"
