/* Demo data for `ayuda init --demo`. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/company.h"
#include "domain/demo.h"
#include "domain/kb.h"
#include "domain/macro.h"
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

/* Canned answers for the support policy; those that answer a question
 * out of its scope are named "Fuera de alcance: ..." ("Out of scope: ...")
 * so that the out-of-scope action can offer them. */
static ay_rc demo_macros(struct db *db)
{
	static const char *const macros[][5] = {
		{"Pedir el correo de la licencia", "es", "pending_customer",
		 NULL,
		 "Hola {cliente}:\n\n"
		 "Gracias por escribirnos sobre «{asunto}» ({ticket}).\n\n"
		 "Para atenderle con el nivel de servicio que corresponde "
		 "a su empresa necesitamos identificar su licencia "
		 "Bitrix24: según nuestra política de soporte, el nivel de "
		 "Cliente Comercial solo se asigna a los tickets enviados "
		 "desde el correo con el que se registró o compró la "
		 "licencia.\n\n"
		 "¿Podría indicarnos ese correo, o escribirnos desde él? Si "
		 "usa Bitrix24 en la nube, indíquenos también la dirección "
		 "de su cuenta (por ejemplo, "
		 "https://suempresa.bitrix24.es).\n\n"
		 "Quedamos atentos.\n{agente}"},
		{"Consulta recibida: plazo de respuesta", "es", "open", NULL,
		 "Hola {cliente}:\n\n"
		 "Hemos recibido su consulta {ticket} y la estamos "
		 "revisando. Según su nivel de servicio ({nivel}), le "
		 "responderemos a más tardar el {vencimiento}.\n\n"
		 "Saludos,\n{agente}"},
		{"Recordatorio: esperamos su respuesta", "es",
		 "pending_customer", NULL,
		 "Hola {cliente}:\n\n"
		 "Le escribimos sobre {ticket} («{asunto}»). Seguimos a la "
		 "espera de la información que le pedimos para continuar "
		 "con su consulta.\n\n"
		 "Mientras no nos responda, el ticket queda en pausa y el "
		 "plazo de su nivel de servicio no corre; en cuanto "
		 "recibamos su respuesta, lo retomamos.\n\n"
		 "Saludos,\n{agente}"},
		{"Acceso a su Bitrix24 (invitación a partners)", "es",
		 "pending_customer", NULL,
		 "Hola {cliente}:\n\n"
		 "Para revisar {ticket} necesitamos acceder a su Bitrix24. "
		 "Si lo usa en la nube, invítenos con la herramienta "
		 "«Invitación a Partners» con el correo "
		 "soporte_asesores-e@b24.es. Si lo tiene instalado en su "
		 "servidor, cree un usuario con fecha de caducidad y "
		 "guarde sus datos en la bóveda de credenciales del ticket, "
		 "no en el mensaje.\n\n"
		 "Saludos,\n{agente}"},
		{"Aviso de escalado a desarrollo", "es", NULL, "development",
		 "Hola {cliente}:\n\n"
		 "Hemos reproducido el problema de {ticket} y no puede "
		 "resolverse con las herramientas de la versión actual del "
		 "software. Lo hemos enviado al departamento de desarrollo "
		 "de Bitrix Inc., de modo que la solución podría incluirse "
		 "en una próxima actualización.\n\n"
		 "El ticket sigue abierto: dentro de 60 días le escribiremos "
		 "con la solución o con una nueva fecha de revisión.\n\n"
		 "Gracias por su paciencia,\n{agente}"},
		{"Fuera de alcance: desarrollo a medida", "es", "closed",
		 "out_of_scope",
		 "Hola {cliente}:\n\n"
		 "Gracias por su consulta ({ticket}). Nuestro soporte es "
		 "orientativo y se limita a los productos Bitrix: el "
		 "desarrollo de componentes, scripts o módulos a medida, la "
		 "modificación del código de los módulos existentes y el "
		 "diagnóstico de código de terceros quedan fuera de su "
		 "alcance.\n\n"
		 "Para este tipo de trabajo puede contactar con su "
		 "Consultor Comercial Bitrix24 o escribir a "
		 "info_asesores@b24.es.\n\n"
		 "Cerramos este ticket; si tiene otra consulta sobre el uso "
		 "de Bitrix24, abra uno nuevo cuando quiera.\n{agente}"},
		{"Fuera de alcance: servidor y software de terceros", "es",
		 "closed", "out_of_scope",
		 "Hola {cliente}:\n\n"
		 "Sobre {ticket}: la configuración de servidores, de "
		 "proveedores de alojamiento, de servidores proxy y de "
		 "software de terceros queda fuera del alcance de nuestro "
		 "soporte, que se orienta a los productos Bitrix. Le "
		 "sugerimos dirigir esta consulta a su proveedor de "
		 "alojamiento o al fabricante del software.\n\n"
		 "Cerramos este ticket; si necesita recomendaciones "
		 "generales sobre el servidor adecuado para Bitrix24, abra "
		 "uno nuevo.\n{agente}"},
		{"Licence email needed", "en", "pending_customer", NULL,
		 "Hello {customer},\n\n"
		 "Thank you for writing to us about \"{subject}\" "
		 "({ticket}).\n\n"
		 "To serve you at your company's service level we need to "
		 "identify your Bitrix24 licence: under our support policy "
		 "the Commercial Customer level is only given to tickets "
		 "sent from the address the licence was registered or "
		 "bought with.\n\n"
		 "Could you tell us that address, or write to us from it? "
		 "If you use Bitrix24 in the cloud, please also tell us the "
		 "address of your account.\n\n"
		 "Best regards,\n{agent}"},
		{"Out of scope: custom development", "en", "closed",
		 "out_of_scope",
		 "Hello {customer},\n\n"
		 "Thank you for your question ({ticket}). Our support gives "
		 "guidance on the Bitrix products only: custom components, "
		 "scripts or modules, changes to the code of existing "
		 "modules and diagnosing third-party code are outside its "
		 "scope.\n\n"
		 "For this kind of work, please contact your Bitrix24 sales "
		 "consultant or write to info_asesores@b24.es.\n\n"
		 "We are closing this ticket; you are welcome to open a new "
		 "one for any question about using Bitrix24.\n{agent}"},
	};
	const struct actor system = {.role = ROLE_ADMIN};
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(macros); i++) {
		json_t *in = json_pack("{s:s,s:s,s:s?,s:s?,s:s}", "name",
				       macros[i][0], "lang", macros[i][1],
				       "status", macros[i][2], "category",
				       macros[i][3], "body", macros[i][4]);
		struct verr e;
		int64_t id;

		rc = in ? macro_create(db, &system, in, &e, &id) : AY_ENOMEM;
		json_decref(in);
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

/* The knowledge base, written by the demo supervisor. */
static ay_rc demo_kb(struct db *db)
{
	struct actor a;
	int64_t uid = 0;
	ay_rc rc = user_find_email(db, "supervisora@ayuda.localhost", &uid);

	if (!rc)
		rc = actor_load(db, uid, &a);
	return rc ? rc : kb_demo_seed(db, &a);
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
	if (!rc)
		rc = demo_macros(db);
	if (!rc)
		rc = demo_kb(db);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*logins = list;
	return AY_OK;
}
