/*
 * table.c — the matrices the spreadsheets hold, built from a
 * hwledger.trace/1 document (specs/export.md, "Columns"): the forward
 * matrix (one row per requirement), the reverse matrix (one row per
 * function and test, untagged ones included) and the defects.
 */
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

static const char *const forward_head[] = {
	"ID",        "Level",     "Title",      "Requirement status",
	"Rev",       "Parents",   "Status",     "Reason",
	"Functions", "Tests",     "Results",    "Coverage",
	"SAST findings", "Suspect links", "Waiver"};
static const char *const reverse_head[] = {"Kind", "File", "Line",
					   "Function", "Requirements",
					   "Result"};
static const char *const defect_head[] = {"ID", "Kind", "Requirement",
					  "File", "Line", "Message"};

#define NCOLS(a) (sizeof(a) / sizeof(*(a)))

/* a tag's place when it is above no function (a prototype, a macro): the
 * words of the site's FR pages */
#define NO_FUNCTION "(outside a function)"

/* Appends one empty row; its cells are set with set(). */
static int add_row(hw_export_table *t)
{
	int err = hw_array_grow(&t->cells, &t->cap, t->nrows, t->ncols *
				sizeof(*t->cells), 64);

	if (err)
		return err;
	for (size_t i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = NULL;
	t->nrows++;
	return HW_OK;
}

/* Sets column col of the last row to b's text (b is emptied). */
static int set_buf(hw_export_table *t, size_t col, hw_buf *b)
{
	char *s = b->len ? hw_buf_detach(b) : hw_strdup("");

	if (!s)
		return hw_error_oom();
	t->cells[(t->nrows - 1) * t->ncols + col] = s;
	return HW_OK;
}

static int set(hw_export_table *t, size_t col, const char *s)
{
	char *c = hw_strdup(s ? s : "");

	if (!c)
		return hw_error_oom();
	t->cells[(t->nrows - 1) * t->ncols + col] = c;
	return HW_OK;
}

/* Whether n is a number a long long holds (a hostile trace.json's 1e300
 * or a missing one would make the conversion undefined); its value in *v. */
static int whole(const cJSON *n, long long *v)
{
	double d = cJSON_IsNumber(n) ? n->valuedouble : 0.0;

	*v = 0;
	if (!cJSON_IsNumber(n) || !(d > -9.2e18 && d < 9.2e18))
		return 0;
	*v = (long long)d;
	return 1;
}

/* A whole number; "" for anything else. */
static int set_num(hw_export_table *t, size_t col, const cJSON *n)
{
	char v[32] = "";
	long long x;

	if (whole(n, &x))
		snprintf(v, sizeof(v), "%lld", x);
	return set(t, col, v);
}

/* A whole number, 0 for anything else (a count, a line). */
static long long num0(const cJSON *n)
{
	long long x;

	whole(n, &x);
	return x;
}

static const char *str0(const char *s)
{
	return s ? s : "";
}

/* Appends item to b after a separator when b is not empty; a NULL item
 * (a string the trace does not have) adds nothing. */
static int join(hw_buf *b, const char *item)
{
	int err;

	if (!item)
		return HW_OK;
	err = b->len ? hw_buf_puts(b, "; ") : HW_OK;

	return err ? err : hw_buf_puts(b, item);
}

/* An array of strings, joined. */
static int join_strings(hw_buf *b, const cJSON *arr)
{
	const cJSON *x;
	int err = HW_OK;

	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x) && (err = join(b, x->valuestring)))
			break;
	return err;
}

/* The links of fr of one kind: "file:function" (impl) or "function: outcome"
 * (tests). */
static int join_links(hw_buf *b, const cJSON *fr, int tests)
{
	const cJSON *l;
	int err = HW_OK;

	cJSON_ArrayForEach(l, cJSON_GetObjectItem(fr, "links")) {
		const char *kind = hw_json_str(l, "kind");
		const char *fn = hw_json_str(l, "function");
		const cJSON *oc = cJSON_GetObjectItem(l, "outcome");

		if (!kind || (strcmp(kind, "impl") != 0) != tests)
			continue;
		if (b->len && (err = hw_buf_puts(b, "; ")))
			break;
		if (tests)
			err = hw_buf_printf(b, "%s: %s", fn ? fn : NO_FUNCTION,
					    cJSON_IsString(oc) ? oc->valuestring
							       : "no result");
		else
			err = hw_buf_printf(b, "%s:%s",
					    str0(hw_json_str(l, "file")),
					    fn ? fn : NO_FUNCTION);
		if (err)
			break;
	}
	return err;
}

static int defect_cmp(const void *pa, const void *pb)
{
	const hw_export_defect *a = pa, *b = pb;
	int c = strcmp(a->fr, b->fr);

	return c ? c : (a->order > b->order) - (a->order < b->order);
}

int hw_export_defects_index(hw_export_defects *x, const cJSON *trace)
{
	const cJSON *defects = cJSON_GetObjectItem(trace, "defects"), *d;
	size_t n = (size_t)cJSON_GetArraySize(defects), order = 0;

	x->n = 0;
	if (!(x->v = malloc((n ? n : 1) * sizeof(*x->v))))
		return hw_error_oom();
	cJSON_ArrayForEach(d, defects) {
		const char *fr = hw_json_str(d, "fr");

		if (fr && x->n < n) {
			x->v[x->n].d = d;
			x->v[x->n].fr = fr;
			x->v[x->n++].order = order;
		}
		order++;
	}
	qsort(x->v, x->n, sizeof(*x->v), defect_cmp);
	return HW_OK;
}

size_t hw_export_defects_of(const hw_export_defects *x, const char *id,
			    size_t *count)
{
	size_t lo = 0, hi = x->n, first;

	if (!id) { /* a requirement without an ID (a hostile trace's) */
		*count = 0;
		return 0;
	}
	while (lo < hi) { /* the first entry not below id */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->v[mid].fr, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < x->n && !strcmp(x->v[lo].fr, id))
		lo++;
	*count = lo - first;
	return first;
}

void hw_export_defects_free(hw_export_defects *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

/* The messages of id's defects of kind. */
static int join_defects(hw_buf *b, const hw_export_defects *x, const char *id,
			const char *kind)
{
	size_t n, i = hw_export_defects_of(x, id, &n);
	int err = HW_OK;

	for (; n-- && !err; i++) {
		const char *k = hw_json_str(x->v[i].d, "kind");

		if (k && !strcmp(k, kind))
			err = join(b, hw_json_str(x->v[i].d, "message"));
	}
	return err;
}

/* Implements: FR-EXPORT-001 */
static int forward_row(hw_export_table *t, const cJSON *fr)
{
	const char *id = hw_json_str(fr, "id");
	const cJSON *cov = cJSON_GetObjectItem(fr, "coverage");
	const cJSON *w = cJSON_GetObjectItem(fr, "waiver");
	hw_buf b;
	long long lines, hit;
	int err;

	if (!id)
		return HW_OK;
	hw_buf_init(&b, 0);
	if ((err = add_row(t)) || (err = set(t, 0, id)) ||
	    (err = set(t, 1, hw_json_str(fr, "level"))) ||
	    (err = set(t, 2, hw_json_str(fr, "title"))) ||
	    (err = set(t, 3, hw_json_str(fr, "fr_status"))) ||
	    (err = set_num(t, 4, cJSON_GetObjectItem(fr, "rev"))) ||
	    (err = join_strings(&b, cJSON_GetObjectItem(fr, "parents"))) ||
	    (err = set_buf(t, 5, &b)) ||
	    (err = set(t, 6, hw_json_str(fr, "status"))) ||
	    (err = set(t, 7, hw_json_str(fr, "reason"))) ||
	    (err = join_links(&b, fr, 0)) || (err = set_buf(t, 8, &b)) ||
	    (err = join_links(&b, fr, 1)) || (err = set_buf(t, 9, &b)))
		goto done;
	err = hw_buf_printf(&b, "%lld/%lld passed",
			    num0(cJSON_GetObjectItem(fr, "tests_passed")),
			    num0(cJSON_GetObjectItem(fr, "tests")));
	if (err || (err = set_buf(t, 10, &b)))
		goto done;
	/* known coverage with whole counts; anything else is no coverage
	 * (a hostile trace.json printed "nan/nan lines") */
	if (cJSON_IsTrue(cJSON_GetObjectItem(cov, "known")) &&
	    whole(cJSON_GetObjectItem(cov, "lines"), &lines) &&
	    whole(cJSON_GetObjectItem(cov, "hit"), &hit) && lines >= 0 &&
	    hit >= 0 && hit <= lines)
		err = hw_buf_printf(&b, "%lld/%lld lines (%.1f%%)", hit, lines,
				    lines > 0 ? 100.0 * (double)hit /
							(double)lines
					      : 0.0);
	if (err || (err = set_buf(t, 11, &b)) ||
	    (err = join_defects(&b, &t->defects, id, "sast-error")) ||
	    (err = set_buf(t, 12, &b)) ||
	    (err = join_defects(&b, &t->defects, id, "suspect-link")) ||
	    (err = set_buf(t, 13, &b)))
		goto done;
	if (w && hw_json_str(w, "expires"))
		err = hw_buf_printf(&b, "%s (expires %s)",
				    str0(hw_json_str(w, "reason")),
				    hw_json_str(w, "expires"));
	else if (w)
		err = hw_buf_puts(&b, str0(hw_json_str(w, "reason")));
	err = err ? err : set_buf(t, 14, &b);
done:
	hw_buf_free(&b);
	return err;
}

/* One link seen from its function or test; the strings are the trace
 * document's. */
typedef struct rev_link {
	const char *file, *func, *kind, *outcome, *req;
	long line;
} rev_link;

static int str_cmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By file, line, function and kind: the links of one function or test
 * are then next to each other. */
static int rev_cmp(const void *pa, const void *pb)
{
	const rev_link *a = pa, *b = pb;
	int c = str_cmp0(a->file, b->file);

	if (!c)
		c = (a->line > b->line) - (a->line < b->line);
	if (!c)
		c = str_cmp0(a->func, b->func);
	return c ? c : str_cmp0(a->kind, b->kind);
}

static int rev_add_row(hw_export_table *t, const rev_link *l, hw_buf *reqs)
{
	char line[24];
	int err;

	snprintf(line, sizeof(line), "%ld", l->line);
	if ((err = add_row(t)) || (err = set(t, 0, l->kind)) ||
	    (err = set(t, 1, l->file)) || (err = set(t, 2, line)) ||
	    (err = set(t, 3, l->func)) || (err = set_buf(t, 4, reqs)))
		return err;
	return set(t, 5, l->outcome);
}

/* Implements: FR-EXPORT-001 */
static int build_reverse(hw_export_table *t, const cJSON *trace)
{
	rev_link *v = NULL;
	size_t n = 0, cap = 0;
	const cJSON *fr, *l, *d;
	hw_buf b;
	int err = HW_OK;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(trace, "frs"))
		cJSON_ArrayForEach(l, cJSON_GetObjectItem(fr, "links")) {
			const char *kind = hw_json_str(l, "kind");
			const cJSON *oc = cJSON_GetObjectItem(l, "outcome");

			if (!kind)
				continue;
			if (HW_ARRAY_GROW(v, n, cap)) {
				free(v);
				return hw_error_oom();
			}
			v[n].file = hw_json_str(l, "file");
			v[n].func = hw_json_str(l, "function");
			if (!v[n].func)
				v[n].func = NO_FUNCTION;
			v[n].kind = strcmp(kind, "impl") ? "test" : "function";
			v[n].outcome = !strcmp(kind, "impl") ? ""
				       : cJSON_IsString(oc) ? oc->valuestring
							    : "no result";
			v[n].req = hw_json_str(fr, "id");
			v[n++].line = (long)num0(cJSON_GetObjectItem(l, "line"));
		}
	if (n)
		qsort(v, n, sizeof(*v), rev_cmp);
	hw_buf_init(&b, 0);
	for (size_t i = 0; i < n && !err; i++) {
		err = join(&b, v[i].req);
		if (!err && (i + 1 == n || rev_cmp(&v[i], &v[i + 1])))
			err = rev_add_row(t, &v[i], &b);
	}
	free(v);
	/* the untagged: a test that names no requirement, a function that
	 * implements none (found only when the policy asks for it) */
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(trace, "defects")) {
		const char *k = hw_json_str(d, "kind");
		rev_link u = {0};

		if (err || !k)
			break;
		if (strcmp(k, "orphan-test") != 0 &&
		    strcmp(k, "untraced-function") != 0)
			continue;
		u.kind = !strcmp(k, "orphan-test") ? "test" : "function";
		u.file = hw_json_str(d, "file");
		u.line = (long)num0(cJSON_GetObjectItem(d, "line"));
		/* the trace names the function in the message only */
		u.outcome = hw_json_str(d, "message");
		hw_buf_clear(&b);
		err = rev_add_row(t, &u, &b);
	}
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-EXPORT-001 */
static int build_defects(hw_export_table *t, const cJSON *trace)
{
	const cJSON *d;
	int err = HW_OK;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(trace, "defects"))
		if ((err = add_row(t)) ||
		    (err = set(t, 0, hw_json_str(d, "id"))) ||
		    (err = set(t, 1, hw_json_str(d, "kind"))) ||
		    (err = set(t, 2, hw_json_str(d, "fr"))) ||
		    (err = set(t, 3, hw_json_str(d, "file"))) ||
		    (err = set_num(t, 4, cJSON_GetObjectItem(d, "line"))) ||
		    (err = set(t, 5, hw_json_str(d, "message"))))
			break;
	return err;
}

int hw_export_table_build(hw_export_table *t, hw_export_table_kind kind,
			  const cJSON *trace)
{
	const cJSON *fr;
	int err = HW_OK;

	memset(t, 0, sizeof(*t));
	t->status_col = -1;
	switch (kind) {
	case HW_XT_FORWARD:
		t->name = "Requirements";
		t->head = forward_head;
		t->ncols = NCOLS(forward_head);
		t->status_col = 6;
		if ((err = hw_export_defects_index(&t->defects, trace)))
			return err;
		cJSON_ArrayForEach(fr, cJSON_GetObjectItem(trace, "frs"))
			if ((err = forward_row(t, fr)))
				break;
		hw_export_defects_free(&t->defects);
		return err;
	case HW_XT_REVERSE:
		t->name = "Reverse matrix";
		t->head = reverse_head;
		t->ncols = NCOLS(reverse_head);
		t->status_col = 5;
		return build_reverse(t, trace);
	default:
		t->name = "Defects";
		t->head = defect_head;
		t->ncols = NCOLS(defect_head);
		return build_defects(t, trace);
	}
}

void hw_export_table_free(hw_export_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	hw_export_defects_free(&t->defects);
	memset(t, 0, sizeof(*t));
}

/* Implements: FR-EXPORT-001 */
int hw_export_needs_quote_mark(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) != NULL;
}
