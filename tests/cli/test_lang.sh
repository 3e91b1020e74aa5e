# tests/cli/test_lang.sh — C++ and Python projects traced to the function
# (issue #27): the example projects through their real toolchains (CMake,
# g++, gtest, gcov/lcov; pytest, coverage.py), then report and
# verify-report; a broken function fails the gate.

lang_project() { # FIXTURE: a committed copy in ./FIXTURE
  cp -r "$FIXTURES/$1" "$1" && cd "$1"
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
}

# The whole pipeline on an example: build.sh (tests and coverage), trace
# with every approved FR verified (from ctest's results too, where the
# build writes them) and the qualified NAMES linked, report,
# verify-report, the site (SRC_PAGE coloured by coverage, FR_PAGE naming
# NAMES[0]); then BREAK (a sed script on BROKEN) fails the gate, and the
# trace says that FAILED() failed.
lang_pipeline() { # FIXTURE SRC_PAGE FR_PAGE BROKEN BREAK FAILED NAMES...
  local fixture=$1 src_page=$2 fr_page=$3 broken=$4 break=$5 failed=$6
  shift 6
  lang_project "$fixture"
  ./build.sh
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "approved FRs verified: 2/2"
  if [ -f build/ctest.xml ]; then # the same tests through ctest
    run "$HW" trace --results build/ctest.xml --lcov build/coverage.info
    expect_out "approved FRs verified: 2/2"
    ! grep -q result-without-test <<<"$OUT" || return 1
  fi
  run "$HW" trace --format json --results build/results.xml --lcov build/coverage.info
  for name in "$@"; do
    jq -e --arg n "$name" '[.frs[].links[] | .function] | index($n)' <<<"$OUT" >/dev/null ||
      { echo "no link names $name"; return 1; }
  done
  run "$HW" report --results build/results.xml --lcov build/coverage.info
  expect_rc 0
  expect_out "2/2 approved FRs verified"
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  grep -q 'class="h"' "build/site/src/$src_page"
  grep -qF "$1" "build/site/fr/$fr_page"
  sed -i "$break" "$broken"
  ./build.sh
  run "$HW" gate --results build/results.xml --lcov build/coverage.info
  expect_rc 1
  run "$HW" trace --results build/results.xml --lcov build/coverage.info
  expect_out "$failed() verifies"
  expect_out "and failed"
}

# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_cpp_project_gtest_lcov_report() {
  # a broken push fails its test
  lang_pipeline cpp-project src_2Fring.cpp.html FR-CRING-001.html \
    src/ring.cpp 's/count_++;/count_ += 2;/' Ring.PushPopInOrder \
    ring::Ring::push ring::Ring::pop ring::Ring::full Ring.PushPopInOrder \
    RingFull.RefusesWhenFull
}

# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_python_project_pytest_coverage_report() {
  # a broken pop fails one case of the parametrized test
  lang_pipeline py-project ringpy_2Fring.py.html FR-PRING-001.html \
    ringpy/ring.py 's/self.count -= 1/self.count -= 1\n        value = -1 if self.count else value/' \
    tests.test_ring.TestRing.test_push_pop_in_order \
    ringpy.ring.Ring.push ringpy.ring.Ring.size \
    tests.test_ring.TestRing.test_push_pop_in_order tests.test_ring.test_refuses_when_full \
    tests.test_ring.TestRingUnittest.test_pop_from_empty_raises
}

# A Python def statement runs when its module is imported, and
# coverage.py counts its line then: a function no test calls is not
# covered by it (found on pallets/markupsafe, where 27 of 53 functions
# never ran and each had its def line "run"). Real coverage.py output.
# Verifies: FR-TRACE-003
test_lang_python_def_line_is_not_coverage_of_the_function() {
  write_fr frs/a.md FR-A-001
  write_fr frs/a.md FR-A-002
  write_fr frs/a.md FR-A-003
  mkdir -p pkg tests traceability
  printf '{"sources": ["pkg/*.py"], "tests": ["tests/*.py"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 50}' >traceability/policy.json
  : > pkg/__init__.py
  cat > pkg/m.py <<'PY'
# Implements: FR-A-001
def never_called(a,
                 b):
    total = a + b
    return total


# Implements: FR-A-002
def called(a):
    return a + 1


# Implements: FR-A-003
def one_line(a): return a
PY
  cat > tests/test_m.py <<'PY'
from pkg.m import called


# Verifies: FR-A-001, FR-A-002, FR-A-003
def test_called():
    assert called(1) == 2
PY
  /usr/bin/python3 -m coverage run --source=pkg,tests -m pytest -q \
    -p no:cacheprovider --junitxml=results.xml tests >/dev/null
  /usr/bin/python3 -m coverage lcov -o cov.info >/dev/null
  # coverage.py did count the def lines (2 and 9) as run
  grep -qx 'DA:2,1' cov.info && grep -qx 'DA:9,1' cov.info
  run "$HW" trace --results results.xml --lcov cov.info --format json
  expect_rc 0
  # never_called: its two body lines, none run (not 1 of 3); called:
  # its body line; a one-line function has only its def line
  jq -e '[.frs[] | [.id, .coverage.hit, .coverage.lines]] ==
         [["FR-A-001", 0, 2], ["FR-A-002", 1, 1], ["FR-A-003", 1, 1]]' \
    <<<"$OUT" >/dev/null || { jq -c '[.frs[] | [.id, .coverage]]' <<<"$OUT"; return 1; }
  jq -e '.frs[0].status == "partial"' <<<"$OUT" >/dev/null
}

# pytest runs a test class's inherited test methods under each subclass
# (classname "tests.test_x.TestTimed", name "test_sign"): a run of the
# base class's test function when the subclass names its bases by plain
# names of the same module (several, a chain), so a failure under the
# subclass fails the requirement; a base imported from another module is
# not followed (its runs stay result-without-test). Real pytest output.
# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_pytest_inherited_test_methods_join_the_base_class() {
  write_fr frs/a.md FR-A-001
  write_fr frs/a.md FR-A-002
  write_fr frs/a.md FR-A-003
  mkdir -p pkg tests traceability
  printf '{"sources": ["pkg/*.py"], "tests": ["tests/*.py"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  : > pkg/__init__.py
  : > tests/__init__.py
  printf '# Implements: FR-A-001, FR-A-002, FR-A-003\ndef sign(x):\n    return x + 1\n' > pkg/m.py
  cat > tests/test_x.py <<'PY'
import os
from pkg.m import sign


class TestSigner:
    # Verifies: FR-A-001
    def test_sign(self):
        # fails only under a subclass, when asked to
        assert type(self) is TestSigner or not os.environ.get("BREAK_SUB")


class CheckMixin:
    # Verifies: FR-A-002
    def test_check(self):
        assert sign(1) == 2


class TestTimed(TestSigner, CheckMixin):
    pass


class TestChain(TestTimed):
    pass
PY
  cat > tests/test_y.py <<'PY'
from tests.test_x import TestSigner


class TestFar(TestSigner):
    # Verifies: FR-A-003
    def test_far(self):
        pass
PY
  /usr/bin/python3 -m pytest -q -p no:cacheprovider --junitxml=r.xml tests >/dev/null
  grep -q 'classname="tests.test_x.TestChain" name="test_check"' r.xml
  run "$HW" trace --results r.xml --format json
  expect_rc 0
  jq -e '[.frs[].status] == ["verified", "verified", "verified"]' <<<"$OUT" >/dev/null ||
    { jq -c '[.frs[].status]' <<<"$OUT"; return 1; }
  # only test_y's runs of the imported TestSigner.test_sign (under
  # TestFar, and TestSigner itself once more) join nothing
  jq -e '[.defects[] | select(.kind == "result-without-test") | .message] |
         length == 2 and all(contains("tests.test_y.Test"))' \
    <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  BREAK_SUB=1 /usr/bin/python3 -m pytest -q -p no:cacheprovider --junitxml=r.xml tests >/dev/null || true
  run "$HW" trace --results r.xml --format json
  expect_rc 0
  jq -e '[.frs[].status] == ["failing", "verified", "verified"]' <<<"$OUT" >/dev/null ||
    { jq -c '[.frs[].status]' <<<"$OUT"; return 1; }
  # the failure is the requirement's, not a result's without a test
  jq -e '[.defects[] | select(.kind == "failing-test" and .fr == null)] |
         length == 1 and (.[0].message | contains("TestFar"))' <<<"$OUT" >/dev/null ||
    { jq -c '.defects' <<<"$OUT"; return 1; }
  run "$HW" gate --results r.xml
  expect_rc 1
}

# Verifies: FR-TRACE-017
test_lang_ctest_gtest_param_and_pytest_results_match() {
  for i in 1 2 3 4 5 6; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests traceability
  printf '{"sources": ["src/*.cpp"], "tests": ["tests/*"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004, FR-A-005, FR-A-006\nint f() { return 1; }\n' > src/a.cpp
  cat > tests/test_a.cpp <<'CPP'
// Verifies: FR-A-001
TEST(Ring, PushPop) { EXPECT_TRUE(true); }
// Verifies: FR-A-002
TEST_P(RingParam, Sizes) { EXPECT_TRUE(true); }
// Verifies: FR-A-003
TYPED_TEST(RingTyped, Holds) { EXPECT_TRUE(true); }
// Verifies: FR-A-006
TEST_CASE("ring pushes and pops", "[ring]") { CHECK(true); }
CPP
  cat > tests/test_b.py <<'PY'
class TestOne:
    # Verifies: FR-A-004
    def test_same(self):
        pass


class TestTwo:
    # Verifies: FR-A-005
    def test_same(self):
        pass
PY
  mkdir -p r
  printf '<testsuites><testsuite name="ctest"><testcase name="Ring.PushPop" classname="Ring.PushPop" status="run"/></testsuite></testsuites>\n' > r/ctest.xml
  printf '<testsuites><testsuite name="test_a"><testcase classname="test_a.global" name="ring pushes and pops"/></testsuite></testsuites>\n' > r/catch2.xml
  cat > r/gtest.xml <<'XML'
<testsuites>
<testsuite name="Inst/RingParam"><testcase name="Sizes/0" status="run" classname="Inst/RingParam"/>
<testcase name="Sizes/1" status="run" classname="Inst/RingParam"><failure message="2 != 3"/></testcase></testsuite>
<testsuite name="RingTyped/0"><testcase name="Holds" status="run" classname="RingTyped/0"/></testsuite>
<testsuite name="Ring"><testcase name="PushPup" status="run" classname="Ring"/></testsuite>
</testsuites>
XML
  cat > r/pytest.xml <<'XML'
<testsuites><testsuite name="pytest">
<testcase classname="tests.test_b.TestOne" name="test_same[x]"/>
<testcase classname="tests.test_b.TestOne" name="test_same[y]"/>
<testcase classname="tests.test_b.TestTwo" name="test_same"><failure message="no"/></testcase>
</testsuite></testsuites>
XML
  run "$HW" trace --results r/ctest.xml --results r/gtest.xml --results r/pytest.xml --results r/catch2.xml --format json
  jq -e '[.frs[] | {(.id): .status}] | add == {"FR-A-001": "verified", "FR-A-002": "failing", "FR-A-003": "verified", "FR-A-004": "verified", "FR-A-005": "failing", "FR-A-006": "verified"}' <<<"$OUT" >/dev/null || { echo "$OUT" | jq -c "[.frs[] | {(.id): .status}]"; return 1; }
  # a result no test is for: a finding naming the nearest tests
  jq -e '[.defects[] | select(.kind == "result-without-test")] | length == 1 and (.[0].message | test("result Ring PushPup matches no test function; closest: .*Ring.PushPop"))' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
}

# Catch2 and doctest test cases join the results their JUnit reporters
# write (the testcase lines below are Catch2 2.13's and doctest 2.4.9's,
# as they wrote them): a SCENARIO by its framework's prefix, a name with
# escaped quotes by its value, a name on the line after the macro.
# Verifies: FR-TRACE-016
test_lang_catch2_and_doctest_names_join_their_results() {
  for i in 1 2 3 4; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests r traceability
  printf '{"sources": ["src/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004\ninline int f() { return 1; }\n' > src/a.hpp
  cat > tests/t.cpp <<'CPP'
#include "catch.hpp"
// Verifies: FR-A-001
SCENARIO("ring doubles", "[s]") { CHECK(true); }
// Verifies: FR-A-002
TEST_CASE("a \"quoted\" name", "[q]") { CHECK(true); }
// Verifies: FR-A-003
TEST_CASE(
    "name on the next line", "[n]") {
  CHECK(true);
}
CPP
  cat > tests/d.cpp <<'CPP'
#include <doctest/doctest.h>
// Verifies: FR-A-004
SCENARIO("ring doubles") { CHECK(1 == 1); }
CPP
  cat > r/catch2.xml <<'XML'
<testsuites>
  <testsuite name="t" errors="0" failures="0" tests="3" hostname="tbd" time="0.000" timestamp="2026-12-07T14:55:00Z">
    <testcase classname="t.global" name="Scenario: ring doubles" time="0.000" status="run"/>
    <testcase classname="t.global" name="a &quot;quoted&quot; name" time="0.000" status="run"/>
    <testcase classname="t.global" name="name on the next line" time="0.000" status="run"/>
  </testsuite>
</testsuites>
XML
  cat > r/doctest.xml <<'XML'
<testsuites name="d" errors="0" failures="0" tests="1">
  <testsuite name="d" errors="0" failures="0" tests="1">
    <testcase classname="tests/d.cpp" name="  Scenario: ring doubles" time="0" status="run"/>
  </testsuite>
</testsuites>
XML
  run "$HW" trace --results r --format json
  jq -e '[.frs[] | {(.id): .status}] | add == {"FR-A-001": "verified", "FR-A-002": "verified", "FR-A-003": "verified", "FR-A-004": "verified"}' <<<"$OUT" >/dev/null || { echo "$OUT" | jq -c "[.frs[] | {(.id): .status}], .defects"; return 1; }
  jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "test-without-result")] | length == 0' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
}

# A Catch2 or doctest test case's results join it whatever they add to
# its name: a section's or subcase's "case/section" (nested too), a
# templated case's "case - int" (Catch2) or "case<int>" (doctest); and a
# name that reads like a qualified name ("std::vector") or a parameter
# ("ratio 1/2", "index [0]") is its name whole. The sections' runs merge:
# one that failed fails the test case. The results are the frameworks'
# own (tests/fixtures/lang/results/README.md).
# Verifies: FR-TRACE-017
test_lang_catch2_and_doctest_sections_and_templates_join_their_case() {
  local res=$FIXTURES/lang/results
  for i in 1 2 3 4 5 6 7 8; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests r traceability
  printf '{"sources": ["src/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004, FR-A-005, FR-A-006, FR-A-007, FR-A-008\ninline int f() { return 1; }\n' > src/a.hpp
  for fw in catch2 doctest; do
    cp "$res/${fw}_test.cpp" tests/
    cp "$res/$fw-junit.xml" r/
    run "$HW" trace --results "r/$fw-junit.xml" --format json
    jq -e '[.frs[] | {(.id): .status}] | add == {"FR-A-001": "verified", "FR-A-002": "verified", "FR-A-003": "verified", "FR-A-004": "verified", "FR-A-005": "verified", "FR-A-006": "verified", "FR-A-007": "verified", "FR-A-008": "failing"}' <<<"$OUT" >/dev/null || { echo "$fw: $(jq -c "[.frs[] | {(.id): .status}]" <<<"$OUT")"; return 1; }
    jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "test-without-result")] | length == 0' <<<"$OUT" >/dev/null || { echo "$fw:"; jq -c '.defects' <<<"$OUT"; return 1; }
    # each section, template instance, the scenario's steps: a run
    # (Catch2 writes a section with assertions of its own and its
    # subsection each: "vector grows/push", "vector grows/push/twice")
    jq -e '[.frs[].links[] | select(.kind == "utest") | {(.function): .runs}] | add == {"\"ring pushes\"": 1, "\"typed\"": 2, "\"std::vector\"": 1, "\"ratio 1/2\"": 1, "\"index [0]\"": 1, "\"shrinks\"": 2} + (if $fw == "catch2" then {"\"Scenario: ring doubles\"": 1, "\"vector grows\"": 3} else {"\"  Scenario: ring doubles\"": 1, "\"vector grows\"": 2} end)' --arg fw "$fw" <<<"$OUT" >/dev/null || { echo "$fw:"; jq -c '[.frs[].links[] | select(.kind == "utest") | {(.function): .runs}]' <<<"$OUT"; return 1; }
    rm "tests/${fw}_test.cpp" "r/$fw-junit.xml"
  done
}

# Catch2's and doctest's other test case macros are test cases too:
# templated ones (TEMPLATE_PRODUCT_TEST_CASE's "product -
# std::vector<int>", TEMPLATE_LIST_TEST_CASE's "listed - Types - 0",
# TEMPLATE_TEST_CASE_SIG, TEST_CASE_TEMPLATE_DEFINE), those on a fixture
# (TEMPLATE_TEST_CASE_METHOD, SCENARIO_METHOD), a SCENARIO_TEMPLATE, and
# the CATCH_- and DOCTEST_-prefixed spellings; each joins the results its
# runner wrote for it (tests/fixtures/lang/results/README.md).
# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_catch2_and_doctest_other_test_case_macros_join() {
  local res=$FIXTURES/lang/results fw n
  for i in 1 2 3 4 5 6; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests r traceability
  printf '{"sources": ["src/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004, FR-A-005, FR-A-006\ninline int f() { return 1; }\n' > src/a.hpp
  for fw in catch2_more:6 catch2_prefixed:3 doctest_more:5; do
    n=${fw#*:} fw=${fw%:*}
    cp "$res/${fw}_test.cpp" tests/
    run "$HW" trace --results "$res/${fw/_/-}-junit.xml" --format json
    jq -e --argjson n "$n" '[.frs[:$n][] | .status] | unique == ["verified"]' <<<"$OUT" >/dev/null || { echo "$fw: $(jq -c "[.frs[] | {(.id): .status}]" <<<"$OUT")"; return 1; }
    jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "test-without-result" or .kind == "orphan-test")] | length == 0' <<<"$OUT" >/dev/null || { echo "$fw:"; jq -c '.defects' <<<"$OUT"; return 1; }
    rm "tests/${fw}_test.cpp"
  done
}

# doctest's TEST_SUITE("s") { ... } (nested, or DOCTEST_TEST_SUITE)
# holds its test cases as a namespace would; they are test cases as those
# at the top level are, and the test case after the blocks too.
# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_doctest_test_suite_blocks_hold_test_cases() {
  local res=$FIXTURES/lang/results
  for i in 1 2 3 4; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests traceability
  printf '{"sources": ["src/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004\ninline int f() { return 1; }\n' > src/a.hpp
  cp "$res/doctest_suite_test.cpp" tests/
  run "$HW" trace --results "$res/doctest-suite-junit.xml" --format json
  jq -e '[.frs[] | .status] | unique == ["verified"]' <<<"$OUT" >/dev/null || { jq -c "[.frs[] | {(.id): .status}]" <<<"$OUT"; return 1; }
  jq -e '[.frs[].links[] | select(.kind == "utest") | [.function, .first_line]] == [["\"ring pushes\"", 8], ["\"ring pops\"", 12], ["\"ring clears\"", 20], ["\"after the suites\"", 24]]' <<<"$OUT" >/dev/null || { jq -c "[.frs[].links[] | select(.kind == \"utest\")]" <<<"$OUT"; return 1; }
  jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "test-without-result" or .kind == "orphan-test")] | length == 0' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
}

# Catch2 test cases inside namespaces (named, anonymous, inline,
# `a::b`) are test cases as those at the top level are; a namespace left
# open is still unbalanced braces.
# Verifies: FR-TRACE-016, FR-TRACE-017
test_lang_catch2_test_cases_in_namespaces_are_found() {
  local res=$FIXTURES/lang/results
  for i in 1 2 3 4; do write_fr frs/a.md "FR-A-00$i"; done
  mkdir -p src tests traceability
  printf '{"sources": ["src/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  printf '// Implements: FR-A-001, FR-A-002, FR-A-003, FR-A-004\ninline int f() { return 1; }\n' > src/a.hpp
  cp "$res/catch2_namespace_test.cpp" tests/
  run "$HW" trace --results "$res/catch2-namespace-junit.xml" --format json
  jq -e '[.frs[] | .status] | unique == ["verified"]' <<<"$OUT" >/dev/null || { jq -c "[.frs[] | {(.id): .status}]" <<<"$OUT"; return 1; }
  jq -e '[.frs[].links[] | select(.kind == "utest") | [.function, .first_line]] == [["\"ring pushes\"", 8], ["\"ring pops\"", 12], ["\"ring clears\"", 19], ["\"ring helps\"", 26]]' <<<"$OUT" >/dev/null || { jq -c "[.frs[].links[] | select(.kind == \"utest\")]" <<<"$OUT"; return 1; }
  jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "test-without-result" or .kind == "orphan-test")] | length == 0' <<<"$OUT" >/dev/null || { jq -c '.defects' <<<"$OUT"; return 1; }
  printf '#include "catch.hpp"\nnamespace open {\nTEST_CASE("x") {}\n' > tests/open.cpp
  run "$HW" trace
  expect_err "tests/open.cpp:4: warning: unbalanced braces: 1 '{' not closed"
}

# cxxopts' own Catch2 tests: every one of its 125 results joins a test
# case of test/options.cpp (97 are sections, "Valid/Invalid Option names"
# has a '/' of its own).
# Verifies: FR-TRACE-017
test_lang_cxxopts_catch2_results_all_join() {
  local res=$FIXTURES/lang/results
  write_fr frs/a.md FR-A-001
  mkdir -p include tests traceability
  printf '{"sources": ["include/*.hpp"], "tests": ["tests/*.cpp"]}\n' > traceability/config.json
  cp "$FIXTURES/lang/real/cxxopts.hpp" include/
  cp "$res/cxxopts-options.cpp" tests/options.cpp
  run "$HW" trace --results "$res/cxxopts-catch2-junit.xml" --format json
  [ "$(grep -c '<testcase' "$res/cxxopts-catch2-junit.xml")" = 125 ] || return 1
  jq -e '[.defects[] | select(.kind == "result-without-test" or .kind == "failing-test")] | length == 0' <<<"$OUT" >/dev/null || { jq -c '[.defects[] | select(.kind == "result-without-test")] | length, .[0:3]' <<<"$OUT"; return 1; }
}

# Verifies: FR-TRACE-016
test_lang_bad_cpp_and_python_input_is_diagnosed() {
  write_fr frs/a.md FR-A-001
  mkdir -p src traceability
  printf '{"sources": ["src/**"], "tests": [], "max_file_bytes": 8388608}\n' > traceability/config.json
  # unbalanced braces; a template that does not parse; a raw string
  # holding tag-like text and braces
  printf 'namespace n {\ntemplate <typename T, > struct X<;\n// Implements: FR-A-001\nint f() { return 1; }\nconst char *r = R"d(} // Implements: FR-A-404)d";\n' > src/open.cpp
  # tabs and spaces mixed, bytes that are not UTF-8, an f-string and an
  # unterminated docstring
  printf 'def g():\n\t"""Implements: FR-A-001 \377"""\n        x = f"{1} # Implements: FR-A-405"\n\treturn x\n"""never closed\n' > src/mixed.py
  # a 5 MB generated source, a file named like an option, a symlink loop
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "// %s\nint f%d(int a) { return a + %d; }\n", (i % 1000 ? "helper" : "Implements: FR-A-001"), i, i }' > src/big.cpp
  printf '// Implements: FR-A-001\nint dash() { return 0; }\n' > src/-dash.cpp
  ln -s . src/loop
  run "$HW" trace --format json
  expect_rc 0
  expect_err "src/open.cpp:6: warning: unbalanced braces"
  expect_err "src/mixed.py:5: warning: unterminated string starting here"
  ! grep -q 'FR-A-40' <<<"$OUT$ERR" || return 1
  jq -e '[.frs[0].links[] | .function] | index("n::f") and index("src.mixed.g") and index("f99000") and index("dash")' <<<"$OUT" >/dev/null
  # the functions need no outside tool (no ctags on the PATH)
  rm -rf .hwledger
  run env PATH=/nonexistent "$HW" trace --format json
  expect_rc 0
  ! grep -q ctags <<<"$ERR" || return 1
  jq -e '[.frs[0].links[] | .function] | index("n::f") and index("src.mixed.g")' <<<"$OUT" >/dev/null
}

# Verifies: FR-TRACE-016
test_lang_python_functions_need_no_ctags() {
  write_fr frs/a.md FR-A-001
  mkdir -p src traceability
  printf '{"sources": ["src/**"], "tests": []}\n' > traceability/config.json
  printf 'class Box:\n    # Implements: FR-A-001\n    def fill(self):\n        return 1\n' > src/box.py
  run env PATH=/nonexistent "$HW" trace --format json
  expect_rc 0
  ! grep -q ctags <<<"$ERR" || return 1
  jq -e '[.frs[0].links[] | .function] == ["src.box.Box.fill"]' <<<"$OUT" >/dev/null ||
    { jq -c '.frs[0].links' <<<"$OUT"; return 1; }
}

# typing's @overload stubs are functions of the tagged one's name: no
# untraced-function; two untagged functions of one name are one defect
# Verifies: FR-TRACE-011
test_lang_python_overloads_are_not_untraced_functions() {
  write_fr frs/a.md FR-A-001
  mkdir -p src traceability
  printf '{"sources": ["src/**"], "tests": []}\n' > traceability/config.json
  printf '{"untraced_functions": {"report": true}}\n' > traceability/policy.json
  printf 'class S:\n    @overload\n    def get(self, a: int) -> int: ...\n\n    @overload\n    def get(self, a: str) -> str: ...\n\n    def get(self, a):\n        # Implements: FR-A-001\n        return a\n\n    @overload\n    def put(self, a: int) -> None: ...\n\n    def put(self, a):\n        pass\n' > src/s.py
  run "$HW" trace --no-index --format json
  expect_rc 0
  [ "$(jq -r '[.defects[] | select(.kind == "untraced-function") | "\(.line) \(.message)"] | join("|")' <<<"$OUT")" = \
    "13 src.s.S.put() implements no requirement: add an 'Implements:' tag, or allow it in the policy" ] ||
    { jq -c '.defects' <<<"$OUT"; return 1; }
}

# Verifies: FR-TRACE-016
test_lang_sarif_findings_name_qualified_functions() {
  lang_project py-project
  sarif() { # TOOL URI LINE
    printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "%s", "rules": [{"id": "R1"}]}}, "results": [{"ruleId": "R1", "level": "warning", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "%s"}, "region": {"startLine": %s}}}]}]}]}\n' "$@"
  }
  sarif Bandit ringpy/ring.py 17 > bandit.sarif
  run "$HW" sast --import bandit.sarif --format json
  jq -e '.findings[0] | .function == "ringpy.ring.Ring.push" and .frs == ["FR-PRING-001"]' <<<"$OUT" >/dev/null
  cd .. && lang_project cpp-project
  sarif cppcheck src/ring.cpp 24 > cppcheck.sarif
  run "$HW" sast --import cppcheck.sarif --format json
  jq -e '.findings[0] | .function == "ring::Ring::pop" and .frs == ["FR-CRING-001"]' <<<"$OUT" >/dev/null
}
