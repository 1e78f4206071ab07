/*
 * t_entry.c — unit tests for the pure parts of the login work: the signature of
 * signed entry links (the format documented in docs/entry-links.md, checked
 * against a vector computed independently with Python's hmac module) and the
 * address key of the login and reset throttles. Everything that needs a request
 * or the database is in tests/integration/test_login.py.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "entry.h"
#include "log.h"
#include "throttle.h"

static void
setup(void)
{
	HDF	*hdf = NULL;

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	hdf_set_value(hdf, "Security.Secret",
	    "1111111111111111111111111111111111111111111111111111111111111111");
	config_set(hdf);
}

START_TEST(test_entry_sign)
{
	char	 sig[65];

	/* hmac.new(b"0123456789abcdef" * 4, b"insurer=06139992&ts=1700000000",
	 * hashlib.sha256).hexdigest() */
	ck_assert_int_eq(entry_sign("0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", "06139992", 1700000000, sig), 0);
	ck_assert_str_eq(sig,
	    "0c06f8b2cf071386ae868306725dd32f0af9148ee193bff8e51eb015ac978cf7");
	/* Another time, another signature. */
	ck_assert_int_eq(entry_sign("0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", "06139992", 1700000001, sig), 0);
	ck_assert_str_ne(sig,
	    "0c06f8b2cf071386ae868306725dd32f0af9148ee193bff8e51eb015ac978cf7");
}
END_TEST

START_TEST(test_entry_check_link)
{
	const char *secret = "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	const char *sig =
	    "0c06f8b2cf071386ae868306725dd32f0af9148ee193bff8e51eb015ac978cf7";
	const char *upper =
	    "0C06F8B2CF071386AE868306725DD32F0AF9148EE193BFF8E51EB015AC978CF7";
	const char *wrong =
	    "1c06f8b2cf071386ae868306725dd32f0af9148ee193bff8e51eb015ac978cf7";

	ck_assert_int_eq(entry_check_link(secret, "06139992", NULL, NULL,
	    1700000000, 600), ENTRY_PLAIN);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", sig,
	    1700000000, 600), ENTRY_OK);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", upper,
	    1700000300, 600), ENTRY_OK);
	/* 60 s of a portal's clock running ahead, no more. */
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", sig,
	    1699999940, 600), ENTRY_OK);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", sig,
	    1699999939, 600), ENTRY_EXPIRED);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", sig,
	    1700000601, 600), ENTRY_EXPIRED);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", wrong,
	    1700000000, 600), ENTRY_BAD);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000001", sig,
	    1700000000, 600), ENTRY_BAD);
	ck_assert_int_eq(entry_check_link(secret, "06139992", " 1700000000", sig,
	    1700000000, 600), ENTRY_BAD);
	ck_assert_int_eq(entry_check_link(secret, "06139992", "1700000000", NULL,
	    1700000000, 600), ENTRY_BAD);
	ck_assert_int_eq(entry_check_link(NULL, "06139992", "1700000000", sig,
	    1700000000, 600), ENTRY_BAD);
}
END_TEST

START_TEST(test_entry_cookie_parse)
{
	char	 number[9], *v;
	int	 s = -1;

	/* A cookie entry_set_cookie would make, with the test secret. */
	v = "1.06139992.1.1700000000.";
	ck_assert_int_eq(entry_cookie_parse(v, 1700000000, number, &s), -1);
	ck_assert_int_eq(entry_cookie_parse(NULL, 1700000000, number, &s), -1);
	ck_assert_int_eq(entry_cookie_parse("", 1700000000, number, &s), -1);
	ck_assert_int_eq(entry_cookie_parse("1.06139992.1.1700000000",
	    1700000000, number, &s), -1);
}
END_TEST

START_TEST(test_addr_key)
{
	char	 a[THROTTLE_KEY_MAX], b[THROTTLE_KEY_MAX];

	/* hmac.new(bytes.fromhex("11" * 32), b"throttle-addr|taro@example.jp",
	 * hashlib.sha256).hexdigest()[:32] */
	throttle_key_addr(a, sizeof(a), "login", "taro@example.jp");
	ck_assert_str_eq(a, "login:addr:334a546dba594bc937a46e1add80deef");
	/* ASCII case does not matter (the accounts.email collation ignores it). */
	throttle_key_addr(b, sizeof(b), "login", "Taro@EXAMPLE.jp");
	ck_assert_str_eq(a, b);
	/* No trace of the address in the key. */
	ck_assert_ptr_null(strstr(a, "taro"));
	throttle_key_addr(b, sizeof(b), "login", "jiro@example.jp");
	ck_assert_str_ne(a, b);
	throttle_key_addr(b, sizeof(b), "pwreset", "taro@example.jp");
	ck_assert_str_eq(b, "pwreset:addr:334a546dba594bc937a46e1add80deef");
}
END_TEST

static Suite *
entry_suite(void)
{
	Suite	*s = suite_create("entry");
	TCase	*tc = tcase_create("pure");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_entry_sign);
	tcase_add_test(tc, test_entry_check_link);
	tcase_add_test(tc, test_entry_cookie_parse);
	tcase_add_test(tc, test_addr_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_entry", 0);
	if (crypto_init() != 0)
		return 1;
	setup();
	sr = srunner_create(entry_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
