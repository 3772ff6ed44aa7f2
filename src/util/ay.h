/* Common definitions: the error convention and compiler attributes. */
#ifndef AY_AY_H
#define AY_AY_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum {
	AY_OK = 0,
	AY_ENOMEM,    /* allocation failed */
	AY_EINVAL,    /* invalid input (validation failed) */
	AY_ENOTFOUND, /* no such object, or not visible to the caller */
	AY_ECONFLICT, /* conflicts with existing state */
	AY_EDB,	      /* the store failed */
	AY_EIO,	      /* I/O failed */
	AY_ETOOBIG,   /* over a size limit */
	AY_EBUSY,     /* store busy or unavailable: try again later */
	AY_EPERM,     /* not allowed */
	AY_ENOSPC,    /* the disk (or the database's size cap) is full */
} ay_rc;

#define AY_MUST_CHECK	__attribute__((warn_unused_result))
#define AY_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AY_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define AY_UNUSED	__attribute__((unused))

/* Short lowercase name of an error code, e.g. "not_found". */
const char *ay_rc_str(ay_rc rc);

#endif
