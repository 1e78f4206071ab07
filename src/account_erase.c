/*
 * account_erase.c — remove an account's personal data and keep its row as a
 * tombstone (SPEC §6): the one mechanism of the 100-day rule (lifecycle.c),
 * of deletion by the member or the office (account_delete.c) and of approved
 * deletion requests (deletion.c).
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
 *    text and answer emptied and account_id cleared;
 *  - audit rows of the account keep event and time, lose account id and client
 *    address;
 *  - the client addresses the account used (its sessions' and audit rows'):
 *    also cleared from audit rows without an account written since the account
 *    was made (a failed CAPTCHA, a step before login: they are hers as likely
 *    as anyone's behind the same address, and an audit row needs no address to
 *    count), and the rate counters keyed by them or by the account are dropped;
 *  - addresses the account was changing to (e-mail change tokens): the outbox
 *    rows to them; and any outbox row whose text holds the address (the
 *    support office's copy of an inquiry, a notice to a former address);
 *  - deletion requests (sql/0008) she filed: their contact address;
 *  - the record of which announcements were mailed to her (announcement_mails);
 *  - her passkeys, their challenges and her WebAuthn user handle
 *    (passkey_delete_all, sql/0022);
 *  - her eKYC (issue 12): the sealed photos of every attempt, her secret
 *    question with its answer hash, and each attempt's question, answer hash
 *    and reviewer's note; an attempt still a draft or waiting for a reviewer
 *    is cancelled (it leaves the queue). The attempts' rows stay with status,
 *    document kind and dates (statistics), purged_at set; image_views (which
 *    staff member saw which shot, when) stay as the console's audit trail.
 *  - her second factors (issue 15): the sealed TOTP secret, the recovery
 *    codes' HMACs and any pending login (mtotp_erase);
 * Consents (which terms version, when) stay with the tombstone's number: they
 * name nobody once the account is erased, and show what was agreed to.
 * What stays: the row's id, state, level, insurer, lost_on and the timestamps —
 * nothing that names or reaches a person.
 */
#include "autoconf.h"
#include "account.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "member_totp.h"
#include "passkey.h"
#include "util.h"

#define TOMBSTONE_HASH	"!"
#define ERASE_MAX_IPS	64	/* addresses looked after per account */

/*
 * Inside the transaction, before sessions and audit rows lose them: the client
 * addresses account id used, cleared from audit rows without an account since
 * the account was made, and the rate counters keyed by them or by the account
 * (throttle.c: "<purpose>:ip:<addr>#<window>",
 * "<purpose>:acctip:<id>:<addr>#<window>") deleted.
 * 0 or a db_status.
 */
/* "%<email with % _ \\ escaped>%" for LIKE, malloc'd. */
static char *
like_pattern(const char *email)
{
	struct buf	 b;
	const char	*p;

	memset(&b, 0, sizeof(b));
	buf_puts(&b, "%");
	for (p = email; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_puts(&b, "\\");
		buf_append(&b, p, 1);
	}
	buf_puts(&b, "%");
	buf_append(&b, "", 1);
	return b.data;
}

static int
erase_addresses(long long id)
{
	struct db_res	*res = NULL;
	char		*ips[ERASE_MAX_IPS], *pat = NULL;
	long long	 n = 0;
	int		 st, nips = 0, i;

	st = db_query(&res, "SELECT DISTINCT ip FROM ("
	    " SELECT ip FROM sessions WHERE account_id = ? AND ip IS NOT NULL"
	    " UNION SELECT ip FROM audit WHERE account_id = ? AND ip IS NOT NULL) x"
	    " LIMIT ?", "iii", id, id, (long long)ERASE_MAX_IPS);
	if (st < 0)
		return st;
	while (nips < ERASE_MAX_IPS && db_res_next(res) > 0)
		ips[nips++] = xstrdup(db_res_str(res, 0));
	db_res_free(res);
	for (i = 0; i < nips && n >= 0; i++) {
		n = db_exec("UPDATE audit SET ip = NULL WHERE account_id IS NULL AND"
		    " ip = ? AND created_at >= (SELECT created_at FROM accounts"
		    " WHERE id = ?)", "si", ips[i], id);
		if (n >= 0) {
			pat = xasprintf("%%:ip:%s#%%", ips[i]);
			n = db_exec("DELETE FROM throttle WHERE k LIKE ?", "s", pat);
			free(pat);
		}
	}
	for (i = 0; i < nips; i++)
		free(ips[i]);
	if (n < 0)
		return (int)n;
	pat = xasprintf("%%:acctip:%lld:%%", id);
	n = db_exec("DELETE FROM throttle WHERE k LIKE ?", "s", pat);
	free(pat);
	return n < 0 ? (int)n : 0;
}

int
account_ekyc_erase(long long id)
{
	long long	 n;

	if ((n = db_exec("DELETE vi FROM verification_images vi JOIN verifications v"
	    " ON v.id = vi.verification_id WHERE v.account_id = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM secret_questions WHERE account_id = ?", "i",
	    id)) < 0 ||
	    (n = db_exec("UPDATE verifications SET q_preset = NULL, q_text = NULL,"
	    " q_answer_hash = NULL, note = NULL,"
	    " status = IF(status IN ('draft', 'submitted'), 'cancelled', status),"
	    " purged_at = COALESCE(purged_at, NOW(6)) WHERE account_id = ?", "i",
	    id)) < 0)
		return (int)n;
	return 0;
}

int
account_erase(long long id, const char *state)
{
	char		*email = NULL, *pat = NULL;
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
	if ((st = erase_addresses(id)) < 0) {
		n = st;
		goto out;
	}
	pat = like_pattern(email);
	if ((n = db_exec("DELETE o FROM outbox o JOIN tokens t ON t.data = o.to_addr"
	    " WHERE t.account_id = ? AND t.purpose = 'email_change'", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM outbox WHERE body LIKE ?", "s", pat)) < 0 ||
	    (n = db_exec("UPDATE deletion_requests SET contact_email = ''"
	    " WHERE requester_account_id = ? OR contact_email = ?", "is", id,
	    email)) < 0)
		goto out;
	if ((n = db_exec("DELETE FROM sessions WHERE account_id = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM tokens WHERE account_id = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM login_history WHERE account_id = ?", "i",
	    id)) < 0 ||
	    (n = db_exec("DELETE FROM announcement_mails WHERE account_id = ?", "i",
	    id)) < 0 ||
	    (n = db_exec("DELETE FROM outbox WHERE to_addr = ?", "s", email)) < 0 ||
	    (n = db_exec("DELETE FROM reset_requests WHERE email = ?", "s",
	    email)) < 0)
		goto out;
	if ((n = account_ekyc_erase(id)) < 0 || (n = mtotp_erase(id)) < 0 ||
	    (n = passkey_delete_all(id)) < 0)
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
	free(pat);
	return (int)n;
}
