/*
 * test_ledger.c — the ledger's building blocks: RFC 6962 test vectors,
 * audit paths, the event bytes, keys and the strict checkpoint parser.
 */
#include "harness.h"

#include <sodium.h>
#include <sys/stat.h>

#include "ledger/ledger.h"

static const char *const vector_data[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f"};

/* RFC 6962 reference roots for the first n vector leaves. */
static const char *const vector_roots[] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

static void vector_leaves(uint8_t leaves[8][32])
{
	for (int i = 0; i < 8; i++) {
		uint8_t raw[16];
		size_t n = 0;

		assert_int_equal(sodium_hex2bin(raw, sizeof(raw), vector_data[i],
						strlen(vector_data[i]), NULL, &n,
						NULL),
				 0);
		hw_leaf_hash(leaves[i], raw, n);
	}
}

/* Verifies: FR-LEDGER-003 */
static void test_merkle_roots_match_rfc6962_vectors(void **state)
{
	uint8_t leaves[8][32], root[32];
	char hex[65];

	(void)state;
	vector_leaves(leaves);
	for (size_t n = 1; n <= 8; n++) {
		hw_merkle_root(root, (const uint8_t(*)[32])leaves, n);
		hw_hex(hex, root, 32);
		assert_string_equal(hex, vector_roots[n - 1]);
	}
	hw_merkle_root(root, NULL, 0);
	hw_hex(hex, root, 32);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

/* Verifies: FR-LEDGER-005 */
static void test_audit_paths_match_vectors_and_verify(void **state)
{
	uint8_t leaves[8][32], path[64][32], root[32];
	size_t len;
	char hex[65];
	static const char *const p08[] = {
		"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};

	(void)state;
	vector_leaves(leaves);
	assert_int_equal(hw_merkle_path(path, &len,
					(const uint8_t(*)[32])leaves, 8, 0),
			 HW_OK);
	assert_int_equal(len, 3);
	for (size_t i = 0; i < 3; i++) {
		hw_hex(hex, path[i], 32);
		assert_string_equal(hex, p08[i]);
	}
	/* every leaf of every tree up to 8 proves, and nothing else does */
	for (size_t n = 1; n <= 8; n++) {
		hw_merkle_root(root, (const uint8_t(*)[32])leaves, n);
		for (size_t m = 0; m < n; m++) {
			assert_int_equal(hw_merkle_path(path, &len,
							(const uint8_t(*)[32])leaves,
							n, m),
					 HW_OK);
			assert_int_equal(hw_merkle_verify_path(
						 leaves[m], m, n,
						 (const uint8_t(*)[32])path,
						 len, root),
					 HW_OK);
			if (n > 1)
				assert_int_equal(
					hw_merkle_verify_path(
						leaves[(m + 1) % n], m, n,
						(const uint8_t(*)[32])path, len,
						root),
					HW_EFAIL);
			if (len) {
				path[0][0] ^= 1;
				assert_int_equal(
					hw_merkle_verify_path(
						leaves[m], m, n,
						(const uint8_t(*)[32])path, len,
						root),
					HW_EFAIL);
			}
		}
	}
	assert_int_equal(hw_merkle_path(path, &len,
					(const uint8_t(*)[32])leaves, 8, 8),
			 HW_EINVAL);
}

/* Verifies: FR-LEDGER-002 */
static void test_event_bytes_follow_the_format(void **state)
{
	hw_event e;
	hw_buf b, pae;
	static const unsigned char want[] =
		"hwledger-event/v1\n"
		"\x00\x00\x00\x00\x00\x00\x00\x07"
		"\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"
		"\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"
		"\x00\x00\x00\x00\x00\x00\x01\x00"
		"\x00\x00\x00\x01k"
		"\x00\x00\x00\x02" "ab"
		"\x00\x00\x00\x03t/x"
		"\x00\x00\x00\x02{}";

	(void)state;
	memset(&e, 0, sizeof(e));
	e.seq = 7;
	memset(e.prev, 0x11, 32);
	e.time_ns = 256;
	e.kind = "k";
	e.commit = "ab";
	e.payload_type = "t/x";
	e.payload = (uint8_t *)"{}";
	e.payload_len = 2;
	hw_buf_init(&b, 0);
	hw_buf_init(&pae, 0);
	assert_int_equal(hw_event_encode(&b, &e), HW_OK);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.data, want, b.len);
	assert_int_equal(hw_event_pae(&pae, b.data, b.len), HW_OK);
	assert_int_equal(memcmp(pae.data,
				"DSSEv1 33 application/vnd.hwledger.event.v1 90 ",
				47),
			 0);
	assert_memory_equal(pae.data + 47, b.data, b.len);
	hw_buf_free(&b);
	hw_buf_free(&pae);
}

/* The key file text (mode 0600) refused by hw_seckey_load with want. */
static void seckey_refused(const char *text, const char *want)
{
	hw_seckey k;

	hw_test_write("keys/x.key", text, strlen(text));
	assert_int_equal(chmod("keys/x.key", 0600), 0);
	assert_int_equal(hw_seckey_load(&k, "keys/x.key"), HW_EINVAL);
	assert_string_equal(hw_error_last(), want);
}

/* The text of a small file, NUL-terminated; 0 when it was read whole. */
static int read_small(const char *path, char *out,
				      size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
	return n < size - 1 ? 0 : -1;
}

/* Verifies: FR-LEDGER-001 */
static void test_keys_round_trip_and_refuse_bad_lines(void **state)
{
	hw_seckey k, again;
	hw_pubkey p;
	char line[200], bad[200];
	struct stat st;

	(void)state;
	assert_int_equal(hw_key_generate(&k, "keys", "alice"), HW_OK);
	assert_int_equal(stat("keys/alice.key", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(hw_key_generate(&again, "keys", "alice"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "exists; not overwritten"));
	assert_int_equal(hw_seckey_load(&again, "keys/alice.key"), HW_OK);
	assert_memory_equal(again.pub.pk, k.pub.pk, 32);
	assert_memory_equal(again.pub.id, k.pub.id, 4);
	hw_pubkey_format(line, sizeof(line), &k.pub);
	assert_int_equal(hw_pubkey_parse(&p, line, "k", 1), HW_OK);
	assert_memory_equal(p.pk, k.pub.pk, 32);
	assert_string_equal(p.name, "alice");
	/* the key id binds the name: renaming the key breaks it */
	snprintf(bad, sizeof(bad), "mallory%s", strchr(line, '+'));
	assert_int_equal(hw_pubkey_parse(&p, bad, "k", 3), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "k:3: key id"));
	assert_int_equal(hw_pubkey_parse(&p, "alice+12345678+AAAA", "k", 1),
			 HW_EINVAL);
	assert_int_equal(hw_pubkey_parse(&p, "no plus signs", "k", 1),
			 HW_EINVAL);
	assert_int_equal(hw_key_generate(&again, "keys", "bad name"),
			 HW_EUSAGE);
	/* a secret key others can read is refused */
	assert_int_equal(chmod("keys/alice.key", 0644), 0);
	assert_int_equal(hw_seckey_load(&again, "keys/alice.key"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "readable by others"));
	hw_test_write("keys/junk.key", "not a key\n", 10);
	assert_int_equal(chmod("keys/junk.key", 0600), 0);
	assert_int_equal(hw_seckey_load(&again, "keys/junk.key"), HW_EINVAL);
	/* 64 key bytes whose second half is not the first's public key
	 * loaded, and signed what no public key verifies */
	seckey_refused("hwledger secret key v1\nname: alice\nkey: "
		       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
		       "keys/x.key:3: the key's public half is not its seed's "
		       "(damaged key bytes)");
	/* a bad name is line 2's, not line 3's; nothing follows the key */
	seckey_refused("hwledger secret key v1\nname: a b\nkey: AAAA\n",
		       "keys/x.key:2: bad key name");
	{
		char text[300];
		int n;

		assert_int_equal(read_small("keys/alice.key",
							    text, sizeof(text)),
				 0);
		n = (int)strlen(text);
		snprintf(text + n, sizeof(text) - (size_t)n, "key: AAAA\n");
		seckey_refused(text, "keys/x.key:4: nothing may follow the "
				     "key line");
	}
}

static void cp_fails(const char *text, const char *msg)
{
	hw_checkpoint c;

	assert_int_equal(hw_checkpoint_parse(&c, text, strlen(text), "cp"),
			 HW_EINVAL);
	if (!strstr(hw_error_last(), msg))
		fail_msg("'%s' lacks '%s'", hw_error_last(), msg);
}

/* Verifies: FR-LEDGER-003, FR-LEDGER-004 */
static void test_checkpoints_sign_verify_and_parse_strictly(void **state)
{
	hw_seckey a, b;
	hw_keyring ring = {0};
	hw_checkpoint c, d;
	uint8_t root[32];
	char *p;

	(void)state;
	memset(root, 0x42, 32);
	assert_int_equal(hw_key_generate(&a, "keys", "alice"), HW_OK);
	assert_int_equal(hw_key_generate(&b, "keys", "bob"), HW_OK);
	assert_int_equal(hw_keyring_add(&ring, &a.pub), HW_OK);
	{
		hw_seckey both[2] = {a, b};

		assert_int_equal(hw_checkpoint_make(&c, "hwledger/x", 12, root,
						    both, 2),
				 HW_OK);
	}
	assert_int_equal(c.size, 12);
	assert_int_equal(c.nsigs, 2);
	assert_true(strncmp(c.text, "hwledger/x\n12\nQkJC", 18) == 0);
	assert_non_null(strstr(c.text, "\n\n\xe2\x80\x94 alice "));
	assert_int_equal(hw_checkpoint_verify(&c, &ring), HW_OK);
	assert_int_equal(hw_checkpoint_parse(&d, c.text, strlen(c.text), "c"),
			 HW_OK);
	assert_memory_equal(d.root, root, 32);
	hw_checkpoint_free(&d);
	/* a flipped signature bit by a trusted key fails */
	p = strstr(c.text, "alice ") + 6 + 20; /* past the key id */
	*p = *p == 'A' ? 'B' : 'A';
	assert_int_equal(hw_checkpoint_parse(&d, c.text, strlen(c.text), "c"),
			 HW_OK);
	assert_int_equal(hw_checkpoint_verify(&d, &ring), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "signature by alice does not "
						"verify"));
	hw_checkpoint_free(&d);
	hw_checkpoint_free(&c);
	/* signed only by a key we do not trust */
	assert_int_equal(hw_checkpoint_make(&c, "o", 1, root, &b, 1), HW_OK);
	assert_int_equal(hw_checkpoint_verify(&c, &ring), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "not signed by a trusted key"));
	hw_checkpoint_free(&c);

	cp_fails("o\n\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n\n",
		 "cp:2: missing or bad tree size");
	cp_fails("o\n12\nnot base64!\n\n\xe2\x80\x94 a AAAA\n",
		 "cp:3: root hash line is not base64");
	cp_fails("o\n12\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\nextra\n\n",
		 "cp:4: extra line");
	cp_fails("o\n12\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n\n",
		 "no signature");
	cp_fails("o\n12\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n\nsig\n",
		 "cp:5: expected a signature line");
	cp_fails("o\n12\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n\n"
		 "\xe2\x80\x94 alice AAAA\n",
		 "signature is not base64 of a key id and 64 bytes");
	cp_fails("o\n012\nQkJC\n\n", "bad tree size");
	/* at the line: the last one, or the NUL's */
	cp_fails("o\n12\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
		 "cp:3: checkpoint must end with a newline");
	cp_fails("", "cp:1: checkpoint must end with a newline");
	{
		hw_checkpoint c0;

		assert_int_equal(hw_checkpoint_parse(&c0, "o\n1\0\n", 5, "cp"),
				 HW_EINVAL);
		assert_string_equal(hw_error_last(),
				    "cp:2:2: binary data (a NUL byte) in a "
				    "checkpoint");
	}
	hw_keyring_free(&ring);
}

/* An event line of a bundle with old replaced by new (once). */
static void put_edited(const char *path, const char *line, const char *old,
		       const char *new)
{
	const char *at = strstr(line, old);
	char buf[2048];

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s\n", (int)(at - line), line, new,
		 at + strlen(old));
	hw_test_write(path, buf, strlen(buf));
}

static void bundle_refuses(const char *line, const char *old,
			   const char *new)
{
	hw_event_list list;
	hw_checkpoint cp;

	put_edited("b/events.jsonl", line, old, new);
	assert_int_equal(hw_bundle_load("b", &list, &cp), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "b/events.jsonl:1: not a valid event line");
}

/* Verifies: FR-LEDGER-005 */
static void test_bundle_event_lines_are_read_strictly(void **state)
{
	hw_seckey k;
	hw_event e;
	hw_event_list list;
	hw_checkpoint cp;
	hw_buf o;
	hw_jw w;

	(void)state;
	assert_int_equal(hw_key_generate(&k, "keys", "alice"), HW_OK);
	memset(&e, 0, sizeof(e));
	e.seq = 1;
	e.time_ns = 5;
	e.kind = "k";
	e.commit = "";
	e.payload_type = "t";
	e.payload = (uint8_t *)"{}";
	e.payload_len = 2;
	assert_int_equal(hw_event_sign(&e, &k), HW_OK);
	hw_buf_init(&o, 0);
	hw_jw_init(&w, &o, 0);
	assert_int_equal(hw_event_write_json(&w, &e), HW_OK);
	assert_int_equal(hw_jw_finish(&w), HW_OK);
	assert_int_equal(mkdir("b", 0755), 0);
	hw_test_write("b/checkpoint", "o\n", 2);
	/* the line as written is read (to the checkpoint, refused) */
	put_edited("b/events.jsonl", o.data, "\"seq\":1,", "\"seq\":1,");
	assert_int_equal(hw_bundle_load("b", &list, &cp), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "b/checkpoint:"));
	/* a second object after the first is not passed over unread */
	bundle_refuses(o.data, "\"}", "\"} {\"seq\": 2}");
	/* 1.5 is no event's seq, though event 1's bytes and signature match */
	bundle_refuses(o.data, "\"seq\":1,", "\"seq\":1.5,");
	/* a time strtoll would clamp to INT64_MAX, or read past a blank */
	bundle_refuses(o.data, "\"time_ns\":\"5\"",
		       "\"time_ns\":\"99999999999999999999\"");
	bundle_refuses(o.data, "\"time_ns\":\"5\"", "\"time_ns\":\" 5\"");
	bundle_refuses(o.data, "\"time_ns\":\"5\"", "\"time_ns\":\"+5\"");
	/* a key twice: the signature covers the first value, a reader that
	 * takes the last (most JSON parsers) would see one nobody signed */
	bundle_refuses(o.data, "\"seq\":1,", "\"seq\":1,\"seq\":5,");
	bundle_refuses(o.data, "\"payload\":", "\"payload\":\"e30=\",\"payload\":");
	/* a key of its own: no signature covers it */
	bundle_refuses(o.data, "\"seq\":1,", "\"seq\":1,\"note\":\"approved\",");
	hw_buf_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merkle_roots_match_rfc6962_vectors),
		cmocka_unit_test(test_audit_paths_match_vectors_and_verify),
		cmocka_unit_test(test_event_bytes_follow_the_format),
		hw_tmp_test(test_keys_round_trip_and_refuse_bad_lines),
		hw_tmp_test(test_checkpoints_sign_verify_and_parse_strictly),
		hw_tmp_test(test_bundle_event_lines_are_read_strictly),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
