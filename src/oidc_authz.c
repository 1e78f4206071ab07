/*
 * oidc_authz.c — the authorization endpoint's flow (oidc_authz.h).
 */
#include "autoconf.h"
#include "oidc_authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "oidc_acr.h"
#include "request.h"
#include "session.h"
#include "terms.h"
#include "util.h"

void
oidc_authz_free(struct oidc_authz *a)
{
	if (a == NULL)
		return;
	oidc_client_free(&a->client);
	free(a->redirect_uri);
	free(a->scope);
	free(a->state);
	free(a->nonce);
	free(a->code_challenge);
	memset(a, 0, sizeof(*a));
}

/* ---- storage (oidc_requests) ---- */

/* Expired requests go an hour after they expired, now and then. */
static void
prune_now_and_then(void)
{
	if (crypto_random_uniform(50) != 0)
		return;
	if (db_exec("DELETE FROM oidc_requests WHERE expires_at <"
	    " NOW(6) - INTERVAL 1 HOUR LIMIT 200", "") < 0)
		log_warn("oidc: old authorization requests not pruned");
}

int
oidc_authz_store(struct oidc_authz *a)
{
	unsigned char	 raw[32];
	char		 hash[65], *js = NULL;
	json_t		*o;
	long long	 n;

	crypto_random(raw, sizeof(raw));
	util_hex(raw, sizeof(raw), a->handle);
	util_wipe(raw, sizeof(raw));
	crypto_sha256_hex(a->handle, hash);
	o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:i, s:I, s:i, s:s?}",
	    "redirect_uri", a->redirect_uri, "scope", a->scope,
	    "state", a->state, "nonce", a->nonce,
	    "code_challenge", a->code_challenge, "prompt", a->prompt,
	    "max_age", (json_int_t)a->max_age, "essential", a->essential,
	    "browser", a->browser[0] != '\0' ? a->browser : NULL);
	if (o == NULL || (js = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		log_err("oidc: could not encode an authorization request");
		return DB_ERR;
	}
	json_decref(o);
	prune_now_and_then();
	n = db_exec("INSERT INTO oidc_requests (handle_hash, client, params,"
	    " expires_at) VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND)", "sisi",
	    hash, a->client.id, js, config_int("OIDC.RequestSeconds"));
	free(js);
	if (n < 0)
		return (int)n;
	a->id = db_last_id();
	a->since = (long long)time(NULL);
	return 0;
}

/* A copy of the string member key of o, or NULL. */
static char *
json_dup(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int
handle_ok(const char *h)
{
	return h != NULL && strlen(h) == OIDC_HANDLE_LEN &&
	    strspn(h, "0123456789abcdef") == OIDC_HANDLE_LEN;
}

int
oidc_authz_load(const char *handle, struct oidc_authz *a)
{
	struct db_res	*res = NULL;
	json_t		*o = NULL;
	json_error_t	 jerr;
	char		 hash[65], *client_id = NULL;
	const char	*p;
	int		 st;

	memset(a, 0, sizeof(*a));
	a->max_age = -1;
	if (!handle_ok(handle)) {
		log_info("oidc: malformed authorization request handle");
		return 0;
	}
	crypto_sha256_hex(handle, hash);
	st = db_query(&res, "SELECT q.id, c.client_id, q.params,"
	    " UNIX_TIMESTAMP(q.created_at) FROM oidc_requests q"
	    " JOIN oidc_clients c ON c.id = q.client"
	    " WHERE q.handle_hash = ? AND q.used_at IS NULL"
	    " AND q.expires_at > NOW(6) AND c.deleted_at IS NULL", "s", hash);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0) {
		if (st == 0)
			log_info("oidc: authorization request unknown, answered"
			    " or expired");
		goto out;
	}
	a->id = db_res_int(res, 0);
	client_id = xstrdup(db_res_str(res, 1));
	p = db_res_str(res, 2);
	a->since = db_res_int(res, 3);
	if (p == NULL || (o = json_loads(p, 0, &jerr)) == NULL ||
	    !json_is_object(o)) {
		log_err("oidc: stored authorization request %lld unreadable", a->id);
		st = DB_ERR;
		goto out;
	}
	memcpy(a->handle, handle, sizeof(a->handle));
	a->redirect_uri = json_dup(o, "redirect_uri");
	a->scope = json_dup(o, "scope");
	a->state = json_dup(o, "state");
	a->nonce = json_dup(o, "nonce");
	a->code_challenge = json_dup(o, "code_challenge");
	a->prompt = (int)json_integer_value(json_object_get(o, "prompt"));
	a->max_age = (long long)json_integer_value(json_object_get(o, "max_age"));
	a->essential = (int)json_integer_value(json_object_get(o, "essential"));
	if ((p = json_string_value(json_object_get(o, "browser"))) != NULL &&
	    strlen(p) == 64)
		memcpy(a->browser, p, sizeof(a->browser));
	if (a->redirect_uri == NULL || a->scope == NULL) {
		log_err("oidc: stored authorization request %lld incomplete", a->id);
		st = DB_ERR;
		goto out;
	}
	db_res_free(res);
	res = NULL;
	if ((st = oidc_client_load(client_id, &a->client)) < 0)
		goto out;
	if (st == 0)
		log_info("oidc: the client of a stored request has gone");
 out:
	db_res_free(res);
	json_decref(o);
	free(client_id);
	if (st != 1) {
		oidc_authz_free(a);
		a->max_age = -1;
	}
	return st;
}

/* ---- the browser ---- */

/* The request's cookie OIDC_BROWSER_COOKIE when it is well formed, or NULL. */
static const char *
browser_cookie(struct req *r)
{
	const char	*c = req_get_cookie(r, OIDC_BROWSER_COOKIE);

	if (c == NULL || strlen(c) != CRYPTO_TOKEN_LEN || strspn(c,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
	    CRYPTO_TOKEN_LEN)
		return NULL;
	return c;
}

void
oidc_authz_bind(struct req *r, struct oidc_authz *a)
{
	const char	*c = browser_cookie(r);
	char		 tok[CRYPTO_TOKEN_LEN + 1];

	if (c != NULL) {
		crypto_sha256_hex(c, a->browser);
		return;
	}
	/* A browser session's cookie: the flows of its other tabs share it. */
	crypto_token(tok);
	crypto_sha256_hex(tok, a->browser);
	req_set_cookie(r, OIDC_BROWSER_COOKIE, tok, -1);
	util_wipe(tok, sizeof(tok));
}

int
oidc_authz_browser_ok(struct req *r, const struct oidc_authz *a)
{
	const char	*c;
	char		 h[65];

	if (a->browser[0] == '\0')
		return 1;	/* stored before requests were bound */
	if ((c = browser_cookie(r)) != NULL) {
		crypto_sha256_hex(c, h);
		if (crypto_streq(h, a->browser))
			return 1;
	}
	log_warn("oidc: authorization request %lld continued from another"
	    " browser than the one it was begun in: refused", a->id);
	return 0;
}

/* ---- answers to the client ---- */

/* s percent-encoded (RFC 3986 unreserved kept) onto b. */
static void
url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char		 e[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_append(b, p, 1);
		else {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 15];
			buf_append(b, e, 3);
		}
	}
}

static void
add_param(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_puts(b, "&");
	buf_puts(b, name);
	buf_puts(b, "=");
	url_encode(b, value);
}

/*
 * The redirect to a's redirect_uri with first=value (code or error) and the
 * others, then state and iss. 303.
 */
static int
to_client(struct req *r, const struct oidc_authz *a, const char *first,
    const char *value, const char *name2, const char *value2)
{
	struct buf	 b;
	char		*iss = config_url("");	/* Service.BaseURL without a '/' */
	int		 st;

	memset(&b, 0, sizeof(b));
	buf_puts(&b, a->redirect_uri);
	buf_puts(&b, strchr(a->redirect_uri, '?') != NULL ? "&" : "?");
	buf_puts(&b, first);
	buf_puts(&b, "=");
	url_encode(&b, value);
	add_param(&b, name2, value2);
	add_param(&b, "state", a->state);
	add_param(&b, "iss", iss);
	buf_append(&b, "", 1);
	st = req_redirect_client(r, b.data);
	buf_free(&b);
	free(iss);
	return st;
}

int
oidc_authz_gone(struct req *r)
{
	log_info("oidc: refused: the authorization request is gone");
	r->template = NULL;
	return req_error(r, 400, "OIDCGone");
}

int
oidc_authz_error(struct req *r, struct oidc_authz *a, const char *error,
    const char *description)
{
	long long	 n;

	log_info("oidc: authorize error %s to client %s%s%s", error,
	    a->client.client_id, description != NULL ? ": " : "",
	    description != NULL ? description : "");
	if (a->id > 0) {
		n = db_exec("UPDATE oidc_requests SET used_at = NOW(6)"
		    " WHERE id = ? AND used_at IS NULL", "i", a->id);
		if (n < 0)
			return req_db_error(r, (int)n);
		if (n == 0)
			return oidc_authz_gone(r);
	}
	audit(r, "oidc.authorize_error", r->sess != NULL ?
	    r->sess->account_id : 0);
	return to_client(r, a, "error", error, "error_description", description);
}

/* ---- pages on the way ---- */

char *
oidc_authz_origin(const char *uri)
{
	const char	*p, *e;

	if (uri == NULL || (p = strstr(uri, "://")) == NULL)
		return NULL;
	p += 3;
	e = p + strcspn(p, "/?#");
	if (e == p)
		return NULL;
	/* Only characters a CSP source may hold. */
	if (strspn(uri, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:/[]") < (size_t)(e - uri))
		return NULL;
	return xstrndup(uri, (size_t)(e - uri));
}

void
oidc_authz_next_page(struct req *r, const char *next)
{
	struct oidc_authz a;
	size_t		 n = strlen(OIDC_RESUME_PREFIX);

	if (next == NULL || strncmp(next, OIDC_RESUME_PREFIX, n) != 0 ||
	    !handle_ok(next + n))
		return;
	/* Only a request of this browser: a link with another's next must
	 * neither name a service on her page nor widen its CSP. */
	if (oidc_authz_load(next + n, &a) == 1 && oidc_authz_browser_ok(r, &a)) {
		if (r->form_action == NULL)
			r->form_action = oidc_authz_origin(a.redirect_uri);
		req_set(r, "OIDC.Via.Client", a.client.name);
		req_set(r, "OIDC.Via.Handle", a.handle);
	}
	oidc_authz_free(&a);
}

static const char *const scope_names[] = { "openid", "email", "profile", "kenpo" };

/* 1 when word is one of the space-separated words of list. */
static int
has_word(const char *list, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p;

	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

void
oidc_authz_scope_list(struct req *r, const char *scope, const char *prefix)
{
	char		 key[96], tkey[64];
	size_t		 i;
	int		 n = 0;

	/* openid: the identifier only it uses, always. */
	for (i = 0; i < sizeof(scope_names) / sizeof(scope_names[0]); i++) {
		if (i > 0 && !has_word(scope, scope_names[i]))
			continue;
		snprintf(key, sizeof(key), "%s.%d", prefix, n++);
		snprintf(tkey, sizeof(tkey), "OIDC.Scope.%s", scope_names[i]);
		req_set(r, key, req_text(r, tkey));
	}
}

/* The resume path of a. */
static void
resume_path(const struct oidc_authz *a, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", OIDC_RESUME_PREFIX, a->handle);
}

/* The common data of the pages of a request. */
static void
page_data(struct req *r, const struct oidc_authz *a)
{
	req_set(r, "OIDC.Handle", a->handle);
	req_set(r, "OIDC.Client", a->client.name);
	free(r->form_action);
	r->form_action = oidc_authz_origin(a->redirect_uri);
}

/* The page of a level she does not have (200). */
static int
unmet_page(struct req *r, struct oidc_authz *a, int required, int level,
    int locked, int unaffiliated)
{
	char	 key[48];

	log_info("oidc: client %s needs level %d, the member has %d%s: the"
	    " page that says how", a->client.client_id, required, level,
	    locked ? " (question locked)" : unaffiliated ? " (未所属)" : "");
	audit(r, "oidc.unmet", r->sess->account_id);
	page_data(r, a);
	r->template = "oidc_unmet";
	snprintf(key, sizeof(key), "OIDC.Level.%d", required);
	req_set(r, "OIDC.Need", req_text(r, key));
	req_set_int(r, "OIDC.NeedLevel", required);
	snprintf(key, sizeof(key), "OIDC.Level.%d", level);
	req_set(r, "OIDC.Have", req_text(r, key));
	req_set_int(r, "OIDC.HaveLevel", level);
	if (locked)
		req_set(r, "OIDC.Locked", "1");
	if (unaffiliated)
		req_set(r, "OIDC.Unaffiliated", "1");
	return 200;
}

/* The consent page (200). */
static int
consent_page(struct req *r, struct oidc_authz *a)
{
	log_info("oidc: consent asked for client %s", a->client.client_id);
	page_data(r, a);
	r->template = "oidc_consent";
	oidc_authz_scope_list(r, a->scope, "OIDC.Items");
	return 200;
}

/*
 * Whether m must consent to a now: 1 (no consent, or scopes beyond it), 0,
 * or a db_status.
 */
static int
consent_needed(const struct oidc_authz *a, long long account_id)
{
	char		*row[1] = { NULL };
	const char	*p;
	char		 w[16];
	size_t		 n;
	int		 st;

	if ((st = db_row(row, 1, "SELECT scope FROM oidc_consents WHERE"
	    " account_id = ? AND client = ?", "ii", account_id,
	    a->client.id)) <= 0)
		return st < 0 ? st : 1;
	st = 0;
	for (p = a->scope; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 0 || n >= sizeof(w))
			continue;
		memcpy(w, p, n);
		w[n] = '\0';
		if (row[0] == NULL || !has_word(row[0], w))
			st = 1;
	}
	free(row[0]);
	return st;
}

struct issue {
	struct req	*r;
	struct oidc_authz *a;
	const char	*code_hash;
	const char	*acr;
	int		 consented;
	int		 gone;		/* out */
};

/* The union of the consented scopes and a's, into out. */
static void
scope_union(const char *old, const char *add, char *out, size_t cap)
{
	size_t	 i;

	out[0] = '\0';
	for (i = 0; i < sizeof(scope_names) / sizeof(scope_names[0]); i++)
		if ((old != NULL && has_word(old, scope_names[i])) ||
		    has_word(add, scope_names[i]))
			snprintf(out + strlen(out), cap - strlen(out), "%s%s",
			    out[0] != '\0' ? " " : "", scope_names[i]);
}

static int
issue_txn(void *arg)
{
	struct issue	*is = arg;
	struct req	*r = is->r;
	struct oidc_authz *a = is->a;
	struct session	*s = r->sess;
	char		*row[1] = { NULL }, scope[200];
	long long	 n;
	int		 st;

	is->gone = 0;
	if ((n = db_exec("UPDATE oidc_requests SET used_at = NOW(6) WHERE id = ?"
	    " AND used_at IS NULL AND expires_at > NOW(6)", "i", a->id)) < 0)
		return (int)n;
	if (n == 0) {
		is->gone = 1;
		return 0;
	}
	n = db_exec("INSERT INTO oidc_codes (code_hash, client, account_id,"
	    " redirect_uri, scope, nonce, code_challenge, acr, amr, auth_time,"
	    " session_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " FROM_UNIXTIME(?), ?, NOW(6) + INTERVAL ? SECOND)", "siissssssisi",
	    is->code_hash, a->client.id, s->account_id, a->redirect_uri,
	    a->scope, a->nonce, a->code_challenge, is->acr, s->amr,
	    s->auth_time, s->id_hash, config_int("OIDC.CodeSeconds"));
	if (n < 0)
		return (int)n;
	if (is->consented) {
		if ((st = db_row(row, 1, "SELECT scope FROM oidc_consents WHERE"
		    " account_id = ? AND client = ? FOR UPDATE", "ii",
		    s->account_id, a->client.id)) < 0)
			return st;
		scope_union(row[0], a->scope, scope, sizeof(scope));
		free(row[0]);
		n = db_exec("INSERT INTO oidc_consents (account_id, client, scope,"
		    " last_used_at) VALUES (?, ?, ?, NOW(6)) ON DUPLICATE KEY"
		    " UPDATE scope = VALUES(scope), updated_at = NOW(6),"
		    " last_used_at = NOW(6)", "iis", s->account_id, a->client.id,
		    scope);
		if (n < 0)
			return (int)n;
		if ((n = audit_open(r, "oidc.consent", s->account_id)) < 0)
			return (int)n;
	} else if ((n = db_exec("UPDATE oidc_consents SET last_used_at = NOW(6)"
	    " WHERE account_id = ? AND client = ?", "ii", s->account_id,
	    a->client.id)) < 0)
		return (int)n;
	if ((n = audit_open(r, "oidc.code", s->account_id)) < 0)
		return (int)n;
	return 0;
}

/* A code for a at acr level, and the redirect with it. 303 or an error. */
static int
issue(struct req *r, struct oidc_authz *a, int level, int consented)
{
	struct issue	 is;
	char		 code[CRYPTO_TOKEN_LEN + 1], hash[65];
	int		 st;

	crypto_token(code);
	crypto_sha256_hex(code, hash);
	memset(&is, 0, sizeof(is));
	is.r = r;
	is.a = a;
	is.code_hash = hash;
	is.acr = oidc_acr_name(level);
	is.consented = consented;
	if ((st = db_txn(issue_txn, &is)) < 0) {
		util_wipe(code, sizeof(code));
		return req_db_error(r, st);
	}
	if (is.gone) {
		util_wipe(code, sizeof(code));
		return oidc_authz_gone(r);
	}
	log_info("oidc: code issued to client %s (acr %s, amr \"%s\")",
	    a->client.client_id, is.acr, r->sess->amr);
	st = to_client(r, a, "code", code, NULL, NULL);
	util_wipe(code, sizeof(code));
	return st;
}

int
oidc_authz_continue(struct req *r, struct oidc_authz *a, int consented)
{
	struct oidc_acr_ctx ctx;
	struct oidc_acr_req q;
	struct member	 m;
	char		 next[128];
	const char	*state = r->sess != NULL ? r->sess->state : NULL;
	int		 none = (a->prompt & OIDC_PROMPT_NONE) != 0;
	int		 st, level, required = 0, granted = 0, loaded = 0;
	long long	 due;

	memset(&m, 0, sizeof(m));
	resume_path(a, next, sizeof(next));
	/* A member's session, as /login gives it. */
	if (state == NULL || strcmp(state, "withdrawn") == 0 ||
	    strcmp(state, "closed") == 0) {
		if (none)
			return oidc_authz_error(r, a, "login_required", NULL);
		log_info("oidc: no member session: to the login");
		return req_redirect(r, "/login?next=%s", next);
	}
	if (strcmp(state, "active") != 0) {
		if (none)
			return oidc_authz_error(r, a, "login_required",
			    "signup not finished");
		log_info("oidc: account %lld (%s) is sent on through signup",
		    r->sess->account_id, state);
		return req_redirect(r, "%s", strcmp(state, "pending") == 0 ?
		    "/signup/sent" : "/signup/eligibility");
	}
	if ((due = terms_due(r->sess->account_id)) < 0)
		return req_db_error(r, (int)due);
	if (due > 0) {
		if (none)
			return oidc_authz_error(r, a, "interaction_required",
			    "terms to accept");
		log_info("oidc: terms due first");
		return req_redirect(r, "/consent?next=%s", next);
	}
	if ((st = member_load(r, &m)) < 0)
		return req_db_error(r, st);
	if (st == 0) {
		if (none)
			return oidc_authz_error(r, a, "login_required", NULL);
		return req_redirect(r, "/login?next=%s", next);
	}
	loaded = 1;
	level = m.unaffiliated ? 0 : m.level;
	if ((st = oidc_acr_context(r, level, &ctx)) < 0) {
		st = req_db_error(r, st);
		goto out;
	}
	memset(&q, 0, sizeof(q));
	q.min_level = a->client.min_level;
	q.essential = a->essential;
	q.max_age = a->max_age;
	q.force_login = (a->prompt & OIDC_PROMPT_LOGIN) != 0;
	q.since = a->since;
	switch (oidc_acr_decide(&ctx, &q, &required, &granted)) {
	case OIDC_ACR_UNMET:
		if (none || required > 3) {
			st = oidc_authz_error(r, a,
			    "unmet_authentication_requirements",
			    required > 3 ? "no such acr" : NULL);
			break;
		}
		st = unmet_page(r, a, required, level,
		    level >= 3 && !ctx.kba_usable, m.unaffiliated);
		break;
	case OIDC_ACR_REAUTH:
		if (none) {
			st = oidc_authz_error(r, a, "login_required", NULL);
			break;
		}
		log_info("oidc: a fresh password is needed");
		st = req_redirect(r, "/oidc/reauth?r=%s", a->handle);
		break;
	case OIDC_ACR_STEPUP:
		if (none) {
			st = oidc_authz_error(r, a, "interaction_required",
			    "step-up needed");
			break;
		}
		log_info("oidc: the step-up is needed");
		st = req_redirect(r, "/sensitive/stepup?next=%s", next);
		break;
	default:
		if (!consented) {
			st = (a->prompt & OIDC_PROMPT_CONSENT) ? 1 :
			    consent_needed(a, m.id);
			if (st < 0) {
				st = req_db_error(r, st);
				break;
			}
			if (st == 1 && none) {
				st = oidc_authz_error(r, a, "consent_required",
				    NULL);
				break;
			}
			if (st == 1) {
				st = consent_page(r, a);
				break;
			}
		}
		st = issue(r, a, granted, consented);
	}
 out:
	if (loaded)
		member_free(&m);
	return st;
}
