/*
 * pipeline.c — `hwledger report`: every check run as a child process of
 * this binary with a deadline, its JSON result kept in the evidence folder;
 * then, in this process through the ledger's and the site's own functions,
 * one signed event per check appended in one transaction, a signed
 * checkpoint anchored on the git ref, the bundle exported, and the signed
 * site rendered. A check that crashes, hangs or cannot run is recorded as
 * such; it never takes the report down with it.
 */
#include "report/report.h"

#include "ledger/ledger.h"
#include "site/site.h"
#include "trace/config.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_MAX ((size_t)256 << 20)
#define DEFAULT_TIMEOUT 1800.0

static const char *const check_names[HW_REPORT_NCHECKS] = {
	"sast", "trace", "gate", "plan", "probe"};

typedef struct ctx {
	const hw_report_opts *o;
	hw_report *r;
	hw_diags *d;
	const char *checks;
	const char *out;
	char sast_doc[4096];
} ctx;

/* A child's command line, grown as arguments are added (a SAST import
 * names one report per unit: hundreds). Out of memory is kept in oom and
 * the command is not run, so no argument is ever silently left out. */
typedef struct argv_b {
	char **v; /* NULL-terminated */
	size_t n, cap;
	char **owned; /* paths made for the command line, freed with it */
	size_t nowned, owned_cap;
	int oom;
} argv_b;

static void arg(argv_b *a, const char *s)
{
	/* room for s and the NULL after it */
	if (a->oom || hw_array_grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v), 32)) {
		a->oom = 1;
		return;
	}
	a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* A path under the evidence folder, owned by a. */
static const char *arg_path(argv_b *a, const char *dir, const char *name)
{
	char *p = hw_path_join(dir, name);

	if (!p || HW_ARRAY_GROW(a->owned, a->nowned, a->owned_cap)) {
		free(p);
		a->oom = 1;
		return "";
	}
	a->owned[a->nowned++] = p;
	return p;
}

#define SAST_BASELINE "traceability/sast-baseline.json"

/* "--baseline FILE" when the repository has a SAST baseline. */
static void arg_baseline(argv_b *a)
{
	if (hw_path_exists(SAST_BASELINE)) {
		arg(a, "--baseline");
		arg(a, SAST_BASELINE);
	}
}

/* "--format FMT -o PATH" */
static void arg_output(argv_b *a, const char *fmt, const char *path)
{
	arg(a, "--format");
	arg(a, fmt);
	arg(a, "-o");
	arg(a, path);
}

static void argv_free(argv_b *a)
{
	for (size_t i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* "report: WHAT" on stderr when progress is on (a TTY). */
static void progress(const ctx *c, const char *what)
{
	if (c->o->progress)
		fprintf(stderr, "report: %s\n", what);
}

/* The first line of a child's stderr, for a message. */
static void first_line(char *out, size_t size, const hw_buf *err)
{
	const char *p = err->data ? err->data : "";
	size_t n = strcspn(p, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* Runs self with the arguments of a; stdout kept in res. */
static int run_self(const ctx *c, argv_b *a, hw_cmd_result *res)
{
	double t = c->o->timeout_s > 0 ? c->o->timeout_s : DEFAULT_TIMEOUT;

	memset(res, 0, sizeof(*res));
	if (a->oom || !a->n)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0,
				    "out of memory for a command line");
	a->v[0] = (char *)c->o->self;
	return hw_run(res, a->v, t, OUT_MAX);
}

static void add_inputs(argv_b *a, const hw_report_opts *o, const char *sast)
{
	for (size_t i = 0; i < o->nresults; i++) {
		arg(a, "--results");
		arg(a, o->results[i]);
	}
	for (size_t i = 0; i < o->nlcov; i++) {
		arg(a, "--lcov");
		arg(a, o->lcov[i]);
	}
	if (sast && hw_path_exists(sast)) {
		arg(a, "--sast");
		arg(a, sast);
	}
}

/*
 * The verdict from the exit status: 0 pass, 1 fail, 2 error (bad input),
 * 3 not run (a tool or library missing); killed is an error, and so is a
 * pass or fail without its JSON result.
 */
/* Implements: FR-REPORT-001 */
static void judge(hw_report_check *k, const hw_cmd_result *res, const char *doc,
		  double timeout)
{
	k->exit_code = res->status;
	if (res->timed_out) {
		snprintf(k->verdict, sizeof(k->verdict), "error");
		snprintf(k->message, sizeof(k->message),
			 "timed out after %.0f s and was killed", timeout);
		return;
	}
	if (res->signal) {
		snprintf(k->verdict, sizeof(k->verdict), "error");
		snprintf(k->message, sizeof(k->message), "crashed (signal %d)",
			 res->signal);
		return;
	}
	switch (res->status) {
	case 0:
	case 1:
		snprintf(k->verdict, sizeof(k->verdict), "%s",
			 res->status ? "fail" : "pass");
		break;
	case 3:
	case 127:
		snprintf(k->verdict, sizeof(k->verdict), "not run");
		break;
	default:
		snprintf(k->verdict, sizeof(k->verdict), "error");
	}
	if (res->status != 0)
		first_line(k->message, sizeof(k->message), &res->err);
	if (res->status <= 1 && !hw_path_exists(doc)) {
		snprintf(k->verdict, sizeof(k->verdict), "error");
		snprintf(k->message, sizeof(k->message),
			 "exited %d without writing its result", res->status);
	}
}

/* Runs one check; doc is where its JSON result goes. */
static int run_check(ctx *c, hw_report_check *k, argv_b *a, const char *doc,
		     int from_stdout)
{
	hw_cmd_result res;
	double t0 = hw_now_s();
	int err;

	if (c->o->progress)
		fprintf(stderr, "report: %s ...\n", k->name);
	if ((err = run_self(c, a, &res)))
		return err;
	k->seconds = hw_now_s() - t0;
	if (from_stdout && !res.timed_out && !res.signal &&
	    (res.status == 0 || res.status == 1) && res.out.len &&
	    (err = hw_file_write_atomic(doc, res.out.data, res.out.len))) {
		hw_cmd_result_free(&res);
		return err;
	}
	judge(k, &res, doc,
	      c->o->timeout_s > 0 ? c->o->timeout_s : DEFAULT_TIMEOUT);
	hw_cmd_result_free(&res);
	if (c->o->progress)
		fprintf(stderr, "report: %s %s (%.1f s)%s%s\n", k->name,
			k->verdict, k->seconds, *k->message ? ": " : "",
			k->message);
	return HW_OK;
}

/* ---- the planner's illustrations (planner/report.json) ---------------- */

/* The illustrations in the evidence folder: sweep-*.json, cheapest.json. */
static int planner_outputs(const ctx *c, char ***out, size_t *n)
{
	size_t k = 0;
	int err = hw_dir_list(out, n, c->checks, ".json");

	if (err) {
		hw_error_clear();
		*out = NULL;
		*n = 0;
		return HW_OK; /* no folder: none */
	}
	for (size_t i = 0; i < *n; i++) {
		const char *base = strrchr((*out)[i], '/');

		base = base ? base + 1 : (*out)[i];
		if (!strncmp(base, "sweep-", 6) || !strcmp(base, "cheapest.json"))
			(*out)[k++] = (*out)[i];
		else
			free((*out)[i]);
	}
	(*out)[k] = NULL;
	*n = k;
	return HW_OK;
}

#define PLANNER_REPORT "planner/report.json"

/*
 * After a plan check that ran: the illustrations planner/report.json asks
 * for (sweep-NAME.json, cheapest.json), written by `plan report`, a child
 * like the checks. Without the file there is nothing to do; a bad file or
 * a failed run makes the plan check an error.
 */
/* Implements: FR-REPORT-001 */
static int planner_illustrations(ctx *c, hw_report_check *k)
{
	hw_report_check x = {0};
	hw_cmd_result res;
	argv_b a = {0};
	int err;

	if (!hw_path_exists(PLANNER_REPORT) || !strcmp(k->verdict, "not run"))
		return HW_OK;
	arg(&a, "");
	arg(&a, "-q");
	arg(&a, "plan");
	arg(&a, "report");
	arg(&a, "-o");
	arg(&a, c->checks);
	progress(c, "plan report ...");
	err = run_self(c, &a, &res);
	argv_free(&a);
	if (err)
		return err;
	/* its message names planner/report.json and the part that failed */
	judge(&x, &res, PLANNER_REPORT,
	      c->o->timeout_s > 0 ? c->o->timeout_s : DEFAULT_TIMEOUT);
	if (strcmp(x.verdict, "pass") != 0) {
		snprintf(k->verdict, sizeof(k->verdict), "error");
		snprintf(k->message, sizeof(k->message), "%s%.480s",
			 res.timed_out || res.signal ? "plan report: " : "",
			 *x.message ? x.message : "plan report failed");
	}
	hw_cmd_result_free(&res);
	return HW_OK;
}

/* The directory the analyzers keep their reports in. */
static const char *sast_reports(const ctx *c)
{
	return c->o->sast_reports ? c->o->sast_reports : "build/sast/run";
}

/* "--import FILE" for each analyzer report kept in dir (specs/sast.md):
 * cppcheck.xml, flawfinder.sarif, clang-tidy-*.txt, gcc-*.json and each
 * tool's run-TOOL.json. */
static void arg_imports(argv_b *a, const char *dir)
{
	static const char *const tools[] = {"cppcheck.xml", "flawfinder.sarif"};
	char **more = NULL;
	size_t n = 0;

	for (size_t i = 0; i < 2; i++) {
		const char *p = arg_path(a, dir, tools[i]);

		if (hw_path_exists(p)) {
			arg(a, "--import");
			arg(a, p);
		}
	}
	if (hw_dir_list(&more, &n, dir, "")) {
		hw_error_clear();
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(more[i], '/');

		base = base ? base + 1 : more[i];
		if ((hw_str_startswith(base, "clang-tidy-") &&
		     hw_str_endswith(base, ".txt")) ||
		    ((hw_str_startswith(base, "gcc-") ||
		      hw_str_startswith(base, "run-")) &&
		     hw_str_endswith(base, ".json"))) {
			arg(a, "--import");
			arg(a, arg_path(a, dir, base));
		}
	}
	hw_strv_free(more);
}

/* The SARIF logs for code scanning, from the same inputs (best effort). */
static void sarif_logs(ctx *c)
{
	argv_b a = {0};
	hw_cmd_result res;

	arg(&a, "");
	arg(&a, "-q");
	arg(&a, "trace");
	add_inputs(&a, c->o, c->sast_doc);
	arg_output(&a, "sarif", arg_path(&a, c->checks, "trace.sarif"));
	if (!run_self(c, &a, &res))
		hw_cmd_result_free(&res);
	argv_free(&a);
	arg(&a, "");
	arg(&a, "-q");
	arg(&a, "sast");
	arg_imports(&a, sast_reports(c));
	if (a.n > 3) {
		arg_baseline(&a);
		arg_output(&a, "sarif", arg_path(&a, c->checks, "sast.sarif"));
		if (!run_self(c, &a, &res))
			hw_cmd_result_free(&res);
	}
	argv_free(&a);
}

/* Implements: FR-REPORT-001 */
static int run_checks(ctx *c)
{
	int err = HW_OK;

	snprintf(c->sast_doc, sizeof(c->sast_doc), "%s/sast.json", c->checks);
	for (size_t i = 0; i < HW_REPORT_NCHECKS && !err; i++) {
		hw_report_check *k = &c->r->checks[i];
		const char *name = check_names[i];
		argv_b a = {0};
		char doc[4096];
		int from_stdout = 0;

		k->name = name;
		snprintf(doc, sizeof(doc), "%s/%s.json", c->checks, name);
		arg(&a, "");
		if (!strcmp(name, "sast")) {
			arg(&a, "-q");
			arg(&a, "sast");
			/* --sast-reports: the reports of an analysis already
			 * run (none: sast's usage error, an error verdict) */
			if (c->o->sast_reports)
				arg_imports(&a, c->o->sast_reports);
			/* by name: a missing analyzer is then exit 3, and
			 * the check is recorded as not run */
			for (size_t t = 0; t < 4 && !c->o->sast_reports; t++) {
				static const char *const tools[] = {
					"cppcheck", "clang-tidy", "flawfinder",
					"gcc"};

				arg(&a, "--tool");
				arg(&a, tools[t]);
			}
			arg_baseline(&a);
		} else if (!strcmp(name, "trace") || !strcmp(name, "gate")) {
			arg(&a, "-q");
			arg(&a, name);
			add_inputs(&a, c->o, c->sast_doc);
		} else {
			const char *dir = !strcmp(name, "plan")
						  ? "planner/checks"
						  : "probes/checks";

			if (!hw_path_is_dir(dir)) {
				snprintf(k->verdict, sizeof(k->verdict),
					 "not run");
				snprintf(k->message, sizeof(k->message),
					 "no %s folder in this repository",
					 dir);
				k->exit_code = -1;
				c->r->nchecks = i + 1;
				argv_free(&a);
				continue;
			}
			arg(&a, name);
			arg(&a, "check");
			arg(&a, "--json");
			from_stdout = 1;
		}
		if (!from_stdout)
			arg_output(&a, "json", doc);
		err = run_check(c, k, &a, doc, from_stdout);
		if (!err && !strcmp(name, "plan"))
			err = planner_illustrations(c, k);
		argv_free(&a);
		c->r->nchecks = i + 1;
	}
	if (!err)
		sarif_logs(c);
	return err;
}

/* ---- evidence and events ---------------------------------------------- */

static int add_file_hash(cJSON *list, const char *path)
{
	hw_buf b;
	uint8_t h[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];
	cJSON *o;

	hw_buf_init(&b, 0);
	if (hw_file_read(&b, path, OUT_MAX)) {
		hw_buf_free(&b);
		hw_error_clear();
		return HW_OK; /* not there: nothing was read from it */
	}
	hw_sha256(h, b.data ? b.data : "", b.len);
	hw_buf_free(&b);
	hw_hex(hex, h, sizeof(h));
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "path", path) ||
	    !cJSON_AddStringToObject(o, "sha256", hex)) {
		cJSON_Delete(o);
		return HW_ENOMEM;
	}
	cJSON_AddItemToArray(list, o);
	return HW_OK;
}

static int add_dir_hashes(cJSON *list, const char *dir, const char *suffix)
{
	char **v = NULL;
	size_t n = 0;
	int err = HW_OK;

	if (hw_dir_list(&v, &n, dir, suffix)) {
		hw_error_clear();
		return HW_OK;
	}
	for (size_t i = 0; i < n && !err; i++)
		err = add_file_hash(list, v[i]);
	hw_strv_free(v);
	return err;
}

/* The files a check read, each with its SHA-256. */
/* Implements: FR-REPORT-001 */
static int evidence_of(const ctx *c, const char *check, cJSON *list)
{
	int err = HW_OK;

	if (!strcmp(check, "sast"))
		return add_file_hash(list, SAST_BASELINE) ||
		       add_file_hash(list, "build/compile_commands.json") ||
		       (c->o->sast_reports &&
			add_dir_hashes(list, c->o->sast_reports, ""));
	if (!strcmp(check, "plan")) {
		char **extras = NULL;
		size_t n = 0;

		err = add_dir_hashes(list, "planner/checks", ".json") ||
		      add_file_hash(list, "planner/gpus.json") ||
		      add_file_hash(list, "planner/engines.json") ||
		      add_file_hash(list, PLANNER_REPORT);
		/* what the illustrations wrote, named by their hashes */
		if (!err && !(err = planner_outputs(c, &extras, &n)))
			for (size_t i = 0; i < n && !err; i++)
				err = add_file_hash(list, extras[i]);
		hw_strv_free(extras);
		return err;
	}
	if (!strcmp(check, "probe"))
		return add_dir_hashes(list, "probes/checks", ".json");
	/* the results files as trace expands --results (folders, globs),
	 * or those of its default folder */
	{
		char **files = NULL;
		size_t n = 0;
		hw_diags ignored; /* trace itself reports a glob with no match */

		hw_diags_init(&ignored);
		err = hw_results_files(&files, &n, &ignored, c->o->results,
				       c->o->nresults);
		for (size_t i = 0; i < n && !err; i++)
			err = add_file_hash(list, files[i]);
		hw_strv_free(files);
		hw_diags_free(&ignored);
	}
	for (size_t i = 0; i < c->o->nlcov && !err; i++)
		err = add_file_hash(list, c->o->lcov[i]);
	if (!err)
		err = add_file_hash(list, HW_CONFIG_PATH) ||
		      add_file_hash(list, HW_POLICY_PATH) ||
		      add_file_hash(list, c->sast_doc) ||
		      add_dir_hashes(list, "frs", ".md");
	return err;
}

/*
 * What of a result goes into the event: all of it, except for the two that
 * grow with the project (the ledger keeps every run): trace keeps its
 * summary and each FR's status (the site's history and trend), SAST its
 * counts. The whole document is named by result_sha256 and published in
 * the site's evidence/. Takes doc; returns the digest (NULL: none).
 */
static cJSON *digest(const char *check, cJSON *doc)
{
	cJSON *d, *list, *x;
	const cJSON *f;

	if (!doc || (strcmp(check, "trace") != 0 && strcmp(check, "sast") != 0))
		return doc;
	d = cJSON_CreateObject();
	list = cJSON_CreateArray();
	if (!d || !list) {
		cJSON_Delete(d);
		cJSON_Delete(list);
		cJSON_Delete(doc);
		return NULL;
	}
	cJSON_AddItemReferenceToObject(d, "schema",
				       cJSON_GetObjectItem(doc, "schema"));
	if (!strcmp(check, "sast")) {
		cJSON_Delete(list);
		cJSON_AddItemReferenceToObject(d, "total",
					       cJSON_GetObjectItem(doc, "total"));
		cJSON_AddItemReferenceToObject(d, "new",
					       cJSON_GetObjectItem(doc, "new"));
		/* each analyzer's units analysed and failed: a tool that
		 * failed is part of the signed verdict */
		if (cJSON_GetObjectItem(doc, "runs"))
			cJSON_AddItemReferenceToObject(
				d, "runs", cJSON_GetObjectItem(doc, "runs"));
	} else {
		cJSON_AddItemReferenceToObject(
			d, "summary", cJSON_GetObjectItem(doc, "summary"));
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "frs")) {
			x = cJSON_CreateObject();
			if (!x)
				break;
			cJSON_AddItemReferenceToObject(
				x, "id", cJSON_GetObjectItem(f, "id"));
			cJSON_AddItemReferenceToObject(
				x, "status", cJSON_GetObjectItem(f, "status"));
			cJSON_AddItemToArray(list, x);
		}
		cJSON_AddItemToObject(d, "frs", list);
	}
	/* references point into doc: make them copies before it goes */
	x = cJSON_Duplicate(d, 1);
	cJSON_Delete(d);
	cJSON_Delete(doc);
	return x;
}

/* The payload of one check's event (specs/report.md). */
/* Implements: FR-REPORT-001 */
static int write_payload(const ctx *c, const hw_report_check *k,
			 const char *path)
{
	char doc[4096], hex[HW_SHA256_HEX_LEN + 1];
	cJSON *p = cJSON_CreateObject(), *ev = cJSON_CreateArray(), *res = NULL;
	hw_buf raw;
	char *text;
	int err;

	snprintf(doc, sizeof(doc), "%s/%s.json", c->checks, k->name);
	hw_buf_init(&raw, 0);
	if (!p || !ev) {
		cJSON_Delete(p);
		cJSON_Delete(ev);
		return HW_ENOMEM;
	}
	cJSON_AddStringToObject(p, "schema", HW_CHECK_SCHEMA);
	cJSON_AddStringToObject(p, "check", k->name);
	cJSON_AddStringToObject(p, "verdict", k->verdict);
	if (*k->message)
		cJSON_AddStringToObject(p, "message", k->message);
	cJSON_AddNumberToObject(p, "exit", k->exit_code);
	cJSON_AddBoolToObject(p, "optional", k->optional);
	cJSON_AddNumberToObject(p, "seconds",
				(double)(long)(k->seconds * 1000) / 1000);
	cJSON_AddStringToObject(p, "commit", c->r->commit);
	cJSON_AddBoolToObject(p, "dirty", c->r->dirty);
	err = evidence_of(c, k->name, ev);
	cJSON_AddItemToObject(p, "evidence", ev);
	if (!err && hw_path_exists(doc) && !hw_file_read(&raw, doc, OUT_MAX)) {
		uint8_t h[HW_SHA256_LEN];

		hw_sha256(h, raw.data ? raw.data : "", raw.len);
		hw_hex(hex, h, sizeof(h));
		cJSON_AddStringToObject(p, "result_sha256", hex);
		res = digest(k->name, cJSON_ParseWithLength(
					      raw.data ? raw.data : "", raw.len));
	} else {
		hw_error_clear();
		cJSON_AddNullToObject(p, "result_sha256");
	}
	if (res)
		cJSON_AddItemToObject(p, "result", res);
	else
		cJSON_AddNullToObject(p, "result");
	hw_buf_free(&raw);
	text = err ? NULL : cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	if (!text)
		return err ? err : HW_ENOMEM;
	err = hw_file_write_atomic(path, text, strlen(text));
	free(text);
	return err;
}

/*
 * A step after the checks that did not succeed: code (HW_EINVAL for the
 * project's bad input, else HW_EIO) naming the step and why (the first
 * error of diags, else the error set), so the report is never taken for
 * written.
 */
static int step_failed(int code, const char *what, const hw_diags *diags)
{
	char why[512];

	snprintf(why, sizeof(why), "%s", hw_error_last());
	for (size_t i = 0; diags && i < diags->n; i++)
		if (diags->items[i].level == HW_DIAG_ERROR) {
			const hw_diag *g = &diags->items[i];

			if (g->file && g->line)
				snprintf(why, sizeof(why), "%s:%ld: %s",
					 g->file, g->line, g->message);
			else if (g->file)
				snprintf(why, sizeof(why), "%s: %s", g->file,
					 g->message);
			else
				snprintf(why, sizeof(why), "%s", g->message);
			break;
		}
	return hw_error_set(code, NULL, 0, 0, "%s failed: %s", what,
			    *why ? why : "no message");
}

/* One event per check, appended in one transaction: all or none. */
/* Implements: FR-REPORT-001 */
static int append_events(ctx *c, hw_ledger *l, const hw_seckey *k)
{
	char *events = hw_path_join(c->checks, "events");
	char path[4096];
	hw_append items[HW_REPORT_NCHECKS];
	hw_buf data[HW_REPORT_NCHECKS];
	uint64_t first;
	int err;

	if (!events)
		return HW_ENOMEM;
	err = hw_mkdir_p(events);
	for (size_t i = 0; i < c->r->nchecks; i++) {
		hw_buf_init(&data[i], HW_LEDGER_MAX_PAYLOAD);
		snprintf(path, sizeof(path), "%s/%s.json", events,
			 c->r->checks[i].name);
		/* the payload is read back as the ledger will sign it */
		if (!err && !(err = write_payload(c, &c->r->checks[i], path)))
			err = hw_file_read(&data[i], path,
					   HW_LEDGER_MAX_PAYLOAD);
		items[i].kind = c->r->checks[i].name;
		items[i].payload_type = "application/json";
		items[i].payload = data[i].data ? data[i].data : "";
		items[i].payload_len = data[i].len;
	}
	free(events);
	if (!err && (err = hw_ledger_append(l, items, c->r->nchecks,
					    c->r->commit, k, &first)))
		err = hw_error_set(HW_EIO, HW_LEDGER_DB, 0, 0,
				   "the events were not appended (nothing "
				   "was): %s",
				   hw_error_last());
	for (size_t i = 0; i < c->r->nchecks; i++)
		hw_buf_free(&data[i]);
	if (err)
		return err;
	c->r->first_seq = (long long)first;
	progress(c, "signed events appended");
	return HW_OK;
}

/*
 * changes.json: this run's trace result against the previous signed one,
 * the latest trace event before this run's events that has a result
 * (specs/diff.md, "The Changes page"), as `hwledger diff` would say it of
 * a bundle. None when there is no such event or this run has no trace
 * result; the site then says there is nothing to compare. An earlier
 * event whose result cannot be read is a warning, not a failed report:
 * the report's verdict is its checks'.
 */
/* Implements: FR-REPORT-004 */
static int write_changes(ctx *c, hw_ledger *l, const hw_seckey *k)
{
	char *path = hw_path_join(c->checks, "changes.json");
	char *trace = hw_path_join(c->checks, "trace.json");
	char label[512];
	hw_event_list list = {0};
	hw_diff_side a = {0}, b = {0};
	const hw_event *prev = NULL;
	cJSON *doc = NULL;
	size_t regressions;
	int err = path && trace ? HW_OK : HW_ENOMEM;

	if (!err && hw_path_exists(trace) && !(err = hw_ledger_load(l, &list)))
		for (size_t i = list.n; i-- > 0 && !prev;) {
			const hw_event *e = &list.items[i];

			if ((long long)e->seq >= c->r->first_seq ||
			    !e->kind || strcmp(e->kind, "trace") != 0)
				continue;
			snprintf(label, sizeof(label), "%s (event %llu)",
				 HW_LEDGER_DB, (unsigned long long)e->seq);
			err = hw_diff_load_event(&a, label, e);
			if (!err) {
				prev = e;
			} else if (err == HW_ENOTFOUND) {
				/* the trace check did not run that time */
				hw_error_clear();
				err = HW_OK;
			} else {
				break;
			}
		}
	if (!err && prev) {
		/* the ledger keeps the key's id; its name only for this key */
		if (!memcmp(prev->key_id, k->pub.id, sizeof(prev->key_id))) {
			snprintf(a.key_name, sizeof(a.key_name), "%s",
				 k->pub.name);
			a.trusted = c->r->key_trusted;
		} else {
			snprintf(a.key_name, sizeof(a.key_name),
				 "%02x%02x%02x%02x", prev->key_id[0],
				 prev->key_id[1], prev->key_id[2],
				 prev->key_id[3]);
		}
		snprintf(b.key_name, sizeof(b.key_name), "%s", k->pub.name);
		b.trusted = c->r->key_trusted;
		if (!(err = hw_diff_load_checks(&b, c->checks, c->r->commit)) &&
		    !(err = hw_diff_build(&doc, &a, &b, &regressions)))
			err = hw_json_write(path, doc);
	}
	if (err && err != HW_ENOMEM) {
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "no Changes against the previous report: %s",
			     hw_error_last());
		hw_error_clear();
		err = HW_OK;
	}
	cJSON_Delete(doc);
	hw_diff_side_free(&a);
	hw_diff_side_free(&b);
	hw_event_list_free(&list);
	free(path);
	free(trace);
	return err;
}

/*
 * ledger-verify.json: the whole ledger as a plain `ledger verify --json`
 * sees it (its checkpoints and anchors, not only the bundle's last
 * checkpoint), trusting the signing key as well when it is an untrusted
 * local one. A ledger that does not verify, or a trusted list that cannot
 * be read, is a warning the site shows, not a failed report.
 */
/* Implements: FR-REPORT-001 */
static int verify_ledger(ctx *c, const hw_seckey *k, const char *vdoc)
{
	hw_keyring ring = {0};
	hw_verify_report v;
	hw_buf b;
	int err;

	/* verification checks the checkpoints' anchors in git: outside a
	 * repository there is nothing wrong with the ledger, the check
	 * cannot be made; the last run's verdict is not left to be shown */
	if (hw_git_no_repository()) {
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "the ledger was not verified (no %s): "
			     "verifying checks its anchors in git, and this "
			     "folder is not in a git repository; run the "
			     "report in the project's git repository "
			     "('git init', then commit the project) to anchor "
			     "and verify the ledger",
			     vdoc);
		if (unlink(vdoc) != 0 && errno != ENOENT)
			return hw_error_set(HW_EIO, vdoc, 0, 0,
					    "cannot remove: %s",
					    strerror(errno));
		return HW_OK;
	}
	err = hw_ledger_trusted(&ring, NULL, 0, 0);
	if (!err && !c->r->key_trusted)
		err = hw_keyring_add(&ring, &k->pub);
	if (!err)
		err = hw_ledger_verify_repo(&v, &ring, NULL);
	hw_keyring_free(&ring);
	if (err == HW_ENOMEM)
		return err;
	if (err) {
		hw_diags_add(c->d, HW_DIAG_WARNING, vdoc, 0, 0,
			     "the ledger does not verify (exit %d): %s",
			     hw_exit_code(err),
			     err == HW_EFAIL ? v.message : hw_error_last());
		hw_error_clear();
		if (err != HW_EFAIL)
			return HW_OK; /* no verdict to write */
	}
	hw_buf_init(&b, 0);
	err = hw_verify_report_json(&b, &v);
	err = err ? err : hw_file_write_atomic(vdoc, b.data, b.len);
	hw_buf_free(&b);
	return err;
}

/*
 * The checkpoint over every event, its anchor on the git ref (a failure is
 * a warning: no repository), the bundle, and the ledger's verification.
 */
/* Implements: FR-REPORT-001 */
static int checkpoint_anchor_export(ctx *c, hw_ledger *l, const hw_seckey *k)
{
	char *bundle = hw_path_join(c->checks, "bundle");
	char *vdoc = hw_path_join(c->checks, "ledger-verify.json");
	hw_checkpoint cp;
	uint64_t size;
	char commit[41];
	int err = bundle && vdoc ? HW_OK : HW_ENOMEM, fresh;

	if (!err && (err = hw_ledger_checkpoint(l, k, 1, &cp)))
		err = step_failed(HW_EIO, "checkpoint signed", NULL);
	else if (!err) {
		hw_checkpoint_free(&cp);
		progress(c, "checkpoint signed");
	}
	if (!err &&
	    hw_ledger_anchor(l, &size, commit, &fresh, c->r->anchor_ref)) {
		c->r->anchor_ref[0] = '\0';
		snprintf(c->r->anchor_note, sizeof(c->r->anchor_note),
			 "checkpoint not anchored: %s", hw_error_last());
		hw_error_clear();
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0, "%s",
			     c->r->anchor_note);
	} else if (!err) {
		snprintf(c->r->anchor_commit, sizeof(c->r->anchor_commit),
			 "%s", commit);
	}
	if (!err && (err = hw_ledger_export_bundle(l, bundle, &k->pub)))
		err = step_failed(HW_EIO, "bundle exported", NULL);
	else if (!err)
		progress(c, "bundle exported");
	if (!err)
		err = verify_ledger(c, k, vdoc);
	free(bundle);
	free(vdoc);
	return err;
}

/* The site, rendered into a fresh folder, signed with k (unless NULL),
 * and swapped in. */
/* Implements: FR-REPORT-001 */
static int render_site(ctx *c, const hw_seckey *k)
{
	const char *what = k ? "site rendered and signed" : "site rendered";
	hw_site_opts so = {0};
	hw_site_stats st;
	hw_diags d;
	int err;

	so.out_dir = c->out;
	so.checks_dir = c->checks;
	so.key = k;
	so.spare_dir = HW_SITE_SPARE_DIR;
	so.force = c->o->force;
	so.pdf = c->o->pdf;
	hw_diags_init(&d);
	/* an FR file or glossary the site cannot read as given is bad input
	 * (exit 2), as it is for trace; anything else is the environment */
	if ((err = hw_site_render(&so, &d, &st)))
		err = step_failed(err == HW_EINVAL ? HW_EINVAL : HW_EIO, what,
				  &d);
	else
		progress(c, what);
	hw_diags_free(&d);
	return err;
}

/* ---- key, repository state, policy ------------------------------------ */

/* Implements: FR-REPORT-001 */
static int signing_key(ctx *c, hw_seckey *k)
{
	char path[4096], line[192], pubfile[4200];
	int err = hw_seckey_find(k, path, sizeof(path));

	if (err == HW_ENOTFOUND) {
		hw_error_clear();
		if ((err = hw_mkdir_p(HW_LEDGER_KEYS_DIR)) ||
		    (err = hw_key_generate(k, HW_LEDGER_KEYS_DIR, "local")))
			return err;
		c->r->key_generated = 1;
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "no signing key: generated %s/local.key; the "
			     "report is signed by an untrusted local key (set "
			     "HWLEDGER_SIGNING_KEY, or list its .pub line in "
			     "%s to trust it)",
			     HW_LEDGER_KEYS_DIR, HW_LEDGER_TRUSTED);
	} else if (err) {
		return err;
	}
	snprintf(c->r->key_name, sizeof(c->r->key_name), "%s", k->pub.name);
	c->r->key_trusted = hw_key_listed(HW_LEDGER_TRUSTED, &k->pub);
	hw_pubkey_format(line, sizeof(line), &k->pub);
	snprintf(pubfile, sizeof(pubfile), "%s/signing-key.pub", c->checks);
	{
		size_t n = strlen(line);

		line[n] = '\n';
		return hw_file_write_atomic(pubfile, line, n + 1);
	}
}

/* Implements: FR-REPORT-001 */
static void repo_state(ctx *c)
{
	int shallow, detached;

	hw_git_head(c->r->commit, sizeof(c->r->commit), &c->r->dirty);
	if (!c->r->commit[0])
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "not in a git repository with a commit: the "
			     "events record no commit and cannot be anchored");
	if (c->r->dirty)
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "the working tree has uncommitted changes: the "
			     "events record commit %.12s with dirty=true",
			     c->r->commit);
	/* asked of git, not of ./.git: a project may be a subfolder */
	hw_git_shape(&shallow, &detached);
	if (shallow)
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "a shallow clone: the anchor ref is written, but "
			     "history older than the clone is not available "
			     "to verify");
	if (detached)
		hw_diags_add(c->d, HW_DIAG_WARNING, NULL, 0, 0,
			     "a detached HEAD: the events record commit %.12s",
			     c->r->commit);
	hw_error_clear();
}

/* The policy's "optional_checks": checks allowed not to run. */
/* Implements: FR-REPORT-001 */
static void optional_checks(ctx *c)
{
	cJSON *p = NULL;
	const cJSON *v;

	if (!hw_path_exists(HW_POLICY_PATH) ||
	    hw_json_load(&p, HW_POLICY_PATH, (size_t)1 << 20)) {
		hw_error_clear();
		return;
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(p, "optional_checks")) {
		for (size_t i = 0; i < HW_REPORT_NCHECKS; i++)
			if (cJSON_IsString(v) &&
			    !strcmp(v->valuestring, check_names[i]))
				c->r->checks[i].optional = 1;
	}
	cJSON_Delete(p);
}

static int write_report_doc(ctx *c)
{
	char *path = hw_path_join(c->checks, "report.json");
	hw_buf b;
	hw_jw w;
	int err;

	if (!path)
		return HW_ENOMEM;
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_REPORT_SCHEMA);
	hw_jw_kbool(&w, "ok", c->r->ok);
	hw_jw_kstr(&w, "commit", c->r->commit);
	hw_jw_kbool(&w, "dirty", c->r->dirty);
	hw_jw_key(&w, "first_seq");
	if (c->r->first_seq >= 0)
		hw_jw_int(&w, c->r->first_seq);
	else
		hw_jw_null(&w);
	hw_jw_kstr(&w, "anchor",
		   *c->r->anchor_note ? c->r->anchor_note : "anchored");
	/* where an auditor finds the anchor: `git show COMMIT`, `git log
	 * REF` ("" when not anchored) */
	hw_jw_kstr(&w, "anchor_commit", c->r->anchor_commit);
	hw_jw_kstr(&w, "anchor_ref", c->r->anchor_ref);
	hw_jw_key(&w, "key");
	hw_jw_object(&w);
	hw_jw_kstr(&w, "name", c->r->key_name);
	hw_jw_kbool(&w, "trusted", c->r->key_trusted);
	hw_jw_kbool(&w, "generated", c->r->key_generated);
	hw_jw_end(&w);
	hw_jw_key(&w, "checks");
	hw_jw_array(&w);
	for (size_t i = 0; i < c->r->nchecks; i++) {
		const hw_report_check *k = &c->r->checks[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "check", k->name);
		hw_jw_kstr(&w, "verdict", k->verdict);
		hw_jw_kstr(&w, "message", *k->message ? k->message : NULL);
		hw_jw_kint(&w, "exit", k->exit_code);
		hw_jw_kbool(&w, "optional", k->optional);
		hw_jw_kint(&w, "milliseconds", (long long)(k->seconds * 1000));
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	err = hw_jw_finish(&w);
	err = err ? err : hw_file_write_atomic(path, b.data, b.len);
	hw_buf_free(&b);
	free(path);
	return err;
}

/*
 * The coverage the FR figures came from, for the site's source views:
 * the --lcov files (else build/coverage.info, the trace's default) one
 * after the other in CHECKS/coverage.info (lcov merges repeated records).
 */
/* Implements: FR-REPORT-001 */
static int copy_coverage(const ctx *c)
{
	static const char *const dflt[] = {"build/coverage.info"};
	const char *const *files = c->o->lcov;
	size_t n = c->o->nlcov;
	char *out = hw_path_join(c->checks, "coverage.info");
	hw_buf all, one;
	int err = out ? HW_OK : HW_ENOMEM;

	if (!n && hw_path_exists(dflt[0])) {
		files = dflt;
		n = 1;
	}
	hw_buf_init(&all, 0);
	hw_buf_init(&one, 0);
	for (size_t i = 0; i < n && !err; i++) {
		hw_buf_clear(&one);
		/* one that cannot be read made the trace an error already */
		if (hw_file_read(&one, files[i], OUT_MAX)) {
			err = hw_error_code() == HW_ENOMEM ? HW_ENOMEM : HW_OK;
			hw_error_clear();
			continue;
		}
		err = hw_buf_append(&all, one.data, one.len);
		if (!err && one.len && one.data[one.len - 1] != '\n')
			err = hw_buf_putc(&all, '\n');
	}
	if (!err && n)
		err = hw_file_write_atomic(out, all.data ? all.data : "",
					   all.len);
	hw_buf_free(&all);
	hw_buf_free(&one);
	free(out);
	return err;
}

/* Results of an earlier run must not pass for this run's. */
static void clear_stale(const ctx *c)
{
	static const char *const names[] = {
		"sast.json",  "trace.json",  "gate.json",
		"plan.json",  "probe.json",  "trace.sarif",
		"sast.sarif", "report.json", "ledger-verify.json",
		"coverage.info", "signing-key.pub", "bundle/events.jsonl",
		"bundle/checkpoint", "bundle/keys", "changes.json"};
	char **extras = NULL;
	char *bundle = hw_path_join(c->checks, "bundle");
	size_t n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *p = hw_path_join(c->checks, names[i]);

		if (p)
			unlink(p);
		free(p);
	}
	for (size_t i = 0; i < HW_REPORT_NCHECKS; i++) {
		char name[64], *p;

		snprintf(name, sizeof(name), "events/%s.json", check_names[i]);
		if ((p = hw_path_join(c->checks, name)))
			unlink(p);
		free(p);
	}
	/* the site shows a bundle folder it finds: none unless this run
	 * exports one (only when it is empty: nothing else goes) */
	if (bundle)
		rmdir(bundle);
	free(bundle);
	if (planner_outputs(c, &extras, &n) == HW_OK)
		for (size_t i = 0; i < n; i++)
			unlink(extras[i]);
	hw_strv_free(extras);
}

/* Implements: FR-REPORT-001 */
/* A folder without the configured FR folder is no project (most often a
 * subfolder of one): refused before a key is made, a check run or an event
 * signed, and before the checkpoint is anchored on the git repository
 * around it. Any other problem of the config or the FRs is the trace
 * check's to record. */
static int refuse_no_frs(void)
{
	hw_config cfg;
	hw_fr_set set;
	hw_diags d;
	int err;

	if (hw_config_load(&cfg))
		return HW_OK;
	hw_fr_set_init(&set);
	hw_diags_init(&d);
	err = hw_frs_load(&set, &d, &cfg.model, cfg.frs_dir,
			  cfg.max_file_bytes);
	set.model = NULL; /* it is freed with cfg */
	hw_fr_set_free(&set);
	hw_diags_free(&d);
	hw_config_free(&cfg);
	return err == HW_ENOTFOUND ? err : HW_OK;
}

/* Implements: FR-LEDGER-003 */
/* A project folder that cannot be part of the anchor ref's name is bad
 * input, refused before an event is signed: its checkpoint could never be
 * anchored, and the shared ref is another project's. No repository, or no
 * libgit2, is the anchor step's warning as before. */
static int refuse_unnamed_ref(void)
{
	char ref[HW_LEDGER_REF_MAX];
	int err = hw_ledger_ref(ref, sizeof(ref));

	if (err == HW_EINVAL || err == HW_ENOMEM)
		return err;
	hw_error_clear();
	return HW_OK;
}

int hw_report_run(const hw_report_opts *o, hw_report *r, hw_diags *d)
{
	ctx c = {o,
		 r,
		 d,
		 o->checks_dir ? o->checks_dir : "build/checks",
		 o->out_dir ? o->out_dir : "build/site",
		 ""};
	hw_seckey k;
	hw_ledger l;
	int err;

	memset(r, 0, sizeof(*r));
	r->first_seq = -1;
	/* a folder the site may not replace is refused before any check runs
	 * or any event is signed */
	if ((err = hw_site_out_check(c.out, o->force, NULL)) ||
	    (err = refuse_no_frs()) || (err = hw_mkdir_p(c.checks)))
		return err;
	clear_stale(&c);
	if (!o->unsigned_report) /* what the events will record */
		repo_state(&c);
	if ((err = hw_ledger_refuse_tracked_keys()) ||
	    (!o->unsigned_report && (err = refuse_unnamed_ref())))
		return err;
	optional_checks(&c);
	if ((!o->unsigned_report && (err = signing_key(&c, &k))) ||
	    (err = run_checks(&c)))
		return err;
	r->ok = 1;
	for (size_t i = 0; i < r->nchecks; i++) {
		const hw_report_check *x = &r->checks[i];

		if (strcmp(x->verdict, "pass") != 0 &&
		    !(x->optional && !strcmp(x->verdict, "not run")))
			r->ok = 0;
	}
	/* --unsigned: the evidence and the site only; the ledger, the git
	 * ref and the key are left as they are */
	if (o->unsigned_report)
		return (err = copy_coverage(&c)) ? err : render_site(&c, NULL);
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return err;
	if (!(err = append_events(&c, &l, &k)) &&
	    !(err = write_changes(&c, &l, &k)) && !(err = copy_coverage(&c)))
		err = checkpoint_anchor_export(&c, &l, &k);
	hw_ledger_close(&l);
	if (!err && !(err = write_report_doc(&c)))
		err = render_site(&c, &k);
	return err;
}
