/* Hashes of bytes (libsodium). */
#include <sodium.h>

#include "util/hash.h"

void ay_sha256_hex(const void *s, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, s, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}
