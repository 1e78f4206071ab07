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
	char		 tf[CTL_TIME_LEN], tu[CTL_TIME_LEN], ta[CTL_TIME_LEN];
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
	if (ctl_time_arg(from, tf) != 0 || ctl_time_arg(until, tu) != 0 ||
	    (ann != NULL && ctl_time_arg(ann, ta) != 0))
		return ctl_usage(USAGE_SET, "a time is YYYY-MM-DD[ HH:MM[:SS]] "
		    "(Japan time)");
	/* The shapes are fixed-width, so the strings compare as the times. */
	if (strcmp(tf, tu) >= 0)
		return ctl_refuse("insurer maintenance set: --until must be after "
		    "--from");
	if (ann != NULL && strcmp(ta, tf) > 0)
		return ctl_refuse("insurer maintenance set: --announce-from must "
		    "not be after --from");
	if ((msg != NULL && !ctl_line_ok(msg, MAINTENANCE_MESSAGE_MAX, 1)) ||
	    (msg_en != NULL &&
	    !ctl_line_ok(msg_en, MAINTENANCE_MESSAGE_MAX, 1)))
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
	if ((r = ctl_insurer_id_arg("insurer maintenance", argv[2], argv[1],
	    &id)) != CTL_OK)
		return r;
	if (strcmp(argv[2], "set") == 0)
		return cmd_set(id, argc - 2, argv + 2);
	if (strcmp(argv[2], "clear") == 0)
		return cmd_clear(id);
	return print_one(id, "insurer maintenance show");
}
