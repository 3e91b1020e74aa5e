/*
 * store.c — the ledger database, .hwledger/ledger.db (SQLite, WAL).
 *
 * Events are append-only: BEFORE UPDATE and BEFORE DELETE triggers abort,
 * and appends run in BEGIN IMMEDIATE transactions, so concurrent writers
 * queue behind each other instead of forking the chain, and a batch is
 * all-or-nothing even if the process is killed half-way. The verifier never
 * trusts the store: it recomputes everything from the stored bytes.
 */
#include "ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* WAL with synchronous=NORMAL: a crash or kill never loses a committed
 * append or leaves half of one; only a power cut can drop the last
 * commits, and the chain stays valid either way. */
static const char schema_sql[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS events("
	" seq INTEGER PRIMARY KEY,"
	" prev BLOB NOT NULL,"
	" time_ns INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" git_commit TEXT NOT NULL,"
	" payload_type TEXT NOT NULL,"
	" payload BLOB NOT NULL,"
	" hash BLOB NOT NULL,"
	" key_id BLOB NOT NULL,"
	" sig BLOB NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;"
	/* INSERT OR REPLACE deletes the row it conflicts with without firing
	 * the delete trigger (unless recursive_triggers is on, which the
	 * sqlite3 shell does not set): refuse the insert itself. */
	"CREATE TRIGGER IF NOT EXISTS events_no_replace BEFORE INSERT ON events"
	" WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)"
	" BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;"
	"CREATE TABLE IF NOT EXISTS checkpoints("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" size INTEGER NOT NULL,"
	" root BLOB NOT NULL,"
	" note TEXT NOT NULL,"
	" git_commit TEXT,"
	" time_ns INTEGER NOT NULL);";

static int db_fail(hw_ledger *l, const char *what)
{
	return hw_error_set(HW_EIO, l->path, 0, 0, "%s: %s", what,
			    l->db ? sqlite3_errmsg(l->db) : "cannot open");
}

/* hw_ledger_open's work; on failure l may hold a path and a connection */
static int open_db(hw_ledger *l, const char *path, int create)
{
	sqlite3 *db = NULL;
	int rc, flags = SQLITE_OPEN_READWRITE;

	memset(l, 0, sizeof(*l));
	if (!(l->path = hw_strdup(path)))
		return hw_error_oom();
	if (!create && !hw_path_exists(path))
		return hw_error_set(HW_ENOTFOUND, path, 0, 0,
				    "no ledger here (append an event first)");
	if (create) {
		int err = hw_mkdir_parent(path);

		if (err)
			return err;
		flags |= SQLITE_OPEN_CREATE;
	}
	rc = sqlite3_open_v2(path, &db, flags, NULL);
	l->db = db;
	if (rc != SQLITE_OK)
		return db_fail(l, "cannot open the ledger");
	sqlite3_busy_timeout(db, 60000);
	rc = sqlite3_exec(db, schema_sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_READONLY)
		return db_fail(l, "cannot set up the ledger");
	return HW_OK;
}

/* Implements: FR-LEDGER-002 */
int hw_ledger_open(hw_ledger *l, const char *path, int create)
{
	int err = open_db(l, path, create);

	/* a failed open holds nothing: callers do not close it (SQLite
	 * wants even a connection that failed to open closed) */
	if (err)
		hw_ledger_close(l);
	return err;
}

void hw_ledger_close(hw_ledger *l)
{
	sqlite3_close(l->db);
	free(l->path);
	memset(l, 0, sizeof(*l));
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Implements: FR-LEDGER-001 */
int hw_ledger_retired_at(hw_ledger *l, const uint8_t id[4], uint64_t *seq)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(l->db,
				    "SELECT seq FROM events WHERE kind = ? AND "
				    "key_id = ? ORDER BY seq LIMIT 1",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return db_fail(l, "cannot read the key rotations");
	sqlite3_bind_text(st, 1, HW_EVENT_KEY_ROTATION, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, id, 4, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(l, "cannot read the key rotations");
	return rc == SQLITE_ROW;
}

/*
 * A key the ledger has retired signs nothing more, and a rotation ends its
 * batch: the verifier would refuse every later event of the retired key,
 * for ever (the events cannot be taken back).
 */
static int check_signer(hw_ledger *l, const hw_append *items, size_t n,
			const hw_seckey *k)
{
	uint64_t at = 0;
	int retired = hw_ledger_retired_at(l, k->pub.id, &at);

	if (retired < 0)
		return retired;
	if (retired)
		return hw_error_set(HW_EINVAL, l->path, 0, 0,
				    "key %s was retired by the key rotation in "
				    "event %llu; sign with the key it handed "
				    "over to (HWLEDGER_SIGNING_KEY)",
				    k->pub.name, (unsigned long long)at);
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(items[i].kind, HW_EVENT_KEY_ROTATION))
			return hw_error_set(HW_EINVAL, NULL, 0, 0,
					    "a key rotation must be the last "
					    "event of its batch");
	return HW_OK;
}

/* Implements: FR-LEDGER-002 */
int hw_ledger_append(hw_ledger *l, const hw_append *items, size_t n,
		     const char *commit, const hw_seckey *k,
		     uint64_t *first_seq)
{
	sqlite3 *db = l->db;
	sqlite3_stmt *last = NULL, *put = NULL;
	hw_event e;
	uint64_t seq = 0;
	int64_t t, last_t = 0;
	int rc, err = HW_OK;

	memset(&e, 0, sizeof(e));
	for (size_t i = 0; i < n; i++)
		if (items[i].payload_len > HW_LEDGER_MAX_PAYLOAD)
			return hw_error_set(HW_ETOOBIG, NULL, 0, 0,
					    "payload of %zu bytes is over the "
					    "ledger's %zu-byte limit",
					    items[i].payload_len,
					    HW_LEDGER_MAX_PAYLOAD);
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(l, "cannot start an append");
	rc = sqlite3_prepare_v2(db,
				"SELECT seq, hash, time_ns FROM events ORDER BY "
				"seq DESC LIMIT 1",
				-1, &last, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			db,
			"INSERT INTO events(seq, prev, time_ns, kind, "
			"git_commit, payload_type, payload, hash, key_id, sig)"
			" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			-1, &put, NULL);
	if (rc != SQLITE_OK) {
		err = db_fail(l, "cannot prepare the append");
		goto cleanup;
	}
	if ((rc = sqlite3_step(last)) == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(last, 1);

		if (sqlite3_column_bytes(last, 1) != 32 || !h) {
			err = hw_error_set(HW_EINVAL, l->path, 0, 0,
					   "the last event's hash is damaged; "
					   "run 'hwledger ledger verify'");
			goto cleanup;
		}
		seq = (uint64_t)sqlite3_column_int64(last, 0) + 1;
		memcpy(e.prev, h, 32);
		last_t = sqlite3_column_int64(last, 2);
	} else if (rc != SQLITE_DONE) {
		err = db_fail(l, "cannot read the last event");
		goto cleanup;
	}
	if ((err = check_signer(l, items, n, k)))
		goto cleanup;
	if (first_seq)
		*first_seq = seq;
	/* time never goes backwards inside the chain, even if the clock does */
	t = now_ns();
	if (t < last_t)
		t = last_t;
	for (size_t i = 0; i < n; i++, seq++) {
		e.seq = seq;
		e.time_ns = t;
		e.kind = (char *)items[i].kind;
		e.commit = (char *)(commit ? commit : "");
		e.payload_type = (char *)items[i].payload_type;
		e.payload = (uint8_t *)items[i].payload;
		e.payload_len = items[i].payload_len;
		if ((err = hw_event_sign(&e, k)))
			goto cleanup;
		sqlite3_bind_int64(put, 1, (sqlite3_int64)e.seq);
		sqlite3_bind_blob(put, 2, e.prev, 32, SQLITE_STATIC);
		sqlite3_bind_int64(put, 3, e.time_ns);
		sqlite3_bind_text(put, 4, e.kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 5, e.commit, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 6, e.payload_type, -1, SQLITE_STATIC);
		sqlite3_bind_blob(put, 7, e.payload_len ? (const void *)e.payload
							: "",
				  (int)e.payload_len, SQLITE_STATIC);
		sqlite3_bind_blob(put, 8, e.hash, 32, SQLITE_STATIC);
		sqlite3_bind_blob(put, 9, e.key_id, 4, SQLITE_STATIC);
		sqlite3_bind_blob(put, 10, e.sig, 64, SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE) {
			err = db_fail(l, "cannot append");
			goto cleanup;
		}
		sqlite3_reset(put);
		memcpy(e.prev, e.hash, 32);
	}
cleanup:
	sqlite3_finalize(last);
	sqlite3_finalize(put);
	if (err) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	} else if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err = db_fail(l, "cannot commit the append");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return err;
}

int hw_ledger_count(hw_ledger *l, uint64_t *count)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(l->db, "SELECT count(*) FROM events", -1,
				    &st, NULL);

	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*count = (uint64_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return HW_OK;
	}
	sqlite3_finalize(st);
	return db_fail(l, "cannot count events");
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return hw_strdup(t ? (const char *)t : "");
}

/* Copies a blob that must be exactly n bytes; returns 0 when it is not. */
static int col_fixed(sqlite3_stmt *st, int i, uint8_t *out, int n)
{
	const void *b = sqlite3_column_blob(st, i);

	if (sqlite3_column_type(st, i) != SQLITE_BLOB || !b ||
	    sqlite3_column_bytes(st, i) != n)
		return 0;
	memcpy(out, b, (size_t)n);
	return 1;
}

void hw_event_list_free(hw_event_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		hw_event_free(&list->items[i]);
	free(list->items);
	free(list->bad);
	memset(list, 0, sizeof(*list));
}

/* Implements: FR-LEDGER-004 */
int hw_ledger_load(hw_ledger *l, hw_event_list *list)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0, bcap = 0; /* the rooms of items and bad */
	int rc, err = HW_OK;

	memset(list, 0, sizeof(*list));
	rc = sqlite3_prepare_v2(l->db,
				"SELECT seq, prev, time_ns, kind, git_commit, "
				"payload_type, payload, hash, key_id, sig FROM "
				"events ORDER BY seq",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(l, "cannot read events");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		hw_event *e;
		int ok = 1;

		if ((err = HW_ARRAY_GROW(list->items, list->n, cap)) ||
		    (err = HW_ARRAY_GROW(list->bad, list->n, bcap)))
			break;
		e = &list->items[list->n];
		memset(e, 0, sizeof(*e));
		e->seq = (uint64_t)sqlite3_column_int64(st, 0);
		ok &= col_fixed(st, 1, e->prev, 32);
		e->time_ns = sqlite3_column_int64(st, 2);
		e->kind = col_text(st, 3);
		e->commit = col_text(st, 4);
		e->payload_type = col_text(st, 5);
		e->payload_len = (size_t)sqlite3_column_bytes(st, 6);
		e->payload = malloc(e->payload_len ? e->payload_len : 1);
		if (e->payload && e->payload_len)
			memcpy(e->payload, sqlite3_column_blob(st, 6),
			       e->payload_len);
		ok &= sqlite3_column_type(st, 6) == SQLITE_BLOB;
		ok &= col_fixed(st, 7, e->hash, 32);
		ok &= col_fixed(st, 8, e->key_id, 4);
		ok &= col_fixed(st, 9, e->sig, 64);
		list->bad[list->n] = !ok;
		list->n++;
		if (!e->kind || !e->commit || !e->payload_type || !e->payload) {
			err = hw_error_oom();
			break;
		}
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(l, "cannot read events");
	sqlite3_finalize(st);
	if (err)
		hw_event_list_free(list);
	return err;
}

/* Implements: FR-LEDGER-003 */
int hw_ledger_store_checkpoint(hw_ledger *l, const hw_checkpoint *c)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(l->db,
				    "INSERT INTO checkpoints(size, root, note, "
				    "time_ns) VALUES(?, ?, ?, ?)",
				    -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c->size);
		sqlite3_bind_blob(st, 2, c->root, 32, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now_ns());
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? HW_OK : db_fail(l, "cannot store checkpoint");
}

int hw_ledger_mark_anchored(hw_ledger *l, const char *commit)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(l->db,
				    "UPDATE checkpoints SET git_commit = ? "
				    "WHERE id = (SELECT max(id) FROM "
				    "checkpoints)",
				    -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, commit, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? HW_OK : db_fail(l, "cannot record anchor");
}

int hw_ledger_latest_checkpoint(hw_ledger *l, hw_checkpoint *c,
				char *git_commit, size_t gc_size)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	rc = sqlite3_prepare_v2(l->db,
				"SELECT note, git_commit FROM checkpoints ORDER "
				"BY id DESC LIMIT 1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(l, "cannot read checkpoints");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE
			       ? hw_error_set(HW_ENOTFOUND, l->path, 0, 0,
					      "no checkpoint yet (run "
					      "'hwledger ledger checkpoint')")
			       : db_fail(l, "cannot read checkpoints");
	}
	{
		const unsigned char *note = sqlite3_column_text(st, 0);
		const unsigned char *gc = sqlite3_column_text(st, 1);

		if (git_commit)
			snprintf(git_commit, gc_size, "%s",
				 gc ? (const char *)gc : "");
		err = hw_checkpoint_parse(c, note ? (const char *)note : "",
					  note ? strlen((const char *)note) : 0,
					  l->path);
	}
	sqlite3_finalize(st);
	return err;
}

int hw_ledger_checkpoints(hw_ledger *l, hw_checkpoint **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	hw_checkpoint *v = NULL;
	int rc, err = HW_OK;

	*out = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(l->db,
				"SELECT note, git_commit FROM checkpoints "
				"ORDER BY id",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(l, "cannot read checkpoints");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *note = sqlite3_column_text(st, 0);
		hw_checkpoint *nv = realloc(v, (*n + 1) * sizeof(*v));

		if (!nv) {
			err = hw_error_oom();
			break;
		}
		v = nv;
		if ((err = hw_checkpoint_parse(&v[*n],
					       note ? (const char *)note : "",
					       note ? strlen((const char *)note)
						    : 0,
					       l->path)))
			break;
		{
			const unsigned char *gc = sqlite3_column_text(st, 1);

			snprintf(v[*n].anchor, sizeof(v[*n].anchor), "%s",
				 gc ? (const char *)gc : "");
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = v;
	return err;
}
