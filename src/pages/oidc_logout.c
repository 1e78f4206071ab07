/*
 * GET/POST /oidc/logout — RP-initiated logout (OpenID Connect RP-Initiated
 * Logout 1.0): a relying party sends the member here to end her kenpo
 * session too.
 *
 * Parameters: id_token_hint (an ID token we issued: verified with our
 * published keys, strict ES256 (jose.h), its expiry ignored as the spec
 * allows; its aud names the client), client_id, post_logout_redirect_uri
 * (must be registered as kind 'logout' for that client), state (given back),
 * ui_locales (ignored: the member's language applies). The route takes POST
 * without the pipeline's CSRF check because relying parties may POST the
 * request; our own confirmation form carries confirm=1 and the CSRF token,
 * checked here with the Origin like any form of ours.
 *
 * Outcomes:
 *   400  page: an id_token_hint that does not verify (alg none, a forged or
 *        foreign signature, not from this issuer), a client_id that differs
 *        from the hint's audience, an unknown client, or a
 *        post_logout_redirect_uri not registered for the client (or given
 *        without any client), a state over STATE_MAX bytes (as authorize's:
 *        percent-encoded into the Location it could pass nginx's 8 KiB
 *        fastcgi_buffer_size, a 502 with no log line) — never redirected
 *        anywhere; logged
 *   200  with a member session: the confirmation page (names the service),
 *        whose POST ends the session
 *   303  after the confirmation (or without a session at all): to
 *        post_logout_redirect_uri (+ state) when one was given, else
 *   200  "ログアウトしました"
 *   403  the confirmation POST without a valid CSRF token / foreign Origin
 *   500/503 database
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "config.h"
#include "header.h"
#include "jose.h"
#include "log.h"
#include "oidc.h"
#include "oidc_authz.h"
#include "oidc_http.h"
#include "oidc_keys.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "signup_card.h"
#include "util.h"

#define STATE_MAX	1024	/* as /oidc/authorize's (oidc_authorize.c) */

/* Percent-encode s for a query component (RFC 3986 unreserved kept). */
static void
url_encode(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			buf_append(b, p, 1);
		else {
			char	 e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			buf_append(b, e, 3);
		}
	}
}

/*
 * Verify the hint; on success the client id of its audience into *aud
 * (malloc'd). 0, or -1 (logged) when it is not one of our ID tokens.
 */
static int
hint_client(const char *hint, char **aud)
{
	struct jose_key	*keys = NULL;
	size_t		 n = 0;
	json_t		*claims = NULL, *a, *iss;
	enum jose_err	 e;
	char		*ours;
	int		 rc = -1;

	*aud = NULL;
	if (oidc_keys_published(&keys, &n) != 0) {
		log_warn("oidc logout: keys not available to check id_token_hint");
		return -1;
	}
	e = jose_jws_verify(hint, keys, n, &claims, NULL);
	free(keys);
	if (e != JOSE_OK) {
		log_warn("oidc logout: id_token_hint refused: %s", jose_strerror(e));
		return -1;
	}
	ours = oidc_http_issuer();
	iss = json_object_get(claims, "iss");
	a = json_object_get(claims, "aud");
	if (json_is_array(a) && json_array_size(a) == 1)
		a = json_array_get(a, 0);
	if (!json_is_string(iss) || strcmp(json_string_value(iss), ours) != 0)
		log_warn("oidc logout: id_token_hint from another issuer");
	else if (!json_is_string(a))
		log_warn("oidc logout: id_token_hint without a single audience");
	else {
		*aud = xstrdup(json_string_value(a));
		rc = 0;
	}
	free(ours);
	json_decref(claims);
	return rc;
}

static int
refuse(struct req *r, const char *why)
{
	log_warn("oidc logout: refused: %s", why);
	return req_error(r, 400, "OidcLogout");
}

/* The page's texts that name the service (Service.Name, not a fixed word). */
static void
service_texts(struct req *r)
{
	const char	*vars[] = { "service", config_str("Service.Name"), NULL };

	req_set_text(r, "OidcLogout.QuestionText", "OidcLogout.Question", vars);
	req_set_text(r, "OidcLogout.DoneTextText", "OidcLogout.DoneText", vars);
}

/* Where to go after the logout: the registered URI with state, or the done
 * page. */
static int
finish(struct req *r, const char *uri, const char *state)
{
	struct buf	 b = { 0 };
	int		 rc;

	if (uri == NULL) {
		r->template = "oidc_logout";
		service_texts(r);
		req_set(r, "OidcLogout.Done", "1");
		return 200;
	}
	buf_puts(&b, uri);
	if (state != NULL && *state != '\0') {
		buf_puts(&b, strchr(uri, '?') != NULL ? "&state=" : "?state=");
		url_encode(&b, state);
	}
	buf_append(&b, "", 1);
	/* A client's registered URI, checked byte for byte: not a local path,
	 * so not req_redirect (redirect.h keeps those local). */
	rc = req_redirect_client(r, b.data);
	buf_free(&b);
	return rc;
}

int
page_oidc_logout(struct req *r)
{
	const char		*hint, *client_id, *uri, *state, *confirm;
	char			*aud = NULL;
	struct oidc_client	 c;
	int			 st, rc, have_client = 0;
	long long		 id;
	NEOERR			*err;

	memset(&c, 0, sizeof(c));
	r->nostore = 1;
	hint = req_param(r, "id_token_hint");
	client_id = req_param(r, "client_id");
	uri = req_param(r, "post_logout_redirect_uri");
	state = req_param(r, "state");
	confirm = req_param(r, "confirm");
	if (hint != NULL && *hint == '\0')
		hint = NULL;
	if (client_id != NULL && *client_id == '\0')
		client_id = NULL;
	if (uri != NULL && *uri == '\0')
		uri = NULL;
	if (state != NULL && strlen(state) > STATE_MAX)
		return refuse(r, "state too long");

	if (hint != NULL) {
		if (hint_client(hint, &aud) != 0)
			return refuse(r, "id_token_hint does not verify");
		if (client_id != NULL && strcmp(client_id, aud) != 0) {
			free(aud);
			return refuse(r, "client_id differs from the hint's audience");
		}
		client_id = aud;
	}
	if (client_id != NULL) {
		if ((st = oidc_client_load(client_id, &c)) < 0) {
			free(aud);
			return req_db_error(r, st);
		}
		if (st == 0) {
			free(aud);
			return refuse(r, "unknown client");
		}
		have_client = 1;
	}
	if (uri != NULL) {
		if (!have_client) {
			rc = refuse(r, "post_logout_redirect_uri without a client");
			goto out;
		}
		if ((st = oidc_client_uri_ok(&c, "logout", uri)) < 0) {
			rc = req_db_error(r, st);
			goto out;
		}
		if (st == 0) {
			log_warn("oidc logout: client %lld: post_logout_redirect_uri"
			    " not registered", c.id);
			rc = refuse(r, "unregistered post_logout_redirect_uri");
			goto out;
		}
	}

	/* No session: nothing to end. */
	if (r->sess == NULL) {
		rc = finish(r, uri, state);
		goto out;
	}
	if (strcmp(r->method, "POST") == 0 && confirm != NULL) {
		if (!header_origin_ok(req_header(r, "Origin"), req_header(r, "Referer"),
		    req_header(r, "Host"), r->https, config_str("Service.BaseURL"))) {
			log_warn("oidc logout: POST refused: foreign Origin/Referer");
			rc = req_error(r, 403, "Origin");
			goto out;
		}
		if (!session_csrf_check(r)) {
			log_warn("oidc logout: POST refused: missing or wrong CSRF token");
			rc = req_error(r, 403, "CSRF");
			goto out;
		}
		/* As /logout does (src/pages/logout.c). */
		id = r->sess->account_id;
		if ((st = session_remember_clear(r)) < 0 || (st = session_end(r)) < 0) {
			rc = req_db_error(r, st);
			goto out;
		}
		if (id > 0)
			audit(r, "logout.oidc", id);
		signup_card_clear(r);
		/* The pipeline marked the page as a member's before the session
		 * ended here: the done page must not show the member menu (its
		 * ログアウト button would then say she is still logged in). */
		if ((err = hdf_remove_tree(r->hdf, "Page.LoggedIn")) != STATUS_OK)
			nerr_ignore(&err);
		rc = finish(r, uri, state);
		goto out;
	}
	/* Ask her first: a link from anywhere must not end her session. */
	r->template = "oidc_logout";
	service_texts(r);
	req_set(r, "OidcLogout.Confirm", "1");
	if (have_client) {
		req_set(r, "OidcLogout.ClientName", c.name);
		req_set(r, "OidcLogout.ClientId", c.client_id);
	}
	if (uri != NULL) {
		req_set(r, "OidcLogout.Uri", uri);
		/* The confirmation's POST ends in a redirect to the client: the
		 * CSP's form-action must allow its origin (Chromium applies it
		 * to the redirect after the form too). */
		free(r->form_action);
		r->form_action = oidc_authz_origin(uri);
	}
	if (state != NULL)
		req_set(r, "OidcLogout.State", state);
	rc = 200;
out:
	oidc_client_free(&c);
	free(aud);
	return rc;
}
