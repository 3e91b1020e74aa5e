#!/usr/bin/env bash
# tests/cli/run.sh BUILD — integration tests that drive the built binary.
#
# Every file tests/cli/test_*.sh defines shell functions named test_*; each
# runs in a subshell inside a fresh scratch directory, with $HW set to the
# binary and $FIXTURES to tests/fixtures. Output is TAP 14 on stdout; a
# failing test prints its reason as YAML diagnostics. TESTS (an extended
# regular expression) runs only the tests whose names match it.
set -u
build=${1:?usage: tests/cli/run.sh BUILD}
root=$(cd "$(dirname "$0")/../.." && pwd)
export HW="$root/$build/hwledger"
export FIXTURES="$root/tests/fixtures"
export ROOT="$root"
[ -x "$HW" ] || { echo "Bail out! $HW is not built"; exit 1; }

# The tests run under `set -e`, which ignores a command inverted with `!`:
# a statement `! grep -q x f` (or `a && ! b`) checks nothing unless it ends
# in `|| return 1` (or something else after `||`). Such a line is refused
# here, before any test runs. Continued lines are read as one statement.
bare=$(awk '
  { line = (cont ? line "\n" : "") $0; if (!cont) start = FNR }
  /\\$/ { cont = 1; next }
  { cont = 0
    s = line; sub(/^[ \t]+/, "", s)
    if ((s ~ /^! / || line ~ /&& ! /) && line !~ /\|\|/ &&
        s !~ /^(if|while|until|#) /)
      printf "%s:%d: a negated assertion that set -e does not check; end it in || return 1\n", FILENAME, start }
' "$root"/tests/cli/test_*.sh)
[ -z "$bare" ] || { echo "Bail out! $bare"; exit 1; }

. "$root/tests/cli/lib.sh"

for f in "$root"/tests/cli/test_*.sh; do
  . "$f"
done
names=$(declare -F | awk '{print $3}' | grep '^test_' | grep -E -- "${TESTS:-.}" | sort)
count=$(printf '%s\n' "$names" | grep -c .)

echo "TAP version 14"
echo "1..$count"
n=0
fail=0
for t in $names; do
  n=$((n + 1))
  scratch=$(mktemp -d /tmp/hwledger-cli-XXXXXX)
  out=$( (cd "$scratch" || exit 1; set -e; "$t") 2>&1 )
  rc=$?
  rm -rf "$scratch"
  if [ $rc -eq 0 ]; then
    echo "ok $n - $t"
  else
    fail=$((fail + 1))
    echo "not ok $n - $t"
    echo "  ---"
    echo "  message: |"
    printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
    echo "  ..."
  fi
done
[ $fail -eq 0 ]
