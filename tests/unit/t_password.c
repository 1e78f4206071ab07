/*
 * t_password.c — unit tests for the password rule (password.c) and the address
 * helpers (account.c): each condition alone, the word list's order, the e-mail
 * local part, and address syntax and normalisation.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "password.h"
#include "password_common.h"

#define NCOMMON	(sizeof(password_common) / sizeof(password_common[0]))

/* Without a configuration the defaults apply: 8-20 characters, 2 kinds. */

START_TEST(good_passwords)
{
	static const char *const good[] = {
		"Kenpo-Test!58x", "Tq7$vL9!mZ", "Wr4%kN8#pQ", "mz7kq29x",
		"Hb5!hb5!", "UNAGI-ten.08",
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(password_problems(good[i], "taro@example.com") == 0,
		    "%s refused (%x)", good[i],
		    password_problems(good[i], "taro@example.com"));
}
END_TEST

START_TEST(each_condition)
{
	ck_assert_uint_eq(password_problems("Ab1!x", NULL), PW_TOO_SHORT);
	ck_assert_uint_eq(password_problems("Xk9!mQ2#vL7$pR4&wZ8*t", NULL),
	    PW_TOO_LONG);
	ck_assert_uint_eq(password_problems("kxmwqzpvt", NULL), PW_FEW_KINDS);
	ck_assert_uint_eq(password_problems("Kxm wqzp9", NULL), PW_BAD_CHARS);
	ck_assert_uint_eq(password_problems("Kxm\xe3\x81\x82wqzp9", NULL),
	    PW_BAD_CHARS);
	ck_assert_uint_eq(password_problems("Xk9!123zz", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Xk9!cbazq", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Xk9!mmmzq", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Zk9!Qwer", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Zk9!1qaz", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Zk9!fdsa", NULL), PW_SEQUENCE);
	ck_assert_uint_eq(password_problems("Hoshino!97x",
	    "kentaro.hoshino@example.com"), PW_EMAIL);
	ck_assert_uint_eq(password_problems("zz-Kx7q-zz", "kx7q@example.com"),
	    PW_EMAIL);
	ck_assert_uint_eq(password_problems("P@ssw0rd!", NULL), PW_COMMON);
	ck_assert_uint_eq(password_problems("Sakura#2024", NULL), PW_COMMON);
	ck_assert_uint_eq(password_problems("x!Doraemon9", NULL), PW_COMMON);
	ck_assert_uint_eq(password_problems("", NULL), PW_TOO_SHORT | PW_FEW_KINDS);
}
END_TEST

START_TEST(list_is_sorted_lowercase)
{
	size_t	 i;
	const char *p;

	for (i = 1; i < NCOMMON; i++)
		ck_assert_msg(strcmp(password_common[i - 1], password_common[i]) < 0,
		    "out of order: %s, %s", password_common[i - 1], password_common[i]);
	for (i = 0; i < NCOMMON; i++)
		for (p = password_common[i]; *p != '\0'; p++)
			ck_assert(!(*p >= 'A' && *p <= 'Z'));
}
END_TEST

START_TEST(addresses)
{
	static const char *const good[] = {
		"taro@example.com", "taro..yamada.@docomo.ne.jp", "a+b@x.co.jp",
		"first.last@sub-domain.example.org", "o'neil@example.com",
	};
	static const char *const bad[] = {
		"", "a", "a@b", "@example.com", "taro@", "taro@@example.com",
		"ta ro@example.com", "taro@exa_mple.com", "taro@-example.com",
		"taro@example-.com", "taro@example..com", "taro@127.0.0.1",
		"\"taro\"@example.com", "taro@[127.0.0.1]", "t\xc3\xa4ro@example.com",
		"taro@example.com\n",
	};
	char	*n;
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(account_email_valid(good[i]), "%s refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!account_email_valid(bad[i]), "%s accepted", bad[i]);
	n = account_email_normalize("\xe3\x80\x80 Taro\xef\xbc\xa0\xef\xbc\xa5xample.COM ");
	ck_assert_str_eq(n, "Taro@example.com");
	free(n);
	ck_assert_ptr_null(account_email_normalize("  \xe3\x80\x80 "));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("password");
	TCase	*tc = tcase_create("core");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, good_passwords);
	tcase_add_test(tc, each_condition);
	tcase_add_test(tc, list_is_sorted_lowercase);
	tcase_add_test(tc, addresses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
