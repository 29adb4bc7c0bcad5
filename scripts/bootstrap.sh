#!/usr/bin/env bash
# Fresh Debian 12 machine, as root:
#   scripts/bootstrap.sh demo   install, build (Release), run groups and lint on the bundled example
#   scripts/bootstrap.sh test   install, build with ASan+UBSan (preset sanitize), run every test
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-demo}
case "$mode" in demo|test|deps) ;; *) echo "usage: $0 demo|test|deps" >&2; exit 2 ;; esac

# Debian packages: compiler and build, the libraries (Boost.Spirit X3 + Boost.Graph,
# nlohmann/json, GoogleTest, Google Benchmark, zlib), Graphviz for pictures, pciutils for the
# lspci comparison benchmark, Chromium for the HTML report's browser test.
pkgs=(build-essential cmake ninja-build libboost-dev libboost-graph-dev nlohmann-json3-dev
      libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev graphviz pciutils)
[ "$mode" = test ] && pkgs+=(chromium)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# the live oracle tier boots Debian's kernel under QEMU (tests/oracle/live_oracle.sh)
[ "$mode" = test ] && scripts/oracle-deps.sh >/dev/null
[ "$mode" = deps ] && exit 0

jobs=$(nproc)
if [ "$mode" = demo ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs"
  ./build/iommu-lint groups examples/workstation
  echo
  # the example's VM config passes devices whose groups are shared: findings are expected
  ./build/iommu-lint lint examples/workstation --fail-on never
  exit 0
fi
# every test, built with AddressSanitizer + UndefinedBehaviorSanitizer (one build: CI has 2 cores)
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs"
