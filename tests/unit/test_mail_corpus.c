/* Parse every message of tests/data/mail/zammad and compare sender,
 * subject and attachment count with index.tsv; every difference must be
 * listed in tests/data/mail/known-differences.tsv, and every listed
 * difference must still differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "mail/parse.h"
#include "util/buf.h"

#define MAX_ROWS 512

struct known {
	char *file, *field, *expected, *ours;
	bool seen;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, (size_t)64 << 20);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		if (buf_add(&b, tmp, n))
			break;
	fclose(f);
	if (buf_add(&b, "", 0))
		return NULL;
	return buf_take(&b, len);
}

/* Undo the index.tsv escaping (\\, \t, \n, \r) in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*d++ = *s == 't'   ? '\t'
			       : *s == 'n' ? '\n'
			       : *s == 'r' ? '\r'
					   : *s;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static void escape(const char *s, struct buf *b)
{
	for (; s && *s; s++) {
		const char *e = NULL;

		if (*s == '\\')
			e = "\\\\";
		else if (*s == '\t')
			e = "\\t";
		else if (*s == '\n')
			e = "\\n";
		else if (*s == '\r')
			e = "\\r";
		if (e ? buf_adds(b, e) : buf_addc(b, *s))
			return;
	}
}

/* Split a line on tabs into at most max fields; returns the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		char *t = strchr(line, '\t');

		f[n++] = line;
		if (!t)
			break;
		*t = '\0';
		line = t + 1;
	}
	return n;
}

static size_t load_known(const char *dir, struct known *k, size_t max)
{
	char path[4096], *data, *line, *save = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/known-differences.tsv", dir);
	data = slurp(path, NULL);
	if (!data)
		return 0;
	for (line = strtok_r(data, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5];

		if (line[0] == '#' || !strncmp(line, "file\t", 5))
			continue;
		if (split(line, f, 5) != 5)
			continue;
		unescape(f[2]);
		unescape(f[3]);
		k[n].file = strdup(f[0]);
		k[n].field = strdup(f[1]);
		k[n].expected = strdup(f[2]);
		k[n].ours = strdup(f[3]);
		k[n].seen = false;
		n++;
	}
	free(data);
	return n;
}

static struct known *find_known(struct known *k, size_t n, const char *file,
				const char *field)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(k[i].file, file) && !strcmp(k[i].field, field))
			return &k[i];
	return NULL;
}

/* One comparison; returns true when it matched or is a listed difference
 * with the same values. */
static bool check(struct known *k, size_t nk, const char *file,
		  const char *field, const char *expected, const char *ours,
		  bool equal, int *bad)
{
	struct known *x = find_known(k, nk, file, field);
	struct buf e, o;

	if (equal) {
		if (x) {
			printf("STALE known difference %s %s: now matches\n",
			       file, field);
			x->seen = true;
			(*bad)++;
		}
		return true;
	}
	if (x && !strcmp(x->expected, expected) && !strcmp(x->ours, ours)) {
		x->seen = true;
		return false;
	}
	buf_init(&e, 1 << 20);
	buf_init(&o, 1 << 20);
	escape(expected, &e);
	escape(ours, &o);
	printf("UNLISTED\t%s\t%s\t%s\t%s\t%s\n", file, field, buf_str(&e),
	       buf_str(&o), x ? "(listed with other values)" : "?");
	if (x)
		x->seen = true;
	buf_release(&e);
	buf_release(&o);
	(*bad)++;
	return false;
}

static void test_corpus(void **state)
{
	const char *src = getenv("AY_SOURCE_DIR");
	char dir[2048], path[4096], *index, *line, *save = NULL;
	struct known *known = calloc(MAX_ROWS, sizeof(*known));
	size_t nk, i;
	int files = 0, checks = 0, matched = 0, bad = 0;
	struct mail_parse_opts opts = {"ayuda-test", 0};

	(void)state;
	assert_non_null(known);
	snprintf(dir, sizeof(dir), "%s/tests/data/mail",
		 src ? src : AY_SOURCE_DIR);
	snprintf(path, sizeof(path), "%s/index.tsv", dir);
	index = slurp(path, NULL);
	assert_non_null(index);
	nk = load_known(dir, known, MAX_ROWS);
	for (line = strtok_r(index, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[8], *data, natt[32], nexp[32];
		size_t len;
		struct mail_msg *m = NULL;
		char err[256];
		ay_rc rc;
		bool eq;

		if (!strncmp(line, "file\t", 5))
			continue;
		if (split(line, f, 8) < 5)
			continue;
		unescape(f[1]);
		unescape(f[2]);
		snprintf(path, sizeof(path), "%s/zammad/%s", dir, f[0]);
		data = slurp(path, &len);
		assert_non_null(data);
		rc = mail_parse(data, len, &opts, &m, err, sizeof(err));
		free(data);
		if (rc) {
			printf("FAIL %s: %s\n", f[0], err);
			bad++;
			continue;
		}
		files++;
		eq = m->from_addr && !strcasecmp(m->from_addr, f[1]);
		matched += check(known, nk, f[0], "from_email", f[1],
				 m->from_addr ? m->from_addr : "", eq, &bad);
		eq = !strcmp(m->subject, f[2]);
		matched += check(known, nk, f[0], "subject", f[2], m->subject,
				 eq, &bad);
		snprintf(natt, sizeof(natt), "%zu", m->natt);
		snprintf(nexp, sizeof(nexp), "%s", f[4]);
		eq = !strcmp(natt, nexp);
		matched += check(known, nk, f[0], "attachments", nexp, natt, eq,
				 &bad);
		checks += 3;
		mail_msg_free(m);
	}
	for (i = 0; i < nk; i++) {
		if (!known[i].seen) {
			printf("STALE known difference %s %s: no such file\n",
			       known[i].file, known[i].field);
			bad++;
		}
		free(known[i].file);
		free(known[i].field);
		free(known[i].expected);
		free(known[i].ours);
	}
	free(known);
	free(index);
	printf("mail corpus: %d files, %d/%d fields match (%.1f%%), "
	       "%zu known differences, %d problems\n",
	       files, matched, checks, checks ? 100.0 * matched / checks : 0.0,
	       nk, bad);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
