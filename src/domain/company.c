/* Companies as the commercial side sees them (license, partner tier,
 * consultant, maximum of support contacts), their endorsed support
 * contacts, and SLA inclusion requests. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/company.h"
#include "domain/company_ids.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "domain/user.h"
#include "util/buf.h"

static json_t *int_or_null(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

/* The columns company_row reads, then more (a text of ", col"). */
#define COMPANY_SELECT_FROM(more)                                              \
	"SELECT c.id, c.name, c.domains, c.license_product, c.license_plan,"   \
	" c.license_status, c.license_expires_at, c.license_email,"            \
	" c.partner_tier, c.partner_active, c.consultant_id, cu.name,"         \
	" c.max_contacts, c.admin_contact_id,"                                 \
	" (SELECT COUNT(*) FROM users x WHERE x.company_id = c.id"             \
	"  AND x.is_contact = 1), c.created_at" more                           \
	" FROM companies c LEFT JOIN users cu ON cu.id = c.consultant_id"
#define COMPANY_SELECT COMPANY_SELECT_FROM("")

static json_t *company_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack(
		"{s:I,s:s,s:s,s:{s:o,s:o,s:o,s:o,s:o},s:{s:o,s:b},s:o,s:I,"
		"s:I,s:o,s:o}",
		"id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
		"domains", db_col_text(s, 2), "license", "product",
		json_col_text(s, 3), "plan", json_col_text(s, 4), "status",
		json_col_text(s, 5), "expires_at", json_col_time(s, 6), "email",
		json_col_text(s, 7), "partner", "tier", json_col_text(s, 8),
		"active", (int)db_col_int(s, 9), "consultant",
		db_col_null(s, 10) ? json_null()
				   : json_pack("{s:I,s:s}", "id",
					       (json_int_t)db_col_int(s, 10),
					       "name", db_col_text(s, 11)),
		"max_contacts", (json_int_t)db_col_int(s, 12), "contacts",
		(json_int_t)db_col_int(s, 14), "admin_contact_id",
		int_or_null(s, 13), "created_at", json_col_time(s, 15));
}

/* Add the licence addresses ("license": {"emails"}) and the instance
 * URLs ("instances") to the company object c. */
static ay_rc add_ids(struct db *db, json_t *c)
{
	int64_t id = json_integer_value(json_object_get(c, "id"));
	json_t *emails = NULL, *instances = NULL;
	ay_rc rc;

	rc = company_ids_json(db, id, CID_LICENSE_EMAIL, &emails);
	if (!rc)
		rc = company_ids_json(db, id, CID_INSTANCE, &instances);
	if (!rc) {
		json_object_set_new(json_object_get(c, "license"), "emails",
				    emails);
		json_object_set_new(c, "instances", instances);
		return AY_OK;
	}
	json_decref(emails);
	return rc;
}

/* The licence address column shows the first registered one. */
static ay_rc sync_license_email(struct db *db, int64_t id)
{
	return db_run(db, NULL, NULL,
		      "UPDATE companies SET license_email = (SELECT value FROM"
		      " company_ids WHERE company_id = $1 AND kind ="
		      " 'license_email' ORDER BY created_at, value LIMIT 1)"
		      " WHERE id = $1",
		      "i", id);
}

ay_rc company_json(struct db *db, const struct actor *a, int64_t id,
		   json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = access_company(db, a, id, ACCESS_READ);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row, COMPANY_SELECT " WHERE c.id = $1", "i", id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*out = company_row(s, NULL);
	db_reset(s);
	rc = *out ? add_ids(db, *out) : AY_ENOMEM;
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* A row of the list; arg (int64_t *) gets the total of the last column. */
static json_t *company_page_row(struct db_stmt *s, void *arg)
{
	*(int64_t *)arg = db_col_int(s, 16);
	return company_row(s, NULL);
}

ay_rc company_list(struct db *db, const struct actor *a,
		   const struct company_filter *f, json_t **out, int64_t *total)
{
	char *like = user_like_pattern(f->q);
	json_t *c;
	size_t i;
	ay_rc rc;

	*out = NULL;
	*total = 0;
	if (!like)
		return AY_ENOMEM;
	/* Who sees which company ($1 staff, $2 the caller's company), and
	 * the filter ($3: a LIKE pattern on the name, the domains or a
	 * licence address). */
	rc = db_rows_json(
		db, company_page_row, total, out,
		COMPANY_SELECT_FROM(
			", COUNT(*) OVER ()") " WHERE ($1 = 1 OR c.id = $2) "
					      "AND ($3 = ''"
					      " OR ay_fold(c.name) LIKE "
					      "ay_fold($3) ESCAPE '\\'"
					      " OR ay_fold(c.domains) LIKE "
					      "ay_fold($3) ESCAPE '\\'"
					      " OR EXISTS (SELECT 1 FROM "
					      "company_ids i"
					      "  WHERE i.company_id = c.id"
					      "  AND ay_fold(i.value) LIKE "
					      "ay_fold($3) ESCAPE '\\'))"
					      " ORDER BY ay_fold(c.name), c.id "
					      "LIMIT $4 OFFSET $5",
		"iisii", (int64_t)actor_is_staff(a), a->company_id, like,
		f->limit, f->offset);
	free(like);
	json_array_foreach (rc ? NULL : *out, i, c) {
		rc = add_ids(db, c);
		if (rc)
			break;
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Whether v is one of list (NULL-terminated); a missing v (NULL) is. */
static bool one_of(const char *v, const char *const *list)
{
	if (!v)
		return true;
	for (; *list; list++)
		if (!strcmp(v, *list))
			return true;
	return false;
}

/* Columns an admin may change, with the values each accepts. */
struct field {
	const char *key;
	char type; /* 's' text, 'e' enumerated text, 'b' bool, 'i' int,
		      'u' user id, 't' time (Unix seconds or YYYY-MM-DD) */
	const char *const *values;
};

static const char *const products[] = {"cloud", "self_hosted", "site_manager",
				       NULL};
static const char *const plans[] = {
	"free", "crm_plus", "standard", "professional", "demo", "nfr", NULL};
static const char *const lstatus[] = {"active", "expired", "none", NULL};
static const char *const tiers[] = {"bronze", "silver", "gold", NULL};

static const struct field fields[] = {
	{"name", 's', NULL},
	{"domains", 's', NULL},
	{"license_product", 'e', products},
	{"license_plan", 'e', plans},
	{"license_status", 'e', lstatus},
	{"license_expires_at", 't', NULL},
	{"partner_tier", 'e', tiers},
	{"partner_active", 'b', NULL},
	{"consultant_id", 'u', NULL},
	{"max_contacts", 'i', NULL},
	{"admin_contact_id", 'u', NULL},
};

static ay_rc parse_day(const char *s, int64_t *t)
{
	struct tm tm = {0};
	char *end;

	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return AY_EINVAL;
	*t = (int64_t)timegm(&tm);
	return AY_OK;
}

/* Check one change and bind it: *text or *num, *null. */
static ay_rc field_value(struct db *db, int64_t company, const struct field *f,
			 json_t *v, const char **text, int64_t *num, bool *null,
			 struct verr *err)
{
	struct actor who;

	*text = NULL;
	*num = 0;
	*null = json_is_null(v);
	if (*null &&
	    (!strcmp(f->key, "name") || f->type == 'b' || f->type == 'i'))
		goto bad;
	if (*null)
		return AY_OK;
	switch (f->type) {
	case 's':
	case 'e':
		if (!json_is_string(v))
			goto bad;
		*text = json_string_value(v);
		if (strlen(*text) > 254 || !ay_utf8_valid(*text, strlen(*text)))
			goto bad;
		if (f->type == 'e' && !one_of(*text, f->values))
			goto bad;
		if (!strcmp(f->key, "name") && !**text)
			goto bad;
		return AY_OK;
	case 'b':
		if (!json_is_boolean(v))
			goto bad;
		*num = json_is_true(v);
		return AY_OK;
	case 'i':
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 10000)
			goto bad;
		*num = json_integer_value(v);
		return AY_OK;
	case 't':
		if (json_is_integer(v)) {
			*num = json_integer_value(v);
			return AY_OK;
		}
		if (json_is_string(v) && !parse_day(json_string_value(v), num))
			return AY_OK;
		goto bad;
	case 'u':
		if (!json_is_integer(v) ||
		    actor_load(db, json_integer_value(v), &who))
			goto bad;
		*num = json_integer_value(v);
		/* The consultant is an agent; the admin contact one of the
		 * company's own people. */
		if (!strcmp(f->key, "consultant_id") && !actor_is_staff(&who))
			goto bad;
		if (!strcmp(f->key, "admin_contact_id") &&
		    who.company_id != company)
			goto bad;
		return AY_OK;
	}
bad:
	snprintf(err->field, sizeof(err->field), "%s", f->key);
	snprintf(err->msg, sizeof(err->msg), "valor no válido para «%s»",
		 f->key);
	return AY_EINVAL;
}

/* A change of the licence addresses ("license_emails": a list;
 * "license_email": one, or null) or the instance URLs ("instances").
 * AY_ENOTFOUND when key is none of those. */
static ay_rc ids_change(struct db *db, int64_t id, const char *key, json_t *v,
			struct verr *err)
{
	ay_rc rc;

	if (!strcmp(key, "instances"))
		return company_ids_set(db, id, CID_INSTANCE, v, key, err);
	if (strcmp(key, "license_emails") && strcmp(key, "license_email"))
		return AY_ENOTFOUND;
	if (!strcmp(key, "license_email") && !json_is_string(v) &&
	    !json_is_null(v)) {
		verr_set(err, key, "se espera una dirección o null");
		return AY_EINVAL;
	}
	rc = company_ids_set(db, id, CID_LICENSE_EMAIL, v, key, err);
	return rc ? rc : sync_license_email(db, id);
}

ay_rc company_update(struct db *db, int64_t actor_id, int64_t id,
		     json_t *changes, struct verr *err)
{
	static const struct actor root = {.role = ROLE_ADMIN};
	json_t *before = NULL, *after = NULL, *data = NULL, *v;
	const char *key;
	ay_rc rc;

	rc = company_json(db, &root, id, &before);
	if (rc)
		return rc;
	json_object_foreach (changes, key, v) {
		const struct field *f = NULL;
		const char *text;
		int64_t num;
		bool null;
		char sql[160];

		rc = ids_change(db, id, key, v, err);
		if (rc == AY_OK)
			continue;
		if (rc != AY_ENOTFOUND)
			goto out;
		rc = AY_OK;
		for (size_t i = 0; i < AY_ARRAY_LEN(fields); i++)
			if (!strcmp(fields[i].key, key))
				f = &fields[i];
		if (!f) {
			verr_set(err, "field", "campo desconocido");
			snprintf(err->field, sizeof(err->field), "%.31s", key);
			rc = AY_EINVAL;
			goto out;
		}
		rc = field_value(db, id, f, v, &text, &num, &null, err);
		if (rc)
			goto out;
		snprintf(sql, sizeof(sql),
			 "UPDATE companies SET %s = $2, updated_at = $3"
			 " WHERE id = $1",
			 f->key);
		if (null)
			rc = db_run(db, NULL, NULL, sql, "ini", id, ay_now());
		else if (text)
			rc = db_run(db, NULL, NULL, sql, "isi", id, text,
				    ay_now());
		else
			rc = db_run(db, NULL, NULL, sql, "iii", id, num,
				    ay_now());
		if (rc == AY_ECONFLICT)
			verr_set(err, "name",
				 "ya existe una compañía con ese nombre");
		if (rc)
			goto out;
	}
	rc = company_json(db, &root, id, &after);
	if (rc)
		goto out;
	data = json_pack("{s:I,s:O,s:O}", "company", (json_int_t)id, "before",
			 before, "after", after);
	if (!data) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = event_add(db, 0, actor_id, "admin.company_updated", data);
out:
	json_decref(before);
	json_decref(after);
	json_decref(data);
	return rc;
}

static json_t *contact_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:I,s:s,s:s,s:o,s:o}", "id",
			 (json_int_t)db_col_int(s, 0), "name",
			 db_col_text(s, 1), "email", db_col_text(s, 2),
			 "position", json_col_text(s, 3), "endorsed_at",
			 json_col_time(s, 4));
}

ay_rc company_contacts(struct db *db, int64_t id, json_t **out)
{
	return db_rows_json(db, contact_row, NULL, out,
			    "SELECT u.id, u.name, u.email, u.position,"
			    " u.endorsed_at FROM users u WHERE u.company_id ="
			    " $1 AND u.is_contact = 1 ORDER BY u.id",
			    "i", id);
}

/* Link user_id to company id (when not yet in a company) and endorse. */
static ay_rc endorse(struct db *db, int64_t actor_id, int64_t id,
		     int64_t user_id, bool may_link, struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t max = 0, have = 0;
	struct actor who;
	json_t *data;
	bool row = false;
	ay_rc rc;

	rc = actor_load(db, user_id, &who);
	if (rc == AY_ENOTFOUND || (!rc && who.role != ROLE_CUSTOMER)) {
		verr_set(err, "user_id",
			 "solo un cliente puede ser contacto de soporte");
		return AY_EINVAL;
	}
	if (rc)
		return rc;
	if (who.company_id != id && (who.company_id || !may_link)) {
		verr_set(err, "user_id",
			 "el usuario no pertenece a esta compañía");
		return AY_EINVAL;
	}
	if (who.company_id == id && who.is_contact)
		return AY_OK; /* already endorsed */
	rc = db_run(db, &s, &row,
		    "SELECT max_contacts, (SELECT COUNT(*) FROM users"
		    " WHERE company_id = $1 AND is_contact = 1)"
		    " FROM companies WHERE id = $1",
		    "i", id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	max = db_col_int(s, 0);
	have = db_col_int(s, 1);
	db_reset(s);
	if (have >= max) {
		snprintf(err->field, sizeof(err->field), "max_contacts");
		snprintf(err->msg, sizeof(err->msg),
			 "la compañía ya tiene %lld de %lld contactos de "
			 "soporte; el máximo lo fija su consultor comercial",
			 (long long)have, (long long)max);
		return AY_ECONFLICT;
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET company_id = $2, is_contact = 1,"
		    " endorsed_by = $3, endorsed_at = $4 WHERE id = $1",
		    "iiIi", user_id, id, actor_id, ay_now());
	if (rc)
		return rc;
	data = json_pack(
		"{s:I,s:I,s:b,s:{s:o,s:b,s:I},s:{s:I,s:b,s:I}}", "company",
		(json_int_t)id, "user", (json_int_t)user_id, "linked",
		who.company_id != id, "before", "company_id",
		who.company_id ? json_integer(who.company_id) : json_null(),
		"support_contact", false, "contacts", (json_int_t)have, "after",
		"company_id", (json_int_t)id, "support_contact", true,
		"contacts", (json_int_t)have + 1);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "company.contact_endorsed", data);
	json_decref(data);
	return rc;
}

ay_rc company_endorse(struct db *db, int64_t actor_id, int64_t id,
		      int64_t user_id, struct verr *err)
{
	struct actor a;
	ay_rc rc;

	/* The system (the command line, run by the operator) links as staff
	 * does; the cap holds for everyone. */
	if (!actor_id)
		return endorse(db, 0, id, user_id, true, err);
	rc = actor_load(db, actor_id, &a);
	if (rc)
		return rc;
	return endorse(db, actor_id, id, user_id, actor_is_staff(&a), err);
}

ay_rc company_unendorse(struct db *db, int64_t actor_id, int64_t id,
			int64_t user_id)
{
	json_t *data;
	ay_rc rc;

	rc = db_run(db, NULL, NULL,
		    "UPDATE users SET is_contact = 0, endorsed_by = NULL,"
		    " endorsed_at = NULL WHERE id = $1 AND company_id = $2"
		    " AND is_contact = 1",
		    "ii", user_id, id);
	if (rc)
		return rc;
	if (db_changes(db) == 0)
		return AY_ENOTFOUND;
	data = json_pack("{s:I,s:I,s:{s:b},s:{s:b}}", "company", (json_int_t)id,
			 "user", (json_int_t)user_id, "before",
			 "support_contact", true, "after", "support_contact",
			 false);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "company.contact_removed", data);
	json_decref(data);
	return rc;
}

/* --- SLA inclusion requests --- */

/* A form field: some text besides blanks, at most 500 bytes of UTF-8. */
static bool field_ok(const char *v)
{
	return v && v[strspn(v, " \t\r\n")] && strlen(v) <= 500 &&
	       ay_utf8_valid(v, strlen(v));
}

/* The two inclusion forms: commercial (policy 2.3.4: name, position,
 * company, consultant) and non-commercial (3.6.3: name, position, company,
 * contact data, instance). */
enum { FORM_COMMERCIAL = 1, FORM_NON_COMMERCIAL = 2, FORM_BOTH = 3 };

static ay_rc inclusion_check(const struct inclusion_new *in, struct verr *err)
{
	static const struct {
		const char *key, *msg;
		size_t off;
		unsigned forms; /* the forms that ask for it */
	} req[] = {
		{"full_name", "indique su nombre completo",
		 offsetof(struct inclusion_new, full_name), FORM_BOTH},
		{"position", "indique su cargo en la empresa",
		 offsetof(struct inclusion_new, position), FORM_BOTH},
		{"company_name", "indique el nombre completo de la empresa",
		 offsetof(struct inclusion_new, company_name), FORM_BOTH},
		{"consultant", "indique el nombre de su consultor Bitrix24",
		 offsetof(struct inclusion_new, consultant), FORM_COMMERCIAL},
		{"contact_data",
		 "indique sus datos de contacto (teléfonos, dirección, email)",
		 offsetof(struct inclusion_new, contact_data),
		 FORM_NON_COMMERCIAL},
		{"instance",
		 "indique su instancia Bitrix24 o los datos de su instalación",
		 offsetof(struct inclusion_new, instance), FORM_NON_COMMERCIAL},
	};
	char msg[160];
	bool nc;

	if (!in->kind || (strcmp(in->kind, "commercial") &&
			  strcmp(in->kind, "non_commercial"))) {
		verr_set(err, "kind",
			 "tipo de solicitud: commercial o non_commercial");
		return AY_EINVAL;
	}
	nc = !strcmp(in->kind, "non_commercial");
	for (size_t i = 0; i < AY_ARRAY_LEN(req); i++) {
		const char *v =
			*(const char *const *)((const char *)in + req[i].off);

		if (!(req[i].forms &
		      (nc ? FORM_NON_COMMERCIAL : FORM_COMMERCIAL))) {
			/* Each form asks exactly for the policy's fields. */
			if (!v || !*v)
				continue;
			snprintf(msg, sizeof(msg),
				 "la solicitud de inclusión %s no lleva «%s»",
				 nc ? "no comercial" : "comercial", req[i].key);
			verr_set(err, req[i].key, msg);
			return AY_EINVAL;
		}
		if (!field_ok(v)) {
			verr_set(err, req[i].key, req[i].msg);
			return AY_EINVAL;
		}
	}
	if (in->body && !ay_utf8_valid(in->body, strlen(in->body))) {
		verr_set(err, "body", "el mensaje no es UTF-8 válido");
		return AY_EINVAL;
	}
	return AY_OK;
}

ay_rc inclusion_create(struct db *db, const struct actor *a,
		       const struct inclusion_new *in, int64_t *number,
		       struct verr *err)
{
	bool nc = in->kind && !strcmp(in->kind, "non_commercial");
	struct ticket_new t = {.category = "sla_inclusion", .channel = "api"};
	char subject[300];
	struct buf body;
	int64_t tid;
	ay_rc rc;

	rc = inclusion_check(in, err);
	if (rc)
		return rc;
	buf_init(&body, AY_BODY_MAX);
	rc = buf_addf(&body,
		      "Solicitud de inclusión en el SLA %s\n\n"
		      "Nombre completo: %s\nCargo: %s\nEmpresa: %s\n",
		      nc ? "cliente no comercial" : "clientes comerciales",
		      in->full_name, in->position, in->company_name);
	if (!rc && !nc)
		rc = buf_addf(&body, "Consultor Bitrix24: %s\n",
			      in->consultant);
	if (!rc && nc)
		rc = buf_addf(&body, "Datos de contacto: %s\nInstancia: %s\n",
			      in->contact_data, in->instance);
	if (!rc && in->body && *in->body)
		rc = buf_addf(&body, "\n%s\n", in->body);
	if (rc)
		return rc;
	snprintf(subject, sizeof(subject), "Inclusión en el SLA: %.150s",
		 in->company_name);
	t.subject = subject;
	t.body = buf_str(&body);
	rc = ticket_create(db, a, &t, number, err);
	if (!rc)
		rc = ticket_lookup(db, a, *number, &tid);
	if (!rc)
		rc = db_run(
			db, NULL, NULL,
			"INSERT INTO inclusion_requests (ticket_id, user_id,"
			" kind, full_name, position, company_name,"
			" consultant, contact_data, instance, created_at)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			"iisssssssi", tid, a->user_id, in->kind, in->full_name,
			in->position, in->company_name,
			nc ? "" : in->consultant, nc ? in->contact_data : NULL,
			nc ? in->instance : NULL, ay_now());
	buf_release(&body);
	return rc;
}

ay_rc inclusion_json(struct db *db, int64_t ticket_id, json_t **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*out = NULL;
	rc = db_run(db, &s, &row,
		    "SELECT kind, full_name, position, company_name,"
		    " consultant, contact_data, instance, state, company_id,"
		    " decided_by, decided_at, created_at, user_id"
		    " FROM inclusion_requests WHERE ticket_id = $1",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	*out = json_pack(
		"{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,"
		"s:I}",
		"kind", db_col_text(s, 0), "full_name", db_col_text(s, 1),
		"position", db_col_text(s, 2), "company_name",
		db_col_text(s, 3), "consultant",
		strcmp(db_col_text(s, 0), "commercial") ? json_null()
							: json_col_text(s, 4),
		"contact_data", json_col_text(s, 5), "instance",
		json_col_text(s, 6), "state", db_col_text(s, 7), "company_id",
		int_or_null(s, 8), "decided_by", int_or_null(s, 9),
		"decided_at", json_col_time(s, 10), "created_at",
		json_col_time(s, 11), "user_id", (json_int_t)db_col_int(s, 12));
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

static json_t *id_name(struct db_stmt *s, int i)
{
	return db_col_null(s, i) ? json_null()
				 : json_pack("{s:I,s:s}", "id",
					     (json_int_t)db_col_int(s, i),
					     "name", db_col_text(s, i + 1));
}

static json_t *request_row(struct db_stmt *s, void *arg)
{
	json_t *o;

	(void)arg;
	o = json_pack(
		"{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "number",
		(json_int_t)db_col_int(s, 0), "subject", db_col_text(s, 1),
		"status", db_col_text(s, 2), "kind", db_col_text(s, 3),
		"full_name", db_col_text(s, 4), "position", db_col_text(s, 5),
		"company_name", db_col_text(s, 6), "consultant",
		strcmp(db_col_text(s, 3), "commercial") ? json_null()
							: json_col_text(s, 7),
		"contact_data", json_col_text(s, 8), "instance",
		json_col_text(s, 9), "created_at", json_col_time(s, 11));
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(db_col_text(s, 10)));
	json_object_set_new(o, "requester",
			    json_pack("{s:I,s:s,s:s,s:o}", "id",
				      (json_int_t)db_col_int(s, 12), "name",
				      db_col_text(s, 13), "email",
				      db_col_text(s, 14), "company",
				      id_name(s, 15)));
	json_object_set_new(o, "suggested_company", id_name(s, 17));
	return o;
}

ay_rc inclusion_list(struct db *db, const struct actor *a, const char *state,
		     json_t **out)
{
	*out = NULL;
	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	/* The company to approve into: the requester's own, else the one
	 * whose name the request gives (any case). */
	return db_rows_json(
		db, request_row, NULL, out,
		"SELECT t.number, t.subject, t.status, r.kind, r.full_name,"
		" r.position, r.company_name, r.consultant, r.contact_data,"
		" r.instance, r.state, r.created_at, u.id, u.name, u.email,"
		" uc.id, uc.name, sc.id, sc.name"
		" FROM inclusion_requests r"
		" JOIN tickets t ON t.id = r.ticket_id"
		" JOIN users u ON u.id = r.user_id"
		" LEFT JOIN companies uc ON uc.id = u.company_id"
		" LEFT JOIN companies sc ON sc.id = COALESCE(u.company_id,"
		"  (SELECT x.id FROM companies x"
		"   WHERE ay_fold(x.name) = ay_fold(r.company_name)"
		"   ORDER BY x.id LIMIT 1))"
		" WHERE r.state = $1 ORDER BY r.created_at, r.ticket_id"
		" LIMIT 500",
		"s", state);
}

struct pending {
	int64_t tid, user;
};

static ay_rc pending_request(struct db *db, const struct actor *a,
			     int64_t number, struct pending *p,
			     struct verr *err)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = access_ticket(db, a, number, ACCESS_WRITE, &p->tid);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT user_id, state FROM inclusion_requests"
		    " WHERE ticket_id = $1",
		    "i", p->tid);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	p->user = db_col_int(s, 0);
	rc = strcmp(db_col_text(s, 1), "pending") ? AY_ECONFLICT : AY_OK;
	db_reset(s);
	if (rc)
		verr_set(err, "state", "la solicitud ya fue resuelta");
	return rc;
}

/* The decision in the audit too (the events outside tickets): before
 * pending, after its state with what the history holds (company, reason). */
static ay_rc audit_decision(struct db *db, const struct actor *a,
			    int64_t number, const struct pending *p,
			    const char *state, json_t *data)
{
	json_t *after = json_deep_copy(data), *ev = NULL;
	ay_rc rc = AY_ENOMEM;

	if (after && !json_object_set_new(after, "state", json_string(state)))
		ev = json_pack("{s:I,s:I,s:{s:s},s:O}", "ticket",
			       (json_int_t)number, "user", (json_int_t)p->user,
			       "before", "state", "pending", "after", after);
	if (ev)
		rc = event_add(db, 0, a->user_id, "admin.inclusion_decided",
			       ev);
	json_decref(ev);
	json_decref(after);
	return rc;
}

/* Resolve the request's ticket and write the decision to its history. */
static ay_rc decide(struct db *db, const struct actor *a, int64_t number,
		    const struct pending *p, const char *state,
		    int64_t company_id, json_t *data, struct verr *err)
{
	/* The decision's mail is the only notice the requester gets. */
	struct ticket_change c = {.status = "resolved", .quiet = true};
	ay_rc rc;

	rc = db_run(db, NULL, NULL,
		    "UPDATE inclusion_requests SET state = $2, company_id = $3,"
		    " decided_by = $4, decided_at = $5 WHERE ticket_id = $1",
		    "isIii", p->tid, state, company_id, a->user_id, ay_now());
	if (!rc)
		rc = event_add(db, p->tid, a->user_id,
			       !strcmp(state, "approved")
				       ? "sla_inclusion.approved"
				       : "sla_inclusion.rejected",
			       data);
	if (!rc)
		rc = ticket_update(db, a, number, &c, err);
	if (!rc)
		rc = audit_decision(db, a, number, p, state, data);
	return rc;
}

/* Register user_id's address as a licence address of company_id. */
static ay_rc register_license_email(struct db *db, int64_t company_id,
				    int64_t user_id, struct verr *err)
{
	struct db_stmt *s = NULL;
	char email[256] = "";
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT email FROM users WHERE id = $1", "i",
		    user_id);
	if (rc)
		return rc;
	if (row)
		snprintf(email, sizeof(email), "%s", db_col_text(s, 0));
	db_reset(s);
	rc = company_ids_add(db, company_id, CID_LICENSE_EMAIL, email, err);
	return rc ? rc : sync_license_email(db, company_id);
}

/* Add the level user_id's new tickets get (code, names, response
 * minutes) to the payload p. */
static ay_rc level_in_force(struct db *db, int64_t user_id, json_t *p)
{
	struct db_stmt *s = NULL;
	struct sla_pick pick;
	bool row = false;
	ay_rc rc;

	rc = sla_pick_for_ticket(db, user_id, "support", false, ay_now(),
				 &pick);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT name_es, name_en,"
			    " COALESCE(response_minutes, 0) FROM sla_levels"
			    " WHERE id = $1",
			    "i", pick.level_id);
	if (rc || !row) {
		db_reset(s);
		return rc;
	}
	json_object_set_new(p, "level", json_string(pick.level));
	json_object_set_new(p, "level_name_es", json_string(db_col_text(s, 0)));
	json_object_set_new(p, "level_name_en", json_string(db_col_text(s, 1)));
	json_object_set_new(p, "response_minutes",
			    json_integer(db_col_int(s, 2)));
	db_reset(s);
	return AY_OK;
}

ay_rc inclusion_approve(struct db *db, const struct actor *a, int64_t number,
			int64_t company_id, bool endorse_user,
			bool license_email, struct verr *err)
{
	static const struct actor root = {.role = ROLE_ADMIN};
	struct db_stmt *s = NULL;
	struct pending p;
	json_t *company = NULL, *data = NULL, *mail = NULL;
	char *email = NULL;
	bool row = false;
	ay_rc rc;

	rc = pending_request(db, a, number, &p, err);
	if (rc)
		return rc;
	rc = company_json(db, &root, company_id, &company);
	if (rc == AY_ENOTFOUND) {
		verr_set(err, "company_id", "la compañía no existe");
		return AY_EINVAL;
	}
	if (rc)
		return rc;
	if (endorse_user) {
		rc = endorse(db, a->user_id, company_id, p.user, true, err);
	} else {
		struct actor who;

		rc = actor_load(db, p.user, &who);
		if (!rc && who.company_id && who.company_id != company_id) {
			verr_set(err, "user_id",
				 "el usuario pertenece a otra compañía");
			rc = AY_EINVAL;
		}
		if (!rc)
			rc = db_run(db, NULL, NULL,
				    "UPDATE users SET company_id = $2"
				    " WHERE id = $1",
				    "ii", p.user, company_id);
	}
	if (!rc && license_email)
		rc = register_license_email(db, company_id, p.user, err);
	if (rc)
		goto out;
	data = json_pack("{s:I,s:s,s:I,s:b,s:b}", "company",
			 (json_int_t)company_id, "company_name",
			 json_string_value(json_object_get(company, "name")),
			 "user", (json_int_t)p.user, "contact", endorse_user,
			 "license_email", license_email);
	if (!data) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = decide(db, a, number, &p, "approved", company_id, data, err);
	if (!rc)
		rc = sla_reassess_requester(db, a->user_id, p.user, p.tid);
	if (rc)
		goto out;
	rc = db_run(db, &s, &row,
		    "SELECT email, name, lang FROM users WHERE id = $1", "i",
		    p.user);
	if (rc || !row)
		goto out;
	mail = json_pack("{s:s,s:I,s:s,s:b,s:s}", "name", db_col_text(s, 1),
			 "number", (json_int_t)number, "company",
			 json_string_value(json_object_get(company, "name")),
			 "contact", endorse_user, "lang", db_col_text(s, 2));
	email = strdup(db_col_text(s, 0));
	db_reset(s);
	if (!mail || !email) {
		rc = AY_ENOMEM;
		goto out;
	}
	/* The notice says the level now in force and its response time. */
	rc = level_in_force(db, p.user, mail);
	if (!rc)
		rc = outbox_add(db, "sla_inclusion_approved", p.tid, email,
				mail);
out:
	free(email);
	json_decref(company);
	json_decref(data);
	json_decref(mail);
	return rc;
}

/* Tell the requester the request was rejected, and why. */
static ay_rc mail_rejection(struct db *db, int64_t tid, int64_t user_id,
			    const char *reason)
{
	struct db_stmt *s = NULL;
	json_t *mail = NULL;
	char *email = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, "SELECT email, lang FROM users WHERE id = $1",
		    "i", user_id);
	if (rc || !row)
		return rc;
	mail = json_pack("{s:s?,s:s}", "reason",
			 reason && *reason ? reason : NULL, "lang",
			 db_col_text(s, 1));
	email = strdup(db_col_text(s, 0));
	db_reset(s);
	rc = mail && email ? outbox_add(db, "sla_inclusion_rejected", tid,
					email, mail)
			   : AY_ENOMEM;
	free(email);
	json_decref(mail);
	return rc;
}

ay_rc inclusion_reject(struct db *db, const struct actor *a, int64_t number,
		       const char *reason, struct verr *err)
{
	struct pending p;
	json_t *data;
	ay_rc rc;

	rc = pending_request(db, a, number, &p, err);
	if (rc)
		return rc;
	if (reason && !ay_utf8_valid(reason, strlen(reason))) {
		verr_set(err, "reason", "el motivo no es UTF-8 válido");
		return AY_EINVAL;
	}
	if (reason && strlen(reason) > 2000) {
		verr_set(err, "reason",
			 "el motivo admite hasta 2000 caracteres");
		return AY_EINVAL;
	}
	data = json_pack("{s:s?}", "reason", reason);
	if (!data)
		return AY_ENOMEM;
	rc = decide(db, a, number, &p, "rejected", 0, data, err);
	json_decref(data);
	if (!rc)
		rc = mail_rejection(db, p.tid, p.user, reason);
	return rc;
}

/* The licence addresses and instances of a new company, each a text of
 * values separated by commas or blanks. */
static ay_rc add_ids_text(struct db *db, int64_t id,
			  const struct company_new *c, struct verr *err)
{
	json_t *v;
	ay_rc rc = AY_OK;

	if (c->license_email) {
		v = json_string(c->license_email);
		rc = v ? ids_change(db, id, "license_emails", v, err)
		       : AY_ENOMEM;
		json_decref(v);
	}
	if (!rc && c->instances) {
		v = json_string(c->instances);
		rc = v ? ids_change(db, id, "instances", v, err) : AY_ENOMEM;
		json_decref(v);
	}
	return rc;
}

ay_rc company_add(struct db *db, int64_t actor_id, const struct company_new *c,
		  json_t **out, struct verr *err)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t id;
	json_t *data;
	ay_rc rc;

	*out = NULL;
	if (!c->name || !*c->name || strlen(c->name) > 200 ||
	    !ay_utf8_valid(c->name, strlen(c->name))) {
		verr_set(err, "name",
			 "el nombre de la compañía es obligatorio");
		return AY_EINVAL;
	}
	if (!one_of(c->license_product, products)) {
		verr_set(err, "license_product",
			 "producto desconocido (cloud, self_hosted, "
			 "site_manager)");
		return AY_EINVAL;
	}
	if (!one_of(c->license_plan, plans)) {
		verr_set(err, "license_plan", "plan de licencia desconocido");
		return AY_EINVAL;
	}
	if (!one_of(c->license_status, lstatus)) {
		verr_set(err, "license_status",
			 "estado de licencia desconocido");
		return AY_EINVAL;
	}
	if (!one_of(c->partner_tier, tiers)) {
		verr_set(err, "partner_tier",
			 "nivel de partner desconocido (bronze, silver, gold)");
		return AY_EINVAL;
	}
	rc = db_run(
		db, &s, &row,
		"INSERT INTO companies (name, domains, license_product,"
		" license_plan, license_status, license_email, partner_tier,"
		" partner_active, max_contacts, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		" RETURNING id",
		"sssssssiii", c->name, c->domains ? c->domains : "",
		c->license_product, c->license_plan, c->license_status,
		c->license_email, c->partner_tier, (int64_t)c->partner_active,
		(int64_t)(c->max_contacts < 0 ? 3 : c->max_contacts), ay_now());
	if (rc == AY_ECONFLICT) {
		verr_set(err, "name", "ya existe una compañía con ese nombre");
		return rc;
	}
	if (rc)
		return rc;
	id = row ? db_col_int(s, 0) : 0;
	db_reset(s);
	rc = add_ids_text(db, id, c, err);
	if (rc)
		return rc;
	data = json_pack(
		"{s:I,s:s,s:n,s:{s:s,s:I}}", "company", (json_int_t)id, "name",
		c->name, "before", "after", "name", c->name, "max_contacts",
		(json_int_t)(c->max_contacts < 0 ? 3 : c->max_contacts));
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, 0, actor_id, "company.created", data);
	json_decref(data);
	if (!rc) {
		*out = json_pack("{s:I,s:s}", "id", (json_int_t)id, "name",
				 c->name);
		rc = *out ? AY_OK : AY_ENOMEM;
	}
	return rc;
}
