/*
 * glossary.h — glossaries.
 *
 * Owns: importing glossaries written in the common Markdown and text styles
 * (bold-term bullets, bold-colon paragraphs, definition lists, acronym
 * tables, PDF-export arrow bullets with nested terms and category headings,
 * `TERM — definition` lines), merging several into one, linting FR text
 * against the result, finding the FRs that use each entry (backlinks), and
 * writing it as JSON or Markdown. See
 * specs/glossary-import.md. Depends on util and frs.
 */
#ifndef HW_GLOSSARY_H
#define HW_GLOSSARY_H

#include "frs/frs.h"
#include "util/util.h"

#define HW_GLOSSARY_SCHEMA "hwledger.glossary/1"
#define HW_GLOSSARY_PATH "specs/glossary.md"

typedef enum {
	HW_GSTYLE_AUTO = 0,
	HW_GSTYLE_BULLET_COLON, /* - **Term:** def */
	HW_GSTYLE_BOLD_COLON,   /* **Term**: def */
	HW_GSTYLE_DEFLIST,      /* **Term** then ": def" */
	HW_GSTYLE_TABLE,        /* | Acronym | Full form | */
	HW_GSTYLE_ARROW,        /* - **Term** → def (PDF exports) */
	HW_GSTYLE_DASH,         /* TERM — def */
	HW_GSTYLE_COUNT
} hw_gstyle;

typedef struct hw_gsource {
	char *file;
	long line;
} hw_gsource;

typedef struct hw_gdef {
	char *text;
	hw_gsource source;
} hw_gdef;

typedef struct hw_gentry {
	char *term;
	char **aliases;          /* NULL-terminated */
	hw_gdef *defs;           /* every distinct definition, first = main */
	size_t ndefs;
	char **categories;       /* outermost first, NULL-terminated */
	struct hw_gentry *children;
	size_t nchildren;
	char **references;       /* NULL-terminated */
	hw_gsource *sources;
	size_t nsources;
} hw_gentry;

typedef struct hw_glossary {
	hw_gentry *entries;
	size_t n;
	size_t cap;
} hw_glossary;

void hw_glossary_init(hw_glossary *g);
void hw_glossary_free(hw_glossary *g);

const char *hw_gstyle_name(hw_gstyle s);
int hw_gstyle_from_name(const char *name);

/*
 * Imports one file's text into g. style AUTO detects it. A file in which no
 * entry is recognised is HW_EINVAL ("no known glossary style"), and then g
 * is unchanged. Problems that do not stop the import (an empty term, an
 * unclosed bold marker) are warnings in diags. *style_out (may be NULL)
 * receives the style that was used.
 */
int hw_glossary_import(hw_glossary *g, hw_diags *diags, const char *file,
		       const char *text, size_t len, hw_gstyle style,
		       hw_gstyle *style_out);
int hw_glossary_load(hw_glossary *g, hw_diags *diags, const char *path,
		     size_t max_bytes, hw_gstyle style, hw_gstyle *style_out);

/* Total entries, children included. */
size_t hw_glossary_count(const hw_glossary *g);

/*
 * Merges entries that name the same thing — names and aliases compared
 * case-insensitively with hyphens, underscores and spaces alike — keeping
 * every distinct definition with its source (near-duplicates collapse).
 */
int hw_glossary_merge(hw_glossary *g);

/* Finds an entry by name or alias (normalised); children too. */
const hw_gentry *hw_glossary_find(const hw_glossary *g, const char *name,
				  size_t n);

/*
 * Uses of a term (specs/glossary-import.md, "Uses"): a name or alias as a
 * whole word, ASCII case ignored, a space or a hyphen between two of its
 * words written as either ("KV-cache" uses "KV cache"), or the plural of
 * its last word: the name
 * followed by "s" or "es", or, for a name ending in a consonant and "y",
 * "ies" in place of the "y". An acronym (no lower-case letter) takes only
 * "s", written after the name in its capitals ("GPUs"; "its" is no use of
 * "IT"). A name ending in anything but a letter has no plural.
 *
 * hw_glossary_word_char: a byte of a word (letters, digits, '_', and every
 * byte of a UTF-8 sequence). hw_glossary_use: the length of the use of
 * name[0..len) that p[0..n) starts with, 0 when none; the caller checks
 * that p starts a word. hw_glossary_use_stem: how many bytes of the name
 * every use starts with (all of them but a final "y" that may become
 * "ies"). hw_glossary_used_in: 1 when text[0..n) uses name.
 */
static inline int hw_glossary_word_char(unsigned char c)
{
	/* inline: the site asks it for every byte of FR text */
	return (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' ||
	       c >= 0x80;
}
size_t hw_glossary_use(const char *p, size_t n, const char *name, size_t len);
size_t hw_glossary_use_stem(const char *name, size_t len);
int hw_glossary_used_in(const char *text, size_t n, const char *name);

/*
 * Backlinks: the FRs whose title or text uses an entry's name or alias
 * (hw_glossary_use). All FR text is lowered into one buffer
 * once, so each name costs one memmem scan however many FRs there are.
 */
typedef struct hw_gbacklinks {
	hw_buf text;        /* lower-cased titles and bodies, '\n'-separated */
	hw_buf cased;       /* the same as written ("GPUs" is a use of GPU,
			     * "its" none of IT) */
	size_t *start;      /* start[i] = offset of FR i */
	size_t n;           /* FRs */
	unsigned char *hit; /* per FR: uses the entry last asked about */
	uint64_t *words;    /* hashes of every word in text (open addressing) */
	size_t nwords;      /* table size, a power of two */
} hw_gbacklinks;

int hw_gbacklinks_build(hw_gbacklinks *t, const hw_fr_set *frs);
/* Sets t->hit[i] to 1 for each FR i that uses e's name or an alias (its
 * children's not), to 0 for the others; t->hit is NULL when there are no
 * FRs. */
void hw_gbacklinks_mark(hw_gbacklinks *t, const hw_gentry *e);
void hw_gbacklinks_free(hw_gbacklinks *t);

/* The schema hwledger.glossary/1; an entry's backlinks name the FRs of
 * frs that use it (none when frs is NULL). */
int hw_glossary_json(hw_buf *out, const hw_glossary *g,
		     const hw_fr_set *frs);
int hw_glossary_md(hw_buf *out, const hw_glossary *g);

/*
 * Lints FR text against the glossary: acronyms used in FR text that it does
 * not define, entries with empty definitions and circular "see X"
 * references are errors; terms used nowhere in `corpus` (FR text and the
 * documents given) and terms defined differently in two files are
 * warnings.
 */
int hw_glossary_lint(const hw_glossary *g, const hw_fr_set *frs,
		     const char *corpus, hw_diags *diags);

#endif
