/* Unit tests: struct buf, UTF-8 validation, config. */
#include "domain/common.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/dl.h"
#include "util/fold.h"
#include "util/grow.h"
#include "util/blob.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/path.h"
#include "util/str.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

/* The SHA instructions' digest is libsodium's, for every length around the
 * block and padding edges, any alignment, and large inputs. */
static void sha256_matches_libsodium(void **state)
{
	size_t big = 3 * 1024 * 1024 + 17;
	unsigned char *p = malloc(big + 16), a[32], b[32];
	char hex[65];

	(void)state;
	assert_non_null(p);
	randombytes_buf(p, big + 16);
	for (size_t len = 0; len <= 1100; len++) {
		const unsigned char *q = p + len % 16;

		ay_sha256(q, len, a);
		crypto_hash_sha256(b, q, len);
		assert_memory_equal(a, b, 32);
	}
	ay_sha256(p + 3, big, a);
	crypto_hash_sha256(b, p + 3, big);
	assert_memory_equal(a, b, 32);
	ay_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9"
			    "cb410ff61f20015ad");
	free(p);
}

static void buf_grows_and_terminates(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_addf(&b, "%d,", i), AY_OK);
	assert_int_equal(b.len, strlen(b.ptr));
	assert_memory_equal(b.ptr, "0,1,2,", 6);
	assert_int_equal(b.ptr[b.len], '\0');
	buf_release(&b);
}

static void buf_respects_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), AY_OK);
	assert_int_equal(buf_addc(&b, 'x'), AY_ETOOBIG);
	/* A failed add released the buffer. */
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void buf_take_gives_ownership(void **state)
{
	struct buf b;
	size_t n;
	char *p;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_add(&b, "a\0b", 3), AY_OK);
	p = buf_take(&b, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "a\0b", 3);
	assert_null(b.ptr);
	free(p);
	p = buf_take(&b, &n);
	assert_string_equal(p, "");
	free(p);
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_true(ay_utf8_valid("hola", 4));
	assert_true(ay_utf8_valid("árbol ñandú €𝄞", strlen("árbol ñandú €𝄞")));
	assert_false(ay_utf8_valid("\xc3", 1));		/* truncated */
	assert_false(ay_utf8_valid("\xc0\xaf", 2));	/* overlong */
	assert_false(ay_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(ay_utf8_valid("a\0b", 3));		/* NUL */
	assert_false(ay_utf8_valid("\xff", 1));
	assert_false(ay_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void config_rejects_unknown_keys(void **state)
{
	const char *dir = test_tmpdir();
	struct ay_config c;
	char path[128], err[256];
	FILE *f;

	(void)state;
	assert_int_equal(config_load(dir, &c, err, sizeof(err)), AY_OK);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	snprintf(path, sizeof(path), "%s/ayuda.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[server]\nlisten = 0.0.0.0:9000\nthreads = 3\n", f);
	fclose(f);
	assert_int_equal(config_load(dir, &c, err, sizeof(err)), AY_OK);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.threads, 3);
	f = fopen(path, "a");
	fputs("lisen = typo\n", f);
	fclose(f);
	assert_int_equal(config_load(dir, &c, err, sizeof(err)), AY_EINVAL);
	assert_non_null(strstr(err, ":4"));
	test_rmdir(dir);
}

/* Run fn with stderr sent to a temporary file; return what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
	static char out[4096];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	assert_true(dup2(fileno(f), 2) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

/* ay_dl_load() over the C library, which every process has loaded. */
static size_t (*dl_strlen)(const char *);
static int (*dl_nope)(void);
static ay_rc dl_rc;

static void dl_missing_function(void)
{
	static const char *const files[] = {"libc.so.6", NULL};
	static const struct ay_dl_lib libc = {"libc", "libc6", files};
	const struct ay_dl_sym syms[] = {{"strlen", &dl_strlen},
					 {"ay_no_such_function", &dl_nope}};

	dl_rc = ay_dl_load(&libc, syms, AY_ARRAY_LEN(syms));
}

static void dl_missing_library(void)
{
	static const char *const files[] = {"libayuda-none.so.1",
					    "libayuda-none.so.0", NULL};
	static const struct ay_dl_lib none = {"libayuda-none", "ayuda-none",
					      files};
	const struct ay_dl_sym syms[] = {{"strlen", &dl_strlen}};

	dl_rc = ay_dl_load(&none, syms, AY_ARRAY_LEN(syms));
}

/* A library loads from the first file that opens, every function looked
 * up into its pointer; a missing library or function is an error that
 * names it (and the package to install). */
static void libraries_load_at_run_time(void **state)
{
	static const char *const files[] = {"libc.so.none", "libc.so.6", NULL};
	static const struct ay_dl_lib libc = {"libc", "libc6", files};
	const struct ay_dl_sym syms[] = {{"strlen", &dl_strlen}};
	const char *out;

	(void)state;
	assert_int_equal(ay_dl_load(&libc, syms, 1), AY_OK);
	assert_int_equal(dl_strlen("ayuda"), 5);

	out = capture_stderr(dl_missing_function);
	assert_int_equal(dl_rc, AY_EIO);
	assert_non_null(strstr(out, "msg=\"libc lacks a function\""));
	assert_non_null(strstr(out, "lib=libc.so.6 name=ay_no_such_function"));

	out = capture_stderr(dl_missing_library);
	assert_int_equal(dl_rc, AY_EIO);
	assert_non_null(strstr(out, "msg=\"cannot load libayuda-none (apt-get "
				    "install ayuda-none)\""));
	assert_non_null(strstr(out, "libayuda-none.so"));
}

/* A path that does not fit is an error, never a shorter path (which would
 * name another file). */
static void paths_are_never_cut_short(void **state)
{
	char out[16], dir[1100], hex[65];

	(void)state;
	assert_int_equal(ay_path(out, sizeof(out), "%s/%s", "data", "raw"),
			 AY_OK);
	assert_string_equal(out, "data/raw");
	assert_int_equal(ay_path(out, sizeof(out), "%s/ayuda.conf", "datos"),
			 AY_ETOOBIG);
	assert_string_equal(out, "");
	/* A data directory as long as the buffers that hold its files. */
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	assert_int_equal(blob_put(dir, "attachments", "x", 1, hex), AY_ETOOBIG);
	assert_int_equal(blob_path(dir, "attachments", hex, out, sizeof(out)),
			 AY_ETOOBIG);
}

struct blob_writer {
	const char *dir;
	int id;
	ay_rc rc;
};

/* Twenty blobs of its own, then one shared sync, as a mail delivery does. */
static void *blob_writer_main(void *arg)
{
	struct blob_writer *w = arg;
	char data[64], hex[65];

	for (int i = 0; !w->rc && i < 20; i++) {
		snprintf(data, sizeof(data), "blob %d of writer %d", i, w->id);
		w->rc = blob_put_nosync(w->dir, "raw", data, strlen(data), hex);
	}
	if (!w->rc)
		w->rc = blob_sync(w->dir);
	return NULL;
}

/* Blobs written without a sync each and synced together by concurrent
 * callers: every one there, whole, under its hash, no temporary left. */
static void blobs_synced_together(void **state)
{
	const char *tmp = test_tmpdir();
	struct blob_writer w[8];
	pthread_t th[8];
	char dir[64], path[1200], data[64], hex[65], got[64];
	int files = 0;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", tmp);
	for (int i = 0; i < 8; i++) {
		w[i] = (struct blob_writer){dir, i, AY_OK};
		assert_int_equal(
			pthread_create(&th[i], NULL, blob_writer_main, &w[i]),
			0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, AY_OK);
	}
	for (int id = 0; id < 8; id++)
		for (int i = 0; i < 20; i++) {
			size_t n;

			snprintf(data, sizeof(data), "blob %d of writer %d", i,
				 id);
			ay_sha256_hex(data, strlen(data), hex);
			assert_int_equal(
				blob_path(dir, "raw", hex, path, sizeof(path)),
				AY_OK);
			f = fopen(path, "rb");
			assert_non_null(f);
			n = fread(got, 1, sizeof(got), f);
			fclose(f);
			assert_int_equal(n, strlen(data));
			assert_memory_equal(got, data, n);
			files++;
		}
	assert_int_equal(files, 160);
	snprintf(path, sizeof(path), "ls %s/raw | grep -c tmp", dir);
	f = popen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(got, sizeof(got), f));
	pclose(f);
	assert_int_equal(atoi(got), 0);
	assert_int_equal(blob_sync(dir), AY_OK);
	test_rmdir(dir);
}

static void log_hostile_values(void)
{
	log_info("request", "path=\"%s\" n=%d big=%lld f=%.3f cut=\"%.*s\"",
		 "/a\nts=x level=error msg=\"forged\"\r\t\\ \x1b[31m"
		 " caf\xc3\xa9 \xe2\x80\xae \xff",
		 -7, (long long)1 << 40, 1.5, 3, "ab\ncdef");
}

/* Every value in a log line is escaped as stravis(3) would: a request path
 * cannot end the line, close its quotes or colour the terminal. */
static void log_escapes_values(void **state)
{
	const char *out = capture_stderr(log_hostile_values);
	const char *kv = strstr(out, "msg=\"request\" ");

	(void)state;
	assert_non_null(kv);
	assert_string_equal(
		kv, "msg=\"request\" path=\"/a\\nts=x level=error "
		    "msg=\\\"forged\\\"\\r\\t\\\\ \\x1b[31m caf\xc3\xa9 "
		    "\\xe2\\x80\\xae \\xff\" n=-7 big=1099511627776 f=1.500 "
		    "cut=\"ab\\n\"\n");
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
}

/* Words as the search indexes cut them: punctuation apart, UTF-8 letters
 * and digits inside a word. */
static void words_as_the_index_sees_them(void **state)
{
	const unsigned char *p =
		(const unsigned char *)"Exportación, CRM-2? (sí)!  ";
	const char *want[] = {"Exportación", "CRM", "2", "sí"};
	const unsigned char *w;
	size_t n, i = 0;

	(void)state;
	while ((w = ay_next_word(&p, &n)) != NULL) {
		assert_true(i < 4);
		assert_int_equal(n, strlen(want[i]));
		assert_memory_equal(w, want[i], n);
		i++;
	}
	assert_int_equal(i, 4);
	assert_int_equal(n, 0);
}

static void folds_case_and_accents(void **state)
{
	static const char *const cases[][2] = {
		{"ACME PERÚ", "acme peru"},
		{"Óptica Ñandú", "optica nandu"},
		{"Straße", "strasse"},
		{"ΕΛΈΝΗ", "ελενη"},
		{"100% C_a\\b", "100% c_a\\b"},
		{"bad \xff byte", "bad \xef\xbf\xbd byte"},
		{"", ""},
	};
	size_t len;

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(cases); i++) {
		char *f = ay_fold(cases[i][0], strlen(cases[i][0]), &len);

		assert_non_null(f);
		assert_string_equal(f, cases[i][1]);
		assert_int_equal(len, strlen(cases[i][1]));
		free(f);
	}
}

static void arrays_grow_by_doubling(void **state)
{
	int64_t *v = NULL;
	size_t cap = 0, n;

	(void)state;
	assert_int_equal(ay_grow((void **)&v, &cap, 1, sizeof(*v)), AY_OK);
	assert_non_null(v);
	assert_int_equal(cap, 16);
	for (n = 0; n < 1000; n++) {
		assert_int_equal(ay_grow((void **)&v, &cap, n + 1, sizeof(*v)),
				 AY_OK);
		v[n] = (int64_t)n;
	}
	assert_int_equal(cap, 1024);
	assert_int_equal(v[999], 999);
	/* Enough room: nothing moves. */
	assert_int_equal(ay_grow((void **)&v, &cap, 1024, sizeof(*v)), AY_OK);
	assert_int_equal(cap, 1024);
	/* More than doubling asks for. */
	assert_int_equal(ay_grow((void **)&v, &cap, 5000, sizeof(*v)), AY_OK);
	assert_int_equal(cap, 5000);
	/* An overflow fails and leaves the array as it was. */
	assert_int_equal(ay_grow((void **)&v, &cap, SIZE_MAX / 4, sizeof(*v)),
			 AY_ENOMEM);
	assert_int_equal(cap, 5000);
	assert_int_equal(v[999], 999);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_libsodium),
		cmocka_unit_test(buf_grows_and_terminates),
		cmocka_unit_test(buf_respects_cap),
		cmocka_unit_test(buf_take_gives_ownership),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(config_rejects_unknown_keys),
		cmocka_unit_test(log_escapes_values),
		cmocka_unit_test(libraries_load_at_run_time),
		cmocka_unit_test(paths_are_never_cut_short),
		cmocka_unit_test(blobs_synced_together),
		cmocka_unit_test(words_as_the_index_sees_them),
		cmocka_unit_test(folds_case_and_accents),
		cmocka_unit_test(arrays_grow_by_doubling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
