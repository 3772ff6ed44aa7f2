/* Generate N tickets (default 100000) in a data dir through the domain
 * layer, 1000 per transaction. Usage: gen_tickets DATA_DIR [N] */
#include <stdio.h>
#include <stdlib.h>

#include "domain/ticket.h"
#include "domain/user.h"

struct batch {
	int from, to;
	int64_t requester;
};

static ay_rc gen_run(struct db *db, void *arg)
{
	struct batch *b = arg;
	struct actor a;
	char subject[64];
	ay_rc rc = actor_load(db, b->requester, &a);

	for (int i = b->from; !rc && i < b->to; i++) {
		struct ticket_new t = {
			.subject = subject,
			.body = "La exportación de contactos a Excel queda en "
				"blanco desde la última actualización.",
			.channel = "api"};
		struct verr e;
		int64_t n;

		snprintf(subject, sizeof(subject), "Ticket de prueba %d", i);
		rc = ticket_create(db, &a, &t, &n, &e);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 100000;
	struct store *st;
	struct db *db;
	int64_t uid;

	if (argc < 2) {
		fprintf(stderr, "usage: gen_tickets DATA_DIR [N]\n");
		return 2;
	}
	if (store_open(argv[1], false, &st) || store_reader(st, &db) ||
	    user_find_email(db, "maria@acme.pe", &uid)) {
		fprintf(stderr, "gen_tickets: needs a data dir made by "
				"'ayuda init --demo'\n");
		return 1;
	}
	for (int i = 0; i < n; i += 1000) {
		struct batch b = {i, i + 1000 < n ? i + 1000 : n, uid};

		if (store_write(st, gen_run, &b)) {
			fprintf(stderr, "gen_tickets: failed at %d\n", i);
			store_close(st);
			return 1;
		}
	}
	store_close(st);
	printf("generated %d tickets\n", n);
	return 0;
}
