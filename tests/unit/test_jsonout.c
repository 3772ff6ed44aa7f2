/* Unit tests: the answers' JSON writer (http/jsonout.c) writes exactly the
 * bytes of json_dumps(JSON_COMPACT) (issue 16, item 4). */
#include "testutil.h"
#include "http/http.h"

static void same(const json_t *j)
{
	char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len = 0;
	char *got = http_json_dump(j, &len);

	assert_non_null(want);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_string_equal(got, want);
	free(want);
	free(got);
}

static void scalars_and_escapes(void **state)
{
	char all[128];
	json_t *o;

	(void)state;
	for (int i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:f,s:f,s:f,s:b,s:b,s:n,"
		      "s:[],s:{},s:s}",
		      "ascii", all, "utf8", "áéíóú ñ € 𝄞 \u2028 «»", "empty",
		      "", "zero", (json_int_t)0, "neg",
		      (json_int_t)-9007199254740993, "big",
		      (json_int_t)INT64_MAX, "half", 1.5, "tiny", 1e-300,
		      "tenth", 0.1, "t", 1, "f", 0, "n", "ea", "eo",
		      "clave \"rara\"\n\t\\/", "valor");
	assert_non_null(o);
	same(o);
	json_decref(o);
	o = json_stringn("nul\0inside", 10);
	same(o);
	json_decref(o);
}

/* A random tree of depth at most d (deterministic: the test's own LCG). */
static json_t *tree(unsigned *seed, int d)
{
	static const char *const words[] = {
		"ticket", "número", "\"x\"",	"a\\b",	  "línea\nnueva",
		"",	  "tab\t",  "\x01\x1f", "/ruta/", "日本語"};
	unsigned r;
	json_t *j;

	*seed = *seed * 1103515245u + 12345u;
	r = (*seed >> 16) % (d > 0 ? 9 : 6);
	switch (r) {
	case 0:
		return json_integer((json_int_t)(*seed % 100000) - 50000);
	case 1:
		return json_string(words[*seed % AY_ARRAY_LEN(words)]);
	case 2:
		return json_real((double)(*seed % 1000) / 7.0);
	case 3:
		return json_null();
	case 4:
		return json_true();
	case 5:
		return json_false();
	case 6:
	case 7:
		j = json_object();
		for (unsigned i = 0; i < *seed % 6; i++) {
			char key[32];

			snprintf(key, sizeof(key), "%s%u",
				 words[(*seed >> 3) % AY_ARRAY_LEN(words)], i);
			json_object_set_new(j, key, tree(seed, d - 1));
		}
		return j;
	default:
		j = json_array();
		for (unsigned i = 0; i < *seed % 6; i++)
			json_array_append_new(j, tree(seed, d - 1));
		return j;
	}
}

static void random_trees(void **state)
{
	unsigned seed = 20261201;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		json_t *j = tree(&seed, 5);

		same(j);
		json_decref(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scalars_and_escapes),
		cmocka_unit_test(random_trees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
