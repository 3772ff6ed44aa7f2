/* Text that people read, made safe to show and to put in a mail header:
 * one-line values (subjects, names) and file names. */
#ifndef AY_UTIL_STR_H
#define AY_UTIL_STR_H

#include "util/ay.h"

/* Length of the UTF-8 sequence at s (at most n >= 1 bytes) and its code
 * point in *cp; 0 when it is not well-formed UTF-8 (overlong, surrogate,
 * past U+10FFFF, truncated). */
size_t ay_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Whether code point cp changes how text around it shows rather than
 * showing itself: C0 and C1 controls, DEL, bidi controls, U+2028/U+2029. */
bool ay_cp_hidden(uint32_t cp);

/* Make s (NUL-terminated UTF-8) one line, in place: every run of control
 * characters (C0 but TAB, so CR and LF; DEL; C1) and of U+2028/U+2029
 * becomes one space. Returns the new length. */
size_t ay_oneline(char *s);

/* A file name safe to store, show and send: in[0..len) (may hold NUL
 * bytes, which do not cut it short) without control characters, bidi
 * controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) and
 * invalid UTF-8; '/' and '\' become '_'; blanks and dots at the ends go;
 * at most 200 bytes, cut at a character boundary. An empty result gives
 * fallback. Writes at most outlen bytes with the NUL (outlen >= 2). */
void ay_filename_clean(const char *in, size_t len, const char *fallback,
		       char *out, size_t outlen);

/* Characters (code points) of valid UTF-8 text. */
size_t ay_utf8_chars(const char *s);
/* Copy src into dst[size], cut at a UTF-8 character boundary. */
void ay_utf8_trim_copy(char *dst, size_t size, const char *src);
/* The unaccented lowercase ASCII letter of a Latin-1 letter written in
 * UTF-8 as 0xC3 b (b in 0x80..0xBF: "É" -> 'e', "ñ" -> 'n'); 0 for the
 * signs that are no letter (×, ÷). */
char ay_latin1_fold(unsigned char b);

/* The next word of *p as the full-text indexes see it (unicode61): a run of
 * ASCII letters and digits and of any byte >= 0x80 (UTF-8 letters). Sets
 * *len and moves *p past the word; NULL (and *len 0) when no word is left. */
const unsigned char *ay_next_word(const unsigned char **p, size_t *len);

#endif
