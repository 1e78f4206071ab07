/*
 * t_totp.c — unit tests for totp.c: the RFC 6238 appendix B vectors (SHA-1,
 * 8 digits, and their 6-digit forms), the ±1 step window, replay refusal,
 * malformed codes, RFC 4648 base32 vectors, the otpauth:// URI and the QR SVG.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "totp.h"

/* RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890". */
static const unsigned char	 seed[] = "12345678901234567890";
#define SEEDLEN	20

static const struct {
	long long	 t;
	const char	*code8;
} vectors[] = {
	{ 59LL,		 "94287082" },
	{ 1111111109LL,	 "07081804" },
	{ 1111111111LL,	 "14050471" },
	{ 1234567890LL,	 "89005924" },
	{ 2000000000LL,	 "69279037" },
	{ 20000000000LL, "65353130" },
};

START_TEST(test_rfc6238_vectors)
{
	char	 out[9];
	size_t	 i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		ck_assert_int_eq(totp_code(seed, SEEDLEN,
		    (uint64_t)(vectors[i].t / 30), 8, out), 0);
		ck_assert_str_eq(out, vectors[i].code8);
		/* 6 digits: the value mod 10^6, i.e. the last six. */
		ck_assert_int_eq(totp_code(seed, SEEDLEN,
		    (uint64_t)(vectors[i].t / 30), 6, out), 0);
		ck_assert_str_eq(out, vectors[i].code8 + 2);
	}
}
END_TEST

START_TEST(test_check_window)
{
	/* 1111111111 is step 37037037; 1111111109 is step 37037036. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "050471", 1111111111LL, 0), 37037037);
	/* The previous step's code is still taken (drift), once. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "081804", 1111111111LL, 0), 37037036);
	/* Two steps away: refused. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "081804", 1111111111LL + 60, 0), 0);
	/* The next step's code (a clock 30 s ahead) is taken. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "050471", 1111111111LL - 30, 0), 37037037);
}
END_TEST

START_TEST(test_check_replay)
{
	/* Accepted once at step 37037037; the same code again is refused. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "050471", 1111111111LL, 0), 37037037);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "050471", 1111111111LL, 37037037), 0);
	/* An older step's code after a newer one was used: refused too. */
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "081804", 1111111111LL, 37037037), 0);
}
END_TEST

START_TEST(test_check_malformed)
{
	ck_assert_int_eq(totp_check(seed, SEEDLEN, NULL, 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "", 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "05047", 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "0504711", 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "05047a", 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, " 50471", 1111111111LL, 0), 0);
	ck_assert_int_eq(totp_check(seed, SEEDLEN, "000000", 1111111111LL, 0), 0);
}
END_TEST

START_TEST(test_base32)
{
	/* RFC 4648 §10, without the padding. */
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" }, { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
	};
	char	 out[64];
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		totp_base32((const unsigned char *)v[i].in, strlen(v[i].in), out);
		ck_assert_str_eq(out, v[i].out);
	}
	totp_base32(seed, SEEDLEN, out);
	ck_assert_str_eq(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	ck_assert_uint_eq(strlen(out), TOTP_B32_LEN(SEEDLEN));
}
END_TEST

START_TEST(test_uri_and_qr)
{
	char	*uri, *svg;

	uri = totp_uri("kenpo staff", "a&b@example.com", seed, SEEDLEN);
	ck_assert_str_eq(uri, "otpauth://totp/kenpo%20staff:a%26b%40example.com?"
	    "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=kenpo%20staff"
	    "&algorithm=SHA1&digits=6&period=30");
	svg = totp_qr_svg(uri, "QR <code>");
	ck_assert_ptr_nonnull(svg);
	ck_assert(strncmp(svg, "<svg ", 5) == 0);
	ck_assert_ptr_nonnull(strstr(svg, "aria-label=\"QR &lt;code&gt;\""));
	ck_assert_ptr_null(strstr(svg, "<code>"));
	ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
	free(svg);
	free(uri);
}
END_TEST

static Suite *
totp_suite(void)
{
	Suite	*s = suite_create("totp");
	TCase	*tc = tcase_create("totp");

	tcase_add_test(tc, test_rfc6238_vectors);
	tcase_add_test(tc, test_check_window);
	tcase_add_test(tc, test_check_replay);
	tcase_add_test(tc, test_check_malformed);
	tcase_add_test(tc, test_base32);
	tcase_add_test(tc, test_uri_and_qr);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_totp", 0);
	if (crypto_init() != 0)
		return 1;
	sr = srunner_create(totp_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
