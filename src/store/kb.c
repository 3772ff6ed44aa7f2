/* Knowledge-base search, SQLite's way (kb.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/fts_stem.h"
#include "store/kb.h"
#include "store/pg_search.h"
#include "util/buf.h"
#include "util/str.h"

#define WORD_MAX KB_WORD_MAX

/* Words too common to require (Spanish and English). */
static const char *const stop[] = {
	"a",	 "al",	 "como",   "con",   "de",     "del", "el",   "en",
	"es",	 "la",	 "las",	   "lo",    "los",    "mi",  "me",   "no",
	"o",	 "para", "por",	   "que",   "se",     "si",  "su",   "un",
	"una",	 "y",	 "ya",	   "mis",   "sus",    "hay", "esta", "este",
	"the",	 "an",	 "and",	   "or",    "of",     "to",  "in",   "on",
	"for",	 "is",	 "it",	   "my",    "how",    "do",  "i",    "can",
	"puedo", "cual", "cuales", "donde", "cuando", "mas", "sin",  "tengo",
};

/* Lowercase w (ASCII and Latin-1 letters) into out[WORD_MAX], dropping
 * the accents unless keep. */
static size_t fold(const char *w, size_t n, bool keep, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < WORD_MAX; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c == 0xC3 && i + 1 < n) {
			unsigned char d = (unsigned char)w[i + 1];

			if (d >= 0x80 && d <= 0x9E && d != 0x97)
				d += 0x20;
			if (keep && o + 2 < WORD_MAX) {
				out[o++] = (char)c;
				out[o++] = (char)d;
				i++;
				continue;
			}
			if (ay_latin1_fold(d)) {
				out[o++] = ay_latin1_fold(d);
				i++;
				continue;
			}
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
	return o;
}

static bool is_stop(const char *w)
{
	for (size_t i = 0; i < AY_ARRAY_LEN(stop); i++)
		if (!strcmp(w, stop[i]))
			return true;
	return false;
}

/* Levenshtein distance of a and b, giving up above max. */
static int distance(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int prev[WORD_MAX + 1], cur[WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX || abs(la - lb) > max)
		return max + 1;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		int best;

		cur[0] = i;
		best = i;
		for (int j = 1; j <= lb; j++) {
			int d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (size_t)(lb + 1));
	}
	return prev[lb];
}

static const char *vocab_table(const char *lang)
{
	return !strcmp(lang, "en") ? "en" : "es";
}

/* Whether the index holds the term. */
static ay_rc indexed(struct db *db, const char *lang, const char *term,
		     bool *yes)
{
	struct db_stmt *s = NULL;
	ay_rc rc;

	rc = db_run(db, &s, yes,
		    !strcmp(vocab_table(lang), "en")
			    ? "SELECT 1 FROM kb_vocab_en WHERE term = $1"
			    : "SELECT 1 FROM kb_vocab_es WHERE term = $1",
		    "s", term);
	if (s)
		db_reset(s);
	return rc;
}

/* Whether an indexed term starts with prefix. (PostgreSQL takes no
 * byte 0xFF in a text: its bound is the last character there is.) */
static ay_rc has_prefix(struct db *db, const char *lang, const char *prefix,
			bool *yes)
{
	char hi[WORD_MAX + 1];
	struct db_stmt *s = NULL;
	size_t n = strlen(prefix);
	bool en = !strcmp(vocab_table(lang), "en");
	ay_rc rc;

	/* every term that starts with prefix sorts below prefix + 0xFF */
	memcpy(hi, prefix, n);
	hi[n] = (char)0xFF;
	hi[n + 1] = '\0';
	if (db_dialect(db) == DB_PG)
		rc = db_run(db, &s, yes,
			    en ? "SELECT 1 FROM kb_vocab_en WHERE term >= $1"
				 " AND term < $1 || chr(1114111) LIMIT 1"
			       : "SELECT 1 FROM kb_vocab_es WHERE term >= $1"
				 " AND term < $1 || chr(1114111) LIMIT 1",
			    "s", prefix);
	else
		rc = db_run(db, &s, yes,
			    en ? "SELECT 1 FROM kb_vocab_en"
				 " WHERE term >= $1 AND term < $2 LIMIT 1"
			       : "SELECT 1 FROM kb_vocab_es"
				 " WHERE term >= $1 AND term < $2 LIMIT 1",
			    "ss", prefix, hi);
	if (s)
		db_reset(s);
	return rc;
}

/* The terms that start with w's first character (SQLite: its first
 * byte), to run through. */
static ay_rc first_letter(struct db *db, const char *lang, const char *w,
			  struct db_stmt **s, bool *row)
{
	char lo[8] = {w[0], '\0'}, hi[2] = {(char)(w[0] + 1), '\0'};
	bool en = !strcmp(vocab_table(lang), "en");
	size_t n = 1;

	if (db_dialect(db) != DB_PG)
		return db_run(db, s, row,
			      en ? "SELECT term FROM kb_vocab_en"
				   " WHERE term >= $1 AND term < $2"
				 : "SELECT term FROM kb_vocab_es"
				   " WHERE term >= $1 AND term < $2",
			      "ss", lo, hi);
	while (n < sizeof(lo) - 1 && ((unsigned char)w[n] & 0xC0) == 0x80)
		n++;
	memcpy(lo, w, n);
	lo[n] = '\0';
	return db_run(db, s, row,
		      en ? "SELECT term FROM kb_vocab_en WHERE term >= $1"
			   " AND term < $1 || chr(1114111)"
			 : "SELECT term FROM kb_vocab_es WHERE term >= $1"
			   " AND term < $1 || chr(1114111)",
		      "s", lo);
}

/* A word the index does not know: the closest indexed term starting with
 * the same letter, into w (unchanged when none is close). */
static ay_rc closest(struct db *db, const char *lang, char *w)
{
	char best[WORD_MAX] = "";
	int max = strlen(w) >= 6 ? 2 : 1, bestd = max + 1;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = first_letter(db, lang, w, &s, &row);
	while (!rc && row) {
		const char *t = db_col_text(s, 0);
		int d = t ? distance(w, t, bestd - 1 < max ? bestd - 1 : max)
			  : max + 1;

		if (d < bestd && strlen(t) < WORD_MAX) {
			bestd = d;
			snprintf(best, sizeof(best), "%s", t);
		}
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	if (!rc && best[0])
		snprintf(w, WORD_MAX, "%s", best);
	return rc;
}

ay_rc kb_query_words(struct db *db, const char *q,
		     const struct kb_search_opts *o, struct kb_words *out)
{
	const char *lang = !strcmp(o->lang, "en") ? "english" : "spanish";
	char words[KB_WORDS_MAX][KB_WORD_MAX],
		folded[KB_WORDS_MAX][KB_WORD_MAX];
	const unsigned char *p = (const unsigned char *)q;
	size_t nw = 0;
	bool ends_in_word = false;
	ay_rc rc = AY_OK;

	out->n = 0;
	while (*p && nw < KB_WORDS_MAX) {
		size_t n;
		const unsigned char *w = ay_next_word(&p, &n);

		if (!w)
			break;
		fold((const char *)w, n, true, words[nw]);
		fold((const char *)w, n, false, folded[nw]);
		ends_in_word = *p == '\0';
		nw++;
	}
	for (size_t i = 0; !rc && i < nw; i++) {
		bool last = i + 1 == nw && ends_in_word;
		bool known = false;
		char stem[WORD_MAX];

		if (is_stop(folded[i]) && nw > 1)
			continue;
		rc = indexed(db, o->lang, folded[i], &known);
		if (!rc && !known &&
		    fts_stem_word(lang, words[i], strlen(words[i]), stem,
				  sizeof(stem)))
			rc = indexed(db, o->lang, stem, &known);
		/* The word being typed may be the start of a known one. */
		if (!rc && !known && last)
			rc = has_prefix(db, o->lang, folded[i], &known);
		/* A typo: the closest word the index knows instead. */
		if (!rc && !known && strlen(folded[i]) >= 3) {
			rc = closest(db, o->lang, folded[i]);
			memcpy(words[i], folded[i], WORD_MAX);
		}
		if (rc)
			break;
		memcpy(out->w[out->n], words[i], WORD_MAX);
		out->prefix[out->n++] = last;
	}
	if (!rc && !out->n)
		return AY_ENOTFOUND;
	return rc;
}

/* The FTS5 query of q (see kb.h); AY_ENOTFOUND when it has no word. */
static ay_rc fts_query(struct db *db, const char *q,
		       const struct kb_search_opts *o, struct buf *out)
{
	struct kb_words *kw = malloc(sizeof(*kw));
	ay_rc rc;

	if (!kw)
		return AY_ENOMEM;
	rc = kb_query_words(db, q, o, kw);
	for (size_t i = 0; !rc && i < kw->n; i++) {
		if (i)
			rc = buf_adds(out, o->any_word ? " OR " : " AND ");
		if (!rc && kw->prefix[i])
			rc = buf_addf(out, "(\"%s\" OR \"%s\"*)", kw->w[i],
				      kw->w[i]);
		else if (!rc)
			rc = buf_addf(out, "\"%s\"", kw->w[i]);
	}
	free(kw);
	return rc;
}

/* The matches of $1 ranked by bm25 (title 10, body 1, tags 4), among the
 * articles the reader may see; no snippet here: computing one for every
 * match is what would cost, so only the kept ones get theirs. A word in
 * most articles ranks only the newest KB_RANK_MAX of its matches (a title
 * match has been looked for first, over every title). */
#define KB_RANK_MAX 1000
#define KB_SEARCH_SQL(T)                                                       \
	"SELECT t.article_id, t.id, m.score FROM ("                            \
	" SELECT rowid AS id,"                                                 \
	"  CAST(bm25(" T ", 10.0, 1.0, 4.0) * -1000 AS INTEGER) AS score"      \
	" FROM " T " WHERE " T " MATCH $1 ORDER BY rowid DESC LIMIT $4) m"     \
	" JOIN kb_texts t ON t.id = m.id"                                      \
	" JOIN kb_articles a ON a.id = t.article_id"                           \
	" WHERE a.state = 'published' OR ($2 = 1 AND a.state = 'internal')"    \
	" ORDER BY m.score DESC, t.article_id LIMIT $3"
#define KB_SNIPPET_SQL(T)                                                      \
	"SELECT snippet(" T ", 1, '[', ']', '...', 16) FROM " T " WHERE " T    \
	" MATCH $1 AND rowid = $2"

/* Run one FTS5 query; new articles go to hits[*n..max). */
static ay_rc run_query(struct db *db, const char *match,
		       const struct kb_search_opts *o, struct kb_hit *hits,
		       size_t max, size_t *n)
{
	bool en = !strcmp(o->lang, "en");
	struct db_stmt *s = NULL;
	bool row = false;
	size_t from = *n;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    en ? KB_SEARCH_SQL("kb_fts_en")
		       : KB_SEARCH_SQL("kb_fts_es"),
		    "siii", match, (int64_t)o->internal, (int64_t)max,
		    (int64_t)KB_RANK_MAX);
	while (!rc && row && *n < max) {
		int64_t id = db_col_int(s, 0);
		bool seen = false;

		for (size_t i = 0; i < *n && !seen; i++)
			seen = hits[i].article_id == id;
		if (!seen) {
			hits[*n].article_id = id;
			hits[*n].text_id = db_col_int(s, 1);
			hits[*n].score = (double)db_col_int(s, 2) / 1000.0;
			hits[*n].snippet[0] = '\0';
			(*n)++;
		}
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	for (size_t i = from; !rc && i < *n; i++) {
		s = NULL;
		rc = db_run(db, &s, &row,
			    en ? KB_SNIPPET_SQL("kb_fts_en")
			       : KB_SNIPPET_SQL("kb_fts_es"),
			    "si", match, hits[i].text_id);
		if (!rc && row && db_col_text(s, 0))
			ay_utf8_trim_copy(hits[i].snippet,
					  sizeof(hits[i].snippet),
					  db_col_text(s, 0));
		if (s)
			db_reset(s);
	}
	return rc;
}

/* Titles (and tags) first: few articles match there, so ranking them is
 * cheap, and a title match is the better answer; the bodies only for
 * what is still missing. */
static ay_rc run_ranked(struct db *db, struct buf *match,
			const struct kb_search_opts *o, struct kb_hit *hits,
			size_t max, size_t *n)
{
	struct buf titles;
	ay_rc rc;

	buf_init(&titles, match->len + 64);
	rc = buf_addf(&titles, "{title tags} : (%s)", buf_str(match));
	if (!rc)
		rc = run_query(db, buf_str(&titles), o, hits, max, n);
	buf_release(&titles);
	if (!rc && *n < max)
		rc = run_query(db, buf_str(match), o, hits, max, n);
	return rc;
}

ay_rc store_kb_search(struct db *db, const char *q,
		      const struct kb_search_opts *o, struct kb_hit *hits,
		      size_t max, size_t *n)
{
	struct buf match;
	ay_rc rc;

	if (db_dialect(db) == DB_PG)
		return pg_store_kb_search(db, q, o, hits, max, n);
	*n = 0;
	buf_init(&match, 8192);
	rc = fts_query(db, q, o, &match);
	if (rc == AY_ENOTFOUND) {
		buf_release(&match);
		return AY_OK;
	}
	rc = rc ? rc : run_ranked(db, &match, o, hits, max, n);
	/* Every word required found nothing: any of them, best first. */
	if (!rc && !*n && !o->any_word && strstr(match.ptr, " AND ")) {
		struct kb_search_opts any = *o;

		any.any_word = true;
		buf_reset(&match);
		rc = fts_query(db, q, &any, &match);
		if (!rc)
			rc = run_ranked(db, &match, &any, hits, max, n);
	}
	buf_release(&match);
	return rc == AY_ENOTFOUND ? AY_OK : rc;
}
