/*
 * main.c — `hwledger [-C DIR] [-q|-v] [--color=WHEN] COMMAND [ARGS]`.
 *
 * Parses the global options, then hands the rest of argv to the command.
 * Exit codes are the contract of specs/cli.md: 0 ok, 1 a check failed,
 * 2 usage or bad input, 3 environment (a tool or library missing, I/O).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const hw_command commands[] = {
	{"init", hw_cmd_init, "set up frs/ and traceability/ in a repository",
	 "hwledger init", 0},
	{"frs", hw_cmd_frs, "list and lint the functional requirements",
	 "hwledger frs list [--json]\nhwledger frs lint", HW_CMD_BIG_HEAP},
	{"import", hw_cmd_import, "requirements from ReqIF, OpenFastTrace or "
	 "Doorstop as Markdown",
	 "hwledger import reqif FILE [--map MAP.json] [-o DIR] [--force]\n"
	 "hwledger import oft FILE-or-DIR [-o DIR] [--force]\n"
	 "hwledger import doorstop DIR [-o DIR] [--force]", HW_CMD_BIG_HEAP},
	{"trace", hw_cmd_trace, "link FRs to code, tests, results and coverage",
	 "hwledger trace [--results PATH...] [--lcov FILE]... "
	 "[--sast FILE] [--format text|json|md|sarif] [-o FILE] "
	 "[--policy FILE] [--no-index] [--today YYYY-MM-DD]",
	 HW_CMD_NO_SODIUM_INIT},
	{"gate", hw_cmd_gate, "apply the traceability policy (CI gate)",
	 "hwledger gate [--results PATH...] [--lcov FILE]... [--sast FILE] "
	 "[--format text|json] [-o FILE] [--policy FILE] [--baseline FILE] "
	 "[--update-baseline] [--no-index] [--today YYYY-MM-DD]",
	 HW_CMD_BIG_HEAP},
	{"review", hw_cmd_review,
	 "record a signed review of changed requirements",
	 "hwledger review ID... [--all] -m REASON [--key FILE]", 0},
	{"plan", hw_cmd_plan, "plan LLM memory on GPUs, run plan checks",
	 "hwledger plan --model PATH [--ctx N] [--batch N] [--quant Q] "
	 "[--kv-dtype D] [--tp N] [--pp N] [--engine vllm|llama.cpp|mlx] "
	 "[--gpu NAME | --gpu-mem BYTES] [--json] "
	 "[--export vllm|llama.cpp|mlx] [--sweep 'ctx=1k..128k batch=1..64']\n"
	 "hwledger plan --model PATH --cheapest [--top N] [--max-util F] "
	 "[--today YYYY-MM-DD] "
	 "[--ctx N] [--batch N] [--quant Q] [--kv-dtype D] [--engine E] "
	 "[--json]\n"
	 "hwledger plan check [DIR] [--json]\n"
	 "hwledger plan report [-o DIR]", 0},
	{"probe", hw_cmd_probe, "probe GPUs and hosts, run probe checks",
	 "hwledger probe [--json] [--ssh USER@HOST]... [--hosts FILE] "
	 "[--timeout SECONDS] [--pool N]\n"
	 "hwledger probe check [DIR] [--json] [--ssh USER@HOST]... "
	 "[--hosts FILE] [--timeout SECONDS] [--pool N]\n"
	 "hwledger probe check [DIR] [--json] --fleet URL [--cert FILE --key "
	 "FILE] [--ca DIR]",
	 0},
	{"ledger", hw_cmd_ledger, "the signed, hash-chained evidence ledger",
	 "hwledger ledger keygen [--name NAME] [--dir DIR]\n"
	 "hwledger ledger append --kind KIND [--payload FILE|-] "
	 "[--payload-type TYPE]...\n"
	 "hwledger ledger verify [--json] [--key FILE]...\n"
	 "hwledger ledger verify --bundle DIR --key FILE [--event SEQ] [--json]\n"
	 "hwledger ledger log [--json] [--kind KIND]\n"
	 "hwledger ledger checkpoint [--cosign KEYFILE]...\n"
	 "hwledger ledger anchor\n"
	 "hwledger ledger export --bundle DIR\n"
	 "hwledger ledger prove SEQ\n"
	 "hwledger ledger rotate --to PUBLIC_KEY_FILE\n"
	 "hwledger ledger repair SEQ... [--reason TEXT]", 0},
	{"sast", hw_cmd_sast, "run or import static analyzers, gate, SARIF",
	 "hwledger sast [--tool NAME|all]... [--import FILE]... "
	 "[--format text|json|sarif] [-o FILE] [--baseline FILE] "
	 "[--update-baseline]", HW_CMD_BIG_HEAP},
	{"glossary", hw_cmd_glossary, "import, merge and lint glossaries",
	 "hwledger glossary import FILE... [--format json|md] [--style STYLE] "
	 "[-o FILE [--force]]\n"
	 "hwledger glossary lint [FILE...]", HW_CMD_BIG_HEAP},
	{"site", hw_cmd_site, "render the static HTML report",
	 "hwledger site [-o DIR] [--checks DIR] [--glossary FILE] [--sign] "
	 "[--force] [--pdf]", HW_CMD_BIG_HEAP},
	{"report", hw_cmd_report, "run every check, sign it, render the site",
	 "hwledger report [-o DIR] [--force] [--checks DIR] [--results "
	 "PATH...] [--lcov FILE]... [--timeout SECONDS] [--sast-reports DIR] "
	 "[--unsigned] [--pdf]", HW_CMD_BIG_HEAP},
	{"verify-report", hw_cmd_verify_report,
	 "verify a published report folder",
	 "hwledger verify-report DIR [--key FILE] [--allow-untrusted]", 0},
	{"diff", hw_cmd_diff,
	 "what changed between two signed reports (folders or git "
	 "revisions); it checks the signed manifest and the evidence it "
	 "reads, not every page (verify-report does)",
	 "hwledger diff A B [--format text|json|md] [-o FILE] [--key FILE] "
	 "[--allow-untrusted]", HW_CMD_BIG_HEAP},
	{"export", hw_cmd_export,
	 "the matrix and the requirements as CSV, XLSX, HTML, PDF, ReqIF or "
	 "OpenFastTrace aspec",
	 "hwledger export --format csv|xlsx|html|pdf|reqif|aspec -o FILE "
	 "[--reverse] "
	 "[--force] [--checks DIR | [--results PATH...] [--lcov FILE]... "
	 "[--sast FILE] [--policy FILE] [--no-index]] [--today YYYY-MM-DD]",
	 HW_CMD_BIG_HEAP},
	{"fleet", hw_cmd_fleet,
	 "the fleet: its certificates, the server and its hosts",
	 "hwledger fleet ca init [--dir DIR] [--name NAME] [--days N]\n"
	 "hwledger fleet ca trust CA.crt [--dir DIR]\n"
	 "hwledger fleet enroll HOST|--operator NAME [--state DIR] "
	 "[--ttl SECONDS]\n"
	 "hwledger fleet issue --token TOKEN --key AGENT.pub -o FILE "
	 "[--ca DIR] [--state DIR] [--days N]\n"
	 "hwledger fleet revoke CERT|SERIAL [--state DIR] [--reason TEXT]\n"
	 "hwledger fleet check CERT [--ca DIR] [--state DIR]\n"
	 "hwledger fleet serve [--listen ADDR:PORT] [--ca DIR] [--state DIR] "
	 "[--idle-timeout S] [--ssh-hosts FILE] [--ssh-interval S] "
	 "[--ssh-timeout S]\n"
	 "hwledger fleet hosts --server URL --cert FILE --key FILE "
	 "[--ca DIR] [--json]\n"
	 "hwledger fleet run probe|plan|command --host HOST --server URL "
	 "--cert FILE --key FILE [--ca DIR] [--deadline SECONDS] "
	 "[--retries N] [-- ARG...]\n"
	 "hwledger fleet jobs --server URL --cert FILE --key FILE "
	 "[--ca DIR] [--json]\n"
	 "hwledger fleet cancel ID --server URL --cert FILE --key FILE "
	 "[--ca DIR]\n"
	 "hwledger fleet status --server URL --cert FILE --key FILE "
	 "[--ca DIR] [--json]",
	 0},
	{"agent", hw_cmd_agent, "enrol with a fleet server, then heartbeat",
	 "hwledger agent enroll --server URL --token TOKEN --key FILE -o FILE "
	 "[--ca DIR]\n"
	 "hwledger agent rotate --server URL --cert FILE --key FILE "
	 "--new-key FILE -o FILE [--ca DIR]\n"
	 "hwledger agent --server URL --cert FILE --key FILE [--ca DIR] "
	 "[--interval SECONDS] [--once] [--allow FILE]",
	 0},
	{"help", hw_cmd_help, "show help for a command",
	 "hwledger help [COMMAND]", 0},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const hw_command *hw_cli_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void hw_cli_print_usage(FILE *out)
{
	fputs("usage: hwledger [-C DIR] [-q|-v] [--color=auto|always|never] "
	      "COMMAND [ARGS]\n"
	      "       hwledger --version | --help | help COMMAND\n\n"
	      "Traceability, verifiable checks and a signed evidence ledger "
	      "for C projects.\n\ncommands:\n",
	      out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\noptions:\n"
	      "  -C DIR         run as if started in DIR\n"
	      "  -q             quiet: only errors and requested output\n"
	      "  -v             verbose: counts and progress on stderr\n"
	      "  --color=WHEN   auto (default), always or never\n"
	      "  --version      print the version\n\n"
	      "exit codes: 0 ok, 1 a check or gate failed, 2 usage or bad "
	      "input, 3 environment error\n",
	      out);
}

void hw_cli_print_command_usage(FILE *out, const hw_command *cmd)
{
	const char *p = cmd->usage;

	fprintf(out, "%s — %s\n", cmd->name, cmd->summary);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		fprintf(out, "usage: %.*s\n", (int)n, p);
		p += n + (nl != NULL);
	}
}

int hw_cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("hwledger: ", stderr);
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1017: the caller's format, checked by -Wformat=2 */
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int hw_cli_error(int err)
{
	fprintf(stderr, "hwledger: %s\n", hw_error_last());
	return hw_exit_code(err);
}

/* A global option (-q, -v, -C, --color) written after the command, which
 * main saw; the command refuses it as any argument it does not know. */
static const char *misplaced_global;

/* Implements: FR-CLI-001 */
int hw_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const hw_command *c = hw_cli_find(cmd);
	char said[4096], quoted[64];
	va_list ap, again;

	fputs("hwledger: ", stderr);
	va_start(ap, fmt);
	va_copy(again, ap);
	/* hwledger-sast-ignore FF1017: the caller's format, checked by -Wformat=2 */
	vfprintf(stderr, fmt, ap);
	/* hwledger-sast-ignore FF1019: the same format, to read what was said */
	vsnprintf(said, sizeof(said), fmt, again);
	va_end(again);
	va_end(ap);
	/* the refusal names the global option: say where it goes */
	if (misplaced_global) {
		snprintf(quoted, sizeof(quoted), "'%s'", misplaced_global);
		if (strstr(said, quoted))
			fprintf(stderr,
				" (%s is a global option: it goes before the "
				"command, as in hwledger %s%s %s)",
				misplaced_global, misplaced_global,
				strcmp(misplaced_global, "-C") ? "" : " DIR",
				cmd);
	}
	fputc('\n', stderr);
	if (c)
		hw_cli_print_command_usage(stderr, c);
	return HW_EXIT_BADINPUT;
}

/* Implements: FR-CLI-001 */
int hw_cli_checks_dir(const char *cmd, const char *dir, const char *does,
		      const char *spec)
{
	struct stat sb;

	if (stat(dir, &sb) == 0 || errno != ENOENT)
		return 0;
	return hw_cli_fail(HW_EXIT_BADINPUT,
			   "%s: no such directory (%s check %s the %s checks "
			   "there, one *.json each: %s; or name the folder: "
			   "hwledger %s check DIR)",
			   dir, cmd, does, cmd, spec, cmd);
}

int hw_cli_positive(const char *s, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0 && v <= max))
		return 0;
	*out = v;
	return 1;
}

int hw_cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* Implements: FR-CLI-002 */
int hw_cli_finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return hw_cli_fail(HW_EXIT_ENV, "cannot write output: %s",
				   strerror(errno));
	return code;
}

/* Implements: FR-CLI-003 */
int hw_cmd_help(hw_cli *cli, int argc, char **argv)
{
	const hw_command *cmd;

	(void)cli;
	if (argc < 2) {
		hw_cli_print_usage(stdout);
		return hw_cli_finish(HW_EXIT_OK);
	}
	if (argc > 2)
		return hw_cli_usage_error("help", "help takes one COMMAND");
	cmd = hw_cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "hwledger: unknown command '%s'\n", argv[1]);
		hw_cli_print_usage(stderr);
		return HW_EXIT_BADINPUT;
	}
	hw_cli_print_command_usage(stdout, cmd);
	return hw_cli_finish(HW_EXIT_OK);
}

static int want_color(const char *when, int fd, int *out)
{
	if (strcmp(when, "always") == 0)
		*out = 1;
	else if (strcmp(when, "never") == 0)
		*out = 0;
	else if (strcmp(when, "auto") == 0) {
		const char *term = getenv("TERM");

		*out = isatty(fd) && !getenv("NO_COLOR") && term &&
		       strcmp(term, "dumb") != 0;
	} else {
		return -1;
	}
	return 0;
}

/* Implements: FR-CLI-001, FR-CLI-002, FR-CLI-003 */
int main(int argc, char **argv)
{
	hw_cli cli = {0};
	const char *dir = NULL, *color = "auto";
	const hw_command *cmd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--version") == 0) {
			printf("hwledger %s\n", HW_VERSION);
			return hw_cli_finish(HW_EXIT_OK);
		} else if (hw_cli_is_help(a)) {
			hw_cli_print_usage(stdout);
			return hw_cli_finish(HW_EXIT_OK);
		} else if (strcmp(a, "-C") == 0) {
			if (++i >= argc) {
				fputs("hwledger: -C needs a directory\n",
				      stderr);
				hw_cli_print_usage(stderr);
				return HW_EXIT_BADINPUT;
			}
			dir = argv[i];
		} else if (strcmp(a, "-q") == 0) {
			cli.quiet = 1;
			cli.verbose = 0;
		} else if (strcmp(a, "-v") == 0) {
			cli.verbose = 1;
			cli.quiet = 0;
		} else if (strcmp(a, "--color") == 0) {
			color = "always";
		} else if (strncmp(a, "--color=", 8) == 0) {
			color = a + 8;
		} else {
			fprintf(stderr, "hwledger: unknown option '%s'\n", a);
			hw_cli_print_usage(stderr);
			return HW_EXIT_BADINPUT;
		}
	}
	if (want_color(color, 1, &cli.color) ||
	    want_color(color, 2, &cli.color_err)) {
		fprintf(stderr,
			"hwledger: --color must be auto, always or never, not "
			"'%s'\n",
			color);
		return HW_EXIT_BADINPUT;
	}
	if (i >= argc) {
		fputs("hwledger: no command given\n", stderr);
		hw_cli_print_usage(stderr);
		return HW_EXIT_BADINPUT;
	}
	cmd = hw_cli_find(argv[i]);
	if (!cmd) {
		fprintf(stderr, "hwledger: unknown command '%s'\n", argv[i]);
		hw_cli_print_usage(stderr);
		return HW_EXIT_BADINPUT;
	}
	/* a global option after the command is refused there; remembered
	 * so that the refusal can say where it goes (nothing after "--") */
	for (int k = i + 1; k < argc && strcmp(argv[k], "--") != 0; k++)
		if (!strcmp(argv[k], "-q") || !strcmp(argv[k], "-v") ||
		    !strcmp(argv[k], "-C") || !strcmp(argv[k], "--color") ||
		    !strncmp(argv[k], "--color=", 8)) {
			misplaced_global = argv[k];
			break;
		}
	/* -h or --help anywhere after the command, subcommands included, is
	 * its usage: no command runs half-way for it */
	for (int k = i + 1; k < argc; k++)
		if (hw_cli_is_help(argv[k])) {
			hw_cli_print_command_usage(stdout, cmd);
			return hw_cli_finish(HW_EXIT_OK);
		}
	if (dir && chdir(dir) != 0)
		return hw_cli_fail(HW_EXIT_BADINPUT,
				   "%s: cannot change directory: %s", dir,
				   strerror(errno));
	if (cmd->flags & HW_CMD_BIG_HEAP)
		hw_heap_huge();
	if (!(cmd->flags & HW_CMD_NO_SODIUM_INIT) && hw_crypto_init())
		return hw_cli_error(HW_EIO);
	return cmd->run(&cli, argc - i, argv + i);
}
