/*
 * client.c — HTTPS requests to the fleet server through libcurl with
 * GnuTLS: TLS 1.3 only, the server's certificate checked against the CAs
 * the client's CA folder trusts and the host name, the agent's
 * certificate and Ed25519 key presented (specs/fleet.md, "The client").
 *
 * libcurl's GnuTLS backend reads the trusted CAs and the client's key
 * from files only. The key is an hwledger secret key file, and the CAs
 * are a folder's list: both are handed over as memory files (memfd), so
 * the key is never written to disk in a second format. A client that asks
 * often (the agent) keeps its connection open between requests
 * (hw_fleet_conn, libcurl's own connection reuse); the others close it
 * after one. libcurl is opened with dlopen on first use, as GnuTLS is.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for memfd_create */
#define _GNU_SOURCE
#include "fleet/internal.h"

/* the functions are called through pointers (dlopen): no checking
 * macros of the same names */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)
#ifdef HW_CURL_SONAME
#define CURL_SONAME HW_STR(HW_CURL_SONAME)
#else
#define CURL_SONAME "libcurl-gnutls.so.4"
#endif

#define ANSWER_MAX ((size_t)1 << 20)

#define CURL_FUNCS(X) \
	X(curl_easy_init) \
	X(curl_easy_cleanup) \
	X(curl_easy_setopt) \
	X(curl_easy_perform) \
	X(curl_easy_getinfo) \
	X(curl_easy_strerror) \
	X(curl_slist_append) \
	X(curl_slist_free_all) \
	X(curl_version_info)

static struct {
/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(f) *f;
	CURL_FUNCS(X)
#undef X
} cu;

/* libcurl, once; it must be built on GnuTLS (the fleet's keys are
 * Ed25519 keys GnuTLS reads). */
static int curl_load(void)
{
	static hw_lib lib;
#define X(f) #f,
	static const char *const names[] = {CURL_FUNCS(X)};
#undef X
#define X(f) (void *)&cu.f,
	void *const slots[] = {CURL_FUNCS(X)};
#undef X
	const curl_version_info_data *v;
	int err = hw_lib_load(&lib, "HWLEDGER_LIBCURL", CURL_SONAME,
			      "libcurl", "the fleet's client", names, slots,
			      sizeof(names) / sizeof(*names));

	if (err)
		return err;
	v = cu.curl_version_info(CURLVERSION_NOW);
	if (!v || !v->ssl_version || strncmp(v->ssl_version, "GnuTLS", 6) != 0)
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "libcurl is not built on GnuTLS (%s): "
				    "install libcurl3-gnutls",
				    v && v->ssl_version ? v->ssl_version
							: "no TLS");
	return HW_OK;
}

/* https://HOST:PORT[/] into host and port */
static int parse_url(char host[256], char port[8], const char *url)
{
	const char *h = url + 8, *colon;
	size_t n;

	if (strncmp(url, "https://", 8) != 0 || !(colon = strrchr(h, ':')) ||
	    (n = (size_t)(colon - h)) == 0 || n >= 256 ||
	    strspn(colon + 1, "0123456789") == 0 ||
	    strspn(colon + 1, "0123456789") > 5 ||
	    (colon[1 + strspn(colon + 1, "0123456789")] != '\0' &&
	     strcmp(colon + 1 + strspn(colon + 1, "0123456789"), "/") != 0))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--server '%s': expected https://HOST:PORT",
				    url);
	memcpy(host, h, n);
	host[n] = '\0';
	n = strspn(colon + 1, "0123456789");
	memcpy(port, colon + 1, n);
	port[n] = '\0';
	return HW_OK;
}

/* The credentials: the fleet's CA to trust, and the client's certificate
 * and key when it has them. */
/* HW_EINVAL naming both files when the certificate is not of the key:
 * the server would only close the connection, which says nothing of
 * why. */
/* Implements: FR-FLEET-006 */
static int key_matches(gnutls_x509_crt_t crt, const hw_seckey *k,
		       const hw_fleet_peer *peer)
{
	uint8_t pk[32];

	if (hw_fleet_crt_key(pk, crt) ||
	    memcmp(pk, k->pub.pk, sizeof(pk)) != 0)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "%s and %s do not match: the certificate "
				    "is not of that key",
				    peer->cert, peer->key);
	return HW_OK;
}

/* What peer connects with, read and checked: the CAs its folder trusts
 * into trust (PEM), and when it has a certificate, its key as a PKCS#8
 * PEM into key (memory only). */
static int credentials(hw_buf *trust, hw_buf *key, const hw_fleet_peer *peer)
{
	gnutls_x509_crt_t crt = NULL;
	hw_fleet_trust t;
	hw_buf pem;
	hw_seckey k;
	int err;

	memset(&k, 0, sizeof(k));
	hw_buf_init(&pem, 0);
	if ((err = hw_gnutls_load()) ||
	    (err = hw_fleet_trust_load(&t, peer->ca_dir)))
		return err;
	err = hw_buf_append(trust, t.pem.data, t.pem.len);
	hw_fleet_trust_free(&t);
	if (err || !peer->cert)
		return err;
	if (!(err = hw_fleet_cert_read(&pem, peer->cert)) &&
	    !(err = hw_fleet_crt_load(&crt, &pem, peer->cert)) &&
	    !(err = hw_seckey_load(&k, peer->key)) &&
	    !(err = key_matches(crt, &k, peer)))
		err = hw_fleet_key_pem(key, &k);
	sodium_memzero(&k, sizeof(k));
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	hw_buf_free(&pem);
	return err;
}

/* Implements: FR-FLEET-006 */
int hw_fleet_peer_check(const hw_fleet_peer *peer)
{
	hw_buf trust, key;
	int err;

	hw_buf_init(&trust, 0);
	hw_buf_init(&key, 0);
	err = credentials(&trust, &key, peer);
	sodium_memzero(key.data, key.len);
	hw_buf_free(&trust);
	hw_buf_free(&key);
	return err;
}

/* A connection to the server: libcurl's handle (which keeps the
 * connection between requests), and the memory files it reads the
 * trusted CAs and the client's key from, open for as long as it may
 * connect again. */
struct hw_fleet_conn {
	CURL *h;
	int ca_fd, key_fd;
	char ca_path[32], key_path[32];
};

/* A kept connection idle longer than this is closed rather than used:
 * the server closes a connection idle for 10 s ("The server"). One the
 * server closed sooner is found closed and opened again. */
#define KEEP_SECONDS 5

hw_fleet_conn *hw_fleet_conn_new(void)
{
	hw_fleet_conn *c = calloc(1, sizeof(*c));

	if (c)
		c->ca_fd = c->key_fd = -1;
	return c;
}

static void conn_close(hw_fleet_conn *c)
{
	if (c->h)
		cu.curl_easy_cleanup(c->h);
	if (c->ca_fd >= 0)
		close(c->ca_fd);
	if (c->key_fd >= 0)
		close(c->key_fd);
	c->h = NULL;
	c->ca_fd = c->key_fd = -1;
}

void hw_fleet_conn_free(hw_fleet_conn *c)
{
	if (c) {
		conn_close(c);
		free(c);
	}
}

/* A memory file holding b, its path (/proc/self/fd/N) into path; -1 with
 * the error recorded. */
static int memory_file(char path[32], const hw_buf *b, const char *what)
{
	int fd = memfd_create(what, MFD_CLOEXEC);

	if (fd < 0 || hw_write_all(fd, b->data, b->len)) {
		hw_error_set(HW_EIO, NULL, 0, 0, "%s: %s", what,
			     strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

/* libcurl's handle for peer into c: TLS 1.3 only, the folder's CAs, the
 * client's certificate and key, the deadline for a whole request. */
static int conn_open(hw_fleet_conn *c, const hw_fleet_peer *peer)
{
	hw_buf trust, key;
	int err;

	hw_buf_init(&trust, 0);
	hw_buf_init(&key, 0);
	if ((err = curl_load()) || (err = credentials(&trust, &key, peer)))
		goto out;
	if ((c->ca_fd = memory_file(c->ca_path, &trust, "hwledger-ca")) < 0 ||
	    (peer->cert &&
	     (c->key_fd = memory_file(c->key_path, &key, "hwledger-key")) <
		     0)) {
		err = hw_error_code();
		goto out;
	}
	if (!(c->h = cu.curl_easy_init())) {
		err = hw_error_oom();
		goto out;
	}
	cu.curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	cu.curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "https");
	cu.curl_easy_setopt(c->h, CURLOPT_SSLVERSION,
			    (long)(CURL_SSLVERSION_TLSv1_3 |
				   CURL_SSLVERSION_MAX_DEFAULT));
	cu.curl_easy_setopt(c->h, CURLOPT_CAINFO, c->ca_path);
	cu.curl_easy_setopt(c->h, CURLOPT_CAPATH, NULL);
	if (peer->cert) {
		cu.curl_easy_setopt(c->h, CURLOPT_SSLCERT, peer->cert);
		cu.curl_easy_setopt(c->h, CURLOPT_SSLKEY, c->key_path);
	}
	/* one deadline for the whole request, the connect included: a
	 * server that sends a byte now and then is cut as one that sends
	 * nothing */
	cu.curl_easy_setopt(c->h, CURLOPT_TIMEOUT, (long)peer->timeout);
	cu.curl_easy_setopt(c->h, CURLOPT_MAXAGE_CONN, (long)KEEP_SECONDS);
	/* a request goes out whole at once (libcurl's default too) */
	cu.curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
out:
	sodium_memzero(key.data, key.len);
	hw_buf_free(&trust);
	hw_buf_free(&key);
	return err;
}

/* Where libcurl writes an answer's body: the caller's buffer, and
 * whether the answer went past ANSWER_MAX. */
typedef struct sink {
	hw_buf *body;
	size_t got;
	int too_big;
} sink;

static size_t take(char *data, size_t size, size_t n, void *arg)
{
	sink *a = arg;

	(void)size; /* 1, always */
	if ((a->too_big = a->got + n > ANSWER_MAX) ||
	    hw_buf_append(a->body, data, n))
		return 0;
	a->got += n;
	return n;
}

/* libcurl's failure rc as the fleet's client words it. */
static int request_error(const hw_fleet_conn *c, const hw_fleet_peer *peer,
			 CURLcode rc, const sink *a)
{
	long os = 0;

	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "TLS handshake failed: the server's "
				    "certificate is not of a CA that %s "
				    "trusts, or not for this address",
				    peer->ca_dir);
	case CURLE_OPERATION_TIMEDOUT:
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "no whole answer in %d s", peer->timeout);
	case CURLE_WRITE_ERROR:
		if (a->too_big)
			return hw_error_set(HW_ETOOBIG, peer->url, 0, 0,
					    "answer larger than %zu bytes",
					    ANSWER_MAX);
		return hw_error_oom();
	case CURLE_COULDNT_CONNECT:
		cu.curl_easy_getinfo(c->h, CURLINFO_OS_ERRNO, &os);
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "cannot connect: %s",
				    os ? strerror((int)os)
				       : cu.curl_easy_strerror(rc));
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "the server closed the connection");
	default:
		return hw_error_set(HW_EIO, peer->url, 0, 0, "%s",
				    cu.curl_easy_strerror(rc));
	}
}

/* Implements: FR-FLEET-004 */
int hw_fleet_request(hw_buf *body, int *status, const hw_fleet_peer *peer,
		     const char *method, const char *path, const char *json)
{
	hw_fleet_conn once = {.ca_fd = -1, .key_fd = -1};
	hw_fleet_conn *c = peer->conn ? peer->conn : &once;
	struct curl_slist *headers = NULL, *more;
	sink a = {.body = body};
	char host[256], port[8];
	hw_buf url;
	CURLcode rc;
	long code = 0;
	int err;

	hw_buf_init(&url, 0);
	if ((err = parse_url(host, port, peer->url)) ||
	    (err = hw_buf_printf(&url, "https://%s:%s%s", host, port, path)) ||
	    (!c->h && (err = conn_open(c, peer))))
		goto out;
	/* no "Expect: 100-continue" for a larger body: the request goes
	 * whole, without a round trip to ask first */
	headers = cu.curl_slist_append(NULL, "Content-Type: application/json");
	more = headers ? cu.curl_slist_append(headers, "Expect:") : NULL;
	if (!more) {
		err = hw_error_oom();
		goto out;
	}
	headers = more;
	cu.curl_easy_setopt(c->h, CURLOPT_URL, url.data);
	cu.curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, headers);
	cu.curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, take);
	cu.curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &a);
	if (!strcmp(method, "GET")) {
		cu.curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	} else {
		cu.curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, json ? json : "");
		cu.curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE,
				    (long)(json ? strlen(json) : 0));
	}
	cu.curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	rc = cu.curl_easy_perform(c->h);
	if (rc != CURLE_OK) {
		err = request_error(c, peer, rc, &a);
		goto out;
	}
	cu.curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
	*status = (int)code;
	/* an empty answer is an empty string, as a body is */
	err = hw_buf_puts(body, "");
out:
	if (c->h) {
		/* the handle outlives this request's header list */
		cu.curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
		cu.curl_easy_setopt(c->h, CURLOPT_WRITEDATA, NULL);
	}
	if (headers)
		cu.curl_slist_free_all(headers);
	if (c == &once || err)
		conn_close(c);
	hw_buf_free(&url);
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_call(hw_buf *body, const hw_fleet_peer *peer, const char *method,
		  const char *path, const char *json)
{
	cJSON *answer;
	int status = 0, err;

	if ((err = hw_fleet_request(body, &status, peer, method, path, json)))
		return err;
	if (status >= 200 && status < 300)
		return HW_OK;
	answer = cJSON_Parse(body->data);
	err = hw_error_set(
		HW_EIO, peer->url, 0, 0, "%d: %s", status,
		cJSON_IsString(cJSON_GetObjectItem(answer, "error"))
			? cJSON_GetObjectItem(answer, "error")->valuestring
			: "the server refused the request");
	cJSON_Delete(answer);
	return err;
}
