/*
 * cmd_sast.c — `hwledger sast [--tool NAME]... [--import FILE]...
 * [--format text|json|sarif] [-o FILE] [--baseline FILE]
 * [--update-baseline]`.
 *
 * Imports analyzer reports (format detected), resolves them against the
 * repository (relative paths, enclosing functions, FRs, fingerprints,
 * inline suppressions, duplicate groups), applies the baseline and writes
 * the findings. Exit 0 when no finding is new, 1 when one is (the gate),
 * 2 when a report is malformed (and nothing is written) or an analyzer
 * failed on more than a small share of its units (the findings are
 * written, the analysis is incomplete), 3 when a tool cannot be run. The
 * reason for a 1 or a 2 is printed, with -q too. See specs/sast.md.
 */
#include "cli/cli.h"
#include "sast/sast.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUTS 256

typedef struct sast_opts {
	const char *imports[MAX_INPUTS];
	size_t nimports;
	const char *tools[MAX_INPUTS];
	size_t ntools;
	const char *format;
	const char *out;
	const char *baseline;
	int update;
} sast_opts;

static int parse(sast_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->format = "text";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int takes = !strcmp(a, "--import") || !strcmp(a, "--tool") ||
			    !strcmp(a, "--format") || !strcmp(a, "-o") ||
			    !strcmp(a, "--baseline");

		if (takes && i + 1 >= argc)
			return hw_cli_usage_error("sast", "%s needs a value", a);
		if (!strcmp(a, "--import") || !strcmp(a, "--tool")) {
			int imp = a[2] == 'i';

			if ((imp ? o->nimports : o->ntools) >= MAX_INPUTS)
				return hw_cli_usage_error("sast",
							  "more than %d %s",
							  MAX_INPUTS, a);
			if (imp)
				o->imports[o->nimports++] = argv[++i];
			else
				o->tools[o->ntools++] = argv[++i];
		} else if (!strcmp(a, "--format")) {
			o->format = argv[++i];
			if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
			    strcmp(o->format, "sarif"))
				return hw_cli_usage_error(
					"sast",
					"--format must be text, json or sarif, "
					"not '%s'",
					o->format);
		} else if (!strcmp(a, "-o")) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--baseline")) {
			o->baseline = argv[++i];
		} else if (!strcmp(a, "--update-baseline")) {
			o->update = 1;
		} else {
			return hw_cli_usage_error("sast", "unknown %s '%s'",
						  a[0] == '-' ? "option"
							      : "argument",
						  a);
		}
	}
	if (!o->nimports && !o->ntools)
		return hw_cli_usage_error("sast",
					  "give --import FILE or --tool NAME");
	return -1;
}

static int jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int write_out(const char *path, const hw_buf *b)
{
	if (path)
		return hw_file_write_atomic(path, b->data ? b->data : "", b->len);
	return fwrite(b->data ? b->data : "", 1, b->len, stdout) == b->len
		       ? HW_OK
		       : hw_error_set(HW_EIO, NULL, 0, 0, "cannot write output");
}

/* A run that failed on some of its units, as a warning or as the error. */
static void run_failed(hw_diags *d, const hw_sast_run_stats *r, int error)
{
	const hw_sast_failure *x = r->nfailures ? &r->failures[0] : NULL;
	const char *unit = x && *x->unit ? x->unit : NULL;

	if (!error) {
		hw_diags_add(d, HW_DIAG_WARNING, unit, 0, 0,
			     "%s failed on %zu of %zu units: %s", r->tool,
			     r->failed, r->units, x ? x->message : "");
		return;
	}
	fprintf(stderr,
		"hwledger: %s%s%s failed on %zu of %zu units (%s%s%s); the "
		"analysis is incomplete\n",
		unit ? unit : "", unit ? ": " : "", r->tool, r->failed,
		r->units, x ? x->message : "", r->failed > 1 ? ", and more: " : "",
		r->failed > 1 ? "see build/sast/run/" : "");
}

/* Why the gate fails: the new findings, by tool, and the first. */
static void say_new(const hw_findings *f, size_t n)
{
	const hw_finding *first = NULL;
	const char *tool[8];  /* the first tools with a new finding */
	size_t count[8], ntools = 0, other = 0;

	for (size_t i = 0; i < f->n; i++) {
		const hw_finding *x = &f->items[i];
		size_t k = 0;

		if (!hw_sast_is_new(f, i))
			continue;
		if (!first || hw_finding_cmp_place(&x, &first) < 0)
			first = x;
		/* hwledger-sast-ignore clang-analyzer-core.NonNullParamChecker: x is f->items + i, i < f->n, never NULL */
		while (k < ntools && strcmp(tool[k], x->tool) != 0)
			k++;
		if (k == ntools && ntools < 8) {
			tool[ntools] = x->tool;
			count[ntools++] = 0;
		}
		if (k < ntools)
			count[k]++;
		else
			other++;
	}
	if (!first)
		return;
	fprintf(stderr, "hwledger: sast fails: %zu new finding%s (", n,
		n == 1 ? "" : "s");
	for (size_t k = 0; k < ntools; k++)
		fprintf(stderr, "%s%s %zu", k ? ", " : "", tool[k], count[k]);
	if (other)
		fprintf(stderr, ", other tools %zu", other);
	fprintf(stderr, "), the first %s:%ld: %s/%s\n",
		*first->file ? first->file : "(no location)", first->line,
		first->tool, first->rule);
}

/* Implements: FR-SAST-001, FR-SAST-004, FR-SAST-005 */
int hw_cmd_sast(hw_cli *cli, int argc, char **argv)
{
	sast_opts o;
	hw_findings f;
	hw_diags d;
	hw_buf out;
	hw_config cfg;
	int code = parse(&o, argc, argv), err = HW_OK, incomplete = 0;

	if (code >= 0)
		return code;
	memset(&f, 0, sizeof(f));
	memset(&cfg, 0, sizeof(cfg));
	hw_diags_init(&d);
	/* the scope: the config's "sast" scope, else its sources */
	if (o.ntools)
		err = hw_config_load(&cfg);
	for (size_t i = 0; i < o.ntools && !err; i++) {
		int all = !strcmp(o.tools[i], "all");
		static const char *const four[] = {"cppcheck", "flawfinder",
						   "clang-tidy", "gcc"};

		for (int k = 0; k < (all ? 4 : 1) && !err; k++) {
			const char *t = all ? four[k] : o.tools[i];
			int missing = 0;

			err = hw_sast_run(&f, &d, t, "build",
					  cfg.sast_scope ? cfg.sast_scope
							 : cfg.sources,
					  cfg.exclude, jobs(), &missing);
			if (err && missing && all) {
				/* asked for all: a missing one is a warning */
				hw_diags_add(&d, HW_DIAG_WARNING, NULL, 0, 0,
					     "%s", hw_error_last());
				err = HW_OK;
			}
		}
	}
	for (size_t i = 0; i < o.nimports && !err; i++)
		err = hw_sast_import(&f, &d, o.imports[i]);
	hw_config_free(&cfg);
	for (size_t i = 0; i < f.nruns && !err; i++)
		if (f.runs[i].failed && !hw_sast_run_incomplete(&f.runs[i]))
			run_failed(&d, &f.runs[i], 0);
	if (!err && !d.errors)
		err = hw_sast_resolve(&f, &d, NULL);
	if (!cli->quiet || err || d.errors)
		hw_diags_print(&d, stderr, cli->color_err);
	if (!err && d.errors)
		err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				   "%zu error%s in the reports; nothing "
				   "written",
				   d.errors, d.errors == 1 ? "" : "s");
	hw_diags_free(&d);
	if (!err && o.baseline && !o.update)
		err = hw_sast_baseline_apply(&f, o.baseline);
	if (!err && o.update) {
		const char *path = o.baseline ? o.baseline : HW_SAST_BASELINE;

		size_t written = 0;

		err = hw_sast_baseline_write(&f, path, &written);
		if (!err)
			err = hw_sast_baseline_apply(&f, path);
		if (!err && !cli->quiet) {
			/* the run counted as the summary counts it (a
			 * suppressed duplicate is a duplicate), and the
			 * baseline's size as written: one entry a
			 * fingerprint, suppressed findings left out */
			size_t open[3], sup, dup;

			hw_sast_counts(&f, open, &sup, &dup);
			fprintf(stderr,
				"hwledger: %s: baseline of %zu fingerprint%s "
				"for %zu finding%s (%zu open, %zu suppressed, "
				"%zu duplicate%s)\n",
				path, written, HW_S(written), f.n, HW_S(f.n),
				open[0] + open[1] + open[2], sup, dup,
				HW_S(dup));
		}
	}
	hw_buf_init(&out, 0);
	if (!err)
		/* to stdout as it is made; a file is written whole, atomically */
		err = !strcmp(o.format, "json")
			      ? hw_sast_json(&out, &f, o.out ? NULL : stdout)
		      : !strcmp(o.format, "sarif")
			      ? hw_sast_sarif(&out, &f, o.out ? NULL : stdout)
			      : hw_sast_text(&out, &f);
	if (!err)
		err = write_out(o.out, &out);
	for (size_t i = 0; i < f.nruns && !err; i++)
		if (hw_sast_run_incomplete(&f.runs[i])) {
			run_failed(NULL, &f.runs[i], 1);
			incomplete = 1;
		}
	if (!err && !incomplete && hw_sast_new_count(&f))
		say_new(&f, hw_sast_new_count(&f));
	code = err	    ? hw_cli_error(err)
	       : incomplete ? HW_EXIT_BADINPUT
	       : hw_sast_new_count(&f) ? HW_EXIT_FAIL
				       : HW_EXIT_OK;
	hw_buf_free(&out);
	hw_findings_free(&f);
	return hw_cli_finish(code);
}
