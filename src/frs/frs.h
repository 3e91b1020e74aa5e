/*
 * frs.h — functional requirement documents.
 *
 * Owns: parsing the `*.md` files of frs/ with cmark's AST into hw_fr records (one FR per
 * level-2 heading `ID: title`, a first paragraph of `Key: value` lines, then
 * the FR's Markdown text), the SHA-256 of each FR's normalised text, and the
 * lint rules of specs/fr-format.md. Depends on util only.
 */
#ifndef HW_FRS_H
#define HW_FRS_H

#include "util/util.h"


#define HW_FRS_SCHEMA "hwledger.frs/1"
/* The longest FR ID: it names the FR's page (fr/ID.html) and must stay a
 * file name on every file system (specs/fr-format.md). */
#define HW_FR_ID_MAX 64

typedef enum {
	HW_FR_DRAFT,
	HW_FR_APPROVED,
	HW_FR_DEPRECATED
} hw_fr_status;

enum {
	HW_NEED_IMPL = 1,
	HW_NEED_UTEST = 2,
	HW_NEED_ITEST = 4
};

typedef struct hw_fr {
	char *id;           /* "FR-TRACE-001" or "NFR-..." */
	char *title;
	char *body;         /* the FR's Markdown text, as written */
	char *file;         /* path as given to the loader */
	long line;          /* line of the heading */
	long body_line;     /* first line of body, 0 when there is none */
	int rev;            /* >= 1 */
	hw_fr_status status;
	unsigned needs;     /* HW_NEED_* bits */
	char sha256[HW_SHA256_HEX_LEN + 1]; /* of the normalised title + text */
} hw_fr;

typedef struct hw_fr_set {
	hw_fr *items;
	size_t n;
	size_t cap;
	size_t files;       /* number of files loaded */
} hw_fr_set;

void hw_fr_set_init(hw_fr_set *set);
void hw_fr_set_free(hw_fr_set *set);

/*
 * Parses one FR document held in text[0..len) and appends its FRs to set.
 * Every problem (malformed heading or ID, missing/invalid/unknown keys, an FR
 * with no text, non-UTF-8 or binary content) is added to diags with its
 * file:line; the FRs that are well-formed enough to identify are still
 * added, with defaults for what was missing. Returns 0, or a negative code
 * for failures that are not about the input (out of memory).
 */
int hw_frs_parse(hw_fr_set *set, hw_diags *diags, const char *file,
		 const char *text, size_t len);

/*
 * Loads every `*.md` file directly in dir, in name order. Files over
 * max_bytes, empty, binary or unreadable files are diagnostics, not crashes.
 * A missing dir is HW_ENOTFOUND.
 */
int hw_frs_load_dir(hw_fr_set *set, hw_diags *diags, const char *dir,
		    size_t max_bytes);

/*
 * Cross-FR rules: duplicate IDs (naming both places) and references in FR
 * text to FR IDs that do not exist.
 */
int hw_frs_lint(const hw_fr_set *set, hw_diags *diags);

const hw_fr *hw_frs_find(const hw_fr_set *set, const char *id);

/*
 * Returns the length of the FR ID at s[0..n) — `FR-` or `NFR-`, upper-case
 * letters, `-`, three or more digits — or 0 when s does not start with one.
 */
size_t hw_fr_id_len(const char *s, size_t n);
int hw_fr_id_valid(const char *id);

const char *hw_fr_status_name(hw_fr_status s);
/* Writes "impl, utest" style text for needs into out (at least 32 bytes). */
void hw_fr_needs_text(char *out, size_t size, unsigned needs);

/* Appends the `frs list --json` document (pretty, newline-terminated). */
int hw_frs_json(hw_buf *out, const hw_fr_set *set);

#endif
