/* What a calendar change does to the deadlines already running (issue 13,
 * item 7): the running response targets counted on a calendar are timed
 * again under a calendar spec, proposed (what-if, nothing written) or just
 * saved (their due and warning times moved, in the same transaction). Both
 * go through one scan, so the list shown before saving is exactly what
 * saving does. Also the what-if of one target: a start and a number of
 * minutes in, the due time and its explanation out. */
#include <stdlib.h>
#include <string.h>

#include "domain/sla_int.h"
#include "sla/explain.h"
#include "util/grow.h"

/* One running target that a calendar moves. */
struct move {
	int64_t target_id, ticket_id, number;
	int64_t due_before, due_after, warn_after;
	bool breached; /* marked breached before the move */
	char *subject;
};

struct moves {
	struct move *v;
	size_t n, cap;
	size_t scanned; /* running targets on the calendar */
};

static void moves_release(struct moves *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].subject);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static ay_rc moves_push(struct moves *m, const struct move *x)
{
	if (ay_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v)))
		return AY_ENOMEM;
	m->v[m->n] = *x;
	m->v[m->n].subject = strdup(x->subject ? x->subject : "");
	if (!m->v[m->n].subject)
		return AY_ENOMEM;
	m->n++;
	return AY_OK;
}

/* Time a running business-clock target again on cal: the due time is where
 * `minutes` plus the open time already paused run out from its start (what
 * sla_clock.c arrives at, pause after pause, on an unchanged calendar); the
 * warning at 80 % likewise. */
static void retime(const struct sla_calendar *cal, int64_t started,
		   int64_t minutes, int64_t paused, int64_t *due, int64_t *warn)
{
	*due = sla_due_seconds(cal, started, minutes * 60 + paused,
			       SLA_CLOCK_BUSINESS);
	*warn = sla_due_seconds(cal, started, minutes * 4 / 5 * 60 + paused,
				SLA_CLOCK_BUSINESS);
}

/* Every running response target on calendar name whose due time differs
 * under cal, by ticket number. Calendar-clock levels never move. */
static ay_rc scan(struct db *db, const char *name,
		  const struct sla_calendar *cal, struct moves *out)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	rc = db_run(db, &s, &row,
		    "SELECT st.id, t.id, t.number, t.subject, st.started_at,"
		    " st.minutes, st.paused_seconds, st.due_at,"
		    " st.breached_at IS NOT NULL"
		    " FROM sla_targets st"
		    " JOIN sla_levels l ON l.id = st.level_id"
		    " JOIN tickets t ON t.id = st.ticket_id"
		    " WHERE st.met_at IS NULL AND st.kind = 'response'"
		    " AND l.calendar = $1 AND l.clock = 'business'"
		    " ORDER BY t.number",
		    "s", name);
	while (!rc && row) {
		struct move m = {
			.target_id = db_col_int(s, 0),
			.ticket_id = db_col_int(s, 1),
			.number = db_col_int(s, 2),
			.due_before = db_col_int(s, 7),
			.breached = db_col_int(s, 8) != 0,
		};

		out->scanned++;
		retime(cal, db_col_int(s, 4), db_col_int(s, 5),
		       db_col_int(s, 6), &m.due_after, &m.warn_after);
		if (m.due_after != SLA_TIME_INVALID &&
		    m.warn_after != SLA_TIME_INVALID &&
		    m.due_after != m.due_before) {
			m.subject = (char *)db_col_text(s, 3);
			rc = moves_push(out, &m);
		}
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	if (rc)
		moves_release(out);
	return rc;
}

/* Move one target as x says, at now: a breach (or warning) mark whose
 * time is now in the future goes, so the breach job marks it again only
 * if the new time passes; the ticket's history says why it moved. */
static ay_rc move_target(struct db *db, int64_t actor_id, const char *name,
			 const char *title, const struct move *x, int64_t now)
{
	json_t *data;
	ay_rc rc;

	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET due_at = $1, warn_at = $2,"
		    " breached_at = CASE WHEN $1 > $4 THEN NULL"
		    " ELSE breached_at END,"
		    " warned_at = CASE WHEN $2 > $4 THEN NULL"
		    " ELSE warned_at END WHERE id = $3",
		    "iiii", x->due_after, x->warn_after, x->target_id, now);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET sla_due_at = (SELECT"
			    " due_at FROM sla_targets WHERE ticket_id"
			    " = $1 AND met_at IS NULL ORDER BY id DESC"
			    " LIMIT 1) WHERE id = $1",
			    "i", x->ticket_id);
	if (rc)
		return rc;
	data = json_pack("{s:s,s:s*,s:I,s:I,s:b}", "calendar", name,
			 "calendar_title", title, "due_before",
			 (json_int_t)x->due_before, "due_after",
			 (json_int_t)x->due_after, "breach_lifted",
			 x->breached && x->due_after > now);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, x->ticket_id, actor_id, "sla.due_moved", data);
	json_decref(data);
	return rc;
}

ay_rc sla_calendar_retime(struct db *db, int64_t actor_id, const char *name,
			  const char *title, size_t *moved)
{
	const struct sla_calendar *cal = NULL;
	int64_t now = ay_now();
	struct moves m;
	ay_rc rc;

	*moved = 0;
	rc = sla_calendar_get(db, name, &cal);
	if (!rc)
		rc = scan(db, name, cal, &m);
	sla_calendar_release(cal);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < m.n; i++)
		rc = move_target(db, actor_id, name, title, &m.v[i], now);
	*moved = m.n;
	moves_release(&m);
	return rc;
}

/* Which key a reason of sla_calendar_from_json() names ('date', 'to', ...),
 * into key; "" when none. */
static void reason_key(const char *msg, char *key, size_t keylen)
{
	const char *a = strchr(msg, '\'');
	const char *b = a ? strchr(a + 1, '\'') : NULL;

	key[0] = '\0';
	if (a && b && (size_t)(b - a - 1) < keylen)
		snprintf(key, keylen, "%.*s", (int)(b - a - 1), a + 1);
}

void sla_spec_error(const char *msg, struct verr *err)
{
	static const struct {
		const char *key, *es;
	} known[] = {
		{"date", "la fecha no es válida: AAAA-MM-DD (un día) o MM-DD "
			 "(cada año), una fecha que exista"},
		{"easter", "los días desde el domingo de Pascua deben ser un "
			   "número entero entre -200 y 200"},
		{"name", "el nombre es obligatorio (hasta 200 caracteres)"},
		{"since", "el año desde el que se aplica debe estar entre "
			  "1970 y 2100"},
		{"from", "el inicio no es válido: una fecha y hora con su "
			 "zona, p. ej. 2026-03-10T12:00:00-05:00"},
		{"to", "el fin no es válido: una fecha y hora con su zona, "
		       "posterior al inicio"},
		{"reason", "el motivo es demasiado largo (hasta 500 "
			   "caracteres)"},
		{"title", "el título es obligatorio si se da (hasta 120 "
			  "caracteres, en una línea)"},
	};
	char key[32];

	reason_key(msg, key, sizeof(key));
	if (strstr(msg, "exactly one of"))
		snprintf(key, sizeof(key), "date");
	for (size_t i = 0; i < AY_ARRAY_LEN(known); i++)
		if (!strcmp(key, known[i].key)) {
			verr_set(err, key, known[i].es);
			return;
		}
	verr_set(err, "calendar", msg);
}

/* The spec calendar name would have with change applied: {"holiday":{..}}
 * or {"closure":{..}} appended to the stored one, or {"spec":{..}}. */
static ay_rc propose(struct db *db, const char *name, const json_t *change,
		     json_t **out, struct verr *err)
{
	static const char *const kinds[][2] = {{"holiday", "holidays"},
					       {"closure", "closures"},
					       {"spec", NULL}};
	const json_t *item = NULL;
	json_t *spec = NULL, *list;
	size_t k = 0, found = 0;
	ay_rc rc;

	*out = NULL;
	for (size_t i = 0; i < AY_ARRAY_LEN(kinds); i++)
		if (json_object_get(change, kinds[i][0])) {
			item = json_object_get(change, kinds[i][0]);
			k = i;
			found++;
		}
	if (found != 1 || json_object_size(change) != 1 ||
	    !json_is_object(item)) {
		verr_set(err, "change",
			 "indique un cambio: «holiday», «closure» o «spec»");
		return AY_EINVAL;
	}
	if (!kinds[k][1]) {
		*out = json_deep_copy(item);
		return *out ? AY_OK : AY_ENOMEM;
	}
	rc = sla_calendar_json(db, name, &spec);
	if (rc)
		return rc;
	list = json_object_get(spec, kinds[k][1]);
	if (!list) {
		list = json_array();
		json_object_set_new(spec, kinds[k][1], list);
	}
	if (json_array_append(list, (json_t *)item)) {
		json_decref(spec);
		return AY_ENOMEM;
	}
	*out = spec;
	return AY_OK;
}

/* The JSON of the moves: business minutes measured on the calendar as it
 * is now (what the change adds to, or takes from, the wait). */
static json_t *moves_json(const struct sla_calendar *now, const struct moves *m)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < m->n; i++) {
		const struct move *x = &m->v[i];
		bool later = x->due_after > x->due_before;
		int64_t lo = later ? x->due_before : x->due_after;
		int64_t hi = later ? x->due_after : x->due_before;
		int64_t sign = later ? 1 : -1;
		json_t *o = json_pack(
			"{s:I,s:s,s:o,s:o,s:I,s:I}", "ticket",
			(json_int_t)x->number, "subject", x->subject,
			"due_before", sla_when_json(now, x->due_before),
			"due_after", sla_when_json(now, x->due_after),
			"business_minutes",
			(json_int_t)(sign * sla_open_seconds(now, lo, hi) / 60),
			"wall_minutes",
			(json_int_t)((x->due_after - x->due_before) / 60));

		if (!o || json_array_append_new(list, o)) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

ay_rc sla_calendar_whatif(struct db *db, const char *name, const json_t *change,
			  struct verr *err, json_t **out)
{
	const struct sla_calendar *now = NULL;
	struct sla_calendar *cal = NULL;
	struct moves m = {0};
	json_t *spec = NULL, *list;
	char msg[160];
	ay_rc rc;

	*out = NULL;
	rc = propose(db, name, change, &spec, err);
	if (rc)
		return rc;
	json_object_set_new(spec, "name", json_string(name));
	if (sla_calendar_from_json(spec, &cal, msg, sizeof(msg))) {
		sla_spec_error(msg, err);
		rc = AY_EINVAL;
		goto out;
	}
	rc = sla_calendar_get(db, name, &now);
	if (!rc)
		rc = scan(db, name, cal, &m);
	if (rc)
		goto out;
	list = moves_json(now, &m);
	*out = list ? json_pack("{s:s,s:I,s:o}", "calendar", name, "running",
				(json_int_t)m.scanned, "moved", list)
		    : NULL;
	if (!*out)
		rc = AY_ENOMEM;
out:
	moves_release(&m);
	sla_calendar_release(now);
	sla_calendar_free(cal);
	json_decref(spec);
	return rc;
}

ay_rc sla_calendar_due_explain(struct db *db, const char *name, int64_t start,
			       int64_t minutes, enum sla_clock clock,
			       struct verr *err, json_t **out)
{
	const struct sla_calendar *cal = NULL;
	struct sla_explain e = {0};
	int64_t due, first;
	json_t *o = NULL;
	ay_rc rc;

	*out = NULL;
	rc = sla_calendar_get(db, name, &cal);
	if (rc)
		return rc;
	due = sla_due(cal, start, minutes, clock);
	if (due == SLA_TIME_INVALID) {
		verr_set(err, "start",
			 "sin respuesta: el inicio o el vencimiento quedan "
			 "fuera de los años del calendario");
		rc = AY_EINVAL;
		goto out;
	}
	if (clock == SLA_CLOCK_CALENDAR) {
		e.parts = calloc(1, sizeof(*e.parts));
		if (!e.parts) {
			rc = AY_ENOMEM;
			goto out;
		}
		e.n = 1;
		e.parts[0] = (struct sla_part){SLA_PART_OPEN, start, due,
					       due - start, NULL};
	} else {
		rc = sla_explain(cal, start, due, NULL, 0, &e);
		if (rc)
			goto out;
	}
	first = clock == SLA_CLOCK_CALENDAR ? start : sla_next_open(cal, start);
	o = json_pack(
		"{s:s,s:I,s:s,s:o,s:o,s:o}", "calendar", name, "target_minutes",
		(json_int_t)minutes, "clock",
		clock == SLA_CLOCK_CALENDAR ? "calendar" : "business", "start",
		sla_when_json(cal, start), "counted_from",
		sla_when_json(cal, first == SLA_TIME_INVALID ? start : first),
		"due_at", sla_when_json(cal, due));
	rc = o ? sla_explain_parts_json(cal, &e, o) : AY_ENOMEM;
	if (!rc) {
		*out = o;
		o = NULL;
	}
out:
	json_decref(o);
	sla_explain_release(&e);
	sla_calendar_release(cal);
	return rc;
}
