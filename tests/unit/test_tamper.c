/*
 * test_tamper.c — the ledger's tamper catalog: every way of editing,
 * deleting, reordering or rewriting evidence that a verifier must catch,
 * each with the failure it must name. The ledger under attack has six events
 * signed by a trusted key, checkpoints of 4 and 6 events, both anchored on
 * refs/hwledger/checkpoints in a real git repository.
 */
#include "harness.h"

#include <sodium.h>
#include <sqlite3.h>

#include "ledger/ledger.h"

typedef struct world {
	char *dir;
	hw_seckey alice, carol, bob; /* alice, carol trusted; bob not */
	hw_keyring trusted;
	char head[41];
	char anchor4[41], anchor6[41];
} world;

static void sh(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void append(hw_ledger *l, world *w, size_t n, const hw_seckey *k)
{
	hw_append items[8];
	char payloads[8][32];

	for (size_t i = 0; i < n; i++) {
		snprintf(payloads[i], sizeof(payloads[i]), "{\"check\": %zu}", i);
		items[i].kind = "test";
		items[i].payload_type = "application/json";
		items[i].payload = payloads[i];
		items[i].payload_len = strlen(payloads[i]);
	}
	assert_int_equal(hw_ledger_append(l, items, n, w->head, k, NULL),
			 HW_OK);
}

static void checkpoint(hw_ledger *l, const hw_seckey *k, char *anchor_out)
{
	hw_event_list list;
	uint8_t (*leaves)[32];
	uint8_t root[32];
	hw_checkpoint c;

	assert_int_equal(hw_ledger_load(l, &list), HW_OK);
	leaves = malloc(list.n * 32);
	for (size_t i = 0; i < list.n; i++)
		memcpy(leaves[i], list.items[i].hash, 32);
	hw_merkle_root(root, (const uint8_t(*)[32])leaves, list.n);
	assert_int_equal(hw_checkpoint_make(&c, "hwledger/test", list.n, root,
					    k, 1),
			 HW_OK);
	assert_int_equal(hw_ledger_store_checkpoint(l, &c), HW_OK);
	if (anchor_out) {
		assert_int_equal(hw_git_anchor(&c, anchor_out), HW_OK);
		assert_int_equal(hw_ledger_mark_anchored(l, anchor_out), HW_OK);
	}
	hw_checkpoint_free(&c);
	free(leaves);
	hw_event_list_free(&list);
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	hw_ledger l;

	w->dir = hw_test_chdir_tmp();
	hw_git_close();
	sh("git init -q . && git -c user.name=t -c user.email=t@t commit -q "
	   "--allow-empty -m one");
	assert_int_equal(hw_git_head(w->head, sizeof(w->head), NULL), HW_OK);
	assert_int_equal(strlen(w->head), 40);
	assert_int_equal(hw_key_generate(&w->alice, "keys", "alice"), HW_OK);
	assert_int_equal(hw_key_generate(&w->carol, "keys", "carol"), HW_OK);
	assert_int_equal(hw_key_generate(&w->bob, "keys", "bob"), HW_OK);
	assert_int_equal(hw_keyring_add(&w->trusted, &w->alice.pub), HW_OK);
	assert_int_equal(hw_keyring_add(&w->trusted, &w->carol.pub), HW_OK);
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 1), HW_OK);
	append(&l, w, 4, &w->alice);
	checkpoint(&l, &w->alice, w->anchor4);
	append(&l, w, 2, &w->alice);
	checkpoint(&l, &w->alice, w->anchor6);
	hw_ledger_close(&l);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	hw_git_close();
	hw_keyring_free(&w->trusted);
	hw_test_rm_tmp(w->dir);
	free(w);
	return 0;
}

/* Runs SQL on the ledger as an attacker would: triggers dropped first. */
static void attack(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(HW_LEDGER_DB, &db), SQLITE_OK);
	if (sqlite3_exec(db,
			 "DROP TRIGGER IF EXISTS events_no_update;"
			 "DROP TRIGGER IF EXISTS events_no_delete;",
			 NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("attack failed: %s", msg ? msg : "?");
	sqlite3_close(db);
}

/* Rewrites event seq's stored fields from e and re-hashes/re-signs it. */
static void forge(uint64_t seq, const hw_seckey *k,
		  void (*edit)(hw_event *e))
{
	hw_ledger l;
	hw_event_list list;
	sqlite3_stmt *st;
	hw_event *e;

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	e = &list.items[seq];
	edit(e);
	assert_int_equal(hw_event_sign(e, k), HW_OK);
	attack("SELECT 1");
	assert_int_equal(sqlite3_prepare_v2(l.db,
					    "UPDATE events SET time_ns=?, kind=?,"
					    " git_commit=?, hash=?, key_id=?, "
					    "sig=? WHERE seq=?",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, e->time_ns);
	sqlite3_bind_text(st, 2, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->commit, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, e->hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, e->key_id, 4, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, e->sig, 64, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)seq);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
}

/* Appends event seq signed by k straight into the table, past the store's
 * own checks (as an attacker with the database would). */
static void insert_signed(uint64_t seq, const hw_seckey *k)
{
	hw_ledger l;
	hw_event_list list;
	hw_event e = {0};
	sqlite3_stmt *st;

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	e.seq = seq;
	memcpy(e.prev, list.items[seq - 1].hash, 32);
	e.time_ns = list.items[seq - 1].time_ns;
	e.kind = "test";
	e.commit = "";
	e.payload_type = "application/json";
	e.payload = (uint8_t *)"{}";
	e.payload_len = 2;
	assert_int_equal(hw_event_sign(&e, k), HW_OK);
	assert_int_equal(sqlite3_prepare_v2(l.db,
					    "INSERT INTO events VALUES(?, ?, ?,"
					    " ?, ?, ?, ?, ?, ?, ?)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_blob(st, 2, e.prev, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e.time_ns);
	sqlite3_bind_text(st, 4, e.kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e.commit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.payload_type, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, e.payload, 2, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, e.hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, e.key_id, 4, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, e.sig, 64, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
}

/* Verifies and expects a failure naming first_bad and containing msg. */
static void expect(world *w, int check_git, const char *lv, long long first,
		   const char *msg)
{
	hw_ledger l;
	hw_event_list list;
	hw_checkpoint *cps = NULL;
	size_t ncps = 0;
	hw_verify_report r;
	hw_verify_opts o = {&w->trusted, check_git, lv, 0};
	int err;

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	assert_int_equal(hw_ledger_checkpoints(&l, &cps, &ncps), HW_OK);
	err = hw_ledger_verify(&r, &list, cps, ncps, &o);
	for (size_t i = 0; i < ncps; i++)
		hw_checkpoint_free(&cps[i]);
	free(cps);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	if (!msg) {
		if (err)
			fail_msg("expected a valid ledger: %s", r.message);
		assert_true(r.ok);
		return;
	}
	if (err != HW_EFAIL)
		fail_msg("tampering not detected (%d): expected '%s'", err, msg);
	assert_false(r.ok);
	if (!strstr(r.message, msg))
		fail_msg("message '%s' lacks '%s'", r.message, msg);
	assert_int_equal(r.first_bad, first);
}

#define W ((world *)*state)

/* Verifies: FR-LEDGER-004 */
static void test_untouched_ledger_verifies(void **state)
{
	expect(W, 1, ".hwledger/last-verified", -1, NULL);
	/* and the database itself refuses edits while its triggers stand */
	{
		sqlite3 *db;
		char *msg = NULL;

		assert_int_equal(sqlite3_open(HW_LEDGER_DB, &db), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET kind='x'",
						  NULL, NULL, &msg),
				     SQLITE_OK);
		assert_non_null(strstr(msg, "append-only"));
		sqlite3_free(msg);
		assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events", NULL,
						  NULL, &msg),
				     SQLITE_OK);
		sqlite3_free(msg);
		sqlite3_close(db);
	}
}

/* Verifies: FR-LEDGER-004 */
static void test_flip_a_payload_byte(void **state)
{
	attack("UPDATE events SET payload = CAST('{\"check\": 9}' AS BLOB) "
	       "WHERE seq = 2");
	expect(W, 1, NULL, 2, "event 2: its hash does not match its bytes");
}

static void edit_kind(hw_event *e)
{
	free(e->kind);
	e->kind = strdup("edited");
}

/* Verifies: FR-LEDGER-004 */
static void test_edit_a_field_and_recompute_its_hash(void **state)
{
	/* re-signed with the trusted key: the next event's prev breaks */
	forge(2, &W->alice, edit_kind);
	expect(W, 1, NULL, 3, "event 3: prev does not match");
}

/* Verifies: FR-LEDGER-004 */
static void test_edit_and_resign_with_an_untrusted_key(void **state)
{
	forge(5, &W->bob, edit_kind);
	expect(W, 1, NULL, 5, "which is not a trusted key");
}

/* Verifies: FR-LEDGER-004 */
static void test_flip_a_signature_bit(void **state)
{
	/* a first byte that surely differs (it was 0x00 once in 256 runs) */
	attack("UPDATE events SET sig = CAST((CASE WHEN substr(sig, 1, 1) = "
	       "X'00' THEN X'01' ELSE X'00' END) || substr(sig, 2) AS BLOB) "
	       "WHERE seq = 1");
	expect(W, 1, NULL, 1, "signature does not verify");
}

/* Verifies: FR-LEDGER-004 */
static void test_non_canonical_signature_is_refused(void **state)
{
	/* S + L: the same point equation, a non-canonical encoding */
	static const uint8_t L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
		0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
	hw_ledger l;
	hw_event_list list;
	uint8_t sig[64];
	unsigned carry = 0;
	char hex[129], sql[300];

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	memcpy(sig, list.items[3].sig, 64);
	for (int i = 0; i < 32; i++) {
		unsigned s = sig[32 + i] + L[i] + carry;

		sig[32 + i] = (uint8_t)s;
		carry = s >> 8;
	}
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	hw_hex(hex, sig, 64);
	snprintf(sql, sizeof(sql),
		 "UPDATE events SET sig = X'%s' WHERE seq = 3", hex);
	attack(sql);
	expect(W, 1, NULL, 3, "signature does not verify");
}

/* Verifies: FR-LEDGER-004 */
static void test_swap_the_key_id(void **state)
{
	char hex[9], sql[200];

	hw_hex(hex, W->carol.pub.id, 4);
	snprintf(sql, sizeof(sql),
		 "UPDATE events SET key_id = X'%s' WHERE seq = 4", hex);
	attack(sql);
	expect(W, 1, NULL, 4, "signature does not verify");
}

/* Verifies: FR-LEDGER-004 */
static void test_delete_the_last_event(void **state)
{
	attack("DELETE FROM events WHERE seq = 5");
	expect(W, 1, NULL, 5, "covers 6 events but the ledger has only 5");
}

/* Verifies: FR-LEDGER-004 */
static void test_delete_an_event_in_the_middle(void **state)
{
	attack("DELETE FROM events WHERE seq = 2");
	expect(W, 1, NULL, 2, "event 2: missing (the next stored event is 3)");
}

/* Verifies: FR-LEDGER-004 */
static void test_delete_in_the_middle_and_renumber(void **state)
{
	attack("DELETE FROM events WHERE seq = 2;"
	       "UPDATE events SET seq = seq - 1 WHERE seq > 2");
	expect(W, 1, NULL, 2, "event 2: its hash does not match its bytes");
}

/* Verifies: FR-LEDGER-004 */
static void test_reorder_two_events(void **state)
{
	attack("UPDATE events SET seq = 100 WHERE seq = 1;"
	       "UPDATE events SET seq = 1 WHERE seq = 2;"
	       "UPDATE events SET seq = 2 WHERE seq = 100");
	expect(W, 1, NULL, 1, "event 1: its hash does not match its bytes");
}

/* Verifies: FR-LEDGER-004 */
static void test_duplicate_an_event(void **state)
{
	attack("INSERT INTO events SELECT 6, prev, time_ns, kind, git_commit, "
	       "payload_type, payload, hash, key_id, sig FROM events WHERE "
	       "seq = 5");
	expect(W, 1, NULL, 6, "event 6: its hash does not match its bytes");
}

/* Verifies: FR-LEDGER-004 */
static void test_insert_a_forged_event(void **state)
{
	hw_ledger l;

	/* appended through the library, but with an untrusted key */
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	append(&l, W, 1, &W->bob);
	hw_ledger_close(&l);
	expect(W, 1, NULL, 6, "event 6: signed by key id");
}

/* Verifies: FR-LEDGER-004 */
static void test_truncate_below_the_last_checkpoint(void **state)
{
	attack("DELETE FROM events WHERE seq >= 3");
	expect(W, 1, NULL, 3, "covers 4 events but the ledger has only 3");
}

/* Verifies: FR-LEDGER-004 */
static void test_rewrite_the_chain_with_a_stolen_key_after_an_anchor(
	void **state)
{
	hw_ledger l;

	/* remembered here before the attack */
	expect(W, 1, ".hwledger/last-verified", -1, NULL);
	/* the attacker holds alice's key: a new, valid chain, new stored
	 * checkpoints, but cannot rewrite the anchored history */
	assert_int_equal(remove(HW_LEDGER_DB), 0);
	remove(HW_LEDGER_DB "-wal");
	remove(HW_LEDGER_DB "-shm");
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 1), HW_OK);
	append(&l, W, 2, &W->alice);
	append(&l, W, 5, &W->alice);
	checkpoint(&l, &W->alice, NULL);
	hw_ledger_close(&l);
	expect(W, 1, NULL, -1, "anchored checkpoint");
	expect(W, 1, NULL, -1, "its root does not match the events");
	/* even with the git ref rewritten too, this machine remembers */
	sh("git update-ref -d refs/hwledger/checkpoints");
	expect(W, 0, ".hwledger/last-verified", -1,
	       "does not extend the checkpoint of size 6 this machine "
	       "verified before");
}

/* Verifies: FR-LEDGER-004 */
static void test_point_the_ref_at_an_older_checkpoint(void **state)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "git update-ref refs/hwledger/checkpoints %s",
		 W->anchor4);
	sh(cmd);
	expect(W, 1, NULL, -1, "no longer holds anchor commit");
}

/* Verifies: FR-LEDGER-004 */
static void test_a_fork_two_checkpoints_of_one_size(void **state)
{
	hw_ledger l;
	hw_checkpoint c;
	uint8_t other[32];

	memset(other, 7, 32);
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_checkpoint_make(&c, "hwledger/test", 6, other,
					    &W->alice, 1),
			 HW_OK);
	assert_int_equal(hw_ledger_store_checkpoint(&l, &c), HW_OK);
	hw_checkpoint_free(&c);
	hw_ledger_close(&l);
	expect(W, 1, NULL, -1, "stored checkpoint 3 of size 6: its root does "
			       "not match");
}

/* Verifies: FR-LEDGER-004 */
static void test_null_and_wrong_length_blobs(void **state)
{
	/* NOT NULL is a constraint an attacker can rebuild the table without */
	attack("CREATE TABLE e2 AS SELECT * FROM events; DROP TABLE events;"
	       "ALTER TABLE e2 RENAME TO events;"
	       "UPDATE events SET sig = NULL WHERE seq = 2");
	expect(W, 1, NULL, 2, "a stored field is NULL or has the wrong length");
}

/* Verifies: FR-LEDGER-004 */
static void test_wrong_length_prev(void **state)
{
	attack("UPDATE events SET prev = substr(prev, 1, 31) WHERE seq = 4");
	expect(W, 1, NULL, 4, "a stored field is NULL or has the wrong length");
	attack("UPDATE events SET prev = X'' WHERE seq = 3");
	expect(W, 1, NULL, 3, "a stored field is NULL or has the wrong length");
	attack("UPDATE events SET payload = 'text, not a blob' WHERE seq = 1");
	expect(W, 1, NULL, 1, "a stored field is NULL or has the wrong length");
}

static void earlier(hw_event *e)
{
	e->time_ns -= 1000000000LL * 3600;
}

/* Verifies: FR-LEDGER-004 */
static void test_timestamps_going_backwards(void **state)
{
	forge(5, &W->alice, earlier);
	expect(W, 1, NULL, 5, "event 5: its timestamp goes backwards");
}

static void foreign_commit(hw_event *e)
{
	free(e->commit);
	e->commit = strdup("0123456789abcdef0123456789abcdef01234567");
}

/* Verifies: FR-LEDGER-004 */
static void test_a_commit_id_not_in_the_repository(void **state)
{
	forge(5, &W->alice, foreign_commit);
	/* signatures and hashes are fine: only the repository can tell */
	expect(W, 1, NULL, 5, "commit 0123456789abcdef0123456789abcdef01234567 "
			      "is not in the repository");
}

/* Verifies: FR-LEDGER-004 */
static void test_rollback_to_an_older_copy(void **state)
{
	expect(W, 1, ".hwledger/last-verified", -1, NULL);
	attack("DELETE FROM events WHERE seq >= 4; DELETE FROM checkpoints "
	       "WHERE size > 4");
	expect(W, 0, ".hwledger/last-verified", 4,
	       "this machine verified 6 events before; the ledger now has 4");
}

/* Two events after the last checkpoint (6 and 7), seen by this machine. */
static void tail_seen(world *w)
{
	hw_ledger l;

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	append(&l, w, 2, &w->alice);
	hw_ledger_close(&l);
	expect(w, 1, ".hwledger/last-verified", -1, NULL);
}

/* Verifies: FR-LEDGER-004 */
static void test_cut_the_uncovered_tail(void **state)
{
	tail_seen(W);
	/* deleted with the trigger dropped: every checkpoint still holds */
	attack("DELETE FROM events WHERE seq >= 6");
	expect(W, 1, NULL, -1, NULL);
	expect(W, 1, ".hwledger/last-verified", 6,
	       "this machine verified 8 events before; the ledger now has 6");
	/* the whole database removed: an empty ledger is no escape */
	{
		hw_event_list empty = {0};
		hw_verify_report r;
		hw_verify_opts o = {&W->trusted, 0, ".hwledger/last-verified",
				    0};

		assert_int_equal(hw_ledger_verify(&r, &empty, NULL, 0, &o),
				 HW_EFAIL);
		assert_non_null(strstr(r.message, "the ledger now has 0"));
	}
}

/* Verifies: FR-LEDGER-004 */
static void test_rewrite_the_uncovered_tail(void **state)
{
	hw_ledger l;

	tail_seen(W);
	/* the last event replaced by another, validly signed one */
	attack("DELETE FROM events WHERE seq = 7");
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	append(&l, W, 1, &W->carol);
	hw_ledger_close(&l);
	expect(W, 1, NULL, -1, NULL);
	expect(W, 1, ".hwledger/last-verified", 7,
	       "differs from the event this machine verified as number 7");
}

/* Verifies: FR-LEDGER-004 */
static void test_a_negative_sequence_number(void **state)
{
	attack("UPDATE events SET seq = -1 WHERE seq = 0");
	expect(W, 1, NULL, 0,
	       "event 0: stored with the sequence number -1");
}

static void append_repair(const char *payload, const hw_seckey *k)
{
	hw_ledger l;
	hw_append item = {HW_EVENT_REPAIR, "text/plain", payload,
			  strlen(payload)};

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_append(&l, &item, 1, "", k, NULL), HW_OK);
	hw_ledger_close(&l);
}

/* Verifies: FR-LEDGER-004 */
static void test_a_repair_disowns_only_what_it_names(void **state)
{
	hw_ledger l;
	hw_event_list list;
	char hex[65], payload[160];

	/* event 6 signed by bob, whom nobody trusts */
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	append(&l, W, 1, &W->bob);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	hw_hex(hex, list.items[6].hash, 32);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	/* another hash, a later event, or a repair bob signs: no effect */
	append_repair("disown 6 00000000000000000000000000000000"
		      "00000000000000000000000000000000\n"
		      "disown 9 00000000000000000000000000000000"
		      "00000000000000000000000000000000\n",
		      &W->alice);
	snprintf(payload, sizeof(payload), "disown 6 %s\n", hex);
	append_repair(payload, &W->bob);
	expect(W, 1, NULL, 6, "event 6: signed by key id");
	/* alice's repair names it by its hash: it verifies, bob's repair
	 * (event 8) is now the first untrusted event */
	append_repair(payload, &W->alice);
	expect(W, 1, NULL, 8, "event 8: signed by key id");
	/* a disowned event's bytes are still checked */
	attack("UPDATE events SET kind = 'edited' WHERE seq = 6");
	expect(W, 1, NULL, 6, "event 6: its hash does not match its bytes");
}

/* Verifies: FR-LEDGER-004 */
static void test_empty_ledger_is_valid(void **state)
{
	hw_event_list empty = {0};
	hw_verify_report r;
	hw_verify_opts o = {&W->trusted, 0, NULL, 0};
	char hex[65];

	assert_int_equal(hw_ledger_verify(&r, &empty, NULL, 0, &o), HW_OK);
	assert_true(r.ok);
	hw_hex(hex, r.root, 32);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

/* Verifies: FR-LEDGER-004 */
static void test_uncovered_tail_is_reported(void **state)
{
	hw_ledger l;
	hw_event_list list;
	hw_checkpoint *cps;
	size_t ncps;
	hw_verify_report r;
	hw_verify_opts o = {&W->trusted, 1, NULL, 0};

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	append(&l, W, 3, &W->carol);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	assert_int_equal(hw_ledger_checkpoints(&l, &cps, &ncps), HW_OK);
	assert_int_equal(hw_ledger_verify(&r, &list, cps, ncps, &o), HW_OK);
	assert_true(r.ok);
	assert_int_equal(r.covered, 6);
	assert_int_equal(r.anchors, 2);
	assert_string_equal(r.tail_note,
			    "events 6 to 8 are not covered by a checkpoint yet");
	for (size_t i = 0; i < ncps; i++)
		hw_checkpoint_free(&cps[i]);
	free(cps);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
}

/* Verifies: FR-LEDGER-001, FR-LEDGER-004 */
static void test_key_rotation_hands_signing_over(void **state)
{
	hw_ledger l;
	hw_seckey dave;
	hw_append item;
	char line[200];

	assert_int_equal(hw_key_generate(&dave, "keys", "dave"), HW_OK);
	hw_pubkey_format(line, sizeof(line), &dave.pub);
	item.kind = HW_EVENT_KEY_ROTATION;
	item.payload_type = "text/plain";
	item.payload = line;
	item.payload_len = strlen(line);
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_append(&l, &item, 1, W->head, &W->alice,
					  NULL),
			 HW_OK);
	append(&l, W, 2, &dave); /* dave was never in the trusted list */
	hw_ledger_close(&l);
	expect(W, 1, NULL, -1, NULL);
	/* the retired key may not sign after the rotation: the store
	 * refuses it, and the verifier catches an event put there by hand */
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_append(&l, &item, 1, W->head, &W->alice,
					  NULL),
			 HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "key alice was retired by "
						"the key rotation in event 6"));
	hw_ledger_close(&l);
	insert_signed(9, &W->alice);
	expect(W, 1, NULL, 9, "not a trusted key for this event");
}

/* Verifies: FR-LEDGER-004 */
static void test_anchor_ref_that_shrinks_is_refused(void **state)
{
	hw_checkpoint c;
	char commit[41];
	uint8_t root[32];

	memset(root, 1, 32);
	assert_int_equal(hw_checkpoint_make(&c, "hwledger/test", 3, root,
					    &W->alice, 1),
			 HW_OK);
	assert_int_equal(hw_git_anchor(&c, commit), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "already covers 6 events"));
	hw_checkpoint_free(&c);
}

/* Two projects of one repository: the top level keeps HW_LEDGER_REF, a
 * subfolder anchors on its own ref, and neither reads the other's. */
/* Verifies: FR-LEDGER-003 */
static void test_a_subfolder_project_anchors_on_its_own_ref(void **state)
{
	char ref[HW_LEDGER_REF_MAX], commit[41];
	hw_anchor_list list;
	hw_ledger l;

	assert_int_equal(hw_ledger_ref(ref, sizeof(ref)), HW_OK);
	assert_string_equal(ref, HW_LEDGER_REF);
	sh("mkdir -p sub/app 'bad name'");
	assert_int_equal(chdir("sub/app"), 0);
	hw_git_close();
	assert_int_equal(hw_ledger_ref(ref, sizeof(ref)), HW_OK);
	assert_string_equal(ref, "refs/hwledger/projects/sub/app/checkpoints");
	/* bob's ledger, which the top level's verify does not trust */
	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 1), HW_OK);
	append(&l, W, 3, &W->bob);
	checkpoint(&l, &W->bob, commit);
	append(&l, W, 5, &W->bob);
	checkpoint(&l, &W->bob, commit);
	hw_ledger_close(&l);
	assert_int_equal(hw_git_anchors(&list), HW_OK);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.commits[1], commit);
	assert_string_equal(list.ref, ref);
	hw_anchor_list_free(&list);
	/* the top level's two anchors are untouched, and still verify */
	assert_int_equal(chdir("../.."), 0);
	hw_git_close();
	assert_int_equal(hw_git_anchors(&list), HW_OK);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.commits[1], W->anchor6);
	hw_anchor_list_free(&list);
	expect(W, 1, ".hwledger/last-verified", -1, NULL);
	/* a folder that cannot be part of a ref is refused by name */
	assert_int_equal(chdir("bad name"), 0);
	hw_git_close();
	assert_int_equal(hw_ledger_ref(ref, sizeof(ref)), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "bad name"));
	assert_int_equal(hw_git_anchors(&list), HW_EINVAL);
	assert_int_equal(chdir(".."), 0);
	hw_git_close();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_untouched_ledger_verifies),
		T(test_flip_a_payload_byte),
		T(test_edit_a_field_and_recompute_its_hash),
		T(test_edit_and_resign_with_an_untrusted_key),
		T(test_flip_a_signature_bit),
		T(test_non_canonical_signature_is_refused),
		T(test_swap_the_key_id),
		T(test_delete_the_last_event),
		T(test_delete_an_event_in_the_middle),
		T(test_delete_in_the_middle_and_renumber),
		T(test_reorder_two_events),
		T(test_duplicate_an_event),
		T(test_insert_a_forged_event),
		T(test_truncate_below_the_last_checkpoint),
		T(test_rewrite_the_chain_with_a_stolen_key_after_an_anchor),
		T(test_point_the_ref_at_an_older_checkpoint),
		T(test_a_fork_two_checkpoints_of_one_size),
		T(test_null_and_wrong_length_blobs),
		T(test_wrong_length_prev),
		T(test_timestamps_going_backwards),
		T(test_a_commit_id_not_in_the_repository),
		T(test_rollback_to_an_older_copy),
		T(test_cut_the_uncovered_tail),
		T(test_rewrite_the_uncovered_tail),
		T(test_a_negative_sequence_number),
		T(test_a_repair_disowns_only_what_it_names),
		T(test_empty_ledger_is_valid),
		T(test_uncovered_tail_is_reported),
		T(test_key_rotation_hands_signing_over),
		T(test_anchor_ref_that_shrinks_is_refused),
		T(test_a_subfolder_project_anchors_on_its_own_ref),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("tamper", tests, NULL, NULL);
}
