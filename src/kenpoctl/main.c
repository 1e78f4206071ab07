/*
 * kenpoctl — the operator CLI.
 *
 *   kenpoctl [-c FILE] [--json] [-v] NOUN VERB [ARGS…]
 *
 * Reads the same configuration as kenpod (-c FILE, else $KENPO_CONFIG, else the
 * installed default), then hands the rest of the command line to the noun's
 * ctl_<noun>() (see kenpoctl.h). Exit 0 on success, 1 when the operation is refused
 * (reason on stderr), 2 on a usage error (usage on stderr).
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "util.h"
#include "kenpoctl.h"

int	 ctl_json;

struct noun {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
};

static const struct noun nouns[] = {
	{ "db",		ctl_db,
	  "db migrate [--dir DIR] | db status [--dir DIR]" },
	{ "account",	ctl_account,
	  "account show EMAIL|ID | account find PATTERN [--limit N] | "
	  "account unlock EMAIL|ID | account resend EMAIL|ID | "
	  "account withdraw EMAIL|ID | account delete EMAIL|ID --yes | "
	  "account totp-off EMAIL|ID | "
	  "account passkey-remove EMAIL|ID PASSKEY [--json]" },
	{ "mail",	ctl_mail,
	  "mail status | mail retry ID|--all-failed | mail send [--limit N] | "
	  "mail test ADDRESS" },
	{ "audit",	ctl_audit,
	  "audit list [--account ID] [--event PREFIX] [--since DATE] "
	  "[--limit N]" },
	{ "insurer",	ctl_insurer,
	  "insurer add|show|list|update|allow|disallow|secret|maintenance ..." },
	{ "roster",	ctl_roster,
	  "roster import NUMBER FILE [--encoding utf-8|cp932] [--snapshot] "
	  "[--dry-run] | roster show NUMBER PERSONAL_ID | roster export NUMBER" },
	{ "announcement", ctl_announcement,
	  "announcement add [--insurer NUMBER] [--at \"YYYY-MM-DD[ HH:MM[:SS]]\"] "
	  "[--mail] TITLE BODY_FILE|- | announcement list [--insurer NUMBER | "
	  "--operator] [--limit N] | announcement show ID | announcement send ID | "
	  "announcement delete ID" },
	{ "inquiry",	ctl_inquiry,
	  "inquiry list [--status open|answered] [--category C] [--limit N] | "
	  "inquiry show ID | inquiry answer ID FILE|- [--force]" },
	{ "lifecycle",	ctl_lifecycle,
	  "lifecycle run [--as-of YYYY-MM-DD]" },
	{ "faq",	ctl_faq,
	  "faq check [FILE]" },
	{ "terms",	ctl_terms,
	  "terms publish service|privacy|insurer|points [--insurer NUMBER] "
	  "--version V [--url URL] [--text FILE|-] | "
	  "terms list [--kind KIND] [--insurer NUMBER] | terms show ID" },
	{ "deletion",	ctl_deletion,
	  "deletion list [--state STATE] [--limit N] | deletion show ID | "
	  "deletion approve ID [--as-of YYYY-MM-DD] | deletion reject ID" },
	{ "staff",	ctl_staff,
	  "staff add EMAIL --role reviewer|support|admin | staff list | "
	  "staff disable EMAIL | staff reset EMAIL" },
	{ "review",	ctl_review,
	  "review list [--status S] [--limit N] | review show ID "
	  "[--image SHOT --out FILE] | review approve ID | "
	  "review reject ID --reason R [--note TEXT]" },
	{ "verify",	ctl_verify,
	  "verify status | verify rekey" },
	{ "client",	ctl_client,
	  "client add NAME --redirect-uri URI... [--logout-uri URI...] [--public] "
	  "[--min-acr ACR] | client list | client show CLIENT_ID | "
	  "client rotate-secret CLIENT_ID | client delete CLIENT_ID" },
	{ "oidc",	ctl_oidc,
	  "oidc key list | oidc key rotate" },
};

#define NNOUNS	(sizeof(nouns) / sizeof(nouns[0]))

static void
usage_all(FILE *fp)
{
	const char	*p, *bar;
	size_t		 i;

	fprintf(fp, "usage: kenpoctl [-c FILE] [--json] [-v] NOUN VERB [ARGS...]\n");
	for (i = 0; i < NNOUNS; i++) {
		/* One verb a line: the usage strings separate verbs with " | ". */
		for (p = nouns[i].usage; (bar = strstr(p, " | ")) != NULL; p = bar + 3)
			fprintf(fp, "  %.*s\n", (int)(bar - p), p);
		fprintf(fp, "  %s\n", p);
	}
}

int
ctl_usage(const char *usage, const char *fmt, ...)
{
	va_list	 ap;

	if (fmt != NULL) {
		fputs("kenpoctl: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (usage != NULL)
		fprintf(stderr, "usage: kenpoctl %s\n", usage);
	else
		usage_all(stderr);
	return CTL_USAGE;
}

int
ctl_refuse(const char *fmt, ...)
{
	va_list	 ap;

	fputs("kenpoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CTL_REFUSED;
}

int
ctl_db_error(int status, const char *what)
{
	switch (status) {
	case DB_DOWN:
		return ctl_refuse("%s: the database cannot be reached", what);
	case DB_DUP:
		return ctl_refuse("%s: already exists", what);
	case DB_RETRY:
		return ctl_refuse("%s: the database is busy (lock conflict); try again",
		    what);
	default:
		return ctl_refuse("%s: database error", what);
	}
}

void
ctl_say(const char *fmt, ...)
{
	va_list	 ap;

	if (ctl_json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void
ctl_json_str(const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/*
 * Record output state. In a human-readable list the keys and values of a record
 * are collected and printed as one table line at ctl_rec_end.
 */
static int		 out_inlist;	/* inside ctl_list_begin/end */
static long		 out_nrecs;	/* records printed in this list / at top level */
static int		 out_nfields;	/* fields in the current record */
static struct buf	 out_keys, out_vals;

void
ctl_list_begin(void)
{
	out_inlist = 1;
	out_nrecs = 0;
	if (ctl_json)
		putchar('[');
}

void
ctl_list_end(void)
{
	if (ctl_json)
		puts("]");
	else if (out_nrecs == 0)
		puts("(none)");
	out_inlist = 0;
	out_nrecs = 0;
}

void
ctl_rec_begin(void)
{
	out_nfields = 0;
	if (ctl_json) {
		if (out_inlist && out_nrecs > 0)
			putchar(',');
		putchar('{');
	} else if (!out_inlist && out_nrecs > 0)
		putchar('\n');
	buf_free(&out_keys);
	buf_free(&out_vals);
}

/* Append v to b with tabs, newlines and other controls shown as spaces. */
static void
human_append(struct buf *b, const char *v)
{
	const unsigned char *p;
	char	 c;

	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		c = (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p;
		buf_append(b, &c, 1);
	}
}

void
ctl_rec_str(const char *key, const char *value)
{
	if (ctl_json) {
		if (out_nfields > 0)
			putchar(',');
		ctl_json_str(key);
		putchar(':');
		ctl_json_str(value);
	} else if (out_inlist) {
		if (out_nfields > 0) {
			buf_puts(&out_keys, "\t");
			buf_puts(&out_vals, "\t");
		}
		buf_puts(&out_keys, key);
		human_append(&out_vals, value != NULL ? value : "-");
	} else {
		buf_free(&out_vals);
		human_append(&out_vals, value != NULL ? value : "-");
		/* An empty value appends nothing, leaving data NULL. */
		printf("%s: %s\n", key, out_vals.data != NULL ? out_vals.data : "");
	}
	out_nfields++;
}

void
ctl_rec_int(const char *key, long long value)
{
	char	 s[24];

	if (ctl_json) {
		if (out_nfields > 0)
			putchar(',');
		ctl_json_str(key);
		printf(":%lld", value);
		out_nfields++;
		return;
	}
	snprintf(s, sizeof(s), "%lld", value);
	ctl_rec_str(key, s);
}

void
ctl_rec_bool(const char *key, int value)
{
	if (ctl_json) {
		if (out_nfields > 0)
			putchar(',');
		ctl_json_str(key);
		fputs(value ? ":true" : ":false", stdout);
		out_nfields++;
		return;
	}
	ctl_rec_str(key, value ? "yes" : "no");
}

void
ctl_rec_end(void)
{
	if (ctl_json) {
		putchar('}');
		if (!out_inlist)
			putchar('\n');
	} else if (out_inlist) {
		if (out_nrecs == 0)
			printf("%s\n", out_keys.data != NULL ? out_keys.data : "");
		printf("%s\n", out_vals.data != NULL ? out_vals.data : "");
	}
	out_nrecs++;
	buf_free(&out_keys);
	buf_free(&out_vals);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL,	'c' },
		{ "json",	no_argument,		NULL,	'j' },
		{ "verbose",	no_argument,		NULL,	'v' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	const char	*path = NULL;
	HDF		*cfg = NULL;
	char		 err[512];
	size_t		 i;
	int		 ch, j, k, verbose = 0, rc;

	log_open("kenpoctl", 0);
	/* "+": stop at the noun; the verbs parse their own options. */
	while ((ch = getopt_long(argc, argv, "+c:jvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'j':
			ctl_json = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage_all(stdout);
			return CTL_OK;
		default:
			return ctl_usage(NULL, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	/* --json is also accepted after the noun and verb (up to a "--"). */
	for (j = k = 0; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0) {
			while (j < argc)
				argv[k++] = argv[j++];
			break;
		}
		if (strcmp(argv[j], "--json") == 0)
			ctl_json = 1;
		else
			argv[k++] = argv[j];
	}
	argc = k;
	argv[argc] = NULL;
	if (argc < 1)
		return ctl_usage(NULL, "no command given");
	for (i = 0; i < NNOUNS; i++)
		if (strcmp(nouns[i].name, argv[0]) == 0)
			break;
	if (i == NNOUNS)
		return ctl_usage(NULL, "unknown command %s", argv[0]);
	if (argc < 2)
		return ctl_usage(nouns[i].usage, "%s: no verb given", argv[0]);

	/* Library messages (database errors) go to stderr; info lines only with -v. */
	log_set_level(verbose ? LOG_LVL_DEBUG : LOG_LVL_WARN);
	if (path == NULL)
		path = config_default_path();
	if (config_load(path, &cfg, err, sizeof(err)) != 0)
		return ctl_refuse("%s", err);
	config_set(cfg);
	if (crypto_init() != 0)
		return ctl_refuse("cannot initialise libgcrypt");

	rc = nouns[i].fn(argc, argv);
	fflush(stdout);
	db_close();
	return rc;
}

/*
 * Read a text (an announcement body, an inquiry answer) from path ("-": standard
 * input) into a malloc'd string: UTF-8, CR LF turned into LF, surrounding blank
 * lines removed, not empty, at most max bytes. CTL_OK and *out set, or
 * CTL_REFUSED with the reason printed after what ("inquiry answer").
 */
int
ctl_read_text(const char *what, const char *path, size_t max, char **out)
{
	struct buf	 b = { NULL, 0, 0 };
	FILE		*fp;
	char		 chunk[4096], *s, *e, *w;
	size_t		 n;
	int		 rc = CTL_REFUSED;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		return ctl_refuse("%s: %s: %s", what, path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		buf_append(&b, chunk, n);
		if (b.len > max * 2)
			break;
	}
	if (ferror(fp)) {
		rc = ctl_refuse("%s: cannot read %s", what, path);
		goto out;
	}
	if (b.data == NULL || memchr(b.data, '\0', b.len) != NULL ||
	    !util_utf8_valid(b.data, b.len)) {
		rc = ctl_refuse("%s: the text must be UTF-8", what);
		goto out;
	}
	for (s = w = b.data; *s != '\0'; s++) {
		if (*s == '\r') {
			*w++ = '\n';
			if (s[1] == '\n')
				s++;
		} else
			*w++ = *s;
	}
	*w = '\0';
	for (s = b.data; *s == '\n'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == s) {
		rc = ctl_refuse("%s: the text is empty", what);
		goto out;
	}
	if ((size_t)(e - s) > max) {
		rc = ctl_refuse("%s: the text is longer than %zu bytes", what, max);
		goto out;
	}
	*out = xstrndup(s, (size_t)(e - s));
	rc = CTL_OK;
 out:
	if (fp != stdin)
		fclose(fp);
	buf_free(&b);
	return rc;
}
