/*
 * GET, POST /login — the login form (SPEC §4): メールアドレス, パスワード, the image
 * CAPTCHA and "次回から自動的にログインする". The policy is explained in
 * docs/login-security.md; in short:
 *
 * GET writes nothing and makes no database round trip: the CAPTCHA level comes
 * from what this worker keeps of the counters and the allowlist (at most
 * Login.ViewCacheSeconds old: throttle_login_view, insurer_ip_allowlisted_view)
 * and the challenge is sealed, not stored. A page that asked too little is
 * caught by the POST, which decides on the table (step 3).
 *
 * POST, in this order:
 *  1. count the attempt (address and its /24 or /64) and take the CAPTCHA level
 *     of the client address (throttle_captcha_level: concentration, failures,
 *     insurer allowlist);
 *  2. take the level of the e-mail address: an account with Login.SlowAfterFailures
 *     consecutive failures needs at least medium, even from an allowlisted
 *     address; a locked account needs the hard IMAGE challenge (the text question
 *     is machine-solvable). Unknown addresses get the same treatment from a
 *     counter keyed by an HMAC of the address, so the CAPTCHA does not tell
 *     whether an address has an account;
 *  3. verify the CAPTCHA (single use); a wrong, replayed or expired one is a
 *     failure of the client address and gets a new challenge; the password is not
 *     looked at;
 *  4. verify the password (Argon2id; crypto_password_dummy for unknown and
 *     withdrawn addresses, so both take the same time); the message of a failure
 *     never says which part was wrong; when the hashing pool is full the answer
 *     is 503 (req_busy) and nothing counts as a failure;
 *  5. a failure of a known account counts in accounts.failed_logins; reaching
 *     Login.LockAfterFailures locks it for Login.LockMinutes and mails its owner,
 *     once per lock. The lock ends by itself; before that, the hard image
 *     CAPTCHA together with the right password also ends it (anti-lockout: an
 *     attacker can make the owner's login harder, never impossible); the
 *     failure is in the owner's list of logins (login_history, same
 *     transaction);
 *  6. success: counters reset, rehash when the Argon2 cost changed, the login
 *     recorded for the member's list (login_history: network, browser; one
 *     INSERT in the same transaction), a new session id tied to that row,
 *     remember-me if ticked, then on by state: pending → /signup/sent,
 *     verified → /signup/eligibility, active → next (local, safe) or /top.
 *
 * Returns 200 (the form, with errors), 303, or 500/503.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "captcha.h"
#include "captcha_provider.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "deletion.h"
#include "entry.h"
#include "hashpool.h"
#include "insurer.h"
#include "log.h"
#include "login_history.h"
#include "maintenance.h"
#include "metrics.h"
#include "outbox.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "template.h"
#include "throttle.h"
#include "util.h"

#define NEXT_MAX	200

/* What the form must ask next. */
struct need {
	int	 level;		/* 0 none, 1..3 */
	int	 image_only;	/* the text question is not accepted (a locked account) */
	int	 text;		/* show the text question instead of the image */
};

/*
 * What this POST read from the database and counted since: the client address's
 * counters (this attempt and any failure included), whether it is allowlisted,
 * and the failures of an unknown e-mail address.
 */
struct seen {
	struct throttle_login c;
	int		 allow;
	long long	 af;
};

/* 0 only in test configurations (Login.Captcha = off). */
static int
captcha_on(void)
{
	return strcmp(config_str("Login.Captcha"), "off") != 0;
}

/* Login.LockMinutes in seconds: the window of the unknown-address counter. */
static int
lock_window(void)
{
	return (int)(60 * config_int("Login.LockMinutes"));
}

/*
 * next, if it is a local path we are willing to go to after login: "/x…" with
 * only unreserved URL characters, not protocol-relative, and not a page that
 * would loop or carries a token. NULL otherwise.
 */
static const char *
safe_next(const char *next)
{
	static const char *const refused[] = {
		"/login", "/logout", "/captcha", "/password/reset", "/entry", "/users/",
	};
	size_t		 i, n;

	if (!redirect_target_ok(next) || (n = strlen(next)) > NEXT_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789/-._~?=&%+", next[i]) == NULL)
			return NULL;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strncmp(next, refused[i], strlen(refused[i])) == 0)
			return NULL;
	return next;
}

/* Where a logged-in account goes: by state, or next for an active one. */
static int
go_on(struct req *r, const char *state, const char *next)
{
	if (state != NULL && strcmp(state, "pending") == 0)
		return req_redirect(r, "/signup/sent");
	if (state != NULL && strcmp(state, "verified") == 0)
		return req_redirect(r, "/signup/eligibility");
	if ((next = safe_next(next)) != NULL)
		return req_redirect(r, "%s", next);
	return req_redirect(r, "/top");
}

/*
 * The CAPTCHA level an e-mail address adds (step 2 above). a is its account
 * (NULL when unknown or withdrawn); addr_failures the failures counted for an
 * unknown address in the current lock window.
 */
static void
address_need(const struct account *a, long long addr_failures, struct need *n)
{
	long long	 slow = config_int("Login.SlowAfterFailures");
	long long	 lock = config_int("Login.LockAfterFailures");

	n->level = 0;
	n->image_only = 0;
	if (a != NULL && a->locked) {
		n->level = 3;
		n->image_only = 1;
	} else if (a != NULL && a->failed_logins >= slow)
		n->level = 2;
	else if (a == NULL && addr_failures >= lock) {
		n->level = 3;
		n->image_only = 1;
	} else if (a == NULL && addr_failures >= slow)
		n->level = 2;
	if (!captcha_on())
		n->level = n->image_only = 0;
}

/*
 * The level of the client address for a page view: from what this worker keeps
 * (at most Login.ViewCacheSeconds old; no round trip). 0 or a db_status.
 */
static int
view_level(struct req *r, int *level)
{
	struct throttle_login c;
	int		 st, allow;

	if ((st = throttle_login_view(r->ip, &c)) < 0)
		return st;
	if ((allow = insurer_ip_allowlisted_view(r->ip)) < 0)
		return allow;
	*level = throttle_captcha_level(&c, allow);
	return 0;
}

/*
 * Render the form with a fresh challenge as n asks. Keeps the typed address and
 * the remember box. 200, or 500 when no challenge can be made.
 */
static int
show_form(struct req *r, const struct need *n)
{
	struct entry_ctx ctx;
	char		 ch[CAPTCHA_CHALLENGE_MAX], q[256], daystr[24], *hint;
	const char	*vars[] = { "days", NULL, NULL };
	const char	*next = safe_next(req_param(r, "next"));
	long long	 days = config_int("Session.RememberDays");
	int		 text = n->text && !n->image_only, rc;

	(void)entry_context(r, &ctx);
	(void)maintenance_show(r, ctx.insurer_id);
	r->template = "login";
	r->nostore = 1;
	if (next != NULL)
		req_set(r, "Login.Next", next);
	req_set_int(r, "Login.RememberDays", days);
	if (days > 0) {
		snprintf(daystr, sizeof(daystr), "%lld", days);
		vars[1] = daystr;
		hint = req_text_vars(r, "Login.RememberHint", vars);
		req_set(r, "Login.RememberHint", hint);
		free(hint);
	}
	if (n->level <= 0)
		return 200;
	if (captcha_provider_enabled()) {
		req_set(r, "Captcha.Provider", "1");
		req_set(r, "Captcha.SiteKey", config_str("Login.RecaptchaSiteKey"));
		return 200;
	}
	rc = text ? captcha_text_new(n->level, ch, sizeof(ch)) :
	    captcha_new(n->level, ch, sizeof(ch));
	if (rc != 0)
		return 500;
	req_set(r, "Captcha.Challenge", ch);
	req_set_int(r, "Captcha.Level", n->level);
	req_set_int(r, "Captcha.Hard", n->level >= CAPTCHA_LEVEL_MAX);
	req_set_int(r, "Captcha.TextAllowed", !n->image_only);
	if (text) {
		if (captcha_question(ch, tmpl_lang(r->lang), q, sizeof(q)) != 0)
			return 500;
		req_set(r, "Captcha.Kind", "text");
		req_set(r, "Captcha.Question", q);
	} else {
		req_set(r, "Captcha.Kind", "image");
		req_setf(r, "Captcha.Image", "/captcha/%s.png", ch);
	}
	return 200;
}

/*
 * GET: a logged-in browser goes on to its page; others get the form with a
 * challenge of the client address's level (read only). 200, 303 or 503.
 */
static int
login_get(struct req *r)
{
	struct need	 n = { 0, 0, 0 };
	const char	*done = req_param(r, "done"), *cap = req_param(r, "captcha");
	char		 key[32];
	int		 st;

	if (r->sess != NULL && r->sess->state != NULL &&
	    strcmp(r->sess->state, "withdrawn") != 0 &&
	    strcmp(r->sess->state, "closed") != 0)
		return go_on(r, r->sess->state, req_param(r, "next"));
	if ((st = view_level(r, &n.level)) < 0)
		return req_db_error(r, st);
	n.text = cap != NULL && strcmp(cap, "text") == 0;
	if (done != NULL && (strcmp(done, "logout") == 0 ||
	    strcmp(done, "reset") == 0 || strcmp(done, "expired") == 0)) {
		snprintf(key, sizeof(key), "Login.Done.%s", done);
		req_set(r, "Login.Done", req_text(r, key));
	}
	return show_form(r, &n);
}

/* The unlock time of a lock starting now, in Japan time, for the mail. */
static void
unlock_time(char *out, size_t cap)
{
	time_t		 t = (time_t)(util_now() + lock_window() + 9 * 3600);
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, cap, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, cap, "-");
}

struct failure {
	const struct account *a;
	int		 locked_now;	/* out */
};

/*
 * One more consecutive failure; lock at Login.LockAfterFailures unless already
 * locked, and then (once per lock) mail the owner in the same transaction.
 */
static int
failure_txn(void *arg)
{
	struct failure	*f = arg;
	HDF		*vars = NULL;
	NEOERR		*err;
	const char	*base = config_str("Service.BaseURL");
	char		 when[32], mins[24], *login = NULL, *forgot = NULL;
	long long	 n;

	f->locked_now = 0;
	if ((n = db_exec("UPDATE accounts SET failed_logins = failed_logins + 1"
	    " WHERE id = ?", "i", f->a->id)) < 0)
		return (int)n;
	n = db_exec("UPDATE accounts SET locked_until = NOW(6) + INTERVAL ? MINUTE"
	    " WHERE id = ? AND failed_logins >= ? AND"
	    " (locked_until IS NULL OR locked_until <= NOW(6))", "iii",
	    config_int("Login.LockMinutes"), f->a->id,
	    config_int("Login.LockAfterFailures"));
	if (n <= 0)
		return (int)n;
	f->locked_now = 1;
	unlock_time(when, sizeof(when));
	snprintf(mins, sizeof(mins), "%lld", config_int("Login.LockMinutes"));
	login = xasprintf("%s/login", base);
	forgot = xasprintf("%s/password/forgot", base);
	if ((err = hdf_init(&vars)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.LockMinutes", mins)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.UnlockAt", when)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.LoginURL", login)) != STATUS_OK ||
	    (err = hdf_set_value(vars, "Mail.ForgotURL", forgot)) != STATUS_OK) {
		nerr_ignore(&err);
		n = DB_ERR;
		goto out;
	}
	n = outbox_enqueue(f->a->email, "login_locked", vars,
	    f->a->lang != NULL ? f->a->lang : "ja");
 out:
	if (vars != NULL)
		hdf_destroy(&vars);
	free(login);
	free(forgot);
	return n < 0 ? (int)n : 0;
}

/* A failed password, counted in one transaction (step 5). */
struct failed {
	struct req	*r;
	struct seen	*sn;
	const char	*addrkey;	/* an unknown address's counter, or NULL */
	struct failure	 f;		/* a known account (f.a) */
};

static int
failed_txn(void *arg)
{
	struct failed	*fl = arg;
	long long	 n;
	int		 st;

	if ((n = throttle_login_failed(fl->r->ip)) < 0)
		return (int)n;
	fl->sn->c.ip_failures = n;
	if (fl->addrkey != NULL) {
		if ((n = throttle_hit(fl->addrkey, lock_window())) < 0)
			return (int)n;
		fl->sn->af = n;
	} else {
		if ((st = failure_txn(&fl->f)) < 0)
			return st;
		if ((n = login_history_add(fl->r, fl->f.a->id, LOGIN_FAILED)) < 0)
			return (int)n;
	}
	audit(fl->r, "login.fail", fl->addrkey != NULL ? 0 : fl->f.a->id);
	return 0;
}

struct success {
	struct req	*r;
	long long	 id;
	const char	*oldhash;	/* the hash the password was checked against */
	const char	*newhash;	/* rehash, or NULL */
	int		 stale;		/* out: the account's hash changed meanwhile */
	long long	 login_id;	/* out: the login_history row */
};

/*
 * A good login: counters and lock cleared, the new hash stored on a rehash,
 * the login recorded (s->login_id) — unless the password hash changed since it
 * was read (an activation, a reset or a password change committed meanwhile):
 * then s->stale, and nothing.
 */
static int
success_txn(void *arg)
{
	struct success	*s = arg;
	char		*h = NULL;
	long long	 n;
	int		 st;

	s->stale = 0;
	s->login_id = 0;
	if ((st = db_row(&h, 1, "SELECT password_hash FROM accounts WHERE id = ?"
	    " FOR UPDATE", "i", s->id)) < 0)
		return st;
	if (st == 0 || h == NULL || strcmp(h, s->oldhash) != 0) {
		util_free_secret(h);
		s->stale = 1;
		return 0;
	}
	util_free_secret(h);
	if (s->newhash != NULL)
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL,"
		    " password_hash = ? WHERE id = ?", "si", s->newhash, s->id);
	else
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL"
		    " WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
		    "i", s->id);
	if (n < 0)
		return (int)n;
	if ((n = login_history_add(s->r, s->id, LOGIN_PASSWORD)) < 0)
		return (int)n;
	s->login_id = n;
	return 0;
}

/*
 * 1 when the account's password hash is still want, 0 when it changed (an
 * activation of a pending account by its address's owner, a reset), or a
 * db_status. Checked after the session row exists: an activation that commits
 * after this read deletes that row itself (activate_in_txn), one that
 * committed before it is seen here.
 */
static int
hash_unchanged(long long id, const char *want)
{
	char	*h = NULL;
	int	 st;

	if ((st = db_row(&h, 1, "SELECT password_hash FROM accounts WHERE id = ?",
	    "i", id)) < 0)
		return st;
	st = st == 1 && h != NULL && strcmp(h, want) == 0;
	util_free_secret(h);
	return st;
}

/*
 * Re-render after a failed or refused POST with both levels as they are now —
 * from what this request read and counted (no second round trip; a parallel
 * request's counts show on the next POST, which decides on the table).
 */
static int
again(struct req *r, const struct seen *sn, const struct account *a, int was_text)
{
	struct need	 n = { 0, 0, 0 }, an;

	n.level = throttle_captcha_level(&sn->c, sn->allow);
	address_need(a, sn->af, &an);
	if (an.level > n.level)
		n.level = an.level;
	n.image_only = an.image_only;
	n.text = was_text;
	return show_form(r, &n);
}

/* Count a failure of the client address (a failed count is not fatal here:
 * the failure is still answered as one). */
static void
failed_here(struct req *r, struct seen *sn)
{
	long long	 n;

	if ((n = throttle_login_failed(r->ip)) >= 0)
		sn->c.ip_failures = n;
}

/*
 * Step 3: check the CAPTCHA of a POST that needs level need (image only when
 * image_only). Returns 1 when it passed; 0 when it did not (a form error is set;
 * a wrong, replayed or expired answer also counts as a failure of the client
 * address); or a db_status.
 */
static int
captcha_check(struct req *r, struct seen *sn, int need, int image_only, int was_text)
{
	struct captcha_box box;
	const char	*challenge = req_param(r, "captcha_challenge");
	const char	*answer = req_param_trim(r, "captcha");
	int		 verdict;

	if (captcha_provider_enabled()) {
		/* The operator's reCAPTCHA-compatible service has its own levels. */
		verdict = captcha_provider_verify(req_param(r, "g-recaptcha-response"),
		    r->ip);
		if (verdict == CAPTCHA_PROVIDER_OK)
			return 1;
		if (verdict == CAPTCHA_PROVIDER_UNAVAILABLE) {
			req_form_error(r, "captcha", "Login.Error.ProviderUnavailable");
			return 0;
		}
		failed_here(r, sn);
		audit(r, "login.captcha_fail", 0);
		req_form_error(r, "captcha", "Login.Error.ProviderRefused");
		return 0;
	}
	if (challenge == NULL) {
		/* The page had none (allowlisted, or the address asks for one). */
		req_form_error(r, "captcha", "Login.Error.CaptchaNeeded");
		return 0;
	}
	if (captcha_open_at(challenge, util_now(), &box) != 0) {
		/* Forged, damaged or expired. */
		util_wipe(&box, sizeof(box));
		failed_here(r, sn);
		audit(r, "login.captcha_fail", 0);
		req_form_error(r, "captcha", "Captcha.Error.Expired");
		return 0;
	}
	if (box.level < need || (image_only && box.kind != CAPTCHA_IMAGE)) {
		/* The level rose since the page was shown: not the member's fault. */
		util_wipe(&box, sizeof(box));
		req_form_error(r, "captcha", "Login.Error.CaptchaHarder");
		return 0;
	}
	util_wipe(&box, sizeof(box));
	if (answer == NULL) {
		req_form_error(r, "captcha", was_text ?
		    "Login.Error.CaptchaTextRequired" : "Captcha.Error.Required");
		return 0;
	}
	verdict = captcha_verify(challenge, answer, need);
	if (verdict == CAPTCHA_DBFAIL)
		return DB_DOWN;
	if (verdict == CAPTCHA_RIGHT)
		return 1;
	failed_here(r, sn);
	audit(r, "login.captcha_fail", 0);
	req_form_error(r, "captcha", verdict == CAPTCHA_INVALID ?
	    "Captcha.Error.Expired" : was_text ?
	    "Captcha.Error.WrongText" : "Captcha.Error.Wrong");
	return 0;
}

/* POST: steps 1–6 of the comment at the top. 200, 303, 500 or 503. */
static int
login_post(struct req *r)
{
	struct seen	 sn;
	struct account	*a = NULL;
	struct need	 an;
	struct failed	 fl;
	struct success	 s;
	const char	*password = req_param(r, "password");
	const char	*challenge = req_param(r, "captcha_challenge");
	const char	*raw = req_param(r, "email"), *remember = req_param(r, "remember");
	char		 addrkey[THROTTLE_KEY_MAX], *email = NULL, *newhash = NULL;
	long long	 n;
	int		 st, need, ok, rehash = 0, was_text = 0, known;

	addrkey[0] = '\0';
	memset(&sn, 0, sizeof(sn));
	if (hashpool_full())
		return req_busy(r);	/* before any work: nothing is counted */
	if (raw != NULL)
		req_set(r, "Login.Email", raw);
	if (remember != NULL && remember[0] != '\0')
		req_set(r, "Login.Remember", "1");
	if ((st = throttle_login_attempt(r->ip, &sn.c)) < 0)
		return req_db_error(r, st);
	if ((sn.allow = insurer_ip_allowlisted(r->ip, NULL)) < 0)
		return req_db_error(r, sn.allow);
	need = throttle_captcha_level(&sn.c, sn.allow);
	sn.c.ip_requests++;	/* this attempt, counted */
	sn.c.net_requests++;
	if (challenge != NULL && captcha_kind(challenge) == CAPTCHA_TEXT)
		was_text = 1;

	email = account_email_normalize(raw);
	if (email == NULL)
		req_form_error(r, "email", "Login.Error.EmailRequired");
	else if (!account_email_valid(email))
		req_form_error(r, "email", "Login.Error.EmailFormat");
	if (password == NULL || password[0] == '\0')
		req_form_error(r, "password", "Login.Error.PasswordRequired");
	if (r->nerrors > 0) {
		st = again(r, &sn, NULL, was_text);
		goto out;
	}

	/* Step 2: what the address asks for. */
	if ((st = account_find_email(email, &a)) < 0)
		goto dberr;
	if (a != NULL && (strcmp(a->state, "withdrawn") == 0 ||
	    strcmp(a->state, "closed") == 0)) {
		account_free(a);
		a = NULL;
	}
	known = a != NULL;
	if (!known) {
		throttle_key_addr(addrkey, sizeof(addrkey), "login", email);
		if (captcha_on() &&
		    (sn.af = throttle_count(addrkey, lock_window())) < 0) {
			st = (int)sn.af;
			goto dberr;
		}
	} else if (!a->locked &&
	    a->failed_logins >= config_int("Login.LockAfterFailures")) {
		/* The lock has run out: it ends by itself, counters start afresh. */
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL"
		    " WHERE id = ? AND (locked_until IS NULL OR locked_until <= NOW(6))",
		    "i", a->id);
		if (n < 0) {
			st = (int)n;
			goto dberr;
		}
		if (n > 0)
			audit(r, "login.unlock", a->id);
		a->failed_logins = 0;
	}
	address_need(a, sn.af, &an);
	if (an.level > need)
		need = an.level;

	/* Step 3: the CAPTCHA, before the password is even looked at. */
	if (need > 0 &&
	    (st = captcha_check(r, &sn, need, an.image_only, was_text)) != 1) {
		if (st < 0)
			goto dberr;
		st = again(r, &sn, a, was_text);
		goto out;
	}

	/* Step 4: the password, in the same time whether or not the address exists. */
	if (!known) {
		ok = crypto_password_dummy(password);
		if (ok != CRYPTO_BUSY)
			ok = 0;
	} else {
		ok = crypto_password_verify(password, a->password_hash, &rehash);
		if (ok < 0 && ok != CRYPTO_BUSY) {
			log_err("login: stored hash of account %lld is malformed", a->id);
			ok = 0;
		}
		/* Without the CAPTCHA (tests) nothing lifts a lock but time. */
		if (a->locked && !captcha_on() && ok == 1)
			ok = 0;
	}
	if (ok == CRYPTO_BUSY) {
		/* The hashing pool is full: neither a success nor a failure. */
		st = req_busy(r);
		goto out;
	}

	if (!ok) {
		/* Step 5, in one transaction (one commit for the counters, the
		 * account and the audit row). */
		memset(&fl, 0, sizeof(fl));
		fl.r = r;
		fl.sn = &sn;
		fl.addrkey = known ? NULL : addrkey;
		fl.f.a = a;
		if ((st = db_txn(failed_txn, &fl)) < 0)
			goto dberr;
		if (known) {
			a->failed_logins++;
			if (fl.f.locked_now) {
				a->locked = 1;
				audit(r, "login.locked", a->id);
			}
		}
		metrics_add(M_LOGIN_FAIL, 1);
		req_form_error(r, "login", "Login.Error.Failed");
		st = again(r, &sn, a, was_text);
		goto out;
	}

	/* Step 6. */
	if (rehash && (newhash = crypto_password_hash(password)) == NULL)
		log_warn("login: rehash of account %lld failed; keeping the old hash",
		    a->id);
	s.r = r;
	s.id = a->id;
	s.oldhash = a->password_hash;
	s.newhash = newhash;
	if ((st = db_txn(success_txn, &s)) < 0)
		goto dberr;
	if (!s.stale) {
		if ((st = session_remember_clear(r)) < 0 ||
		    (st = session_start_login(r, a->id, s.login_id)) < 0)
			goto dberr;
		if ((st = hash_unchanged(a->id, newhash != NULL ? newhash :
		    a->password_hash)) < 0)
			goto dberr;
		if (st == 0) {
			s.stale = 1;
			if ((st = session_end(r)) < 0)
				goto dberr;
			/* The member's list says what happened. */
			if (db_exec("UPDATE login_history SET kind = 'failed'"
			    " WHERE id = ?", "i", s.login_id) < 0)
				log_warn("login: history row not corrected");
		}
	}
	if (s.stale) {
		/* The password proven here stopped being the account's while we
		 * checked it: it no longer opens the account. */
		log_warn("login: account %lld changed its password meanwhile", a->id);
		audit(r, "login.fail", a->id);
		metrics_add(M_LOGIN_FAIL, 1);
		req_form_error(r, "login", "Login.Error.Failed");
		st = again(r, &sn, a, was_text);
		goto out;
	}
	if (a->locked)
		audit(r, "login.unlock", a->id);
	if (remember != NULL && remember[0] != '\0' &&
	    (st = session_remember_issue(r, a->id)) < 0)
		log_warn("login: remember-me not issued (%d)", st);
	audit(r, "login.ok", a->id);
	/* The owner is here: a deletion request against the account is objected
	 * to (src/deletion.c); the operator sees it before deciding. */
	if ((st = deletion_objection(a->id, r->ip)) < 0)
		log_warn("login: deletion requests of account %lld not flagged (%d)",
		    a->id, st);
	metrics_add(M_LOGIN_OK, 1);
	st = go_on(r, a->state, req_param(r, "next"));
	goto out;
 dberr:
	st = req_db_error(r, st);
 out:
	util_free_secret(newhash);
	free(email);
	account_free(a);
	return st;
}

/* The route's handler (routes.def). */
int
page_login(struct req *r)
{
	if (strcmp(r->method, "POST") == 0)
		return login_post(r);
	return login_get(r);
}
