/*
 * throttle.c — fixed-window counters in MariaDB, address keys and the login
 * CAPTCHA policy. See throttle.h.
 */
#include "autoconf.h"
#include "throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "util.h"

#define WINDOW_MAX	(31 * 86400)
/* Room for the key plus "#<window>". */
#define ROWKEY_MAX	(THROTTLE_KEY_MAX + 12)

/* The stored k: key "#" window. -1 when the key or window is unusable. */
static int
row_key(char *out, size_t cap, const char *key, int window)
{
	int	 n;

	if (key == NULL || key[0] == '\0' || strlen(key) >= THROTTLE_KEY_MAX ||
	    strchr(key, '#') != NULL || window < 1 || window > WINDOW_MAX) {
		log_err("throttle: bad key or window (programming error)");
		return -1;
	}
	n = snprintf(out, cap, "%s#%d", key, window);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/*
 * Delete rows whose window is over: the window length is the number after '#'.
 * A full scan, so only now and then, and bounded by LIMIT. Failures (e.g. a
 * deadlock with a concurrent hit) are harmless: the next prune catches up.
 */
static void
prune(void)
{
	if (db_exec("DELETE FROM throttle WHERE window_start + INTERVAL "
	    "CAST(SUBSTRING_INDEX(k, '#', -1) AS UNSIGNED) SECOND < NOW() "
	    "LIMIT 1000", "") < 0)
		log_warn("throttle: cannot prune old windows");
}

long long
throttle_hit(const char *key, int window_seconds)
{
	char		 k[ROWKEY_MAX];
	long long	 rc, w = window_seconds;

	if (row_key(k, sizeof(k), key, window_seconds) != 0)
		return DB_ERR;
	/*
	 * LAST_INSERT_ID(expr) makes the statement report the new count as its
	 * insert id: 1 for a new window, count + 1 for an existing one. The window
	 * start is computed by the database, so all hosts share the same windows.
	 */
	rc = db_exec("INSERT INTO throttle (k, window_start, count) VALUES "
	    "(?, FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?), LAST_INSERT_ID(1)) "
	    "ON DUPLICATE KEY UPDATE count = LAST_INSERT_ID(count + 1)",
	    "sii", k, w, w);
	if (rc < 0)
		return rc;
	rc = db_last_id();
	if (rc < 1) {
		log_err("throttle: counter did not report its value");
		return DB_ERR;
	}
	throttle_prune_now_and_then();
	return rc;
}

long long
throttle_count(const char *key, int window_seconds)
{
	char		 k[ROWKEY_MAX];
	long long	 n = 0, w = window_seconds;
	int		 rc;

	if (row_key(k, sizeof(k), key, window_seconds) != 0)
		return DB_ERR;
	rc = db_int(&n, "SELECT count FROM throttle WHERE k = ? AND "
	    "window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?)",
	    "sii", k, w, w);
	if (rc < 0)
		return rc;
	return rc == 0 ? 0 : n;
}

int
throttle_unhit(const char *key, int window_seconds)
{
	char		 k[ROWKEY_MAX];
	long long	 rc, w = window_seconds;

	if (row_key(k, sizeof(k), key, window_seconds) != 0)
		return DB_ERR;
	rc = db_exec("UPDATE throttle SET count = count - 1 WHERE count > 0 AND "
	    "k = ? AND window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?)",
	    "sii", k, w, w);
	return rc < 0 ? (int)rc : 0;
}

int
throttle_reset(const char *key)
{
	struct buf	 pat = { NULL, 0, 0 };
	const char	*p;
	long long	 rc;

	if (key == NULL || key[0] == '\0' || strlen(key) >= THROTTLE_KEY_MAX)
		return DB_ERR;
	/* k LIKE '<key>#%' with the key's own LIKE metacharacters escaped. */
	for (p = key; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_append(&pat, "\\", 1);
		buf_append(&pat, p, 1);
	}
	buf_puts(&pat, "#%");
	rc = db_exec("DELETE FROM throttle WHERE k LIKE ?", "s", pat.data);
	buf_free(&pat);
	return rc < 0 ? (int)rc : 0;
}

/* ---------------------------------------------------------------- addresses */

struct addr {
	int		 af;		/* AF_INET or AF_INET6 */
	unsigned char	 b[16];		/* 4 or 16 bytes */
};

/* Parse an address; IPv4-mapped IPv6 is taken as IPv4. 0 or -1. */
static int
addr_parse(const char *s, struct addr *a)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->af = AF_INET6;
		if (memcmp(a->b, mapped, sizeof(mapped)) == 0) {
			memmove(a->b, a->b + 12, 4);
			memset(a->b + 4, 0, 12);
			a->af = AF_INET;
		}
		return 0;
	}
	return -1;
}

/* Clear the bits after the first plen. */
static void
addr_mask(struct addr *a, int plen)
{
	int	 i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		if (plen <= 8 * i)
			a->b[i] = 0;
		else
			a->b[i] &= (unsigned char)(0xff << (8 - (plen - 8 * i)));
	}
}

static int
addr_text(const struct addr *a, char *out, size_t cap)
{
	char	 tmp[INET6_ADDRSTRLEN];

	if (inet_ntop(a->af, a->b, tmp, sizeof(tmp)) == NULL ||
	    strlen(tmp) >= cap)
		return -1;
	memcpy(out, tmp, strlen(tmp) + 1);
	return 0;
}

int
throttle_addr_canon(const char *ip, char *out, size_t cap)
{
	struct addr	 a;

	if (addr_parse(ip, &a) != 0)
		return -1;
	return addr_text(&a, out, cap);
}

int
throttle_addr_net(const char *ip, char *out, size_t cap)
{
	return throttle_addr_block(ip, 24, 64, out, cap);
}

int
throttle_addr_block(const char *ip, int plen4, int plen6, char *out, size_t cap)
{
	struct addr	 a;
	char		 t[INET6_ADDRSTRLEN];
	int		 plen, n;

	if (addr_parse(ip, &a) != 0 || plen4 < 0 || plen4 > 32 ||
	    plen6 < 0 || plen6 > 128)
		return -1;
	plen = a.af == AF_INET ? plen4 : plen6;
	addr_mask(&a, plen);
	if (addr_text(&a, t, sizeof(t)) != 0)
		return -1;
	n = snprintf(out, cap, "%s/%d", t, plen);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/* ---------------------------------------------------------------- keys */

static void
key_with(char *out, size_t cap, const char *purpose, const char *kind,
    const char *rest)
{
	if (purpose != NULL && purpose[0] != '\0')
		snprintf(out, cap, "%s:%s:%s", purpose, kind, rest);
	else
		snprintf(out, cap, "%s:%s", kind, rest);
}

void
throttle_key_ip(char *out, size_t cap, const char *purpose, const char *ip)
{
	char	 a[THROTTLE_ADDR_MAX];

	if (throttle_addr_canon(ip, a, sizeof(a)) != 0)
		snprintf(a, sizeof(a), "unknown");
	key_with(out, cap, purpose, "ip", a);
}

void
throttle_key_net(char *out, size_t cap, const char *purpose, const char *ip)
{
	char	 a[THROTTLE_ADDR_MAX];

	if (throttle_addr_net(ip, a, sizeof(a)) != 0)
		snprintf(a, sizeof(a), "unknown");
	key_with(out, cap, purpose, "net", a);
}

void
throttle_key_acct(char *out, size_t cap, const char *purpose, long long account_id)
{
	char	 a[24];

	snprintf(a, sizeof(a), "%lld", account_id);
	key_with(out, cap, purpose, "acct", a);
}

void
throttle_key_acctip(char *out, size_t cap, const char *purpose,
    long long account_id, const char *ip)
{
	char	 a[THROTTLE_ADDR_MAX], rest[THROTTLE_ADDR_MAX + 24];

	if (throttle_addr_canon(ip, a, sizeof(a)) != 0)
		snprintf(a, sizeof(a), "unknown");
	snprintf(rest, sizeof(rest), "%lld:%s", account_id, a);
	key_with(out, cap, purpose, "acctip", rest);
}

void
throttle_key_addr(char *out, size_t cap, const char *purpose, const char *email)
{
	unsigned char	 key[256], mac[32];
	char		*msg, *p, hex[33];
	size_t		 n;

	msg = xasprintf("throttle-addr|%s", email != NULL ? email : "");
	for (p = msg; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	n = config_secret("Security.Secret", key, sizeof(key));
	if (crypto_hmac(key, n, msg, strlen(msg), mac) != 0)
		memset(mac, 0, sizeof(mac));	/* fail closed: one shared counter */
	util_hex(mac, 16, hex);
	key_with(out, cap, purpose, "addr", hex);
	util_wipe(key, sizeof(key));
	util_wipe(mac, sizeof(mac));
	util_free_secret(msg);
}

/* ---------------------------------------------------------------- login */

#define LOGIN_PURPOSE		"login"
#define LOGIN_FAIL_PURPOSE	"loginfail"

static int
login_window(void)
{
	return (int)(60 * config_int("Login.WindowMinutes"));
}

struct login_keys {
	char	 ip[ROWKEY_MAX], net[ROWKEY_MAX], fail[ROWKEY_MAX];
};

static void
login_keys(const char *ip, struct login_keys *k)
{
	throttle_key_ip(k->ip, sizeof(k->ip), LOGIN_PURPOSE, ip);
	throttle_key_net(k->net, sizeof(k->net), LOGIN_PURPOSE, ip);
	throttle_key_ip(k->fail, sizeof(k->fail), LOGIN_FAIL_PURPOSE, ip);
}

int
throttle_login_read(const char *ip, struct throttle_login *c)
{
	struct login_keys k;
	char		 rk[3][ROWKEY_MAX];
	struct db_res	*res = NULL;
	const char	*name;
	long long	 w = login_window();
	int		 rc;

	memset(c, 0, sizeof(*c));
	login_keys(ip, &k);
	if (row_key(rk[0], sizeof(rk[0]), k.ip, (int)w) != 0 ||
	    row_key(rk[1], sizeof(rk[1]), k.net, (int)w) != 0 ||
	    row_key(rk[2], sizeof(rk[2]), k.fail, (int)w) != 0)
		return DB_ERR;
	/* The three counts in one round trip. */
	rc = db_query(&res, "SELECT k, count FROM throttle WHERE k IN (?, ?, ?) "
	    "AND window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?)",
	    "sssii", rk[0], rk[1], rk[2], w, w);
	if (rc < 0)
		return rc;
	while ((rc = db_res_next(res)) == 1) {
		if ((name = db_res_str(res, 0)) == NULL)
			continue;
		if (strcmp(name, rk[0]) == 0)
			c->ip_requests = db_res_int(res, 1);
		else if (strcmp(name, rk[1]) == 0)
			c->net_requests = db_res_int(res, 1);
		else if (strcmp(name, rk[2]) == 0)
			c->ip_failures = db_res_int(res, 1);
	}
	db_res_free(res);
	return rc < 0 ? rc : 0;
}

/*
 * The page views' copy: every login counter of the current window whose count
 * can matter, i.e. reaches the smallest bound of throttle_captcha_level (a row
 * below it leaves the level at 1, and an allowlisted address exempt). At most
 * HOT_MAX rows are kept, sorted by key; when there were more, a key not found
 * there is looked up in the table.
 */
#define HOT_MAX		2000

struct hot_row {
	char		*k;
	long long	 count;
};

static struct {
	struct hot_row	*row;
	size_t		 n;
	int		 partial;
	int64_t		 at_ms;		/* when it was read; 0: never */
	unsigned	 gen;		/* config_generation() then */
} hot;

/* The smallest count that can change a level (throttle_captcha_level). */
static long long
hot_bound(void)
{
	long long	 f = config_int("Login.HardAfterFailures");
	long long	 r = config_int("Login.HardAfterRequests");
	long long	 a = config_int("Login.AllowlistFailures");
	long long	 t = (f + 1) / 2;

	if ((r + 1) / 2 < t)
		t = (r + 1) / 2;
	if (a > 0 && a < t)
		t = a;
	return t < 1 ? 1 : t;
}

static void
hot_rows_free(struct hot_row *row, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(row[i].k);
	free(row);
}

static int
hot_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hot_row *)a)->k, ((const struct hot_row *)b)->k);
}

/* Read the copy. 0 or a db_status (the old copy is then kept). */
static int
hot_read(void)
{
	struct db_res	*res = NULL;
	struct hot_row	*row;
	char		 like[32];
	long long	 w = login_window();
	size_t		 n = 0;
	int		 rc;

	snprintf(like, sizeof(like), "login%%#%lld", w);
	if ((rc = db_query(&res, "SELECT k, count FROM throttle WHERE k LIKE ? AND "
	    "window_start = FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?) AND "
	    "count >= ? LIMIT ?", "siiii", like, w, w, hot_bound(),
	    (long long)HOT_MAX + 1)) != 0)
		return rc;
	row = xcalloc(HOT_MAX + 1, sizeof(*row));
	while ((rc = db_res_next(res)) == 1 && n <= HOT_MAX) {
		if (db_res_str(res, 0) == NULL)
			continue;
		row[n].k = xstrdup(db_res_str(res, 0));
		row[n++].count = db_res_int(res, 1);
	}
	db_res_free(res);
	if (rc < 0) {
		hot_rows_free(row, n);
		return rc;
	}
	hot_rows_free(hot.row, hot.n);
	if ((hot.partial = n > HOT_MAX))
		free(row[--n].k);
	qsort(row, n, sizeof(*row), hot_cmp);
	hot.row = row;
	hot.n = n;
	hot.at_ms = util_mono_ms();
	hot.gen = config_generation();
	return 0;
}

/* The count of row key k in the copy: 1 found, 0 not there. */
static int
hot_find(const char *k, long long *count)
{
	size_t	 lo = 0, hi = hot.n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(k, hot.row[mid].k)) == 0) {
			*count = hot.row[mid].count;
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int
throttle_login_view(const char *ip, struct throttle_login *c)
{
	struct login_keys k;
	char		 rk[3][ROWKEY_MAX];
	long long	*out[3], w = login_window();
	int		 i, rc;

	memset(c, 0, sizeof(*c));
	if (!config_view_fresh(hot.at_ms, hot.gen) && (rc = hot_read()) < 0)
		return rc;
	login_keys(ip, &k);
	if (row_key(rk[0], sizeof(rk[0]), k.ip, (int)w) != 0 ||
	    row_key(rk[1], sizeof(rk[1]), k.net, (int)w) != 0 ||
	    row_key(rk[2], sizeof(rk[2]), k.fail, (int)w) != 0)
		return DB_ERR;
	out[0] = &c->ip_requests;
	out[1] = &c->net_requests;
	out[2] = &c->ip_failures;
	for (i = 0; i < 3; i++)
		if (!hot_find(rk[i], out[i]) && hot.partial)
			return throttle_login_read(ip, c);
	return 0;
}

/*
 * One row of the counting INSERT: key, its window from the statement's clock,
 * count 1. The first row also leaves that clock (UNIX_TIMESTAMP(), the same for
 * every row of a statement) as the statement's insert id: LAST_INSERT_ID(expr)
 * is what the client reads back, so the caller learns which windows it counted
 * in without another round trip.
 */
#define COUNT_ROW0	"(?, FROM_UNIXTIME(LAST_INSERT_ID(UNIX_TIMESTAMP()) DIV ? * ?), 1)"
#define COUNT_ROW	"(?, FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?), 1)"
#define COUNT_SQL(rows)	"INSERT INTO throttle (k, window_start, count) VALUES " rows \
	" ON DUPLICATE KEY UPDATE count = count + 1"

int
throttle_login_count(const char *ip, int failure, const char *addrkey,
    int addr_window, long long *at)
{
	struct login_keys k;
	char		 rk[4][ROWKEY_MAX];
	long long	 rc, w = login_window(), aw = addr_window;

	*at = 0;
	login_keys(ip, &k);
	if (row_key(rk[0], sizeof(rk[0]), k.ip, (int)w) != 0 ||
	    row_key(rk[1], sizeof(rk[1]), k.net, (int)w) != 0 ||
	    row_key(rk[2], sizeof(rk[2]), k.fail, (int)w) != 0 ||
	    (addrkey != NULL &&
	    row_key(rk[3], sizeof(rk[3]), addrkey, addr_window) != 0))
		return DB_ERR;
	/* Every counter in one statement: one round trip. */
	if (failure && addrkey != NULL)
		rc = db_exec(COUNT_SQL(COUNT_ROW0 ", " COUNT_ROW ", " COUNT_ROW ", "
		    COUNT_ROW), "siisiisiisii", rk[0], w, w, rk[1], w, w, rk[2], w, w,
		    rk[3], aw, aw);
	else if (failure)
		rc = db_exec(COUNT_SQL(COUNT_ROW0 ", " COUNT_ROW ", " COUNT_ROW),
		    "siisiisii", rk[0], w, w, rk[1], w, w, rk[2], w, w);
	else if (addrkey == NULL)
		rc = db_exec(COUNT_SQL(COUNT_ROW0 ", " COUNT_ROW), "siisii",
		    rk[0], w, w, rk[1], w, w);
	else {
		log_err("throttle: an address counted without a failure "
		    "(programming error)");
		return DB_ERR;
	}
	if (rc < 0)
		return (int)rc;
	if ((*at = db_last_id()) < 1) {
		log_err("throttle: the counting statement did not report its clock");
		return DB_ERR;
	}
	return 0;
}

int
throttle_login_uncount(const char *ip, const char *addrkey, int addr_window,
    long long at)
{
	struct login_keys k;
	char		 rk[2][ROWKEY_MAX];
	long long	 rc, w = login_window(), aw = addr_window;

	login_keys(ip, &k);
	if (at < 1 || row_key(rk[0], sizeof(rk[0]), k.fail, (int)w) != 0 ||
	    (addrkey != NULL &&
	    row_key(rk[1], sizeof(rk[1]), addrkey, addr_window) != 0))
		return DB_ERR;
	/* The windows of the count (at), not the current ones. */
	if (addrkey == NULL)
		rc = db_exec("UPDATE throttle SET count = count - 1 WHERE count > 0 AND"
		    " k = ? AND window_start = FROM_UNIXTIME(? DIV ? * ?)", "siii",
		    rk[0], at, w, w);
	else
		rc = db_exec("UPDATE throttle SET count = count - 1 WHERE count > 0 AND"
		    " ((k = ? AND window_start = FROM_UNIXTIME(? DIV ? * ?)) OR"
		    " (k = ? AND window_start = FROM_UNIXTIME(? DIV ? * ?)))",
		    "siiisiii", rk[0], at, w, w, rk[1], at, aw, aw);
	return rc < 0 ? (int)rc : 0;
}

void
throttle_prune_now_and_then(void)
{
	if (!db_in_txn() && crypto_random_uniform(100) == 0)
		prune();
}

/*
 * The login CAPTCHA policy (SPEC §4, seed 000: difficulty rises with request
 * concentration from one address and with failed logins; allowlisted addresses
 * skip the CAPTCHA until they reach a number of failures). All counts are over the
 * current Login.WindowMinutes window. With F = Login.HardAfterFailures and
 * R = Login.HardAfterRequests:
 *
 *   Login.Captcha = off                              → 0 (tests only)
 *   allowlisted and failures < Login.AllowlistFailures → 0
 *   failures >= F, or attempts from the address >= R,
 *     or attempts from its /24|/64 >= 4R             → 3 hard
 *   failures >= ceil(F/2), or attempts >= ceil(R/2),
 *     or attempts from its network >= 2R             → 2 medium
 *   otherwise                                        → 1 easy (always required)
 *
 * The network bounds are looser because a /24 or /64 is often shared (offices,
 * carrier NAT). An allowlisted address over its failure limit is judged on its
 * failures only: many attempts from it are expected (it is an insurer's or an
 * employer's shared address). Login.AllowlistFailures = 0 turns the exemption off.
 */
int
throttle_captcha_level(const struct throttle_login *c, int allowlisted)
{
	long long	 f = config_int("Login.HardAfterFailures");
	long long	 r = config_int("Login.HardAfterRequests");
	long long	 ipreq = c->ip_requests, netreq = c->net_requests;

	if (strcmp(config_str("Login.Captcha"), "off") == 0)
		return 0;
	if (allowlisted) {
		if (c->ip_failures < config_int("Login.AllowlistFailures"))
			return 0;
		ipreq = netreq = 0;
	}
	if (c->ip_failures >= f || ipreq >= r || netreq >= 4 * r)
		return 3;
	if (c->ip_failures >= (f + 1) / 2 || ipreq >= (r + 1) / 2 ||
	    netreq >= 2 * r)
		return 2;
	return 1;
}
