/*
 * fuzz_webauthn.c — the parsers of src/webauthn.c, which read what any
 * client posts to the passkey endpoints: the attestation object (libcbor),
 * authenticator data (by hand), the COSE key in it, and clientDataJSON
 * (jansson). An assertion signature check runs on what parses.
 *
 * Input: one byte choosing the parser (mod 4: attestation object,
 * authenticator data, COSE key, clientDataJSON), then the bytes. Invariants,
 * besides no crash and no leak:
 *   - every result is WA_OK or one of the enum's errors;
 *   - parsed authenticator data: a credential id of 1..1023 bytes exactly
 *     when AT is set, a key of 64 bytes for ES256 and 32 for EdDSA and none
 *     of any other algorithm; an attestation object always carries AT;
 *   - a COSE key's length used is within the input;
 *   - clientDataJSON is only WA_OK for the one type, challenge and origin
 *     asked, and a check of another type never passes;
 *   - a signature check over parsed data with an input-made key and
 *     signature is never WA_OK (the chance of a forged ES256 signature is
 *     nil).
 */
#include "autoconf.h"

#include "fuzz.h"
#include "webauthn.h"

static const unsigned char challenge[WEBAUTHN_CHALLENGE_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
#define ORIGIN	"http://localhost:8080"

static void
check_ad(const struct webauthn_authdata *ad)
{
	if (ad->flags & WEBAUTHN_AT) {
		FUZZ_ASSERT(ad->cred_id_len >= 1 &&
		    ad->cred_id_len <= WEBAUTHN_CRED_ID_MAX);
		FUZZ_ASSERT((ad->alg == WEBAUTHN_ALG_ES256 && ad->pk_len == 64) ||
		    (ad->alg == WEBAUTHN_ALG_EDDSA && ad->pk_len == 32));
	} else {
		FUZZ_ASSERT(ad->cred_id_len == 0 && ad->pk_len == 0);
	}
}

static int
known(int rc)
{
	return rc <= 0 && rc >= WA_SIG;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webauthn_authdata *ad;
	unsigned char	 pk[WEBAUTHN_PK_MAX];
	size_t		 used = 0, pklen = 0, n;
	const uint8_t	*p;
	int		 rc, alg = 0;

	fuzz_setup();
	if (size < 1)
		return 0;
	p = data + 1;
	n = size - 1;
	ad = xmalloc(sizeof(*ad));
	switch (data[0] % 4) {
	case 0:
		rc = webauthn_attobj_parse(p, n, ad);
		FUZZ_ASSERT(known(rc));
		if (rc == WA_OK) {
			FUZZ_ASSERT(ad->flags & WEBAUTHN_AT);
			check_ad(ad);
			FUZZ_ASSERT(known(webauthn_authdata_check(ad, "localhost")));
		}
		break;
	case 1:
		rc = webauthn_authdata_parse(p, n, ad);
		FUZZ_ASSERT(known(rc));
		if (rc == WA_OK) {
			check_ad(ad);
			FUZZ_ASSERT(n >= 37);
			/* A key made of the input's first bytes cannot have signed. */
			memset(pk, 0, sizeof(pk));
			memcpy(pk, p, n < 64 ? n : 64);
			rc = webauthn_assertion_verify("localhost",
			    (const unsigned char *)"{}", 2, p, n, p, n > 72 ? 72 : n,
			    WEBAUTHN_ALG_ES256, pk, 64);
			FUZZ_ASSERT(rc != WA_OK);
		}
		break;
	case 2:
		rc = webauthn_cose_key_parse(p, n, &used, &alg, pk, &pklen);
		FUZZ_ASSERT(known(rc));
		if (rc == WA_OK) {
			FUZZ_ASSERT(used >= 1 && used <= n);
			FUZZ_ASSERT((alg == WEBAUTHN_ALG_ES256 && pklen == 64) ||
			    (alg == WEBAUTHN_ALG_EDDSA && pklen == 32));
		}
		break;
	default:
		rc = webauthn_client_data_check(p, n, "webauthn.get", challenge,
		    sizeof(challenge), ORIGIN);
		FUZZ_ASSERT(known(rc));
		if (rc == WA_OK) {
			FUZZ_ASSERT(webauthn_client_data_check(p, n, "webauthn.create",
			    challenge, sizeof(challenge), ORIGIN) == WA_TYPE);
			FUZZ_ASSERT(webauthn_client_data_check(p, n, "webauthn.get",
			    challenge, sizeof(challenge), "https://evil.example") ==
			    WA_ORIGIN);
		}
		break;
	}
	free(ad);
	return 0;
}
