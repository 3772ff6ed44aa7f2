/* Full-text search, PostgreSQL's way (search.h, kb.h): to_tsquery over the
 * GIN expression indexes of store/pg_schema.c, in the text search
 * configurations ayuda_es and ayuda_en (stemming; accents dropped when
 * unaccent could be had), ranked by ts_rank, marked by ts_headline. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/pg_search.h"
#include "util/buf.h"
#include "util/str.h"

#define PER_SOURCE 100 /* the newest visible matches of each source */
#define HITS_MAX   (4 * PER_SOURCE + 1)

/* Append word w (n bytes) to a tsquery text as a quoted lexeme, after op
 * (nothing before the first); quotes and backslashes become spaces. */
static ay_rc lexeme(struct buf *out, const char *op, const unsigned char *w,
		    size_t n)
{
	ay_rc rc = buf_addf(out, "%s'", op);

	for (size_t i = 0; !rc && i < n; i++)
		rc = buf_addc(out, strchr("'\\", w[i]) ? ' ' : (char)w[i]);
	return rc ? rc : buf_addc(out, '\'');
}

/* The tsquery text of the words of q: each a quoted lexeme, joined by op
 * (" & " or " | "), the last one a prefix too. AY_ENOTFOUND when q has no
 * word. */
static ay_rc tsquery(const char *q, const char *op, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)q, *w;
	size_t n, words;
	ay_rc rc = AY_OK;

	for (words = 0; !rc; words++) {
		w = ay_next_word(&p, &n);
		if (!w)
			break;
		rc = lexeme(out, words ? op : "", w, n);
	}
	if (!rc && !words)
		return AY_ENOTFOUND;
	return rc ? rc : buf_addf(out, ":*");
}

/* Whether a ticket t is visible; $2 user, $3 company, $4 is_contact, $5
 * staff (as domain/access.h binds them). */
#define VISIBLE                                                                \
	"($5 = 1 OR t.requester_id = $2 OR"                                    \
	" ($4 = 1 AND t.company_id IS NOT NULL AND t.company_id = $3))"
#define MARK                                                                   \
	"'StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=2,"        \
	" MaxFragments=1, FragmentDelimiter=...'"
#define USER_DOC     "name || ' ' || translate(email, '@.', '  ')"
#define PER_SOURCE_S "100"

/* Rows (ticket id, source, rank, snippet, number match): the ticket
 * numbered $6, then the newest matching subjects, messages, requesters and
 * companies of the tickets the searcher may see. */
#define SEARCH_SQL                                                             \
	"WITH q AS (SELECT to_tsquery('ayuda_es', $1) AS q)"                   \
	" SELECT t.id, 0, 0.0::real, '' FROM tickets t WHERE t.number = $6"    \
	" AND " VISIBLE " UNION ALL (SELECT t.id, 1,"                          \
	" ts_rank(to_tsvector('ayuda_es', t.subject), q.q),"                   \
	" ts_headline('ayuda_es', t.subject, q.q, " MARK ")"                   \
	" FROM tickets t, q WHERE to_tsvector('ayuda_es', t.subject) @@ q.q"   \
	" AND " VISIBLE " ORDER BY t.id DESC LIMIT " PER_SOURCE_S              \
	") UNION ALL (SELECT m.ticket_id, 2,"                                  \
	" ts_rank(to_tsvector('ayuda_es', m.body), q.q),"                      \
	" ts_headline('ayuda_es', m.body, q.q, " MARK ")"                      \
	" FROM messages m JOIN tickets t ON t.id = m.ticket_id, q"             \
	" WHERE to_tsvector('ayuda_es', m.body) @@ q.q"                        \
	" AND ($5 = 1 OR m.kind <> 'note') AND " VISIBLE                       \
	" ORDER BY m.id DESC LIMIT " PER_SOURCE_S ") UNION ALL (SELECT t.id,"  \
	" 3, ts_rank(to_tsvector('ayuda_es', u." USER_DOC "), q.q),"           \
	" ts_headline('ayuda_es', u.name || ' ' || u.email, q.q, " MARK ")"    \
	" FROM users u JOIN tickets t ON t.requester_id = u.id, q"             \
	" WHERE to_tsvector('ayuda_es', u." USER_DOC ") @@ q.q AND " VISIBLE   \
	" ORDER BY t.id DESC LIMIT " PER_SOURCE_S ") UNION ALL (SELECT t.id,"  \
	" 4, ts_rank(to_tsvector('ayuda_es', c.name), q.q),"                   \
	" ts_headline('ayuda_es', c.name, q.q, " MARK ")"                      \
	" FROM companies c JOIN tickets t ON t.company_id = c.id, q"           \
	" WHERE to_tsvector('ayuda_es', c.name) @@ q.q AND " VISIBLE           \
	" ORDER BY t.id DESC LIMIT " PER_SOURCE_S ")"

/* How much a match counts by where it is (number, subject, message,
 * requester, company): the subject says what a ticket is about, the
 * requester and company who it is from, a message what was said. */
static const double weight[] = {1e9, 4.0, 1.0, 2.0, 2.0};

struct pg_cand {
	int64_t ticket_id;
	double score, best;
	unsigned seen; /* sources counted, by bit */
	char snippet[sizeof(((struct search_hit *)0)->snippet)];
};

static int cand_order(const void *a, const void *b)
{
	const struct pg_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->ticket_id < y->ticket_id) - (x->ticket_id > y->ticket_id);
}

/* A ticket number in q ("1041", "#1041", "Ticket#1041"), else 0. */
static int64_t number_in(const char *q)
{
	char *end;
	long long v;

	q += strspn(q, " \t");
	if (!strncasecmp(q, "ticket", 6))
		q += 6;
	q += strspn(q, " \t#");
	if (!isdigit((unsigned char)*q))
		return 0;
	v = strtoll(q, &end, 10);
	end += strspn(end, " \t");
	return *end || v <= 0 ? 0 : (int64_t)v;
}

static void cand_count(struct pg_cand *c, size_t *nc, int64_t ticket, int src,
		       double rank, const char *snip)
{
	double w = weight[src] * (src ? rank : 1);
	struct pg_cand *k = NULL;

	for (size_t i = 0; i < *nc && !k; i++)
		if (c[i].ticket_id == ticket)
			k = &c[i];
	if (!k) {
		if (*nc == HITS_MAX)
			return;
		k = &c[(*nc)++];
		memset(k, 0, sizeof(*k));
		k->ticket_id = ticket;
		k->best = -1;
	}
	if (!(k->seen & (1u << src))) {
		k->seen |= 1u << src;
		k->score += w;
	}
	if (src && w > k->best) {
		k->best = w;
		ay_utf8_trim_copy(k->snippet, sizeof(k->snippet),
				  snip ? snip : "");
	}
}

ay_rc pg_store_search(struct db *db, const char *q,
		      const struct search_scope *sc, struct search_hit *hits,
		      size_t max, size_t *n)
{
	struct pg_cand *c = NULL;
	struct db_stmt *s = NULL;
	struct buf tq;
	size_t nc = 0;
	bool row = false;
	ay_rc rc;

	*n = 0;
	buf_init(&tq, 4096);
	rc = tsquery(q, " & ", &tq);
	if (rc == AY_ENOTFOUND) {
		buf_release(&tq);
		return AY_OK;
	}
	c = rc ? NULL : calloc(HITS_MAX, sizeof(*c));
	if (!rc && !c)
		rc = AY_ENOMEM;
	if (!rc)
		rc = db_run(db, &s, &row, SEARCH_SQL, "siiiii", buf_str(&tq),
			    sc->user_id, sc->company_id,
			    (int64_t)sc->is_contact, (int64_t)sc->staff,
			    number_in(q));
	while (!rc && row) {
		const char *r = db_col_text(s, 2);

		cand_count(c, &nc, db_col_int(s, 0), (int)db_col_int(s, 1),
			   r ? strtod(r, NULL) : 0, db_col_text(s, 3));
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	if (!rc) {
		qsort(c, nc, sizeof(*c), cand_order);
		for (; *n < max && *n < nc; (*n)++) {
			hits[*n].ticket_id = c[*n].ticket_id;
			memcpy(hits[*n].snippet, c[*n].snippet,
			       sizeof(hits[*n].snippet));
		}
	}
	free(c);
	buf_release(&tq);
	return rc;
}

/* An article's document: the title weighs most (A), the tags (B), the
 * body least (D), as the indexes kb_texts_fts_es and _en have it. */
#define KB_DOC(cfg)                                                            \
	"(setweight(to_tsvector('" cfg "', t.title), 'A') ||"                  \
	" setweight(to_tsvector('" cfg "', t.tags), 'B') ||"                   \
	" setweight(to_tsvector('" cfg "', t.body), 'D'))"
#define KB_SQL(cfg, lang)                                                      \
	"SELECT t.article_id, t.id, ts_rank(" KB_DOC(                          \
		cfg) ", q) * 10,"                                              \
		     " ts_headline('" cfg                                      \
		     "', t.body, q, 'StartSel=[, StopSel=],"                   \
		     " MaxWords=16, MinWords=5, ShortWord=2, MaxFragments=1,"  \
		     " FragmentDelimiter=...')"                                \
		     " FROM kb_texts t JOIN kb_articles a ON a.id = "          \
		     "t.article_id,"                                           \
		     " to_tsquery('" cfg "', $1) q"                            \
		     " WHERE t.lang = '" lang "' AND " KB_DOC(                 \
			     cfg) " @@ q"                                      \
				  " AND (a.state = 'published' OR ($2 = 1 "    \
				  "AND a.state = 'internal'))"                 \
				  " ORDER BY 3 DESC, t.article_id LIMIT $3"

/* Hit h from the current row of KB_SQL. */
static void kb_hit_set(struct kb_hit *h, struct db_stmt *s)
{
	const char *score = db_col_text(s, 2);

	h->article_id = db_col_int(s, 0);
	h->text_id = db_col_int(s, 1);
	h->score = score ? strtod(score, NULL) : 0;
	ay_utf8_trim_copy(h->snippet, sizeof(h->snippet),
			  db_col_text(s, 3) ? db_col_text(s, 3) : "");
}

static ay_rc kb_query(struct db *db, const char *tq,
		      const struct kb_search_opts *o, struct kb_hit *hits,
		      size_t max, size_t *n)
{
	bool en = !strcmp(o->lang, "en");
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    en ? KB_SQL("ayuda_en", "en") : KB_SQL("ayuda_es", "es"),
		    "sii", tq, (int64_t)o->internal, (int64_t)max);
	for (; !rc && row && *n < max; rc = db_step(s, &row))
		kb_hit_set(&hits[(*n)++], s);
	db_reset(s);
	return rc;
}

ay_rc pg_store_kb_search(struct db *db, const char *q,
			 const struct kb_search_opts *o, struct kb_hit *hits,
			 size_t max, size_t *n)
{
	/* Every word required; when that finds nothing, any of them. */
	const char *ops[] = {o->any_word ? " | " : " & ", " | "};
	struct buf tq;
	ay_rc rc = AY_OK;

	*n = 0;
	buf_init(&tq, 8192);
	for (size_t i = 0; i < 2 && !rc && !*n; i++) {
		if (i && (o->any_word || !strstr(buf_str(&tq), " & ")))
			break;
		buf_reset(&tq);
		rc = tsquery(q, ops[i], &tq);
		if (!rc)
			rc = kb_query(db, buf_str(&tq), o, hits, max, n);
	}
	buf_release(&tq);
	return rc == AY_ENOTFOUND ? AY_OK : rc;
}
