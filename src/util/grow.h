/* Growable arrays: the doubling every vector of ours does. */
#ifndef AY_UTIL_GROW_H
#define AY_UTIL_GROW_H

#include "util/ay.h"

/* Make room for at least n elements of size bytes in the array *v (NULL
 * when empty) of *cap elements: a larger cap doubles (at least 16, at
 * least n) and the array moves with realloc(). *v and *cap change only on
 * success; on failure the array stays as it was (AY_ENOMEM, an overflow
 * too). v is the address of any object pointer: (void **)&vec->items.
 * Use: if (ay_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v))). */
ay_rc ay_grow(void **v, size_t *cap, size_t n, size_t size) AY_MUST_CHECK;

#endif
