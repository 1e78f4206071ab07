/*
 * session.h — server-side sessions (table sessions), CSRF tokens, remember-me.
 *
 * The browser holds only a random session id in the cookie "sid"; the database
 * keeps its SHA-256. Sessions carry the account whatever its state, so a member in
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
/* Refresh r->sess->state/level from the database after a change. 0 or db_status. */
int		 session_refresh(struct req *);
/* End the request's session (logout): row deleted, cookie cleared. */
int		 session_end(struct req *);
/* End every session of an account except the one with except_hash (may be NULL). */
int		 session_end_all(long long account_id, const char *except_hash);
void		 session_free(struct session *);

/* The CSRF token for forms on this page (bound to the session, or to a pre-session
 * cookie set here when there is no session). Never NULL. */
const char	*session_csrf_token(struct req *);
/* 1 if the request's "csrf" field matches, else 0. */
int		 session_csrf_check(struct req *);

#endif
