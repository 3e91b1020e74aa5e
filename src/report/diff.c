/*
 * diff.c — `hwledger diff A B`: what changed between two signed reports.
 *
 * The caller verifies both folders first, with verify-report's code; this
 * file reads their evidence (trace.json, sast.json, frs.json, report.json),
 * builds one hwledger.diff/1 document, and prints the text and Markdown
 * forms from that document, so the three never disagree. The format and
 * its decisions are in specs/diff.md.
 */
#include "report/report.h"

#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>

#define DOC_MAX ((size_t)256 << 20)

/* Every element of arr[name] is an object with the string member key;
 * else the index of the first that is not (-1: arr[name] is no array). */
static int bad_id(const cJSON *doc, const char *name, const char *key,
		  long *bad)
{
	const cJSON *arr = cJSON_GetObjectItem(doc, name), *e;
	long i = 0;

	if (arr && !cJSON_IsArray(arr)) {
		*bad = -1;
		return 1;
	}
	cJSON_ArrayForEach(e, arr) {
		if (!hw_json_str(e, key)) {
			*bad = i;
			return 1;
		}
		i++;
	}
	return 0;
}

static int ids_error(const char *file, long line, const char *name,
		     const char *key)
{
	return hw_error_set(HW_EINVAL, file, line, 0,
			    "\"%s\": every entry needs a string \"%s\"", name,
			    key);
}

/* The line of doc[name][i] (i < 0: of doc[name]) in text, else 1. The
 * steps are keys as cJSON_GetObjectItem found them, which matches
 * case-insensitively: the first key spelled so in any case. */
static long line_of(const char *text, size_t len, const cJSON *doc,
		    const char *name, long i)
{
	const cJSON *arr = cJSON_GetObjectItem(doc, name);

	return arr && arr->string
		       ? hw_json_item_line(text, len, arr->string, i)
		       : 1;
}

/* Reads dir/rel as JSON of the given schema into *out, its bytes checked
 * against the side's signed manifest when it has one, and the lists that
 * ids names (pairs of a list and the string key each entry needs, then
 * NULL) checked, a bad entry named by its line. An optional document
 * that is absent leaves *out NULL. */
static int load_doc(cJSON **out, const hw_diff_side *s, const char *rel,
		    const char *schema, int required,
		    const char *const *ids)
{
	char *p = hw_path_join(s->dir, rel);
	const char *got;
	hw_buf b;
	int present = 1, err = HW_OK;
	long bad;

	*out = NULL;
	if (!p)
		return HW_ENOMEM;
	hw_buf_init(&b, DOC_MAX);
	if (s->manifest)
		err = hw_report_read_signed(s->manifest, s->dir, rel, &b,
					    &present);
	else if ((present = hw_path_exists(p)))
		err = hw_file_read(&b, p, DOC_MAX);
	if (!err && !present && required)
		err = hw_error_set(HW_ENOTFOUND, p, 0, 0,
				   "missing: the report has no result of its "
				   "check (it did not run)");
	if (!err && present &&
	    !(err = hw_json_parse(out, p, b.data ? b.data : "", b.len)) &&
	    (!(got = hw_json_str(*out, "schema")) ||
	     strcmp(got, schema) != 0)) {
		/* at the schema's line when there is one, else the first */
		long line = got ? hw_json_line(b.data, b.len,
					       (const char *const[]){
						       "schema", NULL},
					       NULL)
				: 0;

		err = hw_error_set(HW_EINVAL, p, line > 0 ? line : 1, 0,
				   "not a %s document", schema);
	}
	for (; !err && present && ids && *ids; ids += 2)
		if (bad_id(*out, ids[0], ids[1], &bad))
			err = ids_error(p,
					line_of(b.data, b.len, *out, ids[0],
						bad),
					ids[0], ids[1]);
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	hw_buf_free(&b);
	free(p);
	return err;
}

/* Every element of arr[name] is an object with the string member key: a
 * trace event's result, which has no file to name a line of. */
static int check_ids(const cJSON *doc, const char *name, const char *key,
		     const char *label)
{
	long bad;

	return bad_id(doc, name, key, &bad) ? ids_error(label, 0, name, key)
					    : HW_OK;
}

static const char *const trace_ids[] = {"frs", "id", "defects", "id", NULL};
static const char *const frs_ids[] = {"frs", "id", NULL};
static const char *const sast_ids[] = {"findings", "fingerprint", NULL};

/* Implements: FR-REPORT-003 */
int hw_diff_load(hw_diff_side *s, const char *dir)
{
	int err;

	s->dir = dir;
	if ((err = load_doc(&s->report, s, "evidence/report.json",
			    HW_REPORT_SCHEMA, 1, NULL)) ||
	    (err = load_doc(&s->trace, s, "evidence/trace.json",
			    "hwledger.trace/1", 1, trace_ids)) ||
	    (err = load_doc(&s->sast, s, "evidence/sast.json",
			    "hwledger.sast/1", 0, sast_ids)) ||
	    (err = load_doc(&s->frs, s, "evidence/frs.json",
			    "hwledger.frs/1", 0, frs_ids)))
		hw_diff_side_free(s);
	return err;
}

/* Implements: FR-REPORT-003, FR-REPORT-004 */
int hw_diff_load_event(hw_diff_side *s, const char *label, const hw_event *e)
{
	cJSON *payload = NULL;
	const char *got;
	int err;

	s->dir = label;
	s->bundle = 1;
	err = hw_json_parse(&payload, label, (const char *)e->payload,
			    e->payload_len);
	if (!err) {
		cJSON *commit = cJSON_DetachItemFromObject(payload, "commit");

		s->trace = cJSON_DetachItemFromObject(payload, "result");
		s->report = cJSON_CreateObject();
		if (!commit)
			commit = cJSON_CreateNull();
		if (!s->report || !commit ||
		    !cJSON_AddItemToObject(s->report, "commit", commit)) {
			cJSON_Delete(commit);
			err = hw_error_oom();
		}
	}
	if (!err && (!(got = hw_json_str(s->trace, "schema")) ||
		     strcmp(got, "hwledger.trace/1") != 0))
		err = hw_error_set(HW_ENOTFOUND, label, 0, 0,
				   "no trace result in the event (the trace "
				   "check did not run)");
	if (!err)
		err = check_ids(s->trace, "frs", "id", label);
	if (err)
		hw_diff_side_free(s);
	cJSON_Delete(payload);
	return err;
}

/* Implements: FR-REPORT-003 */
int hw_diff_load_bundle(hw_diff_side *s, const char *dir,
			const hw_event_list *events)
{
	const hw_event *found = NULL;
	char *p = hw_path_join(dir, "events.jsonl"), label[512];
	int err;

	if (!p)
		return HW_ENOMEM;
	for (size_t i = 0; i < events->n; i++)
		if (!strcmp(events->items[i].kind, "trace"))
			found = &events->items[i];
	if (!found) {
		err = hw_error_set(HW_ENOTFOUND, p, 0, 0,
				   "no trace result in the bundle (the trace "
				   "check did not run)");
	} else {
		snprintf(label, sizeof(label), "%s (event %llu)", p,
			 (unsigned long long)found->seq);
		if ((err = hw_diff_load_event(s, label, found)) == HW_ENOTFOUND)
			err = hw_error_set(HW_ENOTFOUND, p, 0, 0,
					   "no trace result in the bundle "
					   "(the trace check did not run)");
	}
	/* the side names the folder, not the label that goes with p */
	s->dir = dir;
	free(p);
	return err;
}

/*
 * Whether a trace event's payload says the tree had uncommitted changes:
 * such a run is not the revision its commit names.
 */
static int dirty_event(const hw_event *e)
{
	cJSON *payload = NULL;
	int dirty;

	if (hw_json_parse(&payload, "event", (const char *)e->payload,
			  e->payload_len)) {
		hw_error_clear();
		return 0; /* hw_diff_load_event names what is wrong with it */
	}
	dirty = cJSON_IsTrue(cJSON_GetObjectItem(payload, "dirty"));
	cJSON_Delete(payload);
	return dirty;
}

/* Implements: FR-REPORT-003 */
int hw_diff_load_commit(hw_diff_side *s, char *label, size_t size,
			const char *rev, const char *commit,
			const hw_event_list *events, const char *ledger,
			const hw_event **found)
{
	size_t dirty = 0;
	int err;

	for (size_t i = events->n; i-- > 0;) {
		const hw_event *e = &events->items[i];

		if (strcmp(e->kind, "trace") != 0 || strcmp(e->commit, commit) != 0)
			continue;
		if (dirty_event(e)) {
			dirty++;
			continue;
		}
		snprintf(label, size, "%s (%s event %llu)", rev, ledger,
			 (unsigned long long)e->seq);
		err = hw_diff_load_event(s, label, e);
		*found = e;
		if (err != HW_ENOTFOUND)
			return err;
		hw_error_clear(); /* the trace check did not run that time */
	}
	return hw_error_set(HW_ENOTFOUND, ledger, 0, 0,
			    "no signed trace result of %s (commit %.12s)%s: "
			    "run 'hwledger report' at that revision",
			    rev, commit,
			    dirty ? ", only of trees with uncommitted changes"
				  : "");
}

/* Implements: FR-REPORT-004 */
int hw_diff_load_checks(hw_diff_side *s, const char *checks,
			const char *commit)
{
	int err;

	s->dir = checks;
	if (!(s->report = cJSON_CreateObject()) ||
	    !cJSON_AddStringToObject(s->report, "commit", commit))
		err = hw_error_oom();
	else if (!(err = load_doc(&s->trace, s, "trace.json",
				  "hwledger.trace/1", 1, frs_ids)))
		err = load_doc(&s->sast, s, "sast.json", "hwledger.sast/1", 0,
			       sast_ids);
	if (err)
		hw_diff_side_free(s);
	return err;
}

void hw_diff_side_free(hw_diff_side *s)
{
	cJSON_Delete(s->report);
	cJSON_Delete(s->trace);
	cJSON_Delete(s->sast);
	cJSON_Delete(s->frs);
	s->report = s->trace = s->sast = s->frs = NULL;
}

/* ---- building the document ------------------------------------------- */

/* An entry of a list: a JSON object and its ID (the sort key). */
typedef struct entry {
	const char *id;
	const cJSON *j;
} entry;

typedef struct list {
	entry *v;
	size_t n, cap;
} list;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

/* The objects of doc[name] sorted by the string member key (checked
 * present by hw_diff_load); skip() leaves some out. */
static int sorted(list *l, const cJSON *doc, const char *name,
		  const char *key, int (*skip)(const cJSON *))
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, name)) {
		if (skip && skip(e))
			continue;
		if (HW_ARRAY_GROW(l->v, l->n, l->cap))
			return HW_ENOMEM;
		l->v[l->n].id = hw_json_str(e, key);
		l->v[l->n++].j = e;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_id);
	return HW_OK;
}

static const cJSON *find(const list *l, const char *id)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->v[mid].id, id);

		if (!c)
			return l->v[mid].j;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The builder: cJSON reports a failed allocation by a NULL it returns, so
 * every addition goes through add(), which remembers one. */
typedef struct builder {
	int oom;
} builder;

static cJSON *add(builder *b, cJSON *to, const char *key, cJSON *item)
{
	if (!item || !to) {
		cJSON_Delete(item);
		b->oom = 1;
		return NULL;
	}
	if (key ? !cJSON_AddItemToObject(to, key, item)
		: !cJSON_AddItemToArray(to, item)) {
		cJSON_Delete(item);
		b->oom = 1;
		return NULL;
	}
	return item;
}

static cJSON *copy(const cJSON *j)
{
	return j ? cJSON_Duplicate(j, 1) : cJSON_CreateNull();
}

/* A new object of src's members named in fields (null when absent). */
static cJSON *pick(builder *b, cJSON *to, const cJSON *src,
		   const char *const *fields)
{
	cJSON *o = add(b, to, NULL, cJSON_CreateObject());

	for (; o && *fields; fields++)
		add(b, o, *fields, copy(cJSON_GetObjectItem(src, *fields)));
	return o;
}

static const char *const fr_fields[] = {"id", "title", "status", NULL};
static const char *const finding_fields[] = {
	"fingerprint", "tool", "rule", "severity", "file", "line", "message",
	NULL};
static const char *const defect_fields[] = {"id",   "kind",	"fr", "file",
					    "line", "message", NULL};

static int suppressed(const cJSON *f)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(f, "suppressed"));
}

/*
 * What is in b and not in a ("new") and in a and not in b ("fixed"), by
 * key; two entries with one key (a group's duplicates) count once.
 */
static void new_and_fixed(builder *bd, cJSON *to, const list *a,
			  const list *b, const char *const *fields)
{
	cJSON *n = add(bd, to, "new", cJSON_CreateArray());
	cJSON *f = add(bd, to, "fixed", cJSON_CreateArray());
	const list *from[2] = {b, a}, *other[2] = {a, b};
	cJSON *into[2] = {n, f};

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < from[k]->n; i++) {
			const char *id = from[k]->v[i].id;

			if ((i && !strcmp(id, from[k]->v[i - 1].id)) ||
			    find(other[k], id))
				continue;
			pick(bd, into[k], from[k]->v[i].j, fields);
		}
}

/* doc[section]: {compared, new, fixed} of the entries doc_a[name] and
 * doc_b[name] by key (both lists empty when not compared). */
static int compare_sets(builder *bd, cJSON *doc, const char *section,
			int compared, const cJSON *da, const cJSON *db,
			const char *name, const char *key,
			int (*skip)(const cJSON *), const char *const *fields)
{
	cJSON *o = add(bd, doc, section, cJSON_CreateObject());
	list la = {0}, lb = {0};
	int err = HW_OK;

	add(bd, o, "compared", cJSON_CreateBool(compared));
	if (compared && !(err = sorted(&la, da, name, key, skip)))
		err = sorted(&lb, db, name, key, skip);
	if (!err)
		new_and_fixed(bd, o, &la, &lb, fields);
	free(la.v);
	free(lb.v);
	return err;
}

int hw_trace_json_waived(const cJSON *trace)
{
	const cJSON *fr;
	int n = 0;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(trace, "frs")) {
		/* a side read from the ledger has statuses only */
		const char *doc = hw_json_str(fr, "fr_status");
		const char *st = hw_json_str(fr, "status");

		n += doc && st && !strcmp(doc, "approved") &&
		     !strcmp(st, "waived");
	}
	return n;
}

static void side_info(builder *b, cJSON *to, const char *key,
		      const hw_diff_side *s)
{
	cJSON *o = add(b, to, key, cJSON_CreateObject());
	const cJSON *sum = cJSON_GetObjectItem(s->trace, "summary");

	add(b, o, "dir", cJSON_CreateString(s->dir));
	add(b, o, "commit", copy(cJSON_GetObjectItem(s->report, "commit")));
	add(b, o, "key", cJSON_CreateString(s->key_name));
	add(b, o, "trusted", cJSON_CreateBool(s->trusted));
	add(b, o, "frs",
	    cJSON_CreateNumber(
		    cJSON_GetArraySize(cJSON_GetObjectItem(s->trace, "frs"))));
	add(b, o, "approved", copy(cJSON_GetObjectItem(sum, "approved")));
	add(b, o, "approved_verified",
	    copy(cJSON_GetObjectItem(sum, "approved_verified")));
	add(b, o, "approved_waived",
	    cJSON_CreateNumber((double)hw_trace_json_waived(s->trace)));
}

/* An FR's words as the diff compares them: the title, and the text when
 * both reports publish the FR documents (evidence/frs.json). */
static int words(hw_buf *out, const cJSON *fr, const list *texts, int both)
{
	const cJSON *t = both ? find(texts, hw_json_str(fr, "id")) : NULL;
	const char *title = hw_json_str(fr, "title"), *body;
	int err;

	hw_buf_init(out, 0);
	err = hw_buf_printf(out, "%s\n", title ? title : "");
	if (!err && t && (body = hw_json_str(t, "text")) && *body)
		err = hw_buf_printf(out, "\n%s%s", body,
				    body[strlen(body) - 1] == '\n' ? "" : "\n");
	return err;
}

static int reworded(builder *b, cJSON *to, const cJSON *fa, const cJSON *fb,
		    const list *ta, const list *tb, int both)
{
	const char *id = hw_json_str(fa, "id");
	hw_buf wa, wb, d;
	cJSON *o;
	int err;

	/* an FR that a side's frs.json lacks (a site rendered from FR
	 * documents that no longer hold it) has no known text there: its
	 * titles alone are compared, never its text as deleted */
	both = both && find(ta, id) && find(tb, id);
	err = words(&wa, fa, ta, both);
	err = err ? err : words(&wb, fb, tb, both);
	hw_buf_init(&d, 0);
	if (!err && (wa.len != wb.len || memcmp(wa.data, wb.data, wa.len) != 0) &&
	    !(err = hw_git_diff_text(&d, wa.data, wa.len, wb.data, wb.len))) {
		o = pick(b, to, fb, fr_fields);
		add(b, o, "diff", cJSON_CreateString(d.data ? d.data : ""));
	}
	hw_buf_free(&wa);
	hw_buf_free(&wb);
	hw_buf_free(&d);
	return err;
}

/* Equal JSON values, absent counting as null. */
static int same(const cJSON *x, const cJSON *y)
{
	if (cJSON_IsNull(x))
		x = NULL;
	if (cJSON_IsNull(y))
		y = NULL;
	return (!x && !y) || (x && y && cJSON_Compare(x, y, 1));
}

/* A link field that the FR model may carry (level, parents): changed when
 * its JSON differs, absent counting as null. */
static void field_change(builder *b, cJSON *to, const cJSON *fa,
			 const cJSON *fb, const char *field)
{
	const cJSON *va = cJSON_GetObjectItem(fa, field);
	const cJSON *vb = cJSON_GetObjectItem(fb, field);
	cJSON *o;

	if (same(va, vb))
		return;
	o = add(b, to, NULL, cJSON_CreateObject());
	add(b, o, "id", cJSON_CreateString(hw_json_str(fb, "id")));
	add(b, o, "from", copy(va));
	add(b, o, "to", copy(vb));
}

/* The coverage of an FR, {hit, lines}, or NULL when not known. */
static const cJSON *coverage(const cJSON *fr)
{
	const cJSON *c = cJSON_GetObjectItem(fr, "coverage");

	return cJSON_IsTrue(cJSON_GetObjectItem(c, "known")) &&
			       cJSON_IsNumber(cJSON_GetObjectItem(c, "hit")) &&
			       cJSON_IsNumber(cJSON_GetObjectItem(c, "lines"))
		       ? c
		       : NULL;
}

static double num(const cJSON *o, const char *key)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

static cJSON *hit_lines(double hit, double lines)
{
	cJSON *o = cJSON_CreateObject();

	if (o && (!cJSON_AddNumberToObject(o, "hit", hit) ||
		  !cJSON_AddNumberToObject(o, "lines", lines))) {
		cJSON_Delete(o);
		o = NULL;
	}
	return o;
}

/* Overall: the sum of hit and lines over the FRs whose coverage is known. */
static cJSON *total_coverage(const list *frs)
{
	double hit = 0, lines = 0;

	for (size_t i = 0; i < frs->n; i++) {
		const cJSON *c = coverage(frs->v[i].j);

		if (c) {
			hit += num(c, "hit");
			lines += num(c, "lines");
		}
	}
	return hit_lines(hit, lines);
}

static int is_regression(const cJSON *fa, const cJSON *fb)
{
	const char *sa = hw_json_str(fa, "status");
	const char *sb = hw_json_str(fb, "status");

	return sa && !strcmp(sa, "verified") &&
	       (!sb || strcmp(sb, "verified") != 0);
}

static void status_change(builder *b, cJSON *to, const cJSON *fa,
			  const cJSON *fb)
{
	cJSON *o = add(b, to, NULL, cJSON_CreateObject());

	add(b, o, "id", cJSON_CreateString(hw_json_str(fb, "id")));
	add(b, o, "title", copy(cJSON_GetObjectItem(fb, "title")));
	add(b, o, "from", copy(cJSON_GetObjectItem(fa, "status")));
	add(b, o, "to", copy(cJSON_GetObjectItem(fb, "status")));
	add(b, o, "regression", cJSON_CreateBool(is_regression(fa, fb)));
}

/* The requirements of both sides, walked in ID order. */
static int compare_frs(builder *b, cJSON *doc, const hw_diff_side *sa,
		       const hw_diff_side *sb, size_t *regressions)
{
	list a = {0}, bl = {0}, ta = {0}, tb = {0};
	cJSON *added = add(b, doc, "added", cJSON_CreateArray());
	cJSON *removed = add(b, doc, "removed", cJSON_CreateArray());
	cJSON *words_ = add(b, doc, "reworded", cJSON_CreateArray());
	cJSON *lev = add(b, doc, "relevelled", cJSON_CreateArray());
	cJSON *par = add(b, doc, "reparented", cJSON_CreateArray());
	cJSON *st = add(b, doc, "status", cJSON_CreateArray());
	cJSON *cov = add(b, doc, "coverage", cJSON_CreateObject());
	cJSON *covfrs;
	/* the words compared: titles and texts when both reports publish
	 * the FR documents, titles alone when one does not, nothing when a
	 * side is a bundle (its trace event keeps no titles) */
	int bundle = sa->bundle || sb->bundle;
	int both = sa->frs && sb->frs;
	int err;

	err = sorted(&a, sa->trace, "frs", "id", NULL);
	err = err ? err : sorted(&bl, sb->trace, "frs", "id", NULL);
	err = err ? err : sorted(&ta, sa->frs, "frs", "id", NULL);
	err = err ? err : sorted(&tb, sb->frs, "frs", "id", NULL);
	add(b, doc, "words",
	    cJSON_CreateString(bundle ? "none" : both ? "text" : "title"));
	/* a trace event keeps no coverage */
	add(b, cov, "compared", cJSON_CreateBool(!bundle));
	add(b, cov, "from", total_coverage(&a));
	add(b, cov, "to", total_coverage(&bl));
	covfrs = add(b, cov, "frs", cJSON_CreateArray());
	*regressions = 0;
	/* regressions first: the walk runs twice over the status changes */
	for (int pass = 0; pass < 2 && !err; pass++)
		for (size_t i = 0, j = 0; i < a.n || j < bl.n;) {
			int c = i == a.n    ? 1
				: j == bl.n ? -1
					    : strcmp(a.v[i].id, bl.v[j].id);
			const cJSON *fa = c <= 0 ? a.v[i].j : NULL;
			const cJSON *fb = c >= 0 ? bl.v[j].j : NULL;
			const cJSON *ca, *cb;

			i += c <= 0;
			j += c >= 0;
			if (fa && fb && is_regression(fa, fb) == !pass &&
			    !same(cJSON_GetObjectItem(fa, "status"),
				  cJSON_GetObjectItem(fb, "status"))) {
				status_change(b, st, fa, fb);
				*regressions += !pass;
			}
			if (pass)
				continue;
			if (!fa || !fb) {
				pick(b, fa ? removed : added, fa ? fa : fb,
				     fr_fields);
				continue;
			}
			if (!bundle &&
			    (err = reworded(b, words_, fa, fb, &ta, &tb, both)))
				break;
			field_change(b, lev, fa, fb, "level");
			field_change(b, par, fa, fb, "parents");
			ca = coverage(fa);
			cb = coverage(fb);
			if (ca && cb &&
			    (num(ca, "hit") != num(cb, "hit") ||
			     num(ca, "lines") != num(cb, "lines"))) {
				cJSON *o = add(b, covfrs, NULL,
					       cJSON_CreateObject());

				add(b, o, "id",
				    cJSON_CreateString(hw_json_str(fb, "id")));
				add(b, o, "from",
				    hit_lines(num(ca, "hit"),
					      num(ca, "lines")));
				add(b, o, "to",
				    hit_lines(num(cb, "hit"),
					      num(cb, "lines")));
			}
		}
	free(a.v);
	free(bl.v);
	free(ta.v);
	free(tb.v);
	return err;
}

/* Implements: FR-REPORT-003 */
int hw_diff_build(cJSON **out, const hw_diff_side *a, const hw_diff_side *b,
		  size_t *regressions)
{
	builder bd = {0};
	cJSON *doc = cJSON_CreateObject();
	int err;

	add(&bd, doc, "schema", cJSON_CreateString(HW_DIFF_SCHEMA));
	side_info(&bd, doc, "a", a);
	side_info(&bd, doc, "b", b);
	err = compare_frs(&bd, doc, a, b, regressions);
	add(&bd, doc, "regressions", cJSON_CreateNumber((double)*regressions));
	/* SAST only when both reports ran it; a trace event keeps no
	 * defects, so a bundle's side has none to compare */
	if (!err)
		err = compare_sets(&bd, doc, "sast", a->sast && b->sast,
				   a->sast, b->sast, "findings", "fingerprint",
				   suppressed, finding_fields);
	if (!err)
		err = compare_sets(&bd, doc, "defects",
				   !a->bundle && !b->bundle, a->trace, b->trace,
				   "defects", "id", NULL, defect_fields);
	if (!err && bd.oom)
		err = hw_error_oom();
	if (err)
		cJSON_Delete(doc);
	else
		*out = doc;
	return err;
}
