/*
 * check.c — is this client certificate one of the fleet's, and may it
 * connect now? The deny list (STATE/denied) and the check the server
 * makes on every connection (specs/fleet.md, "Revocation").
 *
 * STATE/denied holds one revoked serial a line: 32 hex digits, the time
 * of the revocation (seconds since 1970) and the reason. It is only ever
 * appended to.
 */
#include "fleet/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DENIED_MAX ((size_t)16 << 20)

static int serial_of(char serial[HW_FLEET_SERIAL_HEX + 1],
		     gnutls_x509_crt_t crt, const char *path)
{
	uint8_t raw[32];
	size_t n = sizeof(raw);
	int rc = hw_gt.gnutls_x509_crt_get_serial(crt, raw, &n);

	/* the fleet's serials are 16 bytes; any other is not ours */
	if (rc < 0 || n != HW_FLEET_SERIAL_HEX / 2)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "not a certificate of the fleet: its "
				    "serial is not 16 bytes");
	hw_hex(serial, raw, n);
	return HW_OK;
}

int hw_fleet_cert_serial(char serial[HW_FLEET_SERIAL_HEX + 1],
			 const hw_buf *pem, const char *path)
{
	gnutls_x509_crt_t crt;
	int err = hw_fleet_crt_load(&crt, pem, path);

	if (err)
		return err;
	err = serial_of(serial, crt, path);
	hw_gt.gnutls_x509_crt_deinit(crt);
	return err;
}

static int serial_valid(const char *s)
{
	return strlen(s) == HW_FLEET_SERIAL_HEX &&
	       strspn(s, "0123456789abcdef") == HW_FLEET_SERIAL_HEX;
}

/* A missing list is empty; a malformed line (or a NUL byte, which would
 * hide the lines after it) is HW_EINVAL at its place. The last line
 * needs no newline: an editor may leave it without one. */
/* Implements: FR-FLEET-003 */
int hw_fleet_denied(int *denied, const char *state, const char *serial)
{
	char *path = hw_path_join(state, "denied");
	hw_buf b;
	long line = 1;
	int err;

	HW_CHECK_ALLOC(path);
	*denied = 0;
	hw_buf_init(&b, DENIED_MAX);
	err = hw_file_read(&b, path, DENIED_MAX);
	if (err == HW_ENOTFOUND) {
		hw_error_clear();
		err = HW_OK;
		goto out;
	}
	if (!err && b.len)
		err = hw_text_refuse_nul(b.data, b.len, path, "the deny list");
	for (char *p = b.data; !err && p && *p; line++) {
		char *nl = strchr(p, '\n');

		if ((nl ? (size_t)(nl - p) : strlen(p)) <= HW_FLEET_SERIAL_HEX ||
		    p[HW_FLEET_SERIAL_HEX] != ' ' ||
		    strspn(p, "0123456789abcdef") != HW_FLEET_SERIAL_HEX)
			err = hw_error_set(HW_EINVAL, path, line, 1,
					   "expected a serial of 32 hex "
					   "digits, a space, the time and the "
					   "reason");
		else if (strncmp(p, serial, HW_FLEET_SERIAL_HEX) == 0)
			*denied = 1;
		p = nl ? nl + 1 : NULL;
	}
out:
	hw_buf_free(&b);
	free(path);
	return err;
}

/* 1 when the file open as fd ends in a line without its newline: a
 * line appended to it would end that line's reason, and its serial
 * would deny nothing */
static int line_open(int fd)
{
	struct stat st;
	char last;

	return fstat(fd, &st) == 0 && st.st_size > 0 &&
	       pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n';
}

/* Implements: FR-FLEET-003 */
int hw_fleet_revoke(const char *state, const char *serial,
		    const char *reason)
{
	char *path = hw_path_join(state, "denied");
	hw_buf line;
	time_t now;
	int denied, fd, err;

	HW_CHECK_ALLOC(path);
	hw_buf_init(&line, 0);
	if (!serial_valid(serial))
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "'%s' is not a serial of 32 lowercase hex "
				   "digits",
				   serial);
	else if (strpbrk(reason, "\r\n"))
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "the reason must be one line");
	else if (!(err = hw_fleet_now(&now)) &&
		 !(err = hw_fleet_denied(&denied, state, serial)) && !denied &&
		 !(err = hw_mkdir_p(state))) {
		/* one write of one line with O_APPEND: lines of two
		 * revocations at once do not mix */
		fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
			  0644);
		if (fd >= 0)
			err = hw_buf_printf(&line, "%s%s %lld %s\n",
					    line_open(fd) ? "\n" : "", serial,
					    (long long)now, reason);
		if (!err && (fd < 0 || hw_write_all(fd, line.data, line.len) ||
			     fsync(fd) != 0))
			err = hw_error_set(HW_EIO, path, 0, 0, "%s",
					   strerror(errno));
		if (fd >= 0 && close(fd) != 0 && !err)
			err = hw_error_set(HW_EIO, path, 0, 0, "%s",
					   strerror(errno));
	}
	hw_buf_free(&line);
	free(path);
	return err;
}

/* 1 when crt may authenticate a client (id-kp-clientAuth) */
static int for_clients(gnutls_x509_crt_t crt)
{
	for (unsigned i = 0;; i++) {
		char oid[128];
		size_t n = sizeof(oid);

		if (hw_gt.gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &n,
							      NULL) < 0)
			return 0;
		if (strcmp(oid, OID_CLIENT_AUTH) == 0)
			return 1;
	}
}

/* Implements: FR-FLEET-010 */
int hw_fleet_crt_operator(gnutls_x509_crt_t crt)
{
	char ou[64];
	size_t n = sizeof(ou);

	return hw_gt.gnutls_x509_crt_get_dn_by_oid(
		       crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, 0, 0, ou,
		       &n) >= 0 &&
	       strcmp(ou, ROLE_OPERATOR_OU) == 0;
}

/* Implements: FR-FLEET-003 */
int hw_fleet_crt_in_force(const char *serial, time_t from, time_t until,
			  time_t ca_until, const char *state, const char *path)
{
	char when[21];
	time_t now;
	int denied, err;

	if ((err = hw_fleet_now(&now)))
		return err;
	/* a certificate is good only while the CA that signed it is */
	if (now >= ca_until) {
		hw_time_of(ca_until, when);
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: the fleet's CA expired at %s",
				    when);
	}
	if (now < from) {
		hw_time_of(from, when);
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: not valid before %s", when);
	}
	if (now >= until) {
		hw_time_of(until, when);
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: expired at %s", when);
	}
	if ((err = hw_fleet_denied(&denied, state, serial)))
		return err;
	if (denied)
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: revoked (serial %s)", serial);
	return HW_OK;
}

/* The CA of t that signed crt, or NULL. Two CAs of a fleet may have the
 * same name (a CA and the one that replaces it), never the same key: the
 * signature says which. */
static gnutls_x509_crt_t issuer_of(gnutls_x509_crt_t crt,
				   const hw_fleet_trust *t)
{
	/* the fleet's clock decides validity, not GnuTLS's; a certificate
	 * is not trusted for being on the list itself, only by a signature */
	const unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
			       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
			       GNUTLS_VERIFY_DO_NOT_ALLOW_SAME;

	for (size_t i = 0; i < t->n; i++) {
		unsigned status = 0;

		if (hw_gt.gnutls_x509_crt_verify(crt, &t->ca[i], 1, flags,
						 &status) >= 0 &&
		    !status)
			return t->ca[i];
	}
	return NULL;
}

/* Implements: FR-FLEET-003, FR-FLEET-013 */
int hw_fleet_crt_judge(hw_fleet_id *id, gnutls_x509_crt_t crt,
		       const hw_fleet_trust *t, const char *state,
		       const char *path)
{
	gnutls_x509_crt_t ca = issuer_of(crt, t);
	size_t n = sizeof(id->host);
	int err;

	if (!ca)
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: not issued by this fleet's CA");
	if (hw_gt.gnutls_x509_crt_get_basic_constraints(crt, NULL, NULL,
							NULL) > 0 ||
	    !for_clients(crt))
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: not a client certificate");
	id->ca_until = hw_gt.gnutls_x509_crt_get_expiration_time(ca);
	id->from = hw_gt.gnutls_x509_crt_get_activation_time(crt);
	id->until = hw_gt.gnutls_x509_crt_get_expiration_time(crt);
	if ((err = serial_of(id->serial, crt, path)) ||
	    (err = hw_fleet_crt_in_force(id->serial, id->from, id->until,
					 id->ca_until, state, path)))
		return err;
	if (hw_gt.gnutls_x509_crt_get_dn_by_oid(crt,
						GNUTLS_OID_X520_COMMON_NAME, 0,
						0, id->host, &n) < 0 ||
	    !hw_key_name_valid(id->host))
		return hw_error_set(HW_EFAIL, path, 0, 0,
				    "refused: no host name in the "
				    "certificate");
	id->operator = hw_fleet_crt_operator(crt);
	return hw_fleet_crt_key(id->pk, crt);
}

/* One certificate of the trust list: path read and appended. */
static int trust_add(hw_fleet_trust *t, const char *path)
{
	hw_buf pem;
	int err;

	if (t->n == HW_FLEET_TRUST_MAX)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "more than %d CAs to trust",
				    HW_FLEET_TRUST_MAX);
	hw_buf_init(&pem, 0);
	if (!(err = hw_fleet_cert_read(&pem, path)) &&
	    !(err = hw_fleet_crt_load(&t->ca[t->n], &pem, path))) {
		t->n++;
		err = hw_buf_append(&t->pem, pem.data, pem.len);
		if (!err && pem.len && pem.data[pem.len - 1] != '\n')
			err = hw_buf_putc(&t->pem, '\n');
	}
	hw_buf_free(&pem);
	return err;
}

/* Implements: FR-FLEET-013 */
int hw_fleet_trust_load(hw_fleet_trust *t, const char *ca_dir)
{
	char *own = hw_path_join(ca_dir, "ca.crt");
	char *dir = hw_path_join(ca_dir, "trusted");
	char **more = NULL;
	size_t n = 0;
	int err;

	memset(t, 0, sizeof(*t));
	hw_buf_init(&t->pem, 0);
	if (!own || !dir)
		err = hw_error_oom();
	else if (!(err = trust_add(t, own)) && hw_path_is_dir(dir) &&
		 !(err = hw_dir_list(&more, &n, dir, ".crt")))
		for (size_t i = 0; i < n && !err; i++)
			err = trust_add(t, more[i]);
	hw_strv_free(more);
	free(own);
	free(dir);
	if (err)
		hw_fleet_trust_free(t);
	return err;
}

void hw_fleet_trust_free(hw_fleet_trust *t)
{
	for (size_t i = 0; i < t->n; i++)
		hw_gt.gnutls_x509_crt_deinit(t->ca[i]);
	hw_buf_free(&t->pem);
	memset(t, 0, sizeof(*t));
}

/* Implements: FR-FLEET-003 */
int hw_fleet_cert_check(char host[HW_KEY_NAME_MAX + 1], const char *ca_dir,
			const char *state, const hw_buf *pem,
			const char *path)
{
	gnutls_x509_crt_t crt = NULL;
	hw_fleet_trust t;
	hw_fleet_id id;
	int err;

	if ((err = hw_fleet_trust_load(&t, ca_dir)))
		return err;
	if (!(err = hw_fleet_crt_load(&crt, pem, path)) &&
	    !(err = hw_fleet_crt_judge(&id, crt, &t, state, path)))
		memcpy(host, id.host, sizeof(id.host));
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	hw_fleet_trust_free(&t);
	return err;
}

/* Implements: FR-FLEET-012 */
void hw_fleet_rotate_message(hw_buf *msg, const char *serial,
			     const char *keyline)
{
	hw_buf_clear(msg);
	hw_buf_printf(msg, "hwledger.fleet.rotate/1\n%s\n%s", serial, keyline);
}
