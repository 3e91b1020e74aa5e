/*
 * test_glossary.c — importing every glossary style (the shared samples and
 * their expected facts), merging, linting and the hostile inputs.
 */
#include "harness.h"

#include "glossary/glossary.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

static char root[4096];

static int remember_root(void **state)
{
	(void)state;
	assert_non_null(getcwd(root, sizeof(root)));
	return 0;
}

static void load(hw_glossary *g, const char *name, hw_gstyle want)
{
	char path[4200];
	hw_diags d;
	hw_gstyle used;

	snprintf(path, sizeof(path), "%s/" FIXTURES "/glossary/%s", root, name);
	hw_glossary_init(g);
	hw_diags_init(&d);
	assert_int_equal(hw_glossary_load(g, &d, path, 1 << 20, HW_GSTYLE_AUTO,
					  &used),
			 HW_OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(used, want);
	hw_diags_free(&d);
}

static const hw_gentry *find(const hw_glossary *g, const char *name)
{
	const hw_gentry *e = hw_glossary_find(g, name, strlen(name));

	if (!e)
		fail_msg("no entry '%s'", name);
	return e;
}

static void path_is(const hw_gentry *e, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		assert_non_null(e->categories[i]);
		assert_string_equal(e->categories[i], want[i]);
	}
	assert_null(e->categories[i]);
}

static const char *const none[] = {NULL};

/* Verifies: FR-GLOSS-001 */
static void test_bullet_colon_sample(void **state)
{
	hw_glossary g;

	(void)state;
	load(&g, "bullet-colon.md", HW_GSTYLE_BULLET_COLON);
	assert_int_equal(hw_glossary_count(&g), 6);
	assert_string_equal(find(&g, "Bandwidth")->aliases[0], "Memory Bandwidth");
	assert_string_equal(find(&g, "NVML")->aliases[0],
			    "NVIDIA Management Library");
	assert_string_equal(find(&g, "TP")->aliases[0], "Tensor Parallelism");
	assert_null(find(&g, "Bit Width")->aliases);
	assert_string_equal(find(&g, "KV Cache")->defs[0].text,
			    "Keys and values kept from earlier tokens so that "
			    "attention does not recompute them.");
	path_is(find(&g, "Throughput"), none); /* letter headings: none */
	assert_int_equal(find(&g, "Throughput")->sources[0].line, 15);
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_definition_list_sample_with_acronym_table(void **state)
{
	hw_glossary g;
	static const char *const acr[] = {"Acronyms", NULL};

	(void)state;
	load(&g, "definition-list.md", HW_GSTYLE_DEFLIST);
	assert_int_equal(hw_glossary_count(&g), 8);
	assert_string_equal(find(&g, "HSM")->aliases[0],
			    "Hardware Security Module");
	assert_string_equal(find(&g, "Hash Chain")->defs[0].text,
			    "A sequence of records in which each one holds the "
			    "hash of the one before, so that changing any "
			    "record changes every later hash.");
	assert_string_equal(find(&g, "SBOM")->defs[0].text,
			    "Software Bill of Materials");
	path_is(find(&g, "SAST"), acr);
	path_is(find(&g, "Checkpoint"), none);
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_bold_colon_sample_skips_prose(void **state)
{
	hw_glossary g;

	(void)state;
	load(&g, "bold-colon.md", HW_GSTYLE_BOLD_COLON);
	assert_int_equal(hw_glossary_count(&g), 6);
	assert_string_equal(g.entries[0].term, "Coverage");
	assert_string_equal(find(&g, "Coverage Gate")->defs[0].text,
			    "A build step that fails when coverage falls below "
			    "a set level.");
	path_is(find(&g, "Trace Link"), none);
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_pdf_export_sample_nests_and_categorises(void **state)
{
	hw_glossary g;
	const hw_gentry *sa;
	static const char *const fn[] = {"P1 - Basics", "1. Source Code",
					 "Building Blocks", NULL};
	static const char *const lint[] = {"P1 - Basics", "1. Source Code",
					   "Static Analysis", NULL};
	static const char *const keys[] = {"P2 - Evidence", "3. Signing & Keys",
					   "Keys", NULL};

	(void)state;
	load(&g, "pdf-export.txt", HW_GSTYLE_ARROW);
	assert_int_equal(hw_glossary_count(&g), 10);
	assert_int_equal(g.n, 8);
	sa = find(&g, "Static Analysis");
	assert_int_equal(sa->nchildren, 2);
	assert_string_equal(sa->children[0].term, "Linter");
	assert_string_equal(sa->children[1].term, "Data-flow Analysis");
	path_is(&sa->children[0], lint);
	assert_string_equal(sa->references[0],
			    "<https://example.org/static-analysis-notes>");
	path_is(find(&g, "Function"), fn);
	path_is(find(&g, "Private Key"), keys);
	assert_string_equal(find(&g, "LC")->term, "Line Coverage");
	assert_string_equal(find(&g, "Line Coverage")->defs[0].text,
			    "$\\frac{\\text{lines run}}{\\text{lines found}}$. "
			    "Share of lines executed.");
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_em_dash_sample_with_category_lines(void **state)
{
	hw_glossary g;
	static const char *const probing[] = {"Probing", NULL};

	(void)state;
	load(&g, "em-dash.txt", HW_GSTYLE_DASH);
	assert_int_equal(hw_glossary_count(&g), 5);
	path_is(find(&g, "sysfs"), probing);
	assert_string_equal(find(&g, "MHA")->defs[0].text,
			    "Multi-Head Attention. Every query head has its "
			    "own key and value head.");
	assert_string_equal(g.entries[4].term, "Append-only log");
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-002 */
static void test_all_samples_merge_without_duplicates(void **state)
{
	static const char *const files[] = {"bullet-colon.md", "definition-list.md",
					    "bold-colon.md", "pdf-export.txt",
					    "em-dash.txt"};
	hw_glossary g;
	hw_diags d;
	char path[4200];

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/" FIXTURES "/glossary/%s", root,
			 files[i]);
		assert_int_equal(hw_glossary_load(&g, &d, path, 1 << 20,
						  HW_GSTYLE_AUTO, NULL),
				 HW_OK);
	}
	assert_int_equal(hw_glossary_merge(&g), HW_OK);
	assert_int_equal(hw_glossary_count(&g), 35);
	for (size_t i = 0; i < g.n; i++)
		for (size_t k = i + 1; k < g.n; k++)
			assert_string_not_equal(g.entries[i].term,
						g.entries[k].term);
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

static void import_text(hw_glossary *g, hw_diags *d, const char *text,
			hw_gstyle style, int expect)
{
	assert_int_equal(hw_glossary_import(g, d, "t.md", text, strlen(text),
					    style, NULL),
			 expect);
}

static void aliases_are(const hw_gentry *e, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		assert_non_null(e->aliases);
		assert_non_null(e->aliases[i]);
		assert_string_equal(e->aliases[i], want[i]);
	}
	assert_true(!e->aliases || !e->aliases[i]);
}

/* Verifies: FR-GLOSS-001 */
static void test_pdf_export_level_lines_head_the_path(void **state)
{
	hw_glossary g;
	static const char *const bit[] = {"L1 - Foundations",
					  "1. Binary & Data Foundations",
					  "Core Data Units", NULL};
	static const char *const fp16[] = {"L1 - Foundations",
					   "2. Numeric Formats",
					   "Floating Point", NULL};
	static const char *const pass[] = {"L3- Applications & Evaluation",
					   "4. Evaluation", "Benchmarks", NULL};

	(void)state;
	load(&g, "pdf-levels.txt", HW_GSTYLE_ARROW);
	assert_int_equal(hw_glossary_count(&g), 12);
	path_is(find(&g, "Bit"), bit);
	path_is(&find(&g, "Byte")->children[0], bit);
	path_is(find(&g, "FP16"), fp16);
	assert_string_equal(find(&g, "KV Cache")->categories[0], "L2 - Models");
	path_is(find(&g, "Pass@k"), pass); /* no space before the dash */
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_pdf_export_figure_captions_end_no_section(void **state)
{
	hw_glossary g;
	static const char *const ascii[] = {"L1 - Foundations",
					    "1. Binary & Data Foundations",
					    "Encodings", NULL};
	static const char *const swiglu[] = {"L2 - Models",
					     "3. Transformer Building Blocks",
					     "Feed-Forward Layers", NULL};

	(void)state;
	load(&g, "pdf-levels.txt", HW_GSTYLE_ARROW);
	/* a subheading, a caption and its source line, then the bullets:
	 * the bullets are under that subheading */
	path_is(find(&g, "ASCII"), ascii);
	path_is(find(&g, "UTF-8"), ascii);
	path_is(find(&g, "SwiGLU"), swiglu);
	/* the figure's source is no entry's reference and its caption no
	 * entry's text; the source line after the entries is a reference */
	assert_null(find(&g, "Byte")->references);
	assert_null(find(&g, "KV Cache")->references);
	assert_string_equal(find(&g, "KV Cache")->defs[0].text,
			    "Keys and values kept from earlier tokens so that "
			    "they are not recomputed.");
	assert_string_equal(find(&g, "UTF-8")->references[0],
			    "<https://www.unicode.org/faq/utf_bom.html>");
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_acronym_table_names_terms_of_a_real_glossary(void **state)
{
	hw_glossary g;
	const hw_gentry *e;
	static const char *const api[] = {"Application Programming Interface",
					  NULL};
	static const char *const di[] = {"DI", NULL};
	static const char *const nosql[] = {"Not Only SQL", NULL};
	static const char *const no_alias[] = {NULL};

	(void)state;
	/* hatofit/mobile docs/meta/GLOSSARY.md, unedited: "**Term**" lines
	 * with the definition on the next, then an Acronym / Full Form
	 * table whose rows name those terms */
	load(&g, "hatofit-GLOSSARY.md", HW_GSTYLE_DEFLIST);
	e = find(&g, "NoSQL");
	assert_string_equal(e->term, "NoSQL");
	aliases_are(e, nosql);
	assert_int_equal(e->ndefs, 1);
	assert_string_equal(e->defs[0].text,
			    "A non-relational database that stores data in a "
			    "non-tabular format. Hive is a NoSQL database.");
	aliases_are(find(&g, "OAuth"), (const char *const[]){"Open Authorization",
							     NULL});
	aliases_are(find(&g, "API"), api); /* once, though named twice */
	aliases_are(find(&g, "Dependency Injection"), di);
	aliases_are(find(&g, "HRM"), (const char *const[]){"Heart Rate Monitor",
							   NULL});
	/* a row naming no term is a term of its own */
	e = find(&g, "VO2");
	aliases_are(e, no_alias);
	assert_string_equal(e->defs[0].text, "Volume of Oxygen");
	assert_string_equal(e->categories[0], "Acronyms Reference");
	assert_ptr_equal(hw_glossary_find(&g, "Application Programming "
					  "Interface", 33),
			 find(&g, "API"));
	hw_glossary_free(&g);
}

/* Verifies: FR-GLOSS-001 */
static void test_acronym_table_above_its_terms(void **state)
{
	hw_glossary g;
	hw_diags d;
	static const char *const gpu[] = {"Graphics Processing Unit", NULL};
	static const char *const vram[] = {"VRAM", NULL};

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	import_text(&g, &d,
		    "# Glossary\n\n## Acronyms\n\n"
		    "| Acronym | Full Form |\n|---|---|\n"
		    "| **GPU** | Graphics Processing Unit |\n"
		    "| `VRAM` | *Video Random Access Memory* |\n"
		    "| LLM | Large Language Model |\n\n"
		    "## Terms\n\n"
		    "**GPU**: A processor of many simple cores.\n\n"
		    "**Video Random Access Memory**: The GPU's own memory.\n",
		    HW_GSTYLE_AUTO, HW_OK);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.entries[0].term, "LLM");
	assert_string_equal(g.entries[0].defs[0].text, "Large Language Model");
	assert_string_equal(g.entries[1].term, "GPU");
	assert_int_equal(g.entries[1].ndefs, 1);
	aliases_are(&g.entries[1], gpu);
	assert_string_equal(g.entries[2].term, "Video Random Access Memory");
	aliases_are(&g.entries[2], vram);
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-001 */
static void test_definition_table_rows_define_their_terms(void **state)
{
	hw_glossary g;
	hw_diags d;

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	/* a Term / Definition table says what a term is, not another name */
	import_text(&g, &d,
		    "**Kanban**: A board of columns.\n\n"
		    "| Term | Definition |\n|---|---|\n"
		    "| **Kanban** | Visual project management by workflow "
		    "stage |\n| Gin | A web framework for Go |\n",
		    HW_GSTYLE_AUTO, HW_OK);
	assert_int_equal(g.n, 2);
	assert_null(g.entries[0].aliases);
	assert_int_equal(g.entries[0].ndefs, 2);
	assert_string_equal(g.entries[0].defs[1].text,
			    "Visual project management by workflow stage");
	assert_int_equal(g.entries[0].defs[1].source.line, 5);
	assert_string_equal(g.entries[1].term, "Gin");
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-002 */
static void test_merge_matches_names_and_aliases(void **state)
{
	hw_glossary g;
	hw_diags d;
	const hw_gentry *e;

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	import_text(&g, &d, "- **KV Cache (key-value cache):** Keys and values.\n",
		    HW_GSTYLE_AUTO, HW_OK);
	import_text(&g, &d, "**KV-cache**: Keys and values!\n", HW_GSTYLE_AUTO,
		    HW_OK);
	import_text(&g, &d, "**Key-Value cache**: Cached attention state.\n",
		    HW_GSTYLE_AUTO, HW_OK);
	assert_int_equal(hw_glossary_merge(&g), HW_OK);
	assert_int_equal(g.n, 1);
	e = &g.entries[0];
	assert_string_equal(e->term, "KV Cache");
	assert_int_equal(e->ndefs, 2); /* the near-duplicate collapsed */
	assert_string_equal(e->defs[1].text, "Cached attention state.");
	assert_int_equal(e->nsources, 3);
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-001 */
static void test_hostile_and_odd_inputs(void **state)
{
	hw_glossary g;
	hw_diags d;
	char *big;
	size_t n;

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	/* no known style: nothing imported, an error */
	import_text(&g, &d, "Just some prose.\n\nMore prose here.\n",
		    HW_GSTYLE_AUTO, HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "no known glossary style"));
	assert_int_equal(g.n, 0);
	/* BOM, CRLF, mixed styles, unclosed bold, empty term */
	import_text(&g, &d,
		    "\xEF\xBB\xBF# G\r\n\r\n**Alpha**: first.\r\n\r\n"
		    "- **Beta:** second.\r\n\r\nGamma \xe2\x80\x94 third.\r\n"
		    "\r\n**Unclosed: oops\r\n\r\n- **:** empty\r\n",
		    HW_GSTYLE_AUTO, HW_OK);
	assert_int_equal(g.n, 3);
	assert_string_equal(find(&g, "Alpha")->defs[0].text, "first.");
	assert_string_equal(find(&g, "Gamma")->defs[0].text, "third.");
	assert_int_equal(d.warnings, 2);
	assert_non_null(strstr(d.items[0].message, "unclosed bold marker"));
	assert_int_equal(d.items[0].line, 9);
	assert_non_null(strstr(d.items[1].message, "empty term"));
	/* not UTF-8 */
	import_text(&g, &d, "**A**: caf\xe9\n", HW_GSTYLE_AUTO, HW_EINVAL);
	assert_string_equal(hw_error_last(), "t.md:1:11: not UTF-8 text (byte "
					     "0xe9)");
	/* --style restricts what counts */
	hw_glossary_free(&g);
	import_text(&g, &d, "**A**: a\n\nB - b\n", HW_GSTYLE_DASH, HW_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.entries[0].term, "B");
	hw_glossary_free(&g);
	/* a 100 KB definition, then 10 MB of entries */
	n = 100 * 1024;
	big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "**Long**: ", 10);
	memset(big + 10, 'x', n);
	strcpy(big + 10 + n, ".\n");
	import_text(&g, &d, big, HW_GSTYLE_AUTO, HW_OK);
	assert_int_equal(strlen(g.entries[0].defs[0].text), n + 1);
	free(big);
	hw_glossary_free(&g);
	big = malloc(10 << 20);
	assert_non_null(big);
	n = 0;
	{
		size_t made = 0;

		for (; n + 64 < (10u << 20); made++)
			n += (size_t)snprintf(big + n, 64,
					      "**Term %zu**: Definition %zu.\n\n",
					      made, made);
		assert_int_equal(hw_glossary_import(&g, &d, "big.md", big, n,
						    HW_GSTYLE_AUTO, NULL),
				 HW_OK);
		assert_int_equal(g.n, made); /* every entry, none dropped */
	}
	free(big);
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-003 */
static void test_lint_finds_undefined_acronyms_cycles_and_conflicts(
	void **state)
{
	hw_glossary g;
	hw_fr_set frs;
	hw_diags d;
	const char *fr = "## FR-L-001: Lint\nRev: 1\nStatus: draft\n\n"
			 "The GPU and the KV cache go through the API and the "
			 "`CODE` span; FR-L-001 is no acronym; McDonald is not.\n";

	(void)state;
	hw_glossary_init(&g);
	hw_fr_set_init(&frs);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_parse(&frs, &d, "frs/l.md", fr, strlen(fr)),
			 HW_OK);
	import_text(&g, &d,
		    "**GPU**: a processor.\n\n**KV Cache**: cached keys.\n\n"
		    "**Empty**:\n\n**Ping**: See Pong.\n\n**Pong**: See Ping.\n\n"
		    "**Unused Thing**: never mentioned.\n",
		    HW_GSTYLE_AUTO, HW_OK);
	hw_glossary_import(&g, &d, "other.md", "**GPU**: a graphics card.\n",
			   26, HW_GSTYLE_AUTO, NULL);
	assert_int_equal(hw_glossary_merge(&g), HW_OK);
	hw_diags_free(&d);
	hw_diags_init(&d);
	assert_int_equal(hw_glossary_lint(&g, &frs, "GPU KV Cache Empty Ping "
						    "Pong",
					  &d),
			 HW_OK);
	hw_diags_sort(&d);
	assert_int_equal(d.errors, 4);
	{
		int api = 0, empty = 0, circle = 0, conflict = 0, unused = 0;

		for (size_t i = 0; i < d.n; i++) {
			const char *m = d.items[i].message;

			api += !!strstr(m, "uses 'API'");
			empty += !!strstr(m, "'Empty' has an empty definition");
			circle += !!strstr(m, "refers in a circle");
			conflict += !!strstr(m, "defined differently");
			unused += !!strstr(m, "'Unused Thing' is used nowhere");
			assert_null(strstr(m, "uses 'GPU'"));
			assert_null(strstr(m, "uses 'CODE'"));
			assert_null(strstr(m, "uses 'KV'"));
			assert_null(strstr(m, "McDonald"));
		}
		assert_int_equal(api, 1);
		assert_int_equal(empty, 1);
		assert_int_equal(circle, 2);
		assert_int_equal(conflict, 1);
		assert_int_equal(unused, 1);
	}
	hw_glossary_free(&g);
	hw_fr_set_free(&frs);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-002 */
static void test_markdown_output_imports_back_the_same(void **state)
{
	hw_glossary g, h;
	hw_diags d;
	hw_buf md, a, b;

	(void)state;
	load(&g, "pdf-export.txt", HW_GSTYLE_ARROW);
	hw_diags_init(&d);
	hw_buf_init(&md, 0);
	hw_buf_init(&a, 0);
	hw_buf_init(&b, 0);
	assert_int_equal(hw_glossary_md(&md, &g), HW_OK);
	hw_glossary_init(&h);
	assert_int_equal(hw_glossary_import(&h, &d, "round.md", md.data, md.len,
					    HW_GSTYLE_AUTO, NULL),
			 HW_OK);
	assert_int_equal(hw_glossary_count(&h), 10);
	/* same entries, aliases, children and categories (not sources) */
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.entries[i].term, h.entries[i].term);
		assert_string_equal(g.entries[i].defs[0].text,
				    h.entries[i].defs[0].text);
		assert_int_equal(g.entries[i].nchildren, h.entries[i].nchildren);
		path_is(&h.entries[i], (const char *const *)g.entries[i].categories);
	}
	assert_string_equal(find(&h, "Line Coverage")->aliases[0], "LC");
	assert_int_equal(hw_glossary_json(&a, &g, NULL), HW_OK);
	{
		cJSON *j = NULL;

		assert_int_equal(hw_json_parse(&j, "g.json", a.data, a.len), HW_OK);
		assert_string_equal(cJSON_GetObjectItem(j, "schema")->valuestring,
				    "hwledger.glossary/1");
		assert_int_equal(cJSON_GetObjectItem(j, "count")->valueint, 10);
		cJSON_Delete(j);
	}
	hw_buf_free(&md);
	hw_buf_free(&a);
	hw_buf_free(&b);
	hw_glossary_free(&g);
	hw_glossary_free(&h);
	hw_diags_free(&d);
}

/* Verifies: FR-GLOSS-003 */
static void test_a_use_is_the_name_or_its_plural_as_a_whole_word(void **state)
{
	static const struct {
		const char *text, *name;
		size_t use;
	} cases[] = {
		{"surrogate pairs join", "Surrogate pair", 15},
		{"Surrogate Pair.", "Surrogate pair", 14},
		{"tokens", "Token", 6},
		{"caches,", "Cache", 6},
		{"boxes", "Box", 5},
		{"libraries", "Library", 9},
		{"keys", "Key", 4},
		{"GPUs", "GPU", 4},
		{"gpu", "GPU", 3},
		{"gpus", "GPU", 0},   /* an acronym's plural keeps its capitals */
		{"its", "IT", 0},     /* "its" is no use of IT */
		{"has", "HA", 0},
		{"ITs", "IT", 3},
		{"tokenizer", "Token", 0}, /* starting with the term is no use */
		{"tokensX", "Token", 0},
		{"token_id", "Token", 0},
		{"tokens\xc3\xa9", "Token", 0},
		{"tokenses", "Token", 0},
		{"librarys", "Library", 8},
		{"X.509s", "X.509", 0}, /* no plural after a digit */
		{"pairs", "Surrogate pair", 0},
		{"HTML5 output", "HTML", 5}, /* an acronym's version */
		{"HTTP11,", "HTTP", 6},
		{"html5", "HTML", 0},
		{"HTML5s", "HTML", 0},
		{"HTML5x", "HTML", 0},
		{"Token5", "Token", 0}, /* only an acronym's */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t got = hw_glossary_use(cases[i].text,
					     strlen(cases[i].text),
					     cases[i].name,
					     strlen(cases[i].name));

		if (got != cases[i].use)
			fail_msg("'%s' in '%s': %zu, not %zu", cases[i].name,
				 cases[i].text, got, cases[i].use);
	}
	/* a use of the plural of a name with a final y starts without it */
	assert_int_equal(hw_glossary_use_stem("Library", 7), 6);
	assert_int_equal(hw_glossary_use_stem("Key", 3), 3);
	assert_int_equal(hw_glossary_use_stem("NVY", 3), 3);
	assert_true(hw_glossary_used_in("We join surrogate pairs.", 24,
					"Surrogate pair"));
	assert_true(hw_glossary_used_in("two libraries", 13, "Library"));
	assert_false(hw_glossary_used_in("a tokenizer, detokens", 21,
					 "Token"));
	/* the length bounds the text: "tokens" is cut to "token" */
	assert_true(hw_glossary_used_in("tokens", 5, "Token"));
	assert_false(hw_glossary_used_in("tokens", 4, "Token"));
}

/* A hyphen between two words is the space of a name, and the other way
 * round: people write "KV-cache" and "KV cache" for one thing. In the
 * text a line break is one too. */
/* Verifies: FR-GLOSS-003 */
static void test_a_hyphen_between_words_is_a_space(void **state)
{
	static const struct {
		const char *text, *name;
		size_t use;
	} cases[] = {
		{"KV-cache grows", "KV Cache", 8},
		{"kv-caches", "KV Cache", 9},
		{"KV cache", "KV-cache", 8},
		{"GPU-VMs", "GPU VM", 7},
		{"gpu-vms", "GPU VM", 0}, /* an acronym keeps its capitals */
		{"KV--cache", "KV Cache", 0}, /* one character for one */
		{"KV_cache", "KV Cache", 0},
		{"KV.cache", "KV Cache", 0},
		{"-O2", " O2", 0},
		/* a wrapped line: the newline is the space (FR text is
		 * Markdown, wrapped where its author liked) */
		{"evidence\nledger is", "Evidence ledger", 15},
		{"KV\ncaches", "KV-cache", 9},
		{"evidence\n\nledger", "Evidence ledger", 0},
		{"evidence \nledger", "Evidence ledger", 0},
		{"evidence\tledger", "Evidence ledger", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t got = hw_glossary_use(cases[i].text,
					     strlen(cases[i].text),
					     cases[i].name,
					     strlen(cases[i].name));

		if (got != cases[i].use)
			fail_msg("'%s' in '%s': %zu, not %zu", cases[i].name,
				 cases[i].text, got, cases[i].use);
	}
	assert_true(hw_glossary_used_in("the KV-cache grows", 18, "KV Cache"));
	assert_true(hw_glossary_used_in("two surrogate-pairs", 19,
					"Surrogate pair"));
	assert_false(hw_glossary_used_in("the KV-caching", 14, "KV Cache"));
}

/* Verifies: FR-GLOSS-003 */
static void test_lint_counts_a_plural_as_a_use(void **state)
{
	hw_glossary g;
	hw_diags d;

	(void)state;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	import_text(&g, &d,
		    "**Surrogate pair**: two UTF-16 units.\n\n"
		    "**Token**: a piece of text.\n\n"
		    "**Library**: code.\n\n"
		    "**Tokenizer Test**: never mentioned.\n",
		    HW_GSTYLE_AUTO, HW_OK);
	hw_diags_free(&d);
	hw_diags_init(&d);
	assert_int_equal(hw_glossary_lint(&g, NULL,
					  "It joins surrogate pairs, counts "
					  "tokens with a tokenizer and loads "
					  "libraries.",
					  &d),
			 HW_OK);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].message,
			       "'Tokenizer Test' is used nowhere"));
	hw_glossary_free(&g);
	hw_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bullet_colon_sample),
		cmocka_unit_test(test_definition_list_sample_with_acronym_table),
		cmocka_unit_test(test_bold_colon_sample_skips_prose),
		cmocka_unit_test(test_pdf_export_sample_nests_and_categorises),
		cmocka_unit_test(test_em_dash_sample_with_category_lines),
		cmocka_unit_test(test_all_samples_merge_without_duplicates),
		cmocka_unit_test(test_pdf_export_level_lines_head_the_path),
		cmocka_unit_test(test_pdf_export_figure_captions_end_no_section),
		cmocka_unit_test(test_definition_table_rows_define_their_terms),
		cmocka_unit_test(test_acronym_table_names_terms_of_a_real_glossary),
		cmocka_unit_test(test_acronym_table_above_its_terms),
		cmocka_unit_test(test_merge_matches_names_and_aliases),
		cmocka_unit_test(test_hostile_and_odd_inputs),
		cmocka_unit_test(
			test_lint_finds_undefined_acronyms_cycles_and_conflicts),
		cmocka_unit_test(
			test_a_use_is_the_name_or_its_plural_as_a_whole_word),
		cmocka_unit_test(test_a_hyphen_between_words_is_a_space),
		cmocka_unit_test(test_lint_counts_a_plural_as_a_use),
		cmocka_unit_test(test_markdown_output_imports_back_the_same),
	};

	return cmocka_run_group_tests_name("glossary", tests, remember_root,
					   NULL);
}
