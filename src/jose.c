/*
 * jose.c — ES256, JWK, compact JWS (see jose.h).
 *
 * libgcrypt speaks S-expressions: a P-256 private key is
 * (private-key (ecc (curve "NIST P-256") (q 04||x||y) (d d))), a signature
 * (sig-val (ecdsa (r r) (s s))). JWS wants the signature as the fixed-width
 * concatenation r||s (RFC 7518 §3.4), not DER, so both are converted here;
 * MPIs lose their leading zero bytes when printed and are padded back.
 */
#include "autoconf.h"
#include "jose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "crypto.h"
#include "log.h"
#include "util.h"

#define CURVE	"NIST P-256"

/* An MPI (unsigned) into exactly 32 big-endian bytes. 0, or -1 when larger. */
static int
mpi_to_32(gcry_mpi_t m, unsigned char out[JOSE_KEY_BYTES])
{
	unsigned char	 buf[JOSE_KEY_BYTES + 1];
	size_t		 n = 0;

	if (gcry_mpi_print(GCRYMPI_FMT_USG, buf, sizeof(buf), &n, m) != 0 ||
	    n > JOSE_KEY_BYTES)
		return -1;
	memset(out, 0, JOSE_KEY_BYTES);
	memcpy(out + JOSE_KEY_BYTES - n, buf, n);
	util_wipe(buf, sizeof(buf));
	return 0;
}

/* The 32-byte token's value of sexp s (e.g. "d", "r") into out. */
static int
sexp_32(gcry_sexp_t s, const char *name, unsigned char out[JOSE_KEY_BYTES])
{
	gcry_sexp_t	 t;
	gcry_mpi_t	 m;
	int		 rc = -1;

	if ((t = gcry_sexp_find_token(s, name, 0)) == NULL)
		return -1;
	if ((m = gcry_sexp_nth_mpi(t, 1, GCRYMPI_FMT_USG)) != NULL) {
		rc = mpi_to_32(m, out);
		gcry_mpi_release(m);
	}
	gcry_sexp_release(t);
	return rc;
}

static void
point(const struct jose_key *k, unsigned char q[65])
{
	q[0] = 0x04;		/* uncompressed (SEC 1 §2.3.3) */
	memcpy(q + 1, k->x, JOSE_KEY_BYTES);
	memcpy(q + 1 + JOSE_KEY_BYTES, k->y, JOSE_KEY_BYTES);
}

void
jose_thumbprint(const struct jose_key *k, char out[JOSE_KID_LEN + 1])
{
	char		 x[JOSE_B64_32 + 2], y[JOSE_B64_32 + 2], json[160];
	unsigned char	 h[32];
	int		 n;

	crypto_b64url_encode(k->x, JOSE_KEY_BYTES, x);
	crypto_b64url_encode(k->y, JOSE_KEY_BYTES, y);
	/* RFC 7638 §3.2: the required members only, sorted, no whitespace. */
	n = snprintf(json, sizeof(json),
	    "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
	crypto_sha256(json, (size_t)n, h);
	crypto_b64url_encode(h, sizeof(h), out);
}

int
jose_es256_generate(struct jose_key *k)
{
	gcry_sexp_t	 parms = NULL, key = NULL, q = NULL;
	const char	*data;
	size_t		 n = 0;
	int		 rc = -1;

	memset(k, 0, sizeof(*k));
	if (gcry_sexp_build(&parms, NULL, "(genkey (ecc (curve \"" CURVE "\")))") != 0 ||
	    gcry_pk_genkey(&key, parms) != 0) {
		log_err("jose: P-256 key generation failed");
		goto out;
	}
	if ((q = gcry_sexp_find_token(key, "q", 0)) == NULL ||
	    (data = gcry_sexp_nth_data(q, 1, &n)) == NULL || n != 65 ||
	    data[0] != 0x04 || sexp_32(key, "d", k->d) != 0) {
		log_err("jose: unexpected P-256 key form");
		goto out;
	}
	memcpy(k->x, data + 1, JOSE_KEY_BYTES);
	memcpy(k->y, data + 1 + JOSE_KEY_BYTES, JOSE_KEY_BYTES);
	k->has_d = 1;
	jose_thumbprint(k, k->kid);
	rc = 0;
out:
	if (rc != 0)
		jose_key_wipe(k);
	gcry_sexp_release(q);
	gcry_sexp_release(key);
	gcry_sexp_release(parms);
	return rc;
}

int
jose_key_public(struct jose_key *k, const char *kid, const char *x64,
    const char *y64)
{
	memset(k, 0, sizeof(*k));
	if (x64 == NULL || y64 == NULL || strlen(x64) != JOSE_B64_32 ||
	    strlen(y64) != JOSE_B64_32 ||
	    crypto_b64url_decode(x64, k->x, JOSE_KEY_BYTES) != JOSE_KEY_BYTES ||
	    crypto_b64url_decode(y64, k->y, JOSE_KEY_BYTES) != JOSE_KEY_BYTES)
		return -1;
	if (kid != NULL && strlen(kid) <= JOSE_KID_LEN)
		snprintf(k->kid, sizeof(k->kid), "%s", kid);
	else
		jose_thumbprint(k, k->kid);
	return 0;
}

void
jose_key_wipe(struct jose_key *k)
{
	util_wipe(k->d, sizeof(k->d));
	k->has_d = 0;
}

int
jose_es256_sign(const struct jose_key *k, const void *msg, size_t len,
    unsigned char sig[JOSE_SIG_BYTES])
{
	gcry_sexp_t	 skey = NULL, data = NULL, sv = NULL;
	gcry_mpi_t	 d = NULL, h = NULL;
	unsigned char	 q[65], hash[32];
	int		 rc = -1;

	if (!k->has_d)
		return -1;
	point(k, q);
	crypto_sha256(msg, len, hash);
	if (gcry_mpi_scan(&d, GCRYMPI_FMT_USG, k->d, JOSE_KEY_BYTES, NULL) != 0 ||
	    gcry_mpi_scan(&h, GCRYMPI_FMT_USG, hash, sizeof(hash), NULL) != 0 ||
	    gcry_sexp_build(&skey, NULL, "(private-key (ecc (curve \"" CURVE "\")"
	    " (q %b) (d %m)))", (int)sizeof(q), q, d) != 0 ||
	    gcry_sexp_build(&data, NULL, "(data (flags raw) (value %m))", h) != 0 ||
	    gcry_pk_sign(&sv, data, skey) != 0 ||
	    sexp_32(sv, "r", sig) != 0 || sexp_32(sv, "s", sig + 32) != 0) {
		log_err("jose: ES256 signing failed");
		goto out;
	}
	rc = 0;
out:
	gcry_mpi_release(d);
	gcry_mpi_release(h);
	gcry_sexp_release(skey);
	gcry_sexp_release(data);
	gcry_sexp_release(sv);
	return rc;
}

int
jose_es256_verify(const struct jose_key *k, const void *msg, size_t len,
    const unsigned char sig[JOSE_SIG_BYTES])
{
	gcry_sexp_t	 pkey = NULL, data = NULL, sv = NULL;
	gcry_mpi_t	 r = NULL, s = NULL, h = NULL;
	unsigned char	 q[65], hash[32];
	int		 ok = 0;

	point(k, q);
	crypto_sha256(msg, len, hash);
	if (gcry_mpi_scan(&r, GCRYMPI_FMT_USG, sig, 32, NULL) != 0 ||
	    gcry_mpi_scan(&s, GCRYMPI_FMT_USG, sig + 32, 32, NULL) != 0 ||
	    gcry_mpi_scan(&h, GCRYMPI_FMT_USG, hash, sizeof(hash), NULL) != 0 ||
	    gcry_sexp_build(&pkey, NULL, "(public-key (ecc (curve \"" CURVE "\")"
	    " (q %b)))", (int)sizeof(q), q) != 0 ||
	    gcry_sexp_build(&data, NULL, "(data (flags raw) (value %m))", h) != 0 ||
	    gcry_sexp_build(&sv, NULL, "(sig-val (ecdsa (r %m) (s %m)))", r, s) != 0)
		goto out;
	ok = gcry_pk_verify(sv, data, pkey) == 0;
out:
	gcry_mpi_release(r);
	gcry_mpi_release(s);
	gcry_mpi_release(h);
	gcry_sexp_release(pkey);
	gcry_sexp_release(data);
	gcry_sexp_release(sv);
	return ok;
}

json_t *
jose_jwk(const struct jose_key *k)
{
	char	 x[JOSE_B64_32 + 2], y[JOSE_B64_32 + 2];

	crypto_b64url_encode(k->x, JOSE_KEY_BYTES, x);
	crypto_b64url_encode(k->y, JOSE_KEY_BYTES, y);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC",
	    "crv", "P-256", "x", x, "y", y, "kid", k->kid, "use", "sig",
	    "alg", "ES256");
}

/* base64url of len bytes, malloc'd. */
static char *
b64(const void *p, size_t len)
{
	char	*out = xmalloc(4 * (len / 3 + 1) + 1);

	crypto_b64url_encode(p, len, out);
	return out;
}

char *
jose_jwt_sign(const struct jose_key *k, json_t *claims)
{
	json_t		*hdr;
	char		*h = NULL, *c = NULL, *h64 = NULL, *c64 = NULL, *s64 = NULL;
	char		*input = NULL, *out = NULL;
	unsigned char	 sig[JOSE_SIG_BYTES];

	hdr = json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "JWT",
	    "kid", k->kid);
	if (hdr == NULL || (h = json_dumps(hdr, JSON_COMPACT)) == NULL ||
	    (c = json_dumps(claims, JSON_COMPACT)) == NULL) {
		log_err("jose: cannot serialise a JWT");
		goto out;
	}
	h64 = b64(h, strlen(h));
	c64 = b64(c, strlen(c));
	input = xasprintf("%s.%s", h64, c64);
	if (jose_es256_sign(k, input, strlen(input), sig) != 0)
		goto out;
	s64 = b64(sig, sizeof(sig));
	out = xasprintf("%s.%s", input, s64);
out:
	json_decref(hdr);
	free(h);
	free(c);
	free(h64);
	free(c64);
	free(s64);
	free(input);
	return out;
}

const char *
jose_strerror(enum jose_err e)
{
	switch (e) {
	case JOSE_OK:		return "ok";
	case JOSE_EFORM:	return "not a compact JWS";
	case JOSE_EHEADER:	return "unacceptable JOSE header";
	case JOSE_EALG:		return "alg is not ES256";
	case JOSE_EKID:		return "unknown kid";
	case JOSE_ESIG:		return "bad signature";
	case JOSE_EPAYLOAD:	return "payload is not a JSON object";
	}
	return "?";
}

/* Decode one base64url part [p, p+n) into a malloc'd buffer; -1 if bad. */
static long
part_decode(const char *p, size_t n, unsigned char **out)
{
	char	*s = xstrndup(p, n);
	long	 len;

	*out = xmalloc(n + 1);
	len = n == 0 ? -1 : crypto_b64url_decode(s, *out, n);
	free(s);
	if (len < 0) {
		free(*out);
		*out = NULL;
	}
	return len;
}

enum jose_err
jose_jws_verify(const char *jws, const struct jose_key *keys, size_t nkeys,
    json_t **claims, size_t *which)
{
	static const char *const banned[] = { "crit", "jku", "jwk", "x5u", "x5c",
	    "x5t", "x5t#S256", "zip", "enc" };
	const char	*d1, *d2, *alg, *kid;
	unsigned char	*hb = NULL, *pb = NULL, *sb = NULL;
	long		 hn, pn, sn;
	json_t		*hdr = NULL, *pay = NULL, *v;
	size_t		 len, i, k = 0;
	enum jose_err	 e;

	*claims = NULL;
	if (jws == NULL || (len = strlen(jws)) == 0 || len > JOSE_MAX_JWS ||
	    (d1 = strchr(jws, '.')) == NULL || (d2 = strchr(d1 + 1, '.')) == NULL ||
	    strchr(d2 + 1, '.') != NULL)
		return JOSE_EFORM;
	e = JOSE_EFORM;
	if ((hn = part_decode(jws, (size_t)(d1 - jws), &hb)) < 0 ||
	    (pn = part_decode(d1 + 1, (size_t)(d2 - d1 - 1), &pb)) < 0 ||
	    (sn = part_decode(d2 + 1, strlen(d2 + 1), &sb)) < 0)
		goto out;
	e = JOSE_EHEADER;
	hdr = json_loadb((const char *)hb, (size_t)hn, JSON_REJECT_DUPLICATES, NULL);
	if (hdr == NULL || !json_is_object(hdr))
		goto out;
	/* alg first: "none" or a MAC is refused whatever else the header says. */
	e = JOSE_EALG;
	if ((v = json_object_get(hdr, "alg")) == NULL || !json_is_string(v) ||
	    (alg = json_string_value(v)) == NULL || strcmp(alg, "ES256") != 0)
		goto out;
	e = JOSE_EHEADER;
	for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (json_object_get(hdr, banned[i]) != NULL)
			goto out;
	if ((v = json_object_get(hdr, "typ")) != NULL && !json_is_string(v))
		goto out;
	e = JOSE_EKID;
	if ((v = json_object_get(hdr, "kid")) == NULL || !json_is_string(v) ||
	    (kid = json_string_value(v)) == NULL)
		goto out;
	for (k = 0; k < nkeys; k++)
		if (strcmp(keys[k].kid, kid) == 0)
			break;
	if (k == nkeys)
		goto out;
	e = JOSE_ESIG;
	if (sn != JOSE_SIG_BYTES ||
	    !jose_es256_verify(&keys[k], jws, (size_t)(d2 - jws), sb))
		goto out;
	e = JOSE_EPAYLOAD;
	pay = json_loadb((const char *)pb, (size_t)pn, JSON_REJECT_DUPLICATES, NULL);
	if (pay == NULL || !json_is_object(pay))
		goto out;
	*claims = pay;
	pay = NULL;
	if (which != NULL)
		*which = k;
	e = JOSE_OK;
out:
	json_decref(hdr);
	json_decref(pay);
	free(hb);
	free(pb);
	free(sb);
	return e;
}

void
jose_at_hash(const char *token, char out[23])
{
	unsigned char	 h[32];

	crypto_sha256(token, strlen(token), h);
	crypto_b64url_encode(h, 16, out);
}
