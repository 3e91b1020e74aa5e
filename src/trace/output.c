/*
 * output.c — the trace as a text matrix, JSON (schema hwledger.trace/1, in
 * specs/json-schemas.md), a Markdown matrix for pull-request comments,
 * SARIF 2.1.0 (one result per defect) and the baseline file.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

static double coverage_pct(const hw_fr_trace *ft)
{
	return ft->cov_lines ? 100.0 * (double)ft->cov_hit /
				       (double)ft->cov_lines
			     : 0.0;
}

static void coverage_text(char *out, size_t n, const hw_trace *t,
			  const hw_fr_trace *ft)
{
	if (!ft->impl || !t->have_coverage || !ft->cov_known)
		snprintf(out, n, "-");
	else if (!ft->cov_lines)
		snprintf(out, n, "no lines");
	else
		snprintf(out, n, "%.1f%%", coverage_pct(ft));
}

static const char *state_color(hw_fr_state s)
{
	switch (s) {
	case HW_ST_VERIFIED: return "\033[32m";
	case HW_ST_WAIVED: return "\033[36m";
	case HW_ST_FAILING: return "\033[31m";
	default: return "\033[33m";
	}
}

/* The states of the FRs of level lv (-1: all) and how many approved FRs
 * are verified (or waived). */
static void level_counts(const hw_trace *t, int lv, size_t c[6],
			 size_t *approved, size_t *approved_ok)
{
	memset(c, 0, 6 * sizeof(size_t));
	*approved = *approved_ok = 0;
	for (size_t i = 0; i < t->nfrs; i++) {
		if (lv >= 0 && t->frs[i].fr->level != lv)
			continue;
		c[t->frs[i].state]++;
		if (t->frs[i].fr->status == HW_FR_APPROVED) {
			(*approved)++;
			*approved_ok += t->frs[i].state == HW_ST_VERIFIED ||
					t->frs[i].state == HW_ST_WAIVED;
		}
	}
}

static void counts(const hw_trace *t, size_t c[6], size_t *approved,
		   size_t *approved_ok)
{
	level_counts(t, -1, c, approved, approved_ok);
}

size_t hw_trace_approved_waived(const hw_trace *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nfrs; i++)
		n += t->frs[i].fr->status == HW_FR_APPROVED &&
		     t->frs[i].state == HW_ST_WAIVED;
	return n;
}

static const char *waived_note(char *buf, size_t size, size_t waived)
{
	snprintf(buf, size, " (%zu waived)", waived);
	return buf;
}

static int has_levels(const hw_trace *t)
{
	return t->model && t->model->nlevels;
}

/* With levels: one line per level ("system: 3 FRs, 1/2 approved
 * verified") and the reason of every rolled-up state that is not
 * verified. */
/* Implements: FR-TRACE-010 */
static int write_levels_text(hw_buf *o, const hw_trace *t, const char *pre)
{
	int err = HW_OK;

	for (size_t lv = 0; !err && lv < hw_trace_nlevels(t); lv++) {
		size_t c[6], approved, ok;

		level_counts(t, (int)lv, c, &approved, &ok);
		err = hw_buf_printf(o, "%slevel %s: %zu FRs, approved verified "
				       "%zu/%zu\n",
				    pre, hw_trace_level_name(t, (int)lv),
				    c[0] + c[1] + c[2] + c[3] + c[4] + c[5],
				    ok, approved);
	}
	for (size_t i = 0; !err && i < t->nfrs; i++) {
		char r[128];

		hw_trace_reason(r, sizeof(r), &t->frs[i]);
		if (r[0])
			err = hw_buf_printf(o, "%s%s is %s: %s\n", pre,
					    t->frs[i].fr->id,
					    hw_fr_state_name(t->frs[i].state),
					    r);
	}
	return err;
}

/* Implements: FR-TRACE-005 */
int hw_trace_write_text(hw_buf *o, const hw_trace *t, int color)
{
	size_t c[6], approved, ok, waived, w = 2, lw = 5;
	char note[32];
	int err = HW_OK;

	for (size_t i = 0; i < t->nfrs; i++)
		if (strlen(t->frs[i].fr->id) > w)
			w = strlen(t->frs[i].fr->id);
	for (size_t lv = 0; has_levels(t) && lv < t->model->nlevels; lv++)
		if (strlen(t->model->levels[lv].name) > lw)
			lw = strlen(t->model->levels[lv].name);
	if (has_levels(t))
		err = hw_buf_printf(o, "%-*s  ", (int)lw, "LEVEL");
	err = err ? err : hw_buf_printf(o, "%-*s  REV  %-10s  %-10s  IMPL  TESTS  %-8s  "
			       "DEFECTS\n",
			    (int)w, "FR", "FR-STATUS", "STATUS", "COVERAGE");
	for (size_t i = 0; !err && i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];
		char cov[32], tests[32];

		coverage_text(cov, sizeof(cov), t, ft);
		snprintf(tests, sizeof(tests), "%zu/%zu", ft->tests_passed,
			 ft->tests);
		if (has_levels(t) &&
		    (err = hw_buf_printf(o, "%-*s  ", (int)lw,
					 hw_trace_level_name(t, ft->fr->level))))
			break;
		err = hw_buf_printf(o, "%-*s  %3d  %-10s  %s%-10s%s  %4zu  %5s  "
				       "%8s  %7zu\n",
				    (int)w, ft->fr->id, ft->fr->rev,
				    hw_fr_status_name(ft->fr->status),
				    color ? state_color(ft->state) : "",
				    hw_fr_state_name(ft->state),
				    color ? "\033[0m" : "", ft->impl, tests, cov,
				    ft->ndefects);
	}
	if (!err && t->ndefects)
		err = hw_buf_printf(o, "\ndefects:\n");
	for (size_t i = 0; !err && i < t->ndefects; i++) {
		const hw_defect *d = &t->defects[i];

		err = hw_buf_printf(o, "  %s:%ld: [%s] %s\n",
				    d->file ? d->file : "-", d->line,
				    hw_defect_kind_name(d->kind), d->message);
	}
	counts(t, c, &approved, &ok);
	waived = hw_trace_approved_waived(t);
	/* a waiver is not a verification: "0 verified, 1 waived; approved
	 * FRs verified: 1/4" contradicted itself */
	if (!err)
		err = hw_buf_printf(
			o,
			"\n%zu FR%s: %zu verified, %zu failing, %zu untested, "
			"%zu partial, %zu uncovered, %zu waived; approved FRs "
			"verified%s: %zu/%zu%s; %zu defect%s\n",
			t->nfrs, HW_S(t->nfrs), c[HW_ST_VERIFIED],
			c[HW_ST_FAILING],
			c[HW_ST_UNTESTED], c[HW_ST_PARTIAL], c[HW_ST_UNCOVERED],
			c[HW_ST_WAIVED], waived ? " or waived" : "", ok,
			approved, waived ? waived_note(note, sizeof(note), waived)
					 : "",
			t->ndefects, HW_S(t->ndefects));
	if (!err && has_levels(t))
		err = write_levels_text(o, t, "");
	return err;
}

static const char *kind_name(hw_tag_kind k)
{
	return k == HW_TAG_IMPL ? "impl" : k == HW_TAG_UTEST ? "utest" : "itest";
}

static void write_link(hw_jw *w, const hw_link *l)
{
	hw_jw_object(w);
	hw_jw_kstr(w, "kind", kind_name(l->kind));
	hw_jw_kstr(w, "file", l->file->path);
	hw_jw_kint(w, "line", l->tag->line);
	hw_jw_kstr(w, "function", l->func ? l->func->name : NULL);
	if (l->func) {
		hw_jw_kint(w, "first_line", l->func->first);
		hw_jw_kint(w, "last_line", l->func->last);
	}
	hw_jw_kint(w, "rev", l->tag->rev);
	if (l->kind != HW_TAG_IMPL) {
		hw_jw_key(w, "outcome");
		if (l->outcome < 0)
			hw_jw_null(w);
		else
			hw_jw_str(w, hw_outcome_name((hw_outcome)l->outcome));
		hw_jw_kint(w, "runs", l->runs);
	}
	hw_jw_end(w);
}

/* A custom attribute: a list as an array of its trimmed items, any other
 * type as the string written. */
static void write_attr(hw_jw *w, const hw_frs_model *m, const hw_fr_attr *a)
{
	int list = 0;

	for (size_t i = 0; m && i < m->nattrs; i++)
		if (!strcmp(m->attrs[i].name, a->name))
			list = m->attrs[i].type == HW_ATTR_LIST;
	if (!list) {
		hw_jw_kstr(w, a->name, a->value);
		return;
	}
	hw_jw_key(w, a->name);
	hw_jw_array(w);
	for (const char *p = a->value; *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		char *item = hw_strndup(p, n);

		if (!item && !w->err)
			w->err = HW_ENOMEM; /* the document fails, not the item */
		hw_jw_str(w, item ? item : "");
		free(item);
		p += n;
		while (*p && *p != ',')
			p++;
		if (*p)
			p++;
	}
	hw_jw_end(w);
}

/* An FR's level, its links to other requirements and its attributes. */
/* Implements: FR-TRACE-010 */
static void write_req_links(hw_jw *w, const hw_trace *t, const hw_fr_trace *ft)
{
	const hw_fr *fr = ft->fr;
	char r[128];

	hw_jw_kstr(w, "level", hw_trace_level_name(t, fr->level));
	hw_jw_key(w, "parents");
	hw_jw_array(w);
	for (size_t k = 0; k < fr->nparents; k++)
		hw_jw_str(w, fr->parents[k]);
	hw_jw_end(w);
	hw_jw_key(w, "children");
	hw_jw_array(w);
	for (size_t k = 0; k < ft->nchildren; k++)
		hw_jw_str(w, t->frs[ft->children[k]].fr->id);
	hw_jw_end(w);
	hw_jw_key(w, "depends");
	hw_jw_array(w);
	for (size_t k = 0; k < fr->ndepends; k++)
		hw_jw_str(w, fr->depends[k]);
	hw_jw_end(w);
	hw_jw_kbool(w, "derived", fr->derived);
	if (fr->derived)
		hw_jw_kstr(w, "rationale", fr->rationale);
	hw_jw_key(w, "attributes");
	hw_jw_object(w);
	for (size_t k = 0; k < fr->nattrs; k++)
		write_attr(w, t->model, &fr->attrs[k]);
	hw_jw_end(w);
	hw_trace_reason(r, sizeof(r), ft);
	if (r[0])
		hw_jw_kstr(w, "reason", r);
}

/* Implements: FR-TRACE-005 */
int hw_trace_write_json(hw_buf *o, const hw_trace *t)
{
	hw_jw w;
	size_t c[6], approved, ok;

	counts(t, c, &approved, &ok);
	hw_jw_init(&w, o, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_TRACE_SCHEMA);
	hw_jw_key(&w, "summary");
	hw_jw_object(&w);
	hw_jw_kint(&w, "frs", (long long)t->nfrs);
	for (int s = 0; s <= HW_ST_WAIVED; s++) {
		hw_jw_key(&w, hw_fr_state_name((hw_fr_state)s));
		hw_jw_int(&w, (long long)c[s]);
	}
	hw_jw_kint(&w, "approved", (long long)approved);
	hw_jw_kint(&w, "approved_verified", (long long)ok);
	hw_jw_kint(&w, "defects", (long long)t->ndefects);
	hw_jw_kint(&w, "coverage_threshold", (long long)t->threshold);
	hw_jw_kbool(&w, "have_results", t->have_results);
	hw_jw_kbool(&w, "have_coverage", t->have_coverage);
	hw_jw_end(&w);
	hw_jw_key(&w, "levels");
	hw_jw_array(&w);
	for (size_t lv = 0; lv < hw_trace_nlevels(t); lv++) {
		size_t lc[6], la, lok;

		level_counts(t, has_levels(t) ? (int)lv : -1, lc, &la, &lok);
		hw_jw_object(&w);
		hw_jw_kstr(&w, "name", hw_trace_level_name(t, (int)lv));
		hw_jw_kint(&w, "frs", (long long)lc[0] + (long long)lc[1] +
					      (long long)lc[2] + (long long)lc[3] +
					      (long long)lc[4] + (long long)lc[5]);
		for (int s = 0; s <= HW_ST_WAIVED; s++) {
			hw_jw_key(&w, hw_fr_state_name((hw_fr_state)s));
			hw_jw_int(&w, (long long)lc[s]);
		}
		hw_jw_kint(&w, "approved", (long long)la);
		hw_jw_kint(&w, "approved_verified", (long long)lok);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_key(&w, "frs");
	hw_jw_array(&w);
	for (size_t i = 0; i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", ft->fr->id);
		hw_jw_kint(&w, "rev", ft->fr->rev);
		hw_jw_kstr(&w, "fr_status", hw_fr_status_name(ft->fr->status));
		hw_jw_kstr(&w, "status", hw_fr_state_name(ft->state));
		hw_jw_kstr(&w, "title", ft->fr->title);
		hw_jw_kstr(&w, "file", ft->fr->file);
		hw_jw_kint(&w, "line", ft->fr->line);
		write_req_links(&w, t, ft);
		hw_jw_kint(&w, "impl", (long long)ft->impl);
		hw_jw_kint(&w, "tests", (long long)ft->tests);
		hw_jw_kint(&w, "tests_passed", (long long)ft->tests_passed);
		hw_jw_key(&w, "coverage");
		hw_jw_object(&w);
		hw_jw_kint(&w, "lines", ft->cov_lines);
		hw_jw_kint(&w, "hit", ft->cov_hit);
		hw_jw_kbool(&w, "known", ft->cov_known);
		hw_jw_end(&w);
		if (ft->waiver) {
			hw_jw_key(&w, "waiver");
			hw_jw_object(&w);
			hw_jw_kstr(&w, "reason", ft->waiver->reason);
			hw_jw_kstr(&w, "expires", ft->waiver->expires);
			if (ft->waiver->by)
				hw_jw_kstr(&w, "by", ft->waiver->by);
			hw_jw_end(&w);
		}
		hw_jw_key(&w, "links");
		hw_jw_array(&w);
		for (size_t k = 0; k < ft->nlinks; k++)
			write_link(&w, &ft->links[k]);
		hw_jw_end(&w);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_key(&w, "defects");
	hw_jw_array(&w);
	for (size_t i = 0; i < t->ndefects; i++) {
		const hw_defect *d = &t->defects[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", d->id);
		hw_jw_kstr(&w, "kind", hw_defect_kind_name(d->kind));
		hw_jw_kstr(&w, "fr", d->fr);
		hw_jw_kstr(&w, "file", d->file);
		hw_jw_kint(&w, "line", d->line);
		hw_jw_kstr(&w, "message", d->message);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* Pipes and newlines would break a Markdown table cell. */
static int md_cell(hw_buf *o, const char *s)
{
	int err = HW_OK;

	for (; *s && !err; s++)
		err = *s == '|'    ? hw_buf_puts(o, "\\|")
		      : *s == '\n' ? hw_buf_putc(o, ' ')
				   : hw_buf_putc(o, *s);
	return err;
}

/* Implements: FR-TRACE-005 */
int hw_trace_write_md(hw_buf *o, const hw_trace *t)
{
	size_t c[6], approved, ok, waived;
	char note[32];
	int err;

	counts(t, c, &approved, &ok);
	waived = hw_trace_approved_waived(t);
	err = hw_buf_printf(o, "**hwledger trace**: %zu/%zu approved FRs "
			       "verified%s%s, %zu defect%s\n\n"
			       "| FR | Rev | Status | Impl | Tests | Coverage "
			       "| Defects | Title |\n"
			       "|---|---:|---|---:|---:|---:|---:|---|\n",
			    ok, approved, waived ? " or waived" : "",
			    waived ? waived_note(note, sizeof(note), waived)
				   : "",
			    t->ndefects, HW_S(t->ndefects));
	for (size_t i = 0; !err && i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];
		char cov[32], r[128];

		coverage_text(cov, sizeof(cov), t, ft);
		err = hw_buf_printf(o, "| %s | %d | %s%s | %zu | %zu/%zu | %s "
				       "| %zu | ",
				    ft->fr->id, ft->fr->rev,
				    hw_fr_state_name(ft->state),
				    ft->fr->status == HW_FR_APPROVED ? ""
								     : " (draft)",
				    ft->impl, ft->tests_passed, ft->tests, cov,
				    ft->ndefects);
		if (ft->fr->status == HW_FR_DEPRECATED && !err)
			err = hw_buf_puts(o, "(deprecated) ");
		if (!err)
			err = md_cell(o, ft->fr->title);
		hw_trace_reason(r, sizeof(r), ft);
		if (!err && has_levels(t))
			err = hw_buf_printf(o, " (level %s%s%s)",
					    hw_trace_level_name(t, ft->fr->level),
					    r[0] ? ": " : "", r);
		if (!err)
			err = hw_buf_puts(o, " |\n");
	}
	if (!err && has_levels(t)) {
		err = hw_buf_putc(o, '\n');
		for (size_t lv = 0; !err && lv < t->model->nlevels; lv++) {
			size_t lc[6], la, lok;

			level_counts(t, (int)lv, lc, &la, &lok);
			err = hw_buf_printf(o, "- level **%s**: %zu/%zu "
					       "approved verified\n",
					    t->model->levels[lv].name, lok, la);
		}
	}
	if (!err && t->ndefects)
		err = hw_buf_puts(o, "\n<details><summary>Defects</summary>\n\n");
	for (size_t i = 0; !err && i < t->ndefects; i++) {
		const hw_defect *d = &t->defects[i];

		err = hw_buf_printf(o, "- `%s:%ld` **%s**: ",
				    d->file ? d->file : "-", d->line,
				    hw_defect_kind_name(d->kind));
		if (!err)
			err = md_cell(o, d->message);
		if (!err)
			err = hw_buf_putc(o, '\n');
	}
	if (!err && t->ndefects)
		err = hw_buf_puts(o, "\n</details>\n");
	return err;
}

static const char *const rule_text[HW_DEF_COUNT] = {
	"A trace tag names an FR that does not exist.",
	"A trace tag is pinned to an older revision of its FR.",
	"An FR's text changed but its revision did not.",
	"Two FRs share one ID.",
	"A test function names no FR.",
	"A tagged test has no imported result.",
	"A test that verifies an FR failed.",
	"A deprecated FR is still implemented.",
	"A trace tag is malformed or names a future revision.",
	"A waiver has expired.",
	"An FR's implementing lines are under the coverage threshold.",
	"An FR's function has an open error-level SAST finding.",
	"An approved requirement with a level below it has no approved child.",
	"A Parent key names a requirement that does not exist.",
	"A Parent key names a requirement of the same or a lower level.",
	"A Parent key names a deprecated requirement.",
	"Parent or Depends links form a cycle.",
	"A Derived requirement gives no Rationale.",
	"A source function implements no requirement.",
	"A link's requirement, or an ancestor of it, changed since its review.",
	"An imported test result matches no test function.",
	"A review in reviews.json that its signed event does not prove."};

static const char *defect_level(hw_defect_kind k)
{
	switch (k) {
	case HW_DEF_UNKNOWN_FR:
	case HW_DEF_DUPLICATE_FR:
	case HW_DEF_MALFORMED_TAG:
	case HW_DEF_FAILING_TEST:
	case HW_DEF_EXPIRED_WAIVER:
	case HW_DEF_SAST_ERROR:
	case HW_DEF_UNKNOWN_PARENT:
	case HW_DEF_PARENT_NOT_HIGHER:
	case HW_DEF_LINK_CYCLE:
		return "error";
	case HW_DEF_DEPRECATED_IMPL:
		return "note";
	default:
		return "warning";
	}
}

/* Implements: FR-TRACE-005 */
int hw_trace_write_sarif(hw_buf *o, const hw_trace *t)
{
	hw_jw w;

	hw_jw_init(&w, o, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	hw_jw_kstr(&w, "version", "2.1.0");
	hw_jw_key(&w, "runs");
	hw_jw_array(&w);
	hw_jw_object(&w);
	hw_jw_key(&w, "tool");
	hw_jw_object(&w);
	hw_jw_key(&w, "driver");
	hw_jw_object(&w);
	hw_jw_kstr(&w, "name", "hwledger-trace");
	hw_jw_kstr(&w, "informationUri", "https://github.com/hwledger/hwledger");
	hw_jw_key(&w, "rules");
	hw_jw_array(&w);
	for (int k = 0; k < HW_DEF_COUNT; k++) {
		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", hw_defect_kind_name((hw_defect_kind)k));
		hw_jw_key(&w, "shortDescription");
		hw_jw_object(&w);
		hw_jw_kstr(&w, "text", rule_text[k]);
		hw_jw_end(&w);
		hw_jw_key(&w, "defaultConfiguration");
		hw_jw_object(&w);
		hw_jw_kstr(&w, "level", defect_level((hw_defect_kind)k));
		hw_jw_end(&w);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_jw_key(&w, "results");
	hw_jw_array(&w);
	for (size_t i = 0; i < t->ndefects; i++) {
		const hw_defect *d = &t->defects[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "ruleId", hw_defect_kind_name(d->kind));
		hw_jw_kint(&w, "ruleIndex", d->kind);
		hw_jw_kstr(&w, "level", defect_level(d->kind));
		hw_jw_key(&w, "message");
		hw_jw_object(&w);
		hw_jw_kstr(&w, "text", d->message);
		hw_jw_end(&w);
		if (d->file) {
			hw_jw_key(&w, "locations");
			hw_jw_array(&w);
			hw_jw_object(&w);
			hw_jw_key(&w, "physicalLocation");
			hw_jw_object(&w);
			hw_jw_key(&w, "artifactLocation");
			hw_jw_object(&w);
			hw_jw_kstr(&w, "uri", d->file);
			hw_jw_end(&w);
			hw_jw_key(&w, "region");
			hw_jw_object(&w);
			hw_jw_kint(&w, "startLine", d->line > 0 ? d->line : 1);
			hw_jw_end(&w);
			hw_jw_end(&w);
			hw_jw_end(&w);
			hw_jw_end(&w);
		}
		hw_jw_key(&w, "partialFingerprints");
		hw_jw_object(&w);
		hw_jw_kstr(&w, "hwledgerDefect/v1", d->id);
		hw_jw_end(&w);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

int hw_baseline_write(const char *path, const hw_trace *t)
{
	hw_buf o;
	hw_jw w;
	size_t c[6], approved, ok;
	int err;

	counts(t, c, &approved, &ok);
	hw_buf_init(&o, 0);
	hw_jw_init(&w, &o, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_BASELINE_SCHEMA);
	hw_jw_kint(&w, "approved_verified", (long long)ok);
	hw_jw_kint(&w, "approved", (long long)approved);
	hw_jw_key(&w, "defects");
	hw_jw_array(&w);
	for (size_t i = 0; i < t->ndefects; i++)
		hw_jw_str(&w, t->defects[i].id);
	hw_jw_end(&w);
	hw_jw_key(&w, "frs");
	hw_jw_array(&w);
	for (size_t i = 0; i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", ft->fr->id);
		hw_jw_kint(&w, "rev", ft->fr->rev);
		hw_jw_kstr(&w, "sha256", ft->fr->sha256);
		hw_jw_kstr(&w, "status", hw_fr_state_name(ft->state));
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	err = hw_jw_finish(&w);
	if (!err)
		err = hw_file_write_atomic(path, o.data, o.len);
	hw_buf_free(&o);
	return err;
}
