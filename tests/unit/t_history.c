/*
 * t_history.c — the pure parts of the member's login history and data
 * download: useragent_parse (src/useragent.c) on the User-Agents members
 * actually send, login_history_net (the network shown instead of the address)
 * and export_csv_cell (quoting and formula defusing of the CSV download).
 * tests/fuzz/fuzz_history.c checks the same against references on any input.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "login_history.h"
#include "useragent.h"
#include "util.h"

struct ua_row {
	const char	*ua;
	const char	*browser;
	const char	*os;
};

static const struct ua_row uas[] = {
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Windows" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari", "iPhone" },
	{ "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
	  "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iPad" },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari", "Mac" },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70", "Edge", "Windows" },
	{ "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
	  "Samsung Internet", "Android" },
	{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
	  "Chrome", "iPhone" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
	  "Firefox", "iPhone" },
	{ "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	  "Firefox", "Linux" },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera", "Windows" },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Mobile/15E148 Safari Line/14.3.0", "LINE", "iPhone" },
	{ "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
	  "Internet Explorer", "Windows" },
	{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "ChromeOS" },
	/* An iOS app's web view: WebKit without Safari's Version/. */
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Mobile/15E148 Safari/604.1", "", "iPhone" },
	{ "curl/8.5.0", "", "" },
	{ "kenpo-integration-test", "", "" },
	{ "", "", "" },
	{ "<script>alert(1)</script> Chrome/1", "Chrome", "" },
};

START_TEST(test_useragents)
{
	const struct ua_row *r = &uas[_i];
	struct useragent u;

	useragent_parse(r->ua, &u);
	ck_assert_msg(strcmp(u.browser, r->browser) == 0 && strcmp(u.os, r->os) == 0,
	    "row %d: got \"%s\" / \"%s\"", _i, u.browser, u.os);
	ck_assert(useragent_known(u.browser) && useragent_known(u.os));
}
END_TEST

START_TEST(test_useragent_bounds)
{
	struct useragent u;
	char		*s;

	useragent_parse(NULL, &u);
	ck_assert_str_eq(u.browser, "");
	ck_assert_str_eq(u.os, "");
	/* A token past USERAGENT_SCAN bytes is not read. */
	s = xmalloc(USERAGENT_SCAN + 64);
	memset(s, 'x', USERAGENT_SCAN + 63);
	s[USERAGENT_SCAN + 63] = '\0';
	memcpy(s + USERAGENT_SCAN, "Firefox/1 Windows", 17);
	useragent_parse(s, &u);
	ck_assert_str_eq(u.browser, "");
	ck_assert_str_eq(u.os, "");
	/* ...and one ending exactly at the limit is. */
	memcpy(s + USERAGENT_SCAN - 9, "Firefox/1", 9);
	useragent_parse(s, &u);
	ck_assert_str_eq(u.browser, "Firefox");
	free(s);
	ck_assert(!useragent_known("Netscape"));
	ck_assert(!useragent_known(NULL));
}
END_TEST

START_TEST(test_net)
{
	char	 out[LOGIN_HISTORY_NET_MAX];

	ck_assert_int_eq(login_history_net("203.0.113.77", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "203.0.113.0/24");
	ck_assert_int_eq(login_history_net("2001:db8:abcd:12::5", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2001:db8:abcd::/48");
	ck_assert_int_eq(login_history_net("::ffff:198.51.100.9", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "198.51.100.0/24");
	ck_assert_int_eq(login_history_net("fe80::1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "fe80::/48");
	ck_assert_int_eq(login_history_net("-", out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(login_history_net(NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(login_history_net("203.0.113.77", out, 8), -1);
}
END_TEST

struct cell_row {
	const char	*in;
	const char	*out;
};

static const struct cell_row cells[] = {
	{ "plain", "\"plain\"" },
	{ "", "\"\"" },
	{ NULL, "\"\"" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "line\r\nbreak", "\"line\r\nbreak\"" },
	{ "健康保険組合", "\"健康保険組合\"" },
	{ "=1+2", "\"'=1+2\"" },
	{ "+81", "\"'+81\"" },
	{ "-2", "\"'-2\"" },
	{ "@SUM(A1)", "\"'@SUM(A1)\"" },
	{ "\tx", "\"'\tx\"" },
	{ "\rx", "\"'\rx\"" },
	{ "=HYPERLINK(\"http://e/\")", "\"'=HYPERLINK(\"\"http://e/\"\")\"" },
	{ "a=b", "\"a=b\"" },
	{ "2026-12-03T21:05:00+09:00", "\"2026-12-03T21:05:00+09:00\"" },
};

START_TEST(test_csv_cell)
{
	const struct cell_row *r = &cells[_i];
	struct buf	 b = { 0 };

	export_csv_cell(&b, r->in);
	buf_append(&b, "", 1);
	ck_assert_msg(strcmp(b.data, r->out) == 0, "row %d: got %s", _i, b.data);
	buf_free(&b);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite	*s = suite_create("history");
	TCase	*tc = tcase_create("parsers");

	tcase_add_loop_test(tc, test_useragents, 0,
	    (int)(sizeof(uas) / sizeof(uas[0])));
	tcase_add_test(tc, test_useragent_bounds);
	tcase_add_test(tc, test_net);
	tcase_add_loop_test(tc, test_csv_cell, 0,
	    (int)(sizeof(cells) / sizeof(cells[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(history_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
