/*
 * doorstop.c — a Doorstop document tree (a `.doorstop.yml` per document,
 * an item per `*.yml` beside it) as imported requirements, read with
 * libyaml. specs/interchange.md says what maps onto what.
 */
#include "interchange/interchange.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct dsdoc {
	char *dir, *prefix, *sep;
} dsdoc;

/* One item before its links are mapped: they name UIDs of any document. */
typedef struct pending {
	size_t req;         /* index in the set */
	char **links;
	size_t nlinks;
	char *level;
} pending;

typedef struct ds {
	hw_imp_set *s;
	hw_diags *diags;
	size_t max_bytes;
	dsdoc *docs;
	size_t ndocs, capdocs;
	pending *items;
	size_t nitems, capitems;
	size_t inactive, informative, no_text;
	hw_buf dropped_keys;
} ds;

/* ---- YAML ---- */

typedef struct yfile {
	yaml_document_t doc;
	int loaded;
} yfile;

/* An error at a YAML mark (0-based) as FILE:LINE:COL (1-based). */
static int yerr(ds *d, const char *file, yaml_mark_t m, const char *what,
		const char *detail)
{
	return hw_diags_add(d->diags, HW_DIAG_ERROR, file, (long)m.line + 1,
			    (long)m.column + 1, "%s%s", what, detail);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Parses file as one YAML document whose root must be a mapping; 1 when
 * it is (y loaded), 0 after a diagnostic, < 0 on failure. */
static int load_yaml(ds *d, const char *file, yfile *y)
{
	hw_buf b;
	yaml_parser_t p;
	yaml_node_t *root;
	int err, ok = 0;

	memset(y, 0, sizeof(*y));
	hw_buf_init(&b, 0);
	err = hw_file_read(&b, file, d->max_bytes);
	if (err) {
		hw_buf_free(&b);
		return err == HW_ENOMEM || err == HW_EIO
			       ? err
			       : (hw_diags_add_last_error(d->diags) ? HW_ENOMEM
								    : 0);
	}
	if (!yaml_parser_initialize(&p)) {
		hw_buf_free(&b);
		return hw_error_oom();
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)(b.data ? b.data : ""),
				     b.len);
	if (!yaml_parser_load(&p, &y->doc)) {
		err = yerr(d, file, p.problem_mark, "invalid YAML: ",
			   p.problem ? p.problem : "syntax error");
	} else {
		y->loaded = 1;
		root = yaml_document_get_root_node(&y->doc);
		if (!root || root->type != YAML_MAPPING_NODE) {
			yaml_mark_t m = {0, 0, 0};

			err = yerr(d, file, root ? root->start_mark : m,
				   root ? "the document" : "an empty file",
				   " is not a YAML mapping");
		} else {
			ok = 1;
		}
	}
	yaml_parser_delete(&p);
	hw_buf_free(&b);
	if (!ok && y->loaded) {
		yaml_document_delete(&y->doc);
		y->loaded = 0;
	}
	return err ? (err == HW_ENOMEM ? err : 0) : ok;
}

static void free_yaml(yfile *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

/* The value node of key in mapping node m, or NULL. */
static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		       ? (const char *)n->data.scalar.value
		       : NULL;
}

static int is_false(yaml_node_t *n)
{
	const char *v = scalar(n);

	return v && (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 ||
		     strcmp(v, "no") == 0);
}

static int is_true(yaml_node_t *n)
{
	const char *v = scalar(n);

	return v && (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 ||
		     strcmp(v, "yes") == 0);
}

/* ---- documents ---- */

static int add_doc(ds *d, const char *dir, const char *conf)
{
	yfile y;
	yaml_node_t *settings;
	const char *prefix, *sep;
	dsdoc *dc;
	int r = load_yaml(d, conf, &y);

	if (r <= 0)
		return r;
	settings = get(&y.doc, yaml_document_get_root_node(&y.doc),
		       "settings");
	prefix = scalar(get(&y.doc, settings, "prefix"));
	sep = scalar(get(&y.doc, settings, "sep"));
	if (!prefix || !*prefix) {
		r = hw_diags_add(d->diags, HW_DIAG_ERROR, conf, 1, 0,
				 "no settings.prefix: not a Doorstop "
				 "document");
		free_yaml(&y);
		return r;
	}
	if (HW_ARRAY_GROW(d->docs, d->ndocs, d->capdocs)) {
		free_yaml(&y);
		return HW_ENOMEM;
	}
	dc = &d->docs[d->ndocs++];
	dc->dir = hw_strdup(dir);
	dc->prefix = hw_strdup(prefix);
	dc->sep = hw_strdup(sep ? sep : "");
	free_yaml(&y);
	HW_CHECK_ALLOC(dc->dir && dc->prefix && dc->sep);
	return 0;
}

/* Finds every .doorstop.yml under dir, folders in name order; hidden
 * folders are skipped, and symbolic links to folders are not followed (a
 * warning): a link to a folder above it would walk that folder again at
 * every depth, and two such links double the walk at each. */
static int walk(ds *d, const char *dir, int depth)
{
	char *conf = hw_path_join(dir, ".doorstop.yml");
	char **subs = NULL;
	size_t n = 0, cap = 0;
	DIR *dh;
	struct dirent *e;
	struct stat st;
	int err = 0;

	HW_CHECK_ALLOC(conf);
	if (hw_path_exists(conf))
		err = add_doc(d, dir, conf);
	free(conf);
	if (err || depth > 32)
		return err;
	if (!(dh = opendir(dir)))
		return hw_error_set(HW_EIO, dir, 0, 0, "cannot read folder");
	while (!err && (e = readdir(dh))) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = hw_path_join(dir, e->d_name);
		if (!p)
			err = hw_error_oom();
		else if (hw_path_is_dir(p))
			err = hw_strv_push(&subs, &n, &cap, p);
		else
			free(p);
	}
	closedir(dh);
	if (subs)
		qsort(subs, n, sizeof(*subs), hw_strp_cmp);
	for (size_t i = 0; subs && i < n && !err; i++)
		if (lstat(subs[i], &st) == 0 && S_ISLNK(st.st_mode))
			err = hw_diags_add(d->diags, HW_DIAG_WARNING, subs[i],
					   0, 0,
					   "symbolic link to a folder; not "
					   "followed");
		else
			err = walk(d, subs[i], depth + 1);
	hw_strv_free(subs);
	return err;
}

/* ---- items ---- */

/* The hwledger ID of a UID: kept when it is a requirement ID token, else
 * the longest document prefix it starts with, '-', and the rest. NULL for
 * an empty UID (a link `- ""`), which is no ID, not even an empty one. */
static char *uid_to_id(const ds *d, const char *uid)
{
	const dsdoc *best = NULL;
	hw_buf b;
	int changed;
	char *id;

	if (!*uid)
		return NULL;
	if (hw_req_id_len(uid, strlen(uid)) == strlen(uid))
		return hw_strdup(uid);
	for (size_t i = 0; i < d->ndocs; i++)
		if (hw_str_startswith(uid, d->docs[i].prefix) &&
		    (!best || strlen(d->docs[i].prefix) > strlen(best->prefix)))
			best = &d->docs[i];
	hw_buf_init(&b, 0);
	if (best) {
		const char *rest = uid + strlen(best->prefix);

		if (*best->sep && hw_str_startswith(rest, best->sep))
			rest += strlen(best->sep);
		if (hw_buf_printf(&b, "%s-%s", best->prefix, rest))
			return NULL;
	} else if (hw_buf_puts(&b, uid)) {
		return NULL;
	}
	id = hw_imp_id(b.data, &changed);
	hw_buf_free(&b);
	return id;
}

static int note_key(ds *d, const char *key)
{
	static const char *const known[] = {
		"active", "derived", "header", "level", "links", "normative",
		"text", "reviewed", NULL};

	for (size_t i = 0; known[i]; i++)
		if (strcmp(key, known[i]) == 0)
			return 0;
	return hw_imp_note(&d->dropped_keys, key, strlen(key));
}

/* The title: the header, else the text's first line cut at 80 bytes (on
 * a character boundary). */
static char *title_of(const char *header, const char *text, const char *id)
{
	const char *t = header && *header ? header : text;
	size_t n;

	while (t && (isspace((unsigned char)*t) || *t == '#' || *t == '*'))
		t++;
	if (!t || !*t)
		return hw_strdup(id);
	n = strcspn(t, "\n");
	if (n > 80) {
		n = 80;
		while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
	}
	while (n && (isspace((unsigned char)t[n - 1]) || t[n - 1] == '*'))
		n--;
	return n ? hw_strndup(t, n) : hw_strdup(id);
}

static int add_item(ds *d, size_t out, const char *file)
{
	yfile y;
	yaml_node_t *root, *links;
	char uid[256], *id = NULL, *title = NULL, *text = NULL;
	const char *base = strrchr(file, '/');
	hw_imp_req *r;
	pending *pd;
	int res = load_yaml(d, file, &y), err = 0;

	if (res <= 0)
		return res;
	base = base ? base + 1 : file;
	snprintf(uid, sizeof(uid), "%.*s", (int)(strlen(base) - 4), base);
	root = yaml_document_get_root_node(&y.doc);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top && !err; p++) {
		const char *k = scalar(yaml_document_get_node(&y.doc, p->key));

		if (k)
			err = note_key(d, k);
	}
	links = get(&y.doc, root, "links");
	if (!err && links && links->type != YAML_SEQUENCE_NODE &&
	    !(links->type == YAML_SCALAR_NODE && !*scalar(links)))
		err = yerr(d, file, links->start_mark,
			   "links: ", "expected a list of UIDs");
	if (err || d->diags->errors) {
		free_yaml(&y);
		return err;
	}
	if (is_false(get(&y.doc, root, "active"))) {
		d->inactive++;
		free_yaml(&y);
		return 0;
	}
	if (is_false(get(&y.doc, root, "normative"))) {
		d->informative++;
		free_yaml(&y);
		return 0;
	}
	id = uid_to_id(d, uid);
	text = hw_imp_text(or_empty(scalar(get(&y.doc, root, "text"))));
	title = id && text ? title_of(scalar(get(&y.doc, root, "header")), text, id)
			   : NULL;
	if (!id)
		err = hw_diags_add(d->diags, HW_DIAG_ERROR, file, 1, 0,
				   "UID '%s' cannot be made a requirement ID",
				   uid);
	else if (!text || !title)
		err = hw_error_oom();
	else
		err = hw_imp_add(d->s, &r, out, id, title,
				 *text ? text : "(imported without text)",
				 file, 1);
	if (!err && id) {
		const char *rv = scalar(get(&y.doc, root, "reviewed"));

		d->no_text += !*text;
		r->derived = is_true(get(&y.doc, root, "derived"));
		if (rv && *rv && strcmp(rv, "null") != 0 && strcmp(rv, "~") != 0) {
			free(r->status);
			r->status = hw_strdup("approved");
			if (!r->status)
				err = hw_error_oom();
		}
	}
	if (!err && id && !HW_ARRAY_GROW(d->items, d->nitems, d->capitems)) {
		pd = &d->items[d->nitems++];
		memset(pd, 0, sizeof(*pd));
		pd->req = d->s->n - 1;
		pd->level = hw_strdup(or_empty(scalar(get(&y.doc, root, "level"))));
		for (yaml_node_item_t *i = links && links->type == YAML_SEQUENCE_NODE
						   ? links->data.sequence.items.start
						   : NULL;
		     i && i < links->data.sequence.items.top && !err; i++) {
			yaml_node_t *l = yaml_document_get_node(&y.doc, *i);
			const char *u = scalar(l);

			/* `- UID` or `- UID: stamp` */
			if (!u && l && l->type == YAML_MAPPING_NODE &&
			    l->data.mapping.pairs.start < l->data.mapping.pairs.top)
				u = scalar(yaml_document_get_node(
					&y.doc, l->data.mapping.pairs.start->key));
			if (!u)
				err = yerr(d, file, l ? l->start_mark : root->start_mark,
					   "links: ", "an entry that is no UID");
			else
				err = hw_imp_push(&pd->links, &pd->nlinks, u);
		}
	} else if (!err && id) {
		err = HW_ENOMEM;
	}
	free(id);
	free(title);
	free(text);
	free_yaml(&y);
	return err;
}

/* Compares Doorstop levels as dotted numbers: 1.2.10 after 1.2.9. */
static int level_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		else if (*a)
			return strcmp(a, b);
		if (*b == '.')
			b++;
		else if (*b)
			return strcmp(a, b);
		if (!*a && !*b)
			break;
	}
	return 0;
}

static int pending_cmp(const void *x, const void *y)
{
	const pending *a = x, *b = y;
	int c = level_cmp(a->level ? a->level : "", b->level ? b->level : "");

	return c ? c : (a->req < b->req ? -1 : a->req > b->req);
}

static int finish(ds *d)
{
	hw_imp_req *sorted;
	int err = 0;

	/* links → Parent, now that every prefix is known */
	for (size_t i = 0; i < d->nitems && !err; i++) {
		pending *p = &d->items[i];
		hw_imp_req *r = &d->s->items[p->req];

		for (size_t k = 0; k < p->nlinks && !err; k++) {
			char *id = uid_to_id(d, p->links[k]);

			err = id ? hw_imp_push(&r->parents, &r->nparents, id)
				 : hw_diags_add(d->diags, HW_DIAG_ERROR,
						r->src_file, 1, 0,
						"link '%s' cannot be made a "
						"requirement ID",
						p->links[k]);
			free(id);
		}
	}
	if (err || !d->nitems)
		return err;
	/* items in level order within each document (output file) */
	qsort(d->items, d->nitems, sizeof(*d->items), pending_cmp);
	sorted = malloc(d->s->n * sizeof(*sorted));
	HW_CHECK_ALLOC(sorted);
	for (size_t i = 0; i < d->nitems; i++)
		sorted[i] = d->s->items[d->items[i].req];
	memcpy(d->s->items, sorted, d->s->n * sizeof(*sorted));
	free(sorted);
	return 0;
}

/* Implements: FR-XCH-006 */
int hw_doorstop_read(hw_imp_set *s, hw_diags *diags, const char *dir,
		     size_t max_bytes)
{
	ds d;
	int err;

	memset(&d, 0, sizeof(d));
	d.s = s;
	d.diags = diags;
	d.max_bytes = max_bytes;
	hw_buf_init(&d.dropped_keys, 0);
	if (!hw_path_is_dir(dir))
		return hw_diags_add(diags, HW_DIAG_ERROR, dir, 0, 0,
				    "not a folder: a Doorstop tree is a "
				    "folder");
	err = walk(&d, dir, 0);
	if (!err && !diags->errors && !d.ndocs)
		err = hw_diags_add(diags, HW_DIAG_ERROR, dir, 0, 0,
				   "no .doorstop.yml: not a Doorstop tree");
	for (size_t i = 0; i < d.ndocs && !err; i++) {
		char **files = NULL;
		size_t n = 0, out;

		err = hw_imp_out(s, d.docs[i].prefix, d.docs[i].prefix, &out);
		if (!err)
			err = hw_dir_list(&files, &n, d.docs[i].dir, ".yml");
		for (size_t f = 0; f < n && !err; f++) {
			const char *b = strrchr(files[f], '/');

			if ((b ? b[1] : files[f][0]) != '.')
				err = add_item(&d, out, files[f]);
		}
		hw_strv_free(files);
	}
	if (!err && !diags->errors)
		err = finish(&d);
	if (!err && !diags->errors && d.inactive)
		err = hw_diags_add(diags, HW_DIAG_WARNING, dir, 0, 0,
				   "%zu inactive items not imported",
				   d.inactive);
	if (!err && !diags->errors && d.informative)
		err = hw_diags_add(diags, HW_DIAG_WARNING, dir, 0, 0,
				   "%zu non-normative items (headings, "
				   "notes) not imported",
				   d.informative);
	if (!err && !diags->errors && d.no_text)
		err = hw_diags_add(diags, HW_DIAG_WARNING, dir, 0, 0,
				   "%zu items without text: imported with a "
				   "placeholder text",
				   d.no_text);
	if (!err && !diags->errors && d.dropped_keys.len)
		err = hw_diags_add(diags, HW_DIAG_WARNING, dir, 0, 0,
				   "item keys not imported: %s",
				   d.dropped_keys.data);
	if (!err && !diags->errors)
		err = hw_imp_check(s, diags);
	for (size_t i = 0; i < d.ndocs; i++) {
		free(d.docs[i].dir);
		free(d.docs[i].prefix);
		free(d.docs[i].sep);
	}
	free(d.docs);
	for (size_t i = 0; i < d.nitems; i++) {
		for (size_t k = 0; k < d.items[i].nlinks; k++)
			free(d.items[i].links[k]);
		free(d.items[i].links);
		free(d.items[i].level);
	}
	free(d.items);
	hw_buf_free(&d.dropped_keys);
	return err;
}
