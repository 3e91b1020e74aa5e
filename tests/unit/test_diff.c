/*
 * test_diff.c — the parts of `hwledger diff` that the CLI tests cannot
 * reach with real signed reports: evidence that a signer wrote malformed
 * (read after verification), and the requirement model's level and
 * parents, which the trace writes only once levels exist.
 */
#include "harness.h"

#include "report/report.h"

#include <sys/stat.h>

static void evidence(const char *rel, const char *text)
{
	char path[256];

	assert_int_equal(hw_mkdir_p("r/evidence"), 0);
	snprintf(path, sizeof(path), "r/evidence/%s", rel);
	hw_test_write(path, text, strlen(text));
}

static void expect_load_error(int code, const char *msg)
{
	hw_diff_side s = {0};

	assert_int_equal(hw_diff_load(&s, "r"), code);
	if (!strstr(hw_error_last(), msg))
		fail_msg("'%s' lacks '%s'", hw_error_last(), msg);
	assert_null(s.trace);
	assert_null(s.report);
}

/* Verifies: FR-REPORT-003 */
static void test_diff_load_refuses_malformed_evidence_by_file_and_line(
	void **state)
{
	(void)state;
	evidence("report.json", "{\"schema\": \"hwledger.report/1\"}\n");
	expect_load_error(HW_ENOTFOUND, "r/evidence/trace.json: missing");
	/* truncated: the line and column of the end */
	evidence("trace.json", "{\"schema\": \"hwledger.trace/1\",\n \"frs\": [");
	expect_load_error(HW_EINVAL, "r/evidence/trace.json:2:");
	expect_load_error(HW_EINVAL, "invalid JSON");
	/* each at its line: the schema's, the bad entry's */
	evidence("trace.json", "{\n \"schema\": \"hwledger.gate/1\"}");
	expect_load_error(HW_EINVAL,
			  "r/evidence/trace.json:2: not a hwledger.trace/1 "
			  "document");
	evidence("trace.json", "[]");
	expect_load_error(HW_EINVAL,
			  "r/evidence/trace.json:1: not a hwledger.trace/1 "
			  "document");
	evidence("trace.json", "{\"schema\": \"hwledger.trace/1\", \"frs\": [\n"
			       "  {\"id\": \"A\"},\n  {\"id\": 7}]}");
	expect_load_error(HW_EINVAL, "r/evidence/trace.json:3: \"frs\": every "
				     "entry needs a string \"id\"");
	evidence("trace.json", "{\"schema\": \"hwledger.trace/1\",\n"
			       " \"defects\": {}}");
	expect_load_error(HW_EINVAL, "r/evidence/trace.json:2: \"defects\": "
				     "every entry needs a string \"id\"");
	evidence("trace.json", "{\"schema\": \"hwledger.trace/1\", \"frs\": []}");
	evidence("sast.json", "{\"schema\": \"hwledger.sast/1\", \"findings\": "
			      "[\n{\"rule\": \"x\"}]}");
	expect_load_error(HW_EINVAL, "r/evidence/sast.json:2: \"findings\": "
				     "every entry needs a string "
				     "\"fingerprint\"");
}

static void side(hw_diff_side *s, const char *trace)
{
	memset(s, 0, sizeof(*s));
	s->dir = "x";
	s->report = cJSON_Parse("{\"commit\": null}");
	s->trace = cJSON_Parse(trace);
	assert_non_null(s->trace);
}

/* Verifies: FR-REPORT-003 */
static void test_diff_compares_levels_and_parents_when_present(void **state)
{
	hw_diff_side a, b;
	cJSON *d = NULL;
	size_t reg = 9;
	char *text;

	(void)state;
	side(&a, "{\"frs\": ["
		 "{\"id\": \"FR-A-001\", \"status\": \"verified\", "
		 "\"level\": \"software\", \"parents\": [\"SYS-001\"]},"
		 "{\"id\": \"FR-A-002\", \"status\": \"verified\"},"
		 "{\"id\": \"SYS-001\", \"status\": \"verified\", "
		 "\"title\": \"Old\"}]}");
	side(&b, "{\"frs\": ["
		 "{\"id\": \"FR-A-001\", \"status\": \"verified\", "
		 "\"level\": \"unit\", \"parents\": [\"SYS-001\", \"SYS-002\"]},"
		 "{\"id\": \"FR-A-002\", \"status\": \"verified\", "
		 "\"parents\": [\"SYS-001\"]},"
		 "{\"id\": \"SYS-001\", \"status\": \"verified\", "
		 "\"title\": \"New\"}]}");
	assert_int_equal(hw_diff_build(&d, &a, &b, &reg), 0);
	assert_int_equal(reg, 0);
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(d, "relevelled"));
	assert_string_equal(text, "[{\"id\":\"FR-A-001\",\"from\":\"software\","
				  "\"to\":\"unit\"}]");
	cJSON_free(text);
	/* a parent added, and parents where there were none */
	text = cJSON_PrintUnformatted(cJSON_GetObjectItem(d, "reparented"));
	assert_string_equal(text,
			    "[{\"id\":\"FR-A-001\",\"from\":[\"SYS-001\"],"
			    "\"to\":[\"SYS-001\",\"SYS-002\"]},"
			    "{\"id\":\"FR-A-002\",\"from\":null,"
			    "\"to\":[\"SYS-001\"]}]");
	cJSON_free(text);
	/* without frs.json the titles alone are compared */
	assert_string_equal(hw_json_str(d, "words"), "title");
	assert_string_equal(
		hw_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(d,
								   "reworded"),
					       0),
			    "diff"),
		"@@ -1 +1 @@\n-Old\n+New\n");
	assert_false(cJSON_IsTrue(
		cJSON_GetObjectItem(cJSON_GetObjectItem(d, "sast"),
				    "compared")));
	cJSON_Delete(d);
	hw_diff_side_free(&a);
	hw_diff_side_free(&b);
}

/* Verifies: FR-REPORT-003 */
static void test_diff_prints_no_number_a_side_does_not_give_whole(
	void **state)
{
	hw_diff_side a, b;
	cJSON *d = NULL;
	size_t reg = 9;
	hw_buf out;

	(void)state;
	/* a signer may write any JSON: a defect without a line, a line of
	 * 1e300, counts that are no numbers (fuzz_diff: (int)NaN, which is
	 * undefined, printed INT_MIN here) */
	side(&a, "{\"frs\": [], \"summary\": {\"approved\": \"4\"}, "
		 "\"defects\": []}");
	side(&b, "{\"frs\": [], \"summary\": {\"approved\": 1e300, "
		 "\"approved_verified\": 2}, \"defects\": ["
		 "{\"id\": \"d-1\", \"file\": \"src/a.c\", \"message\": \"m\"},"
		 "{\"id\": \"d-2\", \"file\": \"src/b.c\", \"line\": 1e300, "
		 "\"message\": \"m\"},"
		 "{\"id\": \"d-3\", \"file\": \"src/c.c\", \"line\": 7, "
		 "\"message\": \"m\"}]}");
	assert_int_equal(hw_diff_build(&d, &a, &b, &reg), 0);
	hw_buf_init(&out, 0);
	assert_int_equal(hw_diff_print(&out, d, "text"), HW_OK);
	assert_non_null(strstr(out.data, "A: x, commit -, signed by  (not "
					 "trusted); -/- approved FRs verified"));
	assert_non_null(strstr(out.data, "; 2/- approved FRs verified"));
	assert_non_null(strstr(out.data, "  new: d-1: src/a.c:-: m\n"));
	assert_non_null(strstr(out.data, "  new: d-2: src/b.c:-: m\n"));
	assert_non_null(strstr(out.data, "  new: d-3: src/c.c:7: m\n"));
	hw_buf_clear(&out);
	assert_int_equal(hw_diff_print(&out, d, "md"), HW_OK);
	assert_non_null(strstr(out.data, "| -/- | 2/- |"));
	assert_non_null(strstr(out.data, "`src/a.c:-`"));
	assert_non_null(strstr(out.data, "`src/c.c:7`"));
	hw_buf_free(&out);
	cJSON_Delete(d);
	hw_diff_side_free(&a);
	hw_diff_side_free(&b);
}

/* Verifies: FR-REPORT-003 */
static void test_diff_prints_no_line_or_markup_a_side_writes(void **state)
{
	hw_diff_side a, b;
	cJSON *d = NULL;
	size_t reg = 9;
	hw_buf out;

	(void)state;
	/* a signer's newlines, escapes, backticks and pipes: none may add a
	 * line ("regressions (0):", a heading) or end a code span or cell */
	side(&a, "{\"frs\": [], \"defects\": []}");
	side(&b, "{\"frs\": [{\"id\": \"FR-`x|\", \"status\": \"new\", "
		 "\"title\": \"T\\nregressions (0):\\u001b[2J\"}], "
		 "\"defects\": [{\"id\": \"d-1\", \"kind\": \"k\\n# K\", "
		 "\"file\": \"a`|.c\", \"line\": 1, "
		 "\"message\": \"m\\n\\n## forged\"}]}");
	cJSON_Delete(b.report);
	b.report = cJSON_Parse("{\"commit\": \"ab`|\\ncd\"}");
	assert_int_equal(hw_diff_build(&d, &a, &b, &reg), 0);
	hw_buf_init(&out, 0);
	assert_int_equal(hw_diff_print(&out, d, "text"), HW_OK);
	assert_non_null(strstr(out.data, "  FR-`x|: T regressions (0): [2J "
					 "(new)\n"));
	assert_non_null(strstr(out.data, "  new: d-1: a`|.c:1: m  ## forged\n"));
	/* the one line of regressions is the diff's own */
	assert_non_null(strstr(out.data, "\nregressions (0):"));
	assert_null(strstr(strstr(out.data, "\nregressions (0):") + 1,
			   "\nregressions ("));
	assert_null(strchr(out.data, '\x1b'));
	hw_buf_clear(&out);
	assert_int_equal(hw_diff_print(&out, d, "md"), HW_OK);
	assert_null(strstr(out.data, "\n## forged"));
	assert_null(strstr(out.data, "\n# K"));
	assert_non_null(strstr(out.data, "| commit | `-` | `ab'\\| cd` |\n"));
	assert_non_null(strstr(out.data, "- k \\# K `a'\\|.c:1`: m  \\#\\# "
					 "forged\n"));
	hw_buf_free(&out);
	cJSON_Delete(d);
	hw_diff_side_free(&a);
	hw_diff_side_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		hw_tmp_test(
			test_diff_load_refuses_malformed_evidence_by_file_and_line),
		cmocka_unit_test(
			test_diff_compares_levels_and_parents_when_present),
		cmocka_unit_test(
			test_diff_prints_no_number_a_side_does_not_give_whole),
		cmocka_unit_test(
			test_diff_prints_no_line_or_markup_a_side_writes),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
