/* Satisfaction surveys: an invitation when a ticket closes, answered once
 * through a link whose token is the only credential (stored hashed). */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/access.h"
#include "domain/survey.h"

ay_rc survey_token(struct db *db, int64_t ticket_id, char token[65])
{
	struct db_stmt *s = NULL;
	unsigned char raw[32];
	char hash[65];
	bool row = false;
	ay_rc rc;

	token[0] = '\0';
	/* One open invitation per ticket: closing again does not spam. */
	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM surveys WHERE ticket_id = $1 AND"
		    " answered_at IS NULL",
		    "i", ticket_id);
	db_reset(s);
	if (rc || row)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, 65, raw, sizeof(raw));
	ay_sha256_hex(token, 64, hash);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO surveys (ticket_id, token_hash, created_at)"
		    " VALUES ($1, $2, $3)",
		    "isi", ticket_id, hash, ay_now());
	if (rc)
		token[0] = '\0';
	return rc;
}

ay_rc survey_invite(struct db *db, int64_t ticket_id)
{
	char token[65];
	json_t *p;
	ay_rc rc;

	rc = survey_token(db, ticket_id, token);
	if (rc || !token[0])
		return rc;
	p = json_pack("{s:s}", "token", token);
	if (!p)
		return AY_ENOMEM;
	rc = outbox_add(db, "survey", ticket_id, NULL, p);
	json_decref(p);
	return rc;
}

static ay_rc find(struct db *db, const char *token, int64_t *id,
		  int64_t *ticket, bool *answered)
{
	struct db_stmt *s = NULL;
	char hash[65];
	bool row = false;
	ay_rc rc;

	if (!token || strlen(token) != 64 ||
	    strspn(token, "0123456789abcdef") != 64)
		return AY_ENOTFOUND;
	ay_sha256_hex(token, 64, hash);
	rc = db_run(db, &s, &row,
		    "SELECT id, ticket_id, answered_at IS NOT NULL FROM surveys"
		    " WHERE token_hash = $1",
		    "s", hash);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*id = db_col_int(s, 0);
	*ticket = db_col_int(s, 1);
	*answered = db_col_int(s, 2) != 0;
	db_reset(s);
	return AY_OK;
}

ay_rc survey_get(struct db *db, const char *token, json_t **out)
{
	struct db_stmt *s = NULL;
	int64_t id, tid;
	bool answered, row = false;
	ay_rc rc = find(db, token, &id, &tid, &answered);

	*out = NULL;
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT number, subject FROM tickets WHERE id = $1", "i",
		    tid);
	if (rc || !row)
		return rc ? rc : AY_ENOTFOUND;
	*out = json_pack("{s:I,s:s,s:b}", "number",
			 (json_int_t)db_col_int(s, 0), "subject",
			 db_col_text(s, 1), "answered", answered);
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

/* Answer survey id of ticket tid once. */
static ay_rc answer(struct db *db, int64_t id, int64_t tid, bool answered,
		    int rating, const char *comment, struct verr *err)
{
	json_t *data;
	ay_rc rc;

	if (answered) {
		snprintf(err->field, sizeof(err->field), "token");
		snprintf(err->msg, sizeof(err->msg),
			 "esta encuesta ya fue respondida; gracias");
		return AY_ECONFLICT;
	}
	if (rating < 1 || rating > 5) {
		snprintf(err->field, sizeof(err->field), "rating");
		snprintf(err->msg, sizeof(err->msg),
			 "la valoración va de 1 a 5");
		return AY_EINVAL;
	}
	if (comment && (strlen(comment) > 4000 ||
			!ay_utf8_valid(comment, strlen(comment)))) {
		snprintf(err->field, sizeof(err->field), "comment");
		snprintf(err->msg, sizeof(err->msg),
			 "el comentario admite hasta 4000 caracteres");
		return AY_EINVAL;
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE surveys SET answered_at = $1, rating = $2,"
		    " comment = $3 WHERE id = $4",
		    "iisi", ay_now(), (int64_t)rating, comment, id);
	if (rc)
		return rc;
	data = json_pack("{s:i}", "rating", rating);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, tid, 0, "survey.answered", data);
	json_decref(data);
	return rc;
}

ay_rc survey_answer(struct db *db, const char *token, int rating,
		    const char *comment, struct verr *err)
{
	int64_t id, tid;
	bool answered;
	ay_rc rc = find(db, token, &id, &tid, &answered);

	return rc ? rc : answer(db, id, tid, answered, rating, comment, err);
}

/* The newest invitation of a ticket the actor may read: *id 0 when none;
 * *requester whether the actor is the one who may answer it. */
static ay_rc latest(struct db *db, const struct actor *a, int64_t number,
		    int64_t *tid, int64_t *id, bool *answered, int *rating,
		    bool *requester)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = access_ticket(db, a, number, ACCESS_READ, tid);

	*id = 0;
	*answered = false;
	*rating = 0;
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT s.id, s.answered_at IS NOT NULL,"
			    " COALESCE(s.rating, 0), t.requester_id = $2"
			    " FROM tickets t LEFT JOIN surveys s"
			    "  ON s.ticket_id = t.id WHERE t.id = $1"
			    " ORDER BY s.id DESC LIMIT 1",
			    "ii", *tid, a->user_id);
	if (!rc && row && !db_col_null(s, 0)) {
		*id = db_col_int(s, 0);
		*answered = db_col_int(s, 1) != 0;
		*rating = (int)db_col_int(s, 2);
	}
	*requester = !rc && row && db_col_int(s, 3);
	db_reset(s);
	return rc;
}

ay_rc survey_of_ticket(struct db *db, const struct actor *a, int64_t number,
		       json_t **out)
{
	int64_t tid, id;
	bool answered, requester;
	int rating;
	ay_rc rc = latest(db, a, number, &tid, &id, &answered, &rating,
			  &requester);

	*out = NULL;
	if (rc)
		return rc;
	*out = json_pack("{s:b,s:b,s:b}", "invited", id != 0, "answered",
			 answered, "can_answer", id && !answered && requester);
	if (*out && answered)
		json_object_set_new(*out, "rating", json_integer(rating));
	return *out ? AY_OK : AY_ENOMEM;
}

ay_rc survey_answer_ticket(struct db *db, const struct actor *a, int64_t number,
			   int rating, const char *comment, struct verr *err)
{
	int64_t tid, id;
	bool answered, requester;
	int old;
	ay_rc rc =
		latest(db, a, number, &tid, &id, &answered, &old, &requester);

	if (rc)
		return rc;
	if (!id || !requester) {
		verr_set(err, "rating",
			 id ? "solo quien pidió la ayuda responde la encuesta"
			    : "la encuesta llega cuando el ticket se cierra");
		return id ? AY_EPERM : AY_ECONFLICT;
	}
	return answer(db, id, tid, answered, rating, comment, err);
}
