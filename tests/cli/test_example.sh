# tests/cli/test_example.sh — the README's walkthrough on the example
# project (tests/fixtures/example-project): its own `make test` (TAP and
# lcov), then `hwledger report` and `hwledger verify-report`, as a project
# adopting hwledger in CI would run them.

# Verifies: FR-REPORT-001, FR-REPORT-002
test_example_project_runs_the_whole_pipeline() {
  cp -r "$FIXTURES/example-project" ex && cd ex
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  make -s test >/dev/null
  grep -q '^ok 2 - test_full_and_empty_are_refused' build/results.tap
  run "$HW" report --results build/results.tap --lcov build/coverage.info
  expect_rc 0
  expect_out "report: pass — sast pass, trace pass, gate pass, plan not run, probe not run"
  expect_out "2/2 approved FRs verified"
  [ -s build/checks/trace.sarif ] && [ -s build/checks/sast.sarif ]
  jq -e '.version == "2.1.0"' build/checks/trace.sarif >/dev/null
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  # a broken push fails a test, the gate and so the report
  sed -i 's/r->count++;/r->count += 2;/' src/ringbuf.c
  make -s test >/dev/null || true
  run "$HW" report --results build/results.tap --lcov build/coverage.info
  expect_rc 1
  expect_out "gate fail"
  expect_err "uncommitted changes"
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  grep -q 'data-check="gate" data-verdict="fail"' build/site/index.html
}
