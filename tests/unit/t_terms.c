/*
 * t_terms.c — the pure parts of src/terms.c: which kinds exist and whose they
 * are, and which URLs a terms version may link (they become href attributes
 * on signup step 4 and /consent, so a script scheme or a quote must never get
 * through; kenpoctl terms publish refuses what this refuses).
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "terms.h"

struct row {
	const char	*url;
	int		 local_ok;
	int		 ok;
};

static const struct row table[] = {
	{ "https://example.org/terms", 0, 1 },
	{ "http://example.org/terms?v=2&x=1", 0, 1 },
	{ "/static/terms.html", 1, 1 },
	{ "/static/terms.html", 0, 0 },		/* insurer kinds: absolute only */
	{ "//evil.example/terms", 1, 0 },	/* another site */
	{ "javascript:alert(1)", 1, 0 },
	{ "JAVASCRIPT:alert(1)", 1, 0 },
	{ "data:text/html,x", 1, 0 },
	{ "https://example.org/\"onmouseover=x", 0, 0 },
	{ "https://example.org/'x", 0, 0 },
	{ "https://example.org/<x>", 0, 0 },
	{ "https://example.org/a\\b", 0, 0 },
	{ "https://example.org/a b", 0, 0 },
	{ "https://example.org/\tb", 0, 0 },
	{ "https://example.org/規約", 0, 0 },	/* non-ASCII: percent-encode it */
	{ " https://example.org/", 0, 0 },
	{ "", 1, 0 },
	{ "terms.html", 1, 0 },
	{ "ftp://example.org/terms", 0, 0 },
};

START_TEST(test_url_table)
{
	const struct row *r = &table[_i];

	ck_assert_msg(terms_url_ok(r->url, r->local_ok) == r->ok,
	    "row %d (%s, local %d): expected %d", _i, r->url, r->local_ok, r->ok);
}
END_TEST

START_TEST(test_url_length)
{
	char	*u = malloc(TERMS_URL_MAX + 2);

	ck_assert_ptr_nonnull(u);
	memset(u, 'a', TERMS_URL_MAX + 1);
	memcpy(u, "https://", 8);
	u[TERMS_URL_MAX] = '\0';
	ck_assert_int_eq(terms_url_ok(u, 0), 1);
	u[TERMS_URL_MAX] = 'a';
	u[TERMS_URL_MAX + 1] = '\0';
	ck_assert_int_eq(terms_url_ok(u, 0), 0);
	ck_assert_int_eq(terms_url_ok(NULL, 1), 0);
	free(u);
}
END_TEST

START_TEST(test_kinds)
{
	ck_assert_int_eq(terms_kind_valid("service"), 1);
	ck_assert_int_eq(terms_kind_valid("privacy"), 1);
	ck_assert_int_eq(terms_kind_valid("insurer"), 1);
	ck_assert_int_eq(terms_kind_valid("points"), 1);
	ck_assert_int_eq(terms_kind_valid("Service"), 0);
	ck_assert_int_eq(terms_kind_valid(""), 0);
	ck_assert_int_eq(terms_kind_valid(NULL), 0);
	ck_assert_int_eq(terms_kind_insurer("insurer"), 1);
	ck_assert_int_eq(terms_kind_insurer("points"), 1);
	ck_assert_int_eq(terms_kind_insurer("service"), 0);
	ck_assert_int_eq(terms_kind_insurer("privacy"), 0);
}
END_TEST

static Suite *
terms_suite(void)
{
	Suite	*s = suite_create("terms");
	TCase	*tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_url_table, 0,
	    (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_url_length);
	tcase_add_test(tc, test_kinds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(terms_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
