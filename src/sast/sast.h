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

typedef struct hw_finding {
	char tool[24];
	char *rule;
	hw_severity severity;
	char *tool_level;       /* the tool's own word: style, portability, … */
	int cwe;                /* 0 when not given */
	char *file;             /* repository-relative when inside it */
	long line, col;
	char *message;
	char *notes;            /* the tool's notes or analyzer path, one a line */
	char *function;         /* enclosing function, "" when unknown */
	char fingerprint[33];
	char **frs;             /* FRs its function implements */
	int suppressed;
	char *suppress_reason;
	long group;             /* index of the first finding of its group */
	int in_baseline;
} hw_finding;

typedef struct hw_findings {
	hw_finding *items;
	size_t n, cap;
} hw_findings;

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

/* qsort order of hw_finding pointers: file, line, then report order. */
int hw_finding_cmp_place(const void *a, const void *b);

/*
 * Runs one analyzer ("cppcheck", "clang-tidy", "flawfinder", "gcc") over
 * build/compile_commands.json, jobs processes at a time, reports under
 * build/sast/run/, and imports them. A tool that is not installed is
 * HW_EIO with *not_installed set.
 */
int hw_sast_run(hw_findings *f, hw_diags *diags, const char *tool,
		const char *build, int jobs, int *not_installed);

/* Baseline: the fingerprints of accepted findings. */
int hw_sast_baseline_apply(hw_findings *f, const char *path);
int hw_sast_baseline_write(const hw_findings *f, const char *path);

/* Open findings that fail the gate: not suppressed, not in the baseline,
 * not a duplicate in a group, not a note. */
size_t hw_sast_new_count(const hw_findings *f);
size_t hw_sast_suppressed_count(const hw_findings *f);

/* With spill set, output goes there as it is made; out keeps the tail. */
int hw_sast_json(hw_buf *out, const hw_findings *f, FILE *spill);
int hw_sast_sarif(hw_buf *out, const hw_findings *f, FILE *spill);
int hw_sast_text(hw_buf *out, const hw_findings *f);

#endif
