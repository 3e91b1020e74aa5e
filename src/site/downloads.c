/*
 * downloads.c — the exports of specs/export.md in the site's downloads/:
 * the matrix as CSV (forward and reverse) and XLSX, the printable
 * specification as HTML, and as PDF with --pdf. They are written through
 * site_write, so the signed manifest lists them and verify-report covers
 * them; the dashboard links them.
 */
#include "export/export.h"
#include "site/internal.h"

#include <libgen.h>
#include <string.h>
#include <unistd.h>

typedef struct download {
	const char *file;    /* under downloads/ */
	const char *format;  /* a row of the export table */
	int reverse;
	const char *label;
} download;

static const download downloads[] = {
	{"matrix.csv", "csv", 0, "Traceability matrix (CSV)"},
	{"matrix-reverse.csv", "csv", 1, "Reverse matrix (CSV)"},
	{"matrix.xlsx", "xlsx", 0, "Traceability matrix, reverse matrix, "
				   "defects and signature (XLSX)"},
	{"specification.html", "html", 0, "Printable specification (HTML)"},
	{"specification.pdf", "pdf", 0, "Printable specification (PDF)"},
};

#define NDOWNLOADS (sizeof(downloads) / sizeof(*downloads))

/* Whether this site offers d: every export needs the trace; the PDF is
 * asked for (Chromium takes seconds). */
static int offered(const site *s, const download *d)
{
	return s->trace && (strcmp(d->format, "pdf") != 0 || s->o->pdf);
}

/* Implements: FR-EXPORT-003 */
int render_downloads(site *s)
{
	hw_export_doc d;
	char cwd[4096];
	int err;

	memset(&d, 0, sizeof(d));
	d.trace = s->trace;
	d.frs = &s->frs;
	d.glossary = s->have_glossary ? &s->glossary : NULL;
	/* the project is the working folder's name, as `export` says it */
	if (getcwd(cwd, sizeof(cwd)))
		snprintf(d.project, sizeof(d.project), "%s", basename(cwd));
	/* the date and the signature are the report's, never the clock's:
	 * same evidence, same bytes (but the PDF's own creation date) */
	if ((err = hw_export_report_info(&d, s->o->checks_dir)))
		return err;
	for (size_t i = 0; i < NDOWNLOADS && !err; i++) {
		const download *dl = &downloads[i];
		char rel[64];
		hw_buf b;

		if (!offered(s, dl))
			continue;
		d.reverse = dl->reverse;
		hw_buf_init(&b, 0);
		snprintf(rel, sizeof(rel), "downloads/%s", dl->file);
		err = hw_export_find(dl->format)->write(&b, &d);
		err = err ? err : site_write(s, rel, &b);
		hw_buf_free(&b);
	}
	return err;
}

/* Implements: FR-EXPORT-003 */
int site_downloads_list(hw_buf *b, const site *s)
{
	int err;

	if (!s->trace)
		return HW_OK;
	err = hw_buf_puts(b, "<section class=\"downloads\" aria-labelledby="
			     "\"downloads\">\n<h2 id=\"downloads\">Downloads"
			     "</h2>\n<ul>\n");
	for (size_t i = 0; i < NDOWNLOADS && !err; i++) {
		if (!offered(s, &downloads[i]))
			continue;
		err = hw_buf_printf(b, "<li><a href=\"downloads/%s\" download>",
				    downloads[i].file);
		err = err ? err : hw_html_puts(b, downloads[i].label);
		err = err ? err : hw_buf_puts(b, "</a></li>\n");
	}
	return err ? err : hw_buf_puts(b, "</ul>\n</section>\n");
}
