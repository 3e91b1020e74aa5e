/*
 * registry.c — the agents the server has heard from, in STATE/fleet.db
 * (SQLite), so they survive a restart (specs/fleet.md, "Registry").
 *
 * One row per certificate serial: its host, when it was first and last
 * heard from and the heartbeat interval it announced. Liveness is judged
 * when the registry is read, at the fleet's clock: an agent is down when
 * it has been silent for more than HW_FLEET_DOWN_AFTER intervals.
 */
#include "fleet/internal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	/* every commit synced, but for a known agent's heartbeat */
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS agents ("
	" serial TEXT PRIMARY KEY, host TEXT NOT NULL,"
	" registered INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	" interval INTEGER NOT NULL);"
	/* the hosts without an agent the server probes over SSH: when it
	 * first tried and last reached each, whether the last try reached
	 * it, and its latest result that did */
	"CREATE TABLE IF NOT EXISTS ssh_hosts ("
	" host TEXT PRIMARY KEY, registered INTEGER NOT NULL,"
	" last_seen INTEGER, interval INTEGER NOT NULL,"
	" reached INTEGER NOT NULL, probed INTEGER, result TEXT)";

static int db_error(sqlite3 *db, const char *path)
{
	return hw_error_set(HW_EIO, path, 0, 0, "registry: %s",
			    db ? sqlite3_errmsg(db) : "cannot open");
}

/* Implements: FR-FLEET-005 */
int hw_registry_open(hw_registry *r, const char *state)
{
	struct stat st;
	int err;

	memset(r, 0, sizeof(*r));
	if ((err = hw_mkdir_p(state)))
		return err;
	if (!(r->path = hw_path_join(state, "fleet.db")))
		return hw_error_oom();
	/* one connection for every thread of the server, serialised by
	 * SQLite's own mutex */
	if (sqlite3_open_v2(r->path, &r->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(r->db, 10000) != SQLITE_OK ||
	    sqlite3_exec(r->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		err = db_error(r->db, r->path);
		hw_registry_close(r);
	} else if ((err = hw_jobs_open(r))) {
		hw_registry_close(r);
	} else if (stat(r->path, &st) != 0) {
		err = hw_error_set(HW_EIO, r->path, 0, 0, "%s",
				   strerror(errno));
		hw_registry_close(r);
	} else {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	return err;
}

int hw_registry_stmt(sqlite3_stmt **st, hw_registry *r, const char *sql)
{
	size_t i;

	for (i = 0; i < HW_REGISTRY_STMTS && r->kept[i].sql; i++)
		if (!strcmp(r->kept[i].sql, sql)) {
			*st = r->kept[i].st;
			return HW_OK;
		}
	*st = NULL;
	if (i == HW_REGISTRY_STMTS)
		return hw_error_set(HW_EFAIL, r->path, 0, 0,
				    "registry: more than %d statements",
				    HW_REGISTRY_STMTS);
	if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return db_error(r->db, r->path);
	r->kept[i].sql = sql;
	r->kept[i].st = *st;
	return HW_OK;
}

void hw_registry_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

/* Implements: FR-FLEET-005 */
int hw_registry_same(const hw_registry *r)
{
	struct stat st;

	if (stat(r->path, &st) != 0 || st.st_dev != r->dev ||
	    st.st_ino != r->ino)
		return hw_error_set(HW_EIO, r->path, 0, 0,
				    "deleted or replaced while the server "
				    "ran: nothing more is recorded; restart "
				    "the server");
	return HW_OK;
}

void hw_registry_close(hw_registry *r)
{
	for (size_t i = 0; i < HW_REGISTRY_STMTS; i++)
		sqlite3_finalize(r->kept[i].st);
	if (r->db)
		sqlite3_close(r->db);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* Implements: FR-FLEET-005 */
int hw_registry_known(int *known, hw_registry *r, const char *serial)
{
	sqlite3_stmt *st;
	int rc, err;

	if ((err = hw_registry_stmt(&st, r,
				    "SELECT 1 FROM agents WHERE serial = ?")))
		return err;
	rc = sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC) == SQLITE_OK
		     ? sqlite3_step(st)
		     : SQLITE_ERROR;
	hw_registry_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(r->db, r->path);
	*known = rc == SQLITE_ROW;
	return HW_OK;
}

/* Runs one kept statement that returns no rows (a pragma). */
static int run_kept(hw_registry *r, const char *sql)
{
	sqlite3_stmt *st;
	int err, rc;

	if ((err = hw_registry_stmt(&st, r, sql)))
		return err;
	rc = sqlite3_step(st);
	hw_registry_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? HW_OK
						     : db_error(r->db, r->path);
}

/* Implements: FR-FLEET-005 */
int hw_registry_heartbeat(hw_registry *r, const char *serial,
			  const char *host, long long now, long long interval,
			  int durable)
{
	sqlite3_stmt *st;
	int rc, err;

	if ((err = hw_registry_stmt(
		     &st, r,
		     "INSERT INTO agents VALUES (?1, ?2, ?3, ?3, ?4)"
		     " ON CONFLICT(serial) DO UPDATE SET last_seen = ?3,"
		     " interval = ?4")))
		return err;
	/* liveness is not evidence: a known agent's heartbeat is committed
	 * without waiting for the disk (in WAL mode a killed server still
	 * keeps it, and the next synced commit takes it to the disk too) */
	if (!durable && (err = run_kept(r, "PRAGMA synchronous=NORMAL")))
		return err;
	rc = sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC) ||
			     sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC) ||
			     sqlite3_bind_int64(st, 3, now) ||
			     sqlite3_bind_int64(st, 4, interval)
		     ? SQLITE_ERROR
		     : sqlite3_step(st);
	err = rc == SQLITE_DONE ? HW_OK : db_error(r->db, r->path);
	hw_registry_done(st);
	if (!durable) {
		int back = run_kept(r, "PRAGMA synchronous=FULL");

		err = err ? err : back;
	}
	return err;
}

/* Records a try to probe host over SSH at now: reached, the result is
 * its latest; else only the try is (its last readings are kept). */
/* Implements: FR-FLEET-023 */
int hw_registry_ssh_result(hw_registry *r, const char *host, long long now,
			   long long interval, int reached, const char *result)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
		r->db,
		"INSERT INTO ssh_hosts VALUES (?1, ?2, CASE WHEN ?4 THEN ?2 END,"
		" ?3, ?4, CASE WHEN ?4 THEN ?2 END, CASE WHEN ?4 THEN ?5 END)"
		" ON CONFLICT(host) DO UPDATE SET interval = ?3, reached = ?4,"
		" last_seen = CASE WHEN ?4 THEN ?2 ELSE last_seen END,"
		" probed = CASE WHEN ?4 THEN ?2 ELSE probed END,"
		" result = CASE WHEN ?4 THEN ?5 ELSE result END",
		-1, &st, NULL);
	if (rc == SQLITE_OK &&
	    (sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC) ||
	     sqlite3_bind_int64(st, 2, now) ||
	     sqlite3_bind_int64(st, 3, interval) ||
	     sqlite3_bind_int(st, 4, reached) ||
	     sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC)))
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? HW_OK : db_error(r->db, r->path);
}

/* A probe result and when it came, as "probed" and "probe" (null, null
 * when there is none: never a reading of 0). */
static void readings_json(hw_jw *w, const char *result, long long when)
{
	hw_jw_key(w, "probed");
	if (result)
		hw_jw_int(w, when);
	else
		hw_jw_null(w);
	hw_jw_key(w, "probe");
	if (result)
		hw_jw_raw(w, result, strlen(result));
	else
		hw_jw_null(w);
}

/* The latest probe result of an agent's host. */
static int host_readings(hw_jw *w, hw_registry *r, const char *host)
{
	long long when;
	char *result;
	int err = hw_jobs_latest(&result, &when, r, host);

	if (err)
		return err;
	readings_json(w, result, when);
	free(result);
	return HW_OK;
}

/* Implements: FR-FLEET-005, FR-FLEET-008 */
int hw_registry_hosts_json(hw_buf *out, hw_registry *r, long long now,
			   int readings)
{
	int err = HW_OK;
	sqlite3_stmt *st = NULL;
	hw_jw w;
	int rc = SQLITE_DONE;

	/* the agents, and the hosts probed over SSH (serial NULL) among
	 * them; a host never reached over SSH has no last_seen and is down */
	if (sqlite3_prepare_v2(r->db,
			       "SELECT host, serial, registered, last_seen,"
			       " interval, 1, NULL, NULL FROM agents"
			       " UNION ALL SELECT host, NULL, registered,"
			       " last_seen, interval, reached, probed, result"
			       " FROM ssh_hosts ORDER BY 1, 2",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(r->db, r->path);
	hw_jw_init(&w, out, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", readings ? "hwledger.fleet.status/1"
					  : "hwledger.fleet.hosts/1");
	hw_jw_kint(&w, "now", now);
	hw_jw_key(&w, "hosts");
	hw_jw_array(&w);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *host = (const char *)sqlite3_column_text(st, 0);
		const char *serial = (const char *)sqlite3_column_text(st, 1);
		long long seen = sqlite3_column_int64(st, 3);
		long long every = sqlite3_column_int64(st, 4);
		int never = sqlite3_column_type(st, 3) == SQLITE_NULL;

		hw_jw_object(&w);
		hw_jw_kstr(&w, "host", host);
		hw_jw_key(&w, "serial");
		if (serial)
			hw_jw_str(&w, serial);
		else
			hw_jw_null(&w);
		hw_jw_kstr(&w, "via", serial ? "agent" : "ssh");
		hw_jw_kstr(&w, "state",
			   never || !sqlite3_column_int(st, 5) ||
					   now - seen >
						   HW_FLEET_DOWN_AFTER * every
				   ? "down"
				   : "up");
		hw_jw_kint(&w, "registered", sqlite3_column_int64(st, 2));
		hw_jw_key(&w, "last_seen");
		if (never)
			hw_jw_null(&w);
		else
			hw_jw_int(&w, seen);
		hw_jw_kint(&w, "interval", every);
		if (readings && serial)
			err = host_readings(&w, r, host);
		else if (readings)
			readings_json(&w,
				      (const char *)sqlite3_column_text(st, 7),
				      sqlite3_column_int64(st, 6));
		hw_jw_end(&w);
	}
	sqlite3_finalize(st);
	hw_jw_end(&w);
	hw_jw_end(&w);
	if (err)
		return err;
	if (rc != SQLITE_DONE)
		return db_error(r->db, r->path);
	return hw_jw_finish(&w);
}
