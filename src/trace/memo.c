/*
 * memo.c — the stored result of a trace run, replayed when nothing it
 * depends on has changed.
 *
 * The key is not a hash but the inputs' state itself, written out: every
 * input file's path and its stat (size, mtime and ctime in nanoseconds,
 * inode, mode, or the errno of a failed stat), the options and the date
 * that shape the output, and the binary's own stat. A replay compares the
 * stored key with the fresh one byte for byte, so two different states can
 * never share a result. The memo file holds that key, the exit code and the
 * bytes the run wrote to stderr and to its output, and a 64-bit checksum of
 * all of it; anything that does not read back whole is a miss.
 *
 * A run whose inputs were changed less than a second before it began does
 * not store its result: a file written within the same tick of the file
 * system's clock as the run's stat could change again without its times
 * changing (git's "racily clean" entries).
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MEMO_MAGIC "hwledger-memo/1\n"
#define MEMO_MAGIC_LEN 16
#define RACY_NS 1000000000LL

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void hw_memo_init(hw_memo *m)
{
	hw_buf_init(&m->key, 0);
	m->start_ns = now_ns();
	m->newest_ns = 0;
	m->err = HW_OK;
}

void hw_memo_free(hw_memo *m)
{
	hw_buf_free(&m->key);
}

static void put(hw_memo *m, const void *p, size_t n)
{
	if (!m->err)
		m->err = hw_buf_append(&m->key, p, n);
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_str(hw_memo *m, const char *s)
{
	if (!s)
		s = "\x01(none)";
	put(m, s, strlen(s) + 1);
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_stat(hw_memo *m, const char *path, const struct stat *st,
		      int stat_errno)
{
	long long v[7] = {0};
	long long mt, ct;

	hw_memo_add_str(m, path);
	if (st && !stat_errno) {
		mt = (long long)st->st_mtim.tv_sec * 1000000000LL +
		     st->st_mtim.tv_nsec;
		ct = (long long)st->st_ctim.tv_sec * 1000000000LL +
		     st->st_ctim.tv_nsec;
		v[1] = (long long)st->st_size;
		v[2] = mt;
		v[3] = ct;
		v[4] = (long long)st->st_ino;
		v[5] = (long long)st->st_dev;
		v[6] = (long long)st->st_mode;
		if (mt > m->newest_ns)
			m->newest_ns = mt;
		if (ct > m->newest_ns)
			m->newest_ns = ct;
	} else {
		v[0] = stat_errno ? stat_errno : -1;
	}
	put(m, v, sizeof(v));
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_file(hw_memo *m, const char *path)
{
	struct stat st;

	if (!path) {
		hw_memo_add_str(m, NULL);
		return;
	}
	if (stat(path, &st) != 0)
		hw_memo_add_stat(m, path, NULL, errno);
	else
		hw_memo_add_stat(m, path, &st, 0);
}

static void put_u64(hw_buf *b, int *err, uint64_t v)
{
	unsigned char x[8];

	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	if (!*err)
		*err = hw_buf_append(b, x, sizeof(x));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Implements: FR-TRACE-007 */
int hw_memo_replay(const hw_memo *m, const char *path, hw_buf *out,
		   hw_buf *errout, int *code)
{
	hw_buf b;
	const unsigned char *p;
	uint64_t klen, elen, olen, c;
	size_t head = MEMO_MAGIC_LEN + 4 * 8, body;
	int hit = 0;

	if (m->err)
		return 0;
	hw_buf_init(&b, 0);
	if (hw_file_read(&b, path, (size_t)1 << 30) != HW_OK) {
		hw_error_clear();
		goto done;
	}
	p = (const unsigned char *)b.data;
	if (b.len < head + 8 || memcmp(p, MEMO_MAGIC, MEMO_MAGIC_LEN) != 0)
		goto done;
	klen = get_u64(p + MEMO_MAGIC_LEN);
	c = get_u64(p + MEMO_MAGIC_LEN + 8);
	elen = get_u64(p + MEMO_MAGIC_LEN + 16);
	olen = get_u64(p + MEMO_MAGIC_LEN + 24);
	body = b.len - head - 8;
	if (klen > body || elen > body - klen || olen != body - klen - elen ||
	    c > 255)
		goto done;
	if (get_u64(p + b.len - 8) != hw_hash64(p, b.len - 8))
		goto done;
	if (klen != m->key.len || memcmp(p + head, m->key.data, klen) != 0)
		goto done;
	p += head + klen;
	if (hw_buf_append(errout, p, elen) ||
	    hw_buf_append(out, p + elen, olen)) {
		hw_error_clear();
		goto done;
	}
	*code = (int)c;
	hit = 1;
done:
	hw_buf_free(&b);
	return hit;
}

/* Implements: FR-TRACE-007 */
int hw_memo_store(const hw_memo *m, const char *path, const hw_buf *out,
		  const hw_buf *errout, int code)
{
	hw_buf b;
	int err = HW_OK;

	if (m->err || m->newest_ns > m->start_ns - RACY_NS)
		return HW_OK; /* racily clean inputs: not stored */
	hw_buf_init(&b, 0);
	err = hw_buf_reserve(&b, MEMO_MAGIC_LEN + 40 + m->key.len +
					 errout->len + out->len);
	if (!err)
		err = hw_buf_append(&b, MEMO_MAGIC, MEMO_MAGIC_LEN);
	put_u64(&b, &err, m->key.len);
	put_u64(&b, &err, (uint64_t)code);
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
		err = hw_file_write_atomic(path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}
