/*
 * token.c — one-time enrolment tokens (specs/fleet.md, "Enrolment").
 *
 * The server keeps only the token's SHA-256: STATE/tokens/HASH names the
 * host it is for and when it expires, so a copy of the state folder does
 * not hold a token anyone could still use. Redeeming renames the file to
 * HASH.used first: rename is atomic, so of two agents trading the same
 * token at once exactly one gets past it.
 */
#include "fleet/internal.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAGIC "hwledger fleet token v1\n"
/* the line a token for an operator's certificate ends with */
#define ROLE_OPERATOR "role: operator\n"

/* STATE/tokens/SHA256(token)SUFFIX into path */
static int token_path(hw_buf *path, const char *state, const char *token,
		      const char *suffix)
{
	uint8_t digest[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];

	hw_sha256(digest, token, strlen(token));
	hw_hex(hex, digest, sizeof(digest));
	hw_buf_clear(path);
	return hw_buf_printf(path, "%s/tokens/%s%s", state, hex, suffix);
}

/* Implements: FR-FLEET-002 */
int hw_fleet_token_new(char *token, const char *state, const char *host,
		       unsigned ttl, int operator)
{
	uint8_t raw[32];
	hw_buf path, text;
	time_t now;
	int err;

	if (!hw_key_name_valid(host))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "host name '%s' must be 1-64 letters, "
				    "digits, '.', '_' or '-'",
				    host);
	if ((err = hw_fleet_now(&now)))
		return err;
	randombytes_buf(raw, sizeof(raw));
	memcpy(token, HW_FLEET_TOKEN_PREFIX, sizeof(HW_FLEET_TOKEN_PREFIX));
	sodium_bin2base64(token + sizeof(HW_FLEET_TOKEN_PREFIX) - 1,
			  HW_FLEET_TOKEN_LEN + 1 -
				  (sizeof(HW_FLEET_TOKEN_PREFIX) - 1),
			  raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	hw_buf_init(&path, 0);
	hw_buf_init(&text, 0);
	if (!(err = hw_buf_printf(&path, "%s/tokens", state)) &&
	    !(err = hw_mkdir_p(path.data)) &&
	    !(err = token_path(&path, state, token, "")) &&
	    !(err = hw_buf_printf(&text,
				  TOKEN_MAGIC "host: %s\nexpires: %lld\n%s",
				  host, (long long)now + ttl,
				  operator ? ROLE_OPERATOR : "")))
		err = hw_file_create(path.data, text.data, text.len, 0600);
	hw_buf_free(&path);
	hw_buf_free(&text);
	return err;
}

/* 1 when token has the shape of one: the prefix and 43 base64url
 * characters (checked before it names a file) */
static int token_shape(const char *token)
{
	size_t p = sizeof(HW_FLEET_TOKEN_PREFIX) - 1;

	if (strlen(token) != HW_FLEET_TOKEN_LEN ||
	    strncmp(token, HW_FLEET_TOKEN_PREFIX, p) != 0)
		return 0;
	return strspn(token + p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789-_") ==
	       HW_FLEET_TOKEN_LEN - p;
}

/* The host, expiry and role of a token record; HW_EINVAL when it is not
 * one. */
static int parse_record(char host[HW_KEY_NAME_MAX + 1], long long *expires,
			int *operator, const char *text)
{
	const size_t magic = sizeof(TOKEN_MAGIC "host: ") - 1;
	const char *name = text + magic, *nl;
	char *end;

	/* the magic first: a shorter text has no byte at name */
	if (strncmp(text, TOKEN_MAGIC "host: ", magic) != 0)
		return HW_EINVAL;
	nl = strchr(name, '\n');
	if (!nl || nl - name > HW_KEY_NAME_MAX ||
	    strncmp(nl + 1, "expires: ", 9) != 0)
		return HW_EINVAL;
	memcpy(host, name, (size_t)(nl - name));
	host[nl - name] = '\0';
	errno = 0;
	*expires = strtoll(nl + 10, &end, 10);
	*operator = *end == '\n' && !strcmp(end + 1, ROLE_OPERATOR);
	if (!hw_key_name_valid(host) || errno || *end != '\n' ||
	    (end[1] && !*operator))
		return HW_EINVAL;
	return HW_OK;
}

/* Implements: FR-FLEET-002 */
int hw_fleet_token_redeem(char host[HW_KEY_NAME_MAX + 1], int *operator,
			  const char *state, const char *token)
{
	hw_buf path, used, text;
	long long expires = 0;
	time_t now;
	int err;

	*operator = 0;
	if (!token_shape(token))
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "not an enrolment token (expected %s and "
				    "43 base64url characters)",
				    HW_FLEET_TOKEN_PREFIX);
	if ((err = hw_fleet_now(&now)))
		return err;
	hw_buf_init(&path, 0);
	hw_buf_init(&used, 0);
	hw_buf_init(&text, 4096);
	if ((err = token_path(&path, state, token, "")) ||
	    (err = token_path(&used, state, token, ".used")))
		goto out;
	if (rename(path.data, used.data) != 0) {
		err = errno == ENOENT
			      ? hw_error_set(HW_EINVAL, NULL, 0, 0,
					     "unknown or already used "
					     "enrolment token")
			      : hw_error_set(HW_EIO, path.data, 0, 0, "%s",
					     strerror(errno));
		goto out;
	}
	if ((err = hw_file_read(&text, used.data, 4096)))
		goto out;
	if ((err = parse_record(host, &expires, operator, text.data))) {
		err = hw_error_set(HW_EINVAL, used.data, 0, 0,
				   "not an enrolment token record");
		goto out;
	}
	if ((long long)now >= expires)
		err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				   "enrolment token for '%s' expired", host);
out:
	hw_buf_free(&path);
	hw_buf_free(&used);
	hw_buf_free(&text);
	return err;
}
