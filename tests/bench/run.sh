#!/usr/bin/env bash
# tests/bench/run.sh BUILD — every benchmark of hwledger, each as a ratio
# against its reference tool measured in the same run. Results go to stdout
# and BUILD/bench/results.txt.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
hw=$root/$build/hwledger
work=$root/$build/bench
mkdir -p "$work"
. "$root/tests/bench/lib.sh"

{
  echo "hwledger benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, median of $RUNS runs)"

  # issue #3: 10,000 FRs in 100 files, `frs list --json` vs cmark rendering
  # the same files to HTML
  frs=$work/frs-10k
  [ -d "$frs/frs" ] || "$root/tests/bench/gen_frs.sh" "$frs" 100 100
  count=$("$hw" -C "$frs" frs list --json | jq .count)
  [ "$count" -eq 10000 ] || { echo "bench: expected 10000 FRs, parsed $count"; exit 1; }
  compare "frs list --json, 10,000 FRs / 100 files vs cmark" "<= 1.5x" \
    "'$hw' -C '$frs' frs list --json" "cmark '$frs'/frs/*.md"
} | tee "$work/results.txt"
