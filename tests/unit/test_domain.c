/* Unit tests: ticket rules, visibility, status machine, history. */
#include "domain/company.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "testutil.h"

struct fx {
	const char *dir;
	struct store *st;
	int64_t agent, maria, jorge, pedro; /* maria: contact of Acme */
};

static ay_rc seed_run(struct db *db, void *arg)
{
	struct fx *f = arg;
	struct company_new acme = {.name = "Acme", .max_contacts = -1};
	struct company_new other = {.name = "Otra", .max_contacts = -1};
	struct verr e;
	json_t *o = NULL;

	assert_int_equal(sla_seed_defaults(db), AY_OK);
	assert_int_equal(company_add(db, 0, &acme, &o, &e), AY_OK);
	json_decref(o);
	assert_int_equal(company_add(db, 0, &other, &o, &e), AY_OK);
	json_decref(o);
	f->agent = test_add_user(db, "agente@x.pe", "agent", NULL, false);
	f->maria = test_add_user(db, "maria@acme.pe", "customer", "Acme", true);
	f->jorge =
		test_add_user(db, "jorge@acme.pe", "customer", "Acme", false);
	f->pedro =
		test_add_user(db, "pedro@otra.pe", "customer", "Otra", false);
	return AY_OK;
}

static int setup(void **state)
{
	static struct fx f;

	f.dir = test_tmpdir();
	assert_int_equal(store_open(f.dir, true, &f.st), AY_OK);
	assert_int_equal(store_write(f.st, seed_run, &f), AY_OK);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	test_rmdir(f->dir);
	return 0;
}

struct create_job {
	struct fx *f;
	int64_t who;
	struct ticket_new in;
	int64_t number;
	struct verr err;
};

static ay_rc create_run(struct db *db, void *arg)
{
	struct create_job *j = arg;
	struct actor a;
	ay_rc rc = actor_load(db, j->who, &a);

	return rc ? rc : ticket_create(db, &a, &j->in, &j->number, &j->err);
}

static int64_t create(struct fx *f, int64_t who, const char *subject,
		      const char *body, ay_rc want, const char *field)
{
	struct create_job j = {.f = f, .who = who};

	j.in.subject = subject;
	j.in.body = body;
	assert_int_equal(store_write(f->st, create_run, &j), want);
	if (field)
		assert_string_equal(j.err.field, field);
	return j.number;
}

static void validation(void **state)
{
	struct fx *f = *state;
	char big[250];
	char *huge;

	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	create(f, f->maria, "   ", "x", AY_EINVAL, "subject");
	create(f, f->maria, big, "x", AY_EINVAL, "subject");
	create(f, f->maria, "hola", " \n ", AY_EINVAL, "body");
	create(f, f->maria, "hola", NULL, AY_EINVAL, "body");
	create(f, f->maria, "\xff\xfe", "x", AY_EINVAL, "subject");
	huge = malloc(AY_BODY_MAX + 2);
	memset(huge, 'b', AY_BODY_MAX + 1);
	huge[AY_BODY_MAX + 1] = '\0';
	create(f, f->maria, "hola", huge, AY_ETOOBIG, "body");
	free(huge);
	/* 200 characters of two bytes each is fine. */
	char ok[401];
	for (int i = 0; i < 200; i++)
		memcpy(ok + 2 * i, "ñ", 2);
	ok[400] = '\0';
	assert_true(create(f, f->maria, ok, "x", AY_OK, NULL) > 0);
}

struct get_job {
	int64_t who, number;
	json_t *t;
};

static ay_rc get_run(struct db *db, void *arg)
{
	struct get_job *j = arg;
	struct actor a;
	ay_rc rc = actor_load(db, j->who, &a);

	return rc ? rc : ticket_get(db, &a, j->number, true, &j->t);
}

static ay_rc can_see(struct fx *f, int64_t who, int64_t number)
{
	struct get_job j = {who, number, NULL};
	ay_rc rc = store_write(f->st, get_run, &j);

	json_decref(j.t);
	return rc;
}

static void visibility(void **state)
{
	struct fx *f = *state;
	int64_t tj = create(f, f->jorge, "De Jorge", "hola", AY_OK, NULL);
	int64_t tm = create(f, f->maria, "De María", "hola", AY_OK, NULL);
	int64_t tp = create(f, f->pedro, "De Pedro", "hola", AY_OK, NULL);

	assert_true(tm > tj && tp > tm); /* sequential numbers */
	assert_int_equal(can_see(f, f->jorge, tj), AY_OK);
	assert_int_equal(can_see(f, f->jorge, tm), AY_ENOTFOUND);
	/* The company's support contact sees the company's tickets. */
	assert_int_equal(can_see(f, f->maria, tj), AY_OK);
	assert_int_equal(can_see(f, f->maria, tp), AY_ENOTFOUND);
	assert_int_equal(can_see(f, f->pedro, tj), AY_ENOTFOUND);
	assert_int_equal(can_see(f, f->agent, tp), AY_OK);
	assert_int_equal(can_see(f, f->agent, 999999), AY_ENOTFOUND);
}

struct upd_job {
	int64_t who, number;
	struct ticket_change c;
	struct message_new m;
	bool msg;
	struct verr err;
};

static ay_rc upd_run(struct db *db, void *arg)
{
	struct upd_job *j = arg;
	struct actor a;
	ay_rc rc = actor_load(db, j->who, &a);

	if (rc)
		return rc;
	if (j->msg)
		return ticket_add_message(db, &a, j->number, &j->m, NULL,
					  &j->err);
	return ticket_update(db, &a, j->number, &j->c, &j->err);
}

static ay_rc set_status(struct fx *f, int64_t who, int64_t n, const char *s)
{
	struct upd_job j = {.who = who, .number = n, .c = {.status = s}};

	return store_write(f->st, upd_run, &j);
}

static ay_rc say(struct fx *f, int64_t who, int64_t n, const char *kind)
{
	struct upd_job j = {.who = who, .number = n, .msg = true};

	j.m.kind = kind;
	j.m.body = "mensaje";
	return store_write(f->st, upd_run, &j);
}

static const char *status_of(struct fx *f, int64_t n)
{
	static char st[32];
	struct get_job j = {f->agent, n, NULL};

	assert_int_equal(store_write(f->st, get_run, &j), AY_OK);
	snprintf(st, sizeof(st), "%s",
		 json_string_value(json_object_get(j.t, "status")));
	json_decref(j.t);
	return st;
}

static void status_machine(void **state)
{
	struct fx *f = *state;
	int64_t n = create(f, f->jorge, "Estados", "hola", AY_OK, NULL);

	assert_string_equal(status_of(f, n), "new");
	/* An internal note does not open the ticket; a public reply does. */
	assert_int_equal(say(f, f->agent, n, "note"), AY_OK);
	assert_string_equal(status_of(f, n), "new");
	assert_int_equal(say(f, f->agent, n, "reply"), AY_OK);
	assert_string_equal(status_of(f, n), "open");
	assert_int_equal(set_status(f, f->agent, n, "pending_customer"), AY_OK);
	/* The customer's answer puts it back in the queue. */
	assert_int_equal(say(f, f->jorge, n, NULL), AY_OK);
	assert_string_equal(status_of(f, n), "open");
	assert_int_equal(set_status(f, f->agent, n, "bogus"), AY_EINVAL);
	assert_int_equal(set_status(f, f->agent, n, "new"), AY_EINVAL);
	assert_int_equal(set_status(f, f->agent, n, "closed"), AY_OK);
	/* Customers may reopen but not resolve. */
	assert_int_equal(set_status(f, f->jorge, n, "resolved"), AY_EPERM);
	assert_int_equal(set_status(f, f->jorge, n, "open"), AY_OK);
	assert_string_equal(status_of(f, n), "open");
	/* Someone else's customer cannot even find it. */
	assert_int_equal(set_status(f, f->pedro, n, "closed"), AY_ENOTFOUND);
}

static void notes_hidden_and_history_kept(void **state)
{
	struct fx *f = *state;
	int64_t n = create(f, f->jorge, "Notas", "hola", AY_OK, NULL);
	struct get_job j = {f->jorge, n, NULL};
	size_t customer_view, agent_view;

	assert_int_equal(say(f, f->agent, n, "note"), AY_OK);
	assert_int_equal(say(f, f->agent, n, "reply"), AY_OK);
	assert_int_equal(store_write(f->st, get_run, &j), AY_OK);
	customer_view = json_array_size(json_object_get(j.t, "messages"));
	json_decref(j.t);
	j.who = f->agent;
	assert_int_equal(store_write(f->st, get_run, &j), AY_OK);
	agent_view = json_array_size(json_object_get(j.t, "messages"));
	json_decref(j.t);
	assert_int_equal(customer_view, 2);
	assert_int_equal(agent_view, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validation),
		cmocka_unit_test(visibility),
		cmocka_unit_test(status_machine),
		cmocka_unit_test(notes_hidden_and_history_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
