/*
 * error.c — the last-error message and diagnostics lists.
 *
 * Every failing function records one message here before returning its
 * negative code; the CLI prints it as "hwledger: MESSAGE". Lint-style
 * commands that find many problems collect them in an hw_diags list instead.
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local char last_message[1024];
static _Thread_local int last_code;

/* Implements: FR-CLI-002 */
int hw_exit_code(int err)
{
	switch (err) {
	case HW_OK:
		return HW_EXIT_OK;
	case HW_EFAIL:
		return HW_EXIT_FAIL;
	case HW_EINVAL:
	case HW_EUSAGE:
	case HW_ETOOBIG:
	case HW_ENOTFOUND:
		return HW_EXIT_BADINPUT;
	default:
		return HW_EXIT_ENV;
	}
}

static size_t format_position(char *out, size_t size, const char *file,
			      long line, long col)
{
	int n = 0;

	out[0] = '\0';
	if (file && line > 0 && col > 0)
		n = snprintf(out, size, "%s:%ld:%ld: ", file, line, col);
	else if (file && line > 0)
		n = snprintf(out, size, "%s:%ld: ", file, line);
	else if (file)
		n = snprintf(out, size, "%s: ", file);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Implements: FR-CLI-005 */
int hw_error_setv(int code, const char *file, long line, long col,
		  const char *fmt, va_list ap)
{
	size_t used = format_position(last_message, sizeof(last_message),
				      file, line, col);

	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(last_message + used, sizeof(last_message) - used, fmt, ap);
	last_code = code;
	return code;
}

int hw_error_set(int code, const char *file, long line, long col,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hw_error_setv(code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

const char *hw_error_last(void)
{
	return last_message[0] ? last_message : "no error";
}

const char *hw_error_last_about(const char *file)
{
	const char *m = hw_error_last();
	size_t n = strlen(file);

	if (!strncmp(m, file, n) && m[n] == ':' && m[n + 1] == ' ')
		m += n + 2;
	return m;
}

int hw_error_code(void)
{
	return last_code;
}

void hw_error_clear(void)
{
	last_message[0] = '\0';
	last_code = HW_OK;
}

void hw_diags_init(hw_diags *d)
{
	memset(d, 0, sizeof(*d));
}

static int diags_push(hw_diags *d, hw_diag_level level, const char *file,
		      long line, long col, char *message)
{
	hw_diag *item;

	if (HW_ARRAY_GROW(d->items, d->n, d->cap)) {
		free(message);
		return HW_ENOMEM;
	}
	item = &d->items[d->n];
	item->level = level;
	item->file = file ? hw_strdup(file) : NULL;
	item->line = line;
	item->col = col;
	item->message = message;
	if (file && !item->file) {
		free(message);
		return hw_error_oom();
	}
	d->n++;
	if (level == HW_DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	return HW_OK;
}

int hw_diags_add(hw_diags *d, hw_diag_level level, const char *file,
		 long line, long col, const char *fmt, ...)
{
	hw_buf b;
	va_list ap;
	int n;

	hw_buf_init(&b, 64 * 1024);
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return hw_error_set(HW_EINVAL, NULL, 0, 0, "bad format");
	b.data = malloc((size_t)n + 1);
	HW_CHECK_ALLOC(b.data);
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return diags_push(d, level, file, line, col, b.data);
}

int hw_diags_add_last_error(hw_diags *d)
{
	char *message = hw_strdup(hw_error_last());

	HW_CHECK_ALLOC(message);
	return diags_push(d, HW_DIAG_ERROR, NULL, 0, 0, message);
}

/* Implements: FR-CLI-002 */
int hw_diags_append(hw_diags *to, const hw_diags *from)
{
	int err = HW_OK;

	for (size_t i = 0; !err && i < from->n; i++)
		err = hw_diags_add(to, from->items[i].level,
				   from->items[i].file, from->items[i].line,
				   from->items[i].col, "%s",
				   from->items[i].message);
	return err;
}

static int diag_cmp(const void *a, const void *b)
{
	const hw_diag *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* equal positions keep insertion order (messages are owned pointers,
	 * so comparing their addresses is not meaningful; compare text) */
	return strcmp(x->message, y->message);
}

/* Implements: FR-CLI-005 */
void hw_diags_sort(hw_diags *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof(*d->items), diag_cmp);
}

/* Implements: FR-CLI-005 */
void hw_diags_print(const hw_diags *d, FILE *out, int color)
{
	for (size_t i = 0; i < d->n; i++) {
		const hw_diag *g = &d->items[i];
		char pos[512];

		format_position(pos, sizeof(pos), g->file, g->line, g->col);
		if (g->level == HW_DIAG_WARNING)
			fprintf(out, "hwledger: %s%swarning:%s %s\n", pos,
				color ? "\033[33m" : "", color ? "\033[0m" : "",
				g->message);
		else
			fprintf(out, "hwledger: %s%s\n", pos, g->message);
	}
}

void hw_diags_free(hw_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	hw_diags_init(d);
}
