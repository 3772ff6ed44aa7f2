/* Full-text search, SQLite's way (search.h). */
#include <ctype.h>
#include <string.h>

#include "store/search.h"
#include "util/buf.h"

/* The FTS5 query of the words of q: each word quoted (so that no operator
 * or column filter of the user's text is obeyed), the last one a prefix;
 * every word must match. AY_ENOTFOUND when q has no word. */
static ay_rc fts_query(const char *q, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)q;
	int words = 0;
	ay_rc rc = AY_OK;

	while (!rc && *p) {
		const unsigned char *w;

		/* Word characters: letters and digits of any script (bytes
		 * >= 0x80 belong to UTF-8 letters here), as unicode61. */
		while (*p && *p < 0x80 && !isalnum(*p))
			p++;
		w = p;
		while (*p && (*p >= 0x80 || isalnum(*p)))
			p++;
		if (p == w)
			break;
		rc = buf_addf(out, "%s\"%.*s\"", words ? " " : "", (int)(p - w),
			      (const char *)w);
		words++;
	}
	if (!rc && !words)
		return AY_ENOTFOUND;
	return rc ? rc : buf_add(out, "*", 1);
}

/* Copy src into dst[size], cut at a UTF-8 character boundary. */
static void trim_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Where each kind of match comes from; $1 the query, $2..$5 the scope. */
#define VISIBLE_T                                                              \
	"($5 = 1 OR t.requester_id = $2 OR"                                    \
	" ($4 = 1 AND t.company_id IS NOT NULL AND t.company_id = $3))"
#define SEARCH_SQL                                                             \
	"WITH hits (ticket_id, rank, snip) AS ("                               \
	" SELECT f.rowid, f.rank, snippet(ticket_fts, 0, '[', ']', '...', 12)" \
	" FROM ticket_fts f WHERE ticket_fts MATCH $1"                         \
	" UNION ALL"                                                           \
	" SELECT m.ticket_id, f.rank,"                                         \
	"  snippet(message_fts, 0, '[', ']', '...', 12)"                       \
	" FROM message_fts f JOIN messages m ON m.id = f.rowid"                \
	" WHERE message_fts MATCH $1 AND ($5 = 1 OR m.kind <> 'note')"         \
	" UNION ALL"                                                           \
	" SELECT t.id, f.rank, snippet(user_fts, -1, '[', ']', '...', 12)"     \
	" FROM user_fts f JOIN tickets t ON t.requester_id = f.rowid"          \
	" WHERE user_fts MATCH $1"                                             \
	" UNION ALL"                                                           \
	" SELECT t.id, f.rank, snippet(company_fts, 0, '[', ']', '...', 12)"   \
	" FROM company_fts f JOIN tickets t ON t.company_id = f.rowid"         \
	" WHERE company_fts MATCH $1)"                                         \
	" SELECT h.ticket_id, h.snip, MIN(h.rank) AS best FROM hits h"         \
	" JOIN tickets t ON t.id = h.ticket_id WHERE " VISIBLE_T               \
	" GROUP BY h.ticket_id ORDER BY best, h.ticket_id DESC LIMIT $6"

ay_rc store_search(struct db *db, const char *q, const struct search_scope *sc,
		   struct search_hit *hits, size_t max, size_t *n)
{
	struct db_stmt *s = NULL;
	struct buf match;
	bool row = false;
	ay_rc rc;

	*n = 0;
	buf_init(&match, 4096);
	rc = fts_query(q, &match);
	if (rc == AY_ENOTFOUND) {
		buf_release(&match);
		return AY_OK;
	}
	if (!rc)
		rc = db_run(db, &s, &row, SEARCH_SQL, "siiiii", match.ptr,
			    sc->user_id, sc->company_id,
			    (int64_t)sc->is_contact, (int64_t)sc->staff,
			    (int64_t)max);
	while (!rc && row && *n < max) {
		const char *snip = db_col_text(s, 1);

		hits[*n].ticket_id = db_col_int(s, 0);
		trim_copy(hits[*n].snippet, sizeof(hits[*n].snippet),
			  snip ? snip : "");
		(*n)++;
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&match);
	return rc;
}
