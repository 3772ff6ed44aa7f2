#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

/* The English catalog, embedded at build time (NUL-terminated). */
__asm__(".section .rodata\n"
	".global ay_po_en\n"
	"ay_po_en:\n"
	".incbin \"" AY_SOURCE_DIR "/po/en.po\"\n"
	".byte 0\n"
	".previous\n");
extern const char ay_po_en[];

struct pair {
	char *id, *str;
};

static struct pair *pairs;
static size_t npairs;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Append the quoted C string starting at p (after the opening quote) to
 * out, decoding escapes; returns the position after the closing quote. */
static const char *unquote(const char *p, char **out, size_t *len)
{
	char *s = realloc(*out, *len + strlen(p) + 1);

	if (!s)
		return NULL;
	*out = s;
	for (; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\' && p[1]) {
			p++;
			c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		}
		s[(*len)++] = c;
	}
	s[*len] = '\0';
	return *p ? p + 1 : p;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct pair *)a)->id,
		      ((const struct pair *)b)->id);
}

static void flush(char **id, char **str)
{
	if (*id && *str && **id && **str) {
		struct pair *np = realloc(pairs, (npairs + 1) * sizeof(*np));

		if (np) {
			pairs = np;
			pairs[npairs].id = *id;
			pairs[npairs].str = *str;
			npairs++;
			*id = *str = NULL;
		}
	}
	free(*id);
	free(*str);
	*id = *str = NULL;
}

/* Parse the catalog: msgid/msgstr entries with continuation lines. */
static void load(void)
{
	size_t idlen = 0, slen = 0;
	char *id = NULL, *str = NULL;
	int in = 0; /* 1: in msgid, 2: in msgstr */

	for (const char *p = ay_po_en; *p;) {
		const char *eol = strchrnul(p, '\n');

		if (!strncmp(p, "msgid \"", 7)) {
			flush(&id, &str);
			idlen = slen = 0;
			in = 1;
			unquote(p + 7, &id, &idlen);
		} else if (!strncmp(p, "msgstr \"", 8)) {
			in = 2;
			unquote(p + 8, &str, &slen);
		} else if (*p == '"' && in) {
			if (in == 1)
				unquote(p + 1, &id, &idlen);
			else
				unquote(p + 1, &str, &slen);
		} else {
			in = 0;
		}
		p = *eol ? eol + 1 : eol;
	}
	flush(&id, &str);
	qsort(pairs, npairs, sizeof(*pairs), cmp);
}

const char *i18n(const char *lang, const char *msgid)
{
	struct pair key = {.id = (char *)msgid}, *hit;

	if (!lang || strcmp(lang, "en"))
		return msgid;
	pthread_once(&once, load);
	hit = bsearch(&key, pairs, npairs, sizeof(*pairs), cmp);
	return hit ? hit->str : msgid;
}
