/* A consistent copy of the database while it serves (db.h). */
#include <string.h>

#include "store/db.h"
#include "util/log.h"

ay_rc store_backup(struct store *st, const char *path)
{
	struct db *db;
	ay_rc rc = store_reader(st, &db);

	if (rc)
		return rc;
	if (strcmp(db->drv->name, "sqlite"))
		return AY_EINVAL; /* PostgreSQL: pg_dump, by the caller */
	/* One read transaction: the copy is the database as of one commit,
	 * whatever the writers do meanwhile; the copy is compact and its own
	 * file (no -wal beside it). */
	rc = db_run(db, NULL, NULL, "VACUUM INTO $1", "s", path);
	if (rc)
		log_error("backup failed", "path=\"%s\" err=\"%s\"", path,
			  db_errmsg(db));
	return rc;
}
