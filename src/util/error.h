/*
 * util/error.h — errors and diagnostics: HW_E* codes, the last-error
 * message, allocation checks and lists of "FILE:LINE:COL: message"
 * diagnostics.
 */
#ifndef HW_UTIL_ERROR_H
#define HW_UTIL_ERROR_H

#include <stdarg.h>
#include <stdio.h>

enum {
	HW_OK = 0,
	HW_EINVAL = -1,    /* bad input: malformed file, bad value (exit 2) */
	HW_EUSAGE = -2,    /* bad command line (exit 2) */
	HW_ETOOBIG = -3,   /* input over a size cap (exit 2) */
	HW_ENOMEM = -4,    /* allocation failed (exit 3) */
	HW_EIO = -5,       /* I/O or environment failure (exit 3) */
	HW_ENOTFOUND = -6, /* a file or record that must exist does not (exit 2) */
	HW_ENOTIMPL = -7,  /* a command that is not built yet (exit 3) */
	HW_EFAIL = -8      /* a check or gate failed (exit 1) */
};

/* Process exit codes of the CLI contract. */
enum { HW_EXIT_OK = 0, HW_EXIT_FAIL = 1, HW_EXIT_BADINPUT = 2, HW_EXIT_ENV = 3 };

/* Maps an HW_E* code to the CLI exit code. */
int hw_exit_code(int err);

/*
 * Records the last error as "FILE:LINE:COL: message" (parts omitted when file
 * is NULL or line/col are 0) and returns code, so callers can write
 * `return hw_error_set(HW_EINVAL, path, 3, 0, "bad %s", x);`.
 */
int hw_error_set(int code, const char *file, long line, long col,
		 /* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int hw_error_setv(int code, const char *file, long line, long col,
		  const char *fmt, va_list ap);
const char *hw_error_last(void);
/* The same, less a leading "FILE: " when it names file: for a message
 * shown beside a position of the caller's own. */
const char *hw_error_last_about(const char *file);

/* Sets the last error to "out of memory" and returns HW_ENOMEM (inline,
 * so that an analyzer sees the constant it returns). */
static inline int hw_error_oom(void)
{
	hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	return HW_ENOMEM;
}

/*
 * In a function that returns an HW_E* code: returns HW_ENOMEM, with the
 * message set, when p is NULL (libgit2's GIT_ERROR_CHECK_ALLOC). The
 * constant return lets an analyzer see that the call failed.
 */
#define HW_CHECK_ALLOC(p)                        \
	do {                                     \
		if (!(p)) {                      \
			hw_error_oom();          \
			return HW_ENOMEM;        \
		}                                \
	} while (0)
int hw_error_code(void);
void hw_error_clear(void);

typedef enum { HW_DIAG_ERROR, HW_DIAG_WARNING } hw_diag_level;

typedef struct hw_diag {
	hw_diag_level level;
	char *file;
	long line;
	long col;
	char *message;
} hw_diag;

typedef struct hw_diags {
	hw_diag *items;
	size_t n;
	size_t cap;
	size_t errors;
	size_t warnings;
} hw_diags;

void hw_diags_init(hw_diags *d);
int hw_diags_add(hw_diags *d, hw_diag_level level, const char *file,
		 long line, long col, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 6, 7)));
/* Adds the current hw_error_last() message as an error. */
int hw_diags_add_last_error(hw_diags *d);
/* Sorts by file, line, column (stable for equal positions). */
/* Copies every diagnostic of from after those of to, in order. */
int hw_diags_append(hw_diags *to, const hw_diags *from);
void hw_diags_sort(hw_diags *d);
/* Prints one "hwledger: FILE:LINE:COL: [warning: ]message" line per item. */
void hw_diags_print(const hw_diags *d, FILE *out, int color);
void hw_diags_free(hw_diags *d);

#endif
