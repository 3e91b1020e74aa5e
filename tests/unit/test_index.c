/*
 * test_index.c — the scan cache: record encoding, damaged blobs, and the
 * SQLite store that keeps one row per file.
 */
#include "harness.h"

#include "trace/internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void scanned(hw_src_file *f, const char *path, const char *text)
{
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->is_test = 1;
	assert_int_equal(hw_scan_text(f, text, strlen(text)), HW_OK);
	f->size = (long long)strlen(text);
	f->mtime_ns = 42;
	f->ctime_ns = 43;
	snprintf(f->hash, sizeof(f->hash), "%016llx",
		 (unsigned long long)hw_hash64(text, strlen(text)));
}

static const char sample[] =
	"/* Verifies: FR-I-001@2, FR-bad */\n"
	"static void test_x(void **s) {}\n"
	"static void test_y(void **s) {\n";

/* Verifies: FR-TRACE-007 */
static void test_record_round_trips_every_field(void **state)
{
	hw_src_file f, g;
	hw_buf b;

	(void)state;
	scanned(&f, "t.c", sample);
	hw_buf_init(&b, 0);
	assert_int_equal(hw_record_encode(&b, &f), HW_OK);
	memset(&g, 0, sizeof(g));
	assert_int_equal(hw_record_decode(&g, (unsigned char *)b.data, b.len),
			 HW_OK);
	assert_int_equal(g.nfuncs, f.nfuncs);
	assert_int_equal(g.ntags, 2);
	assert_int_equal(g.nnotes, 1);
	assert_string_equal(g.funcs[0].name, "test_x");
	assert_int_equal(g.funcs[1].first, 3);
	assert_true(g.funcs[1].is_test);
	assert_string_equal(g.tags[0].fr, "FR-I-001");
	assert_int_equal(g.tags[0].rev, 2);
	assert_int_equal(g.tags[0].kind, HW_TAG_UTEST);
	assert_int_equal(g.tags[0].func, 0);
	assert_true(g.tags[1].malformed);
	assert_int_equal(g.notes[0].level, HW_DIAG_WARNING);
	assert_string_equal(g.notes[0].message, f.notes[0].message);
	hw_src_file_free(&g);

	/* every truncation of the blob is refused, never misread */
	for (size_t n = 0; n < b.len; n++) {
		memset(&g, 0, sizeof(g));
		assert_int_equal(hw_record_decode(&g, (unsigned char *)b.data, n),
				 HW_EINVAL);
		hw_src_file_free(&g);
	}
	/* a huge count is refused before any allocation */
	b.data[4] = (char)0xff;
	b.data[5] = (char)0xff;
	b.data[6] = (char)0xff;
	memset(&g, 0, sizeof(g));
	assert_int_equal(hw_record_decode(&g, (unsigned char *)b.data, b.len),
			 HW_EINVAL);
	hw_src_file_free(&g);
	hw_buf_free(&b);
	hw_src_file_free(&f);
}

/* Verifies: FR-TRACE-007 */
static void test_index_stores_finds_and_forgets_files(void **state)
{
	hw_index ix;
	hw_diags d;
	hw_src_file files[2];
	unsigned char dirty[2] = {1, 1};
	const hw_index_row *row;

	(void)state;
	hw_diags_init(&d);
	scanned(&files[0], "a.c", sample);
	scanned(&files[1], "b.c", "int f(void) { return 0; }\n");
	assert_int_equal(hw_index_open(&ix, ".cache/index.db", &d), HW_OK);
	assert_int_equal(ix.n, 0);
	assert_int_equal(hw_index_store(&ix, files, 2, dirty), HW_OK);
	hw_index_close(&ix);

	assert_int_equal(hw_index_open(&ix, ".cache/index.db", &d), HW_OK);
	assert_int_equal(ix.n, 2);
	row = hw_index_find(&ix, "a.c");
	assert_non_null(row);
	assert_int_equal(row->size, (long long)strlen(sample));
	assert_int_equal(row->mtime_ns, 42);
	assert_int_equal(row->ctime_ns, 43);
	assert_null(hw_index_find(&ix, "c.c"));
	/* b.c vanished: its row goes */
	dirty[0] = 0;
	assert_int_equal(hw_index_store(&ix, files, 1, dirty), HW_OK);
	hw_index_close(&ix);
	assert_int_equal(hw_index_open(&ix, ".cache/index.db", &d), HW_OK);
	assert_int_equal(ix.n, 1);
	assert_non_null(hw_index_find(&ix, "a.c"));
	hw_index_close(&ix);
	assert_int_equal(d.n, 0);

	/* a file that is not a database is replaced, with a warning */
	hw_test_write(".cache/index.db", "garbage", 7);
	assert_int_equal(hw_index_open(&ix, ".cache/index.db", &d), HW_OK);
	assert_int_equal(ix.n, 0);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.items[0].message, "rebuilding it"));
	hw_index_close(&ix);

	/* a folder that cannot be made is an error the caller can report */
	hw_test_write("plain", "x", 1);
	assert_int_equal(hw_index_open(&ix, "plain/index.db", &d), HW_EIO);
	assert_non_null(strstr(hw_error_last(), "plain"));
	hw_diags_free(&d);
	hw_src_file_free(&files[0]);
	hw_src_file_free(&files[1]);
}

/* A memo key over one file and two strings, compared with the memo stored
 * at path, begun well after the file's times unless racy. */
static void memo_key(hw_memo *m, const char *path, const char *opt, int racy)
{
	hw_memo_init(m, path);
	if (!racy)
		m->start_ns += 10 * 1000000000LL;
	hw_memo_add_str(m, "trace");
	hw_memo_add_str(m, opt);
	hw_memo_add_file(m, "input.c");
	hw_memo_add_file(m, "missing.c");
	assert_int_equal(m->err, HW_OK);
}

/* 1 when the memo at path replays: its code, stderr and output as stored */
static int replays(const char *path, const char *opt)
{
	hw_memo m;
	int hit;

	memo_key(&m, path, opt, 0);
	hit = hw_memo_hit(&m);
	if (hit) {
		assert_int_equal(m.code, 0);
		assert_int_equal(m.olen, 15);
		assert_memory_equal(m.out, "FR-A  verified\n", 15);
		assert_int_equal(m.elen, 18);
		assert_memory_equal(m.errout, "x.c:1: warning: w\n", 18);
	}
	hw_memo_free(&m);
	return hit;
}

/* Verifies: FR-TRACE-007 */
static void test_memo_replays_only_its_own_key_and_whole_files(void **state)
{
	hw_memo m;
	hw_buf out, err, file;

	(void)state;
	hw_test_write("input.c", "int x;\n", 7);
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	hw_buf_init(&file, 0);
	memo_key(&m, "memo", "text", 0);
	assert_int_equal(hw_memo_hit(&m), 0); /* nothing stored yet */
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	assert_int_equal(hw_buf_puts(&err, "x.c:1: warning: w\n"), HW_OK);
	assert_int_equal(hw_memo_store(&m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(&m);
	assert_int_equal(replays("memo", "text"), 1);

	/* another option, or the same file changed, is another key; so is
	 * a key that is a prefix of the stored one, and one that goes on
	 * past it */
	assert_int_equal(replays("memo", "json"), 0);
	hw_memo_init(&m, "memo");
	hw_memo_add_str(&m, "trace");
	assert_int_equal(hw_memo_hit(&m), 0);
	hw_memo_free(&m);
	memo_key(&m, "memo", "text", 0);
	hw_memo_add_str(&m, "more");
	assert_int_equal(hw_memo_hit(&m), 0);
	hw_memo_free(&m);
	hw_test_write("input.c", "int y;\n", 7);
	assert_int_equal(replays("memo", "text"), 0);

	/* a key that left the stored one is stored whole: the prefix it
	 * shared and the rest */
	memo_key(&m, "memo", "text", 0);
	assert_int_equal(hw_memo_store(&m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(&m);
	assert_int_equal(replays("memo", "text"), 1);

	/* every truncation and every flipped byte is a miss */
	assert_int_equal(hw_file_read(&file, "memo", 1 << 20), HW_OK);
	for (size_t n = 0; n <= file.len; n++) {
		if (n < file.len) {
			hw_test_write("bad", file.data, n);
			assert_int_equal(replays("bad", "text"), 0);
			file.data[n] ^= 0x20;
			hw_test_write("bad", file.data, file.len);
			file.data[n] ^= 0x20;
		} else {
			hw_test_write("bad", file.data, n);
		}
		assert_int_equal(replays("bad", "text"), n == file.len);
	}
	assert_int_equal(replays("absent", "text"), 0);
	mkdir("adir", 0755);
	assert_int_equal(replays("adir", "text"), 0);

	/* inputs changed within the last second: nothing is stored */
	memo_key(&m, NULL, "text", 1);
	assert_int_equal(hw_memo_store(&m, "racy", &out, &err, 0), HW_OK);
	assert_int_equal(access("racy", F_OK), -1);
	hw_memo_free(&m);
	hw_buf_free(&out);
	hw_buf_free(&err);
	hw_buf_free(&file);
}

/* Rewrites the hand-over file behind fd with its pid field set to pid and
 * a checksum that matches, as a process of that pid would have written. */
static void forge_pid(int fd, uint64_t pid)
{
	struct stat st;
	unsigned char *p;
	uint64_t h;

	assert_int_equal(fstat(fd, &st), 0);
	p = malloc((size_t)st.st_size);
	assert_non_null(p);
	assert_int_equal(pread(fd, p, (size_t)st.st_size, 0), st.st_size);
	for (int i = 0; i < 8; i++)
		p[16 + i] = (unsigned char)(pid >> (8 * i));
	h = hw_hash64(p, (size_t)st.st_size - 8);
	for (int i = 0; i < 8; i++)
		p[st.st_size - 8 + i] = (unsigned char)(h >> (8 * i));
	assert_int_equal(pwrite(fd, p, (size_t)st.st_size, 0), st.st_size);
	free(p);
}

/* Verifies: FR-TRACE-007 */
static void test_memo_key_handed_over_is_taken_only_whole_and_by_its_pid(
	void **state)
{
	hw_memo m, t;
	hw_buf out, err;
	int fd;

	(void)state;
	hw_test_write("input.c", "int x;\n", 7);
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	assert_int_equal(hw_buf_puts(&err, "x.c:1: warning: w\n"), HW_OK);
	memo_key(&m, NULL, "text", 0);
	m.newest_ns = 12345;

	/* whole, and from this pid: taken, the variable gone, the
	 * descriptor closed; the key stores a memo that replays */
	fd = hw_memo_hand_over(&m);
	assert_true(fd >= 3);
	assert_non_null(getenv(HW_MEMO_FD_ENV));
	hw_memo_init(&t, NULL);
	assert_int_equal(hw_memo_take_over(&t), 1);
	assert_null(getenv(HW_MEMO_FD_ENV));
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(t.key.len, m.key.len);
	assert_memory_equal(t.key.data, m.key.data, m.key.len);
	assert_true(t.start_ns == m.start_ns && t.newest_ns == 12345);
	assert_int_equal(hw_memo_hit(&t), 0); /* it missed before */
	assert_int_equal(hw_memo_store(&t, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(&t);
	assert_int_equal(replays("memo", "text"), 1);
	/* taken once: the variable is gone */
	hw_memo_init(&t, NULL);
	assert_int_equal(hw_memo_take_over(&t), 0);
	hw_memo_free(&t);

	/* another pid, a flipped byte, a cut file: never taken */
	for (int k = 0; k < 3; k++) {
		fd = hw_memo_hand_over(&m);
		assert_true(fd >= 3);
		if (k == 0)
			forge_pid(fd, (uint64_t)getpid() + 1);
		else if (k == 1)
			assert_int_equal(pwrite(fd, "X", 1, 40), 1);
		else
			assert_int_equal(ftruncate(fd, 30), 0);
		hw_memo_init(&t, NULL);
		assert_int_equal(hw_memo_take_over(&t), 0);
		assert_int_equal(t.key.len, 0);
		assert_null(getenv(HW_MEMO_FD_ENV));
		assert_int_equal(fcntl(fd, F_GETFD), -1);
		hw_memo_free(&t);
	}
	/* a variable that names a descriptor not ours: not read, not
	 * closed, even when it holds a whole hand-over */
	fd = hw_memo_hand_over(&m);
	assert_true(fd >= 3);
	{
		char buf[4096];
		ssize_t n = pread(fd, buf, sizeof(buf), 0);
		int file;

		assert_true(n > 0);
		hw_test_write("handover", buf, (size_t)n);
		close(fd);
		file = open("handover", O_RDONLY);
		assert_true(file >= 3);
		for (int k = 0; k < 2; k++) {
			char num[16];

			snprintf(num, sizeof(num), "%d", k ? file : 2);
			setenv(HW_MEMO_FD_ENV, num, 1);
			hw_memo_init(&t, NULL);
			assert_int_equal(hw_memo_take_over(&t), 0);
			assert_null(getenv(HW_MEMO_FD_ENV));
			assert_int_not_equal(fcntl(k ? file : 2, F_GETFD), -1);
			hw_memo_free(&t);
		}
		close(file);
	}
	hw_memo_free(&m);
	hw_buf_free(&out);
	hw_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trips_every_field),
		hw_tmp_test(test_index_stores_finds_and_forgets_files),
		hw_tmp_test(test_memo_replays_only_its_own_key_and_whole_files),
		hw_tmp_test(
			test_memo_key_handed_over_is_taken_only_whole_and_by_its_pid),
	};

	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
