/* Full-text search over tickets (store/search.c): the one place its SQL
 * lives, so that each driver answers it its own way (SQLite: FTS5 with
 * unicode61 remove_diacritics 2, prefix on the last word, bm25; a
 * PostgreSQL driver: tsvector with unaccent). The caller (domain/search.c)
 * says whose tickets count; the store knows no rule. */
#ifndef AY_STORE_SEARCH_H
#define AY_STORE_SEARCH_H

#include "store/db.h"

/* Which tickets the searcher may see, as domain/access.h binds them. */
struct search_scope {
	int64_t user_id, company_id;
	bool is_contact; /* sees the company's tickets */
	bool staff;	 /* sees every ticket and internal notes */
};

struct search_hit {
	int64_t ticket_id;
	char snippet[400]; /* the match, marked with [ and ] (text) */
};

/* The best `max` tickets for the words of q (accents and case ignored,
 * the last word a prefix), best first: subjects, messages (notes for
 * staff only), requesters' names and addresses, company names. *n gets
 * how many were filled. A q without a word finds nothing. */
ay_rc store_search(struct db *db, const char *q, const struct search_scope *sc,
		   struct search_hit *hits, size_t max,
		   size_t *n) AY_MUST_CHECK;

#endif
