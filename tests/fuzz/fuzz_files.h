/*
 * fuzz_files.h — what the fuzz targets that read files from a working
 * folder share: the input written as a file, and a folder of their own.
 */
#ifndef HW_FUZZ_FILES_H
#define HW_FUZZ_FILES_H

#include "util/error.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void fuzz_put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

/* Enters dir, made from its mkdtemp template first unless made; the
 * folder to come back to with fuzz_leave before the target returns (the
 * fuzzer's corpus paths are relative to it). */
static inline int fuzz_enter(char *dir, int made)
{
	int back = open(".", O_RDONLY | O_DIRECTORY);

	if (back < 0 || (!made && !mkdtemp(dir)) || chdir(dir) != 0)
		abort();
	return back;
}

static inline void fuzz_leave(int back)
{
	if (fchdir(back) != 0)
		abort();
	close(back);
}

/* Aborts unless the last error, a refusal of the file at path, names it
 * and a line: "PATH:LINE". */
static inline void fuzz_names_line(const char *path)
{
	const char *m = hw_error_last();
	size_t n = strlen(path);

	if (strncmp(m, path, n) != 0 || m[n] != ':' || m[n + 1] < '1' ||
	    m[n + 1] > '9') {
		fprintf(stderr, "refused without a line: %s\n", m);
		abort();
	}
}

#endif
