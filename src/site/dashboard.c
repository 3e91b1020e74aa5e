/*
 * dashboard.c — the first page: FR status counts and the share verified,
 * the gate verdict, the ledger's last checkpoint and whether it verifies,
 * SAST counts by severity, plan and probe check verdicts, and the trend of
 * verified FRs over the ledger's signed trace events.
 */
#include "internal.h"

#include <string.h>

/* A card with its badge; check names the signed check whose verdict the
 * card carries for verify-report (data-verdict, which may differ from
 * the badge: the trace check passes when it ran), NULL for none. */
static int card_begin(hw_buf *b, const char *title, const char *badge,
		      const char *href, const char *check,
		      const char *check_verdict)
{
	int err = hw_buf_printf(b,
				"<section class=\"card\" aria-label=\"%s\">"
				"<h2><a href=\"%s\">%s</a></h2><p class=\""
				"verdict\"",
				title, href, title);

	if (!err && check)
		err = hw_buf_printf(b, " data-check=\"%s\" data-verdict=\"%s\"",
				    check, check_verdict);
	err = err ? err : hw_buf_puts(b, ">");
	err = err ? err : html_badge(b, badge);
	return err ? err : hw_buf_puts(b, "</p>");
}

/* Every waiver in force: the FR, why, who granted it and until when. */
static int waiver_list(hw_buf *b, const site *s)
{
	const cJSON *fr;
	size_t n = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(s->trace, "frs")) {
		const cJSON *w = cJSON_GetObjectItem(fr, "waiver");
		const char *id = hw_json_str(fr, "id");

		if (err || !w || !id || !site_find_fr((site *)s, id))
			continue;
		err = hw_buf_puts(b, n++ ? "<li>"
					 : "<h3>Waivers</h3><ul class=\""
					   "waivers\"><li>");
		err = err ? err
			  : hw_buf_printf(b, "<a href=\"fr/%s.html\">%s</a>: ",
					  id, id);
		err = err ? err : html_waiver(b, w);
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err || !n ? err : hw_buf_puts(b, "</ul>");
}

static int fr_card(hw_buf *b, const site *s)
{
	static const char *const states[] = {"verified",  "failing",
					     "untested",  "partial",
					     "uncovered", "waived"};
	const cJSON *sum = cJSON_GetObjectItem(s->trace, "summary");
	long approved, ok, waived;
	const char *badge;
	int err;

	site_approved_counts(s, &approved, &ok, &waived);
	/* green only when every approved FR is verified or waived, and
	 * never beside a failing gate */
	badge = !s->trace ? "not run"
		: !strcmp(site_check_verdict(s->gate), "fail") ? "fail"
		: approved && ok + waived == approved	      ? "pass"
							      : "incomplete";
	err = card_begin(b, "Requirements", badge, "matrix.html", "trace",
			 site_check_verdict(s->trace));
	if (err || !s->trace)
		return err ? err
			   : hw_buf_puts(b, "<p>Traceability was not "
					    "run.</p></section>\n");
	err = hw_buf_printf(b,
			    "<p class=\"big\">%ld verified + %ld waived of "
			    "%ld</p><p>approved FRs (%ld%% verified)</p>"
			    "<ul class=\"counts\">",
			    ok, waived, approved,
			    approved ? ok * 100 / approved : 0);
	for (size_t i = 0; i < sizeof(states) / sizeof(*states) && !err; i++)
		err = hw_buf_printf(b, "<li>%s <strong>%ld</strong></li>",
				    states[i], site_num(sum, states[i]));
	err = err ? err
		  : hw_buf_printf(b, "</ul><p>%ld FR%s, %ld defect%s</p>",
				  site_num(sum, "frs"),
				  HW_S(site_num(sum, "frs")),
				  site_num(sum, "defects"),
				  HW_S(site_num(sum, "defects")));
	err = err ? err : waiver_list(b, s);
	return err ? err : hw_buf_puts(b, "</section>\n");
}

static int gate_card(hw_buf *b, const site *s)
{
	const cJSON *r;
	int err = card_begin(b, "Gate", site_check_verdict(s->gate),
			     "matrix.html", "gate", site_check_verdict(s->gate));

	if (!err && !s->gate)
		return hw_buf_puts(b,
				   "<p>The gate was not run.</p></section>\n");
	err = err ? err : hw_buf_puts(b, "<ul class=\"reasons\">");
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(s->gate, "reasons")) {
		err = err ? err : hw_buf_puts(b, "<li>");
		err = err ? err : hw_html_puts(b, hw_json_str(r, "message"));
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_puts(b, "</ul></section>\n");
}

static int ledger_card(hw_buf *b, const site *s)
{
	char root[65];
	int err = card_begin(b, "Ledger", site_check_verdict(s->verify),
			     "ledger.html", NULL, NULL);

	if (!err && !s->verify && !s->have_bundle)
		return hw_buf_puts(b, "<p>The ledger was not verified and no "
				      "bundle was exported.</p></section>\n");
	/* the verifier's counts (of the whole ledger, as `ledger verify`
	 * gives them), or what failed */
	if (!err && s->verify &&
	    cJSON_IsTrue(cJSON_GetObjectItem(s->verify, "ok"))) {
		long events = site_num(s->verify, "events");
		long cps = site_num(s->verify, "checkpoints");

		err = hw_buf_printf(b,
				    "<p>%ld event%s verified; %ld checkpoint%s, "
				    "%ld anchored</p>",
				    events, HW_S(events), cps, HW_S(cps),
				    site_num(s->verify, "anchors"));
	} else if (!err && s->verify) {
		err = hw_buf_puts(b, "<p>");
		err = err ? err
			  : hw_html_puts(b, hw_json_str(s->verify, "message"));
		err = err ? err : hw_buf_puts(b, "</p>");
	}
	if (!err && s->have_bundle) {
		hw_hex(root, s->checkpoint.root, 32);
		err = hw_buf_printf(b,
				    "<p>Last checkpoint: tree size %llu, root "
				    "<code class=\"hash\">%.16s…</code></p>",
				    (unsigned long long)s->checkpoint.size,
				    root);
	}
	return err ? err : hw_buf_puts(b, "</section>\n");
}

static int sast_card(hw_buf *b, const site *s)
{
	static const char *const sev[] = {"error", "warning", "note"};
	long count[3] = {0, 0, 0}, suppressed = 0, dups = 0, known = 0, i = 0;
	const cJSON *f;
	int err = card_begin(b, "SAST", site_check_verdict(s->sast),
			     "sast.html", "sast", site_check_verdict(s->sast));

	if (!err && !s->sast)
		return hw_buf_puts(b, "<p>SAST was not run.</p></section>\n");
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(s->sast, "findings")) {
		const char *v = hw_json_str(f, "severity");
		const char *st = site_finding_state(f, i++);

		known += !strcmp(st, "baseline");
		if (!strcmp(st, "suppressed") || !strcmp(st, "duplicate")) {
			suppressed += !strcmp(st, "suppressed");
			dups += !strcmp(st, "duplicate");
			continue;
		}
		for (int k = 0; v && k < 3; k++)
			count[k] += !strcmp(v, sev[k]);
	}
	err = err ? err : hw_buf_puts(b, "<ul class=\"counts\">");
	for (int k = 0; k < 3 && !err; k++)
		err = hw_buf_printf(b, "<li>%s <strong>%ld</strong></li>",
				    sev[k], count[k]);
	err = err ? err
		  : hw_buf_printf(b,
				  "<li>suppressed <strong>%ld</strong></li>"
				  "<li>duplicates <strong>%ld</strong></li>"
				  "</ul><p>%ld count toward the gate",
				  suppressed, dups, site_num(s->sast, "new"));
	if (!err && known)
		err = hw_buf_printf(b, "; %ld in the baseline", known);
	err = err ? err : hw_buf_puts(b, "</p>");
	err = err ? err : site_sast_runs(b, s, 1);
	return err ? err : hw_buf_puts(b, "</section>\n");
}

static int checks_card(hw_buf *b, const char *title, const cJSON *doc,
		       const char *href, const char *check)
{
	int err = card_begin(b, title, site_check_verdict(doc), href, check,
			     site_check_verdict(doc));

	if (!err && !doc)
		return hw_buf_puts(b, "<p>Not run.</p></section>\n");
	return err ? err
		   : hw_buf_printf(b,
				   "<p>%ld of %ld checks passed</p>"
				   "</section>\n",
				   site_num(doc, "total") -
					   site_num(doc, "failed"),
				   site_num(doc, "total"));
}

static int trend(hw_buf *b, const site *s)
{
	double v[512];
	size_t n = 0, from;
	double max = 1;
	int err;

	err = hw_buf_puts(b, "<section aria-labelledby=\"trend\"><h2 id=\""
			     "trend\">Trend</h2>\n");
	if (err || !s->nhist_docs)
		return err ? err
			   : hw_buf_puts(b, "<p class=\"muted\">No signed "
					    "trace events in the ledger "
					    "bundle yet.</p></section>\n");
	from = s->nhist_docs > 512 ? s->nhist_docs - 512 : 0;
	for (size_t i = from; i < s->nhist_docs; i++) {
		const cJSON *sum =
			cJSON_GetObjectItem(s->hist_docs[i], "summary"), *fr;

		/* verified, not waived: the events keep each FR's status,
		 * counted for the FRs approved now */
		v[n] = 0;
		cJSON_ArrayForEach(fr,
				   cJSON_GetObjectItem(s->hist_docs[i], "frs")) {
			const char *id = hw_json_str(fr, "id");
			const char *st = hw_json_str(fr, "status");
			const site_fr *it =
				id ? site_find_fr((site *)s, id) : NULL;

			v[n] += it && it->fr->status == HW_FR_APPROVED && st &&
				!strcmp(st, "verified");
		}
		if ((double)site_num(sum, "approved") > max)
			max = (double)site_num(sum, "approved");
		n++;
	}
	err = hw_buf_printf(b,
			    "<p>Approved FRs verified (waivers not counted) in "
			    "the last %zu signed trace events.</p>\n",
			    n);
	err = err ? err : svg_trend(b, v, n, max);
	return err ? err : hw_buf_puts(b, "</section>\n");
}

/* The report's own verdict, signer and every check's outcome. */
static int report_summary(hw_buf *b, const site *s)
{
	const cJSON *key = cJSON_GetObjectItem(s->report, "key"), *c;
	int err;

	if (!s->report)
		return hw_buf_puts(b, "<p class=\"muted\">Rendered from the "
				      "evidence folder without <code>hwledger "
				      "report</code>: no signed report.</p>\n");
	err = hw_buf_puts(b, "<section class=\"report\" aria-label=\"Report"
			     "\"><p>Report ");
	err = err ? err
		  : html_badge(b, cJSON_IsTrue(
					  cJSON_GetObjectItem(s->report, "ok"))
					  ? "pass"
					  : "fail");
	err = err ? err : hw_buf_puts(b, " signed by <code>");
	err = err ? err : hw_html_puts(b, hw_json_str(key, "name"));
	err = err ? err : hw_buf_puts(b, "</code> ");
	err = err ? err
		  : html_badge(b,
			       cJSON_IsTrue(cJSON_GetObjectItem(key, "trusted"))
				       ? "trusted key"
				       : "untrusted local key");
	err = err ? err : hw_buf_puts(b, " at commit <code>");
	err = err ? err : hw_html_puts(b, hw_json_str(s->report, "commit"));
	err = err ? err
		  : hw_buf_puts(b, cJSON_IsTrue(cJSON_GetObjectItem(s->report,
								    "dirty"))
					   ? "</code> (uncommitted changes)"
					   : "</code>");
	err = err ? err : hw_buf_puts(b, "</p><ul class=\"counts\">");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(s->report, "checks")) {
		err = err ? err : hw_buf_puts(b, "<li>");
		err = err ? err : hw_html_puts(b, hw_json_str(c, "check"));
		err = err ? err : hw_buf_puts(b, " ");
		err = err ? err
			  : html_badge(b, hw_json_str(c, "verdict")
						  ? hw_json_str(c, "verdict")
						  : "unknown");
		if (!err && hw_json_str(c, "message")) {
			err = hw_buf_puts(b, " <small>");
			err = err ? err
				  : hw_html_puts(b, hw_json_str(c, "message"));
			err = err ? err : hw_buf_puts(b, "</small>");
		}
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_puts(b, "</ul></section>\n");
}

/* Implements: FR-SITE-001 */
int render_dashboard(site *s)
{
	hw_buf b;
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Dashboard", "", "index.html");
	err = err ? err : report_summary(&b, s);
	err = err ? err : hw_buf_puts(&b, "<div class=\"cards\">\n");
	err = err ? err : fr_card(&b, s);
	err = err ? err : gate_card(&b, s);
	err = err ? err : ledger_card(&b, s);
	err = err ? err : sast_card(&b, s);
	err = err ? err
		  : checks_card(&b, "Plan checks", s->plan, "planner.html",
				"plan");
	err = err ? err
		  : checks_card(&b, "Probe checks", s->probe, "probes.html",
				"probe");
	err = err ? err : hw_buf_puts(&b, "</div>\n");
	err = err ? err : site_downloads_list(&b, s);
	err = err ? err : trend(&b, s);
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "index.html", &b);
	hw_buf_free(&b);
	return err;
}
