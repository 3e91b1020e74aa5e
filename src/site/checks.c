/*
 * checks.c — the SAST, planner and probe pages: findings grouped by file
 * and by FR; a stacked bar of where the memory goes for each plan check and
 * the context x batch heatmap of each sweep; probe readings per host with
 * their status and reason (an unknown reading is never shown as 0).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double dnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int text_or(hw_buf *b, const char *s, const char *dflt)
{
	return hw_html_puts(b, s ? s : dflt);
}

static int not_run(hw_buf *b, const char *what)
{
	return hw_buf_printf(b,
			     "<p class=\"notrun\">%s was not run: no result "
			     "in the evidence folder.</p>\n",
			     what);
}

/* One list of places ("steps" or "related") of a finding. */
static int finding_places(hw_buf *b, const site *s, const char *root,
			  const cJSON *list, const char *tag, const char *cls)
{
	const cJSON *p;
	int err = HW_OK;

	if (!cJSON_GetArraySize(list))
		return HW_OK;
	err = hw_buf_printf(b, "<%s class=\"%s\">", tag, cls);
	cJSON_ArrayForEach(p, list) {
		const char *file = hw_json_str(p, "file");
		char where[32] = "";
		hw_buf t;

		/* a step without a line (gcc writes 0) names the file alone */
		if (site_num(p, "line") > 0)
			snprintf(where, sizeof(where), ":%ld",
				 site_num(p, "line"));
		hw_buf_init(&t, 0);
		err = err ? err : hw_buf_puts(b, "<li>");
		err = err ? err : hw_buf_puts(&t, file && *file ? file : "?");
		err = err ? err : hw_buf_puts(&t, where);
		err = err ? err
			  : html_source_link(b, s, root, file ? file : "",
					     site_num(p, "line"), t.data);
		hw_buf_free(&t);
		err = err ? err : hw_buf_puts(b, " ");
		err = err ? err : text_or(b, hw_json_str(p, "message"), "");
		err = err ? err : hw_buf_puts(b, "</li>");
	}
	return err ? err : hw_buf_printf(b, "</%s>", tag);
}

/* Implements: FR-SITE-001 */
int html_finding_steps(hw_buf *b, const site *s, const char *root,
		       const cJSON *f)
{
	int err = finding_places(b, s, root, cJSON_GetObjectItem(f, "steps"),
				 "ol", "path");

	return err ? err
		   : finding_places(b, s, root,
				    cJSON_GetObjectItem(f, "related"), "ul",
				    "related");
}

static int finding_row(hw_buf *b, site *s, const cJSON *f, long idx)
{
	const cJSON *id;
	const char *state = site_finding_state(f, idx);
	char line[32];
	int err;

	snprintf(line, sizeof(line), "%ld", site_num(f, "line"));
	err = hw_buf_printf(b, "<tr id=\"f%ld\"><td>", idx);
	err = err ? err
		  : html_source_link(b, s, "", hw_json_str(f, "file"),
				     site_num(f, "line"), line);
	err = err ? err : hw_buf_puts(b, "</td><td>");
	err = err ? err
		  : html_badge(b, hw_json_str(f, "severity")
					  ? hw_json_str(f, "severity")
					  : "unknown");
	err = err ? err : hw_buf_puts(b, "</td><td>");
	err = err ? err : text_or(b, hw_json_str(f, "tool"), "?");
	err = err ? err : hw_buf_puts(b, " <code>");
	err = err ? err : text_or(b, hw_json_str(f, "rule"), "?");
	err = err ? err : hw_buf_puts(b, "</code></td><td>");
	err = err ? err : text_or(b, hw_json_str(f, "message"), "");
	err = err ? err : html_finding_steps(b, s, "", f);
	err = err ? err : hw_buf_puts(b, "</td><td>");
	cJSON_ArrayForEach(id, cJSON_GetObjectItem(f, "frs")) {
		if (err || !cJSON_IsString(id) ||
		    !site_find_fr(s, id->valuestring))
			continue;
		err = hw_buf_printf(b, "<a href=\"fr/%s.html\">%s</a> ",
				    id->valuestring, id->valuestring);
	}
	err = err ? err : hw_buf_puts(b, "</td><td>");
	err = err ? err : html_badge(b, state);
	return err ? err : hw_buf_puts(b, "</td></tr>\n");
}

static int sast_by_fr(hw_buf *b, const site *s)
{
	size_t n = 0;
	int err = hw_buf_puts(b, "<h2 id=\"by-fr\">By FR</h2>\n");

	for (size_t i = 0; i < s->nitems && !err; i++) {
		const site_fr *it = &s->items[i];
		long sev[3] = {0, 0, 0};

		if (!it->nfindings)
			continue;
		for (size_t k = 0; k < it->nfindings; k++) {
			const char *v =
				hw_json_str(it->findings[k], "severity");

			if (v && !strcmp(v, "error"))
				sev[0]++;
			else if (v && !strcmp(v, "warning"))
				sev[1]++;
			else
				sev[2]++;
		}
		err = hw_buf_printf(b,
				    "%s<li><a href=\"fr/%s.html\">%s</a>: %ld "
				    "error%s, %ld warning%s, %ld note%s</li>\n",
				    n++ ? "" : "<ul class=\"byfr\">",
				    it->fr->id, it->fr->id, sev[0],
				    HW_S(sev[0]), sev[1], HW_S(sev[1]), sev[2],
				    HW_S(sev[2]));
	}
	return err ? err
		   : hw_buf_puts(b, n ? "</ul>\n"
				      : "<p class=\"muted\">No finding "
					"is in code that implements "
					"an FR.</p>\n");
}

typedef struct by_file {
	const char *file;
	const cJSON *f;
	long idx;
} by_file;

static int cmp_by_file(const void *a, const void *b)
{
	const by_file *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The findings in file order (then in their order in sast.json): the
 * analyzers report tool by tool, and a file is one heading. */
static by_file *findings_by_file(const site *s, size_t *n, long *known)
{
	const cJSON *f;
	by_file *v;
	long i = 0;

	*n = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(s->sast,
							    "findings"));
	*known = 0;
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (!v)
		return NULL;
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(s->sast, "findings")) {
		const char *ff = hw_json_str(f, "file");

		*known += !strcmp(site_finding_state(f, i), "baseline");
		v[i] = (by_file){ff && *ff ? ff : "(no file)", f, i};
		i++;
	}
	qsort(v, *n, sizeof(*v), cmp_by_file);
	return v;
}

/* Implements: FR-SITE-001 */
int site_sast_runs(hw_buf *b, const site *s, int brief)
{
	const cJSON *runs = cJSON_GetObjectItem(s->sast, "runs"), *r, *f;
	const char *sep = "";
	int err = HW_OK;

	if (!cJSON_GetArraySize(runs))
		return HW_OK;
	err = hw_buf_puts(b, brief ? "<p>Units analysed: "
				   : "<h2>Analyzers</h2>\n<div class=\"scroll"
				     "\"><table><thead><tr><th scope=\"col\">"
				     "Tool</th><th scope=\"col\">Units</th>"
				     "<th scope=\"col\">Analysed</th><th "
				     "scope=\"col\">Failed</th><th scope="
				     "\"col\">Why</th></tr></thead><tbody>\n");
	cJSON_ArrayForEach(r, runs) {
		const char *tool = hw_json_str(r, "tool");
		long failed = site_num(r, "failed");

		if (err)
			break;
		err = hw_buf_puts(b, brief ? sep : "<tr><td>");
		err = err ? err : hw_html_puts(b, tool ? tool : "?");
		if (!err && brief)
			err = hw_buf_printf(b, " %ld of %ld%s",
					    site_num(r, "analysed"),
					    site_num(r, "units"),
					    failed > 0 ? " (failed on " : "");
		if (!err && brief && failed > 0)
			err = hw_buf_printf(b, "<strong class=\"fail\">%ld"
					       "</strong>)", failed);
		if (!err && !brief)
			err = hw_buf_printf(b, "</td><td>%ld</td><td>%ld</td>"
					       "<td>%ld</td><td>",
					    site_num(r, "units"),
					    site_num(r, "analysed"), failed);
		/* the reason of each failed unit, paths as the tool's
		 * report names them (never outside the repository) */
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(r, "failures")) {
			const char *unit = hw_json_str(f, "unit");
			const char *msg = hw_json_str(f, "message");

			if (err || brief)
				break;
			err = hw_buf_puts(b, "<div><code>");
			err = err ? err : hw_html_puts(b, unit ? unit : "");
			err = err ? err : hw_buf_puts(b, "</code>: ");
			err = err ? err : hw_html_puts(b, msg ? msg : "");
			err = err ? err : hw_buf_puts(b, "</div>");
		}
		if (!err && !brief)
			err = hw_buf_puts(b, "</td></tr>\n");
		sep = ", ";
	}
	if (!err)
		err = hw_buf_puts(b, brief ? "</p>" : "</tbody></table></div>\n");
	return err;
}

/* Implements: FR-SITE-001 */
int render_sast(site *s)
{
	const char *file = NULL;
	by_file *v = NULL;
	size_t n = 0;
	long known = 0;
	hw_buf b, key;
	int err;

	hw_buf_init(&b, 0);
	hw_buf_init(&key, 0);
	err = page_begin(s, &b, "SAST findings", "", "sast.html");
	if (!err && !s->sast)
		err = not_run(&b, "Static analysis");
	if (!err && s->sast && !(v = findings_by_file(s, &n, &known)))
		err = HW_ENOMEM;
	if (!err && s->sast)
		err = hw_buf_printf(&b,
				    "<p>%ld findings; %ld count toward the "
				    "gate (open errors and warnings, each "
				    "once)",
				    site_num(s->sast, "total"),
				    site_num(s->sast, "new"));
	if (!err && known)
		err = hw_buf_printf(&b, "; %ld are in the baseline", known);
	if (!err && s->sast)
		err = hw_buf_puts(&b, ". <a href=\"#by-fr\">By FR</a></p>\n");
	if (!err && s->sast)
		err = site_sast_runs(&b, s, 0);
	if (!err && s->sast)
		err = sast_by_fr(&b, s);
	if (!err && s->sast)
		err = hw_buf_puts(&b, "<h2>By file</h2>\n");
	for (size_t i = 0; i < n && !err; i++) {
		const cJSON *f = v[i].f;
		const char *ff = v[i].file;

		if (!file || strcmp(file, ff) != 0) {
			if (file)
				err = hw_buf_puts(&b,
						  "</tbody></table></div>\n");
			err = err ? err : hw_buf_puts(&b, "<h3>");
			err = err ? err : hw_html_puts(&b, ff);
			err = err ? err
				  : hw_buf_puts(
					    &b,
					    "</h3>\n<div class=\"scroll"
					    "\"><table><thead><tr><th scope="
					    "\"col\">Line</th><th scope=\""
					    "col\">Severity</th><th scope="
					    "\"col\">Tool / rule</th><th "
					    "scope=\"col\">Message</th><th "
					    "scope=\"col\">FRs</th><th scope"
					    "=\"col\">State</th></tr></thead>"
					    "<tbody>\n");
			file = ff;
		}
		err = err ? err : finding_row(&b, s, f, v[i].idx);
		if (!err) {
			hw_buf_clear(&key);
			err = hw_buf_printf(&key, "sast.html#f%ld", v[i].idx);
		}
		if (!err) {
			hw_buf t;

			hw_buf_init(&t, 0);
			hw_buf_printf(&t, "%s %s:%ld",
				      hw_json_str(f, "rule")
					      ? hw_json_str(f, "rule")
					      : "?",
				      ff, site_num(f, "line"));
			search_add(s, "finding", t.data ? t.data : "", key.data,
				   hw_json_str(f, "message"));
			hw_buf_free(&t);
		}
	}
	if (!err && file)
		err = hw_buf_puts(&b, "</tbody></table></div>\n");
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "sast.html", &b);
	free(v);
	hw_buf_free(&b);
	hw_buf_free(&key);
	return err;
}

static int plan_check(hw_buf *b, const cJSON *c, long idx)
{
	static const char *const parts[] = {"weights_bytes", "kv_bytes",
					    "activation_bytes",
					    "overhead_bytes"};
	static const char *const labels[] = {"weights", "KV cache",
					     "activations", "overhead"};
	const cJSON *plan = cJSON_GetObjectItem(c, "plan"), *x;
	const cJSON *in = cJSON_GetObjectItem(plan, "inputs");
	double v[4], tp = dnum(in, "tp") > 1 ? dnum(in, "tp") : 1;
	double pp = dnum(in, "pp") > 1 ? dnum(in, "pp") : 1;
	int err;

	err = hw_buf_printf(b, "<section class=\"check\" id=\"p%ld\"><h3>",
			    idx);
	err = err ? err : text_or(b, hw_json_str(c, "name"), "(unnamed)");
	err = err ? err : hw_buf_puts(b, "</h3><p>");
	err = err ? err
		  : html_badge(b, cJSON_IsTrue(cJSON_GetObjectItem(c, "ok"))
					  ? "pass"
					  : "fail");
	err = err ? err : hw_buf_puts(b, " <code>");
	err = err ? err : text_or(b, hw_json_str(c, "file"), "");
	err = err ? err : hw_buf_puts(b, "</code></p>\n");
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "failures")) {
		err = err ? err : hw_buf_puts(b, "<p class=\"fail\">");
		err = err ? err : text_or(b, cJSON_GetStringValue(x), "");
		err = err ? err : hw_buf_puts(b, "</p>\n");
	}
	if (err || !plan)
		return err ? err : hw_buf_puts(b, "</section>\n");
	/* per GPU: the plan's totals split over the TP x PP ranks */
	for (int i = 0; i < 4; i++)
		v[i] = dnum(plan, parts[i]) / (tp * pp);
	err = hw_buf_puts(b, "<p>");
	err = err ? err : text_or(b, hw_json_str(plan, "model"), "?");
	err = err ? err : hw_buf_puts(b, " — ");
	err = err ? err : text_or(b, hw_json_str(plan, "attention"), "?");
	err = err ? err
		  : hw_buf_printf(b,
				  ", context %ld, batch %ld, TP %ld, "
				  "PP %ld: %.2f GiB per GPU",
				  site_num(in, "ctx"), site_num(in, "batch"),
				  site_num(in, "tp"), site_num(in, "pp"),
				  dnum(plan, "per_gpu_bytes") / 1073741824.0);
	if (!err && hw_json_str(plan, "band"))
		err = hw_buf_puts(b, " ") ||
		      html_badge(b, hw_json_str(plan, "band"));
	err = err ? err : hw_buf_puts(b, "</p>\n");
	err = err ? err
		  : svg_stacked_bar(b, labels, v, 4,
				    dnum(in, "gpu_memory_bytes"));
	return err ? err : hw_buf_puts(b, "</section>\n");
}

/* The priced layouts of `plan --cheapest --json`, dated and sourced. */
static int cheapest_table(hw_buf *b, const cJSON *doc)
{
	const cJSON *in = cJSON_GetObjectItem(doc, "inputs"), *c;
	int err;

	err = hw_buf_puts(b, "<section class=\"check\"><h3>");
	err = err ? err : text_or(b, hw_json_str(doc, "model"), "model");
	err = err ? err
		  : hw_buf_printf(b,
				  "</h3>\n<p>Context %ld, batch %ld, the cheapest "
				  "layout of each dated price that fits "
				  "(per million tokens: at the memory-bandwidth "
				  "bound). Prices as of the date shown; one over "
				  "180 days old on ",
				  site_num(in, "ctx"), site_num(in, "batch"));
	err = err ? err : text_or(b, hw_json_str(in, "today"), "the day run");
	err = err ? err
		  : hw_buf_puts(b, " is marked stale.</p>\n<div class=\"scroll\">"
				   "<table><thead><tr><th scope=\"col\">$/hour"
				   "</th><th scope=\"col\">$/M tokens</th>"
				   "<th scope=\"col\">GPUs</th><th scope=\"col\">"
				   "GPU</th><th scope=\"col\">Provider</th>"
				   "<th scope=\"col\">Memory used</th>"
				   "<th scope=\"col\">Price as of</th>"
				   "</tr></thead><tbody>\n");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "configurations")) {
		if (err)
			break;
		err = hw_buf_printf(b,
				    "<tr><td>%.2f</td><td>%.2f</td><td>%ld "
				    "(TP %ld × PP %ld)</td><td>",
				    dnum(c, "usd_per_hour"),
				    dnum(c, "usd_per_million_tokens"),
				    site_num(c, "gpus"), site_num(c, "tp"),
				    site_num(c, "pp"));
		err = err ? err : text_or(b, hw_json_str(c, "gpu"), "?");
		err = err ? err : hw_buf_puts(b, "</td><td>");
		err = err ? err : text_or(b, hw_json_str(c, "provider"), "?");
		err = err ? err
			  : hw_buf_printf(b, "</td><td>%.0f%%</td><td>",
					  100 * dnum(c, "utilization"));
		err = err ? err : text_or(b, hw_json_str(c, "price_as_of"), "?");
		if (!err && cJSON_IsTrue(cJSON_GetObjectItem(c, "price_stale")))
			err = hw_buf_puts(b, " <span class=\"badge st-fail\">"
					     "stale</span>");
		err = err ? err : hw_buf_puts(b, "<br><small>");
		err = err ? err
			  : text_or(b, hw_json_str(c, "price_source"), "");
		err = err ? err : hw_buf_puts(b, "</small></td></tr>\n");
	}
	return err ? err : hw_buf_puts(b, "</tbody></table></div></section>\n");
}

/* Implements: FR-SITE-001 */
int render_planner(site *s)
{
	const cJSON *c;
	hw_buf b;
	long idx = 0;
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Planner", "", "planner.html");
	if (!err && !s->plan)
		err = not_run(&b, "Plan checking");
	if (!err && s->plan)
		err = hw_buf_printf(&b,
				    "<p>%ld plan checks, %ld failed. Each bar "
				    "shows where one GPU's memory goes; the "
				    "frame is the GPU's memory when the check "
				    "names one.</p>\n<h2>Plan checks</h2>\n",
				    site_num(s->plan, "total"),
				    site_num(s->plan, "failed"));
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(s->plan, "checks")) {
		char url[48];

		if (err)
			break;
		err = plan_check(&b, c, idx);
		snprintf(url, sizeof(url), "planner.html#p%ld", idx++);
		search_add(s, "plan check",
			   hw_json_str(c, "name") ? hw_json_str(c, "name")
						  : "plan check",
			   url, hw_json_str(c, "file"));
	}
	if (!err)
		err = hw_buf_puts(&b, "<h2>Context × batch sweeps</h2>\n");
	if (!err && !s->nsweeps)
		err = hw_buf_puts(&b, "<p class=\"notrun\">No sweep in the "
				      "evidence folder (not run).</p>\n");
	for (size_t i = 0; i < s->nsweeps && !err; i++) {
		err = hw_buf_puts(&b, "<section class=\"check\"><h3>");
		err = err ? err
			  : text_or(&b, hw_json_str(s->sweeps[i], "model"),
				    s->sweep_names[i]);
		err = err ? err : hw_buf_puts(&b, "</h3>\n");
		err = err ? err : svg_heatmap(&b, s->sweeps[i]);
		err = err ? err : hw_buf_puts(&b, "</section>\n");
	}
	if (!err)
		err = hw_buf_puts(&b, "<h2>Cheapest priced GPU layouts</h2>\n");
	if (!err)
		err = s->cheapest ? cheapest_table(&b, s->cheapest)
				  : hw_buf_puts(&b, "<p class=\"notrun\">No "
						    "price comparison in the "
						    "evidence folder (not "
						    "run).</p>\n");
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "planner.html", &b);
	hw_buf_free(&b);
	return err;
}

static int reading_row(hw_buf *b, const char *name, const cJSON *r)
{
	const cJSON *v = cJSON_GetObjectItem(r, "value");
	const char *st = hw_json_str(r, "status");
	int err = hw_buf_puts(b, "<tr><th scope=\"row\">");

	err = err ? err : hw_html_puts(b, name);
	err = err ? err : hw_buf_puts(b, "</th><td>");
	if (!err && cJSON_IsString(v))
		err = hw_html_puts(b, v->valuestring);
	else if (!err && cJSON_IsNumber(v))
		err = hw_buf_printf(b, "%.17g", v->valuedouble);
	else if (!err && cJSON_IsBool(v))
		err = hw_buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
	else if (!err)
		err = hw_buf_puts(b, "<span class=\"muted\">unknown</span>");
	err = err ? err : hw_buf_puts(b, " ");
	err = err ? err : text_or(b, hw_json_str(r, "unit"), "");
	err = err ? err : hw_buf_puts(b, "</td><td>");
	err = err ? err : html_badge(b, st ? st : "unknown");
	err = err ? err : hw_buf_puts(b, "</td><td>");
	err = err ? err : text_or(b, hw_json_str(r, "reason"), "");
	return err ? err : hw_buf_puts(b, "</td></tr>\n");
}

static int readings(hw_buf *b, const char *caption, const cJSON *obj)
{
	const cJSON *r;
	int err = hw_buf_puts(b, "<div class=\"scroll\"><table><caption>");

	err = err ? err : hw_html_puts(b, caption);
	err = err ? err
		  : hw_buf_puts(b, "</caption><thead><tr><th scope=\"col"
				   "\">Reading</th><th scope=\"col\">Value"
				   "</th><th scope=\"col\">Status</th><th "
				   "scope=\"col\">Reason</th></tr></thead>"
				   "<tbody>\n");
	cJSON_ArrayForEach(r, obj) {
		if (err)
			break;
		if (cJSON_IsObject(r) && cJSON_GetObjectItem(r, "status"))
			err = reading_row(b, r->string ? r->string : "?", r);
	}
	return err ? err : hw_buf_puts(b, "</tbody></table></div>\n");
}

/* A probed host's readings: h a host of a hwledger.probe/1 document,
 * named name (else its own), with the HTML note under its heading. */
static int probe_host(hw_buf *b, const cJSON *h, const char *name,
		      const char *note)
{
	const cJSON *g;
	long i = 0;
	int err = hw_buf_puts(b, "<section class=\"check\"><h3>Host ");

	err = err ? err : text_or(b, name ? name : hw_json_str(h, "host"), "?");
	err = err ? err : hw_buf_puts(b, "</h3>\n");
	err = err || !note ? err : hw_buf_puts(b, note);
	if (!err && !cJSON_IsTrue(cJSON_GetObjectItem(h, "reachable"))) {
		err = hw_buf_puts(b, "<p>");
		err = err ? err : html_badge(b, "unreachable");
		err = err ? err : hw_buf_puts(b, " ");
		err = err ? err : text_or(b, hw_json_str(h, "error"), "");
		err = err ? err : hw_buf_puts(b, "</p>\n");
	}
	err = err ? err
		  : readings(b, "System", cJSON_GetObjectItem(h, "system"));
	err = err ? err
		  : readings(b, "GPU back ends",
			     cJSON_GetObjectItem(h, "backends"));
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(h, "gpus")) {
		char cap[32];

		snprintf(cap, sizeof(cap), "GPU %ld", i++);
		err = err ? err : readings(b, cap, g);
	}
	if (!err && !i)
		err = hw_buf_puts(b, "<p class=\"muted\">No GPU found on this "
				     "host.</p>\n");
	return err ? err : hw_buf_puts(b, "</section>\n");
}

/* The latest fleet-result event of each host in the bundle (ledger
 * order: the last one of a host wins), sorted by host. */
typedef struct fleet_host {
	const char *host;
	const hw_event *e;
	cJSON *doc; /* its payload */
} fleet_host;

static int fleet_host_cmp(const void *a, const void *b)
{
	return strcmp(((const fleet_host *)a)->host,
		      ((const fleet_host *)b)->host);
}

/* When e came and how long before the ledger's newest event (the ages
 * are as of the report's own last record, so the page does not change
 * with the day it is rendered), who signed it and its event. */
static int fleet_note(hw_buf *b, const site *s, const fleet_host *f)
{
	const hw_event *last = &s->events.items[s->events.n - 1];
	time_t t = (time_t)(f->e->time_ns / 1000000000LL);
	long long age = (last->time_ns - f->e->time_ns) / 1000000000LL;
	const char *serial = hw_json_str(f->doc, "serial");
	char when[32], key[9];
	struct tm tm;
	int err;

	hw_hex(key, f->e->key_id, 4);
	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "?");
	err = hw_buf_printf(b, "<p>Probed %s, %lld s before the ledger's last "
			       "event; ", when, age);
	if (serial) {
		err = err ? err
			  : hw_buf_puts(b, "signed by the agent of certificate "
					   "<code>");
		err = err ? err : hw_html_puts(b, serial);
		err = err ? err : hw_buf_puts(b, "</code>, ");
	} else {
		err = err ? err
			  : hw_buf_puts(b, "probed over SSH by the fleet "
					   "server, ");
	}
	return err ? err
		   : hw_buf_printf(b,
				   "recorded as <a href=\"ledger.html#e%llu\">"
				   "event %llu</a> with key <code>%s</code>."
				   "</p>\n",
				   (unsigned long long)f->e->seq,
				   (unsigned long long)f->e->seq, key);
}

/* Every fleet host's latest readings from the bundle's fleet-result
 * events: no network at report time, only what the ledger signed. */
/* Implements: FR-FLEET-025 */
static int fleet_section(hw_buf *b, const site *s)
{
	fleet_host *v = NULL;
	size_t n = 0, cap = 0;
	int err = HW_OK;

	for (size_t i = s->have_bundle ? s->events.n : 0; !err && i-- > 0;) {
		const hw_event *e = &s->events.items[i];
		cJSON *doc;
		const char *host;
		size_t k;

		if (!e->kind || strcmp(e->kind, "fleet-result") != 0 ||
		    !(doc = cJSON_ParseWithLength((const char *)e->payload,
						  e->payload_len)))
			continue;
		host = hw_json_str(doc, "host");
		for (k = 0; host && k < n && strcmp(v[k].host, host) != 0; k++)
			;
		if (!host || k < n ||
		    !cJSON_GetArrayItem(cJSON_GetObjectItem(
						cJSON_GetObjectItem(doc,
								    "result"),
						"hosts"),
					0)) {
			cJSON_Delete(doc);
			continue;
		}
		/* hwledger-sast-ignore bugprone-sizeof-expression: an array of structs */
		if (HW_ARRAY_GROW(v, n, cap)) {
			cJSON_Delete(doc);
			err = HW_ENOMEM;
			break;
		}
		v[n++] = (fleet_host){host, e, doc};
	}
	if (n)
		qsort(v, n, sizeof(*v), fleet_host_cmp);
	if (!err && n)
		err = hw_buf_puts(b, "<h2>Fleet</h2>\n<p>Each host's latest "
				     "probe result signed into the ledger by "
				     "the fleet server.</p>\n");
	for (size_t k = 0; k < n; k++) {
		hw_buf note;

		hw_buf_init(&note, 0);
		err = err ? err : fleet_note(&note, s, &v[k]);
		err = err ? err
			  : probe_host(b,
				       cJSON_GetArrayItem(
					       cJSON_GetObjectItem(
						       cJSON_GetObjectItem(
							       v[k].doc, "result"),
						       "hosts"),
					       0),
				       v[k].host, note.data);
		hw_buf_free(&note);
		cJSON_Delete(v[k].doc);
	}
	free(v);
	return err;
}

/* Implements: FR-SITE-001 */
int render_probes(site *s)
{
	const cJSON *c, *h;
	hw_buf b;
	int err;

	hw_buf_init(&b, 0);
	err = page_begin(s, &b, "Probes", "", "probes.html");
	if (!err && !s->probe)
		err = not_run(&b, "Probe checking");
	if (!err && s->probe)
		err = hw_buf_puts(&b,
				  "<h2>Probe checks</h2>\n<table><thead><tr>"
				  "<th scope=\"col\">Check</th><th scope=\"col"
				  "\">Verdict</th><th scope=\"col\">Failures"
				  "</th></tr></thead><tbody>\n");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(s->probe, "checks")) {
		const cJSON *x;

		err = err ? err : hw_buf_puts(&b, "<tr><td>");
		err = err ? err : text_or(&b, hw_json_str(c, "name"), "?");
		err = err ? err : hw_buf_puts(&b, "</td><td>");
		err = err ? err
			  : html_badge(&b, cJSON_IsTrue(
						   cJSON_GetObjectItem(c, "ok"))
						   ? "pass"
						   : "fail");
		err = err ? err : hw_buf_puts(&b, "</td><td>");
		cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "failures")) {
			err = err ? err
				  : text_or(&b, cJSON_GetStringValue(x), "");
			err = err ? err : hw_buf_puts(&b, "<br>");
		}
		err = err ? err : hw_buf_puts(&b, "</td></tr>\n");
	}
	if (!err && s->probe)
		err = hw_buf_puts(&b, "</tbody></table>\n<h2>Readings</h2>\n");
	cJSON_ArrayForEach(
		h, cJSON_GetObjectItem(cJSON_GetObjectItem(s->probe, "probe"),
				       "hosts")) {
		err = err ? err : probe_host(&b, h, NULL, NULL);
	}
	err = err ? err : fleet_section(&b, s);
	err = err ? err : page_end(&b, "");
	err = err ? err : site_write(s, "probes.html", &b);
	hw_buf_free(&b);
	return err;
}
