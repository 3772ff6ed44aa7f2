/* `ayuda migrate --to postgresql://...`: copy a SQLite installation into
 * an empty PostgreSQL database: every table the two schemas share, row by
 * row with its ids; the identity sequences moved past them; raw mail and
 * attachments into the blobs table; then the rows of every table counted on
 * both sides. Nothing is changed on the SQLite side. docs/scaling.md */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "cli/cli.h"
#include "store/blobs.h"
#include "store/db.h"
#include "store/pg_search.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/path.h"

static const char usage_text[] =
	"uso: ayuda migrate --to postgresql://USUARIO@MAQUINA/BASE [--data "
	"DIR]\n"
	"Copia la instalación SQLite de DIR (todas las tablas, el correo "
	"original\ny los adjuntos) en una base PostgreSQL vacía, comprueba "
	"las filas de\ncada tabla y dice cómo pasar a usarla. Detenga antes "
	"el servicio: lo\nque se escriba durante la copia no pasa. Necesita "
	"un superusuario de\nPostgreSQL (desactiva las comprobaciones de "
	"claves ajenas mientras copia).\n"
	"(Copies a SQLite install into an empty PostgreSQL database.)\n";

/* Tables that are SQLite's own or rebuilt by the target's migrations. */
static bool skipped(const char *t)
{
	static const char *const own[] = {"schema_migrations", "fts_defer",
					  "fts_pending", "kb_vocab_es",
					  "kb_vocab_en"};

	if (!strncmp(t, "sqlite_", 7) || strstr(t, "_fts"))
		return true;
	for (size_t i = 0; i < AY_ARRAY_LEN(own); i++)
		if (!strcmp(t, own[i]))
			return true;
	return false;
}

struct table {
	char name[128];
	char cols[4096]; /* "a, b, c" */
	int ncols;
	bool blob_col[64]; /* the column is binary (blobs.data) */
	bool has_id;
	int64_t rows;
};

struct plan {
	struct store *src, *dst;
	struct table *t;
	size_t n;
	int64_t rows;
};

/* The columns of table t that the target has too. */
static ay_rc shared_columns(struct db *src, struct db *dst, struct table *t)
{
	struct db_stmt *s = NULL, *d = NULL;
	struct buf q;
	bool row = false, there = false;
	ay_rc rc;

	buf_init(&q, 0);
	rc = buf_addf(&q, "SELECT name, type FROM pragma_table_info('%s')",
		      t->name);
	if (!rc)
		rc = db_run(src, &s, &row, buf_str(&q), NULL);
	while (!rc && row) {
		const char *c = db_col_text(s, 0);

		rc = db_run(dst, &d, &there,
			    "SELECT 1 FROM information_schema.columns WHERE"
			    " table_schema = current_schema() AND table_name ="
			    " $1 AND column_name = $2",
			    "ss", t->name, c);
		db_reset(d);
		if (!rc && there && t->ncols < 64) {
			size_t len = strlen(t->cols);

			snprintf(t->cols + len, sizeof(t->cols) - len, "%s%s",
				 len ? ", " : "", c);
			t->blob_col[t->ncols++] =
				!strcmp(db_col_text(s, 1), "BLOB");
			if (!strcmp(c, "id"))
				t->has_id = true;
		}
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&q);
	return rc;
}

/* The tables to copy: the source's that the target has. */
static ay_rc plan_tables(struct plan *p)
{
	struct db *src, *dst;
	struct db_stmt *s = NULL, *d = NULL;
	bool row = false, there = false;
	ay_rc rc = store_reader(p->src, &src);

	if (!rc)
		rc = store_reader(p->dst, &dst);
	if (!rc)
		rc = db_run(src, &s, &row,
			    "SELECT name FROM sqlite_master WHERE type ="
			    " 'table' ORDER BY name",
			    NULL);
	while (!rc && row) {
		const char *name = db_col_text(s, 0);

		if (!skipped(name))
			rc = db_run(dst, &d, &there,
				    "SELECT 1 FROM information_schema.tables"
				    " WHERE table_schema = current_schema()"
				    " AND table_name = $1",
				    "s", name);
		if (d)
			db_reset(d);
		if (!rc && !skipped(name) && there) {
			struct table *t =
				realloc(p->t, (p->n + 1) * sizeof(*t));

			if (!t) {
				rc = AY_ENOMEM;
				break;
			}
			p->t = t;
			memset(&t[p->n], 0, sizeof(*t));
			snprintf(t[p->n].name, sizeof(t[p->n].name), "%s",
				 name);
			p->n++;
		}
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	for (size_t i = 0; !rc && i < p->n; i++)
		rc = shared_columns(src, dst, &p->t[i]);
	return rc;
}

struct copy_job {
	struct plan *p;
	struct table *t;
};

/* Copy one table: the target's rows (its migrations' seeds) out, the
 * source's in, with their ids; triggers and foreign keys are off for
 * this transaction (companies and users name each other). */
static ay_rc copy_run(struct db *dst, void *arg)
{
	struct copy_job *j = arg;
	struct table *t = j->t;
	struct db_stmt *s = NULL, *ins = NULL;
	struct buf sel, put;
	struct db *src;
	bool row = false, more;
	ay_rc rc;

	buf_init(&sel, 0);
	buf_init(&put, 0);
	t->rows = 0;
	rc = db_exec(dst, "SET LOCAL session_replication_role = replica");
	if (!rc)
		rc = buf_addf(&sel, "DELETE FROM %s", t->name);
	if (!rc)
		rc = db_exec(dst, buf_str(&sel));
	buf_release(&sel);
	buf_init(&sel, 0);
	if (!rc)
		rc = buf_addf(&sel, "SELECT %s FROM %s", t->cols, t->name);
	if (!rc)
		rc = buf_addf(&put, "INSERT INTO %s (%s) VALUES (", t->name,
			      t->cols);
	for (int c = 0; !rc && c < t->ncols; c++)
		rc = buf_addf(&put, "%s$%d", c ? ", " : "", c + 1);
	if (!rc)
		rc = buf_adds(&put, ")");
	if (!rc)
		rc = store_reader(j->p->src, &src);
	if (!rc)
		rc = db_run(src, &s, &row, buf_str(&sel), NULL);
	while (!rc && row) {
		rc = db_prepare(dst, buf_str(&put), &ins);
		for (int c = 0; !rc && c < t->ncols; c++) {
			size_t len;
			const void *b;

			if (db_col_null(s, c)) {
				rc = db_bind_null(ins, c + 1);
			} else if (t->blob_col[c]) {
				b = db_col_blob(s, c, &len);
				rc = db_bind_blob(ins, c + 1, b, len);
			} else {
				rc = db_bind_text(ins, c + 1, db_col_text(s, c),
						  -1);
			}
		}
		if (!rc)
			rc = db_step(ins, &more);
		if (ins)
			db_reset(ins);
		if (!rc)
			t->rows++;
		if (!rc)
			rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	buf_release(&sel);
	buf_release(&put);
	/* The next id PostgreSQL gives is past the copied ones. */
	if (!rc && t->has_id) {
		char q[512];

		snprintf(q, sizeof(q),
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
			 " GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT"
			 " NULL) FROM %s",
			 t->name, t->name);
		rc = db_run(dst, &s, &row, q, NULL);
		if (s)
			db_reset(s);
	}
	return rc;
}

/* Rows of table name on one side. */
static ay_rc count_rows(struct store *st, const char *name, int64_t *n)
{
	struct db *db;
	char q[256];
	ay_rc rc = store_reader(st, &db);

	*n = -1;
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM %s", name);
	return rc ? rc : db_count(db, n, q, NULL);
}

/* The stored files of DATA/dir into the target's blobs table. */
static ay_rc copy_files(struct plan *p, const struct ay_config *cfg,
			const char *dir, int64_t *files)
{
	char dpath[1100];
	struct dirent *e;
	DIR *d;
	ay_rc rc = ay_path(dpath, sizeof(dpath), "%s/%s", cfg->data_dir, dir);

	if (rc)
		return rc;
	d = opendir(dpath);
	if (!d)
		return errno == ENOENT ? AY_OK : AY_EIO;
	while (!rc && (e = readdir(d))) {
		struct ay_config file_cfg = *cfg;
		struct buf data;
		char hex[65];

		if (strlen(e->d_name) != 64 ||
		    strspn(e->d_name, "0123456789abcdef") != 64)
			continue;
		buf_init(&data, 0);
		/* Read as the file it is, stored as a row. */
		file_cfg.blobs_in_db = false;
		rc = store_blob_read(p->src, &file_cfg, dir, e->d_name, &data);
		if (!rc)
			rc = store_blob_put(p->dst, cfg, dir, data.ptr,
					    data.len, hex);
		if (!rc && strcmp(hex, e->d_name))
			rc = AY_EIO; /* a file whose name is not its hash */
		if (!rc)
			(*files)++;
		buf_release(&data);
	}
	closedir(d);
	return rc;
}

/* Whether the target holds nothing yet. */
static bool target_empty(struct plan *p)
{
	int64_t users = 1, tickets = 1;

	return !count_rows(p->dst, "users", &users) &&
	       !count_rows(p->dst, "tickets", &tickets) && !users && !tickets;
}

static int migrate(struct plan *p, const struct ay_config *cfg, const char *url)
{
	int64_t files = 0, bad = 0;
	json_t *o;
	char *js;
	ay_rc rc = plan_tables(p);

	for (size_t i = 0; !rc && i < p->n; i++) {
		struct copy_job j = {p, &p->t[i]};

		rc = store_write(p->dst, copy_run, &j);
		if (rc)
			fprintf(stderr, "ayuda: copying table '%s' failed\n",
				p->t[i].name);
		p->rows += p->t[i].rows;
	}
	/* The rows came in with the triggers off: the knowledge base's
	 * search index is made again from its texts. */
	if (!rc)
		rc = store_write(p->dst, pg_store_kb_reindex, NULL);
	if (!rc)
		rc = copy_files(p, cfg, "raw", &files);
	if (!rc)
		rc = copy_files(p, cfg, "attachments", &files);
	if (rc) {
		fprintf(stderr, "ayuda: migrate failed: %s\n", ay_rc_str(rc));
		return 1;
	}
	/* Every table counted on both sides. */
	for (size_t i = 0; i < p->n; i++) {
		int64_t a = -1, b = -2;

		bool blobs = !strcmp(p->t[i].name, "blobs");

		/* The files joined the blobs table (a file whose content
		 * was a row already joins it once). */
		if (count_rows(p->src, p->t[i].name, &a) ||
		    count_rows(p->dst, p->t[i].name, &b) ||
		    (blobs ? b < a || b > a + files : a != b)) {
			fprintf(stderr,
				"ayuda: table '%s': %lld rows in SQLite, %lld "
				"in PostgreSQL\n",
				p->t[i].name, (long long)a, (long long)b);
			bad++;
		}
	}
	o = json_pack("{s:s,s:I,s:I,s:I,s:b}", "migrated", "postgresql",
		      "tables", (json_int_t)p->n, "rows", (json_int_t)p->rows,
		      "files", (json_int_t)files, "counts_match", !bad);
	js = o ? json_dumps(o, JSON_COMPACT) : NULL;
	puts(js ? js : "{}");
	free(js);
	json_decref(o);
	if (bad)
		return 1;
	fprintf(stderr,
		"Copia comprobada: las mismas filas en cada tabla. Para pasar "
		"a PostgreSQL,\ncon el servicio detenido, ponga en "
		"%s/ayuda.conf"
		"\n\n  [store]\n  url = %s\n\ny arránquelo (o use "
		"AYUDA_STORE_URL). El archivo ayuda.db queda como estaba:\n"
		"guárdelo hasta comprobar el servicio.\n",
		cfg->data_dir, url);
	return 0;
}

int cli_migrate(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"to", 1, NULL, 't'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char *dir = cli_data_dir(argc, argv), *url = NULL;
	struct plan p = {0};
	struct ay_config cfg;
	struct db *db;
	char err[256];
	int c, ret = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't') {
			url = optarg;
		} else if (c != 'd') {
			fputs(usage_text, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (!url || (strncmp(url, "postgresql://", 13) &&
		     strncmp(url, "postgres://", 11))) {
		fputs(usage_text, stderr);
		return 2;
	}
	/* The source is the SQLite file of the data dir, whatever the
	 * environment says. */
	unsetenv("AYUDA_STORE_URL");
	if (config_load(dir, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ayuda: %s\n", err);
		return 78;
	}
	if (cfg.store_url[0]) {
		fprintf(stderr,
			"ayuda: '%s/ayuda.conf' already names a "
			"PostgreSQL database ([store] url)\n",
			dir);
		return 2;
	}
	if (store_open(dir, false, &p.src) || store_reader(p.src, &db) ||
	    strcmp(db->drv->name, "sqlite")) {
		fprintf(stderr, "ayuda: no SQLite installation in '%s'\n", dir);
		goto out;
	}
	setenv("AYUDA_STORE_URL", url, 1);
	if (store_open(dir, true, &p.dst) || store_reader(p.dst, &db) ||
	    !strcmp(db->drv->name, "sqlite")) {
		fprintf(stderr, "ayuda: cannot open '%s'\n", url);
		ret = 75;
		goto out;
	}
	if (!target_empty(&p)) {
		fprintf(stderr, "ayuda: the PostgreSQL database is not empty "
				"(it has users or tickets): nothing copied\n");
		ret = 2;
		goto out;
	}
	ret = migrate(&p, &cfg, url);
out:
	store_close(p.dst);
	store_close(p.src);
	free(p.t);
	return ret;
}
