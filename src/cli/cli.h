/*
 * cli.h — the command-line front end: global options, the command table and
 * the helpers every subcommand shares. Each subcommand lives in its own
 * cmd_NAME.c and returns a process exit code (HW_EXIT_*).
 */
#ifndef HW_CLI_H
#define HW_CLI_H

#include "util/util.h"

#define HW_VERSION "0.1.0"

typedef struct hw_cli {
	int quiet;        /* -q: only errors and requested output */
	int verbose;      /* -v: extra progress and counts on stderr */
	int color;        /* colour on stdout */
	int color_err;    /* colour on stderr */
} hw_cli;

typedef int (*hw_cmd_fn)(hw_cli *cli, int argc, char **argv);

typedef struct hw_command {
	const char *name;
	hw_cmd_fn run;
	const char *summary;
	const char *usage; /* one or more lines, without "usage: " */
	unsigned flags;    /* HW_CMD_* */
} hw_command;

/* hashes with SHA-256 at most, and signs nothing: libsodium's SHA-256 has
 * one implementation and needs no sodium_init (whose CPU feature probes
 * a short command would pay for nothing) */
#define HW_CMD_NO_SODIUM_INIT 2u
/* builds large structures from many files: its heap gets 2 MiB pages
 * (hw_heap_huge) */
#define HW_CMD_BIG_HEAP 4u

const hw_command *hw_cli_find(const char *name);
void hw_cli_print_usage(FILE *out);
void hw_cli_print_command_usage(FILE *out, const hw_command *cmd);

/* "hwledger: message" on stderr, then returns code. */
int hw_cli_fail(int code, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
/* Prints hw_error_last() and returns the exit code for err. */
int hw_cli_error(int err);
/* For an unknown option or extra argument of cmd: message, usage, exit 2. */
int hw_cli_usage_error(const char *cmd, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
/* Returns 1 when arg is -h or --help. */
int hw_cli_is_help(const char *arg);
/* A number in (0, max] with nothing after it (no unit, no NaN) into *out. */
int hw_cli_positive(const char *s, double max, double *out);
/* The folder of `CMD check` when it is not there: says what belongs in
 * it (its checks, one *.json each, what CMD check does with them, the
 * spec) and how to name another, and returns exit 2; 0 when it is there
 * (or cannot be looked at: its listing says why). */
int hw_cli_checks_dir(const char *cmd, const char *dir, const char *does,
		      const char *spec);
/* Flushes stdout; a write error (a full disk, a closed pipe) is exit 3. */
int hw_cli_finish(int code);

int hw_cmd_init(hw_cli *cli, int argc, char **argv);
int hw_cmd_frs(hw_cli *cli, int argc, char **argv);
int hw_cmd_import(hw_cli *cli, int argc, char **argv);
int hw_cmd_help(hw_cli *cli, int argc, char **argv);
int hw_cmd_trace(hw_cli *cli, int argc, char **argv);
int hw_cmd_gate(hw_cli *cli, int argc, char **argv);
int hw_cmd_ledger(hw_cli *cli, int argc, char **argv);
int hw_cmd_glossary(hw_cli *cli, int argc, char **argv);
int hw_cmd_plan(hw_cli *cli, int argc, char **argv);
int hw_cmd_probe(hw_cli *cli, int argc, char **argv);
int hw_cmd_sast(hw_cli *cli, int argc, char **argv);
int hw_cmd_site(hw_cli *cli, int argc, char **argv);
int hw_cmd_report(hw_cli *cli, int argc, char **argv);
int hw_cmd_verify_report(hw_cli *cli, int argc, char **argv);
int hw_cmd_diff(hw_cli *cli, int argc, char **argv);
int hw_cmd_review(hw_cli *cli, int argc, char **argv);
int hw_cmd_export(hw_cli *cli, int argc, char **argv);
int hw_cmd_fleet(hw_cli *cli, int argc, char **argv);
int hw_cmd_agent(hw_cli *cli, int argc, char **argv);

/* The trace of `export` (cmd_trace.c): trace's evidence options in argv,
 * the hwledger.trace/1 document into json; returns an exit code. */
int hw_cli_trace_json(hw_cli *cli, const char *cmd, int argc, char **argv,
		      hw_buf *json);

#endif
