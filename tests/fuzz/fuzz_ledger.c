/*
 * fuzz_ledger.c — libFuzzer target for what `hwledger ledger verify
 * --bundle` and verify-report read from an export bundle (specs/ledger.md,
 * "Export bundle"): events.jsonl, the signed checkpoint note and the keys
 * file. The input is the three files, cut at NUL bytes (which none of them
 * may hold): EVENTS \0 CHECKPOINT \0 KEYS. What loads is verified offline
 * against its own keys, as verify-report does. Any bytes are refused
 * naming the file and a line, or verify or fail; never a crash, a read out
 * of bounds or a leak.
 *
 * The seeds are bundles `hwledger ledger export` wrote (corpus/ledger/
 * README.md); a verifying one lets the mutations reach the Merkle tree
 * and the signature checks.
 */
#include "fuzz_files.h"
#include "ledger/ledger.h"

#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The next part of the input up to a NUL (or its end), written to path. */
static void put_part(const char *path, const unsigned char **p,
		     const unsigned char *end)
{
	const unsigned char *nul = memchr(*p, '\0', (size_t)(end - *p));
	const unsigned char *stop = nul ? nul : end;

	fuzz_put(path, *p, (size_t)(stop - *p));
	*p = nul ? nul + 1 : end;
}

/* A refused file is named with a line: "bundle/FILE:LINE". */
static void check_refusal(void)
{
	const char *m = hw_error_last();
	const char *colon;

	if (strncmp(m, "bundle/", 7) != 0 || !(colon = strchr(m, ':')) ||
	    colon[1] < '1' || colon[1] > '9') {
		fprintf(stderr, "refused without a file and line: %s\n", m);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-ledger-XXXXXX";
	static int made;
	const unsigned char *p = data, *end = data + size;
	hw_event_list events;
	hw_checkpoint cp;
	hw_keyring ring = {0};
	int back = fuzz_enter(dir, made), err;

	if (!made) {
		if (hw_crypto_init() != HW_OK || mkdir("bundle", 0755) != 0)
			abort();
		made = 1;
	}
	put_part("bundle/events.jsonl", &p, end);
	put_part("bundle/checkpoint", &p, end);
	put_part("bundle/keys", &p, end);
	err = hw_bundle_load("bundle", &events, &cp);
	if (err == HW_EINVAL)
		check_refusal();
	if (!err && (err = hw_keyring_load(&ring, "bundle/keys")) == HW_EINVAL)
		check_refusal();
	if (!err) {
		hw_verify_report r;
		hw_verify_opts o;

		memset(&r, 0, sizeof(r));
		memset(&o, 0, sizeof(o));
		o.trusted = &ring;
		o.threads = 1;
		err = hw_ledger_verify(&r, &events, &cp, 1, &o);
		if (err != HW_OK && err != HW_EFAIL)
			abort();
		if (err == HW_OK && (!r.ok || r.events != events.n))
			abort();
	}
	hw_error_clear();
	hw_keyring_free(&ring);
	hw_checkpoint_free(&cp);
	hw_event_list_free(&events);
	fuzz_leave(back);
	return 0;
}
