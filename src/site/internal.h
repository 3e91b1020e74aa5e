/*
 * internal.h — what the site's source files share: the render context and
 * the page helpers. Not installed.
 */
#ifndef HW_SITE_INTERNAL_H
#define HW_SITE_INTERNAL_H

#include "frs/frs.h"
#include "glossary/glossary.h"
#include "ledger/ledger.h"
#include "site/site.h"
#include "trace/trace.h"

#include <pthread.h>
#include <sys/types.h>

/* One glossary term as the site shows it (children flattened). */
typedef struct site_term {
	const hw_gentry *entry;
	char *anchor;	 /* "t-kv-cache" */
	const char *def; /* main definition, "" when none */
	size_t *users;	 /* indexes of FRs that use it */
	size_t nusers, capusers;
} site_term;

/* The FR's status in one signed trace event. */
typedef struct site_hist {
	uint64_t seq;
	const char *status;
} site_hist;

/* A signed review event of the bundle that names an FR (ledger.c). */
typedef struct site_review {
	const hw_event *event;
	long rev;
	const char *reason; /* in the event's parsed payload */
} site_review;

/* One FR with what the evidence says about it. */
typedef struct site_fr {
	const hw_fr *fr;
	const cJSON *trace;	/* its object in trace.json, or NULL */
	const cJSON **findings; /* SAST findings attached to it */
	size_t nfindings, capfindings;
	site_hist *hist; /* oldest first */
	size_t nhist, caphist;
	site_review *reviews; /* oldest first */
	size_t nreviews, capreviews;
} site_fr;

/* A source file that some tag points into. */
typedef struct site_source {
	char *path;
	char *page; /* "src/<name>.html" */
} site_source;

/* A name (term or alias) that links to a term when it appears in text. */
typedef struct site_name {
	const char *text;
	size_t len;
	size_t term;
} site_name;

/* First word (lowercase) -> the names that start with it, longest first. */
typedef struct site_lexicon {
	char **words; /* NULL: empty slot */
	site_name **names;
	size_t *nnames;
	size_t nslots;
	unsigned char *used; /* per term: already linked on this page */
	size_t *used_list;
	size_t nused;
	long tips; /* tooltip ids on this page */
} site_lexicon;

typedef struct site {
	const hw_site_opts *o;
	hw_diags *diags;
	hw_site_stats *stats;
	char *tmp; /* the folder being written */
	/* the spare folder (spare.c): tmp is o->spare_dir, held through the
	 * lock spare_lock; the files it held when the render began (relative
	 * paths, sorted) and which of them this render wrote */
	int spare;
	/* the folder at the output is not a site (replaced under --force):
	 * it is removed after the swap, never kept as the spare */
	int foreign;
	int spare_lock;
	char **spare_files;
	unsigned char *spare_hit;
	size_t nspare;

	hw_config config;
	hw_fr_set frs;
	hw_glossary glossary;
	int have_glossary;

	/* evidence documents; NULL: not run */
	cJSON *trace, *gate, *sast, *plan, *probe, *verify;
	cJSON *cheapest;            /* plan --cheapest --json, optional */
	cJSON **sweeps;
	char **sweep_names;
	size_t nsweeps;
	hw_lcov lcov;
	int have_lcov;
	hw_event_list events;
	hw_checkpoint checkpoint;
	int have_bundle;
	char *bundle_dir;
	cJSON **hist_docs; /* trace results of signed trace events */
	uint64_t *hist_seq;
	size_t nhist_docs;
	cJSON **review_docs; /* payloads of the bundle's review events */
	size_t nreview_docs, capreview_docs;

	site_fr *items; /* sorted by FR id */
	size_t nitems;
	site_term *terms; /* sorted by term, case-insensitive */
	size_t nterms;
	site_lexicon lex;
	site_source *sources; /* sorted by path */
	size_t nsources;

	cJSON *report; /* report.json of `hwledger report` */
	/* changes.json: `hwledger report`'s diff against the previous signed
	 * report; NULL when there was none to compare with */
	cJSON *changes;
	char **mpaths; /* every file written (for the manifest) */
	char (*mhashes)[HW_SHA256_HEX_LEN + 1];
	size_t nm, capm, capmh; /* the two arrays' rooms */

	hw_buf search; /* the search index being built */
	hw_jw sw;

	/* on a worker's copy (frpage.c): term uses as (term, FR) pairs, added
	 * to the terms in FR order once the workers are done */
	int deferring;
	size_t *uses;
	size_t nuses, capuses;
	/* ... and the files it makes, written by the first part's thread
	 * afterwards (files created in one folder by two threads contend
	 * for its lock) */
	struct site_file *files;
	size_t nfiles, capfiles;
} site;

typedef struct site_file {
	char *rel;
	char *data;
	size_t len;
} site_file;

/* ---- evidence (inputs.c) ----------------------------------------------- */
int site_load(site *s);
void site_free(site *s);
site_fr *site_find_fr(site *s, const char *id);
const site_source *site_find_source(const site *s, const char *path);
/* A number member of a document as a long; 0 when missing. */
long site_num(const cJSON *obj, const char *key);
/* Approved FRs in trace.json, and how many of them are verified and how
 * many waived (counted apart: a waiver is not a verification). */
void site_approved_counts(const site *s, long *approved, long *verified,
			  long *waived);
/* The state of SAST finding idx of sast.json, the first that holds:
 * "duplicate" (of the finding its group names), "suppressed", "baseline"
 * (in the baseline file), "new" (counts toward the gate) or "open" (a
 * note, which does not). */
const char *site_finding_state(const cJSON *f, long idx);
/* Each analyzer's units analysed and failed (the sast document's "runs"):
 * one line for the dashboard (brief), else a table with the reasons. */
int site_sast_runs(hw_buf *b, const site *s, int brief);
/* The verdict word of a check document: "pass", "fail" or "not run". */
const char *site_check_verdict(const cJSON *doc);

/* ---- pages (page.c) ---------------------------------------------------- */
/* Starts a page: doctype, head, header with navigation and search. */
int page_begin(const site *s, hw_buf *b, const char *title, const char *root,
	       const char *current);
int page_end(hw_buf *b, const char *root);
/* Writes b to REL inside the site folder and counts it. */
int site_write(site *s, const char *rel, const hw_buf *b);
/* The same without a manifest entry (the manifest and its signature). */
int site_write_unlisted(site *s, const char *rel, const hw_buf *b);
/* Writes the bytes now, on this thread, and counts the file. */
int site_write_now(site *s, const char *rel, const char *data, size_t len);
/* Copies a file byte for byte into the site's FOLDER. */
int site_copy_file(site *s, const char *src, const char *folder);

/* render.c, spare.c: the folder being written */
void site_rm_tree(const char *path);
int site_make_dirs(const char *root);
/* 1 when s->tmp is the spare folder (locked, listed), 0 when there is none
 * to use: then the render makes a folder of its own */
int site_spare_begin(site *s, const char *out);
int site_spare_open(site *s, const char *path, const char *rel, off_t *size);
/* removes the files of the spare this render did not write */
int site_spare_sweep(site *s);
void site_spare_end(site *s);
/* <span class="badge st-WORD">WORD</span> */
int html_badge(hw_buf *b, const char *word);
/* A link to a source line: root + page + "#L" + line. */
int html_source_link(hw_buf *b, const site *s, const char *root,
		     const char *file, long line, const char *text);
/* FILE:LINE linked to its source line, from a page one folder down. */
int html_file_line(hw_buf *b, const site *s, const char *file, long line);
/* A SAST finding's path (its steps, in order) and related locations, each
 * place linked to its line on the source page (checks.c). */
int html_finding_steps(hw_buf *b, const site *s, const char *root,
		       const cJSON *f);
/* A waiver of trace.json: its reason, who granted it, when it expires. */
int html_waiver(hw_buf *b, const cJSON *waiver);
/* A bar of hit/lines as a percentage, "n/a" when lines is 0. */
int html_coverage_bar(hw_buf *b, long hit, long lines, int known);
/* Adds one search record. */
void search_add(site *s, const char *type, const char *title, const char *url,
		const char *text);

/* ---- two parts rendered at once (parts.c) ------------------------------ */

/*
 * Renders first(s, first_arg) and then second(s, second_arg), on two
 * threads when threads >= 2: second then runs on a copy of s whose pages,
 * files, counters and search records are appended after first's when both
 * are done. The site is byte for byte the one a single thread writes.
 * Returns the first error, in that order.
 */
int site_parts_run(site *s, size_t threads, int (*first)(site *, void *),
		   void *first_arg, int (*second)(site *, void *),
		   void *second_arg);

/* ---- renderers --------------------------------------------------------- */
/* downloads/: the exports of specs/export.md (downloads.c) */
int render_downloads(site *s);
/* The dashboard's list of them. */
int site_downloads_list(hw_buf *b, const site *s);
int site_markdown(hw_buf *b, site *s, const char *md, size_t len,
		  size_t fr_index, const char *root); /* markdown.c */
/* Records that FR fr_index uses term (its backlink). */
int site_term_used_by(site *s, size_t term, size_t fr_index);
int site_terms_build(site *s);			      /* glossary.c */
void site_terms_reset_page(site *s);
size_t site_lex_slot(const site_lexicon *x, const char *p, size_t n,
		     char word[64]);
void site_terms_free(site *s);
int render_glossary(site *s);
int render_dashboard(site *s); /* dashboard.c */
int render_matrix(site *s);
int render_fr_pages(site *s); /* frpage.c */
/* The status word the evidence gives an FR: "not run" without trace.json,
 * "missing" when trace.json does not name it. */
const char *site_fr_state(const site *s, const site_fr *it);
/* tree.c: levels (a flat project has no tree page and no links section) */
int site_has_levels(const site *s);
int render_tree(site *s);
int site_fr_links(hw_buf *b, site *s, const site_fr *it);
int render_sources(site *s);  /* source.c */
int render_sast(site *s);     /* checks.c */
int render_planner(site *s);
int render_probes(site *s);
int render_ledger(site *s); /* ledger.c */
int render_changes(site *s); /* changes.c */
int site_history_build(site *s);
void site_history_free(site *s);
int site_copy_bundle(site *s);
/* SVG charts (svg.c) */
int svg_stacked_bar(hw_buf *b, const char *const *labels, const double *values,
		    size_t n, double capacity);
int svg_heatmap(hw_buf *b, const cJSON *sweep);
int svg_trend(hw_buf *b, const double *values, size_t n, double max);

#endif
