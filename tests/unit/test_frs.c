/*
 * test_frs.c — FR documents: parsing, per-FR rules, cross-FR lint, the text
 * hash and the JSON listing.
 */
#include "harness.h"

#include "frs/frs.h"

static const char good_doc[] =
	"# Tracing\n"
	"\n"
	"Preamble text that belongs to no FR.\n"
	"\n"
	"## FR-TRACE-001: Scan C sources for trace tags\n"
	"Rev: 2\n"
	"Status: approved\n"
	"Needs: impl, utest, itest\n"
	"\n"
	"The scanner reads every file.\n"
	"\n"
	"It follows FR-TRACE-002.\n"
	"\n"
	"### Notes\n"
	"\n"
	"A sub-heading stays inside the FR.\n"
	"\n"
	"## NFR-TRACE-002: Be fast\n"
	"Status: draft\n"
	"Rev: 1\n"
	"Needs: impl\n"
	"\n"
	"Scanning is fast.\n";

typedef struct parsed {
	hw_fr_set set;
	hw_diags diags;
} parsed;

static void parse(parsed *p, const char *text)
{
	hw_fr_set_init(&p->set);
	hw_diags_init(&p->diags);
	assert_int_equal(hw_frs_parse(&p->set, &p->diags, "frs/t.md", text,
				      strlen(text)),
			 HW_OK);
}

static void parsed_free(parsed *p)
{
	hw_fr_set_free(&p->set);
	hw_diags_free(&p->diags);
}

/* Asserts that diagnostic i is at line with a message containing text. */
static void expect_diag(const parsed *p, size_t i, long line,
			const char *text)
{
	assert_true(i < p->diags.n);
	if (!strstr(p->diags.items[i].message, text))
		fail_msg("diag %zu is '%s', expected '%s'", i,
			 p->diags.items[i].message, text);
	assert_int_equal(p->diags.items[i].line, line);
}

/* Verifies: FR-FRS-001 */
static void test_parse_reads_heading_keys_and_text(void **state)
{
	parsed p;
	const hw_fr *a, *b;

	(void)state;
	parse(&p, good_doc);
	assert_int_equal(p.diags.n, 0);
	assert_int_equal(p.set.n, 2);
	a = &p.set.items[0];
	assert_string_equal(a->id, "FR-TRACE-001");
	assert_string_equal(a->title, "Scan C sources for trace tags");
	assert_int_equal(a->rev, 2);
	assert_int_equal(a->status, HW_FR_APPROVED);
	assert_int_equal(a->needs, HW_NEED_IMPL | HW_NEED_UTEST | HW_NEED_ITEST);
	assert_int_equal(a->line, 5);
	assert_int_equal(a->body_line, 10);
	assert_string_equal(a->file, "frs/t.md");
	assert_string_equal(a->body, "The scanner reads every file.\n\n"
				     "It follows FR-TRACE-002.\n\n### Notes\n\n"
				     "A sub-heading stays inside the FR.\n");
	b = &p.set.items[1];
	assert_string_equal(b->id, "NFR-TRACE-002");
	assert_int_equal(b->status, HW_FR_DRAFT);
	assert_int_equal(b->needs, HW_NEED_IMPL);
	assert_string_equal(b->body, "Scanning is fast.\n");
	assert_ptr_equal(hw_frs_find(&p.set, "NFR-TRACE-002"), b);
	assert_null(hw_frs_find(&p.set, "FR-TRACE-999"));
	parsed_free(&p);
}

/* Verifies: FR-FRS-001 */
static void test_parse_accepts_bom_and_crlf(void **state)
{
	parsed p;

	(void)state;
	parse(&p, "\xEF\xBB\xBF## FR-A-001: T\r\nRev: 3\r\nStatus: approved\r\n"
		  "Needs: impl\r\n\r\nText.\r\n");
	assert_int_equal(p.diags.n, 0);
	assert_int_equal(p.set.n, 1);
	assert_int_equal(p.set.items[0].rev, 3);
	assert_string_equal(p.set.items[0].title, "T");
	assert_string_equal(p.set.items[0].body, "Text.\n");
	parsed_free(&p);
}

/* Verifies: FR-FRS-002 */
static void test_malformed_ids_and_headings_are_reported(void **state)
{
	parsed p;

	(void)state;
	parse(&p, "## FR-cli-1: lower case\nStatus: draft\n\nx\n\n"
		  "## Overview\n\nnot an FR\n\n"
		  "## FR-CLI-01: two digits\nStatus: draft\n\nx\n\n"
		  "## FR-CLI-001:\nStatus: draft\n\nx\n");
	assert_int_equal(p.set.n, 1);
	assert_int_equal(p.diags.errors, 4);
	expect_diag(&p, 0, 1, "malformed FR id 'FR-cli-1'");
	expect_diag(&p, 1, 6, "FR heading must read 'ID: title', got "
			      "'Overview'");
	expect_diag(&p, 2, 10, "malformed FR id 'FR-CLI-01'");
	expect_diag(&p, 3, 15, "FR-CLI-001: empty title");
	parsed_free(&p);
}

/* A heading that reads `ID: title` at another level than 2 is no FR: it
 * used to be lost without a word (`### FR-A-003: t` as a file's only
 * heading: "no errors"). A warning names it; other headings are text as
 * before. */
/* Verifies: FR-FRS-001 */
static void test_a_requirement_heading_at_another_level_is_named(
	void **state)
{
	parsed p;

	(void)state;
	parse(&p, "# FR-A-000: a title\n\n"
		  "## FR-A-001: One\nStatus: draft\nRev: 1\nNeeds: impl\n\n"
		  "Text.\n\n### Notes: on it\n\n#### FR-A-002 : Two\n\n"
		  "More.\n\n### FR-a-3: not an id\n\n###### NFR-A-004: Four\n"
		  "\nFR-A-005: a setext heading\n===\n");
	assert_int_equal(p.set.n, 1);
	assert_int_equal(p.diags.errors, 0);
	assert_int_equal(p.diags.warnings, 4);
	expect_diag(&p, 0, 1, "FR-A-000 is a level-1 heading, so it is read "
			      "as text, not as a requirement: a requirement "
			      "is a level-2 heading ('## FR-A-000: title')");
	expect_diag(&p, 1, 12, "FR-A-002 is a level-4 heading");
	expect_diag(&p, 2, 18, "NFR-A-004 is a level-6 heading");
	expect_diag(&p, 3, 20, "FR-A-005 is a level-1 heading");
	parsed_free(&p);
}

/* Verifies: FR-FRS-002 */
static void test_invalid_and_unknown_keys_are_reported_with_lines(
	void **state)
{
	parsed p;

	(void)state;
	parse(&p, "## FR-A-001: t\nRev: two\nStatus: done\nNeeds: impl, "
		  "ptest\nOwner: bob\nStatus: draft\n\nText\n");
	assert_int_equal(p.set.n, 1);
	assert_int_equal(p.diags.errors, 5);
	expect_diag(&p, 0, 2, "invalid Rev 'two'");
	expect_diag(&p, 1, 3, "invalid Status 'done'");
	expect_diag(&p, 2, 4, "invalid Needs 'impl, ptest'");
	expect_diag(&p, 3, 5, "unknown key 'Owner'");
	expect_diag(&p, 4, 6, "duplicate key 'Status'");
	parsed_free(&p);

	parse(&p, "## FR-A-001: t\nRev: 0\nStatus: approved\nNeeds: ,\n\nx\n");
	assert_int_equal(p.diags.errors, 2);
	expect_diag(&p, 0, 2, "invalid Rev '0'");
	expect_diag(&p, 1, 4, "invalid Needs ','");
	parsed_free(&p);
}

/* Verifies: FR-FRS-002 */
static void test_missing_status_is_an_error_missing_rev_a_warning(
	void **state)
{
	parsed p;

	(void)state;
	parse(&p, "## FR-A-001: t\nNeeds: impl\n\nText\n");
	assert_int_equal(p.diags.errors, 1);
	assert_int_equal(p.diags.warnings, 1);
	expect_diag(&p, 0, 1, "FR-A-001: missing Status");
	expect_diag(&p, 1, 1, "FR-A-001: no Rev; assuming 1");
	assert_int_equal(p.set.items[0].rev, 1);
	parsed_free(&p);

	parse(&p, "## FR-A-001: t\n\nText without keys.\n");
	assert_int_equal(p.diags.errors, 1);
	expect_diag(&p, 0, 1, "missing Status");
	assert_string_equal(p.set.items[0].body, "Text without keys.\n");
	parsed_free(&p);
}

/* Verifies: FR-FRS-002 */
static void test_fr_without_text_is_an_error(void **state)
{
	parsed p;

	(void)state;
	parse(&p, "## FR-A-001: t\nRev: 1\nStatus: draft\nNeeds: impl\n\n"
		  "## FR-A-002: u\nRev: 1\nStatus: draft\nNeeds: impl\n\n  \n");
	assert_int_equal(p.set.n, 2);
	assert_int_equal(p.diags.errors, 2);
	expect_diag(&p, 0, 1, "FR-A-001: the FR has no text");
	expect_diag(&p, 1, 6, "FR-A-002: the FR has no text");
	parsed_free(&p);
}

/* Verifies: FR-FRS-006 */
static void test_empty_binary_and_non_utf8_documents_are_errors(
	void **state)
{
	hw_fr_set set;
	hw_diags d;

	(void)state;
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_parse(&set, &d, "e.md", "", 0), HW_OK);
	assert_int_equal(hw_frs_parse(&set, &d, "b.md", "## FR-A-001: x\n\0z",
				      17),
			 HW_OK);
	assert_int_equal(hw_frs_parse(&set, &d, "u.md", "ok\nab\xfe", 6),
			 HW_OK);
	assert_int_equal(set.n, 0);
	assert_int_equal(d.errors, 3);
	assert_string_equal(d.items[0].message, "empty FR document");
	assert_non_null(strstr(d.items[1].message, "binary file"));
	assert_int_equal(d.items[1].line, 2);
	assert_int_equal(d.items[1].col, 1);
	assert_non_null(strstr(d.items[2].message, "invalid UTF-8 (byte 0xfe)"));
	assert_int_equal(d.items[2].line, 2);
	assert_int_equal(d.items[2].col, 3);
	hw_diags_free(&d);
	hw_fr_set_free(&set);
}

/* Verifies: FR-FRS-003 */
static void test_text_hash_ignores_layout_and_keys_but_not_meaning(
	void **state)
{
	parsed a, b, c, d;

	(void)state;
	parse(&a, "## FR-A-001: Title\nRev: 1\nStatus: draft\n\nOne.\n\nTwo.\n");
	/* different Rev/Status, trailing spaces, extra blank lines */
	parse(&b, "## FR-A-001: Title\nRev: 2\nStatus: approved\n\n\nOne.   "
		  "\n\n\n\nTwo.\n\n\n");
	parse(&c, "## FR-A-001: Title\nRev: 1\nStatus: draft\n\nOne.\n\nTwo!\n");
	parse(&d, "## FR-A-001: Title 2\nRev: 1\nStatus: draft\n\nOne.\n\n"
		  "Two.\n");
	assert_int_equal(strlen(a.set.items[0].sha256), 64);
	assert_string_equal(a.set.items[0].sha256, b.set.items[0].sha256);
	assert_string_not_equal(a.set.items[0].sha256, c.set.items[0].sha256);
	assert_string_not_equal(a.set.items[0].sha256, d.set.items[0].sha256);
	parsed_free(&a);
	parsed_free(&b);
	parsed_free(&c);
	parsed_free(&d);
}

/* Verifies: FR-FRS-005 */
static void test_lint_names_both_places_of_a_duplicate_id(void **state)
{
	hw_fr_set set;
	hw_diags d;
	const char *x = "## FR-A-001: x\nRev: 1\nStatus: draft\nNeeds: impl\n\n"
			"Text.\n";
	const char *y = "\n\n## FR-A-001: y\nRev: 1\nStatus: draft\nNeeds: "
			"impl\n\nText.\n";

	(void)state;
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_parse(&set, &d, "frs/a.md", x, strlen(x)), 0);
	assert_int_equal(hw_frs_parse(&set, &d, "frs/b.md", y, strlen(y)), 0);
	assert_int_equal(hw_frs_lint(&set, &d), HW_OK);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].file, "frs/b.md");
	assert_int_equal(d.items[0].line, 3);
	assert_string_equal(d.items[0].message,
			    "duplicate FR id FR-A-001 (first defined at "
			    "frs/a.md:1)");
	hw_diags_free(&d);
	hw_fr_set_free(&set);
}

/* Verifies: FR-FRS-005 */
static void test_find_by_id_gives_the_first_definition_indexed_or_not(
	void **state)
{
	const char *ids[] = {"FR-B-002", "FR-A-010", "FR-B-002", "FR-A-001",
			     "FR-A-0100"};
	hw_fr_set set;
	hw_diags d;
	char doc[128];

	(void)state;
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	for (size_t i = 0; i < 5; i++) {
		snprintf(doc, sizeof(doc),
			 "## %s: t%zu\nRev: 1\nStatus: draft\nNeeds: impl\n"
			 "\nText.\n",
			 ids[i], i);
		assert_int_equal(hw_frs_parse(&set, &d, "frs/a.md", doc,
					      strlen(doc)),
				 HW_OK);
	}
	for (int indexed = 0; indexed < 2; indexed++) {
		if (indexed)
			assert_int_equal(hw_frs_index(&set), HW_OK);
		assert_ptr_equal(hw_frs_find(&set, "FR-B-002"), &set.items[0]);
		assert_ptr_equal(hw_frs_find(&set, "FR-A-010"), &set.items[1]);
		assert_ptr_equal(hw_frs_find(&set, "FR-A-001"), &set.items[3]);
		assert_ptr_equal(hw_frs_find(&set, "FR-A-0100"), &set.items[4]);
		assert_null(hw_frs_find(&set, "FR-A-01"));
		assert_null(hw_frs_find(&set, "FR-A-0101"));
		assert_null(hw_frs_find(&set, ""));
	}
	/* the lint reads the same index: the later FR-B-002 is the duplicate */
	assert_int_equal(hw_frs_lint(&set, &d), HW_OK);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.items[0].line, 1);
	assert_string_equal(d.items[0].message,
			    "duplicate FR id FR-B-002 (first defined at "
			    "frs/a.md:1)");
	/* an FR added after the index is still found */
	snprintf(doc, sizeof(doc), "## FR-A-000: late\nRev: 1\nStatus: draft"
				   "\nNeeds: impl\n\nText.\n");
	assert_int_equal(hw_frs_parse(&set, &d, "frs/b.md", doc, strlen(doc)),
			 HW_OK);
	assert_ptr_equal(hw_frs_find(&set, "FR-A-000"), &set.items[5]);
	assert_ptr_equal(hw_frs_find(&set, "FR-B-002"), &set.items[0]);
	hw_diags_free(&d);
	hw_fr_set_free(&set);
}

/* Verifies: FR-FRS-005 */
static void test_lint_reports_references_to_unknown_frs(void **state)
{
	parsed p;

	(void)state;
	parse(&p, "## FR-A-001: x\nRev: 1\nStatus: draft\nNeeds: impl\n\n"
		  "See FR-A-002 and FR-A-001.\n\nAlso `NFR-B-010`, not "
		  "XFR-A-003 nor FR-A-04.\n");
	assert_int_equal(hw_frs_lint(&p.set, &p.diags), HW_OK);
	assert_int_equal(p.diags.errors, 2);
	expect_diag(&p, 0, 6, "FR-A-001 refers to FR-A-002, which is not a "
			      "known FR");
	expect_diag(&p, 1, 8, "refers to NFR-B-010");
	parsed_free(&p);
}

/* Verifies: FR-FRS-002 */
static void test_fr_id_validation(void **state)
{
	(void)state;
	assert_true(hw_fr_id_valid("FR-TRACE-001"));
	assert_true(hw_fr_id_valid("NFR-X-0001"));
	assert_false(hw_fr_id_valid("FR-TRACE-01"));
	assert_false(hw_fr_id_valid("FR-Trace-001"));
	assert_false(hw_fr_id_valid("FR--001"));
	assert_false(hw_fr_id_valid("FR-A-001x"));
	assert_false(hw_fr_id_valid("XFR-A-001"));
	assert_false(hw_fr_id_valid(""));
	assert_int_equal(hw_fr_id_len("FR-A-123@2", 10), 8);
}

/* Verifies: FR-FRS-004 */
static void test_json_listing_has_schema_and_every_field(void **state)
{
	parsed p;
	cJSON *doc, *fr;

	(void)state;
	hw_buf out;

	parse(&p, good_doc);
	hw_buf_init(&out, 0);
	assert_int_equal(hw_frs_json(&out, &p.set), HW_OK);
	assert_int_equal(hw_json_parse(&doc, "out", out.data, out.len), HW_OK);
	hw_buf_free(&out);
	assert_string_equal(
		cJSON_GetObjectItem(doc, "schema")->valuestring, "hwledger.frs/1");
	assert_int_equal(cJSON_GetObjectItem(doc, "count")->valueint, 2);
	fr = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "frs"), 0);
	assert_string_equal(cJSON_GetObjectItem(fr, "id")->valuestring,
			    "FR-TRACE-001");
	assert_int_equal(cJSON_GetObjectItem(fr, "rev")->valueint, 2);
	assert_string_equal(cJSON_GetObjectItem(fr, "status")->valuestring,
			    "approved");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(fr, "needs")),
			 3);
	assert_int_equal(cJSON_GetObjectItem(fr, "line")->valueint, 5);
	assert_int_equal(
		strlen(cJSON_GetObjectItem(fr, "sha256")->valuestring), 64);
	assert_non_null(cJSON_GetObjectItem(fr, "text"));
	assert_string_equal(cJSON_GetObjectItem(fr, "file")->valuestring,
			    "frs/t.md");
	cJSON_Delete(doc);
	parsed_free(&p);
}

/* Verifies: FR-FRS-006 */
static void test_load_dir_reports_oversized_files_and_keeps_the_rest(
	void **state)
{
	hw_fr_set set;
	hw_diags d;
	char big[2000];

	(void)state;
	memset(big, 'x', sizeof(big));
	/* the limit is below the big file but above the good one */
	assert_int_equal(hw_mkdir_p("frs"), HW_OK);
	hw_test_write("frs/a.md", good_doc, strlen(good_doc));
	hw_test_write("frs/big.md", big, sizeof(big));
	hw_test_write("frs/notes.txt", "ignored", 7);
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_load_dir(&set, &d, "frs", 1024), HW_OK);
	assert_int_equal(set.n, 2);
	assert_int_equal(set.files, 1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.items[0].message, "frs/big.md: file is 2000 "
						   "bytes"));
	hw_diags_free(&d);
	hw_fr_set_free(&set);
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_load_dir(&set, &d, "missing", 1024),
			 HW_ENOTFOUND);
	hw_fr_set_free(&set);
	hw_diags_free(&d);
}


/* A model of the levels given as name, pattern pairs (NULL-terminated),
 * the last needing impl and utest, and one attribute of each type. */
static void make_model(hw_frs_model *m, const char *const *lv)
{
	static const char *const types[] = {"Owner", "Safety", "Tags", "Due"};

	memset(m, 0, sizeof(*m));
	while (lv[2 * m->nlevels])
		m->nlevels++;
	m->levels = calloc(m->nlevels, sizeof(*m->levels));
	assert_non_null(m->levels);
	for (size_t i = 0; i < m->nlevels; i++) {
		m->levels[i].name = strdup(lv[2 * i]);
		m->levels[i].ids = strdup(lv[2 * i + 1]);
		m->levels[i].dir = strdup("x");
		m->levels[i].needs = i + 1 < m->nlevels ? 0 : 3;
		/* as the config compiles it: as written, matched whole */
		assert_int_equal(regcomp(&m->levels[i].re, lv[2 * i + 1],
					 REG_EXTENDED), 0);
	}
	m->attrs = calloc(4, sizeof(*m->attrs));
	assert_non_null(m->attrs);
	for (int i = 0; i < 4; i++) {
		m->attrs[i].name = strdup(types[i]);
		m->attrs[i].type = (hw_attr_type)i;
	}
	m->attrs[1].values = calloc(3, sizeof(char *));
	m->attrs[1].values[0] = strdup("QM");
	m->attrs[1].values[1] = strdup("ASIL-B");
	m->nattrs = 4;
}

/* Verifies: FR-FRS-008 */
static void test_levels_pick_one_level_by_whole_id(void **state)
{
	static const char *const lv[] = {"system", "SYS-[0-9]{3}", "software",
					 "FR-[A-Z]+-[0-9]{3}", "wide",
					 "SYS-9.*", NULL};
	hw_frs_model m;
	int second = -1;

	(void)state;
	make_model(&m, lv);
	assert_int_equal(hw_frs_model_level(&m, "SYS-001", NULL), 0);
	assert_int_equal(hw_frs_model_level(&m, "FR-A-001", NULL), 1);
	/* anchored: a pattern never matches part of an ID */
	assert_int_equal(hw_frs_model_level(&m, "SYS-0011", NULL), -1);
	assert_int_equal(hw_frs_model_level(&m, "XSYS-001", NULL), -1);
	/* two patterns match: -2, naming the second */
	assert_int_equal(hw_frs_model_level(&m, "SYS-900", &second), -2);
	assert_int_equal(second, 2);
	/* without levels, the FR-/NFR- rule */
	assert_int_equal(hw_frs_model_level(NULL, "NFR-A-001", NULL), 0);
	assert_int_equal(hw_frs_model_level(NULL, "SYS-001", NULL), -1);
	assert_int_equal(hw_req_id_len("SYS-001, x", 10), 7);
	assert_int_equal(hw_req_id_len("SW-A_1-", 7), 6);
	assert_int_equal(hw_req_id_len("S-001", 5), 0);
	assert_int_equal(hw_req_id_len("SYS-", 4), 0);
	assert_int_equal(hw_req_id_len("sys-001", 7), 0);
	hw_frs_model_free(&m);
}

/* Verifies: FR-FRS-008, FR-FRS-009 */
static void test_levels_keys_and_attributes_are_parsed_and_typed(void **state)
{
	static const char *const lv[] = {"system", "SYS-[0-9]{3}", "software",
					 "FR-[A-Z]+-[0-9]{3}", NULL};
	static const char doc[] =
		"## FR-A-001: Child\n"                        /* 1 */
		"Rev: 1\n"
		"Status: approved\n"
		"Parent: SYS-001 , SYS-002\n"                 /* 4 */
		"Depends: FR-A-002\n"
		"Owner: Ann\n"
		"Safety: ASIL-B\n"
		"Tags: a, b\n"
		"Due: 2024-02-29\n"
		"\n"
		"Text.\n"
		"\n"
		"## FR-A-002: Derived one\n"                  /* 13 */
		"Rev: 1\n"
		"Status: draft\n"
		"Derived: yes\n"
		"Rationale: a hardware constraint\n"
		"Safety: ASIL-X\n"                            /* 18 */
		"Due: 2100-02-29\n"                           /* 19 */
		"Tags: a,,b\n"                                /* 20 */
		"Owner: one\n"
		"Owner: two\n"                                /* 22 */
		"\n"
		"Text.\n"
		"\n"
		"## SYS-001: Misplaced\n"                     /* 26 */
		"Status: draft\n"
		"\n"
		"Text.\n";
	hw_frs_model m;
	parsed p;
	const hw_fr *a, *b;

	(void)state;
	make_model(&m, lv);
	hw_fr_set_init(&p.set);
	hw_diags_init(&p.diags);
	p.set.model = &m;
	p.set.level = 1;
	assert_int_equal(hw_frs_parse(&p.set, &p.diags, "frs/t.md", doc,
				      strlen(doc)),
			 HW_OK);
	assert_int_equal(p.set.n, 2);
	a = &p.set.items[0];
	b = &p.set.items[1];
	assert_int_equal(a->level, 1);
	assert_int_equal(a->nparents, 2);
	assert_string_equal(a->parents[1], "SYS-002");
	assert_int_equal(a->parents_line, 4);
	assert_string_equal(a->depends[0], "FR-A-002");
	assert_int_equal(a->nattrs, 4);
	assert_string_equal(a->attrs[2].name, "Tags");
	assert_string_equal(a->attrs[2].value, "a, b");
	/* the lowest level's needs by default, and no warning for them */
	assert_int_equal(a->needs, 3);
	assert_true(b->derived);
	assert_string_equal(b->rationale, "a hardware constraint");
	assert_int_equal(b->nattrs, 1);
	/* each wrong value at its line and column, in the order written */
	assert_int_equal(p.diags.errors, 5);
	expect_diag(&p, 0, 18, "invalid Safety 'ASIL-X'");
	assert_int_equal(p.diags.items[0].col, 9);
	expect_diag(&p, 1, 19, "invalid Due '2100-02-29'");
	expect_diag(&p, 2, 20, "invalid Tags 'a,,b'");
	expect_diag(&p, 3, 22, "duplicate key 'Owner'");
	expect_diag(&p, 4, 26, "SYS-001 is an ID of level 'system'");
	parsed_free(&p);
	hw_frs_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reads_heading_keys_and_text),
		cmocka_unit_test(test_parse_accepts_bom_and_crlf),
		cmocka_unit_test(test_malformed_ids_and_headings_are_reported),
		cmocka_unit_test(
			test_a_requirement_heading_at_another_level_is_named),
		cmocka_unit_test(
			test_invalid_and_unknown_keys_are_reported_with_lines),
		cmocka_unit_test(
			test_missing_status_is_an_error_missing_rev_a_warning),
		cmocka_unit_test(test_fr_without_text_is_an_error),
		cmocka_unit_test(
			test_empty_binary_and_non_utf8_documents_are_errors),
		cmocka_unit_test(
			test_text_hash_ignores_layout_and_keys_but_not_meaning),
		cmocka_unit_test(test_lint_names_both_places_of_a_duplicate_id),
		cmocka_unit_test(
			test_find_by_id_gives_the_first_definition_indexed_or_not),
		cmocka_unit_test(test_lint_reports_references_to_unknown_frs),
		cmocka_unit_test(test_fr_id_validation),
		cmocka_unit_test(test_json_listing_has_schema_and_every_field),
		cmocka_unit_test(test_levels_pick_one_level_by_whole_id),
		cmocka_unit_test(test_levels_keys_and_attributes_are_parsed_and_typed),
		hw_tmp_test(
			test_load_dir_reports_oversized_files_and_keeps_the_rest),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("frs", tests, NULL, NULL);
}
