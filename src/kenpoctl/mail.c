/*
 * kenpoctl mail — the outbox.
 *
 *   mail status                   counts: queued, due now, retrying, sent, failed,
 *                                 the age of the oldest queued message, and the
 *                                 latest error of a queued message
 *   mail retry ID | --all-failed  put failed mail back in the queue (due at once,
 *                                 attempts counted from zero)
 *   mail send [--limit N]         one mailer round now: send up to N due messages
 *                                 (default Mail.Batch), as the mailer process would
 *   mail test ADDRESS             queue templates/mail/test.cs to ADDRESS: checks
 *                                 the whole path to the relay (the mailer sends it)
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "outbox.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_STATUS	"mail status"
#define USAGE_RETRY	"mail retry ID | mail retry --all-failed"
#define USAGE_SEND	"mail send [--limit N]"
#define USAGE_TEST	"mail test ADDRESS"

static int
cmd_status(int argc, char **argv)
{
	struct db_res	*res = NULL, *err = NULL;
	int		 r, e;

	if (argc != 1)
		return ctl_usage(USAGE_STATUS, NULL);
	r = db_query(&res,
	    "SELECT "
	    " SUM(sent_at IS NULL AND failed_at IS NULL), "
	    " SUM(sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= NOW(6)), "
	    " SUM(sent_at IS NULL AND failed_at IS NULL AND attempts > 0), "
	    " SUM(sent_at IS NOT NULL), "
	    " SUM(sent_at IS NULL AND failed_at IS NOT NULL), "
	    " TIMESTAMPDIFF(SECOND, MIN(IF(sent_at IS NULL AND failed_at IS NULL, "
	    "  created_at, NULL)), NOW(6)) "
	    "FROM outbox", "");
	if (r < 0)
		return ctl_db_error(r, "mail status");
	if ((r = db_res_next(res)) != 1) {
		db_res_free(res);
		return ctl_db_error(r < 0 ? r : DB_ERR, "mail status");
	}
	/* Why queued mail is not going out: the latest error of a message still
	 * in the queue (a relay down, a refused password, an untrusted
	 * certificate). last_error never holds an address (mailer.c). */
	e = db_query(&err, "SELECT id, attempts, last_error FROM outbox "
	    "WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL "
	    "ORDER BY next_attempt_at DESC, id DESC LIMIT 1", "");
	if (e < 0 || (e = db_res_next(err)) < 0) {
		db_res_free(err);
		db_res_free(res);
		return ctl_db_error(e, "mail status");
	}
	ctl_rec_begin();
	ctl_rec_int("queued", db_res_int(res, 0));
	ctl_rec_int("due", db_res_int(res, 1));
	ctl_rec_int("retrying", db_res_int(res, 2));
	ctl_rec_int("sent", db_res_int(res, 3));
	ctl_rec_int("failed", db_res_int(res, 4));
	if (db_res_isnull(res, 5))
		ctl_rec_str("oldest_queued_seconds", NULL);
	else
		ctl_rec_int("oldest_queued_seconds", db_res_int(res, 5));
	if (e == 1) {
		ctl_rec_int("last_error_id", db_res_int(err, 0));
		ctl_rec_int("last_error_attempts", db_res_int(err, 1));
		ctl_rec_str("last_error", db_res_str(err, 2));
	} else {
		ctl_rec_str("last_error_id", NULL);
		ctl_rec_str("last_error_attempts", NULL);
		ctl_rec_str("last_error", NULL);
	}
	ctl_rec_end();
	db_res_free(err);
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_retry(int argc, char **argv)
{
	long long	 id, n, sent = 0;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_RETRY, NULL);
	if (strcmp(argv[1], "--all-failed") == 0) {
		n = db_exec("UPDATE outbox SET failed_at = NULL, attempts = 0, "
		    "next_attempt_at = NOW(6) "
		    "WHERE failed_at IS NOT NULL AND sent_at IS NULL", "");
		if (n < 0)
			return ctl_db_error((int)n, "mail retry");
		if (ctl_json) {
			ctl_rec_begin();
			ctl_rec_int("requeued", n);
			ctl_rec_end();
		} else
			ctl_say("requeued %lld failed message%s", n, n == 1 ? "" : "s");
		return CTL_OK;
	}
	if (util_parse_int(argv[1], 1, 0x7fffffffffffffffLL, &id) != 0)
		return ctl_usage(USAGE_RETRY, "not a message id: %s", argv[1]);
	/*
	 * Only failed mail: a queued message may be in a mailer's hands right now
	 * (claimed, its next_attempt_at a lease ahead), and making it due again could
	 * send it twice.
	 */
	n = db_exec("UPDATE outbox SET failed_at = NULL, attempts = 0, "
	    "next_attempt_at = NOW(6) "
	    "WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL", "i", id);
	if (n < 0)
		return ctl_db_error((int)n, "mail retry");
	if (n == 0) {
		r = db_int(&sent, "SELECT sent_at IS NOT NULL FROM outbox WHERE id = ?",
		    "i", id);
		if (r < 0)
			return ctl_db_error(r, "mail retry");
		if (r == 0)
			return ctl_refuse("mail retry: no message %lld", id);
		if (sent)
			return ctl_refuse("mail retry: message %lld was already sent", id);
		return ctl_refuse("mail retry: message %lld has not failed; it is still "
		    "queued", id);
	}
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("requeued", 1);
		ctl_rec_int("id", id);
		ctl_rec_end();
	} else
		ctl_say("requeued message %lld", id);
	return CTL_OK;
}

static int
cmd_send(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	long long	 limit = config_int("Mail.Batch");
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		if (ch != 'n' || util_parse_int(optarg, 1, 10000, &limit) != 0)
			return ctl_usage(USAGE_SEND, NULL);
	}
	if (optind != argc)
		return ctl_usage(USAGE_SEND, NULL);
	if ((r = mailer_send_due((int)limit)) < 0)
		return ctl_db_error(r, "mail send");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("attempted", r);
		ctl_rec_end();
	} else
		ctl_say("attempted %d due message%s (see mail status for the outcome)",
		    r, r == 1 ? "" : "s");
	return CTL_OK;
}

static int
cmd_test(int argc, char **argv)
{
	long long	 id;

	if (argc != 2)
		return ctl_usage(USAGE_TEST, NULL);
	if ((id = outbox_enqueue(argv[1], "test", NULL, "ja")) < 0)
		return id == DB_ERR ? ctl_refuse("mail test: cannot queue a mail to that "
		    "address (see the log)") : ctl_db_error((int)id, "mail test");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_end();
	} else
		ctl_say("queued test mail %lld", id);
	return CTL_OK;
}

int
ctl_mail(int argc, char **argv)
{
	if (strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (strcmp(argv[1], "retry") == 0)
		return cmd_retry(argc - 1, argv + 1);
	if (strcmp(argv[1], "send") == 0)
		return cmd_send(argc - 1, argv + 1);
	if (strcmp(argv[1], "test") == 0)
		return cmd_test(argc - 1, argv + 1);
	return ctl_usage(USAGE_STATUS " | " USAGE_RETRY " | " USAGE_SEND " | " USAGE_TEST,
	    "mail: unknown verb %s", argv[1]);
}
