/* Satisfaction survey links: public, the token in the path is the only
 * credential (a 256-bit random value, stored hashed). The page of the
 * mailed link, /encuesta#token=T, is the web application's
 * (web/portal/survey.js). */
#include <string.h>

#include "domain/survey.h"
#include "http/http.h"

void h_survey_get(struct http_req *r)
{
	struct db *db;
	json_t *out = NULL;
	ay_rc rc = store_reader(http_store(r), &db);

	if (!rc)
		rc = survey_get(db, r->param, &out);
	if (rc) {
		http_error_rc(r, rc);
		return;
	}
	http_json(r, 200, out);
}

static ay_rc job_survey_answer(struct db *db, struct http_req *r)
{
	json_t *c = json_object_get(r->in, "comment");
	json_t *out = NULL;
	ay_rc rc;

	rc = survey_answer(
		db, r->param,
		(int)json_integer_value(json_object_get(r->in, "rating")),
		json_string_value(c), &r->verr);
	if (!rc)
		rc = survey_get(db, r->param, &out);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

/* {"rating": 1-5, "comment": text or null}, and nothing else; answers
 * 422 and returns false otherwise. */
static bool rating_body(struct http_req *r)
{
	static const char *const keys[] = {"rating", "comment", NULL};
	json_t *rating, *c;

	r->in = http_body_json(r);
	if (!r->in || !http_known_fields(r, keys))
		return false;
	rating = json_object_get(r->in, "rating");
	c = json_object_get(r->in, "comment");
	if (!json_is_integer(rating) ||
	    (c && !json_is_null(c) && !json_is_string(c))) {
		snprintf(r->verr.field, sizeof(r->verr.field), "rating");
		snprintf(r->verr.msg, sizeof(r->verr.msg),
			 "se espera {\"rating\": 1-5, \"comment\": texto}");
		http_error_rc(r, AY_EINVAL);
		return false;
	}
	return true;
}

void h_survey_answer(struct http_req *r)
{
	if (rating_body(r))
		http_defer(r, job_survey_answer);
}

static ay_rc ticket_survey_read(struct db *db, struct http_req *r, json_t **out)
{
	return survey_of_ticket(db, &r->actor, r->number, out);
}

/* GET /api/v1/tickets/N/survey: whether the ticket's survey waits for its
 * requester's answer. */
void h_ticket_survey(struct http_req *r)
{
	http_read_json(r, ticket_survey_read);
}

static ay_rc job_ticket_survey_answer(struct db *db, struct http_req *r)
{
	json_t *out = NULL;
	ay_rc rc = survey_answer_ticket(
		db, &r->actor, r->number,
		(int)json_integer_value(json_object_get(r->in, "rating")),
		json_string_value(json_object_get(r->in, "comment")), &r->verr);

	if (!rc)
		rc = survey_of_ticket(db, &r->actor, r->number, &out);
	if (rc) {
		http_error_rc(r, rc);
		return rc;
	}
	http_json(r, 200, out);
	return AY_OK;
}

/* POST /api/v1/tickets/N/survey {rating, comment}: the signed-in
 * requester answers without the mailed link. */
void h_ticket_survey_answer(struct http_req *r)
{
	if (rating_body(r))
		http_defer(r, job_ticket_survey_answer);
}
