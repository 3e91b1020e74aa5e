/*
 * checkpoint.c — signed checkpoints in the transparency-log note style:
 *
 *   <origin>\n<tree size>\n<base64 root>\n
 *   \n
 *   — <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>\n
 *
 * The signatures cover the three body lines (with their newlines). Parsing
 * is strict: a missing size, bad base64, an extra line, no signature or a
 * signature line of the wrong shape is an error.
 */
#include "ledger.h"

#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EM_DASH "\xe2\x80\x94"

void hw_ledger_origin(char *out, size_t size)
{
	char cwd[PATH_MAX];
	const char *base = "repository";

	if (getcwd(cwd, sizeof(cwd))) {
		char *slash = strrchr(cwd, '/');

		if (slash && slash[1])
			base = slash + 1;
	}
	snprintf(out, size, "hwledger/%s", base);
}

void hw_checkpoint_free(hw_checkpoint *c)
{
	free(c->text);
	memset(c, 0, sizeof(*c));
}

static int body_text(hw_buf *b, const char *origin, uint64_t size,
		     const uint8_t root[32])
{
	char b64[64];

	sodium_bin2base64(b64, sizeof(b64), root, 32,
			  sodium_base64_VARIANT_ORIGINAL);
	return hw_buf_printf(b, "%s\n%llu\n%s\n", origin,
			     (unsigned long long)size, b64);
}

/* Implements: FR-LEDGER-003 */
int hw_checkpoint_make(hw_checkpoint *c, const char *origin, uint64_t size,
		       const uint8_t root[32], const hw_seckey *keys,
		       size_t nkeys)
{
	hw_buf b;
	size_t body_len;
	int err;

	memset(c, 0, sizeof(*c));
	if (!nkeys || nkeys > 8)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "a checkpoint takes 1 to 8 signing keys");
	if (!*origin || strchr(origin, '\n') || strlen(origin) >= sizeof(c->origin))
		return hw_error_set(HW_EINVAL, NULL, 0, 0, "bad origin");
	hw_buf_init(&b, 0);
	if ((err = body_text(&b, origin, size, root)))
		goto fail;
	body_len = b.len;
	if ((err = hw_buf_puts(&b, "\n")))
		goto fail;
	for (size_t i = 0; i < nkeys; i++) {
		uint8_t blob[68];
		char b64[128];

		memcpy(blob, keys[i].pub.id, 4);
		crypto_sign_detached(blob + 4, NULL, (const uint8_t *)b.data,
				     body_len, keys[i].sk);
		sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob),
				  sodium_base64_VARIANT_ORIGINAL);
		if ((err = hw_buf_printf(&b, EM_DASH " %s %s\n",
					 keys[i].pub.name, b64)))
			goto fail;
	}
	err = hw_checkpoint_parse(c, b.data, b.len, "checkpoint");
fail:
	hw_buf_free(&b);
	return err;
}

static int next_line(const char **p, const char *end, const char **line,
		     size_t *n)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));

	if (!nl)
		return 0;
	*line = *p;
	*n = (size_t)(nl - *p);
	*p = nl + 1;
	return 1;
}

/* Implements: FR-LEDGER-003, FR-LEDGER-004 */
int hw_checkpoint_parse(hw_checkpoint *c, const char *text, size_t len,
			const char *file)
{
	const char *p = text, *end = text + len, *line;
	size_t n, rawn;
	uint8_t raw[80];
	long lineno = 0;

	int err;

	memset(c, 0, sizeof(*c));
	if ((err = hw_text_refuse_nul(text, len, file, "a checkpoint")))
		return err;
	/* at the last line: it has no newline */
	if (len == 0 || text[len - 1] != '\n') {
		long at = 1;

		for (const char *q = text; q < end; q++)
			at += *q == '\n';
		return hw_error_set(HW_EINVAL, file, at, 0,
				    "checkpoint must end with a newline");
	}
	/* origin */
	if (!next_line(&p, end, &line, &n) || n == 0 ||
	    n >= sizeof(c->origin))
		return hw_error_set(HW_EINVAL, file, 1, 0,
				    "missing or bad origin line");
	memcpy(c->origin, line, n);
	lineno = 1;
	/* tree size: decimal, no sign, no leading zeros */
	if (!next_line(&p, end, &line, &n) || n == 0 || n > 19 ||
	    (n > 1 && line[0] == '0'))
		return hw_error_set(HW_EINVAL, file, 2, 0,
				    "missing or bad tree size line");
	for (size_t i = 0; i < n; i++) {
		if (line[i] < '0' || line[i] > '9')
			return hw_error_set(HW_EINVAL, file, 2, 0,
					    "tree size is not a number");
		c->size = c->size * 10 + (uint64_t)(line[i] - '0');
	}
	lineno = 3;
	if (!next_line(&p, end, &line, &n) ||
	    sodium_base642bin(raw, sizeof(raw), line, n, NULL, &rawn, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    rawn != 32)
		return hw_error_set(HW_EINVAL, file, 3, 0,
				    "root hash line is not base64 of 32 "
				    "bytes");
	memcpy(c->root, raw, 32);
	if (!next_line(&p, end, &line, &n) || n != 0)
		return hw_error_set(HW_EINVAL, file, 4, 0,
				    "extra line in the checkpoint body (a blank "
				    "line must follow the root)");
	lineno = 4;
	while (next_line(&p, end, &line, &n)) {
		const char *sp;
		size_t nn;

		lineno++;
		if (c->nsigs == 8)
			return hw_error_set(HW_EINVAL, file, lineno, 0,
					    "more than 8 signatures");
		if (n < 4 || memcmp(line, EM_DASH " ", 4) != 0)
			return hw_error_set(HW_EINVAL, file, lineno, 0,
					    "expected a signature line '— NAME "
					    "SIGNATURE'");
		line += 4;
		n -= 4;
		sp = memchr(line, ' ', n);
		nn = sp ? (size_t)(sp - line) : 0;
		if (!sp || nn == 0 || nn > HW_KEY_NAME_MAX)
			return hw_error_set(HW_EINVAL, file, lineno, 0,
					    "bad signature line");
		memcpy(c->sigs[c->nsigs].name, line, nn);
		c->sigs[c->nsigs].name[nn] = '\0';
		if (sodium_base642bin(raw, sizeof(raw), sp + 1,
				      n - nn - 1, NULL, &rawn, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    rawn != 68)
			return hw_error_set(HW_EINVAL, file, lineno, 0,
					    "signature is not base64 of a key "
					    "id and 64 bytes");
		memcpy(c->sigs[c->nsigs].id, raw, 4);
		memcpy(c->sigs[c->nsigs].sig, raw + 4, 64);
		c->nsigs++;
	}
	if (p != end)
		return hw_error_set(HW_EINVAL, file, lineno + 1, 0,
				    "unterminated line");
	if (c->nsigs == 0)
		return hw_error_set(HW_EINVAL, file, 5, 0,
				    "checkpoint has no signature");
	if (!(c->text = hw_strndup(text, len)))
		return hw_error_oom();
	return HW_OK;
}

/* Implements: FR-LEDGER-004 */
int hw_checkpoint_verify(const hw_checkpoint *c, const hw_keyring *ring)
{
	size_t body_len, good = 0;
	const char *blank = strstr(c->text, "\n\n");

	if (!blank)
		return hw_error_set(HW_EFAIL, NULL, 0, 0,
				    "checkpoint has no body");
	body_len = (size_t)(blank - c->text) + 1;
	for (size_t i = 0; i < c->nsigs; i++) {
		const hw_pubkey *k = hw_keyring_find(ring, c->sigs[i].id);

		if (!k || strcmp(k->name, c->sigs[i].name) != 0)
			continue; /* a co-signer we do not know */
		if (crypto_sign_verify_detached(c->sigs[i].sig,
						(const uint8_t *)c->text,
						body_len, k->pk) != 0)
			return hw_error_set(HW_EFAIL, NULL, 0, 0,
					    "checkpoint of size %llu: the "
					    "signature by %s does not verify",
					    (unsigned long long)c->size,
					    k->name);
		good++;
	}
	if (!good)
		return hw_error_set(HW_EFAIL, NULL, 0, 0,
				    "checkpoint of size %llu is not signed by "
				    "a trusted key",
				    (unsigned long long)c->size);
	return HW_OK;
}
