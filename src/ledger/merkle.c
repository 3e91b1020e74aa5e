/*
 * merkle.c — RFC 6962 Merkle tree hashes over the ledger's leaf hashes:
 * the tree head, audit paths and their verification (RFC 9162, 2.1.3.2).
 *
 *   MTH({})   = SHA-256()
 *   MTH({d0}) = leaf hash (already SHA-256(0x00 || E))
 *   MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest
 *               power of two smaller than n
 */
#include "ledger.h"

#include <nettle/sha2.h>
#include <string.h>

static void node_hash(uint8_t out[32], const uint8_t l[32],
		      const uint8_t r[32])
{
	struct sha256_ctx st;
	const uint8_t one = 0x01;

	sha256_init(&st);
	sha256_update(&st, 1, &one);
	sha256_update(&st, 32, l);
	sha256_update(&st, 32, r);
	sha256_digest(&st, SHA256_DIGEST_SIZE, out);
}

static size_t split(size_t n)
{
	size_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

static void mth(uint8_t out[32], const uint8_t (*d)[32], size_t n)
{
	uint8_t l[32], r[32];
	size_t k;

	if (n == 1) {
		memcpy(out, d[0], 32);
		return;
	}
	k = split(n);
	mth(l, d, k);
	mth(r, d + k, n - k);
	node_hash(out, l, r);
}

/* Implements: FR-LEDGER-003 */
void hw_merkle_root(uint8_t out[32], const uint8_t (*leaves)[32], size_t n)
{
	if (n == 0) {
		hw_sha256(out, "", 0);
		return;
	}
	mth(out, leaves, n);
}

static int path(uint8_t (*p)[32], size_t *len, const uint8_t (*d)[32],
		size_t n, size_t m)
{
	size_t k;

	if (n <= 1)
		return HW_OK;
	if (*len >= 64)
		return hw_error_set(HW_EINVAL, NULL, 0, 0, "path too long");
	k = split(n);
	if (m < k) {
		if (path(p, len, d, k, m))
			return HW_EINVAL;
		mth(p[(*len)++], d + k, n - k);
	} else {
		if (path(p, len, d + k, n - k, m - k))
			return HW_EINVAL;
		mth(p[(*len)++], d, k);
	}
	return HW_OK;
}

/* Implements: FR-LEDGER-005 */
int hw_merkle_path(uint8_t (*p)[32], size_t *len, const uint8_t (*leaves)[32],
		   size_t n, size_t m)
{
	*len = 0;
	if (m >= n)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "leaf %zu is not in a tree of %zu", m, n);
	return path(p, len, leaves, n, m);
}

/* Implements: FR-LEDGER-005 */
int hw_merkle_verify_path(const uint8_t leaf[32], size_t m, size_t n,
			  const uint8_t (*p)[32], size_t len,
			  const uint8_t root[32])
{
	uint8_t r[32];
	size_t fn = m, sn = n - 1;

	if (m >= n)
		return HW_EFAIL;
	memcpy(r, leaf, 32);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return HW_EFAIL;
		if ((fn & 1) || fn == sn) {
			node_hash(r, p[i], r);
			if (!(fn & 1))
				while (fn && !(fn & 1)) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			node_hash(r, r, p[i]);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, 32) == 0 ? HW_OK : HW_EFAIL;
}
