/*
 * parse.c — FR documents (Markdown) to hw_fr records, through cmark's AST.
 *
 * cmark gives the block structure and the line of every block; the FR's key
 * lines and text are then taken from the source lines themselves, so the text
 * we hash and show is exactly what the author wrote (cmark's inline parser
 * would otherwise eat backslashes and emphasis markers in key values).
 */
#include "frs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

/* Source text with an index of line starts (1-based lines). */
typedef struct source {
	const char *file;
	const char *text;
	size_t len;
	size_t *starts;  /* starts[i] = offset of line i+1; starts[nlines] = len */
	long nlines;
} source;

static int source_index(source *s)
{
	size_t cap = 1;

	for (size_t i = 0; i < s->len; i++)
		cap += s->text[i] == '\n';
	s->starts = malloc((cap + 1) * sizeof(*s->starts));
	HW_CHECK_ALLOC(s->starts);
	s->nlines = 0;
	s->starts[s->nlines++] = 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->text[i] == '\n' && i + 1 < s->len)
			s->starts[s->nlines++] = i + 1;
	s->starts[s->nlines] = s->len;
	return HW_OK;
}

/* Line l (1-based) without its newline and any trailing CR/space/tab. */
static void source_line(const source *s, long l, const char **p, size_t *n)
{
	size_t a, b;

	if (l < 1 || l > s->nlines) {
		*p = s->text + s->len;
		*n = 0;
		return;
	}
	a = s->starts[l - 1];
	b = s->starts[l];
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r' ||
			 s->text[b - 1] == ' ' || s->text[b - 1] == '\t'))
		b--;
	*p = s->text + a;
	*n = b - a;
}

/* Bytes of lines first..last (1-based, clamped) in the source. */
static size_t line_span(const source *s, long first, long last)
{
	if (first < 1)
		first = 1;
	if (last > s->nlines)
		last = s->nlines;
	return last >= first ? s->starts[last] - s->starts[first - 1] : 0;
}

static int is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return 0;
	return 1;
}

/*
 * Appends lines first..last of s to out, normalised: trailing whitespace
 * removed, leading and trailing blank lines dropped, runs of blank lines
 * collapsed to one. This is the text whose hash detects a changed FR.
 */
/* Implements: FR-FRS-003 */
static int append_normalised(hw_buf *out, const source *s, long first,
			     long last, int raw)
{
	int pending_blank = 0, any = 0, err;

	for (long l = first; l <= last; l++) {
		const char *p;
		size_t n;

		source_line(s, l, &p, &n);
		if (is_blank(p, n)) {
			pending_blank = any;
			if (raw && any && (err = hw_buf_putc(out, '\n')))
				return err;
			continue;
		}
		if (!raw && pending_blank && (err = hw_buf_putc(out, '\n')))
			return err;
		if (any && !raw && (err = hw_buf_putc(out, '\n')))
			return err;
		if ((err = hw_buf_append(out, p, n)))
			return err;
		if (raw && (err = hw_buf_putc(out, '\n')))
			return err;
		pending_blank = 0;
		any = 1;
	}
	if (raw) /* drop trailing blank lines, keep one final newline */
		while (out->len > 1 && out->data[out->len - 1] == '\n' &&
		       out->data[out->len - 2] == '\n')
			out->data[--out->len] = '\0';
	return HW_OK;
}

/* Implements: FR-FRS-002 */
size_t hw_fr_id_len(const char *s, size_t n)
{
	size_t i = 0, letters = 0, digits = 0;

	if (n >= 4 && memcmp(s, "NFR-", 4) == 0)
		i = 4;
	else if (n >= 3 && memcmp(s, "FR-", 3) == 0)
		i = 3;
	else
		return 0;
	while (i < n && s[i] >= 'A' && s[i] <= 'Z') {
		i++;
		letters++;
	}
	if (!letters || i >= n || s[i] != '-')
		return 0;
	i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (digits < 3)
		return 0;
	return i;
}

int hw_fr_id_valid(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= HW_FR_ID_MAX && hw_fr_id_len(id, n) == n;
}

void hw_fr_set_init(hw_fr_set *set)
{
	memset(set, 0, sizeof(*set));
}

static void fr_free(hw_fr *fr)
{
	for (size_t i = 0; i < fr->nattrs; i++) {
		free(fr->attrs[i].name);
		free(fr->attrs[i].value);
	}
	free(fr->attrs);
	hw_strv_free(fr->parents);
	hw_strv_free(fr->depends);
	free(fr->rationale);
	free(fr->id);
	free(fr->title);
	free(fr->body);
	free(fr->file);
}

void hw_fr_set_free(hw_fr_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		fr_free(&set->items[i]);
	free(set->items);
	free(set->byid);
	free(set->attr_by_name);
	free(set->attr_fr);
	hw_fr_set_init(set);
}

static hw_fr *fr_push(hw_fr_set *set)
{
	if (HW_ARRAY_GROW(set->items, set->n, set->cap))
		return NULL;
	memset(&set->items[set->n], 0, sizeof(hw_fr));
	return &set->items[set->n++];
}

static const char *const status_names[] = {"draft", "approved",
					   "deprecated"};

const char *hw_fr_status_name(hw_fr_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "unknown";
}

void hw_fr_needs_text(char *out, size_t size, unsigned needs)
{
	static const char *const names[] = {"impl", "utest", "itest"};
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < 3; i++) {
		if (!(needs & (1u << i)))
			continue;
		int n = snprintf(out + used, size - used, "%s%s",
				 used ? ", " : "", names[i]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* Keys of the metadata paragraph; a bit each so duplicates can be seen. */
enum {
	KEY_REV = 1,
	KEY_STATUS = 2,
	KEY_NEEDS = 4,
	KEY_PARENT = 8,
	KEY_DEPENDS = 16,
	KEY_DERIVED = 32,
	KEY_RATIONALE = 64,
	KEY_ATTR = 128 /* a custom attribute: duplicates are found by name */
};

static int parse_rev(const char *v, size_t n, int *rev)
{
	long r = 0;

	if (n == 0 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		r = r * 10 + (v[i] - '0');
	}
	if (r < 1)
		return 0;
	*rev = (int)r;
	return 1;
}

static int parse_status(const char *v, size_t n, hw_fr_status *st)
{
	for (int i = 0; i < 3; i++)
		if (strlen(status_names[i]) == n &&
		    memcmp(v, status_names[i], n) == 0) {
			*st = (hw_fr_status)i;
			return 1;
		}
	return 0;
}

/*
 * The next item of the comma-separated list v[0..n) from *i: [*a, *b),
 * blanks trimmed; *i is left at the comma after it, or at n.
 */
static void next_item(const char *v, size_t n, size_t *i, size_t *a,
		      size_t *b)
{
	while (*i < n && (v[*i] == ' ' || v[*i] == '\t'))
		(*i)++;
	*a = *i;
	while (*i < n && v[*i] != ',')
		(*i)++;
	*b = *i;
	while (*b > *a && (v[*b - 1] == ' ' || v[*b - 1] == '\t'))
		(*b)--;
}

static int parse_needs(const char *v, size_t n, unsigned *needs)
{
	unsigned bits = 0;
	size_t i = 0;

	while (i < n) {
		size_t a, b;

		next_item(v, n, &i, &a, &b);
		if (b - a == 4 && memcmp(v + a, "impl", 4) == 0)
			bits |= HW_NEED_IMPL;
		else if (b - a == 5 && memcmp(v + a, "utest", 5) == 0)
			bits |= HW_NEED_UTEST;
		else if (b - a == 5 && memcmp(v + a, "itest", 5) == 0)
			bits |= HW_NEED_ITEST;
		else
			return 0;
		if (i < n)
			i++; /* the comma */
		if (i == n && v[n - 1] == ',')
			return 0;
	}
	if (!bits)
		return 0;
	*needs = bits;
	return 1;
}

/* Length of a "Key:" prefix (letters, digits, '-', '_'), 0 when none. */
static size_t key_len(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || !isalpha((unsigned char)p[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '-' ||
			 p[i] == '_'))
		i++;
	if (i >= n || p[i] != ':')
		return 0;
	return i;
}

static int is_metadata_paragraph(const source *s, cmark_node *para)
{
	const char *p;
	size_t n;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return 0;
	source_line(s, cmark_node_get_start_line(para), &p, &n);
	return key_len(p, n) > 0;
}

/*
 * Splits the comma-separated list v[0..n) into *out (NULL-terminated).
 * Returns the offset in v of the first item that is not a requirement ID
 * token (hw_req_id_len) or is empty, or -1 when all are IDs.
 */
static long parse_id_list(const char *v, size_t n, char ***out, size_t *count)
{
	size_t i = 0, cap = 0;

	*out = NULL;
	*count = 0;
	for (;;) {
		size_t a, b;

		next_item(v, n, &i, &a, &b);
		if (b == a || b - a > HW_FR_ID_MAX ||
		    hw_req_id_len(v + a, b - a) != b - a)
			return (long)a;
		/* room for the item and the NULL after it */
		if (hw_array_grow(out, &cap, *count + 1, sizeof(**out), 4))
			return -2;
		if (!((*out)[(*count)++] = hw_strndup(v + a, b - a)))
			return -2;
		(*out)[*count] = NULL;
		if (i >= n)
			return -1;
		i++; /* the comma */
	}
}

/*
 * With levels, Depends orders requirements of one level (issue #26): an
 * item whose ID is of another level's pattern is an error at its column.
 * Links between levels are Parent's, which must go up, so that every
 * cycle is one of Depends within a level (or of a wrong Parent), which
 * the trace finds.
 */
/* Implements: FR-FRS-008 */
static int depends_same_level(const hw_fr *fr, hw_diags *diags,
			      const source *s, const hw_frs_model *model,
			      long l, ptrdiff_t at, const char *v, size_t vn)
{
	size_t i = 0, a, b;

	for (size_t j = 0; model && model->nlevels && j < fr->ndepends; j++) {
		int lv = hw_frs_model_level(model, fr->depends[j], NULL);
		int err;

		next_item(v, vn, &i, &a, &b);
		i++; /* the comma */
		if (lv >= 0 && lv != fr->level &&
		    (err = hw_diags_add(
			     diags, HW_DIAG_ERROR, s->file, l, (long)(at + a) + 1,
			     "%s: Depends names %s, of level '%s': a "
			     "requirement depends on ones of its own level "
			     "('%s'); a link to a higher level is a Parent",
			     fr->id, fr->depends[j], model->levels[lv].name,
			     model->levels[fr->level].name)))
			return err;
	}
	return HW_OK;
}

/* Whether ymd is a day of the calendar, leap years included. */
static int real_date(const char *v, size_t n)
{
	char buf[16];
	int ymd[3];

	if (n != 10)
		return 0;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (!hw_date_parse(buf, 0, ymd))
		return 0;
	if (ymd[1] == 2 && ymd[2] == 29)
		return (ymd[0] % 4 == 0 && ymd[0] % 100 != 0) ||
		       ymd[0] % 400 == 0;
	return 1;
}

/* Whether v[0..n) is a valid value of decl; *why says what it must be. */
static int attr_value_ok(const hw_attr_decl *decl, const char *v, size_t n,
			 const char **why)
{
	switch (decl->type) {
	case HW_ATTR_ENUM:
		*why = "one of the values the configuration declares";
		for (char **e = decl->values; e && *e; e++)
			if (strlen(*e) == n && memcmp(*e, v, n) == 0)
				return 1;
		return 0;
	case HW_ATTR_LIST:
		*why = "a comma-separated list of non-empty items";
		for (size_t i = 0, a, b;; i++) {
			next_item(v, n, &i, &a, &b);
			if (a == b)
				return 0;
			if (i >= n)
				return 1;
		}
	case HW_ATTR_DATE:
		*why = "a calendar date YYYY-MM-DD (February 29th only in "
		       "a leap year)";
		return real_date(v, n);
	default:
		*why = "a non-empty string";
		return n > 0;
	}
}

#define DIAG(level, line, ...)                                                 \
	do {                                                                   \
		if ((err = hw_diags_add(diags, level, s->file, line, 0,        \
					__VA_ARGS__)))                         \
			return err;                                            \
	} while (0)

static int decl_cmp(const void *a, const void *b)
{
	const hw_attr_decl *x = *(const hw_attr_decl *const *)a;
	const hw_attr_decl *y = *(const hw_attr_decl *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x > y) - (x < y);
}

/* Builds set's index of its model's attributes, once per model. */
static int attr_index(hw_fr_set *set)
{
	const hw_frs_model *m = set->model;
	size_t n = m ? m->nattrs : 0;

	if (set->attr_model == m && set->attr_by_name)
		return HW_OK;
	free(set->attr_by_name);
	free(set->attr_fr);
	set->attr_model = NULL;
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	set->attr_by_name = malloc((n ? n : 1) * sizeof(*set->attr_by_name));
	set->attr_fr = calloc(n ? n : 1, sizeof(*set->attr_fr));
	HW_CHECK_ALLOC(set->attr_by_name);
	HW_CHECK_ALLOC(set->attr_fr);
	for (size_t i = 0; i < n; i++)
		set->attr_by_name[i] = &m->attrs[i];
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	qsort(set->attr_by_name, n, sizeof(*set->attr_by_name), decl_cmp);
	set->attr_model = m;
	return HW_OK;
}

/* strcmp of name and k[0..n) (which holds no NUL). */
static int name_cmp(const char *name, const char *k, size_t n)
{
	int c = strncmp(name, k, n);

	return c ? c : name[n] != '\0';
}

/* The first declared attribute named k[0..n), or NULL. */
static const hw_attr_decl *find_attr(const hw_fr_set *set, const char *k,
				     size_t n)
{
	size_t lo = 0, all = set->attr_model ? set->attr_model->nattrs : 0;
	size_t hi = all;

	while (lo < hi) { /* the first name not below k */
		size_t mid = lo + (hi - lo) / 2;

		if (name_cmp(set->attr_by_name[mid]->name, k, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < all && !name_cmp(set->attr_by_name[lo]->name, k, n)
		       ? set->attr_by_name[lo]
		       : NULL;
}

/* A custom attribute's line: its type checked, a duplicate refused. */
/* Implements: FR-FRS-009 */
static int parse_attr(hw_fr_set *set, hw_fr *fr, hw_diags *diags,
		      const source *s, const hw_attr_decl *decl, long l,
		      const char *v, size_t vn, long col)
{
	size_t *given = &set->attr_fr[decl - set->attr_model->attrs];
	const char *why;
	hw_fr_attr *a;
	int err;

	if (*given == set->n) { /* fr is the set's last FR, number n */
		DIAG(HW_DIAG_ERROR, l, "%s: duplicate key '%s'", fr->id,
		     decl->name);
		return HW_OK;
	}
	if (!attr_value_ok(decl, v, vn, &why)) {
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, l, col,
					"%s: invalid %s '%.*s': must be %s",
					fr->id, decl->name,
					(int)(vn > 60 ? 60 : vn), v, why)))
			return err;
		return HW_OK;
	}
	a = realloc(fr->attrs, (fr->nattrs + 1) * sizeof(*a));
	HW_CHECK_ALLOC(a);
	*given = set->n;
	fr->attrs = a;
	a = &fr->attrs[fr->nattrs];
	a->line = l;
	a->name = hw_strdup(decl->name);
	a->value = hw_strndup(v, vn);
	fr->nattrs++; /* counted now, so that fr_free frees what was made */
	if (!a->name || !a->value)
		return hw_error_oom();
	return HW_OK;
}

/* Implements: FR-FRS-002, FR-FRS-009 */
static int parse_metadata(hw_fr_set *set, hw_fr *fr, hw_diags *diags,
			  const source *s, cmark_node *para)
{
	const hw_frs_model *model = set->model;
	long first = cmark_node_get_start_line(para);
	long last = cmark_node_get_end_line(para);
	unsigned seen = 0;
	int err;

	if ((err = attr_index(set)))
		return err;

	for (long l = first; l <= last; l++) {
		const char *p, *v;
		size_t n, k, vn;
		unsigned bit;
		const hw_attr_decl *decl;

		source_line(s, l, &p, &n);
		k = key_len(p, n);
		if (!k) {
			DIAG(HW_DIAG_ERROR, l,
			     "%s: expected a 'Key: value' line, got '%.*s'",
			     fr->id, (int)(n > 60 ? 60 : n), p);
			continue;
		}
		v = p + k + 1;
		vn = n - k - 1;
		while (vn && (*v == ' ' || *v == '\t')) {
			v++;
			vn--;
		}
		decl = NULL;
		if (k == 3 && memcmp(p, "Rev", 3) == 0)
			bit = KEY_REV;
		else if (k == 6 && memcmp(p, "Status", 6) == 0)
			bit = KEY_STATUS;
		else if (k == 5 && memcmp(p, "Needs", 5) == 0)
			bit = KEY_NEEDS;
		else if (k == 6 && memcmp(p, "Parent", 6) == 0)
			bit = KEY_PARENT;
		else if (k == 7 && memcmp(p, "Depends", 7) == 0)
			bit = KEY_DEPENDS;
		else if (k == 7 && memcmp(p, "Derived", 7) == 0)
			bit = KEY_DERIVED;
		else if (k == 9 && memcmp(p, "Rationale", 9) == 0)
			bit = KEY_RATIONALE;
		else if ((decl = find_attr(set, p, k)) != NULL)
			bit = KEY_ATTR;
		else {
			DIAG(HW_DIAG_ERROR, l,
			     "%s: unknown key '%.*s' (known keys: Rev, "
			     "Status, Needs, Parent, Depends, Derived, "
			     "Rationale%s)",
			     fr->id, (int)k, p,
			     model && model->nattrs
				     ? " and the attributes of "
				       "traceability/config.json"
				     : "");
			continue;
		}
		if (bit == KEY_ATTR) {
			if ((err = parse_attr(set, fr, diags, s, decl, l, v,
					      vn, v - p + 1)))
				return err;
			continue;
		}
		if (seen & bit) {
			DIAG(HW_DIAG_ERROR, l, "%s: duplicate key '%.*s'",
			     fr->id, (int)k, p);
			continue;
		}
		seen |= bit;
		if (bit == KEY_REV && !parse_rev(v, vn, &fr->rev))
			DIAG(HW_DIAG_ERROR, l,
			     "%s: invalid Rev '%.*s': must be a positive "
			     "integer",
			     fr->id, (int)vn, v);
		else if (bit == KEY_STATUS &&
			 !parse_status(v, vn, &fr->status))
			DIAG(HW_DIAG_ERROR, l,
			     "%s: invalid Status '%.*s': must be draft, "
			     "approved or deprecated",
			     fr->id, (int)vn, v);
		else if (bit == KEY_NEEDS && !parse_needs(v, vn, &fr->needs))
			DIAG(HW_DIAG_ERROR, l,
			     "%s: invalid Needs '%.*s': must list impl, "
			     "utest and/or itest, separated by commas",
			     fr->id, (int)vn, v);
		else if (bit == KEY_PARENT || bit == KEY_DEPENDS) {
			size_t *count = bit == KEY_PARENT ? &fr->nparents
							   : &fr->ndepends;
			char ***list = bit == KEY_PARENT ? &fr->parents
							 : &fr->depends;
			long bad = parse_id_list(v, vn, list, count);

			if (bad == -2)
				return hw_error_oom();
			*(bit == KEY_PARENT ? &fr->parents_line
					    : &fr->depends_line) = l;
			if (bad >= 0 &&
			    (err = hw_diags_add(
				     diags, HW_DIAG_ERROR, s->file, l,
				     (long)(v - p) + bad + 1,
				     "%s: %.*s must list requirement IDs "
				     "separated by commas",
				     fr->id, (int)k, p)))
				return err;
			if (bad == -1 && bit == KEY_DEPENDS &&
			    (err = depends_same_level(fr, diags, s, model, l,
						      v - p, v, vn)))
				return err;
		} else if (bit == KEY_DERIVED) {
			fr->derived = vn == 3 && memcmp(v, "yes", 3) == 0;
			if (!fr->derived &&
			    (err = hw_diags_add(
				     diags, HW_DIAG_ERROR, s->file, l,
				     (long)(v - p) + 1,
				     "%s: invalid Derived '%.*s': the only "
				     "value is yes (leave the key out "
				     "otherwise)",
				     fr->id, (int)vn, v)))
				return err;
		} else if (bit == KEY_RATIONALE) {
			if (!vn)
				DIAG(HW_DIAG_ERROR, l, "%s: empty Rationale",
				     fr->id);
			else if (!(fr->rationale = hw_strndup(v, vn)))
				return hw_error_oom();
		}
	}
	if ((seen & KEY_DERIVED) && fr->derived && (seen & KEY_PARENT))
		DIAG(HW_DIAG_ERROR, fr->parents_line,
		     "%s: a Derived requirement has no Parent by design: "
		     "give one or the other",
		     fr->id);
	if ((seen & KEY_RATIONALE) && !fr->derived)
		DIAG(HW_DIAG_ERROR, fr->line,
		     "%s: Rationale explains a Derived requirement: add "
		     "'Derived: yes' or drop it",
		     fr->id);
	if (!(seen & KEY_NEEDS) && model && model->nlevels)
		fr->needs = model->levels[fr->level].needs;
	if (!(seen & KEY_STATUS))
		DIAG(HW_DIAG_ERROR, fr->line,
		     "%s: missing Status (draft, approved or deprecated)",
		     fr->id);
	if (!(seen & KEY_REV))
		DIAG(HW_DIAG_WARNING, fr->line, "%s: no Rev; assuming 1",
		     fr->id);
	if (!(seen & KEY_NEEDS) && !(model && model->nlevels))
		DIAG(HW_DIAG_WARNING, fr->line,
		     "%s: no Needs; assuming impl, utest", fr->id);
	return HW_OK;
}

/* The text of a heading as written in the source, '#' markers removed. */
static void heading_text(const source *s, cmark_node *h, const char **p,
			 size_t *n)
{
	source_line(s, cmark_node_get_start_line(h), p, n);
	while (*n && (**p == ' ' || **p == '#')) {
		(*p)++;
		(*n)--;
	}
	/* an ATX closing sequence: "## ID: title ##" */
	while (*n && (*p)[*n - 1] == '#')
		(*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

static int is_fr_boundary(cmark_node *node)
{
	return cmark_node_get_type(node) == CMARK_NODE_HEADING &&
	       cmark_node_get_heading_level(node) <= 2;
}

/*
 * With levels, a heading's ID must match its folder's level pattern and no
 * other level's. Returns 0 when it does, 1 when the problem was added to
 * diags, or a negative code.
 */
/* Implements: FR-FRS-008 */
static int check_level(hw_diags *diags, const source *s,
		       const hw_frs_model *model, int level, long line,
		       const char *text, size_t idn)
{
	char id[HW_FR_ID_MAX + 1];
	int second = -1, found, err;

	memcpy(id, text, idn);
	id[idn] = '\0';
	found = hw_frs_model_level(model, id, &second);
	if (found == level)
		return 0;
	if (found == -2)
		err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line, 0,
				   "%s matches the ID patterns of two levels "
				   "(the second is '%s'): each ID must match "
				   "exactly one level",
				   id, model->levels[second].name);
	else if (found >= 0)
		err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line, 0,
				   "%s is an ID of level '%s', but this file "
				   "is in the folder of level '%s'",
				   id, model->levels[found].name,
				   model->levels[level].name);
	else
		err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line, 0,
				   "%s does not match the ID pattern '%s' of "
				   "level '%s'",
				   id, model->levels[level].ids,
				   model->levels[level].name);
	return err ? err : 1;
}

/*
 * A heading at a level other than 2 that reads `ID: title` is no
 * requirement, yet its author meant one: say so, or it is lost without a
 * word (`### FR-A-003: ...` read as another FR's text, or as preamble).
 * With levels, the ID must be one some level's pattern takes.
 */
/* Implements: FR-FRS-001 */
static int warn_off_level(hw_diags *diags, const source *s,
			  const hw_frs_model *model, cmark_node *h)
{
	const char *text, *colon;
	char id[HW_FR_ID_MAX + 1];
	size_t n, idn;
	int err, second;

	heading_text(s, h, &text, &n);
	if (!(colon = memchr(text, ':', n)))
		return HW_OK;
	for (idn = (size_t)(colon - text); idn && text[idn - 1] == ' ';)
		idn--;
	if (!idn || idn > HW_FR_ID_MAX)
		return HW_OK;
	memcpy(id, text, idn);
	id[idn] = '\0';
	if (model && model->nlevels ? hw_frs_model_level(model, id, &second) < 0
				    : !hw_fr_id_valid(id))
		return HW_OK;
	DIAG(HW_DIAG_WARNING, cmark_node_get_start_line(h),
	     "%s is a level-%d heading, so it is read as text, not as a "
	     "requirement: a requirement is a level-2 heading ('## %s: "
	     "title')",
	     id, cmark_node_get_heading_level(h), id);
	return HW_OK;
}

/* Implements: FR-FRS-001, FR-FRS-002, FR-FRS-003 */
static int parse_fr(hw_fr_set *set, hw_diags *diags, const source *s,
		    cmark_node *heading, cmark_node **next)
{
	const hw_frs_model *model = set->model;
	cmark_node *node = cmark_node_next(heading), *body_first;
	long line = cmark_node_get_start_line(heading), body_last;
	const char *text, *colon, *title;
	size_t n, idn, tn, span = 0;
	hw_fr *fr;
	hw_buf norm;
	uint8_t digest[HW_SHA256_LEN];
	int err;

	/* the FR's blocks run to the next level-1/2 heading */
	*next = node;
	while (*next && !is_fr_boundary(*next))
		*next = cmark_node_next(*next);

	heading_text(s, heading, &text, &n);
	colon = memchr(text, ':', n);
	if (!colon) {
		DIAG(HW_DIAG_ERROR, line,
		     "FR heading must read 'ID: title', got '%.*s'",
		     (int)(n > 80 ? 80 : n), text);
		return HW_OK;
	}
	idn = (size_t)(colon - text);
	while (idn && text[idn - 1] == ' ')
		idn--;
	if (model && model->nlevels) {
		if (hw_req_id_len(text, idn) != idn || idn == 0) {
			DIAG(HW_DIAG_ERROR, line,
			     "malformed requirement id '%.*s': expected two "
			     "or more upper-case letters, '-', then letters, "
			     "digits, '-' or '_'",
			     (int)(idn > 60 ? 60 : idn), text);
			return HW_OK;
		}
	} else if (hw_fr_id_len(text, idn) != idn || idn == 0) {
		DIAG(HW_DIAG_ERROR, line,
		     "malformed FR id '%.*s': expected FR-<AREA>-<NNN> or "
		     "NFR-<AREA>-<NNN> (AREA upper-case letters, NNN three or "
		     "more digits)",
		     (int)(idn > 60 ? 60 : idn), text);
		return HW_OK;
	}
	if (idn > HW_FR_ID_MAX) {
		DIAG(HW_DIAG_ERROR, line,
		     "FR id '%.40s…' is %zu characters long: at most %d",
		     text, idn, HW_FR_ID_MAX);
		return HW_OK;
	}
	if (model && model->nlevels &&
	    (err = check_level(diags, s, model, set->level, line, text, idn)))
		return err < 0 ? err : HW_OK;
	title = colon + 1;
	tn = n - (size_t)(title - text);
	while (tn && (*title == ' ' || *title == '\t')) {
		title++;
		tn--;
	}

	if (!(fr = fr_push(set)))
		return hw_error_oom();
	fr->id = hw_strndup(text, idn);
	fr->title = hw_strndup(title, tn);
	fr->file = hw_strdup(s->file);
	fr->line = line;
	fr->rev = 1;
	fr->status = HW_FR_DRAFT;
	fr->needs = HW_NEED_IMPL | HW_NEED_UTEST;
	fr->level = set->level;
	if (!fr->id || !fr->title || !fr->file)
		return hw_error_oom();
	if (!tn)
		DIAG(HW_DIAG_ERROR, line, "%s: empty title", fr->id);

	body_first = node;
	if (is_metadata_paragraph(s, node)) {
		if ((err = parse_metadata(set, fr, diags, s, node)))
			return err;
		body_first = cmark_node_next(node);
	} else {
		DIAG(HW_DIAG_ERROR, line,
		     "%s: missing Status (draft, approved or deprecated); the "
		     "first paragraph after the heading must hold the "
		     "'Key: value' lines",
		     fr->id);
	}
	if (body_first == *next)
		body_first = NULL;

	body_last = *next ? cmark_node_get_start_line(*next) - 1 : s->nlines;
	hw_buf_init(&norm, 0);
	if (body_first) {
		fr->body_line = cmark_node_get_start_line(body_first);
		span = line_span(s, fr->body_line, body_last);
		/* one allocation for the text, not one per doubling */
		if ((err = hw_buf_reserve(&norm, span + 1)) ||
		    (err = append_normalised(&norm, s, fr->body_line,
					     body_last, 1)))
			goto cleanup;
		fr->body = hw_buf_detach(&norm);
		if (!fr->body) {
			err = hw_error_oom();
			goto cleanup;
		}
	}
	if (!fr->body || is_blank(fr->body, strlen(fr->body))) {
		free(fr->body);
		fr->body = hw_strdup("");
		fr->body_line = 0;
		if (!fr->body) {
			err = hw_error_oom();
			goto cleanup;
		}
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line, 0,
					"%s: the FR has no text", fr->id)))
			goto cleanup;
	}

	/* hash of the normalised title and text: what the FR means */
	if ((err = hw_buf_reserve(&norm, strlen(fr->title) + 2 + span + 1)) ||
	    (err = hw_buf_append(&norm, fr->title, strlen(fr->title))) ||
	    (err = hw_buf_puts(&norm, "\n\n")))
		goto cleanup;
	if (fr->body_line &&
	    (err = append_normalised(&norm, s, fr->body_line, body_last, 0)))
		goto cleanup;
	hw_sha256(digest, norm.data, norm.len);
	hw_hex(fr->sha256, digest, sizeof(digest));
cleanup:
	hw_buf_free(&norm);
	return err;
}

/* Implements: FR-FRS-006 */
static int check_content(hw_diags *diags, const source *s)
{
	const char *nul = memchr(s->text, '\0', s->len);
	size_t bad;
	long line, col;
	int err;

	if (s->len == 0) {
		DIAG(HW_DIAG_ERROR, 0, "empty FR document");
		return 1;
	}
	if (nul) {
		hw_text_position(s->text, s->len, (size_t)(nul - s->text),
				 &line, &col);
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line,
					col,
					"binary file: NUL byte; FR documents "
					"are UTF-8 Markdown")))
			return err;
		return 1;
	}
	if (!hw_utf8_valid(s->text, s->len, &bad)) {
		hw_text_position(s->text, s->len, bad, &line, &col);
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, s->file, line,
					col,
					"invalid UTF-8 (byte 0x%02x); FR "
					"documents must be UTF-8",
					(unsigned char)s->text[bad])))
			return err;
		return 1;
	}
	return 0;
}

/* Implements: FR-FRS-001 */
int hw_frs_parse(hw_fr_set *set, hw_diags *diags, const char *file,
		 const char *text, size_t len)
{
	source src = {file, text, len, NULL, 0}, *s = &src;
	cmark_node *doc = NULL, *node;
	int err, bad;

	/* a UTF-8 byte order mark is allowed and ignored */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		src.text += 3;
		src.len -= 3;
	}
	bad = check_content(diags, s);
	if (bad)
		return bad < 0 ? bad : HW_OK;
	if ((err = source_index(s)))
		return err;
	doc = cmark_parse_document(s->text, s->len, CMARK_OPT_DEFAULT);
	if (!doc) {
		err = hw_error_set(HW_ENOMEM, file, 0, 0,
				   "Markdown parser failed");
		goto cleanup;
	}
	for (node = cmark_node_first_child(doc); node;
	     node = cmark_node_next(node))
		if (cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(node) != 2 &&
		    (err = warn_off_level(diags, s, set->model, node)))
			goto cleanup;
	node = cmark_node_first_child(doc);
	while (node) {
		cmark_node *next;

		if (cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(node) == 2) {
			if ((err = parse_fr(set, diags, s, node, &next)))
				goto cleanup;
			node = next;
		} else {
			node = cmark_node_next(node);
		}
	}
cleanup:
	cmark_node_free(doc);
	free(src.starts);
	return err;
}

/* Reads and parses files[0..n) into set, in order. */
static int load_files(hw_fr_set *set, hw_diags *diags, char **files,
		      size_t n, size_t max_bytes)
{
	hw_buf b;
	int err = HW_OK;

	hw_buf_init(&b, max_bytes);
	for (size_t i = 0; i < n; i++) {
		err = hw_file_read(&b, files[i], max_bytes);
		if (err == HW_ENOMEM)
			break;
		if (err) {
			/* the message already names the file */
			if ((err = hw_diags_add_last_error(diags)))
				break;
			continue;
		}
		if ((err = hw_frs_parse(set, diags, files[i], b.data, b.len)))
			break;
		set->files++;
	}
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-FRS-008 */
int hw_frs_load(hw_fr_set *set, hw_diags *diags, const hw_frs_model *model,
		const char *frs_dir, size_t max_bytes)
{
	int err = HW_OK;

	set->model = model;
	set->level = 0;
	if (!model || !model->nlevels)
		err = hw_frs_load_dir(set, diags, frs_dir, max_bytes);
	for (size_t i = 0; !err && model && i < model->nlevels; i++) {
		set->level = (int)i;
		err = hw_frs_load_dir(set, diags, model->levels[i].dir,
				      max_bytes);
	}
	set->level = 0;
	return err ? err : hw_frs_index(set);
}

/* Implements: FR-FRS-006 */
int hw_frs_load_dir(hw_fr_set *set, hw_diags *diags, const char *dir,
		    size_t max_bytes)
{
	char **files = NULL;
	size_t count = 0;
	int err;

	if ((err = hw_dir_list(&files, &count, dir, ".md"))) {
		/* most often run outside the project (a subfolder of it) */
		if (err == HW_ENOTFOUND)
			hw_error_set(err, dir, 0, 0,
				     "no such directory (the FR folder: "
				     "'hwledger init' makes it; run hwledger "
				     "from the project's root, or with -C "
				     "DIR)");
		return err;
	}
	err = load_files(set, diags, files, count, max_bytes);
	hw_strv_free(files);
	return err;
}
