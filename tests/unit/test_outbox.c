/* Unit tests: rendering notifications in Spanish and English. */
#include "testutil.h"
#include "domain/notice.h"
#include "util/i18n.h"

static void render(const char *kind, const char *lang, json_t *payload,
		   int64_t number, struct buf *subj, struct buf *text)
{
	struct outbox_view v = {.kind = kind,
				.lang = lang,
				.name = "María",
				.subject = "No carga el CRM",
				.level = "Partner Oro",
				.due = "jueves, 3 de diciembre de 2026, 9:30",
				.body = "Pruebe con CSV.",
				.base_url = "https://soporte.example",
				.tag = "Ticket",
				.number = number,
				.payload = payload};

	buf_init(subj, 0);
	buf_init(text, 0);
	assert_int_equal(outbox_render(&v, subj, text), AY_OK);
}

static void ticket_mail_in_both_languages(void **state)
{
	struct buf s, t;

	(void)state;
	render("ticket_received", "es", NULL, 42, &s, &t);
	assert_string_equal(buf_str(&s), "[Ticket#42] No carga el CRM");
	assert_non_null(strstr(buf_str(&t), "Hola María:"));
	assert_non_null(strstr(buf_str(&t), "registrado con el número 42"));
	assert_non_null(strstr(buf_str(&t), "Partner Oro"));
	assert_non_null(strstr(buf_str(&t), "jueves, 3 de diciembre"));
	buf_release(&s);
	buf_release(&t);
	render("ticket_received", "en", NULL, 42, &s, &t);
	assert_non_null(strstr(buf_str(&t), "Hello María,"));
	assert_non_null(strstr(buf_str(&t), "registered it as number 42"));
	assert_null(strstr(buf_str(&t), "Hemos"));
	buf_release(&s);
	buf_release(&t);
}

/* Policy 7.15: a contact who wrote from another address is told why the
 * commercial level was not given, and what to do. */
static void received_from_another_address(void **state)
{
	json_t *p = json_pack("{s:b}", "license_address", 0);
	struct buf s, t;

	(void)state;
	render("ticket_received", "es", p, 43, &s, &t);
	assert_non_null(strstr(buf_str(&t),
			       "solo se asigna a los tickets enviados desde "
			       "la dirección registrada en la licencia"));
	buf_release(&s);
	buf_release(&t);
	render("ticket_received", "en", p, 43, &s, &t);
	assert_non_null(strstr(buf_str(&t), "registered with your company's "
					    "licence"));
	buf_release(&s);
	buf_release(&t);
	render("ticket_received", "es", NULL, 43, &s, &t);
	assert_null(strstr(buf_str(&t), "licencia"));
	buf_release(&s);
	buf_release(&t);
	json_decref(p);
}

static void account_mail_carries_the_link(void **state)
{
	static const char *const kinds[] = {"account_verify", "password_reset",
					    "email_change_verify",
					    "account_exists", "email_taken"};
	json_t *p = json_pack("{s:s}", "link",
			      "https://soporte.example/account/x#token=abc");
	struct buf s, t;

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(kinds); i++) {
		for (int en = 0; en < 2; en++) {
			render(kinds[i], en ? "en" : "es", p, 0, &s, &t);
			/* No ticket: no tag in the subject. */
			assert_null(strstr(buf_str(&s), "#0]"));
			assert_true(s.len > 0);
			assert_non_null(strstr(buf_str(&t), "token=abc"));
			buf_release(&s);
			buf_release(&t);
		}
	}
	render("email_taken", "en", p, 0, &s, &t);
	assert_string_equal(buf_str(&s),
			    "Attempt to use your address on another account");
	buf_release(&s);
	buf_release(&t);
	json_decref(p);
}

static void unknown_kind_without_ticket_is_refused(void **state)
{
	struct outbox_view v = {
		.kind = "bogus", .lang = "es", .base_url = "", .tag = "Ticket"};
	struct buf s, t;

	(void)state;
	buf_init(&s, 0);
	buf_init(&t, 0);
	assert_int_equal(outbox_render(&v, &s, &t), AY_EINVAL);
	buf_release(&s);
	buf_release(&t);
}

static void every_english_message_keeps_its_format(void **state)
{
	(void)state;
	/* A translated format must keep the conversions of its msgid. */
	assert_string_equal(i18n("en", "Hola %s:"), "Hello %s,");
	assert_string_equal(i18n("es", "Hola %s:"), "Hola %s:");
	assert_string_equal(i18n("fr", "Hola %s:"), "Hola %s:");
	assert_string_equal(i18n("en", "texto sin traducción"),
			    "texto sin traducción");
}

/* A requester we know only by address is greeted without a stray space,
 * in ticket mail and in account mail. */
static void greeting_without_a_name(void **state)
{
	static const char *const names[] = {NULL, "", " "};
	static const char *const kinds[] = {"ticket_received",
					    "password_changed"};
	struct buf s, t;

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(names) * 4; i++) {
		int en = (int)(i & 1), k = (int)((i >> 1) & 1);
		struct outbox_view v = {.kind = kinds[k],
					.lang = en ? "en" : "es",
					.name = names[i / 4],
					.subject = "Consulta",
					.level = "Sin identificar",
					.tag = "Ticket",
					.number = k ? 0 : 7};
		const char *hello = en ? "Hello,\n" : "Hola:\n";

		buf_init(&s, 0);
		buf_init(&t, 0);
		assert_int_equal(outbox_render(&v, &s, &t), AY_OK);
		assert_true(!strncmp(buf_str(&t), hello, strlen(hello)));
		buf_release(&s);
		buf_release(&t);
	}
}

/* Every notice about a ticket reads wholly in English for an English
 * reader: no Spanish sentence left untranslated (issue 9, item 16). */
static void english_notices_have_no_spanish(void **state)
{
	static const char *const words[] = {"Hemos", "Su ",	 "su ", " el ",
					    " de ",  "ticket %", "Hay "};
	const char *cases[][2] = {
		{"ticket_received", "{\"continues\": 7}"},
		{"ticket_received", "{\"registered\": false}"},
		{"ticket_received", "{\"license_address\": false}"},
		{"comment_received", "{}"},
		{"comment_received", "{\"reopened\": true}"},
		{"agent_reply", "{}"},
		{"agent_reply", "{\"out_of_scope\": true, \"token\": \"ab\"}"},
		{"status_changed", "{\"label\": \"cerrado\"}"},
		{"pending_reminder", "{}"},
		{"pending_closed", "{}"},
		{"development_escalated", "{\"days\": 60}"},
		{"development_review", "{}"},
		{"development_extended", "{}"},
		{"sla_warning", "{}"},
		{"sla_breach", "{}"},
		{"survey", "{\"token\": \"ab\"}"},
		{"sla_inclusion_approved",
		 "{\"company\": \"Acme\", \"contact\": true, \"level_name_es\":"
		 " \"Cliente comercial\", \"level_name_en\": \"Commercial "
		 "customer\", \"response_minutes\": 1440}"},
		{"sla_inclusion_rejected", "{\"reason\": \"No licence.\"}"},
		{"supervisor_review",
		 "{\"by\": \"Ann\", \"reason\": \"Slow\"}"},
		{"supervisor_review_received", "{}"},
	};
	struct buf s, t;

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(cases); i++) {
		json_t *p = json_loads(cases[i][1], 0, NULL);
		struct outbox_view v = {.kind = cases[i][0],
					.lang = "en",
					.name = "Ann",
					.subject = "Export",
					.level = "Gold partner",
					.due = "Thursday, December 3, 2026",
					.review = "Monday, February 1, 2027",
					.out_of_scope = "Ask your host.",
					.body = "Try CSV.",
					.base_url = "https://help.example",
					.tag = "Ticket",
					.number = 42,
					.payload = p};

		assert_non_null(p);
		buf_init(&s, 0);
		buf_init(&t, 0);
		assert_int_equal(outbox_render(&v, &s, &t), AY_OK);
		for (const char *c = buf_str(&t); *c; c++)
			if ((unsigned char)*c >= 0x80)
				fail_msg("%s: non-ASCII in English: %s",
					 cases[i][0], buf_str(&t));
		for (size_t w = 0; w < AY_ARRAY_LEN(words); w++)
			if (strstr(buf_str(&t), words[w]))
				fail_msg("%s: Spanish \"%s\" in English: %s",
					 cases[i][0], words[w], buf_str(&t));
		buf_release(&s);
		buf_release(&t);
		json_decref(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(received_from_another_address),
		cmocka_unit_test(ticket_mail_in_both_languages),
		cmocka_unit_test(account_mail_carries_the_link),
		cmocka_unit_test(unknown_kind_without_ticket_is_refused),
		cmocka_unit_test(every_english_message_keeps_its_format),
		cmocka_unit_test(greeting_without_a_name),
		cmocka_unit_test(english_notices_have_no_spanish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
