#!/usr/bin/env bash
# ci/sast.sh [BUILD] — the SAST dogfood: runs the four analyzers over this
# repository's compilation database the way their own documentation says,
# then `hwledger sast` imports the reports, maps them to the FRs and gates
# them against traceability/sast-baseline.json (exit 1 on a new finding).
# Reports, the SARIF log and the findings JSON (read by ci/gate.sh, so
# that an FR with an open error finding fails the gate) land in BUILD/sast/. Until `hwledger sast
# --tool` runs the analyzers itself (issue #8), this script does.
#
# UPDATE=1 ci/sast.sh rewrites the baseline instead of gating.
set -euo pipefail
build=${1:-build}
out=$build/sast
hw=$build/hwledger
jobs=$(nproc)
mkdir -p "$out"
db=$build/compile_commands.json
[ -f "$db" ] || { echo "ci/sast.sh: $db missing; run make first" >&2; exit 3; }
for t in cppcheck clang-tidy flawfinder gcc jq; do
  command -v "$t" >/dev/null || { echo "ci/sast.sh: $t is not installed (ci/deps.sh)" >&2; exit 3; }
done
files=$(jq -r '.[].file' "$db")

cppcheck --xml --xml-version=2 --enable=warning,portability --inline-suppr -q \
  -j"$jobs" --project="$db" --output-file="$out/cppcheck.xml" 2>"$out/cppcheck.log"
flawfinder --sarif --minlevel=1 src > "$out/flawfinder.sarif"
# clang-tidy: the checked-in .clang-tidy profile, one process per unit
printf '%s\n' $files | xargs -P"$jobs" -n4 clang-tidy -p "$build" --quiet \
  > "$out/clang-tidy.txt" 2>"$out/clang-tidy.log" || true
# gcc's analyzer, per unit, with the flags of the build; JSON on stderr
: > "$out/gcc.list"
jq -r '.[] | @base64' "$db" | while read -r row; do
  f=$(base64 -d <<<"$row" | jq -r .file)
  cmd=$(base64 -d <<<"$row" | jq -r .command)
  n=$(printf '%s' "$f" | tr '/.' '__')
  cmd=${cmd%% -c *}
  echo "${cmd/ -Werror/} -fanalyzer -fdiagnostics-format=json -c $f -o /dev/null 2> '$out/gcc-$n.json'" >> "$out/gcc.list"
done
xargs -P"$jobs" -I{} bash -c {} < "$out/gcc.list" || true
imports=(--import "$out/cppcheck.xml" --import "$out/flawfinder.sarif" --import "$out/clang-tidy.txt")
for j in "$out"/gcc-*.json; do
  [ -s "$j" ] && imports+=(--import "$j")
done
if [ "${UPDATE:-0}" = 1 ]; then
  "$hw" sast "${imports[@]}" --baseline traceability/sast-baseline.json --update-baseline >/dev/null
fi
"$hw" -q sast "${imports[@]}" --baseline traceability/sast-baseline.json --format sarif -o "$out/hwledger.sarif" || status=$?
# the findings for `trace --sast` / `gate --sast` (ci/gate.sh)
"$hw" -q sast "${imports[@]}" --baseline traceability/sast-baseline.json --format json -o "$out/findings.json" || true
"$hw" -q sast "${imports[@]}" --baseline traceability/sast-baseline.json | tail -n 1
exit "${status:-0}"
