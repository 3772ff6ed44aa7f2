/* Figures of the background work (jobstat.h). */
#include <stdatomic.h>

#include "util/jobstat.h"

static _Atomic int64_t figures[JOBSTAT_N];

void jobstat_add(enum jobstat k, int64_t d)
{
	atomic_fetch_add_explicit(&figures[k], d, memory_order_relaxed);
}

int64_t jobstat_get(enum jobstat k)
{
	return atomic_load_explicit(&figures[k], memory_order_relaxed);
}
