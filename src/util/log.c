#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
/* syslog.h names two priorities as our levels: keep its numbers only. */
#include <syslog.h>
#define SYSLOG_DEBUG 7
#define SYSLOG_INFO  6
#undef LOG_DEBUG
#undef LOG_INFO

#include "util/log.h"
#include "util/str.h"

static enum log_level min_level = LOG_INFO;
static bool use_syslog;

/* Batched lines (log_batch_start()): written by one write(2) when the
 * buffer fills, or by the batch thread within BATCH_NS of the first. */
#define BATCH_NS 50000000L
static atomic_bool batching;
static bool batch_quit;
static pthread_t batch_thread;
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_cond = PTHREAD_COND_INITIALIZER;
static char batch_buf[32768];
static size_t batch_len;

static void batch_flush_locked(void)
{
	if (batch_len)
		fwrite(batch_buf, 1, batch_len, stderr);
	batch_len = 0;
}

static void *batch_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&batch_lock);
	while (!batch_quit) {
		if (!batch_len) {
			pthread_cond_wait(&batch_cond, &batch_lock);
			continue;
		}
		pthread_mutex_unlock(&batch_lock);
		nanosleep(&(struct timespec){.tv_nsec = BATCH_NS}, NULL);
		pthread_mutex_lock(&batch_lock);
		batch_flush_locked();
	}
	batch_flush_locked();
	pthread_mutex_unlock(&batch_lock);
	return NULL;
}

void log_batch_start(void)
{
	if (use_syslog || atomic_load(&batching))
		return;
	batch_quit = false;
	if (!pthread_create(&batch_thread, NULL, batch_main, NULL))
		atomic_store(&batching, true);
}

void log_batch_stop(void)
{
	if (!atomic_exchange(&batching, false))
		return;
	pthread_mutex_lock(&batch_lock);
	batch_quit = true;
	pthread_cond_signal(&batch_cond);
	pthread_mutex_unlock(&batch_lock);
	pthread_join(batch_thread, NULL);
}

/* Put line p (n bytes, with its newline) in the batch, or, for a warning
 * or an error, write the batch and then it at once. False when lines are
 * not batched. */
static bool batch_put(enum log_level lvl, const char *p, size_t n)
{
	if (!atomic_load(&batching))
		return false;
	pthread_mutex_lock(&batch_lock);
	if (lvl >= LOG_WARN || batch_len + n > sizeof(batch_buf)) {
		batch_flush_locked();
		if (lvl >= LOG_WARN || n > sizeof(batch_buf)) {
			fwrite(p, 1, n, stderr);
			pthread_mutex_unlock(&batch_lock);
			return true;
		}
	}
	if (!batch_len)
		pthread_cond_signal(&batch_cond);
	memcpy(batch_buf + batch_len, p, n);
	batch_len += n;
	pthread_mutex_unlock(&batch_lock);
	return true;
}

void log_to_syslog(const char *ident)
{
	openlog(ident, LOG_PID, LOG_MAIL);
	use_syslog = true;
}

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

struct line {
	char *p;
	size_t n, cap; /* cap leaves room for the final newline */
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - l->n)
		n = l->cap - l->n;
	memcpy(l->p + l->n, s, n);
	l->n += n;
}

/* Append s (at most max bytes) escaped as OpenBSD's stravis(3) with
 * VIS_CSTYLE | VIS_TAB | VIS_NL | VIS_DQ would: a value can neither end
 * its line nor its quotes, nor send a terminal control sequence. */
static void put_vis(struct line *l, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4] = {'\\', 0, 0, 0};
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			put(l, (const char *)&c, 1);
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;

			u = ay_utf8_next((const unsigned char *)s + i,
					 strnlen(s + i, max - i), &cp);
			if (u && !ay_cp_hidden(cp)) {
				put(l, s + i, u);
				i += u - 1;
				continue;
			}
		}
		switch (c) {
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		case '"':
		case '\\':
			e[1] = (char)c;
			break;
		default:
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			put(l, e, 4);
			continue;
		}
		put(l, e, 2);
	}
}

/* Format one conversion spec (copied into spec) for one argument. */
static void put_arg(struct line *l, const char *spec, char conv, int lmod,
		    va_list *ap)
{
	char tmp[128];
	int n;

	switch (conv) {
	case 'd':
	case 'i':
		if (lmod == 2)
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, long long));
		else if (lmod == 1)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, long));
		else if (lmod == 'z')
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, ssize_t));
		else
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, int));
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		if (lmod == 2)
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, unsigned long long));
		else if (lmod == 1)
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, unsigned long));
		else if (lmod == 'z')
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, size_t));
		else
			n = snprintf(tmp, sizeof(tmp), spec,
				     va_arg(*ap, unsigned));
		break;
	case 'f':
	case 'g':
	case 'e':
		n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, double));
		break;
	case 'c':
		tmp[0] = (char)va_arg(*ap, int);
		tmp[1] = '\0';
		put_vis(l, tmp, 1);
		return;
	case 'p':
		n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, void *));
		break;
	default:
		n = snprintf(tmp, sizeof(tmp), "%%%c", conv);
		break;
	}
	if (n > 0)
		put(l, tmp,
		    (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* vsnprintf for log lines: every string argument (%s, %.Ns, %.*s) is
 * escaped by put_vis(); numbers are printed as printf would. The format
 * itself is the programmer's and is copied as is. */
static void put_fmt(struct line *l, const char *fmt, va_list ap_in)
{
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		char spec[32];
		size_t max = SIZE_MAX, len;
		int lmod = 0;

		if (*fmt != '%') {
			fmt++;
			while (*fmt && *fmt != '%')
				fmt++;
			put(l, start, (size_t)(fmt - start));
			continue;
		}
		if (fmt[1] == '%') {
			put(l, "%", 1);
			fmt += 2;
			continue;
		}
		fmt++;
		while (strchr("-+ #0", *fmt) && *fmt)
			fmt++;
		if (*fmt == '*') {
			/* A width from the arguments: taken and ignored. */
			(void)va_arg(ap, int);
		}
		while ((*fmt >= '0' && *fmt <= '9') || *fmt == '*')
			fmt++;
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(ap, int);

				max = p < 0 ? SIZE_MAX : (size_t)p;
				fmt++;
			} else {
				size_t p = 0;

				while (*fmt >= '0' && *fmt <= '9')
					p = p * 10 + (size_t)(*fmt++ - '0');
				max = p;
			}
		}
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			lmod = *fmt == 'z' ? 'z' : *fmt == 'l' ? lmod + 1 : 0;
			fmt++;
		}
		if (!*fmt)
			break;
		if (*fmt == 's') {
			const char *s = va_arg(ap, const char *);

			put_vis(l, s ? s : "(null)", max);
			fmt++;
			continue;
		}
		len = (size_t)(fmt - start) + 1;
		if (len >= sizeof(spec) || memchr(start, '*', len)) {
			len = 0;
			spec[len++] = '%';
			if (lmod == 2 || lmod == 1)
				spec[len++] = 'l';
			if (lmod == 2)
				spec[len++] = 'l';
			if (lmod == 'z')
				spec[len++] = 'z';
			spec[len++] = *fmt;
		} else {
			memcpy(spec, start, len);
		}
		spec[len] = '\0';
		put_arg(l, spec, *fmt, lmod, &ap);
		fmt++;
	}
	va_end(ap);
}

void log_msg(enum log_level lvl, const char *msg, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	char buf[2048], ts[32];
	struct line l = {buf, 0, sizeof(buf) - 1};
	struct timespec now;
	struct tm tm;
	va_list ap;
	int n;

	if (lvl < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(buf, sizeof(buf), "ts=%s.%03ldZ level=%s msg=\"", ts,
		     now.tv_nsec / 1000000L, names[lvl]);
	l.n = (size_t)n;
	put_vis(&l, msg, SIZE_MAX);
	put(&l, "\"", 1);
	if (fmt && *fmt) {
		put(&l, " ", 1);
		va_start(ap, fmt);
		put_fmt(&l, fmt, ap);
		va_end(ap);
	}
	if (use_syslog) {
		static const int prio[] = {SYSLOG_DEBUG, SYSLOG_INFO,
					   LOG_WARNING, LOG_ERR};

		buf[l.n] = '\0';
		syslog(prio[lvl], "%s", buf);
		return;
	}
	/* Whole lines per write, so that concurrent lines do not
	 * interleave. */
	buf[l.n++] = '\n';
	if (!batch_put(lvl, buf, l.n))
		fwrite(buf, 1, l.n, stderr);
}
