/*
 * POST /oidc/token — the token endpoint (OIDC Core §3.1.3, RFC 6749 §4.1.3,
 * RFC 7636): an authorization code (issued by /oidc/authorize into
 * oidc_codes) for an access token and an ID token. No session, no CSRF: the
 * caller is a relying party's server (or a public client's app), which proves
 * itself by its secret or by PKCE. Body application/x-www-form-urlencoded only
 * (the pipeline refuses anything else with a JSON 400: R_API).
 *
 * Client authentication: client_secret_basic (Authorization: Basic, RFC 6749
 * §2.3.1: id and secret form-urlencoded, then base64) or client_secret_post
 * (client_id + client_secret in the body) for a confidential client — one
 * method, never both; "none" for a public client (client_id in the body, no
 * secret; PKCE S256 mandatory). Secrets compare as their oidc_secret_hash, in
 * constant time.
 *
 * Outcomes (each a log line naming the client's row id, never the code,
 * secret or token; all JSON with Cache-Control: no-store):
 *   200  {access_token, token_type "Bearer", expires_in, id_token, scope}
 *   400  invalid_request: a parameter missing or repeated (RFC 6749 §3.2:
 *        "MUST NOT be included more than once"; the first would win
 *        otherwise), the query string used, basic and post both, a
 *        malformed code_verifier
 *   400  unsupported_grant_type: anything but authorization_code
 *   401  invalid_client: unknown client, wrong or missing secret, a secret
 *        from a public client (with WWW-Authenticate: Basic when the client
 *        tried Basic)
 *   400  invalid_grant: unknown or expired code, another client's code, a
 *        redirect_uri other than the code's, PKCE missing or wrong, the
 *        account no longer active; a code presented a second time also
 *        revokes every access token issued from it (audited
 *        oidc.code_reused; RFC 6749 §4.1.2)
 *   405  GET and others (JSON, by the pipeline)
 *   503  temporarily_unavailable: cannot sign (no Verify.MasterKey) — the
 *        code is not consumed — or the database is down
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <fcgiapp.h>

#include <jansson.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "form.h"
#include "jose.h"
#include "log.h"
#include "oidc.h"
#include "oidc_http.h"
#include "oidc_keys.h"
#include "request.h"
#include "router.h"
#include "util.h"

#define UNRESERVED	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789-._~"

/* What the exchange found, filled inside the transaction (exchange_fn). */
struct exchange {
	/* in */
	struct req	*r;
	const struct oidc_client *client;
	const char	*code_hash;
	const char	*redirect_uri;
	const char	*verifier;	/* NULL when absent */
	const char	*token_hash;
	/* out */
	const char	*refusal;	/* log reason of an invalid_grant */
	int		 reused;
	long long	 code_id, account_id, auth_time;
	char		*scope, *nonce, *acr, *amr;
};

static void
exchange_reset(struct exchange *x)
{
	x->refusal = NULL;
	x->reused = 0;
	x->code_id = x->account_id = x->auth_time = 0;
	free(x->scope);
	free(x->nonce);
	free(x->acr);
	free(x->amr);
	x->scope = x->nonce = x->acr = x->amr = NULL;
}

/* base64url(SHA-256(verifier)) equals challenge (RFC 7636 §4.6), in
 * constant time. */
static int
pkce_ok(const char *verifier, const char *challenge)
{
	unsigned char	 h[32];
	char		 enc[44];

	crypto_sha256(verifier, strlen(verifier), h);
	crypto_b64url_encode(h, sizeof(h), enc);
	return crypto_streq(enc, challenge);
}

static int
exchange_fn(void *arg)
{
	struct exchange	*x = arg;
	struct db_res	*res = NULL;
	const char	*challenge;
	long long	 n;
	int		 st;

	exchange_reset(x);
	st = db_query(&res, "SELECT c.id, c.client, c.account_id, c.redirect_uri,"
	    " c.scope, c.nonce, c.code_challenge, c.acr, c.amr,"
	    " FLOOR(UNIX_TIMESTAMP(c.auth_time)), c.expires_at > NOW(6),"
	    " c.used_at IS NOT NULL, a.state FROM oidc_codes c JOIN accounts a"
	    " ON a.id = c.account_id WHERE c.code_hash = ? FOR UPDATE",
	    "s", x->code_hash);
	if (st != 0)
		return st;
	if ((st = db_res_next(res)) <= 0) {
		db_res_free(res);
		x->refusal = "unknown code";
		return st;
	}
	x->code_id = db_res_int(res, 0);
	x->account_id = db_res_int(res, 2);
	if (db_res_int(res, 1) != x->client->id) {
		/* Not consumed: the real client may still redeem it. */
		x->refusal = "another client's code";
		goto out;
	}
	if (db_res_int(res, 11) != 0) {
		x->refusal = "code used before";
		x->reused = 1;
		goto out;
	}
	if (db_res_int(res, 10) == 0) {
		x->refusal = "expired code";
		goto out;
	}
	if (db_res_str(res, 3) == NULL || strcmp(db_res_str(res, 3), x->redirect_uri) != 0) {
		x->refusal = "redirect_uri differs from the authorization request's";
		goto out;
	}
	challenge = db_res_str(res, 6);
	if (challenge == NULL && x->client->public) {
		x->refusal = "public client's code without PKCE";
		goto out;
	}
	if (challenge != NULL && x->verifier == NULL) {
		x->refusal = "code_verifier missing";
		goto out;
	}
	if (challenge == NULL && x->verifier != NULL) {
		x->refusal = "code_verifier for a code without code_challenge";
		goto out;
	}
	if (challenge != NULL && !pkce_ok(x->verifier, challenge)) {
		x->refusal = "PKCE code_verifier does not match";
		goto out;
	}
	if (db_res_str(res, 12) == NULL || strcmp(db_res_str(res, 12), "active") != 0) {
		x->refusal = "account not active";
		goto out;
	}
	x->scope = xstrdup(db_res_str(res, 4) ? db_res_str(res, 4) : "openid");
	x->nonce = db_res_str(res, 5) ? xstrdup(db_res_str(res, 5)) : NULL;
	x->acr = xstrdup(db_res_str(res, 7) ? db_res_str(res, 7) : "");
	x->amr = xstrdup(db_res_str(res, 8) ? db_res_str(res, 8) : "");
	x->auth_time = db_res_int(res, 9);
out:
	db_res_free(res);
	if (x->reused) {
		/* RFC 6749 §4.1.2: the code leaked; so may have its tokens. */
		n = db_exec("UPDATE oidc_tokens SET revoked_at = NOW(6) WHERE"
		    " code_id = ? AND revoked_at IS NULL", "i", x->code_id);
		if (n < 0)
			return (int)n;
		if (audit_open(x->r, "oidc.code_reused", x->account_id) < 0)
			return DB_ERR;
		return 0;
	}
	if (x->refusal != NULL)
		return 0;
	/* Single use, even against a concurrent exchange of the same code. */
	n = db_exec("UPDATE oidc_codes SET used_at = NOW(6) WHERE id = ?"
	    " AND used_at IS NULL", "i", x->code_id);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		x->refusal = "code used before";
		return 0;
	}
	n = db_exec("INSERT INTO oidc_tokens (token_hash, code_id, client,"
	    " account_id, scope, acr, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
	    " NOW(6) + INTERVAL ? SECOND)", "siiissi", x->token_hash, x->code_id,
	    x->client->id, x->account_id, x->scope, x->acr,
	    config_int("OIDC.AccessTokenSeconds"));
	if (n < 0)
		return (int)n;
	n = db_exec("UPDATE oidc_consents SET last_used_at = NOW(6) WHERE"
	    " account_id = ? AND client = ?", "ii", x->account_id, x->client->id);
	if (n < 0)
		return (int)n;
	if (audit_open(x->r, "oidc.token", x->account_id) < 0)
		return DB_ERR;
	return 0;
}

/*
 * Decode "Basic base64(urlencode(id) ":" urlencode(secret))" into *id and
 * *secret (malloc'd). 0, or -1 when malformed.
 */
static int
basic_decode(const char *value, char **id, char **secret)
{
	char	*b, *raw = NULL, *colon;
	size_t	 n, i, len;
	long	 got;

	*id = *secret = NULL;
	value += 6;
	while (*value == ' ')
		value++;
	n = strlen(value);
	if (n == 0 || n > 1024 || n % 4 != 0)
		return -1;
	/* Standard base64 with padding → the strict base64url decoder. */
	b = xstrdup(value);
	while (n > 0 && b[n - 1] == '=')
		b[--n] = '\0';
	if (strlen(value) - n > 2)
		goto bad;
	for (i = 0; i < n; i++) {
		if (b[i] == '+')
			b[i] = '-';
		else if (b[i] == '/')
			b[i] = '_';
		else if (b[i] == '-' || b[i] == '_')
			goto bad;
	}
	raw = xmalloc(n + 1);
	if ((got = crypto_b64url_decode(b, raw, n)) < 0)
		goto bad;
	raw[got] = '\0';
	if (memchr(raw, '\0', (size_t)got) != NULL ||
	    (colon = strchr(raw, ':')) == NULL)
		goto bad;
	*colon = '\0';
	*id = xstrdup(raw);
	*secret = xstrdup(colon + 1);
	len = strlen(*id);
	if (form_url_decode(*id, &len) != 0)
		goto bad;
	(*id)[len] = '\0';
	len = strlen(*secret);
	if (form_url_decode(*secret, &len) != 0)
		goto bad;
	(*secret)[len] = '\0';
	free(b);
	util_free_secret(raw);
	return 0;
bad:
	free(b);
	if (raw != NULL)
		util_free_secret(raw);
	free(*id);
	if (*secret != NULL)
		util_free_secret(*secret);
	*id = *secret = NULL;
	return -1;
}

static int
invalid_client(struct req *r, int basic, const char *why)
{
	log_warn("oidc token: invalid_client: %s", why);
	if (basic)
		req_add_header(r, "WWW-Authenticate", "Basic realm=\"kenpo\"");
	return oidc_http_error(r, 401, "invalid_client", "client authentication failed");
}

static int
invalid_request(struct req *r, const char *why)
{
	log_warn("oidc token: invalid_request: %s", why);
	return oidc_http_error(r, 400, "invalid_request", why);
}

/* The amr array of the ID token: the code's words we know, plus "mfa" when
 * two different kinds of factor were proved (RFC 8176). */
static json_t *
amr_array(const char *amr)
{
	static const char *const known[] = { "pwd", "otp", "hwk", "user", "kba", "mfa" };
	static const char *const kinds[] = { "pwd", "otp", "hwk", "kba" };
	char		*copy = xstrdup(amr), *w, *save = NULL;
	json_t		*arr = json_array();
	int		 seen[4] = { 0 }, nkinds = 0, mfa = 0;
	size_t		 i;

	for (w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(w, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			continue;
		for (i = 0; i < json_array_size(arr); i++)
			if (strcmp(json_string_value(json_array_get(arr, i)), w) == 0)
				break;
		if (i < json_array_size(arr))
			continue;	/* once each */
		if (strcmp(w, "mfa") == 0)
			mfa = 1;
		json_array_append_new(arr, json_string(w));
		for (i = 0; i < 4; i++)
			if (strcmp(w, kinds[i]) == 0 && !seen[i]) {
				seen[i] = 1;
				nkinds++;
			}
	}
	if (nkinds >= 2 && !mfa)
		json_array_append_new(arr, json_string("mfa"));
	free(copy);
	return arr;
}

int
page_oidc_token(struct req *r)
{
	struct oidc_client	 c;
	struct exchange		 x;
	struct jose_key		 key;
	const char		*grant, *auth, *code, *redirect_uri, *verifier;
	const char		*body_id, *body_secret, *qs;
	char			*basic_id = NULL, *basic_secret = NULL, *iss = NULL;
	char			*idt = NULL;
	char			 hash[65], token[CRYPTO_TOKEN_LEN + 1], sub[OIDC_SUB_LEN + 1];
	char			 code_hash[65], token_hash[65], at_hash[23];
	const char		*client_id, *secret;
	int			 basic, st, rc;
	long long		 now;
	json_t			*claims, *resp;
	HDF			*rep;

	memset(&c, 0, sizeof(c));
	memset(&x, 0, sizeof(x));
	memset(&key, 0, sizeof(key));
	r->nostore = 1;
	qs = FCGX_GetParam("QUERY_STRING", r->envp);
	if (qs != NULL && *qs != '\0')
		return invalid_request(r, "parameters in the query string");
	if ((rep = hdf_get_obj(r->hdf, "Repeated")) != NULL &&
	    hdf_obj_child(rep) != NULL)
		return invalid_request(r, "a parameter is repeated");
	if ((grant = req_param(r, "grant_type")) == NULL || *grant == '\0')
		return invalid_request(r, "grant_type missing");
	if (strcmp(grant, "authorization_code") != 0) {
		log_warn("oidc token: unsupported_grant_type");
		return oidc_http_error(r, 400, "unsupported_grant_type", NULL);
	}

	/* Who is asking. */
	auth = req_header(r, "Authorization");
	basic = auth != NULL && strncasecmp(auth, "Basic ", 6) == 0;
	body_id = req_param(r, "client_id");
	body_secret = req_param(r, "client_secret");
	if (auth != NULL && !basic)
		return invalid_client(r, 0, "an Authorization scheme other than Basic");
	if (basic && body_secret != NULL)
		return invalid_request(r, "client_secret_basic and client_secret_post"
		    " both used");
	if (basic) {
		if (basic_decode(auth, &basic_id, &basic_secret) != 0)
			return invalid_client(r, 1, "malformed Basic credentials");
		if (body_id != NULL && strcmp(body_id, basic_id) != 0) {
			rc = invalid_client(r, 1, "client_id differs from the Basic one");
			goto out;
		}
		client_id = basic_id;
		secret = basic_secret;
	} else {
		client_id = body_id;
		secret = body_secret;
	}
	if (client_id == NULL || *client_id == '\0') {
		rc = invalid_client(r, basic, "no client_id");
		goto out;
	}
	if ((st = oidc_client_load(client_id, &c)) < 0) {
		rc = oidc_http_fail(r, st);
		goto out;
	}
	if (st == 0) {
		rc = invalid_client(r, basic, "unknown client");
		goto out;
	}
	if (c.public) {
		if (secret != NULL) {
			rc = invalid_client(r, basic, "a secret from a public client");
			goto out;
		}
	} else {
		if (secret == NULL || *secret == '\0') {
			log_warn("oidc token: client %lld: no secret", c.id);
			rc = invalid_client(r, basic, "confidential client without a secret");
			goto out;
		}
		if (oidc_secret_hash(secret, hash) != 0) {
			rc = oidc_http_fail(r, -1);
			goto out;
		}
		if (c.secret_hash == NULL || strlen(c.secret_hash) != 64 ||
		    !crypto_equal(hash, c.secret_hash, 64)) {
			log_warn("oidc token: client %lld: wrong secret", c.id);
			audit(r, "oidc.client_auth_fail", 0);
			rc = invalid_client(r, basic, "wrong secret");
			goto out;
		}
	}

	/* What it brings. */
	code = req_param(r, "code");
	redirect_uri = req_param(r, "redirect_uri");
	verifier = req_param(r, "code_verifier");
	if (code == NULL || *code == '\0') {
		rc = invalid_request(r, "code missing");
		goto out;
	}
	if (redirect_uri == NULL || *redirect_uri == '\0') {
		rc = invalid_request(r, "redirect_uri missing");
		goto out;
	}
	if (verifier != NULL && (strlen(verifier) < 43 || strlen(verifier) > 128 ||
	    strspn(verifier, UNRESERVED) != strlen(verifier))) {
		rc = invalid_request(r, "code_verifier is not 43-128 unreserved characters");
		goto out;
	}
	if (strlen(code) > 512) {
		log_warn("oidc token: client %lld: invalid_grant: overlong code", c.id);
		rc = oidc_http_error(r, 400, "invalid_grant", NULL);
		goto out;
	}

	/* The key first: a provider that cannot sign must not consume the code. */
	if ((st = oidc_keys_signing(&key)) != 0) {
		rc = oidc_http_fail(r, st);
		goto out;
	}
	crypto_sha256_hex(code, code_hash);
	crypto_token(token);
	crypto_sha256_hex(token, token_hash);
	x.r = r;
	x.client = &c;
	x.code_hash = code_hash;
	x.redirect_uri = redirect_uri;
	x.verifier = verifier;
	x.token_hash = token_hash;
	if ((st = db_txn(exchange_fn, &x)) < 0) {
		rc = oidc_http_fail(r, st);
		goto out;
	}
	if (x.refusal != NULL) {
		log_warn("oidc token: client %lld: invalid_grant: %s%s", c.id,
		    x.refusal, x.reused ? " (its access tokens revoked)" : "");
		rc = oidc_http_error(r, 400, "invalid_grant", NULL);
		goto out;
	}

	/* The ID token (OIDC Core §2, §3.1.3.6). */
	if (oidc_subject(c.client_id, x.account_id, sub) != 0) {
		rc = oidc_http_fail(r, -1);
		goto out;
	}
	iss = oidc_http_issuer();
	now = (long long)time(NULL);
	jose_at_hash(token, at_hash);
	claims = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:o, s:s}",
	    "iss", iss, "sub", sub, "aud", c.client_id, "azp", c.client_id,
	    "exp", (json_int_t)(now + config_int("OIDC.IDTokenSeconds")),
	    "iat", (json_int_t)now, "auth_time", (json_int_t)x.auth_time,
	    "acr", x.acr, "amr", amr_array(x.amr), "at_hash", at_hash);
	if (claims != NULL && x.nonce != NULL)
		json_object_set_new(claims, "nonce", json_string(x.nonce));
	idt = claims != NULL ? jose_jwt_sign(&key, claims) : NULL;
	json_decref(claims);
	if (idt == NULL) {
		/* The code is spent and the token stored: the client starts over. */
		rc = oidc_http_fail(r, -1);
		goto out;
	}
	resp = json_pack("{s:s, s:s, s:I, s:s, s:s}", "access_token", token,
	    "token_type", "Bearer", "expires_in",
	    (json_int_t)config_int("OIDC.AccessTokenSeconds"), "id_token", idt,
	    "scope", x.scope);
	log_info("oidc token: client %lld: tokens issued (account %lld, %s)",
	    c.id, x.account_id, x.acr);
	rc = oidc_http_json(r, 200, resp, 1);
out:
	util_wipe(token, sizeof(token));
	jose_key_wipe(&key);
	exchange_reset(&x);
	oidc_client_free(&c);
	free(basic_id);
	if (basic_secret != NULL)
		util_free_secret(basic_secret);
	free(iss);
	free(idt);
	return rc;
}
