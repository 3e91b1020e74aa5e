/*
 * changes.c — the Changes page: what changed since the previous signed
 * report in the ledger. `hwledger report` writes the comparison into the
 * evidence folder (changes.json, a hwledger.diff/1 document made by the
 * diff code); this page only shows it: regressions first, then the FRs
 * added and removed, then the other status changes (specs/site.md).
 */
#include "internal.h"

#include <string.h>

/* An FR's ID, linked to its page when this site has one. */
static int fr_cell(hw_buf *b, site *s, const char *id)
{
	if (id && site_find_fr(s, id))
		return hw_buf_printf(b, "<a href=\"fr/%s.html\">%s</a>", id,
				     id);
	return hw_html_puts(b, id ? id : "");
}

/* A cell of text that may be null in the document (a ledger event keeps
 * no titles). */
static int text_cell(hw_buf *b, const cJSON *o, const char *key)
{
	const char *t = hw_json_str(o, key);

	return t ? hw_html_puts(b, t) : hw_buf_puts(b, "&#8212;");
}

static int status_cell(hw_buf *b, const cJSON *o, const char *key)
{
	const char *t = hw_json_str(o, key);

	return t ? html_badge(b, t) : hw_buf_puts(b, "&#8212;");
}

/*
 * One section: a heading with its count and a table of the entries of
 * doc[list] for which want() holds; a status change shows from and to,
 * an added or removed FR its status.
 */
static int section(hw_buf *b, site *s, const char *title, const char *id,
		   const cJSON *doc, const char *list, int change,
		   int (*want)(const cJSON *))
{
	const cJSON *e;
	size_t n = 0;
	int err;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, list))
		n += !want || want(e);
	err = hw_buf_printf(b, "<h2 id=\"%s\">%s (%zu)</h2>\n", id, title, n);
	if (err || !n)
		return err ? err : hw_buf_puts(b, "<p>None.</p>\n");
	err = hw_buf_printf(b,
			    "<div class=\"scroll\"><table data-changes=\"%s\">"
			    "<thead><tr><th scope=\"col\">FR</th><th scope="
			    "\"col\">Title</th>%s</tr></thead><tbody>\n",
			    id,
			    change ? "<th scope=\"col\">Was</th><th scope="
				     "\"col\">Is</th>"
				   : "<th scope=\"col\">Status</th>");
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, list)) {
		if (err || (want && !want(e)))
			continue;
		err = hw_buf_puts(b, "<tr><th scope=\"row\">");
		err = err ? err : fr_cell(b, s, hw_json_str(e, "id"));
		err = err ? err : hw_buf_puts(b, "</th><td>");
		err = err ? err : text_cell(b, e, "title");
		err = err ? err : hw_buf_puts(b, "</td><td>");
		err = err ? err : status_cell(b, e, change ? "from" : "status");
		if (!err && change) {
			err = hw_buf_puts(b, "</td><td>");
			err = err ? err : status_cell(b, e, "to");
		}
		err = err ? err : hw_buf_puts(b, "</td></tr>\n");
	}
	return err ? err : hw_buf_puts(b, "</tbody></table></div>\n");
}

static int regression(const cJSON *e)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(e, "regression"));
}

static int not_regression(const cJSON *e)
{
	return !regression(e);
}

/* "commit 0123456789ab" of a side, or "no commit". */
static int side_commit(hw_buf *b, const cJSON *doc, const char *side)
{
	const char *c = hw_json_str(cJSON_GetObjectItem(doc, side), "commit");
	int err;

	if (!c || !*c)
		return hw_buf_puts(b, "no commit");
	err = hw_buf_puts(b, "commit <code>");
	err = err ? err : hw_html_escape(b, c, strnlen(c, 12));
	return err ? err : hw_buf_puts(b, "</code>");
}

/* Why there is no comparison: the first that holds. */
static const char *nothing_to_compare(const site *s)
{
	if (!s->trace)
		return "Nothing to compare: this report has no trace result "
		       "(the trace check did not run).";
	if (!s->o->key)
		return "Nothing to compare: an unsigned report is not "
		       "compared with the ledger.";
	return "First report: nothing to compare (the ledger holds no "
	       "earlier signed trace result).";
}

/* Implements: FR-REPORT-004 */
int render_changes(site *s)
{
	const cJSON *d = s->changes;
	const char *words = hw_json_str(d, "words");
	hw_buf b;
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Changes", "", "changes.html");
	if (!err && !d)
		err = hw_buf_printf(&b, "<p class=\"notrun\" id=\"nothing\">%s"
					"</p>\n",
				    nothing_to_compare(s));
	if (!err && d) {
		err = hw_buf_puts(&b, "<p>Since the previous signed report (");
		err = err ? err
			  : hw_html_puts(&b, hw_json_str(cJSON_GetObjectItem(
							     d, "a"),
							     "dir"));
		err = err ? err : hw_buf_puts(&b, ", ");
		err = err ? err : side_commit(&b, d, "a");
		err = err ? err : hw_buf_puts(&b, ") to this one (");
		err = err ? err : side_commit(&b, d, "b");
		err = err ? err
			  : hw_buf_printf(&b,
					  "); regressions: %ld.</p>\n",
					  site_num(d, "regressions"));
		err = err ? err
			  : section(&b, s, "Regressions", "regressions", d,
				    "status", 1, regression);
		err = err ? err
			  : section(&b, s, "Added", "added", d, "added", 0,
				    NULL);
		err = err ? err
			  : section(&b, s, "Removed", "removed", d, "removed",
				    0, NULL);
		err = err ? err
			  : section(&b, s, "Other status changes", "status", d,
				    "status", 1, not_regression);
		/* what a ledger event does not keep, as `hwledger diff` says */
		if (!err && words && !strcmp(words, "none"))
			err = hw_buf_puts(
				&b,
				"<p class=\"notrun\">Not compared: the texts, "
				"coverage, SAST findings and defects (the "
				"ledger's trace event keeps each FR's status "
				"only).</p>\n");
	}
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "changes.html", &b);
	hw_buf_free(&b);
	return err;
}
