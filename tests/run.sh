#!/usr/bin/env bash
# tests/run.sh BUILD — runs every unit test binary (cmocka, JUnit XML) and the
# CLI tests (TAP) of BUILD, writes the results into BUILD/test-results/ for
# the traceability engine, and prints "N passed, N failed". Exit 1 on any
# failure, including a test binary that crashed before writing its results.
set -u
build=${1:?usage: tests/run.sh BUILD}
results=$(cd "$build" && pwd)/test-results
rm -rf "$results"
mkdir -p "$results"

passed=0
failed=0

# count tests and failures in a cmocka/JUnit XML file
xml_count() { grep -o "<$2[ >]" "$1" 2>/dev/null | wc -l; }

for bin in "$build"/tests/test_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  xml=$results/$name.xml
  CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE=$xml "$bin" >"$results/$name.log" 2>&1
  rc=$?
  total=$(xml_count "$xml" testcase)
  bad=$(( $(xml_count "$xml" failure) + $(xml_count "$xml" error) ))
  if [ "$total" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
    # crashed or wrote nothing: count the binary itself as one failure
    echo "FAIL $name: exit $rc without complete results" >&2
    tail -n 20 "$results/$name.log" >&2
    bad=$(( bad + 1 ))
  fi
  if [ "$bad" -gt 0 ]; then
    grep -A3 '<failure' "$xml" 2>/dev/null | sed 's/^/    /' >&2
  fi
  printf '%-28s %3d tests, %d failed\n' "$name" "$total" "$bad"
  passed=$(( passed + total - (bad > total ? total : bad) ))
  failed=$(( failed + bad ))
done

tap=$results/cli.tap
tests/cli/run.sh "$build" >"$tap" 2>"$results/cli.log"
rc=$?
ok=$(grep -c '^ok ' "$tap")
notok=$(grep -c '^not ok ' "$tap")
if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
  echo "FAIL cli: runner exit $rc" >&2
  tail -n 20 "$results/cli.log" >&2
  notok=1
fi
grep -A12 '^not ok ' "$tap" | sed 's/^/    /' >&2
printf '%-28s %3d tests, %d failed\n' "cli (TAP)" "$((ok + notok))" "$notok"
passed=$(( passed + ok ))
failed=$(( failed + notok ))

echo "$passed $failed" >"$results/summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
