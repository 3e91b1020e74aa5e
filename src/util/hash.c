/*
 * hash.c — SHA-256 (Nettle: it picks the processor's SHA instructions at
 * run time, where libsodium's portable code hashed a site's files at a
 * quarter of the speed) for evidence, a fast 64-bit hash (xxHash's
 * XXH3) for cache change detection and hash tables, and hex encoding.
 */
#include "util.h"

#include <string.h>

#include <nettle/sha2.h>
#include <sodium.h>
#include <xxhash.h>

int hw_crypto_init(void)
{
	if (sodium_init() < 0)
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "libsodium failed to initialise");
	return HW_OK;
}

/* Implements: FR-FRS-003 */
void hw_sha256(uint8_t out[HW_SHA256_LEN], const void *p, size_t n)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, HW_SHA256_LEN, out);
}

void hw_hex(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Implements: FR-TRACE-007 */
uint64_t hw_hash64(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}
