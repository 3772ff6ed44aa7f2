/* Leases on work that one server at a time does (see db.h). A lease is a
 * row of job_leases: who holds it and until when. Taking it is one upsert
 * whose condition is read under the row's lock, on SQLite (one writer) and
 * on PostgreSQL (the UPDATE of ON CONFLICT re-reads a row another
 * transaction changed), so two servers never both get it. */
#include <string.h>

#include "store/db.h"

ay_rc store_lease_take(struct db *db, const char *name, const char *holder,
		       int64_t now, int64_t until_at, bool *got)
{
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	*got = false;
	rc = db_run(db, &s, &row,
		    "INSERT INTO job_leases (name, holder, until_at)"
		    " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET"
		    " holder = excluded.holder, until_at = excluded.until_at"
		    " WHERE job_leases.until_at <= $4 OR job_leases.holder ="
		    " excluded.holder RETURNING holder",
		    "ssii", name, holder, until_at, now);
	if (!rc && row)
		*got = true;
	db_reset(s);
	return rc;
}

ay_rc store_lease_drop(struct db *db, const char *name, const char *holder)
{
	return db_run(db, NULL, NULL,
		      "UPDATE job_leases SET until_at = 0 WHERE name = $1 AND"
		      " holder = $2",
		      "ss", name, holder);
}

const char *db_skip_locked(struct db *db)
{
	return strcmp(db->drv->name, "sqlite") ? " FOR UPDATE SKIP LOCKED" : "";
}
