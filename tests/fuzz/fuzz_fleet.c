/*
 * fuzz_fleet.c — libFuzzer target for what the fleet reads from files and
 * from the network (specs/fleet.md): the deny list, an enrolment token's
 * record, a queued job's arguments, a job's result document and a PEM
 * certificate. The first byte chooses which; the rest is the input. Each
 * is read or refused with a message, never a crash or a read out of
 * bounds.
 */
#include "fleet/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* a well-formed token: "hwf1-" and 43 base64url characters */
static const char token[] = "hwf1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

static char state[] = "/tmp/hwledger-fuzz-fleet-XXXXXX";

static void put(const char *rel, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", state, rel);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

/* data as a NUL-terminated string (a NUL inside ends it early) */
static char *text(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const kinds[] = {"probe", "plan", "command", "x"};
	static int ready;
	unsigned mode;

	if (!ready) {
		char dir[600];

		if (!mkdtemp(state))
			abort();
		snprintf(dir, sizeof(dir), "%s/tokens", state);
		if (mkdir(dir, 0700) != 0)
			abort();
		ready = 1;
	}
	if (!size)
		return 0;
	mode = data[0];
	data++;
	size--;
	switch (mode % 5) {
	case 0: { /* STATE/denied */
		int denied = 0;

		put("denied", data, size);
		hw_fleet_denied(&denied, state,
				"0123456789abcdef0123456789abcdef");
		break;
	}
	case 1: { /* a token's record: written under the token's hash */
		char host[HW_KEY_NAME_MAX + 1], hex[HW_SHA256_HEX_LEN + 1],
			rel[128];
		uint8_t digest[HW_SHA256_LEN];
		int operator = 0;

		hw_sha256(digest, token, strlen(token));
		hw_hex(hex, digest, sizeof(digest));
		snprintf(rel, sizeof(rel), "tokens/%s", hex);
		put(rel, data, size);
		if (hw_fleet_token_redeem(host, &operator, state, token) ==
			    HW_OK &&
		    !hw_key_name_valid(host))
			abort(); /* a record names a valid host or is refused */
		break;
	}
	case 2: { /* a job as the server is asked to queue it */
		char *args = text(data, size);
		hw_fleet_order o = {"gpu-1", kinds[(mode / 5) % 4], args,
				    HW_FLEET_DEADLINE_DEFAULT, 1};

		hw_fleet_order_check(&o);
		free(args);
		break;
	}
	case 3: { /* a job's result document */
		char *s = text(data, size);
		cJSON *doc = cJSON_Parse(s);
		const char *st = NULL;

		hw_fleet_result_state(&st, kinds[(mode / 5) % 4], doc);
		cJSON_Delete(doc);
		free(s);
		break;
	}
	default: { /* a certificate file */
		char path[512];
		gnutls_x509_crt_t crt = NULL;
		hw_buf pem;

		put("cert.pem", data, size);
		snprintf(path, sizeof(path), "%s/cert.pem", state);
		hw_buf_init(&pem, 0);
		if (hw_fleet_cert_read(&pem, path) == HW_OK &&
		    hw_fleet_crt_load(&crt, &pem, path) == HW_OK)
			hw_gt.gnutls_x509_crt_deinit(crt);
		hw_buf_free(&pem);
		break;
	}
	}
	return 0;
}
