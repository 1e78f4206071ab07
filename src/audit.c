/*
 * audit.c — append-only record of authentication decisions: event, account id,
 * client address, time. Nothing else, so the table holds no personal data beyond
 * the address and can be kept after an account is deleted. One exception to
 * append-only: a row of audit_open is settled by the request that wrote it, a
 * hash's time later (the login's row, written as login.fail before the password
 * is checked; docs/login-security.md §7).
 */
#include "autoconf.h"
#include "audit.h"

#include <stdio.h>

#include "db.h"
#include "log.h"
#include "request.h"

void
audit_ip(const char *ip, const char *event, long long account_id)
{
	char		 id[24];
	long long	 rc;

	snprintf(id, sizeof(id), "%lld", account_id);
	rc = db_exec("INSERT INTO audit (event, account_id, ip) VALUES (?, ?, ?)", "sss",
	    event, account_id > 0 ? id : NULL, ip);
	if (rc < 0)
		log_err("audit: cannot record %s for account %lld", event, account_id);
	else
		log_info("audit %s account=%lld", event, account_id);
}

void
audit(struct req *r, const char *event, long long account_id)
{
	audit_ip(r != NULL ? r->ip : NULL, event, account_id);
}

long long
audit_open(struct req *r, const char *event, long long account_id)
{
	char		 id[24];
	long long	 rc;

	snprintf(id, sizeof(id), "%lld", account_id);
	rc = db_exec("INSERT INTO audit (event, account_id, ip) VALUES (?, ?, ?)",
	    "sss", event, account_id > 0 ? id : NULL, r != NULL ? r->ip : NULL);
	if (rc < 0) {
		log_err("audit: cannot record %s for account %lld", event,
		    account_id);
		return rc;
	}
	if ((rc = db_last_id()) < 1) {
		log_err("audit: no id for %s", event);
		return DB_ERR;
	}
	log_info("audit %s account=%lld", event, account_id);
	return rc;
}

int
audit_settle(long long id, const char *event)
{
	long long	 rc;

	if (event != NULL)
		rc = db_exec("UPDATE audit SET event = ? WHERE id = ?", "si", event,
		    id);
	else
		rc = db_exec("DELETE FROM audit WHERE id = ?", "i", id);
	if (rc < 0) {
		log_err("audit: cannot settle row %lld as %s", id,
		    event != NULL ? event : "(none)");
		return (int)rc;
	}
	if (event != NULL)
		log_info("audit %s (row %lld settled)", event, id);
	return 0;
}
