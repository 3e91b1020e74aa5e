/*
 * index.c — the scan cache, .hwledger/index.db (SQLite).
 *
 * One row per scanned file: its size, modification and change times, content hash
 * (hw_hash64: fast, for change detection only) and the
 * scanner's record (tags, tagged and test functions, notes) encoded as a
 * compact blob. A file whose size, mtime and ctime are unchanged is taken
 * from the cache without being read (the ctime catches content put back
 * under an old mtime); one whose size or times changed is read and
 * hashed, and lexed again only when the hash changed. The cache holds
 * nothing that cannot be recomputed: deleting it changes no result.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int db_error(sqlite3 *db, const char *path, const char *what)
{
	return hw_error_set(HW_EIO, path, 0, 0, "%s: %s", what,
			    db ? sqlite3_errmsg(db) : "cannot open");
}

static const char schema_sql[] =
	/* synchronous first: creating the tables would otherwise wait on
	 * fdatasync calls (a cache) */
	"PRAGMA page_size=16384;PRAGMA synchronous=OFF;"
	/* read through a mapping rather than copied into SQLite's page
	 * cache (the file is only ever changed through SQLite) */
	"PRAGMA mmap_size=268435456;"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);";

/*
 * An index that exists is used in WAL mode, so that a run reading it never
 * waits for one writing it. An index this open creates is filled without a
 * journal: each page is written once, with no WAL to create and checkpoint,
 * and never read back while the index fills, so a small cache spills the
 * pages into the file as they fill (the default would hold the whole file
 * in memory touched for the first time). A crash while it is filled leaves
 * a damaged cache, which the next open rebuilds; the next open also puts it
 * in WAL mode.
 */
static const char existing_sql[] = "PRAGMA journal_mode=WAL;";
static const char fresh_sql[] = "PRAGMA journal_mode=OFF;"
				"PRAGMA cache_size=-256;";

/* Dropped and made anew whenever the index version changes. */
static const char files_sql[] =
	"DROP TABLE IF EXISTS files;"
	"CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER,"
	" mtime_ns INTEGER, ctime_ns INTEGER, hash TEXT, record BLOB);"
	"DELETE FROM meta;";

static int check_version(sqlite3 *db, int *ok)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*ok = 0;
	rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='version'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);

		*ok = v && strcmp((const char *)v, HW_INDEX_VERSION) == 0;
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int reset_db(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_exec(db, files_sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_prepare_v2(
		db, "INSERT INTO meta(key, value) VALUES('version', ?)", -1,
		&st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, HW_INDEX_VERSION, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc;
}

static int open_db(sqlite3 **db, const char *path, int *fresh)
{
	struct stat st;
	int ok, rc;

	/* only a hint: SQLite creates or opens whatever is there then */
	*fresh = stat(path, &st) != 0 && errno == ENOENT;
	rc = sqlite3_open_v2(path, db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(*db, 5000);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*db, *fresh ? fresh_sql : existing_sql, NULL,
				  NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*db, schema_sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = check_version(*db, &ok);
	if (rc == SQLITE_OK && !ok)
		rc = reset_db(*db);
	return rc;
}

static int load_rows(hw_index *ix)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = sqlite3_prepare_v2(ix->db,
				"SELECT path, size, mtime_ns, ctime_ns, hash, record "
				"FROM files", /* in the table's order: sorted after */
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		hw_index_row *r;
		const unsigned char *sha = sqlite3_column_text(st, 4);
		const void *blob = sqlite3_column_blob(st, 5);
		int blen = sqlite3_column_bytes(st, 5);

		if (!sha || strlen((const char *)sha) != 16 ||
		    !sqlite3_column_text(st, 0))
			continue; /* a damaged row is a cache miss */
		if (HW_ARRAY_GROW(ix->rows, ix->n, cap)) {
			rc = SQLITE_NOMEM;
			break;
		}
		{
			/* assembled before it joins the rows */
			size_t len = blen > 0 ? (size_t)blen : 0;
			char *rpath = hw_strdup(
				(const char *)sqlite3_column_text(st, 0));
			unsigned char *rblob = malloc(len ? len : 1);

			if (!rpath || !rblob) {
				free(rpath);
				free(rblob);
				rc = SQLITE_NOMEM;
				break;
			}
			if (len)
				memcpy(rblob, blob, len);
			r = &ix->rows[ix->n++];
			memset(r, 0, sizeof(*r));
			r->path = rpath;
			r->blob = rblob;
			r->blob_len = len;
			r->size = sqlite3_column_int64(st, 1);
			r->mtime_ns = sqlite3_column_int64(st, 2);
			r->ctime_ns = sqlite3_column_int64(st, 3);
			memcpy(r->hash, sha, 17);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const hw_index_row *)a)->path,
		      ((const hw_index_row *)b)->path);
}

static void rows_free(hw_index *ix)
{
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->rows[i].path);
		free(ix->rows[i].blob);
	}
	free(ix->rows);
	ix->rows = NULL;
	ix->n = 0;
}

/* Opens the database and reads every row; on failure nothing is kept but
 * the connection (for its message). */
static int open_and_load(hw_index *ix, const char *path)
{
	int rc = open_db(&ix->db, path, &ix->fresh);

	if (rc == SQLITE_OK && (rc = load_rows(ix)) != SQLITE_OK)
		rows_free(ix);
	return rc;
}

/* Implements: FR-TRACE-007 */
int hw_index_open(hw_index *ix, const char *path, hw_diags *diags)
{
	int rc, err;

	memset(ix, 0, sizeof(*ix));
	if ((err = hw_mkdir_parent(path)))
		return err;
	rc = open_and_load(ix, path);
	if (rc == SQLITE_NOMEM) {
		sqlite3_close(ix->db);
		ix->db = NULL;
		return hw_error_oom();
	}
	if (rc != SQLITE_OK) {
		/* not a database, damaged rows (a crash while a first run
		 * filled it), or from an incompatible build: start over */
		hw_diags_add(diags, HW_DIAG_WARNING, path, 0, 0,
			     "index cache unusable (%s); rebuilding it",
			     ix->db ? sqlite3_errmsg(ix->db) : "cannot open");
		sqlite3_close(ix->db);
		ix->db = NULL;
		unlink(path);
		rc = open_and_load(ix, path);
		if (rc != SQLITE_OK) {
			err = db_error(ix->db, path, "cannot open index");
			sqlite3_close(ix->db);
			ix->db = NULL;
			return err;
		}
	}
	/* read in the table's order (no walk of the path index and a lookup
	 * per row); found by binary search in byte order */
	if (ix->n)
		qsort(ix->rows, ix->n, sizeof(*ix->rows), row_cmp);
	return HW_OK;
}

/* Implements: FR-TRACE-007 */
const hw_index_row *hw_index_find(const hw_index *ix, const char *path)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->rows[mid].path, path);

		if (c == 0)
			return &ix->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int path_in(const hw_src_file *files, size_t n, const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(files[mid].path, path);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Implements: FR-TRACE-007 */
int hw_index_store(hw_index *ix, const hw_src_file *files, size_t n,
		   const unsigned char *dirty)
{
	sqlite3_stmt *put = NULL, *del = NULL;
	hw_buf blob;
	int rc, err = HW_OK;

	if (!ix->db)
		return HW_OK;
	hw_buf_init(&blob, 0);
	rc = sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
			ix->db,
			"INSERT OR REPLACE INTO files(path, size, mtime_ns, "
			"ctime_ns, hash, record) VALUES(?, ?, ?, ?, ?, ?)",
			-1, &put, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(ix->db,
					"DELETE FROM files WHERE path = ?", -1,
					&del, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		if (!dirty[i])
			continue;
		hw_buf_clear(&blob);
		if ((err = hw_record_encode(&blob, &files[i])))
			break;
		sqlite3_bind_text(put, 1, files[i].path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(put, 2, files[i].size);
		sqlite3_bind_int64(put, 3, files[i].mtime_ns);
		sqlite3_bind_int64(put, 4, files[i].ctime_ns);
		sqlite3_bind_text(put, 5, files[i].hash, -1, SQLITE_STATIC);
		sqlite3_bind_blob(put, 6, blob.data ? blob.data : "",
				  (int)blob.len, SQLITE_STATIC);
		rc = sqlite3_step(put) == SQLITE_DONE ? SQLITE_OK
						      : SQLITE_ERROR;
		sqlite3_reset(put);
	}
	for (size_t i = 0; rc == SQLITE_OK && !err && i < ix->n; i++) {
		if (path_in(files, n, ix->rows[i].path))
			continue;
		sqlite3_bind_text(del, 1, ix->rows[i].path, -1, SQLITE_STATIC);
		rc = sqlite3_step(del) == SQLITE_DONE ? SQLITE_OK
						      : SQLITE_ERROR;
		sqlite3_reset(del);
	}
	if (rc != SQLITE_OK && !err)
		err = db_error(ix->db, HW_INDEX_PATH, "cannot update index");
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	sqlite3_exec(ix->db, err ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	hw_buf_free(&blob);
	return err;
}

/* Implements: FR-TRACE-007 */
void hw_index_close(hw_index *ix)
{
	rows_free(ix);
	sqlite3_close(ix->db);
	memset(ix, 0, sizeof(*ix));
}

/* ---- record encoding: little-endian u32/i64 and length-prefixed strings */

static int put_u32(hw_buf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};

	return hw_buf_append(b, c, 4);
}

static int put_i64(hw_buf *b, long long v)
{
	uint64_t u = (uint64_t)v;

	return put_u32(b, (uint32_t)u) || put_u32(b, (uint32_t)(u >> 32));
}

static int put_str(hw_buf *b, const char *s)
{
	size_t n = strlen(s);

	return put_u32(b, (uint32_t)n) || hw_buf_append(b, s, n);
}

/* Implements: FR-TRACE-007 */
int hw_record_encode(hw_buf *b, const hw_src_file *f)
{
	int bad = put_u32(b, 0x31525748u) || put_u32(b, (uint32_t)f->lang) ||
		  put_u32(b, (uint32_t)f->nfuncs);

	for (size_t i = 0; !bad && i < f->nfuncs; i++)
		bad = put_str(b, f->funcs[i].name) ||
		      put_i64(b, f->funcs[i].first) ||
		      put_i64(b, f->funcs[i].last) ||
		      put_u32(b, (uint32_t)f->funcs[i].is_test);
	bad = bad || put_u32(b, (uint32_t)f->ntags);
	for (size_t i = 0; !bad && i < f->ntags; i++) {
		const hw_tag *t = &f->tags[i];

		bad = put_str(b, t->fr) || put_u32(b, (uint32_t)t->rev) ||
		      put_u32(b, (uint32_t)(t->malformed | t->kind << 1 |
					    t->syntax << 4)) ||
		      put_i64(b, t->line) || put_i64(b, t->col) ||
		      put_i64(b, t->func);
	}
	bad = bad || put_u32(b, (uint32_t)f->nnotes);
	for (size_t i = 0; !bad && i < f->nnotes; i++)
		bad = put_u32(b, (uint32_t)f->notes[i].level) ||
		      put_i64(b, f->notes[i].line) ||
		      put_str(b, f->notes[i].message);
	bad = bad || put_u32(b, (uint32_t)f->nclasses);
	for (size_t i = 0; !bad && i < f->nclasses; i++)
		bad = put_str(b, f->classes[i].name) ||
		      put_str(b, f->classes[i].bases) ||
		      put_i64(b, f->classes[i].line);
	return bad ? hw_error_code() : HW_OK;
}

typedef struct reader {
	const unsigned char *p;
	size_t n;
	size_t i;
	int bad;
} reader;

static uint32_t get_u32(reader *r)
{
	uint32_t v;

	if (r->bad || r->n - r->i < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[r->i] | (uint32_t)r->p[r->i + 1] << 8 |
	    (uint32_t)r->p[r->i + 2] << 16 | (uint32_t)r->p[r->i + 3] << 24;
	r->i += 4;
	return v;
}

static long long get_i64(reader *r)
{
	uint64_t lo = get_u32(r), hi = get_u32(r);

	return (long long)(lo | hi << 32);
}

static char *get_str(reader *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->bad || r->n - r->i < n) {
		r->bad = 1;
		return NULL;
	}
	s = hw_strndup((const char *)r->p + r->i, n);
	if (!s)
		r->bad = 1;
	r->i += n;
	return s;
}

/* Counts are bounded by the blob's size so a damaged one cannot ask for
 * more memory than it could describe. */
static int count_ok(reader *r, uint32_t count, size_t min_bytes)
{
	if (r->bad || count > (r->n - r->i) / min_bytes + 1) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

/* Whether s is a class's bases as the scanner gives them: names
 * (identifier bytes, UTF-8) one space apart, at least one. */
static int bases_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || s[0] == ' ' || s[n - 1] == ' ' || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' ? s[i + 1] == ' ' || (s[i + 1] >= '0' &&
						   s[i + 1] <= '9')
			     : !(c == '_' || c >= 0x80 ||
				 (c >= '0' && c <= '9') ||
				 (c >= 'a' && c <= 'z') ||
				 (c >= 'A' && c <= 'Z')))
			return 0;
	}
	return 1;
}

/* Implements: FR-TRACE-007 */
int hw_record_decode(hw_src_file *f, const unsigned char *p, size_t n)
{
	reader r = {p, n, 0, 0};
	uint32_t count;

	if (get_u32(&r) != 0x31525748u)
		return HW_EINVAL;
	/* the language the text was read as (a `.h` by its content) */
	count = get_u32(&r);
	if (count > HW_LANG_PY)
		return HW_EINVAL;
	f->lang = (hw_lang)count;
	count = get_u32(&r);
	if (count_ok(&r, count, 24) && count) {
		f->funcs = calloc(count, sizeof(*f->funcs));
		r.bad = !f->funcs;
		for (uint32_t i = 0; !r.bad && i < count; i++) {
			f->funcs[i].name = get_str(&r);
			f->funcs[i].first = get_i64(&r);
			f->funcs[i].last = get_i64(&r);
			f->funcs[i].is_test = (int)get_u32(&r);
			f->nfuncs = i + 1;
			/* lines as the scanner gives them: the coverage count
			 * indexes its line arrays with them */
			if (f->funcs[i].first < 0 ||
			    f->funcs[i].last < f->funcs[i].first)
				r.bad = 1;
		}
	}
	count = get_u32(&r);
	if (count_ok(&r, count, 36) && count) {
		f->tags = calloc(count, sizeof(*f->tags));
		r.bad = !f->tags;
		for (uint32_t i = 0; !r.bad && i < count; i++) {
			hw_tag *t = &f->tags[i];
			uint32_t bits;

			t->fr = get_str(&r);
			t->rev = (int)get_u32(&r);
			bits = get_u32(&r);
			t->malformed = bits & 1;
			t->kind = (hw_tag_kind)(bits >> 1 & 7);
			t->syntax = (hw_tag_syntax)(bits >> 4 & 7);
			t->line = get_i64(&r);
			t->col = get_i64(&r);
			t->func = get_i64(&r);
			f->ntags = i + 1;
			if (t->func < -1 || t->func >= (long)f->nfuncs ||
			    t->kind > HW_TAG_ITEST || t->syntax > HW_SYNTAX_TRACES ||
			    t->line < 0 || t->col < 0)
				r.bad = 1;
		}
	}
	count = get_u32(&r);
	if (count_ok(&r, count, 16) && count) {
		f->notes = calloc(count, sizeof(*f->notes));
		r.bad = !f->notes;
		for (uint32_t i = 0; !r.bad && i < count; i++) {
			f->notes[i].level = get_u32(&r) ? HW_DIAG_WARNING
							: HW_DIAG_ERROR;
			f->notes[i].line = get_i64(&r);
			f->notes[i].message = get_str(&r);
			f->nnotes = i + 1;
			if (f->notes[i].line < 0)
				r.bad = 1;
		}
	}
	count = get_u32(&r);
	if (count_ok(&r, count, 16) && count) {
		f->classes = calloc(count, sizeof(*f->classes));
		r.bad = !f->classes;
		for (uint32_t i = 0; !r.bad && i < count; i++) {
			hw_pyclass *c = &f->classes[i];

			c->name = get_str(&r);
			c->bases = get_str(&r);
			c->line = get_i64(&r);
			f->nclasses = i + 1;
			/* link.c reads the bases as names */
			if (!c->name || !*c->name || !bases_ok(c->bases) ||
			    c->line < 0)
				r.bad = 1;
		}
	}
	if (r.bad || r.i != r.n)
		return HW_EINVAL;
	return HW_OK;
}
