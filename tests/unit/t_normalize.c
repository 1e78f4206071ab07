/*
 * t_normalize.c — unit tests for normalize.c: katakana names (half-width, hiragana,
 * spaces, middle dots, hyphen look-alikes, voicing and iteration marks), card
 * symbols and numbers (full-width digits, hyphens, leading zeros, the last-7 rule),
 * digit strings, and rejection of invalid UTF-8 and non-kana.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "normalize.h"

/* Assert that f(in) gives want (NULL: rejected). */
#define CHECK_NORM(f, in, want) do {					\
	char	*got_ = f(in);						\
	if ((want) == NULL)						\
		ck_assert_msg(got_ == NULL, "%s(\"%s\") = \"%s\", want NULL", \
		    #f, (in), got_ != NULL ? got_ : "(null)");					\
	else {								\
		ck_assert_msg(got_ != NULL, "%s(\"%s\") = NULL, want \"%s\"", \
		    #f, (in), (const char *)(want));			\
		ck_assert_str_eq(got_, (const char *)(want));		\
	}								\
	free(got_);							\
} while (0)

#define KANA(in, want)		CHECK_NORM(normalize_kana, in, want)
#define SYMBOL(in, want)	CHECK_NORM(normalize_symbol, in, want)
#define NUMBER(in, want)	CHECK_NORM(normalize_number, in, want)
#define DIGITS(in, want)	CHECK_NORM(normalize_digits, in, want)
#define ANSWER(in, want)	CHECK_NORM(normalize_answer, in, want)

static const char *const NONE = NULL;

START_TEST(test_kana_plain)
{
	KANA("ケンコウタロウ", "ケンコウタロウ");
	KANA("ヴァイオリン", "ヴァイオリン");
	KANA("ケンコム", "ケンコム");
}
END_TEST

START_TEST(test_kana_halfwidth)
{
	KANA("ｹﾝｺｳﾀﾛｳ", "ケンコウタロウ");
	KANA("ｶﾞｯｺｳ ﾊﾟﾊﾟ", "ガッコウパパ");	/* ﾞ ﾟ compose */
	KANA("ｳﾞｧ", "ヴァ");
	KANA("ｺｰﾋｰ", "コーヒー");		/* ｰ → ー */
}
END_TEST

START_TEST(test_kana_hiragana)
{
	KANA("けんこうたろう", "ケンコウタロウ");
	KANA("ゔぁ", "ヴァ");
	KANA("けんコウ", "ケンコウ");		/* mixed */
	KANA("いすゞ", "イスズ");		/* iteration marks written out */
	KANA("さゝき", "ササキ");
	KANA("カ゛ク", "ガク");			/* separate voicing mark */
}
END_TEST

START_TEST(test_kana_spaces_dots)
{
	KANA("ケンコウ タロウ", "ケンコウタロウ");		/* ASCII space */
	KANA("ケンコウ　タロウ", "ケンコウタロウ");		/* U+3000 */
	KANA("  ケンコウ\tタロウ  ", "ケンコウタロウ");
	KANA("ケンコウ\xc2\xa0タロウ", "ケンコウタロウ");	/* NBSP */
	KANA("ケンコウ\xe2\x80\x83タロウ", "ケンコウタロウ");	/* em space */
	KANA("スミス・ジョン", "スミスジョン");
	KANA("ｽﾐｽ･ｼﾞｮﾝ", "スミスジョン");
}
END_TEST

START_TEST(test_kana_hyphens)
{
	static const char *const marks[] = {
		"-", "‐", "‑", "‒", "–", "—", "―", "−", "─", "━", "~", "〜", "～",
		"ｰ", "ー", "－", "﹣",
	};
	char	 in[64];
	size_t	 i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(in, sizeof(in), "ケ%sキ", marks[i]);
		KANA(in, "ケーキ");
	}
	KANA("カ゛ー", "ガー");		/* after a voiced kana */
	KANA("ｶﾞｰﾃﾞﾝ", "ガーデン");
	KANA("ーアキ", NONE);		/* no kana before it */
	KANA("-アキ", NONE);
}
END_TEST

START_TEST(test_kana_rejects)
{
	KANA("", NONE);
	KANA("   ", NONE);
	KANA("　", NONE);
	KANA("Taro", NONE);
	KANA("健康太郎", NONE);
	KANA("ケンコウ1", NONE);
	KANA("ケンコウ!", NONE);
	KANA("ア゛", NONE);		/* no such composed kana */
	KANA("\xff\xfe", NONE);		/* invalid UTF-8 */
	KANA("ケ\xe3\x82", NONE);	/* truncated sequence */
	KANA("\xc0\xb1", NONE);		/* overlong */
	KANA("\xed\xa0\x80", NONE);	/* surrogate */
	KANA("ケン\x01コウ", NONE);	/* control character */
}
END_TEST

START_TEST(test_symbol)
{
	SYMBOL("123", "123");
	SYMBOL("１２３", "123");		/* full-width digits */
	SYMBOL("0123", "123");			/* leading zero */
	SYMBOL("０１２３", "123");
	SYMBOL("000", "0");
	SYMBOL("12-456", "12456");		/* pattern ③ as printed */
	SYMBOL("12－456", "12456");
	SYMBOL("12ー456", "12456");
	SYMBOL("12 456", "12456");
	SYMBOL("12　456", "12456");
	SYMBOL("ab12", "AB12");			/* letters upper-cased */
	SYMBOL("ａｂ１２", "AB12");
	SYMBOL("府中", "府中");			/* kanji occur */
	SYMBOL("けん", "ケン");
	SYMBOL("12345678", "12345678");		/* no last-7 rule for symbols */
	SYMBOL("", "");				/* patterns ① ② */
	SYMBOL(" ", "");
	SYMBOL("-", "");
	SYMBOL("12.3", NONE);
	SYMBOL("12/3", NONE);
	SYMBOL("\xff", NONE);
}
END_TEST

START_TEST(test_number)
{
	NUMBER("4567890", "4567890");
	NUMBER("４５６７８９０", "4567890");
	NUMBER("5678", "5678");
	NUMBER("0005678", "5678");		/* leading zeros */
	NUMBER("0", "0");
	NUMBER("0000", "0");
	NUMBER("12345678", "2345678");		/* 8 digits: last 7 */
	NUMBER("1234-5678", "2345678");		/* pattern ① as printed */
	NUMBER("1234ー5678", "2345678");
	NUMBER("１２３４－５６７８", "2345678");
	NUMBER("0012345678", "2345678");
	NUMBER("123456789012", "6789012");
	NUMBER("10000001234", "1234");		/* last 7 "0001234", then zeros */
	NUMBER("01234567", "1234567");
	NUMBER(" 456 7890 ", "4567890");
	NUMBER("", NONE);
	NUMBER("-", NONE);
	NUMBER("12a", NONE);
	NUMBER("１２Ａ", NONE);
	NUMBER("12.5", NONE);
	NUMBER("\xe3\x81", NONE);
}
END_TEST

START_TEST(test_digits)
{
	DIGITS("06139992", "06139992");
	DIGITS("０６１３９９９２", "06139992");
	DIGITS("0613 9992", "06139992");
	DIGITS("0613-9992", "06139992");
	DIGITS("00123", "00123");		/* zeros kept */
	DIGITS("", NONE);
	DIGITS("0613999x", NONE);
	DIGITS("\xff", NONE);
}
END_TEST

/* The same card typed as a member might and as an insurer's file has it. */
START_TEST(test_both_sides_meet)
{
	char	*a, *b;

	a = normalize_number("１２３４ー５６７８");
	b = normalize_number("12345678");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = normalize_kana("けんこう　たろう");
	b = normalize_kana("ｹﾝｺｳ ﾀﾛｳ");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

/* The secret question's answer (健診・医療アクセス認証): typed either way. */
START_TEST(test_answer)
{
	ANSWER("けんこむ", "ケンコム");
	ANSWER("ｹﾝｺﾑ ﾀﾛｳ", "ケンコムタロウ");
	ANSWER("ケンコム　タロウ", "ケンコムタロウ");
	ANSWER("がっこう", "ガッコウ");
	ANSWER("ｶﾞｯｺｳ", "ガッコウ");
	ANSWER("らーめん", "ラーメン");
	ANSWER("ﾗｰﾒﾝ", "ラーメン");
	ANSWER("Blue Bird 7", "bluebird7");
	ANSWER("ｂｌｕｅｂｉｒｄ７", "bluebird7");
	ANSWER("東京タワー", "東京タワー");
	ANSWER("1-2-3", "1-2-3");
	ANSWER("", NULL);
	ANSWER(" \xe3\x80\x80・ ", NULL);
	ANSWER("\xff", NULL);
}
END_TEST

static Suite *
normalize_suite(void)
{
	Suite	*s = suite_create("normalize");
	TCase	*tc = tcase_create("all");

	tcase_add_test(tc, test_kana_plain);
	tcase_add_test(tc, test_kana_halfwidth);
	tcase_add_test(tc, test_kana_hiragana);
	tcase_add_test(tc, test_kana_spaces_dots);
	tcase_add_test(tc, test_kana_hyphens);
	tcase_add_test(tc, test_kana_rejects);
	tcase_add_test(tc, test_symbol);
	tcase_add_test(tc, test_number);
	tcase_add_test(tc, test_digits);
	tcase_add_test(tc, test_answer);
	tcase_add_test(tc, test_both_sides_meet);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_normalize", 0);
	sr = srunner_create(normalize_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
