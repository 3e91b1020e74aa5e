/*
 * file.c — bounded file reading, atomic writes, directory listing, paths and
 * glob matching.
 *
 * Every read has a size cap and opens only a regular file, and every write
 * of a file goes through a temporary file and rename(2), so a crash or a
 * full disk never leaves a half-written output (a device, FIFO or socket is
 * written into instead: it cannot be replaced, and is never replaced).
 */
#include "util.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Every input is opened here. O_NONBLOCK makes the open of a FIFO return at
 * once (without it, a FIFO nobody writes to blocks open(2) forever), fstat
 * then says what was opened, and anything but a regular file is refused
 * before a byte is read. The flag stays set: it "has no effect for regular
 * files" (open(2)), the only kind read through the descriptor.
 */
/* Implements: FR-CLI-007 */
int hw_file_open_read(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	memset(st, 0, sizeof(*st)); /* defined whatever the outcome */
	if (fd < 0) {
		if (errno == ENOENT)
			return hw_error_set(HW_ENOTFOUND, path, 0, 0,
					    "no such file");
		return hw_error_set(HW_EIO, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	}
	if (fstat(fd, st) != 0) {
		int e = errno;

		close(fd);
		return hw_error_set(HW_EIO, path, 0, 0, "cannot stat: %s",
				    strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "not a regular file");
	}
	return fd;
}

/* Implements: FR-CLI-007 */
void *hw_dlopen(const char *name, const char **why)
{
	struct stat st;
	void *lib;
	int fd;

	/* a bare name is the loader's to search for; a path is checked
	 * first, as any input is */
	if (strchr(name, '/')) {
		if ((fd = hw_file_open_read(name, &st)) < 0) {
			if (why)
				*why = hw_error_last();
			return NULL;
		}
		close(fd);
	}
	if (!(lib = dlopen(name, RTLD_NOW | RTLD_LOCAL)) && why)
		*why = dlerror();
	return lib;
}

int hw_lib_load(hw_lib *l, const char *env, const char *soname,
		const char *label, const char *user, const char *const *names,
		void *const *slots, size_t n)
{
	/* hwledger-sast-ignore FF1053: the user's choice of library */
	const char *name = getenv(env), *cause;
	void *lib;

	if (l->state > 0)
		return HW_OK;
	if (l->state < 0)
		return hw_error_set(HW_EIO, NULL, 0, 0, "%s", l->why);
	if (!name || !*name)
		name = soname;
	l->state = -1;
	if (!(lib = hw_dlopen(name, &cause))) {
		snprintf(l->why, sizeof(l->why),
			 "cannot load %s (%s), which %s needs", label, cause,
			 user);
		return hw_error_set(HW_EIO, NULL, 0, 0, "%s", l->why);
	}
	for (size_t i = 0; i < n; i++)
		if (!(*(void **)slots[i] = dlsym(lib, names[i]))) {
			snprintf(l->why, sizeof(l->why), "%s has no %s", name,
				 names[i]);
			return hw_error_set(HW_EIO, NULL, 0, 0, "%s", l->why);
		}
	l->state = 1;
	return HW_OK;
}

/* Implements: FR-CLI-007 */
int hw_file_read(hw_buf *out, const char *path, size_t max)
{
	return hw_file_read_stat(out, path, max, NULL);
}

int hw_text_refuse_nul(const char *data, size_t len, const char *path,
		       const char *what)
{
	const char *nul = memchr(data, '\0', len);
	long line, col;

	if (!nul)
		return HW_OK;
	hw_text_position(data, len, (size_t)(nul - data), &line, &col);
	return hw_error_set(HW_EINVAL, path, line, col,
			    "binary data (a NUL byte) in %s", what);
}

int hw_file_read_stat(hw_buf *out, const char *path, size_t max,
		      struct stat *st_out)
{
	struct stat st;
	int fd, err = HW_OK;

	hw_buf_clear(out);
	if ((fd = hw_file_open_read(path, &st)) < 0)
		return fd;
	if (st_out)
		*st_out = st;
	if ((unsigned long long)st.st_size > max) {
		err = hw_error_set(HW_ETOOBIG, path, 0, 0,
				   "file is %lld bytes, over the limit of %zu",
				   (long long)st.st_size, max);
		goto cleanup;
	}
	out->max = max;
	/* room for what stat reported plus one byte, so that the usual file
	 * is read in one call and its EOF seen in the next; a file that
	 * changes underneath us still cannot pass the cap */
	if ((err = hw_buf_append(out, "", 0)))
		goto cleanup;
	for (;;) {
		size_t want = (size_t)st.st_size + 1 > out->len
				      ? (size_t)st.st_size + 1 - out->len
				      : 65536;
		ssize_t n;

		if (want > max - out->len + 1)
			want = max - out->len + 1;
		if ((err = hw_buf_reserve(out, want))) {
			if (err == HW_ETOOBIG)
				hw_error_set(HW_ETOOBIG, path, 0, 0,
					     "file grew over the limit of %zu "
					     "bytes", max);
			goto cleanup;
		}
		n = read(fd, out->data + out->len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = hw_error_set(HW_EIO, path, 0, 0,
					   "read failed: %s", strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max) {
			err = hw_error_set(HW_ETOOBIG, path, 0, 0,
					   "file grew over the limit of %zu "
					   "bytes", max);
			goto cleanup;
		}
		/* a short read of a regular file is its end: when it ends
		 * where stat said, no second read is needed to see EOF (not
		 * so for /proc and /sys files, whose stat size is 0 or a
		 * page whatever they hold) */
		if ((size_t)n < want && st.st_size > 0 &&
		    out->len == (size_t)st.st_size)
			break;
	}
cleanup:
	close(fd);
	return err;
}

/* Implements: FR-CLI-006 */
int hw_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* no progress: never spin */
			return HW_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return HW_OK;
}

/*
 * The name an output at path is written to: path, or, when path is a
 * symbolic link, the name at the end of its chain (which need not exist
 * yet), so the link is kept and what it points to is replaced. NULL with
 * the error recorded for a loop or a name too long.
 */
static char *link_target(const char *path)
{
	char *cur = hw_strdup(path);

	for (int hops = 0; cur; hops++) {
		char to[4096];
		const char *slash;
		hw_buf next;
		/* a link changed meanwhile is followed as it is then: what
		 * is written is a new file renamed in */
		/* hwledger-sast-ignore FF1035: see above */
		ssize_t n = readlink(cur, to, sizeof(to));

		if (n < 0)
			return cur; /* not a link (or nothing there) */
		if (hops == 40 || (size_t)n == sizeof(to)) {
			hw_error_set(HW_EIO, path, 0, 0, "cannot follow the "
				     "link: %s", strerror(hops == 40 ? ELOOP
								: ENAMETOOLONG));
			free(cur);
			return NULL;
		}
		to[n] = '\0';
		/* a relative target is relative to the link's folder */
		slash = to[0] == '/' ? NULL : strrchr(cur, '/');
		hw_buf_init(&next, 0);
		if (hw_buf_append(&next, cur, slash ? (size_t)(slash - cur) + 1
						    : 0) ||
		    hw_buf_puts(&next, to)) {
			hw_buf_free(&next);
			free(cur);
			hw_error_oom();
			return NULL;
		}
		free(cur);
		cur = hw_buf_detach(&next);
	}
	hw_error_oom();
	return NULL;
}

/*
 * An output that is a device, a FIFO or a socket is written into, as the
 * shell's > would (a FIFO's open waits for its reader); a folder is refused.
 */
static int write_into(const char *path, const struct stat *st,
		      const void *data, size_t len)
{
	int fd, err = HW_OK;

	if (S_ISDIR(st->st_mode))
		return hw_error_set(HW_EIO, path, 0, 0,
				    "cannot write: is a folder");
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hw_error_set(HW_EIO, path, 0, 0, "cannot write: %s",
				    strerror(errno));
	if (hw_write_all(fd, data, len) != HW_OK)
		err = hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				   strerror(errno));
	if (close(fd) != 0 && !err)
		err = hw_error_set(HW_EIO, path, 0, 0, "close failed: %s",
				   strerror(errno));
	return err;
}

/*
 * Writes data to what path names: a regular file (or a new one) through a
 * temporary file and rename(2), never replacing a link, a device, a FIFO or
 * a socket (specs/cli.md, "Inputs and outputs").
 */
/* Implements: FR-CLI-006 */
static int write_atomic(const char *name, const void *data, size_t len,
			int durable)
{
	struct stat st;
	char *path;
	hw_buf tmp;
	int fd = -1, err = HW_OK;

	if (stat(name, &st) == 0 && !S_ISREG(st.st_mode))
		return write_into(name, &st, data, len);
	if (!(path = link_target(name)))
		return hw_error_code();
	hw_buf_init(&tmp, 0);
	if ((err = hw_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()))) {
		free(path);
		return err;
	}
	/* a new file of our own: whatever is at the name (a crashed run's
	 * leftover, or a link planted to be written through) goes first */
	unlink(tmp.data);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		err = hw_error_set(HW_EIO, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		goto cleanup;
	}
	if (hw_write_all(fd, data, len) != HW_OK) {
		err = hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				   strerror(errno));
		goto cleanup;
	}
	/* the data must be on disk before the rename makes it visible */
	if (durable && fsync(fd) != 0 && errno != EINVAL)
		err = hw_error_set(HW_EIO, path, 0, 0, "fsync failed: %s",
				   strerror(errno));
	if (close(fd) != 0 && !err)
		err = hw_error_set(HW_EIO, path, 0, 0, "close failed: %s",
				   strerror(errno));
	if (!err && rename(tmp.data, path) != 0)
		err = hw_error_set(HW_EIO, path, 0, 0, "rename failed: %s",
				   strerror(errno));
	fd = -1; /* closed above, whatever close(2) returned */
cleanup:
	if (fd >= 0)
		close(fd);
	if (err && tmp.data)
		unlink(tmp.data);
	hw_buf_free(&tmp);
	free(path);
	return err;
}

int hw_file_write_atomic(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 1);
}

int hw_file_write_cache(const char *path, const void *data, size_t len)
{
	return write_atomic(path, data, len, 0);
}

int hw_file_create(const char *path, const void *data, size_t len,
		   mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	int err = HW_OK;

	if (fd < 0)
		return hw_error_set(errno == EEXIST ? HW_EINVAL : HW_EIO, path,
				    0, 0, "%s",
				    errno == EEXIST ? "exists; not overwritten"
						    : strerror(errno));
	if (hw_write_all(fd, data, len) || fsync(fd) != 0)
		err = hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				   strerror(errno));
	if (close(fd) != 0 && !err)
		err = hw_error_set(HW_EIO, path, 0, 0, "close failed: %s",
				   strerror(errno));
	if (err)
		unlink(path);
	return err;
}

int hw_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int hw_path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int hw_mkdir_p(const char *path)
{
	char *copy = hw_strdup(path);
	int err = HW_OK;

	HW_CHECK_ALLOC(copy);
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			err = hw_error_set(HW_EIO, copy, 0, 0,
					   "cannot create directory: %s",
					   strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (!err && !hw_path_is_dir(path))
		err = hw_error_set(HW_EIO, path, 0, 0, "not a directory");
	free(copy);
	return err;
}

int hw_mkdir_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int err;

	if (!slash || slash == path)
		return HW_OK; /* the working folder, or / */
	if (!(dir = hw_strndup(path, (size_t)(slash - path))))
		return hw_error_oom();
	err = hw_mkdir_p(dir);
	free(dir);
	return err;
}

char *hw_path_join(const char *a, const char *b)
{
	hw_buf out;

	hw_buf_init(&out, 0);
	if (hw_buf_puts(&out, a) ||
	    (out.len && out.data[out.len - 1] != '/' && hw_buf_putc(&out, '/')) ||
	    hw_buf_puts(&out, b)) {
		hw_buf_free(&out);
		return NULL;
	}
	return hw_buf_detach(&out);
}

int hw_strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void hw_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

int hw_strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
	/* room for s and the NULL after it */
	if (hw_array_grow(v, cap, *n + 1, sizeof(**v), 16)) {
		free(s);
		return HW_ENOMEM;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return HW_OK;
}

int hw_strv_push_copy(char ***v, size_t *n, const char *s, size_t len)
{
	char *copy = hw_strndup(s, len);
	/* at least *n + 1 pointers are there: claiming no more is safe */
	size_t cap = *v ? *n + 1 : 0;

	HW_CHECK_ALLOC(copy);
	return hw_strv_push(v, n, &cap, copy);
}

int hw_dir_list(char ***out, size_t *count, const char *dir,
		const char *suffix)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int err = HW_OK;

	*out = NULL;
	*count = 0;
	if (!d) {
		if (errno == ENOENT)
			return hw_error_set(HW_ENOTFOUND, dir, 0, 0,
					    "no such directory");
		return hw_error_set(HW_EIO, dir, 0, 0, "cannot open: %s",
				    strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		char *path;

		if (e->d_name[0] == '.' || !hw_str_endswith(e->d_name, suffix))
			continue;
		path = hw_path_join(dir, e->d_name);
		if (!path) {
			err = hw_error_oom();
			goto cleanup;
		}
		if ((err = hw_strv_push(&v, &n, &cap, path)))
			goto cleanup;
	}
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v) {
			err = hw_error_oom();
			goto cleanup;
		}
	}
	qsort(v, n, sizeof(*v), hw_strp_cmp);
cleanup:
	closedir(d);
	if (err) {
		if (v)
			v[n] = NULL;
		hw_strv_free(v);
		return err;
	}
	*out = v;
	*count = n;
	return HW_OK;
}

/* Matches one path segment against one pattern segment ('*' and '?'). */
static int segment_match(const char *p, const char *pe, const char *s,
			 const char *se)
{
	const char *star = NULL, *mark = NULL;

	while (s < se) {
		if (p < pe && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (p < pe && *p == '*') {
			star = p++;
			mark = s;
		} else if (star) {
			p = star + 1;
			s = ++mark;
		} else {
			return 0;
		}
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/* Implements: FR-CLI-008 */
static int glob_from(const char *p, const char *s)
{
	for (;;) {
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');

		if (!pe)
			pe = p + strlen(p);
		if (!se)
			se = s + strlen(s);
		if (pe - p == 2 && p[0] == '*' && p[1] == '*') {
			const char *rest = *pe ? pe + 1 : pe;

			if (!*rest)
				return 1; /* trailing ** matches everything */
			/* ** matches zero or more whole segments */
			for (const char *t = s;;) {
				if (glob_from(rest, t))
					return 1;
				t = strchr(t, '/');
				if (!t)
					return 0;
				t++;
			}
		}
		if (!segment_match(p, pe, s, se))
			return 0;
		if (!*pe || !*se)
			return !*pe && !*se;
		p = pe + 1;
		s = se + 1;
	}
}

/* Implements: FR-CLI-008 */
int hw_glob_match(const char *pattern, const char *path)
{
	return glob_from(pattern, path);
}
