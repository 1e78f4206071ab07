/*
 * signup.c — the shared machinery of the four signup steps (see signup.h):
 * the su cookie, step routing, activation tokens and codes, the signup mails.
 *
 * Activation tokens (tokens.purpose = 'activate') hold the SHA-256 of the link
 * token and an HMAC of the 6-digit code keyed with Security.Secret and bound to
 * the token (a stolen table does not let anyone try the 10^6 codes offline).
 * tokens.data holds the Argon2id hash of the password typed with the request
 * that issued the token. Activation makes that the account's password: the
 * password that counts is the one typed together with the mail whose link or
 * code proves the address. So a stranger who started a signup with somebody
 * else's address (pre-registration) cannot keep a password the owner does not
 * know, and a repeated step 1 of an unfinished signup never changes the
 * password before the address is proven (SPEC §3; the brief's "never from an
 * anonymous request").
 */
#include "autoconf.h"
#include "signup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "entry.h"
#include "lifecycle.h"
#include "log.h"
#include "maintenance.h"
#include "member_totp.h"
#include "outbox.h"
#include "request.h"
#include "session.h"
#include "throttle.h"
#include "util.h"

#define COOKIE_NAME	"su"
#define COOKIE_VERSION	"1"
/* version|expires|account|token|created|email; numbers zero-padded so that the
 * cookie's length depends on the typed address only. */
#define COOKIE_PLAIN_MAX	(2 + 21 * 3 + 2 + SIGNUP_EMAIL_MAX + 1)
#define COOKIE_BOX_MAX		(COOKIE_PLAIN_MAX + 12 + 16)
#define COOKIE_TEXT_MAX		(COOKIE_BOX_MAX / 3 * 4 + 8)

/* ---- keys ---- */

/* A 32-byte key for purpose, derived from Security.Secret. 0 or -1. */
static int
derive_key(const char *purpose, unsigned char out[32])
{
	unsigned char	 secret[128];
	size_t		 n;
	int		 rc;

	n = config_secret("Security.Secret", secret, sizeof(secret));
	rc = crypto_hmac(secret, n, purpose, strlen(purpose), out);
	util_wipe(secret, sizeof(secret));
	return rc;
}

/* Hex HMAC of a mail code, bound to its token's hash. 0 or -1. */
static int
code_mac(const char *token_hash, const char *code, char out[65])
{
	unsigned char	 key[32], mac[32];
	char		*msg;
	int		 rc;

	if (derive_key("kenpo signup code v1", key) != 0)
		return -1;
	msg = xasprintf("%s|%s", token_hash, code);
	rc = crypto_hmac(key, sizeof(key), msg, strlen(msg), mac);
	if (rc == 0)
		util_hex(mac, sizeof(mac), out);
	util_free_secret(msg);
	util_wipe(key, sizeof(key));
	util_wipe(mac, sizeof(mac));
	return rc;
}

/* ---- the su cookie ---- */

int
signup_cookie_get(struct req *r, struct signup_cookie *c)
{
	const char	*v = req_get_cookie(r, COOKIE_NAME);
	unsigned char	 key[32], box[COOKIE_BOX_MAX];
	char		 plain[COOKIE_PLAIN_MAX + 1], *f[6], *p;
	long		 n;
	long long	 expires, acct, tok;
	int		 i, ok = 0;

	memset(c, 0, sizeof(*c));
	if (v == NULL || strlen(v) > COOKIE_TEXT_MAX)
		return 0;
	if ((n = crypto_b64url_decode(v, box, sizeof(box))) < 12 + 16 + 1)
		return 0;
	if (derive_key("kenpo signup cookie v1", key) != 0)
		return 0;
	n = crypto_open(key, box, (size_t)n, plain, sizeof(plain) - 1);
	util_wipe(key, sizeof(key));
	if (n <= 0)
		return 0;
	plain[n] = '\0';
	/* Split into six fields; the address (last) may not contain '|' anyway. */
	for (i = 0, p = plain; i < 6; i++) {
		f[i] = p;
		if (i < 5) {
			if ((p = strchr(p, '|')) == NULL)
				goto out;
			*p++ = '\0';
		}
	}
	if (strcmp(f[0], COOKIE_VERSION) != 0 ||
	    util_parse_int(f[1], 0, 1LL << 40, &expires) != 0 ||
	    util_parse_int(f[2], 1, 1LL << 62, &acct) != 0 ||
	    util_parse_int(f[3], 0, 1LL << 62, &tok) != 0 ||
	    (strcmp(f[4], "0") != 0 && strcmp(f[4], "1") != 0) ||
	    strlen(f[5]) > SIGNUP_EMAIL_MAX || f[5][0] == '\0')
		goto out;
	if (expires < util_now())
		goto out;
	c->account_id = acct;
	c->token_id = tok;
	c->created = f[4][0] == '1';
	snprintf(c->email, sizeof(c->email), "%s", f[5]);
	ok = 1;
 out:
	util_wipe(plain, sizeof(plain));
	return ok;
}

void
signup_cookie_put(struct req *r, const struct signup_cookie *c)
{
	unsigned char	 key[32], box[COOKIE_BOX_MAX];
	char		 plain[COOKIE_PLAIN_MAX + 1], text[COOKIE_TEXT_MAX + 1];
	long		 n;
	long long	 life = config_int("Signup.ActivateHours") * 3600;
	int		 len;

	len = snprintf(plain, sizeof(plain), COOKIE_VERSION "|%020lld|%020lld|%020lld|%d|%s",
	    (long long)util_now() + life, c->account_id, c->token_id,
	    c->created ? 1 : 0, c->email);
	if (len < 0 || (size_t)len >= sizeof(plain) ||
	    derive_key("kenpo signup cookie v1", key) != 0) {
		log_err("signup: cannot build the su cookie");
		return;
	}
	n = crypto_seal(key, plain, (size_t)len, box, sizeof(box));
	util_wipe(key, sizeof(key));
	util_wipe(plain, sizeof(plain));
	if (n < 0) {
		log_err("signup: cannot seal the su cookie");
		return;
	}
	crypto_b64url_encode(box, (size_t)n, text);
	req_set_cookie(r, COOKIE_NAME, text, (long)life);
}

void
signup_cookie_clear(struct req *r)
{
	if (req_get_cookie(r, COOKIE_NAME) != NULL)
		req_set_cookie(r, COOKIE_NAME, "", 0);
}

/* ---- steps ---- */

int
signup_step_path(struct req *r, const char **path)
{
	long long	 match = 0;
	int		 st;

	*path = NULL;
	if (r->sess == NULL || r->sess->state == NULL)
		return 0;
	if (strcmp(r->sess->state, "pending") == 0)
		*path = "/signup/sent";
	else if (strcmp(r->sess->state, "verified") == 0) {
		st = db_int(&match, "SELECT match_roster_id IS NOT NULL OR"
		    " match_insurer_only = 1 FROM accounts WHERE id = ?", "i",
		    r->sess->account_id);
		if (st < 0)
			return st;
		*path = match ? "/signup/confirm" : "/signup/eligibility";
	} else if (strcmp(r->sess->state, "active") == 0)
		*path = "/top";
	else
		*path = "/";
	return 0;
}

int
signup_route(struct req *r, const char *here)
{
	const char	*path;
	int		 st;

	if ((st = signup_step_path(r, &path)) < 0)
		return req_db_error(r, st);
	if (path == NULL || strcmp(path, here) == 0)
		return 0;
	return req_redirect(r, "%s", path);
}

/* ---- tokens ---- */

int
signup_token_issue(long long account_id, const char *pw_hash, int supersede,
    int born_superseded, struct signup_token *out)
{
	char		 hash[65], chash[65];
	long long	 n;

	memset(out, 0, sizeof(*out));
	if (supersede) {
		n = db_exec("UPDATE tokens SET superseded_at = NOW(6)"
		    " WHERE account_id = ? AND purpose = 'activate'"
		    " AND used_at IS NULL AND superseded_at IS NULL", "i", account_id);
		if (n < 0)
			return (int)n;
	}
	crypto_token(out->token);
	crypto_code6(out->code);
	crypto_sha256_hex(out->token, hash);
	if (code_mac(hash, out->code, chash) != 0)
		return DB_ERR;
	n = db_exec("INSERT INTO tokens (account_id, purpose, token_hash, code_hash,"
	    " code_expires_at, data, expires_at, superseded_at) VALUES"
	    " (?, 'activate', ?, ?, NOW(6) + INTERVAL ? MINUTE, ?,"
	    " NOW(6) + INTERVAL ? HOUR, IF(?, NOW(6), NULL))",
	    "issisii", account_id, hash, chash, config_int("Signup.CodeMinutes"), pw_hash,
	    config_int("Signup.ActivateHours"), (long long)(born_superseded != 0));
	if (n < 0)
		return (int)n;
	out->id = db_last_id();
	return 0;
}

/* Service.BaseURL without a trailing slash, malloc'd. */
static char *
base_url(void)
{
	char	*b = xstrdup(config_str("Service.BaseURL"));
	size_t	 n = strlen(b);

	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	return b;
}

static int
vars_set(HDF *h, const char *k, const char *v)
{
	NEOERR	*err;

	if ((err = hdf_set_value(h, k, v)) != STATUS_OK) {
		nerr_ignore(&err);
		return -1;
	}
	return 0;
}

/* Enqueue mail template name to email with the common link variables. */
static int
mail_send(const char *email, const char *lang, const char *name, HDF *vars)
{
	char		*base = base_url(), *u;
	long long	 id;
	int		 rc = 0;

	u = xasprintf("%s/login", base);
	rc |= vars_set(vars, "Mail.LoginURL", u);
	free(u);
	u = xasprintf("%s/password/forgot", base);
	rc |= vars_set(vars, "Mail.ForgotURL", u);
	free(u);
	u = xasprintf("%s/signup", base);
	rc |= vars_set(vars, "Mail.SignupURL", u);
	free(u);
	/* Service.SupportURL may be relative ("/inquiry/new"): make it absolute. */
	if (config_str("Service.SupportURL")[0] == '/')
		u = xasprintf("%s%s", base, config_str("Service.SupportURL"));
	else
		u = xstrdup(config_str("Service.SupportURL"));
	rc |= vars_set(vars, "Mail.SupportURL", u);
	free(u);
	free(base);
	if (rc != 0)
		return DB_ERR;
	id = outbox_enqueue(email, name, vars, lang != NULL ? lang : "ja");
	return id > 0 ? 0 : (id < 0 ? (int)id : DB_ERR);
}

int
signup_mail_activate(const char *email, const char *lang,
    const struct signup_token *tok, int again)
{
	HDF	*vars = NULL;
	NEOERR	*err;
	char	*base, *link, num[24];
	int	 rc = 0;

	if ((err = hdf_init(&vars)) != STATUS_OK) {
		nerr_ignore(&err);
		return DB_ERR;
	}
	base = base_url();
	link = xasprintf("%s/users/%s/activate", base, tok->token);
	rc |= vars_set(vars, "Mail.Link", link);
	rc |= vars_set(vars, "Mail.Code", tok->code);
	snprintf(num, sizeof(num), "%lld", config_int("Signup.ActivateHours"));
	rc |= vars_set(vars, "Mail.Hours", num);
	snprintf(num, sizeof(num), "%lld", config_int("Signup.CodeMinutes"));
	rc |= vars_set(vars, "Mail.Minutes", num);
	rc |= vars_set(vars, "Mail.Again", again ? "1" : "0");
	util_free_secret(link);
	free(base);
	rc = rc != 0 ? DB_ERR : mail_send(email, lang, "signup_activate", vars);
	hdf_destroy(&vars);
	return rc;
}

int
signup_mail_exists(const char *email, const char *lang, const char *state,
    const char *lost_on)
{
	HDF	*vars = NULL;
	NEOERR	*err;
	char	 reuse[ROSTER_DATE_LEN + 1], text[32];
	int	 rc, y, m, d;

	if ((err = hdf_init(&vars)) != STATUS_OK) {
		nerr_ignore(&err);
		return DB_ERR;
	}
	rc = vars_set(vars, "Mail.State", state);
	/* 未所属: the address is free for a new signup from lost_on + 100 days. */
	if (rc == 0 && lost_on != NULL) {
		if (lifecycle_date_add(lost_on, LIFECYCLE_DAYS, reuse) != 0 ||
		    sscanf(reuse, "%4d-%2d-%2d", &y, &m, &d) != 3)
			rc = -1;
		else {
			if (lang != NULL && strcmp(lang, "en") == 0)
				snprintf(text, sizeof(text), "%s", reuse);
			else
				snprintf(text, sizeof(text), "%d年%d月%d日", y, m, d);
			rc = vars_set(vars, "Mail.ReuseOn", text);
		}
	}
	rc = rc != 0 ? DB_ERR : mail_send(email, lang, "signup_exists", vars);
	hdf_destroy(&vars);
	return rc;
}

/* ---- resend ---- */

static int
resend_fn(void *arg)
{
	struct signup_resend	*s = arg;
	struct signup_token	 tok;
	char			*c[4] = { NULL }, *hash = NULL;
	int			 st, i;

	s->token_id = 0;
	s->state[0] = '\0';
	memset(&tok, 0, sizeof(tok));
	st = db_row(c, 4, "SELECT state, email, lang,"
	    " IF(state = 'active' AND unaffiliated = 1, lost_on, NULL)"
	    " FROM accounts WHERE id = ? FOR UPDATE", "i", s->account_id);
	if (st <= 0)
		return st;	/* gone (cancelled): nothing to send */
	snprintf(s->state, sizeof(s->state), "%s", c[0]);
	if (strcmp(c[0], "pending") == 0) {
		/* Galera: a certification key shared with a resend on another
		 * node (src/db.h): the row lock above is the node's own, and two
		 * resends would each issue a live token. */
		if ((st = (int)db_exec("UPDATE accounts SET updated_at = NOW(6)"
		    " WHERE id = ?", "i", s->account_id)) < 0)
			goto out;
		if (s->pw_token > 0) {
			st = db_row(&hash, 1, "SELECT data FROM tokens WHERE id = ?"
			    " AND account_id = ? AND purpose = 'activate'", "ii",
			    s->pw_token, s->account_id);
			if (st < 0)
				goto out;
		}
		if ((st = signup_token_issue(s->account_id, hash, 1, 0, &tok)) != 0)
			goto out;
		s->token_id = tok.id;
		st = signup_mail_activate(c[1], c[2], &tok, s->again);
	} else if (s->exists_mail)
		st = signup_mail_exists(c[1], c[2], c[0], c[3]);
	else
		st = 0;
 out:
	util_wipe(&tok, sizeof(tok));
	util_free_secret(hash);
	for (i = 0; i < 4; i++)
		free(c[i]);
	return st;
}

int
signup_resend(struct signup_resend *s)
{
	int	 st;

	if ((st = db_txn(resend_fn, s)) < 0)
		return st;
	return 0;
}

/* ---- activation ---- */

/*
 * Inside db_txn: token token_id activates account_id. The account becomes
 * verified (only from pending) with pw_hash if given (a password the person
 * proving the address typed: see signup_activate_link); the token is used;
 * other live activation tokens, with the passwords they carry, are superseded;
 * every session and remember-me token of the account ends (whoever held one
 * before the address was proven — e.g. a stranger who logged into a
 * pre-registered account — is out).
 * Returns 1 done, 0 the account was no longer pending, or a db_status.
 */
static int
activate_in_txn(long long token_id, long long account_id, const char *pw_hash)
{
	long long	 n;

	n = db_exec("UPDATE accounts SET state = 'verified',"
	    " password_hash = COALESCE(?, password_hash)"
	    " WHERE id = ? AND state = 'pending'", "si", pw_hash, account_id);
	if (n <= 0)
		return (int)n;
	if ((n = db_exec("UPDATE tokens SET used_at = NOW(6) WHERE id = ?", "i",
	    token_id)) < 0)
		return (int)n;
	if ((n = db_exec("UPDATE tokens SET superseded_at = NOW(6)"
	    " WHERE account_id = ? AND purpose = 'activate' AND id <> ?"
	    " AND used_at IS NULL AND superseded_at IS NULL", "ii",
	    account_id, token_id)) < 0)
		return (int)n;
	if ((n = db_exec("DELETE FROM sessions WHERE account_id = ?", "i",
	    account_id)) < 0)
		return (int)n;
	/* Deleted, not superseded: a superseded pair still opens a session for
	 * a minute (session.c, REMEMBER_GRACE), enough for whoever holds it to
	 * keep a session alive through the activation. */
	if ((n = session_remember_clear_all(account_id)) < 0)
		return (int)n;
	/* And a login waiting for its TOTP code. */
	if ((n = mtotp_pending_drop(account_id)) < 0)
		return (int)n;
	return 1;
}

struct link_txn {
	const char	*hash;
	long long	 cookie_account, cookie_token;	/* this browser's step 1 */
	const char	*pw_hash;	/* a password typed with the link, or NULL */
	long long	 account_id;
	int		 result;
};

static void
free_cols(char **c, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(c[i]);
		c[i] = NULL;
	}
}

static int
link_fn(void *arg)
{
	struct link_txn	*t = arg;
	char		*c[7] = { NULL };
	long long	 token_id;
	int		 st;

	t->result = SIGNUP_LINK_UNKNOWN;
	t->account_id = 0;
	st = db_row(c, 7, "SELECT t.id, t.account_id, t.expires_at > NOW(6),"
	    " t.used_at IS NOT NULL, t.superseded_at IS NOT NULL, a.state, t.data"
	    " FROM tokens t JOIN accounts a ON a.id = t.account_id"
	    " WHERE t.token_hash = ? AND t.purpose = 'activate' FOR UPDATE",
	    "s", t->hash);
	if (st <= 0)
		return st;
	token_id = strtoll(c[0], NULL, 10);
	t->account_id = strtoll(c[1], NULL, 10);
	/* The token's own fate first: it tells the member most. */
	if (strcmp(c[5], "withdrawn") == 0)
		t->result = SIGNUP_LINK_UNKNOWN;
	else if (strcmp(c[3], "1") == 0)
		t->result = SIGNUP_LINK_USED;
	else if (strcmp(c[4], "1") == 0)
		t->result = SIGNUP_LINK_SUPERSEDED;
	else if (strcmp(c[2], "1") != 0)
		t->result = SIGNUP_LINK_EXPIRED;
	else if (strcmp(c[5], "pending") != 0)
		t->result = SIGNUP_LINK_USED;	/* confirmed by another mail */
	else if (t->pw_hash != NULL) {
		st = activate_in_txn(token_id, t->account_id, t->pw_hash);
		if (st >= 0)
			t->result = st == 1 ? SIGNUP_LINK_OK : SIGNUP_LINK_USED;
	} else if (c[6] != NULL && token_id == t->cookie_token &&
	    t->account_id == t->cookie_account) {
		/* The browser whose step 1 issued this token typed its password. */
		st = activate_in_txn(token_id, t->account_id, c[6]);
		if (st >= 0)
			t->result = st == 1 ? SIGNUP_LINK_OK : SIGNUP_LINK_USED;
	} else
		t->result = SIGNUP_LINK_PASSWORD;	/* nothing changes */
	util_free_secret(c[6]);
	c[6] = NULL;
	free_cols(c, 7);
	return st < 0 ? st : 0;
}

int
signup_activate_link(const char *token, const struct signup_cookie *cookie,
    const char *pw_hash, long long *account_id)
{
	struct link_txn	 t;
	unsigned char	 raw[CRYPTO_TOKEN_BYTES];
	char		 hash[65];
	int		 st;

	*account_id = 0;
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_LEN ||
	    crypto_b64url_decode(token, raw, sizeof(raw)) != CRYPTO_TOKEN_BYTES)
		return SIGNUP_LINK_UNKNOWN;
	util_wipe(raw, sizeof(raw));
	crypto_sha256_hex(token, hash);
	memset(&t, 0, sizeof(t));
	t.hash = hash;
	t.pw_hash = pw_hash;
	if (cookie != NULL) {
		t.cookie_account = cookie->account_id;
		t.cookie_token = cookie->token_id;
	}
	if ((st = db_txn(link_fn, &t)) < 0)
		return st;
	*account_id = t.account_id;
	return t.result;
}

struct code_txn {
	long long	 account_id, token_id;
	int		 newest;
	const char	*code;
	int		 result;
};

static int
code_fn(void *arg)
{
	struct code_txn	*t = arg;
	char		*c[9] = { NULL }, mac[65];
	long long	 tries;
	int		 st;

	t->result = SIGNUP_CODE_DEAD;
	if (t->token_id > 0)
		st = db_row(c, 9, "SELECT t.id, t.token_hash, t.code_hash,"
		    " t.code_expires_at > NOW(6), t.code_tries, t.expires_at > NOW(6),"
		    " t.used_at IS NULL AND t.superseded_at IS NULL, a.state, t.data"
		    " FROM tokens t JOIN accounts a ON a.id = t.account_id"
		    " WHERE t.id = ? AND t.account_id = ? AND t.purpose = 'activate'"
		    " FOR UPDATE", "ii", t->token_id, t->account_id);
	else
		st = db_row(c, 9, "SELECT t.id, t.token_hash, t.code_hash,"
		    " t.code_expires_at > NOW(6), t.code_tries, t.expires_at > NOW(6),"
		    " t.used_at IS NULL AND t.superseded_at IS NULL, a.state, t.data"
		    " FROM tokens t JOIN accounts a ON a.id = t.account_id"
		    " WHERE t.account_id = ? AND t.purpose = 'activate'"
		    " AND t.used_at IS NULL AND t.superseded_at IS NULL"
		    " ORDER BY t.id DESC LIMIT 1 FOR UPDATE", "i", t->account_id);
	if (st <= 0)
		return st;
	tries = strtoll(c[4] ? c[4] : "0", NULL, 10);
	if (c[2] == NULL || strcmp(c[7], "pending") != 0 || strcmp(c[6], "1") != 0 ||
	    strcmp(c[5], "1") != 0 || c[3] == NULL || strcmp(c[3], "1") != 0 ||
	    tries >= config_int("Signup.CodeTries")) {
		st = 0;
		goto out;
	}
	if (code_mac(c[1], t->code, mac) != 0) {
		st = DB_ERR;
		goto out;
	}
	if (crypto_streq(mac, c[2])) {
		/*
		 * A pending session proved the account's password at login: keep
		 * it. (The newest token may carry the password of somebody else's
		 * later step 1 with this address.)
		 */
		st = activate_in_txn(strtoll(c[0], NULL, 10), t->account_id,
		    t->newest ? NULL : c[8]);
		if (st == 1)
			t->result = SIGNUP_CODE_OK;
		goto out;
	}
	st = (int)db_exec("UPDATE tokens SET code_tries = code_tries + 1 WHERE id = ?",
	    "i", strtoll(c[0], NULL, 10));
	if (st >= 0)
		t->result = tries + 1 >= config_int("Signup.CodeTries") ?
		    SIGNUP_CODE_DEAD : SIGNUP_CODE_WRONG;
 out:
	util_wipe(mac, sizeof(mac));
	util_free_secret(c[8]);
	c[8] = NULL;
	free_cols(c, 9);
	return st < 0 ? st : 0;
}

int
signup_activate_code(long long account_id, long long token_id, int newest,
    const char *code)
{
	struct code_txn	 t;
	char		 key[THROTTLE_KEY_MAX];
	long long	 n;
	int		 st;

	if (token_id == 0 && !newest) {
		/*
		 * This browser's request issued no code (the address has a finished
		 * account, or its mail was rate-limited). Answer as a real code
		 * would: wrong, and dead after Signup.CodeTries tries.
		 */
		throttle_key_acct(key, sizeof(key), "sucode", account_id);
		n = throttle_hit(key, (int)config_int("Signup.CodeMinutes") * 60);
		if (n < 0)
			return (int)n;
		return n >= config_int("Signup.CodeTries") ? SIGNUP_CODE_DEAD :
		    SIGNUP_CODE_WRONG;
	}
	memset(&t, 0, sizeof(t));
	t.account_id = account_id;
	t.token_id = token_id;
	t.newest = newest;
	t.code = code;
	if ((st = db_txn(code_fn, &t)) < 0)
		return st;
	return t.result;
}

int
signup_activated(struct req *r, long long account_id)
{
	int	 st;

	if ((st = session_start(r, account_id)) != 0)
		return st;
	signup_cookie_clear(r);
	audit(r, "signup.activate", account_id);
	return 0;
}

/* ---- pages ---- */

void
signup_page(struct req *r, const char *template, int step,
    struct entry_ctx *ctx)
{
	struct entry_ctx local;

	if (ctx == NULL)
		ctx = &local;
	r->template = template;
	if (step > 0)
		req_set_int(r, "Page.Step", step);
	req_set(r, "Page.Script", "signup");
	memset(ctx, 0, sizeof(*ctx));
	if (entry_context(r, ctx) != 1)
		memset(ctx, 0, sizeof(*ctx));
	/* The insurer's maintenance notice, once the insurer is known: from the
	 * entry link, else the one step 3 stored on the account. */
	if (ctx->insurer_id != 0)
		(void)maintenance_show(r, ctx->insurer_id);
	else if (r->sess != NULL && r->sess->account_id != 0)
		(void)maintenance_show_account(r, r->sess->account_id);
}
