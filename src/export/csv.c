/*
 * csv.c — the matrix as CSV (RFC 4180: UTF-8, every field quoted, CRLF
 * line ends), forward or reverse (specs/export.md).
 */
#include "export/export.h"

#include <string.h>

/* One field: quoted, its quotes doubled, a formula neutralised. */
static int field(hw_buf *out, const char *s, int last)
{
	int err = hw_buf_putc(out, '"');

	if (!err && hw_export_needs_quote_mark(s))
		err = hw_buf_putc(out, '\'');
	for (const char *p = s; *p && !err; p++)
		err = *p == '"' ? hw_buf_puts(out, "\"\"") : hw_buf_putc(out, *p);
	if (!err)
		err = hw_buf_puts(out, last ? "\"\r\n" : "\",");
	return err;
}

/* Implements: FR-EXPORT-001 */
int hw_export_csv(hw_buf *out, const hw_export_doc *d)
{
	hw_export_table t;
	int err = hw_export_table_build(
		&t, d->reverse ? HW_XT_REVERSE : HW_XT_FORWARD, d->trace);

	for (size_t c = 0; c < t.ncols && !err; c++)
		err = field(out, t.head[c], c + 1 == t.ncols);
	for (size_t i = 0; i < t.nrows * t.ncols && !err; i++)
		err = field(out, t.cells[i], (i + 1) % t.ncols == 0);
	hw_export_table_free(&t);
	return err;
}
