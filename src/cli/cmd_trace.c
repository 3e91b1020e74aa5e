/*
 * cmd_trace.c — `hwledger trace` (the FR matrix in text, JSON, Markdown or
 * SARIF) and `hwledger gate` (the policy verdict, exit 0 or 1).
 *
 * Both gather the same inputs: the FRs, a scan of the configured sources and
 * tests (through the index cache), test results and lcov tracefiles. When no
 * --results or --lcov is given, the results files in build/test-results/
 * and build/coverage.info are used when they exist.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUTS 256
#define RESULT_MAX_BYTES ((size_t)256 << 20)

typedef struct trace_opts {
	const char *results[MAX_INPUTS];
	size_t nresults;
	const char *lcov[MAX_INPUTS];
	size_t nlcov;
	const char *format;
	const char *out;
	const char *policy;
	const char *sast;      /* hwledger.sast/1 findings (FR-SAST-006) */
	const char *baseline;
	const char *today;
	int update_baseline;
	int no_index;
} trace_opts;

typedef struct trace_run {
	hw_config cfg;
	hw_fr_set frs;
	hw_scan scan;
	hw_results results;
	hw_lcov lcov;
	hw_policy policy;
	hw_baseline baseline;
	hw_reviews reviews;
	hw_trace trace;
	hw_diags diags;
	char **result_files;   /* the results files read, NULL-terminated */
	size_t nresult_files;
	char today[16];
} trace_run;

static void run_free(trace_run *r)
{
	hw_trace_free(&r->trace);
	hw_baseline_free(&r->baseline);
	hw_reviews_free(&r->reviews);
	hw_policy_free(&r->policy);
	hw_lcov_free(&r->lcov);
	hw_results_free(&r->results);
	hw_scan_free(&r->scan);
	hw_fr_set_free(&r->frs);
	hw_config_free(&r->cfg);
	hw_diags_free(&r->diags);
	hw_strv_free(r->result_files);
}

static int take_arg(const char *cmd, int argc, char **argv, int *i,
		    const char **out)
{
	if (*i + 1 >= argc)
		return hw_cli_usage_error(cmd, "%s needs a value", argv[*i]);
	*out = argv[++*i];
	return 0;
}

/* text and json for both commands; md and sarif for trace alone */
static int format_ok(const char *f, int gate)
{
	if (!strcmp(f, "text") || !strcmp(f, "json"))
		return 1;
	return !gate && (!strcmp(f, "md") || !strcmp(f, "sarif"));
}

static int parse_opts(const char *cmd, trace_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->format = "text";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int code;

		if (strcmp(a, "--results") == 0 || strcmp(a, "--lcov") == 0) {
			int res = a[2] == 'r';

			if ((code = take_arg(cmd, argc, argv, &i, &v)))
				return code;
			/* --results takes every path up to the next option,
			 * so that a shell glob after it works */
			for (;;) {
				if ((res ? o->nresults : o->nlcov) >= MAX_INPUTS)
					return hw_cli_usage_error(
						cmd, "too many %s files", a);
				if (res)
					o->results[o->nresults++] = v;
				else
					o->lcov[o->nlcov++] = v;
				if (!res || i + 1 >= argc || argv[i + 1][0] == '-')
					break;
				v = argv[++i];
			}
		} else if (strcmp(a, "--format") == 0) {
			int gate = !strcmp(cmd, "gate");

			if ((code = take_arg(cmd, argc, argv, &i, &o->format)))
				return code;
			if (!format_ok(o->format, gate))
				return hw_cli_usage_error(
					cmd, "--format must be text, json%s, "
					     "not '%s'",
					gate ? "" : ", md or sarif", o->format);
		} else if (strcmp(a, "-o") == 0) {
			if ((code = take_arg(cmd, argc, argv, &i, &o->out)))
				return code;
		} else if (strcmp(a, "--sast") == 0) {
			if ((code = take_arg(cmd, argc, argv, &i, &o->sast)))
				return code;
		} else if (strcmp(a, "--policy") == 0) {
			if ((code = take_arg(cmd, argc, argv, &i, &o->policy)))
				return code;
		} else if (strcmp(a, "--baseline") == 0 && !strcmp(cmd, "gate")) {
			if ((code = take_arg(cmd, argc, argv, &i, &o->baseline)))
				return code;
		} else if (strcmp(a, "--update-baseline") == 0 &&
			   !strcmp(cmd, "gate")) {
			o->update_baseline = 1;
		} else if (strcmp(a, "--today") == 0) {
			int ymd[3];

			if ((code = take_arg(cmd, argc, argv, &i, &o->today)))
				return code;
			/* a wrong date would compare as any waiver's expiry */
			if (!hw_date_parse(o->today, 0, ymd))
				return hw_cli_usage_error(cmd, "--today must be "
							       "a real date, "
							       "YYYY-MM-DD, not "
							       "'%s'",
							  o->today);
		} else if (strcmp(a, "--no-index") == 0) {
			o->no_index = 1;
		} else {
			return hw_cli_usage_error(cmd, "%s: unknown argument "
						       "'%s'",
						  cmd, a);
		}
	}
	return 0;
}

/* Whether a results file read lies in build/test-results/: --results named
 * that folder, a glob in it or its files, so it was read. */
static int read_results_dir(const trace_run *r)
{
	size_t n = strlen(HW_RESULTS_DIR);

	for (size_t i = 0; i < r->nresult_files; i++) {
		const char *f = r->result_files[i];

		while (f[0] == '.' && f[1] == '/')
			f += 2;
		if (!strncmp(f, HW_RESULTS_DIR, n) && f[n] == '/')
			return 1;
	}
	return 0;
}

/*
 * Says on out which results were read: with -v each file and its count
 * (on stderr, as the other -v lines), else one line; and, when --results
 * was given, build/test-results/ exists and none of its files was read,
 * that it was not read.
 */
static void say_results(const hw_cli *cli, const trace_opts *o,
			const trace_run *r, FILE *out)
{
	if (cli->quiet)
		return;
	if (!r->nresult_files)
		fprintf(out, "hwledger: no test results read (%s): every test "
			     "is without a result\n",
			o->nresults ? "--results named no file"
				    : "no --results and no " HW_RESULTS_DIR
				      "/");
	else
		fprintf(out, "hwledger: %zu test result%s read from %zu "
			     "file%s%s\n",
			r->results.n, r->results.n == 1 ? "" : "s",
			r->nresult_files, r->nresult_files == 1 ? "" : "s",
			o->nresults ? " named by --results"
				    : " in " HW_RESULTS_DIR "/");
	if (o->nresults && hw_path_is_dir(HW_RESULTS_DIR) &&
	    !read_results_dir(r))
		fprintf(out, "hwledger: " HW_RESULTS_DIR "/ not read: "
			     "--results replaces it (name it with the others "
			     "to read it too)\n");
}

/* The results, the coverage and the scan of the sources, with their
 * diagnostics in r->diags. */
static int gather(trace_run *r, trace_opts *o, const char *root,
		  int verbose)
{
	int err;

	if (!o->nlcov && hw_path_exists("build/coverage.info"))
		o->lcov[o->nlcov++] = "build/coverage.info";
	if ((err = hw_results_files(&r->result_files, &r->nresult_files,
				    &r->diags, o->results, o->nresults)))
		return err;
	for (size_t i = 0; i < r->nresult_files; i++) {
		size_t before = r->results.n;

		if ((err = hw_results_load(&r->results, &r->diags,
					   r->result_files[i],
					   RESULT_MAX_BYTES)))
			return err;
		if (verbose) /* like the other -v lines, not replayed */
			fprintf(stderr, "hwledger: results %s: %zu\n",
				r->result_files[i], r->results.n - before);
	}
	for (size_t i = 0; i < o->nlcov; i++)
		if ((err = hw_lcov_load(&r->lcov, &r->diags, o->lcov[i],
					RESULT_MAX_BYTES, root)))
			return err;
	if ((err = hw_scan_repo(&r->scan, &r->cfg,
				o->no_index ? NULL : HW_INDEX_PATH)))
		return err;
	return hw_diags_append(&r->diags, &r->scan.diags);
}

/* A review of a requirement that is gone is history, not an error: a
 * warning at its entry. */
/* Implements: FR-TRACE-012 */
static int warn_unknown_reviews(hw_diags *d, const hw_reviews *rv,
				const hw_fr_set *frs)
{
	int err = HW_OK;

	for (size_t i = 0; i < rv->n && !err; i++)
		if (!hw_frs_find(frs, rv->items[i].id))
			err = hw_diags_add(d, HW_DIAG_WARNING, rv->path,
					   rv->items[i].line, 0,
					   "a review of %s, which is no longer "
					   "a requirement",
					   rv->items[i].id);
	return err;
}

/* Gathers every input and builds the trace, saying what was wrong with the
 * inputs on diag_out; returns an exit code. */
static int run_trace(hw_cli *cli, trace_opts *o, trace_run *r, int gate,
		     FILE *diag_out)
{
	char root[4096];
	int err;

	memset(r, 0, sizeof(*r));
	hw_diags_init(&r->diags);
	hw_fr_set_init(&r->frs);
	hw_results_init(&r->results);
	hw_lcov_init(&r->lcov);
	if (o->today)
		snprintf(r->today, sizeof(r->today), "%s", o->today);
	else
		hw_today(r->today);
	if (!getcwd(root, sizeof(root)))
		return hw_cli_fail(HW_EXIT_ENV, "cannot read the current "
						"directory");
	if ((err = hw_config_load(&r->cfg)))
		return hw_cli_error(err);
	if ((err = hw_policy_load(&r->policy,
				  o->policy ? o->policy : HW_POLICY_PATH,
				  !o->policy)) ||
	    (err = hw_policy_check_levels(&r->policy, &r->cfg.model)))
		return hw_cli_error(err);
	if (gate && o->baseline && !o->update_baseline)
		err = hw_baseline_load(&r->baseline, o->baseline, 0);
	else
		err = hw_baseline_load(&r->baseline, HW_BASELINE_PATH, 1);
	if (!err)
		err = hw_reviews_load(&r->reviews, HW_REVIEWS_PATH, 1);
	if (err)
		return hw_cli_error(err);
	/* the diagnostics are sorted before they are shown; the FRs are
	 * read first, so that a folder without them (a run outside the
	 * project) stops before the scan writes .hwledger/ there */
	err = hw_frs_load(&r->frs, &r->diags, &r->cfg.model, r->cfg.frs_dir,
			  r->cfg.max_file_bytes);
	if (!err)
		err = gather(r, o, root, cli->verbose && !cli->quiet);
	if (!err)
		err = warn_unknown_reviews(&r->diags, &r->reviews, &r->frs);
	if (err)
		return hw_cli_error(err);
	hw_diags_sort(&r->diags);
	if (r->diags.errors || !cli->quiet)
		hw_diags_print(&r->diags, diag_out, cli->color_err);
	if (r->diags.errors)
		return HW_EXIT_BADINPUT;
	say_results(cli, o, r, diag_out);
	if (cli->verbose)
		fprintf(stderr,
			"hwledger: %zu FRs; %zu files (%zu scanned, %zu from "
			"the index); %zu result%s from %zu file%s; coverage for "
			"%zu files\n",
			r->frs.n, r->scan.n, r->scan.scanned, r->scan.reused,
			r->results.n, r->results.n == 1 ? "" : "s",
			r->results.files,
			r->results.files == 1 ? "" : "s", r->lcov.n);
	if ((err = hw_trace_build(&r->trace, &r->frs, &r->scan, &r->results,
				  &r->lcov, &r->policy, &r->baseline,
				  &r->reviews, r->today)))
		return hw_cli_error(err);
	if (o->sast && (err = hw_trace_apply_sast(&r->trace, o->sast)))
		return hw_cli_error(err);
	if ((err = hw_trace_untraced(&r->trace, &r->scan, &r->policy,
				     r->cfg.max_file_bytes)))
		return hw_cli_error(err);
	return HW_EXIT_OK;
}

/* Implements: FR-TRACE-005 */
static int write_bytes(const trace_opts *o, const char *p, size_t n)
{
	int err = HW_OK;

	if (o->out)
		err = hw_file_write_atomic(o->out, p, n);
	else if (n && fwrite(p, 1, n, stdout) != n)
		err = hw_error_set(HW_EIO, NULL, 0, 0, "cannot write output");
	return err;
}

static int write_output(const trace_opts *o, const hw_buf *b)
{
	return write_bytes(o, b->data, b->len);
}

/* Each FR file of dir by its stat (the folder's own times are not an
 * input: what it holds is). */
static void memo_add_dir(hw_memo *m, const char *dir, const char *suffix)
{
	char **files = NULL;
	size_t n = 0;

	if (hw_dir_list(&files, &n, dir, suffix) != HW_OK) {
		hw_error_clear();
		hw_memo_add_str(m, "(no listing)");
		return;
	}
	for (size_t i = 0; i < n; i++)
		hw_memo_add_file(m, files[i]);
	hw_strv_free(files);
}

/* The binary's stat: a rebuilt binary is another key. It is not an input
 * the run reads, so the racy rule does not apply to it (a test run just
 * after a build still replays). */
static void memo_add_binary(hw_memo *m)
{
	struct stat st;
	char line[96];

	if (stat("/proc/self/exe", &st) != 0)
		snprintf(line, sizeof(line), "no binary: %d", errno);
	else
		snprintf(line, sizeof(line), "%lld %lld.%09ld %llu",
			 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
	hw_memo_add_str(m, line);
}

/*
 * The key of this run's stored result (FR-TRACE-007): everything run_trace
 * reads and every option that shapes what trace writes. The sources and
 * the FR files are keyed by their stat; the small files that tools rewrite
 * with the same bytes (config, policy, baseline, reviews, SAST findings,
 * results, coverage) by a hash of their content. hwledger's own folder
 * .hwledger/ is not an input.
 */
static int memo_key(hw_memo *m, const hw_cli *cli, const trace_opts *o)
{
	hw_config cfg;
	trace_run rr;
	char cwd[4096], today[16], flags[64];
	int err;

	if (!getcwd(cwd, sizeof(cwd)))
		return HW_EIO;
	hw_memo_add_str(m, "hwledger trace " HW_VERSION);
	memo_add_binary(m);
	/* the configuration's content is taken before it is read: a change
	 * after it is a miss next time */
	hw_memo_add_digest(m, HW_CONFIG_PATH, RESULT_MAX_BYTES);
	if ((err = hw_config_load(&cfg)))
		return err;
	if (o->today)
		snprintf(today, sizeof(today), "%s", o->today);
	else
		hw_today(today);
	snprintf(flags, sizeof(flags), "%d %d %d", o->out ? 0 : cli->color,
		 cli->color_err, cli->quiet);
	hw_memo_add_str(m, cwd);
	hw_memo_add_str(m, today);
	hw_memo_add_str(m, flags);
	hw_memo_add_str(m, o->format);
	hw_memo_add_str(m, o->out);
	hw_memo_add_digest(m, o->policy ? o->policy : HW_POLICY_PATH,
			   RESULT_MAX_BYTES);
	hw_memo_add_digest(m, HW_BASELINE_PATH, RESULT_MAX_BYTES);
	hw_memo_add_digest(m, HW_REVIEWS_PATH, RESULT_MAX_BYTES);
	/* the keys a review must be signed by */
	hw_memo_add_digest(m, HW_LEDGER_TRUSTED, RESULT_MAX_BYTES);
	hw_memo_add_str(m, o->sast);
	if (o->sast)
		hw_memo_add_digest(m, o->sast, RESULT_MAX_BYTES);
	/* the results files as this run expands them (a folder's listing,
	 * a glob's matches), and whether the default folder is one */
	memset(&rr, 0, sizeof(rr));
	hw_diags_init(&rr.diags);
	if (hw_results_files(&rr.result_files, &rr.nresult_files, &rr.diags,
			     o->results, o->nresults) != HW_OK ||
	    rr.diags.n)
		err = HW_EINVAL; /* said by the run itself */
	for (size_t i = 0; i < rr.nresult_files; i++)
		hw_memo_add_digest(m, rr.result_files[i], RESULT_MAX_BYTES);
	hw_strv_free(rr.result_files);
	hw_diags_free(&rr.diags);
	hw_memo_add_str(m, hw_path_is_dir(HW_RESULTS_DIR) ? "results dir"
							  : "no results dir");
	/* what the run says it read: the default folder or --results */
	hw_memo_add_str(m, o->nresults ? "--results" : "default results");
	for (size_t i = 0; i < o->nlcov; i++)
		hw_memo_add_digest(m, o->lcov[i], RESULT_MAX_BYTES);
	if (!o->nlcov)
		hw_memo_add_digest(m, "build/coverage.info", RESULT_MAX_BYTES);
	if (!cfg.model.nlevels)
		memo_add_dir(m, cfg.frs_dir, ".md");
	for (size_t i = 0; i < cfg.model.nlevels; i++)
		memo_add_dir(m, cfg.model.levels[i].dir, ".md");
	if (!err)
		err = hw_scan_key(m, &cfg);
	hw_config_free(&cfg);
	return err;
}

static int write_stderr(const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, stderr) != n)
		return hw_error_set(HW_EIO, NULL, 0, 0, "cannot write to stderr");
	return HW_OK;
}

/*
 * Builds the trace and renders it in o's format into out; diagnostics go to
 * diag_out (stderr when NULL). Returns an exit code.
 */
static int render_trace(hw_cli *cli, trace_opts *o, hw_buf *out,
			FILE *diag_out)
{
	trace_run r;
	int code, err = HW_OK;

	hw_heap_huge(); /* not replayed: every file is listed, most read */
	code = run_trace(cli, o, &r, 0, diag_out ? diag_out : stderr);
	if (!code) {
		if (!strcmp(o->format, "json"))
			err = hw_trace_write_json(out, &r.trace);
		else if (!strcmp(o->format, "md"))
			err = hw_trace_write_md(out, &r.trace);
		else if (!strcmp(o->format, "sarif"))
			err = hw_trace_write_sarif(out, &r.trace);
		else
			err = hw_trace_write_text(out, &r.trace,
						  o->out ? 0 : cli->color);
	}
	run_free(&r);
	return code ? code : err ? hw_cli_error(err) : HW_EXIT_OK;
}

/*
 * The trace as hwledger.trace/1 into json, from trace's evidence options in
 * argv (argv[0] is skipped): what `hwledger export` reads when it is given
 * no --checks folder. Messages name cmd. Returns an exit code.
 */
/* Implements: FR-EXPORT-001 */
int hw_cli_trace_json(hw_cli *cli, const char *cmd, int argc, char **argv,
		      hw_buf *json)
{
	trace_opts o;
	int code = parse_opts(cmd, &o, argc, argv);

	o.format = "json";
	return code ? code : render_trace(cli, &o, json, NULL);
}

/*
 * trace through its memo: a run whose inputs are all unchanged replays the
 * stored stderr, output and exit code; any other run renders into out and
 * is stored when it succeeds. Returns -1 when the memo cannot be used at
 * all, and sets *written when the output has been written.
 */
static int trace_memo(hw_cli *cli, trace_opts *o, hw_buf *out, int *written)
{
	hw_memo *m = hw_memo_new(0);
	hw_memo_replay r;
	hw_buf diag;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int code = -1, stored = 1;

	hw_buf_init(&diag, 0);
	if (!m || memo_key(m, cli, o) != HW_OK) {
		hw_error_clear();
		goto done;
	}
	if (hw_memo_lookup(m, HW_MEMO_PATH, &r)) {
		if (cli->verbose)
			fprintf(stderr, "hwledger: no input changed since the "
					"stored run; replayed %s\n",
				HW_MEMO_PATH);
		code = r.code;
		if (write_stderr(r.err, r.err_len) ||
		    (code == HW_EXIT_OK && write_bytes(o, r.out, r.out_len)))
			code = hw_cli_error(HW_EIO);
		*written = 1;
		goto done;
	}
	if (!(f = open_memstream(&text, &len)))
		goto done;
	code = render_trace(cli, o, out, f);
	if (fclose(f) != 0 || (text && hw_buf_append(&diag, text, len))) {
		hw_error_clear();
		stored = 0; /* what was said is not whole: not stored */
	}
	if (write_stderr(diag.data, diag.len))
		code = hw_cli_error(HW_EIO);
	/* only a run that succeeded is worth replaying; failing to store is
	 * not a failure of the run */
	if (code == HW_EXIT_OK && stored &&
	    hw_memo_store(m, HW_MEMO_PATH, out, &diag, code) != HW_OK)
		hw_error_clear();
done:
	free(text);
	hw_buf_free(&diag);
	hw_memo_free(m);
	return code;
}

/* Implements: FR-TRACE-005 */
int hw_cmd_trace(hw_cli *cli, int argc, char **argv)
{
	trace_opts o;
	hw_buf out;
	int code, written = 0, err = HW_OK;

	if ((code = parse_opts("trace", &o, argc, argv)))
		return code;
	hw_buf_init(&out, 0);
	code = -1;
	/* a first run (no index yet) keys and stores its result too: the run
	 * right after it (CI's trace, then gate or trace again) replays */
	if (!o.no_index)
		code = trace_memo(cli, &o, &out, &written);
	if (code < 0) {
		hw_buf_clear(&out);
		code = render_trace(cli, &o, &out, NULL);
	}
	if (code == HW_EXIT_OK && !written)
		err = write_output(&o, &out);
	hw_buf_free(&out);
	return hw_cli_finish(code ? code
			     : err ? hw_cli_error(err)
				   : HW_EXIT_OK);
}

/* The approved FRs of level lv (-1: all) and how many are verified or
 * waived. */
static void level_share(const hw_trace *t, int lv, size_t *approved,
			size_t *ok)
{
	*approved = *ok = 0;
	for (size_t i = 0; i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];

		if (ft->fr->status != HW_FR_APPROVED ||
		    (lv >= 0 && ft->fr->level != lv))
			continue;
		(*approved)++;
		*ok += ft->state == HW_ST_VERIFIED || ft->state == HW_ST_WAIVED;
	}
}

/* The gate's verdict as hwledger.gate/1 (specs/json-schemas.md). */
static int gate_json(const trace_opts *o, const hw_trace *t,
		     const hw_diags *reasons, int pass, size_t ok,
		     size_t approved)
{
	hw_buf b;
	hw_jw w;
	int err;

	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.gate/1");
	hw_jw_kbool(&w, "pass", pass);
	hw_jw_kint(&w, "approved", (long long)approved);
	hw_jw_kint(&w, "approved_verified", (long long)ok);
	hw_jw_kint(&w, "defects", (long long)t->ndefects);
	hw_jw_kbool(&w, "baseline", o->baseline != NULL);
	hw_jw_key(&w, "levels");
	hw_jw_array(&w);
	for (size_t lv = 0; lv < hw_trace_nlevels(t); lv++) {
		size_t la, lok;

		level_share(t, t->model && t->model->nlevels ? (int)lv : -1,
			    &la, &lok);
		hw_jw_object(&w);
		hw_jw_kstr(&w, "name", hw_trace_level_name(t, (int)lv));
		hw_jw_kint(&w, "approved", (long long)la);
		hw_jw_kint(&w, "approved_verified", (long long)lok);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_key(&w, "reasons");
	hw_jw_array(&w);
	for (size_t i = 0; i < reasons->n; i++) {
		const hw_diag *d = &reasons->items[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "file", d->file);
		hw_jw_kint(&w, "line", d->line);
		hw_jw_kstr(&w, "message", d->message);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	err = hw_jw_finish(&w);
	err = err ? err : write_output(o, &b);
	hw_buf_free(&b);
	return err ? hw_cli_error(err) : 0;
}

/* Implements: FR-TRACE-006 */
int hw_cmd_gate(hw_cli *cli, int argc, char **argv)
{
	trace_opts o;
	trace_run r;
	hw_diags reasons;
	int code, err;

	if ((code = parse_opts("gate", &o, argc, argv)))
		return code;
	code = run_trace(cli, &o, &r, 1, stderr);
	if (code) {
		run_free(&r);
		return code;
	}
	if (o.update_baseline) {
		const char *path = o.baseline ? o.baseline : HW_BASELINE_PATH;

		err = hw_baseline_write(path, &r.trace);
		if (!err && !cli->quiet)
			printf("gate: baseline %s updated: %zu defects, %zu "
			       "FRs\n",
			       path, r.trace.ndefects, r.trace.nfrs);
		run_free(&r);
		return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
	}
	hw_diags_init(&reasons);
	err = hw_gate(&r.trace, &r.policy,
		      o.baseline ? &r.baseline : NULL, &reasons, r.today);
	if (err && err != HW_EFAIL) {
		code = hw_cli_error(err);
	} else {
		size_t approved, ok;

		level_share(&r.trace, -1, &approved, &ok);
		hw_diags_print(&reasons, stderr, cli->color_err);
		/* with levels, each level's share first */
		for (size_t lv = 0; strcmp(o.format, "json") != 0 &&
				    (!cli->quiet || err) &&
				    lv < r.cfg.model.nlevels; lv++) {
			size_t la, lok;

			level_share(&r.trace, (int)lv, &la, &lok);
			printf("gate: level %s: %zu/%zu approved verified\n",
			       r.cfg.model.levels[lv].name, lok, la);
		}
		if (!strcmp(o.format, "json"))
			code = gate_json(&o, &r.trace, &reasons, !err, ok,
					 approved);
		else if (!cli->quiet || err) {
			/* a waiver counts for the share, but is no
			 * verification: say so when there is one */
			size_t waived = hw_trace_approved_waived(&r.trace);
			char note[32] = "";

			if (waived)
				snprintf(note, sizeof(note), " (%zu waived)",
					 waived);
			printf("gate: %s — %zu/%zu approved FRs verified%s%s, "
			       "%zu defect%s, %zu reason%s to fail%s\n",
			       err ? "FAIL" : "pass", ok, approved,
			       waived ? " or waived" : "", note,
			       r.trace.ndefects, HW_S(r.trace.ndefects),
			       reasons.errors, HW_S(reasons.errors),
			       o.baseline ? " (against the baseline)" : "");
		}
		if (!code)
			code = err ? HW_EXIT_FAIL : HW_EXIT_OK;
	}
	hw_diags_free(&reasons);
	run_free(&r);
	return hw_cli_finish(code);
}
