/*
 * webauthn.c — see webauthn.h. Every input here comes from the member's
 * browser (or anyone posting to the endpoints): lengths are checked before
 * each read, and tests/fuzz/fuzz_webauthn.c runs the three parsers.
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <jansson.h>

#include "config.h"
#include "crypto.h"
#include "util.h"
#include "webauthn.h"

const char *
webauthn_error(int err)
{
	switch (err) {
	case WA_OK:		return "ok";
	case WA_MALFORMED:	return "malformed";
	case WA_TYPE:		return "type";
	case WA_CHALLENGE:	return "challenge";
	case WA_ORIGIN:		return "origin";
	case WA_RPID:		return "rpid";
	case WA_FLAGS:		return "flags";
	case WA_ALG:		return "algorithm";
	case WA_SIG:		return "signature";
	default:		return "error";
	}
}

/* ---------------------------------------------------------------- origin, RP ID */

int
webauthn_origin(const char *base, char *origin, size_t ocap, char *host,
    size_t hcap)
{
	const char	*p, *h, *e;
	size_t		 sl, hl, i;

	if (base == NULL)
		return -1;
	if (strncmp(base, "https://", 8) == 0)
		sl = 8;
	else if (strncmp(base, "http://", 7) == 0)
		sl = 7;
	else
		return -1;
	h = base + sl;
	e = h + strcspn(h, "/?#");
	if (e == h || memchr(h, '@', (size_t)(e - h)) != NULL)
		return -1;
	if ((size_t)(e - base) + 1 > ocap)
		return -1;
	for (i = 0; base + i < e; i++)
		origin[i] = (char)tolower((unsigned char)base[i]);
	origin[i] = '\0';
	/* The host: without the port (an IPv6 literal keeps its brackets). */
	p = origin + sl;
	if (p[0] == '[')
		hl = strcspn(p, "]") + 1;
	else
		hl = strcspn(p, ":");
	if (hl == 0 || hl + 1 > hcap)
		return -1;
	memcpy(host, p, hl);
	host[hl] = '\0';
	return 0;
}

/* 1 when s is an IPv4 dotted quad or an IPv6 literal (bracketed or not). */
static int
is_ip(const char *s)
{
	return strchr(s, ':') != NULL || s[0] == '[' ||
	    strspn(s, "0123456789.") == strlen(s);
}

int
webauthn_rpid_ok(const char *rpid, const char *host)
{
	size_t		 rl, hl;

	if (rpid == NULL || host == NULL || (rl = strlen(rpid)) == 0 ||
	    (hl = strlen(host)) == 0)
		return 0;
	if (strspn(rpid, "abcdefghijklmnopqrstuvwxyz0123456789.-[]:") != rl)
		return 0;
	if (strcmp(rpid, host) == 0)
		return 1;
	if (is_ip(host) || is_ip(rpid))
		return 0;
	if (rl >= hl || host[hl - rl - 1] != '.' ||
	    strcmp(host + hl - rl, rpid) != 0)
		return 0;
	/* A registrable domain has a dot: never a bare top-level label. */
	return rpid[0] != '.' && strchr(rpid, '.') != NULL;
}

static char	 cur_origin[WEBAUTHN_ORIGIN_MAX], cur_host[WEBAUTHN_ORIGIN_MAX];
static unsigned	 cur_gen = (unsigned)-1;

static void
refresh(void)
{
	if (cur_gen == config_generation())
		return;
	if (webauthn_origin(config_str("Service.BaseURL"), cur_origin,
	    sizeof(cur_origin), cur_host, sizeof(cur_host)) != 0) {
		/* config_load refuses such a BaseURL: nothing can match. */
		cur_origin[0] = cur_host[0] = '\0';
	}
	cur_gen = config_generation();
}

const char *
webauthn_rpid(void)
{
	const char	*v = config_str("WebAuthn.RPID");

	refresh();
	return v[0] != '\0' ? v : cur_host;
}

const char *
webauthn_expected_origin(void)
{
	refresh();
	return cur_origin;
}

/* ---------------------------------------------------------------- clientDataJSON */

int
webauthn_client_data_check(const unsigned char *cdj, size_t n, const char *type,
    const unsigned char *challenge, size_t chlen, const char *origin)
{
	json_t		*o = NULL, *v;
	json_error_t	 jerr;
	unsigned char	 got[WEBAUTHN_CHALLENGE_LEN + 4];
	const char	*s;
	long		 gl;
	int		 rc = WA_MALFORMED;

	if (cdj == NULL || n == 0 || n > 4096 ||
	    !util_utf8_valid((const char *)cdj, n) ||
	    memchr(cdj, '\0', n) != NULL)
		return WA_MALFORMED;
	o = json_loadb((const char *)cdj, n, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL || !json_is_object(o))
		goto out;
	if ((v = json_object_get(o, "type")) == NULL || !json_is_string(v))
		goto out;
	if (strcmp(json_string_value(v), type) != 0 ||
	    strlen(type) != json_string_length(v)) {
		rc = WA_TYPE;
		goto out;
	}
	if ((v = json_object_get(o, "challenge")) == NULL || !json_is_string(v))
		goto out;
	s = json_string_value(v);
	if (json_string_length(v) > 64 || strlen(s) != json_string_length(v)) {
		rc = WA_CHALLENGE;
		goto out;
	}
	gl = crypto_b64url_decode(s, got, sizeof(got));
	if (gl != (long)chlen || !crypto_equal(got, challenge, chlen)) {
		rc = WA_CHALLENGE;
		goto out;
	}
	if ((v = json_object_get(o, "origin")) == NULL || !json_is_string(v))
		goto out;
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    strcmp(json_string_value(v), origin) != 0) {
		rc = WA_ORIGIN;
		goto out;
	}
	if ((v = json_object_get(o, "crossOrigin")) != NULL && !json_is_false(v)) {
		rc = WA_ORIGIN;
		goto out;
	}
	if (json_object_get(o, "topOrigin") != NULL) {
		rc = WA_ORIGIN;
		goto out;
	}
	rc = WA_OK;
 out:
	json_decref(o);
	return rc;
}

/* ---------------------------------------------------------------- CBOR shape */

#define CBOR_DEPTH_MAX	8

/*
 * The length of the one well-formed CBOR item at p (at most n bytes), or -1.
 * Checked before libcbor sees the bytes, which trusts declared lengths (an
 * array "of 1.7 billion items" in ten bytes makes it allocate and loop):
 * every declared length must fit in what is left (each element takes at
 * least a byte), definite lengths only, nesting at most CBOR_DEPTH_MAX,
 * no reserved additional information.
 */
static long
cbor_shape(const unsigned char *p, size_t n, int depth)
{
	uint64_t	 arg = 0, i, items;
	size_t		 off = 1;
	unsigned	 major, ai;
	long		 sub;

	if (n == 0 || depth > CBOR_DEPTH_MAX)
		return -1;
	major = p[0] >> 5;
	ai = p[0] & 0x1f;
	if (ai < 24)
		arg = ai;
	else if (ai <= 27) {
		size_t	 k = (size_t)1 << (ai - 24);

		if (n - 1 < k)
			return -1;
		for (i = 0; i < k; i++)
			arg = arg << 8 | p[1 + i];
		off += k;
	} else
		return -1;	/* reserved, or indefinite length / break */
	switch (major) {
	case 0:
	case 1:
		return (long)off;
	case 2:
	case 3:
		if (arg > n - off)
			return -1;
		return (long)(off + arg);
	case 4:
	case 5:
		if (arg > n - off)
			return -1;
		items = major == 5 ? 2 * arg : arg;
		for (i = 0; i < items; i++) {
			if ((sub = cbor_shape(p + off, n - off, depth + 1)) < 0)
				return -1;
			off += (size_t)sub;
		}
		return (long)off;
	case 6:
		if ((sub = cbor_shape(p + off, n - off, depth + 1)) < 0)
			return -1;
		return (long)(off + (size_t)sub);
	default:	/* 7: simple values and floats */
		return (long)off;
	}
}

/* ---------------------------------------------------------------- COSE key */

/* An integer CBOR item as a signed value; 0 or -1 (not an integer / too big). */
static int
cbor_int_value(cbor_item_t *it, long long *out)
{
	uint64_t	 u;

	if (cbor_isa_uint(it)) {
		if ((u = cbor_get_int(it)) > (uint64_t)1 << 62)
			return -1;
		*out = (long long)u;
		return 0;
	}
	if (cbor_isa_negint(it)) {
		if ((u = cbor_get_int(it)) > (uint64_t)1 << 62)
			return -1;
		*out = -1 - (long long)u;
		return 0;
	}
	return -1;
}

/* The definite byte string value of it, or NULL. */
static const unsigned char *
cbor_bytes(cbor_item_t *it, size_t *len)
{
	if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it))
		return NULL;
	*len = cbor_bytestring_length(it);
	return cbor_bytestring_handle(it);
}

int
webauthn_cose_key_parse(const unsigned char *p, size_t n, size_t *used,
    int *alg, unsigned char *pk, size_t *pk_len)
{
	struct cbor_load_result res;
	struct cbor_pair *pairs;
	cbor_item_t	*m;
	const unsigned char *x = NULL, *y = NULL, *b;
	long long	 k, v, kty = 0, a = 0, crv = 0;
	size_t		 i, sz, xl = 0, yl = 0, bl;
	int		 rc = WA_MALFORMED;

	long		 len;

	if (p == NULL || n == 0 || (len = cbor_shape(p, n, 0)) <= 0)
		return WA_MALFORMED;
	memset(&res, 0, sizeof(res));
	if ((m = cbor_load(p, (size_t)len, &res)) == NULL)
		return WA_MALFORMED;
	if (res.error.code != CBOR_ERR_NONE || res.read != (size_t)len ||
	    !cbor_isa_map(m) || !cbor_map_is_definite(m) ||
	    (sz = cbor_map_size(m)) > 16)
		goto out;
	pairs = cbor_map_handle(m);
	for (i = 0; i < sz; i++) {
		if (cbor_int_value(pairs[i].key, &k) != 0)
			goto out;	/* COSE_Key labels here are integers */
		switch (k) {
		case 1:		/* kty */
		case 3:		/* alg */
		case -1:	/* crv (EC2, OKP) */
			if (cbor_int_value(pairs[i].value, &v) != 0)
				goto out;
			if (k == 1)
				kty = v;
			else if (k == 3)
				a = v;
			else
				crv = v;
			break;
		case -2:	/* x */
		case -3:	/* y */
			if ((b = cbor_bytes(pairs[i].value, &bl)) == NULL)
				goto out;
			if (k == -2) {
				x = b;
				xl = bl;
			} else {
				y = b;
				yl = bl;
			}
			break;
		default:
			break;	/* other parameters (kid, key_ops…) do not matter */
		}
	}
	if (kty == 2 && a == WEBAUTHN_ALG_ES256 && crv == 1 && x != NULL &&
	    y != NULL && xl == 32 && yl == 32) {
		memcpy(pk, x, 32);
		memcpy(pk + 32, y, 32);
		*pk_len = 64;
		*alg = WEBAUTHN_ALG_ES256;
		rc = WA_OK;
	} else if (kty == 1 && a == WEBAUTHN_ALG_EDDSA && crv == 6 && x != NULL &&
	    xl == 32 && y == NULL) {
		memcpy(pk, x, 32);
		*pk_len = 32;
		*alg = WEBAUTHN_ALG_EDDSA;
		rc = WA_OK;
	} else
		rc = WA_ALG;
	*used = res.read;
 out:
	cbor_decref(&m);
	return rc;
}

/* ---------------------------------------------------------------- authenticator data */

int
webauthn_authdata_parse(const unsigned char *p, size_t n,
    struct webauthn_authdata *ad)
{
	struct cbor_load_result res;
	cbor_item_t	*ext;
	size_t		 off = 37, used = 0;
	int		 rc;

	memset(ad, 0, sizeof(*ad));
	if (p == NULL || n < 37)
		return WA_MALFORMED;
	memcpy(ad->rpid_hash, p, 32);
	ad->flags = p[32];
	ad->sign_count = (uint32_t)p[33] << 24 | (uint32_t)p[34] << 16 |
	    (uint32_t)p[35] << 8 | (uint32_t)p[36];
	if (ad->flags & WEBAUTHN_AT) {
		/* aaguid(16) credentialIdLength(2) credentialId publicKey */
		if (n - off < 18)
			return WA_MALFORMED;
		memcpy(ad->aaguid, p + off, 16);
		ad->cred_id_len = (size_t)p[off + 16] << 8 | p[off + 17];
		off += 18;
		if (ad->cred_id_len == 0 || ad->cred_id_len > WEBAUTHN_CRED_ID_MAX ||
		    n - off < ad->cred_id_len)
			return WA_MALFORMED;
		memcpy(ad->cred_id, p + off, ad->cred_id_len);
		off += ad->cred_id_len;
		if (off >= n)
			return WA_MALFORMED;
		rc = webauthn_cose_key_parse(p + off, n - off, &used, &ad->alg,
		    ad->pk, &ad->pk_len);
		if (rc != WA_OK)
			return rc;
		if (used == 0 || used > n - off)
			return WA_MALFORMED;
		off += used;
	}
	if (ad->flags & WEBAUTHN_ED) {
		long	 len;

		if (off >= n || (len = cbor_shape(p + off, n - off, 0)) <= 0)
			return WA_MALFORMED;
		memset(&res, 0, sizeof(res));
		if ((ext = cbor_load(p + off, (size_t)len, &res)) == NULL)
			return WA_MALFORMED;
		rc = res.error.code == CBOR_ERR_NONE && cbor_isa_map(ext) &&
		    res.read > 0 && res.read <= n - off;
		cbor_decref(&ext);
		if (!rc)
			return WA_MALFORMED;
		off += res.read;
	}
	return off == n ? WA_OK : WA_MALFORMED;
}

int
webauthn_attobj_parse(const unsigned char *p, size_t n,
    struct webauthn_authdata *ad)
{
	struct cbor_load_result res;
	struct cbor_pair *pairs;
	cbor_item_t	*m;
	const unsigned char *authdata = NULL;
	size_t		 i, sz, adlen = 0;
	int		 have_fmt = 0, have_stmt = 0, rc = WA_MALFORMED;

	memset(ad, 0, sizeof(*ad));
	if (p == NULL || n == 0 || cbor_shape(p, n, 0) != (long)n)
		return WA_MALFORMED;
	memset(&res, 0, sizeof(res));
	if ((m = cbor_load(p, n, &res)) == NULL)
		return WA_MALFORMED;
	if (res.error.code != CBOR_ERR_NONE || res.read != n || !cbor_isa_map(m) ||
	    !cbor_map_is_definite(m) || (sz = cbor_map_size(m)) != 3)
		goto out;
	pairs = cbor_map_handle(m);
	for (i = 0; i < sz; i++) {
		cbor_item_t	*k = pairs[i].key, *v = pairs[i].value;
		const char	*ks;
		size_t		 kl;

		if (!cbor_isa_string(k) || !cbor_string_is_definite(k))
			goto out;
		ks = (const char *)cbor_string_handle(k);
		kl = cbor_string_length(k);
		if (kl == 3 && memcmp(ks, "fmt", 3) == 0 && !have_fmt) {
			if (!cbor_isa_string(v))
				goto out;
			have_fmt = 1;
		} else if (kl == 7 && memcmp(ks, "attStmt", 7) == 0 && !have_stmt) {
			if (!cbor_isa_map(v))
				goto out;
			have_stmt = 1;
		} else if (kl == 8 && memcmp(ks, "authData", 8) == 0 &&
		    authdata == NULL) {
			if ((authdata = cbor_bytes(v, &adlen)) == NULL)
				goto out;
		} else
			goto out;
	}
	if (!have_fmt || !have_stmt || authdata == NULL)
		goto out;
	if ((rc = webauthn_authdata_parse(authdata, adlen, ad)) != WA_OK)
		goto out;
	if (!(ad->flags & WEBAUTHN_AT))
		rc = WA_MALFORMED;
 out:
	cbor_decref(&m);
	return rc;
}

int
webauthn_authdata_check(const struct webauthn_authdata *ad, const char *rpid)
{
	unsigned char	 h[32];

	crypto_sha256(rpid, strlen(rpid), h);
	if (!crypto_equal(h, ad->rpid_hash, sizeof(h)))
		return WA_RPID;
	if (!(ad->flags & WEBAUTHN_UP) || !(ad->flags & WEBAUTHN_UV))
		return WA_FLAGS;
	return WA_OK;
}

/* ---------------------------------------------------------------- assertion */

int
webauthn_assertion_verify(const char *rpid, const unsigned char *cdj,
    size_t cdjlen, const unsigned char *authdata, size_t adlen,
    const unsigned char *sig, size_t siglen, int alg, const unsigned char *pk,
    size_t pklen)
{
	fido_assert_t	*a = NULL;
	es256_pk_t	*es = NULL;
	eddsa_pk_t	*ed = NULL;
	const void	*key;
	unsigned char	 h[32];
	int		 rc = WA_SIG, cose;

	if (alg == WEBAUTHN_ALG_ES256 && pklen == 64) {
		if ((es = es256_pk_new()) == NULL)
			return WA_SIG;
		if (es256_pk_from_ptr(es, pk, pklen) != FIDO_OK) {
			rc = WA_ALG;
			goto out;
		}
		key = es;
		cose = COSE_ES256;
	} else if (alg == WEBAUTHN_ALG_EDDSA && pklen == 32) {
		if ((ed = eddsa_pk_new()) == NULL)
			return WA_SIG;
		if (eddsa_pk_from_ptr(ed, pk, pklen) != FIDO_OK) {
			rc = WA_ALG;
			goto out;
		}
		key = ed;
		cose = COSE_EDDSA;
	} else
		return WA_ALG;
	if (sig == NULL || siglen == 0 || siglen > 512 || adlen < 37)
		goto out;
	crypto_sha256(cdj, cdjlen, h);
	if ((a = fido_assert_new()) == NULL ||
	    fido_assert_set_clientdata_hash(a, h, sizeof(h)) != FIDO_OK ||
	    fido_assert_set_rp(a, rpid) != FIDO_OK ||
	    fido_assert_set_count(a, 1) != FIDO_OK ||
	    fido_assert_set_authdata_raw(a, 0, authdata, adlen) != FIDO_OK ||
	    fido_assert_set_sig(a, 0, sig, siglen) != FIDO_OK ||
	    fido_assert_set_up(a, FIDO_OPT_TRUE) != FIDO_OK ||
	    fido_assert_set_uv(a, FIDO_OPT_TRUE) != FIDO_OK)
		goto out;
	if (fido_assert_verify(a, 0, cose, key) == FIDO_OK)
		rc = WA_OK;
 out:
	fido_assert_free(&a);
	es256_pk_free(&es);
	eddsa_pk_free(&ed);
	return rc;
}
