/*
 * repo.c — selecting a repository's files and scanning them, in parallel,
 * through the index cache.
 *
 * Files come from walking the literal folder prefix of each `sources` and
 * `tests` glob; a file is kept when a source or test glob matches its path
 * and no `exclude` glob does. Symbolic links to files are followed, links to
 * folders are not (so a link loop cannot trap the walk), and both are said.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct pathset {
	char **v;
	size_t n;
	size_t cap;
} pathset;

/* Adds path, which the set now owns (NULL: out of memory). */
static int pathset_take(pathset *s, char *path)
{
	HW_CHECK_ALLOC(path);
	if (HW_ARRAY_GROW(s->v, s->n, s->cap)) {
		free(path);
		return HW_ENOMEM;
	}
	s->v[s->n++] = path;
	return HW_OK;
}

static void pathset_free(pathset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int any_match(char **globs, const char *path)
{
	for (char **g = globs; g && *g; g++)
		if (hw_glob_match(*g, path))
			return 1;
	return 0;
}

/* Whether the config's sources or tests select path and no exclude glob
 * takes it out. */
static int selected(const hw_config *cfg, const char *path)
{
	return (any_match(cfg->sources, path) || any_match(cfg->tests, path)) &&
	       !any_match(cfg->exclude, path);
}

/* The "vendored" glob that matches path (its index), or -1. */
static long vendored(const hw_config *cfg, const char *path)
{
	for (long g = 0; cfg->vendored && cfg->vendored[g]; g++)
		if (hw_glob_match(cfg->vendored[g], path))
			return g;
	return -1;
}

/* Selected and not vendored: a file to scan, or to warn about. */
static int wanted(const hw_config *cfg, const char *path)
{
	return selected(cfg, path) && vendored(cfg, path) < 0;
}

/* The folder part of a glob before its first wildcard ("" for the root). */
static char *glob_root(const char *glob)
{
	const char *wild = strpbrk(glob, "*?[");
	const char *end = wild ? wild : glob + strlen(glob);

	while (end > glob && end[-1] != '/')
		end--;
	if (end > glob)
		end--; /* drop the slash */
	return hw_strndup(glob, (size_t)(end - glob));
}

#define MAX_DEPTH 64

/* Adds to out every file under dir that the config selects, vendored ones
 * included (the scan counts and drops them). */
static int walk(pathset *out, hw_diags *diags, const hw_config *cfg,
		const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	int err = HW_OK;

	if (depth > MAX_DEPTH)
		return hw_diags_add(diags, HW_DIAG_WARNING, dir, 0, 0,
				    "folders nested deeper than %d levels; "
				    "not walked",
				    MAX_DEPTH);
	d = opendir(*dir ? dir : ".");
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return HW_OK; /* a glob whose folder does not exist */
		return hw_diags_add(diags, HW_DIAG_ERROR, dir, 0, 0,
				    "cannot read folder: %s", strerror(errno));
	}
	while (!err && (e = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.')
			continue; /* ., .., .git, .hwledger and other hidden */
		path = *dir ? hw_path_join(dir, e->d_name)
			    : hw_strdup(e->d_name);
		if (!path) {
			err = hw_error_oom();
			break;
		}
		/* readdir's d_type spares an lstat per file where the file
		 * system fills it in */
		if (e->d_type == DT_REG) {
			if (selected(cfg, path)) {
				err = pathset_take(out, path);
				continue;
			}
		} else if (e->d_type == DT_DIR) {
			err = walk(out, diags, cfg, path, depth + 1);
		} else if (lstat(path, &st) != 0) {
			err = hw_diags_add(diags, HW_DIAG_ERROR, path, 0, 0,
					   "cannot stat: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			err = walk(out, diags, cfg, path, depth + 1);
		} else if (S_ISLNK(st.st_mode)) {
			if (stat(path, &st) != 0) {
				if (wanted(cfg, path))
					err = hw_diags_add(
						diags, HW_DIAG_ERROR, path, 0,
						0,
						errno == ELOOP
							? "symbolic link loop"
							: "broken symbolic "
							  "link: %s",
						strerror(errno));
			} else if (S_ISDIR(st.st_mode)) {
				err = hw_diags_add(diags, HW_DIAG_WARNING,
						   path, 0, 0,
						   "symbolic link to a folder; "
						   "not followed");
			} else if (S_ISREG(st.st_mode) && selected(cfg, path)) {
				err = pathset_take(out, path);
				continue;
			}
		} else if (S_ISREG(st.st_mode) && selected(cfg, path)) {
			err = pathset_take(out, path);
			continue;
		} else if (!S_ISREG(st.st_mode) && wanted(cfg, path)) {
			err = hw_diags_add(diags, HW_DIAG_WARNING, path, 0, 0,
					   "not a regular file; not scanned");
		}
		free(path);
	}
	closedir(d);
	return err;
}

/*
 * The selected paths, sorted, vendored ones included: each distinct glob
 * root is walked once. The paths are unique: no root is walked inside
 * another and no link to a folder is followed.
 */
static int select_sorted(pathset *out, hw_diags *diags, const hw_config *cfg)
{
	pathset roots = {0};
	int err = HW_OK;

	for (int pass = 0; pass < 2 && !err; pass++)
		for (char **g = pass ? cfg->tests : cfg->sources; g && *g; g++)
			if ((err = pathset_take(&roots, glob_root(*g))))
				break;
	if (!err && roots.n)
		qsort(roots.v, roots.n, sizeof(*roots.v), hw_strp_cmp);
	for (size_t i = 0; !err && i < roots.n; i++) {
		int covered = 0;

		/* skip a root inside one already walked */
		for (size_t j = 0; j < i && !covered; j++) {
			size_t n = strlen(roots.v[j]);

			covered = n == 0 ||
				  (strncmp(roots.v[i], roots.v[j], n) == 0 &&
				   (roots.v[i][n] == '/' || !roots.v[i][n]));
		}
		if (!covered)
			err = walk(out, diags, cfg, roots.v[i], 0);
	}
	pathset_free(&roots);
	if (!err && out->n)
		qsort(out->v, out->n, sizeof(*out->v), hw_strp_cmp);
	return err;
}

/*
 * Takes the vendored files out of paths (sorted) and says, per "vendored"
 * glob, how many it left out and the first. Said by the scan, not by the
 * walk, so that a replayed run and a fresh one say the same.
 */
static int drop_vendored(pathset *paths, hw_diags *diags, const hw_config *cfg)
{
	size_t kept = 0;
	int err = HW_OK;

	for (long g = 0; cfg->vendored && cfg->vendored[g] && !err; g++) {
		size_t count = 0;
		const char *first = NULL;

		for (size_t i = 0; i < paths->n; i++)
			if (vendored(cfg, paths->v[i]) == g && !count++)
				first = paths->v[i];
		if (count)
			err = hw_diags_add(
				diags, HW_DIAG_WARNING, first, 0, 0,
				"vendored code not scanned: \"%s\" (the "
				"config's \"vendored\") matches %zu file%s; "
				"\"vendored\": [] scans them",
				cfg->vendored[g], count, count == 1 ? "" : "s");
	}
	for (size_t i = 0; i < paths->n; i++) {
		if (vendored(cfg, paths->v[i]) >= 0)
			free(paths->v[i]);
		else
			paths->v[kept++] = paths->v[i];
	}
	paths->n = kept;
	return err;
}

/*
 * A "sources" or "tests" glob that selects no file of the scan (a typo, a
 * wrong folder: every file meant is silently missed) is a warning at the
 * config.
 */
static int warn_unmatched(hw_diags *diags, const hw_config *cfg,
			  const pathset *paths)
{
	int err = HW_OK;

	for (int pass = 0; pass < 2; pass++)
		for (char **g = pass ? cfg->tests : cfg->sources;
		     !err && g && *g; g++) {
			size_t i = 0;

			while (i < paths->n && !hw_glob_match(*g, paths->v[i]))
				i++;
			if (i == paths->n)
				err = hw_diags_add(
					diags, HW_DIAG_WARNING, HW_CONFIG_PATH,
					0, 0,
					"\"%s\" (the config's \"%s\") "
					"selects no file",
					*g, pass ? "tests" : "sources");
		}
	return err;
}

/* Implements: FR-TRACE-007 */
int hw_scan_key(hw_memo *m, const hw_config *cfg)
{
	pathset paths = {0};
	hw_diags diags;
	char pos[64];
	int err;

	hw_diags_init(&diags);
	err = select_sorted(&paths, &diags, cfg);
	hw_memo_add_str(m, "sources");
	for (size_t i = 0; !err && i < paths.n; i++) {
		if (vendored(cfg, paths.v[i]) >= 0) {
			hw_memo_add_str(m, "vendored");
			hw_memo_add_str(m, paths.v[i]);
		} else {
			hw_memo_add_file(m, paths.v[i]);
		}
	}
	/* what the walk said depends on more than the files it selected (a
	 * broken link, a fifo): it is part of the key */
	hw_memo_add_str(m, "notes");
	for (size_t i = 0; !err && i < diags.n; i++) {
		snprintf(pos, sizeof(pos), "%d:%ld", (int)diags.items[i].level,
			 diags.items[i].line);
		hw_memo_add_str(m, diags.items[i].file);
		hw_memo_add_str(m, pos);
		hw_memo_add_str(m, diags.items[i].message);
	}
	pathset_free(&paths);
	hw_diags_free(&diags);
	return err;
}

/* ---- parallel scanning -------------------------------------------------- */

typedef struct job {
	hw_scan *scan;
	const hw_index *ix;
	size_t max_bytes;
	unsigned char *dirty;
	size_t scanned;     /* atomically incremented */
	size_t reused;
} job;

static void clear_record(hw_src_file *f)
{
	char *path = f->path;
	hw_lang lang = f->lang;
	int is_test = f->is_test;
	long long size = f->size, mtime = f->mtime_ns, ctime = f->ctime_ns;
	char hash[sizeof(f->hash)];

	memcpy(hash, f->hash, sizeof(hash));
	f->path = NULL;
	hw_src_file_free(f);
	f->path = path;
	f->lang = lang;
	f->is_test = is_test;
	f->size = size;
	f->mtime_ns = mtime;
	f->ctime_ns = ctime;
	memcpy(f->hash, hash, sizeof(hash));
}

static int note(hw_src_file *f, const char *msg)
{
	hw_note *n = realloc(f->notes, (f->nnotes + 1) * sizeof(*n));

	HW_CHECK_ALLOC(n);
	f->notes = n;
	n[f->nnotes].level = HW_DIAG_ERROR;
	n[f->nnotes].line = 0;
	n[f->nnotes].message = hw_strdup(msg);
	HW_CHECK_ALLOC(n[f->nnotes].message);
	f->nnotes++;
	return HW_OK;
}

static long long stat_mtime(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL +
	       st->st_mtim.tv_nsec;
}

static long long stat_ctime(const struct stat *st)
{
	return (long long)st->st_ctim.tv_sec * 1000000000LL +
	       st->st_ctim.tv_nsec;
}

/* Returns 1 when the file was reused from the cache, 0 when lexed. */
static int scan_one(job *j, size_t i, hw_buf *buf)
{
	hw_src_file *f = &j->scan->files[i];
	const hw_index_row *row = j->ix ? hw_index_find(j->ix, f->path) : NULL;
	struct stat st;
	int err;

	memset(&st, 0, sizeof(st));
	if (row) { /* a cached file: unchanged size and times, not read */
		if (stat(f->path, &st) != 0)
			return note(f, "cannot stat file");
		if ((long long)st.st_size == row->size &&
		    stat_mtime(&st) == row->mtime_ns &&
		    stat_ctime(&st) == row->ctime_ns) {
			f->size = row->size;
			f->mtime_ns = row->mtime_ns;
			f->ctime_ns = row->ctime_ns;
			memcpy(f->hash, row->hash, sizeof(f->hash));
			if (hw_record_decode(f, row->blob, row->blob_len) ==
			    HW_OK)
				return 1;
			clear_record(f); /* damaged cache entry: scan it */
		}
	}
	err = hw_file_read_stat(buf, f->path, j->max_bytes, &st);
	f->size = (long long)st.st_size;
	f->mtime_ns = stat_mtime(&st);
	f->ctime_ns = stat_ctime(&st);
	if (err == HW_ENOMEM)
		return err;
	if (err) {
		/* the message names the file; keep it as an error note */
		return note(f, hw_error_last_about(f->path));
	}
	snprintf(f->hash, sizeof(f->hash), "%016llx",
		 (unsigned long long)hw_hash64(buf->data, buf->len));
	f->lang = hw_lang_of_text(f->path, buf->data, buf->len);
	j->dirty[i] = 1;
	if (row && strcmp(row->hash, f->hash) == 0 &&
	    hw_record_decode(f, row->blob, row->blob_len) == HW_OK)
		return 1; /* touched but unchanged */
	clear_record(f);
	return hw_scan_text(f, buf->data, buf->len);
}

#define FILES_PER_JOB 16

/* Job k: files [k * FILES_PER_JOB, (k + 1) * FILES_PER_JOB) of the scan. */
static int scan_files(void *arg, size_t k)
{
	job *j = arg;
	hw_buf buf;
	int r = HW_OK;

	hw_buf_init(&buf, 0);
	for (size_t i = k * FILES_PER_JOB;
	     i < (k + 1) * FILES_PER_JOB && i < j->scan->n; i++) {
		if ((r = scan_one(j, i, &buf)) < 0)
			break;
		__atomic_fetch_add(r ? &j->reused : &j->scanned, 1,
				   __ATOMIC_RELAXED);
	}
	hw_buf_free(&buf);
	return r < 0 ? r : HW_OK;
}

/* Writes what the scan read into the index; a cache, so a failure is a
 * warning of the run. */
static int store_index(hw_scan *scan, hw_index *ix, const unsigned char *dirty)
{
	if (hw_index_store(ix, scan->files, scan->n, dirty) == HW_OK)
		return HW_OK;
	return hw_diags_add(&scan->diags, HW_DIAG_WARNING, NULL, 0, 0,
			    "%s; the index was not written", hw_error_last());
}

/* Implements: FR-TRACE-001, FR-TRACE-007 */
int hw_scan_repo(hw_scan *scan, const hw_config *cfg, const char *index_path)
{
	pathset paths = {0};
	hw_index ix;
	job j;
	int err, have_ix = 0;

	memset(scan, 0, sizeof(*scan));
	hw_diags_init(&scan->diags);
	memset(&j, 0, sizeof(j));
	if ((err = select_sorted(&paths, &scan->diags, cfg)) ||
	    (err = drop_vendored(&paths, &scan->diags, cfg)) ||
	    (err = warn_unmatched(&scan->diags, cfg, &paths)))
		goto cleanup;
	scan->files = calloc(paths.n ? paths.n : 1, sizeof(*scan->files));
	j.dirty = calloc(paths.n ? paths.n : 1, 1);
	if (!scan->files || !j.dirty) {
		err = hw_error_oom();
		goto cleanup;
	}
	for (size_t i = 0; i < paths.n; i++) {
		hw_src_file *f = &scan->files[i];

		f->path = paths.v[i];
		paths.v[i] = NULL;
		f->lang = hw_lang_of(f->path);
		f->is_test = any_match(cfg->tests, f->path);
	}
	scan->n = scan->cap = paths.n;
	if (index_path) {
		/* the index is only a cache: without it, everything is
		 * scanned, and the run says so */
		if (hw_index_open(&ix, index_path, &scan->diags) == HW_OK)
			have_ix = 1;
		else if ((err = hw_diags_add(&scan->diags, HW_DIAG_WARNING,
					     NULL, 0, 0,
					     "%s; scanning without the index",
					     hw_error_last())))
			goto cleanup;
	}
	j.scan = scan;
	j.ix = have_ix ? &ix : NULL;
	j.max_bytes = cfg->max_file_bytes;
	/* a thread per 16 files, at most the CPUs */
	if ((err = hw_tasks_run((scan->n + FILES_PER_JOB - 1) / FILES_PER_JOB,
				hw_tasks_threads(scan->n, FILES_PER_JOB),
				scan_files, &j)))
		goto cleanup;
	scan->scanned = j.scanned;
	scan->reused = j.reused;
	scan->orphans_run = cfg->orphans_run;
	/* which functions of the test files are tests: the config's names
	 * (after the index, which may hold a record scanned under others) */
	for (size_t i = 0; i < scan->n; i++) {
		hw_src_file *f = &scan->files[i];

		for (size_t k = 0; k < f->nfuncs; k++)
			f->funcs[k].is_test =
				f->is_test &&
				(hw_func_from_test_macro(f->lang,
							 f->funcs[k].name) ||
				 any_match(cfg->test_functions,
					   hw_func_base(f->funcs[k].name)));
	}
	/* file notes become positioned diagnostics */
	for (size_t i = 0; i < scan->n; i++) {
		const hw_src_file *f = &scan->files[i];

		for (size_t k = 0; k < f->nnotes; k++)
			if ((err = hw_diags_add(&scan->diags, f->notes[k].level,
						f->path, f->notes[k].line, 0,
						"%s", f->notes[k].message)))
				goto cleanup;
	}
	if (have_ix) {
		/* files that could not be read are not cached */
		for (size_t i = 0; i < scan->n; i++)
			if (!scan->files[i].hash[0])
				j.dirty[i] = 0;
		err = store_index(scan, &ix, j.dirty);
	}
cleanup:
	if (have_ix)
		hw_index_close(&ix); /* the WAL checkpoint too */
	free(j.dirty);
	pathset_free(&paths);
	if (err)
		hw_scan_free(scan);
	return err;
}

void hw_scan_free(hw_scan *scan)
{
	for (size_t i = 0; i < scan->n; i++)
		hw_src_file_free(&scan->files[i]);
	free(scan->files);
	hw_diags_free(&scan->diags);
	memset(scan, 0, sizeof(*scan));
}
