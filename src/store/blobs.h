/* Stored files: the raw text of each mail, its HTML, attachments, uploads
 * and knowledge-base files, content-addressed by their SHA-256 (a row names
 * one by its hex). Either files DATA/<dir>/<hex> (util/blob.c; SQLite's
 * default) or rows of the blobs table (PostgreSQL always, so that servers
 * on several machines share nothing but the database; SQLite with [store]
 * blobs = database). Either way a file is stored, durably, before the
 * transaction that names it. docs/scaling.md */
#ifndef AY_STORE_BLOBS_H
#define AY_STORE_BLOBS_H

#include "store/db.h"
#include "util/buf.h"
#include "util/config.h"

/* Whether stored files go into the database. */
bool store_blobs_in_db(struct store *st, const struct ay_config *cfg);
/* Store data (dir: "raw" or "attachments", for files); hex (65 bytes)
 * gets its SHA-256. Storing the same content again renews its time. Not
 * from inside a store job (it may run one). */
ay_rc store_blob_put(struct store *st, const struct ay_config *cfg,
		     const char *dir, const void *data, size_t len,
		     char hex[65]) AY_MUST_CHECK;
/* store_blob_put, but a file is not made durable: call blob_sync()
 * (util/blob.h) before a transaction names it when !store_blobs_in_db. */
ay_rc store_blob_put_nosync(struct store *st, const struct ay_config *cfg,
			    const char *dir, const void *data, size_t len,
			    char hex[65]) AY_MUST_CHECK;
/* Files up to this size stored with mail go into the blobs table, in the
 * delivery's own transaction, even when stored files are files: one sync
 * (the commit's) instead of a file's and the commit's. */
#define STORE_BLOB_INLINE_MAX (256 * 1024)
/* Whether data of len bytes is stored as a row of the blobs table by
 * store_blob_insert, in the transaction that names it, rather than by
 * store_blob_put before it. */
bool store_blob_inline(struct store *st, const struct ay_config *cfg,
		       size_t len);
/* Inside a store job: store data as the blobs row hex (its SHA-256, from
 * ay_sha256_hex); stored already, only its time is renewed. */
ay_rc store_blob_insert(struct db *db, const char *hex, const void *data,
			size_t len) AY_MUST_CHECK;
/* Append the stored file hex to out (capped by out's max: AY_ETOOBIG);
 * AY_ENOTFOUND when there is none. In the database, falls back to the
 * file (one stored before the move); with files, falls back to the
 * table (store_blob_inline). */
ay_rc store_blob_read(struct store *st, const struct ay_config *cfg,
		      const char *dir, const char *hex,
		      struct buf *out) AY_MUST_CHECK;

/* What a collection did. */
struct blob_gc {
	int64_t kept, removed, bytes; /* files and rows; bytes removed */
};
/* Remove the stored files (and rows) that no message, attachment, upload
 * or knowledge-base file names, of those not stored or stored again in
 * the last grace seconds: a file stored for a row not yet committed is
 * spared, whatever the servers do meanwhile. */
ay_rc store_blob_gc(struct store *st, const struct ay_config *cfg,
		    int64_t grace, struct blob_gc *out) AY_MUST_CHECK;

#endif
