/*
 * verify.c — `hwledger verify-report DIR`: is this published report what
 * was signed? The manifest's signature and every file's SHA-256 (nothing
 * missing, nothing added), the ledger bundle, and each check's evidence
 * document and dashboard verdict against the latest signed event of that
 * check.
 */
#include "report/report.h"

#include "ledger/ledger.h"
#include "site/site.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_MAX ((size_t)256 << 20)

static const char *const checks[HW_REPORT_NCHECKS] = {"sast", "trace", "gate",
						      "plan", "probe"};

static int failf(hw_report_verify *v, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));

static int failf(hw_report_verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: formats are literals of this file */
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
	v->ok = 0;
	return HW_EFAIL;
}

static int file_sha(const char *dir, const char *rel, char hex[65])
{
	char *p = hw_path_join(dir, rel);
	uint8_t h[HW_SHA256_LEN];
	hw_buf b;
	int err;

	if (!p)
		return HW_ENOMEM;
	hw_buf_init(&b, FILE_MAX);
	err = hw_file_read(&b, p, FILE_MAX);
	free(p);
	if (!err) {
		hw_sha256(h, b.data ? b.data : "", b.len);
		hw_hex(hex, h, sizeof(h));
	}
	hw_buf_free(&b);
	return err;
}

/* The manifest's paths, sorted for bsearch with hw_strp_cmp. */
typedef struct listed {
	const char **paths;
	size_t n;
} listed;

/* Every regular file under dir/rel is listed in the manifest (a lookup
 * per file: a scan of the manifest per file was quadratic, seconds for a
 * site of 10,000 pages). */
static int walk(const char *dir, const char *rel, const listed *files,
		hw_report_verify *v)
{
	char *path = *rel ? hw_path_join(dir, rel) : hw_strdup(dir);
	DIR *d = path ? opendir(path) : NULL;
	struct dirent *e;
	int err = HW_OK;

	free(path);
	if (!d)
		return failf(v, "%s: cannot read the folder", dir);
	while (!err && (e = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = *rel ? hw_path_join(rel, e->d_name)
			   : hw_strdup(e->d_name);
		full = sub ? hw_path_join(dir, sub) : NULL;
		if (!full || lstat(full, &st) != 0) {
			err = full ? failf(v, "%s: cannot stat", sub)
				   : HW_ENOMEM;
		} else if (S_ISDIR(st.st_mode)) {
			err = walk(dir, sub, files, v);
		} else if (strcmp(sub, HW_SITE_MANIFEST) != 0 &&
			   strcmp(sub, HW_SITE_MANIFEST_SIG) != 0) {
			if (!files->n ||
			    !bsearch(&sub, files->paths, files->n,
				     sizeof(*files->paths), hw_strp_cmp))
				err = failf(v,
					    "%s: not in the manifest (added "
					    "after rendering)",
					    sub);
		}
		free(sub);
		free(full);
	}
	closedir(d);
	return err;
}

/* dir's manifest, when manifest.sig verifies it under the key it names
 * (into key); every entry of its "files" has a relative path and a hash. */
static int manifest_signed(const char *dir, hw_pubkey *key, cJSON **doc_out,
			   hw_report_verify *v)
{
	char *mp = hw_path_join(dir, HW_SITE_MANIFEST);
	char *sp = hw_path_join(dir, HW_SITE_MANIFEST_SIG);
	hw_buf m, sig;
	cJSON *doc = NULL;
	const cJSON *f;
	const char *keyline;
	int err;

	hw_buf_init(&m, FILE_MAX);
	hw_buf_init(&sig, 4096);
	err = mp && sp ? HW_OK : HW_ENOMEM;
	if (!err &&
	    (hw_file_read(&m, mp, FILE_MAX) || hw_file_read(&sig, sp, 4096)))
		err = failf(v, "%s: no signed manifest (%s, %s)", dir,
			    HW_SITE_MANIFEST, HW_SITE_MANIFEST_SIG);
	if (!err && hw_json_parse(&doc, mp, m.data, m.len))
		err = failf(v, "%s", hw_error_last());
	keyline = doc ? hw_json_str(doc, "key") : NULL;
	if (!err && (!keyline || hw_pubkey_parse(key, keyline, mp, 1)))
		err = failf(v, "%s: no valid signing key", HW_SITE_MANIFEST);
	if (!err && hw_blob_verify(sig.data, m.data, m.len, key))
		err = failf(v,
			    "%s: the signature does not verify: the "
			    "manifest was changed or signed by another key",
			    HW_SITE_MANIFEST_SIG);
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "files")) {
		const char *p = hw_json_str(f, "path");

		if (err)
			break;
		if (!p || !hw_json_str(f, "sha256") || *p == '/' ||
		    strstr(p, ".."))
			err = failf(v, "%s: a malformed entry",
				    HW_SITE_MANIFEST);
	}
	hw_error_clear();
	free(mp);
	free(sp);
	hw_buf_free(&m);
	hw_buf_free(&sig);
	if (err)
		cJSON_Delete(doc);
	else
		*doc_out = doc;
	return err;
}

static int check_manifest(const char *dir, hw_pubkey *key, cJSON **files_out,
			  hw_report_verify *v)
{
	cJSON *doc = NULL;
	const cJSON *f;
	int err = manifest_signed(dir, key, &doc, v);

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "files")) {
		const char *p = hw_json_str(f, "path");
		char hex[65];

		if (err)
			break;
		if (file_sha(dir, p, hex))
			err = failf(v, "%s: missing", p);
		else if (strcmp(hex, hw_json_str(f, "sha256")) != 0)
			err = failf(v,
				    "%s: changed after rendering (its SHA-256 "
				    "differs from the signed manifest)",
				    p);
		v->files++;
	}
	if (!err) {
		listed l = {NULL, 0};
		size_t cap = 0;

		/* every entry has a path: checked above */
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "files")) {
			if ((err = HW_ARRAY_GROW(l.paths, l.n, cap)))
				break;
			l.paths[l.n++] = hw_json_str(f, "path");
		}
		if (!err && l.n)
			qsort(l.paths, l.n, sizeof(*l.paths), hw_strp_cmp);
		if (!err)
			err = walk(dir, "", &l, v);
		free(l.paths);
	}
	hw_error_clear();
	if (err)
		cJSON_Delete(doc);
	else
		*files_out = doc;
	return err;
}

/*
 * The bundle in dir/rel verifies against its own keys, and the manifest's
 * key (when given) is one of them; *signer (when given) gets the key of
 * its latest event.
 */
static int check_bundle(const char *dir, const char *rel, const hw_pubkey *key,
			hw_event_list *events, hw_pubkey *signer,
			hw_report_verify *v)
{
	char *bundle = *rel ? hw_path_join(dir, rel) : hw_strdup(dir);
	char *keys = bundle ? hw_path_join(bundle, "keys") : NULL;
	hw_keyring ring = {0};
	hw_checkpoint cp;
	hw_verify_report vr;
	hw_verify_opts vo = {&ring, 0, NULL, 1};
	int err = keys ? HW_OK : HW_ENOMEM;

	if (!err && (hw_bundle_load(bundle, events, &cp) ||
		     hw_keyring_load(&ring, keys))) {
		err = failf(v, "%s: %s", *rel ? rel : dir, hw_error_last());
		free(bundle);
		free(keys);
		hw_keyring_free(&ring);
		return err;
	}
	if (!err && key && !hw_keyring_has(&ring, key))
		err = failf(v,
			    "ledger/bundle/keys: the manifest's key %s is "
			    "not among the bundle's keys",
			    key->name);
	if (!err && hw_ledger_verify(&vr, events, &cp, 1, &vo))
		err = failf(v, "%s: %s", *rel ? rel : dir, vr.message);
	if (!err)
		v->events = events->n;
	if (!err && signer) {
		const hw_pubkey *k = NULL;

		if (events->n)
			k = hw_keyring_find_at(
				&ring, events->items[events->n - 1].key_id,
				events->items[events->n - 1].seq);
		if (!k)
			err = failf(v, "%s: no signed event", rel);
		else
			*signer = *k;
	}
	hw_checkpoint_free(&cp);
	hw_keyring_free(&ring);
	free(bundle);
	free(keys);
	return err;
}

/* The verdict the dashboard shows for a check ("" when it shows none). */
static void page_verdict(const hw_buf *index, const char *check, char *out,
			 size_t size)
{
	char needle[64];
	const char *p, *q;

	*out = '\0';
	snprintf(needle, sizeof(needle), "data-check=\"%s\" data-verdict=\"",
		 check);
	p = index->data ? strstr(index->data, needle) : NULL;
	if (!p)
		return;
	p += strlen(needle);
	q = strchr(p, '"');
	if (q && (size_t)(q - p) < size) {
		memcpy(out, p, (size_t)(q - p));
		out[q - p] = '\0';
	}
}

static int check_verdicts(const char *dir, const hw_event_list *events,
			  hw_report_verify *v)
{
	char *ip = hw_path_join(dir, "index.html");
	cJSON *rep = NULL;
	const cJSON *fs;
	long long first = -1;
	hw_buf index, rj;
	int err = ip ? HW_OK : HW_ENOMEM;

	hw_buf_init(&index, FILE_MAX);
	hw_buf_init(&rj, FILE_MAX);
	if (!err && hw_file_read(&index, ip, FILE_MAX))
		err = failf(v, "index.html: missing");
	free(ip);
	ip = hw_path_join(dir, "evidence/report.json");
	if (!err && ip && !hw_file_read(&rj, ip, FILE_MAX) &&
	    !hw_json_parse(&rep, ip, rj.data, rj.len) &&
	    cJSON_IsNumber(fs = cJSON_GetObjectItem(rep, "first_seq")))
		first = (long long)fs->valuedouble;
	free(ip);
	hw_error_clear();
	if (!err && first < 0)
		err = failf(v, "evidence/report.json: not a report of "
			       "'hwledger report' (no first event)");
	for (size_t i = 0; i < HW_REPORT_NCHECKS && !err; i++) {
		const hw_event *found = NULL;
		cJSON *p;
		const char *want, *sha;
		char shown[32], rel[64], hex[65];

		for (size_t k = 0; k < events->n; k++)
			if ((long long)events->items[k].seq >= first &&
			    !strcmp(events->items[k].kind, checks[i]))
				found = &events->items[k];
		if (!found) {
			err = failf(v,
				    "no signed event of check '%s' in this "
				    "report",
				    checks[i]);
			break;
		}
		p = cJSON_ParseWithLength((const char *)found->payload,
					  found->payload_len);
		want = hw_json_str(p, "verdict");
		sha = hw_json_str(p, "result_sha256");
		snprintf(rel, sizeof(rel), "evidence/%s.json", checks[i]);
		page_verdict(&index, checks[i], shown, sizeof(shown));
		if (!want)
			err = failf(v, "event %llu: not a check event",
				    (unsigned long long)found->seq);
		else if (sha &&
			 (file_sha(dir, rel, hex) || strcmp(hex, sha) != 0))
			err = failf(v,
				    "%s: not the result signed in event %llu",
				    rel, (unsigned long long)found->seq);
		else if (!sha && !file_sha(dir, rel, hex))
			err = failf(v, "%s: no result was signed for it", rel);
		else if ((!strcmp(want, "pass") || !strcmp(want, "fail"))
				 ? strcmp(shown, want) != 0
				 : strcmp(shown, "not run") != 0)
			err = failf(v,
				    "index.html: check '%s' shows '%s' but "
				    "event %llu signed '%s'",
				    checks[i], shown,
				    (unsigned long long)found->seq, want);
		hw_error_clear();
		cJSON_Delete(p);
	}
	cJSON_Delete(rep);
	hw_buf_free(&index);
	hw_buf_free(&rj);
	return err;
}

/* The start of a site's check: v cleared, the trusted keys into ring. */
static int verify_start(const char *dir, const char *trusted_keys,
			hw_keyring *ring, hw_report_verify *v)
{
	memset(v, 0, sizeof(*v));
	v->ok = 1;
	/* a folder that is not there is the caller's mistake, not a report
	 * that fails to verify */
	if (!hw_path_is_dir(dir))
		return hw_error_set(HW_ENOTFOUND, dir, 0, 0,
				    "no such folder (the published site)");
	/* the trusted list is read first: a list the user named but that
	 * cannot be read is an error, never "no key trusted" */
	return trusted_keys ? hw_keyring_load(ring, trusted_keys) : HW_OK;
}

/* Implements: FR-REPORT-002 */
int hw_report_verify_dir(const char *dir, const char *trusted_keys,
			 hw_report_verify *v)
{
	hw_keyring ring = {0};
	hw_pubkey key;
	hw_event_list events = {0};
	cJSON *files = NULL;
	int err;

	if ((err = verify_start(dir, trusted_keys, &ring, v)))
		return err;
	err = check_manifest(dir, &key, &files, v);
	if (!err) {
		snprintf(v->key_name, sizeof(v->key_name), "%s", key.name);
		err = check_bundle(dir, "ledger/bundle", &key, &events, NULL,
				   v);
	}
	if (!err)
		err = check_verdicts(dir, &events, v);
	if (!err)
		v->trusted = hw_keyring_has(&ring, &key);
	if (!err)
		snprintf(v->message, sizeof(v->message),
			 "%zu files match the signed manifest; %zu events "
			 "verify; every check's evidence and verdict match "
			 "its signed event",
			 v->files, v->events);
	if (events.items)
		hw_event_list_free(&events);
	cJSON_Delete(files);
	hw_keyring_free(&ring);
	return err;
}

/* Implements: FR-REPORT-003 */
int hw_report_verify_bundle(const char *dir, const char *trusted_keys,
			    hw_event_list *events, hw_report_verify *v)
{
	hw_keyring ring = {0};
	hw_pubkey signer;
	int err;

	memset(v, 0, sizeof(*v));
	v->ok = 1;
	if (!hw_path_is_dir(dir))
		return hw_error_set(HW_ENOTFOUND, dir, 0, 0,
				    "no such folder (a ledger bundle)");
	if (trusted_keys && (err = hw_keyring_load(&ring, trusted_keys)))
		return err;
	err = check_bundle(dir, "", NULL, events, &signer, v);
	if (!err) {
		snprintf(v->key_name, sizeof(v->key_name), "%s", signer.name);
		v->trusted = hw_keyring_has(&ring, &signer);
		snprintf(v->message, sizeof(v->message),
			 "%zu events verify", v->events);
	}
	hw_keyring_free(&ring);
	return err;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const hw_manifest_file *)a)->path,
		      ((const hw_manifest_file *)b)->path);
}

/* Implements: FR-REPORT-003 */
int hw_report_verify_manifest(const char *dir, const char *trusted_keys,
			      hw_report_manifest *m, hw_report_verify *v)
{
	hw_keyring ring = {0};
	hw_pubkey key;
	const cJSON *f, *list;
	int err;

	memset(m, 0, sizeof(*m));
	if ((err = verify_start(dir, trusted_keys, &ring, v)))
		return err;
	if (!(err = manifest_signed(dir, &key, &m->doc, v))) {
		snprintf(v->key_name, sizeof(v->key_name), "%s", key.name);
		v->trusted = hw_keyring_has(&ring, &key);
		list = cJSON_GetObjectItem(m->doc, "files");
		m->files = calloc((size_t)cJSON_GetArraySize(list) + 1,
				  sizeof(*m->files));
		if (!m->files)
			err = hw_error_oom();
		/* every entry has a path and a hash: manifest_signed said so */
		for (f = err || !list ? NULL : list->child; f; f = f->next) {
			m->files[m->n].path = hw_json_str(f, "path");
			m->files[m->n++].sha256 = hw_json_str(f, "sha256");
		}
		if (!err && m->n)
			qsort(m->files, m->n, sizeof(*m->files), file_cmp);
	}
	hw_keyring_free(&ring);
	if (err)
		hw_report_manifest_free(m);
	return err;
}

/* Implements: FR-REPORT-003 */
int hw_report_read_signed(const hw_report_manifest *m, const char *dir,
			  const char *rel, hw_buf *out, int *present)
{
	hw_manifest_file key = {rel, NULL};
	const hw_manifest_file *hit =
		m->n ? bsearch(&key, m->files, m->n, sizeof(*m->files),
			       file_cmp)
		     : NULL;
	char *p = hw_path_join(dir, rel);
	uint8_t h[HW_SHA256_LEN];
	char hex[65];
	int err;

	HW_CHECK_ALLOC(p);
	*present = hw_path_exists(p);
	if (!*present && !hit)
		err = HW_OK; /* an optional document the report does not have */
	else if (!hit)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "%s: not in the manifest (added after "
				   "rendering)",
				   rel);
	else if (!*present)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0, "%s: missing", rel);
	else if ((err = hw_file_read(out, p, FILE_MAX)) == HW_OK) {
		hw_sha256(h, out->data ? out->data : "", out->len);
		hw_hex(hex, h, sizeof(h));
		if (strcmp(hex, hit->sha256) != 0)
			err = hw_error_set(HW_EFAIL, NULL, 0, 0,
					   "%s: changed after rendering (its "
					   "SHA-256 differs from the signed "
					   "manifest)",
					   rel);
	}
	free(p);
	return err;
}

void hw_report_manifest_free(hw_report_manifest *m)
{
	cJSON_Delete(m->doc);
	free(m->files);
	memset(m, 0, sizeof(*m));
}
