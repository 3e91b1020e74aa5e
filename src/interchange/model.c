/*
 * model.c — the imported requirements, their IDs and statuses, and writing
 * them as requirement Markdown files without replacing what a user owns.
 */
#include "interchange/interchange.h"
#include "util/json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The first line of every file the import writes: the hash lets a later
 * import see whether someone edited the file since (specs/interchange.md,
 * "Writing files"). */
#define MARKER "<!-- hwledger import "
#define MARKER_HASH "sha256 "

void hw_imp_set_init(hw_imp_set *s, const char *format)
{
	memset(s, 0, sizeof(*s));
	s->format = format;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void hw_imp_set_free(hw_imp_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		hw_imp_req *r = &s->items[i];

		free(r->id);
		free(r->title);
		free(r->text);
		free(r->status);
		free(r->needs);
		strv_free(r->parents, r->nparents);
		strv_free(r->depends, r->ndepends);
		free(r->rationale);
		strv_free(r->attr_names, r->nattrs);
		strv_free(r->attr_values, r->nattrs);
		free(r->src_file);
	}
	free(s->items);
	for (size_t i = 0; i < s->nouts; i++) {
		free(s->outs[i].file);
		free(s->outs[i].title);
		free(s->outs[i].dir);
	}
	free(s->outs);
	memset(s, 0, sizeof(*s));
}

/* Appends a copy of str to the NULL-terminated vector *v of *n items. */
int hw_imp_push(char ***v, size_t *n, const char *str)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	HW_CHECK_ALLOC(nv);
	*v = nv;
	HW_CHECK_ALLOC(nv[*n] = hw_strdup(str));
	nv[++*n] = NULL;
	return 0;
}

/* Makes s one line: a control character (a newline above all) becomes a
 * space, so a foreign title cannot start a line of the file written,
 * such as a requirement heading of its own. s may be NULL. */
static char *one_line(char *s)
{
	for (char *c = s; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return s;
}

/* Whether s is NULL or holds nothing but spaces and control characters:
 * as a title (an empty heading above an OFT item, a blank first heading
 * of a file), none, which the lint refuses. */
static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s) && (unsigned char)*s >= 0x20 &&
		    *s != 0x7f)
			return 0;
	return 1;
}

static int out_in(hw_imp_set *s, const char *dir, const char *name,
		  const char *title, size_t *out)
{
	char clean[128];
	hw_imp_file *o;
	size_t k = 0;

	/* a file name of letters, digits, '.', '_' and '-' only: never a path */
	for (const char *p = name; *p && k + 4 < sizeof(clean); p++) {
		int keep = isalnum((unsigned char)*p) || *p == '_' ||
			   *p == '-' || (*p == '.' && k > 0);

		clean[k++] = keep ? *p : '-';
	}
	if (k == 0)
		clean[k++] = 'x';
	memcpy(clean + k, ".md", 4);
	for (size_t i = 0; i < s->nouts; i++)
		if (strcmp(s->outs[i].file, clean) == 0 &&
		    (dir && s->outs[i].dir ? strcmp(dir, s->outs[i].dir) == 0
					   : dir == s->outs[i].dir)) {
			*out = i;
			return 0;
		}
	if (HW_ARRAY_GROW(s->outs, s->nouts, s->outcap))
		return HW_ENOMEM;
	o = &s->outs[s->nouts];
	o->file = hw_strdup(clean);
	o->title = one_line(hw_strdup(blank(title) ? name : title));
	o->dir = dir ? hw_strdup(dir) : NULL;
	if (!o->file || !o->title || (dir && !o->dir)) {
		free(o->file);
		free(o->title);
		free(o->dir);
		return hw_error_oom();
	}
	*out = s->nouts++;
	return 0;
}

int hw_imp_out(hw_imp_set *s, const char *name, const char *title,
	       size_t *out)
{
	return out_in(s, NULL, name, title, out);
}

int hw_imp_place(hw_imp_set *s, const hw_frs_model *m, hw_diags *diags)
{
	size_t nouts = s->nouts;

	if (!m || !m->nlevels)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		hw_imp_req *r = &s->items[i];
		int l = hw_frs_model_level(m, r->id, NULL);
		char name[128];
		size_t len;
		int err;

		if (l < 0) {
			l = (int)m->nlevels - 1;
			if (hw_diags_add(diags, HW_DIAG_WARNING, r->src_file,
					 r->src_line, 0,
					 "%s matches no level of the config: "
					 "written to the lowest level's folder",
					 r->id))
				return HW_ENOMEM;
		}
		if (r->out >= nouts)
			continue;
		/* the same file name, without ".md", in the level's folder */
		len = strlen(s->outs[r->out].file) - 3;
		snprintf(name, sizeof(name), "%.*s", (int)len,
			 s->outs[r->out].file);
		/* the title is a string of its own: out_in may move outs */
		err = out_in(s, m->levels[l].dir, name, s->outs[r->out].title,
			     &r->out);
		if (err)
			return err;
	}
	return 0;
}

int hw_imp_add(hw_imp_set *s, hw_imp_req **out, size_t file_index,
	       const char *id, const char *title, const char *text,
	       const char *src_file, long src_line)
{
	hw_imp_req *r;

	if (HW_ARRAY_GROW(s->items, s->n, s->cap))
		return hw_error_oom();
	r = &s->items[s->n++];
	memset(r, 0, sizeof(*r));
	r->rev = 1;
	r->out = file_index;
	r->id = hw_strdup(id);
	r->title = one_line(hw_strdup(blank(title) ? id : title));
	r->text = hw_strdup(text);
	r->status = hw_strdup("draft");
	r->src_file = hw_strdup(src_file);
	r->src_line = src_line;
	HW_CHECK_ALLOC(r->id && r->title && r->text && r->status &&
		       r->src_file);
	*out = r;
	return 0;
}

char *hw_imp_id(const char *foreign, int *changed)
{
	size_t n = strlen(foreign), k = 0, letters = 0;
	char *out;

	*changed = 0;
	if (n && n <= HW_FR_ID_MAX && hw_req_id_len(foreign, n) == n)
		return hw_strdup(foreign);
	*changed = 1;
	out = malloc(n + 5);
	if (!out)
		return NULL;
	for (const char *p = foreign; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) || (c == '_' && k))
			out[k++] = (char)toupper(c);
		else if (k && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k && (out[k - 1] == '-' || out[k - 1] == '_'))
		k--;
	out[k] = '\0';
	while (letters < k && isupper((unsigned char)out[letters]))
		letters++;
	if (k && (letters < 2 || out[letters] != '-')) {
		memmove(out + 4, out, k + 1);
		memcpy(out, "REQ-", 4);
		k += 4;
	}
	if (!k || k > HW_FR_ID_MAX || hw_req_id_len(out, k) != k) {
		free(out);
		return NULL;
	}
	return out;
}

const char *hw_imp_status(const char *word)
{
	static const char *const map[][2] = {
		{"draft", "draft"},         {"proposed", "draft"},
		{"new", "draft"},           {"in work", "draft"},
		{"approved", "approved"},   {"accepted", "approved"},
		{"released", "approved"},   {"valid", "approved"},
		{"deprecated", "deprecated"}, {"rejected", "deprecated"},
		{"obsolete", "deprecated"}, {"deleted", "deprecated"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(word, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

int hw_imp_note(hw_buf *list, const char *name, size_t n)
{
	const char *q = list->data;

	for (size_t i = 0; q && i + n <= list->len; i++)
		if ((i == 0 || q[i - 1] == ' ') && memcmp(q + i, name, n) == 0 &&
		    (i + n == list->len || q[i + n] == ','))
			return 0;
	return hw_buf_printf(list, "%s%.*s", list->len ? ", " : "", (int)n,
			     name);
}

void hw_xml_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\n')
			fputs("&#10;", out);
		else if (c < 0x20 && c != '\t' && c != '\r')
			fputc('?', out);
		else
			fputc(c, out);
	}
}

char *hw_imp_text(const char *t)
{
	hw_buf b;
	int fence = 0;

	hw_buf_init(&b, 0);
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);
		int h = 0;

		if (n >= 3 && (strncmp(t, "```", 3) == 0 ||
			       strncmp(t, "~~~", 3) == 0))
			fence = !fence;
		while (!fence && h < 3 && t[h] == '#')
			h++;
		if (!fence && (h == 1 || h == 2) && (t[h] == ' ' || t[h] == '\n' || !t[h]) &&
		    hw_buf_puts(&b, h == 1 ? "##" : "#"))
			goto oom;
		if (hw_buf_append(&b, t, n) || (nl && hw_buf_putc(&b, '\n')))
			goto oom;
		t = nl ? nl + 1 : t + n;
	}
	while (b.len && isspace((unsigned char)b.data[b.len - 1]))
		b.len--;
	if (!b.data)
		return hw_strdup("");
	b.data[b.len] = '\0';
	return hw_buf_detach(&b);
oom:
	hw_buf_free(&b);
	return NULL;
}

static int id_cmp(const void *a, const void *b)
{
	const hw_imp_req *x = *(hw_imp_req *const *)a;
	const hw_imp_req *y = *(hw_imp_req *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x < y ? -1 : x > y);
}

int hw_imp_check(const hw_imp_set *s, hw_diags *diags)
{
	const hw_imp_req **v;

	if (!s->n)
		return 0;
	v = malloc(s->n * sizeof(const hw_imp_req *));
	HW_CHECK_ALLOC(v);
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->items[i];
	qsort(v, s->n, sizeof(const hw_imp_req *), id_cmp);
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(v[i - 1]->id, v[i]->id) == 0 &&
		    hw_diags_add(diags, HW_DIAG_ERROR, v[i]->src_file,
				 v[i]->src_line, 0,
				 "duplicate requirement ID %s (first at "
				 "%s:%ld)",
				 v[i]->id, v[i - 1]->src_file,
				 v[i - 1]->src_line)) {
			free(v);
			return HW_ENOMEM;
		}
	free(v);
	return 0;
}

/* ---- the Markdown of one output file ---- */

static int put_list(hw_buf *b, const char *key, char **v, size_t n)
{
	int err = 0;

	if (!n)
		return 0;
	err = hw_buf_printf(b, "%s: ", key);
	for (size_t i = 0; i < n && !err; i++)
		err = hw_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
	return err ? err : hw_buf_putc(b, '\n');
}

static int render_req(hw_buf *b, const hw_imp_req *r)
{
	int err = hw_buf_printf(b, "\n## %s: %s\nRev: %d\nStatus: %s\n",
				r->id, r->title, r->rev, r->status);

	if (!err && r->needs)
		err = hw_buf_printf(b, "Needs: %s\n", r->needs);
	if (!err)
		err = put_list(b, "Parent", r->parents, r->nparents);
	if (!err)
		err = put_list(b, "Depends", r->depends, r->ndepends);
	if (!err && r->derived)
		err = hw_buf_puts(b, "Derived: yes\n");
	if (!err && r->derived && r->rationale)
		err = hw_buf_printf(b, "Rationale: %s\n", r->rationale);
	for (size_t i = 0; i < r->nattrs && !err; i++)
		err = hw_buf_printf(b, "%s: %s\n", r->attr_names[i],
				    r->attr_values[i]);
	if (!err)
		err = hw_buf_printf(b, "\n%s\n", r->text);
	return err;
}

static int render_file(hw_buf *b, const hw_imp_set *s, size_t f,
		       const char *source)
{
	hw_buf body;
	uint8_t h[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];
	int err;

	hw_buf_init(&body, 0);
	err = hw_buf_printf(&body, "# %s\n", s->outs[f].title);
	for (size_t i = 0; i < s->n && !err; i++)
		if (s->items[i].out == f)
			err = render_req(&body, &s->items[i]);
	if (!err)
		err = hw_buf_printf(b, MARKER "%s from ", s->format);
	/* the source's name as the marker can hold it: one line (control
	 * characters '?') and never "--", which would end the comment */
	for (const char *p = source; *p && !err; p++)
		if (!(p[0] == '-' && p[1] == '-'))
			err = hw_buf_putc(b, (unsigned char)*p < 0x20 ? '?' : *p);
	if (!err) {
		hw_sha256(h, body.data, body.len);
		hw_hex(hex, h, sizeof(h));
		err = hw_buf_printf(b, ", " MARKER_HASH "%s -->\n", hex);
	}
	if (!err)
		err = hw_buf_append(b, body.data, body.len);
	hw_buf_free(&body);
	return err;
}

/*
 * 0 when path may be written: it does not exist, or its first line is
 * the import's marker and the hash in it is that of the rest (nobody
 * edited it since), or force and the marker is there. Else HW_EINVAL.
 */
static int may_replace(const char *path, int force)
{
	hw_buf old;
	const char *nl, *h;
	uint8_t d[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];
	int err, ours = 0, same = 0;

	if (!hw_path_exists(path))
		return 0;
	hw_buf_init(&old, 0);
	err = hw_file_read(&old, path, (size_t)64 << 20);
	if (err) {
		hw_buf_free(&old);
		return err;
	}
	nl = memchr(old.data, '\n', old.len);
	if (nl && hw_str_startswith(old.data, MARKER) &&
	    (h = hw_strcasestr(old.data, ", " MARKER_HASH)) && h < nl) {
		ours = 1;
		h += strlen(", " MARKER_HASH);
		hw_sha256(d, nl + 1, old.len - (size_t)(nl + 1 - old.data));
		hw_hex(hex, d, sizeof(d));
		same = nl - h >= HW_SHA256_HEX_LEN &&
		       memcmp(h, hex, HW_SHA256_HEX_LEN) == 0;
	}
	hw_buf_free(&old);
	if (!ours)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "exists and was not written by hwledger "
				    "import: not replaced");
	if (!same && !force)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "changed since it was imported: not "
				    "replaced (--force replaces it)");
	return 0;
}

/* Whether some requirement goes to output file f; a file whose
 * requirements all moved to their levels' folders is not written. An import
 * of no requirement at all still writes its one file (its title). */
static int out_used(const hw_imp_set *s, size_t f)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].out == f)
			return 1;
	return s->n == 0;
}

/* Implements: FR-XCH-007 */
int hw_imp_write(const hw_imp_set *s, const char *dir, const char *source,
		 int force, FILE *report)
{
	char **paths = calloc(s->nouts + 1, sizeof(*paths));
	int err = 0;

	HW_CHECK_ALLOC(paths);
	/* every target first: one that may not be replaced writes nothing */
	for (size_t f = 0; f < s->nouts && !err; f++) {
		if (!out_used(s, f))
			continue;
		paths[f] = hw_path_join(s->outs[f].dir ? s->outs[f].dir : dir,
					s->outs[f].file);
		err = paths[f] ? may_replace(paths[f], force)
			       : hw_error_oom();
	}
	for (size_t f = 0; f < s->nouts && !err; f++) {
		hw_buf b;

		if (!paths[f])
			continue;
		hw_buf_init(&b, 0);
		err = hw_mkdir_parent(paths[f]);
		if (!err)
			err = render_file(&b, s, f, source);
		if (!err)
			err = hw_file_write_atomic(paths[f], b.data, b.len);
		if (!err && report)
			fprintf(report, "%s\n", paths[f]);
		hw_buf_free(&b);
	}
	for (size_t f = 0; f < s->nouts; f++)
		free(paths[f]);
	free(paths);
	return err;
}

/* ---- the import map ---- */

void hw_imp_map_free(hw_imp_map *m)
{
	free(m->id);
	free(m->title);
	free(m->text);
	free(m->status);
	free(m->rev);
	free(m->parent);
	memset(m, 0, sizeof(*m));
}

/* Implements: FR-XCH-002, FR-XCH-003 */
int hw_imp_map_load(hw_imp_map *m, const char *path, hw_diags *diags)
{
	static const char *const keys[] = {"id", "title", "text", "status",
					   "rev", "parent"};
	static const char *const root[] = {NULL};
	char **slots[] = {&m->id, &m->title, &m->text, &m->status, &m->rev,
			  &m->parent};
	cJSON *j = NULL;
	hw_buf t;
	size_t i = 0;
	int err;

	memset(m, 0, sizeof(*m));
	if (!path)
		return 0;
	hw_buf_init(&t, 0);
	err = hw_file_read(&t, path, (size_t)1 << 20);
	if (!err)
		err = hw_json_parse(&j, path, t.data ? t.data : "", t.len);
	if (err == HW_EINVAL) {
		hw_buf_free(&t);
		return hw_diags_add_last_error(diags) ? HW_ENOMEM : 0;
	}
	if (err)
		goto done;
	if (!cJSON_IsObject(j)) {
		err = hw_diags_add(diags, HW_DIAG_ERROR, path, 1, 0,
				   "the map is not a JSON object");
		goto done;
	}
	/* a key's line: the one of the member it is (the first wrong one
	 * comes after at most six good ones) */
	for (const cJSON *it = j->child; it; it = it->next, i++) {
		long lines[7], cols[7], line = 1;
		size_t k = 0;

		while (k < 6 && strcmp(it->string, keys[k]) != 0)
			k++;
		if (k < 6 && cJSON_IsString(it) && *it->valuestring &&
		    !*slots[k]) {
			if (!(*slots[k] = hw_strdup(it->valuestring))) {
				err = hw_error_oom();
				goto done;
			}
			continue;
		}
		if (i < 7 && hw_json_lines(t.data, t.len, root, lines, cols,
					   i + 1) == i + 1)
			line = lines[i];
		if (k < 6 && *slots[k])
			err = hw_diags_add(diags, HW_DIAG_ERROR, path, line, 0,
					   "map key '%s' given twice",
					   it->string);
		else
			err = hw_diags_add(diags, HW_DIAG_ERROR, path, line, 0,
					   "map key '%s': expected one of id, "
					   "title, text, status, rev, parent "
					   "with a non-empty string",
					   it->string);
		goto done;
	}
	if (!m->id)
		err = hw_diags_add(diags, HW_DIAG_ERROR, path, 1, 0,
				   "the map names no ID attribute (\"id\")");
done:
	cJSON_Delete(j);
	hw_buf_free(&t);
	return err;
}
