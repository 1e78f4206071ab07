/*
 * t_redirect.c — redirect_target_ok (src/redirect.c), the one judge of every
 * redirect target a request supplies: a table of hostile forms (each one a way
 * a browser's URL parser leaves the site: it strips leading C0 controls and
 * spaces, removes tab/LF/CR anywhere, reads '\' as '/', takes "//" and
 * "scheme:" as another site) and of legitimate back-links that must still work.
 * tests/fuzz/fuzz_redirect.c checks the same against a model of the parser.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "redirect.h"

struct row {
	const char	*target;
	int		 ok;
	const char	*why;
};

static const struct row table[] = {
	/* Hostile: each would take a browser to evil.example. */
	{ "/\t/evil.example", 0, "tab removed: //evil.example" },
	{ "/\n/evil.example", 0, "LF removed" },
	{ "/\r\n/evil.example", 0, "CR LF removed" },
	{ "/\r/evil.example", 0, "CR removed" },
	{ "/\\evil.example", 0, "'\\' read as '/'" },
	{ "\\\\evil.example", 0, "two backslashes" },
	{ "/\\/evil.example", 0, "'/\\/'" },
	{ "//evil.example", 0, "scheme-relative" },
	{ "///evil.example", 0, "three slashes" },
	{ " //evil.example", 0, "leading space stripped" },
	{ "\x01//evil.example", 0, "leading C0 stripped" },
	{ "\x1f/\t/evil.example", 0, "leading C0, then tab" },
	{ "\t//evil.example", 0, "leading tab" },
	{ "//evil.example\x01", 0, "trailing C0" },
	{ "javascript:alert(1)", 0, "script scheme" },
	{ "JavaScript:alert(1)", 0, "script scheme, mixed case" },
	{ "java\tscript:alert(1)", 0, "tab inside the scheme" },
	{ "data:text/html,x", 0, "data scheme" },
	{ "http://evil.example", 0, "absolute URL" },
	{ "https://evil.example/", 0, "absolute URL, https" },
	{ "http:/evil.example", 0, "scheme, one slash" },
	{ "http:evil.example", 0, "scheme, no slash" },
	{ "evil.example", 0, "relative path" },
	{ "", 0, "empty" },
	{ " /top", 0, "leading space (a browser strips it: fine, but not ours)" },
	{ "/top ", 0, "trailing space" },
	{ "/top\x7f", 0, "DEL" },
	{ "/\xef\xbc\x8f\xef\xbc\x8f" "evil.example", 0, "fullwidth solidus (UTF-8)" },
	{ "/\xe5\x81\xa5", 0, "raw UTF-8 (we send it percent-encoded)" },
	{ "/\xc0\xaf", 0, "overlong '/'" },
	{ "/\x80", 0, "stray continuation byte" },
	/* Legitimate: same-site paths, as the pages build them. */
	{ "/", 1, "the top" },
	{ "/top", 1, "member top" },
	{ "/signup/eligibility", 1, "a signup step" },
	{ "/login?next=/top", 1, "a query holding a path" },
	{ "/announcements?q=%E5%81%A5", 1, "percent-encoded UTF-8" },
	{ "/%09/evil.example", 1, "a PATH: percent stays percent" },
	{ "/%2F%2Fevil.example", 1, "a PATH: %2F is not '/'" },
	{ "/%5Cevil.example", 1, "a PATH: %5C is not '\\'" },
	{ "/lang?to=en&back=/top", 1, "the language switch" },
	{ "/a#frag", 1, "a fragment" },
	{ "/./top", 1, "dot segment: still this site" },
	{ "/../top", 1, "dot-dot above the root: still this site" },
};

START_TEST(test_table)
{
	const struct row *r = &table[_i];

	ck_assert_msg(redirect_target_ok(r->target) == r->ok,
	    "row %d (%s): expected %d", _i, r->why, r->ok);
}
END_TEST

START_TEST(test_null)
{
	ck_assert_int_eq(redirect_target_ok(NULL), 0);
}
END_TEST

START_TEST(test_overlong)
{
	char	*t = malloc(REDIRECT_TARGET_MAX + 2);

	ck_assert_ptr_nonnull(t);
	/* The longest allowed target... */
	memset(t, 'a', REDIRECT_TARGET_MAX);
	t[0] = '/';
	t[REDIRECT_TARGET_MAX] = '\0';
	ck_assert_int_eq(redirect_target_ok(t), 1);
	/* ...and one byte more. */
	t[REDIRECT_TARGET_MAX] = 'a';
	t[REDIRECT_TARGET_MAX + 1] = '\0';
	ck_assert_int_eq(redirect_target_ok(t), 0);
	/* A tab far in is still a tab. */
	t[REDIRECT_TARGET_MAX - 1] = '\t';
	t[REDIRECT_TARGET_MAX] = '\0';
	ck_assert_int_eq(redirect_target_ok(t), 0);
	free(t);
}
END_TEST

/* redirect_next: the rules of login's next= (the step-up's next= uses it). */
START_TEST(test_next)
{
	char	 big[REDIRECT_NEXT_MAX + 2];

	ck_assert_ptr_nonnull(redirect_next("/oidc/authorize/resume/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	ck_assert_ptr_nonnull(redirect_next("/top?x=1&y=%20"));
	ck_assert_ptr_null(redirect_next(NULL));
	ck_assert_ptr_null(redirect_next("//evil.example"));
	ck_assert_ptr_null(redirect_next("https://evil.example/"));
	ck_assert_ptr_null(redirect_next("/a b"));
	ck_assert_ptr_null(redirect_next("/a\"\"b"));
	ck_assert_ptr_null(redirect_next("/login?next=/x"));
	ck_assert_ptr_null(redirect_next("/users/abc/activate"));
	ck_assert_ptr_null(redirect_next("/password/reset/x"));
	ck_assert_ptr_null(redirect_next("health"));	/* a feature name */
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_null(redirect_next(big));
	big[REDIRECT_NEXT_MAX] = '\0';
	ck_assert_ptr_nonnull(redirect_next(big));
}
END_TEST

static Suite *
redirect_suite(void)
{
	Suite	*s = suite_create("redirect");
	TCase	*tc = tcase_create("table");

	tcase_add_loop_test(tc, test_table, 0,
	    (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_next);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(redirect_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
