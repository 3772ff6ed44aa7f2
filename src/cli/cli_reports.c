/* `ayuda reports rebuild`: recompute what the supervisor report keeps
 * beside the tickets, if ever in doubt (domain/report.c). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/report.h"
#include "store/db.h"

static const char usage_text[] =
	"uso: ayuda reports rebuild [--data DIR]\n"
	"Recalcula, desde los plazos del SLA, lo que el informe del "
	"supervisor\nguarda junto a cada ticket (los minutos de su primera "
	"respuesta).\nImprime cuántos tickets corrigió.\n"
	"(Recomputes what the supervisor report keeps beside each ticket.)\n";

struct rebuild_job {
	int64_t changed;
};

static ay_rc rebuild_run(struct db *db, void *arg)
{
	struct rebuild_job *j = arg;

	return report_rebuild(db, &j->changed);
}

int cli_reports(int argc, char **argv)
{
	static const struct option opts[] = {
		{"data", 1, NULL, 'd'}, {"help", 0, NULL, 'h'}, {0}};
	struct rebuild_job j = {0};
	struct store *st = NULL;
	const char *dir;
	ay_rc rc;
	int c;

	if (argc < 2 || strcmp(argv[1], "rebuild")) {
		fputs(usage_text, argc >= 2 && !strcmp(argv[1], "--help")
					  ? stdout
					  : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	dir = cli_data_dir(argc, argv);
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1)
		if (c != 'd') {
			fputs(usage_text, c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	if (store_open(dir, false, &st)) {
		fprintf(stderr,
			"ayuda: cannot open the store in '%s' (run 'ayuda init "
			"--data %s' first?)\n",
			dir, dir);
		return 75; /* EX_TEMPFAIL */
	}
	rc = store_write(st, rebuild_run, &j);
	store_close(st);
	if (rc) {
		fprintf(stderr, "ayuda: reports rebuild failed: %s\n",
			ay_rc_str(rc));
		return 1;
	}
	printf("{\"rebuilt\":true,\"tickets_corrected\":%lld}\n",
	       (long long)j.changed);
	return 0;
}
