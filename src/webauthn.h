/*
 * webauthn.h — the WebAuthn Level 2 relying-party checks of members' passkeys
 * (docs/mfa.md "Passkeys"): clientDataJSON (jansson), authenticator data (by
 * hand, every length checked), the attestation object (libcbor) and the COSE
 * public key in it, and the signature of an assertion (libfido2).
 *
 * Policy: we ask attestation "none", so the attestation statement is not
 * looked at (whatever fmt says; nothing in it is trusted or stored); the
 * credential's public key is taken from the authenticator data, which the
 * member's browser hands over right after she proved herself to it. We ask
 * userVerification "required": UP and UV must both be set, at registration and
 * at every assertion. Accepted algorithms: ES256 (-7) and EdDSA/Ed25519 (-8).
 *
 * Nothing here touches the database or the request: src/passkey.c does.
 */
#ifndef KENPO_WEBAUTHN_H
#define KENPO_WEBAUTHN_H

#include <stddef.h>
#include <stdint.h>

#define WEBAUTHN_CRED_ID_MAX	1023	/* WebAuthn L2 §5.8.3 (credential id) */
#define WEBAUTHN_PK_MAX		64	/* raw key: ES256 x||y, Ed25519 32 bytes */
#define WEBAUTHN_CHALLENGE_LEN	32
#define WEBAUTHN_ORIGIN_MAX	256

/* authenticatorData flags (WebAuthn L2 §6.1). */
#define WEBAUTHN_UP	0x01
#define WEBAUTHN_UV	0x04
#define WEBAUTHN_BE	0x08
#define WEBAUTHN_BS	0x10
#define WEBAUTHN_AT	0x40
#define WEBAUTHN_ED	0x80

#define WEBAUTHN_ALG_ES256	(-7)
#define WEBAUTHN_ALG_EDDSA	(-8)

/* Why a check failed (webauthn_error names them for the log). */
enum webauthn_err {
	WA_OK = 0,
	WA_MALFORMED = -1,	/* not the structure it should be */
	WA_TYPE = -2,		/* clientData type is not the ceremony's */
	WA_CHALLENGE = -3,	/* not the challenge we issued */
	WA_ORIGIN = -4,		/* another origin, crossOrigin or topOrigin */
	WA_RPID = -5,		/* rpIdHash is not SHA-256 of our RP ID */
	WA_FLAGS = -6,		/* UP or UV missing, or AT where it must not be */
	WA_ALG = -7,		/* a key of an algorithm we do not accept */
	WA_SIG = -8,		/* the signature does not verify */
};

struct webauthn_authdata {
	unsigned char	 rpid_hash[32];
	unsigned	 flags;
	uint32_t	 sign_count;
	/* attested credential data (flags & WEBAUTHN_AT) */
	unsigned char	 aaguid[16];
	unsigned char	 cred_id[WEBAUTHN_CRED_ID_MAX];
	size_t		 cred_id_len;
	int		 alg;		/* COSE algorithm of the key */
	unsigned char	 pk[WEBAUTHN_PK_MAX];
	size_t		 pk_len;
};

/* The name of an error for log lines ("origin", "signature", …). */
const char	*webauthn_error(int err);

/*
 * The origin of base (Service.BaseURL): "scheme://host[:port]", lower case,
 * without a path; and its host. 0, or -1 when base is not an http(s) URL.
 */
int		 webauthn_origin(const char *base, char *origin, size_t ocap,
		    char *host, size_t hcap);
/*
 * 1 when rpid may be the RP ID of a site whose host is host: equal to it, or
 * a suffix of it at a label boundary with at least one dot (a registrable
 * domain; we do not carry the public suffix list, so "co.jp" would pass:
 * docs/operations.md tells the operator). An IP address host allows only
 * itself (browsers refuse it anyway). Else 0.
 */
int		 webauthn_rpid_ok(const char *rpid, const char *host);
/* The RP ID in use: WebAuthn.RPID, or the host of Service.BaseURL. */
const char	*webauthn_rpid(void);
/* The origin of Service.BaseURL (what clientDataJSON must say). */
const char	*webauthn_expected_origin(void);

/*
 * Check clientDataJSON (n bytes, not NUL-terminated): a JSON object whose
 * type is exactly type ("webauthn.create" or "webauthn.get"), whose challenge
 * decodes (base64url) to exactly the chlen bytes of challenge, whose origin is
 * exactly origin, crossOrigin absent or false and topOrigin absent.
 * WA_OK or an enum webauthn_err.
 */
int		 webauthn_client_data_check(const unsigned char *cdj, size_t n,
		    const char *type, const unsigned char *challenge, size_t chlen,
		    const char *origin);
/*
 * Parse authenticator data (n bytes) into ad: rpIdHash, flags, signCount and,
 * with AT, the attested credential data (credential id at most
 * WEBAUTHN_CRED_ID_MAX, a COSE key we accept). Extensions (ED) are skipped as
 * one CBOR item, and nothing may follow. WA_OK, WA_MALFORMED or WA_ALG.
 */
int		 webauthn_authdata_parse(const unsigned char *p, size_t n,
		    struct webauthn_authdata *ad);
/*
 * Parse a COSE_Key (RFC 9053) from p (at most n bytes); *used gets its length.
 * Accepts EC2 P-256 with alg -7 (raw x||y, 64 bytes) and OKP Ed25519 with alg
 * -8 (32 bytes). WA_OK, WA_MALFORMED or WA_ALG.
 */
int		 webauthn_cose_key_parse(const unsigned char *p, size_t n,
		    size_t *used, int *alg, unsigned char *pk, size_t *pk_len);
/*
 * Parse an attestation object (CBOR map of fmt, attStmt, authData) into ad:
 * fmt must be a text string and attStmt a map (neither is checked further: the
 * policy at the top), authData must carry attested credential data.
 * WA_OK or an enum webauthn_err.
 */
int		 webauthn_attobj_parse(const unsigned char *p, size_t n,
		    struct webauthn_authdata *ad);
/*
 * The checks of authenticator data common to both ceremonies: rpIdHash is
 * SHA-256(rpid), UP and UV set. WA_OK, WA_RPID or WA_FLAGS.
 */
int		 webauthn_authdata_check(const struct webauthn_authdata *ad,
		    const char *rpid);
/*
 * Verify an assertion's signature over authData || SHA-256(clientDataJSON)
 * with the stored key (libfido2, which also checks the rpIdHash against rpid
 * and that UP and UV are set). WA_OK, WA_SIG or WA_ALG.
 */
int		 webauthn_assertion_verify(const char *rpid,
		    const unsigned char *cdj, size_t cdjlen,
		    const unsigned char *authdata, size_t adlen,
		    const unsigned char *sig, size_t siglen,
		    int alg, const unsigned char *pk, size_t pklen);

#endif
