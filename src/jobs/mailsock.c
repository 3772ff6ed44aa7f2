/* Inbound mail over DATA_DIR/mail-in.sock (see mailsock.h and the protocol
 * in util/mailsock_wire.h): one thread accepts, a thread per message under
 * way (kept a while for the next one) delivers through the store's writer
 * (so concurrent messages share a commit) and answers after the commit. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

#include "domain/mailin.h"
#include "jobs/mailsock.h"
#include "mail/parse.h"
#include "mail/text.h"
#include "util/log.h"
#include "util/mailsock_wire.h"

#define MAILSOCK_READ_TIMEOUT 60 /* seconds a client may take to send */

/* Threads that wait for the next client after a delivery, at most, and
 * for how long: a thread and its caches (libmagic's, malloc's arena) are
 * made once for a run of messages, not once a message. */
#define MAILSOCK_IDLE_MAX     16
#define MAILSOCK_IDLE_SECONDS 30

/* A client accepted and not yet taken by a thread. */
struct conn {
	struct conn *next;
	int fd;
};

struct mailsock {
	const struct ay_config *cfg;
	struct store *st;
	int fd;
	struct sockaddr_un sa;
	pthread_t th;
	pthread_mutex_t lock; /* guards what follows */
	pthread_cond_t idle;  /* threads fell to 0 */
	pthread_cond_t work;  /* a client was queued, or stopping */
	int threads;	      /* delivering threads alive */
	int waiting;	      /* of them, waiting for a client */
	int queued;
	struct conn *head, *tail;
	bool stopping;
};

_Static_assert(AY_MAILSOCK_MAX == MAIL_MAX_RAW, "one limit for mail-in");

/* Read exactly n bytes. AY_EIO when the client went away first. */
static ay_rc read_full(int fd, char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return AY_EIO;
		p += r;
		n -= (size_t)r;
	}
	return AY_OK;
}

/* Read "LEN\n" and the LEN bytes of the message into *raw (owned by the
 * caller, free(); NUL-terminated) and *len. AY_EIO when the client went
 * away before the last byte (nothing is delivered), AY_EINVAL for a
 * malformed length. */
static ay_rc read_message(int fd, char **raw, size_t *rlen)
{
	char head[24];
	size_t len = 0, i = 0;
	char *p;

	for (;;) {
		if (i == sizeof(head) || read_full(fd, &head[i], 1))
			return AY_EIO;
		if (head[i] == '\n')
			break;
		if (head[i] < '0' || head[i] > '9')
			return AY_EINVAL;
		len = len * 10 + (size_t)(head[i] - '0');
		i++;
		if (len > AY_MAILSOCK_MAX)
			return AY_EINVAL;
	}
	if (!i)
		return AY_EINVAL;
	p = malloc(len + 1);
	if (!p)
		return AY_ENOMEM;
	if (read_full(fd, p, len)) {
		free(p);
		return AY_EIO;
	}
	p[len] = '\0';
	*raw = p;
	*rlen = len;
	return AY_OK;
}

static void answer(int fd, int status, const char *text)
{
	char *line = NULL;
	int n = asprintf(&line, "%d %s\n", status, text ? text : "");

	if (n < 0)
		return;
	/* One line: the text never carries a newline of its own. */
	for (int i = 0; i < n - 1; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	for (ssize_t off = 0, w; off < n; off += w) {
		w = send(fd, line + off, (size_t)(n - off), MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0)
			break;
	}
	free(line);
}

static void deliver(struct mailsock *m, int fd)
{
	struct timeval tv = {.tv_sec = MAILSOCK_READ_TIMEOUT};
	struct mailin_result r = {0};
	char *text = NULL, *raw = NULL;
	size_t len = 0;
	int status;
	ay_rc rc;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rc = read_message(fd, &raw, &len);
	if (rc == AY_EIO) {
		/* Nothing delivered, nothing answered: the client exits 75
		 * and the MTA retries. */
		log_warn("mail-in socket: client went away", "err=\"%s\"",
			 strerror(errno));
		return;
	}
	if (rc == AY_EINVAL)
		snprintf(r.reason, sizeof(r.reason), "bad mail-in request");
	else if (!rc)
		rc = mailin_deliver(m->st, m->cfg, raw, len, &r);
	status = mailin_answer(rc, &r, &text);
	if (!status)
		log_info("mail-in delivered",
			 "via=socket ticket=%lld action=%s",
			 (long long)r.ticket, r.action);
	if (status == 75)
		log_warn("mail-in deferred", "via=socket rc=%s reason=\"%s\"",
			 ay_rc_str(rc), r.reason);
	answer(fd, status, text ? text : ay_rc_str(rc));
	free(text);
	free(raw);
}

/* The first queued client's fd (the queue is not empty); m->lock held. */
static int pop_client(struct mailsock *m)
{
	struct conn *c = m->head;
	int fd = c->fd;

	m->head = c->next;
	if (!m->head)
		m->tail = NULL;
	m->queued--;
	free(c);
	return fd;
}

/* The next queued client's fd, waiting for one up to
 * MAILSOCK_IDLE_SECONDS; -1 when this thread should end. Called and
 * returns with m->lock held. */
static int next_client(struct mailsock *m)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += MAILSOCK_IDLE_SECONDS;
	while (!m->head) {
		if (m->stopping || m->waiting >= MAILSOCK_IDLE_MAX)
			return -1;
		m->waiting++;
		if (pthread_cond_timedwait(&m->work, &m->lock, &until) ==
			    ETIMEDOUT &&
		    !m->head) {
			m->waiting--;
			return -1;
		}
		m->waiting--;
	}
	return pop_client(m);
}

static void *conn_main(void *arg)
{
	struct mailsock *m = arg;
	int fd;

	pthread_mutex_lock(&m->lock);
	while ((fd = next_client(m)) >= 0) {
		pthread_mutex_unlock(&m->lock);
		deliver(m, fd);
		close(fd);
		pthread_mutex_lock(&m->lock);
	}
	if (--m->threads == 0)
		pthread_cond_broadcast(&m->idle);
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* Queue a client for a waiting thread, or a new one when every thread is
 * busy. */
static void hand_over(struct mailsock *m, int fd)
{
	struct conn *c = malloc(sizeof(*c));
	pthread_attr_t at;
	pthread_t th;
	bool spawn;

	if (!c) {
		close(fd); /* the client exits 75 */
		return;
	}
	c->fd = fd;
	c->next = NULL;
	pthread_mutex_lock(&m->lock);
	if (m->tail)
		m->tail->next = c;
	else
		m->head = c;
	m->tail = c;
	m->queued++;
	spawn = m->queued > m->waiting;
	if (spawn)
		m->threads++;
	else
		pthread_cond_signal(&m->work);
	pthread_mutex_unlock(&m->lock);
	if (!spawn)
		return;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 256 * 1024);
	if (pthread_create(&th, &at, conn_main, m)) {
		/* No thread: the queue is delivered here, waiting for none. */
		pthread_mutex_lock(&m->lock);
		m->threads--;
		while (m->head) {
			fd = pop_client(m);
			pthread_mutex_unlock(&m->lock);
			deliver(m, fd);
			close(fd);
			pthread_mutex_lock(&m->lock);
		}
		if (!m->threads)
			pthread_cond_broadcast(&m->idle);
		pthread_mutex_unlock(&m->lock);
	}
	pthread_attr_destroy(&at);
}

static void *accept_main(void *arg)
{
	struct mailsock *m = arg;

	for (;;) {
		int fd = accept4(m->fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0)
			break; /* shut down by mailsock_stop */
		hand_over(m, fd);
	}
	return NULL;
}

/* Whether a server answers on the socket at sa. */
static bool someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool yes;

	if (fd < 0)
		return false;
	yes = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return yes;
}

ay_rc mailsock_start(const struct ay_config *cfg, struct store *st,
		     struct mailsock **out)
{
	struct mailsock *m;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return AY_ENOMEM;
	m->cfg = cfg;
	m->st = st;
	m->sa.sun_family = AF_UNIX;
	if (snprintf(m->sa.sun_path, sizeof(m->sa.sun_path), "%s/%s",
		     cfg->data_dir,
		     AY_MAILSOCK_NAME) >= (int)sizeof(m->sa.sun_path)) {
		log_warn("mail-in socket off: data path too long",
			 "data=\"%s\"", cfg->data_dir);
		free(m);
		return AY_OK;
	}
	if (someone_listens(&m->sa)) {
		log_warn("mail-in socket taken by another server",
			 "path=\"%s\"", m->sa.sun_path);
		free(m);
		return AY_OK;
	}
	unlink(m->sa.sun_path);
	m->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (m->fd < 0 ||
	    bind(m->fd, (struct sockaddr *)&m->sa, sizeof(m->sa)) ||
	    chmod(m->sa.sun_path, 0600) || listen(m->fd, 128)) {
		log_error("mail-in socket unavailable",
			  "path=\"%s\" err=\"%s\"", m->sa.sun_path,
			  strerror(errno));
		if (m->fd >= 0)
			close(m->fd);
		free(m);
		return AY_EIO;
	}
	mail_charsets_keep();
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->idle, NULL);
	pthread_cond_init(&m->work, NULL);
	if (pthread_create(&m->th, NULL, accept_main, m)) {
		close(m->fd);
		unlink(m->sa.sun_path);
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->idle);
		pthread_cond_destroy(&m->work);
		free(m);
		return AY_ENOMEM;
	}
	log_info("mail-in socket", "path=\"%s\"", m->sa.sun_path);
	*out = m;
	return AY_OK;
}

void mailsock_stop(struct mailsock *m)
{
	if (!m)
		return;
	/* No new client: connect fails from here on, and the client
	 * delivers by itself. */
	unlink(m->sa.sun_path);
	shutdown(m->fd, SHUT_RDWR);
	pthread_join(m->th, NULL);
	close(m->fd);
	/* The clients accepted are delivered; waiting threads end. */
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_broadcast(&m->work);
	while (m->threads)
		pthread_cond_wait(&m->idle, &m->lock);
	pthread_mutex_unlock(&m->lock);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->idle);
	pthread_cond_destroy(&m->work);
	free(m);
}
