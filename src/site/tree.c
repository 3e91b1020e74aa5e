/*
 * tree.c — the requirement levels of trace.json as the site shows them:
 * the tree page (each level top down, children nested under their
 * parents), each requirement's links on its page (level, parents,
 * children, siblings, Depends, attributes, suspect links, reviews) and
 * the SVG graph of its neighbourhood. A flat project (one level in
 * trace.json's "levels") has none of them.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* At most this many siblings on a page and boxes in a row of the graph:
 * a page never grows with the number of requirements. */
#define SIBLINGS_MAX 20
#define GRAPH_ROW_MAX 8

/* The index of level NAME in trace.json's "levels", -1 when none. */
static int level_index(const site *s, const char *name)
{
	const cJSON *l;
	int i = 0;

	if (!name)
		return -1;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(s->trace, "levels")) {
		const char *n = hw_json_str(l, "name");

		if (n && !strcmp(n, name))
			return i;
		i++;
	}
	return -1;
}

/* Two levels or more: a flat project's trace.json has one ("default"),
 * and one level has no links to show. */
int site_has_levels(const site *s)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(s->trace, "levels")) > 1;
}

/* The level of an FR of the site, -1 when it has none. */
static int fr_level(const site *s, const site_fr *it)
{
	return level_index(s, hw_json_str(it->trace, "level"));
}

/* A requirement of ARRAY (a list of IDs in trace.json) that the site has
 * and that is of a lower level than LEVEL: the links the tree follows, so
 * that every walk down ends. */
static site_fr *lower(site *s, const cJSON *id, int level)
{
	site_fr *c = cJSON_IsString(id) ? site_find_fr(s, id->valuestring)
					: NULL;

	return c && c->trace && fr_level(s, c) > level ? c : NULL;
}

/* "\nKey=Value\n..." of an FR's attributes (each item of a list its own):
 * a newline ends each token, since no value can hold one (a key is one
 * line), while any other character, '|' too, may be in a value. */
static int attr_tokens(hw_buf *b, const site_fr *it)
{
	const cJSON *a, *v;
	int err = hw_buf_putc(b, '\n');

	cJSON_ArrayForEach(a, cJSON_GetObjectItem(it->trace, "attributes")) {
		const cJSON *one = cJSON_IsArray(a) ? a->child : a;

		for (v = one; v && !err; v = cJSON_IsArray(a) ? v->next : NULL)
			if (cJSON_IsString(v))
				err = hw_buf_printf(b, "%s=%s\n", a->string,
						    v->valuestring);
	}
	return err;
}

static void child_counts(site *s, const site_fr *it, int level, long *ok,
			 long *n)
{
	const cJSON *c;

	*ok = *n = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(it->trace, "children")) {
		const site_fr *k = lower(s, c, level);

		if (!k)
			continue;
		(*n)++;
		*ok += !strcmp(site_fr_state(s, k), "verified");
	}
}

/* One node: its link, title, status and, when derived, its rationale;
 * then its children verified / total as the <summary> of a <details> that
 * nests them (the summary holds no link: it is the toggle). A requirement
 * of several parents appears under each: its children are nested under
 * the first place only, the others link to it, so the page grows with
 * the links, whatever the diamonds. */
static int tree_node(hw_buf *b, site *s, site_fr *it, unsigned char *shown)
{
	size_t idx = (size_t)(it - s->items);
	int level = fr_level(s, it), first = !shown[idx], err;
	long ok, n;
	const char *why = hw_json_str(it->trace, "rationale");
	const cJSON *c;
	hw_buf attrs;

	shown[idx] = 1;
	child_counts(s, it, level, &ok, &n);
	hw_buf_init(&attrs, 0);
	err = attr_tokens(&attrs, it);
	err = err ? err : hw_buf_puts(b, "<li");
	if (!err && first)
		err = hw_buf_printf(b, " id=\"n-%s\"", it->fr->id);
	err = err ? err : hw_buf_puts(b, " data-attrs=\"&#10;");
	/* the tokens, their newlines as character references */
	for (char *p = attrs.data ? attrs.data + 1 : NULL, *end; !err && p && *p;
	     p = end + 1) {
		end = strchr(p, '\n');
		*end = '\0';
		err = hw_html_puts(b, p);
		err = err ? err : hw_buf_puts(b, "&#10;");
	}
	err = err ? err
		  : hw_buf_printf(b, "\"><a href=\"fr/%s.html\">%s</a> ",
				  it->fr->id, it->fr->id);
	err = err ? err : hw_html_puts(b, it->fr->title);
	err = err ? err : hw_buf_puts(b, " ");
	err = err ? err : html_badge(b, site_fr_state(s, it));
	if (!err && cJSON_IsTrue(cJSON_GetObjectItem(it->trace, "derived"))) {
		err = hw_buf_puts(b, " <span class=\"derived\">derived: ");
		err = err ? err : hw_html_puts(b, why ? why : "no rationale");
		err = err ? err : hw_buf_puts(b, "</span>");
	}
	hw_buf_free(&attrs);
	if (err || !n)
		return err ? err : hw_buf_puts(b, "</li>\n");
	if (!first)
		return hw_buf_printf(b,
				     " <span class=\"counts\">%ld/%ld children "
				     "verified</span> <a href=\"#n-%s\">"
				     "children above</a></li>\n",
				     ok, n, it->fr->id);
	err = hw_buf_printf(b,
			    "<details open><summary class=\"counts\">%ld/%ld "
			    "children verified</summary><ul>\n",
			    ok, n);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(it->trace, "children")) {
		site_fr *k = lower(s, c, level);

		if (k && !err)
			err = tree_node(b, s, k, shown);
	}
	return err ? err : hw_buf_puts(b, "</ul></details></li>\n");
}

/* A root of its level: no parent of a higher level that the site has. */
static int is_root(site *s, const site_fr *it, int level)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(it->trace, "parents")) {
		const site_fr *q = cJSON_IsString(p)
					   ? site_find_fr(s, p->valuestring)
					   : NULL;

		if (q && q->trace && fr_level(s, q) >= 0 &&
		    fr_level(s, q) < level)
			return 0;
	}
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The filter by attribute: one option per "Key=Value" of any requirement,
 * sorted. Hidden until app.js shows it: without script every node shows. */
static int attr_filter(hw_buf *b, site *s)
{
	char **vals = NULL;
	size_t n = 0, cap = 0;
	int err = HW_OK;

	for (size_t i = 0; i < s->nitems && !err; i++) {
		hw_buf t;
		char *p, *end;

		hw_buf_init(&t, 0);
		err = attr_tokens(&t, &s->items[i]);
		for (p = t.data ? t.data + 1 : NULL; !err && p && *p; p = end + 1) {
			end = strchr(p, '\n');
			*end = '\0';
			if (HW_ARRAY_GROW(vals, n, cap) ||
			    !(vals[n] = strdup(p)))
				err = HW_ENOMEM;
			else
				n++;
		}
		hw_buf_free(&t);
	}
	if (!vals) /* no requirement has an attribute */
		return err;
	qsort(vals, n, sizeof(*vals), cmp_str);
	if (!err && n)
		err = hw_buf_puts(b,
				  "<div class=\"filters\" id=\"tree-filter\" "
				  "hidden><label for=\"tree-attr\">Attribute"
				  "</label><select id=\"tree-attr\"><option "
				  "value=\"\">any</option>");
	for (size_t i = 0; i < n && !err; i++) {
		if (i && !strcmp(vals[i], vals[i - 1]))
			continue;
		err = hw_buf_puts(b, "<option value=\"");
		err = err ? err : hw_html_puts(b, vals[i]);
		err = err ? err : hw_buf_puts(b, "\">");
		err = err ? err : hw_html_puts(b, vals[i]);
		err = err ? err : hw_buf_puts(b, "</option>");
	}
	if (!err && n)
		err = hw_buf_puts(b, "</select></div>\n");
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
	free(vals);
	return err;
}

/* Implements: FR-SITE-004 */
int render_tree(site *s)
{
	const cJSON *l;
	unsigned char *shown;
	hw_buf b;
	int level = 0, err;

	if (!site_has_levels(s))
		return HW_OK; /* a flat project: the matrix is its list */
	if (!(shown = calloc(s->nitems ? s->nitems : 1, 1)))
		return HW_ENOMEM;
	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Requirement tree", "", "tree.html");
	err = err ? err
		  : hw_buf_puts(&b, "<p>Each level top down; a requirement's "
				    "children are nested under it, with how "
				    "many of them are verified.</p>\n");
	err = err ? err : attr_filter(&b, s);
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(s->trace, "levels")) {
		const char *name = hw_json_str(l, "name");

		err = err ? err : hw_buf_puts(&b, "<h2>Level ");
		err = err ? err : hw_html_puts(&b, name ? name : "?");
		err = err ? err : hw_buf_puts(&b, "</h2>\n<ul class=\"tree\">\n");
		for (size_t i = 0; i < s->nitems && !err; i++) {
			site_fr *it = &s->items[i];

			if (it->trace && !shown[i] && fr_level(s, it) == level &&
			    is_root(s, it, level))
				err = tree_node(&b, s, it, shown);
		}
		err = err ? err : hw_buf_puts(&b, "</ul>\n");
		level++;
	}
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "tree.html", &b);
	hw_buf_free(&b);
	free(shown);
	return err;
}

/* ---- a requirement's page ------------------------------------------------ */

/* IDS (strings) as links to their pages with their statuses. */
static int id_list(hw_buf *b, site *s, const char *const *ids, size_t n)
{
	int err = HW_OK;

	if (!n)
		return hw_buf_puts(b, "<span class=\"muted\">none</span>");
	err = hw_buf_puts(b, "<ul class=\"links\">");
	for (size_t i = 0; i < n && !err; i++) {
		const site_fr *k = site_find_fr(s, ids[i]);

		err = hw_buf_puts(b, k ? "<li><a href=\"" : "<li><code>");
		err = err ? err : hw_html_puts(b, ids[i]);
		if (k) {
			err = err ? err : hw_buf_puts(b, ".html\">");
			err = err ? err : hw_html_puts(b, ids[i]);
		}
		err = err ? err : hw_buf_puts(b, k ? "</a> " : "</code> ");
		err = err ? err
			  : html_badge(b, k ? site_fr_state(s, k) : "missing");
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_puts(b, "</ul>");
}

/* The strings of a trace.json array, in order. */
static int strings_of(const cJSON *arr, const char ***out, size_t *n)
{
	const cJSON *v;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	cJSON_ArrayForEach(v, arr) {
		if (!cJSON_IsString(v))
			continue;
		if (HW_ARRAY_GROW(*out, *n, cap))
			return HW_ENOMEM;
		(*out)[(*n)++] = v->valuestring;
	}
	return HW_OK;
}

/* The other children of its parents, sorted, each once; at most
 * SIBLINGS_MAX are listed, the rest counted (the parents' pages list
 * them). */
static int siblings(hw_buf *b, site *s, const site_fr *it)
{
	const char **ids = NULL;
	size_t n = 0, cap = 0, k = 0;
	const cJSON *p, *c;
	int err = HW_OK;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(it->trace, "parents")) {
		const site_fr *q = cJSON_IsString(p)
					   ? site_find_fr(s, p->valuestring)
					   : NULL;

		const cJSON *kids = q ? cJSON_GetObjectItem(q->trace,
							    "children")
				      : NULL;

		cJSON_ArrayForEach(c, kids) {
			if (!cJSON_IsString(c) ||
			    !strcmp(c->valuestring, it->fr->id))
				continue;
			if (HW_ARRAY_GROW(ids, n, cap)) {
				free(ids);
				return HW_ENOMEM;
			}
			ids[n++] = c->valuestring;
		}
	}
	if (ids)
		qsort(ids, n, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(ids[i], ids[k - 1]) != 0)
			ids[k++] = ids[i];
	err = id_list(b, s, ids, k < SIBLINGS_MAX ? k : SIBLINGS_MAX);
	if (!err && k > SIBLINGS_MAX)
		err = hw_buf_printf(b,
				    "<p class=\"muted\">and %zu more (see the "
				    "parents' pages)</p>",
				    k - SIBLINGS_MAX);
	free(ids);
	return err;
}

/* One row of boxes of the graph, centred on a canvas WIDTH wide; MORE
 * boxes left out are said in a last text. */
static int graph_row(hw_buf *b, site *s, const char *const *ids, size_t n,
		     size_t more, double y, double bw, double width,
		     double link_y)
{
	double x0 = (width - (double)n * (bw + 10) + 10) / 2;
	int err = HW_OK;

	for (size_t i = 0; i < n && !err; i++) {
		const site_fr *k = site_find_fr(s, ids[i]);
		const char *st = k ? site_fr_state(s, k) : "missing";
		double x = x0 + (double)i * (bw + 10);
		hw_buf cls;

		hw_buf_init(&cls, 0);
		for (const char *p = st; *p && !err; p++)
			err = hw_buf_putc(&cls, *p >= 'a' && *p <= 'z' ? *p
								       : '-');
		if (link_y >= 0 && !err)
			err = hw_buf_printf(b,
					    "<line x1=\"%.0f\" y1=\"%.0f\" "
					    "x2=\"%.0f\" y2=\"%.0f\"></line>",
					    x + bw / 2, y < link_y ? y + 24 : y,
					    width / 2,
					    y < link_y ? link_y : link_y + 24);
		err = err ? err
			  : hw_buf_printf(b, k ? "<a href=\"%s.html\">" : "<g>",
					  ids[i]);
		err = err ? err : hw_buf_puts(b, "<title>");
		err = err ? err : hw_html_puts(b, ids[i]);
		err = err ? err : hw_buf_printf(b, ": %s</title>", st);
		err = err ? err
			  : hw_buf_printf(b,
					  "<rect class=\"g-%s\" x=\"%.0f\" "
					  "y=\"%.0f\" width=\"%.0f\" height="
					  "\"24\" rx=\"3\"></rect><text x="
					  "\"%.0f\" y=\"%.0f\">",
					  cls.data ? cls.data : "", x, y, bw,
					  x + bw / 2, y + 16);
		err = err ? err : hw_html_puts(b, ids[i]);
		err = err ? err
			  : hw_buf_puts(b, k ? "</text></a>" : "</text></g>");
		hw_buf_free(&cls);
	}
	if (!err && more)
		err = hw_buf_printf(b,
				    "<text x=\"%.0f\" y=\"%.0f\">+%zu more"
				    "</text>",
				    width / 2, y + 38, more);
	return err;
}

/* Its parents above, itself, its children below (GRAPH_ROW_MAX a row at
 * most), each box a link with its status's colour and a title. */
static int graph(hw_buf *b, site *s, const site_fr *it, const char **parents,
		 size_t np, const char **children, size_t nc)
{
	size_t sp = np < GRAPH_ROW_MAX ? np : GRAPH_ROW_MAX;
	size_t sc = nc < GRAPH_ROW_MAX ? nc : GRAPH_ROW_MAX;
	size_t row = sp > sc ? sp : sc, longest = strlen(it->fr->id);
	double bw, width, self_y = np ? 60 : 10;
	const char *self = it->fr->id;
	int err;

	for (size_t i = 0; i < sp; i++)
		longest = strlen(parents[i]) > longest ? strlen(parents[i])
						       : longest;
	for (size_t i = 0; i < sc; i++)
		longest = strlen(children[i]) > longest ? strlen(children[i])
							: longest;
	bw = 7.0 * (double)longest + 16;
	width = (double)(row ? row : 1) * (bw + 10) + 10;
	err = hw_buf_printf(b,
			    "<figure class=\"graph\"><svg viewBox=\"0 0 %.0f "
			    "%.0f\" role=\"group\" aria-label=\"%s: its "
			    "parents above, its children below\">",
			    width, self_y + (nc ? 104 : 44), self);
	err = err ? err
		  : graph_row(b, s, parents, sp, np - sp, 10, bw, width,
			      self_y);
	err = err ? err : graph_row(b, s, &self, 1, 0, self_y, bw, width, -1);
	err = err ? err
		  : graph_row(b, s, children, sc, nc - sc, self_y + 60, bw,
			      width, self_y);
	return err ? err : hw_buf_puts(b, "</svg></figure>\n");
}

/* The review events of the bundle that name this requirement. */
static int reviews(hw_buf *b, const site *s, const site_fr *it)
{
	int err = HW_OK;

	if (!s->have_bundle)
		return hw_buf_puts(b, "<p class=\"notrun\">No ledger bundle: "
				      "review history not available (not run)."
				      "</p>\n");
	if (!it->nreviews)
		return hw_buf_puts(b, "<p class=\"muted\">No signed review "
				      "names it.</p>\n");
	err = hw_buf_puts(b, "<ol class=\"history\">");
	for (size_t i = 0; i < it->nreviews && !err; i++) {
		const site_review *r = &it->reviews[i];
		char when[11], key[9];

		hw_hex(key, r->event->key_id, 4);
		hw_date_of((time_t)(r->event->time_ns / 1000000000LL), when);
		err = hw_buf_printf(b,
				    "<li><a href=\"../ledger.html#e%llu\">event "
				    "%llu</a> %s, Rev %ld, key <code>%s</code>: ",
				    (unsigned long long)r->event->seq,
				    (unsigned long long)r->event->seq, when,
				    r->rev, key);
		err = err ? err : hw_html_puts(b, r->reason);
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_puts(b, "</ol>\n");
}

/* Its suspect-link defects: where the link is, and the path in the
 * message. */
static int suspects(hw_buf *b, site *s, const site_fr *it)
{
	const cJSON *d;
	size_t n = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(s->trace, "defects")) {
		const char *id = hw_json_str(d, "fr"), *kind = hw_json_str(d, "kind");
		const char *file = hw_json_str(d, "file");

		if (!id || !kind || strcmp(id, it->fr->id) != 0 ||
		    strcmp(kind, "suspect-link") != 0)
			continue;
		err = hw_buf_puts(b, n++ ? "<li>" : "<ul class=\"defects\"><li>");
		if (!err && file)
			err = html_file_line(b, s, file, site_num(d, "line"));
		err = err ? err : hw_buf_puts(b, " ");
		err = err ? err : hw_html_puts(b, hw_json_str(d, "message"));
		err = err ? err : hw_buf_puts(b, "</li>\n");
	}
	if (err)
		return err;
	return hw_buf_puts(b, n ? "</ul>\n"
				: "<p class=\"muted\">None.</p>\n");
}

static int attributes(hw_buf *b, const site_fr *it)
{
	const cJSON *a, *v;
	int err = HW_OK, n = 0;

	cJSON_ArrayForEach(a, cJSON_GetObjectItem(it->trace, "attributes")) {
		err = err ? err
			  : hw_buf_puts(b, n++ ? "<dt>" : "<dl class=\"facts\">"
							"<dt>");
		err = err ? err : hw_html_puts(b, a->string);
		err = err ? err : hw_buf_puts(b, "</dt><dd>");
		if (cJSON_IsString(a))
			err = err ? err : hw_html_puts(b, a->valuestring);
		const cJSON *list = cJSON_IsArray(a) ? a : NULL;

		cJSON_ArrayForEach(v, list) {
			err = err ? err : hw_buf_puts(b, v != a->child ? ", " : "");
			if (cJSON_IsString(v))
				err = err ? err : hw_html_puts(b, v->valuestring);
		}
		err = err ? err : hw_buf_puts(b, "</dd>");
	}
	if (err)
		return err;
	return hw_buf_puts(b, n ? "</dl>\n" : "<p class=\"muted\">None.</p>\n");
}

/* Implements: FR-SITE-004 */
int site_fr_links(hw_buf *b, site *s, const site_fr *it)
{
	const char **parents = NULL, **children = NULL, **depends = NULL;
	size_t np = 0, nc = 0, nd = 0;
	const char *level = hw_json_str(it->trace, "level");
	const char *reason = hw_json_str(it->trace, "reason");
	const char *why = hw_json_str(it->trace, "rationale");
	int err;

	if (!site_has_levels(s) || !level)
		return HW_OK;
	err = strings_of(cJSON_GetObjectItem(it->trace, "parents"), &parents,
			 &np);
	err = err ? err
		  : strings_of(cJSON_GetObjectItem(it->trace, "children"),
			       &children, &nc);
	err = err ? err
		  : strings_of(cJSON_GetObjectItem(it->trace, "depends"),
			       &depends, &nd);
	err = err ? err : hw_buf_puts(b, "<h2>Links</h2>\n");
	err = err ? err : graph(b, s, it, parents, np, children, nc);
	err = err ? err : hw_buf_puts(b, "<dl class=\"facts\"><dt>Level</dt><dd>");
	err = err ? err : hw_html_puts(b, level);
	if (!err && reason) {
		err = hw_buf_puts(b, "</dd><dt>Status reason</dt><dd>");
		err = err ? err : hw_html_puts(b, reason);
	}
	if (!err && cJSON_IsTrue(cJSON_GetObjectItem(it->trace, "derived"))) {
		err = hw_buf_puts(b, "</dd><dt>Derived</dt><dd>");
		err = err ? err : hw_html_puts(b, why ? why : "no rationale");
	}
	err = err ? err : hw_buf_puts(b, "</dd><dt>Parents</dt><dd>");
	err = err ? err : id_list(b, s, parents, np);
	err = err ? err : hw_buf_puts(b, "</dd><dt>Children</dt><dd>");
	err = err ? err : id_list(b, s, children, nc);
	err = err ? err : hw_buf_puts(b, "</dd><dt>Siblings</dt><dd>");
	err = err ? err : siblings(b, s, it);
	err = err ? err : hw_buf_puts(b, "</dd><dt>Depends</dt><dd>");
	err = err ? err : id_list(b, s, depends, nd);
	err = err ? err : hw_buf_puts(b, "</dd></dl>\n<h2>Attributes</h2>\n");
	err = err ? err : attributes(b, it);
	err = err ? err : hw_buf_puts(b, "<h2>Suspect links</h2>\n");
	err = err ? err : suspects(b, s, it);
	err = err ? err : hw_buf_puts(b, "<h2>Reviews</h2>\n");
	err = err ? err : reviews(b, s, it);
	free(parents);
	free(children);
	free(depends);
	return err;
}
