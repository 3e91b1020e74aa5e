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
  expect_out "10 findings: 4 errors, 1 warning, 2 notes open; 1 suppressed, 2 duplicates; 5 new"
}

# The real outputs of gcc, clang-tidy and cppcheck on nullpath.c
# (fixtures/sast/README-paths.md): each path is one codeFlow whose
# threadFlow locations are the steps in order, with SARIF 2.1.0's names; a
# note that is not a path is a relatedLocation; a SARIF log read back keeps
# both and writes them out again unchanged.
# Verifies: FR-SAST-001, FR-SAST-004
test_sast_analyzer_paths_are_sarif_code_flows() {
  cp "$S/nullpath.c" "$S/gcc-path.json" "$S/clang-tidy-path.txt" "$S/cppcheck-path.xml" .
  run "$HW" sast --import gcc-path.json --import clang-tidy-path.txt --import cppcheck-path.xml --format sarif -o out.sarif
  expect_rc 1
  jq -e '[.runs[] | select(.tool.driver.name == "gcc") | .results[]
          | select(.ruleId == "analyzer-null-dereference")][0]
         | .locations[0].physicalLocation.region.startLine == 18
           and (.codeFlows | length) == 1 and (.codeFlows[0].threadFlows | length) == 1
           and ([.codeFlows[0].threadFlows[0].locations[].location
                 | [.physicalLocation.artifactLocation.uri, .physicalLocation.artifactLocation.uriBaseId,
                    .physicalLocation.region.startLine, .physicalLocation.region.startColumn, .message.text]]
                == [["nullpath.c", "%SRCROOT%", 15, 12, "following \u2018true\u2019 branch (when \u2018flag != 0\u2019)..."],
                    ["nullpath.c", "%SRCROOT%", 16, 19, "...to here"],
                    ["nullpath.c", "%SRCROOT%", 16, 19, "\u2018q\u2019 is NULL"],
                    ["nullpath.c", "%SRCROOT%", 18, 16, "dereference of NULL \u2018q\u2019"]])
           and has("relatedLocations") == false' out.sarif >/dev/null \
    || { echo "gcc path"; return 1; }
  jq -e '[.runs[] | select(.tool.driver.name == "cppcheck") | .results[] | select(.ruleId == "nullPointer")][0]
         | [.codeFlows[0].threadFlows[0].locations[].location | [.physicalLocation.region.startLine, .message.text]]
           == [[16, "Assignment '"'q=NULL'"', assigned value is 0"], [18, "Null pointer dereference"]]' out.sarif >/dev/null \
    || { echo "cppcheck path"; return 1; }
  jq -e '[.runs[] | select(.tool.driver.name == "clang-tidy") | .results[]] as $r
         | ($r[] | select(.ruleId == "clang-analyzer-core.NullDereference")
            | [.codeFlows[0].threadFlows[0].locations[].location.physicalLocation.region.startLine] == [15, 15, 16, 18])
           and ($r[] | select(.ruleId == "bugprone-branch-clone")
            | has("codeFlows") == false
              and .relatedLocations == [{"id": 0, "physicalLocation": {"artifactLocation": {"uri": "nullpath.c", "uriBaseId": "OUTSIDE"},
                                         "region": {"startLine": 35, "startColumn": 2}},
                                         "message": {"text": "else branch starts here"}}])' out.sarif >/dev/null \
    || { echo "clang-tidy path and related"; return 1; }
  # read back: the same paths and related locations come out again
  run "$HW" sast --import out.sarif --format sarif -o again.sarif
  expect_rc 1
  diff <(jq -S '[.runs[].results[] | {ruleId, codeFlows, relatedLocations}]' out.sarif) \
       <(jq -S '[.runs[].results[] | {ruleId, codeFlows, relatedLocations}]' again.sarif)
  run "$HW" sast --import out.sarif --format json
  jq -e '[.findings[] | select(.rule == "analyzer-null-dereference") | .steps[2]]
         == [{"file": "nullpath.c", "line": 16, "column": 19, "message": "\u2018q\u2019 is NULL"}]' <<<"$OUT" >/dev/null
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

# --update-baseline counts a run as its summary does: a duplicate that is
# suppressed too is a duplicate (only a group's leader counts), and the
# baseline's size is its fingerprints (gcc's repeat of a finding has its
# leader's). It said "2 duplicates" for the summary's 3, and 10 findings
# for a baseline of 9.
# Verifies: FR-SAST-004
test_sast_update_baseline_counts_as_the_summary() {
  sast_setup
  printf "demo.c:18:12: warning: Potential leak of memory pointed to by 'p' [clang-analyzer-unix.Malloc]\n" >> clang-tidy.txt
  jq '. + [.[0]]' gcc.json > gcc2.json
  run "$HW" sast --import cppcheck.xml --import clang-tidy.txt --import gcc2.json \
    --import flawfinder.sarif --baseline base.json --update-baseline
  expect_rc 0
  expect_out "12 findings: 4 errors, 1 warning, 2 notes open; 1 suppressed, 4 duplicates; 0 new"
  expect_err "hwledger: base.json: baseline of 9 fingerprints for 12 findings (7 open, 1 suppressed, 4 duplicates)"
  [ "$(jq '.findings | length' base.json)" = 9 ]
}

# Verifies: FR-SAST-004
test_sast_baseline_fails_only_on_new_findings() {
  sast_setup
  run "$HW" sast "${ALL[@]}" --baseline base.json --update-baseline
  expect_rc 0
  jq -e '.schema == "hwledger.sast-baseline/1" and (.findings | length) == 9' base.json >/dev/null
  # what it holds, and the run in the words of the summary's
  # "10 findings: ... 1 suppressed, 2 duplicates"
  expect_err "hwledger: base.json: baseline of 9 fingerprints for 10 findings (7 open, 1 suppressed, 2 duplicates)"
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
  # the machine's own path is never published: a placeholder stands for it
  expect_err "<outside>/hosts: warning: 1 finding in a file outside the repository"
  jq -e '.total == 2 and ([.findings[].file] | sort) == ["<outside>/hosts", "gone.c"]' <<<"$OUT" >/dev/null
  ! grep -q /etc/hosts <<<"$OUT$ERR" || { echo "/etc/hosts published"; return 1; }
}

# a cJSON-shaped project: its CMake database names the build folder as the
# directory, gcc-only warning options and -Werror, the library twice, a
# test that includes the source, a vendored Unity and a fuzzer
project_setup() {
  cp -r "$FIXTURES/sast/project/." .
  mkdir -p build
  sed "s#@DIR@#$PWD#g" compile_commands.json.in > build/compile_commands.json
}

# Verifies: FR-SAST-005
test_sast_clang_tidy_analyzes_units_built_with_gcc_only_options_and_werror() {
  project_setup
  run "$HW" sast --tool clang-tidy --format json
  expect_rc 1
  jq -e '.runs == [{"tool": "clang-tidy", "units": 1, "analysed": 1, "failed": 0,
                    "complete": true, "failures": []}]
         and ([.findings[] | select(.rule == "clang-analyzer-unix.Malloc")
               | .file == "lib.c" and .function == "lib_leak"] == [true])' <<<"$OUT" >/dev/null
}

# Verifies: FR-SAST-005
test_sast_gcc_leaves_no_coverage_notes_in_the_project() {
  # issue #22: cJSON's database is built with --coverage, and gcc's
  # analysis of it (-o /dev/null, from the root) wrote cJSON.gcno there
  project_setup
  sed -i 's# -std=c89# --coverage -fprofile-arcs -ftest-coverage -std=c89#' \
    build/compile_commands.json
  run "$HW" sast --tool gcc --format json
  jq -e '.runs[0] | .analysed == 1 and .failed == 0' <<<"$OUT" >/dev/null ||
    { echo "rc $RC: $OUT $ERR"; return 1; }
  local left
  left=$(find . -name '*.gcno' -o -name '*.gcda')
  [ -z "$left" ] || { echo "left in the project: $left"; return 1; }
}

# Verifies: FR-SAST-005, FR-SITE-001
test_sast_a_unit_an_analyzer_fails_on_is_counted_and_the_check_is_an_error() {
  project_setup
  printf '#include "missing.h"\nint broken(void) { return 0; }\n' > broken.c
  jq --arg d "$PWD" '. + [{"directory": "\($d)/build", "file": "\($d)/broken.c",
      "command": "/usr/bin/cc -Wlogical-op -Werror -c \($d)/broken.c -o broken.o"}]' \
    build/compile_commands.json > db.json && mv db.json build/compile_commands.json
  # exit 2 (the report's check is an error), the reason printed with -q too,
  # and the findings of the units analysed written all the same
  run "$HW" -q sast --tool gcc --tool clang-tidy --format json -o out.json
  expect_rc 2
  expect_err "hwledger: broken.c: gcc failed on 1 of 2 units (exit status 1: fatal error: missing.h: No such file or directory); the analysis is incomplete"
  expect_err "hwledger: broken.c: clang-tidy failed on 1 of 2 units (could not compile the unit: broken.c:1:10: error: 'missing.h' file not found"
  jq -e '[.runs[] | [.tool, .units, .analysed, .failed, .complete, .failures[0].unit]]
           == [["gcc", 2, 1, 1, false, "broken.c"], ["clang-tidy", 2, 1, 1, false, "broken.c"]]
         and ([.findings[].file] | unique) == ["lib.c"]' out.json >/dev/null
  # the site says so on the dashboard and the SAST page, with the reason
  mkdir -p checks && cp out.json checks/sast.json
  "$HW" -q site --checks checks -o site
  grep -q 'Units analysed: gcc 1 of 2 (failed on <strong class="fail">1</strong>), clang-tidy 1 of 2' site/index.html ||
    { echo "dashboard: $(grep -o 'Units analysed[^/]*' site/index.html)"; return 1; }
  grep -q '<h2>Analyzers</h2>' site/sast.html
  grep -q '<td>2</td><td>1</td><td>1</td><td><div><code>broken.c</code>: ' site/sast.html
  run "$HW" sast --tool clang-tidy
  expect_rc 2
  expect_out "clang-tidy: 1 of 2 units analysed, 1 failed (incomplete)"
  expect_out "  broken.c: could not compile the unit"
  # SARIF: a run per tool run, its invocation failed, the unit named
  run "$HW" sast --tool clang-tidy --format sarif
  expect_rc 2
  jq -e '.runs[0].tool.driver.name == "clang-tidy"
         and .runs[0].invocations[0].executionSuccessful == false
         and .runs[0].invocations[0].properties == {"units": 2, "analysed": 1, "failed": 1, "complete": false}
         and (.runs[0].invocations[0].toolExecutionNotifications[0]
              | .level == "error" and .locations[0].physicalLocation.artifactLocation.uri == "broken.c")' <<<"$OUT" >/dev/null
  # the kept reports imported again keep the count (ci/sast.sh does this)
  run "$HW" sast --import build/sast/run/run-clang-tidy.json --import build/sast/run/clang-tidy-0.txt --format json
  expect_rc 2
  jq -e '.runs[0].failed == 1 and .total == 1' <<<"$OUT" >/dev/null
  # the failed unit's partial report is kept apart from the reports
  [ -s build/sast/run/clang-tidy-1.txt.failed ] && [ ! -e build/sast/run/clang-tidy-1.txt ] \
    || { echo "failed report not set apart"; return 1; }
  # a tool that ran on no unit at all is an error too, never "0 findings"
  echo '{"sast": {"scope": ["nothing/**"]}}' > traceability/config.json
  run "$HW" sast --tool gcc
  expect_rc 2
  expect_err "no unit of the compilation database is in the SAST scope"
}

# Verifies: FR-SAST-005
test_sast_a_failure_on_a_small_share_of_units_is_a_warning() {
  project_setup
  # 1 of 20 units failed: counted and shown, but the check is not an error
  printf '{"schema": "hwledger.sast-run/1", "tool": "gcc", "units": 20, "failed": 1,
           "failures": [{"unit": "lib.c", "message": "exit status 1"}]}\n' > gcc-run.json
  run "$HW" sast --import gcc-run.json --format json
  expect_rc 0
  expect_err "lib.c: warning: gcc failed on 1 of 20 units: exit status 1"
  jq -e '.runs[0] | .analysed == 19 and .complete' <<<"$OUT" >/dev/null
  # 3 of 20 is more than 10 %
  sed -i 's/"failed": 1/"failed": 3/' gcc-run.json
  run "$HW" -q sast --import gcc-run.json
  expect_rc 2
  expect_err "hwledger: lib.c: gcc failed on 3 of 20 units (exit status 1, and more: see build/sast/run/); the analysis is incomplete"
  echo '{"schema": "hwledger.sast-run/1", "tool": "gcc", "units": 1, "failed": 2, "failures": []}' > bad-run.json
  run "$HW" sast --import bad-run.json
  expect_rc 2
  expect_err "bad-run.json:1: a hwledger.sast-run/1 file needs"
}

# Verifies: FR-SAST-002, FR-SAST-003
test_sast_a_source_included_through_dotdot_is_inside_the_repository() {
  project_setup
  # the tests in scope too: gcc reports lib.c as <repo>/tests/../lib.c
  echo '{"sources": ["*.c", "*.h"], "sast": {"scope": ["*.c", "tests/*.c"]}}' > traceability/config.json
  run "$HW" sast --tool gcc --format json
  expect_rc 1
  jq -e '.runs[0].units == 2
         and ([.findings[] | [.file, .function, .frs[0]]] | unique) == [["lib.c", "lib_leak", "FR-LIB-001"]]
         and ([.findings[] | select(.new)] | length) == 1' <<<"$OUT" >/dev/null
  ! grep -qi "outside" <<<"$ERR" || { echo "kept outside: $ERR"; return 1; }
  # no output names this machine's folders: not in messages, notes, URIs
  for fmt in text json sarif; do
    "$HW" -q sast --tool gcc --format "$fmt" > "out.$fmt" 2>/dev/null || [ $? = 1 ]
    ! grep -q "$PWD" "out.$fmt" || { echo "$fmt names $PWD"; return 1; }
  done
  jq -e '[.findings[].steps[0] | .file == "lib.c" and .line == 8 and .message == "allocated here"] | all' out.json >/dev/null \
    || { echo "steps not relative"; return 1; }
  # a header outside the repository: a placeholder in the SARIF's own base
  printf '[{"kind": "warning", "message": "in %s/x.h", "option": "-Wx", "locations": [{"caret": {"file": "/usr/include/stdio.h", "line": 1, "column": 1}}]}]\n' "$PWD" > gcc.json
  run "$HW" sast --import gcc.json --format sarif
  expect_rc 1
  jq -e '.runs[0].results[0] | .locations[0].physicalLocation.artifactLocation == {"uri": "stdio.h", "uriBaseId": "OUTSIDE"}
         and .message.text == "in x.h"' <<<"$OUT" >/dev/null
  expect_err "<outside>/stdio.h: warning: 1 finding in a file outside the repository"
  ! grep -q "/usr/include" <<<"$OUT$ERR" || { echo "/usr/include published"; return 1; }
}

# Verifies: FR-SAST-005
test_sast_analyzes_the_config_scope_once_per_file_and_says_why_it_fails() {
  project_setup
  # the sources only: not the tests, the vendored Unity nor the fuzzer,
  # and lib.c once although the database compiles it twice
  run "$HW" -q sast --tool gcc --tool flawfinder --tool cppcheck
  expect_rc 1
  expect_out "gcc: 1 of 1 units analysed"
  expect_out "flawfinder: 1 of 1 units analysed"
  expect_out "cppcheck: 1 of 1 units analysed"
  jq -e '[.[].file] == ["'"$PWD"'/lib.c"]' build/sast/run/compile_commands.json >/dev/null
  ! grep -q unity <<<"$OUT" || { echo "the vendored Unity analyzed: $OUT"; return 1; }
  # the reason for the failure, with -q too
  # (gcc's leak and cppcheck's are one defect, led by cppcheck's error)
  expect_err "hwledger: sast fails: 1 new finding (cppcheck 1), the first lib.c:13: cppcheck/memleak"
  # "sast" widens the scope; "exclude" still applies
  echo '{"sast": {"scope": ["**/*.c"]}, "exclude": ["fuzz/**"]}' > traceability/config.json
  run "$HW" sast --tool flawfinder --format json
  jq -e '.runs[0].units == 3
         and ([.findings[] | select(.file == "tests/unity/unity.c")] | length) > 0' <<<"$OUT" >/dev/null
  echo '{"sast": {"scope": "src"}}' > traceability/config.json
  run "$HW" sast --tool gcc
  expect_rc 2
  expect_err 'traceability/config.json:1: "sast" must be {"scope": [globs]}'
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
  expect_rc 2
  expect_err "cppcheck died of signal 11"
  expect_err "cppcheck wrote 1 line to stderr: cppcheck: internal error"
  expect_err "hwledger: cppcheck failed on 1 of 1 units (killed by signal 11); the analysis is incomplete"
  rm build/compile_commands.json
  run "$HW" sast --tool flawfinder
  expect_rc 3
  expect_err "no compilation database (have the build write it: CMake's CMAKE_EXPORT_COMPILE_COMMANDS, 'bear -- make'; a project without C or C++ lists sast in the policy's optional_checks)"
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

# A traced repository (repo/, entered) whose nullpath.c has a source page,
# with the path fixtures beside it and checks/ holding trace and gate.
sast_site_repo() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo && mkdir checks
  cp "$S/nullpath.c" "$S/gcc-path.json" "$S/clang-tidy-path.txt" .
  # a tag gives nullpath.c a source page; appended, so no line moves
  printf '\n/* Implements: FR-APP-001 */\nint tagged(void)\n{\n\treturn 0;\n}\n' >> nullpath.c
  sed -i 's|"sources": \["src/\*\*/\*.c"\]|"sources": ["src/**/*.c", "*.c"]|' traceability/config.json
  # app.info has no record of nullpath.c: its lines are not what is shown
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' > traceability/policy.json
  "$HW" -q trace --results results.xml --results results.tap --lcov app.info --format json -o checks/trace.json
  "$HW" -q gate --results results.xml --results results.tap --lcov app.info --format json -o checks/gate.json
}

# The site's finding rows (SAST page, FR page) list a finding's path in
# order, each step linked to its line on the source page like the
# finding's own line; a related location is listed after it.
# Verifies: FR-SITE-001, FR-SAST-002
test_sast_site_shows_a_findings_path_linked_to_the_source_lines() {
  sast_site_repo
  run "$HW" sast --import gcc-path.json --import clang-tidy-path.txt --format json -o checks/sast.json
  expect_rc 1
  # the FR page lists the findings of the FR's code: say deref is in it
  jq '.findings[] |= (.frs = ["FR-APP-001"])' checks/sast.json > s.json && mv s.json checks/sast.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  local step='<li><a href="PFXsrc/nullpath.c.html#L16">nullpath.c:16</a> \xe2\x80\x98q\xe2\x80\x99 is NULL</li>'
  step=$(printf "$step") # byte escapes: the same in every locale
  grep -qF '<tr id="f0"><td><a href="src/nullpath.c.html#L18">18</a>' out/sast.html
  grep -qF '<ol class="path"><li><a href="src/nullpath.c.html#L15">nullpath.c:15</a> following' out/sast.html
  grep -qF "${step/PFX/}" out/sast.html
  grep -qF "${step/PFX/../}" out/fr/FR-APP-001.html
  grep -qF '<li><a href="../src/nullpath.c.html#L18">nullpath.c:18</a> dereference of NULL' out/fr/FR-APP-001.html
  # clang-tidy ran elsewhere: its places are outside, named, not linked
  grep -qF '<ul class="related"><li>&lt;outside&gt;/nullpath.c:35 else branch starts here</li></ul>' out/sast.html
}

# The text output lists a finding's path under it, in order, one
# "FILE:LINE: message" a step, as gcc's analyzer and cppcheck gave it
# (the real outputs on nullpath.c, fixtures/sast/README-paths.md).
# Verifies: FR-SAST-002
test_sast_text_lists_each_findings_path_under_it() {
  cp "$S/nullpath.c" "$S/gcc-path.json" "$S/cppcheck-path.xml" .
  run "$HW" sast --import gcc-path.json --import cppcheck-path.xml
  expect_rc 1
  # byte escapes for gcc's curly quotes: the same in every locale
  printf '%b\n' \
    '  18:16  warning gcc/analyzer-null-dereference  dereference of NULL \xe2\x80\x98q\xe2\x80\x99  [in deref]' \
    '    nullpath.c:15: following \xe2\x80\x98true\xe2\x80\x99 branch (when \xe2\x80\x98flag != 0\xe2\x80\x99)...' \
    '    nullpath.c:16: ...to here' \
    '    nullpath.c:16: \xe2\x80\x98q\xe2\x80\x99 is NULL' \
    '    nullpath.c:18: dereference of NULL \xe2\x80\x98q\xe2\x80\x99' \
    '  18:10  warning cppcheck/nullPointer  Possible null pointer dereference: q  [in deref]  same defect as gcc/analyzer-null-dereference' \
    "    nullpath.c:16: Assignment 'q=NULL', assigned value is 0" \
    '    nullpath.c:18: Null pointer dereference' > want
  diff want <(sed -n 2,9p <<<"$OUT")
  # the next finding starts right after the last step
  sed -n 10p <<<"$OUT" | grep -q '^  26:4  warning cppcheck/arrayIndexOutOfBoundsCond'
  expect_out '    nullpath.c:26: Array index out of bounds'
}

# A path event gcc gives no line (line 0) names its file alone: "FILE:
# message" in the text, and on the site a link to the source page with no
# #L0 anchor. gcc-path.json with its first event's line set to 0, as gcc
# writes an event at a location without a line.
# Verifies: FR-SAST-002, FR-SITE-001
test_sast_a_path_step_without_a_line_names_its_file_alone() {
  sast_site_repo
  jq '.[0].path[0].location |= (.line = 0 | .column = 0 | ."byte-column" = 0 | ."display-column" = 0)' \
    gcc-path.json > g.json
  run "$HW" sast --import g.json
  expect_rc 1
  expect_out "$(printf '    nullpath.c: following \xe2\x80\x98true\xe2\x80\x99 branch')"
  expect_out '    nullpath.c:16: ...to here'
  run "$HW" sast --import g.json --format json -o checks/sast.json
  expect_rc 1
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -qF '<ol class="path"><li><a href="src/nullpath.c.html">nullpath.c</a> following' out/sast.html
  grep -qF '<li><a href="src/nullpath.c.html#L16">nullpath.c:16</a> ...to here</li>' out/sast.html
  ! grep -qF '#L0' out/sast.html || return 1
}
