/* Text folded for matching as a person expects: case and accents do not
 * count ("ACME PERÚ", "Acme Perú" and "acme peru" fold alike). */
#ifndef AY_UTIL_FOLD_H
#define AY_UTIL_FOLD_H

#include "util/ay.h"

/* s[0..n) (UTF-8) with Unicode's case folding (ICU's default: "ß" ->
 * "ss") and without the combining marks canonical decomposition gives
 * ("Ú" -> "u", "ñ" -> "n"); ill-formed bytes become U+FFFD. ASCII text
 * takes a fast path. Returns: owned by caller, free with free(); NUL-
 * terminated, its length in *len; NULL when memory ran out. */
char *ay_fold(const char *s, size_t n, size_t *len) AY_MUST_CHECK;

#endif
