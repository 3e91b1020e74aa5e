#!/usr/bin/env bash
# ci/report.sh BUILD — the body of `make report` until the report pipeline
# (issue #11) exists: lint and list this repository's FRs, then trace and
# gate it on the results and coverage of the last `make test`. Every step
# that is not built yet is named, not faked.
set -uo pipefail
build=${1:-build}
hw=$build/hwledger

echo "== hwledger frs lint"
"$hw" frs lint || exit $?
echo
echo "== hwledger sast (SARIF log in $build/sast/hwledger.sarif)"
ci/sast.sh "$build" || exit $?
echo
if [ -f build/coverage.info ] && [ -d build/cov/test-results ]; then
  ci/gate.sh "$build" build/cov/test-results build/coverage.info || exit $?
else
  echo "== no test results yet: run 'make test' first for trace and gate"
  "$hw" frs list || exit $?
fi
echo
echo "== hwledger plan check"
"$hw" plan check || exit $?
echo
echo "== hwledger glossary lint"
"$hw" -q glossary lint || exit $?
echo
echo "== hwledger probe check"
"$hw" probe check || exit $?
echo
echo "report: not run yet: ledger signing of the results and the site"
echo "(issues #10, #11)."
