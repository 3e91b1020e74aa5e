/*
 * parts.c — rendering part of the site on a second thread without changing
 * a byte of it (specs/site.md, "Determinism and atomic output").
 *
 * The part works on a shallow copy of the render context. Everything a
 * page writes into the context has its own empty copy there: which terms a
 * page already linked, the tooltip ids, the counters, the manifest entries,
 * the search records (a forked JSON writer) and the term uses (kept as
 * pairs instead of extending the terms the other thread is extending).
 * Joining appends each of them after the calling thread's, in order.
 * Everything else is only read by both threads.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *part_run(void *arg)
{
	site_part *p = arg;

	p->err = p->job(&p->s, p->arg);
	if (p->err) /* errors are per thread: keep the words */
		snprintf(p->message, sizeof(p->message), "%s", hw_error_last());
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void part_free(site_part *p)
{
	for (size_t i = 0; i < p->s.nfiles; i++) {
		free(p->s.files[i].rel);
		free(p->s.files[i].data);
	}
	free(p->s.files);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->lock);
	for (size_t i = 0; i < p->s.nm; i++)
		free(p->s.mpaths[i]);
	free(p->s.mpaths);
	free(p->s.mhashes);
	free(p->s.uses);
	free(p->s.lex.used);
	free(p->s.lex.used_list);
	hw_buf_free(&p->search);
}

/* Implements: FR-SITE-003 */
int site_part_begin(site_part *p, site *s, int (*job)(site *, void *),
		    void *arg)
{
	size_t terms = s->nterms ? s->nterms : 1;

	memset(p, 0, sizeof(*p));
	p->s = *s;
	p->s.stats = &p->stats;
	p->s.lex.used = calloc(terms, 1);
	p->s.lex.used_list = calloc(terms, sizeof(size_t));
	p->s.lex.nused = 0;
	p->s.lex.tips = 0;
	p->s.mpaths = NULL;
	p->s.mhashes = NULL;
	p->s.nm = p->s.capm = 0;
	p->s.deferring = 1;
	p->s.uses = NULL;
	p->s.nuses = p->s.capuses = 0;
	p->s.files = NULL;
	p->s.nfiles = p->s.capfiles = 0;
	p->s.part = p;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	p->job = job;
	p->arg = arg;
	hw_buf_init(&p->search, 0);
	hw_jw_fork(&s->sw, &p->s.sw, &p->search);
	if (!p->s.lex.used || !p->s.lex.used_list) {
		part_free(p);
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (hw_thread_start(&p->tid, part_run, p, 0) != 0) {
		part_free(p);
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "cannot start a thread");
	}
	return HW_OK;
}

static int merge_manifest(site *s, site_part *p)
{
	size_t n = s->nm + p->s.nm;
	char **paths;
	void *hashes;

	if (!p->s.nm)
		return HW_OK;
	paths = realloc(s->mpaths, n * sizeof(*paths));
	if (!paths)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	s->mpaths = paths;
	hashes = realloc(s->mhashes, n * sizeof(*s->mhashes));
	if (!hashes)
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	s->mhashes = hashes;
	memcpy(s->mpaths + s->nm, p->s.mpaths, p->s.nm * sizeof(*paths));
	memcpy(s->mhashes + s->nm, p->s.mhashes, p->s.nm * sizeof(*s->mhashes));
	s->nm = s->capm = n;
	p->s.nm = 0; /* the paths are s's now */
	return HW_OK;
}

/* Implements: FR-SITE-003 */
int site_part_join(site_part *p, site *s, int err)
{
	/* the part's files, written here as they come: one thread creates
	 * every file */
	pthread_mutex_lock(&p->lock);
	for (;;) {
		site_file f;

		while (p->written == p->s.nfiles && !p->done)
			pthread_cond_wait(&p->more, &p->lock);
		if (p->written == p->s.nfiles)
			break;
		f = p->s.files[p->written++];
		pthread_mutex_unlock(&p->lock);
		if (!err)
			err = site_write_now(s, f.rel, f.data, f.len);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	hw_thread_join(&p->tid);
	if (!err && p->err)
		err = hw_error_set(p->err, NULL, 0, 0, "%s", p->message);
	if (!err)
		err = merge_manifest(s, p);
	for (size_t i = 0; !err && i + 1 < p->s.nuses; i += 2)
		err = site_term_used_by(s, p->s.uses[i], p->s.uses[i + 1]);
	if (!err) {
		hw_jw_join(&s->sw, &p->s.sw);
		s->stats->frs += p->stats.frs;
		s->stats->sources += p->stats.sources;
		s->stats->terms += p->stats.terms;
		s->stats->not_run += p->stats.not_run;
	}
	part_free(p);
	return err;
}
