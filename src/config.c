/*
 * config.c — load and validate the HDF configuration file.
 *
 * The table below is the single list of configuration keys. Each entry gives the
 * type, the default (NULL: required) and limits. contrib/kenpo.hdf.sample.in
 * documents every key; keep the two in step.
 */
#include "autoconf.h"
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "clientip.h"
#include "log.h"
#include "util.h"
#include "webauthn.h"

enum ctype { C_STR, C_INT, C_BOOL, C_SECRET, C_ENUM, C_URL };

struct ckey {
	const char	*key;
	enum ctype	 type;
	const char	*def;		/* NULL: the key is required */
	long long	 min, max;	/* C_INT: range; C_SECRET: min bytes; C_STR: max length */
	const char	*choices;	/* C_ENUM: "a|b|c" */
};

static const struct ckey keys[] = {
	/* What members see: names, addresses, links. */
	{ "Service.Name",		C_STR,	"kenpo",			0, 100, NULL },
	{ "Service.Operator",		C_STR,	"kenpo運営事務局",		0, 200, NULL },
	{ "Service.BaseURL",		C_STR,	"http://127.0.0.1:8080",	1, 200, NULL },
	{ "Service.SupportURL",		C_URL,	"/inquiry/new",			0, 300, NULL },
	{ "Service.SupportMail",	C_STR,	"support@example.invalid",	3, 254, NULL },
	{ "Service.TermsURL",		C_URL,	"/terms/service",		0, 300, NULL },
	{ "Service.PrivacyURL",		C_URL,	"/terms/privacy",		0, 300, NULL },
	/* The footer: 運営会社 (empty: the operator's name without a link) and the
	 * request channel for disclosure of personal data (開示等の請求). */
	{ "Service.OperatorURL",	C_URL,	"",				0, 300, NULL },
	{ "Service.DisclosureURL",	C_URL,	"/inquiry/new?category=disclosure", 1, 300, NULL },
	/* よくある質問 (src/faq.h): empty = the shipped templates/help/faq.hdf. */
	{ "Help.FAQFile",		C_STR,	"",				0, 300, NULL },
	{ "Service.StaticVersion",	C_STR,	"auto",				0, 40,  NULL },

	/* The FastCGI server. */
	{ "Server.Socket",		C_STR,	"/run/kenpo/kenpod.sock",	1, 200, NULL },
	{ "Server.SocketMode",		C_INT,	"432" /* 0660 */,		0, 511, NULL },
	{ "Server.SocketGroup",		C_STR,	"",				0, 64, NULL },
	{ "Server.Backlog",		C_INT,	"128",				1, 65535, NULL },
	{ "Server.Workers",		C_INT,	"8",				1, 256, NULL },
	{ "Server.HashWorkers",		C_INT,	"0",				0, 256, NULL },
	{ "Server.HashQueue",		C_INT,	"0",				0, 256, NULL },
	{ "Server.User",		C_STR,	"",				0, 64, NULL },
	{ "Server.PidFile",		C_STR,	"",				0, 200, NULL },
	{ "Server.Templates",		C_STR,	PKGDATADIR "/templates",	1, 200, NULL },
	{ "Server.Migrations",		C_STR,	PKGDATADIR "/sql",		1, 200, NULL },
	{ "Server.Htdocs",		C_STR,	PKGDATADIR "/htdocs",		1, 200, NULL },
	{ "Server.MaxBody",		C_INT,	"65536",			1024, 10485760, NULL },
	{ "Server.MaxField",		C_INT,	"4096",				64, 1048576, NULL },
	/* Uploads (R_UPLOAD routes, the photos of identity verification): the
	 * whole multipart body (instead of Server.MaxBody) and each file in it.
	 * nginx's client_max_body_size of the upload location: a little above. */
	{ "Verify.MaxRequestBytes",	C_INT,	"26214400" /* 25 MiB */,	65536, 104857600, NULL },
	{ "Verify.MaxImageBytes",	C_INT,	"10485760" /* 10 MiB */,	65536, 104857600, NULL },
	{ "Server.TrustedProxies",	C_STR,	"",				0, 1000, NULL },
	{ "Server.MetricsAllow",	C_STR,	"127.0.0.1 ::1",		0, 1000, NULL },
	{ "Server.Syslog",		C_BOOL,	"0",				0, 1, NULL },
	{ "Server.LogLevel",		C_ENUM,	"info",				0, 0, "err|warn|info|debug" },
	{ "Server.HTTPS",		C_ENUM,	"auto",				0, 0, "auto|on|off" },

	/* The staff console (issue 12): a second FastCGI socket, served by workers
	 * of its own that know only the staff routes (src/staff_routes.def). Empty:
	 * no console. BaseURL: the console's address as staff reach it (the
	 * enrolment links kenpoctl prints; the Origin check of its forms). */
	{ "Staff.Socket",		C_STR,	"",				0, 200, NULL },
	{ "Staff.Workers",		C_INT,	"2",				1, 64, NULL },
	{ "Staff.BaseURL",		C_STR,	"http://127.0.0.1:8081",	1, 200, NULL },
	{ "Staff.IdleMinutes",		C_INT,	"15",				1, 240, NULL },
	{ "Staff.AbsoluteHours",	C_INT,	"10",				1, 24, NULL },
	{ "Staff.EnrolHours",		C_INT,	"24",				1, 168, NULL },
	{ "Staff.LockAfterFailures",	C_INT,	"5",				1, 100, NULL },
	{ "Staff.LockMinutes",		C_INT,	"15",				1, 1440, NULL },

	/* MariaDB. */
	{ "Database.Socket",		C_STR,	"",				0, 200, NULL },
	{ "Database.Host",		C_STR,	"localhost",			0, 200, NULL },
	{ "Database.Port",		C_INT,	"3306",				0, 65535, NULL },
	{ "Database.User",		C_STR,	"kenpo",			1, 80, NULL },
	{ "Database.Password",		C_STR,	"",				0, 200, NULL },
	{ "Database.Name",		C_STR,	"kenpo",			1, 64, NULL },
	{ "Database.ConnectTimeout",	C_INT,	"3",				1, 60, NULL },
	{ "Database.SyncWait",		C_INT,	"3",				0, 15, NULL },

	/* Outgoing mail (the mailer process). */
	{ "Mail.Server",		C_STR,	"127.0.0.1:25",			1, 200, NULL },
	{ "Mail.From",			C_STR,	"no-reply@example.invalid",	3, 254, NULL },
	{ "Mail.FromName",		C_STR,	"kenpo",			0, 100, NULL },
	{ "Mail.Timeout",		C_INT,	"10",				1, 600, NULL },
	{ "Mail.RetryMin",		C_INT,	"10",				1, 86400, NULL },
	{ "Mail.RetryMax",		C_INT,	"900",				1, 86400, NULL },
	{ "Mail.GiveUpAfter",		C_INT,	"172800",			60, 2592000, NULL },
	{ "Mail.Poll",			C_INT,	"2",				1, 3600, NULL },
	{ "Mail.Batch",			C_INT,	"20",				1, 1000, NULL },
	{ "Mail.BulkBatch",		C_INT,	"200",				1, 10000, NULL },
	{ "Mail.BulkInterval",		C_INT,	"10",				0, 86400, NULL },
	{ "Mail.StartTLS",		C_ENUM,	"optional",			0, 0, "off|optional|required" },
	{ "Mail.CAFile",		C_STR,	"",				0, 300, NULL },
	{ "Mail.User",			C_STR,	"",				0, 200, NULL },
	{ "Mail.Password",		C_STR,	"",				0, 200, NULL },

	/* Secrets: hex strings. Pepper keys the roster card_key; Secret signs CSRF,
	 * CAPTCHA challenges and other stateless tokens. */
	{ "Security.Pepper",		C_SECRET, NULL,				32, 0, NULL },
	{ "Security.Secret",		C_SECRET, NULL,				32, 0, NULL },
	/* The eKYC vault (src/vault.h): the master key that seals (64 hex digits;
	 * empty: the eKYC level is not offered) and the old ones that still open,
	 * during a rotation (space-separated). */
	{ "Verify.MasterKey",		C_SECRET, "",				32, 32, NULL },
	{ "Verify.OldMasterKeys",	C_STR,	"",				0, 1000, NULL },
	{ "Security.Argon2.MemoryKiB",	C_INT,	"19456",			8, 1048576, NULL },
	{ "Security.Argon2.Time",	C_INT,	"2",				1, 100, NULL },
	{ "Security.Argon2.Lanes",	C_INT,	"1",				1, 16, NULL },

	/* Sessions. */
	{ "Session.IdleMinutes",	C_INT,	"30",				1, 10080, NULL },
	{ "Session.AbsoluteHours",	C_INT,	"12",				1, 720, NULL },
	{ "Session.RememberDays",	C_INT,	"30",				0, 365, NULL },

	/* Signup. */
	{ "Signup.ActivateHours",	C_INT,	"24",				1, 720, NULL },
	{ "Signup.CodeMinutes",		C_INT,	"10",				1, 1440, NULL },
	{ "Signup.CodeTries",		C_INT,	"5",				1, 100, NULL },
	{ "Signup.ResendPerHour",	C_INT,	"5",				1, 1000, NULL },
	{ "Signup.StartPerHour",	C_INT,	"100",				1, 1000000, NULL },
	{ "Signup.EligibilityTries",	C_INT,	"5",				1, 1000, NULL },
	{ "Signup.EligibilityHours",	C_INT,	"24",				1, 720, NULL },
	{ "Password.MinLength",		C_INT,	"8",				4, 128, NULL },
	{ "Password.MaxLength",		C_INT,	"20",				8, 128, NULL },
	{ "Password.MinClasses",	C_INT,	"2",				1, 4, NULL },

	/* Login, CAPTCHA, throttling, lockout, recovery. */
	{ "Login.Captcha",		C_ENUM,	"on",				0, 0, "on|off" },
	{ "Login.CaptchaMinutes",	C_INT,	"10",				1, 1440, NULL },
	{ "Login.ViewCacheSeconds",	C_INT,	"3",				0, 60, NULL },
	{ "Login.CaptchaProvider",	C_ENUM,	"builtin",			0, 0, "builtin|recaptcha" },
	{ "Login.RecaptchaSiteKey",	C_STR,	"",				0, 200, NULL },
	{ "Login.RecaptchaSecret",	C_STR,	"",				0, 200, NULL },
	{ "Login.RecaptchaVerifyURL",	C_STR,	"https://www.google.com/recaptcha/api/siteverify", 0, 300, NULL },
	{ "Login.RecaptchaTimeout",	C_INT,	"3",				1, 30, NULL },
	{ "Login.AllowlistFailures",	C_INT,	"5",				0, 1000, NULL },
	{ "Login.WindowMinutes",	C_INT,	"10",				1, 1440, NULL },
	{ "Login.HardAfterRequests",	C_INT,	"30",				1, 100000, NULL },
	{ "Login.HardAfterFailures",	C_INT,	"3",				1, 1000, NULL },
	{ "Login.SlowAfterFailures",	C_INT,	"3",				1, 1000, NULL },
	{ "Login.LockAfterFailures",	C_INT,	"10",				1, 1000, NULL },
	{ "Login.LockMinutes",		C_INT,	"30",				1, 10080, NULL },
	{ "Login.ResetMinutes",		C_INT,	"60",				1, 1440, NULL },
	{ "Login.ResetPerHour",		C_INT,	"3",				1, 1000, NULL },
	{ "Login.ResetPerHourIP",	C_INT,	"20",				1, 100000, NULL },
	{ "Login.InquiryPerHour",	C_INT,	"5",				1, 100000, NULL },
	{ "Login.EntryMaxAge",		C_INT,	"300",				10, 86400, NULL },
	{ "Member.EmailChangeHours",	C_INT,	"24",				1, 720, NULL },
	{ "Member.EmailChangePerHour",	C_INT,	"5",				1, 1000, NULL },
	{ "Member.PasswordTries",	C_INT,	"10",				1, 1000, NULL },
	{ "Member.LoginHistoryDays",	C_INT,	"90",				1, 3650, NULL },
	{ "Deletion.GraceDays",		C_INT,	"14",				1, 365, NULL },

	/* eKYC images (src/image.h, src/kenpo-image.c) and their retention
	 * (src/lifecycle.c). Verify.MaxImageBytes is the upload's limit too. */
	{ "Verify.ImageHelper",		C_STR,	PKGLIBEXECDIR "/kenpo-image",	1, 300, NULL },
	{ "Verify.MaxPixels",		C_INT,	"40000000",			76800, 268435456, NULL },
	{ "Verify.ImageTimeout",	C_INT,	"20",				1, 300, NULL },
	{ "Verify.RetentionDays",	C_INT,	"30",				1, 3650, NULL },
	{ "Verify.DraftHours",		C_INT,	"24",				1, 720, NULL },
	{ "Verify.StepUpMinutes",	C_INT,	"15",				1, 1440, NULL },
	{ "Verify.StepUpTries",		C_INT,	"5",				1, 100, NULL },

	/* The OpenID Connect provider (docs/oidc.md, src/oidc*.c). Max ages in
	 * seconds of each acr value: an acr is claimed only when the factor
	 * behind it is this fresh (0: as long as the session lasts). */
	{ "OIDC.MaxAge.Insurer",	C_INT,	"0",				0, 31536000, NULL },
	{ "OIDC.MaxAge.Identity",	C_INT,	"0",				0, 31536000, NULL },
	{ "OIDC.MaxAge.Sensitive",	C_INT,	"900",				60, 86400, NULL },
	{ "OIDC.CodeSeconds",		C_INT,	"60",				10, 600, NULL },
	{ "OIDC.AccessTokenSeconds",	C_INT,	"600",				60, 86400, NULL },
	{ "OIDC.IDTokenSeconds",	C_INT,	"600",				60, 86400, NULL },
	{ "OIDC.KeyRotationDays",	C_INT,	"90",				0, 3650, NULL },
	/* How long an authorization request waits for the member (login,
	 * step-up, consent: oidc_requests, src/oidc_authz.c). */
	{ "OIDC.RequestSeconds",	C_INT,	"600",				60, 3600, NULL },

	/* Members' passkeys (docs/mfa.md "Passkeys"). The WebAuthn RP ID: empty
	 * = the host of Service.BaseURL; else that host or a registrable suffix
	 * of it (checked below). Changing it orphans every registered passkey. */
	{ "WebAuthn.RPID",		C_STR,	"",				0, 200, NULL },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* The placeholder secrets of contrib/kenpo.hdf.sample.in (refused, see below). */
#define SAMPLE_PEPPER	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SAMPLE_SECRET	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static HDF	*current;
static char	*current_path;

/*
 * Lookups are on every request's path (dozens per page): keys are found by
 * binary search over an index sorted once, and the values of the current
 * configuration are taken out of its HDF once, at config_set.
 */
static size_t		 order[NKEYS];	/* indices into keys, sorted by name */
static int		 ordered;
static const char	*values[NKEYS];	/* of the current configuration */

static int
order_cmp(const void *a, const void *b)
{
	return strcmp(keys[*(const size_t *)a].key, keys[*(const size_t *)b].key);
}

static const struct ckey *
key_find(const char *name)
{
	size_t	 lo = 0, hi = NKEYS, mid, i;
	int	 c;

	if (!ordered) {
		for (i = 0; i < NKEYS; i++)
			order[i] = i;
		qsort(order, NKEYS, sizeof(order[0]), order_cmp);
		ordered = 1;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, keys[order[mid]].key)) == 0)
			return &keys[order[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Check one value against its key; returns NULL or a reason. */
static const char *
key_check(const struct ckey *k, const char *v)
{
	long long	 n;
	size_t		 len, i;
	const char	*p, *bar;

	/* "Key {\n}" makes a node with neither value nor children. */
	if (v == NULL)
		return "has no value";
	len = strlen(v);
	switch (k->type) {
	case C_STR:
		if ((long long)len < k->min)
			return "must not be empty";
		if (k->max > 0 && (long long)len > k->max)
			return "is too long";
		if (!util_utf8_valid(v, len))
			return "is not valid UTF-8 text";
		return NULL;
	case C_INT:
		if (util_parse_int(v, k->min, k->max, &n) != 0)
			return "must be a whole number in range";
		return NULL;
	case C_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1") && strcmp(v, "on") &&
		    strcmp(v, "off") && strcmp(v, "true") && strcmp(v, "false"))
			return "must be 0 or 1";
		return NULL;
	case C_SECRET:
		/* An optional secret (default "") may stay empty. */
		if (len == 0 && k->def != NULL && k->def[0] == '\0')
			return NULL;
		if (len % 2 != 0 || (long long)len / 2 < k->min)
			return "must be at least 32 bytes as hex (64 hex digits)";
		if (k->max > 0 && (long long)len / 2 > k->max)
			return "must be exactly 32 bytes as hex (64 hex digits)";
		for (i = 0; i < len; i++)
			if (util_hexval((unsigned char)v[i]) < 0)
				return "must be hex digits only";
		return NULL;
	case C_URL:
		if ((long long)len < k->min)
			return "must not be empty";
		if (k->max > 0 && (long long)len > k->max)
			return "is too long";
		if (len > 0 && !config_url_ok(v))
			return "must be a path on this site (/...) or an http(s) URL "
			    "without spaces or quotes";
		return NULL;
	case C_ENUM:
		for (p = k->choices; p != NULL; p = bar ? bar + 1 : NULL) {
			bar = strchr(p, '|');
			i = bar ? (size_t)(bar - p) : strlen(p);
			if (i == len && strncmp(p, v, len) == 0)
				return NULL;
		}
		return "is not one of the allowed values";
	}
	return "has an unknown type";
}

/* Walk every leaf of the file; unknown keys are errors (typos must not pass silently). */
static int
walk(HDF *node, const char *prefix, const char *path, char *err, size_t errlen)
{
	HDF		*c;
	char		 name[256];
	const struct ckey *k;
	const char	*why;
	int		 n;

	for (c = hdf_obj_child(node); c != NULL; c = hdf_obj_next(c)) {
		if (prefix[0] != '\0')
			n = snprintf(name, sizeof(name), "%s.%s", prefix,
			    hdf_obj_name(c));
		else
			n = snprintf(name, sizeof(name), "%s", hdf_obj_name(c));
		/* No key is this long; stopping here also bounds the recursion
		 * for a file nested a hundred thousand levels deep. */
		if (n < 0 || (size_t)n >= sizeof(name)) {
			snprintf(err, errlen, "%s: unknown key %.40s...", path, name);
			return -1;
		}
		/* A link ("Key : Other.Key") can point at its own parent, and the
		 * walk below would follow it forever: no configuration needs one. */
		if (c->link) {
			snprintf(err, errlen, "%s: %s is a link, not a value", path,
			    name);
			return -1;
		}
		if (hdf_obj_child(c) != NULL) {
			if (walk(c, name, path, err, errlen) != 0)
				return -1;
			if (hdf_obj_value(c) == NULL)
				continue;
		}
		if ((k = key_find(name)) == NULL) {
			snprintf(err, errlen, "%s: unknown key %s", path, name);
			return -1;
		}
		if ((why = key_check(k, hdf_obj_value(c))) != NULL) {
			snprintf(err, errlen, "%s: %s %s", path, name, why);
			return -1;
		}
	}
	return 0;
}

/*
 * The sample's placeholder secrets are public (they are in the source), so a
 * site that kept them would sign and key with values anyone can read. `make
 * install` and the Debian package install the sample as the configuration, so
 * this refusal is the first thing `kenpod -t` tells an administrator: it names
 * every key still to set and how to make a value. Returns 0, or -1 with err set.
 */
static int
placeholder_check(HDF *hdf, const char *path, char *err, size_t errlen)
{
	const char	*left[NKEYS];
	size_t		 i, n = 0;

	for (i = 0; i < NKEYS; i++) {
		const char *v = hdf_get_value(hdf, keys[i].key, NULL);

		if (v != NULL && keys[i].type == C_SECRET &&
		    (strcasecmp(v, SAMPLE_PEPPER) == 0 || strcasecmp(v, SAMPLE_SECRET) == 0))
			left[n++] = keys[i].key;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		snprintf(err, errlen, "%s: %s is still the sample's placeholder: "
		    "set it to a secret of your own, 64 random hex digits made with: "
		    "od -An -tx1 -N32 /dev/urandom | tr -d ' \\n'", path, left[0]);
	else
		snprintf(err, errlen, "%s: %s and %s are still the sample's "
		    "placeholders: set each to a secret of its own, 64 random hex "
		    "digits made with: od -An -tx1 -N32 /dev/urandom | tr -d ' \\n'",
		    path, left[0], left[1]);
	return -1;
}

/* Verify.OldMasterKeys: words of exactly 64 hex digits (src/vault.h). 0 or -1. */
static int
old_keys_check(const char *v)
{
	size_t	 len, i;

	for (; *v != '\0'; v += len) {
		v += strspn(v, " \t");
		len = strcspn(v, " \t");
		if (len == 0)
			break;
		if (len != 64)
			return -1;
		for (i = 0; i < len; i++)
			if (util_hexval((unsigned char)v[i]) < 0)
				return -1;
	}
	return 0;
}

int
config_load(const char *path, HDF **out, char *err, size_t errlen)
{
	HDF		*hdf = NULL;
	NEOERR		*nerr;
	STRING		 s;
	size_t		 i;
	const char	*v;

	*out = NULL;
	if ((nerr = hdf_init(&hdf)) != STATUS_OK) {
		nerr_ignore(&nerr);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if ((nerr = hdf_read_file(hdf, path)) != STATUS_OK) {
		string_init(&s);
		nerr_error_string(nerr, &s);
		/* ClearSilver's message names the line; keep it to one line. */
		for (i = 0; s.buf != NULL && s.buf[i] != '\0'; i++)
			if (s.buf[i] == '\n')
				s.buf[i] = ' ';
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    s.buf ? s.buf : "error");
		string_clear(&s);
		nerr_ignore(&nerr);
		hdf_destroy(&hdf);
		return -1;
	}
	if (walk(hdf, "", path, err, errlen) != 0) {
		hdf_destroy(&hdf);
		return -1;
	}
	if (placeholder_check(hdf, path, err, errlen) != 0) {
		hdf_destroy(&hdf);
		return -1;
	}
	for (i = 0; i < NKEYS; i++) {
		v = hdf_get_value(hdf, keys[i].key, NULL);

		if (v != NULL)
			continue;
		if (keys[i].def == NULL) {
			snprintf(err, errlen, "%s: required key %s is missing", path,
			    keys[i].key);
			hdf_destroy(&hdf);
			return -1;
		}
		if ((nerr = hdf_set_value(hdf, keys[i].key, keys[i].def)) != STATUS_OK) {
			nerr_ignore(&nerr);
			snprintf(err, errlen, "%s: out of memory", path);
			hdf_destroy(&hdf);
			return -1;
		}
	}
	if (old_keys_check(hdf_get_value(hdf, "Verify.OldMasterKeys", "")) != 0) {
		snprintf(err, errlen, "%s: Verify.OldMasterKeys must be master keys of "
		    "64 hex digits each, separated by spaces", path);
		hdf_destroy(&hdf);
		return -1;
	}
	/* SMTP AUTH sends the password: only over TLS with a verified server. */
	if (hdf_get_value(hdf, "Mail.User", "")[0] != '\0' &&
	    (strcmp(hdf_get_value(hdf, "Mail.StartTLS", ""), "required") != 0 ||
	    hdf_get_value(hdf, "Mail.Password", "")[0] == '\0')) {
		snprintf(err, errlen, "%s: Mail.User needs Mail.Password and "
		    "Mail.StartTLS = required (the password goes only to a "
		    "verified server over TLS)", path);
		hdf_destroy(&hdf);
		return -1;
	}
	v = hdf_get_value(hdf, "Help.FAQFile", "");
	if (v[0] != '\0' && access(v, R_OK) != 0) {
		snprintf(err, errlen, "%s: Help.FAQFile %s: %s", path, v, strerror(errno));
		hdf_destroy(&hdf);
		return -1;
	}
	v = hdf_get_value(hdf, "Mail.CAFile", "");
	if (v[0] != '\0' && access(v, R_OK) != 0) {
		snprintf(err, errlen, "%s: Mail.CAFile %s: %s", path, v, strerror(errno));
		hdf_destroy(&hdf);
		return -1;
	}
	{
		char	 origin[WEBAUTHN_ORIGIN_MAX], host[WEBAUTHN_ORIGIN_MAX];

		v = hdf_get_value(hdf, "WebAuthn.RPID", "");
		if (webauthn_origin(hdf_get_value(hdf, "Service.BaseURL", ""),
		    origin, sizeof(origin), host, sizeof(host)) != 0) {
			snprintf(err, errlen, "%s: Service.BaseURL must be an "
			    "http:// or https:// URL", path);
			hdf_destroy(&hdf);
			return -1;
		}
		if (v[0] != '\0' && !webauthn_rpid_ok(v, host)) {
			snprintf(err, errlen, "%s: WebAuthn.RPID must be the host of "
			    "Service.BaseURL (%s) or a registrable domain it ends "
			    "with, in lower case", path, host);
			hdf_destroy(&hdf);
			return -1;
		}
	}
	if (!clientip_list_valid(hdf_get_value(hdf, "Server.TrustedProxies", ""))) {
		snprintf(err, errlen, "%s: Server.TrustedProxies must list IP addresses "
		    "or CIDR blocks, separated by spaces or commas", path);
		hdf_destroy(&hdf);
		return -1;
	}
	*out = hdf;
	free(current_path);
	current_path = xstrdup(path);
	return 0;
}

int
config_url_ok(const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return 0;
	if (s[0] == '/') {
		/* "//host" and "/\host" leave the site in browsers. */
		if (s[1] == '/' || s[1] == '\\')
			return 0;
	} else if (strncmp(s, "https://", 8) == 0) {
		if (s[8] == '\0' || s[8] == '/')
			return 0;
	} else if (strncmp(s, "http://", 7) == 0) {
		if (s[7] == '\0' || s[7] == '/')
			return 0;
	} else
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '\'' ||
		    *p == '<' || *p == '>' || *p == '\\' || *p == '`')
			return 0;
	return 1;
}

static unsigned	 generation;

void
config_set(HDF *cfg)
{
	size_t	 i;

	if (current != NULL && current != cfg)
		hdf_destroy(&current);
	current = cfg;
	generation++;
	for (i = 0; i < NKEYS; i++)
		values[i] = current != NULL ?
		    hdf_get_value(current, keys[i].key, NULL) : NULL;
}

int
config_put(const char *key, const char *value)
{
	NEOERR	*err;

	if (current == NULL || key_find(key) == NULL)
		return -1;
	if ((err = hdf_set_value(current, key, value)) != STATUS_OK) {
		nerr_ignore(&err);
		return -1;
	}
	config_set(current);	/* the values and the generation again */
	return 0;
}

int
config_view_fresh(int64_t read_ms, unsigned gen)
{
	return read_ms != 0 && gen == generation && util_mono_ms() - read_ms <
	    1000 * config_int("Login.ViewCacheSeconds");
}

unsigned
config_generation(void)
{
	return generation;
}

HDF *
config_hdf(void)
{
	return current;
}

const char *
config_path(void)
{
	return current_path;
}

static const struct ckey *
key_must(const char *key)
{
	const struct ckey *k;

	if ((k = key_find(key)) == NULL) {
		log_err("config: no such key %s (programming error)", key);
		abort();
	}
	return k;
}

char *
config_url(const char *path)
{
	const char	*base = config_str("Service.BaseURL");
	size_t		 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, base, path);
}

const char *
config_str(const char *key)
{
	const struct ckey *k = key_must(key);
	const char	*v = values[k - keys];

	return v != NULL ? v : (k->def != NULL ? k->def : "");
}

long long
config_int(const char *key)
{
	long long	 n = 0;

	if (util_parse_int(config_str(key), LLONG_MIN, LLONG_MAX, &n) != 0)
		return 0;
	return n;
}

int
config_bool(const char *key)
{
	const char	*v = config_str(key);

	return strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0;
}

size_t
config_secret(const char *key, unsigned char *buf, size_t buflen)
{
	const char	*v = config_str(key);
	size_t		 n = 0;

	while (v[0] != '\0' && v[1] != '\0' && n < buflen) {
		buf[n++] = (unsigned char)(util_hexval((unsigned char)v[0]) << 4 |
		    util_hexval((unsigned char)v[1]));
		v += 2;
	}
	return n;
}

const char *
config_default_path(void)
{
	const char	*e = getenv("KENPO_CONFIG");

	return (e != NULL && e[0] != '\0') ? e : SYSCONFDIR "/kenpo/kenpo.hdf";
}
