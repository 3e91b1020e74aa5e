/*
 * test_scan.c — the tag scanner: the three tag syntaxes, attribution to
 * functions, and the C a lexer meets in the wild (strings, characters,
 * macros, nested braces, broken files).
 */
#include "harness.h"

#include "trace/trace.h"

static void scan(hw_src_file *f, const char *text, int is_test, hw_lang lang)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup(lang == HW_LANG_SH ? "t.sh" : "t.c");
	f->is_test = is_test;
	f->lang = lang;
	assert_int_equal(hw_scan_text(f, text, strlen(text)), HW_OK);
}

/* Scans C text keeping every function, tagged or not. */
static void scan_c_all(hw_src_file *f, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup("t.c");
	f->lang = HW_LANG_C;
	assert_int_equal(hw_scan_text_all(f, text, strlen(text)), HW_OK);
}

static const hw_func *func_of(const hw_src_file *f, size_t tag)
{
	assert_true(tag < f->ntags);
	if (f->tags[tag].func < 0)
		return NULL;
	return &f->funcs[f->tags[tag].func];
}

/* Verifies: FR-TRACE-001 */
static void test_scan_attributes_tags_to_following_and_enclosing_functions(
	void **state)
{
	hw_src_file f;
	const char *src =
		"#include <stdio.h>\n"                      /* 1 */
		"/* Implements: FR-A-001 */\n"              /* 2 */
		"static int\n"                              /* 3 */
		"alpha(int x)\n"                            /* 4 */
		"{\n"                                       /* 5 */
		"\tif (x) { return 1; }\n"                  /* 6 */
		"\t// Implements: FR-A-002@3, FR-A-003\n"   /* 7 */
		"\treturn 0;\n"                             /* 8 */
		"}\n"                                       /* 9 */
		"\n"                                        /* 10 */
		"int beta(void) { /* Implements: FR-B-001 */ return 2; }\n";

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.ntags, 4);
	assert_string_equal(f.tags[0].fr, "FR-A-001");
	assert_int_equal(f.tags[0].line, 2);
	assert_int_equal(f.tags[0].col, 16); /* the column of the ID */
	assert_int_equal(f.tags[0].kind, HW_TAG_IMPL);
	assert_string_equal(func_of(&f, 0)->name, "alpha");
	assert_int_equal(func_of(&f, 0)->first, 4);
	assert_int_equal(func_of(&f, 0)->last, 9);
	assert_string_equal(f.tags[1].fr, "FR-A-002");
	assert_int_equal(f.tags[1].rev, 3);
	assert_string_equal(func_of(&f, 1)->name, "alpha");
	assert_string_equal(f.tags[2].fr, "FR-A-003");
	assert_int_equal(f.tags[2].rev, 0);
	assert_int_equal(f.tags[2].line, 7);
	assert_string_equal(func_of(&f, 3)->name, "beta");
	assert_int_equal(func_of(&f, 3)->first, 11);
	assert_int_equal(func_of(&f, 3)->last, 11);
	hw_src_file_free(&f);
}

/* A tag after a function's closing brace, on its line, is that function's
 * (as the C++ and Python readers have it); one line lower it waits for the
 * next function. */
/* Verifies: FR-TRACE-001 */
static void test_scan_gives_a_tag_on_a_closing_line_to_that_function(
	void **state)
{
	hw_src_file f;
	const char *src =
		"int one(void) { return 1; } // Implements: FR-A-001\n" /* 1 */
		"int two(void)\n"                                       /* 2 */
		"{\n"                                                   /* 3 */
		"\treturn 2;\n"                                         /* 4 */
		"} /* Implements: FR-A-002\n"                           /* 5 */
		"     Implements: FR-A-003 */\n"                        /* 6 */
		"int three(void) { return 3; }\n"                       /* 7 */
		"struct s { int a; }; // Implements: FR-A-004\n"        /* 8 */
		"int four(void) { return 4; }\n";                       /* 9 */

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.ntags, 4);
	assert_string_equal(func_of(&f, 0)->name, "one");
	assert_string_equal(func_of(&f, 1)->name, "two");
	/* the comment's next line is past two: the next function's */
	assert_int_equal(f.tags[2].line, 6);
	assert_string_equal(func_of(&f, 2)->name, "three");
	/* a struct is no function: the tag waits for the next one */
	assert_string_equal(func_of(&f, 3)->name, "four");
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_reads_oft_and_traces_to_syntaxes(void **state)
{
	hw_src_file f;
	const char *src =
		"// [impl->fr~FR-A-001~2]\n"
		"void a(void) {}\n"
		"/* Traces to: FR-A-002 */\n"
		"void b(void) {}\n"
		"/* [utest->fr~FR-A-003~1] [itest->fr~FR-A-004~4] */\n"
		"void c(void) {}\n"
		"/* [impl->fr~FR-A-005] describes [impl->fr~<ID>~<REV>] */\n";

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.ntags, 5);
	assert_int_equal(f.tags[0].syntax, HW_SYNTAX_OFT);
	assert_int_equal(f.tags[0].rev, 2);
	assert_string_equal(func_of(&f, 0)->name, "a");
	assert_int_equal(f.tags[1].syntax, HW_SYNTAX_TRACES);
	assert_int_equal(f.tags[1].kind, HW_TAG_IMPL);
	assert_int_equal(f.tags[2].kind, HW_TAG_UTEST);
	assert_int_equal(f.tags[3].kind, HW_TAG_ITEST);
	assert_int_equal(f.tags[3].rev, 4);
	assert_string_equal(func_of(&f, 3)->name, "c");
	/* the OFT tag without a revision is malformed; the placeholder
	 * example in prose is not a tag at all */
	assert_true(f.tags[4].malformed);
	assert_null(func_of(&f, 4));
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_ignores_strings_and_chars_and_prose(void **state)
{
	hw_src_file f;
	const char *src =
		"const char *s = \"/* Implements: FR-S-001 */ {\";\n"
		"char c = '{', d = '\"', e = '\\'';\n"
		"#define BRACE {\n"
		"#define TAG \"// Implements: FR-S-002\"\n"
		"/* Implements: the FR in the brief; see Verifies: above */\n"
		"int f(void) { return '}'; }\n"
		"/* Implements: FR-S-003 */\n"
		"int g(void) { return 0; }\n";

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.ntags, 1);
	assert_string_equal(f.tags[0].fr, "FR-S-003");
	assert_string_equal(func_of(&f, 0)->name, "g");
	assert_int_equal(func_of(&f, 0)->first, 8);
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_handles_macros_attributes_and_multiline_heads(
	void **state)
{
	hw_src_file f;
	const char *src =
		"#define MAX(a, b) \\\n"
		"\t((a) > (b) ? (a) : (b))\n"
		"struct s { int x; };\n"
		"/* Implements: FR-M-001 */\n"
		"static int __attribute__((unused))\n"
		"multi(int a,\n"
		"      int b)\n"
		"{\n"
		"\tstruct s v = { .x = 1 };\n"
		"\treturn MAX(a, b) + v.x;\n"
		"}\n"
		"/* Implements: FR-M-002 */\n"
		"static const int table[] = { 1, 2 };\n"
		"int after(void) { return 0; }\n";

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.ntags, 2);
	assert_string_equal(func_of(&f, 0)->name, "multi");
	assert_int_equal(func_of(&f, 0)->first, 6);
	assert_int_equal(func_of(&f, 0)->last, 11);
	/* a tag above a table belongs to no function, not to the next one */
	assert_null(func_of(&f, 1));
	hw_src_file_free(&f);
}

/* A name in parentheses (Lua's `LUALIB_API void (luaL_register) (...)`,
 * kept from a macro of the same name) and a function returning a pointer
 * to a function (`void (*signal(int, ...))(int)`) are named by their
 * name, not by their return type. */
/* Verifies: FR-TRACE-001 */
static void test_scan_names_a_parenthesized_declarator(void **state)
{
	hw_src_file f;
	const char *src =
		"/* Implements: FR-P-001 */\n"                     /* 1 */
		"API void (reg) (State *L, const char *n,\n"       /* 2 */
		"                const Reg *l) {\n"                /* 3 */
		"  open(L, n, l);\n"                               /* 4 */
		"}\n"                                              /* 5 */
		"/* Implements: FR-P-002 */\n"                     /* 6 */
		"API State *(newstate) (void) { return 0; }\n"     /* 7 */
		"/* Implements: FR-P-003 */\n"                     /* 8 */
		"void (*sig(int s, void (*fn)(int)))(int)\n"       /* 9 */
		"{ return 0; }\n"                                  /* 10 */
		"/* Implements: FR-P-004 */\n"                     /* 11 */
		"int (g)(void) { return (int)(1); }\n"             /* 12 */
		"int (*fp)(int);\n"                                /* 13 */
		"/* Implements: FR-P-005 */\n"                     /* 14 */
		"int f(void) { return 0; }\n"                      /* 15 */
		"/* Implements: FR-P-006 */\n"                     /* 16 */
		"int UNDEF(clear)(void) { return 0; }\n"           /* 17 */
		"int (*table)[3];\n"                               /* 18 */
		"/* Implements: FR-P-007 */\n"                     /* 19 */
		"static char (*rows(int n))[8]\n"                  /* 20 */
		"{ return 0; }\n";                                 /* 21 */
	/* a macro's call (no blank before its '(') names it, as ctags does */
	const char *names[] = {"reg", "newstate", "sig", "g", "f", "UNDEF",
			       "rows"};
	const long first[] = {2, 7, 9, 12, 15, 17, 20};

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.ntags, 7);
	assert_int_equal(f.nfuncs, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_non_null(func_of(&f, i));
		assert_string_equal(func_of(&f, i)->name, names[i]);
		assert_int_equal(func_of(&f, i)->first, first[i]);
	}
	hw_src_file_free(&f);
}

/* A K&R definition, its parameters declared between its head and its
 * body (zlib's test/minigzip.c: `static char *strwinerror (error) DWORD
 * error; {`), is a function, as ctags has it; a prototype whose
 * parameters are type names alone (`void f(size_t);`) is not one. */
/* Verifies: FR-TRACE-001 */
static void test_scan_reads_a_k_and_r_definition(void **state)
{
	hw_src_file f;
	const char *src =
		"/* Implements: FR-K-001 */\n"        /* 1 */
		"static char *strwinerror (error)\n"  /* 2 */
		"     DWORD error;\n"                 /* 3 */
		"{\n"                                 /* 4 */
		"  return 0;\n"                       /* 5 */
		"}\n"                                 /* 6 */
		"void f(size_t);\n"                   /* 7 */
		"/* Implements: FR-K-002 */\n"        /* 8 */
		"int x;\n"                            /* 9 */
		"/* Implements: FR-K-003 */\n"        /* 10 */
		"int h(a, b) int a, b; { return a; }\n" /* 11 */
		"/* Implements: FR-K-004 */\n"        /* 12 */
		"int main(argc, argv)\n"              /* 13 */
		"  int argc;\n"                       /* 14 */
		"  char **argv;\n"                    /* 15 */
		"{ return 0; }\n"                     /* 16 */
		"/* Implements: FR-K-005 */\n"        /* 17 */
		"int apply(fn, n)\n"                  /* 18 */
		"  int (*fn)();\n"                    /* 19 */
		"  int n;\n"                          /* 20 */
		"{ return fn(n); }\n";                /* 21 */

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.ntags, 5);
	assert_non_null(func_of(&f, 0));
	assert_string_equal(func_of(&f, 0)->name, "strwinerror");
	assert_int_equal(func_of(&f, 0)->first, 2);
	assert_int_equal(func_of(&f, 0)->last, 6);
	assert_null(func_of(&f, 1));
	assert_string_equal(func_of(&f, 2)->name, "h");
	assert_string_equal(func_of(&f, 3)->name, "main");
	assert_int_equal(func_of(&f, 3)->first, 13);
	/* a parameter declared through parentheses (a function pointer)
	 * leaves the head pending */
	assert_non_null(func_of(&f, 4));
	assert_string_equal(func_of(&f, 4)->name, "apply");
	assert_int_equal(func_of(&f, 4)->first, 18);
	assert_int_equal(func_of(&f, 4)->last, 21);
	assert_int_equal(f.nfuncs, 4);
	hw_src_file_free(&f);
}

/* Conditionals as the C++ reader reads them (specs/languages.md): braces
 * written once per branch inside a body count once (zlib's trees.c and
 * curl's TLS back ends lost every function after one); a head written
 * once per branch is one function; an `#if 0` holds no function and its
 * tags name none; branches between declarations are all read, also after
 * a macro's name alone on a line. */
/* Verifies: FR-TRACE-001 */
static void test_scan_reads_one_branch_of_a_conditional_in_a_body(
	void **state)
{
	hw_src_file f;
	const char *src =
		"int flush(int a) {\n"                       /* 1 */
		"#ifdef FORCE\n"                             /* 2 */
		"    if (a) { /* a brace per branch */\n"     /* 3 */
		"#elif OTHER\n"                              /* 4 */
		"    if (a > 1) {\n"                         /* 5 */
		"#else\n"                                    /* 6 */
		"    if (a > 2) {\n"                         /* 7 */
		"#endif\n"                                   /* 8 */
		"        a = 0;\n"                           /* 9 */
		"    }\n"                                    /* 10 */
		"    return a;\n"                            /* 11 */
		"}\n"                                        /* 12 */
		"#ifdef STDC\n"                              /* 13 */
		"int print(const char *f, ...)\n"            /* 14 */
		"#else\n"                                    /* 15 */
		"int print(f, a) const char *f; int a;\n"    /* 16 */
		"#endif\n"                                   /* 17 */
		"{ /* Implements: FR-C-001 */ return 0; }\n" /* 18 */
		"#if 0\n"                                    /* 19 */
		"/* Implements: FR-C-002 */\n"               /* 20 */
		"void old(void) { {\n"                       /* 21 */
		"#endif\n"                                   /* 22 */
		"BEGIN_DECLS\n"                              /* 23 */
		"#ifdef A\n"                                 /* 24 */
		"int va(void) { return 1; }\n"               /* 25 */
		"#else\n"                                    /* 26 */
		"int vb(void) { return 2; }\n"               /* 27 */
		"#endif\n"                                   /* 28 */
		"int last(void) { return 3; }\n";            /* 29 */

	(void)state;
	scan_c_all(&f, src);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.nfuncs, 5);
	assert_string_equal(f.funcs[0].name, "flush");
	assert_int_equal(f.funcs[0].first, 1);
	assert_int_equal(f.funcs[0].last, 12);
	assert_string_equal(f.funcs[1].name, "print");
	assert_int_equal(f.funcs[1].first, 14);
	assert_int_equal(f.funcs[1].last, 18);
	assert_string_equal(f.funcs[2].name, "va");
	assert_string_equal(f.funcs[3].name, "vb");
	assert_string_equal(f.funcs[4].name, "last");
	assert_int_equal(f.funcs[4].first, 29);
	assert_int_equal(f.ntags, 2);
	assert_string_equal(func_of(&f, 0)->name, "print");
	/* read, but in code that is not compiled: no function's */
	assert_string_equal(f.tags[1].fr, "FR-C-002");
	assert_null(func_of(&f, 1));
	hw_src_file_free(&f);
}

/* Only `#if 0` (its word exactly "if") holds a branch not read: 0f6052e
 * compared the directive's first two letters, so `#ifdef 0` and
 * `#ifndef 0` hid their first branch from both readers. */
/* Verifies: FR-TRACE-001 */
static void test_scan_only_if_0_hides_its_first_branch(void **state)
{
	hw_src_file f;

	(void)state;
	scan_c_all(&f, "#ifdef 0\nint a(void) { return 0; }\n#endif\n"
		       "#ifndef 0\nint b(void) { return 0; }\n#endif\n"
		       "#if 0\nint c(void) { return 0; }\n#endif\n");
	assert_int_equal(f.nfuncs, 2);
	assert_string_equal(f.funcs[0].name, "a");
	assert_string_equal(f.funcs[1].name, "b");
	hw_src_file_free(&f);
}

/* A test defined through a macro is named as its runner reports it:
 * libuv's `TEST_IMPL(loop_close)` and Check's `START_TEST(test_x)` were
 * all named after the macro, so no result matched a test. A head whose
 * group is a type (`FOO(void)`), a lower-case name, more than one name or
 * a name after a type keeps its name. */
/* Verifies: FR-TRACE-001 */
static void test_scan_names_a_macro_defined_test_after_its_argument(
	void **state)
{
	hw_src_file f;
	const char *src =
		"TEST_IMPL(loop_close) {\n"              /* 1 */
		"  return 0;\n"                          /* 2 */
		"}\n"                                    /* 3 */
		"START_TEST( test_two )\n"               /* 4 */
		"{\n"                                    /* 5 */
		"}\n"                                    /* 6 */
		"END_TEST\n"                             /* 7 */
		"int\n"                                  /* 8 */
		"FOO(void)\n"                            /* 9 */
		"{ return 1; }\n"                        /* 10 */
		"SYSCALL_DEFINE1(close, int, fd) { }\n"  /* 11 */
		"helper(x) { }\n"                        /* 12 */
		"static int BAR(x) { }\n"                /* 13 */
		"  ISR(TIMER1_vect) { }\n";              /* 14 */

	(void)state;
	scan_c_all(&f, src);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.nfuncs, 7);
	assert_string_equal(f.funcs[0].name, "loop_close");
	assert_int_equal(f.funcs[0].first, 1);
	assert_int_equal(f.funcs[0].last, 3);
	assert_string_equal(f.funcs[1].name, "test_two");
	assert_int_equal(f.funcs[1].first, 4);
	assert_string_equal(f.funcs[2].name, "FOO");
	assert_string_equal(f.funcs[3].name, "SYSCALL_DEFINE1");
	assert_string_equal(f.funcs[4].name, "helper");
	assert_string_equal(f.funcs[5].name, "BAR");
	assert_string_equal(f.funcs[6].name, "TIMER1_vect");
	hw_src_file_free(&f);
}

/* A C header's `extern "C" {` block for C++ holds top-level functions:
 * they are found, their tags are theirs, and its '}' is no stray brace. */
/* Verifies: FR-TRACE-001 */
static void test_scan_sees_functions_inside_an_extern_c_block(void **state)
{
	hw_src_file f;
	const char *src =
		"#ifdef __cplusplus\n"                     /* 1 */
		"extern \"C\" {\n"                         /* 2 */
		"#endif\n"                                 /* 3 */
		"/* Implements: FR-X-001 */\n"             /* 4 */
		"int first(int x)\n"                       /* 5 */
		"{\n"                                      /* 6 */
		"\treturn x;\n"                            /* 7 */
		"}\n"                                      /* 8 */
		"extern \"C++\"\n{ int second(void) { /* Implements: FR-X-002 */"
		" return 2; } }\n"                         /* 9-10 */
		"#ifdef __cplusplus\n"                     /* 11 */
		"}\n"                                      /* 12 */
		"#endif\n"
		"const char *s = \"C\";\n"
		"int third(void) { /* Implements: FR-X-003 */ return 3; }\n";

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.nnotes, 0);
	assert_int_equal(f.ntags, 3);
	assert_string_equal(func_of(&f, 0)->name, "first");
	assert_int_equal(func_of(&f, 0)->first, 5);
	assert_int_equal(func_of(&f, 0)->last, 8);
	assert_string_equal(func_of(&f, 1)->name, "second");
	assert_int_equal(func_of(&f, 1)->first, 10);
	/* a literal that follows no `extern` opens nothing */
	assert_string_equal(func_of(&f, 2)->name, "third");
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_flags_malformed_ids_and_keeps_them(void **state)
{
	hw_src_file f;

	(void)state;
	scan(&f, "/* Implements: FR-trace-1, FR-A-01, FR-A-001@x, FR-A-001@ */\n"
		 "void f(void) {}\n",
	     0, HW_LANG_C);
	assert_int_equal(f.ntags, 4);
	for (size_t i = 0; i < 4; i++)
		assert_true(f.tags[i].malformed);
	assert_string_equal(f.tags[0].fr, "FR-trace-1");
	assert_string_equal(f.tags[2].fr, "FR-A-001@x");
	hw_src_file_free(&f);
}

/* A tag keyword written without its ':' (`Implements FR-X-001`) was read
 * as prose and the tag lost without a word, even in a comment with no
 * ':' at all. A capitalised keyword (or one edit from one) right before
 * an FR ID warns; prose in lower case and a ':' before the ID do not. */
/* Verifies: FR-TRACE-001 */
static void test_scan_warns_of_a_tag_keyword_without_its_colon(
	void **state)
{
	hw_src_file f;
	const char *src =
		"/* Implements FR-X-001 */\n"                  /* 1 */
		"int f(void) { return 0; }\n"                  /* 2 */
		"/* this implements FR-X-001 */\n"             /* 3 */
		"// Verifed NFR-X-002 too: here\n"             /* 4 */
		"/* Traces to FR-X-001 */\n"                   /* 5 */
		"/* See FR-X-001; Implements: FR-X-001 */\n"   /* 6 */
		"/*\n * text\n * Verifies\tFR-X-003.\n */\n"  /* 7-10 */
		"/* Implementation FR-X-001, IMPLEMENTS FR-X-1 */\n"; /* 11 */
	const long warned[] = {1, 4, 5, 9, 11};

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	assert_int_equal(f.ntags, 1);
	assert_int_equal(f.nnotes, sizeof(warned) / sizeof(warned[0]));
	for (size_t i = 0; i < f.nnotes; i++) {
		assert_int_equal(f.notes[i].level, HW_DIAG_WARNING);
		assert_int_equal(f.notes[i].line, warned[i]);
		assert_non_null(strstr(f.notes[i].message,
				       "is not a tag: a tag keyword ends with "
				       "':'"));
	}
	assert_non_null(strstr(f.notes[0].message, "'Implements FR-X-001'"));
	assert_non_null(strstr(f.notes[1].message, "'Verifed NFR-X-002'"));
	assert_non_null(strstr(f.notes[2].message, "'Traces to FR-X-001'"));
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_warns_of_a_misspelt_tag_keyword(void **state)
{
	hw_src_file f;
	const char *src =
		"/* Implemnts: FR-X-001 */\n"                 /* 1 */
		"int f(void) { return 0; }\n"                 /* 2 */
		"// implements: FR-X-001\n"                   /* 3 */
		"/* Implements : FR-X-001 */\n"               /* 4 */
		"/* Verfies: FR-X-001@2, FR-X-002 */\n"       /* 5 */
		"/* Verified:NFR-X-001 */\n"                  /* 6 */
		"/* Trace to: FR-X-001 */\n"                  /* 7 */
		"/* Traces  to: FR-X-001 */\n"                /* 8 */
		"/* Implemetns: fr-x-001 */\n"                /* 9 */
		"/* Implements: FR-X-001 Traces to: FR-X-002 */\n" /* 10 */
		"/* Verifies: FR-X-003 */\n"                  /* 11 */
		"/* Complements: FR-X-001, Implementation: FR-X-001 */\n"
		"/* Note: FR-X-001; Verify: UTF-8; my_Implemnts: FR-X-001 */\n"
		"/* Implements: https://x.invalid/a:FR-X-001 */\n"; /* 14 */
	const long warned[] = {1, 3, 4, 5, 6, 7, 8, 9};

	(void)state;
	scan(&f, src, 0, HW_LANG_C);
	/* the tags spelt right are read, the others are not */
	assert_int_equal(f.ntags, 3);
	assert_int_equal(f.nnotes, sizeof(warned) / sizeof(warned[0]));
	for (size_t i = 0; i < f.nnotes; i++) {
		assert_int_equal(f.notes[i].level, HW_DIAG_WARNING);
		assert_int_equal(f.notes[i].line, warned[i]);
		assert_non_null(strstr(f.notes[i].message, "not a tag keyword"));
	}
	assert_non_null(strstr(f.notes[0].message, "'Implemnts:'"));
	assert_non_null(strstr(f.notes[2].message, "'Implements :'"));
	assert_non_null(strstr(f.notes[5].message, "'Trace to:'"));
	hw_src_file_free(&f);

	/* a shell test's comment too */
	scan(&f, "#!/bin/sh\n# Verifes: FR-X-001\ntrue\n", 1, HW_LANG_SH);
	assert_int_equal(f.ntags, 0);
	assert_int_equal(f.nnotes, 1);
	assert_int_equal(f.notes[0].line, 2);
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_survives_broken_files_with_warnings(void **state)
{
	hw_src_file f;
	char *big;

	(void)state;
	scan(&f, "/* Implements: FR-U-001 */\nvoid f(void) {\n/* never closed",
	     0, HW_LANG_C);
	assert_int_equal(f.ntags, 1);
	assert_int_equal(f.nnotes, 2);
	assert_non_null(strstr(f.notes[0].message, "unterminated comment"));
	assert_int_equal(f.notes[0].line, 3);
	assert_non_null(strstr(f.notes[1].message, "unbalanced braces"));
	hw_src_file_free(&f);

	scan(&f, "}}\nvoid g(void) { }\n", 0, HW_LANG_C);
	assert_int_equal(f.nnotes, 2);
	assert_non_null(strstr(f.notes[0].message, "unbalanced '}'"));
	hw_src_file_free(&f);

	memset(&f, 0, sizeof(f));
	f.path = strdup("bin.c");
	assert_int_equal(hw_scan_text(&f, "ab\0cd", 5), HW_OK);
	assert_int_equal(f.nnotes, 1);
	assert_non_null(strstr(f.notes[0].message, "binary file"));
	hw_src_file_free(&f);

	/* a 1 MB line inside a comment, then a tag */
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	memcpy(big, "//", 2);
	big[(1 << 20) - 1] = '\0';
	{
		size_t n = strlen(big);
		char *text = malloc(n + 64);

		assert_non_null(text);
		memcpy(text, big, n);
		strcpy(text + n, "\n/* Implements: FR-L-001 */\nint h(void){}\n");
		scan(&f, text, 0, HW_LANG_C);
		assert_int_equal(f.ntags, 1);
		assert_int_equal(f.tags[0].line, 2);
		assert_string_equal(func_of(&f, 0)->name, "h");
		hw_src_file_free(&f);
		free(text);
	}
	free(big);
}

/*
 * Lines are counted only where one is needed and bodies are skipped 16
 * bytes at a time: tags, columns and function spans must come out the same
 * at every offset, across literals continued over a line, preprocessor
 * lines inside a body and '#' that starts none.
 */
/* Verifies: FR-TRACE-001 */
static void test_scan_lines_and_columns_hold_at_every_offset(void **state)
{
	(void)state;
	for (int k = 0; k < 20; k++) {
		for (int pad = 0; pad < 20; pad++) {
			char src[4096];
			hw_src_file f;
			int n = 0;

			for (int i = 0; i < k; i++)
				n += snprintf(src + n, sizeof(src) - (size_t)n,
					      "int v%d;\n", i);
			snprintf(src + n, sizeof(src) - (size_t)n,
				 "int f(void)\n"                  /* k+1 */
				 "{\n"                            /* k+2 */
				 "\tconst char *s = \"a\\\nb{\";\n" /* k+3,4 */
				 "#define OPEN {\n"               /* k+5 */
				 "  #  if 0\n"                    /* k+6 */
				 "\tint x = '#'; /* # } */ x = 1 # 2;\n"
				 "  # endif\n"                    /* k+8 */
				 "%*s/* Implements: FR-L-001 */\n" /* k+9 */
				 "\treturn s[0] == '}';\n"        /* k+10 */
				 "}\n"                            /* k+11 */
				 "/* Implements: FR-L-002 */\n"   /* k+12 */
				 "int g(void) { return 0; }\n",   /* k+13 */
				 pad, "");
			scan(&f, src, 0, HW_LANG_C);
			assert_int_equal(f.nnotes, 0);
			assert_int_equal(f.ntags, 2);
			assert_int_equal(f.tags[0].line, k + 9);
			assert_int_equal(f.tags[0].col, pad + 16);
			assert_string_equal(func_of(&f, 0)->name, "f");
			assert_int_equal(func_of(&f, 0)->first, k + 1);
			assert_int_equal(func_of(&f, 0)->last, k + 11);
			assert_int_equal(f.tags[1].line, k + 12);
			assert_int_equal(f.tags[1].col, 16);
			assert_string_equal(func_of(&f, 1)->name, "g");
			assert_int_equal(func_of(&f, 1)->first, k + 13);
			assert_int_equal(func_of(&f, 1)->last, k + 13);
			hw_src_file_free(&f);
		}
	}
	/* a body far longer than one counting round (255 x 16 bytes) */
	{
		hw_buf b;
		hw_src_file f;

		hw_buf_init(&b, 0);
		hw_buf_puts(&b, "int f(void)\n{\n");
		for (int i = 0; i < 5000; i++)
			hw_buf_puts(&b, i % 7 ? "\tx++;\n" : "\tx = \"}\";\n");
		for (int i = 0; i < 10000; i++) /* a newline in every lane */
			hw_buf_puts(&b, "\n");
		hw_buf_puts(&b, "\t/* Implements: FR-L-003 */\n}\n");
		scan(&f, b.data, 0, HW_LANG_C);
		assert_int_equal(f.ntags, 1);
		assert_int_equal(f.tags[0].line, 15003);
		assert_int_equal(func_of(&f, 0)->last, 15004);
		hw_src_file_free(&f);
		hw_buf_free(&b);
	}
	/* the newline that ends an unterminated comment at the end of the
	 * file counts too: the open function ends on line 3 */
	{
		hw_src_file f;

		scan(&f, "int f(void) {\n/* open\n", 0, HW_LANG_C);
		assert_int_equal(f.nnotes, 2);
		assert_int_equal(f.notes[1].line, 3);
		hw_src_file_free(&f);
	}
}

/* Verifies: FR-TRACE-001 */
static void test_scan_marks_test_functions_and_keeps_only_needed_ones(
	void **state)
{
	hw_src_file f;

	(void)state;
	scan(&f,
	     "static void helper(void) {}\n"
	     "/* Verifies: FR-T-001 */\n"
	     "static void test_one(void **s) { helper(); }\n"
	     "static void test_orphan(void **s) {}\n"
	     "int main(void) { return 0; }\n",
	     1, HW_LANG_C);
	assert_int_equal(f.ntags, 1);
	assert_int_equal(f.tags[0].kind, HW_TAG_UTEST);
	/* a test file keeps every function: which are tests is the config's
	 * test_functions (test_* here), and a result may name any */
	assert_int_equal(f.nfuncs, 4);
	assert_string_equal(f.funcs[0].name, "helper");
	assert_false(f.funcs[0].is_test);
	assert_string_equal(f.funcs[1].name, "test_one");
	assert_true(f.funcs[1].is_test);
	assert_string_equal(f.funcs[2].name, "test_orphan");
	assert_string_equal(func_of(&f, 0)->name, "test_one");
	hw_src_file_free(&f);
	/* a source file keeps only its tagged functions */
	scan(&f,
	     "static void helper(void) {}\n"
	     "/* Implements: FR-T-001 */\n"
	     "int api(void) { return 0; }\n",
	     0, HW_LANG_C);
	assert_int_equal(f.nfuncs, 1);
	assert_string_equal(f.funcs[0].name, "api");
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-001 */
static void test_scan_reads_shell_tests_as_integration_tests(void **state)
{
	hw_src_file f;

	(void)state;
	scan(&f,
	     "# helpers\n"
	     "run() { \"$@\"; }\n"
	     "\n"
	     "# Verifies: FR-C-001, FR-C-002\n"
	     "test_first() {\n"
	     "  run true  # Verifies: FR-X-999 is not a full-line comment\n"
	     "  # Verifies: FR-C-003\n"
	     "}\n"
	     "test_second() {\n"
	     "  true\n"
	     "}\n",
	     1, HW_LANG_SH);
	assert_int_equal(f.ntags, 3);
	assert_int_equal(f.tags[0].kind, HW_TAG_ITEST);
	assert_string_equal(func_of(&f, 0)->name, "test_first");
	assert_string_equal(func_of(&f, 1)->name, "test_first");
	assert_string_equal(func_of(&f, 2)->name, "test_first");
	assert_int_equal(f.tags[2].line, 7);
	assert_int_equal(f.nfuncs, 3);
	assert_string_equal(f.funcs[0].name, "run");
	assert_string_equal(f.funcs[2].name, "test_second");
	assert_int_equal(f.funcs[1].first, 5);
	assert_int_equal(f.funcs[1].last, 8);
	hw_src_file_free(&f);
}

/* A here-document's body is the text a command reads: a '#' line in it
 * is no comment of the test's, whatever its quoting; `<<<`, arithmetic
 * shifts and `<<` inside quotes start none; one never closed is said. */
/* Verifies: FR-TRACE-001 */
static void test_scan_skips_shell_here_documents(void **state)
{
	hw_src_file f;

	(void)state;
	scan(&f,
	     "# Verifies: FR-H-001\n"                      /* 1 */
	     "test_one() {\n"                              /* 2 */
	     "  cat > a.py <<'PY'\n"                       /* 3 */
	     "# Verifies: FR-X-001\n"                      /* 4 */
	     "}\n"                                         /* 5 */
	     "PY\n"                                        /* 6 */
	     "  cat <<-EOF\n"                              /* 7 */
	     "\t# Verifies: FR-X-002\n"                    /* 8 */
	     "\tEOF\n"                                     /* 9 */
	     "  x=$((1 << 2)); y=$(cat <<< \"z\"); echo \"<<NO\"\n"
	     "  # Verifies: FR-H-002\n"                    /* 11 */
	     "}\n"                                         /* 12 */
	     "test_two() {\n"                              /* 13 */
	     "  cat <<\"END\"\n"                          /* 14 */
	     "# Verifies: FR-X-003\n",                     /* 15 */
	     1, HW_LANG_SH);
	assert_int_equal(f.ntags, 2);
	assert_string_equal(f.tags[0].fr, "FR-H-001");
	assert_string_equal(f.tags[1].fr, "FR-H-002");
	assert_int_equal(f.tags[1].line, 11);
	/* the '}' inside the first here-document does not end test_one */
	assert_string_equal(func_of(&f, 1)->name, "test_one");
	assert_int_equal(f.funcs[0].last, 12);
	assert_int_equal(f.nnotes, 2);
	assert_int_equal(f.notes[0].line, 14);
	assert_non_null(strstr(f.notes[0].message,
			       "here-document 'END' is not closed"));
	hw_src_file_free(&f);
}

/*
 * The Python reader records the classes of a test file that name bases by
 * plain names (pytest runs a base's test methods under the subclass, and
 * link.c joins those results through them): the plain names only, in
 * order, across lines and comments; not `object`, not a dotted, called
 * or keyword base; a class in a def is no class of the module.
 */
/* Verifies: FR-TRACE-016, FR-TRACE-017 */
static void test_scan_records_a_python_test_class_s_plain_bases(void **state)
{
	static const char py[] =
		"class TestSigner:\n"                         /* 1 */
		"    def test_sign(self): pass\n"             /* 2 */
		"class TestTimed(TestSigner, mod.Base,\n"     /* 3 */
		"                # a comment (\n"              /* 4 */
		"                Mixin, Gen[T], f(x), \"s\",\n" /* 5 */
		"                metaclass=Meta):\n"           /* 6 */
		"    class Inner(object, TestTimed): pass\n"  /* 7 */
		"class Plain(object): pass\n"                 /* 8 */
		"def helper():\n"                             /* 9 */
		"    class Local(TestSigner): pass\n"         /* 10 */
		"class Last(A,B): pass\n";                    /* 11 */
	hw_src_file f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.path = strdup("tests/test_x.py");
	f.lang = HW_LANG_PY;
	f.is_test = 1;
	assert_int_equal(hw_scan_text(&f, py, strlen(py)), HW_OK);
	assert_int_equal(f.nclasses, 3);
	assert_string_equal(f.classes[0].name, "tests.test_x.TestTimed");
	assert_string_equal(f.classes[0].bases, "TestSigner Mixin");
	assert_int_equal(f.classes[0].line, 3);
	assert_string_equal(f.classes[1].name,
			    "tests.test_x.TestTimed.Inner");
	assert_string_equal(f.classes[1].bases, "TestTimed");
	assert_string_equal(f.classes[2].name, "tests.test_x.Last");
	assert_string_equal(f.classes[2].bases, "A B");
	/* the functions are as before */
	assert_int_equal(f.nfuncs, 2);
	assert_string_equal(f.funcs[0].name, "tests.test_x.TestSigner.test_sign");
	hw_src_file_free(&f);
	/* a source file's classes are not recorded */
	memset(&f, 0, sizeof(f));
	f.path = strdup("pkg/m.py");
	f.lang = HW_LANG_PY;
	assert_int_equal(hw_scan_text(&f, py, strlen(py)), HW_OK);
	assert_int_equal(f.nclasses, 0);
	hw_src_file_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_scan_attributes_tags_to_following_and_enclosing_functions),
		cmocka_unit_test(
			test_scan_gives_a_tag_on_a_closing_line_to_that_function),
		cmocka_unit_test(test_scan_reads_oft_and_traces_to_syntaxes),
		cmocka_unit_test(test_scan_ignores_strings_and_chars_and_prose),
		cmocka_unit_test(
			test_scan_handles_macros_attributes_and_multiline_heads),
		cmocka_unit_test(test_scan_names_a_parenthesized_declarator),
		cmocka_unit_test(test_scan_reads_a_k_and_r_definition),
		cmocka_unit_test(
			test_scan_reads_one_branch_of_a_conditional_in_a_body),
		cmocka_unit_test(test_scan_only_if_0_hides_its_first_branch),
		cmocka_unit_test(
			test_scan_names_a_macro_defined_test_after_its_argument),
		cmocka_unit_test(test_scan_sees_functions_inside_an_extern_c_block),
		cmocka_unit_test(test_scan_flags_malformed_ids_and_keeps_them),
		cmocka_unit_test(test_scan_warns_of_a_misspelt_tag_keyword),
		cmocka_unit_test(
			test_scan_warns_of_a_tag_keyword_without_its_colon),
		cmocka_unit_test(test_scan_survives_broken_files_with_warnings),
		cmocka_unit_test(
			test_scan_lines_and_columns_hold_at_every_offset),
		cmocka_unit_test(
			test_scan_marks_test_functions_and_keeps_only_needed_ones),
		cmocka_unit_test(
			test_scan_reads_shell_tests_as_integration_tests),
		cmocka_unit_test(test_scan_skips_shell_here_documents),
		cmocka_unit_test(
			test_scan_records_a_python_test_class_s_plain_bases),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
