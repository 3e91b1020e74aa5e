#!/usr/bin/env bash
# ci/report.sh BUILD — the body of `make report` until the report pipeline
# (issue #11) exists: lint and list this repository's FRs with the built
# binary. Every step that is not built yet is named, not faked.
set -uo pipefail
build=${1:-build}
hw=$build/hwledger

echo "== hwledger frs lint"
"$hw" frs lint || exit $?
echo
echo "== hwledger frs list"
"$hw" frs list || exit $?
echo
echo "report: FRs linted and listed. Not run yet: trace, gate, plan check,"
echo "probe check, sast, ledger signing and the site (issues #4-#11)."
