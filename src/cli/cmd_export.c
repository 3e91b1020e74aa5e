/*
 * cmd_export.c — `hwledger export`: the traceability matrix as CSV or XLSX,
 * the requirements as a printable HTML or PDF document (specs/export.md).
 *
 * The evidence is the trace, made in-process as `trace` makes it (its
 * --results, --lcov, --sast, --policy and defaults) or read from a report's
 * evidence folder (--checks DIR: its trace.json, and the report's verdict,
 * signer and checkpoint when it was signed). The output is written to a
 * temporary file and renamed: never half-written, and a file already there
 * is replaced only with --force.
 */
#include "cli/cli.h"
#include "export/export.h"
#include "trace/trace.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TRACE_ARGS 512
#define TRACE_MAX_BYTES ((size_t)256 << 20)

typedef struct export_opts {
	const hw_export_format *format;
	const char *out;
	const char *checks;
	const char *today;
	int reverse;
	int force;
	int trace_opts;        /* an option of trace's besides --today */
	/* trace's own options, passed on as they were written */
	char *trace_argv[MAX_TRACE_ARGS];
	int trace_argc;
} export_opts;

static int parse(export_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->trace_argv[o->trace_argc++] = "export";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int value = !strcmp(a, "--format") || !strcmp(a, "-o") ||
			    !strcmp(a, "--checks");

		if (value && (i + 1 >= argc || !*argv[i + 1]))
			return hw_cli_usage_error("export", "%s needs a value",
						  a);
		if (!strcmp(a, "--format")) {
			if (!(o->format = hw_export_find(argv[++i])))
				return hw_cli_usage_error(
					"export",
					"--format must be one of %s, not '%s'",
					hw_export_names(), argv[i]);
		} else if (!strcmp(a, "-o")) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--checks")) {
			o->checks = argv[++i];
		} else if (!strcmp(a, "--reverse")) {
			o->reverse = 1;
		} else if (!strcmp(a, "--force")) {
			o->force = 1;
		} else if (o->trace_argc == MAX_TRACE_ARGS) {
			return hw_cli_usage_error("export", "too many "
							    "arguments");
		} else {
			/* trace's options (and --today, which both read):
			 * trace checks them */
			if (!strcmp(a, "--today") && i + 1 < argc &&
			    o->trace_argc + 1 < MAX_TRACE_ARGS) {
				o->today = argv[i + 1];
				o->trace_argv[o->trace_argc++] = argv[i++];
			} else {
				o->trace_opts = 1;
			}
			o->trace_argv[o->trace_argc++] = argv[i];
		}
	}
	if (!o->format || !o->out)
		return hw_cli_usage_error("export", "export needs --format and "
						    "-o FILE");
	if (o->reverse && strcmp(o->format->name, "csv") != 0)
		return hw_cli_usage_error("export", "--reverse is for --format "
						    "csv (the xlsx has both "
						    "matrices)");
	if (o->checks && o->trace_opts)
		return hw_cli_usage_error("export",
					  "--checks reads the evidence of a "
					  "report: no --results, --lcov, "
					  "--sast, --policy or --no-index");
	return 0;
}

/*
 * Refuses an output the export may not write, before any evidence is
 * read: a folder that does not exist, or a file already there without
 * --force.
 */
/* Implements: FR-EXPORT-001 */
static int check_out(const export_opts *o)
{
	char *copy = hw_strdup(o->out);
	const char *dir;
	int ok;

	if (!copy)
		return hw_cli_error(hw_error_oom());
	dir = dirname(copy);
	ok = hw_path_is_dir(dir);
	free(copy);
	if (!ok)
		return hw_cli_fail(HW_EXIT_BADINPUT,
				   "%s: its folder does not exist", o->out);
	if (hw_path_is_dir(o->out))
		return hw_cli_fail(HW_EXIT_BADINPUT, "%s: is a folder",
				   o->out);
	if (hw_path_exists(o->out) && !o->force)
		return hw_cli_fail(HW_EXIT_BADINPUT,
				   "%s: exists; --force replaces it", o->out);
	return HW_EXIT_OK;
}

/* The trace of a report's evidence folder: DIR/trace.json, which must be
 * a hwledger.trace/1 document. */
static int load_checks(const export_opts *o, cJSON **trace)
{
	char *path = hw_path_join(o->checks, "trace.json");
	const char *schema;
	int err;

	if (!path)
		return hw_cli_error(hw_error_oom());
	if (!hw_path_is_dir(o->checks)) {
		free(path);
		return hw_cli_fail(HW_EXIT_BADINPUT,
				   "%s: not an evidence folder", o->checks);
	}
	err = hw_json_load(trace, path, TRACE_MAX_BYTES);
	schema = err ? NULL : hw_json_str(*trace, "schema");
	if (!err && (!schema || strcmp(schema, HW_TRACE_SCHEMA) != 0 ||
		     !cJSON_IsArray(cJSON_GetObjectItem(*trace, "frs"))))
		err = hw_error_set(HW_EINVAL, path, 1, 0,
				   "not a %s document", HW_TRACE_SCHEMA);
	free(path);
	if (err) {
		cJSON_Delete(*trace);
		*trace = NULL;
	}
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

/* The trace of this repository, made as `trace` makes it. */
static int load_live(hw_cli *cli, export_opts *o, cJSON **trace)
{
	hw_buf json;
	int code;

	hw_buf_init(&json, 0);
	code = hw_cli_trace_json(cli, "export", o->trace_argc, o->trace_argv,
				 &json);
	if (!code) {
		int err = hw_json_parse(trace, "trace", json.data, json.len);

		code = err ? hw_cli_error(err) : HW_EXIT_OK;
	}
	hw_buf_free(&json);
	return code;
}

/* The requirement texts and the glossary, for the printable formats. */
static int load_texts(hw_config *cfg, hw_fr_set *frs, hw_glossary *g,
		      int *have_glossary)
{
	hw_diags d;
	int err;

	hw_diags_init(&d);
	err = hw_config_load(cfg);
	if (!err)
		err = hw_frs_load(frs, &d, &cfg->model, cfg->frs_dir,
				  cfg->max_file_bytes);
	if (!err && hw_path_exists(HW_GLOSSARY_PATH)) {
		err = hw_glossary_load(g, &d, HW_GLOSSARY_PATH,
				       cfg->max_file_bytes, HW_GSTYLE_AUTO,
				       NULL);
		*have_glossary = !err && !d.errors && !hw_glossary_merge(g);
	}
	/* the trace read the same files and said what was wrong with them */
	hw_diags_free(&d);
	return err;
}

/* Implements: FR-EXPORT-001, FR-EXPORT-002 */
int hw_cmd_export(hw_cli *cli, int argc, char **argv)
{
	export_opts o;
	hw_export_doc d;
	hw_config cfg;
	hw_fr_set frs;
	hw_glossary g;
	cJSON *trace = NULL;
	hw_buf out;
	char cwd[4096];
	int code, err = HW_OK, have_glossary = 0, texts;

	if ((code = parse(&o, argc, argv)) || (code = check_out(&o)))
		return code;
	code = o.checks ? load_checks(&o, &trace) : load_live(cli, &o, &trace);
	if (code)
		return code;
	memset(&d, 0, sizeof(d));
	memset(&cfg, 0, sizeof(cfg));
	hw_fr_set_init(&frs);
	hw_glossary_init(&g);
	hw_buf_init(&out, 0);
	d.trace = trace;
	d.reverse = o.reverse;
	if (getcwd(cwd, sizeof(cwd)))
		snprintf(d.project, sizeof(d.project), "%s", basename(cwd));
	/* hwledger-sast-ignore clang-analyzer-core.NullDereference: parse set it */
	texts = o.format->texts;
	if (o.checks)
		err = hw_export_report_info(&d, o.checks);
	if (!*d.date) {
		if (o.today)
			snprintf(d.date, sizeof(d.date), "%s", o.today);
		else
			hw_today(d.date);
	}
	if (!err && texts && !(err = load_texts(&cfg, &frs, &g,
						    &have_glossary))) {
		d.frs = &frs;
		d.model = &cfg.model;
		d.glossary = have_glossary ? &g : NULL;
	}
	if (!err)
		err = o.format->write(&out, &d);
	if (!err)
		err = hw_file_write_atomic(o.out, out.data, out.len);
	if (err)
		code = hw_cli_error(err);
	else if (!cli->quiet)
		fprintf(stderr, "hwledger: export: %s written (%zu bytes)\n",
			o.out, out.len);
	hw_buf_free(&out);
	hw_glossary_free(&g);
	hw_fr_set_free(&frs);
	if (cfg.frs_dir)
		hw_config_free(&cfg);
	cJSON_Delete(trace);
	return hw_cli_finish(code);
}
