/*
 * fuzz_jose.c — jose_jws_verify, which reads an id_token_hint from any
 * browser (/oidc/logout).
 *
 * Invariants: the result is one of enum jose_err; claims come back exactly
 * when it is JOSE_OK, and then as a JSON object; only a header with alg ES256
 * and our kid can verify (a token signed here does, as made); and the input
 * used as a mask over a genuine token changes it into one that does not
 * verify, unless the mask changed nothing.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "jose.h"

/* tests/unit/t_jose.c's key (made by jwcrypto). */
#define KEY_X	"cPV8IV5l4adPhFY0C__XRmVom8IxasifIvFI88UCTac"
#define KEY_Y	"gTe10bG2-JwkqBTtJ1L5OS2c12UU5x8xRivlZm2Fy3s"
#define KEY_D	"EwRD0gkNsAYBsstWf9BWVNWNiVemegMEJww-kZryvU0"

static struct jose_key	 key;
static char		*genuine;

static void
setup(void)
{
	json_t	*claims;

	fuzz_setup();
	if (genuine != NULL)
		return;
	if (jose_key_public(&key, NULL, KEY_X, KEY_Y) != 0 ||
	    crypto_b64url_decode(KEY_D, key.d, sizeof(key.d)) != 32)
		abort();
	key.has_d = 1;
	claims = json_pack("{s:s, s:s, s:i}", "iss", "https://kenpo.example",
	    "aud", "client", "exp", 1);
	genuine = jose_jwt_sign(&key, claims);
	json_decref(claims);
	if (genuine == NULL)
		abort();
}

static enum jose_err
check(const char *s)
{
	json_t		*claims = NULL;
	size_t		 which = 99;
	enum jose_err	 e;

	e = jose_jws_verify(s, &key, 1, &claims, &which);
	FUZZ_ASSERT(e >= JOSE_OK && e <= JOSE_EPAYLOAD);
	FUZZ_ASSERT(jose_strerror(e) != NULL);
	if (e == JOSE_OK) {
		FUZZ_ASSERT(claims != NULL && json_is_object(claims));
		FUZZ_ASSERT(which == 0);
	} else
		FUZZ_ASSERT(claims == NULL);
	json_decref(claims);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *m;
	size_t	 i, n;
	int	 changed = 0;

	setup();
	s = fuzz_str(data, size);
	(void)check(s);
	free(s);

	/* The input as an XOR mask over the genuine token. */
	m = xstrdup(genuine);
	n = strlen(m);
	for (i = 0; i < size && i < n; i++) {
		char c = (char)(m[i] ^ (data[i] & 0x7f));

		if (c == '\0')
			continue;
		if (c != m[i])
			changed = 1;
		m[i] = c;
	}
	if (changed)
		FUZZ_ASSERT(check(m) != JOSE_OK);
	else
		FUZZ_ASSERT(check(m) == JOSE_OK);
	free(m);
	return 0;
}
