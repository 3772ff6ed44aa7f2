/* Shared libraries loaded at run time (see dl.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util/dl.h"
#include "util/log.h"

/* The first of lib->files that dlopen() loads, and its name in *file;
 * NULL with the reason logged when none does. */
static void *open_first(const struct ay_dl_lib *lib, const char **file)
{
	char msg[160];
	void *h = NULL;

	for (size_t i = 0; !h && lib->files[i]; i++) {
		h = dlopen(lib->files[i], RTLD_NOW | RTLD_LOCAL);
		*file = lib->files[i];
	}
	if (!h) {
		snprintf(msg, sizeof(msg),
			 "cannot load %s (apt-get install %s)", lib->name,
			 lib->package);
		log_error(msg, "err=\"%s\"", dlerror());
	}
	return h;
}

ay_rc ay_dl_load(const struct ay_dl_lib *lib, const struct ay_dl_sym *syms,
		 size_t n)
{
	const char *file = NULL;
	void *h = open_first(lib, &file);
	char msg[160];

	if (!h)
		return AY_EIO;
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);

		if (!p) {
			snprintf(msg, sizeof(msg), "%s lacks a function",
				 lib->name);
			log_error(msg, "lib=%s name=%s", file, syms[i].name);
			return AY_EIO;
		}
		/* A function pointer from an object pointer: POSIX's way. */
		memcpy(syms[i].slot, &p, sizeof(p));
	}
	return AY_OK;
}
