/* Query parameters read as typed values (query.c): strict, so that
 * "limit=10abc" or an out-of-range number is a 422, never a silent 0. The
 * lookup is a function so that the parsers run without libmicrohttpd (the
 * fuzzer feeds them its own query strings). */
#ifndef AY_HTTP_QUERY_H
#define AY_HTTP_QUERY_H

#include "domain/ticket.h"

/* The value of the first parameter named key, or NULL. Borrowed. */
typedef const char *(*http_query_fn)(void *ctx, const char *key);

/* A decimal integer in [min, max], nothing else (no sign but '-', no
 * spaces, no junk after). AY_EINVAL otherwise. */
ay_rc http_query_int(const char *v, int64_t min, int64_t max,
		     int64_t *out) AY_MUST_CHECK;
/* A date YYYY-MM-DD (midnight UTC) or an ISO 8601 instant with its zone. */
ay_rc http_query_time(const char *v, int64_t *out) AY_MUST_CHECK;
/* The filter of GET /api/v1/tickets: status, category, assignee (a user
 * id, "me" (me) or "none"), after (a cursor) and limit (1..200). f's
 * strings are borrowed from the lookup. AY_EINVAL with err set. */
ay_rc http_query_ticket_filter(http_query_fn get, void *ctx, int64_t me,
			       struct ticket_filter *f,
			       struct verr *err) AY_MUST_CHECK;

/* The queue view of GET /api/v1/tickets?view=V (domain/queue.h): view,
 * status, category, level, assignee (a user id, "me", "none"), company,
 * after and limit. AY_EINVAL with err set. */
struct queue_filter;
ay_rc http_query_queue_filter(http_query_fn get, void *ctx, int64_t me,
			      struct queue_filter *f,
			      struct verr *err) AY_MUST_CHECK;

#endif
