/* Content-addressed files under the data dir: DATA/<dir>/<sha256 hex>.
 * Written to a temporary name, renamed, and made durable (the file and its
 * directory fsynced, or blob_sync for many at once) before the transaction
 * that names them, so that a row that names a blob never outlives a crash
 * without it. */
#ifndef AY_BLOB_H
#define AY_BLOB_H

#include "util/ay.h"

/* Store data; hex (65 bytes) gets its SHA-256. Storing the same content
 * twice writes nothing but renews the file's time (store/blobs.c's gc
 * spares recent files). */
ay_rc blob_put(const char *data_dir, const char *dir, const void *data,
	       size_t len, char hex[65]) AY_MUST_CHECK;
/* blob_put without making the blob durable: call blob_sync before
 * anything names it. */
ay_rc blob_put_nosync(const char *data_dir, const char *dir, const void *data,
		      size_t len, char hex[65]) AY_MUST_CHECK;
/* Make durable every blob that this process wrote under data_dir before
 * the call: one syncfs(2) of its file system, shared by the threads that
 * ask at once (a sync that began before a caller's writes does not count
 * for it). After a failed sync every later call fails too: the kernel may
 * have dropped the pages it could not write (PostgreSQL's lesson). */
ay_rc blob_sync(const char *data_dir) AY_MUST_CHECK;
/* Path of a blob into out[outlen]; AY_ETOOBIG when it does not fit. */
ay_rc blob_path(const char *data_dir, const char *dir, const char *hex,
		char *out, size_t outlen) AY_MUST_CHECK;

#endif
