/*
 * test_index.c — the scan cache: record encoding, damaged blobs, and the
 * SQLite store that keeps one row per file.
 */
#include "harness.h"

#include "trace/internal.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
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

/* 1 when f, encoded, decodes (and the decoded copy is freed). */
static int decodes(const hw_src_file *f)
{
	hw_src_file g;
	hw_buf b;
	int ok;

	hw_buf_init(&b, 0);
	assert_int_equal(hw_record_encode(&b, f), HW_OK);
	memset(&g, 0, sizeof(g));
	ok = hw_record_decode(&g, (unsigned char *)b.data, b.len) == HW_OK;
	hw_src_file_free(&g);
	hw_buf_free(&b);
	return ok;
}

/* A damaged index.db's record with lines no scan gives is refused: the
 * coverage count indexed its line arrays from a function's first line,
 * and a first line of -10^12 made `hwledger trace --lcov` read far
 * before them (a segmentation fault). */
/* Verifies: FR-TRACE-007 */
static void test_record_with_lines_no_scan_gives_is_refused(void **state)
{
	hw_src_file f;

	(void)state;
	scanned(&f, "t.c", sample);
	assert_true(decodes(&f));
	f.funcs[0].first = -1000000000000L;
	assert_false(decodes(&f));
	f.funcs[0].first = f.funcs[0].last + 1;
	assert_false(decodes(&f));
	f.funcs[0].first = f.funcs[0].last;
	assert_true(decodes(&f));
	f.tags[0].line = -1;
	assert_false(decodes(&f));
	f.tags[0].line = 1;
	f.tags[0].col = -1;
	assert_false(decodes(&f));
	f.tags[0].col = 1;
	f.notes[0].line = -1;
	assert_false(decodes(&f));
	f.notes[0].line = 0;
	assert_true(decodes(&f));
	hw_src_file_free(&f);
}

/* A Python test file's classes and their plain-name bases round-trip,
 * and a record whose bases are not names as the scanner writes them (link.c
 * splits them at spaces) or whose class has no name is refused. */
/* Verifies: FR-TRACE-007, FR-TRACE-017 */
static void test_record_keeps_class_bases_and_refuses_damaged_ones(
	void **state)
{
	static const char py[] = "class TestA:\n    def test_a(self): pass\n"
				 "class TestB(TestA, Mixin):\n    pass\n";
	static const char *const bad[] = {"", " TestA", "TestA ", "TestA  B",
					  "1A", "A 1B", "A.B", "A,B", "A\tB",
					  NULL};
	hw_src_file f, g;
	hw_buf b;
	char *keep;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.path = strdup("tests/test_x.py");
	f.lang = HW_LANG_PY;
	f.is_test = 1;
	assert_int_equal(hw_scan_text(&f, py, strlen(py)), HW_OK);
	assert_int_equal(f.nclasses, 1);
	hw_buf_init(&b, 0);
	assert_int_equal(hw_record_encode(&b, &f), HW_OK);
	memset(&g, 0, sizeof(g));
	assert_int_equal(hw_record_decode(&g, (unsigned char *)b.data, b.len),
			 HW_OK);
	assert_int_equal(g.nclasses, 1);
	assert_string_equal(g.classes[0].name, "tests.test_x.TestB");
	assert_string_equal(g.classes[0].bases, "TestA Mixin");
	assert_int_equal(g.classes[0].line, 3);
	hw_src_file_free(&g);
	/* every truncation is refused */
	for (size_t n = 0; n < b.len; n++) {
		memset(&g, 0, sizeof(g));
		assert_int_equal(hw_record_decode(&g, (unsigned char *)b.data, n),
				 HW_EINVAL);
		hw_src_file_free(&g);
	}
	hw_buf_free(&b);
	keep = f.classes[0].bases;
	for (size_t i = 0; bad[i]; i++) {
		f.classes[0].bases = (char *)bad[i];
		assert_false(decodes(&f));
	}
	f.classes[0].bases = keep;
	assert_true(decodes(&f));
	f.classes[0].line = -1;
	assert_false(decodes(&f));
	f.classes[0].line = 3;
	f.classes[0].name[0] = '\0';
	assert_false(decodes(&f));
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

/* The journal mode of the index's connection, as SQLite names it. */
static const char *journal_mode(hw_index *ix)
{
	static char mode[16];
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_prepare_v2(ix->db, "PRAGMA journal_mode", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(mode, sizeof(mode), "%s",
		 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return mode;
}

/* Verifies: FR-TRACE-007 */
static void test_index_filled_fresh_past_its_cache_keeps_every_row(
	void **state)
{
	enum { N = 3000 };
	hw_src_file *files = calloc(N, sizeof(*files));
	unsigned char *dirty = malloc(N);
	char path[32], text[600];
	struct stat st;
	hw_index ix;
	hw_diags d;

	(void)state;
	assert_non_null(files);
	assert_non_null(dirty);
	hw_diags_init(&d);
	/* over 1 MB of records, several times the cache a fresh fill uses:
	 * pages are spilled into the file before the commit */
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "src/f%04d.c", i);
		snprintf(text, sizeof(text),
			 "/* Implements: FR-I-%03d */\nint f%0500d(void) { "
			 "return 0; }\n",
			 i % 1000, i);
		scanned(&files[i], path, text);
		dirty[i] = 1;
	}
	assert_int_equal(hw_index_open(&ix, "index.db", &d), HW_OK);
	assert_true(ix.fresh); /* created by this open: no journal */
	assert_string_equal(journal_mode(&ix), "off");
	assert_int_equal(hw_index_store(&ix, files, N, dirty), HW_OK);
	hw_index_close(&ix);
	assert_int_equal(stat("index.db", &st), 0);
	assert_true(st.st_size > 1 << 20);
	assert_int_equal(hw_index_open(&ix, "index.db", &d), HW_OK);
	assert_false(ix.fresh); /* an index that exists is read in WAL mode */
	assert_string_equal(journal_mode(&ix), "wal");
	assert_int_equal(ix.n, N);
	for (int i = 0; i < N; i++) {
		const hw_index_row *row = hw_index_find(&ix, files[i].path);
		hw_src_file g;

		assert_non_null(row);
		assert_string_equal(row->hash, files[i].hash);
		memset(&g, 0, sizeof(g));
		assert_int_equal(hw_record_decode(&g, row->blob, row->blob_len),
				 HW_OK);
		assert_int_equal(g.ntags, 1);
		hw_src_file_free(&g);
		hw_src_file_free(&files[i]);
	}
	hw_index_close(&ix);
	assert_int_equal(d.n, 0);
	hw_diags_free(&d);
	free(files);
	free(dirty);
}

/* The realtime clock, in nanoseconds. */
static long long now_ns(void)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(CLOCK_REALTIME, &ts), 0);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A memo key over one file and two strings, begun at start_ns. */
static hw_memo *memo_key_at(const char *opt, long long start_ns)
{
	hw_memo *m = hw_memo_new(start_ns);

	assert_non_null(m);
	hw_memo_add_str(m, "trace");
	hw_memo_add_str(m, opt);
	hw_memo_add_file(m, "input.c");
	hw_memo_add_file(m, "missing.c");
	return m;
}

/* The same, begun a minute after now: every input is older. */
static hw_memo *memo_key(const char *opt)
{
	return memo_key_at(opt, now_ns() + 60 * 1000000000LL);
}

/* 1 when the memo at path replays for a key of opt: its code, stderr and
 * output as stored */
static int replays(const char *path, const char *opt)
{
	hw_memo *m = memo_key(opt);
	hw_memo_replay r;
	int hit = hw_memo_lookup(m, path, &r);

	if (hit) {
		assert_int_equal(r.code, 0);
		assert_int_equal(r.out_len, 15);
		assert_memory_equal(r.out, "FR-A  verified\n", 15);
		assert_int_equal(r.err_len, 18);
		assert_memory_equal(r.err, "x.c:1: warning: w\n", 18);
	}
	hw_memo_free(m);
	return hit;
}

/* Verifies: FR-TRACE-007 */
static void test_memo_replays_only_its_own_key_and_whole_files(void **state)
{
	hw_memo *m;
	hw_memo_replay r;
	hw_buf out, err, file;

	(void)state;
	hw_test_write("input.c", "int x;\n", 7);
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	hw_buf_init(&file, 0);
	m = memo_key("text");
	assert_int_equal(hw_memo_lookup(m, "memo", &r), 0); /* none yet */
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	assert_int_equal(hw_buf_puts(&err, "x.c:1: warning: w\n"), HW_OK);
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(m);
	assert_int_equal(replays("memo", "text"), 1);

	/* another option, or the same file changed, is another key; so is
	 * a key that is a prefix of the stored one, and one that goes on
	 * past it */
	assert_int_equal(replays("memo", "json"), 0);
	m = hw_memo_new(0);
	hw_memo_add_str(m, "trace");
	assert_int_equal(hw_memo_lookup(m, "memo", &r), 0);
	hw_memo_free(m);
	m = memo_key("text");
	hw_memo_add_str(m, "more");
	assert_int_equal(hw_memo_lookup(m, "memo", &r), 0);
	hw_memo_free(m);
	hw_test_write("input.c", "int yy;\n", 8);
	assert_int_equal(replays("memo", "text"), 0);
	m = memo_key("text");
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(m);
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
	hw_buf_free(&out);
	hw_buf_free(&err);
	hw_buf_free(&file);
}

/* Sets a path's mtime to sec + nsec. */
static void set_mtime(const char *path, long long sec, long nsec)
{
	struct timespec t[2] = {{(time_t)sec, nsec}, {(time_t)sec, nsec}};

	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* Verifies: FR-TRACE-007 */
static void test_memo_does_not_trust_a_file_changed_in_the_keys_second(
	void **state)
{
	const long long s = 1600000000LL, ns = 1000000000LL;
	hw_memo *m;
	hw_buf out, err;

	(void)state;
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	assert_int_equal(hw_buf_puts(&err, "x.c:1: warning: w\n"), HW_OK);
	hw_test_write("input.c", "int x;\n", 7);
	/* written in the second the key was begun, before it or after it:
	 * it may have changed again since its stat, so the stored result is
	 * never replayed, whatever the key that looks it up */
	set_mtime("input.c", s, 999999999);
	for (long long start = s * ns; start < (s + 1) * ns;
	     start += ns / 4) {
		m = memo_key_at("text", start);
		assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0),
				 HW_OK);
		hw_memo_free(m);
		assert_int_equal(replays("memo", "text"), 0);
	}
	/* a key begun in a later second: trusted */
	m = memo_key_at("text", (s + 1) * ns);
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(m);
	assert_int_equal(replays("memo", "text"), 1);
	/* a file dated after the key (a clock set back, a copy that kept
	 * its times): never trusted either */
	set_mtime("input.c", s + 5, 0);
	m = memo_key_at("text", (s + 1) * ns);
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	hw_memo_free(m);
	assert_int_equal(replays("memo", "text"), 0);
	hw_buf_free(&out);
	hw_buf_free(&err);
}

/* Stores memo under a key of "text" with its second (the 8 bytes after
 * the 16 of the magic) replaced by when, and the checksum made again: a
 * memo whole but for its second. */
static void store_with_second(uint64_t when)
{
	hw_memo *m = memo_key_at("text", 1600000001LL * 1000000000LL);
	hw_buf out, err, file;
	uint64_t h;

	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	hw_buf_init(&file, 0);
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	assert_int_equal(hw_buf_puts(&err, "x.c:1: warning: w\n"), HW_OK);
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	assert_int_equal(hw_file_read(&file, "memo", 1 << 20), HW_OK);
	for (int i = 0; i < 8; i++)
		file.data[16 + i] = (char)(when >> (8 * i));
	h = hw_hash64(file.data, file.len - 8);
	for (int i = 0; i < 8; i++)
		file.data[file.len - 8 + i] = (char)(h >> (8 * i));
	hw_test_write("memo", file.data, file.len);
	hw_memo_free(m);
	hw_buf_free(&out);
	hw_buf_free(&err);
	hw_buf_free(&file);
}

/* A memo whose second no clock gives (its nanoseconds do not fit in 64
 * bits) is damaged, not trusted: found by fuzz_memo, the racy check
 * multiplied it by 10^9 past the range of long long (undefined; this
 * one wrapped to a time after every file's, and replayed). */
/* Verifies: FR-TRACE-007 */
static void test_memo_refuses_a_second_no_clock_gives(void **state)
{
	(void)state;
	hw_test_write("input.c", "int x;\n", 7);
	set_mtime("input.c", 1600000000LL, 0);
	store_with_second(1600000001ULL);
	assert_int_equal(replays("memo", "text"), 1);
	/* 10^9 times it is 5 * 10^18 modulo 2^64 */
	store_with_second(5000000000ULL + (1ULL << 55));
	assert_int_equal(replays("memo", "text"), 0);
	store_with_second(UINT64_MAX);
	assert_int_equal(replays("memo", "text"), 0);
	store_with_second((uint64_t)(LLONG_MAX / 1000000000LL) + 1);
	assert_int_equal(replays("memo", "text"), 0);
}

/* The key of cfg's sources, as bytes. */
static void sources_key(hw_buf *key, const hw_config *cfg)
{
	hw_memo *m = hw_memo_new(0);
	hw_buf out, err;

	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	assert_non_null(m);
	assert_int_equal(hw_scan_key(m, cfg), HW_OK);
	/* the key, as the stored memo holds it */
	assert_int_equal(hw_memo_store(m, "memo", &out, &err, 0), HW_OK);
	hw_buf_clear(key);
	assert_int_equal(hw_file_read(key, "memo", 1 << 24), HW_OK);
	hw_memo_free(m);
}

/* 1 when key holds the string s (with its NUL). */
static int holds(const hw_buf *key, const char *s)
{
	for (size_t i = 0; i + strlen(s) < key->len; i++)
		if (memcmp(key->data + i, s, strlen(s) + 1) == 0)
			return 1;
	return 0;
}

/* Verifies: FR-TRACE-007 */
static void test_scan_key_holds_each_selected_file_and_the_walks_words(
	void **state)
{
	char *srcs[] = {"src/**/*.c", NULL}, *vend[] = {"src/vendor/**", NULL};
	hw_config cfg = {.frs_dir = "frs", .sources = srcs, .vendored = vend,
			 .max_file_bytes = 1 << 20};
	hw_buf a, b;

	(void)state;
	hw_buf_init(&a, 0);
	hw_buf_init(&b, 0);
	assert_int_equal(hw_mkdir_p("src/vendor"), HW_OK);
	hw_test_write("src/a.c", "int a;\n", 7);
	hw_test_write("src/notes.txt", "n\n", 2);
	hw_test_write("src/vendor/v.c", "int v;\n", 7);
	sources_key(&a, &cfg);
	assert_true(holds(&a, "src/a.c"));
	assert_true(holds(&a, "src/vendor/v.c")); /* its name: the warning */
	assert_false(holds(&a, "src/notes.txt"));
	/* a file no glob selects changes nothing; one selected does */
	hw_test_write("src/more.txt", "n\n", 2);
	sources_key(&b, &cfg);
	assert_true(a.len == b.len && !memcmp(a.data + 56, b.data + 56,
					      a.len - 64));
	hw_test_write("src/vendor/w.c", "int w;\n", 7);
	sources_key(&b, &cfg);
	assert_true(holds(&b, "src/vendor/w.c"));
	/* what the walk says is part of the key */
	assert_int_equal(symlink("nowhere.c", "src/broken.c"), 0);
	sources_key(&b, &cfg);
	assert_true(holds(&b, "src/broken.c"));
	assert_true(holds(&b, "broken symbolic link: No such file or "
			      "directory"));
	hw_buf_free(&a);
	hw_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trips_every_field),
		cmocka_unit_test(test_record_with_lines_no_scan_gives_is_refused),
		cmocka_unit_test(
			test_record_keeps_class_bases_and_refuses_damaged_ones),
		hw_tmp_test(test_index_stores_finds_and_forgets_files),
		hw_tmp_test(test_index_filled_fresh_past_its_cache_keeps_every_row),
		hw_tmp_test(test_memo_replays_only_its_own_key_and_whole_files),
		hw_tmp_test(
			test_memo_does_not_trust_a_file_changed_in_the_keys_second),
		hw_tmp_test(test_memo_refuses_a_second_no_clock_gives),
		hw_tmp_test(
			test_scan_key_holds_each_selected_file_and_the_walks_words),
	};

	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
