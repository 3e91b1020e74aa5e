/*
 * hash.c — SHA-256 (libsodium) for evidence, a fast 64-bit hash for cache
 * change detection, and hex encoding.
 */
#include "util.h"

#include <string.h>

#include <sodium.h>

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
	crypto_hash_sha256(out, p, n);
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

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * Four independent multiply-xor lanes over 8-byte words, so the CPU can
 * overlap the multiplications; the tail is folded in byte by byte.
 */
/* Implements: FR-TRACE-007 */
uint64_t hw_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xc2b2ae3d27d4eb4fULL,
		 c = 0x165667b19e3779f9ULL, d = 0x27d4eb2f165667c5ULL;
	const uint64_t k = 0x9fb21c651e98df25ULL;
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		uint64_t w[4];

		memcpy(w, s + i, sizeof(w));
		a = (a ^ w[0]) * k;
		b = (b ^ w[1]) * k;
		c = (c ^ w[2]) * k;
		d = (d ^ w[3]) * k;
		a ^= a >> 29;
		b ^= b >> 29;
		c ^= c >> 29;
		d ^= d >> 29;
	}
	for (; i < n; i++)
		a = (a ^ s[i]) * k;
	return mix(a ^ mix(b) ^ (mix(c) << 1) ^ (mix(d) >> 1));
}
