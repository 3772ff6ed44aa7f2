/* Suggesting the company of an unidentified requester. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "domain/company.h"
#include "domain/company_ids.h"
#include "domain/sla.h"
#include "domain/suggest.h"
#include "domain/ticket.h"
#include "util/i18n.h"

#define MAX_HOSTS 200 /* host names looked up in one request, at most */

struct match {
	int64_t company;
	const char *basis; /* instance, domain */
	char value[256];
};

static bool host_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.';
}

/* The first company whose instance host is named in text. *budget counts
 * down the host names looked up. */
static ay_rc find_instance(struct db *db, const char *text, int *budget,
			   struct match *m)
{
	const char *p = text;
	ay_rc rc = AY_OK;

	while (!rc && *p && !m->company && *budget > 0) {
		struct db_stmt *s = NULL;
		const char *start;
		char word[256], host[256];
		bool row = false;
		size_t n;

		while (*p && !host_char((unsigned char)*p))
			p++;
		start = p;
		while (host_char((unsigned char)*p))
			p++;
		n = (size_t)(p - start);
		if (n < 4 || n >= sizeof(word) || !memchr(start, '.', n))
			continue;
		memcpy(word, start, n);
		word[n] = '\0';
		if (!company_ids_host(word, host))
			continue;
		(*budget)--;
		rc = db_run(db, &s, &row,
			    "SELECT company_id FROM company_ids"
			    " WHERE kind = 'instance' AND value = $1"
			    " ORDER BY company_id LIMIT 1",
			    "s", host);
		if (!rc && row) {
			m->company = db_col_int(s, 0);
			m->basis = "instance";
			snprintf(m->value, sizeof(m->value), "%s", host);
		}
		db_reset(s);
	}
	return rc;
}

/* The first company whose "domains" (separated by commas, semicolons or
 * blanks) hold the domain of email. */
static ay_rc find_domain(struct db *db, const char *email, struct match *m)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	struct db_stmt *s = NULL;
	char domain[256];
	bool row = false;
	ay_rc rc;

	if (!at || !company_ids_host(at + 1, domain))
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT id FROM companies WHERE ','"
		    " || replace(replace(replace(lower(domains), ' ', ','),"
		    " ';', ','), '@', '') || ',' LIKE '%,' || $1 || ',%'"
		    " ORDER BY id LIMIT 1",
		    "s", domain);
	if (!rc && row) {
		m->company = db_col_int(s, 0);
		m->basis = "domain";
		snprintf(m->value, sizeof(m->value), "%s", domain);
	}
	db_reset(s);
	return rc;
}

ay_rc suggest_for_ticket(struct db *db, int64_t ticket_id,
			 const char *const *texts, size_t n)
{
	struct db_stmt *s = NULL;
	struct match m = {0};
	char email[256] = "";
	int budget = MAX_HOSTS;
	json_t *data;
	bool row = false, skip;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT u.email, u.company_id IS NOT NULL OR EXISTS"
		    " (SELECT 1 FROM ticket_suggestions WHERE ticket_id = t.id)"
		    " FROM tickets t JOIN users u ON u.id = t.requester_id"
		    " WHERE t.id = $1",
		    "i", ticket_id);
	if (rc || !row)
		return rc;
	snprintf(email, sizeof(email), "%s", db_col_text(s, 0));
	skip = db_col_int(s, 1) != 0;
	db_reset(s);
	if (skip)
		return AY_OK;
	for (size_t i = 0; !rc && !m.company && i < n; i++)
		if (texts[i])
			rc = find_instance(db, texts[i], &budget, &m);
	if (!rc && !m.company)
		rc = find_domain(db, email, &m);
	if (rc || !m.company)
		return rc;
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO ticket_suggestions (ticket_id, company_id,"
		    " basis, value, created_at) VALUES ($1, $2, $3, $4, $5)",
		    "iissi", ticket_id, m.company, m.basis, m.value, ay_now());
	if (rc)
		return rc;
	data = json_pack("{s:I,s:s,s:s}", "company", (json_int_t)m.company,
			 "basis", m.basis, "value", m.value);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, ticket_id, 0, "ticket.company_suggested", data);
	json_decref(data);
	return rc;
}

static const char suggest_sql[] =
	"SELECT c.id, c.name, g.basis, g.value, g.state"
	" FROM ticket_suggestions g JOIN companies c"
	" ON c.id = g.company_id WHERE g.ticket_id = $1";

ay_rc suggest_prefetch(struct db *db, int64_t ticket_id)
{
	return db_prefetch(db, suggest_sql, "i", ticket_id);
}

ay_rc suggest_json(struct db *db, int64_t ticket_id, const char *lang,
		   json_t **out)
{
	struct db_stmt *s = NULL;
	char reason[600];
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row, suggest_sql, "i", ticket_id);
	if (rc)
		return rc;
	if (!row) {
		*out = json_null();
		return AY_OK;
	}
	snprintf(reason, sizeof(reason),
		 !strcmp(db_col_text(s, 2), "instance")
			 ? _L(lang, "posible empresa: %s, por su portal %s")
			 : _L(lang, "posible empresa: %s, por el dominio de "
				    "su correo %s"),
		 db_col_text(s, 1), db_col_text(s, 3));
	*out = json_pack("{s:{s:I,s:s},s:s,s:s,s:s,s:s}", "company", "id",
			 (json_int_t)db_col_int(s, 0), "name",
			 db_col_text(s, 1), "basis", db_col_text(s, 2), "value",
			 db_col_text(s, 3), "reason", reason, "state",
			 db_col_text(s, 4));
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

/* The open suggestion of a ticket staff may change: its ticket id,
 * company and requester. */
static ay_rc open_suggestion(struct db *db, const struct actor *a,
			     int64_t number, int64_t *tid, int64_t *company,
			     int64_t *requester, struct verr *err)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = ticket_lookup(db, a, number, tid);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT g.company_id, t.requester_id FROM"
			    " ticket_suggestions g JOIN tickets t ON t.id ="
			    " g.ticket_id WHERE g.ticket_id = $1"
			    " AND g.state = 'open'",
			    "i", *tid);
	if (rc)
		return rc;
	if (!row) {
		verr_set(err, "suggestion",
			 "el ticket no tiene una sugerencia pendiente");
		return AY_ECONFLICT;
	}
	*company = db_col_int(s, 0);
	*requester = db_col_int(s, 1);
	db_reset(s);
	return AY_OK;
}

static ay_rc decide(struct db *db, const struct actor *a, int64_t tid,
		    const char *state, json_t *data)
{
	ay_rc rc = db_run(db, NULL, NULL,
			  "UPDATE ticket_suggestions SET state = $1,"
			  " decided_by = $2, decided_at = $3"
			  " WHERE ticket_id = $4",
			  "siii", state, a->user_id, ay_now(), tid);

	if (!rc)
		rc = event_add(db, tid, a->user_id,
			       !strcmp(state, "confirmed")
				       ? "ticket.company_confirmed"
				       : "ticket.company_dismissed",
			       data);
	return rc;
}

ay_rc suggest_confirm(struct db *db, const struct actor *a, int64_t number,
		      bool contact, struct verr *err)
{
	int64_t tid, company, requester;
	json_t *data;
	ay_rc rc;

	rc = open_suggestion(db, a, number, &tid, &company, &requester, err);
	if (rc)
		return rc;
	/* The requester had no company when it was suggested; one given
	 * since then is not replaced. */
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET company_id = $2 WHERE id = $1"
		    " AND (company_id IS NULL OR company_id = $2)",
		    "ii", requester, company);
	if (!rc && !db_changes(db)) {
		verr_set(err, "suggestion",
			 "el solicitante ya pertenece a otra compañía");
		return AY_ECONFLICT;
	}
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET company_id = $2"
			    " WHERE requester_id = $1 AND company_id IS NULL",
			    "ii", requester, company);
	if (!rc && contact)
		rc = company_endorse(db, a->user_id, company, requester, err);
	data = rc ? NULL
		  : json_pack("{s:I,s:I,s:b}", "company", (json_int_t)company,
			      "user", (json_int_t)requester, "contact",
			      contact);
	if (!rc && !data)
		rc = AY_ENOMEM;
	if (!rc)
		rc = decide(db, a, tid, "confirmed", data);
	json_decref(data);
	if (!rc)
		rc = sla_reassess(db, a->user_id, tid, ay_now());
	if (!rc)
		rc = sla_reassess_requester(db, a->user_id, requester, tid);
	return rc;
}

ay_rc suggest_dismiss(struct db *db, const struct actor *a, int64_t number,
		      struct verr *err)
{
	int64_t tid, company, requester;
	ay_rc rc;

	rc = open_suggestion(db, a, number, &tid, &company, &requester, err);
	return rc ? rc : decide(db, a, tid, "dismissed", NULL);
}
