/*
 * kenpoctl announcement — the announcements (お知らせ) of the member top page.
 *
 *   announcement add [--insurer NUMBER] [--at "YYYY-MM-DD[ HH:MM[:SS]]"]
 *       [--mail] TITLE BODY_FILE|-
 *   announcement list [--insurer NUMBER | --operator] [--limit N]
 *   announcement show ID
 *   announcement send ID
 *   announcement delete ID
 *
 * Without --insurer an announcement is operator-wide (every member reads it,
 * 未所属 members too); with it, only that insurer's members read it. --at
 * publishes it later: the time is Japan time (what operators think in), stored
 * as UTC like every time in the database; without it, it is published at once.
 * The body is plain text (UTF-8, line breaks kept; the pages escape it), read
 * from BODY_FILE or, with "-", standard input. Times are printed in Japan time.
 *
 * --mail also mails it (お知らせメール) to the members of its audience who have
 * notification mails on, once it is published: the mailer queues them in
 * batches (Mail.BulkBatch recipients per Mail.BulkInterval seconds; the rules in
 * src/notify_mail.c), each member once. add takes the first batch at once when
 * the announcement is published now. `send ID` mails an announcement added
 * without --mail, or takes the next batch of one being mailed at once; once
 * every recipient is queued it queues nothing more. show reports the progress:
 * recipients still to queue, and the queued, sent and failed mails. Deleting an
 * announcement stops its mailing (mails already queued still go out).
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "insurer.h"
#include "normalize.h"
#include "notify_mail.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_ADD	"announcement add [--insurer NUMBER] " \
	"[--at \"YYYY-MM-DD[ HH:MM[:SS]]\"] [--mail] TITLE BODY_FILE|-"
#define USAGE_LIST	"announcement list [--insurer NUMBER | --operator] [--limit N]"
#define USAGE_SHOW	"announcement show ID"
#define USAGE_SEND	"announcement send ID"
#define USAGE_DELETE	"announcement delete ID"
#define USAGE_ALL	USAGE_ADD " | " USAGE_LIST " | " USAGE_SHOW " | " \
	USAGE_SEND " | " USAGE_DELETE

#define TITLE_MAX	200	/* characters: announcements.title VARCHAR(200) */
#define BODY_MAX	65535	/* bytes: announcements.body TEXT */
#define LIST_LIMIT	50

/* The time columns in Japan time. */
#define JST(col)	"DATE_FORMAT(" col " + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i:%s')"

/* Mails this command queued itself (add, send), printed as mails_queued_now;
 * -1: the command took no step. */
static long long	 queued_now = -1;

/*
 * The mailing progress of announcement id as fields of the current record:
 * recipients_pending (members of the audience the mailing has not reached yet:
 * still to queue), mails_queued (in the outbox, not sent yet), mails_sent,
 * mails_failed (given up by the mailer; kenpoctl mail retry), mails_total
 * (every recipient queued; a member whose account was erased since counts here
 * only). Prints nothing more when the database fails (logged).
 */
static void
print_progress(long long id)
{
	struct db_res	*res = NULL;
	long long	 pending = 0;

	if (db_int(&pending, "SELECT COUNT(*) FROM announcements n"
	    " JOIN accounts a ON a.id > n.mail_cursor AND a.state = 'active'"
	    " AND a.notify = 1 AND (n.insurer_id IS NULL"
	    "  OR (a.insurer_id = n.insurer_id AND a.unaffiliated = 0))"
	    " WHERE n.id = ? AND n.mail = 1 AND n.mail_done_at IS NULL",
	    "i", id) < 0 ||
	    db_query(&res, "SELECT COUNT(*),"
	    " COALESCE(SUM(o.sent_at IS NULL AND o.failed_at IS NULL), 0),"
	    " COALESCE(SUM(o.sent_at IS NOT NULL), 0),"
	    " COALESCE(SUM(o.sent_at IS NULL AND o.failed_at IS NOT NULL), 0)"
	    " FROM announcement_mails m LEFT JOIN outbox o ON o.id = m.outbox_id"
	    " WHERE m.announcement_id = ?", "i", id) < 0 ||
	    db_res_next(res) != 1) {
		db_res_free(res);
		return;
	}
	ctl_rec_int("recipients_pending", pending);
	ctl_rec_int("mails_total", db_res_int(res, 0));
	ctl_rec_int("mails_queued", db_res_int(res, 1));
	ctl_rec_int("mails_sent", db_res_int(res, 2));
	ctl_rec_int("mails_failed", db_res_int(res, 3));
	if (queued_now >= 0)
		ctl_rec_int("mails_queued_now", queued_now);
	db_res_free(res);
}

/* Print the current row of res as one record (with the body, the mailing
 * progress or not). */
static void
print_row(struct db_res *res, int with_body, int with_progress)
{
	ctl_rec_begin();
	ctl_rec_int("id", db_res_int(res, 0));
	ctl_rec_str("published", db_res_str(res, 1));
	ctl_rec_bool("scheduled", db_res_int(res, 2) != 0);
	ctl_rec_str("insurer", db_res_str(res, 3));
	ctl_rec_str("title", db_res_str(res, 4));
	ctl_rec_bool("mail", db_res_int(res, 6) != 0);
	ctl_rec_str("mail_state", db_res_int(res, 6) == 0 ? "none" :
	    db_res_int(res, 2) != 0 ? "scheduled" :
	    db_res_int(res, 7) != 0 ? "done" : "sending");
	if (with_body)
		ctl_rec_str("body", db_res_str(res, 5));
	if (with_progress)
		print_progress(db_res_int(res, 0));
	ctl_rec_end();
}

/* Print every announcement row of res (list form). */
static void
print_rows(struct db_res *res, int with_body, int with_progress)
{
	while (db_res_next(res) == 1)
		print_row(res, with_body, with_progress);
}

#define SELECT_COLS \
	"SELECT a.id, " JST("a.published_at") ", a.published_at > NOW(6)," \
	" i.number, a.title, a.body, a.mail, a.mail_done_at IS NOT NULL" \
	" FROM announcements a" \
	" LEFT JOIN insurers i ON i.id = a.insurer_id"

/* A first batch that could not be queued: the mailer will; say so. */
static void
ctl_warn_step(long long id, int status)
{
	fprintf(stderr, "kenpoctl: announcement %lld: the first mails could not be "
	    "queued now (db status %d); the mailer queues them\n", id, status);
}

static int
cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "insurer",	required_argument,	NULL,	'i' },
		{ "at",		required_argument,	NULL,	'a' },
		{ "mail",	no_argument,		NULL,	'm' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	struct notify_step st;
	const char	*number = NULL, *at = NULL;
	char		*body = NULL, when[CTL_TIME_LEN], ins[24];
	long long	 insurer = 0, n, id;
	int		 ch, r, mail = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "i:a:m", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			number = optarg;
			break;
		case 'a':
			at = optarg;
			break;
		case 'm':
			mail = 1;
			break;
		default:
			return ctl_usage(USAGE_ADD, NULL);
		}
	}
	/* "-" (standard input) is an operand, not an option: getopt leaves it. */
	if (argc - optind != 2)
		return ctl_usage(USAGE_ADD, NULL);
	if (!ctl_line_ok(argv[optind], TITLE_MAX, 1))
		return ctl_refuse("announcement add: the title must be 1 to %d "
		    "characters of text on one line", TITLE_MAX);
	if (at != NULL && ctl_time_arg(at, when) != 0)
		return ctl_usage(USAGE_ADD, "--at: not a time YYYY-MM-DD[ HH:MM[:SS]]"
		    " (Japan time): %s", at);
	if (number != NULL && (r = ctl_insurer_id_arg("announcement", "add",
	    number, &insurer)) != CTL_OK)
		return r;
	if ((r = ctl_read_text("announcement add", argv[optind + 1], BODY_MAX,
	    &body)) != CTL_OK)
		return r;
	/* insurer_id is bound as text: NULL (operator-wide) needs an 's'. */
	snprintf(ins, sizeof(ins), "%lld", insurer);
	if (at != NULL)
		n = db_exec("INSERT INTO announcements (insurer_id, title, body,"
		    " published_at, mail) VALUES (?, ?, ?, CAST(? AS DATETIME(6))"
		    " - INTERVAL 9 HOUR, ?)", "ssssi", insurer > 0 ? ins : NULL,
		    argv[optind], body, when, (long long)mail);
	else
		n = db_exec("INSERT INTO announcements (insurer_id, title, body,"
		    " mail) VALUES (?, ?, ?, ?)", "sssi", insurer > 0 ? ins : NULL,
		    argv[optind], body, (long long)mail);
	free(body);
	if (n < 0)
		return ctl_db_error((int)n, "announcement add");
	id = db_last_id();
	if (mail) {
		audit_ip(NULL, "announcement.mail", 0);
		/* The first batch now, when it is published now; the mailer
		 * queues the rest (and all of a scheduled one, from its time). */
		if ((r = notify_mail_step(id, &st)) < 0)
			ctl_warn_step(id, r);
		else
			queued_now = st.queued;
	}
	if ((r = db_query(&res, SELECT_COLS " WHERE a.id = ?", "i", id)) < 0)
		return ctl_db_error(r, "announcement add");
	ctl_say("announcement %lld added%s", id, mail ?
	    "; it is mailed to the members who want notification mails" : "");
	print_rows(res, 0, mail);
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "insurer",	required_argument,	NULL,	'i' },
		{ "operator",	no_argument,		NULL,	'o' },
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	const char	*number = NULL;
	long long	 insurer = 0, limit = LIST_LIMIT;
	int		 ch, r, operator = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "i:on:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			number = optarg;
			break;
		case 'o':
			operator = 1;
			break;
		case 'n':
			if (util_parse_int(optarg, 1, 100000, &limit) != 0)
				return ctl_usage(USAGE_LIST, "bad limit: %s", optarg);
			break;
		default:
			return ctl_usage(USAGE_LIST, NULL);
		}
	}
	if (optind != argc || (number != NULL && operator))
		return ctl_usage(USAGE_LIST, NULL);
	if (number != NULL && (r = ctl_insurer_id_arg("announcement", "list",
	    number, &insurer)) != CTL_OK)
		return r;
	if (insurer > 0)
		r = db_query(&res, SELECT_COLS " WHERE a.insurer_id = ?"
		    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?", "ii",
		    insurer, limit);
	else if (operator)
		r = db_query(&res, SELECT_COLS " WHERE a.insurer_id IS NULL"
		    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?", "i", limit);
	else
		r = db_query(&res, SELECT_COLS
		    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?", "i", limit);
	if (r < 0)
		return ctl_db_error(r, "announcement list");
	ctl_list_begin();
	print_rows(res, 0, 0);
	ctl_list_end();
	db_res_free(res);
	return CTL_OK;
}

/* The ID operand of show and delete into *id. CTL_OK or CTL_USAGE. */
static int
id_arg(int argc, char **argv, const char *usage, long long *id)
{
	if (argc != 2)
		return ctl_usage(usage, NULL);
	if (util_parse_int(argv[1], 1, 0x7fffffffffffffffLL, id) != 0)
		return ctl_usage(usage, "not an announcement id: %s", argv[1]);
	return CTL_OK;
}

static int
cmd_show(int argc, char **argv)
{
	struct db_res	*res = NULL;
	long long	 id;
	int		 r, found = 0;

	if ((r = id_arg(argc, argv, USAGE_SHOW, &id)) != CTL_OK)
		return r;
	if ((r = db_query(&res, SELECT_COLS " WHERE a.id = ?", "i", id)) < 0)
		return ctl_db_error(r, "announcement show");
	if (db_res_next(res) == 1) {
		found = 1;
		print_row(res, ctl_json, 1);
		/* The body as written, lines and all, below the record. */
		if (!ctl_json)
			printf("\n%s\n", db_res_str(res, 5));
	}
	db_res_free(res);
	if (!found)
		return ctl_refuse("announcement show: no announcement %lld", id);
	return CTL_OK;
}

static int
cmd_send(int argc, char **argv)
{
	struct db_res	*res = NULL;
	struct notify_step st;
	long long	 id, n, future = 0;
	int		 r;

	if ((r = id_arg(argc, argv, USAGE_SEND, &id)) != CTL_OK)
		return r;
	n = db_exec("UPDATE announcements SET mail = 1 WHERE id = ? AND mail = 0",
	    "i", id);
	if (n < 0)
		return ctl_db_error((int)n, "announcement send");
	if (n > 0)
		audit_ip(NULL, "announcement.mail", 0);
	if ((r = db_int(&future, "SELECT published_at > NOW(6) FROM announcements"
	    " WHERE id = ?", "i", id)) < 0)
		return ctl_db_error(r, "announcement send");
	if (r == 0)
		return ctl_refuse("announcement send: no announcement %lld", id);
	if (!future && (r = notify_mail_step(id, &st)) < 0)
		return ctl_db_error(r, "announcement send");
	queued_now = future ? 0 : st.queued;
	if ((r = db_query(&res, SELECT_COLS " WHERE a.id = ?", "i", id)) < 0)
		return ctl_db_error(r, "announcement send");
	if (future)
		ctl_say("announcement %lld is mailed from its publication time", id);
	else
		ctl_say("announcement %lld: %lld mail%s queued now", id, st.queued,
		    st.queued == 1 ? "" : "s");
	print_rows(res, 0, 1);
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_delete(int argc, char **argv)
{
	long long	 id, n;
	int		 r;

	if ((r = id_arg(argc, argv, USAGE_DELETE, &id)) != CTL_OK)
		return r;
	if ((n = db_exec("DELETE FROM announcements WHERE id = ?", "i", id)) < 0)
		return ctl_db_error((int)n, "announcement delete");
	if (n == 0)
		return ctl_refuse("announcement delete: no announcement %lld", id);
	ctl_say("announcement %lld deleted", id);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_bool("deleted", 1);
		ctl_rec_end();
	}
	return CTL_OK;
}

int
ctl_announcement(int argc, char **argv)
{
	if (strcmp(argv[1], "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "send") == 0)
		return cmd_send(argc - 1, argv + 1);
	if (strcmp(argv[1], "delete") == 0)
		return cmd_delete(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "announcement: unknown verb %s", argv[1]);
}
