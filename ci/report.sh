#!/usr/bin/env bash
# ci/report.sh BUILD — the body of `make report` (after `make coverage` ran
# the suite with coverage): lint the FRs and the glossary, run the browser
# tests when chromium is installed on an unsigned report (ci/site.sh; their
# results join the evidence), then `hwledger report`: every check, one
# signed event per check, a signed and anchored checkpoint, the bundle, and
# the signed site in BUILD/site.
set -uo pipefail
build=${1:-build}
hw=$build/hwledger
results=build/cov/test-results
lcov=build/coverage.info

echo "== hwledger frs lint"
"$hw" frs lint || exit $?
echo "== hwledger glossary lint"
"$hw" -q glossary lint || exit $?
sast=()
if command -v chromium >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  echo "== browser tests of the site (tests/site)"
  ci/site.sh "$build" "$results" "$lcov" --unsigned | tail -n 1
  # the analyzers ran for that report (its sast.json says they could): the
  # signed report imports their reports rather than running them again
  [ -f "$build/checks/sast.json" ] && sast=(--sast-reports build/sast/run)
fi

args=()
for f in "$results"/*.xml "$results"/*.tap; do
  [ -e "$f" ] && args+=(--results "$f")
done
[ -f "$lcov" ] && args+=(--lcov "$lcov")
echo "== hwledger report"
# the published report offers the specification as PDF too (printed by
# chromium, a few seconds; specs/export.md)
"$hw" report "${args[@]}" "${sast[@]}" --pdf --checks "$build/checks" -o "$build/site"
rc=$?
[ "$rc" -le 1 ] && echo "open $build/site/index.html (offline; verify it with: $hw verify-report $build/site, and --allow-untrusted when signed by an untrusted local key)"
exit "$rc"
