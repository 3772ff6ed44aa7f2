/* Growable arrays (see grow.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"

#define GROW_MIN 16

ay_rc ay_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t nc = *cap;
	void *old, *p;

	if (n <= *cap)
		return AY_OK;
	nc = nc > SIZE_MAX / 2 ? SIZE_MAX : nc * 2;
	if (nc < GROW_MIN)
		nc = GROW_MIN;
	if (nc < n)
		nc = n;
	if (!size || nc > SIZE_MAX / size)
		return AY_ENOMEM;
	/* The pointer is read and written as bytes: v may point at any
	 * object pointer type. */
	memcpy(&old, v, sizeof(old));
	p = realloc(old, nc * size);
	if (!p)
		return AY_ENOMEM;
	memcpy(v, &p, sizeof(p));
	*cap = nc;
	return AY_OK;
}
