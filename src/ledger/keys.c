/*
 * keys.c — Ed25519 keys (libsodium) in the transparency-log note style.
 *
 * A public key is written "<name>+<hex key id>+<base64(0x01 || key)>", the
 * key id being the first 4 bytes of SHA-256(name || "\n" || 0x01 || key),
 * so a key line names itself and cannot be paired with another name. A
 * secret key file holds three lines and is created with mode 0600.
 */
#include "ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hw_key_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > HW_KEY_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

void hw_key_id(uint8_t out[4], const char *name, const uint8_t pk[32])
{
	struct sha256_ctx st;
	uint8_t digest[32];
	const uint8_t alg = 0x01;

	sha256_init(&st);
	sha256_update(&st, strlen(name), (const uint8_t *)name);
	sha256_update(&st, 1, (const uint8_t *)"\n");
	sha256_update(&st, 1, &alg);
	sha256_update(&st, 32, pk);
	sha256_digest(&st, SHA256_DIGEST_SIZE, digest);
	memcpy(out, digest, 4);
}

void hw_pubkey_format(char *out, size_t size, const hw_pubkey *k)
{
	uint8_t raw[33];
	char b64[64], hex[9];

	raw[0] = 0x01;
	memcpy(raw + 1, k->pk, 32);
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw),
			  sodium_base64_VARIANT_ORIGINAL);
	hw_hex(hex, k->id, 4);
	snprintf(out, size, "%s+%s+%s", k->name, hex, b64);
}

/* Implements: FR-LEDGER-001 */
int hw_pubkey_parse(hw_pubkey *k, const char *line, const char *file,
		    long lineno)
{
	const char *p1 = strchr(line, '+'), *p2;
	uint8_t raw[64], id[4];
	size_t rawn = 0;
	char hex[9];
	size_t n;

	memset(k, 0, sizeof(*k));
	p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	if (!p1 || !p2 || p2 - p1 != 9)
		return hw_error_set(HW_EINVAL, file, lineno, 0,
				    "not a public key: expected "
				    "NAME+KEYID+BASE64");
	n = (size_t)(p1 - line);
	if (n == 0 || n > HW_KEY_NAME_MAX)
		return hw_error_set(HW_EINVAL, file, lineno, 0,
				    "bad key name length");
	memcpy(k->name, line, n);
	k->name[n] = '\0';
	if (!hw_key_name_valid(k->name))
		return hw_error_set(HW_EINVAL, file, lineno, 0,
				    "bad key name '%s'", k->name);
	{
		size_t len = strlen(p2 + 1);

		while (len && (p2[len] == '\n' || p2[len] == '\r' ||
			       p2[len] == ' '))
			len--;
		if (sodium_base642bin(raw, sizeof(raw), p2 + 1, len, NULL,
				      &rawn, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    rawn != 33 || raw[0] != 0x01)
			return hw_error_set(HW_EINVAL, file, lineno, 0,
					    "bad public key: expected base64 "
					    "of 0x01 and 32 key bytes");
	}
	memcpy(k->pk, raw + 1, 32);
	hw_key_id(id, k->name, k->pk);
	hw_hex(hex, id, 4);
	if (memcmp(hex, p1 + 1, 8) != 0)
		return hw_error_set(HW_EINVAL, file, lineno, 0,
				    "key id %.8s does not match the name and "
				    "key (expected %s)",
				    p1 + 1, hex);
	memcpy(k->id, id, 4);
	k->valid_until = UINT64_MAX;
	return HW_OK;
}

/* Implements: FR-LEDGER-001 */
int hw_key_generate(hw_seckey *out, const char *dir, const char *name)
{
	char b64[128], publine[200];
	hw_buf keypath, pubpath, text;
	/* .hwledger/ is hwledger's own: a NAME.pub left there without its
	 * key is replaced; anywhere else it may be the user's (another key
	 * of that name) and is never replaced, as the key is not */
	int own = hw_str_startswith(dir, ".hwledger");
	int err;

	if (!hw_key_name_valid(name))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "key name '%s' must be 1-64 letters, "
				    "digits, '.', '_' or '-'",
				    name);
	memset(out, 0, sizeof(*out));
	crypto_sign_keypair(out->pub.pk, out->sk);
	snprintf(out->pub.name, sizeof(out->pub.name), "%s", name);
	hw_key_id(out->pub.id, name, out->pub.pk);
	out->pub.valid_until = UINT64_MAX;
	/* a key made in .hwledger/ never shows as a file to commit */
	if (hw_str_startswith(dir, ".hwledger") &&
	    (err = hw_ledger_dir_protect()))
		return err;
	if ((err = hw_mkdir_p(dir)))
		return err;
	hw_buf_init(&keypath, 0);
	hw_buf_init(&pubpath, 0);
	hw_buf_init(&text, 0);
	sodium_bin2base64(b64, sizeof(b64), out->sk, sizeof(out->sk),
			  sodium_base64_VARIANT_ORIGINAL);
	hw_pubkey_format(publine, sizeof(publine), &out->pub);
	if ((err = hw_buf_printf(&keypath, "%s/%s.key", dir, name)) ||
	    (err = hw_buf_printf(&pubpath, "%s/%s.pub", dir, name)) ||
	    (err = hw_buf_printf(&text,
				 "hwledger secret key v1\nname: %s\nkey: %s\n",
				 name, b64)) ||
	    (err = hw_file_create(keypath.data, text.data, text.len,
					   0600)))
		goto cleanup;
	sodium_memzero(text.data, text.cap);
	hw_buf_clear(&text);
	if ((err = hw_buf_printf(&text, "%s\n", publine)) ||
	    (err = own ? hw_file_write_atomic(pubpath.data, text.data, text.len)
		       : hw_file_create(pubpath.data, text.data, text.len,
					0644)))
		unlink(keypath.data);
cleanup:
	sodium_memzero(b64, sizeof(b64));
	if (text.data)
		sodium_memzero(text.data, text.cap);
	hw_buf_free(&text);
	hw_buf_free(&keypath);
	hw_buf_free(&pubpath);
	return err;
}

/* Implements: FR-LEDGER-001 */
int hw_seckey_load(hw_seckey *k, const char *path)
{
	hw_buf b;
	char *name, *key, *nl;
	unsigned char seed[32], pk[32], check[64];
	size_t rawn = 0;
	struct stat st;
	int err;

	memset(k, 0, sizeof(*k));
	hw_buf_init(&b, 4096);
	if ((err = hw_file_read_stat(&b, path, 4096, &st)) ||
	    (err = hw_text_refuse_nul(b.data, b.len, path, "a key file")))
		goto cleanup;
	if (st.st_mode & 077) {
		err = hw_error_set(HW_EINVAL, path, 0, 0,
				   "secret key is readable by others (mode "
				   "%03o); chmod 600 it",
				   (unsigned)(st.st_mode & 0777));
		goto cleanup;
	}
	if (strncmp(b.data, "hwledger secret key v1\nname: ", 29) != 0) {
		err = hw_error_set(HW_EINVAL, path, 1, 0,
				   "not an hwledger secret key");
		goto cleanup;
	}
	name = b.data + 29;
	nl = strchr(name, '\n');
	if (!nl || strncmp(nl + 1, "key: ", 5) != 0) {
		err = hw_error_set(HW_EINVAL, path, 2, 0,
				   "expected 'name:' then 'key:' lines");
		goto cleanup;
	}
	*nl = '\0';
	key = nl + 6;
	nl = strchr(key, '\n');
	if (nl)
		*nl = '\0';
	if (!hw_key_name_valid(name)) {
		err = hw_error_set(HW_EINVAL, path, 2, 0, "bad key name");
		goto cleanup;
	}
	/* one key a file: a line after it is never passed over unread */
	if (nl && nl[1]) {
		err = hw_error_set(HW_EINVAL, path, 4, 0,
				   "nothing may follow the key line");
		goto cleanup;
	}
	if (sodium_base642bin(k->sk, sizeof(k->sk), key, strlen(key), NULL,
			      &rawn, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    rawn != 64) {
		err = hw_error_set(HW_EINVAL, path, 3, 0, "bad key bytes");
		goto cleanup;
	}
	/* the second half of the key bytes is the public key libsodium
	 * signs with: one that is not the seed's makes signatures that no
	 * public key verifies */
	crypto_sign_ed25519_sk_to_seed(seed, k->sk);
	crypto_sign_seed_keypair(pk, check, seed);
	if (sodium_memcmp(pk, k->sk + 32, 32) != 0) {
		err = hw_error_set(HW_EINVAL, path, 3, 0,
				   "the key's public half is not its seed's "
				   "(damaged key bytes)");
		goto cleanup;
	}
	snprintf(k->pub.name, sizeof(k->pub.name), "%s", name);
	crypto_sign_ed25519_sk_to_pk(k->pub.pk, k->sk);
	hw_key_id(k->pub.id, k->pub.name, k->pub.pk);
	k->pub.valid_until = UINT64_MAX;
cleanup:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(check, sizeof(check));
	if (err)
		sodium_memzero(k->sk, sizeof(k->sk));
	if (b.data)
		sodium_memzero(b.data, b.cap);
	hw_buf_free(&b);
	return err;
}

int hw_seckey_need(hw_seckey *k, char *path_out, size_t path_size)
{
	int err = hw_seckey_find(k, path_out, path_size);

	return err == HW_ENOTFOUND ? HW_EIO : err;
}

int hw_seckey_find(hw_seckey *k, char *path_out, size_t path_size)
{
	const char *env = getenv("HWLEDGER_SIGNING_KEY");
	char **files = NULL;
	size_t n = 0;
	int err;

	if (env && *env) {
		snprintf(path_out, path_size, "%s", env);
		/* the user asked for this key: its absence is an error of the
		 * environment, never a reason to sign with another key */
		if (!hw_path_exists(env))
			return hw_error_set(HW_EIO, env, 0, 0,
					    "no such file (named by "
					    "HWLEDGER_SIGNING_KEY)");
		return hw_seckey_load(k, env);
	}
	err = hw_dir_list(&files, &n, HW_LEDGER_KEYS_DIR, ".key");
	if (err == HW_ENOTFOUND || (!err && n == 0)) {
		hw_strv_free(files);
		return hw_error_set(HW_ENOTFOUND, NULL, 0, 0,
				    "no signing key: set HWLEDGER_SIGNING_KEY "
				    "or run 'hwledger ledger keygen'");
	}
	if (err)
		return err;
	snprintf(path_out, path_size, "%s", files[0]);
	err = hw_seckey_load(k, files[0]);
	hw_strv_free(files);
	return err;
}

int hw_keyring_add(hw_keyring *ring, const hw_pubkey *k)
{
	hw_pubkey *v;

	for (size_t i = 0; i < ring->n; i++)
		if (memcmp(ring->keys[i].id, k->id, 4) == 0 &&
		    memcmp(ring->keys[i].pk, k->pk, 32) == 0)
			return HW_OK;
	v = realloc(ring->keys, (ring->n + 1) * sizeof(*v));
	HW_CHECK_ALLOC(v);
	ring->keys = v;
	ring->keys[ring->n++] = *k;
	return HW_OK;
}

/* Implements: FR-LEDGER-001 */
int hw_keyring_load(hw_keyring *ring, const char *path)
{
	hw_buf b;
	char *line;
	long lineno = 0;
	int err;

	hw_buf_init(&b, 1 << 20);
	if ((err = hw_file_read(&b, path, 1 << 20)) ||
	    (err = hw_text_refuse_nul(b.data, b.len, path, "a key file"))) {
		hw_buf_free(&b);
		return err;
	}
	/* strtok_r would skip empty lines and lose the numbering */
	line = b.data;
	while (line && !err) {
		char *nl = strchr(line, '\n');
		hw_pubkey k;

		if (nl)
			*nl = '\0';
		lineno++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && *line != '#' && *line != '\r') {
			err = hw_pubkey_parse(&k, line, path, lineno);
			if (!err)
				err = hw_keyring_add(ring, &k);
		}
		line = nl ? nl + 1 : NULL;
	}
	hw_buf_free(&b);
	return err;
}

const hw_pubkey *hw_keyring_find(const hw_keyring *ring, const uint8_t id[4])
{
	for (size_t i = 0; ring && i < ring->n; i++)
		if (memcmp(ring->keys[i].id, id, 4) == 0)
			return &ring->keys[i];
	return NULL;
}

int hw_keyring_has(const hw_keyring *ring, const hw_pubkey *k)
{
	const hw_pubkey *t = hw_keyring_find(ring, k->id);

	return t && memcmp(t->pk, k->pk, sizeof(t->pk)) == 0;
}

/* Implements: FR-REPORT-002 */
int hw_key_listed(const char *path, const hw_pubkey *k)
{
	hw_keyring ring = {0};
	int listed = 0;

	if (path && hw_path_exists(path) && !hw_keyring_load(&ring, path))
		listed = hw_keyring_has(&ring, k);
	hw_keyring_free(&ring);
	hw_error_clear();
	return listed;
}

const hw_pubkey *hw_keyring_find_at(const hw_keyring *ring,
				    const uint8_t id[4], uint64_t seq)
{
	for (size_t i = 0; ring && i < ring->n; i++)
		if (memcmp(ring->keys[i].id, id, 4) == 0 &&
		    seq >= ring->keys[i].valid_from &&
		    seq <= ring->keys[i].valid_until)
			return &ring->keys[i];
	return NULL;
}

void hw_keyring_free(hw_keyring *ring)
{
	free(ring->keys);
	ring->keys = NULL;
	ring->n = 0;
}

/* Implements: FR-REPORT-002 */
void hw_blob_sign(char out[HW_SIG_B64_LEN], const void *p, size_t n,
		  const hw_seckey *k)
{
	uint8_t sig[64];

	crypto_sign_detached(sig, NULL, p, n, k->sk);
	sodium_bin2base64(out, HW_SIG_B64_LEN, sig, sizeof(sig),
			  sodium_base64_VARIANT_ORIGINAL);
}

/* Implements: FR-REPORT-002 */
int hw_blob_verify(const char *b64, const void *p, size_t n,
		   const hw_pubkey *k)
{
	uint8_t sig[64];
	size_t len = 0;

	if (sodium_base642bin(sig, sizeof(sig), b64, strlen(b64), " \n", &len,
			      NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != sizeof(sig))
		return HW_EFAIL;
	return crypto_sign_verify_detached(sig, p, n, k->pk) ? HW_EFAIL
							      : HW_OK;
}
