#!/usr/bin/env bash
# Installs what the real-kernel IOMMU-group oracle (tools/oracle/oracle.py) needs on Debian 12:
# QEMU for x86, Debian's own kernel image (booted as the guest, never as the host), a static
# busybox and pciutils for the guest initramfs, and cpio/gzip to pack it.
# Idempotent: running it again only refreshes the package lists. Needs root (or sudo).
set -euo pipefail

PKGS=(qemu-system-x86 linux-image-amd64 busybox-static pciutils cpio gzip)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "oracle-deps: must run as root (or with sudo available)" >&2
        exit 1
    fi
fi

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "oracle-deps: all present (${PKGS[*]})"
else
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The guest kernel: the newest /boot/vmlinuz-* of Debian's linux-image package.
ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 | sed 's/^/oracle-deps: guest kernel /'
qemu-system-x86_64 --version | head -n 1 | sed 's/^/oracle-deps: /'
