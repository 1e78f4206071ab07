/*
 * kenpoctl audit — read the audit log (newest first).
 *
 *   audit list [--account ID] [--event PREFIX] [--since DATE] [--limit N]
 *
 * --event keeps the events that start with PREFIX ("login." or "login.fail");
 * --since keeps those at or after DATE, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"
 * (ISO 8601) in UTC, as the times are printed, or with a "Z" or "+09:00"-style
 * offset. N defaults to 50.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_LIST	"audit list [--account ID] [--event PREFIX] [--since DATE] " \
	"[--limit N]"
#define LIST_LIMIT	50
#define EVENT_MAX	48	/* audit.event VARCHAR(48) */

/* n digits at s: 1 and *v set, or 0. */
static int
digits(const char *s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * An ISO 8601 date or date-time into "YYYY-MM-DD HH:MM:SS" UTC (out[20]):
 * YYYY-MM-DD, then optionally T (or a space) HH:MM, optionally :SS, optionally
 * Z or ±HH:MM. 0, or -1 when it does not parse or names no real time.
 */
static int
parse_since(const char *s, char out[20])
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm	 tm;
	time_t		 t;
	int		 y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return -1;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (!digits(s + 1, 2, &h) || s[3] != ':' || !digits(s + 4, 2, &mi))
			return -1;
		s += 6;
		if (*s == ':') {
			if (!digits(s + 1, 2, &sec))
				return -1;
			s += 3;
		}
		if (*s == 'Z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s == '+' ? 1 : -1;
			if (!digits(s + 1, 2, &oh) || s[3] != ':' ||
			    !digits(s + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			s += 6;
		}
	}
	if (*s != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || (mo == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))) || h > 23 || mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	t -= sign * (oh * 3600 + om * 60);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm) != 19)
		return -1;
	return 0;
}

/* PREFIX → a LIKE pattern with '!' as the escape character, malloc'd. */
static char *
prefix_pattern(const char *prefix)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p;

	for (p = prefix; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '!')
			buf_puts(&b, "!");
		buf_append(&b, p, 1);
	}
	buf_puts(&b, "%");
	return b.data;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "account",	required_argument,	NULL,	'a' },
		{ "event",	required_argument,	NULL,	'e' },
		{ "since",	required_argument,	NULL,	's' },
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	const char	*event = NULL;
	char		 since[20], *like = NULL;
	long long	 account = 0, limit = LIST_LIMIT;
	int		 ch, r, have_since = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "a:e:s:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (util_parse_int(optarg, 1, 0x7fffffffffffffffLL,
			    &account) != 0)
				return ctl_usage(USAGE_LIST, "not an account id: %s",
				    optarg);
			break;
		case 'e':
			if (optarg[0] == '\0' || strlen(optarg) > EVENT_MAX)
				return ctl_usage(USAGE_LIST, "bad event prefix: %s",
				    optarg);
			event = optarg;
			break;
		case 's':
			if (parse_since(optarg, since) != 0)
				return ctl_usage(USAGE_LIST, "not an ISO 8601 date or "
				    "time: %s", optarg);
			have_since = 1;
			break;
		case 'n':
			if (util_parse_int(optarg, 1, 100000, &limit) != 0)
				return ctl_usage(USAGE_LIST, "bad limit: %s", optarg);
			break;
		default:
			return ctl_usage(USAGE_LIST, NULL);
		}
	}
	if (optind != argc)
		return ctl_usage(USAGE_LIST, NULL);
	if (event != NULL)
		like = prefix_pattern(event);
	/*
	 * A NULL parameter leaves its filter out ("? IS NULL OR …"). The account
	 * has a statement of its own so that it can use the audit_account index.
	 */
#define AUDIT_FILTERS \
	" AND (? IS NULL OR event LIKE ? ESCAPE '!')" \
	" AND (? IS NULL OR created_at >= ?) ORDER BY id DESC LIMIT ?"
	if (account > 0)
		r = db_query(&res, "SELECT id, created_at, event, account_id, ip"
		    " FROM audit WHERE account_id = ?" AUDIT_FILTERS, "issssi",
		    account, like, like, have_since ? since : NULL,
		    have_since ? since : NULL, limit);
	else
		r = db_query(&res, "SELECT id, created_at, event, account_id, ip"
		    " FROM audit WHERE 1" AUDIT_FILTERS, "ssssi", like, like,
		    have_since ? since : NULL, have_since ? since : NULL, limit);
#undef AUDIT_FILTERS
	free(like);
	if (r < 0)
		return ctl_db_error(r, "audit list");
	ctl_list_begin();
	while (db_res_next(res) == 1) {
		ctl_rec_begin();
		ctl_rec_int("id", db_res_int(res, 0));
		ctl_rec_str("time", db_res_str(res, 1));
		ctl_rec_str("event", db_res_str(res, 2));
		if (db_res_isnull(res, 3))
			ctl_rec_str("account", NULL);
		else
			ctl_rec_int("account", db_res_int(res, 3));
		ctl_rec_str("ip", db_res_str(res, 4));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return CTL_OK;
}

int
ctl_audit(int argc, char **argv)
{
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	return ctl_usage(USAGE_LIST, "audit: unknown verb %s", argv[1]);
}
