/*
 * import.c — reading glossaries in the common Markdown and text styles.
 *
 * Two passes. The first classifies every line on its own (a heading, a
 * table row, a bullet that defines a term, `**Term**: def`, `: def`,
 * `TERM — def`, a part or numbered section heading, a table-of-contents
 * line, a `Source:` line, or plain text). The second builds entries with
 * one line of lookahead: a plain line is a category when the next
 * non-blank line defines a term, a continuation when it follows a
 * definition, and prose otherwise. One parser reads every style, so a file
 * that mixes styles still imports; the style reported is the one most of
 * its entries use.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const style_names[] = {
	"auto", "bullet-colon", "bold-colon", "definition-list",
	"acronym-table", "arrow", "dash"};

const char *hw_gstyle_name(hw_gstyle s)
{
	return (unsigned)s < HW_GSTYLE_COUNT ? style_names[s] : "unknown";
}

int hw_gstyle_from_name(const char *name)
{
	for (int i = 0; i < HW_GSTYLE_COUNT; i++)
		if (!strcmp(style_names[i], name))
			return i;
	return -1;
}

typedef enum {
	L_BLANK, L_FENCE, L_HEADING, L_TOC, L_PART, L_SECTION, L_TABLE,
	L_ENTRY, L_BULLET_EMPTY, L_BULLET_TEXT, L_TERM, L_DEF, L_SOURCE,
	L_PLAIN
} line_kind;

typedef struct line {
	line_kind kind;
	hw_gstyle style;     /* for L_ENTRY */
	const char *text;    /* the line without indentation */
	size_t len;
	size_t indent;
	int level;           /* headings */
	const char *term;    /* L_ENTRY, L_TERM */
	size_t term_len;
	const char *def;     /* L_ENTRY, L_DEF */
	size_t def_len;
} line;

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && (is_space((*p)[*n - 1]) || (*p)[*n - 1] == '\r'))
		(*n)--;
}

static int starts(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p, s, k) == 0;
}

/* A short phrase that can be a term: 1-80 bytes, at most 8 words. */
static int termlike(const char *p, size_t n)
{
	size_t words = 1;

	if (n == 0 || n > 80)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ' && i + 1 < n && p[i + 1] != ' ')
			words++;
	return words <= 8 && p[n - 1] != '.' && p[n - 1] != ',';
}

/* Finds a separator between a term and its definition. */
static const char *find_sep(const char *p, size_t n, const char *sep)
{
	size_t k = strlen(sep);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, sep, k) == 0)
			return p + i;
	return NULL;
}

#define ARROW "\xe2\x86\x92"
#define EM_DASH "\xe2\x80\x94"
#define EN_DASH "\xe2\x80\x93"

/*
 * "**Term** → def", "**Term:** def", "**Term**: def", "**Term** — def",
 * "**Term**" alone. Returns 0 when p does not start with a closed bold run.
 */
static int bold_entry(line *l, const char *p, size_t n, int *unclosed)
{
	const char *close, *rest;
	size_t rn;

	*unclosed = 0;
	if (!starts(p, n, "**"))
		return 0;
	close = find_sep(p + 2, n - 2, "**");
	if (!close) {
		*unclosed = 1;
		return 0;
	}
	l->term = p + 2;
	l->term_len = (size_t)(close - p - 2);
	rest = close + 2;
	rn = n - (size_t)(rest - p);
	trim(&rest, &rn);
	if (l->term_len && l->term[l->term_len - 1] == ':') {
		l->term_len--; /* "**Term:** def" */
		l->def = rest;
		l->def_len = rn;
		l->style = HW_GSTYLE_BULLET_COLON;
		return 1;
	}
	if (rn && rest[0] == ':') {
		l->def = rest + 1;
		l->def_len = rn - 1;
		l->style = HW_GSTYLE_BOLD_COLON;
	} else if (starts(rest, rn, ARROW) || starts(rest, rn, "->")) {
		size_t k = starts(rest, rn, ARROW) ? 3 : 2;

		l->def = rest + k;
		l->def_len = rn - k;
		l->style = HW_GSTYLE_ARROW;
	} else if (starts(rest, rn, EM_DASH) || starts(rest, rn, EN_DASH)) {
		l->def = rest + 3;
		l->def_len = rn - 3;
		l->style = HW_GSTYLE_DASH;
	} else if (rn == 0) {
		l->def = NULL;
		l->def_len = 0;
		return 2; /* a term alone: a definition list */
	} else {
		return 0;
	}
	trim(&l->def, &l->def_len);
	return 1;
}

/* "TERM — def" on a plain line; " - " only when dashes are allowed. */
static int dash_entry(line *l, const char *p, size_t n, int plain_hyphen)
{
	static const char *const seps[] = {" " EM_DASH " ", " " EN_DASH " ",
					   " - "};

	for (int i = 0; i < (plain_hyphen ? 3 : 2); i++) {
		const char *s = find_sep(p, n, seps[i]);

		if (!s)
			continue;
		l->term = p;
		l->term_len = (size_t)(s - p);
		l->def = s + strlen(seps[i]);
		l->def_len = n - (size_t)(l->def - p);
		trim(&l->term, &l->term_len);
		trim(&l->def, &l->def_len);
		if (!termlike(l->term, l->term_len) || !l->def_len)
			return 0;
		l->style = HW_GSTYLE_DASH;
		return 1;
	}
	return 0;
}

static int is_toc(const char *p, size_t n)
{
	size_t i = n;

	/* "Title<TAB>12" or "Title.....12" */
	while (i && isdigit((unsigned char)p[i - 1]))
		i--;
	if (i == n || i == 0)
		return find_sep(p, n, "....") != NULL;
	return p[i - 1] == '\t' || (i >= 3 && !memcmp(p + i - 3, "...", 3));
}

/*
 * A part or level line: "P1 - Basics", "L3- Applications & Evaluation",
 * optionally after "■": P or L, digits, a hyphen with or without a space
 * before it, a space, a title.
 */
static int is_part(const char *p, size_t n, const char **t, size_t *tn)
{
	size_t i = 0, j;

	if (starts(p, n, "\xe2\x96\xa0")) { /* ■ */
		i = 3;
		while (i < n && is_space(p[i]))
			i++;
	}
	if (i + 1 >= n || (p[i] != 'P' && p[i] != 'L') ||
	    !isdigit((unsigned char)p[i + 1]))
		return 0;
	for (j = i + 1; j < n && isdigit((unsigned char)p[j]); j++)
		;
	if (j < n && p[j] == ' ')
		j++;
	if (!starts(p + j, n - j, "- ") || j + 2 == n)
		return 0;
	*t = p + i;
	*tn = n - i;
	return 1;
}

static int is_section(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)p[i]))
		i++;
	return i > 0 && i + 2 < n && p[i] == '.' && p[i + 1] == ' ' &&
	       !isdigit((unsigned char)p[i + 2]) && termlike(p, n);
}

static int is_table_sep(const char *p, size_t n)
{
	if (!n || p[0] != '|')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("|-: ", p[i]))
			return 0;
	return find_sep(p, n, "---") != NULL;
}

typedef struct entry_ref {
	long top;
	long child;         /* -1: the top-level entry itself */
} entry_ref;

typedef struct ctx {
	hw_glossary *g;
	hw_diags *diags;
	const char *file;
	line *lines;
	size_t nlines;
	hw_gstyle force;
	size_t counts[HW_GSTYLE_COUNT];
	char *md_path[6];   /* heading categories by level 2..7 */
	char *part, *section, *cat;
	long top;           /* index of the last top-level entry, -1 */
	size_t top_indent;
	/* entries are named by index, not pointer: the arrays they live in
	 * move when they grow */
	entry_ref last;     /* the entry continuation lines extend */
	entry_ref deflist;  /* the entry `: def` lines add to */
	size_t added;
	/* top-level entries made from acronym-table rows that named no entry
	 * when they were read, ascending */
	size_t *rows, nrows;
} ctx;

static hw_gentry *at(const ctx *c, entry_ref r)
{
	hw_gentry *e;

	if (r.top < 0 || (size_t)r.top >= c->g->n)
		return NULL;
	e = &c->g->entries[r.top];
	if (r.child < 0)
		return e;
	return (size_t)r.child < e->nchildren ? &e->children[r.child] : NULL;
}

static const entry_ref no_entry = {-1, -1};

static int allowed(const ctx *c, hw_gstyle s)
{
	return c->force == HW_GSTYLE_AUTO || c->force == s;
}

static void classify(ctx *c, line *l, const char *raw, size_t n,
		     int plain_hyphen)
{
	const char *p = raw;
	int unclosed = 0, k;

	memset(l, 0, sizeof(*l));
	while (n && (raw[n - 1] == '\r' || is_space(raw[n - 1])))
		n--;
	while (l->indent < n && is_space(p[l->indent]))
		l->indent++;
	p += l->indent;
	n -= l->indent;
	l->text = p;
	l->len = n;
	if (n == 0) {
		l->kind = L_BLANK;
		return;
	}
	if (starts(p, n, "```") || starts(p, n, "~~~")) {
		l->kind = L_FENCE;
		return;
	}
	if (p[0] == '#' && l->indent < 4) {
		size_t h = 0;

		while (h < n && p[h] == '#')
			h++;
		if (h <= 6 && (h == n || p[h] == ' ')) {
			l->kind = L_HEADING;
			l->level = (int)h;
			l->text = p + h;
			l->len = n - h;
			trim(&l->text, &l->len);
			while (l->len && l->text[l->len - 1] == '#')
				l->len--;
			trim(&l->text, &l->len);
			return;
		}
	}
	if (p[0] == '|') {
		l->kind = L_TABLE;
		return;
	}
	if (is_toc(p, n)) {
		l->kind = L_TOC;
		return;
	}
	if (is_part(p, n, &l->text, &l->len)) {
		l->kind = L_PART;
		return;
	}
	if ((p[0] == '-' || p[0] == '*' || p[0] == '+') &&
	    (n == 1 || p[1] == ' ')) {
		const char *b = p + 1;
		size_t bn = n - 1;

		trim(&b, &bn);
		if (!bn) {
			l->kind = L_BULLET_EMPTY;
			return;
		}
		k = bold_entry(l, b, bn, &unclosed);
		if (k == 1 && allowed(c, l->style)) {
			if (l->style == HW_GSTYLE_BOLD_COLON)
				l->style = HW_GSTYLE_BULLET_COLON;
			l->kind = L_ENTRY;
			return;
		}
		if (unclosed)
			hw_diags_add(c->diags, HW_DIAG_WARNING, c->file, 0, 0,
				     "unclosed bold marker");
		l->kind = L_BULLET_TEXT;
		l->text = b;
		l->len = bn;
		return;
	}
	if (starts(p, n, ": ") || (n == 1 && p[0] == ':')) {
		l->kind = L_DEF;
		l->def = p + 1;
		l->def_len = n - 1;
		trim(&l->def, &l->def_len);
		return;
	}
	if (starts(p, n, "Source:") || starts(p, n, "Sources:")) {
		l->kind = L_SOURCE;
		l->def = (const char *)memchr(p, ':', n) + 1;
		l->def_len = n - (size_t)(l->def - p);
		trim(&l->def, &l->def_len);
		return;
	}
	k = bold_entry(l, p, n, &unclosed);
	if (k == 1 && allowed(c, l->style)) {
		l->kind = L_ENTRY;
		return;
	}
	if (k == 2 && allowed(c, HW_GSTYLE_DEFLIST)) {
		l->kind = L_TERM;
		return;
	}
	if (unclosed)
		hw_diags_add(c->diags, HW_DIAG_WARNING, c->file, 0, 0,
			     "unclosed bold marker");
	if (is_section(p, n)) {
		l->kind = L_SECTION;
		return;
	}
	if (allowed(c, HW_GSTYLE_DASH) && dash_entry(l, p, n, plain_hyphen)) {
		l->kind = L_ENTRY;
		return;
	}
	l->kind = L_PLAIN;
}

/* The category path for a new entry, outermost first. */
static int path_of(const ctx *c, char ***out)
{
	const char *parts[10];
	size_t n = 0;

	*out = NULL;
	for (int i = 0; i < 6; i++)
		if (c->md_path[i])
			parts[n++] = c->md_path[i];
	if (c->part)
		parts[n++] = c->part;
	if (c->section)
		parts[n++] = c->section;
	if (c->cat)
		parts[n++] = c->cat;
	for (size_t i = 0; i < n; i++)
		if (hw_gentry_strv_add(out, parts[i], strlen(parts[i])))
			return hw_error_code();
	if (!*out && !(*out = calloc(1, sizeof(char *))))
		return hw_error_oom();
	return HW_OK;
}

static void set_str(char **slot, const char *p, size_t n)
{
	free(*slot);
	*slot = n ? hw_strndup(p, n) : NULL;
}

/* "Name (Alias)" splits into a name and an alias. */
static void split_alias(const char *t, size_t n, size_t *name_len,
			const char **alias, size_t *alias_len)
{
	const char *open;

	*name_len = n;
	*alias = NULL;
	*alias_len = 0;
	if (n < 4 || t[n - 1] != ')')
		return;
	open = NULL;
	for (size_t i = n - 1; i > 0; i--)
		if (t[i] == '(') {
			open = t + i;
			break;
		}
	if (!open || open == t || open[-1] != ' ')
		return;
	*alias = open + 1;
	*alias_len = (size_t)(t + n - 1 - *alias);
	*name_len = (size_t)(open - t);
	while (*name_len && t[*name_len - 1] == ' ')
		(*name_len)--;
	if (!*name_len || !*alias_len) {
		*name_len = n;
		*alias = NULL;
	}
}

/* A new entry at the top level, or a child of parent. */
static hw_gentry *new_entry(ctx *c, hw_gentry *parent, const char *term,
			    size_t tn, const char *def, size_t dn, long lineno)
{
	hw_gentry **vec = parent ? &parent->children : &c->g->entries, *e;
	size_t *count = parent ? &parent->nchildren : &c->g->n;
	const char *alias;
	size_t name_len, alias_len;
	char *d;

	/* top-level entries grow geometrically; children, which are few, one
	 * at a time */
	if (parent || c->g->n == c->g->cap) {
		size_t cap = parent ? *count + 1
				    : (c->g->cap ? c->g->cap * 2 : 64);
		hw_gentry *v = realloc(*vec, cap * sizeof(*v));

		if (!v) {
			hw_error_oom();
			return NULL;
		}
		if (!parent)
			c->g->cap = cap;
		*vec = v;
	}
	e = &(*vec)[*count];
	memset(e, 0, sizeof(*e));
	split_alias(term, tn, &name_len, &alias, &alias_len);
	e->term = hw_strndup(term, name_len);
	d = hw_strndup(def ? def : "", dn);
	if (!e->term || !d || (alias && hw_gentry_strv_add(&e->aliases, alias,
						     alias_len)) ||
	    path_of(c, &e->categories) ||
	    hw_gentry_add_def(e, d, c->file, lineno) ||
	    hw_gentry_add_source(e, c->file, lineno)) {
		free(d);
		hw_gentry_free(e);
		hw_error_oom();
		return NULL;
	}
	free(d);
	(*count)++;
	c->added++;
	return e;
}

static int append_text(hw_gentry *e, const char *p, size_t n)
{
	hw_gdef *d = &e->defs[e->ndefs - 1];
	size_t old = strlen(d->text);
	char *t = realloc(d->text, old + n + 2);

	HW_CHECK_ALLOC(t);
	if (old)
		t[old++] = ' ';
	memcpy(t + old, p, n);
	t[old + n] = '\0';
	d->text = t;
	return HW_OK;
}

/* The next line that is not blank, or NULL. */
static const line *next_nonblank(const ctx *c, size_t i)
{
	for (size_t k = i + 1; k < c->nlines; k++)
		if (c->lines[k].kind != L_BLANK)
			return &c->lines[k];
	return NULL;
}

/* A figure caption: a plain line whose next non-blank line is `Source:`. */
static int is_caption(const ctx *c, size_t i)
{
	const line *nx = next_nonblank(c, i);

	return c->lines[i].kind == L_PLAIN && nx && nx->kind == L_SOURCE;
}

/* The next line that is neither blank nor a figure's caption or source. */
static const line *next_content(const ctx *c, size_t i)
{
	for (size_t k = i + 1; k < c->nlines; k++)
		if (c->lines[k].kind != L_BLANK &&
		    c->lines[k].kind != L_SOURCE && !is_caption(c, k))
			return &c->lines[k];
	return NULL;
}

static int defines(const line *l)
{
	return l && (l->kind == L_ENTRY || l->kind == L_TERM);
}

static int letter_heading(const line *l)
{
	/* "A", "B", "A-C", "X–Z"; an empty heading names nothing either */
	return l->len <= 1 ||
	       (l->len <= 5 && isupper((unsigned char)l->text[0]) &&
		!isalpha((unsigned char)l->text[1]) &&
		isupper((unsigned char)l->text[l->len - 1]));
}

/* Whether one of words[] occurs in p[0..n), ignoring case. */
static int mentions(const char *p, size_t n, const char *const *words)
{
	for (; *words; words++)
		for (size_t k = 0; k + strlen(*words) <= n; k++)
			if (!strncasecmp(p + k, *words, strlen(*words)))
				return 1;
	return 0;
}

static const char *const definition_words[] = {"definition", "description",
					       NULL};

/*
 * "| Acronym | Full Form |", "| Term | Definition |": a two-column table of
 * abbreviations or of terms.
 */
static int acronym_header(const char *a, size_t an, const char *b, size_t bn)
{
	static const char *const left[] = {"acronym", "abbreviation", "abbr",
					   "short", "term", "initialism",
					   NULL};
	static const char *const right[] = {"full", "expansion", "meaning",
					    "stands", "long", NULL};

	return mentions(a, an, left) &&
	       (mentions(b, bn, right) || mentions(b, bn, definition_words));
}

/* "**API**", "`API`", "*API*" in a cell: the text inside the markers. */
static void unwrap(const char **p, size_t *n)
{
	static const char *const marks[] = {"**", "__", "`", "*", "_"};

	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
		size_t k = strlen(marks[i]);

		if (*n > 2 * k && starts(*p, *n, marks[i]) &&
		    !memcmp(*p + *n - k, marks[i], k)) {
			*p += k;
			*n -= 2 * k;
			trim(p, n);
			return;
		}
	}
}

static size_t cells(const char *p, size_t n, const char **cell,
		    size_t *cell_len, size_t max)
{
	size_t count = 0, i = 0;

	if (n && p[0] == '|')
		i = 1;
	while (i < n && count < max) {
		size_t s = i;

		while (i < n && p[i] != '|')
			i++;
		if (i == n && s == n)
			break;
		cell[count] = p + s;
		cell_len[count] = i - s;
		trim(&cell[count], &cell_len[count]);
		unwrap(&cell[count], &cell_len[count]);
		count++;
		i++;
	}
	return count;
}

/* An acronym and its expansion both name e. */
static int row_aliases(hw_gentry *e, const char *a, size_t an, const char *x,
		       size_t xn)
{
	int err = an ? hw_gentry_add_alias(e, a, an) : HW_OK;

	return err || !xn ? err : hw_gentry_add_alias(e, x, xn);
}

static int push_row(ctx *c, size_t index)
{
	size_t *v = realloc(c->rows, (c->nrows + 1) * sizeof(*v));

	HW_CHECK_ALLOC(v);
	c->rows = v;
	c->rows[c->nrows++] = index;
	return HW_OK;
}

/*
 * A row that named no entry when it was read became an entry of its own.
 * When a term defined further down the file has the row's acronym or
 * expansion as a name, the row was about that term: its names become
 * aliases of the term and the row's entry goes. Rows were already matched
 * against every entry above them, so only later entries are searched.
 */
static int resolve_rows(ctx *c)
{
	hw_glossary *g = c->g;
	size_t next = 0, kept = c->rows ? c->rows[0] : g->n;
	int err = HW_OK;

	for (size_t i = kept; i < g->n; i++) {
		hw_gentry *row = &g->entries[i], *term = NULL;
		const char *x = row->defs[0].text; /* the expansion */
		int is_row = next < c->nrows && c->rows[next] == i;

		next += is_row;
		for (size_t j = i + 1, r = next; is_row && !term && j < g->n;
		     j++) {
			if (r < c->nrows && c->rows[r] == j) {
				r++; /* another row, not a term */
				continue;
			}
			term = (hw_gentry *)hw_gentry_find(&g->entries[j], 1,
							   row->term,
							   strlen(row->term));
			if (!term && *x)
				term = (hw_gentry *)hw_gentry_find(
					&g->entries[j], 1, x, strlen(x));
		}
		if (term && !err) {
			err = row_aliases(term, row->term, strlen(row->term), x,
					  strlen(x));
			for (char **a = row->aliases; !err && a && *a; a++)
				err = hw_gentry_add_alias(term, *a, strlen(*a));
			hw_gentry_free(row);
			continue;
		}
		g->entries[kept++] = *row;
	}
	g->n = kept;
	return err;
}

/* A table starting at line i; returns the index after it. */
static size_t read_table(ctx *c, size_t i, int *err)
{
	const char *h[4], *r[4];
	size_t hl[4], rl[4], nh, k = i;
	int acro, expands;

	nh = cells(c->lines[i].text, c->lines[i].len, h, hl, 4);
	if (i + 1 >= c->nlines ||
	    !is_table_sep(c->lines[i + 1].text, c->lines[i + 1].len)) {
		while (k < c->nlines && c->lines[k].kind == L_TABLE)
			k++;
		return k;
	}
	acro = nh == 2 && acronym_header(h[0], hl[0], h[1], hl[1]) &&
	       allowed(c, HW_GSTYLE_TABLE);
	/* "Full Form", "Expansion": the right column is another name of the
	 * term; "Definition", "Description": it defines the term */
	expands = acro && !mentions(h[1], hl[1], definition_words);
	for (k = i + 2; k < c->nlines && c->lines[k].kind == L_TABLE; k++) {
		hw_gentry *match;

		if (!acro || cells(c->lines[k].text, c->lines[k].len, r, rl, 4) < 2 ||
		    !rl[0])
			continue;
		match = (hw_gentry *)hw_glossary_find(c->g, r[0], rl[0]);
		if (!match && rl[1] && expands)
			match = (hw_gentry *)hw_glossary_find(c->g, r[1], rl[1]);
		c->counts[HW_GSTYLE_TABLE]++;
		if (match && expands) {
			/* the row names a term we have: the other name is an
			 * alias of it */
			if ((*err = row_aliases(match, r[0], rl[0], r[1], rl[1])))
				return k;
			continue;
		}
		if (match) {
			/* another definition of a term we have */
			char *d = hw_strndup(r[1], rl[1]);

			*err = d ? hw_gentry_add_def(match, d, c->file,
						     (long)k + 1)
				 : hw_error_oom();
			free(d);
			if (*err)
				return k;
			continue;
		}
		if (!new_entry(c, NULL, r[0], rl[0], r[1], rl[1], (long)k + 1) ||
		    (expands && push_row(c, c->g->n - 1))) {
			*err = hw_error_code();
			return k;
		}
	}
	return k;
}

static int build(ctx *c)
{
	int err = HW_OK, in_code = 0, prev_blank = 1, figure = 0;
	const char *pending = NULL;
	size_t pending_len = 0;
	long pending_line = 0;

	c->top = -1;
	c->last = c->deflist = no_entry;
	for (size_t i = 0; i < c->nlines && !err; i++) {
		line *l = &c->lines[i];
		long lineno = (long)i + 1;
		int was_blank = prev_blank;

		prev_blank = l->kind == L_BLANK;
		if (l->kind == L_FENCE) {
			in_code = !in_code;
			continue;
		}
		if (in_code)
			continue;
		switch (l->kind) {
		case L_BLANK:
		case L_TOC:
			if (l->kind == L_TOC)
				c->last = no_entry;
			break;
		case L_HEADING:
			c->last = c->deflist = no_entry;
			pending = NULL;
			if (l->level == 1 || letter_heading(l)) {
				/* the title and letter headings are no
				 * categories; they end the ones below them */
				for (int k = (l->level == 1 ? 0 : l->level - 2);
				     k < 6; k++)
					set_str(&c->md_path[k], NULL, 0);
				break;
			}
			set_str(&c->md_path[l->level - 2], l->text, l->len);
			for (int k = l->level - 1; k < 6; k++)
				set_str(&c->md_path[k], NULL, 0);
			break;
		case L_PART:
			set_str(&c->part, l->text, l->len);
			set_str(&c->section, NULL, 0);
			set_str(&c->cat, NULL, 0);
			c->last = no_entry;
			break;
		case L_SECTION:
			set_str(&c->section, l->text, l->len);
			set_str(&c->cat, NULL, 0);
			c->last = no_entry;
			break;
		case L_TABLE:
			i = read_table(c, i, &err) - 1;
			c->last = no_entry;
			break;
		case L_ENTRY: {
			hw_gentry *e;

			if (!l->term_len) {
				err = hw_diags_add(c->diags, HW_DIAG_WARNING,
						   c->file, lineno, 0,
						   "an entry with an empty "
						   "term; skipped");
				break;
			}
			c->counts[l->style]++;
			if (l->style == HW_GSTYLE_ARROW && c->top >= 0 &&
			    l->indent > c->top_indent) {
				hw_gentry *parent = &c->g->entries[c->top];

				e = new_entry(c, parent, l->term, l->term_len,
					      l->def, l->def_len, lineno);
				if (e) {
					/* children carry their parent's path */
					hw_strv_free(e->categories);
					e->categories = NULL;
					for (char **s = parent->categories;
					     s && *s; s++)
						hw_gentry_strv_add(&e->categories, *s,
							     strlen(*s));
				}
			} else {
				e = new_entry(c, NULL, l->term, l->term_len,
					      l->def, l->def_len, lineno);
				c->top = (long)c->g->n - 1;
				c->top_indent = l->indent;
			}
			if (!e)
				err = hw_error_code();
			c->last = (entry_ref){c->top, -1};
			if (e && e != &c->g->entries[c->top])
				c->last.child = (long)c->g->entries[c->top]
							.nchildren - 1;
			c->deflist = no_entry;
			break;
		}
		case L_BULLET_EMPTY:
			c->last = no_entry;
			c->top_indent = l->indent; /* nesting ends */
			break;
		case L_BULLET_TEXT:
			if (at(c, c->last) && l->indent > c->top_indent)
				err = append_text(at(c, c->last), l->text,
						  l->len);
			break;
		case L_TERM:
			pending = l->term;
			pending_len = l->term_len;
			pending_line = lineno;
			c->deflist = no_entry;
			break;
		case L_DEF:
			if (at(c, c->deflist)) {
				/* another definition of the same term */
				char *d = hw_strndup(l->def, l->def_len);

				err = d ? hw_gentry_add_def(at(c, c->deflist), d,
							    c->file, lineno)
					: hw_error_oom();
				free(d);
				c->last = c->deflist;
				break;
			}
			if (!pending) {
				err = hw_diags_add(c->diags, HW_DIAG_WARNING,
						   c->file, lineno, 0,
						   "a definition line with no "
						   "term before it");
				break;
			}
			c->counts[HW_GSTYLE_DEFLIST]++;
			{
				char *d = hw_strndup(l->def, l->def_len);

				if (!d || !new_entry(c, NULL, pending, pending_len,
						     d, l->def_len, pending_line))
					err = hw_error_code();
				free(d);
			}
			c->top = (long)c->g->n - 1;
			c->deflist = c->last = (entry_ref){c->top, -1};
			pending = NULL;
			break;
		case L_SOURCE: {
			hw_gentry *e = c->top >= 0 ? &c->g->entries[c->top]
						   : at(c, c->last);

			if (figure) /* the figure's source, not an entry's */
				figure = 0;
			else if (e)
				err = hw_gentry_strv_add(&e->references, l->def,
						   l->def_len);
			break;
		}
		case L_PLAIN:
		default: {
			const line *nx = next_nonblank(c, i);

			if (is_caption(c, i) &&
			    (was_blank || !at(c, c->last))) {
				/* a figure between a heading and its entries
				 * neither heads nor continues anything; a line
				 * right under an entry still continues it */
				figure = 1;
				c->last = no_entry;
			} else if (pending && c->lines[i - 1].kind == L_TERM) {
				/* "**Term**" with its definition on the next
				 * line (a Markdown hard break) */
				c->counts[HW_GSTYLE_DEFLIST]++;
				if (!new_entry(c, NULL, pending, pending_len,
					       l->text, l->len, pending_line))
					err = hw_error_code();
				c->top = (long)c->g->n - 1;
				c->last = (entry_ref){c->top, -1};
				pending = NULL;
			} else if (defines(next_content(c, i)) &&
				   termlike(l->text, l->len) &&
				   l->text[l->len - 1] != ':' &&
				   !islower((unsigned char)l->text[0]) &&
				   (was_blank || !at(c, c->last) ||
				    l->indent == 0) &&
				   !(at(c, c->last) && !was_blank &&
				     l->indent > 0)) {
				/* a plain line heading the entries below */
				set_str(&c->cat, l->text, l->len);
				c->last = no_entry;
			} else if (at(c, c->last) && !was_blank) {
				err = append_text(at(c, c->last), l->text,
						  l->len);
			} else if (nx && nx->kind == L_DEF &&
				   termlike(l->text, l->len) &&
				   allowed(c, HW_GSTYLE_DEFLIST)) {
				pending = l->text; /* a Pandoc term line */
				pending_len = l->len;
				pending_line = lineno;
				c->deflist = no_entry;
			}
			break;
		}
		}
	}
	for (int k = 0; k < 6; k++)
		set_str(&c->md_path[k], NULL, 0);
	set_str(&c->part, NULL, 0);
	set_str(&c->section, NULL, 0);
	set_str(&c->cat, NULL, 0);
	return err;
}

/* Implements: FR-GLOSS-001 */
int hw_glossary_import(hw_glossary *g, hw_diags *diags, const char *file,
		       const char *text, size_t len, hw_gstyle style,
		       hw_gstyle *style_out)
{
	ctx c;
	size_t bad, before = g->n, cap = 1;
	int err = HW_OK, dashes = 0;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.diags = diags;
	c.file = file;
	c.force = style;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) || !hw_utf8_valid(text, len, &bad)) {
		long l, col;

		bad = memchr(text, '\0', len) ? (size_t)((const char *)memchr(
							text, '\0', len) -
						text)
					      : bad;
		hw_text_position(text, len, bad, &l, &col);
		return hw_error_set(HW_EINVAL, file, l, col,
				    "not UTF-8 text (byte 0x%02x)",
				    (unsigned char)text[bad]);
	}
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	c.lines = calloc(cap, sizeof(*c.lines));
	HW_CHECK_ALLOC(c.lines);
	/* plain " - " separates a term only in files that use real dashes,
	 * or when the dash style is asked for */
	dashes = style == HW_GSTYLE_DASH ||
		 (find_sep(text, len, " " EM_DASH " ") ||
		  find_sep(text, len, " " EN_DASH " "));
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - text - i) : len - i;
		size_t before_diags = diags->n;

		classify(&c, &c.lines[c.nlines], text + i, n, dashes);
		/* classify's warnings know the file, not the line */
		for (size_t d = before_diags; d < diags->n; d++)
			diags->items[d].line = (long)c.nlines + 1;
		c.nlines++;
		i += n + 1;
	}
	err = build(&c);
	if (!err)
		err = resolve_rows(&c);
	free(c.rows);
	free(c.lines);
	if (!err && g->n == before && c.added == 0) {
		size_t alias_only = 0;

		for (int s = 1; s < HW_GSTYLE_COUNT; s++)
			alias_only += c.counts[s];
		if (!alias_only)
			err = hw_error_set(HW_EINVAL, file, 0, 0,
					   "no known glossary style: no entry "
					   "was recognised (styles: "
					   "bullet-colon, bold-colon, "
					   "definition-list, acronym-table, "
					   "arrow, dash)");
	}
	if (err) {
		while (g->n > before)
			hw_gentry_free(&g->entries[--g->n]);
		return err;
	}
	if (style_out) {
		hw_gstyle best = style;

		if (best == HW_GSTYLE_AUTO) {
			size_t most = 0;

			for (int s = 1; s < HW_GSTYLE_COUNT; s++)
				if (c.counts[s] > most) {
					most = c.counts[s];
					best = (hw_gstyle)s;
				}
		}
		*style_out = best;
	}
	return HW_OK;
}

int hw_glossary_load(hw_glossary *g, hw_diags *diags, const char *path,
		     size_t max_bytes, hw_gstyle style, hw_gstyle *style_out)
{
	hw_buf b;
	int err;

	hw_buf_init(&b, max_bytes);
	err = hw_file_read(&b, path, max_bytes);
	if (!err)
		err = hw_glossary_import(g, diags, path, b.data, b.len, style,
					 style_out);
	hw_buf_free(&b);
	return err;
}
