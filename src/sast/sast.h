/*
 * sast.h — static analysis findings from four analyzers, unified.
 *
 * Owns: importers for cppcheck XML v2, clang-tidy text, SARIF 2.1.0 (any
 * producer: flawfinder, gcc) and gcc's JSON diagnostics; the unified
 * finding (tool, rule, severity with the tool's own level, CWE, place,
 * message, notes, enclosing function, FRs, a fingerprint that survives
 * unrelated line moves); grouping of one defect reported by several tools;
 * inline suppressions and the baseline; text, JSON and SARIF output; the
 * runners of the four tools over BUILD/compile_commands.json.
 * See specs/sast.md. Depends on util and trace.
 */
#ifndef HW_SAST_H
#define HW_SAST_H

#include "trace/trace.h"
#include "util/util.h"

#define HW_SAST_SCHEMA "hwledger.sast/1"
#define HW_SAST_BASELINE "traceability/sast-baseline.json"

typedef enum { HW_SEV_ERROR, HW_SEV_WARNING, HW_SEV_NOTE } hw_severity;

/* One place a finding points at besides its own: a step of its path, or a
 * related location. file goes through the same normalisation as the
 * finding's own file (hw_sast_place). */
typedef struct hw_sast_step {
	char *file; /* "" when the tool gave none */
	long line, col;
	char *message;
} hw_sast_step;

typedef struct hw_finding {
	char tool[24];
	char *rule;
	hw_severity severity;
	char *tool_level;       /* the tool's own word: style, portability, … */
	int cwe;                /* 0 when not given */
	char *file;             /* repository-relative when inside it */
	long line, col;
	char *message;
	char *notes;            /* text without a place (cppcheck's verbose) */
	hw_sast_step *steps;    /* the path to the defect, in order: SARIF
				   codeFlows */
	size_t nsteps;
	hw_sast_step *related;  /* notes at a place that are not a path:
				   SARIF relatedLocations */
	size_t nrelated;
	char *function;         /* enclosing function, "" when unknown */
	char fingerprint[33];
	char **frs;             /* FRs its function implements */
	int suppressed;
	char *suppress_reason;
	long group;             /* index of the first finding of its group */
	int in_baseline;
} hw_finding;

/* One unit (or one whole-project run) an analyzer failed on. */
typedef struct hw_sast_failure {
	char *unit;    /* repository-relative, or "<outside>/NAME" */
	char *message; /* why: exit status, the first error line of its output */
} hw_sast_failure;

/* One analyzer's run (specs/sast.md, "Failed units"). */
typedef struct hw_sast_run_stats {
	char tool[24];
	size_t units;              /* the units it was given */
	size_t failed;             /* the units it failed on */
	hw_sast_failure *failures; /* why; one with unit "" when a run over
				      the whole scope failed */
	size_t nfailures;
} hw_sast_run_stats;

typedef struct hw_findings {
	hw_finding *items;
	size_t n, cap;
	hw_sast_run_stats *runs; /* the analyzers run, or read from a
				    hwledger.sast-run/1 file */
	size_t nruns;
} hw_findings;

#define HW_SAST_RUN_SCHEMA "hwledger.sast-run/1"
#define HW_SAST_OUTSIDE "<outside>/"

void hw_findings_free(hw_findings *f);
const char *hw_severity_name(hw_severity s);

/* Detects the format of path and imports it; problems go to diags. */
int hw_sast_import(hw_findings *f, hw_diags *diags, const char *path);
int hw_sast_import_text(hw_findings *f, hw_diags *diags, const char *file,
			const char *text, size_t len);

/*
 * Makes paths relative to root, finds each finding's enclosing function and
 * its FRs (from the tags in that file), reads the flagged line for the
 * fingerprint and inline suppressions, and groups duplicates.
 */
int hw_sast_resolve(hw_findings *f, hw_diags *diags, const char *root);

/*
 * The path as it may be published: repository-relative (lexically
 * normalized, then through realpath where the file exists) with *inside
 * set, or "<outside>/NAME" (the absolute path of this machine is never
 * published). NULL when out of memory.
 */
char *hw_sast_place(const char *path, const char *root, int *inside);
/* Rewrites the absolute paths in *text the same way. */
int hw_sast_scrub(char **text, const char *root);

/* qsort order of hw_finding pointers: file, line, then report order. */
int hw_finding_cmp_place(const void *a, const void *b);

/*
 * Runs one analyzer ("cppcheck", "clang-tidy", "flawfinder", "gcc") over
 * the units of build/compile_commands.json in the scope (globs, minus
 * exclude; one entry per file), jobs processes at a time, reports under
 * build/sast/run/, and imports them; adds its run to f->runs and writes it
 * to build/sast/run/run-TOOL.json. A tool that is not installed is HW_EIO
 * with *not_installed set.
 */
int hw_sast_run(hw_findings *f, hw_diags *diags, const char *tool,
		const char *build, char *const *scope, char *const *exclude,
		int jobs, int *not_installed);

/* Adds an empty run of tool over units to f; NULL when out of memory. */
hw_sast_run_stats *hw_sast_add_run(hw_findings *f, const char *tool,
				   size_t units);

/* A run that failed on more than a small share of its units (any unit
 * of fewer than 10, more than 10 % of more): the analysis is incomplete. */
int hw_sast_run_incomplete(const hw_sast_run_stats *r);
/* One run as a hwledger.sast-run/1 document. */
int hw_sast_run_json(hw_buf *out, const hw_sast_run_stats *r);

/* Baseline: the fingerprints of accepted findings. */
int hw_sast_baseline_apply(hw_findings *f, const char *path);
/* Writes the fingerprints of the findings not suppressed, each once; the
 * number written in *written when it is not NULL. */
int hw_sast_baseline_write(const hw_findings *f, const char *path,
			   size_t *written);

/* Open findings that fail the gate: not suppressed, not in the baseline,
 * not a duplicate in a group, not a note. */
size_t hw_sast_new_count(const hw_findings *f);
int hw_sast_is_new(const hw_findings *f, size_t i);
/* The counts of the text summary: open findings by severity (leaders not
 * suppressed), suppressed leaders and duplicates (every finding but its
 * group's leader, suppressed or not); they add up to f->n. */
void hw_sast_counts(const hw_findings *f, size_t open[3], size_t *sup,
		    size_t *dup);

/* With spill set, output goes there as it is made; out keeps the tail. */
int hw_sast_json(hw_buf *out, const hw_findings *f, FILE *spill);
int hw_sast_sarif(hw_buf *out, const hw_findings *f, FILE *spill);
int hw_sast_text(hw_buf *out, const hw_findings *f);

#endif
