/* ayuda: command-line entry point. Parses the verb, loads the config and
 * calls one module. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "cli/cli.h"
#include "domain/company.h"
#include "domain/demo.h"
#include "domain/sla.h"
#include "domain/user.h"
#include "domain/vault.h"
#include "http/http.h"
#include "jobs/imap_poll.h"
#include "jobs/mailsock.h"
#include "jobs/outbox.h"
#include "jobs/scheduler.h"
#include "jobs/vault_task.h"
#include "store/db.h"
#include "util/config.h"
#include "util/log.h"
#include "util/path.h"

static const char *data_dir(const char *opt)
{
	const char *env = getenv("AYUDA_DATA");

	if (opt)
		return opt;
	return env && *env ? env : "./data";
}

static void usage(FILE *f)
{
	fputs("uso: ayuda VERBO [opciones]   (usage: ayuda VERB [options])\n"
	      "\n"
	      "  init [--demo]            crea el directorio de datos\n"
	      "  serve [--listen H:P]     sirve la API y los trabajos\n"
	      "  user add ...             crea un usuario\n"
	      "  company add ...          crea una compañía\n"
	      "  token create --user E    crea un token de API\n"
	      "  doctor [--lang es|en]    revisa la instalación y dice qué "
	      "arreglar\n"
	      "  reports rebuild          recalcula lo que guarda el informe\n"
	      "  backup DESTINO           copia coherente mientras sirve\n"
	      "  blobs gc                 borra los archivos que nada nombra\n"
	      "  migrate --to URL         copia SQLite en PostgreSQL\n"
	      "\n"
	      "Todos los verbos aceptan --data DIR (por omisión $AYUDA_DATA o "
	      "./data)\ny --help.\n",
	      f);
}

/* Open the store of an initialised data dir, with exit codes. */
static int open_store(const char *dir, struct store **st)
{
	ay_rc rc = store_open(dir, false, st);

	if (rc) {
		fprintf(stderr,
			"ayuda: cannot open the store in '%s' (run 'ayuda init "
			"--data %s' first?)\n",
			dir, dir);
		return 75; /* EX_TEMPFAIL */
	}
	return 0;
}

struct init_job {
	bool demo;
	json_t *logins;
};

static ay_rc init_job(struct db *db, void *arg)
{
	struct init_job *j = arg;
	ay_rc rc = sla_seed_defaults(db);

	if (rc || !j->demo)
		return rc;
	return demo_seed(db, &j->logins);
}

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"demo", 0, NULL, 'D'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	struct init_job job = {0};
	const char *dir = NULL;
	struct store *st = NULL;
	char path[1100];
	ay_rc rc;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'D')
			job.demo = true;
		else {
			puts("uso: ayuda init [--data DIR] [--demo]\n"
			     "Crea DIR con ayuda.conf, la base de datos, la "
			     "clave del baúl y\nlos calendarios y niveles de "
			     "SLA. --demo añade una compañía, usuarios\ny "
			     "tickets de ejemplo e imprime sus accesos.");
			return c == 'h' ? 0 : 2;
		}
	}
	dir = data_dir(dir);
	if (mkdir(dir, 0750) && errno != EEXIST) {
		fprintf(stderr, "ayuda: cannot create '%s': %s\n", dir,
			strerror(errno));
		return 1;
	}
	if (ay_path(path, sizeof(path), "%s/attachments", dir)) {
		fprintf(stderr, "ayuda: data directory path too long: '%s'\n",
			dir);
		return 1;
	}
	if (mkdir(path, 0700) && errno != EEXIST) {
		fprintf(stderr, "ayuda: cannot create '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	if (config_write_default(dir)) {
		fprintf(stderr, "ayuda: cannot write '%s/ayuda.conf'\n", dir);
		return 1;
	}
	if (vault_key_create(dir)) {
		fprintf(stderr, "ayuda: cannot create '%s/vault.key'\n", dir);
		return 1;
	}
	rc = store_open(dir, true, &st);
	if (rc) {
		fprintf(stderr, "ayuda: cannot create the store in '%s'\n",
			dir);
		return 1;
	}
	rc = store_write(st, init_job, &job);
	store_close(st);
	if (rc == AY_ECONFLICT) {
		fprintf(stderr,
			"ayuda: '%s' already has users; demo data not "
			"added\n",
			dir);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "ayuda: init failed: %s\n", ay_rc_str(rc));
		return 1;
	}
	printf("{\"data\":\"%s\",\"initialised\":true}\n", dir);
	if (job.logins) {
		size_t i;
		json_t *u;

		fprintf(stderr, "\nDemo: accesos (contraseña demo1234):\n");
		json_array_foreach (job.logins, i, u) {
			fprintf(stderr, "  %-12s %-30s token %s\n",
				json_string_value(json_object_get(u, "role")),
				json_string_value(json_object_get(u, "email")),
				json_string_value(json_object_get(u, "token")));
		}
		json_decref(job.logins);
	}
	return 0;
}

static ay_rc seed_run(struct db *db, void *arg)
{
	(void)arg;
	return sla_seed_defaults(db);
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"listen", 1, NULL, 'l'},
					     {"web-dir", 1, NULL, 'w'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char *dir = NULL, *listen = NULL, *web = NULL;
	struct ay_config cfg;
	struct store *st = NULL;
	struct http_server *srv = NULL;
	struct scheduler *sched = NULL, *mailer = NULL;
	struct mailsock *mailsock = NULL;
	int64_t imap_last = 0;
	char err[256];
	sigset_t set;
	int c, sig, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'l')
			listen = optarg;
		else if (c == 'w')
			web = optarg;
		else {
			puts("uso: ayuda serve [--data DIR] [--listen "
			     "HOST:PUERTO] [--web-dir DIR]\nSirve la web, la "
			     "API JSON en /api/v1/, /healthz y /metrics, y "
			     "ejecuta\nlos trabajos programados (SLA, correo "
			     "saliente). --web-dir sirve la web\ndesde DIR "
			     "(web/ del código) en lugar de la incluida.");
			return c == 'h' ? 0 : 2;
		}
	}
	dir = data_dir(dir);
	if (config_load(dir, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ayuda: %s\n", err);
		return 78; /* EX_CONFIG */
	}
	if (listen)
		snprintf(cfg.listen, sizeof(cfg.listen), "%s", listen);
	if (web)
		snprintf(cfg.web_dir, sizeof(cfg.web_dir), "%s", web);
	/* Block the stop signals in every thread; main waits for them. This
	 * comes before the store starts its writer thread: a thread that does
	 * not block them would take SIGUSR1's default action and end the
	 * process. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = open_store(dir, &st);
	if (ret)
		return ret;
	if (store_cap_size(st, (int64_t)cfg.max_size_mb << 20) ||
	    store_write(st, seed_run, NULL)) {
		store_close(st);
		return 75;
	}
	if (http_start(&cfg, st, &srv)) {
		store_close(st);
		return 1;
	}
	/* Without the socket, ayuda-mail-in delivers by itself. */
	if (mailsock_start(&cfg, st, &mailsock))
		mailsock = NULL;
	/* This server's name on its claims of background work: HOST:PORT
	 * with the port it really got (docs/scaling.md). */
	if (!cfg.instance[0]) {
		char host[100];

		if (gethostname(host, sizeof(host)))
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(cfg.instance, sizeof(cfg.instance), "%s:%d", host,
			 http_port(srv));
	}
	/* Before the address is printed: whoever waits for it (a test, a
	 * unit file's ExecStartPost) finds this server's past claims freed. */
	if (outbox_recover(st, &cfg)) {
		http_stop(srv);
		mailsock_stop(mailsock);
		store_close(st);
		return 1;
	}
	log_info("listening", "addr=\"%s\" port=%d data=\"%s\"", cfg.listen,
		 http_port(srv), dir);
	printf("ayuda: http://%.*s:%d/\n",
	       (int)(strrchr(cfg.listen, ':') - cfg.listen), cfg.listen,
	       http_port(srv));
	fflush(stdout);
	/* One write per batch of request lines, not per request. */
	log_batch_start();
	/* The SLA jobs tick every [sla] jobs_interval seconds; mail in and
	 * out every 2 seconds. Both find their work in the database. */
	if (scheduler_start(st, &cfg, "sla", cfg.jobs_interval, &sched) ||
	    scheduler_add(sched, sched_sla_task, NULL) ||
	    scheduler_add(sched, sched_vault_task, NULL) ||
	    scheduler_start(st, &cfg, "mail", 2, &mailer) ||
	    scheduler_add(mailer, sched_outbox_task, NULL) ||
	    scheduler_add(mailer, sched_imap_task, &imap_last)) {
		http_stop(srv);
		mailsock_stop(mailsock);
		scheduler_stop(sched);
		scheduler_stop(mailer);
		store_close(st);
		log_batch_stop();
		return 1;
	}
	scheduler_kick(sched);
	scheduler_kick(mailer);
	/* SIGUSR1 runs the jobs at once (handy after a clock change). */
	while (!sigwait(&set, &sig) && sig == SIGUSR1) {
		scheduler_kick(sched);
		scheduler_kick(mailer);
	}
	log_info("stopping", "signal=%d", sig);
	http_stop(srv);
	mailsock_stop(mailsock);
	scheduler_stop(sched);
	scheduler_stop(mailer);
	store_close(st);
	sla_calendar_cache_clear();
	log_batch_stop();
	return 0;
}

struct add_job {
	struct user_new u;
	struct company_new c;
	json_t *out;
	struct verr err;
	bool company;
};

static ay_rc add_run(struct db *db, void *arg)
{
	struct add_job *j = arg;

	if (j->company) {
		/* Print the whole record, as the API shows it to an admin. */
		static const struct actor admin = {.role = ROLE_ADMIN};
		json_t *full = NULL;
		ay_rc rc = company_add(db, 0, &j->c, &j->out, &j->err);

		if (!rc)
			rc = company_json(db, &admin,
					  json_integer_value(json_object_get(
						  j->out, "id")),
					  &full);
		if (!rc) {
			json_decref(j->out);
			j->out = full;
		}
		return rc;
	}
	return user_add(db, 0, &j->u, &j->out, &j->err);
}

static int finish_add(struct store *st, struct add_job *j)
{
	ay_rc rc = store_write(st, add_run, j);
	char *text;

	store_close(st);
	if (rc) {
		fprintf(stderr, "ayuda: %s%s%s\n",
			j->err.msg[0] ? j->err.msg : ay_rc_str(rc),
			j->err.field[0] ? " — " : "", j->err.field);
		return rc == AY_EINVAL || rc == AY_ECONFLICT ? 65 : 1;
	}
	text = json_dumps(j->out, JSON_COMPACT);
	puts(text ? text : "{}");
	free(text);
	json_decref(j->out);
	return 0;
}

static char *read_password_stdin(void)
{
	char line[1024];
	size_t n;

	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return strdup(line);
}

static int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"email", 1, NULL, 'e'},
					     {"name", 1, NULL, 'n'},
					     {"role", 1, NULL, 'r'},
					     {"company", 1, NULL, 'c'},
					     {"lang", 1, NULL, 'L'},
					     {"contact", 0, NULL, 'C'},
					     {"password-stdin", 0, NULL, 'p'},
					     {"timezone", 1, NULL, 'z'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	struct add_job j = {0};
	const char *dir = NULL;
	struct store *st;
	char hash[crypto_pwhash_STRBYTES];
	bool pw = false;
	int c, ret;

	if (argc < 2 || strcmp(argv[1], "add")) {
		fputs("uso: ayuda user add --email E --name N --role "
		      "customer|agent|supervisor|admin\n"
		      "       [--company NOMBRE] [--contact] [--lang es|en] "
		      "[--timezone ZONA] [--password-stdin] [--data DIR]\n",
		      argc >= 2 && !strcmp(argv[1], "--help") ? stdout
							      : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	argc--;
	argv++;
	j.u.role = "customer";
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'e':
			j.u.email = optarg;
			break;
		case 'n':
			j.u.name = optarg;
			break;
		case 'r':
			j.u.role = optarg;
			break;
		case 'c':
			j.u.company = optarg;
			break;
		case 'L':
			j.u.lang = optarg;
			break;
		case 'z':
			j.u.timezone = optarg;
			break;
		case 'C':
			j.u.is_contact = true;
			break;
		case 'p':
			pw = true;
			break;
		default:
			puts("uso: ayuda user add --email E --name N --role "
			     "ROL [--company NOMBRE]\n       [--contact] "
			     "[--lang es|en] [--timezone ZONA] "
			     "[--password-stdin] [--data DIR]");
			return c == 'h' ? 0 : 2;
		}
	}
	if (pw) {
		char *p = read_password_stdin();

		if (!p || strlen(p) < 8) {
			fprintf(stderr, "ayuda: the password must have at "
					"least 8 characters\n");
			free(p);
			return 65;
		}
		if (crypto_pwhash_str(hash, p, strlen(p),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
			free(p);
			return 1;
		}
		sodium_memzero(p, strlen(p));
		free(p);
		j.u.password_hash = hash;
	}
	ret = open_store(data_dir(dir), &st);
	if (ret)
		return ret;
	return finish_add(st, &j);
}

static int cmd_company(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"name", 1, NULL, 'n'},
					     {"domains", 1, NULL, 'D'},
					     {"license-product", 1, NULL, 'P'},
					     {"license-plan", 1, NULL, 'L'},
					     {"license-status", 1, NULL, 'S'},
					     {"license-email", 1, NULL, 'E'},
					     {"instances", 1, NULL, 'I'},
					     {"partner-tier", 1, NULL, 'T'},
					     {"partner-active", 0, NULL, 'A'},
					     {"max-contacts", 1, NULL, 'M'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	struct add_job j = {.company = true};
	const char *dir = NULL;
	struct store *st;
	int c, ret;

	j.c.max_contacts = -1;
	if (argc < 2 || strcmp(argv[1], "add")) {
		fputs("uso: ayuda company add --name NOMBRE [--domains "
		      "a.com,b.com]\n"
		      "       [--license-product "
		      "cloud|self_hosted|site_manager]\n"
		      "       [--license-plan "
		      "free|crm_plus|standard|professional|demo|nfr]\n"
		      "       [--license-status active|expired|none] "
		      "[--license-email E[,E2...]]\n"
		      "       [--instances URL[,URL2...]]\n"
		      "       [--partner-tier bronze|silver|gold] "
		      "[--partner-active]\n"
		      "       [--max-contacts N] [--data DIR]\n",
		      stdout);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'n':
			j.c.name = optarg;
			break;
		case 'D':
			j.c.domains = optarg;
			break;
		case 'P':
			j.c.license_product = optarg;
			break;
		case 'L':
			j.c.license_plan = optarg;
			break;
		case 'S':
			j.c.license_status = optarg;
			break;
		case 'E':
			j.c.license_email = optarg;
			break;
		case 'I':
			j.c.instances = optarg;
			break;
		case 'T':
			j.c.partner_tier = optarg;
			break;
		case 'A':
			j.c.partner_active = true;
			break;
		case 'M':
			j.c.max_contacts = atoi(optarg);
			break;
		default:
			puts("uso: ayuda company add --name NOMBRE [...]; "
			     "ver 'ayuda company --help'");
			return c == 'h' ? 0 : 2;
		}
	}
	ret = open_store(data_dir(dir), &st);
	if (ret)
		return ret;
	return finish_add(st, &j);
}

struct token_job {
	const char *email, *name;
	char *token;
	bool no_user;
};

static ay_rc token_run(struct db *db, void *arg)
{
	struct token_job *j = arg;
	int64_t uid;
	ay_rc rc = user_find_email(db, j->email, &uid);

	if (rc == AY_ENOTFOUND)
		j->no_user = true;
	if (rc)
		return rc;
	return token_create(db, uid, j->name, 0, &j->token);
}

static int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {{"data", 1, NULL, 'd'},
					     {"user", 1, NULL, 'u'},
					     {"name", 1, NULL, 'n'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	struct token_job j = {.name = "cli"};
	const char *dir = NULL;
	struct store *st;
	ay_rc rc;
	int c, ret;

	if (argc < 2 || strcmp(argv[1], "create")) {
		puts("uso: ayuda token create --user EMAIL [--name NOMBRE] "
		     "[--data DIR]");
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'u')
			j.email = optarg;
		else if (c == 'n')
			j.name = optarg;
		else {
			puts("uso: ayuda token create --user EMAIL [--name "
			     "NOMBRE] [--data DIR]\nImprime un token de API "
			     "nuevo; solo se guarda su hash.");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!j.email) {
		fputs("ayuda: --user EMAIL is required\n", stderr);
		return 2;
	}
	ret = open_store(data_dir(dir), &st);
	if (ret)
		return ret;
	rc = store_write(st, token_run, &j);
	store_close(st);
	if (rc) {
		fprintf(stderr, "ayuda: %s\n",
			j.no_user ? "no user with that email" : ay_rc_str(rc));
		return j.no_user ? 65 : 1;
	}
	puts(j.token);
	free(j.token);
	return 0;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *verb;
		int (*fn)(int argc, char **argv);
	} verbs[] = {
		{"init", cmd_init},
		{"serve", cmd_serve},
		{"user", cmd_user},
		{"company", cmd_company},
		{"token", cmd_token},
		{"sla", cli_sla},
		{"calendar", cli_calendar},
		{"mail-in", cli_mail_in},
		{"fetch-mail", cli_fetch_mail},
		{"send-mail", cli_send_mail},
		{"doctor", cli_doctor},
		{"reports", cli_reports},
		{"backup", cli_backup},
		{"blobs", cli_blobs},
		{"migrate", cli_migrate},
	};

	if (sodium_init() < 0) {
		fputs("ayuda: libsodium failed to initialise\n", stderr);
		return 1;
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < AY_ARRAY_LEN(verbs); i++) {
		int ret;

		if (strcmp(argv[1], verbs[i].verb))
			continue;
		/* doctor only reads, and says what is wrong with owners. */
		ret = wants_help(argc, argv) || !strcmp(argv[1], "doctor")
			      ? 0
			      : cli_owner_check(argv[1], argc, argv);
		return ret ? ret : verbs[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "ayuda: unknown verb '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
