#!/bin/busybox sh
# /init of the oracle initramfs (built by tools/oracle/oracle.py build-initramfs).
# Dumps lspci and the kernel's IOMMU groups to the serial console between
# @@@ORACLE-BEGIN name@@@ / @@@ORACLE-END name@@@ markers, then powers off.
# No `set -e`: a failing command must not keep the guest from powering off.

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
export PATH=/usr/bin:/usr/sbin:/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# Keep printk off the console so kernel messages cannot interleave with the dumps.
dmesg -n 1

section() {
    name=$1
    shift
    echo "@@@ORACLE-BEGIN $name@@@"
    "$@" 2>>/tmp/stderr.txt
    echo "@@@ORACLE-END $name@@@"
}

groups() {
    [ -d /sys/kernel/iommu_groups ] || return 0
    for g in $(ls /sys/kernel/iommu_groups | sort -n); do
        for d in $(ls /sys/kernel/iommu_groups/$g/devices | sort); do
            echo "$g $d"
        done
    done
}

echo "@@@ORACLE-START@@@"
section uname uname -r
section cmdline cat /proc/cmdline
section lspci-vvv lspci -vvv -nn -D
section lspci-xxxx lspci -xxxx -D
section lspci-tv lspci -tv -nn
section iommu-groups groups
section dmesg dmesg
section lspci-version lspci --version
section busybox-version sh -c 'busybox | head -n 1'
echo "@@@ORACLE-BEGIN stderr@@@"
cat /tmp/stderr.txt
echo "@@@ORACLE-END stderr@@@"
echo "@@@ORACLE-DONE@@@"
sync
poweroff -f
