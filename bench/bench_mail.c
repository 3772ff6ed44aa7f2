/* Parse the mail corpus N times and print messages/s.
 * Usage: bench_mail [N] [DIR] (defaults 20, the source tree's corpus). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail/parse.h"
#include "util/buf.h"

struct file {
	char *data;
	size_t len;
};

static int load(const char *dir, struct file **out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[4096], tmp[65536];
		struct buf b;
		size_t k;
		FILE *f;

		k = strlen(e->d_name);
		if (k < 4 || strcmp(e->d_name + k - 4, ".box"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		buf_init(&b, MAIL_MAX_RAW);
		while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
			if (buf_add(&b, tmp, k))
				break;
		fclose(f);
		if (*n == cap) {
			cap = cap ? cap * 2 : 128;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				return -1;
		}
		(*out)[*n].len = b.len;
		(*out)[*n].data = buf_take(&b, NULL);
		(*n)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	const char *dir =
		argc > 2 ? argv[2] : AY_SOURCE_DIR "/tests/data/mail/zammad";
	struct file *files;
	size_t n, i, bytes = 0, msgs = 0, fails = 0;
	struct timespec t0, t1;
	double s;
	int r;

	if (load(dir, &files, &n) || !n) {
		fprintf(stderr, "bench_mail: no .box files in '%s'\n", dir);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			struct mail_msg *m = NULL;

			if (mail_parse(files[i].data, files[i].len, NULL, &m,
				       NULL, 0))
				fails++;
			mail_msg_free(m);
			bytes += files[i].len;
			msgs++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bench_mail: %zu messages (%zu files x %d) in %.2f s: "
	       "%.0f messages/s, %.1f MB/s, %zu failed\n",
	       msgs, n, rounds, s, (double)msgs / s, (double)bytes / s / 1e6,
	       fails);
	for (i = 0; i < n; i++)
		free(files[i].data);
	free(files);
	return fails ? 1 : 0;
}
