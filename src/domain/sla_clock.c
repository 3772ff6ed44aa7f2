/* The SLA clock: response and review targets of a ticket, started,
 * paused, met and moved as the ticket changes. */
#include <stdlib.h>
#include <string.h>

#include "domain/sla_int.h"
#include "domain/ticket.h"
#include "util/log.h"

/* --- targets --- */

/* The instant at which `secs` of clock time have elapsed from t; t itself
 * for nothing to add (a shift, unlike a new target, never moves to the next
 * opening). */
static int64_t due_add(const struct sla_calendar *cal, int64_t t, int64_t secs,
		       enum sla_clock clock)
{
	if (secs <= 0)
		return t;
	return sla_due_seconds(cal, t, secs, clock);
}

int64_t sla_elapsed(const struct sla_calendar *cal, int64_t from, int64_t to,
		    enum sla_clock clock)
{
	if (to <= from)
		return 0;
	return clock == SLA_CLOCK_CALENDAR ? to - from
					   : sla_open_seconds(cal, from, to);
}

static ay_rc sync_ticket_due(struct db *db, int64_t ticket_id)
{
	return db_run(db, NULL, NULL,
		      "UPDATE tickets SET sla_due_at = (SELECT due_at FROM"
		      " sla_targets WHERE ticket_id = $1 AND met_at IS NULL"
		      " ORDER BY id DESC LIMIT 1) WHERE id = $1",
		      "i", ticket_id);
}

/* The target level l starts at `at` (t->kind NULL: none, the level runs
 * no clock). */
static ay_rc plan_target(struct db *db, const struct level *l, int64_t at,
			 struct sla_start *t)
{
	const struct sla_calendar *cal = NULL;
	ay_rc rc;

	*t = (struct sla_start){.level_id = l->id, .at = at};
	if (l->minutes <= 0 && l->review_days <= 0)
		return AY_OK;
	rc = sla_calendar_get(db, l->calendar, &cal);
	if (rc)
		return rc;
	t->kind = "response";
	t->minutes = l->minutes;
	if (l->minutes > 0) {
		t->due = sla_due(cal, at, l->minutes, l->clock);
		t->warn = sla_due(cal, at, l->minutes * 4 / 5, l->clock);
	} else {
		t->kind = "review";
		t->minutes = l->review_days * 1440;
		t->due = at + l->review_days * 86400;
		t->warn = t->due;
	}
	sla_calendar_release(cal);
	if (t->due == SLA_TIME_INVALID || t->warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	return AY_OK;
}

static ay_rc insert_target(struct db *db, int64_t ticket_id,
			   const struct sla_start *t)
{
	if (!t->kind)
		return AY_OK;
	return db_run(db, NULL, NULL,
		      "INSERT INTO sla_targets (ticket_id, level_id, kind,"
		      " started_at, minutes, due_at, warn_at)"
		      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
		      "iisiiii", ticket_id, t->level_id, t->kind, t->at,
		      t->minutes, t->due, t->warn);
}

static ay_rc start_target(struct db *db, int64_t ticket_id,
			  const struct level *l, int64_t at)
{
	struct sla_start t;
	ay_rc rc = plan_target(db, l, at, &t);

	if (!rc)
		rc = insert_target(db, ticket_id, &t);
	return rc || !t.kind ? rc : sync_ticket_due(db, ticket_id);
}

ay_rc sla_start_plan(struct db *db, int64_t level_id, int64_t at,
		     struct sla_start *out)
{
	struct level l;
	ay_rc rc = sla_level_by_id(db, level_id, &l);

	return rc ? rc : plan_target(db, &l, at, out);
}

ay_rc sla_on_created(struct db *db, int64_t ticket_id,
		     const struct sla_start *t)
{
	return insert_target(db, ticket_id, t);
}

struct running {
	int64_t id, level_id, started, due, warn, paused_at, paused;
	bool found;
};

static ay_rc running_target(struct db *db, int64_t ticket_id, struct running *t)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(t, 0, sizeof(*t));
	rc = db_run(db, &s, &row,
		    "SELECT id, level_id, started_at, due_at,"
		    " COALESCE(warn_at, due_at), COALESCE(paused_at, 0),"
		    " paused_seconds FROM sla_targets WHERE ticket_id = $1"
		    " AND kind = 'response' AND met_at IS NULL"
		    " ORDER BY id DESC LIMIT 1",
		    "i", ticket_id);
	if (rc || !row)
		return rc;
	t->found = true;
	t->id = db_col_int(s, 0);
	t->level_id = db_col_int(s, 1);
	t->started = db_col_int(s, 2);
	t->due = db_col_int(s, 3);
	t->warn = db_col_int(s, 4);
	t->paused_at = db_col_int(s, 5);
	t->paused = db_col_int(s, 6);
	db_reset(s);
	return AY_OK;
}

static ay_rc ticket_level(struct db *db, int64_t ticket_id, struct level *l)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int64_t id;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT sla_level_id FROM tickets WHERE id = $1", "i",
			  ticket_id);

	if (rc)
		return rc;
	if (!row || db_col_null(s, 0)) {
		db_reset(s);
		return AY_ENOTFOUND;
	}
	id = db_col_int(s, 0);
	db_reset(s);
	return sla_level_by_id(db, id, l);
}

static ay_rc meet(struct db *db, int64_t ticket_id, int64_t at)
{
	const struct sla_calendar *cal;
	struct running t;
	struct level l;
	int64_t used;
	json_t *data;
	ay_rc rc;

	rc = running_target(db, ticket_id, &t);
	if (rc || !t.found)
		return rc;
	rc = sla_level_by_id(db, t.level_id, &l);
	if (!rc)
		rc = sla_calendar_get(db, l.calendar, &cal);
	if (rc)
		return rc;
	used = sla_elapsed(cal, t.started, t.paused_at ? t.paused_at : at,
			   l.clock) -
	       t.paused;
	sla_calendar_release(cal);
	if (used < 0)
		used = 0;
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET met_at = $1, used_minutes = $2,"
		    " paused_at = NULL, breached_at = CASE WHEN breached_at"
		    " IS NULL AND $1 > due_at THEN due_at ELSE breached_at"
		    " END WHERE id = $3",
		    "iii", at, used / 60, t.id);
	if (!rc)
		rc = sync_ticket_due(db, ticket_id);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:b}", "used_minutes", (json_int_t)(used / 60),
			 "on_time", at <= t.due);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, ticket_id, 0, "sla.met", data);
	json_decref(data);
	return rc;
}

/* Is the public message `back` places before the newest one (0: the
 * newest) of the given kind ('customer' or 'reply')? */
static ay_rc public_message_is(struct db *db, int64_t ticket_id, int64_t back,
			       const char *kind, bool *is)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT kind FROM messages WHERE ticket_id = $1 AND"
			  " kind IN ('customer', 'reply') ORDER BY id DESC"
			  " LIMIT 1 OFFSET $2",
			  "ii", ticket_id, back);

	*is = false;
	if (rc)
		return rc;
	if (row)
		*is = !strcmp(db_col_text(s, 0), kind);
	db_reset(s);
	return AY_OK;
}

/* Was the last public message of the ticket (before the newest one) the
 * agent's? */
static ay_rc last_public_was_agent(struct db *db, int64_t ticket_id,
				   bool *agent)
{
	return public_message_is(db, ticket_id, 1, "reply", agent);
}

/* A target started on a ticket whose clock stands still (a customer writing
 * on a closed ticket, a requester identified while the ticket waits for
 * them) starts paused. */
static ay_rc pause_if_stopped(struct db *db, int64_t ticket_id, int64_t at)
{
	return db_run(db, NULL, NULL,
		      "UPDATE sla_targets SET paused_at = $1 WHERE ticket_id ="
		      " $2 AND kind = 'response' AND met_at IS NULL AND"
		      " paused_at IS NULL AND (SELECT status FROM tickets"
		      " WHERE id = $2) IN ('pending_customer', 'resolved',"
		      " 'closed')",
		      "ii", at, ticket_id);
}

ay_rc sla_on_message(struct db *db, int64_t ticket_id, const char *kind,
		     int64_t at)
{
	struct running t;
	struct level l;
	bool agent;
	ay_rc rc;

	if (!strcmp(kind, "reply"))
		return meet(db, ticket_id, at);
	if (strcmp(kind, "customer"))
		return AY_OK; /* notes and system messages do not count */
	rc = running_target(db, ticket_id, &t);
	if (rc || t.found)
		return rc;
	rc = last_public_was_agent(db, ticket_id, &agent);
	if (rc || !agent)
		return rc;
	rc = ticket_level(db, ticket_id, &l);
	if (rc == AY_ENOTFOUND)
		return AY_OK;
	if (rc || l.minutes <= 0)
		return rc;
	rc = start_target(db, ticket_id, &l, at);
	return rc ? rc : pause_if_stopped(db, ticket_id, at);
}

/* Statuses in which the response clock stands still: waiting for the
 * customer, and solved or closed (nothing is owed until a reopen). */
static bool clock_stopped(const char *status)
{
	return !strcmp(status, "pending_customer") ||
	       !strcmp(status, "resolved") || !strcmp(status, "closed");
}

ay_rc sla_on_status(struct db *db, int64_t ticket_id, const char *from,
		    const char *to, int64_t at)
{
	const struct sla_calendar *cal;
	struct running t;
	struct level l;
	int64_t p;
	ay_rc rc = AY_OK;

	/* The pending timers (reminder, auto-close) count from entering
	 * pending_customer. */
	if (!strcmp(to, "pending_customer"))
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_since = $1,"
			    " pending_reminded_at = NULL WHERE id = $2",
			    "ii", at, ticket_id);
	else if (!strcmp(from, "pending_customer"))
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_since = NULL"
			    " WHERE id = $1",
			    "i", ticket_id);
	if (rc)
		return rc;
	if (clock_stopped(to)) {
		if (clock_stopped(from))
			return AY_OK;
		return db_run(db, NULL, NULL,
			      "UPDATE sla_targets SET paused_at = $1"
			      " WHERE ticket_id = $2 AND kind = 'response'"
			      " AND met_at IS NULL AND paused_at IS NULL",
			      "ii", at, ticket_id);
	}
	if (!clock_stopped(from))
		return AY_OK;
	rc = running_target(db, ticket_id, &t);
	if (rc || !t.found || !t.paused_at)
		return rc;
	rc = sla_level_by_id(db, t.level_id, &l);
	if (!rc)
		rc = sla_calendar_get(db, l.calendar, &cal);
	if (rc)
		return rc;
	/* The paused open time is added back to the deadline. */
	p = sla_elapsed(cal, t.paused_at, at, l.clock);
	t.due = due_add(cal, t.due, p, l.clock);
	t.warn = due_add(cal, t.warn, p, l.clock);
	sla_calendar_release(cal);
	if (t.due == SLA_TIME_INVALID || t.warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET paused_at = NULL, due_at = $1,"
		    " warn_at = $2, paused_seconds = paused_seconds + $3"
		    " WHERE id = $4",
		    "iiii", t.due, t.warn, p, t.id);
	return rc ? rc : sync_ticket_due(db, ticket_id);
}

/* Is the customer awaiting an answer: was the last public message theirs? */
static ay_rc awaiting_answer(struct db *db, int64_t ticket_id, bool *waiting)
{
	return public_message_is(db, ticket_id, 0, "customer", waiting);
}

/* Carry the pause of the replaced target `old` over to the ticket's new
 * running target: the paused time so far is added back, and a target that
 * was paused stays paused. */
static ay_rc carry_pause(struct db *db, int64_t ticket_id,
			 const struct level *l, const struct running *old)
{
	const struct sla_calendar *cal;
	struct running t;
	ay_rc rc;

	if (!old->paused && !old->paused_at)
		return AY_OK;
	rc = running_target(db, ticket_id, &t);
	if (!rc && t.found)
		rc = sla_calendar_get(db, l->calendar, &cal);
	if (rc || !t.found)
		return rc;
	t.due = due_add(cal, t.due, old->paused, l->clock);
	t.warn = due_add(cal, t.warn, old->paused, l->clock);
	sla_calendar_release(cal);
	if (t.due == SLA_TIME_INVALID || t.warn == SLA_TIME_INVALID)
		return AY_EINVAL;
	return db_run(db, NULL, NULL,
		      "UPDATE sla_targets SET due_at = $1, warn_at = $2,"
		      " paused_seconds = $3, paused_at = $4 WHERE id = $5",
		      "iiiIi", t.due, t.warn, old->paused, old->paused_at,
		      t.id);
}

/* Replace the ticket's unmet targets by those of level l. A running
 * response clock restarts under the new level from the moment the customer
 * has been waiting (its pauses kept); a level that gets a clock (an
 * unidentified requester identified, say) starts one now if the customer
 * awaits an answer; a level without a clock stops it; development starts
 * its review period now. */
static ay_rc retarget(struct db *db, int64_t ticket_id, const struct level *l,
		      int64_t at)
{
	struct running t;
	bool waiting = false;
	ay_rc rc;

	rc = running_target(db, ticket_id, &t);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM sla_targets WHERE ticket_id = $1 AND"
			    " met_at IS NULL",
			    "i", ticket_id);
	if (rc)
		return rc;
	if (l->review_days > 0 && l->minutes <= 0)
		return start_target(db, ticket_id, l, at);
	if (l->minutes <= 0)
		return sync_ticket_due(db, ticket_id);
	if (t.found) {
		rc = start_target(db, ticket_id, l, t.started);
		if (!rc)
			rc = carry_pause(db, ticket_id, l, &t);
		return rc ? rc : sync_ticket_due(db, ticket_id);
	}
	rc = awaiting_answer(db, ticket_id, &waiting);
	if (rc || !waiting)
		return rc ? rc : sync_ticket_due(db, ticket_id);
	rc = start_target(db, ticket_id, l, at);
	return rc ? rc : pause_if_stopped(db, ticket_id, at);
}

ay_rc sla_reassess(struct db *db, int64_t actor_id, int64_t ticket_id,
		   int64_t at)
{
	struct db_stmt *s = NULL;
	struct sla_pick pick;
	struct level l;
	char category[32], old[32];
	int64_t requester;
	bool row = false, confirmed;
	json_t *data;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT t.requester_id, t.category, t.sla_level,"
		    " t.license_confirmed_by IS NOT NULL FROM"
		    " tickets t WHERE t.id = $1",
		    "i", ticket_id);
	if (rc)
		return rc;
	if (!row)
		return AY_ENOTFOUND;
	requester = db_col_int(s, 0);
	snprintf(category, sizeof(category), "%s", db_col_text(s, 1));
	snprintf(old, sizeof(old), "%s", db_col_text(s, 2));
	confirmed = db_col_int(s, 3) != 0;
	db_reset(s);
	rc = sla_pick_for_ticket(db, requester, category, confirmed, at, &pick);
	/* The same level: only the reason may read better now (the level's
	 * version and the clock stay). */
	if (!rc && !strcmp(pick.level, old))
		return db_run(
			db, NULL, NULL,
			"UPDATE tickets SET sla_reason = $1, sla_reason_en = $3"
			" WHERE id = $2",
			"sis", pick.reason, ticket_id, pick.reason_en);
	if (rc)
		return rc;
	rc = db_run(db, NULL, NULL,
		    "UPDATE tickets SET sla_level = $1, sla_reason = $2,"
		    " sla_level_id = $3, sla_reason_en = $5 WHERE id = $4",
		    "ssiis", pick.level, pick.reason, pick.level_id, ticket_id,
		    pick.reason_en);
	if (!rc)
		rc = sla_level_by_id(db, pick.level_id, &l);
	if (!rc)
		rc = retarget(db, ticket_id, &l, at);
	if (rc)
		return rc;
	data = json_pack("{s:s,s:s,s:s}", "from", old, "to", pick.level,
			 "reason", pick.reason);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, ticket_id, actor_id, "sla.level", data);
	json_decref(data);
	return rc;
}

ay_rc sla_reassess_requester(struct db *db, int64_t actor_id, int64_t user_id,
			     int64_t except)
{
	struct db_stmt *s = NULL;
	int64_t ids[64];
	size_t n = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(
		db, &s, &row,
		"SELECT id FROM tickets WHERE requester_id = $1 AND id <> $2"
		" AND status IN ('new','open','pending_customer')"
		" ORDER BY id DESC LIMIT 64",
		"ii", user_id, except);
	while (!rc && row) {
		ids[n++] = db_col_int(s, 0);
		rc = db_step(s, &row);
	}
	db_reset(s);
	for (size_t i = 0; !rc && i < n; i++)
		rc = sla_reassess(db, actor_id, ids[i], ay_now());
	return rc;
}

ay_rc sla_confirm_license(struct db *db, int64_t actor_id, int64_t ticket_id,
			  int64_t at)
{
	ay_rc rc = db_run(db, NULL, NULL,
			  "UPDATE tickets SET license_confirmed_by = $1"
			  " WHERE id = $2 AND license_confirmed_by IS NULL",
			  "ii", actor_id, ticket_id);

	if (!rc && db_changes(db))
		rc = event_add(db, ticket_id, actor_id, "sla.license_confirmed",
			       NULL);
	return rc ? rc : sla_reassess(db, actor_id, ticket_id, at);
}

ay_rc sla_notify_requester(struct db *db, int64_t ticket_id, const char *kind,
			   json_t *payload)
{
	struct db_stmt *s = NULL;
	bool row = false;
	char email[256] = "";
	ay_rc rc = db_run(db, &s, &row,
			  "SELECT u.email FROM tickets t JOIN users u ON"
			  " u.id = t.requester_id WHERE t.id = $1",
			  "i", ticket_id);

	if (rc)
		return rc;
	if (row)
		snprintf(email, sizeof(email), "%s", db_col_text(s, 0));
	db_reset(s);
	return outbox_add(db, kind, ticket_id, email, payload);
}

ay_rc sla_extend_review(struct db *db, const struct actor *a, int64_t number,
			struct verr *err)
{
	struct db_stmt *s = NULL;
	int64_t tid, target, due, days;
	bool row = false;
	json_t *data;
	ay_rc rc;

	if (!actor_is_staff(a))
		return AY_ENOTFOUND;
	rc = ticket_lookup(db, a, number, &tid);
	if (rc)
		return rc;
	rc = db_run(db, &s, &row,
		    "SELECT st.id, st.due_at, COALESCE(l.review_days, 60)"
		    " FROM sla_targets st JOIN sla_levels l ON l.id ="
		    " st.level_id WHERE st.ticket_id = $1 AND st.kind ="
		    " 'review' AND st.met_at IS NULL ORDER BY st.id DESC"
		    " LIMIT 1",
		    "i", tid);
	if (rc)
		return rc;
	if (!row) {
		verr_set(err, "sla", "el ticket no está escalado a desarrollo");
		return AY_EINVAL;
	}
	target = db_col_int(s, 0);
	due = db_col_int(s, 1) + db_col_int(s, 2) * 86400;
	days = db_col_int(s, 2);
	db_reset(s);
	rc = db_run(db, NULL, NULL,
		    "UPDATE sla_targets SET due_at = $1, warn_at = $1,"
		    " warned_at = NULL WHERE id = $2",
		    "ii", due, target);
	if (!rc)
		rc = sync_ticket_due(db, tid);
	if (rc)
		return rc;
	data = json_pack("{s:I,s:I,s:I}", "number", (json_int_t)number,
			 "review_due_at", (json_int_t)due, "days",
			 (json_int_t)days);
	if (!data)
		return AY_ENOMEM;
	rc = event_add(db, tid, a->user_id, "development.extended", data);
	if (!rc)
		rc = sla_notify_requester(db, tid, "development_extended",
					  data);
	json_decref(data);
	return rc;
}
