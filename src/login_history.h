/*
 * login_history.h — the member's recent logins (table login_history, sql/
 * 0012_login_history.sql): when, from which network, with which browser.
 *
 * Written by login.c (a password login or a wrong password, each in the
 * login's own transaction: one INSERT) and by session.c (a session restored
 * from remember-me); shown by /account/logins, exported by /account/export;
 * pruned after Member.LoginHistoryDays by the daily job (lifecycle_run); an
 * erased account's rows go with account_erase.
 *
 * Nothing in a row can identify more than the member already knows: the client
 * address is cut to its network (IPv4 /24, IPv6 /48) before it is stored, and
 * the browser is a name from useragent.c's fixed list, never header text.
 */
#ifndef KENPO_LOGIN_HISTORY_H
#define KENPO_LOGIN_HISTORY_H

#include <stddef.h>

struct req;

enum login_kind {
	LOGIN_PASSWORD,		/* e-mail address and password */
	LOGIN_REMEMBER,		/* restored from the remember-me cookie */
	LOGIN_FAILED,		/* a wrong password for the account */
	LOGIN_PASSKEY,		/* a passkey, without the password (0022) */
};

#define LOGIN_HISTORY_NET_MAX	64
#define LOGIN_HISTORY_SHOWN	20	/* rows on /account/logins */

/*
 * The network of ip as the member sees it: "203.0.113.0/24" (IPv4 /24),
 * "2001:db8:1::/48" (IPv6 /48; IPv4-mapped IPv6 is IPv4). 0, or -1 when ip is
 * not an address (out is then "").
 */
int		 login_history_net(const char *ip, char *out, size_t cap);

/*
 * Record a login of kind for account_id from the request's client address and
 * User-Agent. One INSERT; works inside db_txn. Returns the new row's id (> 0)
 * or a db_status.
 */
long long	 login_history_add(struct req *, long long account_id,
		    enum login_kind kind);

/*
 * Set the account's last LOGIN_HISTORY_SHOWN rows, newest first, as template
 * data <prefix>.<n>.Time (Japan time, as the request's language writes it),
 * .Kind (password|remember|failed), .Net ("" if unknown), .Browser
 * ("Chrome / Windows"; "" if neither is known), .Current (1: the row whose id
 * is current, the login of the request's session; 0 for none) and .Active (1:
 * a session of that login is still open). Returns the number of rows or a
 * db_status.
 */
int		 login_history_show(struct req *, long long account_id,
		    long long current, const char *prefix);

/*
 * Delete rows older than Member.LoginHistoryDays before today (YYYY-MM-DD,
 * Japan), in batches. Returns the number deleted or a db_status.
 */
long long	 login_history_prune(const char *today);

/* The kind as stored (and exported): "password", "remember", "failed",
 * "passkey". */
const char	*login_history_kind(enum login_kind);

#endif
