/*
 * kenpoctl insurer — the insurers (健康保険組合) that offer kenpo to their members.
 *
 *   insurer add NUMBER NAME [--pattern 1-4] [--not-adopted]
 *   insurer show NUMBER
 *   insurer list
 *   insurer update NUMBER [--name N] [--pattern P] [--adopted|--not-adopted]
 *       [--points-name N] [--terms-url U]
 *       [--require-signed-entry|--no-require-signed-entry]
 *       [--insurer-id-only on|off] [--health-data on|off]
 *       [--health-service URL] [--force]
 *   insurer allow NUMBER CIDR       add an IP allowlist entry (login CAPTCHA)
 *   insurer disallow NUMBER CIDR    remove one
 *   insurer secret NUMBER           new entry-link secret, printed once
 *   insurer maintenance ...         the maintenance notice (insurer_maintenance.c)
 *
 * NUMBER is the 8-digit insurer number; one with a wrong check digit is refused
 * (exit 1). An empty --points-name or --terms-url clears it. --insurer-id-only on
 * lets the insurer's members finish web signup with the insurer number alone
 * (団体ID認証, level 1; 本人確認 later from the member area, SPEC §5).
 * --health-data on: the insurer links health data, so its members are offered
 * 健診・医療アクセス認証 (level 3, /verify; issue 12, seed p.17 note: off, they
 * see nothing of it); --health-service URL: the insurer's health-data service
 * the sensitive features would open (empty clears it).
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "insurer.h"
#include "normalize.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_ADD	"insurer add NUMBER NAME [--pattern 1-4] [--not-adopted]"
#define USAGE_SHOW	"insurer show NUMBER"
#define USAGE_LIST	"insurer list"
#define USAGE_UPDATE	"insurer update NUMBER [--name N] [--pattern 1-4] " \
	"[--adopted|--not-adopted] [--points-name N] [--terms-url URL] " \
	"[--require-signed-entry|--no-require-signed-entry] " \
	"[--insurer-id-only on|off] [--health-data on|off] " \
	"[--health-service URL] [--force]"
#define USAGE_ALLOW	"insurer allow NUMBER CIDR"
#define USAGE_DISALLOW	"insurer disallow NUMBER CIDR"
#define USAGE_SECRET	"insurer secret NUMBER"
#define USAGE_ALL	USAGE_ADD " | " USAGE_SHOW " | " USAGE_LIST " | " \
	USAGE_UPDATE " | " USAGE_ALLOW " | " USAGE_DISALLOW " | " USAGE_SECRET

#define NAME_MAX_CHARS	100	/* insurers.name, points_name VARCHAR(100) */
#define URL_MAX		300	/* insurers.terms_url VARCHAR(300) */

/* A display name: valid UTF-8, no control characters, 1..100 characters. */
static int
name_ok(const char *s, int allow_empty)
{
	size_t	 i, n = strlen(s);

	if (n == 0)
		return allow_empty;
	if (!util_utf8_valid(s, n) || util_utf8_len(s) > NAME_MAX_CHARS)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

/* A terms URL: http(s) only (it becomes a link on member pages), no spaces. */
static int
url_ok(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0)
		return 1;
	if (n > URL_MAX || (strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "http://", 7) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '<' || s[i] == '>')
			return 0;
	return 1;
}

/* 1..4, or -1. */
static int
pattern_arg(const char *s)
{
	long long	 p;

	if (util_parse_int(s, 1, 4, &p) == -1)
		return -1;
	return (int)p;
}

/* "on" 1, "off" 0, anything else -1. */
static int
on_off_arg(const char *s)
{
	if (strcmp(s, "on") == 0)
		return 1;
	if (strcmp(s, "off") == 0)
		return 0;
	return -1;
}

/* Print one insurer as a record, with its allowlist and roster counts. */
static int
show_insurer(const struct insurer *ins)
{
	struct db_res	*res = NULL;
	struct buf	 cidrs = { NULL, 0, 0 };
	char		*health[2] = { NULL, NULL };
	long long	 persons = 0, bound = 0;
	int		 r;

	if ((r = db_query(&res, "SELECT cidr FROM insurer_allowlist"
	    " WHERE insurer_id = ? ORDER BY id", "i", ins->id)) < 0)
		return ctl_db_error(r, "insurer show");
	while ((r = db_res_next(res)) == 1) {
		if (cidrs.len > 0)
			buf_puts(&cidrs, " ");
		buf_puts(&cidrs, db_res_str(res, 0));
	}
	db_res_free(res);
	if (r < 0) {
		buf_free(&cidrs);
		return ctl_db_error(r, "insurer show");
	}
	if ((r = db_int(&persons, "SELECT COUNT(*) FROM roster WHERE insurer_id = ?",
	    "i", ins->id)) < 0 ||
	    (r = db_int(&bound, "SELECT COUNT(*) FROM roster r JOIN accounts a"
	    " ON a.roster_id = r.id WHERE r.insurer_id = ?", "i", ins->id)) < 0) {
		buf_free(&cidrs);
		return ctl_db_error(r, "insurer show");
	}
	/* 健診・医療アクセス認証 (issue 12): the insurer links health data. */
	if ((r = db_row(health, 2, "SELECT health_data, health_service FROM"
	    " insurers WHERE id = ?", "i", ins->id)) < 0) {
		buf_free(&cidrs);
		return ctl_db_error(r, "insurer show");
	}

	ctl_rec_begin();
	ctl_rec_int("id", ins->id);
	ctl_rec_str("number", ins->number);
	ctl_rec_str("name", ins->name);
	ctl_rec_bool("adopted", ins->adopted);
	ctl_rec_int("card_pattern", ins->card_pattern);
	ctl_rec_str("points_name", ins->points_name);
	ctl_rec_str("terms_url", ins->terms_url);
	ctl_rec_bool("entry_secret_set", ins->entry_secret != NULL &&
	    ins->entry_secret[0] != '\0');
	ctl_rec_bool("require_signed_entry", ins->signed_entry_required);
	ctl_rec_bool("insurer_id_only", ins->insurer_id_only);
	ctl_rec_bool("health_data", health[0] != NULL && strcmp(health[0], "1") == 0);
	ctl_rec_str("health_service", health[1]);
	ctl_rec_str("allowlist", cidrs.len > 0 ? cidrs.data : NULL);
	ctl_rec_int("roster_persons", persons);
	ctl_rec_int("roster_bound", bound);
	ctl_rec_end();
	buf_free(&cidrs);
	free(health[0]);
	free(health[1]);
	return CTL_OK;
}

static int
cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pattern",	 required_argument,	NULL,	'p' },
		{ "not-adopted", no_argument,		NULL,	'n' },
		{ NULL,		 0,			NULL,	0 }
	};
	struct insurer	 ins;
	char		 number[INSURER_NUMBER_LEN + 1];
	int		 ch, pattern = 4, adopted = 1, r;
	long long	 n;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "p:n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if ((pattern = pattern_arg(optarg)) == -1)
				return ctl_usage(USAGE_ADD, "--pattern is 1, 2, 3 or 4");
			break;
		case 'n':
			adopted = 0;
			break;
		default:
			return ctl_usage(USAGE_ADD, NULL);
		}
	}
	if (argc - optind != 2)
		return ctl_usage(USAGE_ADD, NULL);
	if ((r = ctl_insurer_number_arg("insurer", "add", argv[optind],
	    number)) != CTL_OK)
		return r;
	if (!name_ok(argv[optind + 1], 0))
		return ctl_refuse("insurer add: the name must be 1 to 100 characters "
		    "of UTF-8 text");
	n = db_exec("INSERT INTO insurers (number, name, adopted, card_pattern)"
	    " VALUES (?, ?, ?, ?)", "ssii", number, argv[optind + 1],
	    (long long)adopted, (long long)pattern);
	if (n == DB_DUP)
		return ctl_refuse("insurer add: insurer %s already exists", number);
	if (n < 0)
		return ctl_db_error((int)n, "insurer add");
	if ((r = insurer_find(number, &ins)) != 1) {
		insurer_free(&ins);
		return ctl_db_error(r < 0 ? r : DB_ERR, "insurer add");
	}
	ctl_say("insurer %s added", number);
	r = show_insurer(&ins);
	insurer_free(&ins);
	return r;
}

static int
cmd_show(int argc, char **argv)
{
	struct insurer	 ins;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_SHOW, NULL);
	if ((r = ctl_insurer_arg("insurer", "show", argv[1], &ins)) == CTL_OK)
		r = show_insurer(&ins);
	insurer_free(&ins);
	return r;
}

static int
cmd_list(int argc, char **argv)
{
	struct db_res	*res = NULL;
	int		 r;

	if (argc != 1)
		return ctl_usage(USAGE_LIST, NULL);
	if ((r = db_query(&res, "SELECT i.number, i.name, i.adopted, i.card_pattern,"
	    " i.signed_entry_required,"
	    " (SELECT COUNT(*) FROM roster r WHERE r.insurer_id = i.id),"
	    " i.insurer_id_only"
	    " FROM insurers i ORDER BY i.number", "")) < 0)
		return ctl_db_error(r, "insurer list");
	ctl_list_begin();
	while ((r = db_res_next(res)) == 1) {
		ctl_rec_begin();
		ctl_rec_str("number", db_res_str(res, 0));
		ctl_rec_str("name", db_res_str(res, 1));
		ctl_rec_bool("adopted", db_res_int(res, 2) != 0);
		ctl_rec_int("card_pattern", db_res_int(res, 3));
		ctl_rec_bool("require_signed_entry", db_res_int(res, 4) != 0);
		ctl_rec_bool("insurer_id_only", db_res_int(res, 6) != 0);
		ctl_rec_int("roster_persons", db_res_int(res, 5));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return r < 0 ? ctl_db_error(r, "insurer list") : CTL_OK;
}

/* Whether patterns a and b put a symbol in the card key alike. */
static int
same_key_shape(int a, int b)
{
	return insurer_pattern_has_symbol(a) == insurer_pattern_has_symbol(b);
}

static int
cmd_update(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name",			required_argument, NULL, 'N' },
		{ "pattern",			required_argument, NULL, 'p' },
		{ "adopted",			no_argument,	   NULL, 'a' },
		{ "not-adopted",		no_argument,	   NULL, 'A' },
		{ "points-name",		required_argument, NULL, 'P' },
		{ "terms-url",			required_argument, NULL, 'u' },
		{ "require-signed-entry",	no_argument,	   NULL, 's' },
		{ "no-require-signed-entry",	no_argument,	   NULL, 'S' },
		{ "insurer-id-only",		required_argument, NULL, 'i' },
		{ "health-data",		required_argument, NULL, 'h' },
		{ "health-service",		required_argument, NULL, 'H' },
		{ "force",			no_argument,	   NULL, 'f' },
		{ NULL,				0,		   NULL, 0 }
	};
	struct insurer	 ins;
	const char	*name = NULL, *points = NULL, *url = NULL, *service = NULL;
	int		 ch, r, pattern = 0, adopted = -1, signed_req = -1, force = 0;
	int		 id_only = -1, health = -1;
	int		 set_points = 0, set_url = 0, set_service = 0;
	long long	 n, persons = 0;

	memset(&ins, 0, sizeof(ins));
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'N':
			name = optarg;
			break;
		case 'p':
			if ((pattern = pattern_arg(optarg)) == -1)
				return ctl_usage(USAGE_UPDATE,
				    "--pattern is 1, 2, 3 or 4");
			break;
		case 'a':
		case 'A':
			adopted = ch == 'a';
			break;
		case 'P':
			points = optarg;
			set_points = 1;
			break;
		case 'u':
			url = optarg;
			set_url = 1;
			break;
		case 's':
		case 'S':
			signed_req = ch == 's';
			break;
		case 'i':
			if ((id_only = on_off_arg(optarg)) == -1)
				return ctl_usage(USAGE_UPDATE,
				    "--insurer-id-only is on or off");
			break;
		case 'h':
			if ((health = on_off_arg(optarg)) == -1)
				return ctl_usage(USAGE_UPDATE,
				    "--health-data is on or off");
			break;
		case 'H':
			service = optarg;
			set_service = 1;
			break;
		case 'f':
			force = 1;
			break;
		default:
			return ctl_usage(USAGE_UPDATE, NULL);
		}
	}
	if (argc - optind != 1)
		return ctl_usage(USAGE_UPDATE, NULL);
	if (name == NULL && pattern == 0 && adopted == -1 && signed_req == -1 &&
	    id_only == -1 && health == -1 && !set_points && !set_url &&
	    !set_service)
		return ctl_usage(USAGE_UPDATE, "nothing to update");
	if (name != NULL && !name_ok(name, 0))
		return ctl_refuse("insurer update: the name must be 1 to 100 "
		    "characters of UTF-8 text");
	if (set_points && !name_ok(points, 1))
		return ctl_refuse("insurer update: the points name must be up to "
		    "100 characters of UTF-8 text");
	if (set_url && !url_ok(url))
		return ctl_refuse("insurer update: the terms URL must be an http(s) "
		    "URL of up to 300 characters without spaces or quotes");
	if (set_service && *service != '\0' && !url_ok(service))
		return ctl_refuse("insurer update: the health service must be an "
		    "http(s) URL of up to 300 characters without spaces or quotes");
	if ((r = ctl_insurer_arg("insurer", "update", argv[optind],
	    &ins)) != CTL_OK)
		goto out;

	/*
	 * Patterns ① ② have no symbol, ③ ④ have one, and the roster's card keys
	 * were computed accordingly: switching between the two groups makes every
	 * stored key unreachable until the roster is imported again.
	 */
	if (pattern != 0 && !same_key_shape(pattern, ins.card_pattern)) {
		if ((r = db_int(&persons, "SELECT COUNT(*) FROM roster"
		    " WHERE insurer_id = ?", "i", ins.id)) < 0) {
			r = ctl_db_error(r, "insurer update");
			goto out;
		}
		if (persons > 0 && !force) {
			r = ctl_refuse("insurer update: pattern %d %s a symbol but "
			    "pattern %d does not (or the other way round); the %lld "
			    "roster persons would no longer match. Re-import the "
			    "roster afterwards and pass --force", pattern,
			    insurer_pattern_has_symbol(pattern) ? "has" : "has no",
			    ins.card_pattern, persons);
			goto out;
		}
		if (persons > 0)
			fprintf(stderr, "kenpoctl: warning: re-import the roster of "
			    "%s for card pattern %d now\n", ins.number, pattern);
	}

	n = db_exec("UPDATE insurers SET"
	    " name = IF(? = 1, ?, name),"
	    " card_pattern = IF(? = 1, ?, card_pattern),"
	    " adopted = IF(? = 1, ?, adopted),"
	    " points_name = IF(? = 1, ?, points_name),"
	    " terms_url = IF(? = 1, ?, terms_url),"
	    " signed_entry_required = IF(? = 1, ?, signed_entry_required),"
	    " insurer_id_only = IF(? = 1, ?, insurer_id_only),"
	    " health_data = IF(? = 1, ?, health_data),"
	    " health_service = IF(? = 1, ?, health_service)"
	    " WHERE id = ?", "isiiiiisisiiiiiiisi",
	    (long long)(name != NULL), name,
	    (long long)(pattern != 0), (long long)pattern,
	    (long long)(adopted != -1), (long long)(adopted == 1),
	    (long long)set_points, set_points && *points != '\0' ? points : NULL,
	    (long long)set_url, set_url && *url != '\0' ? url : NULL,
	    (long long)(signed_req != -1), (long long)(signed_req == 1),
	    (long long)(id_only != -1), (long long)(id_only == 1),
	    (long long)(health != -1), (long long)(health == 1),
	    (long long)set_service,
	    set_service && *service != '\0' ? service : NULL,
	    ins.id);
	if (n < 0) {
		r = ctl_db_error((int)n, "insurer update");
		goto out;
	}
	insurer_free(&ins);
	if ((r = ctl_insurer_arg("insurer", "update", argv[optind],
	    &ins)) != CTL_OK)
		goto out;
	ctl_say("insurer %s updated", ins.number);
	r = show_insurer(&ins);
out:
	insurer_free(&ins);
	return r;
}

/* allow (add = 1) or disallow (add = 0) NUMBER CIDR. */
static int
cmd_allow(int argc, char **argv, int add)
{
	struct insurer	 ins;
	char		 canon[INSURER_CIDR_MAX];
	const char	*verb = add ? "allow" : "disallow";
	long long	 n;
	int		 r;

	if (argc != 3)
		return ctl_usage(add ? USAGE_ALLOW : USAGE_DISALLOW, NULL);
	if (insurer_cidr_parse(argv[2], canon, sizeof(canon)) == -1)
		return ctl_refuse("insurer %s: %s is not an IPv4 or IPv6 address "
		    "or CIDR block", verb, argv[2]);
	if ((r = ctl_insurer_arg("insurer", verb, argv[1], &ins)) != CTL_OK)
		goto out;
	if (add) {
		n = db_exec("INSERT INTO insurer_allowlist (insurer_id, cidr)"
		    " VALUES (?, ?)", "is", ins.id, canon);
		if (n == DB_DUP) {
			ctl_say("%s is already on the allowlist of %s", canon,
			    ins.number);
			n = 0;
		} else if (n >= 0)
			ctl_say("%s added to the allowlist of %s", canon,
			    ins.number);
	} else {
		n = db_exec("DELETE FROM insurer_allowlist WHERE insurer_id = ?"
		    " AND cidr = ?", "is", ins.id, canon);
		if (n == 0) {
			r = ctl_refuse("insurer disallow: %s is not on the "
			    "allowlist of %s", canon, ins.number);
			goto out;
		}
		if (n > 0)
			ctl_say("%s removed from the allowlist of %s", canon,
			    ins.number);
	}
	if (n < 0) {
		r = ctl_db_error((int)n, add ? "insurer allow" : "insurer disallow");
		goto out;
	}
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_str("number", ins.number);
		ctl_rec_str("cidr", canon);
		ctl_rec_bool("allowed", add);
		ctl_rec_end();
	}
	r = CTL_OK;
out:
	insurer_free(&ins);
	return r;
}

static int
cmd_secret(int argc, char **argv)
{
	struct insurer	 ins;
	unsigned char	 raw[32];
	char		 hex[65];
	long long	 n;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_SECRET, NULL);
	if ((r = ctl_insurer_arg("insurer", "secret", argv[1], &ins)) != CTL_OK)
		goto out;
	crypto_random(raw, sizeof(raw));
	util_hex(raw, sizeof(raw), hex);
	n = db_exec("UPDATE insurers SET entry_secret = ? WHERE id = ?", "si",
	    hex, ins.id);
	if (n < 0) {
		r = ctl_db_error((int)n, "insurer secret");
		goto out;
	}
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_str("number", ins.number);
		ctl_rec_str("entry_secret", hex);
		ctl_rec_end();
	} else {
		printf("%s\n", hex);
		fprintf(stderr, "kenpoctl: new entry secret of %s (shown only now; "
		    "the previous one no longer signs entry links)\n", ins.number);
	}
	r = CTL_OK;
out:
	util_wipe(raw, sizeof(raw));
	util_wipe(hex, sizeof(hex));
	insurer_free(&ins);
	return r;
}

int
ctl_insurer(int argc, char **argv)
{
	const char	*verb = argv[1];

	if (strcmp(verb, "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(verb, "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(verb, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(verb, "update") == 0)
		return cmd_update(argc - 1, argv + 1);
	if (strcmp(verb, "allow") == 0)
		return cmd_allow(argc - 1, argv + 1, 1);
	if (strcmp(verb, "disallow") == 0)
		return cmd_allow(argc - 1, argv + 1, 0);
	if (strcmp(verb, "secret") == 0)
		return cmd_secret(argc - 1, argv + 1);
	if (strcmp(verb, "maintenance") == 0)
		return ctl_insurer_maintenance(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "insurer: unknown verb %s", verb);
}
