/*
 * member_totp.h — TOTP (RFC 6238, src/totp.h) and recovery codes for members
 * (issue 15 item 3; sql/0021_member_totp.sql; docs/mfa.md "TOTP and recovery
 * codes").
 *
 *   enrolment       the password proved in a session (the settings page),
 *                   a fresh secret sealed by the vault ("mtotp:<account_id>")
 *                   and bound to that session; one right code switches TOTP
 *                   on and makes ten recovery codes, shown once;
 *   mtotp_check     a code typed anywhere (the login's second step, the
 *                   step-up, the settings): counted as wrong BEFORE it is
 *                   checked (failures, at most MTOTP_TRIES in a row, so
 *                   parallel guesses cannot pass the limit), a 6-digit code
 *                   taken once (last_step), a recovery code spent once;
 *   the pending login   the login's second step (login_pending): the browser
 *                   holds a random token in the cookie "mfa", the table its
 *                   SHA-256; five minutes, single use;
 *   changes         switched off, recovery codes regenerated: audited
 *                   (mfa.totp.enable, mfa.totp.disable, mfa.recovery.regenerate)
 *                   and mailed to the member (templates/mail/mfa_changed.cs).
 *
 * No secret, code or recovery code is ever logged or stored in the clear.
 */
#ifndef KENPO_MEMBER_TOTP_H
#define KENPO_MEMBER_TOTP_H

#include "crypto.h"
#include "totp.h"

struct req;
struct member;

#define MTOTP_RECOVERY_CODES	10
#define MTOTP_RECOVERY_LEN	TOTP_RECOVERY_LEN	/* "abcde-fgh23" (totp.h) */
#define MTOTP_TRIES		5	/* wrong codes in a row */
#define MTOTP_PENDING_SECONDS	300	/* the login's second step */
#define MTOTP_ENROL_MINUTES	15	/* from the password to the first code */
#define MTOTP_COOKIE		"mfa"

struct mtotp_status {
	int		 enabled;	/* TOTP is on */
	int		 codes_left;	/* unused recovery codes */
	int		 codes_total;	/* recovery codes made (used or not) */
	int		 failures;	/* wrong codes in a row */
};

/* The member's TOTP state. 0 or a db_status (all zero when off). */
int	 mtotp_status(long long account_id, struct mtotp_status *st);

/*
 * Enrolment, step 1 (the password was right in this session): a fresh secret
 * into secret, sealed and stored for account_id bound to session_hash for
 * MTOTP_ENROL_MINUTES. 1 done, 0 TOTP is on already (nothing changed), -1
 * the vault cannot seal (logged), or a db_status.
 */
int	 mtotp_enrol_begin(long long account_id, const char *session_hash,
	    unsigned char secret[TOTP_SECRET_BYTES]);
/*
 * The secret of the enrolment in progress of account_id in session_hash
 * (not expired). 1 found, 0 none, -1 it cannot be opened (logged), or a
 * db_status.
 */
int	 mtotp_enrol_secret(long long account_id, const char *session_hash,
	    unsigned char secret[TOTP_SECRET_BYTES]);
/*
 * Enrolment, step 2 (code right for the secret at step): TOTP on, ten new
 * recovery codes into codes, every other session and every remember-me token
 * of the account ended (they rest on the password alone), audited
 * mfa.totp.enable, the mail queued — one transaction. 1 done, 0 the enrolment is gone (expired, another session
 * finished it), or a db_status.
 */
int	 mtotp_enable(struct req *, const struct member *m, const char *session_hash,
	    long long step, char codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1]);

enum mtotp_result {
	MTOTP_WRONG = 0,	/* wrong (counted: *failures) */
	MTOTP_OK = 1,		/* right: the step or the recovery code is taken */
	MTOTP_REPLAY,		/* a code of a step taken already (counted) */
	MTOTP_LIMIT,		/* MTOTP_TRIES wrong in a row: nothing checked */
	MTOTP_OFF,		/* TOTP is not on */
};
/*
 * Check code (6 digits, or a recovery code "abcde-fgh23", dash and spaces
 * optional, any case) for account_id. Counted as wrong before it is checked;
 * a right one resets the count. *recovery (may be NULL) is set when a
 * recovery code was spent, *failures (may be NULL) to the wrong codes in a row.
 * Not inside db_txn. An enum mtotp_result or a db_status.
 */
int	 mtotp_check(long long account_id, const char *code, int *recovery,
	    int *failures);
/* Reset the count of wrong codes (after the limit was acted on). 0 or db_status. */
int	 mtotp_reset_failures(long long account_id);

/*
 * Confirm a change of a factor by the password (field current_password) or a
 * current code (field code) of the form, whichever was filled in. Form errors
 * are set on a wrong one. At MTOTP_TRIES wrong codes in a row the session is
 * ended (MTOTP_CONFIRM_ENDED). A db_status, or:
 */
enum mtotp_confirm {
	MTOTP_CONFIRM_FORM = 0,	/* not confirmed: the form again (errors set) */
	MTOTP_CONFIRM_OK,
	MTOTP_CONFIRM_BUSY,	/* the hashing pool is full (req_busy) */
	MTOTP_CONFIRM_ENDED,	/* the session was ended: go to /login */
};
int	 mtotp_confirm(struct req *, const struct member *m);

/* Switch TOTP off (recovery codes and pending logins go): audited
 * mfa.totp.disable (r may be NULL: kenpoctl), the mail queued with
 * Mail.Change = what ("totp_off" or "totp_off_support"). 1 done, 0 it was
 * off, or a db_status. Not inside db_txn. */
int	 mtotp_disable(struct req *, long long account_id, const char *what);
/* Ten new recovery codes into codes (the old ones void): audited
 * mfa.recovery.regenerate, mailed. 1 done, 0 TOTP is off, or a db_status. */
int	 mtotp_regenerate(struct req *, const struct member *m,
	    char codes[MTOTP_RECOVERY_CODES][MTOTP_RECOVERY_LEN + 1]);

/* Inside db_txn: every TOTP row of account_id (withdrawal, erasure). 0 or db_status. */
int	 mtotp_erase(long long account_id);

/* ---- the login's second step (login_pending) ---- */

struct mtotp_pending {
	long long	 id;
	long long	 account_id;
	long long	 login_id;	/* login_history row of the attempt */
	int		 remember;
	char		*next;		/* NULL if none */
	char		 pw_check[65];
};

/*
 * Inside the login's transaction: a pending login for account_id (its
 * login_history row login_id, remember-me ticked, next already checked,
 * password_hash the hash the password was proven against). The token for the
 * cookie into token. The row's id or a db_status.
 */
long long mtotp_pending_add(long long account_id, long long login_id, int remember,
	    const char *next, const char *password_hash,
	    char token[CRYPTO_TOKEN_LEN + 1]);
/* Set the cookie (outside db_txn) / clear it. */
void	 mtotp_pending_cookie(struct req *, const char *token);
/* The pending login of the request's cookie, not expired. 1 (p filled; free
 * with mtotp_pending_free), 0 none, or a db_status. */
int	 mtotp_pending_load(struct req *, struct mtotp_pending *p);
void	 mtotp_pending_free(struct mtotp_pending *p);
/* Every pending login of account_id goes. 0 or a db_status. */
int	 mtotp_pending_drop(long long account_id);
/* SHA-256 hex of a password hash, as pw_check keeps it. */
void	 mtotp_pw_check(const char *password_hash, char out[65]);

#endif
