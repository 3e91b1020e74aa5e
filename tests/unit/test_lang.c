/*
 * test_lang.c — C++ and Python files: tags read by the scanner, functions
 * and their qualified names as Universal Ctags 5.9 finds them (the
 * reference they were measured against), and each tag given the function
 * that holds it or follows it (tests/fixtures/lang/).
 */
#include "harness.h"

#include "trace/trace.h"

/* Scans path (repository-relative, run from the root) as hw_scan_repo
 * does: tags first, then functions, then the functions kept. */
static void scan_file(hw_src_file *f, const char *path, int is_test)
{
	hw_buf b;

	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->is_test = is_test;
	hw_buf_init(&b, 0);
	assert_int_equal(hw_file_read(&b, path, 1 << 20), HW_OK);
	f->lang = hw_lang_of_text(path, b.data, b.len); /* as the scan does */
	assert_int_equal(hw_scan_text(f, b.data, b.len), HW_OK);
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
	/* a SCENARIO as Catch2 names it, the string's value */
	assert_string_equal(func_of(&f, "FR-LANG-008"),
			    "\"Scenario: a ring \"fills\"\"");
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

/* The function of f named name (the n-th of that name), NULL if none. */
static const hw_func *func_named(const hw_src_file *f, const char *name,
				 int n)
{
	for (size_t k = 0; k < f->nfuncs; k++)
		if (strcmp(f->funcs[k].name, name) == 0 && n-- == 0)
			return &f->funcs[k];
	return NULL;
}

/* A Catch2 or doctest test case is named as its runner names its result
 * (cxxopts, Catch2 2.13, doctest 2.4.9): by the value of its string (an
 * escaped quote unescaped), found on a line after the macro's too, and a
 * SCENARIO with its framework's prefix ("Scenario: ", doctest's
 * "  Scenario: "). Before, a name on the next line lost the test case. */
/* Verifies: FR-TRACE-016 */
static void test_lang_catch2_doctest_names_are_as_results_name_them(
	void **state)
{
	hw_src_file f;
	const char *catch2 =
		"#include \"catch.hpp\"\n"                /* 1 */
		"// Verifies: FR-C-001\n"                 /* 2 */
		"SCENARIO(\"ring doubles\", \"[s]\") {\n"   /* 3 */
		"  CHECK(true);\n"                        /* 4 */
		"}\n"                                     /* 5 */
		"// Verifies: FR-C-002\n"                 /* 6 */
		"TEST_CASE(\"a \\\"quoted\\\" \\\\ name\") {\n" /* 7 */
		"}\n"                                     /* 8 */
		"// Verifies: FR-C-003\n"                 /* 9 */
		"TEST_CASE(\n"                            /* 10 */
		"    \"name on the next line\", \"[n]\") {\n" /* 11 */
		"  CHECK(true);\n"                        /* 12 */
		"}\n"                                     /* 13 */
		"// Verifies: FR-C-004\n"                 /* 14 */
		"TEST_CASE_METHOD(Fixture,\n"             /* 15 */
		"                 \"method\") {\n"        /* 16 */
		"}\n";                                    /* 17 */
	const char *doctest =
		"#include <doctest/doctest.h>\n"
		"// Verifies: FR-C-001\n"
		"SCENARIO(\"ring doubles\") { CHECK(true); }\n";

	(void)state;
	scan_text(&f, "t.cpp", catch2);
	assert_string_equal(func_of(&f, "FR-C-001"),
			    "\"Scenario: ring doubles\"");
	assert_string_equal(func_of(&f, "FR-C-002"),
			    "\"a \"quoted\" \\ name\"");
	assert_string_equal(func_of(&f, "FR-C-003"),
			    "\"name on the next line\"");
	assert_int_equal(func_named(&f, "\"name on the next line\"", 0)->first,
			 10);
	assert_string_equal(func_of(&f, "FR-C-004"), "\"method\"");
	hw_src_file_free(&f);
	scan_text(&f, "t.cpp", doctest);
	assert_string_equal(func_of(&f, "FR-C-001"),
			    "\"  Scenario: ring doubles\"");
	hw_src_file_free(&f);
}

/* Every prefix of a file of Catch2 test cases (a name cut inside its
 * string, its escape, its comment, before its '(') scans without a
 * crash or a read past the text (run under ASan by make asan). */
/* Verifies: FR-TRACE-016 */
static void test_lang_cut_catch2_test_cases_never_crash(void **state)
{
	const char *src = "TEST_CASE( /* c */ // d\n"
			  "  \"a \\\"b\\\\\", \"[t]\") { CHECK(1); }\n"
			  "SCENARIO(\"s\\\n\") {}\n"
			  "TEST_CASE_METHOD(F, \"m\") {}\n";
	size_t n = strlen(src);

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		hw_src_file f;
		char *t = malloc(cut ? cut : 1);

		assert_non_null(t);
		memcpy(t, src, cut);
		memset(&f, 0, sizeof(f));
		f.path = strdup("t.cpp");
		f.lang = hw_lang_of("t.cpp");
		assert_int_equal(hw_scan_text(&f, t, cut), HW_OK);
		hw_src_file_free(&f);
		free(t);
	}
}

/* Qt's access labels (`private slots:`, `public Q_SLOTS:`) and one after
 * `Q_OBJECT`, a macro with no ';', end a declaration as `public:` does:
 * the function after one was lost (hiredis' adapters/qt.h); a bit-field's
 * ':' is no label. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_qt_access_labels_end_a_declaration(void **state)
{
	hw_src_file f;
	const char *src =
		"class A : public QObject {\n"          /* 1 */
		"    Q_OBJECT\n"                        /* 2 */
		"  public:\n"                           /* 3 */
		"    // Implements: FR-Q-001\n"         /* 4 */
		"    A(int v) : x(v) {}\n"              /* 5 */
		"  private slots:\n"                    /* 6 */
		"    // Implements: FR-Q-002\n"         /* 7 */
		"    void r() { g(); }\n"               /* 8 */
		"  signals:\n"                          /* 9 */
		"    void s();\n"                       /* 10 */
		"  public Q_SLOTS:\n"                   /* 11 */
		"    // Implements: FR-Q-003\n"         /* 12 */
		"    void q() { g(); }\n"               /* 13 */
		"  unsigned int b : 3;\n"               /* 14 */
		"    // Implements: FR-Q-004\n"         /* 15 */
		"    int h() { return 0; }\n"           /* 16 */
		"};\n";

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-Q-001"), "A::A");
	assert_string_equal(func_of(&f, "FR-Q-002"), "A::r");
	assert_string_equal(func_of(&f, "FR-Q-003"), "A::q");
	assert_string_equal(func_of(&f, "FR-Q-004"), "A::h");
	hw_src_file_free(&f);
}

/* A macro without parentheses before `namespace` (cxxopts'
 * `CXXOPTS_DIAGNOSTIC_POP`, a `_Pragma` with no `;`) leaves the namespace
 * a namespace: its functions were lost. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_macro_before_namespace(void **state)
{
	hw_src_file f;
	const char *src =
		"DIAG_POP\n"                            /* 1 */
		"namespace ex {\n"                      /* 2 */
		"class E : public std::exception {\n"   /* 3 */
		"  public:\n"                           /* 4 */
		"  // Implements: FR-M-001\n"           /* 5 */
		"  explicit E(std::string m) : m_(m) {}\n" /* 6 */
		"};\n"                                  /* 7 */
		"} // namespace ex\n"                   /* 8 */
		"// Implements: FR-M-002\n"             /* 9 */
		"int after() { return 0; }\n";          /* 10 */

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-M-001"), "ex::E::E");
	assert_string_equal(func_of(&f, "FR-M-002"), "after");
	hw_src_file_free(&f);
}

/* A macro after a namespace's name (libstdc++'s `namespace std
 * _GLIBCXX_VISIBILITY(default)`) is not part of the name: every function
 * in it was named "std _GLIBCXX_VISIBILITY::f", where ctags has std::f. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_macro_after_namespace_name(void **state)
{
	hw_src_file f;
	const char *src =
		"namespace std VIS(default)\n"          /* 1 */
		"{\n"                                   /* 2 */
		"BEGIN_VERSION\n"                       /* 3 */
		"  namespace a::b ATTR {\n"             /* 4 */
		"    // Implements: FR-M-001\n"         /* 5 */
		"    inline int f() { return 0; }\n"    /* 6 */
		"  }\n"                                 /* 7 */
		"}\n";                                  /* 8 */

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-M-001"), "std::a::b::f");
	hw_src_file_free(&f);
}

/* A macro without parentheses before `template` (libstdc++'s
 * `_GLIBCXX_BEGIN_NAMESPACE_VERSION`, fmt's `FMT_EXPORT`) leaves the
 * template a template: a default argument in its list (`= char`) was
 * read as the declaration's own '=' and the whole class was skipped. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_macro_before_template(void **state)
{
	hw_src_file f;
	const char *src =
		"BEGIN_VERSION\n"                            /* 1 */
		"template<typename T, typename C = char>\n"  /* 2 */
		"  class it : public base<T, C>\n"           /* 3 */
		"  {\n"                                      /* 4 */
		"    // Implements: FR-M-001\n"              /* 5 */
		"    bool eq(const it& x) const { return true; }\n" /* 6 */
		"  };\n"                                     /* 7 */
		"EXPORT template <typename T = int> T z() {\n" /* 8 */
		"  return T(); // Implements: FR-M-002\n"    /* 9 */
		"}\n";                                       /* 10 */

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-M-001"), "it::eq");
	assert_string_equal(func_of(&f, "FR-M-002"), "z");
	hw_src_file_free(&f);
}

/* A macro's call before `namespace` (googletest's
 * `GTEST_DISABLE_MSC_WARNINGS_PUSH_(4251 ...) namespace testing {`) was
 * read as a function spanning the whole namespace, its functions lost. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_macro_call_before_namespace(void **state)
{
	hw_src_file f;
	const char *src =
		"PUSH_(\n"                              /* 1 */
		"    4251 MAYBE_ /* why */)\n"          /* 2 */
		"\n"                                    /* 3 */
		"namespace testing {\n"                 /* 4 */
		"// Implements: FR-M-001\n"             /* 5 */
		"inline int Gt(int a) { return a; }\n"  /* 6 */
		"}\n";                                  /* 7 */

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-M-001"), "testing::Gt");
	assert_null(func_named(&f, "PUSH_", 0));
	hw_src_file_free(&f);
}

/* A macro's call holding a literal (cxxopts'
 * `CXXOPTS_IGNORE_WARNING("-Weffc++")`, after `#if`) before a function's
 * head is passed over, as ctags does: the function after it was lost. A
 * macro's call with a literal and no parameter list after it
 * (`TEST_CASE("name")`) stays no function of lang.c's. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_macro_call_with_literal_before_head(void **state)
{
	hw_src_file f;
	const char *src =
		"class R {\n"                           /* 1 */
		"  public:\n"                           /* 2 */
		"DIAG_PUSH\n"                           /* 3 */
		"IGNORE_WARNING(\"-Weffc++\")\n"          /* 4 */
		"  R(const P *p, bool end=false)\n"     /* 5 */
		"  : m_p(p)\n"                          /* 6 */
		"  {\n"                                 /* 7 */
		"    // Implements: FR-M-001\n"         /* 8 */
		"  }\n"                                 /* 9 */
		"IGNORE_WARNING(\"-Wnull\")\n"            /* 10 */
		"  NODISCARD std::size_t\n"             /* 11 */
		"  count() const noexcept\n"            /* 12 */
		"  {\n"                                 /* 13 */
		"    return m_count; // Implements: FR-M-002\n" /* 14 */
		"  }\n"                                 /* 15 */
		"};\n"                                  /* 16 */
		"TEST_CASE(\"name\", \"[t]\") {\n"        /* 17 */
		"  // Implements: FR-M-003\n"           /* 18 */
		"}\n";                                  /* 19 */

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-M-001"), "R::R");
	assert_string_equal(func_of(&f, "FR-M-002"), "R::count");
	/* the test case, as the C lexer names it; no function TEST_CASE */
	assert_string_equal(func_of(&f, "FR-M-003"), "\"name\"");
	assert_null(func_named(&f, "TEST_CASE", 0));
	hw_src_file_free(&f);
}

/* A name in parentheses, or in a '*' group before its own parameters, is
 * the function's name, not the return type's (Lua's `void (luaL_register)
 * (...)`, ncurses' `inline int (index)() const`, LLVM's `int
 * (*get_array_pod_sort_comparator(const T &))(...)`); a macro's call
 * right before a group names it, as ctags does. */
/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_parenthesized_declarator_is_named(void **state)
{
	hw_src_file f;
	const char *src =
		"namespace n {\n"                                   /* 1 */
		"// Implements: FR-D-001\n"                         /* 2 */
		"API void (reg) (State *L, int n) { open(L, n); }\n" /* 3 */
		"// Implements: FR-D-002\n"                         /* 4 */
		"API State *(newstate) (void) { return 0; }\n"      /* 5 */
		"// Implements: FR-D-003\n"                         /* 6 */
		"template <class T>\n"                              /* 7 */
		"int (*cmp(const T &))(const void *, const void *) {\n"
		"  return 0;\n"                                     /* 9 */
		"}\n"                                               /* 10 */
		"// Implements: FR-D-004\n"                         /* 11 */
		"inline int UNDEF(clear)() { return clear(); }\n"   /* 12 */
		"// Implements: FR-D-005\n"                         /* 13 */
		"int f(int (x)) { return (x); }\n"                  /* 14 */
		"}\n";

	(void)state;
	scan_text(&f, "a.cpp", src);
	assert_int_equal(f.nnotes, 0);
	assert_string_equal(func_of(&f, "FR-D-001"), "n::reg");
	assert_string_equal(func_of(&f, "FR-D-002"), "n::newstate");
	assert_string_equal(func_of(&f, "FR-D-003"), "n::cmp");
	assert_string_equal(func_of(&f, "FR-D-004"), "n::UNDEF");
	assert_string_equal(func_of(&f, "FR-D-005"), "n::f");
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_python_functions_are_found_by_the_scan(void **state)
{
	/* as ctags 5.9 has them, but for the methods of a class in a def */
	static const struct {
		const char *name;
		long first, last;
	} want[] = {
		{"a", 6, 8},	     {"C.m", 15, 20},	{"C.am", 21, 21},
		{"C.one", 22, 22},   {"C.D.dm", 24, 25}, {"C.after", 27, 34},
		{"b", 36, 37},	     {"cond", 40, 41},	{"cond", 43, 46},
		{"last", 47, 49},    {"f", 50, 50},	{"K.g", 52, 52},
		{"K.s", 53, 56},     {"t", 57, 58},	{"u", 60, 60},
		{"v", 61, 63},	     {"w", 64, 64},	{"aw", 65, 66},
		{"tabbed", 67, 68},  {"z", 69, 71},	{"fallback", 76, 76},
	};
	hw_src_file f;
	char name[64];

	(void)state;
	scan_file(&f, "tests/fixtures/lang/functions.py", 1);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.nfuncs, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const hw_func *fn;

		snprintf(name, sizeof(name), "tests.fixtures.lang.functions.%s",
			 want[i].name);
		fn = func_named(&f, name, i == 8); /* the second cond */
		assert_non_null(fn);
		assert_int_equal(fn->first, want[i].first);
		assert_int_equal(fn->last, want[i].last);
	}
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_python_tag_above_a_decorator_of_many_lines(void **state)
{
	hw_src_file f;

	(void)state;
	/* pytest's parametrize over several lines, with a bracket in a
	 * string, a comment and a continued line: the tags above it are the
	 * test's; code between a tag and a def (a call, a docstring that
	 * holds an '@' line) keeps the tag off it */
	scan_text(&f, "tests/test_p.py",
		  "class TestP:\n"
		  "    # Verifies: FR-X-001\n"
		  "    @pytest.mark.parametrize(\n"
		  "        \"kd\", (\"a)\", \\\n"
		  "                 \"b\")  # (\n"
		  "\n"
		  "    )\n"
		  "    @other\n"
		  "    def test_kd(self, kd):\n"
		  "        pass\n"
		  "\n"
		  "# Verifies: FR-X-002\n"
		  "setup(\n"
		  "    1)\n"
		  "def test_b():\n"
		  "    pass\n"
		  "# Verifies: FR-X-003\n"
		  "X = \"\"\"\n"
		  "@not_a_decorator\n"
		  "\"\"\"\n"
		  "def test_c():\n"
		  "    pass\n");
	assert_int_equal(f.ntags, 3);
	assert_string_equal(func_of(&f, "FR-X-001"), "tests.test_p.TestP.test_kd");
	assert_string_equal(func_of(&f, "FR-X-002"), "");
	assert_string_equal(func_of(&f, "FR-X-003"), "");
	hw_src_file_free(&f);
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
static void test_lang_cpp_functions_are_found_by_the_scan(void **state)
{
	/* as ctags 5.9 has them, but for Local::get, of a class inside a
	 * function */
	static const struct {
		const char *name;
		long first, last;
	} want[] = {
		{"ns::Point::Point", 12, 12},
		{"ns::Point::operator<", 13, 13},
		{"ns::Point::operator()", 14, 14},
		{"ns::Point::operator std::basic_string<T>", 15, 18},
		{"ns::operator==", 19, 22},
		{"ns::counted", 26, 32},
		{"ns::after_macro", 35, 38},
		{"ns::chosen", 43, 47},
		{"ns::branch_one", 50, 50},
		{"ns::branch_two", 52, 52},
		{"ns::with_default", 55, 58},
		{"ns::after_u8", 61, 61},
		{"std::hash::operator()", 66, 66},
	};
	hw_src_file f;

	(void)state;
	scan_file(&f, "tests/fixtures/lang/functions.cpp", 1);
	/* the tags' reader (the C lexer) reads the conditionals as the C++
	 * reader does, so no brace is left open */
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.nfuncs, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const hw_func *fn = func_named(&f, want[i].name, 0);

		assert_non_null(fn);
		assert_int_equal(fn->first, want[i].first);
		assert_int_equal(fn->last, want[i].last);
	}
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_real_files_match_ctags(void **state)
{
	/* real third-party files and ctags' functions in them
	 * (tests/fixtures/lang/README.md) */
	static const char *const files[] = {
		"tests/fixtures/lang/real/gtest-death-test.cc",
		"tests/fixtures/lang/real/gtest-port.cc",
		"tests/fixtures/lang/real/argparse.py",
		"tests/fixtures/lang/real/trees.c",
		"tests/fixtures/lang/real/snappy-stubs-internal.h",
		"tests/fixtures/lang/real/hiredis-qt.h",
		"tests/fixtures/lang/real/cxxopts.hpp",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char want_path[256], name[1024];
		hw_src_file f;
		hw_buf w;
		size_t want = 0;

		scan_file(&f, files[i], 1);
		snprintf(want_path, sizeof(want_path), "%s.ctags", files[i]);
		hw_buf_init(&w, 0);
		assert_int_equal(hw_file_read(&w, want_path, 1 << 20), HW_OK);
		assert_int_equal(hw_buf_append(&w, "", 1), HW_OK);
		for (char *line = w.data, *nl; *line; line = nl + 1) {
			long first, last;
			int found = 0;

			nl = strchr(line, '\n');
			assert_non_null(nl);
			*nl = '\0';
			if (line[0] == '#')
				continue;
			assert_int_equal(sscanf(line, "%1023[^\t]\t%ld\t%ld",
						name, &first, &last),
					 3);
			for (size_t k = 0; k < f.nfuncs && !found; k++)
				found = strcmp(f.funcs[k].name, name) == 0 &&
					f.funcs[k].first == first &&
					f.funcs[k].last == last;
			if (!found)
				fail_msg("%s: ctags' %s %ld-%ld not found",
					 files[i], name, first, last);
			want++;
		}
		assert_int_equal(f.nfuncs, want);
		hw_buf_free(&w);
		hw_src_file_free(&f);
	}
}

/* Scans text as a Python file path, keeping every function. */
static void scan_all(hw_src_file *f, const char *path, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->lang = hw_lang_of(path);
	assert_int_equal(hw_scan_text_all(f, text, strlen(text)), HW_OK);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_python_bad_input_never_crashes(void **state)
{
	static const char *const cut[] = {
		"def",	       "def ",		"async",     "async def",
		"class",       "x =",		"x = lambda", "def f(",
		"def f(:\n  '", "\tdef\tg(): pass", "@",	     "\\\n\\",
	};
	size_t deep = 3000, n = 0;
	char *big = malloc(deep * (deep + 16) + (1 << 20));
	hw_src_file f;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		scan_all(&f, "m.py", cut[i]);
		hw_src_file_free(&f);
	}
	/* a truncated def is a function of its line */
	scan_all(&f, "m.py", "def f(");
	assert_int_equal(f.nfuncs, 1);
	assert_string_equal(f.funcs[0].name, "m.f");
	assert_int_equal(f.funcs[0].last, 1);
	hw_src_file_free(&f);
	/* deeply nested defs: one function, the outermost, to the end */
	for (size_t d = 0; d < deep; d++) {
		memset(big + n, ' ', d);
		n += d;
		n += (size_t)sprintf(big + n, "def f%zu():\n", d);
	}
	memset(big + n, ' ', deep);
	n += deep;
	n += (size_t)sprintf(big + n, "return 1\n");
	big[n] = '\0';
	scan_all(&f, "m.py", big);
	assert_int_equal(f.nfuncs, 1);
	assert_string_equal(f.funcs[0].name, "m.f0");
	assert_int_equal(f.funcs[0].last, (long)deep + 1);
	hw_src_file_free(&f);
	/* a megabyte line of open brackets: the def after it is inside
	 * them, no statement; bytes that are not UTF-8 in names */
	memset(big, '(', 1 << 20);
	strcpy(big + (1 << 20), "\ndef inside(): pass\n");
	scan_all(&f, "m.py", big);
	assert_int_equal(f.nfuncs, 0);
	hw_src_file_free(&f);
	scan_all(&f, "m.py",
		  "def \xff\xfe(x): pass\nclass \x80:\n  def m(self):\n"
		  "    s = 'broken\n    return s\n");
	assert_int_equal(f.nfuncs, 2);
	assert_string_equal(f.funcs[0].name, "m.\xff\xfe");
	assert_string_equal(f.funcs[1].name, "m.\x80.m");
	assert_int_equal(f.funcs[1].last, 5);
	hw_src_file_free(&f);
	free(big);
}

/* Verifies: FR-TRACE-016 */
static void test_lang_cpp_bad_input_never_crashes(void **state)
{
	static const char *const cut[] = {
		"int f(",	  "int f() {",	     "namespace",    "namespace {",
		"class",	  "struct X : ",     "}}}}",	     "operator",
		"int operator",   "a::b::",	     "template <",   "R\"x(",
		"R\"x(never",	  "u8'",	     "/* open",	     "#if 0\nint f() {}",
		"#else\n#endif\n#endif\nint g() {}", "#define X \\", ">>>::(",
		"int f() : a{ {",  "~",	     "TEST(",	     "TEST(A, B) {",
	};
	size_t deep = 20000, n = 0;
	char *big = malloc(deep * 16 + (1 << 20) + 64);
	hw_src_file f;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		scan_all(&f, "m.cpp", cut[i]);
		hw_src_file_free(&f);
	}
	/* an unclosed body ends at its last token */
	scan_all(&f, "m.cpp", "int f() {\n  return 1;\n\n");
	assert_int_equal(f.nfuncs, 1);
	assert_string_equal(f.funcs[0].name, "f");
	assert_int_equal(f.funcs[0].last, 2);
	hw_src_file_free(&f);
	/* deeply nested namespaces, a function in the innermost */
	for (size_t d = 0; d < deep; d++)
		n += (size_t)sprintf(big + n, "namespace a{");
	n += (size_t)sprintf(big + n, "int f(){}");
	memset(big + n, '}', deep);
	big[n + deep] = '\0';
	scan_all(&f, "m.cpp", big);
	assert_int_equal(f.nfuncs, 1);
	assert_int_equal(strlen(f.funcs[0].name), deep * 3 + 1);
	hw_src_file_free(&f);
	/* a megabyte declaration of open parentheses and bytes that are
	 * not UTF-8: no function, no hang */
	memset(big, '(', 1 << 20);
	strcpy(big + (1 << 20), "\xff\xfe f() { }\n");
	scan_all(&f, "m.cpp", big);
	assert_int_equal(f.nfuncs, 0);
	hw_src_file_free(&f);
	/* a name that is not UTF-8 is kept as it is */
	scan_all(&f, "m.cpp", "int \xff\x80(int a) { return a; }\n");
	assert_int_equal(f.nfuncs, 1);
	assert_string_equal(f.funcs[0].name, "\xff\x80");
	hw_src_file_free(&f);
	free(big);
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

static hw_lang header(const char *path, const char *text)
{
	return hw_lang_of_text(path, text, strlen(text));
}

/* A `.h` is C++ when its text says so, as linguist's patterns tell a C++
 * header from a C one (google/snappy's internal headers were read as C
 * and none of their 45 functions was found). */
/* Verifies: FR-TRACE-016 */
static void test_lang_a_header_is_cpp_when_its_text_says_so(void **state)
{
	static const char *const cpp[] = {
		"#include <vector>\n", "  # include  <iostream>\n",
		"#include <cstdint>\r\n", "template <typename T>\n",
		"\ttemplate<class T> T f();\n", "class Sink {\n",
		"namespace snappy {\n", "using namespace std;\n",
		"  public:\n", "private:\r\n", "protected:",
		"int f(std::string s);\n", "/* a */ x = std::max(a, b);",
	};
	static const char *const c[] = {
		"#include <string.h>\n", "#include <vectors>\n",
		"#include \"vector\"\n", "templates are not C++\n",
		" * class of a device\n", "classic = 1;\n",
		"int class_id;\n", "namespace\n", "namespace;\n",
		"  public: x\n", "mystd::x\n", "std::\n", "(std:: )\n",
		"#ifdef __cplusplus\nextern \"C\" {\n#endif\n", "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cpp) / sizeof(cpp[0]); i++) {
		if (header("a/b.h", cpp[i]) != HW_LANG_CPP)
			fail_msg("not read as C++: %s", cpp[i]);
		/* the text decides only for a .h */
		assert_int_equal(header("a/b.c", cpp[i]), HW_LANG_C);
	}
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (header("a/b.h", c[i]) != HW_LANG_C)
			fail_msg("not read as C: %s", c[i]);
	assert_int_equal(header("a/b.hpp", ""), HW_LANG_CPP);
	assert_int_equal(header("a.h/b", "class X {"), HW_LANG_C);
	/* a later line decides as well as the first */
	assert_int_equal(header("b.h", "int a;\n\nnamespace x {\n"),
			 HW_LANG_CPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_a_header_is_cpp_when_its_text_says_so),
		cmocka_unit_test(test_lang_cpp_tags_go_to_qualified_functions),
		cmocka_unit_test(test_lang_cpp_test_macros_are_named_suite_dot_name),
		cmocka_unit_test(test_lang_python_defs_methods_and_docstrings),
		cmocka_unit_test(test_lang_python_tag_above_a_decorator_of_many_lines),
		cmocka_unit_test(test_lang_cpp_data_member_is_no_function),
		cmocka_unit_test(test_lang_python_functions_are_found_by_the_scan),
		cmocka_unit_test(test_lang_python_bad_input_never_crashes),
		cmocka_unit_test(test_lang_cpp_functions_are_found_by_the_scan),
		cmocka_unit_test(test_lang_cpp_bad_input_never_crashes),
		cmocka_unit_test(test_lang_real_files_match_ctags),
		cmocka_unit_test(test_lang_cpp_qt_access_labels_end_a_declaration),
		cmocka_unit_test(test_lang_cpp_parenthesized_declarator_is_named),
		cmocka_unit_test(test_lang_cpp_macro_before_namespace),
		cmocka_unit_test(test_lang_cpp_macro_after_namespace_name),
		cmocka_unit_test(test_lang_cpp_macro_before_template),
		cmocka_unit_test(test_lang_cpp_macro_call_before_namespace),
		cmocka_unit_test(test_lang_catch2_doctest_names_are_as_results_name_them),
		cmocka_unit_test(test_lang_cut_catch2_test_cases_never_crash),
		cmocka_unit_test(test_lang_cpp_macro_call_with_literal_before_head),
		cmocka_unit_test(test_lang_strings_hide_tags_and_bad_input_is_a_note),
		cmocka_unit_test(test_lang_of_and_base_names),
	};

	return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
