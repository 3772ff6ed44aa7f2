/* `ayuda mail-in`, `ayuda fetch-mail`, `ayuda send-mail`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "domain/mailin.h"
#include "domain/sla.h"
#include "jobs/imap_poll.h"
#include "jobs/outbox.h"
#include "mail/parse.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/path.h"

#define EX_DATAERR  65
#define EX_TEMPFAIL 75

static const char *data_dir(const char *opt)
{
	const char *env = getenv("AYUDA_DATA");

	if (opt)
		return opt;
	return env && *env ? env : "./data";
}

/* Read all of fd, at most max bytes (one more means "too big"). */
static ay_rc read_fd(int fd, struct buf *b)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return AY_EIO;
		if (n == 0)
			return AY_OK;
		if (buf_add(b, chunk, (size_t)n))
			return AY_ETOOBIG;
	}
}

static int deliver_one(struct store *st, const struct ay_config *cfg,
		       const char *raw, size_t len, const char *name)
{
	struct mailin_result r;
	ay_rc rc = mailin_deliver(st, cfg, raw, len, &r);
	char *text = NULL;
	int ret = mailin_answer(rc, &r, &text);

	if (ret == EX_TEMPFAIL)
		log_warn("mail-in deferred", "file=\"%s\" rc=%s reason=\"%s\"",
			 name ? name : "-", ay_rc_str(rc), r.reason);
	if (ret)
		fprintf(stderr, "ayuda mail-in: %s%s%s\n", name ? name : "",
			name ? ": " : "", text ? text : ay_rc_str(rc));
	else
		puts(text ? text : "{}");
	free(text);
	return ret;
}

/* Deliver one file; returns its exit status. */
static int deliver_file(struct store *st, const struct ay_config *cfg,
			const char *file)
{
	struct buf b;
	int fd, ret;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return EX_TEMPFAIL;
	buf_init(&b, MAIL_MAX_RAW + 1);
	ret = read_fd(fd, &b)
		      ? EX_DATAERR
		      : deliver_one(st, cfg, b.ptr ? b.ptr : "", b.len, file);
	close(fd);
	buf_release(&b);
	return ret;
}

#define IMPORT_THREADS 8

struct import {
	struct store *st;
	const struct ay_config *cfg;
	char **files;
	size_t n, next;
	int worst, failed;
	pthread_mutex_t lock;
};

/* Several deliveries at once, so that their commits share an fsync
 * (group commit) and their file writes overlap. */
static void *import_main(void *arg)
{
	struct import *im = arg;

	for (;;) {
		size_t i;
		int ret;

		pthread_mutex_lock(&im->lock);
		i = im->next++;
		pthread_mutex_unlock(&im->lock);
		if (i >= im->n)
			break;
		ret = deliver_file(im->st, im->cfg, im->files[i]);
		if (!ret)
			continue;
		pthread_mutex_lock(&im->lock);
		im->failed++;
		if (ret == EX_TEMPFAIL || !im->worst)
			im->worst = ret;
		pthread_mutex_unlock(&im->lock);
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Import every file of DIR/new and DIR/cur, or of DIR itself. */
static int import_maildir(struct store *st, const struct ay_config *cfg,
			  const char *dir)
{
	static const char *const subs[] = {"new", "cur", "."};
	struct import im = {.st = st, .cfg = cfg};
	pthread_t th[IMPORT_THREADS];
	size_t cap = 0;
	int nth = 0;

	pthread_mutex_init(&im.lock, NULL);
	for (size_t k = 0; k < AY_ARRAY_LEN(subs); k++) {
		char path[2048];
		struct dirent *de;
		DIR *d;

		if (k == 2 && im.n)
			break;
		if (ay_path(path, sizeof(path), "%s/%s", dir, subs[k]))
			continue; /* no such directory can exist */
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			char file[4096];
			struct stat sb;

			if (de->d_name[0] == '.')
				continue;
			if (ay_path(file, sizeof(file), "%s/%s", path,
				    de->d_name) ||
			    stat(file, &sb) || !S_ISREG(sb.st_mode))
				continue;
			if (im.n == cap) {
				char **nf;

				cap = cap ? cap * 2 : 256;
				nf = realloc(im.files, cap * sizeof(*nf));
				if (!nf)
					break;
				im.files = nf;
			}
			im.files[im.n] = strdup(file);
			if (im.files[im.n])
				im.n++;
		}
		closedir(d);
	}
	/* Arrival order: maildir names start with the delivery time. */
	qsort(im.files, im.n, sizeof(*im.files), cmp_str);
	for (; nth < IMPORT_THREADS; nth++)
		if (pthread_create(&th[nth], NULL, import_main, &im))
			break;
	if (!nth)
		import_main(&im);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "ayuda mail-in: %zu messages, %d refused\n", im.n,
		im.failed);
	for (size_t i = 0; i < im.n; i++)
		free(im.files[i]);
	free(im.files);
	pthread_mutex_destroy(&im.lock);
	return im.worst;
}

int cli_mail_in(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"maildir", 1, NULL, 'm'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char *dir = NULL, *maildir = NULL;
	struct ay_config cfg;
	struct store *st = NULL;
	char err[256];
	struct buf b;
	int c, ret;
	ay_rc rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'm')
			maildir = optarg;
		else {
			puts("uso: ayuda mail-in [--data DIR] < mensaje.eml\n"
			     "     ayuda mail-in --maildir DIR   importa un "
			     "maildir\nImprime "
			     "{\"ticket\":N,\"action\":\"created|appended|"
			     "ignored\",\"reason\":...}.\nSalida 0 tras "
			     "guardar; 75 si el almacén no está disponible "
			     "(reintentar);\n65 si el mensaje nunca podrá "
			     "aceptarse.");
			return c == 'h' ? 0 : 2;
		}
	}
	dir = data_dir(dir);
	/* An MTA shows our stderr to the sender: internals go to syslog,
	 * unless a person runs us by hand. */
	if (!isatty(2))
		log_to_syslog("ayuda-mail-in");
	if (config_load(dir, &cfg, err, sizeof(err))) {
		log_error("mail-in config", "data=\"%s\" error=\"%s\"", dir,
			  err);
		fprintf(stderr, "ayuda mail-in: %s\n",
			isatty(2) ? err : CLI_MSG_TEMPFAIL);
		return EX_TEMPFAIL;
	}
	if (store_open(dir, false, &st)) {
		log_error("mail-in store unavailable", "data=\"%s\"", dir);
		fprintf(stderr, "ayuda mail-in: %s\n", CLI_MSG_TEMPFAIL);
		return EX_TEMPFAIL;
	}
	if (maildir) {
		ret = import_maildir(st, &cfg, maildir);
	} else {
		buf_init(&b, MAIL_MAX_RAW + 1);
		rc = read_fd(0, &b);
		if (rc) {
			fprintf(stderr, "ayuda mail-in: %s\n",
				rc == AY_ETOOBIG ? "message too large"
						 : "cannot read stdin");
			ret = rc == AY_ETOOBIG ? EX_DATAERR : EX_TEMPFAIL;
		} else {
			ret = deliver_one(st, &cfg, b.ptr ? b.ptr : "", b.len,
					  NULL);
		}
		buf_release(&b);
	}
	store_close(st);
	sla_calendar_cache_clear();
	return ret;
}

int cli_fetch_mail(int argc, char **argv)
{
	static const struct option opts[] = {
		{"data", 1, NULL, 'd'}, {"help", 0, NULL, 'h'}, {0}};
	const char *dir = NULL;
	struct ay_config cfg;
	struct store *st = NULL;
	char err[256];
	int c;
	ay_rc rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
		} else {
			puts("uso: ayuda fetch-mail [--data DIR]\nLee una vez "
			     "los mensajes no leídos del buzón IMAP de "
			     "[mail] imap_url;\ncada mensaje se marca como "
			     "leído solo después de guardarlo.");
			return c == 'h' ? 0 : 2;
		}
	}
	dir = data_dir(dir);
	if (config_load(dir, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ayuda fetch-mail: %s\n", err);
		return 78;
	}
	if (!cfg.imap_url[0]) {
		fputs("ayuda fetch-mail: no [mail] imap_url in ayuda.conf\n",
		      stderr);
		return 78;
	}
	if (store_open(dir, false, &st)) {
		fprintf(stderr, "ayuda fetch-mail: store unavailable\n");
		return EX_TEMPFAIL;
	}
	rc = imap_poll_fetch(st, &cfg, err, sizeof(err));
	store_close(st);
	sla_calendar_cache_clear();
	if (rc) {
		fprintf(stderr, "ayuda fetch-mail: %s\n", err);
		return EX_TEMPFAIL;
	}
	return 0;
}

int cli_send_mail(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"once", 0, NULL, 'o'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char *dir = NULL;
	struct ay_config cfg;
	struct store *st = NULL;
	char err[256];
	int c, sent = 0;
	ay_rc rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
		} else if (c != 'o') {
			puts("uso: ayuda send-mail --once [--data DIR]\nEnvía "
			     "una vez el correo pendiente de la bandeja de "
			     "salida\npor [mail] smtp_url.");
			return c == 'h' ? 0 : 2;
		}
	}
	dir = data_dir(dir);
	if (config_load(dir, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ayuda send-mail: %s\n", err);
		return 78;
	}
	if (store_open(dir, false, &st)) {
		fprintf(stderr, "ayuda send-mail: store unavailable\n");
		return EX_TEMPFAIL;
	}
	rc = outbox_send_due(st, &cfg, &sent);
	store_close(st);
	sla_calendar_cache_clear();
	printf("{\"sent\":%d}\n", sent);
	return rc ? EX_TEMPFAIL : 0;
}
