/*
 * events.c — the fleet's audit trail: each registration and revocation
 * appended to the ledger (.hwledger/ledger.db) as one signed event
 * (specs/fleet.md, "Ledger events").
 */
#include "fleet/internal.h"

/* Implements: FR-FLEET-005 */
int hw_fleet_event(const hw_seckey *k, const char *kind, const char *serial,
		   const char *field, const char *value)
{
	hw_append item = {kind, "application/json", NULL, 0};
	char commit[64];
	hw_ledger l;
	hw_buf b;
	hw_jw w;
	int dirty, err;

	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	/* the schema is the kind's: fleet-register is hwledger.fleet.register/1 */
	hw_jw_key(&w, "schema");
	{
		hw_buf schema;

		hw_buf_init(&schema, 0);
		if (!hw_buf_printf(&schema, "hwledger.fleet.%s/1", kind + 6))
			hw_jw_str(&w, schema.data);
		hw_buf_free(&schema);
	}
	hw_jw_kstr(&w, "serial", serial);
	hw_jw_kstr(&w, field, value);
	hw_jw_end(&w);
	if (!(err = hw_jw_finish(&w)) &&
	    !(err = hw_ledger_open(&l, HW_LEDGER_DB, 1))) {
		item.payload = b.data;
		item.payload_len = b.len;
		hw_git_head(commit, sizeof(commit), &dirty);
		err = hw_ledger_append(&l, &item, 1, commit, k, NULL);
		hw_ledger_close(&l);
	}
	hw_buf_free(&b);
	return err;
}
