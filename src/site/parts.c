/*
 * parts.c — rendering two parts of the site at once without changing a
 * byte of it (specs/site.md, "Determinism and atomic output").
 *
 * The second part works on a shallow copy of the render context.
 * Everything a page writes into the context has its own empty copy there:
 * which terms a page already linked, the tooltip ids, the counters, the
 * manifest entries, the search records (a forked JSON writer), the term
 * uses (kept as pairs instead of extending the terms the first part is
 * extending) and the files (kept, not created: one thread creates every
 * file of the site, as files created in one folder by two threads contend
 * for its lock). Afterwards each is appended after the first part's, in
 * order. Everything else is only read by both parts.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct site_part {
	site s;
	hw_site_stats stats;
	hw_buf search;
} site_part;

typedef struct parts {
	site *s;
	site_part p;
	int (*fn[2])(site *, void *);
	void *arg[2];
} parts;

static int part_job(void *arg, size_t i)
{
	parts *ps = arg;

	return ps->fn[i](i ? &ps->p.s : ps->s, ps->arg[i]);
}

static void part_free(site_part *p)
{
	for (size_t i = 0; i < p->s.nfiles; i++) {
		free(p->s.files[i].rel);
		free(p->s.files[i].data);
	}
	free(p->s.files);
	for (size_t i = 0; i < p->s.nm; i++)
		free(p->s.mpaths[i]);
	free(p->s.mpaths);
	free(p->s.mhashes);
	free(p->s.uses);
	free(p->s.lex.used);
	free(p->s.lex.used_list);
	hw_buf_free(&p->search);
}

static int part_init(site_part *p, site *s)
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
	p->s.nm = p->s.capm = p->s.capmh = 0;
	p->s.deferring = 1;
	p->s.uses = NULL;
	p->s.nuses = p->s.capuses = 0;
	p->s.files = NULL;
	p->s.nfiles = p->s.capfiles = 0;
	hw_buf_init(&p->search, 0);
	hw_jw_fork(&s->sw, &p->s.sw, &p->search);
	if (!p->s.lex.used || !p->s.lex.used_list) {
		part_free(p);
		return hw_error_oom();
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
	HW_CHECK_ALLOC(paths);
	s->mpaths = paths;
	hashes = realloc(s->mhashes, n * sizeof(*s->mhashes));
	HW_CHECK_ALLOC(hashes);
	s->mhashes = hashes;
	memcpy(s->mpaths + s->nm, p->s.mpaths, p->s.nm * sizeof(*paths));
	memcpy(s->mhashes + s->nm, p->s.mhashes, p->s.nm * sizeof(*s->mhashes));
	s->nm = s->capm = s->capmh = n;
	p->s.nm = 0; /* the paths are s's now */
	return HW_OK;
}

/* Writes the part's files and appends what it made after s's. */
static int part_merge(site *s, site_part *p)
{
	int err = HW_OK;

	for (size_t i = 0; !err && i < p->s.nfiles; i++)
		err = site_write_now(s, p->s.files[i].rel, p->s.files[i].data,
				     p->s.files[i].len);
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
	return err;
}

/* Implements: FR-SITE-003 */
int site_parts_run(site *s, size_t threads, int (*first)(site *, void *),
		   void *first_arg, int (*second)(site *, void *),
		   void *second_arg)
{
	parts ps = {.s = s,
		    .fn = {first, second},
		    .arg = {first_arg, second_arg}};
	int err;

	if (threads < 2) { /* one after the other, on s itself */
		if ((err = first(s, first_arg)))
			return err;
		return second(s, second_arg);
	}
	if ((err = part_init(&ps.p, s)))
		return err;
	err = hw_tasks_run(2, 2, part_job, &ps);
	if (!err)
		err = part_merge(s, &ps.p);
	part_free(&ps.p);
	return err;
}
