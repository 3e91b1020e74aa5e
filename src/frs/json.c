/*
 * json.c — the `frs list --json` document (schema hwledger.frs/1, described
 * in specs/json-schemas.md), written with the streaming writer.
 */
#include "frs.h"

static void write_needs(hw_jw *w, unsigned needs)
{
	static const char *const names[] = {"impl", "utest", "itest"};

	hw_jw_array(w);
	for (int i = 0; i < 3; i++)
		if (needs & (1u << i))
			hw_jw_str(w, names[i]);
	hw_jw_end(w);
}

/* Implements: FR-FRS-004 */
int hw_frs_json(hw_buf *out, const hw_fr_set *set)
{
	hw_jw w;

	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_FRS_SCHEMA);
	hw_jw_kint(&w, "count", (long long)set->n);
	hw_jw_key(&w, "frs");
	hw_jw_array(&w);
	for (size_t i = 0; i < set->n; i++) {
		const hw_fr *fr = &set->items[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", fr->id);
		hw_jw_kint(&w, "rev", fr->rev);
		hw_jw_kstr(&w, "status", hw_fr_status_name(fr->status));
		hw_jw_key(&w, "needs");
		write_needs(&w, fr->needs);
		hw_jw_kstr(&w, "title", fr->title);
		hw_jw_kstr(&w, "file", fr->file);
		hw_jw_kint(&w, "line", fr->line);
		hw_jw_kstr(&w, "sha256", fr->sha256);
		hw_jw_kstr(&w, "text", fr->body);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}
