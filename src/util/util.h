/*
 * util.h — the foundation every other module stands on.
 *
 * Owns: error codes and the last-error message, diagnostics lists
 * ("FILE:LINE:COL: message"), growable buffers with hard caps, bounded file
 * reading, atomic file writes, UTF-8 validation, SHA-256 (libsodium), small
 * JSON helpers over cJSON, glob matching and the repository configuration
 * (traceability/config.json) with its defaults.
 *
 * Conventions (see specs/architecture.md): functions return 0 or a negative
 * HW_E* code; the message is fetched with hw_error_last(). Out-parameters come
 * first. Nothing here prints except hw_diags_print().
 */
#ifndef HW_UTIL_H
#define HW_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

/* ---- error codes ------------------------------------------------------ */

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

/* Sets the last error to "out of memory" and returns HW_ENOMEM. */
int hw_error_oom(void);

/*
 * In a function that returns an HW_E* code: returns HW_ENOMEM, with the
 * message set, when p is NULL (libgit2's GIT_ERROR_CHECK_ALLOC).
 */
#define HW_CHECK_ALLOC(p)                        \
	do {                                     \
		if (!(p))                        \
			return hw_error_oom();   \
	} while (0)
int hw_error_code(void);
void hw_error_clear(void);

/* ---- growable buffers with a hard cap --------------------------------- */

typedef struct hw_buf {
	char *data;  /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;  /* hard limit on len; appends beyond it fail HW_ETOOBIG */
} hw_buf;

#define HW_BUF_DEFAULT_MAX ((size_t)1 << 30)

void hw_buf_init(hw_buf *b, size_t max);
int hw_buf_append(hw_buf *b, const void *p, size_t n);
/* Makes room for extra more bytes (plus the NUL) without changing len;
 * extra may reach the cap by one byte, so a reader can detect overflow. */
int hw_buf_reserve(hw_buf *b, size_t extra);
int hw_buf_puts(hw_buf *b, const char *s);
int hw_buf_putc(hw_buf *b, char c);
int hw_buf_printf(hw_buf *b, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
void hw_buf_clear(hw_buf *b);

/* A data file compiled into the binary by ci/embed.sh (the site's theme,
 * the planner's default catalogs): its base name, bytes and length. */
typedef struct hw_embedded {
	const char *name;
	const char *data;
	size_t len;
} hw_embedded;
char *hw_buf_detach(hw_buf *b); /* caller frees; buffer is reset */
void hw_buf_free(hw_buf *b);

/* ---- growable arrays -------------------------------------------------- */

/*
 * Makes room for at least one more item in an array of n items of size
 * bytes at *items (a T **, passed as void *) with room for *cap: when
 * n == *cap, the room doubles (to first, from none). Returns HW_OK, or
 * HW_ENOMEM with the message set and the array as it was.
 */
int hw_array_grow(void *items, size_t *cap, size_t n, size_t size,
		  size_t first);

/* The usual call: HW_ARRAY_GROW(list, n, cap) before list[n++] = x. */
#define HW_ARRAY_GROW(arr, n, cap) \
	hw_array_grow(&(arr), &(cap), (n), sizeof(*(arr)), 16)

/* ---- strings ---------------------------------------------------------- */

char *hw_strdup(const char *s);
char *hw_strndup(const char *s, size_t n);
int hw_str_startswith(const char *s, const char *prefix);
int hw_str_endswith(const char *s, const char *suffix);
/* Reads the decimal digits at s (one at least; no sign, no space) into *v;
 * returns the end of the digits, or NULL when there are none or the number
 * does not fit in 64 bits. */
const char *hw_str_u64(const char *s, uint64_t *v);
/* The first occurrence of needle in haystack, ignoring ASCII case. */
const char *hw_strcasestr(const char *haystack, const char *needle);

/*
 * Checks that p[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). Returns 1 when valid; otherwise 0 and *bad is the
 * offset of the first bad byte.
 */
int hw_utf8_valid(const char *p, size_t n, size_t *bad);

/* Line and column (1-based) of byte offset off in p[0..n). */
void hw_text_position(const char *p, size_t n, size_t off, long *line,
		      long *col);

/* ---- diagnostics ------------------------------------------------------ */

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

/* ---- files and paths -------------------------------------------------- */

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
 * is then a miss; the fsync cost a rescan 1.6-4 ms on this VM.
 */
int hw_file_write_cache(const char *path, const void *data, size_t len);
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
/* qsort and bsearch order of an array of strings (char * elements). */
int hw_strp_cmp(const void *a, const void *b);

/*
 * Glob match of a repository-relative path: '*' matches within one path
 * segment, '**' matches any number of whole segments, '?' one character.
 */
int hw_glob_match(const char *pattern, const char *path);

/* ---- running programs -------------------------------------------------- */

/* A command run with a timeout and a cap on each output stream. */
typedef struct hw_cmd_result {
	int status;         /* exit status, -1 when killed or not run */
	int signal;         /* the signal that ended it, 0 when none */
	int timed_out;      /* killed (with its process group) at the deadline */
	int truncated;      /* an output went over max_out; the rest dropped */
	int not_found;      /* exec failed: the tool is not installed */
	hw_buf out;         /* stdout */
	hw_buf err;         /* stderr */
} hw_cmd_result;

/*
 * Runs job(arg, i) once for every i in [0, n), on up to `threads` threads,
 * the calling thread one of them (threads <= 1: all on the caller, in
 * order). Jobs must be independent of each other. A job returns HW_OK, or
 * an HW_E* code with its message set by hw_error_set as usual. Once a job
 * fails, no further job is started. Returns HW_OK when every job did;
 * otherwise the code and message of the failed job with the lowest i, the
 * one a single thread would have stopped at (src/util/thread.c says why).
 */
int hw_tasks_run(size_t n, size_t threads, int (*job)(void *arg, size_t i),
		 void *arg);

/*
 * How many threads `units` of work deserve: one per `per_thread` units (0:
 * one per unit), at least one, at most the CPUs this process may use
 * (taskset and a cgroup's cpuset count). HWLEDGER_THREADS=N overrides the
 * CPU count and the share: N threads (at most one per unit), so that tests
 * compare one thread with several on any machine.
 */
size_t hw_tasks_threads(size_t units, size_t per_thread);

/* Transitional, until the trace scan moves to hw_tasks_run: a plain
 * pthread_create / pthread_join pair with the arguments of the old API. */
typedef struct hw_thread {
	pthread_t tid;
	int started;
} hw_thread;
int hw_thread_start(hw_thread *t, void *(*fn)(void *), void *arg, unsigned k);
int hw_thread_join(hw_thread *t);
int hw_two_threads(size_t units, size_t min);

/*
 * For a command with a large working set: starts the process again (execv
 * of /proc/self/exe with argv) with glibc asked for 2 MiB heap pages, once;
 * returns only when it did not, 1 in the process so started (its marks
 * removed from the environment), 0 otherwise. argv must be valid in the
 * current folder. HWLEDGER_HEAP=plain, a GLIBC_TUNABLES or LD_PRELOAD of
 * the user's, another C library or a sanitizer build: nothing is done.
 */
int hw_heap_tune(char *const argv[]);

/* 1 where a command frees everything it built before it exits (sanitizer
 * and coverage builds, to prove ownership); a release build leaves its
 * largest structures to the process's exit. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||       \
	defined(HW_COVERAGE)
#define HW_FREE_AT_EXIT 1
#else
#define HW_FREE_AT_EXIT 0
#endif

/* Runs argv (PATH searched, stdin /dev/null); 0 unless it cannot start. */
int hw_run(hw_cmd_result *r, char *const argv[], double timeout_s,
	   size_t max_out);
void hw_cmd_result_free(hw_cmd_result *r);
/* Seconds on the monotonic clock (for deadlines and durations). */
double hw_now_s(void);

/* ---- dates ------------------------------------------------------------ */

/*
 * "YYYY-MM-DD" (or "YYYY-MM" when allow_month; its day is the 1st) into
 * ymd: 1 when it is a date from 1970 on with a real month and a day that
 * month can have (February up to 29), else 0.
 */
int hw_date_parse(const char *s, int allow_month, int ymd[3]);
/* Days since 1970-01-01 of a parsed date. */
long hw_date_days(const int ymd[3]);
/* Today in UTC as "YYYY-MM-DD". */
void hw_today(char out[11]);

/* ---- hashing ---------------------------------------------------------- */

#define HW_SHA256_LEN 32
#define HW_SHA256_HEX_LEN 64

/* Must be called once before hashing (libsodium's sodium_init). */
int hw_crypto_init(void);
void hw_sha256(uint8_t out[HW_SHA256_LEN], const void *p, size_t n);
/*
 * A fast 64-bit hash of content, for change detection in caches only (it
 * is not cryptographic: evidence is hashed with hw_sha256).
 */
uint64_t hw_hash64(const void *p, size_t n);

/* Writes 2*n lowercase hex digits and a NUL to out. */
void hw_hex(char *out, const uint8_t *in, size_t n);

/* ---- XML reports through expat ---------------------------------------- */

/*
 * A streaming read of an untrusted XML report: a DOCTYPE (and so any entity)
 * is refused, parameter entities are never parsed, nesting is capped at 64;
 * each problem is one diagnostic in diags at FILE:LINE:COL and stops the
 * parse. The callbacks see elements and text; they call hw_xml_fail (a
 * diagnostic) or hw_xml_stop (another error, such as HW_ENOMEM).
 */
typedef struct hw_xml hw_xml;
struct hw_xml {
	void *xp;               /* the expat parser, during hw_xml_parse */
	hw_diags *diags;
	const char *file;
	const char *what;       /* "test reports", "analyzer reports" */
	void *ud;               /* the caller's state */
	void (*start)(hw_xml *x, const char *el, const char **atts);
	void (*end)(hw_xml *x, const char *el);
	void (*text)(hw_xml *x, const char *s, size_t len);
	int depth;
	int err;                /* HW_EINVAL after a diagnostic */
};

/* 0, HW_EINVAL (a diagnostic was added), or the error a callback set. */
int hw_xml_parse(hw_xml *x, const char *text, size_t len);
void hw_xml_fail(hw_xml *x, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
void hw_xml_stop(hw_xml *x, int err);
const char *hw_xml_attr(const char **atts, const char *key);
long hw_xml_line(const hw_xml *x);

/* ---- JSON helpers over cJSON ------------------------------------------ */

/*
 * Parses path as JSON. A syntax error is HW_EINVAL with "FILE:LINE:COL:
 * invalid JSON"; the file is capped at max bytes.
 */
int hw_json_load(cJSON **out, const char *path, size_t max);
int hw_json_parse(cJSON **out, const char *file, const char *text,
		  size_t len);
/*
 * hw_json_parse for large documents that are read once (analyzer reports):
 * every node lives in one arena, so the parse makes no malloc per node and
 * the tree goes with one hw_json_arena_free (never cJSON_Delete). Not for
 * use while another thread calls cJSON: cJSON's allocation hooks are global
 * and point at the arena for the length of the parse.
 */
typedef struct hw_json_arena hw_json_arena;
int hw_json_parse_arena(cJSON **out, hw_json_arena **arena, const char *file,
			const char *text, size_t len);
void hw_json_arena_free(hw_json_arena *arena);
/* Serialises j (pretty, trailing newline) and writes it atomically. */
int hw_json_write(const char *path, const cJSON *j);
/* Prints j (pretty, trailing newline) to out; fails HW_EIO on write error. */
int hw_json_fprint(FILE *out, const cJSON *j);
/* The string member key of obj, or NULL when it is missing or no string. */
const char *hw_json_str(const cJSON *obj, const char *key);
/* Adds a string only when s is non-NULL; returns 0 or HW_ENOMEM. */
int hw_json_add_str(cJSON *obj, const char *key, const char *s);
int hw_json_add_num(cJSON *obj, const char *key, double v);

/*
 * A streaming JSON writer for large outputs (listings, reports, SARIF):
 * appends straight into a buffer, far cheaper than building a cJSON tree.
 * Errors are sticky: check hw_jw_finish() once at the end.
 */
#define HW_JW_MAX_DEPTH 64

typedef struct hw_jw {
	hw_buf *out;
	int err;
	int depth;
	int pretty;
	int after_key;
	unsigned char count[HW_JW_MAX_DEPTH]; /* 0 = nothing written yet */
	char close[HW_JW_MAX_DEPTH];          /* '}' or ']' */
	FILE *spill; /* when set, full megabytes go here as they are made */
} hw_jw;

void hw_jw_init(hw_jw *w, hw_buf *out, int pretty);
/*
 * Streams: whenever out holds a megabyte, it is written to f and emptied,
 * so a listing of any size needs a megabyte of memory. The caller writes
 * what is left in out after hw_jw_finish. A failed write is HW_EIO.
 */
void hw_jw_spill_to(hw_jw *w, FILE *f);
void hw_jw_object(hw_jw *w);
void hw_jw_array(hw_jw *w);
void hw_jw_end(hw_jw *w); /* closes the innermost object or array */
void hw_jw_key(hw_jw *w, const char *key);
void hw_jw_str(hw_jw *w, const char *s);
void hw_jw_strn(hw_jw *w, const char *s, size_t n);
void hw_jw_int(hw_jw *w, long long v);
void hw_jw_bool(hw_jw *w, int v);
void hw_jw_null(hw_jw *w);
/* A key and its value in one call. */
void hw_jw_kstr(hw_jw *w, const char *key, const char *s);
void hw_jw_kint(hw_jw *w, const char *key, long long v);
void hw_jw_kbool(hw_jw *w, const char *key, int v);
/* Ends the document (adds a newline when pretty); returns the first error. */
int hw_jw_finish(hw_jw *w);
/*
 * Lets another thread write further values of w's innermost container:
 * part starts in w's state, writing into out. hw_jw_join appends what part
 * wrote after w's values (the caller ends part at the depth it began).
 */
void hw_jw_fork(const hw_jw *w, hw_jw *part, hw_buf *out);
void hw_jw_join(hw_jw *w, const hw_jw *part);

/* ---- repository configuration (traceability/config.json) -------------- */

#define HW_CONFIG_PATH "traceability/config.json"
#define HW_POLICY_PATH "traceability/policy.json"
#define HW_CONFIG_SCHEMA "hwledger.config/1"
#define HW_DEFAULT_MAX_FILE_BYTES ((size_t)4 << 20)

typedef struct hw_config {
	char *frs_dir;          /* default "frs" */
	char **sources;         /* NULL-terminated globs */
	char **tests;
	char **exclude;
	char **vendored;        /* left out like exclude, with a warning;
				 * default: folders named unity, third_party
				 * and vendor anywhere */
	char **test_functions;  /* name globs of tests in test files;
				 * default test_* */
	int orphans_run;        /* "orphan_tests": "run": only a function a
				 * result names is an orphan, not every name */
	size_t max_file_bytes;  /* cap on every input file; default 4 MiB */
	int from_file;          /* 1 when read from HW_CONFIG_PATH */
	char **sast_scope;      /* "sast": {"scope": [...]}; NULL: the sources */
} hw_config;

/* Fills c with the defaults of the brief (used when no config exists). */
int hw_config_defaults(hw_config *c);
/*
 * Loads HW_CONFIG_PATH relative to the current directory, or the defaults
 * when it does not exist. Unknown keys and wrong types are HW_EINVAL with
 * file:line:col.
 */
int hw_config_load(hw_config *c);
void hw_config_free(hw_config *c);
/* The default config.json text that `hwledger init` writes. */
const char *hw_config_default_text(void);
const char *hw_policy_default_text(void);

#endif
