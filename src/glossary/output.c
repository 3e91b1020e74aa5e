/*
 * output.c — a glossary as JSON (schema hwledger.glossary/1, the input of
 * the site's glossary page) and as Markdown (bold-colon entries under
 * category headings, which imports back to the same entries), and the
 * backlinks of its entries (which requirements use them).
 */
#define _GNU_SOURCE /* memmem */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void strv(hw_jw *w, char **v)
{
	hw_jw_array(w);
	for (; v && *v; v++)
		hw_jw_str(w, *v);
	hw_jw_end(w);
}

static uint64_t word_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h | 1; /* 0 marks an empty slot */
}

static int has_word(const hw_gbacklinks *t, uint64_t h)
{
	for (size_t i = h & (t->nwords - 1); t->words[i];
	     i = (i + 1) & (t->nwords - 1))
		if (t->words[i] == h)
			return 1;
	return 0;
}

/* One word of the text, lower-cased w[0..n) or, when sfx, w with the
 * last `cut` bytes replaced by sfx. */
static int has_form(const hw_gbacklinks *t, const char *w, size_t n,
		    size_t cut, const char *sfx)
{
	char b[260];
	size_t k = strlen(sfx);

	if (n - cut + k >= sizeof(b))
		return 0;
	memcpy(b, w, n - cut);
	memcpy(b + n - cut, sfx, k + 1);
	return has_word(t, word_hash(b, n - cut + k));
}

/* A cheap "maybe": every word of the (lower-cased) name occurs somewhere,
 * the last one perhaps as a plural; only then is the text scanned. Most
 * names of a big glossary stop here. */
static int all_words_present(const hw_gbacklinks *t, const char *low, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t s;

		while (i < n && !isalnum((unsigned char)low[i]))
			i++;
		s = i;
		while (i < n && isalnum((unsigned char)low[i]))
			i++;
		if (i == s || has_word(t, word_hash(low + s, i - s)))
			continue;
		/* the plurals of hw_glossary_use, a superset of them */
		if (i < n || !isalpha((unsigned char)low[n - 1]) ||
		    !(has_form(t, low + s, i - s, 0, "s") ||
		      has_form(t, low + s, i - s, 0, "es") ||
		      (low[n - 1] == 'y' && has_form(t, low + s, i - s, 1,
						      "ies"))))
			return 0;
	}
	return 1;
}

static int index_words(hw_gbacklinks *t)
{
	const char *p = t->text.data;
	size_t count = 0;

	for (size_t i = 0; i < t->text.len; i++)
		count += isalnum((unsigned char)p[i]) &&
			 (i == 0 || !isalnum((unsigned char)p[i - 1]));
	t->nwords = 64;
	while (t->nwords < count * 2)
		t->nwords *= 2;
	t->words = calloc(t->nwords, sizeof(*t->words));
	HW_CHECK_ALLOC(t->words);
	for (size_t i = 0; i < t->text.len;) {
		size_t s;
		uint64_t h;

		while (i < t->text.len && !isalnum((unsigned char)p[i]))
			i++;
		s = i;
		while (i < t->text.len && isalnum((unsigned char)p[i]))
			i++;
		if (i == s)
			continue;
		h = word_hash(p + s, i - s);
		if (!has_word(t, h)) {
			size_t k = h & (t->nwords - 1);

			while (t->words[k])
				k = (k + 1) & (t->nwords - 1);
			t->words[k] = h;
		}
	}
	return HW_OK;
}

int hw_gbacklinks_build(hw_gbacklinks *t, const hw_fr_set *frs)
{
	memset(t, 0, sizeof(*t));
	hw_buf_init(&t->text, 0);
	hw_buf_init(&t->cased, 0);
	if (!frs || !frs->n)
		return HW_OK;
	t->start = malloc(frs->n * sizeof(*t->start));
	t->hit = calloc(frs->n, 1);
	if (!t->start || !t->hit)
		return hw_error_oom();
	for (size_t i = 0; i < frs->n; i++) {
		t->start[i] = t->cased.len;
		if (hw_buf_printf(&t->cased, "\n%s\n%s\n",
				  frs->items[i].title, frs->items[i].body))
			return hw_error_code();
	}
	if (hw_buf_append(&t->text, t->cased.data, t->cased.len))
		return hw_error_code();
	for (size_t i = 0; i < t->text.len; i++)
		t->text.data[i] = (char)tolower((unsigned char)t->text.data[i]);
	t->n = frs->n;
	return index_words(t);
}

void hw_gbacklinks_free(hw_gbacklinks *t)
{
	hw_buf_free(&t->text);
	hw_buf_free(&t->cased);
	free(t->start);
	free(t->hit);
	free(t->words);
}

/* Implements: FR-GLOSS-003 */
static void mark_uses(hw_gbacklinks *t, const char *name)
{
	size_t n = strlen(name), stem = hw_glossary_use_stem(name, n), key;
	char low[256];
	const char *p, *end = t->text.data + t->text.len;

	if (n < 2 || n >= sizeof(low) || !t->n)
		return;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	if (!all_words_present(t, low, n))
		return;
	/* every use starts with the stem, and its first word as written:
	 * the space after it may be a hyphen in the text ("kv-cache");
	 * hw_glossary_use says which are uses, on the text as written */
	key = 1 + strcspn(name + 1, " -");
	if (key > stem)
		key = stem;
	for (p = memmem(t->text.data, t->text.len, low, key); p;
	     p = memmem(p + 1, (size_t)(end - p - 1), low, key)) {
		size_t off = (size_t)(p - t->text.data), lo = 0, hi = t->n;

		if ((p > t->text.data &&
		     hw_glossary_word_char((unsigned char)p[-1])) ||
		    !hw_glossary_use(t->cased.data + off, t->text.len - off,
				     name, n))
			continue;
		while (hi - lo > 1) { /* the FR this offset is in */
			size_t mid = (lo + hi) / 2;

			if (t->start[mid] <= off)
				lo = mid;
			else
				hi = mid;
		}
		t->hit[lo] = 1;
	}
}

void hw_gbacklinks_mark(hw_gbacklinks *t, const hw_gentry *e)
{
	if (!t->n)
		return;
	memset(t->hit, 0, t->n);
	mark_uses(t, e->term);
	for (char **a = e->aliases; a && *a; a++)
		mark_uses(t, *a);
}

static void write_entry(hw_jw *w, const hw_gentry *e, const hw_fr_set *frs,
			hw_gbacklinks *t)
{
	hw_jw_object(w);
	hw_jw_kstr(w, "term", e->term);
	hw_jw_key(w, "aliases");
	strv(w, e->aliases);
	hw_jw_kstr(w, "definition", e->ndefs ? e->defs[0].text : "");
	if (e->ndefs > 1) {
		hw_jw_key(w, "definitions");
		hw_jw_array(w);
		for (size_t i = 0; i < e->ndefs; i++) {
			hw_jw_object(w);
			hw_jw_kstr(w, "text", e->defs[i].text);
			hw_jw_kstr(w, "file", e->defs[i].source.file);
			hw_jw_kint(w, "line", e->defs[i].source.line);
			hw_jw_end(w);
		}
		hw_jw_end(w);
	}
	hw_jw_key(w, "categories");
	strv(w, e->categories);
	hw_jw_key(w, "children");
	hw_jw_array(w);
	for (size_t i = 0; i < e->nchildren; i++)
		write_entry(w, &e->children[i], frs, t);
	hw_jw_end(w);
	hw_jw_key(w, "references");
	strv(w, e->references);
	hw_jw_key(w, "sources");
	hw_jw_array(w);
	for (size_t i = 0; i < e->nsources; i++) {
		hw_jw_object(w);
		hw_jw_kstr(w, "file", e->sources[i].file);
		hw_jw_kint(w, "line", e->sources[i].line);
		hw_jw_end(w);
	}
	hw_jw_end(w);
	hw_jw_key(w, "backlinks");
	hw_jw_array(w);
	hw_gbacklinks_mark(t, e);
	for (size_t i = 0; i < t->n; i++)
		if (t->hit[i])
			hw_jw_str(w, frs->items[i].id);
	hw_jw_end(w);
	hw_jw_end(w);
}

/* Implements: FR-GLOSS-001 */
int hw_glossary_json(hw_buf *out, const hw_glossary *g, const hw_fr_set *frs)
{
	hw_jw w;
	hw_gbacklinks t;
	int err = hw_gbacklinks_build(&t, frs);

	if (err) {
		hw_gbacklinks_free(&t);
		return err;
	}
	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_GLOSSARY_SCHEMA);
	hw_jw_kint(&w, "count", (long long)hw_glossary_count(g));
	hw_jw_key(&w, "entries");
	hw_jw_array(&w);
	for (size_t i = 0; i < g->n; i++)
		write_entry(&w, &g->entries[i], frs, &t);
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_gbacklinks_free(&t);
	return hw_jw_finish(&w);
}

static int same_path(char **a, char **b)
{
	for (; a && b && *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return 0;
	return (!a || !*a) == (!b || !*b);
}

static int md_entry(hw_buf *o, const hw_gentry *e, int depth)
{
	/* top level: "**Term (Alias)**: def"; children: arrow bullets */
	int err = hw_buf_printf(o, "%*s%s**%s", depth * 2, "",
				depth ? "- " : "", e->term);

	if (!err && e->aliases && e->aliases[0])
		err = hw_buf_printf(o, " (%s)", e->aliases[0]);
	if (!err)
		err = hw_buf_printf(o, depth ? "** \xe2\x86\x92 %s\n" : "**: %s\n",
				    e->ndefs ? e->defs[0].text : "");
	for (size_t i = 0; !err && i < e->nchildren; i++)
		err = md_entry(o, &e->children[i], depth + 1);
	if (!err && !depth)
		err = hw_buf_putc(o, '\n');
	return err;
}

/*
 * The entries without a category come first, under the title: written
 * after a category's entries, one would import back under that category.
 */
/* Implements: FR-GLOSS-002 */
int hw_glossary_md(hw_buf *o, const hw_glossary *g)
{
	char **path = NULL;
	int first = 1, err = hw_buf_puts(o, "# Glossary\n\n");

	for (size_t i = 0; !err && i < g->n; i++)
		if (!g->entries[i].categories || !g->entries[i].categories[0])
			err = md_entry(o, &g->entries[i], 0);
	for (size_t i = 0; !err && i < g->n; i++) {
		const hw_gentry *e = &g->entries[i];

		if (!e->categories || !e->categories[0])
			continue;
		if (first || !same_path(path, e->categories)) {
			size_t depth = 0;

			first = 0;
			for (char **c = e->categories; !err && c && *c;
			     c++, depth++)
				if (depth < 5) /* ## to ###### */
					err = hw_buf_printf(o, "%.*s %s\n\n",
							    (int)depth + 2,
							    "######", *c);
			path = e->categories;
		}
		if (!err)
			err = md_entry(o, e, 0);
	}
	return err;
}
