/*
 * fuzz_seckey.c — libFuzzer target for a private signing key file,
 * "hwledger secret key v1" (specs/ledger.md, "Keys"), the file
 * `hwledger ledger keygen` writes and HWLEDGER_SIGNING_KEY names. Any bytes
 * load or are refused at a line of the file, and never crash, read out of
 * bounds or leak; a key that loads signs what its public key verifies.
 */
#include "fuzz_files.h"
#include "ledger/ledger.h"

#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-seckey-XXXXXX";
	static int made;
	hw_seckey k;
	int back = fuzz_enter(dir, made), err;

	if (!made && hw_crypto_init() != HW_OK)
		abort();
	made = 1;
	fuzz_put("a.key", data, size);
	if (chmod("a.key", 0600) != 0)
		abort();
	err = hw_seckey_load(&k, "a.key");
	if (err == HW_OK) {
		static const unsigned char msg[] = "m";
		unsigned char sig[64];

		crypto_sign_detached(sig, NULL, msg, 1, k.sk);
		if (crypto_sign_verify_detached(sig, msg, 1, k.pub.pk) != 0) {
			fprintf(stderr, "a loaded key signs what its public "
					"key does not verify\n");
			abort();
		}
	} else if (err == HW_EINVAL) {
		fuzz_names_line("a.key");
	}
	sodium_memzero(&k, sizeof(k));
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
