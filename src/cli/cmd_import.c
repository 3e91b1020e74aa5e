/*
 * cmd_import.c — `hwledger import reqif|oft|doorstop FILE-or-DIR [--map
 * MAP.json] [-o DIR] [--force]`: requirements of other tools as requirement
 * Markdown files (specs/interchange.md).
 *
 * The whole source is read and checked first; any error is printed as
 * "hwledger: FILE:LINE[:COL]: message", the command exits 2 and writes
 * nothing. Warnings say what was not imported.
 */
#include "cli/cli.h"
#include "interchange/interchange.h"
#include "trace/config.h"

#include <stdlib.h>
#include <string.h>

/* A ReqIF export of 10,000 requirements is some 20 MiB: the sources get a
 * larger cap than requirement files. */
#define IMPORT_MAX_BYTES ((size_t)256 << 20)

/* The name of path without its folder and extension. */
static void stem_of(const char *path, char *out, size_t size)
{
	const char *b = strrchr(path, '/'), *dot;
	size_t n;

	b = b && b[1] ? b + 1 : path;
	dot = strrchr(b, '.');
	n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
	if (n >= size)
		n = size - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static int read_text_file(hw_imp_set *s, hw_diags *diags, const char *format,
			  const char *path, const hw_imp_map *map,
			  const hw_frs_model *decl)
{
	hw_buf b;
	char stem[128];
	int err;

	stem_of(path, stem, sizeof(stem));
	hw_buf_init(&b, 0);
	err = hw_file_read(&b, path, IMPORT_MAX_BYTES);
	if (err == HW_ETOOBIG || err == HW_ENOTFOUND)
		err = hw_diags_add_last_error(diags);
	else if (!err && strcmp(format, "reqif") == 0)
		err = hw_reqif_read(s, diags, path, b.data ? b.data : "", b.len,
				    map, decl, stem);
	else if (!err)
		err = hw_oft_read(s, diags, path, b.data ? b.data : "", b.len,
				  stem);
	hw_buf_free(&b);
	return err;
}

/* OFT: a file, or every *.md directly in a folder, in name order. */
static int read_oft(hw_imp_set *s, hw_diags *diags, const char *path)
{
	char **names = NULL;
	size_t n = 0;
	int err;

	if (!hw_path_is_dir(path))
		return read_text_file(s, diags, "oft", path, NULL, NULL);
	err = hw_dir_list(&names, &n, path, ".md");
	for (size_t i = 0; i < n && !err; i++)
		err = read_text_file(s, diags, "oft", names[i], NULL, NULL);
	hw_strv_free(names);
	if (!err)
		err = hw_imp_check(s, diags);
	return err;
}

/* The folder imports go to without -o: the flat level's folder, or the
 * lowest level's. */
static const char *default_dir(const hw_config *cfg)
{
	const hw_frs_model *m = &cfg->model;

	return m->nlevels ? m->levels[m->nlevels - 1].dir : cfg->frs_dir;
}

/* Implements: FR-XCH-002, FR-XCH-005, FR-XCH-006 */
int hw_cmd_import(hw_cli *cli, int argc, char **argv)
{
	const char *format, *src = NULL, *map_path = NULL, *dir = NULL;
	int force = 0, code = HW_EXIT_OK, err;
	hw_config cfg;
	hw_diags diags;
	hw_imp_map map;
	hw_imp_set set;

	if (argc < 2)
		return hw_cli_usage_error("import", "import needs a format: "
						    "reqif, oft or doorstop");
	format = argv[1];
	if (strcmp(format, "reqif") != 0 && strcmp(format, "oft") != 0 &&
	    strcmp(format, "doorstop") != 0)
		return hw_cli_usage_error("import", "import: unknown format "
						    "'%s'", format);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc)
			map_path = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] != '-' && !src)
			src = argv[i];
		else
			return hw_cli_usage_error("import", "import: unknown "
							    "argument '%s'",
						  argv[i]);
	}
	if (!src)
		return hw_cli_usage_error("import", "import %s: FILE or DIR "
						    "is needed", format);
	if (map_path && strcmp(format, "reqif") != 0)
		return hw_cli_usage_error("import", "import: --map goes with "
						    "reqif");
	if ((err = hw_config_load(&cfg)))
		return hw_cli_error(err);
	hw_diags_init(&diags);
	hw_imp_set_init(&set, format);
	err = hw_imp_map_load(&map, map_path, &diags);
	if (!err && !diags.errors) {
		if (strcmp(format, "reqif") == 0)
			err = read_text_file(&set, &diags, format, src, &map,
					     &cfg.model);
		else if (strcmp(format, "oft") == 0)
			err = read_oft(&set, &diags, src);
		else
			err = hw_doorstop_read(&set, &diags, src,
					       IMPORT_MAX_BYTES);
	}
	/* -o puts every file in DIR; else each goes to its level's folder */
	if (!err && !diags.errors && !dir)
		err = hw_imp_place(&set, &cfg.model, &diags);
	if (err)
		code = hw_cli_error(err);
	if (diags.errors || !cli->quiet)
		hw_diags_print(&diags, stderr, cli->color_err);
	if (!code && diags.errors)
		code = HW_EXIT_BADINPUT;
	if (!code) {
		err = hw_imp_write(&set, dir ? dir : default_dir(&cfg), src,
				   force, cli->quiet ? NULL : stdout);
		if (err)
			code = hw_cli_error(err);
	}
	if (!code && !cli->quiet)
		printf("import %s: %zu requirements from %s\n", format, set.n,
		       src);
	hw_imp_set_free(&set);
	hw_imp_map_free(&map);
	hw_diags_free(&diags);
	hw_config_free(&cfg);
	return hw_cli_finish(code);
}
