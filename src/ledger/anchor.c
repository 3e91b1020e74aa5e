/*
 * anchor.c — the git side of the ledger, through libgit2: the HEAD commit an
 * event records, and the checkpoint anchor: each checkpoint is a commit on
 * refs/hwledger/checkpoints whose tree holds one file, "checkpoint", whose
 * parent is the previous checkpoint commit, and the ref only moves by
 * compare-and-swap, so two writers cannot silently overwrite each other.
 */
#include "ledger.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

static git_repository *repo;

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return hw_error_set(HW_EIO, NULL, 0, 0, "%s: %s", what,
			    e && e->message ? e->message : "libgit2 error");
}

/* The repository around the current folder, opened once per process. */
static int open_repo(void)
{
	if (repo)
		return HW_OK;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, ".", 0, NULL) != 0) {
		repo = NULL;
		return hw_error_set(HW_ENOTFOUND, NULL, 0, 0,
				    "not inside a git repository");
	}
	return HW_OK;
}

void hw_git_close(void)
{
	git_repository_free(repo);
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
	if (open_repo())
		return HW_OK; /* no repository: the event records no commit */
	if (git_reference_name_to_id(&oid, repo, "HEAD") != 0)
		return HW_OK; /* an unborn branch */
	git_oid_tostr(out, size, &oid);
	if (dirty) {
		git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
		opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
		if (git_status_list_new(&st, repo, &opts) == 0)
			*dirty = git_status_list_entrycount(st) > 0;
		git_status_list_free(st);
	}
	return HW_OK;
}

int hw_git_commit_exists(const char *hex)
{
	git_oid oid;
	git_commit *c = NULL;
	int found;

	if (open_repo() || git_oid_fromstrn(&oid, hex, strlen(hex)) != 0 ||
	    strlen(hex) != GIT_OID_HEXSZ)
		return 0;
	found = git_commit_lookup(&c, repo, &oid) == 0;
	git_commit_free(c);
	return found;
}

static int read_checkpoint(hw_checkpoint *c, git_commit *commit,
			   const char *hex)
{
	git_tree *tree = NULL;
	const git_tree_entry *entry;
	git_blob *blob = NULL;
	int err;

	if (git_commit_tree(&tree, commit) != 0)
		return git_fail("cannot read a checkpoint commit's tree");
	entry = git_tree_entry_byname(tree, "checkpoint");
	if (!entry || git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) != 0) {
		git_tree_free(tree);
		return hw_error_set(HW_EINVAL, HW_LEDGER_REF, 0, 0,
				    "commit %s holds no 'checkpoint' file",
				    hex);
	}
	err = hw_checkpoint_parse(c, git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob), hex);
	git_blob_free(blob);
	git_tree_free(tree);
	return err;
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
	git_oid oid;
	git_commit *c = NULL;
	size_t cap = 0;
	int err = HW_OK;

	memset(list, 0, sizeof(*list));
	if ((err = open_repo()))
		return err;
	if (git_reference_name_to_id(&oid, repo, HW_LEDGER_REF) != 0)
		return HW_OK; /* nothing anchored yet */
	for (;;) {
		char hex[GIT_OID_HEXSZ + 1];

		if (git_commit_lookup(&c, repo, &oid) != 0)
			return git_fail("cannot read a checkpoint commit");
		if (list->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			hw_checkpoint *v = realloc(list->items,
						   ncap * sizeof(*v));
			char(*cm)[41] = realloc(list->commits,
						ncap * sizeof(*cm));

			if (v)
				list->items = v;
			if (cm)
				list->commits = cm;
			if (!v || !cm) {
				err = hw_error_set(HW_ENOMEM, NULL, 0, 0,
						   "out of memory");
				break;
			}
			cap = ncap;
		}
		git_oid_tostr(hex, sizeof(hex), &oid);
		if ((err = read_checkpoint(&list->items[list->n], c, hex)))
			break;
		memcpy(list->commits[list->n], hex, 41);
		list->n++;
		if (git_commit_parentcount(c) == 0)
			break;
		oid = *git_commit_parent_id(c, 0);
		git_commit_free(c);
		c = NULL;
	}
	git_commit_free(c);
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
	int have_parent, err = HW_OK;

	if ((err = open_repo()))
		return err;
	hw_buf_init(&msg, 0);
	have_parent = git_reference_name_to_id(&parent_id, repo,
					       HW_LEDGER_REF) == 0;
	if (have_parent) {
		hw_checkpoint prev;

		if (git_commit_lookup(&parent, repo, &parent_id) != 0) {
			err = git_fail("cannot read the last checkpoint");
			goto cleanup;
		}
		if ((err = read_checkpoint(&prev, parent, HW_LEDGER_REF)))
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
	if (git_blob_create_from_buffer(&blob_id, repo, c->text,
					strlen(c->text)) != 0 ||
	    git_treebuilder_new(&tb, repo, NULL) != 0 ||
	    git_treebuilder_insert(NULL, tb, "checkpoint", &blob_id,
				   GIT_FILEMODE_BLOB) != 0 ||
	    git_treebuilder_write(&tree_id, tb) != 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) != 0) {
		err = git_fail("cannot write the checkpoint tree");
		goto cleanup;
	}
	if (git_signature_now(&who, "hwledger", "hwledger@localhost") != 0 ||
	    hw_buf_printf(&msg, "hwledger checkpoint: %llu events\n\n%s",
			  (unsigned long long)c->size, c->text)) {
		err = hw_error_code() ? hw_error_code()
				      : git_fail("cannot make a signature");
		goto cleanup;
	}
	if (git_commit_create(&commit_id, repo, NULL, who, who, "UTF-8",
			      msg.data, tree, have_parent ? 1 : 0,
			      (const git_commit **)&parent) != 0) {
		err = git_fail("cannot write the checkpoint commit");
		goto cleanup;
	}
	/* compare-and-swap: only if the ref still names the parent we read */
	if (have_parent
		    ? git_reference_create_matching(&ref, repo, HW_LEDGER_REF,
						    &commit_id, 1, &parent_id,
						    "hwledger: anchor")
		    : git_reference_create(&ref, repo, HW_LEDGER_REF,
					   &commit_id, 0, "hwledger: anchor")) {
		err = git_fail("the checkpoint ref moved meanwhile; anchor "
			       "again");
		goto cleanup;
	}
	git_oid_tostr(commit_out, 41, &commit_id);
cleanup:
	hw_buf_free(&msg);
	git_reference_free(ref);
	git_signature_free(who);
	git_commit_free(parent);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	return err;
}
