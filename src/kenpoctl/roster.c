/*
 * kenpoctl roster — insurers' member rosters.
 *
 *   roster import NUMBER FILE [--encoding utf-8|cp932] [--snapshot] [--dry-run]
 *       check FILE (SPEC §1 CSV) and apply it all or nothing; every bad line is
 *       reported on stderr as "line N: reason" and then nothing is written (exit 1)
 *   roster show NUMBER PERSONAL_ID
 *       one person for support staff: name, birthdate, qualification and the
 *       account bound to it; never card data (kenpo does not have it)
 *   roster export NUMBER
 *       CSV on stdout: personal_id,name_kana,birthdate,qualified_from,
 *       qualified_until,bound
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "insurer.h"
#include "normalize.h"
#include "roster.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_IMPORT	"roster import NUMBER FILE [--encoding utf-8|cp932] " \
	"[--snapshot] [--dry-run]"
#define USAGE_SHOW	"roster show NUMBER PERSONAL_ID"
#define USAGE_EXPORT	"roster export NUMBER"
#define USAGE_ALL	USAGE_IMPORT " | " USAGE_SHOW " | " USAGE_EXPORT

/* Bad lines collected for the --json report. */
struct problems {
	struct buf	 json;
	long		 n;
};

/* roster_import's on_error: stderr always, and the JSON array with --json. */
static void
on_error(void *arg, long line, const char *reason)
{
	struct problems	*p = arg;
	char		*s;

	if (line > 0)
		fprintf(stderr, "line %ld: %s\n", line, reason);
	else
		fprintf(stderr, "kenpoctl: roster import: %s\n", reason);
	if (!ctl_json)
		return;
	/* Reasons are plain ASCII text of roster.c, without quotes. */
	s = xasprintf("%s{\"line\":%ld,\"reason\":\"", p->n > 0 ? "," : "", line);
	buf_puts(&p->json, s);
	free(s);
	for (; *reason != '\0'; reason++) {
		if (*reason == '"' || *reason == '\\')
			buf_puts(&p->json, "\\");
		buf_append(&p->json, reason, 1);
	}
	buf_puts(&p->json, "\"}");
	p->n++;
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "encoding",	required_argument,	NULL,	'e' },
		{ "snapshot",	no_argument,		NULL,	's' },
		{ "dry-run",	no_argument,		NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct roster_import	 ri;
	struct problems		 p;
	char			 number[INSURER_NUMBER_LEN + 1];
	const char		*enc = "utf-8";
	int			 ch, r;

	memset(&ri, 0, sizeof(ri));
	memset(&p, 0, sizeof(p));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "e:sn", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			enc = optarg;
			if (strcasecmp(enc, "utf-8") != 0 &&
			    strcasecmp(enc, "utf8") != 0 &&
			    strcasecmp(enc, "cp932") != 0)
				return ctl_usage(USAGE_IMPORT,
				    "--encoding is utf-8 or cp932");
			break;
		case 's':
			ri.snapshot = 1;
			break;
		case 'n':
			ri.dry_run = 1;
			break;
		default:
			return ctl_usage(USAGE_IMPORT, NULL);
		}
	}
	if (argc - optind != 2)
		return ctl_usage(USAGE_IMPORT, NULL);
	if ((r = ctl_insurer_number_arg("roster", "import", argv[optind],
	    number)) != CTL_OK)
		return r;
	ri.insurer_number = number;
	ri.path = argv[optind + 1];
	ri.encoding = enc;
	ri.on_error = on_error;
	ri.arg = &p;

	r = roster_import(&ri);
	if (r == 0) {
		ctl_say("roster %s: %ld rows: %ld added, %ld updated, %ld unchanged, "
		    "%ld lost qualification%s", number, ri.rows, ri.added,
		    ri.updated, ri.unchanged, ri.lost,
		    ri.dry_run ? " (dry run: nothing written)" : "");
		if (ri.unaffiliated > 0 || ri.reaffiliated > 0)
			ctl_say("accounts: %ld now unaffiliated (未所属), %ld "
			    "affiliated again", ri.unaffiliated, ri.reaffiliated);
		if (ctl_json) {
			ctl_rec_begin();
			ctl_rec_str("insurer", number);
			ctl_rec_bool("ok", 1);
			ctl_rec_bool("dry_run", ri.dry_run);
			ctl_rec_bool("snapshot", ri.snapshot);
			ctl_rec_int("rows", ri.rows);
			ctl_rec_int("added", ri.added);
			ctl_rec_int("updated", ri.updated);
			ctl_rec_int("unchanged", ri.unchanged);
			ctl_rec_int("lost", ri.lost);
			ctl_rec_int("accounts_unaffiliated", ri.unaffiliated);
			ctl_rec_int("accounts_reaffiliated", ri.reaffiliated);
			ctl_rec_end();
		}
		r = CTL_OK;
		goto out;
	}
	if (r <= ROSTER_EINVALID) {
		/* Reported through on_error already. */
		if (r == ROSTER_EINVALID)
			fprintf(stderr, "kenpoctl: roster import: %ld of %ld data "
			    "lines bad; nothing was imported\n", ri.errors, ri.rows);
		if (ctl_json)
			printf("{\"insurer\":\"%s\",\"ok\":false,\"rows\":%ld,"
			    "\"bad_lines\":%ld,\"errors\":[%s]}\n", number, ri.rows,
			    ri.errors, p.json.data != NULL ? p.json.data : "");
		r = CTL_REFUSED;
	} else
		r = ctl_db_error(r, "roster import");
out:
	buf_free(&p.json);
	return r;
}

static int
cmd_show(int argc, char **argv)
{
	struct insurer	 ins;
	struct db_res	*res = NULL;
	char		 today[ROSTER_DATE_LEN + 1];
	const char	*from, *until;
	int		 r;

	if (argc != 3)
		return ctl_usage(USAGE_SHOW, NULL);
	if ((r = ctl_insurer_arg("roster", "show", argv[1], &ins)) != CTL_OK)
		goto out;
	roster_today(today);
	if ((r = db_query(&res, "SELECT r.id, r.personal_id, r.name_kana,"
	    " r.birthdate, r.qualified_from, r.qualified_until, r.special_retiree,"
	    " a.id, a.state, r.updated_at FROM roster r"
	    " LEFT JOIN accounts a ON a.roster_id = r.id"
	    " WHERE r.insurer_id = ? AND r.personal_id = ?", "is",
	    ins.id, argv[2])) < 0) {
		r = ctl_db_error(r, "roster show");
		goto out;
	}
	if ((r = db_res_next(res)) != 1) {
		r = r == 0 ? ctl_refuse("roster show: no person %s in the roster "
		    "of %s", argv[2], ins.number) : ctl_db_error(r, "roster show");
		goto out;
	}
	from = db_res_str(res, 4);
	until = db_res_str(res, 5);
	ctl_rec_begin();
	ctl_rec_int("roster_id", db_res_int(res, 0));
	ctl_rec_str("insurer", ins.number);
	ctl_rec_str("insurer_name", ins.name);
	ctl_rec_str("personal_id", db_res_str(res, 1));
	ctl_rec_str("name_kana", db_res_str(res, 2));
	ctl_rec_str("birthdate", db_res_str(res, 3));
	ctl_rec_str("qualified_from", from);
	ctl_rec_str("qualified_until", until);
	ctl_rec_bool("qualified", from != NULL && strcmp(from, today) <= 0 &&
	    (until == NULL || strcmp(until, today) > 0));
	ctl_rec_bool("special_retiree", db_res_int(res, 6) != 0);
	ctl_rec_bool("bound", !db_res_isnull(res, 7));
	if (!db_res_isnull(res, 7)) {
		ctl_rec_int("account_id", db_res_int(res, 7));
		ctl_rec_str("account_state", db_res_str(res, 8));
	}
	ctl_rec_str("updated_at", db_res_str(res, 9));
	ctl_rec_end();
	r = CTL_OK;
out:
	db_res_free(res);
	insurer_free(&ins);
	return r;
}

/* Write one CSV field, quoted when it needs to be (RFC 4180). */
static void
csv_put(const char *s, int last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else
		fputs(s, stdout);
	fputs(last ? "\r\n" : ",", stdout);
}

static int
cmd_export(int argc, char **argv)
{
	struct insurer	 ins;
	struct db_res	*res = NULL;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_EXPORT, NULL);
	if ((r = ctl_insurer_arg("roster", "export", argv[1], &ins)) != CTL_OK)
		goto out;
	if ((r = db_query(&res, "SELECT r.personal_id, r.name_kana, r.birthdate,"
	    " r.qualified_from, r.qualified_until, a.id IS NOT NULL FROM roster r"
	    " LEFT JOIN accounts a ON a.roster_id = r.id"
	    " WHERE r.insurer_id = ? ORDER BY r.personal_id", "i", ins.id)) < 0) {
		r = ctl_db_error(r, "roster export");
		goto out;
	}
	/* The header is printed only once the query worked, so a failed export
	 * never looks like an empty roster. */
	fputs("personal_id,name_kana,birthdate,qualified_from,qualified_until,"
	    "bound\r\n", stdout);
	while ((r = db_res_next(res)) == 1) {
		csv_put(db_res_str(res, 0), 0);
		csv_put(db_res_str(res, 1), 0);
		csv_put(db_res_str(res, 2), 0);
		csv_put(db_res_str(res, 3), 0);
		csv_put(db_res_str(res, 4), 0);
		csv_put(db_res_int(res, 5) ? "1" : "0", 1);
	}
	if (r < 0) {
		r = ctl_db_error(r, "roster export");
		goto out;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		r = ctl_refuse("roster export: cannot write the output");
		goto out;
	}
	r = CTL_OK;
out:
	db_res_free(res);
	insurer_free(&ins);
	return r;
}

int
ctl_roster(int argc, char **argv)
{
	const char	*verb = argv[1];

	if (strcmp(verb, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (strcmp(verb, "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(verb, "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "roster: unknown verb %s", verb);
}
