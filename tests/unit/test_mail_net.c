/* SMTP and IMAP against real servers on loopback. Run through
 * tests/mail/run_net_tests.sh, which starts Dovecot and aiosmtpd and sets
 * AY_NET_DIR, AY_IMAP_PORT, AY_IMAPS_PORT, AY_SMTP_PORT, AY_SMTPS_PORT;
 * without them every test is skipped. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mail/compose.h"
#include "mail/imap.h"
#include "mail/parse.h"
#include "mail/smtp.h"
#include "util/buf.h"

static const char *env_or_skip(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		skip();
	return v;
}

static void url(char *out, size_t n, const char *scheme, const char *port,
		const char *path)
{
	snprintf(out, n, "%s://127.0.0.1:%s%s", scheme, port, path);
}

/* Drop a message into the Dovecot maildir (new/ = unseen). */
static void deliver(const char *subject, int i)
{
	const char *dir = env_or_skip("AY_NET_DIR");
	char path[1024], tmp[1024];
	FILE *f;
	struct stat st;

	snprintf(tmp, sizeof(tmp), "%s/mail/test/tmp/%d.%d.ay", dir,
		 (int)getpid(), i);
	snprintf(path, sizeof(path), "%s/mail/test/new/%d.%d.ay", dir,
		 (int)getpid(), i);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fprintf(f,
		"From: Cliente <cliente@example.com>\r\n"
		"To: soporte@example.org\r\n"
		"Subject: %s\r\n"
		"Message-ID: <m%d@example.com>\r\n"
		"\r\n"
		"cuerpo %d\r\n",
		subject, i, i);
	fclose(f);
	{
		char md[1024];

		snprintf(md, sizeof(md), "%s/mail/test", dir);
		assert_int_equal(stat(md, &st), 0);
		assert_int_equal(chown(tmp, st.st_uid, st.st_gid), 0);
	}
	assert_int_equal(rename(tmp, path), 0);
}

struct sink {
	int calls;
	int fail_at; /* 1-based call that fails, 0 never */
	char subjects[8][64];
};

static ay_rc sink_cb(void *arg, const char *raw, size_t len)
{
	struct sink *s = arg;
	struct mail_msg *m = NULL;

	s->calls++;
	if (s->fail_at && s->calls == s->fail_at)
		return AY_EBUSY;
	assert_int_equal(mail_parse(raw, len, NULL, &m, NULL, 0), AY_OK);
	if (s->calls <= 8)
		snprintf(s->subjects[s->calls - 1], 64, "%s", m->subject);
	mail_msg_free(m);
	return AY_OK;
}

static void imap_conf(struct mail_imap_conf *c, char *u, size_t un,
		      const char *scheme, const char *portvar,
		      enum mail_tls tls)
{
	url(u, un, scheme, env_or_skip(portvar), "/INBOX");
	memset(c, 0, sizeof(*c));
	c->url = u;
	c->user = "test";
	c->password = "secret";
	c->tls = tls;
	c->insecure = true;
	c->timeout = 10;
}

static void test_imap_seen_after_commit(void **state)
{
	struct mail_imap_conf c;
	struct sink s1 = {0, 2, {{0}}}, s2 = {0, 0, {{0}}}, s3 = {0, 0, {{0}}};
	char u[256], err[256];
	size_t fetched = 0, skipped = 0;
	ay_rc rc;

	(void)state;
	imap_conf(&c, u, sizeof(u), "imap", "AY_IMAP_PORT", MAIL_TLS_NONE);
	deliver("uno", 1);
	deliver("dos", 2);
	deliver("tres", 3);
	/* The second callback fails: only the first is marked seen. */
	rc = mail_imap_fetch(&c, sink_cb, &s1, &fetched, &skipped, err,
			     sizeof(err));
	assert_int_equal(rc, AY_EBUSY);
	assert_int_equal(fetched, 1);
	assert_int_equal(s1.calls, 2);
	assert_string_equal(s1.subjects[0], "uno");
	/* The next poll gets the two unseen ones. */
	rc = mail_imap_fetch(&c, sink_cb, &s2, &fetched, &skipped, err,
			     sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(fetched, 2);
	assert_string_equal(s2.subjects[0], "dos");
	assert_string_equal(s2.subjects[1], "tres");
	/* Nothing left. */
	rc = mail_imap_fetch(&c, sink_cb, &s3, &fetched, &skipped, err,
			     sizeof(err));
	assert_int_equal(rc, AY_OK);
	assert_int_equal(s3.calls, 0);
}

static void test_imap_tls(void **state)
{
	struct mail_imap_conf c;
	struct sink s = {0, 0, {{0}}};
	char u[256], err[256];
	size_t fetched = 0;
	ay_rc rc;

	(void)state;
	deliver("starttls", 10);
	imap_conf(&c, u, sizeof(u), "imap", "AY_IMAP_PORT", MAIL_TLS_REQUIRED);
	rc = mail_imap_fetch(&c, sink_cb, &s, &fetched, NULL, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(fetched, 1);
	assert_string_equal(s.subjects[0], "starttls");

	deliver("imaps", 11);
	memset(&s, 0, sizeof(s));
	imap_conf(&c, u, sizeof(u), "imaps", "AY_IMAPS_PORT", MAIL_TLS_NONE);
	rc = mail_imap_fetch(&c, sink_cb, &s, &fetched, NULL, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(fetched, 1);
	assert_string_equal(s.subjects[0], "imaps");

	/* Certificate verification is on by default: self-signed fails. */
	c.insecure = false;
	rc = mail_imap_fetch(&c, sink_cb, &s, &fetched, NULL, err, sizeof(err));
	assert_int_equal(rc, AY_EIO);
}

static void test_imap_bad_login(void **state)
{
	struct mail_imap_conf c;
	struct sink s = {0, 0, {{0}}};
	char u[256], err[256];
	ay_rc rc;

	(void)state;
	imap_conf(&c, u, sizeof(u), "imap", "AY_IMAP_PORT", MAIL_TLS_NONE);
	c.password = "wrong";
	rc = mail_imap_fetch(&c, sink_cb, &s, NULL, NULL, err, sizeof(err));
	assert_int_equal(rc, AY_EIO);
	assert_int_equal(s.calls, 0);
	assert_true(err[0] != '\0');
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[4096];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, 1 << 24);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		assert_int_equal(buf_add(&b, tmp, n), AY_OK);
	fclose(f);
	assert_int_equal(buf_add(&b, "", 0), AY_OK);
	return buf_take(&b, NULL);
}

static void compose_one(struct buf *out, const char *subject)
{
	struct mail_out m = {0};
	char *id = mail_new_message_id("ayuda.example.org");

	m.from = "soporte@ayuda.example.org";
	m.from_name = "Soporte Técnico";
	m.to = "cliente@example.com";
	m.subject = subject;
	m.message_id = id;
	m.text = "Hola,\n\nsu solicitud fue registrada.\n";
	buf_init(out, 1 << 20);
	assert_int_equal(mail_compose(&m, out), AY_OK);
	free(id);
}

static void test_smtp_send(void **state)
{
	const char *dir = env_or_skip("AY_NET_DIR");
	struct mail_smtp_conf c = {0};
	const char *rcpts[] = {"cliente@example.com", "otro@example.com"};
	char u[256], err[256], path[1024], *got, *env;
	struct mail_msg *m = NULL;
	struct buf msg;
	ay_rc rc;

	(void)state;
	url(u, sizeof(u), "smtp", env_or_skip("AY_SMTP_PORT"), "");
	c.url = u;
	c.timeout = 10;
	compose_one(&msg, "Ticket#1 recibido: configuración");
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 2, msg.ptr,
			    msg.len, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/smtp/1.eml", dir);
	got = read_file(path);
	assert_non_null(got);
	assert_int_equal(mail_parse(got, strlen(got), NULL, &m, NULL, 0),
			 AY_OK);
	assert_string_equal(m->subject, "Ticket#1 recibido: configuración");
	assert_string_equal(m->from_name, "Soporte Técnico");
	mail_msg_free(m);
	free(got);
	snprintf(path, sizeof(path), "%s/smtp/1.env", dir);
	env = read_file(path);
	assert_non_null(env);
	assert_string_equal(env, "soporte@ayuda.example.org\n"
				 "cliente@example.com\notro@example.com\n");
	free(env);

	/* Permanent rejection: AY_EINVAL with the 550 code. */
	rcpts[0] = "reject@example.com";
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 1, msg.ptr,
			    msg.len, err, sizeof(err));
	assert_int_equal(rc, AY_EINVAL);
	assert_non_null(strstr(err, "550"));
	/* Temporary: AY_EIO with 451. */
	rcpts[0] = "tempfail@example.com";
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 1, msg.ptr,
			    msg.len, err, sizeof(err));
	assert_int_equal(rc, AY_EIO);
	assert_non_null(strstr(err, "451"));
	buf_release(&msg);
}

static void test_smtp_starttls(void **state)
{
	const char *dir = env_or_skip("AY_NET_DIR");
	struct mail_smtp_conf c = {0};
	const char *rcpts[] = {"cliente@example.com"};
	char u[256], err[256], path[1024];
	struct buf msg;
	ay_rc rc;

	(void)state;
	url(u, sizeof(u), "smtp", env_or_skip("AY_SMTPS_PORT"), "");
	c.url = u;
	c.timeout = 10;
	c.tls = MAIL_TLS_REQUIRED;
	c.insecure = true;
	compose_one(&msg, "por TLS");
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 1, msg.ptr,
			    msg.len, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/smtps/1.eml", dir);
	assert_int_equal(access(path, R_OK), 0);
	/* STARTTLS required but the plain server does not offer it. */
	url(u, sizeof(u), "smtp", env_or_skip("AY_SMTP_PORT"), "");
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 1, msg.ptr,
			    msg.len, err, sizeof(err));
	assert_int_equal(rc, AY_EIO);
	/* Nobody listening: temporary. */
	url(u, sizeof(u), "smtp", "1", "");
	rc = mail_smtp_send(&c, "soporte@ayuda.example.org", rcpts, 1, msg.ptr,
			    msg.len, err, sizeof(err));
	assert_int_equal(rc, AY_EIO);
	buf_release(&msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imap_seen_after_commit),
		cmocka_unit_test(test_imap_tls),
		cmocka_unit_test(test_imap_bad_login),
		cmocka_unit_test(test_smtp_send),
		cmocka_unit_test(test_smtp_starttls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
