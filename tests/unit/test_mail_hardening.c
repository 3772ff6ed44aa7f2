/* Unit tests: one-line text and file names (util/str.c), per-message
 * return paths (mail/verp.c), an outbox row's secrets once sent. */
#include <sys/stat.h>

#include "domain/common.h"
#include "mail/verp.h"
#include "testutil.h"
#include "util/str.h"

static void oneline_turns_controls_into_one_space(void **state)
{
	char s1[] = "Factura\r\nBcc: x@example.org";
	char s2[] = "a\x01\x02\x7f"
		    "b\xc2\x85"
		    "c\xe2\x80\xa8"
		    "d";
	char s3[] = "  dos  espacios\tcon tab  ";
	char s4[] = "caf\xc3\xa9 \xe2\x80\xae ok";

	(void)state;
	assert_int_equal(ay_oneline(s1), strlen("Factura Bcc: x@example.org"));
	assert_string_equal(s1, "Factura Bcc: x@example.org");
	ay_oneline(s2);
	assert_string_equal(s2, "a b c d");
	/* Spaces and tabs stay as they were: only controls change. */
	ay_oneline(s3);
	assert_string_equal(s3, "  dos  espacios\tcon tab  ");
	ay_oneline(s4);
	assert_string_equal(s4, "caf\xc3\xa9 \xe2\x80\xae ok");
}

static void filename(const char *in, size_t len, const char *want)
{
	char out[256];

	ay_filename_clean(in, len, "adjunto", out, sizeof(out));
	assert_string_equal(out, want);
}

static void filenames_are_safe_to_show_and_store(void **state)
{
	char big[400];

	(void)state;
	filename("factura\xe2\x80\xaegnp.exe", 17, "facturagnp.exe");
	filename("informe.exe\0.png", 16, "informe.exe.png");
	filename("../../etc/passwd", 16, "_.._etc_passwd");
	filename("C:\\Users\\x.png", 14, "C:_Users_x.png");
	filename("a\r\nb\x1b[31m.txt", 13, "ab[31m.txt");
	filename("\xe2\x81\xa6x\xe2\x81\xa9.pdf \xe2\x80\x8f", 16, "x.pdf");
	filename(".htaccess", 9, "htaccess");
	filename("bad\xff\xfeutf8.png", 13, "badutf8.png");
	filename("\x01\x02", 2, "adjunto");
	filename(NULL, 0, "adjunto");
	filename("gu\xc3\xad"
		 "a.pdf",
		 9,
		 "gu\xc3\xad"
		 "a.pdf");
	/* At most 200 bytes, never half a character. */
	for (size_t i = 0; i < sizeof(big); i += 2) {
		big[i] = '\xc3';
		big[i + 1] = '\xa9';
	}
	{
		char out[256];

		ay_filename_clean(big, sizeof(big), "x", out, sizeof(out));
		assert_int_equal(strlen(out), 200);
		assert_true(ay_utf8_valid(out, strlen(out)));
	}
}

static void return_paths_match_only_their_message(void **state)
{
	const char *dir = test_tmpdir();
	struct mail_verp_key k, again;
	char rp[300], other[300];
	struct stat sb;

	(void)state;
	assert_int_equal(mail_verp_key_load(dir, false, &k), AY_ENOTFOUND);
	assert_int_equal(mail_verp_key_load(dir, true, &k), AY_OK);
	assert_int_equal(mail_verp_key_load(dir, false, &again), AY_OK);
	assert_memory_equal(k.k, again.k, sizeof(k.k));
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/mail.key", dir);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	assert_int_equal(mail_verp_return_path(&k, "soporte@example.com",
					       "a1.ayuda@example.com", rp,
					       sizeof(rp)),
			 AY_OK);
	assert_int_equal(strlen(rp),
			 strlen("soporte+bounce-@example.com") + 20);
	assert_true(!strncmp(rp, "soporte+bounce-", 15));
	assert_true(mail_verp_match(&k, "a1.ayuda@example.com", rp));
	/* As an MTA may write it: in a header, upper case. */
	for (char *p = rp; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	snprintf(other, sizeof(other), "Delivered-To: <%s>\n", rp);
	assert_true(mail_verp_match(&k, "a1.ayuda@example.com", other));
	assert_false(mail_verp_match(&k, "a2.ayuda@example.com", other));
	assert_false(mail_verp_match(&k, "a1.ayuda@example.com",
				     "soporte@example.com"));
	assert_false(mail_verp_match(&k, "a1.ayuda@example.com", NULL));
	/* Another key makes other tokens. */
	k.k[0] ^= 1;
	assert_false(mail_verp_match(&k, "a1.ayuda@example.com", other));
	assert_int_equal(
		mail_verp_return_path(&k, "sin-arroba", "x@y", rp, sizeof(rp)),
		AY_EINVAL);
	test_rmdir(dir);
}

static ay_rc add_and_forget(struct db *db, void *arg)
{
	int64_t *id = arg;
	json_t *p =
		json_pack("{s:s,s:s,s:s}", "name", "Ana", "link",
			  "https://x/account/reset#token=abc", "lang", "es");
	struct db_stmt *s = NULL;
	bool row = false;
	ay_rc rc = outbox_add(db, "password_reset", 0, "ana@example.org", p);

	json_decref(p);
	if (!rc)
		rc = db_run(db, &s, &row, "SELECT MAX(id) FROM outbox", NULL);
	if (!rc)
		*id = db_col_int(s, 0);
	db_reset(s);
	return rc ? rc : outbox_forget_secrets(db, *id);
}

static void sent_rows_forget_their_secrets(void **state)
{
	const char *dir = test_tmpdir();
	struct store *st;
	struct db *db;
	struct db_stmt *s = NULL;
	int64_t id = 0;
	bool row = false;

	(void)state;
	assert_int_equal(store_open(dir, true, &st), AY_OK);
	assert_int_equal(store_write(st, add_and_forget, &id), AY_OK);
	assert_int_equal(store_reader(st, &db), AY_OK);
	assert_int_equal(db_run(db, &s, &row,
				"SELECT payload FROM outbox WHERE id = $1", "i",
				id),
			 AY_OK);
	assert_true(row);
	assert_string_equal(db_col_text(s, 0),
			    "{\"name\":\"Ana\",\"lang\":\"es\"}");
	db_reset(s);
	store_close(st);
	test_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oneline_turns_controls_into_one_space),
		cmocka_unit_test(filenames_are_safe_to_show_and_store),
		cmocka_unit_test(return_paths_match_only_their_message),
		cmocka_unit_test(sent_rows_forget_their_secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
