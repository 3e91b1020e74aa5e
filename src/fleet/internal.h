/*
 * fleet/internal.h — what the fleet's files share: GnuTLS's functions,
 * loaded with dlopen (gnutls.c), and the keys and certificates in GnuTLS's
 * types.
 */
#ifndef HW_FLEET_INTERNAL_H
#define HW_FLEET_INTERNAL_H

#include "fleet/fleet.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* id-kp-clientAuth, the purpose of an agent's certificate */
#define OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"

#define GNUTLS_FUNCS(X) \
	X(gnutls_strerror) \
	X(gnutls_privkey_init) \
	X(gnutls_privkey_deinit) \
	X(gnutls_privkey_import_ecc_raw) \
	X(gnutls_pubkey_init) \
	X(gnutls_pubkey_deinit) \
	X(gnutls_pubkey_import_ecc_raw) \
	X(gnutls_pubkey_import_x509) \
	X(gnutls_pubkey_export) \
	X(gnutls_x509_crt_init) \
	X(gnutls_x509_crt_deinit) \
	X(gnutls_x509_crt_import) \
	X(gnutls_x509_crt_export) \
	X(gnutls_x509_crt_set_version) \
	X(gnutls_x509_crt_set_serial) \
	X(gnutls_x509_crt_get_serial) \
	X(gnutls_x509_crt_set_dn_by_oid) \
	X(gnutls_x509_crt_get_dn_by_oid) \
	X(gnutls_x509_crt_set_activation_time) \
	X(gnutls_x509_crt_get_activation_time) \
	X(gnutls_x509_crt_set_expiration_time) \
	X(gnutls_x509_crt_get_expiration_time) \
	X(gnutls_x509_crt_set_basic_constraints) \
	X(gnutls_x509_crt_get_basic_constraints) \
	X(gnutls_x509_crt_set_key_usage) \
	X(gnutls_x509_crt_set_key_purpose_oid) \
	X(gnutls_x509_crt_get_key_purpose_oid) \
	X(gnutls_x509_crt_set_subject_key_id) \
	X(gnutls_x509_crt_get_subject_key_id) \
	X(gnutls_x509_crt_set_authority_key_id) \
	X(gnutls_x509_crt_set_pubkey) \
	X(gnutls_x509_crt_privkey_sign) \
	X(gnutls_x509_crt_verify)

/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(f) *f;
struct hw_gnutls {
	GNUTLS_FUNCS(X)
};
#undef X
extern struct hw_gnutls hw_gt;

/* Loads GnuTLS once ($HWLEDGER_LIBGNUTLS names another library); HW_EIO
 * when it cannot. Not for two threads at once. */
int hw_gnutls_load(void);
/* HW_EIO "what: GnuTLS's message" when rc is a GnuTLS error, else HW_OK */
int hw_gnutls_check(int rc, const char *path, const char *what);

/* The first GnuTLS error of rc[0..n) as hw_gnutls_check reports it. */
int hw_gnutls_check_all(const int *rc, size_t n, const char *path,
			const char *what);
/* The Ed25519 key k as GnuTLS's private and public keys. */
int hw_fleet_privkey(gnutls_privkey_t *out, const hw_seckey *k);
int hw_fleet_pubkey(gnutls_pubkey_t *out, const hw_pubkey *k);
/* A PEM certificate; HW_EINVAL naming path when it is not one. */
int hw_fleet_crt_load(gnutls_x509_crt_t *crt, const hw_buf *pem,
		      const char *path);

#endif
