/*
 * interchange.h — requirements to and from other tools (specs/interchange.md):
 * ReqIF 1.2 export and import, OpenFastTrace Markdown import and `aspec`
 * export, Doorstop import.
 *
 * Every importer reads its source fully into an hw_imp_set and reports each
 * problem as a diagnostic; only a set read without errors is written, as
 * requirement Markdown files (specs/fr-format.md), by hw_imp_write. So a
 * bad source writes nothing. Depends on util and frs.
 */
#ifndef HW_INTERCHANGE_H
#define HW_INTERCHANGE_H

#include "frs/frs.h"
#include "util/util.h"

#include <stdio.h>
#include <time.h>

/* ---- imported requirements ---- */

typedef struct hw_imp_req {
	char *id;           /* a requirement ID token (hw_req_id_len) */
	char *title;        /* one line, non-empty */
	char *text;         /* Markdown, non-empty */
	char *status;       /* "draft", "approved" or "deprecated" */
	int rev;            /* >= 1 */
	char *needs;        /* "impl, utest" style, NULL: not given */
	char **parents;     /* IDs, NULL-terminated (NULL when none) */
	size_t nparents;
	char **depends;
	size_t ndepends;
	int derived;
	char *rationale;
	char **attr_names;  /* custom attributes kept (declared in the config) */
	char **attr_values;
	size_t nattrs;
	size_t out;         /* index of the output file in the set */
	char *src_file;     /* where it came from, for diagnostics */
	long src_line;
} hw_imp_req;

/* An output file of an import. */
typedef struct hw_imp_file {
	char *file;  /* NAME.md, no folder */
	char *title; /* its level-1 heading */
	char *dir;   /* its level's folder, NULL: the import's folder */
} hw_imp_file;

typedef struct hw_imp_set {
	hw_imp_req *items;
	size_t n, cap;
	hw_imp_file *outs;   /* by index */
	size_t nouts, outcap;
	const char *format; /* "reqif", "oft", "doorstop" (for the marker) */
} hw_imp_set;

void hw_imp_set_init(hw_imp_set *s, const char *format);
void hw_imp_set_free(hw_imp_set *s);
/* Adds an output file NAME.md (name sanitised) titled title; returns its
 * index in *out, reusing an existing one of the same name. */
int hw_imp_out(hw_imp_set *s, const char *name, const char *title,
	       size_t *out);
/* Appends a requirement with copies of id/title/text (defaults filled in). */
int hw_imp_add(hw_imp_set *s, hw_imp_req **out, size_t file_index,
	       const char *id, const char *title, const char *text,
	       const char *src_file, long src_line);
int hw_imp_push(char ***v, size_t *n, const char *s);

/*
 * With levels: moves each requirement into the same-named file in the
 * folder of the level its ID matches (hw_frs_model_level); one that
 * matches no level goes to the lowest level's, with a warning.
 */
int hw_imp_place(hw_imp_set *s, const hw_frs_model *m, hw_diags *diags);

/*
 * Turns a foreign identifier into a requirement ID token: kept when it is
 * one; else upper-cased, runs of characters other than letters, digits, '_'
 * and '-' become one '-', and "REQ-" is put in front when it does not
 * start with two letters and a '-'. NULL when nothing is left (no letter or
 * digit) or it exceeds HW_FR_ID_MAX; *changed says whether it was rewritten.
 */
char *hw_imp_id(const char *foreign, int *changed);

/* Markdown from another tool as a requirement's text (a copy, trailing
 * white space trimmed): headings of level 1 and 2 outside code fences
 * become level 3, as they would end the requirement. NULL: no memory. */
char *hw_imp_text(const char *md);

/* Maps a foreign status word onto draft/approved/deprecated; NULL when it
 * is none of the known words (specs/interchange.md). */
const char *hw_imp_status(const char *word);

/* Adds name[0..n) to list (", "-separated) unless it is there already:
 * the names a warning lists once each. */
int hw_imp_note(hw_buf *list, const char *name, size_t n);

/* Writes s XML-escaped (for text and attribute values alike: '"' and
 * newlines too). Characters XML 1.0 cannot hold (C0 controls but tab, LF,
 * CR) become '?', so the file stays well-formed whatever the Markdown
 * held. */
void hw_xml_put(FILE *out, const char *s);

/* Checks the set: every ID unique (an error names both places). */
int hw_imp_check(const hw_imp_set *s, hw_diags *diags);

/*
 * Writes every output file of s into its level's folder, or dir (created
 * when missing). A file
 * that exists is replaced only when hwledger import wrote it and nobody
 * changed it since (its marker line's hash still matches), or with force;
 * a file without the marker is never replaced. Every target is checked
 * before the first is written; each is written atomically. Paths written
 * are printed to report (when not NULL).
 */
int hw_imp_write(const hw_imp_set *s, const char *dir, const char *source,
		 int force, FILE *report);

/* ---- import map (--map FILE) ---- */

typedef struct hw_imp_map {
	char *id, *title, *text, *status, *rev, *parent;
} hw_imp_map;

/* Reads the JSON map; NULL path: the defaults. A map without an "id"
 * string is an error at the map's line. */
int hw_imp_map_load(hw_imp_map *m, const char *path, hw_diags *diags);
void hw_imp_map_free(hw_imp_map *m);

/* ---- ReqIF 1.2 ---- */

/*
 * Writes set (loaded with model; NULL: the flat level) as ReqIF 1.2: one
 * SPEC-OBJECT-TYPE with the attributes of specs/interchange.md and every
 * custom attribute of model, a SPEC-OBJECT per requirement, a SPEC-RELATION
 * per Parent link, one SPECIFICATION per level. IDENTIFIERs derive from the
 * requirement IDs only, so they are the same in every export; `when` is
 * every time stamp. A Parent that names no requirement of set has no
 * relation and is a warning in diags.
 */
int hw_reqif_write(const hw_fr_set *set, const hw_frs_model *model,
		   time_t when, FILE *out, hw_diags *diags);

/*
 * Reads a ReqIF file held in text[0..len) into s (one output file named
 * stem). decl (may be NULL) says which custom attributes to keep. Problems
 * are diagnostics in diags (errors stop the import; warnings say what was
 * dropped).
 */
int hw_reqif_read(hw_imp_set *s, hw_diags *diags, const char *file,
		  const char *text, size_t len, const hw_imp_map *map,
		  const hw_frs_model *decl, const char *stem);

/* ---- OpenFastTrace ---- */

/* Reads OFT Markdown specification items from text into s. */
int hw_oft_read(hw_imp_set *s, hw_diags *diags, const char *file,
		const char *text, size_t len, const char *stem);

/*
 * Writes set as OFT's aspec XML (a specobjects element per level). trace,
 * when not NULL, is the parsed `hwledger trace --format json` document:
 * a requirement it lists as verified is COVERED, every other UNCOVERED.
 */
struct cJSON;
int hw_oft_aspec_write(const hw_fr_set *set, const hw_frs_model *model,
		       const struct cJSON *trace, FILE *out);

/* ---- Doorstop ---- */

/* Reads the Doorstop document tree under dir (every folder with a
 * .doorstop.yml) into s, one output file per document. */
int hw_doorstop_read(hw_imp_set *s, hw_diags *diags, const char *dir,
		     size_t max_bytes);

#endif
