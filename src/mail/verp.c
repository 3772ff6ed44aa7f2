/* Per-message return paths (see verp.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sodium.h>

#include "mail/verp.h"
#include "util/path.h"

#define TOKEN_BYTES 10 /* 80 bits, 20 hex digits */
#define MARK	    "+bounce-"

static ay_rc read_key(const char *path, struct mail_verp_key *key)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? AY_ENOTFOUND : AY_EIO;
	n = read(fd, key->k, sizeof(key->k));
	close(fd);
	return n == (ssize_t)sizeof(key->k) ? AY_OK : AY_EIO;
}

/* Write a new key beside path and link it into place: a concurrent
 * creator's key wins if it got there first, and nobody reads half a key. */
static ay_rc create_key(const char *path)
{
	unsigned char k[32];
	char tmp[1200];
	ssize_t n;
	int fd;

	if (sodium_init() < 0)
		return AY_EIO;
	if (ay_path(tmp, sizeof(tmp), "%s.%ld.%08x", path, (long)getpid(),
		    (unsigned)randombytes_random()))
		return AY_ETOOBIG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return AY_EIO;
	randombytes_buf(k, sizeof(k));
	n = write(fd, k, sizeof(k));
	sodium_memzero(k, sizeof(k));
	if (n != (ssize_t)sizeof(k) || fsync(fd)) {
		close(fd);
		unlink(tmp);
		return AY_EIO;
	}
	close(fd);
	if (link(tmp, path) && errno != EEXIST) {
		unlink(tmp);
		return AY_EIO;
	}
	unlink(tmp);
	return AY_OK;
}

ay_rc mail_verp_key_load(const char *data_dir, bool create,
			 struct mail_verp_key *key)
{
	char path[1100];
	ay_rc rc;

	rc = ay_path(path, sizeof(path), "%s/mail.key", data_dir);
	if (rc)
		return rc;
	rc = read_key(path, key);
	if (rc != AY_ENOTFOUND || !create)
		return rc;
	rc = create_key(path);
	return rc ? rc : read_key(path, key);
}

static void token_hex(const struct mail_verp_key *key, const char *message_id,
		      char out[2 * TOKEN_BYTES + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256(mac, (const unsigned char *)message_id,
			       strlen(message_id), key->k);
	sodium_bin2hex(out, 2 * TOKEN_BYTES + 1, mac, TOKEN_BYTES);
}

ay_rc mail_verp_return_path(const struct mail_verp_key *key,
			    const char *address, const char *message_id,
			    char *out, size_t outlen)
{
	const char *at = strrchr(address, '@');
	char tok[2 * TOKEN_BYTES + 1];
	int n;

	if (!at || at == address)
		return AY_EINVAL;
	token_hex(key, message_id, tok);
	n = snprintf(out, outlen, "%.*s%s%s%s", (int)(at - address), address,
		     MARK, tok, at);
	return n > 0 && (size_t)n < outlen ? AY_OK : AY_ETOOBIG;
}

bool mail_verp_match(const struct mail_verp_key *key, const char *message_id,
		     const char *text)
{
	char tok[2 * TOKEN_BYTES + 1];
	size_t ml = strlen(MARK);
	bool ok = false;

	if (!text || !message_id)
		return false;
	token_hex(key, message_id, tok);
	for (const char *p = text; (p = strcasestr(p, MARK)); p += ml) {
		char got[2 * TOKEN_BYTES + 1];
		size_t i;

		for (i = 0; i < 2 * TOKEN_BYTES && p[ml + i]; i++)
			got[i] = (char)(p[ml + i] | 0x20); /* lower case */
		got[i] = '\0';
		if (i == 2 * TOKEN_BYTES &&
		    !sodium_memcmp(got, tok, 2 * TOKEN_BYTES))
			ok = true;
	}
	return ok;
}
