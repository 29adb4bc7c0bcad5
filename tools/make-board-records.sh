#!/bin/sh
# make-board-records.sh: (re)write the board corpus corpus/boards/<name>/{board.json,snapshot.json}
# with `iommu-lint board import`, from
#   - the recorded hosts of ../shared/corpus/hosts that hold an lspci dump (metadata below, taken
#     from each folder's SOURCE.md by hand; the citation line and URLs are read from SOURCE.md),
#   - the linuxhw reports of ../shared/corpus/linuxhw (metadata from its INDEX.tsv),
#   - the QEMU captures of our own oracle in corpus/boards/qemu-*/ (raw files stay, the record is
#     added next to them).
# The records hold the tool's snapshot (facts with file:line sources, file names relative to the
# recording), never the recorded text itself.
#
# usage: tools/make-board-records.sh [--only NAME]...
# env:   IOMMU_LINT (default build/iommu-lint), SHARED (default ../shared next to the checkout),
#        BOARDS (default corpus/boards)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
BIN=${IOMMU_LINT:-$repo/build/iommu-lint}
SHARED=${SHARED:-$(cd "$repo/.." && pwd)/shared}
BOARDS=${BOARDS:-$repo/corpus/boards}
only=""
while [ $# -gt 0 ]; do
    case "$1" in
    --only) only="$only $2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BIN" ] || { echo "$0: $BIN is not built (cmake --build build --target iommu-lint)" >&2; exit 1; }

wanted() {
    [ -z "$only" ] && return 0
    for o in $only; do [ "$o" = "$1" ] && return 0; done
    return 1
}

count=0
# import NAME INPUTS... -- OPTIONS...
import() {
    name=$1
    shift
    wanted "$name" || return 0
    "$BIN" board import --boards "$BOARDS" --name "$name" --force "$@" >/dev/null
    count=$((count + 1))
    echo "  $name"
}

# ---- recorded hosts of ../shared/corpus/hosts -----------------------------------------------
hosts="$SHARED/corpus/hosts"

# The "- Source:" line of SOURCE.md (markdown removed), cut at a word before 500 characters.
citation() {
    line=$(sed -n 's/^- Source: *//p' "$1" | head -n 1 | tr -d '`')
    if [ ${#line} -gt 500 ]; then
        line=$(printf '%s' "$line" | cut -c1-500 | sed 's/ [^ ]*$//')" ..."
    fi
    printf '%s\n' "$line"
}
# The links in SOURCE.md (at most four), else the lore.kernel.org address of the first
# Message-ID of a linux-pci thread, else the GitHub repository it names.
source_urls() {
    links=$(grep -oE 'https?://[^ )>`"]+' "$1" | head -n 4)
    if [ -z "$links" ] && grep -q '^- Source: linux-pci mailing list' "$1"; then
        msgid=$(grep -oE 'Message-ID <[^>]+>' "$1" | head -n 1 | sed 's/^Message-ID <//; s/>$//')
        [ -n "$msgid" ] && links="https://lore.kernel.org/linux-pci/$msgid/"
    fi
    if [ -z "$links" ]; then
        repo_name=$(sed -n 's/^- Source: GitHub repo `\([^`]*\)`.*/\1/p' "$1" | head -n 1)
        [ -n "$repo_name" ] && links="https://github.com/$repo_name"
    fi
    printf '%s\n' "$links"
}

# shared_host NAME HOST "VENDOR" "BOARD" "CHIPSET" "SOCKET" "BIOS" "KERNEL" "NOTE" FILE...
# Empty strings are unknown (left out). KERNEL empty: what the recording says.
shared_host() {
    name=$1 host=$2 vendor=$3 board=$4 chipset=$5 socket=$6 bios=$7 kernel=$8 note=$9
    shift 9
    wanted "$name" || return 0
    dir="$hosts/$host"
    if [ ! -d "$dir" ]; then
        echo "  skipped $name: $dir is missing" >&2
        return 0
    fi
    for f in "$@"; do
        shift
        set -- "$@" "$dir/$f"
    done
    set -- "$@" --source-corpus "../shared/corpus/hosts/$host" --citation "$(citation "$dir/SOURCE.md")"
    [ -n "$vendor" ] && set -- "$@" --vendor "$vendor"
    [ -n "$board" ] && set -- "$@" --board "$board"
    [ -n "$chipset" ] && set -- "$@" --chipset "$chipset"
    [ -n "$socket" ] && set -- "$@" --socket "$socket"
    [ -n "$bios" ] && set -- "$@" --bios "$bios"
    [ -n "$kernel" ] && set -- "$@" --kernel "$kernel"
    [ -n "$note" ] && set -- "$@" --note "$note"
    for u in $(source_urls "$dir/SOURCE.md"); do set -- "$@" --url "$u"; done
    import "$name" "$@"
}

echo "recorded hosts ($hosts):"
shared_host ams-am-g6x-msd-microtca-pex8748 ams-am-g6x-msd-microtca-pex8748 \
    "AMI" "AM G6x/msd (MicroTCA CPU board)" "Intel CM238" "" "4.08.01 02/19/2019" "" \
    "Two PLX switches (PEX 8725, PEX 8748) with hotplug AMC slots behind the CPU root port." \
    lspci-vv.txt lspci-t.txt dmesg.txt cmdline.txt
shared_host apple-imac-2020-t2-titan-ridge apple-imac-2020-t2-titan-ridge \
    "Apple" "iMac (2020, T2; model id not stated)" "Intel Z490 (Comet Lake PCH)" "" "" "6.12" \
    "lspci uses -PP paths; Radeon Pro 5500-class GPU behind its internal switch; Titan Ridge Thunderbolt 3." \
    lspci-vv.txt
shared_host asrock-z370m-itx-ac asrock-z370m-itx-ac \
    "ASRock" "Z370M-ITX/ac" "Intel Z370" "LGA1151" "" "" \
    "Group listing and lspci -nnkq were taken at different times (the GPU at 01:00.0 was swapped); no -vv." \
    iommu-groups.txt cmdline.txt other-lspci-nnkq.txt
shared_host asus-12th-gen-laptop-gl9755 asus-12th-gen-laptop-gl9755 \
    "ASUS" "laptop, 12th Gen Core (model not stated)" "Intel Alder Lake PCH-P" "" "" "" \
    "NVIDIA dGPU on the CPU root port 00:01.0; Genesys Logic GL9755 SD reader." \
    lspci-vv.txt dmesg.txt
shared_host asus-pn51-e1 asus-pn51-e1 \
    "ASUS" "PN51-E1 (mini PC)" "AMD Renoir/Lucienne APU (no separate chipset)" "" "0508" "6.6.8" "" \
    lspci-vv.txt
shared_host asus-proart-z690-creator-wifi asus-proart-z690-creator-wifi \
    "ASUS" "ProArt Z690-Creator WiFi (inferred from the devices, unconfirmed)" "Intel Z690" "LGA1700" "" "" \
    "No -vv dump: isolation is judged from the recorded groups only; the command line is the GRUB default line." \
    iommu-groups.txt other-lspci-nnk.txt other-grub-cmdline.txt
shared_host asus-q87m-e-asm1812-4x-rtl8125 asus-q87m-e-asm1812-4x-rtl8125 \
    "ASUS" "Q87M-E" "Intel Q87" "LGA1150" "3801 03/22/2019" "" \
    "Only the add-in 4x2.5GbE card (ASMedia ASM1812 switch + 4 RTL8125) was recorded, not the rest of the board." \
    lspci-vv.txt other-dmesg-excerpt-boot-header.txt
shared_host asus-vivobook-15-x507uar asus-vivobook-15-x507uar \
    "ASUS" "VivoBook 15 X507UAR" "Intel Sunrise Point-LP (Kaby Lake-R U)" "" "X507UAR.203 05/31/2018" "" \
    "DMA remapping was off in this boot (no IOMMU groups recorded)." \
    lspci-vv.txt dmesg.txt
shared_host asus-x99-i7-5930k-borisv asus-x99-i7-5930k-borisv \
    "ASUS" "X99 board (model not stated)" "Intel X99 (C610)" "LGA2011-3" "" "5.8" \
    "Partial lspci (three root ports); the group listing is of a kernel with the Intel PCH ACS quirk working." \
    lspci-vv.txt lspci-x.txt iommu-groups.txt
shared_host dell-latitude-5410 dell-latitude-5410 \
    "Dell" "Latitude 5410" "Intel Comet Lake PCH-LP" "" "" "5.10.0" "" \
    lspci-vv.txt
shared_host dell-optiplex-5055 dell-optiplex-5055 \
    "Dell" "OptiPlex 5055 Ryzen CPU (board 0P03DX)" "AMD 300 Series" "AM4" "1.1.20 05/31/2019" "" \
    "No lspci -vv: the topology comes from lspci -tvn and the kernel log." \
    dmesg.txt lspci-t.txt
shared_host dell-xps-13-9320-tb-dock dell-xps-13-9320-tb-dock \
    "Dell" "XPS 13 9320 (board 0KNXGD)" "Intel Alder Lake PCH-P" "" "2.23.0 07/03/2025" "" \
    "Thunderbolt dock and NVMe enclosure attached; lspci -vnn only (no ACS details)." \
    dmesg.txt other-lspci-vnn.txt
shared_host fujitsu-primergy-tx1320-m3 fujitsu-primergy-tx1320-m3 \
    "Fujitsu" "PRIMERGY TX1320 M3 (board D3373-B1)" "Intel C236" "LGA1151" "" "" "" \
    iommu-groups.txt cmdline.txt other-lspci-nnkq.txt
shared_host google-pixelbook-eve-mrchromebox google-pixelbook-eve-mrchromebox \
    "Google" "Eve (Pixelbook 2017)" "Intel Sunrise Point-LP (Kaby Lake-Y)" "" "MrChromebox-2509.1 10/13/2025" "" \
    "Coreboot (MrChromebox) firmware; DMA remapping off in this boot." \
    lspci-vv.txt dmesg.txt
shared_host supermicro-a2sdi-4c-hln4f supermicro-a2sdi-4c-hln4f \
    "Supermicro" "A2SDi-4C-HLN4F" "Intel Atom C3558 SoC (Denverton)" "" "" "" "" \
    iommu-groups.txt cmdline.txt other-lspci-nnkq.txt other-lspci-v-qat.txt
shared_host supermicro-as-4125gs-tnrt supermicro-as-4125gs-tnrt \
    "Supermicro" "H13DSG-O-CPU (AS -4125GS-TNRT)" "AMD EPYC 9004 (Genoa) SoC" "SP5" "3.2 11/21/2024" "" \
    "Dual socket; no lspci -vv: devices and groups from the kernel log." \
    dmesg.txt other-lspci.txt
shared_host supermicro-x11scl-if supermicro-x11scl-if \
    "Supermicro" "X11SCL-IF" "Intel C242" "LGA1151" "" "" "" \
    iommu-groups.txt cmdline.txt other-lspci-nnk.txt

# ---- linuxhw reports ----------------------------------------------------------------------
lh="$SHARED/corpus/linuxhw"
echo "linuxhw reports ($lh):"
if [ -f "$lh/INDEX.tsv" ]; then
    while IFS='	' read -r file path commit type vendor model os kernel devices groups has_acs proxmox; do
        [ -n "$file" ] || continue
        case "$file" in
        desktop-gigabyte-technology-b550m-aorus-pro-p-*) name=gigabyte-b550m-aorus-pro-p chipset="AMD B550" socket=AM4 ;;
        notebook-acer-aspire-a315-23g-*) name=acer-aspire-a315-23g chipset="AMD Raven/Picasso APU (no separate chipset)" socket="" ;;
        notebook-hewlett-packard-laptop-15-db1xxx-*) name=hp-laptop-15-db1xxx chipset="AMD Raven/Picasso APU (no separate chipset)" socket="" ;;
        *) echo "  skipped $file: no metadata for it in $0" >&2; continue ;;
        esac
        url="https://github.com/linuxhw/LsPCI/blob/$commit/$(printf '%s' "$path" | sed 's/ /%20/g')"
        set -- "$lh/$file" --vendor "$vendor" --board "$model" --chipset "$chipset" \
            --source-corpus "../shared/corpus/linuxhw/$file" \
            --citation "linuxhw/LsPCI hw-probe report ($type, $os), $path, commit $commit" --url "$url" \
            --note "$devices devices, $groups groups in the report" --kernel "$(printf '%s' "$kernel" | tr 'A-Z' 'a-z')"
        [ -n "$socket" ] && set -- "$@" --socket "$socket"
        import "$name" "$@"
    done <<EOF
$(tail -n +2 "$lh/INDEX.tsv")
EOF
fi

# ---- QEMU captures of tools/oracle ---------------------------------------------------------
echo "QEMU captures ($BOARDS/qemu-*):"
for d in "$BOARDS"/qemu-*/; do
    d=${d%/}
    [ -f "$d/lspci-vvv.txt" ] || continue
    name=$(basename "$d")
    qemu=$(sed -n 's/^ *"qemu": "\(.*\)",$/\1/p' "$d/meta.json" | head -n 1)
    desc=$(sed -n 's/^  "description": "\(.*\)",$/\1/p' "$d/topology.json" | head -n 1 | sed 's/\\"/"/g')
    set -- "$d" --vendor "QEMU" --board "q35 (oracle topology ${name#qemu-})" --chipset "Q35/ICH9 (emulated)" \
        --source-corpus "corpus/boards/$name" \
        --citation "iommu-lint's own oracle (tools/oracle, docs/oracle.md): ${qemu:-QEMU} booting a Debian kernel; raw capture, meta.json and topology.json in this folder"
    [ -n "$desc" ] && set -- "$@" --note "$desc"
    import "$name" "$@"
done
echo "$count record(s) written to $BOARDS"
