/* Supervisor reviews: a customer asks, the supervisors hear of it, the
 * ticket and the reports show it until staff answer. An agent may ask a
 * supervisor too: an internal note and a notice, nothing the customer
 * sees. */
#include <stdlib.h>
#include <string.h>

#include "domain/review.h"
#include "domain/ticket.h"
#include "util/buf.h"

/* Number of code points in valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t k = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			k++;
	return k;
}

static ay_rc check_reason(const char *reason, struct verr *err)
{
	if (!reason || !reason[strspn(reason, " \t\r\n")]) {
		verr_set(err, "reason",
			 "diga por qué pide la revisión de un supervisor");
		return AY_EINVAL;
	}
	if (!ay_utf8_valid(reason, strlen(reason))) {
		verr_set(err, "reason", "el motivo no es UTF-8 válido");
		return AY_EINVAL;
	}
	if (utf8_chars(reason) > AY_REVIEW_REASON_MAX) {
		verr_set(err, "reason",
			 "el motivo no puede superar los 2000 caracteres");
		return AY_EINVAL;
	}
	return AY_OK;
}

/* Tell every supervisor, and (with ack) the asker that their request
 * arrived. payload gets the asker's name ("by"). */
static ay_rc notify(struct db *db, const struct actor *a, int64_t tid,
		    json_t *payload, bool ack)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT name FROM users WHERE id = $1", "i",
		    a->user_id);
	if (!rc && row)
		json_object_set_new(payload, "by",
				    json_string(db_col_text(s, 0)));
	db_reset(s);
	if (rc)
		return rc;
	rc = outbox_add_staff(db, "supervisor_review", tid, false, payload);
	if (rc || !ack)
		return rc;
	rc = db_run(db, &s, &row, "SELECT email FROM users WHERE id = $1", "i",
		    a->user_id);
	if (!rc && row) {
		char *to = strdup(db_col_text(s, 0));

		db_reset(s);
		rc = to ? outbox_add(db, "supervisor_review_received", tid, to,
				     payload)
			: AY_ENOMEM;
		free(to);
		return rc;
	}
	db_reset(s);
	return rc;
}

/* How a request is written: the message that carries the reason (its kind
 * and heading), its event and the member naming the message, and whether
 * it opens a review (a row in supervisor_reviews and the asker's notice). */
struct ask_kind {
	const char *kind, *heading, *event, *key;
	bool review;
};

/* A customer's request for a review: a customer message on the ticket. */
static const struct ask_kind review_ask = {
	"customer", "Solicitud de revisión por un supervisor",
	"supervisor_review.requested", "message", true};
/* Staff asking a supervisor for help: an internal note the customer never
 * sees, no review opened. */
static const struct ask_kind consult_ask = {"note", "Consulta a un supervisor",
					    "supervisor.consulted", "note",
					    false};

static ay_rc ask(struct db *db, const struct actor *a, int64_t number,
		 int64_t tid, const char *reason, const struct ay_config *cfg,
		 const struct ask_kind *k, struct verr *err)
{
	struct message_new m = {
		.kind = k->kind, .channel = "api", .quiet = true, .cfg = cfg};
	struct buf body;
	int64_t mid = 0;
	json_t *data = NULL;
	ay_rc rc;

	buf_init(&body, 0);
	rc = buf_addf(&body, "%s:\n\n%s", k->heading, reason);
	m.body = buf_str(&body);
	if (!rc)
		rc = ticket_add_message(db, a, number, &m, &mid, err);
	if (!rc && k->review)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO supervisor_reviews (ticket_id,"
			    " requested_by, reason, requested_at)"
			    " VALUES ($1, $2, $3, $4)",
			    "iisi", tid, a->user_id, reason, ay_now());
	if (!rc) {
		data = json_pack("{s:I,s:s,s:I}", "number", (json_int_t)number,
				 "reason", reason, k->key, (json_int_t)mid);
		if (!data)
			rc = AY_ENOMEM;
	}
	if (!rc)
		rc = event_add(db, tid, a->user_id, k->event, data);
	if (!rc)
		rc = notify(db, a, tid, data, k->review);
	json_decref(data);
	buf_release(&body);
	return rc;
}

ay_rc review_request(struct db *db, const struct actor *a, int64_t number,
		     const char *reason, const struct ay_config *cfg,
		     struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	rc = ticket_lookup(db, a, number, &tid);
	if (rc)
		return rc;
	rc = check_reason(reason, err);
	if (rc)
		return rc;
	if (actor_is_staff(a))
		return ask(db, a, number, tid, reason, cfg, &consult_ask, err);
	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM supervisor_reviews WHERE ticket_id = $1"
		    " AND answered_at IS NULL",
		    "i", tid);
	db_reset(s);
	if (rc)
		return rc;
	if (row) {
		verr_set(err, "reason",
			 "ya hay una solicitud de revisión pendiente en este "
			 "ticket");
		return AY_ECONFLICT;
	}
	return ask(db, a, number, tid, reason, cfg, &review_ask, err);
}

static const char review_sql[] =
	"SELECT r.reason, r.requested_at, u.id, u.name,"
	" r.answered_at FROM supervisor_reviews r JOIN users u ON"
	" u.id = r.requested_by WHERE r.ticket_id = $1"
	" ORDER BY r.id DESC LIMIT 1";

ay_rc review_ticket_prefetch(struct db *db, int64_t tid)
{
	return db_prefetch(db, review_sql, "i", tid);
}

ay_rc review_ticket_json(struct db *db, int64_t tid, json_t *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	json_t *o = json_null();
	ay_rc rc;

	rc = db_run(db, &s, &row, review_sql, "i", tid);
	if (!rc && row)
		o = json_pack("{s:s,s:s,s:o,s:{s:I,s:s},s:o}", "state",
			      db_col_null(s, 4) ? "requested" : "answered",
			      "reason", db_col_text(s, 0), "requested_at",
			      json_col_time(s, 1), "requested_by", "id",
			      (json_int_t)db_col_int(s, 2), "name",
			      db_col_text(s, 3), "answered_at",
			      json_col_time(s, 4));
	db_reset(s);
	if (rc)
		return rc;
	return json_object_set_new(t, "supervisor_review", o) ? AY_ENOMEM
							      : AY_OK;
}

ay_rc review_answered(struct db *db, int64_t tid, int64_t by)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "UPDATE supervisor_reviews SET answered_by = $2,"
		    " answered_at = $3 WHERE ticket_id = $1 AND answered_at"
		    " IS NULL RETURNING id",
		    "iIi", tid, by, ay_now());
	db_reset(s);
	if (rc || !row)
		return rc;
	return event_add(db, tid, by, "supervisor_review.answered", NULL);
}

static json_t *number_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_integer(db_col_int(s, 0));
}

ay_rc review_report(struct db *db, int64_t from, int64_t to, json_t **out)
{
	static const char *const sql[] = {
		"SELECT COUNT(*) FROM supervisor_reviews WHERE requested_at"
		" >= $1 AND requested_at < $2",
		"SELECT COUNT(*) FROM supervisor_reviews WHERE answered_at"
		" >= $1 AND answered_at < $2",
	};
	struct db_stmt *s = NULL;
	int64_t v[2] = {0, 0};
	bool row = false;
	json_t *open = NULL;
	ay_rc rc = AY_OK;

	*out = NULL;
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(sql); i++) {
		rc = db_run(db, &s, &row, sql[i], "ii", from, to);
		if (!rc && row)
			v[i] = db_col_int(s, 0);
		db_reset(s);
	}
	if (!rc)
		rc = db_rows_json(db, number_row, NULL, &open,
				  "SELECT DISTINCT t.number FROM"
				  " supervisor_reviews r JOIN tickets t ON"
				  " t.id = r.ticket_id WHERE r.answered_at IS"
				  " NULL ORDER BY t.number",
				  NULL);
	if (rc)
		return rc;
	*out = json_pack("{s:I,s:I,s:o}", "requested", (json_int_t)v[0],
			 "answered", (json_int_t)v[1], "open", open);
	return *out ? AY_OK : AY_ENOMEM;
}
