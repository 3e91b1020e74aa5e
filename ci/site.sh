#!/usr/bin/env bash
# ci/site.sh [BUILD [RESULTS_DIR LCOV]] — the site dogfood of `make test`:
# fills the evidence folder BUILD/checks/ (a first trace and gate of the
# suite's results, the SAST findings of ci/sast.sh, the plan and probe
# checks, a planner sweep, the coverage tracefile), renders the report into
# BUILD/site/ with `hwledger site`, and runs the browser tests (tests/site/)
# in headless chromium (ci/deps.sh installs chromium and Node; without them
# this fails rather than leave FR-SITE untested); their TAP goes into
# RESULTS_DIR, so the final ci/gate.sh counts them.
set -uo pipefail
build=${1:-build}
results=${2:-$build/test-results}
lcov=${3:-build/coverage.info}
hw=$build/hwledger
checks=$build/checks
mkdir -p "$checks"

# a first trace for the pages; the gate's verdict does not stop the site
rm -f "$results/site.tap"
ci/gate.sh "$build" "$results" "$lcov" >/dev/null 2>&1
[ $? -le 1 ] || { echo "ci/site.sh: trace failed (run ci/gate.sh)"; exit 2; }
[ -f "$build/sast/findings.json" ] && cp "$build/sast/findings.json" "$checks/sast.json"
[ -f "$lcov" ] && cp "$lcov" "$checks/coverage.info"
"$hw" plan check --json > "$checks/plan.json"
[ $? -le 1 ] || exit 2
"$hw" probe check --json > "$checks/probe.json"
[ $? -le 1 ] || exit 2
# the planner's illustrations, as planner/report.json asks `hwledger report`
rm -f "$checks"/sweep-*.json "$checks/cheapest.json"
"$hw" -q plan report -o "$checks" || exit 2

echo "== hwledger site (evidence from $checks)"
"$hw" site --checks "$checks" -o "$build/site" || exit $?

if ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "ci/site.sh: the browser tests need chromium and node: run ci/deps.sh (as root)" >&2
  exit 3
fi
echo "== browser tests (tests/site, headless chromium)"
tests/site/run.sh "$build" "$results" || exit $?
