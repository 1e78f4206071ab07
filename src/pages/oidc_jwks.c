/*
 * GET /oidc/jwks — the public signing keys (RFC 7517 JWK Set): the current
 * key, the next one (published before it signs, so a relying party's cached
 * set already has it) and the retired ones whose ID tokens may still be
 * valid (oidc_keys.h). Missing keys are created here first when the vault is
 * ready.
 *
 * Outcomes:
 *   200  {"keys": […]}, public parts only
 *   503  {"error": "temporarily_unavailable"}: no key at all and none can be
 *        made (no Verify.MasterKey), or the database is down
 *   500  {"error": "server_error"}
 */
#include "autoconf.h"

#include <stdlib.h>

#include <jansson.h>

#include "jose.h"
#include "log.h"
#include "oidc_http.h"
#include "oidc_keys.h"
#include "request.h"
#include "router.h"

int
page_oidc_jwks(struct req *r)
{
	struct jose_key	*keys = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	int		 st;

	if ((st = oidc_keys_published(&keys, &n)) != 0)
		return oidc_http_fail(r, st);
	if (n == 0) {
		free(keys);
		log_err("oidc: no signing key to publish (Verify.MasterKey not set,"
		    " or see the lines above)");
		return oidc_http_fail(r, OIDC_KEYS_NOVAULT);
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, jose_jwk(&keys[i]));
	free(keys);
	req_add_header(r, "Access-Control-Allow-Origin", "*");
	/* Five minutes of caching is safe across a rotation: the next key is
	 * published before it signs, and a retired one until its tokens expire. */
	r->public_max_age = 300;
	return oidc_http_json(r, 200, json_pack("{s:o}", "keys", arr), 0);
}
