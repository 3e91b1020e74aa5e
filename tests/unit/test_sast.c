/*
 * test_sast.c — the four importers on real-shaped and broken reports, the
 * resolver (enclosing function, FRs, fingerprints that survive line moves,
 * inline suppressions, groups, paths outside the repository, vanished
 * files), the baseline round trip and the SARIF writer's structure.
 */
#include "harness.h"

#include "sast/sast.h"

#include <cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char *demo_c =
	"#include <string.h>\n"                       /* 1 */
	"\n"                                          /* 2 */
	"/* Implements: FR-DEMO-001 */\n"             /* 3 */
	"int copy_name(char *dst, const char *src)\n" /* 4 */
	"{\n"                                         /* 5 */
	"\tstrcpy(dst, src);\n"                       /* 6 */
	"\treturn 0;\n"                               /* 7 */
	"}\n"                                         /* 8 */
	"\n"                                          /* 9 */
	"static int helper(int x)\n"                  /* 10 */
	"{\n"                                         /* 11 */
	"\t/* hwledger-sast-ignore zerodiv: the fixture divides on purpose */\n"
	"\treturn x / 0;\n"                           /* 13 */
	"}\n";                                        /* 14 */

static const char *cppcheck_xml =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<results version=\"2\"><cppcheck version=\"2.10\"/><errors>\n"
	"<error id=\"bufferAccessOutOfBounds\" severity=\"error\" msg=\"Buffer "
	"out of bounds\" verbose=\"long\\012text\" cwe=\"120\" file0=\"demo.c\">"
	"<location file=\"demo.c\" line=\"6\" column=\"2\" info=\"here\"/>"
	"<location file=\"demo.c\" line=\"4\" column=\"30\" info=\"declared\"/>"
	"</error>\n"
	"<error id=\"zerodiv\" severity=\"error\" msg=\"Division by zero.\" "
	"cwe=\"369\"><location file=\"demo.c\" line=\"13\" column=\"11\"/>"
	"</error>\n"
	"<error id=\"missingIncludeSystem\" severity=\"information\" "
	"msg=\"Include file not found.\"/>\n"
	"</errors></results>\n";

static const char *tidy_txt =
	"demo.c:6:2: warning: Call to function 'strcpy' is insecure "
	"[clang-analyzer-security.insecureAPI.strcpy]\n"
	"        strcpy(dst, src);\n"
	"        ^~~~~~\n"
	"demo.c:6:2: note: Call to function 'strcpy' is insecure\n"
	"1 warning generated.\n";

static const char *sarif_json =
	"{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":"
	"\"Flawfinder\",\"rules\":[{\"id\":\"FF1004\",\"shortDescription\":{"
	"\"text\":\"strcpy (CWE-120)\"}}]}},\"results\":[{\"ruleId\":\"FF1004\","
	"\"level\":\"error\",\"message\":{\"text\":\"buffer/strcpy: Does not "
	"check for buffer overflows\"},\"locations\":[{\"physicalLocation\":{"
	"\"artifactLocation\":{\"uri\":\"./demo.c\"},\"region\":{\"startLine\":6,"
	"\"startColumn\":2}}}]}]}]}";

static const char *gcc_json =
	"[{\"kind\":\"warning\",\"message\":\"leak of 'p'\",\"option\":"
	"\"-Wanalyzer-malloc-leak\",\"metadata\":{\"cwe\":401},\"locations\":[{"
	"\"caret\":{\"file\":\"demo.c\",\"line\":7,\"column\":9}}],\"path\":[{"
	"\"location\":{\"file\":\"demo.c\",\"line\":6,\"column\":2},"
	"\"description\":\"allocated here\"}]}]";

static int import(hw_findings *f, hw_diags *d, const char *text)
{
	return hw_sast_import_text(f, d, "report", text, strlen(text));
}

static const hw_finding *find_rule(const hw_findings *f, const char *rule)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].rule, rule))
			return &f->items[i];
	fail_msg("no finding of rule %s", rule);
	return NULL;
}

/* Verifies: FR-SAST-001, FR-SAST-002 */
static void test_four_formats_import_into_one_shape(void **state)
{
	hw_findings f = {0};
	hw_diags d;
	const hw_finding *x;

	(void)state;
	hw_diags_init(&d);
	assert_int_equal(import(&f, &d, cppcheck_xml), HW_OK);
	assert_int_equal(import(&f, &d, tidy_txt), HW_OK);
	assert_int_equal(import(&f, &d, sarif_json), HW_OK);
	assert_int_equal(import(&f, &d, gcc_json), HW_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(f.n, 6);

	x = find_rule(&f, "bufferAccessOutOfBounds");
	assert_string_equal(x->tool, "cppcheck");
	assert_int_equal(x->severity, HW_SEV_ERROR);
	assert_int_equal(x->cwe, 120);
	assert_int_equal(x->line, 6);
	assert_int_equal(x->col, 2);
	assert_string_equal(x->message, "Buffer out of bounds");
	assert_non_null(strstr(x->notes, "long\ntext")); /* \012 decoded */
	/* written defect first: the path runs the other way */
	assert_int_equal(x->nsteps, 2);
	assert_string_equal(x->steps[0].message, "declared");
	assert_int_equal(x->steps[0].line, 4);
	assert_string_equal(x->steps[1].message, "here");
	assert_int_equal(x->steps[1].col, 2);
	assert_null(strstr(x->notes, "declared"));
	x = find_rule(&f, "missingIncludeSystem");
	assert_int_equal(x->severity, HW_SEV_NOTE);
	assert_string_equal(x->tool_level, "information");
	assert_string_equal(x->file, "");

	x = find_rule(&f, "clang-analyzer-security.insecureAPI.strcpy");
	assert_string_equal(x->tool, "clang-tidy");
	assert_int_equal(x->severity, HW_SEV_WARNING);
	assert_int_equal(x->line, 6);
	/* its one note says the warning again: no path */
	assert_int_equal(x->nsteps, 0);
	assert_int_equal(x->nrelated, 0);

	x = find_rule(&f, "FF1004");
	assert_string_equal(x->tool, "Flawfinder");
	assert_int_equal(x->cwe, 120); /* from the rule's description */
	assert_string_equal(x->tool_level, "error");

	x = find_rule(&f, "analyzer-malloc-leak");
	assert_string_equal(x->tool, "gcc");
	assert_int_equal(x->cwe, 401);
	assert_int_equal(x->line, 7);
	assert_int_equal(x->nsteps, 1);
	assert_string_equal(x->steps[0].message, "allocated here");
	assert_int_equal(x->steps[0].line, 6);
	hw_findings_free(&f);
	hw_diags_free(&d);
}

static const hw_finding *find_tool_rule(const hw_findings *f,
					 const char *tool, const char *rule)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].tool, tool) &&
		    !strcmp(f->items[i].rule, rule))
			return &f->items[i];
	fail_msg("no finding of %s/%s", tool, rule);
	return NULL;
}

static void assert_step(const hw_sast_step *s, const char *file, long line,
			long col, const char *message)
{
	assert_string_equal(s->file, file);
	assert_int_equal(s->line, line);
	assert_int_equal(s->col, col);
	assert_string_equal(s->message, message);
}

/*
 * The real outputs of gcc 12, clang-tidy 14 and cppcheck 2.10 on
 * tests/fixtures/sast/nullpath.c (README-paths.md): each tool's path to
 * the NULL dereference on line 18 passes line 16, where q became NULL, in
 * order; a note that is not a path is a related location; the places go
 * through the same normalisation as the finding's own file.
 */
/* Verifies: FR-SAST-001, FR-SAST-002 */
static void test_real_analyzer_paths_become_ordered_steps(void **state)
{
	static const char *reports[] = {"gcc-path.json", "clang-tidy-path.txt",
					"cppcheck-path.xml"};
	char root[PATH_MAX];
	hw_findings f = {0};
	hw_diags d;
	const hw_finding *x;

	(void)state;
	hw_diags_init(&d);
	for (size_t i = 0; i < 3; i++) {
		char path[128];

		snprintf(path, sizeof(path), "tests/fixtures/sast/%s",
			 reports[i]);
		assert_int_equal(hw_sast_import(&f, &d, path), HW_OK);
	}
	assert_int_equal(d.errors, 0);
	assert_non_null(realpath("tests/fixtures/sast", root));
	assert_int_equal(hw_sast_resolve(&f, &d, root), HW_OK);

	x = find_tool_rule(&f, "gcc", "analyzer-null-dereference");
	assert_int_equal(x->line, 18);
	assert_int_equal(x->nsteps, 4);
	assert_int_equal(x->nrelated, 0);
	assert_step(&x->steps[0], "nullpath.c", 15, 12,
		    "following \u2018true\u2019 branch (when \u2018flag != "
		    "0\u2019)...");
	assert_step(&x->steps[1], "nullpath.c", 16, 19, "...to here");
	assert_step(&x->steps[2], "nullpath.c", 16, 19,
		    "\u2018q\u2019 is NULL");
	assert_step(&x->steps[3], "nullpath.c", 18, 16,
		    "dereference of NULL \u2018q\u2019");

	/* clang-tidy ran in /tmp/sast-fixture: outside, by name only */
	x = find_tool_rule(&f, "clang-tidy",
			   "clang-analyzer-core.NullDereference");
	assert_string_equal(x->file, "<outside>/nullpath.c");
	assert_int_equal(x->nsteps, 4);
	assert_step(&x->steps[0], "<outside>/nullpath.c", 15, 6,
		    "Assuming 'flag' is not equal to 0");
	assert_step(&x->steps[1], "<outside>/nullpath.c", 15, 2,
		    "Taking true branch");
	assert_step(&x->steps[2], "<outside>/nullpath.c", 16, 3,
		    "Null pointer value stored to 'q'");
	assert_step(&x->steps[3], "<outside>/nullpath.c", 18, 9,
		    "Dereference of null pointer (loaded from variable 'q')");
	x = find_tool_rule(&f, "clang-tidy", "bugprone-branch-clone");
	assert_int_equal(x->nsteps, 0);
	assert_int_equal(x->nrelated, 1);
	assert_step(&x->related[0], "<outside>/nullpath.c", 35, 2,
		    "else branch starts here");

	x = find_tool_rule(&f, "cppcheck", "nullPointer");
	assert_int_equal(x->line, 18);
	assert_int_equal(x->nsteps, 2);
	assert_step(&x->steps[0], "nullpath.c", 16, 7,
		    "Assignment 'q=NULL', assigned value is 0");
	assert_step(&x->steps[1], "nullpath.c", 18, 10,
		    "Null pointer dereference");
	hw_findings_free(&f);
	hw_diags_free(&d);
}

/* Verifies: FR-SAST-001 */
static void test_broken_reports_are_errors_with_a_place(void **state)
{
	static const char *bad[] = {
		/* truncated XML */
		"<?xml version=\"1.0\"?>\n<results version=\"2\"><errors>\n"
		"<error id=\"x\" severity=\"error\" msg=\"m\">",
		/* an entity bomb */
		"<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"aaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n<results>&b;</results>",
		/* truncated SARIF */
		"{\"version\":\"2.1.0\",\"runs\":[{\"tool\":",
		/* JSON of the wrong shape */
		"{\"hello\": 1}",
		/* SARIF whose runs is not an array */
		"{\"runs\": 3}",
		/* gcc JSON whose entries are not objects */
		"[1, 2]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hw_findings f = {0};
		hw_diags d;
		int err;

		hw_diags_init(&d);
		err = import(&f, &d, bad[i]);
		if (!err)
			assert_true(d.errors > 0);
		else
			assert_non_null(strstr(hw_error_last(), "report:"));
		if (d.n)
			assert_true((d.items[0].file &&
				     !strcmp(d.items[0].file, "report")) ||
				    strstr(d.items[0].message, "report:"));
		hw_findings_free(&f);
		hw_diags_free(&d);
	}
}

/* Verifies: FR-SAST-001 */
static void test_clang_tidy_noise_is_reported_not_dropped(void **state)
{
	static const char *text =
		"Error while processing /x/y.c.\n"
		"demo.c:3:1: error: unknown type name 'foo' [clang-diagnostic-error]\n"
		"demo.c:nope: warning: broken line [rule]\n";
	hw_findings f = {0};
	hw_diags d;

	(void)state;
	hw_diags_init(&d);
	assert_int_equal(import(&f, &d, text), HW_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].rule, "clang-diagnostic-error");
	assert_int_equal(f.items[0].severity, HW_SEV_ERROR);
	assert_true(d.warnings >= 1); /* the lines it could not read */
	hw_findings_free(&f);
	hw_diags_free(&d);
}

static void resolve_demo(hw_findings *f, hw_diags *d, const char *root)
{
	hw_diags_init(d);
	assert_int_equal(import(f, d, cppcheck_xml), HW_OK);
	assert_int_equal(import(f, d, tidy_txt), HW_OK);
	assert_int_equal(import(f, d, sarif_json), HW_OK);
	assert_int_equal(hw_sast_resolve(f, d, root), HW_OK);
}

/* Verifies: FR-SAST-002, FR-SAST-003 */
static void test_resolve_functions_frs_suppressions_and_groups(void **state)
{
	hw_findings f = {0};
	hw_diags d;
	const hw_finding *x, *y, *z;

	hw_test_write("demo.c", demo_c, strlen(demo_c));
	resolve_demo(&f, &d, *state);
	assert_int_equal(d.errors, 0);

	x = find_rule(&f, "bufferAccessOutOfBounds");
	assert_string_equal(x->function, "copy_name");
	assert_non_null(x->frs);
	assert_string_equal(x->frs[0], "FR-DEMO-001");
	assert_null(x->frs[1]);
	assert_int_equal(strlen(x->fingerprint), 32);

	/* three tools on line 6: one defect, led by the most severe */
	y = find_rule(&f, "clang-analyzer-security.insecureAPI.strcpy");
	z = find_rule(&f, "FF1004");
	assert_int_equal(y->group, z->group);
	assert_int_equal(x->group, z->group);
	assert_int_equal(f.items[x->group].severity, HW_SEV_ERROR);
	assert_string_equal(z->file, "demo.c"); /* "./demo.c" made relative */

	x = find_rule(&f, "zerodiv");
	assert_string_equal(x->function, "helper");
	assert_null(x->frs);
	assert_true(x->suppressed);
	assert_string_equal(x->suppress_reason,
			    "the fixture divides on purpose");
	/* errors open: the buffer group only; the include note never counts */
	assert_int_equal(hw_sast_new_count(&f), 1);
	hw_findings_free(&f);
	hw_diags_free(&d);
}

/* Verifies: FR-SAST-002 */
static void test_fingerprint_survives_unrelated_line_moves(void **state)
{
	hw_findings a = {0}, b = {0};
	hw_diags d;
	char fp[33], moved[2048];
	static const char *moved_xml =
		"<results version=\"2\"><errors><error id=\"bufferAccessOutOfBounds"
		"\" severity=\"error\" msg=\"m\"><location file=\"demo.c\" "
		"line=\"9\"/></error></errors></results>";

	hw_test_write("demo.c", demo_c, strlen(demo_c));
	resolve_demo(&a, &d, *state);
	hw_diags_free(&d);
	snprintf(fp, sizeof(fp), "%s",
		 find_rule(&a, "bufferAccessOutOfBounds")->fingerprint);

	/* three lines added above and the line re-indented */
	snprintf(moved, sizeof(moved), "// one\n// two\n// three\n%s", demo_c);
	*strstr(moved, "\tstrcpy") = ' ';
	hw_test_write("demo.c", moved, strlen(moved));
	hw_diags_init(&d);
	assert_int_equal(import(&b, &d, moved_xml), HW_OK);
	assert_int_equal(hw_sast_resolve(&b, &d, *state), HW_OK);
	assert_string_equal(b.items[0].fingerprint, fp);

	/* the flagged line itself changed: a new finding */
	hw_findings_free(&b);
	*strstr(moved, "strcpy(dst") = 'S';
	hw_test_write("demo.c", moved, strlen(moved));
	assert_int_equal(import(&b, &d, moved_xml), HW_OK);
	assert_int_equal(hw_sast_resolve(&b, &d, *state), HW_OK);
	assert_string_not_equal(b.items[0].fingerprint, fp);
	hw_findings_free(&a);
	hw_findings_free(&b);
	hw_diags_free(&d);
}

/* Verifies: FR-SAST-002 */
static void test_outside_missing_and_past_the_end_are_warnings(void **state)
{
	static const char *s =
		"{\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"results\":["
		"{\"ruleId\":\"a\",\"message\":{\"text\":\"m\"},\"locations\":[{"
		"\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
		"\"file:///etc/passwd\"},\"region\":{\"startLine\":1}}}]},"
		"{\"ruleId\":\"b\",\"message\":{\"text\":\"m\"},\"locations\":[{"
		"\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
		"\"../../escape.c\"},\"region\":{\"startLine\":1}}}]},"
		"{\"ruleId\":\"c\",\"message\":{\"text\":\"m\"},\"locations\":[{"
		"\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
		"\"gone.c\"},\"region\":{\"startLine\":1}}}]},"
		"{\"ruleId\":\"d\",\"message\":{\"text\":\"m\"},\"locations\":[{"
		"\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
		"\"demo.c\"},\"region\":{\"startLine\":999}}}]}]}]}";
	hw_findings f = {0};
	hw_diags d;

	hw_test_write("demo.c", demo_c, strlen(demo_c));
	hw_diags_init(&d);
	assert_int_equal(import(&f, &d, s), HW_OK);
	assert_int_equal(hw_sast_resolve(&f, &d, *state), HW_OK);
	assert_int_equal(f.n, 4); /* every finding kept */
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 4);
	/* kept, under a placeholder: the machine's paths are not published */
	assert_string_equal(find_rule(&f, "a")->file, "<outside>/passwd");
	assert_string_equal(find_rule(&f, "b")->file, "<outside>/escape.c");
	for (size_t i = 0; i < f.n; i++)
		assert_int_equal(strlen(f.items[i].fingerprint), 32);
	hw_findings_free(&f);
	hw_diags_free(&d);
}

/* a + b, freed by expect_place */
static char *at(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	assert_non_null(s);
	strcpy(s, a);
	return strcat(s, b);
}

/* Takes path. */
static void expect_place(const char *root, char *path, const char *want,
			 int want_inside)
{
	int inside = -1;
	char *got = hw_sast_place(path, root, &inside);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(inside, want_inside);
	free(got);
	free(path);
}

/* Verifies: FR-SAST-002 */
static void test_paths_are_normalized_and_never_published_absolute(void **state)
{
	const char *root = *state;
	char *uri = at("file://", root), *sub = at(root, "/sub"),
	     *alias = at(root, "/alias"), *text;

	/* gcc's path to a source a test includes as "../lib.c" */
	expect_place(root, at(root, "/tests/../lib.c"), "lib.c", 1);
	expect_place(root, at(uri, "/a//b/./c.c"), "a/b/c.c", 1);
	expect_place(root, at("./src/../src/x.c", ""), "src/x.c", 1);
	expect_place(root, at("tests/../../x.c", ""), "<outside>/x.c", 0);
	expect_place(root, at(root, "/../other/y.h"), "<outside>/y.h", 0);
	expect_place(root, at("/usr/include/stdio.h", ""), "<outside>/stdio.h",
		     0);
	/* a root reached through a symbolic link: realpath decides */
	assert_int_equal(mkdir("sub", 0755), 0);
	hw_test_write("sub/f.c", "int f;\n", 7);
	assert_int_equal(symlink(sub, alias), 0);
	expect_place(alias, at(root, "/sub/f.c"), "f.c", 1);
	expect_place(alias, at(root, "/sub/none.c"), "<outside>/none.c", 0);
	free(uri);
	free(sub);
	free(alias);

	/* messages and notes: absolute paths rewritten, nothing else */
	text = malloc(8192);
	assert_non_null(text);
	snprintf(text, 8192,
		 "path: %s/tests/../lib.c:5: allocated; in /usr/include/x.h:"
		 " a / b, x/y, //c, (%s/src/k.c)",
		 root, root);
	assert_int_equal(hw_sast_scrub(&text, root), HW_OK);
	assert_string_equal(text, "path: lib.c:5: allocated; in "
				  "<outside>/x.h: a / b, x/y, //c, (src/k.c)");
	free(text);
}

/* Verifies: FR-SAST-005 */
static void test_a_run_is_incomplete_above_a_small_share_of_failed_units(
	void **state)
{
	hw_sast_run_stats r = {.tool = "gcc"};
	static const size_t cases[][3] = {
		/* units, failed, incomplete */
		{1, 0, 0},  {1, 1, 1},  {9, 1, 1},   {10, 1, 0},
		{20, 2, 0}, {20, 3, 1}, {27, 26, 1}, {100, 10, 0},
		{100, 11, 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.units = cases[i][0];
		r.failed = cases[i][1];
		assert_int_equal(hw_sast_run_incomplete(&r), (int)cases[i][2]);
	}
}

/* Verifies: FR-SAST-004 */
static void test_baseline_round_trip_and_bad_baselines(void **state)
{
	hw_findings f = {0}, g = {0};
	hw_diags d;
	static const char *extra =
		"<results version=\"2\"><errors><error id=\"nullPointer\" "
		"severity=\"error\" msg=\"m\"><location file=\"demo.c\" "
		"line=\"7\"/></error></errors></results>";

	hw_test_write("demo.c", demo_c, strlen(demo_c));
	resolve_demo(&f, &d, *state);
	assert_int_equal(hw_sast_new_count(&f), 1);
	assert_int_equal(hw_sast_baseline_write(&f, "base.json", NULL), HW_OK);
	hw_diags_free(&d);

	resolve_demo(&g, &d, *state);
	assert_int_equal(import(&g, &d, extra), HW_OK);
	assert_int_equal(hw_sast_resolve(&g, &d, *state), HW_OK);
	assert_int_equal(hw_sast_baseline_apply(&g, "base.json"), HW_OK);
	assert_int_equal(hw_sast_new_count(&g), 1); /* only the new one */
	assert_false(find_rule(&g, "nullPointer")->in_baseline);
	assert_true(find_rule(&g, "FF1004")->in_baseline);

	hw_test_write("bad.json", "{\"findings\":[{\"fingerprint\":\"12\"}]}", 35);
	assert_int_equal(hw_sast_baseline_apply(&g, "bad.json"), HW_EINVAL);
	/* at the entry's line, not line 1 */
	{
		const char *two = "{\"findings\": [\n"
				  "  {\"fingerprint\": "
				  "\"0123456789abcdef0123456789abcdef\"},\n"
				  "  {\"fingerprint\": 12}]}\n";

		hw_test_write("bad.json", two, strlen(two));
		assert_int_equal(hw_sast_baseline_apply(&g, "bad.json"),
				 HW_EINVAL);
		assert_string_equal(hw_error_last(),
				    "bad.json:3: baseline entry 2 has no "
				    "32-digit \"fingerprint\"");
	}
	hw_test_write("bad.json", "{\"findings\":", 12);
	assert_int_equal(hw_sast_baseline_apply(&g, "bad.json"), HW_EINVAL);
	hw_test_write("bad.json", "[]", 2);
	assert_int_equal(hw_sast_baseline_apply(&g, "bad.json"), HW_EINVAL);
	assert_int_not_equal(hw_sast_baseline_apply(&g, "none.json"), HW_OK);
	hw_findings_free(&f);
	hw_findings_free(&g);
	hw_diags_free(&d);
}

/* Verifies: FR-SAST-004 */
static void test_sarif_has_a_run_per_tool_and_consistent_rules(void **state)
{
	hw_findings f = {0};
	hw_diags d;
	hw_buf out;
	cJSON *root;
	const cJSON *run;
	int runs = 0;

	hw_test_write("demo.c", demo_c, strlen(demo_c));
	resolve_demo(&f, &d, *state);
	hw_buf_init(&out, 0);
	assert_int_equal(hw_sast_sarif(&out, &f, NULL), HW_OK);
	root = cJSON_Parse(out.data);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "version")->valuestring,
			    "2.1.0");
	cJSON_ArrayForEach(run, cJSON_GetObjectItem(root, "runs")) {
		const cJSON *rules = cJSON_GetObjectItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"),
					    "driver"),
			"rules");
		const cJSON *r;

		runs++;
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(run, "results")) {
			int k = cJSON_GetObjectItem(r, "ruleIndex")->valueint;
			const cJSON *loc = cJSON_GetArrayItem(
				cJSON_GetObjectItem(r, "locations"), 0);

			assert_string_equal(
				cJSON_GetObjectItem(cJSON_GetArrayItem(rules, k),
						    "id")
					->valuestring,
				cJSON_GetObjectItem(r, "ruleId")->valuestring);
			assert_int_equal(
				strlen(cJSON_GetObjectItem(
					       cJSON_GetObjectItem(
						       r, "partialFingerprints"),
					       "hwledger/v1")
					       ->valuestring),
				32);
			if (loc)
				assert_string_equal(
					cJSON_GetObjectItem(
						cJSON_GetObjectItem(
							cJSON_GetObjectItem(
								loc,
								"physicalLocation"),
							"artifactLocation"),
						"uri")
						->valuestring,
					"demo.c");
		}
	}
	assert_int_equal(runs, 3);
	cJSON_Delete(root);
	hw_buf_free(&out);
	hw_findings_free(&f);
	hw_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_formats_import_into_one_shape),
		cmocka_unit_test(test_real_analyzer_paths_become_ordered_steps),
		cmocka_unit_test(test_broken_reports_are_errors_with_a_place),
		cmocka_unit_test(test_clang_tidy_noise_is_reported_not_dropped),
		hw_tmp_test(test_resolve_functions_frs_suppressions_and_groups),
		hw_tmp_test(test_fingerprint_survives_unrelated_line_moves),
		hw_tmp_test(test_outside_missing_and_past_the_end_are_warnings),
		hw_tmp_test(test_paths_are_normalized_and_never_published_absolute),
		cmocka_unit_test(
			test_a_run_is_incomplete_above_a_small_share_of_failed_units),
		hw_tmp_test(test_baseline_round_trip_and_bad_baselines),
		hw_tmp_test(test_sarif_has_a_run_per_tool_and_consistent_rules),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
