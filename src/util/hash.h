/* Hashes of bytes, for content addresses and stored token hashes. */
#ifndef AY_HASH_H
#define AY_HASH_H

#include <stddef.h>

/* SHA-256 of s[0..len) into out (the processor's SHA instructions when it
 * has them, else libsodium's). */
void ay_sha256(const void *s, size_t len, unsigned char out[32]);
/* Hex SHA-256 of s[0..len) into out[65] (lowercase, NUL-terminated). */
void ay_sha256_hex(const void *s, size_t len, char out[65]);

#endif
