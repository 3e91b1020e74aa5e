# tests/cli/test_report.sh — `hwledger report` and `hwledger verify-report`
# end to end on a fixture repository under git: every check run by the real
# binary (SAST with the real analyzers on the fixture's code), signed into
# the ledger, anchored, exported and rendered; then faults: a check that
# crashes or hangs, an unwritable site, a dirty tree, no repository, and
# every kind of edit to the published folder.

REPORT_INPUTS=(--results results.xml --results results.tap --lcov app.info)

# the trace fixture as a git repository with a compilation database and
# the repository's own plan and probe checks
report_repo() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir -p build planner probes
  cp -r "$ROOT/planner/checks" "$ROOT/planner/models" "$ROOT/planner/gpus.json" \
    "$ROOT/planner/engines.json" planner/
  cp -r "$ROOT/probes/checks" probes/
  printf '[{"directory": "%s", "file": "src/app.c", "command": "cc -std=c11 -c src/app.c -o build/app.o"}]\n' \
    "$PWD" > build/compile_commands.json
  echo 'build/' > .gitignore
  echo '.hwledger/' >> .gitignore
  # the fixture's findings are accepted as known, so SAST passes
  mkdir -p traceability
  "$HW" -q sast --tool all --baseline traceability/sast-baseline.json --update-baseline >/dev/null
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
}

# A waived FR counts for the share but the summary does not call it
# verified (issue #22).
# Verifies: FR-REPORT-001
test_report_summary_counts_a_waived_fr_apart() {
  report_repo
  printf '%s\n' '{"waivers": [{"fr": "FR-APP-002", "reason": "bench test next sprint", "expires": "2099-01-31"}]}' \
    > traceability/policy.json
  git add -A && git -c user.name=t -c user.email=t@t commit -qm waiver
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_out "report: 2/2 approved FRs verified or waived (1 waived)"
}

# Verifies: FR-REPORT-001
test_report_runs_every_check_signs_and_renders_the_site() {
  report_repo
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "generated .hwledger/keys/local.key"
  expect_out "report: pass — sast pass, trace pass, gate pass, plan pass, probe pass"
  expect_out "2/2 approved FRs verified"
  expect_out "an untrusted local key"
  expect_out "site in build/site"
  # five signed events with the check results and their evidence hashes
  run "$HW" ledger log --json
  jq -e '[.events[].kind] == ["sast", "trace", "gate", "plan", "probe"]' <<<"$OUT" >/dev/null
  jq -e '.schema == "hwledger.check/1" and .verdict == "pass" and (.evidence | map(.path) | index("results.xml")) and .result.schema == "hwledger.trace/1"' build/checks/events/trace.json >/dev/null
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 1 ]
  for f in index.html manifest.json manifest.sig ledger/bundle/events.jsonl evidence/gate.json evidence/report.json; do
    [ -s "build/site/$f" ] || { echo "missing $f"; return 1; }
  done
  grep -q 'data-check="gate" data-verdict="pass"' build/site/index.html
  grep -q 'untrusted local key' build/site/index.html
  [ -s build/checks/trace.sarif ]
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  expect_out "verify-report: ok"
  # a key in the trusted list: the same report is signed by a trusted key
  cp build/checks/signing-key.pub traceability/trusted_keys
  run "$HW" verify-report build/site
  expect_rc 0
  expect_out "signed by local (a trusted key)"
}

# Verifies: FR-REPORT-001
test_report_unsigned_runs_the_checks_and_records_nothing() {
  report_repo
  # nothing yet: no key is generated, no ledger or ref is made
  run "$HW" report "${REPORT_INPUTS[@]}" --unsigned
  expect_rc 0
  expect_out "report: pass — sast pass, trace pass, gate pass, plan pass, probe pass"
  expect_out "report: not signed (--unsigned): nothing recorded; site in build/site"
  for f in .hwledger/ledger.db .hwledger/keys; do
    [ ! -e "$f" ] || { echo "$f was made"; return 1; }
  done
  [ -z "$(git for-each-ref refs/hwledger)" ] || { echo "a ref was written"; return 1; }
  jq -e '.pass == true' build/checks/gate.json >/dev/null
  grep -q 'no signed report' build/site/index.html
  [ ! -e build/site/manifest.sig ] || { echo "the site was signed"; return 1; }
  # after a signed report, an unsigned one leaves the ledger and the ref
  # as they are, and shows nothing of the signed run as its own
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1
  run "$HW" report "${REPORT_INPUTS[@]}" --unsigned
  expect_rc 0
  run "$HW" ledger log --json
  jq -e '.events | length == 5' <<<"$OUT" >/dev/null
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 1 ]
  for f in report.json ledger-verify.json signing-key.pub bundle events/gate.json; do
    [ ! -e "build/checks/$f" ] || { echo "build/checks/$f of the signed run is left"; return 1; }
  done
  grep -q 'no signed report' build/site/index.html
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 1
  expect_err "no signed manifest"
}

# An FR file the site cannot read as given (over max_file_bytes) is the
# project's bad input: exit 2 naming it, and the previous site stays.
# A new user ran report in cmark's src/: it made a key and a ledger
# there, signed the events of checks that all failed for want of FRs, and
# anchored that stray ledger's checkpoint on the project's
# refs/hwledger/checkpoints, so the project's own ledger no longer
# verified. A folder without the FR folder is refused first.
# Verifies: FR-REPORT-001
test_report_outside_the_project_signs_nothing() {
  mkdir -p repo/src && cd repo
  write_fr frs/app.md FR-APP-001
  printf 'int f(void) { return 0; }\n' >src/f.c
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  cd src
  run "$HW" report
  expect_rc 2
  expect_err "hwledger: frs: no such directory (the FR folder: 'hwledger init' makes it;"
  [ -z "$(ls -A)" ] || [ "$(ls -A)" = f.c ] || { echo "report wrote:"; ls -A; return 1; }
  if git rev-parse -q --verify refs/hwledger/checkpoints >/dev/null; then
    echo "report anchored a checkpoint from src/"; return 1
  fi
}

# Verifies: FR-REPORT-001
test_report_an_fr_file_over_the_size_limit_is_bad_input() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" --unsigned >/dev/null 2>&1
  cp build/site/index.html before.html
  jq '. + {"max_file_bytes": 4096}' traceability/config.json > c.json
  mv c.json traceability/config.json
  head -c 5000 /dev/zero | tr '\0' 'x' >> frs/app.md
  run "$HW" report "${REPORT_INPUTS[@]}" --unsigned
  expect_rc 2
  expect_err "frs/app.md: file is "
  expect_err "over the limit of 4096"
  cmp -s before.html build/site/index.html || { echo "the previous site was replaced"; return 1; }
}

# Verifies: FR-REPORT-001
test_report_sast_reports_imports_an_analysis_already_run() {
  report_repo
  # report_repo's `sast --tool all` kept the analyzers' reports
  cp -r build/sast/run kept
  # no analyzer on PATH: the check imports, it does not run them
  mkdir bin
  for t in git cc sh env; do ln -s "$(command -v "$t")" "bin/$t"; done
  run env PATH="$PWD/bin" "$HW" report "${REPORT_INPUTS[@]}" --sast-reports kept
  expect_rc 0
  expect_out "sast pass"
  jq -e '.schema == "hwledger.sast/1" and .new == 0' build/checks/sast.json >/dev/null
  # the imported reports are the sast event's evidence, by their hashes
  want=$(sha256sum kept/cppcheck.xml | cut -d' ' -f1)
  got=$(jq -r '.evidence[] | select(.path == "kept/cppcheck.xml") | .sha256' build/checks/events/sast.json)
  [ "$want" = "$got" ] || { echo "kept/cppcheck.xml: event says '$got', file is $want"; return 1; }
  # a folder with no report: nothing to import is an error, not a pass
  mkdir empty
  run "$HW" report "${REPORT_INPUTS[@]}" --sast-reports empty
  expect_rc 1
  expect_out "sast error"
}

# Verifies: FR-REPORT-002
test_verify_report_fails_unless_the_signer_is_trusted() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  # signed by a fresh local key that no list trusts: intact, yet nothing
  # ties it to a key the reader trusts
  run "$HW" verify-report build/site
  expect_rc 1
  expect_err "verify-report FAILED: signed by local, a key not in traceability/trusted_keys"
  ! grep -q "verify-report: ok" <<<"$OUT" || return 1
  # the reader says whom to trust, or that integrity alone is wanted
  run "$HW" verify-report --key build/checks/signing-key.pub build/site
  expect_rc 0
  expect_out "signed by local (a trusted key)"
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  expect_out "signed by local (a key not in the trusted list, allowed by --allow-untrusted)"
  # a key list that does not hold the signer fails
  "$HW" -q ledger keygen --name other --dir keys >/dev/null
  run "$HW" verify-report --key keys/other.pub build/site
  expect_rc 1
  expect_err "signed by local, a key not in keys/other.pub"
  # a key list or a folder that is not there is bad input, not a verdict
  run "$HW" verify-report --key /nonexistent build/site
  expect_rc 2
  expect_err "/nonexistent"
  run "$HW" verify-report --allow-untrusted /nonexistent
  expect_rc 2
  expect_err "hwledger: /nonexistent: no such folder"
}

# Verifies: FR-REPORT-001
test_report_runs_the_planners_sweeps_and_price_comparison() {
  local want got
  report_repo
  cp "$ROOT/planner/report.json" planner/
  git add -A && git -c user.name=t -c user.email=t@t commit -qm sweeps
  # an illustration of an earlier run is never shown as this run's
  mkdir -p build/checks
  printf '{"schema": "hwledger.sweep/1"}\n' > build/checks/sweep-stale.json
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_out "plan pass"
  [ ! -e build/checks/sweep-stale.json ] || { echo "a stale sweep was kept"; return 1; }
  jq -e '.schema == "hwledger.sweep/1"' build/checks/sweep-llama-3.1-8b.json >/dev/null
  jq -e '.schema == "hwledger.cheapest/1" and (.configurations | length) > 0' build/checks/cheapest.json >/dev/null
  # the plan event names the config and both results by their hashes
  for f in planner/report.json build/checks/cheapest.json build/checks/sweep-llama-3.1-8b.json; do
    want=$(sha256sum "$f" | cut -d' ' -f1)
    got=$(jq -r --arg p "$f" '.evidence[] | select(.path == $p) | .sha256' build/checks/events/plan.json)
    [ "$want" = "$got" ] || { echo "$f: event says '$got', file is $want"; return 1; }
  done
  # the planner page draws them; the raw results are published and signed
  grep -q '<h3>llama-3.1-8b' build/site/planner.html
  ! grep -q 'No sweep in the evidence folder' build/site/planner.html || return 1
  cmp build/checks/cheapest.json build/site/evidence/cheapest.json
  cmp build/checks/sweep-llama-3.1-8b.json build/site/evidence/sweep-llama-3.1-8b.json
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
}

# Verifies: FR-REPORT-001
test_report_takes_results_folders_and_globs_as_trace_does() {
  report_repo
  mkdir -p out/unit
  mv results.xml out/unit/ && mv results.tap out/
  # a folder and a quoted glob after one --results, as trace takes them
  run "$HW" report --results out/unit 'out/*.tap' --lcov app.info
  expect_rc 0
  expect_out "2/2 approved FRs verified"
  # each file the trace read is fingerprinted in its event's evidence
  jq -e '[.evidence[].path] | index("out/unit/results.xml") and index("out/results.tap")' \
    build/checks/events/trace.json >/dev/null
  # no --results: the files of build/test-results/, which trace reads
  mkdir -p build/test-results && mv out/unit/results.xml out/results.tap build/test-results/
  run "$HW" report --lcov app.info
  expect_rc 0
  jq -e '[.evidence[].path] | index("build/test-results/results.xml") and index("build/test-results/results.tap")' \
    build/checks/events/trace.json >/dev/null
}

# Verifies: FR-REPORT-001
test_report_bad_planner_report_makes_the_plan_check_an_error() {
  report_repo
  local bad=(
    '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "planner/models/llama-3.1-8b.json"}]}|sweeps[0] needs "model" and "grid"'
    '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "m.json", "grid": "ctx=1k", "colour": "red"}]}|sweeps[0]: unknown key "colour"'
    '{"schema": "hwledger.planner-report/9"}|not a hwledger.planner-report/1 document'
    '{"schema": "hwledger.planner-report/1", "sweeps": {}}|"sweeps" must be a list'
    '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "a/x.json", "grid": "ctx=1k"}, {"model": "b/x.json", "grid": "ctx=1k"}]}|a second sweep named'
    '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "x.json", "grid": "ctx=1k", "name": "../up"}]}|its name must be'
    '{"schema": "hwledger.planner-report/1", "cheapest": {"ctx": "8k"}}|"cheapest" needs "model"'
    '{"schema": "hwledger.planner-report/1", "sweeps": [{"model": "planner/models/llama-3.1-8b.json", "gpu": "No Such GPU", "grid": "ctx=1k..2k batch=1..2"}]}|sweep-llama-3.1-8b.json:'
    '{"schema": "hwledger.planner-report/1", "sweeps": [|planner/report.json:1:'
  )
  for b in "${bad[@]}"; do
    printf '%s\n' "${b%%|*}" > planner/report.json
    run "$HW" report "${REPORT_INPUTS[@]}"
    expect_rc 1
    expect_out "plan error"
    expect_out "${b#*|}"
    jq -e '.verdict == "error"' build/checks/events/plan.json >/dev/null
  done
}

# Verifies: FR-REPORT-001
test_report_shows_a_ledger_that_does_not_verify() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  # event 2 carries event 0's signature (the triggers dropped by hand)
  sqlite3 .hwledger/ledger.db "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;
    DROP TRIGGER events_no_replace; UPDATE events SET sig=(SELECT sig FROM events WHERE seq=0) WHERE seq=2"
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "build/checks/ledger-verify.json: warning: the ledger does not verify (exit 1): event 2: the signature does not verify"
  jq -e '.ok == false and .first_bad == 2 and .events == 10' build/checks/ledger-verify.json >/dev/null
  grep -q 'event 2: the signature does not verify' build/site/ledger.html
}

# Verifies: FR-REPORT-001
test_report_twice_grows_the_ledger_by_exactly_the_new_events() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  run "$HW" ledger log --json
  jq -e '.events | length == 10' <<<"$OUT" >/dev/null
  jq -e '.first_seq == 5' build/checks/report.json >/dev/null
  "$HW" -q ledger verify --bundle build/checks/bundle --key build/checks/signing-key.pub
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 2 ]
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
}

# Verifies: FR-REPORT-001
test_report_exit_0_only_when_every_check_passed() {
  report_repo
  # no probe checks in this repository: the probe check cannot run, which
  # fails the report unless the policy marks it optional
  rm -rf probes
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 1
  expect_out "probe not run"
  expect_out "probe: no probes/checks folder in this repository"
  jq '.optional_checks = ["probe"]' "$ROOT/traceability/policy.json" > traceability/policy.json
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_out "report: pass — sast pass, trace pass, gate pass, plan pass, probe not run"
  jq -e '.checks[4].optional == true' build/checks/report.json >/dev/null
  # an analyzer missing from PATH: SAST cannot run, the report fails
  # until the policy makes SAST optional too
  mkdir bin
  for t in clang-tidy flawfinder gcc cc python3 sh env; do
    ln -s "$(command -v "$t")" "bin/$t"
  done
  run env PATH="$PWD/bin" "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 1
  expect_out "sast not run"
  expect_out "sast: hwledger: cppcheck"
  jq '.optional_checks = ["probe", "sast"]' traceability/policy.json > x && mv x traceability/policy.json
  run env PATH="$PWD/bin" "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_out "report: pass — sast not run"
  # a failing plan check fails the report
  cp "$ROOT/planner/checks/llama-3.1-8b.json" planner/checks/zz-wrong.json
  jq '.expect.kv_bytes_per_token = 1' planner/checks/zz-wrong.json > x && mv x planner/checks/zz-wrong.json
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 1
  expect_out "plan fail"
  expect_out "report: FAIL"
}

# Verifies: FR-REPORT-001
test_report_records_a_crashing_and_a_hanging_check() {
  local nvml
  nvml=$(dirname "$HW")/fakes
  report_repo
  echo '{"init": "crash"}' > crash.json
  # (under `make asan` the sanitizer would turn the signal into exit 1)
  run env HWLEDGER_NVML_LIB="$nvml/libfake_nvml.so" FAKE_NVML_SCENARIO="$PWD/crash.json" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" \
    "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 1
  expect_out "probe error"
  expect_out "probe: crashed (signal 11)"
  jq -e '.checks[4].verdict == "error"' build/checks/report.json >/dev/null
  jq -e '.verdict == "error" and .result == null' build/checks/events/probe.json >/dev/null
  echo '{"init": "hang"}' > hang.json
  run env HWLEDGER_NVML_LIB="$nvml/libfake_nvml.so" FAKE_NVML_SCENARIO="$PWD/hang.json" \
    "$HW" report "${REPORT_INPUTS[@]}" --timeout 10
  expect_rc 1
  expect_out "probe: timed out after 10 s and was killed"
  # both runs are in the ledger, which still verifies
  run "$HW" ledger log --json
  jq -e '.events | length == 10' <<<"$OUT" >/dev/null
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
}

# Verifies: FR-REPORT-001
test_report_unwritable_site_keeps_the_ledger_and_the_old_site() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" -o out >/dev/null 2>&1 || true
  sum=$(find out -type f -exec sha256sum {} + | sort | sha256sum)
  echo file > blocker
  run "$HW" report "${REPORT_INPUTS[@]}" -o blocker/site
  expect_rc 3
  # the site step runs in the report's process: its own reason, not a
  # child's stderr line
  expect_err "hwledger: site rendered and signed failed: blocker: not a directory"
  ! grep -q 'failed: hwledger:' <<<"$ERR" || { echo "a child's message was quoted"; return 1; }
  [ "$(find out -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
  run "$HW" ledger log --json
  jq -e '.events | length == 10' <<<"$OUT" >/dev/null
  "$HW" -q ledger verify --bundle build/checks/bundle --key build/checks/signing-key.pub
}

# Verifies: FR-REPORT-001
test_report_records_uncommitted_changes_and_no_repository() {
  report_repo
  echo '/* edited */' >> src/app.c
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_err "uncommitted changes"
  jq -e '.dirty == true and (.commit | length) == 40' build/checks/events/gate.json >/dev/null
  grep -q 'uncommitted changes' build/site/index.html
  # a folder that is not a repository: reported, not anchored, still signed
  rm -rf .git
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_err "not in a git repository"
  expect_out "checkpoint not anchored"
  jq -e '.anchor == "checkpoint not anchored: not inside a git repository"' \
    build/checks/report.json >/dev/null
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
}

# Outside a git repository the ledger's verification (its anchors are
# checked in git) cannot be made: a warning that says so and what to do,
# not "the ledger does not verify"; the report's exit is its checks',
# and the last run's ledger-verify.json is not left to be shown.
# Verifies: FR-REPORT-001
test_report_outside_git_says_the_ledger_was_not_verified_and_why() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1
  [ -f build/checks/ledger-verify.json ]
  rm -rf .git
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "hwledger: warning: the ledger was not verified (no build/checks/ledger-verify.json): verifying checks its anchors in git, and this folder is not in a git repository; run the report in the project's git repository ('git init', then commit the project) to anchor and verify the ledger"
  [[ "$ERR" != *"does not verify"* ]] || { echo "stderr: $ERR"; return 1; }
  [ ! -e build/checks/ledger-verify.json ]
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
}

# Verifies: FR-REPORT-002
test_verify_report_fails_on_any_changed_byte() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  cp -r build/site good
  for f in index.html matrix.html fr/FR-APP-001.html ledger/bundle/events.jsonl \
      ledger/bundle/checkpoint evidence/trace.json search-index.js manifest.json; do
    rm -rf site && cp -r good site
    # change one byte in the middle of the file (to a different one)
    size=$(stat -c %s "site/$f")
    old=$(dd if="site/$f" bs=1 skip=$((size / 2)) count=1 status=none)
    new=Z && [ "$old" != Z ] || new=Y
    printf '%s' "$new" | dd of="site/$f" bs=1 seek=$((size / 2)) conv=notrunc status=none
    cmp -s "site/$f" "good/$f" && { echo "$f: the byte did not change"; return 1; }
    run "$HW" verify-report --allow-untrusted site
    [ "$RC" -eq 1 ] || { echo "$f: a changed byte was not caught"; return 1; }
    expect_err "verify-report FAILED"
  done
  rm -rf site && cp -r good site && echo x > site/added.html
  run "$HW" verify-report --allow-untrusted site
  expect_rc 1
  expect_err "added.html: not in the manifest"
  rm -rf site && cp -r good site && rm site/glossary.html
  run "$HW" verify-report --allow-untrusted site
  expect_rc 1
  expect_err "glossary.html: missing"
}

# Verifies: FR-REPORT-002
test_verify_report_catches_a_resigned_site_with_other_verdicts() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  # someone with the key edits the gate's result and signs the site again:
  # the manifest verifies, the signed event does not match
  jq '.pass = false' build/checks/gate.json > x && mv x build/checks/gate.json
  "$HW" -q site --checks build/checks -o build/site --sign
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 1
  expect_err "evidence/gate.json: not the result signed in event 2"
  # a site rendered without the report has no signed manifest
  "$HW" -q site --checks build/checks -o plain
  run "$HW" verify-report --allow-untrusted plain
  expect_rc 1
  expect_err "no signed manifest"
  run "$HW" verify-report
  expect_rc 2
}

# Verifies: FR-REPORT-001
test_report_usage_errors_exit_2() {
  run "$HW" report --bogus x
  expect_rc 2
  expect_err "unknown argument '--bogus'"
  run "$HW" report --timeout soon
  expect_rc 2
  expect_err "--timeout needs seconds"
  # NaN compares false with everything: it must not pass as a timeout
  run "$HW" report --timeout nan
  expect_rc 2
  expect_err "--timeout needs seconds, not 'nan'"
  run "$HW" report --results
  expect_rc 2
  run "$HW" report --help
  expect_rc 0
  expect_out "usage: hwledger report"
}

# Verifies: FR-REPORT-001
test_report_detached_head_shallow_clone_and_given_key() {
  report_repo
  git -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
  git checkout -q --detach HEAD~1
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "a detached HEAD: the events record commit"
  jq -e --arg c "$(git rev-parse HEAD)" '.commit == $c' build/checks/report.json >/dev/null
  # a shallow clone, signed with the key $HWLEDGER_SIGNING_KEY names
  "$HW" -q ledger keygen --name ci-bot --dir "$PWD/../keys" >/dev/null
  git clone -q --depth 1 "file://$PWD" ../shallow && cd ../shallow
  cp -r ../repo/build . && rm -rf build/checks build/site
  # a key asked for but not there: an error, never a generated local key
  run env HWLEDGER_SIGNING_KEY="$PWD/../keys/missing.key" "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 3
  expect_err "keys/missing.key: no such file (named by HWLEDGER_SIGNING_KEY)"
  [ ! -e .hwledger/keys/local.key ] || { echo "a local key was generated"; return 1; }
  run env HWLEDGER_SIGNING_KEY="$PWD/../keys/ci-bot.key" "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "a shallow clone"
  expect_out "signed by ci-bot"
  ! grep -q 'generated .hwledger/keys' <<<"$ERR" || return 1
  run "$HW" verify-report --key ../keys/ci-bot.pub build/site
  expect_rc 0
  expect_out "signed by ci-bot"
}

# A project in a subfolder of a larger repository: its report anchors on
# refs/hwledger/projects/SUB/checkpoints and says so, and neither the
# published report nor the ledger stops verifying when another project of
# the repository (the top level) anchors its own checkpoints.
# Verifies: FR-LEDGER-003, FR-REPORT-001
test_report_of_a_subfolder_project_anchors_on_its_own_ref() {
  mkdir mono && cd mono
  report_repo
  rm -rf .git && cd ..
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  cd repo
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_out "checkpoint anchored on refs/hwledger/projects/repo/checkpoints"
  [ "$(git rev-list --count refs/hwledger/projects/repo/checkpoints)" = 1 ]
  # the evidence and the site name the anchor: its commit and its ref
  local c
  c=$(git rev-parse refs/hwledger/projects/repo/checkpoints)
  jq -e --arg c "$c" '.anchor_commit == $c and
    .anchor_ref == "refs/hwledger/projects/repo/checkpoints"' build/checks/report.json >/dev/null
  grep -q "anchored by commit <code>$c</code> on <code>refs/hwledger/projects/repo/checkpoints</code>" \
    build/site/ledger.html
  ! git rev-parse -q --verify refs/hwledger/checkpoints >/dev/null || return 1
  # the top level is a project too, and anchors twice
  cd ..
  "$HW" -q ledger keygen --name top > top.line
  mkdir -p traceability && cp top.line traceability/trusted_keys
  for i in 1 2; do
    "$HW" -q ledger append --kind a
    "$HW" -q ledger checkpoint >/dev/null
    run "$HW" ledger anchor
    expect_out "on refs/hwledger/checkpoints"
  done
  cd repo
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  run "$HW" ledger verify --key build/checks/signing-key.pub
  expect_rc 0
  # and a second report goes on its own ref's history
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  [ "$(git rev-list --count refs/hwledger/projects/repo/checkpoints)" = 2 ]
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 2 ]
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  (cd .. && "$HW" -q ledger verify)
  # git's state is the repository's, found upwards as git finds it: a
  # detached HEAD is said in the subfolder too
  git -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
  git checkout -q --detach HEAD~1
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 0
  expect_err "a detached HEAD: the events record commit"
}

# A subfolder whose name cannot be part of a ref is refused before any
# event is signed, naming it; the shared ref is never the fallback.
# Verifies: FR-LEDGER-003
test_report_in_a_folder_that_cannot_name_a_ref_signs_nothing() {
  mkdir mono && cd mono
  report_repo
  rm -rf .git && cd .. && mv repo 'my repo'
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  cd 'my repo'
  run "$HW" report "${REPORT_INPUTS[@]}"
  expect_rc 2
  expect_err "hwledger: my repo: this project's folder cannot be part of the git ref"
  [ ! -e .hwledger/ledger.db ] || { echo "events signed"; return 1; }
  [ -z "$(git for-each-ref refs/hwledger)" ] || { git for-each-ref refs/hwledger; return 1; }
  # an unsigned report anchors nothing, so it is not refused
  run "$HW" report "${REPORT_INPUTS[@]}" --unsigned
  [ "$RC" != 2 ] || { echo "$ERR"; return 1; }
}

# A missing value and a misspelt option are told apart (both were
# "unknown argument '--results' (or it needs a value)").
# Verifies: FR-CLI-001
test_report_and_diff_tell_a_missing_value_from_an_unknown_option() {
  run "$HW" report --results
  expect_rc 2
  expect_err "hwledger: --results needs a value"
  run "$HW" report --unsgned
  expect_rc 2
  expect_err "hwledger: report: unknown argument '--unsgned'"
  run "$HW" diff a b --format
  expect_rc 2
  expect_err "hwledger: --format needs a value"
  run "$HW" diff a b --fromat md
  expect_rc 2
  expect_err "hwledger: diff: unknown argument '--fromat'"
  # nothing was run or written for them
  [ ! -e build ] && [ ! -e .hwledger ]
}

# A missing argument names the command it is missing from (it was
# "hwledger: needs the site folder").
# Verifies: FR-CLI-001
test_verify_report_and_diff_name_themselves_when_an_argument_is_missing() {
  run "$HW" verify-report
  expect_rc 2
  expect_err "hwledger: verify-report needs the site folder to check (DIR)"
  run "$HW" diff a
  expect_rc 2
  expect_err "hwledger: diff needs two reports (folders or git revisions)"
}
