/*
 * cmd_report.c — `hwledger report` (every check, signed, into a site) and
 * `hwledger verify-report DIR`.
 *
 * report: exit 0 when every check and the gate passed, 1 when one failed
 * or could not run (unless the policy marks it optional), 2 bad input,
 * 3 when the report could not be written (the ledger and the previous site
 * are then untouched). verify-report: 0 when the folder is what was
 * signed, 1 when anything differs.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_summary(const hw_report *r, const char *checks,
			  const char *out)
{
	char *tp = hw_path_join(checks, "trace.json");
	cJSON *trace = NULL;
	const cJSON *sum;

	printf("report: %s —", r->ok ? "pass" : "FAIL");
	for (size_t i = 0; i < r->nchecks; i++)
		printf(" %s %s%s", r->checks[i].name, r->checks[i].verdict,
		       i + 1 < r->nchecks ? "," : "\n");
	for (size_t i = 0; i < r->nchecks; i++)
		if (*r->checks[i].message)
			printf("  %s: %s\n", r->checks[i].name,
			       r->checks[i].message);
	if (tp && !hw_json_load(&trace, tp, (size_t)256 << 20) &&
	    (sum = cJSON_GetObjectItem(trace, "summary")))
		printf("report: %d/%d approved FRs verified\n",
		       (int)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(sum, "approved_verified")),
		       (int)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(sum, "approved")));
	hw_error_clear();
	cJSON_Delete(trace);
	free(tp);
	if (!*r->key_name) {
		printf("report: not signed (--unsigned): nothing recorded; "
		       "site in %s\n",
		       out);
		return;
	}
	printf("report: %zu events signed by %s (%s)%s%s\n", r->nchecks,
	       r->key_name,
	       r->key_trusted ? "trusted key" : "an untrusted local key",
	       *r->anchor_note ? "; " : "; checkpoint anchored on ",
	       *r->anchor_note ? r->anchor_note : HW_LEDGER_REF);
	printf("report: site in %s (check it: hwledger verify-report %s)\n",
	       out, out);
}

/* Implements: FR-REPORT-001 */
int hw_cmd_report(hw_cli *cli, int argc, char **argv)
{
	hw_report_opts o = {0};
	hw_report r;
	hw_diags d;
	char self[4096];
	ssize_t n;
	int err;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--force") || !strcmp(a, "--unsigned")) {
			*(a[2] == 'f' ? &o.force : &o.unsigned_report) = 1;
			continue;
		}
		if (i + 1 >= argc || !*argv[i + 1])
			return hw_cli_usage_error("report",
						  "unknown argument "
						  "'%s' (or it needs a value)",
						  a);
		if (!strcmp(a, "-o")) {
			o.out_dir = argv[++i];
		} else if (!strcmp(a, "--checks")) {
			o.checks_dir = argv[++i];
		} else if (!strcmp(a, "--sast-reports")) {
			o.sast_reports = argv[++i];
		} else if (!strcmp(a, "--results")) {
			/* as for trace: every path up to the next option, so
			 * that a shell glob after it works */
			do {
				if (o.nresults == HW_REPORT_MAX_INPUTS)
					return hw_cli_usage_error(
						"report", "too many --results "
							  "paths (a folder or "
							  "a quoted glob takes "
							  "many files)");
				o.results[o.nresults++] = argv[++i];
			} while (i + 1 < argc && argv[i + 1][0] != '-');
		} else if (!strcmp(a, "--lcov") &&
			   o.nlcov < HW_REPORT_MAX_INPUTS) {
			o.lcov[o.nlcov++] = argv[++i];
		} else if (!strcmp(a, "--timeout")) {
			if (!hw_cli_positive(argv[++i], 1e9, &o.timeout_s))
				return hw_cli_usage_error(
					"report",
					"--timeout needs seconds, not "
					"'%s'",
					argv[i]);
		} else {
			return hw_cli_usage_error("report",
						  "unknown argument "
						  "'%s'",
						  a);
		}
	}
	/* hwledger-sast-ignore FF1035: the kernel's link to this binary */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return hw_cli_fail(HW_EXIT_ENV, "cannot find the hwledger "
						"binary (/proc/self/exe)");
	self[n] = '\0';
	o.self = self;
	o.progress = !cli->quiet && isatty(2);
	hw_diags_init(&d);
	err = hw_report_run(&o, &r, &d);
	if (!cli->quiet || err)
		hw_diags_print(&d, stderr, cli->color_err);
	hw_diags_free(&d);
	if (err)
		return hw_cli_finish(hw_cli_error(err));
	if (!cli->quiet || !r.ok)
		print_summary(&r, o.checks_dir ? o.checks_dir : "build/checks",
			      o.out_dir ? o.out_dir : "build/site");
	return hw_cli_finish(r.ok ? HW_EXIT_OK : HW_EXIT_FAIL);
}

/*
 * A verification that cannot tie the signature to a trusted key fails:
 * the signer must be in --key FILE (default traceability/trusted_keys),
 * unless --allow-untrusted says that the integrity alone is wanted.
 */
/* Implements: FR-REPORT-002 */
int hw_cmd_verify_report(hw_cli *cli, int argc, char **argv)
{
	const char *dir = NULL, *keys = NULL;
	int allow_untrusted = 0, err;
	hw_report_verify v;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc && !keys)
			keys = argv[++i];
		else if (!strcmp(argv[i], "--allow-untrusted"))
			allow_untrusted = 1;
		else if (!dir && argv[i][0] != '-')
			dir = argv[i];
		else
			return hw_cli_usage_error("verify-report",
						  "unknown "
						  "argument '%s'",
						  argv[i]);
	}
	if (!dir)
		return hw_cli_usage_error("verify-report",
					  "needs the site "
					  "folder%s",
					  "");
	/* the default list may be absent (then no key is trusted); a list
	 * the user named must be there */
	if (!keys && hw_path_exists(HW_LEDGER_TRUSTED))
		keys = HW_LEDGER_TRUSTED;
	err = hw_report_verify_dir(dir, keys, &v);
	if (err && err != HW_EFAIL)
		return hw_cli_finish(hw_cli_error(err));
	if (!err && !v.trusted && !allow_untrusted) {
		fprintf(stderr,
			"hwledger: verify-report FAILED: signed by %s, a key "
			"not in %s: nothing ties the signature to a key you "
			"trust (pass --key FILE with the signer's public key "
			"line, or --allow-untrusted to check only that "
			"nothing changed since it was signed)\n",
			v.key_name, keys ? keys : HW_LEDGER_TRUSTED);
		return hw_cli_finish(HW_EXIT_FAIL);
	}
	if (err) {
		fprintf(stderr, "hwledger: verify-report FAILED: %s\n",
			v.message);
		return hw_cli_finish(HW_EXIT_FAIL);
	}
	if (!cli->quiet)
		printf("verify-report: ok — %s\nsigned by %s (%s)\n", v.message,
		       v.key_name,
		       v.trusted ? "a trusted key"
				 : "a key not in the trusted list, allowed "
				   "by --allow-untrusted");
	return hw_cli_finish(HW_EXIT_OK);
}
