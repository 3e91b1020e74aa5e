/*
 * test_interchange.c — the pieces of src/interchange that the CLI tests
 * reach only through whole files: foreign IDs and statuses, and the XHTML
 * of a ReqIF value as Markdown.
 */
#include "harness.h"

#include "interchange/interchange.h"

static void expect_id(const char *foreign, const char *want, int changed)
{
	int c = -1;
	char *id = hw_imp_id(foreign, &c);

	if (!want) {
		assert_null(id);
		return;
	}
	assert_non_null(id);
	assert_string_equal(id, want);
	assert_int_equal(c, changed);
	free(id);
}

/* Verifies: FR-XCH-002 */
static void test_foreign_ids_become_requirement_ids(void **state)
{
	(void)state;
	expect_id("SW-APP-001", "SW-APP-001", 0);
	expect_id("1.2", "REQ-1-2", 1);
	expect_id("R001", "REQ-R001", 1);
	expect_id("_xen_QMkhEee8", "REQ-XEN_QMKHEEE8", 1);
	expect_id("pump stop / valve", "PUMP-STOP-VALVE", 1);
	expect_id("--", NULL, 0);
	expect_id("", NULL, 0);
	/* 65 characters after rewriting: no ID */
	expect_id("ab-cdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
		  NULL, 0);
}

/* Verifies: FR-XCH-002 */
static void test_foreign_statuses_map_onto_three(void **state)
{
	(void)state;
	assert_string_equal(hw_imp_status("Released"), "approved");
	assert_string_equal(hw_imp_status("in work"), "draft");
	assert_string_equal(hw_imp_status("REJECTED"), "deprecated");
	assert_null(hw_imp_status("frozen"));
}

/* A ReqIF file of one object AB-1: its type has the ForeignID definition
 * and defs, its values the ID and values. */
static char *reqif_doc(const char *defs, const char *values)
{
	hw_buf b;

	hw_buf_init(&b, 0);
	assert_int_equal(
		hw_buf_printf(&b,
			"<REQ-IF xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"
			"<CORE-CONTENT><REQ-IF-CONTENT><DATATYPES>"
			"<DATATYPE-DEFINITION-XHTML IDENTIFIER=\"x\"/>"
			"<DATATYPE-DEFINITION-STRING IDENTIFIER=\"s\"/>"
			"</DATATYPES><SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER=\"t\">"
			"<SPEC-ATTRIBUTES>"
			"<ATTRIBUTE-DEFINITION-STRING IDENTIFIER=\"a-id\" "
			"LONG-NAME=\"ReqIF.ForeignID\"/>%s"
			"</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>"
			"<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"o\"><VALUES>"
			"<ATTRIBUTE-VALUE-STRING THE-VALUE=\"AB-1\"><DEFINITION>"
			"<ATTRIBUTE-DEFINITION-STRING-REF>a-id"
			"</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>"
			"</ATTRIBUTE-VALUE-STRING>%s"
			"</VALUES></SPEC-OBJECT></SPEC-OBJECTS>"
			"</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>",
			defs, values),
		0);
	return hw_buf_detach(&b);
}

/* A STRING attribute definition named name, and a value of it. */
#define STRING_DEF(id, name)                                              \
	"<ATTRIBUTE-DEFINITION-STRING IDENTIFIER=\"" id "\" LONG-NAME=\"" \
	name "\"/>"
#define STRING_VALUE(id, v)                                                \
	"<ATTRIBUTE-VALUE-STRING THE-VALUE=\"" v "\"><DEFINITION>"         \
	"<ATTRIBUTE-DEFINITION-STRING-REF>" id                             \
	"</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>"                  \
	"</ATTRIBUTE-VALUE-STRING>"

/* Reads doc (freed) into s: one requirement, no error. */
static void read_doc(hw_imp_set *s, char *doc)
{
	hw_imp_map map;
	hw_diags d;

	memset(&map, 0, sizeof(map));
	hw_imp_set_init(s, "reqif");
	hw_diags_init(&d);
	assert_int_equal(hw_reqif_read(s, &d, "t.reqif", doc, strlen(doc),
				       &map, NULL, "t"),
			 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(s->n, 1);
	assert_string_equal(s->items[0].id, "AB-1");
	hw_diags_free(&d);
	free(doc);
}

/* The object's ReqIF.Text is xhtml, its Rev rev. */
static void read_one(hw_imp_set *s, const char *xhtml, const char *rev)
{
	hw_buf v;

	hw_buf_init(&v, 0);
	assert_int_equal(
		hw_buf_printf(&v,
			"<ATTRIBUTE-VALUE-STRING THE-VALUE=\"%s\"><DEFINITION>"
			"<ATTRIBUTE-DEFINITION-STRING-REF>a-r"
			"</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>"
			"</ATTRIBUTE-VALUE-STRING>"
			"<ATTRIBUTE-VALUE-XHTML><DEFINITION>"
			"<ATTRIBUTE-DEFINITION-XHTML-REF>a-t"
			"</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>"
			"<THE-VALUE>%s</THE-VALUE></ATTRIBUTE-VALUE-XHTML>",
			rev, xhtml),
		0);
	read_doc(s, reqif_doc("<ATTRIBUTE-DEFINITION-XHTML IDENTIFIER=\"a-t\" "
			      "LONG-NAME=\"ReqIF.Text\"/>" STRING_DEF("a-r", "Rev"),
			      v.data));
	hw_buf_free(&v);
}

static void expect_markdown(const char *xhtml, const char *want)
{
	hw_imp_set s;

	read_one(&s, xhtml, "1");
	assert_string_equal(s.items[0].text, want);
	hw_imp_set_free(&s);
}

/* A Rev is a whole positive number or nothing: "3x" is not 3. */
/* Verifies: FR-XCH-002 */
static void test_rev_is_a_whole_positive_number(void **state)
{
	static const struct { const char *rev; int want; } cases[] = {
		{"3", 3}, {"3x", 1}, {"0", 1}, {"-2", 1}, {"", 1},
		{"99999999999", 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hw_imp_set s;

		read_one(&s, "<xhtml:p>x</xhtml:p>", cases[i].rev);
		assert_int_equal(s.items[0].rev, cases[i].want);
		hw_imp_set_free(&s);
	}
}

/* Verifies: FR-XCH-002 */
static void test_xhtml_becomes_markdown(void **state)
{
	(void)state;
	expect_markdown("<xhtml:div><xhtml:p>One <xhtml:b>two</xhtml:b> "
			"<xhtml:em>three</xhtml:em></xhtml:p>"
			"<xhtml:p>Four</xhtml:p></xhtml:div>",
			"One **two** *three*\n\nFour");
	expect_markdown("<xhtml:ol><xhtml:li>a</xhtml:li><xhtml:li>b"
			"<xhtml:ul><xhtml:li>c</xhtml:li></xhtml:ul>"
			"</xhtml:li></xhtml:ol>",
			"1. a\n2. b\n   - c");
	/* Markdown's punctuation in text stays text */
	expect_markdown("<xhtml:p>*not* [a](link) &amp; 2 &lt; 3</xhtml:p>",
			"\\*not\\* \\[a\\](link) \\& 2 \\< 3");
	expect_markdown("<xhtml:p>see <xhtml:a href=\"https://e.org/(x)\">"
			"this</xhtml:a></xhtml:p>",
			"see [this](https://e.org/\\(x\\))");
	/* a level-1 heading would end the requirement: level 3 at most */
	expect_markdown("<xhtml:h1>Title</xhtml:h1><xhtml:p>x</xhtml:p>",
			"### Title\n\nx");
	expect_markdown("<xhtml:pre>a  *b*\n c</xhtml:pre>",
			"```\na  *b*\n c\n```");
	expect_markdown("<xhtml:p>a<xhtml:script>x()</xhtml:script></xhtml:p>",
			"a\\<script\\>x()\\</script\\>");
	/* a line of text starting like a list or heading is escaped */
	expect_markdown("<xhtml:p>- no list</xhtml:p>", "\\- no list");
}

/* A text of type STRING is taken as Markdown, but a level-2 heading in it
 * would start another requirement in the file written: level 3. */
/* Verifies: FR-XCH-002 */
static void test_string_text_cannot_start_a_requirement(void **state)
{
	hw_imp_set s;

	(void)state;
	read_doc(&s, reqif_doc(STRING_DEF("a-t", "ReqIF.Text"),
			       STRING_VALUE("a-t", "Intro&#10;## AB-2: no&#10;"
						   "```&#10;## kept in code&#10;```")));
	assert_string_equal(s.items[0].text, "Intro\n### AB-2: no\n"
					     "```\n## kept in code\n```");
	hw_imp_set_free(&s);
}

/* Depends values of another tool are IDs like the objects' IDs: rewritten
 * the same way, and what cannot be one is left out. */
/* Verifies: FR-XCH-002 */
static void test_depends_are_requirement_ids(void **state)
{
	hw_imp_set s;

	(void)state;
	read_doc(&s, reqif_doc(STRING_DEF("a-d", "Depends"),
			       STRING_VALUE("a-d", "SW-1, 1.2, ##")));
	assert_int_equal(s.items[0].ndepends, 2);
	assert_string_equal(s.items[0].depends[0], "SW-1");
	assert_string_equal(s.items[0].depends[1], "REQ-1-2");
	hw_imp_set_free(&s);
}

/* The map m refused with message want (its first diagnostic). */
static void map_refused(const char *m, const char *want)
{
	hw_imp_map map;
	hw_diags d;
	char got[512];

	hw_test_write("map.json", m, strlen(m));
	hw_diags_init(&d);
	hw_imp_map_load(&map, "map.json", &d);
	assert_int_equal(d.errors, 1);
	snprintf(got, sizeof(got), "%s:%ld: %s",
		 d.items[0].file ? d.items[0].file : "", d.items[0].line,
		 d.items[0].message);
	assert_string_equal(got, want);
	hw_imp_map_free(&map);
	hw_diags_free(&d);
}

/* A key given twice was taken at its last value (the first one leaked);
 * a wrong key was refused at line 1 wherever it stood. */
/* Verifies: FR-XCH-002, FR-XCH-003 */
static void test_import_map_refuses_a_key_twice_at_its_line(void **state)
{
	(void)state;
	map_refused("{\"id\": \"Key\",\n \"id\": \"Other\"}\n",
		    "map.json:2: map key 'id' given twice");
	map_refused("{\"id\": \"Key\",\n\n \"titel\": \"T\"}\n",
		    "map.json:3: map key 'titel': expected one of id, title, "
		    "text, status, rev, parent with a non-empty string");
	map_refused("{\"title\": \"T\"}\n",
		    "map.json:1: the map names no ID attribute (\"id\")");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreign_ids_become_requirement_ids),
		cmocka_unit_test(test_foreign_statuses_map_onto_three),
		cmocka_unit_test(test_xhtml_becomes_markdown),
		cmocka_unit_test(test_rev_is_a_whole_positive_number),
		cmocka_unit_test(test_string_text_cannot_start_a_requirement),
		cmocka_unit_test(test_depends_are_requirement_ids),
		hw_tmp_test(test_import_map_refuses_a_key_twice_at_its_line),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("interchange", tests, NULL, NULL);
}
