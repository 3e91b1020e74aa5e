/*
 * link.c — joins FRs, tags, test results and coverage into one verdict per
 * FR and a list of defects (specs/traceability.md has the rules).
 *
 * A status is decided in this order, first match wins: waived (a waiver in
 * force), uncovered (nothing links to the FR), failing (a linked test
 * failed, or ran twice with different outcomes), partial (a needed kind of
 * link is missing), untested (a linked test has no result, or was only
 * skipped), partial again when the implementing lines are under the
 * coverage threshold, and otherwise verified.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
	"verified", "failing", "untested", "partial", "uncovered", "waived"};

static const char *const defect_names[] = {
	"unknown-fr",      "outdated-rev",           "suspect-text",
	"duplicate-fr",    "orphan-test",            "test-without-result",
	"failing-test",    "deprecated-implemented", "malformed-tag",
	"expired-waiver",  "low-coverage",           "sast-error",
	"uncovered-parent", "unknown-parent",        "parent-not-higher",
	"deprecated-parent", "link-cycle",           "derived-without-rationale",
	"untraced-function", "suspect-link",     "result-without-test",
	"review-unverified"};

const char *hw_fr_state_name(hw_fr_state s)
{
	return (unsigned)s < 6 ? state_names[s] : "unknown";
}

const char *hw_defect_kind_name(hw_defect_kind k)
{
	return (unsigned)k < HW_DEF_COUNT ? defect_names[k] : "unknown";
}

int hw_defect_kind_from_name(const char *name)
{
	for (int i = 0; i < HW_DEF_COUNT; i++)
		if (strcmp(defect_names[i], name) == 0)
			return i;
	return -1;
}

/* Implements: FR-TRACE-004 */
static int add_defect(hw_trace *t, hw_defect_kind kind, const char *fr,
		      const char *file, long line, const char *subject,
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
		      const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int add_defect(hw_trace *t, hw_defect_kind kind, const char *fr,
		      const char *file, long line, const char *subject,
		      const char *fmt, ...)
{
	hw_defect *d;
	hw_buf key;
	uint8_t digest[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];
	char msg[512];
	va_list ap;

	if (HW_ARRAY_GROW(t->defects, t->ndefects, t->dcap))
		return HW_ENOMEM;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the id names what is wrong and where, but not the line, so it
	 * survives unrelated edits above it */
	hw_buf_init(&key, 0);
	if (hw_buf_printf(&key, "%s%c%s%c%s%c%s", defect_names[kind], 0,
			  fr ? fr : "", 0, file ? file : "", 0,
			  subject ? subject : "")) {
		hw_buf_free(&key);
		return hw_error_code();
	}
	hw_sha256(digest, key.data, key.len);
	hw_buf_free(&key);
	hw_hex(hex, digest, 8);
	d = &t->defects[t->ndefects];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	snprintf(d->id, sizeof(d->id), "%s-%s", defect_names[kind], hex);
	d->fr = fr ? hw_strdup(fr) : NULL;
	d->file = file ? hw_strdup(file) : NULL;
	d->line = line;
	d->message = hw_strdup(msg);
	if ((fr && !d->fr) || (file && !d->file) || !d->message) {
		free(d->fr);
		free(d->file);
		free(d->message);
		return hw_error_oom();
	}
	t->ndefects++;
	return HW_OK;
}

static int defect_cmp(const void *a, const void *b)
{
	const hw_defect *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->id, y->id);
}

typedef struct fr_ref {
	const char *id;
	size_t index; /* into t->frs */
} fr_ref;

static int ref_index_cmp(const void *a, const void *b)
{
	const fr_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The trace's FRs by id: an open-addressing table of t->frs indexes + 1
 * (every tag looks its FR up; a table beats a binary search of strcmps). */
typedef struct fr_map {
	size_t *slots;
	size_t mask;
} fr_map;

static int fr_map_build(fr_map *m, const hw_trace *t)
{
	size_t n = 16;

	while (n < 2 * t->nfrs)
		n *= 2;
	if (!(m->slots = calloc(n, sizeof(*m->slots))))
		return hw_error_oom();
	m->mask = n - 1;
	for (size_t i = 0; i < t->nfrs; i++) {
		const char *id = t->frs[i].fr ? t->frs[i].fr->id : NULL;
		size_t h;

		if (!id)
			continue;
		h = (size_t)hw_hash64(id, strlen(id)) & m->mask;

		while (m->slots[h])
			h = (h + 1) & m->mask;
		m->slots[h] = i + 1;
	}
	return HW_OK;
}

static hw_fr_trace *find_fr(hw_trace *t, const fr_map *m, const char *id)
{
	size_t h = (size_t)hw_hash64(id, strlen(id)) & m->mask;

	for (size_t s; (s = m->slots[h]) != 0; h = (h + 1) & m->mask) {
		const hw_fr *fr = t->frs[s - 1].fr;

		if (fr && strcmp(fr->id, id) == 0)
			return &t->frs[s - 1];
	}
	return NULL;
}

/* The last '/' in [s, e), or NULL. */
static const char *last_slash(const char *s, const char *e)
{
	while (e > s)
		if (*--e == '/')
			return e;
	return NULL;
}

/* Whether [s, e) is one digit or more. */
static int all_digits(const char *s, const char *e)
{
	if (s >= e)
		return 0;
	for (; s < e; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * The name results and test functions are joined by (specs/languages.md):
 * without a pytest parameter "[case]" or a gtest parameter "/0", and of a
 * dotted or "::" name (ctest's "Suite.Name", a C++ or Python test
 * function's qualified name) the last part. *n is its length.
 */
/* Implements: FR-TRACE-017 */
static const char *join_key(const char *s, size_t *n)
{
	const char *b = s, *e = s + strlen(s), *slash;

	/* a Catch2 or doctest test case, named by its string */
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		*n = (size_t)(e - s) - 2;
		return s + 1;
	}
	if (e > s && e[-1] == ']' && memchr(s, '[', (size_t)(e - s)))
		e = memchr(s, '[', (size_t)(e - s));
	if ((slash = last_slash(s, e)) && all_digits(slash + 1, e))
		e = slash;
	for (const char *p = s; p < e; p++) {
		if (!(*p == '.' || *p == ':' || *p == '_' ||
		      (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z'))) {
			b = s; /* prose (a TAP description): whole */
			break;
		}
		if (*p == '.' || (*p == ':' && p + 1 < e && p[1] == ':'))
			b = p + (*p == '.' ? 1 : 2);
	}
	/* ctest names a gtest DISABLED_ test without the prefix */
	if (e - b > 9 && memcmp(b, "DISABLED_", 9) == 0)
		b += 9;
	*n = (size_t)(e - b);
	return b;
}

static int key_cmp(const char *a, const char *b)
{
	size_t an, bn;
	const char *ka = join_key(a, &an), *kb = join_key(b, &bn);
	int c = memcmp(ka, kb, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* A result and the name it is joined by: its own, or the quoted name of
 * the Catch2 or doctest test case it is a run of (join_name). */
typedef struct joined {
	const hw_result *r;
	const char *name;
	const char *suite; /* its suite, or for a run of an inherited Python
			    * test method the base class's (inherited_suite) */
} joined;

static int result_cmp(const void *a, const void *b)
{
	return key_cmp(((const joined *)a)->name, ((const joined *)b)->name);
}

/* A test function by name and file: the candidates a result may be for. */
typedef struct test_ref {
	const char *name;
	const char *path;
} test_ref;

static int test_ref_cmp(const void *a, const void *b)
{
	const test_ref *x = a, *y = b;
	int c = key_cmp(x->name, y->name);

	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->path, y->path);
}

/* Whether a dotted name a ends with b at a '.' (or equals it). */
static int ends_with_dotted(const char *a, size_t an, const char *b, size_t bn)
{
	return bn && an >= bn && memcmp(a + an - bn, b, bn) == 0 &&
	       (an == bn || a[an - bn - 1] == '.');
}

/*
 * Whether result r names the qualified test function fname (a C++ or
 * Python one: "Ring.PushPop", "outer::Suite.Name",
 * "tests.test_x.TestY.test_z"): the result's own dotted name (its name when
 * dotted, as ctest writes it, else its classname, a gtest instantiation
 * prefix "Inst/" or type index "/0" dropped, a dot and its name, a
 * parameter dropped) and the function's ("::" read as '.') agree when one
 * ends with the other at a '.'.
 */
/*
 * Appends s[0..n) to out (room size, *len used) as a dotted name: "::" read
 * as '.', and gtest's DISABLED_ prefix dropped from each part (ctest names
 * a disabled test without it). 0 when it does not fit.
 */
static int put_dotted(char *out, size_t size, size_t *len, const char *s,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((*len == 0 || out[*len - 1] == '.') && n - i > 9 &&
		    memcmp(s + i, "DISABLED_", 9) == 0)
			c = s[i += 9];
		if (c == ':' && i + 1 < n && s[i + 1] == ':') {
			c = '.';
			i++;
		}
		if (*len + 1 >= size)
			return 0;
		out[(*len)++] = c;
	}
	out[*len] = '\0';
	return 1;
}

/* Whether a name has a qualifier before its join key (a C++ or Python
 * test's "Suite.Name", "mod.Class.test"); a quoted Catch2 name has none. */
static int has_qualifier(const char *name)
{
	size_t kn;
	const char *key = join_key(name, &kn);

	if (name[0] == '"')
		return 0;
	for (const char *p = name; p < key; p++)
		if (*p == '.' || *p == ':')
			return 1;
	return 0;
}

/* Implements: FR-TRACE-017 */
static int names_qualified(const hw_result *r, const char *suite,
			   const char *fname)
{
	char rq[512], fq[512];
	size_t kn, rn = 0, fn = 0;
	const char *key = join_key(r->name, &kn);

	if (!has_qualifier(r->name) && suite && *suite) {
		const char *sb = suite, *se = suite + strlen(suite);
		const char *sl = last_slash(sb, se);

		if (sl && all_digits(sl + 1, se))
			se = sl;
		else if (sl)
			sb = sl + 1;
		if (!put_dotted(rq, sizeof(rq), &rn, sb, (size_t)(se - sb)) ||
		    !put_dotted(rq, sizeof(rq), &rn, ".", 1))
			return 0;
	}
	/* the whole dotted result name, up to its key's end */
	if (!put_dotted(rq, sizeof(rq), &rn, r->name,
			(size_t)(key + kn - r->name)) ||
	    !put_dotted(fq, sizeof(fq), &fn, fname, strlen(fname)))
		return 0;
	return ends_with_dotted(rq, rn, fq, fn) ||
	       ends_with_dotted(fq, fn, rq, rn);
}

/* The length of s without a source file's extension (.c, .sh, ...). */
static size_t stem_len(const char *s)
{
	static const char *const exts[] = {".c", ".h", ".cc", ".cpp", ".cxx",
					   ".sh", ".js", ".tap", ".xml",
					   ".txt", NULL};
	size_t n = strlen(s);

	for (size_t i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && strcmp(s + n - e, exts[i]) == 0 &&
		    s[n - e - 1] != '/')
			return n - e;
	}
	return n;
}

/* 1 when a ends with b at a '/' boundary (or equals it). */
static int ends_with_part(const char *a, size_t an, const char *b, size_t bn)
{
	return bn && an >= bn && memcmp(a + an - bn, b, bn) == 0 &&
	       (an == bn || a[an - bn - 1] == '/');
}

/*
 * Whether a result's qualifier (JUnit classname or suite, Unity's file, the
 * results file's name) names the test file path: with the extension dropped
 * from both, one ends with the other at a '/' (so "test_y",
 * "tests/test_y.c" and "/home/ci/repo/tests/test_y.c" all name
 * tests/test_y.c). A dotted classname ("tests.test_y") is read as a path.
 */
static int names_file(const char *q, const char *path)
{
	char buf[512];
	size_t qn, pn = stem_len(path);

	if (!q || !*q)
		return 0;
	if (!strchr(q, '/') && strchr(q, '.') && strlen(q) < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%s", q);
		qn = stem_len(buf);
		for (size_t i = 0; i < qn; i++)
			if (buf[i] == '.')
				buf[i] = '/';
		if (ends_with_part(buf, qn, path, pn) ||
		    ends_with_part(path, pn, buf, qn))
			return 1;
	}
	qn = stem_len(q);
	return ends_with_part(q, qn, path, pn) || ends_with_part(path, pn, q, qn);
}

/* The name of a results file without its folder and extension. */
static void results_stem(char *out, size_t size, const char *file)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	snprintf(out, size, "%.*s", (int)stem_len(base), base);
}

/*
 * Whether result r is for the test function name in path, given the
 * ncand test functions of that name (cand): 1 yes, 0 no, -1 it cannot be
 * told (ambiguous). The result's qualifiers are tried in turn, its suite
 * (classname, Unity's file) first, then its results file's name; the first
 * that names any candidate's file decides. A result no qualifier ties to a
 * file is for the only test of its name, and ambiguous when there are
 * several.
 */
static int result_is_for(const joined *j, const char *name,
			 const char *path, const test_ref *cand, size_t ncand)
{
	const hw_result *r = j->r;
	char stem[256];
	const char *q[2];

	/* a qualified test is told from others of its last name by the
	 * qualifiers, not by its file */
	if (has_qualifier(name)) {
		size_t named = 0;
		int mine = 0;

		for (size_t i = 0; i < ncand; i++)
			if (names_qualified(r, j->suite, cand[i].name)) {
				named++;
				mine |= strcmp(cand[i].name, name) == 0 &&
					strcmp(cand[i].path, path) == 0;
			}
		return !mine ? 0 : named == 1 ? 1 : -1;
	}

	results_stem(stem, sizeof(stem), r->file);
	q[0] = j->suite;
	q[1] = stem;
	for (int k = 0; k < 2; k++) {
		size_t named = 0;
		int mine = 0;

		for (size_t i = 0; i < ncand; i++)
			if (names_file(q[k], cand[i].path)) {
				named++;
				mine |= strcmp(cand[i].path, path) == 0;
			}
		if (named)
			return !mine ? 0 : named == 1 ? 1 : -1;
	}
	return ncand <= 1 ? 1 : -1;
}

/* The index of the first of the n sorted results whose join key is
 * name's, or n. */
static size_t first_result(const joined *sorted, size_t n,
			   const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(sorted[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The same over the sorted test functions. */
static size_t first_test(const test_ref *tests, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(tests[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Up to three test functions named nearest to key in sort order (the
 * closest candidates of a result that matched none), into out.
 */
/* Implements: FR-TRACE-017 */
static void closest_tests(const test_ref *tests, size_t n, const char *key,
			  char *out, size_t size)
{
	/* by distinct name: two test files may each have a usage() */
	size_t nd = 0, at = 0, lo, hi, w = 0, d = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(tests[i].name, tests[i - 1].name))
			continue;
		if (key_cmp(tests[i].name, key) < 0)
			at = nd + 1;
		nd++;
	}
	lo = at >= 1 ? at - 1 : 0;
	if (lo + 3 > nd)
		lo = nd >= 3 ? nd - 3 : 0;
	hi = lo + 3 < nd ? lo + 3 : nd;
	for (size_t i = 0; i < n && d < hi && w < size; i++) {
		if (i && !strcmp(tests[i].name, tests[i - 1].name))
			continue;
		if (d++ >= lo)
			w += (size_t)snprintf(out + w, size - w, "%s%s",
					      w ? ", " : "", tests[i].name);
	}
}

/* The results and the test functions, sorted by name, for matching. */
typedef struct matcher {
	joined *sorted;
	size_t nres;
	test_ref *tests;
	size_t ntests;
} matcher;

/*
 * The merged outcome of every result for the test name in path: -1 when
 * none; FAIL when any failed or when it both passed and failed; PASS when
 * it passed; else SKIP or TODO. *runs is the number of results, *ambiguous
 * the number that could be for this test or another of the same name: with
 * one, no pass counts (an ambiguous match is never a pass), a failure that
 * is surely this test's still does.
 */
static int merged_outcome(const matcher *m, const char *name,
			  const char *path, int *runs, int *ambiguous)
{
	size_t lo, c0, nc = 0;
	int pass = 0, fail = 0, skip = 0, todo = 0;

	lo = first_result(m->sorted, m->nres, name);
	c0 = first_test(m->tests, m->ntests, name);
	while (c0 + nc < m->ntests && key_cmp(m->tests[c0 + nc].name, name) == 0)
		nc++;
	*runs = 0;
	*ambiguous = 0;
	for (size_t i = lo; i < m->nres && key_cmp(m->sorted[i].name, name) == 0;
	     i++) {
		int is_for = result_is_for(&m->sorted[i], name, path,
					   m->tests + c0, nc);

		if (is_for < 0)
			(*ambiguous)++;
		if (is_for <= 0)
			continue;
		(*runs)++;
		switch (m->sorted[i].r->outcome) {
		case HW_OUTCOME_PASS: pass++; break;
		case HW_OUTCOME_FAIL: fail++; break;
		case HW_OUTCOME_SKIP: skip++; break;
		default: todo++; break;
		}
	}
	if (fail)
		return HW_OUTCOME_FAIL;
	if (!*runs || *ambiguous)
		return -1;
	if (pass)
		return HW_OUTCOME_PASS;
	return skip ? HW_OUTCOME_SKIP : HW_OUTCOME_TODO;
}

/* Every function a result may be for (any of a test file, one a Verifies
 * tag names elsewhere), by name and file. */
static int test_refs(matcher *m, const hw_scan *scan)
{
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < scan->n; i++)
		n += scan->files[i].nfuncs + scan->files[i].ntags;
	m->tests = calloc(n ? n : 1, sizeof(*m->tests));
	HW_CHECK_ALLOC(m->tests);
	for (size_t i = 0; i < scan->n; i++) {
		const hw_src_file *f = &scan->files[i];

		for (size_t k = 0; k < f->nfuncs; k++)
			if (f->is_test)
				m->tests[m->ntests++] =
					(test_ref){f->funcs[k].name, f->path};
		for (size_t t = 0; t < f->ntags; t++) {
			const hw_tag *tag = &f->tags[t];

			if (tag->func >= 0 && tag->kind != HW_TAG_IMPL &&
			    !f->is_test)
				m->tests[m->ntests++] = (test_ref){
					f->funcs[tag->func].name, f->path};
		}
	}
	qsort(m->tests, m->ntests, sizeof(*m->tests), test_ref_cmp);
	/* a function with several Verifies tags is one candidate */
	for (size_t i = 0; i < m->ntests; i++)
		if (!kept || test_ref_cmp(&m->tests[kept - 1], &m->tests[i]))
			m->tests[kept++] = m->tests[i];
	m->ntests = kept;
	return HW_OK;
}

/* The quoted name of a Catch2 or doctest test case among the test
 * functions whose value is s[0..n), or NULL. */
static const char *quoted_test(const matcher *m, const char *s, size_t n)
{
	size_t lo = 0, hi = m->ntests, kn;
	const char *k;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c;

		k = join_key(m->tests[mid].name, &kn);
		c = memcmp(k, s, kn < n ? kn : n);
		if ((c ? c : (kn > n) - (kn < n)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->ntests; lo++) {
		const char *name = m->tests[lo].name;

		k = join_key(name, &kn);
		if (kn != n || memcmp(k, s, n) != 0)
			return NULL;
		if (name[0] == '"')
			return name;
	}
	return NULL;
}

/*
 * The name result name is joined by (specs/languages.md, "Catch2 and
 * doctest"): a Catch2 or doctest test case's results name it by its
 * string, a section's or subcase's "case/section" (nested:
 * "case/section/sub"), a templated case's "case - int" (Catch2) or
 * "case<int>" (doctest). The result is a run of the test case whose value
 * is its whole name, else the longest one that its name begins with, a
 * '/', " - " or '<' after it: that case's quoted name ("\"case\"", its
 * join key the value whole, not read as a qualified name or a
 * parameter). Any other result is joined by its own name.
 */
/* Implements: FR-TRACE-017 */
static const char *join_name(const matcher *m, const char *name)
{
	size_t n = strlen(name);
	const char *q;

	if ((q = quoted_test(m, name, n)))
		return q;
	for (size_t i = n; i-- > 0;) {
		if (!(name[i] == '/' || name[i] == '<' ||
		      (name[i] == ' ' && i + 2 < n && name[i + 1] == '-' &&
		       name[i + 2] == ' ')))
			continue;
		if ((q = quoted_test(m, name, i)))
			return q;
	}
	return name;
}

static int add_link(hw_fr_trace *ft, const hw_link *l)
{
	hw_link *v = realloc(ft->links, (ft->nlinks + 1) * sizeof(*v));

	HW_CHECK_ALLOC(v);
	ft->links = v;
	ft->links[ft->nlinks++] = *l;
	return HW_OK;
}

static const char *kind_word(hw_tag_kind k)
{
	return k == HW_TAG_IMPL ? "implements" : "verifies";
}

/*
 * With levels, a tag the scanner marked malformed because its ID is not an
 * FR-/NFR- one may name an ID of another level: its text reads "SYS-001",
 * "SYS-001@2" (or OFT's "SYS-001~2", where the revision is required). The
 * scanner keeps such text whole, so the levels are matched here and the
 * index of scanned files does not depend on them. Returns 1 with id and
 * *rev set when a level's pattern matches the ID.
 */
/* Implements: FR-FRS-008 */
static int level_tag(const hw_frs_model *m, const hw_tag *tag,
		     char id[HW_FR_ID_MAX + 1], int *rev)
{
	const char *s = tag->fr;
	size_t n = strlen(s), idn = hw_req_id_len(s, n);
	char sep = tag->syntax == HW_SYNTAX_OFT ? '~' : '@';
	long r = 0;

	if (!m || !m->nlevels || !idn || idn > HW_FR_ID_MAX)
		return 0;
	if (idn < n) { /* a pin: 1 to 6 digits, at least 1 */
		if (s[idn] != sep || n - idn - 1 < 1 || n - idn - 1 > 6)
			return 0;
		for (size_t i = idn + 1; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			r = r * 10 + (s[i] - '0');
		}
		if (r < 1)
			return 0;
	} else if (tag->syntax == HW_SYNTAX_OFT) {
		return 0;
	}
	memcpy(id, s, idn);
	id[idn] = '\0';
	*rev = (int)r;
	return hw_frs_model_level(m, id, NULL) != -1;
}

/* Keeps a copy of tag that names id@rev, well-formed, in t (the links
 * point at it: each copy is its own allocation, so none moves). */
static int keep_level_tag(hw_trace *t, const hw_tag *tag, const char *id,
			  int rev, hw_tag **out)
{
	hw_tag *c;

	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	if (HW_ARRAY_GROW(t->level_tags, t->nlevel_tags, t->level_tags_cap))
		return HW_ENOMEM;
	c = malloc(sizeof(*c));
	HW_CHECK_ALLOC(c);
	*c = *tag;
	c->malformed = 0;
	c->rev = rev;
	if (!(c->fr = hw_strdup(id))) {
		free(c);
		return hw_error_oom();
	}
	t->level_tags[t->nlevel_tags++] = c;
	*out = c;
	return HW_OK;
}

/* Tags to links and tag-level defects. */
static int link_tags(hw_trace *t, const fr_map *map, const hw_scan *scan,
		     const matcher *match, unsigned char *tagged)
{
	size_t fi = 0;
	int err;

	for (size_t i = 0; i < scan->n; i++) {
		const hw_src_file *f = &scan->files[i];

		for (size_t k = 0; k < f->ntags; k++) {
			const hw_tag *tag = &f->tags[k];
			const hw_func *fn = tag->func >= 0 ? &f->funcs[tag->func]
							   : NULL;
			hw_fr_trace *ft;
			hw_link l;
			char lid[HW_FR_ID_MAX + 1];
			int lrev = 0;

			if (fn)
				tagged[fi + (size_t)tag->func] = 1;
			if (tag->malformed && level_tag(t->model, tag, lid,
							&lrev)) {
				/* a copy that reads as well-formed: the link
				 * keeps pointing at it (t->level_tags) */
				hw_tag *lt;

				if ((err = keep_level_tag(t, tag, lid, lrev,
							  &lt)))
					return err;
				tag = lt;
			}
			if (tag->malformed) {
				if ((err = add_defect(
					     t, HW_DEF_MALFORMED_TAG, NULL,
					     f->path, tag->line, tag->fr,
					     "malformed tag '%s': expected an "
					     "FR ID like FR-AREA-001, with an "
					     "optional @revision",
					     tag->fr)))
					return err;
				continue;
			}
			ft = find_fr(t, map, tag->fr);
			if (!ft) {
				if ((err = add_defect(
					     t, HW_DEF_UNKNOWN_FR, tag->fr,
					     f->path, tag->line,
					     fn ? fn->name : "",
					     "%s%s%s %s, which is not an FR in "
					     "frs/",
					     fn ? fn->name : "this file",
					     fn ? "() " : " ",
					     kind_word(tag->kind), tag->fr)))
					return err;
				continue;
			}
			if (tag->rev > ft->fr->rev) {
				if ((err = add_defect(
					     t, HW_DEF_MALFORMED_TAG, tag->fr,
					     f->path, tag->line,
					     fn ? fn->name : "",
					     "tag names %s@%d but the FR is only "
					     "at revision %d",
					     tag->fr, tag->rev, ft->fr->rev)))
					return err;
				continue;
			}
			if (tag->rev && tag->rev < ft->fr->rev &&
			    (err = add_defect(
				     t, HW_DEF_OUTDATED_REV, tag->fr, f->path,
				     tag->line, fn ? fn->name : "",
				     "%s%s%s %s@%d, but the FR is at revision "
				     "%d: review it and update the tag",
				     fn ? fn->name : "this file",
				     fn ? "() " : " ", kind_word(tag->kind),
				     tag->fr, tag->rev, ft->fr->rev)))
				return err;
			if (tag->kind == HW_TAG_IMPL &&
			    ft->fr->status == HW_FR_DEPRECATED &&
			    (err = add_defect(
				     t, HW_DEF_DEPRECATED_IMPL, tag->fr, f->path,
				     tag->line, fn ? fn->name : "",
				     "%s is deprecated but %s%s still "
				     "implements it",
				     tag->fr, fn ? fn->name : "this file",
				     fn ? "()" : "")))
				return err;
			memset(&l, 0, sizeof(l));
			l.kind = tag->kind;
			l.file = f;
			l.func = fn;
			l.tag = tag;
			l.outcome = -1;
			if (tag->kind != HW_TAG_IMPL && fn)
				l.outcome = merged_outcome(match, fn->name,
							   f->path, &l.runs,
							   &l.ambiguous);
			if ((err = add_link(ft, &l)))
				return err;
		}
		fi += f->nfuncs;
	}
	return HW_OK;
}

/* Lines of [first, last] in file that lcov counted, and how many ran;
 * 0 when lcov has no record of the file. */
static int count_lines(const hw_lcov *lcov, const char *path, long first,
		       long last, long *lines, long *hit, int *known)
{
	const hw_lcov_file *lf = lcov ? hw_lcov_find(lcov, path) : NULL;

	if (!lf)
		return 0;
	*known = 1;
	for (long l = first; l <= last && l < lf->nlines; l++) {
		if (!lf->has[l])
			continue;
		(*lines)++;
		if (lf->counts[l])
			(*hit)++;
	}
	return 1;
}

/*
 * The first line whose running shows that l's function was called. A
 * Python def statement runs when its module is imported, and coverage.py
 * counts its line then: a function of several lines is measured from the
 * line after it. A one-line function has only that line to measure.
 */
static long first_measured(const hw_link *l)
{
	const hw_func *fn = l->func;

	return l->file->lang == HW_LANG_PY && fn->last > fn->first
		       ? fn->first + 1
		       : fn->first;
}

static int same_target(const hw_link *a, const hw_link *b)
{
	return a->kind == b->kind && a->file == b->file && a->func == b->func &&
	       (a->func || a->tag->line == b->tag->line);
}

static int decide(hw_trace *t, hw_fr_trace *ft, const hw_lcov *lcov)
{
	const hw_fr *fr = ft->fr;
	unsigned have = 0;
	int failed = 0, unrun = 0, impl_funcs = 0, err;
	int unmeasured = 0;           /* functions in files lcov lacks */
	const char *unmeasured_file = NULL;

	for (size_t i = 0; i < ft->nlinks; i++) {
		const hw_link *l = &ft->links[i];
		int dup = 0;

		for (size_t k = 0; k < i && !dup; k++)
			dup = same_target(&ft->links[k], l);
		/* an outdated link claims an older meaning: it is reported
		 * (outdated-rev) and counts for nothing until reviewed */
		if (dup || (l->tag->rev && l->tag->rev < fr->rev))
			continue;
		have |= 1u << l->kind;
		if (l->kind == HW_TAG_IMPL) {
			ft->impl++;
			impl_funcs += l->func != NULL;
			if (l->func &&
			    !count_lines(lcov, l->file->path,
					 first_measured(l), l->func->last,
					 &ft->cov_lines, &ft->cov_hit,
					 &ft->cov_known)) {
				unmeasured++;
				if (!unmeasured_file)
					unmeasured_file = l->file->path;
			}
			continue;
		}
		ft->tests++;
		if (l->outcome == HW_OUTCOME_PASS) {
			ft->tests_passed++;
		} else if (l->outcome == HW_OUTCOME_FAIL) {
			failed++;
			if ((err = add_defect(
				     t, HW_DEF_FAILING_TEST, fr->id,
				     l->file->path, l->func->first,
				     l->func->name,
				     "%s() verifies %s and %s",
				     l->func->name, fr->id,
				     l->runs > 1 ? "failed in at least one of "
						   "its runs"
						 : "failed")))
				return err;
		} else {
			unrun++;
			if ((err = add_defect(
				     t, HW_DEF_NO_RESULT, fr->id, l->file->path,
				     l->func ? l->func->first : l->tag->line,
				     l->func ? l->func->name : "",
				     "%s%s verifies %s but %s",
				     l->func ? l->func->name : "a tag outside "
								"any function",
				     l->func ? "()" : "", fr->id,
				     !l->func ? "cannot be matched to a result"
				     : l->ambiguous
					     ? "its results cannot be told from "
					       "those of another test of the "
					       "same name (no classname, suite "
					       "or file names its file)"
				     : l->outcome == HW_OUTCOME_SKIP
					     ? "it was skipped"
				     : l->outcome == HW_OUTCOME_TODO
					     ? "it is marked TODO"
					     : "no imported result names it")))
				return err;
		}
	}
	ft->missing = fr->needs & ~have;
	if (ft->waiver)
		ft->state = HW_ST_WAIVED;
	else if (!ft->nlinks)
		ft->state = HW_ST_UNCOVERED;
	else if (failed)
		ft->state = HW_ST_FAILING;
	else if ((have & fr->needs) != fr->needs)
		ft->state = HW_ST_PARTIAL;
	else if (unrun)
		ft->state = HW_ST_UNTESTED;
	else
		ft->state = HW_ST_VERIFIED;

	if (t->threshold > 0 && ft->impl && fr->status != HW_FR_DEPRECATED &&
	    (ft->state == HW_ST_VERIFIED || ft->state == HW_ST_UNTESTED)) {
		double pct = ft->cov_lines ? 100.0 * (double)ft->cov_hit /
						     (double)ft->cov_lines
					   : 0.0;

		/* coverage of part of the code is not coverage of it (with
		 * no line measured at all, pct is 0) */
		if (pct + 1e-9 < t->threshold || (ft->cov_known && unmeasured)) {
			if (ft->state == HW_ST_VERIFIED)
				ft->state = HW_ST_PARTIAL;
			if (!t->have_coverage)
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: no coverage data (no lcov "
					"record was read), so the %.0f%% "
					"threshold cannot be met",
					fr->id, t->threshold);
			else if (!impl_funcs)
				/* a tag above a prototype or a struct: the
				 * file may well have coverage, the FR has no
				 * implementing lines to measure */
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: no Implements tag of it is on a "
					"function (each is above a declaration "
					"or outside any function), so none of "
					"its lines can be covered (threshold "
					"%.0f%%)",
					fr->id, t->threshold);
			else if (!ft->cov_known)
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: the coverage data has no record "
					"of its implementing files (threshold "
					"%.0f%%)",
					fr->id, t->threshold);
			else if (unmeasured)
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: %d of its %d implementing "
					"functions %s in a file the coverage "
					"data has no record of (%s%s), so "
					"%s lines cannot be measured "
					"(threshold %.0f%%)",
					fr->id, unmeasured, impl_funcs,
					unmeasured == 1 ? "is" : "are",
					unmeasured_file,
					unmeasured > 1 ? ", ..." : "",
					unmeasured == 1 ? "its" : "their",
					t->threshold);
			else if (!ft->cov_lines)
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: none of the lines of its "
					"implementing functions is in the "
					"coverage data, which has their files: "
					"a tracefile older than the code? "
					"(threshold %.0f%%)",
					fr->id, t->threshold);
			else
				err = add_defect(
					t, HW_DEF_LOW_COVERAGE, fr->id, fr->file,
					fr->line, "",
					"%s: %ld of %ld implementing lines "
					"ran (%.1f%%), under the %.0f%% "
					"threshold",
					fr->id, ft->cov_hit, ft->cov_lines, pct,
					t->threshold);
			if (err)
				return err;
		}
	}
	return HW_OK;
}

/* ---- levels: Parent and Depends links, cycles, roll-up ---------------- */

size_t hw_trace_nlevels(const hw_trace *t)
{
	return t->model && t->model->nlevels ? t->model->nlevels : 1;
}

const char *hw_trace_level_name(const hw_trace *t, int i)
{
	return t->model && t->model->nlevels ? t->model->levels[i].name
					     : "default";
}

void hw_trace_reason(char *out, size_t size, const hw_fr_trace *ft)
{
	out[0] = '\0';
	if (!ft->rolled)
		return;
	if (ft->state == HW_ST_UNCOVERED)
		snprintf(out, size, "no approved child covers it");
	else if (ft->blame)
		snprintf(out, size, "child %s is %s", ft->blame->id,
			 ft->state == HW_ST_FAILING ? "failing"
						    : "not verified");
	else if (ft->state != HW_ST_VERIFIED)
		snprintf(out, size, "its own links: %s",
			 hw_fr_state_name(ft->state));
}

/* A link between two requirements, for the cycle search. */
typedef struct req_edge {
	size_t from, to;    /* indexes into t->frs */
	long line;          /* of the key in from's file */
} req_edge;

static int edge_cmp(const void *a, const void *b)
{
	const req_edge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

/*
 * Reports the cycle stack[at..top] (each entry an edge into the next
 * node, the last closing on the first), starting at its smallest ID so
 * that the defect's id does not depend on where the search entered it.
 */
static int report_cycle(hw_trace *t, const req_edge *const *path, size_t n)
{
	size_t start = 0;
	hw_buf text;
	const hw_fr *fr;
	int err = HW_OK;

	for (size_t i = 1; i < n; i++)
		if (strcmp(t->frs[path[i]->from].fr->id,
			   t->frs[path[start]->from].fr->id) < 0)
			start = i;
	hw_buf_init(&text, 0);
	for (size_t i = 0; i <= n && !err; i++)
		err = hw_buf_printf(&text, "%s%s", i ? " -> " : "",
				    t->frs[path[(start + i) % n]->from].fr->id);
	fr = t->frs[path[start]->from].fr;
	if (!err)
		err = add_defect(t, HW_DEF_LINK_CYCLE, fr->id, fr->file,
				 path[start]->line, text.data,
				 "link cycle through Parent/Depends: %s",
				 text.data);
	hw_buf_free(&text);
	return err;
}

/*
 * Finds the cycles of the graph of edges (sorted by from): an iterative
 * depth-first search, so a long chain cannot overflow the stack; each back
 * edge is one link-cycle defect.
 */
/* Implements: FR-TRACE-011 */
static int find_cycles(hw_trace *t, const req_edge *e, size_t ne)
{
	size_t n = t->nfrs, *first = calloc(n + 1, sizeof(*first)),
	       *pos = calloc(n ? n : 1, sizeof(*pos)), depth = 0;
	unsigned char *color = calloc(n ? n : 1, 1);
	size_t *stack = calloc(n ? n : 1, sizeof(*stack));
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	const req_edge **path = calloc(n ? n : 1, sizeof(*path));
	int err = HW_OK;

	if (!first || !pos || !color || !stack || !path) {
		err = hw_error_oom();
		goto done;
	}
	for (size_t i = 0; i < ne; i++)
		first[e[i].from + 1]++;
	for (size_t i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (size_t root = 0; root < n && !err; root++) {
		if (color[root])
			continue;
		color[root] = 1;
		stack[0] = root;
		pos[root] = first[root];
		depth = 1;
		while (depth && !err) {
			size_t u = stack[depth - 1];

			if (pos[u] == first[u + 1]) {
				color[u] = 2;
				depth--;
				continue;
			}
			{
				const req_edge *x = &e[pos[u]++];

				path[depth - 1] = x;
				if (color[x->to] == 1) {
					size_t at = depth - 1;

					while (stack[at] != x->to)
						at--;
					err = report_cycle(t, path + at,
							   depth - at);
				} else if (!color[x->to]) {
					color[x->to] = 1;
					pos[x->to] = first[x->to];
					stack[depth++] = x->to;
				}
			}
		}
	}
done:
	free(first);
	free(pos);
	free(color);
	free(stack);
	free(path);
	return err;
}

/* Whether ft's level has a level below it (its state is rolled up). */
static int has_lower(const hw_trace *t, const hw_fr_trace *ft)
{
	return (size_t)ft->fr->level + 1 < hw_trace_nlevels(t);
}

/*
 * A requirement with a level below it is verified only when it has an
 * approved child and every approved child is verified (or waived), and its
 * own Needs, if any, are met. Levels are done bottom up, so every child's
 * state is final when its parent is judged.
 */
/* Implements: FR-TRACE-010 */
static int roll_up(hw_trace *t)
{
	for (size_t lv = hw_trace_nlevels(t) - 1; lv-- > 0;) {
		for (size_t i = 0; i < t->nfrs; i++) {
			hw_fr_trace *ft = &t->frs[i];
			const hw_fr *fr = ft->fr;
			hw_fr_state own = ft->state, st = HW_ST_VERIFIED;
			size_t approved = 0;
			int err;

			if ((size_t)fr->level != lv || !has_lower(t, ft) ||
			    ft->state == HW_ST_WAIVED)
				continue;
			ft->rolled = 1;
			for (size_t k = 0; k < ft->nchildren; k++) {
				const hw_fr_trace *c = &t->frs[ft->children[k]];

				if (c->fr->status != HW_FR_APPROVED)
					continue;
				approved++;
				if (c->state == HW_ST_FAILING &&
				    st != HW_ST_FAILING) {
					st = HW_ST_FAILING;
					ft->blame = c->fr;
				} else if (c->state != HW_ST_VERIFIED &&
					   c->state != HW_ST_WAIVED &&
					   st == HW_ST_VERIFIED) {
					st = HW_ST_PARTIAL;
					ft->blame = c->fr;
				}
			}
			if (!approved) {
				st = HW_ST_UNCOVERED;
				if (fr->status == HW_FR_APPROVED &&
				    (err = add_defect(
					     t, HW_DEF_UNCOVERED_PARENT, fr->id,
					     fr->file, fr->line, "",
					     "%s is approved but no approved "
					     "requirement of a lower level "
					     "names it as Parent",
					     fr->id)))
					return err;
			}
			/* its own needs count too: a failure of its own
			 * links fails it, any other gap makes it partial */
			if (fr->needs && own == HW_ST_FAILING) {
				st = HW_ST_FAILING;
				ft->blame = NULL;
			} else if (fr->needs && st == HW_ST_VERIFIED &&
				   own != HW_ST_VERIFIED) {
				st = own == HW_ST_UNTESTED ? own
							   : HW_ST_PARTIAL;
			}
			ft->state = st;
		}
	}
	return HW_OK;
}

/*
 * Resolves every Parent and Depends key: unknown-parent, parent-not-higher
 * (the same or a lower level, the requirement itself included),
 * deprecated-parent, derived-without-rationale; the children of each
 * requirement; then the cycles and the roll-up.
 */
/* Implements: FR-TRACE-011 */
static int link_levels(hw_trace *t, const fr_map *map)
{
	req_edge *e = NULL;
	size_t ne = 0, ecap = 0, *count = NULL, nkids = 0, *to = NULL, np = 0;
	int err = HW_OK;

	for (size_t i = 0; i < t->nfrs; i++)
		ecap += t->frs[i].fr->nparents + t->frs[i].fr->ndepends;
	if (!ecap && hw_trace_nlevels(t) < 2)
		goto derived;
	e = calloc(ecap ? ecap : 1, sizeof(*e));
	count = calloc(t->nfrs, sizeof(*count));
	/* to[k]: the index of the k-th Parent's requirement when it is a
	 * link (higher level), else SIZE_MAX; looked up once */
	to = malloc((ecap ? ecap : 1) * sizeof(*to));
	if (!e || !count || !to) {
		err = hw_error_oom();
		goto done;
	}
	memset(to, 0xff, (ecap ? ecap : 1) * sizeof(*to)); /* all SIZE_MAX */
	for (size_t i = 0; i < t->nfrs && !err; i++) {
		const hw_fr *fr = t->frs[i].fr;

		for (size_t k = 0; k < fr->nparents && !err; k++) {
			const char *pid = fr->parents[k];
			hw_fr_trace *p = find_fr(t, map, pid);

			np++; /* to[np - 1] stays SIZE_MAX unless a link */
			if (!p) {
				err = add_defect(t, HW_DEF_UNKNOWN_PARENT,
						 fr->id, fr->file,
						 fr->parents_line, pid,
						 "%s names Parent %s, which is "
						 "not a requirement",
						 fr->id, pid);
				continue;
			}
			if (p->fr->level >= fr->level) {
				err = add_defect(
					t, HW_DEF_PARENT_NOT_HIGHER, fr->id,
					fr->file, fr->parents_line, pid,
					"%s names Parent %s, %s: a parent "
					"must be of a higher level",
					fr->id, pid,
					p->fr == fr ? "itself"
					: p->fr->level == fr->level
						? "of its own level"
						: "of a lower level");
				if (p->fr != fr) /* a self-link is no cycle */
					e[ne++] = (req_edge){i, (size_t)(p - t->frs),
							     fr->parents_line};
				continue;
			}
			if (p->fr->status == HW_FR_DEPRECATED &&
			    fr->status != HW_FR_DEPRECATED &&
			    (err = add_defect(t, HW_DEF_DEPRECATED_PARENT,
					      fr->id, fr->file,
					      fr->parents_line, pid,
					      "%s names Parent %s, which is "
					      "deprecated",
					      fr->id, pid)))
				break;
			to[np - 1] = (size_t)(p - t->frs);
			count[p - t->frs]++;
			nkids++;
		}
		for (size_t k = 0; k < fr->ndepends && !err; k++) {
			const char *did = fr->depends[k];
			hw_fr_trace *d = find_fr(t, map, did);

			if (!d)
				err = add_defect(t, HW_DEF_UNKNOWN_FR, fr->id,
						 fr->file, fr->depends_line,
						 did,
						 "%s depends on %s, which is "
						 "not a requirement",
						 fr->id, did);
			else
				e[ne++] = (req_edge){i, (size_t)(d - t->frs),
						     fr->depends_line};
		}
	}
	if (err)
		goto done;
	/* the children, in t->frs order, in one array */
	if (!(t->kids = calloc(nkids ? nkids : 1, sizeof(*t->kids)))) {
		err = hw_error_oom();
		goto done;
	}
	{
		size_t at = 0;

		for (size_t i = 0; i < t->nfrs; i++) {
			t->frs[i].children = t->kids + at;
			at += count[i];
		}
	}
	np = 0;
	for (size_t i = 0; i < t->nfrs; i++) {
		for (size_t k = 0; k < t->frs[i].fr->nparents; k++) {
			hw_fr_trace *p;

			if (to[np++] == SIZE_MAX)
				continue;
			p = &t->frs[to[np - 1]];
			if (!p->nchildren || p->children[p->nchildren - 1] != i)
				p->children[p->nchildren++] = i;
		}
	}
	qsort(e, ne, sizeof(*e), edge_cmp);
	if ((err = find_cycles(t, e, ne)) || (err = roll_up(t)))
		goto done;
derived:
	for (size_t i = 0; i < t->nfrs && !err; i++) {
		const hw_fr *fr = t->frs[i].fr;

		if (fr->derived && !fr->rationale)
			err = add_defect(t, HW_DEF_DERIVED_NO_RATIONALE, fr->id,
					 fr->file, fr->line, "",
					 "%s is Derived (no parent by design) "
					 "but gives no Rationale",
					 fr->id);
	}
done:
	free(e);
	free(count);
	free(to);
	return err;
}

/* ---- change impact: links to requirements changed since review -------- */

/* The path of requirement u from the changed one: "SYS-001 -> SW-A-001". */
static int impact_path(hw_buf *out, const hw_trace *t, const size_t *from,
		       size_t u)
{
	if (from[u] != SIZE_MAX) {
		int err = impact_path(out, t, from, from[u]);

		if (err)
			return err;
		if ((err = hw_buf_printf(out, " -> ")))
			return err;
	}
	return hw_buf_printf(out, "%s", t->frs[u].fr->id);
}

/*
 * The suspect links of the changed requirement c (its current Rev or text
 * hash is not the reviewed one, or its review does not verify): every tag
 * and every child's Parent link to c, then to each of its descendants,
 * found breadth first. self says why for a link to c itself ("which
 * changed since its review (Rev 1 -> 2)"), desc for a link further down
 * ("and SYS-001 changed ..."), todo what to do. seen[] holds c + 1 for
 * the requirements reached from c, so each is visited once.
 */
static int suspects_from(hw_trace *t, size_t c, const char *self,
			 const char *desc, const char *todo, size_t *queue,
			 size_t *from, size_t *seen)
{
	const hw_fr *cfr = t->frs[c].fr;
	size_t head = 0, tail = 0;
	hw_buf path;
	int err = HW_OK;

	hw_buf_init(&path, 0);
	queue[tail++] = c;
	seen[c] = c + 1;
	from[c] = SIZE_MAX;
	while (head < tail && !err) {
		size_t u = queue[head++];
		const hw_fr_trace *ft = &t->frs[u];

		hw_buf_clear(&path);
		if ((err = impact_path(&path, t, from, u)))
			break;
		for (size_t i = 0; i < ft->nlinks && !err; i++) {
			const hw_link *l = &ft->links[i];
			char subject[320];
			int dup = 0;

			for (size_t k = 0; k < i && !dup; k++)
				dup = same_target(&ft->links[k], l);
			/* a pinned tag says which Rev it was reviewed
			 * against: outdated-rev judges it */
			if (dup || l->tag->rev)
				continue;
			/* the id names the link and the change, not the line */
			snprintf(subject, sizeof(subject), "%s %s %s",
				 kind_word(l->kind), l->func ? l->func->name : "",
				 cfr->id);
			err = add_defect(
				t, HW_DEF_SUSPECT_LINK, ft->fr->id,
				l->file->path, l->tag->line, subject,
				"%s%s%s %s, %s%s%s: %s",
				l->func ? l->func->name : "this file",
				l->func ? "() " : " ", kind_word(l->kind),
				ft->fr->id, u == c ? self : desc,
				u == c ? "" : "; path ",
				u == c ? "" : path.data, todo);
		}
		for (size_t k = 0; k < ft->nchildren && !err; k++) {
			size_t ch = ft->children[k];
			const hw_fr *kfr = t->frs[ch].fr;
			char subject[2 * HW_FR_ID_MAX + 16];

			snprintf(subject, sizeof(subject), "parent %s %s",
				 ft->fr->id, cfr->id);
			err = add_defect(
				t, HW_DEF_SUSPECT_LINK, kfr->id, kfr->file,
				kfr->parents_line, subject,
				"%s names Parent %s, %s; path %s -> %s: %s",
				kfr->id, ft->fr->id, u == c ? self : desc,
				path.data, kfr->id, todo);
			if (!err && seen[ch] != c + 1) {
				seen[ch] = c + 1;
				from[ch] = u;
				queue[tail++] = ch;
			}
		}
	}
	hw_buf_free(&path);
	return err;
}

/*
 * suspect-link defects: the reviewed state of each requirement is its
 * reviews.json entry, else its baseline entry; one never reviewed is
 * never changed, so a project without either has no suspect link. An
 * entry its signed event does not prove is a review-unverified defect,
 * and the requirement counts as changed: a forged or edited entry leaves
 * every link to it suspect rather than clearing any.
 */
/* Implements: FR-TRACE-012 */
static int mark_suspects(hw_trace *t, const fr_map *map,
			 const hw_baseline *b, const hw_reviews *r)
{
	size_t n = t->nfrs;
	const char **sha = calloc(n, sizeof(*sha));
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	const hw_review **unproved = calloc(n, sizeof(*unproved));
	int *rev = calloc(n, sizeof(*rev));
	size_t *queue = malloc(n * sizeof(*queue));
	size_t *from = malloc(n * sizeof(*from));
	size_t *seen = calloc(n, sizeof(*seen));
	int err = HW_OK;

	if (!sha || !unproved || !rev || !queue || !from || !seen) {
		err = hw_error_oom();
		goto done;
	}
	for (size_t k = 0; b && b->loaded && k < b->nfrs; k++) {
		hw_fr_trace *ft = find_fr(t, map, b->fr_ids[k]);

		if (ft) {
			sha[ft - t->frs] = b->fr_sha[k];
			rev[ft - t->frs] = b->fr_rev[k];
		}
	}
	for (size_t k = 0; r && k < r->n && !err; k++) {
		const hw_review *e = &r->items[k];
		hw_fr_trace *ft = find_fr(t, map, e->id);

		if (ft && !e->verified) {
			unproved[ft - t->frs] = e;
			/* a review signed by a key not in trusted_keys is
			 * not cured by signing it again with the same key */
			err = add_defect(
				t, HW_DEF_REVIEW_UNVERIFIED, e->id, r->path,
				e->line, e->event_hash,
				"the review of %s is not accepted: %s; its "
				"links are suspect until %s'hwledger review %s' "
				"signs it again%s",
				e->id, e->why,
				e->key_unlisted ? "that key's public line is "
						  "added to "
						  "traceability/trusted_keys, "
						  "or "
						: "",
				e->id,
				e->key_unlisted ? " with a trusted key" : "");
		} else if (ft) { /* the latest review wins over the baseline */
			sha[ft - t->frs] = e->sha256;
			rev[ft - t->frs] = e->rev;
		}
	}
	for (size_t i = 0; i < n && !err; i++) {
		const hw_fr *fr = t->frs[i].fr;
		const hw_review *e = unproved[i];
		char what[64], self[512], desc[512], todo[256];

		if (e) {
			/* not changed: its review is not believed. A key
			 * not in trusted_keys is cured by listing it, not by
			 * signing again with it */
			snprintf(self, sizeof(self),
				 "whose review at %.200s:%ld is not accepted%s%s",
				 r->path, e->line, e->key_unlisted ? ": " : "",
				 e->key_unlisted ? e->why : "");
			snprintf(desc, sizeof(desc),
				 "and %s's review at %.200s:%ld is not "
				 "accepted%s%s",
				 fr->id, r->path, e->line,
				 e->key_unlisted ? ": " : "",
				 e->key_unlisted ? e->why : "");
			if (e->key_unlisted)
				snprintf(todo, sizeof(todo),
					 "check the link, then add that key's "
					 "public line (its .pub file) to "
					 "traceability/trusted_keys, or run "
					 "'hwledger review %s' with a trusted "
					 "key",
					 fr->id);
			else
				snprintf(todo, sizeof(todo),
					 "check the link, then run 'hwledger "
					 "review %s'",
					 fr->id);
		} else {
			if (sha[i] && rev[i] != fr->rev)
				snprintf(what, sizeof(what), "Rev %d -> %d",
					 rev[i], fr->rev);
			else if (sha[i] && strcmp(sha[i], fr->sha256) != 0)
				snprintf(what, sizeof(what),
					 "text changed at Rev %d", rev[i]);
			else
				continue;
			snprintf(self, sizeof(self),
				 "which changed since its review (%s)", what);
			snprintf(desc, sizeof(desc),
				 "and %s changed since its review (%s)", fr->id,
				 what);
			snprintf(todo, sizeof(todo),
				 "check the link, then run 'hwledger review %s'",
				 fr->id);
		}
		err = suspects_from(t, i, self, desc, todo, queue, from, seen);
	}
done:
	free(sha);
	free(unproved);
	free(rev);
	free(queue);
	free(from);
	free(seen);
	return err;
}

/* Whether results a and b name one test of one suite: the runs of a
 * parametrized test are one. */
static int same_test(const joined *a, const joined *b)
{
	return !key_cmp(a->name, b->name) &&
	       !strcmp(a->r->suite ? a->r->suite : "",
		       b->r->suite ? b->r->suite : "");
}

/* Whether result a comes before b in its results files, by file and line. */
static int result_before(const hw_result *a, const hw_result *b)
{
	int c = strcmp(a->file, b->file);

	return c ? c < 0 : a->line < b->line;
}

/* The test functions of r's key, from *c0, as *nc candidates. */
static void candidates(const matcher *m, const joined *r, size_t *c0,
		       size_t *nc)
{
	*c0 = first_test(m->tests, m->ntests, r->name);
	*nc = 0;
	while (*c0 + *nc < m->ntests &&
	       key_cmp(m->tests[*c0 + *nc].name, r->name) == 0)
		(*nc)++;
}

/* Whom result r is for: 0 a test function (surely), 1 none, 2 several
 * that it cannot be told between. */
enum { FOR_ONE, FOR_NONE, FOR_SEVERAL };

static int result_whom(const matcher *m, const joined *r)
{
	size_t c0, nc;
	int any = 0;

	candidates(m, r, &c0, &nc);
	for (size_t k = 0; k < nc; k++) {
		int is_for = result_is_for(r, m->tests[c0 + k].name,
					   m->tests[c0 + k].path,
					   m->tests + c0, nc);

		if (is_for > 0)
			return FOR_ONE;
		any |= is_for < 0;
	}
	return any ? FOR_SEVERAL : FOR_NONE;
}

/* ---- inherited Python test methods (specs/languages.md, "Results") --- */

/* Whether f has a function named q, a '.' and key[0..kn). */
static int has_method(const hw_src_file *f, const char *q, const char *key,
		      size_t kn)
{
	size_t qn = strlen(q);

	for (size_t i = 0; i < f->nfuncs; i++) {
		const char *n = f->funcs[i].name;

		if (strlen(n) == qn + 1 + kn && !memcmp(n, q, qn) &&
		    n[qn] == '.' && !memcmp(n + qn + 1, key, kn))
			return 1;
	}
	return 0;
}

/* The class of f named q with recorded bases not seen yet (marked seen
 * now), or NULL. */
static const hw_pyclass *find_class(const hw_src_file *f, const char *q,
				    unsigned char *seen)
{
	for (size_t i = 0; i < f->nclasses; i++)
		if (!strcmp(f->classes[i].name, q)) {
			if (seen[i])
				return NULL;
			seen[i] = 1;
			return &f->classes[i];
		}
	return NULL;
}

/*
 * The class of f whose method key[0..kn) class c (named cname, with the
 * bases of record c, NULL for none) inherits, into out: its bases left to
 * right, each depth first, as written in c's scope or else in module
 * (Python's lookup of the name at the class statement). 1 found, 0 not.
 * A class is searched once (seen: f's classes searched): a name may name
 * a class that names it in turn (a class defined again); and at most
 * *budget names are looked up, so that a file of many classes each naming
 * many others costs a result little (none is found past it).
 */
static int inherited_from(const hw_src_file *f, const char *module,
			  const hw_pyclass *c, const char *key, size_t kn,
			  unsigned char *seen, int *budget, char *out,
			  size_t size)
{
	const char *b = c ? c->bases : "";

	while (*b) {
		const char *e = strchr(b, ' ');
		size_t bn = e ? (size_t)(e - b) : strlen(b);
		const char *dot = strrchr(c->name, '.');
		size_t pn = dot ? (size_t)(dot - c->name) : 0;

		for (int k = 0; k < 2; k++) {
			const char *sp = k ? module : c->name;
			size_t sn = k ? strlen(module) : pn;

			if ((k && sn == pn && !memcmp(sp, c->name, pn)) ||
			    sn + 1 + bn >= size)
				continue;
			if (--*budget < 0)
				return 0;
			snprintf(out, size, "%.*s%s%.*s", (int)sn, sp,
				 sn ? "." : "", (int)bn, b);
			if (has_method(f, out, key, kn))
				return 1;
			{
				char q[512];

				snprintf(q, sizeof(q), "%s", out);
				if (inherited_from(f, module,
						   find_class(f, q, seen), key,
						   kn, seen, budget, out, size))
					return 1;
			}
		}
		b += bn;
		while (*b == ' ')
			b++;
	}
	return 0;
}

/*
 * The suite a result that no test function is for is joined by when it
 * is a run of an inherited pytest test method: pytest names it by the
 * subclass ("tests.test_x.TestTimed" "test_sign"), and the method is the
 * base class's. A class of a test file whose name agrees with the
 * result's classname (as names_qualified reads them) and that names its
 * bases by plain names of its own module gives the base class that has
 * the method: that class's name (into found), when all such classes give
 * one: 1; else 0 (HW_ENOMEM out of memory). modules[i] is file i's
 * module, NULL for a file without such classes.
 */
/* Implements: FR-TRACE-017 */
static int inherited_suite(const hw_scan *scan, char *const *modules,
			   const joined *jr, char *found, size_t size)
{
	const hw_result *r = jr->r;
	char got[512];
	size_t kn, sn;
	const char *key = join_key(jr->name, &kn);
	int any = 0;

	if (!r->suite || !*r->suite || jr->name[0] == '"' ||
	    has_qualifier(jr->name))
		return 0;
	sn = strlen(r->suite);
	for (size_t i = 0; i < scan->n; i++) {
		const hw_src_file *f = &scan->files[i];
		const char *module = modules[i];

		if (!module)
			continue;
		for (size_t c = 0; c < f->nclasses; c++) {
			const char *cn = f->classes[c].name;
			size_t cl = strlen(cn);
			unsigned char *seen;
			int from, budget = 256;

			if (!ends_with_dotted(cn, cl, r->suite, sn) &&
			    !ends_with_dotted(r->suite, sn, cn, cl))
				continue;
			if (has_method(f, cn, key, kn))
				continue;
			seen = calloc(f->nclasses, 1);
			if (!seen)
				return hw_error_oom();
			seen[c] = 1;
			from = inherited_from(f, module, &f->classes[c], key, kn,
					      seen, &budget, got, sizeof(got));
			free(seen);
			if (!from)
				continue;
			if (any && strcmp(found, got) != 0)
				return 0; /* two classes, two bases */
			any = 1;
			snprintf(found, size, "%s", got);
		}
	}
	return any;
}

/* Joins the results no test function is for through inherited test
 * methods; the suites are kept in owned (one per result, or NULL). */
static int join_inherited(matcher *m, const hw_scan *scan, char **owned)
{
	char **modules = calloc(scan->n ? scan->n : 1, sizeof(*modules));
	int any = 0, err = HW_OK;

	HW_CHECK_ALLOC(modules);
	/* each file's module once: every result looks at every file */
	for (size_t i = 0; i < scan->n; i++) {
		hw_buf mb;

		if (!scan->files[i].nclasses)
			continue;
		hw_buf_init(&mb, 0);
		/* the names built from it are 512 bytes at most */
		if (!hw_lang_py_module(&mb, scan->files[i].path) && mb.data &&
		    mb.len < 512) {
			modules[i] = mb.data;
			any = 1;
		} else {
			hw_buf_free(&mb);
		}
	}
	for (size_t i = 0; any && !err && i < m->nres; i++) {
		joined *jr = &m->sorted[i];
		char base[512];
		int got;

		if (!jr->r->suite || !strchr(jr->r->suite, '.') ||
		    result_whom(m, jr) != FOR_NONE)
			continue;
		got = inherited_suite(scan, modules, jr, base, sizeof(base));
		if (got < 0) {
			err = got;
		} else if (got) {
			if (!(owned[i] = hw_strdup(base)))
				err = hw_error_oom();
			jr->suite = owned[i];
		}
	}
	for (size_t i = 0; i < scan->n; i++)
		free(modules[i]);
	free(modules);
	return err;
}

/* The files of the test functions that result r cannot be told between,
 * ", "-separated, into out. */
static void several_files(const matcher *m, const joined *r, char *out,
			  size_t size)
{
	size_t c0, nc, w = 0;

	out[0] = '\0';
	candidates(m, r, &c0, &nc);
	for (size_t k = 0; k < nc && w < size; k++) {
		const test_ref *c = &m->tests[c0 + k];
		int dup = 0;

		if (result_is_for(r, c->name, c->path, m->tests + c0, nc) >= 0)
			continue;
		for (size_t j = c0; j < c0 + k && !dup; j++)
			dup = !strcmp(m->tests[j].path, c->path) &&
			      result_is_for(r, m->tests[j].name,
					    m->tests[j].path, m->tests + c0,
					    nc) < 0;
		if (!dup)
			w += (size_t)snprintf(out + w, size - w, "%s%s",
					      w ? ", " : "", c->path);
	}
}

/*
 * The results that no test function surely is for, one defect per test
 * name and suite (its runs). A test that no function is for and that
 * passed, was skipped or is TODO is a result-without-test. One that failed
 * in any run is a failing-test at its first failed run, as is a failed
 * one that several functions of its name could be for (which are each
 * test-without-result): a failed test is a failure whether or not a
 * requirement shows it, and the gate judges it as one.
 */
/* Implements: FR-TRACE-006, FR-TRACE-017 */
static int unmatched_results(hw_trace *t, const matcher *m)
{
	unsigned char *whom = calloc(m->nres ? m->nres : 1, 1);
	int err = HW_OK;

	HW_CHECK_ALLOC(whom);
	for (size_t i = 0; i < m->nres; i++)
		whom[i] = (unsigned char)result_whom(m, &m->sorted[i]);
	for (size_t i = 0; i < m->nres && !err; i++) {
		const joined *jr = &m->sorted[i], *jfailed = NULL;
		const hw_result *r = jr->r, *failed = NULL;
		int seen = 0, named_suite;
		char near[256];
		hw_buf subject;

		if (whom[i] == FOR_ONE)
			continue;
		/* one defect for the runs of one test (parametrized) */
		for (size_t j = i; j-- > 0 && !seen &&
				   key_cmp(m->sorted[j].name, jr->name) == 0;)
			seen = whom[j] == whom[i] && same_test(&m->sorted[j], jr);
		if (seen)
			continue;
		for (size_t j = i; j < m->nres &&
				   key_cmp(m->sorted[j].name, jr->name) == 0;
		     j++)
			if (whom[j] == whom[i] && same_test(&m->sorted[j], jr) &&
			    m->sorted[j].r->outcome == HW_OUTCOME_FAIL &&
			    (!failed || result_before(m->sorted[j].r, failed))) {
				jfailed = &m->sorted[j];
				failed = jfailed->r;
			}
		/* an ambiguous pass is the tests' test-without-result */
		if (whom[i] == FOR_SEVERAL && !failed)
			continue;
		if (whom[i] == FOR_SEVERAL)
			several_files(m, jfailed, near, sizeof(near));
		else
			closest_tests(m->tests, m->ntests, jr->name, near,
				      sizeof(near));
		/* ctest's testcase has its own name as its classname */
		named_suite = r->suite && strcmp(r->suite, r->name) != 0;
		/* the id's subject: the suite too, as one defect per name
		 * and suite is made (pytest runs an inherited test once per
		 * subclass) */
		hw_buf_init(&subject, 0);
		if (named_suite &&
		    hw_buf_printf(&subject, "%s %s", r->suite, r->name)) {
			err = hw_error_code();
		} else if (whom[i] == FOR_SEVERAL) {
			err = add_defect(
				t, HW_DEF_FAILING_TEST, NULL, failed->file,
				failed->line,
				named_suite ? subject.data : r->name,
				"result %s%s%s failed, and which test "
				"function of its name it is cannot be told "
				"(%s), so no requirement shows the failure",
				named_suite ? r->suite : "",
				named_suite ? " " : "", failed->name, near);
		} else if (failed) {
			err = add_defect(
				t, HW_DEF_FAILING_TEST, NULL, failed->file,
				failed->line,
				named_suite ? subject.data : r->name,
				"result %s%s%s failed and matches no test "
				"function, so no requirement shows the "
				"failure%s%s",
				named_suite ? r->suite : "",
				named_suite ? " " : "", failed->name,
				*near ? "; closest: " : "", near);
		} else {
			err = add_defect(
				t, HW_DEF_RESULT_WITHOUT_TEST, NULL, r->file,
				r->line, named_suite ? subject.data : r->name,
				"result %s%s%s matches no test function%s%s",
				named_suite ? r->suite : "",
				named_suite ? " " : "", r->name,
				*near ? "; closest: " : "", near);
		}
		hw_buf_free(&subject);
	}
	free(whom);
	return err;
}

/* Whether a failing-test defect names the function at path:line. */
static int failure_shown(const hw_trace *t, const char *path, long line)
{
	for (size_t d = 0; d < t->ndefects; d++)
		if (t->defects[d].kind == HW_DEF_FAILING_TEST &&
		    t->defects[d].line == line && t->defects[d].file &&
		    !strcmp(t->defects[d].file, path))
			return 1;
	return 0;
}

/* A failing-test at function k of f when its results failed and no
 * requirement's failing-test names it (is_tagged: it has a tag). */
static int unshown_failure(hw_trace *t, const matcher *m,
			   const hw_src_file *f, size_t k, int is_tagged)
{
	const hw_func *fn = &f->funcs[k];
	int runs = 0, ambiguous = 0;

	if (merged_outcome(m, fn->name, f->path, &runs, &ambiguous) !=
		    HW_OUTCOME_FAIL ||
	    failure_shown(t, f->path, fn->first))
		return HW_OK;
	return add_defect(t, HW_DEF_FAILING_TEST, NULL, f->path, fn->first,
			  fn->name, "%s() failed%s", fn->name,
			  is_tagged ? ", and no requirement counts its "
				      "result: no Verifies tag of it names a "
				      "requirement at its current revision"
				    : " and verifies no requirement, so no "
				      "requirement shows the failure: add a "
				      "'Verifies:' tag");
}

/*
 * Test functions whose results failed but that no requirement counts: no
 * Verifies tag (an orphan, or a function a result names that is not named
 * like a test), or only tags that count for nothing (pinned to an older
 * revision). Each is a failing-test at the function, after every FR's
 * own failing-test defects are made: a failed test fails the gate whether
 * or not a requirement shows it. The functions are those results may be
 * for (test_refs): every one of a test file, and elsewhere those a
 * Verifies tag names.
 */
/* Implements: FR-TRACE-006 */
static int unshown_failures(hw_trace *t, const hw_scan *scan,
			    const matcher *m, const unsigned char *tagged)
{
	size_t fi = 0;
	int err = HW_OK;

	for (size_t i = 0; i < scan->n && !err;
	     fi += scan->files[i++].nfuncs) {
		const hw_src_file *f = &scan->files[i];

		for (size_t k = 0; f->is_test && k < f->nfuncs && !err; k++)
			err = unshown_failure(t, m, f, k, tagged[fi + k]);
		for (size_t g = 0; !f->is_test && g < f->ntags && !err; g++) {
			const hw_tag *tag = &f->tags[g];
			int again = 0;

			if (tag->func < 0 || tag->kind == HW_TAG_IMPL)
				continue;
			for (size_t h = 0; h < g && !again; h++)
				again = f->tags[h].func == tag->func &&
					f->tags[h].kind != HW_TAG_IMPL;
			if (!again)
				err = unshown_failure(t, m, f,
						      (size_t)tag->func, 1);
		}
	}
	return err;
}

/* Implements: FR-TRACE-004 */
int hw_trace_build(hw_trace *t, const hw_fr_set *frs, const hw_scan *scan,
		   const hw_results *results, const hw_lcov *lcov,
		   const hw_policy *policy, const hw_baseline *baseline,
		   const hw_reviews *reviews, const char *today)
{
	fr_ref *refs = NULL;
	fr_map map = {NULL, 0};
	joined *sorted = NULL;
	char **owned = NULL; /* suites of inherited runs (join_inherited) */
	matcher match = {NULL, 0, NULL, 0};
	unsigned char *tagged = NULL, *dup = NULL;
	size_t nfuncs = 0, nres = results ? results->n : 0;
	int err = HW_OK;

	memset(t, 0, sizeof(*t));
	t->model = frs->model;
	t->threshold = policy ? policy->coverage_threshold : 80.0;
	t->have_results = results && results->files > 0;
	t->have_coverage = lcov && lcov->records > 0;
	t->frs = calloc(frs->n ? frs->n : 1, sizeof(*t->frs));
	refs = calloc(frs->n ? frs->n : 1, sizeof(*refs));
	sorted = calloc(nres ? nres : 1, sizeof(*sorted));
	for (size_t i = 0; i < scan->n; i++)
		nfuncs += scan->files[i].nfuncs;
	tagged = calloc(nfuncs ? nfuncs : 1, 1);
	if (!t->frs || !refs || !sorted || !tagged) {
		err = hw_error_oom();
		goto cleanup;
	}
	/* FRs, first definition wins; later ones are duplicate-fr defects.
	 * refs is first sorted over the whole set to find the duplicates. */
	for (size_t i = 0; i < frs->n; i++) {
		refs[i].id = frs->items[i].id;
		refs[i].index = i;
	}
	qsort(refs, frs->n, sizeof(*refs), ref_index_cmp);
	dup = calloc(frs->n ? frs->n : 1, 1);
	if (!dup) {
		err = hw_error_oom();
		goto cleanup;
	}
	for (size_t i = 1; i < frs->n; i++) {
		size_t f = i - 1;

		if (strcmp(refs[i].id, refs[f].id) != 0)
			continue;
		while (f > 0 && strcmp(refs[f - 1].id, refs[i].id) == 0)
			f--;
		dup[refs[i].index] = 1;
		{
			const hw_fr *fr = &frs->items[refs[i].index];
			const hw_fr *first = &frs->items[refs[f].index];

			if ((err = add_defect(t, HW_DEF_DUPLICATE_FR, fr->id,
					      fr->file, fr->line, "",
					      "duplicate FR id %s (first "
					      "defined at %s:%ld)",
					      fr->id, first->file, first->line)))
				goto cleanup;
		}
	}
	for (size_t i = 0; i < frs->n; i++) {
		if (dup[i])
			continue;
		t->frs[t->nfrs++].fr = &frs->items[i];
	}
	if ((err = fr_map_build(&map, t)))
		goto cleanup;
	if ((err = test_refs(&match, scan)))
		goto cleanup;
	for (size_t i = 0; i < nres; i++) {
		sorted[i].r = &results->items[i];
		sorted[i].name = join_name(&match, results->items[i].name);
		sorted[i].suite = results->items[i].suite;
	}
	qsort(sorted, nres, sizeof(*sorted), result_cmp);
	match.sorted = sorted;
	match.nres = nres;
	owned = calloc(nres ? nres : 1, sizeof(*owned));
	if (!owned) {
		err = hw_error_oom();
		goto cleanup;
	}
	if ((err = join_inherited(&match, scan, owned)))
		goto cleanup;

	/* waivers: in force, or expired (a defect; the FR is judged) */
	for (size_t w = 0; policy && w < policy->nwaivers; w++) {
		const hw_waiver *wv = &policy->waivers[w];
		hw_fr_trace *ft = find_fr(t, &map, wv->fr);

		if (strcmp(wv->expires, today) < 0) {
			if ((err = add_defect(
				     t, HW_DEF_EXPIRED_WAIVER, wv->fr,
				     policy->path, wv->line, wv->expires,
				     "the waiver for %s expired on %s (%s)",
				     wv->fr, wv->expires, wv->reason)))
				goto cleanup;
		} else if (ft) {
			ft->waiver = wv;
		} else if ((err = add_defect(t, HW_DEF_UNKNOWN_FR, wv->fr,
					     policy->path, wv->line, "waiver",
					     "a waiver names %s, which is not "
					     "an FR in frs/",
					     wv->fr))) {
			goto cleanup;
		}
	}

	if ((err = link_tags(t, &map, scan, &match, tagged)))
		goto cleanup;

	/* results that no test function is for: a test renamed or moved,
	 * a tag on the wrong function, a runner's naming not understood */
	if ((err = unmatched_results(t, &match)))
		goto cleanup;

	/* tests that no tag links: orphans. A test is a function of a test
	 * file whose name the config's test_functions match or, with
	 * "orphan_tests": "run", any one a result names (so a helper named
	 * like a test that never ran as one is not an orphan) */
	{
		size_t fi = 0;

		for (size_t i = 0; i < scan->n; i++) {
			const hw_src_file *f = &scan->files[i];

			for (size_t k = 0; k < f->nfuncs; k++) {
				const hw_func *fn = &f->funcs[k];
				int runs = 0, ambiguous = 0, orphan;

				if (tagged[fi + k] || !f->is_test)
					continue;
				if (scan->orphans_run)
					merged_outcome(&match, fn->name, f->path,
						       &runs, &ambiguous);
				orphan = scan->orphans_run ? runs || ambiguous
							   : fn->is_test;
				if (orphan &&
				    (err = add_defect(
					     t, HW_DEF_ORPHAN_TEST, NULL,
					     f->path, fn->first, fn->name,
					     "test %s() names no FR: add a "
					     "'Verifies:' tag",
					     fn->name)))
					goto cleanup;
			}
			fi += f->nfuncs;
		}
	}

	for (size_t i = 0; i < t->nfrs; i++)
		if ((err = decide(t, &t->frs[i], lcov)))
			goto cleanup;
	if ((err = unshown_failures(t, scan, &match, tagged)))
		goto cleanup;
	if (t->nfrs && (err = link_levels(t, &map)))
		goto cleanup;

	/* suspect text: same revision, different words than the baseline */
	for (size_t i = 0; baseline && baseline->loaded && i < t->nfrs; i++) {
		const hw_fr *fr = t->frs[i].fr;

		for (size_t b = 0; b < baseline->nfrs; b++) {
			if (strcmp(baseline->fr_ids[b], fr->id) != 0)
				continue;
			if (baseline->fr_rev[b] == fr->rev &&
			    strcmp(baseline->fr_sha[b], fr->sha256) != 0 &&
			    (err = add_defect(
				     t, HW_DEF_SUSPECT_TEXT, fr->id, fr->file,
				     fr->line, fr->sha256,
				     "the text of %s changed but its Rev is "
				     "still %d: bump Rev if the meaning "
				     "changed, then update the baseline",
				     fr->id, fr->rev)))
				goto cleanup;
			break;
		}
	}
	if (t->nfrs && (err = mark_suspects(t, &map, baseline, reviews)))
		goto cleanup;

	/* defects read best, and compare across runs, in file order */
	if (t->ndefects)
		qsort(t->defects, t->ndefects, sizeof(*t->defects),
		      defect_cmp);

	/* how many defects name each FR */
	for (size_t d = 0; d < t->ndefects; d++) {
		hw_fr_trace *ft = t->defects[d].fr
					  ? find_fr(t, &map, t->defects[d].fr)
					  : NULL;

		if (ft)
			ft->ndefects++;
	}
cleanup:
	for (size_t i = 0; owned && i < nres; i++)
		free(owned[i]);
	free(owned);
	free(dup);
	free(map.slots);
	free(refs);
	free(sorted);
	free(match.tests);
	free(tagged);
	if (err)
		hw_trace_free(t);
	return err;
}

/* Whether an "allow" glob of p matches path or the function's name. */
static int untraced_allowed(const hw_policy *p, const char *path,
			    const char *name)
{
	for (char **g = p->untraced_allow; g && *g; g++)
		if (hw_glob_match(*g, path) || hw_glob_match(*g, name))
			return 1;
	return 0;
}

typedef struct named_func {
	const char *name;
	size_t k;
} named_func;

static int named_func_cmp(const void *a, const void *b)
{
	const named_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->k > y->k) - (x->k < y->k);
}

/* Implements: FR-TRACE-011 */
int hw_trace_untraced(hw_trace *t, const hw_scan *scan, const hw_policy *p,
		      size_t max_bytes)
{
	hw_buf b;
	int err = HW_OK;

	if (!p->untraced_report)
		return HW_OK;
	hw_buf_init(&b, 0);
	for (size_t i = 0; i < scan->n && !err; i++) {
		const hw_src_file *sf = &scan->files[i];
		hw_src_file f;
		unsigned char *impl;
		named_func *byname;

		if (sf->is_test)
			continue;
		memset(&f, 0, sizeof(f));
		f.path = (char *)sf->path;
		f.lang = sf->lang;
		/* the scan read it: one that cannot be read now is an error
		 * of the run, never a file left out unsaid */
		if ((err = hw_file_read(&b, sf->path, max_bytes)) ||
		    (err = hw_scan_text_all(&f, b.data, b.len)))
			break;
		impl = calloc(f.nfuncs ? f.nfuncs : 1, 1);
		byname = malloc((f.nfuncs ? f.nfuncs : 1) * sizeof(*byname));
		if (!impl || !byname)
			err = hw_error_oom();
		for (size_t k = 0; !err && k < f.ntags; k++)
			if (f.tags[k].func >= 0 && f.tags[k].kind == HW_TAG_IMPL)
				impl[f.tags[k].func] = 1;
		/* the functions of one name in a file are one (typing's
		 * @overload stubs, #if variants): untraced when none of them
		 * is tagged, and then once, at the first */
		for (size_t k = 0; !err && k < f.nfuncs; k++)
			byname[k] = (named_func){f.funcs[k].name, k};
		if (!err)
			qsort(byname, f.nfuncs, sizeof(*byname),
			      named_func_cmp);
		for (size_t g = 0, e; !err && g < f.nfuncs; g = e) {
			const hw_func *fn = &f.funcs[byname[g].k];
			int tagged = 0;

			for (e = g; e < f.nfuncs &&
				    !strcmp(byname[e].name, byname[g].name);
			     e++) {
				const hw_func *x = &f.funcs[byname[e].k];

				tagged |= impl[byname[e].k];
				if (x->first < fn->first)
					fn = x;
			}
			if (!tagged && !untraced_allowed(p, sf->path, fn->name))
				err = add_defect(t, HW_DEF_UNTRACED_FUNCTION,
						 NULL, sf->path, fn->first,
						 fn->name,
						 "%s() implements no requirement: "
						 "add an 'Implements:' tag, or "
						 "allow it in the policy",
						 fn->name);
		}
		free(impl);
		free(byname);
		f.path = NULL; /* borrowed from the scan */
		hw_src_file_free(&f);
	}
	hw_buf_free(&b);
	if (!err && t->ndefects)
		qsort(t->defects, t->ndefects, sizeof(*t->defects),
		      defect_cmp);
	return err;
}

/* The string member k of o, or "" (for messages). */
static const char *jstr_or_empty(const cJSON *o, const char *k)
{
	const char *s = hw_json_str(o, k);

	return s ? s : "";
}

static int sast_finding(hw_trace *t, const cJSON *x, int index)
{
	const cJSON *frs = cJSON_GetObjectItemCaseSensitive(x, "frs"), *id;
	const char *sev = jstr_or_empty(x, "severity"), *file = jstr_or_empty(x, "file");
	const cJSON *group = cJSON_GetObjectItemCaseSensitive(x, "group");
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(x, "line");
	int err = HW_OK;

	if (strcmp(sev, "error") != 0 ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "suppressed")) ||
	    (cJSON_IsNumber(group) && group->valueint != index))
		return HW_OK;
	cJSON_ArrayForEach(id, frs) {
		hw_fr_trace *ft = NULL;

		if (!cJSON_IsString(id))
			continue;
		for (size_t i = 0; i < t->nfrs && !ft; i++)
			if (!strcmp(t->frs[i].fr->id, id->valuestring))
				ft = &t->frs[i];
		if (!ft)
			continue; /* an unknown FR is the scanner's defect */
		err = add_defect(t, HW_DEF_SAST_ERROR, ft->fr->id, file,
				 cJSON_IsNumber(line) ? (long)line->valuedouble
						      : 0,
				 jstr_or_empty(x, "fingerprint"),
				 "%s: open %s finding %s/%s in %s(): %s",
				 ft->fr->id, sev, jstr_or_empty(x, "tool"),
				 jstr_or_empty(x, "rule"),
				 jstr_or_empty(x, "function"),
				 jstr_or_empty(x, "message"));
		if (err)
			return err;
		ft->ndefects++;
		if (ft->state != HW_ST_WAIVED)
			ft->state = HW_ST_FAILING;
	}
	return HW_OK;
}

/* Implements: FR-SAST-006 */
int hw_trace_apply_sast(hw_trace *t, const char *path)
{
	cJSON *root = NULL;
	const cJSON *x;
	const char *schema;
	int err = hw_json_load(&root, path, (size_t)256 << 20), index = 0;

	if (err)
		return err;
	schema = jstr_or_empty(root, "schema");
	if (strcmp(schema, "hwledger.sast/1") != 0 ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "findings"))) {
		cJSON_Delete(root);
		return hw_error_set(HW_EINVAL, path, 1, 0,
				    "not a hwledger.sast/1 file (write one "
				    "with 'hwledger sast --format json')");
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, "findings")) {
		if ((err = sast_finding(t, x, index++)))
			break;
	}
	cJSON_Delete(root);
	if (!err && t->ndefects)
		qsort(t->defects, t->ndefects, sizeof(*t->defects),
		      defect_cmp);
	return err;
}

void hw_trace_free(hw_trace *t)
{
	for (size_t i = 0; i < t->nfrs; i++)
		free(t->frs[i].links);
	for (size_t i = 0; i < t->ndefects; i++) {
		free(t->defects[i].fr);
		free(t->defects[i].file);
		free(t->defects[i].message);
	}
	for (size_t i = 0; i < t->nlevel_tags; i++) {
		free(t->level_tags[i]->fr);
		free(t->level_tags[i]);
	}
	free(t->level_tags);
	free(t->kids);
	free(t->frs);
	free(t->defects);
	memset(t, 0, sizeof(*t));
}
