/* Full-text search, SQLite's way (search.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/pg_search.h"
#include "store/search.h"
#include "util/buf.h"
#include "util/str.h"

/* The FTS5 query of the words of q: each word quoted (so that no operator
 * or column filter of the user's text is obeyed), the last one a prefix;
 * every word must match, in column col when not NULL (a filter on each
 * word: one on a parenthesized group makes FTS5 read slower). AY_ENOTFOUND
 * when q has no word. */
static ay_rc fts_query(const char *q, const char *col, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)q;
	int words = 0;
	ay_rc rc = AY_OK;

	while (!rc && *p) {
		size_t n;
		const unsigned char *w = ay_next_word(&p, &n);

		if (!w)
			break;
		rc = buf_addf(out, "%s%s%s\"%.*s\"", words ? " " : "",
			      col ? col : "", col ? " : " : "", (int)n,
			      (const char *)w);
		words++;
	}
	if (!rc && !words)
		return AY_ENOTFOUND;
	return rc ? rc : buf_add(out, "*", 1);
}

/* The query of the messages' index: the words in the body only and, for a
 * customer, in their scope too (schema migration 25: "u<requester>
 * c<company>" of the ticket, "staff" for a note): their own tickets and,
 * for a support contact, their company's. */
static ay_rc scope_match(const char *q, const struct search_scope *sc,
			 struct buf *out)
{
	ay_rc rc = fts_query(q, "body", out);

	if (rc || sc->staff)
		return rc;
	if (sc->is_contact && sc->company_id > 0)
		return buf_addf(out, " AND scope : (\"u%lld\" OR \"c%lld\")",
				(long long)sc->user_id,
				(long long)sc->company_id);
	return buf_addf(out, " AND scope : \"u%lld\"", (long long)sc->user_id);
}

/* How the candidates are gathered. FTS5 reads a word's matches in rowid
 * order, newest last; ranking all of them (bm25 and a group by ticket over
 * every match) is what made a common word cost seconds. So each index gives
 * only its newest SEARCH_PER_SOURCE visible matches, already with their bm25
 * rank and snippet (one scan per index: a second FTS5 query per row would
 * merge a prefix's doclists again each time), and only those are ranked. */
#define SEARCH_PER_SOURCE 100
#define SEARCH_USERS	  20 /* requesters (and companies) whose tickets count */
#define SEARCH_CANDS	  (4 * SEARCH_PER_SOURCE + 1)

/* The weight of a match by where it is: the subject says what a ticket is
 * about, the requester and company who it is from, a message what was
 * said along the way. One rank (ay_rank) of a word is at most 2.2, when it
 * fills a short text: with these weights a word in a subject of a dozen
 * words still counts more than the same word repeated in a message. */
enum source { SRC_NUMBER, SRC_SUBJECT, SRC_PERSON, SRC_COMPANY, SRC_MESSAGE };
static const double weight[] = {0, 4.0, 2.0, 2.0, 1.0};

struct cand {
	int64_t ticket_id;
	double score;  /* sum over sources of the best weighted rank (< 0) */
	double best;   /* the best single match, whose snippet is kept */
	unsigned seen; /* sources already counted, by bit */
	char snippet[sizeof(((struct search_hit *)0)->snippet)];
};

struct cands {
	struct cand c[SEARCH_CANDS];
	size_t n;
};

/* Count one match of ticket_id from source src with bm25 rank (lower is
 * better). A source counts once per ticket (its best match). */
static void cand_add(struct cands *cs, int64_t ticket_id, enum source src,
		     double rank, const char *snip)
{
	double w = src == SRC_NUMBER ? -1e9 : weight[src] * rank;
	struct cand *c = NULL;

	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i].ticket_id == ticket_id) {
			c = &cs->c[i];
			break;
		}
	if (!c) {
		if (cs->n == SEARCH_CANDS)
			return;
		c = &cs->c[cs->n++];
		memset(c, 0, sizeof(*c));
		c->ticket_id = ticket_id;
		c->best = 1;
	}
	if (!(c->seen & (1u << src))) {
		c->seen |= 1u << src;
		c->score += w;
	}
	if (src != SRC_NUMBER && w < c->best) {
		c->best = w;
		ay_utf8_trim_copy(c->snippet, sizeof(c->snippet),
				  snip ? snip : "");
	}
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return (x->ticket_id < y->ticket_id) - (x->ticket_id > y->ticket_id);
}

/* Whether a ticket t is visible; $2 user, $3 company, $4 is_contact, $5
 * staff. */
#define VISIBLE_T                                                              \
	"($5 = 1 OR t.requester_id = $2 OR"                                    \
	" ($4 = 1 AND t.company_id IS NOT NULL AND t.company_id = $3))"
#define SCOPE_FMT "iiii"
#define SCOPE_ARGS(sc)                                                         \
	(sc)->user_id, (sc)->company_id, (int64_t)(sc)->is_contact,            \
		(int64_t)(sc)->staff

/* The rank (lower is better) in millionths, an integer for every driver:
 * ay_rank() is bm25 without the pass over every match of each word that
 * bm25() makes to weigh the words (store/sqlite_rank.c). */
#define RANK(t) "CAST(ay_rank(" t ") * 1000000 AS INTEGER)"

/* The newest visible matching subjects and messages ($1 the query, $6 how
 * many, $7 the lowest rowid worth reading). */
#define SUBJECTS_SQL                                                           \
	"SELECT f.rowid, " RANK(                                               \
		"ticket_fts") ", snippet(ticket_fts, 0, '[', ']', '...', 12)"  \
			      " FROM ticket_fts f JOIN tickets t ON t.id = "   \
			      "f.rowid"                                        \
			      " WHERE ticket_fts MATCH $1 AND f.rowid >= $7 "  \
			      "AND " VISIBLE_T                                 \
			      " ORDER BY f.rowid DESC LIMIT $6"
#define MESSAGES_SQL                                                           \
	"SELECT m.ticket_id, " RANK(                                           \
		"message_fts") ","                                             \
			       " snippet(message_fts, 0, '[', ']', '...', 12)" \
			       " FROM message_fts f JOIN messages m ON m.id "  \
			       "= f.rowid"                                     \
			       " JOIN tickets t ON t.id = m.ticket_id"         \
			       " WHERE message_fts MATCH $1 AND f.rowid >= $7" \
			       " AND ($5 = 1 OR m.kind <> 'note') "            \
			       "AND " VISIBLE_T                                \
			       " ORDER BY f.rowid DESC LIMIT $6"
/* The matching people and companies (the newest SEARCH_USERS of those
 * whose tickets the searcher may see), then the newest visible tickets of
 * each, one index read apiece. */
#define PEOPLE_SQL                                                             \
	"SELECT f.rowid, " RANK(                                               \
		"user_fts") ","                                                \
			    " snippet(user_fts, -1, '[', ']', '...', 12) "     \
			    "FROM user_fts f"                                  \
			    " WHERE user_fts MATCH $1 AND " WHO_VISIBLE        \
			    " ORDER BY f.rowid DESC LIMIT $2"
#define COMPANIES_SQL                                                          \
	"SELECT f.rowid, " RANK(                                               \
		"company_fts") ","                                             \
			       " snippet(company_fts, 0, '[', ']', '...', "    \
			       "12) FROM company_fts f"                        \
			       " WHERE company_fts MATCH $1 AND ($3 = 1 OR "   \
			       "f.rowid = $6)"                                 \
			       " ORDER BY f.rowid DESC LIMIT $2"
/* Whose tickets a customer may see ($3 staff, $4 user, $5 is_contact, $6
 * company): their own, and a support contact their colleagues'. */
#define WHO_VISIBLE                                                            \
	"($3 = 1 OR f.rowid = $4 OR ($5 = 1 AND +f.rowid IN"                   \
	" (SELECT id FROM users WHERE company_id = $6)))"
#define PERSON_TICKETS_SQL                                                     \
	"SELECT t.id FROM tickets t WHERE t.requester_id = $1 AND " VISIBLE_T  \
	" ORDER BY t.id DESC LIMIT $6"
#define COMPANY_TICKETS_SQL                                                    \
	"SELECT t.id FROM tickets t WHERE t.company_id = $1 AND " VISIBLE_T    \
	" ORDER BY t.id DESC LIMIT $6"
/* A customer who is no support contact sees only their own tickets. */
#define OWN_COMPANY_TICKETS_SQL                                                \
	"SELECT t.id FROM tickets t WHERE t.requester_id = $2"                 \
	" AND +t.company_id = $1 AND " VISIBLE_T                               \
	" ORDER BY t.id DESC LIMIT $6"
#define NUMBER_SQL                                                             \
	"SELECT t.id FROM tickets t WHERE t.number = $1 AND " VISIBLE_T

/* The tickets a customer sees ($2 user, $3 company, $4 is_contact). */
#define OWN_TICKETS                                                            \
	"SELECT id FROM tickets WHERE requester_id = $2 UNION ALL"             \
	" SELECT id FROM tickets WHERE $4 = 1 AND company_id = $3"
/* A customer who sees few tickets: the subjects' scan checks each match
 * against the set of their tickets, built once in memory; the "+" keeps
 * SQLite from turning the set into one FTS5 query per member, which would
 * merge a prefix's doclists again each time. (Messages carry their scope
 * in the index: scope_match.) */
#define SUBJECTS_FEW_SQL                                                       \
	"SELECT f.rowid, " RANK(                                               \
		"ticket_fts") ","                                              \
			      " snippet(ticket_fts, 0, '[', ']', '...', 12)"   \
			      " FROM ticket_fts f WHERE ticket_fts MATCH $1 "  \
			      "AND f.rowid >= $7"                              \
			      " AND +f.rowid IN (" OWN_TICKETS ") AND $5 = 0"  \
			      " ORDER BY f.rowid DESC LIMIT $6"
#define FEW_TICKETS 500

/* How far a search must read for this searcher. */
struct reach {
	int64_t ticket, message; /* the first a customer may see, else 0 */
	bool none;		 /* a customer who sees no ticket */
	bool few;		 /* a customer who sees FEW_TICKETS or fewer */
};

/* For a customer: the first ticket and message they may see (no match
 * older than those can be theirs, so the scans stop there) and whether
 * they see few tickets. Nothing to learn for staff. */
static ay_rc scope_reach(struct db *db, const struct search_scope *sc,
			 struct reach *r)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	memset(r, 0, sizeof(*r));
	if (sc->staff)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT COUNT(*) FROM (SELECT id FROM (" OWN_TICKETS
		    ") LIMIT $1)",
		    "iiii", (int64_t)FEW_TICKETS + 1, sc->user_id,
		    sc->company_id, (int64_t)sc->is_contact);
	if (rc)
		return rc;
	r->none = !row || db_col_int(s, 0) == 0;
	r->few = row && db_col_int(s, 0) <= FEW_TICKETS;
	db_reset(s);
	if (r->none)
		return AY_OK;
	rc = db_run(db, &s, &row,
		    "SELECT MIN(id) FROM (SELECT MIN(id) AS id FROM tickets"
		    " WHERE requester_id = $1 UNION ALL SELECT MIN(id)"
		    " FROM tickets WHERE $3 = 1 AND company_id = $2)",
		    "iii", sc->user_id, sc->company_id,
		    (int64_t)sc->is_contact);
	if (rc)
		return rc;
	r->ticket = row && !db_col_null(s, 0) ? db_col_int(s, 0) : 0;
	db_reset(s);
	rc = db_run(db, &s, &row,
		    "SELECT MIN(id) FROM messages WHERE ticket_id = $1", "i",
		    r->ticket);
	if (rc)
		return rc;
	r->message = row && !db_col_null(s, 0) ? db_col_int(s, 0) : 0;
	db_reset(s);
	return AY_OK;
}

/* The matches of one index whose rows are (ticket id, rank, snippet). */
static ay_rc add_matches(struct db *db, struct cands *cs, enum source src,
			 const char *sql, const char *match,
			 const struct search_scope *sc, int64_t floor)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, sql, "s" SCOPE_FMT "ii", match,
		    SCOPE_ARGS(sc), (int64_t)SEARCH_PER_SOURCE, floor);
	while (!rc && row) {
		cand_add(cs, db_col_int(s, 0), src,
			 (double)db_col_int(s, 1) / 1e6, db_col_text(s, 2));
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	return rc;
}

/* The tickets of the matching people (or companies): who_sql gives (id,
 * rank, snippet) of each, tickets_sql the newest visible tickets of one. */
static ay_rc add_owners(struct db *db, struct cands *cs, enum source src,
			const char *who_sql, const char *tickets_sql,
			const char *match, const struct search_scope *sc)
{
	struct {
		int64_t id;
		double rank;
		char snip[sizeof(((struct cand *)0)->snippet)];
	} who[SEARCH_USERS];
	struct db_stmt *s = NULL;
	size_t n = 0;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, who_sql, "siiiii", match,
		    (int64_t)SEARCH_USERS, (int64_t)sc->staff, sc->user_id,
		    (int64_t)sc->is_contact, sc->company_id);
	while (!rc && row && n < SEARCH_USERS) {
		const char *snip = db_col_text(s, 2);

		who[n].id = db_col_int(s, 0);
		who[n].rank = (double)db_col_int(s, 1) / 1e6;
		ay_utf8_trim_copy(who[n].snip, sizeof(who[n].snip),
				  snip ? snip : "");
		n++;
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = db_run(db, &s, &row, tickets_sql, "i" SCOPE_FMT "i",
			    who[i].id, SCOPE_ARGS(sc),
			    (int64_t)SEARCH_PER_SOURCE);
		while (!rc && row) {
			cand_add(cs, db_col_int(s, 0), src, who[i].rank,
				 who[i].snip);
			rc = db_step(s, &row);
		}
		if (s)
			db_reset(s);
	}
	return rc;
}

/* A query that is a ticket number ("1041", "#1041", "Ticket#1041") puts
 * that ticket first. */
static ay_rc add_number(struct db *db, struct cands *cs, const char *q,
			const struct search_scope *sc)
{
	struct db_stmt *s = NULL;
	bool row = false;
	char *end;
	long long n;
	ay_rc rc;

	while (isspace((unsigned char)*q))
		q++;
	if (!strncasecmp(q, "ticket", 6))
		q += 6;
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '#')
		q++;
	if (!isdigit((unsigned char)*q))
		return AY_OK;
	n = strtoll(q, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*end || n <= 0)
		return AY_OK;
	rc = db_run(db, &s, &row, NUMBER_SQL, "i" SCOPE_FMT, (int64_t)n,
		    SCOPE_ARGS(sc));
	if (!rc && row)
		cand_add(cs, db_col_int(s, 0), SRC_NUMBER, 0, "");
	if (s)
		db_reset(s);
	return rc;
}

ay_rc store_search(struct db *db, const char *q, const struct search_scope *sc,
		   struct search_hit *hits, size_t max, size_t *n)
{
	struct cands *cs = NULL;
	struct reach r = {0};
	struct buf match, scoped;
	ay_rc rc;

	if (db_dialect(db) == DB_PG)
		return pg_store_search(db, q, sc, hits, max, n);
	*n = 0;
	buf_init(&match, 4096);
	buf_init(&scoped, 4096 + 128);
	rc = fts_query(q, NULL, &match);
	if (rc == AY_ENOTFOUND) {
		buf_release(&match);
		return AY_OK;
	}
	if (!rc)
		rc = scope_match(q, sc, &scoped);
	if (!rc)
		rc = scope_reach(db, sc, &r);
	if (rc || r.none)
		goto out;
	cs = calloc(1, sizeof(*cs));
	if (!cs) {
		rc = AY_ENOMEM;
		goto out;
	}
	rc = add_number(db, cs, q, sc);
	if (!rc)
		rc = add_matches(db, cs, SRC_SUBJECT,
				 r.few ? SUBJECTS_FEW_SQL : SUBJECTS_SQL,
				 match.ptr, sc, r.ticket);
	if (!rc)
		rc = add_matches(db, cs, SRC_MESSAGE, MESSAGES_SQL, scoped.ptr,
				 sc, r.message);
	if (!rc)
		rc = add_owners(db, cs, SRC_PERSON, PEOPLE_SQL,
				PERSON_TICKETS_SQL, match.ptr, sc);
	if (!rc)
		rc = add_owners(db, cs, SRC_COMPANY, COMPANIES_SQL,
				sc->staff || sc->is_contact
					? COMPANY_TICKETS_SQL
					: OWN_COMPANY_TICKETS_SQL,
				match.ptr, sc);
	if (rc)
		goto out;
	qsort(cs->c, cs->n, sizeof(cs->c[0]), cand_cmp);
	for (; *n < max && *n < cs->n; (*n)++) {
		hits[*n].ticket_id = cs->c[*n].ticket_id;
		memcpy(hits[*n].snippet, cs->c[*n].snippet,
		       sizeof(hits[*n].snippet));
	}
out:
	free(cs);
	buf_release(&scoped);
	buf_release(&match);
	return rc;
}
