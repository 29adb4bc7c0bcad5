#!/usr/bin/env bash
# iommu-lint side by side with pciutils and with the floor (wc -l), in one run, on the same
# generated files (tools/gen-lspci: a server host at 100 / 1k / 10k functions):
#
#   iommu-lint groups <hex dump>      vs  lspci -F <hex dump> -vv      (pciutils decoding the
#                                                                      same dump, no grouping)
#   iommu-lint parse <lspci -vvv text> vs  wc -l <the same text>        (reading the bytes)
#   iommu-lint lint <lspci -vvv text>                                   (every rule)
#   peak memory (/usr/bin/time %M) against the input size
#
# usage: bench/compare.sh [--build DIR] [--sizes "100 1000 10000"] [--runs N] [--no-write]
# Uses hyperfine when installed (apt-get install hyperfine), else a timing loop (median).
# Writes the results with the machine description between the compare.sh markers of
# bench/RESULTS.md (unless --no-write) and prints them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$root/build
sizes="100 1000 10000"
runs=10
write=1
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-write) write=0; shift ;;
    *) echo "usage: $0 [--build DIR] [--sizes \"100 1000 10000\"] [--runs N] [--no-write]" >&2; exit 2 ;;
  esac
done
lint=$build/iommu-lint
gen=$build/bench/gen-lspci
for b in "$lint" "$gen"; do
  [ -x "$b" ] || { echo "missing $b: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
done
command -v lspci >/dev/null || { echo "lspci (pciutils) is needed" >&2; exit 2; }
lspci_bin=$(command -v lspci)
work=$(mktemp -d "${TMPDIR:-/tmp}/il-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

# median wall time (seconds) of a command (no shell; output discarded)
measure() {
  if [ $have_hyperfine = 1 ]; then
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/h.json" --output=null "$*" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.6f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/h.json"
  else
    local t=()
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$runs"); do
      local s e
      s=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      e=$(date +%s%N)
      t+=($(( e - s )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.6f\n", a[int((NR+1)/2)]/1e9}'
  fi
}
# peak resident memory in KiB
peak_kib() {
  /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
  tail -1 "$work/mem"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", bytes / s / 1e6; else print "-" }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null | head -1)
compiler_version=$("${compiler:-c++}" --version 2>/dev/null | head -1)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null | head -1)
timer=$([ $have_hyperfine = 1 ] && hyperfine --version || echo "shell loop, median of $runs")

out=$work/results.md
{
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs ($cpu), load average $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "$compiler_version, $build_type build; $("$lspci_bin" --version); timing: $timer, median of $runs runs."
  echo
  echo "| functions | text MB | hex MB | groups(hex) ms | lspci -F -vv ms | lspci/groups | parse(text) ms | wc -l ms | parse/wc | parse MB/s | lint(text) ms | peak RSS groups(hex) / hex size | peak RSS parse / text size |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$out"

for n in $sizes; do
  d=$work/$n
  mkdir -p "$d"
  "$gen" --functions "$n" --out "$d" 2>/dev/null
  text=$d/lspci-vvv.txt
  hex=$d/lspci-xxxx.txt
  tbytes=$(stat -c %s "$text")
  hbytes=$(stat -c %s "$hex")
  # sanity: both tools read the files
  "$lint" groups "$hex" >/dev/null
  "$lspci_bin" -F "$hex" -vv >/dev/null 2>&1
  t_groups=$(measure "$lint" groups "$hex")
  t_lspci=$(measure "$lspci_bin" -F "$hex" -vv)
  t_parse=$(measure "$lint" parse "$text")
  t_wc=$(measure wc -l "$text")
  t_lint=$(measure "$lint" lint "$text")
  m_groups=$(peak_kib "$lint" groups "$hex")
  m_parse=$(peak_kib "$lint" parse "$text")
  printf '| %s | %.1f | %.1f | %s | %s | **%s×** | %s | %s | **%s×** | %s | %s | %s | %s |\n' \
    "$n" "$(awk -v b="$tbytes" 'BEGIN{print b/1e6}')" "$(awk -v b="$hbytes" 'BEGIN{print b/1e6}')" \
    "$(ms "$t_groups")" "$(ms "$t_lspci")" "$(ratio "$t_lspci" "$t_groups")" \
    "$(ms "$t_parse")" "$(ms "$t_wc")" "$(ratio "$t_parse" "$t_wc")" "$(mbps "$tbytes" "$t_parse")" \
    "$(ms "$t_lint")" \
    "$(ratio "$(( m_groups * 1024 ))" "$hbytes")" "$(ratio "$(( m_parse * 1024 ))" "$tbytes")" >>"$out"
done
{
  echo
  echo "Goals: lspci/groups >= 5 at 1,000 functions; parse/wc <= 4; parse >= 200 MB/s on one core;"
  echo "peak RSS <= 3x the input. (\"groups\" reads the dump, simulates and prints the groups;"
  echo "\"parse\" reads the text and prints the snapshot summary; both are whole processes.)"
} >>"$out"

cat "$out"
if [ $write = 1 ]; then
  results=$here/RESULTS.md
  [ -f "$results" ] || printf '# Benchmark results\n\n<!-- compare.sh:begin -->\n<!-- compare.sh:end -->\n' >"$results"
  python3 - "$results" "$out" <<'PY'
import sys
path, new = sys.argv[1], open(sys.argv[2]).read()
s = open(path).read()
b, e = "<!-- compare.sh:begin -->", "<!-- compare.sh:end -->"
if b in s and e in s:
    s = s[: s.index(b) + len(b)] + "\n" + new + s[s.index(e):]
else:
    s += "\n" + b + "\n" + new + e + "\n"
open(path, "w").write(s)
PY
  echo "(written to $results)"
fi
