/*
 * kenpoctl inquiry — the support office's inbox (/inquiry/new, SPEC §4 and §7).
 *
 *   inquiry list [--status open|answered] [--category C] [--limit N]
 *                                  newest first; N defaults to 50
 *   inquiry show ID                one inquiry with its text and answer
 *   inquiry answer ID FILE|- [--force]
 *                                  store the answer read from FILE (or standard
 *                                  input), mark the inquiry answered and queue the
 *                                  answer mail to the member's reply address, in
 *                                  the language the inquiry was written in; all in
 *                                  one transaction. An answered inquiry is refused
 *                                  (exit 1) unless --force (then the new answer
 *                                  replaces the old one and is mailed again).
 *
 * The answer mail (templates/mail/inquiry_answer.cs) carries the number, the
 * category and the answer, never the member's own text: whoever fills in the
 * form chooses the reply address, so quoting the text would let the form mail
 * arbitrary text to a third party through the support office (the receipt mail
 * of inquiry_new.c keeps to the same rule).
 *
 * Addresses and texts are printed here (an operator asked for them) but never
 * logged. Control characters of member-typed text are shown as spaces so that
 * it cannot drive the operator's terminal.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "inquiry.h"
#include "template.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_LIST	"inquiry list [--status open|answered] [--category C] " \
	"[--limit N]"
#define USAGE_SHOW	"inquiry show ID"
#define USAGE_ANSWER	"inquiry answer ID FILE|- [--force]"
#define USAGE_ALL	USAGE_LIST " | " USAGE_SHOW " | " USAGE_ANSWER

#define LIST_LIMIT	50
#define CATEGORY_MAX	32		/* inquiries.category VARCHAR(32) */
#define ANSWER_MAX	65535		/* inquiries.answer TEXT, bytes */

/* An inquiry number argument: 1 and *id set, or 0 (not a number). */
static int
id_arg(const char *s, long long *id)
{
	return util_parse_int(s, 1, 0x7fffffffffffffffLL, id) == 0;
}

/* 1 when s looks like a category key: 1..32 of [a-z0-9_]. */
static int
category_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return 0;
	return i > 0 && i <= CATEGORY_MAX;
}

/* The fields list and show have in common: columns 0..8 of their SELECT. */
static void
rec_fields(struct db_res *res)
{
	ctl_rec_int("id", db_res_int(res, 0));
	ctl_rec_str("created_at", db_res_str(res, 1));
	ctl_rec_str("category", db_res_str(res, 2));
	ctl_rec_str("status", db_res_str(res, 3));
	ctl_rec_str("lang", db_res_str(res, 4));
	if (db_res_isnull(res, 5))
		ctl_rec_str("account", NULL);
	else
		ctl_rec_int("account", db_res_int(res, 5));
	ctl_rec_str("email", db_res_str(res, 6));
	ctl_rec_str("name", db_res_str(res, 7));
	ctl_rec_str("answered_at", db_res_str(res, 8));
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status",	required_argument,	NULL,	's' },
		{ "category",	required_argument,	NULL,	'c' },
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	const char	*status = NULL, *category = NULL;
	long long	 limit = LIST_LIMIT;
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:c:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (strcmp(optarg, "open") != 0 &&
			    strcmp(optarg, "answered") != 0)
				return ctl_usage(USAGE_LIST,
				    "--status is open or answered");
			status = optarg;
			break;
		case 'c':
			if (!category_ok(optarg))
				return ctl_usage(USAGE_LIST, "bad category: %s",
				    optarg);
			category = optarg;
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
	/* NULL binds SQL NULL: "? IS NULL OR …" leaves a filter out. */
	r = db_query(&res,
	    "SELECT id, created_at, category, status, lang, account_id, email, name,"
	    " answered_at FROM inquiries"
	    " WHERE (? IS NULL OR status = ?) AND (? IS NULL OR category = ?)"
	    " ORDER BY id DESC LIMIT ?", "ssssi", status, status, category, category,
	    limit);
	if (r < 0)
		return ctl_db_error(r, "inquiry list");
	ctl_list_begin();
	while ((r = db_res_next(res)) == 1) {
		ctl_rec_begin();
		rec_fields(res);
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return r < 0 ? ctl_db_error(r, "inquiry list") : CTL_OK;
}

/*
 * Print a member-typed text for a human: each line indented by two spaces,
 * control characters other than the line feed shown as spaces.
 */
static void
print_block(const char *title, const char *text)
{
	const unsigned char *p;

	printf("\n--- %s ---\n", title);
	if (text == NULL) {
		puts("  -");
		return;
	}
	fputs("  ", stdout);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\n') {
			fputs("\n  ", stdout);
			continue;
		}
		putchar(*p < 0x20 || *p == 0x7f ? ' ' : *p);
	}
	putchar('\n');
}

static int
cmd_show(int argc, char **argv)
{
	struct db_res	*res = NULL;
	long long	 id;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_SHOW, NULL);
	if (!id_arg(argv[1], &id))
		return ctl_usage(USAGE_SHOW, "not an inquiry number: %s", argv[1]);
	r = db_query(&res,
	    "SELECT id, created_at, category, status, lang, account_id, email, name,"
	    " answered_at, body, answer FROM inquiries WHERE id = ?", "i", id);
	if (r < 0)
		return ctl_db_error(r, "inquiry show");
	if ((r = db_res_next(res)) != 1) {
		db_res_free(res);
		return r == 0 ? ctl_refuse("inquiry show: no inquiry %lld", id) :
		    ctl_db_error(r, "inquiry show");
	}
	ctl_rec_begin();
	rec_fields(res);
	if (ctl_json) {
		ctl_rec_str("body", db_res_str(res, 9));
		ctl_rec_str("answer", db_res_str(res, 10));
	}
	ctl_rec_end();
	if (!ctl_json) {
		print_block("inquiry", db_res_str(res, 9));
		print_block("answer", db_res_str(res, 10));
	}
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_answer(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force",	no_argument,	NULL,	'f' },
		{ NULL,		0,		NULL,	0 }
	};
	struct inquiry_answer a;
	long long	 id;
	char		*text = NULL;
	int		 ch, r, force = 0;

	optind = 0;
	/* "-" (standard input) is an operand, not an option: getopt leaves it. */
	while ((ch = getopt_long(argc, argv, "f", longopts, NULL)) != -1) {
		if (ch != 'f')
			return ctl_usage(USAGE_ANSWER, NULL);
		force = 1;
	}
	if (argc - optind != 2)
		return ctl_usage(USAGE_ANSWER, NULL);
	if (!id_arg(argv[optind], &id))
		return ctl_usage(USAGE_ANSWER, "not an inquiry number: %s",
		    argv[optind]);
	if ((r = ctl_read_text("inquiry answer", argv[optind + 1], ANSWER_MAX,
	    &text)) != CTL_OK)
		return r;
	/* The category's label (L.Inquiry.Category.*) is needed before the
	 * mail's render would load the templates. */
	if (tmpl_load(config_str("Server.Templates")) != 0) {
		r = ctl_refuse("inquiry answer: cannot load the templates of %s",
		    config_str("Server.Templates"));
		goto out;
	}
	if ((r = inquiry_answer(id, text, force, 0, NULL, &a)) < 0) {
		r = r == DB_ERR ? ctl_refuse("inquiry answer: cannot store the "
		    "answer or queue its mail (see the log)") :
		    ctl_db_error(r, "inquiry answer");
		goto out;
	}
	if (!a.found) {
		r = ctl_refuse("inquiry answer: no inquiry %lld", id);
		goto out;
	}
	if (a.erased) {
		r = ctl_refuse("inquiry answer: inquiry %lld has no reply address"
		    " (its sender's data was erased)", id);
		goto out;
	}
	if (a.answered && !force) {
		r = ctl_refuse("inquiry answer: inquiry %lld is answered already; "
		    "pass --force to answer it again", id);
		goto out;
	}
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_str("status", "answered");
		ctl_rec_bool("again", a.answered);
		ctl_rec_int("mail", a.mail_id);
		ctl_rec_end();
	} else
		ctl_say("answered inquiry %lld%s; the answer mail is queued (%lld)",
		    id, a.answered ? " again" : "", a.mail_id);
	r = CTL_OK;
 out:
	free(text);
	return r;
}

int
ctl_inquiry(int argc, char **argv)
{
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "answer") == 0)
		return cmd_answer(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "inquiry: unknown verb %s", argv[1]);
}
