#!/usr/bin/env bash
# ci/sast.sh [BUILD] — the SAST dogfood: `hwledger sast --tool all` runs the
# four analyzers over BUILD/compile_commands.json (reports kept in
# BUILD/sast/run/), gates the findings against
# traceability/sast-baseline.json (exit 1 on a new finding) and writes the
# SARIF log; the kept reports, with each tool's run (run-TOOL.json: units
# analysed and failed), are then imported again for the findings JSON (read
# by ci/gate.sh, so that an FR with an open error finding fails the gate)
# and the text summary. Exit 2 when a tool failed on more than a small
# share of its units (specs/sast.md, "Failed units").
#
# UPDATE=1 ci/sast.sh rewrites the baseline instead of gating.
set -uo pipefail
build=${1:-build}
out=$build/sast
hw=$build/hwledger
base=traceability/sast-baseline.json
mkdir -p "$out"
rm -rf "$out/run"
extra=()
[ "${UPDATE:-0}" = 1 ] && extra=(--update-baseline)
"$hw" -q sast --tool all --baseline "$base" "${extra[@]}" --format sarif -o "$out/hwledger.sarif"
status=$?
[ "$status" -le 1 ] || exit "$status"
imports=()
for r in "$out"/run/run-*.json "$out"/run/cppcheck.xml "$out"/run/flawfinder.sarif "$out"/run/clang-tidy-*.txt "$out"/run/gcc-*.json; do
  [ -s "$r" ] && imports+=(--import "$r")
done
"$hw" -q sast "${imports[@]}" --baseline "$base" --format json -o "$out/findings.json"
"$hw" -q sast "${imports[@]}" --baseline "$base" | tail -n 1
exit "$status"
