/* Unit tests: the rules of `ayuda doctor` and its report. */
#include "testutil.h"
#include "domain/doctor.h"

/* The report as printed, in a static buffer. */
static const char *printed(const struct doctor_report *r, int *failed)
{
	static char out[8192];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	*failed = doctor_print(r, f);
	fclose(f);
	return out;
}

static enum doctor_state last(const struct doctor_report *r)
{
	assert_true(r->n > 0);
	return r->items[r->n - 1].state;
}

static void base_url_must_be_public_https(void **state)
{
	static const struct {
		const char *url;
		enum doctor_state want;
	} cases[] = {
		{"https://ayuda.example.com", DOCTOR_OK},
		{"https://ayuda.example.com:8443/soporte", DOCTOR_OK},
		{"http://127.0.0.1:8080", DOCTOR_FAIL},
		{"https://localhost", DOCTOR_FAIL},
		{"http://[::1]:8080", DOCTOR_FAIL},
		{"http://ayuda.example.com", DOCTOR_FAIL},
		{"ayuda.example.com", DOCTOR_FAIL},
		{"", DOCTOR_FAIL},
	};
	struct doctor_report r;

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(cases); i++) {
		doctor_init(&r, "es");
		doctor_base_url(&r, cases[i].url);
		assert_int_equal(last(&r), cases[i].want);
	}
}

static void support_address_real_and_matching_domain(void **state)
{
	struct doctor_report r;

	(void)state;
	doctor_init(&r, "es");
	doctor_support_address(&r, "soporte@example.com", "example.com");
	doctor_support_address(&r, "soporte@ayuda.localhost",
			       "ayuda.localhost");
	doctor_support_address(&r, "soporte@example.com", "ayuda.localhost");
	doctor_support_address(&r, "soporte", "example.com");
	assert_int_equal(r.items[0].state, DOCTOR_OK);
	assert_int_equal(r.items[1].state, DOCTOR_FAIL);
	assert_int_equal(r.items[2].state, DOCTOR_FAIL);
	assert_non_null(strstr(r.items[2].text, "domain = example.com"));
	assert_int_equal(r.items[3].state, DOCTOR_FAIL);
}

static void disk_needs_a_gib_and_five_percent(void **state)
{
	const uint64_t gib = 1ull << 30;
	struct doctor_report r;

	(void)state;
	doctor_init(&r, "es");
	doctor_disk(&r, "/var/lib/ayuda", 10 * gib, 100 * gib);
	assert_int_equal(last(&r), DOCTOR_OK);
	doctor_disk(&r, "/var/lib/ayuda", gib - 1, 2 * gib);
	assert_int_equal(last(&r), DOCTOR_FAIL);
	doctor_disk(&r, "/var/lib/ayuda", 4 * gib, 100 * gib);
	assert_int_equal(last(&r), DOCTOR_FAIL);
	assert_non_null(strstr(r.items[2].text, "4096 MiB"));
}

static void modes_say_the_chmod(void **state)
{
	struct doctor_report r;

	(void)state;
	doctor_init(&r, "es");
	doctor_mode(&r, "vault.key", "/d/vault.key", 0100600, 0600);
	assert_int_equal(last(&r), DOCTOR_OK);
	doctor_mode(&r, "vault.key", "/d/vault.key", 0100644, 0600);
	assert_int_equal(last(&r), DOCTOR_FAIL);
	assert_non_null(strstr(r.items[1].text, "chmod 0600 /d/vault.key"));
	doctor_mode(&r, "data", "/d", 040755, 0750);
	assert_non_null(strstr(r.items[2].text, "chmod 0750 /d"));
}

static void proxy_must_be_trusted_when_behind_one(void **state)
{
	struct doctor_report r;

	(void)state;
	doctor_init(&r, "es");
	doctor_proxy(&r, "https://ayuda.example.com", "127.0.0.1:8080", "");
	assert_int_equal(last(&r), DOCTOR_FAIL);
	assert_non_null(strstr(r.items[0].text, "trusted_proxies"));
	doctor_proxy(&r, "https://ayuda.example.com", "127.0.0.1:8080",
		     "127.0.0.1, ::1");
	assert_int_equal(last(&r), DOCTOR_OK);
	doctor_proxy(&r, "https://ayuda.example.com", "0.0.0.0:443", "");
	assert_int_equal(last(&r), DOCTOR_SKIP);
}

static void postfix_sizes_fit_our_largest_message(void **state)
{
	const uint64_t max = 50ull << 20;
	struct doctor_report r;

	(void)state;
	doctor_init(&r, "es");
	doctor_postfix_sizes(&r, 10240000, 51200000, max);
	assert_int_equal(last(&r), DOCTOR_FAIL);
	assert_non_null(
		strstr(r.items[0].text, "message_size_limit = 52428800"));
	doctor_postfix_sizes(&r, max, 51200000, max);
	assert_int_equal(last(&r), DOCTOR_FAIL);
	assert_non_null(strstr(r.items[1].text, "mailbox_size_limit = 0"));
	doctor_postfix_sizes(&r, max, 0, max);
	assert_int_equal(last(&r), DOCTOR_OK);
	doctor_postfix_sizes(&r, 0, 0, max);
	assert_int_equal(last(&r), DOCTOR_OK);
}

static void report_in_english_without_secrets(void **state)
{
	struct doctor_report r;
	const char *out;
	int failed;

	(void)state;
	doctor_init(&r, "en");
	r.secrets[0] = "hunter2-pw";
	doctor_mode(&r, "vault.key", "/d/vault.key", 0100644, 0600);
	doctor_add(&r, "smtp", DOCTOR_FAIL,
		   "%s no responde (%s): revise [mail] smtp_url, smtp_user y "
		   "smtp_password",
		   "smtp://u:hunter2-pw@relay", "timeout");
	doctor_add(&r, "imap", DOCTOR_SKIP, "sin [mail] imap_url");
	out = printed(&r, &failed);
	assert_int_equal(failed, 2);
	assert_non_null(strstr(out, "FAIL   vault.key: /d/vault.key has mode "
				    "0644; fix it with: chmod 0600"));
	assert_non_null(strstr(out, "smtp://u:***@relay does not answer"));
	assert_null(strstr(out, "hunter2"));
	assert_non_null(strstr(out, "--     imap: no [mail] imap_url"));
	assert_non_null(strstr(out, "2 checks failed."));
	doctor_init(&r, "es");
	doctor_add(&r, "imap", DOCTOR_SKIP, "sin [mail] imap_url");
	out = printed(&r, &failed);
	assert_int_equal(failed, 0);
	assert_non_null(strstr(out, "Todo en orden."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_url_must_be_public_https),
		cmocka_unit_test(support_address_real_and_matching_domain),
		cmocka_unit_test(disk_needs_a_gib_and_five_percent),
		cmocka_unit_test(modes_say_the_chmod),
		cmocka_unit_test(proxy_must_be_trusted_when_behind_one),
		cmocka_unit_test(postfix_sizes_fit_our_largest_message),
		cmocka_unit_test(report_in_english_without_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
