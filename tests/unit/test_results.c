/*
 * test_results.c — importing test results: TAP 14 and JUnit/cmocka XML,
 * including the broken and hostile ones.
 */
#include "harness.h"

#include "trace/trace.h"

typedef struct imported {
	hw_results r;
	hw_diags d;
} imported;

static void tap(imported *x, const char *text)
{
	hw_results_init(&x->r);
	hw_diags_init(&x->d);
	assert_int_equal(hw_tap_parse(&x->r, &x->d, "r.tap", text, strlen(text)),
			 HW_OK);
}

static void junit(imported *x, const char *text)
{
	hw_results_init(&x->r);
	hw_diags_init(&x->d);
	assert_int_equal(
		hw_junit_parse(&x->r, &x->d, "r.xml", text, strlen(text)),
		HW_OK);
}

static void done(imported *x)
{
	hw_results_free(&x->r);
	hw_diags_free(&x->d);
}

/* Verifies: FR-TRACE-002 */
static void test_tap_reads_points_directives_subtests_and_yaml(void **state)
{
	imported x;

	(void)state;
	tap(&x, "TAP version 14\n"
		"1..5\n"
		"ok 1 - test_alpha\n"
		"not ok 2 - test_beta\n"
		"  ---\n"
		"  message: boom\n"
		"  ...\n"
		"ok 3 - test_gamma # SKIP no GPU\n"
		"    # Subtest: group\n"
		"    ok 1 - test_inner\n"
		"    1..1\n"
		"ok 4 - group\n"
		"not ok 5 test_delta # TODO later\n"
		"# a comment\n"
		"garbage that is not TAP\n");
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.r.n, 6);
	assert_string_equal(x.r.items[0].name, "test_alpha");
	assert_int_equal(x.r.items[0].outcome, HW_OUTCOME_PASS);
	assert_string_equal(x.r.items[1].name, "test_beta");
	assert_int_equal(x.r.items[1].outcome, HW_OUTCOME_FAIL);
	assert_non_null(strstr(x.r.items[1].message, "message: boom"));
	assert_int_equal(x.r.items[2].outcome, HW_OUTCOME_SKIP);
	assert_string_equal(x.r.items[2].name, "test_gamma");
	assert_string_equal(x.r.items[3].name, "test_inner");
	assert_string_equal(x.r.items[3].suite, "subtest");
	assert_string_equal(x.r.items[5].name, "test_delta");
	assert_int_equal(x.r.items[5].outcome, HW_OUTCOME_TODO);
	assert_int_equal(x.r.items[5].line, 13);
	done(&x);
}

/* A test's own output in the TAP stream, unprefixed (a shell harness
 * that lets it through), may hold an indented "---" (a YAML document, a
 * rule in text): it was taken for the start of a YAML block, and every
 * line up to a "..." was swallowed, test points included ("plan says 3
 * tests but 1 ran"). TAP 14: a YAML block immediately follows its test
 * point. */
/* Verifies: FR-TRACE-002 */
static void test_tap_yaml_block_only_right_after_a_test_point(void **state)
{
	imported x;

	(void)state;
	tap(&x, "1..3\n"
		"ok 1 - test_a\n"
		"config dump:\n"
		"  ---\n"
		"not ok 2 - test_b\n"
		"  ---\n"
		"  message: boom\n"
		"  ...\n"
		"ok 3 - test_c\n");
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.r.n, 3);
	assert_string_equal(x.r.items[1].name, "test_b");
	assert_int_equal(x.r.items[1].outcome, HW_OUTCOME_FAIL);
	assert_non_null(strstr(x.r.items[1].message, "message: boom"));
	assert_string_equal(x.r.items[2].name, "test_c");
	done(&x);
}

/* The `#` lines right after a failing test point are why it failed
 * (libuv's runner: "# exit code 6", "# Assertion failed in ... on line
 * 42"); they were dropped, and the failure had no message. A passing
 * test's, a later one's and a "# Subtest" line are no failure's. */
/* Verifies: FR-TRACE-002 */
static void test_tap_keeps_a_failures_diagnostics_as_its_message(
	void **state)
{
	imported x;

	(void)state;
	tap(&x, "1..4\n"
		"ok 1 - quiet\n"
		"# a note of a pass\n"
		"not ok 2 - tcp_connect_timeout\n"
		"# exit code 6\n"
		"#Assertion failed on line 42\r\n"
		"ok 3 - after\n"
		"# not the failure's\n"
		"not ok 4 - parent\n"
		"# Subtest: next\n");
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.r.n, 4);
	assert_null(x.r.items[0].message);
	assert_string_equal(x.r.items[1].message,
			    "exit code 6\nAssertion failed on line 42\n");
	assert_null(x.r.items[2].message);
	assert_null(x.r.items[3].message);
	done(&x);
}

/* Verifies: FR-TRACE-002 */
static void test_tap_reports_bad_plans_and_bail_outs(void **state)
{
	imported x;

	(void)state;
	tap(&x, "1..x\nok 1 - a\n");
	assert_int_equal(x.d.errors, 2);
	assert_non_null(strstr(x.d.items[0].message, "malformed plan '1..x'"));
	assert_int_equal(x.d.items[0].line, 1);
	assert_non_null(strstr(x.d.items[1].message, "no plan"));
	done(&x);

	tap(&x, "1..3\nok 1 - a\nok 2 - b\n");
	assert_int_equal(x.d.errors, 1);
	assert_string_equal(x.d.items[0].message, "plan says 3 tests but 2 ran");
	done(&x);

	/* results without a plan: a run cut short */
	tap(&x, "ok 1 - a\nok 2 - b\n");
	assert_int_equal(x.d.errors, 1);
	assert_string_equal(x.d.items[0].message,
			    "no plan (1..N): the run may have stopped early");
	assert_int_equal(x.d.items[0].line, 2);
	done(&x);

	/* a test program's own output (libyaml's test-reader, written to
	 * build/test-results/test-reader.txt): no run that stopped early */
	tap(&x, "checking boms...\n\tno bom (utf-8): +\n"
		"checking boms: 0 fail(s)\n");
	assert_int_equal(x.r.n, 0);
	assert_int_equal(x.d.errors, 1);
	assert_string_equal(x.d.items[0].message,
			    "no plan (1..N) and no test line: not TAP, JUnit "
			    "XML, cmocka XML or Unity's output, the test "
			    "reports hwledger reads");
	assert_int_equal(x.d.items[0].line, 1);
	done(&x);

	tap(&x, "1..2\nok 1 - a\nBail out! database gone\nok 2 - b\n");
	assert_int_equal(x.r.n, 1);
	assert_int_equal(x.d.errors >= 1, 1);
	assert_non_null(strstr(x.d.items[0].message, "bailed out: database gone"));
	assert_int_equal(x.d.items[0].line, 3);
	done(&x);

	tap(&x, "1..1\nok 1 - a\n1..1\n");
	assert_non_null(strstr(x.d.items[0].message, "a second plan"));
	done(&x);

	/* pytest killed before it wrote its --junitxml: not "TAP" */
	tap(&x, "");
	assert_non_null(strstr(x.d.items[0].message, "empty file: no TAP, "
						     "JUnit XML"));
	done(&x);

	/* issue #23: a number over 999999999 was clamped silently */
	tap(&x, "1..2\nok 1 - a\nok 12345678901 - b\n");
	assert_int_equal(x.d.errors, 1);
	assert_string_equal(x.d.items[0].message, "test number over 999999999");
	assert_int_equal(x.d.items[0].line, 3);
	done(&x);
	tap(&x, "1..1\nok 999999999 - a\n");
	assert_int_equal(x.d.errors, 0);
	done(&x);

	hw_results_init(&x.r);
	hw_diags_init(&x.d);
	assert_int_equal(hw_tap_parse(&x.r, &x.d, "b.tap", "1..1\nok 1 - a\0b\n",
				      16),
			 HW_OK);
	assert_int_equal(x.r.n, 0);
	assert_non_null(strstr(x.d.items[0].message, "NUL byte"));
	assert_int_equal(x.d.items[0].line, 2);
	done(&x);
}

/* Verifies: FR-TRACE-002 */
static void test_junit_reads_cmocka_and_generic_reports(void **state)
{
	imported x;

	(void)state;
	junit(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
		  "<testsuites>\n"
		  "  <testsuite name=\"util\" tests=\"3\" failures=\"1\">\n"
		  "    <testcase name=\"test_a\" time=\"0.0\"></testcase>\n"
		  "    <testcase name=\"test_b\" classname=\"c\">\n"
		  "      <failure><![CDATA[x != y\nline 3]]></failure>\n"
		  "    </testcase>\n"
		  "    <testcase name=\"test_c\"><skipped/></testcase>\n"
		  "    <testcase name=\"test_d\"><error message=\"crash\"/>"
		  "</testcase>\n"
		  "  </testsuite>\n"
		  "</testsuites>\n");
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.r.n, 4);
	assert_string_equal(x.r.items[0].name, "test_a");
	assert_string_equal(x.r.items[0].suite, "util");
	assert_int_equal(x.r.items[0].outcome, HW_OUTCOME_PASS);
	assert_int_equal(x.r.items[1].outcome, HW_OUTCOME_FAIL);
	assert_string_equal(x.r.items[1].suite, "c");
	assert_string_equal(x.r.items[1].message, "x != y\nline 3");
	assert_int_equal(x.r.items[2].outcome, HW_OUTCOME_SKIP);
	assert_int_equal(x.r.items[3].outcome, HW_OUTCOME_FAIL);
	assert_string_equal(x.r.items[3].message, "crash");
	assert_int_equal(x.r.items[1].line, 5);
	done(&x);
}

/* Verifies: FR-TRACE-002 */
static void test_junit_refuses_entity_bombs_and_broken_xml(void **state)
{
	imported x;

	(void)state;
	junit(&x, "<?xml version=\"1.0\"?>\n"
		  "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		  "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n"
		  "<testsuites><testcase name=\"&lol2;\"/></testsuites>\n");
	assert_int_equal(x.r.n, 0);
	assert_int_equal(x.d.errors, 1);
	assert_non_null(strstr(x.d.items[0].message, "DOCTYPE refused"));
	assert_int_equal(x.d.items[0].line, 2);
	done(&x);

	junit(&x, "<testsuites><testcase name=\"a\"></testsuites>");
	assert_int_equal(x.r.n, 0); /* a broken report is not evidence */
	assert_non_null(strstr(x.d.items[0].message, "malformed XML: mismatched tag"));
	done(&x);

	junit(&x, "<testsuites><testsuite><testcase name=\"a\"/>");
	assert_int_equal(x.r.n, 0);
	assert_non_null(strstr(x.d.items[0].message, "malformed XML"));
	done(&x);

	junit(&x, "<testsuites><testcase/></testsuites>");
	assert_non_null(strstr(x.d.items[0].message, "testcase without a name"));
	done(&x);
}

/* Verifies: FR-TRACE-002 */
static void test_results_load_detects_the_format(void **state)
{
	imported x;
	const char *xml = "\xEF\xBB\xBF  <testsuite><testcase name=\"t1\"/>"
			  "</testsuite>";
	const char *tapt = "1..1\nok 1 - t2\n";

	(void)state;
	hw_results_init(&x.r);
	hw_diags_init(&x.d);
	hw_test_write("a.xml", xml, strlen(xml));
	hw_test_write("b.tap", tapt, strlen(tapt));
	assert_int_equal(hw_results_load(&x.r, &x.d, "a.xml", 1000), HW_OK);
	assert_int_equal(hw_results_load(&x.r, &x.d, "b.tap", 1000), HW_OK);
	assert_int_equal(hw_results_load(&x.r, &x.d, "missing", 1000), HW_OK);
	assert_int_equal(x.r.n, 2);
	assert_string_equal(x.r.items[0].name, "t1");
	assert_string_equal(x.r.items[1].name, "t2");
	assert_int_equal(x.d.errors, 1);
	assert_string_equal(x.d.items[0].message, "missing: no such file");
	assert_int_equal(x.r.files, 2);
	done(&x);
}

/* TAP with its plan at the end (Perl's done_testing, a shell harness
 * that counts as it goes) begins with a test point, and a harness that
 * runs Unity executables prints their output as "# " diagnostics: such a
 * file was read as Unity's output and refused ("no summary line").
 * A file whose first line that is not blank or a "#" comment is a TAP
 * version, plan or test point is TAP. */
/* Verifies: FR-TRACE-002 */
static void test_results_load_reads_tap_with_unity_lines_in_comments(void **state)
{
	imported x;
	const char *end = "ok 1 - test_a\nnot ok 2 - test_b\n"
			  "# tests/t.c:4:test_b:FAIL: Expected 1 Was 0\n"
			  "1..2\n";
	const char *comment = "\n# seed 7\n1..1\n# tests/t.c:3:test_a:PASS\n"
			      "ok 1 - test_a\n";

	(void)state;
	hw_results_init(&x.r);
	hw_diags_init(&x.d);
	hw_test_write("end.txt", end, strlen(end));
	hw_test_write("comment.txt", comment, strlen(comment));
	assert_int_equal(hw_results_load(&x.r, &x.d, "end.txt", 1000), HW_OK);
	assert_int_equal(hw_results_load(&x.r, &x.d, "comment.txt", 1000),
			 HW_OK);
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.r.n, 3);
	assert_string_equal(x.r.items[1].name, "test_b");
	assert_int_equal(x.r.items[1].outcome, HW_OUTCOME_FAIL);
	assert_null(x.r.items[1].suite); /* TAP's, not Unity's FILE */
	assert_string_equal(x.r.items[2].name, "test_a");
	assert_int_equal(x.r.items[2].line, 5);
	done(&x);
}

/* The Unity fixture's folder (the other tests leave the working folder). */
static char unity_dir[4096];

/* Verifies: FR-TRACE-002 */
static void test_unity_output_is_read_with_its_file(void **state)
{
	/* Unity's own output, in colour, and through ctest: its JUnit names
	 * the executable, whose output (system-out) holds the tests, and
	 * --verbose puts "1: " before each line */
	static const char *const runs[] = {
		"results/test_stack.txt", "color/test_stack.txt",
		"ctest/junit.xml", "ctest/verbose.txt"};
	imported x;
	char path[4200];

	(void)state;
	for (size_t k = 0; k < 4; k++) {
		hw_results_init(&x.r);
		hw_diags_init(&x.d);
		/* real Unity output (the fixture's README says how it was made) */
		snprintf(path, sizeof(path), "%s/%s", unity_dir, runs[k]);
		assert_int_equal(hw_results_load(&x.r, &x.d, path, 1 << 20),
				 HW_OK);
		assert_int_equal(x.d.n, 0);
		assert_int_equal(x.r.n, 4);
		assert_string_equal(x.r.items[0].name,
				    "test_push_then_pop_returns_the_value");
		assert_true(hw_str_endswith(x.r.items[0].suite,
					    "tests/test_stack.c"));
		assert_int_equal(x.r.items[0].outcome, HW_OUTCOME_PASS);
		assert_int_equal(x.r.items[0].line,
				 k == 2 ? 13 : k == 3 ? 16 : 1);
		assert_string_equal(x.r.items[1].name,
				    "test_push_on_a_full_stack_fails");
		assert_int_equal(x.r.items[1].outcome, HW_OUTCOME_FAIL);
		assert_non_null(strstr(x.r.items[1].message,
				       "Expected -1 Was 0"));
		assert_int_equal(x.r.items[2].outcome, HW_OUTCOME_SKIP);
		assert_string_equal(x.r.items[3].name,
				    "pop_should_fail_on_an_empty_stack");
		assert_int_equal(x.r.items[3].outcome, HW_OUTCOME_PASS);
		done(&x);
	}
}

/* Verifies: FR-TRACE-002 */
static void test_unity_output_cut_short_or_miscounted_is_an_error(void **state)
{
	hw_buf b;
	imported x;
	char *cut, path[4200];

	(void)state;
	hw_buf_init(&b, 0);
	snprintf(path, sizeof(path), "%s/results/test_stack.txt", unity_dir);
	assert_int_equal(hw_file_read(&b, path, 1 << 20), HW_OK);
	/* the run stopped after its second test: no summary */
	cut = strstr(b.data, "tests/test_stack.c:38:");
	assert_non_null(cut);
	hw_results_init(&x.r);
	hw_diags_init(&x.d);
	assert_int_equal(hw_unity_parse(&x.r, &x.d, "u.txt", b.data,
					(size_t)(cut - b.data)),
			 HW_OK);
	assert_int_equal(x.d.errors, 1);
	assert_int_equal(x.d.items[0].line, 2);
	assert_non_null(strstr(x.d.items[0].message, "no summary line"));
	done(&x);
	/* one result line lost: the summary no longer agrees */
	cut = strstr(b.data, ":55:");
	memcpy(cut, " 55 ", 4);
	hw_results_init(&x.r);
	hw_diags_init(&x.d);
	assert_int_equal(hw_unity_parse(&x.r, &x.d, "u.txt", b.data, b.len),
			 HW_OK);
	assert_int_equal(x.d.errors, 1);
	assert_int_equal(x.d.items[0].line, 7);
	assert_non_null(strstr(x.d.items[0].message,
			       "the summary says 4 tests"));
	done(&x);
	hw_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_tap_reads_points_directives_subtests_and_yaml),
		cmocka_unit_test(
			test_tap_keeps_a_failures_diagnostics_as_its_message),
		cmocka_unit_test(test_tap_reports_bad_plans_and_bail_outs),
		cmocka_unit_test(test_junit_reads_cmocka_and_generic_reports),
		cmocka_unit_test(test_junit_refuses_entity_bombs_and_broken_xml),
		hw_tmp_test(test_results_load_detects_the_format),
		cmocka_unit_test(test_unity_output_is_read_with_its_file),
		cmocka_unit_test(test_tap_yaml_block_only_right_after_a_test_point),
		cmocka_unit_test(
			test_results_load_reads_tap_with_unity_lines_in_comments),
		cmocka_unit_test(test_unity_output_cut_short_or_miscounted_is_an_error),
	};

	if (!getcwd(unity_dir, sizeof(unity_dir) - 40))
		return 1;
	strcat(unity_dir, "/tests/fixtures/trace/unity");
	return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
