/* For fuzz targets that need a database: a store with the demo data in a
 * temporary directory, made once per process and removed at exit. */
#ifndef AY_FUZZ_STORE_H
#define AY_FUZZ_STORE_H

#include <stdio.h>
#include <stdlib.h>

#include "domain/demo.h"
#include "domain/sla.h"
#include "store/db.h"

static struct store *fuzz_st;
static char fuzz_dir[64];

static void fuzz_store_remove(void)
{
	char cmd[128];

	store_close(fuzz_st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", fuzz_dir);
}

static ay_rc fuzz_seed(struct db *db, void *arg)
{
	json_t *logins = NULL;
	ay_rc rc = sla_seed_defaults(db);

	(void)arg;
	if (!rc)
		rc = demo_seed(db, &logins);
	json_decref(logins);
	return rc;
}

/* The store, opened on first use; aborts when it cannot be made. */
static struct store *fuzz_store(void)
{
	if (fuzz_st)
		return fuzz_st;
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/ayuda-fuzz-XXXXXX");
	if (!mkdtemp(fuzz_dir) || store_open(fuzz_dir, true, &fuzz_st) ||
	    store_write(fuzz_st, fuzz_seed, NULL))
		abort();
	atexit(fuzz_store_remove);
	return fuzz_st;
}

#endif
