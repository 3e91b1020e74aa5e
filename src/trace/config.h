/*
 * trace/config.h — the repository configuration, traceability/config.json:
 * where the FRs, sources and tests are, and the limits on inputs; its
 * defaults and its strict reading.
 */
#ifndef HW_TRACE_CONFIG_H
#define HW_TRACE_CONFIG_H

#include <stddef.h>

#include "frs/frs.h"

#define HW_CONFIG_PATH "traceability/config.json"
#define HW_POLICY_PATH "traceability/policy.json"
#define HW_CONFIG_SCHEMA "hwledger.config/1"
#define HW_DEFAULT_MAX_FILE_BYTES ((size_t)4 << 20)

typedef struct hw_config {
	char *frs_dir;          /* default "frs" */
	char **sources;         /* NULL-terminated globs */
	char **tests;
	char **exclude;
	char **vendored;        /* left out like exclude, with a warning;
				 * default: folders named unity, third_party
				 * and vendor anywhere */
	char **test_functions;  /* name globs of tests in test files;
				 * default test_* */
	int orphans_run;        /* "orphan_tests": "run": only a function a
				 * result names is an orphan, not every name */
	size_t max_file_bytes;  /* cap on every input file; default 4 MiB */
	int from_file;          /* 1 when read from HW_CONFIG_PATH */
	char **sast_scope;      /* "sast": {"scope": [...]}; NULL: the sources */
	hw_frs_model model;     /* "levels" and "attributes"; none: one flat
				 * level of FR-/NFR- IDs in frs_dir */
} hw_config;

/* Fills c with the defaults of the brief (used when no config exists). */
int hw_config_defaults(hw_config *c);
/*
 * Loads HW_CONFIG_PATH relative to the current directory, or the defaults
 * when it does not exist. Unknown keys and wrong types are HW_EINVAL with
 * file:line:col.
 */
int hw_config_load(hw_config *c);
void hw_config_free(hw_config *c);
/* The config.json text that `hwledger init` writes, selecting the
 * sources and tests globs (NULL-terminated, written as they are: plain
 * paths and glob characters); the default selection when both are empty
 * or NULL. */
int hw_config_text(hw_buf *out, const char *const *sources,
		   const char *const *tests);
const char *hw_policy_default_text(void);

#endif
