/*
 * inputs.c — the evidence the site renders: the FRs and the glossary from
 * the repository, and the check documents from the evidence folder
 * (specs/site.md). A missing document is "not run"; a malformed one is an
 * error with its file and line, never a page that looks like it passed.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DOC_MAX ((size_t)256 << 20)

/*
 * What the pages read of each document, with the JSON types it may have:
 * a value of another type is an error, never a verdict ("pass": "yes" is
 * not "not run", nor is "pass": 1 a pass). REQ: the key must be there.
 * "list[].key": the key in every item of that array, each an object.
 */
enum {
	T_BOOL = cJSON_False | cJSON_True,
	T_NUM = cJSON_Number,
	T_STR = cJSON_String | cJSON_NULL, /* the writers print NULL as null */
	T_ARR = cJSON_Array,
	T_OBJ = cJSON_Object,
	REQ = 1 << 12,
};

typedef struct {
	const char *key;
	int types;
} doc_key;

typedef struct {
	const char *schema; /* name and version, exactly */
	doc_key keys[24]; /* ended by an empty key */
} doc_shape;

static const doc_shape trace_shape = {
	"hwledger.trace/1",
	{{"summary", T_OBJ | REQ}, {"frs", T_ARR | REQ}, {"defects", T_ARR},
	 {"frs[].id", T_STR | REQ}, {"frs[].status", T_STR},
	 {"frs[].links", T_ARR}, {"defects[].file", T_STR},
	 {"defects[].line", T_NUM}, {"defects[].message", T_STR},
	 /* the levels (tree.c) */
	 {"levels", T_ARR}, {"levels[].name", T_STR}, {"frs[].level", T_STR},
	 {"frs[].parents", T_ARR}, {"frs[].children", T_ARR},
	 {"frs[].depends", T_ARR}, {"frs[].derived", T_BOOL},
	 {"frs[].rationale", T_STR}, {"frs[].reason", T_STR},
	 {"frs[].attributes", T_OBJ}}};
static const doc_shape gate_shape = {
	"hwledger.gate/1",
	{{"pass", T_BOOL | REQ}, {"approved", T_NUM},
	 {"approved_verified", T_NUM}, {"defects", T_NUM},
	 {"reasons", T_ARR}, {"reasons[].file", T_STR},
	 {"reasons[].line", T_NUM}, {"reasons[].message", T_STR}}};
static const doc_shape sast_shape = {
	"hwledger.sast/1",
	{{"findings", T_ARR | REQ}, {"total", T_NUM | REQ},
	 {"new", T_NUM | REQ}, {"findings[].file", T_STR},
	 {"findings[].line", T_NUM}, {"findings[].severity", T_STR},
	 {"findings[].tool", T_STR}, {"findings[].rule", T_STR},
	 {"findings[].message", T_STR}, {"findings[].frs", T_ARR},
	 {"findings[].suppressed", T_BOOL}, {"findings[].new", T_BOOL}}};
/* plan and probe check results: the same list of verdicts */
#define CHECK_RESULT_KEYS                                                      \
	{"checks", T_ARR | REQ}, {"total", T_NUM | REQ},                       \
		{"failed", T_NUM | REQ}, {"checks[].ok", T_BOOL | REQ},        \
		{"checks[].name", T_STR}, {"checks[].file", T_STR},            \
		{"checks[].failures", T_ARR}
static const doc_shape plan_shape = {
	"hwledger.plancheck-results/1",
	{CHECK_RESULT_KEYS, {"checks[].plan", T_OBJ}}};
static const doc_shape probe_shape = {
	"hwledger.probecheck-results/1", {CHECK_RESULT_KEYS, {"probe", T_OBJ}}};
static const doc_shape verify_shape = {
	"hwledger.verify/1",
	{{"ok", T_BOOL | REQ}, {"message", T_STR},
	 {"first_bad", T_NUM | cJSON_NULL}}};
static const doc_shape report_shape = {
	"hwledger.report/1",
	{{"ok", T_BOOL | REQ}, {"commit", T_STR}, {"key", T_OBJ},
	 {"anchor_commit", T_STR}, {"anchor_ref", T_STR},
	 {"checks", T_ARR}, {"checks[].check", T_STR},
	 {"checks[].verdict", T_STR}}};
static const doc_shape cheapest_shape = {
	"hwledger.cheapest/1",
	{{"configurations", T_ARR | REQ}, {"inputs", T_OBJ},
	 {"model", T_STR}, {"configurations[].usd_per_hour", T_NUM},
	 {"configurations[].usd_per_million_tokens", T_NUM},
	 {"configurations[].utilization", T_NUM},
	 {"configurations[].price_stale", T_BOOL},
	 {"configurations[].price_as_of", T_STR}}};
static const doc_shape sweep_shape = {
	"hwledger.sweep/1",
	{{"ctx", T_ARR | REQ}, {"batch", T_ARR | REQ},
	 {"per_gpu_bytes", T_ARR | REQ}, {"gpu_memory_bytes", T_NUM},
	 {"model", T_STR}}};

/* hwledger.diff/1 (specs/json-schemas.md): what the Changes page reads */
static const doc_shape changes_shape = {
	"hwledger.diff/1",
	{{"a", T_OBJ | REQ}, {"b", T_OBJ | REQ}, {"added", T_ARR | REQ},
	 {"removed", T_ARR | REQ}, {"status", T_ARR | REQ},
	 {"regressions", T_NUM | REQ}, {"words", T_STR},
	 {"added[].id", T_STR | REQ}, {"added[].title", T_STR},
	 {"added[].status", T_STR}, {"removed[].id", T_STR | REQ},
	 {"removed[].title", T_STR}, {"removed[].status", T_STR},
	 {"status[].id", T_STR | REQ}, {"status[].title", T_STR},
	 {"status[].from", T_STR}, {"status[].to", T_STR},
	 {"status[].regression", T_BOOL}}};

static const char *type_name(const cJSON *v)
{
	return cJSON_IsBool(v)	   ? "a boolean"
	       : cJSON_IsNumber(v) ? "a number"
	       : cJSON_IsString(v) ? "a string"
	       : cJSON_IsArray(v)  ? "an array"
	       : cJSON_IsObject(v) ? "an object"
				   : "null";
}

/* What is wrong with obj[key] for the types asked, into msg; 0 when
 * nothing is. */
static int key_wrong(char *msg, size_t size, const cJSON *obj,
		     const char *key, int types, const char *shown)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v && (types & REQ))
		return snprintf(msg, size, "\"%s\" is missing", shown) > 0;
	if (v && !(v->type & 0xff & types))
		return snprintf(msg, size, "\"%s\" must be %s, not %s", shown,
				types & T_BOOL	 ? "a boolean"
				: types & T_NUM	 ? "a number"
				: types & T_ARR	 ? "an array"
				: types & T_OBJ	 ? "an object"
						 : "a string",
				type_name(v)) > 0;
	return 0;
}

/* The line of doc[a][b][c] in text (NULL ends the steps early), else of
 * the step above, else 1: where a message about it points. */
static long line_at(const char *text, size_t len, const char *a,
		    const char *b, const char *c)
{
	long line = 0;

	if (c)
		line = hw_json_line(text, len,
				    (const char *const[]){a, b, c, NULL}, NULL);
	if (!line && b)
		line = hw_json_line(text, len, (const char *const[]){a, b, NULL},
				    NULL);
	if (!line && a)
		line = hw_json_line(text, len, (const char *const[]){a, NULL},
				    NULL);
	return line > 0 ? line : 1;
}

/* Implements: FR-SITE-001 */
static int check_shape(const cJSON *doc, const doc_shape *shape,
		       const char *path, const char *text, size_t len)
{
	const char *schema = hw_json_str(doc, "schema");
	char msg[160];

	if (!cJSON_IsObject(doc) || !schema ||
	    strcmp(schema, shape->schema) != 0)
		return hw_error_set(HW_EINVAL, path,
				    schema ? line_at(text, len, "schema", NULL,
						     NULL)
					   : 1,
				    0, "schema is not %s", shape->schema);
	for (const doc_key *k = shape->keys; k->key; k++) {
		const char *item = strstr(k->key, "[].");
		char list[32], idx[24];
		const cJSON *it;
		long i = 0;

		if (!item) {
			if (key_wrong(msg, sizeof(msg), doc, k->key, k->types,
				      k->key))
				return hw_error_set(HW_EINVAL, path,
						    line_at(text, len, k->key,
							    NULL, NULL),
						    0, "%s", msg);
			continue;
		}
		snprintf(list, sizeof(list), "%.*s", (int)(item - k->key),
			 k->key);
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, list)) {
			int bad = !cJSON_IsObject(it);

			if (bad)
				snprintf(msg, sizeof(msg),
					 "\"%s\" holds %s, not an object", list,
					 type_name(it));
			else
				bad = key_wrong(msg, sizeof(msg), it, item + 3,
						k->types, k->key);
			if (bad) {
				snprintf(idx, sizeof(idx), "%ld", i);
				return hw_error_set(HW_EINVAL, path,
						    line_at(text, len, list,
							    idx, item + 3),
						    0, "%s", msg);
			}
			i++;
		}
	}
	return HW_OK;
}

/* Loads CHECKS/name when it exists; it must have the shape given. */
static int load_doc(site *s, cJSON **out, const char *name,
		    const doc_shape *shape)
{
	char *path = hw_path_join(s->o->checks_dir, name);
	hw_buf text;
	int err;

	*out = NULL;
	if (!path)
		return HW_ENOMEM;
	if (!hw_path_exists(path)) {
		s->stats->not_run++;
		free(path);
		return HW_OK;
	}
	hw_buf_init(&text, DOC_MAX);
	err = hw_file_read(&text, path, DOC_MAX);
	err = err ? err
		  : hw_json_parse(out, path, text.data ? text.data : "",
				  text.len);
	if (!err && (err = check_shape(*out, shape, path, text.data,
				       text.len))) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	hw_buf_free(&text);
	if (err)
		hw_diags_add_last_error(s->diags);
	free(path);
	return err == HW_ENOMEM ? err : HW_OK;
}

/* changes.json, when `hwledger report` had a previous report to compare
 * with; its absence is no check that did not run. */
static int load_changes(site *s)
{
	char *path = hw_path_join(s->o->checks_dir, "changes.json");
	int there;

	if (!path)
		return HW_ENOMEM;
	there = hw_path_exists(path);
	free(path);
	return there ? load_doc(s, &s->changes, "changes.json", &changes_shape)
		     : HW_OK;
}

static int load_sweeps(site *s)
{
	char **names = NULL;
	size_t n = 0;
	int err = hw_dir_list(&names, &n, s->o->checks_dir, ".json");

	if (err)
		return err == HW_ENOTFOUND ? HW_OK : err;
	for (size_t i = 0; i < n && !err; i++) {
		const char *base = strrchr(names[i], '/');
		cJSON *doc;
		void *p, *q;

		base = base ? base + 1 : names[i];
		if (!hw_str_startswith(base, "sweep"))
			continue;
		err = load_doc(s, &doc, base, &sweep_shape);
		if (err || !doc)
			continue;
		p = realloc(s->sweeps, (s->nsweeps + 1) * sizeof(cJSON *));
		q = p ? realloc(s->sweep_names,
				(s->nsweeps + 1) * sizeof(char *))
		      : NULL;
		if (p)
			s->sweeps = p;
		if (!q) {
			cJSON_Delete(doc);
			err = HW_ENOMEM;
			break;
		}
		s->sweep_names = q;
		s->sweeps[s->nsweeps] = doc;
		s->sweep_names[s->nsweeps++] = hw_strdup(base);
	}
	hw_strv_free(names);
	return err;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const site_fr *)a)->fr->id,
		      ((const site_fr *)b)->fr->id);
}

site_fr *site_find_fr(site *s, const char *id)
{
	size_t lo = 0, hi = s->nitems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, s->items[mid].fr->id);

		if (!c)
			return &s->items[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int cmp_source(const void *a, const void *b)
{
	return strcmp(((const site_source *)a)->path,
		      ((const site_source *)b)->path);
}

const site_source *site_find_source(const site *s, const char *path)
{
	site_source key = {(char *)path, NULL};

	if (!path || !s->nsources)
		return NULL;
	return bsearch(&key, s->sources, s->nsources, sizeof(key), cmp_source);
}

static int add_source(site *s, const char *path, size_t *cap)
{
	hw_buf name;
	int err;

	if (!path || !*path || path[0] == '/' || strstr(path, ".."))
		return HW_OK;
	if (HW_ARRAY_GROW(s->sources, s->nsources, *cap))
		return HW_ENOMEM;
	hw_buf_init(&name, 0);
	err = hw_buf_puts(&name, "src/");
	err = err ? err : hw_site_path_name(&name, path);
	err = err ? err : hw_buf_puts(&name, ".html");
	s->sources[s->nsources].path = hw_strdup(path);
	s->sources[s->nsources].page = err ? NULL : hw_buf_detach(&name);
	hw_buf_free(&name);
	if (!s->sources[s->nsources].path || !s->sources[s->nsources].page) {
		free(s->sources[s->nsources].path);
		free(s->sources[s->nsources].page);
		return HW_ENOMEM;
	}
	s->nsources++;
	return HW_OK;
}

/* The traced files: every file a tag in trace.json points into. The paths
 * are sorted and made unique before any page name is made (10,000 FRs link
 * 20,000 times into a few hundred files). */
static int collect_sources(site *s)
{
	const cJSON *fr, *link;
	const char **paths = NULL;
	size_t n = 0, capp = 0, cap = 0;
	int err = HW_OK;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(s->trace, "frs")) {
		cJSON_ArrayForEach(link, cJSON_GetObjectItem(fr, "links")) {
			const char *path = hw_json_str(link, "file");

			if (!path || (n && !strcmp(paths[n - 1], path)))
				continue; /* the usual run of one file */
			if (HW_ARRAY_GROW(paths, n, capp)) {
				free(paths);
				return HW_ENOMEM;
			}
			paths[n++] = path;
		}
	}
	if (n)
		qsort(paths, n, sizeof(*paths), hw_strp_cmp);
	for (size_t i = 0; i < n && !err; i++)
		if (!i || strcmp(paths[i - 1], paths[i]) != 0)
			err = add_source(s, paths[i], &cap);
	free(paths);
	return err;
}

static int attach(site_fr *it, const cJSON *finding)
{
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	if (HW_ARRAY_GROW(it->findings, it->nfindings, it->capfindings))
		return HW_ENOMEM;
	it->findings[it->nfindings++] = finding;
	return HW_OK;
}

static int join(site *s)
{
	const cJSON *j, *id;

	s->nitems = s->frs.n;
	s->items = calloc(s->nitems ? s->nitems : 1, sizeof(*s->items));
	if (!s->items)
		return HW_ENOMEM;
	for (size_t i = 0; i < s->frs.n; i++)
		s->items[i].fr = &s->frs.items[i];
	qsort(s->items, s->nitems, sizeof(*s->items), cmp_item);
	cJSON_ArrayForEach(j, cJSON_GetObjectItem(s->trace, "frs")) {
		const char *fid = hw_json_str(j, "id");
		site_fr *it = fid ? site_find_fr(s, fid) : NULL;

		if (it)
			it->trace = j;
	}
	cJSON_ArrayForEach(j, cJSON_GetObjectItem(s->sast, "findings")) {
		cJSON_ArrayForEach(id, cJSON_GetObjectItem(j, "frs")) {
			site_fr *it = cJSON_IsString(id)
					      ? site_find_fr(s, id->valuestring)
					      : NULL;

			/* hwledger-sast-ignore *: site_free frees it */
			if (it && attach(it, j))
				return HW_ENOMEM;
		}
	}
	return collect_sources(s);
}

static int load_bundle(site *s)
{
	int err;

	s->bundle_dir = hw_path_join(s->o->checks_dir, "bundle");
	if (!s->bundle_dir)
		return HW_ENOMEM;
	if (!hw_path_is_dir(s->bundle_dir)) {
		s->stats->not_run++;
		return HW_OK;
	}
	err = hw_bundle_load(s->bundle_dir, &s->events, &s->checkpoint);
	if (err) {
		hw_diags_add_last_error(s->diags);
		return err == HW_ENOMEM ? err : HW_OK;
	}
	s->have_bundle = 1;
	return HW_OK;
}

static int load_evidence(site *s);

/* Implements: FR-SITE-001 */
int site_load(site *s)
{
	int err;

	hw_fr_set_init(&s->frs);
	hw_glossary_init(&s->glossary);
	hw_lcov_init(&s->lcov);
	if ((err = hw_config_load(&s->config)))
		return err;
	err = hw_frs_load(&s->frs, s->diags, &s->config.model,
			  s->config.frs_dir, s->config.max_file_bytes);
	if (err == HW_EINVAL) /* malformed FRs: said, and rendered */
		err = HW_OK;
	if (err || (err = load_evidence(s)))
		return err;
	return join(s);
}

/* Everything but the FRs: glossary, check documents, bundle, coverage. */
static int load_evidence(site *s)
{
	const char *gpath = s->o->glossary ? s->o->glossary : HW_GLOSSARY_PATH;
	char *lcov;
	int err;

	if (hw_path_exists(gpath)) {
		err = hw_glossary_load(&s->glossary, s->diags, gpath,
				       s->config.max_file_bytes, HW_GSTYLE_AUTO,
				       NULL);
		if (err && err != HW_EINVAL)
			return err;
		s->have_glossary = !err && !hw_glossary_merge(&s->glossary);
	}
	if ((err = load_doc(s, &s->trace, "trace.json", &trace_shape)) ||
	    (err = load_doc(s, &s->gate, "gate.json", &gate_shape)) ||
	    (err = load_doc(s, &s->sast, "sast.json", &sast_shape)) ||
	    (err = load_doc(s, &s->plan, "plan.json", &plan_shape)) ||
	    (err = load_doc(s, &s->probe, "probe.json", &probe_shape)) ||
	    (err = load_doc(s, &s->verify, "ledger-verify.json",
			    &verify_shape)) ||
	    (err = load_doc(s, &s->report, "report.json", &report_shape)) ||
	    (err = load_doc(s, &s->cheapest, "cheapest.json",
			    &cheapest_shape)) ||
	    (err = load_changes(s)) ||
	    (err = load_sweeps(s)) || (err = load_bundle(s)))
		return err;
	lcov = hw_path_join(s->o->checks_dir, "coverage.info");
	if (!lcov)
		return HW_ENOMEM;
	if (hw_path_exists(lcov)) {
		char root[4096];

		if (!getcwd(root, sizeof(root))) {
			free(lcov);
			return hw_error_set(HW_EIO, NULL, 0, 0,
					    "cannot read the "
					    "current directory");
		}
		err = hw_lcov_load(&s->lcov, s->diags, lcov, DOC_MAX, root);
		if (err == HW_ENOMEM) {
			free(lcov);
			return err;
		}
		s->have_lcov = !err;
	}
	free(lcov);
	return HW_OK;
}

void site_free(site *s)
{
	for (size_t i = 0; i < s->nitems; i++)
		free(s->items[i].findings);
	free(s->items);
	for (size_t i = 0; i < s->nsources; i++) {
		free(s->sources[i].path);
		free(s->sources[i].page);
	}
	free(s->sources);
	for (size_t i = 0; i < s->nsweeps; i++) {
		cJSON_Delete(s->sweeps[i]);
		free(s->sweep_names[i]);
	}
	free(s->sweeps);
	free(s->sweep_names);
	cJSON_Delete(s->trace);
	cJSON_Delete(s->gate);
	cJSON_Delete(s->sast);
	cJSON_Delete(s->plan);
	cJSON_Delete(s->probe);
	cJSON_Delete(s->verify);
	cJSON_Delete(s->report);
	cJSON_Delete(s->changes);
	cJSON_Delete(s->cheapest);
	hw_lcov_free(&s->lcov);
	if (s->have_bundle) {
		hw_event_list_free(&s->events);
		hw_checkpoint_free(&s->checkpoint);
	}
	free(s->bundle_dir);
	hw_glossary_free(&s->glossary);
	hw_fr_set_free(&s->frs);
	hw_config_free(&s->config);
}

long site_num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(obj, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}

const char *site_check_verdict(const cJSON *doc)
{
	const cJSON *v;

	if (!doc)
		return "not run";
	if (cJSON_GetObjectItem(doc, "summary") &&
	    cJSON_GetObjectItem(doc, "frs"))
		return "pass"; /* a trace document: the trace ran */
	if (cJSON_IsBool(v = cJSON_GetObjectItem(doc, "ok")) ||
	    cJSON_IsBool(v = cJSON_GetObjectItem(doc, "pass")))
		return cJSON_IsTrue(v) ? "pass" : "fail";
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(doc, "failed")) ||
	    cJSON_IsNumber(v = cJSON_GetObjectItem(doc, "new")))
		return v->valuedouble == 0 ? "pass" : "fail";
	return "not run";
}

/* Implements: FR-SITE-001 */
void site_approved_counts(const site *s, long *approved, long *verified,
			  long *waived)
{
	const cJSON *fr;

	*approved = *verified = *waived = 0;
	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(s->trace, "frs")) {
		const char *doc = hw_json_str(fr, "fr_status");
		const char *st = hw_json_str(fr, "status");

		if (!doc || strcmp(doc, "approved") != 0)
			continue;
		(*approved)++;
		*verified += st && !strcmp(st, "verified");
		*waived += st && !strcmp(st, "waived");
	}
}

/* Implements: FR-SITE-001 */
const char *site_finding_state(const cJSON *f, long idx)
{
	const cJSON *group = cJSON_GetObjectItem(f, "group");

	/* a duplicate first, as `hwledger sast` counts it: a baseline holds
	 * duplicates too, and one counted again by severity would contradict
	 * the analysis' own summary */
	if (cJSON_IsNumber(group) && group->valuedouble != (double)idx)
		return "duplicate";
	if (cJSON_IsTrue(cJSON_GetObjectItem(f, "suppressed")))
		return "suppressed";
	if (cJSON_IsTrue(cJSON_GetObjectItem(f, "in_baseline")))
		return "baseline";
	return cJSON_IsTrue(cJSON_GetObjectItem(f, "new")) ? "new" : "open";
}
