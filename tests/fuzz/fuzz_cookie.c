/*
 * fuzz_cookie.c — the cookie reader, and the other request headers, as kenpod
 * drives them: ClearSilver's cgi_init over the cgiwrap emulation (the same
 * callbacks as src/request.c, over a fake FastCGI environment instead of a
 * request), which puts HTTP_* into HTTP.*, CONTENT_TYPE into CGI.ContentType.*
 * and splits HTTP_COOKIE into Cookie.*; then kenpo's own readers of what it
 * produced (header_pick_lang, entry_cookie_parse, the token shape of sid/pre).
 *
 * Input: Cookie, Content-Type, Host, Accept-Language, one more header name and
 * its value, separated by NUL bytes (a missing field is an absent header; a
 * header name nginx would drop is dropped). Invariants, besides no crash and no
 * leak:
 *   - cgi_init succeeds (kenpod answers 400 when it does not);
 *   - each cookie kenpo reads (sid, pre, remember, entry, su, lang, with and
 *     without __Host-) has the value of a reference splitter: pairs at ';',
 *     name before the first '=', both trimmed of white space, the last pair of
 *     a name wins, a pair without '=' or with an empty side is ignored; no
 *     other cookie's name (a.b, .sid, sid.) changes it;
 *   - the language is "ja" or "en".
 * ClearSilver is a prebuilt library (no coverage instrumentation): libFuzzer
 * sees only kenpo's side of this target and ASan only ClearSilver's calls into
 * libc, so the corpus carries the shapes to try (see README.md).
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdarg.h>

#include "fuzz.h"
#include "entry.h"
#include "header.h"

#define NENV	8

static char	*env[NENV + 1];	/* "NAME=value", NULL-terminated */

static int
emu_read(void *data, char *buf, int n)
{
	(void)data; (void)buf; (void)n;
	return 0;
}

static int
emu_writef(void *data, const char *fmt, va_list ap)
{
	(void)data; (void)fmt; (void)ap;
	return 0;
}

static int
emu_write(void *data, const char *buf, int n)
{
	(void)data; (void)buf;
	return n;
}

/* As request.c: the query string is kenpo's own (form.c), never ClearSilver's. */
static char *
emu_getenv(void *data, const char *name)
{
	size_t	 i, n = strlen(name);

	(void)data;
	if (strcmp(name, "QUERY_STRING") == 0)
		return NULL;
	for (i = 0; env[i] != NULL; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return strdup(env[i] + n + 1);
	return NULL;
}

static int
emu_putenv(void *data, const char *k, const char *v)
{
	(void)data; (void)k; (void)v;
	return -1;
}

static int
emu_iterenv(void *data, int n, char **k, char **v)
{
	char	*eq;
	int	 i;

	(void)data;
	*k = *v = NULL;
	for (i = 0; env[i] != NULL && i < n; i++)
		;
	if (env[i] == NULL || (eq = strchr(env[i], '=')) == NULL)
		return 0;
	*k = strndup(env[i], (size_t)(eq - env[i]));
	*v = strdup(eq + 1);
	return 0;
}

static char *
trim(char *s)
{
	size_t	 n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The reference splitter: the value of cookie name in header h, or NULL. */
static char *
ref_cookie(const char *h, const char *name)
{
	char	*copy = xstrdup(h), *seg, *next, *eq, *k, *v, *found = NULL;

	for (seg = copy; seg != NULL; seg = next) {
		if ((next = strchr(seg, ';')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(seg, '=')) == NULL)
			continue;
		*eq = '\0';
		k = trim(seg);
		v = trim(eq + 1);
		if (*k != '\0' && *v != '\0' && strcmp(k, name) == 0) {
			free(found);
			found = xstrdup(v);
		}
	}
	free(copy);
	return found;
}

/* nginx passes a header on only when its name is letters, digits and '-'. */
static char *
header_env(const char *name, const char *value)
{
	char	*e;
	size_t	 i;

	if (*name == '\0' || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(name))
		return NULL;
	e = xasprintf("HTTP_%s=%s", name, value);
	for (i = 5; e[i] != '='; i++)
		e[i] = e[i] == '-' ? '_' : (char)toupper((unsigned char)e[i]);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"sid", "pre", "remember", "entry", "su", "lang",
		"__Host-sid", "__Host-pre", "__Host-remember", "__Host-entry",
		"__Host-su", "__Host-lang",
	};
	char		*f[6], key[64], *want, number[9];
	unsigned char	 raw[64];
	const char	*got, *lang;
	CGI		*cgi = NULL;
	HDF		*hdf = NULL;
	NEOERR		*err;
	size_t		 i, n = 0;
	int		 s;

	fuzz_setup();
	fuzz_fields(data, size, f, 6);
	env[n++] = xstrdup("REQUEST_METHOD=GET");
	env[n++] = xstrdup("REMOTE_ADDR=192.0.2.1");
	if (f[0] != NULL)
		env[n++] = xasprintf("HTTP_COOKIE=%s", f[0]);
	if (f[1] != NULL)
		env[n++] = xasprintf("CONTENT_TYPE=%s", f[1]);
	if (f[2] != NULL)
		env[n++] = xasprintf("HTTP_HOST=%s", f[2]);
	if (f[3] != NULL)
		env[n++] = xasprintf("HTTP_ACCEPT_LANGUAGE=%s", f[3]);
	if (f[4] != NULL && f[5] != NULL && (env[n] = header_env(f[4], f[5])) != NULL)
		n++;
	env[n] = NULL;

	cgiwrap_init_emu(NULL, emu_read, emu_writef, emu_write, emu_getenv,
	    emu_putenv, emu_iterenv);
	if ((err = hdf_init(&hdf)) != STATUS_OK)
		abort();
	err = cgi_init(&cgi, hdf);
	if (err != STATUS_OK) {
		STRING	 str;

		string_init(&str);
		nerr_error_string(err, &str);
		fprintf(stderr, "cgi_init: %s\n", str.buf);
		string_clear(&str);
		nerr_ignore(&err);
		FUZZ_ASSERT(!"cgi_init failed");
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(key, sizeof(key), "Cookie.%s", names[i]);
		got = hdf_get_value(cgi->hdf, key, NULL);
		want = f[0] != NULL ? ref_cookie(f[0], names[i]) : NULL;
		if (want == NULL)
			FUZZ_ASSERT(got == NULL);
		else
			FUZZ_ASSERT(got != NULL && strcmp(got, want) == 0);
		free(want);
		/* kenpo's readers of these values. */
		if (got != NULL && strcmp(names[i] + (names[i][0] == '_' ? 7 : 0),
		    "entry") == 0)
			FUZZ_ASSERT(entry_cookie_parse(got, 1700000000, number, &s) <= 0);
		if (got != NULL)
			(void)crypto_b64url_decode(got, raw, sizeof(raw));
	}
	lang = header_pick_lang(hdf_get_value(cgi->hdf, "Cookie.lang", NULL), f[3]);
	FUZZ_ASSERT(strcmp(lang, "ja") == 0 || strcmp(lang, "en") == 0);
	cgi_destroy(&cgi);	/* and the HDF */
	for (i = 0; i < n; i++)
		free(env[i]);
	fuzz_fields_free(f, 6);
	return 0;
}
