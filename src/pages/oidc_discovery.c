/*
 * GET /.well-known/openid-configuration — the provider's metadata (OpenID
 * Connect Discovery 1.0 §3, docs/oidc.md). The issuer is Service.BaseURL
 * without a trailing '/', and every endpoint hangs below it.
 *
 * Outcomes:
 *   200  the JSON document (cacheable for a few minutes: it changes only
 *        with the configuration)
 *   503  {"error": "temporarily_unavailable"} when the provider cannot sign
 *        (no Verify.MasterKey: a relying party must not start a login it
 *        cannot finish), logged
 */
#include "autoconf.h"

#include <stdlib.h>

#include <jansson.h>

#include "oidc.h"
#include "oidc_http.h"
#include "oidc_keys.h"
#include "request.h"
#include "router.h"
#include "util.h"
#include "vault.h"
#include "log.h"

int
page_oidc_discovery(struct req *r)
{
	char	*iss, *authz, *token, *userinfo, *jwks, *logout;
	json_t	*o;

	if (!vault_ready()) {
		log_err("oidc: discovery refused: Verify.MasterKey is not set, ID"
		    " tokens cannot be signed (docs/oidc.md, Signing keys)");
		return oidc_http_fail(r, OIDC_KEYS_NOVAULT);
	}
	iss = oidc_http_issuer();
	authz = xasprintf("%s/oidc/authorize", iss);
	token = xasprintf("%s/oidc/token", iss);
	userinfo = xasprintf("%s/oidc/userinfo", iss);
	jwks = xasprintf("%s/oidc/jwks", iss);
	logout = xasprintf("%s/oidc/logout", iss);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:[s], s:[s], s:[s], s:[s], s:[s], s:[s,s,s], s:[s],"
	    " s:[s,s,s,s],"
	    " s:[s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s],"
	    " s:[s,s,s], s:b, s:b, s:b, s:b, s:[s,s,s], s:[s], s:[s,s]}",
	    "issuer", iss,
	    "authorization_endpoint", authz,
	    "token_endpoint", token,
	    "userinfo_endpoint", userinfo,
	    "jwks_uri", jwks,
	    "end_session_endpoint", logout,
	    "response_types_supported", "code",
	    "response_modes_supported", "query",
	    "grant_types_supported", "authorization_code",
	    "subject_types_supported", "pairwise",
	    "id_token_signing_alg_values_supported", "ES256",
	    "token_endpoint_auth_methods_supported", "client_secret_basic",
	    "client_secret_post", "none",
	    "code_challenge_methods_supported", "S256",
	    "scopes_supported", "openid", "email", "profile", "kenpo",
	    "claims_supported", "sub", "iss", "aud", "azp", "exp", "iat",
	    "auth_time", "nonce", "acr", "amr", "at_hash", "email",
	    "email_verified", "name", "birthdate", "kenpo_insurer_number",
	    "kenpo_insurer_name", "kenpo_level",
	    "acr_values_supported", OIDC_ACR_INSURER, OIDC_ACR_IDENTITY,
	    OIDC_ACR_SENSITIVE,
	    "claims_parameter_supported", 1,
	    "request_parameter_supported", 0,
	    "request_uri_parameter_supported", 0,
	    "authorization_response_iss_parameter_supported", 1,
	    "prompt_values_supported", "none", "login", "consent",
	    "claim_types_supported", "normal",
	    "ui_locales_supported", "ja", "en");
	free(iss);
	free(authz);
	free(token);
	free(userinfo);
	free(jwks);
	free(logout);
	req_add_header(r, "Access-Control-Allow-Origin", "*");
	/* The same for everybody; relying parties may keep it a while. */
	r->public_max_age = 300;
	return oidc_http_json(r, 200, o, 0);
}
