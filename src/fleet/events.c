/*
 * events.c — the fleet's audit trail: each registration and revocation
 * appended to the ledger (.hwledger/ledger.db) as one signed event
 * (specs/fleet.md, "Ledger events").
 */
#include "fleet/internal.h"

/* Implements: FR-FLEET-005, FR-FLEET-007 */
int hw_fleet_event_append(const hw_seckey *k, const char *kind,
			  const hw_buf *payload)
{
	hw_append item = {kind, "application/json", payload->data,
			  payload->len};
	char commit[64];
	hw_ledger l;
	int err;

	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return err;
	/* the commit only: whether the working tree has changes would walk
	 * every file of the repository at every event */
	hw_git_head(commit, sizeof(commit), NULL);
	err = hw_ledger_append(&l, &item, 1, commit, k, NULL);
	hw_ledger_close(&l);
	return err;
}

/* Implements: FR-FLEET-005 */
int hw_fleet_event(const hw_seckey *k, const char *kind, const char *serial,
		   const char *field, const char *value)
{
	hw_buf b, schema;
	hw_jw w;
	int err;

	hw_buf_init(&b, 0);
	hw_buf_init(&schema, 0);
	/* the schema is the kind's: fleet-register is
	 * hwledger.fleet.register/1 */
	err = hw_buf_printf(&schema, "hwledger.fleet.%s/1", kind + 6);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", schema.data ? schema.data : "");
	hw_jw_kstr(&w, "serial", serial);
	hw_jw_kstr(&w, field, value);
	hw_jw_end(&w);
	if (!err && !(err = hw_jw_finish(&w)))
		err = hw_fleet_event_append(k, kind, &b);
	hw_buf_free(&schema);
	hw_buf_free(&b);
	return err;
}
