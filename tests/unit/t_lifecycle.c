/*
 * t_lifecycle.c — unit tests for the date arithmetic of the 100-day rules
 * (lifecycle_date_add): the day an account is closed and its address free is
 * the loss date + LIFECYCLE_DAYS, across month, year and leap-day boundaries,
 * in any time zone of the host.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"
#include "log.h"

static void
expect(const char *date, int days, const char *want)
{
	char	 out[ROSTER_DATE_LEN + 1];

	ck_assert_int_eq(lifecycle_date_add(date, days, out), 0);
	ck_assert_str_eq(out, want);
}

START_TEST(test_hundred_days)
{
	ck_assert_int_eq(LIFECYCLE_DAYS, 100);
	expect("2026-11-24", LIFECYCLE_DAYS, "2027-03-04");
	expect("2026-11-24", LIFECYCLE_DAYS - 1, "2027-03-03");
	expect("2027-11-24", LIFECYCLE_DAYS, "2028-03-03");	/* leap year */
	expect("2028-02-29", LIFECYCLE_DAYS, "2028-06-08");
	expect("2026-12-31", 1, "2027-01-01");
	expect("2026-03-01", -1, "2026-02-28");
	expect("2026-01-05", 0, "2026-01-05");
}
END_TEST

START_TEST(test_host_time_zone)
{
	/* Dates, not instants: the host's zone must not move them. */
	setenv("TZ", "Pacific/Kiritimati", 1);
	expect("2026-11-24", LIFECYCLE_DAYS, "2027-03-04");
	setenv("TZ", "Pacific/Pago_Pago", 1);
	expect("2026-11-24", LIFECYCLE_DAYS, "2027-03-04");
	unsetenv("TZ");
}
END_TEST

START_TEST(test_not_a_date)
{
	char	 out[ROSTER_DATE_LEN + 1];

	ck_assert_int_eq(lifecycle_date_add(NULL, 1, out), -1);
	ck_assert_int_eq(lifecycle_date_add("", 1, out), -1);
	ck_assert_int_eq(lifecycle_date_add("tomorrow", 1, out), -1);
}
END_TEST

static Suite *
lifecycle_suite(void)
{
	Suite	*s = suite_create("lifecycle");
	TCase	*tc = tcase_create("dates");

	tcase_add_test(tc, test_hundred_days);
	tcase_add_test(tc, test_host_time_zone);
	tcase_add_test(tc, test_not_a_date);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_lifecycle", 0);
	sr = srunner_create(lifecycle_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
