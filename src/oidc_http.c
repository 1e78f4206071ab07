/*
 * oidc_http.c — JSON responses of the OpenID provider's endpoints (oidc_http.h).
 */
#include "autoconf.h"
#include "oidc_http.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "oidc_keys.h"
#include "request.h"
#include "util.h"

int
oidc_http_json(struct req *r, int status, json_t *o, int nostore)
{
	char	*s;

	s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (s == NULL) {
		log_err("oidc: cannot serialise a JSON response");
		s = xstrdup("{\"error\":\"server_error\"}");
		status = 500;
	}
	buf_puts(&r->body, s);
	buf_puts(&r->body, "\n");
	free(s);
	r->content_type = "application/json";
	r->raw_status = status;
	if (nostore) {
		r->nostore = 1;
		req_add_header(r, "Pragma", "no-cache");
	}
	return REQ_RAW;
}

int
oidc_http_error(struct req *r, int status, const char *code, const char *desc)
{
	json_t	*o = json_pack("{s:s}", "error", code);

	if (o != NULL && desc != NULL)
		json_object_set_new(o, "error_description", json_string(desc));
	return oidc_http_json(r, status, o, 1);
}

char *
oidc_http_issuer(void)
{
	char	*s = xstrdup(config_str("Service.BaseURL"));
	size_t	 n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

int
oidc_http_fail(struct req *r, int status)
{
	if (status == OIDC_KEYS_NOVAULT) {
		r->retry_after = 300;
		req_add_header(r, "Retry-After", "300");
		return oidc_http_error(r, 503, "temporarily_unavailable",
		    "the provider cannot sign ID tokens (no signing key configured)");
	}
	if (status == DB_DOWN)
		return oidc_http_error(r, 503, "temporarily_unavailable", NULL);
	return oidc_http_error(r, 500, "server_error", NULL);
}
