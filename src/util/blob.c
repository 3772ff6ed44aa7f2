#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sodium.h>

#include "util/blob.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/path.h"

ay_rc blob_path(const char *data_dir, const char *dir, const char *hex,
		char *out, size_t outlen)
{
	return ay_path(out, outlen, "%s/%s/%s", data_dir, dir, hex);
}

static ay_rc write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == ENOSPC || errno == EDQUOT))
			return AY_ENOSPC;
		if (n <= 0)
			return AY_EIO;
		p += n;
		len -= (size_t)n;
	}
	return AY_OK;
}

static ay_rc put(const char *data_dir, const char *dir, const void *data,
		 size_t len, char hex[65], bool sync)
{
	char path[1200], tmp[1300], dpath[1100];
	struct stat sb;
	ay_rc rc;
	int fd;

	ay_sha256_hex(data, len, hex);
	rc = ay_path(dpath, sizeof(dpath), "%s/%s", data_dir, dir);
	if (!rc)
		rc = blob_path(data_dir, dir, hex, path, sizeof(path));
	if (rc)
		return rc;
	/* Mail and files of customers: for the owner only. */
	if (mkdir(dpath, 0700) && errno != EEXIST)
		return AY_EIO;
	/* Stored already: its time is renewed, so that `ayuda blobs gc`
	 * (which spares what changed in its grace period) never takes a file
	 * a row is about to name again. */
	if (!stat(path, &sb) && (size_t)sb.st_size == len) {
		if (!utimensat(AT_FDCWD, path, NULL, 0))
			return AY_OK;
		if (errno != ENOENT)
			return AY_EIO;
		/* Collected meanwhile: written again below. */
	}
	rc = ay_path(tmp, sizeof(tmp), "%s.tmp.%ld.%08x", path, (long)getpid(),
		     (unsigned)randombytes_random());
	if (rc)
		return rc;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("cannot write blob", "path=\"%s\" err=\"%s\"", tmp,
			  strerror(errno));
		return AY_EIO;
	}
	rc = write_all(fd, data, len);
	if (!rc && sync && fsync(fd))
		rc = errno == ENOSPC || errno == EDQUOT ? AY_ENOSPC : AY_EIO;
	if (close(fd) && !rc)
		rc = errno == ENOSPC || errno == EDQUOT ? AY_ENOSPC : AY_EIO;
	if (!rc && rename(tmp, path))
		rc = AY_EIO;
	if (rc) {
		if (rc == AY_ENOSPC)
			log_error("disk full", "path=\"%s\"", tmp);
		unlink(tmp);
		return rc;
	}
	if (!sync)
		return AY_OK;
	fd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd))
			rc = AY_EIO;
		close(fd);
	}
	return rc;
}

ay_rc blob_put(const char *data_dir, const char *dir, const void *data,
	       size_t len, char hex[65])
{
	return put(data_dir, dir, data, len, hex, true);
}

ay_rc blob_put_nosync(const char *data_dir, const char *dir, const void *data,
		      size_t len, char hex[65])
{
	return put(data_dir, dir, data, len, hex, false);
}

/* The syncs of this process, numbered: a caller takes the next number
 * and waits until a sync that began after it took it has ended. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t asked;	 /* numbers handed out */
	uint64_t synced; /* every number up to this one is durable */
	bool running;	 /* a syncfs is under way */
	bool broken;	 /* a syncfs failed: no later one is trusted */
} blob_syncs = {PTHREAD_MUTEX_INITIALIZER,
		PTHREAD_COND_INITIALIZER,
		0,
		0,
		false,
		false};

static int sync_dir(const char *data_dir)
{
	int fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = syncfs(fd);
	if (r)
		log_error("cannot sync the data dir", "path=\"%s\" err=\"%s\"",
			  data_dir, strerror(errno));
	close(fd);
	return r;
}

ay_rc blob_sync(const char *data_dir)
{
	uint64_t me, upto;
	ay_rc rc;

	pthread_mutex_lock(&blob_syncs.lock);
	me = ++blob_syncs.asked;
	while (!blob_syncs.broken && blob_syncs.synced < me) {
		if (blob_syncs.running) {
			pthread_cond_wait(&blob_syncs.done, &blob_syncs.lock);
			continue;
		}
		blob_syncs.running = true;
		upto = blob_syncs.asked;
		pthread_mutex_unlock(&blob_syncs.lock);
		if (sync_dir(data_dir)) {
			pthread_mutex_lock(&blob_syncs.lock);
			blob_syncs.broken = true;
		} else {
			pthread_mutex_lock(&blob_syncs.lock);
			blob_syncs.synced = upto;
		}
		blob_syncs.running = false;
		pthread_cond_broadcast(&blob_syncs.done);
	}
	rc = blob_syncs.broken ? AY_EIO : AY_OK;
	pthread_mutex_unlock(&blob_syncs.lock);
	return rc;
}
