/*
 * spare.c — the spare folder: the site before last, kept in the cache and
 * rewritten in place by the next render.
 *
 * A render writes a whole new site beside the old one and swaps it into
 * place, so that readers never see half of one. On ext4, creating a large
 * site's files and removing the old site's are most of a render's work:
 * each new inode is looked for past the inodes freed in the
 * last seconds (ext4 will not reuse those yet), and each removal is a
 * journalled free (a discard where the disk is mounted with it). So the old
 * site, once swapped out, is not removed but kept as the spare
 * (o->spare_dir, .hwledger/site-spare for the CLI); the next render writes
 * into it: a file already there is opened and overwritten (its inode and
 * blocks kept), a new one created, and those the render did not write are
 * removed before the swap. The swap then puts the old site in the spare's
 * place. The site in place is never written to.
 *
 * A file of the spare is rewritten only when it is a regular file of mode
 * 0644 with one link: one hard-linked elsewhere (a published copy made with
 * cp -al) or changed by hand is replaced, never written through. The spare
 * is used only under its lock (a second render at the same time writes a
 * folder of its own, as without a spare) and only when it is on the same
 * file system as the site, where the swap is a rename.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folders of a site (every other folder in a spare is removed). */
static const char *const site_dirs[] = {"fr", "src", "ledger",
					"ledger/bundle", "evidence",
					"downloads"};

static int is_site_dir(const char *rel)
{
	for (size_t i = 0; i < sizeof(site_dirs) / sizeof(*site_dirs); i++)
		if (!strcmp(rel, site_dirs[i]))
			return 1;
	return 0;
}

int site_make_dirs(const char *root)
{
	for (size_t i = 0; i < sizeof(site_dirs) / sizeof(*site_dirs); i++) {
		char *p = hw_path_join(root, site_dirs[i]);
		struct stat st;
		int bad;

		if (!p)
			return HW_ENOMEM;
		/* in a reused spare the folder may be there (checked a
		 * folder by the listing) */
		bad = mkdir(p, 0755) != 0 &&
		      !(errno == EEXIST && lstat(p, &st) == 0 &&
			S_ISDIR(st.st_mode));
		free(p);
		if (bad)
			return hw_error_set(HW_EIO, root, 0, 0,
					    "cannot create %s", site_dirs[i]);
	}
	return HW_OK;
}

/* File names, NULL-terminated (hw_strv_free). */
typedef struct listing {
	char **v;
	size_t n, cap;
	int err;
} listing;

static void listing_add(listing *l, const char *rel)
{
	if (l->err)
		return;
	/* room for rel and the NULL after it */
	if (hw_array_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v), 256)) {
		l->err = HW_ENOMEM;
		return;
	}
	if (!(l->v[l->n] = hw_strdup(rel)))
		l->err = HW_ENOMEM;
	else
		l->v[++l->n] = NULL;
}

/*
 * Lists the files under root/rel (rel "" for root) into l; folders that are
 * not a site's are removed on the way, and so is anything that is not a
 * folder where a site has one.
 */
static void list_files(listing *l, const char *root, const char *rel)
{
	char *dir = *rel ? hw_path_join(root, rel) : hw_strdup(root);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	if (!d) {
		l->err = l->err ? l->err : dir ? HW_EIO : HW_ENOMEM;
		free(dir);
		return;
	}
	while (!l->err && (e = readdir(d)) != NULL) {
		char *sub, *full;
		int is_dir = e->d_type == DT_DIR;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = *rel ? hw_path_join(rel, e->d_name)
			   : hw_strdup(e->d_name);
		full = sub ? hw_path_join(root, sub) : NULL;
		if (!full) {
			l->err = HW_ENOMEM;
			free(sub);
			break;
		}
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;

			is_dir = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir && is_site_dir(sub))
			list_files(l, root, sub);
		else if (is_dir)
			site_rm_tree(full);
		else if (is_site_dir(sub))
			unlink(full);
		else
			listing_add(l, sub);
		free(sub);
		free(full);
	}
	closedir(d);
	free(dir);
}

/* The folder part of path ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return hw_strdup(".");
	if (slash == path)
		return hw_strdup("/");
	return hw_strndup(path, (size_t)(slash - path));
}

static int same_fs(const char *a, const char *b)
{
	char *da = dir_of(a), *db = dir_of(b);
	struct stat sa, sb;
	int same = da && db && stat(da, &sa) == 0 && stat(db, &sb) == 0 &&
		   sa.st_dev == sb.st_dev;

	free(da);
	free(db);
	return same;
}

/* Implements: FR-SITE-003 */
int site_spare_begin(site *s, const char *out)
{
	const char *spare = s->o->spare_dir;
	char *lock = NULL;
	struct stat st, so;
	listing l = {0};
	int fd;

	if (!spare)
		return 0;
	if (hw_mkdir_parent(spare) != HW_OK || !same_fs(spare, out)) {
		hw_error_clear();
		return 0;
	}
	if (stat(out, &so) == 0 && stat(spare, &st) == 0 &&
	    so.st_dev == st.st_dev && so.st_ino == st.st_ino)
		return 0; /* the site is the spare's folder: never in place */
	lock = malloc(strlen(spare) + 6);
	if (!lock)
		return 0;
	memcpy(lock, spare, strlen(spare));
	memcpy(lock + strlen(spare), ".lock", 6);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd); /* another render holds it: a folder of our own */
		return 0;
	}
	if (lstat(spare, &st) == 0 && !S_ISDIR(st.st_mode))
		unlink(spare);
	if (lstat(spare, &st) != 0 && mkdir(spare, 0755) != 0) {
		close(fd);
		return 0;
	}
	list_files(&l, spare, "");
	if (l.err) { /* not read whole: start it afresh */
		hw_strv_free(l.v);
		memset(&l, 0, sizeof(l));
		site_rm_tree(spare);
		if (mkdir(spare, 0755) != 0) {
			close(fd);
			return 0;
		}
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), hw_strp_cmp);
	s->spare_hit = calloc(l.n ? l.n : 1, 1);
	s->tmp = hw_strdup(spare);
	if (!s->spare_hit || !s->tmp) {
		hw_strv_free(l.v);
		free(s->spare_hit);
		free(s->tmp);
		s->spare_hit = NULL;
		s->tmp = NULL;
		close(fd);
		return 0;
	}
	s->spare_files = l.v;
	s->nspare = l.n;
	s->spare_lock = fd;
	s->spare = 1;
	return 1;
}

/*
 * Opens path (the file rel of the site being written) for writing: a file
 * the spare held is reused when it is safe to write through, else it is
 * replaced by a new one. *size is the reused file's size (0 for a new one).
 */
int site_spare_open(site *s, const char *path, const char *rel, off_t *size)
{
	char **hit = NULL;
	struct stat st;
	int fd;

	*size = 0;
	if (s->nspare)
		hit = bsearch(&rel, s->spare_files, s->nspare,
			      sizeof(*s->spare_files), hw_strp_cmp);
	if (hit) {
		s->spare_hit[hit - s->spare_files] = 1;
		/* O_NONBLOCK: a FIFO put here must not block the open */
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink == 1 && (st.st_mode & 07777) == 0644) {
			*size = st.st_size;
			return fd;
		}
		if (fd >= 0)
			close(fd);
		unlink(path); /* a link, shared, or not ours: replaced */
	}
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/* Implements: FR-SITE-003 */
int site_spare_sweep(site *s)
{
	for (size_t i = 0; i < s->nspare; i++) {
		char *p;

		if (s->spare_hit[i])
			continue;
		if (!(p = hw_path_join(s->tmp, s->spare_files[i])))
			return HW_ENOMEM;
		if (unlink(p) != 0 && errno != ENOENT) {
			int e = errno;

			hw_error_set(HW_EIO, p, 0, 0,
				     "cannot remove a file of the last "
				     "site: %s",
				     strerror(e));
			free(p);
			return HW_EIO;
		}
		free(p);
	}
	return HW_OK;
}

void site_spare_end(site *s)
{
	hw_strv_free(s->spare_files);
	free(s->spare_hit);
	s->spare_files = NULL;
	s->spare_hit = NULL;
	s->nspare = 0;
	if (s->spare_lock >= 0)
		close(s->spare_lock); /* releases the lock */
	s->spare_lock = -1;
}
