#!/usr/bin/env bash
# Live oracle tier: boot Debian's kernel under QEMU on topologies, then hold the simulator to the
# groups the kernel formed. Any mismatch fails with the `explain` trace of every differing device,
# and the capture is kept for triage.
#
#   tests/oracle/live_oracle.sh [BINARY]
#   ORACLE_NAMED="switch pxb"  named topologies to boot ("all" = every one; default: 2 in CI)
#   ORACLE_SEEDS="1-3"         random seeds to generate and boot (default 1-2)
#   ORACLE_KEEP=DIR            where captures are kept (default /tmp/iommu-oracle/live)
# Exit 77 (ctest: skipped) when QEMU or a guest kernel is not installed.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/iommu-lint}
oracle=$here/tools/oracle/oracle.py
keep=${ORACLE_KEEP:-/tmp/iommu-oracle/live}
named=${ORACLE_NAMED:-"switch mf-root-ports-mixed"}
seeds=${ORACLE_SEEDS:-1-2}

if ! command -v qemu-system-x86_64 >/dev/null || ! ls /boot/vmlinuz-* >/dev/null 2>&1 \
   || ! command -v busybox >/dev/null; then
  echo "SKIP: qemu-system-x86, linux-image-amd64 or busybox-static is not installed (scripts/oracle-deps.sh)"
  exit 77
fi
[ -x "$bin" ] || { echo "no binary at $bin"; exit 1; }
if [ "$named" = all ]; then
  named=$(cd "$here/tools/oracle/topologies" && ls *.json | sed 's/\.json$//')
fi
mkdir -p "$keep"

pass=0; fail=0
check() { # NAME DIR
  local name=$1 dir=$2 json
  if [ ! -s "$dir/iommu-groups.txt" ]; then
    # booted without an IOMMU: nothing to compare, but the snapshot must not claim groups
    if "$bin" parse --format json "$dir" | grep -q '"observed_group": [0-9]'; then
      echo "FAIL $name: no groups on the kernel side, but the snapshot claims some"; fail=$((fail+1)); return
    fi
    echo "ok   $name (no IOMMU groups)"; pass=$((pass+1)); return
  fi
  json=$("$bin" groups --format json "$dir") || { echo "FAIL $name: iommu-lint exited $?"; fail=$((fail+1)); return; }
  if printf '%s' "$json" | grep -q '"match": true'; then
    echo "ok   $name"; pass=$((pass+1))
  else
    echo "FAIL $name: simulated groups differ from the kernel's (capture kept in $dir)"
    printf '%s\n' "$json" | python3 -c 'import json,sys; [print("   ", d) for h in json.load(sys.stdin)["hosts"] for d in h["observed"]["differences"]]'
    for bdf in $(printf '%s' "$json" | python3 -c '
import json,sys,re
for h in json.load(sys.stdin)["hosts"]:
    for d in h["observed"]["differences"]:
        for b in sorted(set(re.findall(r"[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]", d))): print(b)' | sort -u); do
      echo "---- explain $bdf"; "$bin" explain "$dir" --device "$bdf" | sed 's/^/    /'
    done
    fail=$((fail+1))
  fi
}

for t in $named; do
  out="$keep/named-$t"
  rm -rf "$out"
  if python3 "$oracle" run "$here/tools/oracle/topologies/$t.json" --out "$out" >"$keep/boot-$t.log" 2>&1; then
    check "$t" "$out"
  else
    echo "FAIL $t: the boot did not complete (log: $keep/boot-$t.log)"; fail=$((fail+1))
  fi
done

first=${seeds%-*}; last=${seeds#*-}
for ((s = first; s <= last; s++)); do
  topo="$keep/random-$s.json"; out="$keep/random-$s"
  rm -rf "$out"
  python3 "$oracle" random --seed "$s" --out "$topo" >/dev/null 2>&1 || { echo "FAIL seed $s: generator"; fail=$((fail+1)); continue; }
  if python3 "$oracle" run "$topo" --out "$out" >"$keep/boot-random-$s.log" 2>&1; then
    check "random-$s" "$out"
  else
    echo "FAIL random-$s: the boot did not complete (log: $keep/boot-random-$s.log)"; fail=$((fail+1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
