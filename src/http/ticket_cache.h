/* Each ticket's answer (GET /api/v1/tickets/N) kept between requests, as
 * JSON text without its "sla" object, which is computed at each request
 * from what it depends on (sla_view_json()): one statement a request
 * instead of a dozen. An answer is kept per kind of reader (staff or not,
 * Spanish or English) and used while the ticket's stamp (view_rev and the
 * store's ticket_epoch, kept by triggers: migration 46) is the one it was
 * read with; who may read it is still asked of the store every time
 * (ticket_stamp()). Bounded: the oldest answers go when the bytes kept
 * pass the limit. */
#ifndef AY_HTTP_TICKET_CACHE_H
#define AY_HTTP_TICKET_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ticket.h"

/* The kinds of reader an answer is kept for (ticket_cache_kind()). */
#define TICKET_CACHE_KINDS 4

struct ticket_cache;

/* A cache of at most max_bytes (texts and their SLA views); NULL when
 * max_bytes is 0 (no cache) or out of memory. Free with
 * ticket_cache_free(). */
struct ticket_cache *ticket_cache_new(size_t max_bytes);
/* Free the cache and release the calendars it holds. NULL-safe. */
void ticket_cache_free(struct ticket_cache *c);
/* The kind of reader a: staff or not, English or not (what changes a
 * ticket's answer besides the ticket). */
int ticket_cache_kind(const struct actor *a);
/* The answer of ticket `number` for reader kind `kind` as of now, when the
 * cache holds one read at stamp st. Returns true and *text (owned by the
 * caller, free()), *len on a hit; false on a miss. */
bool ticket_cache_get(struct ticket_cache *c, int64_t number,
		      const struct ticket_stamp *st, int kind, int64_t now,
		      char **text, size_t *len);
/* Read ticket `number` for actor a (ticket_get_keep()) at stamp st, keep
 * it when c is not NULL, and give its answer as of now in *text (owned by
 * the caller) and *len. */
ay_rc ticket_cache_build(struct ticket_cache *c, struct db *db,
			 const struct actor *a, int64_t number,
			 const struct ticket_stamp *st, int64_t now,
			 char **text, size_t *len) AY_MUST_CHECK;
#endif
