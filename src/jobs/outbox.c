/* Outbox worker: renders notification rows into mail and sends them. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/mailin.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "jobs/outbox.h"
#include "mail/compose.h"
#include "mail/smtp.h"
#include "mail/verp.h"
#include "util/blob.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"

#define CLAIM_MAX    20
#define MAX_ATTEMPTS 8
/* A claim is a lease: rows claimed and never recorded (a failed write, a
 * crash, a stuck worker) go back to the queue when it ends. A worker
 * starts no new send in the last SEND_MAX seconds of its lease (the SMTP
 * time-out, with room), so a row is not sent twice while it still holds
 * it. */
#define CLAIM_LEASE (15 * 60)
#define SEND_MAX    (6 * 60)

/* --- rendering --- */

static ay_rc line(struct buf *b, const char *lang, const char *fmt, ...)
	AY_PRINTF(3, 4);

/* Append a translated paragraph: fmt is the Spanish msgid. */
static ay_rc line(struct buf *b, const char *lang, const char *fmt, ...)
{
	va_list ap;
	ay_rc rc;

	(void)lang;
	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc ? rc : buf_adds(b, "\n\n");
}

#define T(s) i18n(v->lang, s)

/* "Hola María:", or "Hola:" when we know no name. */
static ay_rc greeting(struct buf *text, const struct outbox_view *v)
{
	if (!v->name || !v->name[strspn(v->name, " \t")])
		return line(text, v->lang, "%s", T("Hola:"));
	return line(text, v->lang, T("Hola %s:"), v->name);
}

/* Mails about the account, not a ticket: a subject, a paragraph with one
 * value from the payload (a link, an address, a company), and a note. */
static ay_rc render_account(const struct outbox_view *v, struct buf *subject,
			    struct buf *text)
{
	static const struct {
		const char *kind, *subject, *body, *key, *note;
	} kinds[] = {
		{"account_verify", "Confirme su dirección de correo",
		 "Para activar su cuenta, abra este enlace: %s", "link",
		 "Si no creó una cuenta, ignore este mensaje."},
		{"account_exists", "Intento de registro con su dirección",
		 "Alguien intentó registrarse con su dirección, que ya tiene "
		 "una cuenta. Si fue usted y no recuerda la contraseña, puede "
		 "restablecerla aquí: %s",
		 "link", "Si no fue usted, ignore este mensaje."},
		{"email_taken", "Intento de usar su dirección en otra cuenta",
		 "Alguien intentó cambiar la dirección de otra cuenta a la "
		 "suya, que ya tiene una cuenta; su cuenta no ha cambiado. Si "
		 "no recuerda su contraseña, puede restablecerla aquí: %s",
		 "link", "Si no fue usted, ignore este mensaje."},
		{"password_reset", "Restablecer su contraseña",
		 "Para elegir una contraseña nueva, abra este enlace antes de "
		 "una hora: %s",
		 "link", "Si no lo pidió, ignore este mensaje."},
		{"password_changed", "Su contraseña ha cambiado",
		 "La contraseña de su cuenta ha cambiado y se han cerrado "
		 "todas sus sesiones.%s",
		 NULL,
		 "Si no fue usted, restablezca su contraseña de "
		 "inmediato."},
		{"email_change_verify", "Confirme su nueva dirección de correo",
		 "Para usar esta dirección en su cuenta, abra este enlace: %s",
		 "link", "Si no lo pidió, ignore este mensaje."},
		{"email_changed", "Su dirección de correo ha cambiado",
		 "La dirección de su cuenta es ahora %s.", "email",
		 "Si no fue usted, escríbanos respondiendo a este correo."},
		{"sla_inclusion_approved",
		 "Su solicitud de inclusión en el SLA fue aprobada",
		 "Desde ahora es contacto de soporte de %s y sus tickets se "
		 "atienden según el nivel de servicio de su compañía.",
		 "company", NULL},
	};
	const char *val;
	ay_rc rc;

	for (size_t i = 0; i < AY_ARRAY_LEN(kinds); i++) {
		if (strcmp(kinds[i].kind, v->kind))
			continue;
		val = kinds[i].key ? json_string_value(json_object_get(
					     v->payload, kinds[i].key))
				   : "";
		rc = buf_adds(subject, T(kinds[i].subject));
		if (!rc)
			rc = greeting(text, v);
		if (!rc)
			rc = line(text, v->lang, T(kinds[i].body),
				  val ? val : "");
		if (!rc && kinds[i].note)
			rc = line(text, v->lang, "%s", T(kinds[i].note));
		if (!rc)
			rc = buf_addf(text, "-- \n%s\n%s\n",
				      T("Equipo de soporte"), v->base_url);
		return rc;
	}
	return AY_EINVAL; /* a kind we cannot render: recorded as failed */
}

/* What happens next after a status change the customer is told of. */
static ay_rc status_next(const struct outbox_view *v, struct buf *text)
{
	const char *to =
		json_string_value(json_object_get(v->payload, "status"));

	if (!to)
		return AY_OK;
	if (!strcmp(to, "pending_customer"))
		return line(text, v->lang, "%s",
			    T("Necesitamos su respuesta para continuar; "
			      "mientras tanto, el plazo de respuesta queda en "
			      "pausa. Responda a este correo sin cambiar el "
			      "asunto."));
	if (!strcmp(to, "resolved"))
		return line(text, v->lang, "%s",
			    T("Si el problema continúa, responda a este correo "
			      "y reabriremos el ticket."));
	if (!strcmp(to, "closed"))
		return line(text, v->lang,
			    T("Si considera que se cerró antes de tiempo, "
			      "responda a este correo en los próximos %d días "
			      "y lo reabriremos; después, su respuesta abrirá "
			      "un ticket nuevo."),
			    v->reopen_days > 0 ? v->reopen_days : 30);
	return AY_OK;
}

/* An out-of-scope question: the answer, why the ticket closes (with the
 * configured explanation) and the survey, in one mail (policy 4.3). */
static ay_rc render_out_of_scope(const struct outbox_view *v, struct buf *text)
{
	const char *token =
		json_string_value(json_object_get(v->payload, "token"));
	ay_rc rc = line(text, v->lang, "%s", v->body ? v->body : "");

	if (!rc)
		rc = line(text, v->lang,
			  T("Hemos cerrado el ticket %lld porque la consulta "
			    "está fuera del alcance de nuestro servicio de "
			    "soporte."),
			  (long long)v->number);
	if (!rc && v->out_of_scope && *v->out_of_scope)
		rc = line(text, v->lang, "%s", v->out_of_scope);
	if (!rc && token)
		rc = line(text, v->lang,
			  T("¿Cómo lo atendimos? Valore la atención del 1 al "
			    "5 aquí: %s/encuesta#token=%s"),
			  v->base_url, token);
	return rc;
}

/* Escalated to the vendor's development team (policy 4): what happened,
 * what it means and when the customer hears from us again. */
static ay_rc render_development(const struct outbox_view *v, struct buf *text)
{
	json_int_t days =
		json_integer_value(json_object_get(v->payload, "days"));
	ay_rc rc;

	rc = line(text, v->lang,
		  T("Hemos derivado su ticket %lld al equipo de desarrollo del "
		    "fabricante (Bitrix Inc.), porque el problema no puede "
		    "resolverse con la versión actual del software."),
		  (long long)v->number);
	if (!rc)
		rc = line(text, v->lang,
			  T("Esto significa que la solución podría incluirse "
			    "en una actualización posterior del software; el "
			    "plazo lo fija el fabricante según su plan de "
			    "desarrollo. Mientras tanto, el ticket no se "
			    "cerrará."));
	if (!rc)
		rc = line(
			text, v->lang,
			T("Revisaremos su estado el %s (a los %lld días) y le "
			  "escribiremos entonces para informarle de la "
			  "solución o de la ampliación del plazo por %lld "
			  "días más."),
			v->review ? v->review : "-", (long long)days,
			(long long)days);
	return rc;
}

/* An approved SLA inclusion: what was approved, the level now in force
 * and its response time. */
static ay_rc render_inclusion(const struct outbox_view *v, struct buf *text)
{
	json_t *p = v->payload;
	const char *level = json_string_value(json_object_get(
		p, !strcmp(v->lang, "en") ? "level_name_en" : "level_name_es"));
	json_int_t minutes =
		json_integer_value(json_object_get(p, "response_minutes"));
	ay_rc rc;

	rc = line(text, v->lang,
		  json_is_true(json_object_get(p, "contact"))
			  ? T("Hemos aprobado su solicitud de inclusión en el "
			      "SLA (ticket %lld): desde ahora es contacto de "
			      "soporte de %s.")
			  : T("Hemos aprobado su solicitud de inclusión en el "
			      "SLA (ticket %lld): desde ahora figura como "
			      "usuario de %s."),
		  (long long)v->number,
		  json_string_value(json_object_get(p, "company")) ?: "");
	if (!rc && level && minutes > 0)
		rc = line(
			text, v->lang,
			T("Nivel de servicio vigente: %s, con un plazo máximo "
			  "de respuesta de %lld horas hábiles."),
			level, (long long)(minutes / 60));
	else if (!rc && level)
		rc = line(text, v->lang, T("Nivel de servicio vigente: %s."),
			  level);
	if (!rc)
		rc = line(text, v->lang,
			  T("Sus tickets nuevos y los que tiene abiertos se "
			    "atienden desde ahora con este nivel."));
	return rc;
}

/* A request for a supervisor's review: to the supervisors, and to the
 * customer who asked. */
static ay_rc render_review(const struct outbox_view *v, struct buf *text)
{
	const char *reason =
		json_string_value(json_object_get(v->payload, "reason"));
	const char *by = json_string_value(json_object_get(v->payload, "by"));
	ay_rc rc;

	if (!strcmp(v->kind, "supervisor_review_received"))
		return line(
			text, v->lang,
			T("Hemos pasado su solicitud de revisión del ticket "
			  "%lld a los supervisores del servicio de "
			  "soporte. Le responderemos en el mismo ticket, "
			  "según su nivel de servicio (%s)."),
			(long long)v->number, v->level);
	rc = line(text, v->lang,
		  T("%s pide la revisión de un supervisor del ticket %lld."),
		  by ? by : "-", (long long)v->number);
	if (!rc)
		rc = line(text, v->lang, T("Motivo: %s"), reason ? reason : "");
	if (!rc)
		rc = line(text, v->lang,
			  T("Responda en el ticket: %s/agente/tickets/%lld"),
			  v->base_url, (long long)v->number);
	return rc;
}

/* The acknowledgement of a new ticket: its number, its level and due
 * time, the ticket it continues, what an unregistered sender should do. */
/* The knowledge-base articles that may answer the request meanwhile
 * (domain/ticket.c: payload "articles" [{title, url}]). */
static ay_rc render_articles(const struct outbox_view *v, struct buf *text)
{
	json_t *list = json_object_get(v->payload, "articles"), *a;
	size_t i;
	ay_rc rc;

	if (!json_array_size(list))
		return AY_OK;
	rc = line(text, v->lang,
		  T("Mientras tanto, quizá estos artículos del centro de "
		    "ayuda respondan su pregunta:"));
	json_array_foreach (list, i, a) {
		if (!rc)
			rc = buf_addf(
				text, "- %s\n  %s%s\n",
				json_string_value(json_object_get(a, "title")),
				v->base_url,
				json_string_value(json_object_get(a, "url")));
	}
	if (!rc)
		rc = buf_adds(text, "\n");
	return rc;
}

static ay_rc render_received(const struct outbox_view *v, struct buf *text)
{
	ay_rc rc;

	rc = line(text, v->lang,
		  T("Hemos recibido su solicitud y la hemos "
		    "registrado con el número %lld."),
		  (long long)v->number);
	if (!rc && v->due)
		rc = line(text, v->lang,
			  T("Será atendida según su nivel de servicio "
			    "(%s). Plazo máximo de respuesta: %s."),
			  v->level, v->due);
	else if (!rc)
		rc = line(text, v->lang,
			  T("Será atendida según su nivel de servicio "
			    "(%s)."),
			  v->level);
	if (!rc && json_integer_value(json_object_get(v->payload, "continues")))
		rc = line(text, v->lang,
			  T("Este ticket continúa el Ticket#%lld, que "
			    "ya estaba cerrado."),
			  (long long)json_integer_value(
				  json_object_get(v->payload, "continues")));
	if (!rc &&
	    json_is_false(json_object_get(v->payload, "license_address")))
		rc = line(text, v->lang,
			  T("El nivel de Cliente comercial solo se asigna a "
			    "los tickets enviados desde la dirección "
			    "registrada en la licencia de su compañía. "
			    "Escriba desde esa dirección, o pida a su "
			    "compañía que registre también la suya; un "
			    "agente revisará su ticket."));
	if (!rc)
		rc = render_articles(v, text);
	if (!rc && json_is_false(json_object_get(v->payload, "registered")))
		rc = line(text, v->lang,
			  T("Su dirección no corresponde a ningún "
			    "usuario registrado. Para recibir la "
			    "atención que le corresponde, regístrese "
			    "en %s con la dirección de su licencia y "
			    "pida a su compañía que lo avale como "
			    "contacto de soporte. Mientras tanto, su "
			    "ticket queda pendiente de identificación."),
			  v->base_url);
	if (!rc)
		rc = line(text, v->lang,
			  T("Para añadir información, responda a este "
			    "correo sin cambiar el asunto."));
	return rc;
}

/* A development ticket's review is due, or was extended (and when the
 * next one is). */
static ay_rc render_development_dates(const struct outbox_view *v,
				      struct buf *text)
{
	const char *k = v->kind;
	ay_rc rc;

	rc = line(text, v->lang,
		  !strcmp(k, "development_review")
			  ? T("El ticket %lld fue derivado al equipo "
			      "de desarrollo del fabricante y hoy "
			      "corresponde su revisión. Le "
			      "informaremos de cualquier novedad.")
			  : T("La revisión del ticket %lld, derivado "
			      "al equipo de desarrollo del fabricante, "
			      "se ha ampliado 60 días."),
		  (long long)v->number);
	if (!rc && v->review && !strcmp(k, "development_extended"))
		rc = line(text, v->lang,
			  T("La próxima revisión será el %s; le "
			    "escribiremos entonces."),
			  v->review);
	return rc;
}

/* The satisfaction survey of a closed ticket: its link. */
static ay_rc render_survey(const struct outbox_view *v, struct buf *text)
{
	ay_rc rc;

	rc = line(text, v->lang,
		  T("Hemos cerrado su ticket %lld. ¿Cómo lo atendimos? "
		    "Valore la atención del 1 al 5 aquí: "
		    "%s/encuesta#token=%s"),
		  (long long)v->number, v->base_url,
		  json_string_value(json_object_get(v->payload, "token"))
			  ?: "");
	if (!rc)
		rc = line(text, v->lang, "%s",
			  T("Si considera que se cerró antes de tiempo, "
			    "responda a este correo y lo reabriremos."));
	return rc;
}

ay_rc outbox_render(const struct outbox_view *v, struct buf *subject,
		    struct buf *text)
{
	const char *k = v->kind;
	const char *link =
		json_string_value(json_object_get(v->payload, "link"));
	ay_rc rc;

	if (!v->number)
		return render_account(v, subject, text);
	rc = buf_addf(subject, "[%s#%lld] %s", v->tag, (long long)v->number,
		      v->subject ? v->subject : "");
	if (!rc)
		rc = greeting(text, v);
	if (rc)
		return rc;
	if (!strcmp(k, "ticket_received")) {
		rc = render_received(v, text);
	} else if (!strcmp(k, "comment_received") &&
		   json_is_true(json_object_get(v->payload, "reopened"))) {
		rc = line(text, v->lang,
			  T("Hemos reabierto el ticket %lld con su mensaje. "
			    "Será atendido según su nivel de servicio (%s)."),
			  (long long)v->number, v->level);
		if (!rc && v->due)
			rc = line(text, v->lang,
				  T("Plazo máximo de respuesta: %s."), v->due);
	} else if (!strcmp(k, "comment_received")) {
		rc = line(text, v->lang,
			  T("Hemos añadido su mensaje al ticket %lld. Será "
			    "atendido según su nivel de servicio (%s)."),
			  (long long)v->number, v->level);
		if (!rc && v->due)
			rc = line(text, v->lang,
				  T("Plazo máximo de respuesta: %s."), v->due);
	} else if (!strcmp(k, "agent_reply") &&
		   json_is_true(json_object_get(v->payload, "out_of_scope"))) {
		rc = render_out_of_scope(v, text);
	} else if (!strcmp(k, "agent_reply")) {
		rc = line(text, v->lang, "%s", v->body ? v->body : "");
		if (!rc)
			rc = line(text, v->lang,
				  T("Para responder, conteste a este correo "
				    "sin cambiar el asunto."));
	} else if (!strcmp(k, "development_escalated")) {
		rc = render_development(v, text);
	} else if (!strcmp(k, "sla_inclusion_approved")) {
		rc = render_inclusion(v, text);
	} else if (!strcmp(k, "supervisor_review") ||
		   !strcmp(k, "supervisor_review_received")) {
		rc = render_review(v, text);
	} else if (!strcmp(k, "status_changed")) {
		rc = line(text, v->lang,
			  T("El estado de su ticket %lld ha cambiado a: %s."),
			  (long long)v->number,
			  T(json_string_value(
				    json_object_get(v->payload, "label"))
				    ?: ""));
		if (!rc)
			rc = status_next(v, text);
	} else if (!strcmp(k, "pending_reminder")) {
		rc = line(text, v->lang,
			  T("Seguimos esperando su respuesta en el ticket "
			    "%lld. Si no recibimos noticias, lo cerraremos "
			    "automáticamente."),
			  (long long)v->number);
	} else if (!strcmp(k, "pending_closed")) {
		rc = line(text, v->lang,
			  T("Hemos cerrado el ticket %lld por falta de "
			    "respuesta. Si lo necesita, puede reabrirlo "
			    "respondiendo a este correo."),
			  (long long)v->number);
	} else if (!strcmp(k, "development_review") ||
		   !strcmp(k, "development_extended")) {
		rc = render_development_dates(v, text);
	} else if (!strcmp(k, "sla_warning") || !strcmp(k, "sla_breach")) {
		rc = line(text, v->lang,
			  !strcmp(k, "sla_warning")
				  ? T("El ticket %lld ha consumido el 80%% de "
				      "su plazo (%s). Vence: %s.")
				  : T("El ticket %lld ha superado su plazo "
				      "(%s). Venció: %s."),
			  (long long)v->number, v->level,
			  v->due ? v->due : "-");
	} else if (!strcmp(k, "attachment_rejected")) {
		rc = line(
			text, v->lang,
			T("No hemos guardado un adjunto de su mensaje: "
			  "%s."),
			json_string_value(json_object_get(v->payload, "reason"))
				?: "");
		if (!rc)
			rc = line(text, v->lang,
				  T("Se aceptan imágenes PNG, GIF y JPG, y "
				    "archivos ZIP o RAR (por ejemplo, una "
				    "imagen BMP comprimida)."));
	} else if (!strcmp(k, "survey")) {
		rc = render_survey(v, text);
	} else if (link) {
		rc = line(text, v->lang, "%s", link);
	} else {
		rc = line(text, v->lang, T("Hay novedades en su ticket %lld."),
			  (long long)v->number);
	}
	if (!rc)
		rc = buf_addf(text, "-- \n%s\n%s\n", T("Equipo de soporte"),
			      v->base_url);
	return rc;
}

/* The HTML alternative of a notice: the same text, escaped, in paragraphs,
 * with its links clickable. No remote content, no styles. */
static ay_rc text_to_html(const char *text, const char *lang, struct buf *out)
{
	ay_rc rc = buf_addf(out,
			    "<!doctype html><html lang=\"%s\"><head>"
			    "<meta charset=\"utf-8\"></head><body><p>",
			    lang);

	for (const char *p = text; !rc && *p; p++) {
		if (!strncmp(p, "https://", 8) || !strncmp(p, "http://", 7)) {
			size_t n = strcspn(p, " \t\r\n<>\"'");
			struct buf url;

			/* The link text and target, escaped alike. */
			buf_init(&url, 0);
			for (size_t i = 0; !rc && i < n; i++)
				rc = p[i] == '&' ? buf_adds(&url, "&amp;")
						 : buf_addc(&url, p[i]);
			if (!rc)
				rc = buf_addf(out, "<a href=\"%s\">%s</a>",
					      buf_str(&url), buf_str(&url));
			buf_release(&url);
			p += n - 1;
		} else if (*p == '\n' && p[1] == '\n') {
			rc = buf_adds(out, "</p>\n<p>");
			p++;
		} else if (*p == '\n') {
			rc = buf_adds(out, "<br>\n");
		} else if (*p == '&') {
			rc = buf_adds(out, "&amp;");
		} else if (*p == '<') {
			rc = buf_adds(out, "&lt;");
		} else if (*p == '>') {
			rc = buf_adds(out, "&gt;");
		} else if (*p == '"') {
			rc = buf_adds(out, "&quot;");
		} else {
			rc = buf_addc(out, *p);
		}
	}
	if (!rc)
		rc = buf_adds(out, "</p></body></html>\n");
	return rc;
}

/* --- sending --- */

struct row {
	int64_t id, ticket_id, attempts;
	char kind[40];
	char *recipient, *payload;
};

struct claim {
	struct row rows[CLAIM_MAX];
	int n;
	int next;		  /* the first row not sent yet */
	int64_t at;		  /* when the lease began */
	struct mail_verp_key key; /* for the return paths */
	bool no_key;
};

/* Forget the claimed rows (their copies, not the claims). */
static void claim_clear(struct claim *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->rows[i].recipient);
		free(c->rows[i].payload);
	}
	c->n = 0;
}

static ay_rc claim_run(struct db *db, void *arg)
{
	struct claim *c = arg;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	claim_clear(c); /* a job run again after a busy store */
	c->at = ay_now();
	rc = db_run(db, &s, &row,
		    "SELECT id, COALESCE(ticket_id, 0), kind, recipient,"
		    " payload, attempts FROM outbox WHERE (state = 'pending'"
		    " AND next_attempt_at <= $1) OR (state = 'sending' AND"
		    " COALESCE(claimed_until, 0) < $1) ORDER BY id LIMIT $2",
		    "ii", c->at, (int64_t)CLAIM_MAX);
	while (!rc && row && c->n < CLAIM_MAX) {
		struct row *r = &c->rows[c->n++];
		const char *rcpt = db_col_text(s, 3);

		r->id = db_col_int(s, 0);
		r->ticket_id = db_col_int(s, 1);
		snprintf(r->kind, sizeof(r->kind), "%s", db_col_text(s, 2));
		r->recipient = rcpt ? strdup(rcpt) : NULL;
		r->payload = strdup(db_col_text(s, 4));
		r->attempts = db_col_int(s, 5);
		rc = db_step(s, &row);
	}
	db_reset(s);
	for (int i = 0; !rc && i < c->n; i++)
		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'sending', claimed_until"
			    " = $2 WHERE id = $1",
			    "ii", c->rows[i].id, c->at + CLAIM_LEASE);
	return rc;
}

/* Give back the claimed rows from c->next on, not sent by this run. */
static ay_rc release_run(struct db *db, void *arg)
{
	struct claim *c = arg;
	ay_rc rc = AY_OK;

	for (int i = c->next; !rc && i < c->n; i++)
		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'pending', claimed_until"
			    " = NULL WHERE id = $1 AND state = 'sending'",
			    "i", c->rows[i].id);
	return rc;
}

struct ticket_info {
	int64_t number;
	char subject[800], requester[256], name[256], lang[8], level[80];
	char tz[64]; /* the recipient's zone, or "" for the calendar's */
	char due[160];
	char last_in[512];
	char refs[20][512];
	int nrefs;
};

static ay_rc load_ticket(struct db *db, int64_t tid, struct ticket_info *t,
			 const char *recipient)
{
	struct db_stmt *s = NULL;
	json_t *sla = NULL;
	bool row = false;
	ay_rc rc;

	memset(t, 0, sizeof(*t));
	snprintf(t->lang, sizeof(t->lang), "es");
	if (recipient) {
		rc = db_run(
			db, &s, &row,
			"SELECT name, lang, COALESCE(timezone, '') FROM users"
			" WHERE email = lower($1)",
			"s", recipient);
		if (rc)
			return rc;
		if (row) {
			snprintf(t->name, sizeof(t->name), "%s",
				 db_col_text(s, 0));
			snprintf(t->lang, sizeof(t->lang), "%s",
				 db_col_text(s, 1));
			snprintf(t->tz, sizeof(t->tz), "%s", db_col_text(s, 2));
		}
		db_reset(s);
	}
	if (!tid)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT t.number, t.subject, u.email, u.name, u.lang,"
		    " COALESCE(u.timezone, '')"
		    " FROM tickets t JOIN users u ON u.id = t.requester_id"
		    " WHERE t.id = $1",
		    "i", tid);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	t->number = db_col_int(s, 0);
	snprintf(t->subject, sizeof(t->subject), "%s", db_col_text(s, 1));
	snprintf(t->requester, sizeof(t->requester), "%s", db_col_text(s, 2));
	if (!recipient) {
		snprintf(t->name, sizeof(t->name), "%s", db_col_text(s, 3));
		snprintf(t->lang, sizeof(t->lang), "%s", db_col_text(s, 4));
		snprintf(t->tz, sizeof(t->tz), "%s", db_col_text(s, 5));
	}
	db_reset(s);
	rc = sla_ticket_json(db, tid, ay_now(), t->lang, &sla);
	if (rc)
		return rc;
	snprintf(t->level, sizeof(t->level), "%s",
		 json_string_value(json_object_get(sla, "name")) ?: "");
	json_decref(sla);
	rc = db_run(db, &s, &row,
		    "SELECT message_id FROM mail_ids WHERE ticket_id = $1"
		    " ORDER BY created_at, rowid LIMIT 20",
		    "i", tid);
	/* Only the ids that can go into a header: a sender's malformed
	 * Message-ID must not stop the later mail of the ticket. */
	while (!rc && row) {
		if (mail_msgid_ok(db_col_text(s, 0)))
			snprintf(t->refs[t->nrefs++], sizeof(t->refs[0]), "%s",
				 db_col_text(s, 0));
		rc = db_step(s, &row);
	}
	db_reset(s);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT mail_message_id FROM messages WHERE ticket_id = $1"
		    " AND mail_message_id IS NOT NULL ORDER BY id DESC LIMIT 1",
		    "i", tid);
	if (!rc && row && mail_msgid_ok(db_col_text(s, 0)))
		snprintf(t->last_in, sizeof(t->last_in), "%s",
			 db_col_text(s, 0));
	db_reset(s);
	return rc;
}

static ay_rc due_text(struct db *db, int64_t tid, const char *lang,
		      const char *tz, char *out, size_t outlen)
{
	const struct sla_calendar *cal = NULL;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	out[0] = '\0';
	rc = db_run(db, &s, &row,
		    "SELECT t.sla_due_at, COALESCE(l.calendar, 'lima') FROM"
		    " tickets t LEFT JOIN sla_levels l ON l.id ="
		    " t.sla_level_id WHERE t.id = $1 AND t.sla_due_at IS NOT"
		    " NULL",
		    "i", tid);
	if (rc || !row)
		return rc;
	{
		int64_t due = db_col_int(s, 0);
		char name[64];

		snprintf(name, sizeof(name), "%s", db_col_text(s, 1));
		db_reset(s);
		rc = sla_calendar_get(db, name, &cal);
		if (!rc)
			sla_format_local(*tz ? tz : sla_calendar_zone(cal), due,
					 lang, out, outlen);
		sla_calendar_release(cal);
	}
	return rc;
}

/* The payload's review_due_at as a date in the reader's zone (or the
 * calendar's), into out (empty when there is none). */
static ay_rc review_text(struct db *db, int64_t tid, json_t *payload,
			 const struct ticket_info *t, char *out, size_t outlen)
{
	json_t *at = json_object_get(payload, "review_due_at");
	const struct sla_calendar *cal;
	ay_rc rc;

	out[0] = '\0';
	if (!json_is_integer(at) || !tid)
		return AY_OK;
	rc = sla_calendar_get(db, "lima", &cal);
	if (rc)
		return rc;
	sla_format_local(*t->tz ? t->tz : sla_calendar_zone(cal),
			 json_integer_value(at), t->lang, out, outlen);
	return AY_OK;
}

static ay_rc message_body(struct db *db, int64_t mid, char **out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT body FROM messages WHERE id = $1", "i", mid);

	*out = NULL;
	if (rc || !row)
		return rc;
	*out = strdup(db_col_text(s, 0));
	db_reset(s);
	return *out ? AY_OK : AY_ENOMEM;
}

#define MAIL_FILES_MAX 20

/* The files of an answer, read from the blob store, to go with its mail
 * (at most max bytes in all; the rest stays in the ticket). */
struct files {
	struct mail_out_att att[MAIL_FILES_MAX];
	char names[MAIL_FILES_MAX][256], types[MAIL_FILES_MAX][128];
	struct buf data[MAIL_FILES_MAX];
	size_t n;
};

static void files_release(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		buf_release(&f->data[i]);
	f->n = 0;
}

static ay_rc load_files(struct db *db, const struct ay_config *cfg, int64_t mid,
			size_t max, struct files *f)
{
	struct db_stmt *s = NULL;
	size_t total = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT filename, content_type, size, sha256 FROM"
		    " attachments WHERE message_id = $1 AND is_inline = 0"
		    " ORDER BY id",
		    "i", mid);
	while (!rc && row && f->n < MAIL_FILES_MAX) {
		size_t size = (size_t)db_col_int(s, 2), i = f->n;
		char path[1200];
		FILE *fp;

		if (total + size > max) {
			rc = db_step(s, &row);
			continue;
		}
		fp = blob_path(cfg->data_dir, "attachments", db_col_text(s, 3),
			       path, sizeof(path))
			     ? NULL
			     : fopen(path, "rb");
		buf_init(&f->data[i], size + 1);
		if (fp) {
			char chunk[65536];
			size_t n;

			while (!rc && (n = fread(chunk, 1, sizeof(chunk), fp)))
				rc = buf_add(&f->data[i], chunk, n);
			fclose(fp);
		}
		if (!rc && fp) {
			const char *nm = db_col_text(s, 0);

			/* Names stored before they were cleaned on the way
			 * in must not make the mail unsendable. */
			ay_filename_clean(nm, strlen(nm), "adjunto",
					  f->names[i], sizeof(f->names[i]));
			snprintf(f->types[i], sizeof(f->types[i]), "%s",
				 db_col_text(s, 1));
			f->att[i] = (struct mail_out_att){
				.filename = f->names[i],
				.content_type = f->types[i],
				.data = f->data[i].ptr ? f->data[i].ptr : "",
				.len = f->data[i].len};
			f->n++;
			total += size;
		} else {
			buf_release(&f->data[i]);
		}
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

struct sent {
	struct row *r;
	ay_rc rc;
	char err[256];
	char msgid[300];
};

static ay_rc record_run(struct db *db, void *arg)
{
	struct sent *x = arg;
	int64_t now = ay_now();
	ay_rc rc;

	if (!x->rc) {
		rc = db_run(db, NULL, NULL,
			    "UPDATE outbox SET state = 'sent', sent_at = $1,"
			    " mail_message_id = $2, attempts = attempts + 1"
			    " WHERE id = $3",
			    "isi", now, x->msgid, x->r->id);
		if (!rc)
			rc = outbox_forget_secrets(db, x->r->id);
		if (!rc && x->r->ticket_id)
			rc = db_run(
				db, NULL, NULL,
				"INSERT INTO mail_ids (message_id,"
				" ticket_id, direction, created_at) VALUES"
				" ($1, $2, 'out', $3) ON CONFLICT DO NOTHING",
				"sii", x->msgid, x->r->ticket_id, now);
		return rc;
	}
	if (x->rc == AY_EIO && x->r->attempts + 1 < MAX_ATTEMPTS) {
		int64_t delay = (int64_t)60
				<< (x->r->attempts < 8 ? x->r->attempts : 8);

		return db_run(db, NULL, NULL,
			      "UPDATE outbox SET state = 'pending', attempts ="
			      " attempts + 1, next_attempt_at = $1, last_error"
			      " = $2 WHERE id = $3",
			      "isi", now + delay, x->err, x->r->id);
	}
	rc = db_run(db, NULL, NULL,
		    "UPDATE outbox SET state = 'failed', attempts = attempts +"
		    " 1, last_error = $1 WHERE id = $2",
		    "si", x->err, x->r->id);
	if (!rc)
		rc = outbox_forget_secrets(db, x->r->id);
	if (!rc && x->r->ticket_id)
		rc = ticket_mail_failed(db, x->r->ticket_id, x->r->kind,
					x->r->recipient, x->err, now);
	return rc;
}

/* Automatic notices (not an agent's answer) carry Auto-Submitted. */
static bool automatic(const char *kind)
{
	return strcmp(kind, "agent_reply") != 0;
}

/* The ticket and recipient of row r into t; account mail may go to an
 * address that is no user yet, its language and name in the payload. */
static ay_rc row_ticket(struct db *db, const struct row *r, json_t *payload,
			struct ticket_info *t)
{
	const char *pl = json_string_value(json_object_get(payload, "lang"));
	const char *pn = json_string_value(json_object_get(payload, "name"));
	ay_rc rc = load_ticket(db, r->ticket_id, t, r->recipient);

	if (rc)
		return rc;
	if (pl && (!strcmp(pl, "es") || !strcmp(pl, "en")))
		snprintf(t->lang, sizeof(t->lang), "%s", pl);
	if (pn && !t->name[0])
		snprintf(t->name, sizeof(t->name), "%s", pn);
	return AY_OK;
}

/* Subject and text of row r for t's reader (body: an agent's answer). */
static ay_rc row_render(struct db *db, const struct ay_config *cfg,
			const struct row *r, json_t *payload,
			const struct ticket_info *t, const char *body,
			struct buf *subject, struct buf *text)
{
	char due[160], review[160];
	struct outbox_view v;
	ay_rc rc;

	rc = due_text(db, r->ticket_id, t->lang, t->tz, due, sizeof(due));
	if (!rc)
		rc = review_text(db, r->ticket_id, payload, t, review,
				 sizeof(review));
	if (!rc && !strcmp(r->kind, "ticket_received") &&
	    json_is_true(json_object_get(payload, "kb")) &&
	    !json_object_get(payload, "articles"))
		rc = ticket_kb_articles(db, cfg, r->ticket_id, t->lang,
					payload);
	if (rc)
		return rc;
	v = (struct outbox_view){.kind = r->kind,
				 .lang = t->lang,
				 .name = t->name,
				 .subject = t->subject,
				 .level = t->level,
				 .due = due[0] ? due : NULL,
				 .review = review[0] ? review : NULL,
				 .out_of_scope = !strcmp(t->lang, "en")
							 ? cfg->out_of_scope_en
							 : cfg->out_of_scope_es,
				 .reopen_days = cfg->reopen_days,
				 .body = body,
				 .base_url = cfg->base_url,
				 .tag = cfg->subject_tag,
				 .number = t->number,
				 .payload = payload};
	rc = outbox_render(&v, subject, text);
	/* A subject stored with CR or LF (before they were normalised on
	 * the way in) must not make every mail of its ticket fail. */
	if (!rc && subject->ptr)
		subject->len = ay_oneline(subject->ptr);
	return rc;
}

/* The mail of row r to rcpt, in the thread of t, into out. */
static ay_rc row_compose(const struct ay_config *cfg, const struct row *r,
			 const struct ticket_info *t, const char *rcpt,
			 const char *msgid, const struct files *files,
			 struct buf *subject, struct buf *text,
			 struct buf *html, struct buf *out)
{
	const char *refs[AY_ARRAY_LEN(t->refs)];
	struct mail_out m = {
		.from = cfg->support_address,
		.from_name = i18n(t->lang, "Soporte"),
		.to = rcpt,
		.subject = buf_str(subject),
		.message_id = msgid,
		.in_reply_to = t->last_in[0] ? t->last_in
					     : (t->nrefs ? t->refs[t->nrefs - 1]
							 : NULL),
		.references = refs,
		.nrefs = (size_t)t->nrefs,
		.text = buf_str(text),
		.html = buf_str(html),
		.att = files->att,
		.natt = files->n,
		.automatic = automatic(r->kind),
		.loop_token = mailin_loop_token(cfg),
		.lang = t->lang};

	for (int i = 0; i < t->nrefs; i++)
		refs[i] = t->refs[i];
	return mail_compose(&m, out);
}

/* Send out to rcpt from the message's own return path, so that only a
 * real bounce of this mail is believed (mail/verp.h). */
static ay_rc row_send(const struct ay_config *cfg,
		      const struct mail_verp_key *key, const char *msgid,
		      const char *rcpt, const struct buf *out, struct sent *x)
{
	struct mail_smtp_conf sc = {
		.url = cfg->smtp_url,
		.user = cfg->smtp_user[0] ? cfg->smtp_user : NULL,
		.password = cfg->smtp_password,
		.tls = cfg->smtp_starttls ? MAIL_TLS_TRY : MAIL_TLS_NONE};
	char rpath[600];

	if (!key || mail_verp_return_path(key, cfg->support_address, msgid,
					  rpath, sizeof(rpath)))
		snprintf(rpath, sizeof(rpath), "%s", cfg->support_address);
	snprintf(x->msgid, sizeof(x->msgid), "%s", msgid);
	return mail_smtp_send(&sc, rpath, &rcpt, 1, out->ptr, out->len, x->err,
			      sizeof(x->err));
}

static void send_row(struct store *st, const struct ay_config *cfg,
		     const struct mail_verp_key *key, struct row *r,
		     struct sent *x)
{
	struct ticket_info *t = calloc(1, sizeof(*t));
	struct files *files = calloc(1, sizeof(*files));
	struct buf subject, text, html, out;
	char *msgid = NULL, *body = NULL;
	int64_t message;
	bool reply;
	const char *rcpt;
	struct db *db;
	json_t *payload = json_loads(r->payload, 0, NULL);

	buf_init(&subject, 0);
	buf_init(&text, 0);
	buf_init(&html, 0);
	buf_init(&out, 0);
	x->r = r;
	x->rc = t && files && payload ? store_reader(st, &db) : AY_ENOMEM;
	if (!x->rc)
		x->rc = row_ticket(db, r, payload, t);
	rcpt = r->recipient && *r->recipient ? r->recipient
	       : t			     ? t->requester
					     : "";
	if (!x->rc && (!rcpt || !*rcpt)) {
		snprintf(x->err, sizeof(x->err), "no recipient");
		x->rc = AY_EINVAL;
	}
	/* An agent's answer carries its text and files. */
	reply = !strcmp(r->kind, "agent_reply");
	message = json_integer_value(json_object_get(payload, "message"));
	if (!x->rc && reply)
		x->rc = message_body(db, message, &body);
	if (!x->rc && reply)
		x->rc = load_files(db, cfg, message,
				   cfg->max_message_attachments, files);
	if (!x->rc)
		x->rc = row_render(db, cfg, r, payload, t, body, &subject,
				   &text);
	if (!x->rc)
		x->rc = text_to_html(buf_str(&text), t->lang, &html);
	msgid = mail_new_message_id(cfg->mail_domain);
	if (!x->rc && !msgid)
		x->rc = AY_ENOMEM;
	if (!x->rc)
		x->rc = row_compose(cfg, r, t, rcpt, msgid, files, &subject,
				    &text, &html, &out);
	if (!x->rc)
		x->rc = row_send(cfg, key, msgid, rcpt, &out, x);
	if (x->rc && !x->err[0])
		snprintf(x->err, sizeof(x->err), "%s", ay_rc_str(x->rc));
	if (x->rc && x->rc != AY_EIO && x->rc != AY_EINVAL)
		x->rc = AY_EIO;
	free(msgid);
	free(body);
	free(t);
	if (files)
		files_release(files);
	free(files);
	json_decref(payload);
	buf_release(&subject);
	buf_release(&text);
	buf_release(&html);
	buf_release(&out);
}

ay_rc outbox_send_due(struct store *st, const struct ay_config *cfg, int *sent)
{
	struct claim *c;
	ay_rc rc;

	*sent = 0;
	if (!cfg->smtp_url[0])
		return AY_OK; /* mail not configured: rows wait */
	c = calloc(1, sizeof(*c));
	if (!c)
		return AY_ENOMEM;
	if (mail_verp_key_load(cfg->data_dir, true, &c->key)) {
		log_warn("no DATA/mail.key: mail leaves without its own return "
			 "path, and its bounces are not believed",
			 "dir=\"%s\"", cfg->data_dir);
		c->no_key = true;
	}
	rc = store_write(st, claim_run, c);
	if (rc)
		claim_clear(c); /* rolled back: nothing is ours */
	for (; !rc && c->next < c->n; c->next++) {
		struct sent x = {0};
		int i = c->next;

		if (ay_now() > c->at + CLAIM_LEASE - SEND_MAX)
			break; /* the lease is ending: leave the rest */
		send_row(st, cfg, c->no_key ? NULL : &c->key, &c->rows[i], &x);
		rc = store_write(st, record_run, &x);
		if (!x.rc)
			(*sent)++;
		else
			log_warn("mail not sent",
				 "outbox=%lld kind=%s err=\"%s\"",
				 (long long)c->rows[i].id, c->rows[i].kind,
				 x.err);
	}
	/* When recording a sent row failed, that row keeps its lease (its
	 * mail went out; it is sent again only if the lease ends). */
	if (c->next < c->n && store_write(st, release_run, c))
		log_warn("outbox claims not released; they expire", "rows=%d",
			 c->n - c->next);
	claim_clear(c);
	sodium_memzero(&c->key, sizeof(c->key));
	free(c);
	return rc;
}

static ay_rc recover_run(struct db *db, void *arg)
{
	(void)arg;
	return db_run(db, NULL, NULL,
		      "UPDATE outbox SET state = 'pending' WHERE state ="
		      " 'sending'",
		      NULL);
}

ay_rc outbox_recover(struct store *st)
{
	return store_write(st, recover_run, NULL);
}

void sched_outbox_task(struct store *st, const struct ay_config *cfg, void *arg)
{
	int sent = 0;

	(void)arg;
	if (outbox_send_due(st, cfg, &sent))
		log_error("outbox failed", "%s", "");
	else if (sent)
		log_info("outbox", "sent=%d", sent);
}
