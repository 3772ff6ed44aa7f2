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
#include "mail/text.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/path.h"
#include "util/grow.h"

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

/* Print the outcome of one delivery as `ayuda mail-in` does; returns its
 * exit status. */
static int report(ay_rc rc, const struct mailin_result *r, const char *name)
{
	char *text = NULL;
	int ret = mailin_answer(rc, r, &text);

	if (ret == EX_TEMPFAIL)
		log_warn("mail-in deferred", "file=\"%s\" rc=%s reason=\"%s\"",
			 name ? name : "-", ay_rc_str(rc), r->reason);
	if (ret)
		fprintf(stderr, "ayuda mail-in: %s%s%s\n", name ? name : "",
			name ? ": " : "", text ? text : ay_rc_str(rc));
	else
		puts(text ? text : "{}");
	free(text);
	return ret;
}

static int deliver_one(struct store *st, const struct ay_config *cfg,
		       const char *raw, size_t len)
{
	struct mailin_result r;
	ay_rc rc = mailin_deliver(st, cfg, raw, len, &r);

	return report(rc, &r, NULL);
}

/* Read file into b (initialised here); an exit status when it cannot be
 * delivered. */
static int read_file(const char *file, struct buf *b)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), ret;

	buf_init(b, MAIL_MAX_RAW + 1);
	if (fd < 0)
		return EX_TEMPFAIL;
	ret = read_fd(fd, b) ? EX_DATAERR : 0;
	close(fd);
	return ret;
}

/* Deliveries under way at most in an import, and their bytes. */
#define IMPORT_INFLIGHT	      1024
#define IMPORT_INFLIGHT_BYTES (128 << 20)

struct import {
	struct store *st;
	const struct ay_config *cfg;
	char **files;
	size_t n, next;
	size_t turn; /* the next file to reach the writer, in arrival order */
	size_t inflight, inflight_bytes; /* queued for the writer */
	int worst, failed;
	pthread_mutex_t lock;
	pthread_cond_t room; /* inflight fell */
	pthread_cond_t next_turn;
};

/* One message of an import, from its file until its commit. */
struct item {
	struct import *im;
	const char *name;
	size_t i;    /* its place in arrival order */
	bool queued; /* handed to the writer: holds room in the import */
	struct buf b;
};

/* Wait until file i may go to the writer: the files before it went (so
 * a reply in the same maildir finds the ticket its original opened). */
static void import_wait_turn(struct import *im, size_t i)
{
	pthread_mutex_lock(&im->lock);
	while (im->turn != i)
		pthread_cond_wait(&im->next_turn, &im->lock);
	pthread_mutex_unlock(&im->lock);
}

/* Its turn come, a parsed message waits for room among those under way
 * (only queued ones hold room, so the room always comes back). */
static void import_ready(void *arg)
{
	struct item *it = arg;
	struct import *im = it->im;

	import_wait_turn(im, it->i);
	pthread_mutex_lock(&im->lock);
	while (im->inflight &&
	       (im->inflight >= IMPORT_INFLIGHT ||
		im->inflight_bytes + it->b.len > IMPORT_INFLIGHT_BYTES))
		pthread_cond_wait(&im->room, &im->lock);
	im->inflight++;
	im->inflight_bytes += it->b.len;
	it->queued = true;
	pthread_mutex_unlock(&im->lock);
}

/* File i went to the writer (or never will): the next one's turn. */
static void import_pass_turn(struct import *im, size_t i)
{
	import_wait_turn(im, i);
	pthread_mutex_lock(&im->lock);
	im->turn = i + 1;
	pthread_cond_broadcast(&im->next_turn);
	pthread_mutex_unlock(&im->lock);
}

static void import_note(struct import *im, int ret)
{
	if (!ret)
		return;
	im->failed++;
	if (ret == EX_TEMPFAIL || !im->worst)
		im->worst = ret;
}

static void import_done(void *arg, ay_rc rc, const struct mailin_result *r)
{
	struct item *it = arg;
	struct import *im = it->im;
	int ret = report(rc, r, it->name);

	pthread_mutex_lock(&im->lock);
	import_note(im, ret);
	if (it->queued) {
		im->inflight--;
		im->inflight_bytes -= it->b.len;
		pthread_cond_broadcast(&im->room);
	}
	pthread_mutex_unlock(&im->lock);
	buf_release(&it->b);
	free(it);
}

/* Each thread parses messages and hands them to the writer, in arrival
 * order, without waiting for their commit, so that up to a batch of them
 * (256) share one commit and its sync; the import waits for every commit
 * at the end. */
static void *import_main(void *arg)
{
	struct import *im = arg;

	for (;;) {
		struct item *it;
		size_t i;
		int ret;

		pthread_mutex_lock(&im->lock);
		i = im->next++;
		pthread_mutex_unlock(&im->lock);
		if (i >= im->n)
			break;
		it = calloc(1, sizeof(*it));
		ret = it ? read_file(im->files[i], &it->b) : EX_TEMPFAIL;
		if (ret) {
			pthread_mutex_lock(&im->lock);
			import_note(im, ret);
			pthread_mutex_unlock(&im->lock);
			if (it)
				buf_release(&it->b);
			free(it);
			import_pass_turn(im, i);
			continue;
		}
		it->im = im;
		it->name = im->files[i];
		it->i = i;
		mailin_submit(im->st, im->cfg, it->b.ptr ? it->b.ptr : "",
			      it->b.len, import_ready, import_done, it);
		import_pass_turn(im, i);
	}
	return NULL;
}

/* By file name, whatever the directory (new/ or cur/). */
static int cmp_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *sx = strrchr(x, '/'), *sy = strrchr(y, '/');
	int c = strcmp(sx ? sx + 1 : x, sy ? sy + 1 : y);

	return c ? c : strcmp(x, y);
}

#define IMPORT_THREADS 8

/* Import every file of DIR/new and DIR/cur, or of DIR itself. */
static int import_maildir(struct store *st, const struct ay_config *cfg,
			  const char *dir)
{
	static const char *const subs[] = {"new", "cur", "."};
	struct import im = {.st = st, .cfg = cfg};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t th[IMPORT_THREADS];
	size_t cap = 0;
	int nth = 0;

	mail_charsets_keep();
	pthread_mutex_init(&im.lock, NULL);
	pthread_cond_init(&im.room, NULL);
	pthread_cond_init(&im.next_turn, NULL);
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
			if (ay_grow((void **)&im.files, &cap, im.n + 1,
				    sizeof(*im.files)))
				break;
			im.files[im.n] = strdup(file);
			if (im.files[im.n])
				im.n++;
		}
		closedir(d);
	}
	/* Arrival order: maildir names start with the delivery time. */
	qsort(im.files, im.n, sizeof(*im.files), cmp_name);
	/* A parsing thread per core; the writer thread commits. */
	for (; nth < IMPORT_THREADS && nth < ncpu; nth++)
		if (pthread_create(&th[nth], NULL, import_main, &im))
			break;
	if (!nth)
		import_main(&im);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_lock(&im.lock);
	while (im.inflight)
		pthread_cond_wait(&im.room, &im.lock);
	pthread_mutex_unlock(&im.lock);
	fprintf(stderr, "ayuda mail-in: %zu messages, %d refused\n", im.n,
		im.failed);
	for (size_t i = 0; i < im.n; i++)
		free(im.files[i]);
	free(im.files);
	pthread_mutex_destroy(&im.lock);
	pthread_cond_destroy(&im.room);
	pthread_cond_destroy(&im.next_turn);
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
			ret = deliver_one(st, &cfg, b.ptr ? b.ptr : "", b.len);
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
