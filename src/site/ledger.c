/*
 * ledger.c — the ledger timeline (every event of the exported bundle with
 * its hash, signature status and commit; the latest signed checkpoint and
 * its anchor), the bundle copied into the site for download, and each FR's
 * status history from the signed trace events.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRACE_EVENT "trace"

/* The trace result an event carries: the payload itself or its "result". */
static cJSON *trace_result(const hw_event *e)
{
	cJSON *doc =
		cJSON_ParseWithLength((const char *)e->payload, e->payload_len);
	cJSON *r = doc;
	const char *schema = hw_json_str(doc, "schema");

	if (doc && (!schema || !hw_str_startswith(schema, "hwledger.trace/")))
		r = cJSON_DetachItemFromObject(doc, "result");
	if (r != doc)
		cJSON_Delete(doc);
	schema = hw_json_str(r, "schema");
	if (!schema || !hw_str_startswith(schema, "hwledger.trace/")) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

static int add_hist(site_fr *it, uint64_t seq, const char *status)
{
	if (HW_ARRAY_GROW(it->hist, it->nhist, it->caphist))
		return HW_ENOMEM;
	it->hist[it->nhist].seq = seq;
	it->hist[it->nhist++].status = status;
	return HW_OK;
}

#define REVIEW_EVENT "review"

/* Each review event's payload (hwledger.review/1), kept in
 * s->review_docs, listed on the pages of the requirements it names. */
static int reviews_build(site *s)
{
	for (size_t i = 0; s->have_bundle && i < s->events.n; i++) {
		const hw_event *e = &s->events.items[i];
		const cJSON *r;
		cJSON *doc;
		const char *schema, *reason;

		if (!e->kind || strcmp(e->kind, REVIEW_EVENT) != 0 ||
		    !(doc = cJSON_ParseWithLength((const char *)e->payload,
						  e->payload_len)))
			continue;
		schema = hw_json_str(doc, "schema");
		reason = hw_json_str(doc, "reason");
		if (!schema || strcmp(schema, "hwledger.review/1") != 0 ||
		    !reason) {
			cJSON_Delete(doc);
			continue;
		}
		/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
		if (HW_ARRAY_GROW(s->review_docs, s->nreview_docs,
				  s->capreview_docs)) {
			cJSON_Delete(doc);
			return HW_ENOMEM;
		}
		s->review_docs[s->nreview_docs++] = doc;
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "requirements")) {
			const char *id = hw_json_str(r, "id");
			site_fr *it = id ? site_find_fr(s, id) : NULL;

			if (!it)
				continue;
			if (HW_ARRAY_GROW(it->reviews, it->nreviews,
					  it->capreviews))
				return HW_ENOMEM;
			it->reviews[it->nreviews++] = (site_review){
				e, site_num(r, "rev"), reason};
		}
	}
	return HW_OK;
}

int site_history_build(site *s)
{
	size_t n = 0;
	int err = reviews_build(s);

	if (err)
		return err;

	for (size_t i = 0; s->have_bundle && i < s->events.n; i++)
		n += s->events.items[i].kind &&
		     !strcmp(s->events.items[i].kind, TRACE_EVENT);
	if (!n)
		return HW_OK;
	s->hist_docs = calloc(n, sizeof(cJSON *));
	s->hist_seq = calloc(n, sizeof(*s->hist_seq));
	if (!s->hist_docs || !s->hist_seq)
		return HW_ENOMEM;
	for (size_t i = 0; i < s->events.n; i++) {
		const hw_event *e = &s->events.items[i];
		const cJSON *fr;
		cJSON *doc;

		if (!e->kind || strcmp(e->kind, TRACE_EVENT) != 0 ||
		    !(doc = trace_result(e)))
			continue;
		s->hist_docs[s->nhist_docs] = doc;
		s->hist_seq[s->nhist_docs++] = e->seq;
		cJSON_ArrayForEach(fr, cJSON_GetObjectItem(doc, "frs")) {
			const char *id = hw_json_str(fr, "id");
			const char *st = hw_json_str(fr, "status");
			site_fr *it = id && st ? site_find_fr(s, id) : NULL;

			if (it && add_hist(it, e->seq, st))
				return HW_ENOMEM;
		}
	}
	return HW_OK;
}

void site_history_free(site *s)
{
	for (size_t i = 0; i < s->nhist_docs; i++)
		cJSON_Delete(s->hist_docs[i]);
	free(s->hist_docs);
	free(s->hist_seq);
	for (size_t i = 0; i < s->nreview_docs; i++)
		cJSON_Delete(s->review_docs[i]);
	free(s->review_docs);
	for (size_t i = 0; i < s->nitems; i++) {
		free(s->items[i].hist);
		free(s->items[i].reviews);
	}
}

/* A string of report.json, "" when there is none. */
static const char *report_str(const site *s, const char *key)
{
	const char *v = s->report ? hw_json_str(s->report, key) : NULL;

	return v ? v : "";
}

/* Copies the bundle's files into ledger/bundle/ for download. */
int site_copy_bundle(site *s)
{
	char **names = NULL;
	size_t n = 0;
	int err;

	if (!s->have_bundle)
		return HW_OK;
	if ((err = hw_dir_list(&names, &n, s->bundle_dir, "")))
		return err;
	for (size_t i = 0; i < n && !err; i++)
		if (!hw_path_is_dir(names[i]))
			err = site_copy_file(s, names[i], "ledger/bundle");
	hw_strv_free(names);
	return err;
}

static const char *sig_state(const site *s, uint64_t seq)
{
	const cJSON *bad = cJSON_GetObjectItem(s->verify, "first_bad");

	if (!s->verify)
		return "not verified";
	if (cJSON_IsTrue(cJSON_GetObjectItem(s->verify, "ok")))
		return "verified";
	if (!cJSON_IsNumber(bad))
		return "not verified";
	if ((double)seq < bad->valuedouble)
		return "verified";
	return (double)seq == bad->valuedouble ? "fail" : "not verified";
}

static int event_row(hw_buf *b, const site *s, const hw_event *e, int bad_shape)
{
	char hash[65], key[9], when[21];
	int err;

	hw_hex(hash, e->hash, 32);
	hw_hex(key, e->key_id, 4);
	hw_time_of((time_t)(e->time_ns / 1000000000LL), when);
	err = hw_buf_printf(b, "<tr id=\"e%llu\"><td>%llu</td><td>%s</td><td>",
			    (unsigned long long)e->seq,
			    (unsigned long long)e->seq, when);
	err = err ? err : hw_html_puts(b, e->kind ? e->kind : "?");
	err = err ? err
		  : hw_buf_printf(b,
				  "</td><td><code class=\"hash\" "
				  "title=\"%s\">%.16s…</code></td><td>",
				  hash, hash);
	err = err ? err
		  : html_badge(b, bad_shape ? "fail" : sig_state(s, e->seq));
	err = err ? err
		  : hw_buf_printf(b,
				  " <small>key %s</small></td><td>"
				  "<code>",
				  key);
	err = err ? err
		  : hw_html_puts(b, e->commit && *e->commit ? e->commit : "—");
	return err ? err
		   : hw_buf_printf(b, "</code></td><td>%zu B</td></tr>\n",
				   e->payload_len);
}

/* Implements: FR-SITE-001 */
int render_ledger(site *s)
{
	hw_buf b;
	char root[65];
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Ledger", "", "ledger.html");
	err = err ? err : hw_buf_puts(&b, "<h2>Verification</h2>\n<p>");
	err = err ? err : html_badge(&b, site_check_verdict(s->verify));
	err = err ? err : hw_buf_puts(&b, " ");
	err = err ? err
		  : hw_html_puts(&b, s->verify
					     ? hw_json_str(s->verify, "message")
					     : "The ledger was not "
					       "verified (not run).");
	err = err ? err : hw_buf_puts(&b, "</p>\n");
	if (!err && !s->have_bundle)
		err = hw_buf_puts(&b,
				  "<p class=\"notrun\">No export bundle in "
				  "the evidence folder: the timeline is not "
				  "available (not run).</p>\n");
	if (!err && s->have_bundle) {
		hw_hex(root, s->checkpoint.root, 32);
		err = hw_buf_printf(&b,
				    "<h2>Latest checkpoint</h2>\n<p>Tree size "
				    "%llu, root <code class=\"hash\">%s</code>",
				    (unsigned long long)s->checkpoint.size,
				    root);
		/* the report anchored the checkpoint it exported: its commit
		 * and ref, for `git show` and `git log` (none when the site
		 * was not made by `report`, or nothing was anchored) */
		if (!err && *report_str(s, "anchor_commit")) {
			err = hw_buf_puts(&b, ", anchored by commit <code>");
			err = err ? err
				  : hw_html_puts(&b,
						 report_str(s, "anchor_commit"));
			err = err ? err : hw_buf_puts(&b, "</code>");
			if (!err && *report_str(s, "anchor_ref")) {
				err = hw_buf_puts(&b, " on <code>");
				err = err ? err
					  : hw_html_puts(&b, report_str(
								     s, "anchor_ref"));
				err = err ? err : hw_buf_puts(&b, "</code>");
			}
		}
		err = err ? err
			  : hw_buf_puts(&b, ".</p>\n<pre class=\"note\" "
					    "tabindex=\"0\">");
		err = err ? err : hw_html_puts(&b, s->checkpoint.text);
		err = err ? err
			  : hw_buf_puts(
				    &b,
				    "</pre>\n<p>Download the bundle to "
				    "verify it offline with <code>hwledger "
				    "ledger verify --bundle DIR --key FILE"
				    "</code>: <a href=\"ledger/bundle/"
				    "events.jsonl\">events.jsonl</a>, <a "
				    "href=\"ledger/bundle/checkpoint\">"
				    "checkpoint</a>, <a href=\"ledger/"
				    "bundle/keys\">keys</a>.</p>\n"
				    "<h2>Timeline</h2>\n<div class=\"scroll"
				    "\"><table><thead><tr><th scope=\"col\">"
				    "Seq</th><th scope=\"col\">Time (UTC)"
				    "</th><th scope=\"col\">Kind</th><th "
				    "scope=\"col\">Hash</th><th scope=\"col"
				    "\">Signature</th><th scope=\"col\">"
				    "Commit</th><th scope=\"col\">Payload"
				    "</th></tr></thead><tbody>\n");
		for (size_t i = s->events.n; i-- > 0 && !err;)
			err = event_row(&b, s, &s->events.items[i],
					s->events.bad && s->events.bad[i]);
		err = err ? err : hw_buf_puts(&b, "</tbody></table></div>\n");
	}
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "ledger.html", &b);
	hw_buf_free(&b);
	return err;
}
