/*
 * test_lang.c — C++ and Python files: tags read by the scanner, functions
 * and their qualified names from Universal Ctags, and each tag given the
 * function that holds it or follows it (tests/fixtures/lang/).
 */
#include "harness.h"

#include "trace/trace.h"

/* Scans path (repository-relative, run from the root) as hw_scan_repo
 * does: tags first, then functions, then the functions kept. */
static void scan_file(hw_src_file *f, const char *path, int is_test)
{
	hw_buf b;
	const char *disk = path;

	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->lang = hw_lang_of(path);
	f->is_test = is_test;
	hw_buf_init(&b, 0);
	assert_int_equal(hw_file_read(&b, path, 1 << 20), HW_OK);
	assert_int_equal(hw_scan_text(f, b.data, b.len), HW_OK);
	assert_int_equal(hw_lang_functions(&f, &disk, 1, 1 << 20), HW_OK);
	hw_scan_compact(f);
	hw_buf_free(&b);
}

/* The function of the tag that names fr, "" when it has none. */
static const char *func_of(const hw_src_file *f, const char *fr)
{
	for (size_t i = 0; i < f->ntags; i++)
		if (strcmp(f->tags[i].fr, fr) == 0)
			return f->tags[i].func < 0 ? ""
						   : f->funcs[f->tags[i].func].name;
	fail_msg("no tag names %s", fr);
	return NULL;
}

/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_tags_go_to_qualified_functions(void **state)
{
	static const char *const want[][2] = {
		{"FR-LANG-001", "outer::inner::free_fn"},
		{"FR-LANG-002", "outer::inner::free_fn"}, /* in a lambda */
		{"FR-LANG-003", "outer::inner::Ring::Ring"},
		{"FR-LANG-004", "outer::inner::Ring::~Ring"},
		{"FR-LANG-005", "outer::inner::Ring::size"},
		{"FR-LANG-006", "outer::inner::Ring::push"},
		{"FR-LANG-007", "outer::inner::Ring::operator=="},
		{"FR-LANG-008", "anon_helper"},
		{"FR-LANG-009", "v1::versioned"},
		{"FR-LANG-010", "Box::get"},
		{"FR-LANG-011", "max_of"},
		{"FR-LANG-012", "c_entry"},
	};
	hw_src_file f;

	(void)state;
	scan_file(&f, "tests/fixtures/lang/constructs.cpp", 0);
	assert_int_equal(f.nnotes, 0);
	/* the raw string's tag-like text is no tag */
	assert_int_equal(f.ntags, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(func_of(&f, want[i][0]), want[i][1]);
	/* push: from its name to its closing brace */
	for (size_t k = 0; k < f.nfuncs; k++)
		if (strcmp(f.funcs[k].name, "outer::inner::Ring::push") == 0) {
			assert_int_equal(f.funcs[k].first, 37);
			assert_int_equal(f.funcs[k].last, 41);
		}
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_test_macros_are_named_suite_dot_name(void **state)
{
	hw_src_file f;

	(void)state;
	scan_file(&f, "tests/fixtures/lang/constructs_test.cpp", 1);
	assert_string_equal(func_of(&f, "FR-LANG-001"), "Ring.PushPop");
	assert_string_equal(func_of(&f, "FR-LANG-003"), "RingFixture.Starts");
	assert_string_equal(func_of(&f, "FR-LANG-004"), "RingParam.Sizes");
	assert_string_equal(func_of(&f, "FR-LANG-005"), "RingTyped.Holds");
	/* Catch2 and doctest: named by their string, quotes kept */
	assert_string_equal(func_of(&f, "FR-LANG-006"),
			    "\"ring pushes and pops\"");
	assert_string_equal(func_of(&f, "FR-LANG-007"), "\"compares\"");
	assert_string_equal(func_of(&f, "FR-LANG-008"),
			    "\"a ring \\\"fills\\\"\"");
	for (size_t k = 0; k < f.nfuncs; k++)
		if (strcmp(f.funcs[k].name, "\"compares\"") == 0) {
			assert_int_equal(f.funcs[k].first, 35);
			assert_int_equal(f.funcs[k].last, 38);
		}
	for (size_t k = 0; k < f.nfuncs; k++)
		assert_true(f.funcs[k].is_test);
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_python_defs_methods_and_docstrings(void **state)
{
	hw_src_file f;

	(void)state;
	scan_file(&f, "tests/fixtures/lang/constructs.py", 0);
	assert_int_equal(f.nnotes, 0);
	/* the f-string's tag-like text is no tag */
	assert_int_equal(f.ntags, 4);
	assert_string_equal(func_of(&f, "FR-LANG-020"),
			    "tests.fixtures.lang.constructs.top");
	assert_string_equal(func_of(&f, "FR-LANG-021"),
			    "tests.fixtures.lang.constructs.top");
	/* above a decorator */
	assert_string_equal(func_of(&f, "FR-LANG-022"),
			    "tests.fixtures.lang.constructs.Outer.method");
	assert_string_equal(func_of(&f, "FR-LANG-023"),
			    "tests.fixtures.lang.constructs.Outer.Nested.run");
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_data_member_is_no_function(void **state)
{
	hw_src_file f;

	(void)state;
	scan_file(&f, "tests/fixtures/lang/members.cpp", 0);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.ntags, 3);
	assert_string_equal(func_of(&f, "FR-LANG-030"), "");
	assert_string_equal(func_of(&f, "FR-LANG-031"), "Counter::bump");
	assert_string_equal(func_of(&f, "FR-LANG-032"), "helper");
	for (size_t k = 0; k < f.nfuncs; k++)
		assert_string_not_equal(f.funcs[k].name, "Counter::hits");
	hw_src_file_free(&f);
}

static void scan_text(hw_src_file *f, const char *path, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->lang = hw_lang_of(path);
	assert_int_equal(hw_scan_text(f, text, strlen(text)), HW_OK);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_strings_hide_tags_and_bad_input_is_a_note(void **state)
{
	hw_src_file f;

	(void)state;
	/* a raw string with a quote and a brace: the tag after it is read,
	 * the text inside is not */
	scan_text(&f, "r.cpp",
		  "const char *s = R\"x(a \" } // Implements: FR-X-099)x\";\n"
		  "// Implements: FR-X-001\n"
		  "int f() { return 0; }\n");
	assert_int_equal(f.ntags, 1);
	assert_string_equal(f.tags[0].fr, "FR-X-001");
	assert_int_equal(f.tags[0].line, 2);
	hw_src_file_free(&f);
	/* Python: an f-string and a string in an expression are not
	 * docstrings; tabs and spaces mixed, bytes that are not UTF-8 */
	scan_text(&f, "m.py",
		  "x = f\"\"\"\n# Implements: FR-X-098\n\"\"\"\n"
		  "def g():\n\t  \"\"\"Implements: FR-X-002 \xff\"\"\"\n"
		  "\treturn ('Implements: FR-X-097')\n"
		  "s = '''never closed # Implements: FR-X-096\n");
	assert_int_equal(f.ntags, 1);
	assert_string_equal(f.tags[0].fr, "FR-X-002");
	assert_int_equal(f.tags[0].line, 5);
	assert_int_equal(f.nnotes, 1);
	assert_int_equal(f.notes[0].line, 7);
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_of_and_base_names(void **state)
{
	(void)state;
	assert_int_equal(hw_lang_of("a/b.cpp"), HW_LANG_CPP);
	assert_int_equal(hw_lang_of("a/b.hpp"), HW_LANG_CPP);
	assert_int_equal(hw_lang_of("a/b.cc"), HW_LANG_CPP);
	assert_int_equal(hw_lang_of("a/b.py"), HW_LANG_PY);
	assert_int_equal(hw_lang_of("a/b.h"), HW_LANG_C);
	assert_int_equal(hw_lang_of("a.py/b"), HW_LANG_C);
	assert_int_equal(hw_lang_of("t.sh"), HW_LANG_SH);
	assert_string_equal(hw_func_base("a::B::test_x"), "test_x");
	assert_string_equal(hw_func_base("tests.t.TestY.test_z"), "test_z");
	assert_true(hw_func_from_test_macro(HW_LANG_CPP, "Ring.PushPop"));
	assert_false(hw_func_from_test_macro(HW_LANG_CPP, "a::b"));
	assert_false(hw_func_from_test_macro(HW_LANG_PY, "a.b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_cpp_tags_go_to_qualified_functions),
		cmocka_unit_test(test_lang_cpp_test_macros_are_named_suite_dot_name),
		cmocka_unit_test(test_lang_python_defs_methods_and_docstrings),
		cmocka_unit_test(test_lang_cpp_data_member_is_no_function),
		cmocka_unit_test(test_lang_strings_hide_tags_and_bad_input_is_a_note),
		cmocka_unit_test(test_lang_of_and_base_names),
	};

	return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
