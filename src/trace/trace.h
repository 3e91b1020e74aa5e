/*
 * trace.h — the traceability engine.
 *
 * Owns: the tag scanner (a small C lexer and a shell-comment reader that
 * attribute tags to functions), the test result importers (TAP 14, JUnit and
 * cmocka XML), the lcov reader, the linker that turns FRs + tags + results +
 * coverage into per-FR status and defects, the SQLite index cache, the trace
 * outputs (text, JSON, Markdown, SARIF) and the policy gate with its
 * baseline. Depends on util and frs.
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

typedef enum { HW_LANG_C, HW_LANG_SH } hw_lang;

typedef struct hw_note {
	hw_diag_level level;
	long line;
	char *message;
} hw_note;

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

typedef struct hw_scan {
	hw_src_file *files;
	size_t n;
	size_t cap;
	size_t scanned;     /* files lexed in this run */
	size_t reused;      /* files taken from the index unchanged */
	hw_diags diags;     /* file-level problems: unreadable, loops, ... */
	int orphans_run;    /* the config's "orphan_tests": "run" */
	void *storing;      /* the index being written in the background */
} hw_scan;

/*
 * Selects the files of cfg (sources, tests, exclude; symlinked folders are
 * not followed) and scans them, reusing the index at index_path when it is
 * not NULL. Files are sorted by path.
 */
int hw_scan_repo(hw_scan *scan, const hw_config *cfg, const char *index_path);
/*
 * hw_scan_repo writes the index on a thread of its own while the caller
 * goes on reading the scan; this waits for it. A failure to write it is a
 * warning added to late (it is only a cache). Safe to call more than once.
 */
int hw_scan_finish(hw_scan *scan, hw_diags *late);
void hw_scan_free(hw_scan *scan);

/* ---- the stored result of a run (trace memo) --------------------------- */

#define HW_MEMO_PATH ".hwledger/trace.memo"

struct stat;

/*
 * The key of a stored result: the state of every input, written out (paths,
 * stats, options), compared byte for byte with the key of the memo stored
 * before as it is added, so that an unchanged run never builds a copy of
 * its key nor reads the stored output into memory. newest_ns is the latest
 * mtime or ctime seen, start_ns when the key was begun.
 */
typedef struct hw_memo {
	hw_buf key;         /* the key, built once it leaves the stored one */
	long long start_ns;
	long long newest_ns;
	int err;            /* a failed append: the memo is neither read nor stored */
	int differs;        /* the key has left the stored one (or none stored) */
	size_t same;        /* bytes of the key equal to the stored key's so far */
	unsigned char *map; /* the stored memo, mapped whole; NULL if none */
	size_t map_len;
	const unsigned char *skey; /* in map: the stored key */
	size_t sklen;
	/* the sources' files (hw_scan_state_finish) in this key and in the
	 * stored one, and the folders walked to find them, each a path ending
	 * in '/' and its state (not part of the key); folders empty when the
	 * files are not to be listed from the key again */
	size_t src_off, src_len;
	hw_buf folders;
	const unsigned char *ssrc;
	size_t ssrc_off, ssrc_len;
	const unsigned char *sfolders;
	size_t sfolders_len;
	int listed_from_key; /* this key's files are the stored key's */
	int unchecked;       /* mapped, its checksum not yet checked */
	/* the stored result, valid when hw_memo_hit and until hw_memo_free */
	int code;
	const char *errout;
	size_t elen;
	const char *out;
	size_t olen;
} hw_memo;

/*
 * Begins a key, to be compared with the memo stored at path (NULL: none;
 * an absent, damaged or truncated file is no memo).
 */
void hw_memo_init(hw_memo *m, const char *path);
/*
 * Compares a key begun without one with the memo stored at path, so that a
 * caller can start other work between the two; nothing may have been added
 * yet (a key already begun is left as it is). hw_memo_load maps the memo
 * and checks it whole; hw_memo_map only maps it and reads its header, and
 * the caller (another thread may do it) must check it with hw_memo_check
 * and say so with hw_memo_checked before anything but the comparison is
 * trusted: an unchecked memo never replays, one not whole is dropped and
 * the key built from where it had got to.
 */
void hw_memo_load(hw_memo *m, const char *path);
void hw_memo_map(hw_memo *m, const char *path);
int hw_memo_check(const hw_memo *m);
void hw_memo_checked(hw_memo *m, int whole);
void hw_memo_free(hw_memo *m);
/* The length of the key so far. */
size_t hw_memo_len(const hw_memo *m);
/*
 * The folders' states that let the next run list this key's files again
 * (p, n: entries of a path ending in '/' and its hw_memo_file), stored with
 * the memo unless one changed at newest_ns, less than a second before the
 * key was begun.
 */
void hw_memo_set_folders(hw_memo *m, const void *p, size_t n,
			 long long newest_ns);
/* A string of the key (NULL is a value of its own). */
void hw_memo_add_str(hw_memo *m, const char *s);
/*
 * A file's state as the key holds it: its errno when stat failed (else 0),
 * size, mtime and ctime in nanoseconds, inode, device and mode.
 */
typedef struct hw_memo_file {
	long long v[7];
} hw_memo_file;

void hw_memo_state(hw_memo_file *f, const struct stat *st, int stat_errno);
void hw_memo_add_state(hw_memo *m, const char *path, const hw_memo_file *f);
/* A file's state: path and stat, or the errno of the failed stat. */
void hw_memo_add_stat(hw_memo *m, const char *path, const struct stat *st,
		      int stat_errno);
void hw_memo_add_file(hw_memo *m, const char *path);
/*
 * The state of every file cfg selects, in path order, and the walk's
 * diagnostics, as hw_scan_repo would select them, gathered on a second
 * thread while the caller builds the rest of its key:
 * hw_scan_state_start starts it (cfg must outlive the job),
 * hw_scan_state_go hands it m's stored memo, which must outlive the job,
 * hw_scan_state_finish joins in the stats, waits, adds it all to
 * m, with the state of every folder walked (hw_memo_set_folders), and frees
 * the job. start returns NULL only when out of memory; finish takes NULL as
 * that.
 *
 * A folder's listing changes its mtime and ctime: when every folder the
 * stored run walked has the state it had, the stored key's files are the
 * ones a walk would select, and they are statted without reading a folder
 * (used only when the rest of the key is equal to the stored one up to
 * them, and the stored walk said nothing).
 */
typedef struct hw_scan_state_job hw_scan_state_job;
hw_scan_state_job *hw_scan_state_start(const hw_config *cfg);
/* m's stored memo is mapped (or none will be): the listing may begin. With
 * a second thread, m is checked (hw_memo_checked) and its listing used
 * here, on the caller's thread, before anything is added to m. */
void hw_scan_state_go(hw_scan_state_job *job, hw_memo *m);
int hw_scan_state_finish(hw_scan_state_job *job, hw_memo *m);
/*
 * 1 when the stored memo is whole and was stored under the same key as the
 * one now complete: its exit code, stderr and output are in m->code,
 * m->errout and m->out. 0 for any miss.
 */
int hw_memo_hit(const hw_memo *m);
/*
 * Stores a run's result atomically at path under m's key, unless an input
 * changed less than a second before the key was begun (then nothing is
 * stored).
 */
int hw_memo_store(const hw_memo *m, const char *path, const hw_buf *out,
		  const hw_buf *errout, int code);
/*
 * After a replay whose files were found by a walk (a folder changed, but
 * not what the config selects), stores the same result again with the
 * folders' new states, so that the next run lists the files from the key.
 */
int hw_memo_refresh(const hw_memo *m, const char *path);

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

typedef struct hw_policy {
	double min_verified_share;  /* of approved FRs, 0..1 */
	double coverage_threshold;  /* percent, 0..100 */
	char **fail_on;             /* defect kinds that fail the gate */
	hw_waiver *waivers;
	size_t nwaivers;
	char *path;
} hw_policy;

int hw_policy_defaults(hw_policy *p);
/* Loads path, or the defaults when it does not exist and may_miss is set. */
int hw_policy_load(hw_policy *p, const char *path, int may_miss);
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
} hw_trace;

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

/*
 * Joins everything. today is "YYYY-MM-DD" (waiver expiry); baseline may be
 * NULL (no suspect-text check).
 */
int hw_trace_build(hw_trace *t, const hw_fr_set *frs, const hw_scan *scan,
		   const hw_results *results, const hw_lcov *lcov,
		   const hw_policy *policy, const hw_baseline *baseline,
		   const char *today);
void hw_trace_free(hw_trace *t);

/*
 * Reads a `hwledger sast --format json` file (schema hwledger.sast/1) and,
 * for every open error-level finding (not suppressed, leading its group),
 * adds a sast-error defect to each FR its function implements; such an FR
 * is `failing`, whatever its tests say. A baselined finding still counts:
 * only an inline suppression with a reason excuses it.
 */
int hw_trace_apply_sast(hw_trace *t, const char *path);

const char *hw_fr_state_name(hw_fr_state s);
const char *hw_defect_kind_name(hw_defect_kind k);
int hw_defect_kind_from_name(const char *name);

/* ---- outputs ----------------------------------------------------------- */

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
