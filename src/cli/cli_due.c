/* `ayuda sla due`: the due instant of one target, or of a batch on stdin. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define CLI_OUT_BUF  (1 << 16)
#define CLI_CACHE    8
#define CLI_LINE_MAX 4096

static const char usage_text[] =
	"usage: ayuda sla due --start ISO8601 --minutes N"
	" [--clock business|calendar] [--calendar NAME]\n"
	"       ayuda sla due --batch [--clock business|calendar]"
	" [--calendar NAME] < lines\n"
	"\n"
	"Prints the due instant of a target of N minutes from START, as ISO "
	"8601\n"
	"in the calendar's time zone (e.g. 2026-12-02T09:30:00-05:00).\n"
	"\n"
	"  --start ISO8601   start instant, e.g. 2026-12-01T17:00:00-05:00\n"
	"  --minutes N       target in minutes (0..52704000)\n"
	"  --clock C         business (default): only open hours count;\n"
	"                    calendar: START + N minutes\n"
	"  --calendar NAME   business calendar (default: lima)\n"
	"  --batch           read lines \"START MINUTES [CLOCK [CALENDAR]]\" "
	"from\n"
	"                    stdin and print one answer a line, or \"error: "
	"REASON\";\n"
	"                    missing fields take the --clock/--calendar "
	"values;\n"
	"                    exit status 1 if any line failed\n"
	"  --help            print this help\n";

struct cli {
	sla_lookup_fn lookup;
	void *arg;
	struct {
		char name[65];
		const struct sla_calendar *cal;
	} cache[CLI_CACHE];
	int ncache, next;
};

int sla_cli_due(int argc, char **argv,
		const struct sla_calendar *(*lookup)(const char *name,
						     void *arg),
		void *arg)
{
	return sla_cli_due_io(argc, argv, lookup, arg, stdin, stdout, stderr);
}

static bool parse_minutes(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0 || v > SLA_MINUTES_MAX)
		return false;
	*out = v;
	return true;
}

/* Looks a calendar up through a small cache of the last names asked. */
static const struct sla_calendar *due_calendar(struct cli *c, const char *name)
{
	const struct sla_calendar *cal;

	for (int i = 0; i < c->ncache; i++)
		if (!strcmp(c->cache[i].name, name))
			return c->cache[i].cal;
	cal = c->lookup(name, c->arg);
	if (cal && strlen(name) < sizeof(c->cache[0].name)) {
		int slot = c->ncache < CLI_CACHE ? c->ncache++ : c->next;
		c->next = (slot + 1) % CLI_CACHE;
		strcpy(c->cache[slot].name, name);
		c->cache[slot].cal = cal;
	}
	return cal;
}

/* Compute one answer into out (an ISO instant) or a reason into why. */
static bool cli_one(struct cli *c, const char *start_s, const char *min_s,
		    const char *clock_s, const char *cal_s, char *out,
		    size_t outlen, char *why, size_t whylen)
{
	const struct sla_calendar *cal;
	enum sla_clock clock;
	int64_t start, minutes, due;

	if (sla_parse_iso8601(start_s, &start)) {
		snprintf(why, whylen,
			 "start '%.64s' is not an ISO 8601 instant like "
			 "2026-12-01T17:00:00-05:00",
			 start_s);
		return false;
	}
	if (!parse_minutes(min_s, &minutes)) {
		snprintf(why, whylen,
			 "minutes '%.32s' is not an integer in 0..%lld", min_s,
			 (long long)SLA_MINUTES_MAX);
		return false;
	}
	if (sla_clock_parse(clock_s, &clock)) {
		snprintf(why, whylen,
			 "clock '%.32s' is not 'business' or 'calendar'",
			 clock_s);
		return false;
	}
	cal = due_calendar(c, cal_s);
	if (!cal) {
		snprintf(why, whylen, "unknown calendar '%.64s'", cal_s);
		return false;
	}
	due = sla_due(cal, start, minutes, clock);
	if (due == SLA_TIME_INVALID ||
	    sla_format_iso8601(cal, due, out, outlen)) {
		snprintf(why, whylen,
			 "due instant outside the supported years %d..%d",
			 SLA_YEAR_MIN, SLA_YEAR_MAX);
		return false;
	}
	return true;
}

static int usage_error(FILE *errf, const char *fmt, const char *a)
{
	fputs("ayuda sla due: ", errf);
	fprintf(errf, fmt, a);
	fputs("\ntry 'ayuda sla due --help'\n", errf);
	return 2;
}

/* Output buffered by hand: a batch prints one short line per input. */
struct outbuf {
	FILE *f;
	size_t len;
	bool failed;
	char data[CLI_OUT_BUF];
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
	if (o->len + n > sizeof(o->data)) {
		if (fwrite(o->data, 1, o->len, o->f) != o->len)
			o->failed = true;
		o->len = 0;
	}
	if (n > sizeof(o->data)) {
		if (fwrite(s, 1, n, o->f) != n)
			o->failed = true;
		return;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
}

static void out_flush(struct outbuf *o)
{
	if (o->len && fwrite(o->data, 1, o->len, o->f) != o->len)
		o->failed = true;
	o->len = 0;
	if (fflush(o->f))
		o->failed = true;
}

static int cli_batch(struct cli *c, const char *clock_s, const char *cal_s,
		     FILE *in, FILE *out, FILE *errf)
{
	struct outbuf *o = malloc(sizeof(*o));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 0;

	if (!o) {
		fputs("ayuda sla due: out of memory\n", errf);
		return 1;
	}
	o->f = out;
	o->len = 0;
	o->failed = false;
	while ((n = getline(&line, &cap, in)) >= 0) {
		char ans[SLA_ISO8601_LEN + 1], why[256], *f[5], *save = NULL;
		int nf = 0;

		if (n > CLI_LINE_MAX) {
			snprintf(why, sizeof(why), "line longer than %d bytes",
				 CLI_LINE_MAX);
			goto bad;
		}
		for (char *p = strtok_r(line, " \t\r\n", &save); p && nf < 5;
		     p = strtok_r(NULL, " \t\r\n", &save))
			f[nf++] = p;
		if (nf < 2 || nf > 4) {
			snprintf(why, sizeof(why),
				 "expected \"START MINUTES [CLOCK "
				 "[CALENDAR]]\"");
			goto bad;
		}
		if (!cli_one(c, f[0], f[1], nf > 2 ? f[2] : clock_s,
			     nf > 3 ? f[3] : cal_s, ans, sizeof(ans) - 1, why,
			     sizeof(why)))
			goto bad;
		n = (ssize_t)strlen(ans);
		ans[n] = '\n';
		out_put(o, ans, (size_t)n + 1);
		continue;
	bad:
		status = 1;
		out_put(o, "error: ", 7);
		out_put(o, why, strlen(why));
		out_put(o, "\n", 1);
	}
	out_flush(o);
	if (ferror(in) || o->failed) {
		fprintf(errf, "ayuda sla due: %s\n",
			ferror(in) ? "cannot read stdin"
				   : "cannot write output");
		status = 1;
	}
	free(line);
	free(o);
	return status;
}

/* Run `ayuda sla due` on the given streams. */
int sla_cli_due_io(int argc, char **argv, sla_lookup_fn lookup, void *arg,
		   FILE *in, FILE *out, FILE *errf)
{
	static const char *const names[] = {"--start", "--minutes", "--clock",
					    "--calendar"};
	const char *val[4] = {NULL, NULL, "business", "lima"};
	bool batch = false;
	struct cli c = {.lookup = lookup, .arg = arg};
	char ans[SLA_ISO8601_LEN], why[256];
	enum sla_clock clock;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t k;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, out);
			return 0;
		}
		if (!strcmp(a, "--batch")) {
			batch = true;
			continue;
		}
		for (k = 0; k < AY_ARRAY_LEN(names); k++) {
			size_t len = strlen(names[k]);
			if (!strncmp(a, names[k], len) &&
			    (a[len] == 0 || a[len] == '='))
				break;
		}
		if (k == AY_ARRAY_LEN(names))
			return usage_error(errf, "unknown option '%s'", a);
		if (a[strlen(names[k])] == '=') {
			val[k] = a + strlen(names[k]) + 1;
		} else if (i + 1 < argc) {
			val[k] = argv[++i];
		} else {
			return usage_error(errf, "option '%s' needs a value",
					   a);
		}
	}
	if (sla_clock_parse(val[2], &clock))
		return usage_error(errf,
				   "--clock '%s' is not 'business' or "
				   "'calendar'",
				   val[2]);
	if (batch) {
		if (val[0] || val[1])
			return usage_error(errf, "%s",
					   "--batch takes no --start or "
					   "--minutes (they come from stdin)");
		return cli_batch(&c, val[2], val[3], in, out, errf);
	}
	if (!val[0])
		return usage_error(errf, "%s", "missing --start ISO8601");
	if (!val[1])
		return usage_error(errf, "%s", "missing --minutes N");
	if (sla_parse_iso8601(val[0], &(int64_t){0}))
		return usage_error(errf,
				   "--start '%s' is not an ISO 8601 instant "
				   "like 2026-12-01T17:00:00-05:00",
				   val[0]);
	if (!parse_minutes(val[1], &(int64_t){0}))
		return usage_error(errf,
				   "--minutes '%s' is not an integer in "
				   "0..52704000",
				   val[1]);
	if (!cli_one(&c, val[0], val[1], val[2], val[3], ans, sizeof(ans), why,
		     sizeof(why))) {
		fprintf(errf, "ayuda sla due: %s\n", why);
		return 1;
	}
	fprintf(out, "%s\n", ans);
	if (fflush(out))
		return 1;
	return 0;
}
