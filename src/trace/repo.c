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
#include <pthread.h>
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
	if (path && s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			free(path);
			path = NULL;
		} else {
			s->v = v;
			s->cap = cap;
		}
	}
	if (!path)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
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

/*
 * Files the config selects but a "vendored" glob leaves out: per glob, how
 * many and the first in path order (for the warning that says so).
 */
typedef struct left_out {
	size_t *count;
	char **first;
} left_out;

static int wanted(const hw_config *cfg, left_out *lo, const char *path)
{
	if (!(any_match(cfg->sources, path) || any_match(cfg->tests, path)) ||
	    any_match(cfg->exclude, path))
		return 0;
	for (size_t g = 0; cfg->vendored && cfg->vendored[g]; g++) {
		if (!hw_glob_match(cfg->vendored[g], path))
			continue;
		if (lo) {
			lo->count[g]++;
			if (!lo->first[g] || strcmp(path, lo->first[g]) < 0) {
				char *p = hw_strdup(path);

				if (p) { /* else: the warning names another */
					free(lo->first[g]);
					lo->first[g] = p;
				}
			}
		}
		return 0;
	}
	return 1;
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

/* Where the walk puts each path it selects (take owns it; NULL is out of
 * memory): a set to be sorted, or the key's blocks as they fill; folder,
 * when set, is told each folder's state before its listing is read (st
 * NULL and errno in err when it cannot be opened). */
typedef struct sink {
	int (*take)(void *ctx, char *path);
	void *ctx;
	int (*folder)(void *fctx, const char *dir, const struct stat *st,
		      int err);
	void *fctx;
	left_out *lo;     /* set by select_files */
} sink;

static int take_into_set(void *ctx, char *path)
{
	return pathset_take(ctx, path);
}

#define MAX_DEPTH 64

static int walk(const sink *out, hw_diags *diags, const hw_config *cfg,
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
		int why = errno;

		if (out->folder && (err = out->folder(out->fctx, dir, NULL, why)))
			return err;
		if (why == ENOENT || why == ENOTDIR)
			return HW_OK; /* a glob whose folder does not exist */
		return hw_diags_add(diags, HW_DIAG_ERROR, dir, 0, 0,
				    "cannot read folder: %s", strerror(why));
	}
	if (out->folder) {
		struct stat st;
		int rc = fstat(dirfd(d), &st);

		err = out->folder(out->fctx, dir, rc == 0 ? &st : NULL,
				  rc == 0 ? 0 : errno);
	}
	while (!err && (e = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.')
			continue; /* ., .., .git, .hwledger and other hidden */
		path = *dir ? hw_path_join(dir, e->d_name)
			    : hw_strdup(e->d_name);
		if (!path) {
			err = hw_error_set(HW_ENOMEM, NULL, 0, 0,
					   "out of memory");
			break;
		}
		/* readdir's d_type spares an lstat per file where the file
		 * system fills it in */
		if (e->d_type == DT_REG) {
			if (wanted(cfg, out->lo, path)) {
				err = out->take(out->ctx, path);
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
				if (wanted(cfg, out->lo, path))
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
			} else if (S_ISREG(st.st_mode) && wanted(cfg, out->lo, path)) {
				err = out->take(out->ctx, path);
				continue;
			}
		} else if (S_ISREG(st.st_mode) && wanted(cfg, out->lo, path)) {
			err = out->take(out->ctx, path);
			continue;
		} else if (!S_ISREG(st.st_mode) && wanted(cfg, out->lo, path)) {
			err = hw_diags_add(diags, HW_DIAG_WARNING, path, 0, 0,
					   "not a regular file; not scanned");
		}
		free(path);
	}
	closedir(d);
	return err;
}

/*
 * Walks each distinct glob root once, in order, handing each selected path
 * to out in the walk's order (readdir's). The paths are unique: no root is
 * walked inside another and no link to a folder is followed.
 */
static int select_files(const sink *out, hw_diags *diags,
			const hw_config *cfg)
{
	pathset roots = {0};
	size_t nv = 0;
	left_out lo;
	sink with_lo = *out;
	int err = HW_OK;

	while (cfg->vendored && cfg->vendored[nv])
		nv++;
	lo.count = calloc(nv + 1, sizeof(*lo.count));
	lo.first = calloc(nv + 1, sizeof(*lo.first));
	if (!lo.count || !lo.first) {
		free(lo.count);
		free(lo.first);
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	}
	with_lo.lo = &lo;
	out = &with_lo;
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
	for (size_t g = 0; g < nv; g++) {
		if (!err && lo.count[g])
			err = hw_diags_add(
				diags, HW_DIAG_WARNING, lo.first[g], 0, 0,
				"vendored code not scanned: \"%s\" (the "
				"config's \"vendored\") matches %zu file%s; "
				"\"vendored\": [] scans them",
				cfg->vendored[g], lo.count[g],
				lo.count[g] == 1 ? "" : "s");
		free(lo.first[g]);
	}
	free(lo.count);
	free(lo.first);
	return err;
}

/*
 * A "sources" or "tests" glob that selects no file of the scan (a typo, a
 * wrong folder: every file meant is silently missed) is a warning at the
 * config. Said by the scan, not by the walk of the memo's key: a walk that
 * says something is walked again on every run.
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

/* The selected paths, sorted; folder (when set) is told each folder's
 * state. */
static int select_sorted(pathset *out, hw_diags *diags, const hw_config *cfg,
			 int (*folder)(void *, const char *,
				       const struct stat *, int),
			 void *fctx)
{
	sink to_set = {take_into_set, out, folder, fctx, NULL};
	int err = select_files(&to_set, diags, cfg);

	if (!err && out->n)
		qsort(out->v, out->n, sizeof(*out->v), hw_strp_cmp);
	return err;
}

/* One thread per 16 files and core, at most 8; hw_two_threads decides
 * whether there is more than one (HWLEDGER_THREADS included). */
static int threads_wanted(size_t files)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (!hw_two_threads(files, 16))
		return 1;
	if (n > 8)
		n = 8;
	if ((size_t)n > files / 16 + 1)
		n = (long)(files / 16 + 1);
	return n < 2 ? 2 : (int)n;
}

/*
 * The sources' state for a memo's key (FR-TRACE-007). On a warm run this
 * is most of the work: a stat per file, each a system call of microseconds.
 * A second thread lists the files while the caller builds the rest of the
 * key, and hands them on in blocks; the caller stats each block published,
 * and the second thread joins in once it is done.
 *
 * The files are listed from the stored key when every folder the stored
 * run walked still has the state it had (adding, removing or renaming an
 * entry changes a folder's mtime and ctime): no folder is read, no glob
 * matched, no path built or sorted, and each state is compared where it is
 * stored and kept only from the first one in a block that differs (on this
 * VM each page of fresh memory costs a fault of ~10 us, several stats'
 * worth). Else the folders are walked, each one's state taken before its
 * listing is read, and the files sorted. The folders are not part of the
 * key: a folder that changed without changing what is selected (a build
 * output beside the sources) costs a walk, not a miss.
 */
#define BLOCK_ENTRIES 128

/* blocks held in the job itself: a reused listing of up to 8,192 files
 * takes no memory on the lister's thread (glibc would give that thread an
 * arena of its own: more calls and faults before the first stat) */
#define JOB_BLOCKS 64

typedef struct state_block {
	struct state_block *next; /* in path order; set under lock */
	int claimed;              /* taken by a thread to stat (atomic) */
	int failed;               /* no memory for state */
	int heap;                 /* allocated, not one of the job's own */
	unsigned n;
	/* a reused listing's: its first entry in the stored key (a path, its
	 * NUL and its stored state, n in a row); NULL for a walk's */
	const unsigned char *entries;
	char **path; /* a walk's: its paths, owned */
	/* this run's states: a walk's always, a reused listing's from the
	 * first file of the block whose state differs */
	hw_memo_file *state;
} state_block;

/* The path of a reused listing's entry at *at, its stored state in
 * *stored; *at moves to the next entry. */
static const char *listed_entry(const unsigned char **at,
				const unsigned char **stored)
{
	const char *path = (const char *)*at;

	*stored = *at + strlen(path) + 1;
	*at = *stored + sizeof(hw_memo_file);
	return path;
}

struct hw_scan_state_job {
	const hw_config *cfg;
	const hw_memo *m;    /* the stored memo, once the caller said go */
	int go;
	int listed_by_go;    /* the caller listed the files from the key */
	int whole;           /* m's stored memo read back whole */
	int reused;          /* the files are the stored key's, not owned */
	state_block *head;
	state_block *tail;   /* the lister's: being filled, not yet published */
	state_block **link;  /* the lister's: where the next block goes */
	state_block own[JOB_BLOCKS]; /* the first blocks */
	unsigned nown;       /* how many of them are taken */
	hw_buf folders;      /* a walk's folders' states, as hw_memo_set_folders */
	const void *sfolders; /* a reused listing's: the stored ones */
	size_t sfolders_len;
	long long newest;    /* the latest time among them */
	hw_diags diags;
	int err;
	int listed;          /* every block is published; err is set */
	int threaded;
	hw_thread tid;
	pthread_mutex_t lock;
	pthread_cond_t more; /* go, a block published, or the listing ended */
};

static void publish(hw_scan_state_job *j, state_block *b, int listed)
{
	pthread_mutex_lock(&j->lock);
	if (b) {
		*j->link = b;
		j->link = &b->next;
	}
	j->listed = listed;
	pthread_cond_broadcast(&j->more);
	pthread_mutex_unlock(&j->lock);
}

static void free_block(state_block *b)
{
	if (b->path)
		for (unsigned i = 0; i < b->n; i++)
			free(b->path[i]);
	free(b->path);
	free(b->state);
	if (b->heap)
		free(b);
}

/* A new block: one of the job's own while any is left. A walk's has room
 * for its paths and states. NULL when out of memory. */
static state_block *new_block(hw_scan_state_job *j, int walked)
{
	state_block *b;

	if (j->nown < JOB_BLOCKS) {
		b = &j->own[j->nown++];
	} else if ((b = calloc(1, sizeof(*b)))) {
		b->heap = 1;
	} else {
		return NULL;
	}
	if (walked &&
	    (!(b->path = malloc(BLOCK_ENTRIES * sizeof(*b->path))) ||
	     !(b->state = malloc(BLOCK_ENTRIES * sizeof(*b->state))))) {
		free_block(b); /* n is 0: no path is freed */
		return NULL;
	}
	return b;
}

/* The listing ended with err: its last block is published, and with it
 * that every block is. */
static void end_listing(hw_scan_state_job *j, int err)
{
	pthread_mutex_lock(&j->lock);
	j->err = err;
	pthread_mutex_unlock(&j->lock);
	publish(j, j->tail, 1);
}

/*
 * Adds a file: a path a walk built (the block takes it), or a reused
 * listing's entry (path is where it starts in the stored key). Publishes
 * the block it fills.
 */
static int add_entry(hw_scan_state_job *j, char *path, int stored)
{
	state_block *b = j->tail;

	if (!b || b->n == BLOCK_ENTRIES) {
		if (b)
			publish(j, b, 0);
		if (!(j->tail = b = new_block(j, !stored)))
			return hw_error_set(HW_ENOMEM, NULL, 0, 0,
					    "out of memory");
		if (stored)
			b->entries = (const unsigned char *)path;
	}
	if (!stored)
		b->path[b->n] = path;
	b->n++;
	return HW_OK;
}

static void note_newest(hw_scan_state_job *j, const hw_memo_file *f)
{
	if (!f->v[0]) { /* mtime and ctime of a folder that could be read */
		if (f->v[2] > j->newest)
			j->newest = f->v[2];
		if (f->v[3] > j->newest)
			j->newest = f->v[3];
	}
}

/* A folder the walk is about to read: its path and a slash ("./" for the
 * top), which no file's path ends in, and its state. */
static int folder_seen(void *ctx, const char *dir, const struct stat *st,
		       int stat_errno)
{
	hw_scan_state_job *j = ctx;
	hw_memo_file f;
	int err;

	hw_memo_state(&f, st, stat_errno);
	note_newest(j, &f);
	if (*dir)
		err = hw_buf_puts(&j->folders, dir) ||
		      hw_buf_append(&j->folders, "/", 2);
	else
		err = hw_buf_append(&j->folders, "./", 3);
	return err ? HW_ENOMEM : hw_buf_append(&j->folders, &f, sizeof(f));
}

/*
 * Calls each entry of a stored listing (p, n: a string and the 56 bytes of
 * a state, repeated; folder entries end in '/', files never) with the
 * string and its state: 0 when every one reads back whole and of its kind
 * and fn said 0 to each, else what fn said or -1.
 */
static int each_entry(const unsigned char *p, size_t n, int folders,
		      int (*fn)(void *, const char *, const unsigned char *),
		      void *ctx)
{
	const unsigned char *end = p + n;

	while (p < end) {
		const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
		int rc;

		if (!nul || nul == p || (nul[-1] == '/') != folders ||
		    (size_t)(end - nul - 1) < sizeof(hw_memo_file))
			return -1;
		if ((rc = fn(ctx, (const char *)p, nul + 1)))
			return rc;
		p = nul + 1 + sizeof(hw_memo_file);
	}
	return 0;
}

static int folder_unchanged(void *ctx, const char *dir,
			    const unsigned char *stored)
{
	hw_memo_file now;
	struct stat st;
	int rc = stat(dir, &st);

	(void)ctx;
	hw_memo_state(&now, rc == 0 ? &st : NULL, rc == 0 ? 0 : errno);
	return memcmp(&now, stored, sizeof(now)) != 0;
}

static int folder_noted(void *ctx, const char *dir,
			const unsigned char *stored)
{
	hw_memo_file f;

	(void)dir;
	memcpy(&f, stored, sizeof(f));
	note_newest(ctx, &f);
	return 0;
}

static int file_well_formed(void *ctx, const char *path,
			    const unsigned char *stored)
{
	(void)ctx;
	(void)path;
	(void)stored;
	return 0;
}

static int file_listed(void *ctx, const char *path,
		       const unsigned char *stored)
{
	(void)stored; /* found again from path */
	return add_entry(ctx, (char *)path, 1) ? HW_ENOMEM : 0;
}

/*
 * The stored run's files, when its listing reads back whole and each folder
 * it walked has the state it had: 1, with every file added (a path is a
 * string of the mapped memo), or HW_ENOMEM. 0, with nothing added, else.
 */
static int reuse_listing(hw_scan_state_job *j, const hw_memo *m)
{
	int rc;

	if (!m->sfolders_len ||
	    each_entry(m->sfolders, m->sfolders_len, 1, folder_unchanged,
		       NULL) != 0 ||
	    each_entry(m->ssrc, m->ssrc_len, 0, file_well_formed, NULL) != 0)
		return 0;
	j->sfolders = m->sfolders;
	j->sfolders_len = m->sfolders_len;
	each_entry(m->sfolders, m->sfolders_len, 1, folder_noted, j);
	j->reused = 1;
	rc = each_entry(m->ssrc, m->ssrc_len, 0, file_listed, j);
	return rc ? HW_ENOMEM : 1;
}

/* Walks the folders, then lists the files in path order. */
static int walk_listing(hw_scan_state_job *j)
{
	pathset paths = {0};
	size_t i;
	int err = select_sorted(&paths, &j->diags, j->cfg, folder_seen, j);

	for (i = 0; !err && i < paths.n; i++) {
		if ((err = add_entry(j, paths.v[i], 0)))
			break;
		paths.v[i] = NULL; /* the block owns it */
	}
	pathset_free(&paths);
	return err;
}

/* A walk's block: every state is this run's. */
static void stat_walked(state_block *b)
{
	struct stat st;

	for (unsigned i = 0; i < b->n; i++) {
		int rc = stat(b->path[i], &st);

		hw_memo_state(&b->state[i], rc == 0 ? &st : NULL,
			      rc == 0 ? 0 : errno);
	}
}

/* A reused listing's block: each state is compared with the stored one
 * and this run's are kept from the first that differs. */
static void stat_listed(state_block *b)
{
	const unsigned char *at = b->entries, *stored;
	hw_memo_file f;
	struct stat st;

	for (unsigned i = 0; i < b->n; i++) {
		const char *path = listed_entry(&at, &stored);
		int rc = stat(path, &st);

		hw_memo_state(&f, rc == 0 ? &st : NULL, rc == 0 ? 0 : errno);
		if (!b->state) { /* the same so far */
			const unsigned char *before = b->entries, *was;

			if (memcmp(&f, stored, sizeof(f)) == 0)
				continue;
			if (!(b->state = malloc(b->n * sizeof(*b->state)))) {
				b->failed = 1;
				return;
			}
			for (unsigned k = 0; k < i; k++) {
				listed_entry(&before, &was);
				memcpy(&b->state[k], was, sizeof(f));
			}
		}
		b->state[i] = f;
	}
}

/* Stats every block no other thread took, as they are published. */
static void stat_blocks(hw_scan_state_job *j)
{
	state_block **link = &j->head;

	for (;;) {
		state_block *b;

		pthread_mutex_lock(&j->lock);
		while (!(b = *link) && !j->listed)
			pthread_cond_wait(&j->more, &j->lock);
		pthread_mutex_unlock(&j->lock);
		if (!b)
			return;
		if (!__atomic_exchange_n(&b->claimed, 1, __ATOMIC_ACQ_REL)) {
			if (b->entries)
				stat_listed(b);
			else
				stat_walked(b);
		}
		link = &b->next;
	}
}

/* Lists and stats; the stored memo, if any, is checked whole (its checksum)
 * once the caller has said go (it maps it meanwhile), and its listing used
 * only then. */
static void *state_run(void *arg)
{
	hw_scan_state_job *j = arg;
	const hw_memo *m;
	int err, listed;

	pthread_mutex_lock(&j->lock);
	while (!j->go)
		pthread_cond_wait(&j->more, &j->lock);
	m = j->m;
	listed = j->listed_by_go;
	pthread_mutex_unlock(&j->lock);
	if (!listed) {
		if (m) /* checked here, or by the caller already */
			j->whole = m->unchecked ? hw_memo_check(m)
						: m->skey != NULL;
		err = m && j->whole ? reuse_listing(j, m) : 0;
		if (err == 0)
			err = walk_listing(j);
		else if (err == 1)
			err = HW_OK;
		end_listing(j, err);
	}
	stat_blocks(j);
	return NULL;
}

static void free_blocks(hw_scan_state_job *j)
{
	for (state_block *b = j->head, *next; b; b = next) {
		next = b->next;
		free_block(b);
	}
	memset(j->own, 0, sizeof(j->own));
	j->nown = 0;
	j->head = j->tail = NULL;
	j->link = &j->head;
	j->sfolders = NULL;
	j->sfolders_len = 0;
	j->reused = j->listed = 0;
	j->err = HW_OK;
	j->newest = 0;
	hw_buf_clear(&j->folders);
	hw_diags_free(&j->diags);
	hw_diags_init(&j->diags);
}

/* Implements: FR-TRACE-007 */
hw_scan_state_job *hw_scan_state_start(const hw_config *cfg)
{
	hw_scan_state_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->cfg = cfg;
	j->link = &j->head;
	hw_buf_init(&j->folders, 0);
	hw_diags_init(&j->diags);
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->more, NULL);
	j->threaded = hw_two_threads(2, 2) &&
		      hw_thread_start(&j->tid, state_run, j, 0) == 0;
	return j;
}

/*
 * With a second thread, the caller checks the stored memo and lists its
 * files from the key here, while that thread is still waking (on this VM a
 * halted vCPU takes ~0.4 ms to run a new thread: the check and the listing
 * cost nothing there); a walk is left to the second thread.
 */
void hw_scan_state_go(hw_scan_state_job *j, hw_memo *m)
{
	int rc = 0;

	if (!j)
		return;
	if (j->threaded && m) {
		if (m->unchecked)
			hw_memo_checked(m, hw_memo_check(m));
		rc = m->skey ? reuse_listing(j, m) : 0;
	}
	pthread_mutex_lock(&j->lock);
	j->m = m;
	j->go = 1;
	j->listed_by_go = rc != 0;
	pthread_cond_broadcast(&j->more);
	pthread_mutex_unlock(&j->lock);
	if (rc) /* 1, or HW_ENOMEM: either way, nothing more is listed */
		end_listing(j, rc == 1 ? HW_OK : rc);
}

int hw_scan_state_finish(hw_scan_state_job *j, hw_memo *m)
{
	size_t from;
	int err;

	if (!j)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	if (!j->go)
		hw_scan_state_go(j, m);
	if (j->threaded) {
		stat_blocks(j);
		hw_thread_join(&j->tid);
	} else {
		state_run(j);
	}
	if (m->unchecked)
		hw_memo_checked(m, j->whole);
	hw_memo_add_str(m, "sources");
	from = hw_memo_len(m);
	/* the stored files are this run's only when everything before them
	 * is the stored key's too (the same config selects the same files) */
	if (j->reused && (m->differs || from != m->ssrc_off)) {
		free_blocks(j);
		j->m = NULL;
		j->listed_by_go = 0;
		state_run(j);
	}
	err = j->err;
	m->listed_from_key = j->reused;
	for (state_block *b = j->head; !err && b; b = b->next) {
		const unsigned char *at = b->entries, *stored;
		hw_memo_file f;

		if (b->failed) {
			err = HW_ENOMEM;
			break;
		}
		if (!b->entries) { /* a walk's */
			for (unsigned i = 0; i < b->n; i++)
				hw_memo_add_state(m, b->path[i], &b->state[i]);
			continue;
		}
		for (unsigned i = 0; i < b->n; i++) {
			const char *path = listed_entry(&at, &stored);

			if (b->state)
				f = b->state[i];
			else /* all as stored */
				memcpy(&f, stored, sizeof(f));
			hw_memo_add_state(m, path, &f);
		}
	}
	if (err) /* the words were said on the other thread */
		hw_error_set(err, NULL, 0, 0,
			     "cannot list the sources: out of memory");
	m->src_off = from;
	m->src_len = hw_memo_len(m) - from;
	/* a walk that said something (a broken link, an unreadable folder)
	 * depends on more than its folders: its files are walked for again */
	if (!j->diags.n)
		hw_memo_set_folders(m, j->sfolders ? j->sfolders
					       : j->folders.data,
				    j->sfolders ? j->sfolders_len
						: j->folders.len,
				    j->newest);
	hw_memo_add_str(m, "notes");
	for (size_t i = 0; !err && i < j->diags.n; i++) {
		char pos[64];

		snprintf(pos, sizeof(pos), "%d:%ld",
			 (int)j->diags.items[i].level, j->diags.items[i].line);
		hw_memo_add_str(m, j->diags.items[i].file);
		hw_memo_add_str(m, pos);
		hw_memo_add_str(m, j->diags.items[i].message);
	}
	free_blocks(j);
	pthread_cond_destroy(&j->more);
	pthread_mutex_destroy(&j->lock);
	hw_buf_free(&j->folders);
	hw_diags_free(&j->diags);
	free(j);
	return err;
}

/* ---- parallel scanning -------------------------------------------------- */

typedef struct job {
	hw_scan *scan;
	const hw_index *ix;
	size_t max_bytes;
	unsigned char *dirty;
	size_t next;        /* atomically incremented */
	int fatal;          /* first out-of-memory style failure */
	size_t scanned;
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

	if (!n)
		return HW_ENOMEM;
	f->notes = n;
	n[f->nnotes].level = HW_DIAG_ERROR;
	n[f->nnotes].line = 0;
	n[f->nnotes].message = hw_strdup(msg);
	if (!n[f->nnotes].message)
		return HW_ENOMEM;
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
		const char *m = hw_error_last();
		size_t pl = strlen(f->path);

		if (strncmp(m, f->path, pl) == 0 && m[pl] == ':')
			m += pl + 2;
		return note(f, m);
	}
	snprintf(f->hash, sizeof(f->hash), "%016llx",
		 (unsigned long long)hw_hash64(buf->data, buf->len));
	j->dirty[i] = 1;
	if (row && strcmp(row->hash, f->hash) == 0 &&
	    hw_record_decode(f, row->blob, row->blob_len) == HW_OK)
		return 1; /* touched but unchanged */
	clear_record(f);
	return hw_scan_text(f, buf->data, buf->len);
}

static void *worker(void *arg)
{
	job *j = arg;
	hw_buf buf;

	hw_buf_init(&buf, 0);
	for (;;) {
		size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		int r;

		if (i >= j->scan->n || __atomic_load_n(&j->fatal, __ATOMIC_RELAXED))
			break;
		r = scan_one(j, i, &buf);
		if (r < 0) {
			int zero = 0;

			__atomic_compare_exchange_n(&j->fatal, &zero, r, 0,
						    __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
			break;
		}
		__atomic_fetch_add(r ? &j->reused : &j->scanned, 1,
				   __ATOMIC_RELAXED);
	}
	hw_buf_free(&buf);
	return NULL;
}


/* ---- writing the index in the background ------------------------------- */

typedef struct store_job {
	hw_index ix;
	const char *path;         /* set: the thread opens (creates) it */
	const hw_src_file *files; /* the scan's: it waits before freeing */
	size_t n;
	unsigned char *dirty;
	hw_thread tid;
	pthread_mutex_t lock;
	pthread_cond_t go;
	int ready;                /* files, n and dirty are set */
	int cancel;               /* the scan failed: store nothing */
	int threaded;
	int err;
	hw_diags diags;           /* what opening it said */
	char message[512];
} store_job;

static void *store_run(void *arg)
{
	store_job *sj = arg;
	int go;

	if (sj->path && (sj->err = hw_index_open(&sj->ix, sj->path,
						 &sj->diags))) {
		snprintf(sj->message, sizeof(sj->message),
			 "%s; the index was not written", hw_error_last());
		return NULL;
	}
	if (sj->path)
		hw_index_fill_fresh(&sj->ix);
	pthread_mutex_lock(&sj->lock);
	while (!sj->ready && !sj->cancel)
		pthread_cond_wait(&sj->go, &sj->lock);
	go = sj->ready;
	pthread_mutex_unlock(&sj->lock);
	if (go) {
		sj->err = hw_index_store(&sj->ix, sj->files, sj->n, sj->dirty);
		if (sj->err) /* errors are per thread: keep the words */
			snprintf(sj->message, sizeof(sj->message), "%s",
				 hw_error_last());
	}
	hw_index_close(&sj->ix); /* the WAL checkpoint too */
	return NULL;
}

static store_job *store_new(void)
{
	store_job *sj = calloc(1, sizeof(*sj));

	if (!sj)
		return NULL;
	pthread_mutex_init(&sj->lock, NULL);
	pthread_cond_init(&sj->go, NULL);
	hw_diags_init(&sj->diags);
	return sj;
}

static void store_free(store_job *sj)
{
	pthread_cond_destroy(&sj->go);
	pthread_mutex_destroy(&sj->lock);
	hw_diags_free(&sj->diags);
	free(sj->dirty);
	free(sj);
}

/*
 * A first run (no index file yet) has nothing to reuse and scans every
 * file: the index is created on the store thread while they are scanned.
 * NULL when there is an index to read, or no second thread.
 */
static store_job *store_early(const char *index_path)
{
	store_job *sj;
	struct stat st;

	/* only a hint: SQLite creates or opens whatever is there then */
	if (!index_path || stat(index_path, &st) == 0 || errno != ENOENT ||
	    !hw_two_threads(2, 2) || !(sj = store_new()))
		return NULL;
	sj->path = index_path;
	if (hw_thread_start(&sj->tid, store_run, sj, 0) != 0) {
		store_free(sj);
		return NULL;
	}
	sj->threaded = 1;
	return sj;
}

/* Hands the scan's files to sj (cancel: nothing to store). */
static void store_release(store_job *sj, const hw_scan *scan,
			  unsigned char *dirty, int cancel)
{
	pthread_mutex_lock(&sj->lock);
	sj->files = scan->files;
	sj->n = scan->n;
	sj->dirty = dirty;
	sj->ready = !cancel;
	sj->cancel = cancel;
	pthread_cond_signal(&sj->go);
	pthread_mutex_unlock(&sj->lock);
}

/* Takes over ix and dirty and stores them, on a thread when one starts. */
static int store_begin(hw_scan *scan, hw_index *ix, unsigned char *dirty)
{
	store_job *sj = store_new();

	if (!sj)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	sj->ix = *ix;
	sj->files = scan->files;
	sj->n = scan->n;
	sj->dirty = dirty;
	sj->ready = 1;
	sj->threaded = hw_two_threads(2, 2) &&
		       hw_thread_start(&sj->tid, store_run, sj, 0) == 0;
	if (!sj->threaded)
		store_run(sj);
	scan->storing = sj;
	return HW_OK;
}

/* Implements: FR-TRACE-007 */
int hw_scan_finish(hw_scan *scan, hw_diags *late)
{
	store_job *sj = scan->storing;
	int err = HW_OK;

	if (!sj)
		return HW_OK;
	if (sj->threaded)
		hw_thread_join(&sj->tid);
	if (late)
		err = hw_diags_append(late, &sj->diags);
	if (!err && sj->err && late) /* a cache not written is not fatal */
		err = hw_diags_add(late, HW_DIAG_WARNING, NULL, 0, 0, "%s",
				   sj->message);
	store_free(sj);
	scan->storing = NULL;
	return err;
}

/* Implements: FR-TRACE-001, FR-TRACE-007 */
int hw_scan_repo(hw_scan *scan, const hw_config *cfg, const char *index_path)
{
	pathset paths = {0};
	hw_index ix;
	job j;
	hw_thread tids[8];
	store_job *early = NULL;
	int nthreads, started = 0, err, have_ix = 0;

	memset(scan, 0, sizeof(*scan));
	hw_diags_init(&scan->diags);
	memset(&j, 0, sizeof(j));
	if ((err = select_sorted(&paths, &scan->diags, cfg, NULL, NULL)) ||
	    (err = warn_unmatched(&scan->diags, cfg, &paths)))
		goto cleanup;
	scan->files = calloc(paths.n ? paths.n : 1, sizeof(*scan->files));
	j.dirty = calloc(paths.n ? paths.n : 1, 1);
	if (!scan->files || !j.dirty) {
		err = hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < paths.n; i++) {
		hw_src_file *f = &scan->files[i];

		f->path = paths.v[i];
		paths.v[i] = NULL;
		f->lang = hw_str_endswith(f->path, ".sh") ? HW_LANG_SH
							  : HW_LANG_C;
		f->is_test = any_match(cfg->tests, f->path);
	}
	scan->n = scan->cap = paths.n;
	early = store_early(index_path);
	if (index_path && !early) {
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
	nthreads = threads_wanted(scan->n);
	for (int t = 1; t < nthreads; t++) {
		if (hw_thread_start(&tids[t], worker, &j, (unsigned)t - 1) != 0)
			break;
		started = t;
	}
	worker(&j);
	for (int t = 1; t <= started; t++)
		hw_thread_join(&tids[t]);
	if (j.fatal) {
		err = hw_error_set(j.fatal, NULL, 0, 0,
				   "scanning failed: out of memory");
		goto cleanup;
	}
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
				any_match(cfg->test_functions, f->funcs[k].name);
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
	if (have_ix || early) {
		/* files that could not be read are not cached */
		for (size_t i = 0; i < scan->n; i++)
			if (!scan->files[i].hash[0])
				j.dirty[i] = 0;
	}
	if (early) {
		store_release(early, scan, j.dirty, 0);
		scan->storing = early; /* it owns dirty now */
		early = NULL;
		j.dirty = NULL;
	} else if (have_ix) {
		err = store_begin(scan, &ix, j.dirty);
		if (!err) {
			have_ix = 0; /* the store owns both now */
			j.dirty = NULL;
		}
	}
cleanup:
	if (early) { /* the scan failed: the index is left as it was */
		store_release(early, scan, NULL, 1);
		hw_thread_join(&early->tid);
		store_free(early);
	}
	if (have_ix)
		hw_index_close(&ix);
	free(j.dirty);
	pathset_free(&paths);
	if (err)
		hw_scan_free(scan);
	return err;
}

void hw_scan_free(hw_scan *scan)
{
	hw_scan_finish(scan, NULL);
	for (size_t i = 0; i < scan->n; i++)
		hw_src_file_free(&scan->files[i]);
	free(scan->files);
	hw_diags_free(&scan->diags);
	memset(scan, 0, sizeof(*scan));
}
