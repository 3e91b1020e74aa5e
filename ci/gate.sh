#!/usr/bin/env bash
# ci/gate.sh [BUILD [RESULTS_DIR LCOV]] — the dogfood step of `make test`: trace
# this repository with the test results and coverage of one suite run, print
# the FR matrix, and apply the gate (traceability/policy.json). Exit 0 pass,
# 1 fail (the reasons are listed), 2 bad input. The JSON results go into
# BUILD/checks/ (trace.json, gate.json), the evidence folder of the site.
set -uo pipefail
build=${1:-build}
results=${2:-$build/test-results}
lcov=${3:-build/coverage.info}
hw=$build/hwledger

# the folder: every results file in it, as a plain `hwledger gate` reads
# build/test-results/
args=(--results "$results" --lcov "$lcov")
# open error-level SAST findings fail their FRs (ci/sast.sh writes this)
[ -f "$build/sast/findings.json" ] && args+=(--sast "$build/sast/findings.json")

mkdir -p "$build/checks"
"$hw" trace "${args[@]}" --format json -o "$build/checks/trace.json" || exit $?
"$hw" trace "${args[@]}" --format md -o "$build/trace.md" || exit $?
echo "== hwledger trace (matrix of approved FRs; full JSON in $build/checks/trace.json)"
"$hw" -q trace "${args[@]}" | awk 'NR == 1 || $3 == "approved" || $4 == "approved" || /^(defects:|  )/ || /FRs:/'
echo "== hwledger gate"
"$hw" -q gate "${args[@]}" --format json -o "$build/checks/gate.json"
[ $? -le 1 ] || exit $?
"$hw" gate "${args[@]}"
