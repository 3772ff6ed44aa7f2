/* PostgreSQL's side of the schema migrations (store/pg_schema.c). */
#ifndef AY_STORE_PG_SCHEMA_H
#define AY_STORE_PG_SCHEMA_H

#include "util/ay.h"
#include "util/buf.h"

/* Migration sql (SQLite's text) in PostgreSQL's words, appended to out:
 * INTEGER is BIGINT, BLOB BYTEA and "id INTEGER PRIMARY KEY" an identity
 * column; a CREATE TABLE's REFERENCES become ALTER TABLE statements at the
 * end;
 * triggers, views, FTS5 tables and SQLite's JSON repairs are left out
 * (pg_migration_extra has PostgreSQL's own). */
ay_rc pg_ddl(const char *sql, struct buf *out) AY_MUST_CHECK;
/* What PostgreSQL runs after migration v's translated text: its own
 * triggers, functions and full-text indexes; NULL: nothing. Borrowed:
 * static. */
const char *pg_migration_extra(int v);

#endif
