#!/usr/bin/env bash
# Runs the whole benchmark suite of issue 9 and writes artifacts/bench/results.json and results.md, or, given `scaling`
# first, the scaling sweeps of issue 20 (artifacts/bench/scaling.json and docs/images/scaling-*.png).
#   bash tests/ModelDsl.Benchmarks/run.sh [--threads N] [--steps N] [--warmup N]
#   bash tests/ModelDsl.Benchmarks/run.sh scaling [--threads N] [--steps N] [--warmup N] [--quick]
# The PyTorch peer needs Debian's python3-torch with OpenBLAS (libopenblas0-pthread); they are installed here when
# missing (as root, through apt-get). Never run this from tests or CI: it takes minutes and wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
command=suite
if [ "${1:-}" = scaling ]; then command=scaling; shift; fi

missing=()
for package in python3-torch libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${missing[*]}: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dotnet build -c Release tests/ModelDsl.Benchmarks
dotnet tests/ModelDsl.Benchmarks/bin/Release/net10.0/ModelDsl.Benchmarks.dll "$command" "$@"
