/*
 * staff.h — the review console's accounts (table staff, issue 12 item 3).
 *
 * An operator creates an account with `kenpoctl staff add EMAIL --role R`,
 * which prints a one-time enrolment link (Staff.BaseURL/enrol/<token>; only
 * the token's SHA-256 is stored, it expires after Staff.EnrolHours). On that
 * page the staff member sets a password (the member rules, Argon2id) and a
 * TOTP authenticator: the 160-bit secret is made here, sealed by the vault
 * (context "totp:<staff id>") at the first view of the page, shown as a QR code
 * and base32, and confirmed by one correct code; then ten recovery codes are
 * shown once (stored as HMAC-SHA-256 under Security.Secret). `staff reset`
 * starts a new enrolment (password, TOTP secret and recovery codes cleared,
 * sessions ended); `staff disable` closes the account for good.
 *
 * The TOTP secret never leaves this module except into the enrolment page; it
 * is never printed by kenpoctl and never logged.
 *
 * Roles: reviewer (the eKYC queue), support (inquiries), admin (both and the
 * staff list).
 */
#ifndef KENPO_STAFF_H
#define KENPO_STAFF_H

#include "totp.h"

#define STAFF_RECOVERY_CODES	10
#define STAFF_RECOVERY_LEN	TOTP_RECOVERY_LEN	/* "abcde-fgh23" (totp.h) */

enum staff_role {
	STAFF_NONE = 0,
	STAFF_REVIEWER = 1 << 0,
	STAFF_SUPPORT = 1 << 1,
	STAFF_ADMIN = 1 << 2,
};

/* The role named s ("reviewer", "support", "admin"), or STAFF_NONE. */
enum staff_role	 staff_role_parse(const char *s);
/* 1 when a staff member of role may use a page meant for roles (a mask);
 * admin may use every page. */
int		 staff_role_allows(enum staff_role role, unsigned roles);

/*
 * kenpoctl staff add: a new account of role for email (lower-cased), with a
 * fresh enrolment token. *url (malloc'd) is the enrolment link, *id the new
 * row. 0, DB_DUP (an account with that address exists) or a db_status.
 */
int	 staff_add(const char *email, enum staff_role role, long long *id, char **url);
/*
 * kenpoctl staff reset: a new enrolment for email: password, TOTP secret and
 * recovery codes cleared, every session ended, a new token. 1 done (*id,
 * *url set), 0 no such (not disabled) account, or a db_status.
 */
int	 staff_reset(const char *email, long long *id, char **url);
/* kenpoctl staff disable: disabled_at set, sessions ended, the enrolment
 * token void. 1 done, 0 no such account or disabled already, or a db_status. */
int	 staff_disable(const char *email, long long *id);

/* One account pending enrolment, found by the link's token. */
struct staff_enrol {
	long long	 id;
	char		*email;
	char		 token_hash[65];
	unsigned char	 secret[TOTP_SECRET_BYTES];	/* wiped by staff_enrol_free */
};

/*
 * The account whose enrolment token is token (unused, not expired, not
 * disabled), with its TOTP secret: the one sealed at an earlier view of the
 * page, or a new one sealed now. 1 found, 0 no such link (unknown, used,
 * expired), -1 the vault cannot seal or open it (logged), or a db_status.
 */
int	 staff_enrol_open(const char *token, struct staff_enrol *e);
void	 staff_enrol_free(struct staff_enrol *e);
/*
 * Complete the enrolment of e: password_hash set, totp_last_step = step (the
 * confirming code's), the token void, enrolled_at now, ten recovery codes made
 * and their HMACs stored (codes: STAFF_RECOVERY_CODES strings of
 * STAFF_RECOVERY_LEN + 1 bytes, filled here), audited staff.enrol. 1 done, 0
 * the link was used meanwhile, or a db_status.
 */
int	 staff_enrol_complete(struct staff_enrol *e, const char *password_hash,
	    long long step, const char *ip,
	    char codes[STAFF_RECOVERY_CODES][STAFF_RECOVERY_LEN + 1]);

/* An enrolled account as the login sees it. */
struct staff_account {
	long long	 id;
	char		*email;
	enum staff_role	 role;
	char		*password_hash;
	long long	 totp_last_step;
	int		 locked;	/* locked_until is in the future */
};

/* The enrolled, not disabled account of email. 1, 0 none, or a db_status. */
int	 staff_find(const char *email, struct staff_account *a);
void	 staff_account_free(struct staff_account *a);
/*
 * The second factor of a login: a 6-digit TOTP code (accepted once: the step is
 * stored only if it is later than the stored one, atomically) or an unused
 * recovery code (marked used). 1 accepted (*recovery set when a recovery code
 * was used), 0 refused, -1 the secret cannot be opened (logged), or a db_status.
 */
int	 staff_second_factor(const struct staff_account *a, const char *code,
	    int *recovery);
/*
 * A login of account id counted ahead of its check (the password, the
 * code): failures + 1, so an error here stops the login before anything is
 * checked and an attempt that cannot be counted is not made. 0 or a
 * db_status. uncount takes it back (the check could not be made: the
 * hashing pool was full).
 */
int	 staff_login_count(long long id);
int	 staff_login_uncount(long long id);
/*
 * A failed login of account id, counted ahead: at Staff.LockAfterFailures
 * the account is locked for Staff.LockMinutes (failures start afresh). 1 it
 * is locked now, 0 not, or a db_status.
 */
int	 staff_login_failed(long long id);
/*
 * Inside the login's db_txn, with the session (staff_session_open_txn): a
 * successful login of account id whose password hash was password_hash:
 * failures reset, the row written in any case (a certification key shared
 * with a reset or a disable on another Galera node). 1 done, 0 the password
 * was reset or the account disabled meanwhile (nothing written), or a
 * db_status.
 */
int	 staff_login_ok(long long id, const char *password_hash);

/* The HMAC-SHA-256 hex (Security.Secret) of a recovery code, after lower-casing
 * and dropping spaces and hyphens. 0 or -1. */
int	 staff_recovery_hash(const char *code, char out[65]);

#endif
