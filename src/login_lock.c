/*
 * login_lock.c — the account lock of failed logins (see login_lock.h).
 */
#include "autoconf.h"
#include "login_lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <ClearSilver.h>

#include "account.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "outbox.h"
#include "request.h"
#include "util.h"

/* The unlock time of a lock starting now, in Japan time, for the mail. */
static void
unlock_time(char *out, size_t cap)
{
	time_t		 t = (time_t)(util_now() + 60 * config_int("Login.LockMinutes") + 9 * 3600);
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, cap, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, cap, "-");
}

/* After a failure that brought the account's count to Login.LockAfterFailures
 * (login.c's step 5, login_otp.c's wrong code): see login_lock.h. */
int
login_lock_txn(void *arg)
{
	struct login_lock *l = arg;
	HDF		*vars = NULL;
	NEOERR		*err;
	const char	*base = config_str("Service.BaseURL");
	char		 when[32], mins[24], *login = NULL, *forgot = NULL;
	long long	 n;

	l->locked_now = 0;
	n = db_exec("UPDATE accounts SET locked_until = NOW(6) + INTERVAL ? MINUTE"
	    " WHERE id = ? AND failed_logins >= ? AND"
	    " (locked_until IS NULL OR locked_until <= NOW(6))", "iii",
	    config_int("Login.LockMinutes"), l->a->id,
	    config_int("Login.LockAfterFailures"));
	if (n <= 0)
		return (int)n;
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
	if ((n = outbox_enqueue(l->a->email, "login_locked", vars,
	    l->a->lang != NULL ? l->a->lang : "ja")) < 0 ||
	    (n = audit_open(l->r, "login.locked", l->a->id)) < 0)
		goto out;
	l->locked_now = 1;
 out:
	if (vars != NULL)
		hdf_destroy(&vars);
	free(login);
	free(forgot);
	return n < 0 ? (int)n : 0;
}

