/*
 * event.c — the event bytes, their leaf hash and their DSSE signature.
 *
 *   E = "hwledger-event/v1\n" || u64be(seq) || prev[32] || i64be(time_ns)
 *       || lp(kind) || lp(commit) || lp(payload type) || lp(payload)
 *   lp(x) = u32be(len(x)) || x
 *   leaf  = SHA-256(0x00 || E)
 *   sig   = Ed25519(PAE("application/vnd.hwledger.event.v1", E))
 *   PAE(t, b) = "DSSEv1" SP len(t) SP t SP len(b) SP b   (lengths decimal)
 */
#include "ledger.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hw_event_free(hw_event *e)
{
	free(e->kind);
	free(e->commit);
	free(e->payload_type);
	free(e->payload);
	memset(e, 0, sizeof(*e));
}

static int put_be(hw_buf *b, uint64_t v, int bytes)
{
	unsigned char c[8];

	for (int i = 0; i < bytes; i++)
		c[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	return hw_buf_append(b, c, (size_t)bytes);
}

static int put_lp(hw_buf *b, const void *p, size_t n)
{
	if (n > 0xffffffffu)
		return hw_error_set(HW_ETOOBIG, NULL, 0, 0,
				    "event field over 4 GiB");
	return put_be(b, n, 4) || hw_buf_append(b, p, n) ? hw_error_code()
							 : HW_OK;
}

/* Implements: FR-LEDGER-002 */
int hw_event_encode(hw_buf *out, const hw_event *e)
{
	const char *kind = e->kind ? e->kind : "";
	const char *commit = e->commit ? e->commit : "";
	const char *type = e->payload_type ? e->payload_type : "";

	hw_buf_clear(out);
	if (hw_buf_append(out, HW_EVENT_MAGIC, strlen(HW_EVENT_MAGIC)) ||
	    put_be(out, e->seq, 8) || hw_buf_append(out, e->prev, 32) ||
	    put_be(out, (uint64_t)e->time_ns, 8) ||
	    put_lp(out, kind, strlen(kind)) ||
	    put_lp(out, commit, strlen(commit)) ||
	    put_lp(out, type, strlen(type)) ||
	    put_lp(out, e->payload ? (const void *)e->payload : "",
		   e->payload_len))
		return hw_error_code();
	return HW_OK;
}

void hw_leaf_hash(uint8_t out[32], const void *e_bytes, size_t n)
{
	struct sha256_ctx st;
	const uint8_t zero = 0x00;

	sha256_init(&st);
	sha256_update(&st, 1, &zero);
	sha256_update(&st, n, e_bytes);
	sha256_digest(&st, SHA256_DIGEST_SIZE, out);
}

int hw_event_pae(hw_buf *out, const void *e_bytes, size_t n)
{
	hw_buf_clear(out);
	if (hw_buf_printf(out, "DSSEv1 %zu %s %zu ",
			  strlen(HW_EVENT_PAYLOAD_TYPE), HW_EVENT_PAYLOAD_TYPE,
			  n) ||
	    hw_buf_append(out, e_bytes, n))
		return hw_error_code();
	return HW_OK;
}

/* Implements: FR-LEDGER-002 */
int hw_event_sign(hw_event *e, const hw_seckey *k)
{
	hw_buf enc, pae;
	int err;

	hw_buf_init(&enc, 0);
	hw_buf_init(&pae, 0);
	if (!(err = hw_event_encode(&enc, e)) &&
	    !(err = hw_event_pae(&pae, enc.data, enc.len))) {
		hw_leaf_hash(e->hash, enc.data, enc.len);
		crypto_sign_detached(e->sig, NULL, (const uint8_t *)pae.data,
				     pae.len, k->sk);
		memcpy(e->key_id, k->pub.id, 4);
	}
	hw_buf_free(&enc);
	hw_buf_free(&pae);
	return err;
}

int hw_event_verify_sig(const hw_event *e, const hw_pubkey *k)
{
	hw_buf enc, pae;
	int err;

	hw_buf_init(&enc, 0);
	hw_buf_init(&pae, 0);
	if (!(err = hw_event_encode(&enc, e)) &&
	    !(err = hw_event_pae(&pae, enc.data, enc.len)))
		err = crypto_sign_verify_detached(e->sig,
						  (const uint8_t *)pae.data,
						  pae.len, k->pk) == 0
			      ? HW_OK
			      : HW_EFAIL;
	hw_buf_free(&enc);
	hw_buf_free(&pae);
	return err;
}

static int put_b64(hw_jw *w, const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(len);

	HW_CHECK_ALLOC(s);
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	hw_jw_str(w, s);
	free(s);
	return HW_OK;
}

static void put_hex(hw_jw *w, const char *key, const uint8_t *p, size_t n)
{
	char h[129];

	hw_hex(h, p, n);
	hw_jw_kstr(w, key, h);
}

/* Implements: FR-LEDGER-005 */
int hw_event_write_json(hw_jw *w, const hw_event *e)
{
	char t[32];
	int err;

	hw_jw_object(w);
	hw_jw_kint(w, "seq", (long long)e->seq);
	put_hex(w, "prev", e->prev, 32);
	/* time_ns does not fit a JSON double */
	snprintf(t, sizeof(t), "%lld", (long long)e->time_ns);
	hw_jw_kstr(w, "time_ns", t);
	hw_jw_kstr(w, "kind", e->kind);
	hw_jw_kstr(w, "commit", e->commit);
	hw_jw_kstr(w, "payload_type", e->payload_type);
	hw_jw_key(w, "payload");
	err = put_b64(w, e->payload, e->payload_len);
	put_hex(w, "hash", e->hash, 32);
	put_hex(w, "key_id", e->key_id, 4);
	hw_jw_key(w, "sig");
	if (!err)
		err = put_b64(w, e->sig, 64);
	hw_jw_end(w);
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

/* 1 when object o holds the ten keys of an event and nothing else: each
 * is looked for below, so ten known keys are each there once. The
 * signature covers the event's values as read here; a key twice (cJSON
 * keeps the first value, other readers the last) or a key of its own
 * would show a reader something nobody signed. */
static int event_keys_only(const cJSON *o)
{
	static const char *const keys[] = {
		"seq",		"prev",	   "time_ns", "kind", "commit",
		"payload_type", "payload", "hash",    "key_id", "sig"};
	const size_t nkeys = sizeof(keys) / sizeof(*keys);
	size_t n = 0;

	for (const cJSON *a = o->child; a; a = a->next, n++) {
		size_t k = 0;

		while (k < nkeys &&
		       (!a->string || strcmp(a->string, keys[k]) != 0))
			k++;
		if (k == nkeys)
			return 0;
	}
	return n == nkeys;
}

/* Implements: FR-LEDGER-005 */
int hw_event_read_json(hw_event *e, const cJSON *o)
{
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(o, "seq");
	const char *t = hw_json_str(o, "time_ns");
	const char *payload = hw_json_str(o, "payload");
	const char *sig = hw_json_str(o, "sig");
	size_t n = 0;
	char *end;

	/* a seq of 1.5 is no event's, not event 1's: its bytes would
	 * still match event 1's hash and signature */
	if (!cJSON_IsObject(o) || !event_keys_only(o) || !cJSON_IsNumber(seq) ||
	    seq->valuedouble < 0 ||
	    seq->valuedouble > 9e15 ||
	    seq->valuedouble != (double)(uint64_t)seq->valuedouble || !t ||
	    !payload || !sig ||
	    !hw_json_str(o, "kind") || !hw_json_str(o, "commit") ||
	    !hw_json_str(o, "payload_type") || !get_hex(e->prev, 32, o, "prev") ||
	    !get_hex(e->hash, 32, o, "hash") ||
	    !get_hex(e->key_id, 4, o, "key_id"))
		return 0;
	e->seq = (uint64_t)seq->valuedouble;
	/* decimal as the writer gives it: no blank or '+' that strtoll
	 * skips, and nothing past the range it would clamp to */
	if (!((*t >= '0' && *t <= '9') ||
	      (*t == '-' && t[1] >= '0' && t[1] <= '9')))
		return 0;
	errno = 0;
	e->time_ns = strtoll(t, &end, 10);
	if (*end || errno == ERANGE)
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
