/*
 * t_birthdate.c — unit tests for birthdate.c: the year in 西暦 or 和暦 (the
 * birth_era select, or an era typed in the year box in kanji, one kanji, a
 * letter, full-width, ㍼, 元年), the era ranges (the days two eras share, 昭和64
 * to January 7, 平成31 to April 30), the 1900 floor, the future, and
 * rejection of anything else.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "birthdate.h"

#define TODAY	"2026-12-04"

/* Assert that the date reads as want (YYYY-MM-DD). */
#define OK(era, y, m, d, want) do {					\
	struct birth_date b_;						\
	int st_ = birth_parse(era, y, m, d, TODAY, &b_);		\
	ck_assert_msg(st_ == BIRTH_OK, "%s/%s/%s/%s: status %d, want OK", \
	    (era) ? (era) : "-", y, m, d, st_);				\
	ck_assert_str_eq(b_.iso, want);					\
} while (0)

/* Assert the status (and the field it is about). */
#define BAD(era, y, m, d, want, fld) do {				\
	struct birth_date b_;						\
	int st_ = birth_parse(era, y, m, d, TODAY, &b_);		\
	ck_assert_msg(st_ == (want), "%s/%s/%s/%s: status %d, want %d", \
	    (era) ? (era) : "-", y, m, d, st_, want);			\
	ck_assert_int_eq(b_.field, fld);				\
} while (0)

START_TEST(test_western)
{
	OK(NULL, "1960", "1", "1", "1960-01-01");
	OK("", "1960年", "01", "01", "1960-01-01");
	OK("seireki", "１９６０", "１", "１", "1960-01-01");
	OK("seireki", " 1960 ", "1月", "1日", "1960-01-01");
	OK("seireki", "西暦1960年", "12", "31", "1960-12-31");
	OK("showa", "1960", "1", "1", "1960-01-01");	/* 4 digits: Western */
	OK(NULL, "2000", "2", "29", "2000-02-29");
	BAD(NULL, "1900", "2", "29", BIRTH_INVALID, BIRTH_F_DAY);
	BAD(NULL, "35", "1", "1", BIRTH_YEAR, BIRTH_F_YEAR);
	BAD(NULL, "西暦35", "1", "1", BIRTH_YEAR, BIRTH_F_YEAR);
	BAD(NULL, "元", "1", "1", BIRTH_YEAR, BIRTH_F_YEAR);
	BAD(NULL, "1899", "12", "31", BIRTH_OLD, BIRTH_F_YEAR);
	BAD(NULL, "2999", "1", "1", BIRTH_FUTURE, BIRTH_F_YEAR);
	BAD(NULL, "2026", "12", "5", BIRTH_FUTURE, BIRTH_F_YEAR);
	OK(NULL, "2026", "12", "4", "2026-12-04");
}
END_TEST

START_TEST(test_eras_typed)
{
	OK(NULL, "昭和35", "1", "1", "1960-01-01");
	OK(NULL, "昭和35年", "1", "1", "1960-01-01");
	OK(NULL, "昭和　３５年", "1", "1", "1960-01-01");
	OK(NULL, "昭35", "1", "1", "1960-01-01");
	OK(NULL, "S35", "1", "1", "1960-01-01");
	OK(NULL, "s.35", "1", "1", "1960-01-01");
	OK(NULL, "Ｓ３５", "1", "1", "1960-01-01");
	OK(NULL, "ｓ．３５", "1", "1", "1960-01-01");
	OK(NULL, "\xe3\x8d\xbc" "35", "1", "1", "1960-01-01");	/* ㍼ */
	OK(NULL, "H1", "1", "8", "1989-01-08");
	OK(NULL, "平成元年", "1", "8", "1989-01-08");
	OK(NULL, "R1", "5", "1", "2019-05-01");
	OK(NULL, "令和元", "5", "1", "2019-05-01");
	OK(NULL, "T1", "7", "30", "1912-07-30");
	OK(NULL, "M45", "7", "30", "1912-07-30");
	OK(NULL, "M33", "1", "1", "1900-01-01");
	OK("heisei", "昭和35", "1", "1", "1960-01-01");	/* typed wins */
}
END_TEST

START_TEST(test_eras_selected)
{
	OK("showa", "35", "1", "1", "1960-01-01");
	OK("showa", "元", "12", "25", "1926-12-25");
	OK("taisho", "15", "12", "25", "1926-12-25");	/* the shared day */
	OK("showa", "64", "1", "7", "1989-01-07");
	OK("heisei", "31", "4", "30", "2019-04-30");
	OK("reiwa", "8", "12", "4", "2026-12-04");
	OK("meiji", "45", "7", "29", "1912-07-29");
	BAD("edo", "35", "1", "1", BIRTH_ERA_ID, BIRTH_F_YEAR);
	BAD("SHOWA", "35", "1", "1", BIRTH_ERA_ID, BIRTH_F_YEAR);
}
END_TEST

START_TEST(test_era_ranges)
{
	BAD(NULL, "昭和64", "1", "8", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "昭和65", "1", "1", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "平成31", "5", "1", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "平成元", "1", "7", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "昭和元", "12", "24", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "大正15", "12", "26", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "令和元", "4", "30", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "R99", "1", "1", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "R8", "12", "5", BIRTH_FUTURE, BIRTH_F_YEAR);
	BAD(NULL, "昭和0", "1", "1", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "昭和1960", "1", "1", BIRTH_ERA_RANGE, BIRTH_F_YEAR);
	BAD(NULL, "M32", "12", "31", BIRTH_OLD, BIRTH_F_YEAR);
	BAD(NULL, "S35", "2", "30", BIRTH_INVALID, BIRTH_F_DAY);
	BAD(NULL, "S35", "13", "1", BIRTH_INVALID, BIRTH_F_MONTH);
	{
		struct birth_date b;

		ck_assert_int_eq(birth_parse(NULL, "昭和64", "1", "8", TODAY, &b),
		    BIRTH_ERA_RANGE);
		ck_assert_int_eq(b.era, BIRTH_SHOWA);
		ck_assert_int_eq(b.era_year, 64);
	}
}
END_TEST

START_TEST(test_rubbish)
{
	static const char *const years[] = { "X35", "昭和", "S", "S-35", "S 3 5 ね",
	    "35.5", "1960/1", "-1960", "+1960", "0x7a8", "١٩٦٠", "19600",
	    "\xff\xfe", "\xc0\xaf", "昭和３５ね", "SS35", "S..35", "昭和S35",
	    "1111111111111111111111111111111111111111111", "", NULL };
	struct birth_date b;
	int	 i, st;

	for (i = 0; years[i] != NULL; i++) {
		st = birth_parse(NULL, years[i], "1", "1", TODAY, &b);
		ck_assert_msg(st == BIRTH_YEAR || st == BIRTH_INVALID,
		    "year \"%s\": status %d", years[i], st);
	}
	BAD(NULL, "1960", "1.5", "1", BIRTH_INVALID, BIRTH_F_MONTH);
	BAD(NULL, "1960", "1", "一", BIRTH_INVALID, BIRTH_F_DAY);
	BAD(NULL, "1960", "0", "1", BIRTH_INVALID, BIRTH_F_MONTH);
	BAD(NULL, "1960", "1", "32", BIRTH_INVALID, BIRTH_F_DAY);
}
END_TEST

START_TEST(test_era_of)
{
	int	 era = -1, y = -1;

	ck_assert_int_eq(birth_era_of("1960-01-01", &era, &y), 0);
	ck_assert_int_eq(era, BIRTH_SHOWA);
	ck_assert_int_eq(y, 35);
	ck_assert_int_eq(birth_era_of("1989-01-07", &era, &y), 0);
	ck_assert_int_eq(era, BIRTH_SHOWA);
	ck_assert_int_eq(y, 64);
	ck_assert_int_eq(birth_era_of("1989-01-08", &era, &y), 0);
	ck_assert_int_eq(era, BIRTH_HEISEI);
	ck_assert_int_eq(y, 1);
	ck_assert_int_eq(birth_era_of("1926-12-25", &era, &y), 0);
	ck_assert_int_eq(era, BIRTH_SHOWA);
	ck_assert_int_eq(y, 1);
	ck_assert_int_eq(birth_era_of("2019-05-01", &era, &y), 0);
	ck_assert_int_eq(era, BIRTH_REIWA);
	ck_assert_int_eq(birth_era_of("1800-01-01", &era, &y), -1);
	ck_assert_int_eq(birth_era_of("1960", &era, &y), -1);
	ck_assert_str_eq(birth_era_id(BIRTH_HEISEI), "heisei");
	ck_assert_ptr_null(birth_era_id(BIRTH_ERAS));
	ck_assert_int_eq(birth_era_from_id("reiwa"), BIRTH_REIWA);
	ck_assert_int_eq(birth_era_from_id(NULL), BIRTH_SEIREKI);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("birthdate");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_western);
	tcase_add_test(tc, test_eras_typed);
	tcase_add_test(tc, test_eras_selected);
	tcase_add_test(tc, test_era_ranges);
	tcase_add_test(tc, test_rubbish);
	tcase_add_test(tc, test_era_of);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
