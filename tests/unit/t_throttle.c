/*
 * t_throttle.c — unit tests for the pure parts of throttle.c: address
 * canonicalisation, /24 and /64 networks, CIDR parsing and matching, key helpers,
 * and the login CAPTCHA policy. The counters themselves need the database: the
 * login integration tests cover them.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "throttle.h"

static void
setup(void)
{
	HDF	*hdf = NULL;

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	/* The defaults of config.c, stated here so the policy test is explicit. */
	hdf_set_value(hdf, "Login.Captcha", "on");
	hdf_set_value(hdf, "Login.HardAfterFailures", "3");
	hdf_set_value(hdf, "Login.HardAfterRequests", "30");
	hdf_set_value(hdf, "Login.AllowlistFailures", "5");
	config_set(hdf);
}

START_TEST(test_addr_canon)
{
	char	 out[THROTTLE_ADDR_MAX];

	ck_assert_int_eq(throttle_addr_canon("203.0.113.7", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "203.0.113.7");
	ck_assert_int_eq(throttle_addr_canon("2001:DB8:0:0:0:0:0:1", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "2001:db8::1");
	ck_assert_int_eq(throttle_addr_canon("::ffff:203.0.113.7", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "203.0.113.7");
	ck_assert_int_eq(throttle_addr_canon("::1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "::1");
	ck_assert_int_eq(throttle_addr_canon("", out, sizeof(out)), -1);
	ck_assert_int_eq(throttle_addr_canon(NULL, out, sizeof(out)), -1);
	ck_assert_int_eq(throttle_addr_canon("203.0.113", out, sizeof(out)), -1);
	ck_assert_int_eq(throttle_addr_canon("203.0.113.7 ", out, sizeof(out)), -1);
	ck_assert_int_eq(throttle_addr_canon("example.com", out, sizeof(out)), -1);
	ck_assert_int_eq(throttle_addr_canon("2001:db8::1", out, 5), -1);
}
END_TEST

START_TEST(test_addr_net)
{
	char	 out[THROTTLE_ADDR_MAX];

	ck_assert_int_eq(throttle_addr_net("203.0.113.77", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "203.0.113.0/24");
	ck_assert_int_eq(throttle_addr_net("2001:db8:1:2:3:4:5:6", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "2001:db8:1:2::/64");
	ck_assert_int_eq(throttle_addr_net("::ffff:10.1.2.3", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "10.1.2.0/24");
	ck_assert_int_eq(throttle_addr_net("bogus", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_keys)
{
	char	 k[THROTTLE_KEY_MAX];

	throttle_key_ip(k, sizeof(k), "login", "203.0.113.7");
	ck_assert_str_eq(k, "login:ip:203.0.113.7");
	throttle_key_ip(k, sizeof(k), NULL, "::ffff:203.0.113.7");
	ck_assert_str_eq(k, "ip:203.0.113.7");
	throttle_key_ip(k, sizeof(k), "login", "not an address");
	ck_assert_str_eq(k, "login:ip:unknown");
	throttle_key_net(k, sizeof(k), "login", "203.0.113.7");
	ck_assert_str_eq(k, "login:net:203.0.113.0/24");
	throttle_key_net(k, sizeof(k), "login", "2001:db8:1:2:aaaa::1");
	ck_assert_str_eq(k, "login:net:2001:db8:1:2::/64");
	throttle_key_acct(k, sizeof(k), "reset", 42);
	ck_assert_str_eq(k, "reset:acct:42");
	throttle_key_acctip(k, sizeof(k), "login", 42, "2001:DB8::1");
	ck_assert_str_eq(k, "login:acctip:42:2001:db8::1");
	/* The longest key fits. */
	throttle_key_acctip(k, sizeof(k), "loginfail", 9223372036854775807LL,
	    "1111:2222:3333:4444:5555:6666:7777:8888");
	ck_assert_str_eq(k, "loginfail:acctip:9223372036854775807:"
	    "1111:2222:3333:4444:5555:6666:7777:8888");
}
END_TEST

static int
level(long long ipreq, long long netreq, long long fail, int allow)
{
	struct throttle_login c;

	c.ip_requests = ipreq;
	c.net_requests = netreq;
	c.ip_failures = fail;
	return throttle_captcha_level(&c, allow);
}

START_TEST(test_policy)
{
	/* Always at least easy. */
	ck_assert_int_eq(level(0, 0, 0, 0), 1);
	ck_assert_int_eq(level(14, 59, 1, 0), 1);
	/* Failures from the address: medium at ceil(3/2) = 2, hard at 3. */
	ck_assert_int_eq(level(0, 0, 2, 0), 2);
	ck_assert_int_eq(level(0, 0, 3, 0), 3);
	ck_assert_int_eq(level(0, 0, 100, 0), 3);
	/* Attempts from the address: medium at 15, hard at 30. */
	ck_assert_int_eq(level(15, 15, 0, 0), 2);
	ck_assert_int_eq(level(30, 30, 0, 0), 3);
	/* Attempts from the network: looser, medium at 60, hard at 120. */
	ck_assert_int_eq(level(1, 60, 0, 0), 2);
	ck_assert_int_eq(level(1, 119, 0, 0), 2);
	ck_assert_int_eq(level(1, 120, 0, 0), 3);
	/* Allowlisted: none until Login.AllowlistFailures failures, whatever the
	 * traffic; then judged on failures only. */
	ck_assert_int_eq(level(0, 0, 0, 1), 0);
	ck_assert_int_eq(level(500, 5000, 4, 1), 0);
	ck_assert_int_eq(level(500, 5000, 5, 1), 3);
	config_put("Login.AllowlistFailures", "1");
	config_put("Login.HardAfterFailures", "4");
	ck_assert_int_eq(level(500, 5000, 1, 1), 1);
	ck_assert_int_eq(level(500, 5000, 2, 1), 2);
	ck_assert_int_eq(level(500, 5000, 4, 1), 3);
	/* AllowlistFailures = 0: no exemption. */
	config_put("Login.AllowlistFailures", "0");
	ck_assert_int_eq(level(0, 0, 0, 1), 1);
	/* Captcha off (tests only): never. */
	config_put("Login.Captcha", "off");
	ck_assert_int_eq(level(500, 5000, 50, 0), 0);
}
END_TEST

static Suite *
throttle_suite(void)
{
	Suite	*s = suite_create("throttle");
	TCase	*tc = tcase_create("pure");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_addr_canon);
	tcase_add_test(tc, test_addr_net);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_policy);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_throttle", 0);
	setup();
	sr = srunner_create(throttle_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
