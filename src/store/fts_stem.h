/* The FTS5 tokenizer "ayuda_stem LANGUAGE" (store/fts_stem.c), registered
 * on every SQLite connection: unicode61 (case folded) and a Snowball
 * stemmer (libstemmer: "spanish", "english"), accents removed after
 * stemming. Each word is indexed as up to three colocated tokens: the stem
 * of the word as written, the stem of the word without its accents (so a
 * query typed without accents stems the same way) and the word itself
 * without accents (so a prefix query matches what is being typed). Used by
 * the knowledge base's search (store/kb.c). */
#ifndef AY_STORE_FTS_STEM_H
#define AY_STORE_FTS_STEM_H

#include <sqlite3.h>

/* Register the tokenizer on h: SQLITE_OK or an SQLite error code. */
int fts_stem_register(sqlite3 *h);

/* The token the tokenizer indexes first for word[0..len) in language
 * ("spanish", "english"), into out[size]: lowercased by the caller, stem,
 * accents removed. For tests; returns its length, 0 when it does not fit. */
size_t fts_stem_word(const char *language, const char *word, size_t len,
		     char *out, size_t size);

#endif
