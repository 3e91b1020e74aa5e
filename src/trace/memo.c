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
 *
 * A run that misses starts again once with huge heap pages (hw_heap_tune):
 * its key is handed to the process it becomes in a memory file (memfd)
 * named in the environment, with the pid (an exec keeps it) and a checksum,
 * so that the walk and the stat of every file are not done twice.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for memfd_create */
#define _GNU_SOURCE
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

#define HANDOVER_MAGIC "hwledger-mkey/3\n"
/* what /proc/self/fd shows for it */
#define HANDOVER_NAME "/memfd:hwledger-memo-key"

/* Implements: FR-TRACE-007 */
int hw_memo_hand_over(const hw_memo *m)
{
	size_t klen, head = MEMO_MAGIC_LEN + 7 * 8;
	const void *key = key_bytes(m, &klen);
	hw_buf b;
	char num[16];
	int err = HW_OK, fd = -1;

	if (m->err)
		return -1;
	hw_buf_init(&b, 0);
	err = hw_buf_reserve(&b, head + klen + m->folders.len + 8);
	if (!err)
		err = hw_buf_append(&b, HANDOVER_MAGIC, MEMO_MAGIC_LEN);
	put_u64(&b, &err, (uint64_t)getpid());
	put_u64(&b, &err, (uint64_t)m->start_ns);
	put_u64(&b, &err, (uint64_t)m->newest_ns);
	put_u64(&b, &err, klen);
	put_u64(&b, &err, m->src_off);
	put_u64(&b, &err, m->src_len);
	put_u64(&b, &err, m->folders.len);
	if (!err && klen)
		err = hw_buf_append(&b, key, klen);
	if (!err && m->folders.len)
		err = hw_buf_append(&b, m->folders.data, m->folders.len);
	put_u64(&b, &err, hw_hash64(b.data, b.len));
	/* no MFD_CLOEXEC: the descriptor is for the exec that follows */
	if (!err && (fd = memfd_create(HANDOVER_NAME + 7, 0)) >= 0) {
		snprintf(num, sizeof(num), "%d", fd);
		if (hw_write_all(fd, b.data, b.len) != HW_OK ||
		    setenv(HW_MEMO_FD_ENV, num, 1) != 0) {
			close(fd);
			fd = -1;
		}
	}
	hw_buf_free(&b);
	return fd;
}

/* Implements: FR-TRACE-007 */
int hw_memo_take_over(hw_memo *m)
{
	/* hwledger-sast-ignore FF1053: a number, checked, naming our own fd */
	const char *v = getenv(HW_MEMO_FD_ENV);
	const size_t head = MEMO_MAGIC_LEN + 7 * 8;
	unsigned char *p = NULL;
	struct stat st;
	char *end, link[64], target[64];
	ssize_t n;
	long fd;
	uint64_t klen, soff, slen, alen;
	int ok = 0;

	if (!v)
		return 0;
	fd = strtol(v, &end, 10);
	unsetenv(HW_MEMO_FD_ENV); /* never seen by a child */
	if (*end || end == v || fd < 3 || fd > 1 << 20)
		return 0;
	/* only a memory file of ours is read, and closed */
	snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
	/* hwledger-sast-ignore FF1035: our own fd's entry, compared by length */
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0 || (size_t)n < sizeof(HANDOVER_NAME) - 1 ||
	    memcmp(target, HANDOVER_NAME, sizeof(HANDOVER_NAME) - 1) != 0)
		return 0;
	if (fstat((int)fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)(head + 8) || st.st_size > (off_t)1 << 30 ||
	    !(p = malloc((size_t)st.st_size)) ||
	    pread((int)fd, p, (size_t)st.st_size, 0) != st.st_size)
		goto done;
	klen = get_u64(p + MEMO_MAGIC_LEN + 24);
	soff = get_u64(p + MEMO_MAGIC_LEN + 32);
	slen = get_u64(p + MEMO_MAGIC_LEN + 40);
	alen = get_u64(p + MEMO_MAGIC_LEN + 48);
	if (memcmp(p, HANDOVER_MAGIC, MEMO_MAGIC_LEN) != 0 ||
	    get_u64(p + MEMO_MAGIC_LEN) != (uint64_t)getpid() ||
	    klen > (uint64_t)st.st_size - head - 8 ||
	    alen != (uint64_t)st.st_size - head - 8 - klen || soff > klen ||
	    slen > klen - soff ||
	    get_u64(p + st.st_size - 8) != hw_hash64(p, (size_t)st.st_size - 8))
		goto done;
	hw_buf_clear(&m->key);
	hw_buf_clear(&m->folders);
	if (hw_buf_append(&m->key, p + head, (size_t)klen) != HW_OK ||
	    hw_buf_append(&m->folders, p + head + klen, (size_t)alen) !=
		    HW_OK) {
		hw_error_clear();
		hw_buf_clear(&m->key);
		hw_buf_clear(&m->folders);
		goto done;
	}
	m->start_ns = (long long)get_u64(p + MEMO_MAGIC_LEN + 8);
	m->newest_ns = (long long)get_u64(p + MEMO_MAGIC_LEN + 16);
	m->src_off = soff;
	m->src_len = slen;
	m->differs = 1; /* it missed before the exec */
	m->err = HW_OK;
	ok = 1;
done:
	free(p);
	close((int)fd);
	return ok;
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
