/*
 * login_lock.h — the lock of an account after Login.LockAfterFailures failed
 * logins (docs/login-security.md): shared by the password login
 * (src/pages/login.c) and its second step, the TOTP code (src/pages/
 * login_otp.c), whose wrong codes count as failed logins of the account.
 */
#ifndef KENPO_LOGIN_LOCK_H
#define KENPO_LOGIN_LOCK_H

struct req;
struct account;

struct login_lock {
	struct req	*r;
	const struct account *a;	/* id, email, lang */
	int		 locked_now;	/* out: this transaction locked it */
};

/*
 * A db_txn function (arg: struct login_lock): when a's failed_logins reached
 * Login.LockAfterFailures, lock it for Login.LockMinutes unless it is locked
 * already, and then (once per lock) mail the owner (login_locked.cs) and audit
 * login.locked, in this one transaction. 0 or a db_status.
 */
int	 login_lock_txn(void *arg);

#endif
