/* Case and accent folding with ICU (see fold.h). */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "util/fold.h"

/* The ASCII case: each letter lowercased, nothing else to do. */
static char *fold_ascii(const char *s, size_t n, size_t *len)
{
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		out[i] = c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* u[0..*n) decomposed (NFD) into a new buffer without its nonspacing
 * marks; *n gets the new length. NULL when memory ran out. */
static UChar *strip_marks(const UChar *u, int32_t *n)
{
	const UNormalizer2 *nfd;
	UErrorCode e = U_ZERO_ERROR;
	UChar *d;
	int32_t cap, dn, o = 0;

	nfd = unorm2_getNFDInstance(&e);
	if (U_FAILURE(e))
		return NULL;
	cap = unorm2_normalize(nfd, u, *n, NULL, 0, &e) + 1;
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	d = malloc((size_t)cap * sizeof(*d));
	if (!d)
		return NULL;
	dn = unorm2_normalize(nfd, u, *n, d, cap, &e);
	if (U_FAILURE(e)) {
		free(d);
		return NULL;
	}
	for (int32_t i = 0; i < dn;) {
		int32_t at = o;
		UChar32 c;

		U16_NEXT(d, i, dn, c);
		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		U16_APPEND_UNSAFE(d, at, c);
		o = at;
	}
	*n = o;
	return d;
}

char *ay_fold(const char *s, size_t n, size_t *len)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar *u = NULL, *f = NULL, *d = NULL;
	int32_t un = 0, fn;
	char *out = NULL;
	int32_t on = 0;
	size_t i;

	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n)
		return fold_ascii(s, n, len);
	if (n > INT32_MAX / 4)
		return NULL;
	u = malloc((n + 1) * sizeof(*u));
	if (!u)
		goto out;
	u_strFromUTF8WithSub(u, (int32_t)n + 1, &un, s, (int32_t)n, 0xfffd,
			     NULL, &e);
	if (U_FAILURE(e))
		goto out;
	/* Folding grows a unit to at most 3 ("ΐ" -> 3 units). */
	f = malloc(((size_t)un * 3 + 1) * sizeof(*f));
	if (!f)
		goto out;
	fn = u_strFoldCase(f, un * 3 + 1, u, un, U_FOLD_CASE_DEFAULT, &e);
	if (U_FAILURE(e))
		goto out;
	d = strip_marks(f, &fn);
	if (!d)
		goto out;
	u_strToUTF8(NULL, 0, &on, d, fn, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		goto out;
	e = U_ZERO_ERROR;
	out = malloc((size_t)on + 1);
	if (!out)
		goto out;
	u_strToUTF8(out, on + 1, &on, d, fn, &e);
	if (U_FAILURE(e)) {
		free(out);
		out = NULL;
		goto out;
	}
	*len = (size_t)on;
out:
	free(u);
	free(f);
	free(d);
	return out;
}
