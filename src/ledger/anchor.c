/*
 * anchor.c — the git side of the ledger, through libgit2: the HEAD commit an
 * event records, and the checkpoint anchor: each checkpoint is a commit on
 * the project's anchor ref (hw_ledger_ref: refs/hwledger/checkpoints at the
 * repository's top level, refs/hwledger/projects/SUB/checkpoints in a
 * subfolder SUB) whose tree holds one file, "checkpoint", whose parent is
 * the previous checkpoint commit, and the ref only moves by
 * compare-and-swap, so two writers cannot silently overwrite each other.
 */
#include "ledger.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

/*
 * libgit2 is opened with dlopen on first use. Linked into the binary, it
 * and the shared libraries it brings (Kerberos, OpenSSL, mbedTLS,
 * libssh2...) would be loaded at the start of every command, and only this
 * file needs it. The soname comes from the Makefile; HWLEDGER_LIBGIT2
 * names another library.
 */
#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)
#ifdef HW_LIBGIT2_SONAME
#define GIT2_SONAME HW_STR(HW_LIBGIT2_SONAME)
#else
#define GIT2_SONAME "libgit2.so"
#endif

#define HW_GIT_FUNCS(X) \
	X(blob_create_from_buffer) \
	X(blob_free) \
	X(blob_lookup) \
	X(blob_rawcontent) \
	X(blob_rawsize) \
	X(commit_create) \
	X(commit_free) \
	X(commit_lookup) \
	X(commit_parent_id) \
	X(commit_parentcount) \
	X(commit_tree) \
	X(diff_buffers) \
	X(error_last) \
	X(index_entrycount) \
	X(index_free) \
	X(index_get_byindex) \
	X(libgit2_init) \
	X(object_free) \
	X(object_id) \
	X(object_peel) \
	X(oid_fromstrn) \
	X(oid_tostr) \
	X(reference_create) \
	X(reference_create_matching) \
	X(reference_free) \
	X(reference_name_is_valid) \
	X(reference_name_to_id) \
	X(repository_free) \
	X(repository_head_detached) \
	X(repository_index) \
	X(repository_is_shallow) \
	X(repository_open_ext) \
	X(repository_workdir) \
	X(revparse_single) \
	X(signature_free) \
	X(signature_now) \
	X(status_list_entrycount) \
	X(status_list_free) \
	X(status_list_new) \
	X(status_options_init) \
	X(tree_entry_byname) \
	X(tree_entry_id) \
	X(tree_entry_type) \
	X(tree_free) \
	X(tree_lookup) \
	X(treebuilder_free) \
	X(treebuilder_insert) \
	X(treebuilder_new) \
	X(treebuilder_write)

static struct {
/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(git_##f) *f;
	HW_GIT_FUNCS(X)
#undef X
} git2;

/* Loads libgit2 once; a failure is kept and returned on every call. */
static int load_libgit2(void)
{
	static hw_lib lib;
#define X(f) "git_" #f,
	static const char *const names[] = {HW_GIT_FUNCS(X)};
#undef X
#define X(f) (void *)&git2.f,
	void *const slots[] = {HW_GIT_FUNCS(X)};
#undef X

	return hw_lib_load(&lib, "HWLEDGER_LIBGIT2", GIT2_SONAME, "libgit2",
			   "the ledger's git side", names, slots,
			   sizeof(names) / sizeof(*names));
}

static git_repository *repo;

static int git_fail(const char *what)
{
	const git_error *e = git2.error_last();

	return hw_error_set(HW_EIO, NULL, 0, 0, "%s: %s", what,
			    e && e->message ? e->message : "libgit2 error");
}

/* The repository around the current folder, opened once per process. */
static int open_repo(void)
{
	int err;

	if (repo)
		return HW_OK;
	if ((err = load_libgit2()))
		return err;
	git2.libgit2_init();
	if (git2.repository_open_ext(&repo, ".", 0, NULL) != 0) {
		repo = NULL;
		return hw_error_set(HW_ENOTFOUND, NULL, 0, 0,
				    "not inside a git repository");
	}
	return HW_OK;
}

void hw_git_close(void)
{
	if (repo)
		git2.repository_free(repo);
	repo = NULL;
}

/* Implements: FR-LEDGER-002 */
int hw_git_head(char *out, size_t size, int *dirty)
{
	git_oid oid;
	git_status_list *st = NULL;
	git_status_options opts;

	out[0] = '\0';
	if (dirty)
		*dirty = 0;
	int err = open_repo();

	if (err == HW_ENOTFOUND)
		return HW_OK; /* no repository: the event records no commit */
	if (err) {
		fprintf(stderr, "hwledger: warning: %s: no commit recorded\n",
			hw_error_last());
		return err;
	}
	if (git2.reference_name_to_id(&oid, repo, "HEAD") != 0)
		return HW_OK; /* an unborn branch */
	git2.oid_tostr(out, size, &oid);
	if (dirty) {
		git2.status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
		opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
		if (git2.status_list_new(&st, repo, &opts) == 0)
			*dirty = git2.status_list_entrycount(st) > 0;
		git2.status_list_free(st);
	}
	return HW_OK;
}

/* Implements: FR-LEDGER-002 */
void hw_git_shape(int *shallow, int *detached)
{
	*shallow = *detached = 0;
	if (open_repo()) {
		hw_error_clear(); /* no repository: neither */
		return;
	}
	*shallow = git2.repository_is_shallow(repo) == 1;
	*detached = git2.repository_head_detached(repo) == 1;
}

/* Implements: FR-LEDGER-002 */
int hw_git_no_repository(void)
{
	int err = open_repo();

	if (err != HW_ENOTFOUND)
		return 0;
	hw_error_clear();
	return 1;
}

/* A private key's first line (specs/ledger.md, "Secret key file"). */
#define SECRET_KEY_MAGIC "hwledger secret key v1\n"

/* Whether git's index entry e is a hwledger private key: any *.key under
 * .hwledger/keys/, or any *.key whose staged bytes are a secret key file. */
static int staged_secret_key(const git_index_entry *e)
{
	size_t n = strlen(e->path), m = sizeof(SECRET_KEY_MAGIC) - 1;
	git_blob *blob = NULL;
	int found;

	if (n < 4 || strcmp(e->path + n - 4, ".key") != 0)
		return 0;
	if (hw_str_startswith(e->path, HW_LEDGER_KEYS_DIR "/"))
		return 1;
	if (git2.blob_lookup(&blob, repo, &e->id) != 0)
		return 0;
	found = git2.blob_rawsize(blob) >= (git_object_size_t)m &&
		!memcmp(git2.blob_rawcontent(blob), SECRET_KEY_MAGIC, m);
	git2.blob_free(blob);
	return found;
}

/* Implements: FR-LEDGER-001 */
int hw_git_index_secret_keys(char ***paths, size_t *n)
{
	git_index *idx = NULL;
	char **found = NULL;
	size_t count = 0, cap = 0;
	int err = open_repo();

	*paths = NULL;
	*n = 0;
	if (err == HW_ENOTFOUND) {
		hw_error_clear();
		return HW_OK; /* no repository: nothing can be committed */
	}
	if (err)
		return err;
	if (git2.repository_index(&idx, repo) != 0)
		return git_fail("cannot read git's index");
	for (size_t i = 0; !err && i < git2.index_entrycount(idx); i++) {
		const git_index_entry *e = git2.index_get_byindex(idx, i);
		char *path;

		if (!e || !staged_secret_key(e))
			continue;
		if (!(path = hw_strdup(e->path)))
			err = hw_error_oom();
		else
			err = hw_strv_push(&found, &count, &cap, path);
	}
	git2.index_free(idx);
	if (err) {
		hw_strv_free(found);
		return err;
	}
	*paths = found;
	*n = count;
	return HW_OK;
}

/* Implements: FR-SITE-003 */
int hw_git_tracked_under(const char *dir, char *first, size_t size)
{
	git_index *idx = NULL;
	const char *wd, *rel;
	char *real;
	size_t n, k;
	int found = 0, err = open_repo();

	if (err == HW_ENOTFOUND) {
		hw_error_clear();
		return 0; /* no repository: git tracks nothing */
	}
	if (err)
		return err;
	wd = git2.repository_workdir(repo);
	/* hwledger-sast-ignore FF1026: with NULL it allocates the result */
	if (!wd || !(real = realpath(dir, NULL)))
		return 0; /* a bare repository, or nothing at dir */
	n = strlen(wd) - 1; /* the work folder, less its final '/' */
	if (strncmp(real, wd, n) != 0 || (real[n] && real[n] != '/')) {
		free(real);
		return 0; /* outside the work folder */
	}
	if (git2.repository_index(&idx, repo) != 0) {
		free(real);
		return git_fail("cannot read git's index");
	}
	/* the index's paths are relative to the work folder, '/'-separated;
	 * rel is dir's ("" for the work folder itself) */
	rel = real[n] ? real + n + 1 : "";
	k = strlen(rel);
	for (size_t i = 0; !found && i < git2.index_entrycount(idx); i++) {
		const git_index_entry *e = git2.index_get_byindex(idx, i);

		if (e && (!k || (!strncmp(e->path, rel, k) &&
				 e->path[k] == '/'))) {
			found = 1;
			snprintf(first, size, "%s", e->path);
		}
	}
	git2.index_free(idx);
	free(real);
	return found;
}

int hw_git_commit_exists(const char *hex)
{
	git_oid oid;
	git_commit *c = NULL;
	int found;

	int err = open_repo();

	if (err && err != HW_ENOTFOUND)
		return err;
	if (err || git2.oid_fromstrn(&oid, hex, strlen(hex)) != 0 ||
	    strlen(hex) != GIT_OID_HEXSZ)
		return 0;
	found = git2.commit_lookup(&c, repo, &oid) == 0;
	git2.commit_free(c);
	return found;
}

/* Implements: FR-REPORT-003 */
int hw_git_resolve(const char *rev, char out[41])
{
	git_object *obj = NULL, *commit = NULL;
	int err = open_repo();

	out[0] = '\0';
	if (err == HW_ENOTFOUND)
		return hw_error_set(HW_ENOTFOUND, rev, 0, 0,
				    "no such folder, and not inside a git "
				    "repository to read it as a revision");
	if (err)
		return err;
	if (git2.revparse_single(&obj, repo, rev) != 0 ||
	    git2.object_peel(&commit, obj, GIT_OBJECT_COMMIT) != 0)
		err = hw_error_set(HW_ENOTFOUND, rev, 0, 0,
				   "no such folder, nor a git revision of "
				   "this repository");
	else
		git2.oid_tostr(out, 41, git2.object_id(commit));
	git2.object_free(commit);
	git2.object_free(obj);
	return err;
}

static int read_checkpoint(hw_checkpoint *c, git_commit *commit,
			   const char *ref, const char *hex)
{
	git_tree *tree = NULL;
	const git_tree_entry *entry;
	git_blob *blob = NULL;
	int err;

	if (git2.commit_tree(&tree, commit) != 0)
		return git_fail("cannot read a checkpoint commit's tree");
	entry = git2.tree_entry_byname(tree, "checkpoint");
	if (!entry || git2.tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git2.blob_lookup(&blob, repo, git2.tree_entry_id(entry)) != 0) {
		git2.tree_free(tree);
		return hw_error_set(HW_EINVAL, ref, 0, 0,
				    "commit %s holds no 'checkpoint' file",
				    hex);
	}
	err = hw_checkpoint_parse(c, git2.blob_rawcontent(blob),
				  (size_t)git2.blob_rawsize(blob), hex);
	git2.blob_free(blob);
	git2.tree_free(tree);
	return err;
}

/*
 * The folder's path relative to the work tree's top level ("" at the top
 * level itself), '/'-separated, into out; both sides through realpath so
 * that a symbolic link on the way does not make it look outside.
 */
static int project_subfolder(char *out, size_t size)
{
	const char *wd = git2.repository_workdir(repo);
	char *top, *here;
	size_t n;
	int err = HW_OK;

	out[0] = '\0';
	if (!wd)
		return HW_OK; /* a bare repository: no subfolder */
	/* hwledger-sast-ignore FF1026: with NULL it allocates the result */
	top = realpath(wd, NULL);
	/* hwledger-sast-ignore FF1026: with NULL it allocates the result */
	here = realpath(".", NULL);
	if (!top || !here) {
		err = hw_error_set(HW_EIO, top ? "." : wd, 0, 0,
				   "cannot resolve the folder's path");
		goto done;
	}
	n = strlen(top);
	if (n == 1 && top[0] == '/')
		n = 0; /* the work tree is the root folder */
	if (strncmp(here, top, n) != 0 || (here[n] && here[n] != '/')) {
		err = hw_error_set(HW_EINVAL, here, 0, 0,
				   "outside the git work tree %s: the "
				   "ledger's anchor ref cannot be named",
				   top);
		goto done;
	}
	if (snprintf(out, size, "%s", here[n] ? here + n + 1 : "") >=
	    (int)size)
		err = hw_error_set(HW_EINVAL, here + n + 1, 0, 0,
				   "the folder's path is too long for the "
				   "ledger's anchor ref");
done:
	free(top);
	free(here);
	return err;
}

/* Implements: FR-LEDGER-003 */
int hw_ledger_ref(char *out, size_t size)
{
	char sub[HW_LEDGER_REF_MAX];
	int err, valid = 0;

	out[0] = '\0';
	if ((err = open_repo()) || (err = project_subfolder(sub, sizeof(sub))))
		return err;
	if (!sub[0]) {
		snprintf(out, size, "%s", HW_LEDGER_REF);
		return HW_OK;
	}
	if (snprintf(out, size, "%s%s%s", HW_LEDGER_PROJECTS_REF, sub,
		     HW_LEDGER_PROJECT_REF_TAIL) >= (int)size ||
	    git2.reference_name_is_valid(&valid, out) != 0 || !valid) {
		out[0] = '\0';
		hw_error_clear();
		return hw_error_set(
			HW_EINVAL, sub, 0, 0,
			"this project's folder cannot be part of the git ref "
			"that anchors its ledger (" HW_LEDGER_PROJECTS_REF
			"<folder>" HW_LEDGER_PROJECT_REF_TAIL "): rename it "
			"without '..', spaces, control characters, any of "
			"~^:?*[\\, a part that starts with '.' or ends with "
			"'.lock'");
	}
	return HW_OK;
}

void hw_anchor_list_free(hw_anchor_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		hw_checkpoint_free(&list->items[i]);
	free(list->items);
	free(list->commits);
	memset(list, 0, sizeof(*list));
}

/* Implements: FR-LEDGER-003, FR-LEDGER-004 */
int hw_git_anchors(hw_anchor_list *list)
{
	char ref[HW_LEDGER_REF_MAX];
	int err = hw_ledger_ref(ref, sizeof(ref));

	memset(list, 0, sizeof(*list));
	return err ? err : hw_git_anchors_on(list, ref);
}

/* Implements: FR-LEDGER-003, FR-LEDGER-004 */
int hw_git_anchors_on(hw_anchor_list *list, const char *ref)
{
	git_oid oid;
	git_commit *c = NULL;
	size_t cap = 0, ccap = 0; /* the rooms of items and commits */
	int err = HW_OK;

	memset(list, 0, sizeof(*list));
	if ((err = open_repo()))
		return err;
	snprintf(list->ref, sizeof(list->ref), "%s", ref);
	if (git2.reference_name_to_id(&oid, repo, list->ref) != 0)
		return HW_OK; /* nothing anchored yet */
	for (;;) {
		char hex[GIT_OID_HEXSZ + 1];

		if (git2.commit_lookup(&c, repo, &oid) != 0)
			return git_fail("cannot read a checkpoint commit");
		if ((err = HW_ARRAY_GROW(list->items, list->n, cap)) ||
		    (err = HW_ARRAY_GROW(list->commits, list->n, ccap)))
			break;
		git2.oid_tostr(hex, sizeof(hex), &oid);
		if ((err = read_checkpoint(&list->items[list->n], c, list->ref,
					   hex)))
			break;
		memcpy(list->commits[list->n], hex, 41);
		list->n++;
		if (git2.commit_parentcount(c) == 0)
			break;
		oid = *git2.commit_parent_id(c, 0);
		git2.commit_free(c);
		c = NULL;
	}
	git2.commit_free(c);
	if (err) {
		hw_anchor_list_free(list);
		return err;
	}
	/* oldest first */
	for (size_t i = 0; i < list->n / 2; i++) {
		hw_checkpoint t = list->items[i];
		char h[41];

		list->items[i] = list->items[list->n - 1 - i];
		list->items[list->n - 1 - i] = t;
		memcpy(h, list->commits[i], 41);
		memcpy(list->commits[i], list->commits[list->n - 1 - i], 41);
		memcpy(list->commits[list->n - 1 - i], h, 41);
	}
	return HW_OK;
}

/* Implements: FR-LEDGER-003 */
int hw_git_anchor(const hw_checkpoint *c, char *commit_out)
{
	git_oid blob_id, tree_id, commit_id, parent_id;
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_signature *who = NULL;
	git_reference *ref = NULL;
	hw_buf msg;
	char ref_name[HW_LEDGER_REF_MAX];
	int have_parent, err = HW_OK;

	if ((err = hw_ledger_ref(ref_name, sizeof(ref_name))))
		return err;
	hw_buf_init(&msg, 0);
	have_parent = git2.reference_name_to_id(&parent_id, repo,
					       ref_name) == 0;
	if (have_parent) {
		hw_checkpoint prev;

		if (git2.commit_lookup(&parent, repo, &parent_id) != 0) {
			err = git_fail("cannot read the last checkpoint");
			goto cleanup;
		}
		if ((err = read_checkpoint(&prev, parent, ref_name, ref_name)))
			goto cleanup;
		if (prev.size > c->size) {
			err = hw_error_set(HW_EINVAL, NULL, 0, 0,
					   "the anchored checkpoint already "
					   "covers %llu events; this one only "
					   "%llu",
					   (unsigned long long)prev.size,
					   (unsigned long long)c->size);
			hw_checkpoint_free(&prev);
			goto cleanup;
		}
		hw_checkpoint_free(&prev);
	}
	if (git2.blob_create_from_buffer(&blob_id, repo, c->text,
					strlen(c->text)) != 0 ||
	    git2.treebuilder_new(&tb, repo, NULL) != 0 ||
	    git2.treebuilder_insert(NULL, tb, "checkpoint", &blob_id,
				   GIT_FILEMODE_BLOB) != 0 ||
	    git2.treebuilder_write(&tree_id, tb) != 0 ||
	    git2.tree_lookup(&tree, repo, &tree_id) != 0) {
		err = git_fail("cannot write the checkpoint tree");
		goto cleanup;
	}
	if (git2.signature_now(&who, "hwledger", "hwledger@localhost") != 0 ||
	    hw_buf_printf(&msg, "hwledger checkpoint: %llu events\n\n%s",
			  (unsigned long long)c->size, c->text)) {
		err = hw_error_code() ? hw_error_code()
				      : git_fail("cannot make a signature");
		goto cleanup;
	}
	if (git2.commit_create(&commit_id, repo, NULL, who, who, "UTF-8",
			      msg.data, tree, have_parent ? 1 : 0,
			      (const git_commit **)&parent) != 0) {
		err = git_fail("cannot write the checkpoint commit");
		goto cleanup;
	}
	/* compare-and-swap: only if the ref still names the parent we read */
	if (have_parent
		    ? git2.reference_create_matching(&ref, repo, ref_name,
						    &commit_id, 1, &parent_id,
						    "hwledger: anchor")
		    : git2.reference_create(&ref, repo, ref_name,
					   &commit_id, 0, "hwledger: anchor")) {
		err = git_fail("the checkpoint ref moved meanwhile; anchor "
			       "again");
		goto cleanup;
	}
	git2.oid_tostr(commit_out, 41, &commit_id);
cleanup:
	hw_buf_free(&msg);
	git2.reference_free(ref);
	git2.signature_free(who);
	git2.commit_free(parent);
	git2.tree_free(tree);
	git2.treebuilder_free(tb);
	return err;
}

static int diff_hunk(const git_diff_delta *d, const git_diff_hunk *h, void *out)
{
	(void)d;
	return hw_buf_append(out, h->header, h->header_len) ? -1 : 0;
}

static int diff_line(const git_diff_delta *d, const git_diff_hunk *h,
		     const git_diff_line *l, void *out)
{
	char origin = l->origin;

	(void)d;
	(void)h;
	/* the texts end with a newline (hw_git_diff_text's contract), so no
	 * "no newline at end of file" marker comes; anything else is kept */
	if (origin != GIT_DIFF_LINE_CONTEXT && origin != GIT_DIFF_LINE_ADDITION &&
	    origin != GIT_DIFF_LINE_DELETION)
		return 0;
	return hw_buf_append(out, &origin, 1) ||
		       hw_buf_append(out, l->content, l->content_len)
		       ? -1
		       : 0;
}

/* Implements: FR-REPORT-003 */
int hw_git_diff_text(hw_buf *out, const char *a, size_t alen, const char *b,
		     size_t blen)
{
	git_diff_options opts;
	int err = load_libgit2();

	if (err)
		return err;
	/* GIT_DIFF_OPTIONS_INIT, spelled out: the macro leaves fields to
	 * their zero default, which -Wmissing-field-initializers refuses */
	memset(&opts, 0, sizeof(opts));
	opts.version = GIT_DIFF_OPTIONS_VERSION;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_UNSPECIFIED;
	opts.context_lines = 3;
	git2.libgit2_init();
	if (git2.diff_buffers(a, alen, "a", b, blen, "b", &opts, NULL, NULL,
			      diff_hunk, diff_line, out) != 0)
		return hw_error_code() ? hw_error_code()
				       : git_fail("cannot diff two texts");
	return HW_OK;
}
