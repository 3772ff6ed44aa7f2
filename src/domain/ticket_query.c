/* SQL built for the filters given: a page of ticket ids from the index that
 * reads the fewest entries. The tickets' filter indexes (schema.c,
 * migration 23) carry every filtered column after (column, id), so the
 * other conditions are checked in the index itself and the walk in order
 * of arrival never reads a ticket it does not return. docs/queries.md */
#include <stdint.h>
#include <string.h>

#include "domain/ticket_query.h"
#include "store/db.h"

/* A statement is at most this long (the queue's longest is ~2 KB). */
#define TQ_SQL_MAX 16384
/* How many entries of an index a probe counts at most: a few hundred
 * microseconds of index reading; the larger count, when every value is
 * large and they rarely meet, a few milliseconds. */
#define PROBE_MAX 4096
#define PROBE_BIG 65536
/* Tickets meeting every condition among the first PROBE_MAX entries of an
 * index, enough to read a page of 200 in about 13,000 entries. */
#define DENSE_ENOUGH 64
/* By activity, a value with fewer tickets than this has them sorted (a
 * read of each ticket's row, ~4 us); with more, walking the activity
 * index (~0.1 us an entry) finds a page sooner: at a million tickets the
 * two meet near a thousand. Sorting a ticket costs as much as walking
 * ROW_COST entries. */
#define ACTIVITY_FEW 1024
#define ROW_COST     40

void tq_init(struct tq *q)
{
	buf_init(&q->sql, TQ_SQL_MAX);
	q->n = 0;
}

void tq_release(struct tq *q)
{
	buf_release(&q->sql);
	q->n = 0;
}

ay_rc tq_add(struct tq *q, const char *sql)
{
	return buf_adds(&q->sql, sql);
}

static ay_rc param(struct tq *q, const char *fmt, const char *text, int64_t i)
{
	if (q->n >= TQ_PARAMS)
		return AY_ETOOBIG;
	q->v[q->n].text = text;
	q->v[q->n].i = i;
	q->n++;
	return buf_addf(&q->sql, fmt, q->n);
}

ay_rc tq_int(struct tq *q, const char *fmt, int64_t v)
{
	return param(q, fmt, NULL, v);
}

ay_rc tq_text(struct tq *q, const char *fmt, const char *v)
{
	return param(q, fmt, v, 0);
}

ay_rc tq_prepare(struct tq *q, struct db *db, struct db_stmt **out)
{
	ay_rc rc = db_prepare(db, buf_str(&q->sql), out);

	for (int i = 0; !rc && i < q->n; i++)
		rc = q->v[i].text ? db_bind_text(*out, i + 1, q->v[i].text, -1)
				  : db_bind_int(*out, i + 1, q->v[i].i);
	return rc;
}

/* The filtered columns, in the order of preference when probes tie (the
 * most selective first on a working desk). */
enum col { C_REQUESTER, C_COMPANY, C_ASSIGNEE, C_LEVEL, C_CATEGORY, C_STATUS };

static const struct {
	const char *name;     /* the column of t */
	const char *index;    /* (name, id, ...) over every ticket */
	const char *unsolved; /* the same over the unsolved ones */
} cols[] = {
	[C_REQUESTER] = {"requester_id", "tickets_requester",
			 "tickets_requester"},
	[C_COMPANY] = {"company_id", "tickets_company",
		       "tickets_unsolved_company"},
	[C_ASSIGNEE] = {"assignee_id", "tickets_assignee",
			"tickets_unsolved_assignee"},
	[C_LEVEL] = {"sla_level", "tickets_level", "tickets_unsolved_level"},
	[C_CATEGORY] = {"category", "tickets_category",
			"tickets_unsolved_category"},
	[C_STATUS] = {"status", "tickets_status", "tickets_unsolved_status"},
};

#define UNSOLVED " AND " AY_UNSOLVED_SQL("t.status")

/* One equality condition: column = text, = i, or IS NULL. */
struct term {
	enum col col;
	const char *text;
	int64_t i;
	bool null;
};

/* The conditions of p, in the order of preference. */
static int terms_of(const struct tq_page *p, struct term *t)
{
	int n = 0;

	if (p->requester_id > 0)
		t[n++] = (struct term){C_REQUESTER, NULL, p->requester_id,
				       false};
	if (p->company_id > 0)
		t[n++] = (struct term){C_COMPANY, NULL, p->company_id, false};
	if (p->assignee_id)
		t[n++] = (struct term){C_ASSIGNEE, NULL, p->assignee_id,
				       p->assignee_id < 0};
	if (p->assignee2_id)
		t[n++] = (struct term){C_ASSIGNEE, NULL, p->assignee2_id,
				       p->assignee2_id < 0};
	if (p->level)
		t[n++] = (struct term){C_LEVEL, p->level, 0, false};
	if (p->category)
		t[n++] = (struct term){C_CATEGORY, p->category, 0, false};
	if (p->status)
		t[n++] = (struct term){C_STATUS, p->status, 0, false};
	if (p->status2)
		t[n++] = (struct term){C_STATUS, p->status2, 0, false};
	return n;
}

static ay_rc add_term(struct tq *q, const struct term *t)
{
	char fmt[64];

	if (t->null) {
		snprintf(fmt, sizeof(fmt), " AND t.%s IS NULL",
			 cols[t->col].name);
		return tq_add(q, fmt);
	}
	snprintf(fmt, sizeof(fmt), " AND t.%s = $%%d", cols[t->col].name);
	return t->text ? tq_text(q, fmt, t->text) : tq_int(q, fmt, t->i);
}

static const char *index_of(const struct tq_page *p, const struct term *t)
{
	return p->unsolved ? cols[t->col].unsolved : cols[t->col].index;
}

/* Run q (rc: how building it went), a "SELECT COUNT(*) ...", into *count;
 * releases q. */
static ay_rc count_run(struct db *db, struct tq *q, ay_rc rc, int64_t *count)
{
	struct db_stmt *s = NULL;
	bool row = false;

	if (!rc)
		rc = tq_prepare(q, db, &s);
	if (!rc)
		rc = db_step(s, &row);
	*count = !rc && row ? db_col_int(s, 0) : 0;
	if (s)
		db_reset(s);
	tq_release(q);
	return rc;
}

/* Of the first cap tickets of t[d]'s index (in order of arrival), how
 * many there are; with all, how many meet every one of the n conditions
 * (checked in the index: the filter indexes hold the filtered columns). */
static ay_rc count_on(struct db *db, const struct tq_page *p,
		      const struct term *t, int n, int d, int cap, bool all,
		      int64_t *count)
{
	struct tq q;
	ay_rc rc;

	tq_init(&q);
	rc = buf_addf(&q.sql,
		      "SELECT COUNT(*) FROM (SELECT %s%s FROM tickets t"
		      " INDEXED BY %s WHERE 1 = 1%s",
		      all ? "t.status, t.category, t.sla_level, t.assignee_id,"
			    " t.company_id"
			  : "1",
		      all && p->requester_id > 0 ? ", t.requester_id" : "",
		      index_of(p, &t[d]), p->unsolved ? UNSOLVED : "");
	if (!rc)
		rc = add_term(&q, &t[d]);
	if (!rc)
		rc = buf_addf(&q.sql, " ORDER BY t.id LIMIT %d) t WHERE 1 = 1",
			      cap);
	for (int i = 0; all && !rc && i < n; i++)
		rc = add_term(&q, &t[i]);
	return count_run(db, &q, rc, count);
}

/* Of the n conditions t, the first (in the order of preference) whose
 * value has fewer than cap tickets, else the one with the fewest; *min
 * is its count. */
static ay_rc fewest(struct db *db, const struct tq_page *p,
		    const struct term *t, int n, int cap, int *best,
		    int64_t *min)
{
	int64_t c = 0;
	ay_rc rc = AY_OK;

	*best = 0;
	*min = INT64_MAX;
	for (int i = 0; !rc && i < n && *min >= cap; i++) {
		rc = count_on(db, p, t, n, i, cap, false, &c);
		if (!rc && c < *min) {
			*best = i;
			*min = c;
		}
	}
	return rc;
}

/* The index that reads the fewest entries for the n conditions t, or NULL
 * to leave the choice to the planner. With several conditions, each index
 * is asked how many tickets its value has (a bounded count). When every
 * value has many, the first index's first entries say whether the
 * conditions meet often enough there; if not, a larger count finds an
 * index that the walk can read to the end in a few milliseconds. */
static ay_rc pick_index(struct db *db, const struct tq_page *p,
			const struct term *t, int n, const char **out)
{
	int64_t min = 0, dense = 0;
	int best = 0;
	ay_rc rc;

	*out = NULL;
	if (p->planner)
		return AY_OK;
	if (n == 0) {
		*out = p->unsolved ? "tickets_unsolved" : NULL;
		return AY_OK;
	}
	rc = n > 1 ? fewest(db, p, t, n, PROBE_MAX, &best, &min) : AY_OK;
	if (!rc && n > 1 && min >= PROBE_MAX)
		rc = count_on(db, p, t, n, best, PROBE_MAX, true, &dense);
	if (!rc && n > 1 && min >= PROBE_MAX && dense < DENSE_ENOUGH)
		rc = fewest(db, p, t, n, PROBE_BIG, &best, &min);
	*out = index_of(p, &t[best]);
	return rc;
}

ay_rc tq_page_terms(struct tq *q, const struct tq_page *p)
{
	struct term t[8];
	int n = terms_of(p, t);
	ay_rc rc = p->unsolved ? tq_add(q, UNSOLVED) : AY_OK;

	for (int i = 0; !rc && i < n; i++)
		rc = add_term(q, &t[i]);
	/* A version narrows its level's tickets: not a term of its own, the
	 * level's index reads them and each ticket's version is checked. */
	if (!rc && p->level && p->version > 0)
		rc = tq_text(q,
			     " AND t.sla_level_id = (SELECT id FROM sla_levels"
			     " WHERE code = $%d",
			     p->level);
	if (!rc && p->level && p->version > 0)
		rc = tq_int(q, " AND version = $%d)", p->version);
	return rc;
}

ay_rc tq_page_where(struct tq *q, struct db *db, const struct tq_page *p)
{
	struct term t[8];
	const char *index = NULL;
	int n = terms_of(p, t);
	ay_rc rc = pick_index(db, p, t, n, &index);

	if (!rc)
		rc = buf_addf(&q->sql,
			      "SELECT t.id FROM tickets t%s%s WHERE 1 = 1",
			      index ? " INDEXED BY " : "", index ? index : "");
	return rc ? rc : tq_page_terms(q, p);
}

ay_rc tq_page_end(struct tq *q, int64_t after, int limit)
{
	ay_rc rc = after > 0 ? tq_int(q, " AND t.id > $%d", after) : AY_OK;

	return rc ? rc : tq_int(q, " ORDER BY t.id LIMIT $%d", limit);
}

/* Of the first PROBE_MAX entries of the activity index before the cursor
 * (newest first), how many meet the n conditions t (checked in the index,
 * which holds the filtered columns). */
static ay_rc activity_dense(struct db *db, const struct term *t, int n,
			    int64_t before_at, int64_t before_id,
			    int64_t *count)
{
	struct tq q;
	ay_rc rc;

	tq_init(&q);
	rc = tq_add(&q, "SELECT COUNT(*) FROM (SELECT t.status, t.category,"
			" t.assignee_id, t.company_id, t.requester_id FROM"
			" tickets t INDEXED BY tickets_activity WHERE 1 = 1");
	if (!rc && before_at)
		rc = tq_int(&q, " AND (t.updated_at, t.id) < ($%d", before_at);
	if (!rc && before_at)
		rc = tq_int(&q, ", $%d)", before_id);
	if (!rc)
		rc = buf_addf(&q.sql,
			      " ORDER BY t.updated_at DESC, t.id DESC LIMIT %d)"
			      " t WHERE 1 = 1",
			      PROBE_MAX);
	for (int i = 0; !rc && i < n; i++)
		rc = add_term(&q, &t[i]);
	return count_run(db, &q, rc, count);
}

ay_rc tq_activity_page(struct tq *q, struct db *db, const struct tq_page *p,
		       int64_t before_at, int64_t before_id, int limit)
{
	struct term t[8];
	int n = terms_of(p, t), best = 0;
	int64_t min = INT64_MAX, dense = 0;
	ay_rc rc = n ? fewest(db, p, t, n, PROBE_MAX, &best, &min) : AY_OK;
	bool sort = min < ACTIVITY_FEW;

	/* Between a few and PROBE_MAX tickets of one condition, the walk
	 * wins where the first entries from the cursor say a page is near
	 * (limit * PROBE_MAX / dense entries), not where the value's tickets
	 * are all newer. With several conditions, the tickets meeting them
	 * all may be fewer than a page and the walk would read to the end:
	 * the smallest's index, sorted. */
	if (!rc && !sort && min < PROBE_MAX && n == 1)
		rc = activity_dense(db, t, n, before_at, before_id, &dense);
	if (!sort && min < PROBE_MAX)
		sort = dense * ROW_COST * min <= (int64_t)limit * PROBE_MAX;
	if (!rc)
		rc = buf_addf(&q->sql,
			      "SELECT t.id FROM tickets t INDEXED BY %s"
			      " WHERE 1 = 1",
			      sort ? index_of(p, &t[best])
				   : "tickets_activity");
	if (!rc)
		rc = tq_page_terms(q, p);
	if (!rc && before_at)
		rc = tq_int(q, " AND (t.updated_at, t.id) < ($%d", before_at);
	if (!rc && before_at)
		rc = tq_int(q, ", $%d)", before_id);
	return rc ? rc
		  : tq_int(q,
			   " ORDER BY t.updated_at DESC, t.id DESC LIMIT $%d",
			   limit);
}
