/* A consistent copy of the database while it serves (db.h): SQLite's by
 * VACUUM INTO, PostgreSQL's by pg_dump (one snapshot, custom format). */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libpq-fe.h>

#include "store/db.h"
#include "store/pq_dl.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/path.h"

extern char **environ;

static ay_rc sqlite_backup(struct db *db, const char *path)
{
	/* One read transaction: the copy is the database as of one commit,
	 * whatever the writers do meanwhile; the copy is compact and its own
	 * file (no -wal beside it). */
	ay_rc rc = db_run(db, NULL, NULL, "VACUUM INTO $1", "s", path);

	if (rc)
		log_error("backup failed", "path=\"%s\" err=\"%s\"", path,
			  db_errmsg(db));
	return rc;
}

/* Add key='value' to the conninfo string b (libpq's quoting). */
static ay_rc conninfo_add(struct buf *b, const char *key, const char *val)
{
	ay_rc rc = buf_addf(b, "%s%s='", b->len ? " " : "", key);

	for (const char *p = val; !rc && *p; p++)
		rc = buf_addf(b, "%s%c", *p == '\'' || *p == '\\' ? "\\" : "",
			      *p);
	return rc ? rc : buf_adds(b, "'");
}

/* pg_dump's environment: every setting of url that libpq also reads from
 * a variable (PGHOST, PGPASSWORD, ...), ahead of ours, so that no
 * password shows in the process list. The few settings without one go
 * to *rest as a conninfo string for --dbname. *envp: owned by caller,
 * free each of its first *own entries, then the array. */
static ay_rc dump_env(const char *url, char ***envp, size_t *own,
		      struct buf *rest)
{
	PQconninfoOption *opt, *o;
	size_t n = 0, k = 0;
	ay_rc rc = AY_OK;

	*envp = NULL;
	*own = 0;
	if (store_pq_init())
		return AY_EIO;
	opt = PQconninfoParse(url, NULL);
	if (!opt)
		return AY_EINVAL;
	while (environ[n])
		n++;
	for (o = opt; o->keyword; o++)
		n++;
	*envp = calloc(n + 1, sizeof(**envp));
	if (!*envp)
		rc = AY_ENOMEM;
	for (o = opt; !rc && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!o->envvar) {
			rc = conninfo_add(rest, o->keyword, o->val);
			continue;
		}
		if (asprintf(&(*envp)[k], "%s=%s", o->envvar, o->val) < 0) {
			(*envp)[k] = NULL;
			rc = AY_ENOMEM;
		} else {
			*own = ++k;
		}
	}
	for (size_t i = 0; !rc && environ[i]; i++)
		(*envp)[k++] = environ[i];
	PQconninfoFree(opt);
	return rc;
}

/* Run pg_dump with argv and the environment envp; wait for it. */
static ay_rc run_pg_dump(char *const argv[], char *const envp[])
{
	pid_t pid;
	int status, err = posix_spawnp(&pid, "pg_dump", NULL, NULL, argv, envp);

	if (err) {
		log_error("cannot run pg_dump", "err=\"%s\"", strerror(err));
		return err == ENOENT ? AY_ENOTFOUND : AY_EIO;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return AY_EIO;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return AY_OK;
	log_error("pg_dump failed", "status=%d", status);
	return AY_EIO;
}

/* pg_dump of the store's database to path; of its schema (tables,
 * functions, text search configurations) and the extensions only when it
 * is not "public" (ayuda in a schema of its own in a shared database). */
static ay_rc pg_backup(struct store *st, struct db *db, const char *path)
{
	char *file = NULL, *schema = NULL, *dbname = NULL, **envp = NULL;
	struct buf rest, quoted;
	struct db_stmt *s = NULL;
	size_t own = 0;
	bool row = false;
	ay_rc rc;

	buf_init(&rest, 65536);
	buf_init(&quoted, 1024);
	rc = db_run(db, &s, &row, "SELECT current_schema()", "");
	if (!rc && (!row || db_col_null(s, 0)))
		rc = AY_EDB;
	/* A pattern in double quotes is the name itself. */
	for (const char *p = rc ? "" : db_col_text(s, 0); !rc && *p; p++)
		rc = buf_addf(&quoted, "%s%c", *p == '"' ? "\"" : "", *p);
	if (s)
		db_reset(s);
	if (!rc && !quoted.len)
		rc = AY_EDB;
	if (!rc)
		rc = dump_env(store_target(st), &envp, &own, &rest);
	if (!rc &&
	    (asprintf(&file, "--file=%s", path) < 0 ||
	     (strcmp(quoted.ptr, "public") &&
	      asprintf(&schema, "--schema=\"%s\"", quoted.ptr) < 0) ||
	     (rest.len && asprintf(&dbname, "--dbname=%s", rest.ptr) < 0)))
		rc = AY_ENOMEM;
	if (!rc) {
		const char *argv[8] = {"pg_dump", "--format=custom",
				       "--no-password", file};
		int n = 4;

		if (schema) {
			argv[n++] = schema;
			argv[n++] = "--extension=*";
		}
		if (dbname)
			argv[n++] = dbname;
		rc = run_pg_dump((char *const *)argv, envp);
	}
	for (size_t i = 0; envp && i < own; i++)
		free(envp[i]);
	free(envp);
	free(file);
	free(schema);
	free(dbname);
	buf_release(&rest);
	buf_release(&quoted);
	return rc;
}

ay_rc store_backup(struct store *st, const char *dest, const char **name)
{
	char path[2200];
	struct db *db;
	bool pg;
	ay_rc rc = store_reader(st, &db);

	if (rc)
		return rc;
	pg = strcmp(db->drv->name, "sqlite") != 0;
	*name = pg ? "ayuda.pgdump" : "ayuda.db";
	if (ay_path(path, sizeof(path), "%s/%s", dest, *name))
		return AY_EINVAL;
	rc = pg ? pg_backup(st, db, path) : sqlite_backup(db, path);
	if (rc)
		unlink(path);
	return rc;
}
