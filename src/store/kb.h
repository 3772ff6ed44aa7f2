/* The knowledge base's full-text search (store/kb.c): the one place its
 * SQL lives. SQLite: FTS5 tables kb_fts_es and kb_fts_en with the
 * stemming tokenizer (store/fts_stem.h), bm25 with the title weighing ten
 * times the body and tags four; a word missing from the index is replaced
 * by the closest indexed one (one edit, two for words of 6+ letters), the
 * last word is also a prefix. The caller (domain/kb.c) says which states
 * count. */
#ifndef AY_STORE_KB_H
#define AY_STORE_KB_H

#include "store/db.h"

struct kb_hit {
	int64_t article_id;
	int64_t text_id;
	double score;	   /* -bm25: higher is better */
	char snippet[400]; /* the body's match, marked with [ and ] */
};

struct kb_search_opts {
	const char *lang; /* "es" or "en" */
	bool internal;	  /* internal articles count too (staff) */
	bool any_word;	  /* OR the words (suggestions from long text) */
};

/* For the drivers: the words of a query as both engines search them (the
 * stop words dropped, each unknown word replaced by the closest term of
 * the index, kb_vocab_es or _en; the last one also a prefix when the text
 * ends in it). AY_ENOTFOUND when no word is left. */
#define KB_WORDS_MAX 24
#define KB_WORD_MAX  64
struct kb_words {
	char w[KB_WORDS_MAX][KB_WORD_MAX]; /* lowercase, accents as typed */
	bool prefix[KB_WORDS_MAX];	   /* a prefix too */
	size_t n;
};
ay_rc kb_query_words(struct db *db, const char *q,
		     const struct kb_search_opts *o,
		     struct kb_words *out) AY_MUST_CHECK;

/* The best `max` articles for the words of q, best first; *n gets how
 * many. A q without a word finds nothing. */
ay_rc store_kb_search(struct db *db, const char *q,
		      const struct kb_search_opts *o, struct kb_hit *hits,
		      size_t max, size_t *n) AY_MUST_CHECK;

#endif
