/*
 * trace.h — the traceability engine.
 *
 * Owns: the tag scanner (a small C lexer and a shell-comment reader that
 * attribute tags to functions), the test result importers (TAP 14, JUnit and
 * cmocka XML), the lcov reader, the linker that turns FRs + tags + results +
 * coverage into per-FR status and defects, the SQLite index cache, the trace
 * outputs (text, JSON, Markdown, SARIF) and the policy gate with its
 * baseline, and traceability/reviews.json with the check of each review's
 * signed event. Depends on util, frs and ledger (review.c: event bytes and
 * signatures).
 */
#ifndef HW_TRACE_H
#define HW_TRACE_H

#include "frs/frs.h"
#include "trace/config.h"
#include "util/util.h"

#define HW_TRACE_SCHEMA "hwledger.trace/1"
#define HW_BASELINE_SCHEMA "hwledger.baseline/1"
#define HW_INDEX_PATH ".hwledger/index.db"
#define HW_BASELINE_PATH "traceability/baseline.json"
#define HW_REVIEWS_SCHEMA "hwledger.reviews/1"
#define HW_REVIEWS_PATH "traceability/reviews.json"

/* ---- tags and functions ----------------------------------------------- */

typedef enum { HW_TAG_IMPL, HW_TAG_UTEST, HW_TAG_ITEST } hw_tag_kind;
typedef enum {
	HW_SYNTAX_HWLEDGER, /* Implements: / Verifies: */
	HW_SYNTAX_OFT,      /* OpenFastTrace: [impl->fr~<ID>~<REV>] */
	HW_SYNTAX_TRACES    /* Traces to: */
} hw_tag_syntax;

typedef struct hw_tag {
	char *fr;           /* the ID as written; for a malformed tag, the text */
	int rev;            /* pinned revision, 0 = any */
	int malformed;      /* the text after the keyword is not an FR ID */
	hw_tag_kind kind;
	hw_tag_syntax syntax;
	long line;
	long col;
	long func;          /* index into the file's functions, -1 = none */
} hw_tag;

typedef struct hw_func {
	char *name;
	long first;         /* line of the name */
	long last;          /* line of the closing brace */
	int is_test;        /* a test function: in a test file, its name
			     * matches the config's test_functions (set by
			     * hw_scan_repo; hw_scan_text: test_*) */
} hw_func;

typedef enum { HW_LANG_C, HW_LANG_SH, HW_LANG_CPP, HW_LANG_PY } hw_lang;

typedef struct hw_note {
	hw_diag_level level;
	long line;
	char *message;
} hw_note;

/* A Python class with bases named by a plain name (`class B(A, C):`),
 * which pytest runs the inherited test methods of under B. */
typedef struct hw_pyclass {
	char *name;         /* module.Class, as its functions are named */
	char *bases;        /* the plain-name bases, in order, ' '-separated */
	long line;          /* line of its `class` */
} hw_pyclass;

typedef struct hw_src_file {
	char *path;         /* repository-relative */
	hw_lang lang;
	int is_test;        /* matched by the config's `tests` globs */
	hw_tag *tags;
	size_t ntags;
	hw_func *funcs;
	size_t nfuncs;
	hw_note *notes;     /* warnings and errors found while scanning */
	size_t nnotes;
	hw_pyclass *classes; /* Python, a test file's: with plain-name bases */
	size_t nclasses;
	long long size;
	long long mtime_ns;
	long long ctime_ns;
	char hash[17];      /* hw_hash64 of the content, hex; "" unread */
} hw_src_file;

/*
 * Scans one file's text for tags and functions. The lexer copes with
 * macros, preprocessor lines, strings, character literals and comments that
 * hold braces; a file it cannot make sense of gets a warning note, never a
 * crash. f->path, f->lang and f->is_test must be set.
 */
int hw_scan_text(hw_src_file *f, const char *text, size_t len);
/* hw_scan_text keeping every function, tagged or not (for SAST findings). */
int hw_scan_text_all(hw_src_file *f, const char *text, size_t len);
void hw_src_file_free(hw_src_file *f);
/* Adds a note (a warning or error at a line, 0 for the file) to f. */
int hw_src_note(hw_src_file *f, hw_diag_level level, long line,
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Keeps the functions a trace needs (tagged ones, all of a test file). */
void hw_scan_compact(hw_src_file *f);

/* ---- C++ and Python (lang.c, specs/languages.md) ----------------------- */

/* The language of a path, by its extension (C when none other). */
hw_lang hw_lang_of(const char *path);
/* The same, with a `.h` file's text: C++ when it looks like C++ (a class,
 * a namespace, a template, std::, a C++ standard header), as GitHub's
 * linguist tells them apart; else C. */
hw_lang hw_lang_of_text(const char *path, const char *text, size_t len);
/* Whether a reader is chosen by path's extension (specs/languages.md),
 * rather than C taken for a file of another kind. */
int hw_lang_known(const char *path);
/* What follows the last "::" or '.' of a qualified function name. */
const char *hw_func_base(const char *name);
/* Whether name is a C++ test macro's test ("Suite.Name", a Catch2 name). */
int hw_func_from_test_macro(hw_lang lang, const char *name);
/* Appends the module name of a Python path to b ("a/b.py": "a.b"). */
int hw_lang_py_module(hw_buf *b, const char *path);
/*
 * Appends the functions of C++ text to f (scanned for tags already), named
 * ns::Cls::name, a gtest TEST(Suite, Name) "Suite.Name".
 */
int hw_lang_cpp_functions(hw_src_file *f, const char *text, size_t len);
/* Gives each tag of f the function that holds it or follows it in text. */
int hw_lang_attribute(hw_src_file *f, const char *text, size_t len);

typedef struct hw_scan {
	hw_src_file *files;
	size_t n;
	size_t cap;
	size_t scanned;     /* files lexed in this run */
	size_t reused;      /* files taken from the index unchanged */
	hw_diags diags;     /* file-level problems: unreadable, loops, ... */
	int orphans_run;    /* the config's "orphan_tests": "run" */
} hw_scan;

/*
 * Selects the files of cfg (sources, tests, exclude; symlinked folders are
 * not followed) and scans them, reusing the index at index_path when it is
 * not NULL and writing what it read back into it (a failure to write it is
 * a warning in scan->diags: it is only a cache). Files are sorted by path.
 */
int hw_scan_repo(hw_scan *scan, const hw_config *cfg, const char *index_path);
void hw_scan_free(hw_scan *scan);

/* ---- the stored result of a run (trace memo) --------------------------- */

#define HW_MEMO_PATH ".hwledger/trace.memo"

/*
 * A key: the state of every input of a run, written out (not hashed), and
 * the run's result stored under it. A stored result replays only under the
 * same key, byte for byte, and only when every file in the key is older
 * than the second in which the stored key was begun (git's racy-timestamp
 * rule: see memo.c).
 */
typedef struct hw_memo hw_memo;

/* A key begun at start_ns (realtime; 0: now). NULL when out of memory. */
hw_memo *hw_memo_new(long long start_ns);
void hw_memo_free(hw_memo *m);
/* A string of the key (NULL is a value of its own). */
void hw_memo_add_str(hw_memo *m, const char *s);
/* A file's path and stat (size, mtime, ctime, inode; or stat's errno). */
void hw_memo_add_file(hw_memo *m, const char *path);
/* A file's path and a hash of its content (at most max bytes read). */
void hw_memo_add_digest(hw_memo *m, const char *path, size_t max);

/* A stored result: valid until hw_memo_free. */
typedef struct hw_memo_replay {
	int code;
	const char *out;
	size_t out_len;
	const char *err;
	size_t err_len;
} hw_memo_replay;

/*
 * 1, with r set, when the memo at path is whole, was stored under m's key
 * and is not racily clean; 0 for any miss (no file, another key, a damaged
 * file).
 */
int hw_memo_lookup(hw_memo *m, const char *path, hw_memo_replay *r);
/* Stores a run's result atomically at path under m's key. */
int hw_memo_store(const hw_memo *m, const char *path, const hw_buf *out,
		  const hw_buf *errout, int code);
/*
 * Adds to m the files cfg selects, in path order, as hw_scan_repo selects
 * them: each one's state, each vendored one's path (its count and first
 * name are in a warning) and what the walk said.
 */
int hw_scan_key(hw_memo *m, const hw_config *cfg);

/* ---- test results ------------------------------------------------------ */

typedef enum {
	HW_OUTCOME_PASS,
	HW_OUTCOME_FAIL,
	HW_OUTCOME_SKIP,
	HW_OUTCOME_TODO
} hw_outcome;

typedef struct hw_result {
	char *name;         /* test function name */
	char *suite;        /* JUnit classname, else its testsuite's name;
			     * Unity's FILE; TAP: NULL ("subtest" inside
			     * one). With the results file's name, what ties
			     * the result to a test file (link.c) */
	hw_outcome outcome;
	char *file;         /* the results file */
	long line;
	char *message;      /* failure message, may be NULL */
} hw_result;

typedef struct hw_results {
	hw_result *items;
	size_t n;
	size_t cap;
	size_t files;
} hw_results;

void hw_results_init(hw_results *r);
void hw_results_free(hw_results *r);
/* Detects the format (XML, Unity or TAP, by content) and imports path;
 * problems go to diags. */
int hw_results_load(hw_results *r, hw_diags *diags, const char *path,
		    size_t max_bytes);
int hw_tap_parse(hw_results *r, hw_diags *diags, const char *file,
		 const char *text, size_t len);
int hw_junit_parse(hw_results *r, hw_diags *diags, const char *file,
		   const char *text, size_t len);
/* ThrowTheSwitch Unity's output: FILE:LINE:NAME:PASS|FAIL|IGNORE lines and
 * the "N Tests N Failures N Ignored" summary of each run. */
int hw_unity_parse(hw_results *r, hw_diags *diags, const char *file,
		   const char *text, size_t len);
const char *hw_outcome_name(hw_outcome o);

/* The folder read for results when no --results is given. */
#define HW_RESULTS_DIR "build/test-results"
/*
 * The results files named by paths (files; folders: their *.xml, *.tap and
 * *.txt, sorted; a glob that names no existing file: its matches), or with
 * npaths 0 those in HW_RESULTS_DIR when it exists. Appended to *files
 * (NULL-terminated, *n of them; free with hw_strv_free). A glob that
 * matches nothing is an error at its argument in diags.
 */
int hw_results_files(char ***files, size_t *n, hw_diags *diags,
		     const char *const *paths, size_t npaths);

/* ---- coverage ---------------------------------------------------------- */

#define HW_LCOV_MAX_LINE 10000000L

typedef struct hw_lcov_file {
	char *path;         /* repository-relative when inside the repository */
	uint64_t *counts;   /* counts[line], valid where has[line] */
	unsigned char *has;
	long nlines;        /* highest line + 1 */
} hw_lcov_file;

typedef struct hw_lcov {
	hw_lcov_file *files;
	size_t n;
	size_t cap;
	size_t records;
	size_t *slots;      /* open-addressing table of file indexes + 1 */
	size_t nslots;
} hw_lcov;

void hw_lcov_init(hw_lcov *c);
void hw_lcov_free(hw_lcov *c);
/*
 * Parses an lcov tracefile (1.16 and 2.x) and merges it into c (counts of
 * the same file and line are summed, saturating). root is the repository
 * root used to make SF paths relative; paths outside it are warnings.
 */
int hw_lcov_parse(hw_lcov *c, hw_diags *diags, const char *file,
		  const char *text, size_t len, const char *root);
int hw_lcov_load(hw_lcov *c, hw_diags *diags, const char *path,
		 size_t max_bytes, const char *root);
const hw_lcov_file *hw_lcov_find(const hw_lcov *c, const char *path);

/* ---- policy ------------------------------------------------------------ */

typedef struct hw_waiver {
	char *fr;
	char *reason;
	char *expires;      /* YYYY-MM-DD */
	char *by;           /* who granted it; NULL when not said */
	long line;          /* in the policy file */
} hw_waiver;

/* "min_verified_share": {"LEVEL": share, ...}: one level's share. */
typedef struct hw_level_share {
	char *level;
	double share;
	long line;          /* in the policy file */
} hw_level_share;

typedef struct hw_policy {
	double min_verified_share;  /* of approved FRs, 0..1; with levels, of
				     * each level not in level_shares */
	hw_level_share *level_shares;
	size_t nlevel_shares;
	int untraced_report;        /* "untraced_functions": {"report": true} */
	char **untraced_allow;      /* its "allow" globs, NULL-terminated */
	double coverage_threshold;  /* percent, 0..100 */
	char **fail_on;             /* defect kinds that fail the gate */
	hw_waiver *waivers;
	size_t nwaivers;
	char *path;
} hw_policy;

int hw_policy_defaults(hw_policy *p);
/* Loads path, or the defaults when it does not exist and may_miss is set. */
int hw_policy_load(hw_policy *p, const char *path, int may_miss);
/* HW_EINVAL, at its line, when p gives a share to a level m lacks. */
int hw_policy_check_levels(const hw_policy *p, const hw_frs_model *m);
void hw_policy_free(hw_policy *p);

/* ---- the trace: per-FR status and defects ------------------------------ */

typedef enum {
	HW_ST_VERIFIED,
	HW_ST_FAILING,
	HW_ST_UNTESTED,
	HW_ST_PARTIAL,
	HW_ST_UNCOVERED,
	HW_ST_WAIVED
} hw_fr_state;

typedef enum {
	HW_DEF_UNKNOWN_FR,
	HW_DEF_OUTDATED_REV,
	HW_DEF_SUSPECT_TEXT,
	HW_DEF_DUPLICATE_FR,
	HW_DEF_ORPHAN_TEST,
	HW_DEF_NO_RESULT,
	HW_DEF_FAILING_TEST,
	HW_DEF_DEPRECATED_IMPL,
	HW_DEF_MALFORMED_TAG,
	HW_DEF_EXPIRED_WAIVER,
	HW_DEF_LOW_COVERAGE,
	HW_DEF_SAST_ERROR,
	HW_DEF_UNCOVERED_PARENT,   /* an approved parent no approved child covers */
	HW_DEF_UNKNOWN_PARENT,
	HW_DEF_PARENT_NOT_HIGHER,  /* a Parent of the same or a lower level */
	HW_DEF_DEPRECATED_PARENT,
	HW_DEF_LINK_CYCLE,         /* through Parent or Depends */
	HW_DEF_DERIVED_NO_RATIONALE,
	HW_DEF_UNTRACED_FUNCTION,  /* a source function no Implements tag
				    * names; only when the policy asks */
	HW_DEF_SUSPECT_LINK,       /* a link to a requirement (or to one of
				    * its descendants) changed since review */
	HW_DEF_RESULT_WITHOUT_TEST, /* an imported result no test function
				     * is found for */
	HW_DEF_REVIEW_UNVERIFIED,  /* a reviews.json entry its signed event
				    * does not prove */
	HW_DEF_COUNT
} hw_defect_kind;

typedef struct hw_defect {
	hw_defect_kind kind;
	char id[96];        /* "kind-<16 hex>", stable across line moves */
	char *fr;           /* may be NULL */
	char *file;
	long line;
	char *message;
} hw_defect;

/* One link from an FR to a function (impl) or a test. */
typedef struct hw_link {
	hw_tag_kind kind;
	const hw_src_file *file;
	const hw_func *func;    /* NULL: tag outside any function */
	const hw_tag *tag;
	int outcome;            /* tests: hw_outcome, or -1 when no result */
	int runs;               /* how many results matched */
	int ambiguous;          /* results that may be this test's or another
				 * of the same name: never a pass */
} hw_link;

typedef struct hw_fr_trace {
	const hw_fr *fr;
	hw_fr_state state;
	hw_link *links;
	size_t nlinks;
	size_t impl;            /* distinct implementing functions */
	size_t tests;           /* linked tests */
	size_t tests_passed;
	long cov_lines;         /* executable lines of implementing functions */
	long cov_hit;
	int cov_known;          /* 1 when any coverage data matched */
	size_t ndefects;        /* defects that name this FR */
	unsigned missing;       /* needed kinds (HW_NEED_*) with no link */
	const hw_waiver *waiver;
	/* levels (specs/traceability.md, "Levels and roll-up") */
	size_t *children;       /* indexes into hw_trace.frs of the children
				 * whose Parent names this one and is higher */
	size_t nchildren;
	int rolled;             /* the state was rolled up from children */
	const hw_fr *blame;     /* the child the roll-up's reason names */
} hw_fr_trace;

typedef struct hw_trace {
	hw_fr_trace *frs;
	size_t nfrs;
	hw_defect *defects;
	size_t ndefects;
	size_t dcap;
	double threshold;
	int have_results;
	int have_coverage;
	const hw_frs_model *model; /* the FR set's; NULL or no levels: flat */
	size_t *kids;           /* storage of every FR's children */
	hw_tag **level_tags;    /* well-formed copies of the tags whose ID is
				 * another level's (link.c, level_tag) */
	size_t nlevel_tags, level_tags_cap;
} hw_trace;

/* The number of levels of t (1 when flat) and the name of level i. */
size_t hw_trace_nlevels(const hw_trace *t);
const char *hw_trace_level_name(const hw_trace *t, int i);
/* The roll-up's reason for ft's state, e.g. "child SW-A-002 is failing",
 * into out; "" when its state was not rolled up. */
void hw_trace_reason(char *out, size_t size, const hw_fr_trace *ft);

/* The baseline ratchet file: defect ids, FR states and FR text hashes. */
typedef struct hw_baseline {
	char **defects;          /* sorted ids */
	size_t ndefects;
	char **fr_ids;           /* sorted, parallel to the arrays below */
	int *fr_rev;
	char (*fr_sha)[HW_SHA256_HEX_LEN + 1];
	int *fr_state;           /* hw_fr_state, -1 unknown */
	size_t nfrs;
	int loaded;
} hw_baseline;

int hw_baseline_load(hw_baseline *b, const char *path, int may_miss);
void hw_baseline_free(hw_baseline *b);

/* One entry of traceability/reviews.json: the state of a requirement as
 * last reviewed, and the signed review event (in the file's "events") that
 * recorded the review. */
typedef struct hw_review {
	char *id;
	int rev;
	char sha256[HW_SHA256_HEX_LEN + 1];
	char *reason;
	char *date;              /* YYYY-MM-DD */
	char *key_id;            /* the signing key's name+id */
	long long seq;           /* the review event's sequence number */
	char event_hash[HW_SHA256_HEX_LEN + 1];
	long line, col;          /* in the file, for messages; 0 when new */
	int verified;            /* its event verifies and lists it */
	int key_unlisted;        /* not verified: its signer is not trusted */
	char *why;               /* when not verified, why not */
} hw_review;

struct hw_event;
struct hw_review_event;      /* review.c: a signed event and its check */

/* traceability/reviews.json (hwledger.reviews/1), one entry per ID,
 * sorted by ID, and the signed events they name, sorted by hash. */
typedef struct hw_reviews {
	hw_review *items;
	size_t n, cap;
	struct hw_review_event *events;
	size_t nevents, events_cap;
	const char *path;        /* not owned */
} hw_reviews;

/*
 * Loads path (none when may_miss and it does not exist); a malformed file,
 * or one with two entries of an ID, is HW_EINVAL at its line and column.
 * Each entry is then checked against its signed event and the keys of
 * traceability/trusted_keys (specs/traceability.md, "Change impact and
 * reviews"): verified is set, or why says what failed.
 */
int hw_reviews_load(hw_reviews *r, const char *path, int may_miss);
/* Adds or replaces the entry of e->id (e's strings are copied), recorded
 * by the signed event ev: its seq, event_hash and date come from ev, which
 * is added to the file's events. */
int hw_reviews_put(hw_reviews *r, const hw_review *e,
		   const struct hw_event *ev);
/* The entry of id, or NULL. */
const hw_review *hw_reviews_find(const hw_reviews *r, const char *id);
/* Writes r atomically to path, with the events its entries name. */
int hw_reviews_write(const hw_reviews *r, const char *path);
void hw_reviews_free(hw_reviews *r);
/*
 * The reviewed state of id: its verified reviews entry, else its baseline
 * entry (either may be NULL). Returns 0 when it was never reviewed, else 1
 * with *rev and *sha set.
 */
int hw_reviewed_state(const hw_reviews *r, const hw_baseline *b,
		      const char *id, int *rev, const char **sha);

/*
 * Joins everything. today is "YYYY-MM-DD" (waiver expiry); baseline may be
 * NULL (no suspect-text check); reviews may be NULL. The reviewed state of
 * each requirement (hw_reviewed_state) decides the suspect links.
 */
int hw_trace_build(hw_trace *t, const hw_fr_set *frs, const hw_scan *scan,
		   const hw_results *results, const hw_lcov *lcov,
		   const hw_policy *policy, const hw_baseline *baseline,
		   const hw_reviews *reviews, const char *today);
void hw_trace_free(hw_trace *t);

/*
 * Reads a `hwledger sast --format json` file (schema hwledger.sast/1) and,
 * for every open error-level finding (not suppressed, leading its group),
 * adds a sast-error defect to each FR its function implements; such an FR
 * is `failing`, whatever its tests say. A baselined finding still counts:
 * only an inline suppression with a reason excuses it.
 */
int hw_trace_apply_sast(hw_trace *t, const char *path);

/*
 * With the policy's "untraced_functions" report on, lexes the source
 * files of scan again keeping every function (the scan keeps only tagged
 * ones) and adds an untraced-function defect for each function no
 * Implements tag names, unless an "allow" glob matches its file's path
 * or its name. max_bytes caps each file read.
 */
int hw_trace_untraced(hw_trace *t, const hw_scan *scan, const hw_policy *p,
		      size_t max_bytes);

const char *hw_fr_state_name(hw_fr_state s);
const char *hw_defect_kind_name(hw_defect_kind k);
int hw_defect_kind_from_name(const char *name);

/* ---- outputs ----------------------------------------------------------- */

/* How many approved FRs are waived: the share of approved FRs verified
 * counts them (the gate judges it), the words say them apart. */
size_t hw_trace_approved_waived(const hw_trace *t);
int hw_trace_write_text(hw_buf *out, const hw_trace *t, int color);
int hw_trace_write_json(hw_buf *out, const hw_trace *t);
int hw_trace_write_md(hw_buf *out, const hw_trace *t);
int hw_trace_write_sarif(hw_buf *out, const hw_trace *t);
int hw_baseline_write(const char *path, const hw_trace *t);

/* ---- gate -------------------------------------------------------------- */

/*
 * Applies the policy (and the baseline when b->loaded) to t; every reason
 * the gate fails is added to reasons as an error. Returns 0 (pass) or
 * HW_EFAIL.
 */
int hw_gate(const hw_trace *t, const hw_policy *p, const hw_baseline *b,
	    hw_diags *reasons, const char *today);

#endif
