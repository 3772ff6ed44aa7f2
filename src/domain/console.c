/* The agent console's shared state: drafts, presence, the answer
 * collision check, the feed of changes (console.h). */
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/console.h"
#include "domain/ticket.h"

static bool kind_ok(const char *kind, struct verr *err)
{
	if (kind && (!strcmp(kind, "reply") || !strcmp(kind, "note")))
		return true;
	verr_set(err, "kind", "se espera «reply» o «note»");
	return false;
}

/* The ticket's id if the actor is staff and may see it. */
static ay_rc console_ticket(struct db *db, const struct actor *a,
			    int64_t number, int64_t *tid)
{
	if (!access_console(a))
		return AY_ENOTFOUND;
	return ticket_lookup(db, a, number, tid);
}

static json_t *draft_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:s,s:o}", "kind", db_col_text(s, 0), "body",
			 db_col_text(s, 1), "updated_at", json_col_time(s, 2));
}

#define DRAFT_SELECT                                                           \
	"SELECT kind, body, updated_at FROM drafts WHERE user_id = $1"         \
	" AND ticket_id = $2"

ay_rc draft_put(struct db *db, const struct actor *a, int64_t number,
		const char *kind, const char *body, struct verr *err,
		json_t **out)
{
	int64_t tid;
	ay_rc rc = console_ticket(db, a, number, &tid);

	*out = NULL;
	if (rc)
		return rc;
	if (!kind_ok(kind, err))
		return AY_EINVAL;
	if (!body || strlen(body) > DRAFT_MAX_BYTES) {
		verr_set(err, "body",
			 "el borrador es un texto de hasta 100000 "
			 "bytes");
		return AY_EINVAL;
	}
	if (!*body) {
		*out = json_null();
		return draft_sent(db, a->user_id, tid, kind);
	}
	rc = db_run(db, NULL, NULL,
		    "INSERT INTO drafts (user_id, ticket_id, kind, body,"
		    " updated_at) VALUES ($1, $2, $3, $4, $5)"
		    " ON CONFLICT (user_id, ticket_id, kind) DO UPDATE SET"
		    " body = excluded.body, updated_at = excluded.updated_at",
		    "iissi", a->user_id, tid, kind, body, ay_now());
	if (rc)
		return rc;
	return draft_get(db, a, number, kind, out);
}

ay_rc draft_get(struct db *db, const struct actor *a, int64_t number,
		const char *kind, json_t **out)
{
	json_t *list = NULL;
	int64_t tid;
	ay_rc rc = console_ticket(db, a, number, &tid);

	*out = NULL;
	if (rc)
		return rc;
	if (!kind) {
		rc = db_rows_json(db, draft_row, NULL, &list,
				  DRAFT_SELECT " ORDER BY kind", "ii",
				  a->user_id, tid);
		if (!rc)
			*out = json_pack("{s:o}", "drafts", list);
		return rc ? rc : *out ? AY_OK : AY_ENOMEM;
	}
	rc = db_rows_json(db, draft_row, NULL, &list,
			  DRAFT_SELECT " AND kind = $3", "iis", a->user_id, tid,
			  kind);
	if (rc)
		return rc;
	if (json_array_size(list))
		*out = json_incref(json_array_get(list, 0));
	json_decref(list);
	return *out ? AY_OK : AY_ENOTFOUND;
}

ay_rc draft_delete(struct db *db, const struct actor *a, int64_t number,
		   const char *kind)
{
	struct verr err;
	int64_t tid;
	ay_rc rc = console_ticket(db, a, number, &tid);

	if (rc)
		return rc;
	if (!kind_ok(kind, &err))
		return AY_ENOTFOUND;
	return draft_sent(db, a->user_id, tid, kind);
}

ay_rc draft_sent(struct db *db, int64_t user_id, int64_t ticket_id,
		 const char *kind)
{
	return db_run(db, NULL, NULL,
		      "DELETE FROM drafts WHERE user_id = $1 AND ticket_id = $2"
		      " AND kind = $3",
		      "iis", user_id, ticket_id, kind);
}

static json_t *presence_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:{s:I,s:s},s:s,s:o}", "user", "id",
			 (json_int_t)db_col_int(s, 0), "name",
			 db_col_text(s, 1), "mode", db_col_text(s, 2), "until",
			 json_col_time(s, 3));
}

ay_rc presence_others(struct db *db, const struct actor *a, int64_t ticket_id,
		      int64_t now, json_t **out)
{
	return db_rows_json(db, presence_row, NULL, out,
			    "SELECT u.id, u.name, p.mode, p.until FROM presence"
			    " p JOIN users u ON u.id = p.user_id"
			    " WHERE p.ticket_id = $1 AND p.until > $2"
			    " AND p.user_id <> $3 ORDER BY p.mode DESC, u.name",
			    "iii", ticket_id, now, a->user_id);
}

static json_t *presence_any_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:I,s:{s:I,s:s},s:s,s:o}", "number",
			 (json_int_t)db_col_int(s, 0), "user", "id",
			 (json_int_t)db_col_int(s, 1), "name",
			 db_col_text(s, 2), "mode", db_col_text(s, 3), "until",
			 json_col_time(s, 4));
}

/* The other staff on each of the tickets q->numbers at q->now, appended
 * to who: one indexed read a ticket. */
static ay_rc presence_of(struct db *db, const struct actor *a,
			 const struct changes_query *q, json_t *who)
{
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < q->nnumbers; i++) {
		json_t *rows = NULL;

		rc = db_rows_json(db, presence_any_row, NULL, &rows,
				  "SELECT t.number, u.id, u.name, p.mode,"
				  " p.until FROM tickets t JOIN presence p"
				  " ON p.ticket_id = t.id JOIN users u"
				  " ON u.id = p.user_id WHERE t.number = $1"
				  " AND p.until > $2 AND p.user_id <> $3"
				  " ORDER BY p.mode DESC, u.name",
				  "iii", q->numbers[i], q->now, a->user_id);
		if (!rc && json_array_extend(who, rows))
			rc = AY_ENOMEM;
		json_decref(rows);
	}
	return rc;
}

ay_rc presence_beat(struct db *db, const struct actor *a, int64_t number,
		    const char *mode, int64_t now, struct verr *err,
		    json_t **others)
{
	int64_t tid;
	ay_rc rc = console_ticket(db, a, number, &tid);

	if (others)
		*others = NULL;
	if (rc)
		return rc;
	if (mode && strcmp(mode, "viewing") && strcmp(mode, "writing")) {
		verr_set(err, "mode", "se espera «viewing» o «writing»");
		return AY_EINVAL;
	}
	if (mode)
		rc = db_run(db, NULL, NULL,
			    "INSERT INTO presence (user_id, ticket_id, mode,"
			    " until) VALUES ($1, $2, $3, $4)"
			    " ON CONFLICT (user_id, ticket_id) DO UPDATE SET"
			    " mode = excluded.mode, until = excluded.until",
			    "iisi", a->user_id, tid, mode, now + PRESENCE_TTL);
	else
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM presence WHERE user_id = $1 AND"
			    " ticket_id = $2",
			    "ii", a->user_id, tid);
	/* Expired heartbeats go as new ones come. */
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM presence WHERE until < $1", "i",
			    now - PRESENCE_TTL);
	if (!rc && others)
		rc = presence_others(db, a, tid, now, others);
	return rc;
}

static json_t *answer_row(struct db_stmt *s, void *arg)
{
	(void)arg;
	return json_pack("{s:{s:I,s:s},s:I,s:s,s:o}", "user", "id",
			 (json_int_t)db_col_int(s, 0), "name",
			 db_col_text(s, 1), "message_id",
			 (json_int_t)db_col_int(s, 2), "kind",
			 db_col_text(s, 3), "at", json_col_time(s, 4));
}

ay_rc console_answered_since(struct db *db, const struct actor *a,
			     int64_t number, int64_t last_seen, json_t **out)
{
	int64_t tid;
	ay_rc rc = ticket_lookup(db, a, number, &tid);

	*out = NULL;
	if (rc)
		return rc;
	return db_rows_json(
		db, answer_row, NULL, out,
		"SELECT u.id, u.name, m.id, m.kind, m.created_at"
		" FROM messages m JOIN users u ON u.id = m.author_id"
		" WHERE m.ticket_id = $1 AND m.id > $2"
		" AND m.kind IN ('reply', 'customer')"
		" AND m.author_id <> $3 ORDER BY m.id",
		"iii", tid, last_seen, a->user_id);
}

#define CHANGES_MAX 500

/* The newest event id. */
static ay_rc last_event(struct db *db, int64_t *seq)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT COALESCE(MAX(id), 0) FROM events", NULL);

	if (!rc && row)
		*seq = db_col_int(s, 0);
	db_reset(s);
	return rc;
}

/* Append number to nums unless it is there. */
static ay_rc add_number(json_t *nums, int64_t number)
{
	size_t i, len = json_array_size(nums);

	for (i = 0; i < len; i++)
		if (json_integer_value(json_array_get(nums, i)) == number)
			return AY_OK;
	return json_array_append_new(nums, json_integer(number)) ? AY_ENOMEM
								 : AY_OK;
}

/* Skip a run of 1 to 19 digits at *p. */
static bool digits(const char **p)
{
	size_t n = strspn(*p, "0123456789");

	*p += n;
	return n > 0 && n < 20;
}

/* Whether v is a cursor of PostgreSQL's: a snapshot "xmin:xmax:xip,..."
 * (the list may be empty). */
static bool pg_cursor_valid(const char *v)
{
	const char *p = v;

	if (strlen(v) > 8000 || !digits(&p) || *p++ != ':' || !digits(&p) ||
	    *p++ != ':')
		return false;
	if (!*p)
		return true;
	while (digits(&p)) {
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
	return false;
}

/* A cursor of SQLite's: an event id. */
static bool id_cursor(const char *v, int64_t *id)
{
	const char *p = v;

	if (!digits(&p) || *p)
		return false;
	*id = strtoll(v, NULL, 10);
	return true;
}

/* PostgreSQL: several servers commit events out of id order (an id is
 * taken at the insert, the commit comes later), so the cursor is not an
 * event id but the snapshot of the poll: which transactions' events it saw
 * (all below xmin, none from xmax on, none of the list in between). A poll
 * gives the tickets of the events now visible that the cursor's snapshot
 * did not see: one committed after a later one comes at the next poll,
 * and none comes twice. The snapshot is cut to the newest event's
 * transaction (the ones after it have no event seen yet), so that it only
 * moves when events do. At most CHANGES_PG_MAX tickets. */
#define CHANGES_PG_MAX 10000
#define PG_NOW                                                                 \
	"WITH n AS (SELECT pg_current_snapshot() AS s, (SELECT"                \
	" COALESCE(MAX(tx), 0) + 1 FROM events) AS m), c AS (SELECT"           \
	" LEAST(pg_snapshot_xmin(s)::text::bigint, m) || ':' ||"               \
	" LEAST(pg_snapshot_xmax(s)::text::bigint, m) || ':' || COALESCE("     \
	"(SELECT string_agg(x::text, ',' ORDER BY x::text::bigint) FROM"       \
	" pg_snapshot_xip(s) x WHERE x::text::bigint < m), '') AS seq FROM n)"
static ay_rc changes_pg(struct db *db, const struct changes_query *q,
			json_t *nums, json_t **seq, bool *more)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*more = false;
	if (q->since && !pg_cursor_valid(q->since))
		return AY_EINVAL;
	if (!q->since)
		rc = db_run(db, &s, &row, PG_NOW " SELECT seq, NULL FROM c",
			    NULL);
	else
		rc = db_run(db, &s, &row,
			    PG_NOW
			    " SELECT c.seq, x.number FROM c LEFT JOIN"
			    " (SELECT t.number, MIN(e.tx) AS first FROM"
			    " events e JOIN tickets t ON t.id = e.ticket_id"
			    " WHERE e.tx >= pg_snapshot_xmin($1::pg_snapshot)"
			    "::text::bigint AND NOT pg_visible_in_snapshot("
			    "e.tx::text::xid8, $1::pg_snapshot) GROUP BY"
			    " t.number ORDER BY 2, 1 LIMIT $2) x ON true",
			    "si", q->since, (int64_t)CHANGES_PG_MAX);
	if (!rc && row)
		*seq = json_string(db_col_text(s, 0));
	while (!rc && row) {
		if (!db_col_null(s, 1) &&
		    json_array_append_new(nums, json_integer(db_col_int(s, 1))))
			rc = AY_ENOMEM;
		if (!rc)
			rc = db_step(s, &row);
	}
	db_reset(s);
	return rc ? rc : *seq ? AY_OK : AY_ENOMEM;
}

/* SQLite: one writer at a time commits events in id order; the cursor is
 * the newest event id, and a page of CHANGES_MAX events stops at its
 * last. */
static ay_rc changes_sqlite(struct db *db, const struct changes_query *q,
			    json_t *nums, json_t **seq, bool *more)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t top = 0, since = 0, last = 0;
	int n = 0;
	ay_rc rc;

	*more = false;
	if (q->since && !id_cursor(q->since, &since))
		return AY_EINVAL;
	/* The newest event first, then the range up to it: an event written
	 * meanwhile is left for the next poll, never skipped. */
	rc = last_event(db, &top);
	if (!rc && q->since)
		rc = db_run(db, &s, &row,
			    "SELECT t.number, e.id FROM events e JOIN tickets t"
			    " ON t.id = e.ticket_id WHERE e.id > $1 AND"
			    " e.id <= $2 ORDER BY e.id LIMIT $3",
			    "iii", since, top, (int64_t)CHANGES_MAX);
	while (!rc && row) {
		rc = add_number(nums, db_col_int(s, 0));
		last = db_col_int(s, 1);
		n++;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	if (rc)
		return rc;
	*more = n == CHANGES_MAX;
	/* Events without a ticket move the sequence on too. */
	*seq = json_integer(*more ? last : top < since ? since : top);
	return *seq ? AY_OK : AY_ENOMEM;
}

ay_rc console_changes(struct db *db, const struct actor *a,
		      const struct changes_query *q, json_t **out)
{
	json_t *nums, *seq = NULL, *who = NULL;
	bool more = false;
	ay_rc rc;

	*out = NULL;
	if (!access_console(a))
		return AY_ENOTFOUND;
	nums = json_array();
	if (!nums)
		return AY_ENOMEM;
	rc = db_dialect(db) == DB_PG ? changes_pg(db, q, nums, &seq, &more)
				     : changes_sqlite(db, q, nums, &seq, &more);
	if (!rc && q->numbers) {
		who = json_array();
		rc = who ? presence_of(db, a, q, who) : AY_ENOMEM;
	}
	if (!rc)
		*out = json_pack("{s:o,s:O,s:b,s:o*}", "seq", seq, "tickets",
				 nums, "more", more, "presence", who);
	else {
		json_decref(seq);
		json_decref(who);
	}
	json_decref(nums);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}
