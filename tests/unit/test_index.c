/*
 * test_index.c — the scan cache: record encoding, damaged blobs, and the
 * SQLite store that keeps one row per file.
 */
#include "harness.h"

#include "trace/internal.h"

#include <errno.h>
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
	else /* changed after the key began, whatever the machine's load */
		hw_test_write("input.c", "int y;\n", 7);
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

/* Sets a path's mtime in 2020, so that any later change of it is seen
 * whatever the file system's clock granularity. */
static void age(const char *path)
{
	struct timespec t[2] = {{1600000000, 0}, {1600000000, 0}};

	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* A key of a head string and the sources cfg selects, compared with the
 * memo at stored (NULL: none), begun well after every input's times. */
static void sources_key(hw_memo *m, const char *stored, const char *head,
			const hw_config *cfg)
{
	hw_scan_state_job *job;

	hw_memo_init(m, NULL);
	m->start_ns += 10 * 1000000000LL;
	job = hw_scan_state_start(cfg);
	hw_memo_map(m, stored); /* checked whole by hw_scan_state_go */
	hw_scan_state_go(job, m);
	hw_memo_add_str(m, head);
	assert_int_equal(hw_scan_state_finish(job, m), HW_OK);
	assert_int_equal(m->err, HW_OK);
}

/* Keys head and cfg's sources against the memo at "memo", stores the key
 * (unless it replays), and checks whether it replayed and whether its files
 * were the stored key's (-1: either). */
#define keyed(head, cfg, hit, reused) keyed_at(__LINE__, head, cfg, hit, reused)
static void keyed_at(int line, const char *head, const hw_config *cfg,
		     int hit, int reused)
{
	hw_memo m;
	hw_buf out, err;

	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	assert_int_equal(hw_buf_puts(&out, "FR-A  verified\n"), HW_OK);
	sources_key(&m, "memo", head, cfg);
	if (hit >= 0) /* failures name the caller's line */
		_assert_int_equal(hw_memo_hit(&m), hit, __FILE__, line);
	if (reused >= 0)
		_assert_int_equal(m.listed_from_key, reused, __FILE__, line);
	if (hw_memo_hit(&m)) {
		assert_memory_equal(m.out, out.data, out.len);
		assert_int_equal(hw_memo_refresh(&m, "memo"), HW_OK);
	} else
		assert_int_equal(hw_memo_store(&m, "memo", &out, &err, 0),
				 HW_OK);
	hw_memo_free(&m);
	hw_buf_free(&out);
	hw_buf_free(&err);
}

/* 1 when the stored memo's key holds the string s (with its NUL). */
static int memo_holds(const char *s)
{
	hw_buf b;
	int found = 0;

	hw_buf_init(&b, 0);
	assert_int_equal(hw_file_read(&b, "memo", 1 << 24), HW_OK);
	for (size_t i = 0; i + strlen(s) < b.len && !found; i++)
		found = memcmp(b.data + i, s, strlen(s) + 1) == 0;
	hw_buf_free(&b);
	return found;
}

/* Verifies: FR-TRACE-007 */
static void test_memo_listing_of_many_blocks_keeps_every_state(void **state)
{
	char *srcs[] = {"src/**/*.c", NULL}, *tests[] = {"tests/**/*.c", NULL};
	hw_config cfg = {.frs_dir = "frs", .sources = srcs, .tests = tests,
			 .max_file_bytes = 1 << 20};
	char path[64];

	(void)state;
	/* more files than two blocks of the listing hold */
	assert_int_equal(hw_mkdir_p("src"), HW_OK);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "src/f%03d.c", i);
		hw_test_write(path, "int f;\n", 7);
		age(path);
	}
	age("src");
	keyed("head", &cfg, 0, 0);
	keyed("head", &cfg, 1, 1);
	/* files changed in place deep in the second block and last in the
	 * third: a miss listed from the key, whose other files keep the
	 * states stored for them, so the next run replays */
	hw_test_write("src/f200.c", "int f2;\n", 8);
	hw_test_write("src/f299.c", "int f2;\n", 8);
	keyed("head", &cfg, 0, 1);
	keyed("head", &cfg, 1, 1);
	assert_true(memo_holds("src/f000.c"));
	assert_true(memo_holds("src/f299.c"));
	/* and one gone: a folder changed, walked, a miss */
	assert_int_equal(unlink("src/f150.c"), 0);
	keyed("head", &cfg, 0, 0);
	assert_false(memo_holds("src/f150.c"));
	age("src");
	keyed("head", &cfg, -1, 0);
	keyed("head", &cfg, 1, 1);
}

/* Verifies: FR-TRACE-007 */
static void test_memo_lists_the_stored_files_only_while_no_folder_changed(
	void **state)
{
	char *c_only[] = {"src/**/*.c", NULL}, *c_and_h[] = {"src/**/*.c",
							     "src/**/*.h", NULL};
	char *tests[] = {"tests/**/*.c", NULL};
	hw_config cfg = {.frs_dir = "frs", .sources = c_only, .tests = tests,
			 .max_file_bytes = 1 << 20};
	hw_memo_file state_of_src;
	hw_memo m;
	hw_buf out, err, file;

	(void)state;
	hw_buf_init(&out, 0);
	hw_buf_init(&err, 0);
	hw_buf_init(&file, 0);
	assert_int_equal(hw_mkdir_p("src/sub"), HW_OK);
	hw_test_write("src/a.c", "int a;\n", 7);
	hw_test_write("src/b.h", "int b;\n", 7);
	hw_test_write("src/sub/c.c", "int c;\n", 7);
	age("src/a.c");
	age("src/sub");
	age("src");

	/* the first key walks; the next, with no folder changed, lists the
	 * stored key's files and replays */
	keyed("head", &cfg, 0, 0);
	assert_true(memo_holds("src/"));
	assert_true(memo_holds("src/sub/"));
	assert_true(memo_holds("tests/")); /* absent, and so stated */
	assert_true(memo_holds("src/sub/c.c"));
	assert_false(memo_holds("src/b.h"));
	keyed("head", &cfg, 1, 1);

	/* a file changed in place changes no folder: listed from the key, a
	 * miss, and stored with its new state, which replays */
	hw_test_write("src/a.c", "int a2;\n", 8);
	keyed("head", &cfg, 0, 1);
	keyed("head", &cfg, 1, -1);

	/* a file that no glob selects, added to a walked folder: walked
	 * again, and the key is the same (the folders are not part of it) */
	hw_test_write("src/notes.txt", "n\n", 2);
	keyed("head", &cfg, 1, 0);
	keyed("head", &cfg, 1, 1); /* the replay stored the new states */
	age("src");
	keyed("head", &cfg, 1, 0);

	/* a file added to a folder, to a folder below it, or a root that
	 * appears: walked again, seen, and stored */
	hw_test_write("src/new.c", "int n;\n", 7);
	keyed("head", &cfg, 0, 0);
	assert_true(memo_holds("src/new.c"));
	age("src");
	keyed("head", &cfg, -1, 0);
	keyed("head", &cfg, 1, 1);
	hw_test_write("src/sub/d.c", "int d;\n", 7);
	keyed("head", &cfg, -1, 0);
	assert_true(memo_holds("src/sub/d.c"));
	assert_int_equal(hw_mkdir_p("tests"), HW_OK);
	hw_test_write("tests/t.c", "int t;\n", 7);
	keyed("head", &cfg, 0, 0);
	assert_true(memo_holds("tests/t.c"));

	/* another head (here: the config that selects .h files too) is never
	 * keyed with the files the stored key's config selected */
	age("src");
	age("src/sub");
	age("tests");
	keyed("head", &cfg, -1, -1);
	keyed("head", &cfg, -1, 1);
	cfg.sources = c_and_h;
	keyed("head with .h", &cfg, 0, 0);
	assert_true(memo_holds("src/b.h"));
	keyed("head with .h", &cfg, 1, 1);

	/* a walk that said something (a broken link) leaves no listing to
	 * reuse: the next key walks, and replays */
	assert_int_equal(symlink("nowhere.c", "src/broken.c"), 0);
	keyed("head with .h", &cfg, 0, -1);
	age("src");
	keyed("head with .h", &cfg, -1, -1);
	keyed("head with .h", &cfg, 1, 0);
	assert_int_equal(unlink("src/broken.c"), 0);
	age("src");

	/* a memo damaged where only the checksum sees it (its output's last
	 * byte) is checked on the job's thread: no replay, no listing */
	keyed("head with .h", &cfg, -1, -1);
	keyed("head with .h", &cfg, 1, 1);
	assert_int_equal(hw_file_read(&file, "memo", 1 << 24), HW_OK);
	{
		size_t at = file.len;

		for (size_t i = 0; i + 9 <= file.len; i++)
			if (memcmp(file.data + i, "verified\n", 9) == 0)
				at = i + 8;
		assert_true(at < file.len);
		file.data[at] ^= 1;
	}
	hw_test_write("memo", file.data, file.len);
	keyed("head with .h", &cfg, 0, 0);
	keyed("head with .h", &cfg, 1, 1);

	/* a stored listing that does not read back (cut strings, a state
	 * short of its 56 bytes, an empty path, a file named like a folder,
	 * a folder named like a file) is walked instead, and the key is the
	 * walk's */
	{
		static const struct {
			const char *file; /* an entry, or a bare string */
			int whole;
			const char *folder;
		} bad[] = {
			{"src/a.c", 0, "src/"}, {"src/", 0, "src/"},
			{"", 0, "src/"},        {"x\0\0\0", 0, "src/"},
			{"src/a.c/", 1, "src/"}, {"src/a.c", 1, "src"},
		};
		struct stat st;

		assert_int_equal(stat("src", &st), 0);
		hw_memo_state(&state_of_src, &st, 0);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			hw_buf folders;

			hw_buf_init(&folders, 0);
			assert_int_equal(hw_buf_append(&folders, bad[i].folder,
						       strlen(bad[i].folder) +
							       1),
					 HW_OK);
			assert_int_equal(hw_buf_append(&folders, &state_of_src,
						       sizeof(state_of_src)),
					 HW_OK);
			hw_memo_init(&m, NULL);
			m.start_ns += 10 * 1000000000LL;
			hw_memo_add_str(&m, "head with .h");
			hw_memo_add_str(&m, "sources");
			m.src_off = hw_memo_len(&m);
			if (bad[i].whole)
				hw_memo_add_stat(&m, bad[i].file, NULL, ENOENT);
			else
				hw_memo_add_str(&m, bad[i].file);
			m.src_len = hw_memo_len(&m) - m.src_off;
			hw_memo_set_folders(&m, folders.data, folders.len, 0);
			hw_buf_free(&folders);
			assert_int_equal(hw_memo_store(&m, "memo", &out, &err,
						       0),
					 HW_OK);
			hw_memo_free(&m);
			keyed("head with .h", &cfg, 0, 0);
			assert_true(memo_holds("src/b.h"));
			keyed("head with .h", &cfg, 1, 1);
		}
	}

	/* folders changed within the last second are not kept for the next
	 * run (the memo itself may be): it walks */
	hw_memo_init(&m, NULL);
	hw_memo_set_folders(&m, "./", 3, m.start_ns - 500000000LL);
	assert_int_equal(m.folders.len, 0);
	hw_memo_set_folders(&m, "./", 3, m.start_ns - 2000000000LL);
	assert_int_equal(m.folders.len, 3);
	hw_memo_free(&m);

	/* a folder the walk found changed less than a second before the key
	 * began is not kept for the next run's listing */
	{
		hw_scan_state_job *job;

		assert_int_equal(unlink("src/new.c"), 0);
		hw_memo_init(&m, NULL);
		job = hw_scan_state_start(&cfg);
		hw_scan_state_go(job, &m);
		hw_memo_add_str(&m, "head with .h");
		assert_int_equal(hw_scan_state_finish(job, &m), HW_OK);
		assert_int_equal(m.folders.len, 0);
		hw_memo_free(&m);
		sources_key(&m, NULL, "head with .h", &cfg); /* 10 s later */
		assert_true(m.folders.len > 0);
		hw_memo_free(&m);
	}
	hw_buf_free(&out);
	hw_buf_free(&err);
	hw_buf_free(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trips_every_field),
		hw_tmp_test(test_index_stores_finds_and_forgets_files),
		hw_tmp_test(test_memo_replays_only_its_own_key_and_whole_files),
		hw_tmp_test(
			test_memo_lists_the_stored_files_only_while_no_folder_changed),
		hw_tmp_test(
			test_memo_listing_of_many_blocks_keeps_every_state),
	};

	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
