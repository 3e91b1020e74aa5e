/*
 * export.c — the table of formats `hwledger export` dispatches on, and the
 * report's facts an export shows (title page, Signature sheet).
 *
 * A format is a row of the table and a function in a file of its own under
 * src/export/: adding one is adding its row. A format that shows the
 * requirements' texts says so, and is given the FR set and the glossary.
 */
#include "export/export.h"
#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const hw_export_format formats[] = {
	{"csv", hw_export_csv, 0},
	{"xlsx", hw_export_xlsx, 0},
	{"html", hw_export_html, 1},
	{"pdf", hw_export_pdf, 1},
	{"reqif", hw_export_reqif, 1},
	{"aspec", hw_export_aspec, 1},
};

#define NFORMATS (sizeof(formats) / sizeof(*formats))

const hw_export_format *hw_export_find(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const char *hw_export_names(void)
{
	static char names[256];

	if (!*names)
		for (size_t i = 0; i < NFORMATS; i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", formats[i].name);
	return names;
}

/* report.json: the verdict, the commit, the signer, and its SHA-256 as the
 * report's id (the manifest signs the same bytes). */
static int read_report(hw_export_doc *d, const char *path)
{
	hw_buf b;
	cJSON *r = NULL;
	uint8_t h[HW_SHA256_LEN];
	int err;

	hw_buf_init(&b, 0);
	if ((err = hw_file_read(&b, path, (size_t)16 << 20)) ||
	    (err = hw_json_parse(&r, path, b.data, b.len)))
		goto done;
	hw_sha256(h, b.data, b.len);
	hw_hex(d->report_id, h, HW_SHA256_LEN);
	snprintf(d->verdict, sizeof(d->verdict), "%s",
		 cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")) ? "pass" : "fail");
	snprintf(d->commit, sizeof(d->commit), "%s",
		 hw_json_str(r, "commit") ? hw_json_str(r, "commit") : "");
	snprintf(d->signer, sizeof(d->signer), "%s",
		 hw_json_str(cJSON_GetObjectItem(r, "key"), "name")
			 ? hw_json_str(cJSON_GetObjectItem(r, "key"), "name")
			 : "");
done:
	cJSON_Delete(r);
	hw_buf_free(&b);
	return err;
}

/* bundle/: the checkpoint's root and size, and the date of the latest
 * event (the export's date is the report's, not the clock's). */
static int read_bundle(hw_export_doc *d, const char *dir)
{
	hw_event_list ev = {0};
	hw_checkpoint cp;
	int err;

	memset(&cp, 0, sizeof(cp));
	if ((err = hw_bundle_load(dir, &ev, &cp)))
		return err;
	hw_hex(d->checkpoint_root, cp.root, sizeof(cp.root));
	snprintf(d->checkpoint_size, sizeof(d->checkpoint_size), "%llu",
		 (unsigned long long)cp.size);
	if (ev.n)
		hw_date_of((time_t)(ev.items[ev.n - 1].time_ns / 1000000000),
			   d->date);
	hw_checkpoint_free(&cp);
	hw_event_list_free(&ev);
	return HW_OK;
}

/* Implements: FR-EXPORT-001, FR-EXPORT-002 */
int hw_export_report_info(hw_export_doc *d, const char *checks_dir)
{
	char *rp = hw_path_join(checks_dir, "report.json");
	char *bp = hw_path_join(checks_dir, "bundle");
	int err = rp && bp ? HW_OK : hw_error_oom();

	if (!err && hw_path_exists(rp))
		err = read_report(d, rp);
	if (!err && hw_path_is_dir(bp))
		err = read_bundle(d, bp);
	free(rp);
	free(bp);
	return err;
}
