/*
 * lint.c — the FRs against the glossary, and the glossary against itself.
 *
 * Errors: an acronym (two or more capitals, digits allowed, outside code
 * spans, FR IDs and code points like U+FFFD) used in FR text that the glossary does not define; an
 * entry with an empty definition; "see X" references that go round in a
 * circle. Warnings: a term used nowhere in the corpus; a term defined
 * differently in two files.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Acronyms that are words of the language, not terms to define. */
static int common_word(const char *p, size_t n)
{
	static const char *const ok[] = {"OK", "ID", "IDs", "II", "III",
					 "IV", "TODO", "NOTE", "AND", "OR",
					 "NOT", "MUST", "SHALL"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		if (strlen(ok[i]) == n && !memcmp(ok[i], p, n))
			return 1;
	return 0;
}

static int check_acronyms(const hw_glossary *g, const hw_fr *fr,
			  hw_diags *d)
{
	const char *t = fr->body;
	long line = fr->body_line;
	int in_code = 0, err = HW_OK;

	for (size_t i = 0; t[i] && !err; i++) {
		size_t s = i, caps = 0;

		if (t[i] == '\n')
			line++;
		if (t[i] == '`')
			in_code = !in_code;
		if (in_code || !isupper((unsigned char)t[i]) ||
		    (i && (word_char(t[i - 1]) || t[i - 1] == '-')))
			continue;
		while (word_char(t[i]) || (t[i] == '-' && word_char(t[i + 1]) &&
					   isupper((unsigned char)t[s])))
			i++;
		for (size_t k = s; k < i; k++)
			caps += isupper((unsigned char)t[k]) ? 1 : 0;
		/* FR-TRACE-001, file names, and mixed words are not acronyms */
		if (hw_fr_id_len(t + s, i - s) || memchr(t + s, '-', i - s) ||
		    caps < 2 || caps * 2 < i - s || common_word(t + s, i - s) ||
		    (t[i] == '.' && word_char(t[i + 1])) || t[i] == '/' ||
		    (s && (t[s - 1] == '.' || t[s - 1] == '+'))) {
			i--;
			continue;
		}
		{
			/* plural "GPUs" is "GPU" */
			size_t n = i - s;

			/* "KV cache": the acronym opens a defined term */
			size_t w = i, v = n;

			/* "HTML5": a version number after the acronym */
			while (v > 2 && isdigit((unsigned char)t[s + v - 1]))
				v--;

			if (t[w] == ' ' || t[w] == '-' || t[w] == '\n')
				for (w++; word_char(t[w]); w++)
					;
			if (!hw_glossary_find(g, t + s, n) &&
			    !(v < n && hw_glossary_find(g, t + s, v)) &&
			    !(w > i + 1 && hw_glossary_find(g, t + s, w - s)) &&
			    !(n > 2 && t[s + n - 1] == 's' &&
			      hw_glossary_find(g, t + s, n - 1)))
				err = hw_diags_add(d, HW_DIAG_ERROR, fr->file,
						   line, 0,
						   "%s uses '%.*s', which the "
						   "glossary does not define",
						   fr->id, (int)n, t + s);
		}
		i--;
	}
	return err;
}

/* The target of a definition that only says "See X." */
static int see_target(const hw_gentry *e, const char **t, size_t *n)
{
	const char *d;
	size_t len;

	if (!e->ndefs)
		return 0;
	d = e->defs[0].text;
	if (strncasecmp(d, "see ", 4) != 0)
		return 0;
	*t = d + 4;
	len = strlen(*t);
	while (len && ((*t)[len - 1] == '.' || (*t)[len - 1] == ' ' ||
		       (*t)[len - 1] == '*'))
		len--;
	while (len && **t == '*') {
		(*t)++;
		len--;
	}
	*n = len;
	return len > 0;
}

static int check_entry(const hw_glossary *g, const hw_gentry *e,
		       const char *corpus, size_t clen, hw_diags *d)
{
	const char *file = e->nsources ? e->sources[0].file : NULL;
	long line = e->nsources ? e->sources[0].line : 0;
	int err = HW_OK;
	const char *t;
	size_t n;

	if (!e->ndefs || !*e->defs[0].text)
		err = hw_diags_add(d, HW_DIAG_ERROR, file, line, 0,
				   "'%s' has an empty definition", e->term);
	for (size_t i = 1; !err && i < e->ndefs; i++)
		if (strcmp(e->defs[i].source.file, e->defs[0].source.file))
			err = hw_diags_add(d, HW_DIAG_WARNING,
					   e->defs[i].source.file,
					   e->defs[i].source.line, 0,
					   "'%s' is defined differently in %s:%ld",
					   e->term, e->defs[0].source.file,
					   e->defs[0].source.line);
	/* a use as the site links it: "surrogate pairs" uses "Surrogate
	 * pair" */
	if (!err && corpus && !hw_glossary_used_in(corpus, clen, e->term)) {
		int any = 0;

		for (char **a = e->aliases; a && *a && !any; a++)
			any = hw_glossary_used_in(corpus, clen, *a);
		if (!any)
			err = hw_diags_add(d, HW_DIAG_WARNING, file, line, 0,
					   "'%s' is used nowhere in the FRs "
					   "or documents",
					   e->term);
	}
	/* follow "see X" links; coming back to e is a circle */
	if (!err && see_target(e, &t, &n)) {
		const hw_gentry *cur = e;

		for (int hops = 0; hops < 64; hops++) {
			cur = hw_glossary_find(g, t, n);
			if (!cur || !see_target(cur, &t, &n))
				break;
			if (cur == e) {
				err = hw_diags_add(d, HW_DIAG_ERROR, file, line,
						   0,
						   "'%s' refers in a circle "
						   "(see ... see %s)",
						   e->term, e->term);
				break;
			}
		}
	}
	for (size_t i = 0; !err && i < e->nchildren; i++)
		err = check_entry(g, &e->children[i], corpus, clen, d);
	return err;
}

/* Implements: FR-GLOSS-003 */
int hw_glossary_lint(const hw_glossary *g, const hw_fr_set *frs,
		     const char *corpus, hw_diags *d)
{
	size_t clen = corpus ? strlen(corpus) : 0;
	int err = HW_OK;

	for (size_t i = 0; frs && i < frs->n && !err; i++)
		err = check_acronyms(g, &frs->items[i], d);
	for (size_t i = 0; i < g->n && !err; i++)
		err = check_entry(g, &g->entries[i], corpus, clen, d);
	return err;
}
