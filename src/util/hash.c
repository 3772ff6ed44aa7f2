/* Hashes of bytes: SHA-256 with the processor's SHA instructions when it
 * has them (x86-64 SHA-NI: about six times libsodium's portable code, which
 * is the fallback), the same digest either way. */
#include <stdint.h>
#include <string.h>
#include <sodium.h>

#include "util/hash.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

#define SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* The compression function over n 64-byte blocks (Intel's SHA extensions:
 * the state as ABEF and CDGH, four rounds per group, the message schedule
 * of group g + 1 finished in group g). */
SHA_NI_TARGET static void sha_ni_blocks(uint32_t st[8], const uint8_t *p,
					size_t n)
{
	const __m128i mask =
		_mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1, tmp, msg, w[4], abef, cdgh;

	tmp = _mm_loadu_si128((const __m128i *)&st[0]);
	s1 = _mm_loadu_si128((const __m128i *)&st[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);  /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);    /* EFGH */
	s0 = _mm_alignr_epi8(tmp, s1, 8);    /* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xF0); /* CDGH */
	for (; n; n--, p += 64) {
		abef = s0;
		cdgh = s1;
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			if (g < 4)
				w[g] = _mm_shuffle_epi8(
					_mm_loadu_si128(
						(const __m128i *)(p + 16 * g)),
					mask);
			msg = _mm_add_epi32(
				w[g & 3],
				_mm_loadu_si128((const __m128i *)&K256[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			if (g >= 3 && g <= 14) {
				tmp = _mm_alignr_epi8(w[g & 3], w[(g - 1) & 3],
						      4);
				w[(g + 1) & 3] =
					_mm_add_epi32(w[(g + 1) & 3], tmp);
				w[(g + 1) & 3] = _mm_sha256msg2_epu32(
					w[(g + 1) & 3], w[g & 3]);
			}
			msg = _mm_shuffle_epi32(msg, 0x0E);
			s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
			if (g >= 1 && g <= 12)
				w[(g - 1) & 3] = _mm_sha256msg1_epu32(
					w[(g - 1) & 3], w[g & 3]);
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	tmp = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);    /* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xF0); /* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);    /* ABEF */
	_mm_storeu_si128((__m128i *)&st[0], s0);
	_mm_storeu_si128((__m128i *)&st[4], s1);
}

static void sha_ni(const uint8_t *p, size_t len, unsigned char h[32])
{
	uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	uint8_t tail[128] = {0};
	size_t full = len / 64, rest = len % 64, tn;
	uint64_t bits = (uint64_t)len * 8;

	sha_ni_blocks(st, p, full);
	memcpy(tail, p + full * 64, rest);
	tail[rest] = 0x80;
	tn = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tn - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha_ni_blocks(st, tail, tn / 64);
	for (int i = 0; i < 8; i++) {
		h[4 * i] = (unsigned char)(st[i] >> 24);
		h[4 * i + 1] = (unsigned char)(st[i] >> 16);
		h[4 * i + 2] = (unsigned char)(st[i] >> 8);
		h[4 * i + 3] = (unsigned char)st[i];
	}
}

static int have_sha_ni(void)
{
	static int have = -1; /* every thread finds the same */
	int v = __atomic_load_n(&have, __ATOMIC_RELAXED);
	unsigned a, b, c, d;

	if (v >= 0)
		return v;
	v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) &&
	    (c & bit_SSE4_1) && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	    (b & bit_SHA);
	__atomic_store_n(&have, v, __ATOMIC_RELAXED);
	return v;
}
#endif

void ay_sha256(const void *s, size_t len, unsigned char out[32])
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (have_sha_ni()) {
		sha_ni(s, len, out);
		return;
	}
#endif
	crypto_hash_sha256(out, s, len);
}

void ay_sha256_hex(const void *s, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	ay_sha256(s, len, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}
