# tests/cli/test_lang.sh — C++ and Python projects traced to the function
# (issue #27): the example projects through their real toolchains (CMake,
# g++, gtest, gcov/lcov; pytest, coverage.py), then report and
# verify-report; a broken function fails the gate.

lang_project() { # FIXTURE: a committed copy in ./p
  cp -r "$FIXTURES/$1" p && cd p
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
}

# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_cpp_project_gtest_lcov_report() {
  lang_project cpp-project
  ./build.sh
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "approved FRs verified: 2/2"
  run "$HW" trace --format json --results build/results.xml --lcov build/coverage.info
  jq -e '[.frs[].links[] | .function] | index("ring::Ring::push") and index("ring::Ring::pop") and index("ring::Ring::full") and index("Ring.PushPopInOrder") and index("RingFull.RefusesWhenFull")' <<<"$OUT" >/dev/null
  run "$HW" report --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "2/2 approved FRs verified"
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  # a broken push fails its test, so the gate
  sed -i 's/count_++;/count_ += 2;/' src/ring.cpp
  ./build.sh
  run "$HW" gate --results build/results.xml --lcov build/coverage.info
  expect_rc 1
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_out "Ring.PushPopInOrder() verifies FR-CRING-001 and failed"
}

# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_python_project_pytest_coverage_report() {
  lang_project py-project
  ./build.sh
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "approved FRs verified: 2/2"
  run "$HW" trace --format json --results build/results.xml --lcov build/coverage.info
  jq -e '[.frs[].links[] | .function] | index("ringpy.ring.Ring.push") and index("ringpy.ring.Ring.size") and index("tests.test_ring.TestRing.test_push_pop_in_order") and index("tests.test_ring.test_refuses_when_full")' <<<"$OUT" >/dev/null
  run "$HW" report --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "2/2 approved FRs verified"
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  # a broken pop fails one case of the parametrized test, so the gate
  sed -i 's/self.count -= 1/self.count -= 1\n        value = -1 if self.count else value/' ringpy/ring.py
  ./build.sh
  run "$HW" gate --results build/results.xml --lcov build/coverage.info
  expect_rc 1
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_out "tests.test_ring.TestRing.test_push_pop_in_order() verifies FR-PRING-001 and failed"
}
