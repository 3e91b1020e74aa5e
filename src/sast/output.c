/*
 * output.c — findings as text (grouped by file), hwledger JSON and SARIF
 * 2.1.0. The SARIF log has one run per tool, the rules that run used (with
 * a description), relative URIs against %SRCROOT%, the hwledger fingerprint
 * as partialFingerprints "hwledger/v1", inline suppressions as SARIF
 * suppressions and the baseline as baselineState.
 */
#include "sast.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* A finding counts toward the gate: open, not a duplicate, not a note. */
static int is_new(const hw_finding *x, long i)
{
	return !x->suppressed && !x->in_baseline && x->group == i &&
	       x->severity != HW_SEV_NOTE;
}

int hw_sast_is_new(const hw_findings *f, size_t i)
{
	return is_new(&f->items[i], (long)i);
}

/* Implements: FR-SAST-004 */
size_t hw_sast_new_count(const hw_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += is_new(&f->items[i], (long)i);
	return n;
}

/* Implements: FR-SAST-005 */
int hw_sast_run_incomplete(const hw_sast_run_stats *r)
{
	return r->failed && (r->units < 10 || r->failed * 10 > r->units);
}

/* The members of one run, in an open object. */
static void run_members(hw_jw *w, const hw_sast_run_stats *r)
{
	hw_jw_kstr(w, "tool", r->tool);
	hw_jw_kint(w, "units", (long long)r->units);
	hw_jw_kint(w, "analysed", (long long)(r->units - r->failed));
	hw_jw_kint(w, "failed", (long long)r->failed);
	hw_jw_kbool(w, "complete", !hw_sast_run_incomplete(r));
	hw_jw_key(w, "failures");
	hw_jw_array(w);
	for (size_t k = 0; k < r->nfailures; k++) {
		hw_jw_object(w);
		hw_jw_kstr(w, "unit", r->failures[k].unit);
		hw_jw_kstr(w, "message", r->failures[k].message);
		hw_jw_end(w);
	}
	hw_jw_end(w);
}

/* Implements: FR-SAST-005 */
int hw_sast_run_json(hw_buf *out, const hw_sast_run_stats *r)
{
	hw_jw w;
	int err;

	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_SAST_RUN_SCHEMA);
	run_members(&w, r);
	hw_jw_end(&w);
	if ((err = hw_jw_finish(&w)))
		return err;
	return hw_buf_append(out, "\n", 1);
}

/* Implements: FR-SAST-002 */
void hw_sast_counts(const hw_findings *f, size_t open[3], size_t *sup,
		    size_t *dup)
{
	open[0] = open[1] = open[2] = *sup = *dup = 0;
	for (size_t i = 0; i < f->n; i++) {
		const hw_finding *x = &f->items[i];

		if (x->group != (long)i)
			++*dup; /* suppressed or not: only the leader counts */
		else if (x->suppressed)
			++*sup;
		else
			open[x->severity]++;
	}
}

/* One step of a finding's path, under it: "FILE:LINE: message", or
 * "FILE: message" for a step the tool gave no line (gcc writes line 0). */
static void step_text(hw_buf *out, const hw_sast_step *x)
{
	hw_buf_printf(out, "    %s", *x->file ? x->file : "(no location)");
	if (x->line > 0)
		hw_buf_printf(out, ":%ld", x->line);
	hw_buf_printf(out, ": %s\n", x->message);
}

/* Implements: FR-SAST-002 */
int hw_sast_text(hw_buf *out, const hw_findings *f)
{
	const hw_finding **v = malloc((f->n + 1) * sizeof(*v));
	size_t count[3] = {0, 0, 0}, dup = 0, sup = 0;

	HW_CHECK_ALLOC(v);
	hw_sast_counts(f, count, &sup, &dup);
	for (size_t i = 0; i < f->n; i++)
		v[i] = &f->items[i];
	qsort(v, f->n, sizeof(*v), hw_finding_cmp_place);
	for (size_t i = 0; i < f->n; i++) {
		const hw_finding *x = v[i];
		long self = (long)(x - f->items);

		if (!i || strcmp(x->file, v[i - 1]->file))
			hw_buf_printf(out, "%s%s\n", i ? "\n" : "",
				      *x->file ? x->file : "(no location)");
		hw_buf_printf(out, "  %ld:%ld  %-7s %s/%s  %s", x->line, x->col,
			      hw_severity_name(x->severity), x->tool, x->rule,
			      x->message);
		if (*x->function)
			hw_buf_printf(out, "  [in %s]", x->function);
		for (size_t k = 0; x->frs && x->frs[k]; k++)
			hw_buf_printf(out, "%s%s", k ? ", " : "  (", x->frs[k]);
		if (x->frs && x->frs[0])
			hw_buf_printf(out, ")");
		if (x->group != self)
			hw_buf_printf(out, "  same defect as %s/%s",
				      f->items[x->group].tool,
				      f->items[x->group].rule);
		if (x->suppressed)
			hw_buf_printf(out, "  suppressed: %s", x->suppress_reason);
		else if (x->in_baseline)
			hw_buf_printf(out, "  (baseline)");
		hw_buf_printf(out, "\n");
		for (size_t k = 0; k < x->nsteps; k++)
			step_text(out, &x->steps[k]);
	}
	free(v);
	for (size_t i = 0; i < f->nruns; i++) {
		const hw_sast_run_stats *r = &f->runs[i];

		hw_buf_printf(out, "%s%s: %zu of %zu units analysed",
			      i || !f->n ? "" : "\n", r->tool,
			      r->units - r->failed, r->units);
		if (r->failed)
			hw_buf_printf(out, ", %zu failed%s", r->failed,
				      hw_sast_run_incomplete(r)
					      ? " (incomplete)"
					      : "");
		for (size_t k = 0; k < r->nfailures; k++)
			hw_buf_printf(out, "\n  %s: %s",
				      *r->failures[k].unit ? r->failures[k].unit
							   : "(all units)",
				      r->failures[k].message);
		hw_buf_printf(out, "\n");
	}
	return hw_buf_printf(out,
			     "%s%zu finding%s: %zu error%s, %zu warning%s, "
			     "%zu note%s open; %zu suppressed, %zu duplicate%s; "
			     "%zu new\n",
			     f->n || f->nruns ? "\n" : "", f->n, HW_S(f->n),
			     count[HW_SEV_ERROR], HW_S(count[HW_SEV_ERROR]),
			     count[HW_SEV_WARNING], HW_S(count[HW_SEV_WARNING]),
			     count[HW_SEV_NOTE], HW_S(count[HW_SEV_NOTE]), sup,
			     dup, HW_S(dup), hw_sast_new_count(f));
}

/* Path steps or related places as JSON: [{file, line, column, message}]. */
static void steps_json(hw_jw *w, const char *key, const hw_sast_step *v,
		       size_t n)
{
	hw_jw_key(w, key);
	hw_jw_array(w);
	for (size_t i = 0; i < n; i++) {
		hw_jw_object(w);
		hw_jw_kstr(w, "file", v[i].file);
		hw_jw_kint(w, "line", v[i].line);
		hw_jw_kint(w, "column", v[i].col);
		hw_jw_kstr(w, "message", v[i].message);
		hw_jw_end(w);
	}
	hw_jw_end(w);
}

static void frs_array(hw_jw *w, const hw_finding *x)
{
	hw_jw_array(w);
	for (size_t k = 0; x->frs && x->frs[k]; k++)
		hw_jw_str(w, x->frs[k]);
	hw_jw_end(w);
}

/* Implements: FR-SAST-002, FR-SAST-003 */
int hw_sast_json(hw_buf *out, const hw_findings *f, FILE *spill)
{
	hw_jw w;

	hw_jw_init(&w, out, 1);
	hw_jw_spill_to(&w, spill);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_SAST_SCHEMA);
	hw_jw_key(&w, "findings");
	hw_jw_array(&w);
	for (size_t i = 0; i < f->n; i++) {
		const hw_finding *x = &f->items[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "tool", x->tool);
		hw_jw_kstr(&w, "rule", x->rule);
		hw_jw_kstr(&w, "severity", hw_severity_name(x->severity));
		hw_jw_kstr(&w, "tool_level", x->tool_level);
		hw_jw_key(&w, "cwe");
		if (x->cwe)
			hw_jw_int(&w, x->cwe);
		else
			hw_jw_null(&w);
		hw_jw_kstr(&w, "file", x->file);
		hw_jw_kint(&w, "line", x->line);
		hw_jw_kint(&w, "column", x->col);
		hw_jw_kstr(&w, "message", x->message);
		hw_jw_kstr(&w, "notes", x->notes);
		steps_json(&w, "steps", x->steps, x->nsteps);
		steps_json(&w, "related", x->related, x->nrelated);
		hw_jw_kstr(&w, "function", x->function);
		hw_jw_key(&w, "frs");
		frs_array(&w, x);
		hw_jw_kstr(&w, "fingerprint", x->fingerprint);
		hw_jw_kint(&w, "group", x->group);
		hw_jw_kbool(&w, "suppressed", x->suppressed);
		if (x->suppressed)
			hw_jw_kstr(&w, "suppress_reason", x->suppress_reason);
		hw_jw_kbool(&w, "in_baseline", x->in_baseline);
		hw_jw_kbool(&w, "new", is_new(x, (long)i));
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_key(&w, "runs");
	hw_jw_array(&w);
	for (size_t i = 0; i < f->nruns; i++) {
		hw_jw_object(&w);
		run_members(&w, &f->runs[i]);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_kint(&w, "total", (long long)f->n);
	hw_jw_kint(&w, "new", (long long)hw_sast_new_count(f));
	hw_jw_end(&w);
	if (hw_jw_finish(&w))
		return hw_jw_finish(&w);
	return hw_buf_append(out, "\n", 1);
}

/* The distinct rules of one tool, in order of first use. */
static size_t tool_rules(const hw_findings *f, const char *tool,
			 const hw_finding **rules)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const hw_finding *x = &f->items[i];
		size_t k;

		if (strcasecmp(x->tool, tool) != 0)
			continue;
		for (k = 0; k < n && strcmp(rules[k]->rule, x->rule); k++)
			;
		if (k == n)
			rules[n++] = x;
	}
	return n;
}

static size_t rule_index(const hw_finding **rules, size_t n, const char *rule)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(rules[k]->rule, rule))
			return k;
	return 0;
}

static void message(hw_jw *w, const char *text)
{
	hw_jw_key(w, "message");
	hw_jw_object(w);
	hw_jw_kstr(w, "text", text);
	hw_jw_end(w);
}

/* "physicalLocation": {"artifactLocation", "region"} (no region without a
 * line). */
static void physical(hw_jw *w, const char *file, long line, long col)
{
	hw_jw_key(w, "physicalLocation");
	hw_jw_object(w);
	hw_jw_key(w, "artifactLocation");
	hw_jw_object(w);
	if (hw_str_startswith(file, HW_SAST_OUTSIDE)) {
		/* where it lies on this machine is not published */
		hw_jw_kstr(w, "uri", file + strlen(HW_SAST_OUTSIDE));
		hw_jw_kstr(w, "uriBaseId", "OUTSIDE");
	} else {
		hw_jw_kstr(w, "uri", file);
		hw_jw_kstr(w, "uriBaseId", "%SRCROOT%");
	}
	hw_jw_end(w);
	if (line > 0) {
		hw_jw_key(w, "region");
		hw_jw_object(w);
		hw_jw_kint(w, "startLine", line);
		if (col > 0)
			hw_jw_kint(w, "startColumn", col);
		hw_jw_end(w);
	}
	hw_jw_end(w);
}

/* A SARIF location object's members: where, and what happens there. */
static void step_location(hw_jw *w, const hw_sast_step *x)
{
	if (*x->file)
		physical(w, x->file, x->line, x->col);
	if (*x->message)
		message(w, x->message);
}

/*
 * The path as one codeFlow with one threadFlow, its steps in order, and
 * the related places as relatedLocations (SARIF 2.1.0 §3.36, §3.27.22).
 */
static void sarif_steps(hw_jw *w, const hw_finding *x)
{
	if (x->nsteps) {
		hw_jw_key(w, "codeFlows");
		hw_jw_array(w);
		hw_jw_object(w);
		hw_jw_key(w, "threadFlows");
		hw_jw_array(w);
		hw_jw_object(w);
		hw_jw_key(w, "locations");
		hw_jw_array(w);
		for (size_t i = 0; i < x->nsteps; i++) {
			hw_jw_object(w);
			hw_jw_key(w, "location");
			hw_jw_object(w);
			step_location(w, &x->steps[i]);
			hw_jw_end(w);
			hw_jw_end(w);
		}
		hw_jw_end(w);
		hw_jw_end(w);
		hw_jw_end(w);
		hw_jw_end(w);
		hw_jw_end(w);
	}
	if (x->nrelated) {
		hw_jw_key(w, "relatedLocations");
		hw_jw_array(w);
		for (size_t i = 0; i < x->nrelated; i++) {
			hw_jw_object(w);
			hw_jw_kint(w, "id", (long long)i);
			step_location(w, &x->related[i]);
			hw_jw_end(w);
		}
		hw_jw_end(w);
	}
}

static void sarif_result(hw_jw *w, const hw_finding *x, size_t rule)
{
	char text[64];

	hw_jw_object(w);
	hw_jw_kstr(w, "ruleId", x->rule);
	hw_jw_kint(w, "ruleIndex", (long long)rule);
	hw_jw_kstr(w, "level", hw_severity_name(x->severity));
	message(w, *x->message ? x->message : x->rule);
	if (*x->file) {
		hw_jw_key(w, "locations");
		hw_jw_array(w);
		hw_jw_object(w);
		physical(w, x->file, x->line, x->col);
		if (*x->function) {
			hw_jw_key(w, "logicalLocations");
			hw_jw_array(w);
			hw_jw_object(w);
			hw_jw_kstr(w, "name", x->function);
			hw_jw_kstr(w, "kind", "function");
			hw_jw_end(w);
			hw_jw_end(w);
		}
		hw_jw_end(w);
		hw_jw_end(w);
	}
	sarif_steps(w, x);
	hw_jw_key(w, "partialFingerprints");
	hw_jw_object(w);
	hw_jw_kstr(w, "hwledger/v1", x->fingerprint);
	hw_jw_end(w);
	hw_jw_kstr(w, "baselineState", x->in_baseline ? "unchanged" : "new");
	if (x->suppressed) {
		hw_jw_key(w, "suppressions");
		hw_jw_array(w);
		hw_jw_object(w);
		hw_jw_kstr(w, "kind", "inSource");
		hw_jw_kstr(w, "justification", x->suppress_reason);
		hw_jw_end(w);
		hw_jw_end(w);
	}
	hw_jw_key(w, "properties");
	hw_jw_object(w);
	hw_jw_kstr(w, "toolLevel", x->tool_level);
	if (x->cwe) {
		snprintf(text, sizeof(text), "external/cwe/cwe-%d", x->cwe);
		hw_jw_key(w, "tags");
		hw_jw_array(w);
		hw_jw_str(w, text);
		hw_jw_end(w);
	}
	hw_jw_key(w, "frs");
	frs_array(w, x);
	hw_jw_end(w);
	hw_jw_end(w);
}

/* The unit an analyzer failed on, and why, as a SARIF notification. */
static void sarif_failure(hw_jw *w, const hw_sast_failure *x)
{
	hw_jw_object(w);
	hw_jw_kstr(w, "level", "error");
	message(w, x->message);
	if (*x->unit) {
		hw_jw_key(w, "locations");
		hw_jw_array(w);
		hw_jw_object(w);
		physical(w, x->unit, 0, 0);
		hw_jw_end(w);
		hw_jw_end(w);
	}
	hw_jw_end(w);
}

/* Whether the run succeeded, and what it failed on (FR-SAST-005). */
static void sarif_invocation(hw_jw *w, const hw_sast_run_stats *r)
{
	hw_jw_key(w, "invocations");
	hw_jw_array(w);
	hw_jw_object(w);
	hw_jw_kbool(w, "executionSuccessful", r->failed == 0);
	hw_jw_key(w, "toolExecutionNotifications");
	hw_jw_array(w);
	for (size_t k = 0; k < r->nfailures; k++)
		sarif_failure(w, &r->failures[k]);
	hw_jw_end(w);
	hw_jw_key(w, "properties");
	hw_jw_object(w);
	hw_jw_kint(w, "units", (long long)r->units);
	hw_jw_kint(w, "analysed", (long long)(r->units - r->failed));
	hw_jw_kint(w, "failed", (long long)r->failed);
	hw_jw_kbool(w, "complete", !hw_sast_run_incomplete(r));
	hw_jw_end(w);
	hw_jw_end(w);
	hw_jw_end(w);
}

static void uri_base(hw_jw *w, const char *name, const char *text)
{
	hw_jw_key(w, name);
	hw_jw_object(w);
	hw_jw_key(w, "description");
	hw_jw_object(w);
	hw_jw_kstr(w, "text", text);
	hw_jw_end(w);
	hw_jw_end(w);
}

/* One tool's run: its rules and results, and its invocation when r. */
static void sarif_run(hw_jw *w, const hw_findings *f, const char *tool,
		      const hw_finding **rules, const hw_sast_run_stats *r)
{
	size_t nr = tool_rules(f, tool, rules);

	hw_jw_object(w);
	hw_jw_key(w, "tool");
	hw_jw_object(w);
	hw_jw_key(w, "driver");
	hw_jw_object(w);
	hw_jw_kstr(w, "name", tool);
	hw_jw_key(w, "rules");
	hw_jw_array(w);
	for (size_t k = 0; k < nr; k++) {
		hw_jw_object(w);
		hw_jw_kstr(w, "id", rules[k]->rule);
		hw_jw_key(w, "shortDescription");
		hw_jw_object(w);
		hw_jw_kstr(w, "text", rules[k]->rule);
		hw_jw_end(w);
		hw_jw_key(w, "fullDescription");
		hw_jw_object(w);
		hw_jw_kstr(w, "text", *rules[k]->message ? rules[k]->message
							 : rules[k]->rule);
		hw_jw_end(w);
		hw_jw_key(w, "defaultConfiguration");
		hw_jw_object(w);
		hw_jw_kstr(w, "level", hw_severity_name(rules[k]->severity));
		hw_jw_end(w);
		hw_jw_end(w);
	}
	hw_jw_end(w);
	hw_jw_end(w);
	hw_jw_end(w);
	if (r)
		sarif_invocation(w, r);
	hw_jw_key(w, "originalUriBaseIds");
	hw_jw_object(w);
	uri_base(w, "%SRCROOT%", "the repository root");
	uri_base(w, "OUTSIDE",
		 "a folder outside the repository, not published");
	hw_jw_end(w);
	hw_jw_key(w, "results");
	hw_jw_array(w);
	for (size_t i = 0; i < f->n; i++)
		/* hwledger-sast-ignore clang-analyzer-core.NonNullParamChecker: tool is a run's or a finding's array, never NULL (the analyzer takes f->runs for NULL with nruns > 0) */
		if (!strcasecmp(f->items[i].tool, tool))
			sarif_result(w, &f->items[i],
				     rule_index(rules, nr, f->items[i].rule));
	hw_jw_end(w);
	hw_jw_end(w);
}

/* Implements: FR-SAST-004 */
int hw_sast_sarif(hw_buf *out, const hw_findings *f, FILE *spill)
{
	const hw_finding **rules = malloc((f->n + 1) * sizeof(*rules));
	hw_jw w;
	int err;

	HW_CHECK_ALLOC(rules);
	hw_jw_init(&w, out, 1);
	hw_jw_spill_to(&w, spill);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "$schema", SARIF_SCHEMA);
	hw_jw_kstr(&w, "version", "2.1.0");
	hw_jw_key(&w, "runs");
	hw_jw_array(&w);
	/* the tools run, each with its invocation, even without results */
	for (size_t i = 0; i < f->nruns; i++)
		sarif_run(&w, f, f->runs[i].tool, rules, &f->runs[i]);
	for (size_t i = 0; i < f->n; i++) {
		size_t j, k;

		for (j = 0; j < i && strcasecmp(f->items[j].tool,
						f->items[i].tool) != 0;
		     j++)
			;
		for (k = 0; k < f->nruns && strcasecmp(f->runs[k].tool,
						       f->items[i].tool) != 0;
		     k++)
			;
		/* the first finding of a tool not run opens its run */
		if (j == i && k == f->nruns)
			sarif_run(&w, f, f->items[i].tool, rules, NULL);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	free(rules);
	if ((err = hw_jw_finish(&w)))
		return err;
	return hw_buf_append(out, "\n", 1);
}
