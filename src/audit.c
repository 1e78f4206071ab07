/*
 * audit.c — append-only record of authentication decisions: event, account id,
 * client address, time. Nothing else, so the table holds no personal data beyond
 * the address and can be kept after an account is deleted.
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
