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

#include <nettle/sha2.h>
#include <sodium.h>
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
