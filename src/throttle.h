/*
 * throttle.h — rate counters in the `throttle` table, address keys, the insurer
 * IP allowlist, and the login CAPTCHA policy.
 *
 * A counter is a key ("login:ip:203.0.113.7") counted in fixed windows of a given
 * length, aligned on the database clock (so every host agrees on the window). The
 * row's k is the key plus "#<window seconds>": the same key may be counted in
 * windows of different lengths without mixing, and pruning knows when a row's
 * window is over. Rows of finished windows are deleted now and then by
 * throttle_hit().
 *
 * Counting writes; reading does not. Showing a page (GET /login) must write nothing,
 * so the login counters are bumped only by login POSTs: request concentration is
 * the number of login attempts from one address and from its network (/24 for
 * IPv4, /64 for IPv6) in Login.WindowMinutes; failures are the failed logins from
 * the address in the same window. CAPTCHA image fetches are not counted (they would
 * write on a page view).
 *
 * Call the counting functions outside any transaction: a count must stay when the
 * login that follows fails and is rolled back, and db_txn may run its function more
 * than once.
 */
#ifndef KENPO_THROTTLE_H
#define KENPO_THROTTLE_H

#include <stddef.h>

/* Buffer size for a key (the column holds 120 with the "#window" suffix). */
#define THROTTLE_KEY_MAX	100
/* Buffer size for an address or network in text form. */
#define THROTTLE_ADDR_MAX	64

/*
 * Count one event of key in the current window of window_seconds (1..31 days).
 * Returns the new count (>= 1) or a db_status (< 0). One round trip:
 * INSERT … ON DUPLICATE KEY UPDATE with LAST_INSERT_ID(expr).
 */
long long	 throttle_hit(const char *key, int window_seconds);
/* The count of key in the current window (0 if none); read only. Or a db_status. */
long long	 throttle_count(const char *key, int window_seconds);
/*
 * Take one event of key back from the current window (never below 0): for an
 * attempt counted ahead of its check (throttle_hit first, so that parallel
 * attempts, from several hosts too, meet the limit) that turned out not to be a
 * failure. A window that turned between the two loses nothing. 0 or a db_status.
 */
int		 throttle_unhit(const char *key, int window_seconds);
/* Forget every window of key (e.g. after an operator unlock). 0 or a db_status. */
int		 throttle_reset(const char *key);

/*
 * Keys. purpose (e.g. "login", may be NULL) keeps unrelated counts apart. An
 * address that does not parse is written as "unknown", so all such requests share
 * one counter (fail closed). out needs THROTTLE_KEY_MAX bytes.
 *   ip      "<purpose>:ip:203.0.113.7"      (canonical; ::ffff:a.b.c.d → a.b.c.d)
 *   net     "<purpose>:net:203.0.113.0/24"  or "…:net:2001:db8:1:2::/64"
 *   acct    "<purpose>:acct:42"
 *   acctip  "<purpose>:acctip:42:203.0.113.7"
 */
void		 throttle_key_ip(char *out, size_t cap, const char *purpose,
		    const char *ip);
void		 throttle_key_net(char *out, size_t cap, const char *purpose,
		    const char *ip);
void		 throttle_key_acct(char *out, size_t cap, const char *purpose,
		    long long account_id);
void		 throttle_key_acctip(char *out, size_t cap, const char *purpose,
		    long long account_id, const char *ip);
/*
 *   addr    "<purpose>:addr:<32 hex>"  an e-mail address, whether or not it has an
 *           account: the first 16 bytes of HMAC-SHA256(Security.Secret,
 *           "throttle-addr|" + the address with ASCII lower-cased), so the table
 *           holds no address and unknown addresses count like known ones.
 */
void		 throttle_key_addr(char *out, size_t cap, const char *purpose,
		    const char *email);

/*
 * Addresses. canon: canonical text of an IPv4/IPv6 address (IPv4-mapped IPv6
 * becomes IPv4). net: its /24 or /64 network as CIDR. Both return 0, or -1 when
 * the input does not parse or out is too small (THROTTLE_ADDR_MAX is enough).
 * (Allowlist blocks are insurer.h's: insurer_cidr_parse, insurer_ip_allowlisted.)
 */
int		 throttle_addr_canon(const char *ip, char *out, size_t cap);
int		 throttle_addr_net(const char *ip, char *out, size_t cap);
/* The block of ip as CIDR, /plen4 for IPv4 and /plen6 for IPv6 ("203.0.113.0/24",
 * "2001:db8:1::/48"): net is (ip, 24, 64). 0 or -1 as above. */
int		 throttle_addr_block(const char *ip, int plen4, int plen6, char *out,
		    size_t cap);

/* The login counts of one client address in the current Login.WindowMinutes. */
struct throttle_login {
	long long	 ip_requests;	/* login attempts (POSTs) from the address */
	long long	 net_requests;	/* login attempts from its /24 or /64 */
	long long	 ip_failures;	/* failed logins from the address */
};

/* Read the login counts of ip (what POST /login decides on). Read only. 0 or a
 * db_status. */
int		 throttle_login_read(const char *ip, struct throttle_login *);
/*
 * The same counts for a page view, which makes no database round trip: from
 * this process's copy of the current window's login counters that can change a
 * CAPTCHA level, read again when it is older than Login.ViewCacheSeconds (0:
 * every time). At most that old, so the level a page shows may be too low for
 * a few seconds; the POST decides on the table and asks again (see
 * docs/login-security.md). 0 or a db_status.
 */
int		 throttle_login_view(const char *ip, struct throttle_login *);
/*
 * Count a login attempt (POST /login) from ip in the current Login.WindowMinutes
 * window: the address's and its network's attempts; when failure, a failure of
 * the address too (a wrong CAPTCHA, or a password counted as failed ahead of
 * its check); and when addrkey is not NULL, addrkey's counter in its window of
 * addr_window seconds (an unknown e-mail address; only with failure). One
 * statement, so one round trip, and one commit with the caller's transaction.
 * *at receives the database's clock (UNIX time) of the statement, which names
 * the windows counted in, for throttle_login_uncount. 0 or a db_status.
 */
int		 throttle_login_count(const char *ip, int failure, const char *addrkey,
		    int addr_window, long long *at);
/*
 * Take back the failure throttle_login_count counted at at for ip (and addrkey's
 * count, when not NULL): the password it counted ahead turned out right, or was
 * not checked. Only in the windows of that count: a window started since is not
 * touched. The attempt stays counted. 0 or a db_status.
 */
int		 throttle_login_uncount(const char *ip, const char *addrkey,
		    int addr_window, long long at);
/*
 * Delete the counters of windows that are over, about once in 100 calls and
 * never inside a transaction (a failed prune would end it). For writers that
 * count inside their own transactions (login); throttle_hit does it itself.
 */
void		 throttle_prune_now_and_then(void);

/*
 * The CAPTCHA level (0..3) a login from an address with counts c must pass.
 * allowlisted: the address is on an insurer's allowlist. Pure (reads config only).
 * See throttle.c for the policy.
 */
int		 throttle_captcha_level(const struct throttle_login *c, int allowlisted);

#endif
