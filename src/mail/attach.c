/* Attachment policy: type by content (mail/sniff.c, else libmagic), size
 * limits. */
#include <ctype.h>
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/attach.h"
#include "mail/sniff.h"

#define SNIFF_MAX ((size_t)1 << 20)

static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static pthread_key_t magic_key;
static bool magic_key_ok;

static void magic_destroy(void *p)
{
	magic_close((magic_t)p);
}

static void magic_key_init(void)
{
	magic_key_ok = pthread_key_create(&magic_key, magic_destroy) == 0;
}

/* Borrowed: this thread's libmagic handle (opened on first use), or NULL. */
static magic_t thread_magic(void)
{
	magic_t m;

	pthread_once(&magic_once, magic_key_init);
	if (!magic_key_ok)
		return NULL;
	m = pthread_getspecific(magic_key);
	if (m)
		return m;
	m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!m)
		return NULL;
	if (magic_load(m, NULL) != 0 || pthread_setspecific(magic_key, m)) {
		magic_close(m);
		return NULL;
	}
	return m;
}

/* Does the name say text (.txt, .log)? */
static bool text_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > 4 && (!strcasecmp(name + n - 4, ".txt") ||
			 !strcasecmp(name + n - 4, ".log"));
}

void mail_sniff_type_named(const void *data, size_t len, const char *name,
			   char *out, size_t outlen)
{
	const char *t = NULL;

	if (len == 0)
		t = "application/x-empty";
	else
		t = mail_sniff_fast(data, len > SNIFF_MAX ? SNIFF_MAX : len,
				    text_name(name));
	if (!t) {
		magic_t m = thread_magic();

		if (m)
			t = magic_buffer(m, data,
					 len > SNIFF_MAX ? SNIFF_MAX : len);
	}
	snprintf(out, outlen, "%s", t ? t : "application/octet-stream");
}

void mail_sniff_type(const void *data, size_t len, char *out, size_t outlen)
{
	mail_sniff_type_named(data, len, NULL, out, outlen);
}

static const char *const default_types[] = {
	"image/png",	   "image/gif",		"image/jpeg",
	"application/zip", "application/x-rar", "application/vnd.rar",
	"application/pdf", "text/plain",
};

void mail_attach_policy_default(struct mail_attach_policy *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < AY_ARRAY_LEN(default_types); i++)
		snprintf(p->types[i], sizeof(p->types[i]), "%s",
			 default_types[i]);
	p->ntypes = AY_ARRAY_LEN(default_types);
	p->max_file = MAIL_ATTACH_DEFAULT_LIMIT;
	p->max_message = MAIL_ATTACH_DEFAULT_LIMIT;
}

static bool valid_type(const char *t)
{
	const char *slash = strchr(t, '/');
	size_t i;

	if (!slash || slash == t || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (i = 0; t[i]; i++)
		if (!(isalnum((unsigned char)t[i]) || strchr("/.+-_", t[i])))
			return false;
	return true;
}

ay_rc mail_attach_policy_parse(struct mail_attach_policy *p, const char *list)
{
	char types[MAIL_ATTACH_MAX_TYPES][64];
	size_t n = 0, k;
	const char *s = list ? list : "";

	while (*s) {
		const char *e;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (!*s)
			break;
		e = s + strcspn(s, ",");
		k = (size_t)(e - s);
		while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
			k--;
		if (n == MAIL_ATTACH_MAX_TYPES)
			return AY_ETOOBIG;
		if (k >= sizeof(types[0]))
			return AY_EINVAL;
		memcpy(types[n], s, k);
		types[n][k] = '\0';
		for (k = 0; types[n][k]; k++)
			types[n][k] = (char)tolower((unsigned char)types[n][k]);
		if (!valid_type(types[n]))
			return AY_EINVAL;
		n++;
		s = e;
	}
	memcpy(p->types, types, sizeof(types));
	p->ntypes = n;
	return AY_OK;
}

static const struct {
	const char *type;
	const char *what;
} type_names[] = {
	{"image/bmp", "una imagen BMP"},
	{"image/x-ms-bmp", "una imagen BMP"},
	{"image/tiff", "una imagen TIFF"},
	{"image/webp", "una imagen WebP"},
	{"image/svg+xml", "una imagen SVG"},
	{"application/x-dosexec", "un programa ejecutable"},
	{"application/x-executable", "un programa ejecutable"},
	{"application/x-sharedlib", "un programa ejecutable"},
	{"application/x-msi", "un instalador de Windows"},
	{"application/msword", "un documento de Word"},
	{"application/vnd.ms-excel", "una hoja de cálculo de Excel"},
	{"application/x-7z-compressed", "un archivo 7-Zip"},
	{"application/gzip", "un archivo gzip"},
	{"application/x-tar", "un archivo tar"},
	{"text/html", "una página HTML"},
	{"text/x-php", "un programa PHP"},
	{"application/x-empty", "un archivo vacío"},
};

static const char *describe(const char *t)
{
	size_t i;

	for (i = 0; i < AY_ARRAY_LEN(type_names); i++)
		if (!strcmp(t, type_names[i].type))
			return type_names[i].what;
	if (!strncmp(t, "image/", 6))
		return "una imagen de un tipo no admitido";
	if (!strncmp(t, "video/", 6))
		return "un vídeo";
	if (!strncmp(t, "audio/", 6))
		return "un audio";
	if (!strncmp(t, "application/vnd.openxmlformats", 30))
		return "un documento de Office";
	return NULL;
}

ay_rc mail_attachment_check(const struct mail_attach_policy *p,
			    const struct mail_attachment *a, char *why,
			    size_t whylen)
{
	char sniffed[128];
	const char *t = a->sniffed_type, *what;
	const char *name = a->filename ? a->filename : "adjunto";
	size_t i;

	if (why && whylen)
		why[0] = '\0';
	if (p->max_file && a->len > p->max_file) {
		if (why)
			snprintf(why, whylen,
				 "el archivo «%s» ocupa %.1f MiB y el máximo "
				 "es %.1f MiB",
				 name, (double)a->len / 1048576.0,
				 (double)p->max_file / 1048576.0);
		return AY_ETOOBIG;
	}
	if (!t) {
		mail_sniff_type_named(a->data ? (const void *)a->data : "",
				      a->len, a->filename, sniffed,
				      sizeof(sniffed));
		t = sniffed;
	}
	for (i = 0; i < p->ntypes; i++)
		if (!strcmp(t, p->types[i]))
			return AY_OK;
	if (!why)
		return AY_EPERM;
	what = describe(t);
	if (what)
		snprintf(why, whylen,
			 "el archivo «%s» es %s; %s en un archivo ZIP o RAR",
			 name, what,
			 !strncmp(what, "una ", 4) ? "envíela comprimida"
						   : "envíelo comprimido");
	else
		snprintf(why, whylen,
			 "el archivo «%s» es de un tipo no admitido (%s); "
			 "envíelo comprimido en un archivo ZIP o RAR",
			 name, t);
	return AY_EPERM;
}

ay_rc mail_attachments_check(const struct mail_attach_policy *p,
			     const struct mail_attachment *att, size_t n,
			     char *why, size_t whylen)
{
	size_t i, total = 0;
	ay_rc rc;

	for (i = 0; i < n; i++) {
		rc = mail_attachment_check(p, &att[i], why, whylen);
		if (rc)
			return rc;
		total += att[i].len;
		if (p->max_message && total > p->max_message) {
			if (why)
				snprintf(why, whylen,
					 "los adjuntos del mensaje ocupan más "
					 "de %.1f MiB en total",
					 (double)p->max_message / 1048576.0);
			return AY_ETOOBIG;
		}
	}
	return AY_OK;
}
