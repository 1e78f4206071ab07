/*
 * signup.h — what the signup pages (src/pages/signup*.c, users_activate.c) share:
 * the step an account belongs on, the short-lived "su" cookie of step 2,
 * activation tokens and mail codes, the signup mails, and the start of a signup
 * page.
 *
 * The states (accounts.state) and where each continues:
 *   pending    step 1 done, address not yet proven        → /signup/sent
 *   verified   address proven (link or code)               → /signup/eligibility,
 *              or /signup/confirm once step 3 stored a match (match_roster_id,
 *              or match_insurer_only: finish with the insurer number alone)
 *   active     roster person bound                         → /top
 * Every transition is one UPDATE guarded by the state it leaves, and every page
 * sends a request in another state to that state's page, so steps can be neither
 * skipped nor replayed.
 *
 * Step 1 starts no session: a session is started only when the address is proven
 * (activation, signup_activated) or the password is (login). Until then the
 * browser holds the sealed "su" cookie naming the account and the address that
 * was typed. A new address and an address that already has an account get the
 * same redirect, the same page and a cookie of the same shape (no account
 * enumeration, SPEC §3); a session cookie for new addresses only would tell them
 * apart.
 */
#ifndef KENPO_SIGNUP_H
#define KENPO_SIGNUP_H

#include <ClearSilver.h>

struct req;

#define SIGNUP_EMAIL_MAX	254

/* ---- the "su" cookie (AES-GCM sealed with a key derived from Security.Secret) ---- */

struct signup_cookie {
	long long	 account_id;
	long long	 token_id;	/* the activation token this browser's request
					 * issued; 0 when it issued none (address of a
					 * finished account, or rate-limited) */
	int		 created;	/* this browser's step 1 created the account */
	char		 email[SIGNUP_EMAIL_MAX + 1];	/* as typed (normalised) */
};

/* 1 and *c filled when the request carries a valid, unexpired cookie; else 0. */
int	 signup_cookie_get(struct req *, struct signup_cookie *c);
/* Set the cookie for Signup.ActivateHours. */
void	 signup_cookie_put(struct req *, const struct signup_cookie *c);
void	 signup_cookie_clear(struct req *);

/* ---- steps ---- */

/*
 * The path where the request's session account continues its signup, or NULL
 * when there is no session. 0 or a db_status (*path is then NULL).
 */
int	 signup_step_path(struct req *, const char **path);
/*
 * Send the request to its account's step unless that is here: returns 303 (with
 * r->location set), 0 to stay (also when there is no session), or an HTTP error
 * status for a database failure.
 */
int	 signup_route(struct req *, const char *here);

/* ---- activation tokens and codes ---- */

struct signup_token {
	long long	 id;
	char		 token[44];	/* base64url, for the link */
	char		 code[7];	/* 6 digits */
};

/*
 * Inside db_txn: create an activation token for account_id with a fresh code.
 * pw_hash (may be NULL) is the password hash typed with the request that issues
 * it, kept in tokens.data and made the account's password when this token
 * activates it (see signup.c). supersede: every other live activation token of
 * the account is superseded first. born_superseded: the token is created already
 * superseded (its mail is not sent; it only keeps pw_hash for a later resend).
 * Returns 0 or a db_status.
 */
int	 signup_token_issue(long long account_id, const char *pw_hash,
	    int supersede, int born_superseded, struct signup_token *out);
/* Inside db_txn: enqueue the activation mail for tok. again: the address had an
 * unfinished signup already. 0 or a db_status. */
int	 signup_mail_activate(const char *email, const char *lang,
	    const struct signup_token *tok, int again);
/* Inside db_txn: enqueue the "this address already has an account" mail.
 * state: the account's state; lost_on: the loss date (YYYY-MM-DD) of a 未所属
 * account, whose mail names the day the address is free for a new signup
 * (lost_on + LIFECYCLE_DAYS), else NULL. 0 or a db_status. */
int	 signup_mail_exists(const char *email, const char *lang, const char *state,
	    const char *lost_on);

/*
 * "仮登録メールの再送信" without a request (the /signup/resend page and kenpoctl
 * account resend): in its own db_txn, for a pending account every live
 * activation link and code is superseded, a new token is issued and its mail
 * queued; for an account past pending, with exists_mail set, the "already
 * registered" mail is queued instead (nothing without it). No rate limit here:
 * the caller decides.
 */
struct signup_resend {
	/* in */
	long long	 account_id;
	long long	 pw_token;	/* the activation token of this account whose
					 * password (tokens.data) the new token
					 * carries; 0: none (activation keeps the
					 * account's password) */
	int		 again;		/* signup_mail_activate's again */
	int		 exists_mail;	/* see above */
	/* out */
	long long	 token_id;	/* the new token, 0 when none was issued */
	char		 state[16];	/* the account's state; "" when it is gone */
};
/* 0 or a db_status; the outcome is in s's out fields. */
int	 signup_resend(struct signup_resend *s);

enum signup_link {
	SIGNUP_LINK_OK = 1,
	SIGNUP_LINK_UNKNOWN,
	SIGNUP_LINK_USED,
	SIGNUP_LINK_SUPERSEDED,
	SIGNUP_LINK_EXPIRED,
	SIGNUP_LINK_PASSWORD,	/* live, but the opener must set the password */
};
/*
 * Activate the account of the activation link token (a 43-character string).
 *
 * Whoever types an address at step 1 chooses the password its link carries,
 * and that need not be the address's owner (pre-hijacking: a stranger signs up
 * with her address first, or again while her signup is pending, and waits for
 * her to complete it). So a link activates only with a password its opener
 * typed: pw_hash, typed on the link's own page; or, without it, the token's
 * own password when cookie (the request's su cookie, may be NULL) shows that
 * this browser's step 1 issued this very token. Otherwise nothing changes and
 * SIGNUP_LINK_PASSWORD asks the page for a password.
 *
 * On SIGNUP_LINK_OK the account is verified with that password, its other
 * activation tokens (and the passwords they carry) are superseded, all its
 * sessions and remember-me tokens are gone, and *account_id is set: the
 * caller then calls signup_activated. Returns an enum signup_link or a
 * db_status.
 */
int	 signup_activate_link(const char *token, const struct signup_cookie *cookie,
	    const char *pw_hash, long long *account_id);

enum signup_code {
	SIGNUP_CODE_OK = 1,
	SIGNUP_CODE_WRONG,	/* counted; tries left */
	SIGNUP_CODE_DEAD,	/* expired, tries used up, or no live code */
};
/*
 * Check a 6-digit code for account_id: against token token_id (from the su
 * cookie), or, with token_id 0 and newest set, against the newest live token
 * (a pending session: login resumed the signup). A wrong code counts a try.
 * With token_id 0 and newest 0 (the cookie of an address whose request issued
 * no token) tries are counted in the throttle table so the answers are those of
 * a real code. On SIGNUP_CODE_OK the account is activated as by the link.
 * Returns an enum signup_code or a db_status.
 */
int	 signup_activate_code(long long account_id, long long token_id, int newest,
	    const char *code);

/* After a successful activation: new session (privilege change), su cookie
 * cleared, audit. Returns 0 or a db_status. */
int	 signup_activated(struct req *, long long account_id);

/* ---- pages ---- */

/*
 * Start a signup page: r->template, Page.Step (0: no progress bar), the script
 * signup.js, and the insurer context of an entry link (提供：…), returned in
 * *ctx when ctx is not NULL (zeroed when there is none).
 */
struct entry_ctx;
void	 signup_page(struct req *, const char *template, int step,
	    struct entry_ctx *ctx);

/*
 * The step-3 form (src/pages/signup_eligibility.c) for the route's handler:
 * deletion 0 is /signup/eligibility itself, 1 the アカウント削除申請 of
 * /signup/deletion (same check, same limit, plus a contact address). Returns
 * an HTTP status.
 */
int	 signup_eligibility_page(struct req *, int deletion);

#endif
