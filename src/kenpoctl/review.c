/*
 * kenpoctl review — the eKYC review from a shell (src/review.h), the same
 * functions as the staff console:
 *
 *   review list [--status submitted|approved|rejected|draft|cancelled] [--limit N]
 *                     the queue (default: submitted, oldest first); with
 *                     --json a JSON array
 *   review show ID [--image SHOT --out FILE]
 *                     one verification: the roster person (name, birth date),
 *                     insurer, document, face angle, the shots stored, status
 *                     and decision; never an image on the terminal. --image
 *                     writes that shot's JPEG to FILE (mode 0600, refused if
 *                     it exists), recorded in image_views with staff_id NULL
 *                     and audited review.image_view.
 *   review approve ID
 *   review reject ID --reason R [--note TEXT]
 *                     R: blurred, glare, face_mismatch, expired, name_differs,
 *                     wrong_document, incomplete, other. The decision is
 *                     recorded with decided_by NULL (kenpoctl); the member's
 *                     mail is queued in the same transaction.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "review.h"
#include "template.h"
#include "util.h"
#include "vault.h"
#include "kenpoctl.h"

#define USAGE_LIST	"review list [--status S] [--limit N]"
#define USAGE_SHOW	"review show ID [--image SHOT --out FILE]"
#define USAGE_APPROVE	"review approve ID"
#define USAGE_REJECT	"review reject ID --reason R [--note TEXT]"
#define USAGE_ALL	USAGE_LIST " | " USAGE_SHOW " | " USAGE_APPROVE " | " USAGE_REJECT

static int
id_arg(const char *s, long long *id)
{
	return util_parse_int(s, 1, 0x7fffffffffffffffLL, id) == 0;
}

static void
rec_item(const struct review_item *it, int full)
{
	char	 shots[80];
	int	 i;

	ctl_rec_int("id", it->id);
	ctl_rec_int("account", it->account_id);
	ctl_rec_str("status", it->status);
	ctl_rec_str("method", it->method);
	ctl_rec_str("document", it->document);
	ctl_rec_str("submitted_at", it->submitted_at);
	ctl_rec_str("name_kana", it->name_kana);
	ctl_rec_str("birthdate", it->birthdate);
	if (!full)
		return;
	ctl_rec_str("insurer", it->insurer);
	ctl_rec_bool("remarks", it->remarks);
	ctl_rec_str("face_angle", it->face_angle);
	shots[0] = '\0';
	for (i = 0; i < 5; i++)
		if (it->shots & (1u << i)) {
			if (shots[0] != '\0')
				strcat(shots, " ");
			strcat(shots, review_shots[i]);
		}
	ctl_rec_str("shots", shots);
	ctl_rec_bool("purged", it->purged);
	ctl_rec_str("decided_at", it->decided_at);
	if (it->decided_by > 0)
		ctl_rec_int("decided_by", it->decided_by);
	else
		ctl_rec_str("decided_by", NULL);
	ctl_rec_str("reason", it->reason);
	ctl_rec_str("note", it->note);
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status",	required_argument,	NULL,	's' },
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	static const char *const statuses[] = {
		"submitted", "approved", "rejected", "draft", "cancelled",
	};
	struct review_item *items = NULL;
	const char	*status = "submitted";
	long long	 limit = 100, n, i;
	size_t		 k;
	int		 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			for (k = 0; k < 5 && strcmp(optarg, statuses[k]) != 0; k++)
				;
			if (k == 5)
				return ctl_usage(USAGE_LIST, "bad status: %s", optarg);
			status = statuses[k];
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
	if ((n = review_list(status, limit, &items)) < 0)
		return ctl_db_error((int)n, "review list");
	ctl_list_begin();
	for (i = 0; i < n; i++) {
		ctl_rec_begin();
		rec_item(&items[i], 0);
		ctl_rec_end();
	}
	ctl_list_end();
	review_items_free(items, n);
	return CTL_OK;
}

/* Write shot of verification id to path (new file, 0600). */
static int
write_image(long long id, const char *shot, const char *path)
{
	unsigned char	*jpeg = NULL;
	size_t		 len = 0, off = 0;
	ssize_t		 w;
	int		 fd, st;

	if (!review_shot_ok(shot))
		return ctl_usage(USAGE_SHOW, "SHOT is doc_front, doc_back, doc_angle, "
		    "face_front or face_angle");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return ctl_refuse("review show: %s: %s", path, strerror(errno));
	st = review_image(id, shot, 0, NULL, &jpeg, &len);
	if (st != 1) {
		close(fd);
		unlink(path);
		if (st == 0)
			return ctl_refuse("review show: verification %lld has no image %s",
			    id, shot);
		if (st == -1)
			return ctl_refuse("review show: the image does not open "
			    "(master key? see the log)");
		return ctl_db_error(st, "review show");
	}
	while (off < len && (w = write(fd, jpeg + off, len - off)) > 0)
		off += (size_t)w;
	vault_free_plain(jpeg, len);
	if (off != len || close(fd) != 0) {
		unlink(path);
		return ctl_refuse("review show: cannot write %s", path);
	}
	ctl_say("wrote %s of verification %lld to %s (%zu bytes; the view is audited)",
	    shot, id, path, len);
	return CTL_OK;
}

static int
cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image",	required_argument,	NULL,	'i' },
		{ "out",	required_argument,	NULL,	'o' },
		{ NULL,		0,			NULL,	0 }
	};
	struct review_item it;
	const char	*shot = NULL, *out = NULL;
	long long	 id;
	int		 ch, st;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "i:o:", longopts, NULL)) != -1) {
		if (ch == 'i')
			shot = optarg;
		else if (ch == 'o')
			out = optarg;
		else
			return ctl_usage(USAGE_SHOW, NULL);
	}
	if (argc - optind != 1 || (shot == NULL) != (out == NULL))
		return ctl_usage(USAGE_SHOW, NULL);
	if (!id_arg(argv[optind], &id))
		return ctl_usage(USAGE_SHOW, "not a verification number: %s", argv[optind]);
	if ((st = review_show(id, &it)) < 0)
		return ctl_db_error(st, "review show");
	if (st == 0)
		return ctl_refuse("review show: no verification %lld", id);
	if (shot != NULL) {
		review_item_free(&it);
		return write_image(id, shot, out);
	}
	ctl_rec_begin();
	rec_item(&it, 1);
	ctl_rec_end();
	review_item_free(&it);
	return CTL_OK;
}

static int
decide(long long id, int approve, const char *reason, const char *note,
    const char *verb)
{
	int	 st;

	/* The member's mail renders here. */
	if (tmpl_load(config_str("Server.Templates")) != 0)
		return ctl_refuse("review %s: cannot load the templates of %s", verb,
		    config_str("Server.Templates"));
	st = review_decide(id, approve, reason, note, 0, NULL);
	if (st < 0)
		return ctl_db_error(st, verb[0] == 'a' ? "review approve" : "review reject");
	if (st == REVIEW_NOT_FOUND)
		return ctl_refuse("review %s: no verification %lld", verb, id);
	if (st == REVIEW_NOT_PENDING)
		return ctl_refuse("review %s: verification %lld is not waiting for "
		    "review", verb, id);
	if (st == REVIEW_INELIGIBLE)
		return ctl_refuse("review approve: the account of verification %lld is "
		    "no longer active and bound to its roster person (withdrawn, "
		    "未所属 or erased): reject it", id);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_str("status", approve ? "approved" : "rejected");
		ctl_rec_str("reason", reason);
		ctl_rec_end();
	} else
		ctl_say("verification %lld %s; the member's mail is queued", id,
		    approve ? "approved" : "rejected");
	return CTL_OK;
}

static int
cmd_approve(int argc, char **argv)
{
	long long	 id;

	if (argc != 2)
		return ctl_usage(USAGE_APPROVE, NULL);
	if (!id_arg(argv[1], &id))
		return ctl_usage(USAGE_APPROVE, "not a verification number: %s", argv[1]);
	return decide(id, 1, NULL, NULL, "approve");
}

static int
cmd_reject(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason",	required_argument,	NULL,	'r' },
		{ "note",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	const char	*reason = NULL, *note = NULL;
	long long	 id;
	int		 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:n:", longopts, NULL)) != -1) {
		if (ch == 'r')
			reason = optarg;
		else if (ch == 'n')
			note = optarg;
		else
			return ctl_usage(USAGE_REJECT, NULL);
	}
	if (argc - optind != 1)
		return ctl_usage(USAGE_REJECT, NULL);
	if (!id_arg(argv[optind], &id))
		return ctl_usage(USAGE_REJECT, "not a verification number: %s",
		    argv[optind]);
	if (!review_reason_ok(reason))
		return ctl_usage(USAGE_REJECT, "--reason is one of blurred, glare, "
		    "face_mismatch, expired, name_differs, wrong_document, "
		    "incomplete, other");
	if (note != NULL && !ctl_line_ok(note, 1000, 1))
		return ctl_usage(USAGE_REJECT, "--note is one line of at most 1000 "
		    "characters");
	return decide(id, 0, reason, note, "reject");
}

int
ctl_review(int argc, char **argv)
{
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "approve") == 0)
		return cmd_approve(argc - 1, argv + 1);
	if (strcmp(argv[1], "reject") == 0)
		return cmd_reject(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "review: unknown verb %s", argv[1]);
}
