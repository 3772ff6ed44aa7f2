/* Paths and URLs built with a format, never cut short: snprintf() that
 * says when the result does not fit, so that a long data directory fails
 * cleanly instead of naming another file. */
#ifndef AY_PATH_H
#define AY_PATH_H

#include <stddef.h>

#include "util/ay.h"

/* Format into out[outlen] as snprintf() does. AY_ETOOBIG when the result
 * would not fit (out is then ""), AY_EINVAL on an output error. */
ay_rc ay_path(char *out, size_t outlen, const char *fmt, ...) AY_MUST_CHECK
	AY_PRINTF(3, 4);

#endif
