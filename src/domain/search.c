/* Search over what the actor may see; the SQL is the store's
 * (store/search.c). */
#include <string.h>

#include "domain/access.h"
#include "domain/search.h"
#include "domain/ticket.h"
#include "store/search.h"
#include "util/str.h"

#define SEARCH_MAX 50

/* The result row of one ticket. */
static json_t *result_json(struct db *db, const struct actor *a,
			   const struct search_hit *h)
{
	struct db_stmt *s = NULL;
	bool row = false;
	json_t *o = NULL;

	if (db_run(db, &s, &row,
		   "SELECT t.number, t.subject, t.status, ru.id, ru.name,"
		   " c.id, c.name, t.updated_at FROM tickets t"
		   " JOIN users ru ON ru.id = t.requester_id"
		   " LEFT JOIN companies c ON c.id = t.company_id"
		   " WHERE t.id = $1",
		   "i", h->ticket_id) ||
	    !row)
		return NULL;
	o = json_pack(
		"{s:I,s:s,s:s,s:s,s:{s:I,s:s},s:o,s:s,s:o}", "number",
		(json_int_t)db_col_int(s, 0), "subject", db_col_text(s, 1),
		"status", db_col_text(s, 2), "status_name",
		ticket_status_name(db_col_text(s, 2), a->lang), "requester",
		"id", (json_int_t)db_col_int(s, 3), "name", db_col_text(s, 4),
		"company",
		db_col_null(s, 5) ? json_null()
				  : json_pack("{s:I,s:s}", "id",
					      (json_int_t)db_col_int(s, 5),
					      "name", db_col_text(s, 6)),
		"snippet", h->snippet, "updated_at", json_col_time(s, 7));
	db_reset(s);
	return o;
}

ay_rc search_tickets(struct db *db, const struct actor *a, const char *q,
		     int limit, struct verr *err, json_t **out)
{
	struct search_hit hits[SEARCH_MAX];
	struct search_scope sc = {.user_id = a->user_id,
				  .company_id = a->company_id,
				  .is_contact = a->is_contact,
				  .staff = actor_is_staff(a)};
	json_t *list;
	size_t n = 0;
	ay_rc rc;

	*out = NULL;
	if (!q || !*q || !ay_utf8_valid(q, strlen(q)) ||
	    ay_utf8_chars(q) > SEARCH_Q_MAX) {
		verr_set(err, "q", "escriba de 1 a 200 caracteres");
		return AY_EINVAL;
	}
	if (limit <= 0 || limit > SEARCH_MAX)
		limit = 20;
	rc = store_search(db, q, &sc, hits, (size_t)limit, &n);
	if (rc)
		return rc;
	list = json_array();
	for (size_t i = 0; list && i < n; i++) {
		json_t *r = result_json(db, a, &hits[i]);

		if (r)
			json_array_append_new(list, r);
	}
	*out = list ? json_pack("{s:s,s:o}", "q", q, "results", list) : NULL;
	return *out ? AY_OK : AY_ENOMEM;
}
