/*
 * cmd_glossary.c — `hwledger glossary import FILE... [--format json|md]
 * [--style STYLE] [-o FILE]` and `hwledger glossary lint [FILE...]`.
 *
 * Import detects each file's style (or takes --style), merges the files and
 * writes the result; a file in no known style is exit 2 and nothing is
 * written. An -o FILE that is already a file is replaced only with --force
 * (specs/glossary-import.md, "Output"). Lint checks the FRs against the
 * glossary (default
 * specs/glossary.md): exit 0 clean, 1 when it finds errors.
 */
#include "cli/cli.h"
#include "glossary/glossary.h"
#include "trace/config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define GLOSSARY_MAX_BYTES ((size_t)64 << 20)
#define MAX_FILES 256

/* The FRs for backlinks and lint; quietly none when they do not load. */
static int load_frs_quiet(hw_fr_set *frs, int must)
{
	hw_config cfg;
	hw_diags d;
	int err;

	hw_fr_set_init(frs);
	if ((err = hw_config_load(&cfg)))
		return must ? err : HW_OK;
	hw_diags_init(&d);
	err = hw_frs_load(frs, &d, &cfg.model, cfg.frs_dir,
			  cfg.max_file_bytes);
	frs->model = NULL; /* it is freed with cfg */
	if (!err && d.errors)
		err = hw_error_set(HW_EINVAL, cfg.frs_dir, 0, 0,
				   "the FRs have errors; run 'hwledger frs "
				   "lint'");
	hw_diags_free(&d);
	hw_config_free(&cfg);
	if (err)
		hw_fr_set_free(frs);
	return must ? err : HW_OK;
}

static int import_files(hw_cli *cli, hw_glossary *g, const char **files,
			size_t n, hw_gstyle style)
{
	hw_diags d;
	int err = HW_OK;

	hw_diags_init(&d);
	for (size_t i = 0; i < n && !err; i++) {
		hw_gstyle used;
		size_t before = hw_glossary_count(g);

		err = hw_glossary_load(g, &d, files[i], GLOSSARY_MAX_BYTES,
				       style, &used);
		if (!err && cli->verbose)
			fprintf(stderr, "hwledger: %s: %zu entries, style %s\n",
				files[i], hw_glossary_count(g) - before,
				hw_gstyle_name(used));
	}
	if (!cli->quiet || err)
		hw_diags_print(&d, stderr, cli->color_err);
	hw_diags_free(&d);
	return err;
}

/*
 * Refuses an -o that is a regular file already (through its links) unless
 * --force: the glossary written there is often specs/glossary.md, which
 * its user edits by hand, and nothing the user owns is replaced. A device
 * or a FIFO is written into, not replaced, and a name with nothing there
 * is created, so both pass.
 */
/* Implements: FR-GLOSS-002 */
static int check_out(const char *out, int force)
{
	struct stat st;

	if (force || stat(out, &st) != 0 || !S_ISREG(st.st_mode))
		return HW_EXIT_OK;
	return hw_cli_fail(HW_EXIT_BADINPUT,
			   "%s: exists; --force replaces it", out);
}

/* Implements: FR-GLOSS-001, FR-GLOSS-002 */
static int cmd_import(hw_cli *cli, int argc, char **argv)
{
	const char *files[MAX_FILES], *format = NULL, *out = NULL;
	size_t n = 0;
	hw_gstyle style = HW_GSTYLE_AUTO;
	hw_glossary g;
	hw_fr_set frs;
	hw_buf o;
	int err, force = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "--format") || !strcmp(a, "-o") ||
		     !strcmp(a, "--style")) &&
		    i + 1 >= argc)
			return hw_cli_usage_error("glossary", "%s needs a value",
						  a);
		if (!strcmp(a, "--format")) {
			format = argv[++i];
			if (strcmp(format, "json") && strcmp(format, "md"))
				return hw_cli_usage_error(
					"glossary",
					"--format must be json or md, not '%s'",
					format);
		} else if (!strcmp(a, "-o")) {
			out = argv[++i];
		} else if (!strcmp(a, "--force")) {
			force = 1;
		} else if (!strcmp(a, "--style")) {
			int s = hw_gstyle_from_name(argv[++i]);

			if (s < 0)
				return hw_cli_usage_error(
					"glossary",
					"unknown style '%s' (auto, bullet-colon, "
					"bold-colon, definition-list, "
					"acronym-table, arrow, dash)",
					argv[i]);
			style = (hw_gstyle)s;
		} else if (a[0] == '-' && a[1]) {
			return hw_cli_usage_error("glossary",
						  "glossary import: unknown "
						  "option '%s'",
						  a);
		} else if (n < MAX_FILES) {
			files[n++] = a;
		}
	}
	if (!n)
		return hw_cli_usage_error("glossary",
					  "glossary import needs at least one "
					  "FILE");
	/* before any glossary is read, as export checks its -o */
	if (out && (err = check_out(out, force)))
		return err;
	/* an -o FILE.md is the Markdown glossary that `glossary lint` and
	 * the site read: JSON written there would read as no glossary */
	if (!format)
		format = out && strlen(out) > 3 &&
				 !strcmp(out + strlen(out) - 3, ".md")
			 ? "md"
			 : "json";
	hw_glossary_init(&g);
	err = import_files(cli, &g, files, n, style);
	if (!err)
		err = hw_glossary_merge(&g);
	if (err) {
		hw_glossary_free(&g);
		return hw_cli_error(err);
	}
	hw_buf_init(&o, 0);
	if (!strcmp(format, "md")) {
		err = hw_glossary_md(&o, &g);
	} else {
		load_frs_quiet(&frs, 0);
		err = hw_glossary_json(&o, &g, &frs);
		hw_fr_set_free(&frs);
	}
	if (!err)
		err = out ? hw_file_write_atomic(out, o.data, o.len)
		      : fwrite(o.data, 1, o.len, stdout) == o.len
			      ? HW_OK
			      : hw_error_set(HW_EIO, NULL, 0, 0,
					     "cannot write output");
	hw_buf_free(&o);
	hw_glossary_free(&g);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Whether the file at path (listed as "./NAME") is a README of the root:
 * README, README.md, ReadMe.md, readme.txt, ... */
static int is_readme(const char *path)
{
	return !strncasecmp(path, "./readme", 8) &&
	       (!path[8] || path[8] == '.');
}

/* FR text, the specs (but the glossaries) and the README files, for
 * "unused". */
static int build_corpus(hw_buf *c, const hw_fr_set *frs, const char **skip,
			size_t nskip)
{
	char **docs = NULL, **root = NULL;
	size_t n = 0, nroot = 0;
	hw_buf b;
	int err = HW_OK;

	for (size_t i = 0; i < frs->n && !err; i++)
		err = hw_buf_printf(c, "%s\n%s\n", frs->items[i].title,
				    frs->items[i].body);
	if (!err && hw_path_is_dir("specs"))
		err = hw_dir_list(&docs, &n, "specs", ".md");
	/* then the root's README files, named as the skip list names them */
	if (!err)
		err = hw_dir_list(&root, &nroot, ".", "");
	for (size_t i = 0; !err && i < nroot; i++)
		if (is_readme(root[i]))
			err = hw_strv_push_copy(&docs, &n, root[i] + 2,
						strlen(root[i] + 2));
	hw_strv_free(root);
	hw_buf_init(&b, 0);
	for (size_t i = 0; !err && i < n; i++) {
		const char *path = docs[i];
		int skipped = 0;

		for (size_t k = 0; k < nskip; k++) {
			const char *s = skip[k];

			skipped |= !strcmp(path, s) ||
				   (!strncmp(s, "./", 2) && !strcmp(path, s + 2));
		}
		if (skipped || !hw_path_exists(path))
			continue;
		if (!(err = hw_file_read(&b, path, (size_t)16 << 20)))
			err = hw_buf_printf(c, "%s\n", b.data);
	}
	hw_buf_free(&b);
	hw_strv_free(docs);
	return err;
}

/* Implements: FR-GLOSS-003 */
static int cmd_lint(hw_cli *cli, int argc, char **argv)
{
	const char *files[MAX_FILES];
	size_t n = 0;
	hw_glossary g;
	hw_fr_set frs;
	hw_diags d;
	hw_buf corpus;
	int err, code, dflt;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return hw_cli_usage_error("glossary",
						  "glossary lint: unknown option "
						  "'%s'",
						  argv[i]);
		if (n < MAX_FILES)
			files[n++] = argv[i];
	}
	dflt = !n;
	if (dflt)
		files[n++] = HW_GLOSSARY_PATH;
	hw_glossary_init(&g);
	hw_diags_init(&d);
	hw_buf_init(&corpus, 0);
	if ((err = load_frs_quiet(&frs, 1))) {
		code = hw_cli_error(err);
		goto cleanup_nofrs;
	}
	if (dflt && !hw_path_exists(HW_GLOSSARY_PATH))
		err = hw_error_set(HW_ENOTFOUND, HW_GLOSSARY_PATH, 0, 0,
				   "no such file (the default glossary: write "
				   "one, or name yours: hwledger glossary lint "
				   "FILE...)");
	else
		err = import_files(cli, &g, files, n, HW_GSTYLE_AUTO);
	if (!err)
		err = hw_glossary_merge(&g);
	if (!err)
		err = build_corpus(&corpus, &frs, files, n);
	if (!err)
		err = hw_glossary_lint(&g, &frs, corpus.data, &d);
	if (err) {
		code = hw_cli_error(err);
		goto cleanup;
	}
	hw_diags_sort(&d);
	if (d.errors || !cli->quiet)
		hw_diags_print(&d, stderr, cli->color_err);
	code = d.errors ? HW_EXIT_FAIL : HW_EXIT_OK;
	if (!cli->quiet)
		printf("glossary lint: %zu term%s, %zu FR%s: %zu error%s, "
		       "%zu warning%s\n",
		       hw_glossary_count(&g), HW_S(hw_glossary_count(&g)),
		       frs.n, HW_S(frs.n), d.errors, HW_S(d.errors),
		       d.warnings, HW_S(d.warnings));
cleanup:
	hw_fr_set_free(&frs);
cleanup_nofrs:
	hw_buf_free(&corpus);
	hw_diags_free(&d);
	hw_glossary_free(&g);
	return hw_cli_finish(code);
}

int hw_cmd_glossary(hw_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return hw_cli_usage_error("glossary",
					  "glossary needs a subcommand");
	if (!strcmp(argv[1], "import"))
		return cmd_import(cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "lint"))
		return cmd_lint(cli, argc - 1, argv + 1);
	return hw_cli_usage_error("glossary",
				  "glossary: unknown subcommand '%s'", argv[1]);
}
