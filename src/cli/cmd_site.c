/*
 * cmd_site.c — `hwledger site [-o DIR] [--checks DIR] [--glossary FILE]
 * [--sign]`.
 *
 * Renders the static report from the evidence folder (default
 * build/checks) into DIR (default build/site). Exit 0 rendered (parts that
 * did not run are shown as such), 2 a malformed input (nothing replaced),
 * 3 an I/O failure (nothing replaced). --sign writes manifest.json (every
 * file's SHA-256) and manifest.sig, signed with the ledger's signing key.
 * DIR is replaced only when it is a site (or empty); --force replaces any
 * other folder, but never a repository (hw_site_out_check).
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "site/site.h"

#include <string.h>
#include <sys/stat.h>

/* Implements: FR-SITE-001 */
int hw_cmd_site(hw_cli *cli, int argc, char **argv)
{
	hw_site_opts o = {0};
	hw_site_stats st;
	hw_seckey key;
	int sign = 0;
	hw_diags d;
	struct stat sb;
	int err;

	for (int i = 1; i < argc; i++) {
		const char **slot =
			!strcmp(argv[i], "-o")		 ? &o.out_dir
			: !strcmp(argv[i], "--checks")	 ? &o.checks_dir
			: !strcmp(argv[i], "--glossary") ? &o.glossary
							 : NULL;

		if (!strcmp(argv[i], "--sign")) {
			sign = 1;
			continue;
		}
		if (!strcmp(argv[i], "--pdf")) {
			o.pdf = 1;
			continue;
		}
		if (!strcmp(argv[i], "--force")) {
			o.force = 1;
			continue;
		}
		if (!slot)
			return hw_cli_usage_error("site",
						  "unknown argument "
						  "'%s'",
						  argv[i]);
		if (i + 1 >= argc || !*argv[i + 1])
			return hw_cli_usage_error("site", "%s needs a value",
						  argv[i]);
		*slot = argv[++i];
	}
	/* a glossary the user named is there: a typo is not rendered as a
	 * site with no term defined, and nothing said (the default may be
	 * missing: no glossary written yet). A missing --checks folder is
	 * shown as checks not run, and the summary names the folder. */
	if (o.glossary && stat(o.glossary, &sb))
		return hw_cli_fail(HW_EXIT_BADINPUT,
				   "%s: no such file (--glossary names the "
				   "glossary, specs/glossary.md by default)",
				   o.glossary);
	if (sign) {
		char path[4096];

		if ((err = hw_seckey_need(&key, path, sizeof(path))))
			return hw_cli_finish(hw_cli_error(err));
		o.key = &key;
	}
	hw_diags_init(&d);
	o.spare_dir = HW_SITE_SPARE_DIR;
	err = hw_site_render(&o, &d, &st);
	hw_diags_print(&d, stderr, cli->color_err);
	if (err == HW_EINVAL && d.errors) {
		hw_diags_free(&d);
		return hw_cli_finish(HW_EXIT_BADINPUT); /* printed above */
	}
	hw_diags_free(&d);
	if (err)
		return hw_cli_finish(hw_cli_error(err));
	/* say where the evidence was looked for: a user who has just run
	 * 'hwledger trace' is otherwise told that trace was not run */
	if (!cli->quiet) {
		printf("site: %zu page%s (%zu FR%s, %zu source file%s, %zu "
		       "glossary term%s), %zu file%s, %zu KiB in %s",
		       st.pages, HW_S(st.pages), st.frs, HW_S(st.frs),
		       st.sources, HW_S(st.sources), st.terms, HW_S(st.terms),
		       st.files, HW_S(st.files), (st.bytes + 1023) / 1024,
		       o.out_dir ? o.out_dir : HW_SITE_DIR);
		if (st.not_run)
			printf("; some checks were not run (no evidence of "
			       "theirs in %s)",
			       o.checks_dir ? o.checks_dir : HW_SITE_CHECKS_DIR);
		printf("\n");
	}
	return hw_cli_finish(HW_EXIT_OK);
}
