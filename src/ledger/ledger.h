/*
 * ledger.h — the evidence ledger.
 *
 * Owns: Ed25519 keys in the signed-note style (name+keyid+base64), the event
 * byte format and its leaf hash, DSSE signing, the append-only SQLite store
 * (.hwledger/ledger.db), RFC 6962 Merkle tree heads and inclusion proofs,
 * signed checkpoints, their git anchor (hw_ledger_ref), the
 * verifier and the offline export bundle. The byte formats are normative in
 * specs/ledger.md. Depends on util.
 */
#ifndef HW_LEDGER_H
#define HW_LEDGER_H

#include "util/util.h"

#define HW_LEDGER_DB ".hwledger/ledger.db"
#define HW_LEDGER_KEYS_DIR ".hwledger/keys"
#define HW_LEDGER_TRUSTED "traceability/trusted_keys"
#define HW_LEDGER_LAST_VERIFIED ".hwledger/last-verified"
/* The anchor ref of a project at the repository's top level; one in a
 * subfolder SUB anchors on HW_LEDGER_PROJECTS_REF SUB
 * HW_LEDGER_PROJECT_REF_TAIL. Name it with hw_ledger_ref, never these. */
#define HW_LEDGER_REF "refs/hwledger/checkpoints"
#define HW_LEDGER_PROJECTS_REF "refs/hwledger/projects/"
#define HW_LEDGER_PROJECT_REF_TAIL "/checkpoints"
#define HW_LEDGER_REF_MAX 4200
#define HW_EVENT_MAGIC "hwledger-event/v1\n"
#define HW_EVENT_PAYLOAD_TYPE "application/vnd.hwledger.event.v1"
#define HW_LEDGER_MAX_PAYLOAD ((size_t)16 << 20)

/* ---- keys -------------------------------------------------------------- */

#define HW_KEY_NAME_MAX 64

typedef struct hw_pubkey {
	char name[HW_KEY_NAME_MAX + 1];
	uint8_t id[4];      /* first 4 bytes of SHA-256(name \n 0x01 pk) */
	uint8_t pk[32];
	uint64_t valid_from;  /* first event it may sign (rotations) */
	uint64_t valid_until; /* last event it may sign; UINT64_MAX: no end */
} hw_pubkey;

typedef struct hw_seckey {
	hw_pubkey pub;
	uint8_t sk[64];     /* libsodium's secret key (seed || pk) */
} hw_seckey;

typedef struct hw_keyring {
	hw_pubkey *keys;
	size_t n;
} hw_keyring;

/* A key name: 1-64 of [A-Za-z0-9._-] (no '+', no spaces). */
int hw_key_name_valid(const char *name);
void hw_key_id(uint8_t out[4], const char *name, const uint8_t pk[32]);
/* Generates a key pair and writes DIR/NAME.key (0600) and DIR/NAME.pub. */
int hw_key_generate(hw_seckey *out, const char *dir, const char *name);
/* "<name>+<hex id>+<base64(0x01 || pk)>" into out (at least 160 bytes). */
void hw_pubkey_format(char *out, size_t size, const hw_pubkey *k);
/* Parses one public key line; the key id must match the name and key. */
int hw_pubkey_parse(hw_pubkey *k, const char *line, const char *file,
		    long lineno);
int hw_seckey_load(hw_seckey *k, const char *path);
/* The signing key: $HWLEDGER_SIGNING_KEY, else the first .hwledger/keys/ *.key;
 * HW_ENOTFOUND when there is none, HW_EIO when the variable names a file
 * that is not there. */
int hw_seckey_find(hw_seckey *k, char *path_out, size_t path_size);
/* The same for a command that must sign: no key anywhere is this
 * machine's setup, not bad input, so it is HW_EIO (exit 3) too. */
int hw_seckey_need(hw_seckey *k, char *path_out, size_t path_size);
/* Reads public key lines (blank and '#' lines skipped). */
int hw_keyring_load(hw_keyring *ring, const char *path);
int hw_keyring_add(hw_keyring *ring, const hw_pubkey *k);
const hw_pubkey *hw_keyring_find(const hw_keyring *ring, const uint8_t id[4]);
/* The key with this id that may sign event seq. */
const hw_pubkey *hw_keyring_find_at(const hw_keyring *ring,
				    const uint8_t id[4], uint64_t seq);
/* The event kind that hands signing over from one key to the next. */
#define HW_EVENT_KEY_ROTATION "key-rotation"
/* The event kind that disowns earlier events signed by an untrusted key
 * (payload: "disown SEQ HEXHASH" lines), the way out of a wedged ledger. */
#define HW_EVENT_REPAIR "ledger-repair"
void hw_keyring_free(hw_keyring *ring);
/* 1 when ring holds k itself (same key id and the same public key). */
int hw_keyring_has(const hw_keyring *ring, const hw_pubkey *k);
/* 1 when the key list at path (e.g. HW_LEDGER_TRUSTED) holds k; 0 when it
 * does not, or the file is missing or unreadable. */
int hw_key_listed(const char *path, const hw_pubkey *k);
/* A detached Ed25519 signature over p[0..n) as base64 (88 bytes + NUL). */
#define HW_SIG_B64_LEN 89
void hw_blob_sign(char out[HW_SIG_B64_LEN], const void *p, size_t n,
		  const hw_seckey *k);
/* 0 when b64 is k's signature over p[0..n), HW_EFAIL when not. */
int hw_blob_verify(const char *b64, const void *p, size_t n,
		   const hw_pubkey *k);

/* ---- events ------------------------------------------------------------ */

typedef struct hw_event {
	uint64_t seq;
	uint8_t prev[32];
	int64_t time_ns;
	char *kind;
	char *commit;       /* hex commit id, "" when none */
	char *payload_type;
	uint8_t *payload;
	size_t payload_len;
	uint8_t hash[32];   /* leaf hash: SHA-256(0x00 || E) */
	uint8_t key_id[4];
	uint8_t sig[64];
} hw_event;

void hw_event_free(hw_event *e);
/* The event bytes E of specs/ledger.md. */
int hw_event_encode(hw_buf *out, const hw_event *e);
void hw_leaf_hash(uint8_t out[32], const void *e_bytes, size_t n);
/* DSSE pre-authentication encoding of E. */
int hw_event_pae(hw_buf *out, const void *e_bytes, size_t n);
int hw_event_sign(hw_event *e, const hw_seckey *k);
/* 0 when the signature is a strict, canonical Ed25519 signature by k. */
int hw_event_verify_sig(const hw_event *e, const hw_pubkey *k);
/*
 * e as one JSON object, as a line of the bundle's events.jsonl holds it
 * (specs/ledger.md): every field needed to recompute its bytes, binary ones
 * in hex or base64. traceability/reviews.json carries its review events so.
 */
int hw_event_write_json(hw_jw *w, const hw_event *e);
/* Reads such an object into e: 1 when every field is there and well
 * formed, else 0. Either way e owns what it holds (hw_event_free). */
int hw_event_read_json(hw_event *e, const cJSON *o);

/* ---- store ------------------------------------------------------------- */

typedef struct hw_ledger {
	void *db;           /* sqlite3 * */
	char *path;
} hw_ledger;

typedef struct hw_append {
	const char *kind;
	const char *payload_type;
	const void *payload;
	size_t payload_len;
} hw_append;

/* Opens (creating when create is set) the ledger database; a failed open
 * holds nothing (no close needed). */
int hw_ledger_open(hw_ledger *l, const char *path, int create);
void hw_ledger_close(hw_ledger *l);
/*
 * Appends n events in one BEGIN IMMEDIATE transaction: all or none. Each
 * records commit (may be "") and is signed with k. first_seq (may be NULL)
 * receives the first new sequence number. A key the ledger retired is
 * refused (HW_EINVAL), and a key rotation must be the batch's last item.
 */
int hw_ledger_append(hw_ledger *l, const hw_append *items, size_t n,
		     const char *commit, const hw_seckey *k,
		     uint64_t *first_seq);
int hw_ledger_count(hw_ledger *l, uint64_t *count);
/* 1 when the key with this id signed a key rotation (it is retired; *seq
 * receives the rotation's sequence number), 0 when not, or an error. */
int hw_ledger_retired_at(hw_ledger *l, const uint8_t id[4], uint64_t *seq);
/*
 * Loads every event in sequence order into *events (rows as stored; the
 * verifier checks them). Malformed rows (NULL or wrong-length blobs) are
 * loaded with lengths marking them bad, not skipped.
 */
typedef struct hw_event_list {
	hw_event *items;
	size_t n;
	unsigned char *bad;  /* per event: a stored field had a wrong shape */
} hw_event_list;

int hw_ledger_load(hw_ledger *l, hw_event_list *list);
void hw_event_list_free(hw_event_list *list);

/* ---- Merkle tree (RFC 6962) ------------------------------------------- */

/* The tree head over leaf hashes leaves[0..n). Empty: SHA-256(""). */
void hw_merkle_root(uint8_t out[32], const uint8_t (*leaves)[32], size_t n);
/* The audit path of leaf m in a tree of n leaves; *len hashes into path
 * (room for 64). */
int hw_merkle_path(uint8_t (*path)[32], size_t *len,
		   const uint8_t (*leaves)[32], size_t n, size_t m);
/* 0 when leaf at index m with the path proves root for size n. */
int hw_merkle_verify_path(const uint8_t leaf[32], size_t m, size_t n,
			  const uint8_t (*path)[32], size_t len,
			  const uint8_t root[32]);

/* ---- checkpoints ------------------------------------------------------- */

typedef struct hw_checkpoint {
	char origin[128];
	uint64_t size;
	uint8_t root[32];
	char *text;         /* the whole signed note */
	char anchor[41];    /* the git commit that anchors it, "" if none */
	size_t nsigs;
	struct {
		char name[HW_KEY_NAME_MAX + 1];
		uint8_t id[4];
		uint8_t sig[64];
	} sigs[8];
} hw_checkpoint;

/* Builds and signs a note with every key in keys (at least one). */
int hw_checkpoint_make(hw_checkpoint *c, const char *origin, uint64_t size,
		       const uint8_t root[32], const hw_seckey *keys,
		       size_t nkeys);
/* Parses a signed note strictly; file/line are for messages. */
int hw_checkpoint_parse(hw_checkpoint *c, const char *text, size_t len,
			const char *file);
/* 0 when at least one signature verifies under a key of ring; a signature
 * by a known key that does not verify is an error, an unknown key is not. */
int hw_checkpoint_verify(const hw_checkpoint *c, const hw_keyring *ring);
void hw_checkpoint_free(hw_checkpoint *c);
/* The origin line for this repository: "hwledger/<folder name>". */
void hw_ledger_origin(char *out, size_t size);

int hw_ledger_store_checkpoint(hw_ledger *l, const hw_checkpoint *c);
/* Records the git commit that anchors the latest stored checkpoint. */
int hw_ledger_mark_anchored(hw_ledger *l, const char *commit);
/* Every stored checkpoint, oldest first; free each, then the array. */
int hw_ledger_checkpoints(hw_ledger *l, hw_checkpoint **out, size_t *n);
/* The latest stored checkpoint (text), or HW_ENOTFOUND. */
int hw_ledger_latest_checkpoint(hw_ledger *l, hw_checkpoint *c,
				char *git_commit, size_t gc_size);

/* ---- git anchor (libgit2) ---------------------------------------------- */

/*
 * The ref the current folder's project anchors its checkpoints on, into
 * out (HW_LEDGER_REF_MAX bytes): HW_LEDGER_REF when the folder is the git
 * work tree's top level (or the repository is bare),
 * "refs/hwledger/projects/SUB/checkpoints" when it is the subfolder SUB
 * ('/'-separated), so that two projects of one repository never share a
 * ref. HW_EINVAL naming SUB when SUB cannot be part of a ref name
 * (git_reference_name_is_valid), HW_ENOTFOUND outside a repository.
 */
int hw_ledger_ref(char *out, size_t size);
/* The repository's HEAD commit as hex into out (41 bytes), "" when none. */
int hw_git_head(char *out, size_t size, int *dirty);
/* Whether the repository around the working folder (found upwards, as
 * git finds it) is a shallow clone and whether its HEAD is detached; both
 * 0 outside a repository. */
void hw_git_shape(int *shallow, int *detached);
/* 1 when no git repository is around the working folder (found upwards,
 * as git finds it); 0 inside one, or when libgit2 cannot tell (it cannot
 * be loaded: the error is left for the caller that needs git). */
int hw_git_no_repository(void);
/*
 * Commits the checkpoint note onto hw_ledger_ref's ref (tree: one file
 * "checkpoint"; parent: the ref's current commit) and moves the ref by
 * compare-and-swap. commit_out receives the new commit id (41 bytes).
 */
int hw_git_anchor(const hw_checkpoint *c, char *commit_out);
/* Every checkpoint on hw_ledger_ref's ref (named in ref), oldest first;
 * texts owned by list. */
typedef struct hw_anchor_list {
	hw_checkpoint *items;
	char (*commits)[41];
	size_t n;
	char ref[HW_LEDGER_REF_MAX];
} hw_anchor_list;
int hw_git_anchors(hw_anchor_list *list);
/* The same for the ref named (HW_LEDGER_REF, for a subfolder project's
 * checkpoints anchored before each project had its own ref). */
int hw_git_anchors_on(hw_anchor_list *list, const char *ref);
void hw_anchor_list_free(hw_anchor_list *list);
/* Forgets the repository opened for the current folder (after chdir). */
void hw_git_close(void);
/*
 * The paths in git's index that are hwledger private keys (any *.key under
 * .hwledger/keys/, or a *.key whose staged bytes are a secret key file), as
 * a NULL-terminated list for hw_strv_free; none outside a repository.
 */
int hw_git_index_secret_keys(char ***paths, size_t *n);
/*
 * 1 when git's index holds a file inside the folder dir (of the current
 * folder's repository), its path (relative to the repository) in first;
 * 0 when none, or outside a repository; an error code when the index
 * cannot be read.
 */
int hw_git_tracked_under(const char *dir, char *first, size_t size);
/* Writes .hwledger/.gitignore (everything under .hwledger/ stays out of
 * git: the private key above all) unless one is there. */
int hw_ledger_dir_protect(void);
/* HW_EINVAL naming the first private key in git's index, if any. */
int hw_ledger_refuse_tracked_keys(void);
/*
 * 1 when the commit id names a commit in the repository, 0 when not (or when
 * there is no repository), a negative HW_E* code when libgit2 is missing.
 */
int hw_git_commit_exists(const char *hex);
/*
 * The commit a revision names (git's syntax: "HEAD~2", "v1.0", a short id;
 * a tag is peeled to its commit) as hex into out; HW_ENOTFOUND naming rev
 * when the repository has no such revision or there is no repository.
 */
int hw_git_resolve(const char *rev, char out[41]);
/*
 * Appends the unified diff of text a to text b (libgit2's
 * git_diff_buffers: "@@ -1,2 +1,2 @@" hunks of 3 context lines, each line
 * led by ' ', '-' or '+') to out; nothing when they are equal. Both texts
 * end with a newline.
 */
int hw_git_diff_text(hw_buf *out, const char *a, size_t alen, const char *b,
		     size_t blen);

/* ---- verification ------------------------------------------------------ */

typedef struct hw_verify_report {
	uint64_t events;
	uint64_t covered;       /* size of the latest checkpoint */
	uint8_t root[32];       /* tree head over all events */
	size_t checkpoints;
	size_t anchors;
	size_t disowned;        /* events accepted only by a repair event */
	int ok;
	long long first_bad;    /* sequence number of the first failure, -1 */
	char message[512];      /* the first failure, or a summary */
	char tail_note[256];    /* the uncovered tail, when there is one */
} hw_verify_report;

typedef struct hw_verify_opts {
	const hw_keyring *trusted;
	int check_git;          /* commit ids and anchors (repository needed) */
	const char *last_verified; /* path of the remembered checkpoint or NULL */
	int threads;            /* signature checking threads, 0 = cores */
} hw_verify_opts;

/*
 * Verifies a loaded ledger and its checkpoints (from the store and, with
 * check_git, from the anchor ref). Returns 0 (report->ok set) or HW_EFAIL
 * with the first failure named; other codes are environment errors.
 */
int hw_ledger_verify(hw_verify_report *r, const hw_event_list *events,
		     const hw_checkpoint *checkpoints, size_t ncheckpoints,
		     const hw_verify_opts *opts);

/* ---- export bundle ----------------------------------------------------- */

int hw_bundle_export(hw_ledger *l, const char *dir, const hw_keyring *keys);
/* Loads DIR/events.jsonl and DIR/checkpoint. */
int hw_bundle_load(const char *dir, hw_event_list *events,
		   hw_checkpoint *checkpoint);

/* ---- whole steps (ops.c): what `hwledger ledger` and the report run ---- */

/* The leaf hash of every event of list, recomputed from its bytes; free
 * *leaves. */
int hw_ledger_leaves(uint8_t (**leaves)[32], const hw_event_list *list);
/*
 * Signs a checkpoint over every event with keys[0..nkeys) and stores it;
 * c receives it (hw_checkpoint_free). An event whose bytes do not match its
 * stored hash is refused (HW_EFAIL): nothing is signed.
 */
int hw_ledger_checkpoint(hw_ledger *l, const hw_seckey *keys, size_t nkeys,
			 hw_checkpoint *c);
/*
 * Anchors the latest checkpoint on the project's ref (hw_ledger_ref, into
 * ref: HW_LEDGER_REF_MAX bytes) unless it already is: *size receives its
 * size, commit the anchoring commit, *fresh 1 when this call anchored it.
 * HW_ENOTFOUND when there is no checkpoint; the ref's error (a folder that
 * cannot be part of a ref name) before anything else.
 */
int hw_ledger_anchor(hw_ledger *l, uint64_t *size, char commit[41],
		     int *fresh, char *ref);
/* The trusted keys: HW_LEDGER_TRUSTED (when there is one) plus the key
 * files extra[0..nextra); with need_list, neither is HW_ENOTFOUND. */
int hw_ledger_trusted(hw_keyring *ring, const char **extra, size_t nextra,
		      int need_list);
/* The bundle in dir with the trusted keys and signer's public key (may be
 * NULL) as its keys. */
int hw_ledger_export_bundle(hw_ledger *l, const char *dir,
			    const hw_pubkey *signer);
/* Verifies HW_LEDGER_DB (none: an empty ledger) with its checkpoints and
 * anchors against trusted, as `hwledger ledger verify` does: 0 or HW_EFAIL
 * with r filled, another code for an environment error. keep (may be NULL)
 * receives the verified events when it returns 0. */
int hw_ledger_verify_repo(hw_verify_report *r, const hw_keyring *trusted,
			  hw_event_list *keep);
/* r as a hwledger.verify/1 document (specs/ledger.md). */
int hw_verify_report_json(hw_buf *b, const hw_verify_report *r);

#endif
