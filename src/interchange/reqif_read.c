/*
 * reqif_read.c — reading a ReqIF file (any tool's) into imported
 * requirements: datatypes, attribute definitions, SPEC-OBJECTs with their
 * values (XHTML as Markdown, enumerations as labels), SPEC-RELATIONs and the
 * SPECIFICATIONs' order. specs/interchange.md says what maps onto what and
 * what is dropped.
 */
#include "interchange/interchange.h"
#include "util/xml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX 72 /* above hw_xml's nesting cap */

typedef enum { K_STRING, K_XHTML, K_INTEGER, K_REAL, K_BOOLEAN, K_DATE,
	       K_ENUM, K_NONE } kind;

static const char *const kind_names[] = {"STRING", "XHTML", "INTEGER",
					 "REAL", "BOOLEAN", "DATE",
					 "ENUMERATION"};

static kind kind_of(const char *suffix)
{
	for (int k = 0; k < K_NONE; k++)
		if (strcmp(suffix, kind_names[k]) == 0)
			return (kind)k;
	return K_NONE;
}

/* Something with an IDENTIFIER: datatypes, enum values, attribute
 * definitions, relation types, objects. Sorted by ident for lookups. */
typedef struct named {
	char *ident;
	char *name;     /* LONG-NAME (enum values: the label) */
	char *ref;      /* attribute definition: its datatype's IDENTIFIER */
	kind k;
	long line;
	size_t order;   /* objects: position in SPEC-OBJECTS */
} named;

typedef struct value {
	char *def;      /* ATTRIBUTE-DEFINITION-*-REF */
	kind k;
	char *text;     /* THE-VALUE, Markdown for XHTML, labels for enums */
	char **refs;    /* ENUM-VALUE-REFs */
	size_t nrefs;
} value;

typedef struct object {
	named n;
	value *values;
	size_t nvalues, cap;
	int used;       /* placed by a hierarchy already */
	char *id;       /* the mapped requirement ID, NULL when dropped */
} object;

typedef struct relation {
	char *type, *src, *dst;
	long line;
} relation;

typedef struct list {
	void *items;
	size_t n, cap;
} list;

/* The XHTML → Markdown state of one ATTRIBUTE-VALUE-XHTML. */
typedef struct md {
	hw_buf out;
	int base;         /* the depth of THE-VALUE */
	int pre, code;    /* inside <pre>, inside inline <code> */
	int quote;        /* blockquote depth */
	int lists[16];    /* per list depth: 0 bullet, else next number */
	int nlists;
	int cells, first_row_cells, rows;
	int space;        /* white space is pending: 1 a space, 2 a newline */
	int heading;      /* inside <h1>..<h6>: one line */
	char *href[16];
	int nhref;
	int objects, scripts;
} md;

typedef struct rd {
	hw_xml x;
	const char *file;
	char stack[STACK_MAX][40];
	int depth;
	list datatypes, enums, defs, reltypes, objects, relations, order;
	named *cur_type, *cur_def, *cur_enum;
	object *cur_obj;
	value *cur_val;
	relation *cur_rel;
	int in_default, in_tool, in_xhtml, in_original;
	hw_buf text;        /* the text of the current leaf element */
	md m;
	char *title;        /* REQ-IF-HEADER TITLE */
	size_t objects_dropped_script;
} rd;

/* ---- small helpers ---- */

static const char *local(const char *el)
{
	const char *c = strrchr(el, ':');

	return c ? c + 1 : el;
}

static const char *up(const rd *r, int n)
{
	return r->depth - 1 - n >= 0 ? r->stack[r->depth - 1 - n] : "";
}

static void *push(rd *r, list *l, size_t size)
{
	char *p;

	if (hw_array_grow(&l->items, &l->cap, l->n, size, 16)) {
		hw_xml_stop(&r->x, HW_ENOMEM);
		return NULL;
	}
	p = (char *)l->items + l->n++ * size;
	memset(p, 0, size);
	return p;
}

static char *dup_or_fail(rd *r, const char *s)
{
	char *d = s ? hw_strdup(s) : NULL;

	if (s && !d)
		hw_xml_stop(&r->x, hw_error_oom());
	return d;
}

/* Fills an identifiable: IDENTIFIER is required. */
static int identify(rd *r, named *n, const char **atts, const char *what)
{
	const char *id = hw_xml_attr(atts, "IDENTIFIER");

	n->line = hw_xml_line(&r->x);
	if (!id || !*id) {
		hw_xml_fail(&r->x, "%s without IDENTIFIER", what);
		return -1;
	}
	n->ident = dup_or_fail(r, id);
	n->name = dup_or_fail(r, hw_xml_attr(atts, "LONG-NAME"));
	return r->x.err;
}

/* ---- XHTML → Markdown ---- */

static void md_put(rd *r, const char *s, size_t n)
{
	if (hw_buf_append(&r->m.out, s, n))
		hw_xml_stop(&r->x, HW_ENOMEM);
}

static int md_at_line_start(const md *m)
{
	return !m->out.len || m->out.data[m->out.len - 1] == '\n';
}

/* The indentation of a continuation inside the current list item. */
static void md_indent(rd *r)
{
	for (int i = 0; i < r->m.quote; i++)
		md_put(r, "> ", 2);
	for (int i = 1; i < r->m.nlists; i++)
		md_put(r, "   ", 3);
}

/* Ends the current block: a blank line (one newline between list items
 * and table rows). */
static void md_block(rd *r, int tight)
{
	md *m = &r->m;

	m->space = 0;
	while (m->out.len && m->out.data[m->out.len - 1] == ' ')
		m->out.len--;
	if (!m->out.len)
		return;
	m->out.data[m->out.len] = '\0';
	if (m->out.data[m->out.len - 1] != '\n')
		md_put(r, "\n", 1);
	if (!tight && !(m->out.len >= 2 && m->out.data[m->out.len - 2] == '\n'))
		md_put(r, "\n", 1);
}

/* Writes the pending white space, then the indentation a new line needs. */
static void md_space(rd *r)
{
	md *m = &r->m;

	if (m->space && !md_at_line_start(m) &&
	    m->out.data[m->out.len - 1] != ' ') {
		while (m->space == 2 && m->out.len &&
		       m->out.data[m->out.len - 1] == ' ')
			m->out.len--;
		md_put(r, m->space == 2 ? "\n" : " ", 1);
	}
	m->space = 0;
	if (md_at_line_start(m))
		md_indent(r);
}

/* Text outside <pre>: whitespace collapses, Markdown's punctuation is
 * escaped, so the text reads as the same text and never as markup. */
static void md_text(rd *r, const char *s, size_t n)
{
	md *m = &r->m;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (m->pre) {
			md_put(r, (const char *)&s[i], 1);
			continue;
		}
		if (isspace(c)) {
			/* a newline stays one (a soft break, as the XHTML
			 * of Markdown writes them) but in one-line places */
			if (c == '\n' && !m->heading && !m->cells)
				m->space = 2;
			else if (!m->space)
				m->space = 1;
			continue;
		}
		md_space(r);
		if (!m->code && (strchr("\\`*_[]<>&|", c) ||
				 (strchr("#-+=", c) && md_at_line_start(m))))
			md_put(r, "\\", 1);
		md_put(r, (const char *)&s[i], 1);
	}
}

static void md_mark(rd *r, const char *s)
{
	md_space(r);
	md_put(r, s, strlen(s));
}

static int is_el(const char *el, const char *name)
{
	return strcmp(el, name) == 0;
}

static void md_start(rd *r, const char *el, const char **atts)
{
	md *m = &r->m;

	if (is_el(el, "p") || is_el(el, "div")) {
		if (m->cells)
			md_text(r, " ", 1);
		else if (!m->nlists)
			md_block(r, 0);
	} else if (el[0] == 'h' && el[1] >= '1' && el[1] <= '6' && !el[2]) {
		/* a requirement's text holds level 3 and lower: a level-2
		 * heading would start another requirement */
		int level = el[1] - '0' < 3 ? 3 : el[1] - '0';
		char hashes[8] = "######";

		hashes[level] = '\0';
		md_block(r, 0);
		m->heading = 1;
		md_mark(r, hashes);
		md_put(r, " ", 1);
	} else if (is_el(el, "br")) {
		if (!m->pre && !m->cells && !md_at_line_start(m))
			md_put(r, "\\\n", 2);
	} else if (is_el(el, "strong") || is_el(el, "b")) {
		md_mark(r, "**");
	} else if (is_el(el, "em") || is_el(el, "i")) {
		md_mark(r, "*");
	} else if (is_el(el, "code") && !m->pre) {
		md_mark(r, "`");
		m->code++;
	} else if (is_el(el, "pre")) {
		md_block(r, 0);
		md_mark(r, "```\n");
		m->pre++;
	} else if (is_el(el, "ul") || is_el(el, "ol")) {
		md_block(r, m->nlists > 0);
		if (m->nlists < 16)
			m->lists[m->nlists] = is_el(el, "ol");
		m->nlists++;
	} else if (is_el(el, "li")) {
		char bullet[16];
		int d = m->nlists > 16 ? 15 : m->nlists - 1;

		md_block(r, 1);
		if (d >= 0 && m->lists[d])
			snprintf(bullet, sizeof(bullet), "%d. ", m->lists[d]++);
		else
			snprintf(bullet, sizeof(bullet), "- ");
		md_indent(r);
		/* md_indent indented one level less: the marker's own */
		md_put(r, bullet, strlen(bullet));
	} else if (is_el(el, "blockquote")) {
		md_block(r, 0);
		m->quote++;
	} else if (is_el(el, "a")) {
		const char *h = hw_xml_attr(atts, "href");

		md_mark(r, "[");
		if (m->nhref < 16)
			m->href[m->nhref] = h ? hw_strdup(h) : NULL;
		m->nhref++;
	} else if (is_el(el, "table")) {
		md_block(r, 0);
		m->rows = 0;
	} else if (is_el(el, "tr")) {
		md_block(r, 1);
		m->cells = 0;
	} else if (is_el(el, "td") || is_el(el, "th")) {
		md_mark(r, m->cells ? " | " : "| ");
		m->cells++;
	} else if (is_el(el, "object")) {
		m->objects++;
	} else if (is_el(el, "script") || is_el(el, "style")) {
		/* kept as text, never as markup */
		m->scripts++;
		md_text(r, "<", 1);
		md_text(r, el, strlen(el));
		md_text(r, ">", 1);
	}
}

static void md_end(rd *r, const char *el)
{
	md *m = &r->m;

	if (is_el(el, "p") || is_el(el, "div")) {
		if (!m->cells && !m->nlists)
			md_block(r, 0);
	} else if (el[0] == 'h' && el[1] >= '1' && el[1] <= '6' && !el[2]) {
		m->heading = 0;
		md_block(r, 0);
	} else if (is_el(el, "strong") || is_el(el, "b")) {
		md_put(r, "**", 2);
	} else if (is_el(el, "em") || is_el(el, "i")) {
		md_put(r, "*", 1);
	} else if (is_el(el, "code") && !m->pre) {
		md_put(r, "`", 1);
		m->code--;
	} else if (is_el(el, "pre")) {
		if (!md_at_line_start(m))
			md_put(r, "\n", 1);
		md_indent(r);
		md_put(r, "```", 3);
		m->pre--;
		md_block(r, 0);
	} else if (is_el(el, "ul") || is_el(el, "ol")) {
		m->nlists--;
		md_block(r, m->nlists > 0);
	} else if (is_el(el, "blockquote")) {
		md_block(r, 0);
		m->quote--;
	} else if (is_el(el, "a")) {
		m->nhref--;
		if (m->nhref < 16) {
			const char *h = m->href[m->nhref];

			md_put(r, "](", 2);
			for (; h && *h; h++) {
				if (strchr("()<> \\", *h))
					md_put(r, "\\", 1);
				md_put(r, h, 1);
			}
			md_put(r, ")", 1);
			free(m->href[m->nhref]);
			m->href[m->nhref] = NULL;
		}
	} else if (is_el(el, "tr")) {
		md_put(r, " |", 2);
		if (m->rows++ == 0) {
			md_put(r, "\n", 1);
			md_indent(r);
			md_put(r, "|", 1);
			for (int i = 0; i < m->cells; i++)
				md_put(r, " --- |", 6);
		}
		md_block(r, 1);
		m->cells = 0;
	} else if (is_el(el, "table")) {
		md_block(r, 0);
	} else if (is_el(el, "script") || is_el(el, "style")) {
		md_text(r, "</", 2);
		md_text(r, el, strlen(el));
		md_text(r, ">", 1);
	}
}

/* The Markdown of the finished value, trimmed; the state is reset. */
static char *md_finish(rd *r)
{
	md *m = &r->m;
	char *s;

	while (m->out.len && isspace((unsigned char)m->out.data[m->out.len - 1]))
		m->out.len--;
	if (m->out.data)
		m->out.data[m->out.len] = '\0';
	s = hw_strdup(m->out.data ? m->out.data : "");
	if (!s)
		hw_xml_stop(&r->x, hw_error_oom());
	for (int i = 0; i < m->nhref && i < 16; i++)
		free(m->href[i]);
	hw_buf_clear(&m->out);
	{
		hw_buf keep = m->out;
		int objects = m->objects, scripts = m->scripts;

		memset(m, 0, sizeof(*m));
		m->out = keep;
		m->objects = objects;
		m->scripts = scripts;
	}
	return s;
}

/* ---- the ReqIF structure ---- */

static void on_start(hw_xml *x, const char *qel, const char **atts)
{
	rd *r = x->ud;
	const char *el = local(qel), *parent = up(r, 0);

	if (r->in_xhtml) {
		r->depth++;
		if (!r->in_original)
			md_start(r, el, atts);
		return;
	}
	if (r->depth < STACK_MAX)
		snprintf(r->stack[r->depth], sizeof(r->stack[0]), "%s", el);
	r->depth++;
	hw_buf_clear(&r->text);
	if (r->in_tool || r->in_default)
		return;
	if (is_el(el, "TOOL-EXTENSIONS")) {
		r->in_tool = r->depth;
	} else if (is_el(el, "DEFAULT-VALUE")) {
		r->in_default = r->depth;
	} else if (is_el(parent, "DATATYPES")) {
		named *d;

		if (!hw_str_startswith(el, "DATATYPE-DEFINITION-") ||
		    kind_of(el + 20) == K_NONE) {
			hw_xml_fail(x, "unknown datatype %s", el);
			return;
		}
		if (!(d = push(r, &r->datatypes, sizeof(*d))))
			return;
		d->k = kind_of(el + 20);
		identify(r, d, atts, el);
	} else if (is_el(el, "ENUM-VALUE") &&
		   is_el(parent, "SPECIFIED-VALUES")) {
		named *e = push(r, &r->enums, sizeof(*e));

		if (e && !identify(r, e, atts, el))
			r->cur_enum = e;
	} else if (is_el(el, "EMBEDDED-VALUE") && r->cur_enum &&
		   !r->cur_enum->name) {
		r->cur_enum->name =
			dup_or_fail(r, hw_xml_attr(atts, "OTHER-CONTENT"));
	} else if (is_el(parent, "SPEC-ATTRIBUTES")) {
		named *d;

		if (!hw_str_startswith(el, "ATTRIBUTE-DEFINITION-") ||
		    kind_of(el + 21) == K_NONE) {
			hw_xml_fail(x, "unknown attribute definition %s", el);
			return;
		}
		if (!(d = push(r, &r->defs, sizeof(*d))))
			return;
		d->k = kind_of(el + 21);
		if (!identify(r, d, atts, el))
			r->cur_def = d;
	} else if (is_el(el, "SPEC-RELATION-TYPE")) {
		named *t = push(r, &r->reltypes, sizeof(*t));

		if (t)
			identify(r, t, atts, el);
	} else if (is_el(el, "SPEC-OBJECT") && is_el(parent, "SPEC-OBJECTS")) {
		object *o = push(r, &r->objects, sizeof(*o));

		if (o && !identify(r, &o->n, atts, el)) {
			o->n.order = r->objects.n - 1;
			r->cur_obj = o;
		}
	} else if (hw_str_startswith(el, "ATTRIBUTE-VALUE-") && r->cur_obj &&
		   is_el(parent, "VALUES")) {
		object *o = r->cur_obj;
		value *v;

		if (kind_of(el + 16) == K_NONE) {
			hw_xml_fail(x, "unknown attribute value %s", el);
			return;
		}
		if (HW_ARRAY_GROW(o->values, o->nvalues, o->cap)) {
			hw_xml_stop(x, HW_ENOMEM);
			return;
		}
		v = &o->values[o->nvalues++];
		memset(v, 0, sizeof(*v));
		v->k = kind_of(el + 16);
		v->text = dup_or_fail(r, hw_xml_attr(atts, "THE-VALUE"));
		r->cur_val = v;
	} else if ((is_el(el, "THE-VALUE") || is_el(el, "THE-ORIGINAL-VALUE")) &&
		   r->cur_val && r->cur_val->k == K_XHTML) {
		r->in_xhtml = r->depth;
		r->in_original = is_el(el, "THE-ORIGINAL-VALUE");
		if (!r->in_original)
			hw_buf_clear(&r->m.out);
	} else if (is_el(el, "SPEC-RELATION") &&
		   is_el(parent, "SPEC-RELATIONS")) {
		relation *rel = push(r, &r->relations, sizeof(*rel));

		if (rel) {
			rel->line = hw_xml_line(x);
			r->cur_rel = rel;
		}
	}
}

/* The text of a leaf element that names something (a *-REF, TITLE). */
static void on_leaf(rd *r, const char *el)
{
	const char *parent = up(r, 1);
	char *t;

	if (!hw_str_endswith(el, "-REF") && !is_el(el, "TITLE"))
		return;
	/* trim: pretty-printed files indent references */
	while (r->text.len && isspace((unsigned char)r->text.data[r->text.len - 1]))
		r->text.len--;
	if (r->text.data)
		r->text.data[r->text.len] = '\0';
	t = r->text.data ? r->text.data : "";
	while (isspace((unsigned char)*t))
		t++;
	if (is_el(el, "TITLE") && is_el(parent, "REQ-IF-HEADER")) {
		free(r->title);
		r->title = dup_or_fail(r, t);
	} else if (hw_str_startswith(el, "DATATYPE-DEFINITION-") &&
		   r->cur_def && !r->cur_def->ref) {
		r->cur_def->ref = dup_or_fail(r, t);
	} else if (hw_str_startswith(el, "ATTRIBUTE-DEFINITION-") &&
		   r->cur_val && !r->cur_val->def) {
		r->cur_val->def = dup_or_fail(r, t);
	} else if (is_el(el, "ENUM-VALUE-REF") && r->cur_val) {
		if (hw_imp_push(&r->cur_val->refs, &r->cur_val->nrefs, t))
			hw_xml_stop(&r->x, HW_ENOMEM);
	} else if (is_el(el, "SPEC-OBJECT-REF") && r->cur_rel) {
		char **slot = is_el(parent, "SOURCE")   ? &r->cur_rel->src
			      : is_el(parent, "TARGET") ? &r->cur_rel->dst
							: NULL;
		if (slot && !*slot)
			*slot = dup_or_fail(r, t);
	} else if (is_el(el, "SPEC-RELATION-TYPE-REF") && r->cur_rel &&
		   !r->cur_rel->type) {
		r->cur_rel->type = dup_or_fail(r, t);
	} else if (is_el(el, "SPEC-OBJECT-REF") && is_el(parent, "OBJECT")) {
		relation *h = push(r, &r->order, sizeof(*h));

		if (h) {
			h->line = hw_xml_line(&r->x);
			h->src = dup_or_fail(r, t);
		}
	}
}

static void on_end(hw_xml *x, const char *qel)
{
	rd *r = x->ud;
	const char *el = local(qel);

	if (r->in_xhtml && r->depth > r->in_xhtml) {
		if (!r->in_original)
			md_end(r, el);
		r->depth--;
		return;
	}
	if (r->in_xhtml) { /* THE-VALUE itself */
		if (!r->in_original && r->cur_val) {
			free(r->cur_val->text);
			r->cur_val->text = md_finish(r);
		}
		r->in_xhtml = 0;
		r->in_original = 0;
	} else if (!r->in_tool && !r->in_default) {
		on_leaf(r, el);
		if (is_el(el, "SPEC-OBJECT"))
			r->cur_obj = NULL;
		else if (hw_str_startswith(el, "ATTRIBUTE-VALUE-"))
			r->cur_val = NULL;
		else if (is_el(el, "SPEC-RELATION"))
			r->cur_rel = NULL;
		else if (is_el(el, "ENUM-VALUE"))
			r->cur_enum = NULL;
		else if (hw_str_startswith(el, "ATTRIBUTE-DEFINITION-") &&
			 !hw_str_endswith(el, "-REF"))
			r->cur_def = NULL;
	}
	if (r->in_tool == r->depth)
		r->in_tool = 0;
	if (r->in_default == r->depth)
		r->in_default = 0;
	r->depth--;
	hw_buf_clear(&r->text);
}

static void on_text(hw_xml *x, const char *s, size_t len)
{
	rd *r = x->ud;

	if (r->in_xhtml) {
		if (!r->in_original)
			md_text(r, s, len);
		return;
	}
	if (hw_buf_append(&r->text, s, len))
		hw_xml_stop(x, HW_ENOMEM);
}

/* ---- after the parse: resolve, map, check ---- */

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const named *)a)->ident, ((const named *)b)->ident);
}

static named *find(const list *l, size_t size, const char *ident)
{
	named key = {0};

	if (!ident || !l->n)
		return NULL;
	key.ident = (char *)ident;
	return bsearch(&key, l->items, l->n, size, named_cmp);
}

/* Sorts l by IDENTIFIER; a duplicate is an error at the later one. */
static int sort_unique(rd *r, list *l, size_t size, const char *what,
		       hw_diags *diags)
{
	if (l->n)
		qsort(l->items, l->n, size, named_cmp);
	for (size_t i = 1; i < l->n; i++) {
		const named *a = (named *)((char *)l->items + (i - 1) * size);
		const named *b = (named *)((char *)l->items + i * size);

		if (strcmp(a->ident, b->ident) == 0 &&
		    hw_diags_add(diags, HW_DIAG_ERROR, r->file,
				 a->line > b->line ? a->line : b->line, 0,
				 "duplicate IDENTIFIER '%s' of a %s (also at "
				 "line %ld)",
				 a->ident, what,
				 a->line > b->line ? b->line : a->line))
			return HW_ENOMEM;
	}
	return 0;
}

static int name_is(const char *name, const char *want, const char *const *dflt)
{
	if (!name)
		return 0;
	if (want)
		return strcmp(name, want) == 0;
	for (; *dflt; dflt++)
		if (strcmp(name, *dflt) == 0)
			return 1;
	return 0;
}

static const char *const ID_NAMES[] = {"ReqIF.ForeignID", "ID", NULL};
static const char *const TITLE_NAMES[] = {"ReqIF.Name", "ReqIF.ChapterName",
					  "Title", NULL};
static const char *const TEXT_NAMES[] = {"ReqIF.Text", "Text",
					 "ReqIF.Description", NULL};
static const char *const STATUS_NAMES[] = {"Status", NULL};
static const char *const REV_NAMES[] = {"Rev", NULL};
static const char *const OTHER_NAMES[] = {"Level", "Needs", "Depends",
					  "Derived", "Rationale", NULL};

typedef struct summary {
	hw_diags *diags;
	const char *file;
	hw_buf dropped_attrs;   /* ", "-joined names */
	size_t no_id, rewritten, headings, bad_status, other_rels, to_heading;
	size_t undefined_values, missing_refs, no_text;
	char *rewrite_example, *status_example;
} summary;

/* A single line: runs of white space become one space. */
static char *one_line(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;
	int space = 0;

	if (!o)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = q > o;
			continue;
		}
		if (space)
			*q++ = ' ';
		space = 0;
		*q++ = *s;
	}
	*q = '\0';
	return o;
}

static int attr_declared(const hw_frs_model *decl, const char *name)
{
	for (size_t a = 0; decl && a < decl->nattrs; a++)
		if (strcmp(decl->attrs[a].name, name) == 0)
			return 1;
	return 0;
}

/* Resolves each value's definition and enumeration labels. A value of an
 * attribute definition the file lacks (partial exports have them) is
 * dropped and counted. */
static int resolve_values(rd *r, object *o, hw_diags *diags, summary *sum)
{
	for (size_t i = 0; i < o->nvalues; i++) {
		value *v = &o->values[i];
		hw_buf b;

		if (!find(&r->defs, sizeof(named), v->def)) {
			v->k = K_NONE;
			sum->undefined_values++;
			continue;
		}
		if (v->k != K_ENUM)
			continue;
		hw_buf_init(&b, 0);
		for (size_t k = 0; k < v->nrefs; k++) {
			const named *e = find(&r->enums, sizeof(named),
					      v->refs[k]);

			if (!e) {
				hw_buf_free(&b);
				return hw_diags_add(diags, HW_DIAG_ERROR,
						    r->file, o->n.line, 0,
						    "SPEC-OBJECT '%s': enum "
						    "value '%s' does not exist",
						    o->n.ident, v->refs[k]);
			}
			if (hw_buf_printf(&b, "%s%s", k ? ", " : "",
					  e->name ? e->name : e->ident))
				return HW_ENOMEM;
		}
		free(v->text);
		v->text = b.data ? hw_buf_detach(&b) : hw_strdup("");
		HW_CHECK_ALLOC(v->text);
	}
	return 0;
}

/* Builds the requirement of object o, or drops it (a heading). */
static int map_object(rd *r, hw_imp_set *s, size_t out, object *o,
		      const hw_imp_map *map, const hw_frs_model *decl,
		      summary *sum)
{
	const char *id = NULL, *title = NULL, *text = NULL, *status = NULL,
		   *rev = NULL;
	hw_imp_req *q;
	char *rid, *t1, *t2;
	int changed, err;

	for (size_t i = 0; i < o->nvalues; i++) {
		const value *v = &o->values[i];
		const named *d = find(&r->defs, sizeof(named), v->def);
		const char *name = d ? (d->name ? d->name : d->ident) : "";
		const char *t = v->text ? v->text : "";

		if (v->k == K_NONE)
			continue;
		if (name_is(name, map->id, ID_NAMES))
			id = id ? id : t;
		else if (name_is(name, map->title, TITLE_NAMES))
			title = title && *title ? title : t;
		else if (name_is(name, map->text, TEXT_NAMES))
			text = text ? text : t;
		else if (name_is(name, map->status, STATUS_NAMES))
			status = t;
		else if (name_is(name, map->rev, REV_NAMES))
			rev = t;
		else if (!name_is(name, NULL, OTHER_NAMES) &&
			 !attr_declared(decl, name) && *t &&
			 hw_imp_note(&sum->dropped_attrs, name, strlen(name)))
			return HW_ENOMEM;
	}
	if (map->id && strcmp(map->id, "IDENTIFIER") == 0)
		id = o->n.ident;
	/* a chapter heading: a title and nothing else */
	if ((!id || !*id) && (!text || !*text) && title && *title) {
		sum->headings++;
		return 0;
	}
	if (!text || !*text)
		sum->no_text++;
	if (!id || !*id) {
		sum->no_id++;
		id = o->n.ident;
	}
	rid = hw_imp_id(id, &changed);
	if (!rid)
		return hw_diags_add(sum->diags, HW_DIAG_ERROR, r->file,
				    o->n.line, 0,
				    "SPEC-OBJECT '%s': ID '%s' cannot be made "
				    "a requirement ID",
				    o->n.ident, id);
	if (changed && !sum->rewritten++)
		sum->rewrite_example = hw_strdup(id);
	t1 = one_line(title && *title ? title : o->n.name ? o->n.name : rid);
	/* a STRING text is Markdown as far as hwledger can tell: its level
	 * 1-2 headings must not end the requirement (XHTML's never do) */
	t2 = hw_imp_text(text ? text : "");
	err = t1 && t2 ? hw_imp_add(s, &q, out, rid, *t1 ? t1 : rid,
				    *t2 ? t2 : "(imported without text)",
				    r->file, o->n.line)
		       : hw_error_oom();
	free(t1);
	free(t2);
	o->id = rid;
	if (err)
		return err;
	if (status) {
		const char *st = hw_imp_status(status);

		if (!st && !sum->bad_status++)
			sum->status_example = hw_strdup(status);
		free(q->status);
		HW_CHECK_ALLOC(q->status = hw_strdup(st ? st : "draft"));
	}
	if (rev) {
		char *end;
		long v = strtol(rev, &end, 10);

		/* a revision that is no positive number keeps Rev 1 */
		if (end != rev && !*end && v >= 1 && v <= 1000000000L)
			q->rev = (int)v;
	}
	for (size_t i = 0; i < o->nvalues; i++) {
		const value *v = &o->values[i];
		const named *d = find(&r->defs, sizeof(named), v->def);
		const char *name = d ? (d->name ? d->name : d->ident) : "";
		const char *t = v->text ? v->text : "";

		if (v->k == K_NONE || !*t)
			continue;
		if (strcmp(name, "Needs") == 0 && !q->needs)
			HW_CHECK_ALLOC(q->needs = hw_strdup(t));
		else if (strcmp(name, "Derived") == 0)
			q->derived = strcmp(t, "yes") == 0;
		else if (strcmp(name, "Rationale") == 0 && !q->rationale)
			HW_CHECK_ALLOC(q->rationale = one_line(t));
		else if (strcmp(name, "Depends") == 0) {
			char *copy = hw_strdup(t), *save = NULL;

			HW_CHECK_ALLOC(copy);
			/* each as a requirement ID, as the objects' IDs are */
			for (char *tok = strtok_r(copy, ", ", &save); tok && !err;
			     tok = strtok_r(NULL, ", ", &save)) {
				int rewritten;
				char *dep = hw_imp_id(tok, &rewritten);

				if (dep)
					err = hw_imp_push(&q->depends,
							  &q->ndepends, dep);
				free(dep);
			}
			if (err) {
				free(copy);
				return err;
			}
			free(copy);
		} else if (attr_declared(decl, name) &&
			   !name_is(name, map->id, ID_NAMES)) {
			char *line = one_line(t);

			HW_CHECK_ALLOC(line);
			err = hw_imp_push(&q->attr_names, &q->nattrs, name);
			q->nattrs--;
			if (!err)
				err = hw_imp_push(&q->attr_values, &q->nattrs,
						  line);
			free(line);
			if (err)
				return err;
		}
	}
	return 0;
}

static int order_cmp(const void *a, const void *b)
{
	const object *x = *(object *const *)a, *y = *(object *const *)b;

	return x->n.order < y->n.order ? -1 : x->n.order > y->n.order;
}

/* The Parent links: SPEC-RELATIONs of the map's type ("Parent" by
 * default) from the child (SOURCE) to the parent (TARGET). */
static int link_parents(rd *r, hw_imp_set *s, const hw_imp_map *map,
			hw_diags *diags, summary *sum)
{
	const char *want = map->parent ? map->parent : "Parent";

	for (size_t i = 0; i < r->relations.n; i++) {
		const relation *rel = (relation *)r->relations.items + i;
		const object *a = (object *)find(&r->objects, sizeof(object),
						 rel->src);
		const object *b = (object *)find(&r->objects, sizeof(object),
						 rel->dst);
		const named *t = find(&r->reltypes, sizeof(named), rel->type);

		if (!t || !t->name || strcmp(t->name, want) != 0) {
			sum->other_rels++;
			continue;
		}
		if (!a || !b) {
			const char *miss = !a ? rel->src : rel->dst;

			if (hw_diags_add(diags, HW_DIAG_ERROR, r->file,
					 rel->line, 0,
					 "SPEC-RELATION %s SPEC-OBJECT '%s', "
					 "which does not exist",
					 !a ? "from" : "to", miss ? miss : ""))
				return HW_ENOMEM;
			continue;
		}
		if (!a->id || !b->id) {
			sum->to_heading++;
			continue;
		}
		for (size_t k = 0; k < s->n; k++)
			if (strcmp(s->items[k].id, a->id) == 0) {
				if (hw_imp_push(&s->items[k].parents,
						&s->items[k].nparents, b->id))
					return HW_ENOMEM;
				break;
			}
	}
	return 0;
}

static int warn_summary(summary *sum)
{
	hw_diags *d = sum->diags;
	int err = 0;

	if (sum->dropped_attrs.len)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "attributes not imported (declare them in "
				   "the config's \"attributes\" to keep "
				   "them): %s",
				   sum->dropped_attrs.data);
	if (!err && sum->headings)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu SPEC-OBJECTs with a title only "
				   "(headings) not imported",
				   sum->headings);
	if (!err && sum->no_id)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu SPEC-OBJECTs without an ID value: "
				   "their IDENTIFIER is the ID",
				   sum->no_id);
	if (!err && sum->rewritten)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu IDs rewritten as requirement IDs "
				   "(such as '%s')",
				   sum->rewritten,
				   sum->rewrite_example ? sum->rewrite_example
							: "");
	if (!err && sum->bad_status)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu unknown status values (such as '%s') "
				   "imported as draft",
				   sum->bad_status,
				   sum->status_example ? sum->status_example
						       : "");
	if (!err && sum->other_rels)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu SPEC-RELATIONs of other types than "
				   "the Parent links not imported",
				   sum->other_rels);
	if (!err && sum->undefined_values)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu values of attribute definitions the "
				   "file lacks not imported",
				   sum->undefined_values);
	if (!err && sum->missing_refs)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu SPEC-HIERARCHY entries name "
				   "SPEC-OBJECTs the file lacks: skipped",
				   sum->missing_refs);
	if (!err && sum->no_text)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu requirements without text (the map's "
				   "\"text\" names the attribute)",
				   sum->no_text);
	if (!err && sum->to_heading)
		err = hw_diags_add(d, HW_DIAG_WARNING, sum->file, 0, 0,
				   "%zu Parent links from or to headings not "
				   "imported",
				   sum->to_heading);
	return err;
}

static void free_named(named *n)
{
	free(n->ident);
	free(n->name);
	free(n->ref);
}

static void rd_free(rd *r)
{
	named *lists[] = {r->datatypes.items, r->enums.items, r->defs.items,
			  r->reltypes.items};
	size_t counts[] = {r->datatypes.n, r->enums.n, r->defs.n,
			   r->reltypes.n};

	for (size_t l = 0; l < 4; l++) {
		for (size_t i = 0; i < counts[l]; i++)
			free_named(&lists[l][i]);
		free(lists[l]);
	}
	for (size_t i = 0; i < r->objects.n; i++) {
		object *o = (object *)r->objects.items + i;

		free_named(&o->n);
		for (size_t v = 0; v < o->nvalues; v++) {
			free(o->values[v].def);
			free(o->values[v].text);
			for (size_t k = 0; k < o->values[v].nrefs; k++)
				free(o->values[v].refs[k]);
			free(o->values[v].refs);
		}
		free(o->values);
		free(o->id);
	}
	free(r->objects.items);
	for (size_t l = 0; l < 2; l++) {
		list *rl = l ? &r->order : &r->relations;

		for (size_t i = 0; i < rl->n; i++) {
			relation *rel = (relation *)rl->items + i;

			free(rel->type);
			free(rel->src);
			free(rel->dst);
		}
		free(rl->items);
	}
	for (int i = 0; i < r->m.nhref && i < 16; i++)
		free(r->m.href[i]);
	hw_buf_free(&r->m.out);
	hw_buf_free(&r->text);
	free(r->title);
}

static int map_all(rd *r, hw_imp_set *s, hw_diags *diags,
		   const hw_imp_map *map, const hw_frs_model *decl,
		   const char *stem, summary *sum)
{
	object **rest;
	size_t out;
	int err;

	if ((err = sort_unique(r, &r->objects, sizeof(object), "SPEC-OBJECT",
			       diags)) ||
	    (err = sort_unique(r, &r->defs, sizeof(named),
			       "attribute definition", diags)) ||
	    (err = sort_unique(r, &r->enums, sizeof(named), "enum value",
			       diags)) ||
	    (err = sort_unique(r, &r->reltypes, sizeof(named),
			       "relation type", diags)))
		return err;
	if (map->id && strcmp(map->id, "IDENTIFIER") != 0) {
		size_t i = 0;

		while (i < r->defs.n &&
		       !name_is(((named *)r->defs.items)[i].name, map->id, NULL))
			i++;
		if (i == r->defs.n &&
		    (err = hw_diags_add(diags, HW_DIAG_ERROR, r->file, 1, 0,
					"the map's ID attribute '%s' is no "
					"attribute definition of this file",
					map->id)))
			return err;
	}
	for (size_t i = 0; i < r->objects.n && !err; i++)
		err = resolve_values(r, (object *)r->objects.items + i, diags,
				     sum);
	if (err || diags->errors)
		return err;
	if ((err = hw_imp_out(s, stem, r->title, &out)))
		return err;
	/* the SPECIFICATIONs' order first, then objects no hierarchy holds */
	for (size_t i = 0; i < r->order.n && !err; i++) {
		const relation *h = (relation *)r->order.items + i;
		object *o = (object *)find(&r->objects, sizeof(object), h->src);

		if (!o)
			sum->missing_refs++;
		else if (!o->used++)
			err = map_object(r, s, out, o, map, decl, sum);
	}
	if (err || diags->errors)
		return err;
	rest = malloc((r->objects.n + 1) * sizeof(object *));
	HW_CHECK_ALLOC(rest);
	for (size_t i = 0; i < r->objects.n; i++)
		rest[i] = (object *)r->objects.items + i;
	if (r->objects.n)
		qsort(rest, r->objects.n, sizeof(object *), order_cmp);
	for (size_t i = 0; i < r->objects.n && !err; i++)
		if (!rest[i]->used++)
			err = map_object(r, s, out, rest[i], map, decl, sum);
	free(rest);
	if (!err)
		err = link_parents(r, s, map, diags, sum);
	return err;
}

/* Implements: FR-XCH-002, FR-XCH-003 */
int hw_reqif_read(hw_imp_set *s, hw_diags *diags, const char *file,
		  const char *text, size_t len, const hw_imp_map *map,
		  const hw_frs_model *decl, const char *stem)
{
	rd r;
	summary sum;
	int err;

	memset(&r, 0, sizeof(r));
	memset(&sum, 0, sizeof(sum));
	r.file = file;
	hw_buf_init(&r.text, 0);
	hw_buf_init(&r.m.out, 0);
	hw_buf_init(&sum.dropped_attrs, 0);
	sum.diags = diags;
	sum.file = file;
	r.x.diags = diags;
	r.x.file = file;
	r.x.what = "ReqIF files";
	r.x.ud = &r;
	r.x.start = on_start;
	r.x.end = on_end;
	r.x.text = on_text;
	err = hw_xml_parse(&r.x, text, len);
	if (err == HW_EINVAL)
		err = 0; /* a diagnostic says why */
	if (!err && !diags->errors)
		err = map_all(&r, s, diags, map, decl, stem, &sum);
	if (!err && !diags->errors && r.m.scripts)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "%d <script>/<style> elements in XHTML "
				   "kept as text",
				   r.m.scripts);
	if (!err && !diags->errors && r.m.objects)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "%d embedded <object>s in XHTML not "
				   "imported (their fallback text is)",
				   r.m.objects);
	if (!err && !diags->errors)
		err = warn_summary(&sum);
	if (!err && !diags->errors)
		err = hw_imp_check(s, diags);
	hw_buf_free(&sum.dropped_attrs);
	free(sum.rewrite_example);
	free(sum.status_example);
	rd_free(&r);
	return err;
}
