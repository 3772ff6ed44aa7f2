/* `ayuda blobs gc`: remove the stored files no row names any more
 * (store/blobs.h). `ayuda backup DEST`: a consistent copy of an installation
 * while it serves: the database as of one commit (SQLite's file, or
 * PostgreSQL's pg_dump), then the stored files (raw mail, attachments: on
 * PostgreSQL they are in the database), then ayuda.conf. The files are
 * content-addressed and never change once written, and every row names a
 * file written before its commit, so files copied after the database cover
 * every row of the copy. The keys (vault.key, mail.key) are not copied:
 * keep them apart. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "cli/cli.h"
#include "store/blobs.h"
#include "store/db.h"
#include "util/config.h"
#include "util/path.h"

static const char usage_text[] =
	"uso: ayuda backup DESTINO [--data DIR]\n"
	"Escribe en DESTINO (un directorio nuevo) una copia coherente de la\n"
	"instalación mientras sirve: la base de datos tal como quedó en un\n"
	"commit (ayuda.db, o con PostgreSQL ayuda.pgdump, de pg_dump), el\n"
	"correo original y los adjuntos, y ayuda.conf. No copia vault.key ni\n"
	"mail.key: guárdelas aparte. Imprime un resumen JSON.\n"
	"(A consistent copy of the installation while it serves; the keys are\n"
	"not copied.)\n";

struct tally {
	long long files, bytes;
};

/* Copy one file to a new file at to, with mode, synced. */
static int copy_file(const char *from, const char *to, mode_t mode,
		     struct tally *t)
{
	char chunk[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	while (out >= 0 && (n = read(in, chunk, sizeof(chunk))) > 0) {
		if (write(out, chunk, (size_t)n) != n)
			goto out;
		t->bytes += n;
	}
	if (out >= 0 && n == 0 && !fsync(out)) {
		t->files++;
		ret = 0;
	}
out:
	close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/* Copy the files of DATA/sub into DEST/sub; a missing DATA/sub is fine. */
static int copy_dir(const char *data, const char *dest, const char *sub,
		    struct tally *t)
{
	char from[2200], to[2200];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	if (ay_path(from, sizeof(from), "%s/%s", data, sub) ||
	    ay_path(to, sizeof(to), "%s/%s", dest, sub))
		return -1;
	d = opendir(from);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	if (mkdir(to, 0700)) {
		closedir(d);
		return -1;
	}
	while (!ret && (e = readdir(d))) {
		char f[2600], g[2600];

		/* Blobs are named by their hash; skip ".", ".." and a
		 * temporary file being written. */
		if (e->d_name[0] == '.' || strchr(e->d_name, '.'))
			continue;
		if (ay_path(f, sizeof(f), "%s/%s", from, e->d_name) ||
		    ay_path(g, sizeof(g), "%s/%s", to, e->d_name) ||
		    copy_file(f, g, 0600, t))
			ret = -1;
	}
	closedir(d);
	return ret;
}

/* The one JSON line of a backup: the database's file and size, and the
 * files copied beside it. */
static void print_summary(const char *dest, bool pg, const char *name,
			  const struct tally *t)
{
	char path[2200];
	struct stat sb;
	json_t *o;
	char *s;

	if (ay_path(path, sizeof(path), "%s/%s", dest, name) || stat(path, &sb))
		sb.st_size = 0;
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "backup", dest, "engine",
		      pg ? "postgresql" : "sqlite", "database", name,
		      "database_bytes", (json_int_t)sb.st_size, "files",
		      (json_int_t)t->files, "bytes", (json_int_t)t->bytes);
	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	puts(s ? s : "{}");
	free(s);
	json_decref(o);
}

/* How to put the copy in dest back, on stderr. */
static void print_restore(const char *dest, bool pg)
{
	if (pg)
		fprintf(stderr,
			"Copia lista en %s. Para restaurarla: cree una base "
			"de datos vacía y cargue\nla copia con "
			"pg_restore --no-owner -d URL_NUEVA %s/ayuda.pgdump;\n"
			"ponga esa URL en [store] url del ayuda.conf copiado, "
			"con vault.key y mail.key\n(guardadas aparte) al "
			"lado, y arranque con --data en ese directorio.\n",
			dest, dest);
	else
		fprintf(stderr,
			"Copia lista en %s. Para restaurarla: detenga el "
			"servicio, copie el contenido\nde %s en un directorio "
			"de datos vacío, ponga allí vault.key y mail.key\n"
			"(guardadas aparte) y arranque con --data en ese "
			"directorio.\n",
			dest, dest);
}

int cli_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"data", 1, NULL, 'd'}, {"help", 0, NULL, 'h'}, {0}};
	char conf_from[2200], conf_to[2200];
	struct tally t = {0};
	struct store *st = NULL;
	const char *dir = cli_data_dir(argc, argv), *dest, *name = "";
	bool pg;
	ay_rc rc;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c != 'd') {
			fputs(usage_text, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	if (optind != argc - 1) {
		fputs(usage_text, stderr);
		return 2;
	}
	dest = argv[optind];
	umask(077); /* the copy is as private as the original */
	if (ay_path(conf_from, sizeof(conf_from), "%s/ayuda.conf", dir) ||
	    ay_path(conf_to, sizeof(conf_to), "%s/ayuda.conf", dest)) {
		fputs("ayuda: path too long\n", stderr);
		return 2;
	}
	if (mkdir(dest, 0700)) {
		fprintf(stderr,
			"ayuda: cannot create '%s': %s (it must not "
			"exist yet)\n",
			dest, strerror(errno));
		return 73; /* EX_CANTCREAT */
	}
	if (store_open(dir, false, &st)) {
		rmdir(dest);
		fprintf(stderr, "ayuda: cannot open the store in '%s'\n", dir);
		return 75;
	}
	rc = store_backup(st, dest, &name);
	pg = !strcmp(name, "ayuda.pgdump");
	store_close(st);
	if (rc) {
		rmdir(dest);
		if (rc == AY_ENOTFOUND) {
			fputs("ayuda: the store is PostgreSQL and pg_dump, "
			      "which copies it, is not installed\n(Debian: "
			      "apt-get install postgresql-client)\n",
			      stderr);
			return 69; /* EX_UNAVAILABLE */
		}
		fprintf(stderr, "ayuda: backup of the database failed: %s%s\n",
			ay_rc_str(rc), pg ? " (pg_dump's message above)" : "");
		return 1;
	}
	/* On PostgreSQL the files are rows of the dump. */
	if ((!pg && (copy_dir(dir, dest, "raw", &t) ||
		     copy_dir(dir, dest, "attachments", &t))) ||
	    (access(conf_from, F_OK) == 0 &&
	     copy_file(conf_from, conf_to, 0600, &t))) {
		fprintf(stderr,
			"ayuda: copying the files into '%s' failed: %s\n", dest,
			strerror(errno));
		return 74; /* EX_IOERR */
	}
	print_summary(dest, pg, name, &t);
	print_restore(dest, pg);
	return 0;
}

static const char blobs_usage[] =
	"uso: ayuda blobs gc [--grace-hours H] [--data DIR]\n"
	"Borra el correo original y los adjuntos guardados (archivos o filas\n"
	"de la tabla blobs) que ya ningún mensaje, adjunto, subida ni archivo\n"
	"de la base de conocimiento nombra, salvo los guardados (o guardados\n"
	"de nuevo) en las últimas H horas (24 por omisión): seguro mientras "
	"los\n"
	"servidores escriben. Imprime un resumen JSON.\n"
	"(Removes stored files nothing refers to any more.)\n";

int cli_blobs(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"grace-hours", 1, NULL, 'g'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char *dir = cli_data_dir(argc, argv);
	struct ay_config cfg;
	struct store *st = NULL;
	struct blob_gc gc;
	long long grace = 24;
	char err[256];
	json_t *o;
	char *js;
	ay_rc rc;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;

		if (c == 'g') {
			grace = strtoll(optarg, &end, 10);
			if (*end || grace < 0) {
				fputs(blobs_usage, stderr);
				return 2;
			}
		} else if (c != 'd') {
			fputs(blobs_usage, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc - 1 || strcmp(argv[optind], "gc")) {
		fputs(blobs_usage, stderr);
		return 2;
	}
	if (config_load(dir, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ayuda: %s\n", err);
		return 78; /* EX_CONFIG */
	}
	if (store_open(dir, false, &st)) {
		fprintf(stderr, "ayuda: cannot open the store in '%s'\n", dir);
		return 75;
	}
	rc = store_blob_gc(st, &cfg, (int64_t)grace * 3600, &gc);
	store_close(st);
	if (rc) {
		fprintf(stderr, "ayuda: blobs gc failed: %s\n", ay_rc_str(rc));
		return 1;
	}
	o = json_pack("{s:I,s:I,s:I}", "removed", (json_int_t)gc.removed,
		      "bytes", (json_int_t)gc.bytes, "kept",
		      (json_int_t)gc.kept);
	js = o ? json_dumps(o, JSON_COMPACT) : NULL;
	puts(js ? js : "{}");
	free(js);
	json_decref(o);
	return 0;
}
