/*
 * kenpoctl client — the OpenID Connect relying parties (oidc_clients,
 * docs/oidc.md "Clients").
 *
 *   client add NAME --redirect-uri URI… [--logout-uri URI…] [--public]
 *                   [--min-acr ACR]
 *       registers a client; prints its client_id and, for a confidential
 *       client, its client_secret — once: only oidc_secret_hash of it is
 *       kept. --redirect-uri and --logout-uri may be repeated.
 *   client list     every client not deleted: client_id, name, type, min_acr
 *   client show ID  one client with its URIs
 *   client rotate-secret ID
 *                   a new secret (printed once); the old one stops working
 *   client delete ID
 *                   deleted_at set (the client_id is never reused); its codes,
 *                   tokens and consents deleted
 * All with --json (before the noun, or after the verb). Audited as
 * oidc.client_added, oidc.client_secret_rotated, oidc.client_deleted.
 *
 * URI rules: absolute https, or http only for localhost, 127.0.0.1 and [::1]
 * (development and tests); no fragment, no userinfo, no whitespace or
 * control characters, at most 2000 bytes. A refused URI exits 1 with the
 * reason. Matching at run time is byte for byte (oidc_client_uri_ok).
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "oidc.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_ADD	"client add NAME --redirect-uri URI... [--logout-uri URI...] " \
			"[--public] [--min-acr ACR]"
#define USAGE_LIST	"client list"
#define USAGE_SHOW	"client show CLIENT_ID"
#define USAGE_ROTATE	"client rotate-secret CLIENT_ID"
#define USAGE_DELETE	"client delete CLIENT_ID"
#define USAGE_ALL	USAGE_ADD " | " USAGE_LIST " | " USAGE_SHOW " | " \
			USAGE_ROTATE " | " USAGE_DELETE
#define MAX_URIS	20

/*
 * NULL when uri may be registered, else why not (for the operator).
 */
static const char *
uri_refusal(const char *uri)
{
	const char	*p, *host, *end;
	size_t		 n = strlen(uri), hl;
	int		 https;

	if (n == 0)
		return "empty";
	if (n > 2000)
		return "longer than 2000 bytes";
	for (p = uri; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f)
			return "contains spaces or control characters";
	if (strchr(uri, '#') != NULL)
		return "has a fragment (#)";
	/* A browser reads a backslash as '/' in an http(s) URL: the host of
	 * "https://evil.example<backslash>.rp.example.jp/cb" is evil.example. */
	if (strchr(uri, '\\') != NULL)
		return "contains a backslash (a browser reads it as /)";
	if (strncmp(uri, "https://", 8) == 0)
		https = 1;
	else if (strncmp(uri, "http://", 7) == 0)
		https = 0;
	else
		return "not an absolute https:// URI";
	host = uri + (https ? 8 : 7);
	end = host + strcspn(host, "/?");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return "has userinfo (user@)";
	if (end == host)
		return "has no host";
	/* The host without the port. */
	if (*host == '[') {
		const char *rb = memchr(host, ']', (size_t)(end - host));

		if (rb == NULL)
			return "has a malformed IPv6 host";
		hl = (size_t)(rb - host) + 1;
		if (rb + 1 != end && rb[1] != ':')
			return "has a malformed IPv6 host";
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));

		hl = (size_t)((colon != NULL ? colon : end) - host);
		if (hl == 0)
			return "has no host";
		/* What a browser would rewrite (an IDN, a percent-escape, another
		 * character) is not the host the operator read. */
		if (strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-") != hl)
			return "has a host other than ASCII letters, digits, dots"
			    " and hyphens (write an IDN in its xn-- form)";
	}
	if (host + hl != end) {
		const char *port = host + hl + 1;

		if (port >= end || strspn(port, "0123456789") != (size_t)(end - port))
			return "has a malformed port";
	}
	if (!https && !((hl == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (hl == 9 && strncmp(host, "127.0.0.1", 9) == 0) ||
	    (hl == 5 && strncmp(host, "[::1]", 5) == 0)))
		return "http:// is allowed only for localhost, 127.0.0.1 and [::1]";
	return NULL;
}

/* A new secret into out (base64url of 32 random bytes) and its hash. */
static int
new_secret(char out[CRYPTO_TOKEN_LEN + 1], char hash[65])
{
	crypto_token(out);
	return oidc_secret_hash(out, hash);
}

static void
print_credentials(const char *client_id, const char *name, const char *secret)
{
	if (ctl_json) {
		printf("{\"client_id\":");
		ctl_json_str(client_id);
		printf(",\"client_secret\":");
		ctl_json_str(secret);
		if (name != NULL) {
			printf(",\"name\":");
			ctl_json_str(name);
		}
		printf("}\n");
		return;
	}
	printf("client_id: %s\n", client_id);
	if (secret != NULL)
		printf("client_secret: %s\n(shown once: it is not stored, only its hash)\n",
		    secret);
	else
		printf("public client: no secret (PKCE S256 required)\n");
}

struct add {
	const char	*name, *min_acr, *client_id, *secret_hash;
	char		**login, **logout;
	int		 nlogin, nlogout, public;
};

static int
add_fn(void *arg)
{
	struct add	*a = arg;
	long long	 id, n;
	char		 h[65];
	int		 i;

	n = db_exec("INSERT INTO oidc_clients (client_id, name, public, secret_hash,"
	    " min_acr) VALUES (?, ?, ?, ?, ?)", "ssiss", a->client_id, a->name,
	    (long long)a->public, a->secret_hash, a->min_acr);
	if (n < 0)
		return (int)n;
	id = db_last_id();
	for (i = 0; i < a->nlogin + a->nlogout; i++) {
		const char *u = i < a->nlogin ? a->login[i] : a->logout[i - a->nlogin];

		crypto_sha256_hex(u, h);
		n = db_exec("INSERT IGNORE INTO oidc_client_uris (client, kind, uri,"
		    " uri_hash) VALUES (?, ?, ?, ?)", "isss", id,
		    i < a->nlogin ? "login" : "logout", u, h);
		if (n < 0)
			return (int)n;
	}
	return 0;
}

static int
cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "redirect-uri",	required_argument,	NULL,	'r' },
		{ "logout-uri",		required_argument,	NULL,	'l' },
		{ "public",		no_argument,		NULL,	'p' },
		{ "min-acr",		required_argument,	NULL,	'm' },
		{ "json",		no_argument,		NULL,	'j' },
		{ NULL,			0,			NULL,	0 }
	};
	char		*login[MAX_URIS], *logout[MAX_URIS];
	char		 cid[CRYPTO_TOKEN_LEN + 1], secret[CRYPTO_TOKEN_LEN + 1];
	char		 hash[65];
	unsigned char	 raw[16];
	struct add	 a;
	const char	*why;
	int		 ch, st;

	memset(&a, 0, sizeof(a));
	a.login = login;
	a.logout = logout;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:l:pm:j", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
		case 'l':
			if ((ch == 'r' ? a.nlogin : a.nlogout) == MAX_URIS)
				return ctl_refuse("client add: at most %d URIs of a kind",
				    MAX_URIS);
			if ((why = uri_refusal(optarg)) != NULL)
				return ctl_refuse("client add: %s URI refused: %s",
				    ch == 'r' ? "redirect" : "logout", why);
			if (ch == 'r')
				login[a.nlogin++] = optarg;
			else
				logout[a.nlogout++] = optarg;
			break;
		case 'p':
			a.public = 1;
			break;
		case 'm':
			a.min_acr = optarg;
			break;
		case 'j':
			ctl_json = 1;
			break;
		default:
			return ctl_usage(USAGE_ADD, NULL);
		}
	}
	if (argc - optind != 1)
		return ctl_usage(USAGE_ADD, "one NAME expected");
	a.name = argv[optind];
	if (!ctl_line_ok(a.name, 200, 1))
		return ctl_refuse("client add: NAME must be one line of 1-200 characters");
	if (a.nlogin == 0)
		return ctl_usage(USAGE_ADD, "at least one --redirect-uri is required");
	if (a.min_acr != NULL && oidc_acr_level(a.min_acr) == 0)
		return ctl_refuse("client add: unknown acr %s (one of %s, %s, %s)",
		    a.min_acr, OIDC_ACR_INSURER, OIDC_ACR_IDENTITY, OIDC_ACR_SENSITIVE);
	/* 16 random bytes: 22 base64url characters; never starting with '-',
	 * which every command line (ours included) would take for an option. */
	do {
		crypto_random(raw, sizeof(raw));
		crypto_b64url_encode(raw, sizeof(raw), cid);
	} while (cid[0] == '-');
	a.client_id = cid;
	if (!a.public) {
		if (new_secret(secret, hash) != 0)
			return ctl_refuse("client add: cannot hash the secret "
			    "(is Security.Secret set?)");
		a.secret_hash = hash;
	}
	if ((st = db_txn(add_fn, &a)) < 0) {
		util_wipe(secret, sizeof(secret));
		return ctl_db_error(st, "client add");
	}
	audit_ip(NULL, "oidc.client_added", 0);
	print_credentials(cid, a.name, a.public ? NULL : secret);
	util_wipe(secret, sizeof(secret));
	return CTL_OK;
}

/* Parse "[--json] ID" for the one-argument verbs. */
static int
id_arg(int argc, char **argv, const char *usage, const char **id)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ NULL,		0,		NULL,	0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "j", longopts, NULL)) != -1) {
		if (ch != 'j')
			return ctl_usage(usage, NULL);
		ctl_json = 1;
	}
	if (id == NULL)
		return argc - optind == 0 ? CTL_OK : ctl_usage(usage, NULL);
	if (argc - optind != 1)
		return ctl_usage(usage, "one CLIENT_ID expected");
	*id = argv[optind];
	return CTL_OK;
}

static int
cmd_list(int argc, char **argv)
{
	struct db_res	*res = NULL;
	int		 st;

	if ((st = id_arg(argc, argv, USAGE_LIST, NULL)) != CTL_OK)
		return st;
	st = db_query(&res, "SELECT client_id, name, public, min_acr,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM oidc_clients"
	    " WHERE deleted_at IS NULL ORDER BY id", "");
	if (st != 0)
		return ctl_db_error(st, "client list");
	ctl_list_begin();
	while ((st = db_res_next(res)) == 1) {
		ctl_rec_begin();
		ctl_rec_str("client_id", db_res_str(res, 0));
		ctl_rec_str("name", db_res_str(res, 1));
		ctl_rec_str("type", db_res_int(res, 2) ? "public" : "confidential");
		ctl_rec_str("min_acr", db_res_str(res, 3) ? db_res_str(res, 3) :
		    OIDC_ACR_INSURER);
		ctl_rec_str("created_at", db_res_str(res, 4));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return st < 0 ? ctl_db_error(st, "client list") : CTL_OK;
}

/* Print the URIs of client id of kind as a JSON array or lines. */
static int
print_uris(long long id, const char *kind)
{
	struct db_res	*res = NULL;
	int		 st, first = 1;

	st = db_query(&res, "SELECT uri FROM oidc_client_uris WHERE client = ?"
	    " AND kind = ? ORDER BY id", "is", id, kind);
	if (st != 0)
		return st;
	if (ctl_json)
		printf(",\"%s_uris\":[", strcmp(kind, "login") == 0 ? "redirect" : "logout");
	while ((st = db_res_next(res)) == 1) {
		if (ctl_json) {
			if (!first)
				putchar(',');
			ctl_json_str(db_res_str(res, 0));
		} else
			printf("%s_uri: %s\n", strcmp(kind, "login") == 0 ?
			    "redirect" : "logout", db_res_str(res, 0));
		first = 0;
	}
	if (ctl_json)
		putchar(']');
	db_res_free(res);
	return st < 0 ? st : 0;
}

static int
cmd_show(int argc, char **argv)
{
	struct oidc_client	 c;
	const char		*id = NULL;
	long long		 consents = 0;
	int			 st;

	if ((st = id_arg(argc, argv, USAGE_SHOW, &id)) != CTL_OK)
		return st;
	if ((st = oidc_client_load(id, &c)) < 0)
		return ctl_db_error(st, "client show");
	if (st == 0)
		return ctl_refuse("client show: no such client: %s", id);
	if ((st = db_int(&consents, "SELECT COUNT(*) FROM oidc_consents WHERE"
	    " client = ?", "i", c.id)) < 0) {
		oidc_client_free(&c);
		return ctl_db_error(st, "client show");
	}
	if (ctl_json) {
		printf("{\"client_id\":");
		ctl_json_str(c.client_id);
		printf(",\"name\":");
		ctl_json_str(c.name);
		printf(",\"type\":\"%s\",\"min_acr\":", c.public ? "public" : "confidential");
		ctl_json_str(oidc_acr_name(c.min_level));
		printf(",\"consents\":%lld", consents);
	} else
		printf("client_id: %s\nname: %s\ntype: %s\nmin_acr: %s\nconsents: %lld\n",
		    c.client_id, c.name, c.public ? "public" : "confidential",
		    oidc_acr_name(c.min_level), consents);
	if ((st = print_uris(c.id, "login")) < 0 ||
	    (st = print_uris(c.id, "logout")) < 0) {
		oidc_client_free(&c);
		return ctl_db_error(st, "client show");
	}
	if (ctl_json)
		printf("}\n");
	oidc_client_free(&c);
	return CTL_OK;
}

static int
cmd_rotate(int argc, char **argv)
{
	struct oidc_client	 c;
	const char		*id = NULL;
	char			 secret[CRYPTO_TOKEN_LEN + 1], hash[65];
	long long		 n;
	int			 st;

	if ((st = id_arg(argc, argv, USAGE_ROTATE, &id)) != CTL_OK)
		return st;
	if ((st = oidc_client_load(id, &c)) < 0)
		return ctl_db_error(st, "client rotate-secret");
	if (st == 0)
		return ctl_refuse("client rotate-secret: no such client: %s", id);
	if (c.public) {
		oidc_client_free(&c);
		return ctl_refuse("client rotate-secret: %s is a public client: it has"
		    " no secret", id);
	}
	if (new_secret(secret, hash) != 0) {
		oidc_client_free(&c);
		return ctl_refuse("client rotate-secret: cannot hash the secret");
	}
	n = db_exec("UPDATE oidc_clients SET secret_hash = ? WHERE id = ?"
	    " AND deleted_at IS NULL", "si", hash, c.id);
	if (n < 0) {
		oidc_client_free(&c);
		util_wipe(secret, sizeof(secret));
		return ctl_db_error((int)n, "client rotate-secret");
	}
	audit_ip(NULL, "oidc.client_secret_rotated", 0);
	print_credentials(c.client_id, NULL, secret);
	util_wipe(secret, sizeof(secret));
	oidc_client_free(&c);
	return CTL_OK;
}

static int
delete_fn(void *arg)
{
	long long	 id = *(long long *)arg, n;

	if ((n = db_exec("DELETE FROM oidc_codes WHERE client = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM oidc_tokens WHERE client = ?", "i", id)) < 0 ||
	    (n = db_exec("DELETE FROM oidc_consents WHERE client = ?", "i", id)) < 0 ||
	    (n = db_exec("UPDATE oidc_clients SET deleted_at = NOW(6),"
	    " secret_hash = NULL WHERE id = ?", "i", id)) < 0)
		return (int)n;
	return 0;
}

static int
cmd_delete(int argc, char **argv)
{
	struct oidc_client	 c;
	const char		*id = NULL;
	int			 st;

	if ((st = id_arg(argc, argv, USAGE_DELETE, &id)) != CTL_OK)
		return st;
	if ((st = oidc_client_load(id, &c)) < 0)
		return ctl_db_error(st, "client delete");
	if (st == 0)
		return ctl_refuse("client delete: no such client: %s", id);
	if ((st = db_txn(delete_fn, &c.id)) < 0) {
		oidc_client_free(&c);
		return ctl_db_error(st, "client delete");
	}
	audit_ip(NULL, "oidc.client_deleted", 0);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_str("client_id", c.client_id);
		ctl_rec_bool("deleted", 1);
		ctl_rec_end();
	} else
		printf("client %s deleted (its codes, tokens and consents too)\n",
		    c.client_id);
	oidc_client_free(&c);
	return CTL_OK;
}

int
ctl_client(int argc, char **argv)
{
	if (argc < 2)
		return ctl_usage(USAGE_ALL, NULL);
	if (strcmp(argv[1], "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "rotate-secret") == 0)
		return cmd_rotate(argc - 1, argv + 1);
	if (strcmp(argv[1], "delete") == 0)
		return cmd_delete(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "unknown verb: %s", argv[1]);
}
