# tests/cli/test_sast.sh — `hwledger sast --import` on reports in the four
# formats pointing into a fixture C file: unified text, JSON and SARIF,
# the baseline gate, and broken reports that must write nothing.

S=$FIXTURES/sast

sast_setup() {
  cp "$S/demo.c" "$S/cppcheck.xml" "$S/clang-tidy.txt" "$S/gcc.json" "$S/flawfinder.sarif" .
}

ALL=(--import cppcheck.xml --import clang-tidy.txt --import gcc.json --import flawfinder.sarif)

# Verifies: FR-SAST-001, FR-SAST-002, FR-SAST-003
test_sast_import_four_formats_groups_and_maps_to_frs() {
  sast_setup
  run "$HW" sast "${ALL[@]}" --format json
  expect_rc 1
  expect_err "demo.c:19: warning: hwledger-sast-ignore unusedVariable without a reason"
  jq -e '.schema == "hwledger.sast/1" and .total == 10 and .new == 5
         and ([.findings[].tool] | unique) == ["Flawfinder","clang-tidy","cppcheck","gcc"]
         and (.findings[] | select(.rule == "bufferAccessOutOfBounds")
              | .function == "copy_name" and .frs == ["FR-DEMO-001"] and .cwe == 788)
         and (.findings[] | select(.rule == "memleak")
              | .suppressed and .suppress_reason == "freed by the caller'"'"'s arena" and .new == false)
         and (.findings[] | select(.rule == "clang-analyzer-core.DivideZero") | .new == false)
         and (.findings[] | select(.rule == "FF1015") | .file == "demo.c" and .new)
         and ([.findings[] | .fingerprint | length == 32] | all)' <<<"$OUT" >/dev/null
  run "$HW" sast "${ALL[@]}"
  expect_out "same defect as cppcheck/zerodiv"
  expect_out "10 findings: 4 errors, 1 warnings, 2 notes open; 1 suppressed, 2 duplicates; 5 new"
}

# Verifies: FR-SAST-004
test_sast_sarif_is_one_log_with_a_run_per_tool() {
  sast_setup
  run "$HW" sast "${ALL[@]}" --format sarif -o out.sarif
  expect_rc 1
  expect_no_out
  jq -e '.version == "2.1.0" and (."$schema" | test("sarif-2.1.0"))
         and (.runs | length) == 4
         and ([.runs[] | . as $r | .results[] | $r.tool.driver.rules[.ruleIndex].id == .ruleId] | all)
         and ([.runs[].results[].locations[]?.physicalLocation.artifactLocation
               | .uri == "demo.c" and .uriBaseId == "%SRCROOT%"] | all)
         and ([.runs[].results[] | .partialFingerprints."hwledger/v1" | length == 32] | all)
         and ([.runs[].results[] | select(.suppressions) | .suppressions[0].kind] == ["inSource"])
         and ([.runs[].tool.driver.rules[] | has("shortDescription")] | all)' out.sarif >/dev/null
}

# Verifies: FR-SAST-004
test_sast_large_output_streams_to_stdout_the_same_bytes_as_the_file() {
  sast_setup
  # 6,000 results: several megabytes of output, written to stdout a
  # megabyte at a time; the same bytes as the atomic -o file
  awk 'BEGIN { printf "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"Flawfinder\"}},\"results\":["
    for (i = 0; i < 6000; i++)
      printf "%s{\"ruleId\":\"FF%d\",\"level\":\"warning\",\"message\":{\"text\":\"t \\\"%d\\\"\\n\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"demo.c\"},\"region\":{\"startLine\":%d}}}]}",
        i ? "," : "", i % 7, i, i % 30 + 1
    print "]}]}" }' > big.sarif
  for fmt in json sarif; do
    # exit 1: every finding is new (no baseline)
    "$HW" -q sast --import big.sarif --format "$fmt" > "stdout.$fmt" || [ $? = 1 ]
    "$HW" -q sast --import big.sarif --format "$fmt" -o "file.$fmt" || [ $? = 1 ]
    [ "$(stat -c %s "file.$fmt")" -gt 2000000 ] || { echo "$fmt output too small to spill"; return 1; }
    cmp "stdout.$fmt" "file.$fmt" || return 1
  done
  jq -e '.total == 6000 and (.findings | length) == 6000
         and .findings[5999].message == "t \"5999\"\n"' stdout.json >/dev/null
}

# Verifies: FR-SAST-004
test_sast_baseline_fails_only_on_new_findings() {
  sast_setup
  run "$HW" sast "${ALL[@]}" --baseline base.json --update-baseline
  expect_rc 0
  jq -e '.schema == "hwledger.sast-baseline/1" and (.findings | length) == 9' base.json >/dev/null
  run "$HW" sast "${ALL[@]}" --baseline base.json
  expect_rc 0
  expect_out "0 new"
  # three lines added at the top move every finding; none becomes new
  { printf '// a\n// b\n// c\n'; cat demo.c; } > moved.c && mv moved.c demo.c
  sed -i 's/line="\([0-9]*\)"/line="X\1"/' cppcheck.xml
  for n in $(grep -o 'line="X[0-9]*"' cppcheck.xml | sort -u | grep -o '[0-9]*'); do
    sed -i "s/line=\"X$n\"/line=\"$((n + 3))\"/g" cppcheck.xml
  done
  run "$HW" sast --import cppcheck.xml --baseline base.json --format json
  expect_rc 0
  jq -e '([.findings[] | .in_baseline or .suppressed] | all) and .new == 0' <<<"$OUT" >/dev/null
  # a new defect fails the gate
  sed -i 's#</errors>#<error id="nullPointer" severity="error" msg="Null pointer dereference" cwe="476"><location file="demo.c" line="13" column="2"/></error></errors>#' cppcheck.xml
  run "$HW" sast --import cppcheck.xml --baseline base.json
  expect_rc 1
  expect_out "1 new"
}

# Verifies: FR-SAST-001
test_sast_broken_reports_are_exit_2_and_write_nothing() {
  sast_setup
  head -c 300 cppcheck.xml > truncated.xml
  run "$HW" sast --import truncated.xml -o out.json --format json
  expect_rc 2
  expect_err "hwledger: truncated.xml:"
  [ ! -e out.json ] || { echo "out.json written"; return 1; }
  printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<results>&b;</results>\n' > bomb.xml
  run "$HW" sast --import bomb.xml
  expect_rc 2
  expect_err "bomb.xml:2:13: DOCTYPE refused: analyzer reports may not declare entities"
  # the same hardened reader as test reports: nesting is capped too
  { printf '<results>'; for i in $(seq 70); do printf '<e>'; done; } > deep.xml
  run "$HW" sast --import deep.xml
  expect_rc 2
  expect_err "deep.xml:1:"
  expect_err "XML nested deeper than 64 elements"
  head -c 200 flawfinder.sarif > cut.sarif
  run "$HW" sast --import cut.sarif
  expect_rc 2
  expect_err "hwledger: cut.sarif:"
  echo '[1, {"kind": "warning"}]' > odd.json
  run "$HW" sast --import odd.json
  expect_rc 2
  expect_err "odd.json:1: gcc diagnostic 1 is not an object"
  run "$HW" sast --import nosuch.sarif
  expect_rc 2
  expect_err "nosuch.sarif"
  echo '{"findings": 3}' > bad-base.json
  run "$HW" sast --import gcc.json --baseline bad-base.json
  expect_rc 2
  expect_err "bad-base.json:1: a SAST baseline needs"
}

# Verifies: FR-SAST-002
test_sast_paths_outside_the_repo_and_vanished_files_are_kept_with_warnings() {
  sast_setup
  sed -e 's#"demo.c"#"file:///etc/hosts"#' -e 's#"./demo.c"#"gone.c"#' flawfinder.sarif > odd.sarif
  run "$HW" sast --import odd.sarif --format json
  expect_rc 1
  expect_err "/etc/hosts: warning: 1 finding in a file outside the repository"
  expect_err "gone.c: warning: 1 finding in a file that cannot be read"
  jq -e '.total == 2 and ([.findings[].file] | sort) == ["/etc/hosts", "gone.c"]' <<<"$OUT" >/dev/null
}

# Verifies: FR-SAST-001
test_sast_usage_errors() {
  run "$HW" sast
  expect_rc 2
  expect_err "give --import FILE or --tool NAME"
  run "$HW" sast --import
  expect_rc 2
  run "$HW" sast --import x --format xml
  expect_rc 2
  expect_err "--format must be text, json or sarif"
  run "$HW" sast --tool pylint
  expect_rc 2
  expect_err "unknown analyzer 'pylint'"
}

# a unit with a leak and an unbounded copy, and its compilation database
runner_setup() {
  mkdir -p src build
  cat > src/demo.c <<'C'
#include <stdlib.h>
#include <string.h>

/* Implements: FR-DEMO-001 */
int copy_name(char *dst, const char *src)
{
	char buf[16];

	strcpy(buf, src);
	strcpy(dst, buf);
	return 0;
}

/* Implements: FR-DEMO-002 */
int leak(int n)
{
	char *p = malloc(16);

	if (!p)
		return 0;
	p[0] = (char)n;
	return p[0];
}
C
  printf '[{"directory": "%s", "file": "src/demo.c", "command": "cc -std=c11 -Wall -Werror -c src/demo.c -o build/demo.o"}]\n' "$PWD" > build/compile_commands.json
}

# Verifies: FR-SAST-005, FR-SAST-003
test_sast_runs_the_four_real_analyzers_over_the_compilation_database() {
  runner_setup
  run "$HW" sast --tool all --format json
  expect_rc 1
  jq -e '([.findings[].tool] | unique) == ["Flawfinder","clang-tidy","cppcheck","gcc"]
         and (.findings[] | select(.tool == "gcc" and .rule == "analyzer-malloc-leak")
              | .function == "leak" and .frs == ["FR-DEMO-002"] and .cwe == 401)
         and (.findings[] | select(.tool == "cppcheck" and .rule == "memleak") | .function == "leak")
         and ([.findings[] | select(.tool == "Flawfinder") | .function] | index("copy_name") != null)' <<<"$OUT" >/dev/null
  [ -s build/sast/run/cppcheck.xml ] && [ -s build/sast/run/flawfinder.sarif ] \
    || { echo "reports not kept"; return 1; }
  run "$HW" sast --tool gcc --tool cppcheck
  expect_rc 1
  expect_out "leak"
}

# Verifies: FR-SAST-005
test_sast_runner_reports_missing_crashing_and_noisy_tools() {
  runner_setup
  run env PATH=/nonexistent "$HW" sast --tool cppcheck
  expect_rc 3
  expect_err "cppcheck is not installed"
  run env PATH=/nonexistent "$HW" sast --tool all
  expect_rc 0
  expect_err "warning: flawfinder is not installed"
  expect_out "0 findings"
  mkdir fake
  printf '#!/bin/sh\necho "cppcheck: internal error" >&2\nkill -SEGV $$\n' > fake/cppcheck
  chmod +x fake/cppcheck
  "$HW" sast --tool cppcheck >/dev/null 2>&1 || true # a real report first
  [ -s build/sast/run/cppcheck.xml ] || { echo "no real report"; return 1; }
  run env PATH="$PWD/fake:$PATH" "$HW" sast --tool cppcheck
  expect_rc 0
  expect_err "cppcheck died of signal 11"
  expect_err "cppcheck wrote 1 line to stderr: cppcheck: internal error"
  expect_err "cppcheck wrote no report"
  rm build/compile_commands.json
  run "$HW" sast --tool flawfinder
  expect_rc 3
  expect_err "no compilation database (run 'make' first)"
}

# Verifies: FR-SAST-006
test_trace_and_gate_fail_an_fr_with_an_open_error_finding() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  local inputs=(--results results.xml --results results.tap --lcov app.info)
  printf '%s\n' '<?xml version="1.0"?>' '<results version="2"><errors>' \
    '<error id="nullPointer" severity="error" msg="Null pointer dereference" cwe="476"><location file="src/app.c" line="4" column="2"/></error>' \
    '<error id="unusedVariable" severity="style" msg="Unused variable"><location file="src/app.c" line="10" column="2"/></error>' \
    '</errors></results>' > cppcheck.xml
  run "$HW" sast --import cppcheck.xml --format json -o sast.json
  expect_rc 1
  run "$HW" trace "${inputs[@]}" --sast sast.json --format json
  expect_rc 0
  jq -e '(.frs[] | select(.id == "FR-APP-001") | .status == "failing")
         and (.frs[] | select(.id == "FR-APP-002") | .status == "verified")
         and ([.defects[] | select(.kind == "sast-error") | .fr] == ["FR-APP-001"])' <<<"$OUT" >/dev/null
  run "$HW" gate "${inputs[@]}" --sast sast.json
  expect_rc 1
  expect_err "src/app.c:4: sast-error: FR-APP-001: open error finding cppcheck/nullPointer in add()"
  # an inline suppression with a reason excuses it
  sed -i '4s#$# /* hwledger-sast-ignore nullPointer: b is checked by every caller */#' src/app.c
  run "$HW" sast --import cppcheck.xml --format json -o sast.json
  expect_rc 0
  run "$HW" gate "${inputs[@]}" --sast sast.json
  expect_rc 0
  echo '{"schema": "other"}' > bad.json
  run "$HW" trace "${inputs[@]}" --sast bad.json
  expect_rc 2
  expect_err "bad.json:1: not a hwledger.sast/1 file"
}
