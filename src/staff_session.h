/*
 * staff_session.h — sessions of the staff console (table staff_sessions).
 *
 * The cookie "ssid" (not the members' "sid": cookies are not told apart by
 * port, and the dev console shares the host) holds 32 random bytes; the table
 * keys the row by their SHA-256. A session ends after Staff.IdleMinutes
 * without a request (short: a console left open is closed soon) or
 * Staff.AbsoluteHours after the login, and at once when the account is
 * disabled, reset or locked. Its csrf_secret binds the console's CSRF tokens
 * (r->csrf_secret, session.c's binding for non-member sessions).
 */
#ifndef KENPO_STAFF_SESSION_H
#define KENPO_STAFF_SESSION_H

#include "staff.h"

struct req;

struct staff_session {
	long long	 staff_id;
	char		*email;
	enum staff_role	 role;
	char		 id_hash[65];
	char		*csrf_secret;
};

/* Load the session of the request's cookie into r->staff (NULL when none,
 * expired, or the account is disabled or locked). 0 or a db_status. */
int	 staff_session_load(struct req *);
/*
 * A new session for staff member id, opened inside the login's transaction
 * with staff_login_ok (on Galera the session must commit with the write that
 * conflicts with kenpoctl staff reset / disable on another node: src/db.h).
 * open_new (before db_txn): the id chosen, never NULL. open_txn (inside
 * db_txn, safe to rerun): the request's old session and the member's expired
 * ones deleted, the new row inserted. open_finish (after the commit): the
 * cookie set, r->staff loaded, freed; 0 or a db_status. open_free: unused.
 */
struct staff_session_open;
struct staff_session_open *staff_session_open_new(struct req *, long long staff_id);
int	 staff_session_open_txn(struct staff_session_open *);
int	 staff_session_open_finish(struct req *, struct staff_session_open *);
void	 staff_session_open_free(struct staff_session_open *);
/* End the request's session (logout). 0 or a db_status. */
int	 staff_session_end(struct req *);
void	 staff_session_free(struct staff_session *);
/*
 * A console page's role check: 0 when the session's role may use a page for
 * roles (a mask of enum staff_role; admin may use all), after setting
 * Staff.Email and Staff.Role for the layout; else 403 with the page
 * L.Error.StaffRole (which names the role needed), logged and audited
 * staff.forbidden.
 */
int	 staff_require(struct req *, unsigned roles);
/* An audit row of the console: event, the staff member (0: none), the
 * request's address. Failures are logged, never fatal. */
void	 staff_audit(struct req *, const char *event, long long staff_id);

#endif
