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

/* The knowledge base's index (kb_fts_doc, kb_vocab_es and _en) made
 * again from kb_texts, after rows were copied with the triggers off
 * (ayuda migrate). A store_write() job; arg unused. */
ay_rc pg_store_kb_reindex(struct db *db, void *arg) AY_MUST_CHECK;

#endif
