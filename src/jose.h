/*
 * jose.h — the little of JOSE the OpenID provider needs (docs/oidc.md):
 * ES256 (ECDSA over NIST P-256 with SHA-256, RFC 7518 §3.4) through libgcrypt,
 * the JWK of a public key (RFC 7517), its RFC 7638 thumbprint, compact JWS
 * compose, and one strict JWS parser.
 *
 * Keys are raw bytes: the private scalar d and the public point (x, y), 32
 * bytes each, big-endian, as JWK and the oidc_keys table hold them.
 *
 * The parser (jose_jws_verify) reads untrusted text (an id_token_hint): it
 * accepts only the compact serialisation "b64url(header).b64url(payload).
 * b64url(sig)", strict base64url (crypto_b64url_decode: no padding, one
 * spelling), a header that is a JSON object with "alg": "ES256" and a "kid"
 * naming one of the keys given, no "crit", no "jku"/"jwk"/"x5u"/"x5c" (a key
 * of the sender's choosing), a 64-byte r||s signature that verifies, and a
 * payload that is a JSON object. "alg": "none", HS256 and anything else are
 * refused before any key is touched. Nothing about the claims (exp, iss …) is
 * checked here: that is the caller's.
 */
#ifndef KENPO_JOSE_H
#define KENPO_JOSE_H

#include <stddef.h>
#include <jansson.h>

#define JOSE_KEY_BYTES	32
#define JOSE_SIG_BYTES	64
#define JOSE_B64_32	43		/* base64url length of 32 bytes */
#define JOSE_KID_LEN	43		/* an RFC 7638 thumbprint (SHA-256) */
#define JOSE_MAX_JWS	8192		/* longer compact JWS are refused */

struct jose_key {
	char		 kid[JOSE_KID_LEN + 1];
	unsigned char	 x[JOSE_KEY_BYTES];
	unsigned char	 y[JOSE_KEY_BYTES];
	unsigned char	 d[JOSE_KEY_BYTES];	/* zero in a public-only key */
	int		 has_d;
};

/* A fresh P-256 key pair into k (kid = its thumbprint). 0, or -1 (logged). */
int	 jose_es256_generate(struct jose_key *k);
/*
 * A public key from base64url x and y (as stored and published); kid is
 * copied when not NULL, else computed. 0, or -1 when x or y is not 43
 * characters of base64url.
 */
int	 jose_key_public(struct jose_key *k, const char *kid, const char *x64,
	    const char *y64);
/* The RFC 7638 thumbprint of k's public key (base64url SHA-256 of the
 * canonical {"crv","kty","x","y"} JSON) into out. */
void	 jose_thumbprint(const struct jose_key *k, char out[JOSE_KID_LEN + 1]);
/* Wipe k's private part. */
void	 jose_key_wipe(struct jose_key *k);

/* ES256 over msg: the raw r||s signature (64 bytes). 0, or -1 (logged). */
int	 jose_es256_sign(const struct jose_key *k, const void *msg, size_t len,
	    unsigned char sig[JOSE_SIG_BYTES]);
/* 1 when sig is k's ES256 signature of msg, 0 when not (or on error). */
int	 jose_es256_verify(const struct jose_key *k, const void *msg, size_t len,
	    const unsigned char sig[JOSE_SIG_BYTES]);

/* The public JWK of k: {kty EC, crv P-256, x, y, kid, use sig, alg ES256}.
 * A new reference. */
json_t	*jose_jwk(const struct jose_key *k);

/*
 * Sign claims (a JSON object) as a compact JWS with the header {"alg":
 * "ES256", "typ": "JWT", "kid": k->kid}. malloc'd, or NULL (logged).
 */
char	*jose_jwt_sign(const struct jose_key *k, json_t *claims);

/* What jose_jws_verify found wrong, for a log line (never the token). */
enum jose_err {
	JOSE_OK = 0,
	JOSE_EFORM,		/* not three base64url parts, too long */
	JOSE_EHEADER,		/* header not a JSON object, crit, jku … */
	JOSE_EALG,		/* alg is not ES256 (none, HS256 …) */
	JOSE_EKID,		/* no kid, or not one of ours */
	JOSE_ESIG,		/* the signature does not verify */
	JOSE_EPAYLOAD,		/* payload not a JSON object */
};
/* A short English name of e, for logs. */
const char *jose_strerror(enum jose_err e);

/*
 * Verify a compact JWS against keys[0..nkeys-1] (public parts used). On
 * success returns JOSE_OK and sets *claims (a new reference to the payload
 * object) and *which (the index of the key that verified; may be NULL).
 * Otherwise an enum jose_err and *claims is NULL.
 */
enum jose_err jose_jws_verify(const char *jws, const struct jose_key *keys,
	    size_t nkeys, json_t **claims, size_t *which);

/*
 * base64url(SHA-256(s)'s left half): the at_hash of an access token (OIDC
 * Core §3.1.3.6) into out (22 characters + NUL).
 */
void	 jose_at_hash(const char *token, char out[23]);

#endif
