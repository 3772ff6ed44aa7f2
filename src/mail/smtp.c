/* Send mail by SMTP with libcurl. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "mail/curl_dl.h"
#include "mail/smtp.h"

struct upload {
	const char *p;
	size_t left;
	bool probe, reached; /* stop when the server asks for the data */
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (u->probe) {
		/* The server said 354 to DATA: the envelope is accepted.
		 * Closing now, before the final dot, delivers nothing. */
		u->reached = true;
		return CURL_READFUNC_ABORT;
	}
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

void mail_dialogue_add(struct mail_dialogue *d, const char *p, size_t n)
{
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (!d || !n)
		return;
	if (d->n == MAIL_DIALOGUE_LINES) {
		memmove(d->line[0], d->line[1],
			sizeof(d->line[0]) * (MAIL_DIALOGUE_LINES - 1));
		d->n--;
	}
	snprintf(d->line[d->n++], sizeof(d->line[0]), "%.*s", (int)n, p);
}

void mail_dialogue_lines(struct mail_dialogue *d, const char *data, size_t size,
			 bool (*keep)(const char *p, size_t n))
{
	const char *p = data, *end = data + size, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (keep(p, (size_t)(nl - p)))
			mail_dialogue_add(d, p, (size_t)(nl - p));
	}
}

/* Each reply's last line ("250 ok", not "250-SIZE"), no AUTH challenge. */
static bool smtp_keep(const char *p, size_t n)
{
	return n >= 4 && p[3] != '-' && strncmp(p, "334", 3);
}

/* libcurl's trace: the server's reply lines only (CURLINFO_HEADER_IN). */
static int smtp_trace(CURL *h, curl_infotype type, char *data, size_t size,
		      void *arg)
{
	(void)h;
	if (type == CURLINFO_HEADER_IN)
		mail_dialogue_lines(arg, data, size, smtp_keep);
	return 0;
}

/* Why a transfer failed, in one word (struct mail_dialogue). */
static const char *smtp_failure(CURLcode cc, long code)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "resolve";
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
		return "tls";
	case CURLE_LOGIN_DENIED:
		return "auth";
	default:
		return code == 535 || code == 534 || code == 530 ? "auth"
		       : code >= 500				 ? "rejected"
								 : "protocol";
	}
}

static bool bad_addr(const char *a)
{
	return !a || strpbrk(a, "\r\n<>");
}

ay_rc mail_smtp_send(const struct mail_smtp_conf *c, const char *from,
		     const char *const *rcpts, size_t n, const char *data,
		     size_t len, char *err, size_t errlen)
{
	CURL *h = NULL;
	struct curl_slist *rl = NULL, *t;
	struct upload up = {data, len, c && c->probe, false};
	char ebuf[CURL_ERROR_SIZE] = "", tmp[512];
	long code = 0;
	CURLcode cc;
	ay_rc rc = AY_EINVAL;
	size_t i;

	if (err && errlen)
		err[0] = '\0';
	if (!c || !c->url || bad_addr(from) || !n) {
		snprintf(err, errlen, "smtp 0: bad arguments");
		return AY_EINVAL;
	}
	if (mail_curl_init()) {
		snprintf(err, errlen, "smtp 0: libcurl is not available");
		rc = AY_EIO;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (bad_addr(rcpts[i])) {
			snprintf(err, errlen, "smtp 0: bad recipient");
			goto out;
		}
		snprintf(tmp, sizeof(tmp), "<%s>", rcpts[i]);
		t = curl_slist_append(rl, tmp);
		if (!t) {
			rc = AY_ENOMEM;
			goto out;
		}
		rl = t;
	}
	h = curl_easy_init();
	if (!h) {
		rc = AY_ENOMEM;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "<%s>", from);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, tmp);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rl);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	if (!up.probe)
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
			 c->connect_timeout ? c->connect_timeout : 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout ? c->timeout : 300L);
	if (c->tls == MAIL_TLS_TRY)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	else if (c->tls == MAIL_TLS_REQUIRED)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD,
				 c->password ? c->password : "");
	}
	if (c->dialogue) {
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, smtp_trace);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, c->dialogue);
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cc == CURLE_OK || up.reached) {
		rc = AY_OK;
		goto out;
	}
	rc = code >= 500 && code < 600 ? AY_EINVAL : AY_EIO;
	snprintf(err, errlen, "smtp %ld: %s", code,
		 ebuf[0] ? ebuf : curl_easy_strerror(cc));
	if (c->dialogue)
		snprintf(c->dialogue->failure, sizeof(c->dialogue->failure),
			 "%s", smtp_failure(cc, code));
out:
	if (rl) /* only set once libcurl is loaded */
		curl_slist_free_all(rl);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}
