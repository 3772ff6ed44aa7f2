#include <errno.h>
#include <fcntl.h>
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

ay_rc blob_put(const char *data_dir, const char *dir, const void *data,
	       size_t len, char hex[65])
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
	if (!stat(path, &sb) && (size_t)sb.st_size == len)
		return AY_OK;
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
	if (!rc && fsync(fd))
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
	fd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd))
			rc = AY_EIO;
		close(fd);
	}
	return rc;
}
