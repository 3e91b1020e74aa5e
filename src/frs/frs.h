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

#include <regex.h>


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

/* ---- the requirement model: levels and attributes (traceability/config.json,
 * specs/fr-format.md "Levels") ---- */

typedef struct hw_level {
	char *name;         /* "system", "software", ... */
	char *ids;          /* the POSIX ERE as written in the config */
	regex_t re;         /* ids compiled, anchored to the whole ID */
	char *dir;          /* the folder of its requirement files */
	unsigned needs;     /* the default Needs of its requirements */
} hw_level;

typedef enum {
	HW_ATTR_STRING,
	HW_ATTR_ENUM,
	HW_ATTR_LIST,
	HW_ATTR_DATE
} hw_attr_type;

typedef struct hw_attr_decl {
	char *name;         /* the key, e.g. "Safety" */
	hw_attr_type type;
	char **values;      /* enum: the allowed values, NULL-terminated */
} hw_attr_decl;

/* Levels top down (none: the single flat level of FR-/NFR- IDs) and the
 * custom attributes requirement files may use. */
typedef struct hw_frs_model {
	hw_level *levels;
	size_t nlevels;
	hw_attr_decl *attrs;
	size_t nattrs;
} hw_frs_model;

void hw_frs_model_free(hw_frs_model *m);
/* The index of the level whose pattern matches the whole of id, -1 when
 * none does, -2 when more than one does (*second, when not NULL, gets the
 * second level's index). Without levels: 0 for an FR-/NFR- ID, else -1. */
int hw_frs_model_level(const hw_frs_model *m, const char *id, int *second);

/* A custom attribute's value, as written. */
typedef struct hw_fr_attr {
	char *name;         /* the declared key */
	char *value;
	long line;
} hw_fr_attr;

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
	int level;          /* index into the model's levels; 0 without */
	char **parents;     /* Parent: IDs as written, NULL-terminated */
	size_t nparents;
	long parents_line;  /* the line of the Parent key */
	char **depends;     /* Depends: IDs, NULL-terminated */
	size_t ndepends;
	long depends_line;
	int derived;        /* Derived: yes */
	char *rationale;    /* Rationale:, NULL when none */
	hw_fr_attr *attrs;  /* custom attributes, in the order written */
	size_t nattrs;
} hw_fr;

typedef struct hw_fr_set {
	hw_fr *items;
	size_t n;
	size_t cap;
	size_t files;       /* number of files loaded */
	/* the model the parser checks IDs and keys against (NULL: the flat
	 * FR-/NFR- level, no custom attributes) and the level of the files
	 * parsed next; set by hw_frs_load */
	const hw_frs_model *model;
	int level;
	/* the positions of items sorted by ID, equal IDs in file order, for
	 * hw_frs_find; current while nbyid == n (hw_frs_index) */
	size_t *byid;
	size_t nbyid;
	/* the parser's index of model's attributes: sorted by name (the
	 * first declared first among equal names), and per attribute the
	 * number (n at its parse) of the FR that last gave it, so that a key
	 * costs a binary search and a duplicate one look, not two scans;
	 * built for attr_model at the first custom key */
	const hw_attr_decl **attr_by_name;
	size_t *attr_fr;
	const hw_frs_model *attr_model;
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
 * Loads the requirement files of every level of model (a NULL model or one
 * without levels: the *.md files of frs_dir) into set, top level first,
 * and keeps model in set for the lint.
 */
int hw_frs_load(hw_fr_set *set, hw_diags *diags, const hw_frs_model *model,
		const char *frs_dir, size_t max_bytes);

/*
 * Cross-FR rules: duplicate IDs (naming both places) and references in FR
 * text to FR IDs that do not exist.
 */
int hw_frs_lint(const hw_fr_set *set, hw_diags *diags);

/*
 * Sorts the set's positions by ID, so that hw_frs_find takes log n steps
 * instead of n; hw_frs_load calls it. Adding FRs afterwards makes the
 * index stale, and hw_frs_find reads the items one by one again.
 */
int hw_frs_index(hw_fr_set *set);

/* The first FR with this ID, in file order; NULL when there is none. */
const hw_fr *hw_frs_find(const hw_fr_set *set, const char *id);

/*
 * Returns the length of the FR ID at s[0..n) — `FR-` or `NFR-`, upper-case
 * letters, `-`, three or more digits — or 0 when s does not start with one.
 */
size_t hw_fr_id_len(const char *s, size_t n);
int hw_fr_id_valid(const char *id);
/*
 * The length of a requirement ID token of any level at s[0..n) — two or
 * more upper-case letters, '-', then letters, digits, '_' and '-', ending
 * in a letter or digit — or 0. Level patterns select among such tokens.
 */
size_t hw_req_id_len(const char *s, size_t n);

const char *hw_fr_status_name(hw_fr_status s);
/* Writes "impl, utest" style text for needs into out (at least 32 bytes). */
void hw_fr_needs_text(char *out, size_t size, unsigned needs);

/* Appends the `frs list --json` document (pretty, newline-terminated). */
int hw_frs_json(hw_buf *out, const hw_fr_set *set);

#endif
