/* `ayuda sla ...` and `ayuda calendar ...`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/sla.h"
#include "util/path.h"

/* Remove --data DIR (or --data=DIR) from argv, returning DIR. */
static const char *take_data(int *argc, char **argv)
{
	const char *dir = NULL;
	int o = 0;

	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < *argc) {
			dir = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--data=", 7)) {
			dir = argv[i] + 7;
			continue;
		}
		argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	if (!dir)
		dir = getenv("AYUDA_DATA");
	return dir && *dir ? dir : "./data";
}

struct lookup_ctx {
	struct store *st;
	struct sla_calendar *builtin;
};

/* Calendars come from the store; without an initialised data dir the
 * built-in "lima" still answers. The store's stay held until the verb's
 * sla_calendar_cache_clear(). */
static const struct sla_calendar *lookup(const char *name, void *arg)
{
	struct lookup_ctx *c = arg;
	const struct sla_calendar *cal = NULL;
	struct db *db;

	if (c->st && !store_reader(c->st, &db) &&
	    !sla_calendar_get(db, name, &cal))
		return cal;
	if (!strcmp(name, "lima")) {
		if (!c->builtin && sla_calendar_default_lima(&c->builtin))
			return NULL;
		return c->builtin;
	}
	return NULL;
}

/* Whether dir/name exists. */
static bool data_dir_has(const char *dir, const char *name)
{
	char path[1100];

	return !ay_path(path, sizeof(path), "%s/%s", dir, name) &&
	       !access(path, F_OK);
}

int cli_sla(int argc, char **argv)
{
	struct lookup_ctx ctx = {0};
	const char *dir;
	int ret;

	dir = take_data(&argc, argv);
	if (argc < 2 || strcmp(argv[1], "due")) {
		bool help = argc >= 2 && !strcmp(argv[1], "--help");

		fputs("uso: ayuda sla due --start ISO8601 --minutes N "
		      "[--clock business|calendar]\n"
		      "       [--calendar NOMBRE] [--data DIR]\n"
		      "     ayuda sla due --batch   (líneas: INICIO MINUTOS "
		      "RELOJ CALENDARIO)\n",
		      help ? stdout : stderr);
		return help ? 0 : 2;
	}
	/* An initialised data dir: its SQLite database, or its ayuda.conf
	 * (a PostgreSQL store keeps no file here). */
	if (data_dir_has(dir, "ayuda.db") || data_dir_has(dir, "ayuda.conf")) {
		if (store_open(dir, false, &ctx.st))
			ctx.st = NULL;
	}
	ret = sla_cli_due(argc - 1, argv + 1, lookup, &ctx);
	store_close(ctx.st);
	sla_calendar_free(ctx.builtin);
	sla_calendar_cache_clear();
	return ret;
}

struct cal_job {
	const char *name;
	json_t *add;	 /* a holiday or closure object */
	const char *key; /* "holidays" or "closures" */
	struct verr err;
};

static ay_rc cal_add_run(struct db *db, void *arg)
{
	struct cal_job *j = arg;
	json_t *spec = NULL, *list;
	ay_rc rc = sla_calendar_json(db, j->name, &spec);

	if (rc)
		return rc;
	list = json_object_get(spec, j->key);
	if (!list) {
		list = json_array();
		json_object_set_new(spec, j->key, list);
	}
	json_array_append(list, j->add);
	rc = sla_calendar_set(db, 0, j->name, spec, &j->err);
	json_decref(spec);
	return rc;
}

/* The current year in the calendar's zone. */
static int this_year(const struct sla_calendar *cal)
{
	char iso[SLA_ISO8601_LEN];

	if (sla_format_iso8601(cal, ay_now(), iso, sizeof(iso)))
		ay_iso_utc(ay_now(), iso);
	return atoi(iso);
}

static int calendar_show(const char *dir, const char *name, int year, bool ics)
{
	const struct sla_calendar *cal = NULL;
	struct store *st;
	struct db *db;
	json_t *spec = NULL;
	struct buf b;
	ay_rc rc;

	if (store_open(dir, false, &st)) {
		fprintf(stderr, "ayuda: cannot open the store in '%s'\n", dir);
		return 75;
	}
	rc = store_reader(st, &db);
	if (!rc && ics) {
		rc = sla_calendar_get(db, name, &cal);
		buf_init(&b, 0);
		if (!rc && !year)
			year = this_year(cal);
		if (!rc && (year < 1971 || year > 2099))
			rc = AY_EINVAL;
		if (!rc)
			rc = sla_calendar_ics(cal, year, year + 1, &b);
		if (!rc)
			fwrite(b.ptr, 1, b.len, stdout);
		buf_release(&b);
		sla_calendar_release(cal);
	} else if (!rc) {
		rc = sla_calendar_json(db, name, &spec);
		if (!rc)
			json_dumpf(spec, stdout, JSON_INDENT(2));
		if (!rc)
			putchar('\n');
		json_decref(spec);
	}
	store_close(st);
	sla_calendar_cache_clear();
	if (rc) {
		fprintf(stderr, "ayuda: calendar '%s': %s\n", name,
			rc == AY_ENOTFOUND ? "no such calendar"
			: rc == AY_EINVAL  ? "year out of range (1971-2099)"
					   : ay_rc_str(rc));
		return 1;
	}
	return 0;
}

static void calendar_usage(FILE *f)
{
	fputs("uso: ayuda calendar show [NOMBRE] [--ics [--year AAAA]]\n"
	      "     ayuda calendar holiday add [--calendar NOMBRE] "
	      "(--date MM-DD|AAAA-MM-DD | --easter N) --name TEXTO\n"
	      "     ayuda calendar closure add [--calendar NOMBRE] --from "
	      "ISO8601 --to ISO8601 --reason TEXTO\n"
	      "Todos aceptan --data DIR. El calendario por omisión es "
	      "'lima'.\n",
	      f);
}

/* The options of `ayuda calendar SUB`. */
struct cal_opts {
	const char *cal, *date, *easter, *name, *from, *to, *reason;
	bool ics;
	int year; /* 0: the current one */
};

/* Parse the options into *o: -1 to go on, else the exit status. */
static int calendar_options(int argc, char **argv, struct cal_opts *o)
{
	static const struct option opts[] = {{"calendar", 1, NULL, 'c'},
					     {"date", 1, NULL, 'd'},
					     {"easter", 1, NULL, 'e'},
					     {"name", 1, NULL, 'n'},
					     {"from", 1, NULL, 'f'},
					     {"to", 1, NULL, 't'},
					     {"reason", 1, NULL, 'r'},
					     {"ics", 0, NULL, 'i'},
					     {"year", 1, NULL, 'y'},
					     {"help", 0, NULL, 'h'},
					     {0}};
	const char **str[128] = {
		['c'] = &o->cal,   ['d'] = &o->date, ['e'] = &o->easter,
		['n'] = &o->name,  ['f'] = &o->from, ['t'] = &o->to,
		['r'] = &o->reason};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c > 0 && c < 128 && str[c])
			*str[c] = optarg;
		else if (c == 'i')
			o->ics = true;
		else if (c == 'y')
			o->year = atoi(optarg);
		else {
			calendar_usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	return -1;
}

/* The holiday (sub 1) or closure (sub 2) to add, into j: -1 to go on, else
 * the exit status. */
static int calendar_entry(int sub, const struct cal_opts *o, struct cal_job *j)
{
	long ez = 0;
	char *end;

	if (o->easter) {
		ez = strtol(o->easter, &end, 10);
		if (end == o->easter || *end) {
			fprintf(stderr,
				"ayuda: --easter needs a whole number of "
				"days, e.g. -3\n");
			return 2;
		}
	}
	if (sub == 1 && o->name && (!!o->date ^ !!o->easter)) {
		j->key = "holidays";
		j->add = o->date ? json_pack("{s:s,s:s}", "date", o->date,
					     "name", o->name)
				 : json_pack("{s:I,s:s}", "easter",
					     (json_int_t)ez, "name", o->name);
	} else if (sub == 2 && o->from && o->to) {
		j->key = "closures";
		j->add =
			json_pack("{s:s,s:s,s:s}", "from", o->from, "to", o->to,
				  "reason", o->reason ? o->reason : "Cierre");
	} else {
		calendar_usage(stderr);
		return 2;
	}
	j->name = o->cal;
	return -1;
}

/* Add j's holiday or closure and show the calendar (its JSON for year). */
static int calendar_add(const char *dir, struct cal_job *j, int year)
{
	struct store *st;
	ay_rc rc;

	if (store_open(dir, false, &st)) {
		fprintf(stderr, "ayuda: cannot open the store in '%s'\n", dir);
		return 75;
	}
	rc = store_write(st, cal_add_run, j);
	store_close(st);
	sla_calendar_cache_clear();
	if (rc) {
		fprintf(stderr, "ayuda: %s\n",
			j->err.msg[0]	     ? j->err.msg
			: rc == AY_ENOTFOUND ? "no such calendar"
					     : ay_rc_str(rc));
		return rc == AY_EINVAL ? 65 : 1;
	}
	return calendar_show(dir, j->name, year, false);
}

int cli_calendar(int argc, char **argv)
{
	const char *dir = take_data(&argc, argv);
	struct cal_opts o = {.cal = "lima"};
	struct cal_job j = {0};
	int sub, ret;

	if (argc < 2 || !strcmp(argv[1], "--help")) {
		calendar_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = !strcmp(argv[1], "show")	    ? 0
	      : !strcmp(argv[1], "holiday") ? 1
	      : !strcmp(argv[1], "closure") ? 2
					    : -1;
	if (sub < 0 || (sub > 0 && (argc < 3 || strcmp(argv[2], "add")))) {
		calendar_usage(stderr);
		return 2;
	}
	argc -= sub ? 2 : 1;
	argv += sub ? 2 : 1;
	if (sub == 0 && argc > 1 && argv[1][0] != '-') {
		o.cal = argv[1];
		argc--;
		argv++;
	}
	ret = calendar_options(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (sub == 0)
		return calendar_show(dir, o.cal, o.year, o.ics);
	ret = calendar_entry(sub, &o, &j);
	if (ret < 0)
		ret = calendar_add(dir, &j, o.year);
	json_decref(j.add);
	return ret;
}
