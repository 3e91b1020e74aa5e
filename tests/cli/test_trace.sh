# tests/cli/test_trace.sh — `hwledger trace` and `hwledger gate` on fixture
# repositories, the index cache and hostile inputs.

# copy a fixture repository into the scratch folder, its files dated in
# the past: a stored run replays on the next run, whatever the clock says
# (a file not older than the stored run's second is never trusted)
fixture() { cp -r "$FIXTURES/trace/$1" repo && cd repo && backdate .; }
backdate() { find "$@" -exec touch -h -d '2020-01-01 00:00:00' {} +; }

TRACE_INPUTS=(--results results.xml --results results.tap --lcov app.info)

# Verifies: FR-TRACE-005
test_trace_prints_the_matrix_and_summary() {
  fixture ours
  run "$HW" trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_out "FR-APP-001    1  approved    verified       1    1/1    100.0%        0"
  expect_out "FR-APP-002    1  approved    verified       1    2/2    100.0%        0"
  expect_out "approved FRs verified: 2/2; 0 defects"
}

# Verifies: FR-TRACE-001, FR-TRACE-005
test_trace_links_oft_tags_the_same_as_ours() {
  local a b
  fixture ours
  run "$HW" trace "${TRACE_INPUTS[@]}" --format json
  expect_rc 0
  a=$(jq -c '[.frs[] | {id, status, impl, tests, tests_passed, coverage}]' <<<"$OUT")
  cd .. && rm -rf repo && fixture oft
  run "$HW" trace "${TRACE_INPUTS[@]}" --format json
  expect_rc 0
  b=$(jq -c '[.frs[] | {id, status, impl, tests, tests_passed, coverage}]' <<<"$OUT")
  [ "$a" = "$b" ] || { echo "ours: $a"; echo "oft:  $b"; return 1; }
  jq -e '[.frs[].links[].function] == ["add", "test_add", "twice", "test_cli_twice", "test_twice"]' <<<"$OUT" >/dev/null
}

# Verifies: FR-TRACE-004
test_trace_finds_every_defect_kind_in_the_fixture() {
  fixture defects
  run "$HW" trace --results results.tap --lcov app.info --format json --today 2026-11-25
  expect_rc 0
  local want=(
    "duplicate-fr frs/dup.md:1"
    "suspect-text frs/app.md:3"
    "low-coverage frs/app.md:31"
    "unknown-fr src/app.c:1"
    "outdated-rev src/app.c:13"
    "deprecated-implemented src/app.c:13"
    "malformed-tag src/app.c:19"
    "failing-test tests/test_app.c:8"
    "test-without-result tests/test_app.c:14"
    "orphan-test tests/test_app.c:19"
    "expired-waiver traceability/policy.json:6"
    "suspect-link src/app.c:1"
    "suspect-link tests/test_app.c:1"
  )
  local got
  got=$(jq -r '.defects[] | "\(.kind) \(.file):\(.line)"' <<<"$OUT")
  for w in "${want[@]}"; do
    grep -qxF "$w" <<<"$got" || { echo "missing: $w"; echo "$got"; return 1; }
  done
  [ "$(jq '.defects | length' <<<"$OUT")" -eq 13 ]
  jq -e '[.frs[] | .status] == ["verified", "failing", "partial", "verified", "partial"]' <<<"$OUT" >/dev/null
}

# Verifies: FR-TRACE-005
test_trace_writes_md_and_sarif_to_files() {
  fixture defects
  run "$HW" trace --results results.tap --lcov app.info --format sarif -o out.sarif --today 2026-11-25
  expect_rc 0
  expect_no_out
  jq -e '.version == "2.1.0" and (.runs[0].results | length) == 13
         and ([.runs[0].results[].partialFingerprints["hwledgerDefect/v1"]] | unique | length) == 13
         and ([.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri]
              | all(startswith("/") | not))' out.sarif >/dev/null
  run "$HW" trace --results results.tap --lcov app.info --format md -o out.md
  expect_rc 0
  grep -q '^| FR-APP-002 | 1 | failing | 1 | 0/2 | 100.0% | 2 | Double a number |$' out.md
  run "$HW" trace --format yaml
  expect_rc 2
  expect_err "--format must be text, json, md or sarif, not 'yaml'"
}

# Verifies: FR-TRACE-006
test_gate_passes_a_clean_repository_and_fails_a_broken_one() {
  fixture ours
  run "$HW" gate "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_out "gate: pass — 2/2 approved FRs verified, 0 defects"
  cd .. && rm -rf repo && fixture defects
  run "$HW" gate --results results.tap --lcov app.info --today 2026-11-25
  expect_rc 1
  expect_out "gate: FAIL"
  expect_err "hwledger: 1 of 4 approved FRs are verified (25.0%); the policy needs 100.0%"
  expect_err "hwledger: src/app.c:1: unknown-fr: add() implements FR-APP-099"
  expect_err "hwledger: traceability/policy.json:6: expired-waiver:"
}

# A waiver counts for the share but is no verification (issue #22): the
# summaries and the gate's reason say "verified or waived" when one is in
# force, never "0 verified, 1 waived; approved FRs verified: 1/2".
# Verifies: FR-TRACE-005, FR-TRACE-006
test_trace_and_gate_do_not_call_a_waived_fr_verified() {
  fixture ours
  printf '%s\n' '{"waivers": [{"fr": "FR-APP-002", "reason": "hardware test next sprint", "expires": "2027-01-31"}]}' \
    > traceability/policy.json
  run "$HW" trace "${TRACE_INPUTS[@]}" --today 2026-12-07
  expect_rc 0
  expect_out "2 FRs: 1 verified, 0 failing, 0 untested, 0 partial, 0 uncovered, 1 waived; approved FRs verified or waived: 2/2 (1 waived); 0 defects"
  run "$HW" trace "${TRACE_INPUTS[@]}" --today 2026-12-07 --format md
  expect_out "**hwledger trace**: 2/2 approved FRs verified or waived (1 waived), 0 defects"
  run "$HW" gate "${TRACE_INPUTS[@]}" --today 2026-12-07
  expect_rc 0
  expect_out "gate: pass — 2/2 approved FRs verified or waived (1 waived), 0 defects, 0 reasons to fail"
  # FR-APP-001 without its results: the share falls, and the reason says
  # what the one FR counted is
  run "$HW" gate --lcov app.info --today 2026-12-07
  expect_rc 1
  expect_err "hwledger: 1 of 2 approved FRs are verified or waived (1 waived) (50.0%); the policy needs 100.0%"
  expect_out "gate: FAIL — 1/2 approved FRs verified or waived (1 waived),"
}

# A policy error is at the line of its own value: a waiver's at its own
# "fr" when two waive one FR, a key's where it is, not where its name
# first occurs in a string.
# Verifies: FR-TRACE-006
test_gate_policy_errors_are_at_the_line_of_their_own_value() {
  fixture ours
  printf '%s\n' '{"fail_on": ["unknown-fr"], "waivers": [' \
    '  {"fr": "FR-APP-001", "reason": "one", "expires": "2099-01-01"},' \
    '  {"fr": "FR-APP-001", "reason": "two", "expires": "2099-01-01",' \
    '   "by": 7}],' \
    ' "schema": "hwledger.policy/2"}' >traceability/policy.json
  run "$HW" gate "${TRACE_INPUTS[@]}"
  expect_rc 2
  expect_err 'hwledger: traceability/policy.json:3: the waiver for FR-APP-001: "by" must be a string'
  sed -i 's/"by": 7/"by": "Q"/' traceability/policy.json
  run "$HW" gate "${TRACE_INPUTS[@]}"
  expect_rc 2
  expect_err 'hwledger: traceability/policy.json:5: "schema" must be "hwledger.policy/1"'
}

# Each FR the gate names says why it is not verified, the last rules of
# the status table too: a test without a result, coverage under the
# threshold.
# Verifies: FR-TRACE-006
test_gate_says_why_an_fr_is_untested_or_partial() {
  fixture ours
  run "$HW" gate --results results.xml --results results.tap
  expect_rc 1
  expect_err "hwledger: frs/app.md:3: FR-APP-001 is partial (coverage under the 80% threshold)"
  run "$HW" gate --results results.xml --lcov app.info
  expect_rc 1
  expect_err "is untested (a linked test has no result)"
  # a skipped or TODO test has a result: the reason says which it was,
  # as the test's own defect does (it said "has no result")
  printf '%s\n' 'TAP version 14' '1..3' 'ok 1 - test_add # SKIP no board' \
    'ok 2 - test_twice' 'ok 3 - test_cli_twice # TODO later' >skip.tap
  run "$HW" gate --results skip.tap --lcov app.info
  expect_rc 1
  expect_err "hwledger: frs/app.md:3: FR-APP-001 is untested (a linked test was skipped)"
  expect_err "hwledger: frs/app.md:10: FR-APP-002 is untested (a linked test is marked TODO)"
  [[ "$ERR" != *"has no result"* ]] || { echo "stderr: $ERR"; return 1; }
}

# An FR whose only Implements tag is on no function (above a prototype;
# snappy's C++ functions of a .h header, read as C) has no lines to cover: the
# gate said "coverage under the 80% threshold" while the coverage data
# had every line of the file, and the user went looking in the tracefile.
# Verifies: FR-TRACE-006
test_gate_says_when_an_fr_has_no_implementing_function() {
  fixture ours
  sed -i '1a int add(int a, int b);' src/app.c
  run "$HW" gate --results results.xml --results results.tap --lcov app.info
  expect_rc 1
  expect_err "hwledger: frs/app.md:3: FR-APP-001 is partial (no Implements tag of it is on a function, so it has no lines to cover)"
  [[ "$ERR" != *"FR-APP-001 is partial (coverage under"* ]] ||
    { echo "stderr: $ERR"; return 1; }
}

# libuv's CMake build, covered with `lcov --capture --directory build
# --no-external` (no --base-directory), got an empty build/coverage.info:
# trace read it silently and every FR said "no coverage data was given
# (--lcov)", which sent the user to look for a missing option.
# Verifies: FR-TRACE-003, FR-TRACE-006
test_trace_says_when_the_tracefile_has_no_record() {
  fixture ours
  mkdir -p build && : >build/coverage.info
  run "$HW" trace --results results.xml --results results.tap
  expect_rc 0
  expect_err "hwledger: build/coverage.info: warning: no coverage record (SF:) in this tracefile"
  expect_out "FR-APP-001: no coverage data (no lcov record was read), so the 80% threshold cannot be met"
  [[ "$OUT" != *"was given (--lcov)"* ]] || { echo "stdout: $OUT"; return 1; }
}

# One reason, one defect: the summaries count in the singular (a new user
# read "1 reasons to fail").
# Verifies: FR-TRACE-005, FR-TRACE-006
test_gate_and_trace_summaries_say_one_reason_and_one_defect() {
  fixture ours
  run "$HW" gate --results results.xml --lcov app.info
  expect_rc 1
  expect_out "gate: FAIL — 1/2 approved FRs verified, 1 defect, 2 reasons to fail"
  run "$HW" trace --results results.xml --lcov app.info --format md
  expect_out "**hwledger trace**: 1/2 approved FRs verified, 1 defect"
  printf '%s\n' '{"min_verified_share": 0.5, "fail_on": ["test-without-result"]}' \
    >traceability/policy.json
  run "$HW" gate --results results.xml --lcov app.info
  expect_rc 1
  expect_out "gate: FAIL — 1/2 approved FRs verified, 1 defect, 1 reason to fail"
}

# A new user who ran trace in a subfolder of the project (cmark's src/)
# got "frs: no such directory" and a stray .hwledger/index.db there: the
# FR folder is read before the scan, and the message says where to run.
# Verifies: FR-TRACE-005
test_trace_outside_a_project_writes_nothing_and_says_where_to_run() {
  mkdir -p proj/src && cd proj/src
  printf 'int f(void) { return 0; }\n' >f.c
  local c
  for c in trace gate; do
    run "$HW" "$c"
    expect_rc 2
    expect_err "hwledger: frs: no such directory (the FR folder: 'hwledger init' makes it; run hwledger from the project's root, or with -C DIR)"
    [ ! -e .hwledger ] || { echo "$c wrote .hwledger/:"; ls -la .hwledger; return 1; }
  done
}

# A tracefile written through a symbolic link to the checkout (a CI
# workspace link; macOS's /tmp) or by an out-of-tree build
# (build/../src/app.c) names the repository's files: their counts are
# used, not warned away as outside it or silently matched to no file.
# Verifies: FR-TRACE-003
test_trace_reads_lcov_paths_through_a_link_or_dot_dot() {
  fixture ours
  ln -s "$PWD" ../alias
  sed "s|^SF:|SF:$(cd ../alias && pwd -L)/|" app.info >link.info
  sed 's|^SF:|SF:build/../|' app.info >dotdot.info
  local f
  for f in link.info dotdot.info; do
    run "$HW" trace --results results.xml --results results.tap --lcov "$f"
    expect_rc 0
    expect_out "FR-APP-001    1  approved    verified       1    1/1    100.0%        0"
    [[ "$ERR" != *outside* ]] || { echo "stderr: $ERR"; return 1; }
  done
}

# Verifies: FR-TRACE-006
test_gate_refuses_a_today_that_is_not_a_date() {
  # an empty or impossible --today compared as later than no expiry, so the
  # fixture's expired waiver counted as valid
  fixture defects
  local d
  for d in '' 2019-99-99 2026-02-30 2026-02-29 2100-02-29 2026-1-01 20260101 2026-11-25x; do
    run "$HW" gate --results results.tap --lcov app.info --today "$d"
    expect_rc 2
    expect_err "hwledger: --today must be a real date, YYYY-MM-DD, not '$d'"
    run "$HW" trace --today "$d"
    expect_rc 2
  done
  run "$HW" gate --results results.tap --lcov app.info --today 2028-02-29
  expect_rc 1
  expect_err "expired-waiver"
}

# Verifies: FR-TRACE-006
test_gate_fails_when_no_fr_is_approved() {
  # "0/0 verified" passed: a repository whose FRs are all drafts, or whose
  # frs/ is empty, is one where nothing is verified
  fixture ours
  sed -i 's/^Status: approved$/Status: draft/' frs/*.md
  run "$HW" gate "${TRACE_INPUTS[@]}"
  expect_rc 1
  expect_out "gate: FAIL"
  expect_err "hwledger: no approved FR, so none verified (FRs read: 2): the gate needs at least one"
  rm frs/*.md
  printf '{"min_verified_share": 0, "fail_on": []}\n' > lax.json
  run "$HW" gate "${TRACE_INPUTS[@]}" --policy lax.json
  expect_rc 1
  expect_err "no approved FR, so none verified (FRs read: 0)"
}

# Verifies: FR-TRACE-006
test_gate_baseline_ratchet_and_update() {
  fixture defects
  rm traceability/baseline.json
  run "$HW" gate --results results.tap --lcov app.info --update-baseline --baseline base.json
  expect_rc 0
  expect_out "baseline base.json updated: 10 defects, 5 FRs"
  run "$HW" gate --results results.tap --lcov app.info --baseline base.json --today 2026-11-25
  expect_rc 1   # only the expired waiver remains: it never passes
  expect_err "expired-waiver"
  [ "$(grep -c '^hwledger: .*new ' <<<"$ERR")" -eq 0 ] || { echo "$ERR"; return 1; }
  # a new defect fails the ratchet
  printf '/* Implements: FR-APP-777 */\nint extra(void) { return 0; }\n' > src/extra.c
  run "$HW" gate --results results.tap --lcov app.info --baseline base.json --today 2026-11-25
  expect_rc 1
  expect_err "src/extra.c:1: new unknown-fr"
}

# The same results read by default and through --results are another
# key: what the run says it read differs.
# Verifies: FR-TRACE-007
test_memo_says_how_the_results_were_named() {
  fixture ours
  mkdir -p build/test-results && cp results.tap build/test-results/
  run "$HW" -v trace --lcov app.info
  expect_rc 0
  expect_err "hwledger: 1 test result read from 1 file in build/test-results/"
  expect_err "; 1 result from 1 file; "
  run "$HW" trace --lcov app.info --results build/test-results
  expect_rc 0
  expect_err "read from 1 file named by --results"
  run "$HW" trace --lcov app.info
  expect_err "read from 1 file in build/test-results/"
}

# Verifies: FR-TRACE-007
test_memo_replays_an_unchanged_run_and_sees_every_change() {
  local a w
  fixture ours
  printf 'int broken(void) { return 0; }\n}\n' > src/warn.c  # a warning to replay
  backdate src/warn.c
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "4 files (4 scanned, 0 from the index)"
  # the first run, which creates the index, stores its result too
  [ -f .hwledger/trace.memo ] || { echo "no memo stored"; return 1; }
  a=$OUT; w=$(grep -v '^hwledger: [0-9]* FRs\|^hwledger: results ' <<<"$ERR")
  expect_err "src/warn.c:2: warning: unbalanced '}'"
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "replayed .hwledger/trace.memo"
  [ "$OUT" = "$a" ] || { echo "replay differs from the run"; return 1; }
  [ "$(grep -v '^hwledger: no input changed' <<<"$ERR")" = "$w" ] ||
    { echo "replayed diagnostics differ: $ERR"; return 1; }
  # a file no glob selects, beside the sources, changes nothing
  echo "notes" > src/NOTES.txt
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "replayed .hwledger/trace.memo"
  [ "$OUT" = "$a" ] || { echo "replay differs"; return 1; }
  rm src/NOTES.txt
  # another format, another output file or another date is another key
  run "$HW" -v trace "${TRACE_INPUTS[@]}" --format json
  expect_err "4 files (0 scanned, 4 from the index)"
  run "$HW" -v trace "${TRACE_INPUTS[@]}" --today 2030-01-01
  expect_err "4 files (0 scanned, 4 from the index)"
  # the same size and mtime with other bytes: the ctime gives it away
  cp -p src/app.c app.c.orig
  sed 's/FR-APP-001/FR-APP-002/' app.c.orig > src/app.c
  touch -r app.c.orig src/app.c
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "4 files (1 scanned, 3 from the index)"
  [ "$OUT" != "$a" ] || { echo "a changed file was not seen"; return 1; }
  # a new source file and a new FR file are seen too
  cp -p app.c.orig src/app.c
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  [ "$OUT" = "$a" ] || { echo "restoring the file did not restore the result"; return 1; }
  printf '/* Implements: FR-APP-002 */\nint f2(void) { return 2; }\n' > src/new.c
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "5 files (1 scanned, 4 from the index)"
  rm src/new.c
  write_fr frs/more.md FR-APP-003
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_out "FR-APP-003"
  rm frs/more.md
  # results rewritten with the same bytes (a test run again) still replay;
  # other bytes are another key
  run "$HW" trace "${TRACE_INPUTS[@]}"
  [ "$OUT" = "$a" ] || { echo "result differs"; return 1; }
  cp results.tap r.tap && rm results.tap && cp r.tap results.tap
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "replayed .hwledger/trace.memo"
  sed -i 's/^ok 1/not ok 1/' results.tap
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  ! grep -q replayed <<<"$ERR" || { echo "other results replayed"; return 1; }
  cp r.tap results.tap
  run "$HW" trace "${TRACE_INPUTS[@]}"
  [ "$OUT" = "$a" ] || { echo "result differs"; return 1; }
  # a damaged memo is a miss, never an error; --no-index never reads it
  head -c 100 .hwledger/trace.memo > m && mv m .hwledger/trace.memo
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "4 files (0 scanned, 4 from the index)"
  [ "$OUT" = "$a" ] || { echo "result differs after a damaged memo"; return 1; }
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "replayed"
  run "$HW" -v trace "${TRACE_INPUTS[@]}" --no-index
  expect_err "4 files (4 scanned, 0 from the index)"
  [ "$OUT" = "$a" ]
}

# CI runs trace on a fresh checkout, then again (or gate): the cold run's
# own writes into .hwledger/ are not inputs, so the next run replays it.
# Verifies: FR-TRACE-007
test_memo_serves_the_run_right_after_a_cold_one() {
  local a
  fixture ours
  [ ! -e .hwledger ] || { echo "the fixture has a cache"; return 1; }
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "3 files (3 scanned, 0 from the index)"
  a=$OUT
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "replayed .hwledger/trace.memo"
  [ "$OUT" = "$a" ] || { echo "replay differs from the cold run"; return 1; }
}

# git's racy-timestamp rule: a file whose mtime is not older than the
# second in which the stored run began may have changed again unseen; that
# run is never replayed. Here a file dated tomorrow.
# Verifies: FR-TRACE-007
test_memo_never_replays_a_run_whose_file_is_not_older_than_it() {
  fixture ours
  touch -d "@$(( $(date +%s) + 86400 ))" src/app.c
  "$HW" trace "${TRACE_INPUTS[@]}" > /dev/null
  [ -f .hwledger/trace.memo ] || { echo "no memo stored"; return 1; }
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "3 files (0 scanned, 3 from the index)"
  ! grep -q replayed <<<"$ERR" || { echo "a racy run replayed"; return 1; }
  backdate src/app.c
  "$HW" trace "${TRACE_INPUTS[@]}" > /dev/null
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "replayed .hwledger/trace.memo"
}

# A first run creates the index on the store thread while it scans (two
# threads) or before (one): the same trace, the same index, reused next.
# Verifies: FR-TRACE-007
test_first_run_creates_the_index_while_it_scans() {
  local one two
  fixture ours
  for t in 1 2; do
    rm -rf .hwledger
    run env HWLEDGER_THREADS=$t "$HW" -v trace "${TRACE_INPUTS[@]}"
    expect_rc 0
    expect_err "3 files (3 scanned, 0 from the index)"
    [ -f .hwledger/index.db ] || { echo "no index with $t thread(s)"; return 1; }
    [ "$(sqlite3 .hwledger/index.db 'SELECT count(*) FROM files')" = 3 ] ||
      { echo "the index holds $(sqlite3 .hwledger/index.db 'SELECT count(*) FROM files') files"; return 1; }
    if [ $t = 1 ]; then one=$OUT; else two=$OUT; fi
    run env HWLEDGER_THREADS=$t "$HW" -v trace "${TRACE_INPUTS[@]}" --format json
    expect_err "3 files (0 scanned, 3 from the index)"
  done
  [ "$one" = "$two" ] || { echo "one and two threads differ"; return 1; }
}

# A first run fills its new index without a journal; a crash then leaves a
# file whose schema reads but whose rows do not: it is rebuilt, not kept.
# Verifies: FR-TRACE-007
test_index_with_damaged_rows_is_rebuilt() {
  local a root
  fixture ours
  run env HWLEDGER_THREADS=2 "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  a=$OUT
  root=$(sqlite3 .hwledger/index.db "SELECT rootpage FROM sqlite_master WHERE name = 'files'")
  [ "$root" -gt 1 ] || { echo "no files table: $root"; return 1; }
  head -c 16384 /dev/urandom | dd of=.hwledger/index.db bs=16384 seek=$((root - 1)) conv=notrunc 2>/dev/null
  rm .hwledger/trace.memo   # a whole run, through the index
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "index cache unusable"
  expect_err "3 files (3 scanned, 0 from the index)"
  [ "$OUT" = "$a" ] || { echo "the trace changed"; return 1; }
  run "$HW" -v trace "${TRACE_INPUTS[@]}" --format json
  expect_err "3 files (0 scanned, 3 from the index)"
  [ "$(sqlite3 .hwledger/index.db 'PRAGMA journal_mode')" = wal ] ||
    { echo "left in mode $(sqlite3 .hwledger/index.db 'PRAGMA journal_mode')"; return 1; }
}

# Verifies: FR-TRACE-007
test_index_skips_unchanged_files_and_rescans_changed_ones() {
  fixture ours
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "3 files (3 scanned, 0 from the index)"
  [ -f .hwledger/index.db ]
  rm .hwledger/trace.memo   # a whole run, through the index
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "3 files (0 scanned, 3 from the index)"
  a=$OUT
  touch -d '2001-01-01' src/app.c   # new mtime, same bytes: hashed, reused
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "3 files (0 scanned, 3 from the index)"
  printf '/* Implements: FR-APP-001 */\nint more(void) { return 1; }\n' >> src/app.c
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "3 files (1 scanned, 2 from the index)"
  expect_out "FR-APP-001    1  approved    verified       2"
  # a damaged cache is rebuilt, and deleting it changes nothing
  echo "not a database" > .hwledger/index.db
  rm .hwledger/trace.memo   # the index is not an input: drop the stored run
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "index cache unusable"
  b=$OUT
  rm -rf .hwledger
  run "$HW" trace "${TRACE_INPUTS[@]}"
  [ "$OUT" = "$b" ] || { echo "differs after deleting the cache"; return 1; }
  [ "$a" != "$b" ]
}

# Verifies: FR-TRACE-001, FR-TRACE-002, FR-TRACE-003
test_trace_bad_inputs_exit_2_with_file_and_line() {
  fixture ours
  printf '1..2\nok 1 - test_add\n' > short.tap
  run "$HW" trace --results short.tap
  expect_rc 2
  expect_err "hwledger: short.tap:1: plan says 2 tests but 1 ran"
  printf '<testsuites><testcase name="a">' > trunc.xml
  run "$HW" trace --results trunc.xml
  expect_rc 2
  expect_err "hwledger: trunc.xml:1:"
  expect_err "malformed XML"
  printf 'SF:src/app.c\nDA:2,lots\n' > bad.info
  run "$HW" trace --lcov bad.info
  expect_rc 2
  expect_err "hwledger: bad.info:2: non-numeric count 'lots' in DA"
  expect_err "hwledger: bad.info:1: record has no end_of_record"
  run "$HW" trace --results missing.xml
  expect_rc 2
  expect_err "hwledger: missing.xml: no such file"
  expect_no_out
}

# Verifies: FR-TRACE-001
test_scan_reports_links_loops_and_odd_files() {
  fixture ours
  ln -s loop1.c src/loop2.c
  ln -s loop2.c src/loop1.c
  run "$HW" trace "${TRACE_INPUTS[@]}"
  expect_rc 2
  expect_err "hwledger: src/loop1.c: symbolic link loop"
  rm src/loop1.c src/loop2.c
  ln -s .. src/up
  mkfifo src/pipe.c
  printf 'int f(void) { return 0; }\n\0\0binary' > src/blob.c
  run "$HW" trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "hwledger: src/up: warning: symbolic link to a folder; not followed"
  expect_err "hwledger: src/pipe.c: warning: not a regular file; not scanned"
  expect_err "hwledger: src/blob.c: warning: binary file (NUL byte), not scanned"
}

# Verifies: FR-TRACE-001, FR-TRACE-007
test_scan_is_the_same_in_parallel_and_without_the_index() {
  mkdir -p frs src
  : > frs/gen.md
  for i in $(seq -w 1 300); do
    printf '## FR-GEN-%s: Generated %s\nRev: 1\nStatus: draft\nNeeds: impl\n\nText.\n\n' "$i" "$i" >> frs/gen.md
    printf '/* Implements: FR-GEN-%s */\nint f%s(void)\n{\n\treturn %s;\n}\n' "$i" "$i" "$i" > "src/f$i.c"
  done
  run "$HW" -v trace --format json
  expect_rc 0
  expect_err "300 files (300 scanned, 0 from the index)"
  a=$(jq -c '[.frs[] | [.id, .impl, .links[0].function, .links[0].first_line]]' <<<"$OUT")
  [ "$(jq '[.frs[] | select(.impl == 1)] | length' <<<"$OUT")" -eq 300 ]
  # the stored run replays, a file changed in place is seen, and so is one
  # added to the folder
  local first=$OUT
  backdate .
  "$HW" trace --format json > /dev/null
  run "$HW" -v trace --format json
  expect_err "replayed"
  [ "$OUT" = "$first" ] || { echo "replay differs"; return 1; }
  printf '/* Implements: FR-GEN-001 */\nint g(void)\n{\n\treturn 0;\n}\n' > src/f150.c
  run "$HW" -v trace --format json
  expect_err "300 files (1 scanned, 299 from the index)"
  printf 'int extra(void)\n{\n\treturn 0;\n}\n' > src/extra.c
  run "$HW" -v trace --format json
  expect_err "301 files (1 scanned, 300 from the index)"
  rm src/extra.c
  cp src/f149.c src/f150.c && sed -i 's/149/150/g' src/f150.c
  run "$HW" trace --format json --no-index
  [ "$a" = "$(jq -c '[.frs[] | [.id, .impl, .links[0].function, .links[0].first_line]]' <<<"$OUT")" ]
  # on one thread (scan, index store, FR reading), byte for byte the same
  local many=$OUT
  rm -rf .hwledger
  run env HWLEDGER_THREADS=1 "$HW" trace --format json
  expect_rc 0
  [ "$OUT" = "$many" ] || { echo "one thread differs"; return 1; }
  # an index that cannot be created is a warning, not a failure
  rm -rf .hwledger && echo "a file, not a folder" > .hwledger
  run "$HW" trace --format json
  expect_rc 0
  expect_err "warning: "
  expect_err "scanning without the index"
  [ "$a" = "$(jq -c '[.frs[] | [.id, .impl, .links[0].function, .links[0].first_line]]' <<<"$OUT")" ]
}

# Verifies: FR-TRACE-001
test_scan_reports_files_over_the_size_cap() {
  fixture ours
  printf '{"sources": ["src/**/*.c"], "tests": ["tests/*.c"], "max_file_bytes": 64}\n' > traceability/config.json
  run "$HW" trace --results results.xml
  expect_rc 2
  expect_err "hwledger: src/app.c: file is 140 bytes, over the limit of 64"
  expect_err "hwledger: tests/test_app.c: file is 163 bytes, over the limit of 64"
}

# Verifies: FR-TRACE-007
test_index_from_another_version_is_rebuilt() {
  fixture ours
  mkdir .hwledger
  sqlite3 .hwledger/index.db "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
    INSERT INTO meta VALUES('version', 'hwledger-index/0');
    CREATE TABLE files(path TEXT PRIMARY KEY, old_column TEXT);"
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_rc 0
  expect_err "3 files (3 scanned, 0 from the index)"
  [[ "$ERR" != *warning* ]] || { echo "$ERR"; return 1; }
  rm .hwledger/trace.memo   # a whole run, through the index
  run "$HW" -v trace "${TRACE_INPUTS[@]}"
  expect_err "3 files (0 scanned, 3 from the index)"
}

# Verifies: FR-TRACE-002
test_trace_reads_unity_output_and_ctest_junit() {
  fixture unity
  local want='["verified","failing","untested"]'
  for f in results/test_stack.txt color/test_stack.txt ctest/junit.xml ctest/verbose.txt; do
    run "$HW" trace --results "$f" --format json
    expect_rc 0
    [ "$(jq -c '[.frs[].status]' <<<"$OUT")" = "$want" ] || { echo "$f: $OUT"; return 1; }
    jq -e '.defects[] | select(.kind == "failing-test" and .file == "tests/test_stack.c")' <<<"$OUT" >/dev/null
  done
  # a run cut short before its summary is an error at its last result
  head -n 2 results/test_stack.txt > cut.txt
  run "$HW" trace --results cut.txt
  expect_rc 2
  expect_err "cut.txt:2: no summary line"
}

# A ctest result of a plain executable (libyaml's test-version: its
# testcase's classname is its name) matches no test function: the defect
# names it once, and the nearest tests by distinct name, not usage() of
# two test files twice.
# Verifies: FR-TRACE-017
test_result_without_test_names_the_result_and_each_near_test_once() {
  fixture ours
  printf 'static int usage(void)\n{\n\treturn 1;\n}\n' > tests/test_one.c
  cp tests/test_one.c tests/test_two.c
  printf '<testsuite name="Linux-cc" tests="1"><testcase name="version" classname="version" status="run"/></testsuite>\n' > ctest.xml
  run "$HW" trace --results ctest.xml --format json
  expect_rc 0
  jq -e '[.defects[] | select(.kind == "result-without-test") | .message] == ["result version matches no test function; closest: test_cli_twice, test_twice, usage"]' <<<"$OUT" >/dev/null || { jq -c '[.defects[] | select(.kind == "result-without-test")]' <<<"$OUT"; return 1; }
}

# pytest runs an inherited test method once per subclass: the same name
# in two suites is two defects, each with its own id, so a baseline that
# holds one does not hide the other.
# Verifies: FR-TRACE-017, FR-TRACE-006
test_result_without_test_ids_differ_by_suite() {
  fixture ours
  printf '<testsuite name="pytest" tests="1"><testcase classname="tests.test_a.TestA" name="test_gone"/></testsuite>\n' > a.xml
  run "$HW" gate --results a.xml --update-baseline --baseline base.json
  expect_rc 0
  printf '<testsuite name="pytest" tests="2"><testcase classname="tests.test_a.TestA" name="test_gone"/><testcase classname="tests.test_b.TestB" name="test_gone"/></testsuite>\n' > b.xml
  run "$HW" trace --results b.xml --format json
  jq -e '[.defects[] | select(.kind == "result-without-test") | .id] | length == 2 and (unique | length) == 2' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  run "$HW" gate --results b.xml --baseline base.json
  expect_rc 1
  expect_err "new result-without-test"
}

# A failing result that no test function is for is a failed test all the
# same (libuv's runner names a test its functions do not): it fails the
# gate as a failing-test at the result, never a warning the gate lets
# pass. A passing one stays a result-without-test, which the default
# policy does not fail on.
# Verifies: FR-TRACE-006, FR-TRACE-017
test_gate_fails_on_a_failing_result_that_no_test_function_is_for() {
  fixture ours
  printf 'TAP version 14\n1..2\nok 1 - test_add\nok 2 - test_gone\n' > more.tap
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap
  expect_rc 0
  expect_out "gate: pass — 2/2 approved FRs verified, 1 defect, 0 reasons to fail"
  printf 'TAP version 14\n1..2\nok 1 - test_add\nnot ok 2 - test_gone\n  ---\n  message: expected 2, got 1\n  ...\n' > more.tap
  run "$HW" trace "${TRACE_INPUTS[@]}" --results more.tap --format json
  expect_rc 0
  jq -e '[.defects[] | {kind, file, line, message, fr}] == [{"kind": "failing-test", "file": "more.tap", "line": 4, "message": "result test_gone failed and matches no test function, so no requirement shows the failure; closest: test_add, test_cli_twice, test_twice", "fr": null}]' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap
  expect_rc 1
  expect_err "hwledger: more.tap:4: failing-test: result test_gone failed and matches no test function"
  expect_out "gate: FAIL"
  # the runs of one parametrized test are one defect, at a failed run
  printf '<testsuite name="pytest" tests="3"><testcase classname="tests.test_g.TestG" name="test_z[a]"/>\n<testcase classname="tests.test_g.TestG" name="test_z[b]"><failure message="no"/></testcase>\n<testcase classname="tests.test_g.TestG" name="test_z[c]"/></testsuite>\n' > g.xml
  run "$HW" trace "${TRACE_INPUTS[@]}" --results g.xml --format json
  jq -e '[.defects[] | {kind, file, line}] == [{"kind": "failing-test", "file": "g.xml", "line": 2}]' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  # a function of a test file that a failed result names, with no
  # Verifies tag and not named like a test: a failure all the same
  printf 'static void check_more(void **state)\n{\n\t(void)state;\n}\n' >> tests/test_app.c
  printf 'TAP version 14\n1..1\nnot ok 1 - check_more\n' > more.tap
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap
  expect_rc 1
  expect_err "hwledger: tests/test_app.c:12: failing-test: check_more() failed and verifies no requirement, so no requirement shows the failure: add a 'Verifies:' tag"
  # a test whose tag is pinned to an older revision counts for no
  # requirement: its failure is still one
  sed -i '0,/^Rev: 1/s//Rev: 2/' frs/app.md
  sed -i 's|Verifies: FR-APP-001 |Verifies: FR-APP-001@1 |' tests/test_app.c
  printf 'TAP version 14\n1..1\nnot ok 1 - test_add\n' > more.tap
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap
  expect_rc 1
  expect_err "hwledger: tests/test_app.c:2: failing-test: test_add() failed, and no requirement counts its result: no Verifies tag of it names a requirement at its current revision"
}

# An unmatched result that passed when the baseline was taken and fails
# now is a new defect: the ratchet does not keep accepting it under the
# id of the warning it was.
# Verifies: FR-TRACE-006
test_gate_ratchet_fails_when_an_unmatched_result_starts_failing() {
  fixture ours
  printf 'TAP version 14\n1..1\nok 1 - test_gone\n' > more.tap
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap --update-baseline --baseline base.json
  expect_rc 0
  printf 'TAP version 14\n1..1\nnot ok 1 - test_gone\n' > more.tap
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap --baseline base.json
  expect_rc 1
  expect_err "hwledger: more.tap:3: new failing-test: result test_gone failed"
  # accepted on purpose: the updated baseline holds its id
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap --update-baseline --baseline base.json
  expect_rc 0
  run "$HW" gate "${TRACE_INPUTS[@]}" --results more.tap --baseline base.json
  expect_rc 0
}

# Real Unity output, whole, in a project whose test functions it does not
# name: its FAIL line fails the gate; its PASS and IGNORE lines are
# warnings.
# Verifies: FR-TRACE-006, FR-TRACE-002
test_gate_fails_on_real_unity_output_whose_failure_no_test_is_for() {
  fixture ours
  cp "$FIXTURES/trace/unity/results/test_stack.txt" .
  run "$HW" trace "${TRACE_INPUTS[@]}" --results test_stack.txt --format json
  expect_rc 0
  jq -e '[.defects[] | "\(.kind) \(.file):\(.line)"] == ["result-without-test test_stack.txt:1", "failing-test test_stack.txt:2", "result-without-test test_stack.txt:3", "result-without-test test_stack.txt:4"]' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  run "$HW" gate "${TRACE_INPUTS[@]}" --results test_stack.txt
  expect_rc 1
  expect_err "hwledger: test_stack.txt:2: failing-test: result tests/test_stack.c test_push_on_a_full_stack_fails failed and matches no test function"
}

# A Unity executable that ctest saw fail when none of its tests failed
# (a crash or a sanitizer's exit status after Unity's summary) keeps its
# own failed result: the passes of its tests do not hide it.
# Verifies: FR-TRACE-002, FR-TRACE-006
test_gate_fails_on_a_ctest_executable_that_failed_after_its_unity_tests() {
  fixture unity
  sed -e 's/test_push_on_a_full_stack_fails:FAIL: Expected -1 Was 0/test_push_on_a_full_stack_fails:PASS/' \
      -e 's/4 Tests 1 Failures 1 Ignored/4 Tests 0 Failures 1 Ignored/' -e 's/^FAIL$/OK/' \
      ctest/junit.xml > crashed.xml
  grep -q '^OK$' crashed.xml || { cat crashed.xml; return 1; }
  run "$HW" trace --results crashed.xml --format json
  expect_rc 0
  jq -e '[.frs[].status] == ["verified", "verified", "untested"]' <<<"$OUT" >/dev/null || { jq -c '.frs' <<<"$OUT"; return 1; }
  run "$HW" gate --results crashed.xml
  expect_rc 1
  expect_err "hwledger: crashed.xml:11: failing-test: result test_stack failed and matches no test function"
  # with a failed Unity test, that test's failure stands for it
  run "$HW" trace --results ctest/junit.xml --format json
  jq -e '[.defects[] | select(.kind == "failing-test") | .file] == ["tests/test_stack.c"]' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
}

# Verifies: FR-TRACE-002
test_results_take_several_files_globs_and_folders() {
  fixture unity
  # what a shell makes of --results */test_stack.txt: several paths
  run "$HW" trace --results results/test_stack.txt color/test_stack.txt --format json
  expect_rc 0
  expect_err "hwledger: 8 test results read from 2 files named by --results"
  # a quoted glob, a folder (its *.xml, *.tap and *.txt)
  run "$HW" trace --results 'c*/test_stack.txt'
  expect_rc 0
  expect_err "4 test results read from 1 file named by --results"
  run "$HW" -v trace --results ctest --no-index
  expect_rc 0
  expect_err "hwledger: results ctest/junit.xml: 4"
  expect_err "hwledger: results ctest/verbose.txt: 4"
  expect_err "8 test results read from 2 files named by --results"
  run "$HW" trace --results 'nothing/*.xml'
  expect_rc 2
  expect_err "nothing/*.xml: --results: no file matches"
  # the default folder, and what --results does to it
  mkdir -p build/test-results && cp results/test_stack.txt build/test-results/
  run "$HW" trace
  expect_rc 0
  expect_err "4 test results read from 1 file in build/test-results/"
  run "$HW" trace --results ctest/junit.xml
  expect_rc 0
  expect_err "build/test-results/ not read: --results replaces it"
  # naming that folder, or its files, reads it: never "not read" then
  for f in build/test-results ./build/test-results/ 'build/test-results/*.txt'; do
    run "$HW" trace --results "$f" ctest/junit.xml
    expect_rc 0
    expect_err "8 test results read from 2 files named by --results"
    [[ "$ERR" != *"not read"* ]] || { echo "--results $f: $ERR"; return 1; }
  done
  run "$HW" -q trace --results ctest/junit.xml
  [ -z "$ERR" ] || { echo "-q still said: $ERR"; return 1; }
}

# An Implements tag above a prototype belongs to no function: the file
# has coverage, the FR has no lines to measure, and the defect says that
# rather than "the coverage data has no record of its implementing files".
# Verifies: FR-TRACE-003
test_low_coverage_of_a_tag_on_no_function_says_why() {
  fixture ours
  { printf '/* Implements: FR-APP-001 */\nint add(int a, int b);\n\n'; sed '1d' src/app.c; } > app.c
  mv app.c src/app.c
  run "$HW" trace "${TRACE_INPUTS[@]}" --format json
  expect_rc 0
  jq -e '[.defects[] | select(.kind == "low-coverage") | .message] == ["FR-APP-001: no Implements tag of it is on a function (each is above a declaration or outside any function), so none of its lines can be covered (threshold 80%)"]' <<<"$OUT" >/dev/null || { jq -c '[.defects[]]' <<<"$OUT"; return 1; }
}

# Coverage that does not measure all of an FR's code is not read as
# whole: a function in a file the tracefile has no record of (a C module
# built without --coverage beside Python measured by coverage.py, found on
# pallets/markupsafe) leaves the FR partial, and a record that holds none
# of the function's lines (a tracefile older than the code) says so, not
# "0 of 0 implementing lines ran".
# Verifies: FR-TRACE-003
test_low_coverage_when_coverage_misses_implementing_code() {
  fixture ours
  printf '/* Implements: FR-APP-002 */\nint thrice(int a)\n{\n\treturn 3 * a;\n}\n' > src/more.c
  run "$HW" trace "${TRACE_INPUTS[@]}" --format json
  expect_rc 0
  jq -e '[.frs[] | [.id, .status]] == [["FR-APP-001", "verified"], ["FR-APP-002", "partial"]]
         and [.defects[] | select(.kind == "low-coverage") | .message] == ["FR-APP-002: 1 of its 2 implementing functions is in a file the coverage data has no record of (src/more.c), so its lines cannot be measured (threshold 80%)"]' \
    <<<"$OUT" >/dev/null || { jq -c '[.frs[] | [.id, .status]], [.defects[]]' <<<"$OUT"; return 1; }
  # a record that holds none of the lines of the FR's function
  rm src/more.c
  sed 's/^DA:[0-9]*,/DA:90,/' app.info > old.info
  run "$HW" trace --results results.xml --results results.tap --lcov old.info --format json
  expect_rc 0
  jq -e '[.defects[] | select(.kind == "low-coverage") | .message] | length == 2 and all(test("none of the lines of its implementing functions is in the coverage data, which has their files: a tracefile older than the code[?]"))' \
    <<<"$OUT" >/dev/null || { jq -c '[.defects[]]' <<<"$OUT"; return 1; }
}

# A file named twice (its folder and itself, or two globs that overlap,
# as 'hwledger trace --results build/test-results build/test-results/x.tap'
# on libyaml) is read once: its results are not counted twice.
# Verifies: FR-TRACE-002
test_results_read_a_file_named_twice_once() {
  fixture unity
  run "$HW" trace --results results results/test_stack.txt './results/*.txt' --format json
  expect_rc 0
  expect_err "hwledger: 4 test results read from 1 file named by --results"
  jq -e '[.frs[].links[] | select(.runs != null) | .runs] | max == 1' <<<"$OUT" >/dev/null || { jq -c '[.frs[].links[]]' <<<"$OUT"; return 1; }
  # two different files still count as two
  run "$HW" trace --results results/test_stack.txt color/test_stack.txt
  expect_rc 0
  expect_err "hwledger: 8 test results read from 2 files named by --results"
}

# Verifies: FR-TRACE-006
test_make_test_gates_the_folder_a_plain_gate_reads() {
  # issue #22: `make test` gated build/cov/test-results (with the browser
  # tests' site.tap) while a plain `hwledger gate` reads build/test-results/
  local lines build
  lines=$(grep -E '^[[:space:]]+@ci/(site|gate)\.sh ' "$ROOT/Makefile")
  [ "$(grep -c . <<<"$lines")" -eq 2 ] || { echo "recipe: $lines"; return 1; }
  build=$(sed -n 's/^BUILD[[:space:]]*?*=[[:space:]]*//p' "$ROOT/Makefile" | head -n 1)
  [ "$build" = build ] || { echo "BUILD defaults to '$build'"; return 1; }
  while read -r script b results lcov; do
    [ "$results" = '$(BUILD)/test-results' ] || { echo "$script gates $results"; return 1; }
  done <<<"$lines"
  # the suite writes its results there, and the browser tests their TAP
  grep -q 'results=$(cd "$build" && pwd)/test-results' "$ROOT/tests/run.sh"
  grep -q 'tests/site/run.sh "$build" "$results"' "$ROOT/ci/site.sh"
  grep -q 'tee "$results/site.tap"' "$ROOT/tests/site/run.sh"
  # and the gate reads that folder the way a plain gate does
  grep -q -- '--results "$results"' "$ROOT/ci/gate.sh"
}

# Verifies: FR-TRACE-001, FR-TRACE-004
test_test_functions_orphans_and_vendored_code_follow_the_config() {
  fixture unity
  # by default: the vendored Unity under tests/ is left out, and said so;
  # every untagged test_* is an orphan, the helper test_fill included
  run "$HW" trace --results results --format json
  expect_rc 0
  expect_err 'tests/unity/src/selftest.c: warning: vendored code not scanned: "**/unity/**" (the config'"'"'s "vendored") matches 1 file'
  [ "$(jq -c '[.defects[] | select(.kind == "orphan-test") | .message]' <<<"$OUT")" = \
    '["test test_fill() names no FR: add a '"'"'Verifies:'"'"' tag"]' ] || { echo "$OUT"; return 1; }
  # Unity's *_should_* names, and tests are what ran: the untagged test
  # that ran is an orphan, the helper that never ran is not
  printf '{"sources": ["src/**/*.c"], "tests": ["tests/**/*.c"], "test_functions": ["test_*", "*_should_*"], "orphan_tests": "run"}\n' > traceability/config.json
  run "$HW" trace --results results --format json
  expect_rc 0
  [ "$(jq -c '[.defects[] | select(.kind == "orphan-test") | .line]' <<<"$OUT")" = '[42]' ] || { echo "$OUT"; return 1; }
  # "vendored": [] scans the copy of Unity too
  printf '{"sources": ["src/**/*.c"], "tests": ["tests/**/*.c"], "vendored": []}\n' > traceability/config.json
  run "$HW" trace --results results --format json
  expect_rc 0
  [[ "$ERR" != *vendored* ]] || { echo "$ERR"; return 1; }
  jq -e '.defects[] | select(.kind == "orphan-test" and .file == "tests/unity/src/selftest.c")' <<<"$OUT" >/dev/null
  printf '{"orphan_tests": "some"}\n' > traceability/config.json
  run "$HW" trace
  expect_rc 2
  expect_err 'traceability/config.json:1: "orphan_tests" must be "named" or "run"'
}

# The "vendored" warning is said by the scan, so a replayed run says it
# exactly as a fresh one (--no-index: no memo) does, and a vendored file
# added is seen.
# Verifies: FR-TRACE-001, FR-TRACE-007
test_vendored_warning_is_the_same_replayed_and_fresh() {
  local fresh
  fixture unity
  run "$HW" trace --results results --no-index
  expect_rc 0
  expect_err 'vendored code not scanned: "**/unity/**" (the config'"'"'s "vendored") matches 1 file'
  fresh=$ERR
  run "$HW" trace --results results
  [ "$ERR" = "$fresh" ] || { echo "the cold run says: $ERR"; return 1; }
  run "$HW" -v trace --results results
  expect_err "replayed .hwledger/trace.memo"
  [ "$(grep -v '^hwledger: no input changed' <<<"$ERR")" = "$fresh" ] ||
    { echo "the replayed run says: $ERR"; return 1; }
  # one more vendored file: no replay, and the count is right
  cp tests/unity/src/selftest.c tests/unity/src/another.c
  backdate tests/unity/src/another.c
  run "$HW" -v trace --results results
  ! grep -q replayed <<<"$ERR" || { echo "a vendored file added was not seen"; return 1; }
  expect_err 'tests/unity/src/another.c: warning: vendored code not scanned: "**/unity/**" (the config'"'"'s "vendored") matches 2 files'
  fresh=$(grep -v '^hwledger: [0-9]* FRs\|^hwledger: results ' <<<"$ERR")
  run "$HW" -v trace --results results
  expect_err "replayed .hwledger/trace.memo"
  [ "$(grep -v '^hwledger: no input changed' <<<"$ERR")" = "$fresh" ] ||
    { echo "the replayed run says: $ERR"; return 1; }
}

# A misspelt keyword loses its tag: trace says so at FILE:LINE, and the
# FR shows unimplemented (specs/tags.md, "Near misses").
# Verifies: FR-TRACE-001
test_trace_warns_of_a_misspelt_tag_keyword() {
  fixture ours
  sed -i 's|/\* Implements: FR-APP-001 \*/|/* Implemnts: FR-APP-001 */|' src/app.c
  run "$HW" trace "${TRACE_INPUTS[@]}" --format json
  expect_err "hwledger: src/app.c:1: warning: 'Implemnts:' is not a tag keyword (Implements:, Verifies:, Traces to:): not read as a tag"
  jq -e '[.frs[] | select(.id == "FR-APP-001") | .impl] == [0]' <<<"$OUT" >/dev/null ||
    { echo "FR-APP-001 should be unimplemented"; return 1; }
}
