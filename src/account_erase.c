/*
 * account_erase.c — remove an account's personal data and keep its row as a
 * tombstone (SPEC §6): used by the 100-day rule (lifecycle.c) and meant for
 * deletion on request.
 *
 * What goes, in the caller's transaction:
 *  - the address: replaced by "closed+<id>@invalid" — no address anyone can
 *    type (account_email_valid wants a dotted domain), unique per row, so the
 *    UNIQUE key lets the real address be used again at once;
 *  - the password: the hash becomes "!", which no PHC parser accepts, so no
 *    password verifies against it;
 *  - the roster binding, a stored step-3 match, the invite code, the signed-entry
 *    insurer, lock and failure counters;
 *  - every session and token (remember-me, reset, e-mail change, which holds a
 *    new address), and the list of recent logins (login_history: networks and
 *    browsers);
 *  - outbox rows to the address, sent or not (they hold the address and texts
 *    about the member), and password-reset requests for it;
 *  - inquiries sent from the account or the address: kept as numbered records
 *    (category, status, dates: the office's statistics) with address, name,
 *    text and answer emptied and account_id cleared (as kenpoctl account delete);
 *  - audit rows of the account keep event and time, lose account id and client
 *    address.
 * What stays: the row's id, state, level, insurer, lost_on and the timestamps —
 * nothing that names or reaches a person.
 */
#include "autoconf.h"
#include "account.h"

#include <stdlib.h>

#include "db.h"
#include "log.h"

#define TOMBSTONE_HASH	"!"

int
account_erase(long long id, const char *state)
{
	char		*email = NULL;
	long long	 n;
	int		 st;

	st = db_row(&email, 1, "SELECT email FROM accounts WHERE id = ? FOR UPDATE",
	    "i", id);
	if (st <= 0)
		return st;
	n = db_exec("UPDATE accounts SET state = ?, closed_at = NOW(6),"
	    " email = CONCAT('closed+', id, '@invalid'), password_hash = ?,"
	    " roster_id = NULL, match_roster_id = NULL, match_at = NULL,"
	    " signed_entry_insurer_id = NULL, invite_code = NULL,"
	    " failed_logins = 0, locked_until = NULL, eligibility_failures = 0,"
	    " eligibility_window_start = NULL, notify = 0, unaffiliated = 0"
	    " WHERE id = ?", "ssi", state, TOMBSTONE_HASH, id);
	if (n < 0)
		goto out;
	if ((n = db_exec("DELETE FROM sessions WHERE account_id = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM tokens WHERE account_id = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM login_history WHERE account_id = ?", "i",
	    id)) < 0 ||
	    (n = db_exec("DELETE FROM outbox WHERE to_addr = ?", "s", email)) < 0 ||
	    (n = db_exec("DELETE FROM reset_requests WHERE email = ?", "s",
	    email)) < 0)
		goto out;
	n = db_exec("UPDATE inquiries SET email = '', name = NULL, body = '',"
	    " answer = IF(answer IS NULL, NULL, ''), account_id = NULL"
	    " WHERE account_id = ? OR email = ?", "is", id, email);
	if (n < 0)
		goto out;
	n = db_exec("UPDATE audit SET account_id = NULL, ip = NULL"
	    " WHERE account_id = ?", "i", id);
	if (n < 0)
		goto out;
	log_info("account %lld: personal data erased (%s)", id, state);
	n = 1;
 out:
	free(email);
	return (int)n;
}
