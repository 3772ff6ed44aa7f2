/* One-line text and file names (see str.h). */
#include <ctype.h>
#include <string.h>

#include "util/str.h"

#define NAME_MAX_BYTES 200

size_t ay_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		k = 2;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		k = 3;
		*cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		k = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 2 && *cp < 0x80) || (k == 3 && *cp < 0x800) ||
	    (k == 4 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return k;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool ay_cp_hidden(uint32_t cp)
{
	return is_control(cp) || is_bidi_control(cp) || cp == 0x2028 ||
	       cp == 0x2029;
}

size_t ay_oneline(char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), r = 0, w = 0;
	bool ctl = false; /* the last character written stands for controls */

	while (r < n) {
		uint32_t cp = 0;
		size_t k = ay_utf8_next(p + r, n - r, &cp);

		if (!k) { /* not UTF-8: kept as it is, byte by byte */
			s[w++] = s[r++];
			ctl = false;
			continue;
		}
		if ((is_control(cp) && cp != '\t') || cp == 0x2028 ||
		    cp == 0x2029) {
			if (!ctl)
				s[w++] = ' ';
			ctl = true;
			r += k;
			continue;
		}
		memmove(s + w, s + r, k);
		w += k;
		r += k;
		ctl = false;
	}
	s[w] = '\0';
	return w;
}

void ay_filename_clean(const char *in, size_t len, const char *fallback,
		       char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t max = outlen - 1 < NAME_MAX_BYTES ? outlen - 1 : NAME_MAX_BYTES;
	size_t r = 0, w = 0, start, end;

	while (in && r < len) {
		uint32_t cp = 0;
		size_t k = ay_utf8_next(p + r, len - r, &cp);

		if (!k) {
			r++;
			continue;
		}
		if (is_control(cp) || is_bidi_control(cp) || cp == 0x2028 ||
		    cp == 0x2029) {
			r += k;
			continue;
		}
		if (w + k > max)
			break;
		if (cp == '/' || cp == '\\')
			out[w] = '_';
		else
			memcpy(out + w, in + r, k);
		w += k;
		r += k;
	}
	out[w] = '\0';
	/* No leading dots (hidden files, "..") and no blanks at the ends. */
	for (start = 0; out[start] == ' ' || out[start] == '.'; start++)
		;
	for (end = w;
	     end > start && (out[end - 1] == ' ' || out[end - 1] == '.'); end--)
		;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	if (!out[0]) {
		size_t n = strlen(fallback);

		if (n > outlen - 1)
			n = outlen - 1;
		memcpy(out, fallback, n);
		out[n] = '\0';
	}
}

size_t ay_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void ay_utf8_trim_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

char ay_latin1_fold(unsigned char b)
{
	/* U+00C0 .. U+00FF after their lead byte 0xC3 (0x80 .. 0xBF): the
	 * capitals and the small letters fold alike. */
	static const char map[] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";

	if (b < 0x80 || b > 0xBF)
		return 0;
	return map[(b - 0x80) & 0x1F];
}

const unsigned char *ay_next_word(const unsigned char **p, size_t *len)
{
	const unsigned char *s = *p, *w;

	while (*s && *s < 0x80 && !isalnum(*s))
		s++;
	w = s;
	while (*s && (*s >= 0x80 || isalnum(*s)))
		s++;
	*p = s;
	*len = (size_t)(s - w);
	return *len ? w : NULL;
}
