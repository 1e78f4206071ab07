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
 * session_start for a login recorded as login_history row login_id (login.c,
 * remember-me): the session and every new id it gets later (session_start of
 * the same account keeps the login) belong to that login. 0 or a db_status.
 */
int		 session_start_login(struct req *, long long account_id,
		    long long login_id);
/*
 * session_start for a primary authentication just done in this request:
 * auth_time becomes now and amr the given methods (RFC 8176 values,
 * space-separated: "pwd" for a password, "hwk user" for a passkey with user
 * verification). session_start_login is session_start_auth(…, "pwd").
 * A second factor proved in the same login (TOTP at login) is then added with
 * session_add_factor. 0 or a db_status.
 */
int		 session_start_auth(struct req *, long long account_id,
		    long long login_id, const char *amr);
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
 * and delete every remember-me token of the account (password change, withdrawal,
 * password reset). Works inside db_txn. 0 or a db_status. */
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
 * session.c). issue: after a login with the box ticked (sets the cookie; outside
 * db_txn). restore: called by session_load for a GET without a valid session;
 * rotates the pair. clear: logout or a new login forgets this browser's token and
 * cookie. clear_all: every token of the account (inside db_txn is fine). Each
 * returns 0 or a db_status.
 */
int		 session_remember_issue(struct req *, long long account_id);
int		 session_remember_restore(struct req *);
int		 session_remember_clear(struct req *);
int		 session_remember_clear_all(long long account_id);

/* The CSRF token for forms on this page (bound to the session, or to a pre-session
 * cookie set here when there is no session). Never NULL. */
const char	*session_csrf_token(struct req *);
/* 1 if the request's "csrf" field matches, else 0. */
int		 session_csrf_check(struct req *);

#endif
