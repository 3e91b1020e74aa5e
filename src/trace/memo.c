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
 * bytes the run wrote to stderr and to its output, where in the key the
 * sources' files lie and the state of every folder walked to find them
 * (not part of the key: hw_scan_state_finish lists the files from the key
 * again while those folders are unchanged), and a 64-bit checksum of all
 * of it; anything that does not read back whole is a miss.
 *
 * The stored memo is mapped (its pages populated in one call) and checked
 * before anything is added to the key, and each part of the fresh key is compared with
 * the stored key as it is added: a replay copies neither the key nor the
 * output, which are most of a warm run's memory traffic. Only once the key
 * differs is it built, from the equal prefix on.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define MEMO_MAGIC "hwledger-memo/3\n"
#define MEMO_MAGIC_LEN 16
#define RACY_NS 1000000000LL

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Maps the memo at path and reads its header; whether the rest is whole is
 * hw_memo_check's to say. */
static void map_memo(hw_memo *m, const char *path)
{
	const size_t head = MEMO_MAGIC_LEN + 7 * 8;
	const unsigned char *p;
	uint64_t klen, elen, olen, c, soff, slen, alen;
	size_t body;
	struct stat st;
	void *map;
	int fd = hw_file_open_read(path, &st);

	if (fd < 0) {
		hw_error_clear(); /* no memo to read is a miss, not an error */
		return;
	}
	if (st.st_size < (off_t)(head + 8) || st.st_size > (off_t)1 << 30) {
		close(fd);
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
		   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	m->map = map;
	m->map_len = (size_t)st.st_size;
	p = m->map;
	klen = get_u64(p + MEMO_MAGIC_LEN);
	c = get_u64(p + MEMO_MAGIC_LEN + 8);
	elen = get_u64(p + MEMO_MAGIC_LEN + 16);
	olen = get_u64(p + MEMO_MAGIC_LEN + 24);
	soff = get_u64(p + MEMO_MAGIC_LEN + 32);
	slen = get_u64(p + MEMO_MAGIC_LEN + 40);
	alen = get_u64(p + MEMO_MAGIC_LEN + 48);
	body = m->map_len - head - 8;
	if (memcmp(p, MEMO_MAGIC, MEMO_MAGIC_LEN) != 0 || klen > body ||
	    elen > body - klen || olen > body - klen - elen ||
	    alen != body - klen - elen - olen || c > 255 || soff > klen ||
	    slen > klen - soff)
		return; /* mapped but no memo: hw_memo_free unmaps it */
	m->skey = p + head;
	m->sklen = klen;
	m->ssrc = m->skey + soff;
	m->ssrc_off = soff;
	m->ssrc_len = slen;
	m->code = (int)c;
	m->errout = (const char *)p + head + klen;
	m->elen = elen;
	m->out = m->errout + elen;
	m->olen = olen;
	m->sfolders = (const unsigned char *)m->out + olen;
	m->sfolders_len = alen;
	m->differs = 0;
	m->unchecked = 1;
}

/* Implements: FR-TRACE-007 */
void hw_memo_init(hw_memo *m, const char *path)
{
	memset(m, 0, sizeof(*m));
	hw_buf_init(&m->key, 0);
	hw_buf_init(&m->folders, 0);
	m->start_ns = now_ns();
	m->differs = 1;
	hw_memo_load(m, path);
}

void hw_memo_map(hw_memo *m, const char *path)
{
	/* the comparison starts at the key's first byte */
	if (path && !m->map && !m->same && !m->key.len && !m->err)
		map_memo(m, path);
}

int hw_memo_check(const hw_memo *m)
{
	return m->map && m->skey &&
	       get_u64(m->map + m->map_len - 8) ==
		       hw_hash64(m->map, m->map_len - 8);
}

void hw_memo_checked(hw_memo *m, int whole)
{
	if (!m->skey)
		return;
	if (whole) {
		m->unchecked = 0;
		return;
	}
	/* what was equal so far is this key's own: it is built from here */
	if (!m->differs && !m->err)
		m->err = hw_buf_append(&m->key, m->skey, m->same);
	m->differs = 1;
	m->unchecked = 0;
	m->skey = m->ssrc = m->sfolders = NULL;
	m->sklen = m->ssrc_len = m->ssrc_off = m->sfolders_len = 0;
}

void hw_memo_load(hw_memo *m, const char *path)
{
	hw_memo_map(m, path);
	hw_memo_checked(m, hw_memo_check(m));
}

void hw_memo_free(hw_memo *m)
{
	hw_buf_free(&m->key);
	hw_buf_free(&m->folders);
	if (m->map)
		munmap(m->map, m->map_len);
	m->map = NULL;
}

static void put(hw_memo *m, const void *p, size_t n)
{
	if (m->err)
		return;
	if (!m->differs) {
		if (n <= m->sklen - m->same &&
		    memcmp(m->skey + m->same, p, n) == 0) {
			m->same += n;
			return;
		}
		m->differs = 1; /* from here on the key is built */
		m->err = hw_buf_append(&m->key, m->skey, m->same);
	}
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
void hw_memo_state(hw_memo_file *f, const struct stat *st, int stat_errno)
{
	memset(f, 0, sizeof(*f));
	if (st && !stat_errno) {
		f->v[1] = (long long)st->st_size;
		f->v[2] = (long long)st->st_mtim.tv_sec * 1000000000LL +
			  st->st_mtim.tv_nsec;
		f->v[3] = (long long)st->st_ctim.tv_sec * 1000000000LL +
			  st->st_ctim.tv_nsec;
		f->v[4] = (long long)st->st_ino;
		f->v[5] = (long long)st->st_dev;
		f->v[6] = (long long)st->st_mode;
	} else {
		f->v[0] = stat_errno ? stat_errno : -1;
	}
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_state(hw_memo *m, const char *path, const hw_memo_file *f)
{
	hw_memo_add_str(m, path);
	if (!f->v[0]) {
		if (f->v[2] > m->newest_ns)
			m->newest_ns = f->v[2];
		if (f->v[3] > m->newest_ns)
			m->newest_ns = f->v[3];
	}
	put(m, f->v, sizeof(f->v));
}

/* Implements: FR-TRACE-007 */
void hw_memo_add_stat(hw_memo *m, const char *path, const struct stat *st,
		      int stat_errno)
{
	hw_memo_file f;

	hw_memo_state(&f, st, stat_errno);
	hw_memo_add_state(m, path, &f);
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

/* Implements: FR-TRACE-007 */
int hw_memo_hit(const hw_memo *m)
{
	return !m->err && !m->differs && !m->unchecked && m->skey &&
	       m->same == m->sklen;
}

size_t hw_memo_len(const hw_memo *m)
{
	return m->differs ? m->key.len : m->same;
}

/* The key as built so far: a key still equal to the stored one is a
 * prefix of it. */
static const void *key_bytes(const hw_memo *m, size_t *len)
{
	*len = m->differs ? m->key.len : m->same;
	return m->differs ? (const void *)m->key.data : (const void *)m->skey;
}

/* Implements: FR-TRACE-007 */
void hw_memo_set_folders(hw_memo *m, const void *p, size_t n,
			 long long newest_ns)
{
	hw_buf_clear(&m->folders);
	/* a folder changed within the last tick could change again unseen:
	 * its listing is not kept (the result still may be) */
	if (m->err || newest_ns > m->start_ns - RACY_NS)
		return;
	if (hw_buf_append(&m->folders, p, n) != HW_OK) {
		hw_error_clear();
		hw_buf_clear(&m->folders);
	}
}

/* Implements: FR-TRACE-007 */
int hw_memo_refresh(const hw_memo *m, const char *path)
{
	hw_buf out, err;

	if (!hw_memo_hit(m) || m->listed_from_key || !m->folders.len)
		return HW_OK;
	/* views of the stored bytes, which stay mapped while the new file
	 * takes the old one's name */
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	out.data = (char *)m->out;
	out.len = m->olen;
	err.data = (char *)m->errout;
	err.len = m->elen;
	return hw_memo_store(m, path, &out, &err, m->code);
}

/* Implements: FR-TRACE-007 */
int hw_memo_store(const hw_memo *m, const char *path, const hw_buf *out,
		  const hw_buf *errout, int code)
{
	size_t klen;
	const void *key = key_bytes(m, &klen);
	hw_buf b;
	int err = HW_OK;

	if (m->err || m->newest_ns > m->start_ns - RACY_NS)
		return HW_OK; /* racily clean inputs: not stored */
	hw_buf_init(&b, 0);
	err = hw_buf_reserve(&b, MEMO_MAGIC_LEN + 8 * 8 + klen + errout->len +
					 out->len + m->folders.len);
	if (!err)
		err = hw_buf_append(&b, MEMO_MAGIC, MEMO_MAGIC_LEN);
	put_u64(&b, &err, klen);
	put_u64(&b, &err, (uint64_t)code);
	put_u64(&b, &err, errout->len);
	put_u64(&b, &err, out->len);
	put_u64(&b, &err, m->src_off);
	put_u64(&b, &err, m->src_len);
	put_u64(&b, &err, m->folders.len);
	if (!err && klen)
		err = hw_buf_append(&b, key, klen);
	if (!err)
		err = hw_buf_append(&b, errout->data, errout->len);
	if (!err)
		err = hw_buf_append(&b, out->data, out->len);
	if (!err && m->folders.len)
		err = hw_buf_append(&b, m->folders.data, m->folders.len);
	put_u64(&b, &err, hw_hash64(b.data, b.len));
	if (!err)
		err = hw_file_write_cache(path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}
