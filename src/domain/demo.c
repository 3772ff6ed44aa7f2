/* Demo data for `ayuda init --demo`. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/company.h"
#include "domain/demo.h"
#include "domain/ticket.h"
#include "domain/user.h"

struct demo_user {
	const char *email, *name, *role, *company;
	bool contact;
};

static ay_rc add_company(struct db *db, const struct company_new *c)
{
	struct verr e;
	json_t *o = NULL;
	ay_rc rc = company_add(db, 0, c, &o, &e);

	json_decref(o);
	return rc;
}

/* The demo's companies: one commercial, one partner, one free. */
static ay_rc demo_companies(struct db *db)
{
	static const struct company_new companies[] = {
		{.name = "Acme Perú SAC",
		 .domains = "acme.pe",
		 .license_product = "cloud",
		 .license_plan = "professional",
		 .license_status = "active",
		 .license_email = "maria@acme.pe",
		 .instances = "acme.bitrix24.es",
		 .max_contacts = 3},
		{.name = "Socio Andino",
		 .domains = "socioandino.com",
		 .partner_tier = "gold",
		 .partner_active = true,
		 .max_contacts = 5},
		{.name = "Bodega Libre",
		 .domains = "bodegalibre.pe",
		 .license_product = "cloud",
		 .license_plan = "free",
		 .license_status = "active",
		 .max_contacts = 1},
	};
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(companies); i++)
		rc = add_company(db, &companies[i]);
	return rc;
}

/* The demo's users, each with password demo1234 and an API token; their
 * logins are appended to list. */
static ay_rc demo_users(struct db *db, json_t *list)
{
	static const struct demo_user users[] = {
		{"admin@ayuda.localhost", "Ana Administradora", "admin", NULL,
		 false},
		{"supervisora@ayuda.localhost", "Sofía Supervisora",
		 "supervisor", NULL, false},
		{"agente@ayuda.localhost", "Álvaro Agente", "agent", NULL,
		 false},
		{"maria@acme.pe", "María Quispe", "customer", "Acme Perú SAC",
		 true},
		{"jorge@acme.pe", "Jorge Ramos", "customer", "Acme Perú SAC",
		 false},
		{"lucia@socioandino.com", "Lucía Torres", "customer",
		 "Socio Andino", true},
		{"pedro@bodegalibre.pe", "Pedro Huamán", "customer",
		 "Bodega Libre", true},
	};
	char hash[crypto_pwhash_STRBYTES];
	ay_rc rc = AY_OK;

	if (crypto_pwhash_str(hash, "demo1234", 8,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return AY_ENOMEM;
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(users); i++) {
		struct user_new u = {.email = users[i].email,
				     .name = users[i].name,
				     .role = users[i].role,
				     .company = users[i].company,
				     .password_hash = hash,
				     .is_contact = users[i].contact};
		struct verr e;
		json_t *o = NULL;
		char *token = NULL;
		int64_t id;

		rc = user_add(db, 0, &u, &o, &e);
		if (rc)
			break;
		id = json_integer_value(json_object_get(o, "id"));
		json_decref(o);
		rc = token_create(db, id, "demo", 0, &token);
		if (rc)
			break;
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:s,s:s}", "email",
						users[i].email, "role",
						users[i].role, "password",
						"demo1234", "token", token));
		free(token);
	}
	return rc;
}

/* One ticket from each demo customer. */
static ay_rc demo_tickets(struct db *db)
{
	static const char *const subjects[][3] = {
		{"maria@acme.pe", "No puedo exportar contactos del CRM",
		 "Al exportar contactos a Excel la descarga queda en "
		 "blanco. Bitrix24 cloud, plan Professional."},
		{"lucia@socioandino.com",
		 "Consulta sobre el API REST: crm.deal.list",
		 "¿Cómo paginar crm.deal.list con más de 50 "
		 "resultados?"},
		{"pedro@bodegalibre.pe", "¿Cómo invito a mi equipo?",
		 "Soy usuario gratuito y quiero invitar a dos "
		 "colegas."},
	};
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(subjects); i++) {
		struct ticket_new t = {.subject = subjects[i][1],
				       .body = subjects[i][2],
				       .channel = "web"};
		struct actor a;
		struct verr e;
		int64_t uid, number;

		rc = user_find_email(db, subjects[i][0], &uid);
		if (!rc)
			rc = actor_load(db, uid, &a);
		if (!rc)
			rc = ticket_create(db, &a, &t, &number, &e);
	}
	return rc;
}

/* Demo data goes only into a store without users. */
static ay_rc demo_store_empty(struct db *db)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, "SELECT COUNT(*) FROM users", NULL);

	if (!rc && row && db_col_int(s, 0) > 0)
		rc = AY_ECONFLICT;
	db_reset(s);
	return rc;
}

ay_rc demo_seed(struct db *db, json_t **logins)
{
	json_t *list = NULL;
	ay_rc rc;

	*logins = NULL;
	rc = demo_store_empty(db);
	if (rc)
		return rc;
	list = json_array();
	if (!list)
		return AY_ENOMEM;
	rc = demo_companies(db);
	if (!rc)
		rc = demo_users(db, list);
	if (!rc)
		rc = demo_tickets(db);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*logins = list;
	return AY_OK;
}
