/* Search (domain/search.c): GET /api/v1/search?q=, over what the actor
 * may see (domain/access.h): staff every ticket and internal notes, a
 * customer their own tickets (a support contact their company's). */
#ifndef AY_DOMAIN_SEARCH_H
#define AY_DOMAIN_SEARCH_H

#include "domain/common.h"

#define SEARCH_Q_MAX 200 /* characters of a query */

/* *out (owned by the caller): {"q":..., "results":[{number, subject,
 * status, status_name, requester, company, snippet, updated_at}]}, best
 * first, at most limit (1..50). AY_EINVAL (err set) for an empty or too
 * long q. */
ay_rc search_tickets(struct db *db, const struct actor *a, const char *q,
		     int limit, struct verr *err, json_t **out) AY_MUST_CHECK;

#endif
