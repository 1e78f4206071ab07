/*
 * POST /logout on the staff console — ends the staff session (row deleted,
 * cookie cleared), audited staff.logout; 303 to /login. CSRF-checked like
 * every POST (request.c); without a session it just goes to /login.
 */
#include "autoconf.h"

#include "db.h"
#include "request.h"
#include "router.h"
#include "staff_session.h"

int
page_staff_logout(struct req *r)
{
	long long	 id = r->staff != NULL ? r->staff->staff_id : 0;
	int		 st;

	if ((st = staff_session_end(r)) != 0)
		return req_db_error(r, st);
	if (id > 0)
		staff_audit(r, "staff.logout", id);
	return req_redirect(r, "/login");
}
