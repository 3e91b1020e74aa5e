/*
 * fuzz_manifest.c — libFuzzer target for verify-report's reading of a
 * published folder: the input becomes manifest.json, signed with a key
 * made once (so the entries are processed, not refused at the signature),
 * beside a small site. Paths outside the folder, odd hashes, duplicate
 * and malformed entries must be reported, never followed or crashed on.
 */
#include "ledger/ledger.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char dir[] = "/tmp/hwledger-fuzz-manifest-XXXXXX";
static hw_seckey key;

static void put(const char *name, const void *p, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int ready;
	char sig[HW_SIG_B64_LEN + 1];
	hw_report_verify v;

	if (!ready) {
		if (!mkdtemp(dir) || hw_crypto_init() ||
		    hw_key_generate(&key, dir, "fuzz"))
			abort();
		put("index.html", "<p>x</p>\n", 9);
		ready = 1;
	}
	put("manifest.json", data, size);
	hw_blob_sign(sig, data, size, &key);
	sig[HW_SIG_B64_LEN - 1] = '\n';
	sig[HW_SIG_B64_LEN] = '\0';
	put("manifest.sig", sig, HW_SIG_B64_LEN);
	hw_report_verify_dir(dir, NULL, &v);
	hw_error_clear();
	return 0;
}
