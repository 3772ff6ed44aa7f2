/* Shared libraries loaded at run time (dlopen) instead of linked, so that
 * a command that never needs one (and the dozens of libraries it brings)
 * does not pay for it: libpq (store/pq_dl.c), libcurl (mail/curl_dl.c),
 * libmicrohttpd (http/mhd_dl.c). Each loader keeps its table of function
 * pointers and calls ay_dl_load() once, under pthread_once. */
#ifndef AY_UTIL_DL_H
#define AY_UTIL_DL_H

#include "util/ay.h"

/* A library to load. */
struct ay_dl_lib {
	const char *name;	  /* as people call it: "libpq" */
	const char *package;	  /* the Debian package that installs it */
	const char *const *files; /* the sonames to try in turn, NULL last */
};

/* One function to look up: its name in the library and the address of the
 * function pointer that receives it (of the right type: the caller's). */
struct ay_dl_sym {
	const char *name;
	void *slot;
};

/* Open the first of lib->files that loads and look up the n functions of
 * syms into their slots. AY_EIO when no file loads ("cannot load libpq
 * (apt-get install libpq5)", with dlerror()'s reason) or one lacks a
 * function (the library's file and the function named), each logged;
 * slots already filled are then left as they are, and must not be used.
 * The library stays loaded for the life of the process. */
ay_rc ay_dl_load(const struct ay_dl_lib *lib, const struct ay_dl_sym *syms,
		 size_t n) AY_MUST_CHECK;

#endif
