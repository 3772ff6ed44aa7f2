/* libFuzzer target: query strings. The input is split and percent-decoded
 * as libmicrohttpd does ("k=v&k2=v2", '+' is a space), then read by the
 * typed parsers of http/query.c, and an accepted ticket filter is run
 * against a store with the demo data, as GET /api/v1/tickets does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_store.h"
#include "http/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

struct args {
	int n;
	char *key[MAX_ARGS], *val[MAX_ARGS];
};

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode in place; a %00 ends the string, as it does in libmicrohttpd. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
			*o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static const char *get(void *ctx, const char *key)
{
	struct args *a = ctx;

	for (int i = 0; i < a->n; i++)
		if (!strcmp(a->key[i], key))
			return a->val[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int64_t agent_id;
	static struct actor agent;
	struct ticket_filter f;
	struct verr err = {0};
	struct args a = {0};
	struct db *db;
	json_t *out = NULL;
	int64_t t;
	char *q, *save = NULL;

	if (store_reader(fuzz_store(), &db))
		abort();
	if (!agent_id) {
		struct db_stmt *s = NULL;
		bool row;

		if (db_run(db, &s, &row,
			   "SELECT id FROM users WHERE role = 'agent'", NULL) ||
		    !row)
			abort();
		agent_id = db_col_int(s, 0);
		db_reset(s);
		if (actor_load(db, agent_id, &agent))
			abort();
	}
	q = malloc(size + 1);
	if (!q)
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	for (char *kv = strtok_r(q, "&", &save); kv && a.n < MAX_ARGS;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');

		if (eq)
			*eq++ = '\0';
		unescape(kv);
		if (eq)
			unescape(eq);
		a.key[a.n] = kv;
		a.val[a.n++] = eq ? eq : (char *)"";
	}
	if (!http_query_ticket_filter(get, &a, agent_id, &f, &err)) {
		if (f.limit < 0 || f.limit > 200 || f.after < 0)
			abort();
		if (!ticket_list(db, &agent, &f, &out))
			json_decref(out);
	} else if (!err.field[0] || !err.msg[0]) {
		abort();
	}
	for (int i = 0; i < a.n; i++)
		if (!http_query_time(a.val[i], &t) && strlen(a.val[i]) < 10)
			abort();
	free(q);
	return 0;
}
