/* Growable, size-capped, always NUL-terminated byte buffer (curl dynbuf +
 * git strbuf). */
#ifndef AY_BUF_H
#define AY_BUF_H

#include <stdarg.h>
#include "util/ay.h"

struct buf {
	char *ptr;  /* NUL-terminated; NULL until the first add */
	size_t len; /* bytes used, without the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed */
};

#define BUF_MAX_DEFAULT ((size_t)64 << 20)

/* Initialise an empty buffer that may grow to max bytes. Cannot fail. */
void buf_init(struct buf *b, size_t max);
/* Append n bytes. On failure the buffer is released and an error returned. */
ay_rc buf_add(struct buf *b, const void *p, size_t n) AY_MUST_CHECK;
ay_rc buf_adds(struct buf *b, const char *s) AY_MUST_CHECK;
ay_rc buf_addc(struct buf *b, char c) AY_MUST_CHECK;
ay_rc buf_addf(struct buf *b, const char *fmt, ...) AY_MUST_CHECK
	AY_PRINTF(2, 3);
ay_rc buf_vaddf(struct buf *b, const char *fmt, va_list ap) AY_MUST_CHECK;
/* Borrowed: a NUL-terminated view ("" when empty); valid until next add. */
const char *buf_str(const struct buf *b);
/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);
/* Returns: owned by caller, free with free(); the buffer is reset to empty.
 * Never NULL unless allocation fails. */
char *buf_take(struct buf *b, size_t *len);
/* Free the contents; the buffer is empty and usable again. NULL-safe. */
void buf_release(struct buf *b);

#endif
