/*
 * t_webauthn.c — unit tests for webauthn.c without a database: the origin of
 * Service.BaseURL, the RP ID rule, clientDataJSON checks (type, challenge,
 * origin, crossOrigin, topOrigin) and authenticator data framing. The whole
 * ceremonies, signatures included, are in tests/integration/test_passkey.py.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "webauthn.h"

START_TEST(test_origin)
{
	char	 o[WEBAUTHN_ORIGIN_MAX], h[WEBAUTHN_ORIGIN_MAX];

	ck_assert_int_eq(webauthn_origin("https://Kenpo.Example.jp/app/", o, sizeof(o),
	    h, sizeof(h)), 0);
	ck_assert_str_eq(o, "https://kenpo.example.jp");
	ck_assert_str_eq(h, "kenpo.example.jp");
	ck_assert_int_eq(webauthn_origin("http://localhost:8080", o, sizeof(o), h,
	    sizeof(h)), 0);
	ck_assert_str_eq(o, "http://localhost:8080");
	ck_assert_str_eq(h, "localhost");
	ck_assert_int_eq(webauthn_origin("http://[::1]:8080/x", o, sizeof(o), h,
	    sizeof(h)), 0);
	ck_assert_str_eq(h, "[::1]");
	ck_assert_int_eq(webauthn_origin("ftp://x", o, sizeof(o), h, sizeof(h)), -1);
	ck_assert_int_eq(webauthn_origin("https:///x", o, sizeof(o), h, sizeof(h)), -1);
	ck_assert_int_eq(webauthn_origin("https://u@x", o, sizeof(o), h, sizeof(h)), -1);
}
END_TEST

START_TEST(test_rpid)
{
	ck_assert_int_eq(webauthn_rpid_ok("kenpo.example.jp", "kenpo.example.jp"), 1);
	ck_assert_int_eq(webauthn_rpid_ok("example.jp", "kenpo.example.jp"), 1);
	ck_assert_int_eq(webauthn_rpid_ok("jp", "kenpo.example.jp"), 0);
	ck_assert_int_eq(webauthn_rpid_ok("ample.jp", "kenpo.example.jp"), 0);
	ck_assert_int_eq(webauthn_rpid_ok(".example.jp", "kenpo.example.jp"), 0);
	ck_assert_int_eq(webauthn_rpid_ok("evil.jp", "kenpo.example.jp"), 0);
	ck_assert_int_eq(webauthn_rpid_ok("localhost", "localhost"), 1);
	ck_assert_int_eq(webauthn_rpid_ok("0.0.1", "127.0.0.1"), 0);
	ck_assert_int_eq(webauthn_rpid_ok("", "localhost"), 0);
}
END_TEST

static const unsigned char ch[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

static int
cd(const char *json)
{
	return webauthn_client_data_check((const unsigned char *)json, strlen(json),
	    "webauthn.get", ch, sizeof(ch), "http://localhost:8080");
}

START_TEST(test_client_data)
{
	char	 b[64], j[512];

	crypto_b64url_encode(ch, sizeof(ch), b);
#define CD(fmt) (snprintf(j, sizeof(j), fmt, b), cd(j))
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%s\","
	    "\"origin\":\"http://localhost:8080\",\"crossOrigin\":false}"), WA_OK);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.create\",\"challenge\":\"%s\","
	    "\"origin\":\"http://localhost:8080\"}"), WA_TYPE);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%sA\","
	    "\"origin\":\"http://localhost:8080\"}"), WA_CHALLENGE);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%s\","
	    "\"origin\":\"http://127.0.0.1:8080\"}"), WA_ORIGIN);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%s\","
	    "\"origin\":\"http://localhost:8080/\"}"), WA_ORIGIN);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%s\","
	    "\"origin\":\"http://localhost:8080\",\"crossOrigin\":true}"), WA_ORIGIN);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"challenge\":\"%s\","
	    "\"origin\":\"http://localhost:8080\",\"topOrigin\":\"http://localhost:8080\"}"),
	    WA_ORIGIN);
	ck_assert_int_eq(CD("{\"type\":\"webauthn.get\",\"type\":\"webauthn.get\","
	    "\"challenge\":\"%s\",\"origin\":\"http://localhost:8080\"}"), WA_MALFORMED);
	ck_assert_int_eq(cd("[]"), WA_MALFORMED);
	ck_assert_int_eq(cd("{\"type\":\"webauthn.get\"}"), WA_MALFORMED);
#undef CD
}
END_TEST

START_TEST(test_authdata)
{
	struct webauthn_authdata ad;
	unsigned char	 p[200];

	memset(p, 0, sizeof(p));
	crypto_sha256("localhost", 9, p);
	p[32] = WEBAUTHN_UP | WEBAUTHN_UV | WEBAUTHN_BE;
	p[36] = 7;
	ck_assert_int_eq(webauthn_authdata_parse(p, 37, &ad), WA_OK);
	ck_assert_uint_eq(ad.sign_count, 7);
	ck_assert_int_eq(webauthn_authdata_check(&ad, "localhost"), WA_OK);
	ck_assert_int_eq(webauthn_authdata_check(&ad, "example.jp"), WA_RPID);
	/* Trailing bytes without ED, and too short. */
	ck_assert_int_eq(webauthn_authdata_parse(p, 38, &ad), WA_MALFORMED);
	ck_assert_int_eq(webauthn_authdata_parse(p, 36, &ad), WA_MALFORMED);
	p[32] = WEBAUTHN_UP;
	ck_assert_int_eq(webauthn_authdata_parse(p, 37, &ad), WA_OK);
	ck_assert_int_eq(webauthn_authdata_check(&ad, "localhost"), WA_FLAGS);
	/* AT with a credential id longer than the data. */
	p[32] = WEBAUTHN_UP | WEBAUTHN_UV | WEBAUTHN_AT;
	p[37 + 16] = 0x04;
	p[37 + 17] = 0x00;
	ck_assert_int_eq(webauthn_authdata_parse(p, sizeof(p), &ad), WA_MALFORMED);
	/* An indefinite-length map as the key: refused before libcbor. */
	p[37 + 16] = 0;
	p[37 + 17] = 1;
	p[37 + 18] = 0xaa;
	p[37 + 19] = 0xbf;
	ck_assert_int_eq(webauthn_authdata_parse(p, 37 + 20, &ad), WA_MALFORMED);
}
END_TEST

static Suite *
webauthn_suite(void)
{
	Suite	*s = suite_create("webauthn");
	TCase	*tc = tcase_create("webauthn");

	tcase_add_test(tc, test_origin);
	tcase_add_test(tc, test_rpid);
	tcase_add_test(tc, test_client_data);
	tcase_add_test(tc, test_authdata);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_webauthn", 0);
	if (crypto_init() != 0)
		return 1;
	sr = srunner_create(webauthn_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
