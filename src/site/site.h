/*
 * site.h — the static HTML report.
 *
 * Owns: rendering every result the other modules produced into a
 * self-contained site (dashboard, FR matrix, one page per FR, source views
 * with coverage, SAST findings, planner charts, probe results, the ledger
 * timeline, the glossary) with a prebuilt search index, written atomically.
 *
 * The site never recomputes a verdict: it reads the JSON documents the
 * checks wrote into one evidence folder (specs/site.md names them) and shows
 * a missing one as "not run". Same inputs, same bytes. Depends on util, frs,
 * glossary, trace (the lcov reader) and ledger (the bundle reader).
 */
#ifndef HW_SITE_H
#define HW_SITE_H

#include "util/util.h"

#define HW_SITE_DIR "build/site"
#define HW_SITE_CHECKS_DIR "build/checks"
#define HW_SITE_SPARE_DIR ".hwledger/site-spare"

struct hw_seckey;

typedef struct hw_site_opts {
	const char *out_dir;	/* the site folder; HW_SITE_DIR when NULL */
	const char *checks_dir; /* evidence; HW_SITE_CHECKS_DIR when NULL */
	const char *glossary;	/* HW_GLOSSARY_PATH when NULL */
	int progress;		/* print page counts on stderr */
	/* signs manifest.json (every file's SHA-256) into manifest.sig */
	const struct hw_seckey *key;
	/* where the site before last is kept for the next render to rewrite
	 * in place (src/site/spare.c); NULL: every render writes a new
	 * folder and removes the old site */
	const char *spare_dir;
	/* replace a non-empty folder that is not a site (--force) */
	int force;
	/* downloads/ also holds the specification as PDF, printed by
	 * Chromium (--pdf; specs/export.md, "In the report") */
	int pdf;
} hw_site_opts;

/* The Content-Security-Policy of every page (a meta tag): the site's own
 * files only, so opening the report requests nothing from a network. */
#define HW_SITE_CSP                                                          \
	"default-src 'self'; object-src 'none'; base-uri 'none'; "         \
	"form-action 'none'"

#define HW_SITE_MANIFEST "manifest.json"
#define HW_SITE_MANIFEST_SIG "manifest.sig"
#define HW_MANIFEST_SCHEMA "hwledger.manifest/1"
/* every site carries this file: a folder with it is one hwledger rendered */
#define HW_SITE_MARKER ".hwledger-site"
#define HW_SITE_MARKER_TEXT "hwledger.site/1\n"

typedef struct hw_site_stats {
	size_t pages;
	size_t files;
	size_t bytes;
	size_t frs;
	size_t sources;
	size_t terms;
	size_t not_run; /* evidence documents that were missing */
} hw_site_stats;

/*
 * Renders the site into a fresh sibling folder and swaps it into place, so
 * a failed render leaves the previous site untouched. Problems with inputs
 * are added to diags (errors fail the render, HW_EINVAL).
 */
int hw_site_render(const hw_site_opts *o, hw_diags *diags,
		   hw_site_stats *stats);

/*
 * Whether a render may replace what is at out (specs/site.md, "The output
 * folder"): nothing, an empty folder or a site (it carries HW_SITE_MARKER)
 * may; another folder only with force; a folder that is, holds or lies in
 * a repository (the working folder, a .git) never, and neither does what
 * is not a folder. HW_EIO (exit 3) with the reason when not; *foreign (may
 * be NULL) is set when the folder is not a site and force let it pass.
 */
int hw_site_out_check(const char *out, int force, int *foreign);

/* ---- building blocks (exposed for tests) ------------------------------- */

/* Appends s[0..n) with & < > " ' escaped. */
int hw_html_escape(hw_buf *b, const char *s, size_t n);
int hw_html_puts(hw_buf *b, const char *s);

/*
 * A file name for a repository path: bytes outside [A-Za-z0-9.-] become
 * _XX (hex), so distinct paths give distinct names and no name leaves its
 * folder; past HW_SITE_NAME_KEEP bytes the name is cut and ends in a hash
 * of the path (page.c), so any path gives a name NAME_MAX allows.
 */
#define HW_SITE_NAME_KEEP 200
int hw_site_path_name(hw_buf *b, const char *path);

/* The theme files compiled into the binary (site/ in the source tree). */
extern const hw_embedded hw_theme_files[];
extern const size_t hw_theme_files_count;

#endif
