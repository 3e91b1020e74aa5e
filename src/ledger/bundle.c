/*
 * bundle.c — the offline export bundle: a folder with events.jsonl (one
 * event a line, every field needed to recompute its bytes), checkpoint (the
 * latest signed note) and keys (the public keys), enough for
 * `hwledger ledger verify --bundle DIR --key FILE` with no repository and
 * no database. Binary fields are hex (hashes, key ids) or base64 (payload,
 * signature); time_ns is a string because it does not fit a JSON double.
 */
#include "ledger.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int b64(hw_jw *w, const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(len);

	HW_CHECK_ALLOC(s);
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	hw_jw_str(w, s);
	free(s);
	return HW_OK;
}

static void hex(hw_jw *w, const uint8_t *p, size_t n)
{
	char h[129];

	hw_hex(h, p, n);
	hw_jw_str(w, h);
}

/* The files of a bundle, the only ones an export replaces. */
static const char *const bundle_files[] = {"events.jsonl", "checkpoint",
					   "keys"};
#define NBUNDLE_FILES (sizeof(bundle_files) / sizeof(bundle_files[0]))

static int is_bundle_file(const char *name)
{
	for (size_t i = 0; i < NBUNDLE_FILES; i++)
		if (!strcmp(name, bundle_files[i]))
			return 1;
	return 0;
}

/*
 * The bundle's folder may be new, empty or an older bundle; anything else
 * in it is the user's, so it is refused rather than mixed with a bundle.
 */
static int check_target(const char *dir)
{
	DIR *d;
	struct dirent *e;
	int err = HW_OK;

	if (!hw_path_exists(dir))
		return HW_OK;
	if (!hw_path_is_dir(dir) || !(d = opendir(dir)))
		return hw_error_set(HW_EIO, dir, 0, 0,
				    "not a folder that can be read; not "
				    "replaced");
	while (!err && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    !is_bundle_file(e->d_name))
			err = hw_error_set(HW_EIO, dir, 0, 0,
					   "holds '%s', which is not part of "
					   "an export bundle: choose a new or "
					   "empty folder (nothing was written)",
					   e->d_name);
	closedir(d);
	return err;
}

static int write_file(const char *dir, const char *name, const hw_buf *b)
{
	char *p = hw_path_join(dir, name);
	int err;

	HW_CHECK_ALLOC(p);
	err = hw_file_write_atomic(p, b->data ? b->data : "", b->len);
	free(p);
	return err;
}

/* events.jsonl of specs/ledger.md into out. */
static int events_jsonl(hw_buf *out, const hw_event_list *list)
{
	int err = HW_OK;

	for (size_t i = 0; i < list->n && !err; i++) {
		const hw_event *e = &list->items[i];
		hw_jw w;
		char t[32];

		hw_jw_init(&w, out, 0);
		hw_jw_object(&w);
		hw_jw_kint(&w, "seq", (long long)e->seq);
		hw_jw_key(&w, "prev");
		hex(&w, e->prev, 32);
		hw_jw_key(&w, "time_ns");
		snprintf(t, sizeof(t), "%lld", (long long)e->time_ns);
		hw_jw_str(&w, t);
		hw_jw_kstr(&w, "kind", e->kind);
		hw_jw_kstr(&w, "commit", e->commit);
		hw_jw_kstr(&w, "payload_type", e->payload_type);
		hw_jw_key(&w, "payload");
		err = b64(&w, e->payload, e->payload_len);
		hw_jw_key(&w, "hash");
		hex(&w, e->hash, 32);
		hw_jw_key(&w, "key_id");
		hex(&w, e->key_id, 4);
		hw_jw_key(&w, "sig");
		if (!err)
			err = b64(&w, e->sig, 64);
		hw_jw_end(&w);
		if (!err)
			err = hw_jw_finish(&w);
		if (!err)
			err = hw_buf_putc(out, '\n');
	}
	return err;
}

/*
 * Writes the three files into a new folder beside dir, then moves them into
 * dir (or the folder itself when dir is new). Everything that can fail (no
 * checkpoint, a folder of the user's, a full disk) fails before dir is
 * touched, so a failed export leaves the old bundle as it was.
 */
/* Implements: FR-LEDGER-005 */
int hw_bundle_export(hw_ledger *l, const char *dir, const hw_keyring *keys)
{
	hw_event_list list = {0};
	hw_checkpoint cp = {0};
	hw_buf out, tmp;
	int err;

	if ((err = hw_ledger_latest_checkpoint(l, &cp, NULL, 0))) {
		hw_checkpoint_free(&cp);
		if (err != HW_ENOTFOUND)
			return err;
		return hw_error_set(HW_ENOTFOUND, l->path, 0, 0,
				    "no checkpoint to export (run 'hwledger "
				    "ledger checkpoint' first); nothing was "
				    "written");
	}
	hw_buf_init(&out, 0);
	hw_buf_init(&tmp, 0);
	if ((err = check_target(dir)) || (err = hw_mkdir_parent(dir)) ||
	    (err = hw_buf_printf(&tmp, "%s.tmp-XXXXXX", dir)))
		goto done;
	if (!mkdtemp(tmp.data)) {
		err = hw_error_set(HW_EIO, dir, 0, 0,
				   "cannot create a folder beside it: %s",
				   strerror(errno));
		goto done;
	}
	{
		/* mkdtemp's 0700 is not a bundle's mode; the folder it made,
		 * by descriptor, not whatever is at its name by now */
		int fd = open(tmp.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

		if (fd >= 0) {
			fchmod(fd, 0755);
			close(fd);
		}
	}
	if (!(err = hw_ledger_load(l, &list)) &&
	    !(err = events_jsonl(&out, &list)) &&
	    !(err = write_file(tmp.data, "events.jsonl", &out))) {
		hw_buf_clear(&out);
		err = hw_buf_puts(&out, cp.text);
	}
	if (!err && !(err = write_file(tmp.data, "checkpoint", &out)))
		hw_buf_clear(&out);
	for (size_t i = 0; !err && keys && i < keys->n; i++) {
		char line[200];

		hw_pubkey_format(line, sizeof(line), &keys->keys[i]);
		err = hw_buf_printf(&out, "%s\n", line);
	}
	if (!err)
		err = write_file(tmp.data, "keys", &out);
	/* the swap: a new folder moves as a whole; into an existing one each
	 * file is renamed over its older copy (atomic per file) */
	if (!err && rename(tmp.data, dir) != 0) {
		for (size_t i = 0; !err && i < NBUNDLE_FILES; i++) {
			char *from = hw_path_join(tmp.data, bundle_files[i]);
			char *to = hw_path_join(dir, bundle_files[i]);

			if (!from || !to || rename(from, to) != 0)
				err = hw_error_set(HW_EIO, dir, 0, 0,
						   "cannot move %s into place: "
						   "%s",
						   bundle_files[i],
						   strerror(errno));
			free(from);
			free(to);
		}
	}
	if (hw_path_exists(tmp.data)) {
		/* a failure before the swap: only our own files are there */
		for (size_t i = 0; i < NBUNDLE_FILES; i++) {
			char *p = hw_path_join(tmp.data, bundle_files[i]);

			if (p)
				unlink(p);
			free(p);
		}
		rmdir(tmp.data);
	}
done:
	hw_buf_free(&out);
	hw_buf_free(&tmp);
	hw_checkpoint_free(&cp);
	hw_event_list_free(&list);
	return err;
}

static int get_hex(uint8_t *out, size_t n, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t got = 0;

	return cJSON_IsString(v) && strlen(v->valuestring) == 2 * n &&
	       sodium_hex2bin(out, n, v->valuestring, 2 * n, NULL, &got,
			      NULL) == 0 &&
	       got == n;
}

static int parse_event(hw_event *e, const cJSON *o)
{
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(o, "seq");
	const char *t = hw_json_str(o, "time_ns");
	const char *payload = hw_json_str(o, "payload");
	const char *sig = hw_json_str(o, "sig");
	size_t n = 0;
	char *end;

	if (!cJSON_IsNumber(seq) || seq->valuedouble < 0 ||
	    seq->valuedouble > 9e15 || !t || !payload || !sig ||
	    !hw_json_str(o, "kind") || !hw_json_str(o, "commit") ||
	    !hw_json_str(o, "payload_type") || !get_hex(e->prev, 32, o, "prev") ||
	    !get_hex(e->hash, 32, o, "hash") ||
	    !get_hex(e->key_id, 4, o, "key_id"))
		return 0;
	e->seq = (uint64_t)seq->valuedouble;
	e->time_ns = strtoll(t, &end, 10);
	if (!*t || *end)
		return 0;
	if (sodium_base642bin(e->sig, 64, sig, strlen(sig), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != 64)
		return 0;
	e->payload = malloc(strlen(payload) + 1);
	e->kind = hw_strdup(hw_json_str(o, "kind"));
	e->commit = hw_strdup(hw_json_str(o, "commit"));
	e->payload_type = hw_strdup(hw_json_str(o, "payload_type"));
	if (!e->payload || !e->kind || !e->commit || !e->payload_type)
		return 0;
	return sodium_base642bin(e->payload, strlen(payload) + 1, payload,
				 strlen(payload), NULL, &e->payload_len, NULL,
				 sodium_base64_VARIANT_ORIGINAL) == 0;
}

/* Implements: FR-LEDGER-005 */
int hw_bundle_load(const char *dir, hw_event_list *list, hw_checkpoint *cp)
{
	hw_buf b, path;
	char *line;
	long lineno = 0;
	size_t cap = 0;
	int err;

	memset(list, 0, sizeof(*list));
	memset(cp, 0, sizeof(*cp));
	hw_buf_init(&b, 0);
	hw_buf_init(&path, 0);
	if ((err = hw_buf_printf(&path, "%s/events.jsonl", dir)) ||
	    (err = hw_file_read(&b, path.data, (size_t)1 << 30)) ||
	    (err = hw_text_refuse_nul(b.data, b.len, path.data,
				      "a bundle's events")))
		goto cleanup;
	line = b.data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		cJSON *o;
		hw_event *e;

		lineno++;
		if (nl)
			*nl = '\0';
		if ((err = HW_ARRAY_GROW(list->items, list->n, cap)))
			goto cleanup;
		e = &list->items[list->n];
		memset(e, 0, sizeof(*e));
		o = cJSON_Parse(line);
		list->n++;
		if (!o || !parse_event(e, o)) {
			cJSON_Delete(o);
			err = hw_error_set(HW_EINVAL, path.data, lineno, 0,
					   "not a valid event line");
			goto cleanup;
		}
		cJSON_Delete(o);
		line = nl ? nl + 1 : NULL;
	}
	hw_buf_clear(&path);
	if ((err = hw_buf_printf(&path, "%s/checkpoint", dir)) ||
	    (err = hw_file_read(&b, path.data, 1 << 16)))
		goto cleanup;
	err = hw_checkpoint_parse(cp, b.data, b.len, path.data);
cleanup:
	hw_buf_free(&b);
	hw_buf_free(&path);
	if (err)
		hw_event_list_free(list);
	return err;
}
