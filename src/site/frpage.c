/*
 * frpage.c — the FR matrix and one page per FR: text, status, the
 * implementing functions and tests with links into the source view, test
 * outcomes, coverage, SAST findings, defects and the FR's status history
 * from the ledger.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *site_fr_state(const site *s, const site_fr *it)
{
	const char *st;

	if (!s->trace)
		return "not run";
	st = it->trace ? hw_json_str(it->trace, "status") : NULL;
	return st ? st : "missing";
}

static int fr_coverage(hw_buf *b, const site_fr *it)
{
	const cJSON *c = cJSON_GetObjectItem(it->trace, "coverage");

	return html_coverage_bar(b, site_num(c, "hit"), site_num(c, "lines"),
				 cJSON_IsTrue(cJSON_GetObjectItem(c, "known")));
}

/* Implements: FR-SITE-001 */
int render_matrix(site *s)
{
	hw_buf b;
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Functional requirements", "", "matrix.html");
	if (!err && !s->trace)
		err = hw_buf_puts(&b,
				  "<p class=\"notrun\">Traceability was "
				  "not run: every status below is <em>not run"
				  "</em>.</p>\n");
	if (!err && s->trace) {
		long approved, ok, waived;

		site_approved_counts(s, &approved, &ok, &waived);
		err = hw_buf_printf(&b,
				    "<p>%ld verified + %ld waived of %ld "
				    "approved FRs.</p>\n",
				    ok, waived, approved);
	}
	err = err ? err
		  : hw_buf_printf(
			    &b,
			    "<div class=\"filters\"><label for=\"flt\">"
			    "Filter</label><input id=\"flt\" type=\"search\""
			    " data-filter=\"matrix\" placeholder=\"id, "
			    "title or status\"><span id=\"flt-count\" "
			    "aria-live=\"polite\">%zu FRs</span></div>\n"
			    "<div class=\"scroll\"><table id=\"matrix\" "
			    "class=\"sortable\">\n<caption>Every FR with "
			    "its status, evidence and coverage (select a "
			    "column heading to sort)</caption>\n<thead><tr>"
			    "<th scope=\"col\">FR</th><th scope=\"col\">Rev"
			    "</th><th scope=\"col\">Title</th><th scope="
			    "\"col\">Document</th><th scope=\"col\">Status"
			    "</th><th scope=\"col\">Impl</th><th scope="
			    "\"col\">Tests passed</th><th scope=\"col\">"
			    "Coverage</th><th scope=\"col\">Findings</th>"
			    "</tr></thead>\n<tbody>\n",
			    s->nitems);
	for (size_t i = 0; i < s->nitems && !err; i++) {
		const site_fr *it = &s->items[i];
		const hw_fr *fr = it->fr;

		err = hw_buf_printf(&b,
				    "<tr><th scope=\"row\"><a href=\"fr/%s."
				    "html\">%s</a></th><td>%d</td><td>",
				    fr->id, fr->id, fr->rev);
		err = err ? err : hw_html_puts(&b, fr->title);
		err = err ? err
			  : hw_buf_printf(&b, "</td><td>%s</td><td>",
					  hw_fr_status_name(fr->status));
		err = err ? err : html_badge(&b, site_fr_state(s, it));
		err = err ? err
			  : hw_buf_printf(&b,
					  "</td><td>%ld</td><td>%ld/%ld</td>"
					  "<td>",
					  site_num(it->trace, "impl"),
					  site_num(it->trace, "tests_passed"),
					  site_num(it->trace, "tests"));
		err = err ? err : fr_coverage(&b, it);
		err = err ? err
			  : hw_buf_printf(&b, "</td><td>%zu</td></tr>\n",
					  it->nfindings);
	}
	err = err ? err : hw_buf_puts(&b, "</tbody></table></div>\n");
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "matrix.html", &b);
	hw_buf_free(&b);
	return err;
}

static int links_table(hw_buf *b, site *s, const site_fr *it, int tests)
{
	const cJSON *l;
	size_t n = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(l, cJSON_GetObjectItem(it->trace, "links")) {
		const char *kind = hw_json_str(l, "kind");
		const char *fn = hw_json_str(l, "function");
		const char *file = hw_json_str(l, "file");
		const char *outcome = hw_json_str(l, "outcome");
		long first = site_num(l, "first_line");

		if (!kind || !file || (!strcmp(kind, "impl")) == tests)
			continue;
		if (!n++)
			err = hw_buf_puts(
				b,
				tests ? "<div class=\"scroll\"><table>"
					"<thead><tr><th scope"
					"=\"col\">Kind</th><th scope=\"col\">"
					"Test</th><th scope=\"col\">Where"
					"</th><th scope=\"col\">Outcome</th>"
					"</tr></thead><tbody>\n"
				      : "<div class=\"scroll\"><table>"
					"<thead><tr><th scope=\"col"
					"\">Function</th><th scope=\"col\">"
					"Where</th><th scope=\"col\">Lines"
					"</th></tr></thead><tbody>\n");
		err = err ? err : hw_buf_puts(b, "<tr>");
		if (!err && tests) {
			err = hw_buf_puts(b, "<td>");
			err = err ? err : hw_html_puts(b, kind);
			err = err ? err : hw_buf_puts(b, "</td>");
		}
		err = err ? err : hw_buf_puts(b, "<td><code>");
		err = err ? err
			  : html_source_link(b, s, "../", file,
					     first ? first
						   : site_num(l, "line"),
					     fn ? fn : "(outside a function)");
		err = err ? err : hw_buf_puts(b, "</code></td><td>");
		err = err ? err : hw_html_puts(b, file);
		err = err ? err
			  : hw_buf_printf(b, ":%ld</td><td>",
					  site_num(l, "line"));
		if (!err && tests)
			err = html_badge(b, outcome ? outcome : "no result");
		else if (!err && fn)
			err = hw_buf_printf(b, "%ld–%ld", first,
					    site_num(l, "last_line"));
		else if (!err) /* a tag outside a function has no lines */
			err = hw_buf_puts(b, "—");
		err = err ? err : hw_buf_puts(b, "</td></tr>\n");
	}
	if (!err)
		err = hw_buf_puts(b, n ? "</tbody></table></div>\n"
				       : "<p class=\"muted\">None.</p>\n");
	return err;
}

int html_file_line(hw_buf *b, const site *s, const char *file, long line)
{
	hw_buf t;
	int err;

	hw_buf_init(&t, 0);
	err = hw_buf_printf(&t, "%s:%ld", file, line);
	err = err ? err : html_source_link(b, s, "../", file, line, t.data);
	hw_buf_free(&t);
	return err;
}

static int findings_table(hw_buf *b, site *s, const site_fr *it)
{
	int err = HW_OK;

	if (!s->sast)
		return hw_buf_puts(b, "<p class=\"notrun\">SAST was not run."
				      "</p>\n");
	if (!it->nfindings)
		return hw_buf_puts(b, "<p class=\"muted\">No findings in its "
				      "code.</p>\n");
	err = hw_buf_puts(b, "<div class=\"scroll\"><table><thead><tr><th "
			     "scope=\"col\">Severity"
			     "</th><th scope=\"col\">Tool / rule</th><th scope="
			     "\"col\">Where</th><th scope=\"col\">Message</th>"
			     "</tr></thead><tbody>\n");
	for (size_t i = 0; i < it->nfindings && !err; i++) {
		const cJSON *f = it->findings[i];
		const char *file = hw_json_str(f, "file");

		err = hw_buf_puts(b, "<tr><td>");
		err = err ? err
			  : html_badge(b, cJSON_IsTrue(cJSON_GetObjectItem(
						  f, "suppressed"))
						  ? "suppressed"
					  : hw_json_str(f, "severity")
						  ? hw_json_str(f, "severity")
						  : "unknown");
		err = err ? err : hw_buf_puts(b, "</td><td>");
		err = err ? err : hw_html_puts(b, hw_json_str(f, "tool"));
		err = err ? err : hw_buf_puts(b, " <code>");
		err = err ? err : hw_html_puts(b, hw_json_str(f, "rule"));
		err = err ? err : hw_buf_puts(b, "</code></td><td>");
		if (!err && file)
			err = html_file_line(b, s, file, site_num(f, "line"));
		err = err ? err : hw_buf_puts(b, "</td><td>");
		err = err ? err : hw_html_puts(b, hw_json_str(f, "message"));
		err = err ? err : html_finding_steps(b, s, "../", f);
		err = err ? err : hw_buf_puts(b, "</td></tr>\n");
	}
	return err ? err : hw_buf_puts(b, "</tbody></table></div>\n");
}

static int defects_list(hw_buf *b, const site *s, const hw_fr *fr)
{
	const cJSON *d;
	size_t n = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(s->trace, "defects")) {
		const char *id = hw_json_str(d, "fr");

		if (!id || strcmp(id, fr->id) != 0)
			continue;
		err = hw_buf_puts(b,
				  n++ ? "<li>" : "<ul class=\"defects\"><li>");
		err = err ? err
			  : html_badge(b, hw_json_str(d, "kind")
						  ? hw_json_str(d, "kind")
						  : "defect");
		err = err ? err : hw_buf_puts(b, " ");
		err = err ? err : hw_html_puts(b, hw_json_str(d, "message"));
		err = err ? err : hw_buf_puts(b, " <small>");
		err = err ? err : hw_html_puts(b, hw_json_str(d, "id"));
		err = err ? err : hw_buf_puts(b, "</small></li>\n");
		if (err)
			return err;
	}
	return hw_buf_puts(b, n ? "</ul>\n" : "<p class=\"muted\">None.</p>\n");
}

static int history(hw_buf *b, const site *s, const site_fr *it)
{
	int err;

	if (!s->have_bundle)
		return hw_buf_puts(b, "<p class=\"notrun\">No ledger bundle: "
				      "history not available (not run).</p>\n");
	if (!it->nhist)
		return hw_buf_puts(b, "<p class=\"muted\">No signed trace "
				      "event names this FR yet.</p>\n");
	err = hw_buf_puts(b, "<ol class=\"history\">");
	for (size_t i = 0; i < it->nhist && !err; i++) {
		err = hw_buf_printf(b,
				    "<li><a href=\"../ledger.html#e%llu\">"
				    "event %llu</a> ",
				    (unsigned long long)it->hist[i].seq,
				    (unsigned long long)it->hist[i].seq);
		err = err ? err : html_badge(b, it->hist[i].status);
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_puts(b, "</ol>\n");
}

static int fr_page(site *s, size_t idx, hw_buf *b, hw_buf *title)
{
	const site_fr *it = &s->items[idx];
	const hw_fr *fr = it->fr;
	const cJSON *waiver = cJSON_GetObjectItem(it->trace, "waiver");
	char needs[64], rel[512];
	int err;

	hw_buf_clear(b);
	hw_buf_clear(title);
	site_terms_reset_page(s);
	err = hw_buf_printf(title, "%s: %s", fr->id, fr->title);
	err = err ? err : page_begin(s, b, title->data, "../", NULL);
	hw_fr_needs_text(needs, sizeof(needs), fr->needs);
	err = err ? err
		  : hw_buf_puts(b, "<dl class=\"facts\"><dt>Status</dt>"
				   "<dd>");
	err = err ? err : html_badge(b, site_fr_state(s, it));
	if (!err && waiver) {
		err = hw_buf_puts(b, "</dd><dt>Waiver</dt><dd>");
		err = err ? err : html_waiver(b, waiver);
	}
	err = err ? err
		  : hw_buf_printf(
			    b,
			    "</dd><dt>Revision</dt><dd>%d</dd><dt>"
			    "Document status</dt><dd>%s</dd><dt>Needs</dt>"
			    "<dd>%s</dd><dt>Tests passed</dt><dd>%ld/%ld"
			    "</dd><dt>Coverage</dt><dd>",
			    fr->rev, hw_fr_status_name(fr->status), needs,
			    site_num(it->trace, "tests_passed"),
			    site_num(it->trace, "tests"));
	err = err ? err : fr_coverage(b, it);
	err = err ? err : hw_buf_puts(b, "</dd><dt>Defined in</dt><dd>");
	err = err ? err : hw_html_puts(b, fr->file);
	err = err ? err
		  : hw_buf_printf(b,
				  ":%ld</dd></dl>\n<section aria-label"
				  "=\"Requirement text\" class=\"frtext\">",
				  fr->line);
	err = err ? err
		  : site_markdown(b, s, fr->body ? fr->body : "",
				  fr->body ? strlen(fr->body) : 0, idx, "../");
	err = err ? err : hw_buf_puts(b, "</section>\n");
	err = err ? err : site_fr_links(b, s, it);
	err = err ? err : hw_buf_puts(b, "<h2>Implementation</h2>\n");
	err = err ? err : links_table(b, s, it, 0);
	err = err ? err : hw_buf_puts(b, "<h2>Tests</h2>\n");
	err = err ? err : links_table(b, s, it, 1);
	err = err ? err : hw_buf_puts(b, "<h2>Defects</h2>\n");
	err = err ? err : defects_list(b, s, fr);
	err = err ? err : hw_buf_puts(b, "<h2>SAST findings</h2>\n");
	err = err ? err : findings_table(b, s, it);
	err = err ? err : hw_buf_puts(b, "<h2>History</h2>\n");
	err = err ? err : history(b, s, it);
	err = err ? err : page_end(b, "../");
	snprintf(rel, sizeof(rel), "fr/%s.html", fr->id);
	err = err ? err : site_write(s, rel, b);
	if (!err) {
		search_add(s, "FR", title->data, rel + 0, site_fr_state(s, it));
	}
	return err;
}

static int render_range(site *s, size_t from, size_t to)
{
	hw_buf b, title;
	int err = HW_OK;

	hw_buf_init(&b, 0);
	hw_buf_init(&title, 0);
	for (size_t i = from; i < to && !err; i++)
		err = fr_page(s, i, &b, &title);
	hw_buf_free(&b);
	hw_buf_free(&title);
	return err;
}

typedef struct fr_range {
	size_t from, to;
} fr_range;

static int range_job(site *s, void *arg)
{
	const fr_range *r = arg;

	return render_range(s, r->from, r->to);
}

/* Where to split the pages so that the first part holds num/den of the
 * text (a page counts 512 bytes more than its FR's text). */
static size_t split_point(const site *s, size_t num, size_t den)
{
	size_t total = 0, half = 0, i = 0;

	for (size_t k = 0; k < s->nitems; k++)
		total += 512 + (s->items[k].fr->body
					? strlen(s->items[k].fr->body)
					: 0);
	for (; i < s->nitems && half < total / den * num; i++)
		half += 512 + (s->items[i].fr->body
				       ? strlen(s->items[i].fr->body)
				       : 0);
	return i;
}

#define FR_PAGES_PER_THREAD 64

/* Implements: FR-SITE-001 */
int render_fr_pages(site *s)
{
	size_t threads = hw_tasks_threads(s->nitems, FR_PAGES_PER_THREAD);
	/* the first part also creates the second's files: it renders a
	 * third of the text */
	size_t mid = threads > 1 ? split_point(s, 1, 3) : s->nitems;
	fr_range first = {0, mid}, second = {mid, s->nitems};
	int err;

	err = site_parts_run(s, threads, range_job, &first, range_job,
			     &second);
	s->stats->frs = s->nitems;
	return err;
}
