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
#include "site/site.h"

#include <glob.h>
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
	    (sum = cJSON_GetObjectItem(trace, "summary"))) {
		/* approved_verified counts waived FRs: say how many */
		int waived = hw_trace_json_waived(trace);

		printf("report: %d/%d approved FRs verified",
		       (int)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(sum, "approved_verified")),
		       (int)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(sum, "approved")));
		if (waived)
			printf(" or waived (%d waived)", waived);
		printf("\n");
	}
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
	       *r->anchor_note ? r->anchor_note : r->anchor_ref);
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

		if (!strcmp(a, "--pdf")) {
			o.pdf = 1;
			continue;
		}
		if (!strcmp(a, "--force") || !strcmp(a, "--unsigned")) {
			*(a[2] == 'f' ? &o.force : &o.unsigned_report) = 1;
			continue;
		}
		if (strcmp(a, "-o") != 0 && strcmp(a, "--checks") != 0 &&
		    strcmp(a, "--sast-reports") != 0 &&
		    strcmp(a, "--results") != 0 && strcmp(a, "--lcov") != 0 &&
		    strcmp(a, "--timeout") != 0)
			return hw_cli_usage_error("report",
						  "report: unknown argument "
						  "'%s'",
						  a);
		if (i + 1 >= argc || !*argv[i + 1])
			return hw_cli_usage_error("report", "%s needs a value",
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
		} else if (!strcmp(a, "--lcov")) {
			if (o.nlcov == HW_REPORT_MAX_INPUTS)
				return hw_cli_usage_error(
					"report", "too many --lcov files");
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
 * Verifies a report folder as verify-report does (or a ledger bundle as
 * verify-report verifies the one in a site): a verification that
 * cannot tie the signature to a trusted key fails, the signer must be in
 * keys (default traceability/trusted_keys), unless allow_untrusted says
 * that the integrity alone is wanted. HW_EFAIL with the reason in why;
 * another error (recorded) for a folder or key list that is not there.
 */
static int verify_folder(const char *dir, const char *keys,
			 int allow_untrusted, hw_event_list *bundle,
			 hw_report_manifest *manifest, hw_report_verify *v,
			 char *why, size_t size)
{
	/* a bare ledger bundle (bundle: its events), a site's manifest alone
	 * (diff checks each file it reads against it), or a whole site */
	int err = bundle     ? hw_report_verify_bundle(dir, keys, bundle, v)
		  : manifest ? hw_report_verify_manifest(dir, keys, manifest, v)
			     : hw_report_verify_dir(dir, keys, v);

	if (err && err != HW_EFAIL)
		return err;
	if (err) {
		snprintf(why, size, "%s", v->message);
		return HW_EFAIL;
	}
	if (!v->trusted && !allow_untrusted) {
		snprintf(why, size,
			 "signed by %s, a key not in %s: nothing ties the "
			 "signature to a key you trust (pass --key FILE with "
			 "the signer's public key line, or --allow-untrusted "
			 "to check only that nothing changed since it was "
			 "signed)",
			 v->key_name, keys ? keys : HW_LEDGER_TRUSTED);
		return HW_EFAIL;
	}
	return HW_OK;
}

/* The trusted list: --key FILE, else the default list when it exists (a
 * missing default list trusts no key; a list the user named must be
 * there). */
static const char *trusted_list(const char *keys)
{
	if (!keys && hw_path_exists(HW_LEDGER_TRUSTED))
		keys = HW_LEDGER_TRUSTED;
	return keys;
}

/* Implements: FR-REPORT-002 */
int hw_cmd_verify_report(hw_cli *cli, int argc, char **argv)
{
	const char *dir = NULL, *keys = NULL;
	int allow_untrusted = 0, err;
	hw_report_verify v;
	char why[1024];

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
					  "verify-report needs the site "
					  "folder to check (DIR)%s",
					  "");
	keys = trusted_list(keys);
	err = verify_folder(dir, keys, allow_untrusted, NULL, NULL, &v, why,
			    sizeof(why));
	if (err == HW_EFAIL) {
		fprintf(stderr, "hwledger: verify-report FAILED: %s\n", why);
		return hw_cli_finish(HW_EXIT_FAIL);
	}
	if (err)
		return hw_cli_finish(hw_cli_error(err));
	if (!cli->quiet)
		printf("verify-report: ok — %s\nsigned by %s (%s)\n", v.message,
		       v.key_name,
		       v.trusted ? "a trusted key"
				 : "a key not in the trusted list, allowed "
				   "by --allow-untrusted");
	return hw_cli_finish(HW_EXIT_OK);
}

/*
 * One side of a diff, a report folder or a bare ledger bundle: a folder
 * that is neither is bad input (exit 2); one that does not verify is exit
 * 1 with the reason; then its evidence is read (bad input again when a
 * document is missing or malformed). A site's side verifies what diff
 * reads: the manifest's signature, and each evidence file against it
 * (specs/diff.md).
 */
static int diff_side(hw_diff_side *s, const char *name, const char *dir,
		     const char *keys, int allow_untrusted)
{
	static const char *const marks[] = {"index.html", HW_SITE_MANIFEST,
					    "events.jsonl"};
	int found[3] = {0, 0, 0}, site, err = HW_OK;
	hw_event_list events = {0};
	hw_report_manifest m = {0};
	hw_report_verify v;
	char why[1024];

	memset(&v, 0, sizeof(v));
	for (int i = 0; i < 3 && !err; i++) {
		char *p = hw_path_join(dir, marks[i]);

		err = p ? HW_OK : HW_ENOMEM;
		found[i] = p && hw_path_exists(p);
		free(p);
	}
	/* a folder with the pages is a site, even when unsigned */
	site = found[0] || found[1];
	/* a side is named by a path that exists: a file is no side at all */
	if (!err && !hw_path_is_dir(dir))
		err = hw_error_set(HW_EINVAL, dir, 0, 0,
				   "not a folder: each side is a report "
				   "folder, a ledger bundle or a git revision");
	if (!err && !site && !found[2])
		err = hw_error_set(HW_EINVAL, dir, 0, 0,
				   "not a report folder of 'hwledger report' "
				   "nor a ledger bundle (no index.html, %s "
				   "or events.jsonl)",
				   HW_SITE_MANIFEST);
	if (!err)
		err = verify_folder(dir, keys, allow_untrusted,
				    site ? NULL : &events, site ? &m : NULL,
				    &v, why, sizeof(why));
	if (!err) {
		snprintf(s->key_name, sizeof(s->key_name), "%s", v.key_name);
		s->trusted = v.trusted;
		s->manifest = &m;
		err = site ? hw_diff_load(s, dir)
			   : hw_diff_load_bundle(s, dir, &events);
		s->manifest = NULL;
		/* an evidence file that does not match the manifest */
		if (err == HW_EFAIL)
			snprintf(why, sizeof(why), "%s", hw_error_last());
	}
	hw_report_manifest_free(&m);
	hw_event_list_free(&events);
	if (err == HW_EFAIL) {
		fprintf(stderr, "hwledger: diff FAILED: %s (%s): %s\n", name,
			dir, why);
		return HW_EXIT_FAIL;
	}
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

/*
 * The repository's ledger, for the sides that are git revisions: verified
 * once, as `ledger verify` verifies it (hash chain, signatures by trusted
 * keys, checkpoints, anchors, what this machine verified last). ring holds
 * the trusted keys first (ntrusted of them), then, with --allow-untrusted,
 * the public halves of this machine's own keys.
 */
typedef struct rev_ledger {
	int loaded;
	hw_event_list events;
	hw_keyring ring;
	size_t ntrusted;
} rev_ledger;

static int load_rev_ledger(rev_ledger *rl, const char *key,
			   int allow_untrusted, hw_verify_report *r)
{
	int err = hw_ledger_trusted(&rl->ring, key ? &key : NULL, key != NULL,
				    0);
	glob_t g;

	rl->ntrusted = rl->ring.n;
	if (!err && allow_untrusted &&
	    !glob(HW_LEDGER_KEYS_DIR "/*.pub", 0, NULL, &g)) {
		for (size_t i = 0; i < g.gl_pathc && !err; i++)
			err = hw_keyring_load(&rl->ring, g.gl_pathv[i]);
		globfree(&g);
	}
	if (!err)
		err = hw_ledger_verify_repo(r, &rl->ring, &rl->events);
	rl->loaded = !err;
	return err;
}

/*
 * A side that is a git revision: the latest signed trace of its commit in
 * the verified ledger (specs/diff.md). A ledger that does not verify is
 * exit 1 with the reason; a revision that is not there, or has no such
 * trace, is bad input.
 */
static int rev_side(hw_diff_side *s, const char *name, const char *rev,
		    char *label, size_t size, rev_ledger *rl, const char *key,
		    int allow_untrusted)
{
	char commit[41];
	const hw_event *e = NULL;
	const hw_pubkey *signer;
	hw_verify_report r;
	int err = hw_git_resolve(rev, commit);

	if (!err && !rl->loaded &&
	    (err = load_rev_ledger(rl, key, allow_untrusted, &r)) == HW_EFAIL) {
		fprintf(stderr, "hwledger: diff FAILED: %s (%s): %s: %s\n", name,
			rev, HW_LEDGER_DB, r.message);
		return HW_EXIT_FAIL;
	}
	if (!err)
		err = hw_diff_load_commit(s, label, size, rev, commit,
					  &rl->events, HW_LEDGER_DB, &e);
	if (err)
		return hw_cli_error(err);
	/* the ledger verified: every event's key is in the ring */
	signer = hw_keyring_find(&rl->ring, e->key_id);
	if (signer) {
		snprintf(s->key_name, sizeof(s->key_name), "%s", signer->name);
		s->trusted = (size_t)(signer - rl->ring.keys) < rl->ntrusted;
	}
	return HW_EXIT_OK;
}

/*
 * Exit 0 without a regression, 1 with one (as `gate`: the diff is written
 * all the same) or when a side does not verify (nothing written), 2 bad
 * input, 3 when the output cannot be written.
 */
/* Implements: FR-REPORT-003 */
int hw_cmd_diff(hw_cli *cli, int argc, char **argv)
{
	const char *dirs[2] = {NULL, NULL}, *keys = NULL, *out = NULL;
	const char *format = "text";
	int allow_untrusted = 0, rc = HW_EXIT_OK, err = HW_OK;
	hw_diff_side sides[2] = {{0}, {0}};
	rev_ledger rl = {0};
	char labels[2][512];
	cJSON *doc = NULL;
	size_t regressions = 0;
	hw_buf b;

	(void)cli;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--allow-untrusted")) {
			allow_untrusted = 1;
		} else if (a[0] != '-' || !a[1]) {
			if (dirs[1])
				return hw_cli_usage_error(
					"diff", "one report too many: '%s'", a);
			dirs[dirs[0] != NULL] = a;
		} else if (strcmp(a, "--key") != 0 && strcmp(a, "-o") != 0 &&
			   strcmp(a, "--format") != 0) {
			return hw_cli_usage_error("diff",
						  "diff: unknown argument '%s'",
						  a);
		} else if (i + 1 >= argc || !*argv[i + 1]) {
			return hw_cli_usage_error("diff", "%s needs a value",
						  a);
		} else if (!strcmp(a, "--key")) {
			keys = argv[++i];
		} else if (!strcmp(a, "-o")) {
			out = argv[++i];
		} else if (!strcmp(a, "--format")) {
			format = argv[++i];
			if (strcmp(format, "text") != 0 &&
			    strcmp(format, "json") != 0 &&
			    strcmp(format, "md") != 0)
				return hw_cli_usage_error(
					"diff",
					"--format needs text, json or md, "
					"not '%s'",
					format);
		} else {
			return hw_cli_usage_error("diff",
						  "unknown argument '%s'", a);
		}
	}
	if (!dirs[1])
		return hw_cli_usage_error("diff", "diff needs two reports (folders or git revisions)%s",
					  "");
	/* both sides are verified before either is read; a side that is no
	 * folder is a git revision */
	for (int k = 0; k < 2 && rc == HW_EXIT_OK; k++)
		rc = hw_path_exists(dirs[k])
			     ? diff_side(&sides[k], k ? "B" : "A", dirs[k],
					 trusted_list(keys), allow_untrusted)
			     : rev_side(&sides[k], k ? "B" : "A", dirs[k],
					labels[k], sizeof(labels[k]), &rl, keys,
					allow_untrusted);
	hw_buf_init(&b, 0);
	if (rc == HW_EXIT_OK &&
	    !(err = hw_diff_build(&doc, &sides[0], &sides[1], &regressions))) {
		if (!strcmp(format, "json")) {
			char *j = cJSON_Print(doc);

			err = j ? hw_buf_printf(&b, "%s\n", j) : hw_error_oom();
			cJSON_free(j);
		} else {
			err = hw_diff_print(&b, doc, format);
		}
	}
	if (rc == HW_EXIT_OK && !err)
		err = out ? hw_file_write_atomic(out, b.data, b.len)
		      : fwrite(b.data, 1, b.len, stdout) == b.len
			? HW_OK
			: hw_error_set(HW_EIO, NULL, 0, 0,
				       "cannot write the output");
	if (rc == HW_EXIT_OK)
		rc = err ? hw_cli_error(err)
		     : regressions ? HW_EXIT_FAIL
				   : HW_EXIT_OK;
	cJSON_Delete(doc);
	hw_buf_free(&b);
	hw_diff_side_free(&sides[0]);
	hw_diff_side_free(&sides[1]);
	hw_event_list_free(&rl.events);
	hw_keyring_free(&rl.ring);
	return hw_cli_finish(rc);
}
