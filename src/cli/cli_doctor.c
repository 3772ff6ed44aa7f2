/* `ayuda doctor`: gathers the facts (files, disk, the mail servers, the
 * proxy, Postfix) and lets src/domain/doctor.c judge them. Reads only:
 * it never opens the database, so running it as root leaves nothing
 * behind. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "cli/cli.h"
#include "domain/doctor.h"
#include "mail/curl_dl.h"
#include "mail/imap.h"
#include "mail/parse.h"
#include "mail/smtp.h"
#include "store/db.h"
#include "util/config.h"

struct facts {
	const char *dir;
	struct stat st; /* of dir */
	char owner[64], group[64];
	struct ay_config cfg;
	bool cfg_ok;
};

/* Files below dir (three levels: raw/ and attachments/ and what they
 * hold) that do not belong to uid; the first one found into first. */
static size_t foreign_files(const char *dir, uid_t uid, int depth, char *first,
			    size_t n)
{
	size_t count = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct stat sb;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &sb))
			continue;
		if (sb.st_uid != uid) {
			if (!count++ && !first[0])
				snprintf(first, n, "%s", path);
		}
		if (S_ISDIR(sb.st_mode) && depth > 1)
			count += foreign_files(path, uid, depth - 1, first, n);
	}
	closedir(d);
	return count;
}

static void check_files(struct doctor_report *r, struct facts *f)
{
	char first[PATH_MAX] = "", path[PATH_MAX];
	struct stat sb;
	size_t bad;

	if (f->st.st_uid == 0)
		doctor_add(r, "data", DOCTOR_FAIL,
			   "%s pertenece a root, pero el servicio corre como "
			   "su propio usuario; ejecute: useradd --system "
			   "--home-dir %s --shell /usr/sbin/nologin ayuda; "
			   "chown -R ayuda:ayuda %s",
			   f->dir, f->dir, f->dir);
	else
		doctor_add(r, "data", DOCTOR_OK, "%s, de %s:%s", f->dir,
			   f->owner, f->group);
	doctor_mode(r, "data", f->dir, f->st.st_mode, 0750);
	bad = foreign_files(f->dir, f->st.st_uid, 3, first, sizeof(first));
	if (bad)
		doctor_add(r, "files", DOCTOR_FAIL,
			   "%zu archivos no son de %s (p. ej. %s): el servicio "
			   "no podrá escribirlos; ejecute: chown -R %s:%s %s",
			   bad, f->owner, first, f->owner, f->group, f->dir);
	else
		doctor_add(r, "files", DOCTOR_OK, "todos son de %s", f->owner);
	snprintf(path, sizeof(path), "%s/vault.key", f->dir);
	if (stat(path, &sb))
		doctor_add(r, "vault.key", DOCTOR_FAIL,
			   "falta %s: sin ella no se leen los secretos "
			   "guardados; restáurela de su copia aparte",
			   path);
	else
		doctor_mode(r, "vault.key", path, sb.st_mode, 0600);
}

static size_t discard_cb(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Through the reverse proxy, as the public sees us. */
static void check_proxy_answers(struct doctor_report *r,
				const struct ay_config *c)
{
	char url[400];
	long code = 0;
	CURLcode cc = CURLE_FAILED_INIT;
	CURL *h;

	snprintf(url, sizeof(url), "%s/healthz", c->base_url);
	if (!mail_curl_init() && (h = curl_easy_init())) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
		cc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(h);
	}
	if (cc == CURLE_OK && code == 200)
		doctor_add(r, "proxy", DOCTOR_OK, "%s responde", url);
	else
		doctor_add(r, "proxy", DOCTOR_FAIL,
			   "%s no responde (%ld): el proxy debe pasar las "
			   "peticiones a [server] listen = %s",
			   url, code, c->listen);
}

static void check_config(struct doctor_report *r, struct facts *f)
{
	char err[512], path[PATH_MAX];
	struct stat sb;

	f->cfg_ok = !config_load(f->dir, &f->cfg, err, sizeof(err));
	if (!f->cfg_ok) {
		doctor_add(r, "ayuda.conf", DOCTOR_FAIL,
			   "%s; corríjalo (las claves desconocidas son un "
			   "error)",
			   err);
		return;
	}
	r->secrets[0] = f->cfg.smtp_password;
	r->secrets[1] = f->cfg.imap_password;
	snprintf(path, sizeof(path), "%s/ayuda.conf", f->dir);
	if (!stat(path, &sb))
		doctor_mode(r, "ayuda.conf", path, sb.st_mode, 0640);
	doctor_support_address(r, f->cfg.support_address, f->cfg.mail_domain);
	doctor_base_url(r, f->cfg.base_url);
	doctor_proxy(r, f->cfg.base_url, f->cfg.listen, f->cfg.trusted_proxies);
	if (r->items[r->n - 1].state == DOCTOR_OK)
		check_proxy_answers(r, &f->cfg);
}

static void check_disk(struct doctor_report *r, const char *dir)
{
	struct statvfs vs;

	if (statvfs(dir, &vs))
		doctor_add(r, "disk", DOCTOR_FAIL, "no se puede medir %s", dir);
	else
		doctor_disk(r, dir, (uint64_t)vs.f_bavail * vs.f_frsize,
			    (uint64_t)vs.f_blocks * vs.f_frsize);
}

static void check_smtp(struct doctor_report *r, const struct ay_config *c)
{
	struct mail_smtp_conf sc = {
		.url = c->smtp_url,
		.user = c->smtp_user[0] ? c->smtp_user : NULL,
		.password = c->smtp_password,
		.tls = c->smtp_starttls ? MAIL_TLS_TRY : MAIL_TLS_NONE,
		.connect_timeout = 10,
		.timeout = 30,
		.probe = true};
	const char *rcpt[] = {c->support_address};
	char err[512];
	ay_rc rc;

	if (!c->smtp_url[0]) {
		doctor_add(r, "smtp", DOCTOR_FAIL,
			   "sin [mail] smtp_url no sale ningún correo; ponga "
			   "smtp_url = smtp://127.0.0.1:25 (el Postfix de este "
			   "equipo) o el de su proveedor");
		return;
	}
	rc = mail_smtp_send(&sc, c->support_address, rcpt, 1, "", 0, err,
			    sizeof(err));
	if (!rc)
		doctor_add(r, "smtp", DOCTOR_OK,
			   "%s acepta correo de y para %s", c->smtp_url,
			   c->support_address);
	else if (rc == AY_EINVAL)
		doctor_add(r, "smtp", DOCTOR_FAIL,
			   "%s rechaza %s (%s): el servidor debe aceptar esa "
			   "dirección como remitente y destinatario (en "
			   "Postfix: relay_domains y relay_recipient_maps)",
			   c->smtp_url, c->support_address, err);
	else
		doctor_add(r, "smtp", DOCTOR_FAIL,
			   "%s no responde (%s): revise [mail] smtp_url, "
			   "smtp_user y smtp_password",
			   c->smtp_url, err);
}

static void check_imap(struct doctor_report *r, const struct ay_config *c)
{
	struct mail_imap_conf ic = {.url = c->imap_url,
				    .user = c->imap_user,
				    .password = c->imap_password,
				    .tls = MAIL_TLS_TRY,
				    .timeout = 20};
	char err[512];

	if (!c->imap_url[0]) {
		doctor_add(r, "imap", DOCTOR_SKIP, "sin [mail] imap_url");
		return;
	}
	if (mail_imap_check(&ic, err, sizeof(err)))
		doctor_add(r, "imap", DOCTOR_FAIL,
			   "no se pudo entrar en %s como %s (%s): revise "
			   "[mail] imap_url, imap_user e imap_password",
			   c->imap_url, c->imap_user, err);
	else
		doctor_add(r, "imap", DOCTOR_OK, "%s, usuario %s", c->imap_url,
			   c->imap_user);
}

/* Run argv (no shell), its output into out; returns the exit status. */
static int run(char *const argv[], char *out, size_t n)
{
	int fd[2], status = -1;
	size_t len = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(fd[1], 1);
		dup2(null, 2);
		dup2(null, 0);
		close(fd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	for (ssize_t k; pid > 0 && len + 1 < n &&
			(k = read(fd[0], out + len, n - 1 - len)) > 0;)
		len += (size_t)k;
	out[len] = '\0';
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A PostgreSQL store: `ayuda backup` needs pg_dump, as recent as the
 * server. Nothing on SQLite. */
static void check_pg_dump(struct doctor_report *r, const char *dir)
{
	char *const argv[] = {"pg_dump", "--version", NULL};
	char out[256];
	int server = 0;

	if (store_pg_major(dir, &server) == AY_OK && !server)
		return;
	doctor_pg_dump(
		r, run(argv, out, sizeof(out)) ? 0 : doctor_pg_dump_major(out),
		server);
}

static int postconf(const char *opt, const char *name, char *out, size_t n)
{
	char *argv[] = {"postconf", (char *)opt, (char *)name, NULL};

	return run(argv, out, n);
}

/* The first answer of the maps (a Postfix list) for key, or "". */
static void map_lookup(const char *maps, const char *key, char *out, size_t n)
{
	char list[1024], *save = NULL;

	out[0] = '\0';
	snprintf(list, sizeof(list), "%s", maps);
	for (char *m = strtok_r(list, ", \t", &save); m && !out[0];
	     m = strtok_r(NULL, ", \t", &save)) {
		char *argv[] = {"postmap", "-q", (char *)key, m, NULL};

		if (run(argv, out, n))
			out[0] = '\0';
	}
}

/* Whether word is one of list's (commas or spaces). */
static bool in_list(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, ", \t")) {
		p += strspn(p, ", \t");
		if (!strncasecmp(p, word, wl) && strchr(", \t", p[wl]))
			return true;
	}
	return false;
}

/* The value of name=VALUE in a master.cf line (words), into out. */
static void service_arg(const char *line, const char *name, char *out, size_t n)
{
	const char *p = strstr(line, name);

	out[0] = '\0';
	if (p)
		snprintf(out, n, "%.*s", (int)strcspn(p + strlen(name), " \t"),
			 p + strlen(name));
}

static void check_pipe(struct doctor_report *r, const struct facts *f,
		       const char *line)
{
	char name[64], user[64], data[PATH_MAX], real_a[PATH_MAX],
		real_b[PATH_MAX];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(line, " \t"), line);
	service_arg(line, " user=", user, sizeof(user));
	user[strcspn(user, ":")] = '\0';
	service_arg(line, " --data ", data, sizeof(data));
	if (strcmp(user, f->owner))
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "el servicio «%s» de master.cf corre como «%s», "
			   "pero %s es de %s: ponga user=%s y ejecute postfix "
			   "reload",
			   name, user, f->dir, f->owner, f->owner);
	else if (!realpath(data, real_a) || !realpath(f->dir, real_b) ||
		 strcmp(real_a, real_b))
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "el servicio «%s» de master.cf entrega en «%s», no "
			   "en %s: corrija --data y ejecute postfix reload",
			   name, data, f->dir);
	else
		doctor_add(r, "postfix", DOCTOR_OK,
			   "el servicio «%s» entrega en %s como %s", name,
			   f->dir, user);
}

static void check_routes(struct doctor_report *r, const struct facts *f,
			 const char *service)
{
	const char *addr = f->cfg.support_address;
	const char *domain = strrchr(addr, '@') ? strrchr(addr, '@') + 1 : "";
	char v[1024], maps[1024], got[256];

	postconf("-xh", "mydestination", v, sizeof(v));
	if (in_list(v, domain)) {
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "%s está en mydestination: Postfix lo entrega a "
			   "cuentas locales (550 User unknown); quítelo de "
			   "mydestination y póngalo en relay_domains",
			   domain);
		return;
	}
	postconf("-xh", "relay_domains", v, sizeof(v));
	if (!in_list(v, domain))
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "%s no está en relay_domains: Postfix responde "
			   "«Relay access denied»; ejecute: postconf -e "
			   "'relay_domains = %s' && postfix reload",
			   domain, domain);
	postconf("-xh", "relay_recipient_maps", maps, sizeof(maps));
	map_lookup(maps, addr, got, sizeof(got));
	if (!got[0])
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "%s no está en relay_recipient_maps (%s): Postfix "
			   "lo rechaza; añada «%s OK» al archivo, postmap y "
			   "postfix reload",
			   addr, maps, addr);
	postconf("-xh", "transport_maps", maps, sizeof(maps));
	map_lookup(maps, addr, got, sizeof(got));
	if (strncmp(got, service, strlen(service)) ||
	    got[strlen(service)] != ':')
		doctor_add(r, "postfix", DOCTOR_FAIL,
			   "transport_maps no lleva %s al servicio «%s» "
			   "(«%s»): añada «%s %s:» al archivo de "
			   "transport_maps, postmap y postfix reload",
			   addr, service, got, addr, service);
}

static void check_postfix(struct doctor_report *r, const struct facts *f)
{
	char services[16384], v[64], service[64], *line, *save = NULL;
	char *pipe_line = NULL;
	unsigned long long msg, mbox;

	if (postconf("-M", NULL, services, sizeof(services)) || !services[0]) {
		doctor_add(r, "postfix",
			   f->cfg.imap_url[0] ? DOCTOR_SKIP : DOCTOR_FAIL,
			   "Postfix no está instalado o configurado aquí; el "
			   "correo entra por IMAP o por otro MTA que ejecute "
			   "ayuda mail-in");
		return;
	}
	for (line = strtok_r(services, "\n", &save); line && !pipe_line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, " pipe ") && strstr(line, " mail-in"))
			pipe_line = line;
	if (!pipe_line) {
		doctor_add(r, "postfix",
			   f->cfg.imap_url[0] ? DOCTOR_SKIP : DOCTOR_FAIL,
			   "Postfix no tiene un servicio pipe que ejecute "
			   "ayuda mail-in (vea «Delivering with Postfix» en "
			   "el README), ni hay [mail] imap_url: no entra "
			   "correo");
		return;
	}
	snprintf(service, sizeof(service), "%.*s",
		 (int)strcspn(pipe_line, " \t"), pipe_line);
	check_pipe(r, f, pipe_line);
	if (f->cfg_ok)
		check_routes(r, f, service);
	postconf("-h", "message_size_limit", v, sizeof(v));
	msg = strtoull(v, NULL, 10);
	postconf("-h", "mailbox_size_limit", v, sizeof(v));
	mbox = strtoull(v, NULL, 10);
	doctor_postfix_sizes(r, msg, mbox, MAIL_MAX_RAW);
}

static const char *lang_of(const char *opt)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

	if (opt)
		return strcmp(opt, "en") ? "es" : "en";
	for (size_t i = 0; i < AY_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strncmp(v, "en", 2) ? "es" : "en";
	}
	return "es";
}

int cli_doctor(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"lang", 1, NULL, 'L'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	struct doctor_report *r = calloc(1, sizeof(*r));
	struct facts f = {0};
	const char *lang = NULL;
	int c, failed;

	if (!r)
		return 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			f.dir = optarg;
		} else if (c == 'L') {
			lang = optarg;
		} else {
			puts("uso: ayuda doctor [--data DIR] [--lang es|en]\n"
			     "Revisa la instalación: dueño y modos del "
			     "directorio de datos y de vault.key,\ndisco "
			     "libre, ayuda.conf, base_url, el proxy, el "
			     "servidor SMTP, el buzón\nIMAP, el pipe de "
			     "Postfix y, con PostgreSQL, pg_dump. Dice qué "
			     "hacer con cada problema; "
			     "sale con 0\nsolo si todo está en orden.");
			free(r);
			return c == 'h' ? 0 : 2;
		}
	}
	if (!f.dir)
		f.dir = cli_data_dir(0, argv);
	doctor_init(r, lang_of(lang));
	if (stat(f.dir, &f.st) || !S_ISDIR(f.st.st_mode)) {
		doctor_add(r, "data", DOCTOR_FAIL,
			   "%s no existe; créelo con: install -d -o ayuda -g "
			   "ayuda -m 0750 %s; runuser -u ayuda -- ayuda init "
			   "--data %s",
			   f.dir, f.dir, f.dir);
		failed = doctor_print(r, stdout);
		free(r);
		return failed ? 1 : 0;
	}
	cli_id_name(false, f.st.st_uid, f.owner, sizeof(f.owner));
	cli_id_name(true, f.st.st_gid, f.group, sizeof(f.group));
	check_files(r, &f);
	check_config(r, &f);
	check_disk(r, f.dir);
	if (f.cfg_ok) {
		check_smtp(r, &f.cfg);
		check_imap(r, &f.cfg);
	}
	check_postfix(r, &f);
	check_pg_dump(r, f.dir);
	failed = doctor_print(r, stdout);
	free(r);
	return failed ? 1 : 0;
}
