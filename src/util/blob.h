/* Content-addressed files under the data dir: DATA/<dir>/<sha256 hex>.
 * Written to a temporary name, fsynced, renamed and the directory fsynced,
 * so that a row that names a blob never outlives a crash without it. */
#ifndef AY_BLOB_H
#define AY_BLOB_H

#include "util/ay.h"

/* Store data; hex (65 bytes) gets its SHA-256. Storing the same content
 * twice is a no-op. */
ay_rc blob_put(const char *data_dir, const char *dir, const void *data,
	       size_t len, char hex[65]) AY_MUST_CHECK;
/* Path of a blob into out[outlen]; AY_ETOOBIG when it does not fit. */
ay_rc blob_path(const char *data_dir, const char *dir, const char *hex,
		char *out, size_t outlen) AY_MUST_CHECK;

#endif
