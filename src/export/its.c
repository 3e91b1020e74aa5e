/*
 * its.c — the interchange formats as formats of `hwledger export`: ReqIF
 * 1.2 and OpenFastTrace's aspec, written by src/interchange from the
 * requirement texts, their model and (aspec) the trace's verdicts.
 */
#include "export/export.h"
#include "interchange/interchange.h"
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>

/* The export's date at midnight UTC: the signed report's, --today's or
 * today's, so that the same evidence exports the same bytes. */
static time_t doc_time(const hw_export_doc *d)
{
	int ymd[3];

	return hw_date_parse(d->date, 0, ymd)
		       ? (time_t)hw_date_days(ymd) * 24 * 60 * 60
		       : 0;
}

/* Runs one writer into a memory stream and appends what it wrote; its
 * warnings (a Parent that names no requirement) go to stderr. */
static int through_stream(hw_buf *out, const hw_export_doc *d, int reqif)
{
	char *data = NULL;
	size_t len = 0;
	hw_diags diags;
	FILE *f;
	int err;

	if (!d->frs)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "%s export needs the requirement texts",
				    reqif ? "ReqIF" : "aspec");
	if (!(f = open_memstream(&data, &len)))
		return hw_error_oom();
	hw_diags_init(&diags);
	err = reqif ? hw_reqif_write(d->frs, d->model, doc_time(d), f, &diags)
		    : hw_oft_aspec_write(d->frs, d->model, d->trace, f);
	if (fclose(f) != 0 && !err)
		err = hw_error_oom();
	if (!err)
		err = hw_buf_append(out, data, len);
	hw_diags_print(&diags, stderr, 0);
	hw_diags_free(&diags);
	free(data);
	return err;
}

/* Implements: FR-XCH-001 */
int hw_export_reqif(hw_buf *out, const hw_export_doc *d)
{
	return through_stream(out, d, 1);
}

/* Implements: FR-XCH-004 */
int hw_export_aspec(hw_buf *out, const hw_export_doc *d)
{
	return through_stream(out, d, 0);
}
