/* Tickets and messages: creation, visibility, status machine, listing. */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/environment.h"
#include "domain/kb.h"
#include "domain/review.h"
#include "domain/sla.h"
#include "domain/suggest.h"
#include "domain/survey.h"
#include "domain/ticket.h"
#include "domain/ticket_fields.h"
#include "domain/ticket_query.h"
#include "util/buf.h"
#include "util/str.h"

static const char *const statuses[] = {"new", "open", "pending_customer",
				       "resolved", "closed"};
static const char *const categories[] = {"support", "commercial", "development",
					 "out_of_scope", "sla_inclusion"};

/* Names for people: code, Spanish, English. */
static const char *const status_names[][3] = {
	{"new", "Nuevo", "New"},
	{"open", "Abierto", "Open"},
	{"pending_customer", "En espera del cliente",
	 "Waiting for the customer"},
	{"resolved", "Resuelto", "Solved"},
	{"closed", "Cerrado", "Closed"},
};
static const char *const category_names[][3] = {
	{"support", "Soporte", "Support"},
	{"commercial", "Comercial", "Commercial"},
	{"development", "Desarrollo", "Development"},
	{"out_of_scope", "Fuera de alcance", "Out of scope"},
	{"sla_inclusion", "Inclusión en el SLA", "SLA inclusion"},
};

static const char *name_of(const char *const (*names)[3], size_t n,
			   const char *code, const char *lang)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(names[i][0], code))
			return names[i][lang && !strcmp(lang, "en") ? 2 : 1];
	return code ? code : "";
}

const char *ticket_status_name(const char *code, const char *lang)
{
	return name_of(status_names, AY_ARRAY_LEN(status_names), code, lang);
}

const char *ticket_category_name(const char *code, const char *lang)
{
	return name_of(category_names, AY_ARRAY_LEN(category_names), code,
		       lang);
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool ticket_status_known(const char *code)
{
	return in_list(code, statuses, AY_ARRAY_LEN(statuses));
}

bool ticket_category_known(const char *code)
{
	return in_list(code, categories, AY_ARRAY_LEN(categories));
}

/* Number of code points in valid UTF-8. */
static size_t utf8_len(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Trimmed view of s: *len gets the length, returns the first byte. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && is_space(*s)) {
		s++;
		n--;
	}
	while (n && is_space(s[n - 1]))
		n--;
	*len = n;
	return s;
}

static ay_rc check_body(const char *body, struct verr *err)
{
	size_t n;

	if (!body || !*trim(body, &n) || n == 0) {
		verr_set(err, "body", "el mensaje no puede estar vacío");
		return AY_EINVAL;
	}
	if (strlen(body) > AY_BODY_MAX) {
		verr_set(err, "body", "el mensaje supera el límite de 1 MiB");
		return AY_ETOOBIG;
	}
	if (!ay_utf8_valid(body, strlen(body))) {
		verr_set(err, "body", "el mensaje no es UTF-8 válido");
		return AY_EINVAL;
	}
	return AY_OK;
}

/* Who may see a ticket is decided in one place: domain/access.c. */
#define VISIBLE ACCESS_TICKET_SQL

ay_rc ticket_lookup(struct db *db, const struct actor *a, int64_t number,
		    int64_t *ticket_id)
{
	return access_ticket(db, a, number, ACCESS_READ, ticket_id);
}

static ay_rc next_number(struct db *db, int64_t *number)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(
		db, &s, &row,
		"UPDATE counters SET value = value + 1 WHERE name = 'ticket'"
		" RETURNING value",
		NULL);
	if (rc)
		return rc;
	if (!row)
		return AY_EDB;
	*number = db_col_int(s, 0);
	db_reset(s);
	return AY_OK;
}

static ay_rc insert_message(struct db *db, int64_t ticket_id, int64_t author_id,
			    const struct message_new *m, int64_t now,
			    int64_t *id)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "INSERT INTO messages (ticket_id, author_id, kind, body,"
		    " channel, mail_message_id, raw_sha256, html_sha256,"
		    " body_full, created_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		    " RETURNING id",
		    "iIsssssssi", ticket_id, author_id, m->kind, m->body,
		    m->channel ? m->channel : "api", m->mail_message_id,
		    m->raw_sha256, m->html_sha256, m->body_full, now);
	if (rc)
		return rc;
	if (row && id)
		*id = db_col_int(s, 0);
	db_reset(s);
	return row ? AY_OK : AY_EDB;
}

static ay_rc user_company(struct db *db, int64_t user_id, int64_t *company,
			  char **email)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT COALESCE(company_id, 0), email FROM users"
		    " WHERE id = $1 AND disabled = 0",
		    "i", user_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*company = db_col_int(s, 0);
	if (email) {
		*email = strdup(db_col_text(s, 1));
		if (!*email)
			rc = AY_ENOMEM;
	}
	db_reset(s);
	return rc;
}

/* Write the structured fields given in f on ticket tid. */
static ay_rc store_fields(struct db *db, int64_t tid,
			  const struct ticket_fields *f)
{
	char sql[96];
	ay_rc rc = AY_OK;

	for (int i = 0; !rc && i < TF_N; i++) {
		if (!f->set[i])
			continue;
		snprintf(sql, sizeof(sql),
			 "UPDATE tickets SET %s = $1 WHERE id = $2",
			 ticket_field_names[i]);
		rc = db_run(db, NULL, NULL, sql, "si", f->v[i], tid);
	}
	return rc;
}

/* The history of both tickets says that new_id continues old_id. */
static ay_rc link_continued(struct db *db, const struct actor *a,
			    int64_t old_id, int64_t new_id, int64_t new_number)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t old_number;
	json_t *d;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT number FROM tickets WHERE id = $1",
		    "i", old_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	old_number = db_col_int(s, 0);
	db_reset(s);
	d = json_pack("{s:I}", "number", (json_int_t)old_number);
	if (!d)
		return AY_ENOMEM;
	rc = event_add(db, new_id, a->user_id, "ticket.continues", d);
	json_decref(d);
	if (rc)
		return rc;
	d = json_pack("{s:I}", "number", (json_int_t)new_number);
	if (!d)
		return AY_ENOMEM;
	rc = event_add(db, old_id, a->user_id, "ticket.continued", d);
	json_decref(d);
	return rc;
}

/* The subject of a new ticket, one line and trimmed, into *out (owned by
 * the caller, free()); AY_EINVAL (err says why) when empty, not UTF-8 or
 * too long. */
static ay_rc ticket_subject(const char *in, char **out, struct verr *err)
{
	char *subject;
	const char *subj;
	size_t slen;

	*out = NULL;
	/* A subject is one line: CR, LF and other control characters
	 * (from the API or a mail's encoded words) become spaces, so that
	 * no later mail about the ticket carries a broken header. */
	subject = strdup(in ? in : "");
	if (!subject)
		return AY_ENOMEM;
	ay_oneline(subject);
	subj = trim(subject, &slen);
	memmove(subject, subj, slen);
	subject[slen] = '\0';
	if (!slen)
		verr_set(err, "subject", "el asunto no puede estar vacío");
	else if (!ay_utf8_valid(subject, slen))
		verr_set(err, "subject", "el asunto no es UTF-8 válido");
	else if (utf8_len(subject, slen) > AY_SUBJECT_MAX)
		verr_set(err, "subject",
			 "el asunto no puede superar los 200 caracteres");
	else {
		*out = subject;
		return AY_OK;
	}
	free(subject);
	return AY_EINVAL;
}

/* The category and requester of a new ticket: a known category (out of
 * scope: the support team's call), and the actor or, for staff, whom they
 * create it for. AY_EINVAL (err says why) otherwise. */
static ay_rc ticket_who_what(const struct actor *a, const struct ticket_new *in,
			     const char *category, int64_t *requester,
			     struct verr *err)
{
	if (!in_list(category, categories, AY_ARRAY_LEN(categories))) {
		verr_set(err, "category", "categoría desconocida");
		return AY_EINVAL;
	}
	if (!strcmp(category, "out_of_scope") && !actor_is_staff(a)) {
		/* Policy 4.3: the support team decides what is out of
		 * scope, after reading the question. */
		verr_set(err, "category",
			 "solo el equipo de soporte puede clasificar una "
			 "consulta como fuera de alcance");
		return AY_EINVAL;
	}
	*requester = a->user_id;
	if (in->requester_id && actor_is_staff(a))
		*requester = in->requester_id;
	if (!*requester) {
		verr_set(err, "requester", "falta el solicitante");
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc ticket_kb_articles(struct db *db, const struct ay_config *cfg,
			 int64_t ticket_id, const char *lang, json_t *payload)
{
	int min = cfg ? cfg->kb_mail_min_score : 8;
	struct actor reader = {.role = ROLE_CUSTOMER};
	json_t *found = NULL, *list, *keep, *r;
	struct db_stmt *s = NULL;
	struct buf q;
	bool row = false;
	size_t n = 0, i;
	ay_rc rc;

	if (min <= 0)
		return AY_OK;
	snprintf(reader.lang, sizeof(reader.lang), "%s", lang ? lang : "es");
	rc = db_run(db, &s, &row,
		    "SELECT t.subject, (SELECT body FROM messages"
		    " WHERE ticket_id = t.id ORDER BY id LIMIT 1)"
		    " FROM tickets t WHERE t.id = $1",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_OK;
	buf_init(&q, 1400);
	rc = buf_addf(&q, "%s %.1000s",
		      db_col_text(s, 0) ? db_col_text(s, 0) : "",
		      db_col_text(s, 1) ? db_col_text(s, 1) : "");
	db_reset(s);
	/* A cut in the middle of a character is no text to search. */
	while (!rc && q.len && !ay_utf8_valid(q.ptr, q.len))
		q.ptr[--q.len] = '\0';
	if (!rc)
		rc = kb_search(db, &reader, buf_str(&q), NULL, true, 3, &found,
			       &n);
	buf_release(&q);
	if (rc == AY_EINVAL)
		return AY_OK;
	keep = rc ? NULL : json_array();
	list = json_object_get(found, "results");
	json_array_foreach (list, i, r) {
		if (keep && json_real_value(json_object_get(r, "score")) >= min)
			json_array_append_new(
				keep,
				json_pack("{s:O,s:O}", "title",
					  json_object_get(r, "title"), "url",
					  json_object_get(r, "url")));
	}
	if (keep && json_array_size(keep))
		json_object_set_new(payload, "articles", keep);
	else
		json_decref(keep);
	json_decref(found);
	return rc;
}

/* What a new ticket writes besides itself: its "ticket.created" event,
 * the link from the ticket it continues, and (unless quiet) the
 * "ticket_received" notice to the requester at email. */
static ay_rc ticket_announce(struct db *db, const struct actor *a,
			     const struct ticket_new *in, int64_t tid,
			     int64_t number, const char *subject,
			     const char *category, const char *level,
			     const char *email)
{
	json_t *data = json_pack(
		"{s:I,s:s,s:s,s:s,s:s}", "number", (json_int_t)number,
		"subject", subject, "category", category, "channel",
		in->channel ? in->channel : "api", "sla_level", level);
	bool other_address = false;
	ay_rc rc;

	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, tid, a->user_id, "ticket.created", data);
	if (!rc && in->continues_id)
		rc = link_continued(db, a, in->continues_id, tid, number);
	json_decref(data);
	if (rc || in->quiet)
		return rc;
	rc = sla_license_address_missing(db, tid, &other_address);
	data = rc ? NULL : json_pack("{s:I}", "number", (json_int_t)number);
	if (!rc && !data)
		return AY_ENOMEM;
	/* Policy 7.15: say why the commercial level was not given. */
	if (other_address)
		json_object_set_new(data, "license_address", json_false());
	/* The articles that may answer it are looked up when the notice is
	 * written (ticket_kb_articles()), not while the ticket is committed:
	 * a search costs more than the whole creation. */
	if (!rc && (in->cfg ? in->cfg->kb_mail_min_score : 8) > 0)
		json_object_set_new(data, "kb", json_true());
	if (!rc)
		rc = outbox_add(db, "ticket_received", tid, email, data);
	json_decref(data);
	return rc;
}

ay_rc ticket_create(struct db *db, const struct actor *a,
		    const struct ticket_new *in, int64_t *number,
		    struct verr *err)
{
	const char *category = in->category ? in->category : "support";
	int64_t requester = 0, company = 0, tid = 0, now = ay_now();
	struct sla_pick pick;
	struct sla_start target;
	struct message_new m = {.kind = "customer",
				.body = in->body,
				.channel = in->channel,
				.mail_message_id = in->mail_message_id,
				.raw_sha256 = in->raw_sha256,
				.html_sha256 = in->html_sha256,
				.body_full = in->body_full};
	struct db_stmt *s = NULL;
	char *subject = NULL, *email = NULL;
	bool row = false;
	ay_rc rc;

	rc = ticket_subject(in->subject, &subject, err);
	if (rc)
		goto out;
	rc = check_body(in->body, err);
	if (rc)
		goto out;
	rc = ticket_who_what(a, in, category, &requester, err);
	if (rc)
		goto out;
	rc = user_company(db, requester, &company, &email);
	if (rc == AY_ENOTFOUND) {
		verr_set(err, "requester", "el solicitante no existe");
		rc = AY_EINVAL;
	}
	if (rc)
		goto out;
	rc = next_number(db, number);
	if (rc)
		goto out;
	if (in->fields) {
		rc = ticket_fields_pair_check(db, in->fields->v[TF_PRODUCT],
					      in->fields->v[TF_EDITION], err);
		if (rc)
			goto out;
	}
	rc = sla_pick_for_ticket(db, requester, category, false, now, &pick);
	if (!rc)
		rc = sla_start_plan(db, pick.level_id, now, &target);
	if (rc)
		goto out;
	rc = db_run(db, &s, &row,
		    "INSERT INTO tickets (number, subject, status, category,"
		    " channel, requester_id, company_id, sla_level, sla_reason,"
		    " sla_level_id, user_agent, created_at, updated_at,"
		    " continues_id, sla_reason_en, sla_due_at)"
		    " VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10,"
		    " $11, $11, $12, $13, $14) RETURNING id",
		    "isssiIssisiIsI", *number, subject, category,
		    in->channel ? in->channel : "api", requester, company,
		    pick.level, pick.reason, pick.level_id, in->user_agent, now,
		    in->continues_id, pick.reason_en, target.due);
	if (rc)
		goto out;
	tid = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	if (!tid) {
		rc = AY_EDB;
		goto out;
	}
	if (in->fields) {
		rc = store_fields(db, tid, in->fields);
		if (rc)
			goto out;
	}
	if (json_object_size(in->client_hints) || in->server_info) {
		rc = env_store(db, tid, in->client_hints, in->server_info, err);
		if (rc)
			goto out;
	}
	rc = insert_message(db, tid, a->user_id ? a->user_id : requester, &m,
			    now, NULL);
	if (!rc)
		rc = sla_on_created(db, tid, &target);
	if (!rc) {
		const char *texts[] = {subject, in->body,
				       in->fields ? in->fields->v[TF_URL]
						  : NULL};

		rc = suggest_for_ticket(db, tid, texts, AY_ARRAY_LEN(texts));
	}
	if (rc)
		goto out;
	rc = ticket_announce(db, a, in, tid, *number, subject, category,
			     pick.level, email);
out:
	free(subject);
	free(email);
	return rc;
}

/* Columns of TICKET_SELECT, in order (ticket_row_json reads them). */
#define TICKET_SELECT                                                          \
	"SELECT t.id, t.number, t.subject, t.status, t.category, t.channel,"   \
	" t.requester_id, ru.email, ru.name, t.company_id, c.name,"            \
	" t.assignee_id, au.email, au.name, t.sla_level, t.sla_reason,"        \
	" t.sla_due_at, t.created_at, t.updated_at, t.steps, t.url,"           \
	" t.product, t.edition, t.version,"                                    \
	" (SELECT number FROM tickets p WHERE p.id = t.continues_id)"          \
	" FROM tickets t JOIN users ru ON ru.id = t.requester_id"              \
	" LEFT JOIN companies c ON c.id = t.company_id"                        \
	" LEFT JOIN users au ON au.id = t.assignee_id"

const char ticket_select_sql[] = TICKET_SELECT;

static json_t *person(struct db_stmt *s, int id, int email, int name)
{
	if (db_col_null(s, id))
		return json_null();
	return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, id),
			 "email", db_col_text(s, email), "name",
			 db_col_text(s, name));
}

/* A ticket's row as JSON; its "sla" object computed now, or, with keep,
 * TICKET_SLA_MARK and what the object is computed from in *keep. */
static json_t *row_json(struct db *db, struct db_stmt *s, const char *lang,
			struct sla_view *keep)
{
	json_t *sla = NULL, *t;

	json_t *company = db_col_null(s, 9)
				  ? json_null()
				  : json_pack("{s:I,s:s}", "id",
					      (json_int_t)db_col_int(s, 9),
					      "name", db_col_text(s, 10));

	if (keep)
		sla = sla_view_load(db, db_col_int(s, 0), lang, keep)
			      ? NULL
			      : json_string(TICKET_SLA_MARK);
	else if (sla_ticket_json(db, db_col_int(s, 0), ay_now(), lang, &sla))
		sla = json_null();
	if (!sla) {
		json_decref(company);
		return NULL;
	}
	t = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "number",
		      (json_int_t)db_col_int(s, 1), "subject",
		      db_col_text(s, 2), "status", db_col_text(s, 3),
		      "category", db_col_text(s, 4), "channel",
		      db_col_text(s, 5), "requester", person(s, 6, 7, 8),
		      "company", company, "assignee", person(s, 11, 12, 13),
		      "sla", sla, "created_at", json_col_time(s, 17),
		      "updated_at", json_col_time(s, 18));
	/* The structured fields (policy 7.4), null when not given. */
	for (int i = 0; t && i < TF_N; i++)
		json_object_set_new(t, ticket_field_names[i],
				    json_col_text(s, 19 + i));
	if (!t)
		return NULL;
	/* Names for the reader, and the closed ticket this one continues. */
	json_object_set_new(
		t, "status_name",
		json_string(ticket_status_name(db_col_text(s, 3), lang)));
	json_object_set_new(
		t, "category_name",
		json_string(ticket_category_name(db_col_text(s, 4), lang)));
	json_object_set_new(t, "continues",
			    db_col_null(s, 24)
				    ? json_null()
				    : json_integer(db_col_int(s, 24)));
	return t;
}

json_t *ticket_row_json(struct db *db, struct db_stmt *s, const char *lang)
{
	return row_json(db, s, lang, NULL);
}

static ay_rc messages_json(struct db *db, const struct actor *a, int64_t tid,
			   json_t **out);

static const char description_sql[] =
	"SELECT body FROM messages"
	" WHERE ticket_id = $1 ORDER BY id LIMIT 1";
static const char messages_sql[] =
	"SELECT m.id, m.kind, m.body, m.channel, m.created_at, u.id, u.email,"
	" u.name, m.body_full, m.html_sha256 IS NOT NULL FROM messages m"
	" LEFT JOIN users u ON u.id = m.author_id"
	" WHERE m.ticket_id = $1 AND ($2 = 1 OR m.kind <> 'note')"
	" ORDER BY m.id";
static const char attachments_sql[] =
	"SELECT id, message_id, filename, content_type, size, is_inline"
	" FROM attachments WHERE ticket_id = $1 ORDER BY id";

/* Send the reads of ticket_get() after the ticket's row at once: on
 * PostgreSQL one round trip instead of one each (db_prefetch). */
static ay_rc ticket_prefetch(struct db *db, const struct actor *a, int64_t tid,
			     bool with_messages)
{
	ay_rc rc = sla_ticket_prefetch(db, tid, a->lang);

	if (!rc)
		rc = db_prefetch(db, description_sql, "i", tid);
	if (!rc && actor_is_staff(a))
		rc = suggest_prefetch(db, tid);
	if (!rc && actor_is_staff(a))
		rc = env_prefetch(db, tid);
	if (!rc)
		rc = review_ticket_prefetch(db, tid);
	if (!rc && with_messages)
		rc = db_prefetch(db, messages_sql, "ii", tid,
				 (int64_t)actor_is_staff(a));
	if (!rc && with_messages)
		rc = db_prefetch(db, attachments_sql, "i", tid);
	return rc;
}

/* The description is the text of the ticket's first message. */
static ay_rc add_description(struct db *db, int64_t tid, json_t *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, description_sql, "i", tid);
	if (rc)
		return rc;
	json_object_set_new(t, "description",
			    row ? json_col_text(s, 0) : json_null());
	db_reset(s);
	return AY_OK;
}

ay_rc ticket_stamp(struct db *db, const struct actor *a, int64_t number,
		   struct ticket_stamp *out)
{
	int64_t stamp[2] = {0, 0};
	ay_rc rc = access_ticket_stamp(db, a, number, ACCESS_READ, &out->id,
				       stamp);

	out->rev = stamp[0];
	out->epoch = stamp[1];
	return rc;
}

static ay_rc get_ticket(struct db *db, const struct actor *a, int64_t number,
			bool with_messages, json_t **out,
			struct sla_view *keep);

ay_rc ticket_get(struct db *db, const struct actor *a, int64_t number,
		 bool with_messages, json_t **out)
{
	return get_ticket(db, a, number, with_messages, out, NULL);
}

ay_rc ticket_get_keep(struct db *db, const struct actor *a, int64_t number,
		      json_t **out, struct sla_view *sla)
{
	return get_ticket(db, a, number, true, out, sla);
}

static ay_rc get_ticket(struct db *db, const struct actor *a, int64_t number,
			bool with_messages, json_t **out, struct sla_view *keep)
{
	struct db_stmt *s = NULL;
	json_t *t, *msgs = NULL;
	int64_t tid;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    TICKET_SELECT " WHERE " VISIBLE " AND t.number = $5",
		    "iiiii", ACCESS_TICKET_ARGS(a), number);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	tid = db_col_int(s, 0);
	rc = ticket_prefetch(db, a, tid, with_messages);
	if (rc) {
		db_reset(s);
		return rc;
	}
	t = row_json(db, s, a->lang, keep);
	db_reset(s);
	if (!t)
		return AY_ENOMEM;
	rc = add_description(db, tid, t);
	if (!rc && actor_is_staff(a)) {
		json_t *g = NULL, *env = NULL;

		/* For the support team only: a suggested company, the
		 * customer's browser and server. */
		rc = suggest_json(db, tid, a->lang, &g);
		json_object_set_new(t, "suggestion", g);
		if (!rc)
			rc = env_json(db, tid, a->lang, &env);
		json_object_set_new(t, "environment", env);
	}
	if (!rc)
		rc = review_ticket_json(db, tid, t);
	if (rc) {
		json_decref(t);
		return rc;
	}
	if (with_messages) {
		rc = messages_json(db, a, tid, &msgs);
		if (rc) {
			json_decref(t);
			return rc;
		}
		json_object_set_new(t, "messages", msgs);
	}
	*out = t;
	return AY_OK;
}

/* Whose tickets the actor lists: every one (staff), a support contact's
 * company's and their own, or their own (ACCESS_TICKET_SQL's rule, built
 * for the actor). */
static bool list_company(const struct actor *a)
{
	return !actor_is_staff(a) && a->is_contact && a->company_id > 0;
}

static struct tq_page list_page(const struct actor *a,
				const struct ticket_filter *f)
{
	return (struct tq_page){
		.status = f->status,
		.category = f->category,
		.assignee_id = f->assignee_id < -1 ? 0 : f->assignee_id,
		.requester_id = actor_is_staff(a) ? 0 : a->user_id};
}

/* The ids of one page of p: in order of arrival or by activity. */
static ay_rc list_ids(struct tq *q, struct db *db, const struct tq_page *p,
		      const struct ticket_filter *f, int limit)
{
	ay_rc rc;

	if (!f->by_activity) {
		rc = tq_page_where(q, db, p);
		return rc ? rc : tq_page_end(q, f->after, limit);
	}
	return tq_activity_page(q, db, p, f->before_at, f->before_id, limit);
}

/* A page: its ids from the index of the filters given (docs/queries.md);
 * a support contact's, the union of their own and their company's (each
 * from its index); then the rows of those ids, in the page's order. */
static ay_rc list_sql(struct tq *q, struct db *db, const struct actor *a,
		      const struct ticket_filter *f, int limit)
{
	struct tq_page p = list_page(a, f);
	ay_rc rc = tq_add(q, TICKET_SELECT " WHERE t.id IN (");

	if (list_company(a) && !rc)
		rc = tq_add(q, "SELECT id FROM (");
	if (!rc)
		rc = list_ids(q, db, &p, f, limit);
	if (list_company(a)) {
		p.requester_id = 0;
		p.company_id = a->company_id;
		if (!rc)
			rc = tq_add(q, ") AS own UNION SELECT id FROM (");
		if (!rc)
			rc = list_ids(q, db, &p, f, limit);
		if (!rc)
			rc = tq_add(q, ") AS company");
	}
	if (!rc)
		rc = tq_int(q,
			    f->by_activity ? ") ORDER BY t.updated_at DESC,"
					     " t.id DESC LIMIT $%d"
					   : ") ORDER BY t.id LIMIT $%d",
			    limit);
	return rc;
}

ay_rc ticket_list_sql(struct db *db, const struct actor *a,
		      const struct ticket_filter *f, struct tq *q)
{
	int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;

	return list_sql(q, db, a, f, limit + 1);
}

ay_rc ticket_list(struct db *db, const struct actor *a,
		  const struct ticket_filter *f, json_t **out)
{
	int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;
	struct db_stmt *s = NULL;
	json_t *list, *res, *next;
	int64_t last = 0, last_at = 0;
	char cursor[48];
	bool row = false;
	int n = 0;
	struct tq q;
	ay_rc rc;

	*out = NULL;
	list = json_array();
	if (!list)
		return AY_ENOMEM;
	tq_init(&q);
	rc = ticket_list_sql(db, a, f, &q);
	if (!rc)
		rc = tq_prepare(&q, db, &s);
	if (!rc)
		rc = db_step(s, &row);
	while (!rc && row) {
		if (n == limit)
			break;
		last = db_col_int(s, 0);
		last_at = db_col_int(s, 18);
		if (json_array_append_new(list,
					  ticket_row_json(db, s, a->lang))) {
			rc = AY_ENOMEM;
			break;
		}
		n++;
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	tq_release(&q);
	if (rc) {
		json_decref(list);
		return rc;
	}
	if (row && f->by_activity) {
		snprintf(cursor, sizeof(cursor), "%lld.%lld",
			 (long long)last_at, (long long)last);
		next = json_string(cursor);
	} else
		next = row ? json_integer(last) : json_null();
	res = json_pack("{s:o,s:o}", "tickets", list, "next", next);
	if (!res)
		return AY_ENOMEM;
	*out = res;
	return AY_OK;
}

/* Allowed status transitions; reopening is resolved/closed -> open. */
static bool transition_ok(const char *from, const char *to)
{
	static const char *const ok[][2] = {
		{"new", "open"},
		{"new", "pending_customer"},
		{"new", "resolved"},
		{"new", "closed"},
		{"open", "pending_customer"},
		{"open", "resolved"},
		{"open", "closed"},
		{"pending_customer", "open"},
		{"pending_customer", "resolved"},
		{"pending_customer", "closed"},
		{"resolved", "closed"},
		{"resolved", "open"},
		{"closed", "open"},
	};
	for (size_t i = 0; i < AY_ARRAY_LEN(ok); i++)
		if (!strcmp(ok[i][0], from) && !strcmp(ok[i][1], to))
			return true;
	return false;
}

struct tstate {
	int64_t id;
	char status[24];
	char category[24];
	int64_t assignee;
};

static ay_rc load_state(struct db *db, const struct actor *a, int64_t number,
			struct tstate *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = ticket_lookup(db, a, number, &t->id);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT status, category, COALESCE(assignee_id, 0)"
		    " FROM tickets WHERE id = $1",
		    "i", t->id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	snprintf(t->status, sizeof(t->status), "%s", db_col_text(s, 0));
	snprintf(t->category, sizeof(t->category), "%s", db_col_text(s, 1));
	t->assignee = db_col_int(s, 2);
	db_reset(s);
	return AY_OK;
}

/* Tell the requester when the ticket waits for them, is solved, closed or
 * reopened. The label is a Spanish msgid, translated when rendered. */
static ay_rc notify_status(struct db *db, int64_t tid, const char *to)
{
	static const char *const labels[][2] = {
		{"pending_customer", "en espera de su respuesta"},
		{"resolved", "resuelto"},
		{"closed", "cerrado"},
	};
	json_t *p;
	ay_rc rc;

	for (size_t i = 0; i < AY_ARRAY_LEN(labels); i++) {
		if (strcmp(labels[i][0], to))
			continue;
		p = json_pack("{s:s,s:s}", "status", to, "label", labels[i][1]);
		if (!p)
			return AY_ENOMEM;
		rc = outbox_add(db, "status_changed", tid, NULL, p);
		json_decref(p);
		return rc;
	}
	return AY_OK;
}

/* Change the status, with its event. quiet: the caller sends the only
 * notice (no status mail, no survey mail). */
static ay_rc change_status(struct db *db, const struct actor *a,
			   struct tstate *t, const char *to, bool quiet)
{
	json_t *data;
	ay_rc rc;

	if (!strcmp(t->status, to))
		return AY_OK;
	/* closed_at: when it closed, for reopening within reopen_days. */
	rc = db_run(db, NULL, NULL,
		    "UPDATE tickets SET status = $1, updated_at = $2,"
		    " closed_at = CASE WHEN $1 = 'closed' THEN $2 END"
		    " WHERE id = $3",
		    "sii", to, ay_now(), t->id);
	if (!rc)
		rc = sla_on_status(db, t->id, t->status, to, ay_now());
	if (rc)
		return rc;
	data = json_pack("{s:s,s:s}", "from", t->status, "to", to);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, t->id, a->user_id,
		       !strcmp(to, "open") && (!strcmp(t->status, "resolved") ||
					       !strcmp(t->status, "closed"))
			       ? "ticket.reopened"
			       : "ticket.status",
		       data);
	json_decref(data);
	/* Changes made by the system (jobs) send their own notice. */
	if (!rc && a->user_id && !quiet)
		rc = notify_status(db, t->id, to);
	if (!rc && !strcmp(to, "closed") && !quiet)
		rc = survey_invite(db, t->id);
	snprintf(t->status, sizeof(t->status), "%s", to);
	return rc;
}

static ay_rc set_status(struct db *db, const struct actor *a, struct tstate *t,
			const char *to)
{
	return change_status(db, a, t, to, false);
}

ay_rc ticket_closed_long_ago(struct db *db, int64_t ticket_id,
			     const struct ay_config *cfg, bool *long_ago)
{
	int64_t days = cfg ? cfg->reopen_days : 30;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*long_ago = false;
	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM tickets WHERE id = $1 AND status = 'closed'"
		    " AND COALESCE(closed_at, updated_at) <= $2",
		    "ii", ticket_id, ay_now() - days * 86400);
	if (!rc)
		*long_ago = row;
	db_reset(s);
	return rc;
}

static ay_rc check_assignee(struct db *db, int64_t id, struct verr *err)
{
	struct actor who;
	ay_rc rc;

	if (!id)
		return AY_OK;
	rc = actor_load(db, id, &who);
	if (rc == AY_ENOTFOUND || (!rc && !actor_is_staff(&who))) {
		verr_set(err, "assignee", "el responsable debe ser un agente");
		return AY_EINVAL;
	}
	return rc;
}

/* Change the structured fields given in f, with one event listing each
 * change; an edition must stay one of the product's. */
static ay_rc update_fields(struct db *db, const struct actor *a, int64_t tid,
			   const struct ticket_fields *f, struct verr *err)
{
	struct db_stmt *s = NULL;
	json_t *old = NULL, *changes = NULL;
	bool row = false;
	int i;
	ay_rc rc;

	for (i = 0; i < TF_N && !f->set[i]; i++)
		;
	if (i == TF_N)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT steps, url, product, edition, version FROM tickets"
		    " WHERE id = $1",
		    "i", tid);
	if (rc || !row)
		return rc ? rc : AY_ENOTFOUND;
	old = json_array();
	for (i = 0; old && i < TF_N; i++)
		json_array_append_new(old, json_col_text(s, i));
	db_reset(s);
	changes = json_object();
	if (!old || !changes) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = ticket_fields_pair_check(
		db,
		f->set[TF_PRODUCT]
			? f->v[TF_PRODUCT]
			: json_string_value(json_array_get(old, TF_PRODUCT)),
		f->set[TF_EDITION]
			? f->v[TF_EDITION]
			: json_string_value(json_array_get(old, TF_EDITION)),
		err);
	for (i = 0; !rc && i < TF_N; i++) {
		json_t *was = json_array_get(old, i);
		json_t *now = f->v[i] ? json_string(f->v[i]) : json_null();

		if (f->set[i] && !json_equal(was, now))
			json_object_set_new(
				changes, ticket_field_names[i],
				json_pack("{s:O,s:O}", "from", was, "to", now));
		json_decref(now);
	}
	if (rc || !json_object_size(changes))
		goto out;
	rc = store_fields(db, tid, f);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET updated_at = $1 WHERE id = $2",
			    "ii", ay_now(), tid);
	if (!rc)
		rc = event_add(db, tid, a->user_id, "ticket.fields", changes);
out:
	json_decref(old);
	json_decref(changes);
	return rc;
}

/* Tell the requester that the ticket went to the vendor's development
 * team and when its review is due (policy 4). */
static ay_rc notify_escalated(struct db *db, int64_t tid, int64_t number)
{
	struct db_stmt *s = NULL;
	bool row = false;
	json_t *p;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT st.due_at, COALESCE(l.review_days, 60) FROM"
		    " sla_targets st JOIN sla_levels l ON l.id = st.level_id"
		    " WHERE st.ticket_id = $1 AND st.kind = 'review' AND"
		    " st.met_at IS NULL ORDER BY st.id DESC LIMIT 1",
		    "i", tid);
	if (rc || !row) {
		db_reset(s);
		return rc;
	}
	p = json_pack("{s:I,s:I,s:I}", "number", (json_int_t)number,
		      "review_due_at", (json_int_t)db_col_int(s, 0), "days",
		      (json_int_t)db_col_int(s, 1));
	db_reset(s);
	if (!p)
		return AY_ENOMEM;
	rc = outbox_add(db, "development_escalated", tid, NULL, p);
	json_decref(p);
	return rc;
}

ay_rc ticket_update(struct db *db, const struct actor *a, int64_t number,
		    const struct ticket_change *c, struct verr *err)
{
	struct tstate t;
	json_t *data;
	ay_rc rc;

	rc = load_state(db, a, number, &t);
	if (rc)
		return rc;
	if (!actor_is_staff(a)) {
		/* Customers may only close their ticket or reopen it. */
		if (c->category || c->set_assignee ||
		    (c->status && strcmp(c->status, "closed") &&
		     strcmp(c->status, "open"))) {
			verr_set(err, "status",
				 "solo puede cerrar o reabrir su ticket");
			return AY_EPERM;
		}
		if (c->status && !strcmp(c->status, "open") &&
		    strcmp(t.status, "resolved") &&
		    strcmp(t.status, "closed")) {
			verr_set(err, "status", "el ticket ya está abierto");
			return AY_EINVAL;
		}
	}
	if (c->status) {
		if (!in_list(c->status, statuses, AY_ARRAY_LEN(statuses))) {
			verr_set(err, "status", "estado desconocido");
			return AY_EINVAL;
		}
		if (strcmp(c->status, t.status) &&
		    !transition_ok(t.status, c->status)) {
			verr_set(err, "status",
				 "cambio de estado no permitido");
			return AY_EINVAL;
		}
	}
	if (c->category &&
	    !in_list(c->category, categories, AY_ARRAY_LEN(categories))) {
		verr_set(err, "category", "categoría desconocida");
		return AY_EINVAL;
	}
	if (c->set_assignee) {
		rc = check_assignee(db, c->assignee_id, err);
		if (rc)
			return rc;
	}
	if (c->status) {
		rc = change_status(db, a, &t, c->status, c->quiet);
		if (rc)
			return rc;
	}
	if (c->category && strcmp(c->category, t.category)) {
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET category = $1, updated_at = $2"
			    " WHERE id = $3",
			    "sii", c->category, ay_now(), t.id);
		if (rc)
			return rc;
		data = json_pack("{s:s,s:s}", "from", t.category, "to",
				 c->category);
		if (!data)
			return AY_ENOMEM;
		rc = event_add(db, t.id, a->user_id, "ticket.category", data);
		json_decref(data);
		if (!rc)
			rc = sla_reassess(db, a->user_id, t.id, ay_now());
		if (!rc && !strcmp(c->category, "development"))
			rc = notify_escalated(db, t.id, number);
		if (rc)
			return rc;
	}
	if (c->fields) {
		rc = update_fields(db, a, t.id, c->fields, err);
		if (rc)
			return rc;
	}
	if (c->server_info) {
		rc = env_store(db, t.id, NULL, c->server_info, err);
		if (!rc)
			rc = event_add(db, t.id, a->user_id,
				       "ticket.server_info", NULL);
		if (rc)
			return rc;
	}
	if (c->set_assignee && c->assignee_id != t.assignee) {
		rc = db_run(
			db, NULL, NULL,
			"UPDATE tickets SET assignee_id = $1, updated_at = $2"
			" WHERE id = $3",
			"Iii", c->assignee_id, ay_now(), t.id);
		if (rc)
			return rc;
		data = json_pack("{s:o,s:o}", "from",
				 t.assignee ? json_integer(t.assignee)
					    : json_null(),
				 "to",
				 c->assignee_id ? json_integer(c->assignee_id)
						: json_null());
		if (!data)
			return AY_ENOMEM;
		rc = event_add(db, t.id, a->user_id, "ticket.assigned", data);
		json_decref(data);
	}
	return rc;
}

/* Was a "message added" notice queued for ticket tid within
 * comment_notice_minutes? */
static ay_rc notice_recent(struct db *db, int64_t tid,
			   const struct ay_config *cfg, bool *recent)
{
	int64_t minutes = cfg ? cfg->comment_notice_minutes : 10;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT 1 FROM outbox WHERE ticket_id = $1 AND kind ="
		    " 'comment_received' AND created_at > $2 LIMIT 1",
		    "ii", tid, ay_now() - minutes * 60);
	*recent = !rc && row;
	db_reset(s);
	return rc;
}

/* Close an out-of-scope ticket after its answer: the answer's mail says
 * why and carries the survey link; no other mail. */
static ay_rc answer_and_close(struct db *db, const struct actor *a,
			      struct tstate *t, int64_t number, int64_t mid)
{
	char token[65];
	json_t *data;
	ay_rc rc;

	rc = change_status(db, a, t, "closed", true);
	if (!rc)
		rc = survey_token(db, t->id, token);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:I,s:b,s:s?}", "number", (json_int_t)number,
			 "message", (json_int_t)mid, "out_of_scope", 1, "token",
			 token[0] ? token : NULL);
	if (!data)
		return AY_ENOMEM;
	rc = outbox_add(db, "agent_reply", t->id, NULL, data);
	json_decref(data);
	return rc;
}

ay_rc ticket_add_message(struct db *db, const struct actor *a, int64_t number,
			 const struct message_new *in, int64_t *message_id,
			 struct verr *err)
{
	struct message_new m = *in;
	struct tstate t;
	bool old = false, reopened;
	json_t *data;
	ay_rc rc;

	rc = load_state(db, a, number, &t);
	if (rc)
		return rc;
	if (!actor_is_staff(a) || !m.kind)
		m.kind = actor_is_staff(a) ? "reply" : "customer";
	if (strcmp(m.kind, "reply") && strcmp(m.kind, "note") &&
	    strcmp(m.kind, "customer") && strcmp(m.kind, "system")) {
		verr_set(err, "kind", "tipo de mensaje desconocido");
		return AY_EINVAL;
	}
	rc = check_body(m.body, err);
	if (rc)
		return rc;
	if (!strcmp(m.kind, "customer") && !strcmp(t.status, "closed")) {
		rc = ticket_closed_long_ago(db, t.id, m.cfg, &old);
		if (rc)
			return rc;
		if (old) {
			verr_set(err, "status",
				 "el ticket se cerró hace tiempo: escriba en "
				 "un ticket nuevo");
			return AY_ECONFLICT;
		}
	}
	rc = insert_message(db, t.id, m.author_id ? m.author_id : a->user_id,
			    &m, ay_now(), message_id);
	if (rc)
		return rc;
	rc = db_run(db, NULL, NULL,
		    "UPDATE tickets SET updated_at = $1 WHERE id = $2", "ii",
		    ay_now(), t.id);
	if (rc)
		return rc;
	/* The author's draft of this kind is sent: it goes. */
	if (!strcmp(m.kind, "reply") || !strcmp(m.kind, "note"))
		rc = draft_sent(db, m.author_id ? m.author_id : a->user_id,
				t.id, m.kind);
	if (rc)
		return rc;
	data = json_pack("{s:s}", "kind", m.kind);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, t.id, m.author_id ? m.author_id : a->user_id,
		       "message.added", data);
	json_decref(data);
	if (rc)
		return rc;
	/* A customer writing on a waiting, solved or recently closed ticket
	 * reopens it (policy 7.17.13); an agent's first public answer opens
	 * a new one. */
	reopened =
		!strcmp(m.kind, "customer") &&
		(!strcmp(t.status, "resolved") || !strcmp(t.status, "closed"));
	if (!strcmp(m.kind, "customer") &&
	    (reopened || !strcmp(t.status, "pending_customer")))
		rc = set_status(db, a, &t, "open");
	if (!rc)
		rc = sla_on_message(db, t.id, m.kind, ay_now());
	/* A customer who names their portal later is placed then. */
	if (!rc && !strcmp(m.kind, "customer"))
		rc = suggest_for_ticket(db, t.id, &m.body, 1);
	if (!rc && !strcmp(m.kind, "reply"))
		rc = review_answered(db, t.id,
				     m.author_id ? m.author_id : a->user_id);
	if (rc)
		return rc;
	/* An out-of-scope question is answered and closed: one mail with
	 * the answer, the reason and the survey (policy 4.3). */
	if (!strcmp(m.kind, "reply") && !strcmp(t.category, "out_of_scope"))
		return answer_and_close(db, a, &t, number,
					message_id ? *message_id : 0);
	if (!strcmp(m.kind, "reply") && !strcmp(t.status, "new"))
		rc = set_status(db, a, &t, "open");
	if (rc || !strcmp(m.kind, "note") || !strcmp(m.kind, "system") ||
	    (!strcmp(m.kind, "customer") && m.quiet))
		return rc;
	/* The customer hears about an answer; a customer's comment is
	 * acknowledged, saying it is handled under their SLA: at most once
	 * per ticket in comment_notice_minutes, so a burst of replies gets
	 * one notice, unless it reopened the ticket. */
	if (!strcmp(m.kind, "customer") && !reopened) {
		bool recent;

		rc = notice_recent(db, t.id, m.cfg, &recent);
		if (rc || recent)
			return rc;
	}
	data = json_pack("{s:I,s:I,s:b}", "number", (json_int_t)number,
			 "message", (json_int_t)(message_id ? *message_id : 0),
			 "reopened", reopened);
	if (!data)
		return AY_ENOMEM;
	rc = outbox_add(db,
			!strcmp(m.kind, "reply") ? "agent_reply"
						 : "comment_received",
			t.id, NULL, data);
	json_decref(data);
	return rc;
}

/* The messages of ticket tid as the actor may see them (no access check:
 * the caller made it). */
static json_t *message_row(struct db_stmt *s, void *arg)
{
	json_t *m = json_pack(
		"{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)db_col_int(s, 0),
		"kind", db_col_text(s, 1), "body", db_col_text(s, 2), "channel",
		db_col_text(s, 3), "created_at", json_col_time(s, 4), "author",
		person(s, 5, 6, 7));

	(void)arg;
	/* Mail: the text with its quoted history, and whether an HTML
	 * original can be shown (sandboxed). */
	if (m && !db_col_null(s, 8))
		json_object_set_new(m, "body_full", json_col_text(s, 8));
	if (m && db_col_int(s, 9))
		json_object_set_new(m, "has_html", json_true());
	return m;
}

static json_t *attachment_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack(
		"{s:I,s:I,s:s,s:s,s:I,s:b}", "id", (json_int_t)db_col_int(s, 0),
		"message", (json_int_t)db_col_int(s, 1), "filename",
		db_col_text(s, 2), "content_type", db_col_text(s, 3), "size",
		(json_int_t)db_col_int(s, 4), "inline", (int)db_col_int(s, 5));
}

/* Put each attachment in the "attachments" list of its message. */
static void attach_to_messages(json_t *msgs, json_t *atts)
{
	size_t i, j;
	json_t *m, *at;

	json_array_foreach (msgs, i, m) {
		json_t *list = json_array();
		int64_t id = json_integer_value(json_object_get(m, "id"));

		json_array_foreach (atts, j, at) {
			if (json_integer_value(
				    json_object_get(at, "message")) == id)
				json_array_append(list, at);
		}
		json_object_set_new(m, "attachments", list);
	}
}

static ay_rc messages_json(struct db *db, const struct actor *a, int64_t tid,
			   json_t **out)
{
	json_t *atts = NULL;
	ay_rc rc;

	rc = db_rows_json(db, message_row, NULL, out, messages_sql, "ii", tid,
			  (int64_t)actor_is_staff(a));
	if (!rc)
		rc = db_rows_json(db, attachment_row, NULL, &atts,
				  attachments_sql, "i", tid);
	if (!rc)
		attach_to_messages(*out, atts);
	json_decref(atts);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

ay_rc ticket_messages(struct db *db, const struct actor *a, int64_t number,
		      json_t **out)
{
	int64_t tid;
	ay_rc rc = ticket_lookup(db, a, number, &tid);

	*out = NULL;
	return rc ? rc : messages_json(db, a, tid, out);
}

ay_rc ticket_events(struct db *db, const struct actor *a, int64_t number,
		    json_t **out)
{
	int64_t tid;
	ay_rc rc;

	*out = NULL;
	if (!access_history(a))
		return AY_ENOTFOUND;
	rc = ticket_lookup(db, a, number, &tid);
	if (rc)
		return rc;
	return db_rows_json(db, event_row_json, NULL, out,
			    "SELECT id, kind, data, actor_id, created_at FROM"
			    " events WHERE ticket_id = $1 ORDER BY id",
			    "i", tid);
}

ay_rc ticket_mail_failed(struct db *db, int64_t ticket_id, const char *kind,
			 const char *recipient, const char *why, int64_t at)
{
	char note[600];
	ay_rc rc;

	/* An internal note, as a bounce is: the remote server's words and
	 * the address are for the staff. */
	snprintf(note, sizeof(note),
		 "No se pudo entregar el correo «%s» a %s: %s", kind,
		 recipient ? recipient : "-", why);
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO messages (ticket_id, kind, body,"
		    " channel, created_at) VALUES ($1, 'note', $2,"
		    " 'mail', $3)",
		    "isi", ticket_id, note, at);
	if (!rc)
		rc = event_add(db, ticket_id, 0, "mail.failed", NULL);
	return rc;
}
