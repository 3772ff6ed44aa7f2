/* Paths and URLs built with a format, never cut short (see path.h). */
#include <stdarg.h>
#include <stdio.h>

#include "util/path.h"

ay_rc ay_path(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!outlen)
		return AY_ETOOBIG;
	va_start(ap, fmt);
	n = vsnprintf(out, outlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= outlen) {
		out[0] = '\0';
		return n < 0 ? AY_EINVAL : AY_ETOOBIG;
	}
	return AY_OK;
}
