/*
 * verify.c — the ledger verifier. It trusts nothing stored: every hash is
 * recomputed from the stored bytes, every signature checked (strict Ed25519:
 * libsodium refuses non-canonical signatures and small-order keys), every
 * checkpoint's root recomputed over its prefix, the anchor ref's history
 * checked to only grow, and the ledger checked to extend the checkpoint this
 * machine verified last. The first failure is named with its sequence
 * number.
 */
#include "ledger.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EV_OK, EV_SHAPE, EV_HASH, EV_KEY, EV_SIG, EV_NOMEM };

typedef struct work {
	const hw_event_list *list;
	const hw_keyring *trusted;
	uint8_t (*leaves)[32];
	unsigned char *status;
} work;

static void check_event(work *w, size_t i, hw_buf *enc, hw_buf *pae)
{
	const hw_event *e = &w->list->items[i];
	const hw_pubkey *k;

	if (w->list->bad && w->list->bad[i]) {
		w->status[i] = EV_SHAPE;
		return;
	}
	if (hw_event_encode(enc, e) || hw_event_pae(pae, enc->data, enc->len)) {
		w->status[i] = EV_NOMEM;
		return;
	}
	hw_leaf_hash(w->leaves[i], enc->data, enc->len);
	if (memcmp(w->leaves[i], e->hash, 32) != 0) {
		w->status[i] = EV_HASH;
		return;
	}
	k = hw_keyring_find_at(w->trusted, e->key_id, e->seq);
	if (!k) {
		w->status[i] = EV_KEY;
		return;
	}
	w->status[i] = crypto_sign_verify_detached(e->sig,
						   (const uint8_t *)pae->data,
						   pae->len, k->pk) == 0
			       ? EV_OK
			       : EV_SIG;
}

#define EVENTS_PER_JOB 256

/* Job i: the events [i * EVENTS_PER_JOB, (i + 1) * EVENTS_PER_JOB). */
static int check_events(void *arg, size_t job)
{
	work *w = arg;
	hw_buf enc, pae;

	hw_buf_init(&enc, 0);
	hw_buf_init(&pae, 0);
	for (size_t k = job * EVENTS_PER_JOB;
	     k < (job + 1) * EVENTS_PER_JOB && k < w->list->n; k++)
		check_event(w, k, &enc, &pae);
	hw_buf_free(&enc);
	hw_buf_free(&pae);
	return HW_OK; /* a failure is the event's status */
}

static int fail_at(hw_verify_report *r, long long seq, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 3, 4)));

static int fail_at(hw_verify_report *r, long long seq, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	r->ok = 0;
	r->first_bad = seq;
	if (seq >= 0)
		n = snprintf(r->message, sizeof(r->message), "event %lld: ",
			     seq);
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(r->message + n, sizeof(r->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return HW_EFAIL;
}

/*
 * A repair event's "disown SEQ HASH" lines: each names an earlier event,
 * by its stored hash, whose signer is not a trusted key, so that the
 * ledger verifies again (its hash and place in the chain still must).
 */
static void apply_repair(const hw_event *e, const hw_event_list *list,
			 unsigned char *disowned)
{
	const char *p = (const char *)e->payload;
	const char *end = p + e->payload_len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t seq;
		char line[128];
		const char *hex;
		uint8_t hash[32];

		if (len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			/* "disown SEQ HASH": one space each, 64 hex digits */
			hex = hw_str_startswith(line, "disown ")
				      ? hw_str_u64(line + 7, &seq)
				      : NULL;
			if (hex && *hex == ' ' && strlen(++hex) == 64 &&
			    sodium_hex2bin(hash, 32, hex, 64, NULL, NULL,
					   NULL) == 0 &&
			    seq < e->seq && seq < list->n &&
			    list->items[seq].seq == seq &&
			    !memcmp(list->items[seq].hash, hash, 32))
				disowned[seq] = 1;
		}
		p = nl ? nl + 1 : end;
	}
}

/*
 * Key rotations and repairs, in order, each applied only when it is signed
 * by a key valid at that point (one that does not verify is left for the
 * main pass to report). A rotation (its payload a public key line) retires
 * its signer after that event and makes the new key valid from the next
 * one; a repair marks the events it disowns.
 */
static int apply_key_events(hw_keyring *ring, const hw_event_list *list,
			    unsigned char *disowned)
{
	hw_buf enc, pae;
	int err = HW_OK;

	hw_buf_init(&enc, 0);
	hw_buf_init(&pae, 0);
	for (size_t i = 0; i < list->n && !err; i++) {
		const hw_event *e = &list->items[i];
		int rotation = !strcmp(e->kind, HW_EVENT_KEY_ROTATION);
		hw_pubkey *signer;
		hw_pubkey next;
		uint8_t leaf[32];
		char line[256];

		if ((list->bad && list->bad[i]) ||
		    (!rotation && strcmp(e->kind, HW_EVENT_REPAIR) != 0))
			continue;
		signer = (hw_pubkey *)hw_keyring_find_at(ring, e->key_id,
							 e->seq);
		if (!signer || hw_event_encode(&enc, e) ||
		    hw_event_pae(&pae, enc.data, enc.len))
			continue;
		hw_leaf_hash(leaf, enc.data, enc.len);
		if (memcmp(leaf, e->hash, 32) != 0 ||
		    crypto_sign_verify_detached(e->sig,
						(const uint8_t *)pae.data,
						pae.len, signer->pk) != 0)
			continue;
		if (!rotation) {
			apply_repair(e, list, disowned);
			continue;
		}
		if (e->payload_len >= sizeof(line))
			continue;
		memcpy(line, e->payload, e->payload_len);
		line[e->payload_len] = '\0';
		if (hw_pubkey_parse(&next, line, "key-rotation", 1) != HW_OK)
			continue;
		signer->valid_until = e->seq;
		next.valid_from = e->seq + 1;
		err = hw_keyring_add(ring, &next);
	}
	hw_error_clear();
	hw_buf_free(&enc);
	hw_buf_free(&pae);
	return err;
}

static int verify_events(hw_verify_report *r, const hw_event_list *list,
			 const hw_verify_opts *o, uint8_t (*leaves)[32])
{
	hw_keyring ring = {0};
	work w = {list, &ring, leaves, NULL};
	size_t jobs = (list->n + EVENTS_PER_JOB - 1) / EVENTS_PER_JOB;
	unsigned char *disowned = NULL;
	int err = HW_OK;
	static const uint8_t zero[32];

	for (size_t i = 0; o->trusted && i < o->trusted->n; i++)
		if (hw_keyring_add(&ring, &o->trusted->keys[i]))
			return hw_error_code();
	w.status = calloc(list->n ? list->n : 1, 1);
	disowned = calloc(list->n ? list->n : 1, 1);
	if (!w.status || !disowned) {
		err = hw_error_oom();
		goto done;
	}
	if ((err = apply_key_events(&ring, list, disowned)))
		goto done;
	/* signatures are the cost: a thread per 512 events and CPU */
	hw_tasks_run(jobs,
		     o->threads > 0 ? (size_t)o->threads
				    : hw_tasks_threads(list->n, 512),
		     check_events, &w);

	for (size_t i = 0; i < list->n && !err; i++) {
		const hw_event *e = &list->items[i];
		int st = w.status[i];
		char id[9];

		if (st == EV_NOMEM)
			err = hw_error_oom();
		else if ((long long)e->seq < 0)
			/* SQLite stores it signed: print it as stored */
			err = fail_at(r, (long long)i,
				      "stored with the sequence number %lld",
				      (long long)e->seq);
		else if (e->seq != i)
			err = fail_at(r, (long long)i,
				      e->seq > i ? "missing (the next stored "
						   "event is %llu)"
						 : "stored twice (as %llu)",
				      (unsigned long long)e->seq);
		else if (st == EV_SHAPE)
			err = fail_at(r, (long long)i,
				      "a stored field is NULL or has the "
				      "wrong length");
		else if (st == EV_HASH)
			err = fail_at(r, (long long)i,
				      "its hash does not match its bytes (the "
				      "event was edited)");
		else if (memcmp(e->prev, i ? leaves[i - 1] : zero, 32) != 0)
			err = fail_at(r, (long long)i,
				      "prev does not match the hash of the "
				      "event before (an event was deleted, "
				      "inserted or reordered)");
		else if (st == EV_KEY && !disowned[i])
			err = fail_at(r, (long long)i,
				      "signed by key id %s, which is not a "
				      "trusted key for this event",
				      (hw_hex(id, e->key_id, 4), id));
		else if (st == EV_SIG)
			err = fail_at(r, (long long)i,
				      "the signature does not verify (forged, "
				      "altered or non-canonical)");
		else if (i && e->time_ns < list->items[i - 1].time_ns)
			err = fail_at(r, (long long)i,
				      "its timestamp goes backwards");
		r->disowned += st == EV_KEY;
	}
done:
	free(w.status);
	free(disowned);
	hw_keyring_free(&ring);
	return err;
}

/* Each distinct commit id is looked up once. */
static int verify_commits(hw_verify_report *r, const hw_event_list *list)
{
	const char **ids = malloc((list->n ? list->n : 1) * sizeof(*ids));
	int err = HW_OK;

	HW_CHECK_ALLOC(ids);
	for (size_t i = 0; i < list->n; i++)
		ids[i] = list->items[i].commit;
	qsort(ids, list->n, sizeof(*ids), hw_strp_cmp);
	for (size_t i = 0; i < list->n; i++) {
		if (!ids[i][0] || (i && !strcmp(ids[i], ids[i - 1])))
			continue;
		int found = hw_git_commit_exists(ids[i]);

		if (found < 0) {
			err = found;
			break;
		}
		if (!found) {
			/* name the first event that records it */
			for (size_t k = 0; k < list->n; k++)
				if (!strcmp(list->items[k].commit, ids[i])) {
					err = fail_at(r, (long long)k,
						      "commit %s is not in the "
						      "repository",
						      ids[i]);
					break;
				}
			break;
		}
	}
	free(ids);
	return err;
}

/* Root over the prefix of size n, computed on demand. */
static int check_checkpoint(hw_verify_report *r, const hw_checkpoint *c,
			    const hw_keyring *trusted, uint8_t (*leaves)[32],
			    size_t n, const char *where)
{
	uint8_t root[32];

	if (hw_checkpoint_verify(c, trusted))
		return fail_at(r, -1, "%s: %s", where, hw_error_last());
	if (c->size > n)
		return fail_at(r, (long long)n,
			       "%s covers %llu events but the ledger has only "
			       "%zu (events were removed)",
			       where, (unsigned long long)c->size, n);
	hw_merkle_root(root, (const uint8_t(*)[32])leaves, (size_t)c->size);
	if (memcmp(root, c->root, 32) != 0)
		return fail_at(r, -1,
			       "%s of size %llu: its root does not match the "
			       "events (history was rewritten)",
			       where, (unsigned long long)c->size);
	return HW_OK;
}

/*
 * What this machine verified last (.hwledger/last-verified):
 * "<checkpoint size> <hex root> <head size> <hex head hash>\n", the largest
 * checkpoint and the latest event (the head: how many events, and the hash
 * of the last one). The head catches a tail cut off or rewritten after the
 * last checkpoint. A file of an older version holds only the first two
 * fields (no head).
 */
typedef struct last_verified {
	uint64_t size, head_size;
	uint8_t root[32], head[32];
	int have, have_head;
} last_verified;

/* "NUMBER HEX" at *p, then a space or the end of the line: the number
 * and 64 hex digits read, *p moved past them; 0 when that is not there. */
static int number_and_hash(const char **p, uint64_t *v, uint8_t out[32])
{
	const char *s = hw_str_u64(*p, v);

	if (!s || *s != ' ' || strspn(s + 1, "0123456789abcdefABCDEF") != 64 ||
	    (s[65] != ' ' && s[65] != '\n' && s[65] != '\0') ||
	    sodium_hex2bin(out, 32, s + 1, 64, NULL, NULL, NULL) != 0)
		return 0;
	*p = s + 65;
	return 1;
}

static int read_last_verified(const char *path, last_verified *lv)
{
	hw_buf b;
	uint64_t s = 0, hs = 0;
	const char *p;
	int ok, err;

	memset(lv, 0, sizeof(*lv));
	if (!hw_path_exists(path))
		return HW_OK;
	hw_buf_init(&b, 256);
	err = hw_file_read(&b, path, 256);
	if (!err) {
		/* "SIZE ROOT" (before the head was kept) or
		 * "SIZE ROOT HEADSIZE HEADHASH", one line */
		p = b.data ? b.data : "";
		ok = number_and_hash(&p, &s, lv->root);
		if (ok && *p == ' ') { /* the head */
			p++;
			ok = number_and_hash(&p, &hs, lv->head) && hs > 0;
			lv->have_head = ok;
		}
		if (ok && *p == '\n')
			p++;
		if (!ok || *p != '\0')
			err = hw_error_set(HW_EINVAL, path, 1, 0,
					   "expected '<size> <hex root> <head "
					   "size> <hex head hash>'");
	}
	hw_buf_free(&b);
	if (!err) {
		lv->size = s;
		lv->have = 1;
		lv->head_size = lv->have_head ? hs : 0;
	}
	return err;
}

/* The ledger must extend what this machine verified last. */
static int check_last_verified(hw_verify_report *r, const last_verified *lv,
			       uint8_t (*leaves)[32], size_t n)
{
	uint8_t root[32];

	if (lv->size > n || lv->head_size > n)
		return fail_at(r, (long long)n,
			       "this machine verified %llu events before; "
			       "the ledger now has %zu (rollback or a cut "
			       "tail)",
			       (unsigned long long)(lv->head_size > lv->size
							    ? lv->head_size
							    : lv->size),
			       n);
	hw_merkle_root(root, (const uint8_t(*)[32])leaves, (size_t)lv->size);
	if (memcmp(root, lv->root, 32) != 0)
		return fail_at(r, -1,
			       "the ledger does not extend the checkpoint of "
			       "size %llu this machine verified before (fork "
			       "or rewrite)",
			       (unsigned long long)lv->size);
	if (lv->have_head &&
	    memcmp(leaves[lv->head_size - 1], lv->head, 32) != 0)
		return fail_at(r, (long long)lv->head_size - 1,
			       "differs from the event this machine verified "
			       "as number %llu before (the tail was rewritten)",
			       (unsigned long long)lv->head_size - 1);
	return HW_OK;
}

/* Remembers the largest checkpoint verified here and the head. */
static int write_last_verified(const char *path, const last_verified *lv,
			       uint64_t covered, uint8_t (*leaves)[32],
			       size_t n)
{
	uint64_t size = covered > lv->size ? covered : lv->size;
	uint8_t root[32];
	char hex[65], head[65];
	hw_buf b;
	int err;

	hw_merkle_root(root, (const uint8_t(*)[32])leaves, (size_t)size);
	hw_hex(hex, root, 32);
	hw_hex(head, leaves[n - 1], 32);
	hw_buf_init(&b, 0);
	err = hw_buf_printf(&b, "%llu %s %zu %s\n", (unsigned long long)size,
			    hex, n, head);
	if (!err)
		err = hw_file_write_atomic(path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}

/* The position of commit on the list's ref, -1 when it is not there. */
static long anchor_index(const hw_anchor_list *list, const char *commit)
{
	for (size_t k = 0; k < list->n; k++)
		if (!strcmp(list->commits[k], commit))
			return (long)k;
	return -1;
}

/* Implements: FR-LEDGER-004 */
int hw_ledger_verify(hw_verify_report *r, const hw_event_list *list,
		     const hw_checkpoint *cps, size_t ncps,
		     const hw_verify_opts *o)
{
	uint8_t (*leaves)[32] = malloc((list->n ? list->n : 1) * 32);
	hw_anchor_list anchors = {0}, legacy = {0};
	uint64_t covered = 0;
	last_verified lv = {0};
	int err;

	memset(r, 0, sizeof(*r));
	r->first_bad = -1;
	r->ok = 1;
	r->events = list->n;
	HW_CHECK_ALLOC(leaves);
	if ((err = verify_events(r, list, o, leaves)))
		goto done;
	hw_merkle_root(r->root, (const uint8_t(*)[32])leaves, list->n);
	if (o->check_git && (err = verify_commits(r, list)))
		goto done;
	for (size_t i = 0; i < ncps; i++) {
		char where[64];

		snprintf(where, sizeof(where), "stored checkpoint %zu", i + 1);
		if ((err = check_checkpoint(r, &cps[i], o->trusted, leaves,
					    list->n, where)))
			goto done;
		if (cps[i].size > covered)
			covered = cps[i].size;
	}
	r->checkpoints = ncps;
	if (o->check_git) {
		if ((err = hw_git_anchors(&anchors)))
			goto done;
		r->anchors = anchors.n;
		for (size_t i = 0; i < anchors.n; i++) {
			char where[96];

			snprintf(where, sizeof(where), "anchored checkpoint %.12s",
				 anchors.commits[i]);
			if (i && anchors.items[i].size < anchors.items[i - 1].size) {
				err = fail_at(r, -1,
					      "%s shrinks the ledger from %llu "
					      "to %llu events",
					      where,
					      (unsigned long long)anchors.items[i - 1].size,
					      (unsigned long long)anchors.items[i].size);
				goto done;
			}
			if ((err = check_checkpoint(r, &anchors.items[i],
						    o->trusted, leaves, list->n,
						    where)))
				goto done;
			if (anchors.items[i].size > covered)
				covered = anchors.items[i].size;
		}
		/* every anchor the ledger recorded must still be on the ref;
		 * a project in a subfolder that was anchored before each
		 * project had a ref of its own finds those anchors on the
		 * ref that was shared (specs/ledger.md) */
		for (size_t i = 0; i < ncps; i++) {
			const char *commit = cps[i].anchor;
			char where[96];
			long k;

			if (!commit[0] || anchor_index(&anchors, commit) >= 0)
				continue;
			k = -1;
			if (strcmp(anchors.ref, HW_LEDGER_REF) != 0) {
				if (!legacy.ref[0] &&
				    (err = hw_git_anchors_on(&legacy,
							     HW_LEDGER_REF)))
					goto done;
				k = anchor_index(&legacy, commit);
			}
			if (k < 0) {
				err = fail_at(r, -1,
					      "%s no longer holds anchor commit "
					      "%.12s of the checkpoint of size "
					      "%llu (the ref was moved back or "
					      "rewritten)",
					      anchors.ref, commit,
					      (unsigned long long)cps[i].size);
				goto done;
			}
			snprintf(where, sizeof(where),
				 "checkpoint %.12s anchored on %s", commit,
				 HW_LEDGER_REF);
			if ((err = check_checkpoint(r, &legacy.items[k],
						    o->trusted, leaves, list->n,
						    where)))
				goto done;
			r->anchors++;
		}
	}
	if (o->last_verified) {
		if ((err = read_last_verified(o->last_verified, &lv)))
			goto done;
		if (lv.have &&
		    (err = check_last_verified(r, &lv, leaves, list->n)))
			goto done;
	}
	r->covered = covered;
	if (covered < list->n)
		snprintf(r->tail_note, sizeof(r->tail_note),
			 "events %llu to %zu are not covered by a checkpoint "
			 "yet",
			 (unsigned long long)covered, list->n - 1);
	snprintf(r->message, sizeof(r->message),
		 "%zu event%s verified; %zu checkpoint%s, %zu anchored",
		 list->n, HW_S(list->n), ncps, HW_S(ncps), r->anchors);
	if (r->disowned)
		snprintf(r->message + strlen(r->message),
			 sizeof(r->message) - strlen(r->message),
			 "; %zu events not signed by a trusted key are "
			 "disowned by a repair event",
			 r->disowned);
	if (o->last_verified && list->n > 0)
		err = write_last_verified(o->last_verified, &lv, covered,
					  leaves, list->n);
done:
	hw_anchor_list_free(&anchors);
	hw_anchor_list_free(&legacy);
	free(leaves);
	return err;
}
