/*
 * jobs.c — the job queue in the registry (STATE/fleet.db), the check of a
 * job's signed result, deadlines, retries and cancellation (specs/fleet.md,
 * "Jobs").
 *
 * A job is queued for a host, handed to the first agent of that host that
 * asks (its certificate's serial is recorded: only that agent may answer
 * it) and answered once. Its result is signed with the agent's Ed25519
 * key over the job, its nonce and the result's SHA-256, so a result
 * cannot be forged, moved to another job or sent twice.
 *
 * Every change of a job's state that no agent signed (queued, cancelled,
 * retried, timed out) is signed into the ledger in the same SQLite
 * transaction that makes it: the event is appended first and the change
 * is committed after, so a change in force is never missing from the
 * ledger (a server killed in between leaves an event whose change was
 * rolled back; the job's nonce tells two jobs of one number apart).
 */
#include "fleet/internal.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS jobs ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, host TEXT NOT NULL,"
	" kind TEXT NOT NULL, nonce TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'queued', serial TEXT,"
	" queued INTEGER NOT NULL, done INTEGER, result TEXT,"
	" deadline INTEGER NOT NULL DEFAULT 300,"
	" retries INTEGER NOT NULL DEFAULT 0,"
	" attempts INTEGER NOT NULL DEFAULT 0, given INTEGER, args TEXT)";

/* the columns a fleet.db of the first slice lacks, added once */
static const char upgrade[] =
	"ALTER TABLE jobs ADD COLUMN deadline INTEGER NOT NULL DEFAULT 300;"
	"ALTER TABLE jobs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN given INTEGER;"
	"ALTER TABLE jobs ADD COLUMN args TEXT";

static int db_error(hw_registry *r)
{
	return hw_error_set(HW_EIO, r->path, 0, 0, "jobs: %s",
			    sqlite3_errmsg(r->db));
}

/* Implements: FR-FLEET-009 */
int hw_jobs_open(hw_registry *r)
{
	sqlite3_stmt *st = NULL;
	int old;

	if (sqlite3_exec(r->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(r);
	old = sqlite3_prepare_v2(r->db, "SELECT attempts FROM jobs", -1, &st,
				 NULL) != SQLITE_OK;
	sqlite3_finalize(st);
	if (old && sqlite3_exec(r->db, "BEGIN IMMEDIATE;", NULL, NULL,
				NULL) == SQLITE_OK) {
		if (sqlite3_exec(r->db, upgrade, NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
			return db_error(r);
		}
		old = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) !=
		      SQLITE_OK;
	}
	return old ? db_error(r) : HW_OK;
}

/* Opens a write transaction: the changes of one request are kept whole
 * or not at all, even when the server is killed. */
static int begin(hw_registry *r)
{
	return sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
			       SQLITE_OK
		       ? db_error(r)
		       : HW_OK;
}

/* Commits when err is HW_OK, else rolls back; err or the commit's. */
static int end(hw_registry *r, int err)
{
	if (err) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	return sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK
		       ? db_error(r)
		       : HW_OK;
}

/* A new nonce: 16 random bytes as hex. */
static void new_nonce(char nonce[33])
{
	uint8_t raw[16];

	randombytes_buf(raw, sizeof(raw));
	hw_hex(nonce, raw, sizeof(raw));
}

/* Column i of st as key: its integer, or null when it has none. */
static void kcolumn(hw_jw *w, const char *key, sqlite3_stmt *st, int i)
{
	hw_jw_key(w, key);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		hw_jw_null(w);
	else
		hw_jw_int(w, sqlite3_column_int64(st, i));
}

/* the columns of a job as the list and its events show them */
#define JOB_COLUMNS \
	"id, host, kind, state, attempts, retries, deadline, queued," \
	" given, done, serial, nonce, args"

/* One row of JOB_COLUMNS as a JSON object's members. */
static void job_members(hw_jw *w, sqlite3_stmt *st)
{
	const char *args = (const char *)sqlite3_column_text(st, 12);

	hw_jw_kint(w, "id", sqlite3_column_int64(st, 0));
	hw_jw_kstr(w, "host", (const char *)sqlite3_column_text(st, 1));
	hw_jw_kstr(w, "kind", (const char *)sqlite3_column_text(st, 2));
	hw_jw_key(w, "args");
	if (args)
		hw_jw_raw(w, args, strlen(args));
	else
		hw_jw_null(w);
	hw_jw_kstr(w, "state", (const char *)sqlite3_column_text(st, 3));
	hw_jw_kint(w, "attempts", sqlite3_column_int64(st, 4));
	hw_jw_kint(w, "retries", sqlite3_column_int64(st, 5));
	hw_jw_kint(w, "deadline", sqlite3_column_int64(st, 6));
	kcolumn(w, "queued", st, 7);
	kcolumn(w, "given", st, 8);
	kcolumn(w, "done", st, 9);
	hw_jw_kstr(w, "serial", (const char *)sqlite3_column_text(st, 10));
	hw_jw_kstr(w, "nonce", (const char *)sqlite3_column_text(st, 11));
}

/* Appends the fleet-job event of job id: what happens to it (event:
 * queued, cancelled, retried, timed-out), the serial of the certificate
 * that asked for it (an operator's) or had the job (an agent's), and the
 * job as it stands in this transaction, before the change. */
static int job_event(hw_registry *r, const hw_seckey *k, long long id,
		     const char *event, const char *by)
{
	sqlite3_stmt *st;
	hw_buf b;
	hw_jw w;
	int err;

	if ((err = hw_registry_stmt(&st, r,
			   "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?")))
		return err;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		err = db_error(r);
		hw_registry_done(st);
		return err;
	}
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.job/1");
	hw_jw_kstr(&w, "event", event);
	hw_jw_kstr(&w, "serial", by);
	hw_jw_key(&w, "job");
	hw_jw_object(&w);
	job_members(&w, st);
	hw_jw_end(&w);
	hw_jw_end(&w);
	hw_registry_done(st);
	if (!(err = hw_jw_finish(&w)))
		err = hw_fleet_event_append(k, HW_EVENT_FLEET_JOB, &b);
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-FLEET-007, FR-FLEET-009 */
int hw_jobs_queue(long long *id, hw_registry *r, const hw_seckey *k,
		  const char *by, const hw_fleet_order *o, long long now)
{
	char nonce[33];
	sqlite3_stmt *st;
	int err;

	*id = 0;
	if ((err = hw_fleet_order_check(o)))
		return err;
	new_nonce(nonce);
	if ((err = begin(r)))
		return err;
	if (!(err = hw_registry_stmt(&st, r,
			    "INSERT INTO jobs (host, kind, nonce, queued,"
			    " deadline, retries, args)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))) {
		if (sqlite3_bind_text(st, 1, o->host, -1, SQLITE_STATIC) ||
		    sqlite3_bind_text(st, 2, o->kind, -1, SQLITE_STATIC) ||
		    sqlite3_bind_text(st, 3, nonce, -1, SQLITE_STATIC) ||
		    sqlite3_bind_int64(st, 4, now) ||
		    sqlite3_bind_int64(st, 5, o->deadline) ||
		    sqlite3_bind_int64(st, 6, o->retries) ||
		    sqlite3_bind_text(st, 7, o->args, -1, SQLITE_STATIC) ||
		    sqlite3_step(st) != SQLITE_DONE)
			err = db_error(r);
		hw_registry_done(st);
	}
	if (!err) {
		*id = sqlite3_last_insert_rowid(r->db);
		err = job_event(r, k, *id, "queued", by);
	}
	return end(r, err);
}

/* Implements: FR-FLEET-009 */
int hw_jobs_expire(hw_registry *r, const hw_seckey *k, long long now)
{
	int err = HW_OK;

	/* one job at a time: each is changed before the next is looked for,
	 * so none is found twice */
	while (!err) {
		sqlite3_stmt *st;
		long long id, attempts, retries;
		char serial[HW_FLEET_SERIAL_HEX + 1], nonce[33];
		int rc;

		if ((err = begin(r)))
			break;
		if ((err = hw_registry_stmt(&st, r,
				   "SELECT id, attempts, retries, serial"
				   " FROM jobs WHERE state = 'running'"
				   " AND given + deadline + ?2 <= ?1"
				   " ORDER BY id LIMIT 1")))
			return end(r, err);
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, HW_FLEET_GRACE);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			err = rc == SQLITE_DONE ? HW_OK : db_error(r);
			hw_registry_done(st);
			return end(r, err);
		}
		id = sqlite3_column_int64(st, 0);
		attempts = sqlite3_column_int64(st, 1);
		retries = sqlite3_column_int64(st, 2);
		snprintf(serial, sizeof(serial), "%s",
			 (const char *)sqlite3_column_text(st, 3));
		hw_registry_done(st);
		/* a retry is a new attempt with a new nonce: a late answer to
		 * the old one is refused */
		new_nonce(nonce);
		if (!(err = job_event(r, k, id,
				      attempts <= retries ? "retried"
							  : "timed-out",
				      serial)) &&
		    !(err = hw_registry_stmt(
			      &st, r,
			      attempts <= retries
				      ? "UPDATE jobs SET state = 'queued',"
					" serial = NULL, given = NULL,"
					" nonce = ?2 WHERE id = ?1"
				      : "UPDATE jobs SET state = 'timed-out',"
					" done = ?3 WHERE id = ?1"))) {
			if (sqlite3_bind_int64(st, 1, id) ||
			    (attempts <= retries &&
			     sqlite3_bind_text(st, 2, nonce, -1,
					       SQLITE_STATIC)) ||
			    (attempts > retries &&
			     sqlite3_bind_int64(st, 3, now)) ||
			    sqlite3_step(st) != SQLITE_DONE)
				err = db_error(r);
			hw_registry_done(st);
		}
		err = end(r, err);
	}
	return err;
}

/* Implements: FR-FLEET-009 */
int hw_jobs_cancel(hw_registry *r, const hw_seckey *k, const char *by,
		   long long id, long long now)
{
	sqlite3_stmt *st;
	int err, rc;

	if ((err = begin(r)))
		return err;
	if ((err = hw_registry_stmt(&st, r, "SELECT state FROM jobs WHERE id = ?")))
		return end(r, err);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		err = hw_error_set(HW_ENOTFOUND, NULL, 0, 0, "no job %lld", id);
	else if (rc != SQLITE_ROW)
		err = db_error(r);
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "queued") !=
			 0 &&
		 strcmp((const char *)sqlite3_column_text(st, 0), "running") !=
			 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "job %lld is %s already: only a queued or "
				   "running job is cancelled",
				   id,
				   (const char *)sqlite3_column_text(st, 0));
	hw_registry_done(st);
	if (!err && !(err = job_event(r, k, id, "cancelled", by)) &&
	    !(err = hw_registry_stmt(&st, r,
			    "UPDATE jobs SET state = 'cancelled', done = ?2"
			    " WHERE id = ?1"))) {
		if (sqlite3_bind_int64(st, 1, id) ||
		    sqlite3_bind_int64(st, 2, now) ||
		    sqlite3_step(st) != SQLITE_DONE)
			err = db_error(r);
		hw_registry_done(st);
	}
	return end(r, err);
}

/* Implements: FR-FLEET-007 */
int hw_jobs_waiting(long long *n, hw_registry *r, const char *host,
		    long long now)
{
	sqlite3_stmt *st;
	int err, rc;

	*n = 0;
	if ((err = hw_registry_stmt(
		     &st, r,
		     "SELECT count(*) FROM jobs WHERE host = ?1"
		     " AND (state = 'queued' OR (state = 'running'"
		     " AND given + deadline + ?3 <= ?2))")))
		return err;
	rc = sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC) ||
			     sqlite3_bind_int64(st, 2, now) ||
			     sqlite3_bind_int64(st, 3, HW_FLEET_GRACE)
		     ? SQLITE_ERROR
		     : sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		err = db_error(r);
	hw_registry_done(st);
	return err;
}

/* Implements: FR-FLEET-007, FR-FLEET-009 */
int hw_jobs_next(hw_fleet_job *job, hw_registry *r, const char *host,
		 const char *serial, long long now)
{
	sqlite3_stmt *st;
	int err, rc;

	memset(job, 0, sizeof(*job));
	if ((err = hw_registry_stmt(&st, r,
			   "UPDATE jobs SET state = 'running', serial = ?2,"
			   " given = ?3, attempts = attempts + 1"
			   " WHERE id = (SELECT min(id) FROM jobs"
			   " WHERE host = ?1 AND state = 'queued')"
			   " RETURNING id, kind, nonce, deadline, args")))
		return err;
	rc = sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC) ||
			     sqlite3_bind_text(st, 2, serial, -1,
					       SQLITE_STATIC) ||
			     sqlite3_bind_int64(st, 3, now)
		     ? SQLITE_ERROR
		     : sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *args = (const char *)sqlite3_column_text(st, 4);

		job->id = sqlite3_column_int64(st, 0);
		snprintf(job->kind, sizeof(job->kind), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(job->nonce, sizeof(job->nonce), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		job->deadline = sqlite3_column_int64(st, 3);
		if (args && !(job->args = hw_strdup(args)))
			err = hw_error_oom();
	} else if (rc != SQLITE_DONE) {
		err = db_error(r);
	}
	hw_registry_done(st);
	return err;
}

/* Implements: FR-FLEET-007 */
void hw_fleet_result_message(hw_buf *msg, long long id, const char *nonce,
			     const char *result, size_t len)
{
	uint8_t digest[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];

	hw_sha256(digest, result, len);
	hw_hex(hex, digest, sizeof(digest));
	hw_buf_clear(msg);
	hw_buf_printf(msg, "hwledger.fleet.result/1\n%lld\n%s\n%s", id, nonce,
		      hex);
}

/* Implements: FR-FLEET-007, FR-FLEET-009 */
int hw_jobs_check_result(hw_fleet_job *job, hw_registry *r,
			 const char *serial, const uint8_t pk[32],
			 long long id, const char *nonce, const char *result,
			 size_t len, const uint8_t sig[64])
{
	sqlite3_stmt *st;
	const char *state, *given;
	hw_buf msg;
	int err, rc;

	memset(job, 0, sizeof(*job));
	if ((err = hw_registry_stmt(&st, r,
			   "SELECT kind, nonce, state, serial FROM jobs"
			   " WHERE id = ?")))
		return err;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		err = rc == SQLITE_DONE
			      ? hw_error_set(HW_EFAIL, NULL, 0, 0,
					     "refused: no job %lld", id)
			      : db_error(r);
		hw_registry_done(st);
		return err;
	}
	job->id = id;
	snprintf(job->kind, sizeof(job->kind), "%s",
		 (const char *)sqlite3_column_text(st, 0));
	snprintf(job->nonce, sizeof(job->nonce), "%s",
		 (const char *)sqlite3_column_text(st, 1));
	state = (const char *)sqlite3_column_text(st, 2);
	given = (const char *)sqlite3_column_text(st, 3);
	hw_buf_init(&msg, 0);
	hw_fleet_result_message(&msg, id, job->nonce, result, len);
	if (!strcmp(state, "cancelled") || !strcmp(state, "timed-out"))
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: job %lld %s", id,
				   *state == 'c' ? "was cancelled"
						 : "timed out");
	else if (strcmp(state, "running") != 0 && strcmp(state, "queued") != 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: job %lld has its result already",
				   id);
	else if (!given || strcmp(given, serial) != 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: job %lld was not given to this "
				   "agent",
				   id);
	else if (strcmp(nonce, job->nonce) != 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: not the nonce of job %lld", id);
	else if (!msg.data ||
		 crypto_sign_verify_detached(sig, (const uint8_t *)msg.data,
					     msg.len, pk) != 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: the result's signature does not "
				   "verify with the agent's key");
	hw_registry_done(st);
	hw_buf_free(&msg);
	return err;
}

/* Implements: FR-FLEET-007, FR-FLEET-009 */
int hw_jobs_done(hw_registry *r, long long id, const char *state,
		 const char *result, size_t len, long long now)
{
	sqlite3_stmt *st;
	int err;

	if ((err = hw_registry_stmt(&st, r,
			   "UPDATE jobs SET state = ?4, done = ?2,"
			   " result = ?3 WHERE id = ?1")))
		return err;
	if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_bind_text(st, 3, result, (int)len, SQLITE_TRANSIENT) ||
	    sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC) ||
	    sqlite3_step(st) != SQLITE_DONE)
		err = db_error(r);
	hw_registry_done(st);
	return err;
}

/* Implements: FR-FLEET-009 */
int hw_jobs_json(hw_buf *out, hw_registry *r, long long now)
{
	sqlite3_stmt *st;
	hw_jw w;
	int err, rc;

	if ((err = hw_registry_stmt(&st, r,
			   "SELECT " JOB_COLUMNS " FROM jobs ORDER BY id")))
		return err;
	hw_jw_init(&w, out, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.jobs/1");
	hw_jw_kint(&w, "now", now);
	hw_jw_key(&w, "jobs");
	hw_jw_array(&w);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		hw_jw_object(&w);
		job_members(&w, st);
		hw_jw_end(&w);
	}
	hw_registry_done(st);
	hw_jw_end(&w);
	hw_jw_end(&w);
	if (rc != SQLITE_DONE)
		return db_error(r);
	return hw_jw_finish(&w);
}

/* Implements: FR-FLEET-008 */
int hw_jobs_latest(char **result, long long *when, hw_registry *r,
		   const char *host)
{
	sqlite3_stmt *st;
	int err, rc;

	*result = NULL;
	*when = 0;
	if ((err = hw_registry_stmt(&st, r,
			   "SELECT result, done FROM jobs WHERE host = ?"
			   " AND state = 'done' AND kind = 'probe'"
			   " ORDER BY done DESC, id DESC LIMIT 1")))
		return err;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*result = hw_strdup((const char *)sqlite3_column_text(st, 0));
		*when = sqlite3_column_int64(st, 1);
		if (!*result)
			err = hw_error_oom();
	} else if (rc != SQLITE_DONE) {
		err = db_error(r);
	}
	hw_registry_done(st);
	return err;
}
