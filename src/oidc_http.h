/*
 * oidc_http.h — what the OpenID provider's machine endpoints (discovery,
 * JWKS, token, userinfo: src/pages/oidc_*.c) share: JSON responses and the
 * OAuth error object (RFC 6749 §5.2), the issuer, and the 503 of a provider
 * that cannot sign (no Verify.MasterKey: oidc_keys.h).
 */
#ifndef KENPO_OIDC_HTTP_H
#define KENPO_OIDC_HTTP_H

#include <jansson.h>

struct req;

/* Send o (a JSON value; its reference is taken) with status as the handler's
 * REQ_RAW response, application/json, Cache-Control: no-store when nostore.
 * Returns REQ_RAW (500 when o cannot be serialised). */
int	 oidc_http_json(struct req *, int status, json_t *o, int nostore);
/*
 * {"error": code, "error_description": desc} with status (no-store). desc is
 * ours, never the request's text. Returns REQ_RAW.
 */
int	 oidc_http_error(struct req *, int status, const char *code, const char *desc);
/* The issuer: Service.BaseURL without a trailing '/'. malloc'd. */
char	*oidc_http_issuer(void);
/* After a db_status or an OIDC_KEYS_* failure: the JSON 500/503. */
int	 oidc_http_fail(struct req *, int status);

#endif
