/*
 * test_lcov.c — lcov tracefiles: 1.16 and 2.x records, merging, and the
 * broken ones.
 */
#include "harness.h"

#include "trace/trace.h"

typedef struct cov {
	hw_lcov c;
	hw_diags d;
} cov;

static void parse(cov *x, const char *text)
{
	hw_lcov_init(&x->c);
	hw_diags_init(&x->d);
	assert_int_equal(hw_lcov_parse(&x->c, &x->d, "c.info", text,
				       strlen(text), "/repo"),
			 HW_OK);
}

static void done(cov *x)
{
	hw_lcov_free(&x->c);
	hw_diags_free(&x->d);
}

/* Verifies: FR-TRACE-003 */
static void test_lcov_merges_records_for_same_file(void **state)
{
	cov x;
	const hw_lcov_file *f;

	(void)state;
	parse(&x, "TN:one\nSF:/repo/src/a.c\nFN:3,f\nFNDA:2,f\nDA:3,2\nDA:4,0\n"
		  "BRDA:4,0,0,-\nLF:2\nLH:1\nend_of_record\n"
		  "TN:two\nSF:/repo/src/a.c\nDA:4,5\nDA:9,0,abcdef\n"
		  "end_of_record\n"
		  "SF:src/b.c\nVER:2.0\nFNL:0,1,4\nFNA:0,1,g\nDA:1,"
		  "18446744073709551615\nend_of_record\n"
		  "SF:./src/b.c\nDA:1,7\nend_of_record\n");
	assert_int_equal(x.d.n, 0);
	assert_int_equal(x.c.n, 2);
	assert_int_equal(x.c.records, 4);
	f = hw_lcov_find(&x.c, "src/a.c");
	assert_non_null(f);
	assert_true(f->has[3]);
	assert_int_equal(f->counts[3], 2);
	assert_int_equal(f->counts[4], 5);
	assert_true(f->has[9]);
	assert_int_equal(f->counts[9], 0);
	assert_false(f->has[5]);
	f = hw_lcov_find(&x.c, "src/b.c");
	assert_non_null(f);
	assert_true(f->counts[1] == UINT64_MAX); /* saturated, not wrapped */
	assert_null(hw_lcov_find(&x.c, "src/c.c"));
	done(&x);
}

/* Verifies: FR-TRACE-003 */
static void test_lcov_reports_bad_counts_lines_and_truncation(void **state)
{
	cov x;

	(void)state;
	/* line 0 after a counted line: coverage.py's empty-file form is
	 * "DA:0,1" alone in its record, this is not it */
	parse(&x, "SF:src/a.c\nDA:3,many\nDA:7,1\nDA:0,1\nDA:x,1\n"
		  "DA:99999999999,1\nDA:5\nDA:6,99999999999999999999999\n");
	assert_int_equal(x.d.errors, 6);
	assert_non_null(strstr(x.d.items[0].message, "non-numeric count 'many'"));
	assert_int_equal(x.d.items[0].line, 2);
	assert_non_null(strstr(x.d.items[1].message, "bad line number '0'"));
	assert_non_null(strstr(x.d.items[2].message, "bad line number 'x'"));
	assert_non_null(strstr(x.d.items[3].message, "bad line number"));
	assert_non_null(strstr(x.d.items[4].message, "malformed DA"));
	assert_non_null(strstr(x.d.items[5].message, "no end_of_record"));
	assert_int_equal(x.d.items[5].line, 1);
	/* what was valid is kept, a huge count saturates */
	assert_int_equal(hw_lcov_find(&x.c, "src/a.c")->counts[7], 1);
	assert_true(hw_lcov_find(&x.c, "src/a.c")->counts[6] == UINT64_MAX);
	done(&x);

	/* coverage.py 6 writes an empty module as "DA:0,1", alone in its
	 * record: no line to count, and no error */
	parse(&x, "SF:pkg/__init__.py\nDA:0,1\nend_of_record\n");
	assert_int_equal(x.d.n, 0);
	assert_non_null(hw_lcov_find(&x.c, "pkg/__init__.py"));
	assert_int_equal(hw_lcov_find(&x.c, "pkg/__init__.py")->nlines, 0);
	done(&x);

	parse(&x, "SF:src/n.c\nDA:4,-3\nend_of_record\n");
	assert_int_equal(x.d.errors, 0);
	assert_int_equal(x.d.warnings, 1);
	assert_non_null(strstr(x.d.items[0].message, "negative count '-3'"));
	assert_true(hw_lcov_find(&x.c, "src/n.c")->has[4]);
	assert_int_equal(hw_lcov_find(&x.c, "src/n.c")->counts[4], 0);
	done(&x);

	hw_lcov_init(&x.c);
	hw_diags_init(&x.d);
	assert_int_equal(hw_lcov_parse(&x.c, &x.d, "c.info",
				       "SF:a\0b.c\nDA:1,1\n", 16, "/r"),
			 HW_OK);
	assert_int_equal(x.c.n, 0);
	assert_non_null(strstr(x.d.items[0].message, "NUL byte"));
	assert_int_equal(x.d.items[0].col, 5);
	done(&x);

	parse(&x, "DA:1,1\nend_of_record\n");
	assert_int_equal(x.d.errors, 2);
	assert_non_null(strstr(x.d.items[0].message, "DA outside a record"));
	done(&x);
}

/* Verifies: FR-TRACE-003 */
static void test_lcov_warns_about_paths_outside_the_repository(void **state)
{
	cov x;

	(void)state;
	parse(&x, "SF:/usr/include/stdio.h\nDA:1,1\nend_of_record\n"
		  "SF:/repository/x.c\nDA:1,1\nend_of_record\n");
	assert_int_equal(x.d.errors, 0);
	assert_int_equal(x.d.warnings, 2);
	assert_non_null(strstr(x.d.items[0].message, "outside the repository"));
	assert_int_equal(x.c.n, 0);
	done(&x);
}

/* `lcov --capture` without --no-external writes a record of a system
 * header for every unit that includes it: on google/snappy 170 warnings
 * for 60 headers (/usr/include/c++/12/bits/move.h eight times), printed
 * by every trace, gate and export. One warning per path, at its first
 * record. */
/* Verifies: FR-TRACE-003 */
static void test_lcov_warns_once_per_path_outside_the_repository(void **state)
{
	cov x;

	(void)state;
	parse(&x, "SF:/usr/include/c++/12/bits/move.h\nDA:1,1\nend_of_record\n"
		  "SF:/repository/x.c\nDA:1,1\nend_of_record\n"
		  "SF:/usr/include/c++/12/bits/move.h\nDA:2,1\nend_of_record\n"
		  "SF:/usr/include/c++/12/new\nDA:1,1\nend_of_record\n"
		  "SF:/usr/include/c++/12/bits/move.h\nDA:3,1\nend_of_record\n");
	assert_int_equal(x.d.errors, 0);
	assert_int_equal(x.d.warnings, 3);
	assert_int_equal(x.d.items[0].line, 1);
	assert_non_null(strstr(x.d.items[0].message, "move.h"));
	assert_non_null(strstr(x.d.items[1].message, "/repository/x.c"));
	assert_non_null(strstr(x.d.items[2].message, "/usr/include/c++/12/new"));
	assert_int_equal(x.c.n, 0);
	done(&x);
}

/* An out-of-tree build names its sources "build/../src/a.c" (llvm-cov,
 * meson): the path is read as the file it names, not as a file of no
 * source, which left the FRs without coverage and said nothing. */
/* Verifies: FR-TRACE-003 */
static void test_lcov_reads_dot_and_dot_dot_segments_of_a_path(void **state)
{
	cov x;
	const hw_lcov_file *f;

	(void)state;
	parse(&x, "SF:/repo/build/../src/a.c\nDA:3,2\nend_of_record\n"
		  "SF:/repo/./src//a.c\nDA:3,1\nend_of_record\n"
		  "SF:build/../src/b.c\nDA:1,1\nend_of_record\n"
		  "SF:/repo/build/../../elsewhere/c.c\nDA:1,1\nend_of_record\n"
		  "SF:../outside/d.c\nDA:1,1\nend_of_record\n");
	assert_int_equal(x.d.errors, 0);
	assert_int_equal(x.c.n, 2);
	f = hw_lcov_find(&x.c, "src/a.c");
	assert_non_null(f);
	assert_int_equal(f->counts[3], 3);
	assert_non_null(hw_lcov_find(&x.c, "src/b.c"));
	/* a path that climbs out of the repository is outside it */
	assert_int_equal(x.d.warnings, 2);
	assert_non_null(strstr(x.d.items[0].message,
			       "'/repo/build/../../elsewhere/c.c' is outside "
			       "the repository"));
	assert_non_null(strstr(x.d.items[1].message,
			       "'../outside/d.c' is outside the repository"));
	done(&x);
}

/* `lcov --capture --directory build --no-external` keeps only the files
 * under build/ (its --directory) unless --base-directory names the
 * sources' root: on libuv's CMake build it wrote an empty tracefile, read
 * silently, and every FR then said "no coverage data was given (--lcov)"
 * while build/coverage.info was there. A tracefile with no record is a
 * warning at the file. */
/* Verifies: FR-TRACE-003 */
static void test_lcov_warns_about_a_tracefile_with_no_record(void **state)
{
	cov x;

	(void)state;
	parse(&x, "");
	assert_int_equal(x.d.errors, 0);
	assert_int_equal(x.d.warnings, 1);
	assert_string_equal(x.d.items[0].file, "c.info");
	assert_non_null(strstr(x.d.items[0].message, "no coverage record"));
	assert_int_equal(x.c.records, 0);
	done(&x);
	/* lcov 1.16's TN line alone, and a second file after a first with
	 * records: each tracefile is judged on its own */
	parse(&x, "SF:/repo/src/a.c\nDA:1,1\nend_of_record\n");
	assert_int_equal(hw_lcov_parse(&x.c, &x.d, "d.info", "TN:\n", 4,
				       "/repo"),
			 HW_OK);
	assert_int_equal(x.d.warnings, 1);
	assert_string_equal(x.d.items[0].file, "d.info");
	assert_int_equal(x.c.records, 1);
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcov_merges_records_for_same_file),
		cmocka_unit_test(
			test_lcov_reports_bad_counts_lines_and_truncation),
		cmocka_unit_test(
			test_lcov_warns_about_paths_outside_the_repository),
		cmocka_unit_test(
			test_lcov_warns_once_per_path_outside_the_repository),
		cmocka_unit_test(
			test_lcov_reads_dot_and_dot_dot_segments_of_a_path),
		cmocka_unit_test(
			test_lcov_warns_about_a_tracefile_with_no_record),
	};

	return cmocka_run_group_tests_name("lcov", tests, NULL, NULL);
}
