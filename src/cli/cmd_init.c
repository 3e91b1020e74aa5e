/*
 * cmd_init.c — `hwledger init`: set up a repository for hwledger.
 *
 * Creates frs/ with one example FR (only when it holds no FR document yet),
 * traceability/config.json and traceability/policy.json. It never overwrites
 * an existing file: each file is reported as created or kept.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "trace/config.h"

#include <string.h>

static const char example_fr[] =
	"# Example requirements\n"
	"\n"
	"One functional requirement (FR) per level-2 heading, `ID: title`, "
	"where\n"
	"the ID is `FR-AREA-NNN` or `NFR-AREA-NNN` (AREA in capitals, NNN "
	"three or\n"
	"more digits). Then one `Key: value` per line:\n"
	"\n"
	"- `Rev`: the revision, a positive integer; raise it when the "
	"meaning changes.\n"
	"- `Status`: `draft`, `approved` (the gate requires it verified) or\n"
	"  `deprecated`.\n"
	"- `Needs`: what verifies it, from `impl` (tagged code), `utest` "
	"(a tagged\n"
	"  unit test that passes) and `itest` (an integration test).\n"
	"\n"
	"Then its text. Tag the code `/* Implements: FR-EXAMPLE-001 */` and "
	"the\n"
	"test `/* Verifies: FR-EXAMPLE-001 */`; `hwledger frs lint` checks "
	"this\n"
	"file, `hwledger trace` shows the links.\n"
	"\n"
	"## FR-EXAMPLE-001: Greet the user by name\n"
	"Rev: 1\n"
	"Status: draft\n"
	"Needs: impl, utest\n"
	"\n"
	"The program prints a greeting that names the user it was started "
	"for.\n";

static int write_new(hw_cli *cli, const char *path, const char *text)
{
	int err;

	if (hw_path_exists(path)) {
		if (!cli->quiet)
			printf("kept     %s (exists)\n", path);
		return HW_OK;
	}
	if ((err = hw_file_write_atomic(path, text, strlen(text))))
		return err;
	if (!cli->quiet)
		printf("created  %s\n", path);
	return HW_OK;
}

/* Implements: FR-CLI-004 */
int hw_cmd_init(hw_cli *cli, int argc, char **argv)
{
	char **existing = NULL;
	size_t count = 0;
	int err;

	if (argc > 1) {
		return hw_cli_usage_error("init", "init takes no arguments, "
						  "got '%s'", argv[1]);
	}
	if ((err = hw_mkdir_p("frs")) || (err = hw_mkdir_p("traceability")))
		return hw_cli_error(err);
	if ((err = hw_dir_list(&existing, &count, "frs", ".md")))
		return hw_cli_error(err);
	hw_strv_free(existing);
	if (count == 0)
		err = write_new(cli, "frs/example.md", example_fr);
	else if (!cli->quiet)
		printf("kept     frs/ (%zu FR document%s)\n", count,
		       count == 1 ? "" : "s");
	if (!err)
		err = write_new(cli, HW_CONFIG_PATH, hw_config_default_text());
	if (!err)
		err = write_new(cli, HW_POLICY_PATH, hw_policy_default_text());
	/* before any key exists: `git add -A` must never stage one */
	if (!err && !hw_path_exists(".hwledger/.gitignore") &&
	    !(err = hw_ledger_dir_protect()) && !cli->quiet)
		printf("created  .hwledger/.gitignore (keeps keys out of git)\n");
	if (err)
		return hw_cli_error(err);
	return hw_cli_finish(HW_EXIT_OK);
}
