/* Full-text search on PostgreSQL (store/pg_search.c): the calls of
 * store/search.h and store/kb.h, which hand PostgreSQL's connections
 * here. */
#ifndef AY_STORE_PG_SEARCH_H
#define AY_STORE_PG_SEARCH_H

#include "store/kb.h"
#include "store/search.h"

/* store_search() on PostgreSQL. */
ay_rc pg_store_search(struct db *db, const char *q,
		      const struct search_scope *sc, struct search_hit *hits,
		      size_t max, size_t *n) AY_MUST_CHECK;
/* store_kb_search() on PostgreSQL. */
ay_rc pg_store_kb_search(struct db *db, const char *q,
			 const struct kb_search_opts *o, struct kb_hit *hits,
			 size_t max, size_t *n) AY_MUST_CHECK;

#endif
