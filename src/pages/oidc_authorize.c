/*
 * GET, POST /oidc/authorize — the OpenID Connect authorization endpoint
 * (Core 3.1.2; issue 15 item 1; docs/oidc.md "Authorization, acr and
 * consent"). POST is the form-encoded request of Core 3.1.2.1: it carries no
 * CSRF token (it comes from the relying party's page) and changes nothing a
 * GET would not.
 *
 * Outcomes, in the order they are checked:
 *   - client_id missing, repeated or unknown (or its client deleted):
 *     400 page (L.Error.OIDCClient), no redirect, logged;
 *   - redirect_uri missing, repeated, or not registered for the client byte
 *     for byte (a trailing slash, another case of the host, another query,
 *     http for https, a fragment, another percent-encoding): 400 page
 *     (L.Error.OIDCRedirect), never a redirect to it, logged;
 *   - from here every refusal is a 303 to the redirect_uri with error,
 *     error_description, state and iss (RFC 9207), logged:
 *       request / request_uri          request_not_supported /
 *                                      request_uri_not_supported
 *       any parameter repeated         invalid_request
 *       response_type missing          invalid_request; other than "code":
 *                                      unsupported_response_type
 *       response_mode other than query invalid_request
 *       scope without openid           invalid_scope (unknown scopes are
 *                                      dropped; openid email profile kenpo)
 *       prompt unknown, or none with another; max_age not a number;
 *       claims not JSON of the right shape; a value over its length
 *       (state 1024, nonce 255, scope 512, acr_values 512 bytes)
 *                                      invalid_request
 *       code_challenge_method other than S256 (plain included), or a
 *       code_challenge that is not 43 base64url characters, or a public
 *       client without one             invalid_request
 *   - a request that passes is bound to this browser (oidc_authz_bind: the
 *     cookie "oab"), stored (oidc_requests) and continued at once
 *     (oidc_authz_continue): a login, a page, the step-up, or the code.
 * HEAD: 405, nothing stored (a link checker must not use up a request
 * or get a code). Invalid UTF-8 and over-long fields never reach here
 * (request.c: 400).
 * Returns 200, 303, 400, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "oidc.h"
#include "oidc_acr.h"
#include "oidc_authz.h"
#include "request.h"
#include "router.h"
#include "util.h"

#define STATE_MAX	1024
#define NONCE_MAX	255
#define SCOPE_MAX	512
#define ACR_VALUES_MAX	512

/* 1 when the request repeated parameter name. */
static int
repeated(struct req *r, const char *name)
{
	char	 key[96];

	snprintf(key, sizeof(key), "Repeated.%s", name);
	return hdf_get_value(r->hdf, key, NULL) != NULL;
}

/* The name of any repeated parameter, or NULL. */
static const char *
any_repeated(struct req *r)
{
	HDF	*h = hdf_get_obj(r->hdf, "Repeated");

	return h != NULL && (h = hdf_obj_child(h)) != NULL ? hdf_obj_name(h) : NULL;
}

/* The known scopes of s, in a fixed order, into out; -1 when too long. */
static int
scopes(const char *s, char *out, size_t cap)
{
	static const char *const known[] = { "openid", "email", "profile", "kenpo" };
	const char	*p;
	size_t		 i, n;
	int		 have[4] = { 0, 0, 0, 0 };

	if (strlen(s) > SCOPE_MAX)
		return -1;
	for (p = s; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		for (i = 0; i < 4; i++)
			if (n == strlen(known[i]) && strncmp(p, known[i], n) == 0)
				have[i] = 1;
	}
	out[0] = '\0';
	for (i = 0; i < 4; i++)
		if (have[i])
			snprintf(out + strlen(out), cap - strlen(out), "%s%s",
			    out[0] != '\0' ? " " : "", known[i]);
	return have[0] ? 0 : 1;
}

/* prompt into *bits; -1 for an unknown value or none with another. */
static int
prompts(const char *s, int *bits)
{
	const char	*p;
	size_t		 n;
	int		 words = 0;

	*bits = 0;
	for (p = s; *p != '\0'; p += n) {
		p += strspn(p, " ");
		if ((n = strcspn(p, " ")) == 0)
			break;
		words++;
		if (n == 4 && strncmp(p, "none", 4) == 0)
			*bits |= OIDC_PROMPT_NONE;
		else if ((n == 5 && strncmp(p, "login", 5) == 0) ||
		    (n == 14 && strncmp(p, "select_account", 14) == 0))
			*bits |= OIDC_PROMPT_LOGIN;
		else if (n == 7 && strncmp(p, "consent", 7) == 0)
			*bits |= OIDC_PROMPT_CONSENT;
		else
			return -1;
	}
	if ((*bits & OIDC_PROMPT_NONE) && words > 1)
		return -1;
	return 0;
}

/* 1 when s is 43 base64url characters (a SHA-256, RFC 7636 4.2). */
static int
challenge_ok(const char *s)
{
	return strlen(s) == 43 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") == 43;
}

/* max_age: 1..10 digits. */
static int
max_age_parse(const char *s, long long *out)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 10 || strspn(s, "0123456789") != n)
		return -1;
	*out = strtoll(s, NULL, 10);
	return 0;
}

/*
 * Everything after the client and its redirect_uri: NULL when a passes
 * (filled in), else the error code with *desc.
 */
static const char *
check(struct req *r, struct oidc_authz *a, const char **desc)
{
	const char	*v, *name;
	char		 sc[SCOPE_MAX + 1];
	int		 st;

	*desc = NULL;
	if (req_param(r, "request") != NULL)
		return "request_not_supported";
	if (req_param(r, "request_uri") != NULL)
		return "request_uri_not_supported";
	if ((name = any_repeated(r)) != NULL) {
		*desc = "a parameter is repeated";
		log_info("oidc: parameter %.64s repeated", name);
		return "invalid_request";
	}
	if ((v = req_param(r, "response_type")) == NULL || v[0] == '\0') {
		*desc = "response_type missing";
		return "invalid_request";
	}
	if (strcmp(v, "code") != 0)
		return "unsupported_response_type";
	if ((v = req_param(r, "response_mode")) != NULL && strcmp(v, "query") != 0) {
		*desc = "only response_mode query";
		return "invalid_request";
	}
	if ((v = req_param(r, "scope")) == NULL) {
		*desc = "scope must contain openid";
		return "invalid_scope";
	}
	if ((st = scopes(v, sc, sizeof(sc))) < 0) {
		*desc = "scope too long";
		return "invalid_request";
	}
	if (st == 1) {
		*desc = "scope must contain openid";
		return "invalid_scope";
	}
	a->scope = xstrdup(sc);
	if ((v = req_param(r, "prompt")) != NULL && prompts(v, &a->prompt) != 0) {
		*desc = "prompt not understood";
		return "invalid_request";
	}
	a->max_age = -1;
	if ((v = req_param(r, "max_age")) != NULL && max_age_parse(v, &a->max_age)) {
		*desc = "max_age not a number of seconds";
		return "invalid_request";
	}
	if ((v = req_param(r, "nonce")) != NULL) {
		if (strlen(v) > NONCE_MAX) {
			*desc = "nonce too long";
			return "invalid_request";
		}
		if (v[0] != '\0')
			a->nonce = xstrdup(v);
	}
	if ((v = req_param(r, "acr_values")) != NULL && strlen(v) > ACR_VALUES_MAX) {
		/* Voluntary: what she has fresh is given (docs/oidc.md). */
		*desc = "acr_values too long";
		return "invalid_request";
	}
	if ((v = req_param(r, "claims")) != NULL &&
	    oidc_acr_claims(v, strlen(v), &a->essential) != 0) {
		*desc = "claims not understood";
		return "invalid_request";
	}
	v = req_param(r, "code_challenge_method");
	if (v != NULL && strcmp(v, "S256") != 0) {
		*desc = "code_challenge_method must be S256";
		return "invalid_request";
	}
	if ((v = req_param(r, "code_challenge")) != NULL) {
		if (!challenge_ok(v)) {
			*desc = "code_challenge must be 43 base64url characters";
			return "invalid_request";
		}
		if (req_param(r, "code_challenge_method") == NULL) {
			/* The default would be plain (RFC 7636 4.3). */
			*desc = "code_challenge_method must be S256";
			return "invalid_request";
		}
		a->code_challenge = xstrdup(v);
	} else if (req_param(r, "code_challenge_method") != NULL) {
		*desc = "code_challenge missing";
		return "invalid_request";
	} else if (a->client.public) {
		*desc = "PKCE (S256) is required for this client";
		return "invalid_request";
	}
	return NULL;
}

int
page_oidc_authorize(struct req *r)
{
	struct oidc_authz a;
	const char	*cid = req_param(r, "client_id");
	const char	*uri = req_param(r, "redirect_uri"), *err, *desc;
	int		 st;

	memset(&a, 0, sizeof(a));
	a.max_age = -1;
	if (strcmp(r->method, "HEAD") == 0) {
		/* A link checker's look: nothing stored, no code issued. */
		log_info("oidc: HEAD of authorize: nothing done");
		return 405;
	}
	if (cid == NULL || cid[0] == '\0' || repeated(r, "client_id")) {
		log_info("oidc: authorize without one client_id: the page");
		return req_error(r, 400, "OIDCClient");
	}
	if ((st = oidc_client_load(cid, &a.client)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		log_info("oidc: authorize for an unknown client: the page");
		return req_error(r, 400, "OIDCClient");
	}
	if (uri == NULL || uri[0] == '\0' || repeated(r, "redirect_uri")) {
		log_info("oidc: authorize for client %s without one redirect_uri:"
		    " the page", a.client.client_id);
		st = req_error(r, 400, "OIDCRedirect");
		goto out;
	}
	if ((st = oidc_client_uri_ok(&a.client, "login", uri)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	if (st == 0) {
		log_info("oidc: authorize for client %s with an unregistered"
		    " redirect_uri: the page", a.client.client_id);
		st = req_error(r, 400, "OIDCRedirect");
		goto out;
	}
	a.redirect_uri = xstrdup(uri);
	if ((err = req_param(r, "state")) != NULL) {
		if (strlen(err) > STATE_MAX) {
			/* Not sent back: a client's redirect stays short. */
			st = oidc_authz_error(r, &a, "invalid_request",
			    "state too long");
			goto out;
		}
		a.state = xstrdup(err);
	}
	if ((err = check(r, &a, &desc)) != NULL) {
		st = oidc_authz_error(r, &a, err, desc);
		goto out;
	}
	oidc_authz_bind(r, &a);
	if ((st = oidc_authz_store(&a)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	st = oidc_authz_continue(r, &a, 0);
 out:
	oidc_authz_free(&a);
	return st;
}
