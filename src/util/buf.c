#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_MAX_DEFAULT;
}

void buf_release(struct buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static ay_rc buf_grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > b->max || b->len > b->max - n) {
		buf_release(b);
		return AY_ETOOBIG;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return AY_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->ptr, cap);
	if (!p) {
		buf_release(b);
		return AY_ENOMEM;
	}
	b->ptr = p;
	b->cap = cap;
	return AY_OK;
}

ay_rc buf_add(struct buf *b, const void *p, size_t n)
{
	ay_rc rc = buf_grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return AY_OK;
}

ay_rc buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

ay_rc buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

ay_rc buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	ay_rc rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		buf_release(b);
		return AY_EINVAL;
	}
	rc = buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return AY_OK;
}

ay_rc buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	ay_rc rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_str(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *buf_take(struct buf *b, size_t *len)
{
	char *p = b->ptr;

	if (!p) {
		p = calloc(1, 1);
		if (len)
			*len = 0;
		return p;
	}
	if (len)
		*len = b->len;
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

const char *ay_rc_str(ay_rc rc)
{
	static const char *const names[] = {
		[AY_OK] = "ok",
		[AY_ENOMEM] = "no_memory",
		[AY_EINVAL] = "invalid",
		[AY_ENOTFOUND] = "not_found",
		[AY_ECONFLICT] = "conflict",
		[AY_EDB] = "store_error",
		[AY_EIO] = "io_error",
		[AY_ETOOBIG] = "too_large",
		[AY_EBUSY] = "unavailable",
		[AY_EPERM] = "forbidden",
		[AY_ENOSPC] = "storage_full",
	};
	if ((size_t)rc < AY_ARRAY_LEN(names) && names[rc])
		return names[rc];
	return "unknown";
}
