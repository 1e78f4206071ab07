/*
 * passkey.c — see passkey.h. Binary columns are read through HEX() (the
 * result API hands over text).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "account.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "passkey.h"
#include "request.h"
#include "util.h"

/* Decode hex s into out (exactly n bytes). 0 or -1. */
static int
unhex(const char *s, unsigned char *out, size_t n)
{
	size_t		 i;
	int		 hi, lo;

	if (s == NULL || strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((hi = util_hexval((unsigned char)s[2 * i])) < 0 ||
		    (lo = util_hexval((unsigned char)s[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int
passkey_challenge_new(const char *purpose, const char *session_hash,
    const char *browser_hash, long long account_id,
    unsigned char out[WEBAUTHN_CHALLENGE_LEN])
{
	unsigned char	 h[32];
	long long	 n;

	crypto_random(out, WEBAUTHN_CHALLENGE_LEN);
	crypto_sha256(out, WEBAUTHN_CHALLENGE_LEN, h);
	if (account_id > 0)
		n = db_exec("INSERT INTO passkey_challenges (challenge_hash, purpose,"
		    " session_hash, browser_hash, account_id, expires_at) VALUES"
		    " (?, ?, ?, ?, ?, NOW(6) + INTERVAL ? SECOND)", "bsssii",
		    h, sizeof(h), purpose, session_hash, browser_hash,
		    account_id, (long long)PASSKEY_CHALLENGE_SECONDS);
	else
		n = db_exec("INSERT INTO passkey_challenges (challenge_hash, purpose,"
		    " session_hash, browser_hash, expires_at) VALUES"
		    " (?, ?, ?, ?, NOW(6) + INTERVAL ? SECOND)", "bsssi",
		    h, sizeof(h), purpose, session_hash, browser_hash,
		    (long long)PASSKEY_CHALLENGE_SECONDS);
	return n < 0 ? (int)n : 0;
}

/* The "challenge" member of clientDataJSON, decoded. Its length or -1. */
static long
cdj_challenge(const unsigned char *cdj, size_t n, unsigned char *out, size_t cap)
{
	json_t		*o, *v;
	json_error_t	 e;
	long		 len = -1;

	if (cdj == NULL || n == 0 || n > 4096)
		return -1;
	if ((o = json_loadb((const char *)cdj, n, JSON_REJECT_DUPLICATES, &e)) == NULL)
		return -1;
	if (json_is_object(o) && (v = json_object_get(o, "challenge")) != NULL &&
	    json_is_string(v) && json_string_length(v) <= 64 &&
	    strlen(json_string_value(v)) == json_string_length(v))
		len = crypto_b64url_decode(json_string_value(v), out, cap);
	json_decref(o);
	return len;
}

int
passkey_challenge_take(const unsigned char *cdj, size_t cdjlen,
    const char *purpose, const char *session_hash, const char *browser_hash,
    long long account_id, unsigned char ch[WEBAUTHN_CHALLENGE_LEN])
{
	unsigned char	 h[32];
	long long	 n;

	if (cdj_challenge(cdj, cdjlen, ch, WEBAUTHN_CHALLENGE_LEN) !=
	    WEBAUTHN_CHALLENGE_LEN)
		return 0;
	crypto_sha256(ch, WEBAUTHN_CHALLENGE_LEN, h);
	if (session_hash != NULL)
		n = db_exec("UPDATE passkey_challenges SET used_at = NOW(6)"
		    " WHERE challenge_hash = ? AND purpose = ? AND used_at IS NULL"
		    " AND expires_at > NOW(6) AND session_hash = ?"
		    " AND account_id = ?", "bssi", h, sizeof(h), purpose,
		    session_hash, account_id);
	else if (browser_hash != NULL)
		n = db_exec("UPDATE passkey_challenges SET used_at = NOW(6)"
		    " WHERE challenge_hash = ? AND purpose = ? AND used_at IS NULL"
		    " AND expires_at > NOW(6) AND browser_hash = ?", "bss",
		    h, sizeof(h), purpose, browser_hash);
	else
		return 0;
	if (n < 0)
		return (int)n;
	return n == 1;
}

long long
passkey_challenge_prune(void)
{
	return db_exec("DELETE FROM passkey_challenges WHERE expires_at <"
	    " NOW(6) - INTERVAL 1 DAY LIMIT 5000", "");
}

int
passkey_user_handle(long long account_id, unsigned char out[PASSKEY_USER_LEN])
{
	char		*v[1] = { NULL };
	long long	 n;
	int		 st, tries;

	for (tries = 0; tries < 3; tries++) {
		if ((st = db_row(v, 1, "SELECT HEX(webauthn_user) FROM accounts"
		    " WHERE id = ?", "i", account_id)) < 0)
			return st;
		if (st == 0)
			return DB_ERR;
		if (v[0] != NULL) {
			st = unhex(v[0], out, PASSKEY_USER_LEN);
			free(v[0]);
			return st == 0 ? 0 : DB_ERR;
		}
		crypto_random(out, PASSKEY_USER_LEN);
		n = db_exec("UPDATE accounts SET webauthn_user = ? WHERE id = ? AND"
		    " webauthn_user IS NULL", "bi", out, (size_t)PASSKEY_USER_LEN,
		    account_id);
		if (n < 0 && n != DB_DUP)
			return (int)n;
	}
	return DB_ERR;
}

int
passkey_find(const unsigned char *cred, size_t len, struct passkey *pk)
{
	struct db_res	*res;
	unsigned char	 h[32];
	const char	*s;
	int		 st;

	memset(pk, 0, sizeof(*pk));
	crypto_sha256(cred, len, h);
	if ((st = db_query(&res, "SELECT p.id, p.account_id, p.alg,"
	    " HEX(p.public_key), p.sign_count, HEX(a.webauthn_user), p.name,"
	    " HEX(p.cred_id) FROM passkeys p JOIN accounts a ON a.id = p.account_id"
	    " WHERE p.cred_hash = ?", "b", h, sizeof(h))) < 0)
		return st;
	if ((st = db_res_next(res)) != 1) {
		db_res_free(res);
		return st < 0 ? st : 0;
	}
	pk->id = db_res_int(res, 0);
	pk->account_id = db_res_int(res, 1);
	pk->alg = (int)db_res_int(res, 2);
	s = db_res_str(res, 3);
	pk->pk_len = s != NULL ? strlen(s) / 2 : 0;
	if (pk->pk_len == 0 || pk->pk_len > sizeof(pk->pk) ||
	    unhex(s, pk->pk, pk->pk_len) != 0) {
		log_err("passkey %lld: stored key is malformed", pk->id);
		db_res_free(res);
		return DB_ERR;
	}
	pk->sign_count = (uint32_t)db_res_int(res, 4);
	pk->has_user = unhex(db_res_str(res, 5), pk->user, PASSKEY_USER_LEN) == 0;
	snprintf(pk->name, sizeof(pk->name), "%s",
	    db_res_str(res, 6) ? db_res_str(res, 6) : "");
	/* A hash is not the id: compare the stored id itself. */
	s = db_res_str(res, 7);
	st = s != NULL && strlen(s) == 2 * len;
	if (st) {
		unsigned char	*id = xmalloc(len + 1);

		st = unhex(s, id, len) == 0 && memcmp(id, cred, len) == 0;
		free(id);
	}
	db_res_free(res);
	return st ? 1 : 0;
}

long long
passkey_count(long long account_id)
{
	long long	 n = 0;
	int		 st;

	if ((st = db_int(&n, "SELECT COUNT(*) FROM passkeys WHERE account_id = ?",
	    "i", account_id)) < 0)
		return st;
	return n;
}

int
passkey_list_set(struct req *r, long long account_id, const char *prefix)
{
	struct db_res	*res;
	int		 st, n = 0;

	if ((st = db_query(&res, "SELECT id, name,"
	    " DATE_FORMAT(created_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i'),"
	    " IFNULL(DATE_FORMAT(last_used_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i'), ''),"
	    " backup_state FROM passkeys WHERE account_id = ? ORDER BY id",
	    "i", account_id)) < 0)
		return st;
	while ((st = db_res_next(res)) == 1) {
		char	 key[96];

		snprintf(key, sizeof(key), "%s.%d.Id", prefix, n);
		req_set_int(r, key, db_res_int(res, 0));
		snprintf(key, sizeof(key), "%s.%d.Name", prefix, n);
		req_set(r, key, db_res_str(res, 1));
		snprintf(key, sizeof(key), "%s.%d.Created", prefix, n);
		req_set(r, key, db_res_str(res, 2));
		snprintf(key, sizeof(key), "%s.%d.LastUsed", prefix, n);
		req_set(r, key, db_res_str(res, 3));
		snprintf(key, sizeof(key), "%s.%d.Synced", prefix, n);
		req_set_int(r, key, db_res_int(res, 4));
		n++;
	}
	db_res_free(res);
	return st < 0 ? st : n;
}

json_t *
passkey_descriptors(long long account_id)
{
	struct db_res	*res;
	json_t		*a = json_array();
	unsigned char	 id[WEBAUTHN_CRED_ID_MAX];
	const char	*s;
	int		 st;

	if (db_query(&res, "SELECT HEX(cred_id) FROM passkeys WHERE account_id = ?"
	    " ORDER BY id", "i", account_id) < 0) {
		json_decref(a);
		return NULL;
	}
	while ((st = db_res_next(res)) == 1) {
		s = db_res_str(res, 0);
		if (s == NULL || strlen(s) / 2 > sizeof(id) ||
		    unhex(s, id, strlen(s) / 2) != 0)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:o}", "type", "public-key",
		    "id", passkey_b64_json(id, strlen(s) / 2)));
	}
	db_res_free(res);
	if (st < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

long long
passkey_delete_all(long long account_id)
{
	long long	 n;

	if ((n = db_exec("DELETE FROM passkeys WHERE account_id = ?", "i",
	    account_id)) < 0)
		return n;
	if (db_exec("DELETE FROM passkey_challenges WHERE account_id = ?", "i",
	    account_id) < 0)
		return DB_ERR;
	if (db_exec("UPDATE accounts SET webauthn_user = NULL WHERE id = ?", "i",
	    account_id) < 0)
		return DB_ERR;
	return n;
}

int
passkey_json(struct req *r, int status, json_t *o)
{
	char		*s;

	s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	buf_free(&r->body);
	buf_puts(&r->body, s != NULL ? s : "{\"error\":\"internal\"}");
	if (s == NULL)
		status = 500;
	free(s);
	r->content_type = "application/json";
	r->raw_status = status;
	r->nostore = 1;
	return REQ_RAW;
}

int
passkey_json_error(struct req *r, int status, const char *code)
{
	return passkey_json(r, status, json_pack("{s:s}", "error", code));
}

json_t *
passkey_body(struct req *r)
{
	json_t		*o;
	json_error_t	 e;

	if (r->json == NULL || r->json_len == 0) {
		log_info("passkey: empty JSON body");
		return NULL;
	}
	o = json_loadb(r->json, r->json_len, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL || !json_is_object(o)) {
		log_info("passkey: body is not a JSON object");
		json_decref(o);
		return NULL;
	}
	return o;
}

long
passkey_b64_member(json_t *o, const char *s, unsigned char *out, size_t cap)
{
	json_t		*v;

	if (o == NULL || (v = json_object_get(o, s)) == NULL || !json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    json_string_length(v) > cap / 3 * 4 + 4)
		return -1;
	return crypto_b64url_decode(json_string_value(v), out, cap);
}

json_t *
passkey_b64_json(const unsigned char *b, size_t n)
{
	char		*s = xmalloc(n / 3 * 4 + 5);
	json_t		*j;

	crypto_b64url_encode(b, n, s);
	j = json_string(s);
	free(s);
	return j;
}

int
passkey_assert(struct req *r, json_t *body, const char *purpose,
    const char *session_hash, const char *browser_hash, long long account_id,
    int need_handle, struct passkey *pk)
{
	struct webauthn_authdata ad;
	json_t		*resp, *t;
	unsigned char	*cred = NULL, *cdj = NULL, *adata = NULL, *sig = NULL;
	unsigned char	 ch[WEBAUTHN_CHALLENGE_LEN], user[PASSKEY_USER_LEN + 4];
	long		 credlen, cdjlen, adlen, siglen, ulen;
	int		 st, rc, found = 0;

	(void)r;
	memset(pk, 0, sizeof(*pk));
	cred = xmalloc(WEBAUTHN_CRED_ID_MAX + 4);
	cdj = xmalloc(4096 + 4);
	adata = xmalloc(2048);
	sig = xmalloc(512 + 4);
	rc = PK_MALFORMED;
	if ((t = json_object_get(body, "type")) == NULL || !json_is_string(t) ||
	    strcmp(json_string_value(t), "public-key") != 0) {
		log_info("passkey %s: not a public-key credential", purpose);
		goto out;
	}
	resp = json_object_get(body, "response");
	if ((credlen = passkey_b64_member(body, "rawId", cred,
	    WEBAUTHN_CRED_ID_MAX)) <= 0 || resp == NULL || !json_is_object(resp) ||
	    (cdjlen = passkey_b64_member(resp, "clientDataJSON", cdj, 4096)) <= 0 ||
	    (adlen = passkey_b64_member(resp, "authenticatorData", adata,
	    2048)) <= 0 ||
	    (siglen = passkey_b64_member(resp, "signature", sig, 512)) <= 0) {
		log_info("passkey %s: assertion fields missing or not base64url",
		    purpose);
		goto out;
	}
	ulen = -1;
	if ((t = json_object_get(resp, "userHandle")) != NULL && !json_is_null(t) &&
	    (ulen = passkey_b64_member(resp, "userHandle", user,
	    sizeof(user))) < 0) {
		log_info("passkey %s: userHandle not base64url", purpose);
		goto out;
	}
	rc = PK_FAILED;
	/* The credential first, so that every refusal below is audited with
	 * its account (the answer is the same either way). */
	if ((st = passkey_find(cred, (size_t)credlen, pk)) < 0) {
		rc = st;
		goto out;
	}
	found = st == 1;
	if (!found)
		memset(pk, 0, sizeof(*pk));
	if ((st = passkey_challenge_take(cdj, (size_t)cdjlen, purpose,
	    session_hash, browser_hash, account_id, ch)) < 0) {
		rc = st;
		goto out;
	}
	if (st == 0) {
		log_warn("passkey %s refused: challenge unknown, used, expired or "
		    "not this browser's", purpose);
		goto out;
	}
	if ((st = webauthn_client_data_check(cdj, (size_t)cdjlen, "webauthn.get",
	    ch, sizeof(ch), webauthn_expected_origin())) != WA_OK) {
		log_warn("passkey %s refused: clientDataJSON (%s)", purpose,
		    webauthn_error(st));
		goto out;
	}
	if (!found) {
		log_warn("passkey %s refused: unknown credential", purpose);
		goto out;
	}
	if (account_id != 0 && pk->account_id != account_id) {
		log_warn("passkey %s refused: credential of another account", purpose);
		goto out;
	}
	if (ulen < 0 ? need_handle : (!pk->has_user || ulen != PASSKEY_USER_LEN ||
	    !crypto_equal(user, pk->user, PASSKEY_USER_LEN))) {
		log_warn("passkey %s refused: user handle missing or not the "
		    "credential's", purpose);
		goto out;
	}
	if ((st = webauthn_authdata_parse(adata, (size_t)adlen, &ad)) != WA_OK) {
		log_warn("passkey %s refused: authenticator data (%s)", purpose,
		    webauthn_error(st));
		goto out;
	}
	if (ad.flags & WEBAUTHN_AT) {
		log_warn("passkey %s refused: attested data in an assertion", purpose);
		goto out;
	}
	if ((st = webauthn_authdata_check(&ad, webauthn_rpid())) != WA_OK) {
		log_warn("passkey %s refused: authenticator data (%s)", purpose,
		    webauthn_error(st));
		goto out;
	}
	if ((st = webauthn_assertion_verify(webauthn_rpid(), cdj, (size_t)cdjlen,
	    adata, (size_t)adlen, sig, (size_t)siglen, pk->alg, pk->pk,
	    pk->pk_len)) != WA_OK) {
		log_warn("passkey %s refused: %s (passkey %lld)", purpose,
		    webauthn_error(st), pk->id);
		goto out;
	}
	if (pk->sign_count != 0 && ad.sign_count != 0 &&
	    ad.sign_count <= pk->sign_count) {
		log_warn("passkey %s refused: signature counter went back (%u after "
		    "%u; passkey %lld): a copy of the authenticator?", purpose,
		    (unsigned)ad.sign_count, (unsigned)pk->sign_count, pk->id);
		rc = PK_CLONE;
		goto out;
	}
	/* The counter only moves forward, even against a concurrent use. */
	if ((st = (int)db_exec("UPDATE passkeys SET sign_count = GREATEST(sign_count,"
	    " ?), backup_state = ?, last_used_at = NOW(6) WHERE id = ?", "iii",
	    (long long)ad.sign_count, (long long)((ad.flags & WEBAUTHN_BS) != 0),
	    pk->id)) < 0) {
		rc = st;
		goto out;
	}
	pk->sign_count = ad.sign_count;
	rc = PK_OK;
 out:
	util_wipe(ch, sizeof(ch));
	free(cred);
	free(cdj);
	free(adata);
	free(sig);
	return rc;
}

int
passkey_mail(long long account_id, const char *name, const char *pkname)
{
	struct account	*a = NULL;
	HDF		*vars;
	int		 st;

	if ((st = account_find_id(account_id, &a)) <= 0)
		return st < 0 ? st : 0;
	if ((vars = member_vars()) == NULL ||
	    member_var(vars, "Mail.PasskeyName", pkname) != 0) {
		if (vars != NULL)
			hdf_destroy(&vars);
		account_free(a);
		return DB_ERR;
	}
	{
		char	*u = config_url("/account/security/passkeys");

		(void)member_var(vars, "Mail.PasskeysURL", u);
		free(u);
	}
	st = member_mail(a->email, a->lang, name, vars);
	hdf_destroy(&vars);
	account_free(a);
	return st;
}
