/*
 * kenpoctl insurer maintenance — an insurer's maintenance notice (issue 10
 * item 6; src/maintenance.h shows it to the insurer's members).
 *
 *   insurer maintenance NUMBER set --from TIME --until TIME
 *       [--announce-from TIME | --announce-days N]
 *       [--message TEXT] [--message-en TEXT]
 *   insurer maintenance NUMBER show
 *   insurer maintenance NUMBER clear
 *   insurer maintenance list
 *
 * TIME is "YYYY-MM-DD[ HH:MM[:SS]]" in Japan time (what operators and members
 * think in), stored as UTC. An insurer has one window; set replaces it. The
 * notice is shown from the announcement time (default: 7 days before --from;
 * --announce-days 0 shows it only during the window) until --until. The
 * message is the operator's own words under the standard sentence, one line of
 * up to 500 characters; English pages show --message-en, else the Japanese.
 * set and clear are audited (insurer.maintenance_set / _clear). Exit 0, 1
 * refused (unknown insurer, bad window), 2 usage.
 *
 * A separate file from insurer.c so that the two grow without colliding;
 * insurer.c hands over the verb "maintenance".
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "insurer.h"
#include "maintenance.h"
#include "normalize.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_SET	"insurer maintenance NUMBER set --from TIME --until TIME " \
	"[--announce-from TIME | --announce-days N] [--message TEXT] " \
	"[--message-en TEXT]"
#define USAGE_SHOW	"insurer maintenance NUMBER show"
#define USAGE_CLEAR	"insurer maintenance NUMBER clear"
#define USAGE_LIST	"insurer maintenance list"
#define USAGE_ALL	USAGE_SET " | " USAGE_SHOW " | " USAGE_CLEAR " | " USAGE_LIST

#define ANNOUNCE_DAYS	7
#define ANNOUNCE_MAX	90

/* Times in Japan time, as operators typed them. */
#define JST(col)	"DATE_FORMAT(" col " + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i:%s')"

#define SELECT_COLS \
	"SELECT i.number, i.name," \
	" CASE WHEN m.insurer_id IS NULL THEN 'none'" \
	"  WHEN m.ends_at <= NOW(6) THEN 'over'" \
	"  WHEN m.starts_at <= NOW(6) THEN 'now'" \
	"  WHEN m.announce_from <= NOW(6) THEN 'announced'" \
	"  ELSE 'scheduled' END," \
	" " JST("m.announce_from") ", " JST("m.starts_at") ", " JST("m.ends_at") "," \
	" m.message_ja, m.message_en" \
	" FROM insurers i LEFT JOIN insurer_maintenance m ON m.insurer_id = i.id"

/*
 * The insurer of a NUMBER argument: *id set. CTL_OK, or CTL_REFUSED with the
 * reason printed.
 */
static int
insurer_arg(const char *verb, const char *arg, long long *id)
{
	struct insurer	 ins;
	char		*n, *what;
	int		 r;

	*id = 0;
	if ((n = normalize_digits(arg)) == NULL || strlen(n) != INSURER_NUMBER_LEN ||
	    !insurer_number_valid(n)) {
		free(n);
		return ctl_refuse("insurer maintenance %s: %s is not an insurer "
		    "number", verb, arg);
	}
	memset(&ins, 0, sizeof(ins));
	r = insurer_find(n, &ins);
	if (r < 0) {
		what = xasprintf("insurer maintenance %s", verb);
		r = ctl_db_error(r, what);
		free(what);
	} else if (r == 0)
		r = ctl_refuse("insurer maintenance %s: no insurer %s", verb, n);
	else {
		*id = ins.id;
		r = CTL_OK;
	}
	insurer_free(&ins);
	free(n);
	return r;
}

/*
 * "YYYY-MM-DD[ HH:MM[:SS]]" (a real calendar date and time) into
 * out = "YYYY-MM-DD HH:MM:SS". 0, or -1 when it is not one. (The same shapes
 * as announcement add --at.)
 */
static int
time_arg(const char *s, char out[80])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t		 i, len = strlen(s);
	int		 y, mo, d, h = 0, mi = 0, se = 0, leap;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	for (i = 0; i < len; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	if (len >= 16) {
		h = atoi(s + 11);
		mi = atoi(s + 14);
	}
	if (len == 19)
		se = atoi(s + 17);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	/* TIMESTAMP columns end in January 2038. */
	if (y < 2000 || y > 2037 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || se > 59)
		return -1;
	snprintf(out, 80, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se);
	return 0;
}

/* A message: one line of 1..MAINTENANCE_MESSAGE_MAX characters of UTF-8 text. */
static int
message_ok(const char *m)
{
	const unsigned char *p;

	if (m[0] == '\0' || !util_utf8_valid(m, strlen(m)) ||
	    util_utf8_len(m) > MAINTENANCE_MESSAGE_MAX)
		return 0;
	for (p = (const unsigned char *)m; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Print the current row of res (SELECT_COLS) as one record. */
static void
print_row(struct db_res *res)
{
	ctl_rec_begin();
	ctl_rec_str("number", db_res_str(res, 0));
	ctl_rec_str("insurer", db_res_str(res, 1));
	ctl_rec_str("state", db_res_str(res, 2));
	ctl_rec_str("announce_from", db_res_str(res, 3));
	ctl_rec_str("from", db_res_str(res, 4));
	ctl_rec_str("until", db_res_str(res, 5));
	ctl_rec_str("message", db_res_str(res, 6));
	ctl_rec_str("message_en", db_res_str(res, 7));
	ctl_rec_end();
}

/* Print insurer id's window (state "none" when it has none). */
static int
print_one(long long id, const char *what)
{
	struct db_res	*res = NULL;
	int		 r;

	if ((r = db_query(&res, SELECT_COLS " WHERE i.id = ?", "i", id)) < 0)
		return ctl_db_error(r, what);
	if ((r = db_res_next(res)) == 1)
		print_row(res);
	db_res_free(res);
	return r < 0 ? ctl_db_error(r, what) : CTL_OK;
}

static int
cmd_set(long long id, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from",		required_argument,	NULL,	'f' },
		{ "until",		required_argument,	NULL,	'u' },
		{ "announce-from",	required_argument,	NULL,	'a' },
		{ "announce-days",	required_argument,	NULL,	'd' },
		{ "message",		required_argument,	NULL,	'm' },
		{ "message-en",		required_argument,	NULL,	'e' },
		{ NULL,			0,			NULL,	0 }
	};
	const char	*from = NULL, *until = NULL, *ann = NULL;
	const char	*msg = NULL, *msg_en = NULL;
	char		 tf[80], tu[80], ta[80];
	long long	 days = ANNOUNCE_DAYS, n, over = 0;
	int		 ch, set_days = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'a':
			ann = optarg;
			break;
		case 'd':
			if (util_parse_int(optarg, 0, ANNOUNCE_MAX, &days) != 0)
				return ctl_usage(USAGE_SET, "--announce-days is 0 to %d",
				    ANNOUNCE_MAX);
			set_days = 1;
			break;
		case 'm':
			msg = optarg;
			break;
		case 'e':
			msg_en = optarg;
			break;
		default:
			return ctl_usage(USAGE_SET, NULL);
		}
	}
	if (optind != argc || from == NULL || until == NULL)
		return ctl_usage(USAGE_SET, "--from and --until are required");
	if (ann != NULL && set_days)
		return ctl_usage(USAGE_SET, "--announce-from or --announce-days, "
		    "not both");
	if (time_arg(from, tf) != 0 || time_arg(until, tu) != 0 ||
	    (ann != NULL && time_arg(ann, ta) != 0))
		return ctl_usage(USAGE_SET, "a time is YYYY-MM-DD[ HH:MM[:SS]] "
		    "(Japan time)");
	/* The shapes are fixed-width, so the strings compare as the times. */
	if (strcmp(tf, tu) >= 0)
		return ctl_refuse("insurer maintenance set: --until must be after "
		    "--from");
	if (ann != NULL && strcmp(ta, tf) > 0)
		return ctl_refuse("insurer maintenance set: --announce-from must "
		    "not be after --from");
	if ((msg != NULL && !message_ok(msg)) ||
	    (msg_en != NULL && !message_ok(msg_en)))
		return ctl_refuse("insurer maintenance set: a message is one line "
		    "of 1 to %d characters", MAINTENANCE_MESSAGE_MAX);

	/* Japan time to UTC: 9 hours back, no daylight saving in Japan. */
	n = db_exec("INSERT INTO insurer_maintenance (insurer_id, announce_from,"
	    " starts_at, ends_at, message_ja, message_en) VALUES (?,"
	    " IF(? = 1, CAST(? AS DATETIME(6)), CAST(? AS DATETIME(6))"
	    "  - INTERVAL ? DAY) - INTERVAL 9 HOUR,"
	    " CAST(? AS DATETIME(6)) - INTERVAL 9 HOUR,"
	    " CAST(? AS DATETIME(6)) - INTERVAL 9 HOUR, ?, ?)"
	    " ON DUPLICATE KEY UPDATE announce_from = VALUES(announce_from),"
	    " starts_at = VALUES(starts_at), ends_at = VALUES(ends_at),"
	    " message_ja = VALUES(message_ja), message_en = VALUES(message_en)",
	    "iississss", id, (long long)(ann != NULL), ann != NULL ? ta : tf, tf,
	    days, tf, tu, msg, msg_en);
	if (n < 0)
		return ctl_db_error((int)n, "insurer maintenance set");
	audit_ip(NULL, "insurer.maintenance_set", 0);
	if (db_int(&over, "SELECT ends_at <= NOW(6) FROM insurer_maintenance"
	    " WHERE insurer_id = ?", "i", id) >= 0 && over)
		fprintf(stderr, "kenpoctl: warning: this window is already over: "
		    "members will not see it\n");
	ctl_say("maintenance set");
	return print_one(id, "insurer maintenance set");
}

static int
cmd_clear(long long id)
{
	long long	 n;

	if ((n = db_exec("DELETE FROM insurer_maintenance WHERE insurer_id = ?",
	    "i", id)) < 0)
		return ctl_db_error((int)n, "insurer maintenance clear");
	if (n == 0)
		ctl_say("no maintenance was set");
	else {
		audit_ip(NULL, "insurer.maintenance_clear", 0);
		ctl_say("maintenance cleared");
	}
	return print_one(id, "insurer maintenance clear");
}

static int
cmd_list(int argc)
{
	struct db_res	*res = NULL;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_LIST, NULL);
	if ((r = db_query(&res, SELECT_COLS " WHERE m.insurer_id IS NOT NULL"
	    " ORDER BY m.starts_at, i.number", "")) < 0)
		return ctl_db_error(r, "insurer maintenance list");
	ctl_list_begin();
	while ((r = db_res_next(res)) == 1)
		print_row(res);
	ctl_list_end();
	db_res_free(res);
	return r < 0 ? ctl_db_error(r, "insurer maintenance list") : CTL_OK;
}

int
ctl_insurer_maintenance(int argc, char **argv)
{
	long long	 id;
	int		 r;

	/* argv[0] "maintenance", argv[1] NUMBER or "list", argv[2] the action. */
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cmd_list(argc);
	if (argc < 3)
		return ctl_usage(USAGE_ALL, NULL);
	if (strcmp(argv[2], "set") != 0 && strcmp(argv[2], "show") != 0 &&
	    strcmp(argv[2], "clear") != 0)
		return ctl_usage(USAGE_ALL, "insurer maintenance: unknown action %s",
		    argv[2]);
	if (strcmp(argv[2], "set") != 0 && argc != 3)
		return ctl_usage(strcmp(argv[2], "show") == 0 ? USAGE_SHOW :
		    USAGE_CLEAR, NULL);
	if ((r = insurer_arg(argv[2], argv[1], &id)) != CTL_OK)
		return r;
	if (strcmp(argv[2], "set") == 0)
		return cmd_set(id, argc - 2, argv + 2);
	if (strcmp(argv[2], "clear") == 0)
		return cmd_clear(id);
	return print_one(id, "insurer maintenance show");
}
