/*
 * report.h — the report pipeline: one command from source to a signed,
 * verifiable audit report.
 *
 * Owns: running every check as a child process of the hwledger binary (so
 * a crash or a hang is recorded, never fatal), the evidence folder, one
 * signed ledger event per check appended in one transaction, the
 * checkpoint and its git anchor, the export bundle, the signed site, and
 * verify-report. The formats are in specs/report.md. Depends on util,
 * trace (the results files), ledger and site, called in-process.
 */
#ifndef HW_REPORT_H
#define HW_REPORT_H

#include "ledger/ledger.h"
#include "util/util.h"

#define HW_REPORT_SCHEMA "hwledger.report/1"
#define HW_CHECK_SCHEMA "hwledger.check/1"
#define HW_REPORT_MAX_INPUTS 64
#define HW_REPORT_NCHECKS 5

typedef struct hw_report_opts {
	const char *self;	/* the hwledger binary that runs the checks */
	const char *out_dir;	/* the site; build/site when NULL */
	const char *checks_dir; /* the evidence; build/checks when NULL */
	const char *results[HW_REPORT_MAX_INPUTS];
	size_t nresults;
	const char *lcov[HW_REPORT_MAX_INPUTS];
	size_t nlcov;
	double timeout_s; /* per check; 0: 1800 */
	int progress;	  /* one line per step on stderr */
	int force;	  /* the site may replace a folder that is not one */
	/* the sast check imports the analyzers' reports kept in this folder
	 * by an analysis already run instead of running them again */
	const char *sast_reports;
	/* the checks and an unsigned site only: no key, no events, no
	 * checkpoint, anchor, bundle or report.json */
	int unsigned_report;
	int pdf; /* the site's downloads include the PDF (--pdf) */
} hw_report_opts;

typedef struct hw_report_check {
	const char *name;  /* sast, trace, gate, plan, probe */
	char verdict[16];  /* pass, fail, error, not run */
	char message[512]; /* why, when not pass */
	int exit_code;	   /* -1: killed or not started */
	int optional;	   /* the policy lets it be missing */
	double seconds;
} hw_report_check;

typedef struct hw_report {
	hw_report_check checks[HW_REPORT_NCHECKS];
	size_t nchecks;
	char key_name[65];
	int key_trusted;
	int key_generated;
	char commit[41];
	int dirty;
	char anchor_note[512]; /* "" when anchored */
	char anchor_ref[HW_LEDGER_REF_MAX]; /* the ref it is anchored on */
	char anchor_commit[41]; /* the anchor's commit, "" when none */
	long long first_seq;   /* of this run's events, -1 when none */
	int ok;		       /* every check passed (or was optional) */
} hw_report;

/*
 * Runs every check, signs and records them, renders the signed site.
 * Returns 0 when the report was written (r->ok tells whether every check
 * passed), or an error when it could not be (nothing half-written).
 */
int hw_report_run(const hw_report_opts *o, hw_report *r, hw_diags *d);

/* What verify-report found. */
typedef struct hw_report_verify {
	int ok;
	int trusted; /* the signing key is in the trusted list */
	char key_name[65];
	size_t files;
	size_t events;
	char message[512]; /* the first failure, or a summary */
} hw_report_verify;

/*
 * Checks a published site folder: the manifest's signature and every
 * file's SHA-256 (nothing missing, nothing added), the ledger bundle, and
 * that each dashboard verdict and evidence document matches the latest
 * signed event of its check, then whether the signer is in the key list
 * trusted_keys (NULL: none), a list that must be readable. A dir that is
 * not a folder is HW_ENOTFOUND.
 */
int hw_report_verify_dir(const char *dir, const char *trusted_keys,
			 hw_report_verify *v);

/* A site's signed manifest (verified), its files sorted by path. */
typedef struct hw_manifest_file {
	const char *path;
	const char *sha256;
} hw_manifest_file;

typedef struct hw_report_manifest {
	cJSON *doc;
	hw_manifest_file *files; /* point into doc */
	size_t n;
} hw_report_manifest;

/*
 * What `diff` verifies of a site before it reads a file (specs/diff.md):
 * the manifest's signature under the key it names, and whether that key
 * is in trusted_keys (as hw_report_verify_dir: v->key_name, v->trusted).
 * Not the other files: each file read is checked with
 * hw_report_read_signed. HW_EFAIL with v->message when the manifest does
 * not verify; a dir that is not a folder is HW_ENOTFOUND.
 */
int hw_report_verify_manifest(const char *dir, const char *trusted_keys,
			      hw_report_manifest *m, hw_report_verify *v);
/*
 * Reads dir/rel into out when its bytes have the SHA-256 the manifest m
 * lists for it; HW_EFAIL naming rel when they do not, when m lists it and
 * it is missing, or when it is there and m does not list it. *present is
 * 0 (HW_OK, out untouched) when it is neither listed nor there.
 */
int hw_report_read_signed(const hw_report_manifest *m, const char *dir,
			  const char *rel, hw_buf *out, int *present);
void hw_report_manifest_free(hw_report_manifest *m);

struct hw_event_list;
/*
 * Checks a ledger bundle folder (events.jsonl, checkpoint, keys) as
 * verify-report checks the one in a site: the hash chain, the signatures
 * and the checkpoint against the bundle's own keys, into events (the
 * caller frees them); then whether the key of its latest event is in the
 * list trusted_keys (NULL: none). A dir that is not a folder is
 * HW_ENOTFOUND.
 */
int hw_report_verify_bundle(const char *dir, const char *trusted_keys,
			    struct hw_event_list *events, hw_report_verify *v);

/* ---- diff: what changed between two signed reports (specs/diff.md) --- */

#define HW_DIFF_SCHEMA "hwledger.diff/1"

/* One side of a diff: a report folder verified by hw_report_verify_dir,
 * and its evidence documents (sast and frs NULL when the report has none). */
typedef struct hw_diff_side {
	const char *dir;
	char key_name[65];
	int trusted;
	cJSON *report, *trace, *sast, *frs;
	/* a site's verified manifest (the caller's): every evidence file
	 * read must match it; NULL reads them as they are */
	const hw_report_manifest *manifest;
	/* a bare ledger bundle: the latest trace event's FR statuses only */
	int bundle;
} hw_diff_side;

/*
 * Reads the evidence of a verified report folder into s (dir, key_name and
 * trusted are the caller's): a missing trace.json or report.json, malformed
 * JSON or a document of another schema is HW_EINVAL/HW_ENOTFOUND naming the
 * file (and line and column for malformed JSON), and s holds nothing.
 */
int hw_diff_load(hw_diff_side *s, const char *dir);
/* The approved FRs of a hwledger.trace/1 document that are waived: its
 * approved_verified counts them, and a waiver is no verification, so the
 * words say them apart. 0 for a trace of statuses only (a ledger's). */
int hw_trace_json_waived(const cJSON *trace);
/*
 * The same for a verified ledger bundle: the result and commit of its
 * latest trace event (the IDs and statuses a trace event keeps), the
 * side's bundle flag set; a bundle without one is HW_ENOTFOUND.
 */
int hw_diff_load_bundle(hw_diff_side *s, const char *dir,
			const struct hw_event_list *events);
struct hw_event;
/*
 * The same for one signed trace event: its result and commit, the side's
 * bundle flag set; label names the event in messages and is the side's
 * dir. An event without a trace result is HW_ENOTFOUND.
 */
int hw_diff_load_event(hw_diff_side *s, const char *label,
		       const struct hw_event *e);
/*
 * The side of a git revision: the latest trace event of events (the
 * repository's ledger, named ledger in messages, verified by the caller)
 * whose commit is commit and whose tree was clean (`"dirty": false`) and
 * whose trace check ran; label (size bytes) receives the side's name, "REV
 * (LEDGER event N)", and *found the event. None is HW_ENOTFOUND
 * naming the ledger.
 */
int hw_diff_load_commit(hw_diff_side *s, char *label, size_t size,
			const char *rev, const char *commit,
			const struct hw_event_list *events, const char *ledger,
			const struct hw_event **found);
/*
 * This run's side in `hwledger report`: CHECKS/trace.json (required) and
 * CHECKS/sast.json (when the sast check wrote one), the commit given.
 */
int hw_diff_load_checks(hw_diff_side *s, const char *checks,
			const char *commit);
void hw_diff_side_free(hw_diff_side *s);
/*
 * The hwledger.diff/1 document of a -> b into *out, and the number of
 * regressions (an FR verified in a that is not in b).
 */
int hw_diff_build(cJSON **out, const hw_diff_side *a, const hw_diff_side *b,
		  size_t *regressions);
/* The document as text ("text") or Markdown ("md"), appended to out. */
int hw_diff_print(hw_buf *out, const cJSON *diff, const char *format);

#endif
