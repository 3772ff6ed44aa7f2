/* The rules of `ayuda doctor` and its report. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/doctor.h"
#include "domain/user.h"
#include "util/i18n.h"

#define MIB (1024ull * 1024)

void doctor_init(struct doctor_report *r, const char *lang)
{
	memset(r, 0, sizeof(*r));
	r->lang = lang && !strcmp(lang, "en") ? "en" : "es";
}

void doctor_add(struct doctor_report *r, const char *key,
		enum doctor_state state, const char *fmt, ...)
{
	struct doctor_item *it;
	va_list ap;

	if (r->n == AY_ARRAY_LEN(r->items))
		return;
	it = &r->items[r->n++];
	snprintf(it->key, sizeof(it->key), "%s", key);
	it->state = state;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof(it->text), i18n(r->lang, fmt), ap);
	va_end(ap);
}

/* Print s with every secret of the report replaced by "***". */
static void put_clean(const struct doctor_report *r, const char *s, FILE *f)
{
	while (*s) {
		size_t skip = 0;

		for (size_t i = 0; i < AY_ARRAY_LEN(r->secrets); i++) {
			const char *x = r->secrets[i];

			if (x && *x && !strncmp(s, x, strlen(x)))
				skip = strlen(x);
		}
		if (skip) {
			fputs("***", f);
			s += skip;
		} else {
			fputc(*s++, f);
		}
	}
}

int doctor_print(const struct doctor_report *r, FILE *f)
{
	int failed = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct doctor_item *it = &r->items[i];
		const char *st = it->state == DOCTOR_OK ? "ok"
				 : it->state == DOCTOR_SKIP
					 ? "--"
					 : i18n(r->lang, "FALLA");

		fprintf(f, "%-6s %s: ", st, it->key);
		put_clean(r, it->text, f);
		fputc('\n', f);
		failed += it->state == DOCTOR_FAIL;
	}
	if (failed)
		fprintf(f, i18n(r->lang, "%d comprobaciones fallaron.\n"),
			failed);
	else
		fputs(i18n(r->lang, "Todo en orden.\n"), f);
	return failed;
}

bool doctor_host_is_local(const char *host)
{
	return !strcasecmp(host, "localhost") ||
	       !strncasecmp(host, "localhost.", 10) ||
	       !strncmp(host, "127.", 4) || !strcmp(host, "[::1]") ||
	       !strcmp(host, "::1") || !strcmp(host, "0.0.0.0");
}

/* The host of an http(s) URL into host; false when it has none. */
static bool url_host(const char *url, char *host, size_t n, bool *https)
{
	const char *p, *end;

	*https = !strncasecmp(url, "https://", 8);
	if (!*https && strncasecmp(url, "http://", 7))
		return false;
	p = url + (*https ? 8 : 7);
	if (*p == '[')
		end = strchr(p, ']') ? strchr(p, ']') + 1 : p;
	else
		end = p + strcspn(p, ":/?#");
	if (end == p || (size_t)(end - p) >= n)
		return false;
	snprintf(host, n, "%.*s", (int)(end - p), p);
	return true;
}

void doctor_base_url(struct doctor_report *r, const char *base_url)
{
	char host[256];
	bool https;

	if (!url_host(base_url, host, sizeof(host), &https))
		doctor_add(r, "base_url", DOCTOR_FAIL,
			   "«%s» no es una dirección http(s) completa; ponga "
			   "en [server] base_url la dirección pública, p. ej. "
			   "https://ayuda.example.com",
			   base_url);
	else if (doctor_host_is_local(host))
		doctor_add(r, "base_url", DOCTOR_FAIL,
			   "%s solo se abre en este equipo: los enlaces del "
			   "correo no servirán; ponga en [server] base_url la "
			   "dirección pública https:// del proxy",
			   base_url);
	else if (!https)
		doctor_add(r, "base_url", DOCTOR_FAIL,
			   "%s no usa https: las contraseñas y las cookies "
			   "viajarían sin cifrar; ponga un proxy con TLS "
			   "delante y una dirección https://",
			   base_url);
	else
		doctor_add(r, "base_url", DOCTOR_OK, "%s", base_url);
}

void doctor_support_address(struct doctor_report *r, const char *addr,
			    const char *domain)
{
	const char *at = strrchr(addr, '@');

	if (!user_email_ok(addr) || !at)
		doctor_add(r, "support_address", DOCTOR_FAIL,
			   "«%s» no es una dirección de correo; ponga en "
			   "[mail] support_address la dirección de soporte",
			   addr);
	else if (!strcasecmp(at + 1, "ayuda.localhost"))
		doctor_add(r, "support_address", DOCTOR_FAIL,
			   "%s es la dirección de ejemplo; ponga en [mail] "
			   "support_address la dirección de soporte real",
			   addr);
	else if (strcasecmp(domain, at + 1))
		doctor_add(r, "support_address", DOCTOR_FAIL,
			   "[mail] domain es «%s» pero la dirección es %s; "
			   "ponga domain = %s",
			   domain, addr, at + 1);
	else
		doctor_add(r, "support_address", DOCTOR_OK, "%s", addr);
}

void doctor_disk(struct doctor_report *r, const char *dir, uint64_t avail,
		 uint64_t total)
{
	unsigned long long mib = (unsigned long long)(avail / MIB);

	if (avail < 1024 * MIB || avail < total / 20)
		doctor_add(r, "disk", DOCTOR_FAIL,
			   "quedan %llu MiB libres en %s: libere espacio o "
			   "amplíe el disco (hacen falta 1 GiB y el 5%%)",
			   mib, dir);
	else
		doctor_add(r, "disk", DOCTOR_OK, "%llu MiB libres", mib);
}

void doctor_mode(struct doctor_report *r, const char *key, const char *path,
		 unsigned mode, unsigned most)
{
	mode &= 07777;
	if (mode & ~most)
		doctor_add(r, key, DOCTOR_FAIL,
			   "%s tiene el modo %04o; arréglelo con: chmod %04o "
			   "%s",
			   path, mode, mode & most, path);
	else
		doctor_add(r, key, DOCTOR_OK, "%s, modo %04o", path, mode);
}

void doctor_proxy(struct doctor_report *r, const char *base_url,
		  const char *listen, const char *trusted_proxies)
{
	char host[256];
	bool https;

	if (!url_host(base_url, host, sizeof(host), &https) || !https ||
	    doctor_host_is_local(host) ||
	    (strncmp(listen, "127.", 4) && strncmp(listen, "[::1]", 5) &&
	     strncasecmp(listen, "localhost", 9)))
		doctor_add(r, "proxy", DOCTOR_SKIP,
			   "sin proxy inverso en este equipo");
	else if (!*trusted_proxies)
		doctor_add(r, "proxy", DOCTOR_FAIL,
			   "el servicio está detrás de un proxy pero no confía "
			   "en su X-Forwarded-For: todos los clientes parecen "
			   "el mismo para los límites y el registro; ponga en "
			   "[server] trusted_proxies = 127.0.0.1, ::1");
	else
		doctor_add(r, "proxy", DOCTOR_OK,
			   "X-Forwarded-For de confianza desde %s",
			   trusted_proxies);
}

void doctor_postfix_sizes(struct doctor_report *r, uint64_t message_limit,
			  uint64_t mailbox_limit, uint64_t max)
{
	if (message_limit && message_limit < max)
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "message_size_limit = %llu rechaza mensajes que "
			   "ayuda acepta; ejecute: postconf -e "
			   "'message_size_limit = %llu' && postfix reload",
			   (unsigned long long)message_limit,
			   (unsigned long long)max);
	else if (mailbox_limit &&
		 mailbox_limit < (message_limit ? message_limit : max))
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "mailbox_size_limit es menor que "
			   "message_size_limit y Postfix no arranca; "
			   "ejecute: postconf -e 'mailbox_size_limit = 0' && "
			   "postfix reload");
	else
		doctor_add(r, "postfix", DOCTOR_OK,
			   "message_size_limit admite mensajes de %llu MiB",
			   (unsigned long long)(max / MIB));
}

int doctor_pg_dump_major(const char *version)
{
	const char *p = version ? strstr(version, ") ") : NULL;

	if (!p || p[2] < '1' || p[2] > '9')
		return 0;
	return atoi(p + 2);
}

void doctor_pg_dump(struct doctor_report *r, int dump_major, int server_major)
{
	if (!server_major)
		doctor_add(r, "pg_dump", DOCTOR_FAIL,
			   "no se puede conectar con PostgreSQL ([store] url) "
			   "para comparar su versión con la de pg_dump, que "
			   "«ayuda backup» necesita");
	else if (!dump_major)
		doctor_add(r, "pg_dump", DOCTOR_FAIL,
			   "no se encuentra pg_dump, que «ayuda backup» "
			   "necesita con PostgreSQL; instálelo con: apt-get "
			   "install postgresql-client-%d",
			   server_major);
	else if (dump_major < server_major)
		doctor_add(r, "pg_dump", DOCTOR_FAIL,
			   "pg_dump es de PostgreSQL %d, más antiguo que el "
			   "servidor (%d), y no puede copiarlo: instale "
			   "postgresql-client-%d y que su pg_dump vaya primero "
			   "en el PATH",
			   dump_major, server_major, server_major);
	else
		doctor_add(r, "pg_dump", DOCTOR_OK,
			   "pg_dump %d para un servidor PostgreSQL %d",
			   dump_major, server_major);
}
