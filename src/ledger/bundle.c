/*
 * bundle.c — the offline export bundle: a folder with events.jsonl (one
 * event a line, every field needed to recompute its bytes), checkpoint (the
 * latest signed note) and keys (the public keys), enough for
 * `hwledger ledger verify --bundle DIR --key FILE` with no repository and
 * no database. Binary fields are hex (hashes, key ids) or base64 (payload,
 * signature); time_ns is a string because it does not fit a JSON double.
 */
#include "ledger.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int b64(hw_jw *w, const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(len);

	if (!s)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
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

/* Implements: FR-LEDGER-005 */
int hw_bundle_export(hw_ledger *l, const char *dir, const hw_keyring *keys)
{
	hw_event_list list;
	hw_checkpoint cp;
	hw_buf out, path;
	int err, have_cp;

	if ((err = hw_mkdir_p(dir)))
		return err;
	if ((err = hw_ledger_load(l, &list)))
		return err;
	hw_buf_init(&out, 0);
	hw_buf_init(&path, 0);
	for (size_t i = 0; i < list.n && !err; i++) {
		const hw_event *e = &list.items[i];
		hw_jw w;
		char t[32];

		hw_jw_init(&w, &out, 0);
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
			err = hw_buf_putc(&out, '\n');
	}
	if (!err && !(err = hw_buf_printf(&path, "%s/events.jsonl", dir)))
		err = hw_file_write_atomic(path.data, out.data ? out.data : "",
					   out.len);
	have_cp = !err && hw_ledger_latest_checkpoint(l, &cp, NULL, 0) == HW_OK;
	if (have_cp) {
		hw_buf_clear(&path);
		if (!(err = hw_buf_printf(&path, "%s/checkpoint", dir)))
			err = hw_file_write_atomic(path.data, cp.text,
						   strlen(cp.text));
		hw_checkpoint_free(&cp);
	} else if (!err) {
		err = hw_error_set(HW_ENOTFOUND, l->path, 0, 0,
				   "no checkpoint to export (run 'hwledger "
				   "ledger checkpoint' first)");
	}
	hw_buf_clear(&out);
	for (size_t i = 0; !err && keys && i < keys->n; i++) {
		char line[200];

		hw_pubkey_format(line, sizeof(line), &keys->keys[i]);
		err = hw_buf_printf(&out, "%s\n", line);
	}
	hw_buf_clear(&path);
	if (!err && !(err = hw_buf_printf(&path, "%s/keys", dir)))
		err = hw_file_write_atomic(path.data, out.data ? out.data : "",
					   out.len);
	hw_buf_free(&out);
	hw_buf_free(&path);
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
	    (err = hw_file_read(&b, path.data, (size_t)1 << 30)))
		goto cleanup;
	line = b.data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		cJSON *o;
		hw_event *e;

		lineno++;
		if (nl)
			*nl = '\0';
		if (list->n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			hw_event *v = realloc(list->items, ncap * sizeof(*v));

			if (!v) {
				err = hw_error_set(HW_ENOMEM, NULL, 0, 0,
						   "out of memory");
				goto cleanup;
			}
			list->items = v;
			cap = ncap;
		}
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
