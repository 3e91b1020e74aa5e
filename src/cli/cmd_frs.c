/*
 * cmd_frs.c — `hwledger frs list [--json]` and `hwledger frs lint`.
 *
 * Both load every FR document under the configured FR folder and apply the
 * lint rules; any error is printed as "hwledger: FILE:LINE: message" and the
 * command exits 2, so a listing is never built from a half-read FR set.
 */
#include "cli/cli.h"
#include "frs/frs.h"
#include "trace/config.h"

#include <string.h>

/* Loads and lints the FRs; prints diagnostics. Returns an exit code. */
static int load_frs(hw_cli *cli, hw_fr_set *set)
{
	hw_config cfg;
	hw_diags diags;
	int err, code = HW_EXIT_OK;

	if ((err = hw_config_load(&cfg)))
		return hw_cli_error(err);
	hw_diags_init(&diags);
	err = hw_frs_load(set, &diags, &cfg.model, cfg.frs_dir,
			  cfg.max_file_bytes);
	if (!err)
		err = hw_frs_lint(set, &diags);
	set->model = NULL; /* it is freed with cfg */
	if (err) {
		code = hw_cli_error(err);
		goto cleanup;
	}
	hw_diags_sort(&diags);
	if (diags.errors || !cli->quiet)
		hw_diags_print(&diags, stderr, cli->color_err);
	if (diags.errors)
		code = HW_EXIT_BADINPUT;
	if (cli->verbose)
		fprintf(stderr, "hwledger: %s: %zu FR%s in %zu file%s, %zu "
				"error%s, %zu warning%s\n",
			cfg.frs_dir, set->n, HW_S(set->n), set->files,
			HW_S(set->files), diags.errors, HW_S(diags.errors),
			diags.warnings, HW_S(diags.warnings));
cleanup:
	hw_diags_free(&diags);
	hw_config_free(&cfg);
	return code;
}

static const char *status_color(const hw_cli *cli, hw_fr_status s)
{
	if (!cli->color)
		return "";
	return s == HW_FR_APPROVED ? "\033[32m"
	       : s == HW_FR_DRAFT  ? "\033[33m"
				   : "\033[90m";
}

static void print_table(const hw_cli *cli, const hw_fr_set *set)
{
	size_t w = 2;
	size_t counts[3] = {0, 0, 0};

	for (size_t i = 0; i < set->n; i++)
		if (strlen(set->items[i].id) > w)
			w = strlen(set->items[i].id);
	printf("%-*s  REV  %-10s  %-18s  TITLE\n", (int)w, "ID", "STATUS",
	       "NEEDS");
	for (size_t i = 0; i < set->n; i++) {
		const hw_fr *fr = &set->items[i];
		char needs[32];

		hw_fr_needs_text(needs, sizeof(needs), fr->needs);
		counts[fr->status]++;
		printf("%-*s  %3d  %s%-10s%s  %-18s  %s\n", (int)w, fr->id,
		       fr->rev, status_color(cli, fr->status),
		       hw_fr_status_name(fr->status), cli->color ? "\033[0m" : "",
		       needs, fr->title);
	}
	if (!cli->quiet)
		printf("\n%zu FR%s in %zu file%s: %zu approved, %zu draft, %zu "
		       "deprecated\n",
		       set->n, HW_S(set->n), set->files, HW_S(set->files),
		       counts[HW_FR_APPROVED],
		       counts[HW_FR_DRAFT], counts[HW_FR_DEPRECATED]);
}

/* Implements: FR-FRS-004 */
static int frs_list(hw_cli *cli, int argc, char **argv)
{
	hw_fr_set set;
	int json = 0, code;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return hw_cli_usage_error(
				"frs", "frs list: unknown argument '%s'",
				argv[i]);
	}
	hw_fr_set_init(&set);
	code = load_frs(cli, &set);
	if (code == HW_EXIT_OK) {
		if (json) {
			hw_buf out;
			int err;

			hw_buf_init(&out, 0);
			err = hw_frs_json(&out, &set);
			if (!err && fwrite(out.data, 1, out.len, stdout) != out.len)
				err = hw_error_set(HW_EIO, NULL, 0, 0,
						   "cannot write output");
			hw_buf_free(&out);
			if (err)
				code = hw_cli_error(err);
		} else {
			print_table(cli, &set);
		}
	}
	hw_fr_set_free(&set);
	return hw_cli_finish(code);
}

/* Implements: FR-FRS-005 */
static int frs_lint(hw_cli *cli, int argc, char **argv)
{
	hw_fr_set set;
	int code;

	if (argc > 1)
		return hw_cli_usage_error("frs", "frs lint: unknown argument "
						 "'%s'", argv[1]);
	hw_fr_set_init(&set);
	code = load_frs(cli, &set);
	if (code == HW_EXIT_OK && !cli->quiet)
		printf("frs lint: %zu FR%s in %zu file%s, no errors\n", set.n,
		       HW_S(set.n), set.files, HW_S(set.files));
	hw_fr_set_free(&set);
	return hw_cli_finish(code);
}

int hw_cmd_frs(hw_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return hw_cli_usage_error("frs", "frs needs a subcommand");
	if (strcmp(argv[1], "list") == 0)
		return frs_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return frs_lint(cli, argc - 1, argv + 1);
	return hw_cli_usage_error("frs", "frs: unknown subcommand '%s'",
				  argv[1]);
}
