/* Logging: one logfmt line per event on stderr. */
#ifndef AY_LOG_H
#define AY_LOG_H

#include "util/ay.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Send the lines to syslog (facility mail, tag ident) instead of stderr,
 * for commands whose stderr someone else shows to people: an MTA puts a
 * pipe command's output in the bounce. ident must stay valid. Call once at
 * start. */
void log_to_syslog(const char *ident);
/* From now on, write lines in batches (a server's request lines): info
 * and debug lines wait at most 50 ms, or until 32 KB have gathered; a
 * warning or an error is written at once, after the lines before it. */
void log_batch_start(void);
/* Write the lines still waiting and write each line at once again. Call
 * before exit: a clean stop loses no line. */
void log_batch_stop(void);
/* Set the lowest level printed (default LOG_INFO). Call once at start. */
void log_set_level(enum log_level lvl);
/* Print `ts=... level=... msg="..."` followed by the caller's key=value
 * pairs formatted by fmt. Every string argument (%s) is escaped as
 * stravis(3) would, so that no value can end the line or its quotes. */
void log_msg(enum log_level lvl, const char *msg, const char *fmt, ...)
	AY_PRINTF(3, 4);

#define log_info(msg, ...)  log_msg(LOG_INFO, msg, __VA_ARGS__)
#define log_warn(msg, ...)  log_msg(LOG_WARN, msg, __VA_ARGS__)
#define log_error(msg, ...) log_msg(LOG_ERROR, msg, __VA_ARGS__)

#endif
