/* Unit tests: who the client is behind a trusted reverse proxy (issue 8,
 * item 7). */
#include "testutil.h"
#include "util/netaddr.h"

static void lists(void **state)
{
	(void)state;
	assert_true(net_list_valid(""));
	assert_true(net_list_valid("127.0.0.1, ::1 10.0.0.0/8,fd00::/8"));
	assert_false(net_list_valid("127.0.0.1, nginx"));
	assert_false(net_list_valid("10.0.0.0/33"));
	assert_false(net_list_valid("10.0.0.0/"));
	assert_true(net_in_list("10.200.3.4", "127.0.0.1, 10.0.0.0/8"));
	assert_false(net_in_list("11.0.0.1", "127.0.0.1, 10.0.0.0/8"));
	assert_true(net_in_list("172.16.5.9", "172.16.0.0/12"));
	assert_false(net_in_list("172.32.0.1", "172.16.0.0/12"));
	assert_true(net_in_list("::ffff:127.0.0.1", "127.0.0.1"));
	assert_true(net_in_list("fd12::1", "fd00::/8"));
	assert_false(net_in_list("fe80::1", "fd00::/8"));
	assert_false(net_in_list("127.0.0.1", ""));
	assert_false(net_in_list("garbage", "0.0.0.0/0"));
}

static void forwarded(void **state)
{
	static const char *const t = "127.0.0.1, 10.0.0.0/8";
	const struct {
		const char *peer, *xff, *trusted, *want;
	} cases[] = {
		/* Not a trusted peer: its header is its own word. */
		{"192.0.2.7", "198.51.100.1", t, "192.0.2.7"},
		{"127.0.0.1", "198.51.100.1", "", "127.0.0.1"},
		/* A trusted peer: the right-most hop that is not a proxy. */
		{"127.0.0.1", "198.51.100.1", t, "198.51.100.1"},
		{"127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.1.1", t,
		 "198.51.100.1"},
		/* All proxies: the left-most. */
		{"127.0.0.1", "10.0.0.2,10.0.0.3", t, "10.0.0.2"},
		/* Garbage stops the walk at the last good hop. */
		{"127.0.0.1", "1.2.3.4, unknown", t, "127.0.0.1"},
		{"127.0.0.1", "junk, 198.51.100.1, 10.0.0.9", t,
		 "198.51.100.1"},
		{"127.0.0.1", "", t, "127.0.0.1"},
		{"127.0.0.1", " 2001:db8::5 ", t, "2001:db8::5"},
		{"127.0.0.1", NULL, t, "127.0.0.1"},
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < AY_ARRAY_LEN(cases); i++) {
		net_client_addr(cases[i].peer, cases[i].xff, cases[i].trusted,
				out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists),
		cmocka_unit_test(forwarded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
