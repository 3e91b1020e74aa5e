/*
 * memo.c — the stored result of a trace run, replayed when nothing it
 * depends on has changed.
 *
 * The key is not a hash but the inputs' state itself, written out: strings
 * (the options, the date), each file's path and stat (size, mtime, ctime,
 * inode, or the errno of a failed stat) and, for small files that tools
 * rewrite with the same bytes (results, coverage), the path and a hash of
 * the content. Two different states never share a result.
 *
 * The memo file holds the key, the exit code, the bytes the run wrote to
 * stderr and to its output, the second at which the key was begun and a
 * 64-bit checksum of all of it; anything that does not read back whole is a
 * miss.
 *
 * git's racy-timestamp rule: a file whose mtime is not older than the
 * second in which the stored key was begun may have been written again
 * after its stat, within the same tick of the file system's clock, without
 * its stat changing; such a stored result is not trusted. The key's second
 * is taken from the coarse clock, which stamps the files' times, and
 * rounded down, so that a file system whose times are whole seconds is
 * covered too.
 */
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MEMO_MAGIC "hwledger-memo/5\n"
#define MEMO_MAGIC_LEN 16
#define MEMO_HEAD (MEMO_MAGIC_LEN + 5 * 8)
#define NS 1000000000LL

struct hw_memo {
	hw_buf key;
	long long start_s;   /* the second in which the key was begun */
	long long newest_ns; /* the latest mtime of a file in the key */
	int err;             /* a failed append: never looked up nor stored */
	hw_buf stored;       /* the memo file, as hw_memo_lookup read it */
};

/* The state of a file in the key. */
typedef struct file_state {
	long long size;
	long long mtime_ns;
	long long ctime_ns;
	long long inode;
	long long stat_errno; /* 0, or why it could not be statted */
} file_state;

/* Implements: FR-TRACE-007 */
hw_memo *hw_memo_new(long long start_ns)
{
	hw_memo *m = calloc(1, sizeof(*m));
	struct timespec ts;

	if (!m)
		return NULL;
	if (start_ns <= 0) {
		clock_gettime(CLOCK_REALTIME_COARSE, &ts);
		start_ns = (long long)ts.tv_sec * NS + ts.tv_nsec;
	}
	m->start_s = start_ns / NS;
	hw_buf_init(&m->key, 0);
	hw_buf_init(&m->stored, 0);
	return m;
}

void hw_memo_free(hw_memo *m)
{
	if (!m)
		return;
	hw_buf_free(&m->key);
	hw_buf_free(&m->stored);
	free(m);
}

static void put(hw_memo *m, const void *p, size_t n)
{
	if (!m->err && (m->err = hw_buf_append(&m->key, p, n)))
		hw_error_clear(); /* said by the run itself, which misses */
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_str(hw_memo *m, const char *s)
{
	put(m, s ? s : "\x01(none)", strlen(s ? s : "\x01(none)") + 1);
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_file(hw_memo *m, const char *path)
{
	file_state f;
	struct stat st;

	memset(&f, 0, sizeof(f));
	if (stat(path, &st) != 0) {
		f.stat_errno = errno;
	} else {
		f.size = (long long)st.st_size;
		f.mtime_ns = (long long)st.st_mtim.tv_sec * NS + st.st_mtim.tv_nsec;
		f.ctime_ns = (long long)st.st_ctim.tv_sec * NS + st.st_ctim.tv_nsec;
		f.inode = (long long)st.st_ino;
		if (f.mtime_ns > m->newest_ns)
			m->newest_ns = f.mtime_ns;
	}
	hw_memo_add_str(m, path);
	put(m, &f, sizeof(f));
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_digest(hw_memo *m, const char *path, size_t max)
{
	hw_buf b;
	char line[40];

	hw_buf_init(&b, 0);
	if (hw_file_read(&b, path, max) == HW_OK) {
		snprintf(line, sizeof(line), "%016llx",
			 (unsigned long long)hw_hash64(b.data, b.len));
	} else {
		hw_error_clear(); /* the run says what is wrong with it */
		snprintf(line, sizeof(line), "unread");
	}
	hw_buf_free(&b);
	hw_memo_add_str(m, path);
	hw_memo_add_str(m, line);
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_u64(hw_buf *b, int *err, uint64_t v)
{
	unsigned char x[8];

	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	if (!*err)
		*err = hw_buf_append(b, x, sizeof(x));
}

/* Implements: FR-TRACE-007 */
int hw_memo_lookup(hw_memo *m, const char *path, hw_memo_replay *r)
{
	const unsigned char *p;
	uint64_t when, code, klen, elen, olen, body;

	memset(r, 0, sizeof(*r));
	hw_buf_clear(&m->stored);
	if (m->err || hw_file_read(&m->stored, path, (size_t)1 << 30) != HW_OK) {
		hw_error_clear(); /* no memo to read is a miss, not an error */
		return 0;
	}
	p = (const unsigned char *)m->stored.data;
	if (m->stored.len < MEMO_HEAD + 8 ||
	    memcmp(p, MEMO_MAGIC, MEMO_MAGIC_LEN) != 0 ||
	    get_u64(p + m->stored.len - 8) !=
		    hw_hash64(p, m->stored.len - 8))
		return 0;
	when = get_u64(p + MEMO_MAGIC_LEN);
	code = get_u64(p + MEMO_MAGIC_LEN + 8);
	klen = get_u64(p + MEMO_MAGIC_LEN + 16);
	elen = get_u64(p + MEMO_MAGIC_LEN + 24);
	olen = get_u64(p + MEMO_MAGIC_LEN + 32);
	body = m->stored.len - MEMO_HEAD - 8;
	if (klen != m->key.len || klen > body || elen > body - klen ||
	    olen != body - klen - elen || code > 255 ||
	    memcmp(p + MEMO_HEAD, m->key.data, klen) != 0)
		return 0;
	/* racily clean: a file changed in or after the stored key's second.
	 * A second no clock gives, whose nanoseconds overflow, is damage */
	if (when > (uint64_t)(LLONG_MAX / NS) ||
	    m->newest_ns >= (long long)when * NS)
		return 0;
	r->code = (int)code;
	r->err = (const char *)p + MEMO_HEAD + klen;
	r->err_len = elen;
	r->out = r->err + elen;
	r->out_len = olen;
	return 1;
}

/* Implements: FR-TRACE-007 */
int hw_memo_store(const hw_memo *m, const char *path, const hw_buf *out,
		  const hw_buf *errout, int code)
{
	hw_buf b;
	int err = HW_OK;

	if (m->err)
		return HW_OK; /* no key, nothing stored */
	hw_buf_init(&b, 0);
	err = hw_buf_reserve(&b, MEMO_HEAD + m->key.len + errout->len +
					 out->len + 8);
	if (!err)
		err = hw_buf_append(&b, MEMO_MAGIC, MEMO_MAGIC_LEN);
	put_u64(&b, &err, (uint64_t)m->start_s);
	put_u64(&b, &err, (uint64_t)code);
	put_u64(&b, &err, m->key.len);
	put_u64(&b, &err, errout->len);
	put_u64(&b, &err, out->len);
	if (!err)
		err = hw_buf_append(&b, m->key.data, m->key.len);
	if (!err)
		err = hw_buf_append(&b, errout->data, errout->len);
	if (!err)
		err = hw_buf_append(&b, out->data, out->len);
	put_u64(&b, &err, hw_hash64(b.data, b.len));
	if (!err)
		err = hw_file_write_cache(path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}
