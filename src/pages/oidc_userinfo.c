/*
 * GET/POST /oidc/userinfo — the claims of the member an access token was
 * issued for (OIDC Core §5.3), by the token's scope. The token comes in the
 * Authorization header only (RFC 6750 §2.1: "Bearer <token>"); no session, no
 * CSRF (a POST here changes nothing).
 *
 * Claims: sub (pairwise, always); scope email → email, email_verified (an
 * active account's address was confirmed by mail); profile → name (the
 * roster's name in katakana) and birthdate (YYYY-MM-DD), only when the
 * member is bound to a roster person — nothing is invented for one who is
 * not; kenpo → kenpo_insurer_number, kenpo_insurer_name, kenpo_level (0..3;
 * 0 while 未所属).
 *
 * Outcomes (JSON, Cache-Control: no-store):
 *   200  the claims
 *   401  no Authorization header: WWW-Authenticate: Bearer (RFC 6750 §3.1);
 *        an unknown, expired or revoked token, or one whose member's account
 *        is no longer active (withdrawn, closed, deleted), or whose client was
 *        deleted: WWW-Authenticate: Bearer error="invalid_token"; logged
 *   400  another scheme than Bearer, or a malformed header: error
 *        "invalid_request"
 *   503  the database is down
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "crypto.h"
#include "db.h"
#include "log.h"
#include "oidc.h"
#include "oidc_http.h"
#include "request.h"
#include "router.h"
#include "util.h"

static int
unauthorized(struct req *r, const char *error, const char *why)
{
	char	 v[96];

	log_warn("oidc userinfo: %s", why);
	if (error != NULL) {
		snprintf(v, sizeof(v), "Bearer realm=\"kenpo\", error=\"%s\"", error);
		req_add_header(r, "WWW-Authenticate", v);
		return oidc_http_error(r, 401, error, NULL);
	}
	req_add_header(r, "WWW-Authenticate", "Bearer realm=\"kenpo\"");
	return oidc_http_error(r, 401, "invalid_token", NULL);
}

/* 1 when scope (space-separated) holds word. */
static int
has_scope(const char *scope, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p = scope;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == scope || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

int
page_oidc_userinfo(struct req *r)
{
	const char	*auth, *tok, *scope;
	char		 hash[65], sub[OIDC_SUB_LEN + 1];
	struct db_res	*res = NULL;
	json_t		*o;
	int		 st;

	r->nostore = 1;
	if ((auth = req_header(r, "Authorization")) == NULL)
		return unauthorized(r, NULL, "no access token");
	if (strncasecmp(auth, "Bearer ", 7) != 0) {
		req_add_header(r, "WWW-Authenticate",
		    "Bearer realm=\"kenpo\", error=\"invalid_request\"");
		log_warn("oidc userinfo: invalid_request: not a Bearer token");
		return oidc_http_error(r, 400, "invalid_request", NULL);
	}
	tok = auth + 7;
	while (*tok == ' ')
		tok++;
	if (strlen(tok) != CRYPTO_TOKEN_LEN || strspn(tok,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
	    CRYPTO_TOKEN_LEN)
		return unauthorized(r, "invalid_token", "malformed access token");
	crypto_sha256_hex(tok, hash);
	st = db_query(&res, "SELECT t.account_id, t.scope, c.client_id, a.state,"
	    " a.email, IF(a.unaffiliated, 0, a.level), ro.name_kana,"
	    " DATE_FORMAT(ro.birthdate, '%Y-%m-%d'), i.number, i.name, t.client"
	    " FROM oidc_tokens t"
	    " JOIN oidc_clients c ON c.id = t.client AND c.deleted_at IS NULL"
	    " JOIN accounts a ON a.id = t.account_id"
	    " LEFT JOIN roster ro ON ro.id = a.roster_id"
	    " LEFT JOIN insurers i ON i.id = a.insurer_id"
	    " WHERE t.token_hash = ? AND t.revoked_at IS NULL"
	    " AND t.expires_at > NOW(6)", "s", hash);
	if (st != 0)
		return oidc_http_fail(r, st);
	if ((st = db_res_next(res)) <= 0) {
		db_res_free(res);
		if (st < 0)
			return oidc_http_fail(r, st);
		return unauthorized(r, "invalid_token",
		    "unknown, expired or revoked access token");
	}
	if (db_res_str(res, 3) == NULL || strcmp(db_res_str(res, 3), "active") != 0) {
		log_warn("oidc userinfo: client %lld: account %lld is not active",
		    db_res_int(res, 10), db_res_int(res, 0));
		db_res_free(res);
		return unauthorized(r, "invalid_token", "account not active");
	}
	if (oidc_subject(db_res_str(res, 2), db_res_int(res, 0), sub) != 0) {
		db_res_free(res);
		return oidc_http_fail(r, -1);
	}
	scope = db_res_str(res, 1) ? db_res_str(res, 1) : "";
	o = json_pack("{s:s}", "sub", sub);
	if (has_scope(scope, "email") && db_res_str(res, 4) != NULL) {
		json_object_set_new(o, "email", json_string(db_res_str(res, 4)));
		json_object_set_new(o, "email_verified", json_true());
	}
	if (has_scope(scope, "profile") && db_res_str(res, 6) != NULL) {
		json_object_set_new(o, "name", json_string(db_res_str(res, 6)));
		if (db_res_str(res, 7) != NULL)
			json_object_set_new(o, "birthdate", json_string(db_res_str(res, 7)));
	}
	if (has_scope(scope, "kenpo")) {
		if (db_res_str(res, 8) != NULL) {
			json_object_set_new(o, "kenpo_insurer_number",
			    json_string(db_res_str(res, 8)));
			json_object_set_new(o, "kenpo_insurer_name",
			    json_string(db_res_str(res, 9)));
		}
		json_object_set_new(o, "kenpo_level", json_integer(db_res_int(res, 5)));
	}
	db_res_free(res);
	return oidc_http_json(r, 200, o, 1);
}
