/*
 * ops.c — the ledger's operations as whole steps: sign a checkpoint, anchor
 * it, export the bundle, verify the repository's ledger. `hwledger ledger`
 * and the report pipeline call the same functions, so the report records
 * exactly what the commands would.
 */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

int hw_ledger_leaves(uint8_t (**leaves)[32], const hw_event_list *list)
{
	hw_buf enc;
	int err;

	*leaves = malloc((list->n ? list->n : 1) * 32);
	HW_CHECK_ALLOC(*leaves); /* never 0 with no leaves */
	hw_buf_init(&enc, 0);
	for (size_t i = 0; i < list->n; i++) {
		if ((err = hw_event_encode(&enc, &list->items[i]))) {
			hw_buf_free(&enc);
			free(*leaves);
			*leaves = NULL;
			return err;
		}
		hw_leaf_hash((*leaves)[i], enc.data, enc.len);
	}
	hw_buf_free(&enc);
	return HW_OK;
}

/* Implements: FR-LEDGER-003 */
int hw_ledger_checkpoint(hw_ledger *l, const hw_seckey *keys, size_t nkeys,
			 hw_checkpoint *c)
{
	hw_event_list list;
	uint8_t (*leaves)[32] = NULL, root[32];
	char origin[128];
	int err;

	memset(c, 0, sizeof(*c));
	if ((err = hw_ledger_load(l, &list)))
		return err;
	/* sign only what the stored bytes say: recompute, compare */
	if ((err = hw_ledger_leaves(&leaves, &list))) {
		hw_event_list_free(&list);
		return err;
	}
	for (size_t i = 0; !err && i < list.n; i++)
		if (memcmp(leaves[i], list.items[i].hash, 32) != 0)
			err = hw_error_set(HW_EFAIL, HW_LEDGER_DB, 0, 0,
					   "event %zu does not match its hash; "
					   "refusing to sign a checkpoint "
					   "(run 'hwledger ledger verify')",
					   i);
	if (!err) {
		hw_merkle_root(root, (const uint8_t(*)[32])leaves, list.n);
		hw_ledger_origin(origin, sizeof(origin));
		err = hw_checkpoint_make(c, origin, list.n, root, keys, nkeys);
	}
	if (!err && (err = hw_ledger_store_checkpoint(l, c)))
		hw_checkpoint_free(c);
	free(leaves);
	hw_event_list_free(&list);
	return err;
}

/* Implements: FR-LEDGER-003 */
int hw_ledger_anchor(hw_ledger *l, uint64_t *size, char commit[41],
		     int *fresh, char *ref)
{
	hw_checkpoint c = {0};
	char anchored[64];
	int err;

	*fresh = 0;
	*size = 0;
	if ((err = hw_ledger_ref(ref, HW_LEDGER_REF_MAX)) ||
	    (err = hw_ledger_latest_checkpoint(l, &c, anchored,
					       sizeof(anchored)))) {
		hw_checkpoint_free(&c);
		return err;
	}
	*size = c.size;
	if (anchored[0]) {
		snprintf(commit, 41, "%.40s", anchored);
	} else if (!(err = hw_git_anchor(&c, commit)) &&
		   !(err = hw_ledger_mark_anchored(l, commit))) {
		*fresh = 1;
	}
	hw_checkpoint_free(&c);
	return err;
}

/* Implements: FR-LEDGER-004 */
int hw_ledger_trusted(hw_keyring *ring, const char **extra, size_t nextra,
		      int need_list)
{
	int err = HW_OK;

	if (hw_path_exists(HW_LEDGER_TRUSTED))
		err = hw_keyring_load(ring, HW_LEDGER_TRUSTED);
	else if (need_list && !nextra)
		return hw_error_set(HW_ENOTFOUND, HW_LEDGER_TRUSTED, 0, 0,
				    "no trusted keys: list public keys here, "
				    "or pass --key FILE");
	for (size_t i = 0; !err && i < nextra; i++)
		err = hw_keyring_load(ring, extra[i]);
	return err;
}

/* Implements: FR-LEDGER-005 */
int hw_ledger_export_bundle(hw_ledger *l, const char *dir,
			    const hw_pubkey *signer)
{
	hw_keyring ring = {0};
	int err = hw_ledger_trusted(&ring, NULL, 0, 0);

	/* the signing key's public half travels too: the bundle names who
	 * signed, and its reader decides whom to trust (--key) */
	if (!err && signer)
		err = hw_keyring_add(&ring, signer);
	if (!err)
		err = hw_bundle_export(l, dir, &ring);
	hw_keyring_free(&ring);
	return err;
}

/* Implements: FR-LEDGER-004, FR-LEDGER-005 */
int hw_ledger_verify_repo(hw_verify_report *r, const hw_keyring *trusted,
			  hw_event_list *keep)
{
	hw_verify_opts o = {trusted, 1, HW_LEDGER_LAST_VERIFIED, 0};
	hw_event_list list = {0};
	hw_checkpoint *cps = NULL;
	size_t ncps = 0;
	hw_ledger l;
	int err;

	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 0))) {
		if (err != HW_ENOTFOUND)
			return err;
		/* no ledger yet is an empty ledger: valid */
		hw_error_clear();
		err = hw_ledger_verify(r, &list, NULL, 0, &o);
	} else {
		err = hw_ledger_load(&l, &list);
		if (!err)
			err = hw_ledger_checkpoints(&l, &cps, &ncps);
		if (!err)
			err = hw_ledger_verify(r, &list, cps, ncps, &o);
		for (size_t i = 0; i < ncps; i++)
			hw_checkpoint_free(&cps[i]);
		free(cps);
		hw_ledger_close(&l);
	}
	if (keep && !err) {
		*keep = list;
		return HW_OK;
	}
	hw_event_list_free(&list);
	return err;
}

/* Implements: FR-LEDGER-004 */
int hw_verify_report_json(hw_buf *b, const hw_verify_report *r)
{
	char root[65];
	hw_jw w;

	hw_hex(root, r->root, 32);
	hw_jw_init(&w, b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.verify/1");
	hw_jw_kbool(&w, "ok", r->ok);
	hw_jw_kint(&w, "events", (long long)r->events);
	hw_jw_kstr(&w, "root", root);
	hw_jw_kint(&w, "covered", (long long)r->covered);
	hw_jw_kint(&w, "checkpoints", (long long)r->checkpoints);
	hw_jw_kint(&w, "anchors", (long long)r->anchors);
	hw_jw_key(&w, "first_bad");
	if (r->first_bad >= 0)
		hw_jw_int(&w, r->first_bad);
	else
		hw_jw_null(&w);
	hw_jw_kstr(&w, "message", r->message);
	hw_jw_kstr(&w, "uncovered", r->tail_note[0] ? r->tail_note : NULL);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}
