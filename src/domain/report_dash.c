/* The supervisor's dashboard: every figure of /supervisor over a period,
 * for one level or agent, each counted from its condition in
 * report_figure.c (the same the queue lists it with). */
#include <stdlib.h>
#include <string.h>

#include "domain/report_figure.h"
#include "domain/sla.h"
#include "store/db.h"

#define UNSOLVED " AND " AY_UNSOLVED_SQL("t.status")

/* A statement being built: its SQL and parameters. */
struct query {
	struct buf sql;
	struct report_params p;
};

static void query_init(struct query *q)
{
	buf_init(&q->sql, 16384);
	memset(&q->p, 0, sizeof(q->p));
}

/* Append the dashboard's level and agent filters. */
static ay_rc add_filter(struct query *q, const struct report_filter *f)
{
	ay_rc rc = AY_OK;

	if (f->level) {
		rc = buf_addf(&q->sql, " AND t.sla_level = ");
		if (!rc)
			rc = report_param(&q->sql, &q->p, 0, f->level);
	}
	if (!rc && f->agent == -1)
		rc = buf_addf(&q->sql, " AND t.assignee_id IS NULL");
	else if (!rc && f->agent > 0) {
		rc = buf_addf(&q->sql, " AND t.assignee_id = ");
		if (!rc)
			rc = report_param(&q->sql, &q->p, f->agent, NULL);
	}
	return rc;
}

/* Append the condition of the figure called name over w. */
static ay_rc add_figure(struct query *q, const char *name,
			const struct report_when *w)
{
	const struct report_figure *fig = report_figure_find(name);

	return fig ? report_figure_cond(&q->sql, &q->p, fig, w) : AY_EINVAL;
}

/* Prepare q and bind its parameters; *row tells whether a row came. */
static ay_rc query_run(struct db *db, struct query *q, struct db_stmt **s,
		       bool *row)
{
	ay_rc rc = db_prepare(db, q->sql.ptr, s);

	if (!rc)
		rc = report_bind(*s, &q->p);
	if (!rc)
		rc = db_step(*s, row);
	return rc;
}

/* The number of tickets of figure name over w, among those `where` selects
 * (SQL on the tickets t, "" for all), with the dashboard's filter. */
static ay_rc count(struct db *db, const struct report_filter *f,
		   const char *name, const struct report_when *w,
		   const char *where, int64_t *out)
{
	struct db_stmt *s = NULL;
	struct query q;
	bool row = false;
	ay_rc rc;

	*out = 0;
	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT COUNT(*) FROM tickets t WHERE 1 = 1%s",
		      where);
	if (!rc)
		rc = add_figure(&q, name, w);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	if (!rc && row)
		*out = db_col_int(s, 0);
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	return rc;
}

/* The group of a row of the SLA and load tables: a status, a level or an
 * agent. */
enum group { BY_NONE, BY_LEVEL, BY_AGENT };

/* One row of a query as a JSON object (NULL: out of memory). */
typedef json_t *(*row_fn)(struct db_stmt *s, enum group g);

/* Run q (rc: how building it went) and collect fn's object of each row
 * into *out, a new array. Releases q's SQL. */
static ay_rc query_rows(struct db *db, struct query *q, ay_rc rc, row_fn fn,
			enum group g, json_t **out)
{
	struct db_stmt *s = NULL;
	json_t *list = json_array(), *o;
	bool row = false;

	*out = NULL;
	if (!rc && !list)
		rc = AY_ENOMEM;
	if (!rc)
		rc = query_run(db, q, &s, &row);
	while (!rc && row) {
		o = fn(s, g);
		if (!o || json_array_append_new(list, o))
			rc = AY_ENOMEM;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q->sql);
	if (rc)
		json_decref(list);
	else
		*out = list;
	return rc;
}

static const char *const outcomes[] = {"met_on_time", "met_late", "breached",
				       "running"};

static const char *group_select(enum group g, const char *lang)
{
	if (g == BY_LEVEL)
		return strcmp(lang, "en") ? "t.sla_level, COALESCE(l.name_es,"
					    " t.sla_level)"
					  : "t.sla_level, COALESCE(l.name_en,"
					    " t.sla_level)";
	if (g == BY_AGENT)
		return "t.assignee_id, u.name";
	return "t.status, NULL";
}

static const char *group_tail(enum group g)
{
	/* Every selected column is grouped (PostgreSQL asks it); the name
	 * follows from the code or the id. */
	if (g == BY_LEVEL)
		return " GROUP BY 1, 2 ORDER BY 2";
	if (g == BY_AGENT)
		return " GROUP BY 1, 2 ORDER BY t.assignee_id IS NULL, 2";
	return "";
}

#define GROUP_JOINS                                                            \
	" FROM tickets t LEFT JOIN sla_levels l ON l.code = t.sla_level AND"   \
	" l.current = 1 LEFT JOIN users u ON u.id = t.assignee_id WHERE 1 = 1"

/* The row's group as JSON members of o: "level" and "name", or "agent". */
static bool group_json(json_t *o, enum group g, struct db_stmt *s)
{
	json_t *who = NULL;

	if (g == BY_LEVEL)
		return !json_object_set_new(o, "level",
					    json_string(db_col_text(s, 0))) &&
		       !json_object_set_new(o, "name",
					    json_string(db_col_text(s, 1)));
	if (g != BY_AGENT)
		return true;
	if (!db_col_null(s, 0))
		who = json_pack("{s:I,s:s?}", "id",
				(json_int_t)db_col_int(s, 0), "name",
				db_col_text(s, 1));
	return !json_object_set_new(o, "agent", who ? who : json_null());
}

/* {met_on_time, met_late, breached, running, compliance_percent} of the
 * four counts v. */
static json_t *outcome_json(const int64_t v[4])
{
	int64_t done = v[0] + v[1] + v[2];
	json_t *o = json_object();

	for (int i = 0; o && i < 4; i++)
		if (json_object_set_new(o, outcomes[i], json_integer(v[i])))
			goto fail;
	if (o && !json_object_set_new(
			 o, "compliance_percent",
			 done ? json_real(100.0 * (double)v[0] / (double)done)
			      : json_null()))
		return o;
fail:
	json_decref(o);
	return NULL;
}

/* The outcomes of the whole period: the sum of the rows of one grouping
 * (a ticket is in one level, one agent: its counts are in one row). */
static ay_rc sla_total(json_t *rows, json_t **out)
{
	int64_t v[4] = {0, 0, 0, 0};
	size_t i;
	json_t *r;

	json_array_foreach (rows, i, r) {
		for (int k = 0; k < 4; k++)
			v[k] += json_integer_value(
				json_object_get(r, outcomes[k]));
	}
	*out = outcome_json(v);
	return *out ? AY_OK : AY_ENOMEM;
}

/* One ticket of a set; for the outcome tally, the outcomes of its targets
 * (bit i: outcomes[i]) and its group. */
struct tally_slot {
	int64_t ticket;
	unsigned gen; /* the set's generation it is in; 0: never used */
	unsigned bits;
	int level, agent; /* indexes into struct tally's lists */
};

/* Tickets by id, each once (open addressing). A slot is in the set when
 * its gen is the set's: a new generation empties the set at once. */
struct ticket_set {
	struct tally_slot *slot;
	size_t cap, used; /* a power of two; slots in use */
	unsigned gen;	  /* from 1 */
};

/* The tickets whose response targets started in the period, each once,
 * with the outcomes any of its targets had, and the levels and agents
 * they belong to. */
struct tally {
	struct ticket_set set;
	char **level;	/* level codes */
	int64_t *agent; /* assignee ids, 0 for none */
	size_t nlevel, nagent;
};

static void tally_release(struct tally *t)
{
	for (size_t i = 0; i < t->nlevel; i++)
		free(t->level[i]);
	free(t->level);
	free(t->agent);
	free(t->set.slot);
}

/* The ticket's slot in t (a new one when absent: *added); NULL: out of
 * memory. */
static struct tally_slot *set_get(struct ticket_set *t, int64_t ticket,
				  bool *added)
{
	size_t i;

	if (2 * (t->used + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct tally_slot *n = calloc(cap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t k = 0; k < t->cap; k++) {
			if (t->slot[k].gen != t->gen)
				continue;
			i = (size_t)t->slot[k].ticket * 0x9E3779B97F4A7C15u &
			    (cap - 1);
			while (n[i].gen == t->gen)
				i = (i + 1) & (cap - 1);
			n[i] = t->slot[k];
		}
		free(t->slot);
		t->slot = n;
		t->cap = cap;
	}
	i = (size_t)ticket * 0x9E3779B97F4A7C15u & (t->cap - 1);
	while (t->slot[i].gen == t->gen && t->slot[i].ticket != ticket)
		i = (i + 1) & (t->cap - 1);
	*added = t->slot[i].gen != t->gen;
	if (*added) {
		t->slot[i] = (struct tally_slot){ticket, t->gen, 0, -1, -1};
		t->used++;
	}
	return &t->slot[i];
}

/* The index of level code in t's list, added when new; -1: no memory. */
static int tally_level(struct tally *t, const char *code)
{
	char **n;

	for (size_t i = 0; i < t->nlevel; i++)
		if (!strcmp(t->level[i], code))
			return (int)i;
	n = realloc(t->level, (t->nlevel + 1) * sizeof(*n));
	if (!n)
		return -1;
	t->level = n;
	n[t->nlevel] = strdup(code);
	return n[t->nlevel] ? (int)t->nlevel++ : -1;
}

static int tally_agent(struct tally *t, int64_t id)
{
	int64_t *n;

	for (size_t i = 0; i < t->nagent; i++)
		if (t->agent[i] == id)
			return (int)i;
	n = realloc(t->agent, (t->nagent + 1) * sizeof(*n));
	if (!n)
		return -1;
	t->agent = n;
	n[t->nagent] = id;
	return (int)t->nagent++;
}

/* Read every response target started in the period (one pass over an
 * index) into t: a ticket's outcome bits are those of any of its targets,
 * as each figure counts a ticket when any target meets its condition. */
static ay_rc tally_read(struct db *db, const struct report_filter *f,
			struct tally *t)
{
	struct db_stmt *s = NULL;
	struct query q;
	bool row = false;
	ay_rc rc;

	query_init(&q);
	rc = buf_adds(&q.sql, "SELECT s.ticket_id, t.sla_level,"
			      " COALESCE(t.assignee_id, 0)");
	/* The four outcomes as the bits of one column. */
	for (int i = 0; !rc && i < 4; i++) {
		rc = buf_adds(&q.sql, i ? " | CASE WHEN " : ", CASE WHEN ");
		if (!rc)
			rc = report_outcome_cond(&q.sql, &q.p, outcomes[i],
						 f->when.now);
		if (!rc)
			rc = buf_addf(&q.sql, " THEN %d ELSE 0 END", 1 << i);
	}
	if (!rc)
		rc = buf_adds(&q.sql, " FROM sla_targets s JOIN tickets t ON"
				      " t.id = s.ticket_id WHERE s.kind ="
				      " 'response' AND s.started_at >= ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.from, NULL);
	if (!rc)
		rc = buf_adds(&q.sql, " AND s.started_at < ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.to, NULL);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	while (!rc && row) {
		bool added;
		struct tally_slot *x =
			set_get(&t->set, db_col_int(s, 0), &added);

		if (x && x->level < 0) {
			x->level = tally_level(t, db_col_text(s, 1));
			x->agent = tally_agent(t, db_col_int(s, 2));
		}
		if (!x || x->level < 0 || x->agent < 0) {
			rc = AY_ENOMEM;
			break;
		}
		x->bits |= (unsigned)db_col_int(s, 3) & 15u;
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	return rc;
}

/* A group's row of the SLA tables: its sort key (the name; NULL sorts
 * first, as in SQL), the four counts and the JSON of the group. */
struct group_row {
	char *name;
	const char *code; /* a level's code; NULL for an agent */
	int64_t agent, v[4];
};

static int group_cmp(const void *pa, const void *pb)
{
	const struct group_row *a = pa, *b = pb;
	int c;

	/* Agents: the unassigned last (ORDER BY assignee_id IS NULL). */
	if (!a->code && (a->agent == 0) != (b->agent == 0))
		return a->agent == 0 ? 1 : -1;
	if (!a->name || !b->name)
		c = !a->name ? (b->name ? -1 : 0) : 1;
	else
		c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->code ? strcmp(a->code, b->code)
		       : (a->agent > b->agent) - (a->agent < b->agent);
}

/* The name of group row r: a level's in the language, or an agent's (NULL
 * for none or a user who is gone). */
static ay_rc group_name(struct db *db, const struct report_filter *f,
			struct group_row *r)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = AY_OK;
	const char *v;

	if (r->code)
		rc = db_run(db, &s, &row,
			    strcmp(f->lang, "en")
				    ? "SELECT name_es FROM sla_levels WHERE"
				      " code = $1 AND current = 1"
				    : "SELECT name_en FROM sla_levels WHERE"
				      " code = $1 AND current = 1",
			    "s", r->code);
	else if (r->agent)
		rc = db_run(db, &s, &row,
			    "SELECT name FROM users WHERE id = $1", "i",
			    r->agent);
	v = !rc && row && !db_col_null(s, 0) ? db_col_text(s, 0)
	    : r->code			     ? r->code
					     : NULL;
	if (v) {
		r->name = strdup(v);
		if (!r->name)
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	return rc;
}

/* The JSON of group row r, as group_json() writes it. */
static json_t *group_row_json(const struct group_row *r)
{
	json_t *o = outcome_json(r->v), *who = NULL;
	bool ok = o != NULL;

	if (ok && r->code)
		ok = !json_object_set_new(o, "level", json_string(r->code)) &&
		     !json_object_set_new(o, "name", json_string(r->name));
	else if (ok) {
		if (r->agent)
			who = json_pack("{s:I,s:s?}", "id",
					(json_int_t)r->agent, "name", r->name);
		ok = !json_object_set_new(o, "agent", who ? who : json_null());
	}
	if (ok)
		return o;
	json_decref(o);
	return NULL;
}

/* The tally's rows by level (by_agent false) or by agent, sorted as the
 * dashboard lists them, into *out (a new array). */
static ay_rc tally_rows(struct db *db, const struct report_filter *f,
			const struct tally *t, bool by_agent, json_t **out)
{
	size_t n = by_agent ? t->nagent : t->nlevel;
	struct group_row *r = calloc(n ? n : 1, sizeof(*r));
	ay_rc rc = r ? AY_OK : AY_ENOMEM;

	*out = NULL;
	for (size_t i = 0; !rc && i < n; i++) {
		r[i].code = by_agent ? NULL : t->level[i];
		r[i].agent = by_agent ? t->agent[i] : 0;
		rc = group_name(db, f, &r[i]);
	}
	for (size_t k = 0; !rc && k < t->set.cap; k++) {
		const struct tally_slot *x = &t->set.slot[k];

		if (x->gen != t->set.gen)
			continue;
		for (int i = 0; i < 4; i++)
			r[by_agent ? x->agent : x->level].v[i] +=
				(x->bits >> i) & 1;
	}
	if (!rc) {
		qsort(r, n, sizeof(*r), group_cmp);
		*out = json_array();
	}
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *o = *out ? group_row_json(&r[i]) : NULL;

		if (!o || json_array_append_new(*out, o))
			rc = AY_ENOMEM;
	}
	for (size_t i = 0; r && i < n; i++)
		free(r[i].name);
	free(r);
	if (!rc && !*out)
		rc = AY_ENOMEM;
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* SLA outcomes of the response targets started in the period, by level
 * and by agent (arrays of rows), from one pass over the targets. */
static ay_rc sla_outcomes(struct db *db, const struct report_filter *f,
			  json_t **by_level, json_t **by_agent)
{
	struct tally t = {{NULL, 0, 0, 1}, NULL, NULL, 0, 0};
	ay_rc rc = tally_read(db, f, &t);

	*by_level = *by_agent = NULL;
	if (!rc)
		rc = tally_rows(db, f, &t, false, by_level);
	if (!rc)
		rc = tally_rows(db, f, &t, true, by_agent);
	tally_release(&t);
	return rc;
}

/* A count of the open load, by status (BY_NONE) or by agent. */
static json_t *load_row(struct db_stmt *s, enum group g)
{
	json_t *o = g == BY_AGENT
			    ? json_object()
			    : json_pack("{s:s}", "status", db_col_text(s, 0));

	if (o &&
	    !json_object_set_new(o, "count", json_integer(db_col_int(s, 2))) &&
	    group_json(o, g, s))
		return o;
	json_decref(o);
	return NULL;
}

/* The open load: unsolved tickets by status and by agent. */
static ay_rc backlog_by(struct db *db, const struct report_filter *f,
			enum group g, json_t **out)
{
	struct query q;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT %s, COUNT(*)" GROUP_JOINS UNSOLVED,
		      group_select(g, f->lang));
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, "%s",
			      g == BY_AGENT ? group_tail(g)
					    : " GROUP BY t.status ORDER BY"
					      " MIN(CASE t.status WHEN 'new'"
					      " THEN 0 WHEN 'open' THEN 1 ELSE"
					      " 2 END)");
	return query_rows(db, &q, rc, load_row, g, out);
}

/* Unsolved tickets by age: created within a day, 1-3 days ago, 3-7,
 * 7-30, longer; each bucket the figure "created" over its days among the
 * unsolved, counted in one pass over the unsolved tickets' index. */
static ay_rc backlog_age(struct db *db, const struct report_filter *f,
			 json_t **out)
{
	static const struct {
		const char *key;
		int64_t newest, oldest; /* days ago; oldest 0: ever */
	} ages[] = {{"0-1", 0, 1},
		    {"1-3", 1, 3},
		    {"3-7", 3, 7},
		    {"7-30", 7, 30},
		    {"30-", 30, 0}};
	int64_t now = f->when.now;
	struct db_stmt *s = NULL;
	json_t *list = json_array(), *o;
	struct query q;
	bool row = false;
	ay_rc rc = list ? AY_OK : AY_ENOMEM;

	query_init(&q);
	if (!rc)
		rc = buf_adds(&q.sql, "SELECT 0");
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(ages); i++) {
		rc = buf_adds(&q.sql, ", COUNT(CASE WHEN t.created_at >= ");
		if (!rc)
			rc = report_param(&q.sql, &q.p,
					  ages[i].oldest
						  ? now - ages[i].oldest * 86400
						  : 0,
					  NULL);
		if (!rc)
			rc = buf_adds(&q.sql, " AND t.created_at < ");
		if (!rc)
			rc = report_param(&q.sql, &q.p,
					  ages[i].newest
						  ? now - ages[i].newest * 86400
						  : now + 1,
					  NULL);
		if (!rc)
			rc = buf_adds(&q.sql, " THEN 1 END)");
	}
	if (!rc)
		rc = buf_adds(&q.sql, " FROM tickets t WHERE 1 = 1" UNSOLVED);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(ages); i++) {
		char a[32], b[32];

		/* Its period, as the list of its tickets takes it. */
		ay_iso_utc(ages[i].oldest ? now - ages[i].oldest * 86400 : 0,
			   a);
		ay_iso_utc(ages[i].newest ? now - ages[i].newest * 86400
					  : now + 1,
			   b);
		o = json_pack(
			"{s:s,s:s,s:s,s:I}", "age", ages[i].key, "from", a,
			"to", b, "count",
			(json_int_t)(row ? db_col_int(s, 1 + (int)i) : 0));
		if (!o || json_array_append_new(list, o))
			rc = AY_ENOMEM;
	}
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	if (rc)
		json_decref(list);
	*out = rc ? NULL : list;
	return rc;
}

/* Add the period's start and end to q's parameters, as the next two
 * ("$%d" already written in its SQL). */
static ay_rc period_params(struct query *q, const struct report_filter *f)
{
	if (q->p.n + 2 > (int)AY_ARRAY_LEN(q->p.v))
		return AY_ETOOBIG;
	for (int i = 0; i < 2; i++) {
		q->p.v[q->p.n] = i ? f->when.to : f->when.from;
		q->p.text[q->p.n++] = NULL;
	}
	return AY_OK;
}

/* Run q, a "SELECT k, count ... WHERE ..." the filter is added to, grouped
 * by its first column: v[k] gets the count of each k in 0..n-1 (0 for
 * those without a row). Releases q's SQL. */
static ay_rc grouped(struct db *db, const struct report_filter *f,
		     struct query *q, ay_rc rc, int64_t *v, size_t n)
{
	struct db_stmt *s = NULL;
	bool row = false;

	memset(v, 0, n * sizeof(*v));
	if (!rc)
		rc = add_filter(q, f);
	if (!rc)
		rc = buf_adds(&q->sql, " GROUP BY 1");
	if (!rc)
		rc = query_run(db, q, &s, &row);
	while (!rc && row) {
		int64_t k = db_col_int(s, 0);

		if (k >= 0 && (size_t)k < n)
			v[k] = db_col_int(s, 1);
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q->sql);
	return rc;
}

/* The tickets created (solved: false) or solved in each step of the
 * period, into v[0..n-1]: the figures "created" and "solved" of each
 * step, read in order of time from one index (tickets_created,
 * events_solved) and counted in passing, each ticket once a step. The
 * tickets are joined to the status changes only for the dashboard's
 * filter (a change always has its ticket: none is ever deleted). */
static ay_rc per_step(struct db *db, const struct report_filter *f,
		      int64_t step, bool solved, int64_t *v, size_t n)
{
	struct ticket_set set = {NULL, 0, 0, 1};
	struct db_stmt *s = NULL;
	int64_t at_step = -1;
	struct query q;
	bool row = false, added = false;
	int k;
	ay_rc rc;

	memset(v, 0, n * sizeof(*v));
	query_init(&q);
	k = q.p.n;
	if (solved && !f->level && !f->agent)
		rc = buf_addf(&q.sql,
			      "SELECT created_at, ticket_id FROM events WHERE "
			      "ticket_id IS NOT NULL AND " REPORT_SOLVED_WHERE,
			      k + 1, k + 2);
	else if (solved)
		rc = buf_addf(&q.sql,
			      "SELECT x.created_at, x.ticket_id FROM (SELECT"
			      " ticket_id, created_at FROM events "
			      "WHERE " REPORT_SOLVED_WHERE
			      ") x JOIN tickets t ON t.id ="
			      " x.ticket_id WHERE 1 = 1",
			      k + 1, k + 2);
	else
		rc = buf_addf(&q.sql,
			      "SELECT t.created_at, t.id FROM tickets t WHERE"
			      " t.created_at >= $%d AND t.created_at < $%d",
			      k + 1, k + 2);
	if (!rc)
		rc = period_params(&q, f);
	if (!rc && (f->level || f->agent))
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_adds(&q.sql, !solved ? " ORDER BY t.created_at"
				      : f->level || f->agent
					      ? " ORDER BY x.created_at"
					      : " ORDER BY created_at");
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	while (!rc && row) {
		int64_t i = (db_col_int(s, 0) - f->when.from) / step;

		if (i != at_step) {
			at_step = i;
			set.gen++;
			set.used = 0;
		}
		/* A ticket is created once: no set to ask. */
		added = true;
		if (solved && !set_get(&set, db_col_int(s, 1), &added))
			rc = AY_ENOMEM;
		if (!rc && added && i >= 0 && (size_t)i < n)
			v[i]++;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	free(set.slot);
	return rc;
}

/* Tickets created and solved per day of the desk's calendar (per week
 * beyond 62 days). */
static ay_rc per_day(struct db *db, const struct report_filter *f,
		     const struct sla_calendar *cal, json_t **out)
{
	int64_t step =
		f->when.to - f->when.from > 62 * 86400 ? 7 * 86400 : 86400;
	size_t n = f->when.to > f->when.from
			   ? (size_t)((f->when.to - f->when.from + step - 1) /
				      step)
			   : 0;
	int64_t *made = calloc(n + 1, sizeof(*made));
	int64_t *done = calloc(n + 1, sizeof(*done));
	json_t *list = json_array(), *o;
	char day[SLA_ISO8601_LEN], a[32], b[32];
	ay_rc rc = list && made && done ? AY_OK : AY_ENOMEM;

	if (!rc)
		rc = per_step(db, f, step, false, made, n);
	if (!rc)
		rc = per_step(db, f, step, true, done, n);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t from = f->when.from + (int64_t)i * step;
		int64_t to =
			from + step < f->when.to ? from + step : f->when.to;

		rc = sla_format_iso8601(cal, from, day, sizeof(day));
		if (rc)
			break;
		day[10] = '\0';
		ay_iso_utc(from, a);
		ay_iso_utc(to, b);
		o = json_pack("{s:s,s:s,s:s,s:I,s:I}", "day", day, "from", a,
			      "to", b, "created", (json_int_t)made[i], "solved",
			      (json_int_t)done[i]);
		if (!o || json_array_append_new(list, o))
			rc = AY_ENOMEM;
	}
	free(made);
	free(done);
	if (rc)
		json_decref(list);
	*out = rc ? NULL : list;
	return rc;
}

/* The business minutes of the first answers of the tickets of the figure
 * "first_response" (created in the period, answered), in no order, into *v
 * (malloc'd, *n of them). */
static ay_rc first_minutes(struct db *db, const struct report_filter *f,
			   int64_t **v, size_t *n)
{
	struct db_stmt *s = NULL;
	struct query q;
	size_t cap = 0;
	bool row = false;
	ay_rc rc;

	*v = NULL;
	*n = 0;
	query_init(&q);
	/* The figure's condition on t itself: its covering index, no list
	 * of ids. */
	rc = buf_addf(&q.sql,
		      "SELECT first_response_minutes FROM tickets t "
		      "WHERE " REPORT_FIRST_WHERE,
		      1, 2);
	if (!rc)
		rc = period_params(&q, f);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = query_run(db, &q, &s, &row);
	while (!rc && row) {
		if (*n == cap) {
			int64_t *m = realloc(*v, (cap ? 2 * cap : 4096) *
							 sizeof(**v));

			if (!m) {
				rc = AY_ENOMEM;
				break;
			}
			*v = m;
			cap = cap ? 2 * cap : 4096;
		}
		(*v)[(*n)++] = db_col_int(s, 0);
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q.sql);
	return rc;
}

/* The k-th smallest of v[0..n) (0-based; k < n), v reordered
 * (Hoare's selection: linear on average, no full sort). */
static int64_t nth_smallest(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		int64_t pivot = v[lo + (hi - lo) / 2], t;
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

static ay_rc first_response(struct db *db, const struct report_filter *f,
			    json_t **out)
{
	int64_t *v = NULL;
	size_t n = 0;
	ay_rc rc = first_minutes(db, f, &v, &n);

	*out = NULL;
	/* The median as the summary has it (the upper one); the 90th
	 * percentile by nearest rank. */
	if (!rc)
		*out = json_pack(
			"{s:I,s:o?,s:o?}", "tickets", (json_int_t)n,
			"median_business_minutes",
			n ? json_integer(nth_smallest(v, n, n / 2)) : NULL,
			"p90_business_minutes",
			n ? json_integer(
				    nth_smallest(v, n, (9 * n + 9) / 10 - 1))
			  : NULL);
	free(v);
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

static json_t *comment_row(struct db_stmt *s, enum group g)
{
	char at[32];

	ay_iso_utc(db_col_int(s, 3), at);
	return json_pack("{s:I,s:I,s:s,s:s}", "number",
			 (json_int_t)db_col_int(s, 0), "rating",
			 (json_int_t)db_col_int(s, 1), "comment",
			 db_col_text(s, 2), "answered_at", at);
}

/* The latest comments of the surveys answered in the period. */
static ay_rc comments(struct db *db, const struct report_filter *f,
		      json_t **out)
{
	struct query q;
	ay_rc rc;

	query_init(&q);
	rc = buf_addf(&q.sql, "SELECT t.number, v.rating, v.comment,"
			      " v.answered_at FROM surveys v JOIN tickets t ON"
			      " t.id = v.ticket_id WHERE COALESCE(v.comment,"
			      " '') <> '' AND v.answered_at >= ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.from, NULL);
	if (!rc)
		rc = buf_addf(&q.sql, " AND v.answered_at < ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.to, NULL);
	if (!rc)
		rc = add_filter(&q, f);
	if (!rc)
		rc = buf_addf(&q.sql, " ORDER BY v.answered_at DESC, v.id DESC"
				      " LIMIT 10");
	return query_rows(db, &q, rc, comment_row, BY_NONE, out);
}

/* Ratings 1..5 (each with its count), their number and average, and the
 * latest comments. */
static ay_rc satisfaction(struct db *db, const struct report_filter *f,
			  json_t **out)
{
	json_t *ratings = json_array(), *latest = NULL;
	int64_t n, answers = 0, sum = 0;
	ay_rc rc = ratings ? AY_OK : AY_ENOMEM;

	int64_t v[5];
	struct query q;

	*out = NULL;
	/* The figures rating_1 .. rating_5 in one pass: the tickets with a
	 * survey answered in the period with each rating, from the surveys'
	 * index alone; the tickets are joined only for the dashboard's
	 * filter (a survey always has its ticket: none is ever deleted). */
	query_init(&q);
	if (!rc)
		rc = buf_addf(&q.sql,
			      "SELECT v.rating - 1, COUNT(DISTINCT v.ticket_id)"
			      " FROM surveys v%s WHERE v.answered_at >= ",
			      f->level || f->agent
				      ? " JOIN tickets t ON t.id = v.ticket_id"
				      : "");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.from, NULL);
	if (!rc)
		rc = buf_adds(&q.sql, " AND v.answered_at < ");
	if (!rc)
		rc = report_param(&q.sql, &q.p, f->when.to, NULL);
	rc = grouped(db, f, &q, rc, v, 5);
	for (int r = 1; !rc && r <= 5; r++) {
		n = v[r - 1];
		if (json_array_append_new(ratings,
					  json_pack("{s:i,s:I}", "rating", r,
						    "count", (json_int_t)n)))
			rc = AY_ENOMEM;
		answers += n;
		sum += r * n;
	}
	if (!rc)
		rc = comments(db, f, &latest);
	if (!rc)
		*out = json_pack(
			"{s:I,s:o,s:o,s:o}", "answers", (json_int_t)answers,
			"average",
			answers ? json_real((double)sum / (double)answers)
				: json_null(),
			"ratings", ratings, "comments", latest);
	else {
		json_decref(ratings);
		json_decref(latest);
	}
	return rc ? rc : *out ? AY_OK : AY_ENOMEM;
}

/* {name: count} of each figure in names, over the period. */
static ay_rc counts(struct db *db, const struct report_filter *f,
		    const char *const *names, size_t n, json_t **out)
{
	int64_t v = 0;
	ay_rc rc = AY_OK;

	*out = json_object();
	if (!*out)
		return AY_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = count(db, f, names[i], &f->when, "", &v);
		/* "review_open" -> "open" */
		if (!rc &&
		    json_object_set_new(*out, names[i] + 7, json_integer(v)))
			rc = AY_ENOMEM;
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* The parts of the dashboard, in the order of the answer. */
struct dash {
	json_t *sla, *by_level, *by_agent, *first, *status, *age, *load;
	json_t *days, *csat, *reviews;
	int64_t dev_due;
};

static void dash_release(struct dash *d)
{
	json_t *all[] = {d->sla,    d->by_level, d->by_agent, d->first,
			 d->status, d->age,	 d->load,     d->days,
			 d->csat,   d->reviews};

	for (size_t i = 0; i < AY_ARRAY_LEN(all); i++)
		json_decref(all[i]);
}

static ay_rc dash_read(struct db *db, const struct report_filter *f,
		       const struct sla_calendar *cal, struct dash *d)
{
	static const char *const reviews[] = {"review_requested",
					      "review_answered", "review_open"};
	ay_rc rc = sla_outcomes(db, f, &d->by_level, &d->by_agent);

	if (!rc)
		rc = sla_total(d->by_level, &d->sla);
	if (!rc)
		rc = first_response(db, f, &d->first);
	if (!rc)
		rc = backlog_by(db, f, BY_NONE, &d->status);
	if (!rc)
		rc = backlog_by(db, f, BY_AGENT, &d->load);
	if (!rc)
		rc = backlog_age(db, f, &d->age);
	if (!rc)
		rc = per_day(db, f, cal, &d->days);
	if (!rc)
		rc = satisfaction(db, f, &d->csat);
	if (!rc)
		rc = counts(db, f, reviews, AY_ARRAY_LEN(reviews), &d->reviews);
	if (!rc)
		rc = count(db, f, "dev_due", &f->when, "", &d->dev_due);
	return rc;
}

ay_rc report_dashboard(struct db *db, const struct report_filter *f,
		       json_t **out)
{
	const struct sla_calendar *cal = NULL;
	struct dash d = {0};
	char from[SLA_ISO8601_LEN], to[SLA_ISO8601_LEN], now[32];
	json_t *agent;
	ay_rc rc;

	*out = NULL;
	rc = sla_calendar_get(db, "lima", &cal);
	if (!rc)
		rc = dash_read(db, f, cal, &d);
	if (!rc)
		rc = sla_format_iso8601(cal, f->when.from, from, sizeof(from));
	if (!rc)
		rc = sla_format_iso8601(cal, f->when.to, to, sizeof(to));
	if (!rc) {
		ay_iso_utc(f->when.now, now);
		agent = f->agent > 0   ? json_integer(f->agent)
			: f->agent < 0 ? json_string("none")
				       : json_null();
		*out = json_pack(
			"{s:s,s:s,s:s,s:s,s:{s:s?,s:o},s:O,s:O,s:O,s:O,"
			"s:{s:O,s:O,s:O},s:O,s:O,s:O,s:{s:I}}",
			"from", from, "to", to, "as_of", now, "zone",
			sla_calendar_zone(cal), "filter", "level", f->level,
			"agent", agent, "sla", d.sla, "sla_by_level",
			d.by_level, "sla_by_agent", d.by_agent,
			"first_response", d.first, "backlog", "by_status",
			d.status, "by_age", d.age, "by_agent", d.load, "days",
			d.days, "satisfaction", d.csat, "supervisor_reviews",
			d.reviews, "development_reviews", "due",
			(json_int_t)d.dev_due);
		if (!*out)
			rc = AY_ENOMEM;
	}
	sla_calendar_release(cal);
	dash_release(&d);
	return rc;
}
