/*
 * bundle.c — the offline export bundle: a folder with events.jsonl (one
 * event a line, every field needed to recompute its bytes), checkpoint (the
 * latest signed note) and keys (the public keys), enough for
 * `hwledger ledger verify --bundle DIR --key FILE` with no repository and
 * no database. Binary fields are hex (hashes, key ids) or base64 (payload,
 * signature); time_ns is a string because it does not fit a JSON double.
 */
#include "ledger.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files of a bundle, the only ones an export replaces. */
static const char *const bundle_files[] = {"events.jsonl", "checkpoint",
					   "keys"};
#define NBUNDLE_FILES (sizeof(bundle_files) / sizeof(bundle_files[0]))

static int is_bundle_file(const char *name)
{
	for (size_t i = 0; i < NBUNDLE_FILES; i++)
		if (!strcmp(name, bundle_files[i]))
			return 1;
	return 0;
}

/*
 * The bundle's folder may be new, empty or an older bundle; anything else
 * in it is the user's, so it is refused rather than mixed with a bundle.
 */
static int check_target(const char *dir)
{
	DIR *d;
	struct dirent *e;
	int err = HW_OK;

	if (!hw_path_exists(dir))
		return HW_OK;
	if (!hw_path_is_dir(dir) || !(d = opendir(dir)))
		return hw_error_set(HW_EIO, dir, 0, 0,
				    "not a folder that can be read; not "
				    "replaced");
	while (!err && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    !is_bundle_file(e->d_name))
			err = hw_error_set(HW_EIO, dir, 0, 0,
					   "holds '%s', which is not part of "
					   "an export bundle: choose a new or "
					   "empty folder (nothing was written)",
					   e->d_name);
	closedir(d);
	return err;
}

static int write_file(const char *dir, const char *name, const hw_buf *b)
{
	char *p = hw_path_join(dir, name);
	int err;

	HW_CHECK_ALLOC(p);
	err = hw_file_write_atomic(p, b->data ? b->data : "", b->len);
	free(p);
	return err;
}

/* events.jsonl of specs/ledger.md into out. */
static int events_jsonl(hw_buf *out, const hw_event_list *list)
{
	int err = HW_OK;

	for (size_t i = 0; i < list->n && !err; i++) {
		hw_jw w;

		hw_jw_init(&w, out, 0);
		err = hw_event_write_json(&w, &list->items[i]);
		if (!err)
			err = hw_jw_finish(&w);
		if (!err)
			err = hw_buf_putc(out, '\n');
	}
	return err;
}

/*
 * Writes the three files into a new folder beside dir, then moves them into
 * dir (or the folder itself when dir is new). Everything that can fail (no
 * checkpoint, a folder of the user's, a full disk) fails before dir is
 * touched, so a failed export leaves the old bundle as it was.
 */
/* Implements: FR-LEDGER-005 */
int hw_bundle_export(hw_ledger *l, const char *dir, const hw_keyring *keys)
{
	hw_event_list list = {0};
	hw_checkpoint cp = {0};
	hw_buf out, tmp;
	int err;

	if ((err = hw_ledger_latest_checkpoint(l, &cp, NULL, 0))) {
		hw_checkpoint_free(&cp);
		if (err != HW_ENOTFOUND)
			return err;
		return hw_error_set(HW_ENOTFOUND, l->path, 0, 0,
				    "no checkpoint to export (run 'hwledger "
				    "ledger checkpoint' first); nothing was "
				    "written");
	}
	hw_buf_init(&out, 0);
	hw_buf_init(&tmp, 0);
	if ((err = check_target(dir)) || (err = hw_mkdir_parent(dir)) ||
	    (err = hw_buf_printf(&tmp, "%s.tmp-XXXXXX", dir)))
		goto done;
	if (!mkdtemp(tmp.data)) {
		err = hw_error_set(HW_EIO, dir, 0, 0,
				   "cannot create a folder beside it: %s",
				   strerror(errno));
		goto done;
	}
	{
		/* mkdtemp's 0700 is not a bundle's mode; the folder it made,
		 * by descriptor, not whatever is at its name by now */
		int fd = open(tmp.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

		if (fd >= 0) {
			fchmod(fd, 0755);
			close(fd);
		}
	}
	if (!(err = hw_ledger_load(l, &list)) &&
	    !(err = events_jsonl(&out, &list)) &&
	    !(err = write_file(tmp.data, "events.jsonl", &out))) {
		hw_buf_clear(&out);
		err = hw_buf_puts(&out, cp.text);
	}
	if (!err && !(err = write_file(tmp.data, "checkpoint", &out)))
		hw_buf_clear(&out);
	for (size_t i = 0; !err && keys && i < keys->n; i++) {
		char line[200];

		hw_pubkey_format(line, sizeof(line), &keys->keys[i]);
		err = hw_buf_printf(&out, "%s\n", line);
	}
	if (!err)
		err = write_file(tmp.data, "keys", &out);
	/* the swap: a new folder moves as a whole; into an existing one each
	 * file is renamed over its older copy (atomic per file) */
	if (!err && rename(tmp.data, dir) != 0) {
		for (size_t i = 0; !err && i < NBUNDLE_FILES; i++) {
			char *from = hw_path_join(tmp.data, bundle_files[i]);
			char *to = hw_path_join(dir, bundle_files[i]);

			if (!from || !to || rename(from, to) != 0)
				err = hw_error_set(HW_EIO, dir, 0, 0,
						   "cannot move %s into place: "
						   "%s",
						   bundle_files[i],
						   strerror(errno));
			free(from);
			free(to);
		}
	}
	if (hw_path_exists(tmp.data)) {
		/* a failure before the swap: only our own files are there */
		for (size_t i = 0; i < NBUNDLE_FILES; i++) {
			char *p = hw_path_join(tmp.data, bundle_files[i]);

			if (p)
				unlink(p);
			free(p);
		}
		rmdir(tmp.data);
	}
done:
	hw_buf_free(&out);
	hw_buf_free(&tmp);
	hw_checkpoint_free(&cp);
	hw_event_list_free(&list);
	return err;
}

/* Implements: FR-LEDGER-005 */
int hw_bundle_load(const char *dir, hw_event_list *list, hw_checkpoint *cp)
{
	hw_buf b, path;
	char *line;
	long lineno = 0;
	size_t cap = 0;
	int err;

	memset(list, 0, sizeof(*list));
	memset(cp, 0, sizeof(*cp));
	hw_buf_init(&b, 0);
	hw_buf_init(&path, 0);
	if ((err = hw_buf_printf(&path, "%s/events.jsonl", dir)) ||
	    (err = hw_file_read(&b, path.data, (size_t)1 << 30)) ||
	    (err = hw_text_refuse_nul(b.data, b.len, path.data,
				      "a bundle's events")))
		goto cleanup;
	line = b.data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		cJSON *o;
		hw_event *e;

		lineno++;
		if (nl)
			*nl = '\0';
		if ((err = HW_ARRAY_GROW(list->items, list->n, cap)))
			goto cleanup;
		e = &list->items[list->n];
		memset(e, 0, sizeof(*e));
		/* one event a line: anything after its object is refused,
		 * never passed over unread */
		o = cJSON_ParseWithOpts(line, NULL, 1);
		list->n++;
		if (!o || !hw_event_read_json(e, o)) {
			cJSON_Delete(o);
			err = hw_error_set(HW_EINVAL, path.data, lineno, 0,
					   "not a valid event line");
			goto cleanup;
		}
		cJSON_Delete(o);
		line = nl ? nl + 1 : NULL;
	}
	hw_buf_clear(&path);
	if ((err = hw_buf_printf(&path, "%s/checkpoint", dir)) ||
	    (err = hw_file_read(&b, path.data, 1 << 16)))
		goto cleanup;
	err = hw_checkpoint_parse(cp, b.data, b.len, path.data);
cleanup:
	hw_buf_free(&b);
	hw_buf_free(&path);
	if (err)
		hw_event_list_free(list);
	return err;
}
