/* An FTS5 tokenizer with Snowball stemming (fts_stem.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "store/fts_stem.h"
#include "util/str.h"

#define TOKEN_MAX                                                              \
	128 /* bytes of a word we stem; longer ones pass as they are */

struct stem_tok {
	fts5_tokenizer inner_api;
	Fts5Tokenizer *inner;
	struct sb_stemmer *sb;
};

/* Remove the accents of the Latin letters of s (lowercase, as unicode61
 * gives them) into out; returns the new length. out has room for n. */
static size_t strip(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xC3 && i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];

			if (d >= 0xA0 && ay_latin1_fold(d)) {
				out[o++] = ay_latin1_fold(d);
				i++;
				continue;
			}
		}
		out[o++] = (char)c;
	}
	return o;
}

/* stem(word) without accents into out[TOKEN_MAX]; 0 when it fails. */
static size_t stem_strip(struct sb_stemmer *sb, const char *w, size_t n,
			 char *out)
{
	const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)n);
	int len = sb_stemmer_length(sb);

	if (!st || len <= 0 || len >= TOKEN_MAX)
		return 0;
	return strip((const char *)st, (size_t)len, out);
}

size_t fts_stem_word(const char *language, const char *word, size_t len,
		     char *out, size_t size)
{
	struct sb_stemmer *sb = sb_stemmer_new(language, "UTF_8");
	char tmp[TOKEN_MAX];
	size_t n = 0;

	if (sb && len < TOKEN_MAX)
		n = stem_strip(sb, word, len, tmp);
	sb_stemmer_delete(sb);
	if (!n || n >= size)
		return 0;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return n;
}

struct emit {
	struct stem_tok *t;
	void *ctx;
	int flags;
	int (*cb)(void *, int, const char *, int, int, int);
};

static int on_token(void *arg, int tflags, const char *tok, int n, int start,
		    int end)
{
	struct emit *e = arg;
	char v[3][TOKEN_MAX];
	size_t len[3] = {0, 0, 0};
	int rc;

	(void)tflags;
	if (n <= 0 || n >= TOKEN_MAX)
		return e->cb(e->ctx, 0, tok, n, start, end);
	len[2] = strip(tok, (size_t)n, v[2]);
	/* A prefix query matches the words as written (without accents). */
	if (e->flags & FTS5_TOKENIZE_PREFIX)
		return e->cb(e->ctx, 0, v[2], (int)len[2], start, end);
	len[0] = stem_strip(e->t->sb, tok, (size_t)n, v[0]);
	len[1] = stem_strip(e->t->sb, v[2], len[2], v[1]);
	if (!len[0])
		return e->cb(e->ctx, 0, v[2], (int)len[2], start, end);
	rc = e->cb(e->ctx, 0, v[0], (int)len[0], start, end);
	for (int i = 1; rc == SQLITE_OK && i < 3; i++) {
		bool dup = !len[i];

		for (int j = 0; !dup && j < i; j++)
			dup = len[j] == len[i] && !memcmp(v[j], v[i], len[i]);
		if (!dup)
			rc = e->cb(e->ctx, FTS5_TOKEN_COLOCATED, v[i],
				   (int)len[i], start, end);
	}
	return rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
			const char *text, int n,
			int (*cb)(void *, int, const char *, int, int, int))
{
	struct stem_tok *t = (struct stem_tok *)p;
	struct emit e = {.t = t, .ctx = ctx, .flags = flags, .cb = cb};

	return t->inner_api.xTokenize(t->inner, &e, flags, text, n, on_token);
}

static void tok_delete(Fts5Tokenizer *p)
{
	struct stem_tok *t = (struct stem_tok *)p;

	if (!t)
		return;
	if (t->inner)
		t->inner_api.xDelete(t->inner);
	sb_stemmer_delete(t->sb);
	free(t);
}

static int tok_create(void *api_ptr, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
	static const char *const inner_args[] = {"remove_diacritics", "0"};
	fts5_api *api = api_ptr;
	struct stem_tok *t = calloc(1, sizeof(*t));
	void *ud = NULL;
	int rc;

	*out = NULL;
	if (!t)
		return SQLITE_NOMEM;
	t->sb = sb_stemmer_new(argc > 0 ? argv[0] : "spanish", "UTF_8");
	rc = t->sb ? api->xFindTokenizer(api, "unicode61", &ud, &t->inner_api)
		   : SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = t->inner_api.xCreate(ud, (const char **)inner_args, 2,
					  &t->inner);
	if (rc != SQLITE_OK) {
		tok_delete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

int fts_stem_register(sqlite3 *h)
{
	static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return rc;
	if (!api)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "ayuda_stem", api, &tok, NULL);
}
