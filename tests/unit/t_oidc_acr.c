/*
 * t_oidc_acr.c — the acr decision of the authorization endpoint
 * (src/oidc_acr.c): which level is fresh, what must be asked (only the
 * missing factor), and the claims parameter's essential acr.
 */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "oidc_acr.h"

#define NOW	2000000000LL

/* A member of level l who logged in login_ago s ago and stepped up
 * stepup_ago s ago (-1: never); max ages 0, 0, 900. */
static struct oidc_acr_ctx
ctx(int l, long long login_ago, long long stepup_ago)
{
	struct oidc_acr_ctx c;

	memset(&c, 0, sizeof(c));
	c.level = l;
	c.now = NOW;
	c.auth_time = login_ago < 0 ? 0 : NOW - login_ago;
	c.stepup_time = stepup_ago < 0 ? 0 : NOW - stepup_ago;
	c.kba_usable = l >= 3;
	c.maxage[3] = 900;
	return c;
}

static struct oidc_acr_req
req(int min, int essential)
{
	struct oidc_acr_req q;

	memset(&q, 0, sizeof(q));
	q.min_level = min;
	q.essential = essential;
	q.max_age = -1;
	q.since = NOW - 5;
	return q;
}

START_TEST(test_fresh)
{
	struct oidc_acr_ctx c = ctx(3, 7200, 100);

	ck_assert_int_eq(oidc_acr_fresh(&c, 1), 1);
	ck_assert_int_eq(oidc_acr_fresh(&c, 2), 1);
	ck_assert_int_eq(oidc_acr_fresh(&c, 3), 1);
	ck_assert_int_eq(oidc_acr_fresh(&c, 4), 0);
	c.stepup_time = NOW - 901;
	ck_assert_int_eq(oidc_acr_fresh(&c, 3), 0);
	c.stepup_time = NOW - 10;
	c.kba_usable = 0;	/* the question is locked */
	ck_assert_int_eq(oidc_acr_fresh(&c, 3), 0);
	c = ctx(2, 7200, 10);
	ck_assert_int_eq(oidc_acr_fresh(&c, 3), 0);	/* not her level */
	c.maxage[2] = 3600;
	ck_assert_int_eq(oidc_acr_fresh(&c, 2), 0);
	ck_assert_int_eq(oidc_acr_fresh(&c, 1), 1);
}
END_TEST

START_TEST(test_decide)
{
	struct oidc_acr_ctx c;
	struct oidc_acr_req q;
	int	 r, g;

	/* Level 2, nothing special asked: identity, at once. */
	c = ctx(2, 60, -1);
	q = req(1, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(g, 2);
	/* Essential sensitive for level 2: unmet. */
	q = req(1, 3);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_UNMET);
	ck_assert_int_eq(r, 3);
	/* The client's minimum likewise. */
	q = req(3, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_UNMET);
	/* An essential acr we do not have. */
	q = req(1, OIDC_ACR_UNKNOWN);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_UNMET);
	/* Level 3 without a step-up: only the step-up. */
	c = ctx(3, 60, -1);
	q = req(3, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_STEPUP);
	/* An aged step-up: only the step-up, however old the login. */
	c = ctx(3, 86400, 1000);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_STEPUP);
	/* A fresh one: sensitive. */
	c = ctx(3, 86400, 100);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	ck_assert_int_eq(g, 3);
	/* Locked question: unmet, whatever the step-up. */
	c.kba_usable = 0;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_UNMET);
	/* Level 3 without a fresh step-up, insurer asked: identity given. */
	c = ctx(3, 60, 5000);
	q = req(1, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	ck_assert_int_eq(g, 2);
	/* No primary authentication in the session. */
	c = ctx(2, -1, -1);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_REAUTH);
}
END_TEST

START_TEST(test_fresh_login)
{
	struct oidc_acr_ctx c = ctx(3, 600, 10);
	struct oidc_acr_req q = req(3, 0);
	int	 r, g;

	/* max_age=0: the password again, not the step-up. */
	q.max_age = 0;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_REAUTH);
	/* After it (auth_time at or after the request): granted. */
	c.auth_time = q.since + 2;
	c.now = q.since + 3;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	ck_assert_int_eq(g, 3);
	/* max_age larger than the login's age: nothing asked. */
	c = ctx(2, 600, -1);
	q = req(1, 0);
	q.max_age = 3600;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	/* prompt=login */
	q.max_age = -1;
	q.force_login = 1;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_REAUTH);
	c.auth_time = q.since;
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	/* OIDC.MaxAge.Identity run out for an identity client: password. */
	c = ctx(2, 7200, -1);
	c.maxage[2] = 3600;
	q = req(2, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_REAUTH);
	/* …but an insurer client is given insurer. */
	q = req(1, 0);
	ck_assert_int_eq(oidc_acr_decide(&c, &q, &r, &g), OIDC_ACR_GRANT);
	ck_assert_int_eq(g, 1);
}
END_TEST

START_TEST(test_claims)
{
	int	 e;

#define C(s)	oidc_acr_claims(s, strlen(s), &e)
	ck_assert_int_eq(C("{}"), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":true,"
	    "\"value\":\"urn:kenpo:acr:sensitive\"}}}"), 0);
	ck_assert_int_eq(e, 3);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":true,"
	    "\"values\":[\"urn:kenpo:acr:sensitive\",\"urn:kenpo:acr:identity\"]}}}"), 0);
	ck_assert_int_eq(e, 2);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":false,"
	    "\"value\":\"urn:kenpo:acr:sensitive\"}}}"), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{"
	    "\"value\":\"urn:kenpo:acr:sensitive\"}}}"), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":true,"
	    "\"value\":\"urn:other:gold\"}}}"), 0);
	ck_assert_int_eq(e, OIDC_ACR_UNKNOWN);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":true}}}"), 0);
	ck_assert_int_eq(e, 1);
	ck_assert_int_eq(C("{\"userinfo\":{\"email\":null},\"id_token\":{\"acr\":null}}"), 0);
	ck_assert_int_eq(e, 0);
	/* Malformed. */
	ck_assert_int_eq(C(""), -1);
	ck_assert_int_eq(C("[]"), -1);
	ck_assert_int_eq(C("{\"id_token\":1}"), -1);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"essential\":\"yes\"}}}"), -1);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"value\":3}}}"), -1);
	ck_assert_int_eq(C("{\"id_token\":{\"acr\":{\"values\":\"x\"}}}"), -1);
	ck_assert_int_eq(C("{\"a\":1,\"a\":2}"), -1);
	ck_assert_int_eq(C("{\"id_token\":{"), -1);
#undef C
}
END_TEST

static Suite *
acr_suite(void)
{
	Suite	*s = suite_create("oidc_acr");
	TCase	*tc = tcase_create("decide");

	tcase_add_test(tc, test_fresh);
	tcase_add_test(tc, test_decide);
	tcase_add_test(tc, test_fresh_login);
	tcase_add_test(tc, test_claims);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(acr_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
