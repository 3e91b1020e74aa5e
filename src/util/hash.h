/*
 * util/hash.h — SHA-256 (libsodium), a fast hash for caches, hex.
 */
#ifndef HW_UTIL_HASH_H
#define HW_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HW_SHA256_LEN 32
#define HW_SHA256_HEX_LEN 64

/* Must be called once before hashing (libsodium's sodium_init). */
int hw_crypto_init(void);
void hw_sha256(uint8_t out[HW_SHA256_LEN], const void *p, size_t n);
/*
 * A fast 64-bit hash of content, for change detection in caches only (it
 * is not cryptographic: evidence is hashed with hw_sha256).
 */
uint64_t hw_hash64(const void *p, size_t n);

/* Writes 2*n lowercase hex digits and a NUL to out. */
void hw_hex(char *out, const uint8_t *in, size_t n);

#endif
