# tests/cli/test_realproject.sh — the whole pipeline on a real third-party
# project nobody here wrote (issue #22): cJSON 1.7.15 as released
# (tests/fixtures/cjson/upstream, byte for byte) plus what an adopting team
# commits (tests/fixtures/cjson/adopt: FRs, config, policy, a patch that only
# adds trace tags). cJSON's own CMake build keeps its -Werror and gcc-only
# warning flags in the compilation database, its Unity tests
# `#include "../cJSON.c"`, and Unity itself is vendored under tests/unity/.
# No converter is written here: the Unity programs' own stdout is the result.

# cjson_project: the adopted project in ./cjson, committed, built with
# coverage by CMake, every Unity program run (stdout into
# build/test-results/NAME.txt), lcov captured into build/coverage.info.
cjson_project() {
  cp -r "$FIXTURES/cjson/upstream" cjson
  cp -r "$FIXTURES/cjson/adopt/frs" "$FIXTURES/cjson/adopt/traceability" \
    "$FIXTURES/cjson/adopt/.gitignore" cjson/
  cd cjson
  git apply "$FIXTURES/cjson/adopt/tags.patch"
  # README step 1 on the adopted files: keeps them, adds .hwledger/.gitignore
  "$HW" init >/dev/null
  [ -s .hwledger/.gitignore ]
  git init -q . && git add -A
  git -c user.name=t -c user.email=t@t commit -qm "cJSON 1.7.15, adopted"
  # cJSON's custom compiler flags (ENABLE_CUSTOM_COMPILER_FLAGS, on by
  # default) stay on, -Werror included, as a user builds it
  cmake -S . -B build -DENABLE_CJSON_TEST=On -DCMAKE_EXPORT_COMPILE_COMMANDS=On \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_C_FLAGS=--coverage >../cmake.log 2>&1
  cmake --build build -j2 >>../cmake.log 2>&1
  # the analyzers get what a real database holds
  grep -q -- ' -Werror ' build/compile_commands.json
  grep -q -- ' -Wformat-overflow ' build/compile_commands.json
  grep -q '"file": ".*/tests/parse_hex4.c"' build/compile_commands.json
  # the Unity programs CMake builds, run where ctest runs them (build/tests,
  # beside their inputs/)
  UNITY_TESTS=$(sed -n '/^ *set(unity_tests$/,/^ *)$/{/^ *[a-z0-9_]*$/p}' \
    tests/CMakeLists.txt | tr -d ' ')
  [ "$(wc -w <<<"$UNITY_TESTS")" -eq 18 ]
  mkdir -p build/test-results
  local t
  for t in $UNITY_TESTS; do
    (cd build/tests && "./$t") >"build/test-results/$t.txt"
  done
  lcov --quiet --capture --directory build --base-directory . --no-external \
    --output-file build/coverage.info >../lcov.log 2>&1
  grep -q '^SF:.*/cJSON.c$' build/coverage.info
}

# realproject_jq FILE FILTER WHY: FILTER (jq -e) holds on FILE, else say WHY
realproject_jq() {
  jq -e "$2" "$1" >/dev/null && return 0
  echo "$3 ($1: $2)"; return 1
}

# Verifies: FR-REPORT-001, FR-SAST-002, FR-SAST-005, FR-TRACE-002
test_realproject_cjson_passes_the_whole_pipeline() {
  local top=$PWD
  cjson_project
  # README step 5: accept today's findings once, commit the baseline
  run "$HW" sast --tool all --baseline traceability/sast-baseline.json \
    --update-baseline
  expect_rc 0
  # cJSON.c reached through tests/../cJSON.c is cJSON.c, in the repository
  ! grep -q 'outside the repository' <<<"$ERR" ||
    { echo "stderr: $ERR"; return 1; }
  git add traceability/sast-baseline.json
  git -c user.name=t -c user.email=t@t commit -qm "accept today's findings"

  run "$HW" report --results build/test-results --lcov build/coverage.info
  expect_rc 0
  expect_out "report: pass — sast pass, trace pass, gate pass, plan not run, probe not run"
  expect_out "8/8 approved FRs verified"
  local j=build/checks/trace.json s=build/checks/sast.json
  realproject_jq "$j" '[.frs[] | select(.status != "verified") | .id] == []' \
    "an approved FR is not verified"
  # the vendored Unity is not this project's tests; cJSON's own untagged
  # *_should_* tests (the config's test_functions) are noticed
  realproject_jq "$j" '[.defects[] | select(.kind == "orphan-test") | .file
    | select(startswith("tests/unity/"))] == []' "orphan tests from Unity"
  realproject_jq "$j" '[.defects[] | select(.kind == "orphan-test" and
    .file == "tests/misc_tests.c")] | length > 0' "untagged tests unnoticed"
  # SAST: the four analyzers each analysed the one unit in scope (cJSON.c,
  # which 18 tests #include and CMake compiles twice), none failed on it
  realproject_jq "$s" '[.runs[].tool] | sort == ["clang-tidy", "cppcheck",
    "flawfinder", "gcc"]' "an analyzer did not run"
  realproject_jq "$s" '[.runs[] | select(.units != 1 or .analysed != 1
    or .failed != 0)] == []' "an analyzer failed or left its scope"
  realproject_jq "$s" '[.findings[] | select(.file // "" | test("^/|\\.\\./|^<outside>"))]
    == []' "a finding outside the repository"
  # the signed site, the SARIF logs and the checks' JSON name no path of
  # this machine
  ! grep -rlF "$top" build/site build/checks/*.sarif build/checks/*.json ||
    { echo "absolute paths published"; return 1; }
  # the site says what the evidence says: the source view has the coverage,
  # the dashboard counts duplicates apart as `hwledger sast` does
  ! grep -q 'No coverage data' build/site/src/cJSON.c.html ||
    { echo "cJSON.c has no coverage on the site"; return 1; }
  local dups
  dups=$(jq '[.findings | to_entries[] | select(.value.group != .key)] | length' "$s")
  grep -q "duplicates <strong>$dups</strong>" build/site/index.html ||
    { echo "the dashboard does not count $dups duplicates"; return 1; }
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  # and nothing was left in the working tree (no key, no analyzer output)
  run git status --porcelain --untracked-files=all
  expect_no_out
}
