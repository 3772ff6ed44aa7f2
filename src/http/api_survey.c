/* Satisfaction survey links: public, the token in the path is the only
 * credential (a 256-bit random value, stored hashed). */
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

/* The survey page for the link in the invitation mail: static HTML and
 * a script file (no inline script, so the CSP stays strict). The token
 * travels in the fragment, which browsers never send to servers or put
 * in Referer headers. */
static const char survey_html[] =
	"<!doctype html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" "
	"content=\"width=device-width,initial-scale=1\">"
	"<title>Encuesta de satisfacción</title>"
	"<script type=\"module\" src=\"/encuesta.js\"></script></head>"
	"<body><h1>¿Cómo lo atendimos?</h1>"
	"<p id=\"ticket\"></p><form id=\"f\" hidden>"
	"<fieldset><legend>Valore la atención (1 = mala, 5 = excelente)"
	"</legend>"
	"<label><input type=\"radio\" name=\"rating\" value=\"1\" required> 1"
	"</label> <label><input type=\"radio\" name=\"rating\" value=\"2\"> 2"
	"</label> <label><input type=\"radio\" name=\"rating\" value=\"3\"> 3"
	"</label> <label><input type=\"radio\" name=\"rating\" value=\"4\"> 4"
	"</label> <label><input type=\"radio\" name=\"rating\" value=\"5\"> 5"
	"</label></fieldset><p><label>Comentario (opcional)<br>"
	"<textarea name=\"comment\" rows=\"4\" cols=\"40\" "
	"maxlength=\"4000\"></textarea></label></p>"
	"<button>Enviar</button></form><p id=\"msg\" role=\"status\"></p>"
	"</body></html>\n";

static const char survey_js[] =
	"const token = new "
	"URLSearchParams(location.hash.slice(1)).get('token') || '';\n"
	"const api = '/api/v1/surveys/' + encodeURIComponent(token);\n"
	"const $ = (id) => document.getElementById(id);\n"
	"const say = (t) => { $('msg').textContent = t; };\n"
	"const r = await fetch(api);\n"
	"if (!r.ok) { say('El enlace no es válido.'); }\n"
	"else {\n"
	"  const s = await r.json();\n"
	"  $('ticket').textContent = `Ticket#${s.number}: ${s.subject}`;\n"
	"  if (s.answered) say('Esta encuesta ya fue respondida. ¡Gracias!');\n"
	"  else $('f').hidden = false;\n"
	"}\n"
	"$('f').addEventListener('submit', async (e) => {\n"
	"  e.preventDefault();\n"
	"  const fd = new FormData(e.target);\n"
	"  const res = await fetch(api, { method: 'POST', headers: { "
	"'Content-Type': 'application/json' },\n"
	"    body: JSON.stringify({ rating: Number(fd.get('rating')), comment: "
	"fd.get('comment') || null }) });\n"
	"  const body = await res.json();\n"
	"  if (res.ok) { $('f').hidden = true; say('¡Gracias por su "
	"valoración!'); }\n"
	"  else say(body.error.message);\n"
	"});\n";

static void static_text(struct http_req *r, const char *text, size_t len,
			const char *ctype)
{
	if (buf_add(&r->out, text, len)) {
		http_error_rc(r, AY_ENOMEM);
		return;
	}
	r->status = 200;
	r->ctype = ctype;
}

void h_survey_page(struct http_req *r)
{
	static_text(r, survey_html, sizeof(survey_html) - 1,
		    "text/html; charset=utf-8");
}

void h_survey_script(struct http_req *r)
{
	static_text(r, survey_js, sizeof(survey_js) - 1,
		    "text/javascript; charset=utf-8");
}
