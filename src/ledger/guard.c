/*
 * guard.c — keeps the private signing key out of git.
 *
 * `.hwledger/` holds the private key (keys/NAME.key), the ledger and caches.
 * Whatever creates a key there first writes `.hwledger/.gitignore`, so that
 * `git add -A` never stages the key; `hwledger report` refuses to sign while
 * git's index holds a private key anyway (someone forced it in, or the key
 * was added before the file existed): the key is no longer secret, and a
 * report signed with it proves nothing.
 */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

#define HW_GITIGNORE ".hwledger/.gitignore"

static const char gitignore_text[] =
	"# Written by hwledger (specs/ledger.md, \"What goes into git\").\n"
	"# keys/ holds the private signing key: it must never be committed.\n"
	"# index.db, trace.memo and site-spare/ are caches. ledger.db is the\n"
	"# evidence ledger: keep it where reports are signed (a CI cache or\n"
	"# artifact); its checkpoints are anchored in git on\n"
	"# refs/hwledger/checkpoints (refs/hwledger/projects/<folder>/\n"
	"# checkpoints in a subfolder) and each report's bundle carries it.\n"
	"*\n"
	"!.gitignore\n";

/* Implements: FR-LEDGER-001 */
int hw_ledger_dir_protect(void)
{
	int err;

	if (hw_path_exists(HW_GITIGNORE))
		return HW_OK; /* the user's own rules stay as they are */
	if ((err = hw_mkdir_p(".hwledger")))
		return err;
	return hw_file_write_atomic(HW_GITIGNORE, gitignore_text,
				    sizeof(gitignore_text) - 1);
}

/* Implements: FR-LEDGER-001 */
int hw_ledger_refuse_tracked_keys(void)
{
	char **paths = NULL;
	size_t n = 0;
	int err = hw_git_index_secret_keys(&paths, &n);

	if (err || n == 0) {
		hw_strv_free(paths);
		return err;
	}
	err = hw_error_set(HW_EINVAL, paths[0], 0, 0,
			   "a private signing key is in git's index%s: "
			   "nothing is signed with a key others can read; "
			   "run `git rm --cached %s`, make a new key and "
			   "rotate to it (`hwledger ledger rotate`)",
			   n > 1 ? " (and more)" : "", paths[0]);
	hw_strv_free(paths);
	return err;
}
