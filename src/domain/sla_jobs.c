/* The SLA's scheduled work: warnings at 80%, breaches, development
 * reviews, pending-customer reminders and auto-close. */
#include <stdlib.h>
#include <string.h>

#include "domain/sla_int.h"
#include "domain/ticket.h"

/* The SQL of the jobs takes its batch size as a parameter, so that the
 * only limit is the one in struct sla_job_conf (SLA_JOB_BATCH by
 * default). */

/* Solved and closed tickets owe nothing (their clock is stopped). */
#define OPEN_TICKET " t.status NOT IN ('resolved', 'closed')"

static ay_rc notify_staff(struct db *db, int64_t ticket_id, const char *kind,
			  json_t *payload)
{
	return outbox_add_staff(db, kind, ticket_id, true, payload);
}

/* Collect at most max (target id, ticket id, number) rows of a job query
 * ($1 now, $2 the limit). */
static ay_rc collect(struct db *db, const char *sql, int64_t now, size_t max,
		     int64_t (*rows)[3], size_t *n)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = db_run(db, &s, &row, sql, "ii", now, (int64_t)max);

	*n = 0;
	while (!rc && row && *n < max) {
		rows[*n][0] = db_col_int(s, 0);
		rows[*n][1] = db_col_int(s, 1);
		rows[*n][2] = db_col_int(s, 2);
		(*n)++;
		rc = db_step(s, &row);
	}
	db_reset(s);
	return rc;
}

/* A job over targets: the due rows, how to mark one done, its event and
 * the notice queued for staff or for the requester. */
struct target_job {
	const char *select, *update, *event, *notice;
	bool to_staff;
};

/* Handle one row (target id, ticket id, number) of a target job. */
static ay_rc job_target_row(struct db *db, const struct target_job *job,
			    const int64_t row[3], int64_t now, int *done)
{
	json_t *p = json_pack("{s:I}", "number", (json_int_t)row[2]);
	ay_rc rc;

	if (!p)
		return AY_ENOMEM;
	rc = db_run(db, NULL, NULL, job->update, "ii", now, row[0]);
	/* Marked already (another server's batch, on an engine whose reads
	 * do not wait for it): its notice went with that mark. */
	if (!rc && db_changes(db) != 1) {
		json_decref(p);
		return AY_OK;
	}
	if (!rc)
		rc = event_add(db, row[1], 0, job->event, p);
	if (!rc)
		rc = job->to_staff
			     ? notify_staff(db, row[1], job->notice, p)
			     : sla_notify_requester(db, row[1], job->notice, p);
	json_decref(p);
	(*done)++;
	return rc;
}

/* job_target_row for job_row. */
struct target_call {
	const struct target_job *job;
	const int64_t *row;
	int64_t now;
	int done;
};

static ay_rc target_call(struct db *db, void *arg)
{
	struct target_call *c = arg;

	return job_target_row(db, c->job, c->row, c->now, &c->done);
}

/* The target jobs (warnings, breaches, reviews), at most *budget rows
 * (taken from it); *more when the budget ran out. A row that fails is
 * skipped (job_row). */
static ay_rc job_targets(struct db *db, int64_t now, size_t *budget,
			 struct sla_job_state *st)
{
	static const struct target_job jobs[] = {
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'response' AND st.met_at IS NULL AND st.paused_at IS NULL"
		 " AND st.warned_at IS NULL AND st.breached_at IS NULL AND"
		 " st.warn_at <= $1 AND st.due_at > $1 AND" OPEN_TICKET
		 " ORDER BY st.id LIMIT $2",
		 "UPDATE sla_targets SET warned_at = $1 WHERE id = $2 AND"
		 " warned_at IS NULL AND breached_at IS NULL",
		 "sla.warning", "sla_warning", true},
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'response' AND st.met_at IS NULL AND st.paused_at IS NULL"
		 " AND st.breached_at IS NULL AND st.due_at <= $1 "
		 "AND" OPEN_TICKET " ORDER BY st.id LIMIT $2",
		 "UPDATE sla_targets SET breached_at = $1 WHERE id = $2 AND"
		 " breached_at IS NULL",
		 "sla.breached", "sla_breach", true},
		{"SELECT st.id, st.ticket_id, t.number FROM sla_targets st"
		 " JOIN tickets t ON t.id = st.ticket_id WHERE st.kind ="
		 " 'review' AND st.met_at IS NULL AND st.warned_at IS NULL"
		 " AND st.due_at <= $1 AND" OPEN_TICKET
		 " ORDER BY st.id LIMIT $2",
		 "UPDATE sla_targets SET warned_at = $1 WHERE id = $2 AND"
		 " warned_at IS NULL",
		 "development.review_due", "development_review", false},
	};
	int64_t(*rows)[3] = calloc(*budget, sizeof(*rows));
	int skipped = st->skipped;
	size_t seen = 0;
	ay_rc rc = AY_OK;

	if (!rows)
		return AY_ENOMEM;
	/* Each row handled leaves its query's result, so the next call (the
	 * next transaction) starts again with the rows still due. */
	for (size_t j = 0; !rc && *budget && j < AY_ARRAY_LEN(jobs); j++) {
		size_t n = 0;

		rc = collect(db, jobs[j].select, now, *budget, rows, &n);
		for (size_t i = 0; !rc && i < n; i++) {
			struct target_call c = {&jobs[j], rows[i], now, 0};
			int before = st->skipped;

			rc = job_row(db, jobs[j].event, rows[i][0], target_call,
				     &c, &st->skipped);
			if (before == st->skipped)
				st->done += c.done;
		}
		*budget -= n;
		seen += n;
	}
	/* Rows that failed stay due: when a full page did nothing else, the
	 * next call would get them again, so the next run tries them. */
	if (!rc && !*budget && st->skipped - skipped < (int)seen)
		st->more = true;
	free(rows);
	return rc;
}

struct pend {
	int64_t id, number, since;
	char cal[64];
	bool reminded;
};

/* Remind or auto-close one ticket waiting for its customer. */
static ay_rc job_pending_row(struct db *db, const struct sla_job_conf *c,
			     const struct pend *t, int64_t now, int *done)
{
	const struct sla_calendar *cal;
	int64_t used, day;
	bool close, remind;
	json_t *p;
	ay_rc rc;

	rc = sla_calendar_get(db, t->cal, &cal);
	if (rc)
		return rc;
	/* A business day is the calendar's own: the open time of its longest
	 * weekday. A calendar that never opens never counts a day. */
	day = (int64_t)sla_calendar_day_minutes(cal) * 60;
	used = sla_open_seconds(cal, t->since, now);
	sla_calendar_release(cal);
	if (day <= 0)
		return AY_OK;
	close = used >= c->close_days * day;
	remind = !close && !t->reminded && used >= c->reminder_days * day;
	if (!close && !remind)
		return AY_OK;
	p = json_pack("{s:I,s:i}", "number", (json_int_t)t->number, "days",
		      close ? c->close_days : c->reminder_days);
	if (!p)
		return AY_ENOMEM;
	if (close) {
		struct actor sys = {.role = ROLE_ADMIN};
		struct ticket_change ch = {.status = "closed"};
		struct verr e;

		rc = ticket_update(db, &sys, t->number, &ch, &e);
		if (!rc)
			rc = event_add(db, t->id, 0, "ticket.auto_closed", p);
		if (!rc)
			rc = sla_notify_requester(db, t->id, "pending_closed",
						  p);
	} else {
		rc = db_run(db, NULL, NULL,
			    "UPDATE tickets SET pending_reminded_at = $1"
			    " WHERE id = $2 AND pending_reminded_at IS NULL",
			    "ii", now, t->id);
		if (!rc && db_changes(db) != 1) {
			json_decref(p);
			return AY_OK; /* reminded by another server */
		}
		if (!rc)
			rc = event_add(db, t->id, 0, "ticket.pending_reminder",
				       p);
		if (!rc)
			rc = sla_notify_requester(db, t->id, "pending_reminder",
						  p);
	}
	json_decref(p);
	(*done)++;
	return rc;
}

/* job_pending_row for job_row. */
struct pending_call {
	const struct sla_job_conf *c;
	const struct pend *t;
	int64_t now;
	int done;
};

static ay_rc pending_call(struct db *db, void *arg)
{
	struct pending_call *p = arg;

	return job_pending_row(db, p->c, p->t, p->now, &p->done);
}

/* One page of the tickets in pending_customer, from id > *after, at most
 * *budget (taken from it): the business time waited is not something SQL
 * can compute, so each is looked at. *after moves on; it goes back to 0
 * when the last page has been seen, else *more is set. */
static ay_rc job_pending(struct db *db, const struct sla_job_conf *c,
			 int64_t now, size_t *budget, struct sla_job_state *st)
{
	int64_t *after = &st->pending_after;
	struct pend *rows = calloc(*budget, sizeof(*rows));
	struct db_stmt *s = NULL;
	bool row = false;
	size_t n = 0;
	ay_rc rc;

	if (!rows)
		return AY_ENOMEM;
	rc = db_run(db, &s, &row,
		    "SELECT t.id, t.number, t.pending_since,"
		    " COALESCE(l.calendar, 'lima'),"
		    " t.pending_reminded_at FROM tickets t"
		    " LEFT JOIN sla_levels l ON l.id = t.sla_level_id"
		    " WHERE t.status = 'pending_customer' AND"
		    " t.pending_since IS NOT NULL AND t.id > $1"
		    " ORDER BY t.id LIMIT $2",
		    "ii", *after, (int64_t)*budget);
	while (!rc && row && n < *budget) {
		rows[n].id = db_col_int(s, 0);
		rows[n].number = db_col_int(s, 1);
		rows[n].since = db_col_int(s, 2);
		snprintf(rows[n].cal, sizeof(rows[n].cal), "%s",
			 db_col_text(s, 3));
		rows[n].reminded = !db_col_null(s, 4);
		n++;
		rc = db_step(s, &row);
	}
	db_reset(s);
	for (size_t i = 0; !rc && i < n; i++) {
		struct pending_call p = {c, &rows[i], now, 0};
		int before = st->skipped;

		rc = job_row(db, "pending_customer", rows[i].id, pending_call,
			     &p, &st->skipped);
		if (before == st->skipped)
			st->done += p.done;
	}
	if (!rc && n == *budget) {
		*after = rows[n - 1].id;
		st->more = true;
	} else if (!rc) {
		*after = 0;
	}
	*budget -= n;
	free(rows);
	return rc;
}

ay_rc sla_jobs_run(struct db *db, const struct sla_job_conf *c, int64_t now,
		   struct sla_job_state *st)
{
	size_t budget = c->batch > 0 ? (size_t)c->batch : SLA_JOB_BATCH;
	ay_rc rc;

	st->more = false;
	rc = job_targets(db, now, &budget, st);
	if (!rc && !st->more)
		rc = job_pending(db, c, now, &budget, st);
	/* The pass read every waiting ticket (thousands on a desk of
	 * years): its pages need not stay in the writer's cache until the
	 * next pass (an idle server under 16 MB at a million tickets). */
	if (!rc && !st->more)
		db_release_memory(db);
	return rc;
}
