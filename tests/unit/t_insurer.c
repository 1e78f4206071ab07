/*
 * t_insurer.c — unit tests for the pure parts of insurer.c: the insurer number
 * check digit (DESIGN.md examples and the demo insurers), card patterns and the
 * composition of hyphenated boxes, the card key (a known HMAC vector; the form and
 * the roster meet), and allowlist CIDR parsing and matching for IPv4 and IPv6.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "insurer.h"
#include "log.h"

static const unsigned char pepper[32] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

START_TEST(test_check_digit_design)
{
	/* DESIGN.md: valid and invalid examples. */
	ck_assert_int_eq(insurer_number_valid("06139497"), 1);
	ck_assert_int_eq(insurer_number_valid("01040013"), 1);
	ck_assert_int_eq(insurer_number_valid("33120015"), 1);
	ck_assert_int_eq(insurer_number_valid("06123456"), 0);
}
END_TEST

START_TEST(test_check_digit_demo)
{
	/* The demo insurers of DESIGN.md must pass their own check. */
	ck_assert_int_eq(insurer_number_valid("06139992"), 1);
	ck_assert_int_eq(insurer_number_valid("06270011"), 1);
}
END_TEST

START_TEST(test_check_digit_every_last_digit)
{
	char	 n[9];
	int	 d, valid = 0;

	/* Exactly one check digit fits any seven leading digits. */
	for (d = 0; d < 10; d++) {
		snprintf(n, sizeof(n), "0613949%d", d);
		valid += insurer_number_valid(n);
	}
	ck_assert_int_eq(valid, 1);
	ck_assert_int_eq(insurer_number_valid("06139497"), 1);
	ck_assert_int_eq(insurer_number_valid("00000000"), 1);
}
END_TEST

START_TEST(test_check_digit_malformed)
{
	ck_assert_int_eq(insurer_number_valid(NULL), 0);
	ck_assert_int_eq(insurer_number_valid(""), 0);
	ck_assert_int_eq(insurer_number_valid("0613949"), 0);
	ck_assert_int_eq(insurer_number_valid("061394970"), 0);
	ck_assert_int_eq(insurer_number_valid("0613949a"), 0);
	ck_assert_int_eq(insurer_number_valid(" 6139497"), 0);
	ck_assert_int_eq(insurer_number_valid("０６１３９４９７"), 0); /* not normalised */
}
END_TEST

START_TEST(test_pattern_fields)
{
	ck_assert_int_eq(insurer_pattern_fields(1), INSURER_F_NUMBER | INSURER_F_NUMBER2);
	ck_assert_int_eq(insurer_pattern_fields(2), INSURER_F_NUMBER);
	ck_assert_int_eq(insurer_pattern_fields(3),
	    INSURER_F_SYMBOL | INSURER_F_SYMBOL2 | INSURER_F_NUMBER);
	ck_assert_int_eq(insurer_pattern_fields(4), INSURER_F_SYMBOL | INSURER_F_NUMBER);
	ck_assert_int_eq(insurer_pattern_fields(0), 0);
	ck_assert_int_eq(insurer_pattern_fields(5), 0);
	ck_assert_int_eq(insurer_pattern_has_symbol(1), 0);
	ck_assert_int_eq(insurer_pattern_has_symbol(2), 0);
	ck_assert_int_eq(insurer_pattern_has_symbol(3), 1);
	ck_assert_int_eq(insurer_pattern_has_symbol(4), 1);
}
END_TEST

/* Compose boxes and check the raw results. */
static void
compose_is(int pattern, const char *s1, const char *s2, const char *n1,
    const char *n2, const char *wsym, const char *wnum)
{
	char	*sym, *num;

	ck_assert_int_eq(insurer_card_compose(pattern, s1, s2, n1, n2, &sym, &num), 0);
	ck_assert_str_eq(sym, wsym);
	ck_assert_str_eq(num, wnum);
	free(sym);
	free(num);
}

START_TEST(test_compose)
{
	char	*sym, *num;

	compose_is(1, "9", "9", "1234", "5678", "", "1234-5678");
	compose_is(1, NULL, NULL, "1234-5678", "", "", "1234-5678");
	compose_is(2, "9", NULL, "12345678", "99", "", "12345678");
	compose_is(3, "12", "456", "5678", "99", "12-456", "5678");
	compose_is(3, "12", NULL, "5678", NULL, "12", "5678");
	compose_is(4, "1234", "99", "5678", "99", "1234", "5678");
	compose_is(4, NULL, NULL, NULL, NULL, "", "");
	ck_assert_int_eq(insurer_card_compose(0, "1", "2", "3", "4", &sym, &num), -1);
	ck_assert_ptr_null(sym);
	ck_assert_ptr_null(num);
}
END_TEST

START_TEST(test_card_key_vector)
{
	char	 key[INSURER_CARD_KEY_LEN + 1];

	/* HMAC-SHA256(pepper, "06139992|123|4567890"), computed independently. */
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992", "123",
	    "4567890", key), 0);
	ck_assert_str_eq(key,
	    "55c4dcf991cd8ebfcea2eeef07751dfa6a0777566784fc19749a2fa837ad2c3c");
	/* The same card as a member might type it. */
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "０６１３９９９２",
	    "０１２３", "４５６ ７８９０", key), 0);
	ck_assert_str_eq(key,
	    "55c4dcf991cd8ebfcea2eeef07751dfa6a0777566784fc19749a2fa837ad2c3c");
	/* Pattern ①: HMAC over "06270011||2345678". */
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06270011", "",
	    "12345678", key), 0);
	ck_assert_str_eq(key,
	    "2a979972d4d6586a9ad667eb1c458f423a452a90ba1a7cd6d6433f7ad74affbc");
}
END_TEST

START_TEST(test_card_key_form_meets_roster)
{
	char	 form[INSURER_CARD_KEY_LEN + 1], file[INSURER_CARD_KEY_LEN + 1];
	char	*sym, *num;

	/* Pattern ①: boxes "1234" "5678" vs roster "1234-5678" and "12345678". */
	ck_assert_int_eq(insurer_card_compose(1, NULL, NULL, "１２３４", "5678",
	    &sym, &num), 0);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06270011", sym,
	    num, form), 0);
	free(sym);
	free(num);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06270011", "",
	    "1234-5678", file), 0);
	ck_assert_str_eq(form, file);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06270011", "",
	    "12345678", file), 0);
	ck_assert_str_eq(form, file);

	/* Pattern ③: boxes "12" "456" vs roster symbol "12-456". */
	ck_assert_int_eq(insurer_card_compose(3, "12", "456", "5678", NULL,
	    &sym, &num), 0);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992", sym,
	    num, form), 0);
	free(sym);
	free(num);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "12-456", "5678", file), 0);
	ck_assert_str_eq(form, file);

	/* Different cards differ; symbol and number do not run together. */
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "1", "23", form), 0);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "12", "3", file), 0);
	ck_assert_str_ne(form, file);
}
END_TEST

START_TEST(test_card_key_rejects)
{
	char	 key[INSURER_CARD_KEY_LEN + 1];

	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "0613999",
	    "123", "4567890", key), -1);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "12.3", "4567890", key), -1);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "123", "", key), -1);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "123", "45a", key), -1);
	ck_assert_int_eq(insurer_card_key(pepper, sizeof(pepper), "06139992",
	    "123", NULL, key), -1);
	ck_assert_str_eq(key, "");
}
END_TEST

/* insurer_cidr_parse gives want (NULL: rejected). */
static void
canon_is(const char *in, const char *want)
{
	char	 c[INSURER_CIDR_MAX];
	int	 r = insurer_cidr_parse(in, c, sizeof(c));

	if (want == NULL)
		ck_assert_msg(r == -1, "cidr \"%s\" accepted as \"%s\"", in, c);
	else {
		ck_assert_msg(r == 0, "cidr \"%s\" rejected", in);
		ck_assert_str_eq(c, want);
	}
}

START_TEST(test_cidr_parse)
{
	canon_is("192.0.2.0/24", "192.0.2.0/24");
	canon_is("192.0.2.77/24", "192.0.2.0/24");	/* host bits cleared */
	canon_is("192.0.2.7", "192.0.2.7/32");
	canon_is("10.1.2.3/8", "10.0.0.0/8");
	canon_is("0.0.0.0/0", "0.0.0.0/0");
	canon_is("203.0.113.5/31", "203.0.113.4/31");
	canon_is("2001:DB8:0:0::1/32", "2001:db8::/32");
	canon_is("2001:db8::1", "2001:db8::1/128");
	canon_is("2001:db8:1234:5678::/60", "2001:db8:1234:5670::/60");
	canon_is("::/0", "::/0");
	canon_is("192.0.2.0/33", NULL);
	canon_is("2001:db8::/129", NULL);
	canon_is("192.0.2.0/", NULL);
	canon_is("/24", NULL);
	canon_is("192.0.2.0/+4", NULL);
	canon_is("192.0.2.0/2 4", NULL);
	canon_is("192.0.2/24", NULL);
	canon_is("example.com", NULL);
	canon_is("", NULL);
	canon_is("1.2.3.4/24/5", NULL);
}
END_TEST

START_TEST(test_cidr_match_v4)
{
	ck_assert_int_eq(insurer_cidr_match("192.0.2.10", "192.0.2.0/24"), 1);
	ck_assert_int_eq(insurer_cidr_match("192.0.2.255", "192.0.2.0/24"), 1);
	ck_assert_int_eq(insurer_cidr_match("192.0.3.1", "192.0.2.0/24"), 0);
	ck_assert_int_eq(insurer_cidr_match("203.0.113.4", "203.0.113.5/31"), 1);
	ck_assert_int_eq(insurer_cidr_match("203.0.113.6", "203.0.113.4/31"), 0);
	ck_assert_int_eq(insurer_cidr_match("10.200.0.1", "10.128.0.0/9"), 1);
	ck_assert_int_eq(insurer_cidr_match("10.127.0.1", "10.128.0.0/9"), 0);
	ck_assert_int_eq(insurer_cidr_match("198.51.100.7", "198.51.100.7"), 1);
	ck_assert_int_eq(insurer_cidr_match("198.51.100.8", "198.51.100.7/32"), 0);
	ck_assert_int_eq(insurer_cidr_match("8.8.8.8", "0.0.0.0/0"), 1);
	/* IPv4-mapped client addresses match IPv4 blocks. */
	ck_assert_int_eq(insurer_cidr_match("::ffff:192.0.2.10", "192.0.2.0/24"), 1);
	ck_assert_int_eq(insurer_cidr_match("::ffff:192.0.3.10", "192.0.2.0/24"), 0);
	/* Families do not mix otherwise; junk never matches. */
	ck_assert_int_eq(insurer_cidr_match("192.0.2.10", "::/0"), 0);
	ck_assert_int_eq(insurer_cidr_match("garbage", "0.0.0.0/0"), 0);
	ck_assert_int_eq(insurer_cidr_match(NULL, "0.0.0.0/0"), 0);
	ck_assert_int_eq(insurer_cidr_match("192.0.2.10", "bad"), 0);
	ck_assert_int_eq(insurer_cidr_match("192.0.2.10", NULL), 0);
}
END_TEST

START_TEST(test_cidr_match_v6)
{
	ck_assert_int_eq(insurer_cidr_match("2001:db8::1", "2001:db8::/32"), 1);
	ck_assert_int_eq(insurer_cidr_match("2001:db8:ffff::1", "2001:db8::/32"), 1);
	ck_assert_int_eq(insurer_cidr_match("2001:db9::1", "2001:db8::/32"), 0);
	ck_assert_int_eq(insurer_cidr_match("2001:db8:1234:567f::1",
	    "2001:db8:1234:5670::/60"), 1);
	ck_assert_int_eq(insurer_cidr_match("2001:db8:1234:5680::1",
	    "2001:db8:1234:5670::/60"), 0);
	ck_assert_int_eq(insurer_cidr_match("::1", "::1/128"), 1);
	ck_assert_int_eq(insurer_cidr_match("::2", "::1"), 0);
	ck_assert_int_eq(insurer_cidr_match("2001:db8::1", "0.0.0.0/0"), 0);
	ck_assert_int_eq(insurer_cidr_match("fe80::1%eth0", "fe80::/10"), 0);
}
END_TEST

static Suite *
insurer_suite(void)
{
	Suite	*s = suite_create("insurer");
	TCase	*tc;

	tc = tcase_create("check digit");
	tcase_add_test(tc, test_check_digit_design);
	tcase_add_test(tc, test_check_digit_demo);
	tcase_add_test(tc, test_check_digit_every_last_digit);
	tcase_add_test(tc, test_check_digit_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("card");
	tcase_add_test(tc, test_pattern_fields);
	tcase_add_test(tc, test_compose);
	tcase_add_test(tc, test_card_key_vector);
	tcase_add_test(tc, test_card_key_form_meets_roster);
	tcase_add_test(tc, test_card_key_rejects);
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr");
	tcase_add_test(tc, test_cidr_parse);
	tcase_add_test(tc, test_cidr_match_v4);
	tcase_add_test(tc, test_cidr_match_v6);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_insurer", 0);
	if (crypto_init() != 0)
		return 1;
	sr = srunner_create(insurer_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
