/*
 * GET, POST /account/services — 連携中のサービス: the services (OpenID Connect
 * clients) the member has allowed to know her (oidc_consents), each with
 * what it receives, since when, when it last asked, and 連携を解除.
 *
 * Outcomes:
 *   - GET: the list (none: a line saying so), newest first, at most 100;
 *     ?done=revoked says the last one went;
 *   - POST client=<client_id> (CSRF and Origin checked by request.c): in one
 *     transaction her consent to that client is deleted, every access
 *     token of the pair revoked (oidc_tokens.revoked_at) and every code of
 *     the pair not yet redeemed deleted (it would still give a token), audited
 *     oidc.revoke; 303 → /account/services?done=revoked. The service asks
 *     for her consent again next time;
 *   - POST for a client she has no consent with: 303 to the list, logged
 *     (a second click, another tab), nothing changed.
 * Returns 200, 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "oidc_authz.h"
#include "request.h"
#include "router.h"
#include "session.h"

#define SERVICES_MAX	100

struct revoke {
	struct req	*r;
	long long	 account_id;
	const char	*client_id;
	int		 found;		/* out */
};

static int
revoke_txn(void *arg)
{
	struct revoke	*v = arg;
	char		*row[1] = { NULL };
	long long	 client, n, tokens;
	int		 st;

	v->found = 0;
	if ((st = db_row(row, 1, "SELECT k.client FROM oidc_consents k"
	    " JOIN oidc_clients c ON c.id = k.client"
	    " WHERE k.account_id = ? AND c.client_id = ? FOR UPDATE", "is",
	    v->account_id, v->client_id)) <= 0)
		return st;
	client = row[0] != NULL ? strtoll(row[0], NULL, 10) : 0;
	free(row[0]);
	if ((n = db_exec("DELETE FROM oidc_consents WHERE account_id = ? AND"
	    " client = ?", "ii", v->account_id, client)) < 0)
		return (int)n;
	if ((n = db_exec("UPDATE oidc_tokens SET revoked_at = NOW(6) WHERE"
	    " account_id = ? AND client = ? AND revoked_at IS NULL", "ii",
	    v->account_id, client)) < 0)
		return (int)n;
	tokens = n;
	/* A code issued a moment ago and not redeemed yet would still give
	 * the service a token after she said no. */
	if ((n = db_exec("DELETE FROM oidc_codes WHERE account_id = ? AND"
	    " client = ? AND used_at IS NULL", "ii", v->account_id, client)) < 0)
		return (int)n;
	log_info("oidc: account %lld revoked client %lld (%lld tokens, %lld"
	    " codes)", v->account_id, client, tokens, n);
	if ((n = audit_open(v->r, "oidc.revoke", v->account_id)) < 0)
		return (int)n;
	v->found = 1;
	return 0;
}

static int
list(struct req *r)
{
	struct db_res	*res = NULL;
	char		 key[64];
	int		 st, n = 0;

	st = db_query(&res, "SELECT c.client_id, c.name, k.scope,"
	    " DATE_FORMAT(k.created_at + INTERVAL 9 HOUR, '%Y-%m-%d'),"
	    " DATE_FORMAT(k.last_used_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')"
	    " FROM oidc_consents k JOIN oidc_clients c ON c.id = k.client"
	    " WHERE k.account_id = ? AND c.deleted_at IS NULL"
	    " ORDER BY k.created_at DESC, c.id DESC LIMIT ?", "ii",
	    r->sess->account_id, (long long)SERVICES_MAX);
	if (st < 0)
		return req_db_error(r, st);
	while ((st = db_res_next(res)) == 1) {
		snprintf(key, sizeof(key), "Services.%d.ClientId", n);
		req_set(r, key, db_res_str(res, 0));
		snprintf(key, sizeof(key), "Services.%d.Name", n);
		req_set(r, key, db_res_str(res, 1));
		snprintf(key, sizeof(key), "Services.%d.Items", n);
		oidc_authz_scope_list(r, db_res_str(res, 2), key);
		snprintf(key, sizeof(key), "Services.%d.Since", n);
		req_set(r, key, db_res_str(res, 3));
		if (db_res_str(res, 4) != NULL) {
			snprintf(key, sizeof(key), "Services.%d.LastUsed", n);
			req_set(r, key, db_res_str(res, 4));
		}
		n++;
	}
	db_res_free(res);
	if (st < 0)
		return req_db_error(r, st);
	req_set_int(r, "Services.Count", n);
	r->template = "account_services";
	if (req_param(r, "done") != NULL &&
	    strcmp(req_param(r, "done"), "revoked") == 0)
		req_set(r, "Services.Done", req_text(r, "OIDC.Services.Revoked"));
	return 200;
}

int
page_account_services(struct req *r)
{
	struct revoke	 v;
	const char	*cid;
	int		 st;

	if (strcmp(r->method, "POST") != 0)
		return list(r);
	if ((cid = req_param(r, "client")) == NULL || cid[0] == '\0' ||
	    strlen(cid) > 64) {
		log_info("oidc: revoke without a client");
		return req_redirect(r, "/account/services");
	}
	memset(&v, 0, sizeof(v));
	v.r = r;
	v.account_id = r->sess->account_id;
	v.client_id = cid;
	if ((st = db_txn(revoke_txn, &v)) < 0)
		return req_db_error(r, st);
	if (!v.found) {
		log_info("oidc: revoke of a service not connected");
		return req_redirect(r, "/account/services");
	}
	return req_redirect(r, "/account/services?done=revoked");
}
