/*
 * jobs.c — the job queue in the registry (STATE/fleet.db) and the check
 * of a job's signed result (specs/fleet.md, "Jobs").
 *
 * A job is queued for a host, handed to the first agent of that host that
 * asks (its certificate's serial is recorded: only that agent may answer
 * it) and answered once. Its result is signed with the agent's Ed25519
 * key over the job, its nonce and the result's SHA-256, so a result
 * cannot be forged, moved to another job or sent twice.
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
	" queued INTEGER NOT NULL, done INTEGER, result TEXT)";

static int db_error(hw_registry *r)
{
	return hw_error_set(HW_EIO, r->path, 0, 0, "jobs: %s",
			    sqlite3_errmsg(r->db));
}

/* Prepares sql on r's connection, the jobs table made first. */
static int prepare(sqlite3_stmt **st, hw_registry *r, const char *sql)
{
	*st = NULL;
	if (sqlite3_exec(r->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(r);
	return HW_OK;
}

/* Implements: FR-FLEET-007 */
int hw_jobs_queue(long long *id, hw_registry *r, const char *host,
		  const char *kind, long long now)
{
	uint8_t raw[16];
	char nonce[33];
	sqlite3_stmt *st;
	int err;

	if (strcmp(kind, "probe") != 0)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "unknown job '%s' (known: probe)", kind);
	if (!hw_key_name_valid(host))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "bad host name '%s'", host);
	randombytes_buf(raw, sizeof(raw));
	hw_hex(nonce, raw, sizeof(raw));
	if ((err = prepare(&st, r,
			   "INSERT INTO jobs (host, kind, nonce, queued)"
			   " VALUES (?1, ?2, ?3, ?4)")))
		return err;
	if (sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 3, nonce, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 4, now) || sqlite3_step(st) != SQLITE_DONE)
		err = db_error(r);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(r->db);
	return err;
}

/* Implements: FR-FLEET-007 */
int hw_jobs_next(hw_fleet_job *job, hw_registry *r, const char *host,
		 const char *serial)
{
	sqlite3_stmt *st;
	int err, rc;

	memset(job, 0, sizeof(*job));
	if ((err = prepare(&st, r,
			   "UPDATE jobs SET state = 'running', serial = ?2"
			   " WHERE id = (SELECT min(id) FROM jobs"
			   " WHERE host = ?1 AND state = 'queued')"
			   " RETURNING id, kind, nonce")))
		return err;
	rc = sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC) ||
			     sqlite3_bind_text(st, 2, serial, -1,
					       SQLITE_STATIC)
		     ? SQLITE_ERROR
		     : sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		job->id = sqlite3_column_int64(st, 0);
		snprintf(job->kind, sizeof(job->kind), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(job->nonce, sizeof(job->nonce), "%s",
			 (const char *)sqlite3_column_text(st, 2));
	} else if (rc != SQLITE_DONE) {
		err = db_error(r);
	}
	sqlite3_finalize(st);
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

/* Implements: FR-FLEET-007 */
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
	if ((err = prepare(&st, r,
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
		sqlite3_finalize(st);
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
	if (!strcmp(state, "done"))
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
	sqlite3_finalize(st);
	hw_buf_free(&msg);
	return err;
}

/* Implements: FR-FLEET-007 */
int hw_jobs_done(hw_registry *r, long long id, const char *result,
		 size_t len, long long now)
{
	sqlite3_stmt *st;
	int err;

	if ((err = prepare(&st, r,
			   "UPDATE jobs SET state = 'done', done = ?2,"
			   " result = ?3 WHERE id = ?1")))
		return err;
	if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_bind_text(st, 3, result, (int)len, SQLITE_TRANSIENT) ||
	    sqlite3_step(st) != SQLITE_DONE)
		err = db_error(r);
	sqlite3_finalize(st);
	return err;
}

/* Implements: FR-FLEET-008 */
int hw_jobs_latest(char **result, long long *when, hw_registry *r,
		   const char *host)
{
	sqlite3_stmt *st;
	int err, rc;

	*result = NULL;
	*when = 0;
	if ((err = prepare(&st, r,
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
	sqlite3_finalize(st);
	return err;
}
