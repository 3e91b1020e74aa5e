/*
 * json.c — loading, printing and writing JSON through cJSON, with positions
 * in error messages and atomic writes.
 */
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Implements: FR-CLI-005 */
int hw_json_parse(cJSON **out, const char *file, const char *text,
		  size_t len)
{
	const char *end = NULL, *nul = memchr(text, '\0', len);
	long line, col;

	*out = NULL;
	if (nul) {
		/* at the NUL, as every other refusal of a file's text */
		hw_text_position(text, len, (size_t)(nul - text), &line, &col);
		return hw_error_set(HW_EINVAL, file, line, col,
				    "invalid JSON: contains a NUL byte");
	}
	*out = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (*out) {
		/* cJSON stops after the first value; anything but whitespace
		 * after it is an error */
		while (end < text + len &&
		       (*end == ' ' || *end == '\t' || *end == '\n' ||
			*end == '\r'))
			end++;
		if (end == text + len)
			return HW_OK;
		cJSON_Delete(*out);
		*out = NULL;
	}
	if (!end || end < text || end > text + len)
		end = text + len;
	hw_text_position(text, len, (size_t)(end - text), &line, &col);
	return hw_error_set(HW_EINVAL, file, line, col, "invalid JSON");
}

size_t hw_json_nul_escape(const char *text, size_t len)
{
	int in_string = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '"') {
			in_string = !in_string;
		} else if (in_string && text[i] == '\\') {
			if (i + 5 < len && !memcmp(text + i + 1, "u0000", 5))
				return i;
			i++; /* the escaped character, a quote included */
		}
	}
	return len;
}

/*
 * Blocks of 8 MiB (or one allocation's size), mapped directly and chained;
 * allocations are bumped, never freed. Where the kernel allows, the blocks
 * use huge pages: a 50,000-result report is some 60 MB of nodes, and 4 KiB
 * pages cost a page fault each.
 */
#define ARENA_BLOCK ((size_t)8 << 20)

struct hw_json_arena {
	struct hw_json_arena *next;
	size_t used, cap, mapped;
	max_align_t data[];
};

static hw_json_arena *parsing; /* the arena of the parse under way */

static void *arena_alloc(size_t n)
{
	hw_json_arena *a = parsing;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t);
	if (!a || a->cap - a->used < n) {
		size_t size = sizeof(*a) + (n > ARENA_BLOCK ? n : ARENA_BLOCK);
		hw_json_arena *b;

		b = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED)
			return NULL;
#ifdef MADV_HUGEPAGE
		madvise(b, size, MADV_HUGEPAGE);
#endif
		b->next = a;
		b->used = 0;
		b->mapped = size;
		b->cap = size - sizeof(*b);
		parsing = a = b;
	}
	a->used += n;
	return (char *)a->data + a->used - n;
}

static void arena_release(void *p)
{
	(void)p; /* the whole arena goes at once */
}

void hw_json_arena_free(hw_json_arena *a)
{
	while (a) {
		hw_json_arena *next = a->next;

		munmap(a, a->mapped);
		a = next;
	}
}

int hw_json_parse_arena(cJSON **out, hw_json_arena **arena, const char *file,
			const char *text, size_t len)
{
	cJSON_Hooks arena_hooks = {arena_alloc, arena_release}, plain = {0};
	int err;

	parsing = NULL;
	cJSON_InitHooks(&arena_hooks);
	err = hw_json_parse(out, file, text, len);
	cJSON_InitHooks(&plain);
	*arena = parsing;
	parsing = NULL;
	if (err) {
		/* hw_json_parse's cJSON_Delete on trailing garbage released
		 * nothing: the arena holds it all */
		hw_json_arena_free(*arena);
		*arena = NULL;
	}
	return err;
}

int hw_json_load(cJSON **out, const char *path, size_t max)
{
	hw_buf b;
	int err;

	*out = NULL;
	hw_buf_init(&b, max);
	err = hw_file_read(&b, path, max);
	if (!err)
		err = hw_json_parse(out, path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}

static char *json_text(const cJSON *j)
{
	char *s = cJSON_Print(j);
	size_t n;
	char *t;

	if (!s)
		return NULL;
	n = strlen(s);
	t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return NULL;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	return t;
}

/* Implements: FR-CLI-006 */
int hw_json_write(const char *path, const cJSON *j)
{
	char *s = json_text(j);
	int err;

	if (!s)
		return hw_error_set(HW_ENOMEM, path, 0, 0, "out of memory");
	err = hw_file_write_atomic(path, s, strlen(s));
	free(s);
	return err;
}

int hw_json_fprint(FILE *out, const cJSON *j)
{
	char *s = json_text(j);
	int err = HW_OK;

	HW_CHECK_ALLOC(s);
	if (fputs(s, out) == EOF || fflush(out) != 0)
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "cannot write JSON output");
	free(s);
	return err;
}

int hw_json_add_str(cJSON *obj, const char *key, const char *s)
{
	if (!s)
		return HW_OK;
	if (!cJSON_AddStringToObject(obj, key, s))
		return hw_error_oom();
	return HW_OK;
}

int hw_json_add_num(cJSON *obj, const char *key, double v)
{
	if (!cJSON_AddNumberToObject(obj, key, v))
		return hw_error_oom();
	return HW_OK;
}

static size_t json_ws(const char *s, size_t len, size_t i)
{
	while (i < len && strchr(" \t\r\n", s[i]))
		i++;
	return i;
}

/* The index after the value at i (a valid document: no checks but the
 * end of the text). Strings are skipped whole, so brackets in them do not
 * count. */
static size_t json_skip(const char *s, size_t len, size_t i)
{
	int depth = 0;

	do {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
		} else if (!depth) {
			/* a number, true, false or null */
			while (i + 1 < len && !strchr(",}] \t\r\n", s[i + 1]))
				i++;
		}
		i++;
	} while (depth > 0 && i < len);
	return i;
}

/* The offset of the value at path (see hw_json_line), or len if none. */
static size_t json_find(const char *text, size_t len, const char *const *path)
{
	size_t i = json_ws(text, len, 0);

	for (; *path; path++) {
		size_t klen = strlen(*path), n = 0;
		char open = i < len ? text[i] : 0, *end;
		unsigned long want = strtoul(*path, &end, 10);

		if (open != '{' && (open != '[' || !klen || *end))
			return len;
		for (i = json_ws(text, len, i + 1);; n++) {
			if (i >= len || text[i] == '}' || text[i] == ']')
				return len;
			if (open == '{') {
				size_t k = i;

				i = json_ws(text, len, json_skip(text, len, i));
				i = json_ws(text, len, i + 1); /* the ':' */
				if (i - k > klen + 1 && text[k + klen + 1] == '"' &&
				    !memcmp(text + k + 1, *path, klen))
					break;
			} else if (n == want) {
				break;
			}
			i = json_ws(text, len, json_skip(text, len, i));
			if (i >= len || text[i] != ',')
				return len;
			i = json_ws(text, len, i + 1);
		}
	}
	return i;
}

/* A position in a text: moved forward only, so that finding many
 * positions in order reads the text once. Columns count characters (UTF-8
 * lead bytes). */
typedef struct json_pos {
	size_t off;
	long line, col;
} json_pos;

static void json_move(json_pos *p, const char *text, size_t to)
{
	for (; p->off < to; p->off++) {
		if (text[p->off] == '\n')
			p->line++, p->col = 1;
		else if (((unsigned char)text[p->off] & 0xC0) != 0x80)
			p->col++;
	}
}

long hw_json_line(const char *text, size_t len, const char *const *path,
		  long *col)
{
	size_t i = json_find(text, len, path);
	json_pos p = {0, 1, 1};

	if (i >= len)
		return 0;
	json_move(&p, text, i);
	if (col)
		*col = p.col;
	return p.line;
}

long hw_json_item_line(const char *text, size_t len, const char *list,
		       long i)
{
	char idx[24];
	long line;

	snprintf(idx, sizeof(idx), "%ld", i);
	line = hw_json_line(text, len,
			    (const char *const[]){list, i < 0 ? NULL : idx,
						  NULL},
			    NULL);
	return line > 0 ? line : 1;
}

size_t hw_json_lines(const char *text, size_t len, const char *const *path,
		     long *lines, long *cols, size_t n)
{
	size_t i = json_find(text, len, path), k = 0;
	json_pos p = {0, 1, 1};
	char open = i < len ? text[i] : 0;

	if (open != '[' && open != '{')
		return 0;
	for (i = json_ws(text, len, i + 1);
	     k < n && i < len && text[i] != (open == '[' ? ']' : '}'); k++) {
		json_move(&p, text, i);
		lines[k] = p.line;
		cols[k] = p.col;
		if (open == '{') /* the member's key, then the ':' */
			i = json_ws(text, len,
				    json_ws(text, len, json_skip(text, len, i)) +
					    1);
		i = json_ws(text, len, json_skip(text, len, i));
		if (i < len && text[i] == ',')
			i = json_ws(text, len, i + 1);
	}
	return k;
}

const char *hw_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}
