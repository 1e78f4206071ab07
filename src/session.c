/*
 * session.c — server-side sessions and CSRF tokens.
 *
 * The cookie "sid" holds 32 random bytes (base64url); the sessions table keys the
 * row by their SHA-256, so a leaked table or backup opens no session. A session
 * expires after Session.IdleMinutes without a request and Session.AbsoluteHours
 * after login, whichever comes first. All time arithmetic is done by the database
 * (NOW(6) against TIMESTAMP columns), so workers on several hosts agree.
 *
 * CSRF tokens are HMAC-SHA256(Security.Secret, "csrf|" + binding), base64url. The
 * binding is the session's random csrf_secret, or, before there is a session, the
 * random value of the cookie "pre" (set on first need; nothing is stored).
 *
 * Remember-me ("次回から自動的にログインする") is a selector/validator pair in the
 * persistent cookie "remember" = selector ":" validator. The tokens row (purpose
 * remember) keeps the public selector and SHA-256 of the validator, never the
 * validator. When a GET arrives without a valid session but with a remember
 * cookie, session_load starts a new session from it and rotates the pair: the old
 * row is marked superseded (kept until it expires, as theft evidence) and a new
 * row with a new selector and validator takes over the same expiry, so remember-me
 * lasts Session.RememberDays from the login where it was ticked, not forever.
 * Theft detection: a known selector with a wrong validator, or a superseded pair
 * presented after the grace period, means two browsers hold copies of one token:
 * every remember token and every session of the account is ended. The grace period
 * (REMEMBER_GRACE seconds) lets the parallel requests of a just-restarted browser,
 * which all carry the old cookie, through without a false alarm.
 */
#include "autoconf.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "login_history.h"
#include "request.h"
#include "util.h"

#define SID_COOKIE	"sid"
#define PRE_COOKIE	"pre"
#define REMEMBER_COOKIE	"remember"
#define SELECTOR_BYTES	18	/* base64url: 24 characters (tokens.selector) */
#define SELECTOR_LEN	24
#define REMEMBER_GRACE	60	/* seconds a rotated-out pair still opens a session */

/*
 * The "pre" value chosen during the current request, when the browser sent none:
 * later calls in the same request must use the cookie just set, not create another.
 * Keyed by the request's address and id so a value never leaks into the next
 * request (one request per process at a time).
 */
static struct {
	const struct req *r;
	char		 reqid[sizeof(((struct req *)0)->id)];
	char		 value[CRYPTO_TOKEN_LEN + 1];
} pre_memo;

/* The token returned by session_csrf_token (valid until its next call). */
static char	 csrf_buf[CRYPTO_TOKEN_LEN + 1];

/* 1 if s looks like one of our tokens: 43 base64url characters, 32 bytes. */
static int
token_valid(const char *s)
{
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];
	long		 n;

	if (s == NULL || strlen(s) != CRYPTO_TOKEN_LEN)
		return 0;
	n = crypto_b64url_decode(s, raw, sizeof(raw));
	util_wipe(raw, sizeof(raw));
	return n == CRYPTO_TOKEN_BYTES;
}

/* SHA-256 hex of the request's well-formed "sid" cookie into out; 0, or -1 if none. */
static int
cookie_hash(struct req *r, char out[65])
{
	const char	*sid = req_get_cookie(r, SID_COOKIE);

	if (!token_valid(sid))
		return -1;
	crypto_sha256_hex(sid, out);
	return 0;
}

/* Keep the template's CSRF token in step when the binding changes mid-request. */
static void
csrf_republish(struct req *r)
{
	if (r->hdf != NULL && hdf_get_value(r->hdf, "Page.CSRF", NULL) != NULL)
		req_set(r, "Page.CSRF", session_csrf_token(r));
}

static int	remember_hook(struct req *);
static int	remember_parse(const char *, char *, char *);
static void	remember_new_pair(char *, char *, char *);
static void	remember_cookie(struct req *, const char *, const char *, long);

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	free(s->state);
	util_free_secret(s->csrf_secret);
	free(s);
}

/*
 * Find the session of the request's "sid" cookie. A missing, malformed, unknown or
 * expired one leaves r->sess NULL (an unknown or expired one also has its cookie
 * cleared and its row, if any, deleted). The idle expiry moves forward at most once
 * a minute, so a busy member causes one write a minute, not one per request.
 * Returns 0 or a db_status.
 */
int
session_load(struct req *r)
{
	struct db_res	*res = NULL;
	struct session	*s = NULL;
	char		 hash[65];
	long long	 idle = config_int("Session.IdleMinutes");
	int		 st, stale;

	session_free(r->sess);
	r->sess = NULL;
	if (cookie_hash(r, hash) != 0)
		return remember_hook(r);

	st = db_query(&res,
	    "SELECT s.account_id, a.state, a.level, s.csrf_secret,"
	    " s.idle_expires_at < NOW(6) + INTERVAL ? MINUTE - INTERVAL 1 MINUTE,"
	    " s.login_id, UNIX_TIMESTAMP(s.auth_time), s.amr,"
	    " UNIX_TIMESTAMP(s.stepup_at)"
	    " FROM sessions s JOIN accounts a ON a.id = s.account_id"
	    " WHERE s.id_hash = ? AND s.idle_expires_at > NOW(6)"
	    " AND s.absolute_expires_at > NOW(6)",
	    "is", idle, hash);
	if (st != 0)
		return st;
	if ((st = db_res_next(res)) < 0)
		goto out;
	if (st == 0) {
		/* Expired or unknown: forget it on both sides. */
		db_res_free(res);
		res = NULL;
		req_set_cookie(r, SID_COOKIE, "", 0);
		st = (int)db_exec("DELETE FROM sessions WHERE id_hash = ?", "s",
		    hash);
		return st < 0 ? st : remember_hook(r);
	}
	if (db_res_isnull(res, 1) || db_res_isnull(res, 3)) {
		st = DB_ERR;
		goto out;
	}
	s = xcalloc(1, sizeof(*s));
	s->account_id = db_res_int(res, 0);
	s->state = xstrdup(db_res_str(res, 1));
	s->level = (int)db_res_int(res, 2);
	s->csrf_secret = xstrdup(db_res_str(res, 3));
	memcpy(s->id_hash, hash, sizeof(s->id_hash));
	stale = db_res_int(res, 4) != 0;
	s->login_id = db_res_int(res, 5);
	s->auth_time = db_res_int(res, 6);
	if (!db_res_isnull(res, 7))
		snprintf(s->amr, sizeof(s->amr), "%s", db_res_str(res, 7));
	s->stepup_time = db_res_int(res, 8);
	db_res_free(res);
	res = NULL;

	if (stale) {
		st = (int)db_exec("UPDATE sessions SET idle_expires_at ="
		    " LEAST(NOW(6) + INTERVAL ? MINUTE, absolute_expires_at)"
		    " WHERE id_hash = ?", "is", idle, hash);
		/* The session is valid either way; a lost extension only shortens it. */
		if (st < 0)
			log_warn("session: idle extension failed (%d)", st);
	}
	r->sess = s;
	st = 0;
 out:
	db_res_free(res);
	return st;
}

/*
 * How a new session was authenticated (see start): auth_time is a unix time
 * (0: none, AUTH_NOW: this request), amr the RFC 8176 methods, stepup_time the
 * last step-up (0: none, AUTH_NOW: this request).
 */
#define AUTH_NOW	(-1LL)
struct authinfo {
	long long	 auth_time;
	char		 amr[64];
	long long	 stepup_time;
};

/*
 * A session being opened (session.h, session_open_new): everything random
 * is chosen before the transaction, so a retried transaction writes the same
 * rows and the cookies, set after the commit, name them.
 */
struct session_open {
	long long	 account_id;
	long long	 login_id;
	struct authinfo	 ai;		/* AUTH_NOW resolved for the C side */
	int		 auth_now;	/* the row's auth_time is NOW(6) */
	int		 stepup_now;	/* the row's stepup_at is NOW(6) */
	char		 old[65];	/* the row the request had, or "" */
	char		 old_sel[SELECTOR_LEN + 1];	/* this browser's remember
							   token to forget, or "" */
	int		 clear_cookie;	/* a remember cookie to clear */
	char		 id[CRYPTO_TOKEN_LEN + 1];
	char		 hash[65];
	char		 csrf[CRYPTO_TOKEN_LEN + 1];
	char		 ip[sizeof(((struct req *)0)->ip)];
	long long	 remember_days;	/* > 0: issue a remember-me token */
	char		 sel[SELECTOR_LEN + 1];
	char		 val[CRYPTO_TOKEN_LEN + 1];
	char		 vhash[65];
	char		*state;		/* out of the transaction */
	int		 level;
};

/* The request's old session row (from r->sess or the cookie) into out, or "". */
static void
old_hash(struct req *r, char out[65])
{
	if (r->sess != NULL)
		memcpy(out, r->sess->id_hash, 65);
	else if (cookie_hash(r, out) != 0)
		out[0] = '\0';
}

/*
 * A session_open for account_id, opened by the login_history row login_id
 * (0: none) and authenticated as *auth says (NULL: as the old session of the
 * same account was, else not at all). Never NULL.
 */
static struct session_open *
open_new(struct req *r, long long account_id, long long login_id,
    const struct authinfo *auth)
{
	struct session_open *so = xcalloc(1, sizeof(*so));

	so->account_id = account_id;
	so->login_id = login_id;
	if (auth != NULL)
		so->ai = *auth;
	else if (r->sess != NULL && r->sess->account_id == account_id) {
		so->ai.auth_time = r->sess->auth_time;
		snprintf(so->ai.amr, sizeof(so->ai.amr), "%s", r->sess->amr);
		so->ai.stepup_time = r->sess->stepup_time;
	}
	so->auth_now = so->ai.auth_time == AUTH_NOW;
	if (so->auth_now)
		so->ai.auth_time = (long long)time(NULL);
	so->stepup_now = so->ai.stepup_time == AUTH_NOW;
	if (so->stepup_now)
		so->ai.stepup_time = (long long)time(NULL);
	old_hash(r, so->old);
	snprintf(so->ip, sizeof(so->ip), "%s", r->ip);
	crypto_token(so->csrf);
	crypto_token(so->id);
	crypto_sha256_hex(so->id, so->hash);
	return so;
}

struct session_open *
session_open_new(struct req *r, long long account_id, long long login_id,
    const char *amr, int stepup, int remember)
{
	struct session_open *so;
	struct authinfo	 ai;
	const char	*c = req_get_cookie(r, REMEMBER_COOKIE);
	char		 val[CRYPTO_TOKEN_LEN + 1];

	memset(&ai, 0, sizeof(ai));
	ai.auth_time = AUTH_NOW;
	snprintf(ai.amr, sizeof(ai.amr), "%s", amr != NULL ? amr : "");
	if (stepup)
		ai.stepup_time = AUTH_NOW;
	so = open_new(r, account_id, login_id, &ai);
	/* A new login forgets this browser's remember-me (session_remember_clear). */
	if (c != NULL) {
		so->clear_cookie = 1;
		if (remember_parse(c, so->old_sel, val) != 0)
			so->old_sel[0] = '\0';
		util_wipe(val, sizeof(val));
	}
	if (remember && (so->remember_days = config_int("Session.RememberDays")) > 0)
		remember_new_pair(so->sel, so->val, so->vhash);
	return so;
}

void
session_open_login(struct session_open *so, long long login_id)
{
	so->login_id = login_id;
}

void
session_open_free(struct session_open *so)
{
	if (so == NULL)
		return;
	free(so->state);
	util_wipe(so, sizeof(*so));
	free(so);
}

int
session_open_txn(struct session_open *so)
{
	char		*row[2] = { NULL, NULL };
	char		 lid[24];
	long long	 n;
	int		 st;

	free(so->state);
	so->state = NULL;
	if (so->old[0] != '\0' && (n = db_exec("DELETE FROM sessions WHERE"
	    " id_hash = ?", "s", so->old)) < 0)
		return (int)n;
	if (so->old_sel[0] != '\0' && (n = db_exec("DELETE FROM tokens WHERE"
	    " selector = ? AND purpose = 'remember'", "s", so->old_sel)) < 0)
		return (int)n;
	if ((st = db_row(row, 2, "SELECT state, level FROM accounts WHERE id = ?",
	    "i", so->account_id)) < 0)
		return st;
	if (st == 0 || row[0] == NULL) {
		log_err("session: start for missing account %lld", so->account_id);
		free(row[0]);
		free(row[1]);
		return DB_ERR;
	}
	so->state = row[0];
	so->level = row[1] != NULL ? atoi(row[1]) : 0;
	free(row[1]);

	snprintf(lid, sizeof(lid), "%lld", so->login_id);
	n = db_exec("INSERT INTO sessions (id_hash, account_id, csrf_secret,"
	    " login_id, ip, idle_expires_at, absolute_expires_at, auth_time, amr,"
	    " stepup_at) VALUES (?, ?, ?,"
	    " ?, ?, LEAST(NOW(6) + INTERVAL ? MINUTE, NOW(6) + INTERVAL ? HOUR),"
	    " NOW(6) + INTERVAL ? HOUR,"
	    " IF(? = 1, NOW(6), IF(? > 0, FROM_UNIXTIME(?), NULL)), ?,"
	    " IF(? = 1, NOW(6), IF(? > 0, FROM_UNIXTIME(?), NULL)))",
	    "sisssiiiiiisiii", so->hash, so->account_id, so->csrf,
	    so->login_id > 0 ? lid : NULL, so->ip[0] != '\0' ? so->ip : NULL,
	    config_int("Session.IdleMinutes"), config_int("Session.AbsoluteHours"),
	    config_int("Session.AbsoluteHours"),
	    (long long)so->auth_now, so->ai.auth_time, so->ai.auth_time,
	    so->ai.amr, (long long)so->stepup_now, so->ai.stepup_time,
	    so->ai.stepup_time);
	if (n < 0)
		return (int)n;
	if (so->remember_days <= 0)
		return 0;
	/* Expired tokens of the account are pruned on the way. */
	if ((n = db_exec("DELETE FROM tokens WHERE account_id = ? AND"
	    " purpose = 'remember' AND expires_at < NOW(6)", "i",
	    so->account_id)) < 0)
		return (int)n;
	/* The login it descends from (see 0018_oidc.sql): the session's. */
	n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash, selector,"
	    " expires_at, auth_time, amr) VALUES (?, 'remember', ?, ?,"
	    " NOW(6) + INTERVAL ? DAY, IF(? > 0, FROM_UNIXTIME(?), NULL), ?)",
	    "issiiis", so->account_id, so->vhash, so->sel, so->remember_days,
	    so->ai.auth_time, so->ai.auth_time, so->ai.amr);
	return n < 0 ? (int)n : 0;
}

void
session_open_finish(struct req *r, struct session_open *so)
{
	struct session	*s = xcalloc(1, sizeof(*s));

	s->account_id = so->account_id;
	s->state = so->state;
	so->state = NULL;
	s->level = so->level;
	s->csrf_secret = xstrdup(so->csrf);
	memcpy(s->id_hash, so->hash, sizeof(s->id_hash));
	s->login_id = so->login_id;
	s->auth_time = so->ai.auth_time;
	snprintf(s->amr, sizeof(s->amr), "%s", so->ai.amr);
	s->stepup_time = so->ai.stepup_time;
	session_free(r->sess);
	r->sess = s;
	req_set_cookie(r, SID_COOKIE, so->id, -1);
	if (so->clear_cookie)
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
	if (so->remember_days > 0)
		remember_cookie(r, so->sel, so->val, (long)(so->remember_days * 86400));
	csrf_republish(r);
	session_open_free(so);
}

static int
open_txn(void *arg)
{
	return session_open_txn(arg);
}

/*
 * Replace the request's session with a new one for account_id (see open_new
 * for login_id and auth), in one transaction: the old row (from r->sess or
 * the cookie) is deleted, a fresh id is set as a browser-session cookie, and
 * r->sess describes the new session. It sets a cookie, so call it outside
 * db_txn (a retried transaction would set it twice). Returns 0 or a db_status
 * (r->sess is then NULL).
 */
static int
start(struct req *r, long long account_id, long long login_id,
    const struct authinfo *auth)
{
	struct session_open *so = open_new(r, account_id, login_id, auth);
	int		 st;

	session_free(r->sess);
	r->sess = NULL;
	if ((st = db_txn(open_txn, so)) < 0) {
		session_open_free(so);
		return st;
	}
	session_open_finish(r, so);
	return 0;
}

/* A new session id for account_id; the login of the old session stays with
 * it when the old session was the same account's (see session.h). */
int
session_start(struct req *r, long long account_id)
{
	long long	 login_id = 0;

	if (r->sess != NULL && r->sess->account_id == account_id)
		login_id = r->sess->login_id;
	return start(r, account_id, login_id, NULL);
}

/* amr (cap bytes) with method appended as a word unless it is there. */
static void
amr_add(char *amr, size_t cap, const struct session *s, const char *method)
{
	size_t	 len;

	snprintf(amr, cap, "%s", s->amr);
	len = strlen(amr);
	if (!session_has_method(s, method) && len + 1 + strlen(method) < cap) {
		if (len > 0)
			amr[len++] = ' ';
		memcpy(amr + len, method, strlen(method) + 1);
	}
}

int
session_reauth(struct req *r, const char *method)
{
	struct authinfo	 ai;

	if (r->sess == NULL)
		return 0;
	/* What it proved is all the session can claim from now on: a factor
	 * proved before (the code at login, a step-up) is not carried into a
	 * fresh auth_time, or amr would name factors not proved at that time. */
	memset(&ai, 0, sizeof(ai));
	ai.auth_time = AUTH_NOW;
	snprintf(ai.amr, sizeof(ai.amr), "%s", method);
	return start(r, r->sess->account_id, r->sess->login_id, &ai);
}

int
session_has_method(const struct session *s, const char *method)
{
	const char	*p;
	size_t		 n = strlen(method);

	if (s == NULL || n == 0)
		return 0;
	for (p = s->amr; (p = strstr(p, method)) != NULL; p += n)
		if ((p == s->amr || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

int
session_add_factor(struct req *r, const char *method)
{
	char		 amr[sizeof(r->sess->amr)];
	long long	 n;

	if (r->sess == NULL)
		return 0;
	amr_add(amr, sizeof(amr), r->sess, method);
	n = db_exec("UPDATE sessions SET stepup_at = NOW(6), amr = ?"
	    " WHERE id_hash = ?", "ss", amr, r->sess->id_hash);
	if (n < 0)
		return (int)n;
	snprintf(r->sess->amr, sizeof(r->sess->amr), "%s", amr);
	r->sess->stepup_time = (long long)time(NULL);
	return 0;
}

/*
 * Re-read state and level of the session's account. An account that has gone
 * (deleted) ends the session in r. 0 or a db_status.
 */
int
session_refresh(struct req *r)
{
	char	*row[2] = { NULL, NULL };
	int	 st;

	if (r->sess == NULL)
		return 0;
	if ((st = db_row(row, 2, "SELECT state, level FROM accounts WHERE id = ?",
	    "i", r->sess->account_id)) < 0)
		return st;
	if (st == 0 || row[0] == NULL) {
		free(row[0]);
		free(row[1]);
		return session_end(r);
	}
	free(r->sess->state);
	r->sess->state = row[0];
	r->sess->level = row[1] != NULL ? atoi(row[1]) : 0;
	free(row[1]);
	return 0;
}

/*
 * Log out: delete the request's session row (from r->sess, or the cookie when no
 * session was loaded), clear the cookie and r->sess. 0 or a db_status.
 */
int
session_end(struct req *r)
{
	char		 hash[65];
	long long	 n = 0;

	if (r->sess != NULL)
		memcpy(hash, r->sess->id_hash, sizeof(hash));
	else if (cookie_hash(r, hash) != 0)
		hash[0] = '\0';
	session_free(r->sess);
	r->sess = NULL;
	req_set_cookie(r, SID_COOKIE, "", 0);
	if (hash[0] != '\0')
		n = db_exec("DELETE FROM sessions WHERE id_hash = ?", "s", hash);
	csrf_republish(r);
	return n < 0 ? (int)n : 0;
}

/*
 * Delete every session of account_id except the one whose hash is except_hash
 * (NULL: all), and every remember-me token of the account (a remember token is a
 * session waiting to happen: password change, withdrawal and theft must end it
 * too). Works inside db_txn. 0 or a db_status.
 */
int
session_end_all(long long account_id, const char *except_hash)
{
	long long	 n;

	if ((n = session_remember_clear_all(account_id)) < 0)
		return (int)n;
	/* The services' access tokens rest on her login too (userinfo answers
	 * invalid_token from now on; the services keep their own sessions). */
	if ((n = db_exec("UPDATE oidc_tokens SET revoked_at = NOW(6) WHERE"
	    " account_id = ? AND revoked_at IS NULL", "i", account_id)) < 0)
		return (int)n;
	if (except_hash != NULL)
		n = db_exec("DELETE FROM sessions WHERE account_id = ?"
		    " AND id_hash <> ?", "is", account_id, except_hash);
	else
		n = db_exec("DELETE FROM sessions WHERE account_id = ?", "i",
		    account_id);
	return n < 0 ? (int)n : 0;
}

long long
session_end_others(struct req *r)
{
	const char	*c = req_get_cookie(r, REMEMBER_COOKIE);
	char		 sel[SELECTOR_LEN + 1], val[CRYPTO_TOKEN_LEN + 1];
	long long	 n, ended;

	if (r->sess == NULL)
		return 0;
	if ((ended = db_exec("DELETE FROM sessions WHERE account_id = ? AND"
	    " id_hash <> ?", "is", r->sess->account_id, r->sess->id_hash)) < 0)
		return ended;
	/* This browser's remember-me stays (if it has one of this account). */
	if (remember_parse(c, sel, val) != 0)
		sel[0] = '\0';
	util_wipe(val, sizeof(val));
	n = db_exec("DELETE FROM tokens WHERE account_id = ? AND"
	    " purpose = 'remember' AND selector <> ?", "is",
	    r->sess->account_id, sel);
	return n < 0 ? n : ended;
}

/*
 * The CSRF binding of the request: the session's secret (a member's, or the
 * staff console's in r->csrf_secret), else the "pre" cookie.
 * When neither exists and create is set, a new "pre" cookie is set and used;
 * otherwise NULL.
 */
static const char *
csrf_binding(struct req *r, int create)
{
	const char	*pre;

	if (r->sess != NULL && r->sess->csrf_secret != NULL)
		return r->sess->csrf_secret;
	/* The staff console's session (staff_session.c). */
	if (r->csrf_secret != NULL)
		return r->csrf_secret;
	if (pre_memo.r == r && strcmp(pre_memo.reqid, r->id) == 0)
		return pre_memo.value;
	pre = req_get_cookie(r, PRE_COOKIE);
	if (token_valid(pre))
		return pre;
	if (!create)
		return NULL;
	crypto_token(pre_memo.value);
	pre_memo.r = r;
	memcpy(pre_memo.reqid, r->id, sizeof(pre_memo.reqid));
	req_set_cookie(r, PRE_COOKIE, pre_memo.value, -1);
	return pre_memo.value;
}

/* base64url(HMAC-SHA256(Security.Secret, "csrf|" binding)) into out. 0 or -1. */
static int
csrf_compute(const char *binding, char out[CRYPTO_TOKEN_LEN + 1])
{
	const char	*hex = config_str("Security.Secret");
	unsigned char	*key, mac[32];
	char		*msg;
	size_t		 keylen, cap = strlen(hex) / 2 + 1;
	int		 rc;

	key = xmalloc(cap);
	keylen = config_secret("Security.Secret", key, cap);
	msg = xasprintf("csrf|%s", binding);
	rc = crypto_hmac(key, keylen, msg, strlen(msg), mac);
	if (rc == 0)
		crypto_b64url_encode(mac, sizeof(mac), out);
	util_wipe(key, cap);
	free(key);
	util_free_secret(msg);
	util_wipe(mac, sizeof(mac));
	return rc;
}

/*
 * The token for this request's forms. May set the "pre" cookie. Never NULL; the
 * string stays valid until the next call. On an HMAC failure (logged) it returns
 * "", which no check accepts.
 */
const char *
session_csrf_token(struct req *r)
{
	const char	*binding = csrf_binding(r, 1);

	if (csrf_compute(binding, csrf_buf) != 0)
		csrf_buf[0] = '\0';
	return csrf_buf;
}

/* 1 if the request's "csrf" field is the token of its binding, else 0. */
int
session_csrf_check(struct req *r)
{
	const char	*sent = req_param(r, "csrf"), *binding;
	char		 want[CRYPTO_TOKEN_LEN + 1];
	int		 ok;

	if (sent == NULL || (binding = csrf_binding(r, 0)) == NULL)
		return 0;
	if (csrf_compute(binding, want) != 0)
		return 0;
	ok = crypto_streq(sent, want);
	util_wipe(want, sizeof(want));
	return ok;
}

/* ---------------------------------------------------------------- remember-me */

/*
 * Split a remember cookie "selector:validator" into sel[25] and val[44].
 * 0, or -1 when it is not of our shape.
 */
static int
remember_parse(const char *v, char *sel, char *val)
{
	unsigned char	 raw[SELECTOR_BYTES + 3];

	if (v == NULL || strlen(v) != SELECTOR_LEN + 1 + CRYPTO_TOKEN_LEN ||
	    v[SELECTOR_LEN] != ':')
		return -1;
	memcpy(sel, v, SELECTOR_LEN);
	sel[SELECTOR_LEN] = '\0';
	if (crypto_b64url_decode(sel, raw, sizeof(raw)) != SELECTOR_BYTES)
		return -1;
	memcpy(val, v + SELECTOR_LEN + 1, CRYPTO_TOKEN_LEN + 1);
	return token_valid(val) ? 0 : -1;
}

/* A fresh selector (sel[25]), validator (val[44]) and the validator's hash. */
static void
remember_new_pair(char *sel, char *val, char *hash)
{
	unsigned char	 raw[SELECTOR_BYTES];

	crypto_random(raw, sizeof(raw));
	crypto_b64url_encode(raw, sizeof(raw), sel);
	crypto_token(val);
	crypto_sha256_hex(val, hash);
}

/* Set the remember cookie for max_age seconds. */
static void
remember_cookie(struct req *r, const char *sel, const char *val, long max_age)
{
	char	 v[SELECTOR_LEN + 1 + CRYPTO_TOKEN_LEN + 1];

	snprintf(v, sizeof(v), "%s:%s", sel, val);
	req_set_cookie(r, REMEMBER_COOKIE, v, max_age);
	util_wipe(v, sizeof(v));
}

/*
 * Forget this browser's remember-me (logout, a new login): the token row named by
 * the cookie's selector is deleted and the cookie cleared. 0 or a db_status.
 */
int
session_remember_clear(struct req *r)
{
	const char	*c = req_get_cookie(r, REMEMBER_COOKIE);
	char		 sel[SELECTOR_LEN + 1], val[CRYPTO_TOKEN_LEN + 1];
	long long	 n = 0;

	if (c == NULL)
		return 0;
	req_set_cookie(r, REMEMBER_COOKIE, "", 0);
	if (remember_parse(c, sel, val) == 0)
		n = db_exec("DELETE FROM tokens WHERE selector = ? AND"
		    " purpose = 'remember'", "s", sel);
	util_wipe(val, sizeof(val));
	return n < 0 ? (int)n : 0;
}

/* Delete every remember-me token of account_id. Works inside db_txn. 0 or db_status. */
int
session_remember_clear_all(long long account_id)
{
	long long	 n;

	n = db_exec("DELETE FROM tokens WHERE account_id = ? AND purpose = 'remember'",
	    "i", account_id);
	return n < 0 ? (int)n : 0;
}

struct restore {
	long long	 token_id;
	long long	 account_id;
	int		 superseded;	/* the pair was rotated a moment ago */
	const char	*sel;		/* the new pair */
	const char	*hash;
	struct session_open *so;
	int		 gone;		/* out: token or account gone meanwhile */
	int		 rotated;	/* out: 1 when this request did the rotation */
};

/*
 * The restore in one transaction: the account touched, the session made, the
 * pair rotated (unless a parallel request did). A token deleted meanwhile (a
 * password change, a withdrawal, a theft response) or an account withdrawn
 * meanwhile opens nothing (r->gone).
 */
static int
restore_txn(void *arg)
{
	struct restore	*a = arg;
	long long	 n, x;
	int		 st;

	a->gone = 1;
	a->rotated = 0;
	if ((st = db_int(&x, "SELECT id FROM tokens WHERE id = ? FOR UPDATE", "i",
	    a->token_id)) <= 0)
		return st;
	/* Galera: a certification key shared with a password reset (src/db.h). */
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ? AND"
	    " state NOT IN ('withdrawn', 'closed')", "i", a->account_id)) <= 0)
		return (int)n;
	a->gone = 0;
	if ((st = session_open_txn(a->so)) < 0)
		return st;
	if (a->superseded)
		return 0;
	/* Supersede the old pair, the new one takes over its expiry. */
	n = db_exec("UPDATE tokens SET superseded_at = NOW(6) WHERE id = ? AND"
	    " superseded_at IS NULL", "i", a->token_id);
	if (n <= 0)
		return n < 0 ? (int)n : 0;	/* a parallel request rotated it */
	n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash, selector,"
	    " expires_at, auth_time, amr) SELECT account_id, 'remember', ?, ?,"
	    " expires_at, auth_time, amr FROM tokens"
	    " WHERE id = ?", "ssi", a->hash, a->sel, a->token_id);
	if (n < 0)
		return (int)n;
	a->rotated = 1;
	return 0;
}

/* The theft response: end everything the account has open. 0 or a db_status. */
static int
remember_theft(struct req *r, long long account_id)
{
	log_warn("session: remember-me token reused; ending every session of "
	    "account %lld", account_id);
	audit(r, "remember.theft", account_id);
	return session_end_all(account_id, NULL);
}

/*
 * Restore a session from the request's remember cookie (see the top of this
 * file). Called by session_load for GET and HEAD requests that have no valid
 * session: a POST was rendered with the CSRF token of the session it expected, so
 * a restore there would only turn it into a 403. On success r->sess is set, the
 * session and remember cookies are renewed and remember.restore is audited; a bad,
 * expired or withdrawn cookie is cleared. The session, the rotation and a touch
 * of the account are one transaction, so a password change committed on
 * another node at the same moment either comes first (no session) or ends
 * the session it finds (src/db.h). Returns 0 or a db_status.
 */
int
session_remember_restore(struct req *r)
{
	struct db_res	*res = NULL;
	struct restore	 rs;
	struct authinfo	 ai;
	const char	*c = req_get_cookie(r, REMEMBER_COOKIE);
	char		 sel[SELECTOR_LEN + 1], val[CRYPTO_TOKEN_LEN + 1], hash[65];
	char		 nsel[SELECTOR_LEN + 1], nval[CRYPTO_TOKEN_LEN + 1], nhash[65];
	char		*stored = NULL, *state = NULL;
	long long	 id, account_id, left, login_id;
	int		 st, superseded, in_grace;

	memset(&rs, 0, sizeof(rs));
	nval[0] = '\0';
	if (c == NULL)
		return 0;
	if (remember_parse(c, sel, val) != 0) {
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		return 0;
	}
	st = db_query(&res, "SELECT t.id, t.account_id, t.token_hash,"
	    " t.superseded_at IS NOT NULL,"
	    " t.superseded_at > NOW(6) - INTERVAL ? SECOND,"
	    " TIMESTAMPDIFF(SECOND, NOW(6), t.expires_at), a.state,"
	    " UNIX_TIMESTAMP(t.auth_time), t.amr"
	    " FROM tokens t JOIN accounts a ON a.id = t.account_id"
	    " WHERE t.selector = ? AND t.purpose = 'remember'",
	    "is", (long long)REMEMBER_GRACE, sel);
	if (st != 0)
		goto out;
	if ((st = db_res_next(res)) <= 0) {
		/* Unknown (logged out, expired and pruned, ended): forget it. */
		if (st == 0)
			req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		goto out;
	}
	id = db_res_int(res, 0);
	account_id = db_res_int(res, 1);
	stored = db_res_isnull(res, 2) ? NULL : xstrdup(db_res_str(res, 2));
	superseded = db_res_int(res, 3) != 0;
	in_grace = db_res_int(res, 4) != 0;
	left = db_res_int(res, 5);
	state = db_res_isnull(res, 6) ? NULL : xstrdup(db_res_str(res, 6));
	/* The session rests on the login the pair descends from, not on now. */
	memset(&ai, 0, sizeof(ai));
	ai.auth_time = db_res_int(res, 7);
	if (!db_res_isnull(res, 8))
		snprintf(ai.amr, sizeof(ai.amr), "%s", db_res_str(res, 8));
	db_res_free(res);
	res = NULL;

	crypto_sha256_hex(val, hash);
	if (stored == NULL || !crypto_streq(hash, stored) ||
	    (superseded && !in_grace)) {
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		st = remember_theft(r, account_id);
		goto out;
	}
	if (left <= 0) {
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		st = (int)db_exec("DELETE FROM tokens WHERE id = ?", "i", id);
		st = st < 0 ? st : 0;
		goto out;
	}
	if (state == NULL || strcmp(state, "withdrawn") == 0 ||
	    strcmp(state, "closed") == 0) {
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		st = session_remember_clear_all(account_id);
		goto out;
	}
	/* A login of its own in the member's list (a failed insert only
	 * leaves it out of the list). */
	if ((login_id = login_history_add(r, account_id, LOGIN_REMEMBER)) < 0) {
		log_warn("session: remember-me login not recorded (%lld)", login_id);
		login_id = 0;
	}
	remember_new_pair(nsel, nval, nhash);
	rs.token_id = id;
	rs.account_id = account_id;
	rs.superseded = superseded;
	rs.sel = nsel;
	rs.hash = nhash;
	rs.so = open_new(r, account_id, login_id, &ai);
	if ((st = db_txn(restore_txn, &rs)) < 0)
		goto out;
	if (rs.gone) {
		/* Ended (or withdrawn) between the read and the transaction. */
		req_set_cookie(r, REMEMBER_COOKIE, "", 0);
		st = 0;
		goto out;
	}
	session_open_finish(r, rs.so);
	rs.so = NULL;
	audit(r, "remember.restore", account_id);
	/*
	 * Superseded: a parallel request of the same browser rotated this pair a
	 * moment ago and its response carries the new cookie: this request has
	 * a session and leaves the browser's cookie alone.
	 */
	if (rs.rotated)
		remember_cookie(r, nsel, nval, (long)left);
	st = 0;
 out:
	db_res_free(res);
	session_open_free(rs.so);
	util_wipe(val, sizeof(val));
	util_wipe(nval, sizeof(nval));
	free(stored);
	free(state);
	return st;
}

/* session_load's fallback when there is no valid session. */
static int
remember_hook(struct req *r)
{
	if (r->method == NULL || (strcmp(r->method, "GET") != 0 &&
	    strcmp(r->method, "HEAD") != 0))
		return 0;
	return session_remember_restore(r);
}
