/*
 * gnutls.c — GnuTLS opened with dlopen on first use, and the Ed25519 keys
 * and PEM certificates in its types.
 *
 * Linked into the binary, GnuTLS and the eight libraries it brings would
 * be loaded, and GnuTLS initialised, at the start of every command (a few
 * milliseconds); only the fleet needs it. The soname comes from the
 * Makefile; HWLEDGER_LIBGNUTLS names another library.
 */
#include "fleet/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)
#ifdef HW_GNUTLS_SONAME
#define GNUTLS_SONAME HW_STR(HW_GNUTLS_SONAME)
#else
#define GNUTLS_SONAME "libgnutls.so.30"
#endif

/* a PEM certificate of the fleet is well under this */
#define CRT_MAX ((size_t)64 << 10)

struct hw_gnutls hw_gt;

int hw_gnutls_load(void)
{
	static hw_lib lib;
#define X(f) #f,
	static const char *const names[] = {GNUTLS_FUNCS(X)};
#undef X
#define X(f) (void *)&hw_gt.f,
	void *const slots[] = {GNUTLS_FUNCS(X)};
#undef X

	return hw_lib_load(&lib, "HWLEDGER_LIBGNUTLS", GNUTLS_SONAME,
			   "GnuTLS", "the fleet's certificates", names, slots,
			   sizeof(names) / sizeof(*names));
}

int hw_gnutls_check(int rc, const char *path, const char *what)
{
	if (rc >= 0)
		return HW_OK;
	return hw_error_set(HW_EIO, path, 0, 0, "%s: %s", what,
			    hw_gt.gnutls_strerror(rc));
}

int hw_gnutls_check_all(const int *rc, size_t n, const char *path,
			const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (rc[i] < 0)
			return hw_gnutls_check(rc[i], path, what);
	return HW_OK;
}

/* Implements: FR-FLEET-001 */
int hw_fleet_now(time_t *now)
{
	/* hwledger-sast-ignore FF1053: the tests' clock, a number */
	const char *s = getenv("HWLEDGER_NOW");
	char *end;
	long long v;

	if (!s || !*s) {
		*now = time(NULL);
		return HW_OK;
	}
	/* digits only (strtoll would take a sign or spaces), and no later
	 * than the last second an X.509 time can name, so that every sum
	 * of the clock and a validity or a lifetime stays far from
	 * overflowing */
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || strspn(s, "0123456789") != strlen(s) ||
	    v > HW_FLEET_TIME_MAX)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "HWLEDGER_NOW='%s' is not a number of "
				    "seconds since 1970 up to %lld "
				    "(9999-12-31T23:59:59Z)",
				    s, (long long)HW_FLEET_TIME_MAX);
	*now = (time_t)v;
	return HW_OK;
}

int hw_fleet_pubkey(gnutls_pubkey_t *out, const hw_pubkey *k)
{
	gnutls_datum_t x = {(unsigned char *)k->pk, 32};
	int err;

	if ((err = hw_gnutls_load()) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_pubkey_init(out), NULL,
				   "public key")))
		return err;
	err = hw_gnutls_check(hw_gt.gnutls_pubkey_import_ecc_raw(
				      *out, GNUTLS_ECC_CURVE_ED25519, &x,
				      NULL),
			      NULL, "Ed25519 public key");
	if (err) {
		hw_gt.gnutls_pubkey_deinit(*out);
		*out = NULL;
	}
	return err;
}

int hw_fleet_crt_key(uint8_t pk[32], gnutls_x509_crt_t crt)
{
	gnutls_pubkey_t pub = NULL;
	uint8_t der[64];
	size_t n = sizeof(der);
	int rc;

	if ((rc = hw_gt.gnutls_pubkey_init(&pub)) >= 0 &&
	    (rc = hw_gt.gnutls_pubkey_import_x509(pub, crt, 0)) >= 0)
		rc = hw_gt.gnutls_pubkey_export(pub, GNUTLS_X509_FMT_DER, der,
						&n);
	if (pub)
		hw_gt.gnutls_pubkey_deinit(pub);
	if (rc < 0 || n != 44)
		return hw_error_set(HW_EFAIL, NULL, 0, 0,
				    "refused: not an Ed25519 key");
	memcpy(pk, der + 12, 32);
	return HW_OK;
}

int hw_fleet_cert_read(hw_buf *pem, const char *path)
{
	int err;

	hw_buf_init(pem, CRT_MAX);
	if ((err = hw_file_read(pem, path, CRT_MAX)) ||
	    (err = hw_text_refuse_nul(pem->data, pem->len, path,
				      "a certificate")))
		hw_buf_free(pem);
	return err;
}

int hw_fleet_crt_load(gnutls_x509_crt_t *crt, const hw_buf *pem,
		      const char *path)
{
	gnutls_datum_t d = {(unsigned char *)pem->data, (unsigned)pem->len};
	int err, rc;

	if ((err = hw_gnutls_load()) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_crt_init(crt), path,
				   "certificate")))
		return err;
	rc = hw_gt.gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM);
	if (rc < 0) {
		hw_gt.gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "not a PEM certificate: %s",
				    hw_gt.gnutls_strerror(rc));
	}
	return HW_OK;
}
