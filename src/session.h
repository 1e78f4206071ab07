/*
 * session.h — server-side sessions (table sessions), CSRF tokens, remember-me.
 *
 * The browser holds only a random session id in the cookie "sid"; the database
 * keeps its SHA-256. A session that has gone can come back from the remember-me
 * cookie (session_load does it for GET requests). Sessions carry the account whatever its state, so a member in
 * the middle of signup keeps their place; pages decide what each state may see.
 */
#ifndef KENPO_SESSION_H
#define KENPO_SESSION_H

struct req;

struct session {
	long long	 account_id;
	char		*state;		/* accounts.state: pending|verified|active|withdrawn */
	int		 level;		/* accounts.level */
	char		 id_hash[65];	/* SHA-256 hex of the session id */
	char		*csrf_secret;	/* per-session CSRF secret (base64url) */
	long long	 login_id;	/* login_history row of its login; 0 if none */
	long long	 auth_time;	/* unix time of the last primary authentication
					   (password or passkey login); 0 if none */
	char		 amr[64];	/* RFC 8176 methods proved, space-separated
					   ("pwd", "pwd otp", "hwk user kba"); "" if none */
	long long	 stepup_time;	/* unix time of the last step-up; 0 if none */
};

/*
 * Load the session named by the request's cookie, if any, valid and not expired
 * (idle and absolute limits); extends the idle expiry. Sets r->sess.
 * Returns 0 (with or without a session) or a db_status.
 */
int		 session_load(struct req *);
/*
 * Start a new session for account_id (login, signup step change, any privilege
 * change): destroys the request's current session, creates a new id, sets the cookie,
 * sets r->sess. Returns 0 or a db_status.
 */
int		 session_start(struct req *, long long account_id);
/*
 * A login's session, opened inside the login's own transaction. On a Galera
 * cluster a session row inserted on one node does not conflict with a
 * password reset, a password change or an activation committed on another
 * (src/db.h: a child row's insert is no certification key of the parent), so
 * the check that the password still holds, a write that always changes the
 * account row ("UPDATE accounts SET updated_at = NOW(6) WHERE id = ? AND
 * password_hash = ?") and the session must commit together: the two
 * transactions then conflict and the retried one sees the other.
 *
 * session_open_new (before db_txn): a new session for account_id, recorded
 * as login_history row login_id (0: none; every new id the session gets
 * later keeps it), authenticated now by amr (RFC 8176 values,
 * space-separated: "pwd", "pwd otp", "hwk user hwk"), with stepup set also a
 * step-up now (a second factor proved in the login); with remember (ticked
 * at the password) a remember-me token for Session.RememberDays, carrying
 * the session's auth_time and amr. This browser's old session and
 * remember-me token are forgotten. Never NULL.
 * session_open_login: the login_history row, when the caller's transaction
 * makes it (call it in every run, before session_open_txn).
 * session_open_txn (inside the caller's db_txn; safe to rerun): the rows.
 * session_open_finish (after the commit): the cookies and r->sess; frees.
 * session_open_free: forget it unused (a rollback, a stale password).
 */
struct session_open;
struct session_open *session_open_new(struct req *, long long account_id,
		    long long login_id, const char *amr, int stepup, int remember);
void		 session_open_login(struct session_open *, long long login_id);
int		 session_open_txn(struct session_open *);
void		 session_open_finish(struct req *, struct session_open *);
void		 session_open_free(struct session_open *);
/*
 * A step-up proved in the request's session: method (one RFC 8176 value:
 * "kba" the secret question, "otp" TOTP, "hwk" a passkey) is added to the
 * session's amr and stepup_at becomes now (what Verify.StepUpMinutes and the
 * OIDC max age of urn:kenpo:acr:sensitive measure). Works inside db_txn (sets
 * no cookie). 0 or a db_status; 0 without a session.
 */
int		 session_add_factor(struct req *, const char *method);
/*
 * A primary factor proved again by the member of the request's session (the
 * password on /oidc/reauth, for an OpenID Connect max_age or prompt=login):
 * a new session id (like session_start), auth_time becomes now and amr
 * method alone (one RFC 8176 value, "pwd"); the login stays, the earlier
 * factors and the last step-up do not (a step-up is asked again where one is
 * needed), so amr never names a factor that was not proved since auth_time.
 * Sets a cookie: call it outside db_txn. 0 or a db_status; 0 without a
 * session.
 */
int		 session_reauth(struct req *, const char *method);
/* 1 when the session's amr contains method (a whole word), else 0. */
int		 session_has_method(const struct session *, const char *method);
/* Refresh r->sess->state/level from the database after a change. 0 or db_status. */
int		 session_refresh(struct req *);
/* End the request's session (logout): row deleted, cookie cleared. */
int		 session_end(struct req *);
/* End every session of an account except the one with except_hash (may be NULL),
 * delete every remember-me token of the account and revoke its OpenID Connect
 * access tokens (password change, withdrawal, password reset, TOTP switched
 * on). Works inside db_txn. 0 or a db_status. */
int		 session_end_all(long long account_id, const char *except_hash);
/*
 * "Log out everywhere else": end every session of the request's account but
 * the request's own, and every remember-me token of the account but the one of
 * this browser's cookie. Works inside db_txn (sets no cookie). Returns the
 * number of sessions ended or a db_status; 0 without a session.
 */
long long	 session_end_others(struct req *);
void		 session_free(struct session *);

/*
 * Remember-me (cookie "remember" = selector:validator, Session.RememberDays; see
 * session.c). Issued by session_open_txn after a login with the box ticked.
 * restore: called by session_load for a GET without a valid session; rotates
 * the pair (one transaction with the session and a touch of the account).
 * clear: logout or a new login forgets this browser's token and cookie.
 * clear_all: every token of the account (inside db_txn is fine). Each returns
 * 0 or a db_status.
 */
int		 session_remember_restore(struct req *);
int		 session_remember_clear(struct req *);
int		 session_remember_clear_all(long long account_id);

/* The CSRF token for forms on this page (bound to the session, or to a pre-session
 * cookie set here when there is no session). Never NULL. */
const char	*session_csrf_token(struct req *);
/* 1 if the request's "csrf" field matches, else 0. */
int		 session_csrf_check(struct req *);

#endif
