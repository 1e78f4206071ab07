/*
 * t_jose.c — unit tests for jose.c: ES256 sign/verify round trips, a JWS
 * made by another implementation (python3-jwcrypto) verified here, the RFC
 * 7638 thumbprint of that key, the JWK's members, and the strict parser's
 * refusals: alg none, HS256, a missing or foreign kid, crit/jku/jwk headers,
 * a tampered payload or signature, malformed parts.
 */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "jose.h"
#include "log.h"
#include "util.h"

/* Made with jwcrypto 1.1 (JWK.generate(kty EC, crv P-256), JWT ES256). */
#define EXT_X	"cPV8IV5l4adPhFY0C__XRmVom8IxasifIvFI88UCTac"
#define EXT_Y	"gTe10bG2-JwkqBTtJ1L5OS2c12UU5x8xRivlZm2Fy3s"
#define EXT_D	"EwRD0gkNsAYBsstWf9BWVNWNiVemegMEJww-kZryvU0"
#define EXT_KID	"y6vTQxv7JbtPtyVMc1MZ5KBam-AOqfvLD6F6zhck3Lk"
#define EXT_JWT	"eyJhbGciOiJFUzI1NiIsImtpZCI6Ink2dlRReHY3SmJ0UHR5Vk1jMU1aNUtCYW0tQU9xZnZMRDZGNnpoY2szTGsiLCJ0eXAiOiJKV1QifQ" \
	".eyJhdWQiOiJjaWQiLCJpc3MiOiJodHRwczovL3guZXhhbXBsZSIsInN1YiI6ImFiYyJ9" \
	".akZ7o_x1vDOZeGCSi2QXhwzRy1vlsIlZwZ2gWbzFeFyK2RrToGhTNGb9YwaobNivm85DPbgzQ7FBdypWNCSryA"

static char *
b64(const char *s)
{
	char	*out = xmalloc(4 * (strlen(s) / 3 + 1) + 1);

	crypto_b64url_encode(s, strlen(s), out);
	return out;
}

/* header.payload.sig from JSON texts and a signature part as given. */
static char *
compose(const char *hdr, const char *pay, const char *sig)
{
	char	*h = b64(hdr), *p = b64(pay), *out;

	out = xasprintf("%s.%s.%s", h, p, sig);
	free(h);
	free(p);
	return out;
}

START_TEST(test_external_vector)
{
	struct jose_key	 k;
	json_t		*claims = NULL;
	size_t		 which = 9;
	char		 tp[JOSE_KID_LEN + 1];

	ck_assert_int_eq(jose_key_public(&k, NULL, EXT_X, EXT_Y), 0);
	jose_thumbprint(&k, tp);
	ck_assert_str_eq(tp, EXT_KID);
	ck_assert_str_eq(k.kid, EXT_KID);
	ck_assert_int_eq(jose_jws_verify(EXT_JWT, &k, 1, &claims, &which), JOSE_OK);
	ck_assert_uint_eq(which, 0);
	ck_assert_str_eq(json_string_value(json_object_get(claims, "sub")), "abc");
	json_decref(claims);
	/* Our signature with the same private key verifies with the public one. */
	ck_assert_int_eq(crypto_b64url_decode(EXT_D, k.d, sizeof(k.d)), 32);
	k.has_d = 1;
	{
		unsigned char	 sig[64];

		ck_assert_int_eq(jose_es256_sign(&k, "abc", 3, sig), 0);
		ck_assert_int_eq(jose_es256_verify(&k, "abc", 3, sig), 1);
		ck_assert_int_eq(jose_es256_verify(&k, "abd", 3, sig), 0);
		sig[10] ^= 1;
		ck_assert_int_eq(jose_es256_verify(&k, "abc", 3, sig), 0);
	}
}
END_TEST

START_TEST(test_generate_sign_parse)
{
	struct jose_key	 k, other, pub;
	json_t		*claims, *got = NULL, *jwk;
	char		*jwt, *bad;
	char		 x[44], y[44];
	int		 i;

	ck_assert_int_eq(jose_es256_generate(&k), 0);
	ck_assert_int_eq(jose_es256_generate(&other), 0);
	ck_assert_str_ne(k.kid, other.kid);
	ck_assert_uint_eq(strlen(k.kid), JOSE_KID_LEN);
	crypto_b64url_encode(k.x, 32, x);
	crypto_b64url_encode(k.y, 32, y);
	ck_assert_int_eq(jose_key_public(&pub, k.kid, x, y), 0);
	ck_assert_int_eq(pub.has_d, 0);

	jwk = jose_jwk(&k);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "kty")), "EC");
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "crv")), "P-256");
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "alg")), "ES256");
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "use")), "sig");
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "x")), x);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "kid")), k.kid);
	ck_assert_ptr_null(json_object_get(jwk, "d"));
	json_decref(jwk);

	/* Many signatures: r or s with leading zero bytes come out padded. */
	claims = json_pack("{s:s, s:i}", "sub", "member", "exp", 2000000000);
	for (i = 0; i < 40; i++) {
		jwt = jose_jwt_sign(&k, claims);
		ck_assert_ptr_nonnull(jwt);
		ck_assert_int_eq(jose_jws_verify(jwt, &pub, 1, &got, NULL), JOSE_OK);
		ck_assert_str_eq(json_string_value(json_object_get(got, "sub")), "member");
		json_decref(got);
		/* Not with another key of the same kid. */
		memcpy(other.kid, k.kid, sizeof(k.kid));
		ck_assert_int_eq(jose_jws_verify(jwt, &other, 1, &got, NULL), JOSE_ESIG);
		ck_assert_ptr_null(got);
		/* A flipped payload character. */
		bad = xstrdup(jwt);
		*(strchr(bad, '.') + 3) ^= 1;
		ck_assert_int_ne(jose_jws_verify(bad, &pub, 1, &got, NULL), JOSE_OK);
		free(bad);
		free(jwt);
	}
	json_decref(claims);
	jose_key_wipe(&k);
}
END_TEST

START_TEST(test_refusals)
{
	struct jose_key	 k;
	json_t		*got = NULL;
	char		*t, *hdr;
	char		 sig[100];
	unsigned char	 raw[64];
	const char	*pay = "{\"sub\":\"x\"}";

	ck_assert_int_eq(jose_es256_generate(&k), 0);
	memset(raw, 7, sizeof(raw));
	crypto_b64url_encode(raw, sizeof(raw), sig);

	/* alg none, with or without a signature part. */
	t = compose("{\"alg\":\"none\"}", pay, "");
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EFORM);
	free(t);
	t = compose("{\"alg\":\"none\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EALG);
	free(t);
	hdr = xasprintf("{\"alg\":\"HS256\",\"kid\":\"%s\"}", k.kid);
	t = compose(hdr, pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EALG);
	free(t);
	free(hdr);
	t = compose("{\"alg\":\"es256\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EALG);
	free(t);
	t = compose("{\"kid\":\"x\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EALG);
	free(t);
	/* No kid, an unknown kid, a number as kid. */
	t = compose("{\"alg\":\"ES256\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EKID);
	free(t);
	t = compose("{\"alg\":\"ES256\",\"kid\":\"other\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EKID);
	free(t);
	t = compose("{\"alg\":\"ES256\",\"kid\":7}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EKID);
	free(t);
	/* Keys of the sender's choosing, crit, duplicate members. */
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"jwk\":{}}", k.kid);
	t = compose(hdr, pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EHEADER);
	free(t);
	free(hdr);
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"crit\":[\"x\"]}", k.kid);
	t = compose(hdr, pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EHEADER);
	free(t);
	free(hdr);
	t = compose("{\"alg\":\"ES256\",\"alg\":\"ES256\"}", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EHEADER);
	free(t);
	t = compose("[1]", pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_EHEADER);
	free(t);
	/* A signature that is not ours. */
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\"}", k.kid);
	t = compose(hdr, pay, sig);
	ck_assert_int_eq(jose_jws_verify(t, &k, 1, &got, NULL), JOSE_ESIG);
	free(t);
	free(hdr);
	/* Malformed. */
	ck_assert_int_eq(jose_jws_verify("", &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_int_eq(jose_jws_verify("a.b", &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_int_eq(jose_jws_verify("a.b.c.d", &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_int_eq(jose_jws_verify("e30=.e30.e30", &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_int_eq(jose_jws_verify("..", &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_int_eq(jose_jws_verify(NULL, &k, 1, &got, NULL), JOSE_EFORM);
	ck_assert_ptr_null(got);
	jose_key_wipe(&k);
}
END_TEST

START_TEST(test_at_hash)
{
	char	 h[23];

	/* OIDC Core A.3's example: at_hash of its access token. */
	jose_at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", h);
	ck_assert_str_eq(h, "77QmUPtjPfzWtF2AnpK9RQ");
}
END_TEST

static Suite *
jose_suite(void)
{
	Suite	*s = suite_create("jose");
	TCase	*tc = tcase_create("jose");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_external_vector);
	tcase_add_test(tc, test_generate_sign_parse);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_at_hash);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	log_open("t_jose", 0);
	if (crypto_init() != 0)
		return 1;
	sr = srunner_create(jose_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
