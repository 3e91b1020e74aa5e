/*
 * render.c — hw_site_render: load the evidence, render every page into a
 * fresh folder beside the target, then swap it into place in one step
 * (renameat2 RENAME_EXCHANGE where the file system has it), so readers see
 * either the old site or the new one, never half of one.
 */
#include "internal.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

/* A folder's entries, read before any is removed. */
typedef struct rm_list {
	int fd;        /* the folder */
	char **names;
	unsigned char *is_dir;
	size_t n;
	int depth;
} rm_list;

static void rm_tree_at(int dirfd, const char *name, int depth);

#define RM_PER_JOB 256

/* Job i: removes entries [i * RM_PER_JOB, (i + 1) * RM_PER_JOB) of l. */
static int rm_job(void *arg, size_t job)
{
	const rm_list *l = arg;

	for (size_t i = job * RM_PER_JOB; i < (job + 1) * RM_PER_JOB && i < l->n;
	     i++) {
		if (l->is_dir[i] && l->depth < 64)
			rm_tree_at(l->fd, l->names[i], l->depth + 1);
		else
			unlinkat(l->fd, l->names[i], 0);
	}
	return HW_OK; /* best effort: only old or temporary sites go here */
}

/* Reads dir's entries into l (names it cannot keep for want of memory are
 * removed at once). */
static void rm_read(rm_list *l, DIR *d)
{
	size_t cap = 0, dcap = 0; /* the rooms of names and is_dir */
	struct dirent *e;

	while ((e = readdir(d)) != NULL) {
		int is_dir = e->d_type == DT_DIR;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;

			is_dir = fstatat(l->fd, e->d_name, &st,
					 AT_SYMLINK_NOFOLLOW) == 0 &&
				 S_ISDIR(st.st_mode);
		}
		if (!HW_ARRAY_GROW(l->names, l->n, cap) &&
		    !HW_ARRAY_GROW(l->is_dir, l->n, dcap) &&
		    (l->names[l->n] = hw_strdup(e->d_name))) {
			l->is_dir[l->n++] = (unsigned char)is_dir;
		} else if (is_dir && l->depth < 64) {
			rm_tree_at(l->fd, e->d_name, l->depth + 1);
		} else {
			unlinkat(l->fd, e->d_name, 0);
		}
	}
}

/*
 * Removes the folder name under dirfd, depth first, by names relative to
 * each folder (no path is walked twice, no stat where readdir knows). A
 * folder's entries are read first and, when there are many, removed on
 * several threads: unlinks in one folder overlap well. One descriptor is
 * open per level, so
 * it stops 64 folders deep (a site is 3).
 */
static void rm_tree_at(int dirfd, const char *name, int depth)
{
	rm_list l = {0};
	DIR *d;

	l.fd = openat(dirfd, name,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	l.depth = depth;
	if (l.fd < 0) {
		unlinkat(dirfd, name, 0);
		return;
	}
	d = fdopendir(l.fd);
	if (!d) {
		close(l.fd);
		return;
	}
	rm_read(&l, d);
	hw_tasks_run((l.n + RM_PER_JOB - 1) / RM_PER_JOB,
		     hw_tasks_threads(l.n, RM_PER_JOB), rm_job, &l);
	closedir(d); /* closes l.fd */
	for (size_t i = 0; i < l.n; i++)
		free(l.names[i]);
	free(l.names);
	free(l.is_dir);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Removes a folder this render made (or an old site). */
void site_rm_tree(const char *path)
{
	if (path)
		rm_tree_at(AT_FDCWD, path, 0);
}

/* Whether the folder real (resolved) is cwd or one of its parents. */
static int holds_cwd(const char *real)
{
	/* hwledger-sast-ignore FF1026: with NULL it allocates the result */
	char *cwd = realpath(".", NULL);
	size_t n = strlen(real);
	int holds;

	if (!cwd)
		return 1; /* cannot tell: assume the worst */
	holds = !strcmp(real, "/") ||
		(!strncmp(cwd, real, n) && (!cwd[n] || cwd[n] == '/'));
	free(cwd);
	return holds;
}

/* Whether the folder real (resolved, absolute) has a .git (is a
 * repository's working folder), is or lies in a .git folder, or is a
 * .hwledger folder (the ledger and its keys). */
static int in_repository(const char *real)
{
	char *git = hw_path_join(real, ".git");
	const char *base = strrchr(real, '/');
	int found = !git || hw_path_exists(git) ||
		    strstr(real, "/.git/") != NULL || !strcmp(base, "/.git") ||
		    !strcmp(base, "/.hwledger");

	free(git);
	return found;
}

/* Whether the folder dir has no entry but . and .. (1), some (0). */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (e = readdir(d)) != NULL)
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/* Whether the regular file dir/name begins with text. */
static int file_begins(const char *dir, const char *name, const char *text)
{
	char *path = hw_path_join(dir, name), got[64];
	size_t n = strlen(text);
	struct stat st;
	int fd = path ? hw_file_open_read(path, &st) : -1, same;

	free(path);
	if (fd < 0) {
		hw_error_clear(); /* absent or not a file: not a site's */
		return 0;
	}
	same = n < sizeof(got) && read(fd, got, n) == (ssize_t)n &&
	       !memcmp(got, text, n);
	close(fd);
	return same;
}

/* Whether dir is a site hwledger rendered: it has the marker, or it is a
 * site from before the marker, whose search-index.js only the renderer
 * writes so. */
static int is_site(const char *dir)
{
	return file_begins(dir, HW_SITE_MARKER, HW_SITE_MARKER_TEXT) ||
	       file_begins(dir, "search-index.js", "window.HW_SEARCH = [");
}

/* Implements: FR-SITE-003 */
int hw_site_out_check(const char *out, int force, int *foreign)
{
	struct stat st;
	char *real, first[256];
	int tracked, err = HW_OK;

	if (foreign)
		*foreign = 0;
	if (lstat(out, &st) != 0)
		return HW_OK; /* nothing there: a new folder */
	if (S_ISLNK(st.st_mode))
		return hw_error_set(HW_EIO, out, 0, 0,
				    "is a symbolic link; not replaced (name "
				    "the folder it points to)");
	if (!S_ISDIR(st.st_mode))
		return hw_error_set(HW_EIO, out, 0, 0,
				    "exists and is not a folder; not "
				    "replaced");
	/* hwledger-sast-ignore FF1026: with NULL it allocates the result */
	if (!(real = realpath(out, NULL)))
		return hw_error_set(HW_EIO, out, 0, 0, "cannot resolve: %s",
				    strerror(errno));
	if (holds_cwd(real) || in_repository(real)) {
		free(real);
		return hw_error_set(HW_EIO, out, 0, 0,
				    "is or holds the repository (or its "
				    ".git or .hwledger); never replaced");
	}
	free(real);
	if (is_site(out) || dir_is_empty(out))
		return HW_OK;
	/* a folder of the repository's own files (its sources, its docs) is
	 * never replaced: --force is for a folder of outputs */
	if ((tracked = hw_git_tracked_under(out, first, sizeof(first))) < 0)
		return tracked;
	if (tracked)
		return hw_error_set(HW_EIO, out, 0, 0,
				    "holds files git tracks (%s); never "
				    "replaced",
				    first);
	if (!force)
		err = hw_error_set(HW_EIO, out, 0, 0,
				   "is not a site hwledger rendered (no %s); "
				   "not replaced (--force replaces it)",
				   HW_SITE_MARKER);
	else if (foreign)
		*foreign = 1;
	return err;
}

/* Atomically exchanges a and b (both must exist); -1 when unsupported. */
static int exchange(const char *a, const char *b)
{
#if defined(__linux__) && defined(SYS_renameat2)
	return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b,
			    1 /* RENAME_EXCHANGE */);
#else
	(void)a;
	(void)b;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Puts the site written in tmp at out. The old site is removed, or, when
 * keep_old, left at tmp (the spare for the next render).
 */
/* Implements: FR-SITE-003 */
static int swap_into_place(const char *tmp, const char *out, int keep_old)
{
	char *old;

	if (!hw_path_exists(out)) {
		if (rename(tmp, out) == 0)
			return HW_OK;
		return hw_error_set(HW_EIO, out, 0, 0,
				    "cannot move the new "
				    "site into place: %s",
				    strerror(errno));
	}
	/* HWLEDGER_SITE_NO_EXCHANGE=1 takes the path of file systems without
	 * RENAME_EXCHANGE (so tests can run it here) */
	/* hwledger-sast-ignore FF1053: only its presence is tested */
	if (!getenv("HWLEDGER_SITE_NO_EXCHANGE") && exchange(tmp, out) == 0) {
		if (!keep_old)
			site_rm_tree(tmp); /* now the old site */
		return HW_OK;
	}
	/* no atomic exchange: move the old site aside (onto an empty folder
	 * of its own, so no folder of the user's is in the way), then the new
	 * in */
	old = malloc(strlen(out) + 12);
	if (!old)
		return HW_ENOMEM;
	snprintf(old, strlen(out) + 12, "%s.old-XXXXXX", out);
	if (!mkdtemp(old) || rename(out, old) != 0 || rename(tmp, out) != 0) {
		int e = errno;

		if (!hw_path_exists(out))
			rename(old, out);
		rmdir(old); /* still the empty folder unless moved back */
		free(old);
		return hw_error_set(HW_EIO, out, 0, 0,
				    "cannot replace the "
				    "site: %s",
				    strerror(e));
	}
	if (!keep_old || rename(old, tmp) != 0)
		site_rm_tree(old);
	free(old);
	return HW_OK;
}

static int make_tmp(site *s, const char *out)
{
	size_t n = strlen(out);
	int err;

	if ((err = hw_mkdir_parent(out)))
		return err;
	if (site_spare_begin(s, out))
		return site_make_dirs(s->tmp);
	s->tmp = malloc(n + 16);
	if (!s->tmp)
		return HW_ENOMEM;
	snprintf(s->tmp, n + 16, "%s.tmp-XXXXXX", out);
	if (!mkdtemp(s->tmp)) {
		int e = errno;

		free(s->tmp);
		s->tmp = NULL;
		return hw_error_set(HW_EIO, out, 0, 0,
				    "cannot create a folder "
				    "beside it: %s",
				    strerror(e));
	}
	{
		/* mkdtemp makes it 0700; a published site is world-readable */
		int fd = open(s->tmp, O_RDONLY | O_DIRECTORY);

		if (fd >= 0) {
			fchmod(fd, 0755);
			close(fd);
		}
	}
	return site_make_dirs(s->tmp);
}

/* The theme, and the marker that says the folder is a site (replaced by
 * the next render, hw_site_out_check). */
static int write_theme(site *s)
{
	hw_buf m = {(char *)HW_SITE_MARKER_TEXT,
		    sizeof(HW_SITE_MARKER_TEXT) - 1, 0, 0};
	int err = site_write(s, HW_SITE_MARKER, &m);

	for (size_t i = 0; i < hw_theme_files_count && !err; i++) {
		hw_buf b = {(char *)hw_theme_files[i].data,
			    hw_theme_files[i].len, 0, 0};

		err = site_write(s, hw_theme_files[i].name, &b);
	}
	return err;
}

/* The search records as a script that assigns them: a page opened from
 * file:// may not fetch() a JSON file. */
/* Implements: FR-SITE-002 */
static int write_search(site *s)
{
	hw_buf js;
	int err;

	hw_jw_end(&s->sw);
	if ((err = hw_jw_finish(&s->sw)))
		return err;
	hw_buf_init(&js, 0);
	err = hw_buf_puts(&js, "window.HW_SEARCH = ");
	err = err ? err : hw_buf_append(&js, s->search.data, s->search.len);
	err = err ? err : hw_buf_puts(&js, ";\n");
	err = err ? err : site_write(s, "search-index.js", &js);
	hw_buf_free(&js);
	return err;
}

/* The evidence documents, copied as they are (verify-report hashes them
 * against the signed events). */
static int copy_evidence(site *s)
{
	static const char *const docs[] = {
		"trace.json",	"gate.json",	      "sast.json",
		"plan.json",	"probe.json",	      "ledger-verify.json",
		"report.json", "cheapest.json", "changes.json"};
	int err = HW_OK;

	for (size_t i = 0; i < sizeof(docs) / sizeof(*docs) && !err; i++) {
		char *path = hw_path_join(s->o->checks_dir, docs[i]);

		if (!path)
			return HW_ENOMEM;
		if (hw_path_exists(path))
			err = site_copy_file(s, path, "evidence");
		free(path);
	}
	/* the sweeps the planner page draws */
	for (size_t i = 0; i < s->nsweeps && !err; i++) {
		char *path = hw_path_join(s->o->checks_dir, s->sweep_names[i]);

		if (!path)
			return HW_ENOMEM;
		err = site_copy_file(s, path, "evidence");
		free(path);
	}
	/* the FRs the pages show, as `frs list --json` lists them: signed
	 * by the manifest, they give `hwledger diff` the requirement texts */
	if (!err) {
		hw_buf b;

		hw_buf_init(&b, 0);
		err = hw_frs_json(&b, &s->frs);
		err = err ? err : site_write(s, "evidence/frs.json", &b);
		hw_buf_free(&b);
	}
	return err;
}

static int cmp_manifest(const void *a, const void *b)
{
	return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

/* manifest.json: every file and its SHA-256, sorted; manifest.sig: the
 * signing key's detached signature over those bytes. */
/* Implements: FR-REPORT-002 */
static int write_manifest(site *s)
{
	char key[192], sig[HW_SIG_B64_LEN];
	size_t *idx = malloc((s->nm ? s->nm : 1) * sizeof(size_t));
	char ***ptrs = malloc((s->nm ? s->nm : 1) * sizeof(char **));
	hw_buf b, sb;
	hw_jw w;
	int err;

	if (!idx || !ptrs) {
		free(idx);
		free(ptrs);
		return HW_ENOMEM;
	}
	for (size_t i = 0; i < s->nm; i++)
		ptrs[i] = &s->mpaths[i];
	qsort(ptrs, s->nm, sizeof(*ptrs), cmp_manifest);
	for (size_t i = 0; i < s->nm; i++)
		idx[i] = (size_t)(ptrs[i] - s->mpaths);
	free(ptrs);
	hw_pubkey_format(key, sizeof(key), &s->o->key->pub);
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_MANIFEST_SCHEMA);
	hw_jw_kstr(&w, "key", key);
	hw_jw_key(&w, "files");
	hw_jw_array(&w);
	for (size_t i = 0; i < s->nm; i++) {
		hw_jw_object(&w);
		hw_jw_kstr(&w, "path", s->mpaths[idx[i]]);
		hw_jw_kstr(&w, "sha256", s->mhashes[idx[i]]);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	free(idx);
	err = hw_jw_finish(&w);
	if (!err) {
		hw_blob_sign(sig, b.data, b.len, s->o->key);
		hw_buf_init(&sb, 0);
		err = hw_buf_printf(&sb, "%s\n", sig);
		/* the manifest does not list itself or its signature */
		err = err ? err : site_write_unlisted(s, HW_SITE_MANIFEST, &b);
		err = err ? err
			  : site_write_unlisted(s, HW_SITE_MANIFEST_SIG, &sb);
		hw_buf_free(&sb);
	}
	hw_buf_free(&b);
	return err;
}

static int sources_job(site *s, void *arg)
{
	(void)arg;
	return render_sources(s);
}

static int pages_job(site *s, void *arg)
{
	int err;

	(void)arg;
	if (!(err = render_glossary(s)) && !(err = render_dashboard(s)))
		err = render_matrix(s);
	if (!err)
		err = render_tree(s);
	return err;
}

/* The glossary, the dashboard, the matrix and the tree, and at the same time the
 * source views (which come next in the site's order). */
static int render_pages_and_sources(site *s)
{
	return site_parts_run(s, hw_tasks_threads(s->nsources, 8), pages_job,
			      NULL, sources_job, NULL);
}

/* The pages, the source views, the copies of the evidence: everything
 * but the downloads. */
static int site_job(site *s, void *arg)
{
	int err;

	(void)arg;
	if ((err = render_fr_pages(s)) || (err = render_pages_and_sources(s)) ||
	    (err = render_sast(s)) ||
	    (err = render_planner(s)) || (err = render_probes(s)) ||
	    (err = render_ledger(s)) || (err = render_changes(s)) ||
	    (err = site_copy_bundle(s)) ||
	    (err = write_theme(s)) || (err = write_search(s)))
		return err;
	return copy_evidence(s);
}

static int downloads_job(site *s, void *arg)
{
	(void)arg;
	return render_downloads(s);
}

static int render_all(site *s)
{
	int err;

	/* a folder that may not be replaced is refused before any input is
	 * read */
	if ((err = hw_site_out_check(s->o->out_dir, s->o->force,
				     &s->foreign)) ||
	    (err = site_load(s)))
		return err;
	if (s->diags->errors)
		return HW_EINVAL;
	if ((err = site_terms_build(s)) || (err = site_history_build(s)) ||
	    (err = make_tmp(s, s->o->out_dir)))
		return err;
	hw_buf_init(&s->search, 0);
	hw_jw_init(&s->sw, &s->search, 0);
	hw_jw_array(&s->sw);
	if ((err = site_parts_run(s, hw_tasks_threads(2, 1), site_job,
				  NULL, downloads_job, NULL)))
		return err;
	if (s->o->key && (err = write_manifest(s)))
		return err;
	if (s->spare && (err = site_spare_sweep(s)))
		return err;
	/* checked again: the folder may have changed while the site was
	 * rendered (an exchange would swap even a file away) */
	if ((err = hw_site_out_check(s->o->out_dir, s->o->force, &s->foreign)))
		return err;
	return swap_into_place(s->tmp, s->o->out_dir,
			       s->spare && !s->foreign);
}

/* Implements: FR-SITE-001, FR-SITE-003 */
int hw_site_render(const hw_site_opts *opts, hw_diags *diags,
		   hw_site_stats *stats)
{
	hw_site_opts o = *opts;
	site s;
	int err;

	if (!o.out_dir)
		o.out_dir = HW_SITE_DIR;
	if (!o.checks_dir)
		o.checks_dir = HW_SITE_CHECKS_DIR;
	memset(stats, 0, sizeof(*stats));
	memset(&s, 0, sizeof(s));
	s.o = &o;
	s.diags = diags;
	s.stats = stats;
	s.spare_lock = -1;
	err = render_all(&s);
	/* a folder of our own is removed; the spare is kept, whole or not
	 * (the next render rewrites or removes every file of it) */
	if (s.tmp && !s.spare && hw_path_exists(s.tmp))
		site_rm_tree(s.tmp);
	site_spare_end(&s);
	free(s.tmp);
	hw_buf_free(&s.search);
	for (size_t i = 0; i < s.nm; i++)
		free(s.mpaths[i]);
	free(s.mpaths);
	free(s.mhashes);
	site_history_free(&s);
	site_terms_free(&s);
	site_free(&s);
	return err;
}
