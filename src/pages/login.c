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
 *  1. read the counters of the client address (and its /24 or /64) and take its
 *     CAPTCHA level (throttle_captcha_level: concentration, failures, insurer
 *     allowlist); the attempt itself is counted by the one write of step 4, or
 *     alone when the POST stops earlier;
 *  2. take the level of the e-mail address: an account with Login.SlowAfterFailures
 *     consecutive failures needs at least medium, even from an allowlisted
 *     address; a locked account needs the hard IMAGE challenge (the text question
 *     is machine-solvable). Unknown addresses get the same treatment from a
 *     counter keyed by an HMAC of the address, so the CAPTCHA does not tell
 *     whether an address has an account;
 *  3. check the CAPTCHA (single use); a wrong, replayed or expired one is a
 *     failure of the client address and gets a new challenge; the password is not
 *     looked at. The answer is checked, and the challenge's use recorded, inside
 *     step 4's transaction (when the challenge cannot pass anyway, the refusal is
 *     counted alone);
 *  4. take a place in the hash pool (hashpool_reserve; none free: 503, nothing
 *     counted), then count, in ONE transaction: the attempt, the challenge's
 *     use, and the failure of the password AHEAD of its check — a failure of the
 *     client address, accounts.failed_logins of a known account (and a row of
 *     its owner's list of logins, login_history, kind failed) or the counter
 *     of an unknown address, and the audit row, written as login.fail. Then
 *     verify the password (Argon2id; crypto_password_dummy for unknown and
 *     withdrawn addresses, so both take the same time); the message of a failure
 *     never says which part was wrong;
 *  5. a wrong password writes nothing more: it was counted in step 4. Only when
 *     that count reached Login.LockAfterFailures does a second transaction lock
 *     the account for Login.LockMinutes and mail its owner, once per lock. The
 *     lock ends by itself; before that, the hard image CAPTCHA together with
 *     the right password also ends it (anti-lockout: an attacker can make the
 *     owner's login harder, never impossible);
 *  6. success: in the transaction that clears the account's counters and lock
 *     (and stores a rehash), the failure counted ahead is taken back from the
 *     client address (its window of step 4, not the current one), the audit
 *     row becomes login.ok and the login_history row a password login (the
 *     member's list: network, browser), and a filed deletion request against
 *     the account becomes objected (src/deletion.h: its owner is here), and
 *     a new session id tied to that row and remember-me if ticked are made
 *     (one commit with a touch of the account row that also checks the
 *     hash: src/session.h, session_open_new); then on by
 *     state: pending → /signup/sent, verified → /signup/eligibility, active →
 *     next (local, safe) or /top. An account with TOTP on (src/member_totp.h)
 *     gets no session here: pending_txn makes a pending login (the cookie
 *     "mfa") and 303 → /login/otp asks the code (src/pages/login_otp.c,
 *     docs/mfa.md), which then does what this step does.
 *
 * Why count a failure before knowing it is one: a wrong password — what a
 * password-guessing flood posts — then costs one durable commit instead of two
 * (before, the attempt was committed before the hash and the failure with its
 * audit row after it), and the commit with its fsync was the largest cost of a
 * failed login beside the hash itself (README, issue 9). The success path
 * commits anyway (the session), so it takes the pre-count back in a
 * transaction it has. Measured with MariaDB's counters (docs/login-security.md
 * §2): a wrong password 2 durable commits → 1 (3 → 1 with the CAPTCHA on) and
 * 2 statements fewer; a success 4 → 3 commits (5 → 3) but 6 statements more —
 * the counting transaction's START, COMMIT and account UPDATE, and the
 * take-back's three UPDATEs (client counter, history row, audit row). Folding
 * those into multi-table UPDATEs could win most of them back; a success is not
 * what a flood posts, and a round trip costs far less than a commit, so they
 * stay plain statements.
 *
 * What this keeps:
 *  - a page worker killed between steps 4 and 5 (or 6) leaves the failure
 *    counted and audited as login.fail: the safe side. If that failure was
 *    the one to lock, the lock comes with the next failure: step 2 ends a lock
 *    only when locked_until is set and past, so a count at the threshold with
 *    no lock yet (a lock still to come, or a worker killed first) is kept;
 *  - the lock and its one mail: lock_txn locks only an account not locked now,
 *    so concurrent failures that all reach the threshold mail once;
 *  - the CAPTCHA levels: in-flight logins count as failures for the few tens of
 *    milliseconds of their hash (a member's success then takes it back), which
 *    can only raise a level, never lower one;
 *  - a 503 counts nothing: the pool place is taken before the count (a flood
 *    refused for want of room costs no write at all, and no failure is ever
 *    visible for a login that is not decided). The pool can still fail a hash
 *    it took (a pool process that cannot compute, no answer in time): then
 *    uncount_txn takes back what was counted ahead — a second commit, only
 *    when the pool is broken; the attempt and the challenge's use stay;
 *  - the audit trail and the owner's list of logins: one row each per password
 *    checked, written as login.fail (kind failed) with the time of the
 *    attempt; a success rewrites them to login.ok (kind password) in its own
 *    transaction (so a reader may see a failure for that row for the time of
 *    one hash), a password that changed meanwhile leaves or makes them
 *    failures, and a refused hash removes them.
 *
 * A protected address (issue 11): when the address typed needs the hard image
 * only — a locked account, or an unknown address with as many failures under
 * its counter (address_need) — every answer to a POST says so (Login.Protected)
 * and what the owner can do: the hard image with the right password, the
 * password reset (no image: it proves the mailbox, ends the lock and lets the
 * text question back in), or waiting (at most Login.LockMinutes). The same page
 * for both, so it tells nothing the hard-image-only CAPTCHA did not already
 * show; with the CAPTCHA off (tests) nothing is shown, as unknown addresses are
 * then not counted.
 *
 * POST with captcha_action (reload, text, image): the form's "another image"
 * and "cannot read it" buttons. Not a login attempt: it writes nothing and
 * makes no round trip (like a GET), and answers the form again with the typed
 * address, the remember box and next kept (never the password), a new
 * challenge of the kind asked, at least the level of the one posted, image
 * only when the page said so (captcha_image_only; forging it changes nothing:
 * the login POST decides). login.js posts the same in the background and
 * swaps the challenge in place, keeping the password typed.
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
#include "login_lock.h"
#include "maintenance.h"
#include "member_totp.h"
#include "metrics.h"
#include "outbox.h"
#include "redirect.h"
#include "request.h"
#include "router.h"
#include "session.h"
#include "template.h"
#include "throttle.h"
#include "util.h"


/* What the form must ask next. */
struct need {
	int	 level;		/* 0 none, 1..3 */
	int	 image_only;	/* the text question is not accepted (a locked account) */
	int	 text;		/* show the text question instead of the image */
};

/*
 * What this POST read from the database and counted since: the client address's
 * counters (this attempt and any failure included, once counted), whether it is
 * allowlisted, and the failures of an unknown e-mail address.
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

/* next, if it is a local path we are willing to go to after login
 * (redirect.h redirect_next), else NULL. */
static const char *
safe_next(const char *next)
{
	return redirect_next(next);
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
 * The notice of a protected address (the comment at the top): the same for a
 * locked account and an unknown address, with Login.LockMinutes as the longest
 * wait (a lock, or the unknown address's window, ends within it from now).
 */
static void
protected_notice(struct req *r)
{
	char		 mins[24], *t;
	const char	*vars[] = { "minutes", mins, NULL };

	snprintf(mins, sizeof(mins), "%lld", config_int("Login.LockMinutes"));
	req_set(r, "Login.Protected", "1");
	t = req_text_vars(r, "Login.Protected.Wait", vars);
	req_set(r, "Login.ProtectedWait", t);
	free(t);
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
	if (n->image_only)
		protected_notice(r);
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

/* Step 3's verdict before the counting transaction. */
enum cap_step {
	CAP_PASSED,	/* nothing to check (level 0), or the operator's service
			 * said yes */
	CAP_VERIFY,	/* a challenge of the level with an answer: the answer is
			 * checked, and the challenge's use recorded, in the
			 * counting transaction */
	CAP_REFUSED,	/* refused, not a failure (a form error is set) */
	CAP_FAILED,	/* refused as a failure of the client address (form error set) */
};

/*
 * What one POST counts, in one transaction (one commit; see the comment at the
 * top). In: the CAPTCHA step, and whether the password is checked next; then its
 * failure is counted ahead of the check: a failure of the client address, the
 * account's failed_logins (a) or the unknown address's counter (addrkey), and
 * the audit row login.fail. Out: what the success path, a lock or a busy pool
 * needs to settle it.
 */
struct count {
	struct req	*r;
	const struct account *a;	/* the account (password), or NULL */
	const char	*addrkey;	/* an unknown address's counter (password), or NULL */
	int		 cap;		/* enum cap_step */
	int		 need;		/* the level the challenge must have */
	int		 password;	/* the password is checked next */
	int		 passed;	/* out: the CAPTCHA passed (or there was none) */
	int		 verdict;	/* out: captcha_verify's, when it ran */
	long long	 at;		/* out: the database's clock of the count */
	long long	 audit_id;	/* out: the audit row counted ahead */
	long long	 history_id;	/* out: the account's login_history row, likewise */
	long long	 failed;	/* out: the account's failed_logins, this one counted */
};

static int
count_txn(void *arg)
{
	struct count	*c = arg;
	long long	 n;
	int		 st, ahead, fail;

	c->passed = c->cap == CAP_PASSED;
	c->verdict = 0;
	c->audit_id = c->history_id = c->failed = 0;
	if (c->cap == CAP_VERIFY) {
		c->verdict = captcha_verify(req_param(c->r, "captcha_challenge"),
		    req_param_trim(c->r, "captcha"), c->need);
		if (c->verdict == CAPTCHA_DBFAIL)
			return DB_DOWN;
		c->passed = c->verdict == CAPTCHA_RIGHT;
	}
	ahead = c->password && c->passed;
	fail = ahead || (c->cap != CAP_REFUSED && !c->passed);
	if ((st = throttle_login_count(c->r->ip, fail, ahead ? c->addrkey : NULL,
	    lock_window(), &c->at)) < 0)
		return st;
	if (fail && !ahead &&
	    (n = audit_open(c->r, "login.captcha_fail", 0)) < 0)
		return (int)n;
	if (!ahead)
		return 0;
	if (c->a != NULL) {
		/* LAST_INSERT_ID(expr) hands the new count back with the answer. */
		if ((n = db_exec("UPDATE accounts SET failed_logins ="
		    " LAST_INSERT_ID(failed_logins + 1) WHERE id = ?", "i",
		    c->a->id)) < 0)
			return (int)n;
		c->failed = n > 0 ? db_last_id() : c->a->failed_logins + 1;
		/* The owner's list of logins: a failure, until it is not. */
		if ((c->history_id = login_history_add(c->r, c->a->id,
		    LOGIN_FAILED)) < 0)
			return (int)c->history_id;
	}
	c->audit_id = audit_open(c->r, "login.fail", c->a != NULL ? c->a->id : 0);
	return c->audit_id < 0 ? (int)c->audit_id : 0;
}

/*
 * Count c: a transaction when there is more than the attempt's statement.
 * Then sn holds the counts with this POST's. 0 or a db_status.
 */
static int
count(struct count *c, struct seen *sn)
{
	int	 st;

	if (c->cap == CAP_VERIFY || c->cap == CAP_FAILED || c->password)
		st = db_txn(count_txn, c);
	else {
		c->passed = c->cap == CAP_PASSED;
		st = throttle_login_count(c->r->ip, 0, NULL, 0, &c->at);
	}
	if (st < 0)
		return st;
	throttle_prune_now_and_then();
	if (c->cap == CAP_VERIFY)
		captcha_prune_now_and_then();
	sn->c.ip_requests++;
	sn->c.net_requests++;
	if (c->cap != CAP_REFUSED && (!c->passed || c->password))
		sn->c.ip_failures++;
	if (c->password && c->passed && c->a == NULL)
		sn->af++;
	return 0;
}

/*
 * Step 4 refused for want of the pool after the count (the pool failed the
 * hash, or it did not answer in time): take back what was counted ahead — the
 * failures, the audit row and the login_history row; the attempt stays counted.
 */
static int
uncount_txn(void *arg)
{
	struct count	*c = arg;
	long long	 n;
	int		 st;

	if ((st = throttle_login_uncount(c->r->ip, c->addrkey, lock_window(),
	    c->at)) < 0)
		return st;
	if (c->a != NULL) {
		if ((n = db_exec("UPDATE accounts SET failed_logins = failed_logins - 1"
		    " WHERE id = ? AND failed_logins > 0", "i", c->a->id)) < 0)
			return (int)n;
		if ((n = db_exec("DELETE FROM login_history WHERE id = ?", "i",
		    c->history_id)) < 0)
			return (int)n;
	}
	return audit_settle(c->audit_id, NULL);
}

struct success {
	struct req	*r;
	const struct count *c;		/* the count made ahead */
	long long	 id;
	const char	*oldhash;	/* the hash the password was checked against */
	const char	*newhash;	/* rehash, or NULL */
	struct session_open *so;	/* the session it opens */
	int		 stale;		/* out: the account's hash changed meanwhile */
	long long	 login_id;	/* out: the login_history row */
};

/*
 * A good login: counters and lock cleared, the new hash stored on a rehash, the
 * failure counted ahead taken back from the client address, its audit row
 * settled as login.ok and its login_history row as a password login (s->login_id)
 * and the session s->so made — unless the password hash changed since it was
 * read (an activation, a reset or a password change committed meanwhile):
 * then s->stale, nothing is written, and the failure stays counted.
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
	/*
	 * Galera: a certification key shared with a password reset (src/db.h).
	 * The row lock above is the node's own; this write, which always
	 * changes the row, makes a reset, a password change or an activation
	 * committed on another node conflict with this login, whose retry then
	 * sees the new hash.
	 */
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ? AND"
	    " password_hash = ?", "is", s->id, s->oldhash)) < 0)
		return (int)n;
	if (n == 0) {
		s->stale = 1;
		return 0;
	}
	if (s->newhash != NULL)
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL,"
		    " password_hash = ? WHERE id = ?", "si", s->newhash, s->id);
	else
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL"
		    " WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
		    "i", s->id);
	if (n < 0)
		return (int)n;
	if ((st = throttle_login_uncount(s->r->ip, NULL, 0, s->c->at)) < 0)
		return st;
	/* The rows counted ahead say what happened. */
	if ((n = db_exec("UPDATE login_history SET kind = ? WHERE id = ?", "si",
	    login_history_kind(LOGIN_PASSWORD), s->c->history_id)) < 0)
		return (int)n;
	s->login_id = s->c->history_id;
	/* The owner is here: a filed deletion request against the account is
	 * objected to (src/deletion.c), in this login's commit. */
	if ((st = deletion_objection(s->id, s->r->ip)) < 0)
		return st;
	if ((st = audit_settle(s->c->audit_id, "login.ok")) < 0)
		return st;
	return session_open_txn(s->so);
}

/*
 * Step 6 for an account with TOTP on (src/member_totp.h): no session yet. In
 * one transaction — unless the password hash changed since it was read
 * (p->stale) — a rehash is stored, the failure counted ahead is taken back
 * from the client address and from the account's failed_logins (which is
 * not cleared: only a complete login clears it, so the code step cannot be
 * retried for free by typing the password again), the audit row becomes
 * login.second_step, the login_history row stays a failure until the code is
 * right, and a pending login is made (p->token for the cookie).
 */
struct pending {
	struct req	*r;
	const struct count *c;
	const struct account *a;
	const char	*newhash;
	const char	*next;
	int		 remember;
	int		 stale;				/* out */
	char		 token[CRYPTO_TOKEN_LEN + 1];	/* out */
};

static int
pending_txn(void *arg)
{
	struct pending	*p = arg;
	char		*h = NULL;
	long long	 n;
	int		 st;

	p->stale = 0;
	if ((st = db_row(&h, 1, "SELECT password_hash FROM accounts WHERE id = ?"
	    " FOR UPDATE", "i", p->a->id)) < 0)
		return st;
	if (st == 0 || h == NULL || strcmp(h, p->a->password_hash) != 0) {
		util_free_secret(h);
		p->stale = 1;
		return 0;
	}
	util_free_secret(h);
	/* Galera: a certification key shared with a password reset (src/db.h),
	 * which drops the pending logins it can see. */
	if ((n = db_exec("UPDATE accounts SET updated_at = NOW(6) WHERE id = ? AND"
	    " password_hash = ?", "is", p->a->id, p->a->password_hash)) < 0)
		return (int)n;
	if (n == 0) {
		p->stale = 1;
		return 0;
	}
	if (p->newhash != NULL && (n = db_exec("UPDATE accounts SET password_hash = ?"
	    " WHERE id = ?", "si", p->newhash, p->a->id)) < 0)
		return (int)n;
	if ((n = db_exec("UPDATE accounts SET failed_logins ="
	    " GREATEST(failed_logins - 1, 0) WHERE id = ?", "i", p->a->id)) < 0)
		return (int)n;
	if ((st = throttle_login_uncount(p->r->ip, NULL, 0, p->c->at)) < 0)
		return st;
	if ((n = mtotp_pending_add(p->a->id, p->c->history_id, p->remember, p->next,
	    p->newhash != NULL ? p->newhash : p->a->password_hash, p->token)) < 0)
		return (int)n;
	return audit_settle(p->c->audit_id, "login.second_step");
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

/*
 * Step 3 up to the answer: what the CAPTCHA of a POST that needs level need
 * (image only when image_only) asks of the counting transaction (enum
 * cap_step). Refusals set the form error; the answer itself is checked in the
 * transaction (captcha_verify), which records the challenge's use.
 */
static int
captcha_step(struct req *r, int need, int image_only, int was_text)
{
	struct captcha_box box;
	const char	*challenge = req_param(r, "captcha_challenge");
	int		 verdict;

	if (captcha_provider_enabled()) {
		/* The operator's reCAPTCHA-compatible service has its own levels. */
		verdict = captcha_provider_verify(req_param(r, "g-recaptcha-response"),
		    r->ip);
		if (verdict == CAPTCHA_PROVIDER_OK)
			return CAP_PASSED;
		if (verdict == CAPTCHA_PROVIDER_UNAVAILABLE) {
			req_form_error(r, "captcha", "Login.Error.ProviderUnavailable");
			return CAP_REFUSED;
		}
		req_form_error(r, "captcha", "Login.Error.ProviderRefused");
		return CAP_FAILED;
	}
	if (challenge == NULL) {
		/* The page had none (allowlisted, or the address asks for one). */
		req_form_error(r, "captcha", "Login.Error.CaptchaNeeded");
		return CAP_REFUSED;
	}
	if (captcha_open_at(challenge, util_now(), &box) != 0) {
		/* Forged, damaged or expired. */
		util_wipe(&box, sizeof(box));
		req_form_error(r, "captcha", "Captcha.Error.Expired");
		return CAP_FAILED;
	}
	if (image_only && box.kind != CAPTCHA_IMAGE) {
		/* A protected address: the question is machine-solvable. */
		util_wipe(&box, sizeof(box));
		req_form_error(r, "captcha", "Login.Error.ProtectedText");
		return CAP_REFUSED;
	}
	if (box.level < need) {
		/* The level rose since the page was shown: not the member's fault. */
		util_wipe(&box, sizeof(box));
		req_form_error(r, "captcha", "Login.Error.CaptchaHarder");
		return CAP_REFUSED;
	}
	util_wipe(&box, sizeof(box));
	if (req_param_trim(r, "captcha") == NULL) {
		req_form_error(r, "captcha", was_text ?
		    "Login.Error.CaptchaTextRequired" : "Captcha.Error.Required");
		return CAP_REFUSED;
	}
	return CAP_VERIFY;
}

/*
 * POST with captcha_action: another challenge for the form as typed (the
 * comment at the top). Writes nothing, no round trip. 200, 400 or 503.
 */
static int
captcha_switch(struct req *r, const char *act)
{
	struct captcha_box box;
	struct need	 n = { 0, 0, 0 };
	const char	*ch = req_param(r, "captcha_challenge");
	const char	*raw = req_param(r, "email"), *remember = req_param(r, "remember");
	const char	*io = req_param(r, "captcha_image_only");
	int		 st, was_text = 0;

	if (strcmp(act, "reload") != 0 && strcmp(act, "text") != 0 &&
	    strcmp(act, "image") != 0) {
		log_info("login: unknown captcha_action");
		return 400;
	}
	if ((st = view_level(r, &n.level)) < 0)
		return req_db_error(r, st);
	if (ch != NULL && captcha_open_at(ch, util_now(), &box) == 0) {
		if (box.level > n.level)
			n.level = box.level;
		was_text = box.kind == CAPTCHA_TEXT;
	}
	util_wipe(&box, sizeof(box));
	if (raw != NULL)
		req_set(r, "Login.Email", raw);
	if (remember != NULL && remember[0] != '\0')
		req_set(r, "Login.Remember", "1");
	n.image_only = captcha_on() && io != NULL && strcmp(io, "1") == 0;
	if (n.image_only && n.level < CAPTCHA_LEVEL_MAX)
		n.level = CAPTCHA_LEVEL_MAX;
	n.text = strcmp(act, "text") == 0 ||
	    (strcmp(act, "reload") == 0 && was_text);
	return show_form(r, &n);
}

/* POST: steps 1–6 of the comment at the top. 200, 303, 500 or 503. */
static int
login_post(struct req *r)
{
	struct seen	 sn;
	struct account	*a = NULL;
	struct need	 an;
	struct count	 cnt;
	struct login_lock lk;
	struct success	 s;
	struct pending	 pd;
	struct mtotp_status ms;
	const char	*password = req_param(r, "password");
	const char	*challenge = req_param(r, "captcha_challenge");
	const char	*raw = req_param(r, "email"), *remember = req_param(r, "remember");
	char		 addrkey[THROTTLE_KEY_MAX], *email = NULL, *newhash = NULL;
	long long	 n;
	int		 st, need, ok, rehash = 0, was_text = 0, known;

	if (req_param(r, "captcha_action") != NULL)
		return captcha_switch(r, req_param(r, "captcha_action"));
	addrkey[0] = '\0';
	memset(&sn, 0, sizeof(sn));
	memset(&cnt, 0, sizeof(cnt));
	cnt.r = r;
	if (hashpool_full())
		return req_busy(r);	/* before any work: nothing is counted */
	if (raw != NULL)
		req_set(r, "Login.Email", raw);
	if (remember != NULL && remember[0] != '\0')
		req_set(r, "Login.Remember", "1");
	if ((st = throttle_login_read(r->ip, &sn.c)) < 0)
		return req_db_error(r, st);
	if ((sn.allow = insurer_ip_allowlisted(r->ip, NULL)) < 0)
		return req_db_error(r, sn.allow);
	need = throttle_captcha_level(&sn.c, sn.allow);
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
		/* Step 1 only: the attempt. */
		cnt.cap = CAP_REFUSED;
		if ((st = count(&cnt, &sn)) < 0)
			goto dberr;
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
		/* A lock has run out: it ends by itself, counters start afresh. (No
		 * lock yet: a failure counted ahead whose lock is still to come.) */
		n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL"
		    " WHERE id = ? AND locked_until IS NOT NULL AND"
		    " locked_until <= NOW(6)", "i", a->id);
		if (n < 0) {
			st = (int)n;
			goto dberr;
		}
		if (n > 0) {
			audit(r, "login.unlock", a->id);
			a->failed_logins = 0;
		}
	}
	address_need(a, sn.af, &an);
	if (an.level > need)
		need = an.level;

	/* Step 3: the CAPTCHA, before the password is even looked at. */
	cnt.cap = need > 0 ? captcha_step(r, need, an.image_only, was_text) :
	    CAP_PASSED;
	cnt.need = need;
	if (cnt.cap == CAP_REFUSED || cnt.cap == CAP_FAILED) {
		if ((st = count(&cnt, &sn)) < 0)
			goto dberr;
		st = again(r, &sn, a, was_text);
		goto out;
	}

	/* Step 4: a place in the hash pool, then the count (its failure ahead). */
	if (hashpool_reserve() != 0) {
		st = req_busy(r);	/* nothing is counted */
		goto out;
	}
	cnt.password = 1;
	cnt.a = a;
	cnt.addrkey = known ? NULL : addrkey;
	if ((st = count(&cnt, &sn)) < 0)
		goto dberr;
	if (!cnt.passed) {
		req_form_error(r, "captcha", cnt.verdict == CAPTCHA_INVALID ?
		    "Captcha.Error.Expired" : was_text ?
		    "Captcha.Error.WrongText" : "Captcha.Error.Wrong");
		st = again(r, &sn, a, was_text);
		goto out;
	}

	/* The password, in the same time whether or not the address exists. */
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
	hashpool_release();
	if (ok == CRYPTO_BUSY) {
		/* The pool failed the hash: neither a success nor a failure. */
		if ((st = db_txn(uncount_txn, &cnt)) < 0)
			log_warn("login: a failure counted ahead stays counted (%d)", st);
		st = req_busy(r);
		goto out;
	}

	if (!ok) {
		/* Step 5: counted already; a second transaction only to lock. */
		if (known) {
			a->failed_logins = (int)cnt.failed;
			if (!a->locked && cnt.failed >=
			    config_int("Login.LockAfterFailures")) {
				lk.r = r;
				lk.a = a;
				if ((st = db_txn(login_lock_txn, &lk)) < 0)
					goto dberr;
				a->locked = lk.locked_now;
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
	/* With TOTP on: the code first, on a page of its own (login_otp.c). */
	if ((st = mtotp_status(a->id, &ms)) < 0)
		goto dberr;
	if (ms.enabled) {
		memset(&pd, 0, sizeof(pd));
		pd.r = r;
		pd.c = &cnt;
		pd.a = a;
		pd.newhash = newhash;
		pd.next = safe_next(req_param(r, "next"));
		pd.remember = remember != NULL && remember[0] != '\0';
		st = db_txn(pending_txn, &pd);
		if (st < 0) {
			util_wipe(pd.token, sizeof(pd.token));
			goto dberr;
		}
		if (pd.stale) {
			log_warn("login: account %lld changed its password meanwhile",
			    a->id);
			metrics_add(M_LOGIN_FAIL, 1);
			req_form_error(r, "login", "Login.Error.Failed");
			st = again(r, &sn, a, was_text);
			goto out;
		}
		mtotp_pending_cookie(r, pd.token);
		util_wipe(pd.token, sizeof(pd.token));
		st = req_redirect(r, "/login/otp");
		goto out;
	}
	s.r = r;
	s.c = &cnt;
	s.id = a->id;
	s.oldhash = a->password_hash;
	s.newhash = newhash;
	s.so = session_open_new(r, a->id, cnt.history_id, "pwd", 0,
	    remember != NULL && remember[0] != '\0');
	if ((st = db_txn(success_txn, &s)) < 0) {
		session_open_free(s.so);
		goto dberr;
	}
	if (s.stale) {
		/* The password proven here stopped being the account's while we
		 * checked it: it no longer opens the account. */
		session_open_free(s.so);
		log_warn("login: account %lld changed its password meanwhile", a->id);
		metrics_add(M_LOGIN_FAIL, 1);
		req_form_error(r, "login", "Login.Error.Failed");
		st = again(r, &sn, a, was_text);
		goto out;
	}
	session_open_finish(r, s.so);
	if (a->locked)
		audit(r, "login.unlock", a->id);
	metrics_add(M_LOGIN_OK, 1);
	st = go_on(r, a->state, req_param(r, "next"));
	goto out;
 dberr:
	st = req_db_error(r, st);
 out:
	hashpool_release();
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
