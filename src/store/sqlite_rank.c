/* ay_rank(): bm25 with every word weighted alike (sqlite_rank.h).
 *
 * FTS5's own bm25() weighs each word by how many rows of the whole index
 * contain it (its IDF), which it learns by reading every match of the word
 * once per query: for a word in all 500,000 messages that pass alone costs
 * more than the 50 ms a search may take, however few rows are ranked. In a
 * search where every word must match, every candidate holds every word, so
 * the IDF only shifts weight between the words; ay_rank() drops it and keeps
 * the rest of bm25 (term frequency, saturated by k1, against the row's
 * length over the average, b), from counters FTS5 keeps anyway. Lower is
 * better, like bm25(). */
#include <stddef.h>

#include <sqlite3.h>

#include "store/sqlite_rank.h"

#define K1	    1.2
#define B	    0.75
#define MAX_PHRASES 64

static void ay_rank(const Fts5ExtensionApi *x, Fts5Context *ctx,
		    sqlite3_context *out, int argc, sqlite3_value **argv)
{
	int tf[MAX_PHRASES] = {0};
	sqlite3_int64 rows = 0, tokens = 0;
	int phrases = x->xPhraseCount(ctx), insts = 0, len = 0;
	double avg, score = 0;

	(void)argc;
	(void)argv;
	if (phrases > MAX_PHRASES)
		phrases = MAX_PHRASES;
	if (x->xRowCount(ctx, &rows) != SQLITE_OK ||
	    x->xColumnTotalSize(ctx, -1, &tokens) != SQLITE_OK ||
	    x->xColumnSize(ctx, -1, &len) != SQLITE_OK ||
	    x->xInstCount(ctx, &insts) != SQLITE_OK) {
		sqlite3_result_error(out, "ay_rank: cannot read the index", -1);
		return;
	}
	for (int i = 0; i < insts; i++) {
		int phrase, col, off;

		if (x->xInst(ctx, i, &phrase, &col, &off) == SQLITE_OK &&
		    phrase >= 0 && phrase < phrases)
			tf[phrase]++;
	}
	avg = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1;
	for (int p = 0; p < phrases; p++)
		score += tf[p] * (K1 + 1) /
			 (tf[p] + K1 * (1 - B + B * (double)len / avg));
	sqlite3_result_double(out, -score);
}

/* FTS5's API of connection h, as its documentation asks for it. */
static fts5_api *fts5_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return api;
}

int sqlite_rank_register(sqlite3 *h)
{
	fts5_api *api = fts5_of(h);

	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateFunction(api, "ay_rank", NULL, ay_rank, NULL);
}
