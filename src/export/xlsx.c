/*
 * xlsx.c — the matrix as an XLSX workbook through libxlsxwriter: one sheet
 * each for the requirements, the reverse matrix, the defects and the
 * signature; a frozen header row, a filter on every column, the status
 * cells coloured (specs/export.md, "XLSX").
 *
 * Every cell is written as a string, so a text that looks like a formula
 * stays text. libxlsxwriter writes a file: the workbook goes to a
 * temporary file that is read back and removed.
 *
 * libxlsxwriter is opened with dlopen on first use: linked into the
 * binary, it and the libminizip and libz it brings would be loaded at the
 * start of every command (about 1 ms), and only this file needs them. The
 * soname comes from the Makefile; HWLEDGER_LIBXLSXWRITER names another
 * library.
 */
#include "export/export.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)
#ifdef HW_XLSXWRITER_SONAME
#define XLSX_SONAME HW_STR(HW_XLSXWRITER_SONAME)
#else
#define XLSX_SONAME "libxlsxwriter.so"
#endif

#define XLSX_FUNCS(X) \
	X(format_set_align) \
	X(format_set_bg_color) \
	X(format_set_bold) \
	X(format_set_text_wrap) \
	X(lxw_strerror) \
	X(workbook_add_format) \
	X(workbook_add_worksheet) \
	X(workbook_close) \
	X(workbook_new_opt) \
	X(workbook_set_properties) \
	X(worksheet_autofilter) \
	X(worksheet_freeze_panes) \
	X(worksheet_set_column) \
	X(worksheet_write_blank) \
	X(worksheet_write_string)

static struct {
/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(f) *f;
	XLSX_FUNCS(X)
#undef X
} lxw;

/* Loads libxlsxwriter once; a failure is kept and returned on every call.
 * Called from one thread at a time (an export, the site's main thread). */
static int load_lxw(void)
{
	static hw_lib lib;
#define X(f) #f,
	static const char *const names[] = {XLSX_FUNCS(X)};
#undef X
#define X(f) (void *)&lxw.f,
	void *const slots[] = {XLSX_FUNCS(X)};
#undef X

	return hw_lib_load(&lib, "HWLEDGER_LIBXLSXWRITER", XLSX_SONAME,
			   "libxlsxwriter", "the XLSX export", names, slots,
			   sizeof(names) / sizeof(*names));
}

/* Excel's limit of a cell's text (bytes here, which is stricter) */
#define CELL_MAX 32767

enum { F_HEAD, F_CELL, F_GREEN, F_RED, F_YELLOW, F_GREY, F_COUNT };

static const lxw_color_t fills[F_COUNT] = {0xD9E1F2, 0, 0xC6EFCE, 0xFFC7CE,
					   0xFFEB9C, 0xE7E6E6};

static void make_formats(lxw_workbook *wb, lxw_format **f)
{
	for (int i = 0; i < F_COUNT; i++) {
		f[i] = lxw.workbook_add_format(wb);
		lxw.format_set_align(f[i], LXW_ALIGN_VERTICAL_TOP);
		lxw.format_set_text_wrap(f[i]);
		if (fills[i])
			lxw.format_set_bg_color(f[i], fills[i]);
	}
	lxw.format_set_bold(f[F_HEAD]);
}

/* The fill of a status or a test outcome. */
static lxw_format *status_format(lxw_format **f, const char *s)
{
	if (!strcmp(s, "verified") || !strcmp(s, "pass"))
		return f[F_GREEN];
	if (!strcmp(s, "failing") || !strcmp(s, "fail") ||
	    !strcmp(s, "error"))
		return f[F_RED];
	if (!strcmp(s, "waived") || !strcmp(s, ""))
		return f[F_GREY];
	return f[F_YELLOW];
}

/* One cell as a string; a text over Excel's limit is cut at a character
 * boundary and says so. */
static lxw_error cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
		      const char *s, lxw_format *f)
{
	static const char cut[] = " [cut: over 32767 bytes]";
	size_t n = strlen(s), keep = CELL_MAX - sizeof(cut);
	char *copy;
	lxw_error e;

	if (n <= CELL_MAX)
		return lxw.worksheet_write_string(ws, r, c, s, f);
	while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	if (!(copy = malloc(keep + sizeof(cut))))
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	memcpy(copy, s, keep);
	memcpy(copy + keep, cut, sizeof(cut));
	e = lxw.worksheet_write_string(ws, r, c, copy, f);
	free(copy);
	return e;
}

/* Implements: FR-EXPORT-001 */
static lxw_error sheet(lxw_workbook *wb, lxw_format **f,
		       const hw_export_table *t)
{
	lxw_worksheet *ws = lxw.workbook_add_worksheet(wb, t->name);
	lxw_error e = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;

	for (size_t c = 0; c < t->ncols && !e; c++) {
		e = cell(ws, 0, (lxw_col_t)c, t->head[c], f[F_HEAD]);
		if (!e)
			e = lxw.worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
						 c == 0 ? 18 : 28, NULL);
	}
	for (size_t r = 0; r < t->nrows && !e; r++)
		for (size_t c = 0; c < t->ncols && !e; c++) {
			const char *s = t->cells[r * t->ncols + c];

			/* an empty field is no cell (libxlsxwriter would
			 * write a styled blank one); a status keeps its
			 * fill */
			if ((int)c == t->status_col && !*s)
				e = lxw.worksheet_write_blank(
					ws, (lxw_row_t)r + 1, (lxw_col_t)c,
					status_format(f, s));
			else if (*s)
				e = cell(ws, (lxw_row_t)r + 1, (lxw_col_t)c, s,
					 (int)c == t->status_col
						 ? status_format(f, s)
						 : f[F_CELL]);
		}
	if (!e) {
		lxw.worksheet_freeze_panes(ws, 1, 0);
		e = lxw.worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows,
					 (lxw_col_t)(t->ncols - 1));
	}
	return e;
}

/* The report's facts; an export not made from a signed report says so. */
/* Implements: FR-EXPORT-001 */
static lxw_error signature(lxw_workbook *wb, lxw_format **f,
			   const hw_export_doc *d)
{
	const char *rows[][2] = {
		{"Project", d->project},
		{"Date", d->date},
		{"Commit", d->commit},
		{"Report verdict", d->verdict},
		{"Signer", d->signer},
		{"Report id (SHA-256 of report.json)", d->report_id},
		{"Checkpoint root", d->checkpoint_root},
		{"Checkpoint size", d->checkpoint_size},
		{"Signed", *d->report_id && *d->signer
				   ? "yes: verify the report it came from with "
				     "hwledger verify-report"
				   : "no: exported from evidence that no "
				     "signed report covers"},
	};
	lxw_worksheet *ws = lxw.workbook_add_worksheet(wb, "Signature");
	lxw_error e = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;

	if (!e)
		e = lxw.worksheet_set_column(ws, 0, 0, 34, NULL);
	if (!e)
		e = lxw.worksheet_set_column(ws, 1, 1, 70, NULL);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows) && !e; i++) {
		e = cell(ws, (lxw_row_t)i, 0, rows[i][0], f[F_HEAD]);
		if (!e)
			e = cell(ws, (lxw_row_t)i, 1, rows[i][1], f[F_CELL]);
	}
	return e;
}

/* The workbook into path. */
static int write_book(const char *path, const hw_export_doc *d,
		      const char *tmpdir)
{
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
				    .tmpdir = (char *)tmpdir};
	lxw_doc_properties props = {.title = "Traceability matrix"};
	lxw_workbook *wb = lxw.workbook_new_opt(path, &opt);
	lxw_format *f[F_COUNT];
	lxw_error e = LXW_NO_ERROR;
	int ymd[3];

	if (!wb)
		return hw_error_set(HW_EIO, path, 0, 0,
				    "cannot create the workbook");
	/* same evidence, same bytes: the creation time is the export's date */
	props.created = (time_t)(hw_date_parse(d->date, 0, ymd)
					 ? hw_date_days(ymd) * 86400L
					 : 86400L);
	e = lxw.workbook_set_properties(wb, &props);
	make_formats(wb, f);
	for (int k = 0; k < HW_XT_COUNT && !e; k++) {
		hw_export_table t;
		int err = hw_export_table_build(&t, (hw_export_table_kind)k,
						d->trace);

		e = err ? LXW_ERROR_MEMORY_MALLOC_FAILED : sheet(wb, f, &t);
		hw_export_table_free(&t);
	}
	if (!e)
		e = signature(wb, f, d);
	/* closing writes the file; it also frees the workbook on error */
	if (lxw.workbook_close(wb) != LXW_NO_ERROR && !e)
		e = LXW_ERROR_CREATING_XLSX_FILE;
	if (e)
		return hw_error_set(HW_EIO, path, 0, 0,
				    "cannot write the workbook: %s",
				    lxw.lxw_strerror(e));
	return HW_OK;
}

/* Implements: FR-EXPORT-001 */
int hw_export_xlsx(hw_buf *out, const hw_export_doc *d)
{
	/* hwledger-sast-ignore FF1053: the temporary folder, used by mkstemp */
	const char *tmpdir = getenv("TMPDIR");
	char *path;
	int fd, err;

	if ((err = load_lxw()))
		return err;
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (!(path = hw_path_join(tmpdir, "hwledger-xlsx-XXXXXX")))
		return hw_error_oom();
	/* a name no one else has; libxlsxwriter writes it again */
	if ((fd = mkstemp(path)) < 0) {
		err = hw_error_set(HW_EIO, tmpdir, 0, 0,
				   "cannot create a temporary file");
		free(path);
		return err;
	}
	close(fd);
	err = write_book(path, d, tmpdir);
	if (!err)
		err = hw_file_read(out, path, (size_t)1 << 31);
	unlink(path);
	free(path);
	return err;
}
