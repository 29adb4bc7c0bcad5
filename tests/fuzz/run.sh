#!/bin/sh
# Runs every libFuzzer target one after another (the machine may be small and shared).
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default 600 s, every target)
#
# Needs the fuzz build: cmake --preset fuzz && cmake --build --preset fuzz
# Working corpora grow in build-fuzz/fuzz-corpus/<target>; crashes, hangs and OOMs land in
# build-fuzz/fuzz-artifacts/<target>/ and are listed at the end. A finding becomes a
# regression input under tests/regressions/<defect>/ (see tests/model/regressions_test.cpp).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${IL_FUZZ_BUILD:-$root/build-fuzz}
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"lspci hexdump lspci_tree groups kernel_log cmdline proxmox text configspace archive snapshot_json pipeline"}
seeds=$here/seeds
boards=$root/corpus/boards

log=$build/fuzz-runs.log
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts"
start_all=$(date +%s)
for t in $targets; do
    bin=$build/tests/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then echo "missing $bin (build the fuzz preset)" >&2; exit 2; fi
    work=$build/fuzz-corpus/$t
    art=$build/fuzz-artifacts/$t/
    mkdir -p "$work" "$art"
    extra=""
    max_len=16384
    case $t in
    pipeline) max_len=131072; extra="$seeds $boards" ;;
    configspace)
        max_len=8192
        python3 "$here/extract_seeds.py" --configspace "$build/fuzz-seeds-configspace"
        extra="$build/fuzz-seeds-configspace" ;;
    text) max_len=65536; extra="$seeds/text $seeds/lspci $boards" ;;
    archive) max_len=65536 ;;
    snapshot_json) max_len=65536; extra="$seeds/snapshot_json" ;;
    *) extra="$seeds/$t $boards" ;;
    esac
    echo "== $t: ${secs}s, -max_len=$max_len" | tee -a "$log"
    t0=$(date +%s)
    # shellcheck disable=SC2086
    "$bin" "$work" $extra -max_len=$max_len -timeout=5 -rss_limit_mb=2048 \
        -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$art" \
        >"$build/fuzz-$t.log" 2>&1
    rc=$?
    t1=$(date +%s)
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$build/fuzz-$t.log" |
        tail -3 | tee -a "$log"
    echo "   exit $rc after $((t1 - t0)) s; corpus $(ls "$work" | wc -l) inputs; findings: $(ls "$art" | wc -l)" | tee -a "$log"
done
echo "total $(( $(date +%s) - start_all )) s" | tee -a "$log"
ls -l "$build"/fuzz-artifacts/*/ 2>/dev/null | grep -E 'crash|timeout|oom|leak' && exit 1
exit 0
