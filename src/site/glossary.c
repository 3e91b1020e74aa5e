/*
 * glossary.c — the glossary as the site's onboarding page: every term A–Z
 * with aliases, categories, references and backlinks to the FRs that use
 * it, plus the lexicon that links first uses of terms on FR pages.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int add_term(site *s, const hw_gentry *e, size_t *cap)
{
	if (HW_ARRAY_GROW(s->terms, s->nterms, *cap))
		return HW_ENOMEM;
	memset(&s->terms[s->nterms], 0, sizeof(*s->terms));
	s->terms[s->nterms].entry = e;
	s->terms[s->nterms].def =
		e->ndefs && e->defs[0].text ? e->defs[0].text : "";
	s->nterms++;
	for (size_t i = 0; i < e->nchildren; i++)
		if (add_term(s, &e->children[i], cap))
			return HW_ENOMEM;
	return HW_OK;
}

static int cmp_term(const void *a, const void *b)
{
	const site_term *x = a, *y = b;
	int c = strcasecmp(x->entry->term, y->entry->term);

	return c ? c : strcmp(x->entry->term, y->entry->term);
}

static int cmp_name(const void *a, const void *b)
{
	const site_name *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? 1 : -1;
	return x->term < y->term ? -1 : x->term > y->term;
}

/* 1 when name is already in the set, else adds it (set has room). */
static int anchor_seen(const char **set, size_t nslots, const char *name)
{
	size_t h = (size_t)hw_hash64(name, strlen(name)) % nslots;

	for (; set[h]; h = (h + 1) % nslots)
		if (!strcmp(set[h], name))
			return 1;
	set[h] = name;
	return 0;
}

/* Anchors: "t-" and the term's letters and digits; clashes get "-2"... */
static int make_anchors(site *s)
{
	size_t nslots = s->nterms * 2 + 1;
	const char **set = calloc(nslots, sizeof(*set));
	hw_buf b;
	int err = set ? HW_OK : HW_ENOMEM;

	hw_buf_init(&b, 0);
	for (size_t i = 0; i < s->nterms && !err; i++) {
		int dash = 0;
		size_t stem;

		hw_buf_clear(&b);
		err = hw_buf_puts(&b, "t-");
		for (const char *p = s->terms[i].entry->term; *p && !err; p++) {
			unsigned char c = (unsigned char)*p;

			if (!isalnum(c)) {
				dash = 1;
				continue;
			}
			if (dash && b.len > 2)
				err = hw_buf_putc(&b, '-');
			err = err ? err : hw_buf_putc(&b, (char)tolower(c));
			dash = 0;
		}
		stem = b.len;
		for (size_t k = 2; !err; k++) {
			s->terms[i].anchor = hw_strdup(b.data);
			if (!s->terms[i].anchor) {
				err = HW_ENOMEM;
				break;
			}
			if (!anchor_seen(set, nslots, s->terms[i].anchor))
				break;
			free(s->terms[i].anchor);
			s->terms[i].anchor = NULL;
			b.len = stem;
			err = hw_buf_printf(&b, "-%zu", k);
		}
	}
	hw_buf_free(&b);
	free(set);
	return err;
}

/*
 * The slot of the first word of p[0..n) (lowercased into word): the slot
 * holding it, or the empty slot where it would go. SIZE_MAX when p does
 * not start with a word of at most 63 bytes or the table is empty.
 */
size_t site_lex_slot(const site_lexicon *x, const char *p, size_t n,
		     char word[64])
{
	size_t w = 0, h;

	while (w < n && hw_glossary_word_char((unsigned char)p[w]))
		w++;
	if (!w || w >= 64 || !x->nslots)
		return SIZE_MAX;
	for (size_t i = 0; i < w; i++)
		word[i] = (char)tolower((unsigned char)p[i]);
	word[w] = 0;
	h = (size_t)hw_hash64(word, w) % x->nslots;
	while (x->words[h] && strcmp(x->words[h], word) != 0)
		h = (h + 1) % x->nslots;
	return h;
}

static int lex_add(site_lexicon *x, const char *text, size_t term)
{
	char word[64];
	size_t h = strlen(text) < 2
			   ? SIZE_MAX
			   : site_lex_slot(x, text, strlen(text), word);
	site_name *p;

	if (h == SIZE_MAX)
		return HW_OK;
	if (!x->words[h] && !(x->words[h] = hw_strdup(word)))
		return HW_ENOMEM;
	p = realloc(x->names[h], (x->nnames[h] + 1) * sizeof(*p));
	if (!p)
		return HW_ENOMEM;
	x->names[h] = p;
	p[x->nnames[h]].text = text;
	p[x->nnames[h]].len = strlen(text);
	p[x->nnames[h]++].term = term;
	return HW_OK;
}

/* Implements: FR-SITE-001 */
int site_terms_build(site *s)
{
	site_lexicon *x = &s->lex;
	size_t cap = 0, names = 0;

	for (size_t i = 0; s->have_glossary && i < s->glossary.n; i++)
		if (add_term(s, &s->glossary.entries[i], &cap))
			return HW_ENOMEM;
	if (s->nterms)
		qsort(s->terms, s->nterms, sizeof(*s->terms), cmp_term);
	if (make_anchors(s))
		return HW_ENOMEM;
	for (size_t i = 0; i < s->nterms; i++)
		for (char **a = s->terms[i].entry->aliases; a && *a; a++)
			names++;
	x->nslots = (s->nterms + names) * 2 + 1;
	x->words = calloc(x->nslots, sizeof(*x->words));
	x->names = calloc(x->nslots, sizeof(site_name *));
	x->nnames = calloc(x->nslots, sizeof(*x->nnames));
	x->used = calloc(s->nterms + 1, 1);
	x->used_list = calloc(s->nterms + 1, sizeof(*x->used_list));
	if (!x->words || !x->names || !x->nnames || !x->used || !x->used_list)
		return HW_ENOMEM;
	for (size_t i = 0; i < s->nterms; i++) {
		const hw_gentry *e = s->terms[i].entry;

		if (lex_add(x, e->term, i))
			return HW_ENOMEM;
		for (char **a = e->aliases; a && *a; a++) {
			/* hwledger-sast-ignore *: site_terms_free frees it */
			if (lex_add(x, *a, i))
				return HW_ENOMEM;
		}
	}
	for (size_t h = 0; h < x->nslots; h++)
		if (x->nnames[h] > 1)
			qsort(x->names[h], x->nnames[h], sizeof(site_name),
			      cmp_name);
	s->stats->terms = s->nterms;
	return HW_OK;
}

void site_terms_reset_page(site *s)
{
	for (size_t i = 0; i < s->lex.nused; i++)
		s->lex.used[s->lex.used_list[i]] = 0;
	s->lex.nused = 0;
	s->lex.tips = 0;
}

void site_terms_free(site *s)
{
	for (size_t i = 0; i < s->nterms; i++) {
		free(s->terms[i].anchor);
		free(s->terms[i].users);
	}
	free(s->terms);
	for (size_t h = 0; h < s->lex.nslots; h++) {
		free(s->lex.words[h]);
		free(s->lex.names[h]);
	}
	free(s->lex.words);
	free(s->lex.names);
	free(s->lex.nnames);
	free(s->lex.used);
	free(s->lex.used_list);
}

static int first_letter(const char *term)
{
	int c = toupper((unsigned char)*term);

	return c >= 'A' && c <= 'Z' ? c : '#';
}

static const site_term *term_named(const site *s, const char *name)
{
	const hw_gentry *e = hw_glossary_find(&s->glossary, name, strlen(name));

	for (size_t i = 0; e && i < s->nterms; i++)
		if (s->terms[i].entry == e)
			return &s->terms[i];
	return NULL;
}

static int render_entry(hw_buf *b, site *s, const site_term *t)
{
	const hw_gentry *e = t->entry;
	int err = hw_buf_printf(b, "<dt id=\"%s\">", t->anchor);

	err = err ? err : hw_html_puts(b, e->term);
	err = err ? err : hw_buf_puts(b, "</dt>\n<dd>");
	for (size_t i = 0; !err && i < e->ndefs; i++)
		err = site_markdown(b, s, e->defs[i].text,
				    strlen(e->defs[i].text), (size_t)-1, "");
	if (!err && e->aliases && *e->aliases) {
		err = hw_buf_puts(b, "<p class=\"meta\">Also: ");
		for (char **a = e->aliases; !err && *a; a++) {
			err = a != e->aliases ? hw_buf_puts(b, ", ") : 0;
			err = err ? err : hw_html_puts(b, *a);
		}
		err = err ? err : hw_buf_puts(b, "</p>");
	}
	if (!err && e->categories && *e->categories) {
		err = hw_buf_puts(b, "<p class=\"meta\">Category: ");
		for (char **c = e->categories; !err && *c; c++) {
			err = c != e->categories ? hw_buf_puts(b, " › ") : 0;
			err = err ? err : hw_html_puts(b, *c);
		}
		err = err ? err : hw_buf_puts(b, "</p>");
	}
	if (!err && e->references && *e->references) {
		err = hw_buf_puts(b, "<p class=\"meta\">See also: ");
		for (char **r = e->references; !err && *r; r++) {
			const site_term *to = term_named(s, *r);

			err = r != e->references ? hw_buf_puts(b, ", ") : 0;
			if (!err && to)
				err = hw_buf_printf(b, "<a href=\"#%s\">",
						    to->anchor);
			err = err ? err : hw_html_puts(b, *r);
			if (!err && to)
				err = hw_buf_puts(b, "</a>");
		}
		err = err ? err : hw_buf_puts(b, "</p>");
	}
	if (!err && t->nusers) {
		err = hw_buf_puts(b, "<p class=\"meta\">Used in: ");
		for (size_t i = 0; !err && i < t->nusers; i++) {
			const char *id = s->items[t->users[i]].fr->id;

			err = i ? hw_buf_puts(b, ", ") : 0;
			err = err ? err
				  : hw_buf_printf(b,
						  "<a href=\"fr/%s.html\">"
						  "%s</a>",
						  id, id);
		}
		err = err ? err : hw_buf_puts(b, "</p>");
	}
	return err ? err : hw_buf_puts(b, "</dd>\n");
}

typedef struct cat_ref {
	char *path;
	size_t term;
} cat_ref;

static int cmp_cat(const void *a, const void *b)
{
	const cat_ref *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->term > y->term) - (x->term < y->term);
}

static int render_categories(hw_buf *b, site *s)
{
	cat_ref *v = calloc(s->nterms + 1, sizeof(*v));
	size_t n = 0;
	int err = HW_OK;

	if (!v)
		return HW_ENOMEM;
	for (size_t i = 0; i < s->nterms && !err; i++) {
		char **c = s->terms[i].entry->categories;
		hw_buf p;

		if (!c || !*c)
			continue;
		hw_buf_init(&p, 0);
		for (; *c && !err; c++)
			err = (p.len ? hw_buf_puts(&p, " › ") : 0) ||
			      hw_buf_puts(&p, *c);
		v[n].path = hw_buf_detach(&p);
		v[n++].term = i;
	}
	if (n && !err) {
		qsort(v, n, sizeof(*v), cmp_cat);
		err = hw_buf_puts(
			b, "<section aria-labelledby=\"cats\"><h2 id="
			   "\"cats\">Categories</h2>\n<dl class=\"cats\">");
	}
	for (size_t i = 0; i < n && !err; i++) {
		const site_term *t = &s->terms[v[i].term];

		if (!i || strcmp(v[i - 1].path, v[i].path) != 0) {
			err = hw_buf_puts(b, i ? "</dd>\n<dt>" : "<dt>");
			err = err ? err : hw_html_puts(b, v[i].path);
			err = err ? err : hw_buf_puts(b, "</dt><dd>");
		} else {
			err = hw_buf_puts(b, ", ");
		}
		err = err ? err
			  : hw_buf_printf(b, "<a href=\"#%s\">", t->anchor);
		err = err ? err : hw_html_puts(b, t->entry->term);
		err = err ? err : hw_buf_puts(b, "</a>");
	}
	if (n && !err)
		err = hw_buf_puts(b, "</dd></dl></section>\n");
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	return err;
}

/* Implements: FR-SITE-001 */
int render_glossary(site *s)
{
	hw_buf b;
	int err, letter = 0;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Glossary", "", "glossary.html");
	if (!err && !s->nterms)
		err = hw_buf_puts(&b,
				  "<p class=\"notrun\">No glossary: "
				  "<code>specs/glossary.md</code> was not "
				  "found or did not parse (not run).</p>\n");
	if (!err && s->nterms) {
		err = hw_buf_printf(&b,
				    "<p>%zu terms. Start here if the domain "
				    "is new to you; every FR page links the "
				    "first use of each term to its entry.</p>\n"
				    "<nav aria-label=\"Letters\" class=\"az\">",
				    s->nterms);
		for (size_t i = 0; i < s->nterms && !err; i++) {
			int c = first_letter(s->terms[i].entry->term);

			if (c != letter)
				err = hw_buf_printf(&b,
						    "<a href=\"#letter-%c\">"
						    "%c</a> ",
						    c == '#' ? '0' : c, c);
			letter = c;
		}
		err = err ? err : hw_buf_puts(&b, "</nav>\n");
		err = err ? err : render_categories(&b, s);
	}
	letter = 0;
	for (size_t i = 0; i < s->nterms && !err; i++) {
		const site_term *t = &s->terms[i];
		int c = first_letter(t->entry->term);

		if (c != letter) {
			if (letter)
				err = hw_buf_puts(&b, "</dl></section>\n");
			err = err ? err
				  : hw_buf_printf(
					    &b,
					    "<section aria-labelledby="
					    "\"letter-%c\"><h2 id=\"letter-"
					    "%c\">%c</h2>\n<dl class=\""
					    "glossary\">\n",
					    c == '#' ? '0' : c,
					    c == '#' ? '0' : c, c);
			letter = c;
		}
		err = err ? err : render_entry(&b, s, t);
		if (!err) {
			hw_buf url;

			hw_buf_init(&url, 0);
			err = hw_buf_printf(&url, "glossary.html#%s",
					    t->anchor);
			if (!err)
				search_add(s, "term", t->entry->term, url.data,
					   t->def);
			hw_buf_free(&url);
		}
	}
	if (!err && letter)
		err = hw_buf_puts(&b, "</dl></section>\n");
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "glossary.html", &b);
	hw_buf_free(&b);
	return err;
}
