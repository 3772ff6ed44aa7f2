#include <stdarg.h>
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

static enum log_level min_level = LOG_INFO;
static bool use_syslog;

void log_to_syslog(const char *ident)
{
	openlog(ident, LOG_PID, LOG_MAIL);
	use_syslog = true;
}

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

void log_msg(enum log_level lvl, const char *msg, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	char line[2048], ts[32];
	struct timespec now;
	struct tm tm;
	size_t n;
	va_list ap;

	if (lvl < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = (size_t)snprintf(line, sizeof(line),
			     "ts=%s.%03ldZ level=%s msg=\"%s\"", ts,
			     now.tv_nsec / 1000000L, names[lvl], msg);
	if (fmt && *fmt && n < sizeof(line) - 2) {
		line[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
	}
	if (use_syslog) {
		static const int prio[] = {SYSLOG_DEBUG, SYSLOG_INFO,
					   LOG_WARNING, LOG_ERR};

		syslog(prio[lvl], "%s", line);
		return;
	}
	/* One write per line so that concurrent lines do not interleave. */
	n = strlen(line);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}
