/* Fetch unseen mail by IMAP. libcurl connects, negotiates TLS and logs in
 * (CURLOPT_CONNECT_ONLY); we then speak IMAP ourselves on that connection,
 * because libcurl's FETCH uses BODY[] (which sets \Seen) and custom
 * commands drop literals. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "mail/curl_dl.h"

#include "mail/imap.h"
#include "mail/parse.h"
#include "util/buf.h"
#include "util/grow.h"

#define LINE_MAX_LEN ((size_t)1 << 20)

struct imap {
	CURL *h;
	curl_socket_t sock;
	int timeout_ms;
	unsigned tag;
	struct buf in; /* received, not yet consumed from pos */
	size_t pos;
	char *err;
	size_t errlen;
	struct mail_dialogue *dialogue; /* or NULL */
};

/* Why it failed, in one word, once (struct mail_dialogue). */
static void imap_failure(struct imap *c, const char *why)
{
	if (c->dialogue && !c->dialogue->failure[0])
		snprintf(c->dialogue->failure, sizeof(c->dialogue->failure),
			 "%s", why);
}

/* The server's lines but continuation requests ("+ ..."). */
static bool imap_keep(const char *p, size_t n)
{
	return n > 2 && p[0] != '+';
}

/* libcurl's trace while it connects and logs in: the server's lines. */
static int imap_trace(CURL *h, curl_infotype type, char *data, size_t size,
		      void *arg)
{
	(void)h;
	if (type == CURLINFO_HEADER_IN)
		mail_dialogue_lines(arg, data, size, imap_keep);
	return 0;
}

static void imap_err(struct imap *c, const char *fmt, ...) AY_PRINTF(2, 3);

static void imap_err(struct imap *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->err || !c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

static ay_rc wait_sock(struct imap *c, short ev)
{
	struct pollfd p = {.fd = (int)c->sock, .events = ev};
	int r;

	do {
		r = poll(&p, 1, c->timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r <= 0) {
		imap_err(c, "imap: %s", r == 0 ? "timeout" : strerror(errno));
		imap_failure(c, r == 0 ? "timeout" : "connect");
		return AY_EIO;
	}
	return AY_OK;
}

static ay_rc send_all(struct imap *c, const char *p, size_t n)
{
	size_t sent;
	CURLcode cc;
	ay_rc rc;

	while (n > 0) {
		cc = curl_easy_send(c->h, p, n, &sent);
		if (cc == CURLE_AGAIN) {
			rc = wait_sock(c, POLLOUT);
			if (rc)
				return rc;
			continue;
		}
		if (cc != CURLE_OK) {
			imap_err(c, "imap: send: %s", curl_easy_strerror(cc));
			return AY_EIO;
		}
		p += sent;
		n -= sent;
	}
	return AY_OK;
}

/* Receive more bytes into c->in. */
static ay_rc fill(struct imap *c)
{
	char tmp[65536];
	size_t got;
	CURLcode cc;
	ay_rc rc;

	if (c->pos > 0 && c->pos == c->in.len) {
		buf_reset(&c->in);
		c->pos = 0;
	}
	for (;;) {
		cc = curl_easy_recv(c->h, tmp, sizeof(tmp), &got);
		if (cc == CURLE_AGAIN) {
			rc = wait_sock(c, POLLIN);
			if (rc)
				return rc;
			continue;
		}
		if (cc != CURLE_OK) {
			imap_err(c, "imap: recv: %s", curl_easy_strerror(cc));
			return AY_EIO;
		}
		if (got == 0) {
			imap_err(c, "imap: connection closed by the server");
			return AY_EIO;
		}
		rc = buf_add(&c->in, tmp, got);
		if (rc)
			imap_err(c, "imap: response too big");
		return rc;
	}
}

/* Read one line (without CRLF) into line. */
static ay_rc read_line(struct imap *c, struct buf *line)
{
	const char *nl;
	size_t n;
	ay_rc rc;

	for (;;) {
		nl = c->in.len > c->pos ? memchr(c->in.ptr + c->pos, '\n',
						 c->in.len - c->pos)
					: NULL;
		if (nl)
			break;
		if (c->in.len - c->pos > LINE_MAX_LEN) {
			imap_err(c, "imap: line too long");
			return AY_EIO;
		}
		rc = fill(c);
		if (rc)
			return rc;
	}
	n = (size_t)(nl - (c->in.ptr + c->pos));
	rc = buf_add(line, c->in.ptr + c->pos,
		     n > 0 && nl[-1] == '\r' ? n - 1 : n);
	c->pos += n + 1;
	return rc;
}

/* Read a literal of n bytes into lit (or discard it when lit is NULL). */
static ay_rc read_literal(struct imap *c, uint64_t n, struct buf *lit)
{
	size_t k;
	ay_rc rc;

	while (n > 0) {
		if (c->pos == c->in.len) {
			rc = fill(c);
			if (rc)
				return rc;
		}
		k = c->in.len - c->pos;
		if (k > n)
			k = (size_t)n;
		if (lit) {
			rc = buf_add(lit, c->in.ptr + c->pos, k);
			if (rc)
				return rc;
		}
		c->pos += k;
		n -= k;
		if (c->pos == c->in.len) {
			buf_reset(&c->in);
			c->pos = 0;
		}
	}
	return AY_OK;
}

/* If line ends with a literal announcement "{N}", return true and N. */
static bool literal_size(const struct buf *line, uint64_t *n)
{
	const char *p = line->ptr, *o;
	size_t l = line->len;

	if (!l || p[l - 1] != '}')
		return false;
	o = p + l - 2;
	while (o > p && *o >= '0' && *o <= '9')
		o--;
	if (*o == '+')
		o--;
	if (*o != '{' || o + 2 > p + l - 1)
		return false;
	*n = strtoull(o + 1, NULL, 10);
	return true;
}

/* Read one whole response (line plus literals and continuation lines).
 * The first literal goes to lit (if not NULL and max allows), others are
 * discarded. *big is set when a literal went over max. */
static ay_rc read_response(struct imap *c, struct buf *line, struct buf *lit,
			   size_t max, bool *big)
{
	uint64_t n;
	bool first = true;
	ay_rc rc;

	buf_reset(line);
	for (;;) {
		rc = read_line(c, line);
		if (rc)
			return rc;
		if (!literal_size(line, &n))
			return AY_OK;
		if (lit && first && n <= max) {
			rc = read_literal(c, n, lit);
		} else {
			if (lit && first && big)
				*big = true;
			rc = read_literal(c, n, NULL);
		}
		first = false;
		if (rc)
			return rc;
	}
}

typedef ay_rc (*untagged_fn)(void *arg, const struct buf *line, struct buf *lit,
			     bool big);

/* Send "tag cmd" and read responses until the tagged one; untagged ones go
 * to fn. AY_EIO unless the tagged response is OK. */
static ay_rc command(struct imap *c, const char *cmd, untagged_fn fn, void *arg,
		     struct buf *lit, size_t max)
{
	struct buf line;
	char tag[16];
	size_t tl;
	bool big;
	ay_rc rc;

	buf_init(&line, LINE_MAX_LEN * 4);
	snprintf(tag, sizeof(tag), "y%u ", ++c->tag);
	tl = strlen(tag);
	rc = send_all(c, tag, tl);
	if (rc == AY_OK)
		rc = send_all(c, cmd, strlen(cmd));
	if (rc == AY_OK)
		rc = send_all(c, "\r\n", 2);
	if (lit)
		buf_reset(lit);
	while (rc == AY_OK) {
		big = false;
		rc = read_response(c, &line, lit && !lit->len ? lit : NULL, max,
				   &big);
		if (rc)
			break;
		if (line.len >= tl && !memcmp(line.ptr, tag, tl)) {
			mail_dialogue_add(c->dialogue, line.ptr, line.len);
			if (strncasecmp(line.ptr + tl, "OK", 2)) {
				imap_failure(c, "protocol");
				imap_err(c, "imap: %.*s: %s",
					 (int)strcspn(cmd, " "), cmd,
					 line.ptr + tl);
				rc = AY_EIO;
			}
			break;
		}
		if (line.len >= 2 && !memcmp(line.ptr, "* ", 2) && fn) {
			rc = fn(arg, &line, lit, big);
			if (rc)
				break;
		}
	}
	buf_release(&line);
	return rc;
}

struct uids {
	uint64_t *v;
	size_t n, cap;
};

static ay_rc on_search(void *arg, const struct buf *line, struct buf *lit,
		       bool big)
{
	struct uids *u = arg;
	const char *p;
	char *end;
	uint64_t x;

	(void)lit;
	(void)big;
	if (strncasecmp(line->ptr, "* SEARCH", 8))
		return AY_OK;
	p = line->ptr + 8;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		x = strtoull(p, &end, 10);
		p = end;
		if (ay_grow((void **)&u->v, &u->cap, u->n + 1, sizeof(*u->v)))
			return AY_ENOMEM;
		u->v[u->n++] = x;
	}
	return AY_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct fetch {
	bool got;
	bool big;
};

static ay_rc on_fetch(void *arg, const struct buf *line, struct buf *lit,
		      bool big)
{
	struct fetch *f = arg;

	/* "* N FETCH (UID U BODY[] {len}" then ")" */
	if (!strcasestr(line->ptr, " FETCH ") ||
	    !strcasestr(line->ptr, "BODY["))
		return AY_OK;
	if (big) {
		f->big = true;
		return AY_OK;
	}
	if (lit && lit->len > 0)
		f->got = true;
	return AY_OK;
}

/* Mailbox name from the URL path ("/INBOX" -> INBOX), quoted for IMAP. */
static ay_rc mailbox_arg(const char *url, struct buf *out)
{
	CURLU *u = curl_url();
	char *path = NULL;
	const char *p = "INBOX";
	ay_rc rc = AY_OK;

	if (!u)
		return AY_ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return AY_EINVAL;
	}
	if (curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) ==
		    CURLUE_OK &&
	    path && path[0] == '/' && path[1])
		p = path + 1;
	rc = buf_addc(out, '"');
	for (; rc == AY_OK && *p && *p != ';' && *p != '?'; p++) {
		if (*p == '/' && !p[1])
			break;
		if (*p == '\r' || *p == '\n') {
			rc = AY_EINVAL;
			break;
		}
		if (*p == '"' || *p == '\\')
			rc = buf_addc(out, '\\');
		if (rc == AY_OK)
			rc = buf_addc(out, *p);
	}
	if (rc == AY_OK)
		rc = buf_addc(out, '"');
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

static ay_rc imap_connect(struct imap *c, const struct mail_imap_conf *cf)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	long tmo = cf->timeout ? cf->timeout : 60;

	c->h = curl_easy_init();
	if (!c->h)
		return AY_ENOMEM;
	c->timeout_ms = (int)(tmo * 1000);
	curl_easy_setopt(c->h, CURLOPT_URL, cf->url);
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c->h, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT, tmo);
	if (cf->user) {
		curl_easy_setopt(c->h, CURLOPT_USERNAME, cf->user);
		curl_easy_setopt(c->h, CURLOPT_PASSWORD,
				 cf->password ? cf->password : "");
	}
	if (cf->tls == MAIL_TLS_TRY)
		curl_easy_setopt(c->h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	else if (cf->tls == MAIL_TLS_REQUIRED)
		curl_easy_setopt(c->h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cf->insecure) {
		curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cf->ca_file)
		curl_easy_setopt(c->h, CURLOPT_CAINFO, cf->ca_file);
	if (c->dialogue) {
		curl_easy_setopt(c->h, CURLOPT_DEBUGFUNCTION, imap_trace);
		curl_easy_setopt(c->h, CURLOPT_DEBUGDATA, c->dialogue);
		curl_easy_setopt(c->h, CURLOPT_VERBOSE, 1L);
	}
	cc = curl_easy_perform(c->h);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, NULL);
	if (c->dialogue)
		curl_easy_setopt(c->h, CURLOPT_VERBOSE, 0L);
	if (cc != CURLE_OK) {
		imap_failure(
			c, cc == CURLE_COULDNT_RESOLVE_HOST ? "resolve"
			   : cc == CURLE_COULDNT_CONNECT    ? "connect"
			   : cc == CURLE_OPERATION_TIMEDOUT ? "timeout"
			   : cc == CURLE_LOGIN_DENIED	    ? "auth"
			   : cc == CURLE_SSL_CONNECT_ERROR ||
					   cc == CURLE_USE_SSL_FAILED ||
					   cc == CURLE_PEER_FAILED_VERIFICATION
				   ? "tls"
				   : "protocol");
		imap_err(c, "imap: connect/login: %s",
			 ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return AY_EIO;
	}
	cc = curl_easy_getinfo(c->h, CURLINFO_ACTIVESOCKET, &c->sock);
	if (cc != CURLE_OK || c->sock == CURL_SOCKET_BAD) {
		imap_err(c, "imap: no socket");
		return AY_EIO;
	}
	return AY_OK;
}

ay_rc mail_imap_fetch(const struct mail_imap_conf *cf, mail_imap_cb cb,
		      void *arg, size_t *fetched, size_t *skipped, char *err,
		      size_t errlen)
{
	struct imap c;
	struct uids u = {NULL, 0, 0};
	struct buf cmd, lit, mbox;
	size_t i, nf = 0, ns = 0;
	ay_rc rc;

	memset(&c, 0, sizeof(c));
	c.err = err;
	c.errlen = errlen;
	c.dialogue = cf ? cf->dialogue : NULL;
	if (err && errlen)
		err[0] = '\0';
	buf_init(&c.in, MAIL_MAX_RAW + LINE_MAX_LEN * 4);
	buf_init(&cmd, 4096);
	buf_init(&lit, MAIL_MAX_RAW);
	buf_init(&mbox, 2048);
	if (!cf || !cf->url || !cb) {
		rc = AY_EINVAL;
		goto out;
	}
	/* Before anything that calls libcurl (mailbox_arg parses the URL). */
	if (mail_curl_init()) {
		imap_err(&c, "imap: libcurl is not available");
		rc = AY_EIO;
		goto out;
	}
	rc = mailbox_arg(cf->url, &mbox);
	if (rc) {
		imap_err(&c, "imap: bad url");
		goto out;
	}
	rc = imap_connect(&c, cf);
	if (rc)
		goto out;
	rc = buf_addf(&cmd, "%s %s", cf->check_only ? "EXAMINE" : "SELECT",
		      mbox.ptr);
	if (rc == AY_OK)
		rc = command(&c, cmd.ptr, NULL, NULL, NULL, 0);
	if (rc == AY_OK && !cf->check_only)
		rc = command(&c, "UID SEARCH UNSEEN", on_search, &u, NULL, 0);
	if (rc)
		goto out;
	if (u.n > 1)
		qsort(u.v, u.n, sizeof(*u.v), cmp_u64);
	for (i = 0; i < u.n; i++) {
		struct fetch f = {false, false};

		if (cf->max_messages && nf >= cf->max_messages)
			break;
		buf_reset(&cmd);
		rc = buf_addf(&cmd, "UID FETCH %" PRIu64 " BODY.PEEK[]",
			      u.v[i]);
		if (rc == AY_OK)
			rc = command(&c, cmd.ptr, on_fetch, &f, &lit,
				     MAIL_MAX_RAW);
		if (rc)
			goto out;
		if (f.big) {
			ns++;
			continue;
		}
		if (!f.got)
			continue; /* expunged meanwhile */
		rc = cb(arg, lit.ptr, lit.len);
		if (rc) {
			imap_err(&c,
				 "imap: message uid %" PRIu64
				 " not accepted: %s",
				 u.v[i], ay_rc_str(rc));
			goto out;
		}
		buf_reset(&cmd);
		rc = buf_addf(&cmd,
			      "UID STORE %" PRIu64 " +FLAGS.SILENT (\\Seen)",
			      u.v[i]);
		if (rc == AY_OK)
			rc = command(&c, cmd.ptr, NULL, NULL, NULL, 0);
		if (rc)
			goto out;
		nf++;
	}
	/* Best effort: the work is done whatever LOGOUT says. */
	if (command(&c, "LOGOUT", NULL, NULL, NULL, 0) && err && errlen)
		err[0] = '\0';
out:
	if (fetched)
		*fetched = nf;
	if (skipped)
		*skipped = ns;
	free(u.v);
	buf_release(&c.in);
	buf_release(&cmd);
	buf_release(&lit);
	buf_release(&mbox);
	if (c.h)
		curl_easy_cleanup(c.h);
	return rc;
}

static ay_rc check_cb(void *arg, const char *raw, size_t len)
{
	(void)arg;
	(void)raw;
	(void)len;
	return AY_EINVAL; /* never called: check_only fetches nothing */
}

ay_rc mail_imap_check(const struct mail_imap_conf *cf, char *err, size_t errlen)
{
	struct mail_imap_conf c = *cf;

	c.check_only = true;
	return mail_imap_fetch(&c, check_cb, NULL, NULL, NULL, err, errlen);
}
