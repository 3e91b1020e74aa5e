/*
 * util/json.h — JSON over cJSON, and a streaming JSON writer.
 */
#ifndef HW_UTIL_JSON_H
#define HW_UTIL_JSON_H

#include <stdio.h>

#include <cJSON.h>

#include "buf.h"

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
/*
 * Where a value of a document that hw_json_parse accepted starts, for
 * messages: path is a NULL-terminated list of steps from the root, each an
 * object's key (as written, without escapes) or an array's index in
 * decimal, e.g. (const char *const[]){"levels", "2", NULL}. Returns the
 * 1-based line and sets *col (when col is not NULL) to the column, or
 * returns 0 (*col untouched) when the path names no value.
 */
long hw_json_line(const char *text, size_t len, const char *const *path,
		  long *col);
/* The line where entry i of the root's array `list` starts (i < 0: where
 * the list does), or 1 when there is none: for a message about an entry. */
long hw_json_item_line(const char *text, size_t len, const char *list,
		       long i);
/*
 * The lines and columns of the first n elements of the array at path (or
 * of the keys of the first n members of the object there), read in one
 * pass (hw_json_line reads the text from its start on each call);
 * returns how many it found.
 */
size_t hw_json_lines(const char *text, size_t len, const char *const *path,
		     long *lines, long *cols, size_t n);
/*
 * The offset of the first \u0000 escape inside a string (or key) of a JSON
 * text, or len when there is none: cJSON decodes it to a NUL byte, which
 * cuts the C string it reads there short.
 */
size_t hw_json_nul_escape(const char *text, size_t len);
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
/* A value already written as JSON by someone the caller checked (a
 * document it parsed), copied as it is. */
void hw_jw_raw(hw_jw *w, const char *json, size_t n);
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

#endif
