/* Unit tests: the browser and server summaries staff read on a ticket. */
#include "testutil.h"

#include "domain/environment.h"

/* summary of env_browser(ua, hints as JSON text or NULL) */
static void browser_is(const char *ua, const char *hints, const char *want)
{
	json_t *h = hints ? json_loads(hints, 0, NULL) : NULL;
	json_t *b = env_browser(ua, h, "es");

	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(b, "summary")),
			    want);
	json_decref(b);
	json_decref(h);
}

static void browsers_from_user_agents(void **state)
{
	(void)state;
	browser_is("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) "
		   "Gecko/20100101 Firefox/121.0",
		   NULL, "Firefox 121 en Linux");
	browser_is("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) "
		   "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 "
		   "Mobile/15E148 Safari/604.1",
		   NULL, "Safari 17 en iOS 17.1.2");
	browser_is("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
		   "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
		   "Safari/605.1.15",
		   NULL, "Safari 17 en macOS 10.15.7");
	browser_is("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
		   "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
		   "Safari/537.36 Edg/120.0.2210.61",
		   NULL, "Edge 120 en Windows 10");
	browser_is("Mozilla/5.0 (Linux; Android 14; Pixel 7) "
		   "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
		   "Mobile Safari/537.36",
		   NULL, "Chrome 119 en Android 14");
	browser_is(NULL, NULL, "navegador desconocido");
	browser_is("curl/8.4.0", NULL, "navegador desconocido");
}

static void client_hints_win_over_the_user_agent(void **state)
{
	const char *ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
			 "AppleWebKit/537.36 (KHTML, like Gecko) "
			 "Chrome/120.0.0.0 Safari/537.36";

	(void)state;
	/* Windows 11 says NT 10.0 in the User-Agent; its platform version
	 * (13 and above) tells. */
	browser_is(ua,
		   "{\"sec-ch-ua\": \"\\\"Not_A Brand\\\";v=\\\"8\\\", "
		   "\\\"Chromium\\\";v=\\\"120\\\", \\\"Google "
		   "Chrome\\\";v=\\\"120\\\"\", \"sec-ch-ua-platform\": "
		   "\"\\\"Windows\\\"\", \"sec-ch-ua-platform-version\": "
		   "\"\\\"15.0.0\\\"\", \"sec-ch-ua-mobile\": \"?0\"}",
		   "Chrome 120 en Windows 11");
	browser_is(ua,
		   "{\"sec-ch-ua\": \"\\\"Chromium\\\";v=\\\"118\\\", "
		   "\\\"Not=A?Brand\\\";v=\\\"99\\\"\", "
		   "\"sec-ch-ua-platform\": \"\\\"Linux\\\"\"}",
		   "Chromium 118 en Linux");
	browser_is(ua,
		   "{\"sec-ch-ua\": \"\\\"Microsoft Edge\\\";v=\\\"121\\\", "
		   "\\\"Not A(Brand\\\";v=\\\"99\\\", "
		   "\\\"Chromium\\\";v=\\\"121\\\"\", "
		   "\"sec-ch-ua-platform\": \"\\\"Windows\\\"\", "
		   "\"sec-ch-ua-platform-version\": \"\\\"10.0.0\\\"\"}",
		   "Edge 121 en Windows 10");
}

static const char *member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void phpinfo_html_is_summarised(void **state)
{
	static const char html[] =
		"<html><head><title>PHP 8.3.0 - phpinfo()</title></head><body>"
		"<table><tr class=\"h\"><td><a href=\"http://www.php.net/\">"
		"<img src=\"data:image/png;base64,x\" alt=\"PHP logo\" /></a>"
		"<h1 class=\"p\">PHP Version 8.3.0</h1></td></tr></table>"
		"<table><tr><td class=\"e\">System </td><td class=\"v\">Linux "
		"srv 6.1.0 #1 SMP x86_64 </td></tr>"
		"<tr><td class=\"e\">Server API </td><td "
		"class=\"v\">FPM/FastCGI"
		" </td></tr></table>"
		"<table><tr><td class=\"e\">memory_limit</td><td class=\"v\">"
		"1024M</td><td class=\"v\">128M</td></tr>"
		"<tr><td class=\"e\">opcache.enable_cli</td><td class=\"v\">Off"
		"</td><td class=\"v\">Off</td></tr>"
		"<tr><td class=\"e\">opcache.enable</td><td class=\"v\">On</td>"
		"<td class=\"v\">On</td></tr></table>"
		"<table><tr><td "
		"class=\"e\">$_SERVER[&#039;SERVER_SOFTWARE&#039;]"
		"</td><td class=\"v\">nginx/1.24.0</td></tr></table>"
		"</body></html>";
	json_t *s = env_server(html, strlen(html));

	(void)state;
	assert_non_null(s);
	assert_string_equal(member(s, "php_version"), "8.3.0");
	assert_string_equal(member(s, "server_software"), "nginx/1.24.0");
	assert_string_equal(member(s, "server_api"), "FPM/FastCGI");
	assert_string_equal(member(s, "memory_limit"), "1024M"); /* local */
	assert_string_equal(member(s, "opcache"), "On");
	assert_true(json_is_null(json_object_get(s, "database")));
	assert_string_equal(member(s, "summary"),
			    "PHP 8.3.0, nginx/1.24.0, Linux");
	json_decref(s);
}

static void php_i_text_is_summarised(void **state)
{
	static const char text[] =
		"phpinfo()\nPHP Version => 7.4.33\n\nSystem => Linux web "
		"5.10.0 x86_64\nServer API => Command Line Interface\n\n"
		"Directive => Local Value => Master Value\n"
		"memory_limit => -1 => -1\n\nmysqli\n\n"
		"Client API library version => mysqlnd 7.4.33\n";
	json_t *s = env_server(text, strlen(text));

	(void)state;
	assert_non_null(s);
	assert_string_equal(member(s, "php_version"), "7.4.33");
	assert_string_equal(member(s, "memory_limit"), "-1");
	assert_string_equal(member(s, "database"), "mysqlnd 7.4.33");
	assert_string_equal(member(s, "summary"), "PHP 7.4.33, Linux");
	json_decref(s);
}

static void other_text_is_not_phpinfo(void **state)
{
	static const char note[] = "Adjunto la configuración: Apache 2.4";

	(void)state;
	assert_null(env_server(note, strlen(note)));
	assert_null(env_server("<table><tr><td>x</td></tr>", 26));
	assert_null(env_server("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(browsers_from_user_agents),
		cmocka_unit_test(client_hints_win_over_the_user_agent),
		cmocka_unit_test(phpinfo_html_is_summarised),
		cmocka_unit_test(php_i_text_is_summarised),
		cmocka_unit_test(other_text_is_not_phpinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
