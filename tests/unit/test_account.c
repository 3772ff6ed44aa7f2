/* Unit tests: passwords, sessions and CSRF tokens, access rules, the
 * vault's encryption and expiry. */
#include <sys/stat.h>

#include "domain/access.h"
#include "domain/account.h"
#include "domain/company.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "domain/vault.h"
#include "testutil.h"

struct fx {
	const char *dir;
	struct store *st;
	struct vault_key key;
	int64_t agent, agent2, sup, admin, maria, jorge, pedro;
};

static ay_rc seed(struct db *db, void *arg)
{
	struct fx *f = arg;
	struct company_new a = {.name = "Acme", .max_contacts = 2};
	struct company_new b = {.name = "Otra", .max_contacts = -1};
	struct verr e;
	json_t *o = NULL;

	assert_int_equal(sla_seed_defaults(db), AY_OK);
	assert_int_equal(company_add(db, 0, &a, &o, &e), AY_OK);
	json_decref(o);
	assert_int_equal(company_add(db, 0, &b, &o, &e), AY_OK);
	json_decref(o);
	f->agent = test_add_user(db, "a1@x.pe", "agent", NULL, false);
	f->agent2 = test_add_user(db, "a2@x.pe", "agent", NULL, false);
	f->sup = test_add_user(db, "s@x.pe", "supervisor", NULL, false);
	f->admin = test_add_user(db, "ad@x.pe", "admin", NULL, false);
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
	char path[128];
	struct stat st;

	f.dir = test_tmpdir();
	assert_int_equal(store_open(f.dir, true, &f.st), AY_OK);
	assert_int_equal(store_write(f.st, seed, &f), AY_OK);
	assert_int_equal(vault_key_create(f.dir), AY_OK);
	assert_int_equal(vault_key_create(f.dir), AY_OK); /* idempotent */
	snprintf(path, sizeof(path), "%s/vault.key", f.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(vault_key_load(f.dir, &f.key), AY_OK);
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

static void passwords(void **state)
{
	char hash[crypto_pwhash_STRBYTES];
	struct verr e;

	(void)state;
	setenv("AYUDA_PWHASH_FAST", "1", 1);
	assert_int_equal(account_hash_password("caballo-correcto", hash),
			 AY_OK);
	assert_true(!strncmp(hash, "$argon2id$", 10));
	assert_true(account_password_ok(hash, "caballo-correcto"));
	assert_false(account_password_ok(hash, "caballo-incorrecto"));
	assert_false(account_password_ok(NULL, "caballo-correcto"));
	assert_int_equal(account_password_policy("corta", &e), AY_EINVAL);
	assert_int_equal(account_password_policy("suficiente", &e), AY_OK);
}

static void csrf(void **state)
{
	const char *a = "0123456789abcdef0123456789abcdef"
			"0123456789abcdef0123456789abcdef";
	const char *b = "1123456789abcdef0123456789abcdef"
			"0123456789abcdef0123456789abcdef";
	char ta[AY_HEX_TOKEN_LEN + 1], tb[AY_HEX_TOKEN_LEN + 1];

	(void)state;
	session_csrf(a, ta);
	session_csrf(b, tb);
	assert_int_equal(strlen(ta), 64);
	assert_string_not_equal(ta, tb);
	assert_true(session_csrf_ok(a, ta));
	assert_false(session_csrf_ok(a, tb));
	assert_false(session_csrf_ok(a, NULL));
	assert_false(session_csrf_ok(a, ""));
	session_csrf("not-hex", ta);
	assert_string_equal(ta, "");
	assert_false(session_csrf_ok("not-hex", ""));
}

struct sess_job {
	char id[AY_HEX_TOKEN_LEN + 1];
	int64_t user, expires;
	ay_rc resolved;
};

static ay_rc sess_create(struct db *db, void *arg)
{
	struct sess_job *j = arg;

	return session_create(db, j->user, "127.0.0.1", "test", j->id,
			      &j->expires);
}

static ay_rc sess_check(struct db *db, void *arg)
{
	struct sess_job *j = arg;
	int64_t uid = 0;

	j->resolved = session_resolve(db, j->id, ay_now(), &uid, NULL, NULL);
	if (!j->resolved)
		assert_int_equal(uid, j->user);
	return AY_OK;
}

static ay_rc pw_set(struct db *db, void *arg)
{
	struct sess_job *j = arg;

	return account_password_set(db, j->user, "$argon2id$x");
}

static void sessions(void **state)
{
	struct fx *f = *state;
	struct sess_job j = {.user = f->jorge};

	assert_int_equal(store_write(f->st, sess_create, &j), AY_OK);
	assert_int_equal(strlen(j.id), 64);
	assert_int_equal(store_write(f->st, sess_check, &j), AY_OK);
	assert_int_equal(j.resolved, AY_OK);
	/* A password change drops the session. */
	assert_int_equal(store_write(f->st, pw_set, &j), AY_OK);
	assert_int_equal(store_write(f->st, sess_check, &j), AY_OK);
	assert_int_equal(j.resolved, AY_ENOTFOUND);
}

struct vjob {
	struct fx *f;
	int64_t who, number, secret;
	const char *text;
	json_t *out;
	ay_rc rc;
};

static ay_rc as(struct db *db, int64_t who, struct actor *a)
{
	return actor_load(db, who, a);
}

static ay_rc v_ticket(struct db *db, void *arg)
{
	struct vjob *j = arg;
	struct ticket_new t = {.subject = "s", .body = "b"};
	struct actor a;
	struct verr e;

	assert_int_equal(as(db, j->who, &a), AY_OK);
	return ticket_create(db, &a, &t, &j->number, &e);
}

static ay_rc v_put(struct db *db, void *arg)
{
	struct vjob *j = arg;
	struct actor a;
	struct verr e;

	assert_int_equal(as(db, j->who, &a), AY_OK);
	j->rc = vault_put(db, &j->f->key, &a, j->number, "label", j->text, 0,
			  &j->out, &e);
	if (!j->rc)
		j->secret = json_integer_value(json_object_get(j->out, "id"));
	json_decref(j->out);
	j->out = NULL;
	return j->rc;
}

static ay_rc v_read(struct db *db, void *arg)
{
	struct vjob *j = arg;
	struct actor a;

	assert_int_equal(as(db, j->who, &a), AY_OK);
	j->rc = vault_read(db, &j->f->key, &a, j->number, j->secret, &j->out);
	return AY_OK;
}

static ay_rc v_assign(struct db *db, void *arg)
{
	struct vjob *j = arg;
	struct ticket_change c = {.set_assignee = true, .assignee_id = j->who};
	struct actor a;
	struct verr e;

	assert_int_equal(as(db, j->f->agent, &a), AY_OK);
	return ticket_update(db, &a, j->number, &c, &e);
}

static ay_rc v_move(struct db *db, void *arg)
{
	struct vjob *j = arg;

	/* Copy the box to another ticket: it must not open there. */
	return db_run(db, NULL, NULL,
		      "UPDATE vault_secrets SET ticket_id = ticket_id + 1"
		      " WHERE id = $1",
		      "i", j->secret);
}

static ay_rc v_jobs(struct db *db, void *arg)
{
	int *done = arg;

	return vault_jobs_run(db, ay_now() + 8 * 86400, done);
}

static void vault(void **state)
{
	struct fx *f = *state;
	struct vjob j = {.f = f, .who = f->jorge, .text = "s3cr3t-clave"};
	struct vjob other = {.f = f, .who = f->jorge};
	int done = 0;

	assert_int_equal(store_write(f->st, v_ticket, &j), AY_OK);
	assert_int_equal(store_write(f->st, v_ticket, &other), AY_OK);
	assert_int_equal(store_write(f->st, v_put, &j), AY_OK);
	/* A customer on another company's ticket: not found. */
	j.who = f->pedro;
	assert_int_equal(store_write(f->st, v_put, &j), AY_ENOTFOUND);
	/* Readers: supervisor yes; unassigned agent, admin, customers no. */
	j.who = f->sup;
	assert_int_equal(store_write(f->st, v_read, &j), AY_OK);
	assert_int_equal(j.rc, AY_OK);
	assert_string_equal(json_string_value(json_object_get(j.out, "secret")),
			    "s3cr3t-clave");
	json_decref(j.out);
	j.out = NULL;
	for (int64_t who = 0; who < 4; who++) {
		int64_t ids[] = {f->agent, f->admin, f->jorge, f->maria};

		j.who = ids[who];
		assert_int_equal(store_write(f->st, v_read, &j), AY_OK);
		assert_int_equal(j.rc, AY_ENOTFOUND);
	}
	j.who = f->agent2;
	assert_int_equal(store_write(f->st, v_assign, &j), AY_OK);
	assert_int_equal(store_write(f->st, v_read, &j), AY_OK);
	assert_int_equal(j.rc, AY_OK);
	json_decref(j.out);
	j.out = NULL;
	/* Expired by the job: gone. */
	assert_int_equal(store_write(f->st, v_jobs, &done), AY_OK);
	assert_int_equal(done, 1);
	assert_int_equal(store_write(f->st, v_read, &j), AY_OK);
	assert_int_equal(j.rc, AY_ECONFLICT);
	/* A box moved to another ticket does not open. */
	j.who = f->jorge;
	assert_int_equal(store_write(f->st, v_put, &j), AY_OK);
	assert_int_equal(store_write(f->st, v_move, &j), AY_OK);
	j.number = other.number;
	j.who = f->sup;
	assert_int_equal(store_write(f->st, v_read, &j), AY_OK);
	assert_int_equal(j.rc, AY_EDB);
}

static ay_rc access_run(struct db *db, void *arg)
{
	struct fx *f = arg;
	struct actor a;
	int64_t acme = 0, otra = 0;

	assert_int_equal(as(db, f->maria, &a), AY_OK);
	acme = a.company_id;
	assert_int_equal(as(db, f->pedro, &a), AY_OK);
	otra = a.company_id;
	assert_int_equal(access_company(db, &a, otra, ACCESS_READ), AY_OK);
	assert_int_equal(access_company(db, &a, acme, ACCESS_READ),
			 AY_ENOTFOUND);
	assert_int_equal(access_company(db, &a, otra, ACCESS_WRITE), AY_EPERM);
	assert_int_equal(access_user(db, &a, f->pedro, ACCESS_READ), AY_OK);
	assert_int_equal(access_user(db, &a, f->jorge, ACCESS_READ),
			 AY_ENOTFOUND);
	assert_int_equal(as(db, f->agent, &a), AY_OK);
	assert_int_equal(access_company(db, &a, acme, ACCESS_ENDORSE), AY_OK);
	assert_int_equal(access_company(db, &a, acme, ACCESS_WRITE), AY_EPERM);
	assert_int_equal(access_company(db, &a, 9999, ACCESS_READ),
			 AY_ENOTFOUND);
	assert_false(access_reports(&a));
	assert_int_equal(as(db, f->sup, &a), AY_OK);
	assert_true(access_reports(&a));
	assert_false(access_config(&a));
	assert_int_equal(as(db, f->admin, &a), AY_OK);
	assert_true(access_config(&a));
	assert_int_equal(access_company(db, &a, acme, ACCESS_WRITE), AY_OK);
	return AY_OK;
}

static void access_rules(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_write(f->st, access_run, f), AY_OK);
}

struct cap_job {
	struct fx *f;
	int64_t company, user;
	struct verr e;
};

static ay_rc cap_run(struct db *db, void *arg)
{
	struct cap_job *j = arg;
	struct actor a;

	assert_int_equal(as(db, j->f->maria, &a), AY_OK);
	j->company = a.company_id;
	return company_endorse(db, j->f->agent, j->company, j->user, &j->e);
}

static ay_rc lower_cap(struct db *db, void *arg)
{
	struct cap_job *j = arg;

	return db_run(db, NULL, NULL,
		      "UPDATE companies SET max_contacts = 1 WHERE id = $1",
		      "i", j->company);
}

static void contact_cap(void **state)
{
	struct fx *f = *state;
	struct cap_job j = {.f = f, .user = f->jorge};

	assert_int_equal(store_write(f->st, cap_run, &j), AY_OK);
	assert_int_equal(store_write(f->st, cap_run, &j), AY_OK); /* again */
	assert_int_equal(store_write(f->st, lower_cap, &j), AY_OK);
	j.user = f->pedro; /* another company, not linkable: has one */
	assert_int_equal(store_write(f->st, cap_run, &j), AY_EINVAL);
}

/* jansson's allocator, made to fail from the n-th allocation on. */
static int alloc_left = -1;

static void *failing_malloc(size_t n)
{
	if (alloc_left == 0)
		return NULL;
	if (alloc_left > 0)
		alloc_left--;
	return malloc(n);
}

/* Out of memory while the clear password is replaced by its hash: the
 * member is gone, never left in clear to be stored as the hash (issue 8,
 * item 11). */
static void hash_member_oom(void **state)
{
	struct verr e = {{0}, {0}};
	int fails = 0;

	(void)state;
	setenv("AYUDA_PWHASH_FAST", "1", 1);
	for (int n = 0; n < 8; n++) {
		json_t *in = json_pack("{s:s}", "password", "caballo-correcto");
		const char *v;
		ay_rc rc;

		assert_non_null(in);
		alloc_left = n;
		json_set_alloc_funcs(failing_malloc, free);
		rc = account_hash_member(in, "password", &e);
		alloc_left = -1;
		json_set_alloc_funcs(malloc, free);
		v = json_string_value(json_object_get(in, "password"));
		if (rc) {
			fails++;
			assert_int_equal(rc, AY_ENOMEM);
			assert_null(v);
		} else {
			assert_true(account_hash_valid(v));
			assert_true(account_password_ok(v, "caballo-correcto"));
		}
		json_decref(in);
	}
	assert_true(fails > 0);
	/* The clear text is wiped, not only dropped. */
	{
		json_t *in = json_pack("{s:s}", "password", "caballo-correcto");
		json_t *clear = json_incref(json_object_get(in, "password"));

		assert_int_equal(account_hash_member(in, "password", &e),
				 AY_OK);
		assert_int_equal(json_string_length(clear), 16);
		for (size_t i = 0; i < 16; i++)
			assert_int_equal(json_string_value(clear)[i], 0);
		json_decref(clear);
		json_decref(in);
	}
	/* A password the policy refuses goes too, and the field is named. */
	{
		json_t *in = json_pack("{s:s}", "new_password", "corta");

		assert_int_equal(account_hash_member(in, "new_password", &e),
				 AY_EINVAL);
		assert_string_equal(e.field, "new_password");
		assert_null(json_object_get(in, "new_password"));
		json_decref(in);
	}
}

struct reg_job {
	const char *hash;
	int64_t wait;
	struct verr e;
};

static ay_rc reg_run(struct db *db, void *arg)
{
	struct reg_job *j = arg;
	struct account_new in = {.name = "Rosa",
				 .email = "rosa@x.pe",
				 .password_hash = j->hash,
				 .client = "192.0.2.1"};

	return account_register(db, "http://x", &in, &j->wait, &j->e);
}

static ay_rc set_run(struct db *db, void *arg)
{
	struct reg_job *j = arg;

	return account_password_set(db, 1, j->hash);
}

/* Only what account_hash_password() writes is ever stored as a hash. */
static void hash_stored_only(void **state)
{
	struct fx *f = *state;
	struct reg_job j = {.hash = "caballo-correcto"};

	assert_false(account_hash_valid("caballo-correcto"));
	assert_false(account_hash_valid(NULL));
	assert_int_equal(store_write(f->st, reg_run, &j), AY_EINVAL);
	assert_string_equal(j.e.field, "password");
	assert_int_equal(store_write(f->st, set_run, &j), AY_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passwords),
		cmocka_unit_test(csrf),
		cmocka_unit_test_setup_teardown(sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(vault, setup, teardown),
		cmocka_unit_test_setup_teardown(access_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(contact_cap, setup, teardown),
		cmocka_unit_test(hash_member_oom),
		cmocka_unit_test_setup_teardown(hash_stored_only, setup,
						teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
