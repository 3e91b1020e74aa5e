/*
 * frpage.c — the FR matrix and one page per FR: text, status, the
 * implementing functions and tests with links into the source view, test
 * outcomes, coverage, SAST findings, defects and the FR's status history
 * from the ledger.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The status word the evidence gives an FR: "not run" without trace.json,
 * "missing" when trace.json does not name it. */
static const char *fr_state(const site *s, const site_fr *it)
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
	err = page_begin(&b, "Functional requirements", "", "matrix.html");
	if (!err && !s->trace)
		err = hw_buf_puts(&b,
				  "<p class=\"notrun\">Traceability was "
				  "not run: every status below is <em>not run"
				  "</em>.</p>\n");
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
		err = err ? err : html_badge(&b, fr_state(s, it));
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
		else if (!err)
			err = hw_buf_printf(b, "%ld–%ld", first,
					    site_num(l, "last_line"));
		err = err ? err : hw_buf_puts(b, "</td></tr>\n");
	}
	if (!err)
		err = hw_buf_puts(b, n ? "</tbody></table></div>\n"
				       : "<p class=\"muted\">None.</p>\n");
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
		char where[64];

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
		snprintf(where, sizeof(where), ":%ld", site_num(f, "line"));
		if (!err && file) {
			hw_buf t;

			hw_buf_init(&t, 0);
			err = hw_buf_puts(&t, file) || hw_buf_puts(&t, where);
			err = err ? err
				  : html_source_link(b, s, "../", file,
						     site_num(f, "line"),
						     t.data);
			hw_buf_free(&t);
		}
		err = err ? err : hw_buf_puts(b, "</td><td>");
		err = err ? err : hw_html_puts(b, hw_json_str(f, "message"));
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
	char needs[64], rel[512];
	int err;

	hw_buf_clear(b);
	hw_buf_clear(title);
	site_terms_reset_page(s);
	err = hw_buf_printf(title, "%s: %s", fr->id, fr->title);
	err = err ? err : page_begin(b, title->data, "../", NULL);
	hw_fr_needs_text(needs, sizeof(needs), fr->needs);
	err = err ? err
		  : hw_buf_puts(b, "<dl class=\"facts\"><dt>Status</dt>"
				   "<dd>");
	err = err ? err : html_badge(b, fr_state(s, it));
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
	err = err ? err
		  : hw_buf_puts(b, "</section>\n<h2>Implementation</h2>"
				   "\n");
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
		search_add(s, "FR", title->data, rel + 0, fr_state(s, it));
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

/*
 * The second half of the FR pages, rendered on a thread of its own. It
 * works on a shallow copy of the context with its own page state, stats,
 * manifest entries, search records and term uses; join_half adds them
 * after the first half's, so the site is byte for byte the one a single
 * thread writes.
 */
typedef struct fr_half {
	site s;
	hw_site_stats stats;
	hw_buf search;
	size_t from, to;
	int err;
	char message[512];
	pthread_t tid;
} fr_half;

static void *half_run(void *arg)
{
	fr_half *h = arg;

	h->err = render_range(&h->s, h->from, h->to);
	if (h->err) /* errors are per thread: keep the words */
		snprintf(h->message, sizeof(h->message), "%s",
			 hw_error_last());
	return NULL;
}

static int half_begin(fr_half *h, site *s, size_t from)
{
	memset(h, 0, sizeof(*h));
	h->s = *s;
	h->s.stats = &h->stats;
	h->s.lex.used = calloc(s->nterms ? s->nterms : 1, 1);
	h->s.lex.used_list = calloc(s->nterms ? s->nterms : 1, sizeof(size_t));
	h->s.lex.nused = 0;
	h->s.lex.tips = 0;
	h->s.mpaths = NULL;
	h->s.mhashes = NULL;
	h->s.nm = h->s.capm = 0;
	h->s.deferring = 1;
	h->s.uses = NULL;
	h->s.nuses = h->s.capuses = 0;
	hw_buf_init(&h->search, 0);
	hw_jw_fork(&s->sw, &h->s.sw, &h->search);
	h->from = from;
	h->to = s->nitems;
	if (!h->s.lex.used || !h->s.lex.used_list)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	if (pthread_create(&h->tid, NULL, half_run, h) != 0)
		return hw_error_set(HW_EIO, NULL, 0, 0, "cannot start a thread");
	return HW_OK;
}

/* Waits for the half and adds what it made to s, in order. */
static int half_join(fr_half *h, site *s, int started, int err)
{
	if (started)
		pthread_join(h->tid, NULL);
	if (!err && started && h->err)
		err = hw_error_set(h->err, NULL, 0, 0, "%s", h->message);
	if (!err && h->s.nm) {
		size_t n = s->nm + h->s.nm;
		char **p = realloc(s->mpaths, n * sizeof(*p));
		void *q = p ? realloc(s->mhashes, n * sizeof(*s->mhashes))
			    : NULL;

		if (p)
			s->mpaths = p;
		if (q)
			s->mhashes = q;
		if (!p || !q) {
			err = hw_error_set(HW_ENOMEM, NULL, 0, 0,
					   "out of memory");
		} else {
			memcpy(s->mpaths + s->nm, h->s.mpaths,
			       h->s.nm * sizeof(*p));
			memcpy(s->mhashes + s->nm, h->s.mhashes,
			       h->s.nm * sizeof(*s->mhashes));
			s->nm = s->capm = n;
			h->s.nm = 0; /* the paths are s's now */
		}
	}
	for (size_t i = 0; !err && i + 1 < h->s.nuses; i += 2)
		err = site_term_used_by(s, h->s.uses[i], h->s.uses[i + 1]);
	if (!err) {
		hw_jw_join(&s->sw, &h->s.sw);
		s->stats->pages += h->stats.pages;
		s->stats->files += h->stats.files;
		s->stats->bytes += h->stats.bytes;
	}
	for (size_t i = 0; i < h->s.nm; i++)
		free(h->s.mpaths[i]);
	free(h->s.mpaths);
	free(h->s.mhashes);
	free(h->s.uses);
	free(h->s.lex.used);
	free(h->s.lex.used_list);
	hw_buf_free(&h->search);
	return err;
}

/* Where to split the pages so both halves hold about as much text. */
static size_t split_point(const site *s)
{
	size_t total = 0, half = 0, i = 0;

	for (size_t k = 0; k < s->nitems; k++)
		total += 512 + (s->items[k].fr->body
					? strlen(s->items[k].fr->body)
					: 0);
	for (; i < s->nitems && half < total / 2; i++)
		half += 512 + (s->items[i].fr->body
				       ? strlen(s->items[i].fr->body)
				       : 0);
	return i;
}

#define FR_PAGES_PER_THREAD_MIN 64

/* Two threads for many pages where there are two cores; HWLEDGER_THREADS
 * set to 1 or 2 decides instead (for tests and comparisons). */
static int two_threads(const site *s)
{
	/* hwledger-sast-ignore FF1053: only compared with "1" and "2" */
	const char *env = getenv("HWLEDGER_THREADS");

	if (env && strcmp(env, "1") == 0)
		return 0;
	if (env && strcmp(env, "2") == 0)
		return s->nitems >= 2;
	return s->nitems >= (size_t)2 * FR_PAGES_PER_THREAD_MIN &&
	       sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* Implements: FR-SITE-001 */
int render_fr_pages(site *s)
{
	fr_half h;
	size_t mid = s->nitems;
	int started = 0, err;

	if (two_threads(s)) {
		mid = split_point(s);
		started = half_begin(&h, s, mid) == HW_OK;
		if (!started) { /* one thread does it all */
			half_join(&h, s, 0, HW_OK);
			hw_error_clear();
			mid = s->nitems;
		}
	}
	err = render_range(s, 0, mid);
	if (started)
		err = half_join(&h, s, 1, err);
	s->stats->frs = s->nitems;
	return err;
}
