#!/usr/bin/env bash
# ci/site.sh BUILD RESULTS_DIR LCOV [REPORT_OPTION...] — the site of
# `make test` and `make report` and its browser tests. The site comes from
# `hwledger report`, the one pipeline (every check, the evidence folder
# BUILD/checks/, the site BUILD/site/), run on the suite's results and
# coverage with the options given (`make test`: --unsigned, and
# --sast-reports with the analysis ci/sast.sh just ran). Then the browser
# tests (tests/site/) run in headless chromium (ci/deps.sh installs
# chromium and Node; without them this fails rather than leave FR-SITE
# untested); their TAP goes into RESULTS_DIR, so the gate that follows
# counts them. The report's output is kept in BUILD/site-report.log.
set -uo pipefail
[ $# -ge 3 ] || { echo "usage: ci/site.sh BUILD RESULTS_DIR LCOV [REPORT_OPTION...]" >&2; exit 2; }
build=$1 results=$2 lcov=$3
shift 3
hw=$build/hwledger
log=$build/site-report.log

rm -f "$results/site.tap"
echo "== hwledger report $* (evidence in $build/checks, site in $build/site)"
# the browser tests' results are not in yet, so the gate may fail here:
# that verdict does not stop the site (the gate after the tests decides)
"$hw" report --results "$results" --lcov "$lcov" \
  --checks "$build/checks" -o "$build/site" "$@" >"$log" 2>&1
rc=$?
[ "$rc" -le 1 ] || { cat "$log"; echo "ci/site.sh: hwledger report failed (exit $rc)"; exit "$rc"; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "ci/site.sh: the browser tests need chromium and node: run ci/deps.sh (as root)" >&2
  exit 3
fi
echo "== browser tests (tests/site, headless chromium)"
tests/site/run.sh "$build" "$results" || exit $?
