/*
 * ca.c — the fleet's certificate authority: its self-signed certificate
 * and the client certificates it issues to agents (specs/fleet.md,
 * "Certificates"). Every key is Ed25519; an agent's certificate carries
 * the agent's own key, so the key that signs its results is the key its
 * connections are authenticated with.
 */
#include "fleet/internal.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400

/* A serial that is positive and has no leading zero byte, so its DER and
 * its 32 hex digits are the same 16 bytes both ways. */
static void new_serial(uint8_t serial[16])
{
	randombytes_buf(serial, 16);
	serial[0] = (uint8_t)((serial[0] & 0x7f) | 0x40);
}

/* The subject key identifier: the first 20 bytes of SHA-256 of the key. */
static void key_id(uint8_t id[20], const hw_pubkey *k)
{
	uint8_t digest[HW_SHA256_LEN];

	hw_sha256(digest, k->pk, 32);
	memcpy(id, digest, 20);
}

/* The fields every certificate of the fleet has: version 3, a new serial,
 * CN=cn, valid from now for days, the key and its identifier. */
static int crt_base(gnutls_x509_crt_t *crt, const char *cn,
		    const hw_pubkey *k, time_t now, unsigned days)
{
	gnutls_pubkey_t pub = NULL;
	uint8_t serial[16], kid[20];
	int err;

	new_serial(serial);
	key_id(kid, k);
	if ((err = hw_fleet_pubkey(&pub, k)) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_crt_init(crt), NULL,
				   "certificate")))
		goto out;
	{
		/* each sets a field of its own: their order does not matter */
		const int rc[] = {
			hw_gt.gnutls_x509_crt_set_version(*crt, 3),
			hw_gt.gnutls_x509_crt_set_serial(*crt, serial,
							 sizeof(serial)),
			hw_gt.gnutls_x509_crt_set_dn_by_oid(
				*crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
				(unsigned)strlen(cn)),
			hw_gt.gnutls_x509_crt_set_activation_time(*crt, now),
			hw_gt.gnutls_x509_crt_set_expiration_time(
				*crt, now + (time_t)days * DAY),
			hw_gt.gnutls_x509_crt_set_pubkey(*crt, pub),
			hw_gt.gnutls_x509_crt_set_subject_key_id(*crt, kid,
								 sizeof(kid)),
		};

		err = hw_gnutls_check_all(rc, sizeof(rc) / sizeof(*rc), NULL,
					  "certificate fields");
	}
	if (err) {
		hw_gt.gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
	}
out:
	if (pub)
		hw_gt.gnutls_pubkey_deinit(pub);
	return err;
}

/* Signs crt with the issuer's certificate and key, PEM into out. */
static int crt_sign(hw_buf *out, gnutls_x509_crt_t crt,
		    gnutls_x509_crt_t issuer, const hw_seckey *k)
{
	gnutls_x509_privkey_t priv = NULL;
	size_t size = 0;
	int err, rc;

	/* Ed25519 hashes by itself: no digest is chosen */
	if ((err = hw_fleet_x509_key(&priv, k)) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_crt_sign2(
					   crt, issuer, priv, GNUTLS_DIG_UNKNOWN,
					   0),
				   NULL, "signing the certificate")))
		goto out;
	rc = hw_gt.gnutls_x509_crt_export(crt, GNUTLS_X509_FMT_PEM, NULL,
					  &size);
	if (rc != GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (err = hw_gnutls_check(rc, NULL, "certificate")))
		goto out;
	if ((err = hw_buf_reserve(out, size + 1)) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_crt_export(
					   crt, GNUTLS_X509_FMT_PEM,
					   out->data + out->len, &size),
				   NULL, "certificate")))
		goto out;
	out->len += size;
	out->data[out->len] = '\0';
out:
	if (priv)
		hw_gt.gnutls_x509_privkey_deinit(priv);
	return err;
}

/* A CA: it may sign certificates (and lists of revoked ones), nothing
 * else. */
static int ca_extensions(gnutls_x509_crt_t crt)
{
	const int rc[] = {
		hw_gt.gnutls_x509_crt_set_basic_constraints(crt, 1, 0),
		hw_gt.gnutls_x509_crt_set_key_usage(
			crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN),
	};

	return hw_gnutls_check_all(rc, sizeof(rc) / sizeof(*rc), NULL,
				   "CA extensions");
}

/* Implements: FR-FLEET-001 */
int hw_fleet_ca_init(const char *dir, const char *cn, unsigned days)
{
	char *crt_path = hw_path_join(dir, "ca.crt");
	gnutls_x509_crt_t crt = NULL;
	time_t now;
	hw_seckey k;
	hw_buf pem;
	int err;

	HW_CHECK_ALLOC(crt_path);
	hw_buf_init(&pem, 0);
	/* nothing is made when any of the three is there */
	if (hw_path_exists(crt_path)) {
		err = hw_error_set(HW_EINVAL, crt_path, 0, 0,
				   "exists; not overwritten");
		goto out;
	}
	if ((err = hw_key_generate(&k, dir, "ca")))
		goto out;
	if ((err = hw_fleet_now(&now)) ||
	    (err = crt_base(&crt, cn, &k.pub, now, days)) ||
	    (err = ca_extensions(crt)) ||
	    (err = crt_sign(&pem, crt, crt, &k)) ||
	    (err = hw_file_create(crt_path, pem.data, pem.len, 0644))) {
		/* the key of a CA that has no certificate is of no use */
		char *key = hw_path_join(dir, "ca.key");
		char *pub = hw_path_join(dir, "ca.pub");

		if (key)
			unlink(key);
		if (pub)
			unlink(pub);
		free(key);
		free(pub);
	}
	sodium_memzero(&k, sizeof(k));
out:
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	hw_buf_free(&pem);
	free(crt_path);
	return err;
}

/* The CA of dir: its certificate and its key (refused when others may
 * read it). */
static int ca_load(gnutls_x509_crt_t *crt, hw_seckey *k, const char *dir)
{
	char *crt_path = hw_path_join(dir, "ca.crt");
	char *key_path = hw_path_join(dir, "ca.key");
	hw_buf pem;
	int err;

	hw_buf_init(&pem, 0);
	if (!crt_path || !key_path)
		err = hw_error_oom();
	else if (!(err = hw_fleet_cert_read(&pem, crt_path)) &&
		 !(err = hw_fleet_crt_load(crt, &pem, crt_path)) &&
		 (err = hw_seckey_load(k, key_path))) {
		hw_gt.gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
	}
	hw_buf_free(&pem);
	free(crt_path);
	free(key_path);
	return err;
}

/* A leaf certificate: not a CA, for signing (the TLS handshake) and for
 * purpose only, issued by the CA whose key id is ca_kid; a server's
 * carries its names (subjectAltName: an IPv4 address or a DNS name). */
static int leaf_extensions(gnutls_x509_crt_t crt, const uint8_t *ca_kid,
			   size_t ca_kid_len, const char *purpose,
			   const char *role, const char *const *names,
			   size_t nnames)
{
	const int rc[] = {
		hw_gt.gnutls_x509_crt_set_basic_constraints(crt, 0, -1),
		hw_gt.gnutls_x509_crt_set_key_usage(
			crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
		hw_gt.gnutls_x509_crt_set_key_purpose_oid(crt, purpose, 1),
		hw_gt.gnutls_x509_crt_set_authority_key_id(crt, ca_kid,
							   ca_kid_len),
	};
	int err = hw_gnutls_check_all(rc, sizeof(rc) / sizeof(*rc), NULL,
				      "certificate extensions");

	/* a role is the subject's organizational unit, signed into the
	 * certificate */
	if (!err && role)
		err = hw_gnutls_check(
			hw_gt.gnutls_x509_crt_set_dn_by_oid(
				crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME,
				0, role, (unsigned)strlen(role)),
			NULL, "the certificate's role");

	for (size_t i = 0; !err && i < nnames; i++) {
		struct in_addr ip;
		int is_ip = inet_pton(AF_INET, names[i], &ip) == 1;

		err = hw_gnutls_check(
			hw_gt.gnutls_x509_crt_set_subject_alt_name(
				crt,
				is_ip ? GNUTLS_SAN_IPADDRESS
				      : GNUTLS_SAN_DNSNAME,
				is_ip ? (const void *)&ip : names[i],
				is_ip ? 4 : (unsigned)strlen(names[i]),
				GNUTLS_FSAN_APPEND),
			NULL, "the server's names");
	}
	return err;
}

/* The CA signs nothing once it has expired: every client would refuse
 * what it signed. (Signing at a time before the CA's own start is
 * allowed: the fleet's clock may be set back, as its tests do, and a
 * certificate is judged at the time it is used.) */
static int ca_in_force(gnutls_x509_crt_t ca, const char *ca_dir, time_t now)
{
	time_t until = hw_gt.gnutls_x509_crt_get_expiration_time(ca);
	char when[21];

	if (now >= until) {
		hw_time_of(until, when);
		return hw_error_set(HW_EINVAL, ca_dir, 0, 0,
				    "the fleet's CA expired at %s: make a "
				    "new one (fleet ca init) and enrol the "
				    "agents again",
				    when);
	}
	return HW_OK;
}

/* A certificate ends no later than the CA that signs it. */
static int outlive_not(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca)
{
	time_t until = hw_gt.gnutls_x509_crt_get_expiration_time(ca);

	if (hw_gt.gnutls_x509_crt_get_expiration_time(crt) <= until)
		return HW_OK;
	return hw_gnutls_check(
		hw_gt.gnutls_x509_crt_set_expiration_time(crt, until), NULL,
		"the certificate's end");
}

/* A leaf certificate for pub named cn, signed by the CA of ca_dir, valid
 * from now for days, PEM into pem. */
static int issue_leaf(hw_buf *pem, const char *ca_dir, const char *cn,
		      const hw_pubkey *pub, time_t now, unsigned days,
		      const char *purpose, const char *role,
		      const char *const *names, size_t nnames)
{
	gnutls_x509_crt_t ca = NULL, crt = NULL;
	uint8_t kid[64];
	size_t kid_len = sizeof(kid);
	hw_seckey k;
	int err;

	memset(&k, 0, sizeof(k));
	if (!(err = ca_load(&ca, &k, ca_dir)) &&
	    !(err = ca_in_force(ca, ca_dir, now)) &&
	    !(err = crt_base(&crt, cn, pub, now, days)) &&
	    !(err = outlive_not(crt, ca)) &&
	    !(err = hw_gnutls_check(hw_gt.gnutls_x509_crt_get_subject_key_id(
					    ca, kid, &kid_len, NULL),
				    ca_dir, "the CA's key identifier")) &&
	    !(err = leaf_extensions(crt, kid, kid_len, purpose, role, names,
				    nnames)))
		err = crt_sign(pem, crt, ca, &k);
	sodium_memzero(&k, sizeof(k));
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	if (ca)
		hw_gt.gnutls_x509_crt_deinit(ca);
	return err;
}

/* HW_OK when crt, read from path, may be trusted as a CA of the fleet at
 * now: a CA certificate with a key identifier, signed by its own key,
 * and not expired. */
static int trustable(gnutls_x509_crt_t crt, const char *path, time_t now)
{
	/* DO_NOT_ALLOW_SAME: a certificate is not its own proof by being
	 * on the list it is checked against; its signature is */
	const unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
			       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
			       GNUTLS_VERIFY_DO_NOT_ALLOW_SAME;
	unsigned status = 0;
	char when[21];
	time_t until = hw_gt.gnutls_x509_crt_get_expiration_time(crt);

	if (hw_gt.gnutls_x509_crt_get_basic_constraints(crt, NULL, NULL,
							NULL) <= 0)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "not a CA certificate");
	if (hw_gt.gnutls_x509_crt_verify(crt, &crt, 1, flags, &status) < 0 ||
	    status)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "not signed by its own key: only a fleet's "
				    "own CA is trusted");
	if (now >= until) {
		hw_time_of(until, when);
		return hw_error_set(HW_EINVAL, path, 0, 0, "expired at %s",
				    when);
	}
	return HW_OK;
}

/* The hex of crt's subject key identifier into hex. */
static int key_id_hex(char *hex, size_t room, gnutls_x509_crt_t crt,
		      const char *path)
{
	uint8_t kid[64];
	size_t n = sizeof(kid);

	if (hw_gt.gnutls_x509_crt_get_subject_key_id(crt, kid, &n, NULL) < 0 ||
	    !n || room < 2 * n + 1)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "the certificate has no key identifier");
	hw_hex(hex, kid, n);
	return HW_OK;
}

/* Implements: FR-FLEET-013 */
int hw_fleet_ca_trust(char **copy, const char *ca_dir, const char *cert)
{
	char *own_path = hw_path_join(ca_dir, "ca.crt");
	gnutls_x509_crt_t crt = NULL, own = NULL;
	char kid[129], own_kid[129], name[144];
	hw_buf pem, own_pem, there;
	time_t now;
	int err;

	*copy = NULL;
	HW_CHECK_ALLOC(own_path);
	hw_buf_init(&pem, 0);
	hw_buf_init(&own_pem, 0);
	hw_buf_init(&there, 0);
	if ((err = hw_gnutls_load()) || (err = hw_fleet_now(&now)) ||
	    (err = hw_fleet_cert_read(&pem, cert)) ||
	    (err = hw_fleet_crt_load(&crt, &pem, cert)) ||
	    (err = trustable(crt, cert, now)) ||
	    (err = key_id_hex(kid, sizeof(kid), crt, cert)) ||
	    (err = hw_fleet_cert_read(&own_pem, own_path)) ||
	    (err = hw_fleet_crt_load(&own, &own_pem, own_path)) ||
	    (err = key_id_hex(own_kid, sizeof(own_kid), own, own_path)))
		goto out;
	if (!strcmp(kid, own_kid)) {
		err = hw_error_set(HW_EINVAL, cert, 0, 0,
				   "is the CA of %s itself", ca_dir);
		goto out;
	}
	snprintf(name, sizeof(name), "trusted/%s.crt", kid);
	if (!(*copy = hw_path_join(ca_dir, name))) {
		err = hw_error_oom();
		goto out;
	}
	/* the same certificate trusted before: nothing to do */
	if (hw_path_exists(*copy) && !hw_file_read(&there, *copy, 1 << 20) &&
	    there.len == pem.len && !memcmp(there.data, pem.data, pem.len))
		goto out;
	if (!(err = hw_mkdir_parent(*copy)))
		err = hw_file_create(*copy, pem.data, pem.len, 0644);
out:
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	if (own)
		hw_gt.gnutls_x509_crt_deinit(own);
	hw_buf_free(&pem);
	hw_buf_free(&own_pem);
	hw_buf_free(&there);
	free(own_path);
	if (err) {
		free(*copy);
		*copy = NULL;
	}
	return err;
}

/* Implements: FR-FLEET-002 */
int hw_fleet_ca_ready(const char *ca_dir)
{
	gnutls_x509_crt_t ca = NULL;
	hw_seckey k;
	time_t now;
	int err;

	memset(&k, 0, sizeof(k));
	if (!(err = hw_fleet_now(&now)) && !(err = ca_load(&ca, &k, ca_dir)))
		err = ca_in_force(ca, ca_dir, now);
	sodium_memzero(&k, sizeof(k));
	if (ca)
		hw_gt.gnutls_x509_crt_deinit(ca);
	return err;
}

/* Implements: FR-FLEET-002 */
int hw_fleet_cert_issue(hw_buf *pem, char serial[HW_FLEET_SERIAL_HEX + 1],
			const char *ca_dir, const char *state,
			const char *host, const hw_pubkey *pub,
			unsigned days, int operator)
{
	hw_buf path;
	time_t now;
	int err;

	hw_buf_init(&path, 0);
	if ((err = hw_fleet_now(&now)) ||
	    (err = issue_leaf(pem, ca_dir, host, pub, now, days,
			      OID_CLIENT_AUTH,
			      operator ? ROLE_OPERATOR_OU : NULL, NULL, 0)) ||
	    (err = hw_fleet_cert_serial(serial, pem, NULL)))
		goto out;
	/* the server's record of what it issued, for revoking by serial */
	if ((err = hw_buf_printf(&path, "%s/issued", state)) ||
	    (err = hw_mkdir_p(path.data)) ||
	    (err = hw_buf_printf(&path, "/%s.pem", serial)))
		goto out;
	err = hw_file_create(path.data, pem->data, pem->len, 0644);
out:
	hw_buf_free(&path);
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_server_cert(hw_buf *pem, hw_seckey *k, const char *ca_dir,
			 const char *state, const char *const *names,
			 size_t nnames)
{
	char *path = hw_path_join(state, "server.key");
	int err;

	HW_CHECK_ALLOC(path);
	/* the server's key is made once and kept; its certificate is new at
	 * every start, so it always names what the server listens on. It is
	 * dated by the system clock, not the fleet's: the clients check it
	 * with theirs (GnuTLS's own check) */
	err = hw_path_exists(path) ? hw_seckey_load(k, path)
				   : hw_key_generate(k, state, "server");
	if (!err)
		err = issue_leaf(pem, ca_dir, "hwledger fleet server", &k->pub,
				 time(NULL), HW_FLEET_CERT_DAYS,
				 OID_SERVER_AUTH, NULL, names, nnames);
	free(path);
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_x509_key(gnutls_x509_privkey_t *key, const hw_seckey *k)
{
	/* libsodium's secret key is the 32-byte seed, then the public key */
	gnutls_datum_t x = {(unsigned char *)k->pub.pk, 32};
	gnutls_datum_t seed = {(unsigned char *)k->sk, 32};
	int err;

	*key = NULL;
	if ((err = hw_gnutls_load()) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_privkey_init(key), NULL,
				   "private key")))
		return err;
	if ((err = hw_gnutls_check(hw_gt.gnutls_x509_privkey_import_ecc_raw(
					   *key, GNUTLS_ECC_CURVE_ED25519, &x,
					   NULL, &seed),
				   NULL, "Ed25519 private key"))) {
		hw_gt.gnutls_x509_privkey_deinit(*key);
		*key = NULL;
	}
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_key_pem(hw_buf *pem, const hw_seckey *k)
{
	gnutls_x509_privkey_t key = NULL;
	size_t size = 0;
	int err, rc;

	if ((err = hw_fleet_x509_key(&key, k)))
		return err;
	rc = hw_gt.gnutls_x509_privkey_export(key, GNUTLS_X509_FMT_PEM, NULL,
					      &size);
	if (rc != GNUTLS_E_SHORT_MEMORY_BUFFER &&
	    (err = hw_gnutls_check(rc, NULL, "private key")))
		goto out;
	if ((err = hw_buf_reserve(pem, size + 1)) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_x509_privkey_export(
					   key, GNUTLS_X509_FMT_PEM,
					   pem->data + pem->len, &size),
				   NULL, "private key")))
		goto out;
	pem->len += size;
	pem->data[pem->len] = '\0';
out:
	hw_gt.gnutls_x509_privkey_deinit(key);
	return err;
}
