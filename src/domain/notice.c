/* Notifications: what each outbox row says, in its reader's language.
 * The one renderer of notification mail: the outbox worker sends what it
 * renders, and the admin console previews it (domain/notice.h). */
#include <stdlib.h>
#include <string.h>

#include "domain/notice.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "mail/compose.h"
#include "util/i18n.h"
#include "util/str.h"

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

/* An SLA inclusion request rejected: the reason, and where to ask. */
static ay_rc render_inclusion_rejected(const struct outbox_view *v,
				       struct buf *text)
{
	const char *reason =
		json_string_value(json_object_get(v->payload, "reason"));
	ay_rc rc;

	rc = line(text, v->lang,
		  T("Hemos revisado su solicitud de inclusión en el SLA "
		    "(ticket %lld) y no podemos aprobarla."),
		  (long long)v->number);
	if (!rc && reason)
		rc = line(text, v->lang, T("Motivo: %s"), reason);
	if (!rc)
		rc = line(text, v->lang, "%s",
			  T("Si tiene dudas, responda a este correo o "
			    "consulte a su consultor comercial Bitrix24."));
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
	} else if (!strcmp(k, "comment_received")) {
		rc = line(
			text, v->lang,
			json_is_true(json_object_get(v->payload, "reopened"))
				? T("Hemos reabierto el ticket %lld con su "
				    "mensaje. Será atendido según su nivel "
				    "de servicio (%s).")
				: T("Hemos añadido su mensaje al ticket %lld. "
				    "Será atendido según su nivel de "
				    "servicio (%s)."),
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
	} else if (!strcmp(k, "sla_inclusion_rejected")) {
		rc = render_inclusion_rejected(v, text);
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

static ay_rc load_ticket(struct db *db, int64_t tid, struct notice_ticket *t,
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
	/* In the order they were written: SQLite's rowid; PostgreSQL has
	 * none, and its message ids come in order of time only. */
	rc = db_run(
		db, &s, &row,
		DB_SQL(db,
		       "SELECT message_id FROM mail_ids WHERE ticket_id = $1"
		       " ORDER BY created_at, rowid LIMIT 20",
		       "SELECT message_id FROM mail_ids WHERE ticket_id = $1"
		       " ORDER BY created_at, message_id LIMIT 20"),
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
			 const struct notice_ticket *t, char *out,
			 size_t outlen)
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

ay_rc notice_message_body(struct db *db, int64_t mid, char **out)
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

ay_rc notice_ticket_load(struct db *db, int64_t tid, const char *recipient,
			 json_t *payload, struct notice_ticket *t)
{
	const char *pl = json_string_value(json_object_get(payload, "lang"));
	const char *pn = json_string_value(json_object_get(payload, "name"));
	ay_rc rc = load_ticket(db, tid, t, recipient);

	if (rc)
		return rc;
	if (pl && (!strcmp(pl, "es") || !strcmp(pl, "en")))
		snprintf(t->lang, sizeof(t->lang), "%s", pl);
	if (pn && !t->name[0])
		snprintf(t->name, sizeof(t->name), "%s", pn);
	return AY_OK;
}

ay_rc notice_render(struct db *db, const struct ay_config *cfg,
		    const char *kind, int64_t tid, json_t *payload,
		    const struct notice_ticket *t, const char *body,
		    struct buf *subject, struct buf *text, struct buf *html)
{
	char due[160], review[160];
	struct outbox_view v;
	ay_rc rc;

	rc = due_text(db, tid, t->lang, t->tz, due, sizeof(due));
	if (!rc)
		rc = review_text(db, tid, payload, t, review, sizeof(review));
	if (!rc && !strcmp(kind, "ticket_received") &&
	    json_is_true(json_object_get(payload, "kb")) &&
	    !json_object_get(payload, "articles"))
		rc = ticket_kb_articles(db, cfg, tid, t->lang, payload);
	if (rc)
		return rc;
	v = (struct outbox_view){.kind = kind,
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
	if (!rc)
		rc = text_to_html(buf_str(text), t->lang, html);
	return rc;
}
