/* The ranking function of the SQLite driver's full-text search
 * (store/sqlite_rank.c), registered on every connection. */
#ifndef AY_STORE_SQLITE_RANK_H
#define AY_STORE_SQLITE_RANK_H

#include <sqlite3.h>

/* Register ay_rank() with FTS5 on connection h: SQLITE_OK, or the error of
 * a library without FTS5. */
int sqlite_rank_register(sqlite3 *h);

#endif
