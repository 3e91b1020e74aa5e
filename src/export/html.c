/*
 * html.c — the printable specification: one self-contained HTML document
 * (no script, no file beside it) with a title page, a table of contents,
 * every requirement by level and area with its status, links and
 * attributes, a glossary appendix of the terms they use and a traceability
 * appendix (specs/export.md, "The printable specification").
 *
 * The print CSS numbers the pages and repeats a running header; every
 * table is kept on one page (break-inside: avoid), which pdf.c relies on.
 */
#include "export/export.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

static const char style[] =
	"@page { size: A4; margin: 22mm 16mm 20mm;\n"
	"  @top-left { font: 9pt sans-serif; color: #555 }\n"
	"  @bottom-right { content: \"Page \" counter(page) \" of \" "
	"counter(pages); font: 9pt sans-serif; color: #555 } }\n"
	"@page :first { @top-left { content: none } }\n"
	"body { font: 10.5pt/1.4 serif; color: #111; margin: 0 }\n"
	"h1, h2, h3, h4 { font-family: sans-serif; break-after: avoid }\n"
	".title { break-after: page; padding-top: 30mm }\n"
	".title h1 { font-size: 24pt }\n"
	"h2 { break-before: page }\n"
	".attrs th { width: 11em }\n"
	"nav h2 { break-before: auto }\n"
	"table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; "
	"break-inside: avoid }\n"
	"tr { break-inside: avoid }\n"
	"th, td { border: 1px solid #999; padding: 2px 5px; text-align: left; "
	"vertical-align: top; font-size: 9pt; overflow-wrap: anywhere }\n"
	"th { background: #eef }\n"
	".req { break-inside: avoid-page; margin-bottom: 1.2em }\n"
	".st-verified { background: #c6efce } .st-failing { background: "
	"#ffc7ce }\n"
	".st-waived { background: #e7e6e6 } .st-partial, .st-untested, "
	".st-uncovered { background: #ffeb9c }\n"
	"dt { font-weight: bold; font-family: sans-serif }\n"
	"a { color: inherit }\n";

static int esc(hw_buf *b, const char *s)
{
	int err = HW_OK;

	for (; s && *s && !err; s++)
		switch (*s) {
		case '&': err = hw_buf_puts(b, "&amp;"); break;
		case '<': err = hw_buf_puts(b, "&lt;"); break;
		case '>': err = hw_buf_puts(b, "&gt;"); break;
		case '"': err = hw_buf_puts(b, "&quot;"); break;
		default: err = hw_buf_putc(b, *s);
		}
	return err;
}

/* An anchor name for a text: bytes outside [A-Za-z0-9-] as _XX. */
static int anchor(hw_buf *b, const char *prefix, const char *s)
{
	int err = hw_buf_puts(b, prefix);

	for (; s && *s && !err; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			err = hw_buf_putc(b, (char)c);
		else
			err = hw_buf_printf(b, "_%02X", c);
	}
	return err;
}

/* The area of a requirement: the name of the file that holds it. */
static void area_of(const cJSON *fr, char *out, size_t size)
{
	const char *f = hw_json_str(fr, "file"), *slash;
	size_t n;

	f = f ? f : "";
	slash = strrchr(f, '/');
	f = slash ? slash + 1 : f;
	n = strlen(f);
	if (n > 3 && !strcmp(f + n - 3, ".md"))
		n -= 3;
	snprintf(out, size, "%.*s", (int)n, f);
}

/* The levels in the trace's order, "" standing for a flat set. */
static const char *level_of(const cJSON *fr)
{
	const char *l = hw_json_str(fr, "level");

	return l ? l : "";
}

/* A link to the requirement id, after a comma unless it is the first. */
static int id_link(hw_buf *b, const char *id, int first)
{
	int err = first ? HW_OK : hw_buf_puts(b, ", ");

	err = err ? err : anchor(b, "<a href=\"#", id);
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, id);
	return err ? err : hw_buf_puts(b, "</a>");
}

/* Links to the requirements of an array of IDs. */
static int id_links(hw_buf *b, const cJSON *arr)
{
	const cJSON *x;
	int err = HW_OK, first = 1;

	cJSON_ArrayForEach(x, arr) {
		if (!cJSON_IsString(x))
			continue;
		if ((err = id_link(b, x->valuestring, first)))
			break;
		first = 0;
	}
	return err;
}

/* A whole number the trace gives, at least min, as text in out; 0 and
 * "" for anything else (a hostile trace's 1e300, "two" or none, whose
 * conversion to an integer would be undefined). */
static int whole(char *out, size_t size, const cJSON *n, double min)
{
	double v = cJSON_IsNumber(n) ? n->valuedouble : -1e300;

	*out = '\0';
	if (!(v >= min && v < 9.2e18))
		return 0;
	snprintf(out, size, "%lld", (long long)v);
	return 1;
}

static int row(hw_buf *b, const char *name, const char *value)
{
	int err = hw_buf_puts(b, "<tr><th scope=\"row\">");

	err = err ? err : esc(b, name);
	err = err ? err : hw_buf_puts(b, "</th><td>");
	err = err ? err : esc(b, value);
	return err ? err : hw_buf_puts(b, "</td></tr>\n");
}

static int row_links(hw_buf *b, const char *name, const cJSON *arr)
{
	int err;

	if (!cJSON_GetArraySize(arr))
		return HW_OK;
	err = hw_buf_puts(b, "<tr><th scope=\"row\">");
	err = err ? err : esc(b, name);
	err = err ? err : hw_buf_puts(b, "</th><td>");
	err = err ? err : id_links(b, arr);
	return err ? err : hw_buf_puts(b, "</td></tr>\n");
}

/* A custom attribute's value: a string, or a list joined. */
static int attr_rows(hw_buf *b, const cJSON *attrs)
{
	const cJSON *a, *x;
	int err = HW_OK;

	cJSON_ArrayForEach(a, attrs) {
		const cJSON *list = cJSON_IsArray(a) ? a : NULL;
		hw_buf v;

		hw_buf_init(&v, 0);
		if (cJSON_IsString(a))
			err = hw_buf_puts(&v, a->valuestring);
		cJSON_ArrayForEach(x, list)
			if (!err && cJSON_IsString(x))
				err = hw_buf_printf(&v, "%s%s",
						    v.len ? ", " : "",
						    x->valuestring);
		err = err ? err : row(b, a->string, v.len ? v.data : "");
		hw_buf_free(&v);
		if (err)
			break;
	}
	return err;
}

/* The messages of id's defects of kind, one row each. */
static int defect_rows(hw_buf *b, const hw_export_defects *x, const char *id,
		       const char *kind, const char *name)
{
	size_t n, i = hw_export_defects_of(x, id, &n);
	int err = HW_OK;

	for (; n-- && !err; i++) {
		const char *k = hw_json_str(x->v[i].d, "kind");

		if (k && !strcmp(k, kind))
			err = row(b, name, hw_json_str(x->v[i].d, "message"));
	}
	return err;
}

/* Implements: FR-EXPORT-002 */
static int requirement(hw_buf *b, const hw_export_doc *d,
		       const hw_export_defects *x, const cJSON *fr)
{
	const char *id = hw_json_str(fr, "id");
	const char *st = hw_json_str(fr, "status");
	const char *reason = hw_json_str(fr, "reason");
	const cJSON *w = cJSON_GetObjectItem(fr, "waiver");
	const hw_fr *text = d->frs && id ? hw_frs_find(d->frs, id) : NULL;
	char rev[24];
	int err;

	whole(rev, sizeof(rev), cJSON_GetObjectItem(fr, "rev"), -9.2e18);
	err = anchor(b, "<article class=\"req\" id=\"", id);
	err = err ? err : hw_buf_puts(b, "\">\n<h4>");
	err = err ? err : esc(b, id);
	err = err ? err : hw_buf_puts(b, " — ");
	err = err ? err : esc(b, hw_json_str(fr, "title"));
	err = err ? err : hw_buf_puts(b, "</h4>\n<table class=\"attrs\">\n"
					 "<tr><th scope=\"row\">Status</th>"
					 "<td class=\"st-");
	err = err ? err : esc(b, st);
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, st);
	if (!err && reason && *reason)
		err = hw_buf_puts(b, ": ");
	err = err ? err : esc(b, reason);
	err = err ? err : hw_buf_puts(b, "</td></tr>\n");
	err = err ? err : row(b, "Requirement status",
			      hw_json_str(fr, "fr_status"));
	err = err ? err : row(b, "Rev", rev);
	err = err ? err : row_links(b, "Parents",
				    cJSON_GetObjectItem(fr, "parents"));
	err = err ? err : row_links(b, "Children",
				    cJSON_GetObjectItem(fr, "children"));
	err = err ? err : row_links(b, "Depends",
				    cJSON_GetObjectItem(fr, "depends"));
	err = err ? err : attr_rows(b, cJSON_GetObjectItem(fr, "attributes"));
	if (!err && w) {
		hw_buf v;

		hw_buf_init(&v, 0);
		const char *why = hw_json_str(w, "reason"),
			   *until = hw_json_str(w, "expires");

		/* what the waiver has: a hostile trace's may have neither */
		err = hw_buf_printf(&v, "%s", why ? why : "");
		if (!err && until)
			err = hw_buf_printf(&v, "%s(expires %s)",
					    v.len ? " " : "", until);
		err = err ? err : row(b, "Waiver", v.data);
		hw_buf_free(&v);
	}
	err = err ? err : defect_rows(b, x, id, "suspect-link",
				      "Suspect link");
	err = err ? err : hw_buf_puts(b, "</table>\n");
	if (!err && text && text->body) {
		char *html = cmark_markdown_to_html(text->body,
						    strlen(text->body),
						    CMARK_OPT_DEFAULT);

		/* cmark without CMARK_OPT_UNSAFE drops raw HTML and
		 * javascript: links: a requirement's text is data */
		if (!html)
			return hw_error_oom();
		err = hw_buf_printf(b, "<div class=\"text\">%s</div>\n", html);
		free(html);
	}
	return err ? err : hw_buf_puts(b, "</article>\n");
}

/* The key of a requirement's group: its level or its area. */
typedef void (*key_fn)(const cJSON *fr, char *out, size_t size);

static void level_key(const cJSON *fr, char *out, size_t size)
{
	snprintf(out, size, "%s", level_of(fr));
}

/* What a group's callback gets. */
typedef struct group_ctx {
	const hw_export_doc *d;
	const hw_export_defects *x;
} group_ctx;

typedef int (*group_fn)(hw_buf *b, const group_ctx *c, const char *level,
			const char *key);

/* Calls each(b, c, level, key) once per distinct key among the FRs of
 * level (every FR when NULL), in the order first seen. Groups are few:
 * the keys seen are searched one by one. */
static int each_group(hw_buf *b, const group_ctx *c, key_fn key,
		      const char *level, group_fn each)
{
	const cJSON *fr;
	char **seen = NULL;
	size_t n = 0, cap = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(c->d->trace, "frs")) {
		char k[256];
		size_t i = 0;

		if (level && strcmp(level_of(fr), level) != 0)
			continue;
		key(fr, k, sizeof(k));
		while (i < n && strcmp(seen[i], k) != 0)
			i++;
		if (i < n)
			continue;
		if (HW_ARRAY_GROW(seen, n, cap) || !(seen[n] = hw_strdup(k))) {
			err = hw_error_oom();
			break;
		}
		if ((err = each(b, c, level, seen[n++])))
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	return err;
}

static int toc_area(hw_buf *b, const group_ctx *c, const char *level,
		    const char *area)
{
	int err = anchor(b, "<li><a href=\"#area-", level);

	(void)c;
	err = err ? err : anchor(b, "-", area);
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, area);
	return err ? err : hw_buf_puts(b, "</a></li>\n");
}

static int toc_level(hw_buf *b, const group_ctx *c, const char *unused,
		     const char *level)
{
	int err = anchor(b, "<li><a href=\"#level-", level);

	(void)unused;
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, *level ? level : "requirements");
	err = err ? err : hw_buf_puts(b, "</a>\n<ol>\n");
	err = err ? err : each_group(b, c, area_of, level, toc_area);
	return err ? err : hw_buf_puts(b, "</ol></li>\n");
}

static int body_area(hw_buf *b, const group_ctx *c, const char *level,
		     const char *area)
{
	const cJSON *fr;
	int err = anchor(b, "<h3 id=\"area-", level);

	err = err ? err : anchor(b, "-", area);
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, area);
	err = err ? err : hw_buf_puts(b, "</h3>\n");
	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(c->d->trace, "frs")) {
		char a[256];

		area_of(fr, a, sizeof(a));
		if (err || strcmp(level_of(fr), level) != 0 ||
		    strcmp(a, area) != 0)
			continue;
		err = requirement(b, c->d, c->x, fr);
	}
	return err;
}

static int body_level(hw_buf *b, const group_ctx *c, const char *unused,
		      const char *level)
{
	int err = anchor(b, "<section>\n<h2 id=\"level-", level);

	(void)unused;
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : esc(b, *level ? "Level " : "Requirements");
	err = err ? err : esc(b, level);
	err = err ? err : hw_buf_puts(b, "</h2>\n");
	err = err ? err : each_group(b, c, area_of, level, body_area);
	return err ? err : hw_buf_puts(b, "</section>\n");
}

/* Implements: FR-EXPORT-002 */
static int title_page(hw_buf *b, const hw_export_doc *d)
{
	const cJSON *sum = cJSON_GetObjectItem(d->trace, "summary");
	char count[128] = "not recorded", frs[24], verified[24], approved[24];
	int err;

	/* counts the trace does not give whole: none rather than garbage */
	if (whole(frs, sizeof(frs), cJSON_GetObjectItem(sum, "frs"), 0) &&
	    whole(verified, sizeof(verified),
		  cJSON_GetObjectItem(sum, "approved_verified"), 0) &&
	    whole(approved, sizeof(approved),
		  cJSON_GetObjectItem(sum, "approved"), 0))
		snprintf(count, sizeof(count),
			 "%s requirements; %s of %s approved verified", frs,
			 verified, approved);
	err = hw_buf_puts(b, "<section class=\"title\">\n<h1>");
	err = err ? err : esc(b, d->project);
	err = err ? err : hw_buf_puts(b, "</h1>\n<p>Requirements "
					 "specification</p>\n<table>\n");
	err = err ? err : row(b, "Project", d->project);
	err = err ? err : row(b, "Commit", *d->commit ? d->commit
						      : "not recorded");
	err = err ? err : row(b, "Date", d->date);
	err = err ? err : row(b, "Signer", *d->signer ? d->signer
						      : "not signed");
	err = err ? err : row(b, "Report verdict",
			      *d->verdict ? d->verdict : "no report");
	err = err ? err : row(b, "Requirements", count);
	if (!err && *d->checkpoint_root)
		err = row(b, "Checkpoint root", d->checkpoint_root);
	return err ? err : hw_buf_puts(b, "</table>\n</section>\n");
}

/* The glossary's terms that the requirements use, with their users: the
 * glossary module's backlinks, the requirements whose title or text uses
 * a term or one of its aliases. */
/* Implements: FR-EXPORT-002 */
static int glossary(hw_buf *b, const hw_export_doc *d)
{
	hw_gbacklinks t;
	int err = hw_buf_puts(b, "<section>\n<h2 id=\"glossary\">Appendix A. "
				 "Glossary</h2>\n");

	if (err)
		return err;
	if (!d->glossary || !d->frs)
		return hw_buf_puts(b, "<p>No glossary.</p>\n</section>\n");
	err = hw_gbacklinks_build(&t, d->frs);
	err = err ? err : hw_buf_puts(b, "<dl>\n");
	for (size_t i = 0; i < d->glossary->n && !err; i++) {
		const hw_gentry *e = &d->glossary->entries[i];
		size_t k = 0, first;

		hw_gbacklinks_mark(&t, e);
		while (k < t.n && !t.hit[k])
			k++;
		if (k == t.n)
			continue; /* used by none */
		err = anchor(b, "<dt id=\"term-", e->term);
		err = err ? err : hw_buf_puts(b, "\">");
		err = err ? err : esc(b, e->term);
		err = err ? err : hw_buf_puts(b, "</dt>\n<dd>");
		err = err ? err : esc(b, e->ndefs ? e->defs[0].text : "");
		err = err ? err : hw_buf_puts(b, " <small>Used by ");
		for (first = k; k < t.n && !err; k++)
			if (t.hit[k])
				err = id_link(b, d->frs->items[k].id,
					      k == first);
		err = err ? err : hw_buf_puts(b, ".</small></dd>\n");
	}
	hw_gbacklinks_free(&t);
	return err ? err : hw_buf_puts(b, "</dl>\n</section>\n");
}

/* One table per requirement: what implements and verifies it. */
/* Implements: FR-EXPORT-002 */
static int traceability(hw_buf *b, const hw_export_doc *d)
{
	const cJSON *fr, *l;
	int err = hw_buf_puts(b, "<section>\n<h2 id=\"traceability\">Appendix "
				 "B. Traceability</h2>\n");

	if (err)
		return err;
	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(d->trace, "frs")) {
		const char *id = hw_json_str(fr, "id");

		err = hw_buf_puts(b, "<table class=\"trace\"><caption>");
		err = err ? err : anchor(b, "<a href=\"#", id);
		err = err ? err : hw_buf_puts(b, "\">");
		err = err ? err : esc(b, id);
		err = err ? err : hw_buf_puts(b, "</a></caption>\n<tr><th>Kind"
						 "</th><th>Where</th><th>"
						 "Result</th></tr>\n");
		cJSON_ArrayForEach(l, cJSON_GetObjectItem(fr, "links")) {
			const char *fn = hw_json_str(l, "function");
			const cJSON *oc = cJSON_GetObjectItem(l, "outcome");
			const char *res = cJSON_IsString(oc) ? oc->valuestring
					  : cJSON_IsNull(oc) ? "no result" : "";

			if (err)
				break;
			err = hw_buf_puts(b, "<tr><td>");
			err = err ? err : esc(b, hw_json_str(l, "kind"));
			err = err ? err : hw_buf_puts(b, "</td><td>");
			err = err ? err : esc(b, hw_json_str(l, "file"));
			err = err ? err : hw_buf_puts(b, fn ? ": " : "");
			err = err ? err : esc(b, fn);
			err = err ? err : hw_buf_puts(b, "</td><td>");
			err = err ? err : esc(b, res);
			err = err ? err : hw_buf_puts(b, "</td></tr>\n");
			if (err)
				break;
		}
		if (!err && !cJSON_GetArraySize(cJSON_GetObjectItem(fr, "links")))
			err = hw_buf_puts(b, "<tr><td colspan=\"3\">nothing "
					     "traces to it</td></tr>\n");
		err = err ? err : hw_buf_puts(b, "</table>\n");
		if (err)
			break;
	}
	return err ? err : hw_buf_puts(b, "</section>\n");
}

/* The running header: the project's name as a CSS string (every byte
 * that could end the string or the style is a hex escape). */
static int running_header(hw_buf *b, const char *project)
{
	int err = hw_buf_puts(b, "@page { @top-left { content: \"");

	for (const char *p = project; *p && !err; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>')
			err = hw_buf_printf(b, "\\%X ", c);
		else
			err = hw_buf_putc(b, (char)c);
	}
	return err ? err : hw_buf_puts(b, " \\2014  requirements "
					  "specification\" } }\n");
}

/* Implements: FR-EXPORT-002 */
int hw_export_html(hw_buf *b, const hw_export_doc *d)
{
	hw_export_defects x = {0};
	group_ctx c = {d, &x};
	int err = hw_export_defects_index(&x, d->trace);

	err = err ? err : hw_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>"
				 "<meta charset=\"utf-8\">\n"
				 "<meta http-equiv=\"Content-Security-Policy\" "
				 "content=\"default-src 'none'; style-src "
				 "'unsafe-inline'\">\n<title>");

	err = err ? err : esc(b, d->project);
	err = err ? err : hw_buf_puts(b, " — requirements specification</title>"
					 "\n<style>\n");
	err = err ? err : hw_buf_puts(b, style);
	err = err ? err : running_header(b, d->project);
	err = err ? err : hw_buf_puts(b, "</style>\n</head>\n<body>\n");
	err = err ? err : title_page(b, d);
	err = err ? err : hw_buf_puts(b, "<nav>\n<h2>Contents</h2>\n<ol>\n");
	err = err ? err : each_group(b, &c, level_key, NULL, toc_level);
	err = err ? err : hw_buf_puts(b, "<li><a href=\"#glossary\">Appendix A."
					 " Glossary</a></li>\n<li><a href=\""
					 "#traceability\">Appendix B. "
					 "Traceability</a></li>\n</ol>\n"
					 "</nav>\n<main>\n");
	err = err ? err : each_group(b, &c, level_key, NULL, body_level);
	err = err ? err : hw_buf_puts(b, "</main>\n");
	err = err ? err : glossary(b, d);
	err = err ? err : traceability(b, d);
	err = err ? err : hw_buf_puts(b, "</body>\n</html>\n");
	hw_export_defects_free(&x);
	return err;
}
