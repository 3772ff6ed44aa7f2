/* Full-text search, PostgreSQL's way (search.h, kb.h), answering as
 * SQLite's FTS5 does: tsqueries over the GIN indexes of store/pg_schema.c
 * (the console's in the configuration ayuda_words: words without accents
 * and case, as unicode61 remove_diacritics 2; the knowledge base's with
 * the terms of SQLite's ayuda_stem), ranked by SQLite's formulas, marked
 * by ts_headline. */
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
#define PER_SOURCE_S "100"
/* The words of each source as SQLite's unicode61 cuts them (ay_words and
 * ayuda_words, migration 39). */
#define W_SUBJECT "to_tsvector('ayuda_words', ay_words(t.subject))"
#define W_BODY	  "to_tsvector('ayuda_words', ay_words(m.body))"
#define PERSON	  "u.name || ' ' || u.email"
#define W_PERSON  "to_tsvector('ayuda_words', ay_words(" PERSON "))"
#define W_COMPANY "to_tsvector('ayuda_words', ay_words(c.name))"
/* The number of words in a tsvector (its last position):
 * LEN_OF "vector" LEN_END. */
#define LEN_OF	"(SELECT coalesce(max(p), 0) FROM unnest("
#define LEN_END ") u, unnest(u.positions) p)"
/* A message's scope words in SQLite's index (schema migration 25:
 * "u<requester> c<company>", "staff" for a note), which its length
 * counts there. */
#define SCOPE_LEN                                                              \
	"CASE WHEN m.kind = 'note' OR t.company_id IS NULL THEN 1 ELSE 2 END"
/* The average length of each source's texts, of its newest 100 (of 20
 * messages, longer to read; SQLite's index knows it of them all: the same
 * while there are no more). */
#define AVG_SQL                                                                \
	"a AS (SELECT 1 AS src, avg(" LEN_OF W_SUBJECT LEN_END ") AS avgl"     \
	" FROM (SELECT subject FROM tickets ORDER BY id DESC LIMIT 100) t"     \
	" UNION ALL SELECT 2, avg(" LEN_OF W_BODY LEN_END " + m.sl)"           \
	" FROM (SELECT m.body, " SCOPE_LEN " AS sl FROM messages m"            \
	" JOIN tickets t ON t.id = m.ticket_id ORDER BY m.id DESC"             \
	" LIMIT 20) m UNION ALL SELECT 3, avg(" LEN_OF W_PERSON LEN_END ")"    \
	" FROM (SELECT name, email FROM users ORDER BY id DESC LIMIT 100) u"   \
	" UNION ALL SELECT 4, avg(" LEN_OF W_COMPANY LEN_END ") FROM (SELECT"  \
	" name FROM companies ORDER BY id DESC LIMIT 100) c)"
/* The words of the query ($7), the last one a prefix. */
#define PHRASES_SQL                                                            \
	"ph AS (SELECT w.i, tsvector_to_array(to_tsvector('ayuda_words',"      \
	" ay_words(w.w))) AS alts, w.i = w.n AS pfx FROM (SELECT u.w, u.i,"    \
	" count(*) OVER () AS n FROM unnest(string_to_array($7, ' '))"         \
	" WITH ORDINALITY AS u(w, i)) w)"
/* Each source's candidates: (ticket id, source, words, scope words,
 * snippet). */
#define SUBJECTS_SQL                                                           \
	"SELECT t.id, 1, " W_SUBJECT ", 0,"                                    \
	" ts_headline('ayuda_words', t.subject, q.q, " MARK ")"                \
	" FROM tickets t, q WHERE " W_SUBJECT " @@ q.q AND " VISIBLE           \
	" ORDER BY t.id DESC LIMIT " PER_SOURCE_S
#define MESSAGES_SQL                                                           \
	"SELECT m.ticket_id, 2, " W_BODY ", " SCOPE_LEN ","                    \
	" ts_headline('ayuda_words', m.body, q.q, " MARK ")"                   \
	" FROM messages m JOIN tickets t ON t.id = m.ticket_id, q"             \
	" WHERE " W_BODY " @@ q.q AND ($5 = 1 OR m.kind <> 'note')"            \
	" AND " VISIBLE " ORDER BY m.id DESC LIMIT " PER_SOURCE_S
#define PEOPLE_SQL                                                             \
	"SELECT t.id, 3, " W_PERSON ", 0,"                                     \
	" ts_headline('ayuda_words', " PERSON ", q.q, " MARK ")"               \
	" FROM users u JOIN tickets t ON t.requester_id = u.id, q"             \
	" WHERE " W_PERSON " @@ q.q AND " VISIBLE                              \
	" ORDER BY t.id DESC LIMIT " PER_SOURCE_S
#define COMPANIES_SQL                                                          \
	"SELECT t.id, 4, " W_COMPANY ", 0,"                                    \
	" ts_headline('ayuda_words', c.name, q.q, " MARK ")"                   \
	" FROM companies c JOIN tickets t ON t.company_id = c.id, q"           \
	" WHERE " W_COMPANY " @@ q.q AND " VISIBLE                             \
	" ORDER BY t.id DESC LIMIT " PER_SOURCE_S
/* SQLite's ay_rank (store/sqlite_rank.c: bm25 without the words' IDF,
 * k1 1.2, b 0.75) of candidate l, in millionths as there: each word's
 * count in the text (the last word's as a prefix), against the text's
 * length in words over its source's average (AVG_SQL). */
#define RANK_SQL                                                               \
	"coalesce(floor((SELECT sum(x.tf * 2.2 / (x.tf + 1.2 * (0.25 + 0.75"   \
	" * l.len / greatest(a.avgl, 1)))) FROM (SELECT ph.i,"                 \
	" count(DISTINCT y.p) AS tf FROM ph, unnest(l.v) u,"                   \
	" unnest(u.positions) y(p) WHERE CASE WHEN ph.pfx THEN"                \
	" starts_with(u.lexeme, ph.alts[1]) ELSE u.lexeme = ANY(ph.alts) END"  \
	" GROUP BY ph.i) x) * 1000000) / 1000000, 0)::float8"

/* Rows (ticket id, source, rank, snippet): the ticket numbered $6, then
 * the newest matching subjects, messages, requesters and companies of the
 * tickets the searcher may see; $1 the tsquery, $7 its words. */
#define SEARCH_SQL                                                             \
	"WITH q AS (SELECT to_tsquery('ayuda_words', $1) AS q), " PHRASES_SQL  \
	", c AS (SELECT t.id, 0 AS src, NULL::tsvector AS v, 0 AS sl,"         \
	" '' AS snip FROM tickets t WHERE t.number = $6 AND " VISIBLE          \
	" UNION ALL (" SUBJECTS_SQL ") UNION ALL (" MESSAGES_SQL ")"           \
	" UNION ALL (" PEOPLE_SQL ") UNION ALL (" COMPANIES_SQL ")),"          \
	" l AS (SELECT c.*, " LEN_OF "c.v" LEN_END                             \
	" + c.sl AS len FROM c), " AVG_SQL " SELECT l.id, l.src, " RANK_SQL    \
	", l.snip"                                                             \
	" FROM l LEFT JOIN a ON a.src = l.src"

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
	const unsigned char *p = (const unsigned char *)q, *w;
	struct buf tq, words;
	size_t nc = 0, wn;
	bool row = false;
	ay_rc rc;

	*n = 0;
	buf_init(&tq, 4096);
	rc = tsquery(q, " & ", &tq);
	if (rc == AY_ENOTFOUND) {
		buf_release(&tq);
		return AY_OK;
	}
	buf_init(&words, 4096);
	w = ay_next_word(&p, &wn);
	while (!rc && w) {
		rc = buf_addf(&words, "%s%.*s", words.len ? " " : "", (int)wn,
			      (const char *)w);
		w = ay_next_word(&p, &wn);
	}
	c = rc ? NULL : calloc(HITS_MAX, sizeof(*c));
	if (!rc && !c)
		rc = AY_ENOMEM;
	if (!rc)
		rc = db_run(db, &s, &row, SEARCH_SQL, "siiiiis", buf_str(&tq),
			    sc->user_id, sc->company_id,
			    (int64_t)sc->is_contact, (int64_t)sc->staff,
			    number_in(q), buf_str(&words));
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
	buf_release(&words);
	buf_release(&tq);
	return rc;
}

/* The knowledge base, as SQLite answers it (store/kb.c): the same words
 * (kb_query_words: stop words dropped, typos corrected against the same
 * vocabulary, the last word a prefix too), each a phrase of the terms
 * ayuda_stem would give it (ay_kb_vec, migration 38), ranked by FTS5's
 * bm25 computed the same way (k1 1.2, b 0.75; title 10, tags 4, body 1;
 * each phrase's idf from the texts that hold it, |D| the text's length in
 * words), so that one [kb] mail_min_score means the same on both engines.
 * A matching text's positions of the query's terms are read by weight
 * (title A, tags B, body D): ts_filter() and setweight() keep those
 * terms only, without a row for each of the text's terms.
 * $1 the words (space-separated), $2 1 when the last one is a prefix too,
 * $3 1 for any word (else every word), $4 the weights a match counts in
 * ('AB': titles and tags; '': anywhere), $5 1 when internal articles
 * count, $6 how many, $7 how many of the newest matches are ranked,
 * $8 the language. */
/* Term l of phrase ph as tsquery text: quoted, a prefix (":*") for the
 * prefix phrase; KB_TERM_W also in weights $4 only (the snippet's query,
 * as it always was). Matching uses KB_TERM on the vector of the weights
 * asked for (KB_SQL_AB): the GIN index of migration 44 answers it without
 * reading each candidate's whole vector (a GIN index holds no weights: a
 * query by weight read again every text that holds the word). */
#define KB_QUOTED                                                              \
	"'''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''''"
#define KB_TERM                                                                \
	KB_QUOTED " || CASE WHEN ph.pre IS NOT NULL THEN ':*' ELSE '' END"
#define KB_TERM_W                                                              \
	KB_QUOTED " || CASE WHEN ph.pre IS NOT NULL OR $4 <> '' THEN ':' ||"   \
		  " CASE WHEN ph.pre IS NOT NULL THEN '*' ELSE '' END || $4 "  \
		  "ELSE '' END"
#define KB_CFG "(CASE WHEN $8 = 'en' THEN 'english' ELSE 'spanish' END)"
/* The known terms (every term of a text, migration 42) phrase p is a
 * prefix of, in Spanish or English. */
#define KB_VOCAB_PRE " v.term >= p.pre AND v.term < p.pre || chr(1114111)"
#define KB_VOCAB_ES                                                            \
	" SELECT v.term, p.k FROM phq p, kb_vocab_es v WHERE $8 <> 'en' "      \
	"AND" KB_VOCAB_PRE
#define KB_VOCAB_EN                                                            \
	" SELECT v.term, p.k FROM phq p, kb_vocab_en v WHERE $8 = 'en' "       \
	"AND" KB_VOCAB_PRE
/* The search over VEC, the vector of each text d in the weights asked
 * for: tk the terms of each phrase k (its forms, or the known terms it is
 * a prefix of), joined by hash; m the newest $7 matches, each one's
 * vector read once (DOC) and cut to the query's terms (t: their positions
 * in any weight) and to its titles and tags (ab, small); st the counts
 * bm25 needs (from an index, migration 44); idf each phrase's from the
 * texts that hold it; wab the positions of the terms in titles (A) and
 * tags (B): a position is in one part only, so any other is the body's
 * (D); f each phrase's weighted count in each text; sc the bm25. */
#define KB_SQL_OF(VEC, DOC)                                                    \
	"WITH w AS (SELECT x.i, tsvector_to_array(ay_kb_vec(" KB_CFG           \
	"::regconfig, x.w)) AS alts, ay_kb_fold(x.w) AS f,"                    \
	" x.i = x.n AND $2 = 1 AS pfx FROM (SELECT u.w, u.i, count(*)"         \
	" OVER () AS n FROM unnest(string_to_array($1, ' ')) WITH ORDINALITY"  \
	" AS u(w, i)) x),"                                                     \
	" ph AS (SELECT i, alts, NULL::text AS pre FROM w"                     \
	" WHERE cardinality(alts) > 0 UNION ALL SELECT i, NULL, f FROM w"      \
	" WHERE pfx AND f <> ''),"                                             \
	" phq AS (SELECT row_number() OVER () AS k, i, alts, pre,"             \
	" (SELECT string_agg(" KB_TERM ", ' | ')"                              \
	" FROM unnest(coalesce(alts, ARRAY[pre])) l)::tsquery AS q,"           \
	" (SELECT string_agg(" KB_TERM_W ", ' | ')"                            \
	" FROM unnest(coalesce(alts, ARRAY[pre])) l)::tsquery AS qw FROM ph)," \
	" fq AS (SELECT string_agg('(' || wq || ')', CASE WHEN $3 = 1"         \
	" THEN ' | ' ELSE ' & ' END)::tsquery AS q, string_agg('(' || wqw ||"  \
	" ')', CASE WHEN $3 = 1 THEN ' | ' ELSE ' & ' END)::tsquery AS qw"     \
	" FROM (SELECT i, string_agg(q::text, ' | ') AS wq,"                   \
	" string_agg(qw::text, ' | ') AS wqw FROM phq GROUP BY i) g),"         \
	" tk AS (SELECT x AS term, p.k FROM phq p, unnest(p.alts) x"           \
	" UNION" KB_VOCAB_ES " UNION" KB_VOCAB_EN "),"                         \
	" al AS (SELECT array_agg(DISTINCT term) AS terms FROM tk),"           \
	" m AS MATERIALIZED (SELECT y.text_id, y.len, ts_filter(setweight("    \
	"y.doc, 'C', al.terms), '{c}') AS t, ts_filter(y.doc, '{a,b}') AS ab"  \
	" FROM al, (SELECT x.text_id, x.len, " DOC " AS doc FROM"              \
	" (SELECT d.text_id, d.doc, d.len FROM kb_fts_doc d, fq"               \
	" WHERE d.lang = $8 AND " VEC " @@ fq.q ORDER BY d.text_id DESC"       \
	" LIMIT $7) x OFFSET 0) y),"                                           \
	" st AS (SELECT count(*)::float8 AS n, coalesce(avg(len), 1)::float8"  \
	" AS avgdl FROM kb_fts_doc WHERE lang = $8),"                          \
	" idf AS MATERIALIZED (SELECT p.k, greatest(ln((st.n - h.c + 0.5)"     \
	" / (h.c + 0.5)), 1e-6) AS idf FROM phq p, st, LATERAL (SELECT"        \
	" count(*) AS c FROM kb_fts_doc d WHERE d.lang = $8 AND " VEC          \
	" @@ p.q) h),"                                                         \
	" wab AS (SELECT DISTINCT m.text_id, c.w, y.p FROM m, al,"             \
	" (VALUES ('A', 'a'), ('B', 'b')) c(w, lw), unnest(ts_filter("         \
	"setweight(ts_filter(m.ab, ARRAY[c.lw]::\"char\"[]), 'C', al.terms),"  \
	" '{c}')) u, unnest(u.positions) y(p)),"                               \
	" f AS (SELECT x.text_id, x.k, sum(CASE wab.w WHEN 'A' THEN 10"        \
	" WHEN 'B' THEN 4 ELSE 1 END)::float8 AS f FROM (SELECT DISTINCT"      \
	" m.text_id, tk.k, y.p FROM m, unnest(m.t) u JOIN tk"                  \
	" ON tk.term = u.lexeme, unnest(u.positions) y(p)) x LEFT JOIN wab"    \
	" ON wab.text_id = x.text_id AND wab.p = x.p"                          \
	" WHERE strpos(coalesce(nullif($4, ''), 'ABCD'),"                      \
	" coalesce(wab.w, 'D')) > 0 GROUP BY x.text_id, x.k),"                 \
	" sc AS (SELECT m.text_id, sum(idf.idf * f.f * 2.2 / (f.f + 1.2 *"     \
	" (0.25 + 0.75 * m.len / st.avgdl))) AS s FROM m JOIN f"               \
	" ON f.text_id = m.text_id JOIN idf ON idf.k = f.k, st"                \
	" GROUP BY m.text_id)"                                                 \
	" SELECT r.article_id, r.id, r.score, ts_headline(" KB_CFG             \
	"::regconfig, r.body, r.q, 'StartSel=[, StopSel=], MaxWords=16,"       \
	" MinWords=5, ShortWord=2, MaxFragments=1, FragmentDelimiter=...')"    \
	" FROM (SELECT t.article_id, t.id, t.body, fq.qw AS q,"                \
	" floor(sc.s * 1000) / 1000 AS score FROM sc"                          \
	" JOIN kb_texts t ON t.id = sc.text_id"                                \
	" JOIN kb_articles a ON a.id = t.article_id, fq"                       \
	" WHERE a.state = 'published' OR ($5 = 1 AND a.state = 'internal')"    \
	" ORDER BY 5 DESC, t.article_id LIMIT $6) r ORDER BY 3 DESC, 1"
/* Titles and tags ($4 'AB'): their small vector, the index's expression.
 * Anywhere: the whole vector, copied into memory once (|| makes a copy; a
 * stored vector is compressed out of line and each use would read and
 * decompress it again). */
#define KB_SQL_AB                                                              \
	KB_SQL_OF("ts_filter(d.doc, '{a,b}')", "ts_filter(x.doc, '{a,b}')")
#define KB_SQL_ALL KB_SQL_OF("d.doc", "x.doc || ''::tsvector")

#define KB_RANK_MAX 1000 /* as store/kb.c */

/* Run KB_SQL_AB or _ALL over the words (space-separated) with the weights wt;
 * articles not yet in hits go to hits[*n..max). */
static ay_rc kb_query(struct db *db, const char *words, bool prefix,
		      const char *wt, const struct kb_search_opts *o,
		      struct kb_hit *hits, size_t max, size_t *n)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row, strcmp(wt, "AB") ? KB_SQL_ALL : KB_SQL_AB,
		    "siisiiis", words, (int64_t)prefix, (int64_t)o->any_word,
		    wt, (int64_t)o->internal, (int64_t)max,
		    (int64_t)KB_RANK_MAX, strcmp(o->lang, "en") ? "es" : "en");
	for (; !rc && row && *n < max; rc = db_step(s, &row)) {
		const char *score = db_col_text(s, 2);
		int64_t id = db_col_int(s, 0);
		bool seen = false;

		for (size_t i = 0; i < *n && !seen; i++)
			seen = hits[i].article_id == id;
		if (seen)
			continue;
		hits[*n].article_id = id;
		hits[*n].text_id = db_col_int(s, 1);
		hits[*n].score = score ? strtod(score, NULL) : 0;
		ay_utf8_trim_copy(hits[*n].snippet, sizeof(hits[*n].snippet),
				  db_col_text(s, 3) ? db_col_text(s, 3) : "");
		(*n)++;
	}
	if (s)
		db_reset(s);
	return rc;
}

/* Titles and tags first, then the bodies for what is missing (as
 * store/kb.c's run_ranked). */
static ay_rc kb_ranked(struct db *db, const struct kb_words *kw,
		       const struct kb_search_opts *o, struct kb_hit *hits,
		       size_t max, size_t *n)
{
	struct buf words;
	ay_rc rc = AY_OK;

	buf_init(&words, sizeof(kw->w) + KB_WORDS_MAX);
	for (size_t i = 0; !rc && i < kw->n; i++)
		rc = buf_addf(&words, "%s%s", i ? " " : "", kw->w[i]);
	if (!rc)
		rc = kb_query(db, buf_str(&words), kw->prefix[kw->n - 1], "AB",
			      o, hits, max, n);
	if (!rc && *n < max)
		rc = kb_query(db, buf_str(&words), kw->prefix[kw->n - 1], "", o,
			      hits, max, n);
	buf_release(&words);
	return rc;
}

ay_rc pg_store_kb_search(struct db *db, const char *q,
			 const struct kb_search_opts *o, struct kb_hit *hits,
			 size_t max, size_t *n)
{
	struct kb_words *kw = malloc(sizeof(*kw));
	ay_rc rc;

	*n = 0;
	if (!kw)
		return AY_ENOMEM;
	rc = kb_query_words(db, q, o, kw);
	if (!rc)
		rc = kb_ranked(db, kw, o, hits, max, n);
	/* Every word required found nothing: any of them, best first. */
	if (!rc && !*n && !o->any_word && kw->n > 1) {
		struct kb_search_opts any = *o;

		any.any_word = true;
		rc = kb_query_words(db, q, &any, kw);
		if (!rc)
			rc = kb_ranked(db, kw, &any, hits, max, n);
	}
	free(kw);
	return rc == AY_ENOTFOUND ? AY_OK : rc;
}

ay_rc pg_store_kb_reindex(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(db, "TRUNCATE kb_fts_doc, kb_vocab_es, kb_vocab_en;"
			   " SELECT ay_kb_fts_put(id, lang, title, tags, body)"
			   " FROM kb_texts");
}
