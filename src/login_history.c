/*
 * login_history.c — the member's recent logins (see login_history.h).
 *
 * Cost on the login path: login_history_add is one INSERT, made inside the
 * transaction login.c runs anyway (issue 9 measures POST /login); the page
 * and the export read with one query each. The list joins sessions to say
 * which logins still have an open session; sessions.login_id carries the row
 * id (session_open_new), kept across new session ids of the same account.
 */
#include "autoconf.h"
#include "login_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "throttle.h"
#include "useragent.h"

#define PRUNE_BATCH	5000

const char *
login_history_kind(enum login_kind k)
{
	switch (k) {
	case LOGIN_REMEMBER:
		return "remember";
	case LOGIN_FAILED:
		return "failed";
	case LOGIN_PASSKEY:
		return "passkey";
	case LOGIN_PASSWORD:
	default:
		return "password";
	}
}

int
login_history_net(const char *ip, char *out, size_t cap)
{
	if (cap == 0)
		return -1;
	if (ip == NULL || throttle_addr_block(ip, 24, 48, out, cap) != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

long long
login_history_add(struct req *r, long long account_id, enum login_kind kind)
{
	struct useragent ua;
	char		 net[LOGIN_HISTORY_NET_MAX];
	long long	 n;

	(void)login_history_net(r->ip, net, sizeof(net));
	useragent_parse(req_header(r, "User-Agent"), &ua);
	n = db_exec("INSERT INTO login_history (account_id, kind, net, browser, os)"
	    " VALUES (?, ?, ?, ?, ?)", "issss", account_id,
	    login_history_kind(kind), net[0] != '\0' ? net : NULL, ua.browser,
	    ua.os);
	if (n < 0)
		return n;
	return db_last_id();
}

/*
 * "2026-12-03 09:05" (Japan time) as the request's language writes it:
 * 2026年12月3日 9:05 in Japanese, unchanged in English.
 */
static void
time_text(struct req *r, const char *t, char *out, size_t cap)
{
	int	 y, mo, d, h, mi;

	if (strcmp(r->lang, "ja") == 0 &&
	    sscanf(t, "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) == 5)
		snprintf(out, cap, "%d年%d月%d日 %d:%02d", y, mo, d, h, mi);
	else
		snprintf(out, cap, "%s", t);
}

int
login_history_show(struct req *r, long long account_id, long long current,
    const char *prefix)
{
	struct db_res	*res = NULL;
	const char	*b, *o;
	char		 key[96], text[64];
	int		 st, row = 0;

	st = db_query(&res, "SELECT h.id,"
	    " DATE_FORMAT(h.created_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i'),"
	    " h.kind, h.net, h.browser, h.os,"
	    " EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = h.account_id"
	    "  AND s.login_id = h.id AND s.idle_expires_at > NOW(6)"
	    "  AND s.absolute_expires_at > NOW(6))"
	    " FROM login_history h WHERE h.account_id = ?"
	    " ORDER BY h.created_at DESC, h.id DESC LIMIT ?", "ii", account_id,
	    (long long)LOGIN_HISTORY_SHOWN);
	if (st != 0)
		return st;
	while ((st = db_res_next(res)) == 1) {
		snprintf(key, sizeof(key), "%s.%d.Time", prefix, row);
		time_text(r, db_res_str(res, 1), text, sizeof(text));
		req_set(r, key, text);
		snprintf(key, sizeof(key), "%s.%d.Kind", prefix, row);
		req_set(r, key, db_res_str(res, 2));
		snprintf(key, sizeof(key), "%s.%d.Net", prefix, row);
		req_set(r, key, db_res_isnull(res, 3) ? "" : db_res_str(res, 3));
		b = db_res_isnull(res, 4) ? "" : db_res_str(res, 4);
		o = db_res_isnull(res, 5) ? "" : db_res_str(res, 5);
		snprintf(key, sizeof(key), "%s.%d.Browser", prefix, row);
		req_setf(r, key, "%s%s%s", b, b[0] != '\0' && o[0] != '\0' ?
		    " / " : "", o);
		if (current > 0 && db_res_int(res, 0) == current) {
			snprintf(key, sizeof(key), "%s.%d.Current", prefix, row);
			req_set(r, key, "1");
		}
		if (db_res_int(res, 6) != 0) {
			snprintf(key, sizeof(key), "%s.%d.Active", prefix, row);
			req_set(r, key, "1");
		}
		row++;
	}
	db_res_free(res);
	return st < 0 ? st : row;
}

long long
login_history_prune(const char *today)
{
	long long	 n, total = 0;

	/* today 00:00 in Japan is today - 9 h in UTC (the connection's zone). */
	do {
		n = db_exec("DELETE FROM login_history WHERE created_at <"
		    " TIMESTAMP(?) - INTERVAL 9 HOUR - INTERVAL ? DAY LIMIT ?",
		    "sii", today, config_int("Member.LoginHistoryDays"),
		    (long long)PRUNE_BATCH);
		if (n < 0)
			return n;
		total += n;
	} while (n == PRUNE_BATCH);
	if (total > 0)
		log_info("login history: %lld rows older than %lld days deleted",
		    total, config_int("Member.LoginHistoryDays"));
	return total;
}
