/* Stored files: raw mail, attachments (store/blobs.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/blobs.h"
#include "util/blob.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/path.h"
#include "util/testhooks.h"
#include "util/grow.h"

/* Every column that names a stored file; what none of them names is
 * garbage. */
#define BLOB_REFS                                                              \
	"SELECT raw_sha256 FROM messages WHERE raw_sha256 IS NOT NULL"         \
	" UNION SELECT html_sha256 FROM messages WHERE html_sha256 IS NOT"     \
	" NULL UNION SELECT sha256 FROM attachments UNION SELECT sha256 FROM"  \
	" uploads UNION SELECT sha256 FROM kb_files"

/* The time of a row (the test builds' clock, as the domain's). Files go
 * by their own times, the system's. */
static int64_t blob_now(void)
{
	int64_t fake = ay_test_now();

	return fake ? fake : (int64_t)time(NULL);
}

bool store_blobs_in_db(struct store *st, const struct ay_config *cfg)
{
	struct db *db;

	if (cfg->blobs_in_db)
		return true;
	return !store_reader(st, &db) && strcmp(db->drv->name, "sqlite");
}

struct put_job {
	const void *data;
	size_t len;
	const char *hex;
};

static ay_rc put_run(struct db *db, void *arg)
{
	struct put_job *j = arg;
	struct db_stmt *s = NULL;
	bool row;
	ay_rc rc;

	/* Stored already: only its time is renewed (see the gc). */
	rc = db_prepare(db,
			"INSERT INTO blobs (sha256, data, size, created_at)"
			" VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO"
			" UPDATE SET created_at = excluded.created_at",
			&s);
	if (!rc)
		rc = db_bind_text(s, 1, j->hex, -1);
	if (!rc)
		rc = db_bind_blob(s, 2, j->data, j->len);
	if (!rc)
		rc = db_bind_int(s, 3, (int64_t)j->len);
	if (!rc)
		rc = db_bind_int(s, 4, blob_now());
	if (!rc)
		rc = db_step(s, &row);
	if (s)
		db_reset(s);
	return rc;
}

bool store_blob_inline(struct store *st, const struct ay_config *cfg,
		       size_t len)
{
	return len <= STORE_BLOB_INLINE_MAX || store_blobs_in_db(st, cfg);
}

ay_rc store_blob_insert(struct db *db, const char *hex, const void *data,
			size_t len)
{
	struct put_job j = {data, len, hex};

	return put_run(db, &j);
}

/* Files: durable with sync, or left for blob_sync(); rows are durable
 * once committed either way. */
static ay_rc put(struct store *st, const struct ay_config *cfg, const char *dir,
		 const void *data, size_t len, char hex[65], bool sync)
{
	struct put_job j = {data, len, hex};

	if (!store_blobs_in_db(st, cfg))
		return sync ? blob_put(cfg->data_dir, dir, data, len, hex)
			    : blob_put_nosync(cfg->data_dir, dir, data, len,
					      hex);
	ay_sha256_hex(data, len, hex);
	return store_write(st, put_run, &j);
}

ay_rc store_blob_put(struct store *st, const struct ay_config *cfg,
		     const char *dir, const void *data, size_t len,
		     char hex[65])
{
	return put(st, cfg, dir, data, len, hex, true);
}

ay_rc store_blob_put_nosync(struct store *st, const struct ay_config *cfg,
			    const char *dir, const void *data, size_t len,
			    char hex[65])
{
	return put(st, cfg, dir, data, len, hex, false);
}

/* Read DATA/dir/hex into out. */
static ay_rc read_file(const struct ay_config *cfg, const char *dir,
		       const char *hex, struct buf *out)
{
	char path[1200], chunk[65536];
	ssize_t n = 0;
	int fd;
	ay_rc rc = blob_path(cfg->data_dir, dir, hex, path, sizeof(path));

	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return AY_ENOTFOUND;
	if (fd < 0) {
		/* Typically a file that another user (root) wrote. */
		log_error("cannot read a stored file",
			  "path=\"%s\" error=\"%s\" uid=%lu", path,
			  strerror(errno), (unsigned long)geteuid());
		return AY_EIO;
	}
	while (!rc && (n = read(fd, chunk, sizeof(chunk))) > 0)
		rc = buf_add(out, chunk, (size_t)n);
	if (!rc && n < 0) {
		log_error("cannot read a stored file",
			  "path=\"%s\" error=\"%s\"", path, strerror(errno));
		rc = AY_EIO;
	}
	close(fd);
	return rc;
}

ay_rc store_blob_read(struct store *st, const struct ay_config *cfg,
		      const char *dir, const char *hex, struct buf *out)
{
	struct db_stmt *s = NULL;
	struct db *db;
	bool row = false;
	ay_rc rc;
	bool files = !store_blobs_in_db(st, cfg);

	if (!hex || strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return AY_ENOTFOUND;
	/* Files first: the small ones of mail are rows (store_blob_inline). */
	if (files) {
		rc = read_file(cfg, dir, hex, out);
		if (rc != AY_ENOTFOUND)
			return rc;
	}
	rc = store_reader(st, &db);
	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT data FROM blobs WHERE sha256 = $1", "s",
			    hex);
	if (!rc && row) {
		size_t len;
		const void *p = db_col_blob(s, 0, &len);

		rc = buf_add(out, p ? p : "", len);
	}
	if (s)
		db_reset(s);
	if (!rc && !row)
		rc = files ? AY_ENOTFOUND : read_file(cfg, dir, hex, out);
	return rc;
}

/* --- garbage collection --- */

struct gc_job {
	int64_t cutoff;
	struct blob_gc *out;
};

static ay_rc gc_db_run(struct db *db, void *arg)
{
	struct gc_job *j = arg;
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc;

	rc = db_run(db, &s, &row,
		    "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs WHERE"
		    " created_at < $1 AND sha256 NOT IN (" BLOB_REFS ")",
		    "i", j->cutoff);
	if (!rc && row) {
		j->out->removed = db_col_int(s, 0);
		j->out->bytes = db_col_int(s, 1);
	}
	if (s)
		db_reset(s);
	if (!rc)
		rc = db_run(db, NULL, NULL,
			    "DELETE FROM blobs WHERE created_at < $1 AND sha256"
			    " NOT IN (" BLOB_REFS ")",
			    "i", j->cutoff);
	if (!rc)
		rc = db_count(db, &j->out->kept, "SELECT COUNT(*) FROM blobs",
			      NULL);
	return rc;
}

/* Whether a row names hex now (a fresh read on the thread's reader). */
static ay_rc referenced(struct store *st, const char *hex, bool *yes)
{
	struct db_stmt *s = NULL;
	struct db *db;
	ay_rc rc = store_reader(st, &db);

	*yes = true;
	if (!rc)
		rc = db_run(db, &s, yes,
			    "SELECT 1 FROM (" BLOB_REFS ") AS r WHERE"
			    " r.raw_sha256 = $1",
			    "s", hex);
	if (s)
		db_reset(s);
	return rc;
}

/* The names of every stored file some row names, sorted. */
struct refs {
	char (*hex)[65];
	size_t n, cap;
};

static ay_rc refs_load(struct store *st, struct refs *r)
{
	struct db_stmt *s = NULL;
	struct db *db;
	bool row = false;
	ay_rc rc = store_reader(st, &db);

	if (!rc)
		rc = db_run(db, &s, &row,
			    "SELECT raw_sha256 FROM (" BLOB_REFS ") AS r"
			    " ORDER BY raw_sha256",
			    NULL);
	while (!rc && row) {
		rc = ay_grow((void **)&r->hex, &r->cap, r->n + 1,
			     sizeof(*r->hex));
		if (rc)
			break;
		snprintf(r->hex[r->n++], 65, "%s", db_col_text(s, 0));
		rc = db_step(s, &row);
	}
	if (s)
		db_reset(s);
	return rc;
}

static int hex_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* One file of DATA/dir: taken out of the way (renamed), looked at again
 * (its time, the rows), then removed or put back. A blob_put() that found
 * it before the rename renewed its time; one after the rename writes it
 * anew. */
static ay_rc gc_file(struct store *st, const char *path, const char *hex,
		     int64_t cutoff, struct blob_gc *out)
{
	char trash[1300];
	struct stat sb;
	bool used;
	ay_rc rc;

	if (stat(path, &sb) || sb.st_mtime >= cutoff) {
		out->kept++;
		return AY_OK;
	}
	rc = ay_path(trash, sizeof(trash), "%s.gc", path);
	if (!rc && rename(path, trash))
		return errno == ENOENT ? AY_OK : AY_EIO;
	if (!rc)
		rc = referenced(st, hex, &used);
	if (!rc && !stat(trash, &sb) && !used && sb.st_mtime < cutoff) {
		out->removed++;
		out->bytes += sb.st_size;
		return unlink(trash) ? AY_EIO : AY_OK;
	}
	out->kept++;
	/* Written anew meanwhile: the new one stays. */
	if (link(trash, path) && errno != EEXIST)
		return AY_EIO;
	unlink(trash);
	return rc;
}

static ay_rc gc_dir(struct store *st, const struct ay_config *cfg,
		    const char *dir, const struct refs *refs, int64_t cutoff,
		    struct blob_gc *out)
{
	char dpath[1100];
	struct dirent *e;
	DIR *d;
	ay_rc rc = ay_path(dpath, sizeof(dpath), "%s/%s", cfg->data_dir, dir);

	if (rc)
		return rc;
	d = opendir(dpath);
	if (!d)
		return errno == ENOENT ? AY_OK : AY_EIO;
	while (!rc && (e = readdir(d))) {
		char path[1200];

		if (strlen(e->d_name) != 64 ||
		    strspn(e->d_name, "0123456789abcdef") != 64)
			continue;
		if (refs->n && bsearch(e->d_name, refs->hex, refs->n,
				       sizeof(*refs->hex), hex_cmp)) {
			out->kept++;
			continue;
		}
		rc = blob_path(cfg->data_dir, dir, e->d_name, path,
			       sizeof(path));
		if (!rc)
			rc = gc_file(st, path, e->d_name, cutoff, out);
	}
	closedir(d);
	return rc;
}

ay_rc store_blob_gc(struct store *st, const struct ay_config *cfg,
		    int64_t grace, struct blob_gc *out)
{
	struct gc_job j = {blob_now() - grace, out};
	int64_t files_cutoff = (int64_t)time(NULL) - grace;
	struct refs refs = {0};
	ay_rc rc;

	memset(out, 0, sizeof(*out));
	/* The files first (an install moved into the database keeps some),
	 * then the table. A file named by no row when the names were read
	 * is looked at again, alone, before it goes. */
	rc = refs_load(st, &refs);
	if (!rc)
		rc = gc_dir(st, cfg, "raw", &refs, files_cutoff, out);
	if (!rc)
		rc = gc_dir(st, cfg, "attachments", &refs, files_cutoff, out);
	free(refs.hex);
	if (!rc) {
		struct blob_gc t = {0};

		j.out = &t;
		rc = store_write(st, gc_db_run, &j);
		out->removed += t.removed;
		out->bytes += t.bytes;
		out->kept += t.kept;
	}
	return rc;
}
