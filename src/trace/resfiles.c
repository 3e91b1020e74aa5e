/*
 * resfiles.c — which files hold the test results of a run: --results
 * paths (files, folders, globs) expanded, or the default folder. `trace`
 * and `gate` read them; `report` passes the same list to its checks and
 * fingerprints each file into the events' evidence.
 */
#include "trace.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A folder's results files: what each reader takes, by name. */
static const char *const results_suffixes[] = {".xml", ".tap", ".txt"};

/* Appends a copy of path to the NULL-terminated list *v of *n paths. */
/* Adds dir's results files (sorted) to *files. */
static int list_results_dir(char ***files, size_t *n, const char *dir)
{
	size_t first = *n;
	int err = HW_OK;

	for (size_t k = 0; k < 3 && !err; k++) {
		char **v = NULL;
		size_t nv = 0;

		err = hw_dir_list(&v, &nv, dir, results_suffixes[k]);
		for (size_t i = 0; i < nv && !err; i++)
			err = hw_strv_push_copy(files, n, v[i], strlen(v[i]));
		hw_strv_free(v);
	}
	if (!err && *n > first)
		qsort(*files + first, *n - first, sizeof(**files),
		      hw_strp_cmp);
	return err;
}

static int has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Drops from files[first..] every path that names a file named before it
 * (by device and inode): a folder and one of its files, or two globs that
 * overlap, would otherwise read one file's results twice and count them
 * twice. A path that cannot be stat'ed is kept: reading it says why. */
static int drop_repeats(char **files, size_t *n, size_t first)
{
	struct fid {
		dev_t dev;
		ino_t ino;
		int ok;
	} *ids;
	size_t k = first;

	if (*n - first < 2)
		return HW_OK;
	ids = calloc(*n, sizeof(*ids));
	if (!ids)
		return hw_error_oom();
	for (size_t i = first; i < *n; i++) {
		struct stat sb;
		int dup = 0;

		ids[k].ok = stat(files[i], &sb) == 0;
		ids[k].dev = ids[k].ok ? sb.st_dev : 0;
		ids[k].ino = ids[k].ok ? sb.st_ino : 0;
		for (size_t j = first; j < k && ids[k].ok && !dup; j++)
			dup = ids[j].ok && ids[j].dev == ids[k].dev &&
			      ids[j].ino == ids[k].ino;
		if (dup) {
			free(files[i]);
			continue;
		}
		files[k++] = files[i];
	}
	files[k] = NULL;
	*n = k;
	free(ids);
	return HW_OK;
}

/* A path that exists is taken as it is, even with a wildcard in its name;
 * one that does not is a glob only when it has one (quoted from the shell,
 * so that its matches are listed here). */
/* Implements: FR-TRACE-002 */
int hw_results_files(char ***files, size_t *n, hw_diags *diags,
		     const char *const *paths, size_t npaths)
{
	int err = HW_OK;
	size_t first = *n;

	if (!npaths)
		return hw_path_is_dir(HW_RESULTS_DIR)
			       ? list_results_dir(files, n, HW_RESULTS_DIR)
			       : HW_OK;
	for (size_t i = 0; i < npaths && !err; i++) {
		const char *p = paths[i];
		glob_t g;
		int rc;

		if (hw_path_is_dir(p)) {
			err = list_results_dir(files, n, p);
			continue;
		}
		if (hw_path_exists(p) || !has_wildcard(p)) {
			err = hw_strv_push_copy(files, n, p, strlen(p));
			continue;
		}
		rc = glob(p, 0, NULL, &g);
		if (rc == GLOB_NOMATCH)
			err = hw_diags_add(diags, HW_DIAG_ERROR, p, 0, 0,
					   "--results: no file matches");
		else if (rc == GLOB_NOSPACE)
			err = hw_error_oom();
		else if (rc != 0)
			err = hw_error_set(HW_EIO, p, 0, 0, "--results: cannot "
					   "read the folders of this glob");
		for (size_t k = 0; rc == 0 && k < g.gl_pathc && !err; k++)
			err = hw_path_is_dir(g.gl_pathv[k])
				      ? list_results_dir(files, n,
							 g.gl_pathv[k])
				      : hw_strv_push_copy(files, n, g.gl_pathv[k],
							  strlen(g.gl_pathv[k]));
		if (rc == 0 || rc == GLOB_NOMATCH)
			globfree(&g);
	}
	if (!err && *files)
		err = drop_repeats(*files, n, first);
	return err;
}

