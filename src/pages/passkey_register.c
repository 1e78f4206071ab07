/*
 * POST /account/security/passkeys/register — the end of adding a passkey
 * (JSON in and out; passkey.js posts what navigator.credentials.create gave,
 * plus the name she chose). The challenge was issued by
 * /account/security/passkeys after her password (account_passkeys.c).
 *
 * Checks, in order: a JSON object with type "public-key", rawId and
 * response.{clientDataJSON, attestationObject} in base64url; the challenge
 * (purpose register, this session, this account, unused, unexpired: used up
 * here whatever follows); clientDataJSON (webauthn.create, our origin, no
 * crossOrigin/topOrigin); the attestation object (libcbor; attStmt not
 * looked at: docs/mfa.md "Passkeys"); rpIdHash, UP and UV; rawId equals the
 * credential id of the authenticator data; ES256 or EdDSA.
 *
 * Outcomes (application/json):
 *   - 200 {"location": "/account/security/passkeys?done=added"}: stored,
 *     audited passkey.add, mail passkey_added;
 *   - 400 {"error":"malformed"}: not such a body (or a name too long);
 *   - 400 {"error":"failed"}: a check failed (the log says which);
 *   - 409 {"error":"exists"}: that credential is registered already;
 *   - 413/400 from the pipeline: a body over 16 KiB or not JSON;
 *   - 403 (HTML) from the pipeline: Origin or CSRF token wrong;
 *   - 303 → /login: no member session; 500/503 database.
 * Returns REQ_RAW, 303 or an error status.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "passkey.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "util.h"

#define ATTOBJ_MAX	8192

struct add {
	long long	 account;
	const struct webauthn_authdata *ad;
	const char	*name;
};

static int
add_txn(void *arg)
{
	struct add	*a = arg;
	unsigned char	 h[32];
	long long	 n;

	crypto_sha256(a->ad->cred_id, a->ad->cred_id_len, h);
	n = db_exec("INSERT INTO passkeys (account_id, cred_id, cred_hash,"
	    " public_key, alg, sign_count, backup_eligible, backup_state, aaguid,"
	    " name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ibbbiiiibs",
	    a->account, a->ad->cred_id, a->ad->cred_id_len, h, sizeof(h),
	    a->ad->pk, a->ad->pk_len, (long long)a->ad->alg,
	    (long long)a->ad->sign_count,
	    (long long)((a->ad->flags & WEBAUTHN_BE) != 0),
	    (long long)((a->ad->flags & WEBAUTHN_BS) != 0),
	    a->ad->aaguid, sizeof(a->ad->aaguid), a->name);
	if (n < 0)
		return (int)n;
	return passkey_mail(a->account, "passkey_added", a->name);
}

int
page_passkey_register(struct req *r)
{
	struct webauthn_authdata *ad = NULL;
	struct add	 a;
	json_t		*body, *resp, *t;
	unsigned char	*cred = NULL, *cdj = NULL, *att = NULL;
	unsigned char	 ch[WEBAUTHN_CHALLENGE_LEN];
	const char	*name;
	char		 namebuf[PASSKEY_NAME_MAX * 4 + 1];
	long		 credlen, cdjlen, attlen;
	int		 st;

	if ((body = passkey_body(r)) == NULL)
		return passkey_json_error(r, 400, "malformed");
	cred = xmalloc(WEBAUTHN_CRED_ID_MAX + 4);
	cdj = xmalloc(4096 + 4);
	att = xmalloc(ATTOBJ_MAX + 4);
	ad = xmalloc(sizeof(*ad));
	resp = json_object_get(body, "response");
	t = json_object_get(body, "type");
	if (t == NULL || !json_is_string(t) ||
	    strcmp(json_string_value(t), "public-key") != 0 ||
	    resp == NULL || !json_is_object(resp) ||
	    (credlen = passkey_b64_member(body, "rawId", cred,
	    WEBAUTHN_CRED_ID_MAX)) <= 0 ||
	    (cdjlen = passkey_b64_member(resp, "clientDataJSON", cdj, 4096)) <= 0 ||
	    (attlen = passkey_b64_member(resp, "attestationObject", att,
	    ATTOBJ_MAX)) <= 0) {
		log_info("passkey_register: fields missing or not base64url");
		st = passkey_json_error(r, 400, "malformed");
		goto out;
	}
	name = NULL;
	if ((t = json_object_get(body, "name")) != NULL) {
		if (!json_is_string(t) || strlen(json_string_value(t)) !=
		    json_string_length(t) || util_utf8_len(json_string_value(t)) >
		    PASSKEY_NAME_MAX) {
			log_info("passkey_register: bad name");
			st = passkey_json_error(r, 400, "malformed");
			goto out;
		}
		name = json_string_value(t);
		/* Trim ASCII spaces; an empty name gets the default. */
		while (*name == ' ')
			name++;
		snprintf(namebuf, sizeof(namebuf), "%s", name);
		while (namebuf[0] != '\0' && namebuf[strlen(namebuf) - 1] == ' ')
			namebuf[strlen(namebuf) - 1] = '\0';
		for (st = 0; namebuf[st] != '\0'; st++)
			if ((unsigned char)namebuf[st] < 0x20 || namebuf[st] == 0x7f) {
				log_info("passkey_register: control character in name");
				st = passkey_json_error(r, 400, "malformed");
				goto out;
			}
		name = namebuf[0] != '\0' ? namebuf : NULL;
	}
	if (name == NULL)
		name = req_text(r, "Passkey.DefaultName");

	if ((st = passkey_challenge_take(cdj, (size_t)cdjlen, "register",
	    r->sess->id_hash, NULL, r->sess->account_id, ch)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0) {
		log_warn("passkey_register refused: challenge unknown, used, expired "
		    "or not this session's");
		st = passkey_json_error(r, 400, "failed");
		goto out;
	}
	if ((st = webauthn_client_data_check(cdj, (size_t)cdjlen,
	    "webauthn.create", ch, sizeof(ch), webauthn_expected_origin())) != WA_OK ||
	    (st = webauthn_attobj_parse(att, (size_t)attlen, ad)) != WA_OK ||
	    (st = webauthn_authdata_check(ad, webauthn_rpid())) != WA_OK) {
		log_warn("passkey_register refused: %s", webauthn_error(st));
		st = passkey_json_error(r, 400, "failed");
		goto out;
	}
	if ((size_t)credlen != ad->cred_id_len ||
	    memcmp(cred, ad->cred_id, ad->cred_id_len) != 0) {
		log_warn("passkey_register refused: rawId is not the attested "
		    "credential id");
		st = passkey_json_error(r, 400, "failed");
		goto out;
	}
	a.account = r->sess->account_id;
	a.ad = ad;
	a.name = name;
	if ((st = db_txn(add_txn, &a)) == DB_DUP) {
		log_warn("passkey_register refused: credential registered already");
		st = passkey_json_error(r, 409, "exists");
		goto out;
	}
	if (st < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	audit(r, "passkey.add", r->sess->account_id);
	st = passkey_json(r, 200, json_pack("{s:s}", "location",
	    "/account/security/passkeys?done=added"));
 out:
	util_wipe(ch, sizeof(ch));
	json_decref(body);
	free(cred);
	free(cdj);
	free(att);
	free(ad);
	return st;
}
