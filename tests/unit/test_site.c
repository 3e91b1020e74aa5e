/*
 * test_site.c — the site renderer: escaping, file names for paths, hostile
 * FR text, "not run" for missing evidence, determinism and the atomic swap.
 */
#include "harness.h"

#include <ctype.h>
#include <sys/stat.h>

#include "site/site.h"

static char *slurp(const char *path)
{
	hw_buf b;

	hw_buf_init(&b, 0);
	if (hw_file_read(&b, path, (size_t)64 << 20)) {
		hw_buf_free(&b);
		return NULL;
	}
	return hw_buf_detach(&b);
}

static void write_file(const char *path, const char *text)
{
	char *dir = strdup(path), *slash = strrchr(dir, '/');

	if (slash) {
		*slash = 0;
		assert_int_equal(hw_mkdir_p(dir), 0);
	}
	free(dir);
	hw_test_write(path, text, strlen(text));
}

/* The first error (not warning) of d. */
static const hw_diag *first_error(const hw_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].level == HW_DIAG_ERROR)
			return &d->items[i];
	fail_msg("no error among %zu diagnostics", d->n);
	return NULL;
}

static int render(const char *out, hw_diags *d)
{
	hw_site_opts o = {.out_dir = out, .checks_dir = "checks"};
	hw_site_stats st;

	return hw_site_render(&o, d, &st);
}

static void repo(const char *fr_text)
{
	write_file("frs/a.md", fr_text);
	write_file("specs/glossary.md",
		   "# Glossary\n\n- **KV cache:** Keys and values kept per "
		   "token.\n- **GPU:** A graphics processor.\n");
}

static const char plain_fr[] = "## FR-A-001: Plan the KV cache\nRev: 1\n"
			       "Status: approved\n\nThe GPU keeps a KV cache; "
			       "the KV cache grows.\n";

/* Verifies: FR-SITE-003 */
static void test_escape_covers_every_special_character(void **state)
{
	hw_buf b;
	static const char in[] = "<a href=\"x\" onclick='y'>&</a>";

	(void)state;
	hw_buf_init(&b, 0);
	assert_int_equal(hw_html_escape(&b, in, strlen(in)), 0);
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot; onclick=&#39;y"
				    "&#39;&gt;&amp;&lt;/a&gt;");
	hw_buf_clear(&b);
	assert_int_equal(hw_html_escape(&b, "a\0b", 3), 0);
	assert_string_equal(b.data, "a\xEF\xBF\xBD" "b");
	hw_buf_free(&b);
}

/* Whether name is made only of the bytes page names may hold. */
static int flat_name(const char *name)
{
	return name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789.-_") == strlen(name);
}

/* Verifies: FR-SITE-003 */
static void test_long_path_names_are_cut_with_a_hash(void **state)
{
	/* "_" is written "_5F": 195 bytes of a_a_... gave a 490-byte name,
	 * which no file system takes (site and report exit 3) */
	char paths[6][1200];
	char *names[6];

	(void)state;
	memset(paths, 0, sizeof(paths));
	for (size_t i = 0; i < 195; i++)
		paths[0][i] = i % 2 ? '_' : 'a';
	memcpy(paths[1], paths[0], 195);
	paths[1][194] = 'b'; /* differs only in its last byte */
	for (size_t i = 0; i < 1100; i++)
		paths[2][i] = (char)(0x80 + i % 64);
	memset(paths[3], 'x', 200); /* as long as a name may be: kept */
	memset(paths[4], 'x', 201); /* one more: cut */
	for (size_t i = 0; i < 204; i++) /* the cut falls inside a _5F */
		paths[5][i] = i < 164 ? 'y' : '_';
	for (size_t i = 0; i < 6; i++) {
		hw_buf b;

		hw_buf_init(&b, 0);
		assert_int_equal(hw_buf_puts(&b, "src/"), 0);
		assert_int_equal(hw_site_path_name(&b, paths[i]), 0);
		assert_true(b.len - 4 <= HW_SITE_NAME_KEEP);
		assert_true(flat_name(b.data + 4));
		names[i] = hw_buf_detach(&b);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(names[k], names[i]);
	}
	assert_string_equal(names[3] + 4, paths[3]);
	assert_int_equal(strlen(names[4]), 4 + HW_SITE_NAME_KEEP);
	assert_non_null(strstr(names[4], "_h"));
	/* 166 bytes kept would end in "_5": cut back to the 164 y's */
	assert_int_equal(strlen(names[5]), 4 + 164 + 2 + 32);
	assert_int_equal(names[5][4 + 164], '_');
	assert_int_equal(names[5][4 + 165], 'h');
	/* never half an escape: every '_' is _XX or the hash's _h */
	for (size_t i = 0; i < 6; i++)
		for (const char *p = strchr(names[i], '_'); p;
		     p = strchr(p + 1, '_'))
			assert_true(p[1] == 'h' ||
				    (isxdigit((unsigned char)p[1]) &&
				     isxdigit((unsigned char)p[2])));
	/* the same path gives the same name */
	{
		hw_buf b;

		hw_buf_init(&b, 0);
		assert_int_equal(hw_buf_puts(&b, "src/"), 0);
		assert_int_equal(hw_site_path_name(&b, paths[2]), 0);
		assert_string_equal(b.data, names[2]);
		hw_buf_free(&b);
	}
	for (size_t i = 0; i < 6; i++)
		free(names[i]);
}

/* Verifies: FR-SITE-003 */
static void test_path_names_are_flat_and_distinct(void **state)
{
	static const char *const paths[] = {"src/a.c", "src_a.c", "src/a_c",
					    "../etc/passwd", "src/my file ü.c",
					    ".hidden", "src/a.c/"};
	char *names[7];

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		hw_buf b;

		hw_buf_init(&b, 0);
		assert_int_equal(hw_site_path_name(&b, paths[i]), 0);
		assert_null(strchr(b.data, '/'));
		assert_true(b.data[0] != '.');
		for (const char *p = b.data; *p; p++)
			assert_true(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGH"
					   "IJKLMNOPQRSTUVWXYZ0123456789.-_",
					   *p) != NULL);
		names[i] = hw_buf_detach(&b);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(names[k], names[i]);
	}
	assert_string_equal(names[0], "src_2Fa.c");
	for (size_t i = 0; i < 7; i++)
		free(names[i]);
}

/* Verifies: FR-SITE-001 */
static void test_missing_evidence_renders_as_not_run(void **state)
{
	hw_diags d;
	char *index, *matrix, *fr;

	(void)state;
	repo(plain_fr);
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), 0);
	assert_int_equal(d.errors, 0);
	index = slurp("site/index.html");
	matrix = slurp("site/matrix.html");
	fr = slurp("site/fr/FR-A-001.html");
	assert_non_null(index);
	assert_non_null(strstr(index, "The gate was not run."));
	assert_non_null(strstr(index, "SAST was not run."));
	assert_null(strstr(index, "st-pass"));
	assert_non_null(strstr(matrix, "Traceability was not run"));
	assert_non_null(strstr(fr, "st-not-run"));
	/* the glossary links the first use of each term, once */
	assert_non_null(strstr(fr, "glossary.html#t-kv-cache"));
	assert_null(strstr(strstr(fr, "glossary.html#t-kv-cache") + 1,
			   "glossary.html#t-kv-cache"));
	assert_non_null(strstr(fr, "glossary.html#t-gpu"));
	free(index);
	free(matrix);
	free(fr);
	hw_diags_free(&d);
}

/* A hyphen between words is the space of a term's name ("KV-cache" links
 * "KV cache"), the word kept as written. */
/* Verifies: FR-SITE-001 */
static void test_a_hyphenated_use_links_its_term(void **state)
{
	hw_diags d;
	char *fr;

	(void)state;
	repo("## FR-A-001: Plan\nRev: 1\nStatus: approved\n\n"
	     "The KV-cache grows.\n");
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), 0);
	assert_int_equal(d.errors, 0);
	fr = slurp("site/fr/FR-A-001.html");
	assert_non_null(fr);
	assert_non_null(strstr(fr, "glossary.html#t-kv-cache"));
	assert_non_null(strstr(fr, ">KV-cache</"));
	free(fr);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_hostile_fr_text_is_never_executable(void **state)
{
	hw_diags d;
	char *fr, *matrix;

	(void)state;
	repo("## FR-A-001: <script>alert(1)</script> \"quoted\"\nRev: 1\n"
	     "Status: approved\n\n<script>alert(2)</script>\n\nText <img src=x "
	     "onerror=alert(3)> and [link](javascript:alert(4)) and "
	     "[ok](https://example.org) and ![i](data:text/html,x) and "
	     "[rel](../matrix.html#x).\n\n"
	     "<div onclick=\"alert(5)\">block</div>\n");
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), 0);
	fr = slurp("site/fr/FR-A-001.html");
	matrix = slurp("site/matrix.html");
	assert_non_null(fr);
	assert_null(strstr(fr, "<script>alert"));
	assert_null(strstr(fr, "<img src=x"));
	assert_null(strstr(fr, "<div onclick"));
	assert_null(strstr(fr, "javascript:"));
	assert_null(strstr(fr, "data:text"));
	assert_non_null(strstr(fr, "&lt;script&gt;alert(1)"));
	assert_non_null(strstr(fr, "&lt;img src=x onerror=alert(3)&gt;"));
	assert_non_null(strstr(fr, "href=\"https://example.org\""));
	assert_non_null(strstr(fr, "href=\"../matrix.html#x\""));
	assert_null(strstr(matrix, "<script>alert"));
	assert_non_null(strstr(matrix, "&quot;quoted&quot;"));
	free(fr);
	free(matrix);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_same_inputs_give_the_same_bytes(void **state)
{
	hw_diags d;

	(void)state;
	repo(plain_fr);
	hw_diags_init(&d);
	assert_int_equal(render("one", &d), 0);
	assert_int_equal(render("two", &d), 0);
	assert_int_equal(system("diff -r one two >/dev/null"), 0);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_replacing_without_rename_exchange(void **state)
{
	hw_diags d;
	char *index;

	(void)state;
	repo(plain_fr);
	hw_diags_init(&d);
	setenv("HWLEDGER_SITE_NO_EXCHANGE", "1", 1);
	assert_int_equal(render("site", &d), 0);
	write_file("site/stale.html", "old\n");
	assert_int_equal(render("site", &d), 0);
	unsetenv("HWLEDGER_SITE_NO_EXCHANGE");
	index = slurp("site/index.html");
	assert_non_null(index);
	assert_false(hw_path_exists("site/stale.html"));
	assert_false(hw_path_exists("site.old"));
	assert_int_not_equal(system("ls -d site.tmp-* 2>/dev/null"), 0);
	free(index);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_bad_evidence_keeps_the_previous_site(void **state)
{
	hw_diags d;
	char *before, *after;

	(void)state;
	repo(plain_fr);
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), 0);
	before = slurp("site/index.html");
	write_file("checks/trace.json", "{\"schema\": \"hwledger.trace/1\",\n"
					"\"frs\": [\n");
	assert_int_equal(render("site", &d), HW_EINVAL);
	assert_true(d.errors > 0);
	/* "FILE:LINE:COL: message" */
	assert_true(hw_str_startswith(first_error(&d)->message,
				      "checks/trace.json:2:"));
	after = slurp("site/index.html");
	assert_non_null(after);
	assert_string_equal(before, after);
	assert_int_not_equal(system("ls -d site.tmp-* 2>/dev/null"), 0);
	/* a document of the wrong kind is an error too, not a page */
	hw_diags_free(&d);
	hw_diags_init(&d);
	write_file("checks/trace.json", "{\"schema\": \"hwledger.sast/1\"}\n");
	assert_int_equal(render("site", &d), HW_EINVAL);
	assert_non_null(strstr(first_error(&d)->message, "schema"));
	free(before);
	free(after);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_an_output_that_is_a_file_is_not_replaced(void **state)
{
	hw_diags d;
	char *kept;

	(void)state;
	repo(plain_fr);
	write_file("site", "not a folder\n");
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), HW_EIO);
	kept = slurp("site");
	assert_string_equal(kept, "not a folder\n");
	assert_int_not_equal(system("ls -d site.tmp-* 2>/dev/null"), 0);
	free(kept);
	hw_diags_free(&d);
}

/* Verifies: FR-SITE-003 */
static void test_remote_images_become_links_and_every_page_has_a_csp(
	void **state)
{
	static const char *const pages[] = {
		"site/index.html", "site/matrix.html", "site/fr/FR-A-001.html",
		"site/sast.html", "site/glossary.html", "site/ledger.html"};
	hw_diags d;
	char *fr;

	(void)state;
	repo("## FR-A-001: Remote\nRev: 1\nStatus: approved\n\n"
	     "![tracked](https://tracker.example/p.png) "
	     "![rel](//host.example/p.png) ![bs](\\\\\\\\host.example/q.png) "
	     "![mixed](/\\host.example/r.png) ![local](img/ok.png) "
	     "[a link](https://example.org/x) and "
	     "[![nested](https://tracker.example/n.png)](https://example.org/y)"
	     ".\n");
	hw_diags_init(&d);
	assert_int_equal(render("site", &d), 0);
	fr = slurp("site/fr/FR-A-001.html");
	assert_non_null(fr);
	/* nothing on the page is fetched from another host */
	assert_null(strstr(fr, "<img src=\"https:"));
	assert_null(strstr(fr, "<img src=\"//"));
	assert_null(strstr(fr, "<img src=\"\\\\"));
	assert_null(strstr(fr, "<img src=\"/\\"));
	/* ... but each is still there, as a link with its text */
	assert_non_null(
		strstr(fr, "<a href=\"https://tracker.example/p.png\">tracked</a>"));
	assert_non_null(strstr(fr, "<a href=\"//host.example/p.png\">rel</a>"));
	assert_non_null(strstr(fr, ">bs</a>"));
	assert_non_null(strstr(fr, ">mixed</a>"));
	assert_non_null(strstr(fr, "<img src=\"img/ok.png\" alt=\"local\""));
	assert_non_null(strstr(fr, "<a href=\"https://example.org/x\">a link</a>"));
	/* an image in a link leaves its text there: a link holds no link */
	assert_non_null(strstr(fr, "<a href=\"https://example.org/y\">nested</a>"));
	free(fr);
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		char *page = slurp(pages[i]);

		assert_non_null(page);
		assert_non_null(strstr(page, "<meta http-equiv=\"Content-Security-"
					     "Policy\" content=\"default-src "
					     "'self'"));
		free(page);
	}
	hw_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_covers_every_special_character),
		cmocka_unit_test(test_path_names_are_flat_and_distinct),
		cmocka_unit_test(test_long_path_names_are_cut_with_a_hash),
		hw_tmp_test(test_missing_evidence_renders_as_not_run),
		hw_tmp_test(test_a_hyphenated_use_links_its_term),
		hw_tmp_test(test_hostile_fr_text_is_never_executable),
		hw_tmp_test(
			test_remote_images_become_links_and_every_page_has_a_csp),
		hw_tmp_test(test_same_inputs_give_the_same_bytes),
		hw_tmp_test(test_bad_evidence_keeps_the_previous_site),
		hw_tmp_test(test_replacing_without_rename_exchange),
		hw_tmp_test(test_an_output_that_is_a_file_is_not_replaced),
	};

	hw_crypto_init();
	return cmocka_run_group_tests_name("site", tests, NULL, NULL);
}
