/*
 * util/file.h — bounded file reading, atomic writes, paths, folder
 * listings and globs.
 */
#ifndef HW_UTIL_FILE_H
#define HW_UTIL_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/*
 * Reads a whole regular file into out (NUL-terminated). Fails HW_ETOOBIG when
 * it is larger than max, HW_ENOTFOUND when absent, HW_EIO otherwise; the
 * error names the path.
 */
int hw_file_read(hw_buf *out, const char *path, size_t max);
struct stat;
/*
 * Opens path for reading and returns its descriptor, *st its stat: only a
 * regular file is opened ("not a regular file", HW_EINVAL, for a FIFO, a
 * device, a socket or a folder), and a FIFO never blocks the open. Every
 * reader of a named file goes through this (or hw_file_read, which does).
 * A negative return is the HW_* error, recorded with the path.
 */
int hw_file_open_read(const char *path, struct stat *st);
/*
 * dlopen(name, RTLD_NOW | RTLD_LOCAL) that never waits: a name with a '/'
 * is opened by hw_file_open_read first (dlopen of a FIFO waits for a
 * writer forever). NULL with *why (dlerror's text, or the error recorded;
 * why may be NULL) when it cannot be loaded.
 */
void *hw_dlopen(const char *name, const char **why);

/* A library opened with hw_lib_load on first use; its failure is kept. */
typedef struct hw_lib {
	int state;          /* 0 not tried, 1 loaded, -1 failed */
	char why[256];
} hw_lib;

/*
 * Opens the library named by the variable env (soname when it is unset or
 * empty) once, and sets *slots[i] (each the address of a function pointer)
 * to its symbol names[i]. HW_EIO "cannot load LABEL (CAUSE), which USER
 * needs" or "LIB has no NAME" when it cannot, the first time and every
 * time after. Not for two threads at once.
 */
int hw_lib_load(hw_lib *l, const char *env, const char *soname,
		const char *label, const char *user, const char *const *names,
		void *const *slots, size_t n);
/* hw_file_read that also returns the opened file's stat (may be NULL). */
int hw_file_read_stat(hw_buf *out, const char *path, size_t max,
		      struct stat *st_out);
/*
 * A text file read whole that holds a NUL byte: HW_EINVAL naming path and
 * the byte's line and column, "binary data (a NUL byte) in <what>"; HW_OK
 * when there is none. A reader that walks the text as C strings would
 * otherwise stop at the NUL and silently ignore the rest of the file.
 */
int hw_text_refuse_nul(const char *data, size_t len, const char *path,
		       const char *what);

/*
 * Writes data to path atomically: a temporary file beside it, fsync, rename.
 * A failure leaves any previous file untouched and no temporary behind.
 */
int hw_file_write_atomic(const char *path, const void *data, size_t len);
/*
 * The same without the fsync, for a cache whose reader checks what it reads
 * (the trace memo's checksum): after a crash it may be lost or damaged, and
 * is then a miss, which costs less than waiting for the disk on every run.
 */
int hw_file_write_cache(const char *path, const void *data, size_t len);
/*
 * Creates path with mode and writes data to it, never replacing anything:
 * an existing path is HW_EINVAL "exists; not overwritten". A failed write
 * removes the file it created. For private keys (mode 0600) and the other
 * files a user may own.
 */
int hw_file_create(const char *path, const void *data, size_t len,
		   mode_t mode);
/* write(2) until all len bytes are written (EINTR retried); HW_EIO with
 * errno set on failure, no error recorded. */
int hw_write_all(int fd, const void *data, size_t len);

int hw_path_exists(const char *path);
int hw_path_is_dir(const char *path);
/* Creates dir and its parents (mode 0755); existing directories are fine. */
int hw_mkdir_p(const char *path);
/* Creates the folder that holds path, and its parents (nothing to do for a
 * path without a folder part). */
int hw_mkdir_parent(const char *path);
/* Joins a and b with one '/'; caller frees. */
char *hw_path_join(const char *a, const char *b);

/*
 * Lists the regular files directly in dir whose names end with suffix, sorted
 * by name, as "dir/name" strings. *out is a NULL-terminated array the caller
 * frees with hw_strv_free().
 */
int hw_dir_list(char ***out, size_t *count, const char *dir,
		const char *suffix);
void hw_strv_free(char **v);
/* Appends s, taken over, to the NULL-terminated vector *v of *n strings
 * with room for *cap pointers (all 0 for a new one). On failure s is freed
 * and the vector is as it was. */
int hw_strv_push(char ***v, size_t *n, size_t *cap, char *s);
/* Appends a copy of s[0..len) to the NULL-terminated vector *v of *n
 * strings whose room is not kept (each append reallocates). */
int hw_strv_push_copy(char ***v, size_t *n, const char *s, size_t len);
/* qsort and bsearch order of an array of strings (char * elements). */
int hw_strp_cmp(const void *a, const void *b);

/*
 * Glob match of a repository-relative path: '*' matches within one path
 * segment, '**' matches any number of whole segments, '?' one character.
 */
int hw_glob_match(const char *pattern, const char *path);

#endif
