/*
 * export.h — the traceability matrix and the requirements for auditors and
 * other tools: CSV and XLSX spreadsheets, a printable HTML specification and
 * its PDF (specs/export.md).
 *
 * Owns: the tables the spreadsheets hold (built from a hwledger.trace/1
 * document, the model every format reads), the writers of each format, and
 * the table of formats `hwledger export` dispatches on. Depends on util,
 * frs and glossary; the site calls it for the report's downloads.
 */
#ifndef HW_EXPORT_H
#define HW_EXPORT_H

#include "frs/frs.h"
#include "glossary/glossary.h"
#include "util/util.h"

/* What an export is made of. Only trace is required. */
typedef struct hw_export_doc {
	const cJSON *trace;            /* hwledger.trace/1 */
	const hw_fr_set *frs;          /* the requirement texts; may be NULL */
	const hw_frs_model *model;     /* their levels and attributes, with frs */
	const hw_glossary *glossary;   /* may be NULL */
	int reverse;                   /* csv: the reverse matrix */
	/* the title page and the Signature sheet; "" when unknown. The
	 * signature fields are set only from a signed report's evidence */
	char project[128];
	char date[16];                 /* YYYY-MM-DD */
	char commit[48];
	char verdict[16];              /* "pass", "fail", "" when no report */
	char signer[128];
	char report_id[72];            /* SHA-256 of report.json */
	char checkpoint_root[72];      /* hex */
	char checkpoint_size[24];
} hw_export_doc;

/* Renders d in one format into out (appended). */
typedef int (*hw_export_fn)(hw_buf *out, const hw_export_doc *d);

typedef struct hw_export_format {
	const char *name;      /* --format NAME */
	hw_export_fn write;
	int texts;             /* reads the requirement texts and glossary */
} hw_export_format;

/* The format called name, or NULL. */
const hw_export_format *hw_export_find(const char *name);
/* The names of every format, "csv, xlsx, ..." */
const char *hw_export_names(void);

/*
 * Fills the report's fields of d from an evidence folder: report.json (the
 * verdict, the commit, the signer and the report id) and bundle/checkpoint
 * (the root). Missing files leave the fields empty; a file that does not
 * parse is HW_EINVAL at its line.
 */
int hw_export_report_info(hw_export_doc *d, const char *checks_dir);

/* ---- the writers (one file each; the table of formats names them) ----- */

int hw_export_csv(hw_buf *out, const hw_export_doc *d);
int hw_export_xlsx(hw_buf *out, const hw_export_doc *d);
int hw_export_html(hw_buf *out, const hw_export_doc *d);
int hw_export_pdf(hw_buf *out, const hw_export_doc *d);
/* ReqIF 1.2 and OpenFastTrace's aspec, through src/interchange (its.c). */
int hw_export_reqif(hw_buf *out, const hw_export_doc *d);
int hw_export_aspec(hw_buf *out, const hw_export_doc *d);

/* ---- the tables the spreadsheets hold (table.c) ----------------------- */

typedef enum {
	HW_XT_FORWARD,   /* requirement -> everything that traces to it */
	HW_XT_REVERSE,   /* function or test -> the requirements it serves */
	HW_XT_DEFECTS,
	HW_XT_COUNT
} hw_export_table_kind;

/* The trace's defects that name a requirement, sorted by its ID (the
 * trace's order kept within one), so that a requirement finds its own
 * without a walk over all of them. */
typedef struct hw_export_defect {
	const cJSON *d;
	const char *fr;
	size_t order;              /* in the trace */
} hw_export_defect;

typedef struct hw_export_defects {
	hw_export_defect *v;
	size_t n;
} hw_export_defects;

typedef struct hw_export_table {
	const char *name;         /* the sheet's name */
	const char *const *head;  /* column titles */
	size_t ncols;
	char **cells;             /* nrows * ncols, row by row; never NULL */
	size_t nrows, cap;        /* rows, and rows of room */
	int status_col;           /* the column coloured by status, -1 */
	hw_export_defects defects; /* while the forward matrix is built */
} hw_export_table;

int hw_export_table_build(hw_export_table *t, hw_export_table_kind kind,
			  const cJSON *trace);
void hw_export_table_free(hw_export_table *t);

int hw_export_defects_index(hw_export_defects *x, const cJSON *trace);
/* The first of id's defects in x->v, and how many (*count; 0: none, as
 * for a NULL id). */
size_t hw_export_defects_of(const hw_export_defects *x, const char *id,
			    size_t *count);
void hw_export_defects_free(hw_export_defects *x);

/*
 * Whether a cell's text must be written with a leading apostrophe so that
 * no spreadsheet evaluates it as a formula: it starts with =, +, -, @, a
 * tab or a carriage return (specs/export.md, "Formulas").
 */
int hw_export_needs_quote_mark(const char *s);

#endif
