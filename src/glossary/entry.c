/*
 * entry.c — glossary entries: construction, lookup by normalised name,
 * merging, and freeing.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void hw_glossary_init(hw_glossary *g)
{
	memset(g, 0, sizeof(*g));
}

void hw_gentry_free(hw_gentry *e)
{
	free(e->term);
	hw_strv_free(e->aliases);
	for (size_t i = 0; i < e->ndefs; i++) {
		free(e->defs[i].text);
		free(e->defs[i].source.file);
	}
	free(e->defs);
	hw_strv_free(e->categories);
	for (size_t i = 0; i < e->nchildren; i++)
		hw_gentry_free(&e->children[i]);
	free(e->children);
	hw_strv_free(e->references);
	for (size_t i = 0; i < e->nsources; i++)
		free(e->sources[i].file);
	free(e->sources);
	memset(e, 0, sizeof(*e));
}

void hw_glossary_free(hw_glossary *g)
{
	for (size_t i = 0; i < g->n; i++)
		hw_gentry_free(&g->entries[i]);
	free(g->entries);
	hw_glossary_init(g);
}

static size_t count_entry(const hw_gentry *e)
{
	size_t n = 1;

	for (size_t i = 0; i < e->nchildren; i++)
		n += count_entry(&e->children[i]);
	return n;
}

size_t hw_glossary_count(const hw_glossary *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += count_entry(&g->entries[i]);
	return n;
}

static int gap(char c)
{
	return c == '-' || c == '_' || c == ' ' || c == '\n';
}

/*
 * Two names are the same term when they are equal ignoring case and
 * treating '-', '_' and runs of spaces alike ("KV Cache" = "kv-cache");
 * a line break too, for a name looked up as written in wrapped text.
 */
int hw_gname_eq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < an && gap(a[i]))
			i++;
		while (j < bn && gap(b[j]))
			j++;
		if (i == an || j == bn)
			return i == an && j == bn;
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
			return 0;
		i++;
		j++;
	}
}

static int entry_named(const hw_gentry *e, const char *name, size_t n)
{
	if (hw_gname_eq(e->term, strlen(e->term), name, n))
		return 1;
	for (char **a = e->aliases; a && *a; a++)
		if (hw_gname_eq(*a, strlen(*a), name, n))
			return 1;
	return 0;
}

const hw_gentry *hw_gentry_find(const hw_gentry *v, size_t count,
				 const char *name, size_t n)
{
	for (size_t i = 0; i < count; i++) {
		const hw_gentry *c;

		if (entry_named(&v[i], name, n))
			return &v[i];
		c = hw_gentry_find(v[i].children, v[i].nchildren, name, n);
		if (c)
			return c;
	}
	return NULL;
}

const hw_gentry *hw_glossary_find(const hw_glossary *g, const char *name,
				  size_t n)
{
	return hw_gentry_find(g->entries, g->n, name, n);
}

int hw_gentry_strv_add(char ***v, const char *s, size_t n)
{
	size_t count = 0;

	while (*v && (*v)[count])
		count++;
	return hw_strv_push_copy(v, &count, s, n);
}

/* Adds s[0..n) as an alias unless it already names e. */
int hw_gentry_add_alias(hw_gentry *e, const char *s, size_t n)
{
	return entry_named(e, s, n) ? HW_OK : hw_gentry_strv_add(&e->aliases, s, n);
}

static int strv_has(char **v, const char *s)
{
	for (; v && *v; v++)
		if (hw_gname_eq(*v, strlen(*v), s, strlen(s)))
			return 1;
	return 0;
}

/* Text compared for near-duplicates: letters and digits, lower case. */
static void squash(hw_buf *out, const char *s)
{
	hw_buf_clear(out);
	for (; *s; s++)
		if (isalnum((unsigned char)*s))
			hw_buf_putc(out, (char)tolower((unsigned char)*s));
}

static int near_duplicate(const char *a, const char *b)
{
	hw_buf x, y;
	int same;

	hw_buf_init(&x, 0);
	hw_buf_init(&y, 0);
	squash(&x, a);
	squash(&y, b);
	same = x.len == y.len && (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);
	hw_buf_free(&x);
	hw_buf_free(&y);
	return same;
}

int hw_gentry_add_def(hw_gentry *e, const char *text, const char *file,
		      long line)
{
	hw_gdef *v;

	for (size_t i = 0; i < e->ndefs; i++)
		if (near_duplicate(e->defs[i].text, text))
			return HW_OK;
	v = realloc(e->defs, (e->ndefs + 1) * sizeof(*v));
	HW_CHECK_ALLOC(v);
	e->defs = v;
	v[e->ndefs].text = hw_strdup(text);
	v[e->ndefs].source.file = hw_strdup(file);
	v[e->ndefs].source.line = line;
	if (!v[e->ndefs].text || !v[e->ndefs].source.file)
		return hw_error_oom();
	e->ndefs++;
	return HW_OK;
}

int hw_gentry_add_source(hw_gentry *e, const char *file, long line)
{
	hw_gsource *v = realloc(e->sources, (e->nsources + 1) * sizeof(*v));

	HW_CHECK_ALLOC(v);
	e->sources = v;
	v[e->nsources].file = hw_strdup(file);
	v[e->nsources].line = line;
	if (!v[e->nsources].file)
		return hw_error_oom();
	e->nsources++;
	return HW_OK;
}

/* Moves everything b says into a; b is left empty. */
static int absorb(hw_gentry *a, hw_gentry *b)
{
	int err = HW_OK;

	err = hw_gentry_add_alias(a, b->term, strlen(b->term));
	for (char **s = b->aliases; !err && s && *s; s++)
		err = hw_gentry_add_alias(a, *s, strlen(*s));
	for (size_t i = 0; !err && i < b->ndefs; i++)
		err = hw_gentry_add_def(a, b->defs[i].text, b->defs[i].source.file,
					b->defs[i].source.line);
	for (char **s = b->references; !err && s && *s; s++)
		if (!strv_has(a->references, *s))
			err = hw_gentry_strv_add(&a->references, *s, strlen(*s));
	for (size_t i = 0; !err && i < b->nsources; i++)
		err = hw_gentry_add_source(a, b->sources[i].file,
					   b->sources[i].line);
	if (!err && !a->categories && b->categories) {
		a->categories = b->categories;
		b->categories = NULL;
	}
	if (!err && b->nchildren) {
		hw_gentry *v = realloc(a->children, (a->nchildren + b->nchildren) *
							    sizeof(*v));

		HW_CHECK_ALLOC(v);
		memcpy(v + a->nchildren, b->children,
		       b->nchildren * sizeof(*v));
		a->children = v;
		a->nchildren += b->nchildren;
		free(b->children);
		b->children = NULL;
		b->nchildren = 0;
	}
	return err;
}

/* ---- a name -> entry index table for merging ---------------------- */

typedef struct name_map {
	char **keys;        /* normalised names */
	size_t *vals;       /* entry index */
	size_t cap;         /* power of two */
	size_t n;
} name_map;

/* "KV-cache" and "kv cache" both become "kvcache". */
static char *normalise(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++)
		if (*s != '-' && *s != '_' && *s != ' ')
			*o++ = (char)tolower((unsigned char)*s);
	*o = '\0';
	return out;
}

static size_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return (size_t)h;
}

static long map_get(const name_map *m, const char *key)
{
	size_t h;

	if (!m->cap)
		return -1;
	for (h = key_hash(key) & (m->cap - 1); m->keys[h];
	     h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->keys[h], key))
			return (long)m->vals[h];
	return -1;
}

static int map_put(name_map *m, char *key, size_t val);

static int map_grow(name_map *m)
{
	name_map bigger = {0};

	bigger.cap = m->cap ? m->cap * 2 : 256;
	bigger.keys = calloc(bigger.cap, sizeof(char *));
	bigger.vals = calloc(bigger.cap, sizeof(size_t));
	if (!bigger.keys || !bigger.vals) {
		free(bigger.keys);
		free(bigger.vals);
		return hw_error_oom();
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			map_put(&bigger, m->keys[i], m->vals[i]);
	free(m->keys);
	free(m->vals);
	*m = bigger;
	return HW_OK;
}

/* Takes ownership of key; an existing key keeps its first value. */
static int map_put(name_map *m, char *key, size_t val)
{
	size_t h;
	int err;

	if ((m->n + 1) * 2 > m->cap && (err = map_grow(m))) {
		free(key);
		return err;
	}
	for (h = key_hash(key) & (m->cap - 1); m->keys[h];
	     h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->keys[h], key)) {
			free(key);
			return HW_OK;
		}
	m->keys[h] = key;
	m->vals[h] = val;
	m->n++;
	return HW_OK;
}

static void map_free(name_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
}

static int map_names(name_map *m, const hw_gentry *e, size_t val)
{
	char *k = normalise(e->term);
	int err = k ? map_put(m, k, val)
		    : hw_error_oom();

	for (char **a = e->aliases; !err && a && *a; a++) {
		k = normalise(*a);
		err = k ? map_put(m, k, val)
			: hw_error_oom();
	}
	return err;
}

/* The kept entry that shares a name with e, or -1. */
static long map_match(const name_map *m, const hw_gentry *e)
{
	char *k = normalise(e->term);
	long hit = k ? map_get(m, k) : -1;

	free(k);
	for (char **a = e->aliases; hit < 0 && a && *a; a++) {
		k = normalise(*a);
		hit = k ? map_get(m, k) : -1;
		free(k);
	}
	return hit;
}

/* Implements: FR-GLOSS-002 */
int hw_glossary_merge(hw_glossary *g)
{
	name_map m = {0};
	size_t kept = 0, i;
	int err = HW_OK;

	for (i = 0; i < g->n && !err; i++) {
		long into = map_match(&m, &g->entries[i]);

		if (into >= 0) {
			err = absorb(&g->entries[into], &g->entries[i]);
			hw_gentry_free(&g->entries[i]);
			if (!err) /* its new aliases lead here too */
				err = map_names(&m, &g->entries[into],
						(size_t)into);
		} else {
			g->entries[kept] = g->entries[i];
			err = map_names(&m, &g->entries[kept], kept);
			kept++;
		}
	}
	/* on failure, what was not reached yet is dropped, not leaked */
	for (; i < g->n; i++)
		hw_gentry_free(&g->entries[i]);
	g->n = kept;
	map_free(&m);
	return err;
}
