/*
 * cmd_ledger.c — `hwledger ledger keygen|append|verify|log|checkpoint|
 * anchor|export|prove|rotate|repair`.
 *
 * Verification trusts only the keys in traceability/trusted_keys and those
 * given with --key; a key that merely sits in .hwledger/keys/ is not
 * trusted, so a local key never vouches for itself.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_KEYS 8

#define ledger_usage(...) hw_cli_usage_error("ledger", __VA_ARGS__)

/* Value of an option at argv[*i]; usage error when it is missing. */
static const char *optval(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/*
 * A sequence number argument: decimal digits only, at most INT64_MAX (the
 * store's range). "-1" (which strtoull wraps to 2^64-1), "+1", " 1" and
 * overflow are refused rather than read as another number.
 */
static int parse_seq(const char *s, long long *out)
{
	unsigned long long v;

	if (!s || !*s || s[strspn(s, "0123456789")] != '\0')
		return 0;
	errno = 0;
	v = strtoull(s, NULL, 10);
	if (errno || v > LLONG_MAX)
		return 0;
	*out = (long long)v;
	return 1;
}

/* Implements: FR-LEDGER-001 */
static int cmd_keygen(hw_cli *cli, int argc, char **argv)
{
	const char *name = "hwledger-local", *dir = HW_LEDGER_KEYS_DIR;
	hw_seckey k;
	char line[200];
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && (name = optval(argc, argv, &i)))
			continue;
		if (!strcmp(argv[i], "--dir") && (dir = optval(argc, argv, &i)))
			continue;
		return ledger_usage("ledger keygen: bad argument '%s'", argv[i]);
	}
	if ((err = hw_key_generate(&k, dir, name)))
		return hw_cli_error(err);
	hw_pubkey_format(line, sizeof(line), &k.pub);
	printf("%s\n", line);
	/* the line first, then the note that points up to it, even when
	 * both streams go to one pipe */
	if (fflush(stdout) != 0)
		return hw_cli_finish(HW_EXIT_OK);
	if (!cli->quiet)
		fprintf(stderr,
			"hwledger: wrote %s/%s.key (mode 600) and %s/%s.pub; add "
			"the line above to %s to trust it\n",
			dir, name, dir, name, HW_LEDGER_TRUSTED);
	return hw_cli_finish(HW_EXIT_OK);
}

static int open_signing(hw_seckey *k, const hw_cli *cli)
{
	char path[4096];
	int err = hw_seckey_need(k, path, sizeof(path));

	if (err)
		return err;
	if (cli->verbose)
		fprintf(stderr, "hwledger: signing with %s (%s)\n",
			k->pub.name, path);
	return HW_OK;
}

#define MAX_APPEND 64

/* Reads one payload: a file, or stdin for "-"; none is empty. */
/* Implements: FR-LEDGER-002 */
static int read_payload(hw_buf *data, const char *payload)
{
	char chunk[65536];
	size_t n;
	int err;

	hw_buf_init(data, HW_LEDGER_MAX_PAYLOAD);
	if (!payload)
		return HW_OK;
	if (strcmp(payload, "-") != 0)
		return hw_file_read(data, payload, HW_LEDGER_MAX_PAYLOAD);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if ((err = hw_buf_append(data, chunk, n)))
			return err;
	return HW_OK;
}

/*
 * `ledger append --kind K [--payload FILE|-] [--payload-type T]...`: each
 * --kind starts an event; all of them go in in one transaction.
 */
/* Implements: FR-LEDGER-002 */
static int cmd_append(hw_cli *cli, int argc, char **argv)
{
	const char *payloads[MAX_APPEND] = {0};
	hw_append items[MAX_APPEND];
	hw_buf data[MAX_APPEND];
	size_t n = 0, stdin_uses = 0;
	hw_seckey k;
	hw_ledger l;
	char commit[64];
	uint64_t seq;
	int err = HW_OK, dirty;

	for (int i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i], *v = NULL;

		if (!strcmp(a, "--kind") && (v = optval(argc, argv, &i))) {
			if (n == MAX_APPEND)
				return ledger_usage("ledger append: at most %d "
						    "events at once",
						    MAX_APPEND);
			items[n].kind = v;
			items[n++].payload_type = "application/json";
			continue;
		}
		if (n && !strcmp(a, "--payload") &&
		    (v = optval(argc, argv, &i))) {
			payloads[n - 1] = v;
			stdin_uses += !strcmp(v, "-");
			continue;
		}
		if (n && !strcmp(a, "--payload-type") &&
		    (v = optval(argc, argv, &i))) {
			items[n - 1].payload_type = v;
			continue;
		}
		return ledger_usage("ledger append: bad argument '%s'", a);
	}
	if (!n || stdin_uses > 1)
		return ledger_usage("ledger append needs --kind KIND (1-64 "
				    "characters) before its --payload, and "
				    "reads stdin once%s",
				    "");
	for (size_t i = 0; i < n; i++)
		if (!*items[i].kind || strlen(items[i].kind) > 64)
			return ledger_usage("ledger append: --kind must have "
					    "1-64 characters%s",
					    "");
	for (size_t i = 0; i < n; i++) {
		if (!err)
			err = read_payload(&data[i], payloads[i]);
		else
			hw_buf_init(&data[i], 0);
		items[i].payload = data[i].data ? data[i].data : "";
		items[i].payload_len = data[i].len;
	}
	if (!err && !(err = open_signing(&k, cli)) &&
	    !(err = hw_ledger_open(&l, HW_LEDGER_DB, 1))) {
		hw_git_head(commit, sizeof(commit), &dirty);
		err = hw_ledger_append(&l, items, n, commit, &k, &seq);
		hw_ledger_close(&l);
	}
	for (size_t i = 0; i < n; i++)
		hw_buf_free(&data[i]);
	if (err)
		return hw_cli_error(err);
	for (size_t i = 0; i < n && !cli->quiet; i++)
		printf("appended event %llu (%s, %zu bytes, commit %s%s)\n",
		       (unsigned long long)seq + i, items[i].kind,
		       items[i].payload_len, *commit ? commit : "none",
		       dirty ? ", uncommitted changes" : "");
	return hw_cli_finish(HW_EXIT_OK);
}

static void print_report(const hw_verify_report *r, int json)
{
	char root[65];

	hw_hex(root, r->root, 32);
	if (json) {
		hw_buf b;

		hw_buf_init(&b, 0);
		if (!hw_verify_report_json(&b, r))
			fwrite(b.data, 1, b.len, stdout);
		hw_buf_free(&b);
		return;
	}
	if (r->ok) {
		printf("ledger verify: ok — %s\nroot %s\n", r->message, root);
		if (r->tail_note[0])
			printf("note: %s\n", r->tail_note);
	} else {
		fprintf(stderr, "hwledger: ledger verify FAILED: %s\n",
			r->message);
	}
}

static int verify_bundle(const char *dir, hw_keyring *ring, long long event,
			 int json)
{
	hw_event_list list;
	hw_checkpoint cp;
	hw_verify_report r;
	hw_verify_opts o = {ring, 0, NULL, 0};
	int err;

	if ((err = hw_bundle_load(dir, &list, &cp)))
		return hw_cli_error(err);
	err = hw_ledger_verify(&r, &list, &cp, 1, &o);
	if (!err && event >= 0) {
		uint8_t (*leaves)[32] = NULL, path[64][32];
		size_t len;

		if ((uint64_t)event >= cp.size) {
			r.ok = 0;
			snprintf(r.message, sizeof(r.message),
				 "event %lld is not covered by the bundle's "
				 "checkpoint (size %llu)",
				 event, (unsigned long long)cp.size);
			err = HW_EFAIL;
		} else if (!(err = hw_ledger_leaves(&leaves, &list)) &&
			   !(err = hw_merkle_path(path, &len,
						  (const uint8_t(*)[32])leaves,
						  (size_t)cp.size,
						  (size_t)event))) {
			if (hw_merkle_verify_path(leaves[event], (size_t)event,
						  (size_t)cp.size,
						  (const uint8_t(*)[32])path,
						  len, cp.root) == HW_OK) {
				snprintf(r.message, sizeof(r.message),
					 "event %lld is included in the "
					 "checkpoint of size %llu (audit path "
					 "of %zu hashes)",
					 event, (unsigned long long)cp.size,
					 len);
			} else {
				r.ok = 0;
				snprintf(r.message, sizeof(r.message),
					 "event %lld: inclusion proof fails",
					 event);
				err = HW_EFAIL;
			}
		}
		free(leaves);
	}
	if (err && err != HW_EFAIL) {
		hw_event_list_free(&list);
		hw_checkpoint_free(&cp);
		return hw_cli_error(err);
	}
	print_report(&r, json);
	hw_event_list_free(&list);
	hw_checkpoint_free(&cp);
	return r.ok ? HW_EXIT_OK : HW_EXIT_FAIL;
}

/* Implements: FR-LEDGER-004, FR-LEDGER-005 */
static int cmd_verify(hw_cli *cli, int argc, char **argv)
{
	const char *keys[MAX_KEYS], *bundle = NULL;
	size_t nkeys = 0;
	long long event = -1;
	int json = 0, err, code;
	hw_keyring ring = {0};
	hw_verify_report r;

	(void)cli;
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--bundle") &&
			   (bundle = optval(argc, argv, &i))) {
		} else if (!strcmp(argv[i], "--key") &&
			   (v = optval(argc, argv, &i)) && nkeys < MAX_KEYS) {
			keys[nkeys++] = v;
		} else if (!strcmp(argv[i], "--event") &&
			   (v = optval(argc, argv, &i))) {
			if (!parse_seq(v, &event))
				return ledger_usage("--event needs a sequence "
						    "number, not '%s'",
						    v);
		} else {
			return ledger_usage("ledger verify: bad argument '%s'",
					    argv[i]);
		}
	}
	if (bundle) {
		if (!nkeys)
			return ledger_usage("ledger verify --bundle needs "
					    "--key FILE%s",
					    "");
		for (size_t i = 0; i < nkeys; i++)
			if ((err = hw_keyring_load(&ring, keys[i]))) {
				hw_keyring_free(&ring);
				return hw_cli_error(err);
			}
		code = verify_bundle(bundle, &ring, event, json);
		hw_keyring_free(&ring);
		return hw_cli_finish(code);
	}
	if (event >= 0)
		return ledger_usage("--event works with --bundle%s", "");
	if ((err = hw_ledger_trusted(&ring, keys, nkeys, 1)))
		return hw_cli_error(err);
	err = hw_ledger_verify_repo(&r, &ring, NULL);
	if (!err || err == HW_EFAIL)
		print_report(&r, json);
	code = err == HW_EFAIL ? HW_EXIT_FAIL
	       : err	       ? hw_cli_error(err)
			       : HW_EXIT_OK;
	hw_keyring_free(&ring);
	return hw_cli_finish(code);
}

/* Implements: FR-LEDGER-002 */
static int cmd_log(hw_cli *cli, int argc, char **argv)
{
	const char *kind = NULL;
	int json = 0, err;
	hw_ledger l;
	hw_event_list list;
	hw_buf b;
	hw_jw w;

	(void)cli;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--kind") &&
			 (kind = optval(argc, argv, &i)))
			;
		else
			return ledger_usage("ledger log: bad argument '%s'",
					    argv[i]);
	}
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 0)) ||
	    (err = hw_ledger_load(&l, &list))) {
		if (err == HW_ENOTFOUND && !json) {
			printf("the ledger is empty\n");
			return hw_cli_finish(HW_EXIT_OK);
		}
		return hw_cli_error(err);
	}
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	if (json) {
		hw_jw_object(&w);
		hw_jw_kstr(&w, "schema", "hwledger.log/1");
		hw_jw_key(&w, "events");
		hw_jw_array(&w);
	}
	for (size_t i = 0; i < list.n; i++) {
		const hw_event *e = &list.items[i];
		char hash[65], when[21], key[9];

		if (kind && strcmp(kind, e->kind) != 0)
			continue;
		hw_hex(hash, e->hash, 32);
		hw_hex(key, e->key_id, 4);
		hw_time_of((time_t)(e->time_ns / 1000000000LL), when);
		if (!json) {
			/* signed, as SQLite stores it: a tampered -1 shows
			 * as -1 */
			printf("%6lld  %s  %-16s %-12.12s %7zu B  %.16s  key "
			       "%s\n",
			       (long long)e->seq, when, e->kind,
			       *e->commit ? e->commit : "-", e->payload_len,
			       hash, key);
			continue;
		}
		hw_jw_object(&w);
		hw_jw_kint(&w, "seq", (long long)e->seq);
		hw_jw_kstr(&w, "time", when);
		hw_jw_kint(&w, "time_ns", e->time_ns);
		hw_jw_kstr(&w, "kind", e->kind);
		hw_jw_kstr(&w, "commit", e->commit);
		hw_jw_kstr(&w, "payload_type", e->payload_type);
		hw_jw_kint(&w, "payload_bytes", (long long)e->payload_len);
		hw_jw_kstr(&w, "hash", hash);
		hw_jw_kstr(&w, "key_id", key);
		hw_jw_end(&w);
	}
	if (json) {
		hw_jw_end(&w);
		hw_jw_end(&w);
		if (!(err = hw_jw_finish(&w)))
			fwrite(b.data, 1, b.len, stdout);
	}
	hw_buf_free(&b);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-LEDGER-003 */
static int cmd_checkpoint(hw_cli *cli, int argc, char **argv)
{
	hw_seckey keys[MAX_KEYS];
	size_t nkeys = 1;
	hw_ledger l;
	hw_checkpoint c;
	int err;

	for (int i = 1; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--cosign") &&
		    (v = optval(argc, argv, &i)) && nkeys < MAX_KEYS) {
			if ((err = hw_seckey_load(&keys[nkeys++], v)))
				return hw_cli_error(err);
			continue;
		}
		return ledger_usage("ledger checkpoint: bad argument '%s'",
				    argv[i]);
	}
	if ((err = open_signing(&keys[0], cli)) ||
	    (err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return hw_cli_error(err);
	if (!(err = hw_ledger_checkpoint(&l, keys, nkeys, &c))) {
		fputs(c.text, stdout);
		hw_checkpoint_free(&c);
	}
	hw_ledger_close(&l);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-LEDGER-003 */
static int cmd_anchor(hw_cli *cli, int argc, char **argv)
{
	hw_ledger l;
	uint64_t size;
	char commit[41], ref[HW_LEDGER_REF_MAX];
	int err, fresh;

	if (argc > 1)
		return ledger_usage("ledger anchor: bad argument '%s'", argv[1]);
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 0)))
		return hw_cli_error(err);
	err = hw_ledger_anchor(&l, &size, commit, &fresh, ref);
	hw_ledger_close(&l);
	if (!err && !fresh && !cli->quiet)
		printf("the latest checkpoint (%llu events) is already "
		       "anchored at %s on %s\n",
		       (unsigned long long)size, commit, ref);
	else if (!err && fresh)
		printf("anchored checkpoint of %llu events at %s on %s\n",
		       (unsigned long long)size, commit, ref);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-LEDGER-005 */
static int cmd_export(hw_cli *cli, int argc, char **argv)
{
	const char *dir = NULL;
	hw_seckey k;
	hw_ledger l;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bundle") && (dir = optval(argc, argv, &i)))
			continue;
		return ledger_usage("ledger export: bad argument '%s'", argv[i]);
	}
	if (!dir)
		return ledger_usage("ledger export needs --bundle DIR%s", "");
	if (!(err = hw_ledger_open(&l, HW_LEDGER_DB, 0))) {
		int signer = hw_seckey_find(&k, (char[4096]){0}, 4096) == HW_OK;

		hw_error_clear();
		err = hw_ledger_export_bundle(&l, dir, signer ? &k.pub : NULL);
		hw_ledger_close(&l);
	}
	if (!err && !cli->quiet)
		printf("exported the ledger to %s (events.jsonl, checkpoint, "
		       "keys)\n",
		       dir);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-LEDGER-005 */
static int cmd_prove(hw_cli *cli, int argc, char **argv)
{
	hw_ledger l;
	hw_event_list list;
	hw_checkpoint c;
	uint8_t (*leaves)[32] = NULL, path[64][32];
	size_t len = 0, size;
	char hex[65];
	long long seq;
	int err;

	(void)cli;
	if (argc != 2)
		return ledger_usage("ledger prove takes one SEQ%s", "");
	if (!parse_seq(argv[1], &seq))
		return ledger_usage("bad sequence number '%s'", argv[1]);
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 0)))
		return hw_cli_error(err);
	if ((err = hw_ledger_load(&l, &list))) {
		hw_ledger_close(&l);
		return hw_cli_error(err);
	}
	size = list.n;
	if (hw_ledger_latest_checkpoint(&l, &c, NULL, 0) == HW_OK) {
		size = (size_t)c.size;
		hw_checkpoint_free(&c);
	}
	if (!(err = hw_ledger_leaves(&leaves, &list)) && size > list.n)
		err = hw_error_set(HW_EINVAL, HW_LEDGER_DB, 0, 0,
				   "the checkpoint covers more events than "
				   "the ledger holds");
	if (!err && (uint64_t)seq >= size)
		err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				   "event %lld is not covered (tree size "
				   "%zu)",
				   seq, size);
	if (!err)
		err = hw_merkle_path(path, &len, (const uint8_t(*)[32])leaves,
				     size, (size_t)seq);
	if (!err) {
		uint8_t root[32];

		hw_merkle_root(root, (const uint8_t(*)[32])leaves, size);
		hw_hex(hex, root, 32);
		printf("{\n  \"schema\": \"hwledger.proof/1\",\n  \"seq\": %lld,"
		       "\n  \"tree_size\": %zu,\n  \"root\": \"%s\",\n",
		       seq, size, hex);
		hw_hex(hex, leaves[seq], 32);
		printf("  \"leaf\": \"%s\",\n  \"path\": [", hex);
		for (size_t i = 0; i < len; i++) {
			hw_hex(hex, path[i], 32);
			printf("%s\"%s\"", i ? ", " : "", hex);
		}
		printf("]\n}\n");
	}
	free(leaves);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-LEDGER-001 */
static int cmd_rotate(hw_cli *cli, int argc, char **argv)
{
	const char *to = NULL;
	hw_pubkey next;
	hw_seckey k;
	hw_ledger l;
	hw_append item;
	hw_buf b;
	char line[200], commit[64];
	uint64_t seq;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--to") && (to = optval(argc, argv, &i)))
			continue;
		return ledger_usage("ledger rotate: bad argument '%s'", argv[i]);
	}
	if (!to)
		return ledger_usage("ledger rotate needs --to PUBLIC_KEY_FILE%s",
				    "");
	hw_buf_init(&b, 4096);
	if ((err = hw_file_read(&b, to, 4096)) ||
	    (err = hw_text_refuse_nul(b.data, b.len, to, "a key file"))) {
		hw_buf_free(&b);
		return hw_cli_error(err);
	}
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	err = hw_pubkey_parse(&next, b.data, to, 1);
	hw_buf_free(&b);
	if (err || (err = open_signing(&k, cli)))
		return hw_cli_error(err);
	/* handing over to itself, or back to a retired key, would retire
	 * the only key allowed to sign: the ledger could never verify again */
	if (!memcmp(next.id, k.pub.id, 4) && !memcmp(next.pk, k.pub.pk, 32))
		return ledger_usage("ledger rotate: %s is the signing key "
				    "itself; --to names the key that takes "
				    "over",
				    to);
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return hw_cli_error(err);
	if ((err = hw_ledger_retired_at(&l, next.id, &seq)) > 0)
		err = hw_error_set(HW_EINVAL, to, 0, 0,
				   "key %s was retired by the key rotation in "
				   "event %llu and cannot sign again",
				   next.name, (unsigned long long)seq);
	hw_pubkey_format(line, sizeof(line), &next);
	hw_git_head(commit, sizeof(commit), NULL);
	item.kind = HW_EVENT_KEY_ROTATION;
	item.payload_type = "text/plain";
	item.payload = line;
	item.payload_len = strlen(line);
	if (!err)
		err = hw_ledger_append(&l, &item, 1, commit, &k, &seq);
	hw_ledger_close(&l);
	if (!err && !cli->quiet)
		printf("event %llu: %s hands signing over to %s; sign with "
		       "the new key from now on\n",
		       (unsigned long long)seq, k.pub.name, next.name);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/*
 * `ledger repair SEQ... [--reason TEXT]`: the way out of a ledger wedged by
 * an event its verifier cannot trust (signed by an untrusted or retired
 * key). Events cannot be taken back; a repair event, signed by the signing
 * key, disowns them by sequence number and stored hash, and verify accepts
 * them from then on when the repair is signed by a trusted key.
 */
/* Implements: FR-LEDGER-004 */
static int cmd_repair(hw_cli *cli, int argc, char **argv)
{
	const char *reason = NULL;
	long long seqs[MAX_APPEND];
	size_t n = 0;
	hw_event_list list = {0};
	hw_append item;
	hw_seckey k;
	hw_ledger l;
	hw_buf b;
	char commit[64];
	uint64_t seq;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reason") &&
		    (reason = optval(argc, argv, &i)) && !strchr(reason, '\n'))
			continue;
		if (n == MAX_APPEND || !parse_seq(argv[i], &seqs[n]))
			return ledger_usage("ledger repair: bad argument '%s' "
					    "(SEQ... [--reason ONE-LINE-TEXT])",
					    argv[i]);
		n++;
	}
	if (!n)
		return ledger_usage("ledger repair needs the sequence numbers "
				    "of the events to disown%s",
				    "");
	if ((err = open_signing(&k, cli)) ||
	    (err = hw_ledger_open(&l, HW_LEDGER_DB, 0)))
		return hw_cli_error(err);
	hw_buf_init(&b, 0);
	err = hw_ledger_load(&l, &list);
	for (size_t i = 0; !err && i < n; i++) {
		char hex[65];

		if ((uint64_t)seqs[i] >= list.n ||
		    list.items[seqs[i]].seq != (uint64_t)seqs[i]) {
			err = hw_error_set(HW_EINVAL, NULL, 0, 0,
					   "event %lld is not in the ledger",
					   seqs[i]);
			break;
		}
		hw_hex(hex, list.items[seqs[i]].hash, 32);
		err = hw_buf_printf(&b, "disown %lld %s\n", seqs[i], hex);
	}
	if (!err && reason)
		err = hw_buf_printf(&b, "reason %s\n", reason);
	if (!err) {
		hw_git_head(commit, sizeof(commit), NULL);
		item.kind = HW_EVENT_REPAIR;
		item.payload_type = "text/plain";
		item.payload = b.data;
		item.payload_len = b.len;
		err = hw_ledger_append(&l, &item, 1, commit, &k, &seq);
	}
	if (!err && !cli->quiet)
		printf("event %llu: %s disowns %zu event%s; run 'hwledger "
		       "ledger verify'\n",
		       (unsigned long long)seq, k.pub.name, n,
		       n == 1 ? "" : "s");
	hw_buf_free(&b);
	hw_event_list_free(&list);
	hw_ledger_close(&l);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

int hw_cmd_ledger(hw_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(hw_cli *, int, char **);
	} subs[] = {
		{"keygen", cmd_keygen},       {"append", cmd_append},
		{"verify", cmd_verify},       {"log", cmd_log},
		{"checkpoint", cmd_checkpoint}, {"anchor", cmd_anchor},
		{"export", cmd_export},       {"prove", cmd_prove},
		{"rotate", cmd_rotate},       {"repair", cmd_repair},
	};

	if (argc < 2)
		return hw_cli_usage_error("ledger", "ledger needs a subcommand");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(cli, argc - 1, argv + 1);
	return hw_cli_usage_error("ledger", "ledger: unknown subcommand '%s'",
				  argv[1]);
}
